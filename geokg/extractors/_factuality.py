"""Whether an event is a fact: negation and modality over the clause tree.

The words that change factuality are data (``geokg/data/factuality.tsv``, one row per word, its
part of speech, how it attaches to what it changes and its effect). :func:`factuality` walks up
from a trigger (a verb, or an event noun) through the clauses and nouns that govern it and
combines every cue it meets:

* on each clause or noun of the way: its auxiliaries ("will", "could", "must"), negators ("not",
  "never", the determiner "no"), its subordinator ("if", "whether", a purpose "to",
  "despite"), an "if"/"unless" clause of its own, and a question mark;
* at each step up, the governing word when it has a row for that arc: "urged X *to* V"
  (requested), "plans *to* V", "efforts *to* V", "the goal *of* V-ing" (intended), "failed
  *to* V", "denied V-ing", "refusal *to* V" (negated), "said *that* …" (reported: the walk
  stops at the speech verb, whose subject is the speaker), "condemned X's attack" (factual).

The walk goes up through complement, adverbial and adnominal clauses (``xcomp``, ``ccomp``,
``advcl``, ``acl``), coordination (a conjunct takes its first conjunct's scope) and, from an
event noun, through the nouns and prepositions above it to the verb whose clause it sits in. It
stops at a relative clause, at the root, and at a speech verb.

Composition, for the cues met from the trigger upwards:

============================== ====================================================
cues on the way up             result (negated, modality)
============================== ====================================================
none                           (False, asserted)
"not" on the trigger           (True, negated)
"refused to", "failed to"      (True, negated)
"did not refuse to"            (False, asserted): negations under a negating or
                               non-factual head flip, so two cancel
"did not want to V"            (True, intended): negation of a hedge stays a hedge
"urged X not to V"             (True, requested)
"X denied attacking Y"         (True, negated): a denial negates what is denied
"said X did not V"             (True, negated), the speaker kept: a reported
                               negation is still a negation
"despite X voting to V"        the concessive clause is a fact: cues above it are
                               ignored, but a speech verb above still reports it
"condemned X's attack"         the judged event is a fact, as above
"would" under a speech verb    intended (a reported "will"), hypothetical with a
                               condition or without a speech verb
"whether", "?"                 hypothetical, and an intent inside is not expressed
============================== ====================================================

Modality takes the strongest cue: requested, then intended, then hypothetical, then negated
(the separate flag keeps a negation under any of the three before), then reported, then
asserted. A reported event keeps its ``reporter`` whatever its modality.

>>> from geokg.extractors._deps import DepView, Tok
>>> def view(rows):
...     toks = []
...     for i, (word, lemma, pos, tag, dep, head) in enumerate(rows):
...         toks.append(Tok(i, word, word.lower(), lemma, pos, tag, dep, head, 0, -1, " ", []))
...     for t in toks:
...         if t.head != t.i:
...             toks[t.head].children.append(t.i)
...     return DepView(toks, [], 0)
>>> # "Iran did not refuse to meet": a double negation
>>> v = view([("Iran", "Iran", "PROPN", "NNP", "nsubj", 3), ("did", "do", "AUX", "VBD", "aux", 3),
...     ("not", "not", "PART", "RB", "advmod", 3), ("refuse", "refuse", "VERB", "VB", "root", 3),
...     ("to", "to", "PART", "TO", "mark", 5), ("meet", "meet", "VERB", "VB", "xcomp", 3)])
>>> factuality(v, 5)[:2]
(False, 'asserted')
>>> # "Iran denied attacking Iraq": the denied act is negated
>>> v = view([("Iran", "Iran", "PROPN", "NNP", "nsubj", 1), ("denied", "deny", "VERB", "VBD", "root", 1),
...     ("attacking", "attack", "VERB", "VBG", "xcomp", 1), ("Iraq", "Iraq", "PROPN", "NNP", "obj", 2)])
>>> factuality(v, 2)
Factuality(negated=True, modality='negated', cue=1, reporter=None)
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from geokg.errors import ConfigError
from geokg.extractors._deps import DepView
from geokg.model import Modality

__all__ = [
    "EFFECTS",
    "Cue",
    "Factuality",
    "factuality",
    "lexicon",
    "negated_here",
    "parse_lexicon",
]

#: What a cue does to the clause it governs or modifies.
EFFECTS = frozenset(
    {
        "negated",
        "requested",
        "intended",
        "hypothetical",
        "questioned",
        "backshift",
        "reported",
        "factual",
    }
)
_ROLES = frozenset({"head", "child", "mark", "condition"})
_SCOPES = frozenset({"direct", "above", "any"})
_CONDITIONS = frozenset({"-", "object", "subjunctive", "that", "wished"})
#: Arcs from a clause to the word that governs it, along which the walk goes up.
_CLAUSE_ARCS = frozenset({"xcomp", "ccomp", "advcl", "acl", "parataxis"})
#: Arcs from an event noun to what it sits in (a verb, or another noun and then its verb).
_NOMINAL_ARCS = frozenset(
    {"obj", "obl", "nmod", "nsubj", "nsubj:pass", "iobj", "appos", "compound", "obl:agent"}
)
_VERBAL = frozenset({"VERB", "AUX", "ADJ"})
_MAX_STEPS = 10


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of ``factuality.tsv``."""

    word: str
    pos: str  # UD part of speech of the cue word, or "*"
    role: str  # head | child | mark | condition
    deps: frozenset[str]  # arcs (see the file's header); "*" = any
    scope: str  # direct | above | any
    condition: str
    effect: str
    source: str


