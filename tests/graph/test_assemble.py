"""Graph assembly: stable keys, accumulated provenance, idempotent and order-free merges."""

from __future__ import annotations

import builtins
import functools
import gc
import json
import random
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geokg.graph import assemble
from geokg.graph.assemble import (
    GraphAssembler,
    add_document,
    add_fact,
    consolidate_people,
    load_graph,
    merge_graphs,
    new_graph,
    normalise_graph,
    save_graph,
)
from geokg.model import Actor, Event
from tests.graph import assemble_reference as reference

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


# ----------------------------------------------------------------------------------------------
# Linear assembly (issue 19): the same graph as the reference, at a cost that does not grow.

_HUBS = (
    Actor(id="USA", label="United States", type="country", country="USA", wikidata="Q30"),
    Actor(id="USA", label="US", type="location", country="USA", aliases=("America",)),
    Actor(id="RUS", label="Russia", type="country", country="RUS", roles=("state", "state")),
    Actor(id="CHN", label="China", type="country", country="CHN", wikidata="Q148"),
    Actor(id="CHN", label="", type="other", country="", aliases=("China", "PRC")),
)
_PEOPLE = (
    Actor(id="person:vladimir-putin", label="Vladimir Putin", type="person", country="RUS"),
    Actor(id="person:putin", label="Putin", type="person", roles=("president",)),
    Actor(id="person:putin-2", label="putin", type="person", aliases=("Mr Putin",)),
    Actor(id="person:joe-biden", label="Joe Biden", type="person", country="USA"),
    Actor(id="person:hunter-biden", label="Hunter Biden", type="person", country="USA"),
    Actor(id="person:biden", label="Biden", type="person"),
    Actor(id="person:xi", label="Xi", type="person", country="CHN"),
    Actor(id="person:xi-jinping", label="Xi Jinping", type="person", roles=("leader",)),
    Actor(id="person:lavrov", label="Lavrov", type="person", roles=("minister", "envoy")),
    Actor(id="person:sergei-lavrov", label="Sergei Lavrov", type="organisation"),
)
_EVENTS = (
    None,
    ACCUSE,
    Event(plover="CONSULT", cameo="040", quad_class=1, goldstein=1.0),
    Event(plover="ASSEMBLE", cameo="062", quad_class=2, goldstein=1.9),
)


def _actor(rng: random.Random, n_tail: int) -> Actor:
    """Half hubs, a quarter people, the rest a long tail of organisations."""
    r = rng.random()
    if r < 0.5:
        return rng.choice(_HUBS)
    if r < 0.75:
        return rng.choice(_PEOPLE)
    i = min(int(rng.paretovariate(1.2)), n_tail)
    return Actor(
        id=f"org:o{i}",
        label=rng.choice((f"Org {i}", f"The Org {i}", "")),
        type=rng.choice(("organisation", "group", "other")),
        country=rng.choice((None, "GBR", "FRA")),
        roles=tuple(rng.sample(("a", "b", "c"), rng.randint(0, 2))),
        aliases=tuple(rng.sample((f"O{i}", f"Org {i}", "x"), rng.randint(0, 2))),
        wikidata=rng.choice((None, None, f"Q{i}")),
    )


def _random_facts(seed: int, n: int) -> list[dict[str, Any]]:
    """Hub-heavy facts with what makes merging subtle: the same relation id twice with other
    content, lone surnames as speakers, events that differ on one edge, self-loops."""
    rng = random.Random(seed)
    speakers = [None, None, None, *(p.id for p in _PEOPLE)]
    facts = []
    for _ in range(n):
        subject = _actor(rng, 40)
        obj = subject if rng.random() < 0.03 else _actor(rng, 40)
        rid = f"r-{rng.randint(0, n // 2)}"
        doc = f"d{rng.randint(0, 12)}"
        start = rng.randint(0, 3) * 10
        facts.append(
            {
                "subject": subject,
                "obj": obj,
                "relation": rng.choice(("accuse", "meet", "assemble")),
                "negated": rng.random() < 0.2,
                "modality": rng.choice(("asserted", "reported")),
                "event": rng.choice(_EVENTS),
                "subject_alias": rng.choice((None, None, "Alias A", subject.label)),
                "object_alias": rng.choice((None, "Alias B")),
                "provenance": {
                    "relation_id": rid,
                    "doc_id": doc,
                    "sentence": f"sentence {rid} {rng.randint(0, 1)}",
                    "span": [start, start + rng.randint(1, 9)],
                    "date": rng.choice((None, "2025-05-01", "2025-05-02")),
                    "speaker": rng.choice(speakers),
                    "confidence": rng.choice((None, 0.3, 0.9)),
                    "extractor": "svo.v2",
                    "model": "m",
                },
            }
        )
    return facts


