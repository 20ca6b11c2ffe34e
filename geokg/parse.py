"""The parse loop: documents → parsing units → ``nlp.pipe`` → :class:`~geokg.model.DocResult`.

Documents are cut into units (lines, long lines cut between sentences) and parsed in batches
bounded in characters, inside spaCy memory zones, so parser memory stays flat with the corpus.
:func:`parse_documents` runs the loop into the checkpoint (:mod:`geokg.checkpoint`), each
document resolved by :mod:`geokg.graph.policy` as soon as it is parsed; :func:`parse_in_child`
runs it in a process of its own, whose exit gives all of the parser's memory back.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from geokg.checkpoint import (
    DONE,
    PARTIAL_DIR,
    Checkpoint,
    decode,
    encode,
    iter_done,
    open_checkpoint,
    skip_done,
)
from geokg.errors import GeoKGError, InputError
from geokg.events_learned import event_typer
from geokg.extractors import DEFAULT_EXTRACTOR, DocExtraction
from geokg.extractors._deps import PARSER_FOLD
from geokg.gazetteer import Gazetteer
from geokg.graph.policy import doc_record, failed_record
from geokg.ingest import IngestOptions, IngestReport, iter_documents
from geokg.model import DocRecord, DocResult, Document
from geokg.nlp import load_model, model_label
from geokg.nlp_fast import numpy_for_parsing
from geokg.options import BuildOptions
from geokg.report import Tally

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from spacy.language import Language
    from tqdm import tqdm

__all__ = [
    "PARSER_ENVIRONMENT",
    "UNUSED_COMPONENTS",
    "Parsed",
    "doc_records",
    "extract_documents",
    "extract_stream",
    "parse_bar",
    "parse_documents",
    "parse_in_child",
    "parse_into_checkpoint",
]


#: At most this many documents, and (unless one document is longer) characters, go through one
#: spaCy memory zone (the vocabulary a zone adds is freed after it). Each zone makes the lexemes
#: and tokenizer entries of its words again: with zones of 200 White House documents that was
#: about 16% of the parse's CPU time, with zones of 1,000 about 1%; the characters bound the
#: documents a zone holds in memory at once.
_ZONE_DOCS = 1_000
_ZONE_CHARS = 4_000_000


# Parsing units and batches are bounded in characters, so that parser memory does not depend on
# the longest line of the corpus (peak RSS must stay flat from 1k to 20k documents).
_MAX_UNIT_CHARS = 5_000


_BATCH_CHARS = 32_000


_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=\S)")


_PARA_SPLIT = re.compile(r"[^\n]+")


# Components the extractors never read; the stand-in's senter is disabled anyway.
UNUSED_COMPONENTS = ("senter",)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """The units parsed one by one: lines, with overlong lines cut between sentences.

    A line over :data:`_MAX_UNIT_CHARS` (a transcript or a scraped page on one line) is cut at
    sentence ends, else at spaces, so the parser's memory is bounded by the unit, not the line.

    >>> [(start, len(p)) for start, p in _paragraphs("Short line.\\n" + "A b. " * 2000)]
    [(0, 11), (12, 4994), (5007, 4994), (10002, 9)]
    """
    out: list[tuple[int, str]] = []
    for m in _PARA_SPLIT.finditer(text):
        para = m.group()
        if not para.strip():
            continue
        if len(para) <= _MAX_UNIT_CHARS:
            out.append((m.start(), para))
            continue
        pos = 0
        while pos < len(para):
            end = min(pos + _MAX_UNIT_CHARS, len(para))
            if end < len(para):
                window = para[pos:end]
                cut = max((c.end() for c in _SENTENCE_END.finditer(window)), default=0)
                if cut < _MAX_UNIT_CHARS // 2:
                    cut = window.rfind(" ") + 1
                if cut > 0:
                    end = pos + cut
            piece = para[pos:end]
            if piece.strip():
                out.append((m.start() + pos, piece.rstrip()))
            pos = end
    return out


def _char_batches(
    items: Iterable[tuple[str, tuple[int, int]]], size: int, max_chars: int
) -> Iterator[list[tuple[str, tuple[int, int]]]]:
    """Batches of at most ``size`` units and (unless one unit is longer) ``max_chars``."""
    batch: list[tuple[str, tuple[int, int]]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= size or chars + len(item[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def extract_stream(
    documents: Iterable[Document],
    nlp: Language,
    *,
    batch_size: int = 64,
    processes: int = 1,
    max_sentence_chars: int = 2_000,
    open_mode: bool = False,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[tuple[Document, DocResult | Exception]]:
    """Like :func:`extract_documents`, but an extractor failure on one document is yielded.

    With one process, documents go through in chunks, each inside a spaCy memory zone: the
    strings and lexemes a chunk adds to the vocabulary are freed after it, so memory does not
    grow with the corpus. Nothing spaCy-owned leaves a chunk (the results are plain records).
    """
    if processes > 1 or not hasattr(nlp, "memory_zone"):
        yield from _extract_chunk(
            documents,
            nlp,
            batch_size=batch_size,
            processes=processes,
            max_sentence_chars=max_sentence_chars,
            open_mode=open_mode,
            extractor=extractor,
        )
        return
    for chunk in _zones(documents):
        with _memory_zone(nlp):
            yield from _extract_chunk(
                chunk,
                nlp,
                batch_size=batch_size,
                processes=1,
                max_sentence_chars=max_sentence_chars,
                open_mode=open_mode,
                extractor=extractor,
            )
        _clear_pipe_caches(nlp)


def _zones(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """The documents in chunks of at most :data:`_ZONE_DOCS` documents and (unless one is
    longer) :data:`_ZONE_CHARS` characters, one chunk a memory zone.

    >>> from geokg.model import Document
    >>> docs = [Document(id=str(k), text="x" * n) for k, n in enumerate([10, 10, 5_000_000, 3])]
    >>> [[d.id for d in chunk] for chunk in _zones(docs)]
    [['0', '1'], ['2'], ['3']]
    """
    chunk: list[Document] = []
    chars = 0
    for doc in documents:
        if chunk and (len(chunk) >= _ZONE_DOCS or chars + len(doc.text) > _ZONE_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append(doc)
        chars += len(doc.text)
    if chunk:
        yield chunk


@contextlib.contextmanager
def _memory_zone(nlp: Language) -> Iterator[None]:
    """``nlp.memory_zone()``, left as on a normal exit even when the block raises (or the
    generator inside it is closed). spaCy 3.8.7 (constraints.txt) frees a zone's strings and
    lexemes only on a normal exit; a zone left by an exception kept them marked transient, and
    the next zone of the same pipeline failed an assertion in ``Vocab.get``. Later spaCy frees
    them in a ``finally``, which is what this does for every version."""
    zone = nlp.memory_zone()
    zone.__enter__()
    try:
        yield
    finally:
        zone.__exit__(None, None, None)


def _clear_pipe_caches(nlp: Language) -> None:
    """Empty the per-word caches that spaCy's memory zones leave alone.

    The rule-based lemmatizer keeps every (word, tag, morphology) it has seen in ``cache``, an
    unbounded dict, so it grows with the corpus. Emptying it after each zone keeps memory flat;
    the next zone fills it again with its own words.
    """
    for _, pipe in nlp.pipeline:
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict):
            cache.clear()


def _extract_chunk(
    documents: Iterable[Document],
    nlp: Language,
    *,
    batch_size: int,
    processes: int,
    max_sentence_chars: int,
    open_mode: bool,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[tuple[Document, DocResult | Exception]]:
    label = model_label(nlp)
    pending: dict[int, _Pending] = {}

    def stream() -> Iterator[tuple[str, tuple[int, int]]]:
        for k, doc in enumerate(documents):
            paras = _paragraphs(doc.text)
            pending[k] = _Pending(doc, len(paras))
            try:
                pending[k].run = DocExtraction(
                    doc,
                    model=label,
                    max_sentence_chars=max_sentence_chars,
                    open_mode=open_mode,
                    extractor=extractor,
                )
            except Exception as exc:  # one document's failure must not stop the run
                pending[k].error = exc
            if not paras:
                yield "", (k, -1)
            for start, para in paras:
                yield para.translate(PARSER_FOLD), (k, start)

    def parses() -> Iterator[tuple[Any, tuple[int, int]]]:
        with numpy_for_parsing():  # one BLAS thread, no huge pages (geokg.nlp_fast)
            if processes > 1:
                yield from nlp.pipe(
                    stream(), as_tuples=True, batch_size=batch_size, n_process=processes
                )
                return
            for batch in _char_batches(stream(), batch_size, _BATCH_CHARS):
                yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    for sdoc, (k, start) in parses():
        entry = pending[k]
        if start >= 0:
            entry.read(start, sdoc)
        del sdoc
        if entry.seen >= entry.paragraphs:
            del pending[k]
            yield entry.doc, entry.result()


@dataclass(slots=True)
class _Pending:
    """A document whose paragraphs are being parsed and read."""

    doc: Document
    paragraphs: int
    seen: int = 0
    run: DocExtraction | None = None
    error: Exception | None = None

    def read(self, start: int, sdoc: Any) -> None:
        """Read one parsed paragraph.

        Each paragraph is read as soon as it is parsed, and its Doc dropped: memory is bounded
        by a batch, not by the longest document.
        """
        self.seen += 1
        if self.error is None and self.run is not None:
            try:
                self.run.add(start, sdoc)
            except Exception as exc:  # one document's failure must not stop the run
                self.error = exc

    def result(self) -> DocResult | Exception:
        """The document's extraction, or the exception that stopped it."""
        if self.error is not None or self.run is None:
            return self.error or RuntimeError("the document's extraction did not start")
        try:
            return self.run.finish()
        except Exception as exc:  # one document's failure must not stop the run
            return exc