class Factuality(NamedTuple):
    """The factuality of one event.

    ``cue`` is the token that decided the modality (or the negation, for ``negated``), ``None``
    for an asserted fact; ``reporter`` the speech verb whose clause holds the event, whose
    subject is the speaker.
    """

    negated: bool
    modality: Modality
    cue: int | None
    reporter: int | None


@functools.cache
def lexicon() -> tuple[Cue, ...]:
    """Every row of ``factuality.tsv`` (loaded once, checked).

    >>> any(c.word == "refuse" and c.effect == "negated" for c in lexicon())
    True
    """
    return parse_lexicon(
        (resources.files("geokg") / "data" / "factuality.tsv").read_text(encoding="utf-8")
    )


def parse_lexicon(text: str) -> tuple[Cue, ...]:
    """The rows of a factuality lexicon's text; :class:`~geokg.errors.ConfigError` names the
    first invalid row."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    out: list[Cue] = []
    for n, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), 2):
        cue = Cue(
            word=row["word"],
            pos=row["pos"],
            role=row["role"],
            deps=frozenset(row["deps"].split("|")),
            scope=row["scope"],
            condition=row["condition"],
            effect=row["effect"],
            source=row["source"],
        )
        bad = (
            cue.role not in _ROLES
            or cue.scope not in _SCOPES
            or cue.condition not in _CONDITIONS
            or cue.effect not in EFFECTS
            or not cue.word
            or not all(cue.deps)
        )
        if bad:
            raise ConfigError(f"factuality.tsv row {n}: invalid {row!r}")
        out.append(cue)
    return tuple(out)


@functools.cache
def _by_word() -> dict[tuple[str, str], tuple[Cue, ...]]:
    table: dict[tuple[str, str], list[Cue]] = {}
    for cue in lexicon():
        table.setdefault((cue.role, cue.word), []).append(cue)
    return {k: tuple(v) for k, v in table.items()}


def _word(v: DepView, i: int) -> tuple[str, str]:
    tok = v.toks[i]
    return tok.lemma.lower(), tok.lower.replace("\u2019", "'")  # "n’t" with a curly apostrophe


def _cues(v: DepView, i: int, role: str, dep: str, level: int) -> list[Cue]:
    """The rows of token ``i`` in ``role`` over an arc ``dep``, in scope at ``level``."""
    tok = v.toks[i]
    out: list[Cue] = []
    for word in dict.fromkeys(_word(v, i)):
        for cue in _by_word().get((role, word), ()):
            if cue.pos not in ("*", tok.pos):
                continue
            if "*" not in cue.deps and dep not in cue.deps:
                continue
            if (cue.scope == "direct" and level > 0) or (cue.scope == "above" and level == 0):
                continue
            out.append(cue)
    return out


def negated_here(v: DepView, i: int) -> bool:
    """Whether token ``i`` carries a negator of its own ("did *not* meet", "*no* talks").

    >>> from geokg.extractors._deps import DepView, Tok
    >>> toks = [Tok(0, "never", "never", "never", "ADV", "RB", "advmod", 1, 0, -1, " ", []),
    ...     Tok(1, "met", "met", "meet", "VERB", "VBD", "root", 1, 6, -1, "", [0])]
    >>> negated_here(DepView(toks, [], 0), 1), negated_here(DepView(toks, [], 0), 0)
    (True, False)
    """
    return any(c.effect == "negated" for k in v.toks[i].children for c in _local(v, k, level=0))


def _local(v: DepView, k: int, level: int) -> list[Cue]:
    """The cues a child ``k`` puts on its head's clause (aux, negator, question mark)."""
    return _cues(v, k, "child", v.toks[k].dep, level)


