"""Constructions kept as data, and the one small engine that runs them (``svo.v2``).

A construction is one record of ``geokg/data/constructions.jsonl``::

    {"id": "svo.verb_object", "precedence": 50, "description": "...",
     "prior": 0.9,                           # the extractor's own confidence, before calibration
     "pattern": [...],                       # spaCy DependencyMatcher pattern
     "emit": {"agent": "subject:pred", "trigger": "pred", "target": "target",
              "relation": "pred", "prep": "target"},
     "examples": [{"text": "Russia attacked Ukraine.", "expect": [["Russia", "attack", "Ukraine"]]}]}

* ``pattern`` is matched over the *normalised* parse (:mod:`geokg.extractors._deps`): a spaCy Doc
  rebuilt from the view, with its UD labels and repaired heads, so UD and ClearNLP pipelines give
  the same matches. A string ``"@name"`` in an ``IN`` / ``NOT_IN`` list stands for a lexicon
  (:data:`LEXICONS`), kept as data.
* ``emit`` names the pattern nodes that play each role. ``agent`` is a node, or
  ``subject:NODE``: the subjects the general subject finder gives for that predicate (control,
  coordination, relative clauses), or ``parties:NODE`` / ``parties:subject:NODE``: the
  coordinated parties of a mutual event (at the node, or its subjects), paired with each other,
  or ``pair:NODE``: the two actors of one hyphenated word ("the U.S.-Russia summit"). ``target`` is a node, or ``subject:NODE`` (the patient of a passive
  under control: "X is expected to be led by Y"). ``relation`` is ``NODE`` (the node's lemma and particle, plus the
  preposition of the ``prep`` node when given) or ``noun:NODE`` (the nominal-event lexicon's
  relation for that noun). The ``prep`` node adds its preposition ("met with") or, when it has
  none, its own word ("work together"). Optional ``target_preps`` / ``agent_preps`` name the lexicon column that
  the ``case`` of the target / agent node must be in. Three optional guards, each ``"NODE"``:
  ``target_after_trigger`` (the target follows the trigger), ``no_object`` (the node has no
  direct object: "sent troops to X" names a destination, not a partner), ``no_partner`` (the node
  has no object and no "with"/"to" phrase: "A and B met" pairs A and B, "A and B met with C" does
  not).
* ``target_label: LABEL``: the target must be a mention of that entity label (``PERSON``: "told
  Putin" is a relation, "told Reuters" is not).
* ``coded: "yes"``: the relation must be an event of the verb dictionary (``geokg.events``): a
  general construction over any verb ("X set up Y", "X finalised Y") is kept only for verbs that
  name an act between actors.
* ``ending: "yes"``: the relation must be a verb that ends, suspends or leaves what its object
  names (``geokg/data/polarity.tsv``), so that "called off talks with X" is an act on X.
* ``theme: NODE``: what the act moves or acts on, which the verb dictionary codes with the verb
  ("provided aid to X" is coded as providing aid).
* ``target_owner: "yes"``: a target phrase that is no actor stands for its owner (possessor,
  name modifier or demonym: "condemned Russia's aggression" condemns Russia).
* ``precedence``: where two constructions make the same claim (trigger, target and relation),
  only the higher one is kept; an ``exclusive`` record, when it gives a relation, also silences every
  lower one on its trigger.
* ``examples`` are sentences with the triples they must give (subject head, relation, object
  head); ``tests/test_constructions.py`` runs every one, so each record is its own test.

Targets and agents are expanded over their conjuncts ("sanctions on Iran and Syria").
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from geokg.errors import ConfigError
from geokg.extractors._lexicon import (
    LIGHT_VERBS,
    NEUTRAL_SPEECH,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc

    from geokg.extractors._deps import DepView

__all__ = [
    "LEXICONS",
    "Construction",
    "ConstructionMatch",
    "EventNoun",
    "competing",
    "event_nouns",
    "load_constructions",
    "match_view",
]

_EMIT_KEYS = frozenset(
    {"agent", "trigger", "target", "relation", "prep", "target_preps", "agent_preps", "mutual"}
    | {"target_after_trigger", "no_partner", "no_object", "target_owner", "theme"}
    | {"target_label", "coded", "ending"}
)


@dataclass(frozen=True, slots=True)
class EventNoun:
    """One row of ``geokg/data/event_nouns.tsv``."""

    noun: str
    relation: str
    target_preps: frozenset[str]
    agent_preps: frozenset[str]
    mutual: bool


@functools.cache
def event_nouns() -> Mapping[str, EventNoun]:
    """The nominal-event lexicon, by noun lemma."""
    text = resources.files("geokg.data").joinpath("event_nouns.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out: dict[str, EventNoun] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        out[row["noun"]] = EventNoun(
            noun=row["noun"],
            relation=row["relation"],
            target_preps=_preps(row["target_preps"]),
            agent_preps=_preps(row["agent_preps"]),
            mutual=row["mutual"] == "yes",
        )
    return out


def _preps(cell: str) -> frozenset[str]:
    return frozenset() if cell in ("", "-") else frozenset(cell.split("|"))


#: Verbs whose parties act with each other: "A and B met", "the leaders consulted".
MUTUAL_VERBS = frozenset(
    {"meet", "talk", "speak", "consult", "confer", "negotiate", "cooperate", "collaborate"}
)
#: Verbs of giving or sending whose "to" phrase names a recipient even beside an object ("provided
#: assistance to Ukraine", "returned the children to Albania").
TRANSFER_VERBS = frozenset(
    {"provide", "give", "send", "deliver", "return", "deport", "extradite", "extend", "supply"}
    | {"sell", "transfer", "offer", "grant", "hand", "pledge", "export", "ship", "lend", "donate"}
)
#: Verbs of perception: their object is the subject of a small clause ("wants to see X stop"),
#: never a patient.
PERCEPTION_VERBS = frozenset({"see", "watch", "hear", "witness", "notice", "observe"})
#: Verbs whose subject is the agent of the event noun they announce ("announced a suspension of
#: links with X", "declared a blockade of X").
ANNOUNCING_VERBS = frozenset({"announce", "declare", "order", "decree", "authorize", "authorise"})
#: Verbs of acting jointly: done "together" or "with each other", their subjects act with each
#: other ("agreed to work together").
RECIPROCAL_VERBS = MUTUAL_VERBS | {"work", "coordinate", "partner"}
#: Verbs of telling whose object is the one told ("told Putin", "assured Kyiv").
ADDRESSEE_VERBS = frozenset({"tell", "assure", "inform", "brief", "remind", "reassure"})
#: Event nouns coded by what they act on ("a suspension of tariffs on X" suspends tariffs).
THEMED_NOUNS = frozenset({"suspension", "lifting", "easing", "removal", "extension"})
#: Linking verbs: their predicate nominal is a role of the subject, not an object.
LINKING_VERBS = frozenset({"be", "become", "remain", "serve"})  # "served as ambassador to X"


#: PLOVER types of verbs that judge or answer another's act ("condemned X's crackdown").
JUDGING_TYPES = frozenset({"ACCUSE", "REJECT", "SUPPORT", "PROTEST"})


def _judging_verbs() -> frozenset[str]:
    """The curated verb dictionary's bare verbs that judge: their PLOVER type is one of
    :data:`JUDGING_TYPES` ("condemn", "praise", "reject"). Read from the dictionary, not listed."""
    from geokg.events import code_event, curated_lemmas

    out = set()
    for lemma in curated_lemmas():
        event = code_event(lemma) if " " not in lemma else None
        if event is not None and event.plover in JUDGING_TYPES:
            out.update({lemma, lemma.replace("ise", "ize")})  # either spelling of the parser
    return frozenset(out)


def _lexicons() -> dict[str, frozenset[str]]:
    nouns = event_nouns()
    return {
        "event_nouns": frozenset(nouns),
        "mutual_nouns": frozenset(n for n, e in nouns.items() if e.mutual),
        "light_verbs": LIGHT_VERBS,
        "neutral_speech": NEUTRAL_SPEECH,
        "linking_verbs": LINKING_VERBS,
        "mutual_verbs": MUTUAL_VERBS,
        "transfer_verbs": TRANSFER_VERBS,
        "perception_verbs": PERCEPTION_VERBS,
        "themed_nouns": THEMED_NOUNS,
        "announcing_verbs": ANNOUNCING_VERBS,
        "reciprocal_verbs": RECIPROCAL_VERBS,
        "addressee_verbs": ADDRESSEE_VERBS,
        "judging_verbs": _judging_verbs(),
    }


#: Lexicons a pattern may name as ``"@name"``.
LEXICONS: Mapping[str, frozenset[str]] = _lexicons()


@dataclass(frozen=True, slots=True)
class Construction:
    """One construction record (module docstring)."""

    id: str
    precedence: int
    description: str
    pattern: tuple[Mapping[str, Any], ...]
    emit: Mapping[str, str]
    prior: float = 0.5
    exclusive: bool = False
    examples: tuple[Mapping[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ConstructionMatch:
    """One match: the construction and the view token of each pattern node."""

    construction: Construction
    nodes: Mapping[str, int]


def _expand(value: Any, where: str) -> Any:
    """Replace ``"@name"`` strings inside lists with the lexicon's words, sorted."""
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("@"):
                if item[1:] not in LEXICONS:
                    raise ConfigError(f"{where}: unknown lexicon {item!r}")
                out.extend(sorted(LEXICONS[item[1:]]))
            else:
                out.append(_expand(item, where))
        return out
    return value