def extract_documents(
    documents: Iterable[Document],
    nlp: Language,
    *,
    batch_size: int = 64,
    processes: int = 1,
    max_sentence_chars: int = 2_000,
    open_mode: bool = False,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[DocResult]:
    """Parse and extract each document, streaming; yields one :class:`DocResult` per document.

    Documents come out in the order they went in (``nlp.pipe`` keeps order).
    """
    for _, result in extract_stream(
        documents,
        nlp,
        batch_size=batch_size,
        processes=processes,
        max_sentence_chars=max_sentence_chars,
        open_mode=open_mode,
        extractor=extractor,
    ):
        if isinstance(result, Exception):
            raise result
        yield result


@dataclass(slots=True)
class Parsed:
    """What parsing into the checkpoint hands to the graph assembly."""

    label: str
    model_load_s: float
    tally: Tally  # the counts, and the documents whose extraction failed
    ingest_report: IngestReport
    documents: int  # documents in the checkpoint (finished or failed)
    resumed: int  # of those, documents an interrupted build had finished


def doc_records(
    documents: Iterable[Document],
    nlp: Language,
    options: BuildOptions,
    *,
    start: int = 0,
    strict: bool = False,
) -> Iterator[DocRecord]:
    """Parse, extract and resolve each document into its record (numbered from ``start``); a
    document whose extraction or resolution failed gets a failed record, and the run goes on
    (``strict``: the exception is raised)."""
    gaz = Gazetteer.default()
    typer = event_typer(options.event_typer)
    for k, (doc, result) in enumerate(
        extract_stream(
            documents,
            nlp,
            batch_size=options.batch_size,
            processes=options.processes,
            max_sentence_chars=options.ingest.max_sentence_chars,
            extractor=options.extractor,
        ),
        start,
    ):
        if isinstance(result, Exception):
            if strict:
                raise result
            yield failed_record(k, doc, result)
            continue
        try:
            rec = doc_record(k, doc, result, gaz, typer)
        except Exception as exc:  # one document's failure must not stop the run
            if strict:
                raise
            rec = failed_record(k, doc, exc)
        yield rec


def parse_documents(
    inputs: list[str],
    out: Path,
    options: BuildOptions,
    *,
    update: bool,
    stdin: Any,
    resume: bool,
) -> Parsed:
    """Read, parse and extract every document into the checkpoint (nothing else in ``out``)."""
    t0 = time.perf_counter()
    nlp = load_model(options.model, exclude=UNUSED_COMPONENTS, cached=not options.release_model)
    label = model_label(nlp)
    t_model = time.perf_counter()
    done_path = out / PARTIAL_DIR / DONE
    done = open_checkpoint(out, inputs, options, label=label, update=update, resume=resume)

    ingest_report = IngestReport()
    tally = Tally()
    seen = [0]
    k = len(done)
    documents = iter_documents(
        inputs, options=options.ingest, report=ingest_report, stdin=stdin, exclude=out
    )
    stream = skip_done(documents, done, seen)

    checkpoint = Checkpoint(done_path)
    bar = parse_bar(inputs, options.ingest, options.progress, initial=len(done))
    try:
        for rec in iter_done(done_path, len(done)):
            tally.add(rec)
        for rec in doc_records(stream, nlp, options, start=k):
            line = encode(rec)
            checkpoint.write(line)
            tally.add(decode(line))  # the same values a resumed run reads back
            k += 1
            bar.update(1)
    finally:
        bar.close()
        checkpoint.close()
    if seen[0] < len(done):
        raise InputError(
            ", ".join(inputs),
            f"the inputs now give {seen[0]} documents but the interrupted build had finished "
            f"{len(done)}: they changed since; run the build again without --resume",
        )
    return Parsed(
        label=label,
        model_load_s=t_model - t0,
        tally=tally,
        ingest_report=ingest_report,
        documents=k,
        resumed=len(done),
    )


def parse_into_checkpoint(
    inputs: list[str],
    out: Path,
    options: BuildOptions,
    *,
    update: bool,
    stdin: Any,
    resume: bool,
) -> Parsed:
    """:func:`parse_documents`, in a process of its own with ``release_model`` (but for
    standard input, which that process cannot read)."""
    if options.release_model and "-" not in inputs:
        # A process of its own: when it exits, all of the parser's memory goes back to the
        # system before the graph is assembled (freeing the pipeline in this process returns
        # less than half of it).
        return parse_in_child(inputs, out, options, update=update, resume=resume)
    parsed = parse_documents(inputs, out, options, update=update, stdin=stdin, resume=resume)
    if options.release_model:
        gc.collect()  # the private pipeline went with parse_documents's frame
    return parsed


def _parse_child(
    conn: Connection, inputs: list[str], out: str, options: BuildOptions, update: bool, resume: bool
) -> None:
    """Entry point of the parsing process: send back the :class:`Parsed` or the exception."""
    _exit_with_parent()
    try:
        conn.send(
            (
                "ok",
                parse_documents(
                    inputs, Path(out), options, update=update, stdin=None, resume=resume
                ),
            )
        )
    except BaseException as exc:  # sent to the parent, which raises it
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle: send its text
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        if isinstance(exc, KeyboardInterrupt):
            raise SystemExit(130) from None  # Ctrl-C: the parent reports it, no traceback here
        if not isinstance(exc, Exception):
            raise
    finally:
        conn.close()


def _exit_with_parent() -> None:
    """End this process at once when the build process ends first (killed with SIGKILL, say).

    An orphan would go on writing the checkpoint while ``--resume`` reads it. A torn last record
    is what a kill leaves anyway, and resuming drops it.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns when the parent's end of the sentinel pipe closes
        os._exit(70)

    threading.Thread(target=watch, name="geokg-parent-watch", daemon=True).start()


#: The parsing process's allocator settings, read by glibc's malloc when the process starts (other
#: C libraries ignore them; a value already set in the environment is kept). The layers' arrays
#: are freed and made again at every batch: by default glibc hands arrays over 128 KiB (its
#: threshold moves up as they are freed) to fresh ``mmap`` regions and gives freed memory back,
#: so the kernel faulted in and zeroed their pages again and again. With arrays up to 32 MiB
#: kept in the heap and the heap not trimmed, a build of 1,000 White House documents spent 84
#: CPU s in the parsing process instead of 97 to 101 (system time 0.3 s instead of 8.4 to 8.9);
#: the untrimmed heap adds about 7 MB to its peak (docs/PERFORMANCE.md, PERFORMANCE-memory.md).
PARSER_ENVIRONMENT = {
    "MALLOC_MMAP_THRESHOLD_": str(32 << 20),
    "MALLOC_TRIM_THRESHOLD_": str(2 << 30),
}


@contextlib.contextmanager
def _child_environment(values: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` added where unset, for a process started in the block."""
    added = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)


