"""Neo4j export: neo4j-admin CSVs and import.cypher, loaded into the embedded Kùzu engine."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from geokg.errors import ExportError
from geokg.exports import neo4j
from geokg.exports.csvsafe import (
    escape_controls,
    is_plain_number,
    neutralise_formula,
    write_spreadsheet_csv,
)
from tests.exports._graph_sample import HOSTILE, TRICKY, sample_graph

kuzu = pytest.importorskip("kuzu")


# --------------------------------------------------------------------------- helpers


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _connect(tmp_path: Path) -> Any:
    return kuzu.Connection(kuzu.Database(str(tmp_path / "kuzu.db")))


def _all(conn: Any, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
    result = conn.execute(query, params or {})
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


_KUZU_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}
_KUZU_TYPES["date"] = "DATE"


def _kuzu_columns(header: tuple[str, ...], *, arrays_as_text: bool) -> list[str]:
    """Kùzu column definitions for our neo4j-admin property columns (``:ID`` etc. excluded)."""
    columns = []
    for field in header:
        name, _, kind = field.partition(":")
        if not name:
            continue
        if kind.startswith("ID"):
            kind = "string"
        array = kind.endswith("[]")
        base = _KUZU_TYPES[kind.removesuffix("[]") or "string"]
        if array:
            base = "STRING" if arrays_as_text else f"{base}[]"
        columns.append(f"{name} {base}")
    return columns


def _as_written(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the CSV files hold it: control characters in strings escaped."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, str) and name != "provenance_json":  # JSON escapes its own
            out[name] = escape_controls(value)
        elif isinstance(value, list):
            out[name] = [escape_controls(v) for v in value]
        else:
            out[name] = value
    return out


def _expected_edge_properties(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in neo4j.relationship_records(graph)}


def _parse_cypher_literal(text: str) -> tuple[Any, int]:
    """A small independent reader for the Cypher literal subset (Neo4j string escapes)."""
    escapes = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b"}
    escapes["f"] = "\f"

    def value(i: int) -> tuple[Any, int]:
        while text[i] == " ":
            i += 1
        char = text[i]
        if char == "'":
            out, i = [], i + 1
            while text[i] != "'":
                if text[i] == "\\":
                    code = text[i + 1]
                    if code in "uU":
                        width = 4 if code == "u" else 8
                        out.append(chr(int(text[i + 2 : i + 2 + width], 16)))
                        i += 2 + width
                    else:
                        out.append(escapes[code])
                        i += 2
                else:
                    out.append(text[i])
                    i += 1
            return "".join(out), i + 1
        if char in "[{":
            close = "]" if char == "[" else "}"
            items: list[Any] = []
            pairs: dict[str, Any] = {}
            i += 1
            while True:
                while text[i] in " ,":
                    i += 1
                if text[i] == close:
                    return (items if char == "[" else pairs), i + 1
                if char == "[":
                    item, i = value(i)
                    items.append(item)
                else:
                    match = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)*`): ").match(text, i)
                    assert match is not None, text[i : i + 40]
                    key = match[1][1:-1].replace("``", "`") if match[1][0] == "`" else match[1]
                    pairs[key], i = value(match.end())
        match = re.compile(r"null|true|false|-?\d+(?:\.\d+)?(?:e-?\d+)?").match(text, i)
        assert match is not None, text[i : i + 40]
        word = match[0]
        parsed: Any = {"null": None, "true": True, "false": False}.get(word, word)
        if parsed is word:
            parsed = float(word) if ("." in word or "e" in word) else int(word)
        return parsed, match.end()

    return value(0)


def _script_batches(script: str) -> list[tuple[str, dict[str, Any]]]:
    """Split import.cypher into (query, parameters) pairs, as cypher-shell would run them."""
    batches = []
    params: dict[str, Any] = {}
    statement: list[str] = []
    for line in script.split("\n"):
        if line.startswith(":param rows => "):
            literal = line.removeprefix(":param rows => ")
            rows, end = _parse_cypher_literal(literal)
            assert end == len(literal)
            params = {"rows": rows}
        elif line.startswith("//") or line.startswith("CREATE CONSTRAINT") or not line:
            continue
        else:
            statement.append(line)
            if line.endswith(";"):
                batches.append(("\n".join(statement)[:-1], params))
                statement = []
    return batches


#: Every property column of the six files (a name has one type in all of them).
_ALL_PROPERTIES = (
    neo4j.NODE_HEADER[:-1]
    + neo4j.RELATIONSHIP_HEADER[3:]
    + neo4j.ARTICLE_HEADER[:-1]
    + neo4j.EVENT_HEADER[:-1]
    + neo4j.REPORT_HEADER[3:]
)


def _neo4j_to_kuzu(query: str) -> str:
    """The two documented differences between the Neo4j and the Kùzu statements."""
    types: dict[str, str] = {}
    for column in _kuzu_columns(_ALL_PROPERTIES, arrays_as_text=False):
        name, kind = column.split(" ")
        assert types.setdefault(name, kind) == kind, (name, kind)
    lines = [line for line in query.split("\n") if not re.fullmatch(r"SET a:\w+", line)]
    return re.sub(
        r"\b([ar])\.(\w+) = (?:row\.\2|date\(row\.\2\)|\[d IN row\.\2 \| date\(d\)\])(?=,|$)",
        lambda m: f"{m[1]}.{m[2]} = CAST(row.{m[2]} AS {types[m[2]]})",
        "\n".join(lines),
        flags=re.MULTILINE,
    )


def _create_typed_schema(
    conn: Any, graph: nx.MultiDiGraph, rel_type: neo4j.RelTypeRule = "verb"
) -> None:
    for label, header in (
        ("Actor", neo4j.NODE_HEADER),
        ("Article", neo4j.ARTICLE_HEADER),
        ("Event", neo4j.EVENT_HEADER),
    ):
        cols = ", ".join(_kuzu_columns(header[:-1], arrays_as_text=False))
        _all(conn, f"CREATE NODE TABLE {label}({cols}, PRIMARY KEY(id))")
    rel_cols = ", ".join(_kuzu_columns(neo4j.RELATIONSHIP_HEADER[3:], arrays_as_text=False))
    types = {r["type"] for r in neo4j.relationship_records(graph, rel_type=rel_type)}
    for name in sorted(types):
        _all(conn, f"CREATE REL TABLE `{name}`(FROM Actor TO Actor, {rel_cols})")
    _all(conn, "CREATE REL TABLE SUBJECT(FROM Event TO Actor)")
    _all(conn, "CREATE REL TABLE OBJECT(FROM Event TO Actor)")
    report_cols = ", ".join(_kuzu_columns(neo4j.REPORT_HEADER[3:], arrays_as_text=False))
    _all(conn, f"CREATE REL TABLE REPORTS(FROM Article TO Event, {report_cols})")


def _expected_reports(graph: nx.MultiDiGraph) -> list[tuple[Any, ...]]:
    """(article, event, relation id, sentence, start, end) of every provenance record."""
    out = []
    for _, _, key, data in graph.edges(keys=True, data=True):
        for p in data.get("provenance", []):
            if p.get("doc_id") is not None:
                start, end = p["span"]
                out.append((p["doc_id"], key, p["relation_id"], p["sentence"], start, end))
    return sorted(out)


def _assert_provenance_loaded(
    conn: Any, graph: nx.MultiDiGraph, rel_type: neo4j.RelTypeRule = "verb"
) -> None:
    """Articles, events, their actor links and the REPORTS relationships, against the graph."""
    documents = graph.graph["documents"]
    doc_ids = set(documents)
    for _, data in graph.nodes(data=True):
        doc_ids.update(data.get("docs", []))
    articles = _all(
        conn,
        "MATCH (a:Article) RETURN a.id, a.title, a.date, a.published, a.url, a.source "
        "ORDER BY a.id",
    )
    assert [row[0] for row in articles] == sorted(doc_ids)
    for doc_id, title, day, published, url, source in articles:
        meta = documents.get(doc_id, {})
        assert (title, published, url, source) == (
            meta.get("title"),
            meta.get("published"),
            meta.get("url"),
            meta.get("source"),
        )
        assert (day.isoformat() if day else None) == meta.get("published")
    events = _all(
        conn,
        "MATCH (s:Actor)<-[:SUBJECT]-(e:Event)-[:OBJECT]->(o:Actor) "
        "RETURN e.id, s.id, o.id, e.type, e.relation, e.plover, e.negated, e.weight ORDER BY e.id",
    )
    expected_events = sorted(
        (
            key,
            u,
            v,
            neo4j.choose_relationship_type(d["relation"], d["plover"], rel_type),
            d["relation"],
            d["plover"],
            d["negated"],
            d["weight"],
        )
        for u, v, key, d in graph.edges(keys=True, data=True)
    )
    assert [tuple(row) for row in events] == expected_events
    # each event has one SUBJECT and one OBJECT, and the actor relationship with its id
    assert _all(conn, "MATCH (e:Event)-[l]->(:Actor) RETURN count(l)") == [
        [2 * graph.number_of_edges()]
    ]
    same = _all(
        conn,
        "MATCH (s:Actor)-[r]->(o:Actor), (s)<-[:SUBJECT]-(e:Event)-[:OBJECT]->(o) "
        "WHERE e.id = r.id AND e.type = label(r) RETURN count(*)",
    )
    assert same == [[graph.number_of_edges()]]
    reports = _all(
        conn,
        "MATCH (a:Article)-[m:REPORTS]->(e:Event) "
        "RETURN a.id, e.id, m.relation_id, m.sentence, m.char_start, m.char_end",
    )
    assert sorted(tuple(row) for row in reports) == _expected_reports(graph)
    weights = sum(d["weight"] for _, _, d in graph.edges(data=True))
    assert len(reports) == weights  # one REPORTS per provenance record


def _assert_typed_graph_loaded(conn: Any, graph: nx.MultiDiGraph) -> None:
    nodes = _all(conn, "MATCH (a:Actor) RETURN a.* ORDER BY a.id")
    expected_nodes = neo4j.node_records(graph)
    assert len(nodes) == len(expected_nodes) == graph.number_of_nodes()
    names = [c.split(" ")[0] for c in _kuzu_columns(neo4j.NODE_HEADER[:-1], arrays_as_text=False)]
    for row, expected in zip(nodes, expected_nodes, strict=True):
        assert dict(zip(names, row, strict=True)) == {k: expected[k] for k in names}
    assert dict(zip(names, nodes[[r[0] for r in nodes].index("org:hostile")], strict=True))[
        "label"
    ] == (TRICKY)
    edges = _all(
        conn,
        "MATCH (s:Actor)-[r]->(t:Actor) RETURN s.id, t.id, label(r), r.id, r.relation, "
        "r.negated, r.goldstein, r.confidence, r.weight, r.dates, r.first_date, r.speakers, "
        "r.sentence, r.doc_ids, r.rules, r.provenance_json ORDER BY r.id",
    )
    expected_edges = _expected_edge_properties(graph)
    assert len(edges) == graph.number_of_edges()
    for (
        src,
        dst,
        rel_type,
        edge_id,
        relation,
        negated,
        gold,
        conf,
        weight,
        dates,
        first,
        *rest,
    ) in edges:
        exp = expected_edges[edge_id]
        assert (src, dst, rel_type, relation, negated) == (
            exp["src"],
            exp["dst"],
            exp["type"],
            exp["relation"],
            exp["negated"],
        )
        assert (gold, conf, weight) == (exp["goldstein"], exp["confidence"], exp["weight"])
        assert [d.isoformat() for d in dates or []] == (exp["dates"] or [])
        assert (first.isoformat() if first else None) == exp["first_date"]
        speakers, sentence, doc_ids, rules, provenance_json = rest
        assert (speakers or None, sentence, doc_ids or None) == (
            exp["speakers"],
            exp["sentence"],
            exp["doc_ids"],
        )
        data = graph.edges[exp["src"], exp["dst"], edge_id]
        assert json.loads(provenance_json) == data["provenance"]
        assert rules == sorted({p["rule"] for p in data["provenance"] if p.get("rule")})
    # the hostile edge: its relation text holds quotes, backslashes, newlines, bidi and emoji
    found = _all(
        conn,
        "MATCH (s:Actor)-[r]->(t:Actor) WHERE r.relation = $text RETURN s.id, t.id, label(r)",
        {"text": TRICKY},
    )
    assert found == [["org:hostile", "other:thing", neo4j.relationship_type(TRICKY)]]
    accused = _all(
        conn,
        "MATCH (s:Actor)-[r:ACCUSE]->(t:Actor) RETURN s.label, t.label, r.goldstein",
    )
    assert accused == [["Keir Starmer", "Russia", -2.0]]


# --------------------------------------------------------------------------- headers


#: Each CSV file with its declared header and kind.
_FILES: dict[str, tuple[tuple[str, ...], Any]] = {
    "nodes.csv": (neo4j.NODE_HEADER, "nodes"),
    "relationships.csv": (neo4j.RELATIONSHIP_HEADER, "relationships"),
    "articles.csv": (neo4j.ARTICLE_HEADER, "nodes"),
    "events.csv": (neo4j.EVENT_HEADER, "nodes"),
    "event_actors.csv": (neo4j.EVENT_ACTOR_HEADER, "relationships"),
    "reports.csv": (neo4j.REPORT_HEADER, "relationships"),
}


@pytest.mark.parametrize("name", list(_FILES))
def test_our_headers_pass_the_checker(name: str) -> None:
    header, kind = _FILES[name]
    assert neo4j.check_neo4j_admin_header(list(header), kind) == []


def test_written_headers_are_the_declared_ones(tmp_path: Path) -> None:
    paths = neo4j.write_neo4j(sample_graph(), tmp_path)
    assert [p.name for p in paths] == [*_FILES, "import.cypher", "README.txt"]
    for name, (header, kind) in _FILES.items():
        written = _csv_rows(tmp_path / "neo4j" / name)[0]
        assert tuple(written) == header, name
        assert neo4j.check_neo4j_admin_header(written, kind) == [], name
    # the ID groups tie the files together: an end is always declared by a node file
    groups = {re.search(r"\((\w+)\)", h[0])[1] for h, k in _FILES.values() if k == "nodes"}  # type: ignore[index]
    assert groups == {"Actor", "Article", "Event"}
    for header, kind in _FILES.values():
        if kind == "relationships":
            ends = {re.search(r"\((\w+)\)", field)[1] for field in header[:2]}  # type: ignore[index]
            assert ends <= groups


@pytest.mark.parametrize(
    ("header", "kind", "fragment"),
    [
        (["name", "age:int"], "nodes", "no :ID column"),
        ([":ID", "id2:ID(G)"], "nodes", "2 :ID columns"),
        ([":ID", "age:integer"], "nodes", "unknown type 'integer'"),
        ([":ID", "name", "name:string"], "nodes", 'duplicate property name "name"'),
        ([":ID", ":LABEL", ":LABEL"], "nodes", "2 :LABEL columns"),
        ([":ID", ":TYPE"], "nodes", ":TYPE belongs in a relationships file"),
        ([":ID()"], "nodes", "empty id group"),
        ([":ID", ":LABEL[]"], "nodes", ":LABEL cannot be an array"),
        ([":ID", "a:b:int"], "nodes", "not of the form name:type"),
        ([":ID", ""], "nodes", "empty column name"),
        ([":ID", "x:string(G)"], "nodes", "only :ID, :START_ID and :END_ID take a (group)"),
        ([":START_ID", ":TYPE"], "relationships", "no :END_ID column"),
        ([":START_ID", ":END_ID"], "relationships", "no :TYPE column"),
        ([":START_ID", ":END_ID", ":TYPE", ":LABEL"], "relationships", "belongs in a nodes"),
        ([], "nodes", "empty header"),
    ],
)
def test_header_checker_finds_problems(header: list[str], kind: Any, fragment: str) -> None:
    problems = neo4j.check_neo4j_admin_header(header, kind)
    assert any(fragment in p for p in problems), problems


def test_header_checker_accepts_the_full_type_grammar() -> None:
    types = sorted(neo4j._PROPERTY_TYPES)
    header = [":ID(Person)", ":LABEL", ":IGNORE"]
    header += [f"{t}_{n}:{t}{suffix}" for t in types for n, suffix in enumerate(("", "[]"))]
    assert neo4j.check_neo4j_admin_header(header, "nodes") == []
    assert neo4j.check_neo4j_admin_header(["location:point{crs:WGS-84}", ":ID"], "nodes") == []


# --------------------------------------------------------------------------- Cypher literals


@pytest.mark.parametrize(
    "text", [*HOSTILE, TRICKY, "", "\x00\x01\x7f\x85\u2028\ufeff", "\U000e0001"]
)
def test_cypher_string_literal_decodes_to_the_original(text: str) -> None:
    literal = neo4j.cypher_literal(text)
    assert literal[0] == literal[-1] == "'"
    # No raw line breaks, control, bidi or zero-width characters in the script text.
    assert not any(c in literal for c in "\n\r\t\x00\u202e\u200b\u2028\ufeff")
    # Neo4j's escapes are a subset of Python's with the same meaning: decode two ways.
    assert ast.literal_eval(literal) == text
    assert _parse_cypher_literal(literal) == (text, len(literal))
    # Outside the string only the closing quote: an escaped quote never ends it early.
    assert re.fullmatch(r"'(?:[^'\\]|\\.)*'", literal, flags=re.DOTALL)


@pytest.mark.parametrize("text", [t for t in HOSTILE if t.isprintable()] + ["a\\'b\\\\"])
def test_cypher_string_literal_runs_in_kuzu(tmp_path: Path, text: str) -> None:
    # Kùzu reads \\ \' \" like Neo4j (it lacks \n and \uXXXX, hence printable strings only).
    conn = _connect(tmp_path)
    assert _all(conn, f"RETURN {neo4j.cypher_literal(text)} AS x") == [[text]]


def test_cypher_literal_of_lists_and_maps(tmp_path: Path) -> None:
    value = {"b c": [1, -2.5, None], "a": True, "z`": "'}) DETACH DELETE n //"}
    literal = neo4j.cypher_literal(value)
    assert literal == "{a: true, `b c`: [1, -2.5, null], `z```: '\\'}) DETACH DELETE n //'}"
    assert _parse_cypher_literal(literal)[0] == value
    conn = _connect(tmp_path)
    assert _all(conn, f"RETURN {neo4j.cypher_literal({'k': TRICKY[:10], 'n': 1e-05})}") == [
        [{"k": TRICKY[:10], "n": 1e-05}]
    ]
    assert neo4j.cypher_literal(1e20) == "1e20"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), object(), {1: "x"}])
def test_cypher_literal_refuses_what_has_no_literal(bad: object) -> None:
    with pytest.raises(ExportError):
        neo4j.cypher_literal(bad)


@pytest.mark.parametrize(
    ("relation", "expected"),
    [
        ("accuse", "ACCUSE"),
        ("step up", "STEP_UP"),
        ("close", "CLOSE"),
        ("démentir", "DEMENTIR"),
        ("встретить", "RELATED_TO"),
        ("", "RELATED_TO"),
        ("3d-print", "R_3D_PRINT"),
        ("`]->() DETACH DELETE n //", "DETACH_DELETE_N"),
    ],
)
def test_relationship_type(relation: str, expected: str) -> None:
    assert neo4j.relationship_type(relation) == expected
    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", expected)


# --------------------------------------------------------------------------- loading into Kùzu


def test_neo4j_admin_csvs_load_unchanged_with_kuzu_copy(tmp_path: Path) -> None:
    graph = sample_graph()
    neo4j.write_neo4j(graph, tmp_path / "out")
    folder = tmp_path / "out" / "neo4j"
    delimiter = neo4j.choose_array_delimiter(graph)
    assert delimiter == "\x1f"  # the sample has an alias holding both ";" and "|"
    conn = _connect(tmp_path)
    # Kùzu cannot read neo4j-admin arrays or :LABEL, so those load as text and are split here;
    # every data row, its quoting and escaping, is read from our file unchanged.
    node_cols = _kuzu_columns(neo4j.NODE_HEADER[:-1], arrays_as_text=True)
    _all(conn, f"CREATE NODE TABLE Actor({', '.join(node_cols)}, labels STRING, PRIMARY KEY(id))")
    rel_cols = _kuzu_columns(neo4j.RELATIONSHIP_HEADER[3:], arrays_as_text=True)
    _all(conn, f"CREATE REL TABLE REL(FROM Actor TO Actor, type STRING, {', '.join(rel_cols)})")
    options = "(HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', PARALLEL=false)"
    _all(conn, f"COPY Actor FROM '{folder / 'nodes.csv'}' {options}")
    _all(conn, f"COPY REL FROM '{folder / 'relationships.csv'}' {options}")

    names = [c.split(" ")[0] for c in node_cols]
    loaded = _all(conn, "MATCH (a:Actor) RETURN a.* ORDER BY a.id")
    for row, expected in zip(loaded, map(_as_written, neo4j.node_records(graph)), strict=True):
        got = dict(zip([*names, "labels"], row, strict=True))
        for name in ("roles", "aliases", "docs"):
            got[name] = got[name].split(delimiter) if got[name] is not None else None
        got["labels"] = got["labels"].split(delimiter)
        assert got == {k: expected[k] for k in [*names, "labels"]}
        assert got["label"] == escape_controls(graph.nodes[got["id"]]["label"])

    rel_names = ["type", *(c.split(" ")[0] for c in rel_cols)]
    rows = _all(conn, "MATCH (s:Actor)-[r:REL]->(t:Actor) RETURN s.id, t.id, r.* ORDER BY r.id")
    expected_edges = {k: _as_written(r) for k, r in _expected_edge_properties(graph).items()}
    assert len(rows) == graph.number_of_edges()
    for src, dst, *props in rows:
        got = dict(zip(rel_names, props, strict=True))
        exp = expected_edges[got["id"]]
        for name in ("dates", "speakers", "doc_ids", "rules"):
            got[name] = got[name].split(delimiter) if got[name] is not None else None
        got["first_date"] = got["first_date"].isoformat() if got["first_date"] else None
        assert (src, dst) == (exp["src"], exp["dst"])
        assert got == {k: exp[k] for k in rel_names}
    found = _all(
        conn,
        "MATCH (s:Actor)-[r:REL]->(t:Actor) WHERE r.relation = $text RETURN s.id, t.id",
        {"text": escape_controls(TRICKY)},
    )
    assert found == [["org:hostile", "other:thing"]]
    hostile_sentences = _all(
        conn, "MATCH ()-[r:REL]->() WHERE r.sentence = $s RETURN r.relation", {"s": TRICKY}
    )
    assert hostile_sentences == []  # TRICKY is the accuse edge's 2nd sentence, not its 1st
    accuse = _all(conn, "MATCH ()-[r:REL]->() WHERE r.type = 'ACCUSE' RETURN r.provenance_json")
    assert [p["sentence"] for p in json.loads(accuse[0][0])][1] == TRICKY


def test_article_event_and_report_csvs_load_unchanged_with_kuzu_copy(tmp_path: Path) -> None:
    graph = sample_graph()
    neo4j.write_neo4j(graph, tmp_path / "out")
    folder = tmp_path / "out" / "neo4j"
    conn = _connect(tmp_path)
    _all(conn, "CREATE NODE TABLE Actor(id STRING, PRIMARY KEY(id))")
    for node in graph.nodes:
        _all(conn, "CREATE (:Actor {id: $id})", {"id": escape_controls(node)})
    for label, header in (("Article", neo4j.ARTICLE_HEADER), ("Event", neo4j.EVENT_HEADER)):
        cols = ", ".join(_kuzu_columns(header[:-1], arrays_as_text=True))
        _all(conn, f"CREATE NODE TABLE {label}({cols}, labels STRING, PRIMARY KEY(id))")
    _all(conn, "CREATE REL TABLE LINK(FROM Event TO Actor, type STRING)")
    report_cols = ", ".join(_kuzu_columns(neo4j.REPORT_HEADER[3:], arrays_as_text=True))
    _all(conn, f"CREATE REL TABLE REPORTS(FROM Article TO Event, type STRING, {report_cols})")
    options = "(HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', PARALLEL=false)"
    for table, name in (
        ("Article", "articles.csv"),
        ("Event", "events.csv"),
        ("LINK", "event_actors.csv"),
        ("REPORTS", "reports.csv"),
    ):
        _all(conn, f"COPY {table} FROM '{folder / name}' {options}")

    def plain(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value

    articles = _all(conn, "MATCH (a:Article) RETURN a.* ORDER BY a.id")
    names = [h.split(":")[0] for h in neo4j.ARTICLE_HEADER[:-1]]
    expected = [_as_written(r) for r in neo4j.article_records(graph)]
    assert [[plain(v) for v in row] for row in articles] == [
        [*(r[n] for n in names), "Article"] for r in expected
    ]
    assert [r["title"] for r in expected] == ["A <b>title</b>", escape_controls(TRICKY)]
    events = _all(conn, "MATCH (e:Event) RETURN e.* ORDER BY e.id")
    names = [h.split(":")[0] for h in neo4j.EVENT_HEADER[:-1]]
    expected = [_as_written(r) for r in neo4j.event_records(graph)]
    assert [[plain(v) for v in row] for row in events] == [
        [*(r[n] for n in names), "Event"] for r in expected
    ]
    links = _all(conn, "MATCH (e:Event)-[l:LINK]->(a:Actor) RETURN e.id, l.type, a.id")
    assert sorted(map(tuple, links)) == sorted(
        (escape_controls(k), link, escape_controls(end))
        for u, v, k in graph.edges(keys=True)
        for link, end in (("SUBJECT", u), ("OBJECT", v))
    )
    reports = _all(
        conn,
        "MATCH (a:Article)-[m:REPORTS]->(e:Event) "
        "RETURN a.id, e.id, m.relation_id, m.sentence, m.char_start, m.char_end, m.type",
    )
    assert sorted(tuple(r[:6]) for r in reports) == sorted(
        tuple(escape_controls(v) if isinstance(v, str) else v for v in row)
        for row in _expected_reports(graph)
    )
    assert {r[6] for r in reports} == {"REPORTS"}
    # the hostile sentences, quotes, line breaks and bidi controls included, read back written
    hostile = _all(
        conn,
        "MATCH (a:Article {id: 'doc-2'})-[m:REPORTS]->(e:Event) "
        "WHERE m.sentence = $s RETURN e.relation",
        {"s": escape_controls(HOSTILE[3])},
    )
    assert hostile == [[escape_controls(TRICKY)]]


@pytest.mark.parametrize("batch_size", [2, 500])
def test_unwind_merge_batches_load_into_kuzu(tmp_path: Path, batch_size: int) -> None:
    graph = sample_graph()
    conn = _connect(tmp_path)
    _create_typed_schema(conn, graph)
    batches = list(neo4j.iter_cypher_batches(graph, batch_size, dialect="kuzu"))
    articles = len(neo4j.article_records(graph))
    reports = len(_expected_reports(graph))
    assert sum(len(p["rows"]) for _, p in batches) == graph.number_of_nodes() + (
        articles + 4 * graph.number_of_edges() + reports  # edge, event, subject, object
    )
    assert all(len(p["rows"]) <= batch_size for _, p in batches)
    for query, params in batches:
        _all(conn, query, params)
    _assert_typed_graph_loaded(conn, graph)
    _assert_provenance_loaded(conn, graph)
    for query, params in batches:  # MERGE: running the import again changes nothing
        _all(conn, query, params)
    _assert_typed_graph_loaded(conn, graph)
    _assert_provenance_loaded(conn, graph)


def test_import_cypher_script_loads_into_kuzu(tmp_path: Path) -> None:
    graph = sample_graph()
    script = neo4j.render_import_cypher(graph, batch_size=2)
    assert script.startswith("// geokg graph for Neo4j 5")
    for label in ("Actor", "Article", "Event"):
        constraint = f"FOR (a:{label}) REQUIRE a.id IS UNIQUE;"
        assert f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS {constraint}" in script
    # Values never appear in query text: every statement line is one of our templates.
    assert not any(c in script for c in "\r\u202e\u200b")
    assert "DETACH DELETE n //" not in re.sub(r"(?m)^:param .*$", "", script)
    batches = _script_batches(script)
    assert batches == list(neo4j.iter_cypher_batches(graph, 2))
    conn = _connect(tmp_path)
    _create_typed_schema(conn, graph)
    for query, params in batches:
        _all(conn, _neo4j_to_kuzu(query), params)
    _assert_typed_graph_loaded(conn, graph)
    _assert_provenance_loaded(conn, graph)


def test_neo4j_and_kuzu_dialects_differ_only_where_documented() -> None:
    graph = sample_graph()
    neo = list(neo4j.iter_cypher_batches(graph, 3))
    kz = list(neo4j.iter_cypher_batches(graph, 3, dialect="kuzu"))
    assert [p for _, p in neo] == [p for _, p in kz]
    assert [_neo4j_to_kuzu(q) for q, _ in neo] == [q for q, _ in kz]
    assert any("SET a:Person" in q for q, _ in neo)
    assert any("r.dates = [d IN row.dates | date(d)]" in q for q, _ in neo)
    assert any("r.dates = CAST(row.dates AS DATE[])" in q for q, _ in kz)
    labels = {q.split("\n")[-1] for q, _ in neo if q.split("\n")[-1].startswith("SET a:")}
    assert labels == {"SET a:Country", "SET a:Organisation", "SET a:Person"}


# --------------------------------------------------------------------------- exactness, order


def test_neo4j_csvs_keep_exact_values(tmp_path: Path) -> None:
    graph = sample_graph()
    neo4j.write_neo4j(graph, tmp_path)
    rows = _csv_rows(tmp_path / "neo4j" / "nodes.csv")
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["other:thing"][1] == '=HYPERLINK("http://x","y")'  # not neutralised here
    assert by_id["org:hostile"][1] == escape_controls(TRICKY)  # controls escaped, rest exact
    assert by_id["RUS"][-1] == "Actor\x1fCountry"
    assert by_id["other:thing"][-1] == "Actor"
    raw = (tmp_path / "neo4j" / "nodes.csv").read_text(encoding="utf-8")
    assert '"RUS","Russia","country","RUS",,' in raw  # empty list: empty unquoted field
    assert ',2,"doc-1",' in raw  # numbers are unquoted


def test_default_semicolon_delimiter_and_readme(tmp_path: Path) -> None:
    graph = sample_graph()
    graph.remove_node("org:hostile")
    assert neo4j.choose_array_delimiter(graph) == ";"
    neo4j.write_neo4j(graph, tmp_path)
    rows = _csv_rows(tmp_path / "neo4j" / "nodes.csv")
    assert {row[0]: row[-1] for row in rows[1:]}["person:keir-starmer"] == "Actor;Person"
    readme = (tmp_path / "neo4j" / "README.txt").read_text(encoding="utf-8")
    assert neo4j.neo4j_admin_command(array_delimiter=";") in readme
    assert '--array-delimiter=";"' in readme
    assert neo4j.cypher_shell_command() in readme
    assert "--array-delimiter=U+001F" in neo4j.neo4j_admin_command(array_delimiter="\x1f")


def test_pipe_then_unit_separator_then_error() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("A", aliases=["a;b"])
    assert neo4j.choose_array_delimiter(graph) == "|"
    graph.add_node("B", roles=["x|y"])
    assert neo4j.choose_array_delimiter(graph) == "\x1f"
    graph.add_node("C", docs=["p\x1fq"])  # written as p\x1fq, so U+001F stays free
    assert neo4j.choose_array_delimiter(graph) == "\x1f"
    assert '"p\\x1fq"' in neo4j.render_nodes_csv(graph)


def test_output_is_byte_identical_and_order_independent(tmp_path: Path) -> None:
    first = neo4j.write_neo4j(sample_graph(), tmp_path / "a")
    again = neo4j.write_neo4j(sample_graph(), tmp_path / "b")
    reverse = neo4j.write_neo4j(sample_graph(reverse=True), tmp_path / "c")
    for a, b, c in zip(first, again, reverse, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes()


def test_bad_values_raise_export_errors() -> None:
    graph = sample_graph()
    u, v, k = next(iter(graph.edges(keys=True)))
    graph.edges[u, v, k]["goldstein"] = float("nan")
    with pytest.raises(ExportError, match="NaN"):
        neo4j.render_relationships_csv(graph)
    with pytest.raises(ExportError, match="batch_size"):
        list(neo4j.iter_cypher_batches(sample_graph(), 0))
    graph = sample_graph()
    graph.nodes["RUS"]["mentions"] = "2"
    with pytest.raises(ExportError, match="not an integer"):
        neo4j.node_records(graph)


# --------------------------------------------------------------------------- spreadsheet CSV


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("-1", "-1"),
        ("-2.0", "-2.0"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        ("-1+1", "'-1+1"),
        ("-2.0 ", "'-2.0 "),
        (" -1", "' -1"),
        ("-", "'-"),
        ("-\u0661", "'-\u0661"),
        ("-1e", "'-1e"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("\u200b=1", "'\u200b=1"),
        ("\uff1d1", "'\uff1d1"),
        ("a=1", "a=1"),
        ("Keir Starmer", "Keir Starmer"),
        ("", ""),
    ],
)
def test_neutralise_formula(cell: str, expected: str) -> None:
    assert neutralise_formula(cell) == expected


def test_spreadsheet_table_is_neutralised_but_readable(tmp_path: Path) -> None:
    graph = sample_graph()
    (path,) = write_spreadsheet_csv(graph, tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == graph.number_of_edges() + 1
    for row in rows:
        for cell in row:
            assert neutralise_formula(cell) == cell or cell.startswith("'")
            assert cell[:1] not in {"=", "+", "-", "@", "\t", "\r"} or is_plain_number(cell)
    by_object = {row[rows[0].index("object_id")]: row for row in rows[1:]}
    assert by_object["other:thing"][rows[0].index("object")] == '\'=HYPERLINK("http://x","y")'
    hostile_edge = by_object["other:thing"]
    # not a trigger: kept exactly, but for its control characters
    assert hostile_edge[rows[0].index("relation")] == escape_controls(TRICKY)
    assert hostile_edge[rows[0].index("sentence")] == HOSTILE[0]


def test_spreadsheet_table_keeps_negative_scores_as_numbers(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="-1 Brigade")
    graph.add_node("b", label="B")
    graph.add_edge("a", "b", key="e-1", id="e-1", relation="attack", goldstein=-10.0)
    graph.add_edge("a", "b", key="e-2", id="e-2", relation="threaten", goldstein=-4.4)
    graph.add_edge("a", "b", key="e-3", id="e-3", relation="praise", goldstein=2.8)
    (path,) = write_spreadsheet_csv(graph, tmp_path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    column = rows[0].index("goldstein")
    scores = [row[column] for row in rows[1:]]
    assert scores == ["-10.0", "-4.4", "2.8"]
    assert sum(float(score) for score in scores) == pytest.approx(-11.6)
    # a label that only starts like a number is still text that a spreadsheet could run
    assert {row[rows[0].index("subject")] for row in rows[1:]} == {"'-1 Brigade"}


# --------------------------------------------------------------------------- control characters

#: NUL, escape, a C1 control, bidi override/embedding/isolate: none may reach a CSV file.
NASTY = "\x00\x1b[31m\x85\u202e\u202a\u2066\u2069"


def _nasty_graph() -> nx.MultiDiGraph:
    doc = f"doc{NASTY}-1"
    meta = {"title": f"t{NASTY}", "url": f"u{NASTY}", "published": None, "source": NASTY}
    graph = nx.MultiDiGraph(documents={doc: meta})
    graph.add_node(f"person:evil{NASTY}", label=f"Evil{NASTY}name", type="person", docs=[doc])
    graph.add_node("RUS", label="Russia", type="country", aliases=[f"a{NASTY}"], docs=[doc])
    provenance = [{"doc_id": doc, "sentence": f"Evil{NASTY} met Russia.", "span": [0, 9]}]
    graph.add_edge(
        f"person:evil{NASTY}",
        "RUS",
        key=f"e{NASTY}",
        id=f"e{NASTY}",
        relation="meet",
        quad_class=1,
        weight=1,
        speakers=[f"s{NASTY}"],
        provenance=provenance,
    )
    return graph


def test_control_characters_are_escaped_in_every_csv_and_they_still_load(
    tmp_path: Path,
) -> None:
    graph = _nasty_graph()
    neo4j.write_neo4j(graph, tmp_path / "out")
    write_spreadsheet_csv(graph, tmp_path / "out")
    folder = tmp_path / "out" / "neo4j"
    files = [
        *(folder / name for name in _FILES),
        tmp_path / "out" / "edges_table.csv",
    ]
    controls = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert not controls.search(text), path.name
    evil_id = escape_controls(f"person:evil{NASTY}")
    assert evil_id == "person:evil\\x00\\x1b[31m\\x85\\u202e\\u202a\\u2066\\u2069"
    raw = (tmp_path / "out" / "edges_table.csv").read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(raw, newline="")))
    row = dict(zip(table[0], table[1], strict=True))
    assert row["edge_id"].startswith("e\\x00")
    assert (row["subject_id"], row["doc_ids"]) == (evil_id, escape_controls(f"doc{NASTY}-1"))

    conn = _connect(tmp_path)
    node_cols = _kuzu_columns(neo4j.NODE_HEADER[:-1], arrays_as_text=True)
    _all(conn, f"CREATE NODE TABLE Actor({', '.join(node_cols)}, labels STRING, PRIMARY KEY(id))")
    rel_cols = _kuzu_columns(neo4j.RELATIONSHIP_HEADER[3:], arrays_as_text=True)
    _all(conn, f"CREATE REL TABLE REL(FROM Actor TO Actor, type STRING, {', '.join(rel_cols)})")
    options = "(HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', PARALLEL=false)"
    _all(conn, f"COPY Actor FROM '{folder / 'nodes.csv'}' {options}")
    _all(conn, f"COPY REL FROM '{folder / 'relationships.csv'}' {options}")
    assert _all(conn, "MATCH (a:Actor) RETURN a.id, a.label ORDER BY a.id") == [
        ["RUS", "Russia"],
        [evil_id, escape_controls(f"Evil{NASTY}name")],
    ]
    rels = _all(conn, "MATCH (s:Actor)-[r:REL]->(t:Actor) RETURN s.id, t.id, r.id, r.doc_ids")
    assert rels == [[evil_id, "RUS", escape_controls(f"e{NASTY}"), row["doc_ids"]]]
    (prov,) = _all(conn, "MATCH ()-[r:REL]->() RETURN r.provenance_json")[0]
    assert json.loads(prov)[0]["doc_id"] == f"doc{NASTY}-1"  # JSON escapes: decodes exactly
    articles = _csv_rows(folder / "articles.csv")
    assert articles[1] == [
        escape_controls(f"doc{NASTY}-1"),
        *map(escape_controls, [f"t{NASTY}", "", "", f"u{NASTY}", NASTY]),
        "Article",
    ]
    reports = _csv_rows(folder / "reports.csv")
    assert reports[1][:4] == [
        escape_controls(f"doc{NASTY}-1"),
        escape_controls(f"e{NASTY}"),
        "REPORTS",
        escape_controls(f"e{NASTY}") + "#1",  # no relation_id in this record: numbered
    ]
    assert reports[1][4] == escape_controls(f"Evil{NASTY} met Russia.")


# --------------------------------------------------------------------------- provenance queries

_OUTPUTS_MD = Path(__file__).resolve().parents[2] / "docs" / "OUTPUTS.md"


def _documented_queries() -> dict[str, str]:
    """The ``cypher`` blocks of docs/OUTPUTS.md, by the name on their first line."""
    text = _OUTPUTS_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"```cypher\n// query: (\w+)\n(.*?)```", text, flags=re.DOTALL)
    return {name: body.strip() for name, body in blocks}


def _loaded(tmp_path: Path, graph: nx.MultiDiGraph, rel_type: neo4j.RelTypeRule) -> Any:
    conn = _connect(tmp_path)
    _create_typed_schema(conn, graph, rel_type)
    for query, params in neo4j.iter_cypher_batches(graph, 3, dialect="kuzu", rel_type=rel_type):
        _all(conn, query, params)
    return conn


def _sources(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One flat row per provenance record, for the expected answers (plain Python)."""
    documents = graph.graph["documents"]
    rows = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        for p in data["provenance"]:
            rows.append(
                {
                    "edge": key,
                    "subject": graph.nodes[u]["label"],
                    "object": graph.nodes[v]["label"],
                    "relation": data["relation"],
                    "negated": data["negated"],
                    "modality": data["modality"],
                    "plover": data["plover"],
                    "doc": p["doc_id"],
                    "title": documents[p["doc_id"]]["title"],
                    "published": documents[p["doc_id"]]["published"],
                    "sentence": p["sentence"],
                    "start": p["span"][0],
                }
            )
    return rows


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


