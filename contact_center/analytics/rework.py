"""Rework: technicians whose repairs come back within 30 days abnormally often against their peers.

A repair episode by technician t is reworked when the same unit has another repair episode within
30 days; repairs of the last 30 days are not judged yet. Fragile models come back more often
whoever repairs them, so the expected reworks are case-mix adjusted with each model's rework rate
among the *other* technicians (shrunk to the overall rate p0 with 20 pseudo-repairs):

    p[m,-t]     = (rw[m] - rw[t,m] + 20 p0) / (n[m] - n[t,m] + 20)
    expected[t] = sum_m n[t,m] * p[m,-t],       p = P(Poisson(expected[t]) >= rw[t])

(Poisson bounds the sum of Bernoullis from above: conservative.) Flag when the technician has >= 40
judged repairs, rw / expected >= 1.5 and p <= 0.01 / (technicians with enough volume): with enough
volume a busy technician a shade above his peers is "significant", and the ratio floor keeps him out.
"""

from __future__ import annotations

import msgspec
import numpy as np
import numpy.typing as npt

from contact_center.analytics.fleet import Columns
from contact_center.analytics.tails import poisson_sf_log, to_p, to_score

__all__ = ["TechnicianFlag", "flags", "reworked"]

REWORK_DAYS = 30
TECH_PRIOR_REPAIRS = 20.0
TECH_ALPHA = 0.01
TECH_MIN_REPAIRS = 40
TECH_MIN_RATIO = 1.5


class TechnicianFlag(msgspec.Struct, frozen=True):
    """A technician whose repairs come back within 30 days abnormally often against peers."""

    technician: str
    repairs: int  # judged repairs (older than 30 days)
    reworks: int
    rework_rate: float
    peer_rate: float  # expected / repairs: peers' rate on the same models
    expected: float
    rate_ratio: float
    p_value: float
    p_adjusted: float
    score: float


def reworked(cols: Columns) -> npt.NDArray[np.bool_]:
    """Whether each episode is followed by another episode of the same unit within REWORK_DAYS."""
    again = np.zeros(cols.ep_unit.size, dtype=bool)
    if cols.ep_unit.size > 1:
        same = cols.ep_unit[1:] == cols.ep_unit[:-1]
        again[:-1] = same & (cols.ep_day[1:] - cols.ep_day[:-1] <= REWORK_DAYS)
    return again


def flags(cols: Columns) -> list[TechnicianFlag]:
    """Technicians with enough judged repairs whose case-mix-adjusted rework is abnormal."""
    n_techs, n_models = len(cols.technicians), len(cols.models)
    judged = (cols.ep_tech >= 0) & (cols.ep_day < cols.end - REWORK_DAYS)
    if n_techs == 0 or not judged.any():
        return []
    flat = cols.ep_tech[judged] * n_models + cols.unit_model[cols.ep_unit[judged]]
    size = n_techs * n_models
    n_tm = np.bincount(flat, minlength=size).astype(np.float64).reshape(n_techs, n_models)
    rw_tm = np.bincount(flat, reworked(cols)[judged], minlength=size).reshape(n_techs, n_models)
    p0 = rw_tm.sum() / n_tm.sum()
    others_n = n_tm.sum(axis=0) - n_tm
    others_rw = rw_tm.sum(axis=0) - rw_tm
    peer = (others_rw + TECH_PRIOR_REPAIRS * p0) / (others_n + TECH_PRIOR_REPAIRS)
    expected = (n_tm * peer).sum(axis=1)
    repairs, reworks = n_tm.sum(axis=1), rw_tm.sum(axis=1)
    tested = int(np.count_nonzero(repairs >= TECH_MIN_REPAIRS))
    found: list[TechnicianFlag] = []
    for t in np.flatnonzero(repairs >= TECH_MIN_REPAIRS):
        n, rw, mu = int(repairs[t]), round(float(reworks[t])), float(expected[t])
        if mu <= 0 or rw < TECH_MIN_RATIO * mu:
            continue
        log_p = poisson_sf_log(rw, mu)
        p_adjusted = min(1.0, to_p(log_p) * tested)
        if p_adjusted > TECH_ALPHA:
            continue
        found.append(
            TechnicianFlag(
                technician=cols.technicians[int(t)],
                repairs=n,
                reworks=rw,
                rework_rate=round(rw / n, 4),
                peer_rate=round(mu / n, 4),
                expected=round(mu, 2),
                rate_ratio=round(rw / mu, 2),
                p_value=to_p(log_p),
                p_adjusted=p_adjusted,
                score=to_score(log_p),
            )
        )
    found.sort(key=lambda f: (-f.score, f.technician))
    return found
