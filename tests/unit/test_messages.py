"""Error messages in zh-Hant: every message the app raises is translated, with the same placeholders,
and the caller's language decides which one it reads."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from contact_center import messages
from contact_center.errors import Conflict, NotFound, ValidationFailed

SOURCE = Path(__file__).resolve().parents[2] / "contact_center"
ERRORS = {"ValidationFailed", "Conflict", "NotFound", "PermissionDenied", "NotAuthenticated", "DomainError"}


def _raised_templates() -> dict[str, str]:
    """The literal first argument of every error built in the app's code, with where it is."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found[first.value] = f"{path.relative_to(SOURCE)}:{node.lineno}"
    return found


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_no_error_is_built_from_an_f_string() -> None:
    """An f-string bakes its values into the text, and the catalog cannot find it any more."""
    offenders = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS
                    and node.args and isinstance(node.args[0], ast.JoinedStr)):  # fmt: skip
                offenders.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert offenders == []


def test_every_raised_message_is_translated_with_the_same_placeholders() -> None:
    templates = _raised_templates()
    assert len(templates) > 100  # the scan itself works
    catalog = messages.catalog(SOURCE / "translations", "zh-Hant")
    untranslated = sorted(f"{where}: {t}" for t, where in templates.items() if catalog.gettext(t) == t)
    assert untranslated == []
    mismatched = sorted(t for t in templates if _names(catalog.gettext(t)) != _names(t))
    assert mismatched == []


def test_a_message_is_translated_with_its_values() -> None:
    error = ValidationFailed("kind must be one of {choices}", choices="repair, complaint")
    assert error.message == "kind must be one of repair, complaint"  # as raised, for logs and scripts
    assert messages.error_message(error, "zh-Hant") == "類型必須是下列之一：repair, complaint"
    assert messages.error_message(error, "en") == error.message
    assert messages.error_message(error, None) == error.message
    closed = Conflict("this ticket is closed: please open a new one")
    assert messages.error_message(closed, "zh-Hant") == "此案件已結案，請另開新案件"


def test_a_message_without_a_translation_stays_english() -> None:
    error = NotFound("something new {thing}", thing=7)
    assert messages.error_message(error, "zh-Hant") == "something new 7"


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        (None, None, None),  # a script: English
        (None, "zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
        (None, "en-US,en;q=0.9,zh-TW;q=0.8", None),
        ("en", "zh-TW", "en"),  # the language picked on the pages wins
        ("zh-Hant", "en-US", "zh-Hant"),
        ("klingon", "zh-HK", "zh-Hant"),
    ],
)
def test_the_callers_language(cookie: str | None, accept_language: str | None, expected: str | None) -> None:
    assert messages.wanted_locale(cookie, accept_language) == expected


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("body: 1-{max_body} characters", "body"),
        ("kind must be one of {choices}", "kind"),
        ("external_id cannot change (other systems refer to it)", "external_id"),
        ("a ticket cannot be linked to itself", None),
        ("no ticket {ticket_id}", None),
    ],
)
def test_the_field_a_message_is_about_survives_translation(message: str, field: str | None) -> None:
    """Forms mark the field from `field`, since a translated message no longer starts with its name."""
    assert ValidationFailed(message, max_body=10, choices="a, b", ticket_id=1).field == field


def test_the_framework_refusals_are_translated() -> None:
    for text in ("sign in or send a bearer token", "your role may not do this",
                 "only supervisors change another agent's presence",
                 "the change conflicts with existing data (duplicate or missing reference)"):  # fmt: skip
        assert messages.translate(text, "zh-Hant") != text
        assert messages.translate(text, None) == text
    assert messages.translate("Not Found", "zh-Hant") == "Not Found"  # unknown: as it is


def test_the_request_decoders_complaints_in_words_an_agent_reads() -> None:
    said = messages.request_problems([
        {"message": "Object missing required field `subject`", "key": "data", "source": "body"},
        {"message": "Expected `int`, got `str`", "key": "limit", "source": "query"},
        {"message": "Object contains unknown field `colour`", "key": "data", "source": "body"},
        {"message": "Something msgspec says one day", "key": "x", "source": "body"},
    ])  # fmt: skip
    assert said == ("送出的資料有誤：缺少必填欄位 subject；limit：應為整數，收到文字；不認得的欄位 colour；"
                    "x：Something msgspec says one day")  # fmt: skip


def test_a_field_named_in_a_message_is_said_in_words() -> None:
    unknown_customer = ValidationFailed("{field} {obj_id} does not exist", field="customer_id", obj_id=5)
    assert messages.error_message(unknown_customer, "zh-Hant") == "客戶 5 不存在"
    assert messages.error_message(unknown_customer, None) == "customer_id 5 does not exist"
    odd = ValidationFailed("{field} must be one of {choices}", field="flavour", choices="a, b")
    assert messages.error_message(odd, "zh-Hant") == "flavour 必須是下列之一：a, b"  # no word for it: as it is
