"""CaRB scoring (Bhardwaj, Aggarwal & Mausam, EMNLP 2019), re-implemented from its description.

The rules follow ``shared/data/carb/README.md`` ("How CaRB scores"), i.e. the default CaRB
scorer: the *binary lenient tuple match* and the "sm" aggregation (recall many-to-one, precision
greedily one-to-one), swept over every distinct prediction confidence.

Pairwise score of a gold tuple ``g`` and a predicted tuple ``p`` (:func:`pair_score`):

1. Both are binarised: arg1 is kept, all further arguments are joined with a space into arg2.
2. Relation tokens (whitespace split, case-sensitive) are matched as a multiset; if ``be`` is
   left among the unconsumed predicted tokens and the gold relation holds a form of *be*, one
   more token matches. No relation match: the pair scores ``(0, 0)``.
3. For gold arg1 and arg2 (when present): the gold length goes to the recall denominator; a
   prediction without that argument scores ``(0, 0)``; otherwise the predicted length goes to
   the precision denominator and the multiset overlap to both numerators.
4. "Said" rule: when the gold relation contains ``said``, ``told``, ``added``, ``adds`` or
   ``says``, the prediction is also scored with its arguments swapped and the larger
   ``(precision, recall)`` pair (lexicographic) is kept.

Gold arguments containing ``"C: "`` (context) are dropped by the gold reader. Sentences are
aligned on a key with spaces removed, PTB brackets unescaped and ASCII punctuation deleted
(:func:`normalize_sentence`); predictions for sentences without gold are ignored.

>>> g = CarbTuple(sentence="A met B .", relation="met", args=("A", "B"))
>>> pair_score(g, CarbTuple(sentence="A met B .", relation="met", args=("A", "B")))
(1.0, 1.0)
"""

from __future__ import annotations

import os
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from geokg._io import atomic_open
from geokg.errors import ConfigError, InputError

__all__ = [
    "CarbScore",
    "CarbTuple",
    "normalize_sentence",
    "pair_score",
    "read_gold",
    "read_openie5",
    "read_tabbed",
    "score_carb",
    "write_tabbed",
]

PredictionFormat = Literal["tabbed", "openie5"]

_PTB_ESCAPES: tuple[tuple[str, str], ...] = (
    ("(", "-LRB-"),
    (")", "-RRB-"),
    ("[", "-LSB-"),
    ("]", "-RSB-"),
    ("{", "-LCB-"),
    ("}", "-RCB-"),
)
_PUNCT = re.compile(f"[{re.escape(string.punctuation)}]")
_BE_FORMS = frozenset({"be", "is", "am", "are", "was", "were", "been", "being"})
_SAID_WORDS = ("said", "told", "added", "adds", "says")


@dataclass(frozen=True, slots=True, kw_only=True)
class CarbTuple:
    """One open-IE tuple (gold or predicted).

    Attributes:
        sentence: The sentence as written in the file (PTB tokenised for CaRB).
        relation: The relation phrase.
        args: Arguments in order (arg1, arg2, ...).
        confidence: Extractor confidence; gold tuples carry 1.0.
    """

    sentence: str
    relation: str
    args: tuple[str, ...]
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CarbScore:
    """The CaRB figures of one system on one gold set.

    Attributes:
        auc: Area under the precision-recall curve, with the point (R=0, P=1) added.
        precision: Precision at the threshold with the best F1.
        recall: Recall at that threshold.
        f1: Best F1 over all thresholds.
        threshold: The confidence threshold giving the best F1.
        sentences: Number of gold sentences scored.
        gold: Number of gold tuples.
        predictions: Number of predictions on gold sentences (all confidences).
        curve: ``(threshold, precision, recall)`` for every threshold, ascending.
    """

    auc: float
    precision: float
    recall: float
    f1: float
    threshold: float
    sentences: int = 0
    gold: int = 0
    predictions: int = 0
    curve: tuple[tuple[float, float, float], ...] = field(default=(), repr=False)


