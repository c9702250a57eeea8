from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Queue(IdMixin, Base):
    """A queue of work: Asterisk's call queue of the same name and the tickets routed to it."""

    __tablename__ = "queues"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    required_skills: Mapped[list[Any]] = mapped_column(default=list)
    # User ids of the queue's leads: they may open a record on the desktop of an agent of this queue.
    leads: Mapped[list[Any]] = mapped_column(default=list)
    # skills_least_loaded | round_robin | sticky (contact_center.routing.strategies)
    strategy: Mapped[str] = mapped_column(String(32), default="skills_least_loaded")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
