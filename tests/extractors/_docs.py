"""Hand-built parses in both label schemes (Universal Dependencies and ClearNLP)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.vocab import Vocab

VOCAB = Vocab()


@dataclass(frozen=True)
class Parse:
    """One sentence: words, heads (absolute), labels per scheme, POS, tags, lemmas, IOB ents."""

    words: list[str]
    heads: list[int]
    ud: list[str]
    clear: list[str]
    pos: list[str]
    tags: list[str]
    lemmas: list[str]
    ents: list[str]
    clear_heads: list[int] | None = None
    spaces: list[bool] | None = None

    def doc(self, scheme: str) -> Doc:
        heads = self.clear_heads if scheme == "clear" and self.clear_heads else self.heads
        return Doc(
            VOCAB,
            words=self.words,
            spaces=self.spaces,
            heads=heads,
            deps=self.ud if scheme == "ud" else self.clear,
            pos=self.pos,
            tags=self.tags,
            lemmas=self.lemmas,
            ents=self.ents,
        )


def parse(
    rows: str, *, clear_heads: list[int] | None = None, glued: frozenset[int] = frozenset()
) -> Parse:
    """Build a :class:`Parse` from whitespace-separated rows:
    ``word head ud clear pos tag lemma ent``; no space follows the tokens in ``glued``."""
    cols = [line.split() for line in rows.strip().splitlines()]
    return Parse(
        words=[c[0] for c in cols],
        heads=[int(c[1]) for c in cols],
        ud=[c[2] for c in cols],
        clear=[c[3] for c in cols],
        pos=[c[4] for c in cols],
        tags=[c[5] for c in cols],
        lemmas=[c[6] for c in cols],
        ents=[c[7] for c in cols],
        clear_heads=clear_heads,
        spaces=[k not in glued for k in range(len(cols))] if glued else None,
    )


ACCUSE = parse(
    """
    Starmer   1 nsubj nsubj PROPN NNP Starmer B-PERSON
    accused   1 root  ROOT  VERB  VBD accuse  O
    Putin     1 obj   dobj  PROPN NNP Putin   B-PERSON
    of        4 mark  prep  SCONJ IN  of      O
    lying     1 advcl pcomp VERB  VBG lie     O
    .         1 punct punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 1, 1, 3, 1],
)

PASSIVE_AGENT = parse(
    """
    Putin     2 nsubj:pass nsubjpass PROPN NNP Putin   B-PERSON
    was       2 aux:pass   auxpass   AUX   VBD be      O
    accused   2 root       ROOT      VERB  VBN accuse  O
    by        4 case       agent     ADP   IN  by      O
    Starmer   2 obl:agent  pobj      PROPN NNP Starmer B-PERSON
    .         2 punct      punct     PUNCT .   .       O
    """,
    clear_heads=[2, 2, 2, 2, 3, 2],
)

REPORTED_PASSIVE = parse(
    """
    Sikorski   1 nsubj      nsubj     PROPN NNP Sikorski  B-PERSON
    said       1 root       ROOT      VERB  VBD say       O
    the        4 det        det       DET   DT  the       O
    Russian    4 amod       amod      ADJ   JJ  russian   B-NORP
    consulate  7 nsubj:pass nsubjpass NOUN  NN  consulate O
    would      7 aux        aux       AUX   MD  would     O
    be         7 aux:pass   auxpass   AUX   VB  be        O
    closed     1 ccomp      ccomp     VERB  VBN close     O
    .          1 punct      punct     PUNCT .   .         O
    """
)

CONTROL = parse(
    """
    Lammy     1 nsubj nsubj PROPN NNP Lammy    B-PERSON
    urged     1 root  ROOT  VERB  VBD urge     O
    Putin     1 obj   dobj  PROPN NNP Putin    B-PERSON
    to        4 mark  aux   PART  TO  to       O
    accept    1 xcomp xcomp VERB  VB  accept   O
    talks     4 obj   dobj  NOUN  NNS talk     O
    with      7 case  prep  ADP   IN  with     O
    Zelensky  5 nmod  pobj  PROPN NNP Zelensky B-PERSON
    .         1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 1, 4, 1, 4, 5, 6, 1],
)

NEGATED = parse(
    """
    Putin     3 nsubj  nsubj PROPN NNP Putin    B-PERSON
    did       3 aux    aux   AUX   VBD do       O
    not       3 advmod neg   PART  RB  not      O
    meet      3 root   ROOT  VERB  VB  meet     O
    Zelensky  3 obj    dobj  PROPN NNP Zelensky B-PERSON
    .         3 punct  punct PUNCT .   .        O
    """
)

CONJ_OBJECTS = parse(
    """
    Russia    1 nsubj nsubj PROPN NNP Russia  B-GPE
    attacked  1 root  ROOT  VERB  VBD attack  O
    Ukraine   1 obj   dobj  PROPN NNP Ukraine B-GPE
    and       4 cc    cc    CCONJ CC  and     O
    Georgia   2 conj  conj  PROPN NNP Georgia B-GPE
    .         1 punct punct PUNCT .   .       O
    """
)

DESCRIPTOR = parse(
    """
    Polish      2 amod      amod     ADJ   JJ  polish     B-NORP
    foreign     2 amod      amod     ADJ   JJ  foreign    O
    minister    3 nmod:desc compound NOUN  NN  minister   O
    Radoslaw    5 nsubj     compound PROPN NNP Radoslaw   B-PERSON
    Sikorski    3 flat      nsubj    PROPN NNP Sikorski   I-PERSON
    criticised  5 root      ROOT     VERB  VBD criticise  O
    Russia      5 obj       dobj     PROPN NNP Russia     B-GPE
    .           5 punct     punct    PUNCT .   .          O
    """,
    clear_heads=[2, 2, 4, 4, 5, 5, 5, 5],
)

DEMONYM_OBJECT = parse(
    """
    Estonia   1 nsubj nsubj PROPN NNP Estonia B-GPE
    vowed     1 root  ROOT  VERB  VBD vow     O
    to        3 mark  aux   PART  TO  to      O
    resist    1 xcomp xcomp VERB  VB  resist  O
    Serbian   5 amod  amod  ADJ   JJ  serbian B-NORP
    attacks   3 obj   dobj  NOUN  NNS attack  O
    .         1 punct punct PUNCT .   .       O
    """
)

DEMONYM_OBLIQUE = parse(
    """
    Finland     2 nsubj nsubj PROPN NNP Finland    B-GPE
    will        2 aux   aux   AUX   MD  will       O
    fight       2 root  ROOT  VERB  VB  fight      O
    against     5 case  prep  ADP   IN  against    O
    Chinese     5 amod  amod  ADJ   JJ  chinese    B-NORP
    aggression  2 obl   pobj  NOUN  NN  aggression O
    .           2 punct punct PUNCT .   .          O
    """,
    clear_heads=[2, 2, 2, 2, 5, 3, 2],
)

DEMONYM_UNCODED_VERB = parse(
    """
    Estonia     1 nsubj nsubj PROPN NNP Estonia    B-GPE
    studied     1 root  ROOT  VERB  VBD study      O
    Iranian     3 amod  amod  ADJ   JJ  iranian    B-NORP
    aggression  1 obj   dobj  NOUN  NN  aggression O
    .           1 punct punct PUNCT .   .          O
    """
)

THREAT_OF = parse(
    """
    Latvia   2  nmod:poss poss      PROPN NNP Latvia  B-GPE
    's       0  case      case      PART  POS 's      O
    allies   4  nsubj     nsubj     NOUN  NNS ally    O
    would    4  aux       aux       AUX   MD  would   O
    work     4  root      ROOT      VERB  VB  work    O
    to       6  mark      aux       PART  TO  to      O
    counter  4  xcomp     xcomp     VERB  VB  counter O
    the      8  det       det       DET   DT  the     O
    threat   6  obj       dobj      NOUN  NN  threat  O
    of       11 case      prep      ADP   IN  of      O
    Mr       11 nmod:desc compound  PROPN NNP Mr      B-PERSON
    Smith    8  nmod      pobj      PROPN NNP Smith   I-PERSON
    .        4  punct     punct     PUNCT .   .       O
    """,
    clear_heads=[2, 0, 4, 4, 4, 6, 4, 8, 6, 8, 11, 9, 4],
)

# The parser's reading of a reported clause with no subject: the speech verb takes the
# clause's subject as its object.
THREAT_FROM_MISPARSED = parse(
    """
    Nowak    1  nsubj     nsubj     PROPN NNP Nowak   B-PERSON
    insisted 1  root      ROOT      VERB  VBD insist  O
    Latvia   4  nmod:poss poss      PROPN NNP Latvia  B-GPE
    's       2  case      case      PART  POS 's      O
    allies   1  obj       dobj      NOUN  NNS ally    O
    would    6  aux       aux       AUX   MD  would   O
    counter  1  ccomp     ccomp     VERB  VB  counter O
    the      8  det       det       DET   DT  the     O
    threat   6  obj       dobj      NOUN  NN  threat  O
    from     10 case      prep      ADP   IN  from    O
    Smith    8  nmod      pobj      PROPN NNP Smith   B-PERSON
    .        1  punct     punct     PUNCT .   .       O
    """,
    clear_heads=[1, 1, 4, 2, 1, 6, 1, 8, 6, 8, 9, 1],
)

# A verb conjoined to the last noun of the clause before it: a conjunct of that clause's verb.
CONJ_OF_NOUN = parse(
    """
    Latvia   2  nsubj     nsubj     PROPN NNP Latvia  B-GPE
    will     2  aux       aux       AUX   MD  will    O
    send     2  root      ROOT      VERB  VB  send    O
    troops   2  obj       dobj      NOUN  NNS troop   O
    to       6  case      prep      ADP   IN  to      O
    the      6  det       det       DET   DT  the     O
    border   2  obl       pobj      NOUN  NN  border  O
    and      8  cc        cc        CCONJ CC  and     O
    counter  6  conj      conj      VERB  VB  counter O
    the      10 det       det       DET   DT  the     O
    threat   8  obj       dobj      NOUN  NN  threat  O
    of       12 case      prep      ADP   IN  of      O
    Smith    10 nmod      pobj      PROPN NNP Smith   B-PERSON
    .        2  punct     punct     PUNCT .   .       O
    """,
    clear_heads=[2, 2, 2, 2, 2, 6, 4, 8, 6, 10, 8, 10, 11, 2],
)

# The requester hangs on the request's own "for" complement, as parsers often attach it.
REQUEST_FROM = parse(
    """
    Iran     2 nsubj nsubj PROPN NNP Iran    B-GPE
    must     2 aux   aux   AUX   MD  must    O
    respond  2 root  ROOT  VERB  VB  respond O
    to       5 case  prep  ADP   IN  to      O
    a        5 det   det   DET   DT  a       O
    request  2 obl   pobj  NOUN  NN  request O
    for      7 case  prep  ADP   IN  for     O
    talks    5 nmod  pobj  NOUN  NNS talk    O
    from     9 case  prep  ADP   IN  from    O
    Qatar    7 nmod  pobj  PROPN NNP Qatar   B-GPE
    .        2 punct punct PUNCT .   .       O
    """,
    clear_heads=[2, 2, 2, 2, 5, 3, 5, 6, 7, 8, 2],
)

INVITATION_POSS = parse(
    """
    Iran        3 nsubj     nsubj PROPN NNP Iran       B-GPE
    did         3 aux       aux   AUX   VBD do         O
    not         3 advmod    neg   PART  RB  not        O
    accept      3 root      ROOT  VERB  VB  accept     O
    Qatar       6 nmod:poss poss  PROPN NNP Qatar      B-GPE
    's          4 case      case  PART  POS 's         O
    invitation  3 obj       dobj  NOUN  NN  invitation O
    .           3 punct     punct PUNCT .   .          O
    """
)

BLOC_MEMBERS = parse(
    """
    Estonia   1 nsubj nsubj PROPN NNP Estonia  B-GPE
    accused   1 root  ROOT  VERB  VBD accuse   O
    Baltic    3 amod  amod  ADJ   JJ  baltic   O
    members   1 obj   dobj  NOUN  NNS member   O
    .         1 punct punct PUNCT .   .        O
    """
)

WANT_TO_SEE = parse(
    """
    Finland  1 nsubj nsubj PROPN NNP Finland B-GPE
    wants    1 root  ROOT  VERB  VBZ want    O
    to       3 mark  aux   PART  TO  to      O
    see      1 xcomp xcomp VERB  VB  see     O
    Russia   3 obj   dobj  PROPN NNP Russia  B-GPE
    meet     3 xcomp xcomp VERB  VB  meet    O
    Estonia  5 obj   dobj  PROPN NNP Estonia B-GPE
    .        1 punct punct PUNCT .   .       O
    """
)

# Object control: ClearNLP parses "urged X to V" as a clause with its own subject (ccomp +
# nsubj); the view gives it UD's shape (X the object, "to V" an xcomp).
OBJECT_CONTROL = parse(
    """
    Latvia    1 nsubj nsubj PROPN NNP Latvia    B-GPE
    urged     1 root  ROOT  VERB  VBD urge      O
    Lithuania 1 obj   nsubj PROPN NNP Lithuania B-GPE
    to        4 mark  aux   PART  TO  to        O
    meet      1 xcomp ccomp VERB  VB  meet      O
    Poland    4 obj   dobj  PROPN NNP Poland    B-GPE
    .         1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 4, 4, 1, 4, 1],
)

