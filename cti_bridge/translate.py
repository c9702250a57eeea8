"""AMI events → the call-event contract (`cti_bridge.contract`). Pure: no I/O, no threads, no asyncio.

`CallTracker.feed(message)` takes one parsed AMI message (a header dict from `cti_bridge.frames`) and
returns the contract events it causes, usually none. It never raises: a message it cannot use is
counted in `stats` and dropped. State is kept per call, keyed by Asterisk's `Linkedid`, which names the
customer's call across queue legs and transfers (the contract's `call_id`).

Mapping (Asterisk 22, see tests/fixtures/asterisk-ami/README.md):

* QueueCallerJoin → CallOffered (caller = CallerIDNum, dialled = the caller channel's Exten: the DID).
* AgentCalled → CallRinging (the screen-pop); AgentRingNoAnswer → CallRingNoAnswer (RingTime is in ms);
  AgentConnect → CallAnswered (wait = HoldTime; RingTime there is in whole *seconds*: a 1.5 s ring reads
  `RingTime: 1`, so it is not divided by 1000). AgentComplete is remembered for CallEnded.
* QueueCallerAbandon → CallAbandoned; the caller channel's Hangup then ends the call (hangup_by "caller").
* BlindTransfer / AttendedTransfer with Result Success → CallTransferred. The second leg of a blind
  transfer is a plain Dial: a DialBegin from the call to an agent channel → CallRinging, its DialEnd
  ANSWER → CallAnswered, DialEnd NOANSWER/BUSY/CHANUNAVAIL/CONGESTION → CallRingNoAnswer. After an attended
  transfer the target is already talking to the customer, so CallTransferred is followed by CallAnswered
  for the target. An inbound call that reaches an extension by a plain Dial without any queue is
  announced the same way (CallOffered without a queue, then CallRinging).
* A BridgeEnter of an agent channel outside the queue that no DialEnd announced → CallAnswered (a
  fallback). Queue legs are answered by AgentConnect only: a Local-channel member's phone is bridged to
  its Local channel before the queue connects the call.
* The Hangup of the call's first channel (Uniqueid == Linkedid) → CallEnded. `extension` is the last
  agent who answered; `talk_seconds` is AgentComplete's TalkTime when it concerns that agent, else the
  time since that agent answered; `hangup_by` is AgentComplete's Reason for that agent, else the side
  whose channel got the first HangupRequest since the answer ("caller" means the customer's side, the
  trunk), else "caller" for an abandoned call, else "unknown"; `cause` is Cause-txt (or Cause).
* Calls placed by agents (the first channel is not a trunk, e.g. click-to-dial): no CallOffered and no
  CallRinging, since there is no screen-pop for a call the agent places. When a trunk channel of the call
  enters a bridge: CallAnswered(extension = the agent, caller = the number dialled, i.e. the customer),
  and CallEnded at the end. Calls between two extensions produce nothing.
* A call the app never heard of (no event emitted: an IVR-only call, an unanswered click-to-dial) ends
  silently.
* OriginateResponse → OriginateResult (command_id = ActionID, extension from Channel, which is the dial
  string on failure; number = Exten; reason in words; call_id = the Uniqueid of the originated channel,
  which is the new call's Linkedid, or "" on failure).
* QueueMemberPause / QueueMemberStatus → AgentState (call_id ""), only when (paused, reason, in_call)
  changed for that extension and queue: QueueMemberStatus repeats on every device-state change.
* Everything else (VarSet, Newexten, RTCP*, DeviceStateChange, list items like CoreShowChannel…) is ignored.

Ids are `"{source}:{call_id}:{type}:{key}:{stamp}"` where key is the extension (the queue for offered/
abandoned, the target for transfers) and stamp is the event's `Timestamp` header, so a repeated AMI
event yields the same id; without Timestamp (`timestampevents = no`, Asterisk's default) the stamp is a
per-call sequence number `#n`. `at` is the Timestamp, else the injected clock. An id already emitted is
not emitted again, and events of a call that has ended are dropped, so feeding the same events twice
emits nothing for those calls the second time, and a call never goes back to an earlier state.
Without Timestamps nothing tells a repeated AgentState apart from a new one; those are snapshots and
harmless to repeat. An OriginateResult's key is its ActionID and its stamp the Timestamp or nothing.

`resync` trusts its `channels` to be the complete CoreShowChannels list: a call missing from it is closed.

The work is split by topic: `translate_fields` (header readers, `extension_of`), `translate_state` (per-call
state, ids, counters), `translate_queue` and `translate_channels` (event handlers), `translate_resync`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

from cti_bridge.contract import AgentState, OriginateResult
from cti_bridge.translate_channels import (
    on_attended_transfer,
    on_blind_transfer,
    on_bridge_enter,
    on_dial_begin,
    on_dial_end,
    on_hangup,
    on_hangup_request,
    on_newchannel,
)
from cti_bridge.translate_fields import Missing, extension_of, flag, originate_reason, require, text, timestamp
from cti_bridge.translate_queue import (
    on_agent_called,
    on_agent_complete,
    on_agent_connect,
    on_agent_ring_no_answer,
    on_caller_abandon,
    on_caller_join,
    on_caller_leave,
)
from cti_bridge.translate_resync import resync
from cti_bridge.translate_state import Event, Ledger, Moment

__all__ = ["CallTracker", "Event", "extension_of"]

Handler = Callable[[Ledger, Mapping[str, str], Moment], list[Event]]


def on_originate_response(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """OriginateResponse → OriginateResult. The ActionID names the command, so it names the event too
    (with the Timestamp when there is one); call_id is the originated channel's Uniqueid, "" on failure."""
    command_id = require(message, "ActionID")
    uniqueid = text(message, "Uniqueid")
    return list(
        ledger.emit(
            OriginateResult, None, command_id, moment,
            call_id=uniqueid if uniqueid is not None and not uniqueid.startswith("<") else "",
            stamp=moment.label or "",
            command_id=command_id, ok=(text(message, "Response") or "").lower() == "success",
            extension=extension_of(text(message, "Channel")) or "", number=text(message, "Exten") or "",
            reason=originate_reason(text(message, "Reason")),
        )
    )  # fmt: skip


