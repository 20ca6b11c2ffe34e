"""Graph assembly: stable keys, accumulated provenance, idempotent and order-free merges."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from geokg.graph.assemble import (
    add_fact,
    consolidate_people,
    load_graph,
    merge_graphs,
    new_graph,
    normalise_graph,
    save_graph,
)
from geokg.model import Actor, Event

GBR = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
RUS = Actor(id="RUS", label="Russia", type="country", country="RUS")
ACCUSE = Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0)


def prov(rid: str, doc: str = "d1", start: int = 0) -> dict[str, object]:
    return {
        "relation_id": rid,
        "doc_id": doc,
        "sentence": f"sentence {rid}",
        "span": [start, start + 10],
        "date": "2025-05-01" if rid.endswith("1") else None,
        "speaker": None,
        "confidence": 0.5 + 0.1 * len(rid) % 0.4,
        "extractor": "svo.v1",
        "model": "m",
    }


def fact(g: nx.MultiDiGraph, rid: str, *, negated: bool = False, doc: str = "d1") -> str:
    return add_fact(
        g,
        GBR,
        RUS,
        relation="accuse",
        negated=negated,
        modality="asserted",
        event=ACCUSE,
        provenance=prov(rid, doc),
    )


def test_same_fact_from_two_sentences_is_one_edge_with_two_provenances() -> None:
    g = new_graph()
    k1 = fact(g, "r-1")
    k2 = fact(g, "r-2", doc="d2")
    assert k1 == k2
    edge = g.edges["GBR", "RUS", k1]
    assert edge["weight"] == 2
    assert [p["relation_id"] for p in edge["provenance"]] == ["r-1", "r-2"]
    assert edge["dates"] == ["2025-05-01"]
    assert g.nodes["GBR"]["mentions"] == 2
    assert g.nodes["RUS"]["docs"] == ["d1", "d2"]


def test_negated_fact_is_a_different_edge() -> None:
    g = new_graph()
    assert fact(g, "r-1") != fact(g, "r-2", negated=True)
    assert g.number_of_edges() == 2


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    g = new_graph()
    fact(g, "r-1")
    g.graph["documents"]["d1"] = {"title": "T", "published": None, "source": "x", "url": None}
    save_graph(g, tmp_path / "g.json")
    back = load_graph(tmp_path / "g.json")
    assert nx.utils.graphs_equal(g, back)
    assert back.graph["documents"] == g.graph["documents"]
    save_graph(back, tmp_path / "g2.json")
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "g2.json").read_bytes()


def test_consolidate_merges_lone_surname_into_unique_full_name() -> None:
    g = new_graph()
    full = Actor(
        id="person:radoslaw-sikorski", label="Radoslaw Sikorski", type="person", country="POL"
    )
    lone = Actor(id="person:sikorski", label="Sikorski", type="person")
    add_fact(
        g,
        full,
        RUS,
        relation="criticise",
        negated=False,
        modality="asserted",
        event=None,
        provenance=prov("r-1"),
    )
    add_fact(
        g,
        lone,
        RUS,
        relation="criticise",
        negated=False,
        modality="asserted",
        event=None,
        provenance=prov("r-2", "d2"),
    )
    mapping = consolidate_people(g)
    assert mapping == {"person:sikorski": "person:radoslaw-sikorski"}
    assert "person:sikorski" not in g
    (edge,) = [d for _, _, d in g.edges(data=True)]
    assert edge["weight"] == 2
    assert "Sikorski" in g.nodes["person:radoslaw-sikorski"]["aliases"]


def _graphs_from(facts: list[tuple[str, bool, str]]) -> nx.MultiDiGraph:
    g = new_graph()
    for rid, neg, doc in facts:
        fact(g, rid, negated=neg, doc=doc)
    return g


FACTS = st.lists(
    st.tuples(
        st.sampled_from(["r-1", "r-2", "r-3", "r-4"]), st.booleans(), st.sampled_from(["d1", "d2"])
    ),
    max_size=8,
)


def _canonical(g: nx.MultiDiGraph) -> tuple[object, ...]:
    nodes = tuple(
        (n, tuple(sorted((k, str(v)) for k, v in d.items()))) for n, d in sorted(g.nodes(data=True))
    )
    edges = tuple(
        (u, v, k, tuple(sorted((a, str(b)) for a, b in g.edges[u, v, k].items())))
        for u, v, k in sorted(g.edges(keys=True))
    )
    return nodes, edges


@settings(max_examples=60, deadline=None)
@given(FACTS, FACTS)
def test_merge_is_idempotent_and_order_independent(
    a: list[tuple[str, bool, str]], b: list[tuple[str, bool, str]]
) -> None:
    ga, gb = _graphs_from(a), _graphs_from(b)
    ab = merge_graphs(ga, gb)
    assert _canonical(ab) == _canonical(merge_graphs(gb, ga))
    assert _canonical(merge_graphs(ab, ab)) == _canonical(ab)
    assert _canonical(merge_graphs(ab, ga)) == _canonical(ab)


@settings(max_examples=40, deadline=None)
@given(FACTS)
def test_insertion_order_does_not_matter(facts: list[tuple[str, bool, str]]) -> None:
    shuffled = list(facts)
    random.Random(0).shuffle(shuffled)
    # Provenance of one relation id is recorded once; a relation id keeps its first document.
    firsts: dict[str, tuple[str, bool, str]] = {}
    for f in facts:
        firsts.setdefault(f[0] + str(f[1]), f)
    unique = list(firsts.values())
    assert _canonical(merge_graphs(_graphs_from(unique))) == _canonical(
        merge_graphs(_graphs_from(list(reversed(unique))))
    )


@settings(max_examples=40, deadline=None)
@given(FACTS)
def test_normalise_gives_what_merge_gives_and_consumes_its_input(
    facts: list[tuple[str, bool, str]],
) -> None:
    g = _graphs_from(list(reversed(facts)))
    fact(g, "r-9", doc="d3")  # at least one edge
    expected = merge_graphs(g)
    got = normalise_graph(g)
    assert _canonical(got) == _canonical(expected)
    assert list(got.nodes) == list(expected.nodes)
    assert list(got.edges(keys=True)) == list(expected.edges(keys=True))
    assert got.graph == expected.graph
    assert g.number_of_nodes() == g.number_of_edges() == 0


def _reference_file(g: nx.MultiDiGraph) -> str:
    """What save_graph wrote when it built the whole file with one json.dumps."""
    import json

    data = {
        "format": "geokg-graph/1",
        "graph": {
            "name": g.graph.get("name", "geokg"),
            "documents": dict(sorted(g.graph.get("documents", {}).items())),
        },
        "nodes": [{"id": n, **g.nodes[n]} for n in sorted(g.nodes)],
        "edges": [
            {"source": u, "target": v, "key": k, **g.edges[u, v, k]}
            for u, v, k in sorted(g.edges(keys=True))
        ],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def test_streamed_graph_file_is_byte_for_byte_one_json_dump(tmp_path: Path) -> None:
    empty = new_graph()
    save_graph(empty, tmp_path / "empty.json")
    assert (tmp_path / "empty.json").read_text(encoding="utf-8") == _reference_file(empty)
    g = _graphs_from([("r-1", False, "d1"), ("r-2", True, "d2")])
    g.graph["documents"] = {"d2": {"title": 'Zürich\n"talks"', "url": None}, "d1": {}}
    g.nodes["GBR"]["aliases"] = ["UK", "Britain \u2028 line"]
    save_graph(g, tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text(encoding="utf-8") == _reference_file(g)
    back = load_graph(tmp_path / "g.json")
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
