"""State behind `cti_bridge.translate.CallTracker`: one `Call` per Linkedid and the `Ledger` that owns them.

The ledger also makes every outgoing event: it builds the deterministic id, drops an id it has already
emitted, and keeps the counters that `CallTracker.stats` reports.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cti_bridge.contract import (
    AgentState,
    CallAbandoned,
    CallAnswered,
    CallEnded,
    CallOffered,
    CallRinging,
    CallRingNoAnswer,
    CallTransferred,
    HangupBy,
    OriginateResult,
)
from cti_bridge.translate_fields import extension_of, text

Event = (
    CallOffered | CallRinging | CallRingNoAnswer | CallAnswered | CallTransferred | CallAbandoned | CallEnded
    | AgentState | OriginateResult
)  # fmt: skip
E = TypeVar("E", bound=Event)

REMEMBERED_IDS = 20_000  # emitted ids kept to drop a repeated AMI event
REMEMBERED_ENDINGS = 20_000  # ended calls kept so that late or repeated events cannot reopen them


@dataclass(frozen=True)
class Moment:
    """When an AMI event happened, and the text that stands for it in event ids.

    `label` is the event's `Timestamp` header (the same for a repeated event); None means "no Timestamp":
    the id then takes the call's next sequence number.
    """

    at: float
    label: str | None


@dataclass
class Complete:
    """What AgentComplete said about one agent's part of the call."""

    extension: str | None
    talk_seconds: float | None
    reason: str | None


@dataclass
class Call:
    call_id: str
    first_endpoint: str | None = None  # endpoint of the call's first channel (Uniqueid == Linkedid)
    announced: bool = False  # an event of this call was emitted: the app knows it
    offered: bool = False  # it joined a queue (or reached an agent from outside): an inbound call
    in_queue: bool = False
    abandoned: bool = False
    caller: str | None = None
    caller_name: str | None = None
    dialled: str | None = None  # inbound: the DID; outbound: the number the agent dialled
    queue: str | None = None
    queue_legs: set[str] = field(default_factory=set)  # agent channels rung by the queue (AgentCalled)
    dial_legs: dict[str, float] = field(default_factory=dict)  # agent channels rung by a plain Dial → since
    answered_legs: set[str] = field(default_factory=set)
    answered_extension: str | None = None  # the last agent who answered
    answered_at: float | None = None
    connected: bool = False  # that agent is still on the call (a transfer ends this)
    wait_seconds: float | None = None
    complete: Complete | None = None
    hangup_side: HangupBy | None = None  # who asked to hang up since the last answer
    met_at_resync: bool = False  # live at a resync, neither waiting nor bridged: the app may have it open
    sequence: int = 0


class Ledger:
    """Calls by Linkedid, recently ended calls, recently emitted ids, agent states, counters."""

    def __init__(self, source: str, trunk_endpoints: frozenset[str], clock: Callable[[], float]) -> None:
        self.source = source
        self.trunks = trunk_endpoints
        self.clock = clock
        self.calls: dict[str, Call] = {}
        self.ended: OrderedDict[str, None] = OrderedDict()
        self.agent_states: dict[tuple[str, str], tuple[bool | None, str | None, bool | None]] = {}
        self.counts: Counter[str] = Counter()
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._sequence = 0

    # --- calls -------------------------------------------------------------------------------------

    def call(self, call_id: str, create: bool = False) -> Call | None:
        """The live call; None when it is unknown (and not created) or already ended."""
        if call_id in self.ended:
            self.counts["after end"] += 1
            return None
        found = self.calls.get(call_id)
        if found is None and create:
            found = self.calls[call_id] = Call(call_id)
        return found

    def end(self, call: Call) -> None:
        self.calls.pop(call.call_id, None)
        self.ended[call.call_id] = None
        while len(self.ended) > REMEMBERED_ENDINGS:
            self.ended.popitem(last=False)

    def is_trunk(self, channel: str | None) -> bool:
        return extension_of(channel) in self.trunks

    def learn_first_channel(self, call: Call, message: Mapping[str, str]) -> None:
        """Remember the endpoint of the call's first channel: a trunk means the customer called in."""
        if call.first_endpoint is None and text(message, "Uniqueid") == call.call_id:
            call.first_endpoint = extension_of(text(message, "Channel"))

    def inbound(self, call: Call) -> bool:
        return call.offered or (call.first_endpoint is not None and call.first_endpoint in self.trunks)

    def outbound(self, call: Call) -> bool:
        return not call.offered and call.first_endpoint is not None and call.first_endpoint not in self.trunks

    # --- events ------------------------------------------------------------------------------------

    def emit(
        self,
        event_type: type[E],
        call: Call | None,
        key: str,
        moment: Moment,
        /,
        *,
        call_id: str = "",
        stamp: str | None = None,
        **fields: Any,
    ) -> list[E]:
        """One event as a list (empty when its id was emitted before). `key` tells events of one kind apart;
        `call_id` is for an event outside any tracked call, `stamp` replaces the moment's label in the id."""
        tag = event_type.__struct_config__.tag
        call_id = call.call_id if call is not None else call_id
        if stamp is None:
            stamp = moment.label or self._next(call)
        event_id = f"{self.source}:{call_id}:{tag}:{key}:{stamp}"
        if event_id in self._ids:
            self.counts["duplicate"] += 1
            return []
        self._ids[event_id] = None
        while len(self._ids) > REMEMBERED_IDS:
            self._ids.popitem(last=False)
        if call is not None:
            call.announced = True
        self.counts["emitted"] += 1
        return [event_type(id=event_id, call_id=call_id, at=moment.at, source=self.source, **fields)]

    def _next(self, call: Call | None) -> str:
        if call is None:
            self._sequence += 1
            return f"#{self._sequence}"
        call.sequence += 1
        return f"#{call.sequence}"
