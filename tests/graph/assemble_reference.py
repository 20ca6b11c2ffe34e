"""geokg.graph.assemble's assembly as it was before issue 19 (commit 4549207), kept unchanged as
the reference that tests/graph/test_assemble.py compares the linear assembly with: every call
leaves the graph final, re-sorting an actor's documents and an edge's provenance and recounting
both actors' edges."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from geokg.graph.assemble import edge_key, new_graph
from geokg.model import Actor, Event

_TYPE_RANK = {"country": 0, "person": 1, "organisation": 2, "group": 3, "location": 4, "other": 5}


def _merge_node(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Merge node attributes deterministically (commutative and idempotent)."""
    labels = [x for x in (existing.get("label"), new.get("label")) if x]
    if labels:
        existing["label"] = sorted(labels, key=lambda s: (-len(s), s))[0]
    types = [x for x in (existing.get("type"), new.get("type")) if x]
    if types:
        existing["type"] = min(types, key=lambda t: (_TYPE_RANK.get(t, 9), t))
    for key in ("country", "wikidata"):
        vals = [x for x in (existing.get(key), new.get(key)) if x]
        existing[key] = min(vals) if vals else None
    for key in ("roles", "aliases", "docs"):
        existing[key] = sorted({*existing.get(key, []), *new.get(key, [])})
    if existing.get("label") in existing["aliases"]:
        existing["aliases"] = [a for a in existing["aliases"] if a != existing["label"]]


def _node_attrs(actor: Actor, doc_id: str | None, alias: str | None) -> dict[str, Any]:
    aliases = set(actor.aliases) - {
        actor.label
    }  # as _merge_node keeps them: --update is idempotent
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


def add_actor(
    g: nx.MultiDiGraph, actor: Actor, *, doc_id: str | None = None, alias: str | None = None
) -> None:
    """Add or merge ``actor`` as a node."""
    attrs = _node_attrs(actor, doc_id, alias)
    if actor.id in g:
        _merge_node(g.nodes[actor.id], attrs)
    else:
        g.add_node(actor.id, **attrs)


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


