"""Calibrated confidence: the probability that a ``triples.jsonl`` row is a gold fact.

Extractors set a hand-made ``confidence`` literal on each relation. What users see instead is a
probability learned on the news gold's **dev** side (docs/EVALUATION.md): a logistic regression
over features of the row, fitted by ``scripts/fit_confidence.py`` (``make calibrate``) and kept
as data in ``geokg/data/confidence.json``, one model per extractor. Inference is the few lines of
:meth:`ConfidenceModel.predict` over the stored coefficients; nothing is fitted at run time and
scikit-learn is needed only by the fitting script.

**Labels.** A row is right when it matches a gold fact *strictly* (its actors, direction and its
PLOVER type or wording; :mod:`geokg.evaluation.gold`). Only rows whose subject and object are
both actors are scored by the gold, so the model is fitted on those; a row with no actor target
(``"object": null``) gets the model's probability all the same, an extrapolation.

**Features** (:func:`features`) are read off the row alone, as ``geokg build`` writes it, so that
a later field joins by adding one line here and refitting: a feature that is absent from a row
counts as 0, and a feature the stored model does not name is ignored. The extractor's literal is
one of them (``prior``, kept in the row under that name).

>>> row = {"rule": "svo.verb_object", "prior": 0.9, "subject": {"id": "GBR", "type": "country"},
...        "object": {"id": "person:x", "type": "person"}, "modality": "asserted",
...        "negated": False, "event": {"plover": "ACCUSE", "quad_class": 3},
...        "sentence": "UK accuses X.", "subject_mention": {"span": [0, 2], "kind": "name"},
...        "object_mention": {"span": [11, 12], "kind": "name"}}
>>> f = features(row)
>>> f["rule=svo.verb_object"], f["subject_known"], f["object_known"], f["quad_class=3"]
(1.0, 1.0, 0.0, 1.0)
>>> m = ConfidenceModel(extractor="svo.v1", names=("prior", "subject_known"),
...                     coef=(2.0, 1.0), intercept=-2.0, threshold=0.5)
>>> round(m.predict(row), 4)  # 1 / (1 + exp(-(2 * 0.9 + 1 * 1 - 2)))
0.69
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from geokg.errors import ConfigError
from geokg.model import Row

__all__ = [
    "CONFIDENCE_FORMAT",
    "ConfidenceModel",
    "Reliability",
    "ReliabilityBin",
    "features",
    "load_models",
    "model_for",
    "reliability",
]

CONFIDENCE_FORMAT = "geokg-confidence/1"
_DATA_FILE = "confidence.json"
# Gazetteer identities: an ISO 3166 alpha-3 state or a Wikidata QID (geokg/data/README.md).
_KNOWN_ID = re.compile(r"[A-Z]{3}|Q[0-9]+")
# Continuous features are squashed into [0, 1] so that no scaler has to be stored.
_CHARS_SCALE = math.log1p(1000.0)


def _squash(chars: float) -> float:
    """``log(1 + chars) / log(1001)``, capped at 1: 0 for 0 characters, 1 for 1,000 or more."""
    return min(1.0, math.log1p(max(0.0, chars)) / _CHARS_SCALE)


def _side(row: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = row.get(key)
    return value if isinstance(value, Mapping) else {}


def _span(mention: Mapping[str, Any]) -> tuple[int, int] | None:
    span = mention.get("span")
    if isinstance(span, Sequence) and len(span) == 2 and all(isinstance(v, int) for v in span):
        return int(span[0]), int(span[1])
    return None


def _distance(row: Mapping[str, Any]) -> float:
    """Characters between the subject's and the object's mentions (0 when they touch)."""
    a, b = _span(_side(row, "subject_mention")), _span(_side(row, "object_mention"))
    if a is None or b is None:
        return 0.0
    return float(max(0, max(a[0], b[0]) - min(a[1], b[1])))


def _categorical(row: Mapping[str, Any]) -> Iterable[str]:
    subject, obj, event = _side(row, "subject"), _side(row, "object"), _side(row, "event")
    yield f"rule={row.get('rule') or '(none)'}"
    yield f"extractor={row.get('extractor') or '(none)'}"
    yield f"subject_type={subject.get('type') or 'none'}"
    yield f"object_type={obj.get('type') or 'none'}"
    yield f"subject_kind={_side(row, 'subject_mention').get('kind') or 'none'}"
    yield f"object_kind={_side(row, 'object_mention').get('kind') or 'none'}"
    yield f"modality={row.get('modality') or 'asserted'}"
    yield f"quad_class={event.get('quad_class') if event else 'none'}"
    yield f"plover={event.get('plover') if event else 'none'}"


def _numeric(row: Mapping[str, Any]) -> Iterable[tuple[str, float]]:
    subject, obj, event = _side(row, "subject"), _side(row, "object"), _side(row, "event")
    yield "prior", float(row.get("prior") or 0.0)
    yield "negated", float(bool(row.get("negated")))
    yield "coded", float(bool(event))
    yield "speaker", float(bool(row.get("speaker")))
    yield "subject_known", float(bool(_KNOWN_ID.fullmatch(str(subject.get("id") or ""))))
    yield "object_known", float(bool(_KNOWN_ID.fullmatch(str(obj.get("id") or ""))))
    yield "sentence_length", _squash(len(str(row.get("sentence") or "")))
    yield "distance", _squash(_distance(row))
    # Later fields join here; absent from a row, they are left out (0 to the model).
    if isinstance(event.get("probability"), int | float):
        yield "event_probability", float(event["probability"])


def features(row: Row | Mapping[str, Any]) -> dict[str, float]:
    """Every feature of a ``triples.jsonl`` row, by name (module docstring).

    The features are read off the row's file form, the one ``scripts/fit_confidence.py`` fits
    on, so that fitting and prediction share this one definition: a :class:`~geokg.model.Row`
    (the build calibrating its rows) is read through :meth:`~geokg.model.Row.to_json`.

    Categorical values become indicator features named ``key=value`` (``rule=svo.verb_object``,
    ``subject_kind=pronoun``); the rest are numbers in [0, 1]: the extractor's literal
    (``prior``), ``negated``, ``coded`` (the verb dictionary gave an event type), ``speaker``,
    ``subject_known`` / ``object_known`` (a gazetteer identity: ISO code or Wikidata QID),
    ``sentence_length`` and ``distance`` (characters between subject and object, on a log scale
    where 1,000 characters is 1), and ``event_probability`` when the row's event carries one.
    The row's own ``confidence`` is never read.
    """
    if isinstance(row, Row):
        row = row.to_json()
    out = dict.fromkeys(_categorical(row), 1.0)
    out.update(_numeric(row))
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfidenceModel:
    """A logistic model kept as data: ``P(right) = 1 / (1 + exp(-(intercept + coef · x)))``.

    Attributes:
        extractor: The extractor whose rows it was fitted on (``svo.v1``).
        names: Feature names, in the order of ``coef``.
        coef: One coefficient per name.
        intercept: The intercept.
        threshold: Default ``--min-confidence`` for the HTML page and the graph exports.
        provenance: How it was fitted (date, gold file and its SHA-256, dev rows, ...).
    """

    extractor: str
    names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.0
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if len(self.names) != len(self.coef):
            raise ConfigError(
                f"the confidence model of {self.extractor} has {len(self.names)} feature names "
                f"but {len(self.coef)} coefficients; refit it with 'make calibrate'"
            )

    def score(self, feats: Mapping[str, float]) -> float:
        """The linear score (log-odds) of a feature mapping; absent features count as 0."""
        return self.intercept + math.fsum(
            w * feats.get(n, 0.0) for n, w in zip(self.names, self.coef, strict=True)
        )

    def predict(self, row: Row | Mapping[str, Any]) -> float:
        """The calibrated probability that ``row`` is right, rounded to 4 places."""
        z = self.score(features(row))
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        return round(p, 4)

    @classmethod
    def from_dict(cls, extractor: str, rec: Mapping[str, Any]) -> ConfidenceModel:
        """A model from its ``confidence.json`` entry."""
        try:
            return cls(
                extractor=extractor,
                names=tuple(str(n) for n in rec["features"]),
                coef=tuple(float(c) for c in rec["coef"]),
                intercept=float(rec["intercept"]),
                threshold=float(rec["threshold"]),
                provenance=dict(rec.get("provenance") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"the confidence model of {extractor} in geokg/data/{_DATA_FILE} is malformed "
                f"({exc!r}); refit it with 'make calibrate'"
            ) from exc

    def to_dict(self) -> dict[str, Any]:
        """The ``confidence.json`` entry (the inverse of :meth:`from_dict`)."""
        return {
            "features": list(self.names),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "provenance": dict(self.provenance),
        }


def load_models(text: str | None = None) -> dict[str, ConfidenceModel]:
    """The models of ``confidence.json`` (``text``; default: the file shipped in the package)."""
    if text is None:
        text = resources.files("geokg").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    doc = json.loads(text)
    if doc.get("format") != CONFIDENCE_FORMAT:
        raise ConfigError(
            f"geokg/data/{_DATA_FILE} is not in the format {CONFIDENCE_FORMAT}; refit it with "
            "'make calibrate'"
        )
    return {
        name: ConfidenceModel.from_dict(name, rec) for name, rec in sorted(doc["models"].items())
    }


@cache
def model_for(extractor: str) -> ConfidenceModel | None:
    """The shipped model of ``extractor``, or ``None`` when it has none (the literal stays)."""
    return load_models().get(extractor)


# --------------------------------------------------------------------------- reliability


@dataclass(frozen=True, slots=True, kw_only=True)
class ReliabilityBin:
    """Rows whose predicted probability falls in ``[low, high)`` (the last bin includes 1)."""

    low: float
    high: float
    rows: int
    mean_predicted: float
    observed: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Reliability:
    """A reliability table with its Brier score and expected calibration error."""

    bins: tuple[ReliabilityBin, ...]
    rows: int
    brier: float
    ece: float


def reliability(predicted: Sequence[float], right: Sequence[bool], *, bins: int = 5) -> Reliability:
    """Bin rows by predicted probability: rows, mean prediction and observed rate per bin.

    ``brier`` is the mean squared error of the predictions; ``ece`` the expected calibration
    error: the rows-weighted mean of ``|observed - mean predicted|`` over the bins.

    >>> r = reliability([0.1, 0.2, 0.9, 0.8], [False, True, True, True], bins=2)
    >>> [(b.rows, round(b.mean_predicted, 2), b.observed) for b in r.bins]
    [(2, 0.15, 0.5), (2, 0.85, 1.0)]
    >>> round(r.brier, 4), round(r.ece, 4)
    (0.175, 0.25)
    """
    if len(predicted) != len(right):
        raise ValueError("predicted and right must have the same length")
    cells: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, y in zip(predicted, right, strict=True):
        cells[min(bins - 1, int(p * bins))].append((p, y))
    table = tuple(
        ReliabilityBin(
            low=k / bins,
            high=(k + 1) / bins,
            rows=len(cell),
            mean_predicted=math.fsum(p for p, _ in cell) / len(cell) if cell else 0.0,
            observed=sum(y for _, y in cell) / len(cell) if cell else 0.0,
        )
        for k, cell in enumerate(cells)
    )
    n = len(predicted)
    brier = math.fsum((p - y) ** 2 for p, y in zip(predicted, right, strict=True)) / n if n else 0.0
    ece = math.fsum(b.rows * abs(b.observed - b.mean_predicted) for b in table) / n if n else 0.0
    return Reliability(bins=table, rows=n, brier=brier, ece=ece)
