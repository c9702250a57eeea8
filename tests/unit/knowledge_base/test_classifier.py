"""Ticket classifier: reproducible training, unsure answers, zh-Hans like zh-Hant, save/load, urgency cues.

Trained on a few hundred generated tickets over five classes, so each training takes well under a second.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from knowledge_base import classifier, training_data
from knowledge_base.classifier import Classifier, Example, TrainResult, rule_urgency

SAMPLE = [
    "冷氣不冷，開了一小時還是很熱",
    "我家冷氣一直滴水，地板都濕了",
    "網路三不五時斷線",
    "這個月帳單怎麼多了500元",
    "上次報修的進度怎麼樣了",
    "AC not cooling, please help",
]


def _examples(n: int = 400, classes: int = 5, seed: int = 0) -> list[Example]:
    return training_data.generate(n, classes, seed)


@pytest.fixture(scope="module")
def trained() -> TrainResult:
    return classifier.train(_examples(), seed=0)


def test_same_seed_gives_the_same_metrics_and_predictions(trained: TrainResult) -> None:
    again = classifier.train(_examples(), seed=0)

    assert again.evaluation == trained.evaluation
    assert again.classifier.threshold == trained.classifier.threshold
    assert again.classifier.version == trained.classifier.version
    assert again.classifier.predict_many(SAMPLE) == trained.classifier.predict_many(SAMPLE)


def test_training_reports_held_out_figures(trained: TrainResult) -> None:
    evaluation = trained.evaluation
    assert evaluation is not None
    assert set(evaluation.per_class) == set(trained.classifier.labels) and len(trained.classifier.labels) == 5
    assert sum(score.support for score in evaluation.per_class.values()) == trained.n_holdout
    assert trained.n_train + trained.n_holdout == 400
    assert evaluation.accuracy > 0.8 and 0 < evaluation.macro_f1 <= 1
    assert trained.classifier.meta["metrics"]["evaluation"]["accuracy"] == round(evaluation.accuracy, 4)


def test_prediction_proposes_the_category_with_alternatives(trained: TrainResult) -> None:
    prediction = trained.classifier.predict("我家的冷氣不冷，吹出來都是熱風")

    assert prediction.category == "冷氣不冷"
    assert not prediction.unsure
    assert prediction.alternatives[0] == (prediction.category, prediction.confidence)
    assert len(prediction.alternatives) == 3
    assert prediction.model_version == trained.classifier.version


def test_low_confidence_is_marked_unsure_with_the_best_guess_kept(trained: TrainResult) -> None:
    model = trained.classifier
    gibberish = model.predict("qwxz plmk")

    assert gibberish.unsure and gibberish.confidence < model.threshold
    assert gibberish.category in model.labels
    for prediction in model.predict_many(SAMPLE):
        assert prediction.unsure == (prediction.confidence < model.threshold)

    strict = Classifier(model.nlp, {**model.meta, "threshold": 1.0})
    assert all(p.unsure for p in strict.predict_many(SAMPLE))


def test_simplified_and_full_width_text_is_classified_like_traditional(trained: TrainResult) -> None:
    model = trained.classifier
    pairs = [
        ("我家的冷氣一直漏水", "我家的冷气一直漏水"),
        ("網路一直斷線，家裡有老人", "网络一直断线，家里有老人"),
        ("帳單上多收了一筆", "帐单上多收了一笔"),
        ("ac not cooling", "ＡＣ　ＮＯＴ　ｃｏｏｌｉｎｇ"),
    ]
    for traditional, other in pairs:
        assert model.predict(other) == model.predict(traditional)


def test_save_and_load_give_identical_predictions(trained: TrainResult, tmp_path: Path) -> None:
    trained.classifier.save(tmp_path / "model")
    loaded = Classifier.load(tmp_path / "model")
    texts = [e.text for e in _examples(200, 5, seed=7)] + SAMPLE

    assert loaded.meta == trained.classifier.meta
    assert loaded.predict_many(texts) == trained.classifier.predict_many(texts)


def test_load_refuses_another_normalisation(trained: TrainResult, tmp_path: Path) -> None:
    trained.classifier.save(tmp_path)
    meta = (tmp_path / "classifier.json").read_text(encoding="utf-8")
    (tmp_path / "classifier.json").write_text(meta.replace(classifier.NORMALISATION, "other/9"), encoding="utf-8")

    with pytest.raises(ValueError, match="normalisation"):
        Classifier.load(tmp_path)


@pytest.mark.parametrize("text", ["", "   ", "？！。", "..."])
def test_text_without_words_is_unsure_without_a_category(trained: TrainResult, text: str) -> None:
    prediction = trained.classifier.predict(text)

    assert prediction.category is None and prediction.unsure
    assert prediction.confidence == 0.0 and prediction.alternatives == []
    assert prediction.urgency == "normal"


@pytest.mark.parametrize(
    ("text", "level", "cue"),
    [
        ("熱水器冒煙了", "urgent", "冒煙"),
        ("插座有火花，好像漏電", "urgent", "火花"),
        ("冷气漏水，家里有老人", "high", "漏水"),  # zh-Hans cues are found after conversion
        ("再不處理我要找消保官", "high", "消保官"),
        ("The AC is leaking, URGENT", "high", "urgent"),
        ("There is smoke coming out of the dryer", "urgent", "smoke"),
        ("不急，有空再來就好", "low", "不急"),
    ],
)
def test_urgency_cues_are_detected(text: str, level: str, cue: str) -> None:
    found_level, cues = rule_urgency(text)

    assert found_level == level
    assert cue in cues


@pytest.mark.parametrize("text", ["熱水器點不著火", "今天早上網路很慢", "沒有冒煙，只是有點吵", "it is not urgent"])
def test_words_that_only_look_urgent_are_not(text: str) -> None:
    assert rule_urgency(text)[0] in ("normal", "low")


def test_danger_cue_makes_a_modelled_urgency_urgent(trained: TrainResult) -> None:
    assert trained.classifier.meta["urgency_source"] == "model"

    prediction = trained.classifier.predict("冷氣不冷，而且室內機在冒煙")

    assert prediction.urgency == "urgent" and "冒煙" in prediction.urgency_cues


def test_without_urgency_labels_the_rules_decide() -> None:
    result = classifier.train([Example(e.text, e.category) for e in _examples()], seed=0)

    assert result.classifier.meta["urgency_source"] == "rules"
    assert result.classifier.predict("網路斷線了，家裡有小孩要上網課").urgency == "high"


def test_classes_with_too_few_examples_are_reported_not_learned() -> None:
    rare = [Example(f"門市的停車場在哪裡{i}", "停車問題") for i in range(3)]

    result = classifier.train([*_examples(), *rare], seed=0)

    assert result.not_learned == {"停車問題": 3}
    assert "停車問題" not in result.classifier.labels
    assert result.classifier.predict("門市的停車場在哪裡").category != "停車問題"
    assert result.classifier.meta["metrics"]["not_learned"] == {"停車問題": 3}


def test_too_few_learnable_classes_is_an_error() -> None:
    with pytest.raises(ValueError, match="two categories"):
        classifier.train([Example("冷氣不冷", "冷氣不冷")] * 30, seed=0)


def test_training_without_holdout_uses_the_default_threshold() -> None:
    config = dataclasses.replace(classifier.TrainingConfig(), epochs=2)

    result = classifier.train(_examples(), seed=0, holdout=0.0, config=config)

    assert result.evaluation is None and result.n_holdout == 0
    assert result.classifier.threshold == config.default_threshold


def test_generated_tickets_are_deterministic_and_imbalanced() -> None:
    first = training_data.generate(3000, 60, seed=3)

    assert first == training_data.generate(3000, 60, seed=3)
    sizes = Counter(e.category for e in first).most_common()
    assert len(sizes) == 60
    assert sizes[0][1] > 10 * sizes[-1][1]  # Zipf: a head of hundreds, a tail of tens
    assert all(e.urgency in classifier.URGENCY_LEVELS for e in first)
