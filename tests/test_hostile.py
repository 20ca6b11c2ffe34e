"""Hostile input end to end through ``geokg build``: every document accounted for, no injection.

Two parts:

* the bad-input corpus of ``tests/ingest/badinputs.py`` through the CLI: one clear warning line
  per problem, an entry in report.json for each, counts that add up, the documented exit codes;
* articles whose actors' names and sentences carry HTML, Cypher, spreadsheet, Turtle and IRI
  payloads, right-to-left overrides and backslashes, built for real: each output gives the text
  back as data, exactly (or, for the spreadsheet table, neutralised as documented).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from geokg import parse
from geokg.cli import cli
from geokg.exports.csvsafe import (
    FORMULA_TRIGGERS,
    escape_controls,
    is_plain_number,
    neutralise_formula,
)
from geokg.exports.graphfiles import read_graphml, xml_safe
from geokg.exports.html import MAX_SOURCES
from geokg.exports.rdf import actor_iri
from geokg.graph.assemble import load_graph
from geokg.ingest import iter_documents
from geokg.pipeline import BuildOptions, build
from geokg.report import one_line

pytestmark = pytest.mark.model


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TESTS = Path(__file__).resolve().parent
badinputs = _load("geokg_tests_hostile_badinputs", TESTS / "ingest" / "badinputs.py")

#: A file name that would move the cursor and colour a terminal if printed raw.
EVIL_NAME = "evil\x1b[2J\x1b[31mname\u202e.txt"


# --------------------------------------------------------------------------- bad inputs


def _bad_corpus(root: Path) -> tuple[dict[str, str], list[str]]:
    expected: dict[str, str] = badinputs.make_bad_corpus(root)
    # a missing path stops the build before it starts (test_cli); the rest never do
    del expected[badinputs.MISSING]
    (root / EVIL_NAME).write_bytes(b"")
    expected[EVIL_NAME] = "skip: empty"
    files = sorted({key.split(":")[0] for key in expected})
    return expected, [str(root / name) for name in files]


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory, model_name: str) -> Any:
    root = tmp_path_factory.mktemp("bad")
    expected, inputs = _bad_corpus(root / "in")
    out = root / "out"
    result = _run(["build", *inputs, "-o", str(out), "--model", model_name, "--no-progress"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return root / "in", expected, inputs, result, report


@pytest.mark.slow
def test_bad_inputs_every_document_accounted_for(bad_run: Any) -> None:
    root, expected, _, result, report = bad_run
    assert result.exit_code == 0, result.output
    docs = report["documents"]
    assert docs["read"] + docs["skipped"] == len(expected)  # every input document
    assert docs["built"] == docs["read"]
    assert "failed" not in docs
    assert len(report["skipped"]) == docs["skipped"]
    prefix = f"{root}/"
    skipped: dict[str, list[str]] = {}
    for entry in report["skipped"]:
        skipped.setdefault(entry["source"].removeprefix(prefix), []).append(entry["reason"])
    warned: dict[str, list[str]] = {}
    for entry in report["warnings"]:
        warned.setdefault(entry["source"].removeprefix(prefix), []).append(entry["reason"])
    for source, want in sorted(expected.items()):
        kind, _, keyword = want.partition(": ")
        if kind == "skip":
            assert len(skipped.get(source, [])) == 1, (source, skipped.get(source))
            assert keyword in skipped[source][0], (source, skipped[source])
        else:
            assert source not in skipped, source
        if kind == "warn":
            assert any(keyword in reason for reason in warned.get(source, [])), source
    assert set(skipped) <= set(expected)
    built = load_graph(root.parent / "out" / "graph.geokg.json").graph["documents"]
    assert len(built) == docs["built"]


@pytest.mark.slow
def test_bad_inputs_each_get_one_clear_warning_line(bad_run: Any) -> None:
    root, _, _, result, report = bad_run
    lines = result.stderr.splitlines()
    assert all(line.startswith("geokg: ") for line in lines), lines
    for entry in report["skipped"]:
        want = f"geokg: skipped {one_line(entry['source'])}: {entry['reason']}"
        assert lines.count(want) == 1, want
    for entry in report["warnings"]:
        want = f"geokg: warning: {one_line(entry['source'])}: {entry['reason']}"
        assert want in lines, want
    # JSONL problems name the file and the line.
    assert any(
        line.startswith(f"geokg: skipped {root}/cases.jsonl:2: invalid JSON") for line in lines
    )
    # A hostile file name is shown escaped: no raw escape or bidi character reaches the terminal.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", result.stderr)
    assert r"evil\x1b[2J\x1b[31mname\u202e.txt: empty" in result.stderr
    # report.json keeps the real name.
    assert any(e["source"] == str(root / EVIL_NAME) for e in report["skipped"])


@pytest.mark.slow
def test_strict_fails_when_anything_was_skipped(
    bad_run: Any, model_name: str, tmp_path: Path
) -> None:
    root, _, _, _, _ = bad_run
    inputs = [str(root / name) for name in ("utf8_bom.txt", "empty.txt", "cases.jsonl")]
    args = ["-o", str(tmp_path / "o"), "--model", model_name, "--export", "turtle"]
    assert _run(["build", *inputs, *args]).exit_code == 0
    result = _run(["build", *inputs, *args, "--strict"])
    assert result.exit_code == 3
    assert "skipped and --strict is set" in result.stderr


def test_nothing_readable_fails_with_a_clear_message(tmp_path: Path, model_name: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": \n[1, 2]\n', encoding="utf-8")
    inputs = [str(tmp_path / "empty.txt"), str(tmp_path / "bad.jsonl")]
    result = _run(["build", *inputs, "-o", str(tmp_path / "o"), "--model", model_name])
    assert result.exit_code == 1
    assert "no document could be read" in result.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == {"read": 0, "skipped": 3, "built": 0}
    sources = sorted(e["source"].removeprefix(f"{tmp_path}/") for e in report["skipped"])
    assert sources == ["bad.jsonl:1", "bad.jsonl:2", "empty.txt"]


def test_limits_are_configurable_and_reported(tmp_path: Path, model_name: str) -> None:
    long = " ".join(["Poland criticised Russia over the tariffs and the border posts"] * 6)
    (tmp_path / "long.txt").write_text(f"Long\n\n{long}.\n\nPoland met Russia.\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("Big\n\n" + "Poland met Russia. " * 40, encoding="utf-8")
    size = (tmp_path / "big.txt").stat().st_size
    assert (tmp_path / "long.txt").stat().st_size < 600 < size
    args = ["build", str(tmp_path / "long.txt"), str(tmp_path / "big.txt")]
    args += ["-o", str(tmp_path / "o"), "--model", model_name, "--export", "turtle"]
    result = _run([*args, "--max-bytes", "600", "--max-sentence-chars", "300"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == [
        {"source": str(tmp_path / "big.txt"), "reason": f"too large ({size} bytes > limit 600)"}
    ]
    assert report["sentences_too_long"] == 1
    [warning] = report["warnings"]
    assert "limit max_sentence_chars=300" in warning["reason"]
    assert f"geokg: skipped {tmp_path / 'big.txt'}: too large" in result.stderr
    assert "limit max_sentence_chars=300" in result.stderr
    again = _run(args)  # the default limits take both
    assert again.exit_code == 0
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert (report["documents"]["built"], report["sentences_too_long"]) == (2, 0)


def test_a_document_the_extractors_fail_on_is_skipped_not_fatal(
    tmp_path: Path, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "c.jsonl"
    texts = ["Poland criticised Russia.", "France met Germany.", "Spain urged Italy to act."]
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )

    class Flaky(parse.DocExtraction):
        def add(self, offset: int, sdoc: Any) -> None:
            if self.doc.id == "d1":
                raise RuntimeError("simulated extractor bug")
            super().add(offset, sdoc)

    monkeypatch.setattr(parse, "DocExtraction", Flaky)
    # `geokg build` parses in a fresh process, which would not see the patch: parse here (the
    # same parse_documents the process runs).
    monkeypatch.setattr(
        parse,
        "parse_in_child",
        lambda inputs, out, options, **kw: parse.parse_documents(
            inputs, out, options, stdin=None, **kw
        ),
    )
    args = ["build", str(corpus), "-o", str(tmp_path / "o"), "--model", model_name]
    result = _run([*args, "--export", "turtle"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == {"read": 3, "skipped": 0, "built": 2, "failed": 1}
    [entry] = report["skipped"]
    assert entry["source"] == f"{corpus}:2"
    assert "extraction failed (RuntimeError: simulated extractor bug)" in entry["reason"]
    assert f"geokg: skipped {corpus}:2: extraction failed" in result.stderr
    assert "2 documents built, 1 skipped" in result.stdout
    assert _run([*args, "--export", "turtle", "--strict"]).exit_code == 3


# --------------------------------------------------------------------------- hostile articles

#: Payloads for every output format. Zero-width characters are left out on purpose: ingest
#: removes them from article text (the graph-level tests in tests/test_fuzz.py and
#: tests/exports/ carry them through every exporter).
PAYLOADS: dict[str, str] = {
    "script": "<script>window.__pwned=1</script>",
    "img": '"><img src=x onerror=window.__pwned=1>',
    "cypher": "'}) DETACH DELETE n //",
    "formula": '=HYPERLINK("http://x","y")',
    "cmd": "@cmd|' /C calc'!A0",
    "turtle": '""" ;] ;@prefix x: <http://evil/> \\u0022 <x> #',
    "iri": "<http://a b>{}|^`\\",
    "rtl": "\u202eevil\u202c",
    "backslash": "C:\\new\\table \\",
}
#: The parts of each payload that must reach some sentence of the graph whole (the parser ends
#: sentences inside some payloads: after the "'})" of the Cypher one, at ";]" in the Turtle one).
CORE: dict[str, tuple[str, ...]] = {
    **{key: (payload,) for key, payload in PAYLOADS.items()},
    "cypher": ("DETACH DELETE n //",),
    "turtle": ('"""', "\\u0022 <x> #"),
}
#: Characters that break naive HTML, Cypher, CSV, Turtle or IRI writers.
DANGEROUS = set("\"'<>\\{}|^`@=\u202e")