def _parse(rec: Any, where: str) -> Construction:
    if not isinstance(rec, dict):
        raise ConfigError(f"{where}: a construction must be a JSON object")
    for key in ("id", "precedence", "pattern", "emit"):
        if key not in rec:
            raise ConfigError(f"{where}: missing field {key!r}")
    emit = rec["emit"]
    if not isinstance(emit, dict) or not {"agent", "trigger", "target", "relation"} <= set(emit):
        raise ConfigError(f"{where}: emit needs agent, trigger, target and relation")
    unknown = set(emit) - _EMIT_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown emit keys {sorted(unknown)}")
    nodes = {p.get("RIGHT_ID") for p in rec["pattern"]}
    for key in ("trigger", "prep", "theme"):
        if key in emit and emit[key] not in nodes:
            raise ConfigError(f"{where}: emit {key} names no pattern node: {emit[key]!r}")
    for key in ("agent", "target"):
        if str(emit[key]).rsplit(":", 1)[-1] not in nodes:
            raise ConfigError(f"{where}: emit {key} names no pattern node: {emit[key]!r}")
    return Construction(
        id=str(rec["id"]),
        precedence=int(rec["precedence"]),
        description=str(rec.get("description", "")),
        pattern=tuple(_expand(rec["pattern"], where)),
        emit={k: str(v) for k, v in emit.items()},
        prior=float(rec.get("prior", 0.5)),
        exclusive=bool(rec.get("exclusive", False)),
        examples=tuple(rec.get("examples", ())),
    )


