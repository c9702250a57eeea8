"""Keeps the wallboards of this process live: a fresh snapshot to every supervisor socket held here,
at once after a change (a call event, an escalation) and at least every second (waits keep growing)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.wallboard import service as wallboard_service

log = logging.getLogger(__name__)
Sender = Callable[[bytes], Awaitable[None]]
REFRESH_SECONDS = 1.0


class WallboardFeed:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._screens: set[Sender] = set()
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    def attach(self, send: Sender) -> None:
        self._screens.add(send)
        self._changed.set()

    def detach(self, send: Sender) -> None:
        self._screens.discard(send)

    async def snapshot(self) -> bytes:
        async with self._sessions() as session:
            return msgspec.json.encode(await wallboard_service.snapshot(session))

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), REFRESH_SECONDS)
            self._changed.clear()
            if not self._screens:
                continue
            try:
                data = await self.snapshot()
            except Exception:  # the next tick tries again; the error is in the log
                log.exception("wallboard snapshot failed")
                continue
            for send in list(self._screens):
                with contextlib.suppress(Exception):  # a closing socket: its handler detaches it
                    await send(data)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