#: Sort keys, then the columns of the article_facts query.
_FACT_KEYS = ("start", "edge", "subject", "relation", "object", "negated", "modality", "sentence")


def test_the_documented_queries_are_the_ones_tested() -> None:
    assert sorted(_documented_queries()) == [
        "article_facts",
        "articles_reporting",
        "best_sourced",
        "events_per_date",
        "sources_of_a_type",
    ]


@pytest.mark.parametrize("rel_type", neo4j.REL_TYPE_RULES)
def test_documented_provenance_queries_answer_from_the_articles(
    tmp_path: Path, rel_type: neo4j.RelTypeRule
) -> None:
    graph = sample_graph()
    conn = _loaded(tmp_path, graph, rel_type)
    queries = _documented_queries()
    sources = _sources(graph)

    def run(name: str, **params: Any) -> list[tuple[Any, ...]]:
        return [tuple(_iso(v) for v in row) for row in _all(conn, queries[name], params)]

    # which articles report that Keir Starmer accused Russia: both sentences, exact text
    got = run("articles_reporting", subject="Keir Starmer", object="Russia", relation="accuse")
    expected = sorted(
        (s["published"], s["doc"], s["start"], s["title"], s["sentence"])
        for s in sources
        if (s["subject"], s["object"], s["relation"]) == ("Keir Starmer", "Russia", "accuse")
    )
    assert got == [(doc, title, day, sentence) for day, doc, _, title, sentence in expected]
    assert [row[3] for row in got] == ["Starmer accused Russia of stalling.", TRICKY]
    assert (
        run("articles_reporting", subject="Russia", object="Keir Starmer", relation="accuse") == []
    )

    got = run("sources_of_a_type")
    expected = sorted(
        (s["doc"], s["start"], s["subject"], s["object"], s["sentence"])
        for s in sources
        if s["relation"] == "accuse" and not s["negated"]
    )
    assert got == [(subj, obj, doc, sentence) for doc, _, subj, obj, sentence in expected]

    for article in ("doc-1", "doc-2"):
        got = run("article_facts", article=article)
        expected = sorted(tuple(s[k] for k in _FACT_KEYS) for s in sources if s["doc"] == article)
        assert got == [row[2:] for row in expected]
    assert (
        "United Kingdom",
        "meet",
        "Russia",
        True,
        "negated",
        "Britain did not meet Russia.",
    ) in (run("article_facts", article="doc-1"))
    assert run("article_facts", article="no-such-article") == []

    by_date: dict[Any, tuple[set[str], set[str]]] = {}
    for s in sources:
        docs, edges = by_date.setdefault(s["published"], (set(), set()))
        docs.add(s["doc"])
        edges.add(s["edge"])
    expected_dates = sorted(by_date, key=lambda d: (d is None, d or ""))
    assert run("events_per_date") == [
        (day, len(by_date[day][0]), len(by_date[day][1])) for day in expected_dates
    ]
    assert run("events_per_date")[0] == ("2025-05-15", 1, 3)

    backing: dict[str, tuple[str, set[str], int]] = {}
    for s in sources:
        relation, docs, count = backing.get(s["edge"], (s["relation"], set(), 0))
        backing[s["edge"]] = (relation, docs | {s["doc"]}, count + 1)
    expected_backing = sorted(
        ((edge, rel, len(docs), n) for edge, (rel, docs, n) in backing.items()),
        key=lambda r: (-r[2], -r[3], r[0]),
    )
    assert run("best_sourced") == expected_backing
    assert run("best_sourced")[0][3] == len(HOSTILE)


