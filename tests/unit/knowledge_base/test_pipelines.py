"""spaCy pipelines and the mixed zh/en tokeniser."""

from __future__ import annotations

from knowledge_base import pipelines
from knowledge_base.normalize import normalize_aligned


def test_mixed_chinese_and_english_are_cut_into_words() -> None:
    words = [t.text for t in pipelines.tokenize(normalize_aligned("冷氣 E5 error 一直閃"))]
    assert words[:3] == ["冷氣", "e5", "error"]
    assert "".join(words[3:]) == "一直閃"  # one word or two, depending on the domain words registered


def test_offsets_point_into_the_original_text() -> None:
    original = "我家ＷｉＦｉ一直斷線"
    for token in pipelines.tokenize(normalize_aligned(original)):
        assert normalize_aligned(original[token.start : token.end]) == token.text


def test_english_words_get_lookup_lemmas() -> None:
    lemmas = [t.lemma for t in pipelines.tokenize("the washing machines were leaking")]
    assert lemmas == ["the", "wash", "machine", "be", "leak"]
    # The same lemma for an English word inside Chinese text.
    assert "leak" in [t.lemma for t in pipelines.tokenize("冰箱 leaking 了")]


def test_registered_domain_words_stay_whole() -> None:
    pipelines.register_words(["小烏龜"])
    assert "小烏龜" in [t.text for t in pipelines.tokenize("小烏龜亮紅燈")]


def test_pipelines_are_built_once() -> None:
    assert pipelines.chinese() is pipelines.chinese()
    assert pipelines.english() is pipelines.english()
    assert "lemmatizer" in pipelines.english().pipe_names


def test_character_ngrams() -> None:
    assert pipelines.char_ngrams("冷氣機", unigrams=False) == ["冷氣", "氣機"]
    assert pipelines.char_ngrams("冷氣", unigrams=True) == ["冷", "氣", "冷氣"]
    assert pipelines.char_ngrams("wifi") == ["#wi", "wif", "ifi", "fi#"]


def test_stop_words_keep_negations() -> None:
    stop = pipelines.stop_words()
    assert {"the", "的", "嗎"} <= stop
    assert not {"not", "off", "no", "不"} & stop
