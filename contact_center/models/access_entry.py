from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class AccessEntry(IdMixin, Base):
    """One look at a customer's personal data: by whom, when, through what (a page or an API route)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_customer_id_at", "customer_id", "at"),
        Index("ix_access_log_user_id_at", "user_id", "at"),
    )

    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept when the customer is deleted: the log says what was seen, and must outlive the record.
    customer_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    via: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(64))
