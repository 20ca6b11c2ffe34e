"""Turning argument tokens of the normalised view into :class:`~geokg.model.Mention` records."""

from __future__ import annotations

import dataclasses
import re

from geokg.extractors._deps import DepView, Ent
from geokg.extractors._lexicon import ACTOR_NOUNS, PRONOUNS, REGIONAL_ADJECTIVES, ROLE_NOUNS
from geokg.gazetteer import (
    PLACE_NOUNS,
    TITLES,
    Gazetteer,
    actor_words,
    is_junk_name,
    normalise_role,
    strip_titles,
)
from geokg.model import Mention

__all__ = ["ACTOR_LABELS", "MentionBuilder", "is_group"]

# Entity labels that can be actors. NORP only as a plural noun ("the Russians"), handled below.
ACTOR_LABELS = frozenset({"PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "NORP"})

_HANDLE = re.compile(r"^@\w{2,}$")
_BLOC_NOUNS = frozenset({"country", "nation", "state", "member", "ally", "government"})
_SPEAKER_PRONOUNS = frozenset({"me", "us"})
# First-person pronouns: outside a quotation, an official document's issuing side (resolver).
# Only as a subject or possessor: "me" / "us" as an object stay a theme unless a speaker says them.
_FIRST_PERSON = {"i": False, "my": False, "we": True, "our": True}
_FIRST_PERSON_DEPS = frozenset({"nsubj", "nsubj:pass", "nmod:poss"})
# Nouns of a body that a name before them identifies ("the Hamas movement").
_BODY_NOUNS = frozenset(
    {"group", "network", "wing", "faction", "movement", "party", "organisation"}
)
_QUANTITY_NOUNS = frozenset(
    {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "crowds", "groups"}
)
_LOCAL_PEOPLE = frozenset(
    {"protester", "protesters", "demonstrator", "demonstrators", "resident", "residents"}
    | {"villager", "villagers", "people", "student", "students", "worker", "workers"}
    | {"farmer", "farmers", "civilian", "civilians", "citizen", "citizens"}
)
_STANCES = frozenset({"pro", "anti"})
_DESCRIPTOR_DEPS = ("nmod:desc", "compound", "amod", "appos", "det", "nmod:poss", "flat")


def is_group(m: Mention) -> bool:
    """Whether ``m`` names a group or an organisation, which "they" and "we" can stand for:
    a plural nominal or role phrase ("European leaders"), a people ("the Palestinians"), or an
    organisation's name; never a person or a state.

    >>> is_group(Mention(text="Nato", name="Nato", start=0, end=4, label="ORG", kind="name"))
    True
    """
    if m.kind == "name":
        return m.label == "ORG" or (m.label == "NORP" and m.plural)
    return m.kind in ("nominal", "role") and m.plural


_PEOPLE_NOUNS = ACTOR_NOUNS | ROLE_NOUNS


def _people_noun(lemma: str, lower: str) -> bool:
    """Whether a noun names people who act for a body (officials, troops, leaders)."""
    return lemma in _PEOPLE_NOUNS or lower in _PEOPLE_NOUNS


def _title_gender(titles: tuple[str, ...]) -> str | None:
    """The gender a person's titles give ("Mr", "Dame"), or ``None``.

    >>> _title_gender(("Mrs.",)), _title_gender(("President",))
    ('f', None)
    """
    gender = None
    lowered = {t.lower().rstrip(".") for t in titles}
    if lowered & {"mr", "sir", "lord", "king"}:
        gender = "m"
    elif lowered & {"mrs", "ms", "miss", "dame", "lady", "queen"}:
        gender = "f"
    return gender


class MentionBuilder:
    """Builds mentions for tokens of one view, caching by token index."""

    def __init__(self, view: DepView, gazetteer: Gazetteer) -> None:
        self.v = view
        self.gaz = gazetteer
        self._cache: dict[int, Mention | None] = {}
        self._entities: dict[tuple[int, int, str, int], Mention | None] = {}
        # Token -> speaker of the quote or signed post it sits in: "me" and "us" there are
        # the speaker ("grateful to X for inviting me").
        self.speakers: dict[int, Mention] = {}
        # Plural pronoun token -> its antecedent, a group named earlier ("they", "their").
        self.antecedents: dict[int, Mention] = {}

    # -- public -----------------------------------------------------------------------------

    def mention(self, i: int, *, open_mode: bool = False) -> Mention | None:
        """The mention headed by token ``i``, or ``None`` when it is not an actor.

        In open mode every noun phrase is a mention (kind ``nominal``).
        """
        tok = self.v.toks[i]
        if tok.pos == "PRON" and i in self.speakers:
            speaker = self.speakers[i]
            if tok.lower in _SPEAKER_PRONOUNS or (tok.lower == "we" and is_group(speaker)):
                return speaker  # "we" of a group's statement is the group
            if tok.lower in _FIRST_PERSON:
                # "I" in a quote is its speaker; "we" of a person is nobody in particular
                return None if _FIRST_PERSON[tok.lower] else speaker
        if tok.pos == "PRON" and i in self.antecedents:
            return self.antecedents[i]
        key = i if not open_mode else -1 - i
        if key not in self._cache:
            self._cache[key] = self._build(i, open_mode=open_mode)
        return self._cache[key]

    def demonym_country(self, i: int) -> Mention | None:
        """The state named by the demonym or country modifier at ``i`` ("Iranian", "Chinese"), as
        a name mention of that state over the modifier's text, or ``None``.

        Only for a modifier that is not an actor itself: "Iranian" in "Iranian aggression".
        """
        tok = self.v.toks[i]
        if tok.pos not in ("ADJ", "PROPN", "NOUN") or tok.dep not in ("amod", "compound"):
            return None
        ent = self.v.ent_of(i)
        if ent is not None and ent.label not in ("NORP", "GPE"):
            return None
        code = self.gaz.country_of_demonym(tok.text)
        start, end = i, i + 1
        if code is None and ent is not None and ent.end - ent.start > 1:
            # a demonym of several words ("South Korean"), read at any of its tokens
            code = self.gaz.country_of_demonym(ent.text)
            start, end = ent.start, ent.end
        entry = self.gaz.get(code) if code else None
        if entry is None:
            return None
        s, e = self._span_chars(start, end)
        return Mention(
            text=self.v.text_of(start, end),
            name=entry.label,
            start=s,
            end=e,
            label="GPE",
            kind="name",
            country=code,
            head=tok.lemma,
        )

    def place(self, i: int) -> Mention | None:
        """The named place headed by token ``i`` (a state, region or city), with ``country``
        the state it lies in and ``name`` its gazetteer name ("Algiers" stays Algiers, not the
        government it stands for elsewhere), or ``None``."""
        m = self.mention(i)
        if m is None or m.kind != "name":
            return None
        entry = self.gaz.lookup(m.name)
        if entry is not None:
            if entry.type not in ("country", "location") or entry.country is None:
                return None
            name = m.name if self.gaz.is_metonym(m.name) else entry.label
            return dataclasses.replace(m, name=name, country=entry.country)
        if m.label in ("GPE", "LOC") and m.country is not None:
            return m  # "South Lebanon": a region named after its state
        return None

    def all_mentions(self) -> list[Mention]:
        """Every actor mention in the view (entities, role phrases, pronouns), in text order."""
        seen: set[tuple[int, int]] = set()
        out: list[Mention] = []
        for t in self.v.toks:
            m = self.mention(t.i)
            if m is not None and (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                out.append(m)
        return sorted(out, key=lambda m: (m.start, m.end))

    # -- internals --------------------------------------------------------------------------

    def _span_chars(self, start: int, end: int) -> tuple[int, int]:
        toks = self.v.toks
        return toks[start].idx, toks[end - 1].end

    def _country_words(self, idxs: list[int]) -> str | None:
        """A country named by demonyms, GPE modifiers or possessors among ``idxs``."""
        for j in idxs:
            tok = self.v.toks[j]
            if j >= 2 and self.v.toks[j - 1].text == "-" and self.v.toks[j - 2].lower in _STANCES:
                continue  # "pro-Iranian", "anti-Syrian": a stance, not a nationality
            ent = self.v.ent_of(j)
            if ent is not None and ent.label in ("GPE", "LOC", "ORG", "NORP"):
                entry = self.gaz.lookup(ent.text)
                if entry is not None and entry.country:
                    return entry.country
                # a demonym of several words: "South Korean", "Sri Lankan"
                if ent.label == "NORP" and (code := self.gaz.country_of_demonym(ent.text)):
                    return code
            code = self.gaz.country_of_demonym(tok.text.rstrip("’'s"))
            if code:
                return code
        return None

    def _descriptor_tokens(self, head: int, inside: range) -> list[int]:
        """Modifier tokens left of the name (titles, demonyms, possessors), contiguous with it.

        "Polish foreign minister Radoslaw Sikorski" → "Polish foreign minister". The run stops
        at punctuation, a conjunction or a token outside the name's modifiers.
        """
        v = self.v
        allowed: set[int] = set()
        for j in (head, *inside):  # parsers hang the title on any token of the name
            for c in v.toks[j].children:
                if c not in inside and v.toks[c].dep in _DESCRIPTOR_DEPS and c < inside.start:
                    allowed.update(x for x in v.subtree(c) if x not in inside)
        out: list[int] = []
        j = inside.start - 1
        while j >= 0 and j in allowed:
            t = v.toks[j]
            if t.pos in ("PUNCT", "CCONJ", "VERB") or t.dep in ("cc", "conj", "punct"):
                break
            out.append(j)
            j -= 1
        # A leading determiner alone is no descriptor.
        out.sort()
        while out and v.toks[out[0]].pos == "DET":
            out.pop(0)
        return out

    def _pronoun_mention(self, i: int, *, open_mode: bool) -> Mention | None:
        """A first-person pronoun as subject or possessor, or a third-person one."""
        tok = self.v.toks[i]
        if tok.lower in _FIRST_PERSON and tok.dep in _FIRST_PERSON_DEPS and not open_mode:
            return Mention(
                text=tok.text,
                name=tok.lower,
                start=tok.idx,
                end=tok.end,
                kind="pronoun",
                head=tok.lower,
                plural=_FIRST_PERSON[tok.lower],
            )
        if tok.lower in PRONOUNS:
            gender, plural = PRONOUNS[tok.lower]
            return Mention(
                text=tok.text,
                name=tok.lower,
                start=tok.idx,
                end=tok.end,
                kind="pronoun",
                head=tok.lower,
                gender=gender,
                plural=plural,
            )
        return None

    def _build(self, i: int, *, open_mode: bool) -> Mention | None:
        v = self.v
        tok = v.toks[i]
        if tok.pos == "PUNCT":
            return None
        ent = v.ent_of(i)
        if _HANDLE.match(tok.text):
            return Mention(
                text=tok.text,
                name=tok.text,
                start=tok.idx,
                end=tok.end,
                label="",
                kind="handle",
                head=tok.lower,
            )
        suffixed = self._suffixed_name(i)
        if suffixed is not None:  # "Joseph R. Biden, Jr.": the suffix is the name's
            return self.mention(suffixed)
        if tok.pos == "PRON":
            pronoun = self._pronoun_mention(i, open_mode=open_mode)
            if pronoun is not None:
                return pronoun
        return self._word_mention(i, ent, open_mode=open_mode)

    def _word_mention(self, i: int, ent: Ent | None, *, open_mode: bool) -> Mention | None:
        """The mention of a token that is no handle, name suffix or resolved pronoun: its
        entity's, an unlabelled name's, a quantity's, a noun phrase's."""
        v = self.v
        tok = v.toks[i]
        if ent is not None and ent.label in ACTOR_LABELS:
            return self._entity_mention(i, ent.start, ent.end, ent.label)
        if tok.pos == "PROPN":
            named = self._unlabelled_name(i)
            if named is not None:
                return named
        counted = self._quantity_of(i) if not open_mode else None
        if counted is not None:  # "Thousands of Peruvians", "hundreds of protesters"
            return self.mention(counted)
        if tok.pos in ("NOUN", "PROPN"):
            return self._noun_mention(i, open_mode=open_mode)
        if open_mode and tok.pos in ("PRON", "NUM", "ADJ", "X"):
            s, e = self._span_chars(i, i + 1)
            return Mention(text=tok.text, name=tok.text, start=s, end=e, kind="nominal")
        return None

    def _noun_mention(self, i: int, *, open_mode: bool) -> Mention | None:
        """The mention of a noun: a named body, a role or group, an actor noun."""
        tok = self.v.toks[i]
        if tok.lemma in _BODY_NOUNS and not open_mode:
            return self._named_body(i) or self._named_appositive(i)
        nominal = self._nominal_mention(i, open_mode=open_mode)
        if nominal is None and not open_mode and _people_noun(tok.lemma, tok.lower):
            nominal = self._named_body(i)  # "Nato officials"
        if nominal is None and not open_mode:
            nominal = self._named_appositive(i)  # "the main rebel group, the FDD, …"
        return nominal

    def _suffixed_name(self, i: int) -> int | None:
        """The last token of the person's name before ``, Jr.`` when ``i`` is such a suffix
        (``actor_words.tsv`` name_suffix), else ``None``."""
        v = self.v
        if v.toks[i].lower.rstrip(".") not in actor_words("name_suffix") or i < 2:
            return None
        if v.toks[i - 1].text != ",":
            return None
        ent = v.ent_of(i - 2)
        return i - 2 if ent is not None and ent.label in ("PERSON", "PER") else None

    def _person_run_end(self, end: int) -> int:
        """End of a person's name that the recogniser split in two adjacent entities ("Samia
        Suluhu" + "Hassan"): a one-word person right after a name of two words or more, with
        only a space between ("Second Gentleman" + "Douglas Emhoff" stay apart)."""
        v = self.v
        ent = v.ent_of(end - 1)
        if end >= len(v.toks) or not v.toks[end - 1].ws or ent is None:
            return end
        nxt = v.ent_of(end)
        if (
            nxt is not None
            and nxt.label in ("PERSON", "PER")
            and nxt.start == end
            and nxt.end - nxt.start == 1
            and ent.end - ent.start >= 2
        ):
            return nxt.end
        return end

    def _entity_mention(self, i: int, start: int, end: int, label: str) -> Mention | None:
        v = self.v
        if label in ("PERSON", "PER"):
            start, end = self._person_span(start, end)
        if label == "NORP":
            # "the Russians" acts; "Russian" in "Russian consulate" is a modifier.
            head_tok = v.toks[i]
            if head_tok.tag not in ("NNPS", "NNS") and not head_tok.text.endswith("s"):
                return None
        # Find the syntactic head of the entity (the token whose head lies outside it).
        inside = range(start, end)
        heads = [j for j in inside if v.toks[j].head not in inside or v.toks[j].head == j]
        ehead = heads[0] if heads else i
        # every token of the entity gives the same mention: built once per span and head
        key = (start, end, label, ehead)
        if key not in self._entities:
            self._entities[key] = self._span_mention(start, end, label, ehead)
        return self._entities[key]

    def _span_mention(self, start: int, end: int, label: str, ehead: int) -> Mention | None:
        """The mention of the entity tokens ``start``..``end-1`` headed by ``ehead``."""
        v = self.v
        inside = range(start, end)
        ent_text = v.text_of(start, end)
        if is_junk_name(ent_text):
            return None  # "’s Office", "Mike (Ruddock": no name (actor_words.tsv)
        name, titles = strip_titles(ent_text)
        desc = self._descriptor_tokens(ehead, inside)
        role, country = self._entity_role(ehead, inside, start, desc, titles)
        name, label, country = self._entity_identity(ehead, name, label, role, titles, country)
        gender = _title_gender(titles)
        if not name or name.lower() in TITLES:
            return None
        whole = normalise_role(name) if label != "GPE" else None
        if whole is not None and self.gaz.lookup(name) is None:
            # "the Taoiseach", "The National Security Advisor" tagged as a name: a role
            s_char, e_char = self._span_chars(start, end)
            return Mention(
                text=ent_text,
                name=ent_text,
                start=s_char,
                end=e_char,
                kind="role",
                role=whole[0],
                country=whole[1] or country,
                head=v.toks[ehead].lemma,
            )
        s_tok = min([*desc, start]) if desc else start
        s_char, e_char = self._span_chars(s_tok, end)
        return Mention(
            text=v.text_of(s_tok, end),
            name=name,
            start=s_char,
            end=e_char,
            label="PERSON" if label == "PER" else label,
            kind="name",
            role=role,
            country=country,
            head=v.toks[ehead].lemma,
            gender=gender,
            plural=label == "NORP",
        )

    def _person_span(self, start: int, end: int) -> tuple[int, int]:
        """The whole name of a person the recogniser split in two: a one-word person right
        after a person of two words or more takes that one in, and the other way round."""
        v = self.v
        before = v.ent_of(start - 1) if start > 0 and v.toks[start - 1].ws else None
        if (
            end - start == 1
            and before is not None
            and before.label in ("PERSON", "PER")
            and before.end - before.start >= 2
        ):
            start = before.start
        return start, self._person_run_end(end)

    def _entity_role(
        self, ehead: int, inside: range, start: int, desc: list[int], titles: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        """The role and country of a named entity, from the descriptor left of it ("Poland's
        foreign affairs minister Jan Nowak"), a role apposition, or its titles."""
        v = self.v
        role: str | None = None
        country = None
        desc_text = ""
        if desc:
            first = min(desc)
            desc_text = v.text_of(first, start).strip(" ,")
            parsed = normalise_role(desc_text) if desc_text else None
            if parsed is not None:
                role, country = parsed
            country = country or self._country_words(desc)
        appos = [c for c in v.kids(ehead, "appos") if c not in inside]
        for a in appos:
            atok = v.toks[a]
            if atok.lemma in ROLE_NOUNS or atok.lower in ROLE_NOUNS:
                sub = v.subtree(a)
                parsed = normalise_role(v.text_of(sub[0], sub[-1] + 1))
                if parsed is not None:
                    role = role or parsed[0]
                    country = country or parsed[1] or self._country_words(sub)
        if role is None:
            for t in titles:
                parsed = normalise_role(t)
                if parsed is not None:
                    role, country = parsed[0], country or parsed[1]
                    break
        return role, country

    def _entity_identity(
        self,
        ehead: int,
        name: str,
        label: str,
        role: str | None,
        titles: tuple[str, ...],
        country: str | None,
    ) -> tuple[str, str, str | None]:
        """The name, label and country of a named entity after the recogniser's slips: a
        town taken for a body or person, a person taken for a body, "Kishida of Japan"."""
        if label in ("ORG", "PERSON", "PER") and self._among_places(ehead, name):
            label = "GPE"  # "Shrewsbury, Dorset and Torbay" after named towns: a place too
        if label == "ORG" and (role is not None or titles) and self.gaz.lookup(name) is None:
            # "Japanese National Security Advisor Akiba Takeo" tagged as a body: a person
            person = self._name_after_role(name)
            if person is not None:
                name, of_country = person
                label, country = "PERSON", country or of_country
        if label in ("PERSON", "PER"):
            name, of_country = self._of_state(name)  # "Kishida of Japan"
            country = country or of_country
        return name, label, country

    def _among_places(self, i: int, name: str) -> bool:
        """Whether the unknown name headed by ``i`` is coordinated with places, and most of
        the other members of its list (two at least) are places: a town the gazetteer lacks
        among towns it knows ("visits Manchester, Leicester, Dorset and Torbay")."""
        if self.gaz.lookup(name) is not None:
            return False
        v = self.v
        root = i
        while v.toks[root].dep == "conj" and v.toks[root].head != root:
            root = v.toks[root].head
        members, stack = [], [root]
        while stack:
            k = stack.pop()
            members.append(k)
            stack.extend(v.kids(k, "conj"))
        others = [k for k in members if k != i]
        places = sum(self._is_place(k) for k in others)
        return places >= 2 and places * 2 > len(others)

    def _is_place(self, k: int) -> bool:
        ent = self.v.ent_of(k)
        if ent is None:
            return False
        if ent.label in ("GPE", "LOC", "FAC"):
            return True
        entry = self.gaz.lookup(ent.text)
        return entry is not None and entry.type in ("country", "location")

    def _of_state(self, name: str) -> tuple[str, str | None]:
        """A person's name without a trailing "of <state>", and that state's code."""
        words = name.split()
        if len(words) >= 3 and words[-2] == "of":
            code = self.gaz.country_of_demonym(words[-1])
            if code is not None:
                return " ".join(words[:-2]), code
        return name, None

    def _name_after_role(self, rest: str) -> tuple[str, str | None] | None:
        """The person's name in what follows a title in a body-tagged entity, with the state
        of a trailing "of <state>": "Leo Varadkar of Ireland" → ("Leo Varadkar", "IRL");
        "for International Economics Daleep Singh" (the title's complement first) → the last
        two words; ``None`` when the rest is no name (lower-case words, a known body)."""
        words = rest.split()
        country: str | None = None
        if len(words) >= 3 and words[-2].lower() == "of":
            country = self.gaz.country_of_demonym(words[-1])
            if country is None:
                return None
            words = words[:-2]
        if words and words[0].lower() in actor_words("dangling"):
            words = words[-2:]  # the title's complement ran into the name
        if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
            return None
        return " ".join(words), country

    def _unlabelled_name(self, i: int) -> Mention | None:
        """A name the recogniser missed ("Sir Keir" with no entity): a run of proper nouns
        after an honorific, or one the gazetteer knows."""
        v = self.v
        lo = hi = i
        while lo - 1 >= 0 and v.toks[lo - 1].pos == "PROPN" and v.ent_of(lo - 1) is None:
            lo -= 1
        while hi + 1 < len(v.toks) and v.toks[hi + 1].pos == "PROPN" and v.ent_of(hi + 1) is None:
            hi += 1
        text = v.text_of(lo, hi + 1)
        name, titles = strip_titles(text)
        if not name:
            return None
        if titles and normalise_role(name) is None:
            label = "PERSON"
        else:
            entry = self.gaz.lookup(name) or self.gaz.lookup_person(name)
            if entry is None:
                return None
            label = {"person": "PERSON", "country": "GPE", "location": "GPE"}.get(entry.type, "ORG")
        return self._entity_mention(i, lo, hi + 1, label)

    def _regional(self, lo: int, i: int) -> bool:
        """Whether a modifier in ``lo``..``i`` names a region or bloc ("European", "Western")."""
        return any(self.v.toks[k].lower in REGIONAL_ADJECTIVES for k in range(lo, i))

    def _np_span(self, i: int) -> tuple[int, int]:
        """Token span of the noun phrase headed by ``i`` without clauses and prepositions."""
        v = self.v
        keep = {i}
        for c in v.toks[i].children:
            dep = v.toks[c].dep
            if dep in ("det", "amod", "compound", "nmod:poss", "nummod", "nmod:desc", "flat"):
                keep.update(v.subtree(c))
            elif dep == "case" and c > i:
                continue
        lo, hi = min(keep), max(keep) + 1
        while lo < i and v.toks[lo].pos == "PUNCT":
            lo += 1
        return lo, hi

    def _of_bloc(self, i: int) -> int | None:
        """The last token of an "of" phrase naming a group of states or an organisation ("of
        the countries present", "of the member states", "of Nato") on the plural role noun
        ``i``: such officials act together, as one group."""
        v = self.v
        for c in v.kids(i, "nmod"):
            if v.prep(c) != "of" or v.kids(c, "conj"):
                continue
            ctok = v.toks[c]
            ent = v.ent_of(c)
            if (ctok.tag in ("NNS", "NNPS") and ctok.lemma in _BLOC_NOUNS) or (
                ent is not None and ent.label == "ORG"
            ):
                return max(v.subtree(c))
        return None

    def _located(self, i: int) -> str | None:
        """The state of the place in an "in" phrase of a noun of local people ("protesters in
        Lima", "residents in Quito", or as subject "people marched in Lima"): they act on their
        state's side. Troops, officials or
        refugees in a place are often foreign there, so they get no state this way."""
        v = self.v
        if v.toks[i].lemma not in _LOCAL_PEOPLE and v.toks[i].lower not in _LOCAL_PEOPLE:
            return None
        # Their own "in X", else, as the subject, their clause's ("people marched in Lima").
        j = i
        while v.toks[j].dep == "nmod" and v.toks[v.toks[j].head].lower in _QUANTITY_NOUNS:
            j = v.toks[j].head  # "thousands of people"
        places = v.kids(i, "nmod")
        if not places and v.toks[j].dep == "nsubj":
            verb = v.toks[j].head  # "blocked roads in Lima": the verb's place or its object's
            places = [
                *v.kids(verb, "obl"),
                *(p for o in v.kids(verb, "obj") for p in v.kids(o, "nmod")),
            ]
        for c in places:
            place = self.place(c) if v.prep(c) == "in" else None
            if place is not None:
                return place.country
        return None

    def _named_body(self, i: int) -> Mention | None:
        """The organisation named before a group noun ("Nato officials", "the Fatah
        youth wing", "the Hamas movement"): its members act for it."""
        v = self.v
        for c in v.kids(i, "compound", "amod"):
            if c > i:
                continue
            ent = v.ent_of(c)
            if ent is not None and ent.label == "ORG":
                return self.mention(c)
            if v.toks[c].pos == "PROPN":
                # A name the recogniser missed or split ("al - Qaeda"): the gazetteer's word.
                sub = v.subtree(c)
                entry = self.gaz.lookup(v.text_of(sub[0], sub[-1] + 1))
                if entry is not None and entry.type == "organisation":
                    return self._entity_mention(c, sub[0], sub[-1] + 1, "ORG")
        return None

    def _named_appositive(self, i: int) -> Mention | None:
        """The named actor in apposition to a common noun that names nobody: "the main rebel
        group, the Forces for Democracy (FDD)" is the FDD."""
        for c in self.v.kids(i, "appos"):
            ent = self.v.ent_of(c)
            if ent is not None and ent.label in ("ORG", "PERSON", "PER", "GPE"):
                return self.mention(c)
        return None

    def _quantity_of(self, i: int) -> int | None:
        """The noun counted by a quantity noun: "Peruvians" in "Thousands of Peruvians"."""
        v = self.v
        if v.toks[i].lower not in _QUANTITY_NOUNS:
            return None
        for c in v.kids(i, "nmod"):
            if v.prep(c) == "of":
                return c
        return None

    def _nominal_mention(self, i: int, *, open_mode: bool) -> Mention | None:
        v = self.v
        tok = v.toks[i]
        lemma = tok.lemma.lower()
        # "Prime Minister": the head may be "Minister" with "Prime" as a modifier.
        is_role = lemma in ROLE_NOUNS or tok.lower in ROLE_NOUNS
        place = lemma in PLACE_NOUNS or tok.lower in PLACE_NOUNS
        actor = lemma in ACTOR_NOUNS or tok.lower in ACTOR_NOUNS
        if not (open_mode or is_role or place or actor or tok.pos == "PROPN"):
            return None  # a common noun that names no actor: no phrase to read
        lo, hi = self._np_span(i)
        text = v.text_of(lo, hi)
        parsed = normalise_role(text) if is_role or tok.pos == "PROPN" else None
        if parsed is None and is_role and lemma in ("leader", "counterpart", "head", "chief"):
            parsed = (lemma if lemma != "chief" else "head", None)
        plural = tok.tag in ("NNS", "NNPS")
        # "a Russian official": one unnamed person acting for a state, as a group does
        lone = (
            is_role
            and parsed is None
            and not plural
            and v.toks[lo].lower in ("a", "an", "one")
            and not v.kids(i, "conj")
        )
        if (is_role and plural) or lone:
            return self._group_mention(i, lo, hi, parsed, plural=plural)
        if parsed is not None:
            role, country = parsed
            country = country or self._country_words(list(range(lo, i)))
            s, e = self._span_chars(lo, hi)
            return Mention(
                text=text,
                name=text,
                start=s,
                end=e,
                kind="role",
                role=role,
                country=country,
                head=lemma,
                plural=tok.tag in ("NNS", "NNPS"),
            )
        if actor or place:
            return self._actor_noun_mention(i, lo, hi, place=place, open_mode=open_mode)
        if open_mode:
            s, e = self._span_chars(lo, hi)
            return Mention(text=text, name=text, start=s, end=e, kind="nominal", head=lemma)
        return None

    def _group_mention(
        self, i: int, lo: int, hi: int, parsed: tuple[str, str | None] | None, *, plural: bool
    ) -> Mention | None:
        """ "two Polish diplomats": a group acting for a state, not one office holder (or one
        unnamed person, "a Russian official"); ``None`` when no state or bloc is named."""
        v = self.v
        text = v.text_of(lo, hi)
        country = (parsed[1] if parsed else None) or self._country_words(list(range(lo, i)))
        possessed = any(v.toks[k].tag == "PRP$" for k in range(lo, i))
        bloc = self._of_bloc(i) if country is None else None
        if (
            (country is None and not self._regional(lo, i) and bloc is None)
            or possessed
            or v.kids(i, "conj")
            or any(v.toks[k].dep == "conj" for k in range(lo, i))
        ):
            return None
        if bloc is not None:  # "the foreign ministers of the member states"
            hi = bloc + 1
            text = v.text_of(lo, hi)
        s, e = self._span_chars(lo, hi)
        return Mention(
            text=text,
            name=text,
            start=s,
            end=e,
            kind="nominal",
            country=country,
            head=v.toks[i].lemma.lower(),
            plural=plural,
        )

    def _actor_noun_mention(
        self, i: int, lo: int, hi: int, *, place: bool, open_mode: bool
    ) -> Mention | None:
        """ "the Russian government", "the Kremlin", "the Russian consulate in Krakow": a body
        or place noun, with the state it belongs to; ``None`` when none is named."""
        v = self.v
        tok = v.toks[i]
        lemma = tok.lemma.lower()
        text = v.text_of(lo, hi)
        country = self._country_words(list(range(lo, i))) or (None if place else self._located(i))
        entry = self.gaz.lookup(text)
        # "officials", "the government" with no state named: too vague for a node; a
        # regional bloc ("European allies") is a group of its own, not a place.
        regional = tok.tag in ("NNS", "NNPS") and self._regional(lo, i) and not place
        if (
            country is None
            and entry is None
            and lemma != "kremlin"
            and not open_mode
            and not regional
        ):
            return None
        s, e = self._span_chars(lo, hi)
        # Keep a location modifier ("the Russian consulate in Krakow") in the text.
        for c in v.kids(i, "nmod"):
            if v.prep(c) == "in" and v.ent_of(c) is not None:
                e = v.toks[max(v.subtree(c))].end
                text = v.text_of(lo, max(v.subtree(c)) + 1)
        return Mention(
            text=text,
            name=text,
            start=s,
            end=e,
            kind="nominal",
            country=country or (entry.country if entry else None),
            head=lemma,
            plural=tok.tag in ("NNS", "NNPS"),
        )
