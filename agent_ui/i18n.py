"""Translations for the pages (zh-Hant first, English too).

Catalogs are `.po` files compiled in memory at start-up with Babel, so there is no build step
and no compiled `.mo` in the repository. The locale of the current request lives in a context
variable that the Jinja gettext callables read.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from babel.support import Translations

from contact_center import messages

LOCALES = ("zh-Hant", "en")
DEFAULT_LOCALE = "zh-Hant"
_DIRECTORY = Path(__file__).parent / "translations"
_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


def translations(locale: str) -> Translations:
    """Every `.po` file of the locale (messages.po, portal.po, ...) as one catalog: one file per area
    of the product keeps them short and lets people edit different areas at once."""
    return messages.catalog(_DIRECTORY, locale)


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def current_locale() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's choice, else the browser's first supported language, else zh-Hant."""
    if cookie in LOCALES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh-Hant"
    return DEFAULT_LOCALE