@functools.cache
def load_constructions() -> tuple[Construction, ...]:
    """Every construction of ``geokg/data/constructions.jsonl``, in file order.

    Raises:
        ConfigError: A record is malformed (the message names the line and the reason).
    """
    path = resources.files("geokg.data").joinpath("constructions.jsonl")
    out: list[Construction] = []
    seen: set[str] = set()
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"geokg/data/constructions.jsonl line {no}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: not JSON ({exc.msg})") from exc
        con = _parse(rec, where)
        if con.id in seen:
            raise ConfigError(f"{where}: duplicate id {con.id!r}")
        seen.add(con.id)
        out.append(con)
    return tuple(out)


def _pattern_words(value: Any) -> set[str]:
    """Every string value inside a pattern's token attributes (the words it can test)."""
    if isinstance(value, dict):
        return {w for v in value.values() for w in _pattern_words(v)}
    if isinstance(value, list):
        return {w for v in value for w in _pattern_words(v)}
    return {value} if isinstance(value, str) else set()


#: Token attributes of the view's Doc (:meth:`_Engine.doc`) that the direct matcher tests.
_NODE_ATTRS = frozenset({"DEP", "POS", "TAG", "LEMMA"})

#: Relation operators the direct matcher follows: a child, a descendant.
_NODE_OPS = frozenset({">", ">>"})

