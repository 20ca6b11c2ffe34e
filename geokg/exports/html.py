"""Interactive, self-contained HTML page of the actor graph (pyvis / vis-network).

The page opens offline: the vis-network bundle that ships with pyvis is embedded in-line, our own
CSS and JavaScript are embedded in-line, and no ``<script src>`` or ``<link href>`` is emitted. A
Content-Security-Policy with script hashes blocks any script or event handler we did not write.

Text from articles never reaches the HTML parser: the graph travels as JSON inside a
``<script type="application/json">`` block (``<``, ``>``, ``&``, U+2028 and U+2029 escaped) and
the page's own script puts it on screen with ``textContent``.

The layout is seeded. Below 100 shown actors: a networkx spring layout per connected component
(``seed``), packed in rows, then a short vis-network physics polish (``layout.randomSeed =
seed``) that spreads crowded hubs, after which physics is switched off. From 100 on (the size
analysts open, up to thousands): a Fruchterman–Reingold layout of our own in numpy that keeps
each community together, with the top actors moved apart until their labels clear each other;
the page opens on it with physics off (2,000 actors and 10,000 relations open in about 2 s,
docs/PERFORMANCE-page.md).

What the page shows is ranked by weighted degree (mentions over the shown relations): node size,
and which actors are labelled. The top :data:`TOP_LABELS` are labelled at a legible size at any
zoom; the others once the zoom makes their label 10 px high, or in a neighbourhood view, or when
searched for. The page places labels greedily in rank order and leaves out any that would cover
one already placed; relation labels are drawn only with at most :data:`EDGE_LABEL_LIMIT`
relations in view, and never over another label. Above those sizes a line on the graph says what
is hidden and how to see it. Communities (seeded Louvain over the shown relations) give a second
colouring; clicking an actor shows its neighbourhood (one or two hops) with a way back; every
filter re-fits the view; a histogram of relations over time can be brushed to set the date
filter.

Big graphs stay usable: above ``max_nodes`` actors the page shows the top actors by degree (ties
broken by id) with the relations among them, at most ``max_edges`` of those (:data:`MAX_EDGES`,
the heaviest), and says what was left out. The page does not grow
with the corpus behind a relation either: each edge carries its first :data:`MAX_SOURCES`
source sentences (in (document, span) order) and the count of the rest, which the page names
("and 123 more sources in triples.jsonl"), and its first :data:`MAX_SOURCES` speakers; an actor
carries the number of its documents, not their ids.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("RUS", label="Russia", type="country")
>>> graph.add_node("UKR", label="Ukraine", type="country")
>>> graph.add_edge("RUS", "UKR", key="e-1", id="e-1", relation="attack", quad_class=4)
'e-1'
>>> page = render_html(graph, title="Demo")
>>> page.startswith("<!DOCTYPE html>") and "<script src" not in page
True
>>> page == render_html(graph, title="Demo")
True
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import itertools
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import networkx as nx
import pyvis
from pyvis.network import Network

from geokg._io import atomic_write
from geokg.errors import ConfigError, ExportError
from geokg.model import ACTOR_TYPES

__all__ = [
    "COMMUNITY_COLOURS",
    "DASHES",
    "EDGE_COLOURS",
    "EDGE_LABEL_LIMIT",
    "MAX_EDGES",
    "MAX_SOURCES",
    "NODE_STYLES",
    "QUAD_CLASS_NAMES",
    "TOP_LABELS",
    "NodeStyle",
    "export_html",
    "render_html",
    "write_html",
]

#: Source sentences (and speakers) each edge embeds in the page; the rest are only counted.
MAX_SOURCES = 5

#: Relations drawn at most, the heaviest among the shown actors: the page stays readable with
#: 2,000 actors and 10,000 relations (docs/PERFORMANCE-page.md), and its size does not grow
#: with the corpus (a year of news has hundreds of thousands among its top actors).
MAX_EDGES = 10_000

#: The vis-network release that pyvis 0.3.2 in-lines (``cdn_resources="in_line"``).
_VIS_VERSION = "9.1.2"

#: From this many actors on, the layout is a seeded force layout of our own that keeps
#: communities together and the top actors' labels apart (numpy; networkx's spring layout needs
#: scipy from 500 nodes on), and the page opens without physics. Below, a networkx spring
#: layout per component and a short physics polish in the browser.
_SPRING_LIMIT = 100

#: Iterations of the force layout of big graphs (about 2 s at 2,000 actors).
_FORCE_ITERATIONS = 60

#: Cells of one block of the force layout's repulsion (4 buffers of float32: 64 MB).
_BLOCK_CELLS = 4_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeStyle:
    """How an actor type is drawn.

    Attributes:
        colour: Fill colour (Paul Tol's colour-blind safe "light" scheme).
        border: Outline colour.
        shape: vis-network shape, so types differ by shape as well as colour.
    """

    colour: str
    border: str
    shape: str


#: Actor type → style. Shapes differ too, so the legend reads without colour vision.
NODE_STYLES: Mapping[str, NodeStyle] = {
    "person": NodeStyle(colour="#EE8866", border="#B5532F", shape="dot"),
    "country": NodeStyle(colour="#77AADD", border="#3C6E9E", shape="hexagon"),
    "organisation": NodeStyle(colour="#EEDD88", border="#A8962E", shape="square"),
    "location": NodeStyle(colour="#44BB99", border="#23775F", shape="triangle"),
    "group": NodeStyle(colour="#FFAABB", border="#C2627A", shape="diamond"),
    "other": NodeStyle(colour="#DDDDDD", border="#8A8A8A", shape="triangleDown"),
}

#: QuadClass → name. ``None`` is an uncoded relation.
QUAD_CLASS_NAMES: Mapping[int | None, str] = {
    0: "Neutral",
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
    None: "Not coded",
}

#: QuadClass → edge colour (Okabe–Ito, colour-blind safe).
EDGE_COLOURS: Mapping[int | None, str] = {
    0: "#6F6F6F",
    1: "#56B4E9",
    2: "#0072B2",
    3: "#E69F00",
    4: "#D55E00",
    None: "#C4C4C4",
}

#: Line style (vis-network ``dashes``) for each modality; ``negated`` also covers asserted
#: relations with ``negated=True``. Asserted relations are solid.
DASHES: Mapping[str, list[int]] = {
    "reported": [7, 4],
    "requested": [2, 4],
    "intended": [10, 4, 2, 4],
    "hypothetical": [1, 6],
    "negated": [14, 6],
}

#: Community → fill colour when the page colours by community (Paul Tol's "muted" and "light"
#: schemes); communities past the palette are grey.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#EE8866",
    "#77AADD",
    "#BBCC33",
)
_OTHER_COMMUNITY = "#D9D9D9"

#: Actors labelled at the first view (the top ones by weighted degree); the rest are labelled as
#: the view zooms in on them, or when searched for, clicked or in a neighbourhood view.
TOP_LABELS = 20

#: Above this many relations in view, relation labels are not drawn (hover a relation, or zoom
#: in, to read them); below it they are drawn where they do not cover one another.
EDGE_LABEL_LIMIT = 80

_NEGATED_LABEL_COLOUR = "#B2182B"
_SLICE = 1 << 16
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
_QID = re.compile(r"^Q[0-9]+$")


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "geokg",
    max_nodes: int = 300,
    max_edges: int = MAX_EDGES,
    seed: int = 7,
) -> str:
    """Return the interactive HTML page for ``graph`` (a pure function; writes nothing).

    Args:
        graph: The actor graph (docs/ARCHITECTURE.md "The graph"). Not modified.
        title: Page heading and ``<title>``; escaped.
        max_nodes: Show at most this many actors: the top ones by degree (ties by id), with
            the relations among them. The page says what was left out.
        max_edges: Of the relations among the shown actors, draw at most this many: the
            heaviest (by weight, ties by id). The page says so when it leaves some out.
        seed: Seed of the layout; the same graph and seed give a byte-identical page.

    Returns:
        A complete, self-contained HTML document.

    Raises:
        ConfigError: ``max_nodes`` or ``max_edges`` is not a positive integer, or ``graph`` is
            not a networkx graph.
        ExportError: pyvis's in-line vis-network bundle or our page assets cannot be read.

    >>> import networkx as nx
    >>> render_html(nx.MultiDiGraph(), max_nodes=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geokg.errors.ConfigError: max_nodes must be a positive integer, got 0; ...
    """
    return "".join(_page(graph, title=title, max_nodes=max_nodes, max_edges=max_edges, seed=seed))


def _page(
    graph: nx.MultiDiGraph, *, title: str, max_nodes: int, max_edges: int, seed: int
) -> Iterator[str]:
    """The page of :func:`render_html` as the template's pieces (the same text, never joined)."""
    if not isinstance(graph, nx.Graph):
        raise ConfigError(
            f"render_html needs a networkx graph, got {type(graph).__name__}; "
            "build one with geokg.graph (a networkx.MultiDiGraph)"
        )
    for name, value, default in (
        ("max_nodes", max_nodes, 300),
        ("max_edges", max_edges, MAX_EDGES),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"{name} must be a positive integer, got {value!r}; "
                f"pass {name}={default} (the default) or more"
            )
    payload, notice = _payload(graph, max_nodes=max_nodes, max_edges=max_edges, seed=seed)
    data_json = _script_json(payload)
    del payload
    page_js = _asset("graph.js")
    vis_js = _vis_js()
    for name, code in (("vis-network", vis_js), ("graph.js", page_js)):
        _check_inline_script(name, code)
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    parts: Iterator[str] = _template().generate(
        title=title,
        csp=csp,
        notice=notice,
        css=markupsafe.Markup(_asset("graph.css")),
        vis_js=markupsafe.Markup(vis_js),
        page_js=markupsafe.Markup(page_js),
        data_json=markupsafe.Markup(data_json),
    )
    return parts


def write_html(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    title: str = "geokg",
    max_nodes: int = 300,
    max_edges: int = MAX_EDGES,
    seed: int = 7,
) -> Path:
    """Write :func:`render_html` of ``graph`` to ``path`` atomically and return the path.

    Nothing else is written: no ``lib/`` folder, nothing in the working directory.

    Args:
        graph: The actor graph.
        path: Where to write the page (``OUT/graph.html``); parent folders are created.
        title: Page heading.
        max_nodes: See :func:`render_html`.
        max_edges: See :func:`render_html`.
        seed: See :func:`render_html`.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.

    Raises:
        ExportError: The file cannot be written.
    """
    page = _page(graph, title=title, max_nodes=max_nodes, max_edges=max_edges, seed=seed)
    # Big pieces (the data, vis-network) go out in slices: never a second, encoded copy.
    slices = (piece[i : i + _SLICE] for piece in page for i in range(0, len(piece), _SLICE))
    target = Path(path)
    try:
        return atomic_write(target, slices)
    except OSError as err:
        raise ExportError(
            f"cannot write the HTML page to {target}: {err.strerror or err}; "
            "check that the folder is writable and the disk is not full"
        ) from err


def export_html(
    graph: nx.MultiDiGraph,
    out_dir: str | os.PathLike[str],
    *,
    title: str = "geokg",
    max_nodes: int = 300,
    max_edges: int = MAX_EDGES,
    seed: int = 7,
) -> list[Path]:
    """Write ``out_dir/graph.html``: the exporter form ``(graph, out_dir) -> [paths]``.

    Args:
        graph: The actor graph.
        out_dir: The build output folder (created when missing).
        title: Page heading.
        max_nodes: See :func:`render_html`.
        max_edges: See :func:`render_html`.
        seed: See :func:`render_html`.

    Returns:
        ``[out_dir / "graph.html"]``.
    """
    path = Path(out_dir) / "graph.html"
    return [
        write_html(graph, path, title=title, max_nodes=max_nodes, max_edges=max_edges, seed=seed)
    ]


# --------------------------------------------------------------------------------------------
# Building the payload


def _cut_notice(shown: int, total: int, shown_edges: int, among: int, total_edges: int) -> str:
    """What the page leaves out and how to see it (``""`` when it shows everything).

    ``among``: the relations among the shown actors, of which ``shown_edges`` are drawn."""
    if shown == total and shown_edges == total_edges:
        return ""
    notice = (
        f"Showing {shown:,} of {total:,} actors and {shown_edges:,} of {total_edges:,} relations"
    )
    if shown < total:
        notice += (
            f" (top by degree). To see them all: geokg build --page-max-actors {total} (the page "
            "stays readable at 2,000), or every actor in graph.ttl, graph.graphml and "
            "triples.jsonl."
        )
    else:
        notice += "."
    if shown_edges < among:
        notice += (
            f" Of the {among:,} relations among these actors the {shown_edges:,} heaviest are "
            f"drawn: geokg build --page-max-relations {among} draws them all."
        )
    return notice


def _payload(
    graph: nx.Graph, *, max_nodes: int, max_edges: int, seed: int
) -> tuple[dict[str, Any], str]:
    """Return the JSON payload for the page and the "what was left out" notice (or "")."""
    all_nodes = sorted(graph.nodes, key=str)
    degree = {str(n): int(graph.degree(n)) for n in all_nodes}
    ranked = sorted(all_nodes, key=lambda n: (-degree[str(n)], str(n)))
    kept = {str(n) for n in ranked[:max_nodes]}
    kept_ids = sorted(kept)
    del ranked

    kept_edges, among = _edge_records(graph, kept, max_edges)
    total_nodes, total_edges = len(all_nodes), graph.number_of_edges()
    notice = _cut_notice(len(kept_ids), total_nodes, len(kept_edges), among, total_edges)
    if any(e["geokg"]["sources"] > len(e["geokg"]["provenance"]) for e in kept_edges):
        cut = f"Each relation shows its first {MAX_SOURCES} sources; all are in triples.jsonl."
        notice = f"{notice} {cut}" if notice else cut

    attrs = {str(n): graph.nodes[n] for n in all_nodes}
    shown_degree: Counter[str] = Counter()
    weighted: Counter[str] = Counter(dict.fromkeys(kept_ids, 0))
    for e in kept_edges:
        for end in (e["from"], e["to"]):
            shown_degree[end] += 1
            weighted[end] += max(1, e["geokg"]["weight"])
    rank = {nid: i for i, nid in enumerate(sorted(kept_ids, key=lambda n: (-weighted[n], n)))}
    community = _communities(kept_ids, kept_edges, seed=seed)
    sizes = _node_sizes(kept_ids, weighted)
    big, positions = _arrange(kept_ids, kept_edges, attrs, rank, sizes, community, seed=seed)

    net = Network(directed=True, cdn_resources="in_line", heading="")
    for nid in kept_ids:
        node = _vis_node(nid, attrs[nid], degree[nid], shown_degree[nid], positions)
        node["size"] = sizes[nid]
        node["geokg"].update(weight=weighted[nid], rank=rank[nid], community=community.get(nid))
        net.add_node(nid, **node)
    if not big:
        # Curves cost the browser a bezier search per edge and frame: big graphs draw straight.
        _curve_parallel_edges(kept_edges)
    for e in kept_edges:
        net.add_edge(e["from"], e["to"], **_vis_edge(e, light=big))

    doc_meta = graph.graph.get("documents")
    documents: dict[str, dict[str, Any]] = {}
    speakers: set[str] = set()
    for e in kept_edges:
        speakers.update(e["geokg"]["speakers"])
        for prov in e["geokg"]["provenance"]:
            if prov.get("speaker"):
                speakers.add(prov["speaker"])
            doc_id = prov.get("doc_id")
            if doc_id and doc_id not in documents:
                meta = doc_meta.get(doc_id, {}) if isinstance(doc_meta, Mapping) else {}
                documents[doc_id] = {
                    "title": _text(meta.get("title")) or None,
                    "url": _safe_url(meta.get("url")),
                    "published": _text(meta.get("published")) or None,
                }
    dates = sorted({d for e in kept_edges for d in e["geokg"]["dates"]})
    payload: dict[str, Any] = {
        "nodes": net.nodes,
        "edges": net.edges,
        "documents": {k: documents[k] for k in sorted(documents)},
        "labels": {
            s: (_text(attrs[s].get("label")) or s) if s in attrs else s for s in sorted(speakers)
        },
        "legend": {
            "types": [
                {
                    "type": t,
                    "colour": NODE_STYLES[t].colour,
                    "border": NODE_STYLES[t].border,
                    "shape": NODE_STYLES[t].shape,
                }
                for t in ACTOR_TYPES
            ],
            "quad": [
                {"quad": q, "name": QUAD_CLASS_NAMES[q], "colour": EDGE_COLOURS[q]}
                for q in (1, 2, 3, 4, 0, None)
            ],
            "dashes": [{"style": k, "dashes": v} for k, v in DASHES.items()],
        },
        "counts": {
            "nodes": len(kept_ids),
            "edges": len(kept_edges),
            "total_nodes": total_nodes,
            "total_edges": total_edges,
        },
        "dates": [dates[0], dates[-1]] if dates else None,
        "notice": notice,
        "communities": _community_legend(community, attrs, rank),
        "view": {"top_labels": TOP_LABELS, "edge_labels": EDGE_LABEL_LIMIT},
        "options": _vis_options(seed=seed, physics=not big),
    }
    return payload, notice


def _arrange(
    node_ids: list[str],
    edges: list[dict[str, Any]],
    attrs: Mapping[str, Mapping[str, Any]],
    rank: Mapping[str, int],
    sizes: Mapping[str, float],
    community: Mapping[str, int],
    *,
    seed: int,
) -> tuple[bool, dict[str, tuple[float, float]]]:
    """``(big, positions)``: the spring layout of a small graph (a browser polish follows), or
    the force layout of a big one with its top actors' labels spread apart (no physics)."""
    positions = _layout(node_ids, edges, seed=seed)
    if positions is not None:
        return False, positions
    positions = _force_layout(node_ids, edges, community, seed=seed)
    _spread_labels(positions, rank, sizes, {n: _text(attrs[n].get("label")) for n in rank})
    return True, positions


def _edge_ends(graph: nx.Graph) -> Iterator[tuple[Any, Any, Any, Mapping[str, Any]]]:
    if graph.is_multigraph():
        yield from graph.edges(keys=True, data=True)
    else:
        yield from ((u, v, None, d) for u, v, d in graph.edges(data=True))


def _edge_id(u: Any, v: Any, key: Any, d: Mapping[str, Any]) -> str:
    return _text(d.get("id")) or (_text(key) if key is not None else f"{u}->{v}")


def _repeat_numbers(graph: nx.Graph) -> dict[int, int]:
    """Edge position (in graph order) -> its number among the edges that share its id.

    Numbers count in (from, to, id) order, over every edge of the graph, shown or not; only
    edges whose id repeats are listed (none, in a geokg graph). Keeps the ids by reference.
    """
    ids = sorted(_edge_id(*edge) for edge in _edge_ends(graph))
    repeated = {a for a, b in itertools.pairwise(ids) if a == b}
    del ids
    if not repeated:
        return {}
    shared = sorted(
        (
            (str(edge[0]), str(edge[1]), eid, position)
            for position, edge in enumerate(_edge_ends(graph))
            if (eid := _edge_id(*edge)) in repeated
        ),
    )
    seen: Counter[str] = Counter()
    numbers: dict[int, int] = {}
    for _, _, eid, position in shared:
        seen[eid] += 1
        numbers[position] = seen[eid]
    return numbers


def _edge_records(
    graph: nx.Graph, kept: Collection[str], max_edges: int
) -> tuple[list[dict[str, Any]], int]:
    """The edges among ``kept`` nodes as plain records, sorted by (from, to, id), ids made
    unique (``id~2``, ``id~3`` ... counted over all edges, as if every edge were shown), and
    the number of edges among ``kept``: of those, the ``max_edges`` heaviest (by ``weight``,
    ties by id then graph order).

    Only the shown edges become records; the rest of the graph is looked at, not copied, and
    no more than ``max_edges`` candidates are held at once.
    """
    numbers = _repeat_numbers(graph)
    among = 0

    def candidates() -> Iterator[tuple[int, str, int, Any, Any, Mapping[str, Any]]]:
        nonlocal among
        for position, (u, v, key, d) in enumerate(_edge_ends(graph)):
            if str(u) in kept and str(v) in kept:
                among += 1
                weight = _count(d.get("weight"), default=1)
                yield -weight, _edge_id(u, v, key, d), position, u, v, d

    heaviest = heapq.nsmallest(max_edges, candidates(), key=lambda c: c[:3])
    # the shown edges in edge id order, as every walk over the provenance (a graph that keeps
    # it on disk, geokg.tables.StoredGraph, reads it in one pass so); sorted below
    shown = sorted((eid, position, u, v, d) for _, eid, position, u, v, d in heaviest)
    del heaviest
    records: list[tuple[dict[str, Any], int]] = []
    for eid, position, u, v, d in shown:
        negated = bool(d.get("negated", False))
        modality = _text(d.get("modality")) or ("negated" if negated else "asserted")
        quad = d.get("quad_class")
        quad = (
            quad
            if isinstance(quad, int) and not isinstance(quad, bool) and quad in EDGE_COLOURS
            else None
        )
        provenance = [
            {
                k: _plain(p.get(k))
                for k in ("doc_id", "sentence", "span", "date", "date_source", "speaker")
            }
            for p in (d.get("provenance") or [])
            if isinstance(p, Mapping)
        ]
        provenance.sort(key=lambda p: (str(p["doc_id"]), str(p["span"]), str(p["sentence"])))
        speakers = sorted({_text(x) for x in (d.get("speakers") or []) if _text(x)})
        record = {
            "id": eid,
            "from": str(u),
            "to": str(v),
            "geokg": {
                "relation": _text(d.get("relation")) or "related to",
                "negated": negated,
                "modality": modality,
                "plover": _text(d.get("plover")) or None,
                "cameo": _text(d.get("cameo")) or None,
                "quad_class": quad,
                "goldstein": _number(d.get("goldstein")),
                "confidence": _number(d.get("confidence")),
                "weight": _count(d.get("weight"), default=max(1, len(provenance))),
                "dates": sorted({_text(x) for x in (d.get("dates") or []) if _text(x)}),
                "speakers": speakers[:MAX_SOURCES],
                "more_speakers": len(speakers[MAX_SOURCES:]),
                "provenance": provenance[:MAX_SOURCES],
                "sources": len(provenance),
                "documents": len({p["doc_id"] for p in provenance if p["doc_id"]}),
            },
        }
        records.append((record, position))
    records.sort(key=lambda rp: (rp[0]["from"], rp[0]["to"], rp[0]["id"], rp[1]))
    for record, position in records:
        number = numbers.get(position, 1)
        if number > 1:
            record["id"] = f"{record['id']}~{number}"
    return [record for record, _ in records], among


def _vis_node(
    nid: str,
    a: Mapping[str, Any],
    degree: int,
    shown: int,
    positions: Mapping[str, tuple[float, float]] | None,
) -> dict[str, Any]:
    kind = _text(a.get("type"))
    kind = kind if kind in NODE_STYLES else "other"
    style = NODE_STYLES[kind]
    label = _text(a.get("label")) or nid
    wikidata = _text(a.get("wikidata"))
    node: dict[str, Any] = {
        "label": label,
        "shape": style.shape,
        "color": {
            "background": style.colour,
            "border": style.border,
            "highlight": {"background": style.colour, "border": "#1F2933"},
            "hover": {"background": style.colour, "border": "#1F2933"},
        },
        "borderWidth": 1.5,
        "geokg": {
            "type": kind,
            "country": _text(a.get("country")) or None,
            "roles": _str_list(a.get("roles")),
            "aliases": _str_list(a.get("aliases")),
            "wikidata": wikidata if _QID.match(wikidata) else None,
            "mentions": _count(a.get("mentions"), default=0),
            "documents": len(_str_list(a.get("docs"))),
            "degree": degree,
            "shown_degree": shown,
        },
    }
    if positions is not None:
        x, y = positions[nid]
        node["x"], node["y"] = x, y
    return node


def _vis_edge(e: Mapping[str, Any], *, light: bool = False) -> dict[str, Any]:
    """The vis-network edge; ``light`` (big graphs) draws it thinner and fainter."""
    g = e["geokg"]
    colour = EDGE_COLOURS[g["quad_class"]]
    style = g["modality"] if g["modality"] in DASHES else None
    if style is None and g["negated"]:
        style = "negated"
    label = ("not " if g["negated"] else "") + g["relation"]
    edge: dict[str, Any] = {
        "id": e["id"],
        "label": label,
        "color": {
            "color": colour,
            "highlight": colour,
            "hover": colour,
            "opacity": 0.35 if light else 0.9,
        },
        "dashes": DASHES[style] if style else False,
        "width": round(min(8.0, (0.6 if light else 1.6) + 1.3 * math.log2(max(1, g["weight"]))), 2),
        "geokg": g,
    }
    if g["negated"]:
        edge["font"] = {"color": _NEGATED_LABEL_COLOUR}
    if "smooth" in e:
        edge["smooth"] = e["smooth"]
    if "selfReference" in e:
        edge["selfReference"] = e["selfReference"]
    return edge


def _curve_parallel_edges(edges: list[dict[str, Any]]) -> None:
    """Give parallel edges distinct curves (and self-loops distinct sizes), in place."""
    per_pair: Counter[tuple[str, str]] = Counter()
    for e in edges:
        per_pair[tuple(sorted((e["from"], e["to"])))] += 1
    index: defaultdict[tuple[str, str], int] = defaultdict(int)
    for e in edges:
        directed = (e["from"], e["to"])
        i = index[directed]
        index[directed] += 1
        if e["from"] == e["to"]:
            e["selfReference"] = {"size": 16 + 9 * i, "angle": round(math.pi / 4 * (1 + i), 4)}
        elif per_pair[tuple(sorted(directed))] > 1:
            e["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": round(min(0.85, 0.22 + 0.16 * i), 2),
            }


def _layout(
    node_ids: list[str], edges: list[dict[str, Any]], *, seed: int
) -> dict[str, tuple[float, float]] | None:
    """Seeded spring layout per component, or ``None`` for big graphs (:func:`_force_layout`)."""
    if len(node_ids) >= _SPRING_LIMIT:
        return None
    if not node_ids:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(node_ids)
    simple.add_edges_from(sorted({(e["from"], e["to"]) for e in edges if e["from"] != e["to"]}))
    # Each connected component gets its own spring layout (a single one pushes components to
    # the corners and crams each), then components are packed in rows, biggest first.
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0])
    )
    blocks: list[tuple[float, dict[str, tuple[float, float]]]] = []
    for comp in components:
        radius = 50.0 + 80.0 * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        else:
            sub = nx.Graph()
            sub.add_nodes_from(comp)
            sub.add_edges_from(sorted(tuple(sorted(e)) for e in simple.subgraph(comp).edges()))
            pos = nx.spring_layout(sub, seed=seed, iterations=200, scale=radius)
            local = {n: (float(p[0]), float(p[1])) for n, p in pos.items()}
        blocks.append((radius, local))
    gap = 90.0
    area = sum((2 * r + gap) ** 2 for r, _ in blocks)
    row_width = max([2 * r for r, _ in blocks] + [math.sqrt(area) * 1.3])
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for radius, local in blocks:
        size = 2 * radius
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n, (px, py) in local.items():
            out[n] = (round(x + radius + px, 1), round(y + radius + py, 1))
        x += size + gap
        row_height = max(row_height, size)
    return {n: out[n] for n in sorted(out)}


