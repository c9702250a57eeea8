"""The domain synonym list and its canonical forms."""

from __future__ import annotations

from collections import Counter

from knowledge_base.synonyms import DEFAULT_GROUPS, Synonyms


def test_default_list_is_large_and_each_term_belongs_to_one_group() -> None:
    assert len(DEFAULT_GROUPS) >= 40
    synonyms = Synonyms.default()
    assert len(synonyms.groups) == len(DEFAULT_GROUPS)  # nothing merged by accident
    counts = Counter(term for group in synonyms.groups for term in group)
    assert [term for term, n in counts.items() if n > 1] == []


def test_members_map_to_the_first_term_of_their_group() -> None:
    synonyms = Synonyms.default()
    assert synonyms.canonical("空調") == "冷氣"
    assert synonyms.canonical("Air Conditioners") == "冷氣"  # lemma and case
    assert synonyms.canonical("空调") == "冷氣"  # Simplified
    assert synonyms.canonical("收據") == "發票"
    assert synonyms.canonical("wi-fi") == "網路"
    assert synonyms.canonical("電梯") == "電梯"
    assert synonyms.canonical("Elevators") == "elevator"


def test_longest_phrase_wins() -> None:
    synonyms = Synonyms.default()
    assert synonyms.canonical("reset password") == "密碼"
    assert synonyms.canonical("reset") == "重開機"
    lemmas = [t.lemma for t in synonyms.tokenize("my washing machine won t turn on")]
    assert lemmas == ["my", "洗衣機", "開不了機"]


def test_admin_groups_extend_and_merge_with_the_defaults() -> None:
    synonyms = Synonyms.from_groups([*DEFAULT_GROUPS, ["冷氣", "冷房機"], ["除濕機", "除溼機", "dehumidifier"]])
    assert synonyms.canonical("冷房機") == "冷氣"
    assert synonyms.canonical("dehumidifier") == "除濕機"
    assert len(synonyms.groups) == len(DEFAULT_GROUPS) + 1


def test_admin_group_joining_two_groups_merges_them() -> None:
    synonyms = Synonyms.from_groups([["a1", "a2"], ["b1", "b2"], ["a2", "b2", "c"]])
    assert synonyms.groups == (("a1", "a2", "b1", "b2", "c"),)
    assert synonyms.canonical("b1") == "a1"


def test_empty_terms_are_ignored() -> None:
    assert Synonyms.from_groups([["", "  ", "，"], ["退貨", ""]]).groups == (("退貨",),)