def _condition_holds(v: DepView, cue: Cue, head: int, clause: int) -> bool:
    if cue.condition == "object":
        return v.kid(head, "obj") is not None
    if cue.condition == "subjunctive":
        tok = v.toks[clause]
        return tok.tag == "VB" and all(v.toks[a].lower == "not" for a in v.kids(clause, "aux"))
    if cue.condition == "that":
        mark = v.kid(clause, "mark")
        return mark is not None and v.toks[mark].lower == "that"
    if cue.condition == "wished":
        tok = v.toks[head]
        return (
            tok.dep == "xcomp"
            and tok.head != head
            and any(c.condition == "object" for c in _cues(v, tok.head, "head", "xcomp", 0))
            and v.kid(head, "obj") is not None
        )
    return True


@dataclass(slots=True)
class _Walk:
    """What the walk has met so far."""

    negated: bool = False
    frozen: bool = False  # past a factual cue: only a report still counts
    effects: dict[str, int] | None = None  # effect -> the first token that gave it
    negation_cue: int | None = None
    reporter: int | None = None

    def add(self, effect: str, at: int) -> None:
        if self.frozen:
            return
        if self.effects is None:
            self.effects = {}
        if effect == "negated":
            self.negated = not self.negated
            self.negation_cue = at if self.negated else None
        elif effect == "factual":
            self.frozen = True
        else:
            self.effects.setdefault(effect, at)


def _clause_cues(w: _Walk, v: DepView, j: int, level: int, *, own: bool) -> None:
    """The cues on clause (or noun) ``j`` itself: its children and its own subordinator. A
    negator counts only on the trigger's ``own`` clause: above it, a negation reaches down only
    through the heads that pass it on (see :func:`factuality`)."""
    for k in v.toks[j].children:
        ktok = v.toks[k]
        if ktok.dep == "mark":
            continue
        for cue in _local(v, k, level):
            if own or cue.effect != "negated":
                w.add(cue.effect, k)
        if ktok.dep == "advcl":
            for m in v.kids(k, "mark"):
                for cue in _cues(v, m, "condition", "advcl", level):
                    w.add(cue.effect, m)
    if v.toks[j].head != j:
        _mark_cues(w, v, j, level)


def _mark_cues(w: _Walk, v: DepView, j: int, level: int) -> None:
    """The cues of clause ``j``'s subordinators ("if", "whether", a purpose "to", "despite")."""
    tok = v.toks[j]
    head_has_row = bool(_cues(v, tok.head, "head", tok.dep, level))
    for m in v.kids(j, "mark"):
        for cue in _cues(v, m, "mark", tok.dep, level):
            if cue.effect == "intended" and (head_has_row or tok.tag != "VB"):
                continue  # the governing word decides ("failed to V"); a purpose is a bare verb
            w.add(cue.effect, m)
            if tok.dep == "advcl" and cue.effect in ("hypothetical", "questioned"):
                # a condition is not under its main clause's hedges: "if X attacks, Y will
                # respond" does not intend the attack
                w.frozen = True


def _shares_negation(v: DepView, c: int) -> bool:
    """Whether conjunct ``c`` falls under its first conjunct's negation: it has no subject or
    auxiliary of its own and is a bare verb ("did not meet or *call*") or joined by "or"/"nor"
    ("never attacked or *threatened*"); a finite verb of its own is not ("did not meet X but
    *attacked* Y")."""
    tok = v.toks[c]
    if tok.pos not in _VERBAL or v.kids(c, "nsubj", "nsubj:pass", "aux", "aux:pass"):
        return False
    # UD hangs the conjunction on the conjunct, ClearNLP on the first conjunct
    ccs = [*v.kids(c, "cc"), *(k for k in v.kids(tok.head, "cc") if tok.head < k < c)]
    return tok.tag == "VB" or any(v.toks[k].lower in ("or", "nor") for k in ccs)


def _head_cues(v: DepView, head: int, j: int, level: int) -> list[Cue]:
    """The rows of ``head`` for the arc from ``j``, with their conditions; for a clause the
    parser hung on the verb of a noun it belongs to ("issued a demand that X …"), the noun's."""
    dep = v.toks[j].dep
    found = [c for c in _cues(v, head, "head", dep, level) if _condition_holds(v, c, head, j)]
    if found or dep != "ccomp":
        return found
    for o in (*v.kids(head, "obj"), *v.kids(head, "obl")):
        if o < j and v.toks[o].pos == "NOUN":
            found += [
                c
                for c in _cues(v, o, "head", "acl", level)
                if c.effect == "requested" and _condition_holds(v, c, o, j)
            ]
    return found


