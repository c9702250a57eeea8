from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Call(IdMixin, Base):
    """One customer call as the PBX reported it: who called, where it queued, who answered, how it ended."""

    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("source", "call_id"),
        Index("ix_calls_customer_id_offered_at", "customer_id", "offered_at"),
        Index("ix_calls_state", "state"),
    )

    source: Mapped[str] = mapped_column(String(32), default="asterisk")
    call_id: Mapped[str] = mapped_column(String(64))  # the PBX's id for the whole call (Linkedid)
    direction: Mapped[str] = mapped_column(String(8), default="in")
    # offered | ringing | answered | abandoned | ended
    state: Mapped[str] = mapped_column(String(16), default="offered")
    caller: Mapped[str | None] = mapped_column(String(64))  # as the PBX sent it
    caller_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    caller_name: Mapped[str | None] = mapped_column(String(128))
    dialled: Mapped[str | None] = mapped_column(String(64))
    queue: Mapped[str | None] = mapped_column(String(64))
    extension: Mapped[str | None] = mapped_column(String(32))  # where it rings or is answered now
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    offered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]
    wait_seconds: Mapped[float | None] = mapped_column(Float)
    talk_seconds: Mapped[float | None] = mapped_column(Float)
    hangup_by: Mapped[str | None] = mapped_column(String(16))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CallEvent(IdMixin, Base):
    """The timeline of a call, one row per contract event; the unique event id makes re-sends harmless."""

    __tablename__ = "call_events"
    __table_args__ = (Index("ix_call_events_call_row_id_at", "call_row_id", "at"),)

    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    call_row_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime]
    extension: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
