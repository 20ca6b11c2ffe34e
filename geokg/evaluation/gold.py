"""The news gold standard (``eval/gold/news_gold.jsonl``, docs/ANNOTATION.md) and its scorer.

**Gold file.** JSON Lines, one annotated document a line (the format is in docs/ANNOTATION.md,
section 4). :func:`read_gold` validates every field and names the file, line and reason of the
first problem. Texts are not in the file: :func:`gold_texts` reads them from
``../shared/data/news`` by id and checks each against the recorded ``text_sha256``.

**Which rows count.** ``triples.jsonl`` rows (DESIGN.md section 4) of the gold documents whose
subject and object are actors: of type ``person``, ``country``, ``organisation`` or ``group``
(an untargeted event has a null object; a place or a thing is ``location`` or ``other``). Every
such row is one prediction: precision is over rows, as an analyst reading ``triples.jsonl``
sees them.

**Actors.** A row's subject (object) *is* a gold actor of a kind its node type can be (a
``person`` node is never a state, a ``country`` node only a state) when

* the gold actor is a state and the node is a ``country`` with that ISO code as its id or
  country; else
* the node's label equals one of the gold actor's names or its id after normalisation (case,
  accents, titles and ``the`` ignored); else, when no gold actor's name is equal, it matches one
  by :func:`geokg.evaluation.seeds.names_match` (a contiguous word run, "Biden" ~ "Joe Biden");
  else
* the mention's own words do, by the same two steps.

Pronouns ("he", "we") never name an actor by themselves: a pronoun counts through the node
geokg resolved it to.

**Facts.** A row matches a gold fact *leniently* when its subject is one of the fact's subject
actors and its object one of the fact's object actors (either way round when the fact is
symmetric), and *strictly* when, in addition, its PLOVER type is one of the fact's types or its
relation lemma is one of the fact's wordings (a trailing particle may be missing on one side).

**Figures** (:class:`NewsScore`):

* ``precision``: rows matching some fact / rows (lenient and strict);
* ``recall``: core facts matched by some row / core facts (lenient and strict), and the same over
  all facts;
* ``event type`` and ``modality`` accuracy over leniently matched facts, judged on the fact's
  *best row* (of the matching rows, those read from a sentence that overlaps the fact's evidence
  when there are any, since another sentence between the same actors is another event; then the
  highest confidence, then the first in row order): its
  PLOVER type is one of the fact's (or both have none); its modality, with a negated row read as
  ``negated``, is the fact's;
* ``hedged stored as plain``: facts whose gold modality is requested, intended, hypothetical or
  negated that some matching row stores as a plain fact (asserted or reported, not negated); and,
  over rows, ``hedged plain rows``: strictly matching rows whose every fact is hedged and that
  store it as plain, as a share of the strictly matching rows (a row that matches a hedged fact
  only leniently is another event between the same actors, not a hedge lost);
* ``duplicate nodes``: for each gold actor (its id across documents), the graph nodes that match
  it, less one; ``merged nodes``: nodes that match two or more gold actors of one document;
* ``by rule``: rows, lenient and strict precision of each extractor rule (the row's ``rule``);
* ``calibration`` (:class:`CalibrationScore`): a reliability table of the rows' calibrated
  ``confidence`` against strict matches (rows, mean predicted, observed strict precision per
  bin; Brier score and expected calibration error), and the strict precision and core recall
  of the rows at or above the default ``--min-confidence`` of the rows' extractor.

>>> split_of("wh/statements-releases/2023-05/x") in {"dev", "test"}
True
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geokg.confidence import Reliability, model_for, reliability
from geokg.errors import InputError
from geokg.evaluation.seeds import lemmas_match, names_match, normalize_name
from geokg.events import PLOVER_CATEGORIES

__all__ = [
    "ACTOR_KINDS",
    "HEDGED",
    "MODALITIES",
    "NEWS_FILES",
    "ROW_ACTOR_TYPES",
    "SPLITS",
    "AgreementScore",
    "CalibrationScore",
    "GoldActor",
    "GoldDoc",
    "GoldFact",
    "NewsScore",
    "RowMatch",
    "RuleScore",
    "agreement",
    "gold_texts",
    "match_rows",
    "parse_gold_record",
    "read_gold",
    "score_news",
    "select_split",
    "split_of",
]

#: Actor kinds of the gold (docs/ANNOTATION.md, section 2).
ACTOR_KINDS: frozenset[str] = frozenset(
    {"state", "person", "government_body", "organisation", "group", "company"}
)
MODALITIES: frozenset[str] = frozenset(
    {"asserted", "reported", "requested", "intended", "hypothetical", "negated"}
)
#: Modalities that must never be stored as a plain fact.
HEDGED: frozenset[str] = frozenset({"requested", "intended", "hypothetical", "negated"})
SPLITS: tuple[str, ...] = ("dev", "test")
#: The corpus file of each gold source, in ``../shared/data/news``.
NEWS_FILES: Mapping[str, str] = {
    "whitehouse": "whitehouse_2021_2026.jsonl.gz",
    "reuters": "reuters21578_1987.jsonl.gz",
    "bbc": "bbc_2004_2005.jsonl",
}
#: Row actor types that make an actor (DESIGN.md section 4): not ``location`` nor ``other``.
ROW_ACTOR_TYPES: frozenset[str] = frozenset({"person", "country", "organisation", "group"})


def split_of(doc_id: str) -> str:
    """The side of the gold a document is on: ``test`` for a third of the ids, else ``dev``.

    A function of the id alone, so adding documents never moves one between the sides.
    """
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:8], "big") % 3 == 0 else "dev"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldActor:
    """One actor of a gold document: ``id`` (ISO alpha-3 for a state), kind, names, state."""

    id: str
    type: str
    names: tuple[str, ...]
    state: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldFact:
    """One gold fact (docs/ANNOTATION.md, section 3); ``evidence`` holds ``(start, end)`` spans."""

    id: str
    subject: tuple[str, ...]
    object: tuple[str, ...]
    relations: tuple[str, ...]
    plover: tuple[str, ...]
    symmetric: bool
    modality: str
    speaker: str | None
    core: bool
    evidence: tuple[tuple[int, int], ...]
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldDoc:
    """One annotated document."""

    doc_id: str
    source: str
    split: str
    date: str | None
    text_sha256: str
    annotator: str
    actors: tuple[GoldActor, ...]
    facts: tuple[GoldFact, ...]
    second_pass: bool = False

    def actor(self, actor_id: str) -> GoldActor:
        """The actor with id ``actor_id`` (validated to exist by :func:`read_gold`)."""
        return next(a for a in self.actors if a.id == actor_id)


# --------------------------------------------------------------------------- reading


def _need(rec: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in rec:
        raise InputError(where, f"missing field {key!r}")
    value = rec[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(where, f"field {key!r} has the wrong type ({type(value).__name__})")
    return value


def _strings(value: Any, key: str, where: str, *, empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(where, f"field {key!r} must be a list of non-empty strings")
    if not value and not empty:
        raise InputError(where, f"field {key!r} must not be empty")
    return tuple(value)


def _actor(rec: Any, where: str) -> GoldActor:
    if not isinstance(rec, dict):
        raise InputError(where, "an actor must be an object")
    actor_id = _need(rec, "id", str, where)
    kind = _need(rec, "type", str, where)
    if kind not in ACTOR_KINDS:
        raise InputError(where, f"actor {actor_id!r} has unknown type {kind!r}")
    if kind == "state" and not (len(actor_id) == 3 and actor_id.isalpha() and actor_id.isupper()):
        raise InputError(where, f"state {actor_id!r} must have an ISO 3166 alpha-3 id")
    state = rec.get("state")
    if state is not None and not isinstance(state, str):
        raise InputError(where, f"actor {actor_id!r}: 'state' must be a string or null")
    return GoldActor(
        id=actor_id, type=kind, names=_strings(rec.get("names"), "names", where), state=state
    )


def _fact(rec: Any, actors: set[str], where: str) -> GoldFact:
    if not isinstance(rec, dict):
        raise InputError(where, "a fact must be an object")
    fid = _need(rec, "id", str, where)
    here = f"{where} fact {fid}"
    subject = _strings(rec.get("subject"), "subject", here)
    obj = _strings(rec.get("object"), "object", here)
    for a in (*subject, *obj):
        if a not in actors:
            raise InputError(here, f"actor {a!r} is not in the document's actors")
    if set(subject) & set(obj):
        raise InputError(here, "subject and object share an actor")
    plover = _strings(rec.get("plover"), "plover", here, empty=True)
    if not set(plover) <= PLOVER_CATEGORIES:
        raise InputError(here, f"unknown PLOVER type in {list(plover)}")
    modality = _need(rec, "modality", str, here)
    if modality not in MODALITIES:
        raise InputError(here, f"unknown modality {modality!r}")
    speaker = rec.get("speaker")
    if speaker is not None and speaker not in actors:
        raise InputError(here, f"speaker {speaker!r} is not in the document's actors")
    evidence = _need(rec, "evidence", list, here)
    spans: list[tuple[int, int]] = []
    for e in evidence:
        start, end = (e.get("start"), e.get("end")) if isinstance(e, dict) else (None, None)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise InputError(here, f"evidence {e!r} needs integer start < end")
        spans.append((start, end))
    if not spans:
        raise InputError(here, "a fact needs at least one evidence span")
    return GoldFact(
        id=fid,
        subject=subject,
        object=obj,
        relations=_strings(rec.get("relations"), "relations", here),
        plover=plover,
        symmetric=_need(rec, "symmetric", bool, here),
        modality=modality,
        speaker=speaker,
        core=_need(rec, "core", bool, here),
        evidence=tuple(spans),
        note=str(rec.get("note") or ""),
    )


def parse_gold_record(rec: Any, where: str) -> GoldDoc:
    """One validated gold document from its JSON object (``where`` names it in errors)."""
    if not isinstance(rec, dict):
        raise InputError(where, "a gold line must be a JSON object")
    doc_id = _need(rec, "doc_id", str, where)
    where = f"{where} ({doc_id})"
    source = _need(rec, "source", str, where)
    if source not in NEWS_FILES:
        raise InputError(where, f"unknown source {source!r}")
    split = _need(rec, "split", str, where)
    if split != split_of(doc_id):
        raise InputError(where, f"split {split!r} is not the id's ({split_of(doc_id)})")
    actors = tuple(_actor(a, where) for a in _need(rec, "actors", list, where))
    ids = [a.id for a in actors]
    if len(set(ids)) != len(ids):
        raise InputError(where, "two actors share an id")
    facts = tuple(_fact(f, set(ids), where) for f in _need(rec, "facts", list, where))
    if len({f.id for f in facts}) != len(facts):
        raise InputError(where, "two facts share an id")
    date = rec.get("date")
    return GoldDoc(
        doc_id=doc_id,
        source=source,
        split=split,
        date=date if isinstance(date, str) else None,
        text_sha256=_need(rec, "text_sha256", str, where),
        annotator=_need(rec, "annotator", str, where),
        actors=actors,
        facts=facts,
        second_pass=bool(rec.get("second_pass", False)),
    )


def read_gold(path: str | os.PathLike[str]) -> list[GoldDoc]:
    """Read and validate a gold file.

    Raises:
        InputError: The file cannot be read, a line is not JSON, a field is missing or wrong, or
            a document id appears twice; the message names the file and line.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(p), f"cannot read the gold file ({exc.strerror})") from exc
    docs: list[GoldDoc] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{p}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not JSON ({exc.msg})") from exc
        doc = parse_gold_record(rec, where)
        if doc.doc_id in seen:
            raise InputError(where, f"document {doc.doc_id!r} appears twice")
        seen.add(doc.doc_id)
        docs.append(doc)
    return docs


