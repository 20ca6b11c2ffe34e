"""Readers for each input kind, and :func:`iter_documents` over files, folders, globs and stdin.

Every input document ends up either yielded as a :class:`~geokg.model.Document` (counted in
``IngestReport.documents_read``) or recorded in ``IngestReport.skipped`` with a reason; nothing
raises for bad input. Files are read one at a time and JSONL line by line, so memory does not
grow with the corpus (apart from the 8-byte paragraph keys and the ids seen so far).
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any, TextIO

from geokg.errors import InputError
from geokg.ingest._clean import (
    clean_text,
    longest_sentence,
    looks_english,
    normalise_newlines,
    paragraph_key,
    split_headline,
)
from geokg.ingest._dates import find_date, normalise_date
from geokg.ingest._decode import binary_kind, decode_bytes
from geokg.ingest._report import IngestOptions, IngestReport
from geokg.model import Document

__all__ = [
    "JSONL_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "check_inputs",
    "iter_documents",
    "missing_inputs",
    "read_html",
    "read_jsonl",
    "read_text_file",
    "sample_inputs",
]

JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz", ".ndjson")
HTML_SUFFIXES: tuple[str, ...] = (".htm", ".html")
MARKDOWN_SUFFIXES: tuple[str, ...] = (".markdown", ".md")
TEXT_SUFFIXES: tuple[str, ...] = (".text", ".txt")
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(
    sorted(JSONL_SUFFIXES + HTML_SUFFIXES + MARKDOWN_SUFFIXES + TEXT_SUFFIXES)
)
_RESERVED_FIELDS = frozenset({"id", "title", "date", "published", "url", "text"})
_SLUG = re.compile(r"[^\w.-]+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Probe:
    """What the cross-document steps of ingest need to know of one document that reached
    cleaning, read without the state of the other documents (:mod:`geokg.ingest._shards`).

    Attributes:
        doc_id: The id the reader gave: the JSONL ``id`` (``explicit``) or the base that
            ``unique_id`` would make unique.
        explicit: Whether ``doc_id`` is a JSONL ``id`` (a repeat is skipped, not renamed).
        source: Where the document came from (``file`` or ``file:line``).
        paragraphs: Per paragraph of the text cleaned on its own: its key (``None`` for a
            paragraph too short to be de-duplicated), whether it may be dropped as seen in an
            earlier document (not the protected headline), and whether it is short; ``None``
            when no text is left at all.
    """

    doc_id: str
    explicit: bool
    source: str
    paragraphs: tuple[tuple[int | None, bool, bool], ...] | None


#: Called instead of reading a file when a session only plans: (path, source, rel, explicit).
Planner = Callable[[Path, str, PurePath, bool], None]


@dataclass(slots=True)
class _Session:
    """State shared by all inputs of one run.

    Two other uses read inputs in parts (:mod:`geokg.ingest._shards`): a *planning* session
    (``planner``) walks the inputs and hands each file to the planner instead of reading it; a
    *probing* session (``probes``) reads files without the other documents' state and records a
    :class:`Probe` per document instead of building it. ``lines`` restricts a JSONL file to a
    range of its lines (first, last; inclusive, 1-based).
    """

    options: IngestOptions
    report: IngestReport
    paragraphs: set[int] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)  # doc id -> where first seen
    paths: dict[str, str] = field(default_factory=dict)  # resolved file -> source name
    exclude: Path | None = None  # the output folder, resolved: its files are never read
    excluded: list[str] = field(default_factory=list)  # files left out because of ``exclude``
    planner: Planner | None = None
    probes: list[Probe] | None = None
    lines: tuple[int, int] | None = None
    _derived: str | None = None

    def is_excluded(self, path: Path) -> bool:
        """Whether ``path`` is ``exclude`` or lies inside it (and note a file left out)."""
        if self.exclude is None:
            return False
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return False
        return resolved == self.exclude or self.exclude in resolved.parents

    def unique_id(self, base: str) -> str:
        """Return ``base`` or ``base-2``, ``base-3``, ... whichever is not taken yet."""
        if self.probes is not None:
            self._derived = base
            return base
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def finish(
        self,
        *,
        doc_id: str,
        raw: str,
        source: str,
        title: str | None = None,
        published: str | None = None,
        url: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Document | None:
        """Clean ``raw``, check limits, record the outcome; return the document or ``None``."""
        if self.probes is not None:
            self._probe(doc_id, raw, source, title)
            return None
        text, removed = clean_text(raw, options=self.options, seen=self.paragraphs, title=title)
        self.report.add_removed(removed)
        dupes = removed.get("cross_document_duplicates", 0)
        short = self.options.min_paragraph_chars_for_dedupe
        if dupes and all(len(p) < short for p in text.split("\n\n")):
            text = ""  # only a headline or short lines are left of a repeated article
        if not text.strip():
            if dupes:
                self.report.skip(
                    source,
                    f"duplicate document (all {dupes} paragraphs seen in earlier documents)",
                )
            elif raw.strip():
                self.report.skip(source, "no text left after removing web debris")
            else:
                self.report.skip(source, "empty document (only whitespace)")
            return None
        longest = longest_sentence(text)
        if longest > self.options.max_sentence_chars:
            self.report.warn(
                source,
                f"sentence too long ({longest} chars > limit max_sentence_chars="
                f"{self.options.max_sentence_chars}); extractors will not parse it whole",
            )
        if not looks_english(text):
            self.report.warn(
                source, "text does not look like English; the English pipeline may extract little"
            )
        self.ids[doc_id] = source
        self.report.documents_read += 1
        return Document(
            id=doc_id,
            text=text,
            title=title,
            published=published,
            source=source,
            url=url,
            meta=meta or {},
        )

    def _probe(self, doc_id: str, raw: str, source: str, title: str | None) -> None:
        """Record the :class:`Probe` of a document (probing sessions)."""
        assert self.probes is not None
        explicit, self._derived = self._derived != doc_id, None
        text, _removed = clean_text(raw, options=self.options, seen=None, title=title)
        if not text.strip():
            self.probes.append(Probe(doc_id, explicit, source, None))
            return
        short = self.options.min_paragraph_chars_for_dedupe
        protected = None if title is None else paragraph_key(title)
        paragraphs: list[tuple[int | None, bool, bool]] = []
        for index, para in enumerate(text.split("\n\n")):
            if len(para) < short or not self.options.dedupe_paragraphs:
                paragraphs.append((None, False, len(para) < short))
                continue
            key = paragraph_key(para)
            paragraphs.append((key, not (index == 0 and key == protected), False))
        self.probes.append(Probe(doc_id, explicit, source, tuple(paragraphs)))


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    return PurePath(lower).suffix


def _slug_id(rel: PurePath) -> str:
    """Id from a path relative to its input root: suffix dropped, each part slugified."""
    parts = list(rel.parts)
    if parts:
        last = parts[-1]
        suffix = _suffix(last)
        parts[-1] = last[: len(last) - len(suffix)] if suffix else last
    slugs = [_SLUG.sub("-", part).strip("-.") for part in parts]
    return "/".join(s for s in slugs if s) or "doc"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied (check the file's read permission)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read ({exc.strerror or exc.__class__.__name__})"


_FILE_KINDS: tuple[tuple[Any, str], ...] = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "directory"),
)


def _not_regular(path: Path) -> str | None:
    """Why ``path`` is not a regular file (``"FIFO"``, ...), or ``None`` when it is one.

    Only ``stat`` is called, never ``open``: opening a FIFO blocks until a writer appears.
    """
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _FILE_KINDS if test(mode)), "special file")


def _first_seen(path: Path, source: str, session: _Session) -> bool:
    """Record ``path``; return False (and skip) when it is not a regular file or was read before.

    A FIFO, device or socket is skipped before it is opened (reading one could block forever).
    """
    try:
        kind = _not_regular(path)
    except OSError as exc:
        session.report.skip(source, _os_reason(exc))
        return False
    if kind is not None:
        session.report.skip(source, f"not a regular file: {kind}")
        return False
    try:
        key = str(path.resolve())
    except OSError:
        key = str(path.absolute())
    if key in session.paths:
        session.report.skip(source, f"same file already read as {session.paths[key]}")
        return False
    session.paths[key] = source
    return True


def _read_bytes(path: Path, source: str, session: _Session) -> bytes | None:
    """Read a whole (small enough) file; ``None`` after recording why it was skipped."""
    limit = session.options.max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            session.report.skip(source, f"too large ({size} bytes > limit {limit})")
            return None
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        session.report.skip(source, _os_reason(exc))
        return None
    if len(data) > limit:
        session.report.skip(source, f"too large (over {limit} bytes, still growing)")
        return None
    if not data:
        session.report.skip(source, "empty file (0 bytes)")
        return None
    kind = binary_kind(data[:8192])
    if kind is not None:
        session.report.skip(source, f"binary file ({kind}), not text")
        return None
    return data


def _decode(data: bytes, source: str, session: _Session) -> str:
    decoded = decode_bytes(data)
    if decoded.warning is not None:
        session.report.warn(source, decoded.warning)
    return decoded.text


def _markdown_to_text(text: str) -> str:
    """Drop markdown markup that would confuse a parser (headings, links, emphasis, images)."""
    out = []
    for raw in text.split("\n"):
        heading = _MD_HEADING.match(raw)
        line = heading[1] if heading else raw
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line))
        out.append(_MD_EMPHASIS.sub(r"\2", line))
    return "\n".join(out)


def _text_document(
    raw: str, *, doc_id: str, source: str, session: _Session, markdown: bool
) -> Document | None:
    text = normalise_newlines(raw)
    if markdown:
        text = _markdown_to_text(text)
    lines = text.split("\n")
    title, masthead = split_headline(lines)
    published = find_date(lines)
    if masthead is not None:
        session.report.add_removed({"masthead_lines": 1})
        lines = lines[:masthead] + lines[masthead + 1 :]
    return session.finish(
        doc_id=doc_id,
        raw="\n".join(lines),
        source=source,
        title=title,
        published=published,
    )


def _read_text_path(
    path: Path, *, source: str, doc_id: str, session: _Session, unknown: bool = False
) -> Document | None:
    if not _first_seen(path, source, session):
        return None
    data = _read_bytes(path, source, session)
    if data is None:
        return None
    if unknown:
        session.report.warn(
            source, f"unknown file extension {path.suffix or '(none)'!r}; read as plain text"
        )
    return _text_document(
        _decode(data, source, session),
        doc_id=session.unique_id(doc_id),
        source=source,
        session=session,
        markdown=_suffix(path.name) in MARKDOWN_SUFFIXES,
    )


def _extract_html(html: str) -> tuple[str, str | None, str | None, str | None] | None:
    """Main text, title, date and URL of a page with trafilatura; ``None`` if no main text."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None:
        return None
    text = getattr(result, "text", None)
    if not isinstance(text, str) or not text.strip():
        return None
    title = getattr(result, "title", None)
    date = getattr(result, "date", None)
    url = getattr(result, "url", None)
    return (
        text,
        title if isinstance(title, str) and title.strip() else None,
        date if isinstance(date, str) else None,
        url if isinstance(url, str) and url else None,
    )


