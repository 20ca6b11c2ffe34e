"""List the news gold's dev-side errors, the only side rules may be written from.

    .venv/bin/python scripts/gold_dev_errors.py [--extractor svo.v2] [--model NAME] [--out FILE]

Writes one JSON document (default ``/tmp/geokg-dev-errors.json``) with, for every dev document,
its facts (matched or not), its rows (with the facts each matches) and the figures of
:func:`geokg.evaluation.gold.score_news`; prints the figures and the rules' table. There is no
option for the test side on purpose: its errors are never read (docs/ANNOTATION.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from geokg.evaluation.adapters import predict_records_fn
from geokg.evaluation.gold import (
    _gold_actors_of,
    _lenient,
    _mention_text,
    _strict_fit,
    gold_texts,
    read_gold,
    score_news,
    select_split,
)
from geokg.nlp import load_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extractor", default="svo.v2")
    ap.add_argument("--model", default=None)
    ap.add_argument("--gold", default="eval/gold/news_gold.jsonl")
    ap.add_argument("--news", default="../shared/data/news")
    ap.add_argument("--out", default="/tmp/geokg-dev-errors.json")
    args = ap.parse_args()
    docs = select_split(read_gold(args.gold), "dev")
    records = gold_texts(docs, args.news)
    rows = predict_records_fn(load_model(args.model), extractor=args.extractor)(
        [records[d.doc_id] for d in docs]
    )
    score = score_news(docs, rows, split="dev")
    out: list[dict[str, Any]] = []
    for d in docs:
        doc_rows = [r for r in rows if r.get("doc_id") == d.doc_id]
        matched: set[str] = set()
        shown = []
        for r in doc_rows:
            subj = _gold_actors_of(r.get("subject"), _mention_text(r, "subject"), d)
            obj = _gold_actors_of(r.get("object"), _mention_text(r, "object"), d)
            lenient = [f.id for f in d.facts if _lenient(subj, obj, f)]
            strict = [f.id for f in d.facts if f.id in lenient and _strict_fit(r, f)]
            matched.update(lenient)
            shown.append(
                {
                    "subject": (r.get("subject") or {}).get("label"),
                    "relation": r.get("relation"),
                    "object": (r.get("object") or {}).get("label"),
                    "object_type": (r.get("object") or {}).get("type"),
                    "plover": (r.get("event") or {}).get("plover"),
                    "modality": r.get("modality"),
                    "negated": r.get("negated"),
                    "rule": r.get("rule"),
                    "confidence": r.get("confidence"),
                    "sentence": r.get("sentence"),
                    "gold_subject": sorted(subj),
                    "gold_object": sorted(obj),
                    "lenient": lenient,
                    "strict": strict,
                }
            )
        out.append(
            {
                "doc_id": d.doc_id,
                "text": records[d.doc_id]["text"],
                "actors": [{"id": a.id, "type": a.type, "names": a.names} for a in d.actors],
                "facts": [
                    {
                        "id": f.id,
                        "subject": f.subject,
                        "wording": f.relations,
                        "object": f.object,
                        "plover": f.plover,
                        "modality": f.modality,
                        "symmetric": f.symmetric,
                        "evidence": [records[d.doc_id]["text"][a:b] for a, b in f.evidence],
                        "core": f.core,
                        "found": f.id in matched,
                    }
                    for f in d.facts
                ],
                "rows": shown,
            }
        )
    Path(args.out).write_text(json.dumps(out, indent=1, default=list), encoding="utf-8")
    print(
        f"dev: rows {score.rows}, precision strict {score.rows_strict}/{score.rows} "
        f"lenient {score.rows_lenient}/{score.rows}; core recall strict "
        f"{score.core_strict}/{score.core} lenient {score.core_lenient}/{score.core}; "
        f"event type {score.event_type_correct}/{score.matched}; modality "
        f"{score.modality_correct}/{score.matched}; hedged as plain "
        f"{score.hedged_as_plain}/{score.hedged_matched}; duplicates {score.duplicate_nodes}; "
        f"merged {score.merged_nodes}"
    )
    for rs in score.by_rule:
        print(f"  {rs.rule:32} rows {rs.rows:4}  strict {rs.strict:4}  lenient {rs.lenient:4}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
