"""Complaint trends on hand-made complaints: words, topics, an emerging topic against a seasonal one, edges."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_center.analytics.topics import words
from contact_center.analytics.trends import ComplaintRecord, analyze, local_date, week_of

START = dt.date(2023, 1, 2)  # a Monday
TEXTS = {
    "late": (
        "師傅約好下午兩點結果快三個小時後才到，也沒有先打電話",
        "約好的時間都過了一個多小時，打去問也說不知道師傅在哪裡",
    ),
    "bill": ("帳單金額跟師傅現場說的不一樣，多收了檢測費", "檢測費收得太貴，帳單上也沒有寫清楚"),
    "cool": ("客廳的冷氣開了一整晚還是不冷，室外機好像沒在轉", "冷氣冷媒好像不足，設定二十四度還是不冷"),
    "login": ("更新APP之後一直登入失敗，驗證碼也收不到", "新版APP登入畫面閃退，驗證碼簡訊等很久"),
}
_ids = itertools.count(1)


def complaints(kind: str, week: dt.date, count: int, rng: random.Random) -> list[ComplaintRecord]:
    return [
        ComplaintRecord(next(_ids), week + dt.timedelta(days=rng.randrange(7)), rng.choice(TEXTS[kind]))
        for _ in range(count)
    ]


def history(weeks: int, *, login_from: int | None = None, seed: int = 1) -> list[ComplaintRecord]:
    """Steady late-technician and billing complaints, air conditioners every summer, a login topic from a week."""
    rng = random.Random(seed)
    out: list[ComplaintRecord] = []
    for w in range(weeks):
        week = START + dt.timedelta(weeks=w)
        summer = 24 <= week.isocalendar().week <= 36
        out += complaints("late", week, 6, rng) + complaints("bill", week, 5, rng)
        out += complaints("cool", week, 14 if summer else 1, rng)
        if login_from is not None and w >= login_from:
            out += complaints("login", week, 8 if w == login_from else 12, rng)
    return out


def sunday(weeks_from_start: int) -> dt.date:
    return START + dt.timedelta(weeks=weeks_from_start, days=-1)


def test_words_cut_traditional_text_and_keep_model_codes() -> None:
    found = words("您好，新買的RAC-41NH遙控器按了沒反應，麻煩盡快處理。")
    assert {"RAC-41NH", "遙控器", "反應", "新買"} <= found
    assert not {"您好", "麻煩", "盡快", "處理"} & found
    assert words("冷氣開了快兩個小時還是不冷") >= {"冷氣", "不冷"}


def test_topics_are_found_labelled_and_counted_per_week() -> None:
    trends = analyze(history(20), START, sunday(20))
    assert len(trends.weeks) == 20 and trends.weeks[0] == START and trends.coverage == [1.0] * 20
    assert all(sum(t.counts) == t.total and "/" in t.label for t in trends.topics)
    # Each of the two late-technician sentences may be a topic of its own; together they hold them all.
    late = [t for t in trends.topics if {"小時", "師傅", "打電話", "哪裡"} & set(t.keywords)]
    assert sum(t.total for t in late) >= 100
    assert not {"帳單", "檢測費"} & {w for t in late for w in t.keywords}
    assert trends.emerging == []


def test_an_emerging_topic_is_flagged_within_two_weeks_with_its_keywords() -> None:
    records = history(80, login_from=78)
    assert analyze(records, START, sunday(78)).emerging == []  # the week before it starts
    first_week = analyze(records, START, sunday(79)).emerging
    second_week = analyze(records, START, sunday(80)).emerging
    flagged = (first_week or second_week)[0]
    assert {"登入", "驗證碼"} & set(flagged.keywords) and "/" in flagged.label
    assert flagged.first_week == START + dt.timedelta(weeks=78)
    assert flagged.volume >= 8 and flagged.rate_ratio >= 3 and flagged.reference == "own_history"


def test_summer_air_conditioner_complaints_are_seasonal_not_new() -> None:
    records = history(80)  # the second summer starts around week 75
    for end in range(74, 81):
        assert analyze(records, START, sunday(end)).emerging == [], end
    seasonal = analyze(records, START, sunday(80)).seasonal
    assert [s for s in seasonal if "不冷" in s.keywords or "冷氣" in s.keywords]
    assert all(24 <= w <= 37 for s in seasonal for w in s.peak_weeks)


def test_the_first_summer_is_new_when_there_is_no_earlier_year() -> None:
    records = history(28)
    assert any("不冷" in e.keywords or "冷氣" in e.keywords for e in analyze(records, START, sunday(25)).emerging)


def test_an_emerging_topic_during_the_season_is_still_flagged() -> None:
    records = history(80, login_from=76)
    flagged = [e for end in (77, 78) for e in analyze(records, START, sunday(end)).emerging]
    assert flagged and all({"登入", "驗證碼", "APP", "閃退"} & set(e.keywords) for e in flagged)


def test_a_partial_last_week_is_compared_by_the_days_it_covers() -> None:
    records = history(30)
    wednesday = sunday(30) - dt.timedelta(days=4)
    trends = analyze(records, START, wednesday)
    assert trends.coverage[-1] == round(3 / 7, 3)
    assert trends.emerging == []


def test_edges() -> None:
    empty = analyze([], START, sunday(3))
    assert empty.topics == [] and empty.emerging == [] and len(empty.weeks) == 3 and empty.unassigned == [0, 0, 0]
    backwards = analyze(history(3), sunday(3), START)
    assert backwards.weeks == [] and backwards.topics == []
    outside = analyze(history(10), START + dt.timedelta(weeks=20), sunday(22))
    assert outside.topics == []


def test_weekly_volumes_per_category_product_and_channel() -> None:
    def record(day: int, category: str | None, model: str | None, channel: str) -> ComplaintRecord:
        return ComplaintRecord(next(_ids), START + dt.timedelta(days=day), "冷氣不冷", category, model, channel)

    records = [
        record(0, "冷氣", "RAC-28NK", "phone"),
        record(1, "冷氣", "RAC-36NK", "phone"),
        record(8, "帳單", None, "web"),
        record(9, "冷氣", "RAC-28NK", "phone"),
        record(30, "冷氣", "RAC-28NK", "phone"),
    ]  # fmt: skip  (day 30 is after the range)
    trends = analyze(records, START, sunday(2))
    assert trends.totals == [2, 2]
    assert [(v.key, v.counts, v.total) for v in trends.by_category] == [("冷氣", [2, 1], 3), ("帳單", [0, 1], 1)]
    assert [(v.key, v.counts) for v in trends.by_product] == [
        ("RAC-28NK", [1, 1]),
        ("RAC-36NK", [1, 0]),
        (None, [0, 1]),  # not recorded: after the named ones of the same size
    ]
    assert [(v.key, v.counts) for v in trends.by_channel] == [("phone", [2, 1]), ("web", [0, 1])]


def test_many_keys_keep_the_largest_and_sum_the_rest_as_other() -> None:
    from contact_center.analytics.trends import MAX_VOLUME_SERIES, OTHER

    records = [
        ComplaintRecord(next(_ids), START, "不冷", None, f"M-{k:02d}", "phone")
        for k in range(MAX_VOLUME_SERIES + 3)
        for _ in range(k + 1)
    ]  # fmt: skip  (M-00 once, M-01 twice...)
    by_product = analyze(records, START, sunday(1)).by_product
    assert len(by_product) == MAX_VOLUME_SERIES and by_product[0].key == f"M-{MAX_VOLUME_SERIES + 2:02d}"
    assert by_product[-1].key == OTHER and by_product[-1].total == 1 + 2 + 3 + 4  # the four smallest models
    assert sum(v.total for v in by_product) == len(records)  # nothing dropped


def test_dates_are_taipei_dates_and_weeks_start_on_monday() -> None:
    late_evening_utc = dt.datetime(2025, 1, 5, 17, 30, tzinfo=dt.UTC)  # Monday 01:30 in Taipei
    assert local_date(late_evening_utc) == dt.date(2025, 1, 6)
    assert local_date(dt.date(2025, 1, 5)) == dt.date(2025, 1, 5)
    assert week_of(dt.date(2025, 1, 5)) == dt.date(2024, 12, 30)
    assert week_of(dt.date(2025, 1, 6)) == dt.date(2025, 1, 6)


fragments = st.sampled_from(
    ["冷氣", "不冷", "遙控器", "沒反應", "帳單", "APP", "登入", "師傅", "遲到", "，", "RAC-28NK", "a"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.builds(
            ComplaintRecord,
            ticket_id=st.integers(0, 10**6),
            created_at=st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
            text=st.lists(fragments, max_size=8).map("".join),
        ),
        max_size=150,
    )
)
def test_analyze_never_raises_and_counts_only_what_it_was_given(records: list[ComplaintRecord]) -> None:
    trends = analyze(records, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert len(trends.weeks) == 53
    assigned = sum(t.total for t in trends.topics)
    assert assigned + sum(trends.unassigned) <= len(records)
    assert all(len(t.counts) == len(trends.weeks) for t in trends.topics)
    assert all(e.topic is None or e.topic in {t.label for t in trends.topics} for e in trends.emerging)