def _exact(g: nx.MultiDiGraph) -> str:
    """The graph with every order kept: graph attributes, nodes, edges, each dict's keys."""
    return json.dumps(
        [
            list(g.graph.items()),
            [(n, list(d.items())) for n, d in g.nodes(data=True)],
            [(u, v, k, list(d.items())) for u, v, k, d in g.edges(keys=True, data=True)],
        ],
        default=repr,
    )


def _reference_build(facts: list[dict[str, Any]]) -> nx.MultiDiGraph:
    g = new_graph()
    for f in facts:
        reference.add_document(g, f["provenance"]["doc_id"], {"title": "t"})
        reference.add_fact(g, f["subject"], f["obj"], **_args(f))
    return g


def _args(f: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in f.items() if k not in ("subject", "obj")}


def _assembled(facts: list[dict[str, Any]], finish_every: int = 0) -> nx.MultiDiGraph:
    asm = GraphAssembler()
    for i, f in enumerate(facts, 1):
        asm.add_document(f["provenance"]["doc_id"], {"title": "t"})
        asm.add_fact(f["subject"], f["obj"], **_args(f))
        if finish_every and i % finish_every == 0:
            asm.finish()  # an assembler goes on after finish
    return asm.finish()


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 120), st.integers(0, 40))
def test_assembler_builds_the_reference_graph(seed: int, n: int, finish_every: int) -> None:
    facts = _random_facts(seed, n)
    expected = _reference_build(facts)
    got = _assembled(facts, finish_every)
    assert _exact(got) == _exact(expected)
    one_by_one = new_graph()
    for f in facts:
        add_document(one_by_one, f["provenance"]["doc_id"], {"title": "t"})
        add_fact(one_by_one, f["subject"], f["obj"], **_args(f))
    assert _exact(one_by_one) == _exact(expected)
    # consolidate_people: the same mapping and graph, then the same normalised graph and file
    assert consolidate_people(got) == reference.consolidate_people(expected)
    assert _exact(got) == _exact(expected)
    got, expected = normalise_graph(got), reference.normalise_graph(expected)
    assert _exact(got) == _exact(expected)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 90), st.lists(st.integers(0, 2), max_size=6))
def test_merge_gives_the_reference_merge(seed: int, n: int, order: list[int]) -> None:
    facts = _random_facts(seed, n)
    parts = [facts[i::3] for i in range(3)]
    order = [*order, 0, 1, 2]
    got = merge_graphs(*(_assembled(parts[i]) for i in order))
    expected = reference.merge_graphs(*(_reference_build(parts[i]) for i in order))
    assert _exact(got) == _exact(expected)
    # the --dask and --update path: consolidate the merge, merge again
    assert consolidate_people(got) == reference.consolidate_people(expected)
    assert _exact(merge_graphs(got)) == _exact(reference.merge_graphs(expected))


def test_relabel_moves_edges_in_graph_order_and_renames_speakers() -> None:
    """The cases the linear relabelling keeps: two lone surnames onto one full name, an edge
    between them, the first event seen winning on the merged edge, a lone surname as speaker."""
    facts = [
        {
            "subject": s,
            "obj": o,
            "relation": "meet",
            "negated": False,
            "modality": "asserted",
            "event": ev,
            "subject_alias": None,
            "object_alias": None,
            "provenance": {**prov(rid, doc), "speaker": speaker},
        }
        for s, o, ev, rid, doc, speaker in (
            (_PEOPLE[1], _HUBS[2], _EVENTS[2], "r-1", "d1", None),
            (_PEOPLE[2], _HUBS[2], _EVENTS[3], "r-2", "d2", "person:putin"),
            (_PEOPLE[1], _PEOPLE[2], None, "r-3", "d3", None),
            (_HUBS[0], _PEOPLE[2], _EVENTS[1], "r-4", "d1", "person:putin-2"),
            (_PEOPLE[0], _HUBS[2], None, "r-5", "d4", None),
            (_HUBS[0], _HUBS[3], None, "r-6", "d4", "person:putin"),
        )
    ]
    got, expected = _assembled(facts), _reference_build(facts)
    mapping = consolidate_people(got)
    assert mapping == {
        "person:putin": "person:vladimir-putin",
        "person:putin-2": "person:vladimir-putin",
    }
    assert mapping == reference.consolidate_people(expected)
    assert _exact(got) == _exact(expected)
    (edge,) = (d for u, v, d in got.edges(data=True) if (u, v) == ("person:vladimir-putin", "RUS"))
    assert edge["weight"] == 3
    assert edge["plover"] == "CONSULT"  # r-5's edge had none: the first moved edge's event
    assert [d["speakers"] for _, _, d in got.edges(data=True) if d["speakers"]] == [
        ["person:vladimir-putin"]
    ] * 3


