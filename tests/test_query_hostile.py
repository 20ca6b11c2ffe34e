"""`geokg query` reads only the graph it was given, in bounded time and memory (issue 17).

Each refused form runs against a local HTTP listener that must see no request, and a local file
whose content must never reach the output.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from geokg.cli import cli
from geokg.errors import ConfigError
from geokg.query import (
    ENGINES,
    QueryError,
    QueryTimeoutError,
    check_query,
    format_result,
    run_query,
    stream_query,
)

SECRET = "SECRET-7f3a-must-never-appear"
LEAK = "LEAK-9c1e-from-the-listener"
CROSS3 = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CROSS4 = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
REFUSED = "reads only the graph files it was given"


class _Listener(http.server.ThreadingHTTPServer):
    requests: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers every request with a Turtle triple and a SPARQL JSON result naming LEAK."""

    def _answer(self) -> None:
        assert isinstance(self.server, _Listener)
        self.server.requests.append(f"{self.command} {self.path}")
        if "json" in (self.headers.get("Accept") or "") or self.command == "POST":
            body = (
                '{"head": {"vars": ["s"]}, "results": {"bindings": '
                '[{"s": {"type": "literal", "value": "' + LEAK + '"}}]}}'
            ).encode()
            kind = "application/sparql-results+json"
        else:
            body = f'<urn:x> <urn:y> "{LEAK}" .\n'.encode()
            kind = "text/turtle"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener(("127.0.0.1", 0), _Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    """A tiny graph: ten actors, each with a label."""
    lines = ["@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    lines += [f'<urn:actor:{i}> rdfs:label "actor {i}" .' for i in range(10)]
    path = tmp_path / "graph.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def big_graph(tmp_path: Path) -> Path:
    """300 triples: a three-way cross product has 27 million rows, a four-way one 8.1e9."""
    path = tmp_path / "big.ttl"
    path.write_text(
        "".join(f'<urn:s:{i}> <urn:p:{i % 7}> "v{i}" .\n' for i in range(300)), encoding="utf-8"
    )
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.ttl"
    path.write_text(f'<urn:s> <urn:p> "{SECRET}" .\n', encoding="utf-8")
    return path


def _query(*args: str) -> Result:
    return CliRunner().invoke(cli, ["query", *args])


def _assert_one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("geokg: error:")]
    assert len(errors) == 1, result.stderr
    for text in expected:
        assert text in errors[0], errors[0]


def _network_attacks(url: str) -> dict[str, str]:
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-nested": (
            "SELECT ?x WHERE { ?x ?p ?o OPTIONAL { SELECT ?x WHERE { "
            f"SERVICE # a comment\n <{url}/s> {{ ?x ?q ?r }} }} }} }}"
        ),
        "service-variable": (
            f"SELECT * WHERE {{ BIND(<{url}/v> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}"
        ),
        "from": f"SELECT ?o FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}",
        "from-named": f"SELECT ?o FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "construct-from": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/c.ttl> WHERE {{ ?s ?p ?o }}",
        "ask-service": f"ASK {{ SERVICE <{url}/a> {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{url}/l.ttl>",
        "load-into": f"LOAD SILENT <{url}/l.ttl> INTO GRAPH <urn:g>",
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("attack", sorted(_network_attacks("http://h")))
def test_network_forms_are_refused_and_send_no_request(
    attack: str, engine: str, graph: Path, listener: _Listener
) -> None:
    url = f"http://127.0.0.1:{listener.server_address[1]}"
    result = _query(str(graph), _network_attacks(url)[attack], "--engine", engine)
    _assert_one_line_error(result, REFUSED)
    assert LEAK not in result.output
    assert listener.requests == []
    with pytest.raises(ConfigError, match=REFUSED):
        run_query(graph, _network_attacks(url)[attack], engine=engine)  # type: ignore[arg-type]
    assert listener.requests == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "template",
    [
        "SELECT ?o FROM <{uri}> WHERE {{ ?s ?p ?o }}",
        "SELECT ?o FROM NAMED <{uri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT ?o FROM <{uri}> FROM NAMED <{uri}> WHERE {{ {{ ?s ?p ?o }} UNION "
        "{{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
        "DESCRIBE ?s FROM <{uri}> WHERE {{ ?s ?p ?o }}",
        "LOAD <{uri}>",
    ],
)
def test_a_local_file_named_in_the_query_is_never_read(
    template: str, engine: str, graph: Path, secret: Path
) -> None:
    sparql = template.format(uri=secret.resolve().as_uri())
    result = _query(str(graph), sparql, "--engine", engine, "--format", "csv")
    _assert_one_line_error(result, REFUSED)
    assert SECRET not in result.output
    with pytest.raises(ConfigError, match=REFUSED):
        run_query(graph, sparql, engine=engine)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP DEFAULT", "DROP"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("ADD DEFAULT TO <urn:g>", "ADD"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
        ("MOVE DEFAULT TO <urn:g>", "MOVE"),
        ("CLEAR ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }", "CLEAR, INSERT DATA"),
    ],
)
def test_every_update_form_is_refused_by_name(
    sparql: str, form: str, engine: str, graph: Path
) -> None:
    before = graph.read_bytes()
    result = _query(str(graph), sparql, "--engine", engine)
    _assert_one_line_error(result, f"SPARQL Update ({form})", REFUSED)
    assert graph.read_bytes() == before


