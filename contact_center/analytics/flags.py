"""Repair flags as QA follows them up: what the statistics found (`repairs`, `batch_defects`, `rework`),
stored with its evidence so that a flag is announced once, survives restarts, reaches the screen-pop
of the unit's owner and can be acknowledged.

A flag is `open` when first found, `acknowledged` once QA has seen it, and `cleared` when a full scan no
longer finds it. Only the full scan clears: the incremental check looks at one unit and cannot tell
that another one recovered. A cleared flag found again is reopened and is news again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.analytics import flags_repository as repository
from contact_center.analytics.batch_defects import ModelFlag
from contact_center.analytics.rework import TechnicianFlag
from contact_center.analytics.service import AssetAnomaly, RepairAnomaliesOut
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import RepairFlag as Row
from contact_center.pagination import Page, check_window

UNIT: Final = "unit"
MODEL: Final = "model"
TECHNICIAN: Final = "technician"
KINDS: Final = (UNIT, MODEL, TECHNICIAN)
OPEN: Final = "open"
ACKNOWLEDGED: Final = "acknowledged"
CLEARED: Final = "cleared"
STATUSES: Final = (OPEN, ACKNOWLEDGED, CLEARED)


class Found(msgspec.Struct, frozen=True):
    """One flag as a check found it, before it is stored."""

    kind: str
    subject: str
    evidence: dict[str, Any]
    customer_id: int | None = None
    asset_id: int | None = None


class RepairFlag(msgspec.Struct):
    """A stored flag with the evidence of the latest check that found it."""

    id: int
    kind: str
    subject: str
    customer_id: int | None
    asset_id: int | None
    evidence: dict[str, Any]
    first_flagged_on: dt.date
    last_seen_on: dt.date
    status: str
    acknowledged_by: int | None
    acknowledged_at: dt.datetime | None


class UnitFlag(msgspec.Struct):
    """What the screen-pop and the offers need of a unit's standing flag."""

    asset_id: int
    repairs: int
    expected: float
    rate_ratio: float
    first_flagged_on: dt.date
    status: str


def _evidence(flag: AssetAnomaly | ModelFlag | TechnicianFlag) -> dict[str, Any]:
    # Through JSON and back: dates become strings and a non-finite float null, as the JSON column
    # stores them on both databases (PostgreSQL's JSONB refuses NaN and Infinity).
    evidence: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(flag))
    return evidence


def unit(anomaly: AssetAnomaly) -> Found:
    return Found(UNIT, str(anomaly.asset_id), _evidence(anomaly), anomaly.customer_id, anomaly.asset_id)


def model(flag: ModelFlag) -> Found:
    return Found(MODEL, flag.product_model, _evidence(flag))


def technician(flag: TechnicianFlag) -> Found:
    return Found(TECHNICIAN, flag.technician, _evidence(flag))


def from_scan(result: RepairAnomaliesOut) -> list[Found]:
    """Every flag of a full scan."""
    return [*map(unit, result.assets), *map(model, result.models), *map(technician, result.technicians)]


def to_schema(row: Row) -> RepairFlag:
    return RepairFlag(id=row.id, kind=row.kind, subject=row.subject, customer_id=row.customer_id,
                      asset_id=row.asset_id, evidence=row.evidence, first_flagged_on=row.first_flagged_on,
                      last_seen_on=row.last_seen_on, status=row.status, acknowledged_by=row.acknowledged_by,
                      acknowledged_at=row.acknowledged_at)  # fmt: skip


def announcement(flag: RepairFlag) -> dict[str, Any]:
    """The `repair_anomaly` message for the supervisors' channel: the evidence at the top level (a unit's
    `external_id`, `repairs`, `expected`, ...), with the flag's kind, id, subject and dates."""
    return {**flag.evidence, "type": "repair_anomaly", "kind": flag.kind, "flag_id": flag.id,
            "subject": flag.subject, "status": flag.status, "first_flagged_on": flag.first_flagged_on.isoformat(),
            "last_seen_on": flag.last_seen_on.isoformat()}  # fmt: skip


def summary(news: Sequence[RepairFlag]) -> dict[str, Any]:
    """The `repair_flags_found` message: how many flags a scan found new, per kind."""
    by_kind = {kind: sum(1 for f in news if f.kind == kind) for kind in KINDS}
    return {"type": "repair_flags_found", "new": len(news), "by_kind": by_kind}


