"""Extractors: spaCy parses in, plain :class:`~geokg.model.Relation` records out.

This is the only package where spaCy objects live. Everything it returns is a plain record.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from geokg.extractors._deps import DepView, build_view, join_sentences, normalise_arcs
from geokg.extractors._quotes import find_quote_spans, find_tweet_signatures
from geokg.extractors.openie import OpenExtractor
from geokg.extractors.svo import ExtractorState, SvoExtractor
from geokg.extractors.svo2 import SvoV2Extractor
from geokg.gazetteer import Gazetteer
from geokg.model import DocResult, Document, Mention, Relation
from geokg.registry import Registry

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "DEFAULT_EXTRACTOR",
    "EXTRACTORS",
    "DepView",
    "DocExtraction",
    "Extractor",
    "build_view",
    "extract_doc",
    "extract_spacy_doc",
    "normalise_arcs",
]


class Extractor(Protocol):
    """A relation extractor over a normalised view."""

    def extract(
        self,
        view: DepView,
        *,
        doc_id: str,
        text: str,
        sentences: Sequence[tuple[int, int]],
        state: ExtractorState | None = None,
    ) -> Iterator[Relation]:
        """Yield relations."""
        ...


#: The relation extractor of a build unless one is named: ``svo.v2`` beat ``svo.v1`` on the news
#: gold's test side (docs/EVALUATION.md); ``svo.v1`` stays registered for comparison.
DEFAULT_EXTRACTOR = "svo.v2"

EXTRACTORS: Registry[Any] = Registry("extractor", entry_point_group="geokg.extractors")
EXTRACTORS.register("svo.v1", SvoExtractor)
EXTRACTORS.register("svo.v2", SvoV2Extractor)
EXTRACTORS.register("open.v1", OpenExtractor)


def _check(sdoc: Doc) -> None:
    if len(sdoc) and not sdoc.has_annotation("DEP"):
        from geokg.errors import ConfigError

        raise ConfigError(
            "the spaCy Doc has no dependency parse: the pipeline needs a 'parser' component "
            "(e.g. en_core_web_sm or the stand-in en_geokg_news_sm)"
        )


class DocExtraction:
    """One document's extraction, fed its parsed paragraphs one at a time, in text order.

    Each paragraph is read as it arrives, so its spaCy ``Doc`` can be dropped at once: memory is
    bounded by a paragraph, not by the document (a long transcript). :func:`extract_doc` is the
    same over a list of chunks.

    Args:
        doc: The document; chunk offsets index into ``doc.text``.
        model: Pipeline label for provenance.
        max_sentence_chars: Longer sentences are skipped and counted.
        open_mode: Emit every clause's triple (open extraction).
        extractor: Registered extractor name.
    """

    def __init__(
        self,
        doc: Document,
        *,
        model: str = "",
        max_sentence_chars: int = 2_000,
        open_mode: bool = False,
        extractor: str = DEFAULT_EXTRACTOR,
    ) -> None:
        self.doc = doc
        self._ext = EXTRACTORS.get(extractor)(
            gazetteer=Gazetteer.default(),
            open_mode=open_mode,
            max_sentence_chars=max_sentence_chars,
            model=model,
        )
        self._state = ExtractorState()
        for sig in find_tweet_signatures(doc.text):
            speaker = Mention(
                text=sig.name,
                name=sig.name,
                start=sig.name_start,
                end=sig.name_end,
                label="PERSON",
                kind="name",
            )
            self._state.tweet_speakers.append((sig.signed_start, sig.signed_end, speaker))
        self._relations: list[Relation] = []
        self._quotes: list[tuple[int, int]] = []
        self._sentences = self._words = 0
        self._last = -1

    def add(self, offset: int, sdoc: Doc) -> None:
        """Read the paragraph parsed as ``sdoc`` that starts at ``offset`` in the text.

        Raises:
            ValueError: Paragraphs came out of text order.
        """
        if offset <= self._last:
            raise ValueError(
                f"paragraph at {offset} came after the one at {self._last}; feed them in order"
            )
        self._last = offset
        _check(sdoc)
        parsed = sdoc.text  # made anew from the tokens at each read: read once
        para = self.doc.text[offset : offset + len(parsed)]
        view = build_view(sdoc, offset=offset, source=para if para != parsed else None)
        sents = [(s.start, s.end) for s in sdoc.sents] if len(sdoc) else []
        sents = join_sentences(view, sents)  # pieces the parser cut off a clause's lead
        self._sentences += len(sents)
        self._words += len(sdoc)
        self._quotes.extend((s + offset, e + offset) for s, e in find_quote_spans(para))
        self._relations.extend(
            self._ext.extract(
                view, doc_id=self.doc.id, text=self.doc.text, sentences=sents, state=self._state
            )
        )

    def finish(self) -> DocResult:
        """The document's result, once every paragraph was added."""
        mentions = [*self._state.mentions, *(s for _, _, s in self._state.tweet_speakers)]
        return DocResult(
            doc=self.doc,
            mentions=tuple(sorted(set(mentions), key=lambda m: (m.start, m.end, m.text))),
            relations=tuple(self._relations),
            quotes=tuple(self._quotes),
            sentences=self._sentences,
            words=self._words,
            skipped_sentences=self._state.skipped_long_sentences,
        )


def extract_doc(
    doc: Document,
    chunks: Sequence[tuple[int, Doc]],
    *,
    model: str = "",
    max_sentence_chars: int = 2_000,
    open_mode: bool = False,
    extractor: str = DEFAULT_EXTRACTOR,
) -> DocResult:
    """Extract one document parsed as paragraph chunks.

    Args:
        doc: The document; chunk offsets index into ``doc.text``.
        chunks: ``(char_offset, spaCy Doc)`` for each paragraph, in any order.
        model: Pipeline label for provenance.
        max_sentence_chars: Longer sentences are skipped and counted.
        open_mode: Emit every clause's triple (open extraction).
        extractor: Registered extractor name.
    """
    run = DocExtraction(
        doc,
        model=model,
        max_sentence_chars=max_sentence_chars,
        open_mode=open_mode,
        extractor=extractor,
    )
    for offset, sdoc in sorted(chunks, key=lambda c: c[0]):
        run.add(offset, sdoc)
    return run.finish()


def extract_spacy_doc(doc: Document, sdoc: Doc, **kwargs: Any) -> DocResult:
    """Extract from one spaCy Doc covering the whole document text (tests, notebooks)."""
    return extract_doc(doc, [(0, sdoc)], **kwargs)
