from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contact_center.db.base import Base, IdMixin, utcnow


class Customer(IdMixin, Base):
    __tablename__ = "customers"

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    emails: Mapped[list[Any]] = mapped_column(default=list)
    birthday: Mapped[dt.date | None]
    # Anniversaries and the like: [{"label": "結婚紀念日", "date": "2010-05-20"}].
    important_dates: Mapped[list[Any]] = mapped_column(default=list)
    city: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    preferences: Mapped[str | None] = mapped_column(Text)
    taboos: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    value_tier: Mapped[str] = mapped_column(String(16), default="standard")
    customer_since: Mapped[dt.date | None]
    # Fields an import carried that we have no column for: kept, never dropped.
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phones: Mapped[list[CustomerPhone]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CustomerPhone.id"
    )


class CustomerPhone(IdMixin, Base):
    """One number of a customer: E.164 for matching caller-ID, the original text for display."""

    __tablename__ = "customer_phones"
    __table_args__ = (
        UniqueConstraint("customer_id", "e164"),
        Index("ix_customer_phones_e164", "e164"),
    )

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    e164: Mapped[str] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(32))
