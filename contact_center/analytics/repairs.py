"""Abnormal repair frequency (報修頻率異常通報): lemon units, batch-defect models, technicians whose work comes back.

Pure statistics on plain records: no database, no clock. Only tickets of kind "repair" count; repair
tickets of one unit less than `DUPLICATE_DAYS` (3) apart are one failure episode (see `fleet`).

**Fleet rates (the baseline).** For model m and age band b (years since installation: 0-¼, ¼-1, 1-2,
2-3, 3-4, 4-6, 6-8, 8-10, 10-12, 12+), n[m,b] episodes over E[m,b] unit-years. Unit-years are weighted
by season: a unit exposed only from May to August counts its months at the model's monthly index
s[m, month] (episodes per unit-year that month over the model's average, shrunk to 1 with K pseudo-
repairs), so a new air conditioner's first summer is not mistaken for a lemon. Rates are shrunk
twice (empirical Bayes, gamma-Poisson, K = 5 pseudo-repairs) so small models and thin bands borrow:

    g[b]      = global band rate, all models                      (the age curve)
    level[m]  = (n[m] + K) / (sum_b E[m,b] g[b] + K)              (the model against the fleet)
    rate[m,b] = prior * (n[m,b] + K) / (E[m,b] * prior + K),      prior = level[m] * g[b]

**Unit (lemon).** x = the unit's episodes, mu = sum_b e[b] * rate[m,b] over its own unit-years e[b],
with the unit itself left out of its model's rates (so a lemon in a small model cannot hide its own
excess). Units differ around their model (site, use, water), so the null is the negative binomial
with mean mu and variance mu + phi mu^2; phi is fitted by maximum likelihood over all units (a grid),
then refitted without the units the first fit finds extreme (p < 0.001) so lemons do not widen the
tail they are judged by. Flag when x >= 3, x >= 2 mu and

    p = P(NB(mu, phi) >= x) <= c,   c = the Benjamini-Hochberg cutoff at q = 0.1 over the N units in
                                        service (at least q / N: Bonferroni when nothing stands out)

so about one flag in ten may be a healthy unit, however large the fleet. Billing or inquiry tickets
change nothing (they are not repairs), duplicate reports collapse into one episode, and an old unit
of a fragile model is compared with old units of that model. A unit with no install date is compared,
over the whole data window, with its model's all-age rate. `Baselines` keeps the rates, the seasonal
index, phi and c from the full pass, so `check_unit` after a new repair ticket costs O(the unit's
tickets) and gives the same answer as `scan` on the same data.

**Model (batch defect)** — `batch_defects`: the last 61 days against the same 61 days of earlier
years (or the model's history), age- and fleet-adjusted with the rates above, by the exact
conditional binomial test of two Poisson counts; flagged at rate ratio >= 1.5, >= 10 recent repairs
and p <= 0.01 / models (Bonferroni).

**Technician (rework)** — `rework`: repairs followed by another repair of the same unit within 30
days, against the case-mix-adjusted expectation from the other technicians' rework rates on the same
models (Poisson tail); flagged at >= 40 judged repairs, ratio >= 1.5 and p <= 0.01 / technicians.

Scores are -log10 p. `p_adjusted` is Bonferroni for models and technicians and p * q / c for units
(q at the cutoff).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence

import msgspec
import numpy as np
import numpy.typing as npt

from contact_center.analytics import batch_defects, rework
from contact_center.analytics.batch_defects import ModelFlag
from contact_center.analytics.fleet import (
    YEAR_DAYS,
    Columns,
    Floats,
    Ints,
    band_counts,
    columns,
    exposure,
    monthly_exposure,
    monthly_repairs,
    pooled,
)
from contact_center.analytics.rework import TechnicianFlag
from contact_center.analytics.tails import negbin_sf_log, to_p, to_score

__all__ = [
    "Baselines",
    "FleetUnit",
    "ModelFlag",
    "RepairAnomalies",
    "RepairRecord",
    "TechnicianFlag",
    "UnitFlag",
    "check_unit",
    "scan",
]

PRIOR_REPAIRS = 5.0
UNIT_FDR = 0.1
_TRIM_LOG_P = math.log(1e-3)
UNIT_MIN_REPAIRS = 3
UNIT_MIN_RATIO = 2.0
_DISPERSION_GRID = np.concatenate(([0.0], np.geomspace(0.01, 5.0, 120)))


class RepairRecord(msgspec.Struct, frozen=True):
    """One ticket as the repair statistics see it; only kind "repair" counts."""

    ticket_id: int | str
    asset_id: int | str
    product_model: str
    kind: str  # repair | installation | maintenance | billing | inquiry | complaint | ...
    created_at: dt.date  # the local (Asia/Taipei) date
    technician: str | None = None
    installed_on: dt.date | None = None


class FleetUnit(msgspec.Struct, frozen=True):
    """A unit of the installed base; pass them so units without tickets count in the exposure."""

    asset_id: int | str
    product_model: str
    installed_on: dt.date | None = None


class UnitFlag(msgspec.Struct, frozen=True):
    """A unit repaired abnormally often for its model and age, with the evidence."""

    asset_id: int | str
    product_model: str
    age_years: float | None
    repairs: int  # failure episodes in the data window
    expected: float
    rate_ratio: float
    exposure_years: float
    other_tickets: int  # billing, inquiry, ... tickets: shown, never counted
    p_value: float
    p_adjusted: float
    score: float


class RepairAnomalies(msgspec.Struct, frozen=True):
    """A full scan's flags, each list highest score first."""

    as_of: dt.date
    assets: list[UnitFlag]
    models: list[ModelFlag]
    technicians: list[TechnicianFlag]


