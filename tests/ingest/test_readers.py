"""Readers: txt/md, JSONL(.gz), HTML, stdin, folders, globs, ids, determinism."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

import geokg.ingest
from geokg.errors import ConfigError
from geokg.ingest import (
    SUPPORTED_SUFFIXES,
    IngestOptions,
    IngestReport,
    iter_documents,
    read_html,
    read_jsonl,
    read_text_file,
)

BODY = (
    "The prime minister of the island state accused the neighbouring kingdom of blocking the "
    "ferry talks on Monday."
)
SECOND = (
    "Officials from the kingdom rejected the claim and said their delegation was ready to meet "
    "at any time."
)


def test_public_surface() -> None:
    assert set(geokg.ingest.__all__) == {
        "SUPPORTED_SUFFIXES",
        "IngestOptions",
        "IngestReport",
        "check_inputs",
        "clean_text",
        "iter_documents",
        "missing_inputs",
        "read_html",
        "read_jsonl",
        "read_text_file",
        "sample_inputs",
    }
    assert {".txt", ".md", ".jsonl", ".jsonl.gz", ".html"} <= set(SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("field", ["max_bytes", "max_sentence_chars"])
@pytest.mark.parametrize("value", [0, -1, True])
def test_options_reject_bad_limits(field: str, value: int) -> None:
    with pytest.raises(ConfigError, match=field):
        IngestOptions(**{field: value})  # type: ignore[arg-type]


def test_text_file_title_date_and_furniture(tmp_path: Path) -> None:
    path = tmp_path / "ferry talks.txt"
    path.write_text(
        f"The Daily Example\n\nPM accuses kingdom over ferry talks\n\nBy staff Reporter Desk\n"
        f"Published 4 March 2024\nShare this article\n{BODY}\n{SECOND}\n\n"
        "We are not accepting comments for this story.\n",
        encoding="utf-8",
    )
    report = IngestReport()
    doc = read_text_file(path, report=report)
    assert doc is not None
    assert doc.id == "ferry-talks"
    assert doc.title == "PM accuses kingdom over ferry talks"
    assert doc.published == "2024-03-04"
    assert doc.text == f"PM accuses kingdom over ferry talks\n\n{BODY}\n\n{SECOND}"
    assert report.removed == {"debris_lines": 4, "masthead_lines": 1}
    assert report.documents_read == 1


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        f"# Ferry talks stall\n\n{BODY} See [the statement](https://example.org/s).\n\n**{SECOND}**",
        encoding="utf-8",
    )
    doc = read_text_file(path)
    assert doc is not None
    assert doc.title == "Ferry talks stall"
    assert doc.text == f"Ferry talks stall\n\n{BODY} See the statement.\n\n{SECOND}"


def test_first_line_sentence_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{BODY}\n{SECOND}", encoding="utf-8")
    doc = read_text_file(path)
    assert doc is not None
    assert doc.title is None
    assert doc.published is None


def _jsonl(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_jsonl_fields_meta_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(
        _jsonl(
            [
                {
                    "id": "a",
                    "title": "Ferry",
                    "date": "2024-10-11T23:01:22-04:00",
                    "url": "https://example.org/a",
                    "text": BODY,
                    "desk": "world",
                    "tags": [1, 2],
                },
                {"id": 7, "published": "12 May 2025", "text": SECOND},
                {"text": f"ROME, March 5, 2024 — {BODY} Again."},
                {"id": "d", "date": "soon", "title": 3, "text": "Short text here."},
            ]
        ),
        encoding="utf-8",
    )
    report = IngestReport()
    docs = list(read_jsonl(path, report=report))
    assert [d.id for d in docs] == ["a", "7", "news/3", "d"]
    assert docs[0].published == "2024-10-11"
    assert docs[0].url == "https://example.org/a"
    assert docs[0].title == "Ferry"
    assert dict(docs[0].meta) == {"desk": "world", "tags": [1, 2]}
    assert docs[0].text == BODY  # the title is not added to JSONL text
    assert docs[0].source == f"{path}:1"
    assert docs[1].published == "2025-05-12"
    assert docs[2].published == "2024-03-05"
    assert docs[3].published is None
    assert docs[3].title is None
    reasons = [w["reason"] for w in report.warnings]
    assert any("'soon' is not a clear date" in r for r in reasons)
    assert any("`title` is not a string" in r for r in reasons)


def test_jsonl_gz_and_oversized_line(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    big = "word " * 400
    big_line = json.dumps({"id": "b", "text": big}) + "\n"
    path.write_bytes(
        gzip.compress(
            _jsonl(
                [{"id": "a", "text": BODY}, {"id": "b", "text": big}, {"id": "c", "text": SECOND}]
            ).encode()
        )
    )
    report = IngestReport()
    docs = list(read_jsonl(path, options=IngestOptions(max_bytes=1000), report=report))
    assert [d.id for d in docs] == ["a", "c"]
    assert report.skipped == [
        {"source": f"{path}:2", "reason": f"too large ({len(big_line)} bytes > limit 1000)"}
    ]


def test_html_reader(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Ferry talks stall | Example</title>"
        '<meta property="article:published_time" content="2024-03-04T10:00:00Z">'
        '<meta property="og:url" content="https://example.org/ferry">'
        "</head><body><nav>Home World Sport</nav><article><h1>Ferry talks stall</h1>"
        f"<p>{BODY}</p><p>{SECOND}</p></article>"
        "<footer>Share this article</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_html(path)
    assert doc is not None
    assert doc.title == "Ferry talks stall"
    assert doc.published == "2024-03-04"
    assert doc.text == f"Ferry talks stall\n\n{BODY}\n\n{SECOND}"


def test_stdin_text_and_jsonl() -> None:
    report = IngestReport()
    docs = list(iter_documents(["-"], report=report, stdin=io.StringIO(f"Ferry talks\n{BODY}")))
    assert [(d.id, d.source, d.title) for d in docs] == [("stdin", "<stdin>", "Ferry talks")]
    stream = io.StringIO(_jsonl([{"id": "x", "text": BODY}, {"id": "y", "text": SECOND}]))
    docs = list(iter_documents(["-"], stdin=stream))
    assert [(d.id, d.source) for d in docs] == [("x", "<stdin>:1"), ("y", "<stdin>:2")]


def test_folder_glob_ids_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(f"Story one\n{BODY}", encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text(f"Story two\n{SECOND}", encoding="utf-8")
    (tmp_path / "b" / "A Copy!.md").write_text(f"Story one\n{BODY}", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden\nNot read at all, ever.", encoding="utf-8")
    report = IngestReport()
    docs = list(
        iter_documents(
            [tmp_path, str(tmp_path / "b" / "*.txt"), str(tmp_path / "nothing*.txt"), "-x-"],
            report=report,
        )
    )
    assert [d.id for d in docs] == ["a", "b/a"]
    assert report.skipped == [
        {
            "source": str(tmp_path / "b" / "A Copy!.md"),
            "reason": "duplicate document (all 1 paragraphs seen in earlier documents)",
        },
        {
            "source": str(tmp_path / "b" / "a.txt"),
            "reason": f"same file already read as {tmp_path / 'b' / 'a.txt'}",
        },
        {"source": str(tmp_path / "nothing*.txt"), "reason": "glob pattern matched no files"},
        {"source": "-x-", "reason": "no such file or directory"},
    ]
    assert report.documents_read + report.documents_skipped == 6


def test_file_ids_are_made_unique(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "same.txt").write_text(f"One\n{BODY}", encoding="utf-8")
    (tmp_path / "y" / "same.txt").write_text(f"Two\n{SECOND}", encoding="utf-8")
    docs = list(iter_documents([tmp_path / "x" / "same.txt", tmp_path / "y" / "same.txt"]))
    assert [d.id for d in docs] == ["same", "same-2"]


def test_unknown_extension_named_explicitly_is_read_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "story.log"
    path.write_text(f"Ferry talks\n{BODY}", encoding="utf-8")
    report = IngestReport()
    docs = list(iter_documents([path], report=report))
    assert [d.id for d in docs] == ["story"]
    assert report.warnings == [
        {"source": str(path), "reason": "unknown file extension '.log'; read as plain text"}
    ]


def test_runs_are_deterministic(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(
            f"Story {n}\nItem {n}: {BODY}\n{SECOND}", encoding="utf-8"
        )

    def run() -> tuple[list[tuple[str, str]], dict[str, object]]:
        report = IngestReport()
        docs = [(d.id, d.text) for d in iter_documents([tmp_path], report=report)]
        return docs, report.to_dict()

    first = run()
    assert first == run()
    assert first[1]["removed"] == {"cross_document_duplicates": 4}


class _BlockedError(Exception):
    """Raised by :func:`_deadline` (not an OSError, which the readers would catch)."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block blocks for ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise _BlockedError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_is_skipped_not_opened(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Story one\n{BODY}", encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    gz_fifo = tmp_path / "pipe.jsonl.gz"
    os.mkfifo(gz_fifo)
    report = IngestReport()
    with _deadline(10):
        docs = list(iter_documents([tmp_path, fifo, str(tmp_path / "pipe.*")], report=report))
        assert read_text_file(fifo, report=report) is None
        assert list(read_jsonl(gz_fifo, report=report)) == []
    assert [d.id for d in docs] == ["a"]
    reason = "not a regular file: FIFO"
    assert report.skipped == [
        {"source": str(gz_fifo), "reason": reason},
        {"source": str(fifo), "reason": reason},
        {"source": str(fifo), "reason": reason},
        {"source": str(gz_fifo), "reason": reason},
        {"source": str(fifo), "reason": reason},
        {"source": str(fifo), "reason": reason},
        {"source": str(gz_fifo), "reason": reason},
    ]


