"""One normalised view of a dependency parse, whatever the label scheme.

The stand-in pipeline labels with Universal Dependencies v2 (``obj``, ``nsubj:pass``,
``obl:agent``, ``obl`` + ``case``, ``flat``); the official spaCy English pipelines use ClearNLP
labels (``dobj``, ``nsubjpass``, ``agent`` + ``pobj``, ``prep`` + ``pobj``, ``compound``). The
extractors read only this view, which rewrites ClearNLP trees into the UD shape:

* ``dobj`` → ``obj``; ``dative`` (noun) → ``iobj``; ``nsubjpass`` → ``nsubj:pass``;
  ``csubjpass`` → ``csubj:pass``; ``auxpass`` → ``aux:pass``; ``poss`` → ``nmod:poss``;
  ``relcl`` → ``acl:relcl``; ``neg`` → ``advmod`` (negation is read from the word);
  ``attr`` → ``obj`` of the copula's head; ``npadvmod`` → ``obl:npmod``; ``prt`` → ``compound:prt``.
* ``prep`` + ``pobj``: the noun takes the preposition's place (``obl`` under a verb or
  adjective, ``nmod`` under a noun) and the preposition becomes its ``case`` child; chained
  prepositions ("along with", "because of") all become ``case`` children of the noun. ``agent`` +
  ``pobj`` becomes ``obl:agent`` the same way. ``prep`` + ``pcomp`` becomes ``advcl`` + ``mark``.

Names are read from entity spans, not from ``flat``/``compound`` trees, so where a name's head
sits (first token in UD, last in ClearNLP) never matters.

The view also undoes misreadings that news text provokes in small parsers, each a narrow
pattern with a doctest: lead pieces cut off as sentences (:func:`join_fragments`), a day taken
for the subject (:func:`repair_time_subjects`), an "it" of will taken for an expletive,
"neighbouring" and "suspected" read as verbs (:func:`repair_misread_modifiers`), a subject
swallowed by a lead phrase (:func:`repair_swallowed_subjects`), a verb tagged as a noun
(:func:`repair_noun_verbs`), "met with X to V" read as the preposition's clause
(:func:`_unfold_infinitive_objects`), and a person's name cut at a hyphen
(:func:`_hyphenated_name_end`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from geokg.extractors._lexicon import COMMITMENT_ADJS
from geokg.gazetteer import actor_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["PARSER_FOLD", "TIME_WORDS", "DepView", "Tok", "build_view", "join_sentences"]

#: Characters the parser reads as another of the same length: the small pipelines parse "the
#: United States’ commitment" (a typographic apostrophe) as punctuation but "the United States'
#: commitment" as a possessive. Offsets do not move; :func:`build_view` restores the words.
PARSER_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'"})

_SIMPLE = {
    "dobj": "obj",
    "nsubjpass": "nsubj:pass",
    "csubjpass": "csubj:pass",
    "auxpass": "aux:pass",
    "poss": "nmod:poss",
    "relcl": "acl:relcl",
    "neg": "advmod",
    "npadvmod": "obl:npmod",
    "dative": "iobj",
    "ROOT": "root",
    "nn": "compound",
    "prt": "compound:prt",
}

_CONTRASTIVE = frozenset({"rather", "instead", "not"})
VERBAL_HEAD_POS = frozenset({"VERB", "AUX", "ADJ"})


@dataclass(slots=True)
class Tok:
    """A token of the normalised view: plain values, indices into the same view."""

    i: int
    text: str
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    idx: int
    ent: int  # index into DepView.ents, or -1
    ws: str
    children: list[int]

    @property
    def end(self) -> int:
        """End character offset (exclusive), relative to the Doc text."""
        return self.idx + len(self.text)


@dataclass(slots=True, frozen=True)
class Ent:
    """An entity span in the view (token indices, end exclusive)."""

    start: int
    end: int
    label: str
    text: str


@dataclass(slots=True)
class DepView:
    """A sentence or document as normalised tokens plus entities."""

    toks: list[Tok]
    ents: list[Ent]
    offset: int  # char offset of the Doc within the document text

    def kids(self, i: int, *deps: str) -> list[int]:
        """Children of token ``i`` whose label is one of ``deps`` (all children if none)."""
        ch = self.toks[i].children
        if not deps:
            return list(ch)
        return [c for c in ch if self.toks[c].dep in deps]

    def kid(self, i: int, *deps: str) -> int | None:
        """The first child of ``i`` with one of ``deps``, or ``None``."""
        found = self.kids(i, *deps)
        return found[0] if found else None

    def prep(self, i: int) -> str | None:
        """The preposition (``case`` child) of nominal ``i``, lowercased, or ``None``."""
        case = self.kid(i, "case")
        return self.toks[case].lower if case is not None else None

    def conjuncts(self, i: int) -> list[int]:
        """``i`` and every token conjoined to it (following ClearNLP chains too)."""
        out = [i]
        stack = [i]
        while stack:
            j = stack.pop()
            for c in self.kids(j, "conj"):
                first = self.subtree(c)[0]
                lead = range(max(j + 1, first - 3), min(first + 2, len(self.toks)))
                if any(self.toks[k].lower in _CONTRASTIVE for k in lead):
                    continue  # "X rather than Y", "X, not Y": Y is not a party
                if c not in out:
                    out.append(c)
                    stack.append(c)
        return sorted(out)

    def subtree(self, i: int) -> list[int]:
        """Token indices in the subtree of ``i``, sorted."""
        out: list[int] = []
        stack = [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.toks[j].children)
        return sorted(out)

    def ancestors(self, i: int) -> list[int]:
        """Heads of ``i`` up to the root."""
        out: list[int] = []
        j = i
        seen = {i}
        while self.toks[j].head != j:
            j = self.toks[j].head
            if j in seen:
                break
            seen.add(j)
            out.append(j)
        return out

    def ent_of(self, i: int) -> Ent | None:
        """The entity containing token ``i``, if any."""
        e = self.toks[i].ent
        return self.ents[e] if e >= 0 else None

    def text_of(self, start: int, end: int) -> str:
        """Text of tokens ``start``..``end-1`` with original spacing."""
        if start >= end:
            return ""
        parts = [t.text + t.ws for t in self.toks[start:end]]
        parts[-1] = self.toks[end - 1].text
        return "".join(parts)


def _raw_children(heads: list[int]) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in heads]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    return children


def _unfold_infinitive_objects(heads: list[int], deps: list[str], pos: list[str]) -> None:
    """ "met with X to discuss Y": ClearNLP often reads "X to discuss" as the preposition's
    clause (``pcomp`` with X its subject); X is the preposition's object and the infinitive a
    purpose clause of the verb. Rewrites ``heads``/``deps`` in place.

    >>> h, d = [1, 1, 1, 5, 5, 2], ["nsubj", "ROOT", "prep", "nsubj", "aux", "pcomp"]
    >>> _unfold_infinitive_objects(h, d, ["PROPN", "VERB", "ADP", "PROPN", "PART", "VERB"])
    >>> h, d
    ([1, 1, 1, 2, 5, 1], ['nsubj', 'ROOT', 'prep', 'pobj', 'aux', 'advcl'])
    """
    children = _raw_children(heads)
    for c, dep in enumerate(deps):
        p = heads[c]
        if dep != "pcomp" or pos[c] != "VERB" or deps[p] != "prep" or heads[p] == p:
            continue
        infinitive = any(deps[k] == "aux" and pos[k] == "PART" for k in children[c])
        subjects = [k for k in children[c] if deps[k] == "nsubj" and p < k < c]
        if infinitive and len(subjects) == 1:
            heads[subjects[0]], deps[subjects[0]] = p, "pobj"
            heads[c], deps[c] = heads[p], "advcl"


def normalise_arcs(
    heads: list[int], deps: list[str], pos: list[str]
) -> tuple[list[int], list[str]]:
    """Rewrite (heads, deps) of one parse into the UD shape described in the module docstring.

    Heads are absolute indices; a root points to itself.

    >>> # "talks with Zelensky" in ClearNLP shape: talks <-prep- with <-pobj- Zelensky
    >>> normalise_arcs([0, 0, 1], ["ROOT", "prep", "pobj"], ["NOUN", "ADP", "PROPN"])
    ([0, 2, 0], ['root', 'case', 'nmod'])
    >>> # "accused along with Latvia": along <-prep- with <-pobj- Latvia; both mark Latvia
    >>> normalise_arcs([0, 0, 1, 2], ["ROOT", "prep", "prep", "pobj"],
    ...     ["VERB", "ADP", "ADP", "PROPN"])
    ([0, 3, 3, 0], ['root', 'case', 'case', 'obl'])
    """
    heads = list(heads)
    deps = [_SIMPLE.get(d, d) for d in deps]
    _unfold_infinitive_objects(heads, deps, pos)
    children = _raw_children(heads)
    for p, dep in enumerate(deps):
        if dep in ("prep", "agent") or (dep == "iobj" and pos[p] == "ADP"):
            _lower_preposition(p, dep, heads, deps, pos, children)
    for i, dep in enumerate(deps):
        if dep == "pobj":  # a pobj whose preposition was not rewritten
            deps[i] = "nmod"
        elif dep == "attr":
            deps[i] = "obj"
    return heads, deps


def _lower_preposition(
    p: int, dep: str, heads: list[int], deps: list[str], pos: list[str], children: list[list[int]]
) -> None:
    """Make preposition ``p`` (ClearNLP ``dep``) the case mark of its object, which takes its
    place under the head (in place); a preposition with no object is a bare case mark."""
    objs = [c for c in children[p] if deps[c] in ("pobj", "pcomp")]
    head = heads[p]
    if not objs:
        deps[p] = "case"
        return
    obj = objs[0]
    # "along with X", "because of X": ClearNLP chains the prepositions (along <-prep- with
    # <-pobj- X); UD hangs X on the outer head with both words as its case marks.
    while head != heads[head] and pos[head] == "ADP" and deps[head] == "case":
        outer = heads[head]
        heads[head] = obj
        head = outer
    if deps[obj] == "pcomp" and pos[obj] in ("VERB", "AUX"):
        deps[obj] = "advcl" if pos[head] in VERBAL_HEAD_POS else "acl"
        deps[p] = "mark"
    elif dep == "agent":
        deps[obj] = "obl:agent"
        deps[p] = "case"
    else:
        deps[obj] = "nmod" if pos[head] in ("NOUN", "PROPN", "PRON", "NUM") else "obl"
        deps[p] = "case"
    heads[obj] = head if head != p else obj
    heads[p] = obj
    for other in objs[1:]:  # rare: several objects of one preposition
        heads[other] = obj
        deps[other] = "conj"
    for c in children[p]:  # anything else the preposition governed moves to the noun
        if c not in objs:
            heads[c] = obj


TIME_WORDS = frozenset(
    {
        "today",
        "yesterday",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
)


def repair_time_subjects(
    heads: list[int], deps: list[str], pos: list[str], words: list[str]
) -> tuple[list[int], list[str]]:
    """Give the subject back to the noun before a time word the parser took for the subject.

    News puts a day between subject and verb ("The cabinet today approved"); parsers
    then make the day the subject and the name in front of it its compound. The name becomes
    the subject again, and the day a temporal modifier of the verb.

    >>> repair_time_subjects([1, 2, 2], ["compound", "nsubj", "root"],
    ...                      ["PROPN", "NOUN", "VERB"], ["Council", "today", "agreed"])
    ([2, 2, 2], ['nsubj', 'obl:tmod', 'root'])
    """
    heads, deps = list(heads), list(deps)
    for t, word in enumerate(words):
        if t == 0 or deps[t] != "nsubj" or word.lower() not in TIME_WORDS:
            continue
        verb, name = heads[t], t - 1
        if heads[name] != t or pos[name] not in ("PROPN", "NOUN") or verb == t:
            continue
        for c, h in enumerate(heads):
            if h == t and c < name:
                heads[c] = name  # the name's own determiner and modifiers
        heads[name], deps[name] = verb, "nsubj"
        deps[t] = "obl:tmod"
    return heads, deps


# Adjectives whose subject is the one who acts ("it is willing to withdraw"): their "it" refers.
_CONTROL_ADJS = COMMITMENT_ADJS | {"unwilling", "reluctant", "able", "unable", "anxious"}
_NEIGHBOURING = frozenset({"neighbouring", "neighboring"})
# Participles that qualify a person in front of the name: "extradited suspected militant X".
_QUALIFYING = frozenset({"suspected", "alleged", "accused", "wanted", "convicted"})


def repair_misread_modifiers(
    heads: list[int], deps: list[str], pos: list[str], words: list[str]
) -> tuple[list[int], list[str]]:
    """Undo three misreadings that cost a clause its subject, its object or its place.

    * "Chile says it is prepared to pull back": an "it" taken for an expletive under an adjective
      of will with a "to" complement is that adjective's subject. An expletive "it" has an
      adjective of judgement ("it is important to") and stays as parsed.
    * "withdraw from neighbouring Lebanon": "neighbouring" read as a verb with the name as its
      object is the name's modifier, and the name the head's oblique with the preposition.
    * "extradited suspected militant X to Britain": a participle of suspicion read as a
      clause right after the verb is the modifier of the noun after it, which is the verb's
      object; what else hung on the participle ("to Britain") is the verb's.

    >>> repair_misread_modifiers([2, 2, 2, 4, 2], ["expl", "cop", "root", "mark", "xcomp"],
    ...     ["PRON", "AUX", "ADJ", "PART", "VERB"], ["it", "is", "willing", "to", "go"])[1]
    ['nsubj', 'cop', 'root', 'mark', 'xcomp']
    >>> repair_misread_modifiers([0, 2, 0, 2], ["root", "mark", "advcl", "obj"],
    ...     ["VERB", "ADP", "VERB", "PROPN"], ["left", "from", "neighbouring", "Chad"])
    ([0, 3, 3, 0], ['root', 'case', 'amod', 'obl'])
    >>> repair_misread_modifiers([0, 0, 1, 4, 1], ["root", "xcomp", "xcomp", "case", "obl"],
    ...     ["VERB", "VERB", "NOUN", "ADP", "PROPN"], ["freed", "suspected", "spies", "to", "Chad"])
    ([0, 2, 0, 4, 0], ['root', 'amod', 'obj', 'case', 'obl'])
    """
    heads, deps = list(heads), list(deps)
    children = _raw_children(heads)
    for t, word in enumerate(words):
        head = heads[t]
        lower = word.lower()
        if (
            lower == "it"
            and deps[t] == "expl"
            and words[head].lower() in _CONTROL_ADJS
            and any(deps[c] == "xcomp" for c in children[head])
            and not any(deps[c] in ("nsubj", "csubj") for c in children[head])
        ):
            deps[t] = "nsubj"
        elif lower in _NEIGHBOURING and deps[t] in ("advcl", "acl") and head != t:
            _repair_neighbouring(t, heads, deps, pos, children)
        elif (
            lower in _QUALIFYING
            and head == t - 1
            and pos[head] == "VERB"
            and deps[t] in ("xcomp", "advcl", "ccomp", "dep")
            and not any(deps[c] in ("obj", "nsubj:pass", "nsubj") for c in children[head] if c > t)
        ):
            _repair_qualifying(t, heads, deps, pos, children)
    return heads, deps


def _repair_neighbouring(
    t: int, heads: list[int], deps: list[str], pos: list[str], children: list[list[int]]
) -> None:
    """ "withdraw from neighbouring Lebanon": make the participle ``t`` the modifier of its
    object, and the object its head's oblique with the preposition (in place)."""
    head = heads[t]
    objs = [c for c in children[t] if deps[c] == "obj" and c > t]
    marks = [c for c in children[t] if deps[c] == "mark" and pos[c] in ("ADP", "SCONJ")]
    if len(objs) != 1 or len(marks) != 1:
        return
    obj = objs[0]
    heads[obj] = head
    deps[obj] = "nmod" if pos[head] in ("NOUN", "PROPN", "PRON") else "obl"
    heads[t], deps[t] = obj, "amod"
    heads[marks[0]], deps[marks[0]] = obj, "case"