def _read_html_path(path: Path, *, source: str, doc_id: str, session: _Session) -> Document | None:
    if not _first_seen(path, source, session):
        return None
    data = _read_bytes(path, source, session)
    if data is None:
        return None
    html = _decode(data, source, session)
    try:
        extracted = _extract_html(html)
    except Exception as exc:  # a parser failure on one page must not stop the run
        session.report.skip(source, f"HTML could not be parsed ({exc.__class__.__name__}: {exc})")
        return None
    if extracted is None:
        session.report.skip(source, "no main text found in the HTML page")
        return None
    text, title, date, url = extracted
    text = normalise_newlines(text)
    if title is not None:
        title = " ".join(title.split())
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        if " ".join(first.split()) != title:
            text = f"{title}\n\n{text}"
    published = normalise_date(date) or find_date(text.split("\n"))
    return session.finish(
        doc_id=session.unique_id(doc_id),
        raw=text,
        source=source,
        title=title,
        published=published,
        url=url,
    )


def _binary_lines(fh: IO[bytes], name: str, session: _Session) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, decoded line)``; over-long and undecodable lines are skipped.

    With ``session.lines`` only the lines of that range are looked at (the others are read
    past, unchecked).
    """
    limit = session.options.max_bytes
    lineno = 0
    first, last = session.lines or (1, 0)
    while first > lineno + 1:
        try:
            chunk = fh.readline(_CHUNK)
        except (OSError, EOFError, zlib.error):
            return  # the range's own reader reports nothing it did not reach
        if not chunk:
            return
        if chunk.endswith(b"\n"):
            lineno += 1
    while not last or lineno < last:
        try:
            chunk = fh.readline(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            session.report.skip(
                f"{name}:{lineno + 1}", f"cannot read the rest of the file ({exc}); stopped here"
            )
            return
        if not chunk:
            return
        lineno += 1
        if len(chunk) > limit:
            total = len(chunk)
            try:
                while not chunk.endswith(b"\n"):
                    chunk = fh.readline(_CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
            except (OSError, EOFError, zlib.error):
                pass
            session.report.skip(f"{name}:{lineno}", f"too large ({total} bytes > limit {limit})")
            continue
        if not chunk.strip():
            continue
        if lineno == 1 and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode_bytes(chunk)
            session.report.warn(f"{name}:{lineno}", decoded.warning or "not valid UTF-8")
            line = decoded.text
        yield lineno, line


def _optional_str(obj: dict[str, Any], key: str, source: str, session: _Session) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and value.strip()):
        return value.strip() if isinstance(value, str) else None
    if not isinstance(value, str):
        session.report.warn(source, f"`{key}` is not a string ({type(value).__name__}); ignored")
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: Any) -> tuple[Any, int]:
    """Replace lone surrogates (from JSON escapes like \\ud800) by U+FFFD; count them.

    Python's JSON decoder pairs valid surrogate escapes itself, so any left are unpaired and
    would make every UTF-8 encoder downstream fail.
    """
    if isinstance(value, str):
        fixed, n = _SURROGATE.subn("\ufffd", value)
        return fixed, n
    if isinstance(value, dict):
        total = 0
        out: dict[Any, Any] = {}
        for k, v in value.items():
            fixed_key, n_key = _without_lone_surrogates(k)
            fixed_value, n_value = _without_lone_surrogates(v)
            out[fixed_key] = fixed_value
            total += n_key + n_value
        return out, total
    if isinstance(value, list):
        items = [_without_lone_surrogates(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


def _jsonl_documents(
    lines: Iterable[tuple[int, str]], *, name: str, stem: str, session: _Session
) -> Iterator[Document]:
    found = False
    skipped_before = session.report.documents_skipped
    for lineno, line in lines:
        found = True
        source = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            detail = (
                f"{exc.msg} (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else exc
            )
            session.report.skip(source, f"invalid JSON: {detail}")
            continue
        if not isinstance(obj, dict):
            session.report.skip(source, f"not a JSON object (got {type(obj).__name__})")
            continue
        obj, lone = _without_lone_surrogates(obj)
        if lone:
            session.report.warn(source, f"{lone} lone surrogate escape(s) replaced by U+FFFD")
        if "text" not in obj or obj["text"] is None:
            session.report.skip(source, "missing `text` field")
            continue
        text = obj["text"]
        if not isinstance(text, str):
            session.report.skip(source, f"`text` is not a string (got {type(text).__name__})")
            continue
        raw_id = obj.get("id")
        if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip():
            doc_id = str(raw_id).strip()
            if doc_id in session.ids:
                session.report.skip(
                    source, f"duplicate id {doc_id} (first seen at {session.ids[doc_id]})"
                )
                continue
        else:
            if raw_id is not None:
                session.report.warn(source, f"`id` {raw_id!r} is not usable; derived one instead")
            doc_id = session.unique_id(f"{stem}/{lineno}")
        raw_date = obj.get("date", obj.get("published"))
        published = normalise_date(raw_date)
        if raw_date not in (None, "") and published is None:
            session.report.warn(source, f"date {raw_date!r} is not a clear date; ignored")
        if published is None:
            published = find_date(normalise_newlines(text).split("\n"))
        meta = {k: obj[k] for k in sorted(obj) if k not in _RESERVED_FIELDS}
        doc = session.finish(
            doc_id=doc_id,
            raw=text,
            source=source,
            title=_optional_str(obj, "title", source, session),
            published=published,
            url=_optional_str(obj, "url", source, session),
            meta=meta,
        )
        if doc is not None:
            yield doc
    whole = session.lines is None or (session.lines[0] == 1 and not session.lines[1])
    if not found and session.report.documents_skipped == skipped_before and whole:
        session.report.skip(name, "no JSON lines in file")


def _open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, through gzip for ``.gz``."""
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # GzipFile is an IO[bytes]
    return path.open("rb")


