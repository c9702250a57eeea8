"""Call scenarios for the AMI simulator, cut from real Asterisk 22 transcripts and re-labelled per call.

Each scenario is the event part of one recorded AMI session (`scenarios/*.log`, byte-exact copies of
`tests/fixtures/asterisk-ami/`): the frames between the login and the logoff, with the delay that
separated them on the wire. Before a replay every recorded identity — channel names, Uniqueids and
Linkedids, bridge ids, the caller's number, the DID, the queue, the agents and their names — is
swapped for a fresh or requested one in a single pass, so concurrent calls never share an id.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cti_bridge.frames import Frame, read_transcript

SCENARIO_DIR = Path(__file__).with_name("scenarios")
SCENARIO_FILES = {
    "answered": "01-inbound-answered-caller-hangup.log",
    "abandoned": "02-caller-abandon-while-agents-ringing.log",
    "ring_no_answer_then_next": "03-ring-noanswer-then-next-agent.log",
    "blind_transfer": "05-blind-transfer.log",
    "originate_answered": "04-originate-click-to-dial.log",
    "originate_no_answer": "04b-originate-agent-no-answer.log",
}
QUEUE_CALLS = ("answered", "abandoned", "ring_no_answer_then_next", "blind_transfer")
# The phones of the recording PBX (tests/fixtures/asterisk-ami/README.md), in the order place_call maps them.
RECORDED_AGENTS = (("1001", "Agent Alice"), ("1002", "Agent Bob"), ("1003", "Agent Carol"))
RECORDED_ORIGINATE_VARIABLE = "CC_TICKET"  # the one `Variable:` the recorded Originate carried
# Events about the recording's own AMI session, not about calls.
SESSION_EVENTS = frozenset({"FullyBooted", "SuccessfulAuth", "InvalidPassword", "ChallengeSent", "Shutdown"})

_CHANNEL = re.compile(r"[A-Za-z0-9]+/[^/\s]+-[0-9a-f]{8}")
_UNIQUEID = re.compile(r"\d+\.\d+")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Step:
    delay: float  # seconds after the previous step, as recorded
    frame: Frame  # without its Timestamp: the simulator stamps it when it goes out


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    started: float  # the recording's clock at its first step
    channels: tuple[str, ...]  # recorded channel names, in order of appearance
    uniqueids: tuple[str, ...]
    uuids: tuple[str, ...]

    def first(self, event: str, key: str) -> str:
        """The value of `key` in the first `event` of the recording ("" if there is none)."""
        return next((s.frame.get(key, "") for s in self.steps if s.frame.get("Event") == event), "")


def load_scenarios(directory: Path = SCENARIO_DIR) -> dict[str, Scenario]:
    return {name: parse_scenario(name, (directory / file).read_bytes()) for name, file in SCENARIO_FILES.items()}


def parse_scenario(name: str, transcript: bytes) -> Scenario:
    _, frames = read_transcript(transcript)
    calls = [f for f in frames if "Event" in f and "Timestamp" in f and f["Event"] not in SESSION_EVENTS]
    if not calls:
        raise ValueError(f"scenario {name!r}: the transcript holds no call events")
    started = previous = float(calls[0]["Timestamp"])
    steps = []
    for frame in calls:
        at = float(frame["Timestamp"])
        steps.append(Step(max(0.0, at - previous), {k: v for k, v in frame.items() if k != "Timestamp"}))
        previous = at
    return Scenario(name, tuple(steps), started, *_recorded_ids(calls))


def _recorded_ids(frames: Iterable[Frame]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    channels: dict[str, None] = {}  # dicts as ordered sets
    uniqueids: dict[str, None] = {}
    uuids: dict[str, None] = {}
    for frame in frames:
        for key, value in frame.items():
            if key.endswith("Channel") and _CHANNEL.fullmatch(value):
                channels[value] = None
            elif key.endswith(("Uniqueid", "Linkedid")) and _UNIQUEID.fullmatch(value):
                uniqueids[value] = None
            uuids.update(dict.fromkeys(_UUID.findall(value)))
    return tuple(channels), tuple(uniqueids), tuple(uuids)


class IdAllocator:
    """Asterisk's numbering: one channel counter (8 hex digits) and `<epoch>.<n>` Uniqueids, never reused."""

    def __init__(self) -> None:
        self._channels = 0
        self._uniqueids = 0

    def channel(self, tech: str, endpoint: str) -> str:
        name = f"{tech}/{endpoint}-{self._channels:08x}"
        self._channels += 1
        return name

    def uniqueid(self, epoch: float) -> str:
        uid = f"{int(epoch)}.{self._uniqueids}"
        self._uniqueids += 1
        return uid


