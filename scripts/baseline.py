#!/usr/bin/env python3
"""TF-IDF + logistic-regression baselines for every calmdesk training task.

Reads the splits written by `calmdesk train --dump-splits DIR` (for each task
`<task>.train.jsonl`, `<task>.valid.jsonl` and `<task>.labels.json`), trains one
scikit-learn model per task on the train split and prints, as a Markdown table, the
validation figures that `calmdesk train` prints for its own models.

Model: TF-IDF over word 1-2 grams (sublinear tf, min_df 2) and logistic regression
(liblinear; one-vs-rest for more than two labels and for the multi-label task), with C
chosen from {0.5, 1, 2, 4} by 3-fold cross-validation on the train split only, scored by
the task's main metric. Everything is seeded (random_state=0), so reruns print the same
table.

Usage: python3 scripts/baseline.py SPLITS_DIR [--tasks emotions,irony] [--jobs 2]
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, recall_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

TASKS = [
    "emotions",
    "sentiment",
    "tweet_emotion",
    "offensive",
    "hate",
    "irony",
    "complaint",
    "politeness",
    "intents",
    "abusive",
    "empathy_er",
    "empathy_ip",
    "empathy_ex",
]

C_GRID = [0.5, 1.0, 2.0, 4.0]
# Per-label thresholds for the multi-label task are picked from this grid on the validation
# split itself, so that figure is an optimistic upper bound, not a held-out score.
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.05), 2)
SEED = 0


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["labels"] for r in rows]


def cv_scoring(task):
    """The metric C is tuned for: the task's main validation metric."""
    return {
        "sentiment": "recall_macro",
        "irony": "f1",
        "politeness": "accuracy",
        "intents": "accuracy",
    }.get(task, "f1_macro")


def make_search(task, multi_label, n_labels, jobs):
    base = LogisticRegression(solver="liblinear", random_state=SEED, max_iter=1000)
    if multi_label or n_labels > 2:
        clf, key = OneVsRestClassifier(base), "clf__estimator__C"
    else:
        clf, key = base, "clf__C"
    pipeline = Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            ("clf", clf),
        ]
    )
    folds = (KFold if multi_label else StratifiedKFold)(
        n_splits=3, shuffle=True, random_state=SEED
    )
    return GridSearchCV(
        pipeline, {key: C_GRID}, scoring=cv_scoring(task), cv=folds, n_jobs=jobs
    ), key


def macro_f1(gold, predicted, n_labels):
    return f1_score(
        gold, predicted, labels=list(range(n_labels)), average="macro", zero_division=0
    )


def figures(task, labels, gold, predicted, probabilities):
    """(metric, value) pairs, as `calmdesk train` reports them."""
    n = len(labels)
    if task == "emotions":
        at_half = macro_f1(gold, predicted, n)
        tuned = []
        for j in range(n):
            tuned.append(
                max(
                    f1_score(gold[:, j], probabilities[:, j] >= t, zero_division=0)
                    for t in THRESHOLDS
                )
            )
        return [
            (f"macro-F1 ({n} labels, at 0.5)", at_half),
            (f"macro-F1 ({n} labels, per-label thresholds tuned on validation)", float(np.mean(tuned))),
        ]
    if task == "sentiment":
        return [
            (
                "macro-recall",
                recall_score(
                    gold, predicted, labels=list(range(n)), average="macro", zero_division=0
                ),
            )
        ]
    if task == "tweet_emotion":
        anger = labels.index("anger")
        return [
            ("anger-vs-rest F1", f1_score(gold == anger, predicted == anger, zero_division=0)),
            ("macro-F1", macro_f1(gold, predicted, n)),
        ]
    if task == "irony":
        return [("F1 (ironic)", f1_score(gold == 1, predicted == 1, zero_division=0))]
    if task in ("politeness", "intents"):
        return [("accuracy", accuracy_score(gold, predicted))]
    if task.startswith("empathy_"):
        return [
            ("accuracy", accuracy_score(gold, predicted)),
            ("macro-F1", macro_f1(gold, predicted, n)),
        ]
    return [("macro-F1", macro_f1(gold, predicted, n))]


def run_task(splits, task, jobs):
    meta = json.loads((splits / f"{task}.labels.json").read_text(encoding="utf-8"))
    labels = meta["labels"]
    multi_label = meta["kind"] == "multi_label"
    train_x, train_y = read_jsonl(splits / f"{task}.train.jsonl")
    valid_x, valid_y = read_jsonl(splits / f"{task}.valid.jsonl")
    if multi_label:
        def indicator(rows):
            m = np.zeros((len(rows), len(labels)), dtype=int)
            for i, row in enumerate(rows):
                m[i, row] = 1
            return m

        train_y, valid_y = indicator(train_y), indicator(valid_y)
    else:
        train_y = np.array([row[0] for row in train_y])
        valid_y = np.array([row[0] for row in valid_y])

    search, key = make_search(task, multi_label, len(labels), jobs)
    started = time.perf_counter()
    search.fit(train_x, train_y)
    seconds = time.perf_counter() - started
    model = search.best_estimator_
    predicted = model.predict(valid_x)
    probabilities = model.predict_proba(valid_x) if multi_label else None
    return {
        "task": task,
        "c": search.best_params_[key],
        "train": len(train_x),
        "valid": len(valid_x),
        "seconds": seconds,
        "figures": figures(task, labels, valid_y, predicted, probabilities),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("splits", type=Path, help="folder written by `calmdesk train --dump-splits`")
    parser.add_argument("--tasks", help="comma-separated task names (default: all)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="parallel cross-validation fits (the results do not change)"
    )
    args = parser.parse_args()
    tasks = args.tasks.split(",") if args.tasks else TASKS
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        parser.error(f"unknown task(s): {', '.join(unknown)}")
    missing = [t for t in tasks if not (args.splits / f"{t}.labels.json").is_file()]
    if missing:
        parser.error(f"no splits for {', '.join(missing)} in {args.splits}")

    results = []
    for task in tasks:
        result = run_task(args.splits, task, args.jobs)
        print(f"{task}: C={result['c']} in {result['seconds']:.1f} s", file=sys.stderr)
        results.append(result)

    print(
        f"TF-IDF (word 1-2 grams, sublinear tf, min_df 2) + logistic regression (liblinear), "
        f"C from {{0.5, 1, 2, 4}} by 3-fold CV on train; random_state={SEED}. "
        f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}."
    )
    print()
    print("| task | metric | validation | C | train | valid |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        for metric, value in r["figures"]:
            print(f"| {r['task']} | {metric} | {value:.4f} | {r['c']:g} | {r['train']} | {r['valid']} |")


if __name__ == "__main__":
    main()
