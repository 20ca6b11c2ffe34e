"""Orchestration only: documents → parsed paragraphs → relations → actors → graph → exports.

This module wires the stages, each in a module of its own: the parse loop (:mod:`geokg.parse`),
the resolution policy that makes each document a :class:`~geokg.model.DocRecord`
(:mod:`geokg.graph.policy`), the checkpoint store (:mod:`geokg.checkpoint`), the exports and
``report.json`` (:mod:`geokg.report`). How a build streams: docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from geokg import checkpoint, parse
from geokg.graph import policy
from geokg.graph.assemble import GraphAssembler, consolidate_people, merge_graphs
from geokg.ingest import IngestReport, check_inputs, iter_documents, sample_inputs
from geokg.model import DocRecord, Document, Row
from geokg.nlp import load_model, model_label
from geokg.options import BuildOptions, BuildResult, build_target
from geokg.parse import UNUSED_COMPONENTS
from geokg.report import (
    Tally,
    announce,
    build_report,
    check_update_base,
    confidence_part,
    publish,
    sayer,
    stale_files,
    timings,
    write_report,
    writing_into,
)

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "BuildOptions",
    "BuildResult",
    "build",
    "build_graph",
    "check_inputs",
    "resume_build",
    "sample_inputs",
]


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
    counts = counts if counts is not None else Counter()
    asm = GraphAssembler()
    for rec in parse.doc_records(documents, nlp, options, strict=True):
        counts.update(rec.counts)
        policy.apply_record(asm, rec)
        if on_rows is not None:
            on_rows([row.to_json() for row in rec.rows])
    g = asm.finish()
    consolidate_people(g)
    return merge_graphs(g)


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

    Into a folder, each finished document is checkpointed (an interrupted build continues
    with :func:`resume_build` to the outputs of an uninterrupted one), ``OUT`` is locked, and
    nothing in it is replaced until the graph is merged, ``report.json`` last (docs/OUTPUTS.md,
    "The output folder while a build runs"). Both ways give the same graph, rows and report.

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
    items, folder = build_target(inputs, out, out_dir, update=update)
    opts = (options or BuildOptions()).with_fields(
        model=model,
        extractor=extractor,
        min_confidence=min_confidence,
        event_typer=event_typer,
        processes=processes,
        batch_size=batch_size,
        exports=tuple(exports) if exports is not None else None,
        progress=progress,
    )
    check_inputs(items)
    if folder is None:
        return _build_in_memory(items, opts, stdin=stdin, echo=echo)
    return _build(items, folder, opts, update=update, stdin=stdin, echo=echo, resume=False)


def _build_in_memory(
    inputs: list[str],
    options: BuildOptions,
    *,
    stdin: Any,
    echo: Callable[[str], None] | None,
) -> BuildResult:
    """:func:`build` with no output folder: the same records as a build into a folder (each
    document's checkpoint record, through JSON), applied to the graph and the rows in memory."""
    t0 = time.perf_counter()
    nlp = load_model(options.model, exclude=UNUSED_COMPONENTS, cached=not options.release_model)
    label = model_label(nlp)
    t_model = time.perf_counter()
    ingest_report = IngestReport()
    tally = Tally()
    rows: dict[str, Row] = {}  # by relation id: a relation once, in document order
    documents = iter_documents(inputs, options=options.ingest, report=ingest_report, stdin=stdin)
    bar = parse.parse_bar(inputs, options.ingest, options.progress)

    def built(records: Iterable[DocRecord]) -> Iterator[DocRecord]:
        for new in records:
            rec = checkpoint.decode(checkpoint.encode(new))  # what a build into a folder reads
            tally.add(rec)
            bar.update(1)
            for row in rec.rows:
                rows.setdefault(row.id, row)
            yield rec

    try:
        g = policy.assemble(built(parse.doc_records(documents, nlp, options)))
    finally:
        bar.close()
    del nlp
    t_build = time.perf_counter()
    announce([*ingest_report.skipped, *tally.failed], ingest_report.warnings, sayer(echo))
    _, held = confidence_part(g, options)
    report = build_report(
        model=label,
        graph=g,
        options=options,
        ingest_report=ingest_report,
        tally=tally,
        held=held,
        timings=timings(t0, t_model, t_build),
    )
    return BuildResult(graph=g, report=report, _rows=checkpoint.file_rows(rows.values()))


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
    inputs, options, update = checkpoint.resumed_build(
        out, progress=progress, release_model=release_model
    )
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
    say = sayer(echo)
    state = out / checkpoint.PARTIAL_DIR / checkpoint.STATE
    with writing_into(out, say, resumable=lambda: "-" not in inputs and state.is_file()):
        if update and not resume:
            check_update_base(out)
        t0 = time.perf_counter()
        parsed = parse.parse_into_checkpoint(
            inputs, out, options, update=update, stdin=stdin, resume=resume
        )
        return _assemble_and_write(parsed, out, options, t0, say, update=update, resume=resume)


def _assemble_and_write(
    parsed: parse.Parsed,
    out: Path,
    options: BuildOptions,
    t0: float,
    say: Callable[[str], None],
    *,
    update: bool,
    resume: bool,
) -> BuildResult:
    """The graph from the checkpoint (merged into the earlier one on ``--update``), then the
    outputs, ``report.json`` last."""
    t_model, partial, n = t0 + parsed.model_load_s, out / checkpoint.PARTIAL_DIR, parsed.documents
    # The graph is assembled from the checkpoint after parsing, so it never shares memory with
    # the parser, and a resumed build assembles exactly what an uninterrupted one does.
    g, replaced, base_triples = checkpoint.graph_of_build(out, n)
    t_build = time.perf_counter()
    # Everything is merged: from here on the outputs are replaced. Until report.json is written
    # again, OUT holds no finished build.
    triples = partial / "triples.jsonl"
    checkpoint.write_triples(triples, base_triples, replaced, partial / checkpoint.DONE, n)
    announce(
        [*parsed.ingest_report.skipped, *parsed.tally.failed], parsed.ingest_report.warnings, say
    )
    tables = partial / checkpoint.WORK_TABLES
    files, held, previous = publish(g, out, options, triples, tables if tables.is_dir() else None)
    report = build_report(
        model=parsed.label,
        graph=g,
        options=options,
        ingest_report=parsed.ingest_report,
        tally=parsed.tally,
        held=held,
        timings=timings(t0, t_model, t_build, time.perf_counter()),
        files=sorted(str(p.relative_to(out)) for p in files),
        stale_files=stale_files(out, previous, files, say),
    )
    if update:
        report["update"] = True
        report["documents"]["replaced"] = len(replaced)
    if resume:
        report["resumed"] = {"documents_from_checkpoint": parsed.resumed}
    files.append(write_report(out, report))
    shutil.rmtree(partial, ignore_errors=True)
    return BuildResult(graph=g, report=report, out_dir=out, files=files)
