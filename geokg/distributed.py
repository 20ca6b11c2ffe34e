"""Distributed builds on Dask (``geokg build --dask SCHEDULER_ADDRESS`` or ``--dask local``),
and the same partitioned build on a plain local process pool (``geokg build --process-pool``,
:func:`build_process_pool`: no Dask in it).

The client never reads the articles. It plans: it walks the inputs (files, folders, globs) and
cuts them into shards of about ``partition_size`` documents, a JSONL file into ranges of lines
(:mod:`geokg.ingest._shards`). Each shard is read twice by a worker: first a *probe*, which
cleans its documents on their own and sends back only their ids and 8-byte paragraph keys; then,
once the client has replayed the probes of every shard before it (which ids are taken, which
paragraphs were seen: a sequential read drops a paragraph an earlier article had), the *read*
proper, which yields exactly the documents a single-process build gives for that part of the
input. The worker loads the spaCy pipeline once per process (:func:`geokg.nlp.load_model` is
cached), extracts and resolves the shard's relations and writes three files into
``OUT/.geokg-parts``: the shard's ``triples.jsonl`` rows and its facts and documents as Parquet
(:class:`geokg.tables.RelationWriter`, numbered so that the rows keep the order of a sequential
build). The merge runs on the workers too: the graph is derived by a shuffle of the facts
(:func:`geokg._shuffle.derive_on_workers`), split into one bucket a worker by relation id, then
by ranges of the edge id, each bucket's group-by a task, the buckets' files joined by tasks;
beside its first step, one task joins the partitions' rows into ``triples.jsonl`` (in shard
order, the first row of an id kept) and one combines their tables. The client merges only the
actors' records (one row per distinct actor record) and folds lone surnames, then reads the
derived edges into the graph (:class:`geokg.tables.StoredGraph`, provenance left on disk). The
exports are tasks on the workers as well: the exporters and
``graph.geokg.json`` shared out into at most one task a worker by their measured costs
(:data:`_EXPORT_COST`), the longest first; each task reads the derived graph back from the
tables once (:func:`geokg.tables.open_stored_graph`, no second derivation) and writes its files
into ``OUT``, so they run side by side and the client writes none. The shards' skips and
warnings go into ``report.json`` in the order of a sequential read. The result equals
``geokg.pipeline.build`` on the same input (``tests/test_distributed.py`` compares the two,
their tables row for row included).

Only a bounded number of extraction tasks is in flight at a time, so the client's memory does
not grow with the corpus (apart from the graph's actors and edges, without provenance, the
document ids and the paragraph keys); it holds no fact, row or relation id.

Running on a real cluster:

* every worker needs ``pip install 'geokg[dask]'`` (the same version as the client) and the spaCy
  pipeline, either installed as a package (``en_core_web_sm``) or at the same path on every
  machine (pass ``--model /shared/models/...``);
* ``OUT`` must be on storage that the workers and the client share (NFS, a mounted bucket), since
  the workers write the per-partition files there, the client reads them back and derives the
  graph's tables there, and the workers read those to write the exports;
* the inputs must be at the same paths on every worker (shared storage), since each worker
  reads its own shards; the client only lists them (and counts a JSONL file's lines).

>>> partition_documents([], size=2)
[]
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import functools
import importlib
import json
import multiprocessing
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from geokg._io import atomic_open, atomic_write
from geokg._seen import SeenIds
from geokg._shuffle import Call, derive_on_workers
from geokg.checkpoint import triples_line
from geokg.errors import ConfigError
from geokg.exports.neo4j import (
    ARRAY_DELIMITERS,
    RelTypeRule,
    join_neo4j_parts,
    neo4j_part,
    neo4j_parts_delimiter,
)
from geokg.exports.rdf import nquads_part
from geokg.extractors import DEFAULT_EXTRACTOR
from geokg.gazetteer import Gazetteer
from geokg.graph.assemble import save_graph
from geokg.graph.policy import doc_record
from geokg.ingest import IngestOptions, IngestReport
from geokg.ingest._shards import (
    Plan,
    Replay,
    Seed,
    Shard,
    ShardRead,
    merge_reports,
    plan_shards,
    probe_shard,
    read_shard,
)
from geokg.model import Document, key_ranges
from geokg.nlp import find_model, load_model, model_label
from geokg.options import BuildOptions, BuildResult
from geokg.parse import UNUSED_COMPONENTS, extract_documents
from geokg.report import (
    COUNT_KEYS,
    GRAPH_FILE,
    TABLES_DIR,
    announce,
    confidence_part,
    export_options_of,
    exporter_options,
    previous_outputs,
    replace_tables,
    report_core,
    sayer,
    stale_files,
    write_exports,
    writing_into,
)
from geokg.tables import (
    PART_SHIFT,
    RelationWriter,
    StoredGraph,
    combine_tables,
    open_edge_range,
    open_stored_graph,
)

__all__ = [
    "PARTS_DIR",
    "PartResult",
    "build_distributed",
    "build_process_pool",
    "partition_documents",
    "run_partition",
]

PARTS_DIR = ".geokg-parts"


@dataclass(frozen=True, slots=True, kw_only=True)
class PartResult:
    """What one partition task wrote.

    Attributes:
        index: Partition number (its position in the document stream).
        rows_path: The partition's ``triples.jsonl`` rows (document order).
        relations_path: The partition's facts (``relations.parquet`` rows, :mod:`geokg.tables`).
        documents_path: Its documents' metadata (``documents.parquet`` rows).
        counts: Document, sentence, word and relation counts.
        model: The pipeline's ``lang_name-version``.
        seconds: Time the task took on its worker.
        read: The shard's skips, warnings and ingest counts (a shard read by its worker).
    """

    index: int
    rows_path: str
    relations_path: str
    documents_path: str
    counts: tuple[tuple[str, int], ...]
    model: str
    seconds: float
    read: ShardRead | None = None


def partition_documents(documents: Iterable[Document], *, size: int) -> list[list[Document]]:
    """Cut ``documents`` into consecutive lists of ``size`` (the last may be shorter).

    >>> docs = [Document(id=str(i), text="x") for i in range(5)]
    >>> [[d.id for d in part] for part in partition_documents(docs, size=2)]
    [['0', '1'], ['2', '3'], ['4']]
    """
    return list(_partitions(documents, size))


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    if size < 1:
        raise ConfigError(
            f"partition size must be at least 1, got {size}; pass e.g. partition_size=64"
        )
    part: list[Document] = []
    for doc in documents:
        part.append(doc)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def run_partition(
    index: int,
    documents: Sequence[Document],
    parts_dir: str,
    *,
    model: str | None = None,
    batch_size: int = 64,
    max_sentence_chars: int = 2_000,
    extractor: str = DEFAULT_EXTRACTOR,
) -> PartResult:
    """Extract one partition and write its rows and graph (runs on a Dask worker).

    The pipeline is loaded once per worker process and reused by later partitions.

    Args:
        index: Partition number; names the output files.
        documents: The partition's documents, in stream order.
        parts_dir: Folder for the per-partition files (shared with the client).
        model: spaCy pipeline name or path.
        batch_size: Paragraphs per ``nlp.pipe`` batch.
        max_sentence_chars: Longest sentence parsed.
        extractor: Registered relation extractor.
    """
    return _extract_part(
        index,
        documents,
        parts_dir,
        model=model,
        batch_size=batch_size,
        max_sentence_chars=max_sentence_chars,
        extractor=extractor,
    )


def run_shard(
    shard: Shard,
    seed: Seed,
    parts_dir: str,
    *,
    ingest: IngestOptions,
    model: str | None = None,
    batch_size: int = 64,
    extractor: str = DEFAULT_EXTRACTOR,
) -> PartResult:
    """Read one shard of the inputs (seeded by the client's :class:`Replay`), extract it and
    write its rows and graph (runs on a worker, which reads the shard's files itself)."""
    read = ShardRead()
    part = _extract_part(
        shard.index,
        read_shard(shard, seed, ingest, read),
        parts_dir,
        model=model,
        batch_size=batch_size,
        max_sentence_chars=ingest.max_sentence_chars,
        extractor=extractor,
    )
    return dataclasses.replace(part, read=read)


def _extract_part(
    index: int,
    documents: Iterable[Document],
    parts_dir: str,
    *,
    model: str | None,
    batch_size: int,
    max_sentence_chars: int,
    extractor: str,
) -> PartResult:
    t0 = time.perf_counter()
    nlp = load_model(model, exclude=UNUSED_COMPONENTS)
    gaz = Gazetteer.default()
    counts: Counter[str] = Counter()
    out = Path(parts_dir)
    rows_path = out / f"part-{index:06d}.jsonl"
    relations_path = out / f"part-{index:06d}.relations.parquet"
    documents_path = out / f"part-{index:06d}.documents.parquet"
    writer = RelationWriter(relations_path, documents=documents_path, first_doc=index << PART_SHIFT)
    with atomic_open(rows_path) as fh, writer:
        for k, result in enumerate(
            extract_documents(
                documents,
                nlp,
                batch_size=batch_size,
                max_sentence_chars=max_sentence_chars,
                extractor=extractor,
            )
        ):
            rec = doc_record(k, result.doc, result, gaz)
            counts.update(rec.counts)
            writer.add_record(rec)
            for row in rec.rows:
                fh.write(triples_line(row) + "\n")
    return PartResult(
        index=index,
        rows_path=str(rows_path),
        relations_path=str(relations_path),
        documents_path=str(documents_path),
        counts=tuple(sorted((k, int(v)) for k, v in counts.items())),
        model=model_label(nlp),
        seconds=round(time.perf_counter() - t0, 3),
    )


def _dask() -> Any:
    """The ``distributed`` module (an optional dependency: the ``dask`` extra)."""
    try:
        return importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "distributed mode needs Dask: pip install 'geokg[dask]' (dask[distributed])"
        ) from exc


def _client(scheduler: str, n_workers: int) -> tuple[Any, Any]:
    dd = _dask()
    if scheduler == "local":
        cluster = dd.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        return dd.Client(cluster), cluster
    if scheduler == "processes":
        raise ConfigError(
            "--dask processes was a plain process pool with no Dask in it; use --process-pool "
            "(geokg.distributed.build_process_pool)"
        )
    if not scheduler or ("://" not in scheduler and ":" not in scheduler):
        raise ConfigError(
            f"--dask {scheduler!r} is not a scheduler address; pass e.g. tcp://10.0.0.5:8786, "
            "or 'local' for a LocalCluster on this machine"
        )
    return dd.Client(scheduler), None


def build_distributed(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    scheduler: str = "local",
    options: BuildOptions | None = None,
    n_workers: int = 2,
    partition_size: int = 64,
    max_in_flight: int | None = None,
    keep_parts: bool = False,
    echo: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build like :func:`geokg.pipeline.build`, with the extraction spread over Dask workers.

    Args:
        inputs: Files, folders or globs (read by the client).
        out_dir: Output folder; must be shared with the workers on a real cluster.
        scheduler: ``"local"`` (a Dask LocalCluster of ``n_workers`` processes) or a scheduler
            address such as ``tcp://10.0.0.5:8786`` (:func:`build_process_pool` runs the same
            partitions on a local process pool, without Dask).
        options: Build options (``processes`` is ignored: parallelism comes from the workers).
        n_workers: Worker processes of the LocalCluster (not for a remote scheduler).
        partition_size: Documents per task.
        max_in_flight: Tasks submitted but not yet merged (default: twice the workers).
        keep_parts: Keep ``OUT/.geokg-parts`` (for debugging) instead of deleting it.
        echo: Where warnings go (default: standard error).

    Raises:
        ConfigError: bad scheduler address or partition size, or Dask is not installed.
    """
    if scheduler == "processes":
        _client(scheduler, n_workers)  # the one-line ConfigError that names --process-pool
    return _partitioned_build(
        inputs,
        out_dir,
        runner=scheduler,
        options=options,
        n_workers=n_workers,
        partition_size=partition_size,
        max_in_flight=max_in_flight,
        keep_parts=keep_parts,
        echo=echo,
    )


def build_process_pool(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    options: BuildOptions | None = None,
    n_workers: int = 2,
    partition_size: int = 64,
    max_in_flight: int | None = None,
    keep_parts: bool = False,
    echo: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build like :func:`build_distributed`, on a local pool of ``n_workers`` spawned processes
    (no Dask): each worker parses and extracts whole partitions, so the extraction leaves the
    main process too (spaCy's ``n_process``, ``--processes N``, parallelises the parse only).
    ``report.json`` says ``process_pool`` where a Dask build says ``dask``.

    Args and raises: as :func:`build_distributed`, without a scheduler.
    """
    return _partitioned_build(
        inputs,
        out_dir,
        runner=_POOL,
        options=options,
        n_workers=n_workers,
        partition_size=partition_size,
        max_in_flight=max_in_flight,
        keep_parts=keep_parts,
        echo=echo,
    )


_POOL = "process-pool"


def _partitioned_build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    runner: str,
    options: BuildOptions | None,
    n_workers: int,
    partition_size: int,
    max_in_flight: int | None,
    keep_parts: bool,
    echo: Callable[[str], None] | None,
) -> BuildResult:
    options = options or BuildOptions()
    out = Path(out_dir)
    say = sayer(echo)
    with writing_into(out, say, resumable=lambda: False):
        return _build_locked(
            inputs,
            out,
            scheduler=runner,
            options=options,
            n_workers=n_workers,
            partition_size=partition_size,
            max_in_flight=max_in_flight,
            keep_parts=keep_parts,
            say=say,
        )


