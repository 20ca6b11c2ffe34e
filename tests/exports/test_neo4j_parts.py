"""The Neo4j files in parts (geokg.exports.neo4j.neo4j_part, join_neo4j_parts): a first part
(the actors and the articles), then the edges of ranges of edge ids, joined into the files of
write_neo4j byte for byte; and a distributed build's export tasks writing the parts side by
side and joining them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from geokg.errors import ExportError
from geokg.exports import neo4j
from geokg.model import key_ranges, stable_id
from geokg.options import BuildOptions
from tests.exports.test_neo4j import _varied_graph


def _spread(graph: nx.MultiDiGraph, ranges: int) -> nx.MultiDiGraph:
    """``graph`` with its edges keyed by hashed ids (which fall into every range of
    :func:`key_ranges`), and an edge whose id is each cut between ``ranges`` ranges."""
    out = nx.MultiDiGraph(**graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        eid = stable_id("e", key)
        out.add_edge(u, v, key=eid, **{**data, "id": eid})
    u, v, data = next(iter(graph.edges(data=True)))
    for cut, _ in key_ranges(ranges)[1:]:
        records = [{**r, "relation_id": f"{r['relation_id']}-{cut}"} for r in data["provenance"]]
        out.add_edge(u, v, key=cut, **{**data, "id": cut, "provenance": records})
    return out


def _range_graph(graph: nx.MultiDiGraph, part: int, parts: int) -> nx.MultiDiGraph:
    """The edges of part ``part``'s range alone, their endpoints without attributes, and no
    documents: what an edge part of a distributed build reads."""
    lo, hi = key_ranges(parts - 1)[part - 1]
    out = nx.MultiDiGraph(documents={})
    for u, v, key, data in graph.edges(keys=True, data=True):
        if lo <= data["id"] and (hi is None or data["id"] < hi):
            out.add_edge(u, v, key=key, **data)
    return out


def _write_parts(
    graph: nx.MultiDiGraph, parts: int, folder: Path, *, alone: bool = False, **kw: Any
) -> list[Path]:
    """Every part of ``graph`` written into ``folder``, again with the delimiter the parts call
    for where an item holds the first one; the parts' folders. ``alone``: each edge part from
    its range's edges alone (:func:`_range_graph`)."""
    folders = [folder / f"part-{i}" for i in range(parts)]

    def write(delimiter: str) -> None:
        for i, path in enumerate(folders):
            source = _range_graph(graph, i, parts) if alone and i else graph
            neo4j.neo4j_part(source, i, parts, path, array_delimiter=delimiter, **kw)

    write(";")
    delimiter = neo4j.neo4j_parts_delimiter(folders)
    if delimiter != ";":
        with pytest.raises(ValueError, match=re.escape(f"write them again with {delimiter!r}")):
            neo4j.join_neo4j_parts(folders, folder / "refused")
        assert not (folder / "refused" / "neo4j" / "nodes.csv").exists()
        for path in folders:
            for f in sorted(path.rglob("*"), reverse=True):
                f.unlink() if f.is_file() else f.rmdir()
            path.rmdir()
        write(delimiter)
    return folders


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("parts", "batch_size", "rel_type", "item_delimiters", "delimiter"),
    [
        (2, 500, "verb", "", ";"),
        (3, 1, "plover", "", ";"),
        (4, 7, "verb", ";", "|"),  # an actor's alias rules ';' out
        (5, 3, "verb", ";|", "\x1f"),  # and an edge's speaker '|'
        (6, 2, "plover", "|;", "\x1f"),
    ],
)
def test_the_parts_join_into_the_files_of_write_neo4j(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parts: int,
    batch_size: int,
    rel_type: Any,
    item_delimiters: str,
    delimiter: str,
) -> None:
    graph = _spread(_varied_graph(parts, item_delimiters=item_delimiters), parts - 1)
    assert neo4j.choose_array_delimiter(graph) == delimiter
    expected = neo4j.write_neo4j(
        graph, tmp_path / "whole", batch_size=batch_size, rel_type=rel_type
    )
    monkeypatch.setattr(neo4j, "_OPEN_FILES", 2)  # groups' files closed and opened again
    for alone in (False, True):
        work = tmp_path / f"parts-{alone}"
        folders = _write_parts(graph, parts, work, alone=alone, rel_type=rel_type)
        assert neo4j.neo4j_parts_delimiter(folders) == delimiter
        before = {f.name: _files(f) for f in folders}
        joined = neo4j.join_neo4j_parts(folders, work, batch_size=batch_size)
        assert [p.name for p in joined] == [p.name for p in expected]
        for mine, theirs in zip(joined, expected, strict=True):
            assert mine.read_bytes() == theirs.read_bytes(), (alone, mine.name)
        assert sorted(p.name for p in (work / "neo4j").iterdir()) == sorted(p.name for p in joined)
        assert {f.name: _files(f) for f in folders} == before  # the parts are left as they are
        # every range has edges, and an edge is in one part only; the only edge part (of 2)
        # writes whole files, headers included
        lines = [(f / "events.csv").read_text("utf-8").splitlines() for f in folders[1:]]
        headers = [n[0] == ",".join(neo4j.EVENT_HEADER) for n in lines]
        assert headers == [parts == 2] * (parts - 1)
        assert all(len(n) > (parts == 2) for n in lines)
        assert sum(len(n) for n in lines) == graph.number_of_edges() + (parts == 2)