def _conj_step(
    w: _Walk,
    v: DepView,
    j: int,
    level: int,
    conj_head: Callable[[DepView, int], int] | None,
) -> int | None:
    """From conjunct ``j`` to its first conjunct, whose auxiliaries, subordinator and scope it
    shares, not its negation ("did not meet X but attacked Y"); the root's conjuncts stop
    there (``None``)."""
    head = v.toks[j].head
    shares = _shares_negation(v, j)
    k = conj_head(v, j) if conj_head is not None else head
    _clause_cues(w, v, k, level, own=False)
    if shares and k == head and negated_here(v, head):
        w.add("negated", head)  # "can never develop or acquire"
    return None if k == head and v.toks[k].dep == "root" else k


def _complement(v: DepView, j: int) -> bool:
    """Whether clause ``j`` may take the scope of what governs it: a complement, adverbial or
    adnominal clause (not a reduced relative such as "citizens abducted by X"), or a relative
    clause that a noun may govern ("a demand that X …")."""
    dep = v.toks[j].dep
    if dep == "acl":
        return v.kid(j, "mark") is not None
    return dep in _CLAUSE_ARCS or dep == "acl:relcl"


def _step_up(w: _Walk, v: DepView, j: int, level: int) -> tuple[int | None, int]:
    """From clause or noun ``j`` to what governs it, adding the governor's cues; the next
    node and level, or ``None`` where the walk stops."""
    tok = v.toks[j]
    head, dep = tok.head, tok.dep
    nominal = tok.pos not in _VERBAL and dep in _NOMINAL_ARCS
    cues = _head_cues(v, head, j, level) if nominal or _complement(v, j) else None
    if cues is None or (not cues and dep == "acl:relcl"):
        return None, level  # a relative clause is its own, unless a noun governs it
    if any(c.effect == "reported" for c in cues):
        w.reporter = head
        for c in cues:  # "denied that X attacked": a reported denial
            if c.effect != "reported":
                w.add(c.effect, head)
        return None, level
    if dep == "parataxis":
        return None, level
    for c in cues:
        w.add(c.effect, head)
    if (nominal or any(c.effect != "factual" for c in cues)) and negated_here(v, head):
        # an event noun takes its verb's negation; a hedge or a negation takes its head's
        w.add("negated", head)
    if not nominal:
        level += 1
    _clause_cues(w, v, head, level, own=False)
    return head, level


def factuality(
    view: DepView,
    trigger: int,
    *,
    quoted: bool = False,
    conj_head: Callable[[DepView, int], int] | None = None,
    stop: Callable[[DepView, int], bool] | None = None,
) -> Factuality:
    """The negation and modality of the event whose trigger is token ``trigger``.

    Args:
        view: The normalised parse (either label scheme).
        trigger: The event's verb or event noun.
        quoted: The event sits inside a quotation or a signed post (reported).
        conj_head: The clause a conjunct shares its scope with (default: its head); an
            extractor may repair conjuncts the parser attached too low.
        stop: Clauses above which the walk does not go (a misparsed conjunct of a speech verb).
    """
    v = view
    w = _Walk(effects={})
    level = 0
    j: int | None = trigger
    _clause_cues(w, v, trigger, level, own=True)
    for _step in range(_MAX_STEPS):
        if j is None or v.toks[j].head == j or (stop is not None and stop(v, j)):
            break
        if v.toks[j].dep == "conj":
            j = _conj_step(w, v, j, level, conj_head)
        else:
            j, level = _step_up(w, v, j, level)
    return _combine(w, quoted=quoted)


def _combine(w: _Walk, *, quoted: bool) -> Factuality:
    eff = w.effects or {}
    reported = w.reporter is not None or quoted
    intended = "intended" in eff
    hypothetical = "hypothetical" in eff or "questioned" in eff
    if "backshift" in eff:
        # "said it would withdraw" reports a "will"; "would withdraw if" and a "would" of
        # the writer's own are hypothetical
        conditional = hypothetical
        intended = intended or (reported and not conditional)
        hypothetical = hypothetical or not intended
    if "questioned" in eff:
        intended = False  # "doubts whether X is willing to V": no intent is expressed
    modality: Modality
    cue: int | None
    if "requested" in eff:
        modality, cue = "requested", eff["requested"]
    elif intended:
        modality, cue = "intended", eff.get("intended", eff.get("backshift"))
    elif hypothetical:
        modality = "hypothetical"
        cue = eff.get("hypothetical", eff.get("questioned", eff.get("backshift")))
    elif w.negated:
        modality, cue = "negated", w.negation_cue  # a reported denial too (docs/ANNOTATION.md)
    elif reported:
        modality, cue = "reported", w.reporter
    else:
        modality, cue = "asserted", None
    return Factuality(negated=w.negated, modality=modality, cue=cue, reporter=w.reporter)