def _read_jsonl_path(
    path: Path, *, source: str, stem: str, session: _Session
) -> Iterator[Document]:
    if not _first_seen(path, source, session):
        return
    try:
        fh = _open_binary(path)
    except OSError as exc:
        session.report.skip(source, _os_reason(exc))
        return
    with fh, session.report.file(source):
        yield from _jsonl_documents(
            _binary_lines(fh, source, session), name=source, stem=stem, session=session
        )


def _read_stdin(stream: TextIO, session: _Session) -> Iterator[Document]:
    name = "<stdin>"
    limit = session.options.max_bytes
    try:
        first = stream.readline(limit + 1)
    except (OSError, UnicodeDecodeError) as exc:
        session.report.skip(name, f"cannot read standard input ({exc})")
        return
    stripped = first.strip()
    is_jsonl = False
    if stripped.startswith("{"):
        with contextlib.suppress(ValueError):
            is_jsonl = isinstance(json.loads(stripped), dict)
    if is_jsonl:

        def lines() -> Iterator[tuple[int, str]]:
            yield 1, first
            for lineno, line in enumerate(stream, start=2):
                if len(line) > limit:
                    session.report.skip(
                        f"{name}:{lineno}", f"too large ({len(line)} chars > limit {limit})"
                    )
                elif line.strip():
                    yield lineno, line

        with session.report.file(name):
            yield from _jsonl_documents(lines(), name=name, stem="stdin", session=session)
        return
    try:
        rest = stream.read(limit + 1 - len(first)) if len(first) <= limit else ""
    except (OSError, UnicodeDecodeError) as exc:
        session.report.skip(name, f"cannot read standard input ({exc})")
        return
    text = first + rest
    if len(text) > limit:
        session.report.skip(name, f"too large (over {limit} characters > limit {limit})")
        return
    if not text.strip():
        session.report.skip(name, "empty input (no text on standard input)")
        return
    doc = _text_document(
        text, doc_id=session.unique_id("stdin"), source=name, session=session, markdown=False
    )
    if doc is not None:
        yield doc