#: One node of a pattern for the direct matcher: its LEFT node's index (``-1`` for the anchor),
#: its operator, and its attribute tests ``(attribute, negated, values)``.
_Node = tuple[int, str, tuple[tuple[str, bool, frozenset[str]], ...]]


def _node_tests(attrs: Any) -> tuple[tuple[str, bool, frozenset[str]], ...] | None:
    """A node's ``RIGHT_ATTRS`` as ``(attribute, negated, values)`` tests, or ``None``."""
    if not isinstance(attrs, Mapping):
        return None
    tests: list[tuple[str, bool, frozenset[str]]] = []
    for attr, value in attrs.items():
        spec = {"IN": [value]} if isinstance(value, str) else value
        ok = (
            attr in _NODE_ATTRS
            and isinstance(spec, Mapping)
            and bool(spec)
            and set(spec) <= {"IN", "NOT_IN"}
            and all(
                isinstance(ws, list) and all(isinstance(w, str) for w in ws) for ws in spec.values()
            )
        )
        if not ok:
            return None
        tests.extend((attr, pred == "NOT_IN", frozenset(words)) for pred, words in spec.items())
    return tuple(tests)


def _direct_nodes(pattern: Sequence[Mapping[str, Any]]) -> tuple[_Node, ...] | None:
    """A pattern as the direct matcher runs it, or ``None`` where it needs spaCy's matcher.

    The direct matcher takes an anchor, then nodes each linked to an earlier one by ``>`` or
    ``>>``, whose attributes are ``DEP``, ``POS``, ``TAG`` or ``LEMMA`` tested by a string or
    an ``IN`` / ``NOT_IN`` list: every pattern of ``constructions.jsonl``. Anything else runs
    through spaCy's ``DependencyMatcher``.

    >>> _direct_nodes([{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
    ...                {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {}}])
    ((-1, '', (('POS', False, frozenset({'VERB'})),)), (0, '>', ()))
    >>> _direct_nodes([{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LOWER": "met"}}]) is None
    True
    """
    index: dict[str, int] = {}
    nodes: list[_Node] = []
    for k, node in enumerate(pattern):
        left, op = index.get(node.get("LEFT_ID", "")), node.get("REL_OP")
        keys = {"RIGHT_ID", "RIGHT_ATTRS"} | ({"LEFT_ID", "REL_OP"} if k else set())
        tests = _node_tests(node.get("RIGHT_ATTRS", {}))
        name = node.get("RIGHT_ID")
        linked = (left is None and op is None) if k == 0 else (left is not None and op in _NODE_OPS)
        if (
            set(node) - keys
            or tests is None
            or not linked
            or not isinstance(name, str)
            or name in index
        ):
            return None
        index[name] = k
        nodes.append((-1 if left is None else left, str(op or ""), tests))
    return tuple(nodes)


