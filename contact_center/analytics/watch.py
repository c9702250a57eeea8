"""The incremental repair-anomaly check: when a repair ticket is opened, its unit is checked against
the fleet baselines (built from the tickets in a worker thread, rebuilt every `BASELINE_SECONDS`),
after the response is sent. What it finds is stored as a flag (`flags.record`): the table, not this
process's memory, decides that a unit is announced once, and it survives restarts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.analytics.repairs import Baselines, RepairRecord, check_unit
from contact_center.analytics.service import HISTORY_YEARS, AssetAnomaly
from contact_center.clock import TAIPEI
from contact_center.models import Asset, Ticket

BASELINE_SECONDS = 6 * 3600.0

_COLUMNS = (Ticket.id, Ticket.asset_id, Asset.product_model, Ticket.kind, Ticket.created_at, Ticket.technician,
            Asset.installed_on)  # fmt: skip


def _records(rows: list[tuple[object, ...]]) -> list[RepairRecord]:
    return [RepairRecord(i, a, m, k, at.astimezone(TAIPEI).date(), t, inst)  # type: ignore[arg-type, attr-defined]
            for i, a, m, k, at, t, inst in rows]  # fmt: skip


class RepairWatch:
    def __init__(self) -> None:
        self._baselines: dict[URL, tuple[float, Baselines]] = {}
        self._lock = asyncio.Lock()

    async def _fleet(self, session: AsyncSession, as_of: dt.date) -> Baselines:
        key = (session.bind or session.get_bind()).engine.url
        cached = self._baselines.get(key)
        if cached is not None and time.monotonic() - cached[0] < BASELINE_SECONDS:
            return cached[1]
        async with self._lock:
            cached = self._baselines.get(key)
            if cached is not None and time.monotonic() - cached[0] < BASELINE_SECONDS:
                return cached[1]
            since = dt.datetime.combine(as_of.replace(year=as_of.year - HISTORY_YEARS), dt.time(), TAIPEI)
            rows = (await session.execute(select(*_COLUMNS).join(Asset, Asset.id == Ticket.asset_id)
                                          .where(Ticket.created_at >= since))).all()  # fmt: skip
            baselines = await asyncio.to_thread(Baselines.build, _records([tuple(r) for r in rows]), as_of)
            self._baselines[key] = (time.monotonic(), baselines)
            return baselines

    async def check(self, session: AsyncSession, asset_id: int, as_of: dt.date) -> AssetAnomaly | None:
        """The unit's flag with its evidence, or None when it looks like its fleet."""
        baselines = await self._fleet(session, as_of)
        rows = (await session.execute(select(*_COLUMNS).join(Asset, Asset.id == Ticket.asset_id)
                                      .where(Ticket.asset_id == asset_id))).all()  # fmt: skip
        flag = check_unit(baselines, _records([tuple(r) for r in rows]), as_of)
        if flag is None:
            return None
        asset = await session.get(Asset, asset_id)
        if asset is None:
            return None
        return AssetAnomaly(asset_id=asset_id, external_id=asset.external_id, customer_id=asset.customer_id,
                            product_model=flag.product_model, age_years=flag.age_years, repairs=flag.repairs,
                            expected=round(flag.expected, 3), rate_ratio=round(flag.rate_ratio, 2),
                            other_tickets=flag.other_tickets, p_value=flag.p_value, p_adjusted=flag.p_adjusted,
                            score=round(flag.score, 3))  # fmt: skip
