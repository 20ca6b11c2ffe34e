"""Actor-to-actor relations from constructions kept as data (``svo.v2``, the default extractor).

The predicates and their arguments come from the construction records of
``geokg/data/constructions.jsonl`` (:mod:`geokg.extractors.constructions`), run by one engine over
the normalised parse; nominal events read their relation and the prepositions of their agent and
target from ``geokg/data/event_nouns.tsv``. General mechanisms apply to every record:

* coordination: agents and targets are expanded over their conjuncts and "including" lists, and
  a mutual event (a meeting, talks, a deal) pairs each of its parties with each other;
* reference to parties: "we" of a statement whose apposition names its signatories, and "they" or
  "the leaders" after a meeting or call, stand for those actors (:meth:`_party_reference`);
* the owner of a target: a target phrase that is no actor stands for its possessor, name
  modifier, demonym or "by" agent ("support for Tanzania's recovery" supports Tanzania);
* polarity: an event noun a verb ends is no event of its own (``geokg/data/polarity.tsv``);
* competition: of frames that make the same claim only the highest precedence is kept.

What a relation carries besides its construction (negation, modality, speaker, time, place,
quotes and the document's speakers, the headline fallback) is shared with ``svo.v1``: this class
replaces how frames are found. The ``svo.v1`` constructions the records do not replace are kept
(:data:`CARRIED`); ``svo.deep_target`` among them is weak on the news gold (docs/EVALUATION.md)
but carries the event-coding samples, and the calibrated confidence holds most of its rows back
from the exports.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence

from geokg.events import code_event, polarity
from geokg.extractors._deps import DepView
from geokg.extractors._mentions import MentionBuilder
from geokg.extractors.constructions import (
    ConstructionMatch,
    competing,
    event_nouns,
    load_constructions,
    match_view,
)
from geokg.extractors.svo import ExtractorState, SvoExtractor, _Frame, _theme
from geokg.model import Mention, Relation

__all__ = ["CARRIED", "RULES_V2", "SvoV2Extractor"]

NAME = "svo.v2"

#: ``svo.v1`` constructions kept in ``svo.v2``: those the records do not replace.
CARRIED = frozenset(
    {
        "svo.passive_announced",
        "svo.deep_target",
        "svo.untargeted_event",
        "svo.sovereign",
        "svo.take_part",
        "svo.wish_see",
        "svo.matrix_commitment",
        "svo.matrix_untargeted",
        "svo.pressure",
        "svo.conditional_threat",
        "svo.demand_clause",
        "svo.demand_noun",
        "svo.reaction",
        "svo.proposal",
        "svo.deontic_urge",
        "svo.judgement",
        "svo.surface_pressure",
        "svo.surface_verb",
    }
)


def rules_v2() -> dict[str, str]:
    """Every rule id ``svo.v2`` may put on a relation, with its description."""
    from geokg.extractors.svo import RULES

    out = {c.id: c.description for c in load_constructions()}
    out.update({k: v for k, v in RULES.items() if k in CARRIED})
    return out


RULES_V2 = rules_v2()


#: Relations of meeting or calling: their two sides are "the leaders" of the next sentences.
_MEETING = frozenset(
    {"meet", "meet with", "talk with", "speak with", "call", "talk to", "speak to"}
)
#: Plural words that refer back to the two sides of a meeting ("They condemned …", "The leaders
#: discussed …", "Both leaders reaffirmed …").
_PARTY_PRONOUNS = frozenset({"they", "their"})
_OWNED_SIDES = frozenset({"government", "country", "nation", "administration"})
_PARTY_NOUNS = frozenset({"leader", "president", "advisor", "adviser", "minister", "side"})
_HYPHEN = re.compile(r"[-\u2013]")
_WE = frozenset({"we", "us", "our"})
_PARTY_WINDOW = 3  # sentences after the meeting that "the leaders" may reach


class SvoV2Extractor(SvoExtractor):
    """``svo.v1``'s relation building over frames found by the construction engine."""

    name = NAME

    def extract(
        self,
        view: DepView,
        *,
        doc_id: str,
        text: str,
        sentences: Sequence[tuple[int, int]],
        state: ExtractorState | None = None,
    ) -> Iterator[Relation]:
        """Yield the relations in ``view`` (as :meth:`SvoExtractor.extract`)."""
        self._state = state or ExtractorState()
        yield from super().extract(
            view, doc_id=doc_id, text=text, sentences=sentences, state=self._state
        )

    def _frames(self, v: DepView, mb: MentionBuilder, start: int, end: int) -> Iterator[_Frame]:
        if self.open_mode:
            yield from super()._frames(v, mb, start, end)
            return
        state = getattr(self, "_state", None) or ExtractorState()
        state.frames_sentence_no += 1
        self._note_we(v, mb, start, end, state)
        matches = [
            m for m in self._matches(v) if start <= m.nodes[m.construction.emit["trigger"]] < end
        ]
        frames = [fr for m in matches for fr in self._construction_frames(v, mb, m, state)]
        frames += [fr for fr in super()._frames(v, mb, start, end) if fr.rule in CARRIED]
        # only frames that can give a relation compete: an object that is no actor drops a
        # record's frame, never an untargeted event's on the same words
        frames = [fr for fr in frames if fr.untargeted or fr.judged or self._reaches(mb, fr)]
        losers = competing(
            [
                (fr.trigger, fr.obj, fr.relation, _PREC[fr.rule], fr.rule in _EXCLUSIVE)
                for fr in frames
            ]
        )
        kept = [fr for k, fr in enumerate(frames) if k not in losers]
        self._note_parties(v, mb, kept, state)
        for fr in kept:
            yield from self._expand_parties(v, mb, fr, state)

    def _expand_parties(
        self, v: DepView, mb: MentionBuilder, fr: _Frame, state: ExtractorState
    ) -> Iterator[_Frame]:
        """A frame whose subject refers back to both sides of a recent meeting ("They
        condemned X", "The leaders discussed X"), once for each side."""
        m = mb.mention(fr.subj) if fr.subj is not None else None
        sides = (
            self._party_reference(v, fr.subj, state)
            if fr.subj is not None
            and (m is None or m.kind == "pronoun" or v.toks[fr.subj].lower in _WE)
            else ()
        )
        if not sides:
            yield fr
            return
        for side in sides:
            yield dataclasses.replace(
                fr, subj=None, subj_mention=side, confidence=fr.confidence * 0.8
            )

    @staticmethod
    def _reaches(mb: MentionBuilder, fr: _Frame) -> bool:
        """Whether the frame's object is an actor (the subject is resolved later)."""
        return fr.obj_mention is not None or mb.mention(fr.obj) is not None

    def _note_parties(
        self, v: DepView, mb: MentionBuilder, frames: Sequence[_Frame], state: ExtractorState
    ) -> None:
        """Remember the two sides of the sentence's meeting or call, if it has one."""
        for fr in frames:
            if fr.relation not in _MEETING:
                continue
            subj = self._subject_mention(v, mb, fr)
            obj = fr.obj_mention or mb.mention(fr.obj)
            if subj is not None and obj is not None and subj.kind == obj.kind == "name":
                state.parties = (state.frames_sentence_no, (subj, obj))
                return

    @staticmethod
    def _note_we(
        v: DepView, mb: MentionBuilder, start: int, end: int, state: ExtractorState
    ) -> None:
        """ "We, the leaders of Japan, Korea and the United States, …": the named actors of the
        apposition are who "we" is, for the rest of the document."""
        for k in range(start, end):
            tok = v.toks[k]
            if tok.pos != "PRON" or tok.lower != "we" or v.kid(k, "appos") is None:
                continue
            names: dict[tuple[int, int], Mention] = {}
            for j in v.subtree(k):
                m = mb.mention(j) if j != k else None
                if m is not None and m.kind == "name":
                    names.setdefault((m.start, m.end), m)
            if len(names) >= 2:
                state.we_parties = tuple(names[key] for key in sorted(names))
                return

    def _party_reference(self, v: DepView, k: int, state: ExtractorState) -> tuple[Mention, ...]:
        """The actors that the plural ``k`` refers to: "we" of a statement whose signatories an
        apposition named, or the two sides of a recent meeting ("they", "the leaders")."""
        tok = v.toks[k]
        if tok.pos == "PRON" and tok.lower in _WE and state.we_parties:
            return state.we_parties
        if state.parties is None or state.frames_sentence_no - state.parties[0] > _PARTY_WINDOW:
            return ()
        if tok.pos == "PRON" and tok.lower in _PARTY_PRONOUNS:
            return state.parties[1]
        owner = v.kid(k, "nmod:poss")
        if owner is not None and tok.tag in ("NNS", "NNPS") and tok.lemma in _OWNED_SIDES:
            return self._party_reference(v, owner, state)  # "our governments", "their countries"
        if tok.lemma in _PARTY_NOUNS and tok.tag in ("NNS", "NNPS"):
            dets = {v.toks[c].lower for c in v.kids(k, "det", "nummod", "amod")}
            if dets & {"the", "both", "two"}:
                return state.parties[1]
        return ()

    def _matches(self, v: DepView) -> list[ConstructionMatch]:
        cache: tuple[DepView, list[ConstructionMatch]] | None = getattr(self, "_match_cache", None)
        if cache is not None and cache[0] is v:
            return cache[1]
        found = match_view(v)
        self._match_cache = (v, found)
        return found

    # ------------------------------------------------------------------------------------------
    def _construction_frames(
        self, v: DepView, mb: MentionBuilder, m: ConstructionMatch, state: ExtractorState
    ) -> Iterator[_Frame]:
        """The frames of one match: its relation from each agent to each target."""
        con, emit, nodes = m.construction, m.construction.emit, m.nodes
        relation = self._relation(v, m) if self._guards_hold(v, m) else None
        if relation is None:
            return
        if emit.get("ending") == "yes":
            relation = _ending_label(v, relation, nodes.get("noun"))
            if relation is None:
                return
        trigger = nodes[emit["trigger"]]
        base = _Frame(
            subj=None,
            subj_mention=None,
            obj=trigger,
            relation=relation,
            trigger=trigger,
            confidence=con.prior,
            rule=con.id,
            theme=_theme(v, nodes[emit["theme"]]) if "theme" in emit else None,
        )
        if emit["agent"].startswith("parties:"):
            yield from self._party_frames(v, m, base, state)
            return
        if emit["agent"].startswith("pair:"):
            sides = self._hyphen_pair(v, mb, nodes[emit["agent"].split(":", 1)[1]])
            if sides is not None:
                yield dataclasses.replace(base, subj_mention=sides[0], obj_mention=sides[1])
            return
        agents, factor = self._agents(v, m)
        verbal = v.toks[trigger].pos == "VERB"
        for o in self._targets(v, m):
            owner = self._owner(v, mb, o) if _owned(emit) else (o, None)
            if owner is None or not _labelled(mb, emit, o):
                continue
            # "accused X of lying": the complement that says what of
            detail = self._detail(v, trigger, o) if verbal else None
            if emit.get("coded") == "yes" and code_event(relation, detail=detail) is None:
                continue  # "wants X to meet Y" is coded by its detail, "wants X" is not
            for s in agents:
                subj_mention = mb.demonym_country(s) if mb.mention(s) is None else None
                if subj_mention is None and mb.mention(s) is None and s != agents[0]:
                    continue
                yield dataclasses.replace(
                    base,
                    subj=s if subj_mention is None else None,
                    subj_mention=subj_mention,
                    obj=owner[0],
                    obj_mention=owner[1],
                    confidence=con.prior * factor,
                    detail=detail,
                )

    def _agents(self, v: DepView, m: ConstructionMatch) -> tuple[list[int], float]:
        """The agent tokens of a match, and a confidence factor (control, coordination)."""
        spec = m.construction.emit["agent"]
        if spec.startswith("subject:"):
            return self._subjects(v, m.nodes[spec.split(":", 1)[1]])
        agent = m.nodes[spec]
        return (v.conjuncts(agent), 1.0) if self._agent_fits(v, m, agent) else ([], 0.0)

    def _targets(self, v: DepView, m: ConstructionMatch) -> list[int]:
        """The target tokens: the node's conjuncts, or the subjects of a controlled passive."""
        spec = m.construction.emit["target"]
        if spec.startswith("subject:"):  # "X is expected to be led by Y": X, by control
            return self._subjects(v, m.nodes[spec.split(":", 1)[1]])[0]
        return _with_included(v, v.conjuncts(m.nodes[spec]))

    def _party_frames(
        self, v: DepView, m: ConstructionMatch, base: _Frame, state: ExtractorState
    ) -> Iterator[_Frame]:
        """A mutual event: each of its parties with each other. ``parties:NODE`` are the
        coordinated words at the node; ``parties:subject:NODE`` the node's subjects. One plural
        word that refers back ("we", "they", "the leaders") stands for the actors it names."""
        spec = m.construction.emit["agent"].split(":", 1)[1]
        if spec.startswith("subject:"):
            words = self._subjects(v, m.nodes[spec.split(":", 1)[1]])[0]
        else:
            words = v.conjuncts(m.nodes[spec])
        sides = self._party_reference(v, words[0], state) if len(words) == 1 else ()
        for x, y in itertools.combinations(sides, 2):
            yield dataclasses.replace(
                base, subj_mention=x, obj_mention=y, confidence=base.confidence * 0.8
            )
        if not sides:
            parties = self._parties(v, words[0]) if len(words) == 1 else words
            for a, b in itertools.combinations(parties, 2):
                yield dataclasses.replace(base, subj=a, obj=b)

    def _hyphen_pair(
        self, v: DepView, mb: MentionBuilder, k: int
    ) -> tuple[Mention, Mention] | None:
        """ "U.S.-Russia" in "the U.S.-Russia summit": two actors the gazetteer knows, as name
        mentions over their part of the word; ``None`` unless both parts are actors."""
        tok = v.toks[k]
        parts = _HYPHEN.split(tok.text)
        if len(parts) != 2 or not all(parts):
            return None
        out: list[Mention] = []
        offset = tok.idx
        for part in parts:
            entry = mb.gaz.lookup(part)
            start = tok.idx + tok.text.index(part, offset - tok.idx)
            offset = start + len(part)
            if entry is None:
                return None
            out.append(
                Mention(
                    text=part,
                    name=entry.label,
                    start=start,
                    end=start + len(part),
                    label="GPE" if entry.type == "country" else "ORG",
                    kind="name",
                    country=entry.country,
                    head=part.lower(),
                )
            )
        return out[0], out[1]

    def _owner(self, v: DepView, mb: MentionBuilder, o: int) -> tuple[int, Mention | None] | None:
        """The actor a phrase stands for (``svo.v1``'s owner), or the agent its "by" phrase names:
        "condemned the missile launch by the DPRK" condemns the DPRK."""
        owner = super()._owner(v, mb, o)
        if owner is not None:
            return owner
        for c in v.kids(o, "nmod"):
            if v.prep(c) == "by" and mb.mention(c) is not None:
                return c, None
        return None

    @staticmethod
    def _parties(v: DepView, k: int) -> list[int]:
        """The coordinated parties at ``k``; "We, the President of France, the Chancellor of
        Germany …" gives the parties its apposition lists."""
        parties = v.conjuncts(k)
        if len(parties) == 1:
            appos = v.kid(k, "appos")
            if appos is not None:
                return v.conjuncts(appos)
        return parties

    def _guards_hold(self, v: DepView, m: ConstructionMatch) -> bool:
        """The record's optional guards (:mod:`geokg.extractors.constructions`), and polarity: an
        event noun that a verb ends is no event of its own."""
        emit, nodes = m.construction.emit, m.nodes
        trigger = nodes[emit["trigger"]]
        head = v.toks[trigger].head
        if head != trigger and _ended(v, trigger, self._relation_label(v, head)):
            return False
        if (
            "target_after_trigger" in emit
            and emit["target"] in nodes
            and nodes[emit["target"]] < nodes[emit["target_after_trigger"]]
        ):
            return False
        if "no_object" in emit and v.kids(nodes[emit["no_object"]], "obj", "iobj"):
            return False
        if "no_partner" in emit:
            node = nodes[emit["no_partner"]]
            partners = [
                c
                for c in v.kids(node, "obl", "nmod", "obj", "iobj")
                if c not in nodes.values()
                and (v.toks[c].dep in ("obj", "iobj") or v.prep(c) in ("with", "to"))
            ]
            if partners:
                return False
        return True

    def _relation(self, v: DepView, m: ConstructionMatch) -> str | None:
        emit, nodes = m.construction.emit, m.nodes
        rel = emit["relation"]
        if rel.startswith("noun:"):
            noun = event_nouns().get(v.toks[nodes[rel.split(":", 1)[1]]].lemma.lower())
            if noun is None:
                return None
            for key, allowed in (
                ("target_preps", noun.target_preps),
                ("agent_preps", noun.agent_preps),
            ):
                if key in emit and v.toks[nodes[emit[key]]].lower not in allowed:
                    return None
            return noun.relation
        label = self._relation_label(v, nodes[rel])
        if "prep" in emit:
            word = nodes[emit["prep"]]
            label = f"{label} {v.prep(word) or v.toks[word].lower}"
        return label

    def _agent_fits(self, v: DepView, m: ConstructionMatch, agent: int) -> bool:
        """A modifier agent stands before its noun, and only in a clause (a verbless line over
        a story, "Chilean protests against Peru", is a topic label that asserts nothing)."""
        if v.toks[agent].dep in ("amod", "compound"):
            noun = m.nodes[m.construction.emit["trigger"]]
            return agent < noun and self._in_clause(v, noun)
        return True


