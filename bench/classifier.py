"""Ticket classifier: training time and quality on synthetic tickets, then predict latency and memory of a loaded model.

    .venv/bin/python bench/classifier.py                    # 12,000 tickets, 100 classes
    .venv/bin/python bench/classifier.py --compare          # also trains the alternatives: BOW, jieba words

Generates tickets with knowledge_base.training_data (Zipf-like imbalance: ~2,300 texts in the largest class, ~23
in the smallest), trains with a 20 % stratified held-out split, and reports accuracy, macro-F1, the worst classes,
the calibrated unsure threshold and urgency accuracy. The saved model is then loaded in a fresh process, which
measures `predict` latency one text at a time and its RSS. Target: training < 5 min on 2 cores.
Writes bench/results/classifier.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine, percentiles, write_result
from knowledge_base import classifier, training_data


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# Not tickets, or too vague to file: a good model is unsure of most of them.
OUT_OF_DOMAIN = [
    "今天天氣很好",
    "asdfgh",
    "謝謝你",
    "我想訂一個大披薩",
    "喂？喂？聽得到嗎",
    "好的，那就這樣",
    "請問你們有在徵人嗎",
    "lorem ipsum dolor sit amet",
    "我要找王經理",
    "你們老闆是誰",
    "幫我叫計程車",
    "股票會漲嗎",
]


def _train(examples: list[classifier.Example], seed: int, **changes: Any) -> classifier.TrainResult:
    config = dataclasses.replace(classifier.TrainingConfig(), **changes)
    return classifier.train(examples, seed=seed, config=config)


def _quality(result: classifier.TrainResult) -> dict[str, Any]:
    evaluation = result.evaluation
    assert evaluation is not None
    worst = sorted(evaluation.per_class.items(), key=lambda item: (item[1].f1, item[0]))[:5]
    return {
        "accuracy": round(evaluation.accuracy, 4),
        "macro_f1": round(evaluation.macro_f1, 4),
        "training_seconds": result.seconds,
        "classes": len(result.classifier.labels),
        "not_learned": result.not_learned,
        "n_train": result.n_train,
        "n_holdout": result.n_holdout,
        "threshold": round(result.classifier.threshold, 4),
        "answered_share": round(evaluation.answered_share, 4),
        "answered_precision": round(evaluation.answered_precision, 4),
        "urgency_accuracy": evaluation.urgency_accuracy and round(evaluation.urgency_accuracy, 4),
        "urgency_macro_f1": evaluation.urgency_macro_f1,
        "worst_classes": [{"category": label, **dataclasses.asdict(score)} for label, score in worst],
        "top_confusions": [{"true": t, "predicted": p, "count": n} for t, p, n in evaluation.confusions[:5]],
        "out_of_domain_unsure": sum(p.unsure for p in result.classifier.predict_many(OUT_OF_DOMAIN)),
        "out_of_domain": len(OUT_OF_DOMAIN),
    }


def _measure_loaded(model_dir: str, n: int) -> dict[str, Any]:
    """Runs in a fresh process, so that RSS is that of a worker holding one loaded model."""
    texts = [e.text for e in training_data.generate(n, 100, seed=99)]
    rss_before = _rss_mb()
    started = time.perf_counter()
    model = classifier.Classifier.load(model_dir)
    load_seconds = time.perf_counter() - started
    rss_loaded = _rss_mb()
    model.predict(texts[0])  # the first call reads OpenCC's dictionaries (~40 MB)
    rss_ready = _rss_mb()
    samples = []
    for text in texts:
        started = time.perf_counter()
        model.predict(text)
        samples.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    model.predict_many(texts)
    batch_per_text = (time.perf_counter() - started) * 1000 / len(texts)
    return {
        "load_seconds": round(load_seconds, 2),
        "rss_mb_before_load": rss_before,
        "rss_mb_after_load": rss_loaded,
        "rss_mb_after_first_predict": rss_ready,
        "rss_mb_after_predictions": _rss_mb(),
        "predict": percentiles(samples),
        "predict_many_ms_per_text": round(batch_per_text, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=12000)
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--predictions", type=int, default=2000)
    parser.add_argument("--compare", action="store_true", help="also train the BOW and on jieba words")
    parser.add_argument("--measure-loaded", metavar="DIR", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure_loaded:
        print(json.dumps(_measure_loaded(args.measure_loaded, args.predictions)))
        return 0

    started = time.perf_counter()
    examples = training_data.generate(args.n, args.classes, args.seed)
    generate_seconds = time.perf_counter() - started
    result = _train(examples, args.seed)
    quality = _quality(result)
    peak_training_rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    rules = sum(classifier.rule_urgency(e.text)[0] == e.urgency for e in examples) / len(examples)
    print(
        f"{len(examples)} tickets, {quality['classes']} classes (generated in {generate_seconds:.1f} s): trained in "
        f"{result.seconds:.1f} s, peak RSS {peak_training_rss:.0f} MB"
    )
    print(
        f"held out {result.n_holdout}: accuracy {quality['accuracy']:.3f}  macro-F1 {quality['macro_f1']:.3f}  "
        f"unsure below {quality['threshold']:.2f} → answers {quality['answered_share']:.1%} at "
        f"{quality['answered_precision']:.1%} precision"
    )
    print(f"urgency: model {quality['urgency_accuracy']:.3f} accuracy; keyword rules alone {rules:.3f}")
    print(f"out of domain: {quality['out_of_domain_unsure']} of {quality['out_of_domain']} unsure")
    print(
        "worst classes: "
        + ", ".join(f"{w['category']} F1 {w['f1']:.2f} (n={w['support']})" for w in quality["worst_classes"])
    )

    with tempfile.TemporaryDirectory() as directory:
        result.classifier.save(directory)
        disk_mb = sum(p.stat().st_size for p in Path(directory).rglob("*") if p.is_file()) / 2**20
        child = [sys.executable, __file__, "--measure-loaded", directory, "--predictions", str(args.predictions)]
        loaded = json.loads(subprocess.run(child, capture_output=True, text=True, check=True).stdout)
    p = loaded["predict"]
    print(
        f"loaded in {loaded['load_seconds']:.2f} s, RSS {loaded['rss_mb_after_load']:.0f} MB, "
        f"{loaded['rss_mb_after_first_predict']:.0f} MB after the first predict, "
        f"{loaded['rss_mb_after_predictions']:.0f} MB after all; {disk_mb:.0f} MB on disk; "
        f"predict p50 {p['p50_ms']:.2f} ms  p95 {p['p95_ms']:.2f} ms  p99 {p['p99_ms']:.2f} ms; "
        f"batched {loaded['predict_many_ms_per_text']:.3f} ms/text"
    )

    record: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "tickets": len(examples),
        "seed": args.seed,
        "config": result.classifier.meta["config"],
        **quality,
        "urgency_rules_accuracy_on_all": round(rules, 4),
        "peak_training_rss_mb": peak_training_rss,
        "model_mb_on_disk": round(disk_mb, 1),
        "loaded": loaded,
    }
    if args.compare:
        alternatives: dict[str, dict[str, Any]] = {
            "bow": {"architecture": "bow"},
            "bow_balanced": {
                "architecture": "bow",
                "epochs": 8,
                "batch_size": 128,
                "cap_per_class": 600,
                "floor_per_class": 60,
            },
            "cnn_jieba": {"tokens": "jieba"},
            "cnn_balanced": {"cap_per_class": 600, "floor_per_class": 60},
        }
        record["alternatives"] = {}
        for name, changes in alternatives.items():
            other = _quality(_train(examples, args.seed, **changes))
            print(
                f"{name} {changes}: accuracy {other['accuracy']:.3f}  macro-F1 {other['macro_f1']:.3f}  "
                f"trained in {other['training_seconds']:.1f} s, {other['out_of_domain_unsure']} out of domain unsure"
            )
            keep = ("accuracy", "macro_f1", "training_seconds", "out_of_domain_unsure")
            record["alternatives"][name] = {"changes": changes, **{k: other[k] for k in keep}}
    write_result("classifier", record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
