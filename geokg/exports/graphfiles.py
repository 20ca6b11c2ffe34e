"""Graph files for other tools: GraphML (yEd, Gephi, Cytoscape), GEXF (Gephi), node-link JSON.

GraphML and GEXF hold only scalar attributes, so :func:`to_graphml_graph` flattens the graph:

* list and dict values (``roles``, ``aliases``, ``docs``, ``dates``, ``speakers``,
  ``provenance``, ``G.graph["documents"]``) become JSON text;
* an attribute whose values mix types is JSON text for every element;
* ``None`` is left out (the formats have no null);
* characters that XML 1.0 forbids (C0 controls other than tab, newline and carriage return,
  U+FFFE, U+FFFF, lone surrogates) are **removed** from strings, ids and keys. JSON text keeps
  them exactly, as ``\\u0001`` escapes, so only plain string attributes lose them.

A schema (attribute name -> ``str``, ``int``, ``float``, ``bool`` or ``json``, per graph, node
and edge) travels with the file: as the graph attribute ``geokg_schema`` in GraphML and in the
``<meta><description>`` of GEXF. :func:`read_graphml` and :func:`read_gexf` use it to restore
the typed attributes, with ``None`` for attributes an element lacks. Node-link JSON keeps every
value as it is (:func:`to_node_link`).

All output is deterministic: nodes are sorted by id and edges by key, and the GEXF
``lastmodifieddate`` stamp is left out.

>>> import networkx as nx
>>> g = nx.MultiDiGraph(name="geokg")
>>> g.add_node("RUS", label="Russia", roles=[], country=None)
>>> h = to_graphml_graph(g)
>>> h.nodes["RUS"]
{'label': 'Russia', 'roles': '[]'}
>>> nx.utils.graphs_equal(from_graphml_graph(h), g)
True
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from geokg._io import atomic_write
from geokg.errors import ExportError, InputError

__all__ = [
    "SCHEMA_KEY",
    "from_graphml_graph",
    "read_gexf",
    "read_graphml",
    "read_node_link",
    "render_gexf",
    "render_graphml",
    "render_node_link",
    "to_graphml_graph",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_node_link",
    "xml_safe",
]

#: Graph attribute (GraphML) / GEXF description prefix that carries the attribute schema.
SCHEMA_KEY = "geokg_schema"

Kind = Literal["str", "int", "float", "bool", "json"]
Scope = Literal["graph", "node", "edge"]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_GEXF_NS = "{http://www.gexf.net/1.2draft}"


def xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 cannot hold.

    >>> xml_safe("a\\x00b\\x1fc\\td")
    'abc\\td'
    """
    return _XML_ILLEGAL.sub("", text)


def _json(value: object) -> str:
    """JSON text that XML can hold: characters XML forbids become ``\\uXXXX`` escapes."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        msg = f"value {value!r} cannot be written as JSON ({exc}); keep graph attributes plain."
        raise ExportError(msg) from exc
    # json.dumps already escapes C0 controls; U+FFFE, U+FFFF and lone surrogates remain.
    return _XML_ILLEGAL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _kind_of(values: Iterable[object]) -> Kind:
    kinds: set[Kind] = set()
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            kinds.add("bool")
        elif isinstance(value, int):
            kinds.add("int")
        elif isinstance(value, float):
            kinds.add("float")
        elif isinstance(value, str):
            kinds.add("str")
        else:
            kinds.add("json")
    if len(kinds) == 1:
        return kinds.pop()
    return "json"


def _schema(items: Iterable[Mapping[str, Any]]) -> dict[str, Kind]:
    values: dict[str, list[object]] = {}
    for data in items:
        for key, value in data.items():
            values.setdefault(str(key), []).append(value)
    return {key: _kind_of(values[key]) for key in sorted(values)}


def _encode(data: Mapping[str, Any], schema: Mapping[str, Kind]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(data, key=str):
        value = data[key]
        if value is None:
            continue
        kind = schema[str(key)]
        if kind == "json":
            out[xml_safe(str(key))] = _json(value)
        elif kind == "str":
            out[xml_safe(str(key))] = xml_safe(value)
        elif kind == "float" and math.isnan(value):
            msg = f"attribute {key!r} is NaN; GraphML/GEXF readers disagree on NaN, use None."
            raise ExportError(msg)
        else:
            out[xml_safe(str(key))] = value
    return out


def _decode(data: Mapping[str, Any], schema: Mapping[str, Kind]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, kind in schema.items():
        value = data.get(key)
        if value is None:
            out[key] = None
        elif kind == "json":
            out[key] = json.loads(value)
        elif kind == "int":
            out[key] = int(value)
        elif kind == "float":
            out[key] = float(value)
        elif kind == "bool":
            out[key] = value if isinstance(value, bool) else str(value).lower() in {"true", "1"}
        else:
            out[key] = str(value)
    return out


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    return sorted(
        graph.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1]))
    )


def _schemas(graph: nx.MultiDiGraph) -> dict[Scope, dict[str, Kind]]:
    return {
        "graph": _schema([graph.graph]),
        "node": _schema(data for _, data in graph.nodes(data=True)),
        "edge": _schema(data for *_, data in graph.edges(keys=True, data=True)),
    }


def to_graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``graph`` with only XML-safe scalar attributes (see module docs).

    Nodes are inserted sorted by id and edges by key; the schema is stored as the graph
    attribute :data:`SCHEMA_KEY`.

    Raises:
        ExportError: When a value cannot be JSON-encoded, is NaN, or two ids differ only in
            characters XML cannot hold.
    """
    schemas = _schemas(graph)
    flat = nx.MultiDiGraph()
    flat.graph.update(_encode(graph.graph, schemas["graph"]))
    flat.graph[SCHEMA_KEY] = json.dumps(schemas, sort_keys=True)
    ids: dict[str, Any] = {}
    for node in sorted(graph.nodes, key=str):
        safe = xml_safe(str(node))
        if safe in ids:
            msg = (
                f"node ids {ids[safe]!r} and {node!r} are the same once XML-illegal characters"
                " are removed; give actors ids without control characters."
            )
            raise ExportError(msg)
        ids[safe] = node
        flat.add_node(safe, **_encode(graph.nodes[node], schemas["node"]))
    for source, target, key, data in _sorted_edges(graph):
        flat.add_edge(
            xml_safe(str(source)),
            xml_safe(str(target)),
            key=xml_safe(str(key)),
            **_encode(data, schemas["edge"]),
        )
    return flat


