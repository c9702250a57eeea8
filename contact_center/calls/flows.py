"""Ingesting call events end to end: one transaction per event, publish after commit."""

from __future__ import annotations

from collections.abc import Iterable

from litestar.channels import ChannelsPlugin
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import realtime
from contact_center.calls import service as call_service
from contact_center.calls.screen_pop import PopCache
from cti_bridge import contract as c


async def ingest_and_publish(
    sessions: async_sessionmaker[AsyncSession], channels: ChannelsPlugin, cache: PopCache, event: c.CallEvent
) -> bool:
    """Stores and applies one event, then publishes what it produced; False for a repeat."""
    async with sessions() as session, session.begin():
        outcome = await call_service.ingest(session, event, cache)
    realtime.publish_all(channels, outcome.messages)
    return not outcome.duplicate


async def ingest_many(
    sessions: async_sessionmaker[AsyncSession], channels: ChannelsPlugin, cache: PopCache, events: Iterable[c.CallEvent]
) -> tuple[int, int]:
    accepted = duplicates = 0
    for event in events:
        if await ingest_and_publish(sessions, channels, cache, event):
            accepted += 1
        else:
            duplicates += 1
    return accepted, duplicates