def _read_path(
    path: Path, *, source: str, rel: PurePath, session: _Session, explicit: bool
) -> Iterator[Document]:
    suffix = _suffix(path.name)
    if session.planner is not None:
        if suffix in SUPPORTED_SUFFIXES or explicit:
            session.planner(path, source, rel, explicit)
        return
    doc_id = _slug_id(rel)
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_path(path, source=source, stem=doc_id, session=session)
        return
    if suffix in HTML_SUFFIXES:
        doc = _read_html_path(path, source=source, doc_id=doc_id, session=session)
    else:
        unknown = suffix not in SUPPORTED_SUFFIXES
        if unknown and not explicit:
            return
        doc = _read_text_path(path, source=source, doc_id=doc_id, session=session, unknown=unknown)
    if doc is not None:
        yield doc


def _read_folder(folder: Path, session: _Session) -> Iterator[Document]:
    ignored = 0
    first_ignored = ""
    read = 0
    errors: list[OSError] = []
    if session.is_excluded(folder):
        session.excluded.append(str(folder))
        return
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        kept = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if session.is_excluded(Path(root) / d):
                session.excluded.append(str(Path(root) / d))
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or _suffix(name) not in SUPPORTED_SUFFIXES:
                ignored += 1
                first_ignored = first_ignored or str(path)
                continue
            read += 1
            yield from _read_path(
                path,
                source=str(path),
                rel=path.relative_to(folder),
                session=session,
                explicit=False,
            )
    for exc in errors:
        session.report.skip(str(exc.filename or folder), f"cannot list folder: {_os_reason(exc)}")
    if ignored:
        session.report.warn(
            str(folder),
            f"ignored {ignored} file(s) without a supported extension "
            f"({', '.join(SUPPORTED_SUFFIXES)}), e.g. {first_ignored}",
        )
    if read == 0 and not errors:
        session.report.skip(
            str(folder), f"folder holds no {'/'.join(SUPPORTED_SUFFIXES)} files to read"
        )