def fresh_ids(scenario: Scenario, ids: IdAllocator, now: float, endpoints: Mapping[str, str]) -> dict[str, str]:
    """Recorded channel names, Uniqueids and bridge ids → new ones; `endpoints` renames the phones."""
    mapping: dict[str, str] = {}
    for uid in scenario.uniqueids:
        mapping[uid] = ids.uniqueid(now + float(uid.split(".")[0]) - int(scenario.started))
    for channel in scenario.channels:
        tech, _, rest = channel.partition("/")
        endpoint = rest.rsplit("-", 1)[0]
        mapping[channel] = ids.channel(tech, endpoints.get(endpoint, endpoint))
    for recorded in scenario.uuids:
        mapping[recorded] = str(uuid.uuid4())
    return mapping


def relabel(steps: Sequence[Step], mapping: Mapping[str, str]) -> list[Step]:
    """Every recorded token in every header value replaced by its new value, in one pass (swaps are safe)."""
    tokens = sorted((t for t, new in mapping.items() if t and t != new), key=len, reverse=True)
    if not tokens:
        return list(steps)
    # A token counts only as a whole word: 1001 is renamed in "PJSIP/1001-00000001", not in "ssrc=41001".
    pattern = re.compile(r"(?<![0-9A-Za-z+])(?:" + "|".join(map(re.escape, tokens)) + r")(?![0-9A-Za-z])")

    def swap(match: re.Match[str]) -> str:
        return mapping[match.group(0)]

    return [Step(s.delay, {k: pattern.sub(swap, v) for k, v in s.frame.items()}) for s in steps]


def queue_call_mapping(
    scenario: Scenario, caller: str, agents: Sequence[tuple[str, str]], did: str, queue: str
) -> dict[str, str]:
    """The recorded caller, DID, queue and agents (extension and name) → the requested ones."""
    mapping = {
        scenario.first("Newchannel", "CallerIDNum"): caller,
        scenario.first("Newchannel", "Exten"): did,
        scenario.first("QueueCallerJoin", "Queue"): queue,
    }
    for (recorded_ext, recorded_name), (ext, name) in zip(RECORDED_AGENTS, agents, strict=False):
        mapping[recorded_ext] = ext
        mapping[recorded_name] = name
    return mapping


def originate_mapping(
    scenario: Scenario, action_id: str, extension: str, name: str, number: str, context: str
) -> dict[str, str]:
    """The recorded click-to-dial (ActionID, agent 1001, number dialled, context) → the requested one."""
    recorded_ext, recorded_name = RECORDED_AGENTS[0]
    return {
        scenario.first("OriginateResponse", "ActionID"): action_id,
        scenario.first("OriginateResponse", "Exten"): number,
        scenario.first("OriginateResponse", "Context"): context,
        recorded_ext: extension,
        recorded_name: name,
    }


def with_variables(steps: Sequence[Step], variables: Mapping[str, str]) -> list[Step]:
    """The recorded `VarSet CC_TICKET` replaced by one VarSet per variable the Originate asked for."""
    out: list[Step] = []
    for step in steps:
        frame = step.frame
        if frame.get("Event") != "VarSet" or frame.get("Variable") != RECORDED_ORIGINATE_VARIABLE:
            out.append(step)
            continue
        for n, (name, value) in enumerate(variables.items()):
            out.append(Step(step.delay if n == 0 else 0.0, {**frame, "Variable": name, "Value": value}))
    return out


def originate_steps(steps: list[Step], action_id: str, ring_ms: str) -> list[Step]:
    """OriginateResponse without ActionID if the request had none; an unanswered ring lasts `Timeout`."""
    out, elapsed = [], 0.0
    for step in steps:
        delay, frame = step.delay, step.frame
        if frame.get("Event") == "OriginateResponse":
            if not action_id:
                frame = {k: v for k, v in frame.items() if k != "ActionID"}
            if ring_ms.isdigit():
                delay = max(0.0, int(ring_ms) / 1000 - elapsed)
        elapsed += delay
        out.append(Step(delay, frame))
    return out


def originate_variables(header: str) -> dict[str, str]:
    """Originate's `Variable:` lines, each `a=1,b=2` split at commas as Asterisk does."""
    pairs = (item.partition("=") for line in header.splitlines() for item in line.split(",") if item.strip())
    return {name.strip(): value for name, _, value in pairs}


def security_event(
    event: str, account: str, session_id: str, local: tuple[str, int], peer: tuple[str, int], **fields: str
) -> Frame:
    """A SuccessfulAuth or InvalidPassword event in the shape of 06b (EventVersion and extras in `fields`)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())
    return {
        "Event": event, "Privilege": "security,all", "EventTV": now,
        "Severity": "Informational" if event == "SuccessfulAuth" else "Error", "Service": "AMI",
        "EventVersion": fields.pop("EventVersion", "1"), "AccountID": account, "SessionID": session_id,
        "LocalAddress": f"IPV4/TCP/{local[0]}/{local[1]}", "RemoteAddress": f"IPV4/TCP/{peer[0]}/{peer[1]}",
        **fields, "SessionTV": now,
    }  # fmt: skip