class _ViewIndex:
    """What the direct matcher reads of one view, each part computed once: the attribute values
    of the view's Doc (:meth:`_Engine.doc`), the tokens passing each test, descendants."""

    def __init__(self, view: DepView, words: frozenset[str]) -> None:
        self.view = view
        self.words = words
        self.everyone = frozenset(range(len(view.toks)))
        self._values: dict[str, dict[str, list[int]]] = {}
        self._passing: dict[tuple[str, bool, frozenset[str]], frozenset[int]] = {}
        self._below: dict[int, list[int]] = {}
        self._candidates: dict[tuple[tuple[str, bool, frozenset[str]], ...], frozenset[int]] = {}

    def values(self, attr: str) -> dict[str, list[int]]:
        """The tokens of each value of ``attr`` in the view's Doc."""
        if attr not in self._values:
            toks = self.view.toks
            if attr == "LEMMA":
                lowered = (t.lemma.lower() for t in toks)
                vals = [w if w in self.words else "_" for w in lowered]
            elif attr == "DEP":
                vals = [t.dep or "dep" for t in toks]
            elif attr == "POS":
                vals = [t.pos or "X" for t in toks]
            else:
                vals = [t.tag or "XX" for t in toks]
            groups: dict[str, list[int]] = {}
            for i, value in enumerate(vals):
                groups.setdefault(value, []).append(i)
            self._values[attr] = groups
        return self._values[attr]

    def candidates(self, tests: tuple[tuple[str, bool, frozenset[str]], ...]) -> frozenset[int]:
        """The tokens that pass every test (kept per set of tests, which constructions share)."""
        found = self._candidates.get(tests)
        if found is not None:
            return found
        ok: frozenset[int] | None = None
        for test in tests:
            passing = self._passing.get(test)
            if passing is None:
                passing = self._passing[test] = self._passing_test(*test)
            ok = passing if ok is None else ok & passing
            if not ok:
                break  # the other tests cannot add a token
        found = self._candidates[tests] = self.everyone if ok is None else ok
        return found

    def _passing_test(self, attr: str, negated: bool, words: frozenset[str]) -> frozenset[int]:
        groups = self.values(attr)
        if not negated and len(words) < len(groups):  # look up the few values tested
            return frozenset(i for w in words if w in groups for i in groups[w])
        return frozenset(
            i for value, idxs in groups.items() if (value in words) != negated for i in idxs
        )

    def near(self, i: int, op: str) -> list[int]:
        if op == ">":
            return self.view.toks[i].children
        if i not in self._below:
            self._below[i] = [j for j in self.view.subtree(i) if j != i]
        return self._below[i]


