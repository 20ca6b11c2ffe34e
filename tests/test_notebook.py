"""The exploration notebook: committed without outputs, and it runs from top to bottom."""

from __future__ import annotations

import ast
import base64
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest

from geokg.errors import ModelNotFoundError

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"
TAGS = (
    "relations-frame",
    "relations-groupby",
    "graph-html",
    "sparql",
    "centrality-plot",
    "timeline-plot",
    "stats",
)
# What the notebook may import: the standard library modules it uses, IPython's display,
# matplotlib's Figure, and geokg's public API (the top-level package only). pandas only through
# geokg (result.relations_frame(), the extra 'pandas'), never imported; no pyplot (backend-dependent).
ALLOWED_MODULES = {
    "html",
    "io",
    "tempfile",
    "datetime",
    "pathlib",
    "IPython.display",
    "matplotlib.figure",
    "geokg",
}


def _read() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]


def _code_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _tagged(nb: Any, tag: str) -> Any:
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def test_committed_notebook_is_valid_and_has_no_outputs() -> None:
    nb = _read()
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    cells = _code_cells(nb)
    assert len(cells) >= 5
    for cell in cells:
        assert cell.outputs == [], cell.source[:60]
        assert cell.execution_count is None, cell.source[:60]
    assert "widgets" not in nb.metadata
    for tag in TAGS:
        _tagged(nb, tag)


def test_notebook_imports_only_geokg_and_display_modules() -> None:
    imported: set[str] = set()
    for cell in _code_cells(_read()):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0
                assert node.module is not None
                imported.add(node.module)
    assert imported <= ALLOWED_MODULES, sorted(imported - ALLOWED_MODULES)
    assert "geokg" in imported


def _outputs(cell: Any, output_type: str) -> list[Any]:
    return [o for o in cell.outputs if o.output_type == output_type]


@pytest.mark.model
@pytest.mark.slow
def test_notebook_runs_and_shows_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geokg.nlp import find_model

    try:
        find_model(None)
    except ModelNotFoundError as err:
        pytest.skip(f"no spaCy pipeline: {err}")
    from nbclient import NotebookClient

    copy = tmp_path / "explore.ipynb"
    shutil.copyfile(NOTEBOOK, copy)
    nb = nbformat.read(copy, as_version=4)  # type: ignore[no-untyped-call]
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's build folder lands here
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails

    code_cells = _code_cells(nb)
    for cell in code_cells:
        assert cell.execution_count is not None
        assert _outputs(cell, "error") == []
        for stream in _outputs(cell, "stream"):
            if stream.name == "stderr":
                assert "Warning" not in stream.text, stream.text

    from geokg.frame import RELATION_COLUMNS

    built = "".join(o.text for o in _outputs(code_cells[1], "stream"))
    kept = re.search(r"(\d+) relations,", built)
    assert kept is not None, built
    said = "".join(o.text for o in _outputs(_tagged(nb, "relations-frame"), "stream"))
    assert said == f"{kept.group(1)} relations, {len(RELATION_COLUMNS)} columns\n"
    (table,) = [
        o.data["text/html"] for o in _outputs(_tagged(nb, "relations-frame"), "display_data")
    ]
    for column in ("subject_label", "relation", "object_label", "event_type", "confidence"):
        assert f"<th>{column}</th>" in table
    assert table.count("<tr>") == min(8, int(kept.group(1)))  # head(8): the rows, not the header
    (groups,) = [
        o.data["text/html"] for o in _outputs(_tagged(nb, "relations-groupby"), "display_data")
    ]
    for heading in ("quad_class", "event_type", "relations", "goldstein", "confidence"):
        assert f"<th>{heading}</th>" in groups

    html = [o.data["text/html"] for o in _outputs(_tagged(nb, "graph-html"), "display_data")]
    assert len(html) == 1
    assert "<iframe srcdoc=" in html[0]
    assert "vis-network" in html[0]  # the library is in-line ...
    assert "src=&quot;http" not in html[0]  # ... and nothing is fetched from a CDN

    for tag in ("centrality-plot", "timeline-plot"):
        images = [o for o in _outputs(_tagged(nb, tag), "display_data") if "image/png" in o.data]
        assert len(images) == 1, tag
        assert base64.b64decode(images[0].data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")

    sparql = "".join(o.text for o in _outputs(_tagged(nb, "sparql"), "stream"))
    for title in (
        "Who accused whom",
        "Pairs with the most conflict",
        "Negated or hedged statements",
    ):
        assert title in sparql
    assert sparql.count(" rows\n") == 3

    text = "".join(o.text for o in _outputs(_tagged(nb, "stats"), "stream"))
    for heading in ("Top actors by pagerank", "Communities", "Events per day"):
        assert heading in text
    assert list(tmp_path.glob("geokg-explore-*/graph.ttl"))
