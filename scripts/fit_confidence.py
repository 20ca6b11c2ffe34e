"""Fit the calibrated confidence of one extractor on the news gold's dev side.

    PYTHONPATH=... .venv/bin/python scripts/fit_confidence.py [--extractor svo.v1] [--check]

(``make calibrate``; needs the dev extra's scikit-learn.) Parses the gold's **dev** documents
only (``split_of(doc_id) == "dev"``; a test-side document is refused), labels each row that has
an actor on each side as right when it matches a gold fact strictly, and fits a logistic
regression over :func:`geokg.confidence.features`. The L2 strength is chosen by cross-validation
by document (``GroupKFold``, no shuffling) on dev, the one with the best mean fold log loss
(:func:`choose_c`); the default ``--min-confidence`` is the
threshold that maximises the F1 of dev strict precision and core recall, read on the
out-of-fold probabilities. Writes the extractor's entry of ``geokg/data/confidence.json`` (other
extractors' entries are kept) and prints the dev figures. Deterministic: the same gold, texts,
pipeline and ``--date`` give the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from geokg.confidence import CONFIDENCE_FORMAT, ConfidenceModel, features, reliability
from geokg.evaluation.gold import GoldDoc, RowMatch, match_rows, read_gold, split_of

REPO = Path(__file__).resolve().parents[1]
#: Inverse L2 strengths tried (small C = strong regularisation: the dev side is small).
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: An indicator feature must be on in at least this many dev rows, and off in as many.
MIN_COUNT = 5
FOLDS = 5
#: Indicator features offered, by key (``plover=`` and ``extractor=`` are left out: too many
#: values or one value for the rows of one extractor; QuadClass stands for the event type).
CATEGORICAL = (
    "rule",
    "subject_kind",
    "object_kind",
    "subject_type",
    "object_type",
    "modality",
    "quad_class",
)
#: Numeric features always offered (when some dev row has them non-zero).
NUMERIC = (
    "prior",
    "negated",
    "coded",
    "speaker",
    "subject_known",
    "object_known",
    "sentence_length",
    "distance",
    "event_probability",
)


class TestSideError(ValueError):
    """A test-side document reached the fitting (never allowed: docs/ANNOTATION.md)."""


def dev_documents(docs: Sequence[GoldDoc]) -> list[GoldDoc]:
    """The dev-side documents, judged by the id itself (:func:`split_of`), not the file's field."""
    return [d for d in docs if split_of(d.doc_id) == "dev"]


def labelled(docs: Sequence[GoldDoc], rows: Sequence[Mapping[str, Any]]) -> list[RowMatch]:
    """The scored rows of ``docs`` with their gold matches; refuses any test-side document."""
    test = sorted(d.doc_id for d in docs if split_of(d.doc_id) != "dev")
    if test:
        raise TestSideError(f"test-side documents may not be fitted on: {', '.join(test[:3])}")
    return match_rows(docs, rows)


def choose_features(feats: Sequence[Mapping[str, float]]) -> list[str]:
    """Numeric features that vary over the rows, and indicators of :data:`CATEGORICAL` keys
    that are on in ``MIN_COUNT`` rows and off in as many."""
    n = len(feats)
    names = [k for k in NUMERIC if len({f.get(k, 0.0) for f in feats}) > 1]
    on: Counter[str] = Counter(k for f in feats for k, v in f.items() if v and "=" in k)
    names += sorted(
        k for k in on if k.split("=")[0] in CATEGORICAL and MIN_COUNT <= on[k] <= n - MIN_COUNT
    )
    return names


def _matrix(feats: Sequence[Mapping[str, float]], names: Sequence[str]) -> Any:
    return np.array([[f.get(k, 0.0) for k in names] for f in feats], dtype=float)


def _fit(x: Any, y: Any, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-10)
    model.fit(x, y)
    return model


def _log_loss(p: Sequence[float], y: Sequence[int]) -> float:
    eps = 1e-12
    return -math.fsum(
        yi * math.log(max(pi, eps)) + (1 - yi) * math.log(max(1 - pi, eps))
        for pi, yi in zip(p, y, strict=True)
    ) / len(y)


def out_of_fold(
    x: Any, y: Any, groups: Sequence[str], c: float, folds: int
) -> tuple[list[float], list[float]]:
    """Probabilities of each row from a model fitted without its document's fold, and the log
    loss of each fold."""
    p = np.zeros(len(y))
    losses: list[float] = []
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        if len(set(y[train])) < 2:
            p[test] = float(np.mean(y[train]))
        else:
            p[test] = _fit(x[train], y[train], c).predict_proba(x[test])[:, 1]
        losses.append(_log_loss([float(v) for v in p[test]], [int(v) for v in y[test]]))
    return [float(v) for v in p], losses


def choose_c(losses: Mapping[float, Sequence[float]]) -> float:
    """The C with the best mean fold loss (ties: the stronger regularisation).

    The one-standard-error rule was tried first: with five folds of a small dev side its
    standard error is wide, and for svo.v2 it chose C=0.01, a nearly constant model whose
    cross-validated log loss (0.565) was worse than the extractor's own literals (0.546).
    """
    means = {c: float(np.mean(v)) for c, v in losses.items()}
    return min(means, key=lambda c: (means[c], c))


