"""Phone numbers as Taiwanese customers and old systems write them, normalised to E.164.

Caller-ID matching compares E.164 strings, so every stored number and every incoming
caller number goes through `to_e164`. phonenumbers does the parsing; this module only adds
what real data needs on top: extensions written as 轉/分機/#/ext, full-width digits and the
common-but-wrong `00886` international prefix (Taiwan's is 002).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "TW"

_EXTENSION = re.compile(r"\s*(?:#|轉|分機|ext\.?|x)\s*\d+\s*$", re.IGNORECASE)
_WRONG_TW_PREFIX = re.compile(r"^\s*00\s*886")


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = _EXTENSION.sub("", text)
    return _WRONG_TW_PREFIX.sub("+886", text)


def to_e164(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of a phone number, or None when it is not a valid number."""
    if not raw:
        return None
    text = _clean(raw)
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) and not text.startswith("+"):
        # "886912345678" has lost its "+": try it as an international number before giving up.
        try:
            number = phonenumbers.parse("+" + text.lstrip("0"), region)
        except phonenumbers.NumberParseException:
            return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=65536)  # the same numbers are shown again and again on the desktops
def display(e164: str, region: str = DEFAULT_REGION) -> str:
    """A number as people of `region` write it: 0912 345 678, 02 2345 6789, +1 202-555-0143."""
    number = phonenumbers.parse(e164, region)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
