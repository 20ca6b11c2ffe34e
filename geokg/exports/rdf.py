"""RDF export of the geokg graph: Turtle, TriG, N-Quads and JSON-LD (docs/RDF.md).

Every actor, relation (event), provenance record (mention), document and event-type concept gets
a stable IRI under ``https://w3id.org/geokg/id/``; there are no blank nodes. Our own terms live in
``vocab.ttl`` (prefix ``gkg:``); a relation is also stated as a direct ``actor rel:<lemma>
target`` triple when it is an asserted or reported, non-negated fact.

Turtle, TriG and N-Quads come from a streaming writer of our own (deterministic text, literals
escaped per the Turtle/N-Triples grammar); JSON-LD is streamed too, one node object at a time in
``@id`` order (:func:`iter_jsonld`). :func:`to_rdflib_graph` builds the same data with rdflib's
API, and the tests check that both parse to the same graph.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph(documents={})
>>> graph.add_node("RUS", label="Russia", type="country")
>>> text = "".join(iter_turtle(graph))
>>> "<https://w3id.org/geokg/id/actor/RUS> a schema:Country, gkg:Actor ;" in text
True
>>> actor_iri("person:radoslaw sikorski")
'https://w3id.org/geokg/id/actor/person%3Aradoslaw%20sikorski'
"""

from __future__ import annotations

import datetime as _dt
import heapq
import itertools
import json
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias
from urllib.parse import quote

import networkx as nx
import rdflib

from geokg._io import atomic_write
from geokg.errors import ExportError
from geokg.model import key_ranges

__all__ = [
    "BASE",
    "CONTEXT_PATH",
    "FACTUAL_MODALITIES",
    "ID",
    "PREFIXES",
    "REL",
    "SHAPES_PATH",
    "VOCAB",
    "VOCAB_PATH",
    "actor_iri",
    "cameo_iri",
    "doc_iri",
    "event_iri",
    "iter_jsonld",
    "iter_nquads",
    "iter_trig",
    "iter_turtle",
    "key_ranges",
    "mention_iri",
    "nquads_part",
    "plover_iri",
    "relation_property",
    "to_jsonld",
    "to_rdflib_graph",
    "write_jsonld",
    "write_nquads",
    "write_trig",
    "write_turtle",
]

_HERE = Path(__file__).resolve().parent
VOCAB_PATH = _HERE / "vocab.ttl"
"""Path of the geokg vocabulary (Turtle, with labels and comments)."""
SHAPES_PATH = _HERE / "shapes.ttl"
"""Path of the SHACL shapes that describe the export."""
CONTEXT_PATH = _HERE / "context.jsonld"
"""Path of the JSON-LD context used by :func:`to_jsonld`."""

BASE = "https://w3id.org/geokg/"
VOCAB = BASE + "vocab#"
"""Namespace of geokg's own terms (prefix ``gkg:``)."""
REL = BASE + "rel/"
"""Namespace of the direct relation properties (prefix ``rel:``), one per relation lemma."""
ID = BASE + "id/"
"""Base of every instance IRI."""

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"
_SCHEMA = "https://schema.org/"
_DCT = "http://purl.org/dc/terms/"
_WIKIDATA = "http://www.wikidata.org/entity/"

PREFIXES: dict[str, str] = {
    "dcterms": _DCT,
    "gkg": VOCAB,
    "owl": _OWL,
    "prov": _PROV,
    "rdf": _RDF,
    "rdfs": _RDFS,
    "rel": REL,
    "schema": _SCHEMA,
    "skos": _SKOS,
    "xsd": _XSD,
}
"""Prefix → namespace, as written in every Turtle/TriG file (and usable in queries)."""

FACTUAL_MODALITIES: frozenset[str] = frozenset({"asserted", "reported"})
"""Modalities whose non-negated relations also get the direct ``rel:`` triple."""

# Terms -------------------------------------------------------------------------------------

_STR = _XSD + "string"
_INT = _XSD + "integer"
_DOUBLE = _XSD + "double"
_BOOL = _XSD + "boolean"
_DATE = _XSD + "date"
_ANYURI = _XSD + "anyURI"

# An IRI is a ``str``; a literal is ``(lexical form, datatype IRI)``; xsd:string is plain.
Lit: TypeAlias = tuple[str, str]
Term: TypeAlias = str | Lit
Pair: TypeAlias = tuple[str, Term]
Block: TypeAlias = tuple[str | None, str, list[Pair]]

_TYPE = _RDF + "type"
_LABEL = _RDFS + "label"
_G = VOCAB

_ACTOR_CLASSES: dict[str, str] = {
    "person": _SCHEMA + "Person",
    "organisation": _SCHEMA + "Organization",
    "country": _SCHEMA + "Country",
    "location": _SCHEMA + "Place",
}

_QID = re.compile(r"Q[1-9][0-9]*")
_DATE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), _DATE),
    (
        re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
        _XSD + "dateTime",
    ),
    (re.compile(r"\d{4}-\d{2}"), _XSD + "gYearMonth"),
    (re.compile(r"\d{4}"), _XSD + "gYear"),
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_SPLIT = re.compile(r"[\s\-_]+")


