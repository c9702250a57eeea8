"""Offer eligibility: each rule on hand-made customers, the "why not" list, validation and reason text."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.offers import reasons
from contact_center.offers.rules import (
    AbnormalRepairs,
    AssetFacts,
    CustomerFacts,
    Eligibility,
    Offer,
    OfferRules,
    Reason,
    describe,
    evaluate,
    heard_cues,
    validate_offer,
    validate_rules,
)

TODAY = dt.date(2024, 5, 31)  # a month end, so "3 months ago" must clamp to 29 February


def asset(
    asset_id: int = 1,
    model: str = "RAC-28NK",
    *,
    installed: dt.date | None = dt.date(2020, 1, 1),
    warranty: dt.date | None = None,
    repairs: tuple[dt.date, ...] = (),
    abnormal: AbnormalRepairs | None = None,
) -> AssetFacts:
    return AssetFacts(asset_id, model, installed, warranty, list(repairs), abnormal)


def customer(*assets: AssetFacts, tier: str = "standard", today: dt.date = TODAY) -> CustomerFacts:
    return CustomerFacts(customer_id=42, tier=tier, assets=list(assets), today=today)


def offer(rules: OfferRules | None = None, *, template: str | None = None) -> Offer:
    return Offer("AC-UPGRADE", "變頻冷氣換新", "RAC-36NK", rules or OfferRules(), template)


def check(rules: OfferRules, facts: CustomerFacts, text: str = "") -> Eligibility:
    return evaluate(offer(rules), facts, text)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


# --- owns / not owns ---------------------------------------------------------------------------------------


def test_an_offer_without_rules_is_open_to_everyone() -> None:
    verdict = check(OfferRules(), customer())
    assert verdict == Eligibility(True, [], None, [], [])


def test_owns_matches_a_model_prefix_whatever_its_case() -> None:
    verdict = check(OfferRules(owns=["wdh", "rac"]), customer(asset(1, "WM-10"), asset(2, "RAC-28NK")))
    assert verdict.eligible
    assert verdict.matched_asset_id == 2
    assert verdict.reasons == [Reason("owns", {"model": "RAC-28NK"})]


def test_owns_fails_without_a_matching_asset() -> None:
    verdict = check(OfferRules(owns=["DH"]), customer(asset(model="RAC-28NK")))
    assert not verdict.eligible
    assert verdict.failed == ["owns"]


def test_not_owns_keeps_an_offer_away_from_customers_who_have_it() -> None:
    rules = OfferRules(not_owns=["dh-"])
    assert check(rules, customer(asset(model="RAC-28NK"))).eligible
    assert check(rules, customer(asset(model="RAC-28NK"), asset(2, "DH-12"))).failed == ["not_owns"]


# --- asset age ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("installed", "eligible"),
    [(dt.date(2016, 5, 31), True), (dt.date(2016, 6, 1), False), (dt.date(2001, 1, 1), True)],
    ids=["eighth-anniversary-today", "day-before-eighth-anniversary", "much-older"],
)
def test_min_age_counts_completed_years(installed: dt.date, eligible: bool) -> None:
    verdict = check(OfferRules(min_asset_age_years=8), customer(asset(installed=installed)))
    assert verdict.eligible is eligible
    assert verdict.failed == ([] if eligible else ["min_asset_age_years"])


@pytest.mark.parametrize(
    ("installed", "eligible"),
    [(dt.date(2021, 6, 1), True), (dt.date(2021, 5, 31), False), (TODAY, True)],
    ids=["day-before-third-anniversary", "third-anniversary", "installed-today"],
)
def test_max_age_holds_until_the_next_anniversary(installed: dt.date, eligible: bool) -> None:
    verdict = check(OfferRules(max_asset_age_years=2), customer(asset(installed=installed)))
    assert verdict.eligible is eligible


def test_an_asset_installed_on_29_february_ages_on_1_march() -> None:
    rules = OfferRules(min_asset_age_years=1)
    leap = asset(installed=dt.date(2020, 2, 29))
    assert not check(rules, customer(leap, today=dt.date(2021, 2, 28))).eligible
    assert check(rules, customer(leap, today=dt.date(2021, 3, 1))).eligible


def test_age_bounds_fail_without_an_install_date() -> None:
    verdict = check(OfferRules(min_asset_age_years=1, max_asset_age_years=5), customer(asset(installed=None)))
    assert verdict.failed == ["min_asset_age_years", "max_asset_age_years"]


def test_age_gives_a_reason_only_as_a_minimum() -> None:
    old = customer(asset(installed=dt.date(2015, 1, 1)))
    assert check(OfferRules(min_asset_age_years=8), old).reasons == [
        Reason("asset_age", {"years": 9, "model": "RAC-28NK"})
    ]
    assert check(OfferRules(max_asset_age_years=20), old).reasons == []


# --- warranty ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "eligible"),
    [(0, True), (21, True), (30, True), (31, False), (-1, False)],
    ids=["ends-today", "in-21-days", "on-the-last-day-of-the-window", "just-outside", "ended-yesterday"],
)
def test_warranty_ending_within_days(offset: int, eligible: bool) -> None:
    verdict = check(OfferRules(warranty_ends_within_days=30), customer(asset(warranty=days(offset))))
    assert verdict.eligible is eligible
    if eligible:
        assert verdict.reasons == [Reason("warranty_ending", {"days": offset, "date": days(offset).isoformat()})]
    else:
        assert verdict.failed == ["warranty_ends_within_days"]


@pytest.mark.parametrize(
    ("offset", "eligible"),
    [(0, False), (-1, True), (-60, True), (-61, False)],
    ids=["still-covered-today", "ended-yesterday", "ended-60-days-ago", "ended-61-days-ago"],
)
def test_warranty_ended_within_days(offset: int, eligible: bool) -> None:
    verdict = check(OfferRules(warranty_ended_within_days=60), customer(asset(warranty=days(offset))))
    assert verdict.eligible is eligible


def test_both_warranty_windows_form_one_window_around_today() -> None:
    rules = OfferRules(warranty_ends_within_days=30, warranty_ended_within_days=60)
    assert check(rules, customer(asset(warranty=days(10)))).reasons[0].code == "warranty_ending"
    assert check(rules, customer(asset(warranty=days(-10)))).reasons[0].code == "warranty_ended"
    assert check(rules, customer(asset(warranty=days(45)))).failed == [
        "warranty_ends_within_days",
        "warranty_ended_within_days",
    ]


def test_warranty_fails_without_a_warranty_date() -> None:
    assert check(OfferRules(warranty_ends_within_days=30), customer(asset(warranty=None))).failed == [
        "warranty_ends_within_days"
    ]


# --- repairs -----------------------------------------------------------------------------------------------


def test_the_repair_window_starts_the_same_day_months_ago_clamped_to_the_month_end() -> None:
    rules = OfferRules(min_repairs=2, repairs_within_months=3)
    inside = customer(asset(repairs=(dt.date(2024, 2, 29), dt.date(2024, 5, 1))))
    outside = customer(asset(repairs=(dt.date(2024, 2, 28), dt.date(2024, 5, 1))))
    assert check(rules, inside).eligible
    assert check(rules, outside).failed == ["min_repairs"]


def test_repairs_after_today_do_not_count() -> None:
    rules = OfferRules(min_repairs=2, repairs_within_months=3)
    assert not check(rules, customer(asset(repairs=(days(-5), days(1))))).eligible


def test_repairs_without_a_window_count_every_repair() -> None:
    repairs = (dt.date(2019, 1, 1), dt.date(2021, 1, 1), dt.date(2023, 1, 1))
    verdict = check(OfferRules(min_repairs=3), customer(asset(repairs=repairs)))
    assert verdict.reasons == [Reason("total_repairs", {"count": 3})]


def test_a_window_without_a_minimum_needs_one_repair() -> None:
    rules = OfferRules(repairs_within_months=6)
    assert check(rules, customer(asset(repairs=(days(-30),)))).reasons == [
        Reason("recent_repairs", {"count": 1, "window_months": 6})
    ]
    assert check(rules, customer(asset())).failed == ["repairs_within_months"]


def test_the_repair_reason_counts_what_happened_not_the_rule() -> None:
    repairs = (dt.date(2024, 3, 10), dt.date(2024, 4, 2), dt.date(2024, 5, 20))  # 3 repairs, spanning 2½ months
    verdict = check(OfferRules(min_repairs=2, repairs_within_months=6), customer(asset(repairs=repairs)))
    assert verdict.reasons == [Reason("repeat_repairs", {"repeats": 2, "months": 3, "count": 3, "window_months": 6})]
    assert describe(verdict.reasons[0]) == "上次維修後 3 個月內又報修 2 次，建議換新機"


def test_asset_conditions_must_hold_on_one_asset() -> None:
    rules = OfferRules(owns=["RAC"], min_asset_age_years=8, min_repairs=2, repairs_within_months=6)
    old_quiet = asset(1, installed=dt.date(2012, 1, 1))
    new_broken = asset(2, installed=dt.date(2023, 1, 1), repairs=(days(-20), days(-10)))
    verdict = check(rules, customer(old_quiet, new_broken))
    assert not verdict.eligible
    assert len(verdict.failed) == 1  # the closest asset misses one condition, not two


def test_the_asset_with_most_repairs_is_the_one_the_offer_is_about() -> None:
    rules = OfferRules(owns=["RAC"], min_repairs=1, repairs_within_months=12)
    once = asset(1, repairs=(days(-40),))
    thrice = asset(2, repairs=(days(-40), days(-30), days(-3)))
    assert check(rules, customer(once, thrice)).matched_asset_id == 2


def test_asset_conditions_only_look_at_owned_prefixes() -> None:
    rules = OfferRules(owns=["RAC"], min_repairs=1)
    verdict = check(rules, customer(asset(1, "RAC-28NK"), asset(2, "WM-10", repairs=(days(-3),))))
    assert verdict.failed == ["min_repairs"]


# --- abnormal repair frequency -----------------------------------------------------------------------------

LEMON = AbnormalRepairs(repairs=4, expected=0.8)


def test_abnormal_repairs_needs_a_flagged_unit_and_says_why() -> None:
    rules = OfferRules(abnormal_repairs=True)
    verdict = check(rules, customer(asset(1), asset(2, abnormal=LEMON)))
    assert verdict.eligible and verdict.matched_asset_id == 2
    assert verdict.reasons == [Reason("abnormal_repairs", {"count": 4, "expected": 0.8})]
    assert describe(verdict.reasons[0]) == "此機台報修頻率異常（同型號同機齡預期 0.8 次，實際 4 次），建議以舊換新"
    assert check(rules, customer(asset(1))).failed == ["abnormal_repairs"]
    assert check(rules, customer()).failed == ["abnormal_repairs"]  # nothing owned, nothing flagged


def test_abnormal_repairs_false_keeps_an_offer_away_from_flagged_units() -> None:
    rules = OfferRules(owns=["RAC"], abnormal_repairs=False)
    assert check(rules, customer(asset(1, abnormal=LEMON))).failed == ["abnormal_repairs"]
    healthy = check(rules, customer(asset(1, abnormal=LEMON), asset(2)))
    assert healthy.eligible and healthy.matched_asset_id == 2
    assert [r.code for r in healthy.reasons] == ["owns"]  # not being flagged is no reason to buy


def test_abnormal_repairs_holds_on_the_same_asset_as_the_other_conditions() -> None:
    rules = OfferRules(owns=["RAC"], min_asset_age_years=8, abnormal_repairs=True)
    old_ac = asset(1, installed=dt.date(2010, 1, 1))
    flagged_washer = asset(2, "WM-10", installed=dt.date(2010, 1, 1), abnormal=LEMON)
    assert check(rules, customer(old_ac, flagged_washer)).failed == ["abnormal_repairs"]
    flagged_new_ac = asset(3, installed=dt.date(2023, 1, 1), abnormal=LEMON)
    assert len(check(rules, customer(old_ac, flagged_new_ac)).failed) == 1  # no single AC meets both
    flagged_old_ac = asset(4, installed=dt.date(2012, 1, 1), abnormal=LEMON)
    verdict = check(rules, customer(old_ac, flagged_old_ac))
    assert verdict.eligible and verdict.matched_asset_id == 4
    assert [r.code for r in verdict.reasons] == ["abnormal_repairs", "asset_age", "owns"]


@pytest.mark.parametrize("value", ['"yes"', "1", "null"])
def test_abnormal_repairs_must_be_true_false_or_absent(value: str) -> None:
    raw = f'{{"abnormal_repairs": {value}}}'.encode()
    if value == "null":
        assert msgspec.json.decode(raw, type=OfferRules).abnormal_repairs is None
    else:
        with pytest.raises(msgspec.ValidationError, match="abnormal_repairs"):
            msgspec.json.decode(raw, type=OfferRules)


# --- tier and cues -----------------------------------------------------------------------------------------


def test_tier() -> None:
    rules = OfferRules(tiers=["vip", "gold"])
    assert check(rules, customer(tier="gold")).reasons == [Reason("tier", {"tier": "gold"})]
    assert check(rules, customer(tier="standard")).failed == ["tiers"]


@pytest.mark.parametrize(
    "text",
    ["冷氣太吵了，晚上睡不著", "冷气太吵了", "The AC is so NOISY at night", "ＮＯＩＳＹ！"],
    ids=["zh-Hant", "zh-Hans", "en", "full-width"],
)
def test_a_required_cue_is_heard_in_any_script(text: str) -> None:
    rules = OfferRules(cue_words=["太吵", "noisy"], required_cue=True)
    verdict = check(rules, customer(), text)
    assert verdict.eligible
    assert verdict.cues in (["太吵"], ["noisy"])


def test_a_cue_written_in_simplified_matches_traditional_text() -> None:
    assert heard_cues(["空调", "坏了"], "我家的空調壞了") == ["空调", "坏了"]


def test_a_required_cue_that_is_not_heard_fails() -> None:
    verdict = check(OfferRules(cue_words=["太吵"], required_cue=True), customer(), "冷氣不冷")
    assert verdict.failed == ["required_cue"]
    assert verdict.cues == []


def test_cues_that_are_not_required_never_block_an_offer() -> None:
    assert check(OfferRules(cue_words=["太吵"]), customer(), "").eligible


def test_a_latin_cue_must_start_a_word() -> None:
    assert heard_cues(["ac"], "a black cable") == []
    assert heard_cues(["ac", "repair"], "the AC needs repairs") == ["ac", "repair"]
    assert heard_cues(["wifi"], "家裡ＷｉＦｉ很慢") == ["wifi"]


def test_every_failed_condition_is_listed_for_the_why_not_view() -> None:
    rules = OfferRules(owns=["DH"], tiers=["vip"], min_asset_age_years=5, cue_words=["除濕"], required_cue=True)
    verdict = check(rules, customer(asset()))
    assert verdict.failed == ["tiers", "owns", "min_asset_age_years", "required_cue"]
    assert verdict.reasons == []


# --- validation --------------------------------------------------------------------------------------------


def test_sound_rules_have_no_problems() -> None:
    rules = OfferRules(
        owns=["RAC"], not_owns=["DH"], min_asset_age_years=5, max_asset_age_years=15, warranty_ends_within_days=0
    )
    assert validate_rules(rules) == []


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (OfferRules(owns=["RAC", " "]), "owns[1]: a product-model prefix must not be empty"),
        (OfferRules(not_owns=[""]), "not_owns[0]: a product-model prefix must not be empty"),
        (OfferRules(warranty_ends_within_days=-1), "warranty_ends_within_days: must be between 0 and 3650, got -1"),
        (OfferRules(warranty_ended_within_days=0), "warranty_ended_within_days: must be between 1 and 3650, got 0"),
        (OfferRules(min_repairs=0), "min_repairs: must be between 1 and 1000, got 0"),
        (OfferRules(repairs_within_months=-3), "repairs_within_months: must be between 1 and 600, got -3"),
        (OfferRules(min_asset_age_years=-1), "min_asset_age_years: must be between 0 and 100, got -1"),
        (
            OfferRules(min_asset_age_years=9, max_asset_age_years=5),
            "min_asset_age_years: 9 is more than max_asset_age_years (5)",
        ),
        (
            OfferRules(tiers=["vip", "platinum"]),
            "tiers[1]: unknown tier 'platinum'; expected one of vip, gold, standard, basic",
        ),
        (OfferRules(cue_words=["太吵", "　"]), "cue_words[1]: a cue word must not be empty"),
        (OfferRules(required_cue=True), "required_cue: needs at least one cue word"),
        (
            OfferRules(owns=["RAC-28"], not_owns=["rac"]),
            "not_owns: excludes every prefix in owns, so no customer could ever qualify",
        ),
    ],
)
def test_bad_rules_are_explained(rules: OfferRules, message: str) -> None:
    assert validate_rules(rules) == [message]


def test_owns_and_not_owns_may_narrow_each_other() -> None:
    assert validate_rules(OfferRules(owns=["RA"], not_owns=["RAC-28"])) == []


def test_offer_validation_covers_fields_template_and_rules() -> None:
    bad = Offer(" ", "換新", "", OfferRules(min_repairs=0), "{title} {days} {price} {}")
    assert validate_offer(bad) == [
        "code: must not be empty",
        "product_model: must not be empty",
        "reason_template: unknown placeholder {}, {price}; use count, cues, date, days, expected, model, months, "
        "product_model, repeats, tier, title, window_months, years",
        "rules.min_repairs: must be between 1 and 1000, got 0",
    ]


def test_unknown_rule_fields_are_rejected_when_decoding() -> None:
    with pytest.raises(msgspec.ValidationError, match="own"):
        msgspec.json.decode(b'{"own": ["RAC"]}', type=OfferRules)


# --- reason text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        (
            Reason("repeat_repairs", {"repeats": 2, "months": 3, "count": 3, "window_months": 6}),
            "上次維修後 3 個月內又報修 2 次，建議換新機",
            "Repaired 2 times within 3 months after the last repair: suggest a replacement",
        ),
        (
            Reason("repeat_repairs", {"repeats": 1, "months": 1, "count": 2, "window_months": 3}),
            "上次維修後 1 個月內又報修 1 次，建議換新機",
            "Repaired 1 time within 1 month after the last repair: suggest a replacement",
        ),
        (
            Reason("recent_repairs", {"count": 1, "window_months": 6}),
            "近 6 個月內報修 1 次",
            "Repaired 1 time in the last 6 months",
        ),
        (Reason("total_repairs", {"count": 4}), "累計報修 4 次", "Repaired 4 times in all"),
        (
            Reason("warranty_ending", {"days": 21, "date": "2024-06-21"}),
            "保固將於 21 天後到期，建議加購延長保固",
            "Warranty ends in 21 days: suggest an extended warranty",
        ),
        (
            Reason("warranty_ending", {"days": 0, "date": "2024-05-31"}),
            "保固今天到期，建議加購延長保固",
            "Warranty ends today: suggest an extended warranty",
        ),
        (
            Reason("warranty_ended", {"days": 1, "date": "2024-05-30"}),
            "保固已於 1 天前到期，建議加購延長保固",
            "Warranty ended 1 day ago: suggest an extended warranty",
        ),
        (
            Reason("asset_age", {"years": 9, "model": "RAC-28NK"}),
            "機齡 9 年，能源效率較新機差",
            "Unit is 9 years old: less energy-efficient than a new model",
        ),
        (
            Reason("abnormal_repairs", {"count": 4, "expected": 0.8}),
            "此機台報修頻率異常（同型號同機齡預期 0.8 次，實際 4 次），建議以舊換新",
            "This unit is repaired abnormally often (4 times; 0.8 expected for its model and age): "
            "suggest a trade-in replacement",
        ),
        (Reason("owns", {"model": "RAC-28NK"}), "已擁有 RAC-28NK", "Owns RAC-28NK"),
        (Reason("tier", {"tier": "gold"}), "金卡客戶專屬", "For Gold customers"),
        (
            Reason("cue_heard", {"cues": ["太吵", "noisy"]}),
            "客戶提到「太吵」「noisy」",
            "Customer mentioned “太吵”, “noisy”",
        ),
        (
            Reason("co_owned", {"family": "RAC", "target": "DH", "lift": 2.3}),
            "擁有 RAC 的客戶，同時擁有 DH 的比例是平均的 2.3 倍",
            "Customers who own RAC are 2.3× as likely to own DH",
        ),
        (Reason("something_new", {"n": 1}), "something_new n=1", "something_new n=1"),
    ],
)
def test_describe_in_both_languages(reason: Reason, zh: str, en: str) -> None:
    assert describe(reason) == zh
    assert describe(reason, "zh-TW") == zh
    assert describe(reason, "en") == en


def test_a_reason_template_comes_first_filled_in_with_the_facts() -> None:
    rules = OfferRules(owns=["RAC"], warranty_ends_within_days=30)
    facts = customer(asset(warranty=days(21)))
    verdict = evaluate(offer(rules, template="{title}：您的 {model} 保固剩 {days} 天{missing}"), facts)
    assert [r.code for r in verdict.reasons] == [reasons.CUSTOM, "warranty_ending", "owns"]
    text = "變頻冷氣換新：您的 RAC-28NK 保固剩 21 天{missing}"
    assert describe(verdict.reasons[0]) == text
    assert describe(verdict.reasons[0], "en") == text  # the admin's wording, whatever the screen's language


def test_a_template_cannot_reach_attributes() -> None:
    reason = Reason(reasons.CUSTOM, {"template": "{title.__class__} {0}", "title": "x"})
    assert describe(reason) == "{title.__class__} {0}"


def test_eligibility_survives_json() -> None:
    verdict = check(OfferRules(owns=["RAC"], cue_words=["太吵"]), customer(asset()), "太吵")
    assert msgspec.json.decode(msgspec.json.encode(verdict), type=Eligibility) == verdict


# --- properties --------------------------------------------------------------------------------------------

maybe_int = st.none() | st.integers(min_value=-(10**6), max_value=10**6)
words = st.lists(st.text(max_size=5), max_size=3)
any_rules = st.builds(
    OfferRules,
    owns=words,
    not_owns=words,
    min_asset_age_years=maybe_int,
    max_asset_age_years=maybe_int,
    warranty_ends_within_days=maybe_int,
    warranty_ended_within_days=maybe_int,
    min_repairs=maybe_int,
    repairs_within_months=maybe_int,
    abnormal_repairs=st.none() | st.booleans(),
    tiers=st.lists(st.sampled_from(["vip", "gold", "standard", "basic", "x"]), max_size=2),
    cue_words=words,
    required_cue=st.booleans(),
)
any_asset = st.builds(
    AssetFacts,
    asset_id=st.integers(0, 10),
    product_model=st.sampled_from(["RAC-28NK", "rac-36", "DH-12", "WM-10", ""]),
    installed_on=st.none() | st.dates(),
    warranty_until=st.none() | st.dates(),
    repair_dates=st.lists(st.dates(), max_size=4),
    abnormal=st.none() | st.builds(AbnormalRepairs, repairs=st.integers(0, 50), expected=st.floats(0, 50)),
)
any_facts = st.builds(
    CustomerFacts,
    customer_id=st.just(1),
    tier=st.sampled_from(["vip", "gold", "standard", "basic", "unknown"]),
    assets=st.lists(any_asset, max_size=4),
    today=st.dates(),
)


@settings(max_examples=300, deadline=None)
@given(rules=any_rules, facts=any_facts, text=st.text(max_size=20))
def test_evaluate_never_raises_and_is_consistent(rules: OfferRules, facts: CustomerFacts, text: str) -> None:
    verdict = check(rules, facts, text)
    assert verdict.eligible == (not verdict.failed)
    assert verdict.eligible or verdict.reasons == []
    assert set(verdict.cues) <= set(rules.cue_words)
    for reason in verdict.reasons:
        assert describe(reason) and describe(reason, "en")
