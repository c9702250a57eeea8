"""Emerging complaint topics as bursts of words, and the weekly jump test they must pass.

Why words and not the discovered topics: a new problem often grows inside an old topic (one model's
remote control failing, among the steady trickle of remote-control complaints and the summer's
"遙控器顯示正常，可是冷氣不冷"), so whether it shows depends on how finely the topics happen to be cut.
The words that carry it (the model code, 沒反應, 電池) jump regardless. So:

1. every word's weekly document count is put to the jump test below, at 0.01 / (2 x words);
2. the words that jump are grouped when they keep company in the last two weeks' complaints
   (together in >= 3 of them and in >= 30% of the rarer word's);
3. a group's complaints (those holding two of its words, or its only word) form a weekly series
   that must pass the jump test again, at 0.01 / (2 x groups);
4. its keywords are the words most over-represented in the group's recent complaints (in-group
   frequency x log lift), so the label names the problem ("遙控器/RAC-41NH"), not only what is new.

**The jump test** (one series, the window = the last k = 1 or 2 weeks):

    own history:    b = count / covered weeks over the 12 weeks before the window (>= 4 needed),
                    E_own = max(b, 0.5) * covered weeks of the window
    earlier years:  E_year = the largest count of the same weeks shifted back by 52 y + d weeks,
                    y >= 1, d in -4..4 (when that history exists), scaled to the window's coverage
    E = max(E_own, E_year),   p = P(Poisson(E) >= O)

passed when O >= 6 (k = 1) or 10 (k = 2), O >= 3 E and p <= the level. The two-week window catches a
topic within two weeks of its start; the shifted earlier-year weeks keep summer air-conditioner
complaints, whose start moves by up to a month from year to year, from being called new.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from contact_center.analytics.fleet import Floats, Ints
from contact_center.analytics.tails import poisson_sf_log

__all__ = ["ALPHA", "Burst", "Jump", "bursts", "jump"]

HISTORY_WEEKS = 12
MIN_HISTORY_WEEKS = 4
FLOOR_PER_WEEK = 0.5
YEAR_SHIFT = 4
MIN_VOLUME = {1: 6, 2: 10}
MIN_RATIO = 3.0
ALPHA = 0.01
MIN_TOGETHER = 3
TOGETHER_SHARE = 0.3
RECENT_WEEKS = 2


@dataclasses.dataclass(frozen=True, slots=True)
class Jump:
    window: int  # weeks tested: 1 or 2
    observed: int
    expected: float
    log_p: float
    reference: str  # own_history | same_weeks_earlier_years
    first: int  # index of the first week of the rise


@dataclasses.dataclass(frozen=True, slots=True)
class Burst:
    words: list[str]  # the words that jumped
    keywords: list[str]  # what sets the burst's complaints apart
    docs: Ints  # every complaint, any week, that holds the burst
    jump: Jump


def _earlier_years(counts: Floats, lo: int, hi: int) -> float | None:
    best: float | None = None
    year = 1
    while lo - 52 * year - YEAR_SHIFT >= 0:
        for shift in range(-YEAR_SHIFT, YEAR_SHIFT + 1):
            a = lo - 52 * year + shift
            total = float(counts[a : a + (hi - lo)].sum())
            best = total if best is None else max(best, total)
        year += 1
    return best


def jump(counts: Floats, coverage: Floats, alpha: float) -> Jump | None:
    """The strongest passing jump of the series' last one or two weeks (see the module docstring)."""
    n = counts.size
    best: Jump | None = None
    for k in (1, 2):
        lo, hi = n - k, n
        history = slice(max(0, lo - HISTORY_WEEKS), lo)
        if lo - history.start < MIN_HISTORY_WEEKS:
            continue
        covered = float(coverage[lo:hi].sum())
        own = max(counts[history].sum() / max(coverage[history].sum(), 1e-9), FLOOR_PER_WEEK) * covered
        year = _earlier_years(counts, lo, hi)
        year_scaled = year * covered / k if year is not None else 0.0
        expected = max(own, year_scaled)
        observed = int(counts[lo:hi].sum())
        if observed < MIN_VOLUME[k] or observed < MIN_RATIO * expected:
            continue
        log_p = poisson_sf_log(observed, expected)
        if log_p > np.log(alpha) or (best is not None and log_p >= best.log_p):
            continue
        reference = "same_weeks_earlier_years" if year_scaled > own else "own_history"
        best = Jump(k, observed, expected, log_p, reference, _first_week(counts, coverage, expected / covered))
    return best


