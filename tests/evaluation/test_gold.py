"""The news gold: its file, its validation, and the scorer on hand-made gold and rows."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from geokg.errors import InputError
from geokg.evaluation.gold import (
    GoldDoc,
    agreement,
    gold_texts,
    parse_gold_record,
    read_gold,
    score_news,
    select_split,
    split_of,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "news_gold.jsonl"
PASS2 = ROOT / "eval" / "gold" / "news_gold_pass2.jsonl"
SAMPLE = ROOT / "eval" / "gold" / "sample.tsv"
NEWS = ROOT.parent / "shared" / "data" / "news"


# --------------------------------------------------------------------------- hand-made gold

DOC_ID = "wh/test/2024-01/readout"


def _record(**changes: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "doc_id": DOC_ID,
        "source": "whitehouse",
        "split": split_of(DOC_ID),
        "date": "2024-01-05",
        "text_sha256": "0" * 64,
        "annotator": "T",
        "actors": [
            {"id": "USA", "type": "state", "names": ["United States", "we"]},
            {"id": "Joe Biden", "type": "person", "state": "USA", "names": ["President Biden"]},
            {"id": "FRA", "type": "state", "names": ["France", "Paris"]},
            {"id": "Emmanuel Macron", "type": "person", "state": "FRA", "names": ["Macron"]},
            {"id": "IRN", "type": "state", "names": ["Iran"]},
        ],
        "facts": [
            {
                "id": "f1",
                "subject": ["Joe Biden", "USA"],
                "object": ["Emmanuel Macron", "FRA"],
                "relations": ["meet"],
                "plover": ["CONSULT"],
                "symmetric": True,
                "modality": "asserted",
                "speaker": None,
                "core": True,
                "evidence": [{"start": 0, "end": 10}],
            },
            {
                "id": "f2",
                "subject": ["USA"],
                "object": ["IRN"],
                "relations": ["sanction", "impose sanctions on"],
                "plover": ["SANCTION"],
                "symmetric": False,
                "modality": "intended",
                "speaker": None,
                "core": True,
                "evidence": [{"start": 11, "end": 30}],
            },
            {
                "id": "f3",
                "subject": ["FRA"],
                "object": ["IRN"],
                "relations": ["condemn"],
                "plover": ["ACCUSE"],
                "symmetric": False,
                "modality": "asserted",
                "speaker": None,
                "core": False,
                "evidence": [{"start": 31, "end": 50}],
            },
        ],
    }
    rec.update(changes)
    return rec


def _doc(**changes: Any) -> GoldDoc:
    return parse_gold_record(_record(**changes), "test")


def _actor(actor_id: str, label: str, kind: str, country: str | None = None) -> dict[str, Any]:
    return {"id": actor_id, "label": label, "type": kind, "country": country}


BIDEN = _actor("Q6279", "Joe Biden", "person", "USA")
MACRON = _actor("Q3052772", "Emmanuel Macron", "person", "FRA")
USA = _actor("USA", "United States", "country", "USA")
IRAN = _actor("IRN", "Iran", "country", "IRN")
FRANCE = _actor("FRA", "France", "country", "FRA")


def _row(
    subject: dict[str, Any],
    relation: str,
    obj: dict[str, Any] | None,
    *,
    plover: str | None = None,
    modality: str = "asserted",
    negated: bool = False,
    rule: str = "svo.verb_object",
    confidence: float = 0.9,
    doc_id: str = DOC_ID,
    subject_text: str | None = None,
) -> dict[str, Any]:
    return {
        "subject": subject,
        "relation": relation,
        "object": obj,
        "event": {"plover": plover} if plover else None,
        "modality": modality,
        "negated": negated,
        "rule": rule,
        "confidence": confidence,
        "doc_id": doc_id,
        "subject_mention": {"text": subject_text or subject["label"]},
        "object_mention": {"text": obj["label"] if obj else ""},
    }


def test_a_row_with_the_facts_actors_and_type_matches_strictly() -> None:
    score = score_news([_doc()], [_row(BIDEN, "meet", MACRON, plover="CONSULT")])
    assert (score.rows, score.rows_lenient, score.rows_strict) == (1, 1, 1)
    assert (score.core, score.core_lenient, score.core_strict) == (2, 1, 1)
    assert score.event_type_accuracy == 1.0
    assert score.modality_accuracy == 1.0


def test_a_symmetric_fact_matches_either_way_round() -> None:
    score = score_news([_doc()], [_row(MACRON, "meet", BIDEN, plover="CONSULT")])
    assert score.rows_strict == 1


def test_a_directed_fact_does_not_match_reversed() -> None:
    score = score_news([_doc()], [_row(IRAN, "sanction", USA, plover="SANCTION")])
    assert score.rows_lenient == 0
    assert score.details["false_positives"][0]["relation"] == "sanction"


def test_right_actors_with_a_wrong_type_and_wording_match_only_leniently() -> None:
    score = score_news([_doc()], [_row(USA, "praise", IRAN, plover="SUPPORT")])
    assert (score.rows_lenient, score.rows_strict) == (1, 0)
    assert (score.core_lenient, score.core_strict) == (1, 0)
    assert score.event_type_accuracy == 0.0


def test_a_wording_with_a_particle_matches_without_a_type() -> None:
    score = score_news([_doc()], [_row(USA, "impose sanctions", IRAN)])
    assert score.rows_strict == 1


def test_a_wrong_actor_matches_nothing() -> None:
    other = _actor("Q1", "Olaf Scholz", "person", "DEU")
    score = score_news([_doc()], [_row(other, "meet", MACRON, plover="CONSULT")])
    assert score.rows_lenient == 0


def test_a_person_is_not_the_state_unless_the_fact_accepts_it() -> None:
    # f3 is France's act: Macron is not among its accepted subjects
    score = score_news([_doc()], [_row(MACRON, "condemn", IRAN, plover="ACCUSE")])
    assert score.rows_lenient == 0
    # a country actor matches the state by its ISO code, whatever its label
    paris = _actor("FRA", "Paris government", "country", "FRA")
    assert score_news([_doc()], [_row(paris, "condemn", IRAN)]).rows_strict == 1


def test_the_mention_text_can_name_the_actor() -> None:
    unknown = _actor("group:x", "the delegation", "group", None)
    score = score_news([_doc()], [_row(unknown, "sanction", IRAN, subject_text="United States")])
    assert score.rows_lenient == 1


def test_a_pronoun_names_no_actor() -> None:
    rec = _record()
    rec["actors"][0]["names"].append("he")
    unresolved = _actor("group:he", "he", "group", None)
    row = _row(unresolved, "sanction", IRAN, subject_text="he")
    assert score_news([parse_gold_record(rec, "t")], [row]).rows_lenient == 0


def test_a_person_node_is_never_a_state_and_an_equal_name_wins() -> None:
    rec = _record()
    rec["actors"][0]["names"].append("the Biden administration")
    doc = parse_gold_record(rec, "t")
    # "Biden" is a word run of "the Biden administration", but a person is no state
    score = score_news([doc], [_row(BIDEN, "sanction", IRAN)])
    assert score.rows_lenient == 0
    # the administration's node is the state, by its equal name, not Joe Biden by a word run
    admin = _actor("org:biden-administration", "Biden administration", "organisation", "USA")
    score = score_news([doc], [_row(admin, "sanction", IRAN, plover="SANCTION")])
    assert (score.rows_strict, score.merged_nodes) == (1, 0)


def test_rows_without_an_actor_target_or_of_other_documents_are_not_counted() -> None:
    rows = [
        _row(USA, "demand", None),
        _row(USA, "sanction", IRAN, doc_id="elsewhere"),
    ]
    score = score_news([_doc()], rows)
    assert score.rows == 0
    assert score.precision_strict == 0.0


def test_hedged_fact_stored_as_plain_is_counted() -> None:
    plain = score_news([_doc()], [_row(USA, "sanction", IRAN, plover="SANCTION")])
    assert (plain.hedged_matched, plain.hedged_as_plain) == (1, 1)
    assert plain.modality_correct == 0
    kept = score_news(
        [_doc()], [_row(USA, "sanction", IRAN, plover="SANCTION", modality="intended")]
    )
    assert (kept.hedged_as_plain, kept.modality_correct) == (0, 1)
    # per row: the strictly matching plain row is a hedge lost; the intended one is not
    assert (plain.hedged_plain_rows, plain.rows_strict, plain.hedged_plain_share) == (1, 1, 1.0)
    assert (kept.hedged_plain_rows, kept.hedged_plain_share) == (0, 0.0)


def test_another_event_between_the_same_actors_is_no_hedge_lost() -> None:
    # "praise" is not the intended sanction: it matches leniently, so it counts against the
    # per-fact figure only, not the per-row one
    score = score_news([_doc()], [_row(USA, "praise", IRAN, plover="SUPPORT")])
    assert (score.hedged_as_plain, score.hedged_plain_rows) == (1, 0)


def test_a_negated_row_reads_as_the_negated_modality() -> None:
    doc = _doc()
    facts = [
        f if f.id != "f3" else f.__class__(**{**_asdict(f), "modality": "negated"})
        for f in doc.facts
    ]
    negated_doc = GoldDoc(**{**_asdict(doc), "facts": tuple(facts)})
    row = _row(FRANCE, "condemn", IRAN, plover="ACCUSE", modality="reported", negated=True)
    score = score_news([negated_doc], [row])
    assert score.modality_correct == 1
    assert score.hedged_as_plain == 0


def _asdict(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def test_the_most_confident_row_decides_type_and_modality() -> None:
    rows = [
        _row(USA, "sanction", IRAN, plover="SANCTION", modality="intended", confidence=0.5),
        _row(USA, "warn", IRAN, plover="THREATEN", modality="intended", confidence=0.9),
    ]
    score = score_news([_doc()], rows)
    assert score.event_type_correct == 0  # the THREATEN row is the more confident one
    assert score.rows_strict == 1


def test_duplicate_and_merged_nodes() -> None:
    biden2 = _actor("person:joe-biden", "President Biden", "person", "USA")
    rows = [
        _row(BIDEN, "meet", MACRON, plover="CONSULT"),
        _row(biden2, "meet", MACRON, plover="CONSULT"),
    ]
    assert score_news([_doc()], rows).duplicate_nodes == 1
    both = _actor("person:x", "Biden Macron", "person", None)
    assert score_news([_doc()], [_row(both, "condemn", IRAN)]).merged_nodes == 1


def test_by_rule_counts_rows_and_precision() -> None:
    rows = [
        _row(BIDEN, "meet", MACRON, plover="CONSULT", rule="svo.verb_object"),
        _row(IRAN, "sanction", USA, rule="svo.verb_object"),
        _row(USA, "sanction", IRAN, rule="svo.passive_agent"),
    ]
    by_rule = {r.rule: r for r in score_news([_doc()], rows).by_rule}
    assert (by_rule["svo.verb_object"].rows, by_rule["svo.verb_object"].precision) == (2, 0.5)
    assert by_rule["svo.passive_agent"].precision == 1.0


def test_agreement_of_identical_and_of_disjoint_passes() -> None:
    doc = _doc()
    same = agreement([doc], [_doc(annotator="U")])
    assert same.f1() == same.f1(strict=True) == 1.0
    # the second pass names the same actors its own way: still the same facts
    renamed = _record(annotator="U")
    renamed["actors"][1] = {"id": "Biden", "type": "person", "names": ["Joe Biden"]}
    renamed["facts"][0]["subject"] = ["Biden"]
    assert agreement([doc], [parse_gold_record(renamed, "t")]).f1() == 1.0
    empty = agreement([doc], [_doc(facts=[])])
    assert (empty.f1(), empty.facts_a, empty.facts_b) == (0.0, 3, 0)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"split": "dev" if split_of(DOC_ID) == "test" else "test"}, "is not the id's"),
        ({"source": "twitter"}, "unknown source"),
        ({"annotator": 3}, "wrong type"),
    ],
)
def test_bad_documents_are_refused_with_the_reason(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        _doc(**change)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("subject", ["Nobody"], "not in the document's actors"),
        ("plover", ["BOMB"], "unknown PLOVER type"),
        ("modality", "likely", "unknown modality"),
        ("evidence", [{"start": 5, "end": 2}], "start < end"),
        ("object", ["Joe Biden"], "share an actor"),
    ],
)
def test_bad_facts_are_refused_with_the_reason(field: str, value: Any, reason: str) -> None:
    rec = _record()
    rec["facts"][0][field] = value
    with pytest.raises(InputError, match=reason):
        parse_gold_record(rec, "t")


def test_read_gold_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(_record()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.jsonl:2"):
        read_gold(path)
    path.write_text(json.dumps(_record()) + "\n" + json.dumps(_record()) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="appears twice"):
        read_gold(path)


def test_select_split() -> None:
    doc = _doc()
    assert select_split([doc], doc.split) == [doc]
    assert select_split([doc], "all") == [doc]
    with pytest.raises(InputError):
        select_split([doc], "train")


# --------------------------------------------------------------------------- the real gold


def test_the_gold_file_is_valid_and_as_large_as_promised() -> None:
    docs = read_gold(GOLD)
    sources = Counter(d.source for d in docs)
    assert len(docs) >= 100
    assert sources["whitehouse"] >= 60
    assert sources["reuters"] + sources["bbc"] >= 30
    assert all(d.split == split_of(d.doc_id) for d in docs)
    splits = Counter(d.split for d in docs)
    assert 0.2 < splits["test"] / len(docs) < 0.45
    with SAMPLE.open(encoding="utf-8") as handle:
        sample = {r["doc_id"]: r for r in csv.DictReader(handle, delimiter="\t")}
    assert {d.doc_id for d in docs} == set(sample)
    assert all(d.text_sha256 == sample[d.doc_id]["text_sha256"] for d in docs)


def test_research_use_text_never_enters_the_gold() -> None:
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        quotes = [e.get("quote") for f in rec["facts"] for e in f["evidence"]]
        if rec["source"] != "whitehouse":
            assert not any(quotes), rec["doc_id"]


def test_the_second_pass_covers_twenty_documents_of_the_gold() -> None:
    first = {d.doc_id for d in read_gold(GOLD)}
    second = read_gold(PASS2)
    assert len(second) >= 20
    assert {d.doc_id for d in second} <= first
    assert all(d.second_pass for d in second)


@pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/data/news is not beside the checkout")
def test_evidence_spans_lie_in_the_texts_and_white_house_quotes_match() -> None:
    docs = read_gold(GOLD)
    texts = gold_texts(docs, NEWS)
    raw = {json.loads(x)["doc_id"]: json.loads(x) for x in GOLD.read_text().splitlines()}
    for d in docs:
        text = texts[d.doc_id]["text"]
        for f, rec in zip(d.facts, raw[d.doc_id]["facts"], strict=True):
            for (start, end), ev in zip(f.evidence, rec["evidence"], strict=True):
                assert end <= len(text)
                if "quote" in ev:
                    assert text[start:end] == ev["quote"]


def test_gold_texts_refuses_a_changed_text(tmp_path: Path) -> None:
    doc = _doc()
    news = tmp_path / "news"
    news.mkdir()
    import gzip

    with gzip.open(news / "whitehouse_2021_2026.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": DOC_ID, "text": "changed"}) + "\n")
    with pytest.raises(InputError, match="differs from the annotated one"):
        gold_texts([doc], news)
    with pytest.raises(InputError, match="missing"):
        gold_texts([_doc(source="bbc")], news)


@pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/data/news is not beside the checkout")
def test_no_research_use_record_repeats_six_words_of_its_text() -> None:
    """Names (actor ids: "J.P. Morgan and Co. Inc.") are facts; no other string of a Reuters or
    BBC record may repeat six words of its text."""
    import re

    def grams(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 6]) for i in range(len(words) - 5)}

    texts = gold_texts(read_gold(GOLD), NEWS)
    checked = 0
    for path in (GOLD, PASS2):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["source"] == "whitehouse":
                continue
            ids = {a["id"] for a in rec["actors"]}
            strings = [n for a in rec["actors"] for n in a["names"] if n not in ids]
            for f in rec["facts"]:
                strings += [*f["relations"], f.get("note") or ""]
                assert all(set(e) == {"start", "end"} for e in f["evidence"])
            text_grams = grams(texts[rec["doc_id"]]["text"])
            for value in strings:
                assert not grams(value) & text_grams, (rec["doc_id"], value)
                checked += 1
    assert checked > 100


def test_the_gold_files_follow_the_json_schema() -> None:
    """The structural contract, checked by a JSON Schema validator; ``read_gold`` adds the
    cross-field checks a schema cannot state (actor references, the split of each id)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((GOLD.parent / "news_gold.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in (GOLD, PASS2):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            errors = [e.message for e in validator.iter_errors(json.loads(line))]
            assert not errors, (path.name, lineno, errors[:3])
    good = _record(second_pass=False)
    assert not list(validator.iter_errors(good))
    bad = _record(second_pass=False, facts=[{**good["facts"][0], "modality": "likely"}])
    assert ["likely" in e.message for e in validator.iter_errors(bad)] == [True]


def test_the_row_that_stands_for_a_fact_is_read_from_its_evidence() -> None:
    # Two rows between Biden and Macron: a confident "thank" elsewhere in the text, and the
    # meeting read from f1's evidence (characters 0-10): the meeting stands for f1.
    elsewhere = {
        **_row(BIDEN, "thank", MACRON, plover="SUPPORT", confidence=0.95),
        "span": [60, 90],
    }
    at_evidence = {**_row(BIDEN, "meet", MACRON, plover="CONSULT", confidence=0.5), "span": [0, 10]}
    score = score_news([_doc()], [elsewhere, at_evidence])
    assert score.event_type_accuracy == 1.0
    # with no row at the evidence, the most confident matching row stands for it
    assert score_news([_doc()], [elsewhere]).event_type_accuracy == 0.0