class _Engine:
    """The compiled matcher over a private vocabulary.

    Words and lemmas that no pattern names are written as ``_``, so the private vocabulary never
    grows with the corpus and no spaCy memory zone can free a string the matcher needs.

    Patterns that :func:`_direct_nodes` takes are matched directly over the view (the same
    matches as spaCy's ``DependencyMatcher`` over the view's Doc, without building the Doc: the
    construction engine was the biggest cost of extraction); the others, if any, go through
    spaCy's ``DependencyMatcher``. ``tests/extractors/test_svo2.py`` checks that both agree.
    """

    def __init__(self, constructions: Sequence[Construction]) -> None:
        from spacy.matcher import DependencyMatcher
        from spacy.vocab import Vocab

        self.vocab = Vocab()
        self.constructions = {c.id: c for c in constructions}
        self.order = {c.id: k for k, c in enumerate(constructions)}
        self.words = frozenset(
            w
            for c in constructions
            for p in c.pattern
            for w in _pattern_words(p.get("RIGHT_ATTRS", {}))
        )
        # every pattern, validated: the reference the tests compare the direct matcher with
        self.reference = DependencyMatcher(self.vocab, validate=True)
        self.matcher = DependencyMatcher(self.vocab, validate=True)  # the patterns not direct
        self.direct: list[tuple[Construction, tuple[_Node, ...]]] = []
        for con in constructions:
            self.reference.add(con.id, [[dict(p) for p in con.pattern]])
            nodes = _direct_nodes(con.pattern)
            if nodes is None:
                self.matcher.add(con.id, [[dict(p) for p in con.pattern]])
            else:
                self.direct.append((con, nodes))

    def doc(self, view: DepView) -> Doc:
        """The normalised view as a Doc of the private vocabulary (same token indices)."""
        from spacy.tokens import Doc

        toks = view.toks
        # lower case: a title's "Summit" or "Talks" is the event noun all the same
        lemma = [t.lemma.lower() if t.lemma.lower() in self.words else "_" for t in toks]
        return Doc(
            self.vocab,
            words=["_"] * len(toks),
            spaces=[True] * len(toks),
            heads=[t.head for t in toks],
            deps=[t.dep or "dep" for t in toks],
            pos=[t.pos or "X" for t in toks],
            tags=[t.tag or "XX" for t in toks],
            lemmas=lemma,
        )

    def _direct_matches(self, view: DepView) -> Iterator[tuple[str, list[int]]]:
        """The direct patterns' matches over ``view``: a node's candidates are the tokens that
        pass its tests, a linked node's those among the children (``>``) or descendants
        (``>>``) of its left node's token."""
        index = _ViewIndex(view, self.words)
        for con, nodes in self.direct:
            anchors = index.candidates(nodes[0][2])
            if not anchors:
                continue  # the other nodes' tests are not needed
            partial: list[list[int]] = [[i] for i in sorted(anchors)]
            for left, op, tests in nodes[1:]:
                cands = index.candidates(tests)  # only for the nodes a partial match reaches
                partial = [
                    [*ids, j] for ids in partial for j in index.near(ids[left], op) if j in cands
                ]
                if not partial:
                    break
            for ids in partial:
                yield con.id, ids

    def _spacy_matches(
        self, view: DepView, matcher: DependencyMatcher
    ) -> Iterator[tuple[str, list[int]]]:
        if len(matcher) == 0:
            return
        for match_id, token_ids in matcher(self.doc(view)):
            yield self.vocab.strings[match_id], token_ids

    def matches(self, view: DepView, *, direct: bool = True) -> list[ConstructionMatch]:
        """Every match over ``view``, in token order, then file order (``direct=False``: every
        pattern through spaCy's ``DependencyMatcher``, the reference the tests compare with)."""
        found: list[tuple[int, int, list[int], ConstructionMatch]] = []
        if direct:
            raw = [*self._direct_matches(view), *self._spacy_matches(view, self.matcher)]
        else:
            raw = list(self._spacy_matches(view, self.reference))
        for con_id, token_ids in raw:
            con = self.constructions[con_id]
            names = [str(p["RIGHT_ID"]) for p in con.pattern]
            nodes = dict(zip(names, token_ids, strict=True))
            found.append(
                (min(token_ids), self.order[con.id], token_ids, ConstructionMatch(con, nodes))
            )
        found.sort(key=lambda f: (f[0], f[1], f[2]))
        return [f[3] for f in found]


@functools.cache
def _engine() -> _Engine:
    return _Engine(load_constructions())


def match_view(view: DepView) -> list[ConstructionMatch]:
    """Every construction match in ``view``, in token order, then file order."""
    if not view.toks:
        return []
    return _engine().matches(view)


def competing(matches: Sequence[tuple[int, int, str, int, bool]]) -> set[int]:
    """Indices of the frames that lose to a higher-precedence one (module docstring).

    ``matches`` holds ``(trigger, target, relation, precedence, exclusive)`` per frame: frames
    compete when they make the same claim (trigger, target and relation); an exclusive one
    silences every lower frame on its trigger.
    """
    best: dict[tuple[int, int, str], int] = {}
    sole: dict[int, int] = {}
    for trig, target, relation, prec, exclusive in matches:
        key = (trig, target, relation)
        best[key] = max(best.get(key, prec), prec)
        if exclusive:
            sole[trig] = max(sole.get(trig, prec), prec)
    return {
        k for k, (t, o, r, p, _) in enumerate(matches) if p < best[(t, o, r)] or p < sole.get(t, p)
    }