def _communities(node_ids: list[str], edges: list[dict[str, Any]], *, seed: int) -> dict[str, int]:
    """Actor → community number (0 the biggest): seeded Louvain over the shown relations,
    weighted by mentions; actors with no relation get none. Deterministic for a graph and seed.
    """
    simple = nx.Graph()
    simple.add_nodes_from(node_ids)
    weights: Counter[tuple[str, str]] = Counter()
    for e in edges:
        if e["from"] != e["to"]:
            u, v = sorted((e["from"], e["to"]))
            weights[u, v] += max(1, e["geokg"]["weight"])
    simple.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    simple.remove_nodes_from([n for n in node_ids if simple.degree(n) == 0])
    if not simple.number_of_edges():
        return {}
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: i for i, members in enumerate(ordered) for n in members}


def _community_legend(
    community: Mapping[str, int], attrs: Mapping[str, Mapping[str, Any]], rank: Mapping[str, int]
) -> list[dict[str, Any]]:
    """The coloured communities for the legend, each named after its top actor."""
    members: defaultdict[int, list[str]] = defaultdict(list)
    for nid, c in community.items():
        members[c].append(nid)
    legend = []
    for c in sorted(members):
        if c >= len(COMMUNITY_COLOURS):
            break
        top = min(members[c], key=lambda n: rank[n])
        legend.append(
            {
                "community": c,
                "colour": COMMUNITY_COLOURS[c],
                "size": len(members[c]),
                "top": _text(attrs[top].get("label")) or top,
            }
        )
    rest = sum(len(v) for c, v in members.items() if c >= len(COMMUNITY_COLOURS))
    if rest:
        legend.append({"community": None, "colour": _OTHER_COMMUNITY, "size": rest, "top": None})
    return legend