def test_articles_events_and_reports_count_the_graph(tmp_path: Path) -> None:
    graph = sample_graph()
    conn = _loaded(tmp_path, graph, "verb")
    documents = set(graph.graph["documents"])
    provenance = [p for _, _, d in graph.edges(data=True) for p in d["provenance"]]
    assert _all(conn, "MATCH (a:Article) RETURN count(a)") == [[len(documents)]]
    assert _all(conn, "MATCH (e:Event) RETURN count(e)") == [[graph.number_of_edges()]]
    assert _all(conn, "MATCH ()-[m:REPORTS]->() RETURN count(m)") == [[len(provenance)]]
    relation_ids = _all(conn, "MATCH ()-[m:REPORTS]->() RETURN m.relation_id")
    assert len({row[0] for row in relation_ids}) == len(provenance)  # unique ids
    # ids are unique in the files too (Kùzu's primary keys would refuse a repeat)
    for records in (neo4j.article_records(graph), neo4j.event_records(graph)):
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids))
    article = _all(
        conn,
        "MATCH (a:Article {id: 'doc-2'}) RETURN a.title, a.date, a.published, a.url, a.source",
    )
    assert article == [[TRICKY, None, None, "http://x/?a=1&b=2", "b.jsonl:2"]]


def test_an_article_only_an_actor_names_is_a_node_without_metadata() -> None:
    graph = sample_graph()
    graph.nodes["RUS"]["docs"] = ["doc-1", "doc-9"]
    graph.graph["documents"]["doc-1"]["published"] = "2025-05"  # not a whole date
    records = {r["id"]: r for r in neo4j.article_records(graph)}
    assert sorted(records) == ["doc-1", "doc-2", "doc-9"]
    assert records["doc-9"] == {
        "id": "doc-9",
        "title": None,
        "date": None,
        "published": None,
        "url": None,
        "source": None,
    }
    assert (records["doc-1"]["date"], records["doc-1"]["published"]) == (None, "2025-05")


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda g: g.graph.update(documents=["doc-1"]), "not a dict of doc id"),
        (lambda g: g.graph["documents"].update({"doc-1": "x"}), "not a dict with title"),
        (lambda g: _first_provenance(g).update(span=[1]), r"not \[start, end\]"),
        (lambda g: _first_provenance(g).update(confidence="high"), "not a number"),
    ],
)
def test_bad_article_and_report_values_raise_before_anything_is_written(
    tmp_path: Path, mutate: Any, fragment: str
) -> None:
    graph = sample_graph()
    mutate(graph)
    with pytest.raises(ExportError, match=fragment):
        neo4j.write_neo4j(graph, tmp_path)
    assert not (tmp_path / "neo4j").exists() or not list((tmp_path / "neo4j").iterdir())


