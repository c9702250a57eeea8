"""The access log: every opening of a customer's record by staff, kept and searchable by admins."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.access import repository
from contact_center.models import AccessEntry
from contact_center.pagination import Page, check_window


class Access(msgspec.Struct):
    id: int
    at: dt.datetime
    user_id: int | None
    username: str | None
    customer_id: int
    via: str
    address: str | None


def record(session: AsyncSession, user_id: int | None, customer_id: int, via: str, address: str | None) -> None:
    """Notes that this user saw this customer's record; written with the request's own transaction."""
    repository.add(session, AccessEntry(user_id=user_id, customer_id=customer_id, via=via[:120],
                                        address=(address or "")[:64] or None))  # fmt: skip


async def search(
    session: AsyncSession,
    *,
    customer_id: int | None = None,
    user_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Access]:
    """Who saw what, newest first; by customer, by user, by period."""
    check_window(limit, offset)
    rows, total = await repository.search(session, customer_id=customer_id, user_id=user_id, since=since,
                                          until=until, limit=limit, offset=offset)  # fmt: skip
    items = [Access(id=e.id, at=e.at, user_id=e.user_id, username=username, customer_id=e.customer_id, via=e.via,
                    address=e.address) for e, username in rows]  # fmt: skip
    return Page(items=items, total=total, limit=limit, offset=offset)
