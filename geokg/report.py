"""What a build writes and says: the exports (less the edges under ``--min-confidence``), the
names of the outputs, ``report.json``'s shared part, and the one-line messages."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from geokg import confidence
from geokg._io import atomic_write
from geokg._lock import out_lock
from geokg.errors import ConfigError, GeoKGError, InputError, OutputError
from geokg.graph.assemble import check_graph_file, normalise_graph, recount, save_graph
from geokg.ingest import IngestReport
from geokg.model import DocRecord
from geokg.options import BuildOptions
from geokg.tables import StoredGraph

__all__ = [
    "COUNT_KEYS",
    "GRAPH_FILE",
    "KNOWN_OUTPUTS",
    "TABLES_DIR",
    "Tally",
    "announce",
    "build_report",
    "check_update_base",
    "confidence_part",
    "confident_graph",
    "export_confident",
    "export_options_of",
    "exporter_options",
    "min_confidence_of",
    "one_line",
    "output_error",
    "previous_outputs",
    "publish",
    "replace_tables",
    "report_core",
    "sayer",
    "stale_files",
    "timings",
    "write_exports",
    "write_report",
    "writing_into",
]


GRAPH_FILE = "graph.geokg.json"

#: The build's tables (geokg.tables): relations, documents and provenance as Parquet.
TABLES_DIR = "tables"


#: The counters every build reports (report_core reads them).
COUNT_KEYS = (
    "documents",
    "sentences",
    "words",
    "sentences_too_long",
    "relations_extracted",
    "relations",
    "relations_unresolved",
    "relations_self",
    "relations_untargeted",
)


_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def write_exports(
    g: nx.MultiDiGraph,
    out_dir: Path,
    names: Sequence[str] | None = None,
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Path]:
    """Run the registered exporters on ``g`` into ``out_dir``.

    ``options`` gives an exporter, by name, keyword arguments of its own
    (``{"neo4j": {"rel_type": "plover"}}``); the others get none.
    """
    from geokg.exports import EXPORTERS

    files: list[Path] = []
    for name in names or EXPORTERS.names():
        exporter: Callable[..., list[Path]] = EXPORTERS.get(name)
        files.extend(exporter(g, out_dir, **(options or {}).get(name, {})))
    return files


def exporter_options(options: BuildOptions) -> dict[str, dict[str, Any]]:
    """The keyword arguments a build gives its exporters (:func:`write_exports`)."""
    return {
        "neo4j": {"rel_type": options.neo4j_rel_type},
        "html": {"max_nodes": options.page_max_actors, "max_edges": options.page_max_relations},
    }


def min_confidence_of(options: BuildOptions) -> float:
    """The ``--min-confidence`` a build applies (:attr:`BuildOptions.min_confidence`)."""
    if options.min_confidence is not None:
        return options.min_confidence
    model = confidence.model_for(options.extractor)
    return model.threshold if model is not None else 0.0


def confident_graph(g: nx.MultiDiGraph, threshold: float) -> tuple[nx.MultiDiGraph, int, int]:
    """``g`` without its edges of ``confidence`` below ``threshold``, and the counts held back.

    Returns the graph, the edges held back and the actors left without an edge by it (they are
    held back too); node counts are refreshed. ``g`` itself is returned, untouched, when no
    edge is below the threshold.

    >>> from geokg.model import Actor
    >>> from geokg.graph.assemble import add_fact, new_graph
    >>> g = new_graph()
    >>> a, b, c = (Actor(id=i, label=i, type="country") for i in ("AAA", "BBB", "CCC"))
    >>> for o, p in ((b, 0.9), (c, 0.2)):
    ...     _ = add_fact(g, a, o, relation="meet", negated=False, modality="asserted",
    ...                  event=None, provenance={"relation_id": o.id, "confidence": p})
    >>> h, edges, actors = confident_graph(g, 0.5)
    >>> sorted(h.nodes), edges, actors, g.number_of_edges()
    (['AAA', 'BBB'], 1, 1, 2)
    """
    low = [
        (u, v, k)
        for u, v, k, p in g.edges(keys=True, data="confidence")
        if float(p or 0.0) < threshold
    ]
    if not low:
        return g, 0, 0
    h = g.copy()
    h.remove_edges_from(low)
    lonely = [n for n in h.nodes if h.degree(n) == 0 and g.degree(n) > 0]
    h.remove_nodes_from(lonely)
    if isinstance(h, StoredGraph):  # still in sorted order: the counts are all that change
        recount(h, h.nodes)
        return h, len(low), len(lonely)
    return normalise_graph(h), len(low), len(lonely)


def export_confident(
    g: nx.MultiDiGraph, out_dir: Path, options: BuildOptions
) -> tuple[list[Path], dict[str, Any]]:
    """Write the exports of ``g`` less its edges below the build's ``--min-confidence``.

    Returns the files and the ``confidence`` part of ``report.json``.
    """
    shown, part = confidence_part(g, options)
    written = write_exports(shown, out_dir, options.exports, options=exporter_options(options))
    return written, part


def confidence_part(
    g: nx.MultiDiGraph, options: BuildOptions
) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    """``g`` less its edges below the build's ``--min-confidence`` (:func:`confident_graph`),
    and the ``confidence`` part of ``report.json`` that says what was held back."""
    threshold = min_confidence_of(options)
    shown, edges, actors = confident_graph(g, threshold)
    model = confidence.model_for(options.extractor)
    part: dict[str, Any] = {
        "min_confidence": threshold,
        "edges_held_back": edges,
        "actors_held_back": actors,
        "calibrated": model is not None,
    }
    if model is not None:
        part["model"] = {
            k: model.provenance.get(k) for k in ("extractor", "date", "gold_sha256", "dev_rows")
        }
    return shown, part


@dataclass(slots=True)
class Tally:
    """A build's counts (:data:`COUNT_KEYS` and the rest) and its documents whose extraction
    failed, added up from its document records."""

    counts: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(COUNT_KEYS, 0)))
    failed: list[dict[str, str]] = field(default_factory=list)

    def add(self, rec: DocRecord) -> None:
        """Count one document's record."""
        self.counts.update(rec.counts)
        if rec.failed is not None:
            self.failed.append({"source": rec.source, "reason": rec.failed})


