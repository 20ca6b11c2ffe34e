"""Graph analytics for ``geokg stats``: centrality, communities, pair balance, timeline.

Pure functions over the actor graph (docs/ARCHITECTURE.md "The graph"); no spaCy, nothing
written. Every result is sorted with ties broken by actor id, and every float is rounded to
:data:`DIGITS` places, so the same graph gives the same output whatever order it was built in.

What counts:

* A **fact** is an edge that is not negated and whose modality is ``asserted`` or ``reported``
  (the same rule as the direct RDF triples, ``geokg.exports.rdf.FACTUAL_MODALITIES``).
* A **hedged** edge is not negated and is ``requested``, ``intended`` or ``hypothetical``
  ("urged Russia to withdraw", "plans to meet", "could sanction"): it is not a fact.
* A **negated** edge has ``negated`` true or modality ``negated`` ("did not meet").
* Each edge counts once per provenance record (its ``weight``): two articles reporting the
  same meeting are two event mentions.

Centrality and communities use the facts only; hedged and negated edges do not link actors
there. The pair balance sums Goldstein scores of facts only and shows hedged and negated
mentions in their own columns; the timeline does the same per day. Self-loops (an actor acting
on itself) count in the timeline but not in centrality, communities or pairs.

>>> from geokg.graph.assemble import add_fact, new_graph
>>> from geokg.model import Actor, Event
>>> g = new_graph()
>>> uk, ru = Actor(id="GBR", label="United Kingdom"), Actor(id="RUS", label="Russia")
>>> prov = {"relation_id": "r-1", "doc_id": "d1", "sentence": "", "span": [0, 1],
...         "date": "2025-05-15", "speaker": None, "confidence": 0.9}
>>> _ = add_fact(g, uk, ru, relation="accuse", negated=False, modality="asserted",
...              event=Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
...              provenance=prov)
>>> pair_balance(g)[0].goldstein, pair_balance(g)[0].conflict
(-2.0, 1)
>>> [(d.date, d.events) for d in timeline(g)]
[('2025-05-15', 1)]
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import networkx as nx

from geokg.errors import ConfigError

__all__ = [
    "BETWEENNESS_EXACT_MAX",
    "BETWEENNESS_SAMPLES",
    "CENTRALITY_MEASURES",
    "DIGITS",
    "FACTUAL_MODALITIES",
    "HEDGED_MODALITIES",
    "ActorScore",
    "DayCount",
    "Measure",
    "PairBalance",
    "centrality",
    "communities",
    "edge_status",
    "pair_balance",
    "render_stats",
    "stats",
    "stats_json",
    "timeline",
]

Measure = Literal["degree", "betweenness", "pagerank"]
CENTRALITY_MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "pagerank")

#: Modalities of an edge that count as facts (when not negated).
FACTUAL_MODALITIES: frozenset[str] = frozenset({"asserted", "reported"})
#: Modalities of an edge that are hedged: said to be wanted, planned or possible, not done.
HEDGED_MODALITIES: frozenset[str] = frozenset({"requested", "intended", "hypothetical"})

#: Decimal places of every float in the results.
DIGITS = 6
#: Betweenness is exact for graphs up to this many actors, and estimated above.
BETWEENNESS_EXACT_MAX = 1000
#: Source actors sampled (fixed seed) to estimate betweenness on larger graphs.
BETWEENNESS_SAMPLES = 200

_DAMPING = 0.85
_PAGERANK_TOL = 1e-12
_PAGERANK_MAX_ITER = 1000
_SEED = 0
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

Status = Literal["fact", "hedged", "negated"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorScore:
    """The centrality of one actor in the graph of facts.

    Attributes:
        id: Actor id (the node).
        label: Its canonical name.
        type: Actor type (``person``, ``country``, ...).
        degree: Number of distinct other actors it has a fact with, in either direction.
        mentions: Weighted degree: the fact mentions (provenance records) on its edges, in
            either direction.
        betweenness: Normalised betweenness centrality on the undirected, unweighted graph of
            facts (the share of shortest paths between other actors that pass through it).
            Exact up to :data:`BETWEENNESS_EXACT_MAX` actors; above that, estimated from
            :data:`BETWEENNESS_SAMPLES` source actors drawn with a fixed seed (still
            deterministic), since the exact measure costs a graph search from every actor.
        pagerank: PageRank (damping 0.85) on the directed graph of facts, parallel edges
            collapsed with their mentions summed as the weight; rank flows from the actor who
            acts to the one acted upon. The scores of all actors sum to 1.
    """

    id: str
    label: str
    type: str
    degree: int
    mentions: int
    betweenness: float
    pagerank: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PairBalance:
    """Cooperation and conflict between two actors, in either direction.

    Attributes:
        a: The actor id that sorts first.
        b: The other actor id.
        label_a: ``a``'s name.
        label_b: ``b``'s name.
        goldstein: Sum of Goldstein scores over the fact mentions (each edge's score times its
            provenance count); below zero is conflict, above zero cooperation.
        events: Fact mentions between them (coded or not).
        cooperation: Fact mentions of QuadClass 1-2 (verbal or material cooperation).
        conflict: Fact mentions of QuadClass 3-4 (verbal or material conflict).
        hedged: Hedged mentions (requested, intended, hypothetical): not in any sum above.
        negated: Negated mentions: not in any sum above.
    """

    a: str
    b: str
    label_a: str
    label_b: str
    goldstein: float
    events: int
    cooperation: int
    conflict: int
    hedged: int
    negated: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DayCount:
    """Event mentions on one day (``date`` ``None``: the mentions without a date).

    Attributes:
        date: ISO date ``YYYY-MM-DD``, or ``None`` for the undated mentions.
        events: Fact mentions that day.
        cooperation: Fact mentions of QuadClass 1-2.
        conflict: Fact mentions of QuadClass 3-4.
        goldstein: Sum of the Goldstein scores of the fact mentions.
        hedged: Hedged mentions that day (not in the counts above).
        negated: Negated mentions that day (not in the counts above).
    """

    date: str | None
    events: int
    cooperation: int
    conflict: int
    goldstein: float
    hedged: int
    negated: int


# ----------------------------------------------------------------------------------------------
# Edge reading


def _check_graph(g: object) -> nx.Graph:
    if not isinstance(g, nx.Graph):
        raise ConfigError(
            f"graph analytics need a networkx graph, got {type(g).__name__}; load one with "
            "geokg.graph.assemble.load_graph(OUT / 'graph.geokg.json')"
        )
    return g


def _check_top(top: int) -> int:
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ConfigError(f"top must be a positive integer, got {top!r}; pass top=10 or more")
    return top


def edge_status(data: Mapping[str, Any]) -> Status:
    """Whether an edge is a ``fact``, ``hedged`` or ``negated`` (see the module docstring).

    An unknown modality is treated as hedged: nothing unrecognised is counted as a fact.

    >>> edge_status({"negated": False, "modality": "reported"})
    'fact'
    >>> edge_status({"negated": False, "modality": "requested"})
    'hedged'
    >>> edge_status({"negated": True, "modality": "asserted"})
    'negated'
    """
    modality = data.get("modality") or "asserted"
    if data.get("negated") or modality == "negated":
        return "negated"
    return "fact" if modality in FACTUAL_MODALITIES else "hedged"


def _provenance(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The edge's provenance records; an edge without them counts ``weight`` undated ones."""
    provs = data.get("provenance") or []
    if provs:
        return [p for p in provs if isinstance(p, Mapping)]
    weight = data.get("weight")
    n = weight if isinstance(weight, int) and not isinstance(weight, bool) and weight > 0 else 1
    return [{"date": None}] * n


