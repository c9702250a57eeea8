from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, utcnow


class AgentProfile(Base):
    """What routing knows of an agent: skills with levels, how many open tickets they can hold, presence."""

    __tablename__ = "agent_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skills: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"aircon": 3, "billing": 1}
    capacity: Mapped[int] = mapped_column(default=20)
    # available | away | wrap_up | offline (on a call is known from the CTI events)
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    presence_since: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_assigned_at: Mapped[dt.datetime | None]
