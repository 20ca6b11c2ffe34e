"""Hypothesis properties: arbitrary Unicode through the whole pipeline, exporter round trips of
arbitrary names and sentences, and merging that is idempotent and independent of order.

Each property runs a few dozen examples in the default suite; the same properties run 10,000
examples (1,000 for the exporter round trip, which writes every format and loads Kùzu per
example) under the ``fuzz`` marker, outside the default suite::

    .venv/bin/python -m pytest tests/test_fuzz.py -m fuzz -q
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geokg.exports import EXPORTERS
from geokg.exports.csvsafe import escape_controls, neutralise_formula
from geokg.exports.graphfiles import read_gexf, read_graphml, read_node_link, xml_safe
from geokg.exports.rdf import actor_iri
from geokg.graph.assemble import add_document, add_fact, merge_graphs, new_graph
from geokg.ingest import IngestReport, iter_documents
from geokg.model import Actor, Event, stable_id

LONG = 10_000


@pytest.fixture(autouse=True)
def _long_runs_only_when_asked(request: pytest.FixtureRequest) -> None:
    """Keep the long runs out of any selection that does not ask for ``fuzz`` by name."""
    if request.node.get_closest_marker("fuzz") is None:
        return
    expr = str(request.config.getoption("markexpr") or "")
    if "fuzz" not in expr or "not fuzz" in expr:
        pytest.skip("the long fuzz run: select it with -m fuzz")


def _long(max_examples: int = LONG) -> Callable[[Any], Any]:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


_SHORT = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Arbitrary Unicode (no lone surrogates: no UTF-8 input can hold one), plus news-like text.
_words = st.sampled_from(
    ["Poland", "Russia", "accused", "met", "the", "minister", "Mr", "said", ".", ",", "\n\n", "'"]
)
_text = st.text(max_size=300) | st.lists(_words | st.text(max_size=8), max_size=60).map(" ".join)
_name = st.text(min_size=1, max_size=40).filter(lambda s: bool(s.strip()))


# --------------------------------------------------------------------------- whole pipeline


@pytest.fixture(scope="module")
def nlp(model_name: str) -> Any:
    from geokg.nlp import load_model

    return load_model(model_name)


def _through_pipeline(nlp: Any, text: str, title: str) -> None:
    from geokg.pipeline import build_graph

    line = json.dumps({"id": "fuzz", "title": title, "text": text}, ensure_ascii=False)
    report = IngestReport()
    docs = list(iter_documents(["-"], report=report, stdin=io.StringIO(line + "\n")))
    plain = list(iter_documents(["-"], stdin=io.StringIO(text)))
    assert report.documents_read + report.documents_skipped == 1
    rows: list[dict[str, Any]] = []
    g = build_graph([*docs, *plain], nlp=nlp, on_rows=rows.extend)
    texts = {d.id: d.text for d in [*docs, *plain]}
    for row in rows:
        start, end = row["span"]
        assert texts[row["doc_id"]][start:end] == row["sentence"]
    kept = sum(len(d["provenance"]) for *_, d in g.edges(data=True))
    assert kept <= len(rows)


@pytest.mark.model
@_SHORT
@given(text=_text, title=st.text(max_size=30))
def test_arbitrary_text_through_the_pipeline_never_raises(nlp: Any, text: str, title: str) -> None:
    _through_pipeline(nlp, text, title)


@pytest.mark.model
@pytest.mark.fuzz
@_long()
@given(text=_text, title=st.text(max_size=30))
def test_long_fuzz_arbitrary_text_through_the_pipeline(nlp: Any, text: str, title: str) -> None:
    _through_pipeline(nlp, text, title)


def test_jsonl_lone_surrogate_escape_does_not_crash_ingest() -> None:
    line = '{"id": "s", "text": "Poland accused Jan\\udc00Nowak of fraud \\ud83d today."}\n'
    report = IngestReport()
    docs = list(iter_documents(["-"], report=report, stdin=io.StringIO(line)))
    assert report.documents_read + report.documents_skipped == 1
    assert all("\ufffd" in d.text for d in docs)
    assert report.documents_read == 1
    assert any("lone surrogate" in w["reason"] for w in report.warnings)


# --------------------------------------------------------------------------- exporters


def _graph(names: list[str], sentence: str, relation: str, title: str) -> nx.MultiDiGraph:
    g = new_graph()
    add_document(g, "d1", {"title": title, "published": None, "source": title, "url": None})
    actors = [Actor(id=f"x:{k}", label=name, type="organisation") for k, name in enumerate(names)]
    actors.append(Actor(id="RUS", label="Russia", type="country", country="RUS"))
    for k, actor in enumerate(actors[:-1]):
        add_fact(
            g,
            actor,
            actors[-1],
            relation=relation if k == 0 else "accuse",
            negated=False,
            modality="asserted",
            event=Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
            subject_alias=sentence[:20] or None,
            provenance={
                "relation_id": stable_id("r", k, sentence),
                "doc_id": "d1",
                "sentence": sentence,
                "span": [0, len(sentence)],
                "date": None,
                "speaker": None,
                "confidence": 0.9,
                "extractor": "svo.v1",
                "model": "fuzz",
            },
        )
    return merge_graphs(g)


def _check_exports(g: nx.MultiDiGraph, names: list[str], sentence: str, kuzu_check: bool) -> None:
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name in EXPORTERS.names():
            EXPORTERS.get(name)(g, out)
        # RDF: Turtle with rdflib; Turtle, N-Quads, TriG and JSON-LD with Oxigraph.
        ttl = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
        for node, label in labels.items():
            assert str(ttl.value(rdflib.URIRef(actor_iri(node)), rdflib.RDFS.label)) == label
        assert sentence in {str(o) for o in ttl.objects() if isinstance(o, rdflib.Literal)}
        triples = None
        for file, fmt in (
            ("graph.ttl", ox.RdfFormat.TURTLE),
            ("graph.nq", ox.RdfFormat.N_QUADS),
            ("graph.trig", ox.RdfFormat.TRIG),
            ("graph.jsonld", ox.RdfFormat.JSON_LD),
        ):
            got = {
                (q.subject, q.predicate, q.object)
                for q in ox.parse(path=str(out / file), format=fmt)
            }
            assert triples is None or got == triples, file
            triples = got
        # GraphML, GEXF and node-link JSON read back (XML cannot hold some control characters).
        for read, safe in (
            (read_graphml, xml_safe),
            (read_gexf, xml_safe),
            (read_node_link, lambda s: s),
        ):
            back = read(
                out
                / {read_graphml: "graph.graphml", read_gexf: "graph.gexf"}.get(read, "graph.json")
            )
            assert {n: d["label"] for n, d in back.nodes(data=True)} == {
                n: safe(label) for n, label in labels.items()
            }
        # HTML: the data block gives every name and sentence back exactly.
        page = (out / "graph.html").read_text(encoding="utf-8")
        start = page.index('<script type="application/json" id="geokg-data">') + 48
        block = page[start : page.index("</script>", start)]
        assert not set(block) & {"<", ">", "&"}
        data = json.loads(block)
        assert {n["id"]: n["label"] for n in data["nodes"]} == labels
        assert {p["sentence"] for e in data["edges"] for p in e["geokg"]["provenance"]} == {
            sentence
        }
        # Neo4j CSV: exact values; spreadsheet table: neutralised as documented.
        with (out / "neo4j" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        col = rows[0].index("label")
        assert {r[0]: r[col] for r in rows[1:]} == {
            escape_controls(k): escape_controls(v) for k, v in labels.items()
        }
        raw = (out / "edges_table.csv").read_bytes().decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(raw, newline="")))
        header = table[0]
        for row in table[1:]:
            by_id = {escape_controls(k): v for k, v in labels.items()}
            assert row[header.index("subject")] == neutralise_formula(
                escape_controls(by_id[row[header.index("subject_id")]])
            )
            assert row[header.index("sentence")] == neutralise_formula(escape_controls(sentence))
        if kuzu_check:
            _check_kuzu(g, out, labels, sentence)


def _check_kuzu(g: nx.MultiDiGraph, out: Path, labels: dict[str, str], sentence: str) -> None:
    kuzu = pytest.importorskip("kuzu")
    from tests.exports.test_neo4j import _create_typed_schema, _neo4j_to_kuzu, _script_batches

    with tempfile.TemporaryDirectory() as tmp:
        conn = kuzu.Connection(kuzu.Database(str(Path(tmp) / "db")))

        def rows(query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
            result = conn.execute(query, params or {})
            found = []
            while result.has_next():
                found.append(result.get_next())
            return found

        _create_typed_schema(conn, g)
        script = (out / "neo4j" / "import.cypher").read_text(encoding="utf-8")
        for query, params in _script_batches(script):
            rows(_neo4j_to_kuzu(query), params)
        assert dict(rows("MATCH (a:Actor) RETURN a.id, a.label")) == labels
        sentences = rows("MATCH (:Actor)-[r]->(:Actor) RETURN r.sentence")
        assert sentences == [[sentence]] * g.number_of_edges()
        reported = rows("MATCH (:Article)-[m:REPORTS]->(:Event) RETURN m.sentence")
        assert reported == [[sentence]] * sum(len(d["provenance"]) for *_, d in g.edges(data=True))
        titles = dict(rows("MATCH (a:Article) RETURN a.id, a.title"))
        assert titles == {doc: meta["title"] for doc, meta in g.graph["documents"].items()}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_name, min_size=1, max_size=3), sentence=_name, relation=_name, title=_name)
def test_every_exporter_round_trips_arbitrary_names_and_sentences(
    names: list[str], sentence: str, relation: str, title: str
) -> None:
    g = _graph(names, sentence, relation, title)
    _check_exports(g, names, sentence, kuzu_check=True)


@pytest.mark.fuzz
@_long(1_000)
@given(names=st.lists(_name, min_size=1, max_size=3), sentence=_name, relation=_name, title=_name)
def test_long_fuzz_every_exporter_round_trips(
    names: list[str], sentence: str, relation: str, title: str
) -> None:
    g = _graph(names, sentence, relation, title)
    _check_exports(g, names, sentence, kuzu_check=True)


# --------------------------------------------------------------------------- merging

_fact = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["a", "b", "c"]),
    _name,  # relation
    st.booleans(),
    _name,  # label
    _name,  # sentence
    st.sampled_from(["d1", "d2"]),
)


def _from_facts(facts: list[tuple[str, str, str, bool, str, str, str]]) -> nx.MultiDiGraph:
    g = new_graph()
    for subject, obj, relation, negated, label, sentence, doc in facts:
        if subject == obj:
            continue
        add_document(g, doc, {"title": f"title of {doc}"})  # one document, one title
        add_fact(
            g,
            Actor(id=subject, label=label, type="person"),
            Actor(id=obj, label=obj.upper(), type="country"),
            relation=relation,
            negated=negated,
            modality="negated" if negated else "asserted",
            event=None,
            subject_alias=label,
            provenance={
                "relation_id": stable_id("r", doc, sentence, relation),
                "doc_id": doc,
                "sentence": sentence,
                "span": [0, len(sentence)],
                "date": None,
                "speaker": None,
                "confidence": 0.5,
                "extractor": "svo.v1",
                "model": "fuzz",
            },
        )
    return g


def _dump(g: nx.MultiDiGraph) -> str:
    from geokg.exports.graphfiles import render_node_link

    return render_node_link(g)


def _check_merge(parts: list[list[tuple[str, str, str, bool, str, str, str]]]) -> None:
    graphs = [_from_facts(p) for p in parts]
    merged = merge_graphs(*graphs)
    assert _dump(merge_graphs(*reversed(graphs))) == _dump(merged)
    assert _dump(merge_graphs(merged, merged)) == _dump(merged)
    assert _dump(merge_graphs(merged, *graphs)) == _dump(merged)
    assert _dump(merge_graphs(merge_graphs(*graphs[:1]), merge_graphs(*graphs[1:]))) == _dump(
        merged
    )
    flat = [f for p in parts for f in p]
    assert _dump(merge_graphs(_from_facts(flat))) == _dump(merged)


_parts = st.lists(st.lists(_fact, max_size=5), min_size=1, max_size=4)


@_SHORT
@given(parts=_parts)
def test_merging_is_idempotent_and_independent_of_order(
    parts: list[list[tuple[str, str, str, bool, str, str, str]]],
) -> None:
    _check_merge(parts)


@pytest.mark.fuzz
@_long()
@given(parts=_parts)
def test_long_fuzz_merging(parts: list[list[tuple[str, str, str, bool, str, str, str]]]) -> None:
    _check_merge(parts)
