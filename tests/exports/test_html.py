"""The interactive HTML page, without a browser: offline, escaped, deterministic, reduced."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geokg.errors import ConfigError
from geokg.exports.html import (
    COMMUNITY_COLOURS,
    DASHES,
    EDGE_COLOURS,
    EDGE_LABEL_LIMIT,
    MAX_SOURCES,
    NODE_STYLES,
    TOP_LABELS,
    export_html,
    render_html,
    write_html,
)


def _load_sample() -> ModuleType:
    path = Path(__file__).with_name("_html_sample.py")
    spec = importlib.util.spec_from_file_location("geokg_tests_html_sample", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = _load_sample()


class _Page(HTMLParser):
    """Collects every element with its attributes and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self._buf = []

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _data(page: str) -> dict[str, Any]:
    parsed = _parse(page)
    blocks = [text for attrs, text in parsed.scripts if attrs.get("id") == "geokg-data"]
    assert len(blocks) == 1
    result: dict[str, Any] = json.loads(blocks[0])
    return result


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample.sample_graph(), title="Sample")


def test_no_external_resources(page: str) -> None:
    parsed = _parse(page)
    for tag, attrs in parsed.elements:
        assert not (tag == "script" and "src" in attrs), attrs
        assert tag != "link", attrs
        assert tag not in {"iframe", "img", "object", "embed", "base"}, tag
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "bootstrap" not in page.lower()


def test_vis_network_is_inline(page: str) -> None:
    parsed = _parse(page)
    executable = [text for attrs, text in parsed.scripts if "type" not in attrs]
    assert len(executable) == 2
    assert "vis-network" in executable[0]
    assert "@version 9.1.2" in executable[0]
    assert len(executable[0]) > 400_000
    assert "window.geokg" in executable[1]
    csp = [a for t, a in parsed.elements if t == "meta" and a.get("http-equiv")]
    assert len(csp) == 1
    policy = csp[0]["content"] or ""
    assert "default-src 'none'" in policy
    assert "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy.split("style-src")[0]


def test_counts_and_attributes(page: str) -> None:
    graph = sample.sample_graph()
    data = _data(page)
    assert len(data["nodes"]) == graph.number_of_nodes() == 10
    assert len(data["edges"]) == graph.number_of_edges()
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert {e["id"] for e in data["edges"]} == {k for _, _, k in graph.edges(keys=True)}
    assert data["notice"] == ""
    assert data["counts"] == {
        "nodes": 10,
        "edges": graph.number_of_edges(),
        "total_nodes": 10,
        "total_edges": graph.number_of_edges(),
    }
    nodes = {n["id"]: n for n in data["nodes"]}
    for nid, attrs in graph.nodes(data=True):
        node = nodes[nid]
        assert node["label"] == attrs["label"]
        assert node["shape"] == NODE_STYLES[attrs["type"]].shape
        assert node["color"]["background"] == NODE_STYLES[attrs["type"]].colour
        assert node["geokg"]["degree"] == graph.degree(nid)
        assert isinstance(node["x"], float)
        assert isinstance(node["y"], float)
    # bigger degree, bigger node
    assert nodes["UKR"]["size"] > nodes["location:kyiv"]["size"]
    edges = {e["id"]: e for e in data["edges"]}
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        edge = edges[key]
        assert (edge["from"], edge["to"]) == (u, v)
        assert edge["arrows"] == "to"
        assert edge["color"]["color"] == EDGE_COLOURS[attrs["quad_class"]]
        assert edge["label"] == ("not " if attrs["negated"] else "") + attrs["relation"]
        expected = DASHES.get(attrs["modality"], DASHES["negated"] if attrs["negated"] else False)
        assert edge["dashes"] == expected
        assert [p["sentence"] for p in edge["geokg"]["provenance"]] == [
            p["sentence"] for p in attrs["provenance"]
        ]
        assert edge["geokg"]["weight"] == attrs["weight"]
    assert set(data["documents"]) == {"doc-a", "doc-b", "doc-c"}
    assert data["documents"]["doc-a"]["url"] == "https://news.example.org/a"
    assert data["dates"] == ["2025-05-14", "2025-05-20"]


