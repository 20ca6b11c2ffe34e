"""The records a document adds to a build (geokg.model.DocRecord) and their JSON codec."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from geokg.checkpoint import decode, encode, file_rows, triples_line
from geokg.events_learned import dictionary_typing
from geokg.extractors import extract_spacy_doc
from geokg.gazetteer import Gazetteer
from geokg.graph.policy import Resolved, relation_rows, resolve_relations
from geokg.model import (
    Actor,
    DocMeta,
    DocRecord,
    Document,
    Event,
    Fact,
    Mention,
    Provenance,
    Row,
    RowActor,
    RowMention,
    RowPlace,
    Typing,
)
from tests.extractors._docs import ALL


def _fact(speaker: str | None) -> Fact:
    return Fact(
        subject=Actor(id="GBR", label="United Kingdom", type="country", country="GBR"),
        object=Actor(
            id="person:a-b",
            label="A B",
            type="person",
            country="RUS",
            roles=("minister",),
            aliases=("B",),
            wikidata="Q1",
        ),
        relation="accuse",
        negated=False,
        modality="reported" if speaker else "asserted",
        event=Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
        subject_alias="Britain",
        object_alias=None,
        provenance=Provenance(
            relation_id="r-1",
            doc_id="d1",
            sentence="Britain accused B.",
            span=(0, 18),
            date="2025-03-10",
            date_source="article",
            speaker=speaker,
            confidence=0.7321,
            extractor="svo.v2",
            rule="svo",
            model="m-1",
        ),
    )


def _record() -> DocRecord:
    return DocRecord(
        k=3,
        doc_id="d1",
        counts={"documents": 1, "relations": 2},
        doc=DocMeta(title="T", published="2025-03-10", source="a.jsonl", url=None),
        facts=(_fact(None), _fact("USA")),
        rows=(_full_row(), _bare_row()),
    )


def _full_row() -> Row:
    """A row with every optional part set."""
    return Row(
        id="r-1",
        subject=RowActor(id="GBR", label="United Kingdom", type="country", country="GBR"),
        relation="accuse",
        object=RowActor(id="person:a-b", label="A B", type="person"),
        negated=True,
        modality="reported",
        speaker=RowActor(id="USA", label="United States", type="country", country="USA"),
        event=Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
        date="2025-03-09",
        date_source="text",
        doc_id="d1",
        sentence="Britain accused B in Kyiv on Sunday.",
        span=(10, 46),
        confidence=0.7321,
        prior=0.9,
        extractor="svo.v2",
        rule="svo.verb_object",
        model="m-1",
        subject_mention=RowMention(text="Britain", span=(10, 17), kind="name"),
        object_mention=RowMention(text="B", span=(27, 28), kind="name"),
        trigger=(18, 26),
        detail="of spying",
        time_text="on Sunday",
        place=RowPlace(text="Kyiv", span=(32, 36), name="Kyiv", country="UKR"),
        typing=Typing(
            source="classifier",
            dictionary="ACCUSE",
            classifier="ACCUSE",
            probability=0.97,
            dictionary_probability=0.97,
        ),
    )


def _bare_row() -> Row:
    """A row with every optional part absent (an untargeted, uncoded, undated event)."""
    return Row(
        id="r-2",
        subject=RowActor(id="person:c", label="C", type="person"),
        relation="demand",
        object=None,
        negated=False,
        modality="asserted",
        speaker=None,
        event=None,
        date=None,
        date_source=None,
        doc_id="d1",
        sentence="C demanded elections.",
        span=(0, 21),
        confidence=1.0,
        prior=1.0,
        extractor="svo.v2",
        rule="svo.noun_theme_target",
        model="m-1",
        subject_mention=RowMention(text="C", span=(0, 1), kind="name"),
        object_mention=RowMention(text="elections", span=(11, 20), kind="theme"),
        trigger=(2, 10),
        detail=None,
        time_text=None,
        place=None,
        typing=Typing(source="none", dictionary=None),
    )


def test_a_record_reads_back_from_its_checkpoint_line_as_it_was() -> None:
    rec = _record()
    assert decode(encode(rec)) == rec
    failed = DocRecord(k=4, doc_id="d2", counts={}, failed="extraction failed", source="b.txt")
    assert decode(encode(failed)) == failed


def test_the_json_is_written_in_the_order_a_resumed_build_reads_it() -> None:
    # The graph keeps the provenance and document records as plain dicts: handed over from a
    # record or read back from the checkpoint (json.dumps(sort_keys=True)), the same key order.
    value = _record().to_json()
    for part in (value, value["doc"], value["facts"][1], value["facts"][1]["provenance"]):
        assert list(part) == sorted(part)
    assert value["facts"][1]["provenance"]["speaker"] == "USA"
    assert value["facts"][0]["object"]["roles"] == ["minister"]


def test_a_failed_record_has_no_facts_nor_rows() -> None:
    value = DocRecord(k=0, doc_id="d", counts={}, failed="why", source="a.txt").to_json()
    assert value == {"counts": {}, "doc_id": "d", "failed": "why", "k": 0, "source": "a.txt"}


# ---------------------------------------------------------------------------- rows


def _old_actor(a: Actor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"id": a.id, "label": a.label, "type": a.type, "country": a.country}


def _old_mention(m: Mention) -> dict[str, Any]:
    return {"text": m.text, "span": [m.start, m.end], "kind": m.kind}


def _old_place(m: Mention | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"text": m.text, "span": [m.start, m.end], "name": m.name, "country": m.country}


def _old_row(r: Resolved) -> dict[str, Any]:
    """The row as geokg.graph.policy built it as a dict before the Row record (the reference)."""
    rel = r.relation
    return {
        "id": rel.id,
        "subject": _old_actor(r.subject),
        "relation": rel.relation,
        "object": _old_actor(r.object),
        "negated": rel.negated,
        "modality": rel.modality,
        "speaker": _old_actor(r.speaker),
        "event": rel.event.to_dict() if rel.event else None,
        "date": rel.date,
        "date_source": rel.date_source,
        "doc_id": rel.doc_id,
        "sentence": rel.sentence,
        "span": list(rel.span),
        "confidence": rel.confidence,
        "prior": rel.confidence if r.prior is None else r.prior,
        "extractor": rel.extractor,
        "rule": rel.rule,
        "model": rel.model,
        "subject_mention": _old_mention(rel.subject),
        "object_mention": _old_mention(rel.object),
        "trigger": list(rel.trigger),
        "detail": rel.detail,
        "time_text": rel.time_text,
        "place": _old_place(rel.place),
        "typing": (r.typing or dictionary_typing(rel.event)).to_dict(),
    }


def _ordered(value: Any) -> Any:
    """``value`` with every dict as its list of items, so that key order counts in ``==``."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _real_resolved() -> list[Resolved]:
    """The resolved relations of the hand-parsed extractor examples (both annotation schemes)."""
    gaz = Gazetteer.default()
    out: list[Resolved] = []
    for name, example in sorted(ALL.items()):
        for scheme in ("ud", "clear"):
            sdoc = example.doc(scheme)
            doc = Document(id=name, text=sdoc.text, published="2025-01-02")
            out.extend(resolve_relations(extract_spacy_doc(doc, sdoc), gaz, Counter()))
    return out