def _first_provenance(graph: nx.MultiDiGraph) -> dict[str, Any]:
    _, _, data = min(graph.edges(data=True), key=lambda e: e[2]["id"])
    item: dict[str, Any] = data["provenance"][0]
    return item


def test_two_edges_with_one_id_cannot_become_two_events(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key="k1", id="e-1", relation="meet")
    graph.add_edge("c", "d", key="k2", id="e-1", relation="meet")
    with pytest.raises(ExportError, match="edge id 'e-1' is used by two edges"):
        neo4j.write_neo4j(graph, tmp_path)


# --------------------------------------------------------------------------- PLOVER types


def test_plover_types_with_the_verb_kept_as_a_property(tmp_path: Path) -> None:
    graph = sample_graph()
    paths = neo4j.write_neo4j(graph, tmp_path, rel_type="plover")
    rows = _csv_rows(tmp_path / "neo4j" / "relationships.csv")
    by_relation = {row[4]: row[2] for row in rows[1:]}  # relation -> :TYPE
    assert by_relation == {
        "accuse": "ACCUSE",
        "close": "REDUCE",
        "meet": "RELATED_TO",
        escape_controls(TRICKY): "RELATED_TO",
        "встретить": "RELATED_TO",
    }
    events = _csv_rows(tmp_path / "neo4j" / "events.csv")
    assert {row[2]: row[1] for row in events[1:]} == by_relation  # Event.type is the same
    readme = paths[-1].read_text(encoding="utf-8")
    assert "Actor relationship types are PLOVER types" in readme
    assert "--neo4j-rel-type plover" in readme
    # the default is unchanged: the verb
    neo4j.write_neo4j(graph, tmp_path / "verb")
    rows = _csv_rows(tmp_path / "verb" / "neo4j" / "relationships.csv")
    assert {row[4]: row[2] for row in rows[1:]}["close"] == "CLOSE"
    verb_readme = (tmp_path / "verb" / "neo4j" / "README.txt").read_text(encoding="utf-8")
    assert "the relation lemma in upper snake case" in verb_readme


