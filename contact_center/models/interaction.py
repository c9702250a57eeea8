from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin


class Interaction(IdMixin, Base):
    """One contact with a customer on any channel: a call, an e-mail, a web form, LINE, a visit."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_customer_id_started_at", "customer_id", "started_at"),
        Index("ix_interactions_ticket_id", "ticket_id"),
        Index("ix_interactions_call_id", "call_id"),
        # Foreign keys are indexed so deleting a user or a ticket does not scan every contact.
        Index("ix_interactions_agent_id", "agent_id"),
    )

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Null for an unknown caller until the agent attaches a customer.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8), default="in")
    started_at: Mapped[dt.datetime]
    duration_seconds: Mapped[int | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The agent's name as the old system knew it, when no user of ours matches.
    agent_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    call_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