def _quad(data: Mapping[str, Any]) -> int | None:
    q = data.get("quad_class")
    return q if isinstance(q, int) and not isinstance(q, bool) else None


def _goldstein(data: Mapping[str, Any]) -> float | None:
    x = data.get("goldstein")
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        return None
    return float(x)


def _edges(g: nx.Graph) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """Every edge ``(u, v, data)`` with string ids, in a canonical order."""
    rows = [(str(u), str(v), d) for u, v, d in g.edges(data=True)]
    rows.sort(key=lambda r: (r[0], r[1], str(r[2].get("id", ""))))
    yield from rows


def _label(g: nx.Graph, node: str) -> str:
    label = g.nodes[node].get("label") if node in g else None
    return str(label) if label else node


def _round(x: float) -> float:
    r = round(x, DIGITS)
    return 0.0 if r == 0 else r  # no "-0.0"


def _fact_weights(g: nx.Graph) -> dict[tuple[str, str], int]:
    """Directed fact mentions per ordered pair of distinct actors."""
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, d in _edges(g):
        if u != v and edge_status(d) == "fact":
            weights[(u, v)] += len(_provenance(d))
    return weights


# ----------------------------------------------------------------------------------------------
# Centrality


def _pagerank(nodes: Sequence[str], weights: Mapping[tuple[str, str], int]) -> dict[str, float]:
    """Weighted PageRank by power iteration, in sorted order (no scipy; deterministic).

    Same definition as ``networkx.pagerank`` (dangling actors spread their rank evenly), run to
    a tighter tolerance so the rounded scores do not depend on where iteration stopped.
    """
    n = len(nodes)
    if n == 0:
        return {}
    out_weight: dict[str, float] = defaultdict(float)
    incoming: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (u, v), w in sorted(weights.items()):
        out_weight[u] += w
        incoming[v].append((u, float(w)))
    dangling = [x for x in nodes if out_weight[x] == 0]
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(_PAGERANK_MAX_ITER):
        leak = _DAMPING * math.fsum(rank[x] for x in dangling) / n
        base = (1.0 - _DAMPING) / n + leak
        new = {
            v: base + _DAMPING * math.fsum(rank[u] * w / out_weight[u] for u, w in incoming[v])
            for v in nodes
        }
        err = math.fsum(abs(new[x] - rank[x]) for x in nodes)
        rank = new
        if err < n * _PAGERANK_TOL:
            break
    return rank