# ClearNLP reads "with X to V" as the preposition's clause with X its subject.
MET_WITH_TO = parse(
    """
    Chile   1 nsubj nsubj PROPN NNP Chile   B-GPE
    met     1 root  ROOT  VERB  VBD meet    O
    with    3 case  prep  ADP   IN  with    O
    Peru    1 obl   nsubj PROPN NNP Peru    B-GPE
    to      5 mark  aux   PART  TO  to      O
    discuss 1 advcl pcomp VERB  VB  discuss O
    trade   5 obj   dobj  NOUN  NN  trade   O
    .       1 punct punct PUNCT .   .       O
    """,
    clear_heads=[1, 1, 1, 5, 5, 2, 5, 1],
)

# A linking verb's predicate nominal is a role, never an object (ClearNLP: attr).
LINKING_ROLE = parse(
    """
    Lee         1 nsubj    nsubj    PROPN NNP Lee         B-PERSON
    became      1 root     ROOT     VERB  VBD become      O
    Deputy      3 compound compound PROPN NNP Deputy      B-ORG
    Coordinator 1 obj      attr     PROPN NNP Coordinator I-ORG
    .           1 punct    punct    PUNCT .   .           O
    """
)

# Consulting about an event is not with the event's participants.
ATTEND_MEETING_OF = parse(
    """
    Chile    1 nsubj nsubj PROPN NNP Chile    B-GPE
    attended 1 root  ROOT  VERB  VBD attend   O
    the      3 det   det   DET   DT  the      O
    meetings 1 obj   dobj  NOUN  NNS meeting  O
    of       5 case  prep  ADP   IN  of       O
    OPEC     3 nmod  pobj  PROPN NNP OPEC     B-ORG
    .        1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 1],
)

# The recogniser cut a hyphenated name ("Han Duck" of "Han Duck-soo"); the parse heads it on
# the piece after the hyphen.
HYPHEN_NAME = parse(
    """
    Lee  1 nsubj    nsubj    PROPN NNP Lee  B-PERSON
    met  1 root     ROOT     VERB  VBD meet O
    with 6 case     prep     ADP   IN  with O
    Han  6 compound compound PROPN NNP Han  B-PERSON
    Duck 6 compound compound PROPN NNP Duck I-PERSON
    -    6 punct    punct    PUNCT HYPH -   O
    soo  1 obl      pobj     NOUN  NN  soo  O
    .    1 punct    punct    PUNCT .   .    O
    """,
    clear_heads=[1, 1, 1, 6, 6, 6, 2, 1],
    glued=frozenset({4, 5}),
)

# A headline with no verb the parser found: the surface reading never pairs across "and".
SURFACE_AND = parse(
    """
    Chile  5 compound compound PROPN NNP Chile  B-GPE
    and    0 cc       cc       CCONJ CC  and    O
    armed  5 amod     amod     ADJ   JJ  armed  O
    Peru   5 compound compound PROPN NNP Peru   B-GPE
    border 5 compound compound NOUN  NN  border O
    forces 5 root     ROOT     NOUN  NNS force  O
    """
)

# A parsed verb's own object is not the surface reading's target: "asked a US banker".
SURFACE_OWN_OBJECT = parse(
    """
    Chile  1 nsubj    nsubj    PROPN NNP Chile  B-GPE
    asked  1 root     ROOT     VERB  VBD ask    O
    a      4 det      det      DET   DT  a      O
    Peru   4 compound compound PROPN NNP Peru   B-GPE
    banker 1 obj      dobj     NOUN  NN  banker O
    .      1 punct    punct    PUNCT .   .      O
    """
)

# The owner of the object is a target only of a verb that judges or answers its act: not here.
REAFFIRM_OWNER = parse(
    """
    Latvia     1 nsubj     nsubj PROPN NNP Latvia     B-GPE
    reaffirmed 1 root      ROOT  VERB  VBD reaffirm   O
    Estonia    4 nmod:poss poss  PROPN NNP Estonia    B-GPE
    's         2 case      case  PART  POS 's         O
    support    1 obj       dobj  NOUN  NN  support    O
    for        6 case      prep  ADP   IN  for        O
    Ukraine    4 nmod      pobj  PROPN NNP Ukraine    B-GPE
    .          1 punct     punct PUNCT .   .          O
    """,
    clear_heads=[1, 1, 4, 2, 1, 4, 5, 1],
)

# Conditional threats: an intended coercive act with an "if" clause threatens its subject.
COND_SANCTIONS = parse(
    """
    Latvia     1 nsubj nsubj PROPN NNP Latvia   B-GPE
    vowed      1 root  ROOT  VERB  VBD vow      O
    to         3 mark  aux   PART  TO  to       O
    impose     1 xcomp xcomp VERB  VB  impose   O
    sanctions  3 obj   dobj  NOUN  NNS sanction O
    if         7 mark  mark  SCONJ IN  if       O
    Smith      7 nsubj nsubj PROPN NNP Smith    B-PERSON
    leaves     3 advcl advcl VERB  VBZ leave    O
    .          1 punct punct PUNCT .   .        O
    """
)

COND_STRIKE = parse(
    """
    Iran    2 nsubj nsubj PROPN NNP Iran   B-GPE
    will    2 aux   aux   AUX   MD  will   O
    strike  2 root  ROOT  VERB  VB  strike O
    if      5 mark  mark  SCONJ IN  if     O
    Iraq    5 nsubj nsubj PROPN NNP Iraq   B-GPE
    moves   2 advcl advcl VERB  VBZ move   O
    troops  5 obj   dobj  NOUN  NNS troop  O
    .       2 punct punct PUNCT .   .      O
    """
)

# The act has an actor target of its own: that target is the one threatened.
COND_TARGETED = parse(
    """
    Latvia     1 nsubj nsubj PROPN NNP Latvia   B-GPE
    vowed      1 root  ROOT  VERB  VBD vow      O
    to         3 mark  aux   PART  TO  to       O
    impose     1 xcomp xcomp VERB  VB  impose   O
    sanctions  3 obj   dobj  NOUN  NNS sanction O
    on         6 case  prep  ADP   IN  on       O
    Belarus    3 obl   pobj  PROPN NNP Belarus  B-GPE
    if         9 mark  mark  SCONJ IN  if       O
    Smith      9 nsubj nsubj PROPN NNP Smith    B-PERSON
    leaves     3 advcl advcl VERB  VBZ leave    O
    .          1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 3, 1, 3, 3, 5, 9, 9, 3, 1],
)

