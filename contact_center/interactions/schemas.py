from __future__ import annotations

import datetime as dt

import msgspec

from contact_center.bounded import Id, Int32, LongText, Text8, Text16

CHANNELS = ("call", "email", "web", "line", "visit", "sms", "fax", "chat")
DIRECTIONS = ("in", "out")


class Interaction(msgspec.Struct):
    id: int
    channel: str
    direction: str
    started_at: dt.datetime
    customer_id: int | None = None
    ticket_id: int | None = None
    duration_seconds: int | None = None
    agent_id: int | None = None
    agent: str | None = None
    phone: str | None = None
    summary: str | None = None
    external_id: str | None = None


class InteractionCreate(msgspec.Struct):
    """A contact to log; the agent is whoever logs it, the time now unless given."""

    channel: Text16
    summary: LongText
    direction: Text8 = "in"
    started_at: dt.datetime | None = None
    duration_seconds: Int32 | None = None
    ticket_id: Id | None = None
