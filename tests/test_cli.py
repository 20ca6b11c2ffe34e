"""The command line: help, usage errors, the model message, build and query."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geokg.cli import cli

COMMANDS = ["build", "query", "extract", "stats", "eval"]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [*([command] if command else []), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_build_without_inputs_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "give at least one INPUT" in result.output


def test_unknown_exporter_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "x.txt", "--export", "nope"])
    assert result.exit_code == 2
    assert "available:" in result.output


def test_neo4j_rel_type_is_verb_or_plover(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "x.txt", "--neo4j-rel-type", "cameo"])
    assert result.exit_code == 2
    assert "'verb', 'plover'" in result.output or "verb, plover" in result.output


@pytest.mark.model
def test_build_with_plover_relationship_types(tmp_path: Path, model_name: str) -> None:
    article = tmp_path / "a.txt"
    text = "Poland accused Russia of sabotage on Monday. France praised Germany on Tuesday.\n"
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    args = ["build", str(article), "-o", str(out), "--model", model_name, "--no-progress"]
    result = CliRunner().invoke(cli, [*args, "--neo4j-rel-type", "plover", "--min-confidence", "0"])
    assert result.exit_code == 0, result.output
    with (out / "neo4j" / "relationships.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header = table[0]
    types = {
        row[header.index("relation")]: (row[header.index(":TYPE")], row[header.index("plover")])
        for row in table[1:]
    }
    assert types["accuse"] == ("ACCUSE", "ACCUSE")
    assert types["praise"] == ("SUPPORT", "SUPPORT")  # the verb stays in `relation`
    # every type is the PLOVER type, or the documented fallback for an edge without one
    assert all(kind == (plover or "RELATED_TO") for kind, plover in types.values())
    readme = (out / "neo4j" / "README.txt").read_text(encoding="utf-8")
    assert "Actor relationship types are PLOVER types" in readme


@pytest.mark.model
def test_page_max_actors_sets_how_many_actors_the_page_draws(
    tmp_path: Path, model_name: str
) -> None:
    article = tmp_path / "a.txt"
    text = "Poland accused Russia of sabotage on Monday. France praised Germany on Tuesday.\n"
    article.write_text(text, encoding="utf-8")
    args = ["build", str(article), "--model", model_name, "--no-progress", "--min-confidence", "0"]
    pages = {}
    for n in (2, 300):
        out = tmp_path / f"o{n}"
        result = CliRunner().invoke(cli, [*args, "-o", str(out), "--page-max-actors", str(n)])
        assert result.exit_code == 0, result.output
        html = (out / "graph.html").read_text(encoding="utf-8")
        tag = '<script type="application/json" id="geokg-data">'
        start = html.index(tag) + len(tag)
        pages[n] = json.loads(html[start : html.index("</script>", start)])
    assert len(pages[300]["nodes"]) == 4
    assert len(pages[2]["nodes"]) == 2
    assert "geokg build --page-max-actors 4" in pages[2]["notice"]
    assert pages[300]["notice"] == ""
    report = json.loads((tmp_path / "o2" / "report.json").read_text(encoding="utf-8"))
    assert report["export_options"] == {
        "neo4j_rel_type": "verb",
        "page_max_actors": 2,
        "page_max_relations": 10_000,
    }
    refused = CliRunner().invoke(cli, ["build", "x.txt", "--page-max-actors", "0"])
    assert refused.exit_code == 2
    # --page-max-relations: the heaviest relations among the shown actors
    out = tmp_path / "r1"
    result = CliRunner().invoke(cli, [*args, "-o", str(out), "--page-max-relations", "1"])
    assert result.exit_code == 0, result.output
    html = (out / "graph.html").read_text(encoding="utf-8")
    start = html.index(tag) + len(tag)
    page = json.loads(html[start : html.index("</script>", start)])
    assert len(page["edges"]) == 1
    assert len(page["nodes"]) == 4
    assert "geokg build --page-max-relations 2 draws them all" in page["notice"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["export_options"]["page_max_relations"] == 1
    refused = CliRunner().invoke(cli, ["build", "x.txt", "--page-max-relations", "0"])
    assert refused.exit_code == 2


def test_missing_model_says_how_to_fix_it(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Poland criticised Russia.\n", encoding="utf-8")
    env = {**os.environ, "GEOKG_MODEL": str(tmp_path / "no-such-model")}
    proc = subprocess.run(
        [sys.executable, "-m", "geokg", "build", str(article), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "python -m spacy download en_core_web_sm" in proc.stderr
    assert "GEOKG_MODEL" in proc.stderr


@pytest.mark.model
def test_build_reports_and_exits_nonzero_when_nothing_could_be_read(
    tmp_path: Path, model_name: str
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(empty), "-o", str(tmp_path / "o"), "--model", model_name]
    )
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    rep = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert rep["documents"]["skipped"] == 1
    assert rep["skipped"][0]["source"].endswith("empty.txt")


@pytest.mark.parametrize("missing", ["missing.txt", "news/*.jsonl"])
def test_a_missing_input_fails_before_the_model_is_loaded_and_writes_nothing(
    tmp_path: Path, missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geokg.parse
    import geokg.pipeline

    def no_model(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(geokg.pipeline, "load_model", no_model)
    monkeypatch.setattr(geokg.parse, "load_model", no_model)
    good = tmp_path / "good.txt"
    good.write_text("Poland criticised Russia on Monday.\n", encoding="utf-8")
    out = tmp_path / "o"
    for extra in ([], ["--process-pool"]):
        result = CliRunner().invoke(
            cli, ["build", str(good), str(tmp_path / missing), "-o", str(out), *extra]
        )
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [
            f"geokg: error: {tmp_path / missing}: "
            f"{'glob pattern matched no files' if '*' in missing else 'no such file or directory'}"
            "; nothing was built"
        ]
        assert not out.exists()


def test_update_needs_the_output_folder_given_with_o(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mygraph").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "a.txt").write_text("Poland criticised Russia.\n", encoding="utf-8")
    # the README's old form: 'mygraph' would be read as an input and the graph go into ./out
    result = CliRunner().invoke(cli, ["build", "--update", "mygraph", "new"])
    assert result.exit_code == 2
    assert "geokg build -o OUT --update INPUT..." in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mygraph", "new"]


@pytest.mark.model
def test_strict_fails_when_something_was_skipped(tmp_path: Path, model_name: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Poland criticised Russia on Monday.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    args = [
        "build",
        str(good),
        str(empty),
        "-o",
        str(tmp_path / "o"),
        "--model",
        model_name,
    ]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert CliRunner().invoke(cli, [*args, "--strict"]).exit_code == 3


@pytest.mark.model
def test_query_prints_a_table(sample_build: Any) -> None:
    ttl = str(sample_build.out_dir / "graph.ttl")
    result = CliRunner().invoke(
        cli,
        [
            "query",
            ttl,
            "SELECT ?s ?o WHERE { ?a rel:accuse ?b . ?a rdfs:label ?s . ?b rdfs:label ?o } ORDER BY ?s",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "David Lammy" in result.output
    assert "Russia" in result.output
    bad = CliRunner().invoke(cli, ["query", ttl, "SELECT WHERE {"])
    assert bad.exit_code == 2


@pytest.mark.model
def test_python_dash_m_runs_the_demo_build(tmp_path: Path, model_name: str) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geokg",
            "build",
            "--demo",
            "-o",
            str(tmp_path / "o"),
            "--model",
            model_name,
            "--export",
            "turtle",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "documents built" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]  # nothing written outside OUT


@pytest.mark.model
@pytest.mark.slow
def test_dask_local_build_gives_the_single_process_triples(
    tmp_path: Path, sample_build: Any
) -> None:
    out = tmp_path / "dask"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--demo",
            "-o",
            str(out),
            "--dask",
            "local",
            "--workers",
            "2",
            "--partition-size",
            "2",
            "--export",
            "turtle",
        ],
    )
    assert result.exit_code == 0, result.output
    from geokg.ingest._shards import plan_shards
    from geokg.pipeline import sample_inputs

    dask_part = json.loads((out / "report.json").read_text(encoding="utf-8"))["dask"]
    assert dask_part["partition_size"] == 2
    shards = len(plan_shards(sample_inputs(), size=2).shards)
    assert dask_part["partitions"] == shards > len(plan_shards(sample_inputs(), size=64).shards)
    single = (sample_build.out_dir / "triples.jsonl").read_text(encoding="utf-8").splitlines()
    dask = (out / "triples.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(dask) == sorted(single)
    assert (out / "graph.ttl").read_bytes() == (sample_build.out_dir / "graph.ttl").read_bytes()


def test_dask_cannot_be_combined_with_update(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "x.txt", "--dask", "local", "--update"])
    assert result.exit_code == 2
    assert "--update is not supported" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--process-pool", "-o", "o", "--update"], "--process-pool builds a new graph"),
        (["--process-pool", "--event-typer", "both"], "--process-pool codes events"),
        (["--process-pool", "--dask", "local"], "exclude each other"),
        (["--resume", "o", "--process-pool"], "cannot be combined with --process-pool"),
        (["--partition-size", "8"], "--partition-size is for --dask or --process-pool"),
        (["--process-pool", "--partition-size", "0"], "0 is not in the range x>=1"),
    ],
)
def test_process_pool_refuses_what_it_cannot_do(args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        cli, ["build", *(["x.txt"] if "--resume" not in args else []), *args]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_dask_processes_names_the_process_pool(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Poland criticised Russia on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["build", str(good), "-o", str(tmp_path / "o"), "--dask", "processes"]
    )
    assert result.exit_code == 1, result.output
    assert "use --process-pool" in result.output


@pytest.mark.model
@pytest.mark.slow
def test_eval_shows_the_news_gold_test_side_only_when_asked(
    tmp_path: Path, model_name: str
) -> None:
    root = Path(__file__).resolve().parents[1]
    shared = root.parent / "shared"
    if not (shared / "data" / "news").is_dir() or not (shared / "seeds").is_dir():
        pytest.skip("../shared/data/news or ../shared/seeds is not beside the checkout")
    lines = (root / "eval" / "gold" / "news_gold.jsonl").read_text(encoding="utf-8").splitlines()
    by_split: dict[str, str] = {}
    for line in lines:
        by_split.setdefault(json.loads(line)["split"], line)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(by_split["dev"] + "\n" + by_split["test"] + "\n", encoding="utf-8")
    common = [
        "eval", "--model", model_name, "--data-dir", str(shared / "data"),
        "--seeds-dir", str(shared / "seeds"), "--gold", str(root / "eval/gold/seeds_gold.tsv"),
        "--news-gold", str(gold),
    ]  # fmt: skip
    dev = CliRunner().invoke(cli, [*common, "--out", str(tmp_path / "dev.md")])
    assert dev.exit_code == 0, dev.output
    assert "news gold dev" in dev.output
    assert "news gold test" not in dev.output
    both = CliRunner().invoke(
        cli, [*common, "--split", "both", "--by-rule", "--out", str(tmp_path / "both.md")]
    )
    assert both.exit_code == 0, both.output
    assert "news gold test" in both.output
    md = (tmp_path / "both.md").read_text(encoding="utf-8")
    assert "### Rules on the dev side" in md
    assert "### Rules on the test side" in md
    test_id = json.loads(by_split["test"])["doc_id"]
    assert f"- {test_id}:" not in md  # no error of the test side is listed


@pytest.mark.model
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_demo_build_outputs_honour_the_umask(
    tmp_path: Path, model_name: str, umask: int, mode: int
) -> None:
    out = tmp_path / "o"
    proc = subprocess.run(
        [sys.executable, "-m", "geokg", "build", "--demo", "-o", str(out), "--model", model_name],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        umask=umask,
    )
    assert proc.returncode == 0, proc.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"graph.html", "edges_table.csv", "neo4j/nodes.csv"} <= names
    assert {
        p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in files
    } == dict.fromkeys(names, mode)


@pytest.mark.model
def test_update_never_reads_the_output_folder_inside_an_input_folder(
    tmp_path: Path, model_name: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    (work / "a.txt").write_text("Poland criticised Russia on Monday.\n", encoding="utf-8")
    first = CliRunner().invoke(
        cli, ["build", "-o", str(out), str(work), "--model", model_name, "--no-progress"]
    )
    assert first.exit_code == 0, first.output
    assert (out / "graph.html").is_file()
    assert (out / "neo4j").is_dir()
    (work / "b.txt").write_text("France praised Germany on Tuesday.\n", encoding="utf-8")
    args = ["build", "-o", str(out), "--update", str(work), "--model", model_name]
    result = CliRunner().invoke(cli, [*args, "--no-progress", "--strict"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "not read as input" in line]
    assert len(warned) == 1, result.stderr
    assert str(out) in warned[0]
    assert "skipped" not in result.stderr
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["documents"]["read"] == 2
    assert rep["skipped"] == []
    graph = json.loads((out / "graph.geokg.json").read_text(encoding="utf-8"))
    assert "graph.html" not in json.dumps(graph)
