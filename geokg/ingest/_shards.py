"""Reading the inputs in shards, on workers, with the documents and report of one sequential read.

A distributed build (:mod:`geokg.distributed`) lets each worker read its own part of the inputs
from shared storage, so no text passes through the client. What one document becomes still
depends on the documents before it: a paragraph seen in an earlier document is dropped, a
repeated JSONL ``id`` is skipped and a repeated derived id gets ``-2``. Three steps keep that
exact:

1. :func:`plan_shards` (client) walks the inputs as :func:`~geokg.ingest.iter_documents` does,
   but only lists files (a JSONL file is cut into ranges of lines), and groups them into
   shards of about ``size`` documents. It opens no file but a JSONL one, whose lines it counts.
2. :func:`probe_shard` (worker) reads and cleans one shard's documents on their own and returns
   a :class:`~geokg.ingest._readers.Probe` per document: its id and its paragraphs' 8-byte keys.
3. :class:`Replay` (client) takes the shards' probes in order and gives each shard its
   :class:`Seed`: the ids and paragraph keys of earlier shards that its documents meet. Then
   :func:`read_shard` (worker) reads the shard again, seeded, and yields exactly the documents,
   skips and warnings that a sequential read gives for that part of the inputs.

:func:`merge_reports` puts the shards' skips and warnings back in sequential order.
:func:`iter_documents_sharded` runs all of it in one process (the tests compare it with
:func:`~geokg.ingest.iter_documents`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from geokg.errors import ConfigError
from geokg.ingest._readers import (
    JSONL_SUFFIXES,
    Probe,
    _first_seen,
    _open_binary,
    _read_input,
    _read_path,
    _Session,
    _suffix,
    _warn_excluded,
)
from geokg.ingest._report import IngestOptions, IngestReport
from geokg.model import Document

__all__ = [
    "Event",
    "Replay",
    "Seed",
    "Shard",
    "ShardRead",
    "Unit",
    "iter_documents_sharded",
    "merge_reports",
    "plan_shards",
    "probe_shard",
    "read_shard",
]

#: A skip or warning as it happened: (kind ``skip``/``warn``, source, reason, the JSONL file
#: whose list it counts against or ``""``).
Event = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Unit:
    """One input file, or a range of a JSONL file's lines (``lines``: first, last, inclusive)."""

    index: int
    path: str
    source: str
    rel: str
    explicit: bool
    lines: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Shard:
    """Consecutive units read by one task."""

    index: int
    units: tuple[Unit, ...]


@dataclass(slots=True)
class Plan:
    """The shards, and the steps of a sequential read: a unit's index, or an event of the
    walk itself (a missing input, a folder's ignored files) at its place between units."""

    shards: list[Shard] = field(default_factory=list)
    steps: list[int | Event] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Seed:
    """What a shard's read needs of the shards before it."""

    ids: tuple[tuple[str, str], ...] = ()
    paragraphs: frozenset[int] = frozenset()


@dataclass(slots=True)
class ShardRead:
    """What :func:`read_shard` recorded besides the documents."""

    events: dict[int, list[Event]] = field(default_factory=dict)  # unit index -> its events
    documents_read: int = 0
    removed: dict[str, int] = field(default_factory=dict)


class _Recorder(IngestReport):
    """An :class:`IngestReport` that records skips and warnings in order, uncounted and
    unlogged, so that they can be replayed into the run's report (:func:`merge_reports`)."""

    __slots__ = ("events", "unit")

    def __init__(self) -> None:
        super().__init__()
        self.events: dict[int, list[Event]] = {}
        self.unit = -1

    @contextlib.contextmanager
    def file(self, name: str) -> Iterator[None]:
        outer, self._current = self._current, name
        try:
            yield
        finally:
            self._current = outer

    def skip(self, source: str, reason: str) -> None:
        self.documents_skipped += 1  # a JSONL reader compares it ("no JSON lines in file")
        self.events.setdefault(self.unit, []).append(("skip", source, reason, self._current or ""))

    def warn(self, source: str, reason: str) -> None:
        self.events.setdefault(self.unit, []).append(("warn", source, reason, self._current or ""))


def _count_lines(path: Path) -> list[int]:
    """The numbers of a JSONL file's non-blank lines (read as bytes, nothing decoded)."""
    numbers: list[int] = []
    try:
        with _open_binary(path) as fh:
            for n, line in enumerate(fh, start=1):
                if line.strip():
                    numbers.append(n)
    except (OSError, EOFError, ValueError):
        pass  # the reader of the first range reports what is wrong with the file
    return numbers


