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

import hashlib
import re
from typing import Literal, TypeVar

import msgspec

VERSION = 1

HangupBy = Literal["caller", "agent", "transfer", "system", "unknown"]


class _Event(msgspec.Struct, kw_only=True, tag_field="type", omit_defaults=True):
    id: str
    call_id: str
    at: float  # when it happened at the PBX: seconds since the epoch (UTC)
    source: str = "asterisk"
    version: int = VERSION
    # Fields a sender or receiver cut to their bounds (see `bounded`): the fact travels with the event.
    truncated: list[str] | None = None


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
    caller: str | None = None  # outbound: the number dialled, as before `dialled` existed
    queue: str | None = None
    wait_seconds: float | None = None
    ring_seconds: float | None = None
    direction: Literal["in", "out"] = "in"  # "out": an agent's call to `dialled` (click-to-dial)
    dialled: str | None = None


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
    # The bridge met this call only at a resync, in no state it could read: it cannot tell whether the app
    # has it. The app ends it if it has it and otherwise ignores the event.
    if_known: bool = False


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


class CallsSnapshot(_Event, tag="calls.snapshot"):
    """Every call the PBX has right now (`call_id` is ""), sent after each (re)connect to it: the app
    closes each call of this `source` it still holds open that is not in `live` (it ended while the bridge
    was away) with `hangup_by` "system". The events that open the calls the app lacks come before it."""

    live: list[str] = []


class Hello(msgspec.Struct, kw_only=True, tag_field="type", tag="hello"):
    """First frame a bridge sends after connecting: who it is and what it has buffered."""

    bridge: str
    version: int = VERSION
    pending: int = 0


BridgeMessage = (
    CallOffered | CallRinging | CallRingNoAnswer | CallAnswered | CallTransferred | CallAbandoned | CallEnded
    | AgentState | OriginateResult | CallsSnapshot | Hello
)  # fmt: skip
CallEvent = (
    CallOffered | CallRinging | CallRingNoAnswer | CallAnswered | CallTransferred | CallAbandoned | CallEnded
    | AgentState | OriginateResult | CallsSnapshot
)  # fmt: skip


class Ack(msgspec.Struct, kw_only=True, tag_field="type", tag="ack", omit_defaults=True):
    """The app stored these events (or had them already): the bridge may forget them. `rejected` names
    events the app will never be able to store, with the reason: the bridge forgets them too, and logs
    them, so one bad event does not hold up the stream."""

    ids: list[str]
    rejected: dict[str, str] = {}


class Originate(msgspec.Struct, kw_only=True, tag_field="type", tag="originate"):
    """Click-to-dial: ring the agent's extension, then dial `number` from it."""

    command_id: str
    extension: str
    number: str
    caller_id: str | None = None
    variables: dict[str, str] = {}
    timeout_seconds: int = 30


AppMessage = Ack | Originate
M = TypeVar("M", bound=msgspec.Struct)

_bridge_decoder = msgspec.json.Decoder(BridgeMessage)
_event_decoder = msgspec.json.Decoder(CallEvent)
_app_decoder = msgspec.json.Decoder(AppMessage)
_encoder = msgspec.json.Encoder()


# Every string of the contract has a bound: what the app stores, and far more than any PBX sends. A
# longer value is cut (never fatal); identifiers are shortened with a hash of the whole value instead,
# so two long ids that share a prefix stay two ids and a re-sent event keeps its id.
MAX_LENGTHS: dict[str, int] = {
    "id": 200, "call_id": 64, "command_id": 64, "source": 32, "caller": 64, "caller_name": 128, "dialled": 64,
    "queue": 64, "extension": 32, "from_extension": 32, "to": 64, "number": 64, "cause": 64, "reason": 200,
    "bridge": 64,
}  # fmt: skip
IDENTIFIERS = frozenset({"id", "call_id", "command_id"})
DEFAULT_MAX_LENGTH = 200
# C0 controls and DEL: these are one-line fields, and PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shortened(value: str, limit: int) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:16]
    return f"{value[: limit - 17]}~{digest}"


def bounded(message: M) -> M:
    """The message with control characters removed from every string and each cut to its bound; the
    names of the fields that were cut are listed in the event's `truncated`."""
    changes: dict[str, object] = {}
    cut: list[str] = []
    for name in message.__struct_fields__:
        value = getattr(message, name)
        if name == "live" and isinstance(value, list):  # call ids
            held = [_CONTROL.sub("", v)[:10_000] for v in value if isinstance(v, str)]
            held = [v if len(v) <= MAX_LENGTHS["call_id"] else _shortened(v, MAX_LENGTHS["call_id"]) for v in held]
            if held != value:
                changes[name] = held
            continue
        if not isinstance(value, str):
            continue
        clean = _CONTROL.sub("", value)
        limit = MAX_LENGTHS.get(name, DEFAULT_MAX_LENGTH)
        if len(clean) > limit:
            clean = _shortened(clean, limit) if name in IDENTIFIERS else clean[:limit]
            cut.append(name)
        if clean != value:
            changes[name] = clean
    if not changes:
        return message
    if cut and isinstance(message, _Event):
        changes["truncated"] = sorted({*(message.truncated or ()), *cut})
    return msgspec.structs.replace(message, **changes)


def encode(message: BridgeMessage | AppMessage) -> bytes:
    return _encoder.encode(message)


def decode_bridge_message(data: bytes | str) -> BridgeMessage:
    """Raises msgspec.ValidationError / DecodeError on anything that is not a valid message; what it
    returns is `bounded`."""
    return bounded(_bridge_decoder.decode(data))


def decode_event(data: bytes | str) -> CallEvent:
    return bounded(_event_decoder.decode(data))


def decode_app_message(data: bytes | str) -> AppMessage:
    return bounded(_app_decoder.decode(data))