def from_graphml_graph(flat: nx.Graph) -> nx.MultiDiGraph:
    """Restore the typed graph from a flattened one (as read back from GraphML or GEXF).

    Raises:
        InputError: When the graph carries no :data:`SCHEMA_KEY` (not written by geokg).
    """
    raw = flat.graph.get(SCHEMA_KEY)
    if not isinstance(raw, str):
        msg = f"no {SCHEMA_KEY!r} graph attribute; read only files written by geokg's exporters"
        raise InputError("<graph>", msg)
    schemas: dict[str, dict[str, Kind]] = json.loads(raw)
    graph = nx.MultiDiGraph()
    graph.graph.update(_decode(flat.graph, schemas["graph"]))
    for node, data in flat.nodes(data=True):
        graph.add_node(node, **_decode(data, schemas["node"]))
    for source, target, key, data in flat.edges(keys=True, data=True):
        graph.add_edge(source, target, key=key, **_decode(data, schemas["edge"]))
    return graph


# --------------------------------------------------------------------------- GraphML


def render_graphml(graph: nx.MultiDiGraph) -> str:
    """Return the graph as GraphML text (UTF-8, pretty-printed, deterministic)."""
    buffer = io.BytesIO()
    nx.write_graphml_lxml(to_graphml_graph(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` as GraphML to ``path`` atomically and return the path."""
    return atomic_write(path, render_graphml(graph), newline="")


def read_graphml(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` back to the typed graph."""
    flat = nx.read_graphml(path, node_type=str, force_multigraph=True)
    return from_graphml_graph(flat)


# --------------------------------------------------------------------------- GEXF


def render_gexf(graph: nx.MultiDiGraph) -> str:
    """Return the graph as GEXF 1.2 text; the schema is in ``<meta><description>``."""
    flat = to_graphml_graph(graph)
    schema = flat.graph.pop(SCHEMA_KEY)
    header = {"graph": dict(flat.graph), SCHEMA_KEY: json.loads(schema)}
    flat.graph.clear()
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is None:  # pragma: no cover - networkx always adds it
        msg = "networkx's GEXF writer produced no <meta> element; upgrade networkx."
        raise ExportError(msg)
    meta.attrib.pop("lastmodifieddate", None)
    for child in list(meta):
        meta.remove(child)
    ET.SubElement(meta, "creator").text = "geokg"
    ET.SubElement(meta, "description").text = json.dumps(header, ensure_ascii=False, sort_keys=True)
    writer.add_graph(flat)
    return str(writer)


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` as GEXF to ``path`` atomically and return the path."""
    return atomic_write(path, render_gexf(graph), newline="")


def read_gexf(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`write_gexf` back to the typed graph.

    Raises:
        InputError: When the file has no geokg description (not written by geokg).
    """
    root = ET.parse(path).getroot()
    description = root.find(f"{_GEXF_NS}meta/{_GEXF_NS}description")
    if description is None or not description.text:
        raise InputError(str(path), "no geokg <meta><description>; not written by write_gexf")
    header = json.loads(description.text)
    flat = nx.read_gexf(path, node_type=str)
    if not flat.is_multigraph():
        flat = nx.MultiDiGraph(flat)
    flat.graph.clear()
    flat.graph.update(header["graph"])
    flat.graph[SCHEMA_KEY] = json.dumps(header[SCHEMA_KEY])
    return from_graphml_graph(flat)


# --------------------------------------------------------------------------- node-link JSON


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Return node-link data (D3, Cytoscape.js): ``nodes``, ``links`` with ``key``, ``graph``.

    Nodes are sorted by id and links by key; attribute values are kept as they are.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("B", "A", key="e-1", relation="meet")
    >>> d = to_node_link(g)
    >>> [n["id"] for n in d["nodes"]], d["links"][0]["key"]
    (['A', 'B'], 'e-1')
    """
    ordered = nx.MultiDiGraph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from((n, graph.nodes[n]) for n in sorted(graph.nodes, key=str))
    ordered.add_edges_from(_sorted_edges(graph))
    data: dict[str, Any] = nx.node_link_data(ordered, edges="links")
    data["links"].sort(
        key=lambda link: (str(link["key"]), str(link["source"]), str(link["target"]))
    )
    return data


def render_node_link(graph: nx.MultiDiGraph) -> str:
    """Return node-link JSON text (UTF-8, sorted keys, two-space indent, final newline)."""
    try:
        text = json.dumps(
            to_node_link(graph), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        msg = f"the graph cannot be written as JSON ({exc}); keep attributes plain and finite."
        raise ExportError(msg) from exc
    return text + "\n"


def write_node_link(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write node-link JSON to ``path`` atomically and return the path."""
    return atomic_write(path, render_node_link(graph))


def read_node_link(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read node-link JSON written by :func:`write_node_link` back to the graph."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    if not isinstance(graph, nx.MultiDiGraph):  # pragma: no cover - forced above
        raise InputError(str(path), "not a directed multigraph")
    return graph
