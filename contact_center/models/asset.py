from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Asset(IdMixin, Base):
    """A product a customer owns: the unit that gets installed, maintained and repaired."""

    __tablename__ = "assets"

    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    product_model: Mapped[str] = mapped_column(String(64), index=True)
    product_name: Mapped[str | None] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(64), index=True)
    installed_on: Mapped[dt.date | None]
    warranty_until: Mapped[dt.date | None]
    maintenance_until: Mapped[dt.date | None]
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