def _ends(v: DepView, relation: str, noun: int | None) -> bool:
    """Whether ``relation`` ends what its object names, and (for an event noun in a phrase)
    whether the phrase's preposition is one it ends by ("pulled out of the treaty")."""
    return _ending_label(v, relation, noun) is not None


def _ending_label(v: DepView, relation: str, noun: int | None) -> str | None:
    """The ending verb's label: ``relation``, or with the particle the parser read as the first
    preposition of the noun's phrase ("pulled | out of the treaty": "pull out"); ``None`` when
    it ends nothing (by that preposition)."""
    cases = [v.toks[c].lower for c in v.kids(noun, "case")] if noun is not None else []
    verbs = polarity().verbs
    for label, rest in ((relation, cases), (f"{relation} {cases[0]}" if cases else "", cases[1:])):
        preps = verbs.get(label)
        if preps is None:
            continue
        if noun is None or v.toks[noun].dep != "obl" or (rest and rest[-1] in preps):
            return label
    return None


def _ended(v: DepView, noun: int, label: str) -> bool:
    """Whether the event noun ``noun`` is the object of a verb (``label``) that ends it:
    "suspended talks between X and Y" holds no talks."""
    tok = v.toks[noun]
    if tok.pos not in ("NOUN", "PROPN") or tok.head == noun or tok.dep not in ("obj", "obl"):
        return False
    return _ends(v, label, noun)


