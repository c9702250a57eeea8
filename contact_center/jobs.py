"""Background jobs: arq workers on Redis in production, the same functions on an in-process
scheduler when `REDIS_URL` is unset (the embedded mode)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.sla import escalation
from contact_center.tasks import proactive
from contact_center.tasks import service as task_service

log = logging.getLogger(__name__)
Publish = Callable[[str, bytes], Awaitable[None]]
SWEEP_SECONDS = float(os.environ.get("SLA_SWEEP_SECONDS", "5"))  # escalation latency after a deadline ≤ 2×
FOLLOWUPS_SECONDS = 600.0


async def run_sweep(sessions: async_sessionmaker[AsyncSession], publish: Publish) -> int:
    """One sweep: escalations and reminders that fell due, each in its own transaction, the notices
    published after the commit."""
    async with sessions() as session, session.begin():
        notices = [(n.channel, n.message) for n in await escalation.sweep(session)]
    async with sessions() as session, session.begin():
        notices += await task_service.due_reminders(session, dt.datetime.now(dt.UTC))
    for channel, message in notices:
        await publish(channel, msgspec.json.encode(message))
    return len(notices)


async def run_followups(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Creates the proactive call-backs of the day (each once)."""
    async with sessions() as session, session.begin():
        return await proactive.create_followups(session, dt.datetime.now(dt.UTC))


async def sweep_forever(
    sessions: async_sessionmaker[AsyncSession], publish: Publish, every: float = SWEEP_SECONDS
) -> None:
    """The in-process scheduler: a sweep every `every` seconds until cancelled; a failed sweep is logged."""
    while True:
        try:
            await run_sweep(sessions, publish)
        except Exception:  # the next sweep tries again; the error is in the log
            log.exception("escalation sweep failed")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def in_process(sessions: async_sessionmaker[AsyncSession], publish: Publish, every: float = SWEEP_SECONDS) -> Any:
    task = asyncio.create_task(sweep_forever(sessions, publish, every))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
