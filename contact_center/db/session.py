"""Engine and session factory for the configured database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from contact_center.settings import DatabaseSettings


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # WAL lets the demo's readers run while the importer or a job writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(settings: DatabaseSettings) -> AsyncEngine:
    if settings.backend == "sqlite":
        engine = create_async_engine(settings.url, echo=settings.echo)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # JIT compilation pays off for long analytical queries; on the desk's short ones it only adds tens of
    # milliseconds whenever a large table makes a plan look expensive (measured by bench/search.py).
    return create_async_engine(settings.url, echo=settings.echo, pool_size=settings.pool_size, max_overflow=10,
                               pool_recycle=1800, connect_args={"server_settings": {"jit": "off"}})  # fmt: skip


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
