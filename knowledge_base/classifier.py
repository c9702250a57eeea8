"""Ticket classifier: proposes a category (with a confidence, or "unsure") and an urgency for a ticket or call note.

spaCy `textcat` components (exclusive classes) trained in process on the company's own labelled tickets; nothing
pretrained is needed or downloaded. Choices, measured with bench/classifier.py (12,000 synthetic tickets, 100
classes, 2 cores):

* Text is normalised first (NFKC full-width → half-width, lower case, OpenCC s2twp), so 空调漏水 and ＡＣ漏水 reach
  the model as 空調漏水 and ac漏水.
* Tokens are CJK characters and whole latin words (`CjkCharTokenizer`), not jieba words: +0.4 points of accuracy
  and +1.5 of macro-F1 with the CNN (+2 and +6 with BOW), and no jieba dictionary or global jieba state.
  `TrainingConfig(tokens="jieba")` keeps the jieba pipeline.
* Categories: `TextCatReduce` (mean and max pooling) over a small `HashEmbedCNN`. Against `TextCatBOW` (unigrams and
  bigrams) it scored 0.98 vs 0.95 accuracy and 0.97 vs 0.90 macro-F1, and trains about twice as fast: every Adam
  step of the BOW touches its whole hashed weight matrix (2^17 × classes). `architecture="bow"` keeps the BOW.
* Classes with fewer than `min_examples` texts are not learned: `TrainResult.not_learned` lists them.
* Imbalance: classes keep their natural frequencies, except that an epoch takes at most `cap_per_class` texts of a
  class (rotating, so all are seen over the epochs). Rebalancing (head capped at 600, tail repeated up to 60 a
  epoch) cost the CNN 0.3–1.1 points of macro-F1 over three seeds and did not help the BOW either, so
  `floor_per_class` is off by default. Macro-F1 and per-class figures make the tail visible.
* The loss is cross-entropy (for the BOW too, whose output layer spaCy trains on squared error).
* `unsure` when the top score is below a threshold calibrated on the held-out split: the lowest score at which the
  answered tickets are still `target_precision` correct, but never below `min_threshold` (0.5), because the
  held-out split holds no small talk: at 0.5, 99.7 % of held-out tickets are answered and 10 of 12 non-tickets
  ("今天天氣很好", "幫我叫計程車") are unsure, against 5 of 12 at 0.25. The best guess is returned anyway (category
  set, unsure=True) so that an agent sees the proposal; only a text without words gives None.
* Urgency (low|normal|high|urgent): a BOW `textcat` when training examples carry urgency labels, transparent
  keyword rules (`rule_urgency`) otherwise. Either way a danger cue (smoke, sparks, gas, electric shock) makes it
  "urgent": a model that saw few such tickets must not talk a fire down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

import numpy as np
import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Adam, Optimizer, fix_random_seed

from knowledge_base.normalize import converter

URGENCY_LEVELS = ("low", "normal", "high", "urgent")
NORMALISATION = "nfkc-lower-s2twp/1"  # stored with a model: its input must be normalised the same way
_URGENCY = "urgency:"  # prefix keeping urgency labels apart from category labels inside the pipeline
_META = "classifier.json"


class Example(NamedTuple):
    """A labelled ticket text; urgency is one of URGENCY_LEVELS, or None when it was not recorded."""

    text: str
    category: str
    urgency: str | None = None


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters; the defaults are those measured in bench/classifier.py."""

    architecture: str = "cnn"  # "cnn": TextCatReduce over HashEmbedCNN; "bow": TextCatBOW (urgency is always bow)
    tokens: str = "chars"  # "chars" (CJK characters + latin words) or "jieba" (jieba words)
    epochs: int = 5
    batch_size: int = 64
    learn_rate: float = 0.001
    width: int = 64  # cnn
    depth: int = 2  # cnn
    embed_rows: int = 5000  # cnn
    ngram_size: int = 2  # bow
    hash_length: int = 2**17  # bow; 2**16 scored the same on synthetic data, real tickets have a larger vocabulary
    bow_learn_rate: float = 0.01
    min_examples: int = 10
    cap_per_class: int = 3000  # per epoch, rotating through the class: bounds epoch time when one category dominates
    floor_per_class: int = 0  # repeat smaller classes up to this many texts an epoch (did not help here)
    target_precision: float = 0.90
    min_threshold: float = 0.5
    default_threshold: float = 0.5  # when trained without a held-out split, so nothing to calibrate on


