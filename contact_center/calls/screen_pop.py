"""The screen-pop: who is calling and everything we know about them, built before the phone rings.

The caller is known when the call enters the queue, usually seconds before it rings at an agent,
so the pop is built then and kept in `PopCache`; the ringing event only has to send it.
"""

from __future__ import annotations

import time
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
    """(source, call_id) → the caller match, for the life of a call (bounded in size and time)."""

    def __init__(self, ttl: float = POP_CACHE_SECONDS, size: int = 5000) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: dict[tuple[str, str], tuple[float, CallerMatch]] = {}

    def get(self, key: tuple[str, str]) -> CallerMatch | None:
        entry = self._entries.get(key)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, key: tuple[str, str], match: CallerMatch) -> None:
        if len(self._entries) >= self._size:
            now = time.monotonic()
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            if len(self._entries) >= self._size:
                self._entries.clear()
        self._entries[key] = (time.monotonic() + self._ttl, match)

    def forget(self, key: tuple[str, str]) -> None:
        self._entries.pop(key, None)


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
    match = cache.get(key)
    if match is None:
        match = await match_caller(session, call.caller)
        cache.put(key, match)
    return match


def to_schema(call: Call) -> s.Call:
    return s.Call(**{f: getattr(call, f) for f in s.Call.__struct_fields__})


def pop(call: Call, match: CallerMatch) -> s.ScreenPop:
    return s.ScreenPop(call=to_schema(call), match=match.match, customers=match.customers, history=match.history)