def choose_threshold(
    p: Sequence[float], matches: Sequence[RowMatch], core_facts: int
) -> dict[str, float]:
    """The threshold maximising F1 of strict row precision and strict core recall on dev.

    Ties go to the higher threshold (fewer rows for the same F1). Returns the threshold and the
    precision, recall and F1 at it.
    """
    best: dict[str, float] = {"threshold": 0.0, "precision": 0.0, "recall": 0.0, "f1": -1.0}
    for t in sorted({round(v, 4) for v in p}):
        kept = [m for v, m in zip(p, matches, strict=True) if round(v, 4) >= t]
        precision = sum(m.right for m in kept) / len(kept) if kept else 0.0
        found = {(str(m.row.get("doc_id")), f) for m in kept for f in m.core_strict}
        recall = len(found) / core_facts if core_facts else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 >= best["f1"]:
            best = {"threshold": t, "precision": precision, "recall": recall, "f1": f1}
    return best


def _figures(p: Sequence[float], y: Sequence[int]) -> dict[str, float]:
    rel = reliability(p, [bool(v) for v in y])
    return {
        "brier": round(rel.brier, 4),
        "ece": round(rel.ece, 4),
        "log_loss": round(_log_loss(p, y), 4),
    }


def fit(
    matches: Sequence[RowMatch], *, core_facts: int, folds: int = FOLDS
) -> tuple[ConfidenceModel, dict[str, Any]]:
    """Fit the model on labelled dev rows; return it (no provenance yet) and the dev figures."""
    feats = [features(m.row) for m in matches]
    names = choose_features(feats)
    x = _matrix(feats, names)
    y = np.array([int(m.right) for m in matches])
    groups = [str(m.row.get("doc_id")) for m in matches]
    folds = min(folds, len(set(groups)))
    losses = {c: out_of_fold(x, y, groups, c, folds)[1] for c in C_GRID}
    c_best = choose_c(losses)
    oof = out_of_fold(x, y, groups, c_best, folds)[0]
    final = _fit(x, y, c_best)
    threshold = choose_threshold(oof, matches, core_facts)
    model = ConfidenceModel(
        extractor="",
        names=tuple(names),
        coef=tuple(round(float(w), 6) for w in final.coef_[0]),
        intercept=round(float(final.intercept_[0]), 6),
        threshold=threshold["threshold"],
    )
    priors = [float(m.row.get("prior") or 0.0) for m in matches]
    in_sample = [model.predict(m.row) for m in matches]
    figures = {
        "rows": len(matches),
        "right": int(y.sum()),
        "documents": len(set(groups)),
        "C": c_best,
        "cv_log_loss": {str(c): round(float(np.mean(v)), 4) for c, v in losses.items()},
        "folds": folds,
        "cross_validated": _figures(oof, list(y)),
        "prior_literals": _figures(priors, list(y)),
        "in_sample": _figures(in_sample, list(y)),
        "threshold": {k: round(v, 4) for k, v in threshold.items()},
    }
    return model, figures


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model(
    path: Path, extractor: str, model: ConfidenceModel, provenance: Mapping[str, Any]
) -> str:
    """The new text of ``confidence.json`` with ``extractor``'s entry replaced."""
    doc: dict[str, Any] = {"format": CONFIDENCE_FORMAT, "models": {}}
    if path.is_file():
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("format") == CONFIDENCE_FORMAT:
            doc["models"] = dict(old.get("models") or {})
    entry = model.to_dict()
    entry["provenance"] = dict(provenance)
    doc["models"][extractor] = entry
    doc["models"] = dict(sorted(doc["models"].items()))
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extractor", default="svo.v2")
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: the search order)")
    ap.add_argument("--gold", default=str(REPO / "eval" / "gold" / "news_gold.jsonl"))
    ap.add_argument("--news", default=str(REPO.parent / "shared" / "data" / "news"))
    ap.add_argument("--out", default=str(REPO / "geokg" / "data" / "confidence.json"))
    ap.add_argument("--date", default=dt.datetime.now(dt.UTC).date().isoformat())
    ap.add_argument("--check", action="store_true", help="exit 1 if --out would change")
    args = ap.parse_args(argv)

    from geokg.evaluation.adapters import predict_records_fn
    from geokg.evaluation.gold import gold_texts
    from geokg.nlp import load_model, model_label

    gold = Path(args.gold)
    docs = dev_documents(read_gold(gold))
    records = gold_texts(docs, args.news)
    nlp = load_model(args.model)
    rows = predict_records_fn(nlp, extractor=args.extractor)([records[d.doc_id] for d in docs])
    matches = labelled(docs, rows)
    core = sum(f.core for d in docs for f in d.facts)
    model, figures = fit(matches, core_facts=core)
    provenance = {
        "date": args.date,
        "gold": gold.name,
        "gold_sha256": _sha256(gold),
        "extractor": args.extractor,
        "pipeline": model_label(nlp),
        "dev_documents": len(docs),
        "dev_rows": figures["rows"],
        "dev_rows_right": figures["right"],
        "dev_core_facts": core,
        "method": (
            f"L2 logistic regression (scikit-learn {sklearn.__version__}, lbfgs), C chosen by "
            f"{figures['folds']}-fold GroupKFold by document on dev (the smallest C within one "
            "standard error of the best mean fold log loss); "
            "threshold maximises F1 of dev strict row precision and strict core recall on the "
            "out-of-fold probabilities"
        ),
        "dev_figures": figures,
    }
    out = Path(args.out)
    text = write_model(out, args.extractor, model, provenance)
    print(json.dumps(figures, indent=1))
    if args.check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(
        f"wrote {out} ({args.extractor}: {len(model.names)} features, C={figures['C']}, "
        f"threshold {model.threshold})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
