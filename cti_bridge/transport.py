"""The bridge's link to the app: one persistent websocket to `/ws/cti`, events out, acks and commands in.

Every event stays in a bounded, ordered buffer until the app acknowledges it; after a reconnect
the bridge sends a `Hello` and then everything still unacknowledged, in order. The app drops
repeats by event id, so re-sending is always safe. When the buffer overflows (the app has been away
for a long time) the oldest events are dropped, logged and counted — a bounded loss, never a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

from cti_bridge import contract as c
from cti_bridge.spool import Spool

log = logging.getLogger(__name__)
CommandHandler = Callable[[c.Originate], Coroutine[Any, Any, None]]


class AppRefused(RuntimeError):
    """The app refused the bridge's credentials: retrying will not help."""


class AckTimeout(RuntimeError):
    """Events were sent and nothing came back for too long: the app side is stuck, so reconnect (a new
    connection gets a new writer, and everything unacknowledged is sent again)."""


def backoff(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Capped exponential back-off with full jitter (no thundering herd after an outage)."""
    return random.uniform(0, min(cap, base * 2**attempt))


class AppLink:
    def __init__(
        self,
        url: str,
        token: str,
        bridge_id: str,
        on_command: CommandHandler | None = None,
        buffer_size: int = 20_000,
        ack_timeout: float = 30.0,
        spool: Spool | None = None,
    ) -> None:
        self._url = url
        self._token = token
        self._bridge_id = bridge_id
        self._on_command = on_command
        self._buffer_size = buffer_size
        self._pending: OrderedDict[str, bytes] = OrderedDict()
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()
        self.dropped = 0  # events lost to overflow
        self.acknowledged = 0
        self._commands: set[asyncio.Task[None]] = set()
        self._all_acked = asyncio.Event()
        self._ack_timeout = ack_timeout
        self._last_ack = time.monotonic()  # or when the oldest unacknowledged event was sent
        self.rejected = 0  # events the app said it can never store
        self.ack_timeouts = 0
        self._spool = spool
        if spool is not None:  # what a previous run of this bridge sent and never saw acknowledged
            self._pending.update(spool.load())
            if self._pending:
                log.warning("%d unacknowledged events from the spool %s will be sent again", len(self._pending),
                            spool.path)  # fmt: skip

    @property
    def pending(self) -> int:
        return len(self._pending)

    def send(self, event: c.CallEvent) -> None:
        """Queues an event; it is delivered (again after a reconnect) until the app acknowledges it.
        The event is held to the contract's bounds first: a field too long is cut, never fatal."""
        event = c.bounded(event)
        if event.truncated:
            log.warning("event %s: %s cut to the contract's bounds", event.id, ", ".join(event.truncated))
        if len(self._pending) >= self._buffer_size:
            dropped_id, _ = self._pending.popitem(last=False)
            self.dropped += 1
            self._forget([dropped_id])
            log.error("bridge buffer full: dropped event %s (%d dropped so far)", dropped_id, self.dropped)
        data = c.encode(event)
        if self._spool is not None:
            self._spool.add(event.id, data)  # on disk before it leaves: a kill now loses nothing
        self._pending[event.id] = data
        self._wakeup.set()

    def _forget(self, event_ids: list[str]) -> None:
        if self._spool is not None and event_ids:
            self._spool.remove(event_ids)

    async def run(self) -> None:
        """Keeps the link up until `stop()`; raises `AppRefused` on wrong credentials."""
        attempt = 0
        while not self._stopping.is_set():
            try:
                async with connect(
                    self._url,
                    additional_headers={"Authorization": f"Bearer {self._token}"},
                    open_timeout=5,
                    ping_interval=10,
                    ping_timeout=10,
                ) as socket:
                    attempt = 0
                    await self._session(socket)
            except InvalidStatus as exc:
                if exc.response.status_code in (401, 403):
                    raise AppRefused(f"the app refused the bridge token ({exc.response.status_code})") from exc
                log.warning("app link: %s", exc)
            except InvalidURI:
                raise
            except AckTimeout as exc:
                self.ack_timeouts += 1
                log.warning("app link: %s; reconnecting", exc)
            except (OSError, ConnectionClosed, TimeoutError) as exc:
                log.warning("app link down (%s); %d events waiting", exc.__class__.__name__, len(self._pending))
            self.connected.clear()
            if self._stopping.is_set():
                break
            await self._sleep(backoff(attempt))
            attempt += 1

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _session(self, socket: ClientConnection) -> None:
        await socket.send(c.encode(c.Hello(bridge=self._bridge_id, pending=len(self._pending))).decode())
        self.connected.set()
        log.info("app link up; re-sending %d unacknowledged events", len(self._pending))
        receiver = asyncio.create_task(self._receive(socket))
        stopper = asyncio.create_task(self._stopping.wait())
        sent: set[str] = set()
        self._last_ack = time.monotonic()
        try:
            while not receiver.done() and not self._stopping.is_set():
                self._wakeup.clear()
                for event_id, data in list(self._pending.items()):
                    if event_id not in sent and event_id in self._pending:
                        if not sent:
                            self._last_ack = time.monotonic()  # the clock starts with the first unanswered event
                        await socket.send(data.decode())
                        sent.add(event_id)
                sent &= self._pending.keys()
                waker = asyncio.create_task(self._wakeup.wait())
                await asyncio.wait({receiver, waker, stopper}, return_when=asyncio.FIRST_COMPLETED,
                                   timeout=min(self._ack_timeout, 1.0))  # fmt: skip
                waker.cancel()
                waited = time.monotonic() - self._last_ack
                if sent and waited > self._ack_timeout:
                    raise AckTimeout(f"no acknowledgement for {waited:.0f} s ({len(self._pending)} events waiting)")
            if receiver.done():
                receiver.result()  # re-raises why the connection ended
        finally:
            receiver.cancel()
            stopper.cancel()

    async def _receive(self, socket: ClientConnection) -> None:
        async for raw in socket:
            try:
                message = c.decode_app_message(raw)
            except (msgspec.ValidationError, msgspec.DecodeError):
                log.warning("app link: ignored a frame the contract does not know")
                continue
            if isinstance(message, c.Ack):
                self._last_ack = time.monotonic()
                for event_id in message.ids:
                    if self._pending.pop(event_id, None) is not None:
                        self.acknowledged += 1
                for event_id, reason in message.rejected.items():
                    if self._pending.pop(event_id, None) is not None:
                        self.rejected += 1
                        log.error("the app refused event %s for good: %s", event_id, reason)
                self._forget([*message.ids, *message.rejected])
                if not self._pending:
                    self._all_acked.set()
            elif self._on_command is not None:
                # Commands run beside the receive loop (an Originate waits on the PBX); keep a reference.
                task = asyncio.create_task(self._on_command(message))
                self._commands.add(task)
                task.add_done_callback(self._commands.discard)

    async def drain(self) -> None:
        """Returns once every event is acknowledged (a clean shutdown); wrap it in a timeout."""
        while self._pending:
            self._all_acked.clear()
            await self._all_acked.wait()

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()
