"""Neo4j export: ``neo4j-admin`` CSV files and a parameterised ``cypher-shell`` script.

``write_neo4j(graph, out)`` writes ``out/neo4j/``:

``nodes.csv``
    One row per actor. Header (neo4j-admin import format)::

        id:ID(Actor),label,type,country,roles:string[],aliases:string[],wikidata,
        mentions:long,docs:string[],:LABEL

    ``:LABEL`` is ``Actor`` plus the type label (``Actor;Person``, ``Actor;Country``,
    ``Actor;Organisation``, ``Actor;Location``, ``Actor;Group``; ``other`` is just ``Actor``).
``relationships.csv``
    One row per graph edge. Header::

        :START_ID(Actor),:END_ID(Actor),:TYPE,id,relation,negated:boolean,modality,plover,
        cameo,quad_class:long,goldstein:double,confidence:double,weight:long,dates:date[],
        first_date:date,speakers:string[],sentence,doc_ids:string[],rules:string[],
        provenance_json

    ``:TYPE`` is :func:`relationship_type` of the relation (``ACCUSE``, ``STEP_UP``); the
    original lemma stays in ``relation``. ``sentence`` is the first provenance sentence and
    ``rules`` the extractor rules that produced the edge's relations (``svo.passive_agent``), and
    ``provenance_json`` the whole provenance list as JSON text (free text never goes into an
    array column, so the array delimiter never has to be escaped inside a sentence).
``import.cypher``
    For a running database: the ``Actor.id`` uniqueness constraint, then batches of
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
likewise get one batch per label set.

>>> relationship_type("step up")
'STEP_UP'
>>> cypher_literal("it's")
"'it\\\\'s'"
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from geokg._io import atomic_open
from geokg.errors import ExportError
from geokg.exports.csvsafe import escape_controls

__all__ = [
    "ARRAY_DELIMITERS",
    "NODE_HEADER",
    "RELATIONSHIP_HEADER",
    "TYPE_LABELS",
    "CypherDialect",
    "check_neo4j_admin_header",
    "choose_array_delimiter",
    "constraint_statements",
    "cypher_literal",
    "cypher_shell_command",
    "iter_cypher_batches",
    "iter_import_cypher",
    "iter_node_records",
    "iter_nodes_csv",
    "iter_relationship_records",
    "iter_relationships_csv",
    "neo4j_admin_command",
    "neo4j_readme",
    "node_records",
    "relationship_records",
    "relationship_type",
    "render_import_cypher",
    "render_nodes_csv",
    "render_relationships_csv",
    "write_neo4j",
]

CypherDialect = Literal["neo4j", "kuzu"]

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

_REL_COLUMNS: tuple[_Column, ...] = (
    _Column(name="id"),
    _Column(name="relation"),
    _Column(name="negated", kind="boolean"),
    _Column(name="modality"),
    _Column(name="plover"),
    _Column(name="cameo"),
    _Column(name="quad_class", kind="long"),
    _Column(name="goldstein", kind="double"),
    _Column(name="confidence", kind="double"),
    _Column(name="weight", kind="long"),
    _Column(name="dates", kind="date", array=True),
    _Column(name="first_date", kind="date"),
    _Column(name="speakers", array=True),
    _Column(name="sentence"),
    _Column(name="doc_ids", array=True),
    _Column(name="rules", array=True),
    _Column(name="provenance_json"),
)

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
        return "RELATED_TO"
    if name[0].isdigit():
        return f"R_{name}"
    return name


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


def _relationship_record(
    source: Any, target: Any, key: Any, data: Mapping[str, Any]
) -> dict[str, Any]:
    edge_id = str(data.get("id", key))
    what = f"edge {edge_id!r}"
    relation = _text(data.get("relation")) or ""
    provenance = data.get("provenance") or []
    if not isinstance(provenance, Sequence) or isinstance(provenance, str):
        msg = f"{what} 'provenance' is {type(provenance).__name__}, not a list of dicts."
        raise ExportError(msg)
    sentence: str | None = None
    doc_ids: set[str] = set()
    rules: set[str] = set()
    for item in provenance:
        if not isinstance(item, Mapping):
            msg = f"{what} has a provenance item {item!r} that is not a dict."
            raise ExportError(msg)
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
    dates = _iso_dates(data.get("dates"))
    return {
        "src": str(source),
        "dst": str(target),
        "type": relationship_type(relation),
        "id": edge_id,
        "relation": relation,
        "negated": _boolean(data.get("negated"), f"{what} 'negated'"),
        "modality": _text(data.get("modality")),
        "plover": _text(data.get("plover")),
        "cameo": _text(data.get("cameo")),
        "quad_class": _integer(data.get("quad_class"), f"{what} 'quad_class'"),
        "goldstein": _real(data.get("goldstein"), f"{what} 'goldstein'"),
        "confidence": _real(data.get("confidence"), f"{what} 'confidence'"),
        "weight": _integer(data.get("weight"), f"{what} 'weight'"),
        "dates": dates,
        "first_date": dates[0] if dates else None,
        "speakers": _text_list(data.get("speakers")),
        "sentence": sentence,
        "doc_ids": sorted(doc_ids) or None,
        "rules": sorted(rules) or None,
        "provenance_json": provenance_json,
    }


def _edge_order(graph: nx.MultiDiGraph, *, by_type: bool = False) -> list[tuple[Any, Any, Any]]:
    """``(source, target, key)`` sorted by (edge id, source id, target id), ties in graph order.

    ``by_type``: by relationship type first (the grouping of :func:`iter_cypher_batches`).
    An index of references: no record is built, and while ids are unique (a geokg graph) the
    sort keys are the id strings themselves.
    """
    edges = list(graph.edges(keys=True))

    def edge_id(edge: tuple[Any, Any, Any]) -> str:
        source, target, key = edge
        return str(graph.succ[source][target][key].get("id", key))

    edges.sort(key=edge_id)
    if any(edge_id(a) == edge_id(b) for a, b in itertools.pairwise(edges)):
        edges.sort(key=lambda e: (edge_id(e), str(e[0]), str(e[1])))
    if by_type:
        types: dict[str, str] = {}

        def rel_type(edge: tuple[Any, Any, Any]) -> str:
            source, target, key = edge
            relation = _text(graph.succ[source][target][key].get("relation")) or ""
            found = types.get(relation)
            if found is None:
                found = types[relation] = relationship_type(relation)
            return found

        edges.sort(key=rel_type)  # stable: by id within a type
    return edges


def iter_relationship_records(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield :func:`relationship_records` one at a time (sorted by edge id)."""
    for source, target, key in _edge_order(graph):
        yield _relationship_record(source, target, key, graph.succ[source][target][key])


