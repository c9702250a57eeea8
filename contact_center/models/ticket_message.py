from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class TicketMessage(IdMixin, Base):
    """A reply to the customer (public) or a note between colleagues (internal) on a ticket."""

    __tablename__ = "ticket_messages"
    __table_args__ = (
        Index("ix_ticket_messages_ticket_id_created_at", "ticket_id", "created_at"),
        Index("ix_ticket_messages_author_id", "author_id"),
        Index("ix_ticket_messages_message_id", "message_id", unique=True),
        Index("ix_ticket_messages_delivery_next", "delivery", "next_attempt_at"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # public: the customer sees it (portal, e-mail); internal: staff only.
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # How it came or went: None when written at the desk; "web" (the portal), "email", "line".
    channel: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8), default="out", server_default="out")  # "in": the customer's
    message_id: Mapped[str | None] = mapped_column(String(500))  # the e-mail's Message-ID, for threading
    sender: Mapped[str | None] = mapped_column(String(320))  # the address it came from
    delivery: Mapped[str | None] = mapped_column(String(16))  # outbound e-mail: queued, sent, retrying, failed
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column()
    delivery_error: Mapped[str | None] = mapped_column(Text)
