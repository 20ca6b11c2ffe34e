"""geokg: news articles to a knowledge graph of geopolitical actors and events.

The public API: build a graph from files, in memory or into an output folder (:func:`build`,
which returns the graph, the relation rows and the report; ``result.relations_frame()`` and
:func:`read_relations` give the rows as a pandas DataFrame, extra ``pandas``), or from
documents (:func:`build_graph`); save, load and merge graphs, and query the RDF export
(:func:`run_query`). Heavy parts (spaCy, rdflib, pandas) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geokg.errors import GeoKGError
from geokg.model import Actor, DocResult, Document, Event, Mention, Relation

if TYPE_CHECKING:
    from geokg.frame import read_relations
    from geokg.graph.analytics import centrality, render_stats, stats, timeline
    from geokg.graph.assemble import load_graph, merge_graphs, save_graph
    from geokg.ingest import iter_documents
    from geokg.pipeline import BuildOptions, BuildResult, build, build_graph, sample_inputs
    from geokg.query import format_table, run_query

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "BuildOptions",
    "BuildResult",
    "DocResult",
    "Document",
    "Event",
    "GeoKGError",
    "Mention",
    "Relation",
    "__version__",
    "build",
    "build_graph",
    "centrality",
    "format_table",
    "iter_documents",
    "load_graph",
    "merge_graphs",
    "read_relations",
    "render_stats",
    "run_query",
    "sample_inputs",
    "save_graph",
    "stats",
    "timeline",
]

_LAZY = {
    "BuildOptions": "geokg.pipeline",
    "BuildResult": "geokg.pipeline",
    "read_relations": "geokg.frame",
    "build": "geokg.pipeline",
    "build_graph": "geokg.pipeline",
    "iter_documents": "geokg.ingest",
    "load_graph": "geokg.graph.assemble",
    "merge_graphs": "geokg.graph.assemble",
    "save_graph": "geokg.graph.assemble",
    "run_query": "geokg.query",
    "format_table": "geokg.query",
    "sample_inputs": "geokg.pipeline",
    "centrality": "geokg.graph.analytics",
    "render_stats": "geokg.graph.analytics",
    "stats": "geokg.graph.analytics",
    "timeline": "geokg.graph.analytics",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geokg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
