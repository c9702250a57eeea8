"""The lists leads keep for the desk: canned replies (macros) and call dispositions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Macro(IdMixin, Base):
    """A canned reply with placeholders ({customer_name}, {ticket_id}, ...), written in one language."""

    __tablename__ = "macros"

    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16), default="zh-Hant")
    active: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Disposition(IdMixin, Base):
    """How a call ended, chosen at wrap-up: a stable code for reports, a label in each language."""

    __tablename__ = "dispositions"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    label_zh: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class SavedView(IdMixin, Base):
    """An agent's own ticket view: a name for a set of filters (the views page's query string)."""

    __tablename__ = "saved_views"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