@pytest.mark.parametrize("row", [_full_row(), _bare_row()], ids=["full", "bare"])
def test_a_row_reads_back_from_its_json_as_it_was(row: Row) -> None:
    assert Row.from_json(row.to_json()) == row
    assert Row.from_json(json.loads(triples_line(row))) == row
    assert json.loads(triples_line(row)) == row.to_json()


def test_a_row_json_has_the_contract_fields_in_order() -> None:
    value = _full_row().to_json()
    assert list(value)[:8] == [
        "id", "subject", "relation", "object", "negated", "modality", "speaker", "event"
    ]  # fmt: skip
    assert value["span"] == [10, 46]
    assert value["place"] == {"text": "Kyiv", "span": [32, 36], "name": "Kyiv", "country": "UKR"}
    assert _bare_row().to_json()["object"] is None
    assert _bare_row().to_json()["typing"]["source"] == "none"


def test_real_rows_equal_the_old_dict_form_key_for_key_in_order() -> None:
    resolved = _real_resolved()
    rows = list(relation_rows(resolved))
    # the examples reach every optional part
    assert any(r.place for r in rows)
    assert any(r.speaker for r in rows)
    assert any(r.object is None for r in rows)
    assert any(r.event is None for r in rows)
    assert any(r.time_text for r in rows)
    for r, row in zip(resolved, rows, strict=True):
        old = _old_row(r)
        assert _ordered(row.to_json()) == _ordered(old)
        assert Row.from_json(old) == row
        assert triples_line(row) == json.dumps(old, ensure_ascii=False, sort_keys=True)


def test_the_in_memory_rows_are_the_file_rows() -> None:
    # BuildResult.relations of a build in memory: the dicts json.loads gives the file's lines
    rows = list(relation_rows(_real_resolved()[:5]))
    got = file_rows(rows)
    assert got == [json.loads(triples_line(r)) for r in rows]
    assert all(list(d) == sorted(d) for d in got)
    assert all(list(d["subject"]) == sorted(d["subject"]) for d in got)