def test_plover_types_load_into_kuzu_and_stay_queryable(tmp_path: Path) -> None:
    graph = sample_graph()
    conn = _loaded(tmp_path, graph, "plover")
    related = _all(
        conn, "MATCH (s:Actor)-[r:RELATED_TO]->(o:Actor) RETURN r.relation ORDER BY r.relation"
    )
    assert [row[0] for row in related] == sorted(["meet", TRICKY, "встретить"])
    reduced = _all(conn, "MATCH (s:Actor)-[r:REDUCE]->(o:Actor) RETURN s.id, r.relation, r.plover")
    assert reduced == [["GBR", "close", "REDUCE"]]
    _assert_typed_graph_loaded_types(conn, graph, "plover")
    _assert_provenance_loaded(conn, graph, "plover")


def _assert_typed_graph_loaded_types(
    conn: Any, graph: nx.MultiDiGraph, rel_type: neo4j.RelTypeRule
) -> None:
    rows = _all(conn, "MATCH (:Actor)-[r]->(:Actor) RETURN r.id, label(r)")
    assert dict(map(tuple, rows)) == {
        key: neo4j.choose_relationship_type(d["relation"], d["plover"], rel_type)
        for _, _, key, d in graph.edges(keys=True, data=True)
    }


@pytest.mark.parametrize(
    ("plover", "expected"),
    [
        ("SANCTION", "SANCTION"),
        ("CONSULT", "CONSULT"),
        (None, "RELATED_TO"),
        ("", "RELATED_TO"),
        ("mobilize", "MOBILIZE"),
        ("`]->() DETACH DELETE n //", "DETACH_DELETE_N"),
    ],
)
def test_plover_relationship_type(plover: str | None, expected: str) -> None:
    assert neo4j.choose_relationship_type("close", plover, "plover") == expected
    assert neo4j.choose_relationship_type("close", plover, "verb") == "CLOSE"
    assert re.fullmatch(r"[A-Z][A-Z0-9_]*", expected)


