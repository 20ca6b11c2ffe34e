"""Report rendering and the harness driving every benchmark."""

from __future__ import annotations

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
    assert md.count("| pass |") == 7


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
