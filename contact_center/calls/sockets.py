"""The two call websockets: `/ws/cti` (a PBX bridge) and `/ws/agent` (an agent's desktop).

/ws/cti: the bridge sends contract events; each is stored and applied in its own transaction and
then acknowledged (`{"type":"ack","ids":[...]}`), so a bridge re-sends whatever was not acknowledged
when the connection dropped; repeats are recognised by event id. Commands for the PBX (click-to-dial)
reach the bridge on the `bridge` channel, whichever app instance the agent is connected to.

/ws/agent: the agent's desktop receives its screen-pops and call updates on channel `agent:{id}`;
on connect it gets the pops of calls still ringing or up at its extension (a pop that arrived while
the socket was down is not lost). It sends `{"type":"dial","number":"..."}` for click-to-dial.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.exceptions import WebSocketDisconnect

from contact_center import phones, realtime
from contact_center.auth.guards import DESK, current_user, requires
from contact_center.calls import schemas as s
from contact_center.calls.controllers import FEEDERS
from contact_center.calls.flows import CallDesk
from contact_center.calls.screen_pop import live_pops
from contact_center.counters import SOCKETS
from contact_center.errors import DomainError
from contact_center.routing import service as routing_service
from cti_bridge import contract as c

log = logging.getLogger(__name__)
AGENT_STATES = ("available", "away", "wrap_up")
WRITER_RESTART_SECONDS = 0.5
WRITE_BATCH = 100  # events per transaction at most, when they queue up


def _ack_frame(ack: c.Ack) -> str:
    return c.encode(ack).decode()


async def _write_in_order(
    socket: WebSocket[Any, Any, Any], desk: CallDesk, backlog: asyncio.Queue[c.CallEvent]
) -> None:
    """In arrival order: what arrived while the last write was under way is written together, then
    published, then acknowledged; an event that can never be stored is acknowledged as rejected, with its
    reason, and the stream goes on."""
    while True:
        events = [await backlog.get()]
        while not backlog.empty() and len(events) < WRITE_BATCH:
            events.append(backlog.get_nowait())
        ack = await desk.store_batch(events)
        await socket.send_data(_ack_frame(ack), mode="text")


async def _supervise_writer(
    socket: WebSocket[Any, Any, Any], desk: CallDesk, backlog: asyncio.Queue[c.CallEvent]
) -> None:
    """The writer never dies silently: a crash is logged and counted, /health says degraded while it is
    down, and it starts again (what it had not acknowledged, the bridge sends again)."""
    while True:
        try:
            await _write_in_order(socket, desk, backlog)
        except (WebSocketDisconnect, ConnectionError):
            return
        except Exception:
            desk.stats.writer_restarts += 1
            desk.stats.writers_down += 1
            log.exception("cti: the event writer crashed; restarting it (%d restarts)", desk.stats.writer_restarts)
            try:
                await asyncio.sleep(WRITER_RESTART_SECONDS)
            finally:
                desk.stats.writers_down -= 1


@websocket("/ws/cti", guards=[requires(*FEEDERS)])
async def cti_socket(socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin) -> None:
    """A PBX bridge: call events in, acknowledgements and commands out."""
    await socket.accept()
    desk: CallDesk = socket.app.state.call_desk
    backlog: asyncio.Queue[c.CallEvent] = asyncio.Queue()

    async def forward(command: bytes) -> None:
        await socket.send_data(command.decode(), mode="text")

    writer = asyncio.create_task(_supervise_writer(socket, desk, backlog))
    SOCKETS.labels("cti").inc()
    # join=False here and below: when the socket is gone, what is still queued for it cannot be sent, and
    # waiting for it hung the close (a frame that arrived as the socket closed killed the sending task).
    async with (
        channels.start_subscription([realtime.BRIDGE]) as subscriber,
        subscriber.run_in_background(forward, join=False),
    ):
        try:
            async for raw in socket.iter_data(mode="text"):
                try:
                    message = c.decode_bridge_message(raw)
                except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                    desk.stats.malformed += 1
                    log.warning("cti: ignored a frame that is no contract message (%s); %d so far", exc,
                                desk.stats.malformed)  # fmt: skip
                    continue
                if isinstance(message, c.Hello):
                    log.info("cti: bridge %s connected with %d pending events", message.bridge, message.pending)
                    continue
                desk.received(message)  # the screen-pop starts now, not when the event's turn comes
                backlog.put_nowait(message)
        except WebSocketDisconnect:
            pass
        finally:
            # Unacknowledged events come again when the bridge reconnects; repeats are dropped by id.
            SOCKETS.labels("cti").dec()
            writer.cancel()
            await asyncio.gather(writer, return_exceptions=True)


def dial_string(number: str) -> str | None:
    """What the PBX dials: national digits for Taiwan (its dialplan's `_0X.`), +E.164 abroad."""
    e164 = phones.to_e164(number)
    if e164 is None:
        return None
    return "0" + e164[4:] if e164.startswith("+886") else e164


async def _replay_live_pops(socket: WebSocket[Any, Any, Any], extension: str) -> None:
    state = socket.app.state
    async with state.session_factory() as session:
        pops = await live_pops(session, extension, state.call_desk.pops)
    for frame in pops:
        await socket.send_data(msgspec.json.encode(frame).decode(), mode="text")


async def _dial(socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin, extension: str | None, number: str) -> None:
    target = dial_string(number)
    command_id = uuid.uuid4().hex
    if not extension or target is None:
        reason = "your user has no extension" if not extension else "not a valid phone number"
        result = s.DialResult(command_id=command_id, ok=False, number=number, reason=reason)
        await socket.send_data(msgspec.json.encode(result).decode(), mode="text")
        return
    realtime.publish(channels, realtime.BRIDGE, c.Originate(command_id=command_id, extension=extension, number=target))


@websocket("/ws/agent", guards=[requires(*DESK)])
async def agent_socket(socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin) -> None:
    """An agent's desktop: screen-pops and call updates out, click-to-dial in."""
    user = current_user(socket)
    assert user is not None
    await socket.accept()
    local = socket.app.state.call_desk.local

    async def send(message: bytes) -> None:
        await socket.send_data(message.decode(), mode="text")

    async def forward(message: bytes) -> None:
        if not local.is_own(message):  # this process delivered it already, straight to the socket
            await send(message)

    local.attach(user.id, send)
    watch = TicketWatch(channels, send, user.id, user.display_name)
    SOCKETS.labels("agent").inc()
    subscription = channels.start_subscription([realtime.agent(user.id)])
    redis = socket.app.state.redis_channels
    missed = asyncio.Event()  # Redis came back: frames of the outage may be lost, send the live pops again
    resync = asyncio.create_task(_resync_after_outages(socket, user.extension, missed))
    if redis is not None:
        redis.on_reconnect.add(missed.set)
    try:
        async with subscription as subscriber, subscriber.run_in_background(forward, join=False):
            if user.extension:
                await _replay_live_pops(socket, user.extension)
            await socket.send_data('{"type":"ready"}', mode="text")
            await _commands(socket, channels, user.id, user.extension, watch)
    finally:
        await watch.close()
        if redis is not None:
            redis.on_reconnect.discard(missed.set)
        resync.cancel()
        local.detach(user.id, send)
        SOCKETS.labels("agent").dec()


async def _resync_after_outages(socket: WebSocket[Any, Any, Any], extension: str | None, missed: asyncio.Event) -> None:
    while True:
        await missed.wait()
        missed.clear()
        if extension:
            with contextlib.suppress(WebSocketDisconnect, ConnectionError):
                await _replay_live_pops(socket, extension)


PRESENCE_STATES = ("viewing", "typing", "left")


class TicketWatch:
    """Collision on a ticket: the desktop says which ticket it has open and whether its agent is typing;
    everyone with the same ticket open hears it (and hears when the ticket changes). One ticket at a time
    per desktop; no state on the server beyond this subscription, so it works across app instances."""

    def __init__(self, channels: ChannelsPlugin, send: Callable[[bytes], Awaitable[None]], user_id: int,
                 name: str) -> None:  # fmt: skip
        self.channels, self.send, self.user_id, self.name = channels, send, user_id, name
        self.ticket_id: int | None = None
        self.subscriber: Subscriber | None = None
        self.task: asyncio.Task[None] | None = None

    async def _forward(self, subscriber: Subscriber) -> None:
        async for event in subscriber.iter_events():
            await self.send(event)

    async def close(self) -> None:
        if self.ticket_id is not None:
            self._announce(self.ticket_id, "left")
        if self.task is not None:
            self.task.cancel()
        if self.subscriber is not None:
            await self.channels.unsubscribe(self.subscriber)
        self.ticket_id = self.subscriber = self.task = None

    def _announce(self, ticket_id: int, state: str) -> None:
        message = {"type": "ticket_presence", "ticket_id": ticket_id, "user_id": self.user_id, "name": self.name,
                   "state": state}  # fmt: skip
        realtime.publish(self.channels, realtime.ticket(ticket_id), message)

    async def update(self, ticket_id: int, state: str) -> None:
        if ticket_id != self.ticket_id:
            await self.close()
            if state == "left":
                return
            self.ticket_id = ticket_id
            self.subscriber = await self.channels.subscribe([realtime.ticket(ticket_id)])
            self.task = asyncio.create_task(self._forward(self.subscriber))
        self._announce(ticket_id, state)
        if state == "left":
            await self.close()


async def _commands(
    socket: WebSocket[Any, Any, Any],
    channels: ChannelsPlugin,
    user_id: int,
    extension: str | None,
    watch: TicketWatch,
) -> None:
    try:
        async for command in socket.iter_json():
            if not isinstance(command, dict):
                continue
            if command.get("type") == "ticket_presence":
                ticket_id, state = command.get("ticket_id"), command.get("state")
                if isinstance(ticket_id, int) and 0 < ticket_id < 2**63 and state in PRESENCE_STATES:
                    await watch.update(ticket_id, str(state))
            elif command.get("type") == "dial":
                await _dial(socket, channels, extension, str(command.get("number", "")))
            elif command.get("type") == "state" and command.get("state") in AGENT_STATES:
                # Stored on the agent's routing profile: routing and the wallboard read it from there.
                try:
                    async with socket.app.state.session_factory() as session, session.begin():
                        await routing_service.set_presence(session, user_id, command["state"])
                except DomainError as exc:
                    await socket.send_json({"type": "error", "message": exc.message})
                    continue
                await socket.send_json({"type": "state", "state": command["state"]})
    except WebSocketDisconnect:
        pass
