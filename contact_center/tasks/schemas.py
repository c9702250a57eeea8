from __future__ import annotations

import datetime as dt

import msgspec

from contact_center.bounded import Text32, Text2000


class Task(msgspec.Struct):
    id: int
    kind: str
    title: str
    due_at: dt.datetime
    status: str
    owner_id: int | None = None
    customer_id: int | None = None
    ticket_id: int | None = None
    asset_id: int | None = None
    note: str | None = None
    outcome: str | None = None
    done_at: dt.datetime | None = None


class ReminderCreate(msgspec.Struct):
    due_at: dt.datetime
    note: Text2000 | None = None


class TaskDone(msgspec.Struct):
    outcome: Text32  # reached | no_answer | call_back | not_interested | sold | cancelled
    note: Text2000 | None = None