def _by_model(model: Ints, values: Floats, n_models: int) -> Floats:
    """Per-unit rows (U x B) summed per model (M x B)."""
    out = np.zeros((n_models, values.shape[1]))
    np.add.at(out, model, values)
    return out


def _rates(n: Floats, e: Floats, g: Floats) -> Floats:
    """Shrunk rates per row (model) and band; see the module docstring."""
    level = (n.sum(axis=1) + PRIOR_REPAIRS) / ((e * g).sum(axis=1) + PRIOR_REPAIRS)
    prior = level[:, None] * g
    rates: Floats = prior * (n + PRIOR_REPAIRS) / (e * prior + PRIOR_REPAIRS)
    return rates


def _dispersion(x: Floats, mu: Floats) -> float:
    """phi (variance = mu + phi mu^2) maximising the negative-binomial likelihood over a grid."""
    keep = mu > 0
    x, mu = x[keep], mu[keep]
    if x.size < 50:
        return 0.0
    counts = x.astype(np.int64)
    best, best_phi = -np.inf, 0.0
    for phi in _DISPERSION_GRID:
        if phi == 0.0:
            loglik = float(np.sum(x * np.log(mu) - mu))
        else:
            r = 1.0 / phi
            # lgamma(x + r) - lgamma(r) as a cumulative sum, since counts are small integers.
            table = np.concatenate(([0.0], np.cumsum(np.log(r + np.arange(counts.max())))))
            loglik = float(np.sum(table[counts] + r * np.log(r / (r + mu)) + x * np.log(mu / (r + mu))))
        if loglik > best:
            best, best_phi = loglik, float(phi)
    return best_phi


@dataclasses.dataclass(frozen=True, slots=True)
class Baselines:
    """Fleet repair rates per model and age band, precomputed by a full pass for cheap unit checks."""

    as_of: dt.date
    data_start: dt.date
    models: tuple[str, ...]
    repairs: Floats  # episodes per model x age band
    unit_years: Floats  # exposure per model x age band
    band_rate: Floats  # the fleet's age curve
    season: Floats  # per model x month of the year: the month's rate over the model's average
    units: int  # units in service: the multiple-testing family
    dispersion: float  # phi: a unit's count has variance mu + phi mu^2
    unit_cutoff: float  # the Benjamini-Hochberg p-value cutoff of the full pass

    @classmethod
    def build(cls, records: Iterable[RepairRecord], as_of: dt.date, *, fleet: Iterable[FleetUnit] = ()) -> Baselines:
        """Baselines from every ticket up to `as_of` (and the installed base when given)."""
        return _fit(columns(records, as_of, fleet=fleet), as_of)[0]

    def rates(self) -> Floats:
        """Shrunk repair rates per model x age band (repairs per unit-year)."""
        return _rates(self.repairs, self.unit_years, self.band_rate)

    def model_index(self, model: str) -> int:
        try:
            return self.models.index(model)
        except ValueError:
            return -1


def _band_rate(n: Floats, e: Floats) -> Floats:
    overall = max(float(n.sum()), 1.0) / max(float(e.sum()), 1.0)
    return np.asarray(overall * (n.sum(axis=0) + PRIOR_REPAIRS) / (e.sum(axis=0) * overall + PRIOR_REPAIRS))


