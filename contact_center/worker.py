"""The arq worker (`contact-center worker`): escalation sweeps, the nightly statistics and the repair-anomaly
scan on crons, on Redis; the scan can also be enqueued on demand (`anomaly_scan`)."""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis

from contact_center import jobs
from contact_center.db.session import create_engine, create_session_factory
from contact_center.mail import outbound
from contact_center.settings import load_settings


async def escalation_sweep(ctx: dict[str, Any]) -> int:
    return await jobs.run_sweep(ctx["sessions"], ctx["publish"])


async def followups(ctx: dict[str, Any]) -> int:
    return await jobs.run_followups(ctx["sessions"])


async def nightly(ctx: dict[str, Any]) -> int:
    return await jobs.run_nightly(ctx["sessions"])


async def anomaly_scan(ctx: dict[str, Any]) -> int | None:
    return await jobs.run_anomaly_scan(ctx["sessions"], ctx["publish"])


async def retrain(ctx: dict[str, Any]) -> str | None:
    return await jobs.run_retrain(ctx["sessions"], load_settings().var_dir / "models" / "classifier")


async def mail_out(ctx: dict[str, Any]) -> dict[str, int] | None:
    settings = load_settings()
    mail = outbound.configured(settings.smtp_url, settings.mail_from, settings.mail_addresses)
    return await jobs.run_mail_out(ctx["sessions"], mail) if mail is not None else None


async def startup(ctx: dict[str, Any]) -> None:
    settings = load_settings()
    if not settings.redis_url:
        raise RuntimeError("the worker needs REDIS_URL; without it the app runs the jobs in-process")
    ctx["engine"] = engine = create_engine(settings.database)
    ctx["sessions"] = create_session_factory(engine)
    # The same channels the app's websockets listen to (Litestar's Redis backend, same prefix).
    backend = RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url), key_prefix=settings.channels_prefix)

    async def publish(channel: str, data: bytes) -> None:
        await backend.publish(data, [channel])

    ctx["publish"] = publish


async def shutdown(ctx: dict[str, Any]) -> None:
    if "engine" in ctx:
        await ctx["engine"].dispose()


def redis_settings() -> RedisSettings:
    url = load_settings().redis_url
    return RedisSettings.from_dsn(url) if url else RedisSettings()


class WorkerSettings:
    functions: ClassVar[list[Any]] = [escalation_sweep, followups, nightly, anomaly_scan, retrain, mail_out]
    # Every 5 s; `unique` keeps two workers from running the same cron tick (the sweep is idempotent anyway).
    cron_jobs: ClassVar[list[Any]] = [
        cron(escalation_sweep, second=set(range(0, 60, 5)), unique=True),
        cron(mail_out, second=set(range(2, 60, 5)), unique=True, timeout=600),  # sends are at most BATCH × 30 s
        cron(followups, minute={0, 30}, second=0, unique=True),
        cron(nightly, hour={19}, minute={15}, second=0, unique=True),  # 03:15 in Taipei for a worker on UTC
        # 03:30 in Taipei, after the tiers; ~12 s over 1M tickets, so the timeout only catches a hang.
        cron(anomaly_scan, hour={19}, minute={30}, second=0, unique=True, timeout=1800),
        cron(retrain, weekday={5}, hour={18}, minute={0}, second=0, unique=True, timeout=3600),  # Sun 02:00 Taipei
    ]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