def _scores(g: nx.Graph) -> list[ActorScore]:
    nodes = sorted(str(n) for n in g.nodes)
    weights = _fact_weights(g)
    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    mentions: dict[str, int] = defaultdict(int)
    for (u, v), w in sorted(weights.items()):
        undirected.add_edge(u, v)
        mentions[u] += w
        mentions[v] += w
    if len(nodes) <= BETWEENNESS_EXACT_MAX:
        betweenness = nx.betweenness_centrality(undirected, normalized=True)
    else:  # nodes were added in sorted order, so the seeded sample is reproducible
        betweenness = nx.betweenness_centrality(
            undirected, k=BETWEENNESS_SAMPLES, normalized=True, seed=_SEED
        )
    pagerank = _pagerank(nodes, weights)
    return [
        ActorScore(
            id=n,
            label=_label(g, n),
            type=str(g.nodes[n].get("type") or "other"),
            degree=int(undirected.degree(n)),
            mentions=mentions[n],
            betweenness=_round(betweenness[n]),
            pagerank=_round(pagerank[n]),
        )
        for n in nodes
    ]


def _rank_key(measure: Measure) -> Any:
    if measure == "degree":
        return lambda s: (-s.degree, -s.mentions, s.id)
    if measure == "betweenness":
        return lambda s: (-s.betweenness, -s.degree, s.id)
    return lambda s: (-s.pagerank, s.id)


def centrality(g: nx.Graph, top: int = 10, *, by: Measure = "pagerank") -> list[ActorScore]:
    """The ``top`` actors by one centrality measure, with all three measures for each.

    Args:
        g: The actor graph (not modified).
        top: How many actors to return.
        by: ``degree`` (ties by fact mentions), ``betweenness`` (ties by degree) or
            ``pagerank``; remaining ties by actor id.

    Returns:
        At most ``top`` :class:`ActorScore` records, the most central first.

    Raises:
        ConfigError: ``g`` is not a networkx graph, ``top`` is not positive, or ``by`` is not a
            measure.

    >>> import networkx as nx
    >>> star = nx.MultiDiGraph()
    >>> for leaf in "abc":
    ...     _ = star.add_edge("hub", leaf, modality="asserted", negated=False, weight=1)
    >>> [(s.id, s.degree, s.betweenness) for s in centrality(star, 2, by="degree")]
    [('hub', 3, 1.0), ('a', 1, 0.0)]
    """
    _check_graph(g)
    _check_top(top)
    if by not in CENTRALITY_MEASURES:
        raise ConfigError(
            f"unknown centrality measure {by!r}; use one of {', '.join(CENTRALITY_MEASURES)}"
        )
    return sorted(_scores(g), key=_rank_key(by))[:top]


