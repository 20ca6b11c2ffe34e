"""Integration over the real seed articles in ../shared/seeds (read from there, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geokg.pipeline import BuildOptions, build

pytestmark = [pytest.mark.model, pytest.mark.seeds, pytest.mark.slow]


@pytest.fixture(scope="module")
def seed_rows(
    tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, model_name: str
) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("seeds_out")
    build([str(seeds_dir)], out, options=BuildOptions(model=model_name, progress=False))
    return [json.loads(x) for x in (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()]


def test_starmer_accuses_putin(seed_rows: list[dict]) -> None:  # type: ignore[type-arg]
    hits = [
        r
        for r in seed_rows
        if r["subject"]["label"] == "Keir Starmer"
        and r["relation"] == "accuse"
        and (r["object"] or {}).get("label") == "Vladimir Putin"
    ]
    # From the headline and from the body sentence where the PM accuses the Russian leader.
    assert len(hits) >= 2
    assert {r["object"]["id"] for r in hits} == {"Q7747"}
    assert all(r["event"] and r["event"]["plover"] == "ACCUSE" for r in hits)


def test_sikorski_closes_the_russian_consulate_as_reported_speech(seed_rows: list[dict]) -> None:  # type: ignore[type-arg]
    hits = [
        r for r in seed_rows if "Sikorski" in r["subject"]["label"] and r["relation"] == "close"
    ]
    assert len(hits) == 1
    r = hits[0]
    assert r["object"]["type"] == "organisation"
    assert r["object"]["country"] == "RUS"
    assert "Krakow" in r["object"]["label"] or "Kraków" in r["object"]["label"]
    assert r["modality"] == "reported"
    assert r["speaker"]["id"] == r["subject"]["id"]
    assert r["event"]["plover"] == "SANCTION"


def test_one_node_per_actor(seed_rows: list[dict]) -> None:  # type: ignore[type-arg]
    by_label: dict[str, set[str]] = {}
    for r in seed_rows:
        for a in (r["subject"], r["object"]):
            if a is not None:  # an event without an actor target has no object
                by_label.setdefault(a["label"], set()).add(a["id"])
    assert all(len(ids) == 1 for ids in by_label.values()), by_label
    putin_ids = {
        a["id"]
        for r in seed_rows
        for a in (r["subject"], r["object"])
        if a is not None and "Putin" in a["label"]
    }
    assert putin_ids == {"Q7747"}
