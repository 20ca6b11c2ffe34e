"""The checkpoint store: ``OUT/.geokg-partial`` holds what an unfinished build had finished.

``state.json`` names the inputs and options; ``done.jsonl`` holds one record per finished
document (:class:`geokg.model.DocRecord`'s JSON, in document order), from which the graph is
assembled and ``triples.jsonl`` written; ``base.*`` are the earlier outputs an ``--update``
merges into. :func:`geokg.pipeline.resume_build` goes on from it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from geokg._io import atomic_open, atomic_write
from geokg._seen import SeenIds
from geokg.errors import ConfigError, InputError
from geokg.graph.assemble import (
    consolidate_people,
    load_graph,
    merge_graphs,
    normalise_graph,
    remove_documents,
)
from geokg.ingest import IngestOptions
from geokg.model import DocRecord, Document, Row
from geokg.options import BuildOptions
from geokg.report import GRAPH_FILE, TABLES_DIR
from geokg.tables import (
    DOCUMENTS_FILE,
    RELATIONS_FILE,
    StoredGraph,
    append_tables,
    document_meta,
    stored_graph,
    write_relations,
)

__all__ = [
    "BASE_GRAPH",
    "BASE_TABLES",
    "BASE_TRIPLES",
    "DONE",
    "PARTIAL_DIR",
    "STATE",
    "Checkpoint",
    "changed_documents",
    "decode",
    "encode",
    "file_rows",
    "graph_of_build",
    "iter_done",
    "load_done",
    "merge_base",
    "open_checkpoint",
    "options_state",
    "read_state",
    "remove_stale_temp_files",
    "resumed_build",
    "skip_done",
    "triples_line",
    "write_triples",
]


#: Folder of an unfinished build's checkpoint (removed when the build finishes).
PARTIAL_DIR = ".geokg-partial"


STATE = "state.json"


DONE = "done.jsonl"


BASE_GRAPH = "base.geokg.json"


BASE_TRIPLES = "base.triples.jsonl"

#: The earlier build's tables (``OUT/tables``: relations and documents) an ``--update`` adds to.
BASE_TABLES = "base.tables"

#: Where a build derives its tables and graph (moved to ``OUT/tables`` when it is published).
WORK_TABLES = "tables"


_STATE_FORMAT = "geokg-partial/1"


# geokg._io.atomic_open's temporary files: ".NAME." + mkstemp's 8 random characters + ".tmp".
_STALE_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def options_state(options: BuildOptions) -> dict[str, Any]:
    ing = options.ingest
    return {
        "model": options.model,
        "processes": options.processes,
        "batch_size": options.batch_size,
        "ingest": {
            "max_bytes": ing.max_bytes,
            "max_sentence_chars": ing.max_sentence_chars,
            "dedupe_paragraphs": ing.dedupe_paragraphs,
            "min_paragraph_chars_for_dedupe": ing.min_paragraph_chars_for_dedupe,
        },
        "exports": list(options.exports) if options.exports is not None else None,
        "extractor": options.extractor,
        "min_confidence": options.min_confidence,
        "event_typer": options.event_typer,
        "neo4j_rel_type": options.neo4j_rel_type,
        "page_max_actors": options.page_max_actors,
        "page_max_relations": options.page_max_relations,
    }


def read_state(out: Path) -> dict[str, Any]:
    path = out / PARTIAL_DIR / STATE
    if not path.is_file():
        raise ConfigError(
            f"{out} holds no interrupted build to resume ({path} is missing; a finished build "
            f"removes it); run 'geokg build INPUT... -o {out}' instead"
        )
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            str(path),
            f"checkpoint state cannot be read ({exc}); run the build again without --resume",
        ) from exc
    if not isinstance(state, dict) or state.get("format") != _STATE_FORMAT:
        raise InputError(
            str(path),
            f"not a geokg checkpoint of format {_STATE_FORMAT!r}; run the build again without "
            "--resume",
        )
    return state


def load_done(path: Path) -> list[str]:
    """Document ids of the checkpointed records, in order; cut off a torn or stray tail.

    A record is kept only when it is a whole line of valid JSON whose ``k`` is its position;
    the file is truncated after the last such record so that appending goes on cleanly.
    """
    ids: list[str] = []
    good = 0
    if not path.is_file():
        return ids
    with path.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                rec = json.loads(raw)
            except ValueError:
                break
            if not isinstance(rec, dict) or rec.get("k") != len(ids):
                break
            ids.append(str(rec["doc_id"]))
            good += len(raw)
    if path.stat().st_size != good:
        with path.open("r+b") as fh:
            fh.truncate(good)
    return ids


def encode(rec: DocRecord) -> str:
    """The checkpoint line of ``rec`` (without its newline)."""
    return json.dumps(rec.to_json(), ensure_ascii=False, sort_keys=True)


def decode(line: str | bytes) -> DocRecord:
    """The record of a checkpoint line."""
    return DocRecord.from_json(json.loads(line))


def iter_done(path: Path, n: int) -> Iterator[DocRecord]:
    """The first ``n`` records of ``done.jsonl``, in document order."""
    with path.open(encoding="utf-8") as fh:
        for _, line in zip(range(n), fh, strict=False):
            yield decode(line)


def skip_done(
    documents: Iterable[Document], done: Sequence[str], seen: list[int]
) -> Iterator[Document]:
    """Drop the documents already checkpointed, checking they are the same ones."""
    for k, doc in enumerate(documents):
        seen[0] = k + 1
        if k < len(done):
            if doc.id != done[k]:
                raise InputError(
                    doc.source,
                    f"document {k + 1} is now {doc.id!r} but the interrupted build had "
                    f"{done[k]!r}: the inputs changed since; run the build again without --resume",
                )
            continue
        yield doc


def remove_stale_temp_files(out: Path) -> None:
    """Remove temporary files an earlier, killed build left behind (``.NAME.XXXX.tmp``)."""
    for folder in (out, out / "neo4j"):
        if folder.is_dir():
            for path in folder.iterdir():
                if _STALE_TEMP.fullmatch(path.name) and path.is_file():
                    path.unlink(missing_ok=True)


class Checkpoint:
    """Appends finished-document records to ``done.jsonl``: flushed per document (a killed
    process loses nothing written), fsynced at most every ``sync_s`` seconds (a power cut loses
    at most that much work, and a torn last line is cut off on resume)."""

    def __init__(self, path: Path, sync_s: float = 1.0) -> None:
        self._fh = path.open("a", encoding="utf-8")
        self._sync_s = sync_s
        self._last = time.monotonic()

    def write(self, line: str) -> None:
        self._fh.write(line + "\n")
        self._fh.flush()
        now = time.monotonic()
        if now - self._last >= self._sync_s:
            os.fsync(self._fh.fileno())
            self._last = now

    def close(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()


def changed_documents(
    known: Mapping[str, Mapping[str, Any]], base_triples: Path, done_path: Path, n: int
) -> set[str]:
    """Documents of this build that the earlier build (its documents' metadata, ``known``)
    already holds with other relations or metadata (title, date, URL; not the file it was read
    from): read again with new text, they replace their earlier version (``--update``).

    A document whose extraction failed this time keeps its earlier version.
    """
    new_rows: dict[str, set[str]] = {}
    new_meta: dict[str, Any] = {}
    for rec in iter_done(done_path, n):
        if rec.failed is not None or rec.doc is None or rec.doc_id not in known:
            continue
        new_rows.setdefault(rec.doc_id, set()).update(row.id for row in rec.rows)
        new_meta[rec.doc_id] = {
            "title": rec.doc.title,
            "published": rec.doc.published,
            "url": rec.doc.url,
        }
    if not new_rows:
        return set()
    old_rows: dict[str, set[str]] = {doc: set() for doc in new_rows}
    with base_triples.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row.get("doc_id") in old_rows:
                    old_rows[row["doc_id"]].add(row["id"])
    return {
        doc
        for doc, ids in new_rows.items()
        if ids != old_rows[doc]
        or new_meta[doc] != {key: known[doc].get(key) for key in new_meta[doc]}
    }


def triples_line(row: Row) -> str:
    """The line of ``triples.jsonl`` of ``row`` (without its newline; keys sorted)."""
    return json.dumps(row.to_json(), ensure_ascii=False, sort_keys=True)


def file_rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """``rows`` as a build into a folder reads them back from ``triples.jsonl`` (the dicts of
    ``BuildResult.relations``, keys sorted)."""
    return [json.loads(triples_line(row)) for row in rows]


def write_triples(
    path: Path, base: Path | None, replaced: set[str], done_path: Path, n: int
) -> None:
    """``triples.jsonl``: the base rows (less those of replaced documents), then this build's
    rows in document order; a relation id is written once."""
    seen = SeenIds()  # about 8 bytes an id (a set of the strings held about 80)
    with atomic_open(path) as fh:
        if base is not None:
            with base.open(encoding="utf-8") as old:
                for line in old:
                    if not line.strip():
                        continue
                    row = json.loads(line)
                    if row.get("doc_id") in replaced or not seen.add(row["id"]):
                        continue
                    fh.write(line.rstrip("\n") + "\n")
        for rec in iter_done(done_path, n):
            for row in rec.rows:
                if seen.add(row.id):
                    fh.write(triples_line(row) + "\n")


def resumed_build(
    out: Path, *, progress: bool | None, release_model: bool
) -> tuple[list[str], BuildOptions, bool]:
    """The inputs, options and ``--update`` of the interrupted build in ``out``.

    Raises:
        ConfigError: ``out`` holds no interrupted build, the build read standard input, or it
            was started from another folder with relative inputs.
    """
    state = read_state(out)
    inputs = [str(item) for item in state["inputs"]]
    if "-" in inputs:
        raise ConfigError(
            "the interrupted build read standard input, which cannot be read again; run the "
            "build again without --resume"
        )
    if state["cwd"] != str(Path.cwd()) and any(not Path(i).is_absolute() for i in inputs):
        raise ConfigError(
            f"the interrupted build was started in {state['cwd']} with relative inputs; run "
            f"'geokg build --resume' from that folder (with OUT as {out.resolve()})"
        )
    opts = state["options"]
    options = BuildOptions(
        model=opts["model"],
        processes=int(opts["processes"]),
        batch_size=int(opts["batch_size"]),
        ingest=IngestOptions(**opts["ingest"]),
        exports=tuple(opts["exports"]) if opts["exports"] is not None else None,
        progress=progress,
        release_model=release_model,
        # a build interrupted before svo.v2 became the default ran svo.v1
        extractor=str(opts.get("extractor", "svo.v1")),
        min_confidence=opts.get("min_confidence"),
        event_typer=str(opts.get("event_typer", "dictionary")),
        neo4j_rel_type=str(opts.get("neo4j_rel_type", "verb")),
        page_max_actors=int(opts.get("page_max_actors", 300)),
        page_max_relations=int(opts.get("page_max_relations", 10_000)),
    )
    return inputs, options, bool(state["update"])


def open_checkpoint(
    out: Path,
    inputs: list[str],
    options: BuildOptions,
    *,
    label: str,
    update: bool,
    resume: bool,
) -> list[str]:
    """Start the checkpoint of a build (or, with ``resume``, check and reopen the interrupted
    one) and return the ids of the documents it already holds."""
    partial = out / PARTIAL_DIR
    done_path = partial / DONE
    base_graph, base_triples = partial / BASE_GRAPH, partial / BASE_TRIPLES
    if resume:
        state = read_state(out)
        if state["model_label"] != label:
            raise ConfigError(
                f"the interrupted build used the pipeline {state['model_label']} but "
                f"{label} is loaded now; install or point --model to that one, or run the build "
                "again without --resume"
            )
        done = load_done(done_path)
    else:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        if update and (out / GRAPH_FILE).is_file():
            shutil.copyfile(out / GRAPH_FILE, base_graph)
            if (out / "triples.jsonl").is_file():
                shutil.copyfile(out / "triples.jsonl", base_triples)
            tables = out / TABLES_DIR
            if (tables / RELATIONS_FILE).is_file() and (tables / DOCUMENTS_FILE).is_file():
                (partial / BASE_TABLES).mkdir()
                for name in (RELATIONS_FILE, DOCUMENTS_FILE):
                    _link_or_copy(tables / name, partial / BASE_TABLES / name)
        state = {
            "format": _STATE_FORMAT,
            "inputs": inputs,
            "cwd": str(Path.cwd()),
            "update": update,
            "model_label": label,
            "options": options_state(options),
        }
        atomic_write(partial / STATE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
        done = []
    remove_stale_temp_files(out)
    return done


def merge_base(
    g: nx.MultiDiGraph, out: Path, n: int
) -> tuple[nx.MultiDiGraph, set[str], Path | None]:
    """``g`` merged into the earlier graph an ``--update`` started from, if any.

    Returns the graph, the documents whose earlier version it replaced (:func:`changed_documents`)
    and the earlier ``triples.jsonl`` (``None`` without an earlier build).
    """
    partial = out / PARTIAL_DIR
    base_graph, base_triples = partial / BASE_GRAPH, partial / BASE_TRIPLES
    if not (base_graph.is_file() and base_triples.is_file()):
        return g, set(), None
    base = load_graph(base_graph)
    replaced = changed_documents(base.graph.get("documents", {}), base_triples, partial / DONE, n)
    remove_documents(base, replaced)
    g = merge_graphs(base, g)
    del base
    consolidate_people(g)
    return normalise_graph(g), replaced, base_triples


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (outputs are replaced by renaming, never
    rewritten in place, so the link keeps the earlier version), or a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def graph_of_build(out: Path, n: int) -> tuple[nx.MultiDiGraph, set[str], Path | None]:
    """The graph of the checkpoint's ``n`` records, on an ``--update`` with the earlier build.

    Returns the graph, the documents whose earlier version it replaced
    (:func:`changed_documents`) and the earlier ``triples.jsonl`` (``None`` without one).

    The records go to ``relations.parquet`` and the graph is derived from it
    (:func:`geokg.tables.stored_graph`), in the checkpoint's ``tables`` folder, which
    :func:`geokg.report.publish` moves to ``OUT/tables``. An ``--update`` appends these rows to
    the earlier build's, less those of the documents it replaces, without loading its graph. An
    earlier build with no tables (geokg before 0.5) is loaded and merged as a graph instead.
    """
    from geokg.graph import policy

    partial = out / PARTIAL_DIR
    done = partial / DONE
    if (partial / BASE_GRAPH).is_file() and not (partial / BASE_TABLES).is_dir():
        return merge_base(policy.assemble(iter_done(done, n)), out, n)
    work = partial / WORK_TABLES
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    base, base_triples = partial / BASE_TABLES, partial / BASE_TRIPLES
    if not (base.is_dir() and base_triples.is_file()):
        write_relations(iter_done(done, n), work / RELATIONS_FILE)
        return stored_graph(work / RELATIONS_FILE, work), set(), None
    new = partial / "new.tables"
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir()
    ids: set[str] = set()  # this build's documents, noted on the one read of the checkpoint

    def noting(records: Iterator[DocRecord]) -> Iterator[DocRecord]:
        for rec in records:
            if rec.failed is None:
                ids.add(rec.doc_id)
            yield rec

    write_relations(noting(iter_done(done, n)), new / RELATIONS_FILE)
    known = document_meta(base / DOCUMENTS_FILE, sorted(ids))
    replaced = changed_documents(known, base_triples, done, n)
    append_tables(base, new, work, exclude_docs=replaced)
    shutil.rmtree(new, ignore_errors=True)
    graph: StoredGraph = stored_graph(work / RELATIONS_FILE, work)
    return graph, replaced, base_triples
