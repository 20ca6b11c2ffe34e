"""Score extracted relations against the hand-made seed gold (``eval/gold/seeds_gold.tsv``).

**Gold file.** TSV with a header: ``doc, subject, relation, plover, object, negated, modality,
note``. ``doc`` is the seed file stem; ``subject``/``object`` are canonical actor names, with
alternatives separated by ``|`` (``Russia|Kremlin``); ``relation`` is a predicate lemma (with a
particle where it matters, ``call on``); ``plover`` a PLOVER type or empty; ``negated``
``true``/``false``; ``modality`` one of the product's modalities; ``note`` our own paraphrase.

**Which predictions count.** Only contract rows (``triples.jsonl``, DESIGN.md section 4) of the
gold documents whose subject *and* object are actors: type ``person``, ``country``,
``organisation`` or ``group`` (locations and ``other`` are not actors; the resolver is expected
to turn "Kyiv" into Ukraine). A row's document is its ``doc_id``, or, when that is not a gold
document, the file stem of ``doc_id`` or of ``source``. Rows are de-duplicated on
``(doc, normalised subject, relation, normalised object)``; each distinct tuple is one
prediction.

**Match.** A prediction matches a gold relation when all of these hold:

* same document;
* subject matches subject and object matches object (direction counts): after normalisation
  (case, accents, ``the``, titles such as ``Mr``/``Sir``/``President``) the names are equal, or
  one is a contiguous token run of the other that is not followed by a possessive ``'s``
  ("Putin" ~ "Vladimir Putin", but "Ukraine" !~ "Ukraine's allies"), or both resolve to the same
  gazetteer entry (``geokg.gazetteer``, when installed), or the gold name is a country whose ISO
  code is the predicted country actor's id or country;
* the relation lemma is equal (a trailing particle may be missing on one side: ``call`` ~
  ``call on``), or both PLOVER types are set and equal;
* the negation flag is equal.

Modality is not required to match; the share of matched gold relations whose modality agrees is
reported as ``modality_agreement``.

**Figures.** ``recall = matched gold / gold``; ``precision = predictions matching at least one gold
relation / predictions``. A prediction may match several gold relations and a gold relation
several predictions (no one-to-one assignment), so ``tp`` counts gold relations found and
``fp`` predictions that match none.

**Duplicate actors.** :func:`count_duplicate_actors` groups graph nodes that are the same person
(same surname, compatible first names, over labels and aliases) or the same state (same ISO
code); ``duplicate_actors`` is the number of surplus nodes (a person seen as 3 nodes counts 2).

>>> normalize_name("Sir Keir Starmer")
'keir starmer'
>>> names_match("Mr Putin", "Vladimir Putin"), names_match("Ukraine", "Ukraine's allies")
(True, False)
"""

from __future__ import annotations

import csv
import importlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from geokg.errors import InputError

__all__ = [
    "ACTOR_TYPES",
    "GoldRelation",
    "SeedScore",
    "count_duplicate_actors",
    "lemmas_match",
    "names_match",
    "normalize_name",
    "read_seed_gold",
    "score_seeds",
]

ACTOR_TYPES: frozenset[str] = frozenset({"person", "country", "organisation", "group"})

