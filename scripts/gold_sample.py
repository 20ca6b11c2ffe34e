"""Draw the documents of the news gold standard (docs/ANNOTATION.md) and write ``eval/gold/sample.tsv``.

The draw is seeded and reproducible: ``python scripts/gold_sample.py`` rewrites the same file from
``../shared/data/news``. The frame is every document flagged ``intl_heuristic`` whose text has at
most ``MAX_CHARS`` characters (exhaustive annotation of a 20-page fact sheet is not feasible, and
the cap keeps 70 % of the flagged White House documents and 95 % of the others). From it we draw
``PER_SOURCE`` documents per source without replacement, then ``SECOND_PASS`` of the drawn ones
for the independent second annotation. The split is a function of the id alone
(:func:`geokg.evaluation.gold.split_of`), so adding documents never moves one between sides.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

from geokg.evaluation.gold import split_of

SEED = 15
MAX_CHARS = 4000
PER_SOURCE = {"whitehouse": 68, "reuters": 17, "bbc": 17}
SECOND_PASS = {"whitehouse": 13, "reuters": 4, "bbc": 3}
FILES = {
    "whitehouse": "whitehouse_2021_2026.jsonl.gz",
    "reuters": "reuters21578_1987.jsonl.gz",
    "bbc": "bbc_2004_2005.jsonl",
}


def _read(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for line in handle:
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--news", type=Path, default=root.parent / "shared" / "data" / "news")
    parser.add_argument("--out", type=Path, default=root / "eval" / "gold" / "sample.tsv")
    args = parser.parse_args()
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    for source, name in FILES.items():
        frame = [
            doc
            for doc in _read(args.news / name)
            if doc.get("intl_heuristic") and len(str(doc["text"])) <= MAX_CHARS
        ]
        frame.sort(key=lambda doc: str(doc["id"]))
        drawn = rng.sample(frame, PER_SOURCE[source])
        second = {str(doc["id"]) for doc in rng.sample(drawn, SECOND_PASS[source])}
        for doc in drawn:
            text = str(doc["text"])
            doc_id = str(doc["id"])
            rows.append(
                {
                    "doc_id": doc_id,
                    "source": source,
                    "file": name,
                    "chars": str(len(text)),
                    "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "split": split_of(doc_id),
                    "second_pass": "yes" if doc_id in second else "no",
                    "frame_size": str(len(frame)),
                }
            )
    rows.sort(key=lambda row: row["doc_id"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} documents -> {args.out}")


if __name__ == "__main__":
    main()