def _segment(value: object, what: str) -> str:
    """Percent-encode ``value`` as one IRI path segment (everything but RFC 3986 unreserved)."""
    text = str(value)
    if not text:
        raise ExportError(
            f"empty {what} id: every {what} needs a non-empty id to get a stable IRI; "
            "fix the graph (see docs/ARCHITECTURE.md 'The graph')"
        )
    _check_text(text, f"{what} id")
    seg = quote(text, safe="")
    if seg.strip(".") == "":  # "." and ".." are dot-segments; keep them opaque
        seg = seg.replace(".", "%2E")
    return seg


def actor_iri(actor_id: object) -> str:
    """Return the IRI of an actor (graph node).

    >>> actor_iri("RUS")
    'https://w3id.org/geokg/id/actor/RUS'
    """
    return f"{ID}actor/{_segment(actor_id, 'actor')}"


def event_iri(edge_id: object) -> str:
    """Return the IRI of a relation's event node (``edge id`` = graph edge key)."""
    return f"{ID}event/{_segment(edge_id, 'edge')}"


def mention_iri(relation_id: object) -> str:
    """Return the IRI of a provenance record (one extracted relation)."""
    return f"{ID}mention/{_segment(relation_id, 'relation')}"


def doc_iri(doc_id: object) -> str:
    """Return the IRI of a document; it also names the document's graph in TriG/N-Quads."""
    return f"{ID}doc/{_segment(doc_id, 'document')}"


def plover_iri(code: object) -> str:
    """Return the IRI of a PLOVER event type concept."""
    return f"{ID}plover/{_segment(code, 'PLOVER')}"


def cameo_iri(code: object) -> str:
    """Return the IRI of a CAMEO code concept."""
    return f"{ID}cameo/{_segment(code, 'CAMEO')}"


def relation_property(relation: str) -> str:
    """Return the IRI of the direct property for a relation lemma.

    ASCII word lemmas become camelCase (``"step up"`` → ``rel:stepUp``); anything else is
    percent-encoded.

    >>> relation_property("accuse")
    'https://w3id.org/geokg/rel/accuse'
    >>> relation_property("step up")
    'https://w3id.org/geokg/rel/stepUp'
    >>> relation_property("réagir")
    'https://w3id.org/geokg/rel/r%C3%A9agir'
    """
    words = [w for w in _SPLIT.split(relation.strip()) if w]
    if words and all(_WORD.fullmatch(w) for w in words):
        local = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
        return REL + local
    return REL + _segment(relation, "relation lemma")


# Literals ----------------------------------------------------------------------------------

_BAD_CHARS = re.compile("[\ud800-\udfff]")


def _check_text(text: str, what: str) -> None:
    if _BAD_CHARS.search(text):
        raise ExportError(
            f"{what} {text!r} contains a lone surrogate, which no RDF syntax can encode; "
            "decode the input with errors='replace' (or clean it) before building the graph"
        )


def _string(value: object, what: str) -> Lit:
    text = str(value)
    _check_text(text, what)
    return (text, _STR)


def _integer(value: object, what: str) -> Lit:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ExportError(f"{what} must be an integer, got {value!r}; fix the graph attribute")
    return (str(int(value)), _INT)


def _double(value: object, what: str) -> Lit:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExportError(f"{what} must be a number, got {value!r}; fix the graph attribute")
    x = float(value)
    if math.isnan(x):
        return ("NaN", _DOUBLE)
    if math.isinf(x):
        return ("INF" if x > 0 else "-INF", _DOUBLE)
    return (repr(x), _DOUBLE)


def _boolean(value: object) -> Lit:
    return ("true" if value else "false", _BOOL)


def _date(value: object, what: str) -> Lit:
    text = str(value)
    for pattern, datatype in _DATE_FORMS:
        if pattern.fullmatch(text):
            try:
                if datatype == _DATE:
                    _dt.date.fromisoformat(text)
                elif datatype == _XSD + "dateTime":
                    _dt.datetime.fromisoformat(text)
                elif datatype == _XSD + "gYearMonth":
                    _dt.date.fromisoformat(text + "-01")
            except ValueError:
                break
            return (text, datatype)
    raise ExportError(
        f"{what} {text!r} is not an ISO-8601 date (YYYY-MM-DD, YYYY-MM, YYYY or a date-time); "
        "normalise dates when building the graph"
    )


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | bytes):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


# Blocks ------------------------------------------------------------------------------------


def _sort_key(pair: Pair) -> tuple[bool, str, int, str, str]:
    pred, obj = pair
    if isinstance(obj, str):
        return (pred != _TYPE, pred, 0, "", obj)
    return (pred != _TYPE, pred, 1, obj[1], obj[0])


def _finish(pairs: list[Pair]) -> list[Pair]:
    return sorted(set(pairs), key=_sort_key)


def _is_factual(data: Mapping[str, Any]) -> bool:
    return not data.get("negated") and (data.get("modality") or "asserted") in FACTUAL_MODALITIES


def _relation(data: Mapping[str, Any], key: object) -> str:
    relation = data.get("relation")
    if not isinstance(relation, str) or not relation.strip():
        raise ExportError(
            f"edge {key!r} has no 'relation' lemma; every edge needs one "
            "(docs/ARCHITECTURE.md 'The graph')"
        )
    return relation


