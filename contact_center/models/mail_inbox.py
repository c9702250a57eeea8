from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class InboundMail(IdMixin, Base):
    """Every message handed to us, kept as received before anything is done with it: what became of it
    (`outcome`) and why are recorded here, so a message is never lost between receipt and its ticket."""

    __tablename__ = "mail_inbox"
    __table_args__ = (
        Index("ix_mail_inbox_message_id", "message_id"),
        Index("ix_mail_inbox_outcome_received_at", "outcome", "received_at"),
    )

    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    envelope_from: Mapped[str | None] = mapped_column(String(320))
    recipients: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as the MTA gave them
    message_id: Mapped[str | None] = mapped_column(String(500))
    # new (stored, not yet processed), ticket, reply, duplicate, automatic, bounce, own, failed
    outcome: Mapped[str] = mapped_column(String(16), default="new")
    reason: Mapped[str | None] = mapped_column(Text)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
