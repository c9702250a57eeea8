"""SQL for calls and their timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Call, CallEvent, Disposition, Interaction, User

LIVE_STATES = ("offered", "ringing", "answered")


async def record_event(
    session: AsyncSession,
    event_id: str,
    event_type: str,
    at: dt.datetime,
    extension: str | None,
    data: dict[str, Any],
    call_row_id: int | None = None,
) -> int | None:
    """Stores a timeline entry; None when this event id was stored before (a re-send)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(CallEvent)
        .values(event_id=event_id, type=event_type, at=at, extension=extension, data=data, call_row_id=call_row_id)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(CallEvent.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def link_event(session: AsyncSession, event_row_id: int, call_row_id: int) -> None:
    await session.execute(update(CallEvent).where(CallEvent.id == event_row_id).values(call_row_id=call_row_id))


async def get_call(session: AsyncSession, source: str, call_id: str, *, for_update: bool = False) -> Call | None:
    query = select(Call).where(Call.source == source, Call.call_id == call_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_call_by_row(session: AsyncSession, row_id: int, *, for_update: bool = False) -> Call | None:
    return await session.get(Call, row_id, with_for_update=for_update)


async def agent_for_extension(session: AsyncSession, extension: str) -> User | None:
    query = select(User).where(User.extension == extension, User.is_active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


async def live_calls_at(session: AsyncSession, extension: str) -> Sequence[Call]:
    query = (
        select(Call)
        .where(Call.extension == extension, Call.state.in_(("ringing", "answered")))
        .order_by(Call.offered_at.desc())
        .limit(5)
    )
    return (await session.execute(query)).scalars().all()


async def open_calls(session: AsyncSession, source: str, *, before: dt.datetime) -> Sequence[Call]:
    """Calls of this PBX that have not ended, offered before the given moment, oldest first."""
    query = (
        select(Call)
        .where(Call.source == source, Call.ended_at.is_(None), Call.offered_at <= before)
        .order_by(Call.offered_at)
        .with_for_update()
    )
    return (await session.execute(query)).scalars().all()


async def timeline(session: AsyncSession, call_row_id: int) -> Sequence[CallEvent]:
    query = select(CallEvent).where(CallEvent.call_row_id == call_row_id).order_by(CallEvent.at, CallEvent.id)
    return (await session.execute(query)).scalars().all()


async def calls_page(
    session: AsyncSession, customer_id: int | None, state: str | None, limit: int, offset: int
) -> tuple[Sequence[Call], int]:
    conditions = []
    if customer_id is not None:
        conditions.append(Call.customer_id == customer_id)
    if state is not None:
        conditions.append(Call.state == state)
    total = (await session.execute(select(func.count()).select_from(Call).where(*conditions))).scalar_one()
    query = select(Call).where(*conditions).order_by(Call.offered_at.desc(), Call.id.desc()).limit(limit).offset(offset)
    return (await session.execute(query)).scalars().all(), total


async def dispositions(session: AsyncSession, active_only: bool) -> Sequence[Disposition]:
    query = select(Disposition).order_by(Disposition.position, Disposition.id)
    if active_only:
        query = query.where(Disposition.active.is_(True))
    return (await session.execute(query)).scalars().all()


async def disposition_by_code(session: AsyncSession, code: str) -> Disposition | None:
    return (await session.execute(select(Disposition).where(Disposition.code == code))).scalar_one_or_none()


async def contacts_of_call(session: AsyncSession, call_id: str) -> Sequence[Interaction]:
    return (await session.execute(select(Interaction).where(Interaction.call_id == call_id))).scalars().all()
