"""Score the open extractor (``open.v1``) on CaRB dev.

Usage::

    .venv/bin/python bench/carb_dev.py [--data ../shared/data/carb] [--cache /tmp/carb_dev.spacy]
        [--out predictions.tsv] [--limit N]

Runs :class:`geokg.extractors.openie.OpenExtractor` over ``dev_sentences.txt``, writes the
predictions in CaRB's tabbed format (to a temporary file unless ``--out`` is given), scores them
with :mod:`geokg.evaluation.carb` and prints P/R/F1/AUC. ``--cache`` keeps the parses in a spaCy
``DocBin`` so that rule changes can be re-scored in seconds (delete it after a model change).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from spacy.tokens import DocBin

from geokg._io import atomic_write
from geokg.evaluation.carb import score_carb
from geokg.extractors._deps import build_view
from geokg.extractors.openie import OpenExtractor, OpenTuple, _pretokenise, to_carb_lines
from geokg.nlp import load_model

ROOT = Path(__file__).resolve().parents[1]


def _predict(lines: list[str], cache: Path | None) -> list[list[OpenTuple]]:
    nlp = load_model()
    ex = OpenExtractor()
    if cache is None:
        return list(ex.extract_texts(nlp, lines))
    prepared = [_pretokenise(nlp, line) for line in lines]
    if cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((d for d, _ in prepared), batch_size=256))
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    out: list[list[OpenTuple]] = []
    for line, doc, (_, originals) in zip(lines, docs, prepared, strict=True):
        view = build_view(doc)
        for tok, original in zip(view.toks, originals, strict=True):
            tok.text = original
        out.append(ex.extract_sentence(view, 0, len(view.toks), line))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "carb")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    sentences = args.data / "dev_sentences.txt"
    gold = args.data / "dev_gold.tsv"
    if not sentences.is_file() or not gold.is_file():
        print(f"CaRB dev data not found under {args.data}; pass --data", file=sys.stderr)
        return 2
    lines = [ln.strip() for ln in sentences.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if args.limit:
        lines = lines[: args.limit]
    t0 = time.perf_counter()
    preds = _predict(lines, args.cache)
    elapsed = time.perf_counter() - t0
    tuples = [t for ts in preds for t in ts]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "predictions.tsv"
        atomic_write(out, "".join(line + "\n" for line in to_carb_lines(tuples)))
        score = score_carb(gold, out)
    print(
        f"CaRB dev: sentences={score.sentences} gold={score.gold} predictions={score.predictions}"
        f" P={score.precision:.4f} R={score.recall:.4f} F1={score.f1:.4f} AUC={score.auc:.4f}"
        f" threshold={score.threshold} extract_s={elapsed:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
