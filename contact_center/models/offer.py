from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Offer(IdMixin, Base):
    """A cross-sell or up-sell offer in the catalogue, with the eligibility rules agents must not guess."""

    __tablename__ = "offers"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    product_model: Mapped[str] = mapped_column(String(64))  # what is offered: a model or a plan's SKU
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)  # contact_center.offers.rules.OfferRules
    reason_template: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OfferResponse(IdMixin, Base):
    """What the customer answered when an offer was made: accept, decline or later."""

    __tablename__ = "offer_responses"
    __table_args__ = (
        Index("ix_offer_responses_customer_id_at", "customer_id", "at"),
        Index("ix_offer_responses_offer_id_response", "offer_id", "response"),
    )

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    response: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OfferImpression(IdMixin, Base):
    """An offer shown to an agent for a customer, once per day: the denominator of conversion (answers
    alone would leave out the offers agents saw and never raised)."""

    __tablename__ = "offer_impressions"
    __table_args__ = (UniqueConstraint("offer_id", "customer_id", "day"),)

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date]  # in Taipei
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # the first showing that day


class Snapshot(IdMixin, Base):
    """The latest result of a scheduled computation (co-ownership statistics, ...), read by requests."""

    __tablename__ = "snapshots"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
