from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class RepairFlag(IdMixin, Base):
    """An abnormal-repair-frequency flag as QA follows it up: a unit, a model or a technician, with the
    evidence of the latest check. One row per subject; a flag that comes back after being cleared is the
    same row, reopened."""

    __tablename__ = "repair_flags"
    __table_args__ = (
        UniqueConstraint("kind", "subject"),
        Index("ix_repair_flags_status_kind", "status", "kind"),
    )

    kind: Mapped[str] = mapped_column(String(16))  # unit | model | technician
    # The asset id for a unit, the product model, the technician's name: what the statistics key on.
    subject: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)  # counts, expected, ratio, p, score
    first_flagged_on: Mapped[dt.date]
    last_seen_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | acknowledged | cleared
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    acknowledged_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