def test_every_plover_category_is_its_own_type() -> None:
    from geokg.events import PLOVER_CATEGORIES

    for category in PLOVER_CATEGORIES:
        assert neo4j.choose_relationship_type("x", category, "plover") == category


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ExportError, match="use one of verb, plover"):
        neo4j.write_neo4j(sample_graph(), "unused", rel_type="cameo")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match="rel_type"):
        list(neo4j.iter_cypher_batches(sample_graph(), rel_type="x"))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- in a build


def test_a_build_gives_its_rel_type_to_the_neo4j_exporter_only(tmp_path: Path) -> None:
    # (and the page its number of actors: each exporter gets only its own options)
    from geokg.checkpoint import options_state
    from geokg.errors import ConfigError
    from geokg.options import BuildOptions
    from geokg.report import exporter_options, write_exports

    options = BuildOptions(neo4j_rel_type="plover")
    assert exporter_options(options) == {
        "neo4j": {"rel_type": "plover"},
        "html": {"max_nodes": 300, "max_edges": 10_000},
    }
    assert options_state(options)["neo4j_rel_type"] == "plover"  # --resume keeps it
    files = write_exports(
        sample_graph(), tmp_path, ["neo4j", "graphml"], options=exporter_options(options)
    )
    assert {p.name for p in files} >= {"relationships.csv", "reports.csv", "graph.graphml"}
    rows = _csv_rows(tmp_path / "neo4j" / "relationships.csv")
    assert {row[2] for row in rows[1:]} == {"ACCUSE", "REDUCE", "RELATED_TO"}
    assert BuildOptions().neo4j_rel_type == "verb"
    with pytest.raises(ConfigError, match="neo4j_rel_type must be one of verb, plover"):
        BuildOptions(neo4j_rel_type="cameo")


