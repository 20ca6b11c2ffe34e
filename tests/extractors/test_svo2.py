"""svo.v2: constructions kept as data, their engine, and the general mechanisms it adds."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from geokg.errors import ConfigError
from geokg.extractors import EXTRACTORS, extract_spacy_doc
from geokg.extractors import constructions as cons
from geokg.extractors._deps import build_view
from geokg.extractors.constructions import competing, event_nouns, load_constructions
from geokg.extractors.svo import RULES
from geokg.extractors.svo2 import CARRIED, RULES_V2, SvoV2Extractor
from geokg.model import Document
from tests.extractors._docs import ALL, PASSIVE_AGENT, Parse, parse
from tests.extractors.test_svo import Row, _row


def v2_rows(p: Parse, scheme: str, *, records_only: bool = False) -> list[Row]:
    """The relations of svo.v2 (with ``records_only``, those of the data records alone)."""
    sdoc = p.doc(scheme)
    doc = Document(id="t", text=sdoc.text)
    result = extract_spacy_doc(doc, sdoc, extractor="svo.v2")
    for r in result.relations:
        assert r.extractor == "svo.v2"
        assert r.rule in RULES_V2
        assert doc.text[r.span[0] : r.span[1]] == r.sentence
    return sorted(_row(r) for r in result.relations if not (records_only and r.rule in CARRIED))


# ---------------------------------------------------------------------------- the data


def test_every_construction_loads_with_a_known_id_and_distinct_precedence_order() -> None:
    loaded = load_constructions()
    assert len(loaded) >= 10
    assert len({c.id for c in loaded}) == len(loaded)
    assert all(c.id.startswith("svo.") and c.description for c in loaded)
    # carried v1 rules are real v1 rules, and no record shadows one of them
    assert set(RULES) >= CARRIED
    assert not CARRIED & {c.id for c in loaded}


def test_event_noun_lexicon_rows_are_complete() -> None:
    nouns = event_nouns()
    assert nouns["attack"].relation == "attack"
    assert "on" in nouns["attack"].target_preps
    assert "by" in nouns["attack"].agent_preps
    assert nouns["talks"].mutual
    assert not nouns["attack"].mutual
    assert all(n.relation for n in nouns.values())


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "x", "precedence": 1, "pattern": []}, "missing field 'emit'"),
        (
            {
                "id": "x",
                "precedence": 1,
                "pattern": [{"RIGHT_ID": "p", "RIGHT_ATTRS": {}}],
                "emit": {"agent": "p", "trigger": "p", "target": "q", "relation": "p"},
            },
            "emit target names no pattern node",
        ),
        (
            {
                "id": "x",
                "precedence": 1,
                "pattern": [{"RIGHT_ID": "p", "RIGHT_ATTRS": {"LEMMA": {"IN": ["@nope"]}}}],
                "emit": {"agent": "p", "trigger": "p", "target": "p", "relation": "p"},
            },
            "unknown lexicon '@nope'",
        ),
        (
            {
                "id": "x",
                "precedence": 1,
                "pattern": [{"RIGHT_ID": "p", "RIGHT_ATTRS": {}}],
                "emit": {"agent": "p", "trigger": "p", "target": "p", "relation": "p", "z": 1},
            },
            "unknown emit keys ['z']",
        ),
    ],
)
def test_a_malformed_record_is_named_with_its_reason(record: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        cons._parse(json.loads(json.dumps(record)), "constructions.jsonl line 1")


def test_higher_precedence_wins_on_the_same_claim_only() -> None:
    matches = [
        (1, 5, "accuse", 50, False),
        (1, 5, "accuse", 40, False),  # the same claim, lower: loses
        (1, 5, "threaten", 0, False),  # another relation on the same words: kept
        (1, 6, "accuse", 40, False),
        (2, 5, "accuse", 10, False),
    ]
    assert competing(matches) == {1}
    # an exclusive frame silences every lower one on its trigger, whatever the target
    exclusive = [(1, 5, "condemn", 50, True), (1, 6, "condemn", 40, False), (2, 6, "x", 40, False)]
    assert competing(exclusive) == {1}


def test_lexicon_names_expand_to_their_words() -> None:
    pattern = cons._expand({"LEMMA": {"IN": ["@mutual_verbs", "x"]}}, "here")
    assert "meet" in pattern["LEMMA"]["IN"]
    assert "x" in pattern["LEMMA"]["IN"]


# ---------------------------------------------------------------------------- both schemes


# ---------------------------------------------------------------------------- the engine


def _matched(engine: Any, view: Any, *, direct: bool = True) -> list[tuple[str, dict[str, int]]]:
    return [(m.construction.id, dict(m.nodes)) for m in engine.matches(view, direct=direct)]


def test_the_direct_matcher_equals_spacys_on_every_hand_built_parse() -> None:
    engine = cons._engine()
    assert engine.direct
    assert len(engine.matcher) == 0
    found = 0
    for p in ALL.values():
        for scheme in ("ud", "clear"):
            view = build_view(p.doc(scheme))
            got = _matched(engine, view)
            assert got == _matched(engine, view, direct=False), (scheme, p.words)
            found += len(got)
    assert found > len(ALL)


def test_the_direct_matcher_equals_spacys_on_the_sample_articles(nlp: Any) -> None:
    from geokg.pipeline import sample_inputs

    engine = cons._engine()
    texts = [e["text"] for c in load_constructions() for e in c.examples]
    texts += [
        line
        for path in sample_inputs()
        if path.suffix == ".txt"
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    found = 0
    for sdoc in nlp.pipe(texts):
        view = build_view(sdoc)
        got = _matched(engine, view)
        assert got == _matched(engine, view, direct=False), sdoc.text
        found += len(got)
    assert found > len(texts)


def test_a_pattern_the_direct_matcher_cannot_take_goes_through_spacy() -> None:
    base = next(c for c in load_constructions() if c.id == "svo.passive_agent")
    # the same pattern with its agent's label tested by a regular expression
    regex = dataclasses.replace(
        base,
        id="svo.passive_agent_regex",
        pattern=(
            *base.pattern[:2],
            {**base.pattern[2], "RIGHT_ATTRS": {"DEP": {"REGEX": "^obl:agent$"}}},
        ),
    )
    engine = cons._Engine([base, regex])
    assert [c.id for c, _ in engine.direct] == ["svo.passive_agent"]
    assert len(engine.matcher) == 1
    got = _matched(engine, build_view(PASSIVE_AGENT.doc("ud")))
    assert [i for i, _ in got] == ["svo.passive_agent", "svo.passive_agent_regex"]
    assert got[0][1] == got[1][1]
    assert got == _matched(engine, build_view(PASSIVE_AGENT.doc("ud")), direct=False)


@pytest.mark.parametrize("name", sorted(ALL))
def test_both_label_schemes_give_the_same_relations(name: str) -> None:
    assert v2_rows(ALL[name], "ud") == v2_rows(ALL[name], "clear")


MUTUAL = parse(
    """
    Chile   3 nsubj nsubj PROPN NNP Chile B-GPE
    and     2 cc    cc    CCONJ CC  and   O
    Peru    0 conj  conj  PROPN NNP Peru  B-GPE
    met     3 root  ROOT  VERB  VBD meet  O
    in      5 case  prep  ADP   IN  in    O
    Lima    3 obl   pobj  PROPN NNP Lima  B-GPE
    .       3 punct punct PUNCT .   .     O
    """,
    clear_heads=[3, 0, 0, 3, 3, 4, 3],
)

MUTUAL_WITH = parse(
    """
    Chile   3 nsubj nsubj PROPN NNP Chile   B-GPE
    and     2 cc    cc    CCONJ CC  and     O
    Peru    0 conj  conj  PROPN NNP Peru    B-GPE
    met     3 root  ROOT  VERB  VBD meet    O
    with    5 case  prep  ADP   IN  with    O
    Bolivia 3 obl   pobj  PROPN NNP Bolivia B-GPE
    .       3 punct punct PUNCT .   .       O
    """,
    clear_heads=[3, 0, 0, 3, 3, 4, 3],
)

POSSESSOR = parse(
    """
    Chile  2 nmod:poss poss  PROPN NNP Chile  B-GPE
    's     0 case      case  PART  POS 's     O
    attack 6 nsubj:pass nsubjpass NOUN NN attack O
    on     4 case      prep  ADP   IN  on     O
    Peru   2 nmod      pobj  PROPN NNP Peru   B-GPE
    was    6 aux:pass  auxpass AUX VBD be     O
    condemned 6 root   ROOT  VERB  VBN condemn O
    .      6 punct     punct PUNCT .   .      O
    """,
    clear_heads=[2, 0, 6, 2, 3, 6, 6, 6],
)

TRANSFER = parse(
    """
    Chile    1 nsubj nsubj PROPN NNP Chile    B-GPE
    sent     1 root  ROOT  VERB  VBD send     O
    weapons  1 obj   dobj  NOUN  NNS weapon   O
    to       4 case  prep  ADP   IN  to       O
    Peru     1 obl   pobj  PROPN NNP Peru     B-GPE
    .        1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 1, 1, 3, 1],
)