def _actor_block(graph: nx.MultiDiGraph, node: Any, attrs: Mapping[str, Any]) -> list[Pair]:
    label = attrs.get("label") or str(node)
    atype = attrs.get("type") or "other"
    pairs: list[Pair] = [
        (_TYPE, _G + "Actor"),
        (_LABEL, _string(label, "label")),
        (_SCHEMA + "name", _string(label, "label")),
        (_SCHEMA + "identifier", _string(node, "actor id")),
        (_G + "actorType", _string(atype, "type")),
    ]
    cls = _ACTOR_CLASSES.get(str(atype))
    if cls is not None:
        pairs.append((_TYPE, cls))
    country = attrs.get("country")
    if country:
        pairs.append((_G + "countryCode", _string(country, "country")))
        if country in graph:
            pairs.append((_G + "country", actor_iri(country)))
    pairs.extend((_G + "role", _string(r, "role")) for r in _list(attrs.get("roles")))
    pairs.extend((_SKOS + "altLabel", _string(a, "alias")) for a in _list(attrs.get("aliases")))
    qid = attrs.get("wikidata")
    if qid:
        if not isinstance(qid, str) or not _QID.fullmatch(qid):
            raise ExportError(
                f"actor {node!r} has wikidata={qid!r}, not a Wikidata QID like 'Q7747'; "
                "fix or drop the attribute"
            )
        pairs.append((_OWL + "sameAs", _WIKIDATA + qid))
    if attrs.get("mentions") is not None:
        pairs.append((_G + "mentionCount", _integer(attrs["mentions"], "mentions")))
    pairs.extend((_G + "appearsIn", doc_iri(d)) for d in _list(attrs.get("docs")))
    for _, target, key, data in graph.out_edges(node, keys=True, data=True):
        if _is_factual(data):
            pairs.append((relation_property(_relation(data, key)), actor_iri(target)))
    return _finish(pairs)


def _event_block(u: Any, v: Any, key: Any, data: Mapping[str, Any]) -> list[Pair]:
    modality = data.get("modality") or "asserted"
    pairs: list[Pair] = [
        (_TYPE, _G + "Event"),
        (_TYPE, _PROV + "Entity"),
        (_SCHEMA + "identifier", _string(key, "edge id")),
        (_G + "actor", actor_iri(u)),
        (_G + "target", actor_iri(v)),
        (_G + "relation", _string(_relation(data, key), "relation")),
        (_G + "negated", _boolean(data.get("negated", False))),
        (_G + "modality", _string(modality, "modality")),
    ]
    if data.get("plover"):
        pairs.append((_G + "eventType", plover_iri(data["plover"])))
    if data.get("cameo"):
        pairs.append((_G + "cameo", cameo_iri(data["cameo"])))
    if data.get("quad_class") is not None:
        pairs.append((_G + "quadClass", _integer(data["quad_class"], "quad_class")))
    if data.get("goldstein") is not None:
        pairs.append((_G + "goldstein", _double(data["goldstein"], "goldstein")))
    if data.get("confidence") is not None:
        pairs.append((_G + "confidence", _double(data["confidence"], "confidence")))
    if data.get("weight") is not None:
        pairs.append((_G + "mentionCount", _integer(data["weight"], "weight")))
    pairs.extend((_G + "date", _date(d, "date")) for d in _list(data.get("dates")))
    pairs.extend((_G + "speaker", actor_iri(s)) for s in _list(data.get("speakers")))
    return pairs


