"""Builders for test data: short calls that say what a test needs, committed for real."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.auth import service as auth_service


async def make_user(
    sessions: async_sessionmaker[AsyncSession], role: str, name: str | None = None, **kwargs: Any
) -> tuple[int, str]:
    """A committed user of `role` and a bearer token for them."""
    username = name or f"{role}-{uuid.uuid4().hex[:6]}"
    async with sessions() as s, s.begin():
        user = await auth_service.add_user(s, username, role, **kwargs)
        token = await auth_service.create_token(s, username)
    return user.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


T = TypeVar("T")


def run_in_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to completion from sync code that may sit inside a running loop (Playwright's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def repair_fleet(sessions: async_sessionmaker[AsyncSession], as_of: dt.date, units: int = 300) -> dict[str, int]:
    """`units` RAC-28NK air-conditioners of one customer with 0-3 repairs in the three years up to `as_of`,
    and LEMON with 12 (one a quarter): the lemon is flagged as of `as_of`, the others are not. Returns the
    asset ids by external id, and the owner as "customer"."""
    from contact_center.models import Asset, Customer, Ticket

    start = as_of - dt.timedelta(days=3 * 365 - 20)
    span = (as_of - start).days
    ids: dict[str, int] = {}
    async with sessions() as s, s.begin():
        customer = Customer(name="車隊", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        ids["customer"] = customer.id
        for u in range(units + 1):
            name = "LEMON" if u == units else f"U{u:03d}"
            asset = Asset(customer_id=customer.id, external_id=name, product_model="RAC-28NK",
                          installed_on=as_of.replace(year=as_of.year - 6), extra={})  # fmt: skip
            s.add(asset)
            await s.flush()
            ids[name] = asset.id
            if name == "LEMON":
                days = [start + dt.timedelta(days=90 * k + 5) for k in range(12)]
            else:
                count = (0, 0, 1, 1, 1, 2, 2, 3)[u % 8]
                days = [start + dt.timedelta(days=(u * 53 + j * (span // max(count, 1))) % span) for j in range(count)]
            for day in days:
                at = dt.datetime.combine(day, dt.time(10), dt.timezone(dt.timedelta(hours=8)))
                s.add(Ticket(customer_id=customer.id, asset_id=asset.id, kind="repair", subject="冷氣不冷",
                             status="closed", created_at=at, extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
    return ids
