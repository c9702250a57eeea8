from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class BusinessCalendarRow(IdMixin, Base):
    """A business calendar as editable data: weekly opening hours, holidays and make-up workdays
    (補班日). SLA policies name one; deadlines are counted in its business time (+08:00, no DST)."""

    __tablename__ = "business_calendars"

    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")
    # {"0": [["09:00", "12:00"], ["13:00", "18:00"]], ...}: Monday is "0"; an end of "00:00" is midnight.
    weekly: Mapped[dict[str, Any]] = mapped_column(default=dict)
    holidays: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"2026-01-01": "元旦", ...}
    makeup_workdays: Mapped[dict[str, Any]] = mapped_column(default=dict)  # worked with Monday's hours
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
