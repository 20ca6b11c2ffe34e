"""Relations on disk (geokg.tables): the graph derived from relations.parquet by DuckDB is the
graph the assembler builds from the same records, and every export of it is the same file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

from geokg import tables
from geokg.exports import EXPORTERS
from geokg.graph import policy
from geokg.graph.assemble import save_graph
from geokg.model import Actor, DocMeta, DocRecord, Event, Fact, Provenance
from geokg.report import write_exports
from geokg.tables import StoredGraph, stored_graph, write_relations

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

_HUBS = (
    Actor(id="USA", label="United States", type="country", country="USA", wikidata="Q30"),
    Actor(id="USA", label="US", type="location", country="USA", aliases=("America",)),
    Actor(id="RUS", label="Russia", type="country", country="RUS", roles=("state", "state")),
    Actor(id="CHN", label="China", type="country", country="CHN", wikidata="Q148"),
    Actor(id="CHN", label="", type="other", country="", aliases=("China", "PRC")),
)
_PEOPLE = (
    Actor(id="person:vladimir-putin", label="Vladimir Putin", type="person", country="RUS"),
    Actor(id="person:putin", label="Putin", type="person", roles=("president",)),
    Actor(id="person:joe-biden", label="Joe Biden", type="person", country="USA"),
    Actor(id="person:hunter-biden", label="Hunter Biden", type="person", country="USA"),
    Actor(id="person:biden", label="Biden", type="person"),
    Actor(id="person:xi", label="Xi", type="person", country="CHN"),
    Actor(id="person:xi-jinping", label="Xi Jinping", type="person", roles=("leader",)),
    Actor(id="person:lavrov", label="Lavrov", type="person", roles=("minister", "envoy")),
    Actor(id="person:sergei-lavrov", label="Sergei Lavrov", type="person", aliases=("Lavrov",)),
)
# An event is typed from the relation (and its object's words): one relation, one event or
# none. Where an edge's facts disagree, see test_disagreeing_events_take_the_earliest_fact.
_EVENT_OF = {
    "accuse": Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
    "meet": Event(plover="CONSULT", cameo="040", quad_class=1, goldstein=1.0),
    "assemble": Event(plover="ASSEMBLE", cameo=None, quad_class=None, goldstein=None),
}


def _actor(rng: random.Random) -> Actor:
    r = rng.random()
    if r < 0.5:
        return rng.choice(_HUBS)
    if r < 0.75:
        return rng.choice(_PEOPLE)
    i = min(int(rng.paretovariate(1.2)), 40)
    return Actor(
        id=f"org:o{i}",
        label=rng.choice((f"Org {i}", f"The Org {i}", "")),
        type=rng.choice(("organisation", "group", "other")),
        country=rng.choice((None, "GBR", "FRA")),
        roles=tuple(rng.sample(("a", "b", "c"), rng.randint(0, 2))),
        aliases=tuple(rng.sample((f"O{i}", f"Org {i}", "x"), rng.randint(0, 2))),
        wikidata=rng.choice((None, None, f"Q{i}")),
    )


def _records(seed: int, docs: int) -> list[DocRecord]:
    """Hub-heavy documents: lone surnames (folded into full names) as actors and speakers,
    events that differ on one edge, self-loops, a failed document, a document read twice."""
    rng = random.Random(seed)
    speakers = [None, None, None, *(p.id for p in _PEOPLE)]
    records = []
    for k in range(docs):
        doc_id = f"d{k % (docs - 1)}" if k else "d0"  # the last one repeats d0's id
        if rng.random() < 0.05:
            records.append(DocRecord(k=k, doc_id=doc_id, counts={}, failed="boom", source="x.txt"))
            continue
        facts = []
        for i in range(rng.randint(0, 12)):
            subject = _actor(rng)
            obj = subject if rng.random() < 0.03 else _actor(rng)
            start = rng.randint(0, 40) * 10
            relation = rng.choice(("accuse", "meet", "assemble"))
            facts.append(
                Fact(
                    subject=subject,
                    object=obj,
                    relation=relation,
                    negated=rng.random() < 0.2,
                    modality=rng.choice(("asserted", "reported")),
                    event=rng.choice((None, _EVENT_OF[relation])),
                    subject_alias=rng.choice((None, None, "Alias A", subject.label)),
                    object_alias=rng.choice((None, "Alias B")),
                    provenance=Provenance(
                        relation_id=f"r-{k}-{i}",
                        doc_id=doc_id,
                        sentence=f'Sentence {k}.{i} \u00e9 "q"\n{rng.randint(0, 9)}',
                        span=(start, start + rng.randint(1, 9)),
                        date=rng.choice((None, "2025-05-01", "2025-05-02")),
                        date_source=rng.choice((None, "article", "text")),
                        speaker=rng.choice(speakers),
                        confidence=rng.choice((0.3, 0.9, 0.55)),
                        extractor="svo.v2",
                        rule=rng.choice(("", "svo.passive_agent")),
                        model="m",
                    ),
                )
            )
        meta = DocMeta(title=f"T{k}", published=rng.choice((None, "2025-05-01")), source="s")
        records.append(DocRecord(k=k, doc_id=doc_id, counts={}, doc=meta, facts=tuple(facts)))
    return records


def _exact(g: nx.MultiDiGraph) -> str:
    """The graph with every order kept: graph attributes, nodes, edges, each dict's keys."""
    return json.dumps(
        [
            list(g.graph.items()),
            [(n, list(d.items())) for n, d in g.nodes(data=True)],
            [(u, v, k, list(dict(d).items())) for u, v, k, d in g.edges(keys=True, data=True)],
        ],
        default=repr,
    )


