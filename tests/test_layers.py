"""Layers: graph/ and exports/ never import spaCy; the public API is pinned."""

from __future__ import annotations

import subprocess
import sys

import pytest

import geokg


@pytest.mark.parametrize(
    "module",
    [
        "geokg.graph.assemble",
        "geokg.graph.resolve",
        "geokg.graph.policy",
        "geokg.report",
        "geokg.checkpoint",
        "geokg.exports",
        "geokg.query",
        "geokg.graph.analytics",
    ],
)
def test_module_does_not_import_spacy(module: str) -> None:
    code = f"import sys, {module}; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_api_is_pinned() -> None:
    assert geokg.__all__ == sorted(geokg.__all__)
    assert set(geokg.__all__) == {
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
    }
    for name in geokg.__all__:
        assert getattr(geokg, name) is not None