def normalize_sentence(sentence: str) -> str:
    """Return the key CaRB aligns gold and predicted sentences on.

    >>> normalize_sentence("He said -LRB- twice -RRB- , `` yes '' .")
    'Hesaidtwiceyes'
    """
    key = sentence.replace(" ", "")
    for raw, escaped in _PTB_ESCAPES:
        key = key.replace(escaped, raw)
    return _PUNCT.sub("", key)


def read_gold(path: str | os.PathLike[str]) -> list[CarbTuple]:
    """Read a CaRB gold TSV (``sentence, relation, arg1, arg2, ...``), dropping ``C:`` args.

    Raises:
        InputError: The file is missing or a line has no relation column.
    """
    out: list[CarbTuple] = []
    for lineno, line in _lines(path):
        data = line.strip().split("\t")
        if len(data) < 2:
            raise InputError(
                f"{path}:{lineno}",
                "a CaRB gold line needs at least 'sentence<TAB>relation'; check the file format",
            )
        args = tuple(a.strip() for a in data[2:] if "C: " not in a)
        out.append(CarbTuple(sentence=data[0].strip(), relation=data[1].strip(), args=args))
    return out


def read_tabbed(path: str | os.PathLike[str]) -> list[CarbTuple]:
    """Read predictions in CaRB's tabbed format (``sentence, confidence, relation, args...``).

    Blank lines are skipped.

    Raises:
        InputError: A line has fewer than three columns or a confidence that is not a number.
    """
    out: list[CarbTuple] = []
    for lineno, line in _lines(path):
        if not line.strip():
            continue
        data = line.strip().split("\t")
        if len(data) < 3:
            raise InputError(
                f"{path}:{lineno}",
                "a tabbed prediction needs 'sentence<TAB>confidence<TAB>relation[<TAB>arg...]'",
            )
        out.append(
            CarbTuple(
                sentence=data[0],
                confidence=_confidence(data[1], f"{path}:{lineno}"),
                relation=data[2],
                args=tuple(data[3:]),
            )
        )
    return out


def read_openie5(path: str | os.PathLike[str]) -> list[CarbTuple]:
    """Read OpenIE-5 output as shipped in the CaRB repository.

    Columns: confidence, context, ``SimpleArgument(text,List(...))``, ``Relation(text,List(...))``,
    arguments joined by ``);``, sentence. Lines missing arg1, relation or arg2 are skipped, and a
    context that does not already start the tuple is prefixed to arg1, as CaRB's reader does.

    Raises:
        InputError: A line is not in that format.
    """
    out: list[CarbTuple] = []
    for lineno, line in _lines(path):
        data = line.strip().split("\t")
        if len(data) < 6 or not all(data[2:5]):
            continue
        where = f"{path}:{lineno}"
        arg1, rel = _oie5_text(data[2], where), _oie5_text(data[3], where)
        args = [_oie5_text(s, where) for s in data[4].strip().split(");")]
        if data[1]:
            context = _oie5_text(data[1], where)
            if not f"{arg1} {rel}".startswith(context):
                arg1 = f"{context} {arg1}"
        out.append(
            CarbTuple(
                sentence=data[5],
                confidence=_confidence(data[0], where),
                relation=rel,
                args=(arg1, *args),
            )
        )
    return out


def write_tabbed(tuples: Iterable[CarbTuple], path: str | os.PathLike[str]) -> Path:
    """Write predictions in the tabbed format (atomically) and return the path.

    Tabs and newlines inside fields are replaced by spaces so the file stays parseable.
    """

    def clean(text: str) -> str:
        return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")

    with atomic_open(path) as fh:
        for t in tuples:
            fields = [clean(t.sentence), repr(float(t.confidence)), clean(t.relation)]
            fields.extend(clean(a) for a in t.args)
            fh.write("\t".join(fields) + "\n")
    return Path(path)


