"""Escalation: a late ticket climbs each level exactly once — two arq workers racing on Redis and
PostgreSQL, or the in-process scheduler of the embedded mode — and a late imported backlog escalates
on the first sweep."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
from arq import Worker
from arq.connections import RedisSettings, create_pool
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import jobs
from contact_center.models import Ticket, TicketEvent
from contact_center.settings import Settings
from contact_center.sla import escalation
from contact_center.sla import service as sla_service
from contact_center.worker import escalation_sweep, shutdown, startup

LONG_AGO = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


async def _late_ticket(sessions: async_sessionmaker[AsyncSession], *, managed: bool = True) -> int:
    async with sessions() as session, session.begin():
        ticket = Ticket(
            kind="repair", subject="冷氣不冷", priority="normal", created_at=LONG_AGO, extra={}, sla_pauses=[]
        )
        session.add(ticket)
        await session.flush()
        if managed:
            await sla_service.apply(session, ticket)
        return ticket.id


async def _escalations(sessions: async_sessionmaker[AsyncSession], ticket_id: int) -> list[int]:
    async with sessions() as session:
        events = await session.execute(
            select(TicketEvent.data).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "escalated")
        )
        return sorted(int(data["level"]) for data in events.scalars())


async def test_a_late_ticket_climbs_every_level_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket_id = await _late_ticket(sessions)
    async with sessions() as session, session.begin():
        notices = await escalation.sweep(session)
    assert [n.channel for n in notices] == ["supervisors", "supervisors"]  # no owner to warn; breach; re-route
    async with sessions() as session, session.begin():
        assert await escalation.sweep(session) == []
    assert await _escalations(sessions, ticket_id) == [1, 2, 3]
    async with sessions() as session:
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None and ticket.escalation_level == 3 and ticket.next_escalation_at is None
        assert ticket.priority == "high"  # raised at breach + 50 %


async def test_an_imported_backlog_escalates_on_the_first_sweep(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket_id = await _late_ticket(sessions, managed=False)
    async with sessions() as session, session.begin():
        await escalation.sweep(session)
    assert await _escalations(sessions, ticket_id) == [1, 2, 3]


async def test_the_in_process_scheduler_escalates_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket_id = await _late_ticket(sessions)
    published: list[tuple[str, bytes]] = []

    async def publish(channel: str, data: bytes) -> None:
        published.append((channel, data))

    async with jobs.in_process(sessions, publish, every=0.05), jobs.in_process(sessions, publish, every=0.05):
        for _ in range(100):
            if len(await _escalations(sessions, ticket_id)) == 3:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # more sweeps run: they must find nothing left to do
    assert await _escalations(sessions, ticket_id) == [1, 2, 3]
    assert len(published) == 2


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_two_arq_workers_racing_escalate_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database.url)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("CHANNELS_PREFIX", f"test-{uuid.uuid4().hex[:8]}")
    ticket_ids = [await _late_ticket(sessions) for _ in range(20)]
    queue = f"test-escalation-{uuid.uuid4().hex[:8]}"
    redis_settings = RedisSettings(host="127.0.0.1", port=6379)
    pool = await create_pool(redis_settings)
    for n in range(4):
        await pool.enqueue_job("escalation_sweep", _job_id=f"{queue}-{n}", _queue_name=queue)

    def worker() -> Worker:
        return Worker(functions=[escalation_sweep], on_startup=startup, on_shutdown=shutdown, redis_settings=redis_settings,
                      queue_name=queue, burst=True, poll_delay=0.05, handle_signals=False, max_jobs=2)  # fmt: skip

    first, second = worker(), worker()
    await asyncio.gather(first.main(), second.main())
    await first.close()
    await second.close()
    await pool.aclose()
    for ticket_id in ticket_ids:
        assert await _escalations(sessions, ticket_id) == [1, 2, 3]
    async with sessions() as session:
        escalated = (
            await session.execute(select(func.count()).select_from(TicketEvent).where(TicketEvent.kind == "escalated"))
        ).scalar_one()
    assert escalated == 60