def _hostile_corpus(path: Path) -> Path:
    lines = []
    for key, payload in PAYLOADS.items():
        text = "\n\n".join(
            [
                f"Poland accused Russia of lying {payload} on Monday.",
                f"Jan Kowalski{payload} criticised Germany over the tariffs.",
                f"Germany accused Jan{payload}Nowak of fraud.",
                f"The {payload} Party urged France to act.",
            ]
        )
        record = {"id": f"h-{key}", "title": f"{payload} title", "date": "2025-05-15"}
        record |= {"url": "javascript:window.__pwned=1", "text": text}
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, model_name: str) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = _hostile_corpus(root / "hostile.jsonl")
    # every edge in the exports (min_confidence 0): the exports are checked against the graph
    options = BuildOptions(model=model_name, progress=False, min_confidence=0.0)
    build([str(corpus)], root / "out", options=options)
    return corpus, root / "out"


def _graph(out: Path) -> nx.MultiDiGraph:
    return load_graph(out / "graph.geokg.json")


def _sentences(g: nx.MultiDiGraph) -> set[str]:
    return {p["sentence"] for *_, d in g.edges(data=True) for p in d["provenance"]}


def test_hostile_text_reaches_the_graph(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    g = _graph(out)
    sentences = _sentences(g)
    for key, cores in CORE.items():
        for core in cores:
            assert any(core in s for s in sentences), (key, core)
    labels = [str(d["label"]) for _, d in g.nodes(data=True)]
    in_labels = {c for label in labels for c in label} & DANGEROUS
    assert len(in_labels) >= 5, in_labels  # names carry payload characters, not only sentences
    titles = {d["title"] for d in g.graph["documents"].values()}
    assert titles == {f"{p} title" for p in PAYLOADS.values()}


def test_triples_keep_the_exact_sentence_of_the_text(hostile: tuple[Path, Path]) -> None:
    corpus, out = hostile
    texts = {d.id: d.text for d in iter_documents([corpus])}
    rows = [json.loads(x) for x in (out / "triples.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 2 * len(PAYLOADS)
    for row in rows:
        start, end = row["span"]
        assert texts[row["doc_id"]][start:end] == row["sentence"]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._buf = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buf)))
            self._script = None


