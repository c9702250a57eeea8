from __future__ import annotations

import datetime as dt

import msgspec

from contact_center.bounded import Id, Int32, LongText, Text16, Text32, Text64, Text128


class Queue(msgspec.Struct):
    id: int
    name: str
    display_name: str
    required_skills: list[str]
    strategy: str
    description: str | None = None
    leads: list[int] = []


class QueueCreate(msgspec.Struct):
    name: Text64
    display_name: Text128
    required_skills: list[Text64] = []
    strategy: Text32 = "skills_least_loaded"
    description: LongText | None = None
    leads: list[Id] = []


class QueueUpdate(msgspec.Struct):
    display_name: Text128 | msgspec.UnsetType = msgspec.UNSET
    required_skills: list[Text64] | msgspec.UnsetType = msgspec.UNSET
    strategy: Text32 | msgspec.UnsetType = msgspec.UNSET
    description: LongText | None | msgspec.UnsetType = msgspec.UNSET
    leads: list[Id] | msgspec.UnsetType = msgspec.UNSET


class Agent(msgspec.Struct):
    id: int
    username: str
    display_name: str
    skills: dict[str, int]
    capacity: int
    presence: str
    open_tickets: int
    extension: str | None = None
    presence_since: dt.datetime | None = None
    last_assigned_at: dt.datetime | None = None


class AgentProfileUpdate(msgspec.Struct):
    skills: dict[Text64, Int32] | msgspec.UnsetType = msgspec.UNSET
    capacity: Int32 | msgspec.UnsetType = msgspec.UNSET


class Presence(msgspec.Struct):
    presence: Text16


class AssignRequest(msgspec.Struct):
    """Assign to this user, or leave `user_id` out to let the queue's strategy choose."""

    user_id: Id | None = None


class AssignResult(msgspec.Struct):
    ticket_id: int
    assignee_id: int | None
    reason: str
