"""Small inputs that used to cost without bound, through ``geokg build``: bounded outputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geokg.cli import cli
from geokg.ingest._report import MAX_LISTED_PER_FILE

pytestmark = pytest.mark.model

LINES = 20_000


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_a_flood_of_one_problem_gives_a_small_report_and_log(
    tmp_path: Path, model_name: str
) -> None:
    same = json.dumps({"id": "same", "text": "Leaders of France met leaders of Germany."})
    dup, bad = tmp_path / "dup.jsonl.gz", tmp_path / "bad.jsonl.gz"
    with gzip.open(dup, "wt", encoding="utf-8") as fh:
        fh.writelines(same + "\n" for _ in range(LINES))
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.writelines("{not json\n" for _ in range(LINES))
    out = tmp_path / "out"
    args = ["build", str(dup), str(bad), "-o", str(out), "--model", model_name]
    result = _run([*args, "--no-progress", "--export", "turtle"])
    assert result.exit_code == 0, result.output
    report_text = (out / "report.json").read_text(encoding="utf-8")
    report = json.loads(report_text)
    assert report["documents"] == {"read": 1, "skipped": 2 * LINES - 1, "built": 1}
    assert len(report["skipped"]) == 2 * MAX_LISTED_PER_FILE
    assert report["warnings_suppressed"] == {
        str(dup): LINES - 1 - MAX_LISTED_PER_FILE,
        str(bad): LINES - MAX_LISTED_PER_FILE,
    }
    assert len(report_text) < 20_000
    assert len(result.stderr) < 20_000
    summary = [line for line in result.stderr.splitlines() if "more skipped lines" in line]
    assert len(summary) == 2