def _provenance(key: Any, data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    records = []
    for rec in _list(data.get("provenance")):
        if not isinstance(rec, Mapping) or not rec.get("relation_id") or not rec.get("doc_id"):
            raise ExportError(
                f"edge {key!r} has a provenance record without 'relation_id' and 'doc_id': "
                f"{rec!r}; each record needs both (docs/ARCHITECTURE.md 'The graph')"
            )
        records.append(rec)
    return sorted(records, key=lambda r: str(r["relation_id"]))


def _mention_block(rec: Mapping[str, Any]) -> list[Pair]:
    doc = doc_iri(rec["doc_id"])
    pairs: list[Pair] = [
        (_TYPE, _G + "Mention"),
        (_TYPE, _PROV + "Entity"),
        (_G + "relationId", _string(rec["relation_id"], "relation_id")),
        (_G + "sentence", _string(rec.get("sentence") or "", "sentence")),
        (_DCT + "isPartOf", doc),
        (_PROV + "wasQuotedFrom", doc),
    ]
    span = rec.get("span")
    if span is not None:
        start, end = _list(span)
        pairs.append((_G + "charStart", _integer(start, "span start")))
        pairs.append((_G + "charEnd", _integer(end, "span end")))
    if rec.get("date"):
        pairs.append((_G + "date", _date(rec["date"], "provenance date")))
    if rec.get("date_source"):
        source = rec["date_source"]
        if source not in ("text", "article"):
            raise ExportError(
                f"provenance date_source {source!r} is neither 'text' nor 'article'; "
                "rebuild the graph (docs/OUTPUTS.md 'triples.jsonl')"
            )
        pairs.append((_G + "dateSource", _string(source, "date_source")))
    if rec.get("speaker"):
        pairs.append((_G + "speaker", actor_iri(rec["speaker"])))
    if rec.get("confidence") is not None:
        pairs.append((_G + "confidence", _double(rec["confidence"], "confidence")))
    if rec.get("extractor"):
        pairs.append((_G + "extractor", _string(rec["extractor"], "extractor")))
    if rec.get("rule"):
        pairs.append((_G + "rule", _string(rec["rule"], "rule")))
    if rec.get("model"):
        pairs.append((_G + "model", _string(rec["model"], "model")))
    return _finish(pairs)


def _doc_block(doc_id: str, meta: Mapping[str, Any]) -> list[Pair]:
    pairs: list[Pair] = [
        (_TYPE, _SCHEMA + "NewsArticle"),
        (_TYPE, _PROV + "Entity"),
        (_SCHEMA + "identifier", _string(doc_id, "document id")),
    ]
    if meta.get("title"):
        pairs.append((_SCHEMA + "headline", _string(meta["title"], "title")))
    if meta.get("published"):
        pairs.append((_SCHEMA + "datePublished", _date(meta["published"], "published")))
    if meta.get("url"):
        pairs.append((_SCHEMA + "url", (_string(meta["url"], "url")[0], _ANYURI)))
    if meta.get("source"):
        pairs.append((_G + "source", _string(meta["source"], "source")))
    return _finish(pairs)


def _concept_block(code: str, scheme: str) -> list[Pair]:
    return _finish(
        [
            (_TYPE, _SKOS + "Concept"),
            (_SKOS + "inScheme", _G + scheme),
            (_SKOS + "notation", _string(code, scheme)),
            (_SKOS + "prefLabel", _string(code, scheme)),
        ]
    )


_Edge: TypeAlias = tuple[str, Any, Any, Any]


class _Edges:
    """Edges ``(str(key), u, v, key)`` in key order, without a tuple per edge: the sources,
    targets and keys as three lists and the order as one numpy array (at 6.2M edges a list of
    tuples held about 0.5 GB beside the graph). Iterated as often as needed."""

    __slots__ = ("_keys", "_names", "_order", "_sources", "_targets")

    def __init__(self, sources: list[Any], targets: list[Any], keys: list[Any]) -> None:
        import numpy as np

        self._sources, self._targets, self._keys = sources, targets, keys
        plain = all(type(k) is str for k in keys)
        self._names: list[str] = keys if plain else [str(k) for k in keys]
        names = np.empty(len(keys), dtype=object)
        names[:] = self._names
        self._order = np.argsort(names, kind="stable")
        del names

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[_Edge]:
        names, sources, targets, keys = self._names, self._sources, self._targets, self._keys
        for at in range(0, len(keys), 1 << 16):
            for i in self._order[at : at + (1 << 16)].tolist():
                yield names[i], sources[i], targets[i], keys[i]


def _sorted_edges(graph: nx.MultiDiGraph, keep: Callable[[str], bool] | None) -> _Edges:
    """The edges as ``(str(key), u, v, key)`` sorted by key (those whose key ``keep`` keeps);
    two edges of one id are an error."""
    sources: list[Any] = []
    targets: list[Any] = []
    keys: list[Any] = []
    for u, v, k in graph.edges(keys=True):
        if keep is None or keep(str(k)):
            sources.append(u)
            targets.append(v)
            keys.append(k)
    edges = _Edges(sources, targets, keys)
    previous: str | None = None
    for name, *_ in edges:
        if name == previous:
            raise ExportError(
                f"edge id {name!r} is used by two edges; edge keys must be unique "
                "(stable_id of subject, relation, object, negated, modality)"
            )
        previous = name
    return edges


_Scan: TypeAlias = tuple[
    Mapping[str, Any], _Edges, set[str], set[str], set[str], dict[str, set[str]]
]


def _scan(graph: nx.MultiDiGraph) -> _Scan:
    """Check the graph and collect what the blocks need besides nodes and edges.

    Returns the document metadata, the edges as ``(str(key), u, v, key)`` sorted by key, and
    the document ids, PLOVER codes, CAMEO codes and relation properties (with their lemmas).
    """
    if not isinstance(graph, nx.MultiDiGraph):
        raise ExportError(
            f"RDF export needs a networkx MultiDiGraph, got {type(graph).__name__}; "
            "build it with geokg.graph"
        )
    documents: Mapping[str, Any] = graph.graph.get("documents") or {}
    edges = _sorted_edges(graph, None)
    doc_ids: set[str] = {str(d) for d in documents}
    plover: set[str] = set()
    cameo: set[str] = set()
    props: dict[str, set[str]] = {}
    for _, attrs in graph.nodes(data=True):
        doc_ids.update(str(d) for d in _list(attrs.get("docs")))
    for _, u, v, k in edges:
        data = graph.edges[u, v, k]
        if data.get("plover"):
            plover.add(str(data["plover"]))
        if data.get("cameo"):
            cameo.add(str(data["cameo"]))
        relation = _relation(data, k)
        if _is_factual(data):
            props.setdefault(relation_property(relation), set()).add(relation)
        doc_ids.update(str(r["doc_id"]) for r in _provenance(k, data))

    return documents, edges, doc_ids, plover, cameo, props


_Mode = Literal["merged", "inline", "grouped"]


def _iter_blocks(graph: nx.MultiDiGraph, mode: _Mode) -> Iterator[Block]:
    """Yield ``(graph name or None, subject, sorted pairs)`` in a fixed order.

    ``merged``: one graph (Turtle; JSON-LD takes the same blocks in IRI order from
    :func:`_jsonld_subjects`). ``inline``: each event's provenance right after it,
    in its document's graph (N-Quads). ``grouped``: the default graph first, then one group of
    blocks per document graph (TriG).
    """
    scan = _scan(graph)
    yield from _head_blocks(graph, scan)
    yield from _event_blocks(graph, scan[1], mode)


def _head_blocks(graph: nx.MultiDiGraph, scan: _Scan) -> Iterator[Block]:
    """The blocks before the events: relation properties, concepts, documents, actors."""
    documents, _, doc_ids, plover, cameo, props = scan
    for prop in sorted(props):
        pairs: list[Pair] = [
            (_TYPE, _RDF + "Property"),
            (_RDFS + "subPropertyOf", _G + "relatedTo"),
        ]
        pairs.extend((_LABEL, _string(r, "relation")) for r in props[prop])
        yield None, prop, _finish(pairs)
    for code in sorted(plover, key=plover_iri):
        yield None, plover_iri(code), _concept_block(code, "PLOVER")
    for code in sorted(cameo, key=cameo_iri):
        yield None, cameo_iri(code), _concept_block(code, "CAMEO")
    for doc_id in sorted(doc_ids):
        meta = documents.get(doc_id)
        yield None, doc_iri(doc_id), _doc_block(doc_id, meta if isinstance(meta, Mapping) else {})
    for node in sorted(graph.nodes, key=str):
        yield None, actor_iri(node), _actor_block(graph, node, graph.nodes[node])


def _event_blocks(graph: nx.MultiDiGraph, edges: Iterable[_Edge], mode: _Mode) -> Iterator[Block]:
    """The blocks of the events ``edges`` (sorted by id) and their mentions."""
    by_doc: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for _, u, v, k in edges:
        data = graph.edges[u, v, k]
        iri = event_iri(k)
        pairs = _event_block(u, v, k, data)
        records = _provenance(k, data)
        if mode == "merged":
            pairs.extend((_PROV + "wasDerivedFrom", mention_iri(r["relation_id"])) for r in records)
        yield None, iri, _finish(pairs)
        for rec in records:
            if mode == "grouped":
                by_doc.setdefault(str(rec["doc_id"]), []).append((iri, rec))
            else:
                gname = None if mode == "merged" else doc_iri(rec["doc_id"])
                m = mention_iri(rec["relation_id"])
                if mode == "inline":
                    yield gname, iri, [(_PROV + "wasDerivedFrom", m)]
                yield gname, m, _mention_block(rec)
    for doc_id in sorted(by_doc):
        gname = doc_iri(doc_id)
        for iri, rec in by_doc[doc_id]:
            m = mention_iri(rec["relation_id"])
            yield gname, iri, [(_PROV + "wasDerivedFrom", m)]
            yield gname, m, _mention_block(rec)


def nquads_part(graph: nx.MultiDiGraph, part: int, parts: int) -> Iterator[str]:
    """Part ``part`` of :func:`iter_nquads`'s text cut into ``parts``: part 0, every quad
    before the events (it checks the whole graph, as :func:`iter_nquads` does); part ``i``
    (1 to ``parts - 1``), the events, and their mentions, whose id lies in the ``i``-th of
    ``parts - 1`` ranges (:func:`key_ranges`). Only part 0 needs the whole graph; an event part
    needs the events of its range alone, and their provenance. The parts, in order, are the
    file.

    Raises:
        ValueError: ``parts`` under 2, or ``part`` not in ``range(parts)``.
    """
    if parts < 2 or not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}: need parts >= 2 and 0 <= part < parts")
    if part == 0:
        blocks = _head_blocks(graph, _scan(graph))
    else:
        lo, hi = key_ranges(parts - 1)[part - 1]
        edges = _sorted_edges(graph, lambda key: lo <= key and (hi is None or key < hi))
        blocks = _event_blocks(graph, edges, "inline")
    return _chunked(_nquads_lines(blocks))


