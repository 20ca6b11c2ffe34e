"""Relations on disk: the build's facts as a Parquet table, edges by a DuckDB group-by.

A build's facts (one :class:`~geokg.model.Fact` per extracted actor-to-actor relation) are
written, a row each, to ``relations.parquet`` (:data:`RELATION_COLUMNS`: the fact's edge
columns, its provenance and both actors). Everything the graph holds is derived from that
table:

* **edges**: one per distinct fact, by a group-by on the edge id
  (``stable_id("e", subject, relation, object, negated, modality)``, computed in SQL): its
  ``weight``, ``confidence``, ``dates``, ``speakers`` and event come from its rows;
* **provenance**: the rows again, in an edge's provenance order (document, span, relation
  id), written twice: sorted by edge id (``provenance.parquet``: the RDF, Neo4j and
  spreadsheet exporters walk the edges so) and in the graph's edge order
  (``provenance-by-edge.parquet``: the graph file, GraphML, GEXF). An edge's ``provenance`` is
  read when asked for, one sequential read per walk in either order;
* **nodes**: each actor's attributes merged from its rows, by the rules of
  :mod:`geokg.graph.assemble`, and lone surnames folded into the full name
  (:func:`geokg.graph.assemble.people_mapping`) by rewriting the rows' actor ids on the way;
  written to ``nodes.parquet`` (each actor's id and its attributes as JSON, the graph's own
  attributes in the file's metadata) so that :func:`open_stored_graph` reads the graph back
  without deriving it again (a distributed build's exporters, each in a worker).

:func:`stored_graph` returns a :class:`StoredGraph`: a networkx ``MultiDiGraph`` whose nodes
are the usual dicts and whose edges are compact read-only records with their provenance on
disk, so the graph holds a few hundred bytes per distinct fact and no sentence. It is the graph
:mod:`geokg.graph.assemble` builds from the same facts (tests/test_tables.py compares them and
every export), and every exporter takes it as it is.

DuckDB over Parquet was chosen by measurement (docs/PERFORMANCE-tables.md): at 10M rows its
group-by took 2.25 s and 304 MB, pyarrow's 5.16 s and 1,616 MB.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import operator
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from geokg.graph.assemble import (
    GraphAssembler,
    merge_node,
    new_graph,
    node_attrs,
    people_mapping,
)
from geokg.model import Actor, DocMeta, DocRecord, Fact

__all__ = [
    "DOCUMENTS_FILE",
    "EDGES_FILE",
    "FACT_ORDER",
    "NODES_FILE",
    "PART_SHIFT",
    "PROVENANCE_BY_EDGE_FILE",
    "PROVENANCE_FILE",
    "RELATIONS_FILE",
    "RELATION_COLUMNS",
    "RelationWriter",
    "StoredGraph",
    "append_tables",
    "combine_tables",
    "document_meta",
    "open_stored_graph",
    "relation_schema",
    "stored_graph",
    "write_relations",
]

RELATIONS_FILE = "relations.parquet"
DOCUMENTS_FILE = "documents.parquet"
PROVENANCE_FILE = "provenance.parquet"
PROVENANCE_BY_EDGE_FILE = "provenance-by-edge.parquet"
EDGES_FILE = "edges.parquet"
NODES_FILE = "nodes.parquet"

#: Rows per row group of the provenance files: what one read of an edge's records decodes.
ROW_GROUP_ROWS = 5_000

#: An edge's provenance records, in order (after the edge: its id, or source, target and id).
PROVENANCE_ORDER = "doc_id, span_start, span_end, relation_id"

#: Row order of a fact: its document's place in the build times this plus the fact's place in
#: its document. A distributed build's partition ``p`` numbers its documents from ``p <<``
#: :data:`PART_SHIFT`, so the order is the single-process build's.
FACT_ORDER = 1 << 20
PART_SHIFT = 22

_ACTOR = ("", "_label", "_type", "_country", "_roles", "_aliases", "_wikidata", "_alias")

#: The columns of ``relations.parquet``, in order, with their Arrow types (as names).
RELATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ord", "int64"),
    ("doc_id", "string"),
    ("relation_id", "string"),
    ("sentence", "string"),
    ("span_start", "int64"),
    ("span_end", "int64"),
    ("date", "string"),
    ("date_source", "string"),
    ("speaker", "string"),
    ("confidence", "float64"),
    ("extractor", "string"),
    ("rule", "string"),
    ("model", "string"),
    ("relation", "string"),
    ("negated", "bool"),
    ("modality", "string"),
    ("plover", "string"),
    ("cameo", "string"),
    ("quad_class", "int64"),
    ("goldstein", "float64"),
    *(
        (f"{role}{suffix}", "list" if suffix in ("_roles", "_aliases") else "string")
        for role in ("subject", "object")
        for suffix in _ACTOR
    ),
)

_DOCUMENT_COLUMNS = ("doc_id", "k", "title", "published", "source", "url")


def relation_schema() -> Any:
    """The Arrow schema of ``relations.parquet`` (pyarrow imported on call)."""
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "string": pa.string(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in RELATION_COLUMNS])


def _document_schema() -> Any:
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c == "k" else pa.string()) for c in _DOCUMENT_COLUMNS])


class RelationWriter:
    """Writes facts to ``relations.parquet`` and documents to ``documents.parquet`` beside it,
    in row groups of ``batch_rows``; use as a context manager (the files are complete on
    exit)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        documents: str | os.PathLike[str] | None = None,
        first_doc: int = 0,
        batch_rows: int = 65_536,
    ) -> None:
        """Write to ``path`` and ``documents`` (by default ``documents.parquet`` beside it);
        documents are numbered in the build from ``first_doc`` (a partition's first)."""
        import pyarrow.parquet as pq

        self.path = Path(path)
        self.documents_path = (
            self.path.with_name(DOCUMENTS_FILE) if documents is None else Path(documents)
        )
        self._first = first_doc
        self._batch_rows = batch_rows
        self._schema = relation_schema()
        self._doc_schema = _document_schema()
        self._writer = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        self._doc_writer = pq.ParquetWriter(
            self.documents_path, self._doc_schema, compression="zstd"
        )
        self._rows: dict[str, list[Any]] = {name: [] for name, _ in RELATION_COLUMNS}
        self._docs: dict[str, list[Any]] = {name: [] for name in _DOCUMENT_COLUMNS}
        self.rows = 0

    def __enter__(self) -> RelationWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_record(self, rec: DocRecord) -> None:
        """Add a document's record (a failed document adds nothing)."""
        if rec.failed is None:
            k = self._first + rec.k
            self.add_document(k, rec.doc_id, rec.doc or DocMeta())
            for i, fact in enumerate(rec.facts):
                self.add_fact(k * FACT_ORDER + i, fact)

    def add_document(self, k: int, doc_id: str, meta: DocMeta) -> None:
        """Add a document's metadata (``graph.graph["documents"]``)."""
        docs = self._docs
        docs["doc_id"].append(doc_id)
        docs["k"].append(k)
        docs["title"].append(meta.title)
        docs["published"].append(meta.published)
        docs["source"].append(meta.source)
        docs["url"].append(meta.url)
        if len(docs["doc_id"]) >= self._batch_rows:
            self._flush_documents()

    def add_fact(self, order: int, fact: Fact) -> None:
        """Add one fact; ``order`` is its place in the build (:data:`FACT_ORDER`)."""
        p, event, rows = fact.provenance, fact.event, self._rows
        values: list[Any] = [
            order,
            p.doc_id,
            p.relation_id,
            p.sentence,
            p.span[0],
            p.span[1],
            p.date,
            p.date_source,
            p.speaker,
            p.confidence,
            p.extractor,
            p.rule,
            p.model,
            fact.relation,
            fact.negated,
            fact.modality,
            event.plover if event else None,
            event.cameo if event else None,
            event.quad_class if event else None,
            event.goldstein if event else None,
        ]
        for actor, alias in ((fact.subject, fact.subject_alias), (fact.object, fact.object_alias)):
            values += [
                actor.id,
                actor.label,
                actor.type,
                actor.country,
                list(actor.roles),
                list(actor.aliases),
                actor.wikidata,
                alias,
            ]
        for (name, _), value in zip(RELATION_COLUMNS, values, strict=True):
            rows[name].append(value)
        self.rows += 1
        if len(rows["ord"]) >= self._batch_rows:
            self._flush()

    def write_table(self, table: Any) -> None:
        """Write an Arrow table of :func:`relation_schema` as it is (bench/tenm.py)."""
        self._flush()
        self._writer.write_table(table)
        self.rows += table.num_rows

    def write_documents(self, table: Any) -> None:
        """Write an Arrow table of documents (``doc_id, k, title, published, source, url``)."""
        self._flush_documents()
        self._doc_writer.write_table(table)

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows["ord"]:
            self._writer.write_table(pa.Table.from_pydict(self._rows, schema=self._schema))
            for column in self._rows.values():
                column.clear()

    def _flush_documents(self) -> None:
        import pyarrow as pa

        if self._docs["doc_id"]:
            table = pa.Table.from_pydict(self._docs, schema=self._doc_schema)
            self._doc_writer.write_table(table)
            for column in self._docs.values():
                column.clear()

    def close(self) -> None:
        """Flush what is left and close both files."""
        self._flush()
        self._flush_documents()
        self._writer.close()
        self._doc_writer.close()


