"""Ingesting call events end to end: one transaction per event, publish after commit.

The screen-pop is on the clock, so the call desk does two things as soon as an event *arrives*,
before it waits its turn to be written: it starts identifying the caller (and building the history)
when a call is first seen, and when the call rings at an agent it sends that agent a first pop as
soon as the caller is identified — who is calling, from customers already committed. The complete
pop (with history and the call's row) follows once the ringing event is written.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence

import msgspec
from litestar.channels import ChannelsPlugin
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import phones, realtime
from contact_center.calls import schemas as s
from contact_center.calls import service as call_service
from contact_center.calls.screen_pop import (
    CallerMatch,
    Key,
    PopCache,
    caller_display,
    caller_match,
    complete_match,
    identify_caller,
    pop,
    to_schema,
)
from contact_center.calls.stats import CtiStats
from contact_center.db.failures import describe, passing
from cti_bridge import contract as c

log = logging.getLogger(__name__)
RETRY_MAX_SECONDS = 5.0


class EventRejected(Exception):
    """An event the app can never store: acknowledged as rejected, so the stream goes on without it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass
class CallDesk:
    """What the call pipeline keeps between events: sessions, channels and its caches."""

    sessions: async_sessionmaker[AsyncSession]
    channels: ChannelsPlugin
    # Read-only work on the pop path runs without BEGIN/ROLLBACK: two round trips fewer per lookup.
    reads: async_sessionmaker[AsyncSession] | None = None
    on_change: Callable[[], None] | None = None  # the wallboard wants to know
    pops: PopCache = dataclasses.field(default_factory=PopCache)
    stats: CtiStats = dataclasses.field(default_factory=CtiStats)
    local: realtime.LocalDelivery = dataclasses.field(default_factory=realtime.LocalDelivery)
    _first_seen: dict[Key, c.CallEvent] = dataclasses.field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = dataclasses.field(default_factory=set)
    # A call whose complete pop waits for its history: the call's later messages queue behind it.
    _publishing: dict[Key, asyncio.Task[None]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reads is None:
            self.reads = self.sessions

    async def _identify(self, caller: str) -> CallerMatch:
        assert self.reads is not None
        async with self.reads() as session:
            return await identify_caller(session, caller)

    async def _complete(self, identity: CallerMatch) -> CallerMatch:
        if identity.match != "single":
            return identity
        assert self.reads is not None
        async with self.reads() as session:
            return await complete_match(session, identity)

    async def _agent_id(self, extension: str) -> int | None:
        known, user_id = self.pops.agents.get(extension)
        if known:
            return user_id
        assert self.reads is not None
        async with self.reads() as session:
            return await self.pops.agents.user_id(session, extension)

    def received(self, event: c.CallEvent) -> None:
        """Called the moment an event arrives: start what the screen-pop will need."""
        self.stats.received += 1
        if event.truncated:
            self.stats.truncated += 1
            log.warning(
                "cti: event %s arrived with %s cut to the contract's bounds", event.id, ", ".join(event.truncated)
            )
        key = (event.source, event.call_id)
        caller = getattr(event, "caller", None)
        if isinstance(event, c.CallOffered | c.CallRinging) and caller:
            if len(self._first_seen) > 5000:
                self._first_seen.clear()
            self._first_seen.setdefault(key, event)
            self.pops.warm(key, lambda: self._identify(caller), self._complete)
        if isinstance(event, c.CallRinging) and event.direction == "in":
            task = asyncio.create_task(self._first_pop(event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _provisional(self, event: c.CallRinging, agent_id: int) -> s.Call:
        key = (event.source, event.call_id)
        if (snapshot := self.pops.snapshots.get(key)) is not None:
            return msgspec.structs.replace(snapshot, state="ringing", extension=event.extension, agent_id=agent_id)
        first = self._first_seen.get(key, event)
        return s.Call(
            id=0, call_id=event.call_id, source=event.source, direction="in", state="ringing",
            offered_at=dt.datetime.fromtimestamp(first.at, dt.UTC), caller=event.caller,
            caller_e164=phones.to_e164(event.caller), caller_name=event.caller_name,
            dialled=event.dialled or getattr(first, "dialled", None),
            queue=event.queue or getattr(first, "queue", None),
            extension=event.extension, agent_id=agent_id,
            caller_display=caller_display(phones.to_e164(event.caller), event.caller),
        )  # fmt: skip

    async def _first_pop(self, event: c.CallRinging) -> None:
        marker = (event.source, event.call_id, event.extension)
        if marker in self.pops.first_pops:
            return  # a repeated event: this agent has this pop already
        self.pops.first_pops.add(marker)
        agent_id = await self._agent_id(event.extension)
        identity = await self.pops.identity((event.source, event.call_id))
        if agent_id is None or identity is None:
            self.pops.first_pop_sent((event.source, event.call_id))
            return
        first = pop(self._provisional(event, agent_id), identity, complete=False)
        await self.local.deliver(self.channels, agent_id, first)
        self.pops.first_pop_sent((event.source, event.call_id))

    async def ingest(self, event: c.CallEvent) -> bool:
        """Stores and applies one event, then publishes what it produced; False for a repeat."""
        if isinstance(event, c.AgentState):
            return self._phone_state(event)
        async with self.sessions() as session, session.begin():
            outcome = await call_service.ingest(session, event, self.pops)
        return self._committed(event, outcome)

    def _phone_state(self, event: c.CallEvent) -> bool:
        # A phone's state is a snapshot, not history: it goes to the wallboard, not to the database.
        realtime.publish(self.channels, realtime.SUPERVISORS, event)
        if self.on_change is not None:
            self.on_change()
        return True

    def _committed(self, event: c.CallEvent, outcome: call_service.Outcome) -> bool:
        key = (event.source, event.call_id)
        if outcome.call is not None and outcome.call.ended_at is None:
            self.pops.snapshots[key] = to_schema(outcome.call)
        elif outcome.call is not None:
            self._first_seen.pop(key, None)
        self._publish(key, outcome.messages)
        if self.on_change is not None and not outcome.duplicate:
            self.on_change()
        return not outcome.duplicate

    async def store_batch(self, events: Sequence[c.CallEvent]) -> c.Ack:
        """Events that queued up while the previous ones were written, in one transaction (group commit: a
        busy PBX's events share BEGIN and COMMIT instead of paying them each), published in order after the
        commit. A failed batch is written again one event per transaction, so a database outage waits and
        an event that can never be stored is refused alone."""
        if len(events) > 1:
            try:
                async with self.sessions() as session, session.begin():
                    outcomes = [
                        None if isinstance(e, c.AgentState) else await call_service.ingest(session, e, self.pops)
                        for e in events
                    ]
            except Exception as error:  # noqa: BLE001  (one by one, each event says whether and why it fails)
                log.info("cti: a batch of %d events failed (%s); writing them one by one", len(events), describe(error))
            else:
                for event, outcome in zip(events, outcomes, strict=True):
                    fresh = self._phone_state(event) if outcome is None else self._committed(event, outcome)
                    if fresh:
                        self.stats.acknowledged += 1
                    else:
                        self.stats.duplicates += 1
                return c.Ack(ids=[e.id for e in events])
        ids: list[str] = []
        rejected: dict[str, str] = {}
        for event in events:
            try:
                await self.store(event)
                ids.append(event.id)
            except EventRejected as refusal:
                rejected[event.id] = refusal.reason
        return c.Ack(ids=ids, rejected=rejected)

    def _publish(self, key: Key, messages: list[tuple[str, call_service.Message]]) -> None:
        """A call's messages go out in the order they were written. A complete pop is sent when the caller's
        history is built (usually already, since the call was first seen), without holding up the writer."""
        previous = self._publishing.get(key)
        if previous is None and not any(isinstance(m, call_service.PopDue) for _, m in messages):
            realtime.publish_all(self.channels, messages)
            return
        task = asyncio.create_task(self._publish_in_turn(previous, key, messages))
        self._publishing[key] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self._publishing.get(key) is finished:
                del self._publishing[key]

        task.add_done_callback(done)

    async def _publish_in_turn(self, previous: asyncio.Task[None] | None, key: Key,
                               messages: list[tuple[str, call_service.Message]]) -> None:  # fmt: skip
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        for channel, message in messages:
            if not isinstance(message, call_service.PopDue):
                realtime.publish(self.channels, channel, message)
                continue
            try:
                match = await self._match(message.call)
                frame = pop(message.call, match)
            except Exception as error:  # noqa: BLE001  (the agent keeps the first frame; a reconnect replays)
                log.warning("cti: no history for the pop of call %s: %s", key[1], describe(error))
                identity = await self.pops.identity(key)
                if identity is None:
                    continue
                frame = pop(message.call, identity, complete=False)
            await self.local.deliver(self.channels, message.agent_id, frame)

    async def _match(self, call: s.Call) -> CallerMatch:
        assert self.reads is not None
        async with self.reads() as session:
            return await caller_match(session, call, self.pops)

    async def store(self, event: c.CallEvent) -> bool:
        """`ingest` that keeps the stream going: retried while the database is unreachable (the event is
        never dropped), `EventRejected` for an event that can never be stored."""
        delay, waiting = 0.1, False
        try:
            while True:
                try:
                    stored = await self.ingest(event)
                except Exception as error:
                    if not passing(error):
                        self.stats.rejected += 1
                        self.stats.last_error = describe(error)
                        log.error("cti: event %s refused: %s", event.id, self.stats.last_error, exc_info=error)
                        raise EventRejected(self.stats.last_error) from error
                    if not waiting:
                        waiting = True
                        self.stats.retrying += 1
                        self.stats.last_error = describe(error)
                        log.warning("cti: cannot store event %s (%s); retrying", event.id, self.stats.last_error)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RETRY_MAX_SECONDS)
                    continue
                if stored:
                    self.stats.acknowledged += 1
                else:
                    self.stats.duplicates += 1
                return stored
        finally:
            if waiting:
                self.stats.retrying -= 1

    async def ingest_many(self, events: Sequence[c.CallEvent]) -> tuple[int, int, dict[str, str]]:
        """Events posted over HTTP, in order: how many were new, how many repeats, which were refused."""
        accepted = duplicates = 0
        rejected: dict[str, str] = {}
        for event in events:
            event = c.bounded(event)
            self.received(event)
            try:
                if await self.store(event):
                    accepted += 1
                else:
                    duplicates += 1
            except EventRejected as refusal:
                rejected[event.id] = refusal.reason
        # A webhook is answered once its pops are out, as the PBX (or its test) expects.
        owed = {self._publishing.get((e.source, e.call_id)) for e in events}
        await asyncio.gather(*(task for task in owed if task is not None), return_exceptions=True)
        return accepted, duplicates, rejected
