"""GraphML, GEXF and node-link JSON: each reads back to an equal graph."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from geokg.errors import ExportError, InputError
from geokg.exports import graphfiles as gf
from tests.exports._graph_sample import HOSTILE, TRICKY, sample_graph

Writer = Callable[[nx.MultiDiGraph, Path], Path]
Reader = Callable[[Path], nx.MultiDiGraph]

FORMATS: list[tuple[str, Writer, Reader]] = [
    ("graph.graphml", gf.write_graphml, gf.read_graphml),
    ("graph.gexf", gf.write_gexf, gf.read_gexf),
    ("graph.json", gf.write_node_link, gf.read_node_link),
]
IDS = ["graphml", "gexf", "node-link"]


def assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    """Equal structure (keys included) and every attribute equal, with its type."""
    assert isinstance(got, nx.MultiDiGraph)
    assert nx.utils.graphs_equal(got, want)
    assert got.graph == want.graph
    assert sorted(got.nodes) == sorted(want.nodes)
    for node, data in want.nodes(data=True):
        assert got.nodes[node] == data, node
        for key, value in data.items():
            assert type(got.nodes[node][key]) is type(value), (node, key)
    want_edges = sorted(want.edges(keys=True), key=str)
    assert sorted(got.edges(keys=True), key=str) == want_edges
    for source, target, key in want_edges:
        data = want.edges[source, target, key]
        assert got.edges[source, target, key] == data, key
        for name, value in data.items():
            assert type(got.edges[source, target, key][name]) is type(value), (key, name)


@pytest.mark.parametrize(("name", "write", "read"), FORMATS, ids=IDS)
def test_round_trip_is_equal(tmp_path: Path, name: str, write: Writer, read: Reader) -> None:
    graph = sample_graph()
    before = copy.deepcopy(graph)
    path = write(graph, tmp_path / name)
    assert path == tmp_path / name
    assert_same_graph(graph, before)  # the writer does not touch its input
    got = read(path)
    assert_same_graph(got, graph)
    assert got.nodes["org:hostile"]["label"] == TRICKY
    hostile = [d for *_, d in got.edges(keys=True, data=True) if d["relation"] == TRICKY]
    assert [p["sentence"] for p in hostile[0]["provenance"]] == list(HOSTILE)
    assert got.edges["GBR", "RUS", next(iter(got["GBR"]["RUS"]))]["weight"] == 1


@pytest.mark.parametrize(("name", "write", "read"), FORMATS, ids=IDS)
def test_mixed_types_and_missing_values(
    tmp_path: Path, name: str, write: Writer, read: Reader
) -> None:
    graph = nx.MultiDiGraph(name="geokg", documents={})
    graph.add_node("a", label="A", x=1, flag=True, score=None)
    graph.add_node("b", label="B", x="1", flag=False, score=0.5)
    graph.add_node("c", label="C", x=1.5, flag=None, score=-2.0)
    graph.add_edge("a", "b", key="e-2", id="e-2", weight=2, span=[0, 4])
    graph.add_edge("a", "b", key="e-1", id="e-1", weight=3, span=None)
    got = read(write(graph, tmp_path / name))
    assert_same_graph(got, graph)


@pytest.mark.parametrize(("name", "write", "read"), FORMATS, ids=IDS)
def test_empty_graph(tmp_path: Path, name: str, write: Writer, read: Reader) -> None:
    graph = nx.MultiDiGraph()
    assert_same_graph(read(write(graph, tmp_path / name)), graph)


@pytest.mark.parametrize(("name", "write", "read"), FORMATS[:2], ids=IDS[:2])
def test_xml_illegal_characters_are_removed_from_strings_only(
    tmp_path: Path, name: str, write: Writer, read: Reader
) -> None:
    graph = sample_graph()
    dirty = "nul\x00 bell\x07 esc\x1b vt\x0b ok\ttab\nnl\rcr \ufffe"
    graph.nodes["RUS"]["label"] = dirty
    graph.nodes["RUS"]["aliases"] = [dirty]
    path = write(graph, tmp_path / name)
    ET.parse(path)  # well-formed XML 1.0
    got = read(path)
    assert got.nodes["RUS"]["label"] == "nul bell esc vt ok\ttab\nnl\rcr "
    assert got.nodes["RUS"]["label"] == gf.xml_safe(dirty)
    assert got.nodes["RUS"]["aliases"] == [dirty]  # JSON text keeps them as \\u escapes
    graph.nodes["RUS"]["label"] = gf.xml_safe(dirty)
    assert_same_graph(got, graph)


def test_node_link_keeps_control_characters(tmp_path: Path) -> None:
    graph = sample_graph()
    graph.nodes["RUS"]["label"] = "nul\x00 bell\x07"
    assert_same_graph(gf.read_node_link(gf.write_node_link(graph, tmp_path / "g.json")), graph)


def test_graphml_reads_with_a_plain_xml_parser(tmp_path: Path) -> None:
    graph = sample_graph()
    path = gf.write_graphml(graph, tmp_path / "graph.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root}
    keys.pop(None, None)
    by_name = {(scope, name): (key_id, kind) for key_id, (scope, name, kind) in keys.items()}
    label_key, label_type = by_name["node", "label"]
    assert label_type == "string"
    assert by_name["edge", "negated"][1] == "boolean"
    assert by_name["edge", "goldstein"][1] == "double"
    labels = {
        node.get("id"): node.find(f"g:data[@key='{label_key}']", ns).text  # type: ignore[union-attr]
        for node in root.iterfind("g:graph/g:node", ns)
    }
    assert labels == {n: d["label"] for n, d in graph.nodes(data=True)}
    edges = root.findall("g:graph/g:edge", ns)
    assert sorted(e.get("id") or "" for e in edges) == sorted(k for *_, k in graph.edges(keys=True))
    # Markup in the text stays text: no element other than GraphML's own.
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags == {"graphml", "key", "graph", "node", "edge", "data"}


def test_gexf_is_plain_gexf_without_a_date(tmp_path: Path) -> None:
    path = gf.write_gexf(sample_graph(), tmp_path / "graph.gexf")
    root = ET.parse(path).getroot()
    ns = {"x": "http://www.gexf.net/1.2draft"}
    meta = root.find("x:meta", ns)
    assert meta is not None
    assert "lastmodifieddate" not in meta.attrib
    nodes = root.findall("x:graph/x:nodes/x:node", ns)
    assert {n.get("label") for n in nodes} >= {"Russia", TRICKY}
    assert len(root.findall("x:graph/x:edges/x:edge", ns)) == sample_graph().number_of_edges()


@pytest.mark.parametrize(
    "render", [gf.render_graphml, gf.render_gexf, gf.render_node_link], ids=IDS
)
def test_output_is_deterministic_and_order_independent(
    render: Callable[[nx.MultiDiGraph], str],
) -> None:
    text = render(sample_graph())
    assert render(sample_graph()) == text
    assert render(sample_graph(reverse=True)) == text


def test_node_link_layout() -> None:
    data = gf.to_node_link(sample_graph())
    assert set(data) == {"directed", "multigraph", "graph", "nodes", "links"}
    assert data["directed"] is True
    assert data["multigraph"] is True
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    assert [link["key"] for link in data["links"]] == sorted(link["key"] for link in data["links"])
    assert all(link["key"] == link["id"] for link in data["links"])
    parsed = json.loads(gf.render_node_link(sample_graph()))
    assert parsed == json.loads(json.dumps(data))


def test_non_geokg_files_are_refused(tmp_path: Path) -> None:
    plain = nx.MultiDiGraph()
    plain.add_edge("a", "b")
    nx.write_graphml(plain, tmp_path / "plain.graphml")
    with pytest.raises(InputError, match="geokg_schema"):
        gf.read_graphml(tmp_path / "plain.graphml")
    nx.write_gexf(plain, tmp_path / "plain.gexf")
    with pytest.raises(InputError, match="description"):
        gf.read_gexf(tmp_path / "plain.gexf")


@pytest.mark.parametrize("bad", [float("nan"), {1, 2}])
def test_unwritable_values_raise_export_error(bad: Any) -> None:
    graph = sample_graph()
    graph.nodes["RUS"]["odd"] = bad
    with pytest.raises(ExportError):
        gf.render_graphml(graph)
    with pytest.raises(ExportError):
        gf.render_node_link(graph)


def test_colliding_ids_after_cleaning_raise() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a\x01")
    graph.add_node("a")
    with pytest.raises(ExportError, match="same once XML-illegal"):
        gf.to_graphml_graph(graph)