# Light verb + "pressure on X": X is pressured; also in a headline the tagger reads as nouns.
PRESSURE_ON = parse(
    """
    Estonia   1 nsubj nsubj PROPN NNP Estonia  B-GPE
    piled     1 root  ROOT  VERB  VBD pile     O
    pressure  1 obj   dobj  NOUN  NN  pressure O
    on        4 case  prep  ADP   IN  on       O
    Russia    2 nmod  pobj  PROPN NNP Russia   B-GPE
    .         1 punct punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 1, 2, 3, 1],
)

PRESSURE_HEADLINE = parse(
    """
    Baltic    1 amod     amod     ADJ   JJ  baltic   O
    allies    3 compound compound NOUN  NNS ally     O
    pile      3 compound compound NOUN  NN  pile     O
    pressure  3 root     ROOT     NOUN  NN  pressure O
    on        5 case     prep     ADP   IN  on       O
    Smith     3 nmod     pobj     PROPN NNP Smith    B-PERSON
    """,
    clear_heads=[1, 3, 3, 3, 3, 4],
)

RECOGNISE_PART_OF = parse(
    """
    Canada     1 nsubj nsubj PROPN NNP Canada    B-GPE
    recognised 1 root  ROOT  VERB  VBD recognise O
    Abkhazia   1 obj   dobj  PROPN NNP Abkhazia  B-GPE
    as         5 case  prep  ADP   IN  as        O
    a          5 det   det   DET   DT  a         O
    part       1 obl   pobj  NOUN  NN  part      O
    of         7 case  prep  ADP   IN  of        O
    Georgia    5 nmod  pobj  PROPN NNP Georgia   B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 5, 3, 5, 6, 1],
)

RECOGNISE_DEMONYM = parse(
    """
    Canada     1 nsubj nsubj PROPN NNP Canada    B-GPE
    recognised 1 root  ROOT  VERB  VBD recognise O
    Abkhazia   1 obj   dobj  PROPN NNP Abkhazia  B-GPE
    as         5 case  prep  ADP   IN  as        O
    Georgian   5 amod  amod  ADJ   JJ  georgian  B-NORP
    territory  1 obl   pobj  NOUN  NN  territory O
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 5, 3, 1],
)

# "as a partner": no land noun, so the recognised state stays the target.
RECOGNISE_AS_PARTNER = parse(
    """
    Canada     1 nsubj nsubj PROPN NNP Canada    B-GPE
    recognised 1 root  ROOT  VERB  VBD recognise O
    Kosovo     1 obj   dobj  PROPN NNP Kosovo    B-GPE
    as         5 case  prep  ADP   IN  as        O
    a          5 det   det   DET   DT  a         O
    partner    1 obl   pobj  NOUN  NN  partner   O
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 5, 3, 1],
)

IT_SAID = parse(
    """
    Norway 1 nsubj nsubj PROPN NNP Norway B-GPE
    said   1 root  ROOT  VERB  VBD say    O
    it     4 nsubj nsubj PRON  PRP it     O
    had    4 aux   aux   AUX   VBD have   O
    halted 1 ccomp ccomp VERB  VBN halt   O
    aid    4 obj   dobj  NOUN  NN  aid    O
    to     7 case  prep  ADP   IN  to     O
    Belarus 5 nmod  pobj  PROPN NNP Belarus B-GPE
    .      1 punct punct PUNCT .   .      O
    """,
    clear_heads=[1, 1, 4, 4, 1, 4, 5, 6, 1],
)

# A person's "it" is not the person.
IT_SAID_PERSON = parse(
    """
    Smith  1 nsubj nsubj PROPN NNP Smith  B-PERSON
    said   1 root  ROOT  VERB  VBD say    O
    it     4 nsubj nsubj PRON  PRP it     O
    had    4 aux   aux   AUX   VBD have   O
    halted 1 ccomp ccomp VERB  VBN halt   O
    aid    4 obj   dobj  NOUN  NN  aid    O
    to     7 case  prep  ADP   IN  to     O
    Belarus 5 nmod  pobj  PROPN NNP Belarus B-GPE
    .      1 punct punct PUNCT .   .      O
    """,
    clear_heads=[1, 1, 4, 4, 1, 4, 5, 6, 1],
)

# A demand noun whose clause names who is to act: a request to that actor.
DEMAND_NOUN = parse(
    """
    Norway    1 nsubj     nsubj PROPN NNP Norway   B-GPE
    repeated  1 root      ROOT  VERB  VBD repeat   O
    its       3 nmod:poss poss  PRON  PRP$ its     O
    demand    1 obj       dobj  NOUN  NN  demand   O
    that      6 mark      mark  SCONJ IN  that     O
    Russia    6 nsubj     nsubj PROPN NNP Russia   B-GPE
    release   3 acl       acl   VERB  VB  release  O
    Smith     6 obj       dobj  PROPN NNP Smith    B-PERSON
    .         1 punct     punct PUNCT .   .        O
    """
)

# A verb of asking with a "that" clause: a request to the clause's subject, whose act is
# requested.
DEMAND_CLAUSE = parse(
    """
    Norway    1 nsubj nsubj PROPN NNP Norway   B-GPE
    demanded  1 root  ROOT  VERB  VBD demand   O
    that      4 mark  mark  SCONJ IN  that     O
    Russia    4 nsubj nsubj PROPN NNP Russia   B-GPE
    release   1 ccomp ccomp VERB  VB  release  O
    Smith     4 obj   dobj  PROPN NNP Smith    B-PERSON
    .         1 punct punct PUNCT .   .        O
    """
)

# "insisted that X would …" asserts: no request.
INSIST_ASSERTS = parse(
    """
    Norway    1 nsubj nsubj PROPN NNP Norway   B-GPE
    insisted  1 root  ROOT  VERB  VBD insist   O
    that      5 mark  mark  SCONJ IN  that     O
    Russia    5 nsubj nsubj PROPN NNP Russia   B-GPE
    would     5 aux   aux   AUX   MD  would    O
    release   1 ccomp ccomp VERB  VB  release  O
    Smith     5 obj   dobj  PROPN NNP Smith    B-PERSON
    .         1 punct punct PUNCT .   .        O
    """
)

# The issuer of a statement is the agent of the participle that gives its content.
STATEMENT_PARTICIPLE = parse(
    """
    NATO        1 nsubj nsubj PROPN NNP NATO      B-ORG
    issued      1 root  ROOT  VERB  VBD issue     O
    a           3 det   det   DET   DT  a         O
    statement   1 obj   dobj  NOUN  NN  statement O
    condemning  3 acl   acl   VERB  VBG condemn   O
    Russia      4 obj   dobj  PROPN NNP Russia    B-GPE
    .           1 punct punct PUNCT .   .         O
    """
)

# A hostile act as the subject: the state named in front of it acts.
ACT_SUBJECT = parse(
    """
    US       2 compound compound PROPN NNP US      B-GPE
    drone    2 compound compound NOUN  NN  drone   O
    strikes  3 nsubj    nsubj    NOUN  NNS strike  O
    killed   3 root     ROOT     VERB  VBD kill    O
    Smith    3 obj      dobj     PROPN NNP Smith   B-PERSON
    .        3 punct    punct    PUNCT .   .       O
    """
)

# Any other subject that is no actor stays without one.
NON_ACT_SUBJECT = parse(
    """
    US       2 compound compound PROPN NNP US      B-GPE
    trade    2 compound compound NOUN  NN  trade   O
    rules    3 nsubj    nsubj    NOUN  NNS rule    O
    hurt     3 root     ROOT     VERB  VBD hurt    O
    Smith    3 obj      dobj     PROPN NNP Smith   B-PERSON
    .        3 punct    punct    PUNCT .   .       O
    """
)

# "would" under a past speech verb reports a "will"; with "if" it is hypothetical.
WOULD_IF = parse(
    """
    Norway    1 nsubj nsubj PROPN NNP Norway   B-GPE
    said      1 root  ROOT  VERB  VBD say      O
    it        4 nsubj nsubj PRON  PRP it       O
    would     4 aux   aux   AUX   MD  would    O
    sanction  1 ccomp ccomp VERB  VB  sanction O
    Russia    4 obj   dobj  PROPN NNP Russia   B-GPE
    if        8 mark  mark  SCONJ IN  if       O
    Smith     8 nsubj nsubj PROPN NNP Smith    B-PERSON
    stayed    4 advcl advcl VERB  VBD stay     O
    .         1 punct punct PUNCT .   .        O
    """
)


# Two parties that hold talks (renew, resume negotiations) hold them with each other.
MUTUAL_TALKS = parse(
    """
    Chile         3 nsubj nsubj PROPN NNP Chile       B-GPE
    and           2 cc    cc    CCONJ CC  and         O
    Peru          0 conj  conj  PROPN NNP Peru        B-GPE
    renewed       3 root  ROOT  VERB  VBD renew       O
    negotiations  3 obj   dobj  NOUN  NNS negotiation O
    .             3 punct punct PUNCT .   .           O
    """
)

