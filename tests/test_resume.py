"""Interrupted builds: checkpoints, ``geokg build --resume``, and a build killed with SIGKILL.

A resumed build must end with exactly the files of an uninterrupted one: no relation lost, none
counted twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geokg import parse
from geokg.checkpoint import PARTIAL_DIR
from geokg.cli import cli
from geokg.errors import ConfigError, InputError
from geokg.pipeline import BuildOptions, build, resume_build
from geokg.report import GRAPH_FILE

pytestmark = [pytest.mark.model, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
N_DOCS = 48
_STATES = ["Poland", "Russia", "Ukraine", "France", "Germany", "Italy", "Spain", "Turkey"]
_STATES += ["Japan", "China", "India", "Brazil"]
_VERBS = (
    "accused {o} of stalling the talks",
    "criticised {o} over the border closure",
    "met {o} in Geneva",
    "urged {o} to release the prisoners",
    "praised {o} for the aid",
)


def n_release(n: int = N_DOCS) -> int:
    """Paragraphs of the first ``n`` articles that say "urged X to release the prisoners": each
    gives, besides urge(S, X), the requested event release(X) with no actor target."""
    return sum(1 for i in range(n) for j in range(4) if (i + j) % len(_VERBS) == 3)


def write_corpus(path: Path, n: int = N_DOCS) -> Path:
    """A JSONL corpus of ``n`` short invented articles, four actor relations each."""
    lines = []
    for i in range(n):
        s = _STATES[i % len(_STATES)]
        o = _STATES[(i * 5 + 3) % len(_STATES)]
        if s == o:
            o = _STATES[(i + 1) % len(_STATES)]
        paras = [
            f"{s} {_VERBS[(i + j) % len(_VERBS)].format(o=o)} on Monday, officials said in "
            f"statement {i}-{j}."
            for j in range(4)
        ]
        lines.append(
            json.dumps(
                {
                    "id": f"n{i:03d}",
                    "title": f"Story {i}",
                    "date": "2025-05-15",
                    "text": "\n\n".join(paras),
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file but report.json (it holds timings), by relative path."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


def stable_report(out: Path) -> dict[str, Any]:
    rep: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rep.pop("timings_s")
    rep.pop("resumed", None)
    return rep


def done_lines(out: Path) -> int:
    path = out / PARTIAL_DIR / "done.jsonl"
    return path.read_bytes().count(b"\n") if path.is_file() else 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def options(model_name: str) -> BuildOptions:
    return BuildOptions(model=model_name, batch_size=8, progress=False)


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, options: BuildOptions
) -> Path:
    """An uninterrupted build of the corpus."""
    out = tmp_path_factory.mktemp("reference")
    result = build([str(corpus)], out, options=options)
    assert result.report["documents"] == {"read": N_DOCS, "skipped": 0, "built": N_DOCS}
    assert result.report["relations"]["kept"] == 4 * N_DOCS + n_release()
    assert result.report["relations"]["untargeted_events"] == n_release()
    assert not (out / PARTIAL_DIR).exists()
    return out


def _interrupt_at(monkeypatch: pytest.MonkeyPatch, k_stop: int) -> None:
    """Make the build stop with Ctrl-C when it reaches document ``k_stop``."""
    real = parse.doc_record

    def record(k: int, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if k == k_stop:
            raise KeyboardInterrupt
        return real(k, *args, **kwargs)

    monkeypatch.setattr(parse, "doc_record", record)


def test_interrupted_build_resumes_to_the_same_outputs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    options: BuildOptions,
    reference: Path,
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        _interrupt_at(m, 13)
        with pytest.raises(KeyboardInterrupt):
            build([str(corpus)], out, options=options)
    # Nothing that looks finished is left: no report, no triples, only the checkpoint.
    assert sorted(p.name for p in out.iterdir()) == [PARTIAL_DIR]
    assert done_lines(out) == 13
    # A torn last record (killed mid-write) and a stale temporary file are cleaned up.
    with (out / PARTIAL_DIR / "done.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"k": 13, "doc_id": "n01')
    (out / ".graph.ttl.abcd1234.tmp").write_text("@prefix half", encoding="utf-8")
    result = resume_build(out)
    assert result.report["resumed"] == {"documents_from_checkpoint": 13}
    assert snapshot(out) == snapshot(reference)
    assert stable_report(out) == stable_report(reference)
    assert not (out / PARTIAL_DIR).exists()
    rows = (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()
    ids = [json.loads(r)["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 4 * N_DOCS + n_release()
    untargeted = [json.loads(r) for r in rows if json.loads(r)["object"] is None]
    assert len(untargeted) == n_release()
    assert {r["relation"] for r in untargeted} == {"release"}


def test_interrupted_twice_resumes_to_the_same_outputs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    options: BuildOptions,
    reference: Path,
) -> None:
    out = tmp_path / "out"
    for stop in (5, 30):
        with monkeypatch.context() as m:
            _interrupt_at(m, stop)
            run = (lambda: build([str(corpus)], out, options=options)) if stop == 5 else None
            with pytest.raises(KeyboardInterrupt):
                run() if run is not None else resume_build(out)
        assert done_lines(out) == stop
    resume_build(out)
    assert snapshot(out) == snapshot(reference)


def test_a_new_build_discards_an_old_checkpoint(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    options: BuildOptions,
    reference: Path,
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        _interrupt_at(m, 7)
        with pytest.raises(KeyboardInterrupt):
            build([str(corpus)], out, options=options)
    result = build([str(corpus)], out, options=options)
    assert "resumed" not in result.report
    assert snapshot(out) == snapshot(reference)


def test_resumed_update_equals_an_uninterrupted_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: BuildOptions
) -> None:
    first = write_corpus(tmp_path / "first.jsonl", 10)
    second = tmp_path / "second.jsonl"
    lines = write_corpus(tmp_path / "all.jsonl", 20).read_text(encoding="utf-8").splitlines()
    second.write_text("\n".join(lines[10:]) + "\n", encoding="utf-8")
    plain, resumed = tmp_path / "plain", tmp_path / "resumed"
    for out in (plain, resumed):
        build([str(first)], out, options=options)
    build([str(second)], plain, options=options, update=True)
    with monkeypatch.context() as m:
        _interrupt_at(m, 4)
        with pytest.raises(KeyboardInterrupt):
            build([str(second)], resumed, options=options, update=True)
    result = resume_build(resumed)
    assert result.report["update"] is True
    assert snapshot(resumed) == snapshot(plain)
    assert len(
        (plain / "triples.jsonl").read_text(encoding="utf-8").splitlines()
    ) == 80 + n_release(20)


def test_resume_refuses_changed_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: BuildOptions
) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", 12)
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        _interrupt_at(m, 6)
        with pytest.raises(KeyboardInterrupt):
            build([str(corpus)], out, options=options)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    corpus.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")  # first article removed
    with pytest.raises(InputError, match="the inputs changed since"):
        resume_build(out)
    corpus.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # cut short
    with pytest.raises(InputError, match="now give 3 documents"):
        resume_build(out)


def test_resume_without_a_checkpoint_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no interrupted build to resume"):
        resume_build(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--resume", str(tmp_path)])
    assert result.exit_code == 1
    assert "no interrupted build to resume" in result.output
    assert f"geokg build INPUT... -o {tmp_path}" in result.output


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["x.jsonl"], "INPUT"),
        (["--model", "m"], "--model"),
        (["--max-bytes", "10"], "--max-bytes"),
        (["-o", "elsewhere"], "-o"),
    ],
)
def test_resume_takes_no_inputs_or_options(tmp_path: Path, extra: list[str], named: str) -> None:
    result = CliRunner().invoke(cli, ["build", "--resume", str(tmp_path), *extra])
    assert result.exit_code == 2
    assert f"leave out {named}" in result.output


# --------------------------------------------------------------------------- SIGKILL


def _start(corpus: Path, out: Path, model: str) -> subprocess.Popen[bytes]:
    args = ["build", str(corpus), "-o", str(out), "--model", model, "--batch-size", "8"]
    return subprocess.Popen(
        [sys.executable, "-m", "geokg", *args, "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _kill_when(proc: subprocess.Popen[bytes], ready: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build did not get far enough in time"
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _resume_cli(out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geokg", "build", "--resume", str(out), "--no-progress"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        f"{N_DOCS} documents built, 0 skipped; {4 * N_DOCS} relations, "
        f"{n_release()} events without an actor target"
    ) in proc.stdout


def test_sigkill_during_extraction_then_resume(
    tmp_path: Path, corpus: Path, model_name: str, reference: Path
) -> None:
    out = tmp_path / "out"
    proc = _start(corpus, out, model_name)
    _kill_when(proc, lambda: done_lines(out) >= 10)
    finished = done_lines(out)
    assert 10 <= finished < N_DOCS  # killed part way through the documents
    time.sleep(1.5)  # the parsing process ends with the build: nothing goes on writing
    assert done_lines(out) == finished
    assert not (out / "report.json").exists()
    assert not (out / "graph.ttl").exists()
    _resume_cli(out)
    assert (
        json.loads((out / "report.json").read_text(encoding="utf-8"))["resumed"][
            "documents_from_checkpoint"
        ]
        >= finished
    )
    assert snapshot(out) == snapshot(reference)
    assert stable_report(out) == stable_report(reference)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_sigkill_during_exports_then_resume(
    tmp_path: Path, corpus: Path, model_name: str, reference: Path
) -> None:
    out = tmp_path / "out"
    proc = _start(corpus, out, model_name)
    # graph.geokg.json is saved just before the exporters run.
    _kill_when(proc, (out / GRAPH_FILE).exists)
    assert not (out / "report.json").exists()
    assert (out / PARTIAL_DIR).is_dir()
    assert done_lines(out) == N_DOCS
    _resume_cli(out)
    assert snapshot(out) == snapshot(reference)
