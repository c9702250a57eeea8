"""Every text the pages show has its zh-Hant translation: the strings the scripts receive and the
`_("...")` calls in the templates. A missing one would show English to a Taiwanese agent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from agent_ui.admin_pages import ADMIN_JS_STRINGS
from agent_ui.pages import JS_STRINGS
from agent_ui.portal_pages import PORTAL_JS_STRINGS
from agent_ui.qa_pages import QA_JS_STRINGS

ROOT = Path(__file__).resolve().parents[3] / "agent_ui"
# A template call with a plain literal: _("…") or _('…'), possibly with %-parameters after it.
TEMPLATE_CALL = re.compile(r"""\b(?:_|ngettext)\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _catalog(locale: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((ROOT / "translations" / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            for message in read_po(po, locale=locale):
                if message.id and isinstance(message.id, str):
                    found[message.id] = str(message.string or "")
                elif message.id:  # a plural: (singular, plural) → its first form
                    found[message.id[0]] = str((message.string or ("",))[0])
    return found


def _template_texts() -> set[str]:
    texts = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for double, single in TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")):
            texts.add(double or single)
    return texts


def test_the_template_scan_finds_texts() -> None:
    """Guards the test itself: a broken pattern would find nothing and pass."""
    texts = _template_texts()
    assert len(texts) > 100 and "Search" in texts


@pytest.mark.parametrize("strings", [JS_STRINGS, ADMIN_JS_STRINGS, PORTAL_JS_STRINGS, QA_JS_STRINGS],
                         ids=["desk", "admin", "portal", "qa"])  # fmt: skip
def test_every_script_text_is_translated(strings: dict[str, str]) -> None:
    catalog = _catalog("zh_Hant")
    missing = sorted(text for text in strings.values() if not catalog.get(text))
    assert missing == []


def test_every_template_text_is_translated() -> None:
    catalog = _catalog("zh_Hant")
    missing = sorted(text for text in _template_texts() if not catalog.get(text))
    assert missing == []