def _build_locked(
    inputs: Sequence[str | Path],
    out: Path,
    *,
    scheduler: str,
    options: BuildOptions,
    n_workers: int,
    partition_size: int,
    max_in_flight: int | None,
    keep_parts: bool,
    say: Callable[[str], None],
) -> BuildResult:
    parts_dir = out / PARTS_DIR
    shutil.rmtree(parts_dir, ignore_errors=True)
    parts_dir.mkdir(parents=True)
    model = options.model or find_model(None)
    t0 = time.perf_counter()
    plan = plan_shards(inputs, size=partition_size, options=options.ingest, exclude=out)
    results: dict[int, PartResult] = {}
    task = functools.partial(
        run_shard,
        parts_dir=str(parts_dir),
        ingest=options.ingest,
        model=model,
        batch_size=options.batch_size,
        extractor=options.extractor,
    )
    probe = functools.partial(probe_shard, options=options.ingest)
    executor = (
        _pool_executor(n_workers) if scheduler == _POOL else _dask_executor(scheduler, n_workers)
    )
    with executor as (futures, in_flight, workers):
        _drive(futures, probe, task, plan, max_in_flight or in_flight, results)
        ingest_report = IngestReport()
        merge_reports(plan, [r.read for _, r in sorted(results.items()) if r.read], ingest_report)
        t_extract = time.perf_counter()
        tables = parts_dir / TABLES_DIR
        buckets = max(1, workers())  # a bucket of facts a worker, for the shuffle's group-bys
        g, counts = _merge(futures, results, parts_dir / "triples.jsonl", tables, buckets)
        # Everything is merged: from here on the outputs are replaced (no report.json meanwhile).
        previous = previous_outputs(out)
        (out / "report.json").unlink(missing_ok=True)
        announce(ingest_report.skipped, ingest_report.warnings, say)
        _, held = confidence_part(g, options)
        workers_seen = workers()
        exported = _export_on_workers(futures, tables, out, options, workers_seen)
    (parts_dir / "triples.jsonl").replace(out / "triples.jsonl")
    table_files = replace_tables(tables, out / TABLES_DIR)
    if not keep_parts:
        shutil.rmtree(parts_dir, ignore_errors=True)
    files = [out / "triples.jsonl", out / GRAPH_FILE, *exported, *table_files]
    t_end = time.perf_counter()
    labels = sorted({r.model for r in results.values()})
    if not labels:
        labels = [model_label(load_model(model, exclude=UNUSED_COMPONENTS))]
    report = report_core(
        model=labels[0] if len(labels) == 1 else labels,
        ingest_report=ingest_report,
        skipped=ingest_report.skipped,
        counts=counts,
        graph=g,
    )
    report.update(
        {
            "extractor": options.extractor,
            "export_options": export_options_of(options),
            "confidence": held,
            "timings_s": {
                "extract_and_graph": round(t_extract - t0, 3),
                "merge_and_exports": round(t_end - t_extract, 3),
                "total": round(t_end - t0, 3),
            },
            ("process_pool" if scheduler == _POOL else "dask"): {
                **({} if scheduler == _POOL else {"scheduler": _scheduler_kind(scheduler)}),
                "workers": workers_seen,
                "buckets": buckets,
                "partitions": len(results),
                "partition_size": partition_size,
            },
            "files": sorted(str(p.relative_to(out)) for p in files),
            "stale_files": stale_files(out, previous, files, say),
        }
    )
    atomic_write(
        out / "report.json", json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    files.append(out / "report.json")
    return BuildResult(graph=g, report=report, out_dir=out, files=files)


def _scheduler_kind(scheduler: str) -> str:
    return "local" if scheduler == "local" else "remote"


class _Futures:
    """The few calls the shard driver makes of an executor: a local process pool or a Dask
    client (both give futures with ``result()``)."""

    def __init__(self, submit: Callable[..., Any], wait_any: Callable[[set[Any]], set[Any]]):
        self.submit = submit
        self.wait_any = wait_any


def _drive(
    futures: _Futures,
    probe: Callable[[Shard], list[Any]],
    task: Callable[[Shard, Seed], PartResult],
    plan: Plan,
    limit: int,
    results: dict[int, PartResult],
) -> None:
    """Probe the shards, seed each in order as its probe and those before it are back, and run
    the seeded reads; at most ``limit`` tasks in flight (probes run ahead of the reads)."""
    shards = plan.shards
    replay = Replay()
    probing: dict[Any, int] = {}
    extracting: set[Any] = set()
    probed: dict[int, list[Any]] = {}
    next_probe = next_seed = 0
    while next_seed < len(shards) or extracting:
        while (
            next_probe < len(shards)
            and len(probing) + len(extracting) < limit
            and next_probe - next_seed < limit
        ):
            probing[futures.submit(probe, shards[next_probe])] = next_probe
            next_probe += 1
        while next_seed in probed:
            seed = replay.seed(probed.pop(next_seed))
            extracting.add(futures.submit(task, shards[next_seed], seed))
            next_seed += 1
        pending = set(probing) | extracting
        if not pending:
            continue
        for fut in futures.wait_any(pending):
            if fut in probing:
                probed[probing.pop(fut)] = fut.result()
            else:
                extracting.discard(fut)
                res = fut.result()
                results[res.index] = res
            if hasattr(fut, "release"):
                fut.release()


@contextlib.contextmanager
def _pool_executor(n_workers: int) -> Iterator[tuple[_Futures, int, Callable[[], int]]]:
    """A local process pool (fresh ``spawn`` processes, no Dask): its futures, its default
    number of tasks in flight, and how many workers it has."""
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:

        def wait_any(pending: set[Any]) -> set[Any]:
            return cf.wait(pending, return_when=cf.FIRST_COMPLETED).done

        yield _Futures(pool.submit, wait_any), 2 * n_workers, lambda: n_workers


@contextlib.contextmanager
def _dask_executor(
    scheduler: str, n_workers: int
) -> Iterator[tuple[_Futures, int, Callable[[], int]]]:
    """A Dask client (a LocalCluster of its own for ``"local"``): as :func:`_pool_executor`."""
    dd = _dask()
    client, cluster = _client(scheduler, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)

        def submit(fn: Callable[..., Any], *args: Any) -> Any:
            return client.submit(fn, *args, pure=False)

        def wait_any(pending: set[Any]) -> set[Any]:
            return set(dd.wait(list(pending), return_when="FIRST_COMPLETED").done)

        def seen() -> int:
            return len(client.scheduler_info().get("workers", {}))

        yield _Futures(submit, wait_any), 2 * workers, seen
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _export_part(
    tables: str, out_dir: str, names: list[str], options: BuildOptions
) -> list[tuple[str, list[str]]]:
    """One export task: the graph read back from ``tables`` once (:func:`open_stored_graph`),
    written by each exporter of ``names`` in turn into ``out_dir`` (``graph.geokg.json`` for
    the name :data:`_GRAPH_TASK`; the others take the graph less its edges below
    ``--min-confidence``). A part of an export cut into parts (:func:`_part_name`) is written
    beside its files, to be joined; a task of edge parts alone reads only their edges
    (:func:`geokg.tables.open_edge_range`). Each name with the files it wrote."""
    whole = any(_needs_graph(n) for n in names)
    g = open_stored_graph(tables) if whole else None
    done: list[tuple[str, list[str]]] = []
    shown: Any = None
    for name in names:
        if name == _GRAPH_TASK:
            save_graph(g, Path(out_dir) / GRAPH_FILE)
            done.append((name, [str(Path(out_dir) / GRAPH_FILE)]))
            continue
        if shown is None and g is not None:
            shown, _ = confidence_part(g, options)
        cut = _part_of(name)
        if cut is not None:
            export, part, of = cut
            path = _write_cut_part(tables, shown, Path(out_dir), export, part, of, options)
            done.append((name, [str(path)]))
            continue
        files = write_exports(shown, Path(out_dir), [name], options=exporter_options(options))
        done.append((name, [str(f) for f in files]))
    return done


def _write_cut_part(
    tables: str,
    shown: Any,
    out: Path,
    export: str,
    part: int,
    of: int,
    options: BuildOptions,
    array_delimiter: str = ARRAY_DELIMITERS[0],
) -> Path:
    """Write part ``part`` of ``of`` of ``export`` (:data:`_CUTS`) beside its files in
    ``out``; its path. ``shown``: the graph less its held-back edges, for part 0 (an edge
    part reads its range's edges from ``tables`` alone). ``array_delimiter``: Neo4j's."""
    source = shown
    if part > 0:  # the edges of one range: not the graph
        first, end = key_ranges(of - 1)[part - 1]
        source, _ = confidence_part(open_edge_range(tables, first, end), options)
    path = _part_path(out, export, part)
    if export == _NQUADS:
        atomic_write(path, nquads_part(source, part, of), newline="\n")
    else:
        shutil.rmtree(path, ignore_errors=True)  # a run that failed part way
        rel_type = cast(RelTypeRule, options.neo4j_rel_type)  # checked by BuildOptions
        neo4j_part(source, part, of, path, array_delimiter=array_delimiter, rel_type=rel_type)
    return path


def _neo4j_part_again(
    tables: str, out_dir: str, part: int, of: int, options: BuildOptions, delimiter: str
) -> str:
    """Write part ``part`` of ``of`` of the Neo4j files again with the array delimiter
    ``delimiter`` (a task; only where an array item holds the first one)."""
    shown = None
    if part == 0:
        shown, _ = confidence_part(open_stored_graph(tables), options)
    out = Path(out_dir)
    return str(_write_cut_part(tables, shown, out, _NEO4J, part, of, options, delimiter))


def join_neo4j(folders: Sequence[str], out_dir: str) -> list[str]:
    """``out_dir/neo4j/``: the parts in ``folders`` joined (:func:`join_neo4j_parts`), the
    parts removed (a task); the files written."""
    files = join_neo4j_parts(folders, out_dir, move=True)
    for folder in folders:
        shutil.rmtree(folder)
    return [str(f) for f in files]


#: The exports a build may write in parts, and the share of each one's cost in its first part
#: (everything but the edges), measured at 100,000 synthetic relations: N-Quads (the triples
#: before the events, reading every edge's provenance for the documents' ids) 4.0 of 10.1 CPU
#: s; Neo4j (the actors, the articles, and every edge's provenance read for their ids) 3.3 of
#: 19.9 CPU s (``join_neo4j`` took 0.5 more). The edges' ranges share the rest.
_CUTS: dict[str, float] = {"nquads": 0.4, "neo4j": 0.17}
_NQUADS = "nquads"
_NQUADS_FILE = "graph.nq"
_NEO4J = "neo4j"


def _part_name(export: str, part: int, parts: int) -> str:
    """The export task name of part ``part`` of ``parts`` of ``export``."""
    return f"<{export} {part}/{parts}>"


def _part_of(name: str) -> tuple[str, int, int] | None:
    """The export, the part and the number of parts of a part's task name (None for any
    other name)."""
    if not name.startswith("<") or " " not in name:
        return None
    export, fraction = name[1:-1].split(" ")
    part, parts = fraction.split("/")
    return export, int(part), int(parts)


def _needs_graph(name: str) -> bool:
    """Whether the export task ``name`` reads the whole graph back: all but the edges' parts
    of a cut export, which read their range's edges alone."""
    cut = _part_of(name)
    return cut is None or cut[1] == 0


def _part_path(out: Path, export: str, part: int) -> Path:
    """Where part ``part`` of ``export`` is written: a file for N-Quads, a folder for
    Neo4j."""
    name = _NQUADS_FILE if export == _NQUADS else _NEO4J
    return out / f".{name}.part-{part:06d}"


def join_text(parts: Sequence[str], dest: str) -> None:
    """``dest``: the text files ``parts`` joined in order (written atomically), the parts
    removed (a task)."""

    def chunks() -> Iterator[str]:
        for part in parts:
            with Path(part).open(encoding="utf-8", newline="") as fh:
                while chunk := fh.read(1 << 20):
                    yield chunk

    atomic_write(dest, chunks(), newline="")
    for part in parts:
        Path(part).unlink()


#: The export task that writes ``graph.geokg.json`` (:func:`geokg.graph.io.save_graph`).
_GRAPH_TASK = "<graph>"

#: Each export's cost, in CPU seconds at 100,000 synthetic relations (84,685 edges, 35,478
#: actors; ``bench/exports_parallel.py``): only their proportions matter, as they share the
#: exports out among the workers. Reading the graph back, once a task, took 2.8.
_EXPORT_COST = {
    "gexf": 16.8,
    "jsonld": 16.5,
    "graphml": 15.9,
    "neo4j": 12.7,
    "turtle": 9.8,
    "trig": 9.6,
    "nquads": 7.9,
    _GRAPH_TASK: 5.3,
    "node-link": 5.0,
    "spreadsheet": 4.1,
    "html": 2.1,
}


def _export_groups(names: Sequence[str], workers: int) -> list[list[str]]:
    """The exports shared out into at most ``workers`` tasks, each of which reads the graph
    once: the longest export first, each into the task with the least work so far (ties: the
    first such task); the tasks, the longest first. An unknown exporter counts as the
    costliest known one."""
    cost = {n: _cost(n) for n in names}
    ordered = sorted(names, key=lambda n: -cost[n])  # stable: ties keep the given order
    groups: list[list[str]] = [[] for _ in range(max(1, min(workers, len(ordered))))]
    loads = [0.0] * len(groups)
    for name in ordered:
        k = min(range(len(groups)), key=lambda i: (loads[i], i))
        groups[k].append(name)
        loads[k] += cost[name]
    return sorted(groups, key=lambda g: -sum(cost[n] for n in g))


def _export_on_workers(
    futures: _Futures, tables: Path, out: Path, options: BuildOptions, workers: int
) -> list[Path]:
    """Write every export on the workers, shared out into at most ``workers`` tasks
    (:func:`_export_groups`), each reading the graph back from ``tables`` (shared storage)
    once; the files in exporter order."""
    from geokg.exports import EXPORTERS

    names = list(options.exports or EXPORTERS.names())
    tasks = [_GRAPH_TASK, *names]
    cuts = _cut_parts(tasks, workers)
    groups = _export_groups(_with_parts(tasks, cuts), workers)
    written: dict[str, list[str]] = {}
    calls: list[Call] = [(_export_part, (str(tables), str(out), g, options)) for g in groups]
    for done in _run_all(futures, calls):
        written.update(done)
    joins: list[tuple[str, Call]] = []
    if _NQUADS in cuts:
        n = cuts[_NQUADS]
        pieces = [f for i in range(n) for f in written.pop(_part_name(_NQUADS, i, n))]
        joins.append((_NQUADS, (join_text, (pieces, str(out / _NQUADS_FILE)))))
        written[_NQUADS] = [str(out / _NQUADS_FILE)]
    if _NEO4J in cuts:
        n = cuts[_NEO4J]
        folders = [written.pop(_part_name(_NEO4J, i, n))[0] for i in range(n)]
        delimiter = neo4j_parts_delimiter(folders)
        if delimiter != ARRAY_DELIMITERS[0]:  # rare: an array item holds ';'
            again = (str(tables), str(out))
            _run_all(
                futures,
                [(_neo4j_part_again, (*again, i, n, options, delimiter)) for i in range(n)],
            )
        joins.append((_NEO4J, (join_neo4j, (folders, str(out)))))
    for (export, _), files in zip(joins, _run_all(futures, [c for _, c in joins]), strict=True):
        if files is not None:
            written[export] = files
    return [Path(f) for n in names for f in written[n]]


#: Reading the graph back (a task that writes anything but edges' parts) and reading one
#: range's edges alone, in CPU seconds at 100,000 synthetic relations (2.6 and 0.9 measured).
_READ_COST = 2.8
_RANGE_READ_COST = 0.9

#: An export is cut into parts only where that is predicted to shorten the exports by a fifth:
#: at 100,000 relations on 2 workers, N-Quads and the graph file took 10.5 s cut in 3 parts
#: and 9.9 s with N-Quads in one task (docs/PERFORMANCE-nquads-parts.md), where the model
#: predicted less than a fifth; Neo4j and the graph file took 14.4 s cut in 3 parts and 15.8 s
#: in one task (docs/PERFORMANCE-neo4j-parts.md), where it predicted a quarter.
_CUT_GAIN = 0.8


def _makespan(tasks: Sequence[str], workers: int) -> float:
    """The predicted time of ``tasks`` shared out among ``workers`` (:func:`_export_groups`):
    the costliest task's exports and its read."""
    return max(
        sum(_cost(n) for n in g)
        + (_READ_COST if any(_needs_graph(n) for n in g) else _RANGE_READ_COST)
        for g in _export_groups(tasks, workers)
    )


def _cut_parts(tasks: Sequence[str], workers: int) -> dict[str, int]:
    """The exports of ``tasks`` to write in parts (:data:`_CUTS`), each with its number of
    parts: none (one task writes the files) unless cutting its edges into one range a
    worker, after a first part, is predicted to shorten the export tasks by at least a fifth
    (:data:`_CUT_GAIN`): where that export alone holds the others up. The costliest export is
    tried first, each against the tasks cut so far."""
    cuts: dict[str, int] = {}
    if workers < 2:
        return cuts
    for export in sorted((e for e in _CUTS if e in tasks), key=lambda e: -_cost(e)):
        now = _makespan(_with_parts(tasks, cuts), workers)
        if _makespan(_with_parts(tasks, {**cuts, export: workers + 1}), workers) < _CUT_GAIN * now:
            cuts[export] = workers + 1
    return cuts


def _with_parts(tasks: Sequence[str], cuts: dict[str, int]) -> list[str]:
    """``tasks`` with each export of ``cuts`` replaced by its parts' tasks."""
    parts = [_part_name(e, i, n) for e, n in cuts.items() for i in range(n)]
    return [t for t in tasks if t not in cuts] + parts


def _cost(name: str) -> float:
    """An export task's cost (:data:`_EXPORT_COST`; a part's share of its export's,
    :data:`_CUTS`; an unknown exporter counts as the costliest known one)."""
    cut = _part_of(name)
    if cut is None:
        return _EXPORT_COST.get(name, max(_EXPORT_COST.values()))
    export, part, of = cut
    head = _CUTS[export]
    share = head if part == 0 else (1 - head) / (of - 1)
    return _EXPORT_COST[export] * share


def _run_all(futures: _Futures, calls: Sequence[Call]) -> list[Any]:
    """Run ``calls`` as tasks, all submitted at once; their results in the calls' order."""
    pending = {futures.submit(fn, *args): i for i, (fn, args) in enumerate(calls)}
    results: list[Any] = [None] * len(calls)
    while pending:
        for fut in futures.wait_any(set(pending)):
            results[pending.pop(fut)] = fut.result()
            if hasattr(fut, "release"):
                fut.release()
    return results


def _merge(
    futures: _Futures,
    results: dict[int, PartResult],
    triples_path: Path,
    tables: Path,
    buckets: int,
) -> tuple[StoredGraph, Counter[str]]:
    """Derive the graph from every partition's relations with the group-bys on the workers
    (:func:`geokg._shuffle.derive_on_workers`: the facts shuffled into ``buckets`` buckets by
    relation id, then by edge id, into ``tables``), while two tasks beside its first step
    join the partitions' rows (:func:`join_rows`) and combine their tables into ``tables``;
    the client holds no fact, no row and no relation id."""
    counts: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    parts = [results[i] for i in sorted(results)]
    for res in parts:
        counts.update(dict(res.counts))
    relations = [Path(p.relations_path) for p in parts]
    documents = [Path(p.documents_path) for p in parts]
    g, _ = derive_on_workers(
        functools.partial(_run_all, futures),
        relations,
        documents,
        tables,
        buckets,
        alongside=[
            (join_rows, ([p.rows_path for p in parts], str(triples_path))),
            (combine_tables, (relations, documents, tables)),
        ],
    )
    return g, counts


def join_rows(paths: Sequence[str], dest: str) -> None:
    """``triples.jsonl``: the partitions' rows concatenated in partition order, the first row
    of each id kept (a task: the ids seen, about 8 bytes each, are the worker's)."""
    seen = SeenIds()
    with atomic_open(dest) as fh:
        for path in paths:
            with Path(path).open(encoding="utf-8") as rows:
                for line in rows:
                    if seen.add(json.loads(line)["id"]):
                        fh.write(line)
