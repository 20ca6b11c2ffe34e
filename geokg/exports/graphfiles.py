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

The ``write_*`` functions stream: each node and edge is encoded, written and dropped in turn, so
the memory they need beyond the graph is one element plus small indexes (the sorted node ids,
one node's out-edges, the attribute schema), never a flattened copy, an XML tree or the whole
text. They write exactly the bytes the ``render_*`` functions return (and that networkx's
GraphML and GEXF writers produced from :func:`to_graphml_graph` before).

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

import codecs
import io
import itertools
import json
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any, Literal

import lxml.etree  # type: ignore[import-untyped]
import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphML

from geokg._io import atomic_open
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


_CHUNK = 1 << 13


def _batched(chunks: Iterable[str], size: int = _CHUNK) -> Iterator[str]:
    """Join small chunks into pieces of about ``size`` characters."""
    buffer: list[str] = []
    length = 0
    for chunk in chunks:
        buffer.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


class _JSONText:
    """A ``json`` attribute whose text :func:`_json` would return, made in pieces on demand.

    Used for graph attributes (``documents`` grows with the corpus), so that their text is
    never held whole.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def chunks(self) -> Iterator[str]:
        encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False)
        try:
            for piece in _batched(encoder.iterencode(self.value)):
                yield _XML_ILLEGAL.sub(lambda m: f"\\u{ord(m[0]):04x}", piece)
        except (TypeError, ValueError) as exc:
            msg = (
                f"value {self.value!r} cannot be written as JSON ({exc}); "
                "keep graph attributes plain."
            )
            raise ExportError(msg) from exc

    def __str__(self) -> str:
        return "".join(self.chunks())


def _kind(value: object) -> Kind | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "json"


def _schema(items: Iterable[Mapping[str, Any]]) -> dict[str, Kind]:
    """Attribute name -> kind: the one kind of its non-``None`` values, else ``json``.

    One pass that keeps the set of kinds seen per name, never the values.
    """
    seen: dict[str, set[Kind]] = {}
    for data in items:
        for key, value in data.items():
            kinds = seen.get(str(key))
            if kinds is None:
                kinds = seen[str(key)] = set()
            kind = _kind(value)
            if kind is not None:
                kinds.add(kind)
    return {key: next(iter(seen[key])) if len(seen[key]) == 1 else "json" for key in sorted(seen)}


def _encode(
    data: Mapping[str, Any], schema: Mapping[str, Kind], *, lazy: bool = False
) -> dict[str, Any]:
    """The attributes as the flattened graph holds them (``lazy``: ``json`` ones as
    :class:`_JSONText`)."""
    out: dict[str, Any] = {}
    for key in sorted(data, key=str):
        value = data[key]
        if value is None:
            continue
        kind = schema[str(key)]
        if kind == "json":
            out[xml_safe(str(key))] = _JSONText(value) if lazy else _json(value)
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


def _edges_by_key(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, Any]]:
    """``(key, source, target)`` of every edge, sorted by ``(str(key), str(source), str(target))``.

    Ties (only possible when distinct keys or nodes print the same) keep the graph's edge order,
    like a stable sort of ``graph.edges``. An index of references: no attribute is copied.
    """
    triples = [(k, u, v) for u, v, k in graph.edges(keys=True)]
    if all(type(k) is str and type(u) is str and type(v) is str for k, u, v in triples):
        triples.sort()  # plain strings: the same order, without a key per edge
    else:
        triples.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    return triples


def _node_order(graph: nx.MultiDiGraph) -> list[Any]:
    """Nodes sorted by id; raises when two ids are the same once made XML-safe."""
    order = sorted(graph.nodes, key=str)
    if all(type(node) is str and not _XML_ILLEGAL.search(node) for node in order):
        return order  # distinct plain strings stay distinct
    ids: dict[str, Any] = {}
    for node in order:
        safe = xml_safe(str(node))
        if safe in ids:
            msg = (
                f"node ids {ids[safe]!r} and {node!r} are the same once XML-illegal characters"
                " are removed; give actors ids without control characters."
            )
            raise ExportError(msg)
        ids[safe] = node
    return order


def _flat_edges(
    graph: nx.MultiDiGraph, order: Iterable[Any], schema: Mapping[str, Kind], *, lazy: bool = False
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Yield ``(source, target, key, attributes)`` as :func:`to_graphml_graph`'s copy holds them.

    That is: ids made XML-safe, attributes encoded; sources in node order, each source's
    targets in the order of their first edge by key, parallel edges by key; two parallel keys
    that are the same once made XML-safe are one edge with the attributes of both (the later
    wins). Memory: one source's out-edges at a time. ``lazy``: see :func:`_encode`.
    """
    for source in order:
        nbrs = graph.succ[source]
        if not nbrs:
            continue
        run = sorted(
            ((str(k), str(v), v, k) for v, keydict in nbrs.items() for k in keydict),
            key=lambda t: (t[0], t[1]),
        )
        targets: dict[Any, dict[str, list[Any]]] = {}
        for _, _, target, key in run:
            targets.setdefault(target, {}).setdefault(xml_safe(str(key)), []).append(key)
        del run
        safe_source = xml_safe(str(source))
        for target, keys in targets.items():
            safe_target = xml_safe(str(target))
            for safe_key, originals in keys.items():
                data: dict[str, Any] = {}
                for key in originals:
                    data.update(_encode(nbrs[target][key], schema, lazy=lazy))
                yield safe_source, safe_target, safe_key, data


def _graph_attributes(
    graph: nx.MultiDiGraph, schemas: Mapping[Scope, Mapping[str, Kind]]
) -> dict[str, Any]:
    """The graph's attributes, ``json`` ones lazy, with the schema under :data:`SCHEMA_KEY`."""
    data = _encode(graph.graph, schemas["graph"], lazy=True)
    data[SCHEMA_KEY] = json.dumps(schemas, sort_keys=True)
    return data


class _Utf8Sink:
    """A binary file for lxml's incremental writer that writes text to ``out``."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> None:
        self._out.write(self._decoder.decode(data))

    def close(self) -> None:
        self._out.write(self._decoder.decode(b"", final=True))


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

_GRAPHML_ROOT = {
    "xmlns": GraphML.NS_GRAPHML,
    "xmlns:xsi": GraphML.NS_XSI,
    "xsi:schemaLocation": GraphML.SCHEMALOCATION,
}


def _stream_graphml(graph: nx.MultiDiGraph, out: IO[str]) -> None:
    """Write GraphML to ``out`` element by element.

    The bytes are those of networkx's ``write_graphml_lxml(to_graphml_graph(graph),
    prettyprint=True)``: the same lxml incremental writer, the same ``<key>`` ids (``d0``,
    ``d1``, ... in order of first use, written in reverse), the same elements.
    """
    schemas = _schemas(graph)
    order = _node_order(graph)
    graph_data = _graph_attributes(graph, schemas)
    graph_id = graph_data.pop("id", None)
    if isinstance(graph_id, _JSONText):
        graph_id = str(graph_id)
    for reserved in ("node_default", "edge_default"):
        if reserved in graph_data:
            msg = (
                f"graph attribute {reserved!r} is reserved by GraphML writers; "
                "rename or drop it before exporting."
            )
            raise ExportError(msg)
    types = GraphML()
    types.construct_types()
    keys: dict[tuple[str, str, str], str] = {}
    key_elements: list[Any] = []

    def register(data: Mapping[str, Any], scope: str) -> None:
        for name, value in data.items():
            xml_type = types.get_xml_type(str if isinstance(value, _JSONText) else type(value))
            if (name, xml_type, scope) not in keys:
                key_id = keys[name, xml_type, scope] = f"d{len(keys)}"
                key_elements.append(
                    lxml.etree.Element(
                        "key",
                        **{"id": key_id, "for": scope, "attr.name": name, "attr.type": xml_type},
                    )
                )

    # First pass: the <key> declarations, which come before the graph.
    register(graph_data, "graph")
    for node in order:
        register(_encode(graph.nodes[node], schemas["node"], lazy=True), "node")
    for *_, data in _flat_edges(graph, order, schemas["edge"], lazy=True):
        register(data, "edge")

    def data_element(name: str, value: Any, scope: str) -> Any:
        if type(value) not in types.xml_type:
            msg = f"GraphML writer does not support {type(value)} as data values."
            raise nx.NetworkXError(msg)
        element = lxml.etree.Element("data", key=keys[name, types.get_xml_type(type(value)), scope])
        element.text = str(value)
        return element

    def element_with_data(tag: str, data: Mapping[str, Any], **attrib: str) -> Any:
        element = lxml.etree.Element(tag, **attrib)
        for name, value in data.items():
            element.append(data_element(name, value, tag))
        return element

    # Second pass: the document.
    sink = _Utf8Sink(out)
    with lxml.etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("graphml", _GRAPHML_ROOT):
            for key_element in reversed(key_elements):
                xf.write(key_element, pretty_print=True)
            attrib = {"edgedefault": "directed"}
            if graph_id is not None:
                attrib["id"] = graph_id
            with xf.element("graph", **attrib):
                for name, value in graph_data.items():
                    if isinstance(value, _JSONText):  # written piece by piece
                        with xf.element("data", key=keys[name, "string", "graph"]):
                            for chunk in value.chunks():
                                xf.write(chunk)
                        xf.write("\n")
                    else:
                        xf.write(data_element(name, value, "graph"), pretty_print=True)
                for node in order:
                    data = _encode(graph.nodes[node], schemas["node"])
                    xf.write(
                        element_with_data("node", data, id=xml_safe(str(node))), pretty_print=True
                    )
                for source, target, key, data in _flat_edges(graph, order, schemas["edge"]):
                    element = element_with_data("edge", data, source=source, target=target, id=key)
                    xf.write(element, pretty_print=True)
    sink.close()


def render_graphml(graph: nx.MultiDiGraph) -> str:
    """Return the graph as GraphML text (UTF-8, pretty-printed, deterministic)."""
    buffer = io.StringIO()
    _stream_graphml(graph, buffer)
    return buffer.getvalue()


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` as GraphML to ``path`` atomically (streamed) and return the path."""
    with atomic_open(path, newline="") as fh:
        _stream_graphml(graph, fh)
    return Path(path)


