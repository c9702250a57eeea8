"""Pages never show a stored code: every value of every vocabulary the domain defines has an English label
and its zh-Hant translation."""

from __future__ import annotations

import pytest

from agent_ui import i18n
from agent_ui.labels import LABELS, label
from contact_center.models import Role
from contact_center.routing.service import PRESENCES
from contact_center.tasks.service import OUTCOMES
from contact_center.tickets.service import LINK_KINDS
from contact_center.tickets.views import TIERS, VIEWS
from contact_center.tickets.workflow import CHANNELS, KINDS, PRIORITIES, STATUSES
from tests.unit.agent_ui.test_translations import _catalog

VOCABULARIES = {
    "status": STATUSES, "kind": KINDS, "priority": PRIORITIES, "channel": CHANNELS, "tier": TIERS,
    "role": tuple(r.value for r in Role), "presence": PRESENCES, "outcome": OUTCOMES, "link": LINK_KINDS,
    "view": VIEWS, "warranty": ("in_warranty", "expiring", "expired", "unknown"),
    "call_state": ("offered", "ringing", "answered", "ended", "abandoned"),
}  # fmt: skip
SAME_IN_BOTH = {"VIP", "LINE"}


@pytest.mark.parametrize("group", sorted(VOCABULARIES))
def test_every_code_has_a_label(group: str) -> None:
    missing = [code for code in VOCABULARIES[group] if code not in LABELS[group]]
    assert missing == []


def test_every_label_is_translated() -> None:
    catalog = _catalog("zh_Hant")
    labels = {text for codes in LABELS.values() for text in codes.values()}
    untranslated = sorted(t for t in labels if not catalog.get(t) or (catalog[t] == t and t not in SAME_IN_BOTH))
    assert untranslated == []


def test_labels_follow_the_language() -> None:
    i18n.set_locale("en")
    assert label("status", "on_hold") == "On hold" and label("warranty", "in_warranty") == "In warranty"
    i18n.set_locale("zh-Hant")
    assert label("status", "on_hold") == "暫停" and label("kind", "repair") == "維修"
    assert label("status", "some_code_from_an_import") == "some_code_from_an_import"  # shown, never an error
