"""One definition of "breached": the Python reading (`sla.service.view`, what the API and pages show) and
the SQL one (what the views, filters and the wallboard count) agree on every combination of status,
deadlines, first response and resolution — including a ticket paused past its old deadline."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Ticket
from contact_center.sla import service as sla_service
from contact_center.tickets.workflow import STATUSES

NOW = dt.datetime(2026, 12, 10, 6, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
DUES = (None, NOW - H, NOW + H)
# None, well before either deadline, between them, after both.
ANSWERS = (None, NOW - 3 * H, NOW - H / 2, NOW + H / 2)


async def test_python_and_sql_agree_on_every_combination(sessions: async_sessionmaker[AsyncSession]) -> None:
    combos = list(itertools.product(STATUSES, DUES, DUES, ANSWERS, ANSWERS))
    async with sessions() as session, session.begin():
        for status, response_due, resolution_due, responded, resolved in combos:
            closed = resolved if status == "closed" else None
            session.add(Ticket(
                kind="repair", subject=f"{status}", status=status, first_response_due=response_due,
                resolution_due=resolution_due, first_response_at=responded,
                resolved_at=resolved if status in ("resolved", "closed") else None, closed_at=closed,
                sla_pauses=[[(NOW - 2 * H).isoformat(), None]] if status == "pending" else [], extra={},
            ))  # fmt: skip
    async with sessions() as session:
        tickets = (await session.execute(select(Ticket))).scalars().all()
        in_sql = set((await session.execute(select(Ticket.id).where(sla_service.breached_condition(NOW)))).scalars())
        soon_sql = set((await session.execute(select(Ticket.id).where(sla_service.due_soon_condition(NOW)))).scalars())
    assert len(tickets) == len(combos)
    in_python = {t.id for t in tickets if sla_service.view(t, NOW).breached}
    assert in_python == in_sql
    assert 0 < len(in_sql) < len(tickets)  # the matrix has both kinds
    soon_python = {
        t.id for t in tickets
        if t.status in sla_service.RUNNING and t.id not in in_python
        and (due := sla_service.next_due(t)) is not None and NOW <= due <= NOW + sla_service.DUE_SOON_WITHIN
    }  # fmt: skip
    assert soon_python == soon_sql and soon_sql
    paused = [t for t in tickets if t.status == "pending"]
    # A pending ticket whose resolution deadline passed while it waited is not breached...
    waiting = next(t for t in paused if t.resolution_due == NOW - H and t.first_response_due is None
                   and t.first_response_at is None and t.resolved_at is None)  # fmt: skip
    assert waiting.id not in in_sql
    # ...but the same ticket still open is.
    running = next(t for t in tickets if t.status == "open" and t.resolution_due == NOW - H
                   and t.first_response_due is None and t.first_response_at is None)  # fmt: skip
    assert running.id in in_sql