def plan_shards(
    inputs: Sequence[str | Path],
    *,
    size: int,
    options: IngestOptions | None = None,
    exclude: str | Path | None = None,
) -> Plan:
    """Walk ``inputs`` as :func:`~geokg.ingest.iter_documents` would and cut them into shards
    of about ``size`` documents (a file is one document, a JSONL line one).

    Raises:
        ConfigError: ``size`` is below 1, or an input is standard input (``-``), which
            workers cannot read.
    """
    if size < 1:
        raise ConfigError(f"partition size must be at least 1, got {size}; pass e.g. 64")
    if any(str(item) == "-" for item in inputs):
        raise ConfigError(
            "standard input cannot be read by workers; write it to a file on shared storage"
        )
    walk = _Walk(size, _Recorder())
    session = _Session(options or IngestOptions(), walk.report, planner=walk.unit)
    walk.session = session
    if exclude is not None:
        session.exclude = Path(exclude).resolve()
    for item in inputs:
        for _ in _read_input(item, session, None):
            pass  # a planning session yields nothing
        walk.flush()
    _warn_excluded(session, exclude)
    walk.flush()
    walk.plan.shards = _group(walk.units, size)
    return walk.plan


@dataclass(slots=True)
class _Walk:
    """The planning session's planner: units and the walk's events, in order."""

    size: int
    report: _Recorder
    plan: Plan = field(default_factory=Plan)
    units: list[Unit] = field(default_factory=list)
    session: _Session | None = None

    def flush(self) -> None:
        """Put the events recorded since the last unit in the steps."""
        self.plan.steps.extend(self.report.events.pop(-1, []))

    def unit(self, path: Path, source: str, rel: PurePath, explicit: bool) -> None:
        """Plan one file (a JSONL file perhaps as several ranges)."""
        assert self.session is not None
        self.flush()
        if not _first_seen(path, source, self.session):
            self.flush()
            return
        for lines in _ranges(path, self.size):
            unit = Unit(len(self.units), str(path), source, rel.as_posix(), explicit, lines)
            self.units.append(unit)
            self.plan.steps.append(unit.index)


def _ranges(path: Path, size: int) -> list[tuple[int, int] | None]:
    """A JSONL file of more than ``size`` non-blank lines as ranges of ``size`` such lines
    (the last one open: ``0``); any other file whole (``None``)."""
    if _suffix(path.name) not in JSONL_SUFFIXES:
        return [None]
    numbers = _count_lines(path)
    if len(numbers) <= size:
        return [None]
    starts = [1, *(numbers[i] for i in range(size, len(numbers), size))]
    ends = [s - 1 for s in starts[1:]] + [0]
    return list(zip(starts, ends, strict=True))


def _group(units: Sequence[Unit], size: int) -> list[Shard]:
    """Consecutive units in shards of about ``size`` documents."""
    shards: list[Shard] = []
    start, total = 0, 0
    for i, unit in enumerate(units):
        total += _weight(unit, size)
        if total >= size or i == len(units) - 1:
            shards.append(Shard(len(shards), tuple(units[start : i + 1])))
            start, total = i + 1, 0
    return shards


def _weight(unit: Unit, size: int) -> int:
    """Documents a unit holds, about: a JSONL range its lines, a whole JSONL file ``size``
    at most (it was not cut, so it has no more), any other file one."""
    if unit.lines is not None:
        first, last = unit.lines
        return max(1, (last - first + 1) if last else size)
    return size if _suffix(Path(unit.path).name) in JSONL_SUFFIXES else 1


def _read_units(shard: Shard, session: _Session, report: _Recorder) -> Iterator[Document]:
    for unit in shard.units:
        report.unit = unit.index
        session.paths.clear()  # a file cut into ranges is read once per range
        session.lines = unit.lines
        yield from _read_path(
            Path(unit.path),
            source=unit.source,
            rel=PurePath(unit.rel),
            session=session,
            explicit=unit.explicit,
        )


def probe_shard(shard: Shard, options: IngestOptions | None = None) -> list[Probe]:
    """Read and clean one shard's documents on their own; one :class:`Probe` each, in order."""
    probes: list[Probe] = []
    report = _Recorder()
    session = _Session(options or IngestOptions(), report, probes=probes)
    for _ in _read_units(shard, session, report):
        pass  # a probing session yields nothing
    return probes


