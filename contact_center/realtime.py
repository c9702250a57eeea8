"""The one way out to the sockets: `publish(channels, channel, message)`.

Channel names: `agent:{user_id}` (one agent's desktop), `supervisors`, `bridge` (commands to the
PBX bridge). Messages are JSON. Callers publish only after their transaction committed, so no
desktop ever sees a call or ticket that is not in the database.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec
from litestar.channels import ChannelsPlugin

BRIDGE = "bridge"
SUPERVISORS = "supervisors"
_encoder = msgspec.json.Encoder()


def agent(user_id: int) -> str:
    return f"agent:{user_id}"


def publish(channels: ChannelsPlugin, channel: str, message: object) -> None:
    channels.publish(_encoder.encode(message), channel)


def publish_all(channels: ChannelsPlugin, messages: Iterable[tuple[str, object]]) -> None:
    for channel, message in messages:
        publish(channels, channel, message)
