"""Repair anomalies and complaint trends from the database: the statistics of `repairs` and `trends`
over the tickets, computed in a worker thread and remembered for a few minutes per question."""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.analytics import value
from contact_center.analytics.repairs import ModelFlag, RepairRecord, TechnicianFlag, scan
from contact_center.analytics.trends import ComplaintRecord, ComplaintTrends, analyze
from contact_center.analytics.value import CustomerValue, PurchaseFact
from contact_center.clock import TAIPEI
from contact_center.db.cache import PerDatabase
from contact_center.errors import ValidationFailed
from contact_center.models import Asset, Customer, Purchase, Ticket

HISTORY_YEARS = 3  # the window repair rates and seasons are learned from
MAX_TREND_DAYS = 3 * 366


class AssetAnomaly(msgspec.Struct):
    asset_id: int
    external_id: str | None
    customer_id: int
    product_model: str
    age_years: float | None
    repairs: int
    expected: float
    rate_ratio: float
    other_tickets: int
    p_value: float
    p_adjusted: float
    score: float


class RepairAnomaliesOut(msgspec.Struct):
    as_of: dt.date
    assets: list[AssetAnomaly]
    models: list[ModelFlag]
    technicians: list[TechnicianFlag]


_repairs: PerDatabase[RepairAnomaliesOut] = PerDatabase(seconds=600.0)
_trends: PerDatabase[ComplaintTrends] = PerDatabase(seconds=600.0)


def _local(at: dt.datetime) -> dt.date:
    return at.astimezone(TAIPEI).date()


async def repair_anomalies(session: AsyncSession, as_of: dt.date, *, fresh: bool = False) -> RepairAnomaliesOut:
    """Lemon units, batch-defect models and technicians with abnormal rework, as of a day; `fresh`
    computes them again even when a recent answer is remembered (the scan job stores what it finds)."""
    found, cached = _repairs.get(session, as_of)
    if found and cached is not None and not fresh:
        return cached
    since = dt.datetime.combine(as_of.replace(year=as_of.year - HISTORY_YEARS), dt.time(), TAIPEI)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TAIPEI)
    rows = await session.execute(
        select(Ticket.id, Ticket.asset_id, Asset.product_model, Ticket.kind, Ticket.created_at, Ticket.technician,
               Asset.installed_on)
        .join(Asset, Asset.id == Ticket.asset_id)
        .where(Ticket.created_at >= since, Ticket.created_at < until)
    )  # fmt: skip
    records = [RepairRecord(i, a, m, k, _local(at), t, inst) for i, a, m, k, at, t, inst in rows.all()]
    result = await asyncio.to_thread(scan, records, as_of)
    flagged = [int(f.asset_id) for f in result.assets]
    owners = {}
    if flagged:
        query = select(Asset.id, Asset.external_id, Asset.customer_id).where(Asset.id.in_(flagged))
        owners = {i: (e, c) for i, e, c in (await session.execute(query)).all()}
    assets = [
        AssetAnomaly(asset_id=int(f.asset_id), external_id=owners[int(f.asset_id)][0],
                     customer_id=owners[int(f.asset_id)][1], product_model=f.product_model, age_years=f.age_years,
                     repairs=f.repairs, expected=round(f.expected, 3), rate_ratio=round(f.rate_ratio, 2),
                     other_tickets=f.other_tickets, p_value=f.p_value, p_adjusted=f.p_adjusted,
                     score=round(f.score, 3))
        for f in result.assets
        if int(f.asset_id) in owners
    ]  # fmt: skip
    out = RepairAnomaliesOut(as_of=as_of, assets=assets, models=result.models, technicians=result.technicians)
    return _repairs.put(session, out, as_of)


async def complaint_trends(session: AsyncSession, start: dt.date, end: dt.date) -> ComplaintTrends:
    """Weekly complaint topics between two days, with emerging topics; earlier years of complaints are
    read too, so a seasonal topic is recognised as such."""
    if end < start:
        raise ValidationFailed("`to` must not be before `from`")
    if (end - start).days > MAX_TREND_DAYS:
        raise ValidationFailed("at most {max_trend_days} days at a time", max_trend_days=MAX_TREND_DAYS)
    found, cached = _trends.get(session, (start, end))
    if found and cached is not None:
        return cached
    since = dt.datetime.combine(start.replace(year=start.year - 2), dt.time(), TAIPEI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), TAIPEI)
    rows = await session.execute(
        select(Ticket.id, Ticket.created_at, Ticket.subject, Ticket.description, Ticket.category, Asset.product_model,
               Ticket.channel)
        .outerjoin(Asset, Asset.id == Ticket.asset_id)
        .where(Ticket.kind == "complaint", Ticket.created_at >= since, Ticket.created_at < until)
    )  # fmt: skip
    records = [ComplaintRecord(i, _local(at), f"{subject} {description or ''}", category, model, channel)
               for i, at, subject, description, category, model, channel in rows.all()]  # fmt: skip
    result = await asyncio.to_thread(analyze, records, start, end)
    return _trends.put(session, result, (start, end))


async def _purchases(session: AsyncSession, as_of: dt.date) -> list[PurchaseFact]:
    since = dt.datetime.combine(as_of.replace(year=as_of.year - 3), dt.time(), TAIPEI)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TAIPEI)
    rows = await session.execute(
        select(Purchase.customer_id, Purchase.amount, Purchase.purchased_at)
        .where(Purchase.purchased_at >= since, Purchase.purchased_at < until)
    )  # fmt: skip
    return [PurchaseFact(c, int(amount or 0), _local(at)) for c, amount, at in rows.all()]


async def customer_value(session: AsyncSession, as_of: dt.date) -> CustomerValue:
    """The customer pyramid and the month's gains and losses (seed 004)."""
    customers = (await session.execute(select(func.count()).select_from(Customer))).scalar_one()
    return value.customer_value(await _purchases(session, as_of), as_of, customers)


async def refresh_tiers(session: AsyncSession, as_of: dt.date) -> dict[str, int]:
    """Recomputes every customer's value tier from purchases (the nightly job); routing raises the
    priority of VIP tickets and the screen-pop shows the tier. Returns how many changed, per tier."""
    tiers = {s.customer_id: s.tier for s in value.rfm(await _purchases(session, as_of), as_of)}
    current = (await session.execute(select(Customer.id, Customer.value_tier))).all()
    moves: dict[str, list[int]] = {}
    for customer_id, tier in current:
        wanted = tiers.get(customer_id, "basic")
        if wanted != tier:
            moves.setdefault(wanted, []).append(customer_id)
    for tier, ids in moves.items():
        for start in range(0, len(ids), 5000):
            await session.execute(
                update(Customer).where(Customer.id.in_(ids[start : start + 5000])).values(value_tier=tier)
            )
    return {tier: len(ids) for tier, ids in moves.items()}
