"""Factuality over the clause tree (geokg.extractors._factuality) and polarity (geokg.events):
hand-built parses in both label schemes, the lexicons as data."""

from __future__ import annotations

import pytest

from geokg.errors import ConfigError
from geokg.events import cameo_codes, code_event, polarity
from geokg.extractors import build_view, extract_spacy_doc
from geokg.extractors._factuality import EFFECTS, factuality, lexicon, parse_lexicon
from geokg.extractors._lexicon import (
    COMMITMENT_ADJS,
    INTENT_VERBS,
    NEGATING_HEADS,
    REQUEST_VERBS,
    SPEECH_VERBS,
)
from geokg.model import Document
from tests.extractors._docs import Parse, parse

SCHEMES = ["ud", "clear"]

# word head ud clear pos tag lemma ent; ``clear_heads`` where ClearNLP attaches differently.
REFUSED = parse(
    """
    Iran    1 nsubj nsubj PROPN NNP Iran   B-GPE
    refused 1 root  ROOT  VERB  VBD refuse O
    to      3 mark  aux   PART  TO  to     O
    meet    1 xcomp xcomp VERB  VB  meet   O
    Iraq    3 obj   dobj  PROPN NNP Iraq   B-GPE
    .       1 punct punct PUNCT .   .      O
    """
)

NOT_REFUSED = parse(
    """
    Iran    3 nsubj  nsubj PROPN NNP Iran   B-GPE
    did     3 aux    aux   AUX   VBD do     O
    not     3 advmod neg   PART  RB  not    O
    refuse  3 root   ROOT  VERB  VB  refuse O
    to      5 mark   aux   PART  TO  to     O
    meet    3 xcomp  xcomp VERB  VB  meet   O
    Iraq    5 obj    dobj  PROPN NNP Iraq   B-GPE
    .       3 punct  punct PUNCT .   .      O
    """
)

NOT_WANT = parse(
    """
    Iran    3 nsubj  nsubj PROPN NNP Iran   B-GPE
    did     3 aux    aux   AUX   VBD do     O
    not     3 advmod neg   PART  RB  not    O
    want    3 root   ROOT  VERB  VB  want   O
    to      5 mark   aux   PART  TO  to     O
    attack  3 xcomp  xcomp VERB  VB  attack O
    Iraq    5 obj    dobj  PROPN NNP Iraq   B-GPE
    .       3 punct  punct PUNCT .   .      O
    """
)

URGED_NOT = parse(
    """
    Iran    1 nsubj  nsubj PROPN NNP Iran   B-GPE
    urged   1 root   ROOT  VERB  VBD urge   O
    Iraq    1 obj    dobj  PROPN NNP Iraq   B-GPE
    not     5 advmod neg   PART  RB  not    O
    to      5 mark   aux   PART  TO  to     O
    attack  1 xcomp  xcomp VERB  VB  attack O
    Kuwait  5 obj    dobj  PROPN NNP Kuwait B-GPE
    .       1 punct  punct PUNCT .   .      O
    """
)

DENIED = parse(
    """
    Iran      1 nsubj nsubj PROPN NNP Iran   B-GPE
    denied    1 root  ROOT  VERB  VBD deny   O
    attacking 1 xcomp xcomp VERB  VBG attack O
    Iraq      2 obj   dobj  PROPN NNP Iraq   B-GPE
    .         1 punct punct PUNCT .   .      O
    """
)

DENIED_THAT = parse(
    """
    Iran     1 nsubj nsubj PROPN NNP Iran   B-GPE
    denied   1 root  ROOT  VERB  VBD deny   O
    that     4 mark  mark  SCONJ IN  that   O
    it       4 nsubj nsubj PRON  PRP it     O
    attacked 1 ccomp ccomp VERB  VBD attack O
    Iraq     4 obj   dobj  PROPN NNP Iraq   B-GPE
    .        1 punct punct PUNCT .   .      O
    """
)

SAID = parse(
    """
    Iraq     1 nsubj nsubj PROPN NNP Iraq   B-GPE
    said     1 root  ROOT  VERB  VBD say    O
    Iran     3 nsubj nsubj PROPN NNP Iran   B-GPE
    attacked 1 ccomp ccomp VERB  VBD attack O
    Kuwait   3 obj   dobj  PROPN NNP Kuwait B-GPE
    .        1 punct punct PUNCT .   .      O
    """
)

