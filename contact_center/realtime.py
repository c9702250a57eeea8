"""The one way out to the sockets: `publish(channels, channel, message)`.

Channel names: `agent:{user_id}` (one agent's desktop), `ticket:{id}` (the desktops with it open),
`supervisors`, `bridge` (commands to the PBX bridge). Messages are JSON. Callers publish only after
their transaction committed, so no desktop ever sees a call or ticket that is not in the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable

import msgspec
from litestar.channels import ChannelsPlugin

from contact_center.counters import FRAMES

BRIDGE = "bridge"
SUPERVISORS = "supervisors"
_encoder = msgspec.json.Encoder()


def agent(user_id: int) -> str:
    return f"agent:{user_id}"


def ticket(ticket_id: int) -> str:
    """Everyone with this ticket open: who else is there or typing, and that it changed."""
    return f"ticket:{ticket_id}"


def publish(channels: ChannelsPlugin, channel: str, message: object) -> None:
    FRAMES.labels(_kind(message)).inc()
    channels.publish(_encoder.encode(message), channel)


def _kind(message: object) -> str:
    config = getattr(type(message), "__struct_config__", None)
    return str(config.tag) if config is not None and config.tag else type(message).__name__


def publish_all(channels: ChannelsPlugin, messages: Iterable[tuple[str, object]]) -> None:
    for channel, message in messages:
        publish(channels, channel, message)


Sender = Callable[[bytes], Awaitable[None]]


class LocalDelivery:
    """The agents' sockets held by this process, so the first screen-pop frame goes straight to the
    socket instead of round-tripping through Redis. The same frame is still published (tagged with
    this process's id) for the agent's sockets on other instances; this process drops its own copy."""

    def __init__(self) -> None:
        self._prefix = b'{"origin":"' + uuid.uuid4().hex[:12].encode() + b'",'
        self._senders: dict[int, set[Sender]] = {}

    def attach(self, user_id: int, sender: Sender) -> None:
        self._senders.setdefault(user_id, set()).add(sender)

    def detach(self, user_id: int, sender: Sender) -> None:
        self._senders.get(user_id, set()).discard(sender)

    def is_own(self, data: bytes) -> bool:
        return data.startswith(self._prefix)

    async def deliver(self, channels: ChannelsPlugin, user_id: int, message: object) -> None:
        FRAMES.labels(_kind(message)).inc()
        data = _encoder.encode(message)
        for send in list(self._senders.get(user_id, ())):
            await send(data)
        channels.publish(self._prefix + data[1:], agent(user_id))