def announce(
    skipped: Sequence[dict[str, Any]],
    warnings: Sequence[dict[str, Any]],
    say: Callable[[str], None],
) -> None:
    """One line per skipped input and per warning, naming the source and the reason."""
    for entry in skipped:
        say(one_line(f"geokg: skipped {entry['source']}: {entry['reason']}"))
    for entry in warnings:
        say(one_line(f"geokg: warning: {entry['source']}: {entry['reason']}"))


def report_core(
    *,
    model: Any,
    ingest_report: IngestReport,
    skipped: Sequence[dict[str, Any]],
    counts: Counter[str],
    graph: nx.MultiDiGraph,
) -> dict[str, Any]:
    """The part of ``report.json`` every kind of build shares (docs/OUTPUTS.md)."""
    return {
        "model": model,
        "documents": {
            "read": ingest_report.documents_read,
            "skipped": ingest_report.documents_skipped,
            "built": counts["documents"],
        },
        "skipped": list(skipped),
        "warnings": ingest_report.warnings,
        "warnings_suppressed": dict(ingest_report.suppressed),
        "removed": dict(sorted(ingest_report.removed.items())),
        "sentences": counts["sentences"],
        "sentences_too_long": counts["sentences_too_long"],
        "words": counts["words"],
        "relations": {
            "extracted": counts["relations_extracted"],
            "kept": counts["relations"],
            "unresolved_actor": counts["relations_unresolved"],
            "same_actor": counts["relations_self"],
            "untargeted_events": counts["relations_untargeted"],
        },
        "graph": {
            "actors": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "documents": len(graph.graph["documents"]),
        },
    }


def one_line(text: str) -> str:
    """``text`` made safe for one terminal line: control and bidi characters escaped.

    >>> one_line("a.txt\\n\\x1b[31mred\\u202e")
    'a.txt\\\\n\\\\x1b[31mred\\\\u202e'
    """
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


#: errno values that mean the output folder cannot take what the build writes.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