def _refresh(row: Row, found: Found, as_of: dt.date) -> bool:
    """Updates a stored flag with a new finding; True when it was cleared and is now back."""
    row.evidence = found.evidence
    row.customer_id, row.asset_id = found.customer_id, found.asset_id
    row.last_seen_on = max(row.last_seen_on, as_of)
    if row.status != CLEARED:
        return False
    row.status, row.first_flagged_on = OPEN, as_of
    row.acknowledged_by = row.acknowledged_at = None
    return True


def _clear_missing(standing: Iterable[Row], found: Sequence[Found]) -> None:
    seen = {(f.kind, f.subject) for f in found}
    for row in standing:
        if (row.kind, row.subject) not in seen:
            row.status = CLEARED


async def record(
    session: AsyncSession, found: Sequence[Found], as_of: dt.date, *, full_scan: bool = False
) -> list[RepairFlag]:
    """Stores what a check found and returns the flags that are news: first found, or back after being
    cleared. Known flags get the new evidence. With `full_scan`, `found` is everything there is, and
    standing flags it does not contain are cleared."""
    unique = list({(f.kind, f.subject): f for f in found}.values())
    stored = await repository.by_subjects(session, [(f.kind, f.subject) for f in unique])
    news: list[Row] = []
    fresh: list[dict[str, Any]] = []
    now = clock.now()
    for f in unique:
        row = stored.get((f.kind, f.subject))
        if row is None:
            fresh.append({"kind": f.kind, "subject": f.subject, "customer_id": f.customer_id, "asset_id": f.asset_id,
                          "evidence": f.evidence, "first_flagged_on": as_of, "last_seen_on": as_of, "status": OPEN,
                          "created_at": now, "updated_at": now})  # fmt: skip
        elif _refresh(row, f, as_of):
            news.append(row)
    if full_scan:
        _clear_missing(await repository.standing(session), unique)
    await session.flush()
    news.extend(await repository.insert_new(session, fresh))
    return [to_schema(row) for row in news]


def _check_choice(name: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise ValidationFailed("{field} must be one of {choices}", field=name, choices=", ".join(allowed))


async def list_flags(
    session: AsyncSession, status: str | None, kind: str | None, limit: int, offset: int
) -> Page[RepairFlag]:
    """Stored flags, newest first; `status` and `kind` filter when given."""
    _check_choice("status", status, STATUSES)
    _check_choice("kind", kind, KINDS)
    check_window(limit, offset)
    rows, total = await repository.page(session, status, kind, limit, offset)
    return Page(items=[to_schema(r) for r in rows], total=total, limit=limit, offset=offset)


async def acknowledge(session: AsyncSession, flag_id: int, user_id: int | None) -> RepairFlag:
    """QA has seen the flag. Acknowledging it again changes nothing (two people may click at once); a
    cleared flag has nothing left to acknowledge (409)."""
    row = await repository.get(session, flag_id)
    if row is None:
        raise NotFound("no repair flag {flag_id}", flag_id=flag_id)
    if row.status == CLEARED:
        raise Conflict("repair flag {flag_id} is cleared: the latest scan no longer finds it", flag_id=flag_id)
    if row.status == OPEN:
        row.status, row.acknowledged_by, row.acknowledged_at = ACKNOWLEDGED, user_id, clock.now()
        await session.flush()
    return to_schema(row)


def _unit_flag(row: Row) -> UnitFlag:
    evidence = row.evidence
    return UnitFlag(asset_id=int(row.asset_id or row.subject), repairs=int(evidence.get("repairs", 0)),
                    expected=float(evidence.get("expected", 0.0)), rate_ratio=float(evidence.get("rate_ratio", 0.0)),
                    first_flagged_on=row.first_flagged_on, status=row.status)  # fmt: skip


async def open_unit_flags(session: AsyncSession, customer_id: int) -> dict[int, UnitFlag]:
    """The customer's units with a flag not cleared (open or acknowledged), by asset id."""
    return {flag.asset_id: flag for flag in map(_unit_flag, await repository.standing_units_of(session, customer_id))}
