"""pyst2's `Manager`, patched. Every change to pyst2 0.5.1 lives here, each naming the bug it fixes.

Bug numbers are those of `shared/design/TECH-NOTES.md` (reproduced against Asterisk 22 in
`tests/fixtures/asterisk-ami/pyst2-findings.md`). This module is thread-side and blocking;
`cti_bridge.ami` is the asyncio face and the only intended user.

What is kept of pyst2: the Manager object and its thread layout (a reader thread and the
`event_dispatch` thread that runs callbacks registered with `register_event`), its message and
event classes, its sequence numbers and its action helpers (`login`, `ping`, `originate`…).
What is replaced: socket reading and message parsing, response matching, and shutdown.

    bug  pyst2 0.5.1                                   here
    1    send_action(cdict={}) shared default          PatchedManager.send_action: a new dict per call
    2    ChanVariable → has_key kills the reader       FrameMessage: pyst2's parser never runs; waits bounded
    3    responses matched first-in-first-out          _route: by ActionID (and ami.py serialises actions)
    4    close() races the reader on a closed file     close(): shutdown() wakes the reader, joins, then closes
    5    a Manager connects once                       ami.AmiConnection: one PatchedManager per connection
    6    events on pyst2's dispatch thread             ami.AmiConnection: call_soon_threadsafe to the loop
    7    "status will follow" lists swallowed          message_loop: every frame is a message; list_action
    8    repeated headers collapse                     cti_bridge.frames joins Output/Variable/ChanVariable
    9    one recv per byte                             message_loop: recv(65536) + FrameReader
    10   a silent peer is never noticed                timeouts on every wait; ami.AmiConnection.ping
"""

from __future__ import annotations

import contextlib
import logging
import queue
import secrets
import socket
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from asterisk.manager import Event, Manager, ManagerMsg

from cti_bridge.frames import Frame, FrameReader, FrameTooLarge, encode

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 5.0
AMI_BANNER = "Asterisk Call Manager"


class AmiError(Exception):
    """Anything that went wrong talking to Asterisk."""


class AmiConnectionError(AmiError):
    """No connection, or it was lost (refused, reset, closed by the peer, not an AMI server)."""


class AmiAuthError(AmiError):
    """Asterisk refused the username or secret."""


class AmiTimeoutError(AmiError, TimeoutError):
    """Asterisk did not answer in time (a hung or silent peer: bug 10)."""


class AmiActionError(AmiError):
    """Asterisk answered `Response: Error` where a list was expected."""


class FrameMessage(ManagerMsg):  # type: ignore[misc]  # pyst2 is untyped
    """A pyst2 message made from a frame parsed by `cti_bridge.frames`: pyst2's `ManagerMsg.parse` never runs.

    Bug 2: its `ChanVariable` branch calls the Python 2 `dict.has_key`, and the AttributeError kills the
    reader thread silently. Bug 8: it keeps only the last of repeated headers (`Output`, `Variable`,
    `ChanVariable`); `frames.parse_message` joins them with newlines."""

    def __init__(self, frame: Frame) -> None:
        self.response: list[str] = []
        self.data = ""
        self.headers = frame


class _Flag(threading.Event):
    """pyst2 polls `isSet()`, deprecated since Python 3.10 (a DeprecationWarning on every loop)."""

    isSet = threading.Event.is_set