_DENIED = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def output_error(out: Path, exc: OSError, *, resumable: bool) -> OSError:
    """``exc`` as one line naming ``out``, the cause and what to do, when it is about writing
    into ``out`` (disk full, read-only, no permission); ``exc`` itself otherwise."""
    name = exc.filename
    inside = name is None or _is_inside(Path(os.fsdecode(name)), out)
    if exc.errno not in _FULL | _DENIED or not inside:
        return exc
    cause = exc.strerror or str(exc)
    where = f" ({os.fsdecode(name)})" if name is not None else ""
    if exc.errno in _FULL:
        then = (
            f"free some space, then run 'geokg build --resume {out}' to go on (the documents "
            "already finished are kept)"
            if resumable
            else "free some space and run the build again"
        )
    else:
        then = "make it writable or build into another folder with -o"
    return OutputError(one_line(f"cannot write to {out}: {cause}{where}; {then}"))


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


#: Files a build writes into OUT (those of every exporter, by default all of them).
KNOWN_OUTPUTS = (
    "triples.jsonl",
    GRAPH_FILE,
    "graph.ttl",
    "graph.trig",
    "graph.nq",
    "graph.jsonld",
    "graph.html",
    "graph.graphml",
    "graph.gexf",
    "graph.json",
    "edges_table.csv",
    "neo4j/nodes.csv",
    "neo4j/relationships.csv",
    "neo4j/articles.csv",
    "neo4j/events.csv",
    "neo4j/event_actors.csv",
    "neo4j/reports.csv",
    "neo4j/import.cypher",
    "neo4j/README.txt",
    "report.json",
)


def check_update_base(out: Path) -> bool:
    """Check, before any extraction, that ``--update`` can merge into ``out``.

    Returns ``False`` for a folder with no earlier build (the update starts a fresh graph).

    Raises:
        ConfigError: ``graph.geokg.json`` or ``triples.jsonl`` is missing beside the other.
        InputError: either file is not what a build writes (truncated, not a graph, no ids).
    """
    graph, triples = out / GRAPH_FILE, out / "triples.jsonl"
    rebuild = (
        f"build without --update into a new folder ('geokg build INPUT... -o NEW'), or rebuild "
        f"{out} from all its inputs without --update"
    )
    if not graph.is_file():
        found = [name for name in KNOWN_OUTPUTS if (out / name).exists()]
        if found:
            raise ConfigError(
                f"--update merges into {graph}, which is missing, but {out} holds outputs of an "
                f"earlier build ({', '.join(found[:4])}), perhaps of another geokg version; "
                f"{rebuild}"
            )
        return False
    if not triples.is_file():
        raise ConfigError(
            f"--update needs {triples} beside {graph}, and it is missing: the update would "
            f"write only the new rows; {rebuild}"
        )
    try:
        check_graph_file(graph)
    except InputError as exc:
        raise InputError(exc.source, f"{exc.reason}; {rebuild}") from None
    with triples.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{triples}:{n}", f"not JSON ({exc}); {rebuild}") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise InputError(f"{triples}:{n}", f"a row without an id; {rebuild}")
    return True


def previous_outputs(out: Path) -> set[str]:
    """The outputs an earlier build may have left in ``out`` (its report's list, and every
    known output name)."""
    names = set(KNOWN_OUTPUTS)
    try:
        old = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return names
    if isinstance(old, dict) and isinstance(old.get("files"), list):
        names.update(str(name) for name in old["files"] if isinstance(name, str))
    return names


def stale_files(
    out: Path, previous: set[str], written: Sequence[Path], say: Callable[[str], None]
) -> list[str]:
    """The files of an earlier build that this one did not write again (``--export`` of some
    formats), said on one line: they are left in place, and may not match the new graph."""
    fresh = {str(p.relative_to(out)) for p in written} | {"report.json"}
    stale = sorted(
        name
        for name in previous - fresh
        if not Path(name).is_absolute() and ".." not in Path(name).parts and (out / name).is_file()
    )
    if stale:
        say(
            f"geokg: warning: {out}: {len(stale)} file(s) of an earlier build were not written "
            f"again and may not match this graph: {', '.join(stale)} (report.json lists them as "
            "stale_files)"
        )
    return stale