_TITLES: tuple[str, ...] = (
    "prime minister",
    "foreign minister",
    "foreign secretary",
    "defence minister",
    "defence secretary",
    "vice president",
    "president",
    "chancellor",
    "minister",
    "secretary",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "pm",
)
_PARTICLES = frozenset(
    {"on", "up", "out", "by", "for", "with", "to", "off", "down", "in", "back", "against", "away"}
)
_SHORT_FORMS: Mapping[str, str] = {
    "us": "united states",
    "usa": "united states",
    "u s": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "eu": "european union",
    "nato": "north atlantic treaty organization",
}
# Letters that NFKD does not split into a base letter and a combining mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
_GOLD_COLUMNS = ("doc", "subject", "relation", "plover", "object", "negated", "modality", "note")


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldRelation:
    """One gold relation of the seed gold file.

    Attributes:
        doc: Seed file stem.
        subject: Accepted subject names (the first is canonical).
        relation: Predicate lemma.
        plover: PLOVER type or ``None``.
        object: Accepted object names.
        negated: Whether the predicate is negated.
        modality: The product's modality.
        note: Our own paraphrase.
        line: Line number in the gold file.
    """

    doc: str
    subject: tuple[str, ...]
    relation: str
    plover: str | None
    object: tuple[str, ...]
    negated: bool
    modality: str
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SeedScore:
    """Seed-gold figures.

    Attributes:
        precision: Matching predictions / predictions.
        recall: Gold relations found / gold relations.
        f1: Harmonic mean of the two.
        tp: Gold relations found.
        fp: Predictions matching no gold relation.
        fn: Gold relations not found.
        predictions: Distinct actor-actor predictions on the gold documents.
        duplicate_actors: Surplus nodes for persons and states seen as more than one node.
        modality_agreement: Share of found gold relations with a matching prediction of the same
            modality (``None`` when nothing was found).
        details: ``missed`` (gold lines), ``false_positives`` (tuples), ``duplicates``
            (``(key, node ids)``), for the report.
    """

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    predictions: int = 0
    duplicate_actors: int = 0
    modality_agreement: float | None = None
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def normalize_name(name: str) -> str:
    """Lower-case, strip accents, ``the``, leading titles and punctuation (``'s`` kept apart).

    >>> normalize_name("The Kremlin's   envoy")
    "kremlin 's envoy"
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.translate(_UNDECOMPOSED)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s\b", " 's", text)
    text = re.sub(r"[^\w' +]+", " ", text)
    words = [w for w in text.split() if w not in {"the", "'"}]
    joined = " ".join(words)
    changed = True
    while changed:
        changed = False
        for title in _TITLES:
            if joined.startswith(title + " "):
                joined = joined[len(title) + 1 :]
                changed = True
    return joined.strip()


def names_match(predicted: str, gold: str) -> bool:
    """Whether two actor names refer to the same actor by the string rules (module docstring).

    >>> names_match("Russian consulate", "Russian consulate in Krakow")
    True
    >>> names_match("US", "United States")
    True
    """
    a, b = _canonical(normalize_name(predicted)), _canonical(normalize_name(gold))
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if short == ["'s"]:
        return False
    n = len(short)
    for i in range(len(long_) - n + 1):
        if long_[i : i + n] == short and (i + n >= len(long_) or long_[i + n] != "'s"):
            return True
    return False


def read_seed_gold(path: str | os.PathLike[str]) -> list[GoldRelation]:
    """Read the seed gold TSV.

    Raises:
        InputError: The file is missing, the header differs, or a row is malformed.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(p), f"cannot read the seed gold ({exc.strerror})") from exc
    reader = csv.reader(text.splitlines(), delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(header) != _GOLD_COLUMNS:
        expected = "<TAB>".join(_GOLD_COLUMNS)
        raise InputError(str(p), f"the first line must be the header {expected!r}")
    out: list[GoldRelation] = []
    for lineno, row in enumerate(reader, start=2):
        if not row or not any(row):
            continue
        if len(row) != len(_GOLD_COLUMNS):
            raise InputError(f"{p}:{lineno}", f"expected {len(_GOLD_COLUMNS)} columns")
        doc, subj, rel, plover, obj, neg, modality, note = (c.strip() for c in row)
        if neg not in {"true", "false"}:
            raise InputError(f"{p}:{lineno}", f"negated must be true or false, not {neg!r}")
        if not (doc and subj and rel and obj):
            raise InputError(f"{p}:{lineno}", "doc, subject, relation and object are required")
        out.append(
            GoldRelation(
                doc=doc,
                subject=tuple(s.strip() for s in subj.split("|")),
                relation=rel,
                plover=plover or None,
                object=tuple(s.strip() for s in obj.split("|")),
                negated=neg == "true",
                modality=modality,
                note=note,
                line=lineno,
            )
        )
    return out


def score_seeds(
    gold_path: str | os.PathLike[str] | Sequence[GoldRelation],
    rows: Iterable[Mapping[str, Any]],
    *,
    nodes: Iterable[Mapping[str, Any]] | None = None,
) -> SeedScore:
    """Score contract rows against the seed gold.

    Args:
        gold_path: The gold TSV, or gold relations already read.
        rows: ``triples.jsonl`` rows (dicts) of any documents; rows of other documents are ignored.
        nodes: Graph nodes (dicts with ``id``, ``label``, ``type``, ``country``, ``aliases``) for
            the duplicate count; by default the distinct subject/object actors of ``rows``.

    Returns:
        Precision, recall, F1 and the duplicate-node count (definitions in the module docstring).
    """
    if isinstance(gold_path, str | os.PathLike):
        golds = read_seed_gold(gold_path)
    else:
        golds = list(gold_path)
    docs = {g.doc for g in golds}
    row_list = [dict(r) for r in rows]
    resolve = _resolver()

    preds: dict[tuple[str, str, str, str], list[Mapping[str, Any]]] = {}
    for r in row_list:
        doc = _row_doc(r, docs)
        subj, obj = r.get("subject") or {}, r.get("object") or {}
        if doc is None or subj.get("type") not in ACTOR_TYPES:
            continue
        if obj.get("type") not in ACTOR_TYPES:
            continue
        key = (
            doc,
            normalize_name(str(subj.get("label", ""))),
            str(r.get("relation", "")).strip().lower(),
            normalize_name(str(obj.get("label", ""))),
        )
        preds.setdefault(key, []).append(r)

    matched_pred: set[tuple[str, str, str, str]] = set()
    found: list[GoldRelation] = []
    missed: list[GoldRelation] = []
    modality_ok = 0
    for g in golds:
        hits = [
            (k, r)
            for k, group in sorted(preds.items())
            if k[0] == g.doc
            for r in group
            if _matches(r, g, resolve)
        ]
        if hits:
            found.append(g)
            matched_pred.update(k for k, _ in hits)
            if any(r.get("modality", "asserted") == g.modality for _, r in hits):
                modality_ok += 1
        else:
            missed.append(g)

    n_pred = len(preds)
    tp_pred = len(matched_pred)
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = len(found) / len(golds) if golds else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    node_list = list(nodes) if nodes is not None else _nodes_from_rows(row_list, docs)
    dups = count_duplicate_actors(node_list)
    return SeedScore(
        precision=precision,
        recall=recall,
        f1=f1,
        tp=len(found),
        fp=n_pred - tp_pred,
        fn=len(missed),
        predictions=n_pred,
        duplicate_actors=sum(len(ids) - 1 for _, ids in dups),
        modality_agreement=modality_ok / len(found) if found else None,
        details={
            "missed": [(g.line, g.doc, g.subject[0], g.relation, g.object[0]) for g in missed],
            "false_positives": sorted(k for k in preds if k not in matched_pred),
            "duplicates": dups,
        },
    )


def count_duplicate_actors(nodes: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Find persons and states that appear as more than one node.

    Persons (type ``person``) are grouped when a label or alias of each shares the surname (last
    word after normalisation) and their first names agree (equal, an initial of the other, or
    one side has none). States (type ``country``) are grouped by ISO code: the node ``country``,
    else a three-letter upper-case id, else the gazetteer or pycountry code of the label.

    Returns:
        ``(key, sorted node ids)`` for every group of two or more nodes, sorted by key; the key is
        ``person:<surname>`` or ``country:<ISO3>``.

    >>> count_duplicate_actors([
    ...     {"id": "p1", "label": "Vladimir Putin", "type": "person"},
    ...     {"id": "p2", "label": "Mr Putin", "type": "person"},
    ...     {"id": "RUS", "label": "Russia", "type": "country", "country": "RUS"},
    ... ])
    [('person:putin', ['p1', 'p2'])]
    """
    resolve = _resolver()
    persons: list[tuple[str, list[tuple[str | None, str]]]] = []
    countries: dict[str, set[str]] = {}
    for node in nodes:
        nid = str(node.get("id", ""))
        kind = node.get("type")
        names = [str(node.get("label", ""))] + [str(a) for a in node.get("aliases") or ()]
        if kind == "person":
            variants: list[tuple[str | None, str]] = []
            for name in names:
                toks = [t for t in normalize_name(name).split() if t != "'s"]
                if toks:
                    variants.append((toks[0] if len(toks) > 1 else None, toks[-1]))
            if variants:
                persons.append((nid, variants))
        elif kind == "country":
            code = _country_code(node, resolve)
            if code:
                countries.setdefault(code, set()).add(nid)

    parent = {nid: nid for nid, _ in persons}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a, va) in enumerate(persons):
        for b, vb in persons[i + 1 :]:
            if a != b and _same_person(va, vb):
                parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for nid, _ in persons:
        groups.setdefault(find(nid), set()).add(nid)
    out: list[tuple[str, list[str]]] = []
    surname = {nid: v[0][1] for nid, v in persons}
    for members in groups.values():
        if len(members) > 1:
            ids = sorted(members)
            out.append((f"person:{surname[ids[0]]}", ids))
    out.extend((f"country:{code}", sorted(ids)) for code, ids in countries.items() if len(ids) > 1)
    return sorted(out)


# --------------------------------------------------------------------------- helpers

Resolver = Callable[[str], str | None]


def _resolver() -> Resolver:
    """Name -> gazetteer id, via ``geokg.gazetteer`` when it is installed, else pycountry."""
    lookup: Callable[[str], Any] | None = None
    try:
        module: Any = importlib.import_module("geokg.gazetteer")
        lookup = module.Gazetteer.default().lookup
    except (ImportError, AttributeError):
        lookup = None

    cache: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name not in cache:
            cache[name] = _resolve_uncached(name)
        return cache[name]

    def _resolve_uncached(name: str) -> str | None:
        if not name.strip():
            return None
        if lookup is not None:
            entry = lookup(name)
            if entry is not None and getattr(entry, "id", None):
                return str(entry.id)
        return _pycountry_code(name)

    return resolve


def _pycountry_code(name: str) -> str | None:
    canon = _canonical(normalize_name(name))
    if not canon:
        return None
    try:
        country: Any = pycountry.countries.lookup(canon)
    except LookupError:
        matches = [
            c for c in pycountry.countries if canon == str(getattr(c, "common_name", "")).lower()
        ]
        if not matches:
            return None
        country = matches[0]
    return str(country.alpha_3)


def _canonical(norm: str) -> str:
    return _SHORT_FORMS.get(norm, norm)


def _name_ok(actor: Mapping[str, Any], gold_names: Sequence[str], resolve: Resolver) -> bool:
    label = str(actor.get("label", ""))
    for g in gold_names:
        if names_match(label, g):
            return True
        gid = resolve(g)
        if gid is None:
            continue
        if actor.get("type") == "country" and gid in {actor.get("id"), actor.get("country")}:
            return True
        if resolve(label) == gid:
            return True
    return False


def lemmas_match(predicted: str, gold: str) -> bool:
    """Whether two relation wordings are the same, but for trailing particles on one side.

    >>> lemmas_match("call", "call on"), lemmas_match("impose sanctions", "impose sanctions on")
    (True, True)
    >>> lemmas_match("call", "recall"), lemmas_match("call on", "call off")
    (False, False)
    """
    pw, gw = predicted.lower().split(), gold.lower().split()
    if pw == gw:
        return True
    short, long_ = (pw, gw) if len(pw) < len(gw) else (gw, pw)
    return (
        bool(short)
        and long_[: len(short)] == short
        and all(w in _PARTICLES for w in long_[len(short) :])
    )


def _relation_ok(row: Mapping[str, Any], gold: GoldRelation) -> bool:
    if lemmas_match(str(row.get("relation", "")), gold.relation):
        return True
    event = row.get("event") or {}
    plover = event.get("plover") if isinstance(event, Mapping) else None
    return bool(gold.plover and plover and str(plover).upper() == gold.plover.upper())


def _matches(row: Mapping[str, Any], gold: GoldRelation, resolve: Resolver) -> bool:
    return (
        bool(row.get("negated", False)) == gold.negated
        and _relation_ok(row, gold)
        and _name_ok(row.get("subject") or {}, gold.subject, resolve)
        and _name_ok(row.get("object") or {}, gold.object, resolve)
    )


def _row_doc(row: Mapping[str, Any], docs: set[str]) -> str | None:
    doc_id = str(row.get("doc_id") or "")
    if doc_id in docs:
        return doc_id
    for candidate in (doc_id, str(row.get("source") or "")):
        if candidate:
            stem = Path(candidate.split(":")[0]).stem
            if stem in docs:
                return stem
    return None


def _nodes_from_rows(rows: Sequence[Mapping[str, Any]], docs: set[str]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        if _row_doc(r, docs) is None:
            continue
        for side in ("subject", "object"):
            actor = r.get(side) or {}
            nid = str(actor.get("id", ""))
            if nid and nid not in seen:
                seen[nid] = dict(actor)
    return [seen[k] for k in sorted(seen)]


def _country_code(node: Mapping[str, Any], resolve: Resolver) -> str | None:
    code = node.get("country")
    if isinstance(code, str) and code:
        return code.upper()
    nid = str(node.get("id", ""))
    if re.fullmatch(r"[A-Z]{3}", nid):
        return nid
    found = resolve(str(node.get("label", "")))
    return found if found and re.fullmatch(r"[A-Z]{3}", found) else None


def _same_person(
    va: Sequence[tuple[str | None, str]], vb: Sequence[tuple[str | None, str]]
) -> bool:
    for fa, sa in va:
        for fb, sb in vb:
            if sa != sb:
                continue
            if fa is None or fb is None or fa == fb:
                return True
            if (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb)):
                return True
    return False
