"""SQL of the stored repair flags."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import RepairFlag

_CHUNK = 500  # keys or rows per statement: far below SQLite's 32,766 bound parameters


async def by_subjects(session: AsyncSession, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], RepairFlag]:
    """The stored flags of these (kind, subject) keys, locked until the commit (on PostgreSQL), so two
    checks of the same unit at once do not both reopen it."""
    found: dict[tuple[str, str], RepairFlag] = {}
    by_kind: dict[str, list[str]] = {}
    for kind, subject in keys:
        by_kind.setdefault(kind, []).append(subject)
    for kind, subjects in by_kind.items():
        for start in range(0, len(subjects), _CHUNK):
            query = (
                select(RepairFlag)
                .where(RepairFlag.kind == kind, RepairFlag.subject.in_(subjects[start : start + _CHUNK]))
                .order_by(RepairFlag.id)  # locked in id order, like `standing`: two scans at once queue up
                .with_for_update()
            )
            found.update({(row.kind, row.subject): row for row in (await session.scalars(query)).all()})
    return found


async def standing(session: AsyncSession) -> list[RepairFlag]:
    """Every flag not cleared (open or acknowledged), locked until the commit (on PostgreSQL)."""
    query = select(RepairFlag).where(RepairFlag.status != "cleared").order_by(RepairFlag.id).with_for_update()
    return list((await session.scalars(query)).all())


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[RepairFlag]:
    """Inserts the rows whose (kind, subject) is not stored yet; a row another transaction stored
    meanwhile is skipped (that one announces it), not an error."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    added: list[RepairFlag] = []
    for start in range(0, len(rows), _CHUNK):
        statement = (
            insert(RepairFlag)
            .values(list(rows[start : start + _CHUNK]))
            .on_conflict_do_nothing(index_elements=["kind", "subject"])
            .returning(RepairFlag)
        )
        added.extend((await session.scalars(statement)).all())
    return added


async def get(session: AsyncSession, flag_id: int) -> RepairFlag | None:
    return await session.get(RepairFlag, flag_id)


async def page(
    session: AsyncSession, status: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[RepairFlag], int]:
    """Flags, newest first (by when they were first flagged), with the total of the filter."""
    where = []
    if status is not None:
        where.append(RepairFlag.status == status)
    if kind is not None:
        where.append(RepairFlag.kind == kind)
    total = (await session.execute(select(func.count()).select_from(RepairFlag).where(*where))).scalar_one()
    query = (
        select(RepairFlag)
        .where(*where)
        .order_by(RepairFlag.first_flagged_on.desc(), RepairFlag.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list((await session.scalars(query)).all()), int(total)


async def standing_units_of(session: AsyncSession, customer_id: int) -> list[RepairFlag]:
    """The customer's units flagged and not cleared (one indexed lookup, on the screen-pop path)."""
    query = select(RepairFlag).where(
        RepairFlag.customer_id == customer_id, RepairFlag.kind == "unit", RepairFlag.status != "cleared"
    )
    return list((await session.scalars(query)).all())