SAID_WOULD = parse(
    """
    Iraq   1 nsubj nsubj PROPN NNP Iraq   B-GPE
    said   1 root  ROOT  VERB  VBD say    O
    it     4 nsubj nsubj PRON  PRP it     O
    would  4 aux   aux   AUX   MD  would  O
    attack 1 ccomp ccomp VERB  VB  attack O
    Iran   4 obj   dobj  PROPN NNP Iran   B-GPE
    .      1 punct punct PUNCT .   .      O
    """
)

WOULD = parse(
    """
    Iraq   2 nsubj nsubj PROPN NNP Iraq   B-GPE
    would  2 aux   aux   AUX   MD  would  O
    attack 2 root  ROOT  VERB  VB  attack O
    Iran   2 obj   dobj  PROPN NNP Iran   B-GPE
    .      2 punct punct PUNCT .   .      O
    """
)

QUESTION = parse(
    """
    Will   2 aux   aux   AUX   MD  will   O
    Iran   2 nsubj nsubj PROPN NNP Iran   B-GPE
    attack 2 root  ROOT  VERB  VB  attack O
    Iraq   2 obj   dobj  PROPN NNP Iraq   B-GPE
    ?      2 punct punct PUNCT .   ?      O
    """
)

CONDITION = parse(
    """
    If      2 mark  mark  SCONJ IN  if      O
    Iran    2 nsubj nsubj PROPN NNP Iran    B-GPE
    attacks 7 advcl advcl VERB  VBZ attack  O
    Iraq    2 obj   dobj  PROPN NNP Iraq    B-GPE
    ,       7 punct punct PUNCT ,   ,       O
    Kuwait  7 nsubj nsubj PROPN NNP Kuwait  B-GPE
    will    7 aux   aux   AUX   MD  will    O
    respond 7 root  ROOT  VERB  VB  respond O
    .       7 punct punct PUNCT .   .       O
    """
)

