"""The graph's derivation spread over workers: a shuffle of the facts by relation id, then by
edge id, each group-by run on its own bucket of facts.

:func:`geokg.tables.stored_graph` derives a graph from its facts with one DuckDB process: the
facts deduplicated by relation id, the actors merged, lone surnames folded, the edges grouped by
edge id. :func:`derive_on_workers` gives the same files and the same graph with that work in
tasks (a distributed build runs them on its Dask workers or its process pool), each on one
bucket of the facts, with every file on shared storage:

1. **split by relation id** (a task per partition): each partition's rows, into ``buckets``
   files by a hash of the relation id (its MD5's first 32 bits: the same in every DuckDB), so
   that both copies of a relation read twice land in one bucket;
2. **actors** (a task per relation bucket): the bucket's rows deduplicated by relation id
   (:func:`geokg.tables.relation_view`), and their actor records and each actor's documents
   (:func:`geokg.tables.actor_views`), partial aggregates that aggregate again unchanged;
3. **the actors, once** (the caller): every bucket's actor records merged into the nodes, and
   the lone surnames folded (:func:`geokg.tables.fold_people`): the one step that needs all the
   actors, over a table of one row per distinct actor record, not per fact;
4. **split by edge id** (a task per relation bucket): the bucket's rows again, deduplicated,
   relabelled by the fold and keyed by their edge id (:func:`geokg.tables.fact_view`), into
   ``buckets`` files by ranges of the edge id (its first 32 bits), so that every fact of an
   edge lands in one bucket and the buckets follow the ids' order;
5. **edges** (a task per edge bucket): the bucket's group-by and its provenance in both orders
   (:func:`geokg.tables.write_derived`), as a single-process derivation writes them;
6. **join** (three tasks side by side): the buckets' provenance by edge id concatenated in
   bucket order (they are ranges of the ids); their edges and their provenance in graph order
   (source, target, id) merged in that order.

The caller then reads the edges into a :class:`geokg.tables.StoredGraph`, as
:func:`geokg.tables.stored_graph` does. No step but the third sees all the facts, and that one
sees only the actor records.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geokg.tables import (
    EDGES_FILE,
    PROVENANCE_BY_EDGE_FILE,
    PROVENANCE_FILE,
    PROVENANCE_ORDER,
    ROW_GROUP_ROWS,
    RelationWriter,
    StoredGraph,
    _close,
    _connect,
    _documents,
    _q,
    _sql_list,
    actor_views,
    copy_to,
    fact_view,
    fold_people,
    graph_of,
    nodes_of,
    relation_view,
    write_derived,
)

__all__ = ["Call", "derive_on_workers"]

#: One task: a function and its arguments (module-level, so that it pickles to a worker).
Call = tuple[Callable[..., Any], tuple[Any, ...]]

#: DuckDB's memory for one task; it spills to the task's folder above it.
_TASK_MEMORY = "1GB"

# The columns a bucket of facts keeps for the edge step (write_derived reads no others).
_FACT_COLUMNS = (
    "s, o, key, who, moved, ord, relation, negated, modality, plover, cameo, quad_class, "
    "goldstein, confidence, date, date_source, doc_id, extractor, model, relation_id, rule, "
    "sentence, span_start, span_end"
)


def _bucket_files(root: Path, bucket: int) -> list[Path]:
    """The files of ``bucket`` among the splits under ``root`` (one folder per split task)."""
    return sorted(root.glob(f"*/b={bucket}/*.parquet"))


def _split(sql: str, con: Any, dest: Path) -> None:
    """Write ``sql``'s rows (with a bucket column ``b``) into ``dest/b=N/`` files."""
    con.execute(
        f"COPY ({sql}) TO {_q(dest)} (FORMAT parquet, PARTITION_BY (b), COMPRESSION snappy, "
        "OVERWRITE_OR_IGNORE)"
    )