@pytest.mark.parametrize("parts", [2, 3])
def test_a_join_that_moves_takes_the_whole_files_and_writes_the_same(
    tmp_path: Path, parts: int
) -> None:
    graph = _spread(_varied_graph(4), parts - 1)
    expected = neo4j.write_neo4j(graph, tmp_path / "whole")
    folders = _write_parts(graph, parts, tmp_path)
    joined = neo4j.join_neo4j_parts(folders, tmp_path, move=True)
    for mine, theirs in zip(joined, expected, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
    moved = {"nodes.csv", "articles.csv"}
    assert not moved & {p.name for p in folders[0].iterdir()}
    edge_files = {"relationships.csv", "events.csv", "event_actors.csv", "reports.csv"}
    for folder in folders[1:]:  # the only edge part's files are whole: moved; else copied
        assert edge_files.isdisjoint(p.name for p in folder.iterdir()) == (parts == 2)


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_write_neo4j_cuts_the_batches_as_it_writes_the_rows_as_the_join_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    graph = _spread(_varied_graph(3), 1)
    monkeypatch.setattr(neo4j, "_OPEN_FILES", 2)  # groups' files closed and opened again

    def no_cut(*_: Any) -> None:
        raise AssertionError("write_neo4j's join cut rows into batches")

    with monkeypatch.context() as patched:
        patched.setattr(neo4j, "_batches", no_cut)
        framed = neo4j.write_neo4j(graph, tmp_path / "framed", batch_size=batch_size)
    folders = _write_parts(graph, 2, tmp_path / "lines")  # a row a line, cut at the join
    assert [neo4j._PartInfo.read(f).framed for f in folders] == [None, None]
    joined = neo4j.join_neo4j_parts(folders, tmp_path / "lines", batch_size=batch_size)
    assert [p.read_bytes() for p in framed] == [p.read_bytes() for p in joined]
    script = framed[6].read_text("utf-8")
    assert script.count(":param rows") > graph.number_of_edges() // batch_size


def test_the_join_refuses_rows_cut_into_batches_of_another_size(tmp_path: Path) -> None:
    graph = _spread(_varied_graph(2), 1)
    folders = [tmp_path / "head", tmp_path / "edges"]
    doc_ids: set[str] = set()  # the edge part's, for the head (as write_neo4j does)
    for part, folder in ((1, folders[1]), (0, folders[0])):
        neo4j._write_part(graph, folder, part, 2, None, ";", "verb", doc_ids, 3)
    with pytest.raises(ValueError, match="cut into batches of 3, not 5"):
        neo4j.join_neo4j_parts(folders, tmp_path / "out", batch_size=5)
    joined = neo4j.join_neo4j_parts(folders, tmp_path / "out", batch_size=3)
    expected = neo4j.write_neo4j(graph, tmp_path / "whole", batch_size=3)
    assert [p.read_bytes() for p in joined] == [p.read_bytes() for p in expected]


def test_the_parts_of_an_empty_graph_join_into_its_files(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    expected = neo4j.write_neo4j(graph, tmp_path / "whole")
    folders = _write_parts(graph, 3, tmp_path)
    joined = neo4j.join_neo4j_parts(folders, tmp_path)
    assert [p.read_bytes() for p in joined] == [p.read_bytes() for p in expected]


def test_edge_parts_of_a_stored_graph_read_their_edges_alone(tmp_path: Path) -> None:
    tables = _stored_with(tmp_path, None)
    from geokg.tables import open_edge_range, open_stored_graph

    g = open_stored_graph(tables)
    expected = neo4j.write_neo4j(g, tmp_path / "whole")
    parts = 4
    folders = [tmp_path / f"part-{i}" for i in range(parts)]
    neo4j.neo4j_part(g, 0, parts, folders[0])
    for i, (first, end) in enumerate(key_ranges(parts - 1), start=1):
        alone = open_edge_range(tables, first, end)
        assert 0 < alone.number_of_edges() < g.number_of_edges()
        neo4j.neo4j_part(alone, i, parts, folders[i])
    joined = neo4j.join_neo4j_parts(folders, tmp_path)
    for mine, theirs in zip(joined, expected, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_a_part_checks_its_arguments_and_what_it_reads(tmp_path: Path) -> None:
    graph = _spread(_varied_graph(1), 2)
    with pytest.raises(ValueError, match="parts >= 2"):
        neo4j.neo4j_part(graph, 0, 1, tmp_path / "a")
    with pytest.raises(ValueError, match="0 <= part < parts"):
        neo4j.neo4j_part(graph, 3, 3, tmp_path / "a")
    with pytest.raises(ValueError, match="array_delimiter ','"):
        neo4j.neo4j_part(graph, 1, 3, tmp_path / "a", array_delimiter=",")
    with pytest.raises(ExportError, match="rel_type"):
        neo4j.neo4j_part(graph, 1, 3, tmp_path / "a", rel_type="cameo")  # type: ignore[arg-type]
    # a bad value fails the part whose range holds it, and no other
    _, _, data = max(graph.edges(data=True), key=lambda e: e[2]["id"])  # in the last range
    data["provenance"][0]["span"] = [1]
    for part in (0, 1):
        neo4j.neo4j_part(graph, part, 3, tmp_path / f"ok-{part}")
    with pytest.raises(ExportError, match=r"not \[start, end\]"):
        neo4j.neo4j_part(graph, 2, 3, tmp_path / "bad")


def test_the_join_refuses_parts_that_do_not_make_the_files(tmp_path: Path) -> None:
    graph = _spread(_varied_graph(2), 2)
    folders = _write_parts(graph, 3, tmp_path)
    head, *edges = folders
    with pytest.raises(ValueError, match="first part must be part 0"):
        neo4j.join_neo4j_parts([*edges, head], tmp_path / "out")
    with pytest.raises(ValueError, match="only the first part may be part 0"):
        neo4j.join_neo4j_parts([head, head, *edges], tmp_path / "out")
    with pytest.raises(ExportError, match="batch_size is 0"):
        neo4j.join_neo4j_parts(folders, tmp_path / "out", batch_size=0)
    with pytest.raises(ValueError, match=r"2 parts given, of files cut into \[3\] parts"):
        neo4j.join_neo4j_parts([head, edges[0]], tmp_path / "out")
    other = tmp_path / "other"
    neo4j.neo4j_part(graph, 1, 3, other, array_delimiter="|")
    with pytest.raises(ValueError, match="different array delimiters or rules"):
        neo4j.join_neo4j_parts([head, other, edges[1]], tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out" / "neo4j").iterdir())


# --------------------------------------------------------------------------- distributed


def _stored_with(tmp_path: Path, alias: str | None) -> Path:
    """A derived graph of hub-heavy records; ``alias``: a subject alias some facts take
    instead (an array item of nodes.csv)."""
    pytest.importorskip("duckdb")
    from geokg.tables import stored_graph, write_relations
    from tests.test_tables import _records

    records = _records(5, 120)
    if alias is not None:
        records = [
            dataclasses.replace(
                r,
                facts=tuple(
                    dataclasses.replace(f, subject_alias=alias) if f.subject_alias else f
                    for f in r.facts
                ),
            )
            for r in records
        ]
    tables = tmp_path / "tables"
    tables.mkdir()
    write_relations(records, tables / "relations.parquet")
    stored_graph(tables / "relations.parquet", tables)
    return tables


@pytest.mark.parametrize(
    ("min_confidence", "alias", "delimiter"),
    [(0.0, None, ";"), (0.6, None, ";"), (0.0, "Alias; A", "|")],
)
def test_export_tasks_write_neo4j_in_parts_and_join_them(
    tmp_path: Path, min_confidence: float, alias: str | None, delimiter: str
) -> None:
    from geokg import distributed
    from geokg.report import confidence_part
    from geokg.tables import open_stored_graph

    tables = _stored_with(tmp_path, alias)
    options = BuildOptions(
        progress=False, exports=("neo4j",), min_confidence=min_confidence, neo4j_rel_type="plover"
    )
    shown, held = confidence_part(open_stored_graph(tables), options)
    assert (held["edges_held_back"] > 0) == (min_confidence > 0)
    assert neo4j.choose_array_delimiter(shown) == delimiter
    expected = neo4j.write_neo4j(shown, tmp_path / "whole", rel_type="plover")
    # on 3 workers, Neo4j (beside the graph file) is cut: a first part and 3 ranges
    assert distributed._cut_parts([distributed._GRAPH_TASK, "neo4j"], 3) == {"neo4j": 4}
    out = tmp_path / "out"
    out.mkdir()
    with distributed._pool_executor(2) as (futures, _, _):
        files = distributed._export_on_workers(futures, tables, out, options, 3)
    assert files == [out / "neo4j" / p.name for p in expected]
    for mine, theirs in zip(files, expected, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
    assert sorted(p.name for p in out.iterdir()) == ["graph.geokg.json", "neo4j"]