# The concessive clause is a fact even under a refusal: ClearNLP hangs "despite" as a
# preposition with the clause as its pcomp.
DESPITE = parse(
    """
    Kuwait     1 nsubj nsubj PROPN NNP Kuwait  B-GPE
    refused    1 root  ROOT  VERB  VBD refuse  O
    to         3 mark  aux   PART  TO  to      O
    act        1 xcomp xcomp VERB  VB  act     O
    despite    6 mark  prep  SCONJ IN  despite O
    Iran       6 nsubj nsubj PROPN NNP Iran    B-GPE
    supporting 3 advcl pcomp VERB  VBG support O
    Iraq       6 obj   dobj  PROPN NNP Iraq    B-GPE
    .          1 punct punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 3, 1, 3, 6, 4, 6, 1],
)

EFFORTS = parse(
    """
    Iran    1 nsubj nsubj PROPN NNP Iran   B-GPE
    made    1 root  ROOT  VERB  VBD make   O
    efforts 1 obj   dobj  NOUN  NNS effort O
    to      4 mark  aux   PART  TO  to     O
    help    2 acl   acl   VERB  VB  help   O
    Iraq    4 obj   dobj  PROPN NNP Iraq   B-GPE
    .       1 punct punct PUNCT .   .      O
    """
)

NO_STEP = parse(
    """
    Iran 3 nsubj  nsubj PROPN NNP Iran B-GPE
    did  3 aux    aux   AUX   VBD do   O
    not  3 advmod neg   PART  RB  not  O
    see  3 root   ROOT  VERB  VB  see  O
    any  5 det    det   DET   DT  any  O
    step 3 obj    dobj  NOUN  NN  step O
    to   7 mark   aux   PART  TO  to   O
    help 5 acl    acl   VERB  VB  help O
    Iraq 7 obj    dobj  PROPN NNP Iraq B-GPE
    .    3 punct  punct PUNCT .   .    O
    """
)

NO_PLANS = parse(
    """
    Iran   1 nsubj nsubj PROPN NNP Iran   B-GPE
    has    1 root  ROOT  VERB  VBZ have   O
    no     3 det   det   DET   DT  no     O
    plans  1 obj   dobj  NOUN  NNS plan   O
    to     5 mark  aux   PART  TO  to     O
    attack 3 acl   acl   VERB  VB  attack O
    Iraq   5 obj   dobj  PROPN NNP Iraq   B-GPE
    .      1 punct punct PUNCT .   .      O
    """
)

# A judged event is a fact whatever the judging clause says; an event noun otherwise takes
# its verb's negation ("did not hold talks").
NOT_CONDEMN = parse(
    """
    Kuwait  3 nsubj     nsubj PROPN NNP Kuwait  B-GPE
    did     3 aux       aux   AUX   VBD do      O
    not     3 advmod    neg   PART  RB  not     O
    condemn 3 root      ROOT  VERB  VB  condemn O
    Iran    6 nmod:poss poss  PROPN NNP Iran    B-GPE
    's      4 case      case  PART  POS 's      O
    attack  3 obj       dobj  NOUN  NN  attack  O
    on      8 case      prep  ADP   IN  on      O
    Iraq    6 nmod      pobj  PROPN NNP Iraq    B-GPE
    .       3 punct     punct PUNCT .   .       O
    """,
    clear_heads=[3, 3, 3, 3, 6, 4, 3, 6, 7, 3],
)

NOT_HOLD = parse(
    """
    Iran  3 nsubj  nsubj PROPN NNP Iran B-GPE
    did   3 aux    aux   AUX   VBD do   O
    not   3 advmod neg   PART  RB  not  O
    hold  3 root   ROOT  VERB  VB  hold O
    talks 3 obj    dobj  NOUN  NNS talk O
    with  6 case   prep  ADP   IN  with O
    Iraq  4 nmod   pobj  PROPN NNP Iraq B-GPE
    .     3 punct  punct PUNCT .   .    O
    """,
    clear_heads=[3, 3, 3, 3, 3, 4, 5, 3],
)

# A conjunct shares its first conjunct's auxiliary; it shares the negation only as a bare verb
# or after "or".
WILL_AND = parse(
    """
    Iran  2 nsubj nsubj PROPN NNP Iran B-GPE
    will  2 aux   aux   AUX   MD  will O
    meet  2 root  ROOT  VERB  VB  meet O
    Iraq  2 obj   dobj  PROPN NNP Iraq B-GPE
    and   5 cc    cc    CCONJ CC  and  O
    sign  2 conj  conj  VERB  VB  sign O
    a     7 det   det   DET   DT  a    O
    deal  5 obj   dobj  NOUN  NN  deal O
    .     2 punct punct PUNCT .   .    O
    """,
    clear_heads=[2, 2, 2, 2, 2, 2, 7, 5, 2],
)

NEVER_OR = parse(
    """
    Iran   3 nsubj  nsubj PROPN NNP Iran   B-GPE
    can    3 aux    aux   AUX   MD  can    O
    never  3 advmod neg   ADV   RB  never  O
    build  3 root   ROOT  VERB  VB  build  O
    or     5 cc     cc    CCONJ CC  or     O
    buy    3 conj   conj  VERB  VB  buy    O
    arms   5 obj    dobj  NOUN  NNS arm    O
    .      3 punct  punct PUNCT .   .      O
    """,
    clear_heads=[3, 3, 3, 3, 3, 3, 5, 3],
)

NOT_BUT = parse(
    """
    Iran     3 nsubj  nsubj PROPN NNP Iran   B-GPE
    did      3 aux    aux   AUX   VBD do     O
    not      3 advmod neg   PART  RB  not    O
    meet     3 root   ROOT  VERB  VB  meet   O
    Iraq     3 obj    dobj  PROPN NNP Iraq   B-GPE
    but      6 cc     cc    CCONJ CC  but    O
    attacked 3 conj   conj  VERB  VBD attack O
    Kuwait   6 obj    dobj  PROPN NNP Kuwait B-GPE
    .        3 punct  punct PUNCT .   .      O
    """,
    clear_heads=[3, 3, 3, 3, 3, 3, 3, 6, 3],
)

# (parse, trigger, negated, modality, reporter)
CASES: dict[str, tuple[Parse, int, bool, str, int | None]] = {
    "refused": (REFUSED, 3, True, "negated", None),
    "double_negation": (NOT_REFUSED, 5, False, "asserted", None),
    "negated_intent": (NOT_WANT, 5, True, "intended", None),
    "negated_request": (URGED_NOT, 5, True, "requested", None),
    "denial": (DENIED, 2, True, "negated", None),
    "reported_denial": (DENIED_THAT, 4, True, "negated", 1),
    "reported": (SAID, 3, False, "reported", 1),
    "reported_will": (SAID_WOULD, 4, False, "intended", 1),
    "would": (WOULD, 2, False, "hypothetical", None),
    "question": (QUESTION, 2, False, "hypothetical", None),
    "condition": (CONDITION, 2, False, "hypothetical", None),
    "main_clause": (CONDITION, 7, False, "intended", None),
    "despite": (DESPITE, 6, False, "asserted", None),
    "under_refusal": (DESPITE, 3, True, "negated", None),
    "efforts_to": (EFFORTS, 4, False, "intended", None),
    "no_step_to": (NO_STEP, 7, True, "intended", None),
    "no_plans_to": (NO_PLANS, 5, True, "intended", None),
    "judged_fact": (NOT_CONDEMN, 6, False, "asserted", None),
    "noun_takes_verb_negation": (NOT_HOLD, 4, True, "negated", None),
    "conjunct_shares_will": (WILL_AND, 5, False, "intended", None),
    "conjunct_shares_never": (NEVER_OR, 5, True, "hypothetical", None),
    "finite_conjunct_is_its_own": (NOT_BUT, 6, False, "asserted", None),
    "first_conjunct": (NOT_BUT, 3, True, "negated", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_factuality_per_scheme(name: str, scheme: str) -> None:
    p, trigger, negated, modality, reporter = CASES[name]
    view = build_view(p.doc(scheme))
    got = factuality(view, trigger)
    assert (got.negated, got.modality, got.reporter) == (negated, modality, reporter)
    # the cue names the word that decided, and only a non-asserted event has one
    assert (got.cue is None) == (modality == "asserted")


def test_quoted_event_is_reported_and_would_under_it_is_a_will() -> None:
    view = build_view(WOULD.doc("ud"))
    assert factuality(view, 2, quoted=True)[:2] == (False, "intended")
    view = build_view(REFUSED.doc("ud"))
    assert factuality(view, 3, quoted=True)[:2] == (True, "negated")


def test_the_lexicon_loads_and_every_row_is_valid() -> None:
    rows = lexicon()
    assert len(rows) >= 150
    for cue in rows:
        assert cue.effect in EFFECTS, cue
        assert cue.word, cue
        assert cue.word == cue.word.lower(), cue
        assert cue.source, cue
    keys = [(c.word, c.pos, c.role, c.deps, c.scope, c.condition, c.effect) for c in rows]
    assert len(keys) == len(set(keys)), "duplicate rows"


def test_the_lexicon_covers_the_word_lists_it_was_derived_from() -> None:
    def words(role: str, effect: str) -> set[str]:
        return {c.word for c in lexicon() if c.role == role and c.effect == effect}

    assert words("child", "negated") >= {"not", "n't", "never", "no", "nor", "without"}
    assert words("head", "negated") >= NEGATING_HEADS
    assert words("head", "requested") >= REQUEST_VERBS
    assert words("head", "intended") >= INTENT_VERBS | COMMITMENT_ADJS
    assert words("head", "reported") >= SPEECH_VERBS


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("not\t*\tchild\tadvmod\tany\t-\tnegative\tx", "invalid"),
        ("not\t*\tbelow\tadvmod\tany\t-\tnegated\tx", "invalid"),
        ("not\t*\tchild\tadvmod\teverywhere\t-\tnegated\tx", "invalid"),
        ("\t*\tchild\tadvmod\tany\t-\tnegated\tx", "invalid"),
    ],
)
def test_an_invalid_lexicon_row_is_refused(row: str, message: str) -> None:
    header = "word\tpos\trole\tdeps\tscope\tcondition\teffect\tsource"
    with pytest.raises(ConfigError, match=message):
        parse_lexicon(f"# comment\n{header}\n{row}\n")


# ---------------------------------------------------------------------------------- polarity


@pytest.mark.parametrize(
    ("relation", "obj", "plover"),
    [
        ("terminate", "agreement", "SANCTION"),
        ("withdraw", "deal", "SANCTION"),
        ("pull out", "treaty", "SANCTION"),
        ("suspend", "talks", "SANCTION"),
        ("cancel", "meeting", "SANCTION"),  # the CAMEO patterns code it as a meeting
        ("halt", "cooperation", "SANCTION"),
        ("walk away from", "talks", "SANCTION"),
        ("lift", "sanctions", "RETREAT"),
        ("stop", "attack", "RETREAT"),
        # what no ending verb touches keeps its own type
        ("sign", "agreement", "AGREE"),  # CAMEO 057, PLOVER AGREE (issue 16)
        ("agree", "deal", "AGREE"),
        ("withdraw", "troops", "RETREAT"),
    ],
)
def test_an_ending_verb_is_not_the_event_it_ends(relation: str, obj: str, plover: str) -> None:
    event = code_event(relation, object_head=obj)
    assert event is not None
    assert event.plover == plover


def test_a_dictionary_rule_for_the_pair_keeps_its_code() -> None:
    # "end the war" declares a truce (CAMEO 0871), also a de-escalation, not the generic one
    event = code_event("end", object_head="war")
    assert event is not None
    assert event.cameo == "0871"


def test_the_polarity_lexicon_is_complete_and_changes_polarity() -> None:
    pol = polarity()
    assert set(pol.objects.values()) <= set(pol.undo)  # every ended type has an ending
    codes = cameo_codes()
    for ended, code in pol.undo.items():
        assert codes[code].plover != ended, ended  # ending an event is never that event
    assert all(v == v.lower().strip() for v in pol.verbs)


ENDED = parse(
    """
    Russia     1 nsubj nsubj PROPN NNP Russia    B-GPE
    terminated 1 root  ROOT  VERB  VBD terminate O
    the        3 det   det   DET   DT  the       O
    agreement  1 obj   dobj  NOUN  NN  agreement O
    with       5 case  prep  ADP   IN  with      O
    Ukraine    3 nmod  pobj  PROPN NNP Ukraine   B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 1],
)