def _repair_qualifying(
    t: int, heads: list[int], deps: list[str], pos: list[str], children: list[list[int]]
) -> None:
    """ "extradited suspected militant X": make the participle ``t`` the modifier of the noun
    after it, that noun the verb's object, and the participle's other dependents the verb's
    (in place)."""
    head = heads[t]
    nouns = [
        c
        for c in children[t]
        if c > t and pos[c] in ("NOUN", "PROPN") and deps[c] in ("xcomp", "obj", "nsubj")
    ]
    if not nouns or any(deps[c] in ("nsubj", "aux", "aux:pass") for c in children[t] if c < t):
        return
    noun = nouns[0]
    heads[noun], deps[noun] = head, "obj"
    heads[t], deps[t] = noun, "amod"
    for c in children[t]:
        if c != noun:
            heads[c] = head


def repair_noun_verbs(
    heads: list[int], deps: list[str], pos: list[str], words: list[str]
) -> tuple[list[str], list[str]]:
    """Call a verb what the tagger called a noun but the parser gave a subject and an object:
    "its demand that Israel ease restrictions" ("ease" tagged as a noun). A "that" the parser
    made the object, in front of the subject, is the clause's marker, and a clause it marks
    that hangs loosely ("dep") on a verb is that verb's complement.

    >>> repair_noun_verbs([2, 2, 2, 2, 2], ["obj", "nsubj", "root", "obj", "punct"],
    ...     ["PRON", "PROPN", "NOUN", "NOUN", "PUNCT"], ["that", "Iran", "ease", "curbs", "."])
    (['PRON', 'PROPN', 'VERB', 'NOUN', 'PUNCT'], ['mark', 'nsubj', 'root', 'obj', 'punct'])
    """
    pos, deps = list(pos), list(deps)
    children = _raw_children(heads)
    for t in range(len(words)):
        if pos[t] != "NOUN":
            continue
        subjects = [c for c in children[t] if deps[c] == "nsubj" and c < t]
        objects = [c for c in children[t] if deps[c] == "obj" and c > t]
        if not subjects or not objects:
            continue
        pos[t] = "VERB"
        for c in children[t]:
            if deps[c] == "obj" and c < subjects[0] and words[c].lower() == "that":
                deps[c] = "mark"
                if deps[t] == "dep":
                    deps[t] = "ccomp"  # a "that" clause hung loosely on a verb
    return pos, deps


