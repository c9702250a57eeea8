"""Recommending offers: what ranks an offer higher, what holds it back, and the score's properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_center.offers.coownership import CoOwnership
from contact_center.offers.reasons import describe
from contact_center.offers.recommender import (
    CUE_WEIGHT,
    DECLINE_SNOOZE_DAYS,
    EVIDENCE_WEIGHT,
    LATER_SNOOZE_DAYS,
    LIFT_WEIGHT,
    Recommendation,
    recommend,
    score,
    suppressed,
)
from contact_center.offers.rules import AbnormalRepairs, AssetFacts, CustomerFacts, Offer, OfferRules

TODAY = dt.date(2024, 6, 15)

REPLACE_AC = Offer(
    "AC-REPLACE",
    "變頻冷氣換新",
    "RAC-36NK",
    OfferRules(owns=["RAC"], min_repairs=2, repairs_within_months=6, cue_words=["又壞", "太吵", "noisy"]),
)
EXTENDED_WARRANTY = Offer(
    "AC-EW", "冷氣延長保固", "EW-AC3", OfferRules(owns=["RAC"], warranty_ends_within_days=60, cue_words=["保固"])
)
DEHUMIDIFIER = Offer("DH-NEW", "除濕機", "DH-12", OfferRules(not_owns=["DH"], cue_words=["潮濕", "發霉"]))
PURIFIER = Offer("WP-NEW", "淨水器", "WP-100", OfferRules(not_owns=["WP"], cue_words=["水垢"]))


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def customer(repairs: int = 2, warranty_in: int = 30) -> CustomerFacts:
    ac = AssetFacts(
        7, "RAC-28NK", dt.date(2018, 4, 1), days(warranty_in), [days(-10 * (i + 1)) for i in range(repairs)]
    )
    return CustomerFacts(42, "gold", [ac, AssetFacts(8, "WM-10", dt.date(2020, 1, 1))], TODAY)


def codes(recommendations: list[Recommendation]) -> list[str]:
    return [r.offer_code for r in recommendations]


def town() -> CoOwnership:
    """Air-conditioner owners are much more likely than others to own a dehumidifier."""
    pairs = [(c, "RAC-1") for c in range(60)] + [(c, "DH-1") for c in range(40)]
    pairs += [(c, "WM-1") for c in range(60, 200)] + [(c, "WP-1") for c in range(100, 150)]
    return CoOwnership.build(pairs)


def test_only_eligible_offers_are_recommended_with_their_reasons() -> None:
    facts = customer(repairs=1, warranty_in=365)  # too few repairs, warranty far off
    assert codes(recommend([REPLACE_AC, EXTENDED_WARRANTY, DEHUMIDIFIER], facts)) == ["DH-NEW"]
    top = recommend([REPLACE_AC], customer(repairs=3))[0]
    assert top.matched_asset_id == 7
    assert describe(top.reasons[0]) == "上次維修後 1 個月內又報修 2 次，建議換新機"


def test_equal_offers_tie_on_code() -> None:
    assert codes(recommend([PURIFIER, DEHUMIDIFIER], customer())) == ["DH-NEW", "WP-NEW"]


def test_a_cue_word_lifts_an_offer() -> None:
    offers = [DEHUMIDIFIER, PURIFIER]
    assert codes(recommend(offers, customer(), "熱水壺都是水垢"))[0] == "WP-NEW"
    assert codes(recommend(offers, customer(), "浴室很潮湿，还发霉了"))[0] == "DH-NEW"  # Simplified works too


def test_more_cue_words_mean_a_higher_score() -> None:
    one = recommend([REPLACE_AC], customer(), "冷氣太吵")[0]
    two = recommend([REPLACE_AC], customer(), "冷氣又壞了而且太吵")[0]
    assert two.score > one.score
    assert two.cues == ["又壞", "太吵"]


def test_co_ownership_lift_helps_and_is_shown_as_a_reason() -> None:
    ranked = recommend([PURIFIER, DEHUMIDIFIER], customer(), coownership=town())
    assert codes(ranked) == ["DH-NEW", "WP-NEW"]
    dehumidifier = ranked[0]
    assert dehumidifier.lift > 1.5
    assert dehumidifier.reasons[-1].code == "co_owned"
    assert describe(dehumidifier.reasons[-1], "en").startswith("Customers who own RAC are")


def test_a_weak_lift_nudges_but_is_not_shown() -> None:
    ranked = recommend([PURIFIER], customer(), coownership=town())
    assert ranked[0].lift < 1.5
    assert all(reason.code != "co_owned" for reason in ranked[0].reasons)


def test_stronger_rule_evidence_ranks_higher() -> None:
    twice = recommend([REPLACE_AC], customer(repairs=2))[0]
    four_times = recommend([REPLACE_AC], customer(repairs=4))[0]
    assert four_times.score > twice.score
    warranty_soon = recommend([EXTENDED_WARRANTY], customer(warranty_in=3))[0]
    warranty_later = recommend([EXTENDED_WARRANTY], customer(warranty_in=50))[0]
    assert warranty_soon.score > warranty_later.score


def test_a_more_abnormal_unit_is_stronger_evidence_for_a_trade_in() -> None:
    trade_in = Offer("TRADE-IN", "以舊換新", "SVC-TRADEIN", OfferRules(abnormal_repairs=True))

    def flagged(repairs: int, expected: float) -> CustomerFacts:
        unit = AssetFacts(7, "RAC-28NK", dt.date(2018, 4, 1), abnormal=AbnormalRepairs(repairs, expected))
        return CustomerFacts(42, "gold", [unit], TODAY)

    barely = recommend([trade_in], flagged(3, 1.4))[0]
    far_off = recommend([trade_in], flagged(12, 0.9))[0]
    assert far_off.score > barely.score
    assert barely.score == score(0, 1.0, 1 - 1.4 / 3)
    assert recommend([trade_in], customer()) == []  # nothing flagged: no trade-in


@pytest.mark.parametrize(
    ("response", "ago", "shown"),
    [
        ("decline", 0, False),
        ("decline", DECLINE_SNOOZE_DAYS - 1, False),
        ("decline", DECLINE_SNOOZE_DAYS, True),
        ("later", LATER_SNOOZE_DAYS - 1, False),
        ("later", LATER_SNOOZE_DAYS, True),
        ("accept", 0, False),
        ("accept", 3650, False),
    ],
)
def test_answers_hold_an_offer_back(response: str, ago: int, shown: bool) -> None:
    ranked = recommend([DEHUMIDIFIER], customer(), recent_responses={"DH-NEW": (response, days(-ago))})
    assert (codes(ranked) == ["DH-NEW"]) is shown


def test_accepting_holds_back_every_offer_of_the_same_product() -> None:
    same_product = Offer("DH-PROMO", "除濕機夏季優惠", "dh-12", OfferRules())
    offers = [DEHUMIDIFIER, same_product, PURIFIER]
    held = suppressed(offers, {"DH-NEW": ("accept", days(-400))}, TODAY)
    assert held == {"DH-NEW": "accepted", "DH-PROMO": "accepted"}
    assert codes(recommend(offers, customer(), recent_responses={"DH-NEW": ("accept", days(-400))})) == ["WP-NEW"]


def test_suppressed_says_why() -> None:
    answers = {"DH-NEW": ("decline", days(-10)), "WP-NEW": ("later", days(-1)), "AC-EW": ("later", days(-30))}
    assert suppressed([DEHUMIDIFIER, PURIFIER, EXTENDED_WARRANTY], answers, TODAY) == {
        "DH-NEW": "declined",
        "WP-NEW": "later",
    }


def test_an_unknown_answer_is_a_bug() -> None:
    with pytest.raises(ValueError, match="maybe"):
        recommend([DEHUMIDIFIER], customer(), recent_responses={"DH-NEW": ("maybe", TODAY)})


def test_limit() -> None:
    offers = [REPLACE_AC, EXTENDED_WARRANTY, DEHUMIDIFIER, PURIFIER]
    assert len(recommend(offers, customer())) == 3
    assert len(recommend(offers, customer(), limit=10)) == 4
    assert recommend(offers, customer(), limit=0) == []


def test_the_same_inputs_give_the_same_order() -> None:
    offers = [PURIFIER, EXTENDED_WARRANTY, DEHUMIDIFIER, REPLACE_AC]
    first = recommend(offers, customer(), "太吵", town(), limit=4)
    assert recommend(list(reversed(offers)), customer(), "太吵", town(), limit=4) == first


def test_score_terms_are_bounded() -> None:
    assert score(0, 1.0, 0.0) == 1.0
    assert score(0, 0.5, 0.0) == 1.0  # a negative association adds nothing, nor does it subtract
    assert score(50, 1000.0, 1.0) <= 1 + CUE_WEIGHT + LIFT_WEIGHT + EVIDENCE_WEIGHT


@given(
    cues=st.integers(0, 12),
    lift=st.floats(0.01, 100),
    strength=st.floats(0, 1),
)
def test_score_grows_with_each_cue_heard(cues: int, lift: float, strength: float) -> None:
    assert score(cues + 1, lift, strength) > score(cues, lift, strength)
    assert score(cues, lift * 1.5, strength) >= score(cues, lift, strength)
