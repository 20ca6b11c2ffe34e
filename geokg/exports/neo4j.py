"""Neo4j export: ``neo4j-admin`` CSV files and a parameterised ``cypher-shell`` script.

``write_neo4j(graph, out)`` writes ``out/neo4j/``:

``nodes.csv``
    One row per actor. Header (neo4j-admin import format)::

        id:ID(Actor),label,type,country,roles:string[],aliases:string[],wikidata,
        mentions:long,docs:string[],:LABEL

    ``:LABEL`` is ``Actor`` plus the type label (``Actor;Person``, ``Actor;Country``,
    ``Actor;Organisation``, ``Actor;Location``, ``Actor;Group``; ``other`` is just ``Actor``).
``relationships.csv``
    One row per graph edge, actor to actor. Header::

        :START_ID(Actor),:END_ID(Actor),:TYPE,id,relation,negated:boolean,modality,plover,
        cameo,quad_class:long,goldstein:double,confidence:double,weight:long,dates:date[],
        first_date:date,speakers:string[],sentence,doc_ids:string[],rules:string[],
        provenance_json

    ``:TYPE`` is chosen by the ``rel_type`` rule (:func:`choose_relationship_type`): ``verb``
    (the default) gives the relation lemma in upper snake case (``ACCUSE``, ``STEP_UP``),
    ``plover`` the edge's PLOVER type (``SANCTION``) or ``RELATED_TO`` for an edge without
    one; either way the lemma stays in ``relation`` and the PLOVER type in ``plover``.
    ``sentence`` is the first provenance sentence and ``rules`` the extractor rules that
    produced the edge's relations (``svo.passive_agent``), and ``provenance_json`` the whole
    provenance list as JSON text (free text never goes into an array column, so the array
    delimiter never has to be escaped inside a sentence).
``articles.csv``
    One ``:Article`` node per document: every id of ``G.graph["documents"]``, of a provenance
    record or of an actor's ``docs``. Header::

        id:ID(Article),title,date:date,published,url,source,:LABEL

    ``date`` is ``published`` when that is an ISO date (``YYYY-MM-DD``); ``published`` keeps
    the text as it was given.
``events.csv``
    One ``:Event`` node per graph edge, with the edge's id (the reified relationship, as the
    RDF event node). Header::

        id:ID(Event),type,relation,negated:boolean,modality,plover,cameo,quad_class:long,
        goldstein:double,confidence:double,weight:long,first_date:date,:LABEL

    ``type`` is the ``:TYPE`` of the edge's actor relationship in ``relationships.csv``.
``event_actors.csv``
    Two relationships per edge: ``(:Event)-[:SUBJECT]->(:Actor)`` and
    ``(:Event)-[:OBJECT]->(:Actor)``. Header ``:START_ID(Event),:END_ID(Actor),:TYPE``.
``reports.csv``
    One ``(:Article)-[:REPORTS]->(:Event)`` relationship per provenance record that names its
    document. Header::

        :START_ID(Article),:END_ID(Event),:TYPE,relation_id,sentence,char_start:long,
        char_end:long,date:date,date_source,speaker,confidence:double,extractor,rule,model

    ``char_start``/``char_end`` are the record's ``span``; ``speaker`` an actor id.
``import.cypher``
    For a running database: the ``Actor.id``, ``Article.id`` and ``Event.id`` uniqueness
    constraints, then batches of
    ``:param rows => [...]`` followed by ``UNWIND $rows AS row MERGE ...``. Values only ever
    travel as parameters; the parameter literals are escaped by :func:`cypher_literal`.
``README.txt``
    The exact ``neo4j-admin`` and ``cypher-shell`` commands (:func:`neo4j_readme`).

Exactness: the CSV files keep every value exactly (no spreadsheet formula neutralisation, that
is :mod:`geokg.exports.csvsafe`'s job for ``edges_table.csv``), except control characters: NUL,
tab, line breaks, the other C0/C1 controls and the bidi overrides, embeddings and isolates are
written as visible escapes (``\\x00``, ``\\n``, ``\\u202e``;
:func:`geokg.exports.csvsafe.escape_controls`) in every field, ids included, and as JSON
``\\u`` escapes inside ``provenance_json`` (so it still decodes to the exact provenance).
``import.cypher`` keeps exact values: its literals escape them. Strings are always quoted with
``"`` doubled inside; a missing value (``None``, an empty list) is an empty *unquoted* field,
which neo4j-admin reads as "no property", while ``""`` is the empty string. Backslashes are
literal (neo4j-admin's default ``--legacy-style-quoting=false``), and fields may span lines
(``--multiline-fields=true``). Integers are ``long`` and reals ``double`` because a
neo4j-admin ``float`` is 32-bit (``0.9`` would load as ``0.8999999761581421``) and Cypher
parameters are 64-bit; both routes then store identical values.

Array delimiter: ``;`` (neo4j-admin's default) unless some array item or label contains
``;``; then ``|``, then U+001F (the ASCII unit separator, never inside an item once control
characters are escaped, and the only control character the files can hold).
:func:`choose_array_delimiter` picks it from the data, and README.txt names it in
``--array-delimiter``. Empty strings inside
lists are dropped; dates that are not ``YYYY-MM-DD`` are left out of the typed ``dates`` and
``first_date`` columns (they stay in ``provenance_json``).

Relationship types cannot be parameters in ``MERGE``, so ``import.cypher`` has one batch per
type with the sanitised type (``[A-Z0-9_]`` only) backquoted in the query text; node labels
likewise get one batch per label set. The order: actors, articles, events, actor
relationships, ``SUBJECT``, ``OBJECT``, ``REPORTS``.

>>> relationship_type("step up")
'STEP_UP'
>>> cypher_literal("it's")
"'it\\\\'s'"
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import json
import math
import operator
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx

from geokg._io import current_umask
from geokg.errors import ExportError
from geokg.exports.csvsafe import escape_controls
from geokg.model import key_ranges

__all__ = [
    "ARRAY_DELIMITERS",
    "ARTICLE_HEADER",
    "EVENT_ACTOR_HEADER",
    "EVENT_HEADER",
    "FALLBACK_TYPE",
    "NODE_HEADER",
    "RELATIONSHIP_HEADER",
    "REL_TYPE_RULES",
    "REPORT_HEADER",
    "TYPE_LABELS",
    "CypherDialect",
    "RelTypeRule",
    "article_records",
    "check_neo4j_admin_header",
    "choose_array_delimiter",
    "choose_relationship_type",
    "constraint_statements",
    "cypher_literal",
    "cypher_shell_command",
    "event_actor_records",
    "event_records",
    "iter_article_records",
    "iter_articles_csv",
    "iter_cypher_batches",
    "iter_event_actor_records",
    "iter_event_actors_csv",
    "iter_event_records",
    "iter_events_csv",
    "iter_import_cypher",
    "iter_node_records",
    "iter_nodes_csv",
    "iter_relationship_records",
    "iter_relationships_csv",
    "iter_report_records",
    "iter_reports_csv",
    "join_neo4j_parts",
    "neo4j_admin_command",
    "neo4j_part",
    "neo4j_parts_delimiter",
    "neo4j_readme",
    "node_records",
    "relationship_records",
    "relationship_type",
    "render_articles_csv",
    "render_event_actors_csv",
    "render_events_csv",
    "render_import_cypher",
    "render_nodes_csv",
    "render_relationships_csv",
    "render_reports_csv",
    "report_records",
    "write_neo4j",
]

CypherDialect = Literal["neo4j", "kuzu"]

#: How the ``:TYPE`` of an actor relationship is chosen (:func:`choose_relationship_type`).
RelTypeRule = Literal["verb", "plover"]

#: The values of ``rel_type`` (``geokg build --neo4j-rel-type``); the first is the default.
REL_TYPE_RULES: tuple[RelTypeRule, ...] = ("verb", "plover")

#: The relationship type of a lemma with no ASCII letter or digit, or (``plover``) of an edge
#: without a PLOVER type.
FALLBACK_TYPE = "RELATED_TO"

#: Array delimiters tried in order; the first that no array item contains is used.
ARRAY_DELIMITERS: tuple[str, ...] = (";", "|", "\x1f")

#: Extra node label per actor type (every node also has ``Actor``).
TYPE_LABELS: Mapping[str, str] = {
    "person": "Person",
    "country": "Country",
    "organisation": "Organisation",
    "location": "Location",
    "group": "Group",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Column:
    """One CSV column: property name, neo4j-admin type and whether it is an array."""

    name: str
    kind: str = "string"
    array: bool = False

    @property
    def header(self) -> str:
        if self.kind == "string" and not self.array:
            return self.name
        return f"{self.name}:{self.kind}{'[]' if self.array else ''}"


_NODE_COLUMNS: tuple[_Column, ...] = (
    _Column(name="label"),
    _Column(name="type"),
    _Column(name="country"),
    _Column(name="roles", array=True),
    _Column(name="aliases", array=True),
    _Column(name="wikidata"),
    _Column(name="mentions", kind="long"),
    _Column(name="docs", array=True),
)

#: What an actor relationship and its :Event node both say of the fact.
_FACT_COLUMNS: tuple[_Column, ...] = (
    _Column(name="relation"),
    _Column(name="negated", kind="boolean"),
    _Column(name="modality"),
    _Column(name="plover"),
    _Column(name="cameo"),
    _Column(name="quad_class", kind="long"),
    _Column(name="goldstein", kind="double"),
    _Column(name="confidence", kind="double"),
    _Column(name="weight", kind="long"),
)

_REL_COLUMNS: tuple[_Column, ...] = (
    _Column(name="id"),
    *_FACT_COLUMNS,
    _Column(name="dates", kind="date", array=True),
    _Column(name="first_date", kind="date"),
    _Column(name="speakers", array=True),
    _Column(name="sentence"),
    _Column(name="doc_ids", array=True),
    _Column(name="rules", array=True),
    _Column(name="provenance_json"),
)

_ARTICLE_COLUMNS: tuple[_Column, ...] = (
    _Column(name="title"),
    _Column(name="date", kind="date"),
    _Column(name="published"),
    _Column(name="url"),
    _Column(name="source"),
)

_EVENT_COLUMNS: tuple[_Column, ...] = (
    _Column(name="type"),
    *_FACT_COLUMNS,
    _Column(name="first_date", kind="date"),
)

_REPORT_COLUMNS: tuple[_Column, ...] = (
    _Column(name="relation_id"),
    _Column(name="sentence"),
    _Column(name="char_start", kind="long"),
    _Column(name="char_end", kind="long"),
    _Column(name="date", kind="date"),
    _Column(name="date_source"),
    _Column(name="speaker"),
    _Column(name="confidence", kind="double"),
    _Column(name="extractor"),
    _Column(name="rule"),
    _Column(name="model"),
)

#: The two relationship types from an event to its actors, in ``event_actors.csv`` order.
_EVENT_ACTOR_TYPES: tuple[tuple[str, str], ...] = (("SUBJECT", "src"), ("OBJECT", "dst"))

#: Header of ``nodes.csv``.
NODE_HEADER: tuple[str, ...] = (
    "id:ID(Actor)",
    *(c.header for c in _NODE_COLUMNS),
    ":LABEL",
)

#: Header of ``relationships.csv``.
RELATIONSHIP_HEADER: tuple[str, ...] = (
    ":START_ID(Actor)",
    ":END_ID(Actor)",
    ":TYPE",
    *(c.header for c in _REL_COLUMNS),
)

#: Header of ``articles.csv``.
ARTICLE_HEADER: tuple[str, ...] = (
    "id:ID(Article)",
    *(c.header for c in _ARTICLE_COLUMNS),
    ":LABEL",
)

#: Header of ``events.csv``.
EVENT_HEADER: tuple[str, ...] = (
    "id:ID(Event)",
    *(c.header for c in _EVENT_COLUMNS),
    ":LABEL",
)

#: Header of ``event_actors.csv``.
EVENT_ACTOR_HEADER: tuple[str, ...] = (":START_ID(Event)", ":END_ID(Actor)", ":TYPE")

#: Header of ``reports.csv``.
REPORT_HEADER: tuple[str, ...] = (
    ":START_ID(Article)",
    ":END_ID(Event)",
    ":TYPE",
    *(c.header for c in _REPORT_COLUMNS),
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --------------------------------------------------------------------------- records


def relationship_type(relation: str) -> str:
    """Return the Neo4j relationship type for a relation lemma.

    Upper snake case of the lemma, with accents folded to ASCII (NFKD) and every run of other
    characters turned into ``_``; a leading digit gets ``R_``. A lemma with no ASCII letter or
    digit left gives ``RELATED_TO``.

    >>> relationship_type("accuse")
    'ACCUSE'
    >>> relationship_type("démentir")
    'DEMENTIR'
    >>> relationship_type("встретить")
    'RELATED_TO'
    >>> relationship_type("'}) DETACH DELETE n //")
    'DETACH_DELETE_N'
    """
    folded = unicodedata.normalize("NFKD", relation).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Z0-9]+", "_", folded.upper()).strip("_")
    if not name:
        return FALLBACK_TYPE
    if name[0].isdigit():
        return f"R_{name}"
    return name


def _rule(rule: str) -> RelTypeRule:
    """``rule`` as a :data:`RelTypeRule` (checked)."""
    _check_rule(rule)
    return "plover" if rule == "plover" else "verb"


def _check_rule(rule: str) -> None:
    if rule not in REL_TYPE_RULES:
        msg = (
            f"rel_type is {rule!r}; use one of {', '.join(REL_TYPE_RULES)} "
            "(the relation lemma or the PLOVER type as the Neo4j relationship type)."
        )
        raise ExportError(msg)


def choose_relationship_type(relation: str, plover: str | None, rule: RelTypeRule = "verb") -> str:
    """Return the ``:TYPE`` of an actor relationship under ``rule``.

    ``verb`` (the default): :func:`relationship_type` of the relation lemma. ``plover``: the
    edge's PLOVER type through the same function (``SANCTION``), or :data:`FALLBACK_TYPE`
    (``RELATED_TO``) when the edge has none. Either way the result matches
    ``[A-Z][A-Z0-9_]*``: a valid Cypher name that needs no quoting.

    >>> choose_relationship_type("close", "SANCTION", "plover")
    'SANCTION'
    >>> choose_relationship_type("close", "SANCTION")
    'CLOSE'
    >>> choose_relationship_type("praise", None, "plover")
    'RELATED_TO'
    """
    if rule == "plover":
        return relationship_type(plover or "")
    return relationship_type(relation)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def _text_list(value: object) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    out = [str(item) for item in items if item is not None and str(item) != ""]
    return out or None


def _integer(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        msg = (
            f"{what} is {value!r}, not an integer; the graph contract "
            "(docs/ARCHITECTURE.md) requires an int or None there."
        )
        raise ExportError(msg)
    return value


def _real(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{what} is {value!r}, not a number; the graph contract requires a float or None."
        raise ExportError(msg)
    real = float(value)
    if not math.isfinite(real):
        msg = f"{what} is {value!r}; Neo4j and JSON cannot store NaN or infinity, use None."
        raise ExportError(msg)
    return real


def _boolean(value: object, what: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        msg = f"{what} is {value!r}, not a bool; the graph contract requires True or False."
        raise ExportError(msg)
    return value


def _iso_dates(value: object) -> list[str] | None:
    items = _text_list(value) or []
    valid: set[str] = set()
    for item in items:
        if _ISO_DATE.fullmatch(item):
            try:
                date.fromisoformat(item)
            except ValueError:
                continue
            valid.add(item)
    return sorted(valid) or None


def _node_record(node: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    what = f"node {node!r}"
    record: dict[str, Any] = {
        "id": str(node),
        "label": _text(data.get("label")),
        "type": _text(data.get("type")),
        "country": _text(data.get("country")),
        "roles": _text_list(data.get("roles")),
        "aliases": _text_list(data.get("aliases")),
        "wikidata": _text(data.get("wikidata")),
        "mentions": _integer(data.get("mentions"), f"{what} 'mentions'"),
        "docs": _text_list(data.get("docs")),
    }
    record["labels"] = list(_labels(data))
    return record


def _labels(data: Mapping[str, Any]) -> tuple[str, ...]:
    extra = TYPE_LABELS.get(str(data.get("type")))
    return ("Actor", extra) if extra else ("Actor",)


def iter_node_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield :func:`node_records` one at a time (sorted by id), without building the list."""
    for node in sorted(graph.nodes, key=str):
        yield _node_record(node, graph.nodes[node])