#: Verbs that take a bare infinitive clause with its own subject ("saw X leave", "let X go").
_BARE_INFINITIVE_HEADS = frozenset({"see", "watch", "hear", "make", "let", "help", "have"})


def repair_object_control(
    heads: list[int], deps: list[str], pos: list[str], lemmas: list[str], tags: list[str]
) -> tuple[list[int], list[str]]:
    """Give "wants X to V" the UD shape: X the ``obj`` of "wants", "to V" its ``xcomp``.

    ClearNLP parses an infinitive with its own subject as a clause (``ccomp`` with ``nsubj``);
    UD (and the extractors) read X as the object of the matrix verb and the infinitive as
    controlled by it, so "urged Iran to release X" is a request to Iran. The same holds for a
    bare infinitive after verbs of perception and causation ("wants to see X stop"). A clause
    with a complementiser ("demanded that X withdraw") is left alone.

    >>> repair_object_control([1, 1, 4, 4, 1, 4], ["nsubj", "root", "nsubj", "mark", "ccomp",
    ...     "obj"], ["PROPN", "VERB", "PROPN", "PART", "VERB", "PROPN"],
    ...     ["Latvia", "want", "Lithuania", "to", "meet", "Poland"],
    ...     ["NNP", "VBZ", "NNP", "TO", "VB", "NNP"])
    ([1, 1, 1, 4, 1, 4], ['nsubj', 'root', 'obj', 'mark', 'xcomp', 'obj'])
    """
    heads, deps = list(heads), list(deps)
    children = _raw_children(heads)
    for clause, dep in enumerate(deps):
        matrix = heads[clause]
        if dep != "ccomp" or matrix == clause or pos[matrix] not in ("VERB", "AUX"):
            continue
        kids = children[clause]
        marks = [k for k in kids if deps[k] == "mark"]
        infinitive = any(tags[k] == "TO" for k in marks)
        bare = not marks and tags[clause] == "VB" and lemmas[matrix] in _BARE_INFINITIVE_HEADS
        if not (infinitive and len(marks) == 1) and not bare:
            continue
        if any(deps[k] == "aux" for k in kids):
            continue  # "wants X to have met": keep the clause
        subjects = [k for k in kids if deps[k] == "nsubj" and k < clause]
        if len(subjects) != 1 or any(deps[k] == "obj" for k in children[matrix]):
            continue
        heads[subjects[0]], deps[subjects[0]] = matrix, "obj"
        deps[clause] = "xcomp"
    return heads, deps


