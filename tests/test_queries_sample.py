"""Every example query in docs/queries runs on the real sample build, on both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geokg.query import read_query, run_query

pytestmark = [pytest.mark.model, pytest.mark.slow]

QUERIES = sorted((Path(__file__).resolve().parents[1] / "docs" / "queries").glob("*.rq"))

# Rows each query must return on the sample articles (a subset: other rows may follow).
EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "who_accused_whom": [("David Lammy", "Russia")],
    "actor_roles": [("Donald Tusk", "person", "prime minister")],
    "wikidata_actors": [("Russia", "http://www.wikidata.org/entity/Q159")],
}


def _has(rows: list[tuple[str | None, ...]], expected: tuple[str, ...]) -> bool:
    return any(tuple(r[: len(expected)]) == expected for r in rows)


def test_there_are_at_least_eight_queries() -> None:
    assert len(QUERIES) >= 8


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_query_runs_on_both_engines_with_the_same_rows(query: Path, sample_build: Any) -> None:
    trig = sample_build.out_dir / "graph.trig"
    sparql = read_query(query)
    ox = run_query(trig, sparql, engine="oxigraph")
    rd = run_query(trig, sparql, engine="rdflib")
    assert ox.columns == rd.columns
    if "ORDER BY" in sparql.upper():
        assert ox.rows == rd.rows
    else:
        assert sorted(ox.rows, key=str) == sorted(rd.rows, key=str)
    assert ox.rows, f"{query.name} returned no rows on the sample build"
    for expected in EXPECTED.get(query.stem, []):
        assert _has(ox.rows, expected), (query.stem, expected, ox.rows)


def test_conflict_events_involving_russia_are_dated(sample_build: Any) -> None:
    q = read_query(
        Path(__file__).resolve().parents[1] / "docs" / "queries" / "russia_conflict_events.rq"
    )
    rows = run_query(sample_build.out_dir / "graph.ttl", q).rows
    assert ("2025-05-18", "Russia", "attack", "Ukraine") in {tuple(r[:4]) for r in rows}


def test_negated_meeting_is_listed_as_hedged_not_as_fact(sample_build: Any) -> None:
    root = Path(__file__).resolve().parents[1] / "docs" / "queries"
    hedged = run_query(
        sample_build.out_dir / "graph.ttl", read_query(root / "hedged_statements.rq")
    ).rows
    assert any(r[0] == "Vladimir Putin" and r[1] == "meet" and r[3] == "true" for r in hedged)
    facts = run_query(
        sample_build.out_dir / "graph.ttl",
        "SELECT ?o WHERE { ?s rel:meet ?o . ?s rdfs:label 'Vladimir Putin' }",
    ).rows
    assert facts == []


def test_edge_sources_lead_back_to_the_sentence(sample_build: Any) -> None:
    root = Path(__file__).resolve().parents[1] / "docs" / "queries"
    rows = run_query(sample_build.out_dir / "graph.trig", read_query(root / "edge_sources.rq")).rows
    assert any(
        r[1] == "accuse" and r[3] == "Mr Lammy accused Russia of prolonging the war." for r in rows
    )