def _with_included(v: DepView, targets: list[int]) -> list[int]:
    """``targets`` and what an "including" phrase beside or below them names: "travel to the
    Middle East, including Saudi Arabia and the UAE" travels to both states too."""
    out = list(targets)
    for t in targets:
        tok = v.toks[t]
        beside = v.kids(tok.head, "obl", "nmod") if tok.head != t else []
        for c in [*v.kids(t, "nmod"), *beside]:
            if c not in out and v.prep(c) == "including":
                out.extend(k for k in v.conjuncts(c) if k not in out)
    return out


def _labelled(mb: MentionBuilder, emit: Mapping[str, str], o: int) -> bool:
    """Whether the target has the entity label the record asks for, if it asks for one."""
    if "target_label" not in emit:
        return True
    m = mb.mention(o)
    return m is not None and m.label == emit["target_label"]


def _owned(emit: Mapping[str, str]) -> bool:
    """Whether a target phrase that is no actor stands for its owner."""
    return emit.get("target_owner") == "yes" or emit["relation"].startswith("noun:")


#: Carried svo.v1 rules lose to any record on the same trigger, target and relation, except
#: recognising a land as part of a state, which silences the plain object on its verb
#: ("recognised Abkhazia as part of Georgia" recognises Georgia's claim, not Abkhazia).
_CARRIED_PREC = {"svo.sovereign": 60}
_PREC = (
    {c.id: c.precedence for c in load_constructions()} | dict.fromkeys(CARRIED, 0) | _CARRIED_PREC
)
_EXCLUSIVE = frozenset(c.id for c in load_constructions() if c.exclusive) | {"svo.sovereign"}