def write_relations(records: Iterable[DocRecord], path: str | os.PathLike[str]) -> int:
    """Write ``records`` to ``path`` (and ``documents.parquet`` beside it); return the rows."""
    with RelationWriter(path) as writer:
        for rec in records:
            writer.add_record(rec)
        return writer.rows


# ----------------------------------------------------------------------------- derivation

_EDGE_KEY_SQL = (
    "'e-' || left(sha1(concat_ws(chr(31), s, relation, o, "
    "CASE WHEN negated THEN 'True' ELSE 'False' END, modality)), 16)"
)
#: Edge attributes in the order :class:`~geokg.graph.assemble.GraphAssembler` sets them.
EDGE_ATTRS = (
    "id",
    "relation",
    "negated",
    "modality",
    "plover",
    "cameo",
    "quad_class",
    "goldstein",
    "provenance",
    "weight",
    "confidence",
    "dates",
    "speakers",
)


def _q(value: object) -> str:
    """``value`` as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _sql_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(_q(p) for p in paths) + "]"


def _connect(workdir: Path, memory_limit: str | None) -> Any:
    import duckdb

    con = duckdb.connect(str(workdir / "derive.duckdb"))
    con.execute(f"SET temp_directory = {_q(workdir / 'spill')}")
    con.execute("SET preserve_insertion_order = false")  # every query that needs one orders
    _quiet(con)
    if memory_limit:
        con.execute(f"SET memory_limit = {_q(memory_limit)}")
    return con


def _quiet(con: Any) -> None:
    """No progress bar printed by a long query (a build has its own). In Jupyter without
    ipywidgets DuckDB refuses to change the setting, and draws no bar either."""
    import duckdb

    with contextlib.suppress(duckdb.Error):
        con.execute("SET enable_progress_bar = false")


def copy_to(con: Any, sql: str, path: Path, *, row_group: int = 1 << 17) -> None:
    """Write the rows of ``sql`` to the Parquet file ``path`` (zstd), ``row_group`` rows a
    row group, every column nullable.

    DuckDB's own ``COPY`` marks a column required where the statistics of what it read say it
    holds no null, so the same rows came out with other schemas from one file than from
    several (a build of one partition, a bucket of a shuffle); written through Arrow, every
    derivation of the same facts gives the same schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    reader = con.sql(sql).to_arrow_reader(row_group)
    schema = pa.schema([f.with_nullable(True) for f in reader.schema])
    held: list[Any] = []  # DuckDB's batches are not all row_group long: whole groups written
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in reader:
            held.append(batch.cast(schema))
            rows += batch.num_rows
            if rows >= row_group:
                table = pa.Table.from_batches(held, schema)
                whole = rows - rows % row_group
                writer.write_table(table.slice(0, whole), row_group_size=row_group)
                held, rows = table.slice(whole).to_batches(), rows - whole
        if rows:
            writer.write_table(pa.Table.from_batches(held, schema), row_group_size=row_group)