@dataclass(frozen=True)
class ClassScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Figures on the held-out split; `answered_*` count only predictions at or above the threshold."""

    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassScore]
    confusions: list[tuple[str, str, int]]  # (true, predicted, count), most frequent first
    answered_share: float
    answered_precision: float
    urgency_accuracy: float | None
    urgency_macro_f1: float | None


@dataclass(frozen=True)
class Prediction:
    category: str | None  # best guess even when unsure; None only for a text without words
    confidence: float
    unsure: bool
    alternatives: list[tuple[str, float]]  # the three best, `category` first
    urgency: str
    model_version: str
    urgency_cues: tuple[str, ...] = ()  # the keywords found, shown to the agent as the reason


@dataclass(frozen=True)
class TrainResult:
    classifier: Classifier
    evaluation: Evaluation | None  # None when trained without a held-out split
    not_learned: dict[str, int]  # category → number of examples, fewer than min_examples
    n_train: int
    n_holdout: int
    seconds: float


class Classifier:
    """A trained pipeline with its labels, threshold and version (`meta`, saved as classifier.json)."""

    def __init__(self, nlp: Language, meta: dict[str, Any]) -> None:
        self.nlp = nlp
        self.meta = meta
        self.labels: list[str] = meta["labels"]
        self.threshold: float = meta["threshold"]
        self.version: str = meta["model_version"]

    def predict(self, text: str) -> Prediction:
        """Category, confidence, alternatives and urgency for one ticket text or call note."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str], batch_size: int = 256) -> list[Prediction]:
        """Like `predict` for many texts, in their order."""
        normalised = [_normalise(t) for t in texts]
        results: list[Prediction | None] = [None] * len(texts)
        live = [i for i, t in enumerate(normalised) if _WORDS.search(t)]
        for i, doc in zip(live, self.nlp.pipe([normalised[i] for i in live], batch_size=batch_size), strict=True):
            results[i] = self._prediction(doc.cats, normalised[i])
        return [r or self._no_words(normalised[i]) for i, r in enumerate(results)]

    def _prediction(self, cats: dict[str, float], text: str) -> Prediction:
        ranked = sorted(((k, float(v)) for k, v in cats.items() if not k.startswith(_URGENCY)), key=_best_first)
        label, score = ranked[0]
        level, cues = _rule_urgency(text)
        if self.meta["urgency_source"] == "model":
            modelled = min(((k, float(v)) for k, v in cats.items() if k.startswith(_URGENCY)), key=_best_first)[0]
            level = "urgent" if any(c in _DANGER for c in cues) else modelled.removeprefix(_URGENCY)
        return Prediction(label, score, score < self.threshold, ranked[:3], level, self.version, cues)

    def _no_words(self, text: str) -> Prediction:
        level, cues = _rule_urgency(text)
        return Prediction(None, 0.0, True, [], level, self.version, cues)

    def save(self, directory: str | Path) -> None:
        """Write the spaCy pipeline (`to_disk`) and classifier.json (version, labels, threshold, metrics)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(path / "pipeline")
        (path / _META).write_text(json.dumps(self.meta, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> Classifier:
        """Read what `save` wrote; refuses a model that expects another text normalisation."""
        path = Path(directory)
        meta = json.loads((path / _META).read_text(encoding="utf-8"))
        if meta.get("normalisation") != NORMALISATION:
            raise ValueError(f"{path}: trained with normalisation {meta.get('normalisation')!r}, not {NORMALISATION}")
        return cls(spacy.load(path / "pipeline"), meta)


def train(
    examples: Iterable[Example], *, seed: int = 0, holdout: float = 0.2, config: TrainingConfig | None = None
) -> TrainResult:
    """Train on `examples`, evaluate on a stratified held-out share and calibrate the unsure threshold on it."""
    config = config or TrainingConfig()
    if not 0 <= holdout < 1:
        raise ValueError("holdout must be in [0, 1)")
    started = time.perf_counter()
    data = [Example(_normalise(e.text), e.category, _checked_urgency(e.urgency)) for e in examples]
    counts = Counter(e.category for e in data)
    not_learned = {c: n for c, n in sorted(counts.items()) if n < max(config.min_examples, 2)}
    labels = sorted(c for c in counts if c not in not_learned)
    if len(labels) < 2:
        raise ValueError(f"need two categories with at least {config.min_examples} examples each")
    train_set, test_set = _split([e for e in data if e.category not in not_learned], holdout, seed)
    levels = sorted({e.urgency for e in train_set if e.urgency}, key=URGENCY_LEVELS.index)
    levels = levels if len(levels) >= 2 else []  # fewer than two recorded levels: nothing to learn, rules decide
    fix_random_seed(seed)
    nlp = _pipeline(config, labels, levels)
    _fit(nlp, train_set, labels, levels, config, seed)
    meta: dict[str, Any] = {
        "model_version": _version(data, config, seed, holdout),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "normalisation": NORMALISATION,
        "labels": labels,
        "urgency_source": "model" if levels else "rules",
        "threshold": config.default_threshold,
        "config": dataclasses.asdict(config),
        "seed": seed,
        "holdout": holdout,
    }
    classifier = Classifier(nlp, meta)
    evaluation = None
    if test_set:
        evaluation, classifier.threshold = _evaluate(classifier, test_set, config)
        meta["threshold"] = classifier.threshold
    seconds = round(time.perf_counter() - started, 2)
    meta["metrics"] = _jsonable(
        {
            "evaluation": dataclasses.asdict(evaluation) if evaluation else None,
            "not_learned": not_learned,
            "n_train": len(train_set),
            "n_holdout": len(test_set),
            "training_seconds": seconds,
        }
    )
    return TrainResult(classifier, evaluation, not_learned, len(train_set), len(test_set), seconds)


# --- training -------------------------------------------------------------------------------------------------------


def _split(data: list[Example], holdout: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Stratified and stable: per class, texts ordered by a seeded hash; identical texts stay on one side."""
    if holdout == 0:
        return data, []
    by_class: dict[str, list[Example]] = defaultdict(list)
    for e in data:
        by_class[e.category].append(e)
    train_set: list[Example] = []
    test_set: list[Example] = []
    for _label, items in sorted(by_class.items()):
        items.sort(key=lambda e: hashlib.sha256(f"{seed}\0{e.text}".encode()).digest())
        cut = min(max(1, round(len(items) * holdout)), len(items) - 1)
        while cut < len(items) - 1 and items[cut].text == items[cut - 1].text:
            cut += 1
        test_set += items[:cut]
        train_set += items[cut:]
    return train_set, test_set


