"""After a reconnect: reconcile the tracked calls with what Asterisk lists (CoreShowChannels, QueueStatus).

Events made here carry `at = now` (a waiting caller's CallOffered: now − Wait) and ids stamped
`resync@<now>`, since no AMI event stands behind them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cti_bridge.contract import CallEnded, CallOffered
from cti_bridge.translate_channels import talk_seconds
from cti_bridge.translate_fields import cid, extension_of, integer, seconds, text
from cti_bridge.translate_queue import answer
from cti_bridge.translate_state import Call, Event, Ledger, Moment

DISCONNECTED = "ended while the bridge was disconnected"


def resync(
    ledger: Ledger, channels: Sequence[Mapping[str, str]], queue_entries: Sequence[Mapping[str, str]], now: float
) -> list[Event]:
    moment = Moment(now, f"resync@{now:.6f}")
    live: dict[str, list[Mapping[str, str]]] = {}
    for channel in channels:
        if isinstance(channel, Mapping):
            call_id = text(channel, "Linkedid") or text(channel, "Uniqueid")
            if call_id is not None:
                live.setdefault(call_id, []).append(channel)
    events = _close_vanished(ledger, live, moment)
    for entry in queue_entries:
        if isinstance(entry, Mapping):
            events += _waiting(ledger, entry, channels, now)
    for call_id, legs in live.items():
        events += _bridged(ledger, call_id, legs, moment)
    for call_id in live:
        _remember(ledger, call_id)
    return events


def _remember(ledger: Ledger, call_id: str) -> None:
    """A live call in no state we can read (in the dialplan, between a transfer and its target): the app
    may have it open from before, so its hangup must reach the app, which ignores it if it never had it."""
    if call_id not in ledger.calls and call_id not in ledger.ended:
        call = ledger.call(call_id, create=True)
        if call is not None:
            call.met_at_resync = True


def _close_vanished(ledger: Ledger, live: Mapping[str, object], moment: Moment) -> list[Event]:
    """Every tracked call with no channel left ended while we were away: CallEnded(system), or forget it."""
    events: list[Event] = []
    for call in [c for c in ledger.calls.values() if c.call_id not in live]:
        ledger.end(call)
        if call.announced:
            events += ledger.emit(
                CallEnded, call, call.answered_extension or "", moment,
                extension=call.answered_extension, talk_seconds=talk_seconds(call, None),
                wait_seconds=call.wait_seconds, hangup_by="system", cause=DISCONNECTED,
            )  # fmt: skip
    return events


def _channel_of(entry: Mapping[str, str], channels: Sequence[Mapping[str, str]]) -> Mapping[str, str]:
    """The CoreShowChannel item of a QueueEntry's channel (QueueEntry carries no Linkedid), or the entry."""
    uniqueid, name = text(entry, "Uniqueid"), text(entry, "Channel")
    for channel in channels:
        if isinstance(channel, Mapping) and (
            (uniqueid is not None and text(channel, "Uniqueid") == uniqueid)
            or (name is not None and text(channel, "Channel") == name)
        ):
            return channel
    return entry


def _waiting(
    ledger: Ledger, entry: Mapping[str, str], channels: Sequence[Mapping[str, str]], now: float
) -> list[Event]:
    """A caller waiting in a queue that the app does not know yet → CallOffered."""
    channel = _channel_of(entry, channels)
    call_id = text(channel, "Linkedid") or text(entry, "Uniqueid")
    call = ledger.call(call_id, create=True) if call_id is not None else None
    if call is None or call.announced:
        return []
    wait = seconds(entry, "Wait") or 0.0
    call.offered = call.in_queue = True
    call.first_endpoint = call.first_endpoint or extension_of(text(entry, "Channel"))
    call.caller = cid(entry, "CallerIDNum") or cid(entry, "CallerID") or cid(channel, "CallerIDNum")
    call.caller_name = cid(entry, "CallerIDName") or cid(channel, "CallerIDName")
    call.dialled = text(channel, "Exten") if channel is not entry else None
    call.queue = text(entry, "Queue")
    return list(
        ledger.emit(
            CallOffered, call, call.queue or "", Moment(now - wait, f"resync@{now:.6f}"),
            caller=call.caller, caller_name=call.caller_name, dialled=call.dialled,
            queue=call.queue, position=integer(entry, "Position"),
        )
    )  # fmt: skip


def _bridged(ledger: Ledger, call_id: str, legs: list[Mapping[str, str]], moment: Moment) -> list[Event]:
    """A live call whose first channel is bridged: inbound with an agent → CallAnswered(agent) (and
    CallOffered first if the call is new to us); outbound with the trunk → CallAnswered(the dialling agent)."""
    first = next((leg for leg in legs if text(leg, "Uniqueid") == call_id), None)
    bridge = text(first, "BridgeId") if first is not None else None
    if first is None or bridge is None:
        return []
    others = [leg for leg in legs if leg is not first and text(leg, "BridgeId") == bridge]
    endpoint = extension_of(text(first, "Channel"))
    if endpoint is None or not others:
        return []
    if endpoint not in ledger.trunks:
        trunk = next((leg for leg in others if ledger.is_trunk(text(leg, "Channel"))), None)
        return _answered_outbound(ledger, call_id, endpoint, first, trunk, moment) if trunk is not None else []
    agent = next((leg for leg in others if not ledger.is_trunk(text(leg, "Channel"))), None)
    extension = extension_of(text(agent, "Channel")) if agent is not None else None
    if agent is None or extension is None:
        return []
    call = ledger.call(call_id, create=True)
    if call is None:
        return []
    events: list[Event] = []
    if not call.announced:
        events += _announce(ledger, call, first, moment)
    return events + answer(ledger, call, extension, text(agent, "Channel"), moment)


def _announce(ledger: Ledger, call: Call, first: Mapping[str, str], moment: Moment) -> list[Event]:
    call.offered = True
    call.first_endpoint = extension_of(text(first, "Channel"))
    call.caller, call.caller_name = cid(first, "CallerIDNum"), cid(first, "CallerIDName")
    call.dialled = text(first, "Exten")
    if text(first, "Application") == "Queue":
        call.queue = (text(first, "ApplicationData") or "").split(",")[0] or None
    return list(
        ledger.emit(
            CallOffered, call, call.queue or "", moment,
            caller=call.caller, caller_name=call.caller_name, dialled=call.dialled, queue=call.queue,
        )
    )  # fmt: skip


def _answered_outbound(
    ledger: Ledger, call_id: str, agent: str, first: Mapping[str, str], trunk: Mapping[str, str], moment: Moment
) -> list[Event]:
    call = ledger.call(call_id, create=True)
    if call is None or call.answered_extension is not None:
        return []
    call.first_endpoint = agent
    call.dialled = call.dialled or text(first, "Exten") or cid(trunk, "CallerIDNum")
    return answer(ledger, call, agent, text(trunk, "Channel"), moment, caller=call.dialled, direction="out",
                  dialled=call.dialled)  # fmt: skip
