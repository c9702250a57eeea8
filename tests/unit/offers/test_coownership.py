"""Co-ownership counts and lift: smoothing, minimum support, lookups and the stored JSON form."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.offers.coownership import CoOwnership, CoOwnershipCounts, family_of


def owners(start: int, stop: int, *models: str) -> list[tuple[int, str]]:
    """Customers start..stop-1 each owning every one of `models`."""
    return [(customer, model) for customer in range(start, stop) for model in models]


def town() -> CoOwnership:
    """100 customers: 40 own an AC and a dehumidifier, 20 only an AC, 40 only a washer; 10 washer owners have a fridge."""
    pairs = owners(0, 40, "RAC-28NK", "DH-12") + owners(40, 60, "RAC-36NK") + owners(60, 100, "WM-10")
    return CoOwnership.build(pairs + owners(60, 70, "FR-500"))


def test_family_is_the_model_up_to_the_first_dash() -> None:
    assert family_of(" rac-28nk ") == "RAC"
    assert family_of("EW3Y") == "EW3Y"
    assert family_of("DH-12-W") == "DH"


def test_build_counts_customers_families_and_pairs_once_each() -> None:
    stats = CoOwnership.build([(1, "RAC-28NK"), (1, "RAC-36NK"), (1, "DH-12"), (2, "DH-16"), (2, "DH-16"), (3, "-")])
    assert stats.customers == 2  # customer 3's model has no family
    assert (stats.owners("RAC"), stats.owners("DH"), stats.owners("WM")) == (1, 2, 0)
    assert stats.owned_together("RAC", "DH") == stats.owned_together("DH", "RAC") == 1
    assert stats.counts.pairs == {"DH": {"RAC": 1}}


def test_lift_is_smoothed_towards_the_base_rate() -> None:
    stats = town()
    base = 40 / 100  # P(DH)
    expected = (40 + 5 * base) / (60 + 5) / base  # P(DH | RAC) smoothed with k = 5
    assert stats.lift({"RAC"}, "DH") == pytest.approx(expected)
    raw = (40 / 60) / base
    assert 1 < stats.lift({"RAC"}, "DH") < raw


def test_without_smoothing_lift_is_the_raw_ratio() -> None:
    pairs = owners(0, 40, "RAC-28NK", "DH-12") + owners(40, 60, "RAC-36NK") + owners(60, 100, "WM-10")
    stats = CoOwnership.build(pairs, smoothing_k=0)
    assert stats.lift({"RAC"}, "DH") == pytest.approx((40 / 60) / (40 / 100))


def test_a_smaller_group_is_pulled_harder_towards_one() -> None:
    big = CoOwnership.build(owners(0, 50, "A-1", "B-1") + owners(50, 1000, "C-1"), min_support=1)
    small = CoOwnership.build(owners(0, 5, "A-1", "B-1") + owners(5, 100, "C-1"), min_support=1)
    # The raw lift is the same (everybody with A has B; B's base rate is 5%) but five customers prove less.
    assert small.lift({"A"}, "B") < big.lift({"A"}, "B")


def test_a_pair_below_minimum_support_says_nothing() -> None:
    rare = owners(0, 4, "FR-1", "DH-1") + owners(4, 100, "WM-1")
    assert CoOwnership.build(rare, min_support=5).best_lift({"FR"}, "DH") == (1.0, None)
    assert CoOwnership.build(rare, min_support=4).lift({"FR"}, "DH") > 1


def test_two_customers_do_not_make_a_rule_by_default() -> None:
    stats = CoOwnership.build(owners(0, 2, "FR-1", "DH-1") + owners(2, 50, "WM-1"))
    assert stats.lift({"FR"}, "DH") == 1.0


def test_lift_is_the_best_owned_family_and_ignores_the_target_itself() -> None:
    stats = town()
    assert stats.best_lift({"WM", "RAC", "DH"}, "DH") == (stats.lift({"RAC"}, "DH"), "RAC")
    assert stats.lift({"WM"}, "FR") > stats.lift({"WM"}, "DH")
    assert stats.lift({"NOTHING"}, "DH") == 1.0
    assert stats.lift(set(), "DH") == 1.0


def test_a_negative_association_gives_a_lift_below_one() -> None:
    pairs = owners(0, 10, "A-1", "B-1") + owners(10, 100, "A-1") + owners(100, 190, "B-1")
    assert CoOwnership.build(pairs).lift({"A"}, "B") < 1


def test_a_custom_family_function() -> None:
    stats = CoOwnership.build(owners(0, 10, "RAC-28NK", "DH-12"), family=lambda model: model[:2])
    assert stats.owners("RA") == 10


def test_json_round_trip_keeps_counts_and_lifts() -> None:
    stats = town()
    again = CoOwnership.from_json(stats.to_json())
    assert again.counts == stats.counts
    assert again.lift({"RAC"}, "DH") == stats.lift({"RAC"}, "DH")
    stored = json.loads(json.dumps(stats.to_dict()))  # as a JSONB column would give it back
    assert CoOwnership.from_dict(stored).counts == stats.counts


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"customers": 2, "families": {"A": 3}, "pairs": {}}, "families"),
        ({"customers": 2, "families": {"A": 2, "B": 1}, "pairs": {"B": {"A": 1}}}, "two known families in order"),
        ({"customers": 2, "families": {"A": 2, "B": 1}, "pairs": {"A": {"B": 2}}}, "more than either"),
        ({"customers": 1, "families": {}, "pairs": {}, "min_support": 0}, "min_support"),
        ({"customers": 1, "families": {}, "pairs": {}, "version": 2}, "version"),
        ({"customers": 1, "families": {}, "pairs": {}, "extra": 1}, "extra"),
        ({"families": {}, "pairs": {}}, "customers"),
    ],
)
def test_malformed_counts_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CoOwnership.from_dict(data)


def test_counts_can_be_built_directly() -> None:
    counts = CoOwnershipCounts(customers=10, families={"A": 5, "B": 5}, pairs={"A": {"B": 5}}, min_support=5)
    assert CoOwnership(counts).lift({"A"}, "B") == pytest.approx((5 + 5 * 0.5) / 10 / 0.5)


ownership = st.lists(
    st.tuples(st.integers(0, 30), st.sampled_from(["RAC-1", "DH-1", "WM-1", "FR-1", "EW-1"])), max_size=120
)


@settings(max_examples=100, deadline=None)
@given(pairs=ownership, k=st.floats(0, 20), support=st.integers(1, 6))
def test_any_counts_survive_json_and_give_finite_positive_lifts(
    pairs: list[tuple[int, str]], k: float, support: int
) -> None:
    stats = CoOwnership.build(pairs, smoothing_k=k, min_support=support)
    again = CoOwnership.from_json(stats.to_json())
    for owned in ({"RAC"}, {"DH", "WM"}, {"FR", "EW", "RAC"}):
        for target in ("RAC", "DH", "EW"):
            value = again.lift(owned, target)
            assert value == stats.lift(owned, target)
            assert math.isfinite(value) and value > 0
