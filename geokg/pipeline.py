"""Orchestration only: documents → parsed paragraphs → relations → actors → graph → exports.

The corpus is streamed: documents are read lazily, parsed paragraph by paragraph with
``nlp.pipe``, turned into plain records and dropped. Only the graph (and a set of relation ids)
grows with the corpus.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from geokg._io import atomic_open, atomic_write
from geokg.dates import resolve_date
from geokg.events import code_event
from geokg.extractors import extract_doc
from geokg.gazetteer import Gazetteer
from geokg.graph.assemble import (
    add_document,
    add_fact,
    consolidate_people,
    load_graph,
    merge_graphs,
    new_graph,
    save_graph,
)
from geokg.graph.resolve import DocResolver
from geokg.ingest import IngestOptions, IngestReport, iter_documents
from geokg.model import Actor, DocResult, Document, Relation
from geokg.nlp import load_model, model_label

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "BuildOptions",
    "BuildResult",
    "build",
    "build_graph",
    "extract_documents",
    "relation_rows",
    "sample_inputs",
    "write_exports",
]

GRAPH_FILE = "graph.geokg.json"
_PARA_SPLIT = re.compile(r"[^\n]+")
# Components the extractors never read; the stand-in's senter is disabled anyway.
_UNUSED = ("senter",)


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    """Options of a build.

    Attributes:
        model: spaCy pipeline name or path (``None``: the documented search order).
        processes: Worker processes for parsing (spaCy ``n_process``).
        batch_size: Paragraphs per ``nlp.pipe`` batch.
        ingest: Reading limits and clean-up options.
        exports: Exporter names to run (``None``: all).
        progress: Show a progress bar (``None``: only on a terminal).
    """

    model: str | None = None
    processes: int = 1
    batch_size: int = 64
    ingest: IngestOptions = field(default_factory=IngestOptions)
    exports: tuple[str, ...] | None = None
    progress: bool | None = None


@dataclass(slots=True)
class BuildResult:
    """What a build produced."""

    graph: nx.MultiDiGraph
    report: dict[str, Any]
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)


def sample_inputs() -> list[Path]:
    """The sample articles shipped with the package (``geokg/data/samples``)."""
    base = Path(__file__).resolve().parent / "data" / "samples"
    return sorted(p for p in base.iterdir() if p.suffix in (".txt", ".md", ".jsonl", ".html"))


# ----------------------------------------------------------------------------------------------
# Parsing and extraction


def _paragraphs(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _PARA_SPLIT.finditer(text) if m.group().strip()]


def extract_documents(
    documents: Iterable[Document],
    nlp: Language,
    *,
    batch_size: int = 64,
    processes: int = 1,
    max_sentence_chars: int = 2_000,
    open_mode: bool = False,
) -> Iterator[DocResult]:
    """Parse and extract each document, streaming; yields one :class:`DocResult` per document."""
    label = model_label(nlp)
    pending: dict[int, tuple[Document, int]] = {}
    order: list[int] = []

    def stream() -> Iterator[tuple[str, tuple[int, int]]]:
        for k, doc in enumerate(documents):
            paras = _paragraphs(doc.text)
            pending[k] = (doc, len(paras))
            order.append(k)
            if not paras:
                yield "", (k, -1)
            for start, para in paras:
                yield para, (k, start)

    parsed: dict[int, list[tuple[int, Any]]] = {}
    for sdoc, (k, start) in nlp.pipe(
        stream(), as_tuples=True, batch_size=batch_size, n_process=processes
    ):
        bucket = parsed.setdefault(k, [])
        if start >= 0:
            bucket.append((start, sdoc))
        doc, n = pending[k]
        if len(bucket) >= n:
            del pending[k]
            del parsed[k]
            yield extract_doc(
                doc, bucket, model=label, max_sentence_chars=max_sentence_chars, open_mode=open_mode
            )


# ----------------------------------------------------------------------------------------------
# Resolution and coding


def _tense(rel: Relation) -> Literal["past", "future"]:
    return "future" if rel.modality == "intended" else "past"


def _actor_dict(a: Actor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"id": a.id, "label": a.label, "type": a.type, "country": a.country}


@dataclass(slots=True)
class _Resolved:
    relation: Relation
    subject: Actor
    object: Actor
    speaker: Actor | None


def resolve_relations(result: DocResult, gaz: Gazetteer, counts: Counter[str]) -> list[_Resolved]:
    """Resolve a document's relations to actors, code their events and dates."""
    resolver = DocResolver(result.doc, result.mentions, quotes=result.quotes, gazetteer=gaz)
    out: list[_Resolved] = []
    for rel in result.relations:
        speaker = resolver.resolve(rel.speaker) if rel.speaker is not None else None
        subj: Actor | None
        if speaker is not None and rel.subject.kind == "pronoun" and not rel.subject.plural:
            subj = speaker  # "Zelensky said he would travel": the speaker, by convention
        elif speaker is not None and rel.subject.kind == "role":
            subj = resolver.resolve(rel.subject, exclude={speaker.id})  # "X said the leader had …"
        else:
            subj = resolver.resolve(rel.subject)
        obj = resolver.resolve(rel.object, exclude={subj.id} if subj else None)
        if (
            subj is not None
            and obj is not None
            and subj.id == obj.id
            and rel.subject.kind == "pronoun"
        ):
            subj = resolver.resolve(rel.subject, exclude={obj.id})
        if subj is None or obj is None:
            counts["relations_unresolved"] += 1
            continue
        if subj.id == obj.id:
            counts["relations_self"] += 1
            continue
        event = code_event(
            rel.relation,
            object_head=rel.object.head or None,
            object_type=obj.type,
            detail=rel.detail,
        )
        date = (
            resolve_date(rel.time_text, result.doc.published, tense=_tense(rel))
            if rel.time_text
            else None
        )
        rel2 = Relation(
            id=rel.id,
            subject=rel.subject,
            relation=rel.relation,
            object=rel.object,
            negated=rel.negated,
            modality=rel.modality,
            speaker=rel.speaker,
            doc_id=rel.doc_id,
            sentence=rel.sentence,
            span=rel.span,
            trigger=rel.trigger,
            detail=rel.detail,
            time_text=rel.time_text,
            date=date,
            event=event,
            confidence=rel.confidence,
            extractor=rel.extractor,
            model=rel.model,
        )
        out.append(_Resolved(rel2, subj, obj, speaker))
    return out