def _read_input(item: str | Path, session: _Session, stdin: TextIO | None) -> Iterator[Document]:
    if isinstance(item, str) and item == "-":
        yield from _read_stdin(stdin if stdin is not None else sys.stdin, session)
        return
    name = str(item)
    path = Path(item)
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        session.report.skip(name, _os_reason(exc))
        return
    if is_dir:
        yield from _read_folder(path, session)
    elif exists and session.is_excluded(path):
        session.excluded.append(name)
    elif exists:
        yield from _read_path(
            path, source=name, rel=PurePath(path.name), session=session, explicit=True
        )
    elif isinstance(item, str) and glob.has_magic(item):
        # Path.glob takes no absolute pattern; glob.glob takes any the shell would.
        matches = sorted(glob.glob(item, recursive=True))  # noqa: PTH207
        if not matches:
            session.report.skip(name, "glob pattern matched no files")
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                yield from _read_folder(match_path, session)
            elif session.is_excluded(match_path):
                session.excluded.append(match)
            else:
                yield from _read_path(
                    match_path,
                    source=match,
                    rel=PurePath(match_path.name),
                    session=session,
                    explicit=True,
                )
    else:
        session.report.skip(name, "no such file or directory")


def iter_documents(
    inputs: Sequence[str | Path],
    *,
    options: IngestOptions | None = None,
    report: IngestReport | None = None,
    stdin: TextIO | None = None,
    exclude: str | Path | None = None,
) -> Iterator[Document]:
    """Yield clean documents from files, folders, glob patterns and ``"-"`` (standard input).

    Inputs are read in the order given; a folder is walked recursively in sorted order (hidden
    entries and files without a supported extension are left out, with one warning per folder);
    an explicitly named file of another extension is read as plain text. Bad input never raises:
    each skipped document is recorded in ``report.skipped`` and each problem that did not stop
    a document in ``report.warnings`` (and logged on the ``geokg.ingest`` logger).

    Document ids: a JSONL ``id`` (a repeated id is skipped); for a file, its path relative to
    the folder given (or its name), without extension and slugified, made unique with ``-2``,
    ``-3``...; ``stdin`` for standard input. Paragraphs repeated within or across documents are
    kept once.

    Args:
        inputs: Paths, folders, glob patterns (``news/*.jsonl``) or ``"-"``.
        options: Limits and switches (defaults: :class:`IngestOptions`).
        report: Accumulator to fill in (a fresh one is used if omitted).
        stdin: Stream read for ``"-"`` (default ``sys.stdin``).
        exclude: A folder whose files are never read (a build's output folder): an input that
            is it, lies in it or holds it leaves its files out, with one warning saying so.

    Yields:
        One :class:`~geokg.model.Document` per input document that could be built.

    >>> import io
    >>> report = IngestReport()
    >>> docs = list(iter_documents(["-", "missing.txt"], report=report,
    ...                            stdin=io.StringIO("Talks resume\\nThe talks resumed today.")))
    >>> [(d.id, d.title) for d in docs]
    [('stdin', 'Talks resume')]
    >>> report.skipped
    [{'source': 'missing.txt', 'reason': 'no such file or directory'}]
    """
    session = _Session(options or IngestOptions(), report if report is not None else IngestReport())
    if exclude is not None:
        session.exclude = Path(exclude).resolve()
    for item in inputs:
        yield from _read_input(item, session, stdin)
    _warn_excluded(session, exclude)


