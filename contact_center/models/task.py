from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Task(IdMixin, Base):
    """Something an agent must do by a time: a follow-up on a ticket (跟催), or a proactive call-back
    (a check-in after a repair, a warranty or maintenance renewal, a VIP's birthday greeting)."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_owner_id_status_due_at", "owner_id", "status", "due_at"),
        Index("ix_tasks_status_due_at", "status", "due_at"),
    )

    kind: Mapped[str] = mapped_column(String(32))  # follow_up | repair_check_in | renewal | birthday
    # Makes "each task created once" hold for the jobs that create them: e.g. "renewal:42:2026-12-31".
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | cancelled
    outcome: Mapped[str | None] = mapped_column(String(32))  # reached | no_answer | call_back | not_interested | sold
    notified_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]
