"""A synthetic actor graph the size analysts open the page at: 2,000 actors, 10,000 relations.

Shaped like a news graph rather than a random one: a few hub actors take most relations (endpoint
weights fall off as a power of the rank), actors cluster in regions that mostly deal with each
other, and every relation is dated over two years in bursts (provenance records carry ``date``
and ``date_source``, like a real build). Names, sentences and documents are invented here.
Seeded: the same arguments give the same graph, node and edge order included.

Used by the page's browser test (tests/exports/test_html_browser.py) and bench/page.py.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import networkx as nx

from geokg.graph.assemble import edge_key, new_graph
from geokg.model import stable_id

# bench/ is not a package: this file is also loaded by path (tests/exports/test_html_browser.py)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _synth import WORDS

_SYLLABLES = (
    "ka",
    "ro",
    "va",
    "len",
    "mi",
    "sta",
    "dor",
    "be",
    "ni",
    "tu",
    "ra",
    "sol",
    "mar",
    "ve",
    "go",
    "an",
    "ost",
    "bri",
    "lu",
    "za",
    "pe",
    "hal",
)
_ORG_WORDS = ("Council", "Ministry", "Front", "Union", "Bank", "Agency", "Party", "Forces")
_GROUP_WORDS = ("protesters", "rebels", "farmers", "miners", "students", "militia")
_WORDS = WORDS[:26]  # the words of the graph in docs/PERFORMANCE-page.md and the tests
_RELATIONS = (
    ("accuse", "ACCUSE", "112", 3, -2.0),
    ("meet", "CONSULT", "040", 1, 1.0),
    ("criticize", "ACCUSE", "111", 3, -2.0),
    ("sanction", "SANCTION", "163", 4, -8.0),
    ("support", "SUPPORT", "051", 1, 3.4),
    ("visit", "CONSULT", "042", 1, 1.9),
    ("threaten", "THREATEN", "130", 3, -4.4),
    ("close", "REDUCE", "161", 4, -4.0),
    ("aid", "AID", "070", 2, 7.0),
    ("attack", "ASSAULT", "190", 4, -10.0),
)
_START = dt.date(2024, 1, 1)
_DAYS = 730


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _label(rng: random.Random, kind: str) -> str:
    if kind == "person":
        return f"{_name(rng, 2)} {_name(rng, rng.randint(2, 3))}"
    if kind == "organisation":
        return f"{_name(rng, 2)} {rng.choice(_ORG_WORDS)}"
    if kind == "group":
        return f"{_name(rng, 2)} {rng.choice(_GROUP_WORDS)}"
    return _name(rng, rng.randint(2, 3))


def _add_actors(g: nx.MultiDiGraph, rng: random.Random, actors: int, regions: int) -> list[str]:
    kinds = ("person",) * 9 + ("country",) * 2 + ("organisation",) * 5 + ("group", "location") * 2
    ids: list[str] = []
    labels: set[str] = set()
    for i in range(actors):
        kind = kinds[rng.randrange(len(kinds))]
        label = _label(rng, kind)
        while label in labels:
            label = _label(rng, kind)
        labels.add(label)
        nid = (
            f"Q{100_000 + i}" if kind == "country" else f"{kind}:{label.lower().replace(' ', '-')}"
        )
        ids.append(nid)
        g.add_node(
            nid,
            label=label,
            type=kind,
            country=None if kind == "organisation" else f"C{i % regions:02d}",
            roles=["minister"] if kind == "person" and i % 7 == 0 else [],
            aliases=[label.split()[-1]] if kind == "person" and i % 5 == 0 else [],
            wikidata=nid if nid.startswith("Q") else None,
            mentions=0,
            docs=[],
        )
    return ids


class _Dates:
    """Event days over two years: most fall within a few weeks of one of 14 news peaks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.peaks = sorted(rng.randrange(_DAYS) for _ in range(14))

    def __call__(self) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            offset = min(_DAYS - 1, max(0, int(rng.gauss(rng.choice(self.peaks), 9))))
        else:
            offset = rng.randrange(_DAYS)
        return (_START + dt.timedelta(days=offset)).isoformat()


