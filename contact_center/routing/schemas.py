from __future__ import annotations

import datetime as dt

import msgspec


class Queue(msgspec.Struct):
    id: int
    name: str
    display_name: str
    required_skills: list[str]
    strategy: str
    description: str | None = None


class QueueCreate(msgspec.Struct):
    name: str
    display_name: str
    required_skills: list[str] = []
    strategy: str = "skills_least_loaded"
    description: str | None = None


class QueueUpdate(msgspec.Struct):
    display_name: str | msgspec.UnsetType = msgspec.UNSET
    required_skills: list[str] | msgspec.UnsetType = msgspec.UNSET
    strategy: str | msgspec.UnsetType = msgspec.UNSET
    description: str | None | msgspec.UnsetType = msgspec.UNSET


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
    skills: dict[str, int] | msgspec.UnsetType = msgspec.UNSET
    capacity: int | msgspec.UnsetType = msgspec.UNSET


class Presence(msgspec.Struct):
    presence: str


class AssignRequest(msgspec.Struct):
    """Assign to this user, or leave `user_id` out to let the queue's strategy choose."""

    user_id: int | None = None


class AssignResult(msgspec.Struct):
    ticket_id: int
    assignee_id: int | None
    reason: str
