"""Reading by shards (what distributed workers do) gives the documents and the report of one
sequential read: cross-document paragraph de-duplication, repeated and derived ids, JSONL files
cut into ranges, folder and input events, all in the same order."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from geokg.errors import ConfigError
from geokg.ingest import IngestOptions, IngestReport, iter_documents
from geokg.ingest._shards import (
    Replay,
    iter_documents_sharded,
    plan_shards,
    probe_shard,
    read_shard,
)

#: Paragraphs drawn with repetition, so documents share some (long enough to be de-duplicated)
#: and some are short (never de-duplicated).
_LONG = [
    f"Paragraph {i}: the ministers of the two countries met again to discuss the border talks."
    for i in range(12)
]
_SHORT = ["Read more.", "Ends.", "(Reuters)"]


def _text(rng: random.Random) -> str:
    paras = [rng.choice(_LONG if rng.random() < 0.75 else _SHORT) for _ in range(rng.randint(0, 5))]
    return "\n\n".join(paras)


def _jsonl_line(rng: random.Random, n: int) -> str:
    kind = rng.random()
    if kind < 0.05:
        return "{not json"
    if kind < 0.1:
        return ""
    if kind < 0.13:
        return json.dumps({"id": "x", "title": "No text"})
    obj: dict[str, object] = {"text": _text(rng), "title": f"Title {n % 4}"}
    if rng.random() < 0.7:
        obj["id"] = f"doc-{rng.randint(0, 15)}"  # repeats are skipped
    elif rng.random() < 0.5:
        obj["id"] = 12.5  # not usable: a derived id instead
    return json.dumps(obj)


def _corpus(root: Path, seed: int) -> list[str]:
    """A random folder of articles and JSONL files, and the inputs that name it."""
    rng = random.Random(seed)
    folder = root / "news"
    (folder / "sub").mkdir(parents=True)
    for i in range(rng.randint(1, 6)):
        name = rng.choice(["a", "b", f"n{i}"])  # a.txt and a.md share the id "a"
        sub = folder / "sub" if rng.random() < 0.3 else folder
        (sub / f"{name}.{rng.choice(['txt', 'md'])}").write_text(_text(rng), encoding="utf-8")
    (folder / "notes.csv").write_text("not read", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    for j in range(rng.randint(1, 3)):
        lines = [_jsonl_line(rng, n) for n in range(rng.randint(0, 14))]
        data = "\n".join(lines).encode("utf-8")
        if rng.random() < 0.3:
            (folder / f"wire{j}.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            (folder / f"wire{j}.jsonl").write_bytes(data)
    inputs = [str(folder), str(root / "missing.txt"), str(folder / "wire0.jsonl*")]
    rng.shuffle(inputs)
    return inputs


def _sequential(
    inputs: list[str], options: IngestOptions, cap: int = 20
) -> tuple[list[object], object]:
    report = IngestReport(max_listed_per_file=cap)
    docs = list(iter_documents(inputs, options=options, report=report))
    return docs, report.to_dict()


def _sharded(
    inputs: list[str], options: IngestOptions, size: int, cap: int = 20
) -> tuple[list[object], object]:
    report = IngestReport(max_listed_per_file=cap)
    docs = list(iter_documents_sharded(inputs, size=size, options=options, report=report))
    return docs, report.to_dict()


@pytest.mark.parametrize("seed", range(40))
def test_sharded_reading_equals_a_sequential_read(tmp_path: Path, seed: int) -> None:
    inputs = _corpus(tmp_path, seed)
    options = IngestOptions()
    cap = 2 if seed % 2 else 20  # a JSONL file's list cut across the shards that read it
    expected = _sequential(inputs, options, cap)
    for size in (1, 2, 3, 7):
        assert _sharded(inputs, options, size, cap) == expected, size


def test_a_paragraph_of_an_earlier_shard_is_dropped(tmp_path: Path) -> None:
    shared = "The foreign ministers of both states signed the accord in the capital today."
    (tmp_path / "a.txt").write_text(f"First\n\n{shared}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        f"Second\n\n{shared}\n\nA new paragraph on the talks "
        "that no other article has in it at all.",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text(shared, encoding="utf-8")
    plan = plan_shards([str(tmp_path)], size=1)
    assert [len(s.units) for s in plan.shards] == [1, 1, 1]
    replay = Replay()
    seeds = [replay.seed(probe_shard(shard)) for shard in plan.shards]
    assert not seeds[0].paragraphs
    assert seeds[1].paragraphs
    assert seeds[2].paragraphs
    docs = [
        d for shard, seed in zip(plan.shards, seeds, strict=True) for d in read_shard(shard, seed)
    ]
    assert [d.id for d in docs] == ["a", "b"]  # c holds only a paragraph seen before
    assert shared not in docs[1].text
    _, report = _sharded([str(tmp_path)], IngestOptions(), 1)
    assert {
        "source": str(tmp_path / "c.txt"),
        "reason": "duplicate document (all 1 paragraphs seen in earlier documents)",
    } in report["skipped"]  # type: ignore[index]


def test_a_jsonl_file_is_cut_into_ranges_of_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"d{i}", "text": f"Story {i} about the summit."}) for i in range(10)]
    lines.insert(4, "")
    (tmp_path / "wire.jsonl").write_text("\n".join(lines), encoding="utf-8")
    plan = plan_shards([str(tmp_path / "wire.jsonl")], size=3)
    assert [u.lines for s in plan.shards for u in s.units] == [(1, 3), (4, 7), (8, 10), (11, 0)]
    docs, _ = _sharded([str(tmp_path / "wire.jsonl")], IngestOptions(), 3)
    assert [d.id for d in docs] == [f"d{i}" for i in range(10)]  # type: ignore[attr-defined]


def test_standard_input_and_a_bad_size_are_refused() -> None:
    with pytest.raises(ConfigError, match="standard input cannot be read by workers"):
        plan_shards(["-"], size=4)
    with pytest.raises(ConfigError, match="partition size"):
        plan_shards(["x"], size=0)