# ClearNLP reads "out" as a preposition and chains "of" under it.
PULLED_OUT = parse(
    """
    Russia  1 nsubj        nsubj PROPN NNP Russia  B-GPE
    pulled  1 root         ROOT  VERB  VBD pull    O
    out     1 compound:prt prep  ADP   RP  out     O
    of      5 case         prep  ADP   IN  of      O
    the     5 det          det   DET   DT  the     O
    treaty  1 obl          pobj  NOUN  NN  treaty  O
    with    7 case         prep  ADP   IN  with    O
    Ukraine 5 nmod         pobj  PROPN NNP Ukraine B-GPE
    .       1 punct        punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 1, 2, 5, 3, 5, 6, 1],
)

SUSPENDED_BETWEEN = parse(
    """
    Russia    1 nsubj nsubj PROPN NNP Russia  B-GPE
    suspended 1 root  ROOT  VERB  VBD suspend O
    talks     1 obj   dobj  NOUN  NNS talk    O
    between   4 case  prep  ADP   IN  between O
    Ukraine   2 nmod  pobj  PROPN NNP Ukraine B-GPE
    and       6 cc    cc    CCONJ CC  and     O
    Belarus   4 conj  conj  PROPN NNP Belarus B-GPE
    .         1 punct punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 1, 2, 3, 4, 4, 1],
)


