"""The resolution policy: a document's relations become facts about actors.

Which mention is which actor (the speaker for "he", a role other than the speaker), what is
dropped (unresolved, the same actor on both sides, an untargeted event the dictionary does not
code), the event type (the verb dictionary, or the learned typer), the date (the text's, else the
article's), and the calibrated confidence. :func:`doc_record` turns one parsed document into the
record the checkpoint keeps and the graph is assembled from.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from geokg import confidence
from geokg.dates import resolve_date
from geokg.events import code_event, intent_event
from geokg.events_learned import (
    EventTyper,
    Typing,
    clause_text,
    dictionary_typing,
    predicate_text,
)
from geokg.gazetteer import Gazetteer
from geokg.graph.assemble import GraphAssembler, consolidate_people, normalise_graph
from geokg.graph.resolve import DocResolver
from geokg.model import (
    Actor,
    DateSource,
    DocMeta,
    DocRecord,
    DocResult,
    Document,
    Event,
    Fact,
    Mention,
    Provenance,
    Relation,
    Row,
    RowActor,
    RowMention,
    RowPlace,
)

__all__ = [
    "Resolved",
    "add_to_graph",
    "apply_facts",
    "apply_record",
    "assemble",
    "doc_record",
    "facts",
    "failed_record",
    "relation_rows",
    "resolve_relations",
]


def _tense(rel: Relation) -> Literal["past", "future"]:
    return "future" if rel.modality == "intended" else "past"


@dataclass(slots=True)
class Resolved:
    relation: Relation
    subject: Actor
    object: Actor | None  # None: an event whose target is not an actor (object kind "theme")
    speaker: Actor | None
    prior: float | None = None  # the extractor's literal, once ``confidence`` is calibrated
    typing: Typing | None = None  # None: the dictionary typed it


def resolve_relations(
    result: DocResult,
    gaz: Gazetteer,
    counts: Counter[str],
    *,
    typer: EventTyper | None = None,
) -> list[Resolved]:
    """Resolve a document's relations to actors, code their events and dates.

    ``typer`` (default: the verb dictionary alone) may replace the dictionary's event type with
    the learned classifier's (:mod:`geokg.events_learned`).
    """
    resolver = DocResolver(result.doc, result.mentions, quotes=result.quotes, gazetteer=gaz)
    out: list[Resolved] = []
    for rel in result.relations:
        speaker = resolver.resolve(rel.speaker) if rel.speaker is not None else None
        subj: Actor | None
        if speaker is not None and rel.subject.kind == "pronoun" and not rel.subject.plural:
            subj = speaker  # "Zelensky said he would travel": the speaker, by convention
        elif speaker is not None and rel.subject.kind == "role":
            subj = resolver.resolve(rel.subject, exclude={speaker.id})  # "X said the leader had …"
        else:
            subj = resolver.resolve(rel.subject)
        if rel.object.kind == "theme":
            if subj is None:
                counts["relations_unresolved"] += 1
                continue
            event = code_event(rel.relation, object_head=rel.object.head, detail=rel.detail)
            if event is None:
                continue  # the extractor only proposes coded events; kept in step with it
            counts["relations_untargeted"] += 1
            out.append(_typed(_dated(rel, result.doc, event), subj, None, speaker, typer))
            continue
        obj = resolver.resolve(rel.object, exclude={subj.id} if subj else None)
        if (
            subj is not None
            and obj is not None
            and subj.id == obj.id
            and rel.subject.kind == "pronoun"
        ):
            subj = resolver.resolve(rel.subject, exclude={obj.id})
        if subj is None or obj is None:
            counts["relations_unresolved"] += 1
            continue
        if subj.id == obj.id:
            counts["relations_self"] += 1
            continue
        event = code_event(
            rel.relation,
            object_head=rel.theme or rel.object.head or None,
            object_type=obj.type,
            detail=rel.detail,
        )
        out.append(_typed(_dated(rel, result.doc, event), subj, obj, speaker, typer))
    return [_calibrated(r) for r in out]


def _calibrated(r: Resolved) -> Resolved:
    """``r`` with its relation's ``confidence`` replaced by the calibrated probability.

    The one place where calibration happens (:mod:`geokg.confidence`): ``triples.jsonl``, the
    graph's provenance and so every export carry the probability; the extractor's literal goes on
    as ``prior``. An extractor with no fitted model keeps its literal as the probability.
    """
    model = confidence.model_for(r.relation.extractor)
    if model is None or r.prior is not None:
        return r
    p = model.predict(_row(dataclasses.replace(r, prior=r.relation.confidence)))
    return dataclasses.replace(
        r, relation=dataclasses.replace(r.relation, confidence=p), prior=r.relation.confidence
    )


def _typed(
    rel: Relation,
    subj: Actor,
    obj: Actor | None,
    speaker: Actor | None,
    typer: EventTyper | None,
) -> Resolved:
    """The resolved relation, its dictionary event (already dated and coded as an intent
    where it is one) typed again by ``typer`` when that is not the dictionary."""
    if typer is None or typer.mode == "dictionary":
        return Resolved(rel, subj, obj, speaker)
    spans = [rel.trigger, (rel.subject.start, rel.subject.end), (rel.object.start, rel.object.end)]
    event, typing = typer.type_event(
        rel.event,
        clause=clause_text(rel.sentence, rel.span[0], spans),
        predicate=predicate_text(rel.relation, rel.detail),
    )
    return Resolved(dataclasses.replace(rel, event=event), subj, obj, speaker, typing=typing)


def _dated(rel: Relation, doc: Document, event: Event | None) -> Relation:
    """``rel`` with its event and its date resolved against the article's date.

    The date is the time expression's when the text gives one, else the article's date
    (``date_source`` says which); ``None`` only when neither exists.

    A cooperative act the subject committed itself to ("pledged to send aid") is coded as the
    intent that was expressed (:func:`~geokg.events.intent_event`).
    """
    if event is not None and rel.committed and not rel.negated:
        event = intent_event(event)
    date = resolve_date(rel.time_text, doc.published, tense=_tense(rel)) if rel.time_text else None
    source: DateSource | None = "text" if date else None
    if date is None and doc.published:
        date, source = doc.published.strip()[:10], "article"
    return dataclasses.replace(rel, date=date, date_source=source, event=event)


def relation_rows(resolved: Iterable[Resolved]) -> Iterator[Row]:
    """Rows of ``triples.jsonl`` (:class:`~geokg.model.Row`: DESIGN.md section 4, plus mention
    spans and trigger).

    An event whose target is not an actor has no ``object``; ``object_mention`` then holds what
    it acted on ("immediate elections").
    """
    for r in resolved:
        yield _row(r)


def _row(r: Resolved) -> Row:
    rel = r.relation
    return Row(
        id=rel.id,
        subject=RowActor.of(r.subject),
        relation=rel.relation,
        object=RowActor.of(r.object) if r.object else None,
        negated=rel.negated,
        modality=rel.modality,
        speaker=RowActor.of(r.speaker) if r.speaker else None,
        event=rel.event,
        date=rel.date,
        date_source=rel.date_source,
        doc_id=rel.doc_id,
        sentence=rel.sentence,
        span=rel.span,
        confidence=rel.confidence,
        prior=rel.confidence if r.prior is None else r.prior,
        extractor=rel.extractor,
        rule=rel.rule,
        model=rel.model,
        subject_mention=RowMention.of(rel.subject),
        object_mention=RowMention.of(rel.object),
        trigger=rel.trigger,
        detail=rel.detail,
        time_text=rel.time_text,
        place=RowPlace.of(rel.place) if rel.place else None,
        typing=r.typing or dictionary_typing(rel.event),
    )


def facts(resolved: Iterable[Resolved]) -> tuple[Fact, ...]:
    """A document's facts: one per relation with an actor on both sides (an event without an
    actor target is a row of ``triples.jsonl``, not a graph edge)."""
    return tuple(
        Fact(
            subject=r.subject,
            object=r.object,
            relation=r.relation.relation,
            negated=r.relation.negated,
            modality=r.relation.modality,
            event=r.relation.event,
            subject_alias=_alias(r.relation.subject),
            object_alias=_alias(r.relation.object),
            provenance=_provenance(r),
        )
        for r in resolved
        if r.object is not None
    )


def _alias(m: Mention) -> str | None:
    return m.name if m.kind == "name" else None


def _provenance(r: Resolved) -> Provenance:
    rel = r.relation
    return Provenance(
        relation_id=rel.id,
        doc_id=rel.doc_id,
        sentence=rel.sentence,
        span=rel.span,
        date=rel.date,
        date_source=rel.date_source,
        speaker=r.speaker.id if r.speaker else None,
        confidence=rel.confidence,
        extractor=rel.extractor,
        rule=rel.rule,
        model=rel.model,
    )


def assemble(records: Iterable[DocRecord]) -> nx.MultiDiGraph:
    """The graph of a build's document records, people consolidated and sorted."""
    asm = GraphAssembler()
    for rec in records:
        apply_record(asm, rec)
    g = asm.finish()
    del asm
    consolidate_people(g)
    return normalise_graph(g)


