"""Translated messages: `.po` catalogs compiled in memory with Babel (no build step, no `.mo` in the
repository), one file per area of the product merged into one catalog per locale.

The app's own catalog (`contact_center/translations`) holds the error messages, so a Taiwanese agent
or customer reads 「此案件已結案，請另開新案件」 where a script reads the English. The pages'
catalogs (`agent_ui/translations`) are read with the same function.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from contact_center.errors import DomainError

_ERRORS = Path(__file__).parent / "translations"
_FIELD_PARAMS = ("field", "tablename")
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
    translations = catalog(_ERRORS, locale)
    translated = translations.gettext(error.template)
    if translated == error.template:
        return error.message
    if not error.params:
        return translated
    # An API field's name filled into the message ("kind", "customer_id") is said in words too.
    params = {key: translations.pgettext("field", value) if key in _FIELD_PARAMS and isinstance(value, str) else value
              for key, value in error.params.items()}  # fmt: skip
    return translated.format(**params)


def translate(text: str, locale: str | None) -> str:
    """A fixed message (the framework's refusals: "your role may not do this", ...) in `locale`."""
    return catalog(_ERRORS, locale).gettext(text) if locale == "zh-Hant" else text


# The request decoder's (msgspec's) complaints about a field, in words an agent reads.
_TYPES = {"int": "整數", "float": "數字", "str": "文字", "bool": "是或否", "array": "清單", "object": "物件",
          "null": "空值", "datetime": "日期時間（ISO 8601）", "date": "日期（YYYY-MM-DD）"}  # fmt: skip
_MISSING = re.compile(r"Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"Object contains unknown field `([^`]+)`")
_TYPE = re.compile(r"Expected `([^`]+)`, got `([^`]+)`")
_ENUM = re.compile(r"Invalid enum value (.+)")


def _decoder_text(text: str) -> str:
    if found := _MISSING.search(text):
        return f"缺少必填欄位 {found[1]}"
    if found := _UNKNOWN.search(text):
        return f"不認得的欄位 {found[1]}"
    if found := _TYPE.search(text):
        return f"應為{_TYPES.get(found[1], found[1])}，收到{_TYPES.get(found[2], found[2])}"
    if found := _ENUM.search(text):
        return f"不接受的值 {found[1]}"
    return text


def request_problems(problems: list[dict[str, object]]) -> str:
    """The request decoder's list of problems (`{"message", "key", "source"}`) as one zh-Hant sentence;
    a complaint it does not know stays as the decoder wrote it."""
    said = []
    for problem in problems:
        text = _decoder_text(str(problem.get("message", "")))
        key = problem.get("key")
        said.append(f"{key}：{text}" if key and key != "data" else text)
    return "送出的資料有誤：" + "；".join(said)


def wanted_locale(cookie: str | None, accept_language: str | None) -> str | None:
    """zh-Hant when the caller asks for it (the pages' language cookie, or a browser preferring Chinese);
    None otherwise: API clients that state no language get the English messages they are written in."""
    if cookie in ("zh-Hant", "en"):
        return cookie
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "zh-Hant" if first.startswith("zh") else None
