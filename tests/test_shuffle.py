"""The derivation spread over tasks (geokg._shuffle): buckets of facts by relation id, then by
edge id, give the graph and the files of a single-process derivation, for any number of
buckets, with relations read twice across partitions and lone surnames folded."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from geokg import tables
from geokg._shuffle import Call, derive_on_workers
from geokg.model import DocRecord
from geokg.tables import PART_SHIFT, RelationWriter, stored_graph, write_relations
from tests.test_tables import _exact, _records

pytest.importorskip("duckdb")
pyarrow_parquet = pytest.importorskip("pyarrow.parquet")

_FILES = (tables.PROVENANCE_FILE, tables.PROVENANCE_BY_EDGE_FILE, tables.EDGES_FILE)


class _Serial:
    """Runs the calls one after the other, in this process, and counts them by function."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, calls: Sequence[Call]) -> list[Any]:
        self.calls.extend(fn.__name__ for fn, _ in calls)
        return [fn(*args) for fn, args in calls]


def _with_rereads(records: list[DocRecord]) -> list[DocRecord]:
    """``records`` and, at the end, a second reading of every third document's facts (the
    same relation ids, other confidences): a relation read twice, in two partitions."""
    again = []
    for rec in records[::3]:
        if rec.failed is None and rec.facts:
            facts = tuple(
                dataclasses.replace(
                    f, provenance=dataclasses.replace(f.provenance, confidence=0.1 * (i % 9))
                )
                for i, f in enumerate(rec.facts)
            )
            again.append(dataclasses.replace(rec, k=len(records) + len(again), facts=facts))
    return [*records, *again]


def _partitions(records: list[DocRecord], size: int, root: Path) -> tuple[list[Path], list[Path]]:
    """``records`` cut into partitions of ``size`` documents, each written as a distributed
    build's worker writes it (documents numbered from ``index << PART_SHIFT``)."""
    rels, docs = [], []
    for index, at in enumerate(range(0, len(records), size)):
        rel, doc = root / f"p{index}.parquet", root / f"p{index}.documents.parquet"
        with RelationWriter(rel, documents=doc, first_doc=index << PART_SHIFT) as writer:
            for k, rec in enumerate(records[at : at + size]):
                writer.add_record(dataclasses.replace(rec, k=k))
        rels.append(rel)
        docs.append(doc)
    return rels, docs


def _rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pyarrow_parquet.read_table(path).to_pylist()
    return rows


@pytest.mark.parametrize(
    ("seed", "docs", "size", "buckets"), [(1, 40, 7, 1), (2, 120, 16, 3), (3, 300, 64, 5)]
)
def test_buckets_give_the_single_process_graph_and_files(
    tmp_path: Path, seed: int, docs: int, size: int, buckets: int
) -> None:
    records = _with_rereads(_records(seed, docs))
    (tmp_path / "single").mkdir()
    write_relations(records, tmp_path / "single" / "relations.parquet")
    expected = stored_graph(tmp_path / "single" / "relations.parquet", tmp_path / "single")
    (tmp_path / "parts").mkdir()
    rels, doc_files = _partitions(records, size, tmp_path / "parts")
    run = _Serial()

    got, besides = derive_on_workers(run, rels, doc_files, tmp_path / "dist", buckets)

    assert besides == []
    assert _exact(got) == _exact(expected)
    assert got.number_of_edges() > 0
    for name in _FILES:
        assert _rows(tmp_path / "dist" / name) == _rows(tmp_path / "single" / name), name
        single_schema = pyarrow_parquet.read_schema(tmp_path / "single" / name)
        assert pyarrow_parquet.read_schema(tmp_path / "dist" / name) == single_schema, name
    groups = pyarrow_parquet.ParquetFile(tmp_path / "dist" / tables.PROVENANCE_FILE).metadata
    assert all(
        groups.row_group(i).num_rows == tables.ROW_GROUP_ROWS
        for i in range(groups.num_row_groups - 1)
    )
    # each step a task a bucket (a partition, for the first): none saw all the facts
    assert run.calls.count("split_by_relation") == len(rels)
    for step in ("actor_parts", "split_by_edge", "edge_parts"):
        assert run.calls.count(step) == buckets, step
    assert run.calls.count("join_parts") == 3
    assert not (tmp_path / "dist" / "shuffle").exists()
    # the graph reads its provenance from the joined files
    u, v, k = next(iter(got.edges(keys=True)))
    assert got.edges[u, v, k]["provenance"] == expected.edges[u, v, k]["provenance"]


def test_the_shuffle_folds_lone_surnames_and_drops_relations_read_twice(tmp_path: Path) -> None:
    records = _with_rereads(_records(4, 80))
    rels, doc_files = _partitions(records, 10, _mkdir(tmp_path / "parts"))
    got, _ = derive_on_workers(_Serial(), rels, doc_files, tmp_path / "dist", 2)
    assert "person:putin" not in got  # folded into Vladimir Putin
    assert "person:vladimir-putin" in got
    provenance = _rows(tmp_path / "dist" / tables.PROVENANCE_FILE)
    ids = [r["relation_id"] for r in provenance]
    assert len(ids) == len(set(ids)) > 0
    assert sum(d["weight"] for _, _, d in got.edges(data=True)) == len(ids)


def test_the_shuffle_of_no_facts_is_an_empty_graph(tmp_path: Path) -> None:
    records = [DocRecord(k=0, doc_id="d0", counts={}, failed="boom", source="x.txt")]
    rels, doc_files = _partitions(records, 1, _mkdir(tmp_path / "parts"))
    got, besides = derive_on_workers(
        _Serial(), rels, doc_files, tmp_path / "dist", 3, alongside=[(len, ("abc",))]
    )
    assert besides == [3]
    assert got.number_of_nodes() == got.number_of_edges() == 0
    for name in _FILES:
        assert _rows(tmp_path / "dist" / name) == []


def test_buckets_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        derive_on_workers(_Serial(), [], [], tmp_path, 0)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
