from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from contact_center.bounded import Id, Int32, LongText, Text16, Text32, Text64, Text100, Text300, Text2000


class Sla(msgspec.Struct):
    """Service level: deadlines in business time (pauses while waiting for the customer excluded)."""

    policy_id: int | None
    first_response_due: dt.datetime | None
    resolution_due: dt.datetime | None
    breached: bool
    escalation_level: int
    paused: bool


class Ticket(msgspec.Struct):
    id: int
    kind: str
    status: str
    priority: str
    subject: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    external_id: str | None = None
    customer_id: int | None = None
    asset_id: int | None = None
    queue_id: int | None = None
    channel: str | None = None
    category: str | None = None
    category_model: str | None = None  # the classifier version that proposed the category, if one did
    category_confidence: float | None = None
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    assignee_id: int | None = None
    technician: str | None = None
    satisfaction: int | None = None
    tags: list[str] = []
    sla: Sla | None = None


class TicketCreate(msgspec.Struct):
    kind: Text32
    subject: Text300
    description: LongText = ""
    customer_id: Id | None = None
    asset_id: Id | None = None
    queue_id: Id | None = None
    priority: Text16 = "normal"
    channel: Text32 | None = "phone"
    category: Text100 | None = None
    assignee_id: Id | None = None
    technician: Text100 | None = None
    external_id: Text64 | None = None


class TicketUpdate(msgspec.Struct):
    """Only the fields sent change; each change is written to the ticket's history."""

    status: Text16 | msgspec.UnsetType = msgspec.UNSET
    priority: Text16 | msgspec.UnsetType = msgspec.UNSET
    subject: Text300 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    category: Text100 | None | msgspec.UnsetType = msgspec.UNSET
    kind: Text32 | msgspec.UnsetType = msgspec.UNSET
    asset_id: Id | None | msgspec.UnsetType = msgspec.UNSET
    queue_id: Id | None | msgspec.UnsetType = msgspec.UNSET
    assignee_id: Id | None | msgspec.UnsetType = msgspec.UNSET
    technician: Text100 | None | msgspec.UnsetType = msgspec.UNSET
    satisfaction: Int32 | None | msgspec.UnsetType = msgspec.UNSET
    tags: list[Text32] | msgspec.UnsetType = msgspec.UNSET  # the whole list: what is sent replaces it
    note: Text2000 | None = None  # why, kept with the change in the history


class TicketEvent(msgspec.Struct):
    id: int
    ticket_id: int
    at: dt.datetime
    kind: str
    data: dict[str, Any]
    actor_id: int | None = None


class AttachmentOut(msgspec.Struct):
    id: int
    name: str
    size: int
    content_type: str  # what the bytes are, whatever the name says


class TicketMessage(msgspec.Struct):
    id: int
    ticket_id: int
    visibility: str
    body: str
    created_at: dt.datetime
    author_id: int | None = None
    channel: str | None = None  # None: written at the desk; "web" (the portal), "email", "line"
    direction: str = "out"  # "in": from the customer
    message_id: str | None = None  # e-mail: its Message-ID
    sender: str | None = None  # the address an inbound message came from
    delivery: str | None = None  # outbound e-mail: queued, sent, retrying, failed
    attachments: list[AttachmentOut] = []


class TicketMessageCreate(msgspec.Struct):
    """A public reply to the customer, or an internal note for colleagues (`internal: true`)."""

    body: LongText
    internal: bool = False


class TicketLink(msgspec.Struct):
    ticket_id: int
    other_id: int
    kind: str


class TicketLinkCreate(msgspec.Struct):
    other_id: Id
    kind: Text16 = "related"  # related | duplicate | parent | child


class TicketMerge(msgspec.Struct):
    """Merge this ticket into `into`: its conversation moves there and it is closed as a duplicate."""

    into: Id
