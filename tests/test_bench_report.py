"""bench/run.py: the parts a report keeps from an earlier one name the run that measured them."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import run  # bench/run.py
from _report import write_report

OLD = {"date": "2026-12-07", "commit": "34e95ab", "machine": "m2"}
EARLIER = {"date": "2026-12-01", "commit": "8baa2ff", "machine": "m1"}


def test_a_part_measured_by_the_last_report_names_its_run() -> None:
    assert run.kept_from(OLD, ["memory"]) == [{**OLD, "parts": ["memory"]}]


def test_a_part_the_last_report_had_kept_names_the_run_that_measured_it() -> None:
    for kept in ({**EARLIER, "parts": ["exports", "memory"]}, [{**EARLIER, "parts": ["memory"]}]):
        old = {**OLD, "kept": kept}
        groups = run.kept_from(old, ["memory", "throughput"])
        assert groups == [{**EARLIER, "parts": ["memory"]}, {**OLD, "parts": ["throughput"]}]
        again = run.kept_from(
            {"date": "2026-12-08", "commit": "e38f7ca", "kept": groups}, ["memory"]
        )
        assert again == [{**EARLIER, "parts": ["memory"]}]


def test_the_report_names_each_run_a_part_was_kept_from(tmp_path: Path) -> None:
    groups = [{**EARLIER, "parts": ["memory"]}, {**OLD, "parts": ["sparql"]}]
    out = tmp_path / "PERFORMANCE.md"
    res = {"kept": groups, "date": "2026-12-08", "machine": "m3", "command": "c", "full": False}
    write_report(res, out, tmp_path / "p.png")
    text = out.read_text(encoding="utf-8")
    assert "kept from the run of 2026-12-01 (commit 8baa2ff; m1): memory." in text
    assert "kept from the run of 2026-12-07 (commit 34e95ab; m2): sparql." in text