def apply_record(asm: GraphAssembler, rec: DocRecord) -> None:
    """Add a document's record to the graph being assembled (a failed document adds nothing)."""
    if rec.failed is None:
        apply_facts(asm, rec.doc_id, rec.doc or DocMeta(), rec.facts)


def apply_facts(asm: GraphAssembler, doc_id: str, meta: DocMeta, facts: Iterable[Fact]) -> None:
    """Add a document and its facts to the graph being assembled."""
    asm.add_document(doc_id, meta.to_json())
    for f in facts:
        asm.add_fact(
            f.subject,
            f.object,
            relation=f.relation,
            negated=f.negated,
            modality=f.modality,
            event=f.event,
            subject_alias=f.subject_alias,
            object_alias=f.object_alias,
            provenance=f.provenance.to_json(),
        )


def add_to_graph(
    g: nx.MultiDiGraph | GraphAssembler, doc: Document, resolved: Sequence[Resolved]
) -> None:
    """Add a document's resolved relations to a graph (final at once) or an assembler (final at
    its :meth:`~geokg.graph.assemble.GraphAssembler.finish`: linear over many documents)."""
    if isinstance(g, GraphAssembler):
        apply_facts(g, doc.id, DocMeta.of(doc), facts(resolved))
        return
    asm = GraphAssembler(g)
    apply_facts(asm, doc.id, DocMeta.of(doc), facts(resolved))
    asm.finish()


def doc_record(
    k: int, doc: Document, result: DocResult, gaz: Gazetteer, typer: EventTyper | None = None
) -> DocRecord:
    """Everything a finished document adds to the build (its checkpoint record)."""
    counts: Counter[str] = Counter()
    resolved = resolve_relations(result, gaz, counts, typer=typer)
    counts["documents"] = 1
    counts["sentences"] = result.sentences
    counts["words"] = result.words
    counts["sentences_too_long"] = result.skipped_sentences
    counts["relations_extracted"] = len(result.relations)
    counts["relations"] = len(resolved)
    return DocRecord(
        k=k,
        doc_id=doc.id,
        doc=DocMeta.of(doc),
        counts=dict(sorted(counts.items())),
        facts=facts(resolved),
        rows=tuple(relation_rows(resolved)),
    )


def failed_record(k: int, doc: Document, exc: BaseException) -> DocRecord:
    """The record of a document whose extraction failed: the reason, no facts nor rows."""
    reason = (
        f"extraction failed ({exc.__class__.__name__}: {exc}); the rest of the run went on, "
        "please report this as a geokg bug with the document"
    )
    return DocRecord(k=k, doc_id=doc.id, source=doc.source, failed=reason, counts={})