def relationship_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Return one plain record per edge, sorted by edge id.

    Each record has ``src``, ``dst``, ``type`` (the relationship type) and the
    ``relationships.csv`` property names with typed Python values.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("GBR", "RUS", key="e-1", id="e-1", relation="accuse", weight=1,
    ...                dates=["2025-05-15", "May 2025"])
    >>> r = relationship_records(g)[0]
    >>> r["type"], r["dates"], r["first_date"]
    ('ACCUSE', ['2025-05-15'], '2025-05-15')
    """
    return list(iter_relationship_records(graph))


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

    def check(record: Mapping[str, Any], columns: Sequence[_Column]) -> None:
        for column in columns:
            if column.array:
                for item in record[column.name] or ():
                    written = escape_controls(item)
                    unused[:] = [d for d in unused if d not in written]

    # One pass (the records are validated, as the writers will need them); nothing is kept
    # but the candidates not seen yet.
    for record in iter_node_records(graph):
        check(record, _NODE_COLUMNS)
    for source, target, key, data in graph.edges(keys=True, data=True):
        check(_relationship_record(source, target, key, data), _REL_COLUMNS)
    return unused[0]


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
        fields = [_quoted(record["id"])]
        fields += [_field(record[c.name], c, delimiter) for c in _NODE_COLUMNS]
        fields.append(_quoted_list(record["labels"], delimiter))
        yield _csv_line(fields)


def render_nodes_csv(graph: nx.MultiDiGraph, *, array_delimiter: str | None = None) -> str:
    """Return ``nodes.csv`` text (header line first, ``\\n`` line ends).

    Args:
        graph: A geokg graph.
        array_delimiter: Delimiter of array values and labels; default
            :func:`choose_array_delimiter`.
    """
    return "".join(iter_nodes_csv(graph, array_delimiter=array_delimiter))


def iter_relationships_csv(
    graph: nx.MultiDiGraph, *, array_delimiter: str | None = None
) -> Iterator[str]:
    """Yield the lines of ``relationships.csv`` (header first), one edge at a time."""
    delimiter = array_delimiter or choose_array_delimiter(graph)
    yield _csv_line(RELATIONSHIP_HEADER)
    for record in iter_relationship_records(graph):
        fields = [_quoted(record["src"]), _quoted(record["dst"]), _quoted(record["type"])]
        fields += [_field(record[c.name], c, delimiter) for c in _REL_COLUMNS]
        yield _csv_line(fields)


def render_relationships_csv(graph: nx.MultiDiGraph, *, array_delimiter: str | None = None) -> str:
    """Return ``relationships.csv`` text (header line first, ``\\n`` line ends).

    Args:
        graph: A geokg graph.
        array_delimiter: Delimiter of array values; default :func:`choose_array_delimiter`.
    """
    return "".join(iter_relationships_csv(graph, array_delimiter=array_delimiter))


def _shell_delimiter(delimiter: str) -> str:
    if delimiter.isprintable() and delimiter not in "'\\":
        return f'"{delimiter}"'
    return f"U+{ord(delimiter):04X}"


def neo4j_admin_command(
    *, database: str = "neo4j", import_dir: str = "import", array_delimiter: str = ";"
) -> str:
    """Return the ``neo4j-admin`` command that loads ``nodes.csv`` and ``relationships.csv``.

    Run it from the Neo4j home folder with the database stopped, after copying the two CSV
    files into ``import_dir``. Neo4j 5 syntax.

    >>> print(neo4j_admin_command())  # doctest: +NORMALIZE_WHITESPACE
    bin/neo4j-admin database import full neo4j --nodes=import/nodes.csv
    --relationships=import/relationships.csv --delimiter="," --array-delimiter=";"
    --quote='"' --multiline-fields=true
    """
    return (
        f"bin/neo4j-admin database import full {database}"
        f" --nodes={import_dir}/nodes.csv"
        f" --relationships={import_dir}/relationships.csv"
        ' --delimiter=","'
        f" --array-delimiter={_shell_delimiter(array_delimiter)}"
        " --quote='\"' --multiline-fields=true"
    )


def cypher_shell_command(*, database: str = "neo4j", script: str = "import.cypher") -> str:
    """Return the ``cypher-shell`` command that runs ``import.cypher`` on a running database.

    >>> cypher_shell_command()
    'bin/cypher-shell -u neo4j -p <password> -d neo4j --file import.cypher'
    """
    return f"bin/cypher-shell -u neo4j -p <password> -d {database} --file {script}"


def neo4j_readme(*, array_delimiter: str = ";") -> str:
    """Return the text of ``neo4j/README.txt`` (commands and what the files hold)."""
    shown = array_delimiter if array_delimiter.isprintable() else _shell_delimiter(array_delimiter)
    return f"""geokg graph for Neo4j 5
