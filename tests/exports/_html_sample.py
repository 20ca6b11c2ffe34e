"""Hand-built graphs for the HTML page tests, to the contract in docs/ARCHITECTURE.md.

The sentences are our own, invented for the tests; none comes from the seed articles.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from geokg.model import stable_id

#: Payloads that set ``window.__pwned`` if the page ever treats data as HTML or script.
HOSTILE = (
    "</script><script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "<svg onload=window.__pwned=1>",
    "line\u2028separator\u2029paragraph",
    "<!--<script>",
)

ACTORS: tuple[tuple[str, str, str, str | None], ...] = (
    ("GBR", "United Kingdom", "country", "GBR"),
    ("RUS", "Russia", "country", "RUS"),
    ("UKR", "Ukraine", "country", "UKR"),
    ("POL", "Poland", "country", "POL"),
    ("person:keir-starmer", "Keir Starmer", "person", "GBR"),
    ("person:vladimir-putin", "Vladimir Putin", "person", "RUS"),
    ("person:radoslaw-sikorski", "Radoslaw Sikorski", "person", "POL"),
    ("Q7184", "NATO", "organisation", None),
    ("location:kyiv", "Kyiv", "location", "UKR"),
    ("group:protesters", "protesters", "group", None),
)

DOCUMENTS: dict[str, dict[str, Any]] = {
    "doc-a": {
        "title": "Leaders trade accusations over ceasefire",
        "published": "2025-05-15",
        "source": "a.txt",
        "url": "https://news.example.org/a",
    },
    "doc-b": {
        "title": "Warsaw closes consulate",
        "published": "2025-05-20",
        "source": "b.txt",
        "url": "https://news.example.org/b",
    },
    "doc-c": {"title": None, "published": None, "source": "c.txt", "url": None},
}

# (subject, relation, object, negated, modality, plover, cameo, quad, goldstein, doc, sentence,
#  date, speaker)
RELATIONS: tuple[tuple[Any, ...], ...] = (
    (
        "person:keir-starmer",
        "accuse",
        "person:vladimir-putin",
        False,
        "asserted",
        "ACCUSE",
        "112",
        3,
        -2.0,
        "doc-a",
        "The prime minister accused the Russian leader of stalling.",
        "2025-05-15",
        None,
    ),
    (
        "person:keir-starmer",
        "accuse",
        "person:vladimir-putin",
        False,
        "asserted",
        "ACCUSE",
        "112",
        3,
        -2.0,
        "doc-b",
        "Starmer again accused Putin of playing for time.",
        "2025-05-20",
        None,
    ),
    (
        "POL",
        "close",
        "RUS",
        False,
        "asserted",
        "REDUCE",
        "16",
        4,
        -4.0,
        "doc-b",
        "Poland closed the last Russian consulate on its soil.",
        "2025-05-20",
        None,
    ),
    (
        "RUS",
        "attack",
        "UKR",
        False,
        "asserted",
        "ASSAULT",
        "190",
        4,
        -10.0,
        "doc-a",
        "Russian drones struck targets across Ukraine overnight.",
        "2025-05-14",
        None,
    ),
    (
        "UKR",
        "attack",
        "RUS",
        False,
        "reported",
        "ASSAULT",
        "190",
        4,
        -10.0,
        "doc-a",
        "Moscow said Ukrainian forces had hit a border town.",
        "2025-05-14",
        "person:vladimir-putin",
    ),
    (
        "GBR",
        "support",
        "UKR",
        False,
        "asserted",
        "SUPPORT",
        "051",
        1,
        3.4,
        "doc-a",
        "Britain pledged continued support for Ukraine.",
        "2025-05-15",
        None,
    ),
    (
        "GBR",
        "aid",
        "UKR",
        False,
        "intended",
        "AID",
        "070",
        2,
        7.0,
        "doc-a",
        "London plans to send more air defence systems to Kyiv.",
        "2025-05-16",
        None,
    ),
    (
        "person:vladimir-putin",
        "meet",
        "person:keir-starmer",
        True,
        "negated",
        "CONSULT",
        "040",
        1,
        1.0,
        "doc-a",
        "Putin did not meet the British prime minister.",
        None,
        None,
    ),
    (
        "person:radoslaw-sikorski",
        "demand",
        "RUS",
        False,
        "requested",
        "DEMAND",
        "100",
        3,
        -5.0,
        "doc-b",
        "Sikorski called on Moscow to withdraw its diplomats.",
        "2025-05-20",
        "person:radoslaw-sikorski",
    ),
    (
        "Q7184",
        "cooperate",
        "POL",
        False,
        "hypothetical",
        "COOPERATE",
        "030",
        1,
        4.0,
        "doc-c",
        "NATO could deepen its cooperation with Poland.",
        None,
        None,
    ),
    (
        "group:protesters",
        "protest",
        "location:kyiv",
        False,
        "asserted",
        "PROTEST",
        "140",
        3,
        -6.5,
        "doc-c",
        "Protesters gathered in the centre of Kyiv.",
        "2025-05-18",
        None,
    ),
    (
        "UKR",
        "mention",
        "Q7184",
        False,
        "asserted",
        None,
        None,
        None,
        None,
        "doc-c",
        "Ukraine was mentioned alongside the alliance.",
        None,
        None,
    ),
)

#: The relation whose sentence the browser test hovers (a single straight edge).
HOVER_SENTENCE = "Poland closed the last Russian consulate on its soil."


def edge_attrs(
    subject: str,
    relation: str,
    obj: str,
    *,
    negated: bool = False,
    modality: str = "asserted",
    plover: str | None = None,
    cameo: str | None = None,
    quad_class: int | None = None,
    goldstein: float | None = None,
    provenance: list[dict[str, Any]],
) -> dict[str, Any]:
    """Edge attributes exactly as docs/ARCHITECTURE.md describes them."""
    eid = stable_id("e", subject, relation, obj, negated, modality)
    return {
        "id": eid,
        "relation": relation,
        "negated": negated,
        "modality": modality,
        "plover": plover,
        "cameo": cameo,
        "quad_class": quad_class,
        "goldstein": goldstein,
        "confidence": max((p["confidence"] for p in provenance), default=0.0),
        "weight": len(provenance),
        "dates": sorted({p["date"] for p in provenance if p["date"]}),
        "speakers": sorted({p["speaker"] for p in provenance if p["speaker"]}),
        "provenance": sorted(
            provenance, key=lambda p: (p["doc_id"], tuple(p["span"]), p["relation_id"])
        ),
    }


def provenance(
    doc_id: str, sentence: str, *, date: str | None, speaker: str | None, start: int = 0
) -> dict[str, Any]:
    """One provenance record."""
    return {
        "relation_id": stable_id("r", doc_id, start, sentence),
        "doc_id": doc_id,
        "sentence": sentence,
        "span": [start, start + len(sentence)],
        "date": date,
        "speaker": speaker,
        "confidence": 0.9,
        "extractor": "svo.v1",
        "model": "test",
    }


def sample_graph(*, reverse: bool = False) -> nx.MultiDiGraph:
    """A small graph with every actor type, QuadClass and modality; ``reverse`` flips the
    insertion order of nodes and edges (the page must not change)."""
    edges: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for i, (s, rel, o, neg, mod, plover, cameo, quad, gold, doc, sent, date, spk) in enumerate(
        RELATIONS
    ):
        prov = provenance(doc, sent, date=date, speaker=spk, start=100 * i)
        eid = stable_id("e", s, rel, o, neg, mod)
        old = edges[eid][2]["provenance"] if eid in edges else []
        attrs = edge_attrs(
            s,
            rel,
            o,
            negated=neg,
            modality=mod,
            plover=plover,
            cameo=cameo,
            quad_class=quad,
            goldstein=gold,
            provenance=[*old, prov],
        )
        edges[eid] = (s, o, attrs)
    mentions: dict[str, int] = {}
    docs: dict[str, set[str]] = {}
    for s, o, attrs in edges.values():
        for p in attrs["provenance"]:
            for a in (s, o):
                mentions[a] = mentions.get(a, 0) + 1
                docs.setdefault(a, set()).add(p["doc_id"])
    graph = nx.MultiDiGraph(name="geokg", documents=DOCUMENTS)
    actors = list(reversed(ACTORS)) if reverse else list(ACTORS)
    for aid, label, kind, country in actors:
        graph.add_node(
            aid,
            label=label,
            type=kind,
            country=country,
            roles=["prime minister"] if aid == "person:keir-starmer" else [],
            aliases=["Mr Putin", "Putin"] if aid == "person:vladimir-putin" else [],
            wikidata=aid if aid.startswith("Q") else None,
            mentions=mentions.get(aid, 0),
            docs=sorted(docs.get(aid, set())),
        )
    items = sorted(edges.items(), reverse=reverse)
    for eid, (s, o, attrs) in items:
        graph.add_edge(s, o, key=eid, **attrs)
    return graph


def hostile_graph() -> nx.MultiDiGraph:
    """A graph whose every text field carries script/HTML payloads."""
    graph = nx.MultiDiGraph(name="geokg")
    graph.graph["documents"] = {
        HOSTILE[0]: {
            "title": HOSTILE[1],
            "published": HOSTILE[2],
            "source": "x",
            "url": "javascript:window.__pwned=1",
        },
        "doc-ok": {"title": HOSTILE[0], "published": None, "source": "y", "url": HOSTILE[1]},
    }
    graph.add_node(
        HOSTILE[1],
        label=HOSTILE[0],
        type="person",
        country=HOSTILE[2],
        roles=[HOSTILE[3]],
        aliases=[HOSTILE[4]],
        wikidata=HOSTILE[1],
        mentions=2,
        docs=[HOSTILE[0]],
    )
    graph.add_node(
        "safe",
        label=HOSTILE[1],
        type=HOSTILE[2],
        country=None,
        roles=[],
        aliases=[],
        wikidata=None,
        mentions=2,
        docs=["doc-ok"],
    )
    provs = [
        provenance(HOSTILE[0], " ".join(HOSTILE), date=HOSTILE[3], speaker=HOSTILE[1]),
        provenance("doc-ok", HOSTILE[0] + " plain tail", date="2025-01-01", speaker="safe"),
    ]
    attrs = edge_attrs(
        HOSTILE[1],
        HOSTILE[0],
        "safe",
        modality=HOSTILE[4],
        plover=HOSTILE[2],
        cameo=HOSTILE[3],
        quad_class=3,
        goldstein=-1.0,
        provenance=provs,
    )
    graph.add_edge(HOSTILE[1], "safe", key=attrs["id"], **attrs)
    back = edge_attrs(
        "safe",
        HOSTILE[2],
        HOSTILE[1],
        negated=True,
        modality="negated",
        provenance=[provenance("doc-ok", HOSTILE[2], date=None, speaker=None, start=50)],
    )
    graph.add_edge("safe", HOSTILE[1], key=back["id"], **back)
    return graph


def big_graph(n_nodes: int) -> nx.MultiDiGraph:
    """A deterministic graph of ``n_nodes`` actors: a few hubs and a long tail."""
    graph = nx.MultiDiGraph(
        name="geokg", documents={"d": {"title": "t", "published": None, "source": "s", "url": None}}
    )
    kinds = ("person", "country", "organisation", "location", "group", "other")
    ids = [f"a{i:04d}" for i in range(n_nodes)]
    for i, aid in enumerate(ids):
        graph.add_node(
            aid,
            label=f"Actor {i}",
            type=kinds[i % len(kinds)],
            country=None,
            roles=[],
            aliases=[],
            wikidata=None,
            mentions=1,
            docs=["d"],
        )
    for i, aid in enumerate(ids[1:], start=1):
        hub = ids[i % 7]
        rel = ("meet", "accuse", "aid", "attack")[i % 4]
        prov = provenance(
            "d",
            f"Actor {i} and actor {i % 7} interacted.",
            date="2025-01-02",
            speaker=None,
            start=i,
        )
        attrs = edge_attrs(aid, rel, hub, quad_class=(i % 5), provenance=[prov])
        graph.add_edge(aid, hub, key=attrs["id"], **attrs)
    return graph
