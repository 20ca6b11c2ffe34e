"""Seed gold file and its scorer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from geokg.errors import InputError
from geokg.evaluation.seeds import (
    GoldRelation,
    count_duplicate_actors,
    names_match,
    normalize_name,
    read_seed_gold,
    score_seeds,
)
from geokg.model import MODALITIES

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "seeds_gold.tsv"
SEEDS = ROOT / ".." / "shared" / "seeds"
PLOVER_2021 = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "CONCEDE",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "MOBILIZE",
    "SANCTION",
    "COERCE",
    "ASSAULT",
}
A = "000_8c218caa189efccb"
B = "003_d88c3012a47b7fab"


def actor(label: str, kind: str = "person", country: str | None = None) -> dict[str, Any]:
    return {
        "id": f"{kind}:{label.lower().replace(' ', '-')}",
        "label": label,
        "type": kind,
        "country": country,
    }


def row(
    doc: str,
    subj: dict[str, Any],
    rel: str,
    obj: dict[str, Any],
    *,
    negated: bool = False,
    modality: str = "asserted",
    plover: str | None = None,
) -> dict[str, Any]:
    return {
        "doc_id": doc,
        "subject": subj,
        "relation": rel,
        "object": obj,
        "negated": negated,
        "modality": modality,
        "event": {"plover": plover} if plover else None,
    }


def gold(**kw: Any) -> GoldRelation:
    base: dict[str, Any] = {
        "doc": "d",
        "subject": ("Keir Starmer",),
        "relation": "accuse",
        "plover": "ACCUSE",
        "object": ("Vladimir Putin",),
        "negated": False,
        "modality": "asserted",
    }
    base.update(kw)
    return GoldRelation(**base)


# --------------------------------------------------------------------------- the gold file


def test_gold_file_is_well_formed_and_large_enough() -> None:
    golds = read_seed_gold(GOLD)
    assert len(golds) >= 40
    assert {g.doc for g in golds} == {A, B}
    assert all(g.modality in MODALITIES for g in golds)
    assert all(g.plover is None or g.plover in PLOVER_2021 for g in golds)
    keys = [(g.doc, g.subject[0], g.relation, g.object[0]) for g in golds]
    assert len(keys) == len(set(keys)), "one row per (doc, subject, relation, object)"
    assert all((g.modality == "negated") == g.negated for g in golds)


def test_gold_has_the_required_relations() -> None:
    golds = read_seed_gold(GOLD)
    found = {(g.subject[0], g.relation, g.object[0], g.modality) for g in golds}
    assert ("Keir Starmer", "accuse", "Vladimir Putin", "asserted") in found
    assert ("Radoslaw Sikorski", "close", "Russian consulate in Krakow", "reported") in found


@pytest.mark.seeds
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")
def test_gold_documents_exist_and_no_seed_text_is_copied() -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    golds = read_seed_gold(GOLD)
    assert {g.doc for g in golds} <= set(texts)

    def shingles(text: str, n: int = 7) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    seed_shingles = set().union(*(shingles(t) for t in texts.values()))
    for path in (GOLD, GOLD.parent / "README.md"):
        assert not shingles(path.read_text(encoding="utf-8")) & seed_shingles, path


# --------------------------------------------------------------------------- names


def test_normalize_name_drops_titles_case_and_articles() -> None:
    assert normalize_name("Mr Putin") == "putin"
    assert normalize_name("The Prime Minister Keir Starmer") == "keir starmer"
    assert normalize_name("Zélensky") == "zelensky"
    assert normalize_name("Radosław Sikorski") == "radoslaw sikorski"


def test_names_match_by_containment_but_not_through_possessives() -> None:
    assert names_match("Putin", "Vladimir Putin")
    assert names_match("Vladimir Putin", "Putin")
    assert not names_match("Ukraine's allies", "Ukraine")
    assert names_match("Ukraine's allies", "allies")
    assert not names_match("Russia", "Russian consulate in Krakow")
    assert names_match("UK", "United Kingdom")


# --------------------------------------------------------------------------- scoring


def test_perfect_predictions_built_from_the_gold_score_one() -> None:
    golds = read_seed_gold(GOLD)
    rows = [
        row(
            g.doc,
            actor(g.subject[0], "group"),
            g.relation,
            actor(g.object[0], "group"),
            negated=g.negated,
            modality=g.modality,
            plover=g.plover,
        )
        for g in golds
    ]
    score = score_seeds(GOLD, rows)
    assert (score.precision, score.recall, score.fp, score.fn) == (1.0, 1.0, 0, 0)
    assert score.tp == len(golds)
    assert score.modality_agreement == 1.0


def test_direction_negation_and_document_must_agree() -> None:
    golds = [gold()]
    starmer, putin = actor("Keir Starmer"), actor("Vladimir Putin")
    assert score_seeds(golds, [row("d", starmer, "accuse", putin)]).recall == 1.0
    assert score_seeds(golds, [row("d", putin, "accuse", starmer)]).recall == 0.0
    assert score_seeds(golds, [row("d", starmer, "accuse", putin, negated=True)]).recall == 0.0
    assert score_seeds(golds, [row("other", starmer, "accuse", putin)]).predictions == 0


def test_relation_matches_by_lemma_particle_or_plover() -> None:
    starmer, putin = actor("Sir Keir Starmer"), actor("Mr Putin")
    g_call = [gold(relation="call on", plover="REQUEST")]
    assert score_seeds(g_call, [row("d", starmer, "call", putin)]).recall == 1.0
    assert score_seeds(g_call, [row("d", starmer, "press", putin, plover="REQUEST")]).recall == 1.0
    assert score_seeds(g_call, [row("d", starmer, "criticise", putin)]).recall == 0.0
    g_noplover = [gold(relation="doubt", plover=None)]
    assert score_seeds(g_noplover, [row("d", starmer, "say", putin, plover=None)]).recall == 0.0


def test_precision_counts_distinct_actor_pairs_only() -> None:
    golds = [gold()]
    starmer, putin = actor("Keir Starmer"), actor("Vladimir Putin")
    rows = [
        row("d", starmer, "accuse", putin),
        row("d", starmer, "accuse", putin, modality="reported"),  # same tuple: one prediction
        row("d", starmer, "visit", actor("Albania", "country", "ALB")),  # wrong: counts
        row("d", starmer, "visit", actor("Tirana", "location")),  # not an actor: ignored
    ]
    score = score_seeds(golds, rows)
    assert score.predictions == 2
    assert (score.tp, score.fp, score.fn) == (1, 1, 0)
    assert score.precision == 0.5


def test_document_is_found_from_the_source_path() -> None:
    golds = [gold(doc=A)]
    r = row("doc-hash", actor("Keir Starmer"), "accuse", actor("Vladimir Putin"))
    r["source"] = f"/somewhere/seeds/{A}.txt"
    assert score_seeds(golds, [r]).recall == 1.0


def test_country_gold_matches_a_country_actor_by_code() -> None:
    golds = [gold(subject=("Russia",), relation="bombard", plover="ASSAULT", object=("Ukraine",))]
    rus = {"id": "RUS", "label": "Russian Federation", "type": "country", "country": "RUS"}
    ukr = {"id": "UKR", "label": "Ukraine", "type": "country", "country": "UKR"}
    assert score_seeds(golds, [row("d", rus, "bombard", ukr)]).recall == 1.0


def test_bad_gold_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "gold.tsv"
    bad.write_text("doc\tsubject\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        read_seed_gold(bad)


# --------------------------------------------------------------------------- duplicates


def test_duplicate_persons_and_states_are_found() -> None:
    nodes: list[dict[str, Any]] = [
        {"id": "Q7747", "label": "Vladimir Putin", "type": "person"},
        {"id": "person:putin", "label": "Putin", "type": "person"},
        {
            "id": "person:mr-putin",
            "label": "the Russian leader",
            "type": "person",
            "aliases": ["Mr Putin"],
        },
        {"id": "person:donald-trump", "label": "Donald Trump", "type": "person"},
        {"id": "person:melania-trump", "label": "Melania Trump", "type": "person"},
        {"id": "RUS", "label": "Russia", "type": "country", "country": "RUS"},
        {"id": "country:russian-federation", "label": "Russian Federation", "type": "country"},
        {"id": "UKR", "label": "Ukraine", "type": "country", "country": "UKR"},
        {"id": "org:kremlin", "label": "Kremlin", "type": "organisation", "country": "RUS"},
    ]
    dups = count_duplicate_actors(nodes)
    assert dups == [
        ("country:RUS", ["RUS", "country:russian-federation"]),
        ("person:putin", ["Q7747", "person:mr-putin", "person:putin"]),
    ]
    rows = [
        row("d", nodes[0], "accuse", nodes[7]),
        row("d", nodes[1], "meet", nodes[3]),
    ]
    assert score_seeds([gold()], rows).duplicate_actors == 1
    assert score_seeds([gold()], rows, nodes=nodes).duplicate_actors == 3


def test_no_duplicates_in_a_clean_graph() -> None:
    nodes: list[dict[str, Any]] = [
        {"id": "Q7747", "label": "Vladimir Putin", "type": "person", "aliases": ["Mr Putin"]},
        {"id": "RUS", "label": "Russia", "type": "country", "country": "RUS"},
        {"id": "person:v-medinsky", "label": "Vladimir Medinsky", "type": "person"},
    ]
    assert count_duplicate_actors(nodes) == []
