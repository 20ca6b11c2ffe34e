"""Mentions and their actors on hand-built parses (both label schemes): name suffixes, names the
recogniser split or tagged as a body, roles tagged as names, first-person pronouns, and sentence
breaks after honorifics and initials."""

from __future__ import annotations

from collections import Counter

import pytest

from geokg.extractors import build_view, extract_spacy_doc
from geokg.extractors._deps import join_sentences
from geokg.gazetteer import Gazetteer
from geokg.graph.policy import resolve_relations
from geokg.model import Document
from tests.extractors._docs import Parse, parse

SCHEMES = ["ud", "clear"]

JR = parse(
    """
    President 3 compound compound PROPN NNP President O
    Joseph    3 compound compound PROPN NNP Joseph    B-PERSON
    R.        3 compound compound PROPN NNP R.        I-PERSON
    Biden     5 compound compound PROPN NNP Biden     I-PERSON
    ,         5 punct    punct    PUNCT ,   ,         O
    Jr.       6 nsubj    nsubj    PROPN NNP Jr.       O
    met       6 root     ROOT     VERB  VBD meet      O
    Kishida   6 obj      dobj     PROPN NNP Kishida   B-PERSON
    .         6 punct    punct    PUNCT .   .         O
    """,
    glued=frozenset({3, 7}),
)

SPLIT_NAME = parse(
    """
    Harris    1 nsubj    nsubj    PROPN NNP Harris    B-PERSON
    met       1 root     ROOT     VERB  VBD meet      O
    Samia     4 compound compound PROPN NNP Samia     B-PERSON
    Suluhu    4 compound compound PROPN NNP Suluhu    I-PERSON
    Hassan    1 obj      dobj     PROPN NNP Hassan    B-PERSON
    .         1 punct    punct    PUNCT .   .         O
    """,
    glued=frozenset({4}),
)

TWO_NAMES = parse(
    """
    Harris     1 nsubj    nsubj    PROPN NNP Harris     B-PERSON
    thanked    1 root     ROOT     VERB  VBD thank      O
    Second     5 compound compound PROPN NNP Second     B-PERSON
    Gentleman  5 compound compound PROPN NNP Gentleman  I-PERSON
    Douglas    5 compound compound PROPN NNP Douglas    B-PERSON
    Emhoff     1 obj      dobj     PROPN NNP Emhoff     I-PERSON
    .          1 punct    punct    PUNCT .   .          O
    """,
    glued=frozenset({5}),
)

TITLED_BODY = parse(
    """
    Sullivan   1 nsubj    nsubj    PROPN NNP Sullivan   B-PERSON
    met        1 root     ROOT     VERB  VBD meet       O
    Taoiseach  4 compound compound PROPN NNP Taoiseach  B-ORG
    Leo        4 compound compound PROPN NNP Leo        I-ORG
    Varadkar   1 obj      dobj     PROPN NNP Varadkar   I-ORG
    of         6 case     prep     ADP   IN  of         I-ORG
    Ireland    4 nmod     pobj     PROPN NNP Ireland    I-ORG
    .          1 punct    punct    PUNCT .   .          O
    """,
    clear_heads=[1, 1, 4, 4, 1, 4, 5, 1],
    glued=frozenset({6}),
)

ROLE_AS_NAME = parse(
    """
    The       3 det      det      DET   DT  the        O
    National  3 compound compound PROPN NNP National   B-ORG
    Security  3 compound compound PROPN NNP Security   I-ORG
    Advisor   4 nsubj    nsubj    PROPN NNP Advisor    I-ORG
    welcomed  4 root     ROOT     VERB  VBD welcome    O
    Paraguay  4 obj      dobj     PROPN NNP Paraguay   B-GPE
    .         4 punct    punct    PUNCT .   .          O
    """,
    glued=frozenset({5}),
)

WE = parse(
    """
    We        1 nsubj    nsubj    PRON  PRP we         O
    condemn   1 root     ROOT     VERB  VBP condemn    O
    Iran      1 obj      dobj     PROPN NNP Iran       B-GPE
    .         1 punct    punct    PUNCT .   .          O
    """,
    glued=frozenset({2}),
)