# --------------------------------------------------------------------------- the output folder


def _with_output_folder(tmp_path: Path) -> tuple[Path, Path]:
    """``in/`` with one article and ``in/out/``, a build's outputs (HTML and text among them)."""
    folder = tmp_path / "in"
    out = folder / "out"
    (out / "neo4j").mkdir(parents=True)
    (folder / "a.txt").write_text(BODY + "\n", encoding="utf-8")
    (out / "graph.html").write_text("<html><body><p>" + BODY + "</p></body></html>", "utf-8")
    (out / "neo4j" / "README.txt").write_text("Load the CSV files.\n", encoding="utf-8")
    (out / "triples.jsonl").write_text('{"id": "r1", "text": "x"}\n', encoding="utf-8")
    return folder, out


def test_a_folder_holding_the_output_folder_leaves_its_files_out(tmp_path: Path) -> None:
    folder, out = _with_output_folder(tmp_path)
    report = IngestReport()
    docs = list(iter_documents([str(folder)], report=report, exclude=out))
    assert [d.source for d in docs] == [str(folder / "a.txt")]
    assert report.skipped == []
    assert len(report.warnings) == 1
    assert report.warnings[0]["source"] == str(out)
    assert "not read as input" in report.warnings[0]["reason"]
    # without exclude, the outputs are read as articles (what --update did before)
    assert len(list(iter_documents([str(folder)]))) > 1


@pytest.mark.parametrize("how", ["folder", "file", "glob", "relative"])
def test_the_output_folder_itself_is_never_read(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = _with_output_folder(tmp_path)
    item = {
        "folder": str(out),
        "file": str(out / "graph.html"),
        "glob": str(out / "**" / "*.*"),
        "relative": "in/out",
    }[how]
    monkeypatch.chdir(tmp_path)
    report = IngestReport()
    assert list(iter_documents([item], report=report, exclude=out)) == []
    assert report.skipped == []
    assert [w["source"] for w in report.warnings] == [str(out)]


def test_missing_inputs_names_paths_and_globs_that_name_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    inputs = ["-", str(tmp_path / "a.txt"), str(tmp_path), str(tmp_path / "*.txt")]
    assert geokg.ingest.missing_inputs(inputs) == []
    gone, nothing = str(tmp_path / "gone.txt"), str(tmp_path / "*.jsonl")
    assert geokg.ingest.missing_inputs([*inputs, gone, nothing]) == [
        (gone, "no such file or directory"),
        (nothing, "glob pattern matched no files"),
    ]
