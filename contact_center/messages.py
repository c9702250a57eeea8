"""Translated messages: `.po` catalogs compiled in memory with Babel (no build step, no `.mo` in the
repository), one file per area of the product merged into one catalog per locale.

The app's own catalog (`contact_center/translations`) holds the error messages, so a Taiwanese agent
or customer reads 「此案件已結案，請另開新案件」 where a script reads the English. The pages'
catalogs (`agent_ui/translations`) are read with the same function.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from contact_center.errors import DomainError

_ERRORS = Path(__file__).parent / "translations"
LANG_COOKIE = "cc_lang"  # the language a user picked on the pages: "zh-Hant" or "en"


@lru_cache(maxsize=16)
def catalog(directory: Path, locale: str) -> Translations:
    """Every `.po` file of the locale under `directory` (messages.po, portal.po, ...) as one catalog."""
    merged: Translations | None = None
    for path in sorted((directory / locale.replace("-", "_") / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            parsed = read_po(po, locale=locale.replace("-", "_"))
        buffer = io.BytesIO()
        write_mo(buffer, parsed)
        buffer.seek(0)
        part = Translations(buffer)
        merged = part if merged is None else merged.merge(part)
    if merged is None:
        raise FileNotFoundError(f"no translations for {locale} in {directory}")
    return merged


def error_message(error: DomainError, locale: str | None) -> str:
    """The error's message in `locale` (zh-Hant), or as raised (English) when there is no translation."""
    if locale != "zh-Hant":
        return error.message
    translated = catalog(_ERRORS, locale).gettext(error.template)
    if translated == error.template:
        return error.message
    return translated.format(**error.params) if error.params else translated


def wanted_locale(cookie: str | None, accept_language: str | None) -> str | None:
    """zh-Hant when the caller asks for it (the pages' language cookie, or a browser preferring Chinese);
    None otherwise: API clients that state no language get the English messages they are written in."""
    if cookie in ("zh-Hant", "en"):
        return cookie
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "zh-Hant" if first.startswith("zh") else None
