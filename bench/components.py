"""CPU seconds of each spaCy component on the first documents of a JSONL file, and whether the
entity recogniser has a tok2vec of its own.

Usage (from the repository root)::

    .venv/bin/python bench/components.py INPUT.jsonl --docs 200

For spaCy's own pipeline (the build's model and components, ``fast=False``) and for the
pipeline as the build loads and runs it (``geokg.nlp_fast``, numpy's products on one thread), over the document texts and over the units
the build parses (``geokg.parse._paragraphs``, folded as the build folds them), batches of 64:
the tokenizer, then each component's ``pipe`` over the batch, timed with ``time.process_time``
(each component's own time: a listener's tok2vec runs in ``tok2vec``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def own_tok2vec(nlp: Any, name: str) -> str:
    """How component ``name`` embeds tokens: its own Tok2Vec layers, or a listener."""
    layers = {id(n): n.name for n in nlp.get_pipe(name).model.walk()}.values()
    if any("listener" in n for n in layers):
        return "listens to the shared tok2vec"
    embeds = sum(n == "hashembed" for n in layers)
    blocks = sum(n.startswith("residual(") and ">>residual" not in n for n in layers)
    return f"own tok2vec ({embeds} hash embeddings, {blocks} residual CNN layers)"


def per_component(nlp: Any, texts: list[str], batch: int = 64) -> Counter[str]:
    """CPU seconds of the tokenizer and of each component over ``texts``."""
    cpu: Counter[str] = Counter()
    for k in range(0, len(texts), batch):
        part = texts[k : k + batch]
        t0 = time.process_time()
        docs = [nlp.make_doc(t) for t in part]
        cpu["tokenizer"] += time.process_time() - t0
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            docs = (
                list(proc.pipe(docs, batch_size=batch))
                if hasattr(proc, "pipe")
                else [proc(d) for d in docs]
            )
            cpu[name] += time.process_time() - t0
    return cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args(argv)

    from geokg.extractors._deps import PARSER_FOLD
    from geokg.nlp import _load, find_model
    from geokg.nlp_fast import numpy_for_parsing
    from geokg.parse import _paragraphs

    with args.input.open(encoding="utf-8") as fh:
        texts = [
            str(json.loads(line).get("text") or "")
            for _, line in zip(range(args.docs), fh, strict=False)
        ]
    units = [p.translate(PARSER_FOLD) for t in texts for _, p in _paragraphs(t)]
    words = sum(len(t.split()) for t in texts)
    name = find_model()
    print(f"model {name}; {len(texts)} documents, {len(units)} units, {words:,} words")
    for fast in (False, True):
        nlp = _load.__wrapped__(name, ("senter",), fast)  # type: ignore[attr-defined]
        if not fast:
            for comp in ("tagger", "parser", "ner"):
                if comp in nlp.pipe_names:
                    print(f"  {comp}: {own_tok2vec(nlp, comp)}")
        per_component(nlp, texts[:8])  # warm up
        for label, items in (("documents", texts), ("units", units)):
            with numpy_for_parsing() if fast else contextlib.nullcontext():
                cpu = per_component(nlp, items)
            total = sum(cpu.values())
            parts = ", ".join(f"{k} {v:.2f} ({100 * v / total:.0f} %)" for k, v in cpu.items())
            kind = "geokg fast" if fast else "spaCy own"
            print(f"{kind:>10} over {label:>9}: {total:.2f} CPU s = {parts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
