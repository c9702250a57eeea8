"""What the simulated PBX holds right now — channels, queue callers, queue members — kept from the events it
emits, so `CoreShowChannels` and `QueueStatus` answer truthfully at any moment of a replayed call.

List shapes (field order, no Privilege/Timestamp, ActionID placement) are those of 07-resync-actions.log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cti_bridge.frames import Frame

# The channel snapshot Asterisk puts in every channel event and in CoreShowChannel, in its order.
SNAPSHOT_KEYS = (
    "Channel", "ChannelState", "ChannelStateDesc", "CallerIDNum", "CallerIDName", "ConnectedLineNum",
    "ConnectedLineName", "Language", "AccountCode", "Context", "Exten", "Priority", "Uniqueid", "Linkedid",
)  # fmt: skip
STATUS_NOT_INUSE = "1"


@dataclass
class Member:
    queue: str
    interface: str
    name: str
    login_time: int
    status: str = STATUS_NOT_INUSE  # AST_DEVICE_*: 1 not in use, 2 in use, 6 ringing
    in_call: str = "0"
    paused: bool = False
    reason: str = ""
    last_pause: int = 0
    calls_taken: int = 0
    last_call: int = 0

    def fields(self, name_key: str = "MemberName", location_key: str = "Interface") -> Frame:
        return {
            "Queue": self.queue, name_key: self.name, location_key: self.interface, "StateInterface": self.interface,
            "Membership": "static", "Penalty": "0", "CallsTaken": str(self.calls_taken),
            "LastCall": str(self.last_call), "LastPause": str(self.last_pause), "LoginTime": str(self.login_time),
            "InCall": self.in_call, "Status": self.status, "Paused": "1" if self.paused else "0",
            "PausedReason": self.reason,
        }  # fmt: skip


@dataclass
class QueueStats:
    holdtime: int = 0
    talktime: int = 0
    completed: int = 0
    abandoned: int = 0


@dataclass
class Channel:
    snapshot: Frame
    created: float
    application: str = ""
    app_data: str = ""
    bridge: str = ""
    variables: dict[str, str] = field(default_factory=dict)

    def application_fields(self, now: float) -> Frame:
        """The tail of a CoreShowChannel item."""
        duration = _duration(now - self.created)
        return {
            "Application": self.application,
            "ApplicationData": self.app_data,
            "Duration": duration,
            "BridgeId": self.bridge,
        }


@dataclass
class Entry:
    queue: str
    channel: str
    joined: float


class PbxState:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.channels: dict[str, Channel] = {}
        self.entries: list[Entry] = []
        self.members: dict[tuple[str, str], Member] = {}  # (queue, interface) → member
        self.stats: dict[str, QueueStats] = {}

    def add_member(self, queue: str, extension: str, name: str) -> Member:
        interface = f"PJSIP/{extension}"
        member = self.members.get((queue, interface))
        if member is None:
            member = Member(queue, interface, name, login_time=int(self.clock()))
            self.members[(queue, interface)] = member
            self.stats.setdefault(queue, QueueStats())
        return member

    def member_name(self, extension: str) -> str | None:
        return next((m.name for m in self.members.values() if m.interface == f"PJSIP/{extension}"), None)

    def apply(self, frame: Frame) -> Frame | None:
        """Record what an outgoing event changes; returns it (member events restated from the member
        table so their counters stay true), or None when it names a member that does not exist here."""
        event = frame.get("Event", "")
        if event in ("QueueMemberStatus", "QueueMemberPause"):
            return self._member_event(frame)
        self._channel_event(event, frame)
        self._queue_event(event, frame)
        return frame

    def _channel_event(self, event: str, frame: Frame) -> None:
        name = frame.get("Channel", "")
        if event == "Newchannel":
            self.channels[name] = Channel({k: frame.get(k, "") for k in SNAPSHOT_KEYS}, self.clock())
        channel = self.channels.get(name)
        if channel is None:
            return
        if event == "Hangup":
            del self.channels[name]
            self.entries = [e for e in self.entries if e.channel != name]
            return
        if "Linkedid" in frame:  # a full snapshot (OriginateResponse has a partial one)
            channel.snapshot.update({k: frame[k] for k in SNAPSHOT_KEYS if k in frame})
        if event == "Newexten":
            channel.application, channel.app_data = frame.get("Application", ""), frame.get("AppData", "")
        elif event == "VarSet":
            channel.variables[frame.get("Variable", "").lstrip("_")] = frame.get("Value", "")
        elif event == "BridgeEnter":
            channel.bridge = frame.get("BridgeUniqueid", "")
        elif event == "BridgeLeave":
            channel.bridge = ""

    def _queue_event(self, event: str, frame: Frame) -> None:
        queue = frame.get("Queue", "")
        stats = self.stats.setdefault(queue, QueueStats()) if queue else QueueStats()
        if event == "QueueCallerJoin":
            self.entries.append(Entry(queue, frame.get("Channel", ""), self.clock()))
        elif event == "QueueCallerLeave":
            self.entries = [e for e in self.entries if (e.queue, e.channel) != (queue, frame.get("Channel"))]
        elif event == "QueueCallerAbandon":
            stats.abandoned += 1
        elif event == "AgentConnect":
            stats.holdtime = _average(stats.holdtime, frame.get("HoldTime", ""), stats.completed + stats.abandoned)
        elif event == "AgentComplete":
            stats.talktime = _average(stats.talktime, frame.get("TalkTime", ""), stats.completed)
            stats.completed += 1
            member = self.members.get((queue, frame.get("Interface", "")))
            if member is not None:
                member.calls_taken += 1
                member.last_call = int(self.clock())

    def _member_event(self, frame: Frame) -> Frame | None:
        member = self.members.get((frame.get("Queue", ""), frame.get("Interface", "")))
        if member is None:
            return None
        if frame["Event"] == "QueueMemberStatus":
            member.status, member.in_call = frame.get("Status", member.status), frame.get("InCall", member.in_call)
        head: Frame = {k: frame[k] for k in ("Event", "Privilege") if k in frame}
        return {**head, **member.fields(), "Ringinuse": "0", "Wrapuptime": "0"}

    def pause(self, interface: str, queue: str | None, paused: bool, reason: str) -> list[Frame]:
        """QueuePause: the events it causes (empty when no such member)."""
        events: list[Frame] = []
        for member in self.members.values():
            if member.interface != interface or (queue and member.queue != queue):
                continue
            member.paused, member.reason = paused, reason if paused else ""
            if paused:
                member.last_pause = int(self.clock())
            device = {"Device": f"Queue:{member.queue}_pause_{interface}", "State": "INUSE" if paused else "NOT_INUSE"}
            events.append({"Event": "DeviceStateChange", "Privilege": "call,all", **device})
            events.append({"Event": "QueueMemberPause", "Privilege": "agent,all", **member.fields()})
            events[-1].update({"Ringinuse": "0", "Wrapuptime": "0"})
        return events

    def queue_status(self, action_id: str, queue: str = "", member: str = "") -> list[Frame]:
        """The list items of a QueueStatus (QueueParams, QueueMember…, QueueEntry… per queue)."""
        now = self.clock()
        items: list[Frame] = []
        for name, stats in sorted(self.stats.items()):
            if queue and name != queue:
                continue
            entries = [e for e in self.entries if e.queue == name]
            items.append(_queue_params(name, stats, len(entries)))
            for m in self.members.values():
                if m.queue == name and (not member or member in (m.interface, m.name)):
                    items.append({"Event": "QueueMember", **m.fields("Name", "Location"), "Wrapuptime": "0"})
            for position, entry in enumerate(entries, start=1):
                items.append(self._queue_entry(entry, position, now))
        return [{**item, "ActionID": action_id} for item in items] if action_id else items

    def _queue_entry(self, entry: Entry, position: int, now: float) -> Frame:
        snap = self.channels[entry.channel].snapshot if entry.channel in self.channels else {}
        return {
            "Event": "QueueEntry", "Queue": entry.queue, "Position": str(position), "Channel": entry.channel,
            "Uniqueid": snap.get("Uniqueid", ""), "CallerIDNum": snap.get("CallerIDNum", ""),
            "CallerIDName": snap.get("CallerIDName", ""), "ConnectedLineNum": snap.get("ConnectedLineNum", ""),
            "ConnectedLineName": snap.get("ConnectedLineName", ""), "Wait": str(int(now - entry.joined)),
            "Priority": "0",
        }  # fmt: skip

    def core_show_channels(self, action_id: str) -> list[Frame]:
        now = self.clock()
        head = {"Event": "CoreShowChannel", "ActionID": action_id} if action_id else {"Event": "CoreShowChannel"}
        return [{**head, **c.snapshot, **c.application_fields(now)} for c in self.channels.values()]


def _queue_params(name: str, stats: QueueStats, calls: int) -> Frame:
    return {
        "Event": "QueueParams", "Queue": name, "Max": "0", "Strategy": "rrmemory", "Calls": str(calls),
        "Holdtime": str(stats.holdtime), "TalkTime": str(stats.talktime), "Completed": str(stats.completed),
        "Abandoned": str(stats.abandoned), "ServiceLevel": "0", "ServicelevelPerf": "0.0",
        "ServicelevelPerf2": "0.0", "Weight": "0",
    }  # fmt: skip


def _average(old: int, new: str, count: int) -> int:
    """app_queue's running average: the first value as is, then (3 * old + new) / 4."""
    value = int(new) if new.isdigit() else 0
    return value if count == 0 else (3 * old + value) // 4


def _duration(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
