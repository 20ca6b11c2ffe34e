"""bench/tenm.py's generator: rows of relations.parquet's schema, seeded (a longer run repeats every whole batch),
ten facts a document, and a graph geokg.tables derives from them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import tenm

from geokg.tables import FACT_ORDER, relation_schema, stored_graph


def test_rows_follow_the_schema_and_a_longer_run_has_the_same_whole_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tenm, "BATCH", 40)  # a multiple of ten facts a document
    short = list(tenm.batches(95))
    long = list(tenm.batches(130))
    assert [t.num_rows for t, _ in short] == [40, 40, 15]
    assert all(t.schema.equals(relation_schema()) for t, _ in short)
    for (a, da), (b, db) in zip(short[:2], long[:2], strict=True):
        assert a.equals(b)
        assert da.equals(db)
    rows = [r for t, _ in short for r in t.to_pylist()]
    docs = [d for _, t in short for d in t.to_pylist()]
    assert [d["k"] for d in docs] == list(range(10))
    for i, r in enumerate(rows):
        assert r["ord"] == (i // 10) * FACT_ORDER + i % 10
        assert r["doc_id"] == docs[i // 10]["doc_id"]
        assert r["subject"] != r["object"]
        assert r["span_end"] - r["span_start"] == len(r["sentence"])
        assert r["sentence"].endswith(".")
        assert r["sentence"][0].isupper()
        assert (r["speaker"] is not None) == (r["modality"] == "reported")
    assert len({r["relation_id"] for r in rows}) == len(rows)


def test_the_rows_make_a_graph(tmp_path: Path) -> None:
    info = tenm.generate(300, tmp_path / "relations.parquet")
    assert info["rows"] == 300
    g = stored_graph(tmp_path / "relations.parquet", tmp_path / "work")
    assert len(g.graph["documents"]) == 30
    assert sum(d["weight"] for _, _, d in g.edges(data=True)) == 300
    hubs = {"USA", "RUS", "CHN", "UKR", "GBR"}
    assert sum(d["weight"] for u, v, d in g.edges(data=True) if hubs & {u, v}) > 100