# A light verb with an invasion: the invaded state after "of".
INVASION_OF = parse(
    """
    Chile     1 nsubj     nsubj PROPN NNP Chile    B-GPE
    mounted   1 root      ROOT  VERB  VBD mount    O
    an        3 det       det   DET   DT  an       O
    invasion  1 obj       dobj  NOUN  NN  invasion O
    of        5 case      prep  ADP   IN  of       O
    Peru      3 nmod      pobj  PROPN NNP Peru     B-GPE
    .         1 punct     punct PUNCT .   .        O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 1],
)

# A day between subject and verb, taken by the parser for the subject.
DAY_SUBJECT = parse(
    """
    Chile      1 compound compound PROPN NNP Chile     B-GPE
    Tuesday    2 nsubj    nsubj    PROPN NNP Tuesday   B-DATE
    expelled   2 root     ROOT     VERB  VBD expel     O
    Smith      2 obj      dobj     PROPN NNP Smith     B-PERSON
    .          2 punct    punct    PUNCT .   .         O
    """
)

# The parser cut the lead into verbless "sentences" of their own: name | day | clause.
FRAGMENT_LEAD = parse(
    """
    Chile      0 root  ROOT  PROPN NNP Chile     B-GPE
    Tuesday    1 root  ROOT  PROPN NNP Tuesday   B-DATE
    expelled   2 root  ROOT  VERB  VBD expel     O
    Smith      2 obj   dobj  PROPN NNP Smith     B-PERSON
    .          2 punct punct PUNCT .   .         O
    """
)

# A fragment that ends in punctuation is a sentence of its own, not the clause's subject.
FRAGMENT_CLOSED = parse(
    """
    Chile      0 root  ROOT  PROPN NNP Chile     B-GPE
    .          0 punct punct PUNCT .   .         O
    Expelled   2 root  ROOT  VERB  VBN expel     O
    Smith      2 obj   dobj  PROPN NNP Smith     B-PERSON
    .          2 punct punct PUNCT .   .         O
    """
)

# A nominal event in a clause: its demonym names the agent, a demonym under "against" the target.
DEMONYM_EVENT = parse(
    """
    Chilean    1 amod  amod  ADJ   JJ  chilean   B-NORP
    protests   6 nsubj nsubj NOUN  NNS protest   O
    against    5 case  prep  ADP   IN  against   O
    Peruvian   5 amod  amod  ADJ   JJ  peruvian  B-NORP
    fishing    5 compound compound NOUN NN fishing O
    rules      1 nmod  pobj  NOUN  NNS rule      O
    continued  6 root  ROOT  VERB  VBD continue  O
    .          6 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 6, 1, 5, 5, 2, 6, 6],
)

# The same phrase as a verbless line (a topic label over a story) asserts nothing.
DEMONYM_EVENT_LABEL = parse(
    """
    Chilean    1 amod  amod  ADJ   JJ  chilean   B-NORP
    protests   1 root  ROOT  NOUN  NNS protest   O
    against    3 case  prep  ADP   IN  against   O
    Peru       1 nmod  pobj  PROPN NNP Peru      B-GPE
    """,
    clear_heads=[1, 1, 1, 2],
)

# A rally "with" someone is no act on them.
RALLY_WITH = parse(
    """
    Chilean    1 amod  amod  ADJ   JJ  chilean   B-NORP
    rallies    5 nsubj nsubj NOUN  NNS rally     O
    with       3 case  prep  ADP   IN  with      O
    Peru       1 nmod  pobj  PROPN NNP Peru      B-GPE
    have       5 aux   aux   AUX   VBP have      O
    grown      5 root  ROOT  VERB  VBN grow      O
    .          5 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 5, 1, 2, 5, 5, 5],
)

# Local people in a place act for its state; troops in a place may be foreign there.
LOCAL_GROUP = parse(
    """
    Protesters 3 nsubj nsubj NOUN  NNS protester O
    in         2 case  prep  ADP   IN  in        O
    Lima       0 nmod  pobj  PROPN NNP Lima      B-GPE
    attacked   3 root  ROOT  VERB  VBD attack    O
    Chilean    5 amod  amod  ADJ   JJ  chilean   B-NORP
    soldiers   3 obj   dobj  NOUN  NNS soldier   O
    .          3 punct punct PUNCT .   .         O
    """,
    clear_heads=[3, 0, 1, 3, 5, 3, 3],
)

TROOPS_IN_PLACE = parse(
    """
    Troops     3 nsubj nsubj NOUN  NNS troops    O
    in         2 case  prep  ADP   IN  in        O
    Lima       0 nmod  pobj  PROPN NNP Lima      B-GPE
    attacked   3 root  ROOT  VERB  VBD attack    O
    Chilean    5 amod  amod  ADJ   JJ  chilean   B-NORP
    soldiers   3 obj   dobj  NOUN  NNS soldier   O
    .          3 punct punct PUNCT .   .         O
    """,
    clear_heads=[3, 0, 1, 3, 5, 3, 3],
)

# A quantity noun stands for what it counts.
QUANTITY_OF = parse(
    """
    Thousands  3 nsubj nsubj NOUN  NNS thousand  O
    of         2 case  prep  ADP   IN  of        O
    Peruvians  0 nmod  pobj  PROPN NNPS Peruvians B-NORP
    attacked   3 root  ROOT  VERB  VBD attack    O
    Chilean    5 amod  amod  ADJ   JJ  chilean   B-NORP
    soldiers   3 obj   dobj  NOUN  NNS soldier   O
    .          3 punct punct PUNCT .   .         O
    """,
    clear_heads=[3, 0, 1, 3, 5, 3, 3],
)

# A purpose infinitive: the subject's aim, not a done act.
PURPOSE = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    sent       1 root  ROOT  VERB  VBD send      O
    ships      1 obj   dobj  NOUN  NNS ship      O
    to         4 mark  aux   PART  TO  to        O
    blockade   1 advcl advcl VERB  VB  blockade  O
    Peru       4 obj   dobj  PROPN NNP Peru      B-GPE
    .          1 punct punct PUNCT .   .         O
    """
)

# A warning whose "that" clause says what must be done asks it of the one addressed ("it").
WARNING_MUST = parse(
    """
    Chile      1 nsubj     nsubj PROPN NNP Chile     B-GPE
    issued     1 root      ROOT  VERB  VBD issue     O
    a          3 det       det   DET   DT  a         O
    warning    1 obj       dobj  NOUN  NN  warning   O
    to         5 case      prep  ADP   IN  to        O
    Peru       3 nmod      pobj  PROPN NNP Peru      B-GPE
    that       9 mark      mark  SCONJ IN  that      O
    it         9 nsubj     nsubj PRON  PRP it        O
    must       9 aux       aux   AUX   MD  must      O
    comply     3 acl:relcl relcl VERB  VB  comply    O
    .          1 punct     punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 9, 9, 9, 3, 1],
)

# Without "must" or "should" the clause states a fact: no demand.
REMINDER_FACT = parse(
    """
    Chile      1 nsubj     nsubj PROPN NNP Chile     B-GPE
    issued     1 root      ROOT  VERB  VBD issue     O
    a          3 det       det   DET   DT  a         O
    reminder   1 obj       dobj  NOUN  NN  reminder  O
    to         5 case      prep  ADP   IN  to        O
    Peru       3 nmod      pobj  PROPN NNP Peru      B-GPE
    that       8 mark      mark  SCONJ IN  that      O
    talks      8 nsubj     nsubj NOUN  NNS talk      O
    resume     3 acl:relcl relcl VERB  VBP resume    O
    .          1 punct     punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 8, 8, 3, 1],
)

# People named by an organisation before them act for it.
NAMED_BODY = parse(
    """
    Nato       1 compound compound PROPN NNP Nato      B-ORG
    officials  2 nsubj    nsubj    NOUN  NNS official  O
    condemned  2 root     ROOT     VERB  VBD condemn   O
    Russia     2 obj      dobj     PROPN NNP Russia    B-GPE
    .          2 punct    punct    PUNCT .   .         O
    """
)

# A compound object is coded by the modifier the tables name ("aid payments": aid).
AID_PAYMENTS = parse(
    """
    Chile      1 nsubj    nsubj    PROPN NNP Chile     B-GPE
    suspended  1 root     ROOT     VERB  VBD suspend   O
    aid        3 compound compound NOUN  NN  aid       O
    payments   1 obj      dobj     NOUN  NNS payment   O
    .          1 punct    punct    PUNCT .   .         O
    """
)

# The surface reading stops at a verb the parser found: "demands" after it is no verb.
PARSED_VERB_FIRST = parse(
    """
    Chile      1 nsubj    nsubj    PROPN NNP Chile     B-GPE
    accepted   1 root     ROOT     VERB  VBD accept    O
    demands    1 obj      dobj     NOUN  NNS demand    O
    from       4 case     prep     ADP   IN  from      O
    rebels     2 nmod     pobj     NOUN  NNS rebel     O
    near       6 case     prep     ADP   IN  near      O
    Peru       4 nmod     pobj     PROPN NNP Peru      B-GPE
    .          1 punct    punct    PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 2, 3, 4, 5, 1],
)

# ... but a light verb lets the event noun after it be read ("with Peru" misattached to "held").
LIGHT_VERB_SURFACE = parse(
    """
    Chile      1 nsubj    nsubj    PROPN NNP Chile     B-GPE
    held       1 root     ROOT     VERB  VBD hold      O
    talks      1 obj      dobj     NOUN  NNS talk      O
    with       4 case     prep     ADP   IN  with      O
    Peru       1 obl      pobj     PROPN NNP Peru      B-GPE
    .          1 punct    punct    PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 3, 1],
)

