"""The real Asterisk 22 transcripts, replayed through the CallTracker, give the call events a contact centre expects."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from cti_bridge.contract import AgentState, CallAnswered, CallEnded, CallOffered, decode_event, encode
from cti_bridge.frames import Frame, read_transcript
from cti_bridge.translate import CallTracker, Event, extension_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "asterisk-ami"
ALL = ("01", "02", "02b", "03", "04", "04b", "05", "07")


def frames(prefix: str, strip_timestamps: bool = False) -> list[Frame]:
    (path,) = FIXTURES.glob(f"{prefix}-*.log")
    _banner, messages = read_transcript(path.read_bytes())
    if strip_timestamps:
        messages = [{k: v for k, v in m.items() if k != "Timestamp"} for m in messages]
    return messages


def replay(tracker: CallTracker, messages: Iterable[Frame]) -> list[Event]:
    return [event for message in messages for event in tracker.feed(message)]


def tag(event: Event) -> str:
    return str(type(event).__struct_config__.tag)


def fields(event: Event) -> dict[str, Any]:
    data = msgspec.structs.asdict(event)
    for key in ("id", "at", "source", "version", "call_id"):
        data.pop(key)
    return {"type": tag(event), **{k: v for k, v in data.items() if v is not None}}


def call_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [fields(e) for e in events if e.call_id]


def assert_sequence(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert [a["type"] for a in actual] == [e["type"] for e in expected], actual
    for got, want in zip(actual, expected, strict=True):
        assert {k: got.get(k) for k in want} == want, got


def clock() -> float:
    return 1_800_000_000.0


# --- extension_of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PJSIP/1001", "1001"),
        ("PJSIP/1001-00000001", "1001"),
        ("SIP/1001-0000a", "1001"),
        ("Local/1001@agents-00000001;1", "1001"),
        ("Local/1001@agents-00000001;2", "1001"),
        ("Local/1001@agents/n", "1001"),
        ("IAX2/1001-123", "1001"),
        ("PJSIP/trunk-00000000", "trunk"),
        ("PJSIP/my-trunk-0000001f", "my-trunk"),
        ("PJSIP/office-cafe", "office-cafe"),  # a hex-looking word without a digit is part of the name
        ("PJSIP/0912345678@trunk", "0912345678"),
        (" PJSIP/1001 ", "1001"),
        (None, None),
        ("", None),
        ("garbage", None),
        ("PJSIP/", None),
        ("<unknown>", None),
        ("PJSIP/10 01", None),
        ("PJSIP/" + "1" * 400, None),
    ],
)
def test_extension_of(raw: str | None, expected: str | None) -> None:
    assert extension_of(raw) == expected


# --- the transcripts ------------------------------------------------------------------------------

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "01": [
        {"type": "call.offered", "queue": "support", "caller": "0912345678", "caller_name": "Customer 0912345678",
         "dialled": "0227208888", "position": 1},
        {"type": "call.ringing", "extension": "1001", "caller": "0912345678", "dialled": "0227208888",
         "queue": "support", "direction": "in"},
        {"type": "call.answered", "extension": "1001", "caller": "0912345678", "queue": "support",
         "wait_seconds": 2.0, "ring_seconds": 1.0},
        {"type": "call.ended", "extension": "1001", "hangup_by": "caller", "talk_seconds": 3.0, "wait_seconds": 2.0,
         "cause": "Normal Clearing"},
    ],
    "02": [
        {"type": "call.offered", "caller": "0933123456", "queue": "support", "dialled": "0227208888"},
        {"type": "call.ringing", "extension": "1001"},
        {"type": "call.ring_no_answer", "extension": "1001", "ring_seconds": 5.0, "queue": "support"},
        {"type": "call.ringing", "extension": "1002"},
        {"type": "call.abandoned", "queue": "support", "wait_seconds": 8.0, "position": 1},
        {"type": "call.ended", "extension": None, "hangup_by": "caller", "wait_seconds": 8.0, "talk_seconds": None,
         "cause": "Interworking, unspecified"},
    ],
    "02b": [
        {"type": "call.offered", "caller": "0987654321", "queue": "support"},
        {"type": "call.abandoned", "wait_seconds": 4.0},
        {"type": "call.ended", "hangup_by": "caller", "extension": None},
    ],
    "03": [
        {"type": "call.offered", "caller": "+886912345678", "dialled": "0227208888"},
        {"type": "call.ringing", "extension": "1001", "caller": "+886912345678"},
        {"type": "call.ring_no_answer", "extension": "1001", "ring_seconds": 5.0},
        {"type": "call.ringing", "extension": "1002"},
        {"type": "call.answered", "extension": "1002", "wait_seconds": 8.0},
        {"type": "call.ended", "extension": "1002", "hangup_by": "agent", "talk_seconds": 3.0},
    ],
    "04": [
        {"type": "originate.result", "command_id": "c2d-0001", "ok": True, "extension": "1001",
         "number": "0912345678", "reason": "answered"},
        {"type": "call.answered", "extension": "1001", "caller": "0912345678", "direction": "out",
         "dialled": "0912345678"},
        {"type": "call.ended", "extension": "1001", "hangup_by": "caller", "cause": "Normal Clearing"},
    ],
    "04b": [],
    "05": [
        {"type": "call.offered", "caller": "0912345678", "queue": "support"},
        {"type": "call.ringing", "extension": "1001"},
        {"type": "call.answered", "extension": "1001", "wait_seconds": 2.0},
        {"type": "call.transferred", "from_extension": "1001", "to": "1002", "kind": "blind"},
        {"type": "call.ringing", "extension": "1002", "caller": "0912345678", "dialled": "0227208888", "queue": None},
        {"type": "call.answered", "extension": "1002", "caller": "0912345678"},
        {"type": "call.ended", "extension": "1002", "hangup_by": "caller", "cause": "Normal Clearing"},
    ],
    "07": [
        {"type": "call.offered", "caller": "0912345678"},
        {"type": "call.ringing", "extension": "1001"},
        {"type": "call.answered", "extension": "1001"},
        {"type": "call.ended", "extension": "1001", "hangup_by": "caller", "talk_seconds": 10.0},
    ],
}  # fmt: skip


@pytest.mark.parametrize("prefix", ALL)
def test_transcript_gives_the_expected_call_events(prefix: str) -> None:
    tracker = CallTracker(clock=clock)
    events = replay(tracker, frames(prefix))
    assert_sequence(call_events(events), EXPECTED[prefix])
    assert tracker.live_calls() == []
    call_ids = {e.call_id for e in events if e.call_id and not tag(e).startswith("originate")}
    assert len(call_ids) <= 1


@pytest.mark.parametrize("prefix", ALL)
def test_same_events_in_the_same_order_without_timestamps(prefix: str) -> None:
    with_stamps = replay(CallTracker(clock=clock), frames(prefix))
    without = replay(CallTracker(clock=clock), frames(prefix, strip_timestamps=True))
    assert [fields(e)["type"] for e in without] == [fields(e)["type"] for e in with_stamps]
    assert all(e.at == clock() for e in without)
    assert len({e.id for e in without}) == len(without)


@pytest.mark.parametrize("prefix", ALL)
def test_ids_are_unique_and_events_survive_the_wire(prefix: str) -> None:
    events = replay(CallTracker(), frames(prefix))
    assert len({e.id for e in events}) == len(events)
    for event in events:
        assert event.id.startswith("asterisk:")
        assert decode_event(encode(event)) == event


def test_ids_are_derived_from_the_ami_event() -> None:
    first = replay(CallTracker(clock=clock), frames("01"))
    second = replay(CallTracker(clock=lambda: 0.0), frames("01"))
    assert [e.id for e in first] == [e.id for e in second]
    ringing = next(e for e in first if tag(e) == "call.ringing")
    assert ringing.id == "asterisk:1795344457.0:call.ringing:1001:1795344457.849088"
    assert ringing.at == pytest.approx(1795344457.849088)


def test_times_come_from_the_timestamps() -> None:
    events = [e for e in replay(CallTracker(clock=clock), frames("05")) if e.call_id]
    answered = [e for e in events if isinstance(e, CallAnswered)]
    assert answered[1].ring_seconds == pytest.approx(1.506, abs=0.001)  # DialBegin → DialEnd ANSWER
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert ended.talk_seconds == pytest.approx(5.496, abs=0.001)  # 1002 answered → caller hung up
    outbound_end = [e for e in replay(CallTracker(), frames("04")) if isinstance(e, CallEnded)]
    assert outbound_end[0].talk_seconds == pytest.approx(3.0, abs=0.01)


@pytest.mark.parametrize("strip", [False, True])
def test_feeding_a_transcript_twice_emits_no_call_event_the_second_time(strip: bool) -> None:
    for prefix in ALL:
        tracker = CallTracker(clock=clock)
        replay(tracker, frames(prefix, strip))
        again = replay(tracker, frames(prefix, strip))
        assert call_events(again) == []
        assert tracker.live_calls() == []
        if not strip:  # with Timestamps even the agent states and originate results repeat their ids
            assert again == []


def test_agent_states_follow_pause_and_calls() -> None:
    states = [fields(e) for e in replay(CallTracker(), frames("02b")) if tag(e) == "agent.state"]
    assert states == [
        {"type": "agent.state", "extension": "1001", "paused": True, "reason": "lunch", "in_call": False,
         "queue": "support"},
        {"type": "agent.state", "extension": "1002", "paused": True, "reason": "meeting", "in_call": False,
         "queue": "support"},
        {"type": "agent.state", "extension": "1003", "paused": True, "in_call": False, "queue": "support"},
        {"type": "agent.state", "extension": "1001", "paused": False, "in_call": False, "queue": "support"},
    ]  # fmt: skip
    in_call = [(e.extension, e.in_call) for e in replay(CallTracker(), frames("01")) if isinstance(e, AgentState)]
    assert in_call == [("1001", False), ("1001", True), ("1001", False)]
    assert all(e.call_id == "" for e in replay(CallTracker(), frames("03")) if tag(e) == "agent.state")


def test_originate_failure() -> None:
    events = [fields(e) for e in replay(CallTracker(), frames("04b")) if tag(e) != "agent.state"]
    assert events == [
        {"type": "originate.result", "command_id": "c2d-0002", "ok": False, "extension": "1001",
         "number": "0912345678", "reason": "no answer"},
    ]  # fmt: skip


def test_originate_success_names_the_call() -> None:
    events = replay(CallTracker(), frames("04"))
    result, answered, ended = (e for e in events if tag(e) != "agent.state")
    assert result.call_id == answered.call_id == ended.call_id == "1795343640.0"
    assert not any(tag(e) in ("call.offered", "call.ringing") for e in events)


def test_stats_count_noise_and_skips() -> None:
    tracker = CallTracker()
    replay(tracker, frames("01"))
    stats = tracker.stats
    assert stats["seen"] == len(frames("01"))
    assert stats["emitted"] == 7
    assert stats["skipped: not an event"] == 2  # the login and logoff responses
    assert stats["ignored"] > 100  # VarSet, Newexten, DeviceStateChange, …
    assert tracker.feed({"Event": "AgentConnect", "Linkedid": "1.0"}) == []
    assert tracker.stats["skipped: missing field: Interface"] == 1
    assert tracker.feed({"Event": "QueueCallerJoin", "Queue": "support"}) == []
    assert tracker.stats["skipped: missing field: Linkedid"] == 1
    assert tracker.feed({"Event": "SomethingNew"}) == []
    assert tracker.stats["ignored"] == stats["ignored"] + 1
    assert tracker.stats["skipped"] == stats["skipped"] + 2


# --- resync (07: the client listed the channels during the call and again when idle) ---------------


def list_items(messages: list[Frame], action_id: str, event: str) -> list[Frame]:
    return [m for m in messages if m.get("ActionID") == action_id and m.get("Event") == event]


def split_at_listing(messages: list[Frame]) -> tuple[list[Frame], list[Frame]]:
    """The events before the during-call CoreShowChannels completed, and the rest."""
    cut = next(i for i, m in enumerate(messages) if m.get("Event") == "CoreShowChannelsComplete") + 1
    return messages[:cut], messages[cut:]


def test_resync_closes_a_call_that_ended_while_disconnected_exactly_once() -> None:
    messages = frames("07")
    during, rest = split_at_listing(messages)
    tracker = CallTracker()
    before = call_events(replay(tracker, during))
    assert [e["type"] for e in before] == ["call.offered", "call.ringing", "call.answered"]
    call_id = tracker.live_calls()[0]

    live = list_items(messages, "csc-during-call", "CoreShowChannel")
    assert len(live) == 2
    assert tracker.resync(live, [], now=1795343709.0) == []  # still bridged, already answered by 1001
    assert tracker.live_calls() == [call_id]

    idle = list_items(messages, "csc-idle", "CoreShowChannel")
    assert idle == []
    closed = tracker.resync(idle, [], now=1795343720.0)
    assert_sequence(
        [fields(e) for e in closed],
        [{"type": "call.ended", "hangup_by": "system", "cause": "ended while the bridge was disconnected",
          "extension": "1001", "wait_seconds": 2.0, "talk_seconds": None}],
    )  # fmt: skip
    assert closed[0].call_id == call_id and closed[0].at == 1795343720.0
    assert tracker.live_calls() == []
    assert tracker.resync(idle, [], now=1795343721.0) == []
    assert call_events(replay(tracker, rest)) == []  # the late AgentComplete/Hangup cannot reopen it


def test_resync_after_the_call_ended_normally_closes_nothing() -> None:
    messages = frames("07")
    tracker = CallTracker()
    ended = [e for e in replay(tracker, messages) if isinstance(e, CallEnded)]
    assert len(ended) == 1
    assert tracker.resync(list_items(messages, "csc-idle", "CoreShowChannel"), [], now=1795343720.0) == []


def test_resync_learns_a_bridged_call_it_did_not_know() -> None:
    messages = frames("07")
    _during, rest = split_at_listing(messages)
    tracker = CallTracker()
    live = list_items(messages, "csc-during-call", "CoreShowChannel")
    learned = tracker.resync(live, [], now=1795343709.0)
    assert_sequence(
        [fields(e) for e in learned],
        [
            {"type": "call.offered", "caller": "0912345678", "dialled": "0227208888", "queue": "support"},
            {"type": "call.answered", "extension": "1001", "caller": "0912345678"},
        ],
    )
    assert {e.call_id for e in learned} == {"1795343702.0"}
    assert tracker.resync(live, [], now=1795343710.0) == []  # never twice
    assert_sequence(
        call_events(replay(tracker, rest)),
        [{"type": "call.ended", "extension": "1001", "hangup_by": "caller", "talk_seconds": 10.0}],
    )


def test_resync_offers_a_caller_waiting_in_a_queue() -> None:
    channel = {
        "Event": "CoreShowChannel", "Channel": "PJSIP/trunk-00000007", "Uniqueid": "1795350000.7",
        "Linkedid": "1795350000.7", "CallerIDNum": "0955111222", "CallerIDName": "Customer 0955111222",
        "Exten": "0227208888", "Context": "from-trunk", "BridgeId": "", "Application": "Queue",
        "ApplicationData": "support,r,,,300", "ChannelState": "4",
    }  # fmt: skip
    entry = {
        "Event": "QueueEntry", "Queue": "support", "Position": "2", "Channel": "PJSIP/trunk-00000007",
        "Uniqueid": "1795350000.7", "CallerIDNum": "0955111222", "CallerIDName": "Customer 0955111222",
        "ConnectedLineNum": "<unknown>", "ConnectedLineName": "<unknown>", "Wait": "12", "Priority": "0",
    }  # fmt: skip
    tracker = CallTracker()
    offered = tracker.resync([channel], [entry], now=1795350020.0)
    assert_sequence(
        [fields(e) for e in offered],
        [{"type": "call.offered", "caller": "0955111222", "dialled": "0227208888", "queue": "support",
          "position": 2}],
    )  # fmt: skip
    assert offered[0].call_id == "1795350000.7" and offered[0].at == 1795350008.0
    assert tracker.resync([channel], [entry], now=1795350021.0) == []
    ringing = tracker.feed(
        {"Event": "AgentCalled", "Linkedid": "1795350000.7", "Uniqueid": "1795350000.7", "Interface": "PJSIP/1003",
         "DestChannel": "PJSIP/1003-00000008", "CallerIDNum": "0955111222", "Queue": "support"}
    )  # fmt: skip
    assert [fields(e) for e in ringing] == [
        {"type": "call.ringing", "extension": "1003", "caller": "0955111222", "caller_name": "Customer 0955111222",
         "dialled": "0227208888", "queue": "support", "direction": "in"}
    ]  # fmt: skip


def test_resync_remembers_a_live_call_it_cannot_read_so_its_hangup_reaches_the_app() -> None:
    # In the dialplan (no queue, no bridge) when the bridge came back: the app may have it open from before.
    channel = {"Channel": "PJSIP/trunk-00000009", "Uniqueid": "77.0", "Linkedid": "77.0", "BridgeId": "",
               "Application": "Playback", "CallerIDNum": "0955000111"}  # fmt: skip
    tracker = CallTracker()
    assert tracker.resync([channel], [], now=20.0) == []
    ended = tracker.feed({"Event": "Hangup", "Channel": "PJSIP/trunk-00000009", "Uniqueid": "77.0",
                          "Linkedid": "77.0", "Cause": "16", "Cause-txt": "Normal Clearing"})  # fmt: skip
    assert [fields(e) for e in ended] == [
        {"type": "call.ended", "hangup_by": "unknown", "cause": "Normal Clearing", "if_known": True}
    ]
    assert tracker.live_calls() == []


def test_resync_answers_an_outbound_call_it_did_not_know() -> None:
    agent = {"Channel": "PJSIP/1001-00000000", "Uniqueid": "9.0", "Linkedid": "9.0", "Exten": "0912345678",
             "BridgeId": "b1", "CallerIDNum": "1001"}  # fmt: skip
    trunk = {"Channel": "PJSIP/trunk-00000001", "Uniqueid": "9.1", "Linkedid": "9.0", "BridgeId": "b1",
             "CallerIDNum": "0912345678"}  # fmt: skip
    events = CallTracker().resync([agent, trunk], [], now=10.0)
    assert [fields(e) for e in events] == [
        {
            "type": "call.answered",
            "extension": "1001",
            "caller": "0912345678",
            "direction": "out",
            "dialled": "0912345678",
        }
    ]


# --- transfers and plain dials that the transcripts do not show ------------------------------------


def queue_call(tracker: CallTracker, linkedid: str = "5.0") -> None:
    caller = {"Linkedid": linkedid, "Uniqueid": linkedid, "Channel": "PJSIP/trunk-00000000",
              "CallerIDNum": "0912345678", "Exten": "0227208888", "Queue": "support"}  # fmt: skip
    agent = {"Interface": "PJSIP/1001", "DestChannel": "PJSIP/1001-00000001", "HoldTime": "3", "RingTime": "2"}
    tracker.feed({"Event": "Newchannel", **caller})
    tracker.feed({"Event": "QueueCallerJoin", "Position": "1", **caller})
    tracker.feed({"Event": "AgentCalled", **caller, **agent})
    tracker.feed({"Event": "AgentConnect", **caller, **agent})


def test_attended_transfer_moves_the_call_to_the_target() -> None:
    tracker = CallTracker(clock=iter(range(100, 200)).__next__)
    queue_call(tracker)
    events = tracker.feed(
        {"Event": "AttendedTransfer", "Result": "Success", "OrigTransfererChannel": "PJSIP/1001-00000001",
         "OrigTransfererLinkedid": "5.0", "SecondTransfererChannel": "PJSIP/1001-00000002",
         "SecondTransfererLinkedid": "6.0", "TransfereeChannel": "PJSIP/trunk-00000000", "TransfereeLinkedid": "5.0",
         "TransferTargetChannel": "PJSIP/1002-00000003", "TransferTargetLinkedid": "6.0", "DestType": "Bridge"}
    )  # fmt: skip
    assert [fields(e) for e in events] == [
        {"type": "call.transferred", "from_extension": "1001", "to": "1002", "kind": "attended"},
        {"type": "call.answered", "extension": "1002", "caller": "0912345678", "direction": "in"},
    ]
    ended = tracker.feed({"Event": "Hangup", "Linkedid": "5.0", "Uniqueid": "5.0", "Cause": "16"})
    assert [(e.extension, e.cause) for e in ended if isinstance(e, CallEnded)] == [("1002", "16")]


def test_failed_transfer_changes_nothing() -> None:
    tracker = CallTracker()
    queue_call(tracker)
    failed = {"Event": "BlindTransfer", "Result": "Fail", "TransfererChannel": "PJSIP/1001-00000001",
              "TransfererLinkedid": "5.0", "TransfereeLinkedid": "5.0", "Extension": "1002"}  # fmt: skip
    assert tracker.feed(failed) == []


def test_plain_dial_after_transfer_that_nobody_answers() -> None:
    tracker = CallTracker(clock=iter(range(100, 200)).__next__)
    queue_call(tracker)
    dial = {"Linkedid": "5.0", "Uniqueid": "5.0", "Channel": "PJSIP/trunk-00000000", "Exten": "1002",
            "DestChannel": "PJSIP/1002-00000002", "DestLinkedid": "5.0"}  # fmt: skip
    tracker.feed({"Event": "QueueCallerLeave", "Linkedid": "5.0"})
    tracker.feed({"Event": "BlindTransfer", "Result": "Success", "TransfererChannel": "PJSIP/1001-00000001",
                  "TransfererLinkedid": "5.0", "TransfereeLinkedid": "5.0", "Extension": "1002"})  # fmt: skip
    ringing = tracker.feed({"Event": "DialBegin", **dial})
    no_answer = tracker.feed({"Event": "DialEnd", "DialStatus": "NOANSWER", **dial})
    assert tracker.feed({"Event": "DialEnd", "DialStatus": "CANCEL", **dial}) == []
    assert [fields(e)["type"] for e in ringing + no_answer] == ["call.ringing", "call.ring_no_answer"]
    assert [getattr(e, "extension", None) for e in ringing + no_answer] == ["1002", "1002"]
    ended = tracker.feed({"Event": "Hangup", "Linkedid": "5.0", "Uniqueid": "5.0", "Cause-txt": "Normal Clearing"})
    assert [(e.extension, e.hangup_by) for e in ended if isinstance(e, CallEnded)] == [("1001", "unknown")]


def test_inbound_call_dialled_straight_to_an_extension_is_offered_then_rings() -> None:
    tracker = CallTracker()
    channel = {"Linkedid": "7.0", "Uniqueid": "7.0", "Channel": "PJSIP/trunk-00000004", "CallerIDNum": "0911000111",
               "Exten": "0227208899"}  # fmt: skip
    tracker.feed({"Event": "Newchannel", **channel})
    events = tracker.feed(
        {"Event": "DialBegin", "DestChannel": "PJSIP/1003-00000005", "DestLinkedid": "7.0", **channel}
    )
    assert [fields(e) for e in events] == [
        {"type": "call.offered", "caller": "0911000111", "dialled": "0227208899"},
        {"type": "call.ringing", "extension": "1003", "caller": "0911000111", "dialled": "0227208899",
         "direction": "in"},
    ]  # fmt: skip


def test_calls_between_extensions_stay_silent() -> None:
    tracker = CallTracker()
    leg = {"Linkedid": "8.0", "Uniqueid": "8.0", "Channel": "PJSIP/1001-00000009", "Exten": "1002"}
    events = tracker.feed({"Event": "Newchannel", **leg})
    events += tracker.feed({"Event": "DialBegin", "DestChannel": "PJSIP/1002-0000000a", "DestLinkedid": "8.0", **leg})
    events += tracker.feed(
        {"Event": "BridgeEnter", "Linkedid": "8.0", "Uniqueid": "8.1", "Channel": "PJSIP/1002-0000000a"}
    )
    events += tracker.feed({"Event": "Hangup", **leg})
    assert events == []
    assert tracker.live_calls() == []


def test_local_channel_members_are_answered_by_agent_connect_only() -> None:
    tracker = CallTracker(clock=iter(range(100, 200)).__next__)
    caller = {"Linkedid": "9.0", "Uniqueid": "9.0", "Channel": "PJSIP/trunk-00000000", "CallerIDNum": "0912345678",
              "Exten": "0227208888", "Queue": "support"}  # fmt: skip
    member = {"Interface": "Local/1001@agents/n", "DestChannel": "Local/1001@agents-00000001;1"}
    phone = {"Linkedid": "9.0", "Uniqueid": "9.3", "Channel": "PJSIP/1001-00000003"}
    events = tracker.feed({"Event": "QueueCallerJoin", **caller})
    events += tracker.feed({"Event": "AgentCalled", **caller, **member})
    events += tracker.feed({"Event": "DialBegin", **phone, "DestChannel": "PJSIP/1001-00000004", "DestLinkedid": "9.0"})
    events += tracker.feed({"Event": "BridgeEnter", **phone})  # the phone meets the Local channel, not the caller
    events += tracker.feed({"Event": "QueueCallerLeave", **caller})
    events += tracker.feed({"Event": "AgentConnect", **caller, **member, "HoldTime": "4", "RingTime": "2"})
    events += tracker.feed(
        {"Event": "BridgeEnter", "Linkedid": "9.0", "Uniqueid": "9.1", "Channel": member["DestChannel"]}
    )
    assert [(tag(e), getattr(e, "extension", None), getattr(e, "wait_seconds", None)) for e in events] == [
        ("call.offered", None, None),
        ("call.ringing", "1001", None),
        ("call.answered", "1001", 4.0),
    ]


def test_the_same_agent_can_answer_again_after_a_transfer_to_the_queue() -> None:
    tracker = CallTracker(clock=iter(range(100, 200)).__next__)
    queue_call(tracker)
    caller = {"Linkedid": "5.0", "Uniqueid": "5.0", "Channel": "PJSIP/trunk-00000000", "CallerIDNum": "0912345678",
              "Exten": "600", "Queue": "support"}  # fmt: skip
    again = {"Interface": "PJSIP/1001", "DestChannel": "PJSIP/1001-00000009", "HoldTime": "1", "RingTime": "1"}
    events = tracker.feed({"Event": "BlindTransfer", "Result": "Success", "TransfererChannel": "PJSIP/1001-00000001",
                           "TransfererLinkedid": "5.0", "TransfereeLinkedid": "5.0", "Extension": "600"})  # fmt: skip
    events += tracker.feed({"Event": "QueueCallerJoin", **caller})
    events += tracker.feed({"Event": "AgentCalled", **caller, **again})
    events += tracker.feed({"Event": "AgentConnect", **caller, **again})
    assert [(tag(e), getattr(e, "extension", None)) for e in events] == [
        ("call.transferred", None),
        ("call.offered", None),
        ("call.ringing", "1001"),
        ("call.answered", "1001"),
    ]
    offered = events[1]
    assert isinstance(offered, CallOffered) and offered.dialled == "0227208888"  # still the DID, not "600"


def test_a_transfer_dialled_through_a_local_channel_rings_and_answers_once() -> None:
    tracker = CallTracker(clock=iter(range(100, 200)).__next__)
    queue_call(tracker)
    customer = {"Linkedid": "5.0", "Uniqueid": "5.0", "Channel": "PJSIP/trunk-00000000", "DestLinkedid": "5.0",
                "DestChannel": "Local/1002@agents-00000002;1"}  # fmt: skip
    second_half = {"Linkedid": "5.0", "Uniqueid": "5.3", "Channel": "Local/1002@agents-00000002;2",
                   "DestLinkedid": "5.0", "DestChannel": "PJSIP/1002-00000004"}  # fmt: skip
    events = tracker.feed({"Event": "BlindTransfer", "Result": "Success", "TransfererChannel": "PJSIP/1001-00000001",
                           "TransfererLinkedid": "5.0", "TransfereeLinkedid": "5.0", "Extension": "1002"})  # fmt: skip
    events += tracker.feed({"Event": "DialBegin", **customer})
    events += tracker.feed({"Event": "DialBegin", **second_half})
    events += tracker.feed({"Event": "DialEnd", "DialStatus": "ANSWER", **second_half})
    events += tracker.feed(
        {"Event": "BridgeEnter", "Linkedid": "5.0", "Uniqueid": "5.4", "Channel": "PJSIP/1002-00000004"}
    )
    events += tracker.feed({"Event": "DialEnd", "DialStatus": "ANSWER", **customer})
    assert [(tag(e), getattr(e, "extension", None)) for e in events] == [
        ("call.transferred", None),
        ("call.ringing", "1002"),
        ("call.answered", "1002"),
    ]
