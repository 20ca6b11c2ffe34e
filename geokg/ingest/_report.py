"""Options and the run report for the ingest layer."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from geokg.errors import ConfigError

__all__ = ["IngestOptions", "IngestReport"]

logger = logging.getLogger("geokg.ingest")


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOptions:
    """Limits and switches for reading documents.

    Attributes:
        max_bytes: Largest document accepted, in bytes (a file, or one JSONL line). A larger one
            is skipped with the reason ``too large (N bytes > limit M)``.
        max_sentence_chars: Longest sentence the extractors should parse. Ingest only reports
            documents holding a longer run of text without sentence punctuation (a warning);
            the extractors read this value and split or skip such sentences.
        dedupe_paragraphs: Drop paragraphs already seen in this document or an earlier one.
        min_paragraph_chars_for_dedupe: Paragraphs shorter than this are never deduplicated
            (short lines such as a repeated quote attribution are legitimate).

    >>> IngestOptions(max_bytes=10).max_bytes
    10
    >>> IngestOptions(max_bytes=0)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    geokg.errors.ConfigError: IngestOptions.max_bytes must be a positive integer, got 0; ...
    """

    max_bytes: int = 5_000_000
    max_sentence_chars: int = 2_000
    dedupe_paragraphs: bool = True
    min_paragraph_chars_for_dedupe: int = 40

    def __post_init__(self) -> None:
        """Check that every limit is usable."""
        for name, example in (("max_bytes", "5_000_000"), ("max_sentence_chars", "2_000")):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(
                    f"IngestOptions.{name} must be a positive integer, got {value!r}; "
                    f"pass a limit such as {name}={example}"
                )
        value = self.min_paragraph_chars_for_dedupe
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(
                "IngestOptions.min_paragraph_chars_for_dedupe must be an integer >= 0, "
                f"got {value!r}; pass e.g. min_paragraph_chars_for_dedupe=40"
            )


#: Skips and warnings listed per input file; the rest are only counted (``warnings_suppressed``).
MAX_LISTED_PER_FILE = 20


@dataclass(slots=True)
class IngestReport:
    """What ingest did: documents read and skipped, warnings, and what cleaning removed.

    A mutable accumulator: pass one to :func:`geokg.ingest.iter_documents` and read it after the
    iterator is exhausted. Every skip and warning is also logged as one line on the
    ``geokg.ingest`` logger (``source: reason``).

    Bounded: of one input file's skips and warnings together (a JSONL file's lines count as
    that file), the first ``max_listed_per_file`` are listed and logged; the rest are counted
    in :attr:`suppressed` (by file) and summed up in one more warning when the file ends.
    ``documents_skipped`` still counts every skipped document.

    >>> r = IngestReport()
    >>> r.skip("a.txt", "empty file")
    >>> r.to_dict()["documents_skipped"]
    1
    >>> r = IngestReport(max_listed_per_file=1)
    >>> with r.file("b.jsonl"):
    ...     r.skip("b.jsonl:1", "invalid JSON")
    ...     r.skip("b.jsonl:2", "invalid JSON")
    >>> r.documents_skipped, len(r.skipped), r.suppressed
    (2, 1, {'b.jsonl': 1})
    >>> r.warnings[0]["reason"]
    '1 more skipped lines and warnings not listed (the first 1 are; report.json counts the rest in warnings_suppressed)'

    """

    documents_read: int = 0
    documents_skipped: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    suppressed: dict[str, int] = field(default_factory=dict)
    max_listed_per_file: int = MAX_LISTED_PER_FILE
    _listed: dict[str, int] = field(default_factory=dict, repr=False)
    _current: str | None = field(default=None, repr=False)

    def _keep(self, source: str) -> bool:
        """Count one entry against its file; False when the file's list is already full."""
        key = self._current if self._current is not None else source
        n = self._listed.get(key, 0) + 1
        self._listed[key] = n
        if n <= self.max_listed_per_file:
            return True
        self.suppressed[key] = self.suppressed.get(key, 0) + 1
        return False

    @contextlib.contextmanager
    def file(self, name: str) -> Iterator[None]:
        """Count the skips and warnings made inside the block as ``name``'s (a JSONL file).

        When the block ends and some were not listed, one more warning (listed and logged) says
        how many.
        """
        outer, self._current = self._current, name
        try:
            yield
        finally:
            self._current = outer
            if self.suppressed.get(name):
                reason = (
                    f"{self.suppressed[name]} more skipped lines and warnings not listed (the "
                    f"first {self.max_listed_per_file} are; report.json counts the rest in "
                    "warnings_suppressed)"
                )
                self.warnings.append({"source": name, "reason": reason})
                logger.warning("%s: %s", name, reason)

    def skip(self, source: str, reason: str) -> None:
        """Record one input document that was not built, and log it."""
        self.documents_skipped += 1
        if self._keep(source):
            self.skipped.append({"source": source, "reason": reason})
            logger.warning("skipped %s: %s", source, reason)

    def warn(self, source: str, reason: str) -> None:
        """Record a problem that did not stop the document from being built, and log it."""
        if self._keep(source):
            self.warnings.append({"source": source, "reason": reason})
            logger.warning("%s: %s", source, reason)

    def add_removed(self, counts: Mapping[str, int] | Counter[str]) -> None:
        """Add cleaning counts (by kind) to :attr:`removed`."""
        for kind, n in counts.items():
            if n:
                self.removed[kind] = self.removed.get(kind, 0) + n

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (the ``ingest`` part of ``report.json``).

        Entries keep the order they happened in (inputs are read in a deterministic order);
        ``removed`` is sorted by kind; ``warnings_suppressed`` maps each file whose list was
        cut to the number of entries left out.
        """
        return {
            "documents_read": self.documents_read,
            "documents_skipped": self.documents_skipped,
            "skipped": [dict(e) for e in self.skipped],
            "warnings": [dict(e) for e in self.warnings],
            "warnings_suppressed": dict(self.suppressed),
            "removed": {k: self.removed[k] for k in sorted(self.removed)},
        }