# "agreed to postpone the vote": an event of the subject with no actor target.
AGREE_TO_ACT = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile    B-GPE
    agreed     1 root  ROOT  VERB  VBD agree    O
    to         3 mark  aux   PART  TO  to       O
    postpone   1 xcomp xcomp VERB  VB  postpone O
    the        5 det   det   DET   DT  the      O
    vote       3 obj   dobj  NOUN  NN  vote     O
    .          1 punct punct PUNCT .   .        O
    """
)


# Where an event happens: a named place in an "in/at/to" phrase below the predicate.
CURFEW_IN = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    imposed    1 root  ROOT  VERB  VBD impose    O
    a          3 det   det   DET   DT  a         O
    curfew     1 obj   dobj  NOUN  NN  curfew    O
    in         5 case  prep  ADP   IN  in        O
    Arica      3 nmod  pobj  PROPN NNP Arica     B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 1],
)

# A purpose infinitive with no place of its own takes its head's ("sent envoys to Lima to meet").
PURPOSE_PLACE = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    sent       1 root  ROOT  VERB  VBD send      O
    envoys     1 obj   dobj  NOUN  NNS envoy     O
    to         4 case  prep  ADP   IN  to        O
    Lima       1 obl   pobj  PROPN NNP Lima      B-GPE
    to         6 mark  aux   PART  TO  to        O
    meet       1 advcl advcl VERB  VB  meet      O
    Peru       6 obj   dobj  PROPN NNP Peru      B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 3, 6, 1, 6, 1],
)

# The place of another event, reached through "after", is not this one's.
PLACE_BARRIER = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    condemned  1 root  ROOT  VERB  VBD condemn   O
    Peru       1 obj   dobj  PROPN NNP Peru      B-GPE
    after      4 case  prep  ADP   IN  after     O
    riots      1 obl   pobj  NOUN  NNS riot      O
    in         6 case  prep  ADP   IN  in        O
    Lima       4 nmod  pobj  PROPN NNP Lima      B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 3, 4, 5, 1],
)


# A group named by its appositive insists on demands whose clause says who is to act.
INSIST_ON_DEMANDS = parse(
    """
    The        2 det       det      DET   DT  the        O
    rebel      2 compound  compound NOUN  NN  rebel      O
    group      8 nsubj     nsubj    NOUN  NN  group      O
    ,          2 punct     punct    PUNCT ,   ,          O
    the        6 det       det      DET   DT  the        O
    Liberation 6 compound  compound PROPN NNP Liberation B-ORG
    Front      2 appos     appos    PROPN NNP Front      I-ORG
    ,          2 punct     punct    PUNCT ,   ,          O
    insisted   8 root      ROOT     VERB  VBD insist     O
    on         11 case     prep     ADP   IN  on         O
    its        11 nmod:poss poss    PRON  PRP$ its       O
    demands    8 obl       pobj     NOUN  NNS demand     O
    that       14 mark     mark     SCONJ IN  that       O
    Peru       14 nsubj    nsubj    PROPN NNP Peru       B-GPE
    free       11 acl:relcl relcl   VERB  VB  free       O
    Smith      14 obj      dobj     PROPN NNP Smith      B-PERSON
    .          8 punct     punct    PUNCT .   .          O
    """,
    clear_heads=[2, 2, 8, 2, 6, 6, 2, 2, 8, 8, 11, 9, 14, 14, 11, 14, 8],
)


# An agentless passive between two names reads as no surface relation: the first is the
# patient, the second a place.
AGENTLESS_PASSIVE = parse(
    """
    Smith      4 nsubj:pass nsubjpass PROPN NNP Smith     B-PERSON
    from       2 case       prep      ADP   IN  from      O
    Lima       0 nmod       pobj      PROPN NNP Lima      B-GPE
    was        4 aux:pass   auxpass   AUX   VBD be        O
    arrested   4 root       ROOT      VERB  VBN arrest    O
    in         6 case       prep      ADP   IN  in        O
    Chile      4 obl        pobj      PROPN NNP Chile     B-GPE
    .          4 punct      punct     PUNCT .   .         O
    """,
    clear_heads=[4, 0, 1, 4, 4, 4, 5, 4],
)


# Whose the things acted on are: "the rights of Peruvians" are the Peruvians'.
RIGHTS_OF = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP  Chile     B-GPE
    supported  1 root  ROOT  VERB  VBD  support   O
    the        3 det   det   DET   DT   the       O
    rights     1 obj   dobj  NOUN  NNS  right     O
    of         5 case  prep  ADP   IN   of        O
    Peruvians  3 nmod  pobj  PROPN NNPS Peruvians B-NORP
    .          1 punct punct PUNCT .    .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 4, 1],
)

# A commitment ("pledged to send"): an intent expressed, unlike a bare "will".
PLEDGE_AID = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    pledged    1 root  ROOT  VERB  VBD pledge    O
    to         3 mark  aux   PART  TO  to        O
    send       1 xcomp xcomp VERB  VB  send      O
    aid        3 obj   dobj  NOUN  NN  aid       O
    to         6 case  prep  ADP   IN  to        O
    Peru       3 obl   pobj  PROPN NNP Peru      B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 3, 5, 1],
)

READY_AID = parse(
    """
    Chile      2 nsubj nsubj PROPN NNP Chile     B-GPE
    is         2 cop   cop   AUX   VBZ be        O
    ready      2 root  ROOT  ADJ   JJ  ready     O
    to         4 mark  aux   PART  TO  to        O
    send       2 xcomp xcomp VERB  VB  send      O
    aid        4 obj   dobj  NOUN  NN  aid       O
    to         7 case  prep  ADP   IN  to        O
    Peru       4 obl   pobj  PROPN NNP Peru      B-GPE
    .          2 punct punct PUNCT .   .         O
    """,
    clear_heads=[2, 2, 2, 4, 2, 4, 4, 6, 2],
)

WILL_AID = parse(
    """
    Chile      2 nsubj nsubj PROPN NNP Chile     B-GPE
    will       2 aux   aux   AUX   MD  will      O
    send       2 root  ROOT  VERB  VB  send      O
    aid        2 obj   dobj  NOUN  NN  aid       O
    to         5 case  prep  ADP   IN  to        O
    Peru       2 obl   pobj  PROPN NNP Peru      B-GPE
    .          2 punct punct PUNCT .   .         O
    """,
    clear_heads=[2, 2, 2, 2, 2, 4, 2],
)


# A verb of saying whose object makes it an act: "declared a ceasefire".
DECLARE_CEASEFIRE = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    declared   1 root  ROOT  VERB  VBD declare   O
    a          3 det   det   DET   DT  a         O
    ceasefire  1 obj   dobj  NOUN  NN  ceasefire O
    .          1 punct punct PUNCT .   .         O
    """
)

# "pro-Peruvian" is a stance, not a nationality: the rebels are nobody's state.
PRO_STANCE = parse(
    """
    pro        3 amod  amod  ADJ   JJ  pro       O
    -          2 punct punct PUNCT HYPH -        O
    Peruvian   3 amod  amod  ADJ   JJ  peruvian  B-NORP
    rebels     4 nsubj nsubj NOUN  NNS rebel     O
    attacked   4 root  ROOT  VERB  VBD attack    O
    Chile      4 obj   dobj  PROPN NNP Chile     B-GPE
    .          4 punct punct PUNCT .   .         O
    """,
    glued=frozenset({0, 1}),
)

# An organisation the recogniser split ("al - Qaeda") is found by its whole name.
SPLIT_ORG = parse(
    """
    al         3 compound compound PROPN NNP al        O
    -          2 punct    punct    PUNCT HYPH -        O
    Qaeda      0 flat     compound PROPN NNP Qaeda     B-PERSON
    fighters   4 nsubj    nsubj    NOUN  NNS fighter   O
    attacked   4 root     ROOT     VERB  VBD attack    O
    Chile      4 obj      dobj     PROPN NNP Chile     B-GPE
    .          4 punct    punct    PUNCT .   .         O
    """,
    clear_heads=[2, 2, 3, 4, 4, 4, 4],
    glued=frozenset({0, 1}),
)


# Local people with no place of their own act for the state of their clause's place.
LOCAL_BY_CLAUSE = parse(
    """
    Protesters 1 nsubj nsubj NOUN  NNS protester O
    blocked    1 root  ROOT  VERB  VBD block     O
    roads      1 obj   dobj  NOUN  NNS road      O
    in         4 case  prep  ADP   IN  in        O
    Lima       2 nmod  pobj  PROPN NNP Lima      B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 2, 3, 1],
)


# A verb that ends what its object names: the lifting is the event, not the sanctions.
LIFT_SANCTIONS = parse(
    """
    Chile      1 nsubj nsubj PROPN NNP Chile     B-GPE
    lifted     1 root  ROOT  VERB  VBD lift      O
    sanctions  1 obj   dobj  NOUN  NNS sanction  O
    on         4 case  prep  ADP   IN  on        O
    Peru       2 nmod  pobj  PROPN NNP Peru      B-GPE
    .          1 punct punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 2, 3, 1],
)

# ... and no surface reading pairs the names across a verb the parse gave another object.
CALLED_OFF = parse(
    """
    Chile      1 nsubj        nsubj PROPN NNP Chile     B-GPE
    called     1 root         ROOT  VERB  VBD call      O
    off        1 compound:prt prt   ADP   RP  off       O
    talks      1 obj          dobj  NOUN  NNS talk      O
    with       5 case         prep  ADP   IN  with      O
    Peru       3 nmod         pobj  PROPN NNP Peru      B-GPE
    .          1 punct        punct PUNCT .   .         O
    """,
    clear_heads=[1, 1, 1, 1, 3, 4, 1],
)