def split_by_relation(part: str, dest: str, buckets: int) -> None:
    """Step 1: one partition's rows into ``buckets`` files by a hash of the relation id."""
    work = Path(dest).with_name(Path(dest).name + ".tmp")
    work.mkdir(parents=True, exist_ok=True)
    con = _connect(work, _TASK_MEMORY)
    try:
        sql = (
            f"SELECT *, ('0x' || left(md5(relation_id), 8))::BIGINT % {buckets} AS b FROM "
            f"read_parquet({_sql_list([Path(part)])}, hive_partitioning = false)"
        )
        _split(sql, con, Path(dest))
    finally:
        _close(con, work)
        shutil.rmtree(work, ignore_errors=True)


def _bucket_rows(root: str, bucket: int, empty: str) -> list[Path]:
    return _bucket_files(Path(root), bucket) or [Path(empty)]


def actor_parts(root: str, bucket: int, empty: str, dest: str) -> None:
    """Step 2: a relation bucket's actor records (``dest/actors.parquet``) and actors'
    documents (``dest/actor-docs.parquet``), its rows deduplicated by relation id."""
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    con = _connect(out, _TASK_MEMORY)
    try:
        relation_view(con, _bucket_rows(root, bucket, empty))
        actor_views(con)
        for view, name in (("actor_parts", "actors.parquet"), ("actor_docs", "actor-docs.parquet")):
            copy_to(con, f"SELECT * FROM {view}", out / name)
    finally:
        _close(con, out)


def split_by_edge(
    root: str, bucket: int, empty: str, mapping: Sequence[tuple[str, str]], dest: str, buckets: int
) -> None:
    """Step 4: a relation bucket's rows, deduplicated, relabelled by ``mapping`` (lone surname
    to full name) and keyed by edge id, into ``buckets`` files by ranges of the edge id."""
    work = Path(dest).with_name(Path(dest).name + ".tmp")
    work.mkdir(parents=True, exist_ok=True)
    con = _connect(work, _TASK_MEMORY)
    try:
        relation_view(con, _bucket_rows(root, bucket, empty))
        fact_view(con, dict(mapping))
        # ranges of the ids' first 32 bits: bucket order is id order
        b = f"((('0x' || substr(key, 3, 8))::BIGINT * {buckets}) >> 32)"
        _split(f"SELECT {_FACT_COLUMNS}, {b} AS b FROM facts", con, Path(dest))
    finally:
        _close(con, work)
        shutil.rmtree(work, ignore_errors=True)


def edge_parts(root: str, bucket: int, empty: str, dest: str) -> bool:
    """Step 5: an edge bucket's provenance in both orders and its edges, into ``dest``; False
    (and nothing written) when the bucket has no facts."""
    files = _bucket_files(Path(root), bucket)
    if not files:
        return False
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    con = _connect(out, _TASK_MEMORY)
    try:
        con.execute(
            f"CREATE TEMP VIEW facts AS SELECT * FROM read_parquet({_sql_list(files)}, "
            "hive_partitioning = false)"
        )
        write_derived(con, out / PROVENANCE_FILE, out / PROVENANCE_BY_EDGE_FILE, out / EDGES_FILE)
    finally:
        _close(con, out)
    return True


def join_parts(parts: Sequence[str], dest: str, order: str | None, row_group: int) -> None:
    """Step 6: one file of the buckets' ``parts``: concatenated in the given order
    (``order`` None: the buckets are ranges of the file's order) or merged by ``order``."""
    target = Path(dest)
    work = target.with_name(target.name + ".tmp")
    work.mkdir(parents=True, exist_ok=True)
    con = _connect(work, _TASK_MEMORY)
    try:
        if order is None:  # the scan keeps the files' order, and each file's
            con.execute("SET preserve_insertion_order = true")
        sorted_by = "" if order is None else f" ORDER BY {order}"
        files = _sql_list([Path(p) for p in parts])
        copy_to(con, f"SELECT * FROM read_parquet({files}){sorted_by}", target, row_group=row_group)
    finally:
        _close(con, work)
        shutil.rmtree(work, ignore_errors=True)


