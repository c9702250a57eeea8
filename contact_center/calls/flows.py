"""Ingesting call events end to end: one transaction per event, publish after commit.

The screen-pop is on the clock. When a call is offered, its caller match (customers and history)
starts building at once, beside the event's own write; when it rings, the pop goes out as soon as
the match is ready, before the ringing event's own write: everything the pop points to (the call,
the customers) is already committed by then. A ringing event for a call never offered takes the
ordinary path: write, commit, publish.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import msgspec
from litestar.channels import ChannelsPlugin
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import realtime
from contact_center.calls import repository
from contact_center.calls import service as call_service
from contact_center.calls.schemas import ScreenPop
from contact_center.calls.screen_pop import AgentDirectory, CallerMatch, PopCache, match_caller, to_schema
from cti_bridge import contract as c


@dataclasses.dataclass
class CallDesk:
    """What the call pipeline keeps between events: sessions, channels and its caches."""

    sessions: async_sessionmaker[AsyncSession]
    channels: ChannelsPlugin
    pops: PopCache = dataclasses.field(default_factory=PopCache)
    agents: AgentDirectory = dataclasses.field(default_factory=AgentDirectory)

    async def _match(self, caller: str | None) -> CallerMatch:
        async with self.sessions() as session:
            return await match_caller(session, caller)

    async def _agent_id(self, extension: str) -> int | None:
        known, user_id = self.agents.get(extension)
        if not known:
            async with self.sessions() as session:
                user = await repository.agent_for_extension(session, extension)
            user_id = user.id if user else None
            self.agents.put(extension, user_id)
        return user_id

    async def _pop_early(self, event: c.CallRinging) -> None:
        key = (event.source, event.call_id)
        if (event.source, event.call_id, event.extension) in self.pops.popped:
            return  # a repeated event: this agent has this pop already
        snapshot = self.pops.snapshots.get(key)
        if snapshot is None or snapshot.state in ("answered", "ended", "abandoned") or event.direction == "out":
            return
        agent_id = await self._agent_id(event.extension)
        match = await self.pops.get(key)
        if agent_id is None or match is None:
            return
        call = msgspec.structs.replace(snapshot, state="ringing", extension=event.extension, agent_id=agent_id)
        pop = ScreenPop(call=call, match=match.match, customers=match.customers, history=match.history)
        realtime.publish(self.channels, realtime.agent(agent_id), pop)
        self.pops.popped.add((event.source, event.call_id, event.extension))

    async def ingest(self, event: c.CallEvent) -> bool:
        """Stores and applies one event, then publishes what it produced; False for a repeat."""
        caller = getattr(event, "caller", None)
        if isinstance(event, c.CallOffered | c.CallRinging) and caller:
            self.pops.warm((event.source, event.call_id), lambda: self._match(caller))
        if isinstance(event, c.CallRinging):
            await self._pop_early(event)
        async with self.sessions() as session, session.begin():
            outcome = await call_service.ingest(session, event, self.pops)
        if outcome.call is not None and outcome.call.ended_at is None:
            self.pops.snapshots[(event.source, event.call_id)] = to_schema(outcome.call)
        realtime.publish_all(self.channels, outcome.messages)
        return not outcome.duplicate

    async def ingest_many(self, events: Iterable[c.CallEvent]) -> tuple[int, int]:
        accepted = duplicates = 0
        for event in events:
            if await self.ingest(event):
                accepted += 1
            else:
                duplicates += 1
        return accepted, duplicates
