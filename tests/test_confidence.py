"""Calibrated confidence: features, the stored model's math, the build's --min-confidence, the
eval section and the fitting script (dev side only, deterministic)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from geokg.confidence import ConfidenceModel, features, load_models, model_for, reliability
from geokg.errors import ConfigError
from geokg.evaluation.gold import (
    GoldDoc,
    RowMatch,
    match_rows,
    parse_gold_record,
    read_gold,
    score_news,
    split_of,
)
from geokg.graph.assemble import add_fact, new_graph
from geokg.graph.policy import Resolved, _calibrated, relation_rows
from geokg.model import Actor, Event, Mention, Relation
from geokg.pipeline import BuildOptions
from geokg.report import confident_graph, export_confident, min_confidence_of

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "news_gold.jsonl"
SCRIPT = ROOT / "scripts" / "fit_confidence.py"


def _row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "r-1",
        "rule": "svo.verb_object",
        "extractor": "svo.v1",
        "prior": 0.9,
        "confidence": 0.9,
        "subject": {"id": "GBR", "label": "United Kingdom", "type": "country", "country": "GBR"},
        "object": {"id": "person:ivan-petrov", "label": "Ivan Petrov", "type": "person"},
        "relation": "accuse",
        "modality": "asserted",
        "negated": False,
        "speaker": None,
        "event": {"plover": "ACCUSE", "cameo": "112", "quad_class": 3, "goldstein": -2.0},
        "doc_id": "d1",
        "sentence": "Britain accused Ivan Petrov of spying.",
        "subject_mention": {"text": "Britain", "span": [0, 7], "kind": "name"},
        "object_mention": {"text": "Ivan Petrov", "span": [16, 27], "kind": "name"},
    }
    row.update(changes)
    return row


# --------------------------------------------------------------------------- features


def test_features_of_a_hand_built_row() -> None:
    f = features(_row())
    on = {k for k, v in f.items() if "=" in k and v == 1.0}
    assert on == {
        "rule=svo.verb_object",
        "extractor=svo.v1",
        "subject_type=country",
        "object_type=person",
        "subject_kind=name",
        "object_kind=name",
        "modality=asserted",
        "quad_class=3",
        "plover=ACCUSE",
    }
    assert f["prior"] == 0.9
    assert (f["coded"], f["negated"], f["speaker"]) == (1.0, 0.0, 0.0)
    assert (f["subject_known"], f["object_known"]) == (1.0, 0.0)  # ISO code; a slug is unknown
    assert f["distance"] == pytest.approx(math.log1p(16 - 7) / math.log1p(1000))
    assert f["sentence_length"] == pytest.approx(math.log1p(38) / math.log1p(1000))
    assert "event_probability" not in f


def test_features_of_an_untargeted_pronoun_row() -> None:
    f = features(
        _row(
            object=None,
            event=None,
            negated=True,
            modality="intended",
            speaker={"id": "Q1"},
            subject={"id": "Q7747", "type": "person"},
            subject_mention={"text": "he", "span": [40, 42], "kind": "pronoun"},
            object_mention={"text": "elections", "span": [0, 9], "kind": "theme"},
            sentence="x" * 5000,
        )
    )
    assert f["object_type=none"] == f["quad_class=none"] == f["plover=none"] == 1.0
    assert f["subject_kind=pronoun"] == f["object_kind=theme"] == f["modality=intended"] == 1.0
    assert (f["coded"], f["negated"], f["speaker"], f["subject_known"]) == (0.0, 1.0, 1.0, 1.0)
    assert f["distance"] == pytest.approx(math.log1p(31) / math.log1p(1000))  # either order
    assert f["sentence_length"] == 1.0  # capped


def test_features_never_read_the_rows_own_confidence() -> None:
    assert features(_row(confidence=0.01)) == features(_row(confidence=0.99))
    assert features(_row(prior=0.5)) != features(_row(prior=0.9))


def test_a_later_field_joins_as_a_feature_when_present() -> None:
    event = {**_row()["event"], "probability": 0.83}
    assert features(_row(event=event))["event_probability"] == 0.83


# --------------------------------------------------------------------------- inference


def test_inference_is_the_logistic_of_the_stored_coefficients() -> None:
    model = ConfidenceModel(
        extractor="x",
        names=("prior", "rule=svo.verb_object", "subject_kind=pronoun", "distance"),
        coef=(1.5, -0.7, -2.0, 0.4),
        intercept=0.25,
        threshold=0.5,
    )
    f = features(_row())
    z = 0.25 + 1.5 * 0.9 - 0.7 * 1.0 - 2.0 * 0.0 + 0.4 * f["distance"]
    assert model.predict(_row()) == round(1 / (1 + math.exp(-z)), 4)
    # a feature the model does not name is ignored; one the row lacks counts as 0
    assert model.predict(_row(speaker={"id": "Q1"})) == model.predict(_row())
    assert model.predict(_row(prior=None)) == round(1 / (1 + math.exp(-(z - 1.35))), 4)


def test_inference_is_stable_for_large_scores() -> None:
    model = ConfidenceModel(extractor="x", names=("prior",), coef=(1e4,), intercept=0.0)
    assert model.predict(_row(prior=1.0)) == 1.0
    assert model.predict(_row(prior=-1.0)) == 0.0


def test_a_malformed_model_says_how_to_fix_it() -> None:
    with pytest.raises(ConfigError, match="make calibrate"):
        ConfidenceModel(extractor="x", names=("a", "b"), coef=(1.0,), intercept=0.0)
    with pytest.raises(ConfigError, match="make calibrate"):
        load_models(json.dumps({"format": "other", "models": {}}))
    with pytest.raises(ConfigError, match="malformed"):
        load_models(json.dumps({"format": "geokg-confidence/1", "models": {"x": {"coef": []}}}))


def test_the_shipped_model_round_trips_and_names_its_provenance() -> None:
    model = model_for("svo.v1")
    assert model is not None
    text = json.dumps({"format": "geokg-confidence/1", "models": {"svo.v1": model.to_dict()}})
    assert load_models(text)["svo.v1"] == model
    assert 0.0 < model.threshold < 1.0
    prov = model.provenance
    assert prov["extractor"] == "svo.v1"
    assert prov["dev_rows"] > 0
    assert prov["gold_sha256"] == hashlib.sha256(GOLD.read_bytes()).hexdigest(), (
        "eval/gold/news_gold.jsonl changed since the confidence model was fitted: run "
        "'make calibrate'"
    )
    prefixes = {"rule", "subject_kind", "object_kind", "subject_type", "object_type"}
    prefixes |= {"modality", "quad_class", "plover", "extractor"}
    numeric = set(features(_row(event={**_row()["event"], "probability": 0.5})))
    assert all(n.split("=")[0] in prefixes if "=" in n else n in numeric for n in model.names)
    assert model_for("no.such.v1") is None


# --------------------------------------------------------------------------- the pipeline


def _resolved(extractor: str = "svo.v1", literal: float = 0.9) -> Resolved:
    subject = Mention(text="Britain", name="Britain", start=0, end=7, label="GPE")
    obj = Mention(text="Russia", name="Russia", start=17, end=23, label="GPE")
    rel = Relation(
        id="r-1",
        subject=subject,
        relation="accuse",
        object=obj,
        doc_id="d1",
        sentence="Britain accused Russia.",
        span=(0, 23),
        event=Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0),
        confidence=literal,
        extractor=extractor,
        rule="svo.verb_object",
    )
    gbr = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
    rus = Actor(id="RUS", label="Russia", type="country", country="RUS")
    return Resolved(rel, gbr, rus, None)


def test_the_pipeline_sets_the_calibrated_confidence_and_keeps_the_literal_as_prior() -> None:
    model = model_for("svo.v1")
    assert model is not None
    r = _calibrated(_resolved(literal=0.9))
    [row] = relation_rows([r])
    assert row.prior == 0.9
    assert row.confidence == model.predict({**row.to_json(), "confidence": None})
    assert row.confidence != 0.9
    assert row.subject_mention.kind == "name"
    assert _calibrated(r) is r  # once only
    # an extractor without a model keeps its literal
    [plain] = relation_rows([_calibrated(_resolved(extractor="open.v1", literal=0.7))])
    assert (plain.confidence, plain.prior) == (0.7, 0.7)


def test_a_row_record_has_the_features_of_its_file_form() -> None:
    # the build calibrates Row records; the fitting script reads triples.jsonl dicts
    [row] = relation_rows([_resolved(literal=0.9)])
    assert features(row) == features(row.to_json())
    assert features(row) == features(json.loads(json.dumps(row.to_json(), sort_keys=True)))
    assert features(row)["rule=svo.verb_object"] == 1.0
    assert features(row)["prior"] == 0.9


def _two_edge_graph() -> Any:
    g = new_graph()
    gbr = Actor(id="GBR", label="United Kingdom", type="country", country="GBR")
    rus = Actor(id="RUS", label="Russia", type="country", country="RUS")
    fra = Actor(id="FRA", label="France", type="country", country="FRA")
    for obj, relation, p in ((rus, "accuse", 0.8), (fra, "zzlowrelation", 0.1)):
        add_fact(
            g,
            gbr,
            obj,
            relation=relation,
            negated=False,
            modality="asserted",
            event=None,
            provenance={
                "relation_id": f"r-{obj.id}",
                "doc_id": "d1",
                "sentence": f"Britain {relation} {obj.label}.",
                "span": [0, 20],
                "date": None,
                "speaker": None,
                "confidence": p,
                "extractor": "svo.v1",
                "rule": "svo.verb_object",
                "model": "m",
            },
        )
    return g


def test_exports_hold_back_edges_below_the_threshold(tmp_path: Path) -> None:
    g = _two_edge_graph()
    options = BuildOptions(min_confidence=0.5, exports=("html", "turtle", "graphml"))
    files, part = export_confident(g, tmp_path, options)
    assert {p.name for p in files} >= {"graph.html", "graph.ttl", "graph.graphml"}
    for name in ("graph.html", "graph.ttl", "graph.graphml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "accuse" in text, name
        assert "zzlowrelation" not in text, name
        assert "France" not in text, name  # left without an edge, so held back too
    assert part["min_confidence"] == 0.5
    assert (part["edges_held_back"], part["actors_held_back"]) == (1, 1)
    assert g.number_of_edges() == 2  # the build's graph itself keeps everything
    _, nothing = export_confident(g, tmp_path / "all", BuildOptions(min_confidence=0.0))
    assert nothing["edges_held_back"] == 0
    assert "zzlowrelation" in (tmp_path / "all" / "graph.ttl").read_text(encoding="utf-8")


def test_confident_graph_refreshes_counts_and_leaves_the_input_alone() -> None:
    g = _two_edge_graph()
    h, edges, actors = confident_graph(g, 0.5)
    assert (edges, actors) == (1, 1)
    assert h.nodes["GBR"]["mentions"] == 1
    assert g.nodes["GBR"]["mentions"] == 2
    assert confident_graph(g, 0.05)[0] is g


def test_the_default_threshold_is_the_fitted_one() -> None:
    from geokg.extractors import DEFAULT_EXTRACTOR

    model = model_for(DEFAULT_EXTRACTOR)
    assert model is not None
    assert min_confidence_of(BuildOptions()) == model.threshold
    assert min_confidence_of(BuildOptions(min_confidence=0.0)) == 0.0
    assert min_confidence_of(BuildOptions(extractor="open.v1")) == 0.0
    with pytest.raises(ConfigError, match="between 0 and 1"):
        BuildOptions(min_confidence=1.5)


def test_cli_refuses_a_threshold_out_of_range() -> None:
    from click.testing import CliRunner

    from geokg.cli import cli

    result = CliRunner().invoke(cli, ["build", "--demo", "--min-confidence", "2", "-o", "x"])
    assert result.exit_code == 2
    assert "--min-confidence" in result.output


@pytest.mark.model
def test_build_keeps_every_row_and_reports_what_it_held_back(
    tmp_path: Path, model_name: str
) -> None:
    from geokg.pipeline import build, sample_inputs

    inputs = [str(p) for p in sample_inputs()]
    full = build(inputs, tmp_path / "a", options=BuildOptions(model=model_name, min_confidence=0))
    confs = sorted({d["confidence"] for _, _, d in full.graph.edges(data=True)})
    assert len(confs) >= 2
    cut = (confs[0] + confs[1]) / 2
    low = [d["relation"] for _, _, d in full.graph.edges(data=True) if d["confidence"] < cut]
    out = tmp_path / "b"
    result = build(inputs, out, options=BuildOptions(model=model_name, min_confidence=cut))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["confidence"]["min_confidence"] == cut
    assert report["confidence"]["edges_held_back"] == len(low) >= 1
    triples_a = (tmp_path / "a" / "triples.jsonl").read_text(encoding="utf-8")
    assert (out / "triples.jsonl").read_text(encoding="utf-8") == triples_a
    rows = [json.loads(line) for line in triples_a.splitlines()]
    assert any(r["confidence"] < cut for r in rows if r["object"] is not None)
    assert all(0.0 <= r["confidence"] <= 1.0 and "prior" in r for r in rows)
    exported = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    kept = exported.get("edges", exported.get("links", []))
    assert len(kept) == full.graph.number_of_edges() - len(low)
    assert all(e["confidence"] >= cut for e in kept)
    assert result.graph.number_of_edges() == full.graph.number_of_edges()


# --------------------------------------------------------------------------- evaluation


def _gold_doc(doc_id: str) -> GoldDoc:
    return parse_gold_record(
        {
            "doc_id": doc_id,
            "source": "whitehouse",
            "split": split_of(doc_id),
            "date": None,
            "text_sha256": "0" * 64,
            "annotator": "T",
            "actors": [
                {"id": "GBR", "type": "state", "names": ["United Kingdom"]},
                {"id": "RUS", "type": "state", "names": ["Russia"]},
            ],
            "facts": [
                {
                    "id": "f1",
                    "subject": ["GBR"],
                    "object": ["RUS"],
                    "relations": ["accuse"],
                    "plover": ["ACCUSE"],
                    "symmetric": False,
                    "modality": "asserted",
                    "speaker": None,
                    "core": True,
                    "evidence": [{"start": 0, "end": 5}],
                }
            ],
        },
        "test",
    )


def _id_on(side: str, n: int = 0) -> str:
    """The ``n``-th made-up document id on one side of the gold."""
    ids = (f"wh/confidence/{k}" for k in range(1000))
    return [i for i in ids if split_of(i) == side][n]


GBR = {"id": "GBR", "label": "United Kingdom", "type": "country", "country": "GBR"}
RUS = {"id": "RUS", "label": "Russia", "type": "country", "country": "RUS"}


def test_score_news_reports_the_reliability_and_the_rows_above_the_threshold() -> None:
    doc = _gold_doc(_id_on("dev"))
    model = model_for("svo.v1")
    assert model is not None
    hi, lo = min(1.0, model.threshold + 0.3), model.threshold / 2
    rows = [
        _row(doc_id=doc.doc_id, subject=GBR, object=RUS, confidence=hi),  # right
        _row(doc_id=doc.doc_id, subject=RUS, object=GBR, confidence=hi),  # wrong way round
        _row(
            doc_id=doc.doc_id, subject=GBR, object=RUS, confidence=lo, relation="meet", event=None
        ),  # right actors, wrong event: not strict
    ]
    cal = score_news([doc], rows).calibration
    assert cal is not None
    assert cal.threshold == model.threshold
    assert (cal.above_rows, cal.above_strict, cal.above_core_strict, cal.core) == (2, 1, 1, 1)
    assert cal.reliability.rows == 3
    assert cal.reliability.brier == pytest.approx(((hi - 1) ** 2 + hi**2 + lo**2) / 3)
    assert cal.prior is not None  # the rows' literals (0.9 each), for comparison
    assert cal.prior.brier == pytest.approx((0.1**2 + 0.9**2 + 0.9**2) / 3)
    assert [m.right for m in match_rows([doc], rows)] == [True, False, False]


def test_the_eval_report_shows_the_calibration_section() -> None:
    from geokg.evaluation.harness import EvalResults
    from geokg.evaluation.report import render_markdown

    doc = _gold_doc(_id_on("dev"))
    score = score_news([doc], [_row(doc_id=doc.doc_id, subject=GBR, object=RUS)])
    text = render_markdown(EvalResults(date="2026-01-01", news={"dev": score}), "geokg eval")
    assert "### Calibrated confidence" in text
    assert "| dev | 0.8–1.0 | 1 | 0.900 | 1.000 |" in text
    assert "Brier" in text
    assert "ECE" in text


def test_reliability_checks_its_input() -> None:
    with pytest.raises(ValueError, match="same length"):
        reliability([0.5], [True, False])
    r = reliability([1.0, 0.0], [True, False], bins=4)
    assert [b.rows for b in r.bins] == [1, 0, 0, 1]
    assert (r.brier, r.ece) == (0.0, 0.0)


# --------------------------------------------------------------------------- the fitting script


@pytest.fixture(scope="module")
def fitter() -> ModuleType:
    pytest.importorskip("sklearn", reason="the fitting script needs the dev extra's scikit-learn")
    spec = importlib.util.spec_from_file_location("fit_confidence", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_confidence"] = module
    spec.loader.exec_module(module)
    return module


def test_the_fitting_script_reads_only_dev_documents(fitter: ModuleType) -> None:
    gold = read_gold(GOLD)
    dev = fitter.dev_documents(gold)
    assert dev
    assert all(split_of(d.doc_id) == "dev" for d in dev)
    assert len(dev) == sum(split_of(d.doc_id) == "dev" for d in gold) < len(gold)
    test_doc = _gold_doc(_id_on("test"))
    rows = [_row(doc_id=test_doc.doc_id, subject=GBR, object=RUS)]
    with pytest.raises(fitter.TestSideError, match="test-side"):
        fitter.labelled([_gold_doc(_id_on("dev")), test_doc], rows)
    assert fitter.dev_documents([test_doc]) == []


def _synthetic(n_docs: int = 12) -> tuple[list[RowMatch], int]:
    """Rows whose rightness follows the subject's mention kind, with one exception per kind."""
    matches: list[RowMatch] = []
    for d in range(n_docs):
        for k, kind in enumerate(("name", "pronoun", "name", "role")):
            right = (kind == "name") != (d == k)
            row = _row(
                doc_id=f"doc-{d}",
                prior=0.9 if k % 2 else 0.6,
                subject_mention={"text": "x", "span": [0, 1], "kind": kind},
            )
            core = (f"f{d}-{k}",) if right else ()
            matches.append(
                RowMatch(index=len(matches), row=row, lenient=core, strict=core, core_strict=core)
            )
    return matches, len(matches)