def _pipeline(config: TrainingConfig, labels: list[str], levels: list[str]) -> Language:
    if config.tokens not in _TOKENIZERS or config.architecture not in ("cnn", "bow"):
        raise ValueError(f"tokens must be one of {', '.join(_TOKENIZERS)}; architecture cnn or bow")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": _TOKENIZERS[config.tokens]}})
    for name, names, architecture in (
        ("textcat", labels, config.architecture),
        ("textcat_urgency", [_URGENCY + level for level in levels], "bow"),
    ):
        if names:
            model = _model(config, architecture)
            pipe = cast(TextCategorizer, nlp.add_pipe("textcat", name=name, config={"model": model, "threshold": 0.0}))
            for label in names:
                pipe.add_label(label)
    nlp.initialize()
    return nlp


def _model(config: TrainingConfig, architecture: str) -> dict[str, Any]:
    if architecture == "bow":
        return {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": config.ngram_size,
            "no_output_layer": False,
            "length": config.hash_length,
        }
    return {
        "@architectures": "spacy.TextCatReduce.v1",
        "exclusive_classes": True,
        "use_reduce_first": False,
        "use_reduce_last": False,
        "use_reduce_max": True,
        "use_reduce_mean": True,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": config.width,
            "depth": config.depth,
            "embed_size": config.embed_rows,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": False,
        },
    }


def _fit(
    nlp: Language, data: list[Example], labels: list[str], levels: list[str], config: TrainingConfig, seed: int
) -> None:
    rng = random.Random(seed)
    docs = [nlp.make_doc(e.text) for e in data]  # tokenised once, not once an epoch
    category_of = {label: i for i, label in enumerate(labels)}
    level_of = {level: i for i, level in enumerate(levels)}
    by_class: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(data):
        by_class[category_of[e.category]].append(i)
    rated = [(i, level_of[e.urgency]) for i, e in enumerate(data) if e.urgency in level_of]
    # Averaged weights are not used here; keeping them took a third of the BOW training time.
    learn_rate = config.learn_rate if config.architecture == "cnn" else config.bow_learn_rate
    optimizer = Adam(learn_rate, use_averages=False)
    bow_optimizer = Adam(config.bow_learn_rate, use_averages=False)
    for picked in itertools.islice(_balanced_epochs(by_class, config, rng), config.epochs):
        _epoch(_textcat(nlp, "textcat"), docs, picked, len(labels), config.batch_size, optimizer, config.architecture)
        if levels:
            rng.shuffle(rated)
            _epoch(_textcat(nlp, "textcat_urgency"), docs, rated, len(levels), 128, bow_optimizer, "bow")