# A word the tokenizer split at its hyphen is coded whole ("cease-fire").
HYPHEN_CEASEFIRE = parse(
    """
    Chile      1 nsubj    nsubj    PROPN NNP  Chile     B-GPE
    declared   1 root     ROOT     VERB  VBD  declare   O
    a          5 det      det      DET   DT   a         O
    cease      5 compound compound NOUN  NN   cease     O
    -          3 punct    punct    PUNCT HYPH -         O
    fire       1 obj      dobj     NOUN  NN   fire      O
    .          1 punct    punct    PUNCT .    .         O
    """,
    glued=frozenset({3, 4}),
)


# Not wanting to act (with a typographic apostrophe) negates the act intended.
NOT_WANT = parse(
    """
    Chile      3 nsubj  nsubj  PROPN NNP Chile     B-GPE
    does       3 aux    aux    AUX   VBZ do        O
    n’t        3 advmod neg    PART  RB  not       O
    want       3 root   ROOT   VERB  VB  want      O
    to         5 mark   aux    PART  TO  to        O
    attack     3 xcomp  xcomp  VERB  VB  attack    O
    Peru       5 obj    dobj   PROPN NNP Peru      B-GPE
    .          3 punct  punct  PUNCT .   .         O
    """,
    glued=frozenset({1}),
)

# A readiness put in question ("whether X is willing to") is no intent expressed.
WHETHER_WILLING = parse(
    """
    Smith      1 nsubj  nsubj  PROPN NNP Smith     B-PERSON
    doubts     1 root   ROOT   VERB  VBZ doubt     O
    whether    5 mark   mark   SCONJ IN  whether   O
    Peru       5 nsubj  nsubj  PROPN NNP Peru      B-GPE
    is         5 cop    cop    AUX   VBZ be        O
    willing    1 ccomp  ccomp  ADJ   JJ  willing   O
    to         7 mark   aux    PART  TO  to        O
    meet       5 xcomp  xcomp  VERB  VB  meet      O
    Chile      7 obj    dobj   PROPN NNP Chile     B-GPE
    .          1 punct  punct  PUNCT .   .         O
    """
)


# "it" misread as an expletive under an adjective of will, and "neighbouring" as a verb.
IT_WILLING = parse(
    """
    Chile        1 nsubj  nsubj  PROPN NNP Chile      B-GPE
    says         1 root   ROOT   VERB  VBZ say        O
    it           4 expl   expl   PRON  PRP it         O
    is           4 cop    cop    AUX   VBZ be         O
    prepared     1 ccomp  ccomp  ADJ   JJ  prepared   O
    to           6 mark   aux    PART  TO  to         O
    withdraw     4 xcomp  xcomp  VERB  VB  withdraw   O
    troops       6 obj    dobj   NOUN  NNS troop      O
    from         9 mark   prep   ADP   IN  from       O
    neighbouring 6 advcl  pcomp  VERB  VBG neighbour  O
    Peru         9 obj    dobj   PROPN NNP Peru       B-GPE
    .            1 punct  punct  PUNCT .   .          O
    """,
    clear_heads=[1, 1, 4, 4, 1, 6, 4, 6, 6, 8, 9, 1],
)

# A demonym of two words names the state of the people it modifies.
HACK_OFFICERS = parse(
    """
    Chile      1 nsubj    nsubj    PROPN NNP Chile     B-GPE
    hacked     1 root     ROOT     VERB  VBD hack      O
    the        3 det      det      DET   DT  the       O
    networks   1 obj      dobj     NOUN  NNS network   O
    of         7 case     prep     ADP   IN  of        O
    South      6 compound compound PROPN NNP South     B-NORP
    Korean     7 amod     amod     PROPN NNP Korean    I-NORP
    officers   3 nmod     pobj     NOUN  NNS officer   O
    .          1 punct    punct    PUNCT .   .         O
    """,
    clear_heads=[1, 1, 3, 1, 3, 6, 7, 4, 1],
)

# An event noun coded by what it acts on; that thing's "with" phrase names the target.
SUSPENSION_WITH = parse(
    """
    Chile       1 nsubj    nsubj    PROPN NNP Chile       B-GPE
    announced   1 root     ROOT     VERB  VBD announce    O
    the         3 det      det      DET   DT  the         O
    suspension  1 obj      dobj     NOUN  NN  suspension  O
    of          6 case     prep     ADP   IN  of          O
    rail        6 compound compound NOUN  NN  rail        O
    links       3 nmod     pobj     NOUN  NNS link        O
    with        8 case     prep     ADP   IN  with        O
    Peru        6 nmod     pobj     PROPN NNP Peru        B-GPE
    .           1 punct    punct    PUNCT .   .           O
    """,
    clear_heads=[1, 1, 3, 1, 3, 6, 4, 6, 7, 1],
)

# A verb the tagger took for a noun, with the day news puts before it (no verb in the parse).
DAY_DENOUNCED = parse(
    """
    Chile      0  root     ROOT     PROPN NNP Chile      B-GPE
    on         3  case     prep     ADP   IN  on         O
    Friday     3  compound compound PROPN NNP Friday     O
    denounced  0  nmod     pobj     NOUN  NN  denounced  O
    as         10 case     prep     ADP   IN  as         O
    a          7  det      det      DET   DT  a          O
    brutal     7  amod     amod     ADJ   JJ  brutal     O
    act        10 compound compound NOUN  NN  act        O
    Peru       10 nmod:poss poss    PROPN NNP Peru       B-GPE
    's         8  case     case     PART  POS 's         O
    crackdown  0  nmod     pobj     NOUN  NN  crackdown  O
    .          0  punct    punct    PUNCT .   .          O
    """,
    clear_heads=[0, 0, 3, 1, 0, 7, 7, 10, 10, 8, 4, 0],
    glued=frozenset({8}),
)


# A verbless line: a word after a preposition ("for talks") is a noun, not a surface verb.
FOR_TALKS = parse(
    """
    Envoys     0 root     ROOT     NOUN  NNS envoy      O
    in         2 case     prep     ADP   IN  in         O
    Lima       0 nmod     pobj     PROPN NNP Lima       B-GPE
    for        4 case     prep     ADP   IN  for        O
    talks      0 nmod     pobj     NOUN  NNS talk       O
    with       6 case     prep     ADP   IN  with       O
    Peru       4 nmod     pobj     PROPN NNP Peru       B-GPE
    """,
    clear_heads=[0, 0, 1, 0, 3, 4, 5],
)


# A clause verb tagged as a noun, its "that" taken for the object, hung loosely on the verb.
DEMAND_EASE = parse(
    """
    Chile       1 nsubj     nsubj   PROPN NNP Chile       B-GPE
    reiterated  1 root      ROOT    VERB  VBD reiterate   O
    its         3 nmod:poss poss    PRON  PRP$ its        O
    demand      1 obj       dobj    NOUN  NN  demand      O
    that        6 obj       dobj    PRON  WDT that        O
    Peru        6 nsubj     nsubj   PROPN NNP Peru        B-GPE
    ease        1 dep       dep     NOUN  NN  ease        O
    curbs       6 obj       dobj    NOUN  NNS curb        O
    .           1 punct     punct   PUNCT .   .           O
    """
)

# "suspected" read as a clause of the verb, the person it qualifies as its complement.
SUSPECTED_EXTRADITED = parse(
    """
    Chile       1 nsubj  nsubj  PROPN NNP Chile      B-GPE
    extradited  1 root   ROOT   VERB  VBD extradite  O
    suspected   1 xcomp  xcomp  VERB  VBN suspect    O
    Peruvian    4 amod   amod   ADJ   JJ  peruvian   B-NORP
    rebels      2 xcomp  xcomp  NOUN  NNS rebel      O
    to          6 case   prep   ADP   IN  to         O
    Bolivia     2 obl    pobj   PROPN NNP Bolivia    B-GPE
    .           1 punct  punct  PUNCT .   .          O
    """,
    clear_heads=[1, 1, 1, 4, 2, 2, 5, 1],
)

# A verb tagged as a noun keeps the noun's lemma; the surface reading still finds the verb.
NOUN_VETOED = parse(
    """
    Chile       1 nsubj     nsubj   PROPN NNP Chile       B-GPE
    vetoed      1 root      ROOT    NOUN  NN  vetoed      O
    a           4 det       det     DET   DT  a           O
    Peru        4 compound  compound PROPN NNP Peru       B-GPE
    motion      1 obj       dobj    NOUN  NN  motion      O
    .           1 punct     punct   PUNCT .   .           O
    """
)


# One unnamed official of a state acts for it; "the official" (someone named before) does not.
LONE_OFFICIAL = parse(
    """
    A          2 det    det    DET   DT  a         O
    Peruvian   2 amod   amod   ADJ   JJ  peruvian  B-NORP
    official   3 nsubj  nsubj  NOUN  NN  official  O
    accused    3 root   ROOT   VERB  VBD accuse    O
    Chile      3 obj    dobj   PROPN NNP Chile     B-GPE
    .          3 punct  punct  PUNCT .   .         O
    """
)
THE_OFFICIAL = parse(
    """
    The        1 det    det    DET   DT  the       O
    official   2 nsubj  nsubj  NOUN  NN  official  O
    accused    2 root   ROOT   VERB  VBD accuse    O
    Chile      2 obj    dobj   PROPN NNP Chile     B-GPE
    .          2 punct  punct  PUNCT .   .         O
    """
)


# People counted twice over, local to the place of their clause, defying a state's authorities.
DEFIANCE = parse(
    """
    Tens        5  nsubj  nsubj  NOUN  NNS ten        O
    of          2  case   prep   ADP   IN  of         O
    thousands   0  nmod   pobj   NOUN  NNS thousand   O
    of          4  case   prep   ADP   IN  of         O
    villagers   2  nmod   pobj   NOUN  NNS villager   O
    blocked     5  root   ROOT   VERB  VBD block      O
    highways    5  obj    dobj   NOUN  NNS highway    O
    in          8  case   prep   ADP   IN  in         O
    Lima        5  obl    pobj   PROPN NNP Lima       B-GPE
    in          10 case   prep   ADP   IN  in         O
    defiance    5  obl    pobj   NOUN  NN  defiance   O
    of          13 case   prep   ADP   IN  of         O
    Chilean     13 amod   amod   ADJ   JJ  chilean    B-NORP
    authorities 10 nmod   pobj   NOUN  NNS authority  O
    .           5  punct  punct  PUNCT .   .          O
    """,
    clear_heads=[5, 0, 1, 2, 3, 5, 5, 5, 7, 5, 9, 10, 13, 11, 5],
)