def _stored(records: list[DocRecord], tmp: Path) -> StoredGraph:
    tmp.mkdir(parents=True, exist_ok=True)
    write_relations(records, tmp / "relations.parquet")
    return stored_graph(tmp / "relations.parquet", tmp / "work")


@pytest.mark.parametrize(("seed", "docs"), [(1, 40), (2, 120), (3, 300)])
def test_stored_graph_is_the_assembled_graph(tmp_path: Path, seed: int, docs: int) -> None:
    records = _records(seed, docs)
    expected = policy.assemble(records)
    got = _stored(records, tmp_path)
    assert isinstance(got, nx.MultiDiGraph)
    assert _exact(got) == _exact(expected)
    assert _exact(got.to_graph()) == _exact(expected)


@pytest.mark.parametrize(("seed", "docs"), [(6, 60), (7, 250)])
def test_a_derived_graph_reads_back_without_deriving_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, docs: int
) -> None:
    monkeypatch.setattr(tables, "_NODE_BATCH", 7)  # nodes.parquet in many batches
    records = _records(seed, docs)
    derived = _stored(records, tmp_path)
    assert (tmp_path / "work" / tables.NODES_FILE).is_file()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("open_stored_graph derived the graph again")

    monkeypatch.setattr(tables, "nodes_of", refuse)
    monkeypatch.setattr(tables, "fact_view", refuse)
    again = tables.open_stored_graph(tmp_path / "work", documents=tmp_path / "documents.parquet")
    assert isinstance(again, StoredGraph)
    assert _exact(again) == _exact(derived)
    assert _exact(again) == _exact(policy.assemble(records))
    # two readers of one folder at once (two export tasks): no database file is shared
    other = tables.open_stored_graph(tmp_path / "work", documents=tmp_path / "documents.parquet")
    assert _exact(other) == _exact(derived)
    assert not (tmp_path / "work" / "derive.duckdb").exists()


def test_lone_surnames_are_folded_as_the_assembler_folds_them(tmp_path: Path) -> None:
    records = _records(4, 200)
    expected = policy.assemble(records)
    got = _stored(records, tmp_path)
    assert "person:putin" not in got
    assert "person:biden" in got  # two full names end in Biden: not folded
    assert "Putin" in got.nodes["person:vladimir-putin"]["aliases"]
    speakers = {p["speaker"] for _, _, d in got.edges(data=True) for p in d["provenance"]}
    assert "person:putin" not in speakers
    assert "person:vladimir-putin" in speakers
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))


