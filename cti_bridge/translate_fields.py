"""Reading AMI headers for `cti_bridge.translate`: channel names → extensions, tolerant numbers, flags.

Every reader here takes whatever a peer sent (missing keys, non-string values, garbage) and answers
`None` rather than raising; only `require` raises, with `Missing`, which the tracker counts as a skip.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = [
    "Missing",
    "cid",
    "extension_of",
    "flag",
    "integer",
    "originate_reason",
    "require",
    "seconds",
    "text",
    "timestamp",
]

# tech "/" resource ["@" context-or-endpoint] ["-" channel counter] [";1" | ";2"] ["/" options]
# The counter is hex (PJSIP, SIP) or decimal (IAX2) and must hold a digit, so "PJSIP/office-cafe" keeps its name.
_CHANNEL = re.compile(
    r"(?P<tech>[A-Za-z][A-Za-z0-9_]*)/"
    r"(?P<resource>[A-Za-z0-9_.+*#-]+?)"
    r"(?:@[^/;\s]*)?"
    r"(?:-(?=[0-9A-Fa-f]*[0-9])[0-9A-Fa-f]+)?"
    r"(?:;[12])?"
    r"(?:/\S*)?"
)
_MAX_CHANNEL_CHARS = 256
_UNKNOWN_CALLER_ID = frozenset({"<unknown>", "unknown", "anonymous", "<anonymous>"})
_ORIGINATE_REASONS = {
    "0": "no such extension or number",
    "1": "no answer",
    "3": "no answer",
    "4": "answered",
    "5": "busy",
    "8": "congested or not available",
}


class Missing(Exception):
    """A header this event cannot be translated without."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def extension_of(channel_or_interface: str | None) -> str | None:
    """The endpoint/extension in a channel name, member interface or dial string; None if there is none.

    "PJSIP/1001-00000001" → "1001", "Local/1001@agents-00000001;1" → "1001", "PJSIP/trunk-00000000" → "trunk",
    "PJSIP/1001" → "1001", "PJSIP/0912345678@trunk" → "0912345678".
    """
    if not isinstance(channel_or_interface, str) or len(channel_or_interface) > _MAX_CHANNEL_CHARS:
        return None
    match = _CHANNEL.fullmatch(channel_or_interface.strip())
    return match.group("resource") if match else None


def text(message: Mapping[str, str], key: str) -> str | None:
    """The stripped header value, or None when absent, empty or not a string."""
    value = message.get(key)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def cid(message: Mapping[str, str], key: str) -> str | None:
    """A caller-ID header; Asterisk's placeholders for "no caller ID" read as None."""
    value = text(message, key)
    return None if value is None or value.lower() in _UNKNOWN_CALLER_ID else value


def require(message: Mapping[str, str], *keys: str) -> str:
    """The first present header among `keys`; raises Missing(keys[0]) when none is."""
    for key in keys:
        value = text(message, key)
        if value is not None:
            return value
    raise Missing(keys[0])


def _number(message: Mapping[str, str], key: str) -> float | None:
    value = text(message, key)
    if value is None or len(value) > 32:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def integer(message: Mapping[str, str], key: str) -> int | None:
    number = _number(message, key)
    return int(number) if number is not None and abs(number) < 2**53 else None


def seconds(message: Mapping[str, str], key: str, scale: float = 1.0) -> float | None:
    """A non-negative duration header divided by `scale` (1000 for milliseconds)."""
    number = _number(message, key)
    return None if number is None or number < 0 else number / scale


def timestamp(message: Mapping[str, str]) -> tuple[float, str] | None:
    """`Timestamp: <epoch.usec>` as (seconds, the header text), or None when absent or unusable."""
    number = _number(message, "Timestamp")
    if number is None or number <= 0:
        return None
    return number, text(message, "Timestamp") or ""


def flag(message: Mapping[str, str], key: str) -> bool | None:
    """ "1"/"0" (and yes/no, true/false) → bool; anything else → None."""
    value = text(message, key)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("1", "yes", "true", "on"):
        return True
    if lowered in ("0", "no", "false", "off"):
        return False
    return None


def originate_reason(code: str | None) -> str | None:
    """OriginateResponse `Reason` (an AST_CONTROL code) in words; an unknown code is passed through."""
    if code is None:
        return None
    return _ORIGINATE_REASONS.get(code, code)