class PatchedManager(Manager):  # type: ignore[misc]  # pyst2 is untyped
    """One AMI connection; make a new one for every connection (bug 5: its threads start only once)."""

    title: str | None  # set by pyst2's __init__ and, from the banner, by _announce
    version: str

    def __init__(self, on_closed: Callable[[], None] | None = None) -> None:
        with warnings.catch_warnings():  # pyst2's __init__ calls Thread.setDaemon, deprecated since 3.10
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__()
        self._connected = _Flag()
        self._running = _Flag()
        self._on_closed = on_closed
        self._raw: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._pending: dict[str, queue.Queue[FrameMessage | None]] = {}  # ActionID → its response
        self._lists: dict[str, queue.Queue[Frame | None]] = {}  # ActionID → its list items
        self._prefix = f"cc-{secrets.token_hex(4)}"  # ActionIDs never repeat across connections
        self.default_timeout = DEFAULT_TIMEOUT
        self.recv_calls = 0
        self.bytes_read = 0

    def new_action_id(self) -> str:
        return f"{self._prefix}-{self.next_seq():08x}"

    def connect(self, host: str, port: int = 5038, timeout: float = DEFAULT_TIMEOUT) -> FrameMessage:
        """Connect and wait for the banner, both bounded by `timeout` (pyst2 waits forever for either)."""
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            raise AmiConnectionError(f"cannot reach AMI at {host}:{port}: {exc}") from exc
        sock.settimeout(None)  # the reader blocks in recv; close() wakes it with shutdown()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self._raw = sock
        self._connected.set()
        self._running.set()
        self.message_thread.start()
        self.event_dispatch_thread.start()
        try:
            banner = self._response_queue.get(timeout=timeout)
        except queue.Empty:
            raise AmiConnectionError(f"{host}:{port} sent no AMI banner within {timeout:g} s") from None
        if banner is None or self.title != AMI_BANNER:
            raise AmiConnectionError(f"{host}:{port} is not an Asterisk manager interface (banner {self.title!r})")
        return banner  # type: ignore[no-any-return]  # pyst2's queue is untyped

    def message_loop(self) -> None:
        """The reader thread: replaces pyst2's `message_loop` and its `_receive_data` thread.

        Bug 9: pyst2 reads the socket through an unbuffered file, one `recv` per byte; this reads up to
        64 KiB per call and splits messages with `FrameReader`. Bug 7: pyst2 swallows everything after a
        "status will follow" up to "StatusComplete" (list items and unrelated events alike) as raw text;
        here every message is a message, and list items go to the `list_action` waiting for them.
        Bug 4: on EOF or error pyst2 may touch an already closed file (`ValueError: I/O operation on closed
        file`); here the socket is only ever closed by `close()`, after this thread has ended."""
        reader = FrameReader()
        try:
            while self._running.is_set():
                data = self._raw.recv(65536) if self._raw is not None else b""
                self.recv_calls += 1
                self.bytes_read += len(data)
                if not data:
                    break
                for frame in reader.feed(data):
                    self._announce(reader.banner)
                    self._route(frame)
                self._announce(reader.banner)
        except (OSError, ValueError, FrameTooLarge) as exc:
            if self._running.is_set():
                log.warning("AMI connection lost: %s", exc)
        finally:
            self._finish()

    def _announce(self, banner: str | None) -> None:
        """The greeting, as pyst2 reports it: `title`/`version` and a generated response for `connect`."""
        if banner is not None and self.title is None:
            self.title, _, self.version = (part.strip() for part in banner.partition("/"))
            self._response_queue.put(FrameMessage({"Response": "Generated Header", "Banner": banner}))

    def _route(self, frame: Frame) -> None:
        action_id = frame.get("ActionID", "")
        if "Event" in frame:
            items = self._lists.get(action_id) if action_id else None
            if items is not None:
                items.put(frame)
            else:
                self._event_queue.put(Event(FrameMessage(frame)))
        elif "Response" in frame:
            # Bug 3: pyst2 hands responses out first-in-first-out from one queue, so a late answer goes to
            # the wrong caller. Here a response reaches only the action with its ActionID.
            waiter = self._pending.get(action_id)
            if waiter is not None:
                waiter.put(FrameMessage(frame))
            else:
                log.debug("AMI response nobody waits for (timed out?): %s", frame)
        else:
            log.debug("AMI message neither event nor response: %s", frame)

    def _finish(self) -> None:
        """Wake everyone waiting on this connection, end event dispatch, then report the end."""
        self._connected.clear()
        self._event_queue.put(None)  # ends pyst2's event_dispatch thread after the events before it
        self._response_queue.put(None)
        for waiter in list(self._pending.values()):
            waiter.put(None)
        for items in list(self._lists.values()):
            items.put(None)
        if self.event_dispatch_thread.is_alive():
            self.event_dispatch_thread.join(timeout=5)
        if self._on_closed is not None:
            self._on_closed()

    def send_action(self, cdict: Mapping[str, Any] | None = None, timeout: float | None = None, **kwargs: Any) -> Any:
        """Send one action and return its response (a pyst2 message), or raise within `timeout`.

        Bug 1: pyst2's `send_action(cdict={})` mutates its shared default, so later calls reuse an
        ActionID; here each call builds a new dict. Bug 2 (and any hung peer): pyst2 waits forever for
        a response; here the wait is bounded and the connection's end wakes it."""
        action: dict[str, Any] = {**(cdict or {}), **kwargs}
        if not action.get("ActionID"):
            action["ActionID"] = self.new_action_id()
        action_id = str(action["ActionID"])
        waiter: queue.Queue[FrameMessage | None] = queue.Queue()
        self._pending[action_id] = waiter
        try:
            self._write(action)
            return self._wait(waiter, action, self.default_timeout if timeout is None else timeout)
        finally:
            self._pending.pop(action_id, None)

    def _write(self, action: Mapping[str, Any]) -> None:
        if not self._connected.is_set() or self._raw is None:
            raise AmiConnectionError("not connected to Asterisk")
        lines = {k: "\n".join(v) if isinstance(v, list) else v for k, v in action.items()}  # pyst2 lists
        try:
            with self._send_lock:
                self._raw.sendall(encode(lines))
        except OSError as exc:
            raise AmiConnectionError(f"AMI send failed: {exc}") from exc

    def _wait(self, waiter: queue.Queue[FrameMessage | None], action: Mapping[str, Any], timeout: float) -> Any:
        try:
            message = waiter.get(timeout=timeout)
        except queue.Empty:
            raise AmiTimeoutError(f"no answer to AMI {action.get('Action')} within {timeout:g} s") from None
        if message is None:
            raise AmiConnectionError(f"AMI connection closed before the answer to {action.get('Action')}")
        return message

    def list_action(self, action: Mapping[str, str], timeout: float) -> tuple[Frame, list[Frame]]:
        """An action answered by a list (QueueStatus, CoreShowChannels…): its response and its items."""
        deadline = time.monotonic() + timeout
        action_id = action.get("ActionID") or self.new_action_id()
        items: queue.Queue[Frame | None] = queue.Queue()
        self._lists[action_id] = items  # before sending: items may arrive before the response is read
        try:
            response = dict(self.send_action({**action, "ActionID": action_id}, timeout).headers)
            if response.get("Response") != "Success" or response.get("EventList", "").lower() != "start":
                return response, []
            collected: list[Frame] = []
            while True:
                try:
                    item = items.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise AmiTimeoutError(f"AMI {action.get('Action')} list incomplete after {timeout:g} s") from None
                if item is None:
                    raise AmiConnectionError(f"AMI connection closed during {action.get('Action')}")
                if item.get("EventList", "").lower() == "complete":
                    return response, collected
                collected.append(item)
        finally:
            self._lists.pop(action_id, None)

    def close(self, timeout: float = 2.0) -> None:
        """Stop both threads, then close the socket; safe to call twice, from `__del__`, before `connect`.

        Bug 4: pyst2's close() logs off through the blocking `send_action` and races the reader thread on
        the socket file. Here `shutdown()` wakes the reader, which ends; only then is the socket closed."""
        self._running.clear()
        raw = self._raw
        if raw is not None:
            with contextlib.suppress(OSError):
                raw.shutdown(socket.SHUT_RDWR)
        for thread in (self.message_thread, self.event_dispatch_thread):
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout)
        if raw is not None:
            raw.close()  # a plain socket: a reader still finishing gets OSError, which it expects
