"""A hand-built geokg graph for the RDF export and SPARQL tests (no model, no seed text).

The sentences are our own inventions. Actors, events and documents follow the contract in
docs/ARCHITECTURE.md "The graph"; one actor, one document and several strings are hostile
(quotes, backslashes, newlines, markup, Turtle syntax, right-to-left and zero-width characters,
emoji) so every writer has to escape them.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

from geokg.model import stable_id

HOSTILE_ID = 'person:x"><img src=x onerror=alert(1)>'
HOSTILE_LABEL = 'Evil """ \\u0041 \\ name> <script>alert(1)</script>\n\u202eכתב\u200b 🎉'
HOSTILE_STRINGS: tuple[str, ...] = (
    'say "hi"',
    "back\\slash \\n not a newline",
    "line one\nline two\r\nthree\tfour",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '""" triple quotes """',
    "\\u0022 and \\U0001F600 written out",
    "a > b and <c>",
    "\u202eright-to-left\u202c and zero\u200bwidth\ufeff",
    "emoji 🎉🇵🇱 and astral 𝔸",
    "control \x00\x01\x07\x1b\x7f chars",
    "line\u2028separator\u2029paragraph",
    "@prefix x: <http://evil/> . _:b a <x> ;",
    "",
)

DOCS: dict[str, dict[str, Any]] = {
    "d1": {
        "title": "Consulate closure row",
        "published": "2025-05-14",
        "source": "news/d1.txt",
        "url": "https://example.org/news/1",
    },
    "d2": {
        "title": 'Starmer "warns" <script>alert(1)</script>',
        "published": "2025-05-15",
        "source": "news/d2.jsonl:7",
        "url": 'https://example.org/news/2?a=1&b="x"',
    },
    "doc 3/é": {"title": None, "published": None, "source": "", "url": None},
}

STARMER = "person:keir-starmer"
PUTIN = "person:vladimir-putin"
SIKORSKI = "person:radoslaw-sikorski"
CONSULATE = "org:russian-consulate-krakow"

ACTORS: dict[str, dict[str, Any]] = {
    "GBR": {"label": "United Kingdom", "type": "country", "country": "GBR", "wikidata": "Q145"},
    "POL": {"label": "Poland", "type": "country", "country": "POL", "wikidata": "Q36"},
    "RUS": {
        "label": "Russia",
        "type": "country",
        "country": "RUS",
        "wikidata": "Q159",
        "aliases": ["Moscow", "the Kremlin"],
    },
    STARMER: {
        "label": "Keir Starmer",
        "type": "person",
        "country": "GBR",
        "roles": ["prime minister"],
    },
    PUTIN: {
        "label": "Vladimir Putin",
        "type": "person",
        "country": "RUS",
        "roles": ["president"],
        "wikidata": "Q7747",
        "aliases": ["Mr Putin"],
    },
    SIKORSKI: {
        "label": "Radosław Sikorski",
        "type": "person",
        "country": "POL",
        "roles": ["deputy prime minister", "foreign minister"],
    },
    CONSULATE: {
        "label": "Russian consulate in Kraków",
        "type": "organisation",
        "country": "RUS",
    },
    "person:olena-ivanenko": {
        "label": "Olena Ivanenko",
        "type": "person",
        "country": "UKR",  # no UKR node: only the code is exported
    },
    HOSTILE_ID: {
        "label": HOSTILE_LABEL,
        "type": "group",
        "roles": ["spokes\nperson"],
        "aliases": sorted(s for s in HOSTILE_STRINGS if s),
    },
}

