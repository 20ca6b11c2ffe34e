"""The benchmark corpus: a deterministic round-robin sample of ../shared/data/news."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

NEWS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "news"
FILES = ("whitehouse_2021_2026.jsonl.gz", "reuters21578_1987.jsonl.gz", "bbc_2004_2005.jsonl")


def news_dir() -> Path:
    """The corpus folder, or a clear error when it is missing."""
    if not all((NEWS / name).is_file() for name in FILES):
        raise SystemExit(
            f"bench: the news corpus is not at {NEWS.resolve()} (expected {', '.join(FILES)}); "
            "check out the shared data beside the repository (../shared/data/news)"
        )
    return NEWS


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


#: ``--corpus`` choices: the three files round-robin, or the White House file alone.
CORPORA = {"mixed": FILES, "whitehouse": FILES[:1]}


def iter_records(limit: int | None = None, corpus: str = "mixed") -> Iterator[dict[str, Any]]:
    """Records of the corpus's files, interleaved one by one (then the rest of the longer files)."""
    base = news_dir()
    handles = [_open(base / name) for name in CORPORA[corpus]]
    try:
        live = list(handles)
        n = 0
        while live:
            for fh in list(live):
                line = fh.readline()
                if not line:
                    live.remove(fh)
                    continue
                if not line.strip():
                    continue
                yield json.loads(line)
                n += 1
                if limit is not None and n >= limit:
                    return
    finally:
        for fh in handles:
            fh.close()


def write_subset(n: int | None, path: Path, corpus: str = "mixed") -> tuple[int, int]:
    """Write the first ``n`` records (all when ``None``) as JSONL; return (documents, words)."""
    docs = words = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in iter_records(n, corpus):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            docs += 1
            words += len(str(rec.get("text") or "").split())
    return docs, words


def read_texts(path: Path) -> list[str]:
    """The ``text`` fields of a subset file."""
    with path.open(encoding="utf-8") as fh:
        return [str(json.loads(line).get("text") or "") for line in fh if line.strip()]
