"""Plain records that flow through geokg.

Every record is a frozen, slotted, keyword-only dataclass of plain values, so it outlives the
spaCy ``Doc`` it came from, pickles across processes and serialises to JSON. No spaCy object is
ever stored here (STYLE.md 2).

>>> m = Mention(text="Mr Putin", name="Putin", start=0, end=8, label="PERSON")
>>> m.name
'Putin'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "ACTOR_TYPES",
    "MODALITIES",
    "Actor",
    "ActorType",
    "DateSource",
    "DocMeta",
    "DocRecord",
    "DocResult",
    "Document",
    "Event",
    "Fact",
    "Mention",
    "MentionKind",
    "Modality",
    "Provenance",
    "Relation",
    "Row",
    "RowActor",
    "RowMention",
    "RowPlace",
    "Typing",
    "key_ranges",
    "stable_id",
]

ActorType = Literal["person", "country", "organisation", "location", "group", "other"]
ACTOR_TYPES: tuple[ActorType, ...] = (
    "person",
    "country",
    "organisation",
    "location",
    "group",
    "other",
)

#: Where a relation's date comes from: a time expression in the text, or the article's date.
DateSource = Literal["text", "article"]
Modality = Literal["asserted", "reported", "requested", "intended", "hypothetical", "negated"]
MODALITIES: tuple[Modality, ...] = (
    "asserted",
    "reported",
    "requested",
    "intended",
    "hypothetical",
    "negated",
)

MentionKind = Literal["name", "role", "pronoun", "nominal", "handle", "theme"]


def stable_id(prefix: str, *parts: object) -> str:
    """Return a short deterministic id built from ``parts``.

    The same parts give the same id in every process and on every run (no ``hash()`` salt).

    >>> stable_id("r", "doc1", 3, "accuse")
    'r-c9846d06957f8836'
    >>> stable_id("r", "doc1", 3, "accuse") == stable_id("r", "doc1", 3, "accuse")
    True
    """
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def key_ranges(parts: int) -> list[tuple[str, str | None]]:
    """``parts`` ranges of edge ids, in the order ids sort in, each ``(first, end)``: the ids
    from ``first`` up to ``end`` excluded (``None``: up to any). Ids ``e-`` and 16 hex digits
    (:func:`geokg.model.stable_id`) fall evenly into them, by their first 32 bits.

    >>> key_ranges(2)
    [('', 'e-80000000'), ('e-80000000', None)]
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    cuts: list[str] = [f"e-{(i << 32) // parts:08x}" for i in range(1, parts)]
    return list(zip(["", *cuts], [*cuts, None], strict=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One input article.

    Attributes:
        id: Stable document id (from the source, or derived from the path and content).
        text: Clean body text (web debris removed). Character offsets refer to this string.
        title: Headline, when the source has one.
        published: ISO-8601 publication date (``YYYY-MM-DD``), when known.
        source: Where it was read from (a path, ``path:line`` for JSONL, or ``<stdin>``).
        url: Original URL, when known.
        meta: Any other fields the source carried.
    """

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str = ""
    url: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of text that refers to an actor (or, in open extraction, any argument).

    Attributes:
        text: The surface text, e.g. ``"Polish foreign minister Radoslaw Sikorski"``.
        name: The name with titles and roles removed, e.g. ``"Radoslaw Sikorski"``; for a role
            noun or pronoun, the phrase itself (``"the Prime Minister"``, ``"he"``).
        start: Character offset of ``text`` in the document.
        end: End character offset (exclusive).
        label: Entity label (``PERSON``, ``ORG``, ``GPE``, ``NORP``, ``LOC``, ``FAC``, ``MISC``)
            or ``""`` when the mention is not a named entity.
        kind: ``name`` for a named entity, ``role`` for a role noun phrase ("the Prime
            Minister"), ``pronoun``, ``nominal`` for any other noun phrase, ``handle`` for
            ``@user``, ``theme`` for what an event acts on when that is not an actor ("immediate
            elections" in "X demanded immediate elections").
        role: Title or office found with the mention (``"foreign minister"``, ``"prime
            minister"``), lower case, or ``None``.
        country: ISO 3166 alpha-3 code suggested by the mention's own words ("Polish", "the
            Russian consulate", "Moscow's leader"), or ``None``.
        head: Lemma of the syntactic head (``"consulate"``, ``"minister"``).
        gender: ``"m"``, ``"f"`` or ``None`` for pronouns and gendered titles.
    """

    text: str
    name: str
    start: int
    end: int
    label: str = ""
    kind: MentionKind = "name"
    role: str | None = None
    country: str | None = None
    head: str = ""
    gender: str | None = None
    plural: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """An event type from the PLOVER/CAMEO coding of a relation."""

    plover: str
    cameo: str
    quad_class: int
    goldstein: float

    def to_dict(self) -> dict[str, Any]:
        """Return the contract form (DESIGN.md section 4)."""
        return asdict(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """One extracted relation, with everything needed to trace and weigh it.

    Attributes:
        id: Stable relation id (``r-…``), a hash of the document, sentence span, trigger and
            argument spans, so re-extracting the same text gives the same id.
        subject: Who acts.
        relation: Lemma of the predicate, with a particle where it matters
            (``"accuse"``, ``"close"``, ``"step up"``, ``"meet"``).
        object: Who or what is acted upon.
        negated: Whether the predicate is negated ("did not meet", "refusal to meet").
        modality: How the text commits to it: ``asserted``, ``reported``, ``requested``,
            ``intended``, ``hypothetical`` or ``negated``.
        speaker: Who said it, for reported speech and quotes.
        doc_id: The document.
        sentence: The source sentence, exactly as in the document text.
        span: Character span of the sentence in the document text.
        trigger: Character span of the predicate in the document text.
        detail: Extra complement text ("of prolonging the war"), or ``None``.
        theme: Lemma of what the predicate acts on when the actor it targets sits one step
            deeper ("aid" in "halted aid to Serbia"), or ``None``; event coding reads it.
        time_text: A time expression attached to the predicate ("on Sunday"), or ``None``.
        date: ISO date of the event: the time expression resolved against the article date,
            else the article's date, or ``None`` when neither exists.
        date_source: ``"text"`` (the sentence dates the event), ``"article"`` (the article's
            date stands in) or ``None`` (no date).
        place: Where the event happens or is sent ("a curfew in Algiers", "sent monitors to
            Bosnia"), a named place whose ``name`` is its gazetteer label and ``country`` its
            state, or ``None``.
        committed: The subject committed itself to the act ("pledged to send aid", "is ready
            to contribute troops"): an expressed intent, which event coding codes as CAMEO 03
            when the act is cooperation. A bare "will" is intended without commitment.
        event: The PLOVER/CAMEO event type, or ``None`` when the verb is unknown.
        confidence: Extractor confidence in [0, 1].
        extractor: Registered name of the extractor (``svo.v1``).
        rule: Stable id of the construction inside the extractor that produced the relation
            (``svo.passive_agent``), so that rules can be measured one by one
            (``geokg eval --by-rule``); docs/OUTPUTS.md lists them.
        model: spaCy pipeline name and version that parsed the text.
    """

    id: str
    subject: Mention
    relation: str
    object: Mention
    negated: bool = False
    modality: Modality = "asserted"
    speaker: Mention | None = None
    doc_id: str
    sentence: str
    span: tuple[int, int]
    trigger: tuple[int, int] = (0, 0)
    detail: str | None = None
    theme: str | None = None
    time_text: str | None = None
    date: str | None = None
    date_source: DateSource | None = None
    place: Mention | None = None
    committed: bool = False
    event: Event | None = None
    confidence: float = 1.0
    extractor: str = ""
    rule: str = ""
    model: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A real-world actor: one graph node.

    Attributes:
        id: Stable id: ISO 3166 alpha-3 code for a state (``RUS``), a Wikidata QID for a known
            person or organisation (``Q7747``), else a slug with a type prefix (``person:radoslaw-sikorski``, ``org:…``, ``loc:…``, ``group:…``).
        label: Canonical display name.
        type: One of :data:`ACTOR_TYPES`.
        country: ISO alpha-3 code of the state the actor is, belongs to or acts for.
        roles: Titles and offices seen or known (``"prime minister"``).
        aliases: Other names seen in the text.
        wikidata: Wikidata QID, when known.
    """

    id: str
    label: str
    type: ActorType = "other"
    country: str | None = None
    roles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DocResult:
    """What the extractors produce for one document.

    Attributes:
        doc: The document.
        mentions: Every actor mention found, in text order (used for in-document coreference).
        relations: The extracted relations.
        quotes: Character spans of direct quotations (for pronoun resolution).
        sentences: Number of sentences seen.
        words: Number of tokens seen.
        skipped_sentences: Sentences over the length limit, not read.
    """

    doc: Document
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    quotes: tuple[tuple[int, int], ...] = ()
    sentences: int = 0
    words: int = 0
    skipped_sentences: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Typing:
    """Where a row's event type came from (the ``typing`` field of ``triples.jsonl``).

    Attributes:
        source: ``dictionary`` or ``classifier`` (whose type the row has), or ``none`` when
            neither gave one.
        dictionary: The verb dictionary's PLOVER type, or ``None``.
        classifier: The classifier's most probable class (a PLOVER type or ``NONE``), or
            ``None`` when it did not run.
        probability: The classifier's probability of that class.
        dictionary_probability: The classifier's probability of the dictionary's type (of
            ``NONE`` when the dictionary has none).
    """

    source: Literal["dictionary", "classifier", "none"]
    dictionary: str | None
    classifier: str | None = None
    probability: float | None = None
    dictionary_probability: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``typing`` field of a row."""
        return {
            "source": self.source,
            "dictionary": self.dictionary,
            "classifier": self.classifier,
            "probability": self.probability,
            "dictionary_probability": self.dictionary_probability,
        }

    @classmethod
    def from_dict(cls, rec: Mapping[str, Any]) -> Typing:
        """The record :meth:`to_dict` wrote."""
        return cls(
            source=rec["source"],
            dictionary=rec["dictionary"],
            classifier=rec["classifier"],
            probability=rec["probability"],
            dictionary_probability=rec["dictionary_probability"],
        )


# ----------------------------------------------------------------------------------------------
# A row of ``triples.jsonl``: one resolved relation as the policy (geokg.graph.policy) made it.
#
# ``to_json`` gives the row's JSON value with its keys in the policy's order (the order of
# DESIGN.md section 4, then the mention spans, trigger, place and typing); files are written
# with ``json.dumps(..., sort_keys=True)``, so the order shows only in the dicts the public API
# hands out (``build_graph(on_rows=...)``).


@dataclass(frozen=True, slots=True, kw_only=True)
class RowActor:
    """An actor as a row names it: ``{"id", "label", "type", "country"}``."""

    id: str
    label: str
    type: ActorType
    country: str | None = None

    @classmethod
    def of(cls, actor: Actor) -> RowActor:
        """The row's view of ``actor``."""
        return cls(id=actor.id, label=actor.label, type=actor.type, country=actor.country)

    def to_json(self) -> dict[str, Any]:
        """The JSON value."""
        return {"id": self.id, "label": self.label, "type": self.type, "country": self.country}

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> RowActor:
        """The record :meth:`to_json` wrote."""
        return cls(id=rec["id"], label=rec["label"], type=rec["type"], country=rec["country"])


@dataclass(frozen=True, slots=True, kw_only=True)
class RowMention:
    """A mention as a row keeps it: ``{"text", "span", "kind"}`` (``subject_mention``,
    ``object_mention``)."""

    text: str
    span: tuple[int, int]
    kind: MentionKind

    @classmethod
    def of(cls, m: Mention) -> RowMention:
        """The row's view of ``m``."""
        return cls(text=m.text, span=(m.start, m.end), kind=m.kind)

    def to_json(self) -> dict[str, Any]:
        """The JSON value."""
        return {"text": self.text, "span": list(self.span), "kind": self.kind}

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> RowMention:
        """The record :meth:`to_json` wrote."""
        start, end = rec["span"]
        return cls(text=rec["text"], span=(start, end), kind=rec["kind"])


@dataclass(frozen=True, slots=True, kw_only=True)
class RowPlace:
    """A relation's place as a row keeps it: ``{"text", "span", "name", "country"}``."""

    text: str
    span: tuple[int, int]
    name: str
    country: str | None = None

    @classmethod
    def of(cls, m: Mention) -> RowPlace:
        """The row's view of the place mention ``m``."""
        return cls(text=m.text, span=(m.start, m.end), name=m.name, country=m.country)

    def to_json(self) -> dict[str, Any]:
        """The JSON value."""
        return {
            "text": self.text,
            "span": list(self.span),
            "name": self.name,
            "country": self.country,
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> RowPlace:
        """The record :meth:`to_json` wrote."""
        start, end = rec["span"]
        return cls(text=rec["text"], span=(start, end), name=rec["name"], country=rec["country"])


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One row of ``triples.jsonl`` (DESIGN.md section 4, plus mention spans and trigger;
    docs/OUTPUTS.md lists the fields): a resolved relation with its actors, event, date,
    calibrated ``confidence`` and the extractor's literal (``prior``).

    An event whose target is not an actor has no ``object`` (``"object": null``);
    ``object_mention`` then holds what it acted on ("immediate elections").
    """

    id: str
    subject: RowActor
    relation: str
    object: RowActor | None
    negated: bool
    modality: Modality
    speaker: RowActor | None
    event: Event | None
    date: str | None
    date_source: DateSource | None
    doc_id: str
    sentence: str
    span: tuple[int, int]
    confidence: float
    prior: float
    extractor: str
    rule: str
    model: str
    subject_mention: RowMention
    object_mention: RowMention
    trigger: tuple[int, int]
    detail: str | None
    time_text: str | None
    place: RowPlace | None
    typing: Typing

    def to_json(self) -> dict[str, Any]:
        """The row's JSON value (keys in the policy's order, above)."""
        return {
            "id": self.id,
            "subject": self.subject.to_json(),
            "relation": self.relation,
            "object": self.object.to_json() if self.object else None,
            "negated": self.negated,
            "modality": self.modality,
            "speaker": self.speaker.to_json() if self.speaker else None,
            "event": self.event.to_dict() if self.event else None,
            "date": self.date,
            "date_source": self.date_source,
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "span": list(self.span),
            "confidence": self.confidence,
            "prior": self.prior,
            "extractor": self.extractor,
            "rule": self.rule,
            "model": self.model,
            "subject_mention": self.subject_mention.to_json(),
            "object_mention": self.object_mention.to_json(),
            "trigger": list(self.trigger),
            "detail": self.detail,
            "time_text": self.time_text,
            "place": self.place.to_json() if self.place else None,
            "typing": self.typing.to_dict(),
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> Row:
        """The record :meth:`to_json` wrote (or a line of ``triples.jsonl``)."""
        obj, speaker, event, place = rec["object"], rec["speaker"], rec["event"], rec["place"]
        start, end = rec["span"]
        t_start, t_end = rec["trigger"]
        return cls(
            id=rec["id"],
            subject=RowActor.from_json(rec["subject"]),
            relation=rec["relation"],
            object=RowActor.from_json(obj) if obj else None,
            negated=rec["negated"],
            modality=rec["modality"],
            speaker=RowActor.from_json(speaker) if speaker else None,
            event=Event(**event) if event else None,
            date=rec["date"],
            date_source=rec["date_source"],
            doc_id=rec["doc_id"],
            sentence=rec["sentence"],
            span=(start, end),
            confidence=rec["confidence"],
            prior=rec["prior"],
            extractor=rec["extractor"],
            rule=rec["rule"],
            model=rec["model"],
            subject_mention=RowMention.from_json(rec["subject_mention"]),
            object_mention=RowMention.from_json(rec["object_mention"]),
            trigger=(t_start, t_end),
            detail=rec["detail"],
            time_text=rec["time_text"],
            place=RowPlace.from_json(place) if place else None,
            typing=Typing.from_dict(rec["typing"]),
        )


# ----------------------------------------------------------------------------------------------
# What a parsed document adds to the build (the records of the checkpoint, geokg.checkpoint)
#
# Each has ``to_json`` (the plain JSON value the checkpoint writes, keys in the sorted order that
# ``json.dumps(..., sort_keys=True)`` and so a resumed build read back) and ``from_json``.


@dataclass(frozen=True, slots=True, kw_only=True)
class DocMeta:
    """A document's metadata as the graph keeps it (``graph.graph["documents"]``)."""

    title: str | None = None
    published: str | None = None
    source: str = ""
    url: str | None = None

    @classmethod
    def of(cls, doc: Document) -> DocMeta:
        """The metadata of ``doc``."""
        return cls(title=doc.title, published=doc.published, source=doc.source, url=doc.url)

    def to_json(self) -> dict[str, Any]:
        """The JSON value (keys sorted)."""
        return {
            "published": self.published,
            "source": self.source,
            "title": self.title,
            "url": self.url,
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> DocMeta:
        """The record :meth:`to_json` wrote."""
        return cls(
            title=rec["title"], published=rec["published"], source=rec["source"], url=rec["url"]
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where one fact comes from: the relation, its document, sentence and span, its date, the
    speaker it was reported by, its calibrated confidence and what extracted it (DESIGN.md
    section 3). A graph edge keeps one per relation (its ``provenance`` list)."""

    relation_id: str
    doc_id: str
    sentence: str
    span: tuple[int, int]
    date: str | None = None
    date_source: DateSource | None = None
    speaker: str | None = None  # the speaker's actor id
    confidence: float = 1.0
    extractor: str = ""
    rule: str = ""
    model: str = ""

    def to_json(self) -> dict[str, Any]:
        """The JSON value (keys sorted), the edge's provenance record."""
        return {
            "confidence": self.confidence,
            "date": self.date,
            "date_source": self.date_source,
            "doc_id": self.doc_id,
            "extractor": self.extractor,
            "model": self.model,
            "relation_id": self.relation_id,
            "rule": self.rule,
            "sentence": self.sentence,
            "span": list(self.span),
            "speaker": self.speaker,
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> Provenance:
        """The record :meth:`to_json` wrote."""
        start, end = rec["span"]
        return cls(
            relation_id=rec["relation_id"],
            doc_id=rec["doc_id"],
            sentence=rec["sentence"],
            span=(start, end),
            date=rec["date"],
            date_source=rec["date_source"],
            speaker=rec["speaker"],
            confidence=rec["confidence"],
            extractor=rec["extractor"],
            rule=rec["rule"],
            model=rec["model"],
        )


def _actor_json(a: Actor) -> dict[str, Any]:
    return {
        "aliases": list(a.aliases),
        "country": a.country,
        "id": a.id,
        "label": a.label,
        "roles": list(a.roles),
        "type": a.type,
        "wikidata": a.wikidata,
    }


def _actor_from_json(rec: Mapping[str, Any]) -> Actor:
    return Actor(
        id=rec["id"],
        label=rec["label"],
        type=rec["type"],
        country=rec["country"],
        roles=tuple(rec["roles"]),
        aliases=tuple(rec["aliases"]),
        wikidata=rec["wikidata"],
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """One graph edge's worth of a relation: resolved actors, the relation, its event and
    provenance (the arguments of :meth:`geokg.graph.assemble.GraphAssembler.add_fact`)."""

    subject: Actor
    object: Actor
    relation: str
    negated: bool
    modality: Modality
    event: Event | None
    subject_alias: str | None  # the name the subject went by, when it was named
    object_alias: str | None
    provenance: Provenance

    def to_json(self) -> dict[str, Any]:
        """The JSON value (keys sorted)."""
        return {
            "event": self.event.to_dict() if self.event else None,
            "modality": self.modality,
            "negated": self.negated,
            "object": _actor_json(self.object),
            "object_alias": self.object_alias,
            "provenance": self.provenance.to_json(),
            "relation": self.relation,
            "subject": _actor_json(self.subject),
            "subject_alias": self.subject_alias,
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> Fact:
        """The record :meth:`to_json` wrote."""
        event = rec["event"]
        return cls(
            subject=_actor_from_json(rec["subject"]),
            object=_actor_from_json(rec["object"]),
            relation=rec["relation"],
            negated=rec["negated"],
            modality=rec["modality"],
            event=Event(**event) if event else None,
            subject_alias=rec["subject_alias"],
            object_alias=rec["object_alias"],
            provenance=Provenance.from_json(rec["provenance"]),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocRecord:
    """Everything one document adds to a build, in document order ``k``: its counts, its facts
    (the graph) and its rows (``triples.jsonl``); or, for a document
    whose extraction failed, the reason (``failed``) and no facts or rows."""

    k: int
    doc_id: str
    counts: Mapping[str, int]
    doc: DocMeta | None = None
    facts: tuple[Fact, ...] = ()
    rows: tuple[Row, ...] = ()
    failed: str | None = None
    source: str = ""  # the input a failed document was read from

    def to_json(self) -> dict[str, Any]:
        """The checkpoint line's JSON value (``done.jsonl``)."""
        if self.failed is not None:
            return {
                "counts": dict(self.counts),
                "doc_id": self.doc_id,
                "failed": self.failed,
                "k": self.k,
                "source": self.source,
            }
        return {
            "counts": dict(self.counts),
            "doc": (self.doc or DocMeta()).to_json(),
            "doc_id": self.doc_id,
            "facts": [f.to_json() for f in self.facts],
            "k": self.k,
            "rows": [r.to_json() for r in self.rows],
        }

    @classmethod
    def from_json(cls, rec: Mapping[str, Any]) -> DocRecord:
        """The record :meth:`to_json` wrote."""
        if "failed" in rec:
            return cls(
                k=rec["k"],
                doc_id=rec["doc_id"],
                counts=rec["counts"],
                failed=rec["failed"],
                source=rec["source"],
            )
        return cls(
            k=rec["k"],
            doc_id=rec["doc_id"],
            counts=rec["counts"],
            doc=DocMeta.from_json(rec["doc"]),
            facts=tuple(Fact.from_json(f) for f in rec["facts"]),
            rows=tuple(Row.from_json(r) for r in rec["rows"]),
        )
