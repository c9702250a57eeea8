from __future__ import annotations

import datetime as dt

import msgspec

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

    channel: str
    summary: str
    direction: str = "in"
    started_at: dt.datetime | None = None
    duration_seconds: int | None = None
    ticket_id: int | None = None
