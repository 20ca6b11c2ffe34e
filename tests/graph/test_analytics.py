"""Tests for geokg.graph.analytics: hand-built graphs with known answers, plus one real build."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from geokg.errors import ConfigError, ModelNotFoundError
from geokg.graph.analytics import (
    CENTRALITY_MEASURES,
    FACTUAL_MODALITIES,
    HEDGED_MODALITIES,
    centrality,
    communities,
    edge_status,
    pair_balance,
    render_stats,
    stats,
    stats_json,
    timeline,
)
from geokg.graph.assemble import add_fact, load_graph, merge_graphs, new_graph, save_graph
from geokg.model import MODALITIES, Actor, Event

# One fact: (subject, object, relation, negated, modality, event or None, [(doc, date), ...]).
Fact = tuple[str, str, str, bool, str, Event | None, list[tuple[str, str | None]]]

ACCUSE = Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0)
MEET = Event(plover="CONSULT", cameo="040", quad_class=1, goldstein=1.0)
SANCTION = Event(plover="SANCTION", cameo="163", quad_class=4, goldstein=-8.0)
AID = Event(plover="AID", cameo="070", quad_class=2, goldstein=7.0)
STATEMENT = Event(plover="OTHER", cameo="010", quad_class=0, goldstein=0.0)


def _actor(actor_id: str) -> Actor:
    return Actor(id=actor_id, label=f"Label {actor_id}", type="country", country=actor_id)


def _build(
    facts: Sequence[Fact], documents: dict[str, str | None] | None = None
) -> nx.MultiDiGraph:
    """Build a contract graph with the real assembler, one provenance record per (doc, date)."""
    g = new_graph()
    for doc_id, published in sorted((documents or {}).items()):
        g.graph["documents"][doc_id] = {
            "title": doc_id,
            "published": published,
            "source": "",
            "url": None,
        }
    for i, (s, o, rel, negated, modality, event, mentions) in enumerate(facts):
        for j, (doc_id, date) in enumerate(mentions):
            prov = {
                "relation_id": f"r-{i}-{j}",
                "doc_id": doc_id,
                "sentence": f"{s} {rel} {o}.",
                "span": [j * 10, j * 10 + 9],
                "date": date,
                "speaker": None,
                "confidence": 0.9,
                "extractor": "test",
                "model": "test",
            }
            add_fact(
                g,
                _actor(s),
                _actor(o),
                relation=rel,
                negated=negated,
                modality=modality,
                event=event,
                provenance=prov,
            )
    return g


def _fact(s: str, o: str, event: Event | None = MEET, *, n: int = 1, rel: str = "meet") -> Fact:
    return (s, o, rel, False, "asserted", event, [(f"d{k}", None) for k in range(1, n + 1)])


def _star(leaves: int = 4) -> nx.MultiDiGraph:
    """Every leaf acts on the hub once."""
    return _build([_fact(f"L{i}", "HUB") for i in range(leaves)])


# ----------------------------------------------------------------------------------------------
# Which edges count


def test_modalities_partition_the_contract_and_match_the_rdf_rule() -> None:
    from geokg.exports.rdf import FACTUAL_MODALITIES as RDF_FACTUAL

    assert set(RDF_FACTUAL) == FACTUAL_MODALITIES
    assert FACTUAL_MODALITIES.isdisjoint(HEDGED_MODALITIES)
    assert FACTUAL_MODALITIES | HEDGED_MODALITIES | {"negated"} == set(MODALITIES)


@pytest.mark.parametrize(
    ("negated", "modality", "expected"),
    [
        (False, "asserted", "fact"),
        (False, "reported", "fact"),
        (False, "requested", "hedged"),
        (False, "intended", "hedged"),
        (False, "hypothetical", "hedged"),
        (False, "negated", "negated"),
        (True, "asserted", "negated"),
        (True, "requested", "negated"),
        (False, "someday", "hedged"),  # unknown: never a fact
    ],
)
def test_edge_status(negated: bool, modality: str, expected: str) -> None:
    assert edge_status({"negated": negated, "modality": modality}) == expected


# ----------------------------------------------------------------------------------------------
# Centrality


def test_star_centre_tops_every_measure() -> None:
    g = _star(4)
    for measure in CENTRALITY_MEASURES:
        ranked = centrality(g, top=5, by=measure)
        assert ranked[0].id == "HUB", measure
        assert [s.id for s in ranked[1:]] == ["L0", "L1", "L2", "L3"]  # tie broken by id
    hub = centrality(g, top=1)[0]
    assert (hub.degree, hub.mentions, hub.betweenness) == (4, 4, 1.0)
    assert hub.label == "Label HUB"
    assert hub.type == "country"
    leaves = centrality(g, top=5, by="degree")[1:]
    assert all((s.degree, s.mentions, s.betweenness) == (1, 1, 0.0) for s in leaves)


def test_path_betweenness_by_hand() -> None:
    # a - b - c - d: b and c each lie on 2 of the 3 shortest paths between other pairs
    g = _build([_fact("a", "b"), _fact("b", "c"), _fact("c", "d")])
    scores = {s.id: s.betweenness for s in centrality(g, top=4, by="betweenness")}
    assert scores == {
        "a": 0.0,
        "b": pytest.approx(2 / 3, abs=1e-6),
        "c": pytest.approx(2 / 3, abs=1e-6),
        "d": 0.0,
    }


def test_pagerank_matches_networkx_on_the_collapsed_weighted_digraph() -> None:
    from networkx.algorithms.link_analysis.pagerank_alg import (
        _pagerank_python,  # networkx.pagerank itself needs scipy, which we do not install
    )

    rng = random.Random(3)
    ids = [f"n{i}" for i in range(9)]
    facts: list[Fact] = []
    for k in range(30):
        s, o = rng.sample(ids, 2)
        facts.append((s, o, f"rel{k % 4}", False, "asserted", MEET, [("d1", None)]))
        if k % 5 == 0:  # a second provenance record doubles that edge's weight
            facts.append((s, o, f"rel{k % 4}", False, "asserted", MEET, [("d2", None)]))
    g = _build(facts)
    simple = nx.DiGraph()
    simple.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        w = simple.edges[u, v]["weight"] if simple.has_edge(u, v) else 0
        simple.add_edge(u, v, weight=w + d["weight"])
    expected = _pagerank_python(simple, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    got = {s.id: s.pagerank for s in centrality(g, top=len(ids), by="pagerank")}
    assert set(got) == set(g.nodes)
    for node, value in expected.items():
        assert got[node] == pytest.approx(value, abs=2e-6), node
    assert math.fsum(got.values()) == pytest.approx(1.0, abs=1e-5)


def test_parallel_edges_sum_into_one_weight() -> None:
    # a -> b twice (two relations) against a -> c once: b must outrank c
    g = _build([_fact("a", "b", rel="meet"), _fact("a", "b", AID, rel="aid"), _fact("a", "c")])
    by_id = {s.id: s for s in centrality(g, top=3)}
    assert by_id["b"].pagerank > by_id["c"].pagerank
    assert by_id["b"].degree == by_id["c"].degree == 1
    assert (by_id["a"].mentions, by_id["b"].mentions, by_id["c"].mentions) == (3, 2, 1)


def test_hedged_and_negated_edges_do_not_link_actors() -> None:
    g = _build(
        [
            _fact("a", "b"),
            ("a", "c", "sanction", False, "requested", SANCTION, [("d1", None)]),
            ("a", "d", "meet", True, "asserted", MEET, [("d1", None)]),
        ]
    )
    by_id = {s.id: s for s in centrality(g, top=10, by="degree")}
    assert set(by_id) == {"a", "b", "c", "d"}  # every actor is listed ...
    assert (by_id["a"].degree, by_id["c"].degree, by_id["d"].degree) == (1, 0, 0)  # ... unlinked
    assert ["c"] in communities(g)
    assert ["d"] in communities(g)


def test_top_limits_and_rejects_bad_values() -> None:
    g = _star(4)
    assert len(centrality(g, top=2)) == 2
    assert len(centrality(g, top=50)) == 5
    for bad in (0, -1, True):
        with pytest.raises(ConfigError, match="top must be a positive integer"):
            centrality(g, top=bad)
    with pytest.raises(ConfigError, match="unknown centrality measure 'fame'"):
        centrality(g, by="fame")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="networkx graph"):
        stats({"nodes": []})


def test_betweenness_is_estimated_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    from geokg.graph import analytics

    monkeypatch.setattr(analytics, "BETWEENNESS_EXACT_MAX", 5)
    monkeypatch.setattr(analytics, "BETWEENNESS_SAMPLES", 3)
    facts = [_fact(f"L{i}", "HUB") for i in range(8)] + [_fact("L0", "X"), _fact("X", "Y")]
    result = stats(_build(facts), top=3)
    assert result["summary"]["betweenness"] == "estimated from 3 sampled actors"
    assert result["centrality"]["betweenness"][0]["id"] == "HUB"
    assert stats(_build(facts[::-1]), top=3) == result
    assert "Top actors by betweenness (estimated from 3 sampled actors)" in render_stats(result)
    assert stats(_star(4))["summary"]["betweenness"] == "exact"  # 5 actors: still exact


# ----------------------------------------------------------------------------------------------
# Communities


def test_two_cliques_are_two_communities() -> None:
    left, right = ["a", "b", "c", "d"], ["w", "x", "y", "z"]
    facts = [_fact(u, v) for group in (left, right) for u in group for v in group if u < v]
    facts.append(_fact("d", "w"))  # one bridge
    assert communities(_build(facts)) == [left, right]


def test_communities_min_size_and_empty_graph() -> None:
    g = _build([_fact("a", "b"), ("c", "d", "meet", True, "asserted", MEET, [("d1", None)])])
    assert communities(g) == [["a", "b"], ["c"], ["d"]]
    assert communities(g, min_size=2) == [["a", "b"]]
    assert communities(new_graph()) == []


# ----------------------------------------------------------------------------------------------
# Pair balance


def test_pair_balance_by_hand() -> None:
    g = _build(
        [
            # two reports of one accusation: 2 * -2.0
            ("GBR", "RUS", "accuse", False, "asserted", ACCUSE, [("d1", None), ("d2", None)]),
            # the other direction counts for the same pair: +1.0
            ("RUS", "GBR", "meet", False, "reported", MEET, [("d3", None)]),
            # "urged ... to sanction": not a fact, not in the sum
            ("GBR", "RUS", "sanction", False, "requested", SANCTION, [("d1", None)]),
            # "did not meet": not a fact
            ("GBR", "RUS", "meet", True, "asserted", MEET, [("d1", None)]),
            # uncoded fact: counts as a fact, no score, neither cooperation nor conflict
            ("GBR", "RUS", "mention", False, "asserted", None, [("d4", None)]),
            # neutral statement (QuadClass 0)
            ("RUS", "GBR", "say", False, "asserted", STATEMENT, [("d4", None)]),
            # another pair: material cooperation, 7.0
            ("USA", "UKR", "aid", False, "asserted", AID, [("d1", None)]),
        ]
    )
    rows = {(p.a, p.b): p for p in pair_balance(g)}
    assert set(rows) == {("GBR", "RUS"), ("UKR", "USA")}
    gr = rows["GBR", "RUS"]
    assert (gr.goldstein, gr.events, gr.cooperation, gr.conflict, gr.hedged, gr.negated) == (
        -3.0,
        5,
        1,
        2,
        1,
        1,
    )
    assert (gr.label_a, gr.label_b) == ("Label GBR", "Label RUS")
    uu = rows["UKR", "USA"]
    assert (uu.goldstein, uu.events, uu.cooperation, uu.conflict) == (7.0, 1, 1, 0)
    assert [(p.a, p.b) for p in pair_balance(g)] == [
        ("GBR", "RUS"),
        ("UKR", "USA"),
    ]  # conflict first


def test_urged_alone_is_not_a_fact() -> None:
    g = _build([("GBR", "RUS", "withdraw", False, "requested", SANCTION, [("d1", "2025-03-14")])])
    (row,) = pair_balance(g)
    assert (row.goldstein, row.events, row.conflict, row.hedged) == (0.0, 0, 0, 1)
    (day,) = timeline(g)
    assert (day.date, day.events, day.conflict, day.goldstein, day.hedged) == (
        "2025-03-14",
        0,
        0,
        0.0,
        1,
    )
    assert stats(g)["summary"]["fact_mentions"] == 0


def test_self_loops_are_not_pairs_but_are_events() -> None:
    g = _build([("RUS", "RUS", "mobilise", False, "asserted", SANCTION, [("d1", "2025-01-02")])])
    assert pair_balance(g) == []
    assert [(d.date, d.events, d.goldstein) for d in timeline(g)] == [("2025-01-02", 1, -8.0)]
    assert centrality(g)[0].degree == 0


def test_goldstein_sums_are_exact_whatever_the_order() -> None:
    # 0.1 + 0.2 in float arithmetic depends on order; fsum does not
    tenth = Event(plover="X", cameo="0", quad_class=1, goldstein=0.1)
    fifth = Event(plover="Y", cameo="0", quad_class=1, goldstein=0.2)
    facts: list[Fact] = [
        ("a", "b", f"r{i}", False, "asserted", tenth if i % 2 else fifth, [("d1", None)])
        for i in range(7)
    ]
    assert (
        pair_balance(_build(facts))[0].goldstein
        == pair_balance(_build(facts[::-1]))[0].goldstein
        == 1.1
    )


# ----------------------------------------------------------------------------------------------
# Timeline


def test_timeline_counts_by_hand() -> None:
    g = _build(
        [
            (
                "GBR",
                "RUS",
                "accuse",
                False,
                "asserted",
                ACCUSE,
                [("d1", "2025-05-15"), ("d2", "2025-05-16")],
            ),
            (
                "RUS",
                "UKR",
                "attack",
                False,
                "reported",
                SANCTION,
                [("d2", "2025-05-16"), ("d3", None)],
            ),
            ("USA", "UKR", "aid", False, "asserted", AID, [("d1", "2025-05-15T08:00:00")]),
            ("GBR", "RUS", "sanction", False, "intended", SANCTION, [("d1", "2025-05-15")]),
            ("RUS", "UKR", "meet", True, "asserted", MEET, [("d3", None)]),
        ],
        documents={"d1": "2025-05-15", "d2": "2025-05-16", "d3": "2025-05-20"},
    )
    rows = [
        (d.date, d.events, d.cooperation, d.conflict, d.goldstein, d.hedged, d.negated)
        for d in timeline(g)
    ]
    assert rows == [
        ("2025-05-15", 2, 1, 1, 5.0, 1, 0),
        ("2025-05-16", 2, 0, 2, -10.0, 0, 0),
        (None, 1, 0, 1, -8.0, 0, 1),
    ]
    fallback = [(d.date, d.events, d.negated) for d in timeline(g, published_fallback=True)]
    assert fallback == [("2025-05-15", 2, 0), ("2025-05-16", 2, 0), ("2025-05-20", 1, 1)]
    total = sum(d.events + d.hedged + d.negated for d in timeline(g))
    assert total == sum(d["weight"] for _, _, d in g.edges(data=True))


def test_timeline_without_dates_or_edges() -> None:
    assert timeline(new_graph()) == []
    g = _build([_fact("a", "b", n=3)])
    assert [(d.date, d.events) for d in timeline(g)] == [(None, 3)]


# ----------------------------------------------------------------------------------------------
# Determinism, serialisation, rendering


def _mixed_facts() -> list[Fact]:
    rng = random.Random(11)
    ids = ["GBR", "RUS", "UKR", "USA", "POL", "TUR", "Q7747", "person:a-b"]
    events = [ACCUSE, MEET, SANCTION, AID, STATEMENT, None]
    modalities = [*MODALITIES, "asserted", "asserted"]
    dates = ["2025-05-15", "2025-05-16", "2025-04-01", None]
    facts: list[Fact] = []
    for k in range(40):
        s, o = rng.sample(ids, 2)
        modality = rng.choice(modalities)
        facts.append(
            (
                s,
                o,
                f"rel{k % 6}",
                modality == "negated" or rng.random() < 0.1,
                modality,
                rng.choice(events),
                [(f"d{rng.randrange(4)}", rng.choice(dates)) for _ in range(rng.randrange(1, 3))],
            )
        )
    return facts


def test_same_stats_whatever_the_insertion_order() -> None:
    facts = _mixed_facts()
    expected = stats_json(stats(_build(facts), top=5))
    rng = random.Random(5)
    for _ in range(5):
        shuffled = facts[:]
        rng.shuffle(shuffled)
        assert stats_json(stats(_build(shuffled), top=5)) == expected
    merged = merge_graphs(_build(facts[20:]), _build(facts[:20]))
    assert stats_json(stats(merged, top=5)) == expected


def test_stats_survive_save_and_load(tmp_path: Path) -> None:
    # the CLI path: `geokg stats OUT` loads OUT/graph.geokg.json
    g = _build(_mixed_facts(), documents={"d0": "2025-01-01", "d1": None})
    save_graph(g, tmp_path / "graph.geokg.json")
    loaded = load_graph(tmp_path / "graph.geokg.json")
    assert stats(loaded, top=3) == stats(g, top=3)
    assert render_stats(stats(loaded, top=3)) == render_stats(stats(g, top=3))


def test_stats_is_json_and_consistent() -> None:
    g = _build(_mixed_facts())
    result = stats(g, top=4)
    assert json.loads(stats_json(result)) == result
    summary = result["summary"]
    assert (summary["actors"], summary["edges"]) == (g.number_of_nodes(), g.number_of_edges())
    mentions = summary["fact_mentions"] + summary["hedged_mentions"] + summary["negated_mentions"]
    assert mentions == sum(d["weight"] for _, _, d in g.edges(data=True))
    assert sum(d["events"] for d in result["timeline"]) == summary["fact_mentions"]
    assert set(result["centrality"]) == set(CENTRALITY_MEASURES)
    for measure, rows in result["centrality"].items():
        assert len(rows) == 4
        assert rows == [asdict(s) for s in centrality(g, top=4, by=measure)]
    members = sorted(n for c in result["communities"] for n in c["actors"])
    assert members == sorted(g.nodes)
    assert [c["size"] for c in result["communities"]] == sorted(
        (c["size"] for c in result["communities"]), reverse=True
    )


def _tables(text: str) -> list[list[str]]:
    return [block.split("\n") for block in text.split("\n\n")]


def test_render_stats_aligns_columns_and_escapes_labels() -> None:
    g = _build(_mixed_facts())
    g.nodes["RUS"]["label"] = "Rus\x1b[31msia\nline"
    text = render_stats(stats(g, top=3), max_rows=None)
    assert "\x1b" not in text
    assert "Rus\\x1b[31msia\\x0aline" in text
    blocks = _tables(text)
    titles = [b[0] for b in blocks]
    assert titles[:4] == [
        "Summary",
        "Top actors by degree",
        "Top actors by betweenness",
        "Top actors by pagerank",
    ]
    assert titles[-1] == "Events per day"
    for block in blocks:
        header, rule, *rows = block[1:]
        assert set(rule) <= {"-", " "}
        # every column boundary of the rule is a boundary of the header
        starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
        for row in [header, *rows]:
            for i in starts[1:]:
                assert row[i - 2 : i] in ("  ", ""), (block[0], row)
        assert all(len(r) <= len(rule) for r in [header, *rows])
    pairs = next(b for b in blocks if b[0].startswith("Cooperation/conflict"))
    assert len(pairs) - 3 == len(pair_balance(g))


def test_render_stats_clips_long_tables() -> None:
    g = _build([_fact(f"a{i}", f"b{i}") for i in range(5)])
    text = render_stats(stats(g), max_rows=2)
    assert text.count("... 3 more (see --json)") == 2  # communities and pairs
    with pytest.raises(ConfigError, match="max_rows"):
        render_stats(stats(g), max_rows=0)


def test_empty_graph_renders() -> None:
    text = render_stats(stats(new_graph()))
    assert text.startswith("Summary\n")
    assert "Events per day" in text


def test_analytics_do_not_import_spacy() -> None:
    code = "import sys, geokg.graph.analytics; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------------------------
# The real sample build


@pytest.fixture(scope="module")
def sample_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    from geokg.nlp import find_model

    try:
        find_model(None)
    except ModelNotFoundError as err:
        pytest.skip(f"no spaCy pipeline: {err}")
    from geokg.pipeline import build, sample_inputs

    out = tmp_path_factory.mktemp("samples")
    result = build(sample_inputs(), out)
    return load_graph(out / "graph.geokg.json"), result.report


@pytest.mark.model
def test_stats_of_the_sample_build(sample_build: tuple[nx.MultiDiGraph, dict[str, Any]]) -> None:
    g, report = sample_build
    result = stats(g, top=g.number_of_nodes())
    assert result["summary"]["actors"] == report["graph"]["actors"] > 0
    assert result["summary"]["edges"] == report["graph"]["edges"] > 0
    mentions = sum(
        result["summary"][k] for k in ("fact_mentions", "hedged_mentions", "negated_mentions")
    )
    # The graph holds every kept relation except the events without an actor target.
    rels = report["relations"]
    assert mentions == rels["kept"] - rels["untargeted_events"]
    ranks = result["centrality"]["pagerank"]
    assert len(ranks) == g.number_of_nodes()
    assert math.fsum(a["pagerank"] for a in ranks) == pytest.approx(1.0, abs=1e-5)
    # every hedged or negated edge shows up apart, never as a fact of its pair
    apart: dict[tuple[str, str], int] = {}
    for u, v, d in g.edges(data=True):
        if u != v and edge_status(d) != "fact":
            key = (min(u, v), max(u, v))
            apart[key] = apart.get(key, 0) + d["weight"]
    for p in result["pairs"]:
        assert p["hedged"] + p["negated"] == apart.get((p["a"], p["b"]), 0)
    facts = sum(p["events"] for p in result["pairs"])
    self_facts = sum(
        d["weight"] for u, v, d in g.edges(data=True) if u == v and edge_status(d) == "fact"
    )
    assert facts + self_facts == result["summary"]["fact_mentions"]
    text = render_stats(result)
    for a in result["centrality"]["degree"][:3]:
        assert a["id"] in text