def relation_rows(resolved: Iterable[_Resolved]) -> Iterator[dict[str, Any]]:
    """Rows of ``triples.jsonl`` (DESIGN.md section 4, plus mention spans and trigger)."""
    for r in resolved:
        rel = r.relation
        yield {
            "id": rel.id,
            "subject": _actor_dict(r.subject),
            "relation": rel.relation,
            "object": _actor_dict(r.object),
            "negated": rel.negated,
            "modality": rel.modality,
            "speaker": _actor_dict(r.speaker),
            "event": rel.event.to_dict() if rel.event else None,
            "date": rel.date,
            "doc_id": rel.doc_id,
            "sentence": rel.sentence,
            "span": list(rel.span),
            "confidence": rel.confidence,
            "extractor": rel.extractor,
            "model": rel.model,
            "subject_mention": {
                "text": rel.subject.text,
                "span": [rel.subject.start, rel.subject.end],
            },
            "object_mention": {"text": rel.object.text, "span": [rel.object.start, rel.object.end]},
            "trigger": list(rel.trigger),
            "detail": rel.detail,
            "time_text": rel.time_text,
        }


def _add_to_graph(g: nx.MultiDiGraph, doc: Document, resolved: Sequence[_Resolved]) -> None:
    add_document(
        g,
        doc.id,
        {"title": doc.title, "published": doc.published, "source": doc.source, "url": doc.url},
    )
    for r in resolved:
        rel = r.relation
        add_fact(
            g,
            r.subject,
            r.object,
            relation=rel.relation,
            negated=rel.negated,
            modality=rel.modality,
            event=rel.event,
            subject_alias=rel.subject.name if rel.subject.kind == "name" else None,
            object_alias=rel.object.name if rel.object.kind == "name" else None,
            provenance={
                "relation_id": rel.id,
                "doc_id": rel.doc_id,
                "sentence": rel.sentence,
                "span": list(rel.span),
                "date": rel.date,
                "speaker": r.speaker.id if r.speaker else None,
                "confidence": rel.confidence,
                "extractor": rel.extractor,
                "model": rel.model,
            },
        )


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
    nlp = nlp or load_model(options.model, exclude=_UNUSED)
    gaz = Gazetteer.default()
    counts = counts if counts is not None else Counter()
    g = new_graph()
    for result in extract_documents(
        documents,
        nlp,
        batch_size=options.batch_size,
        processes=options.processes,
        max_sentence_chars=options.ingest.max_sentence_chars,
    ):
        counts["documents"] += 1
        counts["sentences"] += result.sentences
        counts["words"] += result.words
        counts["sentences_too_long"] += result.skipped_sentences
        counts["relations_extracted"] += len(result.relations)
        resolved = resolve_relations(result, gaz, counts)
        counts["relations"] += len(resolved)
        _add_to_graph(g, result.doc, resolved)
        if on_rows is not None:
            on_rows(list(relation_rows(resolved)))
    consolidate_people(g)
    return merge_graphs(g)