def _first_week(counts: Floats, coverage: Floats, per_week: float) -> int:
    """The start of the run of weeks, ending now, each above twice the expected weekly level."""
    first = counts.size - 1
    while first > 0 and counts.size - first < 8 and counts[first - 1] > 2 * per_week * coverage[first - 1]:
        first -= 1
    return first


def bursts(docs: Sequence[frozenset[str]], week_index: Ints, coverage: Floats) -> list[Burst]:
    """The groups of words whose complaints jumped in the last one or two weeks."""
    n_weeks = coverage.size
    if n_weeks == 0 or not docs:
        return []
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cells: list[int] = []
    for i, doc in enumerate(docs):
        for word in doc:
            rows.append(vocabulary.setdefault(word, len(vocabulary)))
            cells.append(int(week_index[i]))
    counts = np.zeros((len(vocabulary), n_weeks))
    np.add.at(counts, (np.array(rows, dtype=np.int64), np.array(cells, dtype=np.int64)), 1.0)
    words = list(vocabulary)
    if not words:
        return []
    level = ALPHA / (2 * len(words))
    screened = np.flatnonzero(counts[:, -RECENT_WEEKS:].sum(axis=1) >= MIN_VOLUME[1])
    jumped = [words[v] for v in screened if jump(counts[v], coverage, level) is not None]
    recent = [i for i in range(len(docs)) if week_index[i] >= n_weeks - RECENT_WEEKS]
    groups = _groups(jumped, [docs[i] for i in recent])
    found: list[Burst] = []
    for group in groups:
        need = min(2, len(group))
        members = np.array([i for i, doc in enumerate(docs) if len(doc & group) >= need], dtype=np.int64)
        series = np.bincount(week_index[members], minlength=n_weeks).astype(np.float64)
        passed = jump(series, coverage, ALPHA / (2 * len(groups)))
        if passed is None:
            continue
        latest = members[week_index[members] >= n_weeks - passed.window]
        keywords = _keywords([docs[i] for i in latest], counts.sum(axis=1) / len(docs), vocabulary)
        found.append(Burst(sorted(group), keywords or sorted(group), members, passed))
    return found


def _groups(jumped: list[str], recent: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """Jumped words joined when they keep company in the recent complaints (union-find)."""
    parent = {w: w for w in jumped}

    def root(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    alone: dict[str, int] = dict.fromkeys(jumped, 0)
    together: dict[tuple[str, str], int] = {}
    for doc in recent:
        present = sorted(w for w in doc if w in alone)
        for a_index, a in enumerate(present):
            alone[a] += 1
            for b in present[a_index + 1 :]:
                together[(a, b)] = together.get((a, b), 0) + 1
    for (a, b), n in together.items():
        if n >= max(MIN_TOGETHER, TOGETHER_SHARE * min(alone[a], alone[b])):
            parent[root(a)] = root(b)
    out: dict[str, set[str]] = {}
    for w in jumped:
        out.setdefault(root(w), set()).add(w)
    return [frozenset(g) for _, g in sorted(out.items())]


def _keywords(inside_docs: Sequence[frozenset[str]], share_all: Floats, vocabulary: dict[str, int]) -> list[str]:
    """Words most over-represented in these complaints: in-group count x log lift, lift > 1.5."""
    if not inside_docs:
        return []
    inside: dict[str, int] = {}
    for doc in inside_docs:
        for word in doc:
            inside[word] = inside.get(word, 0) + 1
    scored = []
    for word, n in inside.items():
        lift = (n / len(inside_docs)) / share_all[vocabulary[word]]
        if lift > 1.5 and n / len(inside_docs) >= 0.05 and n >= 2:
            scored.append((-n * float(np.log(lift)), word))
    return [word for _, word in sorted(scored)[:6]]
