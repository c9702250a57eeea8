"""The bridge process: Asterisk (AMI, through pyst2) → call events → the app (websocket), and
click-to-dial commands back.

It keeps both links up on its own: AMI with capped, jittered back-off and a keep-alive Ping (a
silent Asterisk is noticed), a resync (CoreShowChannels + QueueStatus) after every (re)connect so
calls that ended meanwhile are closed; the app link re-sends what was not acknowledged. Wrong AMI
credentials or a refused bridge token stop it with a clear message and exit code, never a retry loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from cti_bridge import contract as c
from cti_bridge.ami import AmiActionError, AmiAuthError, AmiConnection, AmiError
from cti_bridge.spool import Spool
from cti_bridge.translate import CallTracker
from cti_bridge.transport import AppLink, AppRefused, backoff

log = logging.getLogger("cti_bridge")

EXIT_OK, EXIT_CONFIG, EXIT_AMI_AUTH, EXIT_APP_REFUSED = 0, 1, 2, 3
STABLE_SESSION_SECONDS = 10.0
RESYNC_RETRY_CAP = 30.0


class ConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class BridgeConfig:
    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_user: str = "cc"
    ami_secret: str = field(default="cc-secret", repr=False)
    app_url: str = "http://127.0.0.1:8000"
    token: str = field(default="", repr=False)
    bridge_id: str = field(default_factory=socket.gethostname)
    channel_tech: str = "PJSIP"  # how an agent's phone is dialled for click-to-dial: PJSIP/1001
    dial_context: str = "agents"  # the dialplan context that dials outside numbers
    # Only the event classes the bridge reads: without `dialplan` (VarSet, Newexten) and `reporting`
    # (RTCP) Asterisk sends about a third of the events of a queue call. "on" asks for everything.
    event_mask: str = "call,agent,system"
    ping_interval: float = 10.0
    ping_timeout: float = 5.0
    # Where unacknowledged events wait on disk (None: in memory only, lost if the process dies).
    spool_path: Path | None = None
    # After a crash Asterisk is usually back within seconds, and calls ring meanwhile: retry soon.
    reconnect_cap: float = 5.0

    @classmethod
    def from_env(cls) -> BridgeConfig:
        token = os.environ.get("BRIDGE_TOKEN", "")
        if not token:
            raise ConfigError(
                "BRIDGE_TOKEN is not set: create one with `contact-center token create --user <pbx user>`"
            )
        return cls(
            ami_host=os.environ.get("AMI_HOST", "127.0.0.1"),
            ami_port=int(os.environ.get("AMI_PORT", "5038")),
            ami_user=os.environ.get("AMI_USER", "cc"),
            ami_secret=os.environ.get("AMI_SECRET", "cc-secret"),
            app_url=os.environ.get("APP_URL", "http://127.0.0.1:8000"),
            token=token,
            bridge_id=os.environ.get("BRIDGE_ID", socket.gethostname()),
            channel_tech=os.environ.get("AMI_CHANNEL_TECH", "PJSIP"),
            dial_context=os.environ.get("AMI_DIAL_CONTEXT", "agents"),
            event_mask=os.environ.get("AMI_EVENT_MASK", "call,agent,system"),
            spool_path=Path(
                os.environ.get("BRIDGE_SPOOL") or Path(os.environ.get("CC_VAR_DIR", "var")) / "bridge.spool"
            ),
        )

    @property
    def ws_url(self) -> str:
        base = self.app_url.rstrip("/")
        return (
            "wss://" + base[8:] if base.startswith("https://") else "ws://" + base.removeprefix("http://")
        ) + "/ws/cti"


class Bridge:
    def __init__(self, config: BridgeConfig) -> None:
        self.config = config
        self.source = "asterisk"
        self.tracker = CallTracker(source=self.source)
        spool = Spool(config.spool_path) if config.spool_path is not None else None
        self.link = AppLink(config.ws_url, config.token, config.bridge_id, on_command=self.originate, spool=spool)
        self._ami: AmiConnection | None = None
        self._stopping = asyncio.Event()
        self.ami_sessions = 0
        # Set while logged in to Asterisk (what click-to-dial needs); the app link has its own `connected`.
        self.ami_ready = asyncio.Event()
        self.resync_complete = asyncio.Event()  # this session's CoreShowChannels and QueueStatus both answered
        self._refused: set[str] = set()  # actions Asterisk refused in this session (logged once)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> int:
        """Runs until `stop()`; returns the process exit code."""
        link = asyncio.create_task(self.link.run())
        ami = asyncio.create_task(self._ami_loop())
        stopper = asyncio.create_task(self._stopping.wait())
        done, _ = await asyncio.wait({link, ami, stopper}, return_when=asyncio.FIRST_COMPLETED)
        code = EXIT_OK
        if ami in done:
            code = ami.result()
        elif link in done and isinstance(link.exception(), AppRefused):
            log.error("%s", link.exception())
            code = EXIT_APP_REFUSED
        self._stopping.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.link.drain(), 5)  # hand over what is in flight
        self.link.stop()
        for task in (link, ami, stopper):
            task.cancel()
        await asyncio.gather(link, ami, stopper, return_exceptions=True)
        return code

    async def _ami_loop(self) -> int:
        attempt = 0
        while not self._stopping.is_set():
            ami = AmiConnection()
            try:
                await ami.connect(
                    self.config.ami_host, self.config.ami_port, self.config.ami_user, self.config.ami_secret
                )
            except AmiAuthError as exc:
                log.error("%s: check AMI_USER and AMI_SECRET against manager.conf", exc)
                return EXIT_AMI_AUTH
            except (AmiError, OSError) as exc:
                delay = backoff(attempt, cap=self.config.reconnect_cap)
                attempt += 1
                log.warning(
                    "AMI %s:%s unreachable (%s); retrying in %.1f s",
                    self.config.ami_host,
                    self.config.ami_port,
                    exc,
                    delay,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
                continue
            self.ami_sessions += 1
            self._ami = ami
            self.ami_ready.set()
            started = time.monotonic()
            try:
                await self._session(ami)
            finally:
                self._ami = None
                self.ami_ready.clear()
                self.resync_complete.clear()
                await ami.close()
            # A session that ends as soon as it starts is no proof Asterisk is well: keep backing off.
            if time.monotonic() - started > STABLE_SESSION_SECONDS:
                attempt = 0
            elif not self._stopping.is_set():
                delay = backoff(attempt, cap=self.config.reconnect_cap)
                attempt += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)
        return EXIT_OK

    async def _session(self, ami: AmiConnection) -> None:
        log.info("AMI connected to %s:%s", self.config.ami_host, self.config.ami_port)
        consumer = asyncio.create_task(self._consume(ami))
        keepalive = asyncio.create_task(self._keepalive(ami))
        stopper = asyncio.create_task(self._stopping.wait())
        self._refused.clear()
        resync = asyncio.create_task(self._resync_until_complete(ami))
        try:
            await ami.send_action({"Action": "Events", "EventMask": self.config.event_mask})
            await asyncio.wait({consumer, keepalive, stopper}, return_when=asyncio.FIRST_COMPLETED)
        except AmiError as exc:
            log.warning("AMI session ended: %s", exc)
        finally:
            for task in (consumer, keepalive, stopper, resync):
                task.cancel()
            await asyncio.gather(consumer, keepalive, stopper, resync, return_exceptions=True)
        if not self._stopping.is_set():  # a stop is not a lost connection
            log.warning("AMI connection lost; %d calls live", len(self.tracker.live_calls()))

    async def _consume(self, ami: AmiConnection) -> None:
        async for frame in ami.events():
            for event in self.tracker.feed(frame):
                self.link.send(event)

    async def _keepalive(self, ami: AmiConnection) -> None:
        while True:
            await asyncio.sleep(self.config.ping_interval)
            await ami.ping(self.config.ping_timeout)  # AmiTimeoutError ends the session: reconnect

    async def _resync_until_complete(self, ami: AmiConnection) -> None:
        """Resync now; when Asterisk refuses a list (app_queue still loading or not loaded, a manager user
        without the right class), stay connected without it and ask again with back-off. A refused
        action is not a failed connection: the events keep flowing meanwhile."""
        attempt = 0
        while not await self._resync(ami):
            delay = min(RESYNC_RETRY_CAP, 2.0**attempt)
            await asyncio.sleep(delay / 2 + random.uniform(0, delay / 2))  # 0.5-1 s, 1-2 s, 2-4 s, ...
            attempt += 1
        self.resync_complete.set()

    async def _listed(self, ami: AmiConnection, action: str, item: str) -> list[dict[str, str]] | None:
        try:
            frames = await ami.list_action({"Action": action})
        except AmiActionError as exc:
            if action not in self._refused:
                self._refused.add(action)
                log.warning("%s; carrying on without it and asking again later", exc)
            return None
        if action in self._refused:
            self._refused.discard(action)
            log.warning("AMI %s answers again", action)
        return [f for f in frames if f.get("Event") == item]

    async def _resync(self, ami: AmiConnection) -> bool:
        """Reconcile with what Asterisk has; True when both lists were had. Then tell the app which calls
        are live, so it closes the ones that ended while no bridge was watching (whatever this process
        remembers: a restarted bridge remembers nothing)."""
        channels = await self._listed(ami, "CoreShowChannels", "CoreShowChannel")
        entries = await self._listed(ami, "QueueStatus", "QueueEntry")
        now = time.time()
        events = self.tracker.resync(channels or [], entries or [], now)
        for event in events:
            self.link.send(event)
        if channels is not None:
            live = sorted({f.get("Linkedid") or f.get("Uniqueid") or "" for f in channels} - {""})
            stamp = f"{now:.6f}"
            self.link.send(c.CallsSnapshot(id=f"{self.source}:snapshot:{self.config.bridge_id}:{stamp}",
                                           call_id="", at=now, source=self.source, live=live))  # fmt: skip
        log.info("resync: %s channels, %s waiting callers, %d events", "?" if channels is None else len(channels),
                 "?" if entries is None else len(entries), len(events))  # fmt: skip
        return channels is not None and entries is not None

    async def originate(self, command: c.Originate) -> None:
        """Click-to-dial: ring the agent's phone, then dial the number from it (AMI Originate)."""
        ami = self._ami
        reason = None
        if ami is None:
            reason = c.DIAL_NOT_CONNECTED
        else:
            action = {
                "Action": "Originate", "ActionID": command.command_id,
                "Channel": f"{self.config.channel_tech}/{command.extension}", "Context": self.config.dial_context,
                "Exten": command.number, "Priority": "1", "Timeout": str(command.timeout_seconds * 1000),
                "CallerID": command.caller_id or command.extension, "Async": "true",
            }  # fmt: skip
            if command.variables:
                action["Variable"] = ",".join(f"{k}={v}" for k, v in command.variables.items())
            try:
                response = await ami.send_action(action)
                if response.get("Response") != "Success":
                    reason = response.get("Message", "refused by the PBX")
            except AmiError as exc:
                reason = str(exc)
        if reason is not None:  # success is reported by Asterisk's OriginateResponse event, via the tracker
            failed = c.OriginateResult(
                id=f"asterisk:originate:{command.command_id}:failed", call_id="", at=time.time(),
                command_id=command.command_id, ok=False, extension=command.extension, number=command.number,
                reason=reason,
            )  # fmt: skip
            self.link.send(failed)


def run_main() -> int:
    """Runs the bridge on uvloop when it is installed: its thread hand-offs are on the screen-pop path."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())
    return uvloop.run(main())


async def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = BridgeConfig.from_env()
    except (ConfigError, ValueError) as exc:
        log.error("%s", exc)
        return EXIT_CONFIG
    bridge = Bridge(config)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, bridge.stop)
    log.info("bridge %s: AMI %s:%s → %s", config.bridge_id, config.ami_host, config.ami_port, config.ws_url)
    return await bridge.run()