def repair_swallowed_subjects(
    heads: list[int], deps: list[str], pos: list[str], words: list[str]
) -> tuple[list[int], list[str]]:
    """Give a clause back the subject that a lead phrase swallowed.

    "With the signing of the accord, the government and the rebels have agreed to …": parsers
    often hang the noun phrase after the lead's comma on a noun of the lead (as a conjunct),
    leaving the main verb with no subject. When the root verb has no subject and the words
    between the last comma before it and its auxiliaries hold no verb and hang on the lead,
    the first noun there is the subject and the other conjuncts there are its conjuncts.

    >>> repair_swallowed_subjects([4, 0, 0, 4, 4], ["obl", "punct", "conj", "aux", "root"],
    ...     ["NOUN", "PUNCT", "PROPN", "AUX", "VERB"], ["Talks", ",", "Peru", "has", "agreed"])
    ([4, 0, 4, 4, 4], ['obl', 'punct', 'nsubj', 'aux', 'root'])
    """
    heads, deps = list(heads), list(deps)
    children = _raw_children(heads)
    for verb in range(len(words)):
        if deps[verb] != "root" or pos[verb] != "VERB":
            continue
        if any(deps[c] in ("nsubj", "nsubj:pass", "csubj", "expl") for c in children[verb]):
            continue
        end = verb
        while end > 0 and heads[end - 1] == verb and deps[end - 1] in ("aux", "aux:pass"):
            end -= 1
        comma = next((k for k in range(end - 1, -1, -1) if words[k] == ","), None)
        if comma is None or comma + 1 >= end:
            continue
        span = range(comma + 1, end)
        if any(pos[k] in ("VERB", "AUX") for k in span):
            continue
        outside = [k for k in span if not (comma < heads[k] < end)]
        if not outside or any(heads[k] > comma for k in outside):
            continue  # only words hanging back on the lead
        nouns = [k for k in outside if pos[k] in ("NOUN", "PROPN") and deps[k] == "conj"]
        if not nouns:
            continue
        subject = nouns[0]
        heads[subject], deps[subject] = verb, "nsubj"
        for k in outside:
            if k != subject and deps[k] == "conj":
                heads[k] = subject
    return heads, deps


