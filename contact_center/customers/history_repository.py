"""SQL of the single customer view. It sits on the screen-pop path, so the statements are built once,
at import, with bound parameters (SQLAlchemy then only binds values), and they select the columns the
view shows rather than whole ORM objects. Lists carry their total through `count() over ()`, which
saves a round trip per list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, Row, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Asset, Interaction, Purchase, Ticket, User
from contact_center.tickets.workflow import OPEN_STATUSES

_CUSTOMER = bindparam("customer_id", type_=Integer)
_LIMIT = bindparam("limit", type_=Integer)
_OFFSET = bindparam("offset", type_=Integer)

TICKET_BRIEF = (
    Ticket.id, Ticket.kind, Ticket.status, Ticket.priority, Ticket.subject, Ticket.created_at,
    Ticket.external_id, Ticket.category, Ticket.channel, Ticket.asset_id, Ticket.technician,
    Ticket.closed_at, Ticket.satisfaction,
)  # fmt: skip
_NEWEST_FIRST = (Ticket.created_at.desc(), Ticket.id.desc())
_TOTAL = func.count().over().label("total")

_OPEN_TICKETS = (
    select(*TICKET_BRIEF, _TOTAL)
    .where(Ticket.customer_id == _CUSTOMER, Ticket.status.in_(OPEN_STATUSES))
    .order_by(*_NEWEST_FIRST)
    .limit(_LIMIT)
)
_TICKET_PAGE = (
    select(*TICKET_BRIEF, _TOTAL)
    .where(Ticket.customer_id == _CUSTOMER)
    .order_by(*_NEWEST_FIRST)
    .limit(_LIMIT)
    .offset(_OFFSET)
)
_TICKET_COUNT = select(func.count()).where(Ticket.customer_id == _CUSTOMER)

_REPAIRS_BY_ASSET = (
    select(Ticket.asset_id, func.count().label("repairs"), func.max(Ticket.created_at).label("last_repair_at"))
    .where(Ticket.customer_id == _CUSTOMER, Ticket.kind == "repair")
    .group_by(Ticket.asset_id)
    .subquery()
)
_ASSETS = (
    select(
        Asset.id, Asset.external_id, Asset.product_model, Asset.product_name, Asset.serial, Asset.installed_on,
        Asset.warranty_until, Asset.maintenance_until,
        func.coalesce(_REPAIRS_BY_ASSET.c.repairs, 0).label("repairs"), _REPAIRS_BY_ASSET.c.last_repair_at,
    )
    .outerjoin(_REPAIRS_BY_ASSET, _REPAIRS_BY_ASSET.c.asset_id == Asset.id)
    .where(Asset.customer_id == _CUSTOMER)
    .order_by(Asset.installed_on.desc(), Asset.id)
)  # fmt: skip

_LAST_RATING = (
    select(Ticket.satisfaction)
    .where(Ticket.customer_id == _CUSTOMER, Ticket.satisfaction.is_not(None))
    .order_by(Ticket.created_at.desc())
    .limit(1)
    .scalar_subquery()
)
_STATS = (
    select(
        Ticket.kind,
        func.count().label("tickets"),
        func.count().filter(Ticket.created_at >= bindparam("since")).label("recent"),
        func.max(Ticket.created_at).label("last_at"),
        func.sum(Ticket.satisfaction).label("rating_sum"),
        func.count(Ticket.satisfaction).label("rated"),
        _LAST_RATING.label("last_rating"),
    )
    .where(Ticket.customer_id == _CUSTOMER)
    .group_by(Ticket.kind)
)

_INTERACTIONS = (
    select(
        Interaction.id, Interaction.channel, Interaction.direction, Interaction.started_at,
        Interaction.duration_seconds, func.coalesce(User.display_name, Interaction.agent_name).label("agent"),
        Interaction.summary, Interaction.ticket_id, _TOTAL,
    )
    .outerjoin(User, User.id == Interaction.agent_id)
    .where(Interaction.customer_id == _CUSTOMER)
    .order_by(Interaction.started_at.desc(), Interaction.id.desc())
    .limit(_LIMIT)
)  # fmt: skip

_PURCHASES = (
    select(
        Purchase.id, Purchase.amount, Purchase.purchased_at, Purchase.product_model, Purchase.sku, Purchase.channel,
        func.sum(Purchase.amount).over(partition_by=Purchase.customer_id).label("lifetime_amount"),
        func.count().over(partition_by=Purchase.customer_id).label("purchases"),
        func.max(Purchase.purchased_at).over(partition_by=Purchase.customer_id).label("last_purchase_at"),
    )
    .where(Purchase.customer_id == _CUSTOMER)
    .order_by(Purchase.purchased_at.desc())
    .limit(_LIMIT)
)  # fmt: skip


async def assets(session: AsyncSession, customer_id: int) -> list[Row[Any]]:
    """The customer's products with their repair count and last repair."""
    return list((await session.execute(_ASSETS, {"customer_id": customer_id})).all())


async def open_tickets(session: AsyncSession, customer_id: int, limit: int) -> tuple[list[Row[Any]], int]:
    rows = (await session.execute(_OPEN_TICKETS, {"customer_id": customer_id, "limit": limit})).all()
    return list(rows), rows[0].total if rows else 0


async def tickets_page(session: AsyncSession, customer_id: int, limit: int, offset: int) -> tuple[list[Row[Any]], int]:
    params = {"customer_id": customer_id, "limit": limit, "offset": offset}
    rows = (await session.execute(_TICKET_PAGE, params)).all()
    if rows:
        return list(rows), rows[0].total
    # Past the last page the window has no row to ride on: ask for the total on its own.
    return [], int((await session.execute(_TICKET_COUNT, params)).scalar_one())


async def ticket_stats(session: AsyncSession, customer_id: int, since: dt.datetime) -> list[Row[Any]]:
    """One row per ticket kind: count, count since `since`, last, rating sum and count, latest rating."""
    return list((await session.execute(_STATS, {"customer_id": customer_id, "since": since})).all())


async def recent_interactions(session: AsyncSession, customer_id: int, limit: int) -> tuple[list[Row[Any]], int]:
    rows = (await session.execute(_INTERACTIONS, {"customer_id": customer_id, "limit": limit})).all()
    return list(rows), rows[0].total if rows else 0


async def purchases(session: AsyncSession, customer_id: int, limit: int) -> list[Row[Any]]:
    """The latest purchases, each row also carrying the lifetime amount, count and last date."""
    return list((await session.execute(_PURCHASES, {"customer_id": customer_id, "limit": limit})).all())
