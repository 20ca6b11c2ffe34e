"""Assembling, merging, saving and loading the actor graph (networkx ``MultiDiGraph``).

The node and edge attributes are listed in docs/ARCHITECTURE.md. Edge keys are stable ids of the
fact (subject, relation, object, negation, modality), so adding the same relation twice, or
building in another order, gives the same graph; provenance accumulates on the edge.

>>> from geokg.model import Actor
>>> g = new_graph()
>>> a = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
>>> b = Actor(id="RUS", label="Russia", type="country", country="RUS")
>>> prov = {"relation_id": "r-1", "doc_id": "d1", "sentence": "UK accuses Russia.",
...         "span": [0, 18], "date": None, "speaker": None, "confidence": 0.9,
...         "extractor": "svo.v1", "model": "m"}
>>> key = add_fact(g, a, b, relation="accuse", negated=False, modality="asserted",
...                event=None, provenance=prov)
>>> key == add_fact(g, a, b, relation="accuse", negated=False, modality="asserted",
...                 event=None, provenance=prov)
True
>>> g.number_of_edges(), g.edges[("GBR", "RUS", key)]["weight"]
(1, 1)
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from geokg._io import atomic_write
from geokg.errors import InputError
from geokg.model import Actor, Event, stable_id

__all__ = [
    "GraphAssembler",
    "add_document",
    "add_fact",
    "check_graph_file",
    "consolidate_people",
    "edge_key",
    "load_graph",
    "merge_graphs",
    "merge_node",
    "new_graph",
    "node_attrs",
    "normalise_graph",
    "people_mapping",
    "recount",
    "remove_documents",
    "save_graph",
]

GRAPH_FORMAT = "geokg-graph/1"
_TYPE_RANK = {"country": 0, "person": 1, "organisation": 2, "group": 3, "location": 4, "other": 5}


def new_graph() -> nx.MultiDiGraph:
    """An empty graph with the graph-level attributes set."""
    g = nx.MultiDiGraph()
    g.graph["name"] = "geokg"
    g.graph["documents"] = {}
    return g


def edge_key(subject_id: str, relation: str, object_id: str, negated: bool, modality: str) -> str:
    """The stable edge key of a fact."""
    return stable_id("e", subject_id, relation, object_id, negated, modality)


def _label_rank(s: str) -> tuple[int, str]:
    return (-len(s), s)


def _type_rank(t: str) -> tuple[int, str]:
    return (_TYPE_RANK.get(t, 9), t)


def _merge_scalars(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    """The single-valued node attributes of a merge: the longest label, the highest-ranked type,
    the smallest country and Wikidata id (empty values never win)."""
    labels = [x for x in (existing.get("label"), new.get("label")) if x]
    if labels:
        existing["label"] = min(labels, key=_label_rank)
    types = [x for x in (existing.get("type"), new.get("type")) if x]
    if types:
        existing["type"] = min(types, key=_type_rank)
    for key in ("country", "wikidata"):
        vals = [x for x in (existing.get(key), new.get(key)) if x]
        existing[key] = min(vals) if vals else None


def merge_node(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Merge node attributes deterministically (commutative and idempotent)."""
    _merge_scalars(existing, new)
    for key in ("roles", "aliases", "docs"):
        existing[key] = sorted({*existing.get(key, []), *new.get(key, [])})
    if existing.get("label") in existing["aliases"]:
        existing["aliases"] = [a for a in existing["aliases"] if a != existing["label"]]


def node_attrs(actor: Actor, doc_id: str | None, alias: str | None) -> dict[str, Any]:
    aliases = set(actor.aliases) - {actor.label}  # as merge_node keeps them: --update is idempotent
    if alias and alias != actor.label:
        aliases.add(alias)
    return {
        "label": actor.label,
        "type": actor.type,
        "country": actor.country,
        "roles": sorted(actor.roles),
        "aliases": sorted(aliases),
        "wikidata": actor.wikidata,
        "mentions": 0,
        "docs": [doc_id] if doc_id else [],
    }