=======================

nodes.csv, relationships.csv   neo4j-admin import files (header on the first line)
import.cypher                  the same data as parameterised Cypher for cypher-shell

Either load the CSV files into a new, empty database (offline, fast):

    cp nodes.csv relationships.csv $NEO4J_HOME/import/
    cd $NEO4J_HOME
    {neo4j_admin_command(array_delimiter=array_delimiter)}

or run the Cypher script against a running database (online; MERGE, so re-running is safe):

    {cypher_shell_command()}

Notes
- Array values and the :LABEL column are separated by "{shown}"; the command above passes it.
- Strings are quoted and may span lines (--multiline-fields=true); backslashes are literal.
- An empty field means "no property"; "" is the empty string. Values are exact: the spreadsheet
  safeguards of edges_table.csv are not applied here.
- Integers are long and reals double, as in Cypher, so both routes store the same values.
- Relationship types are the relation in upper snake case (ACCUSE); the original lemma is in
  the `relation` property. `provenance_json` holds every source sentence as JSON text.
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
        return "'" + "".join(_escape_char(c) for c in value) + "'"
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
    return ["CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE"]


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


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        msg = f"batch_size is {batch_size}; use a positive number of rows per batch (e.g. 500)."
        raise ExportError(msg)


def iter_cypher_batches(
    graph: nx.MultiDiGraph, batch_size: int = 500, *, dialect: CypherDialect = "neo4j"
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(query, parameters)`` pairs that load the graph with ``UNWIND … MERGE``.

    Nodes come first, one group per label set, then relationships, one group per type; each
    group is cut into batches of ``batch_size`` rows. Parameters are ``{"rows": [...]}`` of
    plain values (dates as ISO strings, converted with ``date()`` in the query). Only one
    batch of rows exists at a time.

    ``dialect="kuzu"`` gives the same statements for the embedded Kùzu engine, which differ
    in exactly two ways: no ``SET a:Label`` line (Kùzu has one table per label, no extra
    labels), and each assigned value is ``CAST(row.x AS <Kùzu type>)`` instead of ``row.x``,
    ``date(row.x)`` or ``[d IN row.x | date(d)]`` (Kùzu infers parameter types per batch and
    has no list comprehension). Kùzu also needs ``CREATE NODE TABLE``/``CREATE REL TABLE``
    instead of the constraint.

    Args:
        graph: A geokg graph.
        batch_size: Rows per batch (at least 1).
        dialect: ``"neo4j"`` or ``"kuzu"``.

    Raises:
        ExportError: When ``batch_size`` is below 1.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RUS", label="Russia", type="country")
    >>> query, params = next(iter_cypher_batches(g))
    >>> print(query.splitlines()[1]); params["rows"][0]["label"]
    MERGE (a:Actor {id: row.id})
    'Russia'
    """
    _check_batch_size(batch_size)
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
    del nodes
    edges = _edge_order(graph, by_type=True)

    def record(edge: tuple[Any, Any, Any]) -> dict[str, Any]:
        source, target, key = edge
        return _relationship_record(source, target, key, graph.succ[source][target][key])

    records = map(record, edges)
    for rel_type, group in itertools.groupby(records, key=lambda r: str(r["type"])):
        query = _relationship_query(rel_type, dialect)
        rows = ({k: v for k, v in r.items() if k != "type"} for r in group)
        for chunk in _chunks(rows, batch_size):
            yield query, {"rows": chunk}


def iter_import_cypher(graph: nx.MultiDiGraph, batch_size: int = 500) -> Iterator[str]:
    """Yield the text of ``import.cypher`` in pieces, one batch at a time."""
    yield "\n".join(
        [
            "// geokg graph for Neo4j 5. Generated file; run it with:",
            f"//   {cypher_shell_command()}",
            "// Values travel only as parameters (:param), never inside the query text.",
            "",
            *(f"{statement};" for statement in constraint_statements()),
        ]
    )
    for query, params in iter_cypher_batches(graph, batch_size):
        yield f"\n\n:param rows => {cypher_literal(params['rows'])}\n{query};"
    yield "\n"


def render_import_cypher(graph: nx.MultiDiGraph, batch_size: int = 500) -> str:
    """Return ``import.cypher``: constraints, then ``:param rows => …`` and ``UNWIND`` batches.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RUS", label="Russia", type="country")
    >>> text = render_import_cypher(g)
    >>> ":param rows => [{aliases: null, country: null, docs: null, id: 'RUS'," in text
    True
    """
    return "".join(iter_import_cypher(graph, batch_size))


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
    graph: nx.MultiDiGraph, out_dir: str | os.PathLike[str], *, batch_size: int = 500
) -> list[Path]:
    """Write ``out_dir/neo4j/`` (nodes.csv, relationships.csv, import.cypher, README.txt).

    Each file is streamed: a node, an edge or a batch of ``import.cypher`` at a time.

    Args:
        graph: A geokg graph.
        out_dir: The build output folder; ``neo4j/`` is created inside it.
        batch_size: Rows per ``:param`` batch of ``import.cypher``.

    Returns:
        The four paths written, in that order.
    """
    _check_batch_size(batch_size)
    folder = Path(out_dir) / "neo4j"
    delimiter = choose_array_delimiter(graph)
    contents: list[tuple[str, Iterable[str]]] = [
        ("nodes.csv", iter_nodes_csv(graph, array_delimiter=delimiter)),
        ("relationships.csv", iter_relationships_csv(graph, array_delimiter=delimiter)),
        ("import.cypher", iter_import_cypher(graph, batch_size)),
        ("README.txt", [neo4j_readme(array_delimiter=delimiter)]),
    ]
    paths = []
    for name, chunks in contents:
        with atomic_open(folder / name, newline="") as fh:
            fh.writelines(chunks)
        paths.append(folder / name)
    return paths
