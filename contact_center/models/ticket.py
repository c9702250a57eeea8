from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contact_center.db.base import Base, IdMixin, utcnow

if TYPE_CHECKING:
    from contact_center.models.ticket_event import TicketEvent


SearchTerms = Text().with_variant(TSVECTOR(), "postgresql")


class Ticket(IdMixin, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_customer_id_created_at", "customer_id", "created_at"),
        Index("ix_tickets_asset_id_created_at", "asset_id", "created_at"),
        Index("ix_tickets_status_created_at", "status", "created_at"),
        Index("ix_tickets_kind_created_at", "kind", "created_at"),
        Index("ix_tickets_assignee_id_status", "assignee_id", "status"),
        # Newest first (search results, views): a common word's first page comes from here, not a sort.
        Index("ix_tickets_created_at_id", "created_at", "id"),
    )

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="new")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    channel: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(100))
    # The classifier's proposal when the ticket was opened: which model version, how sure.
    category_model: Mapped[str | None] = mapped_column(String(64))
    category_confidence: Mapped[float | None]
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_response_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    technician: Mapped[str | None] = mapped_column(String(100), index=True)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    # Service level: the policy that applies, the deadlines it gives (business hours, pauses
    # while waiting for the customer excluded) and how far the ticket has been escalated.
    sla_policy_id: Mapped[int | None] = mapped_column(ForeignKey("sla_policies.id", ondelete="SET NULL"))
    first_response_due: Mapped[dt.datetime | None]
    resolution_due: Mapped[dt.datetime | None] = mapped_column(index=True)
    sla_pauses: Mapped[list[Any]] = mapped_column(default=list)
    escalation_level: Mapped[int] = mapped_column(default=0)
    # When the next escalation level is due (None: none left, or the clock is paused): what sweeps scan.
    next_escalation_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[Any]] = mapped_column(default=list)  # the team's own labels: 換貨, 媒體, 回電
    # Full-text search terms (tickets.search): a tsvector with a GIN index on PostgreSQL, text feeding an
    # FTS5 table on SQLite. Written by the search module only; never loaded with the ticket.
    search_terms: Mapped[str | None] = mapped_column(SearchTerms, deferred=True)
    # Write-only in practice: a new ticket and its first history entries go in one flush. Read the
    # history through the tickets repository (never loaded here; the database cascades deletes).
    events: Mapped[list[TicketEvent]] = relationship(lazy="raise", passive_deletes=True)