def test_html_page_keeps_article_text_as_data(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    page = (out / "graph.html").read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(page)
    parser.close()
    for payload in PAYLOADS.values():
        if set(payload) & set("<>&"):
            assert payload not in page  # markup only ever present escaped
    assert [tag for tag, _ in parser.elements].count("script") == 3
    for tag, attrs in parser.elements:
        assert tag not in {"img", "svg", "iframe", "object", "embed"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    [block] = [text for attrs, text in parser.scripts if attrs.get("id") == "geokg-data"]
    assert not set(block) & {"<", ">", "&"}
    data = json.loads(block)
    g = _graph(out)
    assert {n["id"]: n["label"] for n in data["nodes"]} == {
        n: d["label"] for n, d in g.nodes(data=True)
    }
    shown = {p["sentence"] for e in data["edges"] for p in e["geokg"]["provenance"]}
    assert shown <= _sentences(g)
    sources = {k: len(d["provenance"]) for *_, k, d in g.edges(keys=True, data=True)}
    for e in data["edges"]:  # the first MAX_SOURCES sources of each edge, the rest counted
        assert e["geokg"]["sources"] == sources[e["id"]]
        assert len(e["geokg"]["provenance"]) == min(MAX_SOURCES, sources[e["id"]])
    assert all(d["url"] is None for d in data["documents"].values())  # javascript: dropped
    assert "javascript:" not in block


@pytest.mark.browser
def test_html_page_runs_no_injected_script_in_a_browser(hostile: tuple[Path, Path]) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(f"{chromium} is missing; install Debian's chromium (make browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    _, out = hostile
    g = _graph(out)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            dialogs: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto((out / "graph.html").as_uri())
            page.wait_for_timeout(50)
            for _ in range(200):
                if page.evaluate("() => window.geokg && window.geokg.ready === true"):
                    break
                page.wait_for_timeout(25)
            for node in sorted(g.nodes):
                page.evaluate("id => geokg.showNode(id, true)", node)
                shown = page.evaluate("document.getElementById('details').textContent")
                assert g.nodes[node]["label"] in shown
            for *_, key in sorted(g.edges(keys=True)):
                page.evaluate("id => geokg.showEdge(id, true)", key)
            page.fill("#search", "<img")
            page.wait_for_timeout(100)
            assert page.evaluate("window.__pwned") is None
            assert page.evaluate("document.querySelectorAll('[onerror], img[src=x]').length") == 0
            assert (
                page.evaluate("document.querySelectorAll('#details img, #details svg').length") == 0
            )
            assert page.evaluate("document.querySelectorAll('script').length") == 3
            assert errors == []
            assert dialogs == []
            assert all(url.startswith("file:") for url in requests), requests
        finally:
            browser.close()


_BIDI_JSON = {c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def test_cypher_import_loads_the_exact_strings_into_kuzu(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    kuzu = pytest.importorskip("kuzu")
    from tests.exports.test_neo4j import _create_typed_schema, _neo4j_to_kuzu, _script_batches

    _, out = hostile
    g = _graph(out)
    script = (out / "neo4j" / "import.cypher").read_text(encoding="utf-8")
    statements = re.sub(r"(?m)^:param .*$", "", script)
    for payload in PAYLOADS.values():
        assert payload not in statements  # values travel as parameters, never as query text
    conn = kuzu.Connection(kuzu.Database(str(tmp_path / "kuzu.db")))

    def rows(query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        result = conn.execute(query, params or {})
        found = []
        while result.has_next():
            found.append(result.get_next())
        return found

    _create_typed_schema(conn, g)
    for query, params in _script_batches(script):
        rows(_neo4j_to_kuzu(query), params)
    labels = dict(rows("MATCH (a:Actor) RETURN a.id, a.label"))
    assert labels == {n: d["label"] for n, d in g.nodes(data=True)}
    titles = dict(rows("MATCH (a:Article) RETURN a.id, a.title"))
    assert titles == {doc: meta["title"] for doc, meta in g.graph["documents"].items()}
    sentences = rows("MATCH (:Article)-[m:REPORTS]->(:Event) RETURN m.relation_id, m.sentence")
    assert dict(sentences) == {
        p["relation_id"]: p["sentence"] for *_, d in g.edges(data=True) for p in d["provenance"]
    }
    loaded = rows("MATCH (:Actor)-[r]->(:Actor) RETURN r.id, r.provenance_json")
    assert len(loaded) == g.number_of_edges()
    by_key = {k: d for *_, k, d in g.edges(keys=True, data=True)}
    for key, prov in loaded:
        assert json.loads(prov) == by_key[key]["provenance"]
    for core in (c for cores in CORE.values() for c in cores):
        hits = rows(
            "MATCH (:Actor)-[r]->(:Actor) WHERE contains(r.provenance_json, $p) RETURN r.id",
            # provenance_json writes bidi controls as JSON \u escapes
            {"p": json.dumps(core, ensure_ascii=False)[1:-1].translate(_BIDI_JSON)},
        )
        assert hits, core


def test_neo4j_csvs_are_exact_and_the_spreadsheet_table_is_neutralised(
    hostile: tuple[Path, Path],
) -> None:
    _, out = hostile
    g = _graph(out)
    with (out / "neo4j" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.reader(fh))
    label_col = nodes[0].index("label")
    assert {r[0]: r[label_col] for r in nodes[1:]} == {
        escape_controls(n): escape_controls(d["label"]) for n, d in g.nodes(data=True)
    }
    raw = (out / "edges_table.csv").read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw, newline="")))
    header = table[0]
    assert len(table) == g.number_of_edges() + 1
    for row in table[1:]:
        for cell in row:
            assert cell[:1] not in FORMULA_TRIGGERS or is_plain_number(cell)
            assert neutralise_formula(cell) in (cell, "'" + cell)
        for side in ("subject", "object"):
            labels = {escape_controls(n): d["label"] for n, d in g.nodes(data=True)}
            label = labels[row[header.index(f"{side}_id")]]
            assert row[header.index(side)] == neutralise_formula(escape_controls(label))
    # the payloads sit inside labels and sentences here, so no cell starts with one; the Goldstein
    # scores of "accuse" and "criticise" are negative and stay numbers a spreadsheet can sum
    scores = [row[header.index("goldstein")] for row in table[1:]]
    assert any(score.startswith("-") for score in scores)
    assert all(is_plain_number(score) for score in scores if score)


def test_rdf_literals_and_iris_round_trip(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    g = _graph(out)
    ttl = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    for name, fmt in (("graph.nq", ox.RdfFormat.N_QUADS), ("graph.trig", ox.RdfFormat.TRIG)):
        quads = list(ox.parse(path=str(out / name), format=fmt))
        assert {(q.subject, q.predicate, q.object) for q in quads}
    ox_ttl = {
        (q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    }
    assert len(ox_ttl) == len(ttl)
    jsonld = {
        (q.subject, q.predicate, q.object)
        for q in ox.parse(path=str(out / "graph.jsonld"), format=ox.RdfFormat.JSON_LD)
    }
    assert jsonld == ox_ttl
    label = ox.NamedNode(str(rdflib.RDFS.label))
    for node, data in g.nodes(data=True):
        iri = rdflib.URIRef(actor_iri(node))
        assert str(ttl.value(iri, rdflib.RDFS.label)) == data["label"]
        assert (ox.NamedNode(str(iri)), label, ox.Literal(data["label"])) in jsonld
    literals = {str(o) for o in ttl.objects() if isinstance(o, rdflib.Literal)}
    assert _sentences(g) <= literals


def test_graphml_round_trips_the_names(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    g = _graph(out)
    back = read_graphml(out / "graph.graphml")
    assert {n: d["label"] for n, d in back.nodes(data=True)} == {
        n: xml_safe(d["label"]) for n, d in g.nodes(data=True)
    }
    assert {p["sentence"] for *_, d in back.edges(data=True) for p in d["provenance"]} == {
        xml_safe(s) for s in _sentences(g)
    }
