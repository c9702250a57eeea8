from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from contact_center.bounded import Id, Int32, LongText, Text16, Text32, Text100, Text300, Text2000
from contact_center.customers.schemas import Customer, CustomerHistory


class Call(msgspec.Struct):
    id: int
    call_id: str
    source: str
    direction: str
    state: str
    offered_at: dt.datetime
    caller: str | None = None
    caller_e164: str | None = None
    caller_name: str | None = None
    dialled: str | None = None
    queue: str | None = None
    extension: str | None = None
    agent_id: int | None = None
    customer_id: int | None = None
    ticket_id: int | None = None
    answered_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    wait_seconds: float | None = None
    talk_seconds: float | None = None
    hangup_by: str | None = None
    caller_display: str | None = None  # the number as people here write it: 0912 345 678
    wrap_up: WrapUp | None = None  # what the agent recorded after the call


class WrapUp(msgspec.Struct):
    """After the call: how it ended (a disposition leads define) and the agent's note."""

    disposition: str
    note: str | None = None
    by: int | None = None
    at: dt.datetime | None = None


class WrapUpCreate(msgspec.Struct):
    disposition: Text32
    note: Text2000 | None = None


class Disposition(msgspec.Struct):
    id: int
    code: str
    label_zh: str
    label_en: str
    position: int
    active: bool


class DispositionCreate(msgspec.Struct):
    code: Text32
    label_zh: Text100
    label_en: Text100
    position: Int32 = 0
    active: bool = True


class DispositionUpdate(msgspec.Struct):
    label_zh: Text100 | msgspec.UnsetType = msgspec.UNSET
    label_en: Text100 | msgspec.UnsetType = msgspec.UNSET
    position: Int32 | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class CallTimelineEntry(msgspec.Struct):
    type: str
    at: dt.datetime
    extension: str | None = None
    data: dict[str, Any] = {}


class CallDetail(msgspec.Struct):
    call: Call
    timeline: list[CallTimelineEntry]


class Suggestions(msgspec.Struct):
    """Slots the knowledge base, the offer engine and the anomaly detector fill (later issues)."""

    articles: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []


class ScreenPop(msgspec.Struct, tag_field="type", tag="screen_pop"):
    """What the agent's desktop shows while the phone rings.

    `match` is `single` (one customer: `history` filled), `several` (a shared number: choose from
    `customers`) or `unknown` (offer to create a customer or attach the number).

    A ringing call pops twice: first as soon as the caller is identified (`complete` false: who is
    calling, no history yet, `call.id` 0 while the call's row is being written), then complete."""

    call: Call
    match: str
    customers: list[Customer]
    history: CustomerHistory | None = None
    suggestions: Suggestions = msgspec.field(default_factory=Suggestions)
    complete: bool = True


class CallUpdate(msgspec.Struct, tag_field="type", tag="call_update"):
    """A call the agent sees changed state: answered, missed, transferred, abandoned, ended."""

    call: Call
    change: str


class DialResult(msgspec.Struct, tag_field="type", tag="dial_result"):
    command_id: str
    ok: bool
    number: str
    reason: str | None = None
    # A reason the desk says in the agent's language: "not_connected" (the PBX link is down).
    code: str | None = None


class Display(msgspec.Struct, tag_field="type", tag="display"):
    """Open this customer or ticket on the agent's desktop (driven by any softphone or tool)."""

    customer_id: int | None = None
    ticket_id: int | None = None


class DisplayRequest(msgspec.Struct):
    customer_id: Id | None = None
    ticket_id: Id | None = None


class TicketFromCall(msgspec.Struct):
    """Create a ticket from a call: caller and call prefilled; what the agent typed."""

    subject: Text300
    kind: Text32 = "inquiry"
    description: LongText = ""
    customer_id: Id | None = None
    priority: Text16 = "normal"


class AttachTicket(msgspec.Struct):
    ticket_id: Id


class IngestResult(msgspec.Struct, omit_defaults=True):
    accepted: int
    duplicates: int
    # Events that can never be stored, by event id, with the reason; the others went in.
    rejected: dict[str, str] = {}