def read_shard(
    shard: Shard, seed: Seed, options: IngestOptions | None = None, record: ShardRead | None = None
) -> Iterator[Document]:
    """Yield the shard's documents as a sequential read of all inputs would (given ``seed``,
    from :class:`Replay`); its skips, warnings and counts go into ``record``."""
    record = record if record is not None else ShardRead()
    report = _Recorder()
    session = _Session(
        options or IngestOptions(),
        report,
        paragraphs=set(seed.paragraphs),
        ids=dict(seed.ids),
    )
    try:
        yield from _read_units(shard, session, report)
    finally:
        for unit, events in report.events.items():
            record.events.setdefault(unit, []).extend(events)
        record.documents_read += report.documents_read
        for kind, n in report.removed.items():
            record.removed[kind] = record.removed.get(kind, 0) + n


@dataclass(slots=True)
class Replay:
    """The cross-document state of a sequential read, kept from probes alone (client side).

    Feed it each shard's probes in shard order (:meth:`seed`); it returns what that shard's
    read must know of the shards before it. Memory: the ids taken and 8 bytes per paragraph.
    """

    ids: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (source, shard)
    seen: set[int] = field(default_factory=set)
    shards: int = 0

    def seed(self, probes: Sequence[Probe]) -> Seed:
        """The :class:`Seed` of the next shard, whose documents' probes are ``probes``."""
        shard = self.shards
        self.shards += 1
        keys = {k for p in probes for k, _drop, _short in p.paragraphs or () if k is not None}
        paragraphs = frozenset(keys & self.seen)
        ids: dict[str, str] = {}
        for probe in probes:
            doc_id = self._take_id(probe, shard, ids)
            if doc_id is not None and self._accepted(probe):
                self.ids[doc_id] = (probe.source, shard)
        return Seed(tuple(sorted(ids.items())), paragraphs)

    def _earlier(self, doc_id: str, shard: int, ids: dict[str, str]) -> bool:
        """Whether ``doc_id`` is taken; an id an earlier shard took goes into the seed."""
        taken = self.ids.get(doc_id)
        if taken is not None and taken[1] < shard:
            ids[doc_id] = taken[0]
        return taken is not None

    def _take_id(self, probe: Probe, shard: int, ids: dict[str, str]) -> str | None:
        if probe.explicit:
            return None if self._earlier(probe.doc_id, shard, ids) else probe.doc_id
        candidate, n = probe.doc_id, 1
        while self._earlier(candidate, shard, ids):
            n += 1
            candidate = f"{probe.doc_id}-{n}"
        return candidate

    def _accepted(self, probe: Probe) -> bool:
        """Clean as a sequential read would; whether the document is kept (its paragraphs'
        keys are remembered either way, as :func:`~geokg.ingest.clean_text` does)."""
        if probe.paragraphs is None:
            return False
        dropped, left = 0, []
        for key, droppable, short in probe.paragraphs:
            if droppable and key in self.seen:
                dropped += 1
            else:
                left.append(short)
        self.seen.update(k for k, _drop, _short in probe.paragraphs if k is not None)
        return bool(left) and not (dropped and all(left))


def merge_reports(plan: Plan, reads: Sequence[ShardRead], report: IngestReport) -> None:
    """Add the shards' reads to ``report`` in the order of a sequential read: the walk's events
    and each unit's skips and warnings, a JSONL file's counted against that file even when
    it was cut into ranges read by different shards."""
    events: dict[int, list[Event]] = {}
    for read in reads:
        events.update(read.events)
        report.documents_read += read.documents_read
        report.add_removed(read.removed)
    with ExitStack() as stack:
        current = ""
        for step in plan.steps:
            for kind, source, reason, file in (
                events.get(step, []) if isinstance(step, int) else [step]
            ):
                if file != current:
                    stack.close()
                    if file:
                        stack.enter_context(report.file(file))
                    current = file
                (report.skip if kind == "skip" else report.warn)(source, reason)


def iter_documents_sharded(
    inputs: Sequence[str | Path],
    *,
    size: int,
    options: IngestOptions | None = None,
    report: IngestReport | None = None,
    exclude: str | Path | None = None,
) -> Iterator[Document]:
    """:func:`~geokg.ingest.iter_documents` by shards in one process (what a distributed build
    does across workers): the same documents, and the same report once exhausted."""
    plan = plan_shards(inputs, size=size, options=options, exclude=exclude)
    replay = Replay()
    reads: list[ShardRead] = []
    for shard in plan.shards:
        seed = replay.seed(probe_shard(shard, options))
        read = ShardRead()
        reads.append(read)
        yield from read_shard(shard, seed, options, read)
    merge_reports(plan, reads, report if report is not None else IngestReport())