def pair_score(gold: CarbTuple, pred: CarbTuple) -> tuple[float, float]:
    """Return ``(precision, recall)`` of one prediction against one gold tuple.

    The binary lenient tuple match of CaRB, with the "said" swap (module docstring).

    >>> g = CarbTuple(sentence="s", relation="said", args=("he", "it rained"))
    >>> pair_score(g, CarbTuple(sentence="s", relation="said", args=("it rained", "he")))
    (1.0, 1.0)
    """
    g_args = _binarise(gold.args)
    straight = _lenient(gold.relation, g_args, pred.relation, _binarise(pred.args))
    if not any(w in gold.relation for w in _SAID_WORDS):
        return straight
    if len(pred.args) >= 2:
        swapped: tuple[str, ...] = (" ".join(pred.args[1:]), pred.args[0])
    else:
        swapped = pred.args
    reverse = _lenient(gold.relation, g_args, pred.relation, swapped)
    return max(straight, reverse)


def score_carb(
    gold: str | os.PathLike[str] | Sequence[CarbTuple],
    predictions: str | os.PathLike[str] | Iterable[CarbTuple],
    *,
    fmt: PredictionFormat = "tabbed",
) -> CarbScore:
    """Score predictions against CaRB gold.

    Args:
        gold: Path to a gold TSV, or gold tuples (``C:`` arguments already removed).
        predictions: Path to a prediction file in ``fmt``, or predicted tuples.
        fmt: Format of a prediction file: ``tabbed`` (ours) or ``openie5``.

    Returns:
        AUC, and precision, recall and F1 at the best-F1 threshold.

    Raises:
        ConfigError: ``fmt`` is unknown.
        InputError: A file cannot be read.

    >>> g = [CarbTuple(sentence="A met B .", relation="met", args=("A", "B"))]
    >>> p = [CarbTuple(sentence="A met B", relation="met", args=("A", "B"), confidence=0.5)]
    >>> s = score_carb(g, p)
    >>> (s.precision, s.recall, s.f1, s.threshold)
    (1.0, 1.0, 1.0, 0.5)
    """
    gold_tuples = read_gold(gold) if isinstance(gold, str | os.PathLike) else list(gold)
    if isinstance(predictions, str | os.PathLike):
        if fmt == "tabbed":
            pred_tuples = read_tabbed(predictions)
        elif fmt == "openie5":
            pred_tuples = read_openie5(predictions)
        else:
            raise ConfigError(f"unknown CaRB prediction format {fmt!r}; use 'tabbed' or 'openie5'")
    else:
        pred_tuples = list(predictions)

    gold_by = _group(gold_tuples)
    pred_by = _group(pred_tuples)
    thresholds = sorted({t.confidence for ts in pred_by.values() for t in ts})
    index = {c: i for i, c in enumerate(thresholds)}
    n = len(thresholds)
    # Per-threshold sums, added through difference arrays: a sentence contributes the
    # figures of its own confidence c to every global threshold t with prev < t <= c.
    p_num = [0.0] * (n + 1)
    p_den = [0.0] * (n + 1)
    r_num = [0.0] * (n + 1)
    r_den = [0.0] * (n + 1)
    n_preds = 0
    for key, golds in gold_by.items():
        preds = pred_by.get(key, [])
        n_preds += len(preds)
        matrix = [[pair_score(g, p) for p in preds] for g in golds]
        prev = 0
        for conf in sorted({p.confidence for p in preds}):
            c = index[conf]
            selected = [j for j, p in enumerate(preds) if p.confidence >= conf]
            rn = sum(max(row[j][1] for j in selected) for row in matrix)
            pn = _greedy_precision(matrix, selected)
            for arr, value in (
                (p_num, pn),
                (p_den, float(len(selected))),
                (r_num, rn),
                (r_den, float(len(golds))),
            ):
                arr[prev] += value
                arr[c + 1] -= value
            prev = c + 1
        r_den[prev] += len(golds)
        r_den[n] -= len(golds)

    precisions: list[float] = []
    recalls: list[float] = []
    acc = [0.0, 0.0, 0.0, 0.0]
    for i in range(n):
        acc[0] += p_num[i]
        acc[1] += p_den[i]
        acc[2] += r_num[i]
        acc[3] += r_den[i]
        precisions.append(acc[0] / acc[1] if acc[1] > 0 else 1.0)
        recalls.append(acc[2] / acc[3] if acc[3] > 0 else 0.0)

    best = -1
    best_f1 = -1.0
    for i, (p, r) in enumerate(zip(precisions, recalls, strict=True)):
        f1 = _f1(p, r)
        if f1 > best_f1:
            best, best_f1 = i, f1
    auc = _auc([*recalls, 0.0], [*precisions, 1.0])
    curve = tuple(zip(thresholds, precisions, recalls, strict=True))
    if best < 0:
        return CarbScore(
            auc=auc,
            precision=0.0,
            recall=0.0,
            f1=0.0,
            threshold=0.0,
            sentences=len(gold_by),
            gold=sum(len(g) for g in gold_by.values()),
            predictions=n_preds,
            curve=curve,
        )
    return CarbScore(
        auc=auc,
        precision=precisions[best],
        recall=recalls[best],
        f1=best_f1,
        threshold=thresholds[best],
        sentences=len(gold_by),
        gold=sum(len(g) for g in gold_by.values()),
        predictions=n_preds,
        curve=curve,
    )