def _textcat(nlp: Language, name: str) -> TextCategorizer:
    return cast(TextCategorizer, nlp.get_pipe(name))


def _balanced_epochs(
    by_class: dict[int, list[int]], config: TrainingConfig, rng: random.Random
) -> Iterator[list[tuple[int, int]]]:
    """Each epoch's (doc, label) pairs: big classes capped, small ones repeated up to the floor."""
    orders = {label: rng.sample(items, len(items)) for label, items in sorted(by_class.items())}
    start = dict.fromkeys(orders, 0)
    while True:
        picked: list[tuple[int, int]] = []
        for label, order in orders.items():
            if len(order) > config.cap_per_class:  # the next slice of a fixed shuffled order: every text gets its turn
                chosen = [order[(start[label] + k) % len(order)] for k in range(config.cap_per_class)]
                start[label] = (start[label] + config.cap_per_class) % len(order)
            else:
                repeats = max(1, -(-config.floor_per_class // len(order)))
                chosen = (order * repeats)[: max(len(order), config.floor_per_class)]
            picked += [(i, label) for i in chosen]
        rng.shuffle(picked)
        yield picked


def _epoch(
    pipe: TextCategorizer,
    docs: list[Doc],
    picked: list[tuple[int, int]],
    n_labels: int,
    size: int,
    sgd: Optimizer,
    architecture: str,
) -> None:
    for start in range(0, len(picked), size):
        batch = picked[start : start + size]
        scores, backprop = pipe.model.begin_update([docs[i] for i, _ in batch])
        truth = np.zeros((len(batch), n_labels), dtype="f")
        truth[np.arange(len(batch)), [label for _, label in batch]] = 1.0
        # Cross-entropy for both: the CNN's Softmax layer takes the gradient at the logits (scores - truth) as is;
        # the BOW's output backpropagates through the softmax Jacobian, so it is fed -truth/scores, which comes out
        # as scores - truth at the logits (the clip only guards against an underflowed 0).
        backprop(-truth / np.maximum(scores, 1e-8) if architecture == "bow" else scores - truth)
        pipe.finish_update(sgd)


def _version(data: list[Example], config: TrainingConfig, seed: int, holdout: float) -> str:
    digest = hashlib.sha256(json.dumps([dataclasses.asdict(config), seed, holdout, NORMALISATION]).encode())
    for e in data:
        digest.update(f"{e.text}\0{e.category}\0{e.urgency or ''}\n".encode())
    return f"{dt.datetime.now(dt.UTC):%Y%m%d}-{digest.hexdigest()[:12]}"


# --- evaluation -----------------------------------------------------------------------------------------------------


def _evaluate(classifier: Classifier, test_set: list[Example], config: TrainingConfig) -> tuple[Evaluation, float]:
    predictions = classifier.predict_many([e.text for e in test_set])
    gold = [e.category for e in test_set]
    guessed = [p.category or "" for p in predictions]
    scored = [(p.confidence, p.category == g) for p, g in zip(predictions, gold, strict=True)]
    threshold = max(_calibrate(scored, config.target_precision), config.min_threshold)
    answered = [ok for score, ok in scored if score >= threshold]
    rated = [(e.urgency, p.urgency) for p, e in zip(predictions, test_set, strict=True) if e.urgency]
    per_class = _per_class(gold, guessed, classifier.labels)
    mistakes = Counter((g, p) for g, p in zip(gold, guessed, strict=True) if g != p)
    evaluation = Evaluation(
        accuracy=sum(g == p for g, p in zip(gold, guessed, strict=True)) / len(gold),
        macro_f1=sum(s.f1 for s in per_class.values()) / len(per_class),
        per_class=per_class,
        confusions=[(g, p, n) for (g, p), n in mistakes.most_common(10)],
        answered_share=len(answered) / len(scored),
        answered_precision=sum(answered) / len(answered) if answered else 0.0,
        urgency_accuracy=sum(g == p for g, p in rated) / len(rated) if rated else None,
        urgency_macro_f1=_macro_f1([g for g, _ in rated], [p for _, p in rated]) if rated else None,
    )
    return evaluation, threshold


def _calibrate(scored: list[tuple[float, bool]], target: float) -> float:
    """Lowest score whose answered set (score ≥ it) is at least `target` correct; 1.0 when there is none."""
    best, correct = 1.0, 0
    ordered = sorted(scored, key=lambda s: -s[0])
    for n, (score, ok) in enumerate(ordered, 1):
        correct += ok
        if correct / n >= target and (n == len(ordered) or ordered[n][0] < score):  # equal scores go together
            best = score
    return best


def _per_class(gold: list[str], guessed: list[str], labels: list[str]) -> dict[str, ClassScore]:
    hits, support, claimed = Counter[str](), Counter(gold), Counter(guessed)
    for g, p in zip(gold, guessed, strict=True):
        hits[g] += g == p
    scores = {}
    for label in labels:
        precision = hits[label] / claimed[label] if claimed[label] else 0.0
        recall = hits[label] / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = ClassScore(round(precision, 4), round(recall, 4), round(f1, 4), support[label])
    return scores


def _macro_f1(gold: list[str], guessed: list[str]) -> float:
    scores = _per_class(gold, guessed, sorted(set(gold)))
    return round(sum(s.f1 for s in scores.values()) / len(scores), 4)


# --- text -----------------------------------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]")
_TOKENS = re.compile(r"[a-z0-9]+|[^\W_a-z0-9]")  # after normalisation; punctuation is dropped
_TOKENIZERS: dict[str, dict[str, str]] = {
    "chars": {"@tokenizers": "knowledge_base.cjk_chars.v1"},
    "jieba": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "jieba"},
}


class CjkCharTokenizer:
    """CJK one character at a time, latin words and numbers whole: with bigrams it beat jieba words on tickets.

    jieba's dictionary is Simplified and general (熱水器 comes out as 熱/水器), and a `jieba.add_word` anywhere in
    the process would silently change what a trained model sees; character bigrams need neither.
    """

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = _TOKENS.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        return (self(text) for text in texts)

    # Nothing to store, but spaCy's (de)serialisation calls these on every tokenizer.
    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> CjkCharTokenizer:
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CjkCharTokenizer:
        return self


def _cjk_chars() -> Callable[[Language], CjkCharTokenizer]:
    return lambda nlp: CjkCharTokenizer(nlp.vocab)


# Registered by name so that `spacy.load` rebuilds the tokenizer from the saved config.cfg.
registry.tokenizers.register("knowledge_base.cjk_chars.v1", func=_cjk_chars)


def _normalise(text: str) -> str:
    """Full-width → half-width (NFKC), lower case, Simplified → Taiwan Traditional, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(str(converter().convert(text)).split())


# --- urgency rules --------------------------------------------------------------------------------------------------

# Cues as they look after normalisation (zh-Hant, lower case): zh-Hans input is converted before matching.
# Bare 火 and 今天 are left out on purpose: 熱水器點不著火 and 今天早上 are not emergencies.
_CUES: dict[str, tuple[str, ...]] = {
    "urgent": (
        "冒煙", "起火", "著火", "失火", "火花", "燒焦", "觸電", "電到", "漏電", "瓦斯味", "瓦斯外洩", "一氧化碳",
        "smoke", "fire", "spark", "burning", "gas leak", "gas smell", "electric shock",
    ),
    "high": (
        "漏水", "淹水", "停電", "跳電", "停話", "老人", "長輩", "阿嬤", "阿公", "小孩", "嬰兒", "baby", "孕婦", "懷孕",
        "病人", "急", "馬上", "立刻", "盡快", "今天一定", "今天就要", "今天內", "客訴", "投訴", "消保官", "消基會",
        "律師", "提告", "火大", "urgent", "asap", "today", "leak", "lawyer", "complaint", "elderly",
    ),
    "low": ("不急", "不趕", "有空再", "沒關係", "只是想", "no rush", "not urgent", "whenever"),
}  # fmt: skip
_DANGER = frozenset(_CUES["urgent"])
_NEGATIONS = ("不", "沒", "沒有", "無", "未", "not ", "no ")


def rule_urgency(text: str) -> tuple[str, tuple[str, ...]]:
    """Urgency from keyword cues alone, and the cues found; a negated cue (沒有冒煙, not urgent) does not count."""
    return _rule_urgency(_normalise(text))


def _rule_urgency(text: str) -> tuple[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {level: [] for level in _CUES}
    for level, cues in _CUES.items():
        for cue in cues:
            for match in re.finditer(re.escape(cue), text):
                if level == "low" or not text[: match.start()].endswith(_NEGATIONS):
                    found[level].append(cue)
                    break
    level = next((name for name in ("urgent", "high", "low") if found[name]), "normal")
    return level, tuple(itertools.chain(found["urgent"], found["high"], found["low"]))


def _checked_urgency(value: str | None) -> str | None:
    if value is not None and value not in URGENCY_LEVELS:
        raise ValueError(f"urgency {value!r} is not one of {', '.join(URGENCY_LEVELS)}")
    return value


def _best_first(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]  # equal scores ordered by label, so the same text always gets the same answer


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