def _warn_excluded(session: _Session, exclude: str | Path | None) -> None:
    """One warning for the paths left out because they are in the output folder."""
    if session.excluded:
        session.report.warn(
            str(exclude),
            f"not read as input: {len(session.excluded)} path(s) in the output folder (e.g. "
            f"{session.excluded[0]}); a build never reads its own outputs",
        )


def missing_inputs(inputs: Sequence[str | Path]) -> list[tuple[str, str]]:
    """The inputs that name nothing, each with the reason: a path that does not exist, a glob
    pattern that matches no file (``"-"`` always names standard input).

    >>> missing_inputs(["-", "no/such/file.txt", "no/such/*.jsonl"])
    [('no/such/file.txt', 'no such file or directory'), ('no/such/*.jsonl', 'glob pattern matched no files')]
    """
    found: list[tuple[str, str]] = []
    for item in inputs:
        name = str(item)
        if name == "-":
            continue
        try:
            if Path(item).exists():
                continue
        except OSError:
            continue  # reported when read
        if isinstance(item, str) and glob.has_magic(item):
            if not glob.glob(item, recursive=True):  # noqa: PTH207
                found.append((name, "glob pattern matched no files"))
        else:
            found.append((name, "no such file or directory"))
    return found


def check_inputs(inputs: Sequence[str | Path]) -> None:
    """Raise :class:`~geokg.errors.InputError` naming the first input that names nothing (no
    such path, a glob that matches no file), before anything is loaded or written."""
    missing = missing_inputs(inputs)
    if missing:
        source, reason = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(source, f"{reason}{more}; nothing was built")


