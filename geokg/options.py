"""What a build is asked for and what it gives back: :class:`BuildOptions` and
:class:`BuildResult` (the records :mod:`geokg.pipeline` and :mod:`geokg.distributed` share)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from geokg.errors import ConfigError
from geokg.extractors import DEFAULT_EXTRACTOR
from geokg.ingest import IngestOptions

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NEO4J_REL_TYPES", "BuildOptions", "BuildResult"]


#: ``BuildOptions.neo4j_rel_type`` values (geokg.exports.neo4j.REL_TYPE_RULES; the exporters
#: are imported only when a build writes them).
NEO4J_REL_TYPES = ("verb", "plover")


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
        extractor: Registered relation extractor (``svo.v1``; ``svo.v2``, the constructions kept
            as data).
        min_confidence: Edges whose ``confidence`` (the highest calibrated probability of their
            rows) is below this are held back from the HTML page and the graph exports;
            ``triples.jsonl`` and ``graph.geokg.json`` keep everything. ``None``: the threshold
            fitted on the news gold's dev side for ``extractor`` (``geokg/data/confidence.json``),
            or 0 when it has no fitted model.
        release_model: Parse in a spawned process of its own, which exits once every document
            is in the checkpoint, so that all of the parser's memory goes back before the graph
            is assembled and exported (``geokg build`` does). Input from standard input is
            parsed in this process with a private copy of the pipeline, freed after. A library
            caller that builds many times keeps the default: this process, with its cached
            pipeline.
        event_typer: How relations get their event type (geokg.events_learned):
            ``dictionary`` (the verb dictionary, the default), ``classifier`` (the learned
            classifier of the extra ``learned``) or ``both``. Without the extra a learned typer
            logs one warning and the dictionary codes.
        neo4j_rel_type: The ``:TYPE`` of the actor relationships in ``neo4j/``: ``verb`` (the
            relation lemma, ``ACCUSE``; the default) or ``plover`` (the PLOVER type,
            ``SANCTION``, with ``RELATED_TO`` for an edge without one; the lemma stays in the
            ``relation`` property). :func:`geokg.exports.neo4j.choose_relationship_type`.
        page_max_actors: Actors drawn on ``graph.html`` (the top ones by degree; the page says
            what it left out and how to see it). The page stays readable at 2,000
            (docs/PERFORMANCE-page.md).
        page_max_relations: Relations drawn on ``graph.html`` among its actors, the heaviest
            (:data:`geokg.exports.html.MAX_EDGES` by default; the page says what it left out).
    """

    model: str | None = None
    processes: int = 1
    batch_size: int = 64
    ingest: IngestOptions = field(default_factory=IngestOptions)
    exports: tuple[str, ...] | None = None
    progress: bool | None = None
    release_model: bool = False
    extractor: str = DEFAULT_EXTRACTOR
    min_confidence: float | None = None
    event_typer: str = "dictionary"
    neo4j_rel_type: str = "verb"
    page_max_actors: int = 300
    page_max_relations: int = 10_000

    def with_fields(self, **fields: Any) -> BuildOptions:
        """These options with the fields given (not ``None``) replaced."""
        given = {name: value for name, value in fields.items() if value is not None}
        return dataclasses.replace(self, **given) if given else self

    def __post_init__(self) -> None:
        for name in ("page_max_actors", "page_max_relations"):
            value = getattr(self, name)
            if isinstance(value, bool) or not (isinstance(value, int) and value >= 1):
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(
                f"min_confidence must be between 0 and 1, got {self.min_confidence!r}; "
                "use 0 to keep every edge"
            )
        if self.neo4j_rel_type not in NEO4J_REL_TYPES:
            raise ConfigError(
                f"neo4j_rel_type must be one of {', '.join(NEO4J_REL_TYPES)}, got "
                f"{self.neo4j_rel_type!r}"
            )


@dataclass(slots=True)
class BuildResult:
    """What a build produced.

    Attributes:
        graph: The actor graph (networkx ``MultiDiGraph``, docs/ARCHITECTURE.md), every edge
            whatever its confidence (``graph.geokg.json``'s graph).
        report: What ``report.json`` holds (docs/OUTPUTS.md); a build in memory has no
            ``files``, ``stale_files`` nor ``timings_s.exports``.
        out_dir: The output folder, or ``None`` for a build in memory.
        files: The files written (none in memory).
        relations: The relation rows, the records of ``triples.jsonl`` (docs/OUTPUTS.md), in
            document order; a build into a folder reads them from ``OUT/triples.jsonl`` on first
            use.
    """

    graph: nx.MultiDiGraph
    report: dict[str, Any]
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)
    _rows: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def relations(self) -> list[dict[str, Any]]:
        """The relation rows (plain dicts, as ``json.loads`` gives the lines of
        ``triples.jsonl``)."""
        if self._rows is None:
            from geokg.frame import read_rows

            self._rows = read_rows(self.out_dir) if self.out_dir is not None else []
        return self._rows

    def relations_frame(self) -> pd.DataFrame:
        """The relations as a pandas DataFrame, one row per relation, with the columns of
        :data:`geokg.frame.RELATION_COLUMNS` (the optional extra ``pandas``).

        Raises:
            MissingExtraError: pandas is not installed (``pip install 'geokg[pandas]'``).
        """
        from geokg.frame import relations_frame

        return relations_frame(self.relations)


def build_target(
    inputs: str | Path | Sequence[str | Path],
    out: str | Path | None,
    out_dir: str | Path | None,
    *,
    update: bool,
) -> tuple[list[str], Path | None]:
    """The inputs (one path alone is a list of one) and the output folder (``None``: in
    memory) of a :func:`geokg.pipeline.build` call.

    Raises:
        ConfigError: ``out`` and ``out_dir`` name two folders, or ``update`` without a folder.
    """
    if out is not None and out_dir is not None and Path(out) != Path(out_dir):
        raise ConfigError(f"give the output folder once: out={out!r} but out_dir={out_dir!r}")
    folder = out if out is not None else out_dir
    if folder is None and update:
        raise ConfigError(
            "update=True merges into the graph of an output folder: give it as out "
            "(geokg.build(inputs, OUT, update=True))"
        )
    items = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    return [str(item) for item in items], Path(folder) if folder is not None else None
