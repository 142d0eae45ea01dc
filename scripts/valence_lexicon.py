#!/usr/bin/env python3
"""The word valences of the VADER lexicon, as calmdesk's valence features read them.

Reads `vader_lexicon.txt` from the installed vaderSentiment package (MIT licence, copyright
C.J. Hutto; Hutto and Gilbert, ICWSM 2014) and writes each entry's token and mean rating
(-4 to +4, one decimal), tab-separated, one per line, sorted, under a header naming the source
and its version. The raters' individual ratings and their spread are left out: the features
need the mean alone.

Usage: python3 scripts/valence_lexicon.py > crates/calmdesk-core/src/text/valence.tsv
"""

import os
import sys
from importlib.metadata import version

import vaderSentiment


def main():
    path = os.path.join(os.path.dirname(vaderSentiment.__file__), "vader_lexicon.txt")
    entries = {}
    with open(path, encoding="utf-8") as lexicon:
        for line in lexicon:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 2 or not fields[0] or "\t" in fields[0]:
                continue
            entries[fields[0]] = round(float(fields[1]), 1)
    out = sys.stdout
    out.write(
        f"# VADER lexicon {version('vaderSentiment')}: token, mean valence (-4 to 4). "
        "MIT licence, (c) 2016 C.J. Hutto; see VALENCE-LICENCE.\n"
    )
    for token in sorted(entries):
        out.write(f"{token}\t{entries[token]:.1f}\n")


if __name__ == "__main__":
    main()
