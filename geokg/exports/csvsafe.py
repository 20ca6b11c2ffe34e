"""Spreadsheet-safe CSV: formula neutralisation and the ``edges_table.csv`` writer.

Two kinds of CSV leave geokg, and they treat article text differently:

* **Spreadsheet tables** (``edges_table.csv``, written here) are for people who open them in
  Excel, LibreOffice Calc or Google Sheets. A cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return would be run as a formula (CSV injection, OWASP "CSV Injection"),
  so such cells get a leading apostrophe (:func:`neutralise_formula`). The shown text is then
  the original; the stored cell differs by that one character. A cell that is a plain decimal
  number (``-2.0``, a Goldstein score) is kept as it is: a spreadsheet reads it as a number,
  never as a formula, so the column still sorts and sums.
* **Machine files** (the CSV files of ``neo4j/``, from :mod:`geokg.exports.neo4j`) keep every
  value exactly; they are read by ``neo4j-admin``, never by a spreadsheet.

Both kinds escape control characters (:func:`escape_controls`): NUL, tab, line breaks and the
other C0/C1 controls, and the bidi embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069), which could hide or reorder what an id or a label shows, are written as visible
``\\x00``, ``\\n``, ``\\u202e`` escapes, in ids, labels and sentences alike.

>>> neutralise_formula('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> neutralise_formula("Keir Starmer")
'Keir Starmer'
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from geokg._io import atomic_open
from geokg.exports.graphfiles import _edges_by_key

__all__ = [
    "EDGE_TABLE_COLUMNS",
    "FORMULA_TRIGGERS",
    "escape_controls",
    "is_plain_number",
    "iter_spreadsheet_rows",
    "neutralise_formula",
    "render_spreadsheet_csv",
    "spreadsheet_rows",
    "write_spreadsheet_csv",
]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP), plus their
#: full-width forms, which some spreadsheet locales also accept.
FORMULA_TRIGGERS: frozenset[str] = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

#: Columns of ``edges_table.csv``, in order.
EDGE_TABLE_COLUMNS: tuple[str, ...] = (
    "edge_id",
    "subject_id",
    "subject",
    "relation",
    "object_id",
    "object",
    "negated",
    "modality",
    "plover",
    "cameo",
    "quad_class",
    "goldstein",
    "confidence",
    "weight",
    "dates",
    "speakers",
    "doc_ids",
    "sentence",
)

_LIST_SEPARATOR = "; "

#: A whole cell that is one decimal number: ASCII digits, an optional sign, point and exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_plain_number(cell: str) -> bool:
    """Whether ``cell`` is exactly one decimal number, which a spreadsheet reads as a number.

    >>> is_plain_number("-2.0"), is_plain_number("+1e3"), is_plain_number("-1+1"), is_plain_number(" -1")
    (True, True, False, False)
    """
    return _PLAIN_NUMBER.fullmatch(cell) is not None


#: C0 and C1 controls, U+2028/U+2029 and the bidi embedding/override/isolate characters.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """Return ``text`` with each control or bidi control character written as a visible escape.

    The escapes are Python's (``\\x00``, ``\\n``, ``\\x85``, ``\\u202e``), as on geokg's stderr.
    A backslash already in the text stays as it is.

    >>> escape_controls("doc\\x00-1\\u202egnp.exe")
    'doc\\\\x00-1\\\\u202egnp.exe'
    >>> escape_controls("Keir Starmer")
    'Keir Starmer'
    """
    return CONTROLS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def neutralise_formula(cell: str) -> str:
    """Return ``cell`` made safe to open in a spreadsheet.

    A cell is prefixed with ``'`` when its first character, or its first character after
    leading spaces, newlines and invisible format characters (zero-width space, bidi marks), is
    one of :data:`FORMULA_TRIGGERS`, unless the whole cell is a plain decimal number
    (:func:`is_plain_number`: ``-2.0``, ``+1``), which a spreadsheet stores as a number and never
    evaluates. Spreadsheets show the apostrophe-prefixed text as plain text.

    Args:
        cell: The text of one cell.

    Returns:
        The cell, unchanged or with one leading apostrophe.

    >>> neutralise_formula("@cmd")
    "'@cmd"
    >>> neutralise_formula("-1")
    '-1'
    >>> neutralise_formula("-1+cmd|' /C calc'!A0")
    "'-1+cmd|' /C calc'!A0"
    >>> neutralise_formula("\\u200b=1+1")
    "'\\u200b=1+1"
    >>> neutralise_formula("a=b")
    'a=b'
    """
    if is_plain_number(cell):
        return cell
    for char in cell:
        if char in FORMULA_TRIGGERS:
            return "'" + cell
        if char in " \n\u00a0" or unicodedata.category(char) == "Cf":
            continue
        break
    return cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def _first_sentence(provenance: object) -> str:
    if isinstance(provenance, Sequence) and not isinstance(provenance, str):
        for record in provenance:
            if isinstance(record, Mapping) and isinstance(record.get("sentence"), str):
                return str(record["sentence"])
    return ""


def _doc_ids(provenance: object) -> list[str]:
    ids: set[str] = set()
    if isinstance(provenance, Sequence) and not isinstance(provenance, str):
        for record in provenance:
            if isinstance(record, Mapping) and record.get("doc_id") is not None:
                ids.add(str(record["doc_id"]))
    return sorted(ids)


def _row(graph: nx.MultiDiGraph, source: Any, target: Any, key: Any) -> list[str]:
    data = graph.succ[source][target][key]
    provenance = data.get("provenance")
    values: dict[str, Any] = {
        "edge_id": data.get("id", key),
        "subject_id": source,
        "subject": graph.nodes[source].get("label", source),
        "relation": data.get("relation"),
        "object_id": target,
        "object": graph.nodes[target].get("label", target),
        "negated": data.get("negated"),
        "modality": data.get("modality"),
        "plover": data.get("plover"),
        "cameo": data.get("cameo"),
        "quad_class": data.get("quad_class"),
        "goldstein": data.get("goldstein"),
        "confidence": data.get("confidence"),
        "weight": data.get("weight"),
        "dates": data.get("dates"),
        "speakers": data.get("speakers"),
        "doc_ids": _doc_ids(provenance),
        "sentence": _first_sentence(provenance),
    }
    return [neutralise_formula(escape_controls(_cell(values[name]))) for name in EDGE_TABLE_COLUMNS]


def iter_spreadsheet_rows(graph: nx.MultiDiGraph) -> Iterator[list[str]]:
    """Yield the rows of :func:`spreadsheet_rows` one at a time (header first).

    Only the sorted ``(key, source, target)`` of the edges is kept, never the rows.
    """
    yield list(EDGE_TABLE_COLUMNS)
    for key, source, target in _edges_by_key(graph):
        yield _row(graph, source, target, key)


def spreadsheet_rows(graph: nx.MultiDiGraph) -> list[list[str]]:
    """Return the rows of ``edges_table.csv`` (header first), every cell neutralised.

    Control characters are escaped first (:func:`escape_controls`). One row per edge, sorted by
    edge id. List values are joined with ``"; "``; ``sentence`` is
    the first provenance sentence.

    Args:
        graph: A geokg graph (docs/ARCHITECTURE.md "The graph").

    Returns:
        A header row followed by one row per edge, all cells strings.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("A", label="=A")
    >>> g.add_node("B", label="B")
    >>> _ = g.add_edge("A", "B", key="e-1", id="e-1", relation="meet")
    >>> spreadsheet_rows(g)[1][:6]
    ['e-1', 'A', "'=A", 'meet', 'B', 'B']
    """
    return list(iter_spreadsheet_rows(graph))


def render_spreadsheet_csv(rows: Iterable[Sequence[str]]) -> str:
    """Render rows as CSV text for spreadsheets.

    RFC 4180 quoting (every cell quoted, ``"`` doubled), CRLF line ends, and a UTF-8 byte order
    mark so that Excel detects the encoding. Cells are written as given: neutralise them first
    (:func:`spreadsheet_rows` does).

    >>> render_spreadsheet_csv([["a", "b"]]) == "\\ufeff" + '"a","b"' + "\\r\\n"
    True
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def write_spreadsheet_csv(graph: nx.MultiDiGraph, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write ``out_dir/edges_table.csv``, a spreadsheet-safe table of the graph's edges.

    Args:
        graph: A geokg graph.
        out_dir: Folder to write into (created when missing).

    Returns:
        The paths written.
    """
    path = Path(out_dir) / "edges_table.csv"
    with atomic_open(path, newline="") as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for row in iter_spreadsheet_rows(graph):  # streamed: one row at a time
            writer.writerow(row)
    return [path]
