"""RDF export: rdflib and pyoxigraph round trips, determinism, SHACL, vocabulary, escaping."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from geokg.errors import ExportError
from geokg.exports import rdf

# rdflib 7's own parsers and Dataset call its deprecated ConjunctiveGraph/default_context/contexts
# internally; those warnings are about rdflib, not about geokg, so only they are ignored here.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.contexts is deprecated:DeprecationWarning"),
]


def _load_sample() -> ModuleType:
    name = "geokg_tests_rdf_sample"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("_rdf_sample.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sample = _load_sample()

GKG = rdflib.Namespace(rdf.VOCAB)
REL = rdflib.Namespace(rdf.REL)
XSD = rdflib.XSD
RDFS = rdflib.RDFS
Quad = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, rdflib.term.Node | None]
DEFAULT = None  # graph name of the default graph in quad sets


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return sample.build_sample()


@pytest.fixture(scope="module")
def expected_ds(graph: nx.MultiDiGraph) -> rdflib.Dataset:
    return rdf.to_rdflib_graph(graph)


def _merged(ds: rdflib.Dataset) -> rdflib.Graph:
    merged = rdflib.Graph()
    for g in ds.graphs():
        for triple in g:
            merged.add(triple)
    return merged


def _quads(ds: rdflib.Dataset) -> set[Quad]:
    out: set[Quad] = set()
    for g in ds.graphs():
        name = None if g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else g.identifier
        for s, p, o in g:
            out.add((s, p, o, name))
    return out


def _from_ox(term: Any) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise AssertionError(f"unexpected term from oxigraph: {term!r}")  # blank nodes included


def _ox_quads(text: str, fmt: ox.RdfFormat) -> set[Quad]:
    out: set[Quad] = set()
    for q in ox.parse(text.encode("utf-8"), format=fmt):
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else _from_ox(q.graph_name)
        out.add((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object), name))
    return out


def _triples_of(quads: set[Quad]) -> set[tuple[Any, Any, Any]]:
    return {(s, p, o) for s, p, o, _ in quads}


# Round trips -----------------------------------------------------------------------------------


def test_turtle_parses_back_isomorphic_with_rdflib(
    graph: nx.MultiDiGraph, expected_ds: rdflib.Dataset
) -> None:
    text = "".join(rdf.iter_turtle(graph))
    parsed = rdflib.Graph().parse(data=text, format="turtle")
    expected = _merged(expected_ds)
    assert len(parsed) == len(expected) > 300
    assert isomorphic(parsed, expected)


def test_turtle_parses_back_identical_with_oxigraph(
    graph: nx.MultiDiGraph, expected_ds: rdflib.Dataset
) -> None:
    quads = _ox_quads("".join(rdf.iter_turtle(graph)), ox.RdfFormat.TURTLE)
    assert {g for *_, g in quads} == {None}
    assert _triples_of(quads) == set(_merged(expected_ds))


@pytest.mark.parametrize(
    ("writer", "rdflib_format", "ox_format"),
    [
        (rdf.iter_nquads, "nquads", ox.RdfFormat.N_QUADS),
        (rdf.iter_trig, "trig", ox.RdfFormat.TRIG),
    ],
)
def test_dataset_formats_keep_one_graph_per_document(
    graph: nx.MultiDiGraph,
    expected_ds: rdflib.Dataset,
    writer: Any,
    rdflib_format: str,
    ox_format: ox.RdfFormat,
) -> None:
    text = "".join(writer(graph))
    expected = _quads(expected_ds)
    parsed = rdflib.Dataset().parse(data=text, format=rdflib_format)
    assert _quads(parsed) == expected
    assert _ox_quads(text, ox_format) == expected
    # and each graph is isomorphic graph by graph
    for g in expected_ds.graphs():
        assert isomorphic(parsed.graph(g.identifier), g)
    names = {g for *_, g in expected}
    assert names == {None} | {rdflib.URIRef(rdf.doc_iri(d)) for d in sample.DOCS}


def test_named_graphs_hold_mentions_and_default_graph_the_rest(
    expected_ds: rdflib.Dataset,
) -> None:
    prov_derived = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    for s, p, o, g in _quads(expected_ds):
        in_mention = str(s).startswith(rdf.ID + "mention/")
        if in_mention or p == prov_derived:
            assert g is not None, (s, p, o)
            if in_mention:
                assert isinstance(g, rdflib.URIRef)
                doc = expected_ds.graph(g)
                assert (s, rdflib.URIRef("http://purl.org/dc/terms/isPartOf"), g) in doc
        else:
            assert g is None, (s, p, o, g)


def test_jsonld_parses_back_isomorphic(graph: nx.MultiDiGraph, expected_ds: rdflib.Dataset) -> None:
    doc = rdf.to_jsonld(graph)
    text = json.dumps(doc, ensure_ascii=False)
    parsed = rdflib.Graph().parse(data=text, format="json-ld")
    expected = _merged(expected_ds)
    assert isomorphic(parsed, expected)
    assert _triples_of(_ox_quads(text, ox.RdfFormat.JSON_LD)) == set(expected)
    context = json.loads(rdf.CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == context
    # the context's terms are really used, with their coercions
    event = next(n for n in doc["@graph"] if n["@id"].startswith(rdf.ID + "event/"))
    assert event["actor"].startswith(rdf.ID + "actor/")
    assert event["negated"] in {"true", "false"}


def test_writers_write_what_the_iterators_yield(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    pairs = [
        (rdf.write_turtle, rdf.iter_turtle, "g.ttl"),
        (rdf.write_trig, rdf.iter_trig, "g.trig"),
        (rdf.write_nquads, rdf.iter_nquads, "g.nq"),
    ]
    for write, iterate, name in pairs:
        path = write(graph, tmp_path / "sub" / name)
        assert path == tmp_path / "sub" / name
        assert path.read_bytes() == "".join(iterate(graph)).encode("utf-8")
    path = rdf.write_jsonld(graph, tmp_path / "g.jsonld")
    assert json.loads(path.read_text(encoding="utf-8")) == rdf.to_jsonld(graph)
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["sub", "g.ttl", "g.trig", "g.nq", "g.jsonld"]
    )


def test_turtle_is_streamed_in_chunks() -> None:
    big = nx.MultiDiGraph(documents={})
    for i in range(200):
        big.add_edge(f"a{i}", f"b{i}", key=f"e-{i}", relation="meet", negated=False)
    chunks = list(rdf.iter_turtle(big))
    assert len(chunks) > 2
    # no blank nodes, so isomorphism is plain set equality (and much faster on big graphs)
    quads = _ox_quads("".join(chunks), ox.RdfFormat.TURTLE)
    assert _triples_of(quads) == set(_merged(rdf.to_rdflib_graph(big)))


# Determinism ---------------------------------------------------------------------------------


def _all_formats(g: nx.MultiDiGraph) -> list[str]:
    return [
        "".join(rdf.iter_turtle(g)),
        "".join(rdf.iter_trig(g)),
        "".join(rdf.iter_nquads(g)),
        json.dumps(rdf.to_jsonld(g), ensure_ascii=False, sort_keys=True),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_output_is_byte_identical_whatever_the_insertion_order(seed: int) -> None:
    reference = _all_formats(sample.build_sample())
    assert _all_formats(sample.build_sample()) == reference
    shuffled = sample.build_sample(order_seed=seed)
    assert list(shuffled.nodes) != list(sample.build_sample().nodes)  # really shuffled
    assert _all_formats(shuffled) == reference


def test_no_blank_nodes_anywhere(graph: nx.MultiDiGraph) -> None:
    for text, fmt in [
        ("".join(rdf.iter_turtle(graph)), ox.RdfFormat.TURTLE),
        ("".join(rdf.iter_trig(graph)), ox.RdfFormat.TRIG),
        ("".join(rdf.iter_nquads(graph)), ox.RdfFormat.N_QUADS),
        (json.dumps(rdf.to_jsonld(graph)), ox.RdfFormat.JSON_LD),
    ]:
        for q in ox.parse(text.encode("utf-8"), format=fmt):
            for term in (q.subject, q.predicate, q.object, q.graph_name):
                assert not isinstance(term, ox.BlankNode), (fmt, q)


def test_instance_iris_are_percent_encoded_and_stable() -> None:
    assert rdf.actor_iri("RUS") == "https://w3id.org/geokg/id/actor/RUS"
    assert rdf.actor_iri(sample.HOSTILE_ID) == (
        "https://w3id.org/geokg/id/actor/person%3Ax%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"
    )
    assert rdf.doc_iri("doc 3/é") == "https://w3id.org/geokg/id/doc/doc%203%2F%C3%A9"
    assert rdf.actor_iri("..") == "https://w3id.org/geokg/id/actor/%2E%2E"
    assert rdf.actor_iri("a.b~c_d-e") == "https://w3id.org/geokg/id/actor/a.b~c_d-e"
    assert rdf.event_iri("e-1") == "https://w3id.org/geokg/id/event/e-1"
    assert rdf.mention_iri("r-1") == "https://w3id.org/geokg/id/mention/r-1"
    assert rdf.plover_iri("ACCUSE") == "https://w3id.org/geokg/id/plover/ACCUSE"
    assert rdf.cameo_iri("0211") == "https://w3id.org/geokg/id/cameo/0211"
    assert rdf.relation_property("step up") == rdf.REL + "stepUp"
    assert rdf.relation_property("Step-Up") == rdf.REL + "stepUp"
    assert rdf.relation_property("say's") == rdf.REL + "say%27s"


# Semantics -----------------------------------------------------------------------------------


def _py(node: object) -> object:
    assert isinstance(node, rdflib.Literal), node
    return node.toPython()


def _parsed_turtle(graph: nx.MultiDiGraph) -> rdflib.Graph:
    return rdflib.Graph().parse(data="".join(rdf.iter_turtle(graph)), format="turtle")


def test_direct_triples_only_for_asserted_or_reported_facts(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)

    def a(node: str) -> rdflib.URIRef:
        return rdflib.URIRef(rdf.actor_iri(node))

    assert (a(sample.STARMER), REL.accuse, a(sample.PUTIN)) in g  # asserted
    assert (a("POL"), REL.accuse, a("RUS")) in g  # reported, with a speaker
    assert (a("RUS"), REL.stepUp, a("POL")) in g
    assert (a(sample.PUTIN), REL.meet, a(sample.STARMER)) not in g  # negated
    assert (a(sample.PUTIN), REL.attack, a("POL")) not in g  # hypothetical
    assert (REL.attack, None, None) not in g  # no declaration for an unused property
    # ... but every relation is still an event node
    ids = sample.edge_ids()
    for name in ("e4", "e11"):
        event = rdflib.URIRef(rdf.event_iri(ids[name]))
        assert (event, rdflib.RDF.type, GKG.Event) in g
    negated = rdflib.URIRef(rdf.event_iri(ids["e4"]))
    assert g.value(negated, GKG.negated) == rdflib.Literal("true", datatype=XSD.boolean)
    assert g.value(negated, GKG.modality) == rdflib.Literal("negated")
    # direct properties are declared as sub-properties of gkg:relatedTo, labelled by lemma
    assert (REL.stepUp, RDFS.subPropertyOf, GKG.relatedTo) in g
    assert (REL.stepUp, RDFS.label, rdflib.Literal("step up")) in g
    used = {p for _, p, _ in g if str(p).startswith(rdf.REL)}
    assert used == {REL.accuse, REL.stepUp, REL.aid, REL.meet, REL.close}
    for prop in used:
        assert (prop, rdflib.RDF.type, rdflib.RDF.Property) in g


def test_event_node_carries_the_whole_relation(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)
    ids = sample.edge_ids()
    event = rdflib.URIRef(rdf.event_iri(ids["e3"]))
    data = graph.edges["POL", "RUS", ids["e3"]]
    assert g.value(event, GKG.actor) == rdflib.URIRef(rdf.actor_iri("POL"))
    assert g.value(event, GKG.target) == rdflib.URIRef(rdf.actor_iri("RUS"))
    assert g.value(event, GKG.relation) == rdflib.Literal("accuse")
    assert g.value(event, GKG.quadClass) == rdflib.Literal("3", datatype=XSD.integer)
    assert g.value(event, GKG.goldstein) == rdflib.Literal("-2.0", datatype=XSD.double)
    assert _py(g.value(event, GKG.confidence)) == data["confidence"]
    assert _py(g.value(event, GKG.mentionCount)) == 2
    assert g.value(event, GKG.speaker) == rdflib.URIRef(rdf.actor_iri(sample.SIKORSKI))
    assert {str(d) for d in g.objects(event, GKG.date)} == set(data["dates"])
    plover = g.value(event, GKG.eventType)
    assert plover == rdflib.URIRef(rdf.plover_iri("ACCUSE"))
    skos = rdflib.SKOS
    assert (plover, skos.inScheme, GKG.PLOVER) in g
    assert (g.value(event, GKG.cameo), skos.inScheme, GKG.CAMEO) in g
    mentions = set(g.objects(event, rdflib.PROV.wasDerivedFrom))
    assert mentions == {
        rdflib.URIRef(rdf.mention_iri(r["relation_id"])) for r in data["provenance"]
    }
    for rec in data["provenance"]:
        m = rdflib.URIRef(rdf.mention_iri(rec["relation_id"]))
        doc = rdflib.URIRef(rdf.doc_iri(rec["doc_id"]))
        assert g.value(m, GKG.sentence) == rdflib.Literal(rec["sentence"])
        assert g.value(m, rdflib.DCTERMS.isPartOf) == doc
        assert g.value(m, rdflib.PROV.wasQuotedFrom) == doc
        assert _py(g.value(m, GKG.charStart)) == rec["span"][0]
        assert _py(g.value(m, GKG.charEnd)) == rec["span"][1]
        assert (doc, rdflib.RDF.type, rdflib.SDO.NewsArticle) in g


def test_actor_nodes_reuse_schema_org_and_link_wikidata(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)
    sdo = rdflib.SDO

    def a(node: str) -> rdflib.URIRef:
        return rdflib.URIRef(rdf.actor_iri(node))

    assert set(g.objects(a("RUS"), rdflib.RDF.type)) == {GKG.Actor, sdo.Country}
    assert set(g.objects(a(sample.PUTIN), rdflib.RDF.type)) == {GKG.Actor, sdo.Person}
    assert set(g.objects(a(sample.CONSULATE), rdflib.RDF.type)) == {GKG.Actor, sdo.Organization}
    assert set(g.objects(a(sample.HOSTILE_ID), rdflib.RDF.type)) == {GKG.Actor}
    assert g.value(a(sample.PUTIN), rdflib.OWL.sameAs) == rdflib.URIRef(
        "http://www.wikidata.org/entity/Q7747"
    )
    assert g.value(a(sample.SIKORSKI), rdflib.OWL.sameAs) is None
    assert g.value(a(sample.PUTIN), GKG.country) == a("RUS")
    assert g.value(a(sample.PUTIN), GKG.countryCode) == rdflib.Literal("RUS")
    olena = a("person:olena-ivanenko")
    assert g.value(olena, GKG.countryCode) == rdflib.Literal("UKR")
    assert g.value(olena, GKG.country) is None  # no UKR node: no dangling IRI
    assert {str(r) for r in g.objects(a(sample.SIKORSKI), GKG.role)} == {
        "deputy prime minister",
        "foreign minister",
    }
    assert {str(x) for x in g.objects(a("RUS"), rdflib.SKOS.altLabel)} == {
        "Moscow",
        "the Kremlin",
    }


# Hostile strings -------------------------------------------------------------------------------


def _hostile_checks(g: rdflib.Graph, graph: nx.MultiDiGraph) -> None:
    hostile = rdflib.URIRef(rdf.actor_iri(sample.HOSTILE_ID))
    assert g.value(hostile, RDFS.label) == rdflib.Literal(sample.HOSTILE_LABEL)
    assert g.value(hostile, rdflib.SDO.identifier) == rdflib.Literal(sample.HOSTILE_ID)
    assert {str(x) for x in g.objects(hostile, rdflib.SKOS.altLabel)} == {
        s for s in sample.HOSTILE_STRINGS if s
    }
    for _, _, data in graph.edges(data=True):
        for rec in data["provenance"]:
            m = rdflib.URIRef(rdf.mention_iri(rec["relation_id"]))
            assert str(g.value(m, GKG.sentence)) == rec["sentence"]
    doc = rdflib.URIRef(rdf.doc_iri("d2"))
    assert str(g.value(doc, rdflib.SDO.headline)) == sample.DOCS["d2"]["title"]
    assert str(g.value(doc, rdflib.SDO.url)) == sample.DOCS["d2"]["url"]


def test_hostile_strings_round_trip_exactly_in_every_format(graph: nx.MultiDiGraph) -> None:
    texts = {
        "turtle": "".join(rdf.iter_turtle(graph)),
        "trig": "".join(rdf.iter_trig(graph)),
        "nquads": "".join(rdf.iter_nquads(graph)),
        "json-ld": json.dumps(rdf.to_jsonld(graph), ensure_ascii=False),
    }
    for fmt, text in texts.items():
        ds = rdflib.Dataset().parse(data=text, format=fmt)
        _hostile_checks(_merged(ds), graph)
    # oxigraph reads the very same strings
    quads = _ox_quads(texts["turtle"], ox.RdfFormat.TURTLE)
    g = rdflib.Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    _hostile_checks(g, graph)


def test_hostile_text_never_breaks_out_of_a_literal(graph: nx.MultiDiGraph) -> None:
    text = "".join(rdf.iter_turtle(graph))
    # every line of the Turtle text is a prefix, a blank line or part of a statement: no raw
    # newline inside a literal, so the article text cannot start a line of its own
    for line in text.split("\n"):
        assert re.match(r"^(@prefix |$|<https://w3id|rel:|    \S)", line), line
    assert "\x00" not in text
    assert "\r" not in text
    assert "\\u0000" in text
    assert "\\r\\n" in text


_text = st.text(max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actor_id=_text.filter(bool), label=_text, sentence=_text, doc_id=_text.filter(bool))
def test_arbitrary_unicode_round_trips(
    actor_id: str, label: str, sentence: str, doc_id: str
) -> None:
    g = nx.MultiDiGraph(documents={doc_id: {"title": label}})
    g.add_node(actor_id, label=label, type="person", aliases=[sentence], docs=[doc_id])
    g.add_node("other", label="Other", type="other")
    g.add_edge(
        actor_id,
        "other",
        key="e-x",
        relation="meet",
        negated=False,
        modality="asserted",
        provenance=[{"relation_id": "r-x", "doc_id": doc_id, "sentence": sentence}],
    )
    expected = _merged(rdf.to_rdflib_graph(g))
    text = "".join(rdf.iter_turtle(g))
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), expected)
    assert _triples_of(_ox_quads(text, ox.RdfFormat.TURTLE)) == set(expected)
    nq = "".join(rdf.iter_nquads(g))
    assert _triples_of(_ox_quads(nq, ox.RdfFormat.N_QUADS)) == set(expected)
    actor = rdflib.URIRef(rdf.actor_iri(actor_id))
    assert expected.value(actor, rdflib.SDO.identifier) == rdflib.Literal(actor_id)
    assert str(expected.value(rdflib.URIRef(rdf.mention_iri("r-x")), GKG.sentence)) == sentence


# SHACL -----------------------------------------------------------------------------------------


def _validate(data: rdflib.Graph) -> tuple[bool, rdflib.Graph, str]:
    shapes = rdflib.Graph().parse(rdf.SHAPES_PATH, format="turtle")
    conforms, results, text = pyshacl.validate(data, shacl_graph=shapes)
    return bool(conforms), results, str(text)


def test_real_output_conforms_to_the_shapes(graph: nx.MultiDiGraph) -> None:
    conforms, _, text = _validate(_parsed_turtle(graph))
    assert conforms, text
    jsonld = rdflib.Graph().parse(data=json.dumps(rdf.to_jsonld(graph)), format="json-ld")
    conforms, _, text = _validate(jsonld)
    assert conforms, text


def test_a_broken_graph_fails_the_shapes(graph: nx.MultiDiGraph) -> None:
    broken = graph.copy()
    ids = sample.edge_ids()
    data = broken.edges["POL", "RUS", ids["e3"]]
    data["quad_class"] = 7
    data["confidence"] = 1.5
    data["modality"] = "maybe"
    broken.nodes["RUS"]["country"] = "Russia"
    conforms, results, _ = _validate(_parsed_turtle(broken))
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    failed = {
        (str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultPath)))
        for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)
    }
    event = rdf.event_iri(ids["e3"])
    assert failed == {
        (event, str(GKG.quadClass)),
        (event, str(GKG.confidence)),
        (event, str(GKG.modality)),
        (rdf.actor_iri("RUS"), str(GKG.countryCode)),
    }


def test_mentions_say_where_their_date_comes_from(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)
    mentions = set(g.subjects(rdflib.RDF.type, GKG.Mention))
    dated = mentions & set(g.subjects(GKG.date, None))
    assert dated
    assert mentions - dated
    assert {str(g.value(m, GKG.dateSource)) for m in dated} == {"text"}
    undated = [m for m in g.subjects(rdflib.RDF.type, GKG.Mention) if (m, GKG.date, None) not in g]
    assert all((m, GKG.dateSource, None) not in g for m in undated)


def test_shapes_reject_an_unknown_date_source(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)
    mention = next(m for m in g.subjects(GKG.dateSource, None))
    g.set((mention, GKG.dateSource, rdflib.Literal("guess")))
    conforms, _, text = _validate(g)
    assert not conforms
    assert "dateSource" in text
    assert "InConstraintComponent" in text


def test_shapes_reject_unknown_properties_on_events(graph: nx.MultiDiGraph) -> None:
    g = _parsed_turtle(graph)
    event = rdflib.URIRef(rdf.event_iri(sample.edge_ids()["e1"]))
    g.add((event, GKG.colour, rdflib.Literal("red")))
    g.remove((event, GKG.actor, None))
    conforms, _, text = _validate(g)
    assert not conforms
    assert "colour" in text
    assert "MinCountConstraintComponent" in text


# Vocabulary and context -----------------------------------------------------------------------


def test_every_gkg_term_in_the_output_is_declared_with_label_and_comment(
    graph: nx.MultiDiGraph,
) -> None:
    vocab = rdflib.Graph().parse(rdf.VOCAB_PATH, format="turtle")
    used: set[rdflib.URIRef] = set()
    for s, p, o in _parsed_turtle(graph):
        for term in (s, p, o):
            if isinstance(term, rdflib.URIRef) and str(term).startswith(rdf.VOCAB):
                used.add(term)
    assert {GKG.Event, GKG.quadClass, GKG.PLOVER} <= used
    for term in sorted(used):
        assert (term, RDFS.label, None) in vocab, f"{term} has no rdfs:label in vocab.ttl"
        assert (term, RDFS.comment, None) in vocab, f"{term} has no rdfs:comment in vocab.ttl"
    declared = {s for s in vocab.subjects(RDFS.label, None) if str(s).startswith(rdf.VOCAB)}
    # nothing in the vocabulary is dead weight either
    assert declared - used <= {GKG.relatedTo}


def test_context_terms_point_into_declared_vocabularies() -> None:
    ctx = json.loads(rdf.CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    vocab = rdflib.Graph().parse(rdf.VOCAB_PATH, format="turtle")
    for name, definition in ctx.items():
        if isinstance(definition, str):
            assert definition == rdf.PREFIXES[name]
            continue
        prefix, _, local = definition["@id"].partition(":")
        iri = rdf.PREFIXES[prefix] + local
        if prefix == "gkg":
            assert (rdflib.URIRef(iri), RDFS.label, None) in vocab, name
    assert set(rdf.PREFIXES) <= set(ctx)


# Errors ----------------------------------------------------------------------------------------


def _tiny(**edge: Any) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(documents={})
    g.add_node("A", label="A", type="person")
    g.add_node("B", label="B", type="person")
    attrs = {"relation": "meet", "negated": False, "modality": "asserted"} | edge
    g.add_edge("A", "B", key="e-1", **attrs)
    return g


@pytest.mark.parametrize(
    ("graph_or_edge", "message"),
    [
        ({"dates": ["2025-02-30"]}, "not an ISO-8601 date"),
        ({"dates": ["15 May 2025"]}, "not an ISO-8601 date"),
        ({"relation": ""}, "no 'relation' lemma"),
        ({"quad_class": "three"}, "must be an integer"),
        ({"provenance": [{"doc_id": "d"}]}, "without 'relation_id'"),
        (
            {"provenance": [{"relation_id": "r", "doc_id": "d", "date_source": "guess"}]},
            "neither 'text' nor 'article'",
        ),
        ({"provenance": [{"relation_id": "r", "doc_id": "d", "sentence": "x\ud800"}]}, "surrogate"),
    ],
)
def test_contract_violations_raise_export_error(graph_or_edge: Any, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        "".join(rdf.iter_turtle(_tiny(**graph_or_edge)))


def test_bad_nodes_and_graphs_raise_export_error() -> None:
    g = _tiny()
    g.nodes["A"]["wikidata"] = "https://www.wikidata.org/wiki/Q1"
    with pytest.raises(ExportError, match="not a Wikidata QID"):
        list(rdf.iter_nquads(g))
    g = _tiny()
    g.add_node("", label="nameless")
    with pytest.raises(ExportError, match="empty actor id"):
        list(rdf.iter_trig(g))
    g = _tiny()
    g.add_edge("B", "A", key="e-1", relation="meet")
    with pytest.raises(ExportError, match="used by two edges"):
        rdf.to_jsonld(g)
    with pytest.raises(ExportError, match="MultiDiGraph"):
        rdf.to_rdflib_graph(nx.DiGraph())