def test_the_check_reads_the_algebra_not_the_text() -> None:
    # The words in strings, comments and IRIs are no clauses; a \u-escaped keyword still is.
    check_query("SELECT ?s WHERE { ?s ?p 'SERVICE <http://x/> FROM <file:///etc/passwd>' }")
    check_query("# SERVICE <http://x/> LOAD <http://x/>\nASK { <urn:FROM> ?p ?o }")
    with pytest.raises(ConfigError, match="SERVICE <http://x/>"):
        check_query("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }")
    with pytest.raises(ConfigError, match="SPARQL syntax error"):
        check_query("SELECT ?x WHERE {")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cross_product_stops_at_the_default_limit_with_a_note(
    engine: str, big_graph: Path
) -> None:
    start = time.monotonic()
    result = _query(str(big_graph), CROSS3, "--engine", engine, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert sorted(lines[0].split(",")) == list("abcdefghi")  # rdflib orders SELECT * freely
    assert len(lines) == 1 + 10_000
    assert "stopped after 10,000 rows (--limit 10000)" in result.stderr
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("engine", ENGINES)
def test_limit_keeps_n_rows_and_zero_keeps_all(engine: str, graph: Path) -> None:
    sparql = "SELECT ?l WHERE { ?a ?p ?l } ORDER BY ?l"
    three = _query(str(graph), sparql, "--engine", engine, "--format", "csv", "--limit", "3")
    assert three.exit_code == 0, three.output
    assert three.stdout.splitlines() == ["l", "actor 0", "actor 1", "actor 2"]
    assert "stopped after 3 rows (--limit 3)" in three.stderr
    every = _query(str(graph), sparql, "--engine", engine, "--format", "csv", "--limit", "0")
    assert every.exit_code == 0
    assert len(every.stdout.splitlines()) == 11
    assert every.stderr == ""
    exact = _query(str(graph), sparql, "--engine", engine, "--limit", "10")
    assert exact.exit_code == 0
    assert exact.stderr == ""  # ten rows fit a limit of ten: nothing was left out
    construct = "CONSTRUCT { ?a <urn:named> ?l } WHERE { ?a ?p ?l }"
    two = _query(str(graph), construct, "--engine", engine, "--format", "csv", "--limit", "2")
    assert len(two.stdout.splitlines()) == 3
    assert "stopped after 2 rows" in two.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_a_query_past_its_timeout_is_stopped_with_one_line(engine: str, big_graph: Path) -> None:
    start = time.monotonic()
    result = _query(str(big_graph), CROSS4, "--engine", engine, "--timeout", "1")
    elapsed = time.monotonic() - start
    _assert_one_line_error(result, "ran longer than 1 s and was stopped", "--timeout")
    assert elapsed < 20  # one second of query, the rest is starting the worker on a busy box
    with pytest.raises(QueryTimeoutError), stream_query(big_graph, CROSS4, timeout=1) as rows:
        list(rows)


def test_rows_stream_out_before_the_query_ends(big_graph: Path) -> None:
    # No row limit: the three-way cross product never finishes in a second, yet rows come out.
    result = _query(str(big_graph), CROSS3, "--format", "csv", "--limit", "0", "--timeout", "2")
    _assert_one_line_error(result, "ran longer than 2 s")
    assert len(result.stdout.splitlines()) > 10_000


@pytest.mark.parametrize("engine", ENGINES)
def test_memory_is_capped(engine: str, big_graph: Path) -> None:
    ordered = CROSS3 + " ORDER BY ?i ?f ?c"
    result = _query(
        str(big_graph), ordered, "--engine", engine, "--max-memory", "400", "--timeout", "120"
    )
    _assert_one_line_error(result, "--max-memory")


@pytest.mark.parametrize(
    ("engine", "sparql", "cause"),
    [
        (
            "oxigraph",
            "SELECT (<urn:no-such-function>(1) AS ?y) WHERE {}",
            "oxigraph could not run the query: RuntimeError",
        ),
        (
            "rdflib",
            "SELECT ?l WHERE { ?a ?p ?l FILTER(REGEX(?l, '(')) }",
            "rdflib could not run the query: error: missing )",
        ),
    ],
)
def test_engine_errors_are_one_line(engine: str, sparql: str, cause: str, graph: Path) -> None:
    _assert_one_line_error(_query(str(graph), sparql, "--engine", engine), cause)
    with pytest.raises(QueryError, match=cause.split(": ", maxsplit=1)[0]):
        run_query(graph, sparql, engine=engine)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("engine", ENGINES)
def test_streamed_output_is_the_formatted_result(fmt: str, engine: str, graph: Path) -> None:
    sparql = "SELECT ?a ?l ?none WHERE { ?a ?p ?l OPTIONAL { ?a <urn:x> ?none } } ORDER BY ?l"
    result = _query(str(graph), sparql, "--engine", engine, "--format", fmt)
    assert result.exit_code == 0, result.output
    expected = format_result(run_query(graph, sparql, engine=engine), fmt)  # type: ignore[arg-type]
    assert result.stdout == expected
    assert "actor 9" in result.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_a_graph_file_with_a_remote_jsonld_context_sends_no_request(
    engine: str, tmp_path: Path, listener: _Listener
) -> None:
    url = f"http://127.0.0.1:{listener.server_address[1]}/context.jsonld"
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": "{url}", "@id": "urn:a", "name": "x"}}', encoding="utf-8")
    result = _query(str(path), "SELECT * WHERE { ?s ?p ?o }", "--engine", engine)
    _assert_one_line_error(result, str(path), "cannot parse it as RDF")
    assert listener.requests == []


def test_an_unreadable_query_file_is_one_line(tmp_path: Path, graph: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"\xff\xfeSELECT")
    _assert_one_line_error(_query(str(graph), str(bad)), "bad.rq: cannot read the query")
