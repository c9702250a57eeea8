"""SQL for customers and the single customer view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from contact_center.models import Customer, CustomerPhone


async def get(session: AsyncSession, customer_id: int) -> Customer | None:
    query = select(Customer).options(joinedload(Customer.phones)).where(Customer.id == customer_id)
    return (await session.execute(query)).unique().scalar_one_or_none()


async def get_by_external_id(session: AsyncSession, external_id: str) -> Customer | None:
    query = select(Customer).options(selectinload(Customer.phones)).where(Customer.external_id == external_id)
    return (await session.execute(query)).scalar_one_or_none()


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


_customer = Customer.__table__
_phone = CustomerPhone.__table__
_IDENTITY = (
    select(_customer, _phone.c.e164.label("phone_e164"), _phone.c.raw.label("phone_raw"),
           _phone.c.label.label("phone_label"))
    .join(_phone, _phone.c.customer_id == _customer.c.id)
    .where(_customer.c.id.in_(
        select(_phone.c.customer_id).where(_phone.c.e164 == bindparam("e164")).order_by(_phone.c.customer_id)
        .limit(bindparam("limit"))
    ))
    .order_by(_customer.c.id, _phone.c.id)
)  # fmt: skip


async def identity_rows(session: AsyncSession, e164: str, limit: int = 20) -> Sequence[Any]:
    """The customers with this number, one row per phone of theirs: plain rows, no ORM objects
    (the caller-ID path runs this for every call)."""
    return (await session.execute(_IDENTITY, {"e164": e164, "limit": limit})).all()
