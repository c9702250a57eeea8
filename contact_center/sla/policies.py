"""SLA policies as data: list, add, change, remove. The most specific policy wins for a ticket
(priority and tier, then priority, then tier, then the default: `service.policy_for`).

A changed policy applies to deadlines computed from then on; deadlines already set are kept (see
`calendars`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.bounded import Int32, Text16, Text32, Text100
from contact_center.customers.service import VALUE_TIERS
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import SlaPolicy
from contact_center.sla import calendars
from contact_center.sla import service as sla_service
from contact_center.tickets.workflow import PRIORITIES


class Level(msgspec.Struct, forbid_unknown_fields=True):
    at: float  # share of the resolution target: 0.75 = three quarters of the time used
    action: Text32


ACTIONS = ("warn_owner", "notify_supervisors", "reassign_and_raise")
DEFAULT_LEVELS = (Level(0.75, "warn_owner"), Level(1.0, "notify_supervisors"), Level(1.5, "reassign_and_raise"))
MAX_MINUTES = 60 * 24 * 365  # a year of business minutes: anything longer is a typo


class Policy(msgspec.Struct):
    id: int
    name: str
    priority: str | None
    tier: str | None
    first_response_minutes: int
    resolution_minutes: int
    calendar: str
    levels: list[Level]
    created_at: dt.datetime


class PolicyWrite(msgspec.Struct, forbid_unknown_fields=True):
    name: Text100
    first_response_minutes: Int32
    resolution_minutes: Int32
    priority: Text16 | None = None
    tier: Text16 | None = None
    calendar: Text32 = "taiwan"
    levels: list[Level] = msgspec.field(default_factory=lambda: list(DEFAULT_LEVELS))


def _schema(p: SlaPolicy) -> Policy:
    return Policy(id=p.id, name=p.name, priority=p.priority, tier=p.tier,
                  first_response_minutes=p.first_response_minutes, resolution_minutes=p.resolution_minutes,
                  calendar=p.calendar, levels=[Level(float(lv["at"]), str(lv["action"])) for lv in p.levels],
                  created_at=p.created_at)  # fmt: skip


async def _check(session: AsyncSession, data: PolicyWrite, policy_id: int | None) -> list[dict[str, Any]]:
    if not data.name.strip() or len(data.name) > 100:
        raise ValidationFailed("name: 1-100 characters")
    if data.priority is not None and data.priority not in PRIORITIES:
        raise ValidationFailed("priority must be one of {choices} (or null for any)", choices=", ".join(PRIORITIES))
    if data.tier is not None and data.tier not in VALUE_TIERS:
        raise ValidationFailed("tier must be one of {choices} (or null for any)", choices=", ".join(VALUE_TIERS))
    for field in ("first_response_minutes", "resolution_minutes"):
        if not 1 <= getattr(data, field) <= MAX_MINUTES:
            raise ValidationFailed("{field} must be between 1 and {max_minutes}", field=field, max_minutes=MAX_MINUTES)
    if data.resolution_minutes < data.first_response_minutes:
        raise ValidationFailed("resolution_minutes cannot be shorter than first_response_minutes")
    if not await calendars.exists(session, data.calendar):
        raise ValidationFailed("calendar {calendar!r} does not exist", calendar=data.calendar)
    shares = [level.at for level in data.levels]
    if any(not 0 < at <= 10 for at in shares) or shares != sorted(set(shares)):
        raise ValidationFailed("levels: `at` between 0 and 10 (a share of the resolution target), rising")
    for level in data.levels:
        if level.action not in ACTIONS:
            raise ValidationFailed("level action must be one of {choices}", choices=", ".join(ACTIONS))
    same = select(SlaPolicy.id).where(
        SlaPolicy.priority.is_(None) if data.priority is None else SlaPolicy.priority == data.priority,
        SlaPolicy.tier.is_(None) if data.tier is None else SlaPolicy.tier == data.tier,
    )
    clash = (await session.execute(same)).scalars().first()
    if clash is not None and clash != policy_id:
        raise Conflict("policy {clash} already covers this priority and tier: change that one", clash=clash)
    return [{"at": level.at, "action": level.action} for level in data.levels]


async def policies(session: AsyncSession) -> list[Policy]:
    rows = await session.execute(select(SlaPolicy).order_by(SlaPolicy.id))
    return [_schema(p) for p in rows.scalars()]


async def _get(session: AsyncSession, policy_id: int) -> SlaPolicy:
    policy = await session.get(SlaPolicy, policy_id)
    if policy is None:
        raise NotFound("no SLA policy {policy_id}", policy_id=policy_id)
    return policy


async def policy(session: AsyncSession, policy_id: int) -> Policy:
    return _schema(await _get(session, policy_id))


async def create(session: AsyncSession, data: PolicyWrite) -> Policy:
    levels = await _check(session, data, None)
    row = SlaPolicy(name=data.name.strip(), priority=data.priority, tier=data.tier, calendar=data.calendar,
                    first_response_minutes=data.first_response_minutes, resolution_minutes=data.resolution_minutes,
                    levels=levels, created_at=clock.now())  # fmt: skip
    session.add(row)
    await session.flush()
    sla_service.forget_policies()
    return _schema(row)


async def update(session: AsyncSession, policy_id: int, data: PolicyWrite) -> Policy:
    row = await _get(session, policy_id)
    levels = await _check(session, data, policy_id)
    if (row.priority, row.tier) == (None, None) and (data.priority, data.tier) != (None, None):
        raise Conflict("the default policy (any priority, any tier) stays the default: add a new policy instead")
    row.name, row.priority, row.tier, row.calendar = data.name.strip(), data.priority, data.tier, data.calendar
    row.first_response_minutes, row.resolution_minutes = data.first_response_minutes, data.resolution_minutes
    row.levels = levels
    await session.flush()
    sla_service.forget_policies()
    return _schema(row)


async def delete(session: AsyncSession, policy_id: int) -> None:
    row = await _get(session, policy_id)
    if (row.priority, row.tier) == (None, None):
        raise Conflict("the default policy can be changed, not removed: every ticket needs a service level")
    await session.delete(row)  # tickets under it keep their deadlines; the database clears the link
    sla_service.forget_policies()
