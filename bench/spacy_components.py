"""CPU seconds of each component of the spaCy pipeline, as a build loads it, on White House news.

The pipeline is loaded as ``geokg build`` loads it (``geokg.nlp.load_model``: geokg's attribute
table and caching lemmatizer, numpy's products on one thread) or, with ``--stock``, as spaCy
loads it. The texts are the paragraphs the build parses (``geokg.parse._paragraphs``) of the
first ``--docs`` documents of the White House file. Each component runs over all of them in
turn (``pipe``, batches of 64), ``--repeats`` times; the table gives each component's fastest
run, in CPU seconds of this process, with the spaCy and thinc versions that ran it.

Run it once with each spaCy to compare them (docs/PERFORMANCE-spacy.md):

    python bench/spacy_components.py --docs 100 --out /tmp/spacy-3.8.7.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def measure(docs: int, repeats: int, stock: bool) -> dict[str, Any]:
    """Each component's fastest CPU seconds over ``repeats`` runs on ``docs`` documents."""
    import spacy
    import thinc
    from _corpus import read_texts, write_subset

    from geokg.extractors._deps import PARSER_FOLD
    from geokg.nlp import load_model
    from geokg.nlp_fast import numpy_for_parsing
    from geokg.parse import UNUSED_COMPONENTS, _paragraphs

    with tempfile.TemporaryDirectory(prefix="geokg-spacy-") as tmp:
        subset = Path(tmp) / "news.jsonl"
        n_docs, words = write_subset(docs, subset, "whitehouse")
        texts = read_texts(subset)
    units = [p.translate(PARSER_FOLD) for text in texts for _, p in _paragraphs(text)]
    nlp = load_model(None, exclude=UNUSED_COMPONENTS, cached=False, fast=not stock)
    for _ in nlp.pipe(["Warm up the pipeline before timing it."] * 8):
        pass
    best: dict[str, float] = {}
    limit = contextlib.nullcontext() if stock else numpy_for_parsing()
    with limit:
        for _ in range(repeats):
            c0 = time.process_time()
            parsed = [nlp.make_doc(u) for u in units]
            times = {"tokenizer": time.process_time() - c0}
            for name, proc in nlp.pipeline:
                c0 = time.process_time()
                if hasattr(proc, "pipe"):
                    parsed = list(proc.pipe(parsed, batch_size=64))
                else:  # geokg's attribute table and lemmatizer: one Doc at a time
                    parsed = [proc(doc) for doc in parsed]
                times[name] = time.process_time() - c0
            for name, cpu in times.items():
                best[name] = min(best.get(name, cpu), cpu)
    return {
        "spacy": spacy.__version__,
        "thinc": thinc.__version__,
        "pipeline": "spaCy's own" if stock else "as geokg loads it",
        "docs": n_docs,
        "words": words,
        "paragraphs": len(units),
        "repeats": repeats,
        "python": platform.python_version(),
        "cpu_s": {k: round(v, 3) for k, v in best.items()},
        "total_cpu_s": round(sum(best.values()), 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--stock", action="store_true", help="spaCy's own components and blis")
    ap.add_argument("--out", type=Path, default=None, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    res = measure(args.docs, args.repeats, args.stock)
    text = json.dumps(res, indent=2) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
