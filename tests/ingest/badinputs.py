"""Builder of a corpus of bad inputs for the ingest layer (and for end-to-end tests).

:func:`make_bad_corpus` writes every case of issue 6 into a folder and returns what ingest
must do with each input document. Keys are sources as ingest names them, relative to the
folder: a file name, or ``name:line`` for a JSONL line. Values are one of:

* ``"skip: <keyword>"`` -- skipped, with ``<keyword>`` in the reason;
* ``"warn: <keyword>"`` -- read, with a warning for that source containing ``<keyword>``;
* ``"read"`` -- read, with no warning.

All texts are invented for this corpus.
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

__all__ = ["MISSING", "make_bad_corpus"]

MISSING = "does_not_exist.txt"

_PHRASE = (
    "the minister of trade and the envoy from the northern republic met again in the old "
    "harbour town to talk about grain tariffs and border posts while the crowd outside waited"
)


def _png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("inner.txt", "Ministers met in a small town to discuss the ferry routes.")
    return buf.getvalue()


def _article(topic: str) -> str:
    return (
        f"Talks on {topic} resume\n\n"
        f"The foreign minister of the island state said on Tuesday that talks on {topic} with "
        "the neighbouring kingdom would resume next week.\n\n"
        f"Officials from both sides described the first round on {topic} as frank and useful."
    )


def make_bad_corpus(dir: Path) -> dict[str, str]:
    """Write the bad-input corpus into ``dir``; return ``{source: expected outcome}``.

    ``MISSING`` is a key for a path that is deliberately not created. The unreadable file is
    expected to be skipped for permissions unless the current user can read it anyway (root),
    in which case it is expected to be read.
    """
    dir.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes | str, outcome: str) -> Path:
        path = dir / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[name] = outcome
        return path

    put("empty.txt", b"", "skip: empty")
    put("blank.txt", " \n\t\n  \n", "skip: empty")
    put("image.png", _png(), "skip: binary")
    put("disguised_image.txt", _png(), "skip: binary")
    put("archive.zip", _zip(), "skip: binary")
    put("nul_bytes.txt", b"abc\x00\x01\x02def\x00" * 50, "skip: binary")
    put(
        "latin1.txt",
        (
            "Café talks in Zürich\n\nThe delegates from Genève met the minister in a café "
            "near the lake, where the naïve plan of the summer was set aside."
        ).encode("latin-1"),
        "warn: fallback encoding",
    )
    put(
        "broken_utf8.txt",
        "Border crossing reopens\n\nThe crossing near Łódź reopened after the strike ended, "
        "officials said. ".encode()
        + b"\xff\xfe\xfa"
        + b" Trucks queued for hours.",
        "warn: invalid UTF-8",
    )
    put(
        "utf16_bom.txt",
        _article("fishing quotas").encode("utf-16"),  # Python writes a BOM for "utf-16"
        "read",
    )
    put("utf8_bom.txt", "\ufeff" + _article("river shipping"), "read")
    put("huge_single_line.txt", b"word " * 4_000_000, "skip: too large")
    words = _PHRASE.split()
    sentence = " ".join(words[i % len(words)] for i in range(40_000))[:200_000]
    put("long_sentence.txt", "A very long line\n\n" + sentence, "warn: sentence too long")
    put(
        "german.txt",
        "Gespräche in Berlin\n\nDer Außenminister sagte am Dienstag, dass die Gespräche mit "
        "dem Nachbarland über die Zölle in der nächsten Woche weitergehen sollen.",
        "warn: English",
    )
    put(
        "russian.txt",
        "Переговоры в Москве\n\nМинистр иностранных дел заявил во вторник, что переговоры "
        "с соседней страной о пошлинах продолжатся на следующей неделе.",
        "warn: English",
    )
    put(
        "script_style.html",
        "<!doctype html><html><head><title>Ports deal signed</title>"
        "<style>body { color: red } .secret-style-marker { display: none }</style>"
        "<script>var secretScriptMarker = 'do not keep';</script></head><body>"
        "<article><h1>Ports deal signed</h1>"
        "<p>The transport ministers of the two coastal states signed a deal on Friday to share "
        "the costs of dredging the shared harbour and of running the ferry service.</p>"
        "<script>document.write('secretScriptMarker2');</script>"
        "<p>The agreement still needs the approval of both parliaments, the ministers said in "
        "a joint statement issued after the signing ceremony in the harbour.</p>"
        "</article></body></html>",
        "read",
    )
    lines = [
        json.dumps(
            {
                "id": "j1",
                "title": "Grain deal",
                "date": "2024-10-11T15:01:22-04:00",
                "text": _article("grain exports"),
            }
        ),
        '{"id": "j2", "text": "The line is cut here',
        json.dumps({"id": "j3", "title": "No text field"}),
        json.dumps({"id": "j4", "text": 12345}),
        json.dumps({"id": "j1", "text": _article("a repeated id")}),
        json.dumps({"id": "j6", "text": _article("rail freight"), "desk": "europe"}),
    ]
    (dir / "cases.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    outcomes = [
        "read",
        "skip: invalid JSON",
        "skip: missing `text`",
        "skip: not a string",
        "skip: duplicate id",
        "read",
    ]
    for number, outcome in enumerate(outcomes, start=1):
        expected[f"cases.jsonl:{number}"] = outcome
    good = gzip.compress(
        (json.dumps({"id": "g1", "text": _article("wind farms")}) + "\n").encode() * 20
    )
    (dir / "truncated.jsonl.gz").write_bytes(good[: len(good) // 2])
    expected["truncated.jsonl.gz:1"] = "skip: cannot read"
    locked = put("unreadable.txt", _article("customs checks"), "skip: permission")
    locked.chmod(0)
    try:
        with locked.open("rb"):
            pass
    except PermissionError:
        pass
    else:  # running as root: the permission bits do not stop reading
        expected["unreadable.txt"] = "read"
    expected[MISSING] = "skip: no such file"
    (dir / MISSING).unlink(missing_ok=True)
    return expected