def read_graphml(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` back to the typed graph."""
    flat = nx.read_graphml(path, node_type=str, force_multigraph=True)
    return from_graphml_graph(flat)


# --------------------------------------------------------------------------- GEXF


#: Attributes the GEXF writer reads itself (ids, labels, times, drawing), never lazily.
_GEXF_SPECIAL = frozenset(
    {"id", "label", "pid", "start", "end", "parents", "spells", "viz", "weight", "type"}
)
_DESCRIPTION_MARK = "geokg-stream-description"
_NODES_MARK = "<geokg-stream-nodes />"
_EDGES_MARK = "<geokg-stream-edges />"


def _gexf_description(
    graph_data: Mapping[str, Any], schemas: Mapping[Scope, Mapping[str, Kind]]
) -> Iterator[str]:
    """The text of ``<meta><description>`` in pieces, escaped as in the document.

    The JSON ``{"geokg_schema": schemas, "graph": graph attributes}`` (sorted keys), where
    ``json`` graph attributes are JSON text inside a JSON string.
    """

    def escaped(text: str) -> str:  # ElementTree's text escaping, then its US-ASCII encoding
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.encode("ascii", "xmlcharrefreplace").decode("ascii")

    def pieces() -> Iterator[str]:
        yield '{"' + SCHEMA_KEY + '": ' + json.dumps(schemas, ensure_ascii=False, sort_keys=True)
        yield ', "graph": {'
        for i, name in enumerate(sorted(graph_data)):
            value = graph_data[name]
            yield (", " if i else "") + json.dumps(name, ensure_ascii=False) + ": "
            if isinstance(value, _JSONText):
                yield '"'
                for chunk in value.chunks():
                    yield encode_basestring(chunk)[1:-1]
                yield '"'
            else:
                yield json.dumps(value, ensure_ascii=False, sort_keys=True)
        yield "}}"

    for piece in _batched(pieces()):
        yield escaped(piece)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, _JSONText) else value


def _gexf_declare(writer: GEXFWriter, scope: str, data: Mapping[str, Any]) -> None:
    """Declare the attributes ``GEXFWriter.add_attributes`` would, without the elements."""
    for name, value in data.items():
        val_type = str if isinstance(value, _JSONText) else type(value)
        if val_type not in writer.xml_type:
            msg = f"attribute value type is not allowed: {val_type}"
            raise TypeError(msg)
        title = "networkx_key" if name == "key" else str(name)
        writer.get_attr_id(title, writer.xml_type[val_type], scope, {}, "static")


def _gexf_node(
    writer: GEXFWriter, node: str, data: Mapping[str, Any], *, dry: bool = False
) -> ET.Element:
    """The ``<node>`` element, as networkx's ``GEXFWriter.add_nodes`` makes it.

    ``dry``: only what the element changes in the writer (attributes, graph mode), for a
    first pass over lazily encoded data.
    """
    node_data = {k: _plain(v) if k in _GEXF_SPECIAL else v for k, v in data.items()}
    kw = {"id": str(node_data.pop("id", node)), "label": str(node_data.pop("label", node))}
    if "pid" in node_data:
        kw["pid"] = str(node_data.pop("pid"))
    for name in ("start", "end"):
        if name in node_data:
            value = node_data.pop(name)
            kw[name] = str(value)
            writer.alter_graph_mode_timeformat(value)
    element = ET.Element("node", kw)
    node_data = writer.add_parents(element, node_data)
    node_data = writer.add_spells(element, node_data)
    node_data = writer.add_viz(element, node_data)
    if dry:
        _gexf_declare(writer, "node", node_data)
    else:
        writer.add_attributes("node", element, node_data, {})
    return element


def _gexf_edge(
    writer: GEXFWriter,
    edge: tuple[str, str, str, Mapping[str, Any]],
    node_ids: Mapping[str, Any],
    *,
    dry: bool = False,
) -> ET.Element:
    """The ``<edge>`` element, as networkx's ``GEXFWriter.add_edges`` makes it (``dry``: as
    for :func:`_gexf_node`)."""
    source, target, key, data = edge
    edge_data = {k: _plain(v) if k in _GEXF_SPECIAL else v for k, v in data.items()}
    edge_data.update(key=key)
    edge_id = edge_data.pop("id", None)
    if edge_id is None:
        edge_id = next(writer.edge_id)
        while str(edge_id) in writer.all_edge_ids:
            edge_id = next(writer.edge_id)
        writer.all_edge_ids.add(str(edge_id))
    kw = {"id": str(edge_id)}
    for name in ("label", "weight", "type", "start", "end"):
        if name in edge_data:
            value = edge_data.pop(name)
            kw[name] = str(value)
            if name in {"start", "end"}:
                writer.alter_graph_mode_timeformat(value)
    ends = {
        "source": str(node_ids.get(source, source)),
        "target": str(node_ids.get(target, target)),
    }
    element = ET.Element("edge", {**ends, **kw})
    edge_data = writer.add_spells(element, edge_data)
    edge_data = writer.add_viz(element, edge_data)
    if dry:
        _gexf_declare(writer, "edge", edge_data)
    else:
        writer.add_attributes("edge", element, edge_data, {})
    return element


def _gexf_texts(writer: GEXFWriter, elements: Iterable[ET.Element]) -> Iterator[str]:
    """Nodes or edges as they read inside the pretty-printed document, with the line breaks
    between them (not before the first or after the last); serialised in small batches."""
    separator = "\n" + "  " * 3
    batch: list[ET.Element] = []

    def text() -> str:
        wrapper = ET.Element("w")  # one serialisation per batch: "<w>" e sep e sep "</w>"
        wrapper.extend(batch)
        return ET.tostring(wrapper).decode("utf-8")[3 : -4 - len(separator)]

    first = True
    for element in elements:
        writer.indent(element, 3)
        element.tail = separator
        batch.append(element)
        if len(batch) == 16:
            yield ("" if first else separator) + text()
            first, batch = False, []
    if batch:
        yield ("" if first else separator) + text()


def _stream_gexf(graph: nx.MultiDiGraph, out: IO[str]) -> None:
    """Write GEXF 1.2 to ``out`` node by node and edge by edge.

    The bytes are those networkx's ``GEXFWriter`` gave for :func:`to_graphml_graph` (with our
    ``<meta>``): a first pass over the elements fixes the ``<attributes>`` declarations and
    the graph's mode, then the head of the document is written, then each element.
    """
    schemas = _schemas(graph)
    order = _node_order(graph)
    graph_data = _graph_attributes(graph, schemas)
    del graph_data[SCHEMA_KEY]
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is None:  # pragma: no cover - networkx always adds it
        msg = "networkx's GEXF writer produced no <meta> element; upgrade networkx."
        raise ExportError(msg)
    meta.attrib.pop("lastmodifieddate", None)
    for child in list(meta):
        meta.remove(child)
    ET.SubElement(meta, "creator").text = "geokg"
    ET.SubElement(meta, "description").text = _DESCRIPTION_MARK
    graph_element = ET.Element("graph", defaultedgetype="directed", mode="static", name="")
    writer.graph_element = graph_element

    def nodes(*, lazy: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
        for node in order:
            yield xml_safe(str(node)), _encode(graph.nodes[node], schemas["node"], lazy=lazy)

    # First pass: attribute declarations, graph mode and time format, node "id" attributes.
    node_ids: dict[str, Any] = {}
    for node, data in nodes(lazy=True):
        if "id" in data:
            node_ids[node] = _plain(data["id"])
        _gexf_node(writer, node, data, dry=True)
    missing_id = False
    for edge in _flat_edges(graph, order, schemas["edge"], lazy=True):
        missing_id = missing_id or "id" not in edge[3]
        _gexf_edge(writer, edge, node_ids, dry=True)
    writer.edge_id = itertools.count()
    writer.all_edge_ids = set()
    if missing_id:  # generated edge ids skip the ids in use, as networkx does
        for *_, data in _flat_edges(graph, order, schemas["edge"], lazy=True):
            if "id" in data:
                writer.all_edge_ids.add(str(data["id"]))
    declared = len(graph_element)

    # The document with a placeholder for the nodes and one for the edges.
    nodes_element = ET.SubElement(graph_element, "nodes")
    if order:
        ET.SubElement(nodes_element, _NODES_MARK[1:-3])
    edges_element = ET.SubElement(graph_element, "edges")
    if graph.number_of_edges():
        ET.SubElement(edges_element, _EDGES_MARK[1:-3])
    writer.xml.append(graph_element)
    rest = str(writer)

    # Second pass: write.
    head, _, rest = rest.partition(_DESCRIPTION_MARK)
    out.write(head)
    out.writelines(_gexf_description(graph_data, schemas))
    if order:
        head, _, rest = rest.partition(_NODES_MARK)
        out.write(head)
        out.writelines(_gexf_texts(writer, (_gexf_node(writer, *node) for node in nodes())))
    if graph.number_of_edges():
        head, _, rest = rest.partition(_EDGES_MARK)
        out.write(head)
        edges = _flat_edges(graph, order, schemas["edge"])
        out.writelines(_gexf_texts(writer, (_gexf_edge(writer, e, node_ids) for e in edges)))
    out.write(rest)
    if len(graph_element) != declared + 2:  # pragma: no cover - both passes see the same data
        msg = "GEXF attribute declarations changed while writing; please report this bug."
        raise ExportError(msg)


def render_gexf(graph: nx.MultiDiGraph) -> str:
    """Return the graph as GEXF 1.2 text; the schema is in ``<meta><description>``."""
    buffer = io.StringIO()
    _stream_gexf(graph, buffer)
    return buffer.getvalue()


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` as GEXF to ``path`` atomically (streamed) and return the path."""
    with atomic_open(path, newline="") as fh:
        _stream_gexf(graph, fh)
    return Path(path)


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


def _node_link_order(graph: nx.MultiDiGraph) -> list[tuple[Any, Any, Any]]:
    """``(key, source, target)`` in the order of :func:`to_node_link`'s ``links``.

    That is by ``(str(key), str(source), str(target))``; ties (distinct keys or nodes that print
    the same) fall back to the order of the sorted copy :func:`to_node_link` builds.
    """
    triples = _edges_by_key(graph)

    def text(t: tuple[Any, Any, Any]) -> tuple[str, str, str]:
        return str(t[0]), str(t[1]), str(t[2])

    ties = [i for i in range(1, len(triples)) if text(triples[i - 1]) == text(triples[i])]
    if not ties:
        return triples
    tied = {j for i in ties for j in (i - 1, i)}
    pairs = {(triples[j][1], triples[j][2]) for j in tied}
    position = {n: i for i, n in enumerate(graph.nodes) if any(n == u for u, _ in pairs)}
    edge_position = {
        (u, v, k): i for i, (u, v, k) in enumerate(graph.edges(keys=True)) if (u, v) in pairs
    }

    def tie_key(t: tuple[Any, Any, Any]) -> tuple[int, tuple[str, int], int]:
        key, u, v = t
        first = min((str(k), edge_position[u, v, k]) for k in graph.succ[u][v])
        return position[u], first, edge_position[u, v, key]

    start = 0
    while start < len(triples):
        end = start + 1
        while end < len(triples) and text(triples[end]) == text(triples[start]):
            end += 1
        if end - start > 1:
            triples[start:end] = sorted(triples[start:end], key=tie_key)
        start = end
    return triples


def _json_pieces(value: Any, level: int) -> Iterator[str]:
    """``value`` as ``json.dumps(..., indent=2)`` writes it ``level`` levels deep, in pieces."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    indent = "\n" + "  " * level
    try:
        for piece in _batched(encoder.iterencode(value)):
            yield piece.replace("\n", indent)
    except (TypeError, ValueError) as exc:
        msg = f"the graph cannot be written as JSON ({exc}); keep attributes plain and finite."
        raise ExportError(msg) from exc


def _json_list(items: Iterable[Any]) -> Iterator[str]:
    """A list one level deep, item by item, as ``json.dumps(..., indent=2)`` writes it."""
    empty = True
    for item in items:
        yield "[\n    " if empty else ",\n    "
        yield from _json_pieces(item, 2)
        empty = False
    yield "[]" if empty else "\n  ]"


def _stream_node_link(graph: nx.MultiDiGraph, out: IO[str]) -> None:
    """Write :func:`render_node_link`'s text to ``out`` node by node and link by link."""
    links = (
        {**graph.succ[u][v][k], "source": u, "target": v, "key": k}
        for k, u, v in _node_link_order(graph)
    )
    nodes = ({**graph.nodes[n], "id": n} for n in sorted(graph.nodes, key=str))
    out.write('{\n  "directed": true,\n  "graph": ')
    out.writelines(_json_pieces(dict(graph.graph), 1))
    out.write(',\n  "links": ')
    out.writelines(_batched(_json_list(links)))
    out.write(',\n  "multigraph": true,\n  "nodes": ')
    out.writelines(_batched(_json_list(nodes)))
    out.write("\n}\n")


def render_node_link(graph: nx.MultiDiGraph) -> str:
    """Return node-link JSON text (UTF-8, sorted keys, two-space indent, final newline).

    The text is ``json.dumps(to_node_link(graph), sort_keys=True, indent=2)`` plus a newline.
    """
    buffer = io.StringIO()
    _stream_node_link(graph, buffer)
    return buffer.getvalue()


def write_node_link(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> Path:
    """Write node-link JSON to ``path`` atomically (streamed) and return the path."""
    with atomic_open(path) as fh:
        _stream_node_link(graph, fh)
    return Path(path)


def read_node_link(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read node-link JSON written by :func:`write_node_link` back to the graph."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="links")
    if not isinstance(graph, nx.MultiDiGraph):  # pragma: no cover - forced above
        raise InputError(str(path), "not a directed multigraph")
    return graph