def build_report(
    *,
    model: str,
    graph: nx.MultiDiGraph,
    options: BuildOptions,
    ingest_report: IngestReport,
    tally: Tally,
    held: dict[str, Any],
    timings: dict[str, float],
    **extra: Any,
) -> dict[str, Any]:
    """``report.json`` of a build (:func:`report_core`, the extractor, the exporters' options,
    what ``--min-confidence`` held back, the timings, then ``extra``)."""
    skipped = [*ingest_report.skipped, *tally.failed]
    report = report_core(
        model=model, ingest_report=ingest_report, skipped=skipped, counts=tally.counts, graph=graph
    )
    report.update(
        {
            "extractor": options.extractor,
            "export_options": export_options_of(options),
            "confidence": held,
            "timings_s": timings,
        }
    )
    report.update(extra)
    if tally.failed:  # read, but extraction failed: listed in "skipped" with the reason
        report["documents"]["failed"] = len(tally.failed)
    return report


def export_options_of(options: BuildOptions) -> dict[str, Any]:
    """``report.json``'s ``export_options``: how the exporters were set up."""
    return {
        "neo4j_rel_type": options.neo4j_rel_type,
        "page_max_actors": options.page_max_actors,
        "page_max_relations": options.page_max_relations,
    }


def timings(
    t0: float, t_model: float, t_build: float, t_end: float | None = None
) -> dict[str, float]:
    """``report.json``'s ``timings_s`` from the build's start, the model loaded, the graph built
    and (for a build that wrote them) the exports written; the total runs to ``t_end`` or now."""
    out = {"model_load": round(t_model - t0, 3), "extract_and_graph": round(t_build - t_model, 3)}
    if t_end is not None:
        out["exports"] = round(t_end - t_build, 3)
    out["total"] = round((time.perf_counter() if t_end is None else t_end) - t0, 3)
    return out


def sayer(echo: Callable[[str], None] | None) -> Callable[[str], None]:
    """Where a build's messages go, each made one line (:func:`one_line`): ``echo``, by default
    standard error."""
    emit = echo or (lambda msg: print(msg, file=sys.stderr))
    return lambda msg: emit(one_line(msg))


@contextmanager
def writing_into(
    out: Path, say: Callable[[str], None], *, resumable: Callable[[], bool]
) -> Iterator[None]:
    """Hold ``out`` (created, and locked: :func:`geokg._lock.out_lock`) while a build writes into
    it; an ``OSError`` about writing into it comes out as one line (:func:`output_error`, with
    ``resumable()`` asked then)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with out_lock(out, say):
            yield
    except GeoKGError:
        raise
    except OSError as exc:
        raise output_error(out, exc, resumable=resumable()) from exc


def publish(
    g: nx.MultiDiGraph,
    out: Path,
    options: BuildOptions,
    triples: Path,
    tables: Path | None = None,
) -> tuple[list[Path], dict[str, Any], set[str]]:
    """Replace the outputs in ``out``: ``report.json`` is removed first (``OUT`` holds no
    finished build until :func:`write_report`), then ``graph.geokg.json``, the exports,
    ``triples`` and the folder ``tables`` (both written beforehand; ``OUT/tables``) go in.

    Returns the files, the ``confidence`` part of the report and the outputs an earlier build
    may have left (:func:`previous_outputs`).
    """
    previous = previous_outputs(out)
    (out / "report.json").unlink(missing_ok=True)
    save_graph(g, out / GRAPH_FILE)
    exported, held = export_confident(g, out, options)
    triples.replace(out / "triples.jsonl")
    table_files = replace_tables(tables, out / TABLES_DIR) if tables is not None else []
    return [out / "triples.jsonl", out / GRAPH_FILE, *exported, *table_files], held, previous


def replace_tables(tables: Path, target: Path) -> list[Path]:
    """Move the folder ``tables`` to ``target`` (an earlier one is renamed away first, then
    removed); return the Parquet files it holds. A graph reading them keeps its open files."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.replace(old)
    tables.replace(target)
    shutil.rmtree(old, ignore_errors=True)
    return sorted(target.glob("*.parquet"))


def write_report(out: Path, report: Mapping[str, Any]) -> Path:
    """Write ``report.json``, last: from then on ``out`` holds a finished build."""
    path = out / "report.json"
    atomic_write(path, json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path
