"""The Python API: ``geokg.build`` in memory and into a folder, the relations as a DataFrame."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import networkx
import pytest

import geokg
from geokg.errors import ConfigError, GeoKGError, InputError, MissingExtraError
from geokg.frame import RELATION_COLUMNS, read_rows, relations_frame
from geokg.pipeline import BuildOptions, BuildResult, sample_inputs

# Keys of report.json that only a build into a folder has (files written, export timing).
FOLDER_ONLY = {"files", "stale_files", "timings_s"}


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def memory(
    tmp_path_factory: pytest.TempPathFactory, model_name: str
) -> tuple[BuildResult, list[str], list[str]]:
    """One build of the sample articles in memory, run from an empty working folder with an
    empty temporary folder; with what those two folders held afterwards."""
    cwd = tmp_path_factory.mktemp("cwd")
    tmp = tmp_path_factory.mktemp("tmp")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        mp.setenv("TMPDIR", str(tmp))
        mp.setattr(tempfile, "tempdir", str(tmp))
        result = geokg.build(sample_inputs(), model=model_name, progress=False)
    return result, _listing(cwd), _listing(tmp)


def _common(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key not in FOLDER_ONLY}


def _file_rows(out: Path) -> list[dict[str, Any]]:
    text = (out / "triples.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_the_api_is_exported_from_the_package() -> None:
    from geokg import frame, pipeline

    assert geokg.build is pipeline.build
    assert geokg.read_relations is frame.read_relations
    assert geokg.BuildResult is BuildResult


def test_pandas_is_imported_only_when_a_frame_is_made() -> None:
    code = "import sys, geokg, geokg.frame, geokg.pipeline; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.model
def test_a_build_in_memory_writes_nothing(memory: Any) -> None:
    result, cwd_after, tmp_after = memory
    assert result.out_dir is None
    assert result.files == []
    assert cwd_after == []
    assert tmp_after == []
    assert "files" not in result.report
    assert "exports" not in result.report["timings_s"]


@pytest.mark.model
def test_a_build_in_memory_gives_the_rows_graph_and_report_of_a_build_into_a_folder(
    memory: Any, sample_build: Any
) -> None:
    result = memory[0]
    rows = _file_rows(sample_build.out_dir)
    assert len(rows) >= 10
    assert result.relations == rows
    assert result.report["relations"]["kept"] == len(rows)
    assert sorted(result.graph.nodes(data=True)) == sorted(sample_build.graph.nodes(data=True))
    assert sorted(result.graph.edges(keys=True, data=True)) == sorted(
        sample_build.graph.edges(keys=True, data=True)
    )
    assert result.graph.graph == sample_build.graph.graph
    assert _common(result.report) == _common(sample_build.report)
    assert set(result.report["timings_s"]) == {"model_load", "extract_and_graph", "total"}


@pytest.mark.model
def test_a_build_into_a_folder_reads_its_relations_from_triples_jsonl(sample_build: Any) -> None:
    assert sample_build.relations == _file_rows(sample_build.out_dir)


@pytest.mark.model
def test_the_frame_has_the_documented_columns_and_dtypes(memory: Any) -> None:
    pd = pytest.importorskip("pandas")
    result = memory[0]
    frame = result.relations_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [name for name, _, _ in RELATION_COLUMNS]
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        name: dtype for name, dtype, _ in RELATION_COLUMNS
    }
    assert len(frame) == len(result.relations)
    assert list(frame.index) == list(range(len(frame)))


@pytest.mark.model
def test_each_frame_row_holds_its_relation_row(memory: Any) -> None:
    pd = pytest.importorskip("pandas")
    result = memory[0]
    frame = result.relations_frame()
    texts = {d.id: d.text for d in geokg.iter_documents([str(p) for p in sample_inputs()])}
    assert frame["object_id"].isna().any()  # the sample has events with no actor target
    assert frame["event_type"].notna().any()

    def same(value: Any, expected: Any) -> bool:
        return bool(pd.isna(value)) if expected is None else bool(value == expected)

    for i, row in enumerate(result.relations):
        rec = frame.iloc[i]
        subject, obj, speaker = row["subject"], row["object"] or {}, row["speaker"] or {}
        event, place = row["event"] or {}, row["place"] or {}
        expected = {
            "id": row["id"],
            "doc_id": row["doc_id"],
            "subject_id": subject["id"],
            "subject_label": subject["label"],
            "subject_type": subject["type"],
            "subject_country": subject["country"],
            "relation": row["relation"],
            "object_id": obj.get("id"),
            "object_label": obj.get("label"),
            "object_country": obj.get("country"),
            "event_type": event.get("plover"),
            "cameo": event.get("cameo"),
            "quad_class": event.get("quad_class"),
            "goldstein": event.get("goldstein"),
            "modality": row["modality"],
            "negated": row["negated"],
            "speaker_id": speaker.get("id"),
            "speaker_label": speaker.get("label"),
            "date": row["date"],
            "date_source": row["date_source"],
            "confidence": row["confidence"],
            "prior": row["prior"],
            "rule": row["rule"],
            "sentence": row["sentence"],
            "subject_text": row["subject_mention"]["text"],
            "object_text": row["object_mention"]["text"],
            "object_kind": row["object_mention"]["kind"],
            "time_text": row["time_text"],
            "place_name": place.get("name"),
            "typing_source": row["typing"]["source"],
        }
        for column, value in expected.items():
            assert same(rec[column], value), (row["id"], column, rec[column], value)
        text = texts[rec["doc_id"]]
        assert text[rec["sentence_start"] : rec["sentence_end"]] == rec["sentence"]
        assert text[rec["subject_start"] : rec["subject_end"]] == rec["subject_text"]
        assert rec["sentence_start"] <= rec["trigger_start"] < rec["trigger_end"]
        assert rec["trigger_end"] <= rec["sentence_end"]


@pytest.mark.model
def test_a_groupby_over_the_frame_counts_the_rows(memory: Any) -> None:
    pytest.importorskip("pandas")
    result = memory[0]
    frame = result.relations_frame()
    by_type = frame.groupby("event_type").size().to_dict()
    expected: dict[str, int] = {}
    for row in result.relations:
        if row["event"] is not None:
            expected[row["event"]["plover"]] = expected.get(row["event"]["plover"], 0) + 1
    assert by_type == expected


@pytest.mark.model
def test_read_relations_gives_the_frame_of_the_same_build(memory: Any, sample_build: Any) -> None:
    pytest.importorskip("pandas")
    frame = memory[0].relations_frame()
    out: Path = sample_build.out_dir
    assert geokg.read_relations(out).equals(frame)
    assert geokg.read_relations(str(out / "triples.jsonl")).equals(frame)
    assert sample_build.relations_frame().equals(frame)


def test_an_empty_frame_has_the_columns_and_dtypes() -> None:
    pytest.importorskip("pandas")
    frame = relations_frame([])
    assert len(frame) == 0
    assert [(n, str(t)) for n, t in frame.dtypes.items()] == [
        (name, dtype) for name, dtype, _ in RELATION_COLUMNS
    ]


def _one_line_error(path: Path, *, match: str) -> InputError:
    with pytest.raises(InputError) as info:
        geokg.read_relations(path)
    message = str(info.value)
    assert "\n" not in message
    assert match in message, message
    return info.value


def test_read_relations_names_a_missing_folder_or_file(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    err = _one_line_error(tmp_path / "nowhere", match="no such file or folder")
    assert err.source == str(tmp_path / "nowhere")
    err = _one_line_error(tmp_path, match="build into that folder first")
    assert err.source == str(tmp_path / "triples.jsonl")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"id": "r-1"\n', "not JSON"),
        (b"[1, 2]\n", "not a triples.jsonl row (a JSON list)"),
        (b'{"id": "r-1", "relation": "meet"}\n', "not a triples.jsonl row (no subject, doc_id"),
        (
            b'{"id": "r-1", "subject": "EU", "relation": "meet", "doc_id": "d", '
            b'"sentence": "s", "span": [0, 1]}\n',
            "its subject is no object",
        ),
        (b"\n\xff\xfe\n", "not UTF-8"),
    ],
)
def test_read_relations_names_the_line_and_the_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    pytest.importorskip("pandas")
    path = tmp_path / "triples.jsonl"
    path.write_bytes(content)
    line = 2 if content.startswith(b"\n") else 1
    err = _one_line_error(tmp_path, match=reason)
    assert err.source == f"{path}:{line}"
    with pytest.raises(InputError, match="not"):
        read_rows(path)  # the rows alone, without pandas, fail the same way


def test_without_pandas_the_frame_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    for call in (lambda: relations_frame([]), lambda: geokg.read_relations(tmp_path)):
        with pytest.raises(MissingExtraError) as info:
            call()
        assert isinstance(info.value, ImportError)
        assert isinstance(info.value, GeoKGError)
        assert "pip install 'geokg[pandas]'" in str(info.value)
        assert "\n" not in str(info.value)
    result = BuildResult(graph=networkx.MultiDiGraph(), report={}, _rows=[])
    with pytest.raises(MissingExtraError):
        result.relations_frame()


def test_build_options_given_twice_or_without_a_folder_are_refused(tmp_path: Path) -> None:
    inputs = sample_inputs()
    with pytest.raises(ConfigError, match="give the output folder once"):
        geokg.build(inputs, tmp_path / "a", out_dir=tmp_path / "b")
    with pytest.raises(ConfigError, match="update=True merges into the graph of an output"):
        geokg.build(inputs, update=True)
    with pytest.raises(ConfigError, match="min_confidence must be between 0 and 1"):
        geokg.build(inputs, min_confidence=2.0)
    with pytest.raises(InputError, match="nothing was built"):
        geokg.build([tmp_path / "missing.txt"])
    assert _listing(tmp_path) == []


@pytest.mark.model
def test_keyword_options_set_the_fields_of_options(model_name: str, tmp_path: Path) -> None:
    one = sample_inputs()[0]  # one path alone is a list of one
    result = geokg.build(
        one,
        options=BuildOptions(model=model_name, min_confidence=0.9, progress=False),
        min_confidence=0.0,
        extractor="svo.v1",
    )
    assert result.report["documents"]["built"] == 1
    assert result.report["confidence"]["min_confidence"] == 0.0
    assert result.report["extractor"] == "svo.v1"
    assert {row["extractor"] for row in result.relations} == {"svo.v1"}
    assert {row["doc_id"] for row in result.relations} == set(result.graph.graph["documents"])
    folder = geokg.build([one], out_dir=tmp_path / "out", model=model_name, progress=False)
    assert folder.out_dir == tmp_path / "out"
    assert (tmp_path / "out" / "report.json").is_file()
    assert folder.relations == _file_rows(tmp_path / "out")


@pytest.mark.model
def test_a_build_in_memory_reads_stdin_and_says_what_it_skipped(
    model_name: str, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "talks.txt").write_text(
        "Talks\n\nPoland criticised Russia on Monday over the closure of its consulate.\n",
        encoding="utf-8",
    )
    said: list[str] = []
    stdin = io.StringIO("France praised Germany for its aid to Ukraine on Tuesday.\n")
    result = geokg.build(
        [tmp_path, "-"], stdin=stdin, echo=said.append, model=model_name, progress=False
    )
    assert result.report["documents"]["built"] == 2
    assert [entry["source"] for entry in result.report["skipped"]] == [str(tmp_path / "empty.txt")]
    assert said == [
        f"geokg: skipped {tmp_path / 'empty.txt'}: {result.report['skipped'][0]['reason']}"
    ]
    pairs = {(row["subject"]["id"], row["object"]["id"]) for row in result.relations}
    assert ("POL", "RUS") in pairs
    assert ("FRA", "DEU") in pairs
    assert sorted(result.graph.graph["documents"]) == sorted(
        {row["doc_id"] for row in result.relations}
    )
    assert _listing(tmp_path) == ["empty.txt", "talks.txt"]
