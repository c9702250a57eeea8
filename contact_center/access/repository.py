"""SQL for the access log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import AccessEntry, User


def add(session: AsyncSession, entry: AccessEntry) -> None:
    session.add(entry)


async def search(
    session: AsyncSession,
    *,
    customer_id: int | None,
    user_id: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[tuple[AccessEntry, str | None]], int]:
    conditions = []
    if customer_id is not None:
        conditions.append(AccessEntry.customer_id == customer_id)
    if user_id is not None:
        conditions.append(AccessEntry.user_id == user_id)
    if since is not None:
        conditions.append(AccessEntry.at >= since)
    if until is not None:
        conditions.append(AccessEntry.at < until)
    total = (await session.execute(select(func.count()).select_from(AccessEntry).where(*conditions))).scalar_one()
    query = (
        select(AccessEntry, User.username)
        .outerjoin(User, User.id == AccessEntry.user_id)
        .where(*conditions)
        .order_by(AccessEntry.at.desc(), AccessEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [(entry, username) for entry, username in (await session.execute(query)).all()], total