def join_fragments(
    heads: list[int], deps: list[str], pos: list[str], words: list[str]
) -> tuple[list[int], list[str]]:
    """Attach the verbless pieces the parser cut off in front of a clause.

    Parsers sometimes end a "sentence" after the subject of a news lead ("Chile | today |
    accepted the offer", "Chilean leader Ana Rojas | Friday rejected it"): each piece
    becomes a root of its own and the clause loses its subject. A short piece with no verb and
    no final punctuation, right before a clause whose root is a verb, is given back to that
    verb: a day as its temporal modifier, a noun phrase as its subject when the clause has none
    (or only a day in that place, which becomes a temporal modifier). Anything else is left as
    parsed.

    >>> join_fragments([0, 1, 2, 2], ["root", "root", "root", "obj"],
    ...                ["PROPN", "NOUN", "VERB", "NOUN"], ["Chile", "today", "expelled", "him"])
    ([2, 2, 2, 2], ['nsubj', 'obl:tmod', 'root', 'obj'])
    """
    heads, deps = list(heads), list(deps)
    n = len(heads)
    roots = [i for i in range(n) if heads[i] == i]
    if len(roots) < 2:
        return heads, deps
    children = _raw_children(heads)

    def span(r: int) -> tuple[int, int]:
        lo = hi = r
        stack = [r]
        while stack:
            k = stack.pop()
            lo, hi = min(lo, k), max(hi, k)
            stack.extend(children[k])
        return lo, hi + 1

    pending: list[int] = []
    last_end = -1
    for r in roots:
        lo, hi = span(r)
        if pending and lo != last_end:
            pending = []  # not contiguous: the pieces are no lead of this clause
        last_end = hi
        verbless = not any(pos[k] in ("VERB", "AUX") for k in range(lo, hi))
        if verbless and pos[r] in ("PROPN", "NOUN") and hi - lo <= 8 and pos[hi - 1] != "PUNCT":
            pending.append(r)
            continue
        if pending and pos[r] == "VERB":
            _attach_fragments(r, pending, heads, deps, words, children)
        pending = []
    return heads, deps