def _merge_edge(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    provs = {p["relation_id"]: p for p in existing.get("provenance", [])}
    for p in new.get("provenance", []):
        old = provs.get(p["relation_id"])
        # One record per relation id; if two runs disagree, keep the same one whatever the order.
        if old is None or _prov_order(p) < _prov_order(old):
            provs[p["relation_id"]] = p
    merged = sorted(provs.values(), key=_prov_key)
    existing["provenance"] = merged
    existing["weight"] = len(merged)
    existing["confidence"] = max(float(p.get("confidence") or 0.0) for p in merged)
    existing["dates"] = sorted({p["date"] for p in merged if p.get("date")})
    existing["speakers"] = sorted({p["speaker"] for p in merged if p.get("speaker")})
    for key in ("plover", "cameo", "quad_class", "goldstein"):
        if existing.get(key) is None and new.get(key) is not None:
            existing[key] = new[key]


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
    """Add one extracted relation to the graph; return its edge key."""
    doc_id = provenance.get("doc_id")
    add_actor(g, subject, doc_id=doc_id, alias=subject_alias)
    add_actor(g, obj, doc_id=doc_id, alias=object_alias)
    key = edge_key(subject.id, relation, obj.id, negated, modality)
    record = _compact(provenance)
    attrs: dict[str, Any] = {
        "id": key,
        "relation": relation,
        "negated": negated,
        "modality": modality,
        "plover": event.plover if event else None,
        "cameo": event.cameo if event else None,
        "quad_class": event.quad_class if event else None,
        "goldstein": event.goldstein if event else None,
        "provenance": [record],
    }
    if g.has_edge(subject.id, obj.id, key):
        _merge_edge(g.edges[subject.id, obj.id, key], attrs)
    else:
        attrs["provenance"] = []
        g.add_edge(subject.id, obj.id, key=key, **attrs)
        _merge_edge(g.edges[subject.id, obj.id, key], {"provenance": [record]})
    _recount(g, [subject.id, obj.id])
    return key


def _recount(g: nx.MultiDiGraph, nodes: Iterable[str]) -> None:
    for n in set(nodes):
        total = 0
        for _, _, d in g.in_edges(n, data=True):
            total += int(d.get("weight", 0))
        for _, v, d in g.out_edges(n, data=True):
            if v != n:
                total += int(d.get("weight", 0))
        g.nodes[n]["mentions"] = total


def merge_graphs(*graphs: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Merge graphs into a new one. Idempotent and independent of order."""
    out = new_graph()
    for g in graphs:
        for doc_id, meta in sorted(g.graph.get("documents", {}).items()):
            out.graph["documents"].setdefault(doc_id, dict(meta))
        for n, d in g.nodes(data=True):
            if n in out:
                _merge_node(out.nodes[n], d)
            else:
                out.add_node(
                    n,
                    **{
                        **d,
                        "roles": list(d.get("roles", [])),
                        "aliases": list(d.get("aliases", [])),
                        "docs": list(d.get("docs", [])),
                    },
                )
        for u, v, k, d in g.edges(keys=True, data=True):
            if out.has_edge(u, v, k):
                _merge_edge(out.edges[u, v, k], d)
            else:
                out.add_edge(u, v, key=k, **{**d, "provenance": []})
                _merge_edge(out.edges[u, v, k], d)
    _recount(out, list(out.nodes))
    return _sorted_move(out)


def normalise_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with counts refreshed and nodes and edges in sorted order, **consuming** ``g``.

    For one graph built with :func:`add_fact` (and :func:`consolidate_people`) this gives what
    ``merge_graphs(g)`` gives, without holding two copies: each edge leaves ``g`` as it enters
    the result, so memory stays at one graph. ``g`` is left empty.
    """
    _recount(g, list(g.nodes))
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
    if old == new or old not in g:
        return
    _merge_node(g.nodes[new], {**g.nodes[old], "label": g.nodes[new]["label"]})
    g.nodes[new]["aliases"] = sorted(
        {*g.nodes[new]["aliases"], g.nodes[old]["label"]} - {g.nodes[new]["label"]}
    )
    moved = [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if old in (u, v)]
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
        key = edge_key(nu, d["relation"], nv, d["negated"], d["modality"])
        attrs = {**d, "id": key}
        if g.has_edge(nu, nv, key):
            _merge_edge(g.edges[nu, nv, key], attrs)
        else:
            g.add_edge(nu, nv, key=key, **{**attrs, "provenance": []})
            _merge_edge(g.edges[nu, nv, key], attrs)
    for _, _, d in g.edges(data=True):
        if old in d.get("speakers", []):
            for p in d["provenance"]:
                if p.get("speaker") == old:
                    p["speaker"] = new
            d["speakers"] = sorted({p["speaker"] for p in d["provenance"] if p.get("speaker")})
    _recount(g, list(g.nodes))


def consolidate_people(g: nx.MultiDiGraph) -> dict[str, str]:
    """Merge lone-surname person nodes into the unique full name ending with that surname.

    Returns the mapping applied (old id → new id). Deterministic: depends only on the node set.
    """
    people = {n: d for n, d in g.nodes(data=True) if d.get("type") == "person"}
    mapping: dict[str, str] = {}
    for n in sorted(people):
        label = str(people[n].get("label", ""))
        if " " in label.strip() or not n.startswith("person:"):
            continue
        word = label.lower()
        fits = sorted(
            m
            for m, d in people.items()
            if m != n
            and " " in str(d.get("label", ""))
            and str(d.get("label", "")).split()[-1].lower() == word
        )
        if len(fits) == 1:
            mapping[n] = fits[0]
    for old, new in sorted(mapping.items()):
        relabel_actor(g, old, new)
    return mapping


def add_document(g: nx.MultiDiGraph, doc_id: str, meta: Mapping[str, Any]) -> None:
    """Record a document's metadata (title, published, source, url) on the graph."""
    g.graph.setdefault("documents", {})[doc_id] = {
        k: meta.get(k) for k in ("title", "published", "source", "url")
    }
