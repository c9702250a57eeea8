"""The screen-pop: who is calling and everything we know about them, built before the phone rings.

The caller is known when the call enters the queue, usually seconds before it rings at an agent,
so the pop is built then and kept in `PopCache`; the ringing event only has to send it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import phones
from contact_center.calls import repository
from contact_center.calls import schemas as s
from contact_center.customers import history as customer_history
from contact_center.customers import schemas as customer_schemas
from contact_center.customers import service as customer_service
from contact_center.models import Call

POP_CACHE_SECONDS = 600.0
HISTORY_DEFER_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class CallerMatch:
    match: str
    customers: list[customer_schemas.Customer]
    history: customer_schemas.CustomerHistory | None


Key = tuple[str, str]  # (source, call_id)
Identify = Callable[[], Awaitable[CallerMatch]]
Complete = Callable[[CallerMatch], Awaitable[CallerMatch]]


class AgentDirectory:
    """Extension → the agent's user id, remembered for a short while: every ringing, answer and hangup asks
    it, and a user's extension changes seldom (a change reaches calls within `ttl` seconds)."""

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

    async def user_id(self, session: AsyncSession, extension: str) -> int | None:
        known, user_id = self.get(extension)
        if not known:
            user = await repository.agent_for_extension(session, extension)
            user_id = user.id if user is not None else None
            self.put(extension, user_id)
        return user_id


class PopCache:
    """(source, call_id) → the caller match for the life of a call, bounded in size and time.

    Two stages, both started when the call is first seen (`warm`): the identity (who has this
    number: one quick lookup) and the complete match (the history of a single customer). Readers
    await whichever they need; a failed stage is dropped and rebuilt by the next reader.
    `snapshots` keeps each call's last committed state; `first_pops` the (call, extension) pairs
    that got the early identity pop."""

    def __init__(self, ttl: float = POP_CACHE_SECONDS, size: int = 5000) -> None:
        self._ttl = ttl
        self._size = size
        self._identities: dict[Key, tuple[float, asyncio.Future[CallerMatch]]] = {}
        self._matches: dict[Key, tuple[float, asyncio.Future[CallerMatch]]] = {}
        self.snapshots: dict[Key, s.Call] = {}
        self.first_pops: set[tuple[str, str, str]] = set()
        self._rung: dict[Key, asyncio.Event] = {}
        self.agents = AgentDirectory()

    def _evict(self) -> None:
        if len(self._matches) < self._size:
            return
        now = time.monotonic()
        for key in [k for k, (until, _) in self._matches.items() if until <= now]:
            self.forget(key)
        if len(self._matches) >= self._size:
            self._rung.clear()
            self._identities.clear()
            self._matches.clear()
            self.snapshots.clear()
            self.first_pops.clear()

    def _store(self, table: dict[Key, tuple[float, asyncio.Future[CallerMatch]]], key: Key,
               future: asyncio.Future[CallerMatch]) -> None:  # fmt: skip
        def drop_if_failed(done: asyncio.Future[CallerMatch]) -> None:
            if (done.cancelled() or done.exception() is not None) and table.get(key, (0, None))[1] is done:
                table.pop(key, None)

        future.add_done_callback(drop_if_failed)
        table[key] = (time.monotonic() + self._ttl, future)

    def warm(self, key: Key, identify: Identify, complete: Complete) -> None:
        """Starts both stages in the background unless they are known or under way."""
        if key in self._matches:
            return
        self._evict()
        identity = asyncio.ensure_future(identify())
        rung = self._rung.setdefault(key, asyncio.Event())

        async def whole() -> CallerMatch:
            found = await asyncio.shield(identity)
            # The history waits until the first pop is out (or a moment has passed): on a busy desk
            # the callers being identified must not queue behind the histories being built.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rung.wait(), HISTORY_DEFER_SECONDS)
            return await complete(found)

        self._store(self._identities, key, identity)
        self._store(self._matches, key, asyncio.ensure_future(whole()))

    @staticmethod
    async def _await(table: dict[Key, tuple[float, asyncio.Future[CallerMatch]]], key: Key) -> CallerMatch | None:
        entry = table.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        try:
            return await asyncio.shield(entry[1])
        except Exception:  # noqa: BLE001  (the reader computes the match itself)
            return None

    def first_pop_sent(self, key: Key) -> None:
        self._rung.setdefault(key, asyncio.Event()).set()

    async def identity(self, key: Key) -> CallerMatch | None:
        return await self._await(self._identities, key)

    async def get(self, key: Key) -> CallerMatch | None:
        return await self._await(self._matches, key)

    def put(self, key: Key, match: CallerMatch) -> None:
        self._evict()
        future: asyncio.Future[CallerMatch] = asyncio.get_running_loop().create_future()
        future.set_result(match)
        self._store(self._matches, key, future)
        if key not in self._identities:
            self._store(self._identities, key, future)

    def put_identity(self, key: Key, identity: CallerMatch) -> None:
        self._evict()
        future: asyncio.Future[CallerMatch] = asyncio.get_running_loop().create_future()
        future.set_result(identity)
        self._store(self._identities, key, future)

    def forget(self, key: Key) -> None:
        self._rung.pop(key, None)
        self._identities.pop(key, None)
        self._matches.pop(key, None)
        self.snapshots.pop(key, None)
        self.first_pops = {p for p in self.first_pops if p[:2] != key}


