#!/usr/bin/env python3
"""VADER's sentiment of the tweets that teach calmdesk's sentiment model.

Reads `sentiment.unlabelled.jsonl` from a folder written by `calmdesk train --dump-splits`
(the tweets of the other tweet data sets, in the order the trainer reads them), scores each
with vaderSentiment's `polarity_scores` and writes the compound scores, in hundredths, one per
line, under a header with the number of tweets and their checksum (FNV-1a, 64-bit, over each
text followed by a newline). The trainer labels the tweets from these scores; it uses them
only when the header matches the tweets it reads.

Usage: python3 scripts/vader_teacher.py SPLITS_DIR > models/teachers/sentiment-vader.txt
"""

import argparse
import json
import sys
from importlib.metadata import version

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def checksum(texts):
    value = 0xCBF29CE484222325
    for text in texts:
        for byte in text.encode("utf-8") + b"\n":
            value ^= byte
            value = (value * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("splits", help="a folder written by calmdesk train --dump-splits")
    args = parser.parse_args()
    with open(f"{args.splits}/sentiment.unlabelled.jsonl", encoding="utf-8") as file:
        texts = [json.loads(line)["text"] for line in file]
    analyzer = SentimentIntensityAnalyzer()
    out = sys.stdout
    out.write(
        "# VADER compound sentiment of each unlabelled tweet, in hundredths, in the order\n"
        "# `calmdesk train` reads them. Written by scripts/vader_teacher.py with\n"
        f"# vaderSentiment {version('vaderSentiment')}; do not edit by hand.\n"
    )
    out.write(f"texts={len(texts)} checksum={checksum(texts):016x}\n")
    for text in texts:
        compound = analyzer.polarity_scores(text)["compound"]
        out.write(f"{round(compound * 100)}\n")


if __name__ == "__main__":
    main()
