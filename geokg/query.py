"""SPARQL over geokg RDF exports, on pyoxigraph (default, fast) or rdflib (on request).

Both engines give the same rows: every value is a plain string (an IRI as its full IRI, a literal
as its lexical form, numbers in one canonical form), unbound values are ``None``. TriG and N-Quads
files are queried with the default graph as the union of all graphs, so a query without ``GRAPH``
sees everything, and ``GRAPH ?g { ... }`` still picks out one document's graph.

>>> import networkx as nx, tempfile, pathlib
>>> from geokg.exports.rdf import write_turtle
>>> graph = nx.MultiDiGraph(documents={})
>>> graph.add_node("RUS", label="Russia", type="country")
>>> path = write_turtle(graph, pathlib.Path(tempfile.mkdtemp()) / "g.ttl")
>>> q = "SELECT ?label WHERE { ?a a gkg:Actor ; rdfs:label ?label }"
>>> run_query(path, q).rows
[('Russia',)]
>>> run_query(path, q, engine="rdflib") == run_query(path, q)
True
>>> print(format_table(run_query(path, q)))
label
------
Russia
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, cast

import pyoxigraph as ox
import rdflib
import rdflib.query

from geokg.errors import ConfigError, InputError
from geokg.exports.rdf import PREFIXES

__all__ = [
    "ENGINES",
    "FORMATS",
    "Engine",
    "QueryResult",
    "format_csv",
    "format_json",
    "format_result",
    "format_table",
    "load_dataset",
    "query_dataset",
    "read_query",
    "run_query",
]

Engine = Literal["oxigraph", "rdflib"]
ENGINES: tuple[Engine, ...] = ("oxigraph", "rdflib")
FORMATS: tuple[str, ...] = ("table", "csv", "json")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset({_XSD + "double", _XSD + "float"})
_DECIMAL = _XSD + "decimal"
_RDFLIB_INTERNAL_WARNINGS = (
    r"ConjunctiveGraph is deprecated",
    r"Dataset\.default_context is deprecated",
    r"Dataset\.contexts is deprecated",
)

# suffix -> (oxigraph format, rdflib format)
_SUFFIXES: dict[str, tuple[ox.RdfFormat, str]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "turtle"),
    ".trig": (ox.RdfFormat.TRIG, "trig"),
    ".nq": (ox.RdfFormat.N_QUADS, "nquads"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt"),
    ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryResult:
    """The answer to a query as plain strings.

    Attributes:
        columns: Variable names in the order of the ``SELECT`` clause (``ask`` for ``ASK``;
            ``subject``, ``predicate``, ``object`` for ``CONSTRUCT`` and ``DESCRIBE``).
        rows: One tuple per solution; ``None`` where a variable is unbound. ``CONSTRUCT`` rows
            are sorted, since a graph has no order.
    """

    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str | None, ...]] = field(default_factory=list)


def _canonical(lexical: str, datatype: str | None) -> str:
    """Return one lexical form per numeric value, so both engines print the same text."""
    if datatype is None:
        return lexical
    try:
        if datatype in _INTEGER_TYPES:
            return str(int(lexical))
        if datatype in _FLOAT_TYPES:
            x = float(lexical)
            if math.isnan(x):
                return "NaN"
            if math.isinf(x):
                return "INF" if x > 0 else "-INF"
            return repr(x)
        if datatype == _DECIMAL:
            d = Decimal(lexical)
            text = format(d.normalize(), "f")
            return text if "." in text else text + ".0"
    except (ValueError, InvalidOperation):
        return lexical
    return lexical


def _paths(path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    items = [path_or_paths] if isinstance(path_or_paths, str | os.PathLike) else list(path_or_paths)
    if not items:
        raise ConfigError(
            "no RDF file to query; pass at least one .ttl, .trig, .nq or .jsonld file"
        )
    paths = [Path(p) for p in items]
    for path in paths:
        if path.suffix.lower() not in _SUFFIXES:
            raise InputError(
                str(path),
                f"unknown RDF file suffix {path.suffix!r}; use one of "
                + ", ".join(sorted(_SUFFIXES)),
            )
        if not path.is_file():
            raise InputError(str(path), "no such file; run `geokg build` first or fix the path")
    return paths


def _ox_value(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return str(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return _canonical(term.value, term.datatype.value)
    return str(term)


def _rdflib_value(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return _canonical(str(term), datatype)
    return str(term)


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7 raises about its own internals.

    Its TriG parser builds a ``ConjunctiveGraph`` and its SPARQL evaluator reads
    ``Dataset.default_context``; neither is our call to change.
    """
    with warnings.catch_warnings():
        for message in _RDFLIB_INTERNAL_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        yield