# The subject hung on the lead phrase as its conjunct, the verb left with none.
LEAD_SWALLOWED = parse(
    """
    After     2 case   prep   ADP   IN  after    O
    the       2 det    det    DET   DT  the      O
    talks     6 obl    pobj   NOUN  NNS talk     O
    ,         4 punct  punct  PUNCT ,   ,        O
    Chile     2 conj   conj   PROPN NNP Chile    B-GPE
    has       6 aux    aux    AUX   VBZ have     O
    accused   6 root   ROOT   VERB  VBN accuse   O
    Peru      6 obj    dobj   PROPN NNP Peru     B-GPE
    .         6 punct  punct  PUNCT .   .        O
    """,
    clear_heads=[6, 2, 0, 4, 2, 6, 6, 6, 6],
)

# A "with" phrase leading the clause is no prepositional object of its verb.
LEAD_WITH = parse(
    """
    With      2 case   prep   ADP   IN  with     O
    the       2 det    det    DET   DT  the      O
    signing   5 obl    pobj   NOUN  NN  signing  O
    ,         5 punct  punct  PUNCT ,   ,        O
    Chile     5 nsubj  nsubj  PROPN NNP Chile    B-GPE
    agreed    5 root   ROOT   VERB  VBD agree    O
    .         5 punct  punct  PUNCT .   .        O
    """,
    clear_heads=[5, 2, 0, 5, 5, 5, 5],
)


# A protest act's purpose clause names whom it is against: the owner of the policy opposed.
PROTEST_PURPOSE = parse(
    """
    Protesters 3  nsubj     nsubj  NOUN  NNS protester  O
    in         2  case      prep   ADP   IN  in         O
    Lima       0  nmod      pobj   PROPN NNP Lima       B-GPE
    blocked    3  root      ROOT   VERB  VBD block      O
    a          5  det       det    DET   DT  a          O
    highway    3  obj       dobj   NOUN  NN  highway    O
    to         7  mark      aux    PART  TO  to         O
    voice      5  acl       acl    VERB  VB  voice      O
    their      9  nmod:poss poss   PRON  PRP$ their     O
    anger      7  obj       dobj   NOUN  NN  anger      O
    at         13 case      prep   ADP   IN  at         O
    Chile      13 nmod:poss poss   PROPN NNP Chile      B-GPE
    's         11 case      case   PART  POS 's         O
    policy     7  obl       pobj   NOUN  NN  policy     O
    .          3  punct     punct  PUNCT .   .          O
    """,
    clear_heads=[3, 0, 1, 3, 5, 3, 7, 5, 9, 7, 7, 13, 11, 10, 3],
    glued=frozenset({11}),
)

# ... but a place it heads for is no target.
PROTEST_DESTINATION = parse(
    """
    Protesters 3  nsubj  nsubj  NOUN  NNS protester  O
    in         2  case   prep   ADP   IN  in         O
    Lima       0  nmod   pobj   PROPN NNP Lima       B-GPE
    blocked    3  root   ROOT   VERB  VBD block      O
    a          5  det    det    DET   DT  a          O
    road       3  obj    dobj   NOUN  NN  road       O
    to         7  mark   aux    PART  TO  to         O
    reach      5  acl    acl    VERB  VB  reach      O
    Cusco      7  obj    dobj   PROPN NNP Cusco      B-GPE
    .          3  punct  punct  PUNCT .   .          O
    """,
    clear_heads=[3, 0, 1, 3, 5, 3, 7, 5, 7, 3],
)


ALL = {
    "accuse": ACCUSE,
    "passive_agent": PASSIVE_AGENT,
    "reported_passive": REPORTED_PASSIVE,
    "control": CONTROL,
    "negated": NEGATED,
    "conj_objects": CONJ_OBJECTS,
    "descriptor": DESCRIPTOR,
    "demonym_object": DEMONYM_OBJECT,
    "demonym_oblique": DEMONYM_OBLIQUE,
    "demonym_uncoded_verb": DEMONYM_UNCODED_VERB,
    "threat_of": THREAT_OF,
    "threat_from_misparsed": THREAT_FROM_MISPARSED,
    "conj_of_noun": CONJ_OF_NOUN,
    "request_from": REQUEST_FROM,
    "invitation_poss": INVITATION_POSS,
    "bloc_members": BLOC_MEMBERS,
    "want_to_see": WANT_TO_SEE,
    "object_control": OBJECT_CONTROL,
    "reaffirm_owner": REAFFIRM_OWNER,
    "met_with_to": MET_WITH_TO,
    "surface_and": SURFACE_AND,
    "surface_own_object": SURFACE_OWN_OBJECT,
    "hyphen_name": HYPHEN_NAME,
    "linking_role": LINKING_ROLE,
    "attend_meeting_of": ATTEND_MEETING_OF,
    "cond_sanctions": COND_SANCTIONS,
    "cond_strike": COND_STRIKE,
    "cond_targeted": COND_TARGETED,
    "pressure_on": PRESSURE_ON,
    "pressure_headline": PRESSURE_HEADLINE,
    "recognise_part_of": RECOGNISE_PART_OF,
    "recognise_demonym": RECOGNISE_DEMONYM,
    "recognise_as_partner": RECOGNISE_AS_PARTNER,
    "it_said": IT_SAID,
    "it_said_person": IT_SAID_PERSON,
    "demand_noun": DEMAND_NOUN,
    "demand_clause": DEMAND_CLAUSE,
    "insist_asserts": INSIST_ASSERTS,
    "statement_participle": STATEMENT_PARTICIPLE,
    "act_subject": ACT_SUBJECT,
    "non_act_subject": NON_ACT_SUBJECT,
    "would_if": WOULD_IF,
    "mutual_talks": MUTUAL_TALKS,
    "invasion_of": INVASION_OF,
    "day_subject": DAY_SUBJECT,
    "agree_to_act": AGREE_TO_ACT,
    "fragment_lead": FRAGMENT_LEAD,
    "fragment_closed": FRAGMENT_CLOSED,
    "demonym_event": DEMONYM_EVENT,
    "demonym_event_label": DEMONYM_EVENT_LABEL,
    "rally_with": RALLY_WITH,
    "local_group": LOCAL_GROUP,
    "troops_in_place": TROOPS_IN_PLACE,
    "quantity_of": QUANTITY_OF,
    "purpose": PURPOSE,
    "warning_must": WARNING_MUST,
    "reminder_fact": REMINDER_FACT,
    "named_body": NAMED_BODY,
    "aid_payments": AID_PAYMENTS,
    "parsed_verb_first": PARSED_VERB_FIRST,
    "light_verb_surface": LIGHT_VERB_SURFACE,
    "curfew_in": CURFEW_IN,
    "purpose_place": PURPOSE_PLACE,
    "place_barrier": PLACE_BARRIER,
    "insist_on_demands": INSIST_ON_DEMANDS,
    "agentless_passive": AGENTLESS_PASSIVE,
    "rights_of": RIGHTS_OF,
    "pledge_aid": PLEDGE_AID,
    "ready_aid": READY_AID,
    "will_aid": WILL_AID,
    "declare_ceasefire": DECLARE_CEASEFIRE,
    "pro_stance": PRO_STANCE,
    "split_org": SPLIT_ORG,
    "local_by_clause": LOCAL_BY_CLAUSE,
    "lift_sanctions": LIFT_SANCTIONS,
    "called_off": CALLED_OFF,
    "hyphen_ceasefire": HYPHEN_CEASEFIRE,
    "not_want": NOT_WANT,
    "whether_willing": WHETHER_WILLING,
    "it_willing": IT_WILLING,
    "hack_officers": HACK_OFFICERS,
    "suspension_with": SUSPENSION_WITH,
    "day_denounced": DAY_DENOUNCED,
    "for_talks": FOR_TALKS,
    "demand_ease": DEMAND_EASE,
    "suspected_extradited": SUSPECTED_EXTRADITED,
    "noun_vetoed": NOUN_VETOED,
    "lone_official": LONE_OFFICIAL,
    "the_official": THE_OFFICIAL,
    "defiance": DEFIANCE,
    "lead_swallowed": LEAD_SWALLOWED,
    "lead_with": LEAD_WITH,
    "protest_purpose": PROTEST_PURPOSE,
    "protest_destination": PROTEST_DESTINATION,
}