def select_split(docs: Iterable[GoldDoc], split: str) -> list[GoldDoc]:
    """The documents of one side (``dev``, ``test``) or of both (``all``)."""
    if split not in (*SPLITS, "all"):
        raise InputError("--split", f"must be dev, test or all, not {split!r}")
    return [d for d in docs if split in ("all", d.split)]


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def gold_texts(docs: Sequence[GoldDoc], news_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """``{doc_id: record}`` (``id``, ``title``, ``date``, ``text``) of the gold documents.

    Raises:
        InputError: A corpus file is missing, a document is not in it, or its text differs from
            the one annotated (``text_sha256``).
    """
    base = Path(news_dir)
    wanted = {d.doc_id: d for d in docs}
    found: dict[str, Any] = {}
    for source in sorted({d.source for d in docs}):
        path = base / NEWS_FILES[source]
        if not path.is_file():
            raise InputError(str(path), "the news corpus file is missing; pass --data-dir")
        for rec in _read_jsonl(path):
            doc = wanted.get(str(rec.get("id")))
            if doc is None:
                continue
            text = str(rec.get("text") or "")
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc.text_sha256:
                raise InputError(
                    f"{path} ({doc.doc_id})", "the text differs from the annotated one"
                )
            found[doc.doc_id] = {
                "id": doc.doc_id,
                "title": rec.get("title"),
                "date": rec.get("date"),
                "text": text,
            }
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise InputError(str(base), f"gold documents not in the corpus: {', '.join(missing[:5])}")
    return found


# --------------------------------------------------------------------------- matching


#: Words that never identify an actor by themselves, whatever an annotator listed as a name.
_PRONOUNS = frozenset(
    {
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "it",
        "its",
        "they",
        "them",
        "their",
        "theirs",
        "we",
        "us",
        "our",
        "ours",
        "i",
        "me",
        "my",
        "you",
        "your",
    }
)
#: Row actor types (DESIGN.md section 4) that can be each kind of gold actor.
_TYPES_FIT: Mapping[str, frozenset[str]] = {
    "person": frozenset({"person", "organisation"}),
    "state": frozenset({"country", "organisation", "group"}),
    "government_body": frozenset({"organisation", "group"}),
    "organisation": frozenset({"organisation", "group"}),
    "group": frozenset({"organisation", "group", "person"}),
    "company": frozenset({"organisation", "group"}),
}


def _names_of(gold: GoldActor) -> list[str]:
    names = gold.names if gold.type == "state" else (gold.id, *gold.names)
    return [n for n in names if normalize_name(n) not in _PRONOUNS]


def _by_name(text: str, actors: Sequence[GoldActor]) -> set[str]:
    """Gold actors named by ``text``: those with an equal name if any, else a contiguous run."""
    if not text or normalize_name(text) in _PRONOUNS:
        return set()
    key = normalize_name(text)
    exact = {a.id for a in actors if any(normalize_name(n) == key for n in _names_of(a))}
    if exact:
        return exact
    return {a.id for a in actors if any(names_match(text, n) for n in _names_of(a))}


def _gold_actors_of(row_side: Mapping[str, Any] | None, mention: str, doc: GoldDoc) -> set[str]:
    """The gold actors a row's subject or object is (module docstring): a state by its ISO
    code, else by the node's label, else by the mention's own words; pronouns name nobody."""
    if not row_side:
        return set()
    kind = str(row_side.get("type") or "other")
    fit = [a for a in doc.actors if kind in _TYPES_FIT.get(a.type, frozenset())]
    if kind == "country":
        coded = {
            a.id
            for a in fit
            if a.type == "state" and a.id in (row_side.get("id"), row_side.get("country"))
        }
        if coded:
            return coded
    return _by_name(str(row_side.get("label") or ""), fit) or _by_name(mention, fit)


def _lemma_fits(predicted: str, wordings: Iterable[str]) -> bool:
    return any(lemmas_match(predicted, w) for w in wordings)


def _lenient(subj: set[str], obj: set[str], fact: GoldFact) -> bool:
    forward = bool(subj & set(fact.subject)) and bool(obj & set(fact.object))
    backward = bool(subj & set(fact.object)) and bool(obj & set(fact.subject))
    return forward or (fact.symmetric and backward)


def _plover(row: Mapping[str, Any]) -> str | None:
    event = row.get("event") or {}
    return str(event["plover"]) if event.get("plover") else None


def _strict_fit(row: Mapping[str, Any], fact: GoldFact) -> bool:
    plover = _plover(row)
    if plover is not None and plover in fact.plover:
        return True
    return _lemma_fits(str(row.get("relation") or ""), fact.relations)


def _row_modality(row: Mapping[str, Any]) -> str:
    return "negated" if row.get("negated") else str(row.get("modality") or "asserted")


def _mention_text(row: Mapping[str, Any], side: str) -> str:
    m = row.get(f"{side}_mention") or {}
    return str(m.get("text") or "")


@dataclass(frozen=True, slots=True, kw_only=True)
class RowMatch:
    """One scored row (an actor on each side) and the facts of its document it matches."""

    index: int
    row: Mapping[str, Any]
    lenient: tuple[str, ...]
    strict: tuple[str, ...]
    core_strict: tuple[str, ...]

    @property
    def right(self) -> bool:
        """The row matches some fact strictly (the label confidence is calibrated on)."""
        return bool(self.strict)


def match_rows(docs: Sequence[GoldDoc], rows: Iterable[Mapping[str, Any]]) -> list[RowMatch]:
    """The rows :func:`score_news` scores, each with the facts it matches, in row order.

    Rows of documents that are not in ``docs``, and rows without an actor on each side, are
    left out. ``core_strict`` holds the ids of the core facts among ``strict``.
    """
    by_doc = {d.doc_id: d for d in docs}
    out: list[RowMatch] = []
    for i, r in enumerate(rows):
        doc = by_doc.get(str(r.get("doc_id")))
        if (
            doc is None
            or (r.get("subject") or {}).get("type") not in ROW_ACTOR_TYPES
            or (r.get("object") or {}).get("type") not in ROW_ACTOR_TYPES
        ):
            continue
        subj = _gold_actors_of(r["subject"], _mention_text(r, "subject"), doc)
        obj = _gold_actors_of(r["object"], _mention_text(r, "object"), doc)
        lenient = [f for f in doc.facts if _lenient(subj, obj, f)]
        strict = [f for f in lenient if _strict_fit(r, f)]
        out.append(
            RowMatch(
                index=i,
                row=r,
                lenient=tuple(f.id for f in lenient),
                strict=tuple(f.id for f in strict),
                core_strict=tuple(f.id for f in strict if f.core),
            )
        )
    return out


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleScore:
    """Rows of one extractor rule on the gold documents and how many match a fact."""

    rule: str
    rows: int
    lenient: int
    strict: int

    @property
    def precision(self) -> float:
        """Strict precision (the figure the rule is judged by)."""
        return self.strict / self.rows if self.rows else 0.0

    @property
    def lenient_precision(self) -> float:
        """Rows with the right actors and direction / rows."""
        return self.lenient / self.rows if self.rows else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationScore:
    """How well the rows' ``confidence`` predicts a strict match (module docstring).

    ``threshold`` is the default ``--min-confidence`` of the rows' extractor
    (``geokg/data/confidence.json``), or ``None`` when it has no fitted model; ``above_*``
    count the rows at or above it, the strict matches among them and the core facts they
    match strictly. ``prior`` is the same table for the extractors' own literals (the rows'
    ``prior``), when every row has one.
    """

    reliability: Reliability
    threshold: float | None
    above_rows: int
    above_strict: int
    above_core_strict: int
    core: int
    prior: Reliability | None = None

    @property
    def above_precision(self) -> float:
        return _ratio(self.above_strict, self.above_rows)

    @property
    def above_recall(self) -> float:
        return _ratio(self.above_core_strict, self.core)


def _calibration(
    scored: Sequence[tuple[Mapping[str, Any], bool, set[tuple[str, str]]]], core: int
) -> CalibrationScore:
    predicted = [float(r.get("confidence") or 0.0) for r, _, _ in scored]
    right = [ok for _, ok, _ in scored]
    extractors = sorted({str(r.get("extractor") or "") for r, _, _ in scored})
    model = model_for(extractors[0]) if len(extractors) == 1 else None
    threshold = model.threshold if model is not None else None
    above = [x for x, p in zip(scored, predicted, strict=True) if p >= (threshold or 0.0)]
    priors = [r.get("prior") for r, _, _ in scored]
    return CalibrationScore(
        reliability=reliability(predicted, right),
        prior=reliability([float(v) for v in priors if isinstance(v, int | float)], right)
        if all(isinstance(v, int | float) for v in priors)
        else None,
        threshold=threshold,
        above_rows=len(above),
        above_strict=sum(ok for _, ok, _ in above),
        above_core_strict=len(set().union(*(facts for _, _, facts in above))),
        core=core,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsScore:
    """Figures of the rows of some documents against their gold (module docstring)."""

    split: str
    documents: int
    rows: int
    rows_lenient: int
    rows_strict: int
    facts: int
    core: int
    core_lenient: int
    core_strict: int
    facts_lenient: int
    facts_strict: int
    matched: int
    event_type_correct: int
    modality_correct: int
    hedged_matched: int
    hedged_as_plain: int
    hedged_plain_rows: int = 0
    duplicate_nodes: int
    merged_nodes: int
    by_rule: tuple[RuleScore, ...] = ()
    calibration: CalibrationScore | None = None
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def precision_lenient(self) -> float:
        return _ratio(self.rows_lenient, self.rows)

    @property
    def precision_strict(self) -> float:
        return _ratio(self.rows_strict, self.rows)

    @property
    def recall_lenient(self) -> float:
        return _ratio(self.core_lenient, self.core)

    @property
    def recall_strict(self) -> float:
        return _ratio(self.core_strict, self.core)

    @property
    def event_type_accuracy(self) -> float:
        return _ratio(self.event_type_correct, self.matched)

    @property
    def modality_accuracy(self) -> float:
        return _ratio(self.modality_correct, self.matched)

    @property
    def hedged_plain_share(self) -> float:
        """Strictly matched rows that store a hedged fact as a plain one, over those rows."""
        return _ratio(self.hedged_plain_rows, self.rows_strict)


def _at_evidence(row: Mapping[str, Any], fact: GoldFact) -> bool:
    """Whether the row's sentence overlaps one of the fact's evidence spans."""
    span = row.get("span")
    if not isinstance(span, list | tuple) or len(span) != 2:
        return False
    c0, c1 = int(span[0]), int(span[1])
    return any(c0 < end and start < c1 for start, end in fact.evidence)


def _best(rows: Sequence[tuple[int, Mapping[str, Any]]], fact: GoldFact) -> Mapping[str, Any]:
    """The row that stands for ``fact``: of its matching rows, those read from its evidence
    sentence when there are any (another sentence between the same actors is another event),
    then the most confident, then the first."""
    at = [ir for ir in rows if _at_evidence(ir[1], fact)] or list(rows)
    return min(at, key=lambda ir: (-float(ir[1].get("confidence") or 0.0), ir[0]))[1]


def score_news(
    docs: Sequence[GoldDoc], rows: Iterable[Mapping[str, Any]], *, split: str = "dev"
) -> NewsScore:
    """Score ``triples.jsonl`` rows against gold documents (module docstring).

    Rows of documents that are not in ``docs`` are ignored.
    """
    by_doc = {d.doc_id: d for d in docs}
    targeted = [
        (i, r)
        for i, r in enumerate(rows)
        if r.get("doc_id") in by_doc
        and (r.get("subject") or {}).get("type") in ROW_ACTOR_TYPES
        and (r.get("object") or {}).get("type") in ROW_ACTOR_TYPES
    ]
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    hits: dict[tuple[str, str], list[tuple[int, Mapping[str, Any], bool]]] = defaultdict(list)
    nodes_of: dict[str, set[str]] = defaultdict(set)
    merged: set[str] = set()
    false_positives: list[Mapping[str, Any]] = []
    scored: list[tuple[Mapping[str, Any], bool, set[tuple[str, str]]]] = []
    lenient_rows = strict_rows = plain_rows = 0
    for i, r in targeted:
        doc = by_doc[str(r["doc_id"])]
        subj = _gold_actors_of(r["subject"], _mention_text(r, "subject"), doc)
        obj = _gold_actors_of(r["object"], _mention_text(r, "object"), doc)
        for side, ids in ((r["subject"], subj), (r["object"], obj)):
            for a in ids:
                nodes_of[a].add(str(side.get("id")))
            if len(ids) > 1:
                merged.add(str(side.get("id")))
        lenient = [f for f in doc.facts if _lenient(subj, obj, f)]
        strict = [f for f in lenient if _strict_fit(r, f)]
        for f in lenient:
            hits[(doc.doc_id, f.id)].append((i, r, f in strict))
        tally = rules[str(r.get("rule") or "(none)")]
        tally[0] += 1
        tally[1] += bool(lenient)
        tally[2] += bool(strict)
        lenient_rows += bool(lenient)
        strict_rows += bool(strict)
        # a row that is the fact (strict match) and stores a hedged one as plain
        plain_rows += bool(strict) and all(
            f.modality in HEDGED and _row_modality(r) in ("asserted", "reported") for f in strict
        )
        scored.append((r, bool(strict), {(doc.doc_id, f.id) for f in strict if f.core}))
        if not lenient:
            false_positives.append(r)

    facts = [(d, f) for d in docs for f in d.facts]
    core = [(d, f) for d, f in facts if f.core]
    found = {k for k, v in hits.items() if v}
    found_strict = {k for k, v in hits.items() if any(s for _, _, s in v)}
    matched = event_ok = modality_ok = hedged = hedged_plain = 0
    missed: list[tuple[GoldDoc, GoldFact]] = []
    for d, f in facts:
        group = hits.get((d.doc_id, f.id))
        if not group:
            if f.core:
                missed.append((d, f))
            continue
        matched += 1
        best = _best([(i, r) for i, r, _ in group], f)
        plover = _plover(best)
        event_ok += (plover in f.plover) if plover else not f.plover
        modality_ok += _row_modality(best) == f.modality
        if f.modality in HEDGED:
            hedged += 1
            hedged_plain += any(_row_modality(r) in ("asserted", "reported") for _, r, _ in group)
    return NewsScore(
        split=split,
        documents=len(docs),
        rows=len(targeted),
        rows_lenient=lenient_rows,
        rows_strict=strict_rows,
        facts=len(facts),
        core=len(core),
        core_lenient=sum((d.doc_id, f.id) in found for d, f in core),
        core_strict=sum((d.doc_id, f.id) in found_strict for d, f in core),
        facts_lenient=len(found),
        facts_strict=len(found_strict),
        matched=matched,
        event_type_correct=event_ok,
        modality_correct=modality_ok,
        hedged_matched=hedged,
        hedged_as_plain=hedged_plain,
        hedged_plain_rows=plain_rows,
        duplicate_nodes=sum(len(n) - 1 for n in nodes_of.values() if n),
        merged_nodes=len(merged),
        by_rule=tuple(
            RuleScore(rule=k, rows=v[0], lenient=v[1], strict=v[2])
            for k, v in sorted(rules.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ),
        calibration=_calibration(scored, len(core)),
        details={
            "missed": [(d.doc_id, f) for d, f in missed],
            "false_positives": false_positives,
            "duplicates": {a: sorted(n) for a, n in sorted(nodes_of.items()) if len(n) > 1},
            "merged": sorted(merged),
        },
    )


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreementScore:
    """Fact-level agreement between two annotation passes of the same documents.

    Facts are paired one to one (a maximum matching per document), so a fact of one pass can
    account for at most one fact of the other. ``lenient``: pairs with the same actors (either
    way round when either fact is symmetric); ``strict``: pairs that also share a PLOVER type or
    a relation wording; ``modality``: strict pairs with the same modality.
    """

    documents: int
    facts_a: int
    facts_b: int
    lenient: int
    strict: int
    modality: int

    def f1(self, *, strict: bool = False) -> float:
        """``2 * pairs / (facts_a + facts_b)``: F1 of either pass against the other as gold."""
        pairs = self.strict if strict else self.lenient
        total = self.facts_a + self.facts_b
        return 2 * pairs / total if total else 0.0


def _max_pairs(compatible: Sequence[Sequence[bool]]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (augmenting paths) of rows to columns."""
    owner: dict[int, int] = {}

    def augment(row: int, seen: set[int]) -> bool:
        for col, ok in enumerate(compatible[row]):
            if ok and col not in seen:
                seen.add(col)
                if col not in owner or augment(owner[col], seen):
                    owner[col] = row
                    return True
        return False

    for row in range(len(compatible)):
        augment(row, set())
    return sorted((row, col) for col, row in owner.items())


def _names(doc: GoldDoc, ids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for a in ids:
        actor = doc.actor(a)
        out.extend((actor.id, *actor.names))
    return out


def _same_actors(a: Sequence[str], b: Sequence[str]) -> bool:
    return any(x == y or names_match(x, y) for x in a for y in b)


def _facts_agree(da: GoldDoc, fa: GoldFact, db: GoldDoc, fb: GoldFact, *, strict: bool) -> bool:
    sa, oa = _names(da, fa.subject), _names(da, fa.object)
    sb, ob = _names(db, fb.subject), _names(db, fb.object)
    same = _same_actors(sa, sb) and _same_actors(oa, ob)
    if not same and (fa.symmetric or fb.symmetric):
        same = _same_actors(sa, ob) and _same_actors(oa, sb)
    if not same or not strict:
        return same
    return bool(set(fa.plover) & set(fb.plover)) or any(
        _lemma_fits(r, fb.relations) for r in fa.relations
    )


def agreement(first: Sequence[GoldDoc], second: Sequence[GoldDoc]) -> AgreementScore:
    """Agreement of two passes over the documents they share (:class:`AgreementScore`)."""
    by_id = {d.doc_id: d for d in first}
    pairs = [(by_id[d.doc_id], d) for d in second if d.doc_id in by_id]
    counts: Counter[str] = Counter()
    for da, db in pairs:
        counts["a"] += len(da.facts)
        counts["b"] += len(db.facts)
        lenient = [
            [_facts_agree(da, fa, db, fb, strict=False) for fb in db.facts] for fa in da.facts
        ]
        strict = [[_facts_agree(da, fa, db, fb, strict=True) for fb in db.facts] for fa in da.facts]
        counts["lenient"] += len(_max_pairs(lenient))
        matched = _max_pairs(strict)
        counts["strict"] += len(matched)
        counts["modality"] += sum(da.facts[i].modality == db.facts[j].modality for i, j in matched)
    return AgreementScore(
        documents=len(pairs),
        facts_a=counts["a"],
        facts_b=counts["b"],
        lenient=counts["lenient"],
        strict=counts["strict"],
        modality=counts["modality"],
    )