def _rdflib_dataset(paths: list[Path]) -> rdflib.Dataset:
    with _quiet_rdflib():
        return _rdflib_dataset_inner(paths)


def _rdflib_dataset_inner(paths: list[Path]) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    for path in paths:
        fmt = _SUFFIXES[path.suffix.lower()][1]
        # Triples go into the default graph (as in oxigraph), quads into their named graphs.
        target = ds if fmt in {"trig", "nquads", "json-ld"} else ds.default_graph
        try:
            target.parse(path, format=fmt)
        except MemoryError:
            raise  # not a syntax error: the file is too large for an in-memory rdflib graph
        except Exception as exc:  # rdflib raises many types for bad syntax
            raise InputError(str(path), f"cannot parse it as RDF: {exc}") from exc
    return ds


def _load_oxigraph(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        fmt = _SUFFIXES[path.suffix.lower()][0]
        try:
            store.load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(str(path), f"cannot parse it as RDF: {exc}") from exc
    return store


def _query_oxigraph(store: ox.Store, sparql: str) -> QueryResult:
    try:
        answer = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise ConfigError(f"SPARQL syntax error: {exc}; fix the query") from exc
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(columns=["ask"], rows=[("true" if bool(answer) else "false",)])
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(_ox_value(sol[c]) for c in columns) for sol in answer]
        return QueryResult(columns=columns, rows=rows)
    triples = sorted(
        {(_ox_value(t.subject), _ox_value(t.predicate), _ox_value(t.object)) for t in answer},
        key=lambda r: tuple(x or "" for x in r),
    )
    return QueryResult(columns=["subject", "predicate", "object"], rows=list(triples))


def _query_rdflib(ds: rdflib.Dataset, sparql: str) -> QueryResult:
    with _quiet_rdflib():
        return _query_rdflib_inner(ds, sparql)


def _query_rdflib_inner(ds: rdflib.Dataset, sparql: str) -> QueryResult:
    try:
        answer = ds.query(sparql, initNs=PREFIXES)
    except Exception as exc:  # pyparsing raises ParseException, not a SyntaxError
        if type(exc).__name__ == "ParseException":
            raise ConfigError(f"SPARQL syntax error: {exc}; fix the query") from exc
        raise
    if answer.type == "ASK":
        return QueryResult(columns=["ask"], rows=[("true" if answer.askAnswer else "false",)])
    if answer.type == "SELECT":
        columns = [str(v) for v in answer.vars or []]
        rows = []
        for sol in answer:
            row = cast(rdflib.query.ResultRow, sol)  # a SELECT result yields rows
            rows.append(tuple(_rdflib_value(row[c]) for c in columns))
        return QueryResult(columns=columns, rows=rows)
    graph = answer.graph
    triples = sorted(
        {(_rdflib_value(s), _rdflib_value(p), _rdflib_value(o)) for s, p, o in graph or []},
        key=lambda r: tuple(x or "" for x in r),
    )
    return QueryResult(columns=["subject", "predicate", "object"], rows=list(triples))


