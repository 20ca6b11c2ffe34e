"""Distributed builds on Dask (``geokg build --dask SCHEDULER_ADDRESS`` or ``--dask local``).

The client reads the inputs (one ingest session, so paragraph de-duplication across documents
is the same as in a single-process build) and cuts the document stream into contiguous
partitions. Each partition is a Dask task: the worker loads the spaCy pipeline once per process
(:func:`geokg.nlp.load_model` is cached), extracts and resolves the partition's relations and
writes two files into ``OUT/.geokg-parts``: the partition's ``triples.jsonl`` rows and its actor
graph (before cross-document consolidation). The merge step on the client concatenates the rows
in partition order, merges the graphs with :func:`geokg.graph.assemble.merge_graphs`, runs the
same person consolidation as a single-process build and writes every export. The result equals
``geokg.pipeline.build`` on the same input (``tests/test_distributed.py`` compares the two).

Only a bounded number of partitions is in flight at a time, so the client's memory does not grow
with the corpus (apart from the graph itself).

Running on a real cluster:

* every worker needs ``pip install 'geokg[dask]'`` (the same version as the client) and the spaCy
  pipeline, either installed as a package (``en_core_web_sm``) or at the same path on every
  machine (pass ``--model /shared/models/...``);
* ``OUT`` must be on storage that the workers and the client share (NFS, a mounted bucket), since
  the workers write the per-partition files there and the client reads them back;
* inputs are read by the client, so they only need to be visible to the client.

>>> partition_documents([], size=2)
[]
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import importlib
import json
import multiprocessing
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from geokg._io import atomic_open, atomic_write
from geokg._lock import out_lock
from geokg.errors import ConfigError, GeoKGError
from geokg.extractors import DEFAULT_EXTRACTOR
from geokg.gazetteer import Gazetteer
from geokg.graph.assemble import (
    GraphAssembler,
    consolidate_people,
    load_graph,
    merge_graphs,
    new_graph,
    save_graph,
)
from geokg.ingest import IngestReport, iter_documents
from geokg.model import Document
from geokg.nlp import find_model, load_model, model_label
from geokg.pipeline import (
    COUNT_KEYS,
    GRAPH_FILE,
    UNUSED_COMPONENTS,
    BuildOptions,
    BuildResult,
    _one_line,
    add_to_graph,
    announce,
    export_confident,
    extract_documents,
    output_error,
    previous_outputs,
    relation_rows,
    report_core,
    resolve_relations,
    stale_files,
)

__all__ = ["PARTS_DIR", "PartResult", "build_distributed", "partition_documents", "run_partition"]

PARTS_DIR = ".geokg-parts"


@dataclass(frozen=True, slots=True, kw_only=True)
class PartResult:
    """What one partition task wrote.

    Attributes:
        index: Partition number (its position in the document stream).
        rows_path: The partition's ``triples.jsonl`` rows (document order).
        graph_path: The partition's graph, saved with :func:`geokg.graph.assemble.save_graph`.
        counts: Document, sentence, word and relation counts.
        model: The pipeline's ``lang_name-version``.
        seconds: Time the task took on its worker.
    """

    index: int
    rows_path: str
    graph_path: str
    counts: tuple[tuple[str, int], ...]
    model: str
    seconds: float


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
    t0 = time.perf_counter()
    nlp = load_model(model, exclude=UNUSED_COMPONENTS)
    gaz = Gazetteer.default()
    counts: Counter[str] = Counter()
    asm = GraphAssembler()
    out = Path(parts_dir)
    rows_path = out / f"part-{index:06d}.jsonl"
    graph_path = out / f"part-{index:06d}.graph.json"
    with atomic_open(rows_path) as fh:
        for result in extract_documents(
            documents,
            nlp,
            batch_size=batch_size,
            max_sentence_chars=max_sentence_chars,
            extractor=extractor,
        ):
            counts["documents"] += 1
            counts["sentences"] += result.sentences
            counts["words"] += result.words
            counts["sentences_too_long"] += result.skipped_sentences
            counts["relations_extracted"] += len(result.relations)
            resolved = resolve_relations(result, gaz, counts)
            counts["relations"] += len(resolved)
            add_to_graph(asm, result.doc, resolved)
            for row in relation_rows(resolved):
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    save_graph(asm.finish(), graph_path)
    return PartResult(
        index=index,
        rows_path=str(rows_path),
        graph_path=str(graph_path),
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
        scheduler: ``"local"`` (a Dask LocalCluster of ``n_workers`` processes), a scheduler
            address such as ``tcp://10.0.0.5:8786``, or ``"processes"`` (a plain local process
            pool of ``n_workers``, no Dask: the ``--processes N`` alternative to spaCy's
            ``n_process``, which moves extraction off the main process too).
        options: Build options (``processes`` is ignored: parallelism comes from the workers).
        n_workers: Worker processes of the LocalCluster or the pool (not for a remote scheduler).
        partition_size: Documents per task.
        max_in_flight: Tasks submitted but not yet merged (default: twice the workers).
        keep_parts: Keep ``OUT/.geokg-parts`` (for debugging) instead of deleting it.
        echo: Where warnings go (default: standard error).

    Raises:
        ConfigError: bad scheduler address or partition size, or Dask is not installed.
    """
    options = options or BuildOptions()
    out = Path(out_dir)
    emit = echo or (lambda msg: print(msg, file=sys.stderr))

    def say(msg: str) -> None:
        emit(_one_line(msg))

    try:
        out.mkdir(parents=True, exist_ok=True)
        with out_lock(out, say):
            return _build_locked(
                inputs,
                out,
                scheduler=scheduler,
                options=options,
                n_workers=n_workers,
                partition_size=partition_size,
                max_in_flight=max_in_flight,
                keep_parts=keep_parts,
                say=say,
            )
    except GeoKGError:
        raise
    except OSError as exc:
        raise output_error(out, exc, resumable=False) from exc


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
    ingest_report = IngestReport()
    results: dict[int, PartResult] = {}
    documents = iter_documents(inputs, options=options.ingest, report=ingest_report, exclude=out)
    task = functools.partial(
        run_partition,
        model=model,
        batch_size=options.batch_size,
        max_sentence_chars=options.ingest.max_sentence_chars,
        extractor=options.extractor,
    )
    parts = _partitions(documents, partition_size)
    if scheduler == "processes":
        workers_seen = _run_pool(task, parts, str(parts_dir), n_workers, max_in_flight, results)
    else:
        workers_seen = _run_dask(
            task, parts, str(parts_dir), scheduler, n_workers, max_in_flight, results
        )
    t_extract = time.perf_counter()
    g, counts = _merge(results, parts_dir / "triples.jsonl")
    # Everything is merged: from here on the outputs are replaced (no report.json meanwhile).
    previous = previous_outputs(out)
    (out / "report.json").unlink(missing_ok=True)
    announce(ingest_report.skipped, ingest_report.warnings, say)
    save_graph(g, out / GRAPH_FILE)
    exported, held = export_confident(g, out, options)
    (parts_dir / "triples.jsonl").replace(out / "triples.jsonl")
    if not keep_parts:
        shutil.rmtree(parts_dir, ignore_errors=True)
    files = [out / "triples.jsonl", out / GRAPH_FILE, *exported]
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
            "confidence": held,
            "timings_s": {
                "extract_and_graph": round(t_extract - t0, 3),
                "merge_and_exports": round(t_end - t_extract, 3),
                "total": round(t_end - t0, 3),
            },
            "dask": {
                "scheduler": scheduler if scheduler in ("local", "processes") else "remote",
                "workers": workers_seen,
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


def _run_pool(
    task: Callable[..., PartResult],
    parts: Iterator[list[Document]],
    parts_dir: str,
    n_workers: int,
    max_in_flight: int | None,
    results: dict[int, PartResult],
) -> int:
    """Run the partitions on a local process pool (fresh ``spawn`` processes, no Dask)."""
    limit = max_in_flight or 2 * n_workers
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
        pending: set[cf.Future[PartResult]] = set()
        for index, part in enumerate(parts):
            pending.add(pool.submit(task, index, part, parts_dir))
            while len(pending) >= limit:
                done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    res = fut.result()
                    results[res.index] = res
        for fut in cf.as_completed(pending):
            res = fut.result()
            results[res.index] = res
    return n_workers


def _run_dask(
    task: Callable[..., PartResult],
    parts: Iterator[list[Document]],
    parts_dir: str,
    scheduler: str,
    n_workers: int,
    max_in_flight: int | None,
    results: dict[int, PartResult],
) -> int:
    """Run the partitions as Dask tasks; return the number of workers seen."""
    client, cluster = _client(scheduler, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
        limit = max_in_flight or 2 * workers
        pending = _dask().as_completed()
        for index, part in enumerate(parts):
            pending.add(
                client.submit(
                    task, index, part, parts_dir, key=f"geokg-part-{index:06d}", pure=False
                )
            )
            while pending.count() >= limit:
                fut = next(pending)
                res = fut.result()
                results[res.index] = res
                fut.release()
        for fut in pending:
            res = fut.result()
            results[res.index] = res
            fut.release()
        return len(client.scheduler_info().get("workers", {}))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _merge(
    results: dict[int, PartResult], triples_path: Path
) -> tuple[nx.MultiDiGraph, Counter[str]]:
    """Concatenate rows in partition order (first occurrence of an id wins) and merge graphs."""
    counts: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    seen: set[str] = set()
    graphs: list[nx.MultiDiGraph] = []
    with atomic_open(triples_path) as fh:
        for index in sorted(results):
            res = results[index]
            counts.update(dict(res.counts))
            with Path(res.rows_path).open(encoding="utf-8") as rows:
                for line in rows:
                    row_id = json.loads(line)["id"]
                    if row_id in seen:
                        continue
                    seen.add(row_id)
                    fh.write(line)
            graphs.append(load_graph(res.graph_path))
    g = merge_graphs(*graphs) if graphs else new_graph()
    consolidate_people(g)
    return merge_graphs(g), counts
