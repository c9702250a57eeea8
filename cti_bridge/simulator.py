"""An AMI server that behaves like the Asterisk 22 of `tests/fixtures/asterisk-ami/`, for the demo and the tests.

It speaks the real wire format (banner, CRLF headers, blank-line-terminated messages), answers the
actions the CTI bridge uses, and replays recorded calls (`simulator_scenarios`) with fresh identities,
broadcasting their events to every logged-in session. What it reports in `CoreShowChannels` and
`QueueStatus` is kept from the events it has sent (`simulator_state`), so it is true mid-call.

    python -m cti_bridge.simulator --port 5038      # loopback only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from cti_bridge.frames import Frame, FrameReader, FrameTooLarge, encode
from cti_bridge.simulator_scenarios import (
    QUEUE_CALLS,
    RECORDED_AGENTS,
    SCENARIO_DIR,
    IdAllocator,
    Step,
    fresh_ids,
    load_scenarios,
    originate_mapping,
    originate_steps,
    originate_variables,
    queue_call_mapping,
    relabel,
    security_event,
    with_variables,
)
from cti_bridge.simulator_state import PbxState

BANNER = b"Asterisk Call Manager/11.0.0\r\n"
MAX_ACTIONS = 10_000
CHANNEL_VARIABLES = ("DID", "CC_TICKET")  # what `channelvars=` would name in manager.conf
_TRUE = ("yes", "true", "y", "t", "1", "on")  # Asterisk's ast_true()
_CALLER_ID = re.compile(r'\s*"?(?P<name>[^"<]*?)"?\s*(?:<(?P<num>[^>]*)>)?\s*')


class _Session:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.authenticated = False
        self.events = True
        self.classes: frozenset[str] | None = None  # None: every class the user may read

    def subscribe(self, value: str) -> None:
        """`Events:` on login or `EventMask:` of the Events action: on, off, or a list of classes."""
        words = {w.strip().lower() for w in value.split(",") if w.strip()}
        self.events = bool(words) and not words <= {"off", "no", "false", "0"}
        self.classes = None if not words or words & {"on", "yes", "true", "1", "all"} else frozenset(words)

    def wants(self, frame: Frame) -> bool:
        if not (self.authenticated and self.events):
            return False
        if self.classes is None:
            return True
        return bool(self.classes & set(frame.get("Privilege", "").split(",")))

    def write(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    def security_event(self, event: str, account: str, **fields: str) -> Frame:
        """SuccessfulAuth / InvalidPassword about this session, as in 06b."""
        peer = self.writer.get_extra_info("peername") or ("127.0.0.1", 0)
        local = self.writer.get_extra_info("sockname") or ("127.0.0.1", 0)
        return security_event(event, account, f"0x{id(self):x}", tuple(local[:2]), tuple(peer[:2]), **fields)


Handler = Callable[["_Session", dict[str, str], str], Awaitable[None]]


class AmiSimulator:
    """A fake Asterisk: `await start()`, then `place_call(...)`; hooks for tests are public attributes."""

    def __init__(
        self,
        username: str = "cc",
        secret: str = "cc-secret",  # noqa: S107 - the throwaway secret of the recordings, loopback only
        *,
        timestamp_events: bool = True,
        channel_variables: bool = False,
        scenario_dir: Path = SCENARIO_DIR,
        queue: str = "support",
        members: Sequence[tuple[str, str]] = RECORDED_AGENTS,
        originate_speed: float = 1.0,
        list_item_delay: float = 0.0,
    ) -> None:
        self.username, self.secret = username, secret
        self.timestamp_events = timestamp_events
        self.channel_variables = channel_variables  # True: events carry `ChanVariable: NAME=value` lines
        self.originate_speed = originate_speed  # scales the recorded delays of Originate replays
        self.list_item_delay = list_item_delay  # pause between list items, so call events interleave
        self.response_delay = 0.0  # seconds before each action is handled (a slow PBX; answers stay in order)
        self.actions: list[dict[str, str]] = []  # every action received, in order (the last MAX_ACTIONS)
        self.no_answer: set[str] = set()  # extensions/numbers whose Originate is not answered (04b)
        # Actions answered with this error message, as Asterisk does while app_queue is still loading or
        # missing ("Invalid/unknown command: QueueStatus. ...") or for a user without the class
        # ("Permission denied"): {"queuestatus": "Permission denied"}.
        self.refuse: dict[str, str] = {}
        self.total_connections = 0
        self.port = 0  # set by start()
        self.state = PbxState()
        for extension, name in members:
            self.state.add_member(queue, extension, name)
        self.scenarios = load_scenarios(scenario_dir)
        self._ids = IdAllocator()
        self._sessions: set[_Session] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._calls: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._started = time.time()
        self._muted = False
        self._hold: str | None = None
        self._released = asyncio.Event()
        self._holding = asyncio.Event()
        self._actions: dict[str, Handler] = {
            "login": self._login, "logoff": self._logoff, "ping": self._ping, "events": self._events,
            "queuestatus": self._queue_status, "coreshowchannels": self._core_show_channels,
            "originate": self._originate, "queuepause": self._queue_pause,
        }  # fmt: skip

    # ---- life cycle and test hooks -------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen (loopback only); returns the port."""
        if not _is_loopback(host):
            raise ValueError(f"the AMI simulator listens on loopback only, not {host!r}")
        self._server = await asyncio.start_server(self._serve, host, port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._calls):
            task.cancel()
        await self.drop_connections()
        await asyncio.gather(*self._calls, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    @property
    def connections(self) -> int:
        """Sessions open right now."""
        return len(self._sessions)

    async def drop_connections(self) -> None:
        """Close every client socket at once (no Goodbye, unsent data dropped), as a crashing PBX would."""
        for session in list(self._sessions):
            session.writer.transport.abort()
        self._sessions.clear()
        await asyncio.wait_for(asyncio.gather(*self._handlers, return_exceptions=True), timeout=5)

    def mute(self) -> None:
        """Stop answering and stop sending events (a hung Asterisk: the socket stays open, nothing comes)."""
        self._muted = True

    def unmute(self) -> None:
        self._muted = False

    def register_no_answer(self, number: str) -> None:
        """An Originate to this agent extension (or of this number) rings out unanswered, as in 04b."""
        self.no_answer.add(number)

    def hold_before(self, event: str) -> None:
        """Every replay stops before its next `event` until `release()` (to inspect the PBX mid-call)."""
        self._hold = event
        self._released.clear()
        self._holding.clear()

    async def wait_held(self) -> None:
        """Until a replay is stopped at the `hold_before` event."""
        await self._holding.wait()

    def release(self) -> None:
        self._hold = None
        self._released.set()

    async def wait_calls_done(self) -> None:
        """Until every replay (placed calls and originates) has sent its last event."""
        while self._calls:
            await asyncio.gather(*self._calls)

    # ---- calls -------------------------------------------------------------------------------------------
    async def place_call(
        self,
        scenario: str,
        caller: str,
        agents: Sequence[str] = ("1001", "1002"),
        did: str = "0227208888",
        queue: str = "support",
        speed: float = 1.0,
    ) -> str:
        """Start replaying a recorded queue call with this caller, agents, DID and queue; returns its Linkedid.

        agents[0] plays 1001 (Alice) of the recording, agents[1] plays 1002 (Bob); they become members of
        `queue` if they were not. The recorded delays are multiplied by `speed` (0: as fast as possible)."""
        if scenario not in QUEUE_CALLS:
            raise ValueError(f"unknown scenario {scenario!r}; one of {', '.join(QUEUE_CALLS)}")
        recorded = self.scenarios[scenario]
        people = [(ext, self.state.member_name(ext) or f"Agent {ext}") for ext in agents[: len(RECORDED_AGENTS)]]
        for ext, name in people:
            self.state.add_member(queue, ext, name)
        endpoints = {recorded_ext: ext for (recorded_ext, _), (ext, _) in zip(RECORDED_AGENTS, people, strict=False)}
        mapping = queue_call_mapping(recorded, caller, people, did, queue)
        mapping.update(fresh_ids(recorded, self._ids, time.time(), endpoints))
        self._play(relabel(recorded.steps, mapping), speed)
        return mapping[recorded.first("Newchannel", "Linkedid")]

    def _play(self, steps: Sequence[Step], speed: float) -> None:
        task = asyncio.create_task(self._replay(steps, speed))
        self._calls.add(task)
        task.add_done_callback(self._calls.discard)

    async def _replay(self, steps: Sequence[Step], speed: float) -> None:
        for step in steps:
            await asyncio.sleep(step.delay * speed)  # sleep(0) still lets other calls and sessions run
            while self._hold is not None and step.frame.get("Event") == self._hold:
                self._holding.set()
                await self._released.wait()
            self.emit(dict(step.frame))

    def emit(self, frame: Frame) -> None:
        """Send an event to every logged-in session with events on (stamped, with ChanVariable if enabled)."""
        chanvars = self._chanvars(frame) if self.channel_variables else {}
        applied = self.state.apply(frame)
        if applied is None or self._muted:
            return
        data = encode(self._dress(applied, chanvars))
        for session in self._sessions:
            if session.wants(applied):
                session.write(data)

    def _chanvars(self, frame: Frame) -> dict[str, str]:
        """`<prefix>Linkedid` key → the ChanVariable lines for that prefix's channel."""
        out = {}
        for key in frame:
            if key.endswith("Linkedid"):
                channel = self.state.channels.get(frame.get(key[: -len("Linkedid")] + "Channel", ""))
                variables = channel.variables if channel else {}
                out[key] = "\n".join(f"{name}={variables.get(name, '')}" for name in CHANNEL_VARIABLES)
        return out

    def _dress(self, frame: Frame, chanvars: dict[str, str]) -> Frame:
        out: Frame = {}
        for key, value in frame.items():
            out[key] = value
            if key == "Privilege" and self.timestamp_events:
                out["Timestamp"] = f"{time.time():.6f}"
            if key in chanvars:
                out[key[: -len("Linkedid")] + "ChanVariable"] = chanvars[key]
        return out

    # ---- sessions ----------------------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        session = _Session(writer)
        self._sessions.add(session)
        self.total_connections += 1
        frames = FrameReader(expect_banner=False)
        try:
            writer.write(BANNER)
            while not writer.is_closing() and (data := await reader.read(65536)):
                for frame in frames.feed(data):
                    await self._on_action(session, frame)
        except (ConnectionError, FrameTooLarge):
            pass
        finally:
            self._sessions.discard(session)
            self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _on_action(self, session: _Session, frame: Frame) -> None:
        self.actions.append(dict(frame))
        if len(self.actions) > MAX_ACTIONS:  # a long demo run pings forever
            del self.actions[: len(self.actions) - MAX_ACTIONS]
        if self.response_delay:
            await asyncio.sleep(self.response_delay)
        if self._muted or session.writer.is_closing():
            return
        headers = {k.lower(): v for k, v in frame.items()}
        action, action_id = headers.get("action", "").lower(), headers.get("actionid", "")
        if not action:
            return self._reply(session, action_id, "Error", Message="Missing action in request")
        if not session.authenticated and action not in ("login", "logoff", "challenge"):
            return self._reply(session, action_id, "Error", Message="Permission denied")
        handler = self._actions.get(action)
        if action in self.refuse:
            return self._reply(session, action_id, "Error", Message=self.refuse[action])
        if handler is None:
            message = (
                f"Invalid/unknown command: {headers['action']}. Use Action: ListCommands to show available commands."
            )
            return self._reply(session, action_id, "Error", Message=message)
        await handler(session, headers, action_id)

    def _reply(self, session: _Session, action_id: str, response: str, **fields: str) -> None:
        head = {"Response": response, "ActionID": action_id} if action_id else {"Response": response}
        session.write(encode({**head, **fields}))

    async def _login(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        if (h.get("username"), h.get("secret")) != (self.username, self.secret):
            self._reply(session, action_id, "Error", Message="Authentication failed")
            self.emit(session.security_event("InvalidPassword", h.get("username", ""), EventVersion="2"))
            await _close(session)
            return
        session.authenticated = True
        session.subscribe(h.get("events", "on"))
        self._reply(session, action_id, "Success", Message="Authentication accepted")
        uptime = str(int(time.time() - self._started))
        booted = {"Event": "FullyBooted", "Privilege": "system,all", "Uptime": uptime, "LastReload": uptime}
        if session.events:  # FullyBooted is not time-stamped, not even with timestampevents=yes
            session.write(encode({**booted, "Status": "Fully Booted"}))
        self.emit(session.security_event("SuccessfulAuth", self.username, EventVersion="1", UsingPassword="0"))

    async def _logoff(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        self._reply(session, action_id, "Goodbye", Message="Thanks for all the fish.")
        await _close(session)

    async def _ping(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        self._reply(session, action_id, "Success", Ping="Pong", Timestamp=f"{time.time():.6f}")

    async def _events(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        session.subscribe(h.get("eventmask", "on"))
        self._reply(session, action_id, "Success", Events="On" if session.events else "Off")

    async def _queue_status(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        items = self.state.queue_status(action_id, h.get("queue", ""), h.get("member", ""))
        await self._send_list(session, action_id, "Queue status will follow", items, "QueueStatusComplete")

    async def _core_show_channels(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        items = self.state.core_show_channels(action_id)
        await self._send_list(session, action_id, "Channels will follow", items, "CoreShowChannelsComplete")

    async def _send_list(self, session: _Session, action_id: str, message: str, items: list[Frame], done: str) -> None:
        """Asterisk's list form: Success + `EventList: start`, the items, then `<done>` with ListItems."""
        self._reply(session, action_id, "Success", EventList="start", Message=message)
        for item in items:
            if self.list_item_delay:
                await asyncio.sleep(self.list_item_delay)
            session.write(encode(item))
        head = {"Event": done, "ActionID": action_id} if action_id else {"Event": done}
        session.write(encode({**head, "EventList": "Complete", "ListItems": str(len(items))}))

    async def _queue_pause(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        if not h.get("interface") or not h.get("paused"):
            return self._reply(session, action_id, "Error", Message="Need 'Interface' and 'Paused' parameters.")
        paused = h["paused"].lower() in _TRUE
        events = self.state.pause(h["interface"], h.get("queue") or None, paused, h.get("reason", ""))
        if not events:
            return self._reply(session, action_id, "Error", Message="Interface not found")
        done = "paused" if paused else "unpaused"
        self._reply(session, action_id, "Success", Message=f"Interface {done} successfully")
        for event in events:
            self.emit(event)

    async def _originate(self, session: _Session, h: dict[str, str], action_id: str) -> None:
        """Queued at once; then 04 (agent answers, number dialled) or 04b (agent does not answer)."""
        if not h.get("channel"):
            return self._reply(session, action_id, "Error", Message="Channel not specified")
        self._reply(session, action_id, "Success", Message="Originate successfully queued")
        extension = h["channel"].split("/", 1)[-1].split("@")[0]
        number, context = h.get("exten") or "s", h.get("context") or "default"
        caller = _CALLER_ID.fullmatch(h.get("callerid", ""))
        name = (caller.group("name") if caller else "") or self.state.member_name(extension) or extension
        unanswered = bool({extension, number} & self.no_answer)
        recorded = self.scenarios["originate_no_answer" if unanswered else "originate_answered"]
        mapping = originate_mapping(recorded, action_id, extension, name, number, context)
        mapping.update(fresh_ids(recorded, self._ids, time.time(), {RECORDED_AGENTS[0][0]: extension}))
        variables = originate_variables(h.get("variable", ""))
        steps = relabel(with_variables(recorded.steps, variables), mapping)
        self._play(originate_steps(steps, action_id, h.get("timeout", "") if unanswered else ""), self.originate_speed)


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _close(session: _Session) -> None:
    with contextlib.suppress(ConnectionError):
        await session.writer.drain()
    session.writer.close()


async def _main(args: argparse.Namespace) -> None:
    simulator = AmiSimulator(args.username, args.secret, channel_variables=args.channel_variables)
    port = await simulator.start(args.host, args.port)
    print(f"AMI simulator on {args.host}:{port} (user {args.username})", flush=True)
    try:
        while True:
            await asyncio.sleep(args.call_every or 3600)
            if args.call_every:
                caller = f"09{random.randrange(10**8):08d}"
                print("call", await simulator.place_call(random.choice(QUEUE_CALLS), caller), caller, flush=True)
    finally:
        await simulator.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m cti_bridge.simulator", description="A fake Asterisk AMI server (loopback only)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--port", type=int, default=5038)
    parser.add_argument("--username", default="cc")
    parser.add_argument("--secret", default="cc-secret")
    parser.add_argument("--channel-variables", action="store_true", help="add ChanVariable lines to events")
    parser.add_argument("--call-every", type=float, default=0.0, metavar="SECONDS", help="place random demo calls")
    args = parser.parse_args(argv)
    if not _is_loopback(args.host):
        parser.error(f"--host must be a loopback address, not {args.host!r}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