# ----------------------------------------------------------------------------------------------
# Communities


def communities(g: nx.Graph, *, min_size: int = 1) -> list[list[str]]:
    """Communities of actors in the graph of facts (Louvain, fixed seed, weighted by mentions).

    The graph is rebuilt in sorted order before Louvain runs, so the result does not depend on
    the order the graph was built in. Actors with no fact are communities of one.

    Args:
        g: The actor graph (not modified).
        min_size: Leave out communities smaller than this.

    Returns:
        Lists of actor ids (each sorted), the largest community first, ties by first id.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")]:
    ...     _ = g.add_edge(u, v, modality="asserted", negated=False, weight=1)
    >>> communities(g)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    _check_graph(g)
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(str(n) for n in g.nodes))
    summed: dict[tuple[str, str], int] = defaultdict(int)
    for (u, v), w in _fact_weights(g).items():
        summed[(min(u, v), max(u, v))] += w
    for (u, v), w in sorted(summed.items()):
        undirected.add_edge(u, v, weight=w)
    if undirected.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(undirected, weight="weight", seed=_SEED)
    groups = [sorted(str(n) for n in c) for c in found if len(c) >= min_size]
    return sorted(groups, key=lambda c: (-len(c), c))


# ----------------------------------------------------------------------------------------------
# Pair balance and timeline


def pair_balance(g: nx.Graph) -> list[PairBalance]:
    """Cooperation/conflict balance of every pair of actors linked by an edge.

    Args:
        g: The actor graph (not modified).

    Returns:
        One :class:`PairBalance` per unordered pair, the most conflictual first (lowest
        Goldstein sum; ties: more facts first, then by ids). A pair linked only by hedged or
        negated edges is listed, with zero facts.
    """
    _check_graph(g)
    parts: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, d in _edges(g):
        if u == v:
            continue
        key = (min(u, v), max(u, v))
        acc = parts.setdefault(
            key,
            {"scores": [], "events": 0, "cooperation": 0, "conflict": 0, "hedged": 0, "negated": 0},
        )
        n = len(_provenance(d))
        status = edge_status(d)
        if status != "fact":
            acc[status] += n
            continue
        acc["events"] += n
        quad = _quad(d)
        if quad in (1, 2):
            acc["cooperation"] += n
        elif quad in (3, 4):
            acc["conflict"] += n
        score = _goldstein(d)
        if score is not None:
            acc["scores"].extend([score] * n)
    rows = [
        PairBalance(
            a=a,
            b=b,
            label_a=_label(g, a),
            label_b=_label(g, b),
            goldstein=_round(math.fsum(acc["scores"])),
            events=acc["events"],
            cooperation=acc["cooperation"],
            conflict=acc["conflict"],
            hedged=acc["hedged"],
            negated=acc["negated"],
        )
        for (a, b), acc in parts.items()
    ]
    return sorted(rows, key=lambda r: (r.goldstein, -r.events, r.a, r.b))


def timeline(g: nx.Graph, *, published_fallback: bool = False) -> list[DayCount]:
    """Event mentions per day, from each provenance record's ``date``.

    Args:
        g: The actor graph (not modified).
        published_fallback: Date a mention that has no event date by its document's
            publication date (``g.graph["documents"][doc_id]["published"]``), when known.
            Off by default: the article date is not the event date.

    Returns:
        One :class:`DayCount` per dated day, in date order; then, when some mentions have no
        date, one more with ``date=None`` for them. Days with no mention are not listed.
    """
    _check_graph(g)
    published: dict[str, str] = {}
    if published_fallback:
        docs = g.graph.get("documents") or {}
        for doc_id, meta in sorted(docs.items() if isinstance(docs, Mapping) else []):
            if isinstance(meta, Mapping) and meta.get("published"):
                published[str(doc_id)] = str(meta["published"])
    days: dict[str | None, dict[str, Any]] = {}
    for _u, _v, d in _edges(g):
        status = edge_status(d)
        quad = _quad(d)
        score = _goldstein(d)
        for p in _provenance(d):
            date = p.get("date") or published.get(str(p.get("doc_id")))
            day = str(date)[:10] if date else None
            acc = days.setdefault(
                day,
                {
                    "scores": [],
                    "events": 0,
                    "cooperation": 0,
                    "conflict": 0,
                    "hedged": 0,
                    "negated": 0,
                },
            )
            if status != "fact":
                acc[status] += 1
                continue
            acc["events"] += 1
            if quad in (1, 2):
                acc["cooperation"] += 1
            elif quad in (3, 4):
                acc["conflict"] += 1
            if score is not None:
                acc["scores"].append(score)
    order = sorted(k for k in days if k is not None) + ([None] if None in days else [])
    return [
        DayCount(
            date=day,
            events=days[day]["events"],
            cooperation=days[day]["cooperation"],
            conflict=days[day]["conflict"],
            goldstein=_round(math.fsum(days[day]["scores"])),
            hedged=days[day]["hedged"],
            negated=days[day]["negated"],
        )
        for day in order
    ]


# ----------------------------------------------------------------------------------------------
# Everything together


def stats(g: nx.Graph, *, top: int = 10, published_fallback: bool = False) -> dict[str, Any]:
    """Every analytic of ``g`` as one JSON-serialisable dict (what ``geokg stats --json`` prints).

    Keys: ``summary`` (actors, edges, documents, fact/hedged/negated mentions, and whether
    betweenness is ``exact`` or estimated),
    ``centrality`` (``degree``, ``betweenness``, ``pagerank``: the ``top`` actors by each, as
    :class:`ActorScore` dicts), ``communities`` (``{"size", "actors", "labels"}``, largest
    first, all of them), ``pairs`` (every :class:`PairBalance`, most conflictual first) and
    ``timeline`` (every :class:`DayCount`, undated last with ``date`` null).

    Args:
        g: The actor graph (not modified).
        top: How many actors each centrality list holds.
        published_fallback: Passed to :func:`timeline`.

    Raises:
        ConfigError: ``g`` is not a networkx graph or ``top`` is not positive.
    """
    _check_graph(g)
    _check_top(top)
    scores = _scores(g)
    mentions = {"fact": 0, "hedged": 0, "negated": 0}
    for _u, _v, d in _edges(g):
        mentions[edge_status(d)] += len(_provenance(d))
    docs = g.graph.get("documents") or {}
    return {
        "summary": {
            "actors": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "documents": len(docs) if isinstance(docs, Mapping) else 0,
            "fact_mentions": mentions["fact"],
            "hedged_mentions": mentions["hedged"],
            "negated_mentions": mentions["negated"],
            "betweenness": (
                "exact"
                if g.number_of_nodes() <= BETWEENNESS_EXACT_MAX
                else f"estimated from {BETWEENNESS_SAMPLES} sampled actors"
            ),
        },
        "centrality": {
            m: [asdict(s) for s in sorted(scores, key=_rank_key(m))[:top]]
            for m in CENTRALITY_MEASURES
        },
        "communities": [
            {"size": len(c), "actors": c, "labels": [_label(g, n) for n in c]}
            for c in communities(g)
        ],
        "pairs": [asdict(p) for p in pair_balance(g)],
        "timeline": [asdict(d) for d in timeline(g, published_fallback=published_fallback)],
    }


def stats_json(result: Mapping[str, Any]) -> str:
    """The :func:`stats` dict as indented JSON text, keys in a fixed order, ending in a newline."""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != 0 else "0"
    text = str(value)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[str]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if c in numeric else v.ljust(w)
            for c, v, w in zip(columns, values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def render_stats(result: Mapping[str, Any], *, max_rows: int | None = 20) -> str:
    """The :func:`stats` dict as plain-text tables, columns aligned, numbers right-aligned.

    Args:
        result: What :func:`stats` returned.
        max_rows: Show at most this many actor pairs and communities (``None``: all); the
            text says how many were left out. Centrality lists and the timeline are shown whole.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("GBR", label="United Kingdom")
    >>> g.add_node("RUS", label="Russia")
    >>> _ = g.add_edge("GBR", "RUS", modality="asserted", negated=False, quad_class=3,
    ...                goldstein=-2.0, provenance=[{"date": "2025-05-15"}])
    >>> print(render_stats(stats(g, top=1)).split("\\n\\n")[-2])
    Cooperation/conflict balance per pair (facts only; hedged and negated apart)
    actor a         actor b  goldstein  facts  coop  conflict  hedged  negated
    --------------  -------  ---------  -----  ----  --------  ------  -------
    United Kingdom  Russia          -2      1     0         1       0        0
    """
    if max_rows is not None and (isinstance(max_rows, bool) or max_rows < 1):
        raise ConfigError(f"max_rows must be a positive integer or None, got {max_rows!r}")
    s = result["summary"]
    blocks = [
        "Summary\n"
        + _table(
            ["actors", "edges", "documents", "facts", "hedged", "negated"],
            [
                [
                    s["actors"],
                    s["edges"],
                    s["documents"],
                    s["fact_mentions"],
                    s["hedged_mentions"],
                    s["negated_mentions"],
                ]
            ],
            {"actors", "edges", "documents", "facts", "hedged", "negated"},
        )
    ]
    score_cols = ["#", "actor", "id", "type", "degree", "mentions", "betweenness", "pagerank"]
    numeric = {"#", "degree", "mentions", "betweenness", "pagerank"}
    for measure in CENTRALITY_MEASURES:
        rows = [
            [
                i,
                a["label"],
                a["id"],
                a["type"],
                a["degree"],
                a["mentions"],
                a["betweenness"],
                a["pagerank"],
            ]
            for i, a in enumerate(result["centrality"][measure], start=1)
        ]
        note = ""
        if measure == "betweenness" and s.get("betweenness", "exact") != "exact":
            note = f" ({s['betweenness']})"
        blocks.append(f"Top actors by {measure}{note}\n" + _table(score_cols, rows, numeric))

    def clip(rows: list[Any]) -> tuple[list[Any], str]:
        if max_rows is None or len(rows) <= max_rows:
            return rows, ""
        return rows[:max_rows], f"\n... {len(rows) - max_rows} more (see --json)"

    comms, more = clip(list(result["communities"]))
    comm_rows = [[i, c["size"], ", ".join(c["labels"])] for i, c in enumerate(comms, start=1)]
    blocks.append(
        "Communities (Louvain on facts)\n"
        + _table(["#", "size", "actors"], comm_rows, {"#", "size"})
        + more
    )
    pairs, more = clip(list(result["pairs"]))
    pair_rows = [
        [
            p["label_a"],
            p["label_b"],
            p["goldstein"],
            p["events"],
            p["cooperation"],
            p["conflict"],
            p["hedged"],
            p["negated"],
        ]
        for p in pairs
    ]
    pair_cols = [
        "actor a",
        "actor b",
        "goldstein",
        "facts",
        "coop",
        "conflict",
        "hedged",
        "negated",
    ]
    blocks.append(
        "Cooperation/conflict balance per pair (facts only; hedged and negated apart)\n"
        + _table(pair_cols, pair_rows, set(pair_cols[2:]))
        + more
    )
    day_cols = ["date", "facts", "coop", "conflict", "goldstein", "hedged", "negated"]
    day_rows = [
        [
            d["date"] or "undated",
            d["events"],
            d["cooperation"],
            d["conflict"],
            d["goldstein"],
            d["hedged"],
            d["negated"],
        ]
        for d in result["timeline"]
    ]
    blocks.append("Events per day\n" + _table(day_cols, day_rows, set(day_cols[1:])))
    return "\n\n".join(blocks)
