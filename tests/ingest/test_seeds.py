"""The seed articles in ../shared/seeds lose their web debris (structure checks only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.ingest import IngestReport, iter_documents

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}"),
]


def _seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not in {SEEDS}")
    return matches[0]


def test_seed_000_loses_related_copies_and_furniture() -> None:
    path = _seed("000")
    raw = path.read_text(encoding="utf-8")
    report = IngestReport()
    [doc] = iter_documents([path], report=report)
    paragraphs = doc.text.split("\n\n")
    assert "Related Articles" in raw
    assert "Related Articles" not in doc.text
    assert len(paragraphs) == len(set(paragraphs))
    assert len(doc.text) < 0.6 * len(raw)
    assert report.removed["related_blocks"] == 3
    assert report.removed["debris_lines"] >= 4
    assert "pic.twitter.com" not in doc.text
    for line in raw.splitlines():
        if "(@" in line and line.strip().startswith("—"):
            assert line.strip() in paragraphs  # the tweet signature is kept
    assert doc.published == "2025-05-12"
    assert doc.title is not None
    assert paragraphs[0] == doc.title


def test_seed_003_loses_comment_line_and_keeps_headline() -> None:
    path = _seed("003")
    raw = path.read_text(encoding="utf-8")
    report = IngestReport()
    [doc] = iter_documents([path], report=report)
    last_raw = [line for line in raw.splitlines() if line.strip()][-1]
    assert "comments" in last_raw.lower()
    assert last_raw not in doc.text
    assert doc.title is not None
    assert doc.title in raw
    assert doc.text.startswith(doc.title + "\n\n")
    assert doc.published is None
    assert report.removed["masthead_lines"] == 1