_EXPORTS = tuple(sorted(EXPORTERS))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_every_export_of_the_stored_graph_is_the_same_file(tmp_path: Path) -> None:
    records = _records(5, 150)
    expected, got = policy.assemble(records), _stored(records, tmp_path / "t")
    write_exports(expected, tmp_path / "a", _EXPORTS)
    save_graph(expected, tmp_path / "a" / "graph.geokg.json")
    write_exports(got, tmp_path / "b", _EXPORTS)
    save_graph(got, tmp_path / "b" / "graph.geokg.json")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_a_walk_in_id_or_graph_order_reads_each_row_group_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from geokg import tables

    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 2048)  # DuckDB's smallest
    records = _records(6, 1400)
    expected, got = policy.assemble(records), _stored(records, tmp_path)
    groups = pq.ParquetFile(tmp_path / "work" / "provenance.parquet").metadata.num_row_groups
    assert groups >= 3
    by_key = sorted((k, u, v) for u, v, k in got.edges(keys=True))
    in_key_order = [(u, v, k) for k, u, v in by_key]  # the RDF and Neo4j exporters' order
    in_graph_order = list(got.edges(keys=True))  # the graph file's, GraphML's
    for walk in (
        in_key_order,
        in_graph_order,
        in_key_order[::3],  # a walk that skips edges (the page's, among its actors)
        in_graph_order[::3],
    ):
        before = got.reads
        for u, v, k in walk:
            assert got.edges[u, v, k]["provenance"] == expected.edges[u, v, k]["provenance"]
        assert got.reads - before <= groups + 1
    # any other order gives the same records, reading what it needs
    shuffled = list(got.edges(keys=True))
    random.Random(0).shuffle(shuffled)
    for u, v, k in shuffled[:300]:
        assert got.edges[u, v, k]["provenance"] == expected.edges[u, v, k]["provenance"]


@pytest.mark.parametrize("name", ["jsonld", "turtle", "nquads", "trig"])
def test_every_rdf_export_of_a_stored_graph_reads_its_row_groups_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Each RDF writer walks the provenance in edge id order (a few passes), never in mention
    order: JSON-LD's mentions come in relation id order, which was a random read each."""
    import pyarrow.parquet as pq

    from geokg import tables

    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 2048)
    records = _records(6, 1400)
    got = _stored(records, tmp_path)
    groups = pq.ParquetFile(tmp_path / "work" / "provenance.parquet").metadata.num_row_groups
    assert groups >= 3
    mentions = sum(len(d["provenance"]) for _, _, d in got.edges(data=True))
    before = got.reads
    write_exports(got, tmp_path / "out", [name])
    write_exports(policy.assemble(records), tmp_path / "expected", [name])
    assert _files(tmp_path / "out") == _files(tmp_path / "expected")
    assert got.reads - before <= 4 * (groups + 1) < mentions


def test_a_relation_read_twice_is_one_provenance_record(tmp_path: Path) -> None:
    records = _records(7, 60)
    (tmp_path / "p1").mkdir()
    (tmp_path / "p2").mkdir()
    write_relations(records[:40], tmp_path / "p1" / "relations.parquet")
    write_relations(records[30:], tmp_path / "p2" / "relations.parquet")
    got = stored_graph(
        [tmp_path / "p1" / "relations.parquet", tmp_path / "p2" / "relations.parquet"],
        tmp_path / "work",
    )
    assert _exact(got) == _exact(policy.assemble(records))


def test_disagreeing_events_take_the_earliest_fact(tmp_path: Path) -> None:
    """Each event attribute comes from the earliest fact (document order) that has one."""
    uk = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
    ru = Actor(id="RUS", label="Russia", type="country", country="RUS")
    events = [
        None,
        Event(plover="CONSULT", cameo=None, quad_class=1, goldstein=None),
        Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
    ]
    records = [
        DocRecord(
            k=k,
            doc_id=f"d{9 - k}",
            counts={},
            doc=DocMeta(),
            facts=(
                Fact(
                    subject=uk,
                    object=ru,
                    relation="meet",
                    negated=False,
                    modality="asserted",
                    event=event,
                    subject_alias=None,
                    object_alias=None,
                    provenance=Provenance(
                        relation_id=f"r{k}", doc_id=f"d{9 - k}", sentence="s", span=(0, 1)
                    ),
                ),
            ),
        )
        for k, event in enumerate(events)
    ]
    got = _stored(records, tmp_path)
    (edge,) = got.edges(data=True)
    assert (edge[2]["plover"], edge[2]["cameo"], edge[2]["quad_class"]) == ("CONSULT", "112", 1)
    assert _exact(got) == _exact(policy.assemble(records))