def _attach_fragments(
    r: int,
    pending: list[int],
    heads: list[int],
    deps: list[str],
    words: list[str],
    children: list[list[int]],
) -> None:
    """Give the verbless pieces ``pending`` to the verb ``r`` of the clause after them, a day
    as its temporal modifier, a noun phrase as its subject when it has none (in place)."""
    subjects = [c for c in children[r] if deps[c] in ("nsubj", "nsubj:pass")]
    for c in subjects:
        if words[c].lower() in TIME_WORDS and not children[c]:
            deps[c] = "obl:tmod"  # "Arafat | Wednesday rejected": the day is no subject
    has_subject = any(deps[c] in ("nsubj", "nsubj:pass") for c in subjects)
    for f in pending:
        if words[f].lower() in TIME_WORDS:
            heads[f], deps[f] = r, "obl:tmod"
        elif not has_subject:
            heads[f], deps[f] = r, "nsubj"
            has_subject = True


def join_sentences(view: DepView, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge adjacent sentence ranges that an arc of ``view`` crosses (after
    :func:`join_fragments`).

    >>> v = DepView(toks=[Tok(i=i, text="x", lower="x", lemma="x", pos="X", tag="X", dep="d",
    ...     head=h, idx=i, ent=-1, ws=" ", children=[]) for i, h in enumerate([1, 1, 2])],
    ...     ents=[], offset=0)
    >>> join_sentences(v, [(0, 1), (1, 2), (2, 3)])
    [(0, 2), (2, 3)]
    >>> w = DepView(toks=[Tok(i=i, text="x", lower="x", lemma="x", pos="X", tag="X", dep="d",
    ...     head=h, idx=i, ent=-1, ws=" ", children=[]) for i, h in enumerate([0, 0, 1])],
    ...     ents=[], offset=0)
    >>> join_sentences(w, [(0, 2), (2, 3)])  # an arc back to the range before
    [(0, 3)]
    """
    out: list[tuple[int, int]] = []
    for s, e in sents:
        if out and (_linked(view, out[-1], (s, e)) or _abbreviation_end(view, out[-1][1], s)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _abbreviation_end(view: DepView, end: int, nxt: int) -> bool:
    """Whether a sentence break before token ``nxt`` falls after an honorific or an initial
    that cannot end a sentence there (``actor_words.tsv``): an honorific ("Mr", "Dr") never
    ends one; an initial ("U.S.", "Jr.") only before a word that can start one, not before a
    lower-case word or a name."""
    toks = view.toks
    if end < 1 or nxt >= len(toks):
        return False
    last = end - 2 if toks[end - 1].text == "." and end >= 2 else end - 1  # "Dr" "."
    key = toks[last].lower.rstrip(".")
    if key in actor_words("honorific"):
        return True
    if key in actor_words("initial") and toks[end - 1].text.endswith("."):
        after = toks[nxt]
        return after.text[:1].islower() or (after.pos == "PROPN" and after.ent >= 0)
    return False


def _linked(view: DepView, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether an arc of ``view`` joins token range ``a`` to range ``b``, either way."""
    toks = view.toks
    return any(b[0] <= toks[k].head < b[1] for k in range(*a)) or any(
        a[0] <= toks[k].head < a[1] for k in range(*b)
    )


def _hyphenated_name_end(doc: Doc | Span, start: int, end: int, label: str) -> int:
    """The end of a person's name that the entity recogniser cut at a hyphen ("Han Duck" of
    "Han Duck-soo", "Elkayam" of "Elkayam-Levy"): the glued "-word" after it belongs to it,
    unless that word is an entity of its own ("Israel-Hamas")."""
    while (
        label == "PERSON"
        and end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].text.isalpha()
        and not doc[end + 1].ent_type_
    ):
        end += 2
    return end


