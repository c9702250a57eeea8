"""Queue events → call events (QueueCallerJoin/Abandon/Leave, AgentCalled/RingNoAnswer/Connect/Complete).

Handlers take the ledger, the AMI message and its moment and return the events to emit. They read every
header they need before they change any state, so a `Missing` header leaves the call as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cti_bridge.contract import CallAbandoned, CallAnswered, CallOffered, CallRinging, CallRingNoAnswer
from cti_bridge.translate_fields import Missing, cid, extension_of, integer, require, seconds, text
from cti_bridge.translate_state import Call, Complete, Event, Ledger, Moment


def agent_extension(message: Mapping[str, str]) -> str:
    """The agent of an Agent* event: the member `Interface`, else the rung channel."""
    extension = extension_of(text(message, "Interface")) or extension_of(text(message, "DestChannel"))
    if extension is None:
        raise Missing("Interface")
    return extension


def _call(ledger: Ledger, message: Mapping[str, str], create: bool) -> Call | None:
    call = ledger.call(require(message, "Linkedid"), create=create)
    if call is not None:
        ledger.learn_first_channel(call, message)
    return call


def answer(ledger: Ledger, call: Call, extension: str, leg: str | None, moment: Moment, **fields: Any) -> list[Event]:
    """CallAnswered for `extension` unless that agent is already the one on the call (or this leg answered)."""
    if (leg is not None and leg in call.answered_legs) or (call.connected and extension == call.answered_extension):
        return []
    if leg is not None:
        call.answered_legs.add(leg)
        call.dial_legs.pop(leg, None)
    call.answered_extension, call.answered_at, call.connected = extension, moment.at, True
    call.in_queue, call.hangup_side = False, None
    caller = fields.pop("caller", None) or call.caller
    return list(ledger.emit(CallAnswered, call, extension, moment, extension=extension, caller=caller, **fields))


def on_caller_join(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """QueueCallerJoin → CallOffered. The DID is the caller channel's Exten when it first joins a queue."""
    call = _call(ledger, message, create=True)
    if call is None:
        return []
    call.offered = call.in_queue = True
    call.caller = cid(message, "CallerIDNum") or call.caller
    call.caller_name = cid(message, "CallerIDName") or call.caller_name
    call.dialled = call.dialled or text(message, "Exten")
    call.queue = text(message, "Queue") or call.queue
    return list(
        ledger.emit(
            CallOffered, call, call.queue or "", moment,
            caller=call.caller, caller_name=call.caller_name, dialled=call.dialled,
            queue=call.queue, position=integer(message, "Position"),
        )
    )  # fmt: skip


def on_caller_leave(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    call = _call(ledger, message, create=False)
    if call is not None:
        call.in_queue = False
    return []


def on_caller_abandon(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """QueueCallerAbandon → CallAbandoned (once per call); the Hangup that follows ends it."""
    call = _call(ledger, message, create=True)
    if call is None or call.abandoned:
        return []
    call.abandoned, call.in_queue, call.offered = True, False, True
    call.wait_seconds = seconds(message, "HoldTime")
    queue = text(message, "Queue") or call.queue
    return list(
        ledger.emit(
            CallAbandoned, call, queue or "", moment,
            queue=queue, wait_seconds=call.wait_seconds, position=integer(message, "Position"),
        )
    )  # fmt: skip


def _caller_details(call: Call, message: Mapping[str, str]) -> None:
    """An Agent* event of a call we did not see join (the bridge came up later): learn who is calling."""
    call.offered = True
    call.caller = call.caller or cid(message, "CallerIDNum")
    call.caller_name = call.caller_name or cid(message, "CallerIDName")
    call.dialled = call.dialled or text(message, "Exten")
    call.queue = call.queue or text(message, "Queue")


def on_agent_called(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """AgentCalled → CallRinging (the screen-pop), once per rung agent channel."""
    extension = agent_extension(message)
    call = _call(ledger, message, create=True)
    if call is None:
        return []
    _caller_details(call, message)
    leg = text(message, "DestChannel")
    if leg is not None:
        if leg in call.queue_legs or leg in call.dial_legs:
            call.queue_legs.add(leg)
            return []
        call.queue_legs.add(leg)
    return list(
        ledger.emit(
            CallRinging, call, extension, moment,
            extension=extension, caller=cid(message, "CallerIDNum") or call.caller,
            caller_name=cid(message, "CallerIDName") or call.caller_name, dialled=call.dialled,
            queue=text(message, "Queue") or call.queue,
        )
    )  # fmt: skip


def on_agent_ring_no_answer(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """AgentRingNoAnswer → CallRingNoAnswer; its RingTime is in milliseconds."""
    extension = agent_extension(message)
    call = _call(ledger, message, create=True)
    if call is None:
        return []
    _caller_details(call, message)
    return list(
        ledger.emit(
            CallRingNoAnswer, call, extension, moment,
            extension=extension, ring_seconds=seconds(message, "RingTime", 1000.0),
            queue=text(message, "Queue") or call.queue,
        )
    )  # fmt: skip


def on_agent_connect(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """AgentConnect → CallAnswered. HoldTime is the wait in the queue; RingTime here is in whole seconds."""
    extension = agent_extension(message)
    call = _call(ledger, message, create=True)
    if call is None:
        return []
    _caller_details(call, message)
    wait = seconds(message, "HoldTime")
    events = answer(
        ledger, call, extension, text(message, "DestChannel"), moment,
        caller=cid(message, "CallerIDNum"), queue=text(message, "Queue") or call.queue,
        wait_seconds=wait, ring_seconds=seconds(message, "RingTime"),
    )  # fmt: skip
    if events:
        call.wait_seconds = wait
    return events


def on_agent_complete(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """AgentComplete: remember TalkTime and who hung up (caller/agent/transfer) for the CallEnded."""
    call = _call(ledger, message, create=False)
    if call is not None:
        extension = extension_of(text(message, "Interface")) or extension_of(text(message, "DestChannel"))
        call.complete = Complete(extension, seconds(message, "TalkTime"), text(message, "Reason"))
    return []
