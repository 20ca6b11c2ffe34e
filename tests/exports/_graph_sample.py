"""Hand-built graphs to the docs/ARCHITECTURE.md contract, with hostile strings."""

from __future__ import annotations

from typing import Any

import networkx as nx

from geokg.model import stable_id

#: Strings that break naive CSV, Cypher, XML, HTML and spreadsheet writers.
HOSTILE: tuple[str, ...] = (
    "it's",
    'he said "no"',
    "back\\slash \\n not a newline \\",
    "line one\nline two\r\nline three\rend",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'}) DETACH DELETE n //",
    '=HYPERLINK("http://x","y")',
    "@cmd",
    "+1",
    "-1",
    "tab\tseparated",
    "\tleading tab",
    "right-to-left \u202eevil\u202c text",
    "zero\u200bwidth",
    "emoji \U0001f30d\U0001f1fa\U0001f1e6 flags",
    "semi;colon|pipe,comma",
    "`backtick` and $param {brace}",
)

#: The one string most tests look for after a round trip.
TRICKY = "He said \"don't\" \\ then\nleft;\t'}) DETACH DELETE n // \u202e\u200b \U0001f30d"


def _provenance(doc_id: str, sentence: str, start: int, speaker: str | None) -> dict[str, Any]:
    return {
        "relation_id": stable_id("r", doc_id, start, sentence),
        "doc_id": doc_id,
        "sentence": sentence,
        "span": [start, start + len(sentence)],
        "date": "2025-05-15",
        "speaker": speaker,
        "confidence": 0.9,
        "extractor": "svo.v1",
        # two rules on one edge when it has several sentences, for the exports' rule lists
        "rule": "svo.verb_object" if start == 0 else "svo.passive_agent",
        "model": "en_test 0.0",
    }


def add_edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    relation: str,
    *,
    sentences: list[str],
    negated: bool = False,
    modality: str = "asserted",
    event: tuple[str, str, int, float] | None = None,
    dates: list[str] | None = None,
    speakers: list[str] | None = None,
    doc_id: str = "doc-1",
) -> str:
    """Add one contract edge and return its key."""
    key = stable_id("e", source, relation, target, negated, modality)
    speaker = speakers[0] if speakers else None
    provenance = sorted(
        (_provenance(doc_id, s, 100 * i, speaker) for i, s in enumerate(sentences)),
        key=lambda p: (p["doc_id"], p["span"], p["relation_id"]),
    )
    plover, cameo, quad, goldstein = event if event else (None, None, None, None)
    graph.add_edge(
        source,
        target,
        key=key,
        id=key,
        relation=relation,
        negated=negated,
        modality=modality,
        plover=plover,
        cameo=cameo,
        quad_class=quad,
        goldstein=goldstein,
        confidence=0.9,
        weight=len(provenance),
        dates=sorted(dates or []),
        speakers=sorted(speakers or []),
        provenance=provenance,
    )
    return key


def sample_graph(*, reverse: bool = False) -> nx.MultiDiGraph:
    """Return a small contract graph; ``reverse`` inserts nodes and edges in reverse order."""
    nodes: list[tuple[str, dict[str, Any]]] = [
        (
            "GBR",
            {
                "label": "United Kingdom",
                "type": "country",
                "country": "GBR",
                "roles": [],
                "aliases": ["Britain", "UK"],
                "wikidata": "Q145",
                "mentions": 3,
                "docs": ["doc-1", "doc-2"],
            },
        ),
        (
            "RUS",
            {
                "label": "Russia",
                "type": "country",
                "country": "RUS",
                "roles": [],
                "aliases": ["Moscow", "the Kremlin"],
                "wikidata": "Q159",
                "mentions": 2,
                "docs": ["doc-1"],
            },
        ),
        (
            "person:keir-starmer",
            {
                "label": "Keir Starmer",
                "type": "person",
                "country": "GBR",
                "roles": ["prime minister"],
                "aliases": ["Mr Starmer", "Starmer"],
                "wikidata": None,
                "mentions": 2,
                "docs": ["doc-1"],
            },
        ),
        (
            "org:hostile",
            {
                "label": TRICKY,
                "type": "organisation",
                "country": None,
                "roles": sorted(HOSTILE[:6]),
                "aliases": sorted(HOSTILE[6:]),
                "wikidata": None,
                "mentions": 1,
                "docs": ["doc-2"],
            },
        ),
        (
            "other:thing",
            {
                "label": '=HYPERLINK("http://x","y")',
                "type": "other",
                "country": None,
                "roles": [],
                "aliases": [],
                "wikidata": None,
                "mentions": 1,
                "docs": ["doc-2"],
            },
        ),
    ]
    graph = nx.MultiDiGraph(name="geokg")
    graph.graph["documents"] = {
        "doc-1": {
            "title": "A <b>title</b>",
            "published": "2025-05-15",
            "source": "a.txt",
            "url": None,
        },
        "doc-2": {
            "title": TRICKY,
            "published": None,
            "source": "b.jsonl:2",
            "url": "http://x/?a=1&b=2",
        },
    }
    for node, data in reversed(nodes) if reverse else nodes:
        graph.add_node(node, **data)
    edges: list[tuple[tuple[str, str, str], dict[str, Any]]] = [
        (
            ("person:keir-starmer", "RUS", "accuse"),
            {
                "sentences": ["Starmer accused Russia of stalling.", TRICKY],
                "event": ("ACCUSE", "112", 3, -2.0),
                "dates": ["2025-05-15"],
                "speakers": ["person:keir-starmer"],
            },
        ),
        (
            ("GBR", "RUS", "close"),
            {
                "sentences": ["Britain closed the consulate."],
                "event": ("REDUCE", "161", 4, -4.0),
                "dates": ["2025-05-14", "2025-05-15"],
            },
        ),
        (
            ("GBR", "RUS", "meet"),
            {"sentences": ["Britain did not meet Russia."], "negated": True, "modality": "negated"},
        ),
        (
            ("org:hostile", "other:thing", TRICKY),
            {"sentences": list(HOSTILE), "speakers": ["org:hostile"], "doc_id": "doc-2"},
        ),
        (
            ("RUS", "GBR", "встретить"),
            {"sentences": ["Russia met Britain."], "modality": "reported", "doc_id": "doc-2"},
        ),
    ]
    for (source, target, relation), options in reversed(edges) if reverse else edges:
        add_edge(graph, source, target, relation, **options)
    return graph
