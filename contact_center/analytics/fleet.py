"""Tickets to columns: the units in service, their repair episodes and the unit-years they were exposed.

The repair statistics need three things per unit: its model, its install date and its repair
*episodes*. Everything is kept as numpy arrays so a full scan stays linear in the number of tickets.

- A repair ticket created within `DUPLICATE_DAYS` of the unit's previous repair ticket is the same
  failure reported again (a customer chasing, a second channel) and joins that episode; the
  episode's technician is the first one named on any of its tickets.
- Time is continuous: a date d covers [d, d + 1), so "as of 2025-08-15" ends at the ordinal of
  2025-08-16. A unit is exposed from max(data start, installed_on) to the end; a unit with an
  unknown install date is exposed from the data start (conservative: more exposure, more expected).
- Age bands are [0,¼) [¼,1) [1,2) [2,3) [3,5) [5,8) [8,∞) years since installation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "AGE_BANDS",
    "DUPLICATE_DAYS",
    "REPAIR_KIND",
    "YEAR_DAYS",
    "Columns",
    "Floats",
    "Ints",
    "TicketLike",
    "UnitLike",
    "band_counts",
    "columns",
    "exposure",
    "monthly_exposure",
    "monthly_repairs",
    "pooled",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

REPAIR_KIND = "repair"
DUPLICATE_DAYS = 3
YEAR_DAYS = 365.25
AGE_BANDS: tuple[float, ...] = (0.0, 0.25, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0)
"""Lower edges, in years since installation, of the age bands; the last band is open."""
_EDGES = np.array(AGE_BANDS) * YEAR_DAYS
_UPPER = np.append(_EDGES[1:], np.inf)


class TicketLike(Protocol):
    @property
    def asset_id(self) -> int | str: ...
    @property
    def product_model(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def created_at(self) -> dt.date: ...
    @property
    def technician(self) -> str | None: ...
    @property
    def installed_on(self) -> dt.date | None: ...


class UnitLike(Protocol):
    @property
    def asset_id(self) -> int | str: ...
    @property
    def product_model(self) -> str: ...
    @property
    def installed_on(self) -> dt.date | None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Columns:
    """The fleet as arrays: units (index u) and their repair episodes sorted by unit then day."""

    data_start: int  # ordinal of the first day covered by the data
    end: int  # ordinal of the day after as_of
    unit_ids: list[int | str]
    models: list[str]
    unit_model: Ints  # index into `models`
    installed: Floats  # ordinal, nan when unknown
    start: Floats  # exposure start (ordinal)
    other_tickets: Ints  # non-repair tickets per unit: shown as evidence, never counted
    technicians: list[str]
    ep_unit: Ints
    ep_day: Ints
    ep_tech: Ints  # index into `technicians`, -1 when nobody was named

    @property
    def known(self) -> npt.NDArray[np.bool_]:
        return ~np.isnan(self.installed)


def _index(table: dict[str, int], key: str) -> int:
    found = table.get(key)
    if found is None:
        found = table[key] = len(table)
    return found


def columns(
    records: Iterable[TicketLike],
    as_of: dt.date,
    *,
    data_start: dt.date | None = None,
    fleet: Iterable[UnitLike] = (),
) -> Columns:
    """Columns from tickets (any kind; later than `as_of` ignored) and, optionally, the installed base."""
    units: dict[int | str, int] = {}
    model_of: list[str] = []
    installed: list[float | None] = []
    other: list[int] = []
    techs: dict[str, int] = {}
    rep_unit: list[int] = []
    rep_day: list[int] = []
    rep_tech: list[int] = []
    end = as_of.toordinal() + 1
    floor = data_start.toordinal() if data_start is not None else -1
    first = end

    def unit(asset_id: int | str, model: str, on: dt.date | None) -> int:
        u = units.get(asset_id)
        if u is None:
            u = units[asset_id] = len(model_of)
            model_of.append(model)
            installed.append(None)
            other.append(0)
        if on is not None and installed[u] is None:
            installed[u] = float(on.toordinal())
        return u

    for item in fleet:
        unit(item.asset_id, item.product_model, item.installed_on)
    # The one loop over every ticket: kept flat, a million tickets pass through it.
    for record in records:
        day = record.created_at.toordinal()
        if day >= end or day < floor:
            continue
        if day < first:
            first = day
        u = units.get(record.asset_id)
        if u is None or (installed[u] is None and record.installed_on is not None):
            u = unit(record.asset_id, record.product_model, record.installed_on)
        if record.kind == REPAIR_KIND:
            rep_unit.append(u)
            rep_day.append(day)
            tech = record.technician
            rep_tech.append(-1 if tech is None else _index(techs, tech))
        else:
            other[u] += 1
    start = data_start.toordinal() if data_start is not None else min(first, end - 1)
    model_index: dict[str, int] = {}
    unit_model = np.array([_index(model_index, m) for m in model_of], dtype=np.int64)
    inst = np.array([np.nan if on is None else on for on in installed], dtype=np.float64)
    ep_unit, ep_day, ep_tech = _episodes(np.array(rep_unit), np.array(rep_day), np.array(rep_tech))
    exposure_start = np.maximum(np.where(np.isnan(inst), start, inst), start).astype(np.float64)
    # A repair dated before its own install date means the install date is wrong: expose from the repair.
    if ep_unit.size:
        np.minimum.at(exposure_start, ep_unit, ep_day.astype(np.float64))
    return Columns(
        data_start=start,
        end=end,
        unit_ids=list(units),
        models=list(model_index),
        unit_model=unit_model,
        installed=inst,
        start=exposure_start,
        other_tickets=np.array(other, dtype=np.int64),
        technicians=list(techs),
        ep_unit=ep_unit,
        ep_day=ep_day,
        ep_tech=ep_tech,
    )


def _episodes(unit: Ints, day: Ints, tech: Ints) -> tuple[Ints, Ints, Ints]:
    """Repair tickets grouped into failure episodes (see the module docstring)."""
    if unit.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    order = np.lexsort((day, unit))
    unit, day, tech = unit[order], day[order], tech[order]
    new = np.ones(unit.size, dtype=bool)
    new[1:] = (unit[1:] != unit[:-1]) | (day[1:] - day[:-1] > DUPLICATE_DAYS)
    starts = np.flatnonzero(new)
    # The first named technician of each episode: the smallest position holding one.
    position = np.where(tech >= 0, np.arange(unit.size), unit.size)
    first_named = np.minimum.reduceat(position, starts)
    named = np.append(tech, -1)[first_named]
    return unit[starts].astype(np.int64), day[starts].astype(np.int64), named.astype(np.int64)


def exposure(cols: Columns, lo: float, hi: float, units: Sequence[int] | None = None) -> tuple[Floats, Floats]:
    """Unit-years in [lo, hi) per unit and age band (zero rows for unknown install dates), and in total."""
    idx = np.arange(cols.installed.size) if units is None else np.asarray(units, dtype=np.int64)
    start = np.maximum(cols.start[idx], lo)
    total = np.clip(hi - start, 0.0, None) / YEAR_DAYS
    inst = cols.installed[idx]
    known = ~np.isnan(inst)
    base = np.where(known, inst, 0.0)[:, None]
    overlap = np.minimum(hi, base + _UPPER) - np.maximum(start[:, None], base + _EDGES)
    banded = np.clip(overlap, 0.0, None) / YEAR_DAYS
    banded[~known] = 0.0
    return banded, total


def monthly_exposure(cols: Columns, hi: float, units: Sequence[int] | None = None) -> Floats:
    """Unit-years before `hi` per unit and month of the year (U x 12), to weigh exposure by season."""
    idx = np.arange(cols.installed.size) if units is None else np.asarray(units, dtype=np.int64)
    start = cols.start[idx]
    out = np.zeros((idx.size, 12))
    if idx.size == 0:
        return out
    month = dt.date.fromordinal(int(min(start.min(), hi - 1))).replace(day=1)
    while month.toordinal() < hi:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        lo, up = month.toordinal(), min(following.toordinal(), hi)
        out[:, month.month - 1] += np.clip(up - np.maximum(start, lo), 0.0, None) / YEAR_DAYS
        month = following
    return out


def monthly_repairs(cols: Columns, hi: float) -> Floats:
    """Repair episodes before `hi` per model and month of the year (M x 12)."""
    days, inverse = np.unique(cols.ep_day[cols.ep_day < hi], return_inverse=True)
    months = np.array([dt.date.fromordinal(int(d)).month - 1 for d in days], dtype=np.int64)
    units = cols.ep_unit[cols.ep_day < hi]
    flat = cols.unit_model[units] * 12 + months[inverse]
    return np.bincount(flat, minlength=len(cols.models) * 12).astype(np.float64).reshape(len(cols.models), 12)


def band_of(cols: Columns, ep: Ints | slice) -> Ints:
    """The age band of each episode (0 for units whose install date is unknown)."""
    age = np.nan_to_num(cols.ep_day[ep] - cols.installed[cols.ep_unit[ep]], nan=0.0)
    band = np.searchsorted(_EDGES, age, side="right") - 1
    return np.clip(band, 0, len(AGE_BANDS) - 1).astype(np.int64)


def band_counts(cols: Columns, lo: float = -np.inf, hi: float = np.inf) -> tuple[Floats, Floats]:
    """Repair episodes dated in [lo, hi) per unit and age band (zero rows when the age is unknown), and in total."""
    n_units, n_bands = cols.installed.size, len(AGE_BANDS)
    keep = (cols.ep_day >= lo) & (cols.ep_day < hi)
    ep = np.flatnonzero(keep)
    units = cols.ep_unit[ep]
    total = np.bincount(units, minlength=n_units).astype(np.float64)
    known = ~np.isnan(cols.installed[units])
    flat = units[known] * n_bands + band_of(cols, ep[known])
    banded = np.bincount(flat, minlength=n_units * n_bands).astype(np.float64).reshape(n_units, n_bands)
    return banded, total


def pooled(rates: Floats, unit_years: Floats) -> Floats:
    """Each row's rate over its own mix of ages: for units whose install date is unknown."""
    mix = unit_years.sum(axis=1)
    weighted = (rates * unit_years).sum(axis=1) / np.where(mix > 0, mix, 1.0)
    return np.asarray(np.where(mix > 0, weighted, rates.mean(axis=1)))
