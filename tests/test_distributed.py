"""Distributed mode: a LocalCluster of two workers gives the outputs of a single-process build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geokg.distributed import PARTS_DIR, build_distributed, build_process_pool, partition_documents
from geokg.errors import ConfigError
from geokg.model import Document
from geokg.nlp import find_model
from geokg.pipeline import BuildOptions, build, sample_inputs


def _model_available() -> bool:
    try:
        find_model(None)
    except Exception:
        return False
    return True


def test_exports_are_shared_out_into_one_task_a_worker_at_most() -> None:
    from geokg.distributed import _EXPORT_COST, _GRAPH_TASK, _export_groups
    from geokg.exports import EXPORTERS

    names = [_GRAPH_TASK, *EXPORTERS.names()]
    assert set(names) <= set(_EXPORT_COST)  # every exporter has a measured cost
    assert _export_groups(names, 1) == [sorted(names, key=lambda n: -_EXPORT_COST[n])]
    for workers in (2, 3, 5):
        groups = _export_groups(names, workers)
        assert len(groups) == workers
        assert sorted(n for g in groups for n in g) == sorted(names)  # each export once
        loads = [sum(_EXPORT_COST[n] for n in g) for g in groups]
        assert loads == sorted(loads, reverse=True)  # the longest task first
        # no task could give its last export to the lightest and finish sooner than that one
        assert all(
            loads[-1] + _EXPORT_COST[g[-1]] >= load for g, load in zip(groups, loads, strict=True)
        )
    # as many workers as exports or more: one export a task, the costliest first
    alone = _export_groups(names, 40)
    assert alone == [[n] for n in sorted(names, key=lambda n: -_EXPORT_COST[n])]
    # an exporter without a measured cost counts as the costliest
    assert _export_groups(["node-link", "a-plugin"], 2) == [["a-plugin"], ["node-link"]]


def test_an_export_task_writes_its_own_exports_only(tmp_path: Path) -> None:
    """The task of ``graph.geokg.json`` alone writes that file, and one task of several
    exports reads the graph back once."""
    pytest.importorskip("duckdb")
    from geokg import distributed
    from geokg.distributed import _GRAPH_TASK, _export_part
    from geokg.graph.assemble import save_graph
    from geokg.tables import stored_graph, write_relations
    from tests.test_tables import _records

    records = _records(3, 40)
    (tmp_path / "tables").mkdir()
    write_relations(records, tmp_path / "tables" / "relations.parquet")  # as a build's tables/
    derived = stored_graph(tmp_path / "tables" / "relations.parquet", tmp_path / "tables")
    save_graph(derived, tmp_path / "expected.json")
    options = BuildOptions(progress=False)
    got = _export_part(str(tmp_path / "tables"), str(tmp_path / "g"), [_GRAPH_TASK], options)
    assert got == [(_GRAPH_TASK, [str(tmp_path / "g" / "graph.geokg.json")])]
    assert [p.name for p in (tmp_path / "g").iterdir()] == ["graph.geokg.json"]
    assert (tmp_path / "g" / "graph.geokg.json").read_bytes() == (
        tmp_path / "expected.json"
    ).read_bytes()
    reads = []
    real = distributed.open_stored_graph

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(distributed, "open_stored_graph", counted)
        got = _export_part(
            str(tmp_path / "tables"), str(tmp_path / "two"), ["turtle", "gexf"], options
        )
    assert len(reads) == 1
    assert [name for name, _ in got] == ["turtle", "gexf"]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["graph.gexf", "graph.ttl"]


def test_partitions_keep_order_and_sizes() -> None:
    docs = [Document(id=f"d{i}", text="x") for i in range(7)]
    parts = partition_documents(docs, size=3)
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [d.id for p in parts for d in p] == [d.id for d in docs]


def test_bad_partition_size_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="partition size"):
        partition_documents([Document(id="a", text="x")], size=0)


def test_bad_scheduler_address_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a scheduler address"):
        build_distributed(sample_inputs(), tmp_path, scheduler="nowhere")


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not _model_available(), reason="no spaCy pipeline available")
@pytest.mark.parametrize("runner", ["dask", "process_pool"])
def test_parallel_build_matches_single_process(
    tmp_path: Path, runner: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = sample_inputs()
    options = BuildOptions(progress=False)
    single = build(inputs, tmp_path / "single", options=options)
    b = tmp_path / runner

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the client wrote an export: they are the workers' tasks")

    from geokg import distributed, report

    for module in (distributed, report):
        monkeypatch.setattr(module, "write_exports", refuse)
    monkeypatch.setattr(distributed, "save_graph", refuse)

    def no_group_by(*args: object, **kwargs: object) -> None:
        raise AssertionError("the client grouped facts: the shuffle's steps are the workers'")

    from geokg import _shuffle

    for name in ("relation_view", "fact_view", "write_derived"):
        monkeypatch.setattr(_shuffle, name, no_group_by)
    if runner == "dask":
        dist = build_distributed(
            inputs, b, scheduler="local", options=options, n_workers=2, partition_size=1
        )
        assert dist.report["dask"]["scheduler"] == "local"
    else:
        dist = build_process_pool(inputs, b, options=options, n_workers=2, partition_size=1)
        assert "dask" not in dist.report
    a = tmp_path / "single"

    assert dist.report[runner]["workers"] == dist.report[runner]["buckets"] == 2
    assert dist.report[runner]["partitions"] == single.report["documents"]["built"] > 1
    assert not (b / PARTS_DIR).exists()
    assert single.report["relations"]["kept"] > 0
    for key in ("documents", "sentences", "words", "relations", "graph", "model", "removed"):
        assert dist.report[key] == single.report[key], key

    # Same rows in the same (document) order, same graph, same exports byte for byte.
    assert (b / "triples.jsonl").read_bytes() == (a / "triples.jsonl").read_bytes()
    rows = [json.loads(line) for line in (a / "triples.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == single.report["relations"]["kept"]
    written = sorted(
        str(p.relative_to(a)) for p in a.rglob("*") if p.is_file() and p.parent.name != "tables"
    )
    assert {"graph.geokg.json", "graph.ttl", "graph.nq", "neo4j/import.cypher"} <= set(written)
    assert written == sorted(
        str(p.relative_to(b)) for p in b.rglob("*") if p.is_file() and p.parent.name != "tables"
    )
    for name in written:
        if name != "report.json":
            assert (b / name).read_bytes() == (a / name).read_bytes(), name
    # the same tables: the derived files row for row, the facts in the same order
    import pyarrow.parquet as pq

    for name in (
        "provenance.parquet",
        "provenance-by-edge.parquet",
        "edges.parquet",
        "nodes.parquet",
        "documents.parquet",
        "relations.parquet",
    ):
        rows_a = pq.read_table(a / "tables" / name).to_pylist()
        rows_b = pq.read_table(b / "tables" / name).to_pylist()
        if name in ("relations.parquet", "documents.parquet"):  # numbered by partition
            rows_a = [{**r, "ord": 0, "k": 0} for r in rows_a]
            rows_b = [{**r, "ord": 0, "k": 0} for r in rows_b]
        assert rows_a == rows_b, name
        assert rows_a or name == "provenance-by-edge.parquet", name
    assert sorted(p.name for p in (b / "tables").iterdir()) == sorted(
        p.name for p in (a / "tables").iterdir()
    )
    ga, gb = single.graph, dist.graph
    assert sorted(ga.nodes(data=True)) == sorted(gb.nodes(data=True))
    assert sorted(ga.edges(keys=True, data=True)) == sorted(gb.edges(keys=True, data=True))
    assert ga.graph == gb.graph


def _mixed_corpus(root: Path) -> list[str]:
    """Sample articles as files and in a JSONL file, with a repeated article (all its
    paragraphs seen before), a repeated id and a bad line, so that shards meet each other's
    paragraphs and ids."""
    first, second = (p for p in sample_inputs() if p.suffix in (".txt", ".md"))
    html = next(p for p in sample_inputs() if p.suffix == ".html")
    lines = [
        json.dumps({"id": "wire-1", "text": second.read_text("utf-8")}),
        json.dumps({"id": "wire-0", "text": first.read_text("utf-8")}),
        json.dumps({"id": "wire-1", "text": "A repeated id."}),
        "{not json",
        json.dumps({"id": "wire-9", "text": "Poland criticised Russia on Monday."}),
    ]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(first), str(root / "wire.jsonl"), str(html), str(second)]


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not _model_available(), reason="no spaCy pipeline available")
@pytest.mark.parametrize("runner", ["process_pool", "dask"])
def test_workers_read_their_own_inputs_and_match_a_single_process_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: str
) -> None:
    inputs = _mixed_corpus(tmp_path)
    options = BuildOptions(progress=False)
    single = build(inputs, tmp_path / "single", options=options)
    assert single.report["removed"].get("cross_document_duplicates", 0) > 0
    assert any("duplicate id wire-1" in s["reason"] for s in single.report["skipped"])

    import geokg.ingest._readers as readers

    def no_text(*args: object, **kwargs: object) -> object:
        raise AssertionError("the client read an article")

    # the client plans (it lists files and counts a JSONL file's lines) but reads no article:
    # the spawned workers, which do not inherit this patch, read them
    monkeypatch.setattr(readers, "_decode", no_text)
    monkeypatch.setattr(readers, "clean_text", no_text)
    # (spawned processes: the pool's, and the LocalCluster's workers)
    if runner == "dask":
        pool = build_distributed(
            inputs, tmp_path / "pool", options=options, n_workers=2, partition_size=2
        )
    else:
        pool = build_process_pool(
            inputs, tmp_path / "pool", options=options, n_workers=2, partition_size=2
        )
    assert pool.report[runner]["partitions"] > 3
    assert pool.report["export_options"] == single.report["export_options"]
    for key in (
        "documents",
        "skipped",
        "warnings",
        "removed",
        "sentences",
        "words",
        "relations",
        "graph",
    ):
        assert pool.report[key] == single.report[key], key
    for name in ("triples.jsonl", "graph.geokg.json", "graph.ttl"):
        assert (tmp_path / "pool" / name).read_bytes() == (
            tmp_path / "single" / name
        ).read_bytes(), name
