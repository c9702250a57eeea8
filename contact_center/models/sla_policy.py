from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class SlaPolicy(IdMixin, Base):
    """Response and resolution targets in business minutes, for a priority and/or a customer tier.

    The most specific policy wins: priority and tier, then priority, then tier, then the default."""

    __tablename__ = "sla_policies"

    name: Mapped[str] = mapped_column(String(100))
    priority: Mapped[str | None] = mapped_column(String(16))  # None: any priority
    tier: Mapped[str | None] = mapped_column(String(16))  # None: any customer tier
    first_response_minutes: Mapped[int]
    resolution_minutes: Mapped[int]
    calendar: Mapped[str] = mapped_column(String(32), default="taiwan")  # taiwan | 24x7
    # Escalation levels, in order: [{"at": 0.75, "action": "warn_owner"}, {"at": 1.0, ...}, ...]
    levels: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
