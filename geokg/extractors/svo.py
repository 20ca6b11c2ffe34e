"""Actor-to-actor relations from the normalised dependency view (``svo.v1``).

For every predicate (a verb, or an event noun such as "talks" or "meeting") the extractor finds
its subjects and objects, follows passives, control ("urged him to accept"), coordination,
relative clauses and reported speech, and records negation, modality and the speaker. Headlines
whose verb the parser misses ("PM accuses Putin …" tagged as nouns) fall back to a lexical
pattern between two actor mentions.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from geokg.dates import find_time_expressions
from geokg.events import code_event, curated_lemmas, phrase_known, polarity
from geokg.extractors._deps import TIME_WORDS, DepView
from geokg.extractors._factuality import factuality, negated_here
from geokg.extractors._lexicon import (
    AGGRESSION_NOUNS,
    COMMITTING_HEADS,
    EVENT_NOUNS,
    INTENT_AUX,
    INTENT_VERBS,
    LIGHT_VERBS,
    NEGATING_HEADS,
    NEUTRAL_SPEECH,
    OPPOSING_VERBS,
    PROPOSAL_NOUNS,
    REACTION_VERBS,
    REQUEST_VERBS,
    SPEECH_VERBS,
    WISH_VERBS,
)
from geokg.extractors._mentions import MentionBuilder, is_group
from geokg.extractors._quotes import find_quote_spans
from geokg.gazetteer import Gazetteer
from geokg.model import Mention, Modality, Relation, stable_id

__all__ = ["RULES", "ExtractorState", "SvoExtractor"]

NAME = "svo.v1"

#: Every construction that emits a relation, by its stable id (the ``rule`` of a relation, row
#: and provenance record; docs/OUTPUTS.md lists them). ``geokg eval --by-rule`` measures each.
RULES: Mapping[str, str] = {
    "svo.verb_object": "a verb and its direct object ('X accused Y')",
    "svo.verb_prep_object": "a verb and a prepositional object ('X met with Y', 'X fired on Y')",
    "svo.passive_agent": "a passive with its agent ('Y was accused by X')",
    "svo.passive_announced": "an agentless passive announced by a speaker ('X said Y was expelled')",
    "svo.deep_target": "a coded act whose target owns or holds its object ('withdrew troops from Y')",
    "svo.untargeted_event": "a coded act with no actor target ('X demanded elections'); object null",
    "svo.sovereign": "recognising a land as part of a state, or an actor as something",
    "svo.light_verb_event": "a light verb and an event noun ('held talks with Y')",
    "svo.light_verb_mutual": "coordinated subjects of a mutual event noun ('X and Y resumed talks')",
    "svo.take_part": "'took part in Y'",
    "svo.wish_see": "'wants to see Y stop': a wish addressed to Y",
    "svo.matrix_commitment": "a verb of commitment or refusal over an act on Y ('threatened to V Y')",
    "svo.matrix_untargeted": "a commitment to an act with no actor target ('agreed to postpone')",
    "svo.pressure": "'piled pressure on Y'",
    "svo.conditional_threat": "'will V unless/if Y ...': a threat against Y",
    "svo.demand_clause": "'demanded that Y V'",
    "svo.demand_noun": "a demand or obliging noun with a clause ('its demand that Y V')",
    "svo.reaction": "a reaction to another actor's proposal ('rejected an offer from Y')",
    "svo.proposal": "the proposal itself, from the proposer to the one who reacts",
    "svo.deontic_urge": "'X said Y must (should) V': X urges Y",
    "svo.judgement": "a reported judgement on Y ('X said Y is not serious'): criticism",
    "svo.noun_between": "an event noun between parties ('talks between X and Y')",
    "svo.noun_possessor": "an event noun with a possessor agent ('X's attack on Y')",
    "svo.noun_modifier": "an event noun with a name or demonym agent ('US sanctions on Y')",
    "svo.noun_shared_subject": "an event noun that is an argument of a verb, with its subject",
    "svo.surface_pressure": "'X pile(s) pressure on Y' read off the surface (no parse behind it)",
    "svo.surface_verb": "'X verb(s) Y' read off the surface, when the parse found no relation",
}

_OBJ_PREPS = frozenset({"with", "against", "on", "to", "into"})
_SURFACE_WINDOW = 6
# A relation read from the surface, with no parse behind it, is trusted less than any parsed
# one (an event with no actor target from the parse included).
_SURFACE_CONFIDENCE = 0.4
#: Linking verbs: their predicate nominal is a role of the subject, not an object.
_LINKING = frozenset({"be", "become", "remain"})
#: Event types of verbs that judge or answer another's act ("condemned X's crackdown").
_JUDGING = frozenset({"ACCUSE", "REJECT", "SUPPORT", "PROTEST"})
_NOUN_PREPS = {
    "with": None,
    "between": None,
    "to": {"visit", "trip"},
    "against": None,
    "on": {"attack", "strike", "sanction", "sanctions"},
    "of": {"invasion"},  # "an invasion of X": X is invaded
}
_DEEP_PREPS = frozenset({"to", "against", "on", "into", "toward", "towards"})
_AGENT_PREPS = frozenset({"of", "from", "by"})  # "the threat of/from X", "attacks by X"
_NOMINALISATION = re.compile(r"(?:[st]ion|ment|al|ure|ade|age)s?$")
# Verbs whose complement's target is also theirs: "threatened to shell X" is a threat to X.
_MATRIX_EVENTS = frozenset({"threaten", "refuse", "agree", "offer", "vow", "decline", "warn"})
_FROM_VERBS = frozenset({"withdraw", "pull", "pull out", "expel", "evacuate", "recall", "deport"})
_DEONTIC = frozenset({"must", "should"})
_SUBJ_DEPS = ("nsubj", "csubj")
# Modifiers inside a noun phrase's own span ("The Fatah youth wing"), not its "in X".
_NAME_MODS = ("compound", "amod", "nmod:poss", "flat", "det", "nmod:desc", "appos")
_PASS_SUBJ = ("nsubj:pass", "csubj:pass")
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_COAGENT_ADVS = frozenset({"together", "along"})
# Judgements a speaker passes on an actor (criticism): "wants war", "is stalling".
_WANTING = frozenset({"want", "seek"})
_WAR_NOUNS = frozenset({"war", "escalation", "confrontation"})
_OBSTRUCTING = frozenset({"stall", "stonewall"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_PLURAL_WINDOW = 2  # sentences back that "they" may reach
_CORE_ARGS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj"})  # where its antecedent may be
_GROUP_DETS = re.compile(r"^(?:the|several|some|many|most|all|both|other|two|three|four|five)\s+")
# Verbs that heap "pressure on" someone (the first word of a phrasal verb: "step up").
_PRESSURE_VERBS = frozenset(
    {"pile", "put", "heap", "increase", "step", "ramp", "ratchet", "exert", "apply", "mount"}
    | {"keep", "maintain", "intensify", "raise", "turn", "crank", "place", "pile on"}
)
_GRATEFUL = frozenset({"grateful", "thankful"})
_RECOGNISING = frozenset({"recognise", "recognize", "acknowledge"})
_LAND_NOUNS = frozenset({"part", "territory", "province", "region"})
_ADDRESSEE_SPEECH = frozenset({"tell", "warn", "remind", "assure", "inform", "write"})
# Verbs of commitment or refusal that are events by themselves, whatever the act:
# "agreed to postpone the rally". ("vowed to" codes as cooperation, wrong for a coercive act.)
_COMMITMENTS = frozenset({"agree", "refuse", "decline", "offer", "threaten"})
# Nouns of protest: only "against X" makes X their target.
_PROTEST_NOUNS = frozenset({"protest", "riot", "demonstration", "rally"})
# Relations of event nouns that two parties hold with each other ("A and B held talks").
_MUTUAL = frozenset({"talk with", "meet", "negotiate with"})
# Texts whose issuer speaks in them: "issued a statement condemning X".
_STATEMENT_NOUNS = frozenset(
    {"statement", "declaration", "communique", "communiqué", "resolution", "letter", "message"}
)
# Nouns that ask only when their clause says what must be done: "a reminder that X must V".
_OBLIGING_NOUNS = frozenset({"reminder", "warning", "ultimatum"})
# Verbs of asking whose "that" clause names who is to act: "demanded that X withdraw".
_CLAUSE_DEMANDS = {"demand": "demand", "insist": "demand", "urge": "urge", "request": "request"}
# Nouns of asking, with the relation that codes asking: "its demand that Russia free …".
# Where an event happens or is sent: "in Liberia", "to Bosnia", "at the border near Tyre".
_PLACE_PREPS = frozenset(
    {"in", "at", "into", "inside", "across", "throughout", "within", "near", "outside", "to"}
    | {"toward", "towards"}
)
# Arcs a place may sit below, inside the predicate's own clause: its objects and obliques and
# the modifiers of those ("troops to a force in Liberia"), not another clause or the subject.
_PLACE_PATH = frozenset({"obl", "obj", "nmod", "xcomp", "acl", "iobj"})
_PLACE_DEPTH = 4
# Phrases of time, cause or comparison lead to another event's place: "condemned X after riots
# in Lima" did not condemn in Lima.
_PLACE_BARRIERS = frozenset(
    {"after", "before", "since", "until", "during", "following", "despite", "amid", "over"}
    | {"because", "than", "like", "unlike", "as", "by", "from", "without"}
)
# "in defiance of X", "in protest against X": the noun, and the prepositions naming whom an
# act defies.
_STANCE_OBLIQUES: dict[str, frozenset[str]] = {
    "defiance": frozenset({"of"}),
    "protest": frozenset({"against", "at"}),
    "opposition": frozenset({"to"}),
}
# Event nouns coded by what they act on ("a suspension of rail links with X" is coded as
# suspending links, with X).
_THEMED_NOUNS = frozenset({"suspension"})
_DEMAND_NOUNS = {
    "demand": "demand",
    "call": "call on",
    "appeal": "appeal to",
    "request": "request",
    "plea": "appeal to",
}


@dataclass(slots=True)
class ExtractorState:
    """What carries across the paragraphs of one document."""

    last_quote_speaker: Mention | None = None
    tweet_speakers: list[tuple[int, int, Mention]] = field(default_factory=list)
    skipped_long_sentences: int = 0
    mentions: list[Mention] = field(default_factory=list)  # every actor mention seen so far
    sentence_no: int = 0
    # Groups that were subjects lately: (sentence number, mention), for "they".
    group_subjects: list[tuple[int, Mention]] = field(default_factory=list)
    # svo.v2: sentences read so far, and the parties of the latest meeting or call, with the
    # sentence they were read in ("Biden spoke with Kishida. The leaders condemned X.").
    frames_sentence_no: int = 0
    parties: tuple[int, tuple[Mention, ...]] | None = None
    # svo.v2: who "we" are, from an apposition ("We, the leaders of Japan, Korea and the US, …")
    we_parties: tuple[Mention, ...] = ()


@dataclass(slots=True)
class _Frame:
    subj: int | None
    subj_mention: Mention | None
    obj: int
    relation: str
    trigger: int
    confidence: float
    rule: str  # the construction that made the frame (``Relation.rule``)
    detail: str | None = None
    via_speaker: bool = False
    theme: str | None = None
    untargeted: bool = False  # the object is not an actor: an event with no actor target
    obj_mention: Mention | None = None  # a target with no token of its own ("Iranian" → Iran)
    factual: bool = False  # an event that took place whatever the clause's hedges say
    judged: bool = False  # the subject is the speaker who passes this judgement on the object


def _each_pair(
    subjects: Sequence[int],
    objects: Iterable[int],
    *,
    relation: str,
    trigger: int,
    confidence: float,
    rule: str,
    detail: str | None = None,
    theme: str | None = None,
    untargeted: bool = False,
    factual: bool = False,
    demonyms: MentionBuilder | None = None,
) -> Iterator[_Frame]:
    """One frame from each subject to each object (objects in the outer loop).

    With ``demonyms``, an object that is no mention of its own is the state of its demonym
    ("Iranian" in "condemned Iranian aggression").
    """
    for o in objects:
        obj_mention = None
        if demonyms is not None and demonyms.mention(o) is None:
            obj_mention = demonyms.demonym_country(o)
        for s in subjects:
            yield _Frame(
                rule=rule,
                subj=s,
                subj_mention=None,
                obj=o,
                relation=relation,
                trigger=trigger,
                confidence=confidence,
                detail=detail,
                theme=theme,
                untargeted=untargeted,
                factual=factual,
                obj_mention=obj_mention,
            )


class SvoExtractor:
    """Extracts actor relations from one normalised view (a paragraph or a whole Doc).

    Args:
        gazetteer: Country and role knowledge for mentions.
        open_mode: Emit every clause's triple, not only actor-to-actor ones.
        max_sentence_chars: Sentences longer than this are skipped (and counted).
        model: Pipeline label for provenance.
    """

    #: The ``extractor`` of every relation it yields.
    name = NAME

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        open_mode: bool = False,
        max_sentence_chars: int = 2_000,
        model: str = "",
    ) -> None:
        self.gaz = gazetteer or Gazetteer.default()
        self.open_mode = open_mode
        self.max_sentence_chars = max_sentence_chars
        self.model = model

    # ------------------------------------------------------------------------------------------
    def extract(
        self,
        view: DepView,
        *,
        doc_id: str,
        text: str,
        sentences: Sequence[tuple[int, int]],
        state: ExtractorState | None = None,
    ) -> Iterator[Relation]:
        """Yield the relations in ``view``.

        Args:
            view: The normalised parse.
            doc_id: Document id for provenance.
            text: The full document text (offsets in ``view`` index into it).
            sentences: Token ranges ``(start, end)`` of the sentences in ``view``.
            state: Document-level state (quote speakers across paragraphs).
        """
        state = state or ExtractorState()
        mb = MentionBuilder(view, self.gaz)
        para_start = view.toks[0].idx if view.toks else 0
        para_end = view.toks[-1].end if view.toks else 0
        para_text = text[para_start:para_end]
        quotes = [(s + para_start, e + para_start) for s, e in find_quote_spans(para_text)]
        if not self.open_mode:
            self._plural_antecedents(view, mb, sentences, state)
        quote_speaker = self._quote_speakers(view, mb, quotes, sentences, state)
        mb.speakers = quote_speaker  # "me", "us" in a quote or signed post: its speaker
        for s_start, s_end in sentences:
            if s_start >= s_end:
                continue
            c0, c1 = view.toks[s_start].idx, view.toks[s_end - 1].end
            if c1 - c0 > self.max_sentence_chars:
                state.skipped_long_sentences += 1
                continue
            yield from self._sentence_relations(
                view, mb, s_start, s_end, doc_id=doc_id, text=text, quote_speaker=quote_speaker
            )
        if not self.open_mode:
            # Shared with the resolver, from the same cache the relations used.
            state.mentions.extend(mb.all_mentions())

    def _sentence_relations(
        self,
        view: DepView,
        mb: MentionBuilder,
        s_start: int,
        s_end: int,
        *,
        doc_id: str,
        text: str,
        quote_speaker: dict[int, Mention],
    ) -> Iterator[Relation]:
        """The relations of one sentence: its frames' (or the headline fallback's), each
        subject, relation and object once."""
        frames = list(self._frames(view, mb, s_start, s_end))
        if not self.open_mode and not any(self._binds(view, mb, fr) for fr in frames):
            # The parse gave no actor relation: try the surface pattern (headlines, and
            # verbs the tagger took for nouns).
            frames = [
                *self._headline_frames(view, mb, s_start, s_end),
                *(fr for fr in frames if fr.untargeted or fr.judged),
            ]
        seen: set[tuple[int, int, str, int, int]] = set()
        for fr in frames:
            args = self._frame_arguments(view, mb, fr, quote_speaker)
            if args is None:
                continue
            subj, obj = args
            key = (subj.start, subj.end, fr.relation, obj.start, obj.end)
            if key in seen:
                continue
            seen.add(key)
            yield self._frame_relation(
                view,
                mb,
                fr,
                subj,
                obj,
                s_start=s_start,
                s_end=s_end,
                doc_id=doc_id,
                text=text,
                quote_speaker=quote_speaker,
            )

    def _frame_arguments(
        self, view: DepView, mb: MentionBuilder, fr: _Frame, quote_speaker: dict[int, Mention]
    ) -> tuple[Mention, Mention] | None:
        """The subject and object mentions of a frame, or ``None`` when it lacks one (or both
        are the same words)."""
        subj = self._subject_mention(view, mb, fr)
        obj = fr.obj_mention or mb.mention(fr.obj, open_mode=self.open_mode or fr.untargeted)
        if obj is not None and fr.untargeted:
            obj = dataclasses.replace(obj, kind="theme", country=None, head=_theme(view, fr.obj))
        if fr.judged:  # the speaker passes the judgement
            subj = self._modality(view, mb, fr.trigger, quote_speaker)[2]
        if subj is None or obj is None or (subj.start, subj.end) == (obj.start, obj.end):
            return None
        return subj, obj

    def _frame_relation(
        self,
        view: DepView,
        mb: MentionBuilder,
        fr: _Frame,
        subj: Mention,
        obj: Mention,
        *,
        s_start: int,
        s_end: int,
        doc_id: str,
        text: str,
        quote_speaker: dict[int, Mention],
    ) -> Relation:
        """The relation a frame gives between its two mentions, with its modality, time and
        place."""
        c0, c1 = view.toks[s_start].idx, view.toks[s_end - 1].end
        negated, modality, speaker = self._modality(view, mb, fr.trigger, quote_speaker)
        if fr.via_speaker or fr.judged:
            modality = "reported"
            speaker = subj
        if fr.judged:
            negated = False  # "said X is not serious": the criticism is not negated
        if fr.factual:
            negated = False
            modality = "reported" if speaker is not None else "asserted"
        time_text = self._time_text(view, fr.trigger, s_end, text, c0)
        place = self._place(view, mb, fr.trigger, (subj, obj))
        committed = modality == "intended" and self._committed(view, fr.trigger)
        trig = view.toks[fr.trigger]
        return Relation(
            id=stable_id(
                "r", doc_id, trig.idx, subj.start, subj.end, fr.relation, obj.start, obj.end
            ),
            subject=subj,
            relation=fr.relation,
            object=obj,
            negated=negated,
            modality=modality,
            speaker=speaker,
            doc_id=doc_id,
            sentence=text[c0:c1],
            span=(c0, c1),
            trigger=(trig.idx, trig.end),
            detail=fr.detail,
            theme=fr.theme,
            time_text=time_text,
            place=place,
            committed=committed,
            confidence=round(fr.confidence, 3),
            extractor=self.name,
            rule=fr.rule,
            model=self.model,
        )

    # ------------------------------------------------------------------------------------------
    # Predicates and arguments

    def _frames(self, v: DepView, mb: MentionBuilder, start: int, end: int) -> Iterator[_Frame]:
        for i in range(start, end):
            tok = v.toks[i]
            if tok.pos in ("VERB", "ADJ") and not self.open_mode:
                yield from self._judgement_frames(v, i)
            if tok.pos == "VERB" or (tok.pos == "AUX" and tok.dep == "root" and v.kid(i, "obj")):
                yield from self._verb_frames(v, mb, i)
            elif tok.pos in ("NOUN", "PROPN") and (
                tok.lemma in EVENT_NOUNS
                or tok.lower in EVENT_NOUNS
                # "pulled out of the treaty with X": a noun that names an event is one when
                # a verb ends it (polarity.tsv)
                or (tok.lemma in polarity().objects and self._undoer(v, i) is not None)
            ):
                yield from self._noun_frames(v, mb, i)

    def _relation_label(self, v: DepView, i: int) -> str:
        tok = v.toks[i]
        lemma = tok.lemma if tok.pos != "PROPN" else tok.lower
        prt = v.kid(i, "compound:prt")
        if prt is not None:
            lemma = f"{lemma} {v.toks[prt].lower}"
        return lemma

    def _subjects(self, v: DepView, i: int, depth: int = 0) -> tuple[list[int], float]:
        """Subjects of predicate ``i`` and a confidence factor (control, coordination)."""
        tok = v.toks[i]
        direct = self._direct_subjects(v, i, depth)
        if direct:
            out = [c for d in direct for c in v.conjuncts(d)]
            if tok.dep == "acl:relcl" and any(v.toks[c].lower in _RELATIVE for c in out):
                return [tok.head], 0.85
            co = [a for s in [i, *out] for a in self._coagents(v, s, verb=i) if a not in out]
            return out + co, 1.0
        if depth > 4:
            return [], 0.0
        thanked = self._thanked(v, i)
        if thanked:
            return thanked, 0.8
        controlled = self._controlled_subjects(v, i, depth)
        if controlled is not None:
            return controlled
        return self._inherited_subjects(v, i, depth)

    def _direct_subjects(self, v: DepView, i: int, depth: int) -> list[int]:
        """The subject dependents of predicate ``i`` (one at most)."""
        tok = v.toks[i]
        direct = list(v.kids(i, *_SUBJ_DEPS))
        if len(direct) > 1:  # invalid in UD; a dateline ("LONDON, 14 March —") is the usual cause
            direct = [max(direct, key=lambda c: (c < i, -abs(c - i)))]
        if not direct and depth > 0:
            direct = list(v.kids(i, *_PASS_SUBJ))  # "he was prepared to meet"
        if not direct and tok.dep == "root":
            # "X, together with Y, accused Z": the parser takes the subject set off by the
            # comma for a vocative.
            direct = [c for c in v.kids(i, "vocative") if c < i][:1]
        return direct

    def _controlled_subjects(
        self, v: DepView, i: int, depth: int
    ) -> tuple[list[int], float] | None:
        """The subjects of a complement or purpose clause ``i`` with none of its own: its
        controller's, or its head's; ``None`` for any other predicate."""
        tok = v.toks[i]
        head = tok.head
        htok = v.toks[head]
        if tok.dep == "acomp" and head != i:
            # ClearNLP: "X must be able to V" hangs "able" on the copula, whose subject it shares
            subj, conf = self._subjects(v, head, depth + 1)
            return subj, conf
        if (
            tok.dep in ("xcomp", "advcl")
            and head != i
            and (tok.dep == "xcomp" or v.kid(i, "mark") is not None)
        ):
            if htok.lemma in REQUEST_VERBS or self._wish_head(v, head):
                ctrl = self._controller(v, head)
                if ctrl:
                    return ctrl, 0.85
            if tok.dep == "xcomp" or htok.lemma in INTENT_VERBS | NEGATING_HEADS:
                subj, conf = self._subjects(v, head, depth + 1)
                return subj, conf * 0.9
            if tok.tag == "VB" and _to_infinitive(v, i):
                # a purpose: "rallied in Lima to protest X" (the subject's aim, less sure)
                subj, conf = self._subjects(v, head, depth + 1)
                return subj, conf * 0.7
        return None

    def _inherited_subjects(self, v: DepView, i: int, depth: int) -> tuple[list[int], float]:
        """The subjects a subjectless clause ``i`` takes from around it: a speech verb's
        object, the verb it is conjoined to, the noun it modifies, the main clause."""
        tok = v.toks[i]
        head = tok.head
        if tok.dep == "ccomp" and head != i:
            obj = self._speech_object_subject(v, i)
            if obj is not None:
                return v.conjuncts(obj), 0.8
        if (tok.dep == "conj" and head != i) or self._ccomp_is_conjunct(v, i):
            subj, conf = self._subjects(v, self._repaired_conj_head(v, i), depth + 1)
            return subj, conf * 0.9
        if tok.dep == "acl:relcl":
            return [head], 0.85
        if self._dangling_participle(v, i):
            subj, conf = self._subjects(v, head, depth + 1)  # "Asked about X, Sir Keir said …"
            return subj, conf * 0.85
        return self._noun_clause_subjects(v, i, depth)

    def _noun_clause_subjects(self, v: DepView, i: int, depth: int) -> tuple[list[int], float]:
        """The subjects of a subjectless clause ``i`` that modifies a noun: the name a
        misattached clause hangs under, the noun's possessor, a statement's issuer."""
        tok = v.toks[i]
        head = tok.head
        htok = v.toks[head]
        if self._misattached_clause(v, i):
            return [v.toks[head].head], 0.6
        if tok.dep == "acl" and htok.pos in ("NOUN", "PROPN") and tok.tag != "VBN":
            # "Putin's refusal to meet Zelensky": the possessor of the noun acts.
            poss = v.kid(head, "nmod:poss")
            if poss is not None:
                return [poss], 0.85
            # "issued a statement condemning X": the statement's issuer condemns.
            if (
                tok.tag == "VBG"
                and htok.lemma in _STATEMENT_NOUNS
                and htok.dep == "obj"
                and htok.head != head
            ):
                subj, conf = self._subjects(v, htok.head, depth + 1)
                return subj, conf * 0.85
        return [], 0.0

    def _thanked(self, v: DepView, i: int) -> list[int]:
        """Who is thanked for the act ``i``, its agent: "thanked X for inviting us", "grateful
        to X for hosting the talks". Parsers sometimes hang the thanked name on the verb as an
        adverbial ("thanked X" with X an ``advmod``); a noun between the two is taken then."""
        tok = v.toks[i]
        mark = v.kid(i, "mark")
        if tok.dep != "advcl" or tok.head == i or mark is None or v.toks[mark].lower != "for":
            return []
        head = tok.head
        htok = v.toks[head]
        if htok.lemma == "be":
            # ClearNLP: "I am grateful to X for V-ing" hangs the "for" clause on the copula
            grateful = [c for c in v.kids(head, "acomp") if v.toks[c].lemma in _GRATEFUL]
            if grateful:
                head, htok = grateful[0], v.toks[grateful[0]]
        if htok.lemma == "thank" and htok.pos == "VERB":
            cands = [*v.kids(head, "obj", "iobj")]
            cands += [
                c
                for c in v.kids(head, "advmod", "obl:npmod")
                if head < c < i and v.toks[c].pos in ("PROPN", "NOUN")
            ]
        elif htok.lemma in _GRATEFUL and htok.pos == "ADJ":
            cands = [c for c in v.kids(head, "obl") if v.prep(c) == "to"]
        else:
            return []
        return v.conjuncts(cands[0]) if cands else []

    def _judgement_frames(self, v: DepView, i: int) -> Iterator[_Frame]:
        """A reported judgement on an actor is criticism of it by the speaker: "X said Y wants
        war", "X said Y is not serious about peace", "was not taking the talks seriously",
        "has shown no serious intent", "X says Y is stalling".

        Only this small set of predicates; the speaker comes from the clause's speech verb
        or quote (none, no relation).
        """
        tok = v.toks[i]
        # ClearNLP: "Y is not serious" has the copula as head, "serious" as its acomp.
        host = tok.head if tok.dep == "acomp" and tok.head != i else i

        def negated() -> bool:  # read last: the words are checked first, and cost less
            return self._negated(v, host) or self._negated(v, i)

        if tok.lemma in _WANTING:
            judged = any(v.toks[o].lemma in _WAR_NOUNS for o in v.kids(i, "obj")) and not negated()
        elif tok.lemma in _OBSTRUCTING:
            judged = tok.pos == "VERB" and not v.kids(i, "obj") and not negated()
        else:
            serious = (
                tok.lemma == "serious"
                or any(v.toks[c].lower == "seriously" for c in v.kids(i, "advmod"))
                or any(
                    v.toks[a].lower == "serious"
                    for o in v.kids(i, "obj")
                    for a in v.kids(o, "amod")
                )
            )
            judged = serious and negated()
        if not judged:
            return
        subj = v.kid(host, "nsubj")
        for s in v.conjuncts(subj) if subj is not None else []:
            yield _Frame(
                rule="svo.judgement",
                subj=None,
                subj_mention=None,
                obj=s,
                relation="criticise",
                trigger=host,
                confidence=0.6,
                judged=True,
            )

    def _coagents(self, v: DepView, host: int, *, verb: int) -> list[int]:
        """Co-agents of a subject or verb: "X, together with Y, accused Z", "X along with Y",
        "X alongside Y". A "with" phrase of the verb after it ("worked together with Y") is
        the verb's partner, not a co-agent."""
        on_verb = host == verb
        dep = "obl" if on_verb else "nmod"
        cands: list[tuple[int, bool]] = [(c, False) for c in v.kids(host, dep)]
        for adv in v.kids(host, "advmod"):
            if v.toks[adv].lower in _COAGENT_ADVS:  # ClearNLP: together -prep-> with -pobj-> Y
                cands.extend((c, True) for c in v.kids(adv, "obl", "nmod"))
        out: list[int] = []
        for c, under_adv in cands:
            marks = {v.toks[k].lower for k in v.kids(c, "case", "advmod")}
            if "alongside" in marks:
                pass
            elif "with" in marks:
                adv_before = any(
                    v.toks[a].lower in _COAGENT_ADVS and c - 3 <= a < c
                    for a in v.kids(host, "advmod")
                )
                if not (under_adv or marks & _COAGENT_ADVS or adv_before):
                    continue
                if on_verb and c > verb:
                    continue
            else:
                continue
            out.extend(x for x in v.conjuncts(c) if x not in out)
        return out

    def _wish_head(self, v: DepView, i: int) -> bool:
        """Whether ``i`` is a verb of wishing whose object's action is wished for: "want X to
        stop", or the "see" of "want to see X stop"."""
        tok = v.toks[i]
        if tok.lemma in WISH_VERBS:
            return v.kid(i, "obj") is not None
        return self._wish_see(v, i)

    def _wish_see(self, v: DepView, i: int) -> bool:
        tok = v.toks[i]
        return (
            tok.lemma == "see"
            and tok.dep == "xcomp"
            and tok.head != i
            and v.toks[tok.head].lemma in WISH_VERBS
            and v.kid(i, "obj") is not None
            and v.kid(i, "xcomp", "ccomp") is not None
        )

    def _dangling_participle(self, v: DepView, i: int) -> bool:
        """A subjectless participle clause before the main clause shares its subject."""
        tok = v.toks[i]
        if tok.dep != "advcl" or tok.head == i or i > tok.head:
            return False
        if tok.tag not in ("VBN", "VBG", "VBD") or v.kids(i, "aux", "aux:pass", "mark"):
            return False
        return v.toks[tok.head].pos == "VERB"

    def _misattached_clause(self, v: DepView, i: int) -> bool:
        """ "Marco Rubio, the US secretary of state, called on X": a parser that found no main
        verb hangs it under the apposition. The name at the root is then its subject."""
        tok = v.toks[i]
        if tok.dep != "acl" or tok.head == i:
            return False
        head = v.toks[tok.head]
        if head.dep != "appos" or head.head == head.i:
            return False
        root = v.toks[head.head]
        return root.dep == "root" and root.pos in ("PROPN", "NOUN") and not v.kids(i, "obl:agent")

    def _ccomp_is_conjunct(self, v: DepView, i: int) -> bool:
        """ "The PM said that …, urged him to … and pledged …": a subjectless past-tense clause
        parsed as the speech verb's complement is really its conjunct."""
        tok = v.toks[i]
        if tok.dep != "ccomp" or tok.head == i or tok.tag != "VBD":
            return False
        head = v.toks[tok.head]
        return (
            head.lemma in SPEECH_VERBS
            and head.tag == "VBD"
            and not v.kids(i, *_SUBJ_DEPS, *_PASS_SUBJ)
            and v.kid(i, "mark") is None
        )

    def _speech_object_subject(self, v: DepView, i: int) -> int | None:
        """ "X insisted Y's allies would work …": a parser that takes the subject of a subjectless
        reported clause for the object of the speech verb before it. Verbs that take an
        addressee ("told reporters it would …") are left alone."""
        head = v.toks[i].head
        if v.toks[head].lemma not in SPEECH_VERBS or v.toks[head].lemma in _ADDRESSEE_SPEECH:
            return None
        if v.kids(i, *_SUBJ_DEPS, *_PASS_SUBJ) or v.kid(i, "mark") is not None:
            return None
        objs = [o for o in v.kids(head, "obj") if head < o < i]
        return objs[-1] if objs else None

    def _repaired_conj_head(self, v: DepView, i: int) -> int:
        """The verb a subjectless conjunct shares its subject with.

        Parsers often attach "X said that A did B, urged C and pledged D" as conjuncts of the
        embedded verb B. A finite past-tense conjunct of a non-past embedded verb whose clause
        reports the speech of a past-tense verb belongs to the speech verb.
        """
        head = v.toks[i].head
        htok = v.toks[head]
        if v.toks[i].pos == "VERB" and htok.pos in ("NOUN", "PROPN") and htok.dep in ("obj", "obl"):
            # "to leave it in a strong position and counter X": a verb conjoined to the
            # last noun of the clause before it is a conjunct of that clause's verb.
            verb = next((a for a in v.ancestors(i) if v.toks[a].pos == "VERB"), None)
            if verb is not None:
                return verb
        if v.toks[i].tag == "VBD" and htok.tag != "VBD" and htok.dep in ("ccomp", "parataxis"):
            speech = htok.head
            if v.toks[speech].lemma in SPEECH_VERBS and v.toks[speech].tag == "VBD":
                return speech
        return head

    def _controller(self, v: DepView, head: int) -> list[int]:
        for dep in ("obj", "iobj"):
            c = v.kid(head, dep)
            if c is not None:
                return v.conjuncts(c)
        for c in v.kids(head, "obl"):
            if v.prep(c) in ("on", "upon", "for"):
                return v.conjuncts(c)
        return []

    def _objects(self, v: DepView, i: int) -> list[tuple[int, str | None, str | None]]:
        """Objects of verb ``i`` as (token, preposition, detail)."""
        out: list[tuple[int, str | None, str | None]] = []
        for c in v.kids(i, "obj", "iobj"):
            for o in v.conjuncts(c):
                out.append((o, None, self._detail(v, i, o)))
        if out or v.toks[i].lemma in SPEECH_VERBS:
            return out  # "sent representatives to Istanbul": the destination is no patient
        coagents = self._coagents(v, i, verb=i)
        for c in v.kids(i, "obl"):
            prep = v.prep(c)
            # (a phrase before the verb leads the clause: "With the signing of X, Y agreed")
            if prep in _OBJ_PREPS and c not in coagents and c > i:
                for o in v.conjuncts(c):
                    out.append((o, prep, None))
        return out

    def _detail(self, v: DepView, verb: int, obj: int) -> str | None:
        """The "of Z" complement in "accused X of Z" (attached to the verb or to the object), or
        the wished action in "want X to do Z" ("to do Z", which codes the wish as a request)."""
        if v.toks[verb].lemma in WISH_VERBS:
            xc = v.kid(verb, "xcomp")
            if xc is not None and xc > obj:
                sub = v.subtree(xc)
                return v.text_of(sub[0], sub[-1] + 1)
        for host in (verb, obj):
            for c in v.kids(host, "advcl", "acl", "nmod", "obl"):
                mark = v.kid(c, "mark", "case")
                if mark is not None and v.toks[mark].lower == "of" and c > obj:
                    sub = v.subtree(c)
                    return v.text_of(sub[0], sub[-1] + 1)
        return None

    def _verb_frames(self, v: DepView, mb: MentionBuilder, i: int) -> Iterator[_Frame]:
        tok = v.toks[i]
        if (
            tok.lemma in NEUTRAL_SPEECH
            and not self.open_mode
            # "declared a ceasefire": a verb of saying with an object that makes it an act
            and not any(_coded_object(v, tok.lemma, o) for o in v.kids(i, "obj"))
        ):
            yield from self._speech_verb_frames(v, mb, i)
            return
        if not self.open_mode and tok.lemma in _LINKING:
            # "she was coordinator", "became a citizen": a role, never an act (ClearNLP gives
            # the predicate nominal as an object; UD makes it the head, with no relation)
            return
        if not self.open_mode and self._wish_see(v, i):
            yield from self._wish_see_frames(v, i)
            return
        rel = self._relation_label(v, i)
        if self._passive(v, i):
            yield from self._passive_frames(v, mb, i, rel)
            return
        subjects, conf = self._subjects(v, i)
        if not subjects:
            return
        yield from self._active_frames(v, mb, i, rel, subjects, conf)

    def _speech_verb_frames(self, v: DepView, mb: MentionBuilder, i: int) -> Iterator[_Frame]:
        """A neutral verb of saying: only the duties and demands it carries."""
        yield from self._deontic_frames(v, i)
        # "reiterated its demand that X …", "insisted on its demands that X …": the verb of
        # saying only carries the demand
        objects = self._objects(v, i) + [
            (c, "on", None)
            for c in v.kids(i, "obl")
            if v.prep(c) == "on" and v.toks[c].lemma in _DEMAND_NOUNS
        ]
        if any(v.toks[o].lemma in _DEMAND_NOUNS.keys() | _OBLIGING_NOUNS for o, _, _ in objects):
            subjects, conf = self._subjects(v, i)
            yield from self._demand_frames(v, mb, i, subjects, conf, objects)

    def _wish_see_frames(self, v: DepView, i: int) -> Iterator[_Frame]:
        """ "wants to see X stop": a wish addressed to X, as "wants X to stop"."""
        subjects, conf = self._subjects(v, i)
        yield from _each_pair(
            subjects,
            v.conjuncts(v.kid(i, "obj") or i),
            relation="want",
            trigger=v.toks[i].head,
            confidence=0.8 * conf,
            detail=v.text_of(v.subtree(i)[0], v.subtree(i)[-1] + 1),  # "to see X stop"
            rule="svo.wish_see",
        )

    def _passive(self, v: DepView, i: int) -> bool:
        tok = v.toks[i]
        passive = bool(v.kids(i, *_PASS_SUBJ)) or (tok.tag == "VBN" and bool(v.kids(i, "aux:pass")))
        if tok.dep == "acl" and tok.tag == "VBN" and not self._misattached_clause(v, i):
            passive = True  # "drones launched by the SBU"
        return passive

    def _passive_frames(self, v: DepView, mb: MentionBuilder, i: int, rel: str) -> Iterator[_Frame]:
        """A passive verb: its agent to its patients, or the speaker who announced it."""
        tok = v.toks[i]
        patients = [c for p in v.kids(i, *_PASS_SUBJ) for c in v.conjuncts(p)]
        if not patients and tok.dep == "acl":
            patients = [tok.head]
        elif not patients and tok.dep == "xcomp":
            patients = self._subjects(v, i)[0]  # "the team is expected to be headed by X"
        agents = [c for a in v.kids(i, "obl:agent") for c in v.conjuncts(a)]
        if agents:
            for a in agents:
                for p in patients:
                    yield _Frame(
                        rule="svo.passive_agent",
                        subj=a,
                        subj_mention=None,
                        obj=p,
                        relation=rel,
                        trigger=i,
                        confidence=0.9,
                    )
            return
        speaker = self._announcing_speaker(v, mb, i) if lemma_known(rel) else None
        if speaker is not None:
            for p in patients:
                yield _Frame(
                    rule="svo.passive_announced",
                    subj=None,
                    subj_mention=speaker,
                    obj=p,
                    relation=rel,
                    trigger=i,
                    confidence=0.7,
                    via_speaker=True,
                )

    def _active_frames(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        rel: str,
        subjects: list[int],
        conf: float,
    ) -> Iterator[_Frame]:
        """An active verb with subjects: every frame its objects and complements give."""
        lemma = v.toks[i].lemma
        objects = self._objects(v, i)
        event_phrase = (
            lemma_known(rel)
            or any(_coded_object(v, rel, o) for o, _, _ in objects)
            or lemma in OPPOSING_VERBS
        )
        # "rejected an offer from X": the reaction is to X, X's offer an event of its own.
        reactions = list(self._reaction_frames(v, mb, i, subjects, conf))
        yield from reactions
        # "piled pressure on X": the pressure is the event, on X.
        pressure = list(self._pressure_frames(v, i, subjects, conf, objects))
        yield from pressure
        # "reiterated its demand that X withdraw": a request to X.
        demands = list(self._demand_frames(v, mb, i, subjects, conf, objects))
        yield from demands
        if (
            not self.open_mode
            and event_phrase
            and not reactions
            and not pressure
            and not demands
            and not any(mb.mention(o) for o, _, _ in objects)
        ):
            yield from self._deep_event_frames(v, mb, i, rel, subjects, conf, objects)
        sovereign = self._sovereign(v, mb, i) if objects else []
        for target, as_phrase in sovereign:
            yield from _each_pair(
                subjects,
                [target],
                relation=rel,
                trigger=i,
                confidence=0.8 * conf,
                detail=as_phrase,
                demonyms=mb,
                rule="svo.sovereign",
            )
        yield from self._object_frames(v, i, rel, subjects, conf, objects, bool(sovereign))
        yield from self._matrix_frames(v, mb, i, subjects, conf, objects)
        yield from self._conditional_threat_frames(v, mb, i, subjects, conf, objects)
        if lemma in LIGHT_VERBS:
            yield from self._light_verb_frames(v, i, subjects, conf, objects)

    def _deep_event_frames(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        rel: str,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """A coded act whose objects name no actor: "Syria withdrew its troops from Lebanon",
        where the target sits one step deeper, or an event with no actor target at all."""
        lemma = v.toks[i].lemma
        theme = _theme(v, objects[0][0]) if objects else None
        deep = self._deep_targets(v, mb, i, [o for o, _, _ in objects], demonyms=True)
        if not deep and theme is not None:
            # "blocked a highway to voice anger at US policy": whom a protest is against
            deep = self._protest_purpose_target(v, mb, i, rel, theme, objects, subjects)
        if lemma in OPPOSING_VERBS and not lemma_known(rel):
            # "resisted Serbian attacks", "countered the threat of X": only the actor behind
            # the hostile act is a target of such a verb.
            deep = [t for t in deep if self._aggressor(v, t)]
        if (
            not deep
            and not self._light_event(v, i, subjects, objects)
            and lemma not in WISH_VERBS  # "wants peace" asks no one for anything
            and objects
            # "agreed to an extension": a verb of commitment codes by itself
            and (objects[0][1] is None or lemma in _MATRIX_EVENTS)
            and theme is not None
            and code_event(rel, object_head=theme) is not None
        ):
            # "Papandreou demanded immediate elections": a coded event whose target is not an
            # actor. Kept as an event of the subject, never as an actor edge.
            yield from _each_pair(
                subjects,
                [objects[0][0]],
                relation=rel,
                trigger=i,
                confidence=0.5 * conf,
                untargeted=True,
                rule="svo.untargeted_event",
            )
        yield from _each_pair(
            subjects,
            deep,
            relation=rel,
            trigger=i,
            confidence=0.6 * conf,
            theme=theme,
            demonyms=mb,
            rule="svo.deep_target",
        )

    def _light_event(
        self,
        v: DepView,
        i: int,
        subjects: list[int],
        objects: list[tuple[int, str | None, str | None]],
    ) -> bool:
        """ "held talks (with X)": the event noun's own frame carries the event and target."""
        if not objects or v.toks[i].lemma not in LIGHT_VERBS:
            return False
        noun = v.toks[objects[0][0]].lemma
        if noun not in EVENT_NOUNS:
            return False
        return bool(self._light_targets(v, i, objects[0][0])) or (
            EVENT_NOUNS[noun] in _MUTUAL and len(subjects) > 1
        )

    def _object_frames(
        self,
        v: DepView,
        i: int,
        rel: str,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
        sovereign: bool,
    ) -> Iterator[_Frame]:
        """The plain frames: each subject to each object (with its preposition, if any)."""
        lemma = v.toks[i].lemma
        for o, prep, detail in objects:
            otok = v.toks[o]
            # Light verb + event noun: "held talks with X", "took part in X".
            if prep is None and lemma in LIGHT_VERBS and otok.lemma in EVENT_NOUNS:
                continue
            if prep is None and sovereign:
                continue  # the land recognised is no counterpart: its sovereign is
            label = rel if prep is None else f"{rel} {prep}"
            for s in subjects:
                yield _Frame(
                    rule="svo.verb_object" if prep is None else "svo.verb_prep_object",
                    subj=s,
                    subj_mention=None,
                    obj=o,
                    relation=label,
                    trigger=i,
                    confidence=0.9 * conf,
                    detail=detail,
                )

    def _light_verb_frames(
        self,
        v: DepView,
        i: int,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """A light verb and its event noun: "held talks with X", "took part in X"."""
        for o, prep, _ in objects:
            if prep is None and v.toks[o].lemma in EVENT_NOUNS:
                noun_rel = EVENT_NOUNS[v.toks[o].lemma]
                targets = self._light_targets(v, i, o)
                if not targets and noun_rel in _MUTUAL and len(subjects) > 1:
                    # "Chile and Peru resumed talks": the parties with each other
                    yield from _each_pair(
                        subjects[:1],
                        subjects[1:],
                        relation=noun_rel,
                        trigger=o,
                        confidence=0.7 * conf,
                        rule="svo.light_verb_mutual",
                    )
                    continue
                yield from _each_pair(
                    subjects,
                    targets,
                    relation=noun_rel,
                    trigger=o,
                    confidence=0.8 * conf,
                    rule="svo.light_verb_event",
                )
        # "take part in X"
        part = [o for o, p, _ in objects if p is None and v.toks[o].lemma == "part"]
        if part and v.toks[i].lemma == "take":
            for c in v.kids(part[0], "nmod"):
                if v.prep(c) == "in":
                    yield from _each_pair(
                        subjects,
                        [c],
                        relation="take part in",
                        trigger=i,
                        confidence=0.8 * conf,
                        rule="svo.take_part",
                    )

    def _protest_purpose_target(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        rel: str,
        theme: str,
        objects: list[tuple[int, str | None, str | None]],
        subjects: list[int],
    ) -> list[int]:
        """The target of a protest act with none of its own, from the purpose clause that says
        what the protest is about: the first actor named there ("blocked a highway to voice
        anger at US policy", "went on hunger strike to demand land seized by the army"),
        never the protesters themselves. Empty for any other act."""
        event = code_event(rel, object_head=theme)
        if event is None or event.plover != "PROTEST":
            return []
        purposes = [
            c
            for host in (i, *(o for o, prep, _ in objects if prep is None))
            for c in v.kids(host, "advcl", "acl")
            if c > host and _to_infinitive(v, c)
        ]
        own = {k for s in subjects for k in v.subtree(s)}
        protesters = [mb.mention(s) for s in subjects]
        for c in purposes:
            for k in v.subtree(c):
                m = mb.mention(k)
                if m is None or k in own or v.toks[k].pos == "PRON" or m in protesters:
                    continue  # "their disapproval": the protesters' own
                if m.label in ("GPE", "LOC") and v.toks[k].dep not in ("nmod:poss", "compound"):
                    continue  # "to march on Lima": a place, unless it owns the thing opposed
                head = v.toks[k].head
                if head != k and mb.mention(head) == m:
                    continue  # not the top token of its mention
                return [k]
        return []

    def _sovereign(self, v: DepView, mb: MentionBuilder, i: int) -> list[tuple[int, str]]:
        """ "recognised Abkhazia as (a) part of Georgia", "as Georgian territory", "as Georgia's
        territory": the state whose claim is recognised, with the "as" phrase (which codes the
        recognition as support). Only after verbs of recognising."""
        if v.toks[i].lemma not in _RECOGNISING:
            return []
        found: list[tuple[int, str]] = []
        for c in v.kids(i, "obl"):
            if v.prep(c) != "as" or v.toks[c].lemma not in _LAND_NOUNS:
                continue
            sub = v.subtree(c)
            phrase = v.text_of(sub[0], sub[-1] + 1)  # the subtree holds "as"
            owners = [
                o
                for n in v.kids(c, "nmod")
                if v.prep(n) == "of"
                for o in v.conjuncts(n)
                if mb.mention(o) is not None
            ]
            owners += [p for p in v.kids(c, "nmod:poss") if mb.mention(p) is not None]
            owners += [a for a in v.kids(c, "amod") if mb.demonym_country(a) is not None]
            found += [(o, phrase) for o in owners]
        return found

    def _matrix_frames(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """ "Chile threatened to shell Peruvian ports": the threat is the event, against the ports.

        A verb of commitment or refusal (:data:`_MATRIX_EVENTS`) whose complement acts on an
        actor is itself an event between the subject and that actor; the complement's own
        relation stays, with its modality (intended, negated).
        """
        tok = v.toks[i]
        if self.open_mode or tok.dep != "xcomp" or tok.head == i:
            return
        matrix = v.toks[tok.head]
        if matrix.lemma not in _MATRIX_EVENTS:
            return
        targets = [o for o, prep, _ in objects if prep is None and mb.mention(o) is not None]
        if not targets and not any(mb.mention(o) for o, _, _ in objects):
            targets = self._deep_targets(v, mb, i, [o for o, _, _ in objects])
        yield from _each_pair(
            subjects,
            targets[:2],
            relation=matrix.lemma,
            trigger=tok.head,
            confidence=0.7 * conf,
            rule="svo.matrix_commitment",
        )
        themes = [o for o, prep, _ in objects if prep is None]
        if (
            not targets
            and themes
            and matrix.lemma in _COMMITMENTS
            and not self._deep_targets(v, mb, i, themes, demonyms=True)
        ):
            # "agreed to postpone the rally": the commitment is an event with no actor target
            yield from _each_pair(
                subjects,
                themes[:1],
                relation=matrix.lemma,
                trigger=tok.head,
                confidence=0.5 * conf,
                untargeted=True,
                rule="svo.matrix_untargeted",
            )

    def _pressure_frames(
        self,
        v: DepView,
        i: int,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """ "piled (put, stepped up, increased) pressure on X": X is pressured by the subject.

        The target is the "on" phrase of the noun or of the verb. The relation is "pressure",
        with the verb and noun as detail, which the event table codes as CAMEO.2.0 codes
        "step up pressure" (a demand), apart from the plain verb "pressured X".
        """
        if self.open_mode or self._relation_label(v, i).split()[0] not in _PRESSURE_VERBS:
            return
        nouns = [o for o, prep, _ in objects if prep is None and v.toks[o].lemma == "pressure"]
        if not nouns:
            return
        n = nouns[0]
        hosts = [(n, "nmod"), (i, "obl")]
        targets = [
            t
            for h, dep in hosts
            for c in v.kids(h, dep)
            if v.prep(c) in ("on", "upon")
            for t in v.conjuncts(c)
        ]
        detail = v.text_of(i, n + 1)  # "piled more pressure"
        yield from _each_pair(
            subjects,
            targets,
            relation="pressure",
            trigger=n,
            confidence=0.8 * conf,
            detail=detail,
            rule="svo.pressure",
        )

    def _conditional_threat_frames(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """ "Latvia vowed to impose sanctions if Smith rejects the deal", "Iran will strike if
        Iraq sends troops": an intended coercive act conditioned on what another actor does
        threatens (CAMEO 13x, the code picked by the act: the detail).

        Only when the act is intended (will, or the complement of a verb of commitment), not
        negated, and material conflict (QuadClass 4); with "unless", any act but verbal
        cooperation ("will recall its envoy unless X …"). The act's own actor target is
        threatened, else the condition's active subject. The threat is a fact (it was made);
        the act's own relation stays, with its modality.
        """
        tok = v.toks[i]
        if self.open_mode:
            return
        auxes = {v.toks[c].lower for c in v.kids(i, "aux")}
        committed = tok.dep == "xcomp" and v.toks[tok.head].lemma in INTENT_VERBS
        if not (committed or auxes & (INTENT_AUX | {"would"})) or "have" in auxes:
            return  # a plain or counterfactual conditional ("would have struck if") is no threat
        hosts = [i, tok.head] if committed else [i]
        conditions = [
            (c, v.toks[m].lower)
            for h in hosts
            for c in v.kids(h, "advcl")
            if (m := v.kid(c, "mark")) is not None and v.toks[m].lower in ("if", "unless")
        ]
        if not conditions or self._negated(v, i):
            return  # the cheap tests first: this runs for every verb
        theme = next((_theme(v, o) for o, p, _ in objects if p is None and not mb.mention(o)), None)
        event = code_event(self._relation_label(v, i), object_head=theme)
        if event is None:
            return
        for cond, mark in conditions[:1]:
            if event.quad_class != 4 and (mark != "unless" or event.quad_class == 1):
                return  # "will sign if X agrees" promises; "will withdraw unless X …" threatens
            # the act's own target is threatened, else the one whose act is the condition
            targets = [o for o, p, _ in objects if p is None and mb.mention(o)]
            targets = targets or self._deep_targets(v, mb, i, [o for o, _, _ in objects])
            targets = targets or [t for s in v.kids(cond, "nsubj") for t in v.conjuncts(s)]
            yield from _each_pair(
                subjects,
                (t for t in targets if mb.mention(t) is not None),
                relation="threaten",
                trigger=i,
                confidence=0.6 * conf,
                detail=_conditioned_act(v, i, cond),  # "impose more sanctions"
                factual=True,  # the threat is made, whatever becomes of the act
                rule="svo.conditional_threat",
            )

    def _demand_frames(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        subjects: list[int],
        conf: float,
        objects: list[tuple[int, str | None, str | None]],
    ) -> Iterator[_Frame]:
        """ "Norway repeated its demand that Russia free the crew", "pressed its demand that
        the government release X": a demand, call or appeal whose clause names who is to
        act is a request from the subject to that actor (the verb only carries the noun).

        The clause may hang from the noun or, as parsers often attach it, from the verb; it
        must follow the noun and have an actor as its subject.
        """
        if self.open_mode:
            return
        lemma = v.toks[i].lemma
        if lemma in _CLAUSE_DEMANDS and not any(mb.mention(o) for o, _, _ in objects):
            # "demanded that Israel withdraw", "insisted that Russia pay"
            clauses = [c for c in v.kids(i, "ccomp") if c > i and self._demanded(v, c)]
            for c in clauses:
                yield from _each_pair(
                    subjects,
                    [t for s in v.kids(c, "nsubj") for t in v.conjuncts(s) if mb.mention(t)],
                    relation=_CLAUSE_DEMANDS[lemma],
                    trigger=i,
                    confidence=0.7 * conf,
                    rule="svo.demand_clause",
                )
            if clauses or not objects:
                return
        for o, prep, _ in objects:
            ntok = v.toks[o]
            obliging = ntok.lemma in _OBLIGING_NOUNS
            rel = "demand" if obliging else _DEMAND_NOUNS.get(ntok.lemma)
            if rel is None or prep not in (None, "on", "to"):
                continue
            for c in _demand_clauses(v, i, o, obliging=obliging)[:1]:
                yield from _each_pair(
                    subjects,
                    _demanded_targets(v, mb, o, c),
                    relation=rel,
                    trigger=o,
                    confidence=0.7 * conf,
                    rule="svo.demand_noun",
                )
            return

    def _demanded(self, v: DepView, c: int) -> bool:
        """Whether clause ``c`` states what a demand asks for: the "that" clause of a verb of
        asking, or of a demand noun (attached to the noun or, by the parser, to its verb)."""
        head = v.toks[c].head
        if v.toks[head].lemma in _DEMAND_NOUNS:
            return True
        if v.toks[head].lemma in _CLAUSE_DEMANDS:
            # "insisted that X pay" asks, "insisted that X would pay" asserts
            return v.toks[head].lemma != "insist" or _subjunctive(v, c)
        return any(
            v.toks[o].lemma in _DEMAND_NOUNS and o < c
            for o in (*v.kids(head, "obj"), *v.kids(head, "obl"))
        )

    def _reaction_frames(
        self, v: DepView, mb: MentionBuilder, i: int, subjects: list[int], conf: float
    ) -> Iterator[_Frame]:
        """ "Iran must answer a call for negotiations from the Saudi king": the reaction is to
        the requester, and the request is an event of its own, from the requester to the
        subject (as a fact: the clause's hedges are about the reaction, not the request)."""
        if self.open_mode or self._relation_label(v, i) not in REACTION_VERBS:
            return
        nouns = list(v.kids(i, "obj"))
        for c in v.kids(i, "obl"):
            if v.prep(c) in ("to", "on"):
                nouns.append(c)
        for n in (x for c in nouns for x in v.conjuncts(c)):
            ntok = v.toks[n]
            event = PROPOSAL_NOUNS.get(ntok.lemma) or PROPOSAL_NOUNS.get(ntok.lower)
            if event is None:
                continue
            agents = self._proposer(v, mb, n, verb=i)
            for a in agents:
                for s in subjects:
                    yield _Frame(
                        rule="svo.reaction",
                        subj=s,
                        subj_mention=None,
                        obj=a,
                        relation=self._relation_label(v, i),
                        trigger=i,
                        confidence=0.7 * conf,
                        theme=ntok.lemma,
                    )
                    yield _Frame(
                        rule="svo.proposal",
                        subj=a,
                        subj_mention=None,
                        obj=s,
                        relation=event,
                        trigger=n,
                        confidence=0.6 * conf,
                        detail=ntok.lower,  # "ultimatum": the table codes the threat by it
                        factual=True,
                    )

    def _proposer(self, v: DepView, mb: MentionBuilder, n: int, *, verb: int) -> list[int]:
        """Who makes the request or offer ``n``: its possessor, or its "from"/"by" phrase (which
        parsers often hang on the noun's own "for" complement, "a request for talks from X",
        or on the verb, "rejected the offer on Monday from X")."""
        poss = v.kid(n, "nmod:poss")
        if poss is not None and mb.mention(poss) is not None:
            return [poss]
        hosts = [n, *(c for c in v.kids(n, "nmod") if v.prep(c) == "for")]
        if v.toks[n].head == verb:
            hosts.append(verb)
        for h in hosts:
            for c in v.kids(h, "nmod", "obl"):
                if v.prep(c) in ("from", "by"):
                    found = [x for x in v.conjuncts(c) if mb.mention(x) is not None]
                    if found:
                        return found
        return []

    def _deontic_frames(self, v: DepView, i: int) -> Iterator[_Frame]:
        """ "X said Y must (should) V": in saying so, X urges Y (an appeal, CAMEO 02)."""
        for c in v.kids(i, "ccomp", "parataxis"):
            if not any(v.toks[a].lower in _DEONTIC for a in v.kids(c, "aux")):
                continue
            targets = [t for s in v.kids(c, *_SUBJ_DEPS) for t in v.conjuncts(s)]
            speakers, conf = self._subjects(v, i)
            for sp in speakers:
                for t in targets:
                    yield _Frame(
                        rule="svo.deontic_urge",
                        subj=sp,
                        subj_mention=None,
                        obj=t,
                        relation="urge",
                        trigger=i,
                        confidence=0.6 * conf,
                    )

    def _deep_targets(
        self,
        v: DepView,
        mb: MentionBuilder,
        i: int,
        objects: list[int],
        *,
        demonyms: bool = False,
    ) -> list[int]:
        """Actors in a prepositional phrase of the verb or of its (non-actor) object.

        With ``demonyms``, also the demonym of an aggression noun that is the object or a
        prepositional argument of the verb ("condemned Iranian aggression", "defend against a
        Chinese attack"): the token of the demonym, whose mention is
        :meth:`MentionBuilder.demonym_country`.
        """
        # "attended the meetings of X", "discussed the visit to Y": a consultation about an
        # event is not with that event's participants (the event noun has its own frame)
        plover = _plover_of(self._relation_label(v, i))
        found = self._phrase_targets(v, mb, i, objects, plover)
        _add_stance_targets(v, mb, i, found)
        # "denounced Serbia's crackdown", "rejected a US offer": a verb that judges or answers
        # another's act targets the actor the act belongs to. Any other verb's object keeps its
        # owner to itself: "reaffirmed U.S. support", "asked a US banker", "called Brazil's
        # programme" act on no one through the possessor.
        owners = objects if plover in _JUDGING else []
        for o in owners:
            for c in (*v.kids(o, "nmod:poss"), *v.kids(o, "compound")):
                m = mb.mention(c)
                if m is not None and m.kind == "name" and c not in found:
                    found.append(c)
        if demonyms:
            _add_demonym_targets(v, mb, i, objects, found)
        return found[:2]

    def _phrase_targets(
        self, v: DepView, mb: MentionBuilder, i: int, objects: list[int], plover: str | None
    ) -> list[int]:
        """Actors in the prepositional phrases of verb ``i`` and of its objects that can hold
        a target (:func:`_deep_phrase`), in order and each once."""
        hosts = [(i, "obl"), *((o, "nmod") for o in objects)]
        found: list[int] = []
        for host, dep in hosts:
            if plover == "CONSULT" and host != i and v.toks[host].lemma in EVENT_NOUNS:
                continue
            for c in v.kids(host, dep):
                prep = v.prep(c)
                if prep is None:
                    continue
                if not _deep_phrase(v, i, host, prep):
                    continue
                for o in v.conjuncts(c):
                    if mb.mention(o) is not None and o not in found:
                        found.append(o)
        return found

    def _act_agent(self, v: DepView, mb: MentionBuilder, n: int) -> Mention | None:
        """The actor behind a hostile act that is a clause's subject ("US drone strikes killed
        X", "Russia's shelling hit Y", "Serbian attacks destroyed Z"): its possessor or name
        modifier, else the state of its demonym; ``None`` for any other subject."""
        if not _aggression(v, n) or v.toks[n].dep not in _SUBJ_DEPS:
            return None
        # the modifiers before the noun, a chain of compounds included ("US Predator attacks")
        before = [k for k in v.subtree(n) if k < n]
        for c in before:
            m = mb.mention(c) if v.toks[c].dep in ("nmod:poss", "compound") else None
            if m is not None and m.kind == "name":
                return m
        for c in before:
            m = mb.demonym_country(c)
            if m is not None:
                return m
        return None

    def _aggressor(self, v: DepView, t: int) -> bool:
        """Whether ``t`` names who is behind an aggression noun: its demonym, possessor or "of",
        "from", "by" complement ("Serbian attacks", "Serbia's attacks", "the threat from X")."""
        tok = v.toks[t]
        for c in v.conjuncts(t):
            if c != t and t in v.kids(c, "conj"):
                tok = v.toks[c]  # a conjunct shares its first conjunct's attachment
        host = tok.head
        if host == tok.i or not _aggression(v, host):
            return False
        if tok.dep in ("amod", "compound", "nmod:poss"):
            return True
        case = v.kid(tok.i, "case")
        return tok.dep == "nmod" and case is not None and v.toks[case].lower in _AGENT_PREPS

    def _noun_targets(self, v: DepView, n: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        protest = v.toks[n].lemma in _PROTEST_NOUNS
        for c in v.kids(n, "nmod"):
            prep = v.prep(c) or ""
            if protest and prep != "against":
                continue  # "a rally with supporters" is no act on them
            if prep in _NOUN_PREPS and prep != "between":
                allowed = _NOUN_PREPS[prep]
                if allowed is None or v.toks[n].lemma in allowed:
                    out.extend((o, prep) for o in v.conjuncts(c))
        return out

    def _light_targets(self, v: DepView, verb: int, noun: int) -> list[int]:
        """Whom a light verb's event noun is with: the noun's own partner phrase, else the same
        phrase where the parser hung it on the verb ("held talks | with Peru"; the attachment
        is ambiguous and parsers differ)."""
        own = [t for t, _prep in self._noun_targets(v, noun)]
        if own:
            return own
        lemma = v.toks[noun].lemma
        out: list[int] = []
        for c in v.kids(verb, "obl"):
            prep = v.prep(c) or ""
            allowed: set[str] | frozenset[str] | None = _NOUN_PREPS.get(prep, frozenset())
            if prep != "between" and (allowed is None or lemma in allowed):
                out.extend(v.conjuncts(c))
        return out

    def _noun_theme(self, v: DepView, mb: MentionBuilder, n: int) -> int | None:
        """The thing an event noun acts on, when it is no actor: "links" in "a suspension of
        rail links with X". Its own "with"/"to" phrase then names the target."""
        if v.toks[n].lemma not in _THEMED_NOUNS:
            return None
        for c in v.kids(n, "nmod"):
            if v.prep(c) == "of" and mb.mention(c) is None:
                return c
        return None

    def _owner(self, v: DepView, mb: MentionBuilder, o: int) -> tuple[int, Mention | None] | None:
        """The actor a noun phrase stands for or belongs to: the phrase itself when it is an
        actor, else its possessor or name modifier ("Peru's fishing rules"), else the state
        of its demonym ("Peruvian fishing rules"), as a mention with no token of its own."""
        if mb.mention(o) is not None:
            return o, None
        for c in (*v.kids(o, "nmod:poss"), *v.kids(o, "compound")):
            m = mb.mention(c)
            if m is not None and m.kind == "name":
                return c, None
        for c in v.kids(o, "amod", "compound"):
            m = mb.demonym_country(c)
            if m is not None:
                return o, m
        return None

    @staticmethod
    def _in_clause(v: DepView, n: int) -> bool:
        """Whether token ``n`` sits under a verb (not in a verbless line)."""
        k = n
        for _ in range(len(v.toks)):
            if v.toks[k].pos in ("VERB", "AUX"):
                return True
            if v.toks[k].head == k:
                return False
            k = v.toks[k].head
        return False

    def _noun_frames(self, v: DepView, mb: MentionBuilder, n: int) -> Iterator[_Frame]:
        tok = v.toks[n]
        key = tok.lemma if tok.lemma in EVENT_NOUNS else tok.lower
        undoer = self._undoer(v, n)
        # "talks between Ukraine and Russia": the first party with the others.
        between = next((c for c in v.kids(n, "nmod") if v.prep(c) == "between"), None)
        if between is not None:
            if undoer is None:  # "suspended talks between X and Y" holds none
                yield from self._between_frames(v, n, between, key)
            return
        theme_tok = self._noun_theme(v, mb, n)
        owned = [self._owner(v, mb, o) for o, _prep in self._themed_targets(v, n, theme_tok)]
        targets = [t for t in owned if t is not None]
        if not targets:
            return
        theme = _theme(v, theme_tok) if theme_tok is not None else None
        if tok.dep == "obj" and v.toks[tok.head].lemma in LIGHT_VERBS:
            return  # handled as a light-verb construction
        poss = v.kid(n, "nmod:poss")
        rel = EVENT_NOUNS.get(key, "")
        if undoer is not None:
            # "terminated its agreement with X", "pulled out of talks with X": the ending is
            # the event (coded by polarity, geokg.events), not the agreement or the talks
            rel = undoer
            theme = theme or tok.lemma
            if poss is not None and v.toks[poss].pos == "PRON":
                poss = None  # "ended its talks with X": the verb's subject ends them
        # "Chilean protests against X continued", "EU sanctions on Y took effect": a modifier
        # names the actor, in a clause; a verbless line ("Chilean protests against Peru" over a
        # story) is a topic label that asserts nothing.
        agent = next(
            (
                m
                for c in v.kids(n, "amod", "compound")
                if c < n and (m := mb.mention(c) or mb.demonym_country(c)) is not None
            ),
            None,
        )
        if agent is not None and not self._in_clause(v, n):
            return
        yield from self._noun_agent_frames(v, n, targets, poss, agent, rel, theme)

    def _between_frames(self, v: DepView, n: int, between: int, key: str) -> Iterator[_Frame]:
        """ "talks between Ukraine and Russia": the first party with the others."""
        parties = v.conjuncts(between)
        for other in parties[1:]:
            yield _Frame(
                rule="svo.noun_between",
                subj=parties[0],
                subj_mention=None,
                obj=other,
                relation=EVENT_NOUNS[key],
                trigger=n,
                confidence=0.7,
            )

    def _themed_targets(self, v: DepView, n: int, theme_tok: int | None) -> list[tuple[int, str]]:
        """The targets of event noun ``n`` with their prepositions, else those of the thing it
        acts on ("a suspension of tariffs on X": a sanction's "on" names its target too)."""
        found = self._noun_targets(v, n)
        if not found and theme_tok is not None:
            preps = {"with", "to", "against"} | (
                {"on"} if polarity().objects.get(v.toks[theme_tok].lemma) == "SANCTION" else set()
            )
            found = [
                (o, prep)
                for c in v.kids(theme_tok, "nmod")
                if (prep := v.prep(c) or "") in preps
                for o in v.conjuncts(c)
            ]
        return found

    def _noun_agent_frames(
        self,
        v: DepView,
        n: int,
        targets: list[tuple[int, Mention | None]],
        poss: int | None,
        agent: Mention | None,
        rel: str,
        theme: str | None,
    ) -> Iterator[_Frame]:
        """The frames of event noun ``n`` from its possessor, its modifier ``agent`` or the
        subject of the verb it is an argument of, to each of its targets."""
        tok = v.toks[n]
        subjects: list[int] = []
        conf = 0.75
        if poss is not None:
            subjects, agent = [poss], None
        elif agent is None:
            # "travelled to Kyiv for talks with X": only a noun that is an argument of the verb
            # itself shares the verb's subject; a deeper one ("asked … during a visit to X")
            # has no reliable agent.
            head_tok = v.toks[tok.head]
            if tok.head != n and head_tok.pos == "VERB" and tok.dep in ("obj", "obl"):
                subjects, c2 = self._subjects(v, tok.head)
                conf *= c2
        agents: list[int | None] = [*subjects] or ([None] if agent is not None else [])
        for o, obj_mention in targets:
            for s in agents:
                yield _Frame(
                    rule=(
                        "svo.noun_possessor"
                        if poss is not None
                        else "svo.noun_modifier"
                        if agent is not None
                        else "svo.noun_shared_subject"
                    ),
                    subj=s,
                    subj_mention=agent if s is None else None,
                    obj=o,
                    relation=rel,
                    trigger=n,
                    confidence=conf * (0.9 if agent is not None else 1.0),
                    obj_mention=obj_mention,
                    theme=theme,
                )

    def _undoer(self, v: DepView, n: int) -> str | None:
        """The verb (its relation label) that ends, suspends or leaves what event noun ``n``
        names: ``n`` is its object, or its oblique with a preposition the polarity lexicon
        gives ("withdrew *from* the deal"); ``None`` for any other head."""
        tok = v.toks[n]
        if tok.head == n or v.toks[tok.head].pos != "VERB" or tok.dep not in ("obj", "obl"):
            return None
        label = self._relation_label(v, tok.head)
        cases = [v.toks[c].lower for c in v.kids(n, "case")]
        verbs = polarity().verbs
        # "pulled out of the treaty": a particle the parser read as a preposition
        for verb in (label, *(f"{label} {c}" for c in cases[:1])):
            preps = verbs.get(verb)
            if preps is not None and (tok.dep == "obj" or not preps.isdisjoint(cases)):
                return verb
        return None

    def _announcing_speaker(self, v: DepView, mb: MentionBuilder, i: int) -> Mention | None:
        """Who announces an agentless passive: "X said the consulate would be closed"."""
        j = i
        for _ in range(3):
            tok = v.toks[j]
            if tok.dep not in ("ccomp", "parataxis", "conj") or tok.head == j:
                return None
            head = tok.head
            if v.toks[head].lemma in SPEECH_VERBS and tok.dep != "conj":
                subs, _ = self._subjects(v, head)
                for s in subs:
                    m = mb.mention(s)
                    if m is not None:
                        return m
                return None
            j = head
        return None

    # ------------------------------------------------------------------------------------------
    # Modality, negation, speaker

    def _negated(self, v: DepView, i: int) -> bool:
        return negated_here(v, i)

    def _modality(
        self, v: DepView, mb: MentionBuilder, i: int, quote_speaker: dict[int, Mention]
    ) -> tuple[bool, Modality, Mention | None]:
        """Negation and modality from the clause tree (:mod:`geokg.extractors._factuality`),
        and the speaker: the subject of the speech verb whose clause holds the event, or the
        speaker of the quotation or post it sits in."""
        fact = factuality(
            v,
            i,
            quoted=i in quote_speaker,
            conj_head=self._repaired_conj_head,
            stop=self._ccomp_is_conjunct,
        )
        speaker: Mention | None = None
        if fact.reporter is not None:
            for s in self._subjects(v, fact.reporter)[0]:
                speaker = mb.mention(s)
                if speaker is not None:
                    break
        if i in quote_speaker:
            speaker = speaker or quote_speaker[i]
        return fact.negated, fact.modality, speaker

    def _committed(self, v: DepView, i: int) -> bool:
        """Whether the act at ``i`` is one its subject committed itself to: the "to" complement
        of a verb or adjective of commitment ("pledged to send", "agreed to withdraw", "is ready
        to contribute"), possibly through coordination ("pledged to meet and to talk")."""
        j = i
        for _step in range(4):
            tok = v.toks[j]
            if tok.dep == "conj" and tok.head != j:
                j = tok.head
                continue
            head = v.toks[tok.head]
            return (
                tok.dep in ("xcomp", "acl", "advcl")
                and tok.head != j
                and (head.lemma in COMMITTING_HEADS or head.lower in COMMITTING_HEADS)
                and _to_infinitive(v, j)
                and not self._negated(v, tok.head)  # "did not want to end it": no commitment
            )
        return False

    def _plural_antecedents(
        self,
        v: DepView,
        mb: MentionBuilder,
        sentences: Sequence[tuple[int, int]],
        state: ExtractorState,
    ) -> None:
        """Link "they", "them", "their" to the group that was the subject or object of a clause
        in this or the last two sentences, when exactly one group was ("Several Baltic leaders
        said they wanted …"). Two different groups, or none, leave the pronoun unresolved; a
        person or a state never stands for "they"."""
        for s_start, s_end in sentences:
            state.sentence_no += 1
            now = state.sentence_no
            state.group_subjects = [
                (n, m) for n, m in state.group_subjects if now - n <= _PLURAL_WINDOW
            ]
            for k in range(s_start, s_end):
                tok = v.toks[k]
                if tok.pos == "PRON" and tok.lower == "it":
                    speaker = self._matrix_state(v, mb, k)
                    if speaker is not None:
                        mb.antecedents[k] = speaker
                if tok.pos == "PRON" and tok.lower in _PLURAL_PRONOUNS:
                    before = [m for _, m in state.group_subjects if m.start < tok.idx]
                    matrix = self._matrix_group(v, mb, k)
                    if matrix is not None:
                        mb.antecedents[k] = matrix
                    elif len({_group_key(m) for m in before}) == 1:
                        mb.antecedents[k] = before[-1]
                if tok.dep not in _CORE_ARGS or v.kids(k, "conj"):
                    continue  # "X and Y said they …": two parties, not one group
                m = mb.mention(k)
                if m is not None and is_group(m):
                    state.group_subjects.append((now, m))

    def _matrix_state(self, v: DepView, mb: MentionBuilder, k: int) -> Mention | None:
        """ "Norway said it had halted aid", "the UN warned it would withdraw": "it" as the
        subject of what a state or organisation says is that speaker. Only for one named
        speaker of a speech verb, never a person."""
        tok = v.toks[k]
        clause = tok.head
        if tok.dep not in ("nsubj", "nsubj:pass") or clause == k:
            return None
        ctok = v.toks[clause]
        if (
            ctok.dep != "ccomp"
            or ctok.head == clause
            or v.toks[ctok.head].lemma not in SPEECH_VERBS
        ):
            return None
        subs = v.kids(ctok.head, "nsubj")
        if len(subs) != 1 or v.kids(subs[0], "conj"):
            return None
        m = mb.mention(subs[0])
        if m is None or m.kind != "name" or m.label not in ("GPE", "ORG"):
            return None
        return m

    def _matrix_group(self, v: DepView, mb: MentionBuilder, k: int) -> Mention | None:
        """ "Nordic leaders said they wanted …": the subject of a clause that "they" is the
        subject of a complement of is its antecedent when it is a group, whatever else was
        named lately."""
        tok = v.toks[k]
        clause = tok.head
        if tok.dep != "nsubj" or clause == k:
            return None
        ctok = v.toks[clause]
        if ctok.dep not in ("ccomp", "xcomp") or ctok.head == clause:
            return None
        subs = v.kids(ctok.head, "nsubj")
        if len(subs) != 1 or v.kids(subs[0], "conj"):
            return None
        m = mb.mention(subs[0])
        return m if m is not None and is_group(m) else None

    def _quote_speakers(
        self,
        v: DepView,
        mb: MentionBuilder,
        quotes: list[tuple[int, int]],
        sentences: Sequence[tuple[int, int]],
        state: ExtractorState,
    ) -> dict[int, Mention]:
        """Map each token inside a quote (or a signed tweet) to its speaker."""
        out: dict[int, Mention] = {}
        for s0, s1, who in state.tweet_speakers:
            for t in v.toks:
                if s0 <= t.idx < s1:
                    out[t.i] = who
        if not quotes:
            return out
        inside = _quote_of_token(v, quotes)
        for qi, (qs, qe) in enumerate(quotes):
            speaker = self._quote_speaker(v, mb, (qs, qe), sentences, inside)
            if speaker is None and qs - (v.toks[0].idx if v.toks else 0) <= 1:
                speaker = state.last_quote_speaker  # a quote continued from the paragraph above
            if speaker is None:
                continue
            state.last_quote_speaker = speaker
            for tok_i, q in inside.items():
                if q == qi:
                    out[tok_i] = speaker
        return out

    def _quote_speaker(
        self,
        v: DepView,
        mb: MentionBuilder,
        quote: tuple[int, int],
        sentences: Sequence[tuple[int, int]],
        inside: dict[int, int],
    ) -> Mention | None:
        """The speaker of a quote (character offsets): the first actor that is the subject of a
        verb of saying outside the quotes, in a sentence that reaches the quote."""
        qs, qe = quote
        for s_start, s_end in sentences:
            c0, c1 = v.toks[s_start].idx, v.toks[s_end - 1].end
            if c1 < qs - 3 or c0 > qe + 3:
                continue
            for k in range(s_start, s_end):
                tk = v.toks[k]
                if k in inside or tk.lemma not in SPEECH_VERBS or tk.pos not in ("VERB", "AUX"):
                    continue
                subs, _ = self._subjects(v, k)
                for s in subs:
                    if s in inside:
                        continue
                    speaker = mb.mention(s)
                    if speaker is not None:
                        return speaker
        return None

    def _place(
        self, v: DepView, mb: MentionBuilder, trigger: int, args: Sequence[Mention]
    ) -> Mention | None:
        """Where the event at ``trigger`` happens or is sent: the nearest place named in an
        "in/at/to … X" phrase below the predicate, within its own clause ("contributed troops to
        a force in Liberia", "threatened to impose a curfew in Algiers"), or ``None``.

        A purpose or complement infinitive with no place of its own takes its head's: "sent
        monitors to Bosnia to investigate" investigates in Bosnia. A place is a named state,
        region or city; its ``country`` is the state it lies in. The relation's own arguments
        are not its place ("sent arms to Pakistan": Pakistan is the object).
        """
        tok = v.toks[trigger]
        starts = [trigger]
        if tok.dep in ("advcl", "xcomp", "acl") and any(
            v.toks[m].lower == "to" for m in v.kids(trigger, "mark")
        ):
            starts.append(tok.head)
        for start in starts:
            frontier = [start]
            for _ in range(_PLACE_DEPTH):
                deeper: list[int] = []
                for j in frontier:
                    for c in v.toks[j].children:
                        if c == trigger or v.toks[c].dep.split(":")[0] not in _PLACE_PATH:
                            continue
                        prep = v.prep(c)
                        if prep in _PLACE_BARRIERS:
                            continue
                        deeper.append(c)
                        if prep not in _PLACE_PREPS:
                            continue
                        m = mb.place(c)
                        if m is not None and not any(
                            m.start < a.end and a.start < m.end for a in args
                        ):
                            return m
                frontier = deeper
        return None

    def _time_text(self, v: DepView, trigger: int, end: int, text: str, c0: int) -> str | None:
        c1 = v.toks[end - 1].end
        found = find_time_expressions(text[c0:c1])
        if not found:
            return None
        tpos = v.toks[trigger].idx - c0
        best = min(found, key=lambda f: abs(f[0] - tpos))
        return best[2]

    # ------------------------------------------------------------------------------------------
    # Headline fallback

    def _binds(self, v: DepView, mb: MentionBuilder, fr: _Frame) -> bool:
        if fr.judged:
            return False  # the speaker is found later; the sentence may still need the fallback
        subj = self._subject_mention(v, mb, fr)
        return subj is not None and (fr.obj_mention or mb.mention(fr.obj)) is not None

    def _subject_mention(self, v: DepView, mb: MentionBuilder, fr: _Frame) -> Mention | None:
        if fr.subj is None:
            return fr.subj_mention
        m = mb.mention(fr.subj, open_mode=self.open_mode)
        if m is None and not self.open_mode:
            m = self._act_agent(v, mb, fr.subj)  # "US drone strikes killed X"
        return m

    def _headline_frames(
        self, v: DepView, mb: MentionBuilder, start: int, end: int
    ) -> Iterator[_Frame]:
        """ "ACTOR verb-s ACTOR" when the parser found no verb (headline style).

        Never across a coordinating conjunction: two actors joined by "and" ("the United States
        and French armed forces", "supporting X and condemning Y") are no subject and object.
        """
        heads: list[int] = []
        for k in range(start, end):
            m = mb.mention(k)
            if m is None:
                continue
            if heads and mb.mention(heads[-1]) == m:
                continue
            heads.append(k)
        for a, b in itertools.pairwise(heads):
            yield from self._headline_pair_frames(v, mb, a, b)

    def _headline_pair_frames(
        self, v: DepView, mb: MentionBuilder, a: int, b: int
    ) -> Iterator[_Frame]:
        """The surface relation between two neighbouring mentions, if the words between them
        name one."""
        ma, mbm = mb.mention(a), mb.mention(b)
        if ma is None or mbm is None:
            return
        between = [k for k in range(a + 1, b) if not (ma.start <= v.toks[k].idx < ma.end)]
        # "Albania on Friday denounced …": the day news puts before the verb is no word
        # of the relation
        wording = [k for k in between if not _time_word(v, k)]
        if not between or len(wording) > _SURFACE_WINDOW:
            return
        if any(v.toks[k].pos == "PUNCT" and v.toks[k].text in ",;:" for k in between):
            return  # another clause or an apposition lies between
        if any(v.toks[k].pos == "CCONJ" for k in between):
            return  # coordinated, not related
        pressure = _surface_pressure(v, between)
        if pressure is not None:  # "Allies pile pressure on X", all tagged as nouns
            verb, noun = pressure
            yield _Frame(
                rule="svo.surface_pressure",
                subj=a,
                subj_mention=None,
                obj=b,
                relation="pressure",
                trigger=noun,
                confidence=_SURFACE_CONFIDENCE,
                detail=v.text_of(verb, noun + 1),
            )
            return
        yield from _surface_verb_frames(v, a, b, ma, between)


def _surface_verb_frames(
    v: DepView, a: int, b: int, ma: Mention, between: list[int]
) -> Iterator[_Frame]:
    """The first word between mentions ``a`` and ``b`` that reads as a coded verb, as a frame
    from one to the other (reversed across a passive), unless the parse says otherwise."""
    for k in between:
        tok = v.toks[k]
        # A base form the tagger did not call a verb is a noun ("a visit to").
        # (a verb that was tagged as a noun keeps the noun's lemma: "vetoed")
        lemmas = (
            [tok.lemma, *_verb_lemmas(tok.lower)] if tok.pos == "VERB" else _verb_lemmas(tok.lower)
        )
        if tok.pos != "VERB" and lemmas == [tok.lower]:
            continue
        if tok.pos != "VERB" and k > 0 and v.toks[k - 1].pos in ("ADP", "DET"):
            continue  # "for talks", "the attacks": a word after these is a noun
        lemma = next((x for x in lemmas if x in curated_lemmas()), None)
        if _surface_verb_blocked(v, k, b, ma, lemma):
            break
        if lemma and lemma not in NEUTRAL_SPEECH:
            # "X was attacked by Y": a passive between the two reverses them.
            passive = any(v.toks[j].lemma == "be" for j in between if j < k) and any(
                v.toks[j].lower == "by" for j in between if j > k
            )
            if not passive and tok.pos == "VERB" and v.kids(k, *_PASS_SUBJ, "aux:pass"):
                break  # "X was arrested in Y": X is the patient, Y a place; no agent
            subj, obj = (b, a) if passive else (a, b)
            yield _Frame(
                rule="svo.surface_verb",
                subj=subj,
                subj_mention=None,
                obj=obj,
                relation=lemma,
                trigger=k,
                confidence=_SURFACE_CONFIDENCE,
            )
            break


def _surface_verb_blocked(v: DepView, k: int, b: int, ma: Mention, lemma: str | None) -> bool:
    """Whether the parse of word ``k`` rules out reading it as the verb from mention ``ma`` to
    token ``b`` (the scan stops there)."""
    tok = v.toks[k]
    subjects = v.kids(k, *_SUBJ_DEPS) if tok.pos == "VERB" else []
    if subjects and not any(
        ma.start <= v.toks[t].idx < ma.end
        for c in subjects
        for t in (c, *(t for m in v.kids(c, *_NAME_MODS) for t in v.subtree(m)))
    ):
        return True  # "Troops in Lima attacked X": the parse names another subject
    if (
        tok.pos == "VERB"
        and tok.lemma not in LIGHT_VERBS
        and any(
            k < o and (o < b or (b in v.subtree(o) and _plover_of(lemma) not in _JUDGING))
            for o in v.kids(k, "obj")
        )
    ):
        # "called off talks with X", "asked a US banker", "called Brazil's plan":
        # the parse gives the verb another object, which X at most modifies (only
        # a verb that judges or answers an act targets its owner: "vetoed a Peru
        # motion")
        return True
    # "accepted demands from X": after a parsed verb that is neither an event
    # nor a light verb ("held talks with X"), no noun is read as a verb
    return tok.pos == "VERB" and not lemma and tok.lemma not in LIGHT_VERBS


def _deep_phrase(v: DepView, i: int, host: int, prep: str) -> bool:
    """Whether a ``prep`` phrase of ``host`` (verb ``i`` or one of its objects) can name the
    target of verb ``i``."""
    return (
        prep in _DEEP_PREPS
        # "withdrew its troops from Lebanon": the place left is the target
        or (prep == "from" and v.toks[i].lemma in _FROM_VERBS)
        # "mounted an invasion of Lebanon": an event noun's patient; "supported the
        # rights of Palestinians": whose the things acted on are
        or (
            prep == "of"
            and host != i
            and bool(_NOMINALISATION.search(v.toks[host].lower) or v.toks[host].tag == "NNS")
        )
        # "countered the threat of (from) X": the actor behind a hostile act
        or (prep in _AGENT_PREPS and host != i and _aggression(v, host))
    )


def _add_stance_targets(v: DepView, mb: MentionBuilder, i: int, found: list[int]) -> None:
    """Add to ``found`` whom the act of verb ``i`` defies: "blocked roads in defiance of X",
    "marched in protest against X"."""
    for c in v.kids(i, "obl"):
        allowed = _STANCE_OBLIQUES.get(v.toks[c].lemma)
        if v.prep(c) != "in" or allowed is None:
            continue
        for n in v.kids(c, "nmod"):
            if v.prep(n) in allowed:
                found.extend(
                    o for o in v.conjuncts(n) if mb.mention(o) is not None and o not in found
                )


def _add_demonym_targets(
    v: DepView, mb: MentionBuilder, i: int, objects: list[int], found: list[int]
) -> None:
    """Add to ``found`` the demonyms of the aggression nouns that are the objects or the
    prepositional arguments of verb ``i`` ("condemned Iranian aggression")."""
    nouns = [*objects]
    for c in v.kids(i, "obl"):
        if v.prep(c) in _DEEP_PREPS | {"from"}:
            nouns.append(c)
    for n in (x for o in nouns for x in v.conjuncts(o)):
        if not _aggression(v, n):
            continue
        for c in v.kids(n, "amod", "compound"):
            if mb.mention(c) is None and mb.demonym_country(c) and c not in found:
                found.append(c)


def _demand_clauses(v: DepView, i: int, o: int, *, obliging: bool) -> list[int]:
    """The clauses after demand noun ``o`` (the object of verb ``i``) that may say what it
    asks for; for an obliging noun only those with a duty ("a reminder that Peru must
    comply", not "that talks begin")."""
    clauses = [
        c
        for c in (*v.kids(o, "ccomp", "acl", "acl:relcl"), *v.kids(i, "ccomp"))
        if c > o and (v.toks[c].dep != "acl:relcl" or _that_clause(v, c))
    ]
    if obliging:
        clauses = [c for c in clauses if any(v.toks[a].lower in _DEONTIC for a in v.kids(c, "aux"))]
    return clauses


def _demanded_targets(v: DepView, mb: MentionBuilder, o: int, c: int) -> list[int]:
    """Who is to act on demand noun ``o``: the actor subjects of its clause ``c``, or for "it"
    or "they" the one addressed ("a reminder to Peru that it must comply")."""
    targets = [t for s in v.kids(c, "nsubj") for t in v.conjuncts(s) if mb.mention(t)]
    if not targets and any(v.toks[s].lower in ("it", "they") for s in v.kids(c, "nsubj")):
        targets = [
            k
            for k in range(o + 1, c)
            if v.toks[k].dep == "nmod" and v.prep(k) == "to" and mb.mention(k) is not None
        ][:1]
    return targets


def _quote_of_token(v: DepView, quotes: list[tuple[int, int]]) -> dict[int, int]:
    """The index of the quote (character offsets) each token inside one sits in."""
    inside: dict[int, int] = {}
    for qi, (qs, qe) in enumerate(quotes):
        for t in v.toks:
            if qs <= t.idx < qe:
                inside[t.i] = qi
    return inside


def _conditioned_act(v: DepView, i: int, cond: int) -> str:
    """The words of the act at verb ``i`` without its condition clause ``cond`` or the
    punctuation that ends it: "impose more sanctions" in "… to impose more sanctions if X …"."""
    skip = set(v.subtree(cond))
    act = [k for k in v.subtree(i) if k >= i and k not in skip]
    while act and v.toks[act[-1]].pos == "PUNCT":
        act.pop()
    return " ".join(v.toks[k].text for k in act)


def _plover_of(relation: str | None) -> str | None:
    """The PLOVER type of a bare predicate ("condemn" ACCUSE, "meet" CONSULT), if it has one."""
    event = code_event(relation) if relation else None
    return event.plover if event is not None else None


def _time_word(v: DepView, k: int) -> bool:
    """Whether token ``k`` is a day ("Friday", "today") or the "on" before one."""
    toks = v.toks
    if toks[k].lower in TIME_WORDS:
        return True
    return toks[k].lower == "on" and k + 1 < len(toks) and toks[k + 1].lower in TIME_WORDS


def _group_key(m: Mention) -> str:
    """One key for the mentions of one group ("Several Nordic leaders", "Nordic leaders").

    >>> _group_key(Mention(text="Several Nordic leaders", name="Several Nordic leaders",
    ...     start=0, end=22, kind="nominal", plural=True))
    'nordic leaders'
    """
    name = m.name.lower()
    while (short := _GROUP_DETS.sub("", name)) != name:
        name = short
    return name


def _surface_pressure(v: DepView, between: list[int]) -> tuple[int, int] | None:
    """ "pile(s)/put/stepped up (more) pressure on" in a run of tokens, whatever their tags:
    the verb's and the noun's indices, or ``None``."""
    for k in between:
        if v.toks[k].lower != "pressure" or v.toks[min(k + 1, len(v.toks) - 1)].lower not in (
            "on",
            "upon",
        ):
            continue
        for j in (j for j in between if k - 3 <= j < k):
            tok = v.toks[j]
            forms = {tok.lower, tok.lemma, *_verb_lemmas(tok.lower)}
            if forms & _PRESSURE_VERBS:
                return j, k
    return None


def _theme(v: DepView, o: int) -> str:
    """The lemma of noun ``o`` after those of the nouns compounded before it ("aid payment"),
    for the event tables (:func:`~geokg.events.code_event` tries the head first). A word the
    tokenizer split at a hyphen is whole again ("cease-fire")."""
    head = v.toks[o].lemma.lower()
    glued = o >= 2 and v.toks[o - 1].text == "-" and not v.toks[o - 2].ws and not v.toks[o - 1].ws
    if glued:  # "cease-fire": one word the tokenizer split
        head = f"{v.toks[o - 2].lower}-{head}"
    mods = [
        v.toks[c].lemma.lower()
        for c in v.kids(o, "compound")
        if c < o and v.toks[c].pos == "NOUN" and v.toks[c].ent < 0 and not (glued and c == o - 2)
    ]
    return " ".join([*mods, head])


def _coded_object(v: DepView, relation: str, o: int) -> bool:
    """Whether a rule codes ``relation`` with object ``o``, by its head or a modifier the
    tables name ("suspended aid payments", "declared a cease-fire")."""
    return any(phrase_known(relation, w) for w in _theme(v, o).split())


def _that_clause(v: DepView, c: int) -> bool:
    """Whether clause ``c`` is a complement opened by the conjunction "that" (parsers attach
    it to the noun like a relative clause; a relative "that" is a pronoun, not a mark)."""
    mark = v.kid(c, "mark")
    return mark is not None and v.toks[mark].lower == "that"


def _to_infinitive(v: DepView, c: int) -> bool:
    """Whether clause ``c`` is marked by the infinitival "to"."""
    mark = v.kid(c, "mark")
    return mark is not None and v.toks[mark].lower == "to"


def _subjunctive(v: DepView, c: int) -> bool:
    """Whether clause ``c`` has a bare verb and no modal ("that Israel withdraw")."""
    tok = v.toks[c]
    return tok.tag == "VB" and not any(v.toks[a].lower != "not" for a in v.kids(c, "aux"))


def _aggression(v: DepView, n: int) -> bool:
    """Whether token ``n`` is a noun of a hostile act ("attack", "aggression", "threat")."""
    tok = v.toks[n]
    return tok.pos in ("NOUN", "PROPN") and (
        tok.lemma in AGGRESSION_NOUNS or tok.lower in AGGRESSION_NOUNS
    )


_IRREGULAR = {
    "meets": "meet",
    "met": "meet",
    "says": "say",
    "said": "say",
    "hits": "hit",
    "struck": "strike",
    "strikes": "strike",
}


def _verb_lemmas(word: str) -> list[str]:
    """Candidate lemmas of a 3rd-person or past verb form ("accuses", "accused" → "accuse").

    >>> _verb_lemmas("accused")
    ['accuse', 'accus']
    >>> _verb_lemmas("attacks")
    ['attack']
    """
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    if not re.fullmatch(r"[a-z]+", word) or len(word) < 4:
        return []
    if word.endswith(("ies", "ied")):
        return [word[:-3] + "y"]
    if word.endswith("ed"):
        out = [word[:-1], word[:-2]]
        if len(word) > 5 and word[-3] == word[-4]:
            out.append(word[:-3])  # "expelled" -> "expel"
        return out
    return [_present_stem(word)]


def _present_stem(word: str) -> str:
    """The stem of a regular 3rd-person form ("reaches" → "reach"); any other word as it is.

    >>> _present_stem("reaches"), _present_stem("attacks"), _present_stem("discuss")
    ('reach', 'attack', 'discuss')
    """
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def lemma_known(relation: str) -> bool:
    """Whether the curated event dictionary knows ``relation`` (so it can take a speaker as
    agent, or a deeper target); see :func:`geokg.events.curated_lemmas`."""
    known = curated_lemmas()
    return relation in known or relation.split(" ", maxsplit=1)[0] in known
