"""Report rendering and the harness driving every benchmark."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from geokg.errors import InputError
from geokg.evaluation import (
    CarbScore,
    CarbTuple,
    EvalResults,
    EventScore,
    SeedScore,
    render_markdown,
    render_table,
    run_evaluation,
)
from geokg.evaluation.carb import read_gold
from geokg.evaluation.events import load_event_sets
from geokg.evaluation.report import Check, checks
from geokg.evaluation.seeds import read_seed_gold

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
GOLD = ROOT / "eval" / "gold" / "seeds_gold.tsv"


def results(**kw: Any) -> EvalResults:
    base: dict[str, Any] = {
        "date": "2025-05-16",
        "model": "en_geokg_news_sm-0.1.0",
        "seeds": SeedScore(
            precision=0.9,
            recall=0.75,
            f1=2 * 0.9 * 0.75 / 1.65,
            tp=30,
            fp=3,
            fn=10,
            predictions=33,
            duplicate_actors=2,
            details={
                "missed": [(5, "d", "A", "meet", "B")],
                "false_positives": [("d", "c", "accuse", "e")],
                "duplicates": [],
            },
        ),
        "carb": CarbScore(auc=0.3, precision=0.6, recall=0.4, f1=0.48, threshold=0.5),
        "events": {
            "plover_gsr": EventScore(
                records=64,
                coverage=1.0,
                plover=0.71,
                cameo_root=None,
                source=0.5,
                target=0.8,
                joint=0.3,
                counts={"plover": (45, 64)},
            )
        },
    }
    base.update(kw)
    return EvalResults(**base)


def test_checks_mark_pass_and_miss() -> None:
    status = {(c.benchmark, c.metric): c.status for c in checks(results())}
    assert status[("seed gold", "precision")] == "pass"
    assert status[("seed gold", "recall")] == "MISS"
    assert status[("seed gold", "duplicate actor nodes")] == "MISS"
    assert status[("seed gold", "F1")] == "-"
    assert status[("CaRB dev", "F1")] == "pass"
    assert status[("PLOVER dev", "event type accuracy")] == "pass"
    assert status[("PLOVER dev", "source country accuracy")] == "MISS"
    assert status[("PLOVER dev", "target country accuracy")] == "pass"
    assert Check("x", "duplicate actor nodes", 0.0, 0.0, higher_is_better=False).status == "pass"
    assert Check("x", "y", None, 0.5).status == "-"


def test_markdown_has_command_date_model_figures_and_marks() -> None:
    md = render_markdown(results(), "geokg eval --out docs/EVALUATION.md")
    assert "`geokg eval --out docs/EVALUATION.md`" in md
    assert "2025-05-16" in md
    assert "en_geokg_news_sm-0.1.0" in md
    assert "| seed gold | recall | 0.750 | >= 0.80 | MISS |" in md
    assert "| CaRB dev | F1 | 0.480 | >= 0.45 | pass |" in md
    assert "| seed gold | duplicate actor nodes | 2 | <= 0 | MISS |" in md
    assert "0.710 (45/64)" in md
    assert "line 5 (d): A / meet / B" in md
    assert "- d: c / accuse / e" in md  # the predictions no gold relation matched
    assert md == render_markdown(results(), "geokg eval --out docs/EVALUATION.md")


def test_terminal_table_is_aligned() -> None:
    lines = render_table(results()).splitlines()
    assert lines[0].split() == ["benchmark", "metric", "value", "target", "status"]
    col = lines[0].index("value")
    assert all(line[col - 2 : col] == "  " for line in lines[1:])
    assert any(line.endswith("MISS") for line in lines)


def test_partial_results_render() -> None:
    md = render_markdown(results(seeds=None, carb=None, events={}), "cmd")
    assert "## Seed gold" not in md
    assert "## CaRB" not in md
    assert "# Evaluation" in md


def test_harness_requires_the_data_dir(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="data"):
        run_evaluation(
            data_dir=tmp_path / "nope",
            seeds_dir=tmp_path,
            seed_gold=GOLD,
            predict_rows=None,
            open_extract=None,
        )


@pytest.mark.seeds
@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared is not available")
def test_harness_with_oracle_callables_scores_perfectly() -> None:
    data = SHARED / "data"
    seed_gold = read_seed_gold(GOLD)
    event_gold = {g.id: g for v in load_event_sets(data).values() for g in v}
    carb_gold = read_gold(data / "carb" / "dev_gold.tsv")
    seen: list[str] = []

    def predict_rows(
        texts: Sequence[tuple[str, str, str | None]],
    ) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for doc_id, _text, _date in texts:
            seen.append(doc_id)
            rows: list[dict[str, Any]] = []
            for g in seed_gold:
                if g.doc == doc_id:
                    rows.append(_row(g.subject[0], g.relation, g.object[0], g.plover, g.negated))
            e = event_gold.get(doc_id)
            if e is not None and e.codings:
                c = e.codings[0]
                rows.append(
                    {
                        "subject": {"label": "s", "type": "country", "country": c.source_country},
                        "object": {"label": "o", "type": "country", "country": c.target_country},
                        "event": {"plover": c.plover, "cameo": c.cameo},
                    }
                )
            out[doc_id] = rows
        return out

    def open_extract(sentences: Sequence[str]) -> Iterable[CarbTuple]:
        assert len(sentences) == 641
        return carb_gold

    res = run_evaluation(
        data_dir=data,
        seeds_dir=SHARED / "seeds",
        seed_gold=GOLD,
        predict_rows=predict_rows,
        open_extract=open_extract,
        model="oracle",
        date="2025-05-16",
    )
    assert res.seeds is not None
    assert (res.seeds.precision, res.seeds.recall) == (1.0, 1.0)
    assert res.carb is not None
    assert res.carb.f1 == 1.0
    assert res.events["plover_gsr"].plover == 1.0
    assert res.events["plover_gsr"].source == 1.0
    assert set(res.baselines) == set(res.events)
    assert {"000_8c218caa189efccb", "003_d88c3012a47b7fab"} <= set(seen)
    md = render_markdown(res, "geokg eval")
    assert md.count("| pass |") == 8  # the seven figures with targets, and both card examples


def _row(subj: str, rel: str, obj: str, plover: str | None, negated: bool) -> dict[str, Any]:
    return {
        "subject": {"id": subj, "label": subj, "type": "group", "country": None},
        "relation": rel,
        "object": {"id": obj, "label": obj, "type": "group", "country": None},
        "negated": negated,
        "modality": "asserted",
        "event": {"plover": plover} if plover else None,
        "doc_id": "",
        "source": "",
    }


# News gold, agreement and pipelines ----------------------------------------------------------


def _news(split: str, *, missed: int = 0) -> Any:
    from geokg.evaluation.gold import NewsScore, RuleScore

    return NewsScore(
        split=split,
        documents=3,
        rows=10,
        rows_lenient=6,
        rows_strict=5,
        facts=12,
        core=8,
        core_lenient=4,
        core_strict=3,
        facts_lenient=6,
        facts_strict=5,
        matched=6,
        event_type_correct=3,
        modality_correct=4,
        hedged_matched=2,
        hedged_as_plain=1,
        duplicate_nodes=2,
        merged_nodes=0,
        by_rule=(
            RuleScore(rule="svo.verb_object", rows=8, lenient=5, strict=5),
            RuleScore(rule="svo.deep_target", rows=6, lenient=2, strict=2),
        ),
        details={
            "missed": [],
            "false_positives": [
                {
                    "doc_id": f"{split}-doc",
                    "subject": {"label": "Chile"},
                    "relation": "secret-relation",
                    "object": {"label": "Peru"},
                    "rule": "svo.verb_object",
                }
            ],
        },
    )


def test_news_gold_figures_by_split_and_rule_and_errors_for_dev_only() -> None:
    md = render_markdown(
        results(news={"dev": _news("dev"), "test": _news("test")}, show_rules=True), "geokg eval"
    )
    assert "| dev | 3 | 10 | 0.600 (6/10) | 0.500 (5/10) | 0.500 (4/8) | 0.375 (3/8) |" in md
    assert "### Rules on the test side" in md
    assert "| svo.deep_target | 6 | 0.333 | 0.333 | fix or remove |" in md
    assert "| svo.verb_object | 8 | 0.625 | 0.625 |  |" in md
    assert "dev-doc: Chile / secret-relation / Peru" in md
    assert "test-doc" not in md  # no test-side error is ever listed
    table = render_table(results(news={"dev": _news("dev")}))
    assert re.search(r"news gold dev +precision \(strict\) +0.500", table)
    assert "news gold test" not in table


def test_agreement_and_pipelines_side_by_side() -> None:
    from geokg.evaluation.gold import AgreementScore
    from geokg.evaluation.harness import PipelineFigures

    agreement = AgreementScore(
        documents=20, facts_a=100, facts_b=110, lenient=90, strict=84, modality=70
    )
    from geokg.evaluation.parsers import LabelPRF, NerScore, ParserScore

    parsed = {
        "pud_test": ParserScore(
            path="p",
            docs=1,
            sentences=2,
            tokens=9,
            scored=8,
            uas=0.875,
            las=0.75,
            uas_raw=0.5,
            las_raw=0.25,
        )
    }
    ner = NerScore(
        path="n",
        docs=1,
        sentences=1,
        tokens=5,
        precision=0.5,
        recall=1.0,
        f=2 / 3,
        tp=1,
        fp=1,
        fn=0,
        per_label={"PER": LabelPRF(precision=0.5, recall=1.0, f=2 / 3, tp=1, fp=1, fn=0)},
    )
    one = results(news={"dev": _news("dev")})
    two = results(model="other-1.0", news={"dev": _news("dev")})
    md = render_markdown(
        results(
            agreement=agreement,
            pipelines=(
                PipelineFigures(model="en_a-1.0", results=one, parser=parsed, ner=ner),
                PipelineFigures(model="other-1.0", results=two, parser=parsed, ner=ner),
            ),
        ),
        "geokg eval --compare other",
    )
    assert "| 20 | 100 | 110 | 0.857 (90 pairs) | 0.800 (84 pairs) | 70/84 |" in md
    assert "| measure | `en_a-1.0` | `other-1.0` |" in md
    assert "| news gold dev: precision lenient / strict | 0.600 / 0.500 | 0.600 / 0.500 |" in md
    # the seed run above missed neither card example (its one miss is "A meet B")
    assert "| seed card examples found | 2 of 2 | 2 of 2 |" in md
    assert "| UD PUD test (news, Wikipedia): UAS / LAS | 0.875 / 0.750 | 0.875 / 0.750 |" in md
    assert "| CoNLL-2003 test NER: P / R / F | 0.500 / 1.000 / 0.667 |" in md
    assert "| CoNLL-2003 test NER F, ORG | n/a | n/a |" in md