def write_exports(
    g: nx.MultiDiGraph, out_dir: Path, names: Sequence[str] | None = None
) -> list[Path]:
    """Run the registered exporters on ``g`` into ``out_dir``."""
    from geokg.exports import EXPORTERS

    files: list[Path] = []
    for name in names or EXPORTERS.names():
        files.extend(EXPORTERS.get(name)(g, out_dir))
    return files


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    options: BuildOptions | None = None,
    update: bool = False,
    stdin: Any = None,
    echo: Callable[[str], None] | None = None,
) -> BuildResult:
    """Read ``inputs``, build the graph and write every export into ``out_dir``.

    Args:
        inputs: Files, folders, globs, or ``-`` for standard input.
        out_dir: Output folder (created).
        options: Build options.
        update: Merge into the graph already in ``out_dir`` (``--update``).
        stdin: Stream for ``-`` (default ``sys.stdin``).
        echo: Where warnings go (default: standard error).
    """
    options = options or BuildOptions()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say = echo or (lambda msg: print(msg, file=sys.stderr))
    t0 = time.perf_counter()
    nlp = load_model(options.model, exclude=_UNUSED)
    t_model = time.perf_counter()
    ingest_report = IngestReport()
    counts: Counter[str] = Counter()
    triples_path = out / "triples.jsonl"
    previous = load_graph(out / GRAPH_FILE) if update and (out / GRAPH_FILE).is_file() else None
    seen_ids: set[str] = set()
    old_lines: list[str] = []
    if previous is not None and triples_path.is_file():
        old_lines = triples_path.read_text(encoding="utf-8").splitlines()
        seen_ids = {json.loads(line)["id"] for line in old_lines if line.strip()}

    documents = iter_documents(inputs, options=options.ingest, report=ingest_report, stdin=stdin)
    documents = _progress(documents, options.progress)
    with atomic_open(triples_path) as fh:
        for line in old_lines:
            fh.write(line + "\n")

        def write_rows(rows: list[dict[str, Any]]) -> None:
            for row in rows:
                if row["id"] in seen_ids:
                    continue
                seen_ids.add(row["id"])
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

        g = build_graph(documents, nlp=nlp, options=options, on_rows=write_rows, counts=counts)
    t_build = time.perf_counter()
    if previous is not None:
        g = merge_graphs(previous, g)
        consolidate_people(g)
        g = merge_graphs(g)
    for entry in ingest_report.skipped:
        say(f"geokg: skipped {entry['source']}: {entry['reason']}")
    for entry in ingest_report.warnings:
        say(f"geokg: warning: {entry['source']}: {entry['reason']}")
    save_graph(g, out / GRAPH_FILE)
    files = [triples_path, out / GRAPH_FILE, *write_exports(g, out, options.exports)]
    t_end = time.perf_counter()
    report: dict[str, Any] = {
        "model": model_label(nlp),
        "documents": {
            "read": ingest_report.documents_read,
            "skipped": ingest_report.documents_skipped,
            "built": counts["documents"],
        },
        "skipped": ingest_report.skipped,
        "warnings": ingest_report.warnings,
        "removed": dict(sorted(ingest_report.removed.items())),
        "sentences": counts["sentences"],
        "sentences_too_long": counts["sentences_too_long"],
        "words": counts["words"],
        "relations": {
            "extracted": counts["relations_extracted"],
            "kept": counts["relations"],
            "unresolved_actor": counts["relations_unresolved"],
            "same_actor": counts["relations_self"],
        },
        "graph": {
            "actors": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "documents": len(g.graph["documents"]),
        },
        "timings_s": {
            "model_load": round(t_model - t0, 3),
            "extract_and_graph": round(t_build - t_model, 3),
            "exports": round(t_end - t_build, 3),
            "total": round(t_end - t0, 3),
        },
        "files": sorted(str(p.relative_to(out)) for p in files),
    }
    if update:
        report["update"] = True
    atomic_write(
        out / "report.json", json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    files.append(out / "report.json")
    return BuildResult(graph=g, report=report, out_dir=out, files=files)


def _progress(docs: Iterator[Document], enabled: bool | None) -> Iterator[Document]:
    from tqdm import tqdm

    yield from tqdm(
        docs,
        desc="geokg",
        unit="doc",
        disable=(not sys.stderr.isatty()) if enabled is None else not enabled,
    )
