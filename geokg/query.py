"""SPARQL over geokg RDF exports, on pyoxigraph (default, fast) or rdflib (on request).

Both engines give the same rows: every value is a plain string (an IRI as its full IRI, a literal
as its lexical form, numbers in one canonical form), unbound values are ``None``. TriG and N-Quads
files are queried with the default graph as the union of all graphs, so a query without ``GRAPH``
sees everything, and ``GRAPH ?g { ... }`` still picks out one document's graph.

A query reads only the files it was given: before either engine runs it, rdflib's SPARQL parser
checks its algebra and refuses ``SERVICE``, ``FROM`` / ``FROM NAMED`` and every update form
(:func:`check_query`); rdflib's loading of ``FROM`` graphs is switched off as well.
:func:`stream_query` (what ``geokg query`` runs) evaluates the query in a worker process that it
kills after a timeout, stops after a number of rows and hands the rows on as they come.

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
import multiprocessing
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, cast

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql
import rdflib.query
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from geokg.errors import ConfigError, GeoKGError, InputError
from geokg.exports.rdf import PREFIXES

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_MEMORY_MB",
    "DEFAULT_TIMEOUT_S",
    "ENGINES",
    "FORMATS",
    "Engine",
    "QueryError",
    "QueryResult",
    "QueryStream",
    "QueryTimeoutError",
    "check_query",
    "format_csv",
    "format_json",
    "format_result",
    "format_table",
    "load_dataset",
    "query_dataset",
    "read_query",
    "run_query",
    "stream_query",
    "write_result",
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


Row = tuple[str | None, ...]

#: ``geokg query`` stops a query after this many seconds (``--timeout``; 0 means never).
DEFAULT_TIMEOUT_S = 30.0
#: ``geokg query`` prints at most this many rows (``--limit``; 0 means every row).
DEFAULT_LIMIT = 10_000
#: ``geokg query`` caps its worker's address space at this many MiB (``--max-memory``; 0: none).
DEFAULT_MAX_MEMORY_MB = 4096

_GRAPH_COLUMNS = ["subject", "predicate", "object"]
_BATCH = 500
# Audit events of a Python-level network access (rdflib's SERVICE and FROM use urllib).
_NETWORK_EVENTS = frozenset(
    {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}
)
_UPDATE_FORMS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


class QueryError(GeoKGError, RuntimeError):
    """A query engine failed while running a query (the message names the engine and cause)."""


class QueryTimeoutError(QueryError, TimeoutError):
    """A query ran longer than its timeout and was stopped."""


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence the deprecation warnings rdflib 7 raises about its own internals, and switch off
    its loading of ``FROM`` graphs (which would read files and URLs named in the query).

    Its TriG parser builds a ``ConjunctiveGraph`` and its SPARQL evaluator reads
    ``Dataset.default_context``; neither is our call to change.
    """
    load_graphs = rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    try:
        with warnings.catch_warnings():
            for message in _RDFLIB_INTERNAL_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
            yield
    finally:
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = load_graphs


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _walk(node: object) -> Iterator[CompValue]:
    """Yield every algebra node under ``node`` (CompValues nest in dicts, lists and tuples)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _refuse(what: str) -> ConfigError:
    return ConfigError(
        f"the query uses {what}; geokg query reads only the graph files it was given, so "
        "SERVICE, FROM, FROM NAMED and SPARQL Update are refused: remove it and pass every "
        "graph as a file argument"
    )


_PYPARSING_WHERE = re.compile(r"\s*\(at char \d+\),\s*\(line:\d+, col:\d+\)\s*$")
_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix\s*:\s*(\S*)")
_OXIGRAPH_WHERE = re.compile(r"^error at (\d+):(\d+)")


def _oxigraph_position(sparql: str) -> tuple[int, int] | None:
    """Where oxigraph's parser stops on ``sparql`` (1-based line and column), or ``None``.

    A line that cannot parse is appended, so oxigraph only ever parses the text and never runs
    it (a query rdflib refused may hold a SERVICE); a stop on that line means that oxigraph
    found no error in the query itself.
    """
    text = sparql + "\n}{"
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        found = _OXIGRAPH_WHERE.match(str(exc))
        if found and int(found[1]) <= len(sparql.split("\n")):
            return int(found[1]), int(found[2])
    except Exception:  # a position is a courtesy; rdflib's message stands
        return None
    return None


def _syntax_error(sparql: str, exc: Exception) -> ConfigError:
    """One line for a query that rdflib cannot parse: the line and column where the parser gives
    them (pyparsing's for a syntax error; oxigraph's for an unknown prefix, which rdflib reports
    without a position), then what is wrong.
    """
    position: tuple[int, int] | None = None
    lineno, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    prefix = _UNKNOWN_PREFIX.search(str(exc))
    if isinstance(lineno, int) and isinstance(col, int):  # pyparsing's ParseException
        position, what = (lineno, col), " ".join(_PYPARSING_WHERE.sub("", str(exc)).split())
    elif prefix:
        name = prefix[1]
        what = (
            f"unknown prefix {name}: declare it with PREFIX {name}: <...> or use a built-in one "
            f"({', '.join(sorted(PREFIXES))})"
        )
        position = _oxigraph_position(sparql)
        if position:  # oxigraph points past the prefixed name: show where the name starts
            line = sparql.split("\n")[position[0] - 1]
            start = line.rfind(f"{name}:", 0, position[1] - 1)
            position = (position[0], start + 1) if start >= 0 else position
    else:
        what = _one_line(exc)
    where = f" at line {position[0]}, column {position[1]}" if position else ""
    return ConfigError(f"SPARQL syntax error{where}: {what}; fix the query")


def check_query(sparql: str) -> Query:
    """Parse ``sparql`` with rdflib's SPARQL 1.1 parser and refuse what would read or change
    anything but the loaded graph: ``SERVICE``, ``FROM`` / ``FROM NAMED`` and every update form.

    The check looks at the parsed algebra, not the text, so comments, strings and escapes cannot
    hide a clause. Both engines run only queries that pass it (a query rdflib cannot parse is
    refused, even where oxigraph would accept it).

    >>> check_query("SELECT ?s WHERE { ?s a gkg:Actor }").algebra.name
    'SelectQuery'
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    geokg.errors.ConfigError: the query uses SERVICE <http://example.org/>; ...

    Raises:
        ConfigError: the query does not parse, or uses a refused form.
    """
    try:
        with _quiet_rdflib():
            prepared = prepareQuery(sparql, initNs=PREFIXES)
    except Exception as exc:  # pyparsing raises ParseException, the algebra plain Exception
        try:
            update = parseUpdate(sparql)
        except Exception:  # not an update either: report the query's own error
            raise _syntax_error(sparql, exc) from exc
        forms = sorted(
            {_UPDATE_FORMS.get(node.name, node.name) for node in dict.get(update, "request") or []}
        )
        raise _refuse("SPARQL Update (" + ", ".join(forms or ["an update"]) + ")") from None
    dataset = prepared.algebra.get("datasetClause") or []
    if dataset:
        clauses = [
            ("FROM NAMED <" if "named" in c else "FROM <")
            + str(dict.get(c, "named") or dict.get(c, "default"))
            + ">"
            for c in dataset
        ]
        raise _refuse(", ".join(clauses))
    for node in _walk(prepared.algebra):
        if node.name == "ServiceGraphPattern":
            raise _refuse(f"SERVICE <{dict.get(node, 'term')}>")
    return prepared


def _load_oxigraph(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        fmt = _SUFFIXES[path.suffix.lower()][0]
        try:
            store.load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(str(path), f"cannot parse it as RDF: {exc}") from exc
    return store


def _open(dataset: ox.Store | rdflib.Dataset, sparql: str) -> tuple[list[str], Iterator[Row], bool]:
    """Check and start a query; return its columns, a lazy iterator of rows and whether the rows
    are triples (to be sorted and made unique). Engine errors surface while iterating."""
    prepared = check_query(sparql)
    if isinstance(dataset, ox.Store):
        return _open_oxigraph(dataset, sparql)
    return _open_rdflib(dataset, prepared)


def _open_oxigraph(store: ox.Store, sparql: str) -> tuple[list[str], Iterator[Row], bool]:
    try:
        answer = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise ConfigError(f"SPARQL syntax error: {exc}; fix the query") from exc
    except (RuntimeError, OSError, ValueError) as exc:
        raise QueryError(f"oxigraph could not run the query: {_one_line(exc)}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return ["ask"], iter([("true" if bool(answer) else "false",)]), False
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        solutions = answer
        return (
            columns,
            (tuple(_ox_value(sol[c]) for c in columns) for sol in solutions),
            False,
        )
    triples = answer
    rows = ((_ox_value(t.subject), _ox_value(t.predicate), _ox_value(t.object)) for t in triples)
    return list(_GRAPH_COLUMNS), rows, True


def _open_rdflib(ds: rdflib.Dataset, prepared: Query) -> tuple[list[str], Iterator[Row], bool]:
    # evalQuery, as Graph.query calls it, but without the Result that keeps every row it yields.
    try:
        with _quiet_rdflib():
            answer = evalQuery(ds, prepared)
    except (GeoKGError, MemoryError):
        raise
    except Exception as exc:  # rdflib raises many types while evaluating
        raise QueryError(f"rdflib could not run the query: {_one_line(exc)}") from exc
    kind = answer["type_"]
    if kind == "ASK":
        return ["ask"], iter([("true" if answer["askAnswer"] else "false",)]), False
    if kind == "SELECT":
        columns = [str(v) for v in answer["vars_"] or []]
        bindings: Iterable[Any] = answer["bindings"]

        def select_rows() -> Iterator[Row]:
            with _quiet_rdflib():
                for sol in bindings:
                    if not sol:  # as rdflib's Result: an empty solution is no row
                        continue
                    yield tuple(_rdflib_value(sol.get(rdflib.Variable(c))) for c in columns)

        return columns, select_rows(), False
    graph = answer["graph"]
    rows = ((_rdflib_value(s), _rdflib_value(p), _rdflib_value(o)) for s, p, o in graph or [])
    return list(_GRAPH_COLUMNS), rows, True


def _engine_name(dataset: ox.Store | rdflib.Dataset) -> str:
    return "oxigraph" if isinstance(dataset, ox.Store) else "rdflib"


def _limited(
    dataset: ox.Store | rdflib.Dataset, sparql: str, limit: int
) -> tuple[list[str], Iterator[list[Row]], list[bool]]:
    """Start a query; return its columns, its rows in batches (at most ``limit`` rows in all when
    ``limit`` > 0; triples sorted and unique) and a one-item list that becomes ``[True]`` when
    rows were left out. Engine errors become :class:`QueryError`."""
    columns, rows, is_graph = _open(dataset, sparql)
    truncated = [False]
    engine = _engine_name(dataset)

    def batches() -> Iterator[list[Row]]:
        try:
            if is_graph:
                seen: set[Row] = set()
                for row in rows:
                    seen.add(row)
                    if limit and len(seen) > limit:
                        truncated[0] = True
                        break
                ordered = sorted(seen, key=lambda r: tuple(x or "" for x in r))
                if truncated[0]:
                    ordered = ordered[:limit]
                for i in range(0, len(ordered), _BATCH):
                    yield ordered[i : i + _BATCH]
                return
            batch: list[Row] = []
            for count, row in enumerate(rows):
                if limit and count >= limit:
                    truncated[0] = True
                    break
                batch.append(row)
                if len(batch) >= _BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch
        except (GeoKGError, MemoryError):
            raise
        except Exception as exc:  # the engines raise many types while evaluating
            raise QueryError(f"{engine} could not run the query: {_one_line(exc)}") from exc

    return columns, batches(), truncated


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


def query_dataset(
    dataset: ox.Store | rdflib.Dataset, sparql: str, *, limit: int = 0
) -> QueryResult:
    """Run a SPARQL query on a store from :func:`load_dataset` (same rows as ``run_query``).

    ``limit`` > 0 keeps at most that many rows. The query runs in this process, without a
    timeout: use :func:`stream_query` for queries you do not trust.

    Raises:
        ConfigError: the query does not parse, or uses SERVICE, FROM or an update form.
        QueryError: the engine failed while running it.
    """
    columns, batches, _ = _limited(dataset, sparql, limit)
    return QueryResult(columns=columns, rows=[row for batch in batches for row in batch])


def run_query(
    path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    sparql: str,
    *,
    engine: Engine = "oxigraph",
    limit: int = 0,
) -> QueryResult:
    """Run a SPARQL query over one or more RDF files.

    Files are read by suffix: ``.ttl``, ``.trig``, ``.nq``, ``.nt``, ``.jsonld``. The geokg
    prefixes (``gkg:``, ``rel:``, ``schema:``, ``prov:``, ``skos:``, ``owl:``, ``rdfs:``,
    ``rdf:``, ``xsd:``, ``dcterms:``) are predeclared. ``SERVICE``, ``FROM`` / ``FROM NAMED`` and
    SPARQL Update are refused (:func:`check_query`).

    Args:
        path_or_paths: A file or a list of files, loaded into one dataset.
        sparql: A ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` query.
        engine: ``oxigraph`` (default) or ``rdflib``; both give the same rows.
        limit: Keep at most this many rows (0: all). No timeout: see :func:`stream_query`.

    Raises:
        InputError: a file is missing, has an unknown suffix or does not parse.
        ConfigError: the engine is unknown, or the query does not parse or is refused.
        QueryError: the engine failed while running it.
    """
    return query_dataset(load_dataset(path_or_paths, engine=engine), sparql, limit=limit)


def _deny_network(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook for the query worker: no Python-level network access at all."""
    if event in _NETWORK_EVENTS:
        raise QueryError(
            f"the query engine tried to reach the network ({event}); geokg query reads only "
            "the graph files it was given"
        )


def _cap_memory(max_memory_mb: int) -> None:
    """Cap this process's address space; an engine that needs more fails or is stopped. Its
    stderr goes to /dev/null, so that only the parent's one-line message is shown."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if max_memory_mb <= 0 or sys.platform == "win32":
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker(
    conn: Any, paths: list[str], sparql: str, engine: Engine, limit: int, max_memory_mb: int
) -> None:
    """Load the files, run the query and send ``("columns", [...])``, ``("rows", [...])`` batches
    and ``("done", truncated)`` or ``("error", exception)`` down ``conn``."""
    sys.addaudithook(_deny_network)
    _cap_memory(max_memory_mb)
    try:
        columns, batches, truncated = _limited(load_dataset(paths, engine=engine), sparql, limit)
        conn.send(("columns", columns))
        for batch in batches:
            conn.send(("rows", batch))
        conn.send(("done", truncated[0]))
    except GeoKGError as exc:
        conn.send(("error", exc))
    except MemoryError:
        conn.send(
            (
                "error",
                QueryError(
                    f"{engine} ran out of memory on the query (--max-memory "
                    f"{max_memory_mb} MiB); narrow it or raise --max-memory"
                ),
            )
        )
    except Exception as exc:  # anything else still becomes one line in the parent
        conn.send(("error", QueryError(f"{engine} could not run the query: {_one_line(exc)}")))
    finally:
        conn.close()


class QueryStream:
    """The rows of a query run in a worker process, read as they come (see :func:`stream_query`).

    Attributes:
        columns: The column names (known once the query has started).
        truncated: True once iteration has ended early because of the row limit.
    """

    def __init__(
        self,
        paths: list[Path],
        sparql: str,
        *,
        engine: Engine,
        timeout: float,
        limit: int,
        max_memory_mb: int,
    ) -> None:
        self.truncated = False
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout if timeout > 0 else None
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        self._conn, child = context.Pipe(duplex=False)
        self._proc = context.Process(
            target=_worker,
            args=(child, [str(p) for p in paths], sparql, engine, limit, max_memory_mb),
            name="geokg-query",
            daemon=True,
        )
        self._proc.start()
        child.close()
        message = self._receive()
        if message[0] != "columns":
            self.close()
            raise QueryError(f"the query worker sent {message[0]!r} before its columns")
        self.columns: list[str] = message[1]

    def _receive(self) -> tuple[Any, ...]:
        remaining = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        if not self._conn.poll(remaining):
            self.close()
            raise QueryTimeoutError(
                f"the query ran longer than {self._timeout:g} s and was stopped; narrow it "
                "(more specific patterns, a LIMIT) or raise --timeout"
            )
        try:
            message = cast(tuple[Any, ...], self._conn.recv())
        except EOFError:
            self._proc.join(5)
            code = self._proc.exitcode
            self.close()
            cause = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
            raise QueryError(
                f"the query engine stopped unexpectedly ({cause}), most likely out of memory "
                "(--max-memory); narrow the query or raise --max-memory"
            ) from None
        if message[0] == "error":
            self.close()
            raise cast(GeoKGError, message[1])
        return message

    def __iter__(self) -> Iterator[Row]:
        while True:
            message = self._receive()
            if message[0] == "done":
                self.truncated = bool(message[1])
                self.close()
                return
            yield from message[1]

    def close(self) -> None:
        """Stop the worker (if it still runs) and release the pipe; safe to call twice."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._conn.close()

    def __enter__(self) -> QueryStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def stream_query(
    path_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    sparql: str,
    *,
    engine: Engine = "oxigraph",
    timeout: float = DEFAULT_TIMEOUT_S,
    limit: int = DEFAULT_LIMIT,
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
) -> QueryStream:
    """Run a query in a worker process that is killed after ``timeout`` seconds (loading
    included; 0: never), stops after ``limit`` rows (0: all) and may use at most
    ``max_memory_mb`` MiB of address space (0: no cap; not on Windows); return its rows as they
    come.

    The query is checked (:func:`check_query`) before the worker starts, and the worker refuses
    any Python-level network access. Use it as a context manager so that the worker stops when
    you stop reading.

    Raises:
        InputError: a file is missing, has an unknown suffix or does not parse.
        ConfigError: the engine is unknown, or the query does not parse or is refused.
        QueryTimeoutError: the query ran past ``timeout`` (raised while iterating).
        QueryError: the engine failed or its worker died.
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown SPARQL engine {engine!r}; use one of {', '.join(ENGINES)}")
    if timeout < 0 or limit < 0 or max_memory_mb < 0:
        raise ConfigError("timeout, limit and max_memory_mb must be 0 (no bound) or more")
    paths = _paths(path_or_paths)
    check_query(sparql)
    return QueryStream(
        paths, sparql, engine=engine, timeout=timeout, limit=limit, max_memory_mb=max_memory_mb
    )


def read_query(text_or_path: str | os.PathLike[str]) -> str:
    """Return a query given as text, or read it from an existing ``.rq``/``.sparql`` file."""
    path = Path(text_or_path)
    if path.suffix.lower() in {".rq", ".sparql"}:
        if not path.is_file():
            raise InputError(str(path), "no such query file; check the path")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"cannot read the query: {_one_line(exc)}") from exc
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


def write_result(
    columns: Sequence[str], rows: Iterable[Row], fmt: str, write: Callable[[str], object]
) -> None:
    """Write rows through ``write`` in the text of :func:`format_result`.

    CSV and JSON are written as the rows come (in chunks of about 64 KB, and what was formatted
    is written even when ``rows`` raises); a table aligns its columns, so it holds its rows
    first (at most the query's limit).

    >>> out: list[str] = []
    >>> write_result(["a"], iter([("x",), (None,)]), "json", out.append)
    >>> "".join(out)
    '{"columns": ["a"], "rows": [["x"], [null]]}'
    """
    if fmt == "table":
        write(format_table(QueryResult(columns=list(columns), rows=list(rows))))
        return
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    buf = io.StringIO()
    try:
        if fmt == "csv":
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(columns)
        else:
            buf.write(
                '{"columns": ' + json.dumps(list(columns), ensure_ascii=False) + ', "rows": ['
            )
        for i, row in enumerate(rows):
            if fmt == "csv":
                writer.writerow(["" if v is None else v for v in row])
            else:
                buf.write((", " if i else "") + json.dumps(list(row), ensure_ascii=False))
            if buf.tell() > 65536:
                write(buf.getvalue())
                buf.seek(0)
                buf.truncate()
        if fmt == "json":
            buf.write("]}")
    finally:
        if buf.tell():
            write(buf.getvalue())