def load_dataset(
    path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    engine: Engine = "oxigraph",
) -> ox.Store | rdflib.Dataset:
    """Load RDF files once into an engine's store, to run many queries with
    :func:`query_dataset` (``run_query`` loads the files for every query).

    Raises:
        InputError: a file is missing, has an unknown suffix or does not parse.
        ConfigError: the engine is unknown.
    """
    paths = _paths(path_or_paths)
    if engine == "oxigraph":
        return _load_oxigraph(paths)
    if engine == "rdflib":
        return _rdflib_dataset(paths)
    raise ConfigError(f"unknown SPARQL engine {engine!r}; use one of {', '.join(ENGINES)}")


def query_dataset(dataset: ox.Store | rdflib.Dataset, sparql: str) -> QueryResult:
    """Run a SPARQL query on a store from :func:`load_dataset` (same rows as ``run_query``).

    Raises:
        ConfigError: the query does not parse.
    """
    if isinstance(dataset, ox.Store):
        return _query_oxigraph(dataset, sparql)
    return _query_rdflib(dataset, sparql)


def run_query(
    path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    sparql: str,
    *,
    engine: Engine = "oxigraph",
) -> QueryResult:
    """Run a SPARQL query over one or more RDF files.

    Files are read by suffix: ``.ttl``, ``.trig``, ``.nq``, ``.nt``, ``.jsonld``. The geokg
    prefixes (``gkg:``, ``rel:``, ``schema:``, ``prov:``, ``skos:``, ``owl:``, ``rdfs:``,
    ``rdf:``, ``xsd:``, ``dcterms:``) are predeclared.

    Args:
        path_or_paths: A file or a list of files, loaded into one dataset.
        sparql: A ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` query.
        engine: ``oxigraph`` (default) or ``rdflib``; both give the same rows.

    Raises:
        InputError: a file is missing, has an unknown suffix or does not parse.
        ConfigError: the engine is unknown or the query does not parse.
    """
    return query_dataset(load_dataset(path_or_paths, engine=engine), sparql)


def read_query(text_or_path: str | os.PathLike[str]) -> str:
    """Return a query given as text, or read it from an existing ``.rq``/``.sparql`` file."""
    path = Path(text_or_path)
    if path.suffix.lower() in {".rq", ".sparql"}:
        if not path.is_file():
            raise InputError(str(path), "no such query file; check the path")
        return path.read_text(encoding="utf-8")
    return str(text_or_path)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _printable(text: str) -> str:
    """Show control characters as escapes, so a cell stays on one line and cannot drive the
    terminal (an ESC from article text)."""
    return _CONTROL.sub(lambda m: _SHOWN.get(m.group()) or f"\\x{ord(m.group()):02x}", text)


def format_table(result: QueryResult) -> str:
    """Return the rows as an aligned text table (unbound values are empty, control characters
    escaped).

    >>> print(format_table(QueryResult(columns=["a", "b"], rows=[("x", None), ("long", "y")])))
    a    | b
    -----+--
    x    |
    long | y
    """
    cells = [["" if v is None else _printable(v) for v in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in cells:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def format_csv(result: QueryResult) -> str:
    """Return the rows as CSV with a header (unbound values are empty).

    >>> print(format_csv(QueryResult(columns=["a", "b"], rows=[("x,y", None)])), end="")
    a,b
    "x,y",
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    return buf.getvalue()


def format_json(result: QueryResult) -> str:
    """Return ``{"columns": [...], "rows": [[...], ...]}`` (unbound values are ``null``).

    >>> format_json(QueryResult(columns=["a"], rows=[(None,)]))
    '{"columns": ["a"], "rows": [[null]]}'
    """
    return json.dumps(
        {"columns": result.columns, "rows": [list(row) for row in result.rows]},
        ensure_ascii=False,
    )


def format_result(result: QueryResult, fmt: str) -> str:
    """Format ``result`` as ``table``, ``csv`` or ``json``."""
    if fmt == "table":
        return format_table(result)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "json":
        return format_json(result)
    raise ConfigError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
