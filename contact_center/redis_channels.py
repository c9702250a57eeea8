"""Litestar's Redis pub/sub channels backend, kept alive across a Redis restart.

As shipped, the backend's subscriber generator and its publisher both die on the first Redis
connection error, and the plugin never starts them again: after a Redis restart every socket stays
open and receives only what its own process delivers locally. Here:
- the subscriber catches the error, waits with back-off, opens a new pub/sub connection and
  subscribes again to every channel this process listens on, then tells the sockets (`on_reconnect`)
  so they re-send the state their clients may have missed (the pops of live calls);
- a publish that fails is kept, in order, in a bounded backlog and sent once Redis answers again
  (frames older than `MAX_BACKLOG_AGE` are dropped then: a stale pop helps nobody);
- `connected` says whether Redis answers, for /health.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any

from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
LOST = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
MAX_BACKLOG = 20_000
MAX_BACKLOG_AGE = 30.0
RETRY_MAX_SECONDS = 1.0


class ResilientRedisBackend(RedisChannelsPubSubBackend):
    def __init__(self, *, redis: Redis, key_prefix: str) -> None:
        super().__init__(redis=redis, key_prefix=key_prefix)
        self._subscriber: PubSub | None = None
        self._backlog: collections.deque[tuple[float, bytes, list[str]]] = collections.deque()
        self._publishing = asyncio.Lock()
        self.connected = True
        self.reconnects = 0
        self.dropped = 0  # frames lost to a long outage or a full backlog
        self.on_reconnect: set[Callable[[], None]] = set()

    @property
    def _pub_sub(self) -> PubSub:  # the parent's subscribe/unsubscribe/shutdown use this one
        if self._subscriber is None:
            self._subscriber = self._redis.pubsub()
        return self._subscriber

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        delay = 0.05
        while True:
            await self._has_subscribed.wait()
            try:
                message = await self._pub_sub.get_message(
                    ignore_subscribe_messages=True, timeout=self._stream_sleep_no_subscriptions
                )
            except LOST as error:
                self._lost(error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)
                await self._resubscribe()
                continue
            delay = 0.05
            if message is None:
                continue
            channel: str = message["channel"].decode()
            if channel.encode() in self._pub_sub.channels.keys() - self._pub_sub.pending_unsubscribe_channels:
                yield channel, message["data"]

    async def _resubscribe(self) -> None:
        """A new pub/sub connection with every channel of the old one; then the backlog and the sockets."""
        old = self._pub_sub
        channels = [name.decode() if isinstance(name, bytes) else name for name in old.channels]
        fresh = self._redis.pubsub()
        try:
            if channels:
                await fresh.subscribe(*channels)
            await self._redis.ping()
        except LOST:
            await fresh.aclose()  # type: ignore[no-untyped-call]
            return
        self._subscriber = fresh
        with contextlib.suppress(*LOST):
            await old.aclose()  # type: ignore[no-untyped-call]
        self.connected = True
        self.reconnects += 1
        log.warning("redis: back; subscribed again to %d channels", len(channels))
        await self._flush()
        for callback in list(self.on_reconnect):
            callback()

    def _lost(self, error: BaseException) -> None:
        if self.connected:
            self.connected = False
            log.warning("redis: connection lost (%s); realtime frames wait until it is back", error)

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Never raises: a frame that cannot go now waits, in order, for Redis to come back."""
        self._backlog.append((time.monotonic(), data, list(set(channels))))
        if len(self._backlog) > MAX_BACKLOG:
            self._backlog.popleft()
            self.dropped += 1
        await self._flush()

    async def _flush(self) -> None:
        async with self._publishing:
            while self._backlog:
                queued_at, data, channels = self._backlog[0]
                if time.monotonic() - queued_at > MAX_BACKLOG_AGE:
                    self._backlog.popleft()
                    self.dropped += 1
                    continue
                try:
                    await self._publish_script(keys=channels, args=[data])
                except LOST as error:
                    self._lost(error)
                    return
                self._backlog.popleft()
                self.connected = True

    async def on_shutdown(self) -> None:
        with contextlib.suppress(*LOST):
            await super().on_shutdown()
