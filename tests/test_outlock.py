"""One build at a time in an output folder, and an output folder that never lies (issue 17).

The lock (``OUT/.geokg-lock``), ``--update`` refusing an OUT it cannot merge into, an article
read again with new text, ``--export`` of some formats beside an earlier build's other files, and
a full or read-only OUT.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geokg import checkpoint
from geokg._lock import LOCK_FILE, _pid_start
from geokg.checkpoint import PARTIAL_DIR
from geokg.cli import cli
from geokg.errors import ConfigError, InputError, OutputError
from geokg.graph.assemble import new_graph, save_graph
from geokg.pipeline import BuildOptions, build, resume_build
from geokg.report import GRAPH_FILE

REPO = Path(__file__).resolve().parents[1]
_STATES = ["Poland", "Russia", "Ukraine", "France", "Germany", "Italy", "Spain", "Turkey"]


def article(i: int, verb: str = "accused {o} of stalling the talks") -> dict[str, Any]:
    s, o = _STATES[i % len(_STATES)], _STATES[(i + 3) % len(_STATES)]
    text = "\n\n".join(
        f"{s} {verb.format(o=o)} on Monday, officials said in statement {i}-{j}." for j in range(2)
    )
    return {"id": f"n{i:03d}", "title": f"Story {i}", "date": "2025-05-15", "text": text}


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def write_lock(out: Path, pid: int, host: str | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    rec = {
        "format": "geokg-lock/1",
        "pid": pid,
        "pid_start": _pid_start(pid),
        "host": host or socket.gethostname(),
        "started": "2026-01-01T00:00:00+00:00",
    }
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    return path


def dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def graph_data(out: Path) -> dict[str, Any]:
    """The graph file, less the file each document was read from."""
    data: dict[str, Any] = json.loads((out / GRAPH_FILE).read_text(encoding="utf-8"))
    for meta in data["graph"]["documents"].values():
        meta.pop("source")
    return data


def rows(out: Path) -> list[dict[str, Any]]:
    text = (out / "triples.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def options(model_name: str) -> BuildOptions:
    return BuildOptions(model=model_name, batch_size=8, progress=False)


@pytest.fixture(autouse=True)
def _an_input(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``x.jsonl``, the input the builds here name (a build checks that its inputs exist first),
    in a working folder of its own."""
    cwd = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(cwd)
    (cwd / "x.jsonl").write_text('{"id": "x", "text": "Talks resumed."}\n', encoding="utf-8")


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a build gets as far as parsing."""

    def parse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the build started extracting")

    monkeypatch.setattr("geokg.parse.parse_documents", parse)
    monkeypatch.setattr("geokg.parse.parse_in_child", parse)


# --------------------------------------------------------------------------- the lock


@pytest.mark.usefixtures("no_extraction")
def test_a_live_builds_lock_is_respected_by_build_resume_and_dask(tmp_path: Path) -> None:
    out = tmp_path / "out"
    lock = write_lock(out, os.getpid())  # this very process: alive
    (out / PARTIAL_DIR).mkdir()
    state = {
        "format": "geokg-partial/1",
        "inputs": [str(tmp_path / "x.jsonl")],
        "cwd": str(tmp_path),
        "update": False,
        "model_label": "core_web_sm-3",
        "options": checkpoint.options_state(BuildOptions()),
    }
    (out / PARTIAL_DIR / "state.json").write_text(json.dumps(state), encoding="utf-8")
    (out / PARTIAL_DIR / "done.jsonl").write_text("{}\n", encoding="utf-8")
    before = files(out)
    with pytest.raises(OutputError, match=rf"in use by another geokg build \(pid {os.getpid()} "):
        build(["x.jsonl"], out)
    with pytest.raises(OutputError, match="in use by another geokg build"):
        resume_build(out)
    from geokg.distributed import build_process_pool

    with pytest.raises(OutputError, match="in use by another geokg build"):
        build_process_pool(["x.jsonl"], out)
    result = CliRunner().invoke(cli, ["build", "x.jsonl", "-o", str(out)])
    assert result.exit_code == 1
    assert f"geokg: error: {out} is in use by another geokg build (pid {os.getpid()} on " in (
        result.output
    )
    assert f"remove {lock}" in result.output
    assert files(out) == before  # the other build's checkpoint and lock are untouched


@pytest.mark.usefixtures("no_extraction")
def test_a_lock_from_another_host_is_never_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_lock(out, dead_pid(), host="elsewhere.invalid")
    with pytest.raises(OutputError, match=r"on elsewhere\.invalid"):
        build(["x.jsonl"], out)


@pytest.mark.usefixtures("no_extraction")
def test_a_lock_whose_pid_went_to_a_newer_process_is_stale(tmp_path: Path) -> None:
    start = _pid_start(os.getpid())
    if start is None:
        pytest.skip("no /proc/PID/stat here: a reused pid cannot be told from its first owner")
    out = tmp_path / "out"
    lock = write_lock(out, os.getpid())
    rec = json.loads(lock.read_text(encoding="utf-8"))
    lock.write_text(json.dumps({**rec, "pid_start": start - 1}), encoding="utf-8")
    said: list[str] = []
    with pytest.raises(AssertionError, match="started extracting"):
        build(["x.jsonl"], out, echo=said.append)
    assert [m for m in said if "took over the lock" in m] != []
    assert not lock.exists()


def test_taking_over_puts_back_a_lock_that_changed_meanwhile(tmp_path: Path) -> None:
    from geokg._lock import _take_over

    lock = write_lock(tmp_path, os.getpid())
    fresh = lock.read_bytes()
    assert _take_over(lock, b'{"pid": 1}\n') is False  # the stale one it read is gone
    assert lock.read_bytes() == fresh
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE]
    assert _take_over(lock, fresh) is True
    assert list(tmp_path.iterdir()) == []


@pytest.mark.model
def test_a_stale_lock_is_taken_over_with_a_warning(tmp_path: Path, options: BuildOptions) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [article(i) for i in range(3)])
    out = tmp_path / "out"
    pid = dead_pid()
    write_lock(out, pid)
    said: list[str] = []
    result = build([str(corpus)], out, options=options, echo=said.append)
    assert result.report["documents"]["built"] == 3
    assert [m for m in said if "took over the lock" in m] == [
        f"geokg: warning: {out / LOCK_FILE}: took over the lock of a build that is no longer "
        f"running (pid {pid} on {socket.gethostname()}, started 2026-01-01T00:00:00+00:00)"
    ]
    assert not (out / LOCK_FILE).exists()  # released at the end


@pytest.mark.model
@pytest.mark.slow
def test_two_builds_into_one_folder(tmp_path: Path, model_name: str) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", [article(i) for i in range(40)])
    out = tmp_path / "out"
    args = [sys.executable, "-m", "geokg", "build", str(corpus), "-o", str(out)]
    args += ["--model", model_name, "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env
    )
    deadline = time.monotonic() + 60
    while not (out / LOCK_FILE).exists():
        assert first.poll() is None, "the first build ended before the second started"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert second.returncode == 1
    assert second.stderr.startswith(
        f"geokg: error: {out} is in use by another geokg build (pid {first.pid} on "
    )
    assert "Traceback" not in second.stderr
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == {"read": 40, "skipped": 0, "built": 40}
    assert len(rows(out)) == report["relations"]["kept"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


# --------------------------------------------------------------------------- --update


@pytest.mark.usefixtures("no_extraction")
def test_update_refuses_an_out_without_its_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "triples.jsonl").write_text('{"id": "r-1", "doc_id": "d"}\n', encoding="utf-8")
    (out / "report.json").write_text("{}\n", encoding="utf-8")
    before = files(out)
    with pytest.raises(ConfigError, match=r"graph\.geokg\.json, which is missing") as info:
        build(["x.jsonl"], out, update=True)
    assert "build without --update into a new folder" in str(info.value)
    assert files(out) == before


@pytest.mark.usefixtures("no_extraction")
def test_update_refuses_a_graph_without_its_triples(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    save_graph(new_graph(), out / GRAPH_FILE)
    with pytest.raises(ConfigError, match=r"triples\.jsonl beside .* and it is missing"):
        build(["x.jsonl"], out, update=True)


CORRUPT = {
    "truncated": '{\n "edges": [\n  {"source": "A", "tar',
    "array": "[]\n",
    "node without id": json.dumps(
        {"format": "geokg-graph/1", "graph": {"documents": {}}, "nodes": [{"x": 1}], "edges": []}
    ),
}


@pytest.mark.usefixtures("no_extraction")
@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_update_and_stats_name_a_corrupt_graph_in_one_line(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / GRAPH_FILE).write_text(CORRUPT[kind], encoding="utf-8")
    (out / "triples.jsonl").write_text('{"id": "r-1", "doc_id": "d"}\n', encoding="utf-8")
    (out / "report.json").write_text("{}\n", encoding="utf-8")
    before = files(out)
    reason = {
        "truncated": "not valid JSON",
        "array": "a JSON list, expected an object",
        "node without id": "node 0 has no string 'id'",
    }[kind]
    with pytest.raises(InputError, match=reason) as info:
        build(["x.jsonl"], out, update=True)
    assert info.value.source == str(out / GRAPH_FILE)
    assert "\n" not in str(info.value)
    assert files(out) == before  # nothing replaced, nothing deleted
    result = CliRunner().invoke(cli, ["stats", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"geokg: error: {out / GRAPH_FILE}: ")
    assert reason in result.output
    assert result.output.count("\n") == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.model
def test_update_replaces_nothing_when_the_merge_fails(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([str(write_jsonl(tmp_path / "a.jsonl", [article(0)]))], out, options=options)
    before = files(out)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("merge failed")

    monkeypatch.setattr(checkpoint, "append_tables", broken)  # the update's merge of tables
    more = write_jsonl(tmp_path / "b.jsonl", [article(1)])
    with pytest.raises(RuntimeError, match="merge failed"):
        build([str(more)], out, options=options, update=True)
    after = {k: v for k, v in files(out).items() if not k.startswith(PARTIAL_DIR)}
    assert after == before


# --------------------------------------------------------------------------- read again


@pytest.mark.model
def test_an_article_read_again_with_new_text_replaces_its_relations(
    tmp_path: Path, options: BuildOptions
) -> None:
    out = tmp_path / "out"
    docs = [article(i) for i in range(3)]
    build([str(write_jsonl(tmp_path / "a.jsonl", docs))], out, options=options)
    old = [r for r in rows(out) if r["doc_id"] == "n001"]
    assert {r["relation"] for r in old} == {"accuse"}
    # the same article again: nothing is replaced
    same = build(
        [str(write_jsonl(tmp_path / "same.jsonl", docs[1:2]))], out, options=options, update=True
    )
    assert same.report["documents"]["replaced"] == 0
    new = article(1, verb="praised {o} for the aid")
    new["title"] = "Story 1, corrected"
    result = build(
        [str(write_jsonl(tmp_path / "b.jsonl", [new]))], out, options=options, update=True
    )
    assert result.report["documents"]["replaced"] == 1
    now = rows(out)
    assert [r for r in now if r["doc_id"] == "n001"] != old
    assert {r["relation"] for r in now if r["doc_id"] == "n001"} == {"praise"}
    assert {r["doc_id"] for r in now} == {"n000", "n001", "n002"}
    g = result.graph
    assert g.graph["documents"]["n001"]["title"] == "Story 1, corrected"
    provs = [(d["relation"], p["doc_id"]) for *_, d in g.edges(data=True) for p in d["provenance"]]
    assert ("accuse", "n001") not in provs
    assert ("praise", "n001") in provs
    assert {doc for rel, doc in provs if rel == "accuse"} == {"n000", "n002"}
    # the graph equals a fresh build of the articles as they are now (read from another file)
    fresh = tmp_path / "fresh"
    build([str(write_jsonl(tmp_path / "c.jsonl", [docs[0], new, docs[2]]))], fresh, options=options)
    assert graph_data(out) == graph_data(fresh)
    assert sorted(r["id"] for r in now) == sorted(r["id"] for r in rows(fresh))


# --------------------------------------------------------------------------- --export


@pytest.mark.model
def test_files_an_export_of_some_formats_leaves_are_listed_as_stale(
    tmp_path: Path, options: BuildOptions
) -> None:
    from dataclasses import replace

    corpus = write_jsonl(tmp_path / "a.jsonl", [article(0)])
    out = tmp_path / "out"
    first = build([str(corpus)], out, options=options)
    assert first.report["stale_files"] == []
    said: list[str] = []
    again = build(
        [str(corpus)], out, options=replace(options, exports=("turtle",)), echo=said.append
    )
    stale = again.report["stale_files"]
    assert "graph.html" in stale
    assert "neo4j/nodes.csv" in stale
    assert "graph.ttl" not in stale
    assert "triples.jsonl" not in stale
    assert stale == sorted(set(first.report["files"]) - set(again.report["files"]))
    assert [m for m in said if "stale_files" in m] == [
        f"geokg: warning: {out}: {len(stale)} file(s) of an earlier build were not written "
        f"again and may not match this graph: {', '.join(stale)} (report.json lists them as "
        "stale_files)"
    ]
    on_disk = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert on_disk["stale_files"] == stale


# --------------------------------------------------------------------------- full, read-only


@pytest.mark.model
def test_disk_full_during_extraction_says_resume_in_one_line(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_jsonl(tmp_path / "a.jsonl", [article(i) for i in range(4)])
    out = tmp_path / "out"
    real = checkpoint.Checkpoint.write
    written = [0]

    def write(self: Any, line: str) -> None:
        if written[0] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written[0] += 1
        real(self, line)

    with monkeypatch.context() as m:
        m.setattr(checkpoint.Checkpoint, "write", write)
        with pytest.raises(OutputError) as info:
            build([str(corpus)], out, options=options)
    message = str(info.value)
    assert message == (
        f"cannot write to {out}: No space left on device; free some space, then run "
        f"'geokg build --resume {out}' to go on (the documents already finished are kept)"
    )
    assert not (out / LOCK_FILE).exists()
    result = resume_build(out)
    assert result.report["resumed"] == {"documents_from_checkpoint": 2}
    assert result.report["documents"]["built"] == 4


@pytest.mark.model
def test_disk_full_on_the_command_line_is_one_line(
    tmp_path: Path, model_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "out" / "x.tmp"))

    monkeypatch.setattr("geokg.report.save_graph", full)
    text = json.dumps(article(0)) + "\n"
    out = tmp_path / "out"
    args = ["build", "-", "-o", str(out), "--model", model_name, "--no-progress"]
    result = CliRunner().invoke(cli, args, input=text)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"geokg: error: cannot write to {out}: No space left on device ({out / 'x.tmp'}); "
        "free some space and run the build again"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.usefixtures("no_extraction")
def test_an_out_that_cannot_be_written_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(out)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(OutputError) as info:
        build(["x.jsonl"], out)
    assert str(info.value) == (
        f"cannot write to {out}: Read-only file system ({out / LOCK_FILE}); make it writable "
        "or build into another folder with -o"
    )


def test_a_read_only_out_on_the_command_line(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o555)
    try:
        (probe / "x").touch()
    except PermissionError:
        pass
    else:  # root (with CAP_DAC_OVERRIDE) writes into a folder without write permission
        pytest.skip("this user writes into a read-only folder (root): chmod does not bite")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("{}\n", encoding="utf-8")
    out.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, ["build", "x.jsonl", "-o", str(out)])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1
    assert result.output == (
        f"geokg: error: cannot write to {out}: Permission denied ({out / LOCK_FILE}); make it "
        "writable or build into another folder with -o\n"
    )


@pytest.mark.usefixtures("no_extraction")
def test_a_lock_that_cannot_be_written_is_not_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match=r"No space left on device; free some space and run"):
        build(["x.jsonl"], out)
    assert list(out.iterdir()) == []  # no empty lock to block the next build
