"""Batch defects: a model whose repair rate in the last 61 days jumped against its own history.

Recent window R = the last 61 days. Reference = the same 61 days of every earlier year in the data
(so summer air-conditioner repairs are compared with earlier summers), or, when those hold fewer
than 5 expected repairs, all the model's history before R. Expected counts e = sum over units and
age bands of unit-years * rate[m, b] (the fleet rates of `repairs.Baselines`) make the comparison
age- and fleet-size-adjusted. Conditionally on the total, the recent count of two Poisson counts is
binomial, which is exact and also accounts for the noise of the reference:

    n1 | n1 + n0 ~ Binomial(n1 + n0, e1 / (e1 + e0)),   rate ratio = (n1 / e1) / (n0 / e0)

Flag when n1 >= 10, rate ratio >= 1.5 and p <= 0.01 / (models tested) (Bonferroni). A model that is
always high has a high reference too, so its ratio stays near one; a hot summer moves every model of
a line by less than the 1.5 floor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import msgspec
import numpy as np

from contact_center.analytics.fleet import Columns, Floats, exposure, pooled
from contact_center.analytics.tails import binomial_sf_log, to_p, to_score

__all__ = ["ModelFlag", "flags"]

MODEL_WINDOW_DAYS = 61
MODEL_MIN_REFERENCE = 5.0
MODEL_ALPHA = 0.01
MODEL_MIN_REPAIRS = 10
MODEL_MIN_RATIO = 1.5


class ModelFlag(msgspec.Struct, frozen=True):
    """A model whose recent repair rate jumped against its own history (a suspected batch defect)."""

    product_model: str
    window_start: dt.date
    window_end: dt.date
    recent_repairs: int
    recent_units: int  # units in service during the window
    recent_unit_years: float
    expected: float  # the reference's age-adjusted rate over the window's units
    reference_repairs: int
    reference: str  # same_window_earlier_years | preceding_history
    rate_ratio: float
    p_value: float
    p_adjusted: float
    score: float


@dataclasses.dataclass(frozen=True, slots=True)
class _Window:
    repairs: Floats  # per model
    expected: Floats  # per model, at the age-specific fleet rates
    units: Floats
    unit_years: Floats


def _window(cols: Columns, rates: Floats, pooled: Floats, lo: float, hi: float) -> _Window:
    n_models = len(cols.models)
    banded, total = exposure(cols, lo, hi)
    expected = np.where(cols.known, (banded * rates[cols.unit_model]).sum(axis=1), total * pooled[cols.unit_model])
    inside = (cols.ep_day >= lo) & (cols.ep_day < hi)
    return _Window(
        repairs=np.bincount(cols.unit_model[cols.ep_unit[inside]], minlength=n_models).astype(np.float64),
        expected=np.bincount(cols.unit_model, expected, minlength=n_models).astype(np.float64),
        units=np.bincount(cols.unit_model, total > 0, minlength=n_models).astype(np.float64),
        unit_years=np.bincount(cols.unit_model, total, minlength=n_models).astype(np.float64),
    )


def _sum(windows: list[_Window], n_models: int) -> _Window:
    zero = np.zeros(n_models)
    return _Window(
        repairs=sum((w.repairs for w in windows), zero),
        expected=sum((w.expected for w in windows), zero),
        units=zero,
        unit_years=zero,
    )


def flags(cols: Columns, rates: Floats, unit_years: Floats) -> list[ModelFlag]:
    """Models whose last 61 days jumped against the same days of earlier years (or their history)."""
    n_models = len(cols.models)
    pooled_rates = pooled(rates, unit_years)
    hi = float(cols.end)
    lo = hi - MODEL_WINDOW_DAYS
    recent = _window(cols, rates, pooled_rates, lo, hi)
    years = [k for k in range(1, 100) if hi - 365 * k > cols.data_start]
    seasonal = _sum([_window(cols, rates, pooled_rates, lo - 365 * k, hi - 365 * k) for k in years], n_models)
    history = _window(cols, rates, pooled_rates, -np.inf, lo)
    tested = int(np.count_nonzero(recent.expected > 0))
    found: list[ModelFlag] = []
    for m in range(n_models):
        same_season = seasonal.expected[m] >= MODEL_MIN_REFERENCE
        ref = seasonal if same_season else history
        n1, n0 = int(recent.repairs[m]), int(ref.repairs[m])
        e1, e0 = float(recent.expected[m]), float(ref.expected[m])
        if n1 < MODEL_MIN_REPAIRS or e1 <= 0 or e0 <= 0:
            continue
        expected = n0 * e1 / e0
        ratio = (n1 + 0.5) / (expected + 0.5)
        log_p = binomial_sf_log(n1, n1 + n0, e1 / (e1 + e0))
        p_adjusted = min(1.0, to_p(log_p) * tested)
        if ratio < MODEL_MIN_RATIO or p_adjusted > MODEL_ALPHA:
            continue
        found.append(
            ModelFlag(
                product_model=cols.models[m],
                window_start=dt.date.fromordinal(int(lo)),
                window_end=dt.date.fromordinal(int(hi) - 1),
                recent_repairs=n1,
                recent_units=int(recent.units[m]),
                recent_unit_years=round(float(recent.unit_years[m]), 1),
                expected=round(expected, 2),
                reference_repairs=n0,
                reference="same_window_earlier_years" if same_season else "preceding_history",
                rate_ratio=round(ratio, 2),
                p_value=to_p(log_p),
                p_adjusted=p_adjusted,
                score=to_score(log_p),
            )
        )
    found.sort(key=lambda f: (-f.score, f.product_model))
    return found