# Text writers ------------------------------------------------------------------------------

_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ECHAR.get(ch) or f"\\u{ord(ch):04X}"


def _escape(text: str) -> str:
    """Escape a lexical form for a Turtle/N-Triples ``"..."`` string.

    >>> print(_escape('say "hi"\\n\\\\u'))
    say \\"hi\\"\\n\\\\u
    """
    return _ESCAPE.sub(_escape_char, text)


def _nt(term: Term) -> str:
    if isinstance(term, str):
        return f"<{term}>"
    lex, datatype = term
    if datatype == _STR:
        return f'"{_escape(lex)}"'
    return f'"{_escape(lex)}"^^<{datatype}>'


_PN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_NAMESPACES = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda t: -len(t[0]))


class _TurtleTerms:
    """Renders terms for Turtle/TriG with prefixed names for vocabulary IRIs (cached)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {_TYPE: "a"}

    def iri(self, iri: str, *, predicate: bool = False) -> str:
        cached = self._cache.get(iri)
        if cached is not None:
            return cached if predicate or iri != _TYPE else "rdf:type"
        if iri.startswith(ID):
            return f"<{iri}>"
        out = f"<{iri}>"
        for ns, prefix in _NAMESPACES:
            if iri.startswith(ns) and _PN_LOCAL.fullmatch(iri[len(ns) :]):
                out = f"{prefix}:{iri[len(ns) :]}"
                break
        self._cache[iri] = out
        return out

    def term(self, term: Term) -> str:
        if isinstance(term, str):
            return self.iri(term)
        lex, datatype = term
        if datatype == _STR:
            return f'"{_escape(lex)}"'
        return f'"{_escape(lex)}"^^{self.iri(datatype)}'

    def block(self, subject: str, pairs: list[Pair], indent: str = "") -> str:
        lines: list[str] = []
        pred: str | None = None
        objs: list[str] = []
        for p, o in pairs:
            if p != pred:
                if pred is not None:
                    lines.append(f"{self.iri(pred, predicate=True)} {', '.join(objs)}")
                pred, objs = p, []
            objs.append(self.term(o))
        if pred is not None:
            lines.append(f"{self.iri(pred, predicate=True)} {', '.join(objs)}")
        sep = f" ;\n{indent}    "
        return f"{indent}{self.iri(subject)} {sep.join(lines)} .\n"


def _prefix_header() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"


def _chunked(parts: Iterator[str], size: int = 1 << 16) -> Iterator[str]:
    buf: list[str] = []
    n = 0
    for part in parts:
        buf.append(part)
        n += len(part)
        if n >= size:
            yield "".join(buf)
            buf, n = [], 0
    if buf:
        yield "".join(buf)


def iter_turtle(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the graph as Turtle, in chunks (all document graphs merged into one).

    Raises:
        ExportError: the graph breaks the contract in docs/ARCHITECTURE.md (the message says
            which node or edge and how to fix it).
    """
    terms = _TurtleTerms()

    def parts() -> Iterator[str]:
        yield _prefix_header()
        for _, subject, pairs in _iter_blocks(graph, "merged"):
            yield terms.block(subject, pairs) + "\n"

    return _chunked(parts())