def _actor_events(p: Parse, scheme: str) -> list[tuple[str, str, str, str | None]]:
    sdoc = p.doc(scheme)
    result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc)
    out = []
    for r in result.relations:
        if r.object.kind == "theme":
            continue
        event = code_event(r.relation, object_head=r.theme or r.object.head or None)
        out.append((r.subject.name, r.relation, r.object.name, event.plover if event else None))
    return sorted(out)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_ending_an_agreement_with_x_is_no_agreement(scheme: str) -> None:
    assert _actor_events(ENDED, scheme) == [("Russia", "terminate", "Ukraine", "SANCTION")]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pulling_out_of_a_treaty_with_x_is_no_agreement(scheme: str) -> None:
    assert _actor_events(PULLED_OUT, scheme) == [("Russia", "pull out", "Ukraine", "SANCTION")]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_suspended_talks_between_two_parties_hold_no_talks(scheme: str) -> None:
    assert _actor_events(SUSPENDED_BETWEEN, scheme) == []


SUSPENDED_TARIFFS = parse(
    """
    Chile      2 nsubj nsubj PROPN NNP Chile      B-GPE
    will       2 aux   aux   AUX   MD  will       O
    maintain   2 root  ROOT  VERB  VB  maintain   O
    the        4 det   det   DET   DT  the        O
    suspension 2 obj   dobj  NOUN  NN  suspension O
    of         6 case  prep  ADP   IN  of         O
    tariffs    4 nmod  pobj  NOUN  NNS tariff     O
    on         8 case  prep  ADP   IN  on         O
    Peru       6 nmod  pobj  PROPN NNP Peru       B-GPE
    .          2 punct punct PUNCT .   .          O
    """,
    clear_heads=[2, 2, 2, 4, 2, 4, 5, 6, 7, 2],
)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_suspending_tariffs_on_x_eases_a_sanction_on_x(scheme: str) -> None:
    assert _actor_events(SUSPENDED_TARIFFS, scheme) == [("Chile", "suspend", "Peru", "RETREAT")]
