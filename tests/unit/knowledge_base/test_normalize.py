"""Normalisation: one written form for what agents, customers and article authors type."""

from __future__ import annotations

import pytest

from knowledge_base.normalize import fold_width, has_cjk, normalize, normalize_aligned, to_traditional


def test_full_width_letters_digits_and_spaces_become_half_width() -> None:
    assert fold_width("ＷｉＦｉ　Ｅ５") == "WiFi E5"
    assert normalize("ＷｉＦｉ　Ｅ５　ｅｒｒｏｒ") == "wifi e5 error"


def test_cjk_punctuation_is_a_word_boundary_not_a_rewrite() -> None:
    # NFKC would turn "…" into "..." and change lengths; we only unify punctuation to spaces.
    assert normalize("冷氣，不冷！！「急」…") == "冷氣 不冷 急"
    assert normalize("7-11 繳費/帳單") == "7 11 繳費 帳單"


def test_simplified_becomes_traditional_with_taiwan_phrasing() -> None:
    assert to_traditional("我的空调又坏了，软件、鼠标、网络") == "我的空調又壞了，軟體、滑鼠、網路"
    assert normalize("空调不制冷") == normalize("空調不製冷")


def test_traditional_and_latin_text_pass_through() -> None:
    assert normalize("冷氣漏水") == "冷氣漏水"
    assert to_traditional("router") == "router"


@pytest.mark.parametrize("text", ["我的U盘坏了", "İstanbul ﬁle", "ＡＢＣ，空调。", "笔记本电脑", "\n冷氣\t不冷 "])
def test_aligned_form_keeps_every_offset(text: str) -> None:
    aligned = normalize_aligned(text)
    assert len(aligned) == len(text)


def test_has_cjk() -> None:
    assert has_cjk("router 壞了")
    assert not has_cjk("router broken")
