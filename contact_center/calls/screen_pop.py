"""The screen-pop: who is calling and everything we know about them, built before the phone rings.

The caller is known when the call enters the queue, usually seconds before it rings at an agent,
so the pop is built then and kept in `PopCache`; the ringing event only has to send it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.calls import schemas as s
from contact_center.customers import history as customer_history
from contact_center.customers import schemas as customer_schemas
from contact_center.customers import service as customer_service
from contact_center.models import Call

POP_CACHE_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class CallerMatch:
    match: str
    customers: list[customer_schemas.Customer]
    history: customer_schemas.CustomerHistory | None


class PopCache:
    """(source, call_id) → the caller match for the life of a call, bounded in size and time.

    A match may still be in the making (`warm` started it when the call was offered): readers await it.
    The cache also remembers the last committed state of each call (`snapshot`) and which agents were
    already popped, so the ringing event can pop at once, before its own write."""

    def __init__(self, ttl: float = POP_CACHE_SECONDS, size: int = 5000) -> None:
        self._ttl = ttl
        self._size = size
        self._matches: dict[tuple[str, str], tuple[float, asyncio.Future[CallerMatch]]] = {}
        self.snapshots: dict[tuple[str, str], s.Call] = {}
        self.popped: set[tuple[str, str, str]] = set()

    def _evict(self) -> None:
        now = time.monotonic()
        expired = [k for k, (until, _) in self._matches.items() if until <= now]
        for key in expired if len(self._matches) >= self._size else []:
            self.forget(key)
        if len(self._matches) >= self._size:
            self._matches.clear()
            self.snapshots.clear()
            self.popped.clear()

    def warm(self, key: tuple[str, str], make: Callable[[], Awaitable[CallerMatch]]) -> None:
        """Starts building the match in the background unless it is known or under way."""
        if key in self._matches:
            return
        self._evict()
        future: asyncio.Future[CallerMatch] = asyncio.ensure_future(make())

        def drop_if_failed(done: asyncio.Future[CallerMatch]) -> None:
            if done.cancelled() or done.exception() is not None:
                self._matches.pop(key, None)  # the next reader builds the match itself

        future.add_done_callback(drop_if_failed)
        self._matches[key] = (time.monotonic() + self._ttl, future)

    async def get(self, key: tuple[str, str]) -> CallerMatch | None:
        entry = self._matches.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        try:
            return await asyncio.shield(entry[1])
        except Exception:  # noqa: BLE001  (the caller computes the match itself)
            return None

    def put(self, key: tuple[str, str], match: CallerMatch) -> None:
        self._evict()
        future: asyncio.Future[CallerMatch] = asyncio.get_running_loop().create_future()
        future.set_result(match)
        self._matches[key] = (time.monotonic() + self._ttl, future)

    def forget(self, key: tuple[str, str]) -> None:
        self._matches.pop(key, None)
        self.snapshots.pop(key, None)
        self.popped = {p for p in self.popped if p[:2] != key}


async def match_caller(session: AsyncSession, caller: str | None) -> CallerMatch:
    """Every customer with the caller's number; the full history when there is exactly one."""
    found = await customer_service.lookup_by_phone(session, caller) if caller else None
    customers = found.customers if found else []
    if len(customers) == 1:
        history = await customer_history.history(session, customers[0].id)
        return CallerMatch("single", customers, history)
    return CallerMatch("several" if customers else "unknown", customers, None)


async def caller_match(session: AsyncSession, call: Call, cache: PopCache) -> CallerMatch:
    key = (call.source, call.call_id)
    match = await cache.get(key)
    if match is None:
        match = await match_caller(session, call.caller)
        cache.put(key, match)
    return match


def to_schema(call: Call) -> s.Call:
    return s.Call(**{f: getattr(call, f) for f in s.Call.__struct_fields__})


def pop(call: Call, match: CallerMatch) -> s.ScreenPop:
    return s.ScreenPop(call=to_schema(call), match=match.match, customers=match.customers, history=match.history)


class AgentDirectory:
    """Extension → the agent's user id, remembered for a short while (the ringing path asks it per call)."""

    def __init__(self, ttl: float = 30.0) -> None:
        self._ttl = ttl
        self._entries: dict[str, tuple[float, int | None]] = {}

    def get(self, extension: str) -> tuple[bool, int | None]:
        entry = self._entries.get(extension)
        if entry is None or entry[0] <= time.monotonic():
            return False, None
        return True, entry[1]

    def put(self, extension: str, user_id: int | None) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[extension] = (time.monotonic() + self._ttl, user_id)
