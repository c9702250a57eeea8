"""Upper-tail probabilities of the Poisson, binomial and negative-binomial laws, in log space.

scipy is not a dependency, and the analytics need tails far out (a lemon unit's p-value can be 1e-30,
below what `1 - cdf` can represent), so each tail is summed directly from its first term:

    log P(X >= k) = log pmf(k) + log(1 + r_k + r_k r_{k+1} + ...),   r_j = pmf(j+1) / pmf(j)

When k lies above the mean, the ratios are below one and shrink, so the series converges fast and
every term is positive: no cancellation. When k is at or below the mean the tail is at least about
one half, and `1 - P(X < k)` (the lower sum, built the same way downwards) loses nothing that matters.

    Poisson(mu):              log pmf(j) = j log mu - mu - lgamma(j + 1)
    Binomial(n, p):           log pmf(j) = lchoose(n, j) + j log p + (n - j) log(1 - p)
    NegBinomial(mean mu, r):  log pmf(j) = lgamma(j + r) - lgamma(r) - lgamma(j + 1)
                                           + r log(r / (r + mu)) + j log(mu / (r + mu))

The negative binomial is the gamma-Poisson mixture: counts of units whose own rates vary around the
fleet's with variance mu^2 / r; as r grows it tends to the Poisson.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["binomial_sf_log", "negbin_sf_log", "poisson_sf_log", "to_p", "to_score"]

_EPS = 1e-17
_MAX_TERMS = 200_000
_NEG_INF = float("-inf")


def _series(ratio: Callable[[int], float], start: int, stop: int, step: int) -> float:
    """log(1 + r(start) + r(start) r(start+step) + ...), walking j from `start` while j != `stop`."""
    term, total = 1.0, 1.0
    j = start
    for _ in range(_MAX_TERMS):
        if j == stop:
            break
        term *= ratio(j)
        total += term
        if term < _EPS * total:
            break
        j += step
    return math.log(total)


def _complement(log_lower: float) -> float:
    """log(1 - exp(log_lower)), exact enough for a lower sum that is not close to one."""
    lower = math.exp(log_lower)
    return math.log1p(-lower) if lower < 1.0 else _NEG_INF


def poisson_sf_log(k: int, mu: float) -> float:
    """log P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 0.0
    if mu <= 0.0:
        return _NEG_INF

    def log_pmf(j: int) -> float:
        return j * math.log(mu) - mu - math.lgamma(j + 1)

    if k > mu:
        return log_pmf(k) + _series(lambda j: mu / (j + 1), k, -1, 1)
    return _complement(log_pmf(k - 1) + _series(lambda j: j / mu, k - 1, 0, -1))


def binomial_sf_log(k: int, n: int, p: float) -> float:
    """log P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 0.0
    if k > n or p <= 0.0:
        return _NEG_INF
    if p >= 1.0:
        return 0.0
    odds = p / (1.0 - p)

    def log_pmf(j: int) -> float:
        choose = math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
        return choose + j * math.log(p) + (n - j) * math.log1p(-p)

    if k > n * p:
        return log_pmf(k) + _series(lambda j: (n - j) / (j + 1) * odds, k, n, 1)
    return _complement(log_pmf(k - 1) + _series(lambda j: j / (n - j + 1) / odds, k - 1, 0, -1))


def negbin_sf_log(k: int, mu: float, r: float) -> float:
    """log P(X >= k) for a negative binomial with mean mu and size r (variance mu + mu^2 / r)."""
    if k <= 0:
        return 0.0
    if mu <= 0.0:
        return _NEG_INF
    if not math.isfinite(r) or r > 1e8:
        return poisson_sf_log(k, mu)
    q = mu / (r + mu)

    def log_pmf(j: int) -> float:
        return math.lgamma(j + r) - math.lgamma(r) - math.lgamma(j + 1) + r * math.log1p(-q) + j * math.log(q)

    if k > mu:
        return log_pmf(k) + _series(lambda j: (j + r) / (j + 1) * q, k, -1, 1)
    return _complement(log_pmf(k - 1) + _series(lambda j: j / (j - 1 + r) / q, k - 1, 0, -1))


def to_p(log_p: float) -> float:
    """A probability from its log (0.0 once it underflows)."""
    return math.exp(log_p) if log_p > -745.0 else 0.0


def to_score(log_p: float) -> float:
    """-log10 p, the surprise a flag is ranked by; finite even when p underflows."""
    return round(min(-log_p / math.log(10.0), 999.0), 3)
