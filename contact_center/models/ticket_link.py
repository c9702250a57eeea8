from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class TicketLink(IdMixin, Base):
    """Two tickets that belong together: related, a duplicate, or a child of a parent ticket."""

    __tablename__ = "ticket_links"
    __table_args__ = (
        UniqueConstraint("ticket_id", "other_id"),
        CheckConstraint("ticket_id <> other_id", name="not_self"),
        Index("ix_ticket_links_other_id", "other_id"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="related")  # related | duplicate | parent | child
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