LED_TO = parse(
    """
    Chile    1 nsubj nsubj PROPN NNP Chile    B-GPE
    led      1 root  ROOT  VERB  VBD lead     O
    troops   1 obj   dobj  NOUN  NNS troop    O
    to       4 case  prep  ADP   IN  to       O
    Peru     1 obl   pobj  PROPN NNP Peru     B-GPE
    .        1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 1, 1, 3, 1],
)


@pytest.mark.parametrize("scheme", ["ud", "clear"])
@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # coordinated parties of a mutual verb meet each other
        (MUTUAL, [("Chile", "meet", "Peru", False, "asserted", None)]),
        # ... but not when they meet a third party together
        (
            MUTUAL_WITH,
            [
                ("Chile", "meet with", "Bolivia", False, "asserted", None),
                ("Peru", "meet with", "Bolivia", False, "asserted", None),
            ],
        ),
        # a nominal event takes its possessor as agent and its "on" phrase as target
        (POSSESSOR, [("Chile", "attack", "Peru", False, "asserted", None)]),
        # a verb of sending names a recipient beside its object
        (TRANSFER, [("Chile", "send", "Peru", False, "asserted", None)]),
        # another verb's "to" phrase beside an object is a destination, not a partner
        (LED_TO, []),
    ],
)
def test_general_constructions(p: Parse, expected: list[Row], scheme: str) -> None:
    assert v2_rows(p, scheme, records_only=True) == sorted(expected)


# ---------------------------------------------------------------------------- with the model

WE_APPOSITION = (
    "We, the leaders of Japan, South Korea, and the United States, met in Washington today. "
    "We condemned North Korea."
)
LEADERS = "Joe Biden spoke with Fumio Kishida. The leaders condemned North Korea."


@pytest.fixture(scope="module")
def nlp(model_name: str) -> Any:
    from geokg.nlp import load_model

    return load_model(model_name)


def _model_rows(nlp: Any, text: str, extractor: str = "svo.v2") -> set[tuple[str, str, str]]:
    result = extract_spacy_doc(Document(id="t", text=text), nlp(text), extractor=extractor)
    return {(r.subject.name, r.relation, r.object.name) for r in result.relations}


def test_we_of_a_joint_statement_is_each_signatory(nlp: Any) -> None:
    got = _model_rows(nlp, WE_APPOSITION)
    assert ("Japan", "meet", "South Korea") in got
    assert ("South Korea", "meet", "the United States") in got
    assert {
        ("Japan", "condemn", "North Korea"),
        ("the United States", "condemn", "North Korea"),
    } <= got


def test_the_leaders_after_a_call_are_its_two_sides(nlp: Any) -> None:
    got = _model_rows(nlp, LEADERS)
    assert {
        ("Joe Biden", "condemn", "North Korea"),
        ("Fumio Kishida", "condemn", "North Korea"),
    } <= got
    # svo.v1 reads no relation from "the leaders"
    assert not any(
        s == "Fumio Kishida" for s, _, _ in _model_rows(nlp, LEADERS, "svo.v1") if _ == "condemn"
    )


@pytest.mark.parametrize(
    ("con_id", "example"),
    [(c.id, e) for c in load_constructions() for e in c.examples],
    ids=lambda x: x if isinstance(x, str) else x["text"][:40],
)
def test_each_record_gives_its_examples(nlp: Any, con_id: str, example: dict[str, Any]) -> None:
    result = extract_spacy_doc(
        Document(id="t", text=example["text"]), nlp(example["text"]), extractor="svo.v2"
    )
    got = {
        (r.subject.text, r.relation, r.object.text) for r in result.relations if r.rule == con_id
    }
    want = {tuple(t) for t in example["expect"]}
    # the example names each side by a word of its mention ("president" for "The president")
    matched = {w for w in want if any(w[1] == g[1] and w[0] in g[0] and w[2] in g[2] for g in got)}
    assert matched == want, f"{con_id}: {example['text']!r} gave {sorted(got)}"
    if not want:
        assert not got, f"{con_id}: {example['text']!r} gave {sorted(got)}"


def test_registered_and_named() -> None:
    assert EXTRACTORS.get("svo.v2") is SvoV2Extractor
    assert SvoV2Extractor.name == "svo.v2"


def test_every_v2_rule_is_documented() -> None:
    from tests.conftest import REPO

    outputs = (REPO / "docs" / "OUTPUTS.md").read_text(encoding="utf-8")
    assert all(f"`{rule}`" in outputs for rule in RULES_V2)


def test_a_typographic_apostrophe_reads_as_a_possessive_and_mentions_quote_the_text(
    model_name: str,
) -> None:
    from geokg.pipeline import BuildOptions, build_graph

    text = "Biden reinforced the United States\u2019 commitment to Vietnam."
    rows: list[dict[str, Any]] = []
    build_graph(
        [Document(id="t", text=text)],
        options=BuildOptions(model=model_name, extractor="svo.v2"),
        on_rows=rows.extend,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]) for r in rows}
    assert ("United States", "support", "Vietnam") in got
    for r in rows:
        s, e = r["span"]
        assert text[s:e] == r["sentence"]
        assert "\u2019" in r["sentence"]