def test_parallel_edges_are_curved_apart(page: str) -> None:
    data = _data(page)
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for e in data["edges"]:
        by_pair.setdefault((min(e["from"], e["to"]), max(e["from"], e["to"])), []).append(e)
    ukr_rus = by_pair[("RUS", "UKR")]
    assert len(ukr_rus) == 2
    assert all(e["smooth"]["type"] == "curvedCW" for e in ukr_rus)
    single = by_pair[("POL", "RUS")]
    assert len(single) == 1
    assert "smooth" not in single[0]


def test_hostile_text_is_inert() -> None:
    graph = sample.hostile_graph()
    page = render_html(graph, title=sample.HOSTILE[0] + sample.HOSTILE[1])
    parsed = _parse(page)
    for payload in sample.HOSTILE:
        assert payload not in page
    assert "\u2028" not in page
    assert "\u2029" not in page
    data_block = next(t for a, t in parsed.scripts if a.get("id") == "geokg-data")
    assert "javascript:" not in data_block  # the javascript: URL was dropped, not embedded
    scripts = [attrs for tag, attrs in parsed.elements if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "geokg-data"}, {}, {}]
    for tag, attrs in parsed.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag not in {"img", "svg", "iframe"}, tag
    title = [e for e in parsed.elements if e[0] == "title"]
    assert len(title) == 1
    # the data survives intact: escaped for the HTML parser, exact for JSON.parse
    data = _data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {sample.HOSTILE[0], sample.HOSTILE[1]}
    sentences = [p["sentence"] for e in data["edges"] for p in e["geokg"]["provenance"]]
    assert " ".join(sample.HOSTILE) in sentences
    assert all(d["url"] is None for d in data["documents"].values())
    assert all(n["geokg"]["wikidata"] is None for n in data["nodes"])


def test_big_graph_keeps_top_actors_and_says_so() -> None:
    graph = sample.big_graph(40)
    page = render_html(graph, max_nodes=10)
    data = _data(page)
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))
    kept = set(ranked[:10])
    assert {n["id"] for n in data["nodes"]} == kept
    expected_edges = {k for u, v, k in graph.edges(keys=True) if u in kept and v in kept}
    assert {e["id"] for e in data["edges"]} == expected_edges
    notice = (
        f"Showing 10 of 40 actors and {len(expected_edges)} of {graph.number_of_edges()} "
        "relations (top by degree). To see them all: geokg build --page-max-actors 40 (the page "
        "stays readable at 2,000), or every actor in graph.ttl, graph.graphml and triples.jsonl."
    )
    assert data["notice"] == notice
    assert f'id="notice" class="notice" role="status">{notice}</div>' in page


def test_big_graph_default_threshold() -> None:
    graph = sample.big_graph(330)
    data = _data(render_html(graph))
    assert len(data["nodes"]) == 300
    assert data["counts"]["total_nodes"] == 330
    assert data["notice"].startswith("Showing 300 of 330 actors")
    assert all("x" in n and "y" in n for n in data["nodes"])  # laid out here, seeded
    assert data["options"]["physics"]["enabled"] is False  # opens as laid out: no hairball dance
    small = _data(render_html(sample.sample_graph()))
    assert small["options"]["physics"]["enabled"] is True  # a short polish of the spring layout
    assert small["options"]["physics"]["stabilization"]["iterations"] == 120


def test_degree_ties_broken_by_id() -> None:
    graph = nx.MultiDiGraph()
    for n in ("c", "a", "d", "b"):
        graph.add_node(n, label=n.upper(), type="other")
    data = _data(render_html(graph, max_nodes=2))
    assert [n["id"] for n in data["nodes"]] == ["a", "b"]


def test_big_graph_is_laid_out_here_and_opens_without_physics() -> None:
    graph = sample.big_graph(520)
    page = render_html(graph, max_nodes=600, seed=3)
    data = _data(page)
    assert len(data["nodes"]) == 520
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 520  # laid out, not stacked
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert all("smooth" not in e for e in data["edges"])  # straight: cheap to draw
    assert page == render_html(graph, max_nodes=600, seed=3)
    moved = _data(render_html(graph, max_nodes=600, seed=4))
    assert [n["x"] for n in moved["nodes"]] != [n["x"] for n in data["nodes"]]


