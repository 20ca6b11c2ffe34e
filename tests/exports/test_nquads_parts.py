"""N-Quads in parts (geokg.exports.rdf.nquads_part): a first part, then the events of ranges of
edge ids, which concatenate to the file; and a distributed build's export tasks writing the
parts side by side and joining them."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import pytest

from geokg.exports import rdf
from geokg.options import BuildOptions
from tests.exports._rdf_sample import build_sample


def _text(chunks: object) -> str:
    return "".join(chunks)  # type: ignore[call-overload]


def test_key_ranges_cover_every_id_in_order() -> None:
    ranges = rdf.key_ranges(5)
    assert ranges[0][0] == ""
    assert ranges[-1][1] is None
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    ids = ["", "e-0000000000000000", "e-7fffffffffffffff", "e-8000", "e-ffffffffffffffff", "z"]
    for key in ids:
        inside = [lo <= key and (hi is None or key < hi) for lo, hi in ranges]
        assert inside.count(True) == 1, key
    with pytest.raises(ValueError, match="at least 1"):
        rdf.key_ranges(0)


@pytest.mark.parametrize("parts", [2, 3, 4, 7])
def test_the_parts_of_an_in_memory_graph_join_into_the_file(parts: int) -> None:
    g = build_sample()
    u, v, _, data = next(iter(g.edges(keys=True, data=True)))
    for cut, _ in rdf.key_ranges(parts - 1)[1:]:  # an id on each cut: in one range only
        records = [{**r, "relation_id": f"{r['relation_id']}-{cut}"} for r in data["provenance"]]
        g.add_edge(u, v, key=cut, **{**data, "provenance": records})
    whole = _text(rdf.iter_nquads(g))
    pieces = [_text(rdf.nquads_part(g, i, parts)) for i in range(parts)]
    assert "".join(pieces) == whole
    assert all(pieces[1:]) or parts > 3  # the sample's events fall into every range of a few
    assert rdf.event_iri(next(iter(g.edges(keys=True)))[2]) not in pieces[0]


def test_a_part_checks_what_the_file_checks() -> None:
    g = build_sample()
    with pytest.raises(ValueError, match="parts >= 2"):
        rdf.nquads_part(g, 0, 1)
    with pytest.raises(ValueError, match="0 <= part < parts"):
        rdf.nquads_part(g, 3, 3)
    bad = nx.MultiDiGraph(documents={})
    bad.add_edge("A", "B", key="e-1", relation="meet", provenance=[{"doc_id": "d"}])
    with pytest.raises(rdf.ExportError, match="relation_id"):
        _text(rdf.nquads_part(bad, 1, 2))


def _stored(tmp_path: Path) -> Path:
    pytest.importorskip("duckdb")
    from geokg.tables import stored_graph, write_relations
    from tests.test_tables import _records

    tables = tmp_path / "tables"
    tables.mkdir()
    write_relations(_records(5, 120), tables / "relations.parquet")
    stored_graph(tables / "relations.parquet", tables)
    return tables


def test_event_parts_read_their_edges_alone_and_give_the_same_text(tmp_path: Path) -> None:
    from geokg.tables import open_edge_range, open_stored_graph

    tables = _stored(tmp_path)
    g = open_stored_graph(tables)
    parts = 4
    pieces = [_text(rdf.nquads_part(g, 0, parts))]
    edges = 0
    for i, (first, end) in enumerate(rdf.key_ranges(parts - 1), start=1):
        alone = open_edge_range(tables, first, end)
        edges += alone.number_of_edges()
        assert alone.number_of_edges() < g.number_of_edges()
        assert all(first <= k and (end is None or k < end) for _, _, k in alone.edges(keys=True))
        for u, v, k in alone.edges(keys=True):
            assert alone.edges[u, v, k]["provenance"] == g.edges[u, v, k]["provenance"]
        pieces.append(_text(rdf.nquads_part(alone, i, parts)))
    assert edges == g.number_of_edges()
    assert "".join(pieces) == _text(rdf.iter_nquads(g))


@pytest.mark.parametrize("min_confidence", [0.0, 0.6])
def test_export_tasks_write_nquads_in_parts_and_join_them(
    tmp_path: Path, min_confidence: float
) -> None:
    from geokg import distributed
    from geokg.report import confidence_part
    from geokg.tables import open_stored_graph

    tables = _stored(tmp_path)
    options = BuildOptions(progress=False, exports=("nquads",), min_confidence=min_confidence)
    shown, held = confidence_part(open_stored_graph(tables), options)
    assert (held["edges_held_back"] > 0) == (min_confidence > 0)
    expected = _text(rdf.iter_nquads(shown))
    # on 3 workers, N-Quads alone (and the graph file) is cut: a first part and 3 ranges
    assert distributed._cut_parts([distributed._GRAPH_TASK, "nquads"], 3) == {"nquads": 4}
    out = tmp_path / "out"
    out.mkdir()
    with distributed._pool_executor(2) as (futures, _, _):
        files = distributed._export_on_workers(futures, tables, out, options, 3)
    assert files == [out / "graph.nq"]
    assert (out / "graph.nq").read_text("utf-8") == expected
    assert sorted(p.name for p in out.iterdir()) == ["graph.geokg.json", "graph.nq"]


def test_an_export_is_cut_only_where_it_would_hold_the_others_up() -> None:
    # N-Quads and Neo4j (tests/exports/test_neo4j_parts.py) share geokg.distributed._cut_parts
    from geokg.distributed import _GRAPH_TASK, _cut_parts, _export_groups, _part_name
    from geokg.exports import EXPORTERS

    every = [_GRAPH_TASK, *EXPORTERS.names()]
    assert _cut_parts(every, 2) == {}  # ten other exports keep two workers busy
    assert _cut_parts(every, 32) == {}  # GEXF, JSON-LD and GraphML take longer
    assert _cut_parts([_GRAPH_TASK, "nquads"], 1) == {}
    assert _cut_parts([_GRAPH_TASK, "turtle"], 4) == {}
    assert _cut_parts([_GRAPH_TASK, "nquads", "turtle"], 8) == {}  # Turtle takes longer
    assert _cut_parts([_GRAPH_TASK, "nquads"], 2) == {}  # measured slower cut in 3
    assert _cut_parts([_GRAPH_TASK, "nquads"], 4) == {"nquads": 5}
    assert _cut_parts(["nquads"], 3) == {"nquads": 4}
    assert _cut_parts([_GRAPH_TASK, "neo4j"], 1) == {}
    assert _cut_parts([_GRAPH_TASK, "neo4j"], 2) == {"neo4j": 3}  # measured faster cut in 3
    assert _cut_parts([_GRAPH_TASK, "neo4j", "nquads"], 2) == {}
    assert _cut_parts([_GRAPH_TASK, "neo4j", "nquads"], 4) == {"neo4j": 5}
    assert _cut_parts([_GRAPH_TASK, "neo4j", "nquads"], 8) == {"neo4j": 9, "nquads": 9}
    assert _cut_parts([_GRAPH_TASK, "neo4j", "gexf"], 8) == {}  # GEXF takes longer
    tasks = [_GRAPH_TASK, *(_part_name("nquads", i, 5) for i in range(5))]
    groups = _export_groups(tasks, 4)
    assert sorted(n for g in groups for n in g) == sorted(tasks)
    assert len(groups) == 4