def derive_on_workers(
    run: Callable[[Sequence[Call]], list[Any]],
    relations: Sequence[Path],
    documents: Sequence[Path],
    work: Path,
    buckets: int,
    *,
    alongside: Sequence[Call] = (),
) -> tuple[StoredGraph, list[Any]]:
    """The graph of the facts in the partitions ``relations`` (with their ``documents``), as
    :func:`geokg.tables.stored_graph` derives it into ``work``, the group-bys run as tasks by
    ``run`` (which runs its calls, side by side where it can, and returns their results in
    order) over ``buckets`` buckets of facts; scratch files go to ``work/shuffle``. The calls
    ``alongside`` run beside the first step's; their results come back with the graph."""
    if buckets < 1:
        raise ValueError(f"buckets must be at least 1, got {buckets}")
    scratch = work / "shuffle"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    empty = str(scratch / "empty.parquet")
    RelationWriter(empty, documents=scratch / "empty-documents.parquet").close()
    by_relation, by_edge, parts = scratch / "by-relation", scratch / "by-edge", scratch / "parts"

    splits: list[Call] = [
        (split_by_relation, (str(p), str(by_relation / f"p{i}"), buckets))
        for i, p in enumerate(relations)
    ]
    besides = run([*alongside, *splits])[: len(alongside)]
    run(
        [
            (actor_parts, (str(by_relation), r, empty, str(parts / f"actors-{r}")))
            for r in range(buckets)
        ]
    )
    con = _connect(scratch, _TASK_MEMORY)
    try:
        for view, name in (("actor_parts", "actors.parquet"), ("actor_docs", "actor-docs.parquet")):
            files = [parts / f"actors-{r}" / name for r in range(buckets)]
            con.execute(
                f"CREATE TEMP VIEW {view} AS SELECT * FROM read_parquet({_sql_list(files)})"
            )
        interned: dict[str, str] = {}
        g = nodes_of(con, interned)
        mapping = sorted(fold_people(g).items())
        metadata = _documents(con, list(documents), interned)
    finally:
        _close(con, scratch)
    run(
        [
            (split_by_edge, (str(by_relation), r, empty, mapping, str(by_edge / f"r{r}"), buckets))
            for r in range(buckets)
        ]
    )
    found = run(
        [(edge_parts, (str(by_edge), k, empty, str(parts / f"edges-{k}"))) for k in range(buckets)]
    )
    kept = [parts / f"edges-{k}" for k, ok in enumerate(found) if ok]
    if not kept:  # no fact at all: the files of an empty derivation
        run([(edge_parts_of_nothing, (empty, str(parts / "edges-none")))])
        kept = [parts / "edges-none"]
    run(
        [
            (
                join_parts,
                (
                    [str(k / PROVENANCE_FILE) for k in kept],
                    str(work / PROVENANCE_FILE),
                    None,
                    ROW_GROUP_ROWS,
                ),
            ),
            (
                join_parts,
                (
                    [str(k / PROVENANCE_BY_EDGE_FILE) for k in kept],
                    str(work / PROVENANCE_BY_EDGE_FILE),
                    f"s, o, key, {PROVENANCE_ORDER}",
                    ROW_GROUP_ROWS,
                ),
            ),
            (
                join_parts,
                ([str(k / EDGES_FILE) for k in kept], str(work / EDGES_FILE), "s, o, key", 1 << 17),
            ),
        ]
    )
    shutil.rmtree(scratch, ignore_errors=True)
    return graph_of(g, work, metadata, interned), besides


def edge_parts_of_nothing(empty: str, dest: str) -> None:
    """The edge step's files for no facts at all (their columns, no row)."""
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    con = _connect(out, _TASK_MEMORY)
    try:
        relation_view(con, [Path(empty)])
        fact_view(con, {})
        write_derived(con, out / PROVENANCE_FILE, out / PROVENANCE_BY_EDGE_FILE, out / EDGES_FILE)
    finally:
        _close(con, out)