def test_force_layout_memory_is_bounded_and_blocks_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from geokg.exports import html

    graph = sample.big_graph(150)
    whole = render_html(graph)
    monkeypatch.setattr(html, "_BLOCK_CELLS", 150 * 7)  # seven rows a block, the last short
    assert render_html(graph) == whole


def test_size_and_rank_follow_weighted_degree() -> None:
    graph = nx.MultiDiGraph()
    for n in ("hub", "busy", "quiet", "alone"):
        graph.add_node(n, label=n, type="person")
    for i, (u, v, mentions) in enumerate(
        [("hub", "busy", 1), ("hub", "quiet", 1), ("busy", "quiet", 9)]
    ):
        provs = [
            sample.provenance("d", f"s{i}-{j}", date=None, speaker=None) for j in range(mentions)
        ]
        attrs = sample.edge_attrs(u, "meet", v, provenance=provs)
        graph.add_edge(u, v, key=attrs["id"], **attrs)
    nodes = {n["id"]: n for n in _data(render_html(graph))["nodes"]}
    weight = {k: n["geokg"]["weight"] for k, n in nodes.items()}
    assert weight == {"hub": 2, "busy": 10, "quiet": 10, "alone": 0}
    rank = {k: n["geokg"]["rank"] for k, n in nodes.items()}
    assert rank == {"busy": 0, "quiet": 1, "hub": 2, "alone": 3}  # ties by id
    assert nodes["busy"]["size"] == nodes["quiet"]["size"] > nodes["hub"]["size"]
    assert nodes["hub"]["size"] > nodes["alone"]["size"]


def _two_camps() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    camps = {"west": [f"w{i}" for i in range(6)], "east": [f"e{i}" for i in range(5)]}
    for members in camps.values():
        for n in members:
            graph.add_node(n, label=n.upper(), type="country")
        for u, v in itertools.combinations(members, 2):
            attrs = sample.edge_attrs(u, "meet", v, provenance=[])
            graph.add_edge(u, v, key=attrs["id"], **attrs)
    attrs = sample.edge_attrs("w0", "accuse", "e0", provenance=[])
    graph.add_edge("w0", "e0", key=attrs["id"], **attrs)
    graph.add_node("loner", label="Loner", type="person")
    return graph


def test_communities_are_found_and_named() -> None:
    data = _data(render_html(_two_camps()))
    community = {n["id"]: n["geokg"]["community"] for n in data["nodes"]}
    west = {community[f"w{i}"] for i in range(6)}
    east = {community[f"e{i}"] for i in range(5)}
    assert west == {0}  # the bigger camp comes first
    assert east == {1}
    assert community["loner"] is None
    legend = data["communities"]
    assert [(c["community"], c["size"]) for c in legend] == [(0, 6), (1, 5)]
    assert legend[0]["top"] == "W0"  # the camp's most connected actor names it
    assert legend[0]["colour"] == COMMUNITY_COLOURS[0]
    assert render_html(_two_camps()) == render_html(_two_camps())


def test_view_settings_and_date_source_reach_the_page(page: str) -> None:
    data = _data(page)
    assert data["view"] == {"top_labels": TOP_LABELS, "edge_labels": EDGE_LABEL_LIMIT}
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="A", type="person")
    graph.add_node("b", label="B", type="person")
    prov = {**sample.provenance("d", "A met B.", date="2025-03-04", speaker=None)}
    prov["date_source"] = "article"
    attrs = sample.edge_attrs("a", "meet", "b", provenance=[prov])
    graph.add_edge("a", "b", key=attrs["id"], **attrs)
    (edge,) = _data(render_html(graph))["edges"]
    assert edge["geokg"]["provenance"][0]["date_source"] == "article"
    assert edge["geokg"]["dates"] == ["2025-03-04"]