# (name, subject, relation, object, negated, modality, (plover, cameo, quad, goldstein),
#  [(doc, relation-number, sentence, date, speaker, confidence)])
_E = tuple[str, str, str, str, bool, str, tuple[Any, ...] | None, list[tuple[Any, ...]]]
EDGES: list[_E] = [
    (
        "e1",
        STARMER,
        "accuse",
        PUTIN,
        False,
        "asserted",
        ("ACCUSE", "112", 3, -2.0),
        [
            (
                "d2",
                1,
                "The prime minister accused the Kremlin leader of stalling.",
                "2025-05-15",
                None,
                0.9,
            )
        ],
    ),
    (
        "e2",
        "POL",
        "close",
        CONSULATE,
        False,
        "asserted",
        ("REDUCE", "164", 4, -4.0),
        [("d1", 2, "Warsaw ordered the consulate shut.", "2025-05-14", None, 0.8)],
    ),
    (
        "e3",
        "POL",
        "accuse",
        "RUS",
        False,
        "reported",
        ("ACCUSE", "112", 3, -2.0),
        [
            (
                "d1",
                3,
                "Poland blamed Moscow for the fire, its minister said.",
                "2025-05-14",
                SIKORSKI,
                0.85,
            ),
            (
                "doc 3/é",
                4,
                HOSTILE_STRINGS[0] + " " + HOSTILE_STRINGS[1],
                "2025-05-12",
                SIKORSKI,
                0.7,
            ),
        ],
    ),
    (
        "e4",
        PUTIN,
        "meet",
        STARMER,
        True,
        "negated",
        ("CONSULT", "040", 1, 1.0),
        [("d2", 5, "The two leaders did not meet.", "2025-05-15", None, 0.6)],
    ),
    (
        "e5",
        "GBR",
        "aid",
        "POL",
        False,
        "asserted",
        ("AID", "070", 2, 7.0),
        [("d2", 6, "London sent engineers to help.", "2025-05-15", None, 0.75)],
    ),
    (
        "e6",
        "GBR",
        "meet",
        "POL",
        False,
        "asserted",
        ("CONSULT", "040", 1, 1.0),
        [("d1", 7, "Envoys from both capitals met.", "2025-05-13", None, 0.8)],
    ),
    (
        "e7",
        "RUS",
        "step up",
        "POL",
        False,
        "asserted",
        ("ASSAULT", "190", 4, -10.0),
        [("doc 3/é", 8, "\n".join(HOSTILE_STRINGS[2:7]), "2025-05-10", None, 0.65)],
    ),
    (
        "e8",
        HOSTILE_ID,
        "accuse",
        "POL",
        False,
        "asserted",
        None,
        [("d2", 9, "\n".join(HOSTILE_STRINGS[7:]), None, None, 0.5)],
    ),
    (
        "e9",
        "RUS",
        "accuse",
        "POL",
        False,
        "asserted",
        ("ACCUSE", "112", 3, -2.0),
        [("d1", 10, "Moscow hit back with its own charge.", "2025-05-13", None, 0.7)],
    ),
    (
        "e10",
        STARMER,
        "meet",
        SIKORSKI,
        False,
        "asserted",
        ("CONSULT", "040", 1, 1.0),
        [("d2", 11, "The two men met in London.", "2025-05-15", None, 0.95)],
    ),
    (
        "e11",
        PUTIN,
        "attack",
        "POL",
        False,
        "hypothetical",
        ("ASSAULT", "190", 4, -10.0),
        [
            (
                "d2",
                12,
                "An attack could follow, the British leader warned.",
                "2025-05-15",
                STARMER,
                0.55,
            )
        ],
    ),
]


def edge_ids() -> dict[str, str]:
    """Return the stable edge id of each named sample edge (``e1`` → ``e-…``)."""
    return {name: stable_id("e", s, rel, o, neg, mod) for name, s, rel, o, neg, mod, _, _ in EDGES}


def relation_id(doc: str, number: int) -> str:
    """Return the stable relation id of a provenance record."""
    return stable_id("r", doc, number)


def build_sample(order_seed: int | None = None) -> nx.MultiDiGraph:
    """Build the sample graph; with ``order_seed``, insert everything in a shuffled order."""
    ids = edge_ids()
    nodes = [(nid, dict(attrs)) for nid, attrs in ACTORS.items()]
    edges = list(EDGES)
    docs = list(DOCS.items())
    rng = random.Random(order_seed)
    if order_seed is not None:
        rng.shuffle(nodes)
        rng.shuffle(edges)
        rng.shuffle(docs)
    mentions: dict[str, int] = {}
    seen_docs: dict[str, set[str]] = {}
    for _, s, _, o, _, _, _, prov in edges:
        for nid in (s, o):
            mentions[nid] = mentions.get(nid, 0) + len(prov)
            seen_docs.setdefault(nid, set()).update(p[0] for p in prov)
    graph = nx.MultiDiGraph(name="geokg", documents={k: dict(v) for k, v in docs})
    for nid, attrs in nodes:
        graph.add_node(
            nid,
            label=attrs["label"],
            type=attrs["type"],
            country=attrs.get("country"),
            roles=sorted(attrs.get("roles", [])),
            aliases=sorted(attrs.get("aliases", [])),
            wikidata=attrs.get("wikidata"),
            mentions=mentions.get(nid, 0),
            docs=sorted(seen_docs.get(nid, set())),
        )
    for name, s, rel, o, neg, mod, event, prov in edges:
        records = [
            {
                "relation_id": relation_id(doc, n),
                "doc_id": doc,
                "sentence": sentence,
                "span": [10 * n, 10 * n + len(sentence)],
                "date": date,
                "date_source": "text" if date else None,
                "speaker": speaker,
                "confidence": conf,
                "extractor": "svo.v1",
                "rule": "svo.verb_object",
                "model": "en_test_sm-0.0",
            }
            for doc, n, sentence, date, speaker, conf in prov
        ]
        if order_seed is not None:
            rng.shuffle(records)
        plover, cameo, quad, gold = event if event else (None, None, None, None)
        graph.add_edge(
            s,
            o,
            key=ids[name],
            id=ids[name],
            relation=rel,
            negated=neg,
            modality=mod,
            plover=plover,
            cameo=cameo,
            quad_class=quad,
            goldstein=gold,
            confidence=max(r["confidence"] for r in records),
            weight=len(records),
            dates=sorted({r["date"] for r in records if r["date"]}),
            speakers=sorted({r["speaker"] for r in records if r["speaker"]}),
            provenance=records,
        )
    return graph