@pytest.mark.model
def test_the_sample_build_has_an_article_per_document_and_a_report_per_source(
    sample_build: Any, tmp_path: Path
) -> None:
    from geokg.options import BuildOptions
    from geokg.report import confident_graph, min_confidence_of

    shown, _, _ = confident_graph(sample_build.graph, min_confidence_of(BuildOptions()))
    script = (sample_build.out_dir / "neo4j" / "import.cypher").read_text(encoding="utf-8")
    conn = _connect(tmp_path)
    _create_typed_schema(conn, shown)
    for query, params in _script_batches(script):
        _all(conn, _neo4j_to_kuzu(query), params)
    documents = sample_build.graph.graph["documents"]
    articles = _all(conn, "MATCH (a:Article) RETURN a.id, a.title, a.date, a.source, a.url")
    assert len(articles) == len(documents) == sample_build.report["graph"]["documents"]
    for doc_id, title, day, source, url in articles:
        meta = documents[doc_id]
        assert (title, source, url) == (meta["title"], meta["source"], meta["url"])
        assert (day.isoformat() if day else None) == meta["published"]
    provenance = [p for _, _, d in shown.edges(data=True) for p in d["provenance"]]
    assert provenance
    assert _all(conn, "MATCH ()-[m:REPORTS]->() RETURN count(m)") == [[len(provenance)]]
    assert _all(conn, "MATCH (e:Event) RETURN count(e)") == [[shown.number_of_edges()]]
    _assert_provenance_loaded(conn, shown)
    # every row of triples.jsonl with an actor object on a shown edge is one REPORTS
    ids = {row[0] for row in _all(conn, "MATCH ()-[m:REPORTS]->() RETURN m.relation_id")}
    assert ids == {p["relation_id"] for p in provenance}