def iter_trig(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the graph as TriG: the default graph, then one named graph per document."""
    terms = _TurtleTerms()

    def parts() -> Iterator[str]:
        yield _prefix_header()
        current: str | None = None
        for gname, subject, pairs in _iter_blocks(graph, "grouped"):
            if gname != current:
                if current is not None:
                    yield "}\n\n"
                yield f"<{gname}> {{\n"
                current = gname
            if gname is None:
                yield terms.block(subject, pairs) + "\n"
            else:
                yield terms.block(subject, pairs, indent="    ")
        if current is not None:
            yield "}\n"

    return _chunked(parts())


def iter_nquads(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the graph as N-Quads (document graphs named by the document IRI); in parts that
    concatenate to the same text: :func:`nquads_part`."""
    return _chunked(_nquads_lines(_iter_blocks(graph, "inline")))


def _nquads_lines(blocks: Iterable[Block]) -> Iterator[str]:
    for gname, subject, pairs in blocks:
        s = f"<{subject}>"
        g = "" if gname is None else f" <{gname}>"
        yield "".join(f"{s} <{p}> {_nt(o)}{g} .\n" for p, o in pairs)


def write_turtle(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`iter_turtle` to ``path`` atomically and return the path."""
    return atomic_write(path, iter_turtle(graph), newline="\n")


def write_trig(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`iter_trig` to ``path`` atomically and return the path."""
    return atomic_write(path, iter_trig(graph), newline="\n")


def write_nquads(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`iter_nquads` to ``path`` atomically and return the path."""
    return atomic_write(path, iter_nquads(graph), newline="\n")


# rdflib ------------------------------------------------------------------------------------


def _rdflib_term(term: Term) -> rdflib.URIRef | rdflib.Literal:
    if isinstance(term, str):
        return rdflib.URIRef(term)
    lex, datatype = term
    if datatype == _STR:
        return rdflib.Literal(lex)
    return rdflib.Literal(lex, datatype=rdflib.URIRef(datatype))


def to_rdflib_graph(graph: nx.MultiDiGraph) -> rdflib.Dataset:
    """Build the export with rdflib's API: a Dataset with one named graph per document.

    The default graph holds actors, documents, concepts, relation properties and events; each
    document's graph holds its mention nodes and the ``prov:wasDerivedFrom`` links to them.
    Merge the graphs (``Graph() + each``) to get what :func:`iter_turtle` writes.
    """
    ds = rdflib.Dataset()
    for prefix, ns in sorted(PREFIXES.items()):
        ds.bind(prefix, ns)
    default = ds.default_graph
    named: dict[str, rdflib.Graph] = {}
    for gname, subject, pairs in _iter_blocks(graph, "inline"):
        s = rdflib.URIRef(subject)
        if gname is None:
            target = default
        else:
            target = named.get(gname) or named.setdefault(gname, ds.graph(rdflib.URIRef(gname)))
        for p, o in pairs:
            target.add((s, rdflib.URIRef(p), _rdflib_term(o)))
    return ds


# JSON-LD -----------------------------------------------------------------------------------


def _load_context() -> dict[str, Any]:
    with CONTEXT_PATH.open(encoding="utf-8") as fh:
        ctx: dict[str, Any] = json.load(fh)["@context"]
    return ctx


def _expand(curie: str, ctx: Mapping[str, Any]) -> str:
    if curie.startswith("@"):
        return curie
    prefix, sep, local = curie.partition(":")
    ns = ctx.get(prefix)
    if sep and isinstance(ns, str):
        return ns + local
    return curie


def _compact(iri: str) -> str:
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and _PN_LOCAL.fullmatch(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _jsonld_terms(ctx: Mapping[str, Any]) -> dict[str, tuple[str, str | None]]:
    """Property IRI -> (context term, the datatype or ``@id`` the term coerces to)."""
    terms: dict[str, tuple[str, str | None]] = {}
    for name, definition in sorted(ctx.items()):
        if isinstance(definition, Mapping) and "@id" in definition:
            coerce = definition.get("@type")
            terms[_expand(definition["@id"], ctx)] = (
                name,
                _expand(coerce, ctx) if isinstance(coerce, str) else None,
            )
    return terms


def _jsonld_object(
    subject: str, pairs: Iterable[Pair], terms: Mapping[str, tuple[str, str | None]]
) -> dict[str, Any]:
    """The node object of ``subject``: values by term, each term's values sorted, no repeats."""
    node: dict[str, list[tuple[tuple[Any, ...], Any]]] = {}
    for p, o in pairs:
        if p == _TYPE and isinstance(o, str):
            node.setdefault("@type", []).append(((0, o), _compact(o)))
            continue
        name, coerce = terms.get(p, (_compact(p), None))
        value: Any
        if isinstance(o, str):
            value = o if coerce == "@id" else {"@id": o}
            key: tuple[Any, ...] = (0, o)
        else:
            lex, datatype = o
            if datatype == coerce or (datatype == _STR and coerce is None):
                value = lex
            elif datatype == _STR:
                value = {"@value": lex}
            else:
                value = {"@value": lex, "@type": _compact(datatype)}
            key = (1, datatype, lex)
        node.setdefault(name, []).append((key, value))
    obj: dict[str, Any] = {"@id": subject}
    for name, values in sorted(node.items()):
        unique = {repr(k): (k, v) for k, v in values}
        ordered = [v for _, v in sorted(unique.values(), key=lambda kv: kv[0])]
        obj[name] = ordered[0] if len(ordered) == 1 else ordered
    return obj


def _grouped(
    keyed: Iterable[tuple[str, Any]], block: Callable[[Any], list[Pair]], base: str
) -> Iterator[tuple[str, list[Pair]]]:
    """``(base + segment, pairs)`` for ``(segment, item)`` sorted by segment; items that share
    a segment (one subject) have their blocks merged."""
    for segment, group in itertools.groupby(keyed, key=lambda t: t[0]):
        pairs: list[Pair] = []
        for _, item in group:
            pairs.extend(block(item))
        yield base + segment, pairs


#: Bytes of pickled mention blocks a sorted run of :func:`_mention_blocks` holds before it is
#: spilled to a temporary file, and how many runs one merge reads at once.
_MENTION_RUN_BYTES = 16 * 1024 * 1024
_MERGE_FAN_IN = 128

_Keyed: TypeAlias = tuple[str, int, bytes]


def _keyed(item: _Keyed) -> tuple[str, int]:
    return item[0], item[1]


def _spill(run: Iterable[_Keyed], path: Path) -> Path:
    with path.open("wb") as fh:
        for item in run:
            pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _unspill(path: Path) -> Iterator[_Keyed]:
    with path.open("rb") as fh:
        while True:
            try:
                yield pickle.load(fh)  # our own file, written just before
            except EOFError:
                return


def _mention_blocks(
    edges: Iterable[_Edge], data_of: Callable[[_Edge], Mapping[str, Any]]
) -> Iterator[tuple[str, list[Pair]]]:
    """Every mention's ``(segment, pairs)`` in segment order, ties in edge order.

    The blocks are built in one walk over the edges in id order, so that a stored graph reads
    each edge's provenance once, in the order of its file (taken in mention order, each
    mention was a random read: 100,000 relations took 754 CPU s). Pickled, they are sorted in
    runs of :data:`_MENTION_RUN_BYTES`; past the first, each run goes to a temporary folder,
    and the runs are merged, :data:`_MERGE_FAN_IN` at a time.
    """
    with tempfile.TemporaryDirectory(prefix="geokg-jsonld-") as tmp:
        runs: list[Path] = []
        run: list[_Keyed] = []
        size = seq = 0
        for edge in edges:
            for record in _list(data_of(edge).get("provenance")):
                block = pickle.dumps(_mention_block(record), protocol=pickle.HIGHEST_PROTOCOL)
                run.append((_segment(record["relation_id"], "relation"), seq, block))
                seq += 1
                size += len(block)
                if size >= _MENTION_RUN_BYTES:
                    run.sort(key=_keyed)
                    runs.append(_spill(run, Path(tmp) / f"run-{len(runs)}"))
                    run, size = [], 0
        run.sort(key=_keyed)
        if runs:
            runs.append(_spill(run, Path(tmp) / f"run-{len(runs)}"))
            run = []
        while len(runs) > _MERGE_FAN_IN:
            merged = Path(tmp) / f"merged-{len(runs)}"
            _spill(heapq.merge(*(_unspill(p) for p in runs[:_MERGE_FAN_IN]), key=_keyed), merged)
            for p in runs[:_MERGE_FAN_IN]:
                p.unlink()
            runs = [*runs[_MERGE_FAN_IN:], merged]
        items = heapq.merge(*(_unspill(p) for p in runs), key=_keyed) if runs else iter(run)
        for segment, _, block in items:
            yield segment, pickle.loads(block)  # our own bytes


def _jsonld_subjects(graph: nx.MultiDiGraph) -> Iterator[tuple[str, list[Pair]]]:
    """Every subject of the merged graph with all its pairs, in IRI order.

    The same blocks as ``_iter_blocks(graph, "merged")``, produced subject by subject in the
    order of the JSON-LD ``@graph``: actors, CAMEO codes, documents, events, mentions, PLOVER
    codes (all under :data:`ID`, in that order of their path), then relation properties
    (under :data:`REL`). Only sorted references are kept, never the blocks.
    """
    documents, edges, doc_ids, plover, cameo, props = _scan(graph)

    def sorted_by_segment(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
        return sorted(items, key=lambda t: t[0])

    actors = sorted_by_segment((_segment(n, "actor"), n) for n in graph.nodes)
    yield from _grouped(actors, lambda n: _actor_block(graph, n, graph.nodes[n]), f"{ID}actor/")
    del actors
    for code in sorted(cameo, key=cameo_iri):
        yield cameo_iri(code), _concept_block(code, "CAMEO")
    for doc_id in sorted(doc_ids, key=doc_iri):
        meta = documents.get(doc_id)
        yield doc_iri(doc_id), _doc_block(doc_id, meta if isinstance(meta, Mapping) else {})

    def data_of(edge: _Edge) -> Mapping[str, Any]:
        _, u, v, k = edge
        data: Mapping[str, Any] = graph.succ[u][v][k]
        return data

    for edge in sorted(edges, key=lambda e: _segment(e[3], "edge")):
        _, u, v, k = edge
        data = data_of(edge)
        pairs = _event_block(u, v, k, data)
        pairs.extend(
            (_PROV + "wasDerivedFrom", mention_iri(r["relation_id"])) for r in _provenance(k, data)
        )
        yield event_iri(k), _finish(pairs)

    yield from _grouped(_mention_blocks(edges, data_of), lambda pairs: pairs, f"{ID}mention/")
    for code in sorted(plover, key=plover_iri):
        yield plover_iri(code), _concept_block(code, "PLOVER")
    for prop in sorted(props):
        labels: list[Pair] = [
            (_TYPE, _RDF + "Property"),
            (_RDFS + "subPropertyOf", _G + "relatedTo"),
        ]
        labels.extend((_LABEL, _string(r, "relation")) for r in props[prop])
        yield prop, _finish(labels)


def _jsonld_objects(graph: nx.MultiDiGraph, ctx: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    terms = _jsonld_terms(ctx)
    for subject, pairs in _jsonld_subjects(graph):
        yield _jsonld_object(subject, pairs, terms)


def to_jsonld(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Return the export as a JSON-LD document with the geokg context embedded.

    All document graphs are merged into one ``@graph`` (like Turtle). Node objects are sorted by
    ``@id`` and values by their RDF form, so the result is deterministic.
    """
    ctx = _load_context()
    return {"@context": ctx, "@graph": list(_jsonld_objects(graph, ctx))}


def iter_jsonld(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield :func:`to_jsonld` as JSON text in chunks, node object by node object.

    The text is ``json.dumps(to_jsonld(graph), ensure_ascii=False, sort_keys=True, indent=1)``
    and a newline, without ever holding the whole document.
    """

    def dump(value: Any, level: int) -> str:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
        return text.replace("\n", "\n" + " " * level)

    def parts() -> Iterator[str]:
        ctx = _load_context()
        yield '{\n "@context": ' + dump(ctx, 1) + ',\n "@graph": '
        empty = True
        for obj in _jsonld_objects(graph, ctx):
            yield ("[\n  " if empty else ",\n  ") + dump(obj, 2)
            empty = False
        yield "[]\n}\n" if empty else "\n ]\n}\n"

    return _chunked(parts(), 1 << 14)


def write_jsonld(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_jsonld` to ``path`` (UTF-8, sorted keys, 1-space indent) atomically.

    Streamed (:func:`iter_jsonld`): one node object at a time.
    """
    return atomic_write(path, iter_jsonld(graph), newline="\n")