def _view_entities(
    doc: Doc | Span, base: int, source: str | None, start_char: int
) -> tuple[list[Ent], list[int]]:
    """The entities of the view, and each token's entity index (-1 outside one)."""
    ents: list[Ent] = []
    ent_index = [-1] * len(doc)
    for e in doc.ents:
        s, t = e.start - base, e.end - base
        if s < 0 or t > len(doc):
            continue
        t = _hyphenated_name_end(doc, s, t, e.label_)
        for k in range(s, t):
            ent_index[k] = len(ents)
        text = doc[s:t].text
        if source is not None:
            c0 = doc[s].idx - start_char
            text = source[c0 : c0 + len(text)]
        ents.append(Ent(start=s, end=t, label=e.label_, text=text))
    return ents, ent_index


def build_view(doc: Doc | Span, *, offset: int = 0, source: str | None = None) -> DepView:
    """Build the normalised view of a spaCy ``Doc`` or sentence ``Span``.

    Args:
        doc: A parsed Doc or Span.
        offset: Character offset of ``doc`` within the document text (for paragraph chunks).
        source: The text as written, when the parser was given a copy of the same length with
            some characters folded (typographic apostrophes, :data:`PARSER_FOLD`): the view's
            words are read from it, so mentions quote the document exactly.
    """
    tokens = list(doc)  # each attribute read once from one Token each (they are made anew)
    base = tokens[0].i if tokens else 0
    raw_heads = [t.head.i - base for t in tokens]
    # A Span's tokens may point outside it (never for sentences); clamp to self.
    raw_heads = [h if 0 <= h < len(tokens) else i for i, h in enumerate(raw_heads)]
    spacy_pos = [t.pos_ for t in tokens]
    tags = [t.tag_ for t in tokens]
    words = [t.text for t in tokens]
    lemmas = [t.lemma_ for t in tokens]
    pos = [p or _pos_from_tag(tag) for p, tag in zip(spacy_pos, tags, strict=True)]
    heads, deps, pos = _repaired_arcs(raw_heads, [t.dep_ for t in tokens], pos, tags, words, lemmas)
    start_char = getattr(doc, "start_char", 0)  # a Span's words index its Doc's text
    ents, ent_index = _view_entities(doc, base, source, start_char)
    idxs = [t.idx for t in tokens]
    texts = (
        words
        if source is None
        else [
            source[c - start_char : c - start_char + len(w)]
            for c, w in zip(idxs, words, strict=True)
        ]
    )
    toks = [
        Tok(
            i=i,
            text=texts[i],
            lower=texts[i].lower(),
            lemma=(lemmas[i] or words[i]).lower() if spacy_pos[i] != "PROPN" else words[i],
            pos=pos[i],
            tag=tags[i],
            dep=deps[i],
            head=heads[i],
            idx=idxs[i] + offset,
            ent=ent_index[i],
            ws=t.whitespace_,
            children=[],
        )
        for i, t in enumerate(tokens)
    ]
    for tok in toks:
        if tok.head != tok.i:
            toks[tok.head].children.append(tok.i)
    for tok in toks:
        tok.children.sort()
    return DepView(toks=toks, ents=ents, offset=offset)


