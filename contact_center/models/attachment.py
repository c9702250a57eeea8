from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Attachment(IdMixin, Base):
    """A file that came with a ticket's message; its bytes live in the attachment store, by content hash."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_ticket_id", "ticket_id"), Index("ix_attachments_message_id", "message_id"))

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_messages.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed from the bytes, not the name
    declared_type: Mapped[str | None] = mapped_column(String(100))  # what the sender said it was
    inline: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
