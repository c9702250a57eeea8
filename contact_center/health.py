"""GET /health: is the app up, and on which backends."""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
from litestar import Request, get
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import public
from contact_center.calls.stats import CtiStats
from contact_center.settings import Settings


class CtiIntake(msgspec.Struct):
    """Call events this process took in since it started; `ok` false while a writer is down or events
    wait for the database."""

    ok: bool
    received: int
    acknowledged: int
    duplicates: int
    rejected: int
    truncated: int
    malformed: int
    writer_restarts: int
    writers_down: int
    retrying: int
    last_error: str | None


class Health(msgspec.Struct):
    status: str
    database: str
    database_ok: bool
    channels: str
    # False while Redis (the channels between instances) does not answer: realtime frames wait.
    channels_ok: bool
    jobs: str
    version: str
    cti: CtiIntake


@get("/health", guards=[public], tags=["health"], status_code=HTTP_200_OK)
async def health(request: Request[Any, Any, Any], db_session: AsyncSession) -> Health:
    """Liveness and the configured backends (database, channels, jobs)."""
    settings: Settings = request.app.state.settings
    try:
        await db_session.execute(text("SELECT 1"))
        db_ok = True
    except Exception:  # noqa: BLE001  (health reports the failure instead of raising it)
        db_ok = False
    stats: CtiStats = request.app.state.call_desk.stats
    cti = CtiIntake(ok=stats.healthy, **{k: v for k, v in dataclasses.asdict(stats).items()})
    redis = request.app.state.redis_channels
    channels_ok = redis is None or bool(redis.connected)
    return Health(
        status="ok" if db_ok and cti.ok and channels_ok else "degraded",
        database=settings.database.backend,
        database_ok=db_ok,
        channels=settings.channels_backend,
        channels_ok=channels_ok,
        jobs=settings.jobs_backend,
        version="0.1.0",
        cti=cti,
    )
