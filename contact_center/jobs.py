"""Background jobs: arq workers on Redis in production, the same functions on an in-process
scheduler when `REDIS_URL` is unset (the embedded mode)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import clock
from contact_center.counters import JOB_RUNS
from contact_center.sla import escalation
from contact_center.tasks import proactive
from contact_center.tasks import service as task_service

log = logging.getLogger(__name__)
Publish = Callable[[str, bytes], Awaitable[None]]
MailOut = tuple[Any, Any]  # (outbound.SmtpTarget, outbound.Sender)
SWEEP_SECONDS = float(os.environ.get("SLA_SWEEP_SECONDS", "5"))  # escalation latency after a deadline ≤ 2×
FOLLOWUPS_SECONDS = 600.0
NIGHTLY_SECONDS = 6 * 3600.0  # in-process stand-in for the nightly crons: every 6 h
RETRAIN_SECONDS = 7 * 24 * 3600.0


async def run_sweep(sessions: async_sessionmaker[AsyncSession], publish: Publish) -> int:
    """One sweep: escalations and reminders that fell due, each in its own transaction, the notices
    published after the commit."""
    async with sessions() as session, session.begin():
        notices = [(n.channel, n.message) for n in await escalation.sweep(session)]
    async with sessions() as session, session.begin():
        notices += await task_service.due_reminders(session, clock.now())
    for channel, message in notices:
        await publish(channel, msgspec.json.encode(message))
    return len(notices)


async def run_mail_out(sessions: async_sessionmaker[AsyncSession], mail: MailOut) -> dict[str, int]:
    """The e-mail replies that are due, sent (or scheduled again)."""
    from contact_center.mail import outbound

    return await outbound.send_due(sessions, *mail)


async def run_followups(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Creates the proactive call-backs of the day (each once)."""
    async with sessions() as session, session.begin():
        return await proactive.create_followups(session, clock.now())


async def run_retrain(sessions: async_sessionmaker[AsyncSession], models_dir: Path) -> str | None:
    """Retrains the classifier on the tickets as agents categorised them (weekly); None without data."""
    from contact_center.errors import ValidationFailed
    from contact_center.nlp import service as nlp_service

    async with sessions() as session, session.begin():
        try:
            return (await nlp_service.train_and_activate(session, models_dir)).classifier.version
        except ValidationFailed:  # fewer than two categories yet: nothing to learn
            return None


async def run_nightly(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Statistics recomputed once a day: which products customers own together (offers), and every
    customer's value tier from their purchases (routing's VIP priority, the screen-pop)."""
    from contact_center.analytics import service as analytics
    from contact_center.offers import service as offer_service

    async with sessions() as session, session.begin():
        await analytics.refresh_tiers(session, clock.today())
    async with sessions() as session, session.begin():
        return await offer_service.refresh_coownership(session)


_scanning: set[str] = set()  # the databases this process is scanning now
ANNOUNCE_EACH = 20  # more new flags than this in one scan are announced as one summary


def anomaly_scan_running(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """Whether this process is scanning that database for repair anomalies right now."""
    return _database(sessions) in _scanning


def _database(sessions: async_sessionmaker[AsyncSession]) -> str:
    bind = sessions.kw.get("bind")
    return str(bind.url) if bind is not None else ""


async def run_anomaly_scan(
    sessions: async_sessionmaker[AsyncSession], publish: Publish, as_of: dt.date | None = None
) -> int | None:
    """The full repair-anomaly scan as of a day (today in Taipei): every flag stored in one transaction
    (those no longer found are cleared), then each new one announced to supervisors and QA after the
    commit. Returns how many were new; None when a scan of the same database is already running here
    (a manual scan during the scheduled one)."""
    from contact_center import realtime
    from contact_center.analytics import flags
    from contact_center.analytics import service as analytics

    database = _database(sessions)
    if database in _scanning:
        return None
    _scanning.add(database)
    try:
        day = as_of or clock.today()
        async with sessions() as session, session.begin():
            found = flags.from_scan(await analytics.repair_anomalies(session, day, fresh=True))
            new = await flags.record(session, found, day, full_scan=True)
    finally:
        _scanning.discard(database)
    if len(new) <= ANNOUNCE_EACH:
        for flag in new:
            await publish(realtime.SUPERVISORS, msgspec.json.encode(flags.announcement(flag)))
    else:  # a first scan of a big fleet: one message, not hundreds of toasts; screens reload the list
        await publish(realtime.SUPERVISORS, msgspec.json.encode(flags.summary(new)))
    log.info("repair anomaly scan: %d flags, %d new", len(found), len(new))
    return len(new)


async def _periodic(name: str, seconds: float, job: Callable[[], Awaitable[Any]], first_delay: float = 0.0) -> None:
    """Runs `job` after `first_delay`, then every `seconds` until cancelled; a failure is logged and
    retried next time."""
    await asyncio.sleep(first_delay)
    while True:
        try:
            await job()
            JOB_RUNS.labels(name, "ok").inc()
        except Exception:  # the next run tries again; the error is in the log
            JOB_RUNS.labels(name, "failed").inc()
            log.exception("%s failed", name)
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def in_process(
    sessions: async_sessionmaker[AsyncSession],
    publish: Publish,
    every: float = SWEEP_SECONDS,
    models_dir: Path | None = None,
    mail: MailOut | None = None,
) -> Any:
    """The in-process scheduler of the embedded mode: the arq worker's crons, as asyncio tasks."""
    tasks = [
        asyncio.create_task(_periodic("escalation sweep", every, lambda: run_sweep(sessions, publish))),
        asyncio.create_task(_periodic("follow-ups", FOLLOWUPS_SECONDS, lambda: run_followups(sessions))),
        # Not at start: recomputing tiers under a freshly started app would change data it is being
        # given (the demo computes them once while preparing).
        asyncio.create_task(
            _periodic("nightly statistics", NIGHTLY_SECONDS, lambda: run_nightly(sessions), first_delay=NIGHTLY_SECONDS)
        ),
    ]
    # Not at start either: the full scan reads three years of tickets, and a new flag pops up on screens.
    tasks.append(asyncio.create_task(_periodic("repair anomaly scan", NIGHTLY_SECONDS,
                                               lambda: run_anomaly_scan(sessions, publish),
                                               first_delay=NIGHTLY_SECONDS)))  # fmt: skip
    if mail is not None:  # e-mail replies, as often as the sweep
        tasks.append(asyncio.create_task(_periodic("mail out", every, lambda: run_mail_out(sessions, mail))))
    if models_dir is not None:  # the classifier, weekly (the demo trains its first model while preparing)
        tasks.append(asyncio.create_task(_periodic("classifier training", RETRAIN_SECONDS,
                                                   lambda: run_retrain(sessions, models_dir),
                                                   first_delay=RETRAIN_SECONDS)))  # fmt: skip
    try:
        yield tasks[0]
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