def node_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return one plain record per node, sorted by id: the rows of both export routes.

    Each record has ``id``, the ``nodes.csv`` property names (typed Python values, ``None``
    for a missing value or an empty list) and ``labels`` (a list, ``"Actor"`` first).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RUS", label="Russia", type="country", roles=[], mentions=2)
    >>> r = node_records(g)[0]
    >>> r["labels"], r["roles"], r["mentions"]
    (['Actor', 'Country'], None, 2)
    """
    return list(iter_node_records(graph))


#: What ``json.dumps(ensure_ascii=False)`` leaves raw of :data:`csvsafe.CONTROLS` (it escapes C0).
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _event_record(
    source: Any, target: Any, key: Any, data: Mapping[str, Any], rule: RelTypeRule = "verb"
) -> dict[str, Any]:
    """The edge's own values, without its provenance: an ``:Event`` row, less ``dates``."""
    edge_id = str(data.get("id", key))
    what = f"edge {edge_id!r}"
    relation = _text(data.get("relation")) or ""
    dates = _iso_dates(data.get("dates"))
    plover = _text(data.get("plover"))
    return {
        "src": str(source),
        "dst": str(target),
        "type": choose_relationship_type(relation, plover, rule),
        "id": edge_id,
        "relation": relation,
        "negated": _boolean(data.get("negated"), f"{what} 'negated'"),
        "modality": _text(data.get("modality")),
        "plover": plover,
        "cameo": _text(data.get("cameo")),
        "quad_class": _integer(data.get("quad_class"), f"{what} 'quad_class'"),
        "goldstein": _real(data.get("goldstein"), f"{what} 'goldstein'"),
        "confidence": _real(data.get("confidence"), f"{what} 'confidence'"),
        "weight": _integer(data.get("weight"), f"{what} 'weight'"),
        "dates": dates,
        "first_date": dates[0] if dates else None,
    }


