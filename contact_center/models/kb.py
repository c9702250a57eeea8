from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class KbArticle(IdMixin, Base):
    """A knowledge-base answer: public ones reach customers on the portal, internal ones only staff."""

    __tablename__ = "kb_articles"
    __table_args__ = (Index("ix_kb_articles_updated_at", "updated_at"),)

    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8), default="zh-Hant")  # zh-Hant | zh-Hans | en
    tags: Mapped[list[Any]] = mapped_column(default=list)
    product: Mapped[str | None] = mapped_column(String(64))  # a product-model prefix, or None for all
    category: Mapped[str | None] = mapped_column(String(100))
    public: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default="published")  # draft | published
    # Feedback from agents and customers, kept on the article for ranking (details in kb_feedback).
    helpful: Mapped[int] = mapped_column(default=0)
    not_helpful: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class KbRevision(IdMixin, Base):
    """An article as it was before an edit: who changed it, when, and the old text."""

    __tablename__ = "kb_revisions"
    __table_args__ = (Index("ix_kb_revisions_article_id_at", "article_id", "at"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)  # title, body, lang, tags, product, ...


class KbFeedback(IdMixin, Base):
    """ "Helpful" or "not helpful" on a suggestion, with the words that brought it up."""

    __tablename__ = "kb_feedback"
    __table_args__ = (Index("ix_kb_feedback_article_id_at", "article_id", "at"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    query: Mapped[str] = mapped_column(String(500), default="")
    helpful: Mapped[bool]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class KbSynonymGroup(IdMixin, Base):
    """Words an admin declares equivalent for search (on top of the shipped list)."""

    __tablename__ = "kb_synonym_groups"

    words: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
