"""CaRB scorer: the published fixture and one hand-made case per scoring rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.errors import ConfigError, InputError
from geokg.evaluation.carb import (
    CarbTuple,
    normalize_sentence,
    pair_score,
    read_gold,
    read_openie5,
    read_tabbed,
    score_carb,
    write_tabbed,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CARB = SHARED / "data" / "carb"
needs_carb = pytest.mark.skipif(
    not (CARB / "dev_gold.tsv").is_file(), reason="../shared/data/carb is not available"
)

S = "A told B ."


def t(rel: str, *args: str, conf: float = 1.0, sentence: str = S) -> CarbTuple:
    return CarbTuple(sentence=sentence, relation=rel, args=args, confidence=conf)


@needs_carb
def test_openie5_dev_reproduces_published_figures() -> None:
    score = score_carb(
        CARB / "dev_gold.tsv", CARB / "peer_outputs" / "openie5_dev_output.txt", fmt="openie5"
    )
    assert round(score.auc, 4) == 0.2402
    assert round(score.precision, 4) == 0.5257
    assert round(score.recall, 4) == 0.4059
    assert round(score.f1, 4) == 0.4581
    assert score.sentences == 638
    assert score.gold == 2548


@needs_carb
def test_gold_reader_drops_context_args() -> None:
    gold = read_gold(CARB / "dev_gold.tsv")
    assert len(gold) == 2548
    assert not any("C: " in a for g in gold for a in g.args)


def test_exact_match_scores_one() -> None:
    assert pair_score(t("met", "A", "B"), t("met", "A", "B")) == (1.0, 1.0)


def test_relation_without_overlap_scores_zero() -> None:
    assert pair_score(t("met", "A", "B"), t("saw", "A", "B")) == (0.0, 0.0)


def test_token_overlap_is_a_multiset() -> None:
    # gold "the the cat": predicted "the cat" matches two tokens, not three.
    p, r = pair_score(t("saw", "A", "the the cat"), t("saw", "A", "the cat"))
    assert (p, r) == (4 / 4, 4 / 5)


def test_said_rule_swaps_arguments() -> None:
    gold = t("told", "A", "B")
    swapped = t("told", "B", "A")
    assert pair_score(gold, swapped) == (1.0, 1.0)
    # Without a reporting verb in the gold relation, the swap is not tried.
    assert pair_score(t("met", "A", "B"), t("met", "B", "A")) == (1 / 3, 1 / 3)


def test_said_rule_keeps_the_larger_pair_by_precision_first() -> None:
    gold = t("said", "x y", "z")
    pred = t("said", "z w", "x y")
    # straight: rel 1/1, arg1 0/2 (gold x y vs z w), arg2 0/1 -> p 1/5; swapped: p 4/5.
    assert pair_score(gold, pred) == pytest.approx((3 / 5 + 1 / 5, 4 / 4))


def test_be_rule_adds_one_match() -> None:
    # "is" vs "be": no token in common, but the be-rule gives one match.
    assert pair_score(t("is", "A", "B"), t("be", "A", "B")) == (1.0, 1.0)
    # The rule needs an unconsumed "be" among the predicted tokens.
    assert pair_score(t("is", "A", "B"), t("was", "A", "B")) == (0.0, 0.0)


def test_missing_predicted_argument_scores_zero() -> None:
    assert pair_score(t("met", "A", "B"), t("met", "A")) == (0.0, 0.0)


def test_extra_arguments_are_binarised() -> None:
    gold = t("gave", "A", "B", "C")
    pred = t("gave", "A", "B C")
    assert pair_score(gold, pred) == (1.0, 1.0)


def test_context_args_are_dropped_by_the_gold_reader(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("He said it .\tsaid\tHe\tit\tC: reportedly\n", encoding="utf-8")
    (g,) = read_gold(path)
    assert g.args == ("He", "it")


def test_sentence_normalisation_aligns_gold_and_predictions() -> None:
    assert normalize_sentence("A -LRB- B -RRB- , C .") == normalize_sentence("A (B), C")
    gold = [t("met", "A", "B", sentence="A met B -LRB- twice -RRB- .")]
    pred = [t("met", "A", "B", sentence="A met B (twice).")]
    assert score_carb(gold, pred).f1 == 1.0


def test_predictions_for_sentences_without_gold_cost_nothing() -> None:
    gold = [t("met", "A", "B")]
    pred = [t("met", "A", "B"), t("x", "y", "z", sentence="Other sentence .")]
    assert score_carb(gold, pred).precision == 1.0


def test_precision_is_greedy_one_to_one() -> None:
    # Two identical perfect predictions for one gold tuple: only one is matched.
    gold = [t("met", "A", "B")]
    pred = [t("met", "A", "B"), t("met", "A", "B")]
    score = score_carb(gold, pred)
    assert score.precision == 0.5
    assert score.recall == 1.0


def test_greedy_matching_takes_the_best_pair_first() -> None:
    g1, g2 = t("met", "A", "B"), t("met", "A", "C D")
    p1 = t("met", "A", "C D")  # perfect for g2, partial for g1
    p2 = t("met", "A", "B")  # perfect for g1
    score = score_carb([g1, g2], [p1, p2])
    assert score.precision == 1.0


def test_recall_is_many_to_one() -> None:
    # One prediction may serve as the best match of several gold tuples.
    g1, g2 = t("met", "A", "B"), t("met", "A", "B C")
    score = score_carb([g1, g2], [t("met", "A", "B C")])
    assert score.recall == pytest.approx((1.0 + 1.0) / 2)
    # Precision still counts it once.
    assert score.precision == 1.0


def test_thresholds_sweep_every_confidence() -> None:
    gold = [t("met", "A", "B"), t("saw", "C", "D")]
    pred = [t("met", "A", "B", conf=0.9), t("saw", "X", "Y", conf=0.2)]
    score = score_carb(gold, pred)
    assert [c[0] for c in score.curve] == [0.2, 0.9]
    # at 0.2: P = (1 + 1/3)/2, R = (1 + 1/3)/2; at 0.9: P = 1, R = 1/2.
    assert score.curve[0][1:] == pytest.approx((2 / 3, 2 / 3))
    assert score.curve[1][1:] == pytest.approx((1.0, 0.5))
    # Both thresholds give F1 2/3; as in CaRB (argmax), the first (lowest) one is kept.
    assert score.f1 == pytest.approx(2 / 3)
    assert score.threshold == 0.2
    assert (score.precision, score.recall) == pytest.approx((2 / 3, 2 / 3))
    # trapezoids over (R, P): (2/3, 2/3) -> (1/2, 1) -> (0, 1)
    assert score.auc == pytest.approx((2 / 3 - 1 / 2) * (2 / 3 + 1) / 2 + 0.5)


def test_tabbed_round_trip(tmp_path: Path) -> None:
    preds = [t("met", "A", "B\tC", conf=0.25), t("saw", "D", conf=1.0)]
    path = write_tabbed(preds, tmp_path / "out.tsv")
    back = read_tabbed(path)
    assert [(b.relation, b.args, b.confidence) for b in back] == [
        ("met", ("A", "B C"), 0.25),
        ("saw", ("D",), 1.0),
    ]


def test_openie5_reader_prefixes_context(tmp_path: Path) -> None:
    line = (
        "0.7\tContext(He said,List([0, 7)))\tSimpleArgument(rain,List([13, 17)))\t"
        "Relation(fell,List([18, 22)))\tSimpleArgument(today,List([23, 28)))\t"
        "He said that rain fell today .\n"
    )
    empty_arg2 = "0.5\t\tSimpleArgument(a,List([0, 1)))\tRelation(b,List([2, 3)))\t\ta b .\n"
    path = tmp_path / "oie5.txt"
    path.write_text(line + empty_arg2, encoding="utf-8")
    (only,) = read_openie5(path)
    assert only.args == ("He said rain", "today")
    assert only.relation == "fell"
    assert only.confidence == 0.7


def test_bad_inputs_raise_helpful_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("sentence\tnot-a-number\trel\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        read_tabbed(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_gold(tmp_path / "missing.tsv")
    with pytest.raises(ConfigError, match="tabbed"):
        score_carb([], bad, fmt="ollie")  # type: ignore[arg-type]