def _work_of_adding(
    add: Callable[..., object], existing: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int]:
    """The work of adding 20 relations through ``add`` to a hub that already has ``existing``
    relations on the same edge, from ``existing`` documents, and ``existing`` other edges:
    calls made (Python and C functions, key functions included, counted by a profiler) and
    items handed to ``sorted``. Counted, not timed, so the figure is exact on any machine."""
    us, ru = _HUBS[0], _HUBS[2]
    relation = {"relation": "accuse", "negated": False, "modality": "asserted", "event": ACCUSE}
    for i in range(existing):
        add(us, ru, **relation, provenance=prov(f"r-{i}", f"d{i}", i))
        other = Actor(id=f"org:{i}", label=f"Org {i}", type="organisation")
        add(us, other, **relation, provenance=prov(f"s-{i}", f"d{i}", i))
    items = 0

    def counting_sorted(iterable: Iterable[Any], **kwargs: Any) -> list[Any]:
        nonlocal items
        listed = list(iterable)
        items += len(listed)
        return builtins.sorted(listed, **kwargs)

    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1

    for module in (assemble, reference):
        monkeypatch.setattr(module, "sorted", counting_sorted, raising=False)
    gc.collect()  # finalizers of earlier tests' garbage would be counted as calls
    gc.disable()
    sys.setprofile(profile)
    try:
        for i in range(10):
            add(us, ru, **relation, provenance=prov(f"t-{i}", f"e{i}", i))
            other = Actor(id=f"org:new{i}", label=f"New {i}", type="organisation")
            add(us, other, **relation, provenance=prov(f"u-{i}", f"e{i}", i))
    finally:
        sys.setprofile(None)
        gc.enable()
    monkeypatch.undo()
    return calls, items


def test_adding_to_a_hub_costs_the_same_however_big_the_hub(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = _work_of_adding(GraphAssembler().add_fact, 50, monkeypatch)
    big = _work_of_adding(GraphAssembler().add_fact, 2000, monkeypatch)
    assert big == small
    # The measure sees the quadratic assembly it replaced: there, each relation re-sorts the
    # hub's documents and the edge's provenance and recounts the hub's edges.
    old_small = _work_of_adding(functools.partial(reference.add_fact, new_graph()), 50, monkeypatch)
    old_big = _work_of_adding(functools.partial(reference.add_fact, new_graph()), 500, monkeypatch)
    assert old_big[0] > 5 * old_small[0]
    assert old_big[1] > 5 * old_small[1]


def _counted_calls(run: Callable[[], object]) -> int:
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1

    gc.collect()
    gc.disable()
    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
        gc.enable()
    return calls


def _hub_graph(first: int, count: int) -> nx.MultiDiGraph:
    asm = GraphAssembler()
    for i in range(first, first + count):
        asm.add_fact(
            _HUBS[0],
            _HUBS[2],
            relation="accuse",
            negated=False,
            modality="asserted",
            event=ACCUSE,
            provenance=prov(f"r-{i}", f"d{i}", i),
        )
    return asm.finish()


def test_merging_a_partition_costs_the_same_however_big_the_merge_so_far() -> None:
    """The Dask merge: one more partition with the hub edge costs what the partition holds."""
    part = _hub_graph(10**6, 10)

    def marginal(merge: Callable[..., nx.MultiDiGraph], existing: int) -> int:
        """What ``part`` adds to the work of merging three partitions of ``existing`` each."""
        parts = [_hub_graph(i * existing, existing) for i in range(3)]
        return _counted_calls(lambda: merge(*parts, part)) - _counted_calls(lambda: merge(*parts))

    def last_step(existing: int) -> int:
        asm = GraphAssembler()
        for i in range(3):
            asm.add_graph(_hub_graph(i * existing, existing))
        return _counted_calls(lambda: asm.add_graph(part))

    assert last_step(2000) == last_step(50)
    assert marginal(merge_graphs, 2000) == marginal(merge_graphs, 50)
    # before, each partition re-sorted the hub edge's whole provenance
    assert marginal(reference.merge_graphs, 2000) > 5 * marginal(reference.merge_graphs, 50)
