#!/usr/bin/env python3
"""How fast VADER scores texts: the speed anchor for `calmdesk bench reading`.

Reads a JSONL file with a "text" on every line (other keys are ignored, so the
`<task>.valid.jsonl` files written by `calmdesk train --dump-splits` work), runs
vaderSentiment's `polarity_scores` on every text in one thread and prints one JSON line:
the number of texts, the seconds spent scoring them and texts per second. Reading the
file and loading VADER's lexicon are not timed.

Usage: python3 scripts/vader_speed.py TEXTS.jsonl [--repeat 3]
"""

import argparse
import json
import platform
import sys
import time
from importlib.metadata import version

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help='JSONL file, one {"text": ...} per line')
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="score the whole file this many times and report the fastest pass",
    )
    args = parser.parse_args()

    texts = []
    with open(args.path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            text = json.loads(line).get("text")
            if not isinstance(text, str):
                sys.exit(f"{args.path}:{number}: no \"text\" string")
            texts.append(text)
    if not texts:
        sys.exit(f"{args.path}: no texts")

    analyzer = SentimentIntensityAnalyzer()
    passes = []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        for text in texts:
            analyzer.polarity_scores(text)
        passes.append(time.perf_counter() - started)
    seconds = min(passes)

    print(
        json.dumps(
            {
                "tool": "vaderSentiment",
                "version": version("vaderSentiment"),
                "python": platform.python_version(),
                "threads": 1,
                "texts": len(texts),
                "chars": sum(len(t) for t in texts),
                "passes": len(passes),
                "seconds": round(seconds, 4),
                "texts_per_second": round(len(texts) / seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
