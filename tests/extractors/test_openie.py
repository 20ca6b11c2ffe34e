"""Tests of the open extractor (``open.v1``) and its CaRB output.

The parses are built by hand in both label schemes (Universal Dependencies and ClearNLP), so
these tests need no model; one ``model`` test runs the real pipeline on sentences of our own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from geokg.errors import ConfigError, ModelNotFoundError
from geokg.evaluation.carb import CarbTuple, read_tabbed, score_carb
from geokg.extractors._deps import build_view
from geokg.extractors.openie import OpenExtractor, OpenTuple, to_carb_lines

VOCAB = Vocab()

# word, UD head, UD label, ClearNLP head, ClearNLP label, POS, tag, lemma
ACTIVE = """
Russia   1 nsubj   1 nsubj  PROPN NNP Russia
sent     1 root    1 ROOT   VERB  VBD send
troops   1 obj     1 dobj   NOUN  NNS troop
to       5 case    1 prep   ADP   IN  to
the      5 det     5 det    DET   DT  the
border   1 obl     3 pobj   NOUN  NN  border
.        1 punct   1 punct  PUNCT .   .
"""

PASSIVE = """
The      1 det        1 det       DET   DT  the
treaty   3 nsubj:pass 3 nsubjpass NOUN  NN  treaty
was      3 aux:pass   3 auxpass   AUX   VBD be
signed   3 root       3 ROOT      VERB  VBN sign
by       5 case       3 agent     ADP   IN  by
France   3 obl:agent  4 pobj      PROPN NNP France
in       7 case       3 prep      ADP   IN  in
1990     3 obl        6 pobj      NUM   CD  1990
.        3 punct      3 punct     PUNCT .   .
"""

PREP_OBJECT = """
The      1 det    1 det   DET   DT  the
minister 2 nsubj  2 nsubj NOUN  NN  minister
spoke    2 root   2 ROOT  VERB  VBD speak
about    5 case   2 prep  ADP   IN  about
the      5 det    5 det   DET   DT  the
crisis   2 obl    3 pobj  NOUN  NN  crisis
.        2 punct  2 punct PUNCT .   .
"""

CONJOINED = """
Germany    1 nsubj     1 nsubj PROPN NNP Germany
condemned  1 root      1 ROOT  VERB  VBD condemn
the        3 det       3 det   DET   DT  the
attack     1 obj       1 dobj  NOUN  NN  attack
and        5 cc        1 cc    CCONJ CC  and
recalled   1 conj      1 conj  VERB  VBD recall
its        7 nmod:poss 7 poss  PRON  PRP$ its
ambassador 5 obj       5 dobj  NOUN  NN  ambassador
.          1 punct     1 punct PUNCT .   .
"""

# UD: the noun is the head and "is" its copula; ClearNLP: "is" heads an attribute.
COPULA = """
Paris    3 nsubj 1 nsubj PROPN NNP Paris
is       3 cop   1 ROOT  AUX   VBZ be
the      3 det   3 det   DET   DT  the
capital  3 root  1 attr  NOUN  NN  capital
of       5 case  3 prep  ADP   IN  of
France   3 nmod  4 pobj  PROPN NNP France
.        3 punct 1 punct PUNCT .   .
"""

RELATIVE = """
He       1 nsubj     1 nsubj PRON  PRP He
met      1 root      1 ROOT  VERB  VBD meet
a        3 det       3 det   DET   DT  a
diplomat 1 obj       1 dobj  NOUN  NN  diplomat
who      5 nsubj     5 nsubj PRON  WP  who
works    3 acl:relcl 3 relcl VERB  VBZ work
in       7 case      5 prep  ADP   IN  in
Kyiv     5 obl       6 pobj  PROPN NNP Kyiv
.        1 punct     1 punct PUNCT .   .
"""


def _doc(rows: str, scheme: str) -> Doc:
    cols = [line.split() for line in rows.strip().splitlines()]
    ud = scheme == "ud"
    return Doc(
        VOCAB,
        words=[c[0] for c in cols],
        spaces=[True] * (len(cols) - 1) + [False],
        heads=[int(c[1] if ud else c[3]) for c in cols],
        deps=[c[2] if ud else c[4] for c in cols],
        pos=[c[5] for c in cols],
        tags=[c[6] for c in cols],
        lemmas=[c[7] for c in cols],
    )


def _extract(rows: str, scheme: str) -> list[OpenTuple]:
    doc = _doc(rows, scheme)
    view = build_view(doc)
    return OpenExtractor().extract_sentence(view, 0, len(view.toks), doc.text)


def _triples(tuples: list[OpenTuple]) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.relation, t.args) for t in tuples]


SCHEMES = pytest.mark.parametrize("scheme", ["ud", "clear"])


@SCHEMES
def test_active_clause_with_object_and_prepositional_phrase(scheme: str) -> None:
    out = _extract(ACTIVE, scheme)
    assert _triples(out) == [("sent", ("Russia", "troops", "to the border"))]
    assert out[0].sentence == "Russia sent troops to the border ."


@SCHEMES
def test_passive_folds_the_agent_preposition_into_the_relation(scheme: str) -> None:
    assert _triples(_extract(PASSIVE, scheme)) == [
        ("was signed by", ("The treaty", "France", "in 1990"))
    ]


@SCHEMES
def test_prepositional_object_without_direct_object(scheme: str) -> None:
    assert _triples(_extract(PREP_OBJECT, scheme)) == [
        ("spoke about", ("The minister", "the crisis"))
    ]


@SCHEMES
def test_conjoined_verb_inherits_the_subject_with_lower_confidence(scheme: str) -> None:
    out = _extract(CONJOINED, scheme)
    assert _triples(out) == [
        ("condemned", ("Germany", "the attack")),
        ("recalled", ("Germany", "its ambassador")),
    ]
    assert out[1].confidence < out[0].confidence


@SCHEMES
def test_copular_clause(scheme: str) -> None:
    assert _triples(_extract(COPULA, scheme)) == [("is", ("Paris", "the capital of France"))]


@SCHEMES
def test_relative_clause_takes_the_antecedent_as_subject(scheme: str) -> None:
    out = _extract(RELATIVE, scheme)
    assert _triples(out) == [
        ("met", ("He", "a diplomat")),
        ("works in", ("a diplomat", "Kyiv")),
    ]
    assert out[1].confidence < out[0].confidence


@pytest.mark.parametrize("rows", [ACTIVE, PASSIVE, PREP_OBJECT, CONJOINED, COPULA, RELATIVE])
def test_both_label_schemes_give_identical_tuples(rows: str) -> None:
    assert _extract(rows, "ud") == _extract(rows, "clear")


def test_min_confidence_filters_and_is_validated() -> None:
    view = build_view(_doc(CONJOINED, "ud"))
    kept = OpenExtractor(min_confidence=0.88).extract_sentence(view, 0, len(view.toks), "s")
    assert [t.relation for t in kept] == ["condemned"]
    with pytest.raises(ConfigError, match="between 0 and 1"):
        OpenExtractor(min_confidence=1.5)


def test_extract_texts_needs_a_parser() -> None:
    import spacy

    with pytest.raises(ConfigError, match="no dependency parser"):
        list(OpenExtractor().extract_texts(spacy.blank("en"), ["A met B ."]))


def test_carb_lines_escape_separators_and_read_back() -> None:
    tuples = [
        OpenTuple(sentence="A met B .", relation="met", args=("A", "B"), confidence=0.75),
        OpenTuple(sentence="X\tsaid\nit", relation="said", args=("X", "it\tnow"), confidence=1),
    ]
    lines = list(to_carb_lines(tuples))
    assert lines[0] == "A met B .\t0.75\tmet\tA\tB"
    assert lines[1] == "X said it\t1.0\tsaid\tX\tit now"
    assert all("\n" not in line for line in lines)


def test_carb_lines_round_trip_through_the_scorer(tmp_path: Path) -> None:
    tuples = [
        OpenTuple(sentence="A met B .", relation="met", args=("A", "B"), confidence=0.75),
        OpenTuple(sentence="A met B .", relation="saw", args=("A", "C"), confidence=0.25),
    ]
    path = tmp_path / "pred.tsv"
    path.write_text("".join(line + "\n" for line in to_carb_lines(tuples)), encoding="utf-8")
    back = read_tabbed(path)
    assert [(t.relation, t.args, t.confidence) for t in back] == [
        ("met", ("A", "B"), 0.75),
        ("saw", ("A", "C"), 0.25),
    ]
    gold = [CarbTuple(sentence="A met B .", relation="met", args=("A", "B"))]
    score = score_carb(gold, path)
    assert (score.precision, score.recall, score.threshold) == (1.0, 1.0, 0.75)


@pytest.fixture(scope="module")
def nlp() -> object:
    from geokg.nlp import find_model, load_model

    try:
        find_model()
    except ModelNotFoundError as exc:
        pytest.skip(f"no spaCy pipeline available: {exc}")
    return load_model()


@pytest.mark.model
def test_real_model_on_our_own_sentences(nlp: object) -> None:
    from spacy.language import Language

    assert isinstance(nlp, Language)
    lines = [
        "The committee approved the new budget on Tuesday .",
        "",
        "The ambassador , who arrived in Geneva , said `` talks will resume '' -LRB- soon -RRB- .",
    ]
    out = list(OpenExtractor().extract_texts(nlp, lines, batch_size=2))
    assert len(out) == len(lines)
    assert out[1] == []
    for line, tuples in zip(lines, out, strict=True):
        words = set(line.split())
        for t in tuples:
            assert t.sentence == line
            assert 0 < t.confidence <= 1
            # Arguments and relations are cut from the input as written, PTB escapes included.
            for field in (t.relation, *t.args):
                assert set(field.split()) <= words | {"is", "has"}
    approved = [t for t in out[0] if "approved" in t.relation]
    assert approved
    assert approved[0].args[0] == "The committee"
    assert "the new budget" in approved[0].args
    arrived = [t for t in out[2] if "arrived" in t.relation]
    assert arrived
    assert arrived[0].args[0] == "The ambassador"
    assert "Geneva" in " ".join(arrived[0].args)
