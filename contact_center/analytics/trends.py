"""Complaint trends: topics in complaint texts, their weekly volumes, emerging and seasonal topics.

Topics come from `topics` (jieba words, an NPMI keyword graph, Louvain communities); each has a
weekly series, and so do all complaints (`totals`) and each category, product model and channel
(`by_category`, `by_product`, `by_channel`). Weeks are ISO weeks starting on Monday, on Asia/Taipei
dates: a timezone-aware `created_at` is converted first. A week cut by `start` or `end` counts only its covered days
(`coverage`), so the running week is compared fairly with full ones.

**Emerging** topics come from `emerging`: words whose weekly counts jump in the last one or two
weeks against both their own last 12 weeks and the same weeks (+-4) of earlier years, grouped by
the company they keep, confirmed as a group and named by the words that set their complaints apart.
Each emerging topic says which discovered topic most of its complaints fall in (`topic`).

**Seasonal.** With at least 60 weeks of data, the 5-week moving average m of a topic's counts is
compared with itself 52 weeks earlier: seasonal when their correlation is >= 0.5 and the series swings
(95th percentile of m >= 2.5 x its median, with a floor of 1). `peak_weeks` are the ISO weeks whose
average level is at least half the peak; `in_season` says whether the last week is one of them. A
seasonal topic's summer rise is not emerging because the jump test compares it with earlier summers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import msgspec
import numpy as np

from contact_center.analytics import topics as topic_discovery
from contact_center.analytics.emerging import bursts
from contact_center.analytics.fleet import Floats, Ints
from contact_center.analytics.tails import to_p, to_score

__all__ = [
    "TAIPEI",
    "ComplaintRecord",
    "ComplaintTrends",
    "EmergingTopic",
    "SeasonalTopic",
    "TopicSeries",
    "analyze",
    "local_date",
    "week_of",
]

TAIPEI = ZoneInfo("Asia/Taipei")
MIN_TOPIC_DOCS = 5
SEASONAL_WEEKS = 60
SEASONAL_CORRELATION = 0.5
SEASONAL_SWING = 2.5
MAX_VOLUME_SERIES = 12  # per dimension; more keys than this: the smallest summed as OTHER
OTHER = "(other)"


class ComplaintRecord(msgspec.Struct, frozen=True):
    """One complaint as trend analysis sees it; only the text is used to find topics."""

    ticket_id: int | str
    created_at: dt.date  # a datetime is converted to its Asia/Taipei date
    text: str
    category: str | None = None
    product_model: str | None = None
    channel: str | None = None


class TopicSeries(msgspec.Struct, frozen=True):
    label: str
    keywords: list[str]
    counts: list[int]  # one per week of `ComplaintTrends.weeks`
    total: int
    examples: list[int | str]  # a few ticket ids, most recent first


class EmergingTopic(msgspec.Struct, frozen=True):
    label: str
    keywords: list[str]
    first_week: dt.date  # Monday of the first week of the rise
    weeks: int  # weeks since first_week, the current one included
    volume: int  # complaints in the tested window
    baseline: float  # expected in that window
    window_weeks: int  # 1 or 2
    reference: str  # own_history | same_weeks_earlier_years
    rate_ratio: float
    p_value: float
    score: float
    topic: str | None = None  # the discovered topic most of its complaints fall in


class SeasonalTopic(msgspec.Struct, frozen=True):
    label: str
    keywords: list[str]
    peak_weeks: list[int]  # ISO week numbers
    correlation: float  # with itself a year earlier
    swing: float
    in_season: bool


class VolumeSeries(msgspec.Struct, frozen=True):
    """Complaints per week for one category, product model or channel (None: not recorded)."""

    key: str | None
    counts: list[int]  # one per week of `ComplaintTrends.weeks`
    total: int


class ComplaintTrends(msgspec.Struct, frozen=True):
    start: dt.date
    end: dt.date
    weeks: list[dt.date]  # Mondays
    coverage: list[float]  # share of each week inside [start, end]
    topics: list[TopicSeries]
    emerging: list[EmergingTopic]
    seasonal: list[SeasonalTopic]
    unassigned: list[int]  # complaints per week that fit no topic
    totals: list[int] = []  # all complaints per week
    by_category: list[VolumeSeries] = []  # largest first, at most `MAX_VOLUME_SERIES` (the rest as "other")
    by_product: list[VolumeSeries] = []
    by_channel: list[VolumeSeries] = []


def local_date(value: dt.date) -> dt.date:
    """The Asia/Taipei calendar date of a date or datetime (naive datetimes are taken as Taipei time)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(TAIPEI).date() if value.tzinfo else value.date()
    return value


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def analyze(records: Iterable[ComplaintRecord], start: dt.date, end: dt.date) -> ComplaintTrends:
    """Topics, weekly series, emerging and seasonal topics of the complaints dated start..end."""
    first, last = week_of(start), week_of(end)
    n_weeks = (last - first).days // 7 + 1 if end >= start else 0
    weeks = [first + dt.timedelta(weeks=w) for w in range(n_weeks)]
    coverage = np.array([(min(w + dt.timedelta(days=6), end) - max(w, start)).days + 1 for w in weeks]) / 7.0
    kept = [(r, local_date(r.created_at)) for r in records]
    kept = [(r, day) for r, day in kept if start <= day <= end]
    week_index = np.array([(week_of(day) - first).days // 7 for _, day in kept], dtype=np.int64)
    docs = [topic_discovery.words(r.text) for r, _ in kept]
    found = topic_discovery.discover(docs)
    assignment = np.array(found.assignment, dtype=np.int64)
    series: list[TopicSeries] = []
    for k, keywords in enumerate(found.keywords):
        members = np.flatnonzero(assignment == k)
        if members.size < MIN_TOPIC_DOCS:
            continue
        counts = np.bincount(week_index[members], minlength=n_weeks)
        recent = sorted(members, key=lambda i: (kept[i][1], str(kept[i][0].ticket_id)), reverse=True)[:3]
        series.append(
            TopicSeries(
                label=topic_discovery.label(keywords),
                keywords=keywords,
                counts=[int(c) for c in counts],
                total=int(members.size),
                examples=[kept[i][0].ticket_id for i in recent],
            )
        )
    series.sort(key=lambda s: (-s.total, s.label))
    unassigned = np.bincount(week_index[assignment < 0], minlength=n_weeks) if n_weeks else np.zeros(0)
    listed = {s.label for s in series}
    emerging = _emerging(docs, week_index, coverage, weeks, assignment, found.keywords)
    emerging = [e if e.topic in listed else msgspec.structs.replace(e, topic=None) for e in emerging]
    seasonal = [s for t in series if (s := _seasonal(t, weeks))]
    return ComplaintTrends(
        start=start,
        end=end,
        weeks=weeks,
        coverage=[round(float(c), 3) for c in coverage],
        topics=series,
        emerging=emerging,
        seasonal=seasonal,
        unassigned=[int(c) for c in unassigned],
        totals=[int(c) for c in np.bincount(week_index, minlength=n_weeks)] if n_weeks else [],
        by_category=_volumes([r.category for r, _ in kept], week_index, n_weeks),
        by_product=_volumes([r.product_model for r, _ in kept], week_index, n_weeks),
        by_channel=_volumes([r.channel for r, _ in kept], week_index, n_weeks),
    )


def _volumes(keys: Sequence[str | None], week_index: Ints, n_weeks: int) -> list[VolumeSeries]:
    """Weekly counts per key, largest total first; beyond `MAX_VOLUME_SERIES` keys the smallest are
    summed into one series keyed `OTHER`, so a chart stays readable and nothing is dropped."""
    if not keys:
        return []
    totals = Counter(keys)
    ranked = sorted(totals, key=lambda k: (-totals[k], k is None, k or ""))
    shown = set(ranked[:MAX_VOLUME_SERIES] if len(ranked) <= MAX_VOLUME_SERIES else ranked[: MAX_VOLUME_SERIES - 1])
    index = {key: i for i, key in enumerate(k for k in ranked if k in shown)}
    other = len(index)
    rows = np.array([index.get(k, other) for k in keys], dtype=np.int64)
    grid = np.zeros((other + 1, n_weeks), dtype=np.int64)
    np.add.at(grid, (rows, week_index), 1)
    out = [VolumeSeries(key=k, counts=[int(c) for c in grid[i]], total=int(grid[i].sum())) for k, i in index.items()]
    if grid[other].sum():
        out.append(VolumeSeries(key=OTHER, counts=[int(c) for c in grid[other]], total=int(grid[other].sum())))
    return out


def _emerging(
    docs: Sequence[frozenset[str]],
    week_index: Ints,
    coverage: Floats,
    weeks: Sequence[dt.date],
    assignment: Ints,
    topic_keywords: list[list[str]],
) -> list[EmergingTopic]:
    out: list[EmergingTopic] = []
    for burst in bursts(docs, week_index, coverage):
        j = burst.jump
        recent = burst.docs[week_index[burst.docs] >= coverage.size - j.window]
        homes = assignment[recent]
        homes = homes[homes >= 0]
        home = topic_discovery.label(topic_keywords[int(np.bincount(homes).argmax())]) if homes.size else None
        out.append(
            EmergingTopic(
                label=topic_discovery.label(burst.keywords),
                keywords=burst.keywords,
                first_week=weeks[j.first],
                weeks=coverage.size - j.first,
                volume=j.observed,
                baseline=round(j.expected, 2),
                window_weeks=j.window,
                reference=j.reference,
                rate_ratio=round(j.observed / j.expected, 2),
                p_value=to_p(j.log_p),
                score=to_score(j.log_p),
                topic=home,
            )
        )
    out.sort(key=lambda e: (-e.score, e.label))
    return out


def _smooth(counts: Floats) -> Floats:
    padded = np.pad(counts, 2, mode="edge")
    return np.convolve(padded, np.ones(5) / 5, mode="valid")


def _seasonal(s: TopicSeries, weeks: Sequence[dt.date]) -> SeasonalTopic | None:
    counts = np.array(s.counts, dtype=np.float64)
    if counts.size < SEASONAL_WEEKS:
        return None
    level = _smooth(counts)
    now, before = level[52:], level[:-52]
    if now.std() == 0 or before.std() == 0:
        return None
    correlation = float(np.corrcoef(now, before)[0, 1])
    swing = float(np.percentile(level, 95) / max(np.median(level), 1.0))
    if correlation < SEASONAL_CORRELATION or swing < SEASONAL_SWING:
        return None
    iso = np.array([w.isocalendar().week for w in weeks])
    profile = {int(week): float(level[iso == week].mean()) for week in np.unique(iso)}
    top = max(profile.values())
    peak = sorted(week for week, value in profile.items() if value >= 0.5 * top)
    return SeasonalTopic(
        label=s.label,
        keywords=s.keywords,
        peak_weeks=peak,
        correlation=round(correlation, 3),
        swing=round(swing, 2),
        in_season=int(iso[-1]) in peak,
    )