# ----------------------------------------------------------------------------------------------
# The build's store: OUT/tables, and --update through it


def _outputs(folder: Path) -> dict[str, bytes]:
    skip = {"report.json"}
    return {
        name: data
        for name, data in _files(folder).items()
        if name not in skip and not name.startswith("tables/")
    }


def test_update_appends_to_the_tables_without_loading_the_earlier_graph(
    tmp_path: Path, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geokg import checkpoint
    from geokg.ingest import sample_inputs
    from geokg.options import BuildOptions
    from geokg.pipeline import build

    inputs = [str(p) for p in sample_inputs()]
    opts = BuildOptions(model=model_name, progress=False)
    fresh = build(inputs, tmp_path / "fresh", options=opts)
    assert sorted(p.name for p in (tmp_path / "fresh" / "tables").iterdir()) == [
        "documents.parquet",
        "edges.parquet",
        "nodes.parquet",
        "provenance-by-edge.parquet",
        "provenance.parquet",
        "relations.parquet",
    ]
    assert isinstance(fresh.graph, StoredGraph)
    build(inputs[:3], tmp_path / "upd", options=opts)

    def refuse(path: object) -> None:
        raise AssertionError(f"--update loaded the earlier graph {path}")

    monkeypatch.setattr(checkpoint, "load_graph", refuse)
    build(inputs[2:], tmp_path / "upd", options=opts, update=True)
    assert _outputs(tmp_path / "upd") == _outputs(tmp_path / "fresh")


def test_update_of_a_build_without_tables_merges_its_graph(tmp_path: Path, model_name: str) -> None:
    import shutil

    from geokg.ingest import sample_inputs
    from geokg.options import BuildOptions
    from geokg.pipeline import build

    inputs = [str(p) for p in sample_inputs()]
    opts = BuildOptions(model=model_name, progress=False)
    build(inputs, tmp_path / "fresh", options=opts)
    build(inputs[:3], tmp_path / "old", options=opts)
    shutil.rmtree(tmp_path / "old" / "tables")  # as a build before the tables left it
    build(inputs[2:], tmp_path / "old", options=opts, update=True)
    assert _outputs(tmp_path / "old") == _outputs(tmp_path / "fresh")
    # its relations were never kept as rows: it stays without tables until built again
    assert not (tmp_path / "old" / "tables").exists()


def test_table_paths_may_hold_quotes(tmp_path: Path) -> None:
    records = _records(8, 30)
    got = _stored(records, tmp_path / "o'brien")
    assert _exact(got) == _exact(policy.assemble(records))


def test_networkx_copies_of_a_stored_graph_are_plain_graphs(tmp_path: Path) -> None:
    records = _records(9, 40)
    expected, got = policy.assemble(records), _stored(records, tmp_path)
    assert _exact(nx.relabel_nodes(got, {"USA": "US"})) == _exact(
        nx.relabel_nodes(expected, {"USA": "US"})
    )
    assert sorted(got.to_undirected().edges(keys=True)) == sorted(
        expected.to_undirected().edges(keys=True)
    )
    assert _exact(got.copy()) == _exact(expected)
    assert _exact(got.subgraph(["USA", "RUS"]).copy()) == _exact(
        expected.subgraph(["USA", "RUS"]).copy()
    )


def test_an_edge_record_holds_each_value_under_its_name() -> None:
    values = [f"v-{name}" for name in tables._EDGE_VALUES]
    values[tables._EDGE_VALUES.index("dates")] = ("2025-05-01",)
    values[tables._EDGE_VALUES.index("speakers")] = ("p", "q")
    record = tables.EdgeRecord(StoredGraph(), "a", "b", values)
    for name, value in zip(tables._EDGE_VALUES, values, strict=True):
        expected = list(value) if name in ("dates", "speakers") else value
        assert record[name] == expected, name
        assert record.get(name) == expected, name
    assert list(record) == list(tables.EDGE_ATTRS)