def test_fitting_is_deterministic_and_learns_the_signal(fitter: ModuleType) -> None:
    matches, core = _synthetic()
    first, figures = fitter.fit(matches, core_facts=core)
    second, again = fitter.fit(matches, core_facts=core)
    assert first == second
    assert figures == again
    assert figures["C"] in fitter.C_GRID
    assert figures["rows"] == len(matches)
    assert figures["documents"] == 12
    name = _row(subject_mention={"kind": "name", "span": [0, 1]})
    pronoun = _row(subject_mention={"kind": "pronoun", "span": [0, 1]})
    assert first.predict(name) > 0.5 > first.predict(pronoun)
    assert figures["cross_validated"]["brier"] < 0.25
    text = fitter.write_model(Path("/nonexistent"), "svo.test", first, {"date": "2026-01-01"})
    assert text == fitter.write_model(
        Path("/nonexistent"), "svo.test", first, {"date": "2026-01-01"}
    )
    stored = load_models(text)["svo.test"]
    assert stored.predict(name) == first.predict(name)
    assert stored.threshold == first.threshold


def test_a_refit_keeps_the_other_extractors_models(fitter: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "confidence.json"
    path.write_text((ROOT / "geokg" / "data" / "confidence.json").read_text(encoding="utf-8"))
    matches, core = _synthetic()
    model, _ = fitter.fit(matches, core_facts=core)
    models = load_models(fitter.write_model(path, "svo.v2", model, {}))
    assert set(models) == {"svo.v1", "svo.v2"}
    assert models["svo.v1"] == model_for("svo.v1")