def _provenance(
    rng: random.Random, g: nx.MultiDiGraph, day: _Dates, speakers: list[str], reported: bool
) -> list[dict[str, Any]]:
    records = []
    for _ in range(1 + int(rng.random() < 0.35) + int(rng.random() < 0.1)):
        date = day()
        doc = f"doc-{len(g.graph['documents']):06d}"
        published = (dt.date.fromisoformat(date) + dt.timedelta(days=rng.randrange(3))).isoformat()
        g.graph["documents"][doc] = {
            "title": f"Report {doc[4:]}",
            "published": published,
            "source": f"news.jsonl:{int(doc[4:]) + 1}",
            "url": f"https://news.example.org/{doc}",
        }
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 24)))
        sentence = sentence.capitalize() + "."
        start = rng.randrange(5_000)
        from_text = rng.random() < 0.4
        records.append(
            {
                "relation_id": stable_id("r", doc, start),
                "doc_id": doc,
                "sentence": sentence,
                "span": [start, start + len(sentence)],
                "date": date if from_text else published,
                "date_source": "text" if from_text else "article",
                "speaker": rng.choice(speakers) if reported else None,
                "confidence": round(0.5 + rng.random() / 2, 2),
                "extractor": "svo.v2",
                "model": "en_geokg_news_sm-0.1.0",
            }
        )
    records.sort(key=lambda p: (p["doc_id"], p["span"][0]))
    return records


def page_graph(actors: int = 2000, relations: int = 10_000, *, seed: int = 7) -> nx.MultiDiGraph:
    """Return a graph of ``actors`` actors (all connected) and ``relations`` distinct edges."""
    rng = random.Random(seed)
    g = new_graph()
    regions = max(1, actors // 160)
    ids = _add_actors(g, rng, actors, regions)
    region_of = {nid: i % regions for i, nid in enumerate(ids)}
    # Hub-heavy: the endpoint weight of the actor at rank r falls off as (r + 1) ** -1.1, so a
    # dozen actors carry a large share of the relations, as in a real news graph.
    weight = {nid: (r + 1) ** -1.1 for r, nid in enumerate(ids)}
    members: dict[int, list[str]] = {}
    for nid in ids:
        members.setdefault(region_of[nid], []).append(nid)
    region_weights = {k: [weight[n] for n in v] for k, v in members.items()}
    all_weights = [weight[n] for n in ids]
    day = _Dates(rng)
    # Every actor takes part in at least one relation; then endpoints follow the weights, and
    # 70% of partners come from the actor's own region.
    order = [*ids, *(rng.choices(ids, all_weights)[0] for _ in range(relations))]
    made = cursor = 0
    while made < relations:
        u = order[cursor % len(order)]
        cursor += 1
        if rng.random() < 0.7:
            v = rng.choices(members[region_of[u]], region_weights[region_of[u]])[0]
        else:
            v = rng.choices(ids, all_weights)[0]
        if rng.random() < 0.5:
            u, v = v, u
        rel, plover, cameo, quad, gold = _RELATIONS[rng.randrange(len(_RELATIONS))]
        negated = rng.random() < 0.04
        modality = "reported" if rng.random() < 0.3 else "asserted"
        key = edge_key(u, rel, v, negated, modality)
        if u == v or g.has_edge(u, v, key):
            continue
        provenance = _provenance(rng, g, day, ids, modality == "reported")
        g.add_edge(
            u,
            v,
            key=key,
            id=key,
            relation=rel,
            negated=negated,
            modality=modality,
            plover=plover,
            cameo=cameo,
            quad_class=quad,
            goldstein=gold,
            confidence=max(p["confidence"] for p in provenance),
            weight=len(provenance),
            dates=sorted({p["date"] for p in provenance}),
            speakers=sorted({p["speaker"] for p in provenance if p["speaker"]}),
            provenance=provenance,
        )
        made += 1
    for nid in ids:
        docs = {p["doc_id"] for *_, ps in g.edges(nid, data="provenance") for p in ps}
        docs |= {p["doc_id"] for *_, ps in g.in_edges(nid, data="provenance") for p in ps}
        g.nodes[nid]["docs"] = sorted(docs)
        g.nodes[nid]["mentions"] = len(docs)
    return g