# Co-agents. ClearNLP hangs "with" under "together", UD under the co-agent, so the two trees
# differ (and these are not in ALL, whose trees must agree); the relations must not.
COAGENTS = {
    # ClearNLP chains the prepositions (along <-prep- with <-pobj- Latvia)
    "along_with": parse(
        """
        Estonia 6 nsubj nsubj PROPN NNP Estonia B-GPE
        ,       6 punct punct PUNCT ,   ,       O
        along   4 case  prep  ADP   IN  along   O
        with    4 case  prep  ADP   IN  with    O
        Latvia  6 obl   pobj  PROPN NNP Latvia  B-GPE
        ,       6 punct punct PUNCT ,   ,       O
        accused 6 root  ROOT  VERB  VBD accuse  O
        Russia  6 obj   dobj  PROPN NNP Russia  B-GPE
        .       6 punct punct PUNCT .   .       O
        """,
        clear_heads=[6, 6, 6, 2, 3, 6, 6, 6, 6],
    ),
    "together_with": parse(
        """
        Estonia   6 nsubj  nsubj  PROPN NNP Estonia  B-GPE
        ,         0 punct  punct  PUNCT ,   ,        O
        together  4 advmod advmod ADV   RB  together O
        with      4 case   prep   ADP   IN  with     O
        Latvia    0 nmod   pobj   PROPN NNP Latvia   B-GPE
        ,         0 punct  punct  PUNCT ,   ,        O
        accused   6 root   ROOT   VERB  VBD accuse   O
        Russia    6 obj    dobj   PROPN NNP Russia   B-GPE
        .         6 punct  punct  PUNCT .   .        O
        """,
        clear_heads=[6, 0, 0, 2, 3, 0, 6, 6, 6],
    ),
    "alongside": parse(
        """
        Estonia    3 nsubj nsubj PROPN NNP Estonia   B-GPE
        alongside  2 case  prep  ADP   IN  alongside O
        Latvia     0 nmod  pobj  PROPN NNP Latvia    B-GPE
        condemned  3 root  ROOT  VERB  VBD condemn   O
        Russia     3 obj   dobj  PROPN NNP Russia    B-GPE
        .          3 punct punct PUNCT .   .         O
        """,
        clear_heads=[3, 0, 1, 3, 3, 3],
    ),
    "worked_together_with": parse(
        """
        Estonia   1 nsubj  nsubj  PROPN NNP Estonia  B-GPE
        worked    1 root   ROOT   VERB  VBD work     O
        together  1 advmod advmod ADV   RB  together O
        with      4 case   prep   ADP   IN  with     O
        Latvia    1 obl    pobj   PROPN NNP Latvia   B-GPE
        .         1 punct  punct  PUNCT .   .        O
        """,
        clear_heads=[1, 1, 1, 1, 3, 1],
    ),
}


# Thanks for an act: the thanked actor did it. ClearNLP makes the copula the root of
# "I am grateful", so the trees differ (these are not in ALL); the relations must not.
GRATITUDE = {
    "thanked_for": parse(
        """
        Estonia     1 nsubj nsubj PROPN NNP Estonia B-GPE
        thanked     1 root  ROOT  VERB  VBD thank   O
        Latvia      1 obj   dobj  PROPN NNP Latvia  B-GPE
        for         4 mark  prep  SCONJ IN  for     O
        supporting  1 advcl pcomp VERB  VBG support O
        Ukraine     4 obj   dobj  PROPN NNP Ukraine B-GPE
        .           1 punct punct PUNCT .   .       O
        """,
        clear_heads=[1, 1, 1, 1, 3, 4, 1],
    ),
    # Signed as a post by the tests: "me" is the signer.
    "grateful_me": parse(
        """
        I         2 nsubj nsubj PRON  PRP I        O
        am        2 cop   ROOT  AUX   VBP be       O
        grateful  2 root  acomp ADJ   JJ  grateful O
        to        4 case  prep  ADP   IN  to       O
        Finland   2 obl   pobj  PROPN NNP Finland  B-GPE
        for       6 mark  prep  SCONJ IN  for      O
        inviting  2 advcl pcomp VERB  VBG invite   O
        me        6 obj   dobj  PRON  PRP I        O
        .         2 punct punct PUNCT .   .        O
        """,
        clear_heads=[1, 1, 1, 2, 3, 2, 5, 6, 1],
    ),
}


# Plural pronouns: "they" is the one group that was an argument lately; "we" in a group's
# quote is the group. Several sentences each.
PLURAL = {
    "they_one_group": parse(
        """
        Nordic   1 amod  amod  ADJ   JJ  nordic  O
        leaders  2 nsubj nsubj NOUN  NNS leader  O
        met      2 root  ROOT  VERB  VBD meet    O
        .        2 punct punct PUNCT .   .       O
        They     5 nsubj nsubj PRON  PRP they    O
        accused  5 root  ROOT  VERB  VBD accuse  O
        Russia   5 obj   dobj  PROPN NNP Russia  B-GPE
        .        5 punct punct PUNCT .   .       O
        """
    ),
    "they_two_groups": parse(
        """
        Nordic     1 amod  amod  ADJ   JJ  nordic   O
        leaders    2 nsubj nsubj NOUN  NNS leader   O
        met        2 root  ROOT  VERB  VBD meet     O
        Baltic     4 amod  amod  ADJ   JJ  baltic   O
        ministers  2 obj   dobj  NOUN  NNS minister O
        .          2 punct punct PUNCT .   .        O
        They       7 nsubj nsubj PRON  PRP they     O
        accused    7 root  ROOT  VERB  VBD accuse   O
        Russia     7 obj   dobj  PROPN NNP Russia   B-GPE
        .          7 punct punct PUNCT .   .        O
        """
    ),
    "they_person": parse(
        """
        Smith    1 nsubj nsubj PROPN NNP Smith   B-PERSON
        met      1 root  ROOT  VERB  VBD meet    O
        Jones    1 obj   dobj  PROPN NNP Jones   B-PERSON
        .        1 punct punct PUNCT .   .       O
        They     5 nsubj nsubj PRON  PRP they    O
        accused  5 root  ROOT  VERB  VBD accuse  O
        Russia   5 obj   dobj  PROPN NNP Russia  B-GPE
        .        5 punct punct PUNCT .   .       O
        """
    ),
    # "X said they ...": X, though another group was named just before.
    "they_matrix": parse(
        """
        Baltic     1 amod  amod  ADJ   JJ  baltic   O
        ministers  2 nsubj nsubj NOUN  NNS minister O
        met        2 root  ROOT  VERB  VBD meet     O
        .          2 punct punct PUNCT .   .        O
        Nordic     5 amod  amod  ADJ   JJ  nordic   O
        leaders    6 nsubj nsubj NOUN  NNS leader   O
        said       6 root  ROOT  VERB  VBD say      O
        they       8 nsubj nsubj PRON  PRP they     O
        back       6 ccomp ccomp VERB  VBP back     O
        Ukraine    8 obj   dobj  PROPN NNP Ukraine  B-GPE
        .          6 punct punct PUNCT .   .        O
        """
    ),
    "we_group": parse(
        """
        Nordic   1 amod  amod  ADJ   JJ  nordic  O
        leaders  2 nsubj nsubj NOUN  NNS leader  O
        said     2 root  ROOT  VERB  VBD say     O
        :        2 punct punct PUNCT :   :       O
        "        6 punct punct PUNCT ``  "       O
        We       6 nsubj nsubj PRON  PRP we      O
        back     2 ccomp ccomp VERB  VBP back    O
        Ukraine  6 obj   dobj  PROPN NNP Ukraine B-GPE
        .        6 punct punct PUNCT .   .       O
        "        6 punct punct PUNCT ''  "       O
        """,
        glued=frozenset({2, 4, 7, 8}),
    ),
    "we_person": parse(
        """
        Smith    1 nsubj nsubj PROPN NNP Smith   B-PERSON
        said     1 root  ROOT  VERB  VBD say     O
        :        1 punct punct PUNCT :   :       O
        "        5 punct punct PUNCT ``  "       O
        We       5 nsubj nsubj PRON  PRP we      O
        back     1 ccomp ccomp VERB  VBP back    O
        Ukraine  5 obj   dobj  PROPN NNP Ukraine B-GPE
        .        5 punct punct PUNCT .   .       O
        "        5 punct punct PUNCT ''  "       O
        """,
        glued=frozenset({1, 3, 6, 7}),
    ),
}


# A speaker's judgement on an actor ("wants war", "is not serious") is criticism. ClearNLP
# heads "is not serious" with the copula, so the trees differ (these are not in ALL).
JUDGEMENT = {
    "wants_war": parse(
        """
        Smith  1 nsubj nsubj PROPN NNP Smith B-PERSON
        said   1 root  ROOT  VERB  VBD say   O
        Iran   3 nsubj nsubj PROPN NNP Iran  B-GPE
        wants  1 ccomp ccomp VERB  VBZ want  O
        war    3 obj   dobj  NOUN  NN  war   O
        .      1 punct punct PUNCT .   .     O
        """
    ),
    "not_serious": parse(
        """
        Smith    1 nsubj  nsubj PROPN NNP Smith   B-PERSON
        said     1 root   ROOT  VERB  VBD say     O
        Iran     5 nsubj  nsubj PROPN NNP Iran    B-GPE
        is       5 cop    ccomp AUX   VBZ be      O
        not      5 advmod neg   PART  RB  not     O
        serious  1 ccomp  acomp ADJ   JJ  serious O
        .        1 punct  punct PUNCT .   .       O
        """,
        clear_heads=[1, 1, 3, 1, 3, 3, 1],
    ),
    # Not reported: nobody passes the judgement.
    "unreported": parse(
        """
        Iran   1 nsubj nsubj PROPN NNP Iran B-GPE
        wants  1 root  ROOT  VERB  VBZ want O
        war    1 obj   dobj  NOUN  NN  war  O
        .      1 punct punct PUNCT .   .    O
        """
    ),
    # The judgement negated ("does not want war") is none.
    "not_wanting": parse(
        """
        Smith  1 nsubj  nsubj PROPN NNP Smith B-PERSON
        said   1 root   ROOT  VERB  VBD say   O
        Iran   5 nsubj  nsubj PROPN NNP Iran  B-GPE
        does   5 aux    aux   AUX   VBZ do    O
        not    5 advmod neg   PART  RB  not   O
        want   1 ccomp  ccomp VERB  VB  want  O
        war    5 obj    dobj  NOUN  NN  war   O
        .      1 punct  punct PUNCT .   .     O
        """
    ),
}