def _relationship_record(
    source: Any,
    target: Any,
    key: Any,
    data: Mapping[str, Any],
    rule: RelTypeRule = "verb",
    provenance: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``relationships.csv`` row; ``provenance``: the edge's, when already read."""
    record = _event_record(source, target, key, data, rule)
    edge_id = record["id"]
    what = f"edge {edge_id!r}"
    if provenance is None:
        provenance = _provenance_items(edge_id, data)
    sentence: str | None = None
    doc_ids: set[str] = set()
    rules: set[str] = set()
    for item in provenance:
        if sentence is None and item.get("sentence") is not None:
            sentence = str(item["sentence"])
        if item.get("doc_id") is not None:
            doc_ids.add(str(item["doc_id"]))
        if item.get("rule"):
            rules.add(str(item["rule"]))
    try:
        provenance_json = (
            _JSON_RAW_CONTROLS.sub(
                lambda m: f"\\u{ord(m[0]):04x}",
                json.dumps(
                    list(provenance),
                    ensure_ascii=False,
                    sort_keys=True,
                    separators=(",", ":"),
                    allow_nan=False,
                ),
            )
            if provenance
            else None
        )
    except (TypeError, ValueError) as exc:
        msg = f"{what} provenance cannot be written as JSON ({exc}); keep it to plain values."
        raise ExportError(msg) from exc
    record.update(
        speakers=_text_list(data.get("speakers")),
        sentence=sentence,
        doc_ids=sorted(doc_ids) or None,
        rules=sorted(rules) or None,
        provenance_json=provenance_json,
    )
    return record


def _edge_order(
    graph: nx.MultiDiGraph,
    *,
    by_type: bool = False,
    rule: RelTypeRule = "verb",
    unique: bool = False,
) -> list[tuple[str, Any, Any, Any]]:
    """``(edge id, source, target, key)`` sorted by (edge id, source id, target id), ties in
    graph order.

    ``by_type``: by relationship type (under ``rule``) first (the grouping of
    :func:`iter_cypher_batches`). ``unique``: two edges with one id are an
    :class:`ExportError` (each needs its own ``:Event`` node).
    An index of references, one small tuple an edge: no record is built, and the sorts are
    stable sorts on the id strings themselves (graph order breaks ties).
    """
    edges = [
        (str(data.get("id", key)), source, target, key)
        for source, target, key, data in graph.edges(keys=True, data=True)
    ]
    edges.sort(key=operator.itemgetter(0))
    repeated = next(((a, b) for a, b in itertools.pairwise(edges) if a[0] == b[0]), None)
    if repeated is not None:
        if unique:
            (edge_id, *first), (_, *second) = repeated
            msg = (
                f"edge id {edge_id!r} is used by two edges ({first[0]!r} -> {first[1]!r} and "
                f"{second[0]!r} -> {second[1]!r}); each :Event node needs its own id, and the "
                "graph contract (docs/ARCHITECTURE.md) keys every edge by a unique id."
            )
            raise ExportError(msg)
        edges.sort(key=lambda e: (e[0], str(e[1]), str(e[2])))
    if by_type:
        types: dict[tuple[str, str | None], str] = {}

        def rel_type(edge: tuple[str, Any, Any, Any]) -> str:
            _, source, target, key = edge
            data = graph.succ[source][target][key]
            words = (_text(data.get("relation")) or "", _text(data.get("plover")))
            found = types.get(words)
            if found is None:
                found = types[words] = choose_relationship_type(*words, rule)
            return found

        edges.sort(key=rel_type)  # stable: by id within a type
    return edges


def iter_relationship_records(
    graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb"
) -> Iterator[dict[str, Any]]:
    """Yield :func:`relationship_records` one at a time (sorted by edge id)."""
    _check_rule(rel_type)
    for _, source, target, key in _edge_order(graph):
        yield _relationship_record(source, target, key, graph.succ[source][target][key], rel_type)


def relationship_records(
    graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb"
) -> list[dict[str, Any]]:
    """Return one plain record per edge, sorted by edge id.

    Each record has ``src``, ``dst``, ``type`` (the relationship type, chosen by
    ``rel_type``: :func:`choose_relationship_type`) and the ``relationships.csv`` property
    names with typed Python values.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("GBR", "RUS", key="e-1", id="e-1", relation="accuse", weight=1,
    ...                dates=["2025-05-15", "May 2025"])
    >>> r = relationship_records(g)[0]
    >>> r["type"], r["dates"], r["first_date"]
    ('ACCUSE', ['2025-05-15'], '2025-05-15')
    """
    return list(iter_relationship_records(graph, rel_type=rel_type))


# --------------------------------------------------------------------------- provenance


def _documents(graph: nx.MultiDiGraph) -> Mapping[Any, Any]:
    documents = graph.graph.get("documents") or {}
    if not isinstance(documents, Mapping):
        msg = (
            f"graph attribute 'documents' is {type(documents).__name__}, not a dict of doc id "
            "to metadata; the graph contract (docs/ARCHITECTURE.md) requires a dict."
        )
        raise ExportError(msg)
    return documents


def _provenance_items(edge_id: str, data: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    provenance = data.get("provenance") or []
    what = f"edge {edge_id!r}"
    if not isinstance(provenance, Sequence) or isinstance(provenance, str):
        msg = f"{what} 'provenance' is {type(provenance).__name__}, not a list of dicts."
        raise ExportError(msg)
    for item in provenance:
        if not isinstance(item, Mapping):
            msg = f"{what} has a provenance item {item!r} that is not a dict."
            raise ExportError(msg)
    return provenance


def _article_ids(graph: nx.MultiDiGraph) -> list[str]:
    """Every document id: of ``G.graph["documents"]``, of provenance records, of actor docs."""
    ids = {str(doc) for doc in _documents(graph)}
    for _, data in graph.nodes(data=True):
        ids.update(_text_list(data.get("docs")) or ())
    # in edge id order, as every other walk over the provenance (a graph that keeps it on
    # disk, geokg.tables.StoredGraph, reads it in one pass so)
    for _, source, target, key in _edge_order(graph):
        data = graph.succ[source][target][key]
        for item in _provenance_items(str(data.get("id", key)), data):
            if item.get("doc_id") is not None:
                ids.add(str(item["doc_id"]))
    return sorted(ids)


def iter_article_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield :func:`article_records` one at a time (sorted by id)."""
    return _article_records(graph, _article_ids(graph))


def _article_records(graph: nx.MultiDiGraph, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The article records of ``ids`` (sorted document ids), metadata from the graph."""
    documents = _documents(graph)
    by_text = {str(doc): meta for doc, meta in documents.items()}
    for doc_id in ids:
        meta = by_text.get(doc_id) or {}
        if not isinstance(meta, Mapping):
            msg = (
                f"document {doc_id!r} has metadata {meta!r}, not a dict with title, "
                "published, source and url."
            )
            raise ExportError(msg)
        published = _text(meta.get("published"))
        dates = _iso_dates(published)
        yield {
            "id": doc_id,
            "title": _text(meta.get("title")),
            "date": dates[0] if dates else None,
            "published": published,
            "url": _text(meta.get("url")),
            "source": _text(meta.get("source")),
        }


def article_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return one plain record per document (the ``:Article`` nodes), sorted by id.

    The documents are every id of ``G.graph["documents"]``, of a provenance record and of an
    actor's ``docs``; their metadata comes from ``G.graph["documents"]`` (``None`` where it
    has none). ``date`` is ``published`` when that is an ISO date, else ``None``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(documents={"d1": {"title": "T", "published": "2025-05-15"}})
    >>> g.add_node("RUS", docs=["d2"])
    >>> [(r["id"], r["title"], r["date"]) for r in article_records(g)]
    [('d1', 'T', '2025-05-15'), ('d2', None, None)]
    """
    return list(iter_article_records(graph))


def iter_event_records(
    graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb"
) -> Iterator[dict[str, Any]]:
    """Yield :func:`event_records` one at a time (sorted by edge id)."""
    _check_rule(rel_type)
    for _, source, target, key in _edge_order(graph, unique=True):
        record = _event_record(source, target, key, graph.succ[source][target][key], rel_type)
        yield {"id": record["id"], **{c.name: record[c.name] for c in _EVENT_COLUMNS}}


def event_records(
    graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb"
) -> list[dict[str, Any]]:
    """Return one plain record per edge (the ``:Event`` nodes), sorted by edge id.

    Each record has the edge's ``id`` and the ``events.csv`` property names; ``type`` is the
    ``:TYPE`` the edge's actor relationship has under ``rel_type``.

    Raises:
        ExportError: When two edges share an id (an event node needs its own).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("GBR", "RUS", key="e-1", id="e-1", relation="close", plover="SANCTION")
    >>> [(r["id"], r["type"]) for r in event_records(g, rel_type="plover")]
    [('e-1', 'SANCTION')]
    """
    return list(iter_event_records(graph, rel_type=rel_type))


def _check_event_ids(graph: nx.MultiDiGraph) -> None:
    """Raise :class:`ExportError` when two edges share an id (one ``:Event`` per edge)."""
    _edge_order(graph, unique=True)


def iter_event_actor_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield :func:`event_actor_records` one at a time."""
    for _, source, target, key in _edge_order(graph):
        edge_id = str(graph.succ[source][target][key].get("id", key))
        ends = {"src": str(source), "dst": str(target)}
        for link, end in _EVENT_ACTOR_TYPES:
            yield {"src": edge_id, "dst": ends[end], "type": link}


def event_actor_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return the ``SUBJECT`` and ``OBJECT`` link of each event, in edge id order.

    Each record has ``src`` (the event id), ``dst`` (the actor id) and ``type``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("GBR", "RUS", key="e-1", id="e-1", relation="close")
    >>> [(r["type"], r["dst"]) for r in event_actor_records(g)]
    [('SUBJECT', 'GBR'), ('OBJECT', 'RUS')]
    """
    return list(iter_event_actor_records(graph))


def _span_end(item: Mapping[str, Any], index: int, what: str) -> int | None:
    span = item.get("span")
    if span is None:
        return None
    if isinstance(span, str) or not isinstance(span, Sequence) or len(span) != 2:
        msg = f"{what} 'span' is {span!r}, not [start, end]."
        raise ExportError(msg)
    return _integer(span[index], f"{what} 'span'")


def _report_record(edge_id: str, number: int, item: Mapping[str, Any]) -> dict[str, Any]:
    what = f"edge {edge_id!r} provenance record {number}"
    relation_id = item.get("relation_id")
    dates = _iso_dates(_text(item.get("date")))
    return {
        "src": str(item["doc_id"]),
        "dst": edge_id,
        "type": "REPORTS",
        # a record without its relation id (not a geokg graph) is numbered within its edge
        "relation_id": str(relation_id) if relation_id is not None else f"{edge_id}#{number}",
        "sentence": _text(item.get("sentence")),
        "char_start": _span_end(item, 0, what),
        "char_end": _span_end(item, 1, what),
        "date": dates[0] if dates else None,
        "date_source": _text(item.get("date_source")),
        "speaker": _text(item.get("speaker")),
        "confidence": _real(item.get("confidence"), f"{what} 'confidence'"),
        "extractor": _text(item.get("extractor")),
        "rule": _text(item.get("rule")),
        "model": _text(item.get("model")),
    }


def iter_report_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield :func:`report_records` one at a time."""
    for _, source, target, key in _edge_order(graph):
        data = graph.succ[source][target][key]
        edge_id = str(data.get("id", key))
        yield from _edge_reports(edge_id, _provenance_items(edge_id, data))


def _edge_reports(
    edge_id: str, provenance: Sequence[Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The report records of one edge's provenance (the records that name their document)."""
    for number, item in enumerate(provenance, start=1):
        if item.get("doc_id") is not None:
            yield _report_record(edge_id, number, item)


def report_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return one ``REPORTS`` record per provenance record that names its document.

    In edge id order, then in the edge's provenance order. Each record has ``src`` (the
    document id), ``dst`` (the edge id), ``type`` (``REPORTS``) and the ``reports.csv``
    property names: ``relation_id``, ``sentence``, ``char_start`` and ``char_end`` (the
    ``span``), ``date`` (ISO dates only), ``date_source``, ``speaker``, ``confidence``,
    ``extractor``, ``rule``, ``model``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> prov = [{"relation_id": "r-1", "doc_id": "d1", "sentence": "UK met Russia.",
    ...          "span": [0, 14], "date": "2025-05-15"}]
    >>> _ = g.add_edge("GBR", "RUS", key="e-1", id="e-1", relation="meet", provenance=prov)
    >>> r = report_records(g)[0]
    >>> r["src"], r["dst"], r["relation_id"], r["char_end"], r["date"]
    ('d1', 'e-1', 'r-1', 14, '2025-05-15')
    """
    return list(iter_report_records(graph))


# --------------------------------------------------------------------------- CSV


def choose_array_delimiter(graph: nx.MultiDiGraph) -> str:
    """Return the first of :data:`ARRAY_DELIMITERS` that no array item of the graph contains.

    Items are looked at as written (control characters escaped), so the last candidate, U+001F,
    is always free.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", aliases=["x; y"])
    >>> choose_array_delimiter(g)
    '|'
    """
    unused = list(ARRAY_DELIMITERS)
    # One pass (the records are validated, as the writers will need them); nothing is kept
    # but the candidates not seen yet.
    for record in iter_node_records(graph):
        _drop_used(unused, record, _NODE_COLUMNS)
    for _, source, target, key in _edge_order(graph):  # edge id order: see _article_ids
        data = graph.succ[source][target][key]
        _drop_used(unused, _relationship_record(source, target, key, data), _REL_COLUMNS)
    return unused[0]


def _drop_used(unused: list[str], record: Mapping[str, Any], columns: Sequence[_Column]) -> None:
    """Remove from ``unused`` the delimiters that an array item of ``record`` contains."""
    for column in columns:
        if column.array:
            for item in record[column.name] or ():
                written = escape_controls(item)
                unused[:] = [d for d in unused if d not in written]


def _quoted(text: str) -> str:
    """A quoted CSV field of ``text``, control characters escaped."""
    return _quoted_list([text], "")


def _quoted_list(items: Iterable[str], delimiter: str) -> str:
    """A quoted CSV field of ``items`` (each escaped) joined by ``delimiter`` (kept raw)."""
    return '"' + delimiter.join(escape_controls(i) for i in items).replace('"', '""') + '"'


def _field(value: object, column: _Column, delimiter: str) -> str:
    if value is None:
        return ""
    if column.array:
        return _quoted_list((str(item) for item in value), delimiter)  # type: ignore[attr-defined]
    if column.kind == "boolean":
        return "true" if value else "false"
    if column.kind == "long":
        return str(value)
    if column.kind == "double":
        return repr(value)
    return _quoted(str(value))


def _csv_line(fields: Sequence[str]) -> str:
    return ",".join(fields) + "\n"


def iter_nodes_csv(graph: nx.MultiDiGraph, *, array_delimiter: str | None = None) -> Iterator[str]:
    """Yield the lines of ``nodes.csv`` (header first), one node at a time."""
    delimiter = array_delimiter or choose_array_delimiter(graph)
    yield _csv_line(NODE_HEADER)
    for record in iter_node_records(graph):
        yield _node_csv_line(record, delimiter)


def _node_csv_line(record: Mapping[str, Any], delimiter: str) -> str:
    """The ``nodes.csv`` line of a :func:`node_records` record."""
    fields = [_quoted(record["id"])]
    fields += [_field(record[c.name], c, delimiter) for c in _NODE_COLUMNS]
    fields.append(_quoted_list(record["labels"], delimiter))
    return _csv_line(fields)


def _relationship_line(record: Mapping[str, Any], delimiter: str) -> str:
    """The ``relationships.csv`` line of a :func:`_relationship_record`."""
    fields = [_quoted(record["src"]), _quoted(record["dst"]), _quoted(record["type"])]
    fields += [_field(record[c.name], c, delimiter) for c in _REL_COLUMNS]
    return _csv_line(fields)


def render_nodes_csv(graph: nx.MultiDiGraph, *, array_delimiter: str | None = None) -> str:
    """Return ``nodes.csv`` text (header line first, ``\\n`` line ends).

    Args:
        graph: A geokg graph.
        array_delimiter: Delimiter of array values and labels; default
            :func:`choose_array_delimiter`.
    """
    return "".join(iter_nodes_csv(graph, array_delimiter=array_delimiter))


def iter_relationships_csv(
    graph: nx.MultiDiGraph,
    *,
    array_delimiter: str | None = None,
    rel_type: RelTypeRule = "verb",
) -> Iterator[str]:
    """Yield the lines of ``relationships.csv`` (header first), one edge at a time."""
    delimiter = array_delimiter or choose_array_delimiter(graph)
    yield _csv_line(RELATIONSHIP_HEADER)
    for record in iter_relationship_records(graph, rel_type=rel_type):
        yield _relationship_line(record, delimiter)


def render_relationships_csv(
    graph: nx.MultiDiGraph,
    *,
    array_delimiter: str | None = None,
    rel_type: RelTypeRule = "verb",
) -> str:
    """Return ``relationships.csv`` text (header line first, ``\\n`` line ends).

    Args:
        graph: A geokg graph.
        array_delimiter: Delimiter of array values; default :func:`choose_array_delimiter`.
        rel_type: How the ``:TYPE`` is chosen (:func:`choose_relationship_type`).
    """
    return "".join(
        iter_relationships_csv(graph, array_delimiter=array_delimiter, rel_type=rel_type)
    )


def _node_lines(
    header: Sequence[str],
    columns: Sequence[_Column],
    records: Iterable[Mapping[str, Any]],
    label: str,
) -> Iterator[str]:
    """Lines of a node file with one label and no array column (its delimiter never shows)."""
    yield _csv_line(header)
    for record in records:
        yield _node_line(record, columns, label)


def _node_line(record: Mapping[str, Any], columns: Sequence[_Column], label: str) -> str:
    fields = [_quoted(record["id"])]
    fields += [_field(record[c.name], c, "") for c in columns]
    fields.append(_quoted(label))
    return _csv_line(fields)


def _relationship_lines(
    header: Sequence[str], columns: Sequence[_Column], records: Iterable[Mapping[str, Any]]
) -> Iterator[str]:
    """Lines of a relationship file with no array column."""
    yield _csv_line(header)
    for record in records:
        yield _link_line(record, columns)


def _link_line(record: Mapping[str, Any], columns: Sequence[_Column]) -> str:
    fields = [_quoted(record["src"]), _quoted(record["dst"]), _quoted(record["type"])]
    fields += [_field(record[c.name], c, "") for c in columns]
    return _csv_line(fields)


def iter_articles_csv(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the lines of ``articles.csv`` (header first), one document at a time."""
    return _node_lines(ARTICLE_HEADER, _ARTICLE_COLUMNS, iter_article_records(graph), "Article")


def render_articles_csv(graph: nx.MultiDiGraph) -> str:
    """Return ``articles.csv`` text: one ``:Article`` node per document (no array columns)."""
    return "".join(iter_articles_csv(graph))


def iter_events_csv(graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb") -> Iterator[str]:
    """Yield the lines of ``events.csv`` (header first), one edge at a time."""
    records = iter_event_records(graph, rel_type=rel_type)
    return _node_lines(EVENT_HEADER, _EVENT_COLUMNS, records, "Event")


def render_events_csv(graph: nx.MultiDiGraph, *, rel_type: RelTypeRule = "verb") -> str:
    """Return ``events.csv`` text: one ``:Event`` node per edge, with the edge's id."""
    return "".join(iter_events_csv(graph, rel_type=rel_type))


def iter_event_actors_csv(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the lines of ``event_actors.csv`` (header first), two per edge."""
    return _relationship_lines(EVENT_ACTOR_HEADER, (), iter_event_actor_records(graph))


def render_event_actors_csv(graph: nx.MultiDiGraph) -> str:
    """Return ``event_actors.csv`` text: each event's ``SUBJECT`` and ``OBJECT`` actor."""
    return "".join(iter_event_actors_csv(graph))


def iter_reports_csv(graph: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the lines of ``reports.csv`` (header first), one provenance record at a time."""
    return _relationship_lines(REPORT_HEADER, _REPORT_COLUMNS, iter_report_records(graph))


def render_reports_csv(graph: nx.MultiDiGraph) -> str:
    """Return ``reports.csv`` text: one ``(:Article)-[:REPORTS]->(:Event)`` per record."""
    return "".join(iter_reports_csv(graph))


def _shell_delimiter(delimiter: str) -> str:
    if delimiter.isprintable() and delimiter not in "'\\":
        return f'"{delimiter}"'
    return f"U+{ord(delimiter):04X}"


#: The node files and the relationship files, in the order neo4j-admin is given them.
_NODE_FILES = ("nodes.csv", "articles.csv", "events.csv")
_RELATIONSHIP_FILES = ("relationships.csv", "event_actors.csv", "reports.csv")


def neo4j_admin_command(
    *, database: str = "neo4j", import_dir: str = "import", array_delimiter: str = ";"
) -> str:
    """Return the ``neo4j-admin`` command that loads the six CSV files.

    Run it from the Neo4j home folder with the database stopped, after copying the CSV files
    into ``import_dir``. Neo4j 5 syntax.

    >>> print(neo4j_admin_command())  # doctest: +NORMALIZE_WHITESPACE
    bin/neo4j-admin database import full neo4j --nodes=import/nodes.csv
    --nodes=import/articles.csv --nodes=import/events.csv
    --relationships=import/relationships.csv --relationships=import/event_actors.csv
    --relationships=import/reports.csv --delimiter="," --array-delimiter=";"
    --quote='"' --multiline-fields=true
    """
    return (
        f"bin/neo4j-admin database import full {database}"
        + "".join(f" --nodes={import_dir}/{name}" for name in _NODE_FILES)
        + "".join(f" --relationships={import_dir}/{name}" for name in _RELATIONSHIP_FILES)
        + ' --delimiter=","'
        f" --array-delimiter={_shell_delimiter(array_delimiter)}"
        " --quote='\"' --multiline-fields=true"
    )


def cypher_shell_command(*, database: str = "neo4j", script: str = "import.cypher") -> str:
    """Return the ``cypher-shell`` command that runs ``import.cypher`` on a running database.

    >>> cypher_shell_command()
    'bin/cypher-shell -u neo4j -p <password> -d neo4j --file import.cypher'
    """
    return f"bin/cypher-shell -u neo4j -p <password> -d {database} --file {script}"


_TYPE_RULE_TEXT: Mapping[str, str] = {
    "verb": (
        "Actor relationship types are the relation lemma in upper snake case (ACCUSE,\n"
        "  STEP_UP; RELATED_TO when no ASCII letter is left); the PLOVER type is in `plover`."
    ),
    "plover": (
        "Actor relationship types are PLOVER types (ACCUSE, SANCTION, CONSULT; RELATED_TO\n"
        "  for an edge without one, built with --neo4j-rel-type plover); the verb is in\n"
        "  `relation`."
    ),
}


def neo4j_readme(*, array_delimiter: str = ";", rel_type: RelTypeRule = "verb") -> str:
    """Return the text of ``neo4j/README.txt`` (commands and what the files hold)."""
    _check_rule(rel_type)
    shown = array_delimiter if array_delimiter.isprintable() else _shell_delimiter(array_delimiter)
    files = " ".join(_NODE_FILES + _RELATIONSHIP_FILES)
    return f"""geokg graph for Neo4j 5
=======================

nodes.csv          (:Actor) nodes
relationships.csv  (:Actor)-[:ACCUSE|...]->(:Actor), one per graph edge, `id` = the edge id
articles.csv       (:Article) nodes: id, title, date, published, url, source
events.csv         (:Event) nodes, one per graph edge with the same `id` (the edge reified)
event_actors.csv   (:Event)-[:SUBJECT]->(:Actor) and (:Event)-[:OBJECT]->(:Actor)
reports.csv        (:Article)-[:REPORTS]->(:Event), one per source sentence (relation_id,
                   sentence, char_start, char_end, date, speaker, confidence, rule, ...)
import.cypher      the same data as parameterised Cypher for cypher-shell

Either load the CSV files into a new, empty database (offline, fast):

    cp {files} $NEO4J_HOME/import/
    cd $NEO4J_HOME
    {neo4j_admin_command(array_delimiter=array_delimiter)}

or run the Cypher script against a running database (online; MERGE, so re-running is safe):

    {cypher_shell_command()}

Which articles report that one actor accused another, and what one article says
(more in docs/OUTPUTS.md):

    MATCH (s:Actor {{label: 'Poland'}})<-[:SUBJECT]-(e:Event)-[:OBJECT]->(o:Actor),
          (a:Article)-[m:REPORTS]->(e)
    WHERE e.relation = 'accuse'
    RETURN o.label, a.title, a.date, a.url, m.sentence

    MATCH (a:Article {{id: 'DOC-ID'}})-[m:REPORTS]->(e:Event),
          (s:Actor)<-[:SUBJECT]-(e)-[:OBJECT]->(o:Actor)
    RETURN s.label, e.relation, o.label, e.negated, m.sentence ORDER BY m.char_start

An actor relationship and its event share the id: WHERE e.id = r.id.

Notes
- Array values and the :LABEL column are separated by "{shown}"; the command above passes it.
- Strings are quoted and may span lines (--multiline-fields=true); backslashes are literal.
- An empty field means "no property"; "" is the empty string. Values are exact: the spreadsheet
  safeguards of edges_table.csv are not applied here.
- Integers are long and reals double, as in Cypher, so both routes store the same values.
- {_TYPE_RULE_TEXT[rel_type]}
  Types say nothing of negation or modality: filter on `negated` and `modality`.
- `provenance_json` on an actor relationship holds every source sentence as JSON text; the
  same records are the REPORTS relationships.
"""


# --------------------------------------------------------------------------- Cypher

_STRING_ESCAPES: Mapping[str, str] = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _escape_char(char: str) -> str:
    escaped = _STRING_ESCAPES.get(char)
    if escaped is not None:
        return escaped
    if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
        code = ord(char)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return char


#: The characters :func:`_escape_char` may change: printable ASCII but quotes and backslash
#: is always kept, so only the others are looked at.
_MAY_ESCAPE = re.compile(r"""[^\x20-\x7e]|[\\'"]""")


def _escape_match(match: re.Match[str]) -> str:
    return _escape_char(match[0])


@functools.lru_cache(maxsize=1024)  # a row's keys are the same few column names
def _name(name: str) -> str:
    if _NAME.fullmatch(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def cypher_literal(value: object) -> str:
    """Return ``value`` as a Cypher literal (string, number, boolean, null, list or map).

    Strings are single-quoted; backslash, both quotes, newline, carriage return, tab,
    backspace and form feed get their backslash escapes, and every other control, format
    (zero-width, bidi), separator or unassigned character is written ``\\uXXXX`` (or
    ``\\UXXXXXXXX``), so the script shows no invisible or reordering characters. These are the
    escapes of Neo4j's string literal grammar and mean the same in Python. Map keys that are
    not plain names are backquoted; map keys are sorted.

    Raises:
        ExportError: For NaN, infinity, or a value that is not one of the types above.

    >>> cypher_literal({"b": [1, 2.5, None], "a": True})
    '{a: true, b: [1, 2.5, null]}'
    >>> print(cypher_literal('say "hi"\\n'))
    'say \\"hi\\"\\n'
    """
    if type(value) is str:  # the common case first; subclasses take the isinstance path
        if _MAY_ESCAPE.search(value) is None:
            return "'" + value + "'"
        return "'" + _MAY_ESCAPE.sub(_escape_match, value) + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{value!r} has no Cypher literal; replace NaN and infinity with None."
            raise ExportError(msg)
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return "'" + _MAY_ESCAPE.sub(_escape_match, value) + "'"
    if isinstance(value, Mapping):
        parts = []
        for key in sorted(value, key=str):
            if not isinstance(key, str):
                msg = f"map key {key!r} is not a string; Cypher map keys are names."
                raise ExportError(msg)
            parts.append(f"{_name(key)}: {cypher_literal(value[key])}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    msg = f"{type(value).__name__} value {value!r} has no Cypher literal; convert it first."
    raise ExportError(msg)


def constraint_statements() -> list[str]:
    """Return the schema statements of ``import.cypher`` (Neo4j 5 syntax)."""
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (a:{label}) REQUIRE a.id IS UNIQUE"
        for label in ("Actor", "Article", "Event")
    ]


_KUZU_TYPES: Mapping[str, str] = {
    "string": "STRING",
    "long": "INT64",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


def _set_clause(var: str, columns: Sequence[_Column], dialect: CypherDialect) -> str:
    parts = []
    for column in columns:
        source = f"row.{column.name}"
        if dialect == "kuzu":
            # Kùzu types parameters per batch (an all-null column would be STRING), so every
            # value is cast to its column type; CAST also turns ISO strings into dates.
            kind = _KUZU_TYPES[column.kind] + ("[]" if column.array else "")
            expr = f"CAST({source} AS {kind})"
        elif column.kind == "date":
            expr = f"[d IN {source} | date(d)]" if column.array else f"date({source})"
        else:
            expr = source
        parts.append(f"{var}.{column.name} = {expr}")
    return "SET " + ", ".join(parts)


def _node_query(labels: Sequence[str], dialect: CypherDialect) -> str:
    lines = [
        "UNWIND $rows AS row",
        "MERGE (a:Actor {id: row.id})",
        _set_clause("a", _NODE_COLUMNS, dialect),
    ]
    extra = [label for label in labels if label != "Actor"]
    if extra and dialect == "neo4j":
        # Kùzu has one table per label and no multi-label nodes; it skips this line.
        lines.append("SET " + ", ".join(f"a:{_name(label)}" for label in extra))
    return "\n".join(lines)


def _relationship_query(rel_type: str, dialect: CypherDialect) -> str:
    return "\n".join(
        [
            "UNWIND $rows AS row",
            "MATCH (s:Actor {id: row.src})",
            "MATCH (t:Actor {id: row.dst})",
            f"MERGE (s)-[r:`{rel_type}` {{id: row.id}}]->(t)",
            _set_clause("r", tuple(c for c in _REL_COLUMNS if c.name != "id"), dialect),
        ]
    )


def _labelled_node_query(label: str, columns: Sequence[_Column], dialect: CypherDialect) -> str:
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MERGE (a:{label} {{id: row.id}})",
            _set_clause("a", columns, dialect),
        ]
    )


def _event_actor_query(link: str) -> str:
    return "\n".join(
        [
            "UNWIND $rows AS row",
            "MATCH (e:Event {id: row.src})",
            "MATCH (t:Actor {id: row.dst})",
            f"MERGE (e)-[:{link}]->(t)",
        ]
    )


def _report_query(dialect: CypherDialect) -> str:
    return "\n".join(
        [
            "UNWIND $rows AS row",
            "MATCH (d:Article {id: row.src})",
            "MATCH (e:Event {id: row.dst})",
            "MERGE (d)-[r:REPORTS {relation_id: row.relation_id}]->(e)",
            _set_clause("r", tuple(c for c in _REPORT_COLUMNS if c.name != "relation_id"), dialect),
        ]
    )


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        msg = f"batch_size is {batch_size}; use a positive number of rows per batch (e.g. 500)."
        raise ExportError(msg)


def iter_cypher_batches(
    graph: nx.MultiDiGraph,
    batch_size: int = 500,
    *,
    dialect: CypherDialect = "neo4j",
    rel_type: RelTypeRule = "verb",
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(query, parameters)`` pairs that load the graph with ``UNWIND … MERGE``.

    Actors come first, one group per label set, then the articles and the events, then the
    actor relationships, one group per type (chosen by ``rel_type``), then each event's
    ``SUBJECT`` and ``OBJECT`` links and the ``REPORTS`` relationships; each group is cut into
    batches of ``batch_size`` rows. Parameters are ``{"rows": [...]}`` of plain values (dates
    as ISO strings, converted with ``date()`` in the query). Only one batch of rows exists at
    a time.

    ``dialect="kuzu"`` gives the same statements for the embedded Kùzu engine, which differ
    in exactly two ways: no ``SET a:Label`` line (Kùzu has one table per label, no extra
    labels), and each assigned value is ``CAST(row.x AS <Kùzu type>)`` instead of ``row.x``,
    ``date(row.x)`` or ``[d IN row.x | date(d)]`` (Kùzu infers parameter types per batch and
    has no list comprehension). Kùzu also needs ``CREATE NODE TABLE``/``CREATE REL TABLE``
    instead of the constraints.

    Args:
        graph: A geokg graph.
        batch_size: Rows per batch (at least 1).
        dialect: ``"neo4j"`` or ``"kuzu"``.
        rel_type: ``"verb"`` or ``"plover"`` (:func:`choose_relationship_type`).

    Raises:
        ExportError: When ``batch_size`` is below 1 or ``rel_type`` is unknown.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RUS", label="Russia", type="country")
    >>> query, params = next(iter_cypher_batches(g))
    >>> print(query.splitlines()[1]); params["rows"][0]["label"]
    MERGE (a:Actor {id: row.id})
    'Russia'
    """
    _check_batch_size(batch_size)
    _check_rule(rel_type)
    _check_event_ids(graph)
    yield from _node_batches(graph, batch_size, dialect)
    query = _labelled_node_query("Article", _ARTICLE_COLUMNS, dialect)
    for chunk in _chunks(iter_article_records(graph), batch_size):
        yield query, {"rows": chunk}
    query = _labelled_node_query("Event", _EVENT_COLUMNS, dialect)
    for chunk in _chunks(iter_event_records(graph, rel_type=rel_type), batch_size):
        yield query, {"rows": chunk}
    edges = _edge_order(graph, by_type=True, rule=rel_type)

    def record(edge: tuple[str, Any, Any, Any]) -> dict[str, Any]:
        _, source, target, key = edge
        data = graph.succ[source][target][key]
        return _relationship_record(source, target, key, data, rel_type)

    records = map(record, edges)
    for type_name, group in itertools.groupby(records, key=lambda r: str(r["type"])):
        query = _relationship_query(type_name, dialect)
        rows = ({k: v for k, v in r.items() if k != "type"} for r in group)
        for chunk in _chunks(rows, batch_size):
            yield query, {"rows": chunk}
    del edges
    for link, _ in _EVENT_ACTOR_TYPES:
        query = _event_actor_query(link)
        links = (
            {"src": r["src"], "dst": r["dst"]}
            for r in iter_event_actor_records(graph)
            if r["type"] == link
        )
        for chunk in _chunks(links, batch_size):
            yield query, {"rows": chunk}
    query = _report_query(dialect)
    reports = ({k: v for k, v in r.items() if k != "type"} for r in iter_report_records(graph))
    for chunk in _chunks(reports, batch_size):
        yield query, {"rows": chunk}


def _node_batches(
    graph: nx.MultiDiGraph, batch_size: int, dialect: CypherDialect
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The actors' batches of :func:`iter_cypher_batches`."""
    # Sorted by (label set, id): the label groups in order, each in node_records order.
    nodes = sorted(graph.nodes, key=lambda n: (_labels(graph.nodes[n]), str(n)))
    for labels, group in itertools.groupby(nodes, key=lambda n: _labels(graph.nodes[n])):
        query = _node_query(labels, dialect)
        rows = (
            {k: v for k, v in _node_record(n, graph.nodes[n]).items() if k != "labels"}
            for n in group
        )
        for chunk in _chunks(rows, batch_size):
            yield query, {"rows": chunk}


def _script_head() -> str:
    """``import.cypher`` up to its first batch: how to run it, then the constraints."""
    return "\n".join(
        [
            "// geokg graph for Neo4j 5. Generated file; run it with:",
            f"//   {cypher_shell_command()}",
            "// Values travel only as parameters (:param), never inside the query text.",
            "",
            *(f"{statement};" for statement in constraint_statements()),
        ]
    )


def _batch_text(query: str, rows: Sequence[Mapping[str, Any]]) -> str:
    return f"\n\n:param rows => {cypher_literal(list(rows))}\n{query};"


def iter_import_cypher(
    graph: nx.MultiDiGraph, batch_size: int = 500, *, rel_type: RelTypeRule = "verb"
) -> Iterator[str]:
    """Yield the text of ``import.cypher`` in pieces, one batch at a time."""
    yield _script_head()
    for query, params in iter_cypher_batches(graph, batch_size, rel_type=rel_type):
        yield _batch_text(query, params["rows"])
    yield "\n"


def render_import_cypher(
    graph: nx.MultiDiGraph, batch_size: int = 500, *, rel_type: RelTypeRule = "verb"
) -> str:
    """Return ``import.cypher``: constraints, then ``:param rows => …`` and ``UNWIND`` batches.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RUS", label="Russia", type="country")
    >>> text = render_import_cypher(g)
    >>> ":param rows => [{aliases: null, country: null, docs: null, id: 'RUS'," in text
    True
    """
    return "".join(iter_import_cypher(graph, batch_size, rel_type=rel_type))


# --------------------------------------------------------------------------- header check

_PROPERTY_TYPES = frozenset(
    {
        "int",
        "long",
        "float",
        "double",
        "boolean",
        "byte",
        "short",
        "char",
        "string",
        "point",
        "date",
        "localtime",
        "time",
        "localdatetime",
        "datetime",
        "duration",
    }
)
_FIELD = re.compile(
    r"(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?P<array>\[\])?"
    r"(?:\((?P<group>[^()]*)\))?(?P<options>\{[^{}]*\})?)?"
)
_NODE_ONLY = {"ID", "LABEL"}
_REL_ONLY = {"START_ID", "END_ID", "TYPE"}


def check_neo4j_admin_header(
    header: Sequence[str], kind: Literal["nodes", "relationships"]
) -> list[str]:
    """Return the problems of a neo4j-admin CSV header; an empty list means it is valid.

    Checks the grammar ``name:type`` (``int``, ``long``, ``float``, ``double``, ``boolean``,
    ``byte``, ``short``, ``char``, ``string``, ``point``, ``date``, ``localtime``, ``time``,
    ``localdatetime``, ``datetime``, ``duration``, each optionally ``[]``), ``:IGNORE``,
    exactly one ``:ID`` (optionally ``:ID(Group)``) and at most one ``:LABEL`` for nodes,
    exactly one ``:START_ID``, ``:END_ID`` and ``:TYPE`` for relationships, and no duplicate
    property names.

    >>> check_neo4j_admin_header(list(NODE_HEADER), "nodes")
    []
    >>> check_neo4j_admin_header(["name", "name:int"], "nodes")
    ['column 2 "name:int": duplicate property name "name"', 'no :ID column']
    """
    problems: list[str] = []
    if not header:
        return ["empty header"]
    counts: dict[str, int] = {}
    names: set[str] = set()
    for index, field in enumerate(header, start=1):
        where = f'column {index} "{field}"'
        match = _FIELD.fullmatch(field)
        if match is None:
            problems.append(f"{where}: not of the form name:type")
            continue
        name, type_, array, group = match["name"], match["type"], match["array"], match["group"]
        if type_ is None:
            if not name:
                problems.append(f"{where}: empty column name")
            type_ = "string"
        upper = type_.upper()
        if upper in _NODE_ONLY | _REL_ONLY | {"IGNORE"}:
            if array:
                problems.append(f"{where}: :{upper} cannot be an array")
            if group is not None and upper not in {"ID", "START_ID", "END_ID"}:
                problems.append(f"{where}: only :ID, :START_ID and :END_ID take a (group)")
            if group is not None and not group:
                problems.append(f"{where}: empty id group ()")
            if upper in _NODE_ONLY and kind != "nodes":
                problems.append(f"{where}: :{upper} belongs in a nodes file")
            if upper in _REL_ONLY and kind != "relationships":
                problems.append(f"{where}: :{upper} belongs in a relationships file")
            if upper in {"LABEL", "TYPE", "START_ID", "END_ID"} and name:
                problems.append(f"{where}: :{upper} takes no property name")
            counts[upper] = counts.get(upper, 0) + 1
            if upper != "ID" or not name:
                continue
        elif type_.lower() not in _PROPERTY_TYPES:
            problems.append(f"{where}: unknown type {type_!r}")
        elif group is not None:
            problems.append(f"{where}: only :ID, :START_ID and :END_ID take a (group)")
        if name in names:
            problems.append(f'{where}: duplicate property name "{name}"')
        names.add(name)
    required = {"ID": 1} if kind == "nodes" else {"START_ID": 1, "END_ID": 1, "TYPE": 1}
    for keyword, wanted in required.items():
        found = counts.get(keyword, 0)
        if found == 0:
            problems.append(f"no :{keyword} column")
        elif found > wanted:
            problems.append(f"{found} :{keyword} columns; exactly {wanted} allowed")
    if counts.get("LABEL", 0) > 1:
        problems.append(f"{counts['LABEL']} :LABEL columns; at most 1 allowed")
    return problems


# --------------------------------------------------------------------------- writer


def write_neo4j(
    graph: nx.MultiDiGraph,
    out_dir: str | os.PathLike[str],
    *,
    batch_size: int = 500,
    rel_type: RelTypeRule = "verb",
) -> list[Path]:
    """Write ``out_dir/neo4j/``: the six CSV files, import.cypher and README.txt.

    Each file is streamed: a node, an edge, a provenance record or a batch of
    ``import.cypher`` at a time. The files are written as two parts joined
    (:func:`neo4j_part`, :func:`join_neo4j_parts`): the edges' first, as their walk also
    gives the documents' ids, then the actors' and the articles'.

    Args:
        graph: A geokg graph.
        out_dir: The build output folder; ``neo4j/`` is created inside it.
        batch_size: Rows per ``:param`` batch of ``import.cypher``.
        rel_type: ``"verb"`` (the default: the relation lemma is the relationship type) or
            ``"plover"`` (the PLOVER type is; :func:`choose_relationship_type`).

    Returns:
        The paths written: nodes.csv, relationships.csv, articles.csv, events.csv,
        event_actors.csv, reports.csv, import.cypher, README.txt.

    Raises:
        ExportError: A value the contract does not allow, two edges with one id, a
            ``batch_size`` below 1 or an unknown ``rel_type``; nothing is written then.
    """
    _check_batch_size(batch_size)
    _check_rule(rel_type)
    folder = Path(out_dir) / "neo4j"
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".parts-", dir=folder))
    try:
        edges, head = work / "edges", work / "head"
        doc_ids: set[str] = set()
        # Both parts hold every row of their groups, so they cut them into batches as they
        # write them, and the join only puts the groups in order.
        size = batch_size
        used = _write_part(graph, edges, 1, 2, None, ARRAY_DELIMITERS[0], rel_type, doc_ids, size)
        _write_part(graph, head, 0, 2, None, ARRAY_DELIMITERS[0], rel_type, doc_ids, size)
        delimiter = neo4j_parts_delimiter([head, edges])
        if delimiter != used.delimiter:  # rare: an item holds ';'
            shutil.rmtree(edges)
            shutil.rmtree(head)
            _write_part(graph, edges, 1, 2, None, delimiter, rel_type, doc_ids, size)
            _write_part(graph, head, 0, 2, None, delimiter, rel_type, doc_ids, size)
        return join_neo4j_parts([head, edges], out_dir, batch_size=batch_size, move=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- parts

#: What each part of the files writes beside them (:func:`neo4j_part`).
_PART_FILE = "part.json"

#: The CSV files of the edges (each part writes its lines without the header), in the order
#: :func:`write_neo4j` returns them, with their headers.
_EDGE_FILES: tuple[tuple[str, Sequence[str]], ...] = (
    ("relationships.csv", RELATIONSHIP_HEADER),
    ("events.csv", EVENT_HEADER),
    ("event_actors.csv", EVENT_ACTOR_HEADER),
    ("reports.csv", REPORT_HEADER),
)

#: The files :func:`write_neo4j` writes, in the order it returns them.
_NEO4J_FILES = (
    "nodes.csv",
    "relationships.csv",
    "articles.csv",
    "events.csv",
    "event_actors.csv",
    "reports.csv",
    "import.cypher",
    "README.txt",
)

#: The ranks of ``import.cypher``'s groups of batches, in the script's order: the actors' (one
#: group a label set), the articles', the events', the relationships' (one group a type, in
#: the types' order), the ``SUBJECT`` and ``OBJECT`` links, the reports.
_NODES, _ARTICLES, _EVENTS, _TYPES, _LINKS, _REPORTS = range(6)


def neo4j_part(
    graph: nx.MultiDiGraph,
    part: int,
    parts: int,
    folder: str | os.PathLike[str],
    *,
    array_delimiter: str = ARRAY_DELIMITERS[0],
    rel_type: RelTypeRule = "verb",
) -> None:
    """Write part ``part`` of ``parts`` of :func:`write_neo4j`'s files into ``folder``, to be
    joined with the others by :func:`join_neo4j_parts`.

    Part 0: ``nodes.csv``, ``articles.csv`` and the actors' and articles' rows of
    ``import.cypher``; it reads every edge's provenance for the documents' ids, as
    ``articles.csv`` has one row a document. Part ``i`` (1 to ``parts - 1``): the edges whose
    id lies in the ``i``-th of ``parts - 1`` ranges (:func:`geokg.model.key_ranges`): their
    lines of ``relationships.csv``, ``events.csv``, ``event_actors.csv`` and ``reports.csv``,
    and their rows of ``import.cypher``'s groups. Only part 0 needs the whole graph; an edge
    part needs its range's edges alone, and their provenance. No part needs the others.

    ``array_delimiter`` is the delimiter of the arrays of ``nodes.csv`` and
    ``relationships.csv``. Each part also records which delimiters its items hold: where the
    one given does not fit every part (:func:`neo4j_parts_delimiter`), the parts are to be
    written again with the one that does.

    Raises:
        ValueError: ``parts`` under 2, or ``part`` not in ``range(parts)``.
        ExportError: As :func:`write_neo4j`, for what the part reads.
    """
    if parts < 2 or not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}: need parts >= 2 and 0 <= part < parts")
    if array_delimiter not in ARRAY_DELIMITERS:
        raise ValueError(f"array_delimiter {array_delimiter!r} is not one of {ARRAY_DELIMITERS}")
    _check_rule(rel_type)
    span = None if part == 0 else key_ranges(parts - 1)[part - 1]
    _write_part(graph, Path(folder), part, parts, span, array_delimiter, rel_type, None, None)


@dataclass(frozen=True, slots=True)
class _PartInfo:
    """What :func:`_write_part` records of a part in :data:`_PART_FILE`."""

    parts: int  #: the parts the files were cut into
    delimiter: str  #: the array delimiter it wrote with
    rel_type: str
    unused: list[str]  #: the delimiters none of its array items holds
    groups: list[tuple[int, str, str, str]]  #: (rank, name, query, rows' file) of its groups
    framed: int | None  #: the batch size its rows are cut into; ``None``: a row a line

    @classmethod
    def read(cls, folder: Path) -> _PartInfo:
        data = json.loads((folder / _PART_FILE).read_text(encoding="utf-8"))
        groups = [(int(r), str(n), str(q), str(f)) for r, n, q, f in data["groups"]]
        fields = (data["parts"], data["delimiter"], data["rel_type"], list(data["unused"]))
        framed = data.get("framed")
        return cls(*fields, groups, None if framed is None else int(framed))


class _Rows:
    """The rows of one group of ``import.cypher`` (one query), in a file of its own: a Cypher
    literal a line, which :func:`join_neo4j_parts` cuts into batches, or, where the part holds
    every row of its groups and the batch size is known (``framed``), already cut into the
    script's batches (:func:`_batch_text` of each run of ``framed`` rows), which the join only
    copies."""

    def __init__(
        self, files: _Files, folder: Path, rank: int, name: str, query: str, framed: int | None
    ) -> None:
        self.files, self.rank, self.name, self.query = files, rank, name, query
        self.framed = framed
        self.path = folder / f"rows-{len(files.made):04d}"
        self.rows = 0
        files.made.append(self)

    def add(self, row: Mapping[str, Any]) -> None:
        fh = self.files(self.path)
        if self.framed is None:
            fh.write(cypher_literal(row))
            fh.write("\n")
            self.rows += 1
            return
        fh.write("\n\n:param rows => [" if self.rows % self.framed == 0 else ", ")
        fh.write(cypher_literal(row))
        self.rows += 1
        if self.rows % self.framed == 0:
            fh.write(f"]\n{self.query};")

    def finish(self) -> None:
        """Close the last batch, where the rows are cut into batches."""
        if self.framed is not None and self.rows % self.framed:
            self.files(self.path).write(f"]\n{self.query};")


def _write_part(
    graph: nx.MultiDiGraph,
    folder: Path,
    part: int,
    parts: int,
    span: tuple[str, str | None] | None,
    delimiter: str,
    rel_type: RelTypeRule,
    doc_ids: set[str] | None,
    framed: int | None,
) -> _PartInfo:
    """Write a part of the files into ``folder`` (created) and :data:`_PART_FILE`: part 0,
    the actors and the articles; any other, the edges with an id in ``span`` (``None``:
    all), its files with their header where it is the only edge part (``parts`` 2).
    ``doc_ids``: the documents' ids of the edges' reports, where already known (part 0
    reads them from the provenance otherwise); an edge part adds its own to it. ``framed``:
    the batch size of ``import.cypher``, to cut the rows into batches as they are written,
    where the part holds every row of its groups (part 0, or the only edge part)."""
    whole = part == 0 or parts == 2
    framed = framed if whole else None
    folder.mkdir(parents=True)
    files = _Files()
    try:
        if part == 0:
            unused = _write_head(graph, folder, delimiter, doc_ids, files, framed)
        else:
            unused = _write_edges(
                graph, folder, span, whole, delimiter, rel_type, doc_ids, files, framed
            )
        for rows in files.made:
            rows.finish()
    finally:
        files.close()
    info = _PartInfo(
        parts,
        delimiter,
        rel_type,
        unused,
        [(r.rank, r.name, r.query, r.path.name) for r in files.made if r.rows],
        framed,
    )
    fields = {
        "parts": parts,
        "delimiter": delimiter,
        "rel_type": rel_type,
        "unused": unused,
        "framed": framed,
    }
    (folder / _PART_FILE).write_text(
        json.dumps({**fields, "groups": info.groups}, ensure_ascii=False), encoding="utf-8"
    )
    return info


def _write_head(
    graph: nx.MultiDiGraph,
    folder: Path,
    delimiter: str,
    doc_ids: set[str] | None,
    files: _Files,
    framed: int | None,
) -> list[str]:
    """Part 0 (:func:`neo4j_part`); the delimiters no actor's item holds."""
    unused = list(ARRAY_DELIMITERS)
    with _synced(folder / "nodes.csv") as fh:
        fh.write(_csv_line(NODE_HEADER))
        for record in iter_node_records(graph):
            _drop_used(unused, record, _NODE_COLUMNS)
            fh.write(_node_csv_line(record, delimiter))
    dialect: CypherDialect = "neo4j"
    # Sorted by (label set, id): the label groups in order, each in node_records order.
    nodes = sorted(graph.nodes, key=lambda n: (_labels(graph.nodes[n]), str(n)))
    for i, (labels, group) in enumerate(
        itertools.groupby(nodes, key=lambda n: _labels(graph.nodes[n]))
    ):
        rows = _Rows(files, folder, _NODES, f"{i:06d}", _node_query(labels, dialect), framed)
        for n in group:
            rows.add({k: v for k, v in _node_record(n, graph.nodes[n]).items() if k != "labels"})
    ids = {str(doc) for doc in _documents(graph)}
    for _, data in graph.nodes(data=True):
        ids.update(_text_list(data.get("docs")) or ())
    ids.update(_article_ids(graph) if doc_ids is None else doc_ids)
    query = _labelled_node_query("Article", _ARTICLE_COLUMNS, dialect)
    articles = _Rows(files, folder, _ARTICLES, "", query, framed)
    with _synced(folder / "articles.csv") as fh:
        fh.write(_csv_line(ARTICLE_HEADER))
        for article in _article_records(graph, sorted(ids)):
            fh.write(_node_line(article, _ARTICLE_COLUMNS, "Article"))
            articles.add(article)
    return unused


def _write_edges(
    graph: nx.MultiDiGraph,
    folder: Path,
    span: tuple[str, str | None] | None,
    whole: bool,
    delimiter: str,
    rel_type: RelTypeRule,
    doc_ids: set[str] | None,
    files: _Files,
    framed: int | None,
) -> list[str]:
    """An edge part (:func:`neo4j_part`); the delimiters no edge's item holds.

    One walk over the edges in id order builds each edge's relationship record, reads its
    provenance once and writes what every file needs of it: its lines of the four edge files
    and its rows of ``import.cypher``'s groups (the event, the relationship of its type, the
    ``SUBJECT`` and ``OBJECT`` links, the reports), each group in a file of its own.
    ``whole``: the files start with their header (the only edge part).
    """
    edges = _edge_order(graph, unique=True)
    if span is not None:
        lo, hi = span
        edges = [e for e in edges if lo <= e[0] and (hi is None or e[0] < hi)]
    unused = list(ARRAY_DELIMITERS)
    dialect: CypherDialect = "neo4j"
    event_query = _labelled_node_query("Event", _EVENT_COLUMNS, dialect)
    event_rows = _Rows(files, folder, _EVENTS, "", event_query, framed)
    links = [
        _Rows(files, folder, _LINKS, f"{i}", _event_actor_query(link), framed)
        for i, (link, _) in enumerate(_EVENT_ACTOR_TYPES)
    ]
    report_rows = _Rows(files, folder, _REPORTS, "", _report_query(dialect), framed)
    by_type: dict[str, _Rows] = {}
    with contextlib.ExitStack() as stack:
        relationships, events, event_actors, reports = (
            stack.enter_context(_synced(folder / name)) for name, _ in _EDGE_FILES
        )
        if whole:
            for fh, (_, header) in zip(
                (relationships, events, event_actors, reports), _EDGE_FILES, strict=True
            ):
                fh.write(_csv_line(header))
        for edge_id, source, target, key in edges:
            data = graph.succ[source][target][key]
            provenance = _provenance_items(edge_id, data)
            record = _relationship_record(source, target, key, data, rel_type, provenance)
            _drop_used(unused, record, _REL_COLUMNS)
            relationships.write(_relationship_line(record, delimiter))
            event = {"id": edge_id, **{c.name: record[c.name] for c in _EVENT_COLUMNS}}
            events.write(_node_line(event, _EVENT_COLUMNS, "Event"))
            event_rows.add(event)
            type_name = str(record["type"])
            rows = by_type.get(type_name)
            if rows is None:
                query = _relationship_query(type_name, dialect)
                rows = by_type[type_name] = _Rows(files, folder, _TYPES, type_name, query, framed)
            rows.add({k: v for k, v in record.items() if k != "type"})
            ends = {"src": str(source), "dst": str(target)}
            for (link, end), link_rows in zip(_EVENT_ACTOR_TYPES, links, strict=True):
                event_actors.write(_link_line({"src": edge_id, "dst": ends[end], "type": link}, ()))
                link_rows.add({"src": edge_id, "dst": ends[end]})
            for report in _edge_reports(edge_id, provenance):
                reports.write(_link_line(report, _REPORT_COLUMNS))
                report_rows.add({k: v for k, v in report.items() if k != "type"})
                if doc_ids is not None:
                    doc_ids.add(report["src"])
    return unused


def neo4j_parts_delimiter(folders: Sequence[str | os.PathLike[str]]) -> str:
    """The array delimiter of the files the parts in ``folders`` join into: the first of
    :data:`ARRAY_DELIMITERS` that no array item of any part holds (:func:`neo4j_part`)."""
    infos = [_PartInfo.read(Path(f)) for f in folders]
    return next(d for d in ARRAY_DELIMITERS if all(d in info.unused for info in infos))


def join_neo4j_parts(
    folders: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    batch_size: int = 500,
    move: bool = False,
) -> list[Path]:
    """Write ``out_dir/neo4j/`` from the parts in ``folders`` (:func:`neo4j_part`; in their
    order, part 0 first): the files of :func:`write_neo4j`, byte for byte. The edge files are
    the parts' lines joined under their header; ``import.cypher``'s groups are the parts' rows
    joined, group by group in the script's order, and cut into batches of ``batch_size`` rows.
    The parts' folders are left as they are, unless ``move``: then a part's file that is a
    whole file of the output (part 0's two, and the only edge part's four) is moved there
    rather than copied.

    Returns:
        The paths written, as :func:`write_neo4j`.

    Raises:
        ExportError: ``batch_size`` below 1.
        ValueError: The parts were written with other delimiters or rules, with a delimiter
            an item holds (write them again with :func:`neo4j_parts_delimiter`'s), or not as
            one part 0 and the edge parts, or of another number of parts than given.
    """
    _check_batch_size(batch_size)
    paths = [Path(f) for f in folders]
    infos = [_PartInfo.read(p) for p in paths]
    if len({(i.delimiter, i.rel_type) for i in infos}) > 1:
        raise ValueError("the parts were written with different array delimiters or rules")
    if not paths or not (paths[0] / "nodes.csv").exists():
        raise ValueError("the first part must be part 0 (the actors and the articles)")
    if any((p / "nodes.csv").exists() for p in paths[1:]):
        raise ValueError("only the first part may be part 0")
    if any(i.parts != len(paths) for i in infos):
        cut = sorted({i.parts for i in infos})
        raise ValueError(f"{len(paths)} parts given, of files cut into {cut} parts")
    delimiter, rel_type = infos[0].delimiter, infos[0].rel_type
    fits = neo4j_parts_delimiter(paths)
    if fits != delimiter:
        msg = (
            f"the parts were written with the array delimiter {delimiter!r}, which an array "
            f"item holds; write them again with {fits!r}"
        )
        raise ValueError(msg)
    folder = Path(out_dir) / "neo4j"
    folder.mkdir(parents=True, exist_ok=True)
    # Every file is written into a folder of its own first; only when all are complete do
    # they replace the earlier ones, one rename each.
    stage = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        head, edges = paths[0], paths[1:]
        whole = [(head, name) for name in ("nodes.csv", "articles.csv")]
        if len(edges) == 1:  # its files have their header
            whole += [(edges[0], name) for name, _ in _EDGE_FILES]
        else:
            for name, header in _EDGE_FILES:
                _copy_synced([p / name for p in edges], stage / name, _csv_line(header))
        for path, name in whole:
            if move:
                (path / name).replace(stage / name)
            else:
                _copy_synced([path / name], stage / name)
        groups: dict[tuple[int, str], tuple[str, list[tuple[Path, int | None]]]] = {}
        for path, info in zip(paths, infos, strict=True):
            if info.framed not in (None, batch_size):
                msg = f"{path}: its rows are cut into batches of {info.framed}, not {batch_size}"
                raise ValueError(msg)
            for rank, name, query, rows in info.groups:
                groups.setdefault((rank, name), (query, []))[1].append((path / rows, info.framed))
        with _synced(stage / "import.cypher") as fh:
            fh.write(_script_head())
            for key in sorted(groups):
                query, files = groups[key]
                if len(files) == 1 and files[0][1] is not None:  # cut into batches already
                    with files[0][0].open(encoding="utf-8", newline="") as batches:
                        shutil.copyfileobj(batches, fh, 1 << 20)
                else:
                    fh.writelines(_batches(query, [p for p, _ in files], batch_size))
            fh.write("\n")
        with _synced(stage / "README.txt") as fh:
            fh.write(neo4j_readme(array_delimiter=delimiter, rel_type=_rule(rel_type)))
        for name in _NEO4J_FILES:
            (stage / name).chmod(0o666 & ~current_umask())
            (stage / name).replace(folder / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [folder / name for name in _NEO4J_FILES]


def _copy_synced(sources: Sequence[Path], dest: Path, head: str = "") -> None:
    """``dest``: ``head``, then the files ``sources`` joined (as bytes, 64 KiB at a time),
    flushed to disk."""
    with dest.open("xb") as fh:
        fh.write(head.encode("utf-8"))
        for source in sources:
            with source.open("rb") as part:
                shutil.copyfileobj(part, fh, 1 << 16)
        fh.flush()
        os.fsync(fh.fileno())


def _batches(query: str, files: Sequence[Path], size: int) -> Iterator[str]:
    """The text of one group's batches (:func:`_batch_text` of each run of ``size`` rows):
    the rows of ``files`` (a Cypher literal a line), in order. A batch is its lines joined,
    their line ends dropped: a literal never holds a raw line end (:func:`cypher_literal`)."""
    tail = f"]\n{query};"
    with contextlib.ExitStack() as stack:
        opened = (stack.enter_context(p.open(encoding="utf-8", newline="\n")) for p in files)
        rows = itertools.chain.from_iterable(opened)
        while batch := list(itertools.islice(rows, size)):
            yield "\n\n:param rows => [" + ", ".join(batch).replace("\n", "") + tail


#: Files of ``import.cypher``'s groups open at once (each with its write buffer): a graph with
#: more relationship types reopens the least recently written.
_OPEN_FILES = 64


class _Files:
    """The groups' files, opened for appending, at most :data:`_OPEN_FILES` at once; the
    groups made (:class:`_Rows`), in order."""

    def __init__(self) -> None:
        self._open: collections.OrderedDict[Path, IO[str]] = collections.OrderedDict()
        self.made: list[_Rows] = []

    def __call__(self, path: Path) -> IO[str]:
        fh = self._open.get(path)
        if fh is not None:
            self._open.move_to_end(path)
            return fh
        if len(self._open) >= _OPEN_FILES:
            self._open.popitem(last=False)[1].close()
        fh = self._open[path] = path.open("a", encoding="utf-8", newline="")
        return fh

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1].close()


@contextlib.contextmanager
def _synced(path: Path) -> Iterator[IO[str]]:
    """A new UTF-8 text file (``\n`` kept as is), flushed to disk when closed."""
    with path.open("x", encoding="utf-8", newline="") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