def _iter_rows(con: Any, sql: str, batch: int = 50_000) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql``, fetched ``batch`` at a time."""
    cur = con.execute(sql)
    while rows := cur.fetchmany(batch):
        yield from rows


_ACTOR_SQL = (
    "SELECT {r} AS id, {r}_label, {r}_type, {r}_country, {r}_roles, {r}_aliases, {r}_wikidata,"
    " {r}_alias, ord, {side} AS side FROM rel"
)


def actor_views(con: Any) -> None:
    """``actor_parts`` and ``actor_docs``, over the rows of ``rel``: each distinct actor record
    (an actor's id and attributes, as a fact gave them) with the place it first comes in
    (``first``: twice the fact's order, plus one for an object), and each actor's documents.

    Both aggregate again, unchanged, over the union of any split of the rows (a distributed
    derivation unions the parts of each bucket of facts: :mod:`geokg._shuffle`), which is what
    :func:`nodes_of` reads."""
    sides = " UNION ALL ".join(
        _ACTOR_SQL.format(r=r, side=i) for i, r in enumerate(("subject", "object"))
    )
    con.execute(
        "CREATE TEMP VIEW actor_parts AS SELECT id, subject_label, subject_type, "
        "subject_country, subject_roles, subject_aliases, subject_wikidata, subject_alias, "
        f"min(ord * 2 + side) AS first FROM ({sides}) GROUP BY ALL"
    )
    con.execute(
        "CREATE TEMP VIEW actor_docs AS SELECT DISTINCT a, doc_id FROM (SELECT subject a, "
        "doc_id FROM rel UNION ALL SELECT object, doc_id FROM rel) WHERE doc_id <> ''"
    )


def nodes_of(con: Any, interned: dict[str, str]) -> nx.MultiDiGraph:
    """A graph of the actors alone (views ``actor_parts`` and ``actor_docs``:
    :func:`actor_views`), each merged from its records by the assembler's rules, in the order
    the assembler meets them (a fact's subject, then its object, fact by fact)."""
    asm = GraphAssembler()
    sql = (
        "SELECT id, subject_label, subject_type, subject_country, subject_roles, "
        "subject_aliases, subject_wikidata, subject_alias, min(first) AS first "
        "FROM actor_parts GROUP BY ALL ORDER BY first"
    )
    for n, label, type_, country, roles, aliases, wikidata, alias, _ in _iter_rows(con, sql):
        actor = Actor(
            id=n,
            label=label,
            type=type_,
            country=country,
            roles=tuple(roles),
            aliases=tuple(aliases),
            wikidata=wikidata,
        )
        asm.merge_node(_intern(interned, n), node_attrs(actor, None, alias))
    g = asm.finish()
    docs_sql = "SELECT a, list(doc_id) FROM actor_docs GROUP BY a"
    for n, docs in _iter_rows(con, docs_sql):
        g.nodes[n]["docs"] = sorted({_intern(interned, d) for d in docs})
    return g


def _intern(cache: dict[str, str], value: str | None) -> Any:
    if value is None:
        return None
    found = cache.get(value)
    if found is None:
        found = cache[value] = sys.intern(value) if len(value) < 64 else value
    return found


def _paths(
    given: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
) -> list[Path]:
    if isinstance(given, str | os.PathLike):
        return [Path(given)]
    return [Path(p) for p in given]


def stored_graph(
    relations: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    workdir: str | os.PathLike[str],
    *,
    documents: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    memory_limit: str | None = "2GB",
) -> StoredGraph:
    """The graph of the facts in ``relations`` (one Parquet file or several: partitions).

    ``workdir`` receives ``provenance.parquet`` and ``provenance-by-edge.parquet`` (the graph
    reads them: keep them while it is used) and DuckDB's working files, removed on return. ``documents``: the ``documents.parquet`` files (by
    default the one beside each relations file). ``memory_limit``: DuckDB's (it
    spills to ``workdir`` above it; ``None``: DuckDB's default, 80% of the machine's memory).
    """
    rel_paths = _paths(relations)
    doc_paths = (
        [p.with_name(DOCUMENTS_FILE) for p in rel_paths] if documents is None else _paths(documents)
    )
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    con = _connect(work, memory_limit)
    try:
        relation_view(con, rel_paths)
        actor_views(con)
        interned: dict[str, str] = {}
        g = nodes_of(con, interned)
        mapping = fold_people(g)
        fact_view(con, mapping)
        by_key, by_edge = work / PROVENANCE_FILE, work / PROVENANCE_BY_EDGE_FILE
        write_derived(con, by_key, by_edge, work / EDGES_FILE)
        metadata = _documents(con, doc_paths, interned)
    finally:
        _close(con, work)  # DuckDB's memory goes back before the graph is built
    return graph_of(g, work, metadata, interned)


def fold_people(g: nx.MultiDiGraph) -> dict[str, str]:
    """Fold lone surnames into their full names among ``g``'s actors (in place) and return
    the mapping (:func:`geokg.graph.assemble.people_mapping`)."""
    mapping = people_mapping(g)
    _fold_people(g, mapping)
    return mapping


def write_derived(con: Any, by_key: Path, by_edge: Path, edges: Path) -> None:
    """Write the view ``facts``' provenance, sorted by edge id (``by_key``) and in graph order
    (``by_edge``), and its edges (the group-by, in graph order)."""
    for path, order in ((by_key, "key"), (by_edge, "s, o, key")):
        sql = (
            f"SELECT {order}, confidence, date, date_source, doc_id, extractor, model, "
            "relation_id, rule, sentence, span_start, span_end, who AS speaker FROM facts "
            f"ORDER BY {order}, {PROVENANCE_ORDER}"
        )
        copy_to(con, sql, path, row_group=ROW_GROUP_ROWS)
    copy_to(con, _EDGE_SQL, edges)


def graph_of(
    g: nx.MultiDiGraph, work: Path, metadata: dict[str, dict[str, Any]], interned: dict[str, str]
) -> StoredGraph:
    """The :class:`StoredGraph` of the actors ``g`` and the files :func:`write_derived` wrote
    into ``work``, with the documents' ``metadata``; writes ``work``'s ``nodes.parquet``."""
    out = StoredGraph((work / PROVENANCE_FILE, work / PROVENANCE_BY_EDGE_FILE))
    out.graph.update(g.graph)
    out.graph["documents"] = metadata
    for n in sorted(g.nodes):
        out.add_node(n, **g.nodes[n])
    g.clear()
    _add_edges(work / EDGES_FILE, out, interned)
    _write_nodes(out, work / NODES_FILE)
    return out


_GRAPH_KEY = b"geokg.graph"


#: Nodes a batch of ``nodes.parquet``: a hub's ``docs`` alone can be a million ids.
_NODE_BATCH = 1_000


def _write_nodes(g: StoredGraph, path: Path) -> None:
    """``nodes.parquet``: each node's id and attributes (JSON), in graph order; the graph's
    attributes but ``documents`` (JSON) in the file's metadata. Written a batch of
    :data:`_NODE_BATCH` nodes at a time, so that only one batch's text exists at once."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    graph = {k: v for k, v in g.graph.items() if k != "documents"}
    schema = pa.schema(
        [("id", pa.string()), ("attrs", pa.string())],
        metadata={_GRAPH_KEY: json.dumps(graph, ensure_ascii=False).encode()},
    )
    nodes = list(g.nodes)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for at in range(0, len(nodes), _NODE_BATCH):
            ids = nodes[at : at + _NODE_BATCH]
            attrs = [json.dumps(g.nodes[n], ensure_ascii=False) for n in ids]
            writer.write_table(pa.table([ids, attrs], schema=schema))
            del attrs


def open_stored_graph(
    workdir: str | os.PathLike[str],
    *,
    documents: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> StoredGraph:
    """The graph :func:`stored_graph` derived into ``workdir``, read back from its files
    (``nodes.parquet``, ``edges.parquet``, the provenance files) without deriving it again:
    the same nodes, edges and attributes in the same order. ``documents``: the
    ``documents.parquet`` files whose metadata the graph holds (by default the one in
    ``workdir``)."""
    import json

    import pyarrow.parquet as pq

    work = Path(workdir)
    doc_paths = [work / DOCUMENTS_FILE] if documents is None else _paths(documents)
    nodes = pq.ParquetFile(work / NODES_FILE)
    out = StoredGraph((work / PROVENANCE_FILE, work / PROVENANCE_BY_EDGE_FILE))
    out.graph.update(json.loads((nodes.schema_arrow.metadata or {})[_GRAPH_KEY]))
    interned: dict[str, str] = {}
    import duckdb

    con = duckdb.connect()  # in memory: readers of one folder never share a database file
    try:
        _quiet(con)
        out.graph["documents"] = _documents(con, doc_paths, interned)
    finally:
        con.close()
    for batch in nodes.iter_batches(batch_size=50_000):
        for n, attrs in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            out.add_node(_intern(interned, n), **json.loads(attrs))
    _add_edges(work / EDGES_FILE, out, interned)
    return out


def open_edge_range(workdir: str | os.PathLike[str], first: str, end: str | None) -> StoredGraph:
    """The edges of the graph :func:`stored_graph` derived into ``workdir`` whose id lies from
    ``first`` up to ``end`` (excluded; ``None``: up to any), with their provenance, and their
    endpoints as nodes without attributes: what a part of an export that writes the events
    alone needs (:func:`geokg.exports.rdf.nquads_part`), without the rest of the graph."""
    work = Path(workdir)
    out = StoredGraph((work / PROVENANCE_FILE, work / PROVENANCE_BY_EDGE_FILE))
    out.graph["documents"] = {}
    _add_edges(work / EDGES_FILE, out, {}, (first, end))
    return out


def _close(con: Any, work: Path) -> None:
    """Close DuckDB and remove its working files (the database, its log, what it spilled)."""
    con.close()
    for path in (work / "derive.duckdb", work / "derive.duckdb.wal"):
        path.unlink(missing_ok=True)
    shutil.rmtree(work / "spill", ignore_errors=True)


def document_meta(path: Path, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The metadata (title, published, source, url) that ``documents.parquet`` at ``path``
    holds for the documents ``ids`` (those it has), each document's last record."""
    import duckdb

    con = duckdb.connect()
    try:
        _quiet(con)
        con.execute("CREATE TEMP TABLE wanted (doc_id VARCHAR)")
        wanted = [(d,) for d in ids]
        if wanted:
            con.executemany("INSERT INTO wanted VALUES (?)", wanted)
        sql = (
            "SELECT doc_id, title, published, source, url FROM read_parquet(?) "
            "WHERE doc_id IN (SELECT doc_id FROM wanted) ORDER BY doc_id, k"
        )
        return {
            doc_id: {"title": title, "published": published, "source": source, "url": url}
            for doc_id, title, published, source, url in con.execute(sql, [str(path)]).fetchall()
        }
    finally:
        con.close()


def combine_tables(relations: Sequence[Path], documents: Sequence[Path], out: Path) -> None:
    """Write ``out``'s relations and documents: those of the partitions ``relations`` and
    ``documents`` (a distributed build's), in the build's order."""
    out.mkdir(parents=True, exist_ok=True)
    if not relations:  # no partition: empty tables
        RelationWriter(out / RELATIONS_FILE, documents=out / DOCUMENTS_FILE).close()
        return
    con = _connect(out, "2GB")
    try:
        for files, target, order in (
            (relations, RELATIONS_FILE, "ord"),
            (documents, DOCUMENTS_FILE, "k"),
        ):
            sql = f"SELECT * FROM read_parquet({_sql_list(files)}) ORDER BY {order}"
            copy_to(con, sql, out / target)
    finally:
        _close(con, out)


def append_tables(base: Path, new: Path, out: Path, *, exclude_docs: Iterable[str] = ()) -> None:
    """Write ``out``'s relations and documents: the folder ``base``'s (an earlier build's),
    less the documents ``exclude_docs``, then ``new``'s, whose facts come after every earlier
    one (so an edge's event is the earlier build's where it had one, as when the graphs were
    merged). A document in both keeps its earlier metadata, as a merge keeps it."""
    con = _connect(out, "2GB")
    try:
        con.execute("CREATE TEMP TABLE excluded (doc_id VARCHAR)")
        excluded = [(d,) for d in sorted(set(exclude_docs))]
        if excluded:
            con.executemany("INSERT INTO excluded VALUES (?)", excluded)
        old_rel, new_rel = _sql_list([base / RELATIONS_FILE]), _sql_list([new / RELATIONS_FILE])
        sql = (
            f"SELECT * FROM read_parquet({old_rel}) "
            "WHERE doc_id NOT IN (SELECT doc_id FROM excluded) UNION ALL "
            f"SELECT * REPLACE (ord + (SELECT coalesce(max(ord) + 1, 0) FROM "
            f"read_parquet({old_rel})) AS ord) FROM read_parquet({new_rel}) ORDER BY ord"
        )
        copy_to(con, sql, out / RELATIONS_FILE)
        old_docs, new_docs = _sql_list([base / DOCUMENTS_FILE]), _sql_list([new / DOCUMENTS_FILE])
        sql = (
            f"SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM (SELECT *, 0 AS earlier FROM "
            f"read_parquet({old_docs}) WHERE doc_id NOT IN (SELECT doc_id FROM excluded) "
            f"UNION ALL SELECT *, 1 FROM read_parquet({new_docs})) QUALIFY row_number() OVER "
            "(PARTITION BY doc_id ORDER BY earlier, k DESC) = 1 ORDER BY doc_id"
        )
        copy_to(con, sql, out / DOCUMENTS_FILE)
    finally:
        _close(con, out)


def relation_view(con: Any, paths: Sequence[Path]) -> None:
    """``rel``: the rows, one per relation id (a relation read twice,
    in two partitions of one document or an update, is one provenance record, the same
    whichever copy is kept)."""
    con.execute(
        f"CREATE TEMP VIEW raw AS SELECT * FROM read_parquet({_sql_list(paths)}, hive_partitioning = false)"
    )
    duplicated = con.execute("SELECT count(*) - count(DISTINCT relation_id) FROM raw").fetchone()
    if duplicated[0]:
        con.execute(
            "CREATE TEMP VIEW rel AS SELECT * FROM raw QUALIFY row_number() OVER "
            "(PARTITION BY relation_id ORDER BY confidence, date NULLS LAST, date_source NULLS"
            " LAST, doc_id, extractor, model, rule, sentence, span_start, span_end, speaker"
            " NULLS LAST, ord) = 1"
        )
    else:
        con.execute("CREATE TEMP VIEW rel AS SELECT * FROM raw")


def fact_view(con: Any, mapping: Mapping[str, str]) -> None:
    """``facts``: the rows with lone surnames folded (``s``, ``o``, ``who``), the edge id
    (``key``), and whether folding moved the row (``moved``); a row folded onto itself goes."""
    con.execute("CREATE TEMP TABLE relabel (old VARCHAR, new VARCHAR)")
    if mapping:
        con.executemany("INSERT INTO relabel VALUES (?, ?)", sorted(mapping.items()))
    con.execute(
        "CREATE TEMP VIEW facts0 AS SELECT r.*, "
        "coalesce(ms.new, r.subject) AS s, coalesce(mo.new, r.object) AS o, "
        "coalesce(mp.new, r.speaker) AS who, "
        "(ms.new IS NOT NULL OR mo.new IS NOT NULL) AS moved FROM rel r "
        "LEFT JOIN relabel ms ON r.subject = ms.old LEFT JOIN relabel mo ON r.object = mo.old "
        "LEFT JOIN relabel mp ON r.speaker = mp.old"
    )
    con.execute(
        f"CREATE TEMP VIEW facts AS SELECT *, {_EDGE_KEY_SQL} AS key FROM facts0 "
        "WHERE NOT (moved AND s = o)"
    )


def _documents(
    con: Any, paths: Sequence[Path], interned: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """``graph.graph["documents"]``: each document's last record (as
    ``GraphAssembler.add_document`` leaves it), in id order."""
    found: dict[str, dict[str, Any]] = {}
    existing = [p for p in paths if p.is_file()]
    if not existing:
        return found
    sql = (
        "SELECT doc_id, title, published, source, url FROM "
        f"read_parquet({_sql_list(existing)}) ORDER BY doc_id, k"
    )
    for doc_id, title, published, source, url in _iter_rows(con, sql):
        found[_intern(interned, doc_id)] = {
            "title": title,
            "published": published,
            "source": source,
            "url": url,
        }
    return found


_EVENTS_SQL = ", ".join(
    f"first({c} ORDER BY moved, ord) FILTER (WHERE {c} IS NOT NULL) AS {c}"
    for c in ("plover", "cameo", "quad_class", "goldstein")
)
# One row per edge, in the assembled graph's edge order. An edge's event attributes each come
# from the earliest of its facts (document order) that has one, the facts of the edge itself
# before those folding a lone surname moved onto it.
_EDGE_SQL = (
    f"SELECT s, o, key, relation, negated, modality, {_EVENTS_SQL}, count(*) AS weight, "
    "max(coalesce(confidence, 0.0)) AS confidence, "
    "list_sort(list_distinct(coalesce(list(date) FILTER (WHERE date <> ''), []))) AS dates, "
    "list_sort(list_distinct(coalesce(list(who) FILTER (WHERE who <> ''), []))) AS speakers "
    "FROM facts GROUP BY s, o, key, relation, negated, modality ORDER BY s, o, key"
)


def _add_edges(
    path: Path,
    out: StoredGraph,
    interned: dict[str, str],
    keys: tuple[str, str | None] | None = None,
) -> None:
    """Add the edges of the group-by (``edges.parquet``, in graph order) to ``out`` and count
    each actor's ``mentions``; with ``keys`` (first, end), only the edges whose id lies in that
    range (:func:`open_edge_range`), their endpoints added as bare nodes."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    shared: dict[Any, Any] = {}  # scores and tuples of dates or speakers: one object each
    mentions: dict[str, int] = dict.fromkeys(out.nodes, 0)
    succ, pred = out._succ, out._pred
    for read in pq.ParquetFile(path).iter_batches(batch_size=50_000):
        batch = read
        if keys is not None:
            first, end = keys
            wanted = pc.greater_equal(read.column(2), first)
            if end is not None:
                wanted = pc.and_(wanted, pc.less(read.column(2), end))
            batch = read.filter(wanted)
            for n in (*batch.column(0).to_pylist(), *batch.column(1).to_pylist()):
                if n not in mentions:
                    out.add_node(_intern(interned, n))
                    mentions[n] = 0
        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            s, o, key, relation, negated, modality = row[:6]
            plover, cameo, quad_class, goldstein, weight, confidence, dates, speakers = row[6:]
            dates = _shared_tuple(shared, dates, interned)
            speakers = _shared_tuple(shared, speakers, interned)
            record = EdgeRecord(
                out,
                s,
                o,
                (
                    key,
                    _intern(interned, relation),
                    negated,
                    _intern(interned, modality),
                    _intern(interned, plover),
                    _intern(interned, cameo),
                    quad_class,
                    shared.setdefault(goldstein, goldstein),
                    weight,
                    shared.setdefault(confidence, confidence),
                    dates,
                    speakers,
                ),
            )
            keydict = succ[s].get(o)
            if keydict is None:
                keydict = succ[s][o] = pred[o][s] = {}
            keydict[key] = record
            mentions[o] += weight
            if s != o:
                mentions[s] += weight
    for n, count in mentions.items():
        out.nodes[n]["mentions"] = count


def _shared_tuple(shared: dict[Any, Any], items: list[str], interned: dict[str, str]) -> Any:
    """``items`` as a tuple, one object for equal tuples, its strings interned (once a tuple:
    most edges repeat one of a few tuples of dates or speakers)."""
    key = tuple(items)
    found = shared.get(key)
    if found is None:
        found = shared[key] = tuple(_intern(interned, item) for item in key)
    return found


def _fold_people(g: nx.MultiDiGraph, mapping: Mapping[str, str]) -> None:
    """The node half of :func:`geokg.graph.assemble.consolidate_people` (the edges are folded
    in SQL): each lone surname's attributes merged into its full name's, its label an alias."""
    for old, new in sorted(mapping.items()):
        merge_node(g.nodes[new], {**g.nodes[old], "label": g.nodes[new]["label"]})
        g.nodes[new]["aliases"] = sorted(
            {*g.nodes[new]["aliases"], g.nodes[old]["label"]} - {g.nodes[new]["label"]}
        )
        g.remove_node(old)


# ----------------------------------------------------------------------------- the graph


_EDGE_VALUES = tuple(a for a in EDGE_ATTRS if a != "provenance")
_LISTS = frozenset({"dates", "speakers"})


class EdgeRecord(Mapping[str, Any]):
    """One edge's attributes, read-only, as the dict :mod:`geokg.graph.assemble` would hold;
    ``provenance`` is read from the provenance files when asked for.

    A slot per attribute, values shared between edges where they repeat (strings, scores,
    tuples of dates and speakers: a list is made on each read), so an edge costs about 150
    bytes beside its id and networkx's adjacency."""

    __slots__ = ("_graph", "_source", "_target", *(f"_{a}" for a in _EDGE_VALUES))

    def __init__(self, graph: StoredGraph, source: str, target: str, values: Sequence[Any]) -> None:
        self._graph = graph
        self._source, self._target = source, target
        (  # the order of _EDGE_VALUES (a test checks it), one unpacking for every slot
            self._id,
            self._relation,
            self._negated,
            self._modality,
            self._plover,
            self._cameo,
            self._quad_class,
            self._goldstein,
            self._weight,
            self._confidence,
            self._dates,
            self._speakers,
        ) = values

    def __getitem__(self, name: str) -> Any:
        if name == "provenance":
            return self._graph.provenance(self._source, self._target, self._id)
        getter = _GETTERS.get(name)
        if getter is None:
            raise KeyError(name)
        value = getter(self)
        return list(value) if name in _LISTS else value

    def get(self, name: str, default: Any = None) -> Any:
        """``self[name]``, or ``default`` for a name that is not an edge attribute (the
        exporters' ``data.get``, without Mapping's try/except around ``__getitem__``)."""
        if name == "provenance":
            return self[name]
        getter = _GETTERS.get(name)
        if getter is None:
            return default
        value = getter(self)
        return list(value) if name in _LISTS else value

    def __iter__(self) -> Iterator[str]:
        return iter(EDGE_ATTRS)

    def __len__(self) -> int:
        return len(EDGE_ATTRS)

    def __contains__(self, name: object) -> bool:
        return name in _GETTERS or name == "provenance"

    def __repr__(self) -> str:
        return f"EdgeRecord({self['id']!r})"

    def copy(self) -> dict[str, Any]:
        """A plain dict of the attributes, provenance read (what networkx copies expect)."""
        return dict(self)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


_GETTERS = {name: operator.attrgetter(f"_{name}") for name in _EDGE_VALUES}


def _record(row: tuple[Any, ...], at: int) -> dict[str, Any]:
    """A provenance record (the keys and order of ``Provenance.to_json``) from the columns of
    a provenance file starting at ``at``."""
    return {
        "confidence": row[at],
        "date": row[at + 1],
        "date_source": row[at + 2],
        "doc_id": row[at + 3],
        "extractor": row[at + 4],
        "model": row[at + 5],
        "relation_id": row[at + 6],
        "rule": row[at + 7],
        "sentence": row[at + 8],
        "span": [row[at + 9], row[at + 10]],
        "speaker": row[at + 11],
    }


class _Groups:
    """A provenance file sorted on its first ``width`` columns (the edge: its id, or source,
    target and id), read a row group at a time: an edge's rows are found by bisecting the
    groups' first edges, then the rows of the group (decoded once, and kept among the last
    :data:`_KEPT_GROUPS` used). A walk in the file's order decodes each group once; a walk in
    another order decodes each group it touches, as often as it comes back to it after others.
    """

    def __init__(self, path: Path, width: int) -> None:
        import pyarrow.parquet as pq

        self._file = pq.ParquetFile(path)
        self._width = width
        self._lasts: list[tuple[str, ...]] | None = None
        self._kept: dict[int, tuple[list[tuple[Any, ...]], list[Any]]] = {}
        self.reads = 0

    def lasts(self) -> list[tuple[str, ...]]:
        """Each row group's last edge (read once, from the groups' last rows)."""
        if self._lasts is None:
            meta, width = self._file.metadata, self._width
            if width == 1:  # the groups' largest id is their last
                self._lasts = [
                    (str(meta.row_group(i).column(0).statistics.max),)
                    for i in range(meta.num_row_groups)
                ]
            else:
                names = self._file.schema_arrow.names[:width]
                self._lasts = []
                for i in range(meta.num_row_groups):
                    group = self._file.read_row_group(i, columns=names)
                    tail = group.slice(group.num_rows - 1, 1)
                    self._lasts.append(tuple(tail.column(c)[0].as_py() for c in range(width)))
        return self._lasts

    def group_of(self, edge: tuple[str, ...]) -> int:
        """The first row group that may hold ``edge``: the first whose last edge is not
        before it (the number of groups when every group ends before it)."""
        return bisect.bisect_left(self.lasts(), edge)

    def is_kept(self, group: int) -> bool:
        return group in self._kept

    def _rows(self, group: int) -> tuple[list[tuple[Any, ...]], list[Any]]:
        """The rows of ``group`` and their edges (ids alone in the file by id)."""
        kept = self._kept.pop(group, None)
        if kept is None:
            self.reads += 1
            table = self._file.read_row_group(group)
            rows = list(zip(*(c.to_pylist() for c in table.columns), strict=True))
            width = self._width
            edges = [r[:width] for r in rows] if width > 1 else [r[0] for r in rows]
            kept = (rows, edges)
            while len(self._kept) >= _KEPT_GROUPS:
                del self._kept[next(iter(self._kept))]
        self._kept[group] = kept  # the most recent last
        return kept

    def records(self, edge: tuple[str, ...]) -> list[dict[str, Any]]:
        """The records of ``edge`` (its rows may run on into the next groups)."""
        width, found = self._width, list[dict[str, Any]]()
        wanted: Any = edge if width > 1 else edge[0]
        group = self.group_of(edge)
        while group < len(self.lasts()):
            rows, edges = self._rows(group)
            at = bisect.bisect_left(edges, wanted)
            while at < len(rows) and edges[at] == wanted:
                found.append(_record(rows[at], width))
                at += 1
            if at < len(rows):
                return found
            group += 1
        return found


#: Decoded row groups kept per provenance file: the one a walk is in and the one before (an
#: edge's rows may run on into the next group). A walk in either file's order decodes each
#: group about once (the reader picks the file); more kept groups only held more sentences
#: (8 held about 45 MB of them from 40,000 rows on: bench/tenm.py at 100k relations reads
#: 37, 40, 20 and 19 groups for Turtle, N-Quads, Neo4j and the page with 2 kept, against
#: 37, 34, 17 and 21 with 8).
_KEPT_GROUPS = 2


class _ProvenanceReader:
    """Serves edges' provenance from two copies of the rows: sorted by edge id (the order the
    RDF, Neo4j and spreadsheet exporters walk the edges in) and in the graph's edge order
    (source, target, id: what ``g.edges()`` gives, as the graph file and GraphML walk).

    An edge is read from the copy in whose order the walk has gone forward longest (the walk's
    order, even when it skips edges, as the page does; by id on a tie), unless only the other
    copy has the edge's group decoded already."""

    def __init__(self, by_key: Path, by_edge: Path) -> None:
        self._by_key = _Groups(by_key, 1)
        self._by_edge = _Groups(by_edge, 3)
        self._last: tuple[tuple[str, ...], ...] = ((), ())  # the edge read last, in either order
        self._runs = [0, 0]  # edges read in a row, each after the last in either copy's order
        self._memo: tuple[str, list[dict[str, Any]]] | None = None

    @property
    def reads(self) -> int:
        return self._by_key.reads + self._by_edge.reads

    def records(self, u: str, v: str, key: str) -> list[dict[str, Any]]:
        if self._memo is not None and self._memo[0] == key:
            return self._memo[1]
        groups = (self._by_key.group_of((key,)), self._by_edge.group_of((u, v, key)))
        edges, previous = ((key,), (u, v, key)), self._last
        for i in (0, 1):
            self._runs[i] = self._runs[i] + 1 if edges[i] > previous[i] else 0
        self._last = edges
        if self._runs[0] == self._runs[1]:  # both orders agree so far: the parallel edges of
            # one (u, v), which the graph's order keeps together and the ids scatter
            by_edge = self._runs[1] > 0 and previous[1][:2] == (u, v)
        else:
            by_edge = self._runs[1] > self._runs[0]
        if by_edge and not self._by_edge.is_kept(groups[1]) and self._by_key.is_kept(groups[0]):
            by_edge = False
        elif not by_edge and not self._by_key.is_kept(groups[0]):
            by_edge = self._by_edge.is_kept(groups[1])
        found = self._by_edge.records((u, v, key)) if by_edge else self._by_key.records((key,))
        self._memo = (key, found)
        return found


class StoredGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """A geokg graph whose edges' provenance stays in ``provenance.parquet``.

    Nodes and the graph attributes are those of any geokg graph; each edge is an
    :class:`EdgeRecord` (read-only). ``to_graph()`` gives the plain networkx graph, provenance
    lists included.
    """

    def __init__(self, provenance: tuple[Path, Path] | None = None, **attr: Any) -> None:
        """A graph over the provenance files (by edge id, in edge order: :func:`stored_graph`
        makes one); without them, an empty graph (what networkx's ``copy`` starts from)."""
        super().__init__(**attr)
        self._reader = None if provenance is None else _ProvenanceReader(*provenance)

    def provenance(self, u: str, v: str, key: str) -> list[dict[str, Any]]:
        """The provenance records of edge ``(u, v, key)``, in provenance order."""
        if self._reader is None:
            raise KeyError(key)
        return self._reader.records(u, v, key)

    @property
    def reads(self) -> int:
        """Row groups of the provenance files decoded so far (a walk over the edges in id or
        graph order decodes each group of one file once)."""
        return 0 if self._reader is None else self._reader.reads

    def copy(self, as_view: bool = False) -> StoredGraph:
        """A graph of its own (node dicts, edge lists) over the same read-only edge records and
        provenance files; networkx's ``copy`` would copy every record, provenance included."""
        if as_view:
            raise NotImplementedError("a StoredGraph has no views; copy(as_view=False)")
        g = StoredGraph()
        g._reader = self._reader
        g.graph.update(self.graph)
        g.graph["documents"] = dict(self.graph["documents"])
        for n, d in self.nodes(data=True):
            g.add_node(n, **d)
        succ, pred = g._succ, g._pred
        for u, nbrs in self._succ.items():
            for v, keydict in nbrs.items():
                succ[u][v] = pred[v][u] = dict(keydict)
        return g

    def to_graph(self) -> nx.MultiDiGraph:
        """The plain networkx graph (every attribute a dict, provenance in memory)."""
        g = new_graph()
        g.graph.update(self.graph)
        g.graph["documents"] = dict(self.graph["documents"])
        for n, d in self.nodes(data=True):
            g.add_node(n, **d)
        for u, v, k, d in self.edges(keys=True, data=True):
            g.add_edge(u, v, key=k, **dict(d))
        return g