def test_deterministic_and_order_independent(page: str) -> None:
    again = render_html(sample.sample_graph(), title="Sample")
    reordered = render_html(sample.sample_graph(reverse=True), title="Sample")
    assert page == again == reordered
    other_seed = render_html(sample.sample_graph(), title="Sample", seed=8)
    assert other_seed != page
    assert _data(other_seed)["edges"] == _data(page)["edges"]


def test_input_graph_not_mutated() -> None:
    graph = sample.sample_graph()
    before = (
        nx.node_link_data(graph, edges="links"),
        json.dumps(graph.graph, sort_keys=True, default=str),
    )
    render_html(graph)
    after = (
        nx.node_link_data(graph, edges="links"),
        json.dumps(graph.graph, sort_keys=True, default=str),
    )
    assert before == after


def test_write_html_writes_only_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "out" / "graph.html"
    result = write_html(sample.sample_graph(), out, title="Sample")
    assert result == out
    assert list(cwd.iterdir()) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.html"]
    assert out.read_text(encoding="utf-8") == render_html(sample.sample_graph(), title="Sample")


def test_empty_graph_renders() -> None:
    data = _data(render_html(nx.MultiDiGraph()))
    assert data["nodes"] == []
    assert data["edges"] == []
    assert data["dates"] is None


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_bad_max_nodes(bad: Any) -> None:
    with pytest.raises(ConfigError, match="max_nodes"):
        render_html(nx.MultiDiGraph(), max_nodes=bad)


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_bad_max_edges(bad: Any) -> None:
    with pytest.raises(ConfigError, match="max_edges must be a positive integer"):
        render_html(nx.MultiDiGraph(), max_edges=bad)


def _weighted_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for n in ("a", "b", "c", "d"):
        graph.add_node(n, label=n.upper(), type="country")
    # (source, target, id, weight): ties on weight 3 broken by id
    for u, v, eid, weight in [
        ("a", "b", "e5", 1),
        ("b", "c", "e4", 3),
        ("c", "d", "e3", 7),
        ("d", "a", "e2", 3),
        ("a", "c", "e1", 2),
        ("b", "d", "e0", 3),
    ]:
        graph.add_edge(u, v, key=eid, id=eid, relation="meet", weight=weight)
    return graph


def test_page_draws_the_heaviest_relations_and_says_so() -> None:
    graph = _weighted_graph()
    data = _data(render_html(graph, max_edges=3))
    assert {e["id"] for e in data["edges"]} == {"e3", "e0", "e2"}  # 7, then 3 by id
    assert len(data["nodes"]) == 4  # every actor stays
    assert data["counts"]["edges"] == 3
    assert data["counts"]["total_edges"] == 6
    assert data["notice"] == (
        "Showing 4 of 4 actors and 3 of 6 relations. Of the 6 relations among these actors "
        "the 3 heaviest are drawn: geokg build --page-max-relations 6 draws them all."
    )
    # a bound the graph does not reach changes nothing
    assert render_html(graph, max_edges=6) == render_html(graph)
    assert _data(render_html(graph, max_edges=6))["notice"] == ""


def test_relation_bound_applies_among_the_shown_actors() -> None:
    graph = _weighted_graph()
    # top 3 actors by degree: a, b, c, d have degree 3 each: ties by id keep a, b, c
    data = _data(render_html(graph, max_nodes=3, max_edges=2))
    assert {n["id"] for n in data["nodes"]} == {"a", "b", "c"}
    assert {e["id"] for e in data["edges"]} == {"e4", "e1"}  # of e5 (1), e4 (3), e1 (2)
    assert data["notice"] == (
        "Showing 3 of 4 actors and 2 of 6 relations (top by degree). To see them all: geokg "
        "build --page-max-actors 4 (the page stays readable at 2,000), or every actor in "
        "graph.ttl, graph.graphml and triples.jsonl. Of the 3 relations among these actors the "
        "2 heaviest are drawn: geokg build --page-max-relations 3 draws them all."
    )


def test_not_a_graph() -> None:
    with pytest.raises(ConfigError, match="networkx graph"):
        render_html({"nodes": []})


