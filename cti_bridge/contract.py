"""THE call-event contract between a PBX bridge and the contact centre (version 1).

Everything that crosses the bridge ⇄ app websocket (`/ws/cti`) or `POST /api/cti/events` is one of
these messages, encoded as JSON with a `type` tag. Only the standard library and msgspec are used,
so any bridge (ours for Asterisk, someone else's for another PBX) can depend on this file alone.

Changes are additive: new optional fields and new message types; a receiver ignores what it does
not know.

Identity: `call_id` names the customer's call across every leg, queue hop and transfer (Asterisk's
Linkedid). `id` names one event and is unique per bridge: the app acknowledges it and drops repeats.
Numbers are passed as the PBX saw them; the app normalises them (E.164, region TW).
"""

from __future__ import annotations

from typing import Literal

import msgspec

VERSION = 1

HangupBy = Literal["caller", "agent", "transfer", "system", "unknown"]


class _Event(msgspec.Struct, kw_only=True, tag_field="type", omit_defaults=True):
    id: str
    call_id: str
    at: float  # when it happened at the PBX: seconds since the epoch (UTC)
    source: str = "asterisk"
    version: int = VERSION


class CallOffered(_Event, tag="call.offered"):
    """A call entered a queue (or reached the system) and waits for an agent."""

    caller: str | None = None
    caller_name: str | None = None
    dialled: str | None = None
    queue: str | None = None
    position: int | None = None


class CallRinging(_Event, tag="call.ringing"):
    """The call rings at an agent's extension: the moment of the screen-pop."""

    extension: str
    caller: str | None = None
    caller_name: str | None = None
    dialled: str | None = None
    queue: str | None = None
    direction: Literal["in", "out"] = "in"


class CallRingNoAnswer(_Event, tag="call.ring_no_answer"):
    """The agent did not pick up in time; the queue will try someone else."""

    extension: str
    ring_seconds: float | None = None
    queue: str | None = None


class CallAnswered(_Event, tag="call.answered"):
    extension: str
    caller: str | None = None
    queue: str | None = None
    wait_seconds: float | None = None
    ring_seconds: float | None = None


class CallTransferred(_Event, tag="call.transferred"):
    from_extension: str | None = None
    to: str | None = None  # an extension or a number
    kind: Literal["blind", "attended"] = "blind"


class CallAbandoned(_Event, tag="call.abandoned"):
    """The caller hung up while waiting in the queue."""

    queue: str | None = None
    wait_seconds: float | None = None
    position: int | None = None


class CallEnded(_Event, tag="call.ended"):
    extension: str | None = None  # the last agent on the call, if any
    talk_seconds: float | None = None
    wait_seconds: float | None = None
    hangup_by: HangupBy = "unknown"
    cause: str | None = None


class AgentState(_Event, tag="agent.state"):
    """An agent's phone as the PBX sees it (queue member status, pause). `call_id` is "" here."""

    extension: str
    paused: bool | None = None
    reason: str | None = None
    in_call: bool | None = None
    queue: str | None = None


# The reason a bridge gives when it cannot dial because it is not logged in to the PBX: the app
# recognises it and tells the agent in their language.
DIAL_NOT_CONNECTED = "telephony not connected"


class OriginateResult(_Event, tag="originate.result"):
    """What became of a click-to-dial command."""

    command_id: str
    ok: bool
    extension: str
    number: str
    reason: str | None = None


class Hello(msgspec.Struct, kw_only=True, tag_field="type", tag="hello"):
    """First frame a bridge sends after connecting: who it is and what it has buffered."""

    bridge: str
    version: int = VERSION
    pending: int = 0


BridgeMessage = (
    CallOffered | CallRinging | CallRingNoAnswer | CallAnswered | CallTransferred | CallAbandoned | CallEnded
    | AgentState | OriginateResult | Hello
)  # fmt: skip
CallEvent = (
    CallOffered | CallRinging | CallRingNoAnswer | CallAnswered | CallTransferred | CallAbandoned | CallEnded
    | AgentState | OriginateResult
)  # fmt: skip


class Ack(msgspec.Struct, kw_only=True, tag_field="type", tag="ack"):
    """The app stored these events (or had them already): the bridge may forget them."""

    ids: list[str]


class Originate(msgspec.Struct, kw_only=True, tag_field="type", tag="originate"):
    """Click-to-dial: ring the agent's extension, then dial `number` from it."""

    command_id: str
    extension: str
    number: str
    caller_id: str | None = None
    variables: dict[str, str] = {}
    timeout_seconds: int = 30


AppMessage = Ack | Originate

_bridge_decoder = msgspec.json.Decoder(BridgeMessage)
_event_decoder = msgspec.json.Decoder(CallEvent)
_app_decoder = msgspec.json.Decoder(AppMessage)
_encoder = msgspec.json.Encoder()


def encode(message: BridgeMessage | AppMessage) -> bytes:
    return _encoder.encode(message)


def decode_bridge_message(data: bytes | str) -> BridgeMessage:
    """Raises msgspec.ValidationError / DecodeError on anything that is not a valid message."""
    return _bridge_decoder.decode(data)


def decode_event(data: bytes | str) -> CallEvent:
    return _event_decoder.decode(data)


def decode_app_message(data: bytes | str) -> AppMessage:
    return _app_decoder.decode(data)
