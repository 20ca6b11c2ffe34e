"""SPARQL runner: both engines, every file format, the example queries in docs/queries."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import networkx as nx
import pytest

from geokg.errors import ConfigError, InputError
from geokg.exports import rdf
from geokg.query import (
    ENGINES,
    QueryResult,
    check_query,
    format_csv,
    format_json,
    format_result,
    format_table,
    load_dataset,
    query_dataset,
    read_query,
    run_query,
)

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "docs" / "queries"

# rdflib 7's parsers and SPARQL evaluator call its own deprecated APIs; geokg.query silences
# those around its calls, and these filters cover rdflib use inside the tests themselves.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]


def _load_sample() -> ModuleType:
    name = "geokg_tests_rdf_sample"
    if name in sys.modules:
        return sys.modules[name]
    path = ROOT / "tests" / "exports" / "_rdf_sample.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sample = _load_sample()


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return sample.build_sample()


@pytest.fixture(scope="module")
def files(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rdf")
    return {
        "ttl": rdf.write_turtle(graph, out / "graph.ttl"),
        "trig": rdf.write_trig(graph, out / "graph.trig"),
        "nq": rdf.write_nquads(graph, out / "graph.nq"),
        "jsonld": rdf.write_jsonld(graph, out / "graph.jsonld"),
    }


Rows = list[tuple[str | None, ...]]


def _edge_sources(graph: nx.MultiDiGraph) -> Rows:
    docs = graph.graph["documents"]
    rows: Rows = []
    for _, _, key, data in graph.edges(keys=True, data=True):
        for rec in data["provenance"]:
            title = docs[rec["doc_id"]]["title"]
            rows.append(
                (key, data["relation"], rec["relation_id"], rec["sentence"], rec["doc_id"], title)
            )
    return sorted(rows, key=lambda r: (r[0], r[2]))


def _actor_roles(graph: nx.MultiDiGraph) -> Rows:
    return sorted(
        (attrs["label"], attrs["type"], role)
        for _, attrs in graph.nodes(data=True)
        for role in attrs["roles"]
    )


SIKORSKI = "Radosław Sikorski"

# Expected rows of each example query on the sample graph, worked out from _rdf_sample.py by
# hand (or, for the two queries that list every sentence or role, from the graph itself).
EXPECTED: dict[str, object] = {
    "who_accused_whom.rq": [
        (sample.HOSTILE_LABEL, "Poland"),
        ("Keir Starmer", "Vladimir Putin"),
        ("Poland", "Russia"),
        ("Russia", "Poland"),
    ],
    "russia_conflict_events.rq": [
        ("2025-05-10", "Russia", "step up", "Poland", "4", "asserted"),
        ("2025-05-12", "Poland", "accuse", "Russia", "3", "reported"),
        ("2025-05-13", "Russia", "accuse", "Poland", "3", "asserted"),
        ("2025-05-14", "Poland", "accuse", "Russia", "3", "reported"),
        ("2025-05-14", "Poland", "close", "Russian consulate in Kraków", "4", "asserted"),
        ("2025-05-15", "Keir Starmer", "accuse", "Vladimir Putin", "3", "asserted"),
        ("2025-05-15", "Vladimir Putin", "attack", "Poland", "4", "hypothetical"),
    ],
    "edge_sources.rq": _edge_sources,
    "actor_roles.rq": _actor_roles,
    "top_cooperation_pairs.rq": [
        ("Poland", "United Kingdom", "2", "2"),
        ("Keir Starmer", SIKORSKI, "1", "1"),
    ],
    "top_conflict_pairs.rq": [
        ("Poland", "Russia", "3", "4"),
        ("Keir Starmer", "Vladimir Putin", "1", "1"),
        ("Poland", "Russian consulate in Kraków", "1", "1"),
    ],
    "hedged_statements.rq": [
        ("Poland", "accuse", "Russia", "false", "reported", SIKORSKI),
        ("Vladimir Putin", "attack", "Poland", "false", "hypothetical", "Keir Starmer"),
        ("Vladimir Putin", "meet", "Keir Starmer", "true", "negated", None),
    ],
    "plover_counts.rq": [
        ("ACCUSE", "3"),
        ("CONSULT", "3"),
        ("ASSAULT", "2"),
        ("AID", "1"),
        ("REDUCE", "1"),
    ],
    "timeline.rq": [
        ("2025-05-10", "1", "1"),
        ("2025-05-12", "1", "1"),
        ("2025-05-13", "2", "1"),
        ("2025-05-14", "2", "2"),
        ("2025-05-15", "5", "2"),
    ],
    "wikidata_actors.rq": [
        ("Poland", "http://www.wikidata.org/entity/Q36"),
        ("Russia", "http://www.wikidata.org/entity/Q159"),
        ("United Kingdom", "http://www.wikidata.org/entity/Q145"),
        ("Vladimir Putin", "http://www.wikidata.org/entity/Q7747"),
    ],
    "events_per_document.rq": [
        ("d2", sample.DOCS["d2"]["title"], "6"),
        ("d1", "Consulate closure row", "4"),
        ("doc 3/é", None, "2"),
    ],
}
NAMED_GRAPH_QUERIES = {"events_per_document.rq"}


def _expected(name: str, graph: nx.MultiDiGraph) -> Rows:
    value = EXPECTED[name]
    rows = value(graph) if callable(value) else value
    assert isinstance(rows, list)
    return rows


def test_the_query_pack_has_at_least_eight_queries_each_with_expectations() -> None:
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert len(names) >= 8
    assert set(names) == set(EXPECTED)
    assert (QUERIES / "README.md").is_file()
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert name in readme, f"{name} is not described in docs/queries/README.md"


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("engine", ENGINES)
def test_example_query_gives_expected_rows(
    name: str, engine: str, graph: nx.MultiDiGraph, files: dict[str, Path]
) -> None:
    sparql = read_query(QUERIES / name)
    expected = _expected(name, graph)
    assert expected  # every query returns something on the sample
    result = run_query(files["trig"], sparql, engine=engine)  # type: ignore[arg-type]
    assert result.rows == expected
    assert len(result.columns) == len(expected[0])
    for fmt in ("nq", "ttl", "jsonld"):
        other = run_query(files[fmt], sparql, engine=engine)  # type: ignore[arg-type]
        assert other.columns == result.columns
        if name in NAMED_GRAPH_QUERIES and fmt in {"ttl", "jsonld"}:
            assert other.rows == []  # no named graphs in Turtle and JSON-LD
        else:
            assert other.rows == expected, fmt


@pytest.mark.parametrize("engine", ENGINES)
def test_a_store_loaded_once_answers_every_query_like_run_query(
    engine: str, graph: nx.MultiDiGraph, files: dict[str, Path]
) -> None:
    store = load_dataset(files["trig"], engine=engine)  # type: ignore[arg-type]
    for name in sorted(EXPECTED):
        assert query_dataset(store, read_query(QUERIES / name)).rows == _expected(name, graph)
    with pytest.raises(ConfigError, match="unknown SPARQL engine"):
        load_dataset(files["trig"], engine="virtuoso")  # type: ignore[arg-type]


def test_engines_agree_on_numbers_dates_and_unbound_values(files: dict[str, Path]) -> None:
    sparql = """
    SELECT ?id ?goldstein ?confidence ?quad ?date ?speaker WHERE {
      ?e a gkg:Event ; schema:identifier ?id ; gkg:confidence ?confidence .
      OPTIONAL { ?e gkg:goldstein ?goldstein }
      OPTIONAL { ?e gkg:quadClass ?quad }
      OPTIONAL { ?e gkg:date ?date }
      OPTIONAL { ?e gkg:speaker ?speaker }
    } ORDER BY ?id ?date
    """
    ox_rows = run_query(files["ttl"], sparql).rows
    assert ox_rows == run_query(files["ttl"], sparql, engine="rdflib").rows
    values = {v for row in ox_rows for v in row}
    assert {"-2.0", "-10.0", "0.95", "3", "2025-05-15", None} <= values
    e3 = sample.edge_ids()["e3"]
    assert [r[4] for r in ox_rows if r[0] == e3] == ["2025-05-12", "2025-05-14"]


def test_ask_and_construct_give_the_same_answer_on_both_engines(files: dict[str, Path]) -> None:
    ask = "ASK { ?a rel:accuse ?t . ?t gkg:countryCode 'RUS' }"
    no = "ASK { ?a rel:meet ?t . ?a schema:identifier 'person:vladimir-putin' }"
    construct = "CONSTRUCT { ?a rel:accusedBy ?b } WHERE { ?b rel:accuse ?a }"
    for engine in ENGINES:
        assert run_query(files["trig"], ask, engine=engine) == QueryResult(
            columns=["ask"], rows=[("true",)]
        )
        assert run_query(files["trig"], no, engine=engine).rows == [("false",)]
    ox_result = run_query(files["trig"], construct)
    assert ox_result == run_query(files["trig"], construct, engine="rdflib")
    assert ox_result.columns == ["subject", "predicate", "object"]
    assert len(ox_result.rows) == 4
    assert ox_result.rows == sorted(ox_result.rows, key=lambda r: tuple(x or "" for x in r))


def test_graph_queries_see_one_document_each(files: dict[str, Path]) -> None:
    sparql = (
        "SELECT ?sentence WHERE { GRAPH <" + rdf.doc_iri("doc 3/é") + "> "
        "{ ?m gkg:sentence ?sentence } } ORDER BY ?sentence"
    )
    for fmt in ("trig", "nq"):
        rows = run_query(files[fmt], sparql).rows
        assert rows == run_query(files[fmt], sparql, engine="rdflib").rows
        assert len(rows) == 2
        assert rows[1][0] is not None
        assert rows[1][0].startswith('say "hi"')


def test_several_files_load_into_one_dataset(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    other = nx.MultiDiGraph(documents={})
    other.add_node("FRA", label="France", type="country", wikidata="Q142")
    paths = [
        rdf.write_turtle(graph, tmp_path / "a.ttl"),
        rdf.write_jsonld(other, tmp_path / "b.jsonld"),
    ]
    q = read_query(QUERIES / "wikidata_actors.rq")
    for engine in ENGINES:
        rows = run_query(paths, q, engine=engine).rows
        assert ("France", "http://www.wikidata.org/entity/Q142") in rows
        assert len(rows) == 5


# Formats ---------------------------------------------------------------------------------------

RESULT = QueryResult(
    columns=["who", "what"],
    rows=[("Poland", 'say "hi", then\nleave'), ("\x1b[31mred", None)],
)


def test_csv_round_trips() -> None:
    parsed = list(csv.reader(io.StringIO(format_csv(RESULT))))
    assert parsed[0] == RESULT.columns
    assert parsed[1:] == [["Poland", 'say "hi", then\nleave'], ["\x1b[31mred", ""]]


def test_json_round_trips() -> None:
    data = json.loads(format_json(RESULT))
    assert data == {"columns": ["who", "what"], "rows": [list(r) for r in RESULT.rows]}


def test_table_is_aligned_one_line_per_row_and_escapes_controls() -> None:
    lines = format_table(RESULT).split("\n")
    assert len(lines) == 2 + len(RESULT.rows)
    assert lines[0].startswith("who")
    assert set(lines[1]) <= {"-", "+"}
    assert "\x1b" not in format_table(RESULT)
    assert "\\x1b[31mred" in lines[3]
    assert 'say "hi", then\\nleave' in lines[2]
    assert lines[2].index("|") == lines[0].index("|") == lines[1].index("+")


def test_format_result_dispatches_and_rejects_unknown_formats() -> None:
    assert format_result(RESULT, "csv") == format_csv(RESULT)
    assert format_result(RESULT, "json") == format_json(RESULT)
    assert format_result(RESULT, "table") == format_table(RESULT)
    with pytest.raises(ConfigError, match="unknown output format 'xml'"):
        format_result(RESULT, "xml")


# Errors ----------------------------------------------------------------------------------------


def test_errors_say_what_to_fix(tmp_path: Path, files: dict[str, Path]) -> None:
    with pytest.raises(InputError, match=r"unknown RDF file suffix '\.rdf'"):
        run_query(tmp_path / "x.rdf", "ASK {}")
    with pytest.raises(InputError, match="no such file"):
        run_query(tmp_path / "missing.ttl", "ASK {}")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    for engine in ENGINES:
        with pytest.raises(InputError, match="cannot parse it as RDF"):
            run_query(bad, "ASK {}", engine=engine)
        with pytest.raises(ConfigError, match="SPARQL syntax error"):
            run_query(files["ttl"], "SELEKT ?x WHERE {}", engine=engine)
    with pytest.raises(ConfigError, match="unknown SPARQL engine 'jena'"):
        run_query(files["ttl"], "ASK {}", engine="jena")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="no RDF file"):
        run_query([], "ASK {}")
    with pytest.raises(InputError, match="no such query file"):
        read_query(tmp_path / "nope.rq")
    assert read_query("ASK {}") == "ASK {}"


@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_prefix_is_one_line_with_its_position(files: dict[str, Path], engine: str) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s a gkg:Actor ;\n     foo:bar ?o }"
    proc = subprocess.run(
        [sys.executable, "-m", "geokg", "query", "--engine", engine, str(files["ttl"]), query],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "geokg: error: SPARQL syntax error at line 4, column 6: unknown prefix foo: declare it "
        "with PREFIX foo: <...> or use a built-in one (" + ", ".join(sorted(rdf.PREFIXES)) + "); "
        "fix the query"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_syntax_error_gives_the_parsers_line_and_column(
    files: dict[str, Path], engine: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        run_query(files["ttl"], "SELECT ?s\nWHERE { ?s ?p ?o } GROUP", engine=engine)
    assert str(caught.value) == (
        "SPARQL syntax error at line 2, column 20: Expected end of text, found 'GROUP'; fix the query"
    )


def test_unknown_prefix_inside_service_is_placed_and_refused() -> None:
    # oxigraph is only asked where its parser stops (a line that cannot parse is appended)
    with pytest.raises(ConfigError, match=r"at line 1, column 40: unknown prefix nope:"):
        check_query("SELECT * WHERE { SERVICE <http://x/> { nope:a ?p ?o } }")