# --------------------------------------------------------------------------- helpers


def _lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    try:
        with Path(path).open(encoding="utf-8") as fh:
            yield from enumerate(fh, start=1)
    except OSError as exc:
        raise InputError(
            str(path), f"cannot read the file ({exc.strerror}); check the path"
        ) from exc


def _confidence(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(where, f"confidence {text!r} is not a number") from None


def _oie5_text(field_text: str, where: str) -> str:
    start = field_text.find("(")
    end = field_text.find(",List(")
    if start < 0 or end < 0:
        raise InputError(where, f"expected 'Kind(text,List(...))', got {field_text[:60]!r}")
    return field_text[start + 1 : end]


def _group(tuples: Iterable[CarbTuple]) -> dict[str, list[CarbTuple]]:
    """Group by raw sentence, then key by the normalised sentence (a later raw form wins)."""
    raw: dict[str, list[CarbTuple]] = {}
    for t in tuples:
        raw.setdefault(t.sentence.strip(), []).append(t)
    return {normalize_sentence(k): v for k, v in raw.items()}


def _binarise(args: tuple[str, ...]) -> tuple[str, ...]:
    if len(args) >= 2:
        return (args[0], " ".join(args[1:]))
    return args


def _lenient(
    g_rel: str, g_args: tuple[str, ...], p_rel: str, p_args: tuple[str, ...]
) -> tuple[float, float]:
    p_words = p_rel.split()
    g_words = g_rel.split()
    prec_num = prec_den = rec_num = rec_den = 0
    prec_den += len(p_words)
    rec_den += len(g_words)
    matched = 0
    for w in g_words:
        if w in p_words:
            matched += 1
            p_words.remove(w)
    if "be" in p_words and any(w in _BE_FORMS for w in g_words):
        matched += 1
    if matched == 0:
        return (0.0, 0.0)
    prec_num += matched
    rec_num += matched
    for i, g_arg in enumerate(g_args):
        g_toks = g_arg.split()
        rec_den += len(g_toks)
        if i >= len(p_args):
            return (0.0, 0.0)
        p_toks = p_args[i].split()
        prec_den += len(p_toks)
        overlap = sum((Counter(g_toks) & Counter(p_toks)).values())
        prec_num += overlap
        rec_num += overlap
    prec = prec_num / prec_den if prec_den else 0.0
    rec = rec_num / rec_den if rec_den else 0.0
    return (prec, rec)


def _greedy_precision(matrix: list[list[tuple[float, float]]], selected: list[int]) -> float:
    rows_used: set[int] = set()
    cols_used: set[int] = set()
    total = 0.0
    for _ in range(min(len(matrix), len(selected))):
        best_p = -1.0
        best_i = best_j = -1
        for i, row in enumerate(matrix):
            if i in rows_used:
                continue
            for j in selected:
                if j in cols_used:
                    continue
                if row[j][0] > best_p:
                    best_p, best_i, best_j = row[j][0], i, j
        rows_used.add(best_i)
        cols_used.add(best_j)
        total += best_p
    return total


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _auc(x: list[float], y: list[float]) -> float:
    """Trapezoidal area, x monotonic in either direction (as sklearn's ``auc``)."""
    area = 0.0
    for i in range(1, len(x)):
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2
    return abs(area)
