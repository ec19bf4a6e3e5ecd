"""Cross-validated figures of the routing text classifier on a labelled JSON-lines file.

    python -m fengqiao.routing.evaluate FILE.jsonl

Each line holds at least `title`, `text`, `label` and `fold` (0-4). For every fold the
product's own `TextClassifier.train` learns from the other folds and `predict` labels the
held-out cases one at a time. Prints one JSON object:
{"n", "accuracy", "macro_f1", "train_seconds" (mean per fold), "predict_ms_per_item"}.
Times are CPU time of this thread with numerical libraries held to one thread, so that
they measure the work on one core and not how busy the machine happens to be.
Needs no Django settings.

Hyperparameters live in the product code (fengqiao.routing.text.classifier) and are not
searched here: this module only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from threadpoolctl import threadpool_limits  # installed with scikit-learn

from fengqiao.routing.text import TextClassifier, case_text


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def macro_f1(truth: Sequence[str], guess: Sequence[str]) -> float:
    """Unweighted mean of the per-category F1 over the categories present in `truth`."""
    scores = []
    for label in sorted(set(truth)):
        tp = sum(1 for t, g in zip(truth, guess, strict=True) if t == label and g == label)
        fp = sum(1 for t, g in zip(truth, guess, strict=True) if t != label and g == label)
        fn = sum(1 for t, g in zip(truth, guess, strict=True) if t == label and g != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def cross_validate(rows: Sequence[dict]) -> dict:
    """Train on four folds, predict the fifth one case at a time; figures over all folds."""
    folds = sorted({int(r["fold"]) for r in rows})
    truth: list[str] = []
    guess: list[str] = []
    train_seconds: list[float] = []
    predict_seconds = 0.0
    for fold in folds:
        train = [r for r in rows if int(r["fold"]) != fold]
        test = [r for r in rows if int(r["fold"]) == fold]
        started = time.thread_time()
        model = TextClassifier.train(
            [case_text(r["title"], r["text"]) for r in train], [r["label"] for r in train]
        )
        train_seconds.append(time.thread_time() - started)
        for r in test:
            text = case_text(r["title"], r["text"])
            started = time.thread_time()
            prediction = model.predict(text)
            predict_seconds += time.thread_time() - started
            truth.append(r["label"])
            guess.append(prediction.label)
    n = len(truth)
    return {
        "n": n,
        "accuracy": round(sum(t == g for t, g in zip(truth, guess, strict=True)) / n, 4),
        "macro_f1": round(macro_f1(truth, guess), 4),
        "train_seconds": round(sum(train_seconds) / len(train_seconds), 3),
        "predict_ms_per_item": round(1000 * predict_seconds / n, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("file", type=Path, help="JSON lines with title, text, label, fold")
    args = parser.parse_args(argv)
    rows = read_jsonl(args.file)
    with threadpool_limits(limits=1):
        figures = cross_validate(rows)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
