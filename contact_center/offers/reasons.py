"""Why an offer fits: reasons as codes with params, and their reference rendering in zh-Hant and English.

Reasons travel as codes so that every screen can translate them and a stored recommendation keeps its
meaning when the wording changes; `describe` is the wording the agent screen starts from. The params of
each code are listed next to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, TypeAlias

import msgspec

__all__ = [
    "ABNORMAL_REPAIRS",
    "ASSET_AGE",
    "CO_OWNED",
    "CUE_HEARD",
    "CUSTOM",
    "OWNS",
    "RECENT_REPAIRS",
    "REPEAT_REPAIRS",
    "TEMPLATE_PLACEHOLDERS",
    "TIER",
    "TOTAL_REPAIRS",
    "WARRANTY_ENDED",
    "WARRANTY_ENDING",
    "ParamValue",
    "Reason",
    "describe",
    "placeholders",
]

# Reason codes: the UI translates these; `describe` is the reference rendering.
REPEAT_REPAIRS: Final = "repeat_repairs"  # repeats, months (first to last repair in the window), count, window_months
RECENT_REPAIRS: Final = "recent_repairs"  # count, window_months (a single repair in the window)
TOTAL_REPAIRS: Final = "total_repairs"  # count (rules without a window)
WARRANTY_ENDING: Final = "warranty_ending"  # days (left, 0 = today), date
WARRANTY_ENDED: Final = "warranty_ended"  # days (ago), date
ASSET_AGE: Final = "asset_age"  # years, model
ABNORMAL_REPAIRS: Final = "abnormal_repairs"  # count (the unit's repairs), expected (for its model and age)
OWNS: Final = "owns"  # model
TIER: Final = "tier"  # tier
CUE_HEARD: Final = "cue_heard"  # cues (the configured words heard)
CO_OWNED: Final = "co_owned"  # family, target, lift: added by the recommender
CUSTOM: Final = "custom"  # template + every other reason's params, title, product_model

TEMPLATE_PLACEHOLDERS: Final = frozenset(
    [
        *("title", "product_model", "model", "tier", "cues"),
        *("days", "date", "years", "repeats", "months", "count", "window_months", "expected"),
    ]
)
"""Names an offer's `reason_template` may use as {name}; one whose value is missing stays as written."""

ParamValue: TypeAlias = str | int | float | list[str]


class Reason(msgspec.Struct, frozen=True):
    """Why an offer fits, as a code and its params; `describe` renders it."""

    code: str
    params: dict[str, ParamValue] = {}


_PLACEHOLDER: Final = re.compile(r"\{(\w*)\}")


def placeholders(template: str) -> set[str]:
    """The {name} placeholders used in a template."""
    return set(_PLACEHOLDER.findall(template))


_ZH: Final[Mapping[str, str]] = {
    REPEAT_REPAIRS: "上次維修後 {months} 個月內又報修 {repeats} 次，建議換新機",
    RECENT_REPAIRS: "近 {window_months} 個月內報修 {count} 次",
    TOTAL_REPAIRS: "累計報修 {count} 次",
    WARRANTY_ENDING: "保固將於 {days} 天後到期，建議加購延長保固",
    WARRANTY_ENDED: "保固已於 {days} 天前到期，建議加購延長保固",
    ASSET_AGE: "機齡 {years} 年，能源效率較新機差",
    ABNORMAL_REPAIRS: "此機台報修頻率異常（同型號同機齡預期 {expected} 次，實際 {count} 次），建議以舊換新",
    OWNS: "已擁有 {model}",
    TIER: "{tier}客戶專屬",
    CUE_HEARD: "客戶提到{cues}",
    CO_OWNED: "擁有 {family} 的客戶，同時擁有 {target} 的比例是平均的 {lift} 倍",
}
_EN: Final[Mapping[str, str]] = {
    REPEAT_REPAIRS: "Repaired {repeats} within {months} after the last repair: suggest a replacement",
    RECENT_REPAIRS: "Repaired {count} in the last {window_months}",
    TOTAL_REPAIRS: "Repaired {count} in all",
    WARRANTY_ENDING: "Warranty ends in {days}: suggest an extended warranty",
    WARRANTY_ENDED: "Warranty ended {days} ago: suggest an extended warranty",
    ASSET_AGE: "Unit is {years} old: less energy-efficient than a new model",
    ABNORMAL_REPAIRS: "This unit is repaired abnormally often ({count}; {expected} expected for its model and age): "
    "suggest a trade-in replacement",
    OWNS: "Owns {model}",
    TIER: "For {tier} customers",
    CUE_HEARD: "Customer mentioned {cues}",
    CO_OWNED: "Customers who own {family} are {lift}× as likely to own {target}",
}
_ENDS_TODAY: Final = {"zh": "保固今天到期，建議加購延長保固", "en": "Warranty ends today: suggest an extended warranty"}
_TIER_NAMES: Final = {
    "zh": {"vip": "VIP", "gold": "金卡", "standard": "一般", "basic": "基本"},
    "en": {"vip": "VIP", "gold": "Gold", "standard": "Standard", "basic": "Basic"},
}
_EN_UNITS: Final = {
    "repeats": "time",
    "count": "time",
    "months": "month",
    "window_months": "month",
    "days": "day",
    "years": "year",
}


def _render(key: str, value: ParamValue, lang: str, units: bool) -> str:
    if isinstance(value, list):
        return "".join(f"「{v}」" for v in value) if lang == "zh" else ", ".join(f"“{v}”" for v in value)
    if isinstance(value, float):
        return f"{value:.1f}"
    if key == "tier":
        return _TIER_NAMES[lang].get(str(value), str(value))
    if units and lang == "en" and isinstance(value, int) and key in _EN_UNITS:
        return f"{value} {_EN_UNITS[key]}{'' if value == 1 else 's'}"
    return str(value)


def _fill(template: str, values: Mapping[str, str]) -> str:
    # A regex rather than str.format: admin templates must not reach attributes ("{0.__class__}").
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def describe(reason: Reason, lang: str = "zh-Hant") -> str:
    """The reason as one sentence: Traditional Chinese for any "zh*" language, English otherwise.

    A custom reason is the admin's template, filled in, in whatever language the admin wrote it.
    """
    short = "zh" if lang.lower().startswith("zh") else "en"
    # An admin's template brings its own units ("剩 {days} 天"), so its numbers stay bare.
    units = reason.code != CUSTOM
    values = {key: _render(key, value, short, units) for key, value in reason.params.items() if key != "template"}
    if reason.code == CUSTOM:
        return _fill(str(reason.params.get("template", "")), values)
    if reason.code == WARRANTY_ENDING and reason.params.get("days") == 0:
        return _ENDS_TODAY[short]
    template = (_ZH if short == "zh" else _EN).get(reason.code)
    if template is None:
        return " ".join([reason.code, *(f"{key}={value}" for key, value in values.items())])
    return _fill(template, values)