def actors(p: Parse, scheme: str, doc_id: str = "d", **kw: str) -> list[tuple[str, str, str]]:
    sdoc = p.doc(scheme)
    doc = Document(id=doc_id, text=sdoc.text, **kw)  # type: ignore[arg-type]
    result = extract_spacy_doc(doc, sdoc)
    out = resolve_relations(result, Gazetteer.default(), Counter())
    return [(r.subject.id, r.relation.relation, r.object.id if r.object else "") for r in out]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_name_suffix_after_a_comma_is_the_persons(scheme: str) -> None:
    assert actors(JR, scheme, published="2022-09-21") == [("Q6279", "meet", "person:fumio-kishida")]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_name_the_recogniser_split_is_one_person(scheme: str) -> None:
    assert actors(SPLIT_NAME, scheme) == [
        ("person:kamala-harris", "meet", "person:samia-suluhu-hassan")
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_two_names_of_two_words_stay_apart(scheme: str) -> None:
    assert actors(TWO_NAMES, scheme) == [("person:kamala-harris", "thank", "person:douglas-emhoff")]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_titled_person_tagged_as_a_body_is_the_person(scheme: str) -> None:
    sdoc = TITLED_BODY.doc(scheme)
    result = extract_spacy_doc(Document(id="d", text=sdoc.text), sdoc)
    obj = result.relations[0].object
    assert (obj.label, obj.name, obj.country, obj.role) == (
        "PERSON",
        "Leo Varadkar",
        "IRL",
        "prime minister",
    )
    assert actors(TITLED_BODY, scheme)[0][2] == "person:leo-varadkar"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_role_tagged_as_a_name_is_the_issuers_office_holder(scheme: str) -> None:
    sdoc = ROLE_AS_NAME.doc(scheme)
    result = extract_spacy_doc(Document(id="d", text=sdoc.text), sdoc)
    assert result.relations[0].subject.kind == "role"
    wh = "wh/statements-releases/2023-08/x"
    assert actors(ROLE_AS_NAME, scheme, wh, published="2023-08-16") == [
        ("person:jake-sullivan", "welcome", "PRY")
    ]
    assert actors(ROLE_AS_NAME, scheme, wh) == []  # no date: no office holder
    assert actors(ROLE_AS_NAME, scheme, "bbc/x", published="2023-08-16") == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_we_is_the_issuing_state_of_an_official_text_only(scheme: str) -> None:
    wh = "wh/statements-releases/2023-08/x"
    assert actors(WE, scheme, wh, title="Statement") == [("USA", "condemn", "IRN")]
    assert actors(WE, scheme, wh, title="Joint Statement of A and B") == []
    assert actors(WE, scheme, "bbc/politics/1") == []


def _pieces(words: list[str], pos: list[str], cut: int) -> list[tuple[int, int]]:
    """A two-piece parse of ``words`` cut before ``cut``; no arc crosses the cut."""
    heads = [0 if k < cut else cut for k in range(len(words))]
    p = Parse(
        words=words,
        heads=heads,
        ud=["root" if k in (0, cut) else "dep" for k in range(len(words))],
        clear=["ROOT" if k in (0, cut) else "dep" for k in range(len(words))],
        pos=pos,
        tags=["NNP" if x == "PROPN" else "NN" for x in pos],
        lemmas=[w.lower() for w in words],
        ents=["B-PERSON" if w == "Smith" else "O" for w in words],
    )
    return join_sentences(build_view(p.doc("ud")), [(0, cut), (cut, len(words))])


def test_an_honorific_never_ends_a_sentence() -> None:
    words = ["Talks", "with", "Mr.", "Smith", "ended", "."]
    pos = ["NOUN", "ADP", "PROPN", "PROPN", "VERB", "PUNCT"]
    assert _pieces(words, pos, 3) == [(0, 6)]
    assert _pieces(
        ["He", "left", ".", "Smith", "stayed", "."],
        ["PRON", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"],
        3,
    ) == [(0, 3), (3, 6)]


def test_an_initial_ends_a_sentence_only_before_a_sentence_start() -> None:
    pos = ["PRON", "VERB", "PROPN", "DET", "NOUN", "VERB", "PUNCT"]
    words = ["He", "visited", "U.S.", "The", "talks", "ended", "."]
    assert _pieces(words, pos, 3) == [(0, 3), (3, 7)]
    lower = ["He", "met", "U.S.", "officials", "who", "left", "."]
    assert _pieces(lower, ["PRON", "VERB", "PROPN", "NOUN", "PRON", "VERB", "PUNCT"], 3) == [(0, 7)]


TOWNS = parse(
    """
    He          1 nsubj nsubj PRON  PRP he          O
    visits      1 root  ROOT  VERB  VBZ visit       O
    Manchester  1 obj   dobj  PROPN NNP Manchester  B-GPE
    ,           4 punct punct PUNCT ,   ,           O
    Leicester   2 conj  conj  PROPN NNP Leicester   B-GPE
    ,           6 punct punct PUNCT ,   ,           O
    Dorset      2 conj  conj  PROPN NNP Dorset      B-ORG
    and         8 cc    cc    CCONJ CC  and         O
    Torbay      2 conj  conj  PROPN NNP Torbay      B-PERSON
    .           1 punct punct PUNCT .   .           O
    """,
    clear_heads=[1, 1, 1, 2, 2, 4, 4, 6, 6, 1],
    glued=frozenset({2, 4, 8}),
)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_unknown_name_among_towns_is_a_town(scheme: str) -> None:
    sdoc = TOWNS.doc(scheme)
    result = extract_spacy_doc(Document(id="d", text=sdoc.text), sdoc)
    kinds = {r.object.name: r.object.label for r in result.relations}
    assert kinds["Dorset"] == kinds["Torbay"] == "GPE"
    assert kinds["Manchester"] == "GPE"


NAMES = parse(
    """
    Harris  1 nsubj nsubj PROPN NNP Harris  B-PERSON
    met     1 root  ROOT  VERB  VBD meet    O
    Smith   1 obj   dobj  PROPN NNP Smith   B-PERSON
    ,       4 punct punct PUNCT ,   ,       O
    Jones   2 conj  conj  PROPN NNP Jones   B-PERSON
    and     6 cc    cc    CCONJ CC  and     O
    Dorset  2 conj  conj  PROPN NNP Dorset  B-ORG
    .       1 punct punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 1, 2, 2, 4, 4, 1],
    glued=frozenset({2, 6}),
)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_unknown_name_among_people_keeps_its_type(scheme: str) -> None:
    sdoc = NAMES.doc(scheme)
    result = extract_spacy_doc(Document(id="d", text=sdoc.text), sdoc)
    kinds = {r.object.name: r.object.label for r in result.relations}
    assert kinds.get("Dorset") == "ORG"