def add_document(g: nx.MultiDiGraph, doc_id: str, meta: Mapping[str, Any]) -> None:
    """Record a document's metadata (title, published, source, url) on the graph."""
    g.graph.setdefault("documents", {})[doc_id] = {
        k: meta.get(k) for k in ("title", "published", "source", "url")
    }


# Provenance values shared by many records: one string object each, not one per record.
_SHARED_VALUES = frozenset({"doc_id", "extractor", "model", "speaker", "date"})


def _compact(provenance: Mapping[str, Any]) -> dict[str, Any]:
    """A provenance record whose keys and repeated values are interned (a build holds tens of
    thousands; parsed JSON gives each its own copy of every key)."""
    return {
        sys.intern(k): sys.intern(v) if k in _SHARED_VALUES and isinstance(v, str) else v
        for k, v in provenance.items()
    }


def _prov_key(p: Mapping[str, Any]) -> tuple[str, int, int, str]:
    span = p.get("span") or [0, 0]
    return (str(p.get("doc_id")), int(span[0]), int(span[1]), str(p.get("relation_id")))


def _prov_order(p: Mapping[str, Any]) -> str:
    return json.dumps(p, sort_keys=True, default=str)


def _pick(provs: dict[Any, Mapping[str, Any]], records: Iterable[Mapping[str, Any]]) -> None:
    """Put ``records`` into ``provs`` (by relation id): one record per relation id; if two runs
    disagree, keep the same one whatever the order."""
    for p in records:
        old = provs.get(p["relation_id"])
        if old is None or _prov_order(p) < _prov_order(old):
            provs[p["relation_id"]] = p


def _summarise(existing: dict[str, Any], provs: Mapping[Any, Mapping[str, Any]]) -> None:
    """Write an edge's provenance (sorted) and what is counted from it."""
    merged = sorted(provs.values(), key=_prov_key)
    existing["provenance"] = merged
    existing["weight"] = len(merged)
    existing["confidence"] = max(float(p.get("confidence") or 0.0) for p in merged)
    existing["dates"] = sorted({p["date"] for p in merged if p.get("date")})
    existing["speakers"] = sorted({p["speaker"] for p in merged if p.get("speaker")})


