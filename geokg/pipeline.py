"""Orchestration only: documents → parsed paragraphs → relations → actors → graph → exports.

The corpus is streamed: documents are read lazily, parsed in units and batches bounded in
characters with ``nlp.pipe``, turned into plain records (checkpointed to disk) and dropped. While
parsing, only the relation ids and the paragraph keys of the de-duplication grow with the corpus.
The graph is assembled from the checkpoint after parsing (``geokg build`` frees the parser
first), and every exporter streams, so the graph is the one structure the size of the corpus.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from geokg._io import atomic_write
from geokg._lock import out_lock
from geokg.checkpoint import (
    BASE_GRAPH,
    BASE_TRIPLES,
    DONE,
    PARTIAL_DIR,
    STATE,
    changed_documents,
    iter_done,
    resumed_build,
    write_triples,
)
from geokg.errors import ConfigError, GeoKGError, InputError
from geokg.events_learned import (
    event_typer,
)
from geokg.gazetteer import Gazetteer
from geokg.graph.assemble import (
    GraphAssembler,
    consolidate_people,
    load_graph,
    merge_graphs,
    normalise_graph,
    remove_documents,
    save_graph,
)
from geokg.graph.policy import (
    add_to_graph,
    apply_facts,
    doc_record,
    failed_record,
    relation_rows,
    resolve_relations,
)
from geokg.ingest import IngestReport, iter_documents, missing_inputs
from geokg.model import Document
from geokg.nlp import load_model, model_label
from geokg.options import BuildOptions, BuildResult
from geokg.parse import (
    UNUSED_COMPONENTS,
    extract_documents,
    extract_stream,
    parse_bar,
    parse_documents,
    parse_in_child,
)
from geokg.report import (
    COUNT_KEYS,
    GRAPH_FILE,
    KNOWN_OUTPUTS,
    announce,
    check_update_base,
    confidence_part,
    confident_graph,
    export_confident,
    exporter_options,
    min_confidence_of,
    one_line,
    output_error,
    previous_outputs,
    report_core,
    stale_files,
    write_exports,
)

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "KNOWN_OUTPUTS",
    "UNUSED_COMPONENTS",
    "BuildOptions",
    "BuildResult",
    "add_to_graph",
    "build",
    "build_graph",
    "check_inputs",
    "check_update_base",
    "confidence_part",
    "confident_graph",
    "export_confident",
    "exporter_options",
    "extract_documents",
    "min_confidence_of",
    "output_error",
    "previous_outputs",
    "relation_rows",
    "resume_build",
    "sample_inputs",
    "stale_files",
    "write_exports",
]


def sample_inputs() -> list[Path]:
    """The sample articles shipped with the package (``geokg/data/samples``)."""
    base = Path(__file__).resolve().parent / "data" / "samples"
    return sorted(p for p in base.iterdir() if p.suffix in (".txt", ".md", ".jsonl", ".html"))


# ----------------------------------------------------------------------------------------------
# Build


def build_graph(
    documents: Iterable[Document],
    *,
    nlp: Language | None = None,
    options: BuildOptions | None = None,
    on_rows: Callable[[list[dict[str, Any]]], None] | None = None,
    counts: Counter[str] | None = None,
) -> nx.MultiDiGraph:
    """Build the actor graph of ``documents`` (the library entry point; no files written).

    Args:
        documents: The documents.
        nlp: A loaded pipeline (``None``: :func:`geokg.nlp.load_model` with ``options.model``).
        options: Build options.
        on_rows: Called with each document's ``triples.jsonl`` rows.
        counts: Counter updated with sentence, word and relation counts.
    """
    options = options or BuildOptions()
    nlp = nlp or load_model(options.model, exclude=UNUSED_COMPONENTS)
    gaz = Gazetteer.default()
    counts = counts if counts is not None else Counter()
    typer = event_typer(options.event_typer)
    asm = GraphAssembler()
    for result in extract_documents(
        documents,
        nlp,
        batch_size=options.batch_size,
        processes=options.processes,
        max_sentence_chars=options.ingest.max_sentence_chars,
        extractor=options.extractor,
    ):
        counts["documents"] += 1
        counts["sentences"] += result.sentences
        counts["words"] += result.words
        counts["sentences_too_long"] += result.skipped_sentences
        counts["relations_extracted"] += len(result.relations)
        resolved = resolve_relations(result, gaz, counts, typer=typer)
        counts["relations"] += len(resolved)
        add_to_graph(asm, result.doc, resolved)
        if on_rows is not None:
            on_rows(list(relation_rows(resolved)))
    g = asm.finish()
    consolidate_people(g)
    return merge_graphs(g)


# ----------------------------------------------------------------------------------------------
# Build into a folder


def build(
    inputs: str | Path | Sequence[str | Path],
    out: str | Path | None = None,
    *,
    options: BuildOptions | None = None,
    update: bool = False,
    stdin: Any = None,
    echo: Callable[[str], None] | None = None,
    out_dir: str | Path | None = None,
    model: str | None = None,
    extractor: str | None = None,
    min_confidence: float | None = None,
    event_typer: str | None = None,
    processes: int | None = None,
    batch_size: int | None = None,
    exports: Sequence[str] | None = None,
    progress: bool | None = None,
) -> BuildResult:
    """Read ``inputs`` and build the graph: in memory, or into the folder ``out`` with every
    export (``geokg build INPUT... -o OUT``).

    With ``out=None`` nothing is written (no folder, no lock, no checkpoint): the result holds
    the graph, the relation rows (``result.relations``, the records ``triples.jsonl`` would hold;
    ``result.relations_frame()`` as a pandas DataFrame) and the report (``report.json``'s
    contents less the files and the export timing).

    Into a folder, every finished document is checkpointed in ``OUT/.geokg-partial`` while the
    build runs; a build that was interrupted (killed, out of memory, Ctrl-C) continues with
    :func:`resume_build` and ends with exactly the outputs of an uninterrupted run. Every output
    file is written atomically, and nothing in ``OUT`` is replaced until the graph is merged:
    then ``report.json`` is removed, the outputs are written and ``report.json`` last. An ``OUT``
    with ``report.json`` holds a finished build; without it, none. The build holds
    ``OUT/.geokg-lock`` throughout (:mod:`geokg._lock`). Both ways give the same graph, rows and
    report for the same inputs and options.

    >>> import geokg
    >>> result = geokg.build(geokg.sample_inputs(), progress=False)  # doctest: +SKIP
    >>> result.relations_frame().groupby("event_type").size()  # doctest: +SKIP

    Args:
        inputs: Files, folders, globs, or ``-`` for standard input (one path alone is taken as
            a list of one).
        out: Output folder (created), or ``None`` to build in memory. ``out_dir`` is the same,
            by its earlier name.
        options: Build options (:class:`BuildOptions`).
        update: Merge into the graph already in ``out`` (``--update``); needs ``out``.
        stdin: Stream for ``-`` (default ``sys.stdin``).
        echo: Where warnings go (default: standard error).
        model, extractor, min_confidence, event_typer, processes, batch_size, exports, progress:
            Set these fields of ``options`` (:class:`BuildOptions`); ``None`` keeps its value.

    Raises:
        OutputError: another build holds ``out``, or it is full or read-only (one line).
        ConfigError: ``update`` into an ``out`` it cannot merge into, or without ``out``; an
            option out of range.
        InputError: an input path does not exist or a glob matches nothing (checked before
            the model is loaded; nothing is written); ``update`` into a damaged ``out``.
    """
    if out is not None and out_dir is not None and Path(out) != Path(out_dir):
        raise ConfigError(f"give the output folder once: out={out!r} but out_dir={out_dir!r}")
    folder = out if out is not None else out_dir
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    opts = _with_fields(
        options or BuildOptions(),
        model=model,
        extractor=extractor,
        min_confidence=min_confidence,
        event_typer=event_typer,
        processes=processes,
        batch_size=batch_size,
        exports=tuple(exports) if exports is not None else None,
        progress=progress,
    )
    if folder is None and update:
        raise ConfigError(
            "update=True merges into the graph of an output folder: give it as out "
            "(geokg.build(inputs, OUT, update=True))"
        )
    check_inputs(inputs)
    if folder is None:
        return _build_in_memory([str(item) for item in inputs], opts, stdin=stdin, echo=echo)
    return _build(
        [str(item) for item in inputs],
        Path(folder),
        opts,
        update=update,
        stdin=stdin,
        echo=echo,
        resume=False,
    )


def _with_fields(options: BuildOptions, **fields: Any) -> BuildOptions:
    """``options`` with the fields given (not ``None``) replaced."""
    given = {name: value for name, value in fields.items() if value is not None}
    return dataclasses.replace(options, **given) if given else options


def _build_in_memory(
    inputs: list[str],
    options: BuildOptions,
    *,
    stdin: Any,
    echo: Callable[[str], None] | None,
) -> BuildResult:
    """:func:`build` with no output folder: the same records as a build into a folder (each
    document's checkpoint record, through JSON), applied to the graph and the rows in memory."""
    emit = echo or (lambda msg: print(msg, file=sys.stderr))
    t0 = time.perf_counter()
    nlp = load_model(options.model, exclude=UNUSED_COMPONENTS, cached=not options.release_model)
    label = model_label(nlp)
    t_model = time.perf_counter()
    ingest_report = IngestReport()
    counts: Counter[str] = Counter(dict.fromkeys(COUNT_KEYS, 0))
    failed: list[dict[str, str]] = []
    documents = iter_documents(inputs, options=options.ingest, report=ingest_report, stdin=stdin)
    gaz = Gazetteer.default()
    typer = event_typer(options.event_typer)
    asm = GraphAssembler()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    bar = parse_bar(inputs, options.ingest, options.progress)
    try:
        for k, (doc, result) in enumerate(
            extract_stream(
                documents,
                nlp,
                batch_size=options.batch_size,
                processes=options.processes,
                max_sentence_chars=options.ingest.max_sentence_chars,
                extractor=options.extractor,
            )
        ):
            if isinstance(result, Exception):
                rec = failed_record(k, doc, result)
            else:
                try:
                    rec = doc_record(k, doc, result, gaz, typer)
                except Exception as exc:  # one document's failure must not stop the run
                    rec = failed_record(k, doc, exc)
            # the same values a build into a folder reads back from its checkpoint
            rec = json.loads(json.dumps(rec, ensure_ascii=False, sort_keys=True))
            counts.update(rec["counts"])
            bar.update(1)
            if "failed" in rec:
                failed.append({"source": rec["source"], "reason": rec["failed"]})
                continue
            apply_facts(asm, rec["doc_id"], rec["doc"], rec["facts"])
            for row in rec["rows"]:
                if row["id"] not in seen:
                    seen.add(row["id"])
                    rows.append(row)
    finally:
        bar.close()
    del nlp
    g = asm.finish()
    del asm
    consolidate_people(g)
    g = normalise_graph(g)
    t_build = time.perf_counter()
    skipped = [*ingest_report.skipped, *failed]
    announce(skipped, ingest_report.warnings, lambda msg: emit(one_line(msg)))
    _, held = confidence_part(g, options)
    report = report_core(
        model=label, ingest_report=ingest_report, skipped=skipped, counts=counts, graph=g
    )
    report.update(
        {
            "extractor": options.extractor,
            "confidence": held,
            "timings_s": {
                "model_load": round(t_model - t0, 3),
                "extract_and_graph": round(t_build - t_model, 3),
                "total": round(time.perf_counter() - t0, 3),
            },
        }
    )
    if failed:
        report["documents"]["failed"] = len(failed)
    return BuildResult(graph=g, report=report, out_dir=None, files=[], _rows=rows)


def check_inputs(inputs: Sequence[str | Path]) -> None:
    """Raise :class:`InputError` naming the first input that names nothing (no such path, a
    glob that matches no file), before anything is loaded or written."""
    missing = missing_inputs(inputs)
    if missing:
        source, reason = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(source, f"{reason}{more}; nothing was built")


def resume_build(
    out_dir: str | Path,
    *,
    echo: Callable[[str], None] | None = None,
    progress: bool | None = None,
    release_model: bool = False,
) -> BuildResult:
    """Continue the interrupted build in ``out_dir`` (``geokg build --resume OUT``).

    The inputs and options are those of the interrupted build (``OUT/.geokg-partial/state.json``);
    ``release_model`` is as in :class:`BuildOptions`.
    The inputs are read again; documents already finished are taken from the checkpoint instead
    of being parsed again, and the rest are built. The outputs are exactly those of an
    uninterrupted build: no relation is lost or counted twice.

    Raises:
        ConfigError: ``out_dir`` holds no interrupted build, the build read standard input, or
            it was started from another folder with relative inputs.
        InputError: the inputs no longer give the documents the checkpoint holds.
    """
    out = Path(out_dir)
    inputs, options, update = resumed_build(out, progress=progress, release_model=release_model)
    return _build(inputs, out, options, update=update, stdin=None, echo=echo, resume=True)


def _build(
    inputs: list[str],
    out: Path,
    options: BuildOptions,
    *,
    update: bool,
    stdin: Any,
    echo: Callable[[str], None] | None,
    resume: bool,
) -> BuildResult:
    emit = echo or (lambda msg: print(msg, file=sys.stderr))

    def say(msg: str) -> None:
        emit(one_line(msg))

    try:
        out.mkdir(parents=True, exist_ok=True)
        with out_lock(out, say):
            return _build_locked(
                inputs, out, options, update=update, stdin=stdin, say=say, resume=resume
            )
    except GeoKGError:
        raise
    except OSError as exc:
        resumable = "-" not in inputs and (out / PARTIAL_DIR / STATE).is_file()
        raise output_error(out, exc, resumable=resumable) from exc


def _build_locked(
    inputs: list[str],
    out: Path,
    options: BuildOptions,
    *,
    update: bool,
    stdin: Any,
    say: Callable[[str], None],
    resume: bool,
) -> BuildResult:
    if update and not resume:
        check_update_base(out)
    t0 = time.perf_counter()
    if options.release_model and "-" not in inputs:
        # A process of its own: when it exits, all of the parser's memory goes back to the
        # system before the graph is assembled (freeing the pipeline in this process returns
        # less than half of it).
        parsed = parse_in_child(inputs, out, options, update=update, resume=resume)
    else:
        parsed = parse_documents(inputs, out, options, update=update, stdin=stdin, resume=resume)
        if options.release_model:
            gc.collect()  # the private pipeline went with parse_documents's frame
    label, counts, failed, ingest_report = (
        parsed.label,
        parsed.counts,
        parsed.failed,
        parsed.ingest_report,
    )
    k = parsed.documents
    t_model = t0 + parsed.model_load_s
    partial = out / PARTIAL_DIR
    done_path = partial / DONE
    base_graph, base_triples = partial / BASE_GRAPH, partial / BASE_TRIPLES
    # The graph is assembled from the checkpoint after parsing, so it never shares memory with
    # the parser, and a resumed build assembles exactly what an uninterrupted one does.
    asm = GraphAssembler()
    for rec in iter_done(done_path, k):
        if "failed" not in rec:
            apply_facts(asm, rec["doc_id"], rec["doc"], rec["facts"])
    g = asm.finish()
    del asm
    consolidate_people(g)
    g = normalise_graph(g)
    t_build = time.perf_counter()
    replaced: set[str] = set()
    has_base = base_graph.is_file() and base_triples.is_file()
    if has_base:
        base = load_graph(base_graph)
        replaced = changed_documents(base, base_triples, done_path, k)
        remove_documents(base, replaced)
        g = merge_graphs(base, g)
        del base
        consolidate_people(g)
        g = normalise_graph(g)
    # Everything is merged: from here on the outputs are replaced. Until report.json is written
    # again, OUT holds no finished build.
    write_triples(
        partial / "triples.jsonl", base_triples if has_base else None, replaced, done_path, k
    )
    previous = previous_outputs(out)
    (out / "report.json").unlink(missing_ok=True)
    skipped = [*ingest_report.skipped, *failed]
    announce(skipped, ingest_report.warnings, say)
    save_graph(g, out / GRAPH_FILE)
    exported, held = export_confident(g, out, options)
    (partial / "triples.jsonl").replace(out / "triples.jsonl")
    files = [out / "triples.jsonl", out / GRAPH_FILE, *exported]
    t_end = time.perf_counter()
    report = report_core(
        model=label, ingest_report=ingest_report, skipped=skipped, counts=counts, graph=g
    )
    report.update(
        {
            "extractor": options.extractor,
            "confidence": held,
            "timings_s": {
                "model_load": round(t_model - t0, 3),
                "extract_and_graph": round(t_build - t_model, 3),
                "exports": round(t_end - t_build, 3),
                "total": round(t_end - t0, 3),
            },
            "files": sorted(str(p.relative_to(out)) for p in files),
        }
    )
    report["stale_files"] = stale_files(out, previous, files, say)
    if failed:  # read, but extraction failed: listed in "skipped" with the reason
        report["documents"]["failed"] = len(failed)
    if update:
        report["update"] = True
        report["documents"]["replaced"] = len(replaced)
    if resume:
        report["resumed"] = {"documents_from_checkpoint": parsed.resumed}
    atomic_write(
        out / "report.json", json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    files.append(out / "report.json")
    shutil.rmtree(partial, ignore_errors=True)
    return BuildResult(graph=g, report=report, out_dir=out, files=files)
