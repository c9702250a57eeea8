from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class RoutingRule(IdMixin, Base):
    """Sends a new ticket without a queue to one: the first rule (lowest position) whose every condition
    holds wins. Conditions left empty match anything; `category` will match the NLP classifier's label."""

    __tablename__ = "routing_rules"

    position: Mapped[int] = mapped_column(default=100)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(32))
    product_prefix: Mapped[str | None] = mapped_column(String(64))  # e.g. "RAC-" for air-conditioners
    category: Mapped[str | None] = mapped_column(String(100))
    keywords: Mapped[list[Any]] = mapped_column(default=list)  # any of them in the subject or description
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