def on_member_state(ledger: Ledger, message: Mapping[str, str], moment: Moment) -> list[Event]:
    """QueueMemberStatus / QueueMemberPause → AgentState when the agent's contract-visible state changed."""
    extension = extension_of(text(message, "Interface")) or extension_of(text(message, "StateInterface"))
    if extension is None:
        raise Missing("Interface")
    queue = text(message, "Queue")
    paused, in_call = flag(message, "Paused"), flag(message, "InCall")
    reason = text(message, "PausedReason")
    state = (paused, reason, in_call)
    if ledger.agent_states.get((extension, queue or "")) == state:
        ledger.counts["unchanged agent state"] += 1
        return []
    ledger.agent_states[(extension, queue or "")] = state
    return list(
        ledger.emit(
            AgentState, None, f"{extension}@{queue or ''}", moment,
            extension=extension, paused=paused, reason=reason, in_call=in_call, queue=queue,
        )
    )  # fmt: skip


HANDLERS: dict[str, Handler] = {
    "Newchannel": on_newchannel,
    "QueueCallerJoin": on_caller_join,
    "QueueCallerLeave": on_caller_leave,
    "QueueCallerAbandon": on_caller_abandon,
    "AgentCalled": on_agent_called,
    "AgentRingNoAnswer": on_agent_ring_no_answer,
    "AgentConnect": on_agent_connect,
    "AgentComplete": on_agent_complete,
    "DialBegin": on_dial_begin,
    "DialEnd": on_dial_end,
    "BridgeEnter": on_bridge_enter,
    "HangupRequest": on_hangup_request,
    "Hangup": on_hangup,
    "BlindTransfer": on_blind_transfer,
    "AttendedTransfer": on_attended_transfer,
    "OriginateResponse": on_originate_response,
    "QueueMemberStatus": on_member_state,
    "QueueMemberPause": on_member_state,
}


class CallTracker:
    """Per-call state machine keyed by Linkedid: AMI messages in, contract events out."""

    def __init__(
        self,
        source: str = "asterisk",
        trunk_endpoints: frozenset[str] = frozenset({"trunk"}),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._ledger = Ledger(source, frozenset(trunk_endpoints), clock)

    def feed(self, message: Mapping[str, str]) -> list[Event]:
        """The events one AMI message causes. Never raises; what it cannot use is counted in `stats`."""
        counts = self._ledger.counts
        counts["seen"] += 1
        try:
            name = message.get("Event") if isinstance(message, Mapping) else None
            if not isinstance(name, str) or not name.strip():
                return self._skip("not an event")
            handler = HANDLERS.get(name.strip())
            if handler is None:
                counts["ignored"] += 1
                return []
            found = timestamp(message)
            moment = Moment(found[0], found[1]) if found else Moment(self._ledger.clock(), None)
            return handler(self._ledger, message, moment)
        except Missing as missing:
            return self._skip(f"missing field: {missing.field}")
        except Exception as error:  # noqa: BLE001 - feed must never raise; the counter names the failure
            return self._skip(f"error: {type(error).__name__}")

    def _skip(self, reason: str) -> list[Event]:
        self._ledger.counts["skipped"] += 1
        self._ledger.counts[f"skipped: {reason}"] += 1
        return []

    @property
    def stats(self) -> dict[str, int]:
        """Counters: "seen" (messages fed), "emitted", "ignored" (events we do not translate: normal noise),
        "skipped" and "skipped: <reason>" ("not an event", "missing field: X", "error: X"), "duplicate"
        (an id emitted before), "after end" (an event of an ended call), "unchanged agent state"."""
        return {"seen": 0, "emitted": 0, "ignored": 0, "skipped": 0, **self._ledger.counts}

    def live_calls(self) -> list[str]:
        """call_ids the app has heard of that have not ended."""
        return [call.call_id for call in self._ledger.calls.values() if call.announced]

    def resync(
        self, channels: Sequence[Mapping[str, str]], queue_entries: Sequence[Mapping[str, str]], now: float
    ) -> list[Event]:
        """Reconcile after a reconnect with the CoreShowChannel items and QueueStatus's QueueEntry items.

        A tracked call with no channel left → CallEnded(hangup_by "system"); an unknown caller waiting in a
        queue → CallOffered; a live call bridged with an agent that we have not announced as answered by that
        agent → CallAnswered (preceded by CallOffered when the call is new to us). Nothing already emitted is
        emitted again. Never raises.
        """
        try:
            if not math.isfinite(now):
                now = self._ledger.clock()
            return resync(self._ledger, channels, queue_entries, now)
        except Exception as error:  # noqa: BLE001 - same promise as feed
            self._skip(f"error: {type(error).__name__}")
            return []