def test_export_html_writes_graph_html(tmp_path: Path) -> None:
    paths = export_html(sample.sample_graph(), tmp_path / "out")
    assert paths == [tmp_path / "out" / "graph.html"]
    assert paths[0].read_text(encoding="utf-8") == render_html(sample.sample_graph())


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    sample.HOSTILE
)


@settings(max_examples=25, deadline=None)
@given(label=_TEXT, sentence=_TEXT, relation=_TEXT, title=_TEXT)
def test_any_text_round_trips_and_stays_data(
    label: str, sentence: str, relation: str, title: str
) -> None:
    graph = nx.MultiDiGraph(documents={"d": {"title": title, "url": None, "published": None}})
    graph.add_node("a", label=label, type="person")
    graph.add_node("b", label="B", type="country")
    prov = sample.provenance("d", sentence, date=None, speaker=None)
    attrs = sample.edge_attrs("a", relation, "b", provenance=[prov])
    graph.add_edge("a", "b", key=attrs["id"], **attrs)
    page = render_html(graph, title=title)
    parsed = _parse(page)
    assert [t for t, _ in parsed.elements].count("script") == 3
    block = next(t for a, t in parsed.scripts if a.get("id") == "geokg-data")
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    data = json.loads(block)
    node = next(n for n in data["nodes"] if n["id"] == "a")
    assert node["label"] == (label or "a")
    (edge,) = data["edges"]
    assert edge["geokg"]["provenance"][0]["sentence"] == sentence
    assert edge["geokg"]["relation"] == (relation or "related to")
    assert data["documents"]["d"]["title"] == (title or None)


def _one_edge_page(sources: int) -> str:
    """A page of one edge backed by ``sources`` sentences, each from its own document."""
    docs = {f"doc-{i:05d}": {"title": f"Story {i}", "url": None} for i in range(sources)}
    graph = nx.MultiDiGraph(documents=docs)
    graph.add_node("RUS", label="Russia", type="country", docs=sorted(docs))
    graph.add_node("UKR", label="Ukraine", type="country", docs=sorted(docs))
    provs = [
        sample.provenance(
            doc, f"Russia attacked Ukraine again, report {i}.", date=None, speaker=f"p{i}"
        )
        for i, doc in enumerate(sorted(docs))
    ]
    attrs = sample.edge_attrs("RUS", "attack", "UKR", quad_class=4, provenance=provs)
    graph.add_edge("RUS", "UKR", key=attrs["id"], **attrs)
    return render_html(graph)


def test_an_edge_embeds_its_first_sources_and_counts_the_rest() -> None:
    small, big, huge = (_one_edge_page(n) for n in (MAX_SOURCES + 1, 500, 5000))
    # the page does not grow with the sources behind an edge (only the counts' digits do)
    assert len(huge) - len(small) < 200
    assert len(big) - len(small) < 200
    data = _data(huge)
    (edge,) = data["edges"]
    g = edge["geokg"]
    assert [p["doc_id"] for p in g["provenance"]] == [f"doc-{i:05d}" for i in range(MAX_SOURCES)]
    assert (g["sources"], g["documents"], g["weight"]) == (5000, 5000, 5000)
    assert (len(g["speakers"]), g["more_speakers"]) == (MAX_SOURCES, 5000 - MAX_SOURCES)
    assert sorted(data["documents"]) == [f"doc-{i:05d}" for i in range(MAX_SOURCES)]
    assert all(n["geokg"]["documents"] == 5000 for n in data["nodes"])
    notice = f"Each relation shows its first {MAX_SOURCES} sources; all are in triples.jsonl."
    assert data["notice"] == notice
    assert f'role="status">{notice}</div>' in huge


def test_an_edge_within_the_cap_is_whole_and_the_page_says_nothing() -> None:
    data = _data(_one_edge_page(MAX_SOURCES))
    (edge,) = data["edges"]
    assert len(edge["geokg"]["provenance"]) == edge["geokg"]["sources"] == MAX_SOURCES
    assert edge["geokg"]["more_speakers"] == 0
    assert data["notice"] == ""