def _repaired_arcs(
    raw_heads: list[int],
    raw_deps: list[str],
    pos: list[str],
    tags: list[str],
    words: list[str],
    lemmas: list[str],
) -> tuple[list[int], list[str], list[str]]:
    """The parse's arcs in UD labels with the known misparses repaired: heads, labels, POS."""
    heads, deps = normalise_arcs(raw_heads, raw_deps, pos)
    # ClearNLP marks the infinitival "to" as aux; UD as mark (before the repairs, which read UD).
    deps = ["mark" if d == "aux" and tag == "TO" else d for d, tag in zip(deps, tags, strict=True)]
    heads, deps = repair_object_control(
        heads,
        deps,
        pos,
        [(lemma or w).lower() for lemma, w in zip(lemmas, words, strict=True)],
        list(tags),
    )
    heads, deps = join_fragments(heads, deps, pos, words)
    heads, deps = repair_time_subjects(heads, deps, pos, words)
    heads, deps = repair_misread_modifiers(heads, deps, pos, words)
    heads, deps = repair_swallowed_subjects(heads, deps, pos, words)
    pos, deps = repair_noun_verbs(heads, deps, pos, words)
    return heads, deps, pos


_TAG_POS = {
    "NN": "NOUN",
    "NNS": "NOUN",
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "PRP": "PRON",
    "PRP$": "PRON",
    "MD": "AUX",
    "IN": "ADP",
    "DT": "DET",
    "JJ": "ADJ",
    "RB": "ADV",
}


def _pos_from_tag(tag: str) -> str:
    if tag.startswith("VB"):
        return "VERB"
    return _TAG_POS.get(tag, "X")