def _node_sizes(node_ids: list[str], weighted: Mapping[str, int]) -> dict[str, float]:
    """Radius by weighted degree (mentions over the shown relations), square-root scaled from
    the smallest to the biggest actor, so importance shows; small in a big graph."""
    top = max([weighted[n] for n in node_ids] + [1])
    low = 9.0 if len(node_ids) < _SPRING_LIMIT else 7.0 if len(node_ids) < 1000 else 5.0
    return {n: round(low + (44.0 - low) * math.sqrt(weighted[n] / top), 2) for n in node_ids}


def _force_layout(
    node_ids: list[str],
    edges: list[dict[str, Any]],
    community: Mapping[str, int],
    *,
    seed: int,
) -> dict[str, tuple[float, float]]:
    """A seeded Fruchterman–Reingold layout in numpy for big graphs (networkx's needs scipy).

    Communities start on a circle and pull their own members harder than relations across
    communities do, so the overview shows groups rather than one ball. Dense float32
    arithmetic, :data:`_FORCE_ITERATIONS` rounds, a weak pull to the centre so that components
    stay in view; no threads or BLAS, so the same input gives the same bits.
    """
    import numpy as np

    n = len(node_ids)
    index = {nid: i for i, nid in enumerate(node_ids)}
    pairs = sorted(
        {tuple(sorted((index[e["from"]], index[e["to"]]))) for e in edges if e["from"] != e["to"]}
    )
    ei = np.array([a for a, _ in pairs], dtype=np.intp)
    ej = np.array([b for _, b in pairs], dtype=np.intp)
    group = [community.get(nid, -1) for nid in node_ids]
    strength = np.array(
        [1.0 if group[a] == group[b] != -1 else 0.12 for a, b in pairs], dtype=np.float32
    )
    rng = np.random.default_rng(seed)
    groups = max(group) + 1 if n else 0
    angle = np.array(
        [2 * math.pi * g / max(1, groups) if g >= 0 else 0.0 for g in group], dtype=np.float32
    )
    ring = np.array([0.32 if g >= 0 and groups > 1 else 0.0 for g in group], dtype=np.float32)
    x = np.float32(0.5) + ring * np.cos(angle) + rng.normal(0, 0.06, n).astype(np.float32)
    y = np.float32(0.5) + ring * np.sin(angle) + rng.normal(0, 0.06, n).astype(np.float32)
    k = np.float32(1.0 / math.sqrt(n))
    k2 = np.float32(k * k)
    temperature = 0.1
    cool = temperature / (_FORCE_ITERATIONS + 1)
    # Four block-by-n float32 buffers (at most 64 MB however many actors), reused every round.
    rows = max(1, min(n, _BLOCK_CELLS // max(1, n)))
    buffers = tuple(np.empty((rows, n), dtype=np.float32) for _ in range(4))
    fx = np.empty(n, dtype=np.float32)
    fy = np.empty(n, dtype=np.float32)
    for _ in range(_FORCE_ITERATIONS):
        _repulsion(x, y, k2, buffers, fx, fy)
        ex = x[ei] - x[ej]
        ey = y[ei] - y[ej]
        pull = np.sqrt(ex * ex + ey * ey) / k * strength
        fx += (np.bincount(ej, ex * pull, n) - np.bincount(ei, ex * pull, n)).astype(np.float32)
        fy += (np.bincount(ej, ey * pull, n) - np.bincount(ei, ey * pull, n)).astype(np.float32)
        fx -= np.float32(0.05) * n * k * (x - np.float32(0.5))
        fy -= np.float32(0.05) * n * k * (y - np.float32(0.5))
        length = np.maximum(np.sqrt(fx * fx + fy * fy), np.float32(1e-9))
        step = np.minimum(length, np.float32(temperature)) / length
        x += fx * step
        y += fy * step
        temperature -= cool
    del buffers
    # Canvas units: about 45 per actor along each side of the square the actors fill.
    span = float(max(np.ptp(x), np.ptp(y), 1e-9))
    scale = 45.0 * math.sqrt(n) / span
    cx, cy = float(x.mean()), float(y.mean())
    return {
        nid: (round((float(x[i]) - cx) * scale, 1), round((float(y[i]) - cy) * scale, 1))
        for i, nid in enumerate(node_ids)
    }


def _repulsion(x: Any, y: Any, k2: Any, buffers: tuple[Any, ...], fx: Any, fy: Any) -> None:
    """Fruchterman–Reingold repulsion (k² / d along each pair) summed into ``fx``, ``fy``,
    row block by row block; a row's sum does not depend on the blocks."""
    import numpy as np

    dx, dy, inv, tmp = buffers
    rows, n = dx.shape
    tiny = np.float32(1e-6)
    for start in range(0, n, rows):
        m = min(rows, n - start)
        bx, by, bi, bt = dx[:m], dy[:m], inv[:m], tmp[:m]
        np.subtract(x[start : start + m, None], x[None, :], out=bx)
        np.subtract(y[start : start + m, None], y[None, :], out=by)
        np.multiply(bx, bx, out=bi)
        np.multiply(by, by, out=bt)
        bi += bt
        np.maximum(bi, tiny, out=bi)
        np.divide(k2, bi, out=bi)
        fx[start : start + m] = np.multiply(bx, bi, out=bt).sum(axis=1)
        fy[start : start + m] = np.multiply(by, bi, out=bt).sum(axis=1)


def _spread_labels(
    positions: dict[str, tuple[float, float]],
    rank: Mapping[str, int],
    sizes: Mapping[str, float],
    labels: Mapping[str, str],
) -> None:
    """Move the top actors apart (in place) until their labels clear each other at the first
    view of a 560 px wide graph (16 px labels in 24 px lines, about 0.62 em a character)."""
    top = sorted((n for n in rank if rank[n] < TOP_LABELS + 10), key=lambda n: rank[n])
    if len(top) < 2:
        return
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    scale = 560.0 / max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    height = 24.0 / scale
    width = {n: (0.62 * 16.0 * max(3, len(labels[n] or n)) + 16.0) / scale for n in top}
    pos = {n: list(positions[n]) for n in top}
    for _ in range(200):
        moved = False
        for a, b in itertools.combinations(top, 2):
            ax, ay = pos[a][0], pos[a][1] + sizes[a]
            bx, by = pos[b][0], pos[b][1] + sizes[b]
            over_x = (width[a] + width[b]) / 2 - abs(ax - bx)
            over_y = height - abs(ay - by)
            if over_x <= 0 or over_y <= 0:
                continue
            moved = True
            # apart along the line between the two labels, by as little as clears them: a
            # clump opens in every direction instead of stacking into a column
            ux, uy = bx - ax, by - ay
            norm = math.hypot(ux, uy)
            ux, uy = (ux / norm, uy / norm) if norm > 1e-9 else (0.0, 1.0)
            t = min(
                over_x / abs(ux) if abs(ux) > 1e-9 else math.inf,
                over_y / abs(uy) if abs(uy) > 1e-9 else math.inf,
            )
            push = t / 2 + 0.5 / scale
            pos[a][0] -= ux * push
            pos[a][1] -= uy * push
            pos[b][0] += ux * push
            pos[b][1] += uy * push
        if not moved:
            break
    for n in top:
        positions[n] = (round(pos[n][0], 1), round(pos[n][1], 1))


def _vis_options(*, seed: int, physics: bool) -> dict[str, Any]:
    """vis-network options: ``physics`` is a short polish of the spring layout (small graphs);
    big graphs open on their computed layout with physics off."""
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": False},
        "nodes": {
            "font": {
                "face": font,
                "size": 16,
                "color": "#1F2933",
                "strokeWidth": 4,
                "strokeColor": "#FFFFFF",
            },
            "scaling": {"label": {"enabled": False}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
            "arrowStrikethrough": False,
            "font": {
                "face": font,
                "size": 12,
                "color": "#3B4252",
                "strokeWidth": 3,
                "strokeColor": "#FFFFFF",
                "align": "horizontal",
            },
            "smooth": False,
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "multiselect": True,
            "keyboard": False,
            "navigationButtons": False,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000,
                "centralGravity": 0.2,
                "springLength": 140,
                "springConstant": 0.03,
                "damping": 0.4,
                "avoidOverlap": 0.6,
            },
            "minVelocity": 0.75,
            "stabilization": {"enabled": physics, "iterations": 120, "fit": True},
        },
    }


# --------------------------------------------------------------------------------------------
# Plain values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return sorted({str(v) for v in value if v is not None})


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _count(value: Any, *, default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return max(0, int(value))


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready plain data (tuples → lists, sets sorted, floats finite)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _safe_url(value: Any) -> str | None:
    url = _text(value).strip()
    return url if _SAFE_URL.match(url) else None


def _script_json(obj: Any) -> str:
    r"""JSON that is safe inside ``<script type="application/json">``.

    >>> _script_json({"s": "</script><b>&\u2028"})
    '{"s":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}'
    """
    text = json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


# --------------------------------------------------------------------------------------------
# Assets


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        loader=jinja2.DictLoader({"page.html": _asset("page.html")}),
    )
    return env.get_template("page.html")


@cache
def _asset(name: str) -> str:
    try:
        return (resources.files("geokg.exports") / "assets" / name).read_text(encoding="utf-8")
    except OSError as err:
        raise ExportError(
            f"the HTML page asset {name!r} is missing from geokg/exports/assets ({err}); "
            "reinstall geokg (pip install --force-reinstall geokg)"
        ) from err


@cache
def _vis_js() -> str:
    path = (
        Path(pyvis.__file__).parent
        / "templates"
        / "lib"
        / f"vis-{_VIS_VERSION}"
        / "vis-network.min.js"
    )
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise ExportError(
            f"cannot read pyvis's in-line vis-network bundle at {path} ({err}); "
            "reinstall pyvis 0.3.2 (pip install --force-reinstall 'pyvis==0.3.2')"
        ) from err


def _check_inline_script(name: str, code: str) -> None:
    lowered = code.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ExportError(
            f"{name} contains '</script' or '<!--' and cannot be embedded in-line safely; "
            "report this as a geokg bug with your pyvis version"
        )


@cache
def _csp_hash(code: str) -> str:
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"