@dataclasses.dataclass(frozen=True, slots=True)
class _Units:
    """Per-unit counts and exposures over the data window."""

    banded_repairs: Floats
    repairs: Floats
    banded_years: Floats
    years: Floats


def _unit_counts(cols: Columns, hi: float, season: Floats) -> _Units:
    """Episodes and season-weighted unit-years before `hi`; `season` holds each unit's model's row."""
    banded_repairs, repairs = band_counts(cols, hi=hi)
    banded_years, years = exposure(cols, -np.inf, hi)
    weight = _season_weight(monthly_exposure(cols, hi), season)
    return _Units(banded_repairs, repairs, banded_years * weight[:, None], years * weight)


def _season_weight(monthly: Floats, season: Floats) -> Floats:
    """How much busier than average the months a unit was exposed were (1 for a whole number of years)."""
    total = monthly.sum(axis=1)
    weighted = (monthly * season).sum(axis=1)
    return np.asarray(np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 1.0))


def _season(cols: Columns) -> Floats:
    """Seasonal index per model and month, shrunk to flat with K pseudo-repairs, mean 1 over exposure."""
    n_models = len(cols.models)
    e = np.zeros((n_models, 12))
    np.add.at(e, cols.unit_model, monthly_exposure(cols, cols.end))
    n = monthly_repairs(cols, cols.end)
    rate = n.sum(axis=1) / np.maximum(e.sum(axis=1), 1e-9)
    index = (n + PRIOR_REPAIRS) / (e * rate[:, None] + PRIOR_REPAIRS)
    mean = (e * index).sum(axis=1) / np.maximum(e.sum(axis=1), 1e-9)
    return np.asarray(np.where(mean[:, None] > 0, index / np.where(mean > 0, mean, 1.0)[:, None], 1.0))


def _season_rows(season: Floats, model: Ints) -> Floats:
    valid = model >= 0
    return np.where(valid[:, None], season[np.where(valid, model, 0)], 1.0)


def _fit(cols: Columns, as_of: dt.date) -> tuple[Baselines, _Units, Floats]:
    """Baselines from the columns, with every unit's own counts and expected episodes."""
    n_models = len(cols.models)
    season = _season(cols)
    own = _unit_counts(cols, cols.end, _season_rows(season, cols.unit_model))
    n = _by_model(cols.unit_model, own.banded_repairs, n_models)
    e = _by_model(cols.unit_model, own.banded_years, n_models)
    baselines = Baselines(
        as_of=as_of,
        data_start=dt.date.fromordinal(cols.data_start),
        models=tuple(cols.models),
        repairs=n,
        unit_years=e,
        band_rate=_band_rate(n, e),
        season=season,
        units=int(np.count_nonzero(own.years > 0)),
        dispersion=0.0,
        unit_cutoff=UNIT_FDR / max(1, int(np.count_nonzero(own.years > 0))),
    )
    mu = _expected(baselines, cols.unit_model, cols.known, own, own)
    known = cols.known & (mu > 0)
    baselines = dataclasses.replace(baselines, dispersion=_robust_dispersion(own.repairs[known], mu[known]))
    candidates = np.flatnonzero(_candidates(own.repairs, mu))
    log_p = [negbin_sf_log(int(own.repairs[u]), float(mu[u]), _size(baselines.dispersion)) for u in candidates]
    cutoff = _benjamini_hochberg(np.exp(np.array(log_p)), baselines.units, UNIT_FDR)
    return dataclasses.replace(baselines, unit_cutoff=cutoff), own, mu


def _robust_dispersion(x: Floats, mu: Floats) -> float:
    """The dispersion refitted without the units the first fit finds extreme (p < 0.001), so that
    lemons do not widen the tail they are judged against."""
    phi = _dispersion(x, mu)
    keep = np.ones(x.size, dtype=bool)
    for i in np.flatnonzero(_candidates(x, mu)):
        keep[i] = negbin_sf_log(int(x[i]), float(mu[i]), _size(phi)) > _TRIM_LOG_P
    return _dispersion(x[keep], mu[keep])


def _size(phi: float) -> float:
    return 1.0 / phi if phi > 0 else math.inf