def _merge_event(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    for key in ("plover", "cameo", "quad_class", "goldstein"):
        if existing.get(key) is None and new.get(key) is not None:
            existing[key] = new[key]


def _merge_edge(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    provs: dict[Any, Mapping[str, Any]] = {
        p["relation_id"]: p for p in existing.get("provenance", [])
    }
    _pick(provs, new.get("provenance", []))
    _summarise(existing, provs)
    _merge_event(existing, new)


_Sets = tuple[set[Any], set[Any], set[Any]]
_EdgeId = tuple[str, str, str]


class GraphAssembler:
    """Assembles a graph from many relations and graphs in time linear in their number.

    :func:`add_fact` and :func:`merge_graphs` leave every attribute final after each call, so
    a call costs what the actors and edge it touches already hold (their documents, provenance
    and edges). An assembler accumulates instead: once an actor or edge has been merged into,
    its lists become sets and its provenance a table by relation id, later relations are added
    to those, and :meth:`finish` sorts and counts once. The cost of one relation does not
    depend on how many relations an actor or edge already has, and the finished graph is the
    one that :func:`add_fact` and :func:`merge_graphs`, call by call, give.

    Until :meth:`finish`, the graph's lists and counts are out of date: read it after.

    >>> from geokg.model import Actor
    >>> asm = GraphAssembler()
    >>> uk = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
    >>> ru = Actor(id="RUS", label="Russia", type="country", country="RUS")
    >>> for rid, doc in (("r-2", "d2"), ("r-1", "d1"), ("r-3", "d1")):
    ...     key = asm.add_fact(uk, ru, relation="accuse", negated=False, modality="asserted",
    ...                        event=None, provenance={"relation_id": rid, "doc_id": doc})
    >>> g = asm.finish()
    >>> [p["relation_id"] for p in g.edges["GBR", "RUS", key]["provenance"]]
    ['r-1', 'r-3', 'r-2']
    >>> g.nodes["GBR"]["docs"], g.nodes["GBR"]["mentions"]
    (['d1', 'd2'], 3)
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        """Assemble into ``graph`` (a new empty graph when ``None``); see :meth:`finish`."""
        self.graph = new_graph() if graph is None else graph
        # Actors and edges merged into since the last finish: None while their attributes are
        # final (merged once), else what accumulates (a node's roles, aliases and docs as sets;
        # an edge's provenance by relation id).
        self._nodes: dict[str, _Sets | None] = {}
        self._edges: dict[_EdgeId, tuple[dict[str, Any], dict[Any, Mapping[str, Any]] | None]] = {}
        self._touched: set[str] = set()  # whose `mentions` finish counts

    def add_document(self, doc_id: str, meta: Mapping[str, Any]) -> None:
        """Record a document's metadata (see :func:`add_document`)."""
        add_document(self.graph, doc_id, meta)

    def add_fact(
        self,
        subject: Actor,
        obj: Actor,
        *,
        relation: str,
        negated: bool,
        modality: str,
        event: Event | None,
        provenance: Mapping[str, Any],
        subject_alias: str | None = None,
        object_alias: str | None = None,
    ) -> str:
        """Add one extracted relation (the arguments of :func:`add_fact`); return its edge key."""
        doc_id = provenance.get("doc_id")
        self._node(subject.id, node_attrs(subject, doc_id, subject_alias), copy=False)
        self._node(obj.id, node_attrs(obj, doc_id, object_alias), copy=False)
        key = edge_key(subject.id, relation, obj.id, negated, modality)
        self._edge(
            subject.id,
            obj.id,
            key,
            {
                "id": key,
                "relation": relation,
                "negated": negated,
                "modality": modality,
                "plover": event.plover if event else None,
                "cameo": event.cameo if event else None,
                "quad_class": event.quad_class if event else None,
                "goldstein": event.goldstein if event else None,
                "provenance": [_compact(provenance)],
            },
        )
        return key

    def add_graph(self, other: nx.MultiDiGraph) -> None:
        """Merge ``other`` in (what :func:`merge_graphs` does with each of its graphs)."""
        documents = self.graph.graph.setdefault("documents", {})
        for doc_id, meta in sorted(other.graph.get("documents", {}).items()):
            documents.setdefault(doc_id, dict(meta))
        for n, d in other.nodes(data=True):
            self._node(n, d, copy=True)
        for u, v, k, d in other.edges(keys=True, data=True):
            self._edge(u, v, k, d)

    def finish(self) -> nx.MultiDiGraph:
        """Sort and count what accumulated, and return the graph, every attribute final.

        Sorting each list once costs n log n in all; the assembler can go on adding after.
        """
        g = self.graph
        for d, provs in self._edges.values():
            if provs is not None:
                _summarise(d, provs)
        for n, sets in self._nodes.items():
            if sets is not None:
                d = g.nodes[n]
                d["roles"], d["aliases"], d["docs"] = (sorted(s) for s in sets)
        recount(g, self._touched)
        self._nodes.clear()
        self._edges.clear()
        self._touched.clear()
        return g

    def merge_node(self, n: str, attrs: Mapping[str, Any]) -> None:
        """Add or merge one actor's attributes (:func:`node_attrs`), as :meth:`add_fact` does for
        its two actors."""
        self._node(n, attrs, copy=False)

    def _node(self, n: str, new: Mapping[str, Any], *, copy: bool) -> None:
        g = self.graph
        self._touched.add(n)
        if n not in self._nodes:
            if n not in g:
                attrs = dict(new)
                if copy:  # a node of another graph: its own lists (merge_graphs's copy)
                    for key in ("roles", "aliases", "docs"):
                        attrs[key] = list(new.get(key, []))
                g.add_node(n, **attrs)
                return
            merge_node(g.nodes[n], new)  # the first merge: in place, final
            self._nodes[n] = None
            return
        d = g.nodes[n]
        sets = self._nodes[n]
        if sets is None:
            sets = self._nodes[n] = (set(d["roles"]), set(d["aliases"]), set(d["docs"]))
        # merge_node, on sets
        _merge_scalars(d, new)
        roles, aliases, docs = sets
        roles.update(new.get("roles", ()))
        aliases.update(new.get("aliases", ()))
        docs.update(new.get("docs", ()))
        aliases.discard(d.get("label"))

    def _edge(self, u: str, v: str, k: str, new: Mapping[str, Any]) -> None:
        g = self.graph
        state = self._edges.get((u, v, k))
        if state is None:
            if g.has_edge(u, v, k):
                d = g.edges[u, v, k]
                _merge_edge(d, new)  # the first merge: in place, final
                self._edges[u, v, k] = (d, None)
            else:
                g.add_edge(u, v, key=k, **{**new, "provenance": []})
                _merge_edge(g.edges[u, v, k], new)
            return
        d, provs = state
        if provs is None:
            provs = {p["relation_id"]: p for p in d["provenance"]}
            self._edges[u, v, k] = (d, provs)
        # _merge_edge, on the table; finish sorts and counts
        _pick(provs, new.get("provenance", ()))
        _merge_event(d, new)


def add_fact(
    g: nx.MultiDiGraph,
    subject: Actor,
    obj: Actor,
    *,
    relation: str,
    negated: bool,
    modality: str,
    event: Event | None,
    provenance: Mapping[str, Any],
    subject_alias: str | None = None,
    object_alias: str | None = None,
) -> str:
    """Add one extracted relation to the graph, every attribute final; return its edge key.

    One call costs what the two actors and the edge already hold; many relations go through a
    :class:`GraphAssembler`, which gives the same graph in linear time.
    """
    asm = GraphAssembler(g)
    key = asm.add_fact(
        subject,
        obj,
        relation=relation,
        negated=negated,
        modality=modality,
        event=event,
        provenance=provenance,
        subject_alias=subject_alias,
        object_alias=object_alias,
    )
    asm.finish()
    return key


def recount(g: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    """Set each of ``nodes``' ``mentions``: the weights of its edges (a self-loop once)."""
    for n in set(nodes):
        total = 0
        for _, _, d in g.in_edges(n, data=True):
            total += int(d.get("weight", 0))
        for _, v, d in g.out_edges(n, data=True):
            if v != n:
                total += int(d.get("weight", 0))
        g.nodes[n]["mentions"] = total


def merge_graphs(*graphs: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Merge graphs into a new one. Idempotent and independent of order; linear in the graphs'
    size (a :class:`GraphAssembler`) and a sort."""
    asm = GraphAssembler()
    for g in graphs:
        asm.add_graph(g)
    return _sorted_move(asm.finish())


def normalise_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with counts refreshed and nodes and edges in sorted order, **consuming** ``g``.

    For one graph built with :func:`add_fact` or a :class:`GraphAssembler` (and
    :func:`consolidate_people`) this gives what ``merge_graphs(g)`` gives, without holding two
    copies: each edge leaves ``g`` as it enters the result, so memory stays at one graph. ``g``
    is left empty.
    """
    recount(g, list(g.nodes))
    return _sorted_move(g)


def _sorted_move(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Move ``g`` into a new graph with nodes and edges inserted in sorted order (deterministic
    iteration); ``g`` is emptied on the way, so the two never hold the whole graph twice."""
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    out.graph["documents"] = dict(sorted(g.graph.get("documents", {}).items()))
    for n in sorted(g.nodes):
        out.add_node(n, **g.nodes[n])
    for u, v, k in sorted(g.edges(keys=True)):
        out.add_edge(u, v, key=k, **g.edges[u, v, k])
        g.remove_edge(u, v, k)
    g.clear()
    return out


def relabel_actor(g: nx.MultiDiGraph, old: str, new: str) -> None:
    """Move every edge of ``old`` onto ``new`` (re-keying edges), then drop ``old``."""
    _relabel(g, {old: new})


def _edges_at(
    g: nx.MultiDiGraph, node: str, rank: Mapping[str, int]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The edges of ``node`` in ``g.edges`` order (source nodes in node order, then adjacency
    order) without walking the whole graph; ``rank`` is each node's place in node order."""
    found: list[tuple[str, str, str, dict[str, Any]]] = []
    for u in sorted({node, *g.pred[node]}, key=rank.__getitem__):
        if u == node:
            found.extend((u, v, k, d) for v, kd in g.succ[u].items() for k, d in kd.items())
        else:
            found.extend((u, node, k, d) for k, d in g.succ[u][node].items())
    return found


def _relabel(g: nx.MultiDiGraph, mapping: Mapping[str, str]) -> None:
    """:func:`relabel_actor` for each pair of ``mapping`` in sorted order, with the same result,
    in time proportional to the edges and provenance of the relabelled actors (not the graph's
    size for each). Speakers are what provenance says (the invariant every merge keeps)."""
    todo = {old: new for old, new in mapping.items() if old != new and old in g}
    if not todo:
        return
    rank = {n: i for i, n in enumerate(g)}
    # Who still has to be relabelled -> the edges naming them as a speaker (some of them may
    # no longer: checked on use) and the provenance records whose speaker they are.
    speaker_edges: dict[str, set[_EdgeId]] = {old: set() for old in todo}
    speaker_records: dict[str, list[dict[str, Any]]] = {old: [] for old in todo}
    for u, v, k, d in g.edges(keys=True, data=True):
        if _index_speakers(speaker_edges, d, (u, v, k)):
            for p in d["provenance"]:
                if p.get("speaker") in speaker_records:
                    speaker_records[p["speaker"]].append(p)
    for old, new in sorted(todo.items()):
        _relabel_one(g, old, new, rank, speaker_edges, speaker_records)
    recount(g, list(g.nodes))


def _index_speakers(
    speaker_edges: dict[str, set[_EdgeId]], d: Mapping[str, Any], edge: _EdgeId
) -> bool:
    """Note ``edge`` under each of its speakers still to be relabelled; whether it has one."""
    found = False
    for s in d.get("speakers", []):
        if s in speaker_edges:
            speaker_edges[s].add(edge)
            found = True
    return found


def _relabel_one(
    g: nx.MultiDiGraph,
    old: str,
    new: str,
    rank: Mapping[str, int],
    speaker_edges: dict[str, set[_EdgeId]],
    speaker_records: dict[str, list[dict[str, Any]]],
) -> None:
    """One step of :func:`_relabel`: what ``relabel_actor(g, old, new)`` does but the count."""
    merge_node(g.nodes[new], {**g.nodes[old], "label": g.nodes[new]["label"]})
    g.nodes[new]["aliases"] = sorted(
        {*g.nodes[new]["aliases"], g.nodes[old]["label"]} - {g.nodes[new]["label"]}
    )
    moved = _edges_at(g, old, rank)
    for u, v, k, _ in moved:
        g.remove_edge(u, v, k)
    g.remove_node(old)
    for u, v, _, d in moved:
        nu, nv = (new if u == old else u), (new if v == old else v)
        if nu == nv:
            continue
        for p in d["provenance"]:
            if p.get("speaker") == old:
                p["speaker"] = new
                if new in speaker_records:  # `new` is relabelled later on
                    speaker_records[new].append(p)
        key = edge_key(nu, d["relation"], nv, d["negated"], d["modality"])
        attrs = {**d, "id": key}
        if not g.has_edge(nu, nv, key):
            g.add_edge(nu, nv, key=key, **{**attrs, "provenance": []})
        target = g.edges[nu, nv, key]
        _merge_edge(target, attrs)
        _index_speakers(speaker_edges, target, (nu, nv, key))
    # Every record that names `old` as its speaker names `new`, and so do the edges' lists.
    speaker_edges_of_old = speaker_edges.pop(old)
    for p in speaker_records.pop(old):
        if p.get("speaker") == old:
            p["speaker"] = new
            if new in speaker_records:  # `new` is relabelled later on
                speaker_records[new].append(p)
    for edge in speaker_edges_of_old:
        if not g.has_edge(*edge):
            continue
        d = g.edges[edge]
        if old in d.get("speakers", []):
            d["speakers"] = sorted({*d["speakers"], new} - {old})
            _index_speakers(speaker_edges, d, edge)


def consolidate_people(g: nx.MultiDiGraph) -> dict[str, str]:
    """Merge lone-surname person nodes into the unique full name ending with that surname.

    Returns the mapping applied (old id → new id): :func:`people_mapping`. Deterministic:
    depends only on the node set.
    """
    mapping = people_mapping(g)
    _relabel(g, mapping)
    return mapping


def people_mapping(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each lone-surname person node (``person:…`` id, one-word label) → the one full name ending
    with that surname, where there is exactly one. Depends only on the nodes."""
    people = {n: d for n, d in g.nodes(data=True) if d.get("type") == "person"}
    # full names by their last word (lowercased): one pass, not one per lone surname
    by_surname: dict[str, list[str]] = {}
    for m, d in people.items():
        label = str(d.get("label", ""))
        words = label.split()
        if " " in label and words:
            by_surname.setdefault(words[-1].lower(), []).append(m)
    mapping: dict[str, str] = {}
    for n in sorted(people):
        label = str(people[n].get("label", ""))
        if " " in label.strip() or not n.startswith("person:"):
            continue
        fits = by_surname.get(label.lower(), [])
        if len(fits) <= 2:  # n itself may be one of them
            fits = [m for m in fits if m != n]
            if len(fits) == 1:
                mapping[n] = fits[0]
    return mapping


def _dump(value: object, depth: int) -> str:
    """``value`` as it appears at nesting ``depth`` of a ``json.dumps(..., indent=1)`` text."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return text.replace("\n", "\n" + " " * depth)


def _graph_file_parts(g: nx.MultiDiGraph) -> Iterator[str]:
    """The graph file, element by element: the bytes of ``json.dumps(data, sort_keys=True,
    indent=1)`` for the whole file, without building the whole file (or a copy of the graph)."""

    def array(name: str, items: Iterator[dict[str, Any]], last: bool) -> Iterator[str]:
        first = True
        for item in items:
            yield (f' "{name}": [\n  ' if first else ",\n  ") + _dump(item, 2)
            first = False
        yield f' "{name}": []' if first else "\n ]"
        yield "\n" if last else ",\n"

    yield "{\n"
    yield from array(
        "edges",
        (
            {"source": u, "target": v, "key": k, **g.edges[u, v, k]}
            for u, v, k in sorted(g.edges(keys=True))
        ),
        last=False,
    )
    yield f' "format": {_dump(GRAPH_FORMAT, 1)},\n'
    graph = {
        "name": g.graph.get("name", "geokg"),
        "documents": dict(sorted(g.graph.get("documents", {}).items())),
    }
    yield f' "graph": {_dump(graph, 1)},\n'
    yield from array("nodes", ({"id": n, **g.nodes[n]} for n in sorted(g.nodes)), last=True)
    yield "}\n"


def save_graph(g: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Save the graph as deterministic JSON (node-link with keys), atomically.

    The file is ``json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)`` of
    ``{"format", "graph", "nodes", "edges"}``, written element by element so that saving needs
    no second copy of the graph in memory.
    """
    atomic_write(path, _graph_file_parts(g))


def _graph_data(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed graph file, checked: one-line :class:`InputError` when it is not one."""
    where = str(path)
    try:
        with Path(path).open(encoding="utf-8") as fh:
            data = json.load(fh)
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not a geokg graph file (not UTF-8 text: {exc.reason})") from None
    except ValueError as exc:
        raise InputError(where, f"not a geokg graph file (not valid JSON: {exc})") from None
    if not isinstance(data, dict):
        raise InputError(
            where, f"not a geokg graph file (a JSON {type(data).__name__}, expected an object)"
        )
    if data.get("format") != GRAPH_FORMAT:
        raise InputError(
            where,
            f"not a geokg graph file (format {data.get('format')!r}, expected {GRAPH_FORMAT!r})",
        )
    graph, nodes, edges = data.get("graph"), data.get("nodes"), data.get("edges")
    if not isinstance(graph, dict) or not isinstance(graph.get("documents", {}), dict):
        raise InputError(where, "damaged geokg graph file: 'graph' is not an object of documents")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise InputError(where, "damaged geokg graph file: 'nodes' or 'edges' is not a list")
    ids: set[str] = set()
    for n, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            raise InputError(where, f"damaged geokg graph file: node {n} has no string 'id'")
        ids.add(node["id"])
    for n, edge in enumerate(edges):
        if not isinstance(edge, dict) or not all(
            isinstance(edge.get(key), str) for key in ("source", "target", "key")
        ):
            raise InputError(
                where, f"damaged geokg graph file: edge {n} lacks a string source, target or key"
            )
        if edge["source"] not in ids or edge["target"] not in ids:
            raise InputError(where, f"damaged geokg graph file: edge {n} names an absent node")
        if not isinstance(edge.get("provenance", []), list):
            raise InputError(where, f"damaged geokg graph file: edge {n}'s provenance is no list")
    return data


def check_graph_file(path: str | os.PathLike[str]) -> None:
    """Raise a one-line :class:`InputError` unless ``path`` is a graph :func:`save_graph` wrote
    (truncated, not JSON, another format, a node without ``id``...)."""
    _graph_data(path)


def load_graph(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Load a graph written by :func:`save_graph`.

    Raises:
        InputError: the file is not one (one line saying why); see :func:`check_graph_file`.
    """
    data = _graph_data(path)
    g = new_graph()
    g.graph["name"] = data["graph"].get("name", "geokg")
    g.graph["documents"] = data["graph"].get("documents", {})
    for node in data["nodes"]:
        attrs = dict(node)
        g.add_node(attrs.pop("id"), **attrs)
    for edge in data["edges"]:
        attrs = dict(edge)
        u, v, k = attrs.pop("source"), attrs.pop("target"), attrs.pop("key")
        g.add_edge(u, v, key=k, **attrs)
    return g


def remove_documents(g: nx.MultiDiGraph, doc_ids: Collection[str]) -> None:
    """Remove in place what the documents ``doc_ids`` brought: their metadata, their provenance
    records, the edges left with none and the actors left with no edge (``--update`` with an
    article read again). Aliases and roles an actor got from them stay (they are not recorded
    per document).
    """
    drop = set(doc_ids)
    if not drop:
        return
    touched: set[str] = set()
    for u, v, k, d in list(g.edges(keys=True, data=True)):
        provs = d.get("provenance", [])
        keep = [p for p in provs if p.get("doc_id") not in drop]
        if len(keep) == len(provs):
            continue
        touched.update((u, v))
        if not keep:
            g.remove_edge(u, v, k)
            continue
        d["provenance"] = []
        _merge_edge(d, {"provenance": keep})
    for n, d in g.nodes(data=True):
        docs = d.get("docs", [])
        if drop.intersection(docs):
            d["docs"] = [x for x in docs if x not in drop]
            touched.add(n)
    g.remove_nodes_from([n for n in touched if g.degree(n) == 0])
    for doc in drop:
        g.graph.get("documents", {}).pop(doc, None)
    recount(g, [n for n in touched if n in g])
