"""The records a document adds to a build (geokg.model.DocRecord) and their JSON codec."""

from __future__ import annotations

from geokg.checkpoint import decode, encode
from geokg.model import Actor, DocMeta, DocRecord, Event, Fact, Provenance


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
        rows=({"id": "r-1", "subject": {"id": "GBR"}},),
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
