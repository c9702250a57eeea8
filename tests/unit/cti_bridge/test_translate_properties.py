"""Whatever arrives on the AMI socket, `CallTracker.feed` never raises, counts what it could not use, and
still translates a real call correctly afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cti_bridge.contract import CallEnded
from cti_bridge.frames import Frame, read_transcript
from cti_bridge.translate import HANDLERS, CallTracker

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "asterisk-ami"


def frames(prefix: str) -> list[Frame]:
    (path,) = FIXTURES.glob(f"{prefix}-*.log")
    return read_transcript(path.read_bytes())[1]


# Frames to mangle come from other calls than 01, which is replayed afterwards.
DONORS = [f for prefix in ("02", "02b", "03", "04", "05", "07") for f in frames(prefix)]
REPLAYED = frames("01")
HEADERS = sorted({key for frame in DONORS for key in frame})
# Every translated event needs at least one of these; without all of them it must be skipped.
REQUIRED = {
    "Linkedid", "DestLinkedid", "Interface", "StateInterface", "DestChannel", "ActionID", "TransfereeLinkedid",
    "TransfererLinkedid", "OrigTransfererLinkedid", "SecondTransfererLinkedid", "TransferTargetLinkedid",
}  # fmt: skip

odd_text = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=40).map(lambda b: b.decode("utf-8", errors="replace")),
    st.sampled_from(["", " ", "<unknown>", "PJSIP/", "PJSIP/1001-00000001", "Local/;1", "nan", "inf", "-1", "1e400"]),
)
odd_value = st.one_of(odd_text, st.none(), st.integers(), st.floats(), st.binary(max_size=10), st.lists(st.integers()))
header_name = st.one_of(st.sampled_from([*HEADERS, "Event"]), st.text(max_size=20))
random_message = st.dictionaries(header_name, odd_value, max_size=12)
known_event = st.sampled_from(sorted(HANDLERS))


@st.composite
def truncated_frame(draw: st.DrawFn) -> dict[str, Any]:
    frame = draw(st.sampled_from(DONORS))
    keys = draw(st.lists(st.sampled_from(sorted(frame)), unique=True))
    mangled: dict[str, Any] = {k: frame[k] for k in keys}
    for key in draw(st.lists(st.sampled_from(sorted(frame)), max_size=3)):
        mangled[key] = frame[key][: draw(st.integers(0, len(frame[key])))]
    return mangled


@st.composite
def event_without_required_fields(draw: st.DrawFn) -> dict[str, Any]:
    headers = draw(st.dictionaries(st.sampled_from([h for h in HEADERS if h not in REQUIRED]), odd_text, max_size=10))
    return {**headers, "Event": draw(known_event)}


def assert_replay_still_correct(tracker: CallTracker) -> None:
    events = [event for frame in REPLAYED for event in tracker.feed(frame) if event.call_id]
    assert [(type(e).__struct_config__.tag, getattr(e, "extension", None)) for e in events] == [
        ("call.offered", None),
        ("call.ringing", "1001"),
        ("call.answered", "1001"),
        ("call.ended", "1001"),
    ]
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert ended.talk_seconds == 3.0 and ended.hangup_by == "caller"


def feed_all(tracker: CallTracker, messages: list[Any]) -> None:
    for message in messages:
        seen = tracker.stats["seen"]
        result = tracker.feed(cast(Frame, message))
        assert isinstance(result, list)
        assert tracker.stats["seen"] == seen + 1


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(st.one_of(random_message, st.none(), st.integers(), st.text(), st.lists(st.text())), max_size=20))
def test_random_messages_never_raise(messages: list[Any]) -> None:
    tracker = CallTracker(clock=lambda: 1.0)
    feed_all(tracker, messages)
    stats = tracker.stats
    assert stats.get("skipped", 0) + stats.get("ignored", 0) + stats.get("emitted", 0) >= 0
    assert not any(key.startswith("skipped: error") for key in stats), stats
    assert_replay_still_correct(tracker)


@SETTINGS
@given(st.lists(truncated_frame(), max_size=25))
def test_truncated_real_frames_never_raise(messages: list[dict[str, Any]]) -> None:
    tracker = CallTracker(clock=lambda: 1.0)
    feed_all(tracker, messages)
    assert not any(key.startswith("skipped: error") for key in tracker.stats), tracker.stats
    assert_replay_still_correct(tracker)


@SETTINGS
@given(st.lists(event_without_required_fields(), min_size=1, max_size=15))
def test_known_events_without_their_fields_are_skipped(messages: list[dict[str, Any]]) -> None:
    tracker = CallTracker(clock=lambda: 1.0)
    for message in messages:
        skipped = tracker.stats.get("skipped", 0)
        assert tracker.feed(message) == []
        assert tracker.stats["skipped"] == skipped + 1
        assert any(key.startswith("skipped: missing field: ") for key in tracker.stats)
    assert_replay_still_correct(tracker)


@SETTINGS
@given(st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=5), max_size=10))
def test_messages_that_are_no_events_are_counted(messages: list[dict[str, str]]) -> None:
    tracker = CallTracker()
    messages = [{k: v for k, v in m.items() if k != "Event"} for m in messages]
    for message in messages:
        assert tracker.feed(message) == []
    assert tracker.stats.get("skipped: not an event", 0) == len(messages)


@SETTINGS
@given(
    st.lists(st.dictionaries(st.sampled_from(HEADERS), odd_text, max_size=8), max_size=6),
    st.lists(st.dictionaries(st.sampled_from([*HEADERS, "Wait", "Position"]), odd_text, max_size=8), max_size=4),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_resync_never_raises(channels: list[dict[str, str]], entries: list[dict[str, str]], now: float) -> None:
    tracker = CallTracker(clock=lambda: 1.0)
    for frame in REPLAYED[:40]:  # a call in progress
        tracker.feed(frame)
    events = tracker.resync(channels, entries, now)
    assert isinstance(events, list)
    assert len({e.id for e in events}) == len(events)
    assert not any(key.startswith("skipped: error") for key in tracker.stats), tracker.stats