def sample_inputs() -> list[Path]:
    """The sample articles shipped with the package (``geokg/data/samples``)."""
    base = Path(__file__).resolve().parent.parent / "data" / "samples"
    return sorted(p for p in base.iterdir() if p.suffix in (".txt", ".md", ".jsonl", ".html"))


def _single_session(options: IngestOptions | None, report: IngestReport | None) -> _Session:
    return _Session(options or IngestOptions(), report if report is not None else IngestReport())


def read_text_file(
    path: str | Path,
    *,
    options: IngestOptions | None = None,
    report: IngestReport | None = None,
    doc_id: str | None = None,
) -> Document | None:
    """Read one ``.txt``/``.md`` article; ``None`` if it was skipped (see ``report.skipped``).

    The first line is the title when it looks like a headline (a markdown ``#`` heading is
    one); it also stays in ``text`` as the first paragraph, so extractors see it. A date is
    taken from a ``Published ...`` line, a dateline or a tweet signature.
    """
    path = Path(path)
    session = _single_session(options, report)
    return _read_text_path(
        path,
        source=str(path),
        doc_id=doc_id or _slug_id(PurePath(path.name)),
        session=session,
        unknown=_suffix(path.name) not in SUPPORTED_SUFFIXES,
    )


def read_html(
    path: str | Path,
    *,
    options: IngestOptions | None = None,
    report: IngestReport | None = None,
    doc_id: str | None = None,
) -> Document | None:
    """Read one HTML page with trafilatura (main text, title, date, URL); ``None`` if skipped.

    When the page has a title that is not already the first line of the main text, it is put
    in front of the text as its first paragraph (as for plain-text articles).
    """
    path = Path(path)
    return _read_html_path(
        path,
        source=str(path),
        doc_id=doc_id or _slug_id(PurePath(path.name)),
        session=_single_session(options, report),
    )


def read_jsonl(
    path: str | Path,
    *,
    options: IngestOptions | None = None,
    report: IngestReport | None = None,
) -> Iterator[Document]:
    """Read a ``.jsonl`` or ``.jsonl.gz`` file line by line.

    Fields ``id``, ``title``, ``date`` (or ``published``; an ISO timestamp keeps its date part),
    ``url`` and ``text`` fill the document; other fields go to ``Document.meta``. The text is
    used as given (after debris cleaning): the title is not added to it.
    """
    path = Path(path)
    yield from _read_jsonl_path(
        path,
        source=str(path),
        stem=_slug_id(PurePath(path.name)),
        session=_single_session(options, report),
    )