def _candidates(repairs: Floats, mu: Floats) -> npt.NDArray[np.bool_]:
    return np.asarray((repairs >= UNIT_MIN_REPAIRS) & (repairs >= UNIT_MIN_RATIO * mu) & (mu > 0))


def _benjamini_hochberg(p_values: Floats, family: int, q: float) -> float:
    """The largest p-value cutoff the BH step-up procedure accepts (q / family when none is)."""
    ordered = np.sort(p_values)
    passing = np.flatnonzero(ordered <= q * np.arange(1, ordered.size + 1) / max(family, 1))
    floor = q / max(family, 1)
    return max(floor, float(ordered[passing[-1]])) if passing.size else floor


def _expected(b: Baselines, model: Ints, known: np.ndarray, own: _Units, judged: _Units) -> Floats:
    """Expected episodes of each unit over `judged` exposure, its `own` contribution left out of the rates."""
    valid = model >= 0
    rows = np.where(valid, model, 0)
    n = np.where(valid[:, None], b.repairs[rows], 0.0)
    e = np.where(valid[:, None], b.unit_years[rows], 0.0)
    n_loo = np.clip(n - np.where(known[:, None], own.banded_repairs, 0.0), 0.0, None)
    e_loo = np.clip(e - np.where(known[:, None], own.banded_years, 0.0), 0.0, None)
    banded = (judged.banded_years * _rates(n_loo, e_loo, b.band_rate)).sum(axis=1)
    average = pooled(_rates(n, e, b.band_rate), e)
    return np.asarray(np.where(known, banded, judged.years * average))


def _unit_flag(b: Baselines, cols: Columns, u: int, x: int, mu: float, years: float) -> UnitFlag | None:
    if x < UNIT_MIN_REPAIRS or mu <= 0.0 or x < UNIT_MIN_RATIO * mu:
        return None
    log_p = negbin_sf_log(x, mu, _size(b.dispersion))
    if to_p(log_p) > b.unit_cutoff:
        return None
    p_adjusted = min(1.0, to_p(log_p) * UNIT_FDR / b.unit_cutoff)
    installed = cols.installed[u]
    age = None if np.isnan(installed) else round(float(cols.end - installed) / YEAR_DAYS, 1)
    return UnitFlag(
        asset_id=cols.unit_ids[u],
        product_model=cols.models[int(cols.unit_model[u])],
        age_years=age,
        repairs=x,
        expected=round(mu, 3),
        rate_ratio=round(x / mu, 2),
        exposure_years=round(years, 2),
        other_tickets=int(cols.other_tickets[u]),
        p_value=to_p(log_p),
        p_adjusted=p_adjusted,
        score=to_score(log_p),
    )


def check_unit(baselines: Baselines, unit_records: Sequence[RepairRecord], as_of: dt.date) -> UnitFlag | None:
    """The incremental check after a ticket: the unit's flag, or None; O(the unit's tickets)."""
    cols = columns(unit_records, as_of, data_start=baselines.data_start)
    if not cols.unit_ids:
        return None
    if len(cols.unit_ids) > 1:
        raise ValueError("check_unit takes the tickets of one unit")
    model = np.array([baselines.model_index(cols.models[0])], dtype=np.int64)
    # The unit's share of the baseline is what it contributed up to the baseline's own date.
    season = _season_rows(baselines.season, model)
    own = _unit_counts(cols, baselines.as_of.toordinal() + 1, season)
    judged = _unit_counts(cols, cols.end, season)
    mu = float(_expected(baselines, model, cols.known, own, judged)[0])
    return _unit_flag(baselines, cols, 0, int(judged.repairs[0]), mu, float(judged.years[0]))


def scan(records: Iterable[RepairRecord], as_of: dt.date, *, fleet: Iterable[FleetUnit] = ()) -> RepairAnomalies:
    """Every rule over every unit, model and technician (the nightly job)."""
    cols = columns(records, as_of, fleet=fleet)
    baselines, own, mu = _fit(cols, as_of)
    candidates = np.flatnonzero(_candidates(own.repairs, mu))
    assets = [
        flag
        for u in candidates
        if (flag := _unit_flag(baselines, cols, int(u), int(own.repairs[u]), float(mu[u]), float(own.years[u])))
    ]
    assets.sort(key=lambda f: (-f.score, str(f.asset_id)))
    return RepairAnomalies(
        as_of=as_of,
        assets=assets,
        models=batch_defects.flags(cols, baselines.rates(), baselines.unit_years),
        technicians=rework.flags(cols),
    )
