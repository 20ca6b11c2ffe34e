"""A synthetic actor graph of N relations, to the docs/ARCHITECTURE.md contract.

Attribute sizes follow real builds: about two provenance records per edge, sentences of 100-200
characters, ten relations per document, a few thousand actors. Seeded, so every run is the same.
"""

from __future__ import annotations

import random

import networkx as nx

from geokg.graph.assemble import edge_key, new_graph
from geokg.model import stable_id

#: Words of the synthetic sentences (bench/assembly.py and bench/_pagegraph.py take a prefix).
WORDS = [
    "the",
    "minister",
    "said",
    "talks",
    "with",
    "officials",
    "would",
    "continue",
    "after",
    "the",
    "summit",
    "on",
    "trade",
    "and",
    "security",
    "while",
    "the",
    "government",
    "rejected",
    "claims",
    "about",
    "the",
    "border",
    "agreement",
    "and",
    "sanctions",
    "delegation",
    "envoy",
    "ceasefire",
    "treaty",
    "army",
    "embassy",
    "parliament",
    "council",
    "statement",
    "meeting",
    "president",
    "spokesman",
    "foreign",
    "defence",
    "economy",
    "energy",
    "aid",
    "visit",
    "capital",
    "region",
]
_RELATIONS = (
    ("accuse", "ACCUSE", "112", 3, -2.0),
    ("meet", "CONSULT", "040", 1, 1.0),
    ("criticize", "ACCUSE", "111", 3, -2.0),
    ("sanction", "SANCTION", "163", 4, -8.0),
    ("support", "SUPPORT", "051", 1, 3.4),
    ("visit", "CONSULT", "042", 1, 1.9),
    ("threaten", "THREATEN", "130", 3, -4.4),
    ("close", "REDUCE", "161", 4, -4.0),
)
_TYPES = ("person", "country", "organisation", "group", "location")


def synthetic_graph(relations: int, *, seed: int = 7) -> nx.MultiDiGraph:
    """Return a graph holding ``relations`` provenance records (extracted relations)."""
    rng = random.Random(seed)
    g = new_graph()
    n_actors = max(20, relations // 300)
    n_docs = max(1, relations // 10)
    actors = [f"person:actor-{i:06d}" if i % 3 else f"Q{1000 + i}" for i in range(n_actors)]
    for i, a in enumerate(actors):
        g.add_node(
            a,
            label=f"Actor {i} {rng.choice(WORDS).title()}",
            type=_TYPES[i % len(_TYPES)],
            country=("GBR", "RUS", "USA", "POL", "UKR", None)[i % 6],
            roles=["foreign minister"] if i % 4 == 0 else [],
            aliases=[f"A{i}"] if i % 5 == 0 else [],
            wikidata=a if a.startswith("Q") else None,
            mentions=0,
            docs=[],
        )
    for d in range(n_docs):
        g.graph["documents"][f"doc-{d:07d}"] = {
            "title": f"Report {d}",
            "published": f"2025-{1 + d % 12:02d}-{1 + d % 28:02d}",
            "source": f"news.jsonl:{d + 1}",
            "url": f"https://example.org/news/{d}",
        }
    made = 0
    edge_list: list[tuple[str, str, str]] = []
    docs_of: dict[str, set[str]] = {}
    mentions: dict[str, int] = {}
    while made < relations:
        if edge_list and rng.random() < 0.5:
            u, v, k = edge_list[rng.randrange(len(edge_list))]
            data = g.edges[u, v, k]
        else:
            u, v = rng.sample(actors, 2)
            rel, plover, cameo, quad, gold = _RELATIONS[rng.randrange(len(_RELATIONS))]
            negated = rng.random() < 0.05
            modality = "reported" if rng.random() < 0.3 else "asserted"
            k = edge_key(u, rel, v, negated, modality)
            if g.has_edge(u, v, k):
                continue
            g.add_edge(
                u,
                v,
                key=k,
                id=k,
                relation=rel,
                negated=negated,
                modality=modality,
                plover=plover,
                cameo=cameo,
                quad_class=quad,
                goldstein=gold,
                confidence=0.0,
                weight=0,
                dates=[],
                speakers=[],
                provenance=[],
            )
            edge_list.append((u, v, k))
            data = g.edges[u, v, k]
        doc = f"doc-{made % n_docs:07d}"
        start = rng.randrange(0, 20_000)
        sentence = (
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 30))).capitalize() + "."
        )
        date = g.graph["documents"][doc]["published"]
        speaker = rng.choice(actors) if data["modality"] == "reported" else None
        data["provenance"].append(
            {
                "relation_id": stable_id("r", doc, start, made),
                "doc_id": doc,
                "sentence": sentence,
                "span": [start, start + len(sentence)],
                "date": date,
                "speaker": speaker,
                "confidence": round(0.5 + rng.random() / 2, 2),
                "extractor": "svo.v1",
                "model": "en_geokg_news_sm-0.1.0",
            }
        )
        data["weight"] += 1
        data["confidence"] = max(data["confidence"], data["provenance"][-1]["confidence"])
        if date not in data["dates"]:
            data["dates"] = sorted({*data["dates"], date})
        if speaker and speaker not in data["speakers"]:
            data["speakers"] = sorted({*data["speakers"], speaker})
        for n in (u, v):
            docs_of.setdefault(n, set()).add(doc)
            mentions[n] = mentions.get(n, 0) + 1
        made += 1
    for u, v, k in edge_list:
        g.edges[u, v, k]["provenance"].sort(
            key=lambda p: (p["doc_id"], p["span"][0], p["span"][1], p["relation_id"])
        )
    for n in actors:
        g.nodes[n]["docs"] = sorted(docs_of.get(n, ()))
        g.nodes[n]["mentions"] = mentions.get(n, 0)
    return g
