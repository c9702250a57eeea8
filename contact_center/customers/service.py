"""Customers: create, change, find by caller number, and the single customer view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center import phones as phone_numbers
from contact_center.customers import repository
from contact_center.customers import schemas as s
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import Customer, CustomerPhone
from contact_center.pagination import Page, check_window

VALUE_TIERS = ("vip", "gold", "standard", "basic")


def to_schema(customer: Customer) -> s.Customer:
    return s.Customer(
        id=customer.id,
        external_id=customer.external_id,
        name=customer.name,
        phones=[
            s.Phone(e164=p.e164, display=phone_numbers.display(p.e164), raw=p.raw, label=p.label)
            for p in customer.phones
        ],
        emails=list(customer.emails or []),
        birthday=customer.birthday,
        important_dates=list(customer.important_dates or []),
        city=customer.city,
        address=customer.address,
        preferences=customer.preferences,
        taboos=customer.taboos,
        notes=customer.notes,
        value_tier=customer.value_tier,
        customer_since=customer.customer_since,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )


def normalise_phones(numbers: Iterable[s.PhoneIn | str]) -> list[CustomerPhone]:
    """Phone rows for a customer; an invalid number is an error naming it, a repeated one is kept once."""
    rows: dict[str, CustomerPhone] = {}
    for item in numbers:
        raw, label = (item, None) if isinstance(item, str) else (item.number, item.label)
        e164 = phone_numbers.to_e164(raw)
        if e164 is None:
            raise ValidationFailed("not a valid phone number: {raw!r}", raw=raw)
        rows.setdefault(e164, CustomerPhone(e164=e164, raw=raw.strip()[:64], label=label))
    return list(rows.values())


def _check_profile(name: str | None, tier: str | None) -> None:
    if name is not None and not name.strip():
        raise ValidationFailed("name must not be empty")
    if tier is not None and tier not in VALUE_TIERS:
        raise ValidationFailed("value_tier must be one of {choices}", choices=", ".join(VALUE_TIERS))


async def get(session: AsyncSession, customer_id: int) -> Customer:
    customer = await repository.get(session, customer_id)
    if customer is None:
        raise NotFound("no customer {customer_id}", customer_id=customer_id)
    return customer


async def create(session: AsyncSession, data: s.CustomerCreate) -> Customer:
    """Creates a customer with normalised phones."""
    _check_profile(data.name, data.value_tier)
    if data.external_id and await repository.get_by_external_id(session, data.external_id):
        raise ValidationFailed("external_id {external_id!r} is already used", external_id=data.external_id)
    customer = Customer(
        external_id=data.external_id,
        name=data.name.strip(),
        emails=data.emails,
        birthday=data.birthday,
        important_dates=msgspec.to_builtins(data.important_dates),
        city=data.city,
        address=data.address,
        preferences=data.preferences,
        taboos=data.taboos,
        notes=data.notes,
        value_tier=data.value_tier,
        customer_since=clock.today(),
        extra={},
    )
    customer.phones = normalise_phones(data.phones)
    session.add(customer)
    await session.flush()
    return customer


async def update(session: AsyncSession, customer_id: int, data: s.CustomerUpdate) -> Customer:
    """Changes the fields sent; phones, when sent, replace the list."""
    customer = await get(session, customer_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    _check_profile(changes.get("name"), changes.get("value_tier"))
    if "phones" in changes:
        customer.phones = normalise_phones(changes.pop("phones"))
    if "important_dates" in changes:
        changes["important_dates"] = msgspec.to_builtins(changes["important_dates"])
    for key, value in changes.items():
        setattr(customer, key, value.strip() if key == "name" else value)
    await session.flush()
    return customer


async def add_phone(session: AsyncSession, customer_id: int, phone: s.PhoneIn) -> Customer:
    """Adds a number; one the customer already has is not added twice."""
    customer = await get(session, customer_id)
    (row,) = normalise_phones([phone])
    if row.e164 not in {p.e164 for p in customer.phones}:
        customer.phones.append(row)
        await session.flush()
    return customer


async def delete(session: AsyncSession, customer_id: int) -> None:
    """Deletes a customer and what they own; their tickets stay, detached, for the statistics."""
    await repository.delete_customer(session, await get(session, customer_id))


def _identity(rows: Sequence[Any]) -> list[s.Customer]:
    customers: dict[int, s.Customer] = {}
    for row in rows:
        customer = customers.get(row.id)
        if customer is None:
            customer = customers[row.id] = s.Customer(
                id=row.id, external_id=row.external_id, name=row.name, phones=[], emails=list(row.emails or []),
                birthday=row.birthday, important_dates=list(row.important_dates or []), city=row.city,
                address=row.address, preferences=row.preferences, taboos=row.taboos, notes=row.notes,
                value_tier=row.value_tier, customer_since=row.customer_since, created_at=row.created_at,
                updated_at=row.updated_at,
            )  # fmt: skip
        customer.phones.append(
            s.Phone(
                e164=row.phone_e164,
                display=phone_numbers.display(row.phone_e164),
                raw=row.phone_raw,
                label=row.phone_label,
            )
        )
    return list(customers.values())


async def identify(session: AsyncSession, phone: str | None) -> list[s.Customer]:
    """Every customer with this number (the caller-ID path: one query, plain rows)."""
    e164 = phone_numbers.to_e164(phone) if phone else None
    return _identity(await repository.identity_rows(session, e164)) if e164 else []


async def lookup_by_phone(session: AsyncSession, phone: str) -> s.LookupResult:
    """Every customer with this number, however it was written (the same query as caller-ID)."""
    e164 = phone_numbers.to_e164(phone)
    customers = _identity(await repository.identity_rows(session, e164)) if e164 else []
    return s.LookupResult(phone=phone, e164=e164, customers=customers)


async def search(
    session: AsyncSession, *, q: str | None, city: str | None, tier: str | None, limit: int, offset: int
) -> Page[s.Customer]:
    """Customers by name prefix, phone or external id, city and tier."""
    check_window(limit, offset)
    q = q.strip() if q else None
    e164 = phone_numbers.to_e164(q) if q else None
    items, total = await repository.search(session, q=q, e164=e164, city=city, tier=tier, limit=limit, offset=offset)
    return Page(items=[to_schema(c) for c in items], total=total, limit=limit, offset=offset)
