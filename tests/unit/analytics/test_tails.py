"""Tail probabilities in log space: against brute-force sums, far out in the tail, and at the edges."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_center.analytics.tails import binomial_sf_log, negbin_sf_log, poisson_sf_log, to_p, to_score


def brute_poisson(k: int, mu: float) -> float:
    return 1.0 - sum(math.exp(j * math.log(mu) - mu - math.lgamma(j + 1)) for j in range(k))


def brute_binomial(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def brute_negbin(k: int, mu: float, r: float) -> float:
    q = mu / (r + mu)
    return 1.0 - sum(
        math.exp(math.lgamma(j + r) - math.lgamma(r) - math.lgamma(j + 1) + r * math.log1p(-q) + j * math.log(q))
        for j in range(k)
    )


@pytest.mark.parametrize(("k", "mu"), [(1, 0.5), (3, 0.5), (5, 5.0), (12, 4.0), (2, 10.0), (30, 25.0)])
def test_poisson_matches_the_direct_sum(k: int, mu: float) -> None:
    assert to_p(poisson_sf_log(k, mu)) == pytest.approx(brute_poisson(k, mu), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("k", "n", "p"), [(1, 10, 0.1), (5, 20, 0.1), (10, 20, 0.5), (3, 50, 0.2), (40, 40, 0.9)])
def test_binomial_matches_the_direct_sum(k: int, n: int, p: float) -> None:
    assert to_p(binomial_sf_log(k, n, p)) == pytest.approx(brute_binomial(k, n, p), rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(
    ("k", "mu", "r"), [(1, 0.5, 3.0), (6, 0.7, 4.0), (3, 3.0, 0.5), (15, 2.0, 10.0), (2, 8.0, 1.0)]
)
def test_negative_binomial_matches_the_direct_sum(k: int, mu: float, r: float) -> None:
    assert to_p(negbin_sf_log(k, mu, r)) == pytest.approx(brute_negbin(k, mu, r), rel=1e-8, abs=1e-15)


def test_far_tails_stay_finite_where_one_minus_cdf_would_be_zero() -> None:
    log_p = poisson_sf_log(60, 1.0)
    assert -200 < log_p < -150
    assert to_score(log_p) == pytest.approx(-log_p / math.log(10), abs=1e-3)
    assert binomial_sf_log(500, 1000, 0.01) < -1000
    assert to_p(binomial_sf_log(500, 1000, 0.01)) == 0.0


def test_the_negative_binomial_has_the_heavier_tail_and_tends_to_the_poisson() -> None:
    assert negbin_sf_log(8, 1.0, 3.0) > poisson_sf_log(8, 1.0)
    assert negbin_sf_log(8, 1.0, 1e9) == pytest.approx(poisson_sf_log(8, 1.0))


def test_edges() -> None:
    assert poisson_sf_log(0, 3.0) == 0.0
    assert poisson_sf_log(1, 0.0) == -math.inf
    assert binomial_sf_log(4, 3, 0.5) == -math.inf
    assert binomial_sf_log(2, 3, 1.0) == 0.0
    assert binomial_sf_log(2, 3, 0.0) == -math.inf
    assert negbin_sf_log(-1, 1.0, 2.0) == 0.0


@given(st.integers(0, 80), st.floats(0.01, 60.0))
def test_poisson_tail_is_a_probability_and_falls_with_k(k: int, mu: float) -> None:
    here, next_one = to_p(poisson_sf_log(k, mu)), to_p(poisson_sf_log(k + 1, mu))
    assert 0.0 <= next_one <= here <= 1.0 + 1e-12
