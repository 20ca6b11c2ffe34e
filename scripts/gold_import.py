"""Turn annotation files (one JSON file a document, evidence as quotes) into the gold JSONL.

``python scripts/gold_import.py ANNOTATION_DIR OUT.jsonl`` reads ``ANNOTATION_DIR/*.json`` (the
annotators' working format: docs/ANNOTATION.md section 4, with ``evidence`` items holding a
``quote``), finds each quote in the document's text from ``../shared/data/news``, and writes
validated gold records with character offsets. Quotes are kept for White House documents only
(public domain); Reuters and BBC evidence is offsets only, so their text never enters the
repository, their notes are dropped and a name that repeats six words of the text is left out.
Fails with the file and reason when a quote is not in the text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from geokg.evaluation.gold import gold_texts, parse_gold_record, split_of

PUBLIC_DOMAIN = {"whitehouse"}


def _grams(text: str, n: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _research_safe(rec: dict[str, Any], text: str) -> dict[str, Any]:
    """A research-use document's record with nothing that repeats six words of its text: notes
    dropped, and descriptive names ("the consortium which won ...") left out (the id stays)."""
    grams = _grams(text)
    actors = [
        {**a, "names": [n for n in a["names"] if not _grams(n) & grams] or [a["id"]]}
        for a in rec["actors"]
    ]
    facts = [{k: v for k, v in f.items() if k != "note"} for f in rec["facts"]]
    return {**rec, "actors": actors, "facts": facts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("annotations", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sample", type=Path, default=root / "eval" / "gold" / "sample.tsv")
    parser.add_argument("--news", type=Path, default=root.parent / "shared" / "data" / "news")
    args = parser.parse_args()
    with args.sample.open(encoding="utf-8") as handle:
        sample = {row["doc_id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    raw = []
    for path in sorted(args.annotations.glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        row = sample.get(rec.get("doc_id"))
        if row is None:
            raise SystemExit(f"{path}: document {rec.get('doc_id')!r} is not in {args.sample}")
        raw.append((path, rec, row))
    stubs = [
        parse_gold_record(
            {
                "doc_id": row["doc_id"],
                "source": row["source"],
                "split": split_of(row["doc_id"]),
                "text_sha256": row["text_sha256"],
                "annotator": "stub",
                "actors": [],
                "facts": [],
            },
            str(path),
        )
        for path, _rec, row in raw
    ]
    texts = gold_texts(stubs, args.news)
    lines = []
    for path, annotated, row in raw:
        doc_id = row["doc_id"]
        text = texts[doc_id]["text"]
        rec = annotated if row["source"] in PUBLIC_DOMAIN else _research_safe(annotated, text)
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == row["text_sha256"]
        facts = []
        for fact in rec["facts"]:
            evidence = []
            for item in fact["evidence"]:
                quote = item["quote"]
                start = text.find(quote)
                if start < 0:
                    raise SystemExit(f"{path}: fact {fact['id']}: quote not in the text: {quote!r}")
                span: dict[str, object] = {"start": start, "end": start + len(quote)}
                if row["source"] in PUBLIC_DOMAIN:
                    span["quote"] = quote
                evidence.append(span)
            facts.append({**fact, "evidence": evidence})
        out = {
            "doc_id": doc_id,
            "source": row["source"],
            "split": split_of(doc_id),
            "date": texts[doc_id]["date"],
            "text_sha256": row["text_sha256"],
            "annotator": rec["annotator"],
            "second_pass": row["second_pass"] == "yes",
            "actors": rec["actors"],
            "facts": facts,
        }
        parse_gold_record(out, str(path))  # validate before writing
        lines.append(json.dumps(out, ensure_ascii=False, sort_keys=True))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} documents -> {args.out}")


if __name__ == "__main__":
    main()
