"""The AMI connection the CTI bridge uses: pyst2 (patched in `cti_bridge.ami_manager`) behind asyncio.

    conn = AmiConnection()
    await conn.connect("127.0.0.1", 5038, "cc", "cc-secret")
    async for event in conn.events():            # every event, on the event loop, in wire order
        ...
    await conn.send_action({"Action": "Ping"})   # bounded by a timeout; raises AmiTimeoutError
    await conn.list_action({"Action": "QueueStatus"})
    await conn.close()

One `AmiConnection` is one TCP session: after it ends (`events()` stops, `connected` is False) make a
new one and resync with `QueueStatus` and `CoreShowChannels`. Asterisk may go silent without closing
the socket (bug 10): call `ping()` periodically and treat `AmiTimeoutError` as a lost connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from asterisk.manager import ManagerAuthException

from cti_bridge.ami_manager import (
    DEFAULT_TIMEOUT,
    AmiActionError,
    AmiAuthError,
    AmiConnectionError,
    AmiError,
    AmiTimeoutError,
    PatchedManager,
)
from cti_bridge.frames import Frame

__all__ = [
    "AmiActionError",
    "AmiAuthError",
    "AmiConnection",
    "AmiConnectionError",
    "AmiError",
    "AmiTimeoutError",
]

log = logging.getLogger(__name__)
EventCallback = Callable[[Frame], object]


class AmiConnection:
    """One logged-in AMI session, used from asyncio. Events are delivered on the event loop's thread."""

    def __init__(self, max_buffered_events: int = 100_000) -> None:
        self._manager: PatchedManager | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Frame | None] = asyncio.Queue()
        self._max_buffered = max_buffered_events
        self._callbacks: list[EventCallback] = []
        self._lock = asyncio.Lock()
        self._ended = False
        self.dropped_events = 0  # events discarded because nobody read `events()` for too long

    @property
    def connected(self) -> bool:
        return self._manager is not None and bool(self._manager.connected()) and not self._ended

    @property
    def manager(self) -> PatchedManager:
        """The pyst2 Manager underneath (for diagnostics such as `recv_calls`)."""
        if self._manager is None:
            raise AmiConnectionError("not connected to Asterisk")
        return self._manager

    async def connect(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - bounds blocking socket calls in a thread
    ) -> None:
        """Connect and log in; AmiAuthError on refused credentials, AmiConnectionError on network trouble."""
        if self._manager is not None:  # bug 5: a pyst2 Manager's threads start once; one session per object
            raise AmiError("an AmiConnection connects once; make a new one to reconnect")
        self._loop = asyncio.get_running_loop()
        manager = PatchedManager(on_closed=self._closed_from_thread)
        manager.default_timeout = timeout
        manager.register_event("*", self._from_dispatch_thread)
        self._manager = manager
        try:
            await asyncio.to_thread(manager.connect, host, port, timeout)
            async with self._lock:
                await asyncio.to_thread(manager.login, username, secret)
        except ManagerAuthException as exc:
            await asyncio.to_thread(manager.close)
            raise AmiAuthError(f"Asterisk at {host}:{port} refused AMI user {username!r}: {exc}") from None
        except BaseException:
            await asyncio.to_thread(manager.close)
            raise

    def on_event(self, callback: EventCallback) -> None:
        """Call `callback(frame)` on the event loop for every event (before `events()` sees it)."""
        self._callbacks.append(callback)

    async def events(self) -> AsyncIterator[Frame]:
        """Every event, in wire order, until the connection ends (for one consumer)."""
        while (frame := await self._queue.get()) is not None:
            yield frame
        self._queue.put_nowait(None)  # a later events() call ends at once too

    async def send_action(
        self,
        action: Mapping[str, str],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - bounds a blocking wait in a thread
    ) -> dict[str, str]:
        """Send one action and return its response; an ActionID is added unless `action` has one.

        Serialised (bug 3), bounded by `timeout` (AmiTimeoutError), never mutates `action` (bug 1)."""
        manager = self.manager
        async with self._lock:
            message = await asyncio.to_thread(manager.send_action, dict(action), timeout)
        return dict(message.headers)

    async def list_action(
        self,
        action: Mapping[str, str],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - bounds a blocking wait in a thread
    ) -> list[Frame]:
        """QueueStatus, CoreShowChannels and other list actions: the items, without the `…Complete` event.

        Events that arrive between the items still go to `events()` (bug 7)."""
        manager = self.manager
        async with self._lock:
            response, items = await asyncio.to_thread(manager.list_action, dict(action), timeout)
        if response.get("Response") != "Success":
            raise AmiActionError(f"AMI {action.get('Action')} refused: {response.get('Message', response)}")
        return items

    async def ping(self, timeout: float = DEFAULT_TIMEOUT) -> float:  # noqa: ASYNC109
        """Round trip of an AMI Ping in seconds; AmiTimeoutError if Asterisk is silent (bug 10)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        response = await self.send_action({"Action": "Ping"}, timeout)
        if response.get("Response") != "Success":
            raise AmiError(f"AMI Ping failed: {response}")
        return loop.time() - started

    async def close(self, timeout: float = 2.0) -> None:  # noqa: ASYNC109
        """Log off (if still connected) and stop pyst2's threads; never raises, safe to call twice."""
        manager = self._manager
        if manager is None:
            return
        if manager.connected():
            try:
                await self.send_action({"Action": "Logoff"}, timeout)
            except AmiError as exc:
                log.debug("AMI logoff failed: %s", exc)
        await asyncio.to_thread(manager.close, timeout)
        self._end()

    # ---- thread → loop hops ------------------------------------------------------------------------------
    def _from_dispatch_thread(self, event: Any, _manager: Any) -> None:
        """pyst2's callback, on its dispatch thread (bug 6): hop to the event loop, never block here."""
        self._call_soon(self._deliver, dict(event.headers))

    def _closed_from_thread(self) -> None:
        self._call_soon(self._end)

    def _call_soon(self, callback: Callable[..., None], *args: Any) -> None:
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed between the check and the call
                self._loop.call_soon_threadsafe(callback, *args)

    def _deliver(self, frame: Frame) -> None:
        for callback in self._callbacks:
            try:
                callback(frame)
            except Exception:
                log.exception("AMI event callback failed")
        if self._queue.qsize() >= self._max_buffered:
            self._queue.get_nowait()
            self.dropped_events += 1
        self._queue.put_nowait(frame)

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self._queue.put_nowait(None)
