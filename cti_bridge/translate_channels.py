"""Channel events → call events: plain Dial legs, bridges, hang-ups and transfers.

The queue's own legs are announced by the Agent* events (`translate_queue`); here a `DialBegin` or
`DialEnd` only matters for a leg the queue did not ring, such as the second leg of a blind transfer.
"""

from __future__ import annotations

from collections.abc import Mapping

from cti_bridge.contract import CallEnded, CallOffered, CallRinging, CallRingNoAnswer, CallTransferred, HangupBy
from cti_bridge.translate_fields import cid, extension_of, require, text
from cti_bridge.translate_queue import answer
from cti_bridge.translate_state import Call, Event, Ledger, Moment

_NOT_ANSWERED = frozenset({"NOANSWER", "BUSY", "CHANUNAVAIL", "CONGESTION"})
_HANGUP_REASONS: dict[str, HangupBy] = {"caller": "caller", "agent": "agent", "transfer": "transfer"}


def _is_first_channel(message: Mapping[str, str], call_id: str) -> bool:
    return text(message, "Uniqueid") == call_id


def on_newchannel(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """A call's first channel (Uniqueid == Linkedid) starts tracking it: its endpoint gives the direction."""
    call_id = require(message, "Linkedid")
    if _is_first_channel(message, call_id):
        call = ledger.call(call_id, create=True)
        if call is not None:
            ledger.learn_first_channel(call, message)
    return []


def _dial_call(ledger: Ledger, message: Mapping[str, str]) -> tuple[Call | None, str | None, str | None]:
    """(call, caller-side channel, rung channel) of a DialBegin/DialEnd; an Originate's dial has no caller side."""
    call_id = require(message, "Linkedid", "DestLinkedid")
    channel, leg = text(message, "Channel"), text(message, "DestChannel")
    if channel is None or leg is None:
        return None, channel, leg
    call = ledger.call(call_id, create=_is_first_channel(message, call_id))
    if call is not None:
        ledger.learn_first_channel(call, message)
    return call, channel, leg


def on_dial_begin(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """The customer's channel dials an agent outside a queue → CallRinging (e.g. after a blind transfer).
    Dials from other channels of the call (a Local channel's second half, an agent's consultation) ring nobody new."""
    call, _channel, leg = _dial_call(ledger, message)
    if call is None or leg is None:
        return []
    if ledger.outbound(call):
        if ledger.is_trunk(leg) and call.dialled is None:
            dial_string = text(message, "DialString") or ""
            call.dialled = text(message, "Exten") or dial_string.split("@")[0].split("/")[-1] or None
        return []
    extension = extension_of(leg)
    if not ledger.inbound(call) or call.in_queue or extension is None or extension in ledger.trunks:
        return []
    if leg in call.queue_legs or leg in call.dial_legs or not _is_first_channel(message, call.call_id):
        return []
    call.dial_legs[leg] = moment.at
    events: list[Event] = []
    if not call.announced:  # a call routed straight to an extension: announce it first
        call.offered = True
        call.caller, call.caller_name = cid(message, "CallerIDNum"), cid(message, "CallerIDName")
        call.dialled = text(message, "Exten")
        events += ledger.emit(
            CallOffered, call, "", moment, caller=call.caller, caller_name=call.caller_name, dialled=call.dialled
        )
    events += ledger.emit(
        CallRinging, call, extension, moment,
        extension=extension, caller=call.caller or cid(message, "CallerIDNum"),
        caller_name=call.caller_name or cid(message, "CallerIDName"), dialled=call.dialled,
    )  # fmt: skip
    return events


def on_dial_end(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """The end of a plain Dial leg: ANSWER → CallAnswered, no answer/busy → CallRingNoAnswer."""
    call, _channel, leg = _dial_call(ledger, message)
    if call is None or leg is None or leg not in call.dial_legs:
        return []
    status = (text(message, "DialStatus") or "").upper()
    extension = extension_of(leg) or ""
    rang = round(moment.at - call.dial_legs[leg], 3)
    if status == "ANSWER":
        return answer(ledger, call, extension, leg, moment, ring_seconds=max(rang, 0.0))
    del call.dial_legs[leg]
    if status not in _NOT_ANSWERED:
        return []
    return list(ledger.emit(CallRingNoAnswer, call, extension, moment, extension=extension, ring_seconds=rang))


def on_bridge_enter(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """Outbound: the trunk leg bridged → CallAnswered(the agent). Inbound: an agent leg outside the queue
    bridged without a DialEnd ANSWER → CallAnswered. Queue legs are AgentConnect's: with Local channel
    members the agent's phone is bridged (to the Local channel) before the queue connects the call."""
    call_id = require(message, "Linkedid")
    channel = text(message, "Channel")
    call = ledger.call(call_id)
    if call is None or channel is None or _is_first_channel(message, call_id):
        return []
    extension = extension_of(channel)
    if ledger.outbound(call):
        if extension not in ledger.trunks or call.answered_extension or call.first_endpoint is None:
            return []
        number = call.dialled or cid(message, "CallerIDNum")
        return answer(ledger, call, call.first_endpoint, channel, moment, caller=number, direction="out",
                      dialled=number)  # fmt: skip
    if not call.announced or call.in_queue or channel in call.queue_legs:
        return []
    if extension is None or extension in ledger.trunks:
        return []
    return answer(ledger, call, extension, channel, moment)


def on_hangup_request(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """Who asked to hang up: the customer's side (a trunk, or the caller of an inbound call) or the agent's."""
    call_id = require(message, "Linkedid")
    call = ledger.call(call_id)
    channel = text(message, "Channel")
    if call is None or channel is None:
        return []
    first = _is_first_channel(message, call_id)
    if ledger.is_trunk(channel) or (first and not ledger.outbound(call)):
        call.hangup_side = "caller"
    elif call.answered_extension is not None and (first or extension_of(channel) == call.answered_extension):
        call.hangup_side = "agent"
    return []


def _hangup_by(call: Call) -> HangupBy:
    complete = call.complete
    if complete is not None and complete.extension == call.answered_extension and complete.reason:
        return _HANGUP_REASONS.get(complete.reason.lower(), "unknown")
    if call.hangup_side is not None and (call.answered_extension is not None or call.hangup_side == "caller"):
        return call.hangup_side
    return "caller" if call.abandoned else "unknown"


def talk_seconds(call: Call, ended_at: float | None) -> float | None:
    """AgentComplete's TalkTime for the last agent, else the time since that agent answered."""
    if call.answered_extension is None:
        return None
    complete = call.complete
    if complete is not None and complete.extension == call.answered_extension and complete.talk_seconds is not None:
        return complete.talk_seconds
    if ended_at is None or call.answered_at is None:
        return None
    return round(max(ended_at - call.answered_at, 0.0), 3)


def on_hangup(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """The Hangup of the call's first channel ends the call (silently when the app never heard of it)."""
    call_id = require(message, "Linkedid")
    call = ledger.call(call_id)
    if call is None or not _is_first_channel(message, call_id):
        return []
    ledger.end(call)
    if not call.announced and not call.met_at_resync:
        return []
    return list(
        ledger.emit(
            CallEnded, call, call.answered_extension or "", moment,
            extension=call.answered_extension, talk_seconds=talk_seconds(call, moment.at),
            wait_seconds=call.wait_seconds, hangup_by=_hangup_by(call),
            cause=text(message, "Cause-txt") or text(message, "Cause"), if_known=not call.announced,
        )
    )  # fmt: skip


def on_blind_transfer(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """BlindTransfer (Result: Success) → CallTransferred to the `Extension` header."""
    call_id = require(message, "TransfereeLinkedid", "TransfererLinkedid")
    call = ledger.call(call_id)
    if call is None or not call.announced or (text(message, "Result") or "").lower() != "success":
        return []
    target = text(message, "Extension")
    call.in_queue = call.connected = False
    return list(
        ledger.emit(
            CallTransferred, call, target or "", moment,
            from_extension=extension_of(text(message, "TransfererChannel")), to=target, kind="blind",
        )
    )  # fmt: skip


def on_attended_transfer(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """AttendedTransfer (Result: Success) → CallTransferred, then CallAnswered for the target agent, who is
    already talking to the customer once the transfer completes."""
    keys = ("TransfereeLinkedid", "OrigTransfererLinkedid", "SecondTransfererLinkedid", "TransferTargetLinkedid")
    require(message, *keys)
    known = [ledger.calls[c] for c in (text(message, k) for k in keys) if c is not None and c in ledger.calls]
    call = known[0] if known else None
    if call is None or not call.announced or (text(message, "Result") or "").lower() != "success":
        return []
    target = text(message, "TransferTargetChannel")
    extension = extension_of(target)
    trunk = extension is None or extension in ledger.trunks
    to = cid(message, "TransferTargetCallerIDNum") if trunk else extension
    source = text(message, "OrigTransfererChannel") or text(message, "SecondTransfererChannel")
    call.in_queue = call.connected = False
    events: list[Event] = []
    events += ledger.emit(
        CallTransferred, call, to or "", moment, from_extension=extension_of(source), to=to, kind="attended"
    )
    if not trunk and extension is not None:
        events += answer(ledger, call, extension, target, moment)
    return events
