"""Exporters: every output format is written from the graph alone (no spaCy here).

Each exporter is registered by name as ``(graph, out_dir) -> list[Path]``; ``geokg build`` runs
them all. Other packages can add exporters through the ``geokg.exporters`` entry-point group.

The built-in exporters stream: each writes its file (atomically) an element, an edge or a batch
at a time, so what they need beyond the graph is one element plus small indexes of sorted ids,
never a copy of the graph or the whole text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from geokg.registry import Registry

__all__ = ["EXPORTERS", "Exporter"]

Exporter = Callable[[nx.MultiDiGraph, "str | os.PathLike[str]"], list[Path]]

EXPORTERS: Registry[Exporter] = Registry("exporter", entry_point_group="geokg.exporters")


def _one(name: str, writer: Callable[..., Path]) -> Exporter:
    def export(
        graph: nx.MultiDiGraph, out_dir: str | os.PathLike[str], **options: Any
    ) -> list[Path]:
        return [writer(graph, Path(out_dir) / name, **options)]

    export.__name__ = f"export_{name.replace('.', '_')}"
    return export


def _register() -> None:
    from geokg.exports import csvsafe, graphfiles, html, neo4j, rdf

    EXPORTERS.register("turtle", _one("graph.ttl", rdf.write_turtle))
    EXPORTERS.register("trig", _one("graph.trig", rdf.write_trig))
    EXPORTERS.register("nquads", _one("graph.nq", rdf.write_nquads))
    EXPORTERS.register("jsonld", _one("graph.jsonld", rdf.write_jsonld))
    EXPORTERS.register("html", _one("graph.html", html.write_html))
    EXPORTERS.register("graphml", _one("graph.graphml", graphfiles.write_graphml))
    EXPORTERS.register("gexf", _one("graph.gexf", graphfiles.write_gexf))
    EXPORTERS.register("node-link", _one("graph.json", graphfiles.write_node_link))
    EXPORTERS.register("neo4j", neo4j.write_neo4j)
    EXPORTERS.register("spreadsheet", csvsafe.write_spreadsheet_csv)


_register()
