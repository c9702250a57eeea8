"""SQL for customers and the single customer view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contact_center.models import Asset, Customer, CustomerPhone, Interaction, Purchase, Ticket, User
from contact_center.tickets.workflow import OPEN_STATUSES


async def get(session: AsyncSession, customer_id: int) -> Customer | None:
    query = select(Customer).options(selectinload(Customer.phones)).where(Customer.id == customer_id)
    return (await session.execute(query)).scalar_one_or_none()


async def get_by_external_id(session: AsyncSession, external_id: str) -> Customer | None:
    query = select(Customer).options(selectinload(Customer.phones)).where(Customer.external_id == external_id)
    return (await session.execute(query)).scalar_one_or_none()


async def find_by_e164(session: AsyncSession, e164: str, limit: int = 20) -> Sequence[Customer]:
    owners = select(CustomerPhone.customer_id).where(CustomerPhone.e164 == e164)
    query = (
        select(Customer)
        .options(selectinload(Customer.phones))
        .where(Customer.id.in_(owners))
        .order_by(Customer.id)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


def _filters(q: str | None, e164: str | None, city: str | None, tier: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if q:
        matches: list[ColumnElement[bool]] = [Customer.name.startswith(q), Customer.external_id == q]
        if e164:
            matches.append(Customer.id.in_(select(CustomerPhone.customer_id).where(CustomerPhone.e164 == e164)))
        conditions.append(or_(*matches))
    if city:
        conditions.append(Customer.city == city)
    if tier:
        conditions.append(Customer.value_tier == tier)
    return conditions


async def search(
    session: AsyncSession,
    *,
    q: str | None,
    e164: str | None,
    city: str | None,
    tier: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Customer], int]:
    conditions = _filters(q, e164, city, tier)
    total = (await session.execute(select(func.count()).select_from(Customer).where(*conditions))).scalar_one()
    query = (
        select(Customer)
        .options(selectinload(Customer.phones))
        .where(*conditions)
        .order_by(Customer.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).scalars().all(), total


async def delete_customer(session: AsyncSession, customer: Customer) -> None:
    await session.delete(customer)  # phones go with it (cascade), tickets stay detached (SET NULL)


async def assets_with_repairs(session: AsyncSession, customer_id: int) -> Sequence[Any]:
    repairs = (
        select(
            Ticket.asset_id,
            func.count().label("repairs"),
            func.max(Ticket.created_at).label("last_repair_at"),
        )
        .where(Ticket.customer_id == customer_id, Ticket.kind == "repair")
        .group_by(Ticket.asset_id)
        .subquery()
    )
    query = (
        select(Asset, func.coalesce(repairs.c.repairs, 0), repairs.c.last_repair_at)
        .outerjoin(repairs, repairs.c.asset_id == Asset.id)
        .where(Asset.customer_id == customer_id)
        .order_by(Asset.installed_on.desc(), Asset.id)
    )
    return (await session.execute(query)).all()


def _tickets_of(customer_id: int) -> Select[tuple[Ticket]]:
    return select(Ticket).where(Ticket.customer_id == customer_id).order_by(Ticket.created_at.desc(), Ticket.id.desc())


async def open_tickets(session: AsyncSession, customer_id: int, limit: int) -> tuple[Sequence[Ticket], int]:
    is_open = Ticket.status.in_(OPEN_STATUSES)
    items = (await session.execute(_tickets_of(customer_id).where(is_open).limit(limit))).scalars().all()
    total = len(items)
    if total == limit:
        count = select(func.count()).where(Ticket.customer_id == customer_id, is_open)
        total = (await session.execute(count)).scalar_one()
    return items, total


async def tickets_page(
    session: AsyncSession, customer_id: int, limit: int, offset: int
) -> tuple[Sequence[Ticket], int]:
    items = (await session.execute(_tickets_of(customer_id).limit(limit).offset(offset))).scalars().all()
    count = select(func.count()).where(Ticket.customer_id == customer_id)
    return items, (await session.execute(count)).scalar_one()


async def ticket_stats(session: AsyncSession, customer_id: int, since: dt.datetime) -> dict[str, Any]:
    """Counts by kind, repairs (all time, since `since`, last), satisfaction average and count."""
    query = (
        select(
            Ticket.kind,
            func.count(),
            func.count().filter(Ticket.created_at >= since),
            func.max(Ticket.created_at),
            func.sum(Ticket.satisfaction),
            func.count(Ticket.satisfaction),
        )
        .where(Ticket.customer_id == customer_id)
        .group_by(Ticket.kind)
    )
    rows = (await session.execute(query)).all()
    kinds = {kind: count for kind, count, *_ in rows}
    repair = next((row for row in rows if row[0] == "repair"), None)
    last_rating = (
        await session.execute(
            select(Ticket.satisfaction)
            .where(Ticket.customer_id == customer_id, Ticket.satisfaction.is_not(None))
            .order_by(Ticket.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    return {
        "kinds": kinds,
        "repairs": repair[1] if repair else 0,
        "repairs_since": int(repair[2] or 0) if repair else 0,
        "last_repair_at": repair[3] if repair else None,
        "rating_sum": sum(int(row[4] or 0) for row in rows),
        "rated": sum(int(row[5]) for row in rows),
        "last_rating": last_rating,
    }


async def recent_interactions(session: AsyncSession, customer_id: int, limit: int) -> tuple[Sequence[Any], int]:
    query = (
        select(Interaction, User.display_name)
        .outerjoin(User, User.id == Interaction.agent_id)
        .where(Interaction.customer_id == customer_id)
        .order_by(Interaction.started_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    total = len(rows)
    if total == limit:
        count = select(func.count()).where(Interaction.customer_id == customer_id)
        total = (await session.execute(count)).scalar_one()
    return rows, total


async def purchases(session: AsyncSession, customer_id: int, limit: int) -> tuple[Sequence[Purchase], Any]:
    recent = (
        select(Purchase).where(Purchase.customer_id == customer_id).order_by(Purchase.purchased_at.desc()).limit(limit)
    )
    totals = select(func.coalesce(func.sum(Purchase.amount), 0), func.count(), func.max(Purchase.purchased_at)).where(
        Purchase.customer_id == customer_id
    )
    return (await session.execute(recent)).scalars().all(), (await session.execute(totals)).one()