async def identify_caller(session: AsyncSession, caller: str | None) -> CallerMatch:
    """Every customer with the caller's number (one indexed lookup), without their history."""
    customers = await customer_service.identify(session, caller)
    kind = "single" if len(customers) == 1 else "several" if customers else "unknown"
    return CallerMatch(kind, customers, None)


async def complete_match(session: AsyncSession, identity: CallerMatch) -> CallerMatch:
    """The identity plus the single customer's full history."""
    if identity.match != "single":
        return identity
    history = await customer_history.history(session, identity.customers[0].id)
    return CallerMatch("single", identity.customers, history)


async def match_caller(session: AsyncSession, caller: str | None) -> CallerMatch:
    """Every customer with the caller's number; the full history when there is exactly one."""
    return await complete_match(session, await identify_caller(session, caller))


def other_party(call: Call | s.Call) -> str | None:
    """Who calls in, or whom an agent calls out to."""
    return call.dialled if call.direction == "out" and call.dialled else call.caller


async def caller_match(session: AsyncSession, call: Call | s.Call, cache: PopCache) -> CallerMatch:
    """Who is calling, with the single customer's history."""
    key = (call.source, call.call_id)
    match = await cache.get(key)
    if match is None:
        match = await match_caller(session, other_party(call))
        cache.put(key, match)
    return match


async def caller_identity(session: AsyncSession, call: Call, cache: PopCache) -> CallerMatch:
    """Who is calling, without the history: what storing the call needs."""
    key = (call.source, call.call_id)
    identity = await cache.identity(key)
    if identity is None:
        identity = await identify_caller(session, other_party(call))
        cache.put_identity(key, identity)
    return identity


def caller_display(e164: str | None, raw: str | None) -> str | None:
    return phones.display(e164) if e164 else raw


def to_schema(call: Call) -> s.Call:
    fields = {f: getattr(call, f) for f in s.Call.__struct_fields__ if f not in ("caller_display", "wrap_up")}
    wrap_up = (call.extra or {}).get("wrap_up")
    return s.Call(**fields, caller_display=caller_display(call.caller_e164, call.caller),
                  wrap_up=msgspec.convert(wrap_up, s.WrapUp) if wrap_up else None)  # fmt: skip


def pop(call: Call | s.Call, match: CallerMatch, *, complete: bool = True) -> s.ScreenPop:
    view = call if isinstance(call, s.Call) else to_schema(call)
    return s.ScreenPop(
        call=view, match=match.match, customers=match.customers, history=match.history, complete=complete
    )


async def live_pops(session: AsyncSession, extension: str, cache: PopCache) -> list[s.ScreenPop]:
    """The complete pops of the calls ringing or up at this extension: what a desktop that (re)connects,
    or that missed frames while Redis was away, must show."""
    calls = await repository.live_calls_at(session, extension)
    return [pop(call, await caller_match(session, call, cache)) for call in calls]