def test_the_readme_queries_run_on_the_loaded_graph(tmp_path: Path) -> None:
    graph = sample_graph()
    paths = neo4j.write_neo4j(graph, tmp_path / "out")
    readme = paths[-1].read_text(encoding="utf-8")
    for name in [*_FILES, "import.cypher"]:
        assert name in readme
    assert neo4j.neo4j_admin_command(array_delimiter="\x1f") in readme
    queries = re.findall(r"(?<=\n\n)((?:    MATCH .*\n)(?:    .*\n)*)", readme)
    assert len(queries) == 2
    conn = _loaded(tmp_path, graph, "verb")
    concrete = [
        q.replace("'Poland'", "'Keir Starmer'").replace("'DOC-ID'", "'doc-1'") for q in queries
    ]
    accused = _all(conn, concrete[0])
    assert sorted((row[0], row[1], row[4]) for row in accused) == [
        ("Russia", "A <b>title</b>", sentence)
        for sentence in sorted(["Starmer accused Russia of stalling.", TRICKY])
    ]
    said = _all(conn, concrete[1])
    assert len(said) == sum(
        1 for _, _, d in graph.edges(data=True) for p in d["provenance"] if p["doc_id"] == "doc-1"
    )
    assert ["United Kingdom", "meet", "Russia", True, "Britain did not meet Russia."] in said


def test_the_main_readme_query_runs_on_the_loaded_graph(tmp_path: Path) -> None:
    text = (_OUTPUTS_MD.parents[1] / "README.md").read_text(encoding="utf-8")
    (query,) = re.findall(r"```cypher\n(.*?)```", text, flags=re.DOTALL)
    conn = _loaded(tmp_path, sample_graph(), "verb")
    rows = _all(conn, query.replace("'Poland'", "'Keir Starmer'"))
    assert sorted(row[3] for row in rows) == sorted(["Starmer accused Russia of stalling.", TRICKY])
    assert {(row[0], _iso(row[1]), row[2]) for row in rows} == {
        ("A <b>title</b>", "2025-05-15", None)
    }


# --------------------------------------------------------------------------- one walk


def _varied_graph(seed: int, *, item_delimiters: str = "") -> nx.MultiDiGraph:
    """A graph with many relationship types, repeated documents, provenance records without a
    document, and (``item_delimiters``) array items holding candidate delimiters."""
    import random

    rng = random.Random(seed)
    graph = nx.MultiDiGraph(
        documents={
            f"d{i}": {"title": f"T{i}", "published": f"2025-05-0{i % 9 + 1}"} for i in range(4)
        }
    )
    actors = [f"A{i}" for i in range(9)]
    for n, actor in enumerate(actors):
        aliases = [f"alias {n}"] + (
            [f"x{item_delimiters[0]}y"] if item_delimiters and n == 3 else []
        )
        graph.add_node(
            actor,
            label=actor,
            type=("person", "country", "other")[n % 3],
            aliases=aliases,
            docs=[f"d{n % 6}"],
            mentions=n,
        )
    verbs = ["accuse", "meet", "praise", "sanction", "step up", "visit", "warn"]
    for e in range(60):
        u, v = rng.choice(actors), rng.choice(actors)
        eid = f"e-{e:03d}-{rng.randrange(1000)}"
        provenance = [
            {
                "relation_id": f"r{e}-{k}",
                "doc_id": None if k == 2 else f"d{rng.randrange(7)}",
                "sentence": f'Sentence {e}.{k}; with "quotes" and \\ a backslash',
                "span": [k, k + 9],
                "date": "2025-05-15",
                "speaker": rng.choice([None, "A1"]),
                "confidence": 0.5,
                "rule": rng.choice(["svo.active", "svo.passive_agent"]),
            }
            for k in range(rng.randrange(1, 4))
        ]
        speakers = ["A1"]
        if item_delimiters[1:] and e == 41:
            speakers.append(f"p{item_delimiters[1:]}q")
        graph.add_edge(
            u,
            v,
            key=eid,
            id=eid,
            relation=rng.choice(verbs),
            weight=len(provenance),
            plover=rng.choice([None, "ACCUSE", "CONSULT"]),
            dates=["2025-05-15"],
            speakers=speakers,
            provenance=provenance,
        )
    return graph


def _rendered(graph: nx.MultiDiGraph, batch_size: int, rel_type: Any) -> dict[str, str]:
    delimiter = neo4j.choose_array_delimiter(graph)
    return {
        "nodes.csv": neo4j.render_nodes_csv(graph, array_delimiter=delimiter),
        "relationships.csv": neo4j.render_relationships_csv(
            graph, array_delimiter=delimiter, rel_type=rel_type
        ),
        "articles.csv": neo4j.render_articles_csv(graph),
        "events.csv": neo4j.render_events_csv(graph, rel_type=rel_type),
        "event_actors.csv": neo4j.render_event_actors_csv(graph),
        "reports.csv": neo4j.render_reports_csv(graph),
        "import.cypher": neo4j.render_import_cypher(graph, batch_size, rel_type=rel_type),
        "README.txt": neo4j.neo4j_readme(array_delimiter=delimiter, rel_type=rel_type),
    }


@pytest.mark.parametrize(
    ("batch_size", "rel_type", "item_delimiters", "delimiter"),
    [
        (1, "verb", "", ";"),
        (2, "plover", "", ";"),
        (3, "verb", ";", "|"),  # an actor's alias rules ';' out before the walk
        (7, "verb", ";|", "\x1f"),  # and an edge's speaker '|' during it: written again
        (500, "plover", "|;", "\x1f"),
        (500, "verb", "", ";"),
    ],
)
def test_the_one_walk_writes_what_the_render_functions_give(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_size: int,
    rel_type: Any,
    item_delimiters: str,
    delimiter: str,
) -> None:
    graph = _varied_graph(batch_size, item_delimiters=item_delimiters)
    assert neo4j.choose_array_delimiter(graph) == delimiter
    types = {
        neo4j.choose_relationship_type(d["relation"], d["plover"], rel_type)
        for _, _, d in graph.edges(data=True)
    }
    assert len(types) >= 3
    expected = _rendered(graph, batch_size, rel_type)
    # batches that fill and end part way; groups' files closed and opened again
    monkeypatch.setattr(neo4j, "_OPEN_FILES", 2)
    paths = neo4j.write_neo4j(graph, tmp_path, batch_size=batch_size, rel_type=rel_type)
    assert [p.name for p in paths] == list(expected)
    for path in paths:
        assert path.read_text(encoding="utf-8") == expected[path.name], path.name
    assert sorted(p.name for p in (tmp_path / "neo4j").iterdir()) == sorted(expected)


def test_a_failed_walk_leaves_the_earlier_files(tmp_path: Path) -> None:
    graph = _varied_graph(5)
    paths = neo4j.write_neo4j(graph, tmp_path)
    before = {p.name: p.read_bytes() for p in paths}
    broken = _varied_graph(6)
    _, _, data = max(broken.edges(data=True), key=lambda e: e[2]["id"])  # the walk's last edge
    data["provenance"][0]["span"] = [1]
    with pytest.raises(ExportError, match=r"not \[start, end\]"):
        neo4j.write_neo4j(broken, tmp_path)
    assert {p.name: p.read_bytes() for p in (tmp_path / "neo4j").iterdir()} == before