def parse_in_child(
    inputs: list[str],
    out: Path,
    options: BuildOptions,
    *,
    update: bool,
    resume: bool,
    target: Callable[..., None] = _parse_child,
) -> Parsed:
    """Run :func:`parse_documents` in a fresh process and return its result.

    The exception it raised is raised here. A process that dies without an answer (killed, out
    of memory) leaves its checkpoint, so the message points to ``--resume``.
    """
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=target,
        args=(sender, inputs, str(out), options, update, resume),
        name="geokg-parse",
    )
    with _child_environment(PARSER_ENVIRONMENT):
        proc.start()
    sender.close()
    try:
        kind, payload = receiver.recv()
    except EOFError:
        proc.join()
        raise GeoKGError(
            f"the parsing process stopped (exit code {proc.exitcode}) before it finished; the "
            f"documents it finished are kept: run 'geokg build --resume {out}' to go on"
        ) from None
    except KeyboardInterrupt:
        proc.join(timeout=60)  # it had the same signal and is closing its checkpoint
        raise
    finally:
        receiver.close()
    proc.join()
    if kind == "error":
        raise payload
    assert isinstance(payload, Parsed)
    return payload


def parse_bar(
    inputs: Sequence[str],
    ingest: IngestOptions,
    enabled: bool | None,
    *,
    initial: int = 0,
    file: TextIO | None = None,
) -> tqdm[NoReturn]:
    """A tqdm bar over the parse: it moves as each document's parse ends (spaCy reads a batch of
    documents ahead, so a bar over the reading reached the end before the parse began), with the
    rate and, from the number of input documents, the time left.

    ``enabled=None`` shows it only when ``file`` (default stderr) is a terminal. When shown, the
    inputs are counted first by a quiet reading pass (its warnings are not repeated); standard
    input cannot be read twice, so with ``-`` the bar has no total and shows no time left.
    """
    from tqdm import tqdm

    stream = sys.stderr if file is None else file
    show = stream.isatty() if enabled is None else enabled
    total: int | None = None
    if show and "-" not in inputs:
        ingest_logger = logging.getLogger("geokg.ingest")
        was_disabled, ingest_logger.disabled = ingest_logger.disabled, True
        try:
            total = sum(1 for _ in iter_documents(inputs, options=ingest, report=IngestReport()))
        finally:
            ingest_logger.disabled = was_disabled
    return tqdm(
        total=total,
        initial=initial,
        desc="geokg: parsing",
        unit="doc",
        file=stream,
        disable=not show,
        dynamic_ncols=True,
    )
