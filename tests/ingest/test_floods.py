"""Inputs that repeat one problem many times: bounded report, bounded log, exact counts."""

from __future__ import annotations

import gzip
import io
import json
import logging
from pathlib import Path

import pytest

from geokg.ingest import IngestReport, iter_documents
from geokg.ingest._report import MAX_LISTED_PER_FILE

LINES = 5_000
TEXT = "Leaders of the island state met leaders of the kingdom in the capital on Monday."


def _write_gz(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in lines)
    return path


@pytest.fixture
def floods(tmp_path: Path) -> tuple[Path, Path]:
    same = json.dumps({"id": "same", "text": TEXT})
    dup = _write_gz(tmp_path / "dup.jsonl.gz", [same] * LINES)
    bad = _write_gz(tmp_path / "bad.jsonl.gz", ["{not json"] * LINES)
    return dup, bad


def test_repeated_problems_are_listed_up_to_the_cap_and_counted(
    floods: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    dup, bad = floods
    report = IngestReport()
    with caplog.at_level(logging.WARNING, logger="geokg.ingest"):
        docs = list(iter_documents([dup, bad], report=report))
    assert [d.id for d in docs] == ["same"]
    assert report.documents_read == 1
    assert report.documents_skipped == 2 * LINES - 1  # every skipped line still counted
    listed = MAX_LISTED_PER_FILE
    assert report.skipped[:2] == [
        {"source": f"{dup}:2", "reason": f"duplicate id same (first seen at {dup}:1)"},
        {"source": f"{dup}:3", "reason": f"duplicate id same (first seen at {dup}:1)"},
    ]
    assert [e["source"] for e in report.skipped] == [
        *(f"{dup}:{n}" for n in range(2, 2 + listed)),
        *(f"{bad}:{n}" for n in range(1, 1 + listed)),
    ]
    assert report.suppressed == {str(dup): LINES - 1 - listed, str(bad): LINES - listed}
    assert report.warnings == [
        {
            "source": str(path),
            "reason": f"{n} more skipped lines and warnings not listed (the first {listed} "
            "are; report.json counts the rest in warnings_suppressed)",
        }
        for path, n in ((dup, LINES - 1 - listed), (bad, LINES - listed))
    ]
    as_json = json.dumps(report.to_dict())
    assert json.loads(as_json)["warnings_suppressed"] == report.suppressed
    assert len(as_json) < 10_000
    log = caplog.text
    assert len(log) < 20_000
    assert len(caplog.records) == 2 * listed + 2  # the listed ones and one summary per file
    assert caplog.records[listed].getMessage() == f"{dup}: {report.warnings[0]['reason']}"


def test_each_file_gets_its_own_allowance(tmp_path: Path) -> None:
    files = [_write_gz(tmp_path / f"{n}.jsonl.gz", ["[1]"] * 3) for n in range(3)]
    report = IngestReport(max_listed_per_file=2)
    assert list(iter_documents(files, report=report)) == []
    assert [e["source"] for e in report.skipped] == [f"{f}:{n}" for f in files for n in (1, 2)]
    assert report.suppressed == {str(f): 1 for f in files}


def test_stdin_jsonl_is_one_file_and_warnings_share_the_cap() -> None:
    lines = [json.dumps({"id": n, "text": TEXT, "date": "soon"}) for n in range(30)]
    report = IngestReport(max_listed_per_file=5)
    docs = list(iter_documents(["-"], report=report, stdin=io.StringIO("\n".join(lines))))
    assert len(docs) == 1  # the rest repeat the first one's paragraph
    assert len(report.warnings) + len(report.skipped) == 5 + 1  # and the summary
    assert report.warnings[-1]["source"] == "<stdin>"
    assert report.warnings[0] == {
        "source": "<stdin>:1",
        "reason": "date 'soon' is not a clear date; ignored",
    }
    assert report.documents_skipped == 29
    assert report.suppressed == {"<stdin>": 30 + 29 - 5}
