from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin


class Purchase(IdMixin, Base):
    """What a customer bought, when and where: the basis of customer value and cross-sell."""

    __tablename__ = "purchases"
    __table_args__ = (Index("ix_purchases_customer_id_purchased_at", "customer_id", "purchased_at"),)

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    product_model: Mapped[str | None] = mapped_column(String(64))
    sku: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(default=0)  # TWD, whole dollars
    purchased_at: Mapped[dt.datetime]
    channel: Mapped[str | None] = mapped_column(String(32))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
