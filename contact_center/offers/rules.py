"""Who may be offered what: eligibility rules for cross-sell and up-sell offers, and the reasons shown.

An `Offer` carries `OfferRules`. `evaluate` checks them against `CustomerFacts` (the customer's tier, their
assets with install date, warranty end and repair dates, and the date that counts as today) and against
what the customer just said. It returns an `Eligibility`: whether every given condition holds, which ones
failed (the admin's "why not" view), the asset the offer is about, the cue words heard, and the reasons as
codes and params (see `reasons`; `Reason` and `describe` are re-exported here).

Every condition is optional; every given one must hold:

- `owns` / `not_owns`: case-insensitive prefixes of `product_model`. The customer owns an asset starting
  with any of `owns`, and none starting with any of `not_owns`.
- The asset conditions (age, warranty, repairs, abnormal repairs) must all hold on one and the same asset,
  chosen among the assets matching `owns` (all assets when `owns` is empty): "this air conditioner is old
  *and* keeps breaking down", never "one unit is old and another one broke".
- Age is in completed years from `installed_on` to today, like a person's age: `max_asset_age_years=2`
  holds until the day before the third anniversary. An asset without `installed_on` fails both bounds.
- `warranty_ends_within_days=N`: 0 <= warranty_until - today <= N days (0: today is the last covered day).
  `warranty_ended_within_days=N`: 1 <= today - warranty_until <= N days. Given together, either one is
  enough: they form one window around today ("ending soon or just ended").
- Repairs: the repair dates d with (today minus M calendar months) <= d <= today, M being
  `repairs_within_months`, number at least `min_repairs` (1 when only M is given). Without M every repair
  up to today counts. A window start that falls on a missing day (31 May minus 3 months) is the month's end.
- `abnormal_repairs`: true, the asset carries a standing abnormal-repair-frequency flag (QA's repair flags:
  repaired far more often than units of its model and age); false, it carries none.
- `tiers`: the customer's value tier is one of them.
- `cue_words`: matched in the text (see `heard_cues`); they only rank offers, unless `required_cue`.

Pure: no database, no clock, no I/O. The Simplified-to-Traditional converter is loaded on first use.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Final

import msgspec

from contact_center.bounded import Int32, Text16, Text64
from contact_center.offers.reasons import (
    ABNORMAL_REPAIRS,
    ASSET_AGE,
    CUE_HEARD,
    CUSTOM,
    OWNS,
    RECENT_REPAIRS,
    REPEAT_REPAIRS,
    TEMPLATE_PLACEHOLDERS,
    TIER,
    TOTAL_REPAIRS,
    WARRANTY_ENDED,
    WARRANTY_ENDING,
    ParamValue,
    Reason,
    describe,
    placeholders,
)
from knowledge_base.normalize import converter

__all__ = [
    "TIERS",
    "AbnormalRepairs",
    "AssetFacts",
    "CustomerFacts",
    "Eligibility",
    "Offer",
    "OfferRules",
    "Reason",
    "describe",
    "evaluate",
    "heard_cues",
    "normalize",
    "validate_offer",
    "validate_rules",
]

TIERS: Final[tuple[str, ...]] = ("vip", "gold", "standard", "basic")
"""Customer value tiers, most valuable first (the same as routing's)."""

# The asset conditions with their bounds. The ceilings are generous: they catch typos (3650 for 365) in
# the admin screen rather than set policy.
_LIMITS: Final = {
    "min_asset_age_years": (0, 100),
    "max_asset_age_years": (0, 100),
    "warranty_ends_within_days": (0, 3650),
    "warranty_ended_within_days": (1, 3650),
    "min_repairs": (1, 1000),
    "repairs_within_months": (1, 600),
}


class OfferRules(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """When an offer may be made. All conditions are optional; every given one must hold."""

    owns: list[Text64] = []
    not_owns: list[Text64] = []
    min_asset_age_years: Int32 | None = None
    max_asset_age_years: Int32 | None = None
    warranty_ends_within_days: Int32 | None = None
    warranty_ended_within_days: Int32 | None = None
    min_repairs: Int32 | None = None
    repairs_within_months: Int32 | None = None
    abnormal_repairs: bool | None = None  # true: only a flagged unit; false: only an unflagged one
    tiers: list[Text16] = []
    cue_words: list[Text64] = []
    required_cue: bool = False


class Offer(msgspec.Struct, frozen=True):
    """One entry of the offer catalogue: what is offered and to whom."""

    code: str
    title: str
    product_model: str  # what is offered: a model, or a plan's SKU
    rules: OfferRules = msgspec.field(default_factory=OfferRules)
    reason_template: str | None = None  # the admin's own wording, shown as the first reason


class AbnormalRepairs(msgspec.Struct, frozen=True):
    """A standing repair flag on the unit: repaired far more often than units of its model and age."""

    repairs: int
    expected: float  # repairs a unit of its model and age would have had


class AssetFacts(msgspec.Struct, frozen=True):
    """What the rules need to know about one asset the customer owns."""

    asset_id: int
    product_model: str
    installed_on: dt.date | None = None
    warranty_until: dt.date | None = None  # the last covered day
    repair_dates: list[dt.date] = []  # one date per repair ticket, any order
    abnormal: AbnormalRepairs | None = None  # None: not flagged


class CustomerFacts(msgspec.Struct, frozen=True):
    """A customer as the rules see them on one day."""

    customer_id: int
    tier: str
    assets: list[AssetFacts]
    today: dt.date


class Eligibility(msgspec.Struct, frozen=True):
    """The verdict of `evaluate`; `failed` names the failed conditions by their `OfferRules` field."""

    eligible: bool
    failed: list[str] = []
    matched_asset_id: int | None = None  # the asset the offer is about (the closest one when not eligible)
    cues: list[str] = []
    reasons: list[Reason] = []  # empty when not eligible


@dataclasses.dataclass(slots=True)
class _AssetCheck:
    """How one asset fares against the asset conditions; `repairs` ranks assets that fare alike."""

    failed: list[str] = dataclasses.field(default_factory=list)
    reasons: list[Reason] = dataclasses.field(default_factory=list)
    repairs: int = 0


# --- text cues ---------------------------------------------------------------------------------------------

# Only full-width ASCII and the ideographic space are folded: full NFKC would also rewrite circled
# numbers and compatibility ideographs, which nobody types as a cue.
_WIDTH: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CJK: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Half-width, lower-case, Traditional Chinese with Taiwan phrasing; cached, as texts repeat per offer."""
    folded = text.translate(_WIDTH).lower()
    if _CJK.search(folded) is None:
        return folded
    return str(converter().convert(folded))


@functools.lru_cache(maxsize=4096)
def _cue_pattern(cue: str) -> re.Pattern[str]:
    # A cue starting with a Latin letter or digit must start a word, so "ac" is not heard in "black";
    # its end is left open so that "repair" still matches "repairs". CJK has no word boundaries.
    guard = r"(?<![a-z0-9])" if cue[0].isascii() and cue[0].isalnum() else ""
    return re.compile(guard + re.escape(cue))


def heard_cues(cue_words: Iterable[str], text: str) -> list[str]:
    """The cue words found in `text`, as configured, in their given order, without repeats.

    Both sides are normalised the same way, so "空调" in the text matches the cue "空調", "ＷｉＦｉ" matches
    "wifi". OpenCC converts phrases, so a cue is best written as the word or phrase the customer would say.
    """
    haystack = normalize(text)
    heard: list[str] = []
    if not haystack:
        return heard
    for word in cue_words:
        cue = normalize(word).strip()
        if cue and word not in heard and _cue_pattern(cue).search(haystack):
            heard.append(word)
    return heard


# --- dates -------------------------------------------------------------------------------------------------


def _shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the month's end; saturates at the calendar's ends."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _months_spanned(first: dt.date, last: dt.date) -> int:
    """The fewest whole months (at least 1) after `first` that reach `last`."""
    months = max((last.year - first.year) * 12 + last.month - first.month, 1)
    return months + 1 if _shift_months(first, months) < last else months


def _completed_years(start: dt.date, today: dt.date) -> int:
    return today.year - start.year - ((today.month, today.day) < (start.month, start.day))


# --- evaluation --------------------------------------------------------------------------------------------


def _starts_with_any(model: str, prefixes: Iterable[str]) -> bool:
    folded = model.strip().casefold()
    return any(folded.startswith(prefix.strip().casefold()) for prefix in prefixes)


_ASSET_CONDITIONS: Final = (*_LIMITS, "abnormal_repairs")


def _has_asset_conditions(rules: OfferRules) -> bool:
    return any(getattr(rules, name) is not None for name in _ASSET_CONDITIONS)


def _asset_condition_names(rules: OfferRules) -> list[str]:
    return [name for name in _ASSET_CONDITIONS if getattr(rules, name) is not None]


def _repair_reason(dates: Sequence[dt.date], window_months: int | None) -> Reason:
    count = len(dates)
    if window_months is None:
        return Reason(TOTAL_REPAIRS, {"count": count})
    if count >= 2:
        months = _months_spanned(dates[0], dates[-1])
        return Reason(
            REPEAT_REPAIRS, {"repeats": count - 1, "months": months, "count": count, "window_months": window_months}
        )
    return Reason(RECENT_REPAIRS, {"count": count, "window_months": window_months})


def _check_repairs(rules: OfferRules, asset: AssetFacts, today: dt.date, check: _AssetCheck) -> None:
    window = rules.repairs_within_months
    start = dt.date.min if window is None else _shift_months(today, -window)
    dates = sorted(d for d in asset.repair_dates if start <= d <= today)
    check.repairs = len(dates)
    minimum = 1 if rules.min_repairs is None else rules.min_repairs
    if len(dates) < minimum:
        check.failed.append("min_repairs" if rules.min_repairs is not None else "repairs_within_months")
    elif dates:
        check.reasons.append(_repair_reason(dates, window))


def _warranty_reason(until: dt.date | None, today: dt.date, rules: OfferRules) -> Reason | None:
    if until is None:
        return None
    left = (until - today).days  # a difference, never today + N: no overflow near the calendar's end
    ending, ended = rules.warranty_ends_within_days, rules.warranty_ended_within_days
    if ending is not None and 0 <= left <= ending:
        return Reason(WARRANTY_ENDING, {"days": left, "date": until.isoformat()})
    if ended is not None and 1 <= -left <= ended:
        return Reason(WARRANTY_ENDED, {"days": -left, "date": until.isoformat()})
    return None


def _check_age(rules: OfferRules, asset: AssetFacts, today: dt.date, check: _AssetCheck) -> None:
    low, high = rules.min_asset_age_years, rules.max_asset_age_years
    if asset.installed_on is None:
        check.failed.extend(
            name for name, bound in (("min_asset_age_years", low), ("max_asset_age_years", high)) if bound is not None
        )
        return
    age = _completed_years(asset.installed_on, today)
    if low is not None and age < low:
        check.failed.append("min_asset_age_years")
    elif high is not None and age > high:
        check.failed.append("max_asset_age_years")
    elif low is not None:
        # Only a minimum age is evidence for the offer ("old, time to replace"); a maximum just scopes it.
        check.reasons.append(Reason(ASSET_AGE, {"years": age, "model": asset.product_model}))


def _check_abnormal(wanted: bool, asset: AssetFacts, check: _AssetCheck) -> None:
    if (asset.abnormal is not None) != wanted:
        check.failed.append("abnormal_repairs")
    elif asset.abnormal is not None:  # only a flag is evidence; "not flagged" just scopes the offer
        check.reasons.append(
            Reason(ABNORMAL_REPAIRS, {"count": asset.abnormal.repairs, "expected": round(asset.abnormal.expected, 1)})
        )


def _check_asset(rules: OfferRules, asset: AssetFacts, today: dt.date) -> _AssetCheck:
    check = _AssetCheck()
    if rules.abnormal_repairs is not None:
        _check_abnormal(rules.abnormal_repairs, asset, check)
    if rules.min_repairs is not None or rules.repairs_within_months is not None:
        _check_repairs(rules, asset, today, check)
    if rules.warranty_ends_within_days is not None or rules.warranty_ended_within_days is not None:
        reason = _warranty_reason(asset.warranty_until, today, rules)
        if reason is None:
            check.failed.extend(
                name
                for name in ("warranty_ends_within_days", "warranty_ended_within_days")
                if getattr(rules, name) is not None
            )
        else:
            check.reasons.append(reason)
    if rules.min_asset_age_years is not None or rules.max_asset_age_years is not None:
        _check_age(rules, asset, today, check)
    return check


def _best_asset(
    rules: OfferRules, candidates: Sequence[AssetFacts], today: dt.date
) -> tuple[AssetFacts | None, _AssetCheck]:
    """The candidate meeting most asset conditions; then most repairs, oldest, lowest id (deterministic)."""
    if not candidates:
        return None, _AssetCheck(failed=_asset_condition_names(rules))
    checks = [(_check_asset(rules, asset, today), asset) for asset in candidates]
    check, asset = min(
        checks,
        key=lambda pair: (
            len(pair[0].failed),
            -pair[0].repairs,
            pair[1].installed_on or dt.date.max,
            pair[1].asset_id,
        ),
    )
    return asset, check


def evaluate(offer: Offer, facts: CustomerFacts, text: str = "") -> Eligibility:
    """Whether `offer` may be made to this customer now, which conditions failed, and why it fits."""
    rules = offer.rules
    failed: list[str] = []
    if rules.tiers and facts.tier not in rules.tiers:
        failed.append("tiers")
    candidates = facts.assets
    if rules.owns:
        candidates = [asset for asset in facts.assets if _starts_with_any(asset.product_model, rules.owns)]
        if not candidates:
            failed.append("owns")
    if rules.not_owns and any(_starts_with_any(asset.product_model, rules.not_owns) for asset in facts.assets):
        failed.append("not_owns")
    matched: AssetFacts | None = None
    reasons: list[Reason] = []
    if rules.owns or _has_asset_conditions(rules):
        matched, check = _best_asset(rules, candidates, facts.today)
        failed.extend(check.failed)
        reasons.extend(check.reasons)
    cues = heard_cues(rules.cue_words, text)
    if rules.required_cue and not cues:
        failed.append("required_cue")
    matched_id = None if matched is None else matched.asset_id
    if failed:
        return Eligibility(False, failed, matched_id, cues, [])
    if rules.owns and matched is not None:
        reasons.append(Reason(OWNS, {"model": matched.product_model}))
    if rules.tiers:
        reasons.append(Reason(TIER, {"tier": facts.tier}))
    if cues:
        reasons.append(Reason(CUE_HEARD, {"cues": cues}))
    if offer.reason_template:
        reasons.insert(0, _custom_reason(offer, reasons))
    return Eligibility(True, [], matched_id, cues, reasons)


def _custom_reason(offer: Offer, reasons: Iterable[Reason]) -> Reason:
    params: dict[str, ParamValue] = {"title": offer.title, "product_model": offer.product_model}
    for reason in reasons:
        params.update(reason.params)
    params["template"] = offer.reason_template or ""
    return Reason(CUSTOM, params)


# --- validation --------------------------------------------------------------------------------------------


def validate_rules(rules: OfferRules) -> list[str]:
    """Problems with `rules`, each "field: message" for the admin; empty when the rules are sound."""
    errors: list[str] = []
    for field, prefixes in (("owns", rules.owns), ("not_owns", rules.not_owns)):
        errors.extend(
            f"{field}[{i}]: a product-model prefix must not be empty" for i, p in enumerate(prefixes) if not p.strip()
        )
    for name, (least, most) in _LIMITS.items():
        value = getattr(rules, name)
        if value is not None and not least <= value <= most:
            errors.append(f"{name}: must be between {least} and {most}, got {value}")
    low, high = rules.min_asset_age_years, rules.max_asset_age_years
    if low is not None and high is not None and low > high:
        errors.append(f"min_asset_age_years: {low} is more than max_asset_age_years ({high})")
    errors.extend(
        f"tiers[{i}]: unknown tier {tier!r}; expected one of {', '.join(TIERS)}"
        for i, tier in enumerate(rules.tiers)
        if tier not in TIERS
    )
    errors.extend(
        f"cue_words[{i}]: a cue word must not be empty"
        for i, w in enumerate(rules.cue_words)
        if not normalize(w).strip()
    )
    if rules.required_cue and not rules.cue_words:
        errors.append("required_cue: needs at least one cue word")
    owned = [p for p in rules.owns if p.strip()]
    if owned and all(_starts_with_any(p, [n for n in rules.not_owns if n.strip()]) for p in owned):
        errors.append("not_owns: excludes every prefix in owns, so no customer could ever qualify")
    return errors


def validate_offer(offer: Offer) -> list[str]:
    """Problems with `offer` and its rules (rule fields prefixed "rules."); empty when it is sound."""
    errors = [
        f"{name}: must not be empty" for name in ("code", "title", "product_model") if not getattr(offer, name).strip()
    ]
    if offer.reason_template is not None:
        if not offer.reason_template.strip():
            errors.append("reason_template: must not be blank; leave it out instead")
        unknown = sorted(placeholders(offer.reason_template) - TEMPLATE_PLACEHOLDERS)
        if unknown:
            errors.append(
                f"reason_template: unknown placeholder {', '.join(f'{{{name}}}' for name in unknown)}; "
                f"use {', '.join(sorted(TEMPLATE_PLACEHOLDERS))}"
            )
    errors.extend(f"rules.{error}" for error in validate_rules(offer.rules))
    return errors
