"""Actor resolution: mentions → one :class:`~geokg.model.Actor` per real-world actor.

Within a document (a documented heuristic, tested in ``tests/graph/test_resolve.py``):

* **Names** are matched to the gazetteer (countries, capitals and seats of government as
  metonyms, organisations, office holders, handles). Other person names cluster by surname
  ("Mr Sikorski" → "Radoslaw Sikorski") and by first name after an honorific ("Sir Keir").
* **Role phrases** ("the Prime Minister", "the Russian leader", "Moscow's leader") link to a
  person named in the same document who holds that role (from the text or the gazetteer, on the
  article's date), else to the gazetteer's office holder for the named country.
  "His Russian counterpart" takes the role of the possessor and the named country.
* **Pronouns** (he, she, him, his, her) link to the nearest preceding person of compatible gender,
  skipping people named inside a quotation when the pronoun is outside it, and never the other
  argument of the same relation ("called on his counterpart to meet him").
* **Nominal actors** ("the Russian consulate in Krakow") become organisations with the country of
  their demonym.

Across documents the ids are stable: ISO alpha-3 for states, the gazetteer id (Wikidata QID where
known) for known people and organisations, and ``type:slug`` otherwise. :func:`consolidate_people`
later merges a lone surname node into the unique full name that ends with it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from geokg.gazetteer import (
    PLACE_NOUNS,
    Entry,
    Gazetteer,
    government_of,
    is_junk_name,
    issuer_of,
)
from geokg.model import Actor, ActorType, Document, Mention

__all__ = ["DocResolver", "slugify"]

# A leading count is not part of a group's name: "more than 2,000 Chilean fishermen".
_QUANTITY = re.compile(
    r"^(?:(?:more|fewer|less)\s+than\s+|at\s+least\s+|about\s+|some\s+|nearly\s+|almost\s+|"
    r"up\s+to\s+|over\s+)?"
    r"(?:[\d.,]+|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands|"
    r"several|some|many|scores)(?:\s+of)?\s+",
    re.IGNORECASE,
)
_LEADER_ROLES = ("president", "prime minister", "chancellor", "leader")
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
_FULL_QUOTE_CHARS = 40
# How far back (characters) a pronoun looks for a person known to fit its gender past a nearer
# person whose gender is unknown: about two sentences.
_GENDER_WINDOW = 300
# Id prefixes of actors the gazetteer does not know, the same as the gazetteer's own.
_ID_PREFIX = {
    "person": "person",
    "organisation": "org",
    "location": "loc",
    "group": "group",
    "country": "country",
    "other": "other",
}


def slugify(text: str) -> str:
    """ASCII slug for ids.

    >>> slugify("Radosław Sikorski")
    'radoslaw-sikorski'
    >>> slugify("the Russian consulate in Kraków")
    'russian-consulate-in-krakow'
    """
    norm = unicodedata.normalize("NFKD", text).replace("ł", "l").replace("Ł", "L")
    ascii_text = norm.encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"^(the|a|an)\s+", "", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or "x" + format(abs(sum(map(ord, text))) % 10**8, "d")


def _actor_from_entry(entry: Entry, on: str | None = None) -> Actor:
    """The actor of a gazetteer entry, with the roles it holds on ``on`` (the article date;
    ``None``: now). A person with no office on that date keeps all its known roles."""
    active = {o.role for o in entry.offices if o.active(on)}
    roles = tuple(sorted(active or {o.role for o in entry.offices}))
    return Actor(
        id=entry.id,
        label=entry.label,
        type=entry.type,
        country=entry.country,
        roles=roles,
        aliases=tuple(sorted(set(entry.aliases))),
        wikidata=entry.wikidata,
    )


@dataclass(slots=True)
class _Resolved:
    mention: Mention
    actor: Actor | None


@functools.lru_cache(maxsize=1 << 12)
def _clean_name(name: str) -> str:
    name = re.sub(r"^(the)\s+", "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"[’']s?$", "", name.strip())
    return re.sub(r"\s+", " ", name).strip()


class DocResolver:
    """Resolves the mentions of one document.

    Args:
        doc: The document (its date selects office holders).
        mentions: Every actor mention of the document, in text order.
        quotes: Character spans of quotations (pronouns outside skip names inside).
        gazetteer: World knowledge.
    """

    def __init__(
        self,
        doc: Document,
        mentions: Sequence[Mention],
        *,
        quotes: Sequence[tuple[int, int]] = (),
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.doc = doc
        self.gaz = gazetteer or Gazetteer.default()
        self.on = doc.published
        self.issuer = issuer_of(doc.id, doc.url, doc.title)
        self.quotes = list(quotes)
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self._by_span: dict[tuple[int, int], Actor | None] = {}
        self._people: list[tuple[Mention, Actor]] = []  # named people in text order
        self._gender: dict[str, str] = {}  # actor id -> gender known from the gazetteer
        # actor id -> the gender of its first gendered mention in _people; None: not computed
        # since _people last changed
        self._mention_gender: dict[str, str] | None = None
        self._entries: dict[str, Entry] = {}  # actor id -> gazetteer entry
        self._text_roles: dict[str, set[str]] = {}  # actor id -> roles the text gives it
        self._resolve_names()
        self._fold_partial_orgs()
        self._resolve_rest()

    # -- names --------------------------------------------------------------------------------

    def _resolve_names(self) -> None:
        names = [m for m in self.mentions if m.kind in ("name", "handle")]
        full_names: dict[str, Actor] = {}
        pending: list[Mention] = []
        for m in names:
            # a lone word waits for the document's own full names ("Mrs Hassan" is the
            # Margaret Hassan named before, not the gazetteer's one Hassan)
            lone = m.kind == "name" and len(_clean_name(m.name).split()) == 1
            actor = None if lone else self._name_actor(m, allow_partial=False)
            if actor is None:
                pending.append(m)
                continue
            self._by_span[(m.start, m.end)] = actor
            if actor.type == "person":
                self._add_person((m, actor))
                full_names[actor.id] = actor
        for m in pending:
            actor = self._partial_person(
                m, list(full_names.values())
            ) or self._honorific_first_name(m)
            if actor is None:
                actor = self._name_actor(m, allow_partial=True)
            self._by_span[(m.start, m.end)] = actor
            if actor is not None and actor.type == "person":
                self._add_person((m, actor))
        for m in names:  # "Singh" tagged as a place: the person of that surname named here
            actor = self._by_span.get((m.start, m.end))
            if actor is not None and actor.id.split(":")[0] in ("loc", "org", "other"):
                person = self._partial_person(m, list(full_names.values()), any_label=True)
                if person is not None:
                    self._by_span[(m.start, m.end)] = person
                    self._add_person((m, person))
        self._sort_people()

    def _fold_partial_orgs(self) -> None:
        """ "the Taskforce", "the Joint Taskforce", "the Accords" (one or two words) → the one
        longer organisation name of the document, by two words or more, with the same last
        word ("Supply Chain Taskforce", "Artemis Accords")."""
        orgs = {
            a.id: a for a in self._by_span.values() if a is not None and a.type == "organisation"
        }
        for key, actor in list(self._by_span.items()):
            if actor is None or not actor.id.startswith("org:") or len(actor.label.split()) > 2:
                continue
            short = actor.label.lower().split()
            fits = [
                a
                for a in orgs.values()
                if len(a.label.split()) > len(short) + 1
                and a.label.split()[-1].lower() == short[-1]
            ]
            if len(fits) == 1:
                self._by_span[key] = fits[0]

    def _name_actor(self, m: Mention, *, allow_partial: bool) -> Actor | None:
        if m.kind == "handle":
            entry = self.gaz.lookup_handle(m.name)
            return _actor_from_entry(entry, self.on) if entry is not None else None
        name = _clean_name(m.name)
        if not name or is_junk_name(name):
            return None
        label = m.label
        if label in ("PERSON", "PER"):
            entry = self.gaz.lookup_person(name, on=self.on)
            if entry is not None:
                if entry.gender:
                    self._gender[entry.id] = entry.gender
                self._entries[entry.id] = entry
                if m.role:
                    self._text_roles.setdefault(entry.id, set()).add(m.role)
                return self._with_roles(_actor_from_entry(entry, self.on), m)
            place = self.gaz.lookup(name)
            if place is not None and place.type != "person":
                return _actor_from_entry(place, self.on)  # "Kyiv" tagged as a person
            if len(name.split()) < 2 and not allow_partial:
                return None  # a lone name: wait for a full name in the document
            return Actor(
                id=f"person:{slugify(name)}",
                label=name,
                type="person",
                country=m.country,
                roles=(m.role,) if m.role else (),
                aliases=(),
            )
        entry = self.gaz.lookup(name) or government_of(name, self.gaz)
        if entry is not None:
            return _actor_from_entry(entry, self.on)
        actor_type: ActorType
        if label == "NORP":
            code = self.gaz.country_of_demonym(name.rstrip("s")) or self.gaz.country_of_demonym(
                name
            )
            if code is None:
                return None
            # "the Palestinians": the people of a state, a group with its country (not the state).
            label_text = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
            return Actor(
                id=f"group:{slugify(label_text)}",
                label=label_text[:1].upper() + label_text[1:],
                type="group",
                country=code,
            )
        if label == "ORG":
            actor_type = "organisation"
        elif label in ("GPE", "LOC", "FAC"):
            actor_type = "location"
        else:
            actor_type = "other"
        return Actor(
            id=f"{_ID_PREFIX[actor_type]}:{slugify(name)}",
            label=name,
            type=actor_type,
            country=m.country,
        )

    def _with_roles(self, actor: Actor, m: Mention) -> Actor:
        if m.role and m.role not in actor.roles:
            return Actor(
                id=actor.id,
                label=actor.label,
                type=actor.type,
                country=actor.country,
                roles=tuple(sorted({*actor.roles, m.role})),
                aliases=actor.aliases,
                wikidata=actor.wikidata,
            )
        return actor

    def _honorific_first_name(self, m: Mention) -> Actor | None:
        """ "Sir Keir" → the one known person whose first name is Keir (British usage)."""
        if not re.match(r"^(Sir|Dame)\s", m.text.strip()):
            return None
        word = _clean_name(m.name).lower()
        fits = sorted(
            e.id
            for e in self.gaz.entries.values()
            if e.type == "person"
            and e.label.split()[0].lower() == word
            and not self.gaz.is_lower_tier(e.id)  # Phoenix people match by full name only
        )
        if len(fits) != 1:
            return None
        entry = self.gaz.entries[fits[0]]
        self._entries[entry.id] = entry
        if entry.gender:
            self._gender[entry.id] = entry.gender
        return _actor_from_entry(entry, self.on)

    def _partial_person(
        self, m: Mention, people: list[Actor], *, any_label: bool = False
    ) -> Actor | None:
        """ "Sikorski" or "Sir Keir" → the unique full name in the document that fits (with
        ``any_label``, also a name tagged as a place or body: "Singh")."""
        name = _clean_name(m.name)
        tokens = name.split()
        if (m.label not in ("PERSON", "PER") and not any_label) or len(tokens) != 1:
            return None
        word = tokens[0].lower()
        fits = [
            a
            for a in people
            if a.label.split()[-1].lower() == word
            or a.label.split()[0].lower() == word
            or any(al.split()[-1].lower() == word for al in a.aliases if al)
        ]
        unique = {a.id: a for a in fits}
        return next(iter(unique.values())) if len(unique) == 1 else None

    # -- roles and pronouns -------------------------------------------------------------------

    def _active_roles(self, actor: Actor) -> set[str]:
        """Roles ``actor`` holds on the document's date (gazetteer) or is given in the text."""
        roles = set(self._text_roles.get(actor.id, ()))
        entry = self._entries.get(actor.id)
        if entry is not None:
            roles.update(o.role for o in entry.offices if o.active(self.on))
        else:
            roles.update(actor.roles)
        return roles

    def _holds(self, actor: Actor, role: str, country: str | None) -> bool:
        if country and actor.country and actor.country != country:
            return False
        roles = self._active_roles(actor)
        if role in roles:
            return True
        if role in ("leader", "head of state", "head of government"):
            return any(r in roles for r in _LEADER_ROLES)
        return False

    def _role_actor(self, m: Mention, exclude: set[str] | None = None) -> Actor | None:
        named = self._named_around(m)
        if named is not None:  # "President" of "President Emmanuel Macron": the person named
            return named if named.id not in (exclude or set()) else None
        actor = self._role_candidate(m, exclude or set())
        return actor if actor is None or actor.id not in (exclude or set()) else None

    def _named_around(self, m: Mention) -> Actor | None:
        """The person named by a name mention whose span holds the role mention ``m`` (a
        title the parser also read as a role of its own): a named person is never replaced by
        the role's holder."""
        for mm in self.mentions:
            if mm.kind == "name" and mm.start <= m.start and m.end <= mm.end and mm is not m:
                actor = self._by_span.get((mm.start, mm.end))
                if actor is not None and actor.type == "person":
                    return actor
        return None

    def _role_candidate(self, m: Mention, exclude: set[str]) -> Actor | None:
        role = m.role or ""
        country = m.country
        if role == "counterpart":
            possessor = self._pronoun_antecedent(m.start, gender=None, exclude=set())
            base_roles = [
                r
                for r in sorted(self._active_roles(possessor) if possessor else ())
                if r in _LEADER_ROLES
            ]
            for r in [*base_roles, *_LEADER_ROLES]:
                if country and self.on is not None:
                    entry = self.gaz.office_holder(r, country, on=self.on)
                    if entry is not None:
                        return _actor_from_entry(entry, self.on)
            return None
        if country is None and self._issuer_has(role):
            country = self.issuer.state if self.issuer is not None else None
        # An office's own title ("Foreign Secretary") names the office exactly.
        title = re.sub(r"^(the|a)\s+", "", m.text.strip(), flags=re.IGNORECASE).lower()
        titled = {
            a.id: a
            for _, a in self._people
            if a.id not in exclude
            and a.id in self._entries
            and (country is None or a.country in (None, country))
            and any(
                (o.title or "").lower() == title and o.active(self.on)
                for o in self._entries[a.id].offices
            )
        }
        if len(titled) == 1:
            return next(iter(titled.values()))
        # A person named in this document holding the role.
        holders = {
            a.id: a
            for _, a in self._people
            if a.id not in exclude and self._holds(a, role, country)
        }
        if len(holders) == 1:
            return next(iter(holders.values()))
        # The office's holder on the article's date: with no date, nobody (never "now").
        if country and self.on is not None:
            roles = _LEADER_ROLES if role in ("leader", "head of state") else (role,)
            for r in roles:
                entry = self.gaz.office_holder(r, country, on=self.on)
                if entry is not None:
                    return _actor_from_entry(entry, self.on)
        if len(holders) > 1:  # the most recent holder before the mention
            before = [a for mm, a in self._people if mm.start < m.start and a.id in holders]
            return before[-1] if before else None
        return None

    def _in_quote(self, pos: int) -> int:
        """Index of the full quotation containing ``pos``, or -1.

        Only quotations of a clause or more count: scare quotes around a phrase ("'calling Putin
        out'") are part of the narrator's sentence, and their names are fair antecedents.
        """
        for k, (s, e) in enumerate(self.quotes):
            if s <= pos < e and e - s >= _FULL_QUOTE_CHARS:
                return k
        return -1

    def _pronoun_antecedent(
        self, pos: int, *, gender: str | None, exclude: set[str]
    ) -> Actor | None:
        q = self._in_quote(pos)
        fits: list[tuple[Mention, Actor]] = []
        for mm, actor in reversed(self._people):
            if mm.start >= pos or actor.id in exclude:
                continue
            if q < 0 and self._in_quote(mm.start) >= 0:
                continue
            if gender and self._known_gender(actor.id, mm) not in (None, gender):
                continue
            fits.append((mm, actor))
        if not fits:
            return None
        if gender and self._known_gender(fits[0][1].id, fits[0][0]) is None:
            # "Harris met Gantz. She urged …": a near person known to fit before one whose
            # gender nobody knows
            for mm, actor in fits[1:]:
                if pos - mm.start > _GENDER_WINDOW:
                    break
                if self._known_gender(actor.id, mm) == gender:
                    return actor
        return fits[0][1]

    def _add_person(self, item: tuple[Mention, Actor]) -> None:
        self._people.append(item)
        self._mention_gender = None

    def _sort_people(self) -> None:
        self._people.sort(key=lambda p: p[0].start)
        self._mention_gender = None

    def _known_gender(self, actor_id: str, mention: Mention) -> str | None:
        """The gender of a person from the gazetteer, this mention's title or another mention
        of the same person ("Mr Fox")."""
        if actor_id in self._gender:
            return self._gender[actor_id]
        if mention.gender:
            return mention.gender
        if self._mention_gender is None:
            self._mention_gender = {}
            for mm, a in self._people:
                if mm.gender and a.id not in self._mention_gender:
                    self._mention_gender[a.id] = mm.gender
        return self._mention_gender.get(actor_id)

    def _issuer_has(self, role: str) -> bool:
        """Whether the issuing state of an official text has a holder of ``role`` on its date:
        "the President" of a White House readout is the US President, "the Prime Minister"
        (the US has none) is whoever the text names."""
        if self.issuer is None or self.on is None or not role:
            return False
        return self.gaz.office_holder(role, self.issuer.state, on=self.on) is not None

    def _first_person(self, m: Mention) -> Actor | None:
        """ "we" / "I" outside quotations of an official document: its issuing state, and the
        holder of its first-person office on the document's date (``issuers.tsv``)."""
        if self.issuer is None or self._in_quote(m.start) >= 0:
            return None
        if m.name in _FIRST_PLURAL and not self.issuer.joint:
            entry = self.gaz.get(self.issuer.state)
            return _actor_from_entry(entry, self.on) if entry is not None else None
        if m.name in _FIRST_SINGULAR and self.issuer.first_person and self.on is not None:
            holder = self.gaz.office_holder(self.issuer.first_person, self.issuer.state, on=self.on)
            return _actor_from_entry(holder, self.on) if holder is not None else None
        return None

    def resolve(self, m: Mention, *, exclude: set[str] | None = None) -> Actor | None:
        """The actor ``m`` refers to, or ``None`` when it can't be resolved.

        Args:
            m: The mention.
            exclude: Actor ids it cannot be (the other argument of the same relation).
        """
        key = (m.start, m.end)
        if key in self._by_span:
            cached = self._by_span[key]
            if cached is None or not exclude or cached.id not in exclude:
                return cached
        return self._compute(m, exclude=exclude or set())

    def _resolve_rest(self) -> None:
        for m in self.mentions:
            key = (m.start, m.end)
            if m.kind in ("name", "handle") or key in self._by_span:
                continue
            actor = self._compute(m, exclude=set())
            self._by_span[key] = actor
            if actor is not None and actor.type == "person" and m.kind == "role":
                self._add_person((m, actor))
                self._sort_people()

    def _compute(self, m: Mention, *, exclude: set[str]) -> Actor | None:
        if m.kind in ("name", "handle"):
            return self._name_actor(m, allow_partial=True)
        if m.kind == "role":
            return self._role_actor(m, exclude)
        if m.kind == "pronoun":
            first = self._first_person(m)
            if first is not None or m.name in _FIRST_PLURAL | _FIRST_SINGULAR:
                return first
            if m.plural:
                return None
            return self._pronoun_antecedent(m.start, gender=m.gender, exclude=exclude)
        if m.kind == "nominal":
            name = _clean_name(m.name)
            if is_junk_name(name):
                return None
            entry = self.gaz.lookup(name) or government_of(name, self.gaz)
            if entry is not None:
                return _actor_from_entry(entry, self.on)
            if not m.country and not m.plural:
                return None
            kind: ActorType = "group" if m.plural else "organisation"
            if m.head in PLACE_NOUNS:
                if not m.country:
                    return None
                kind = "location"  # "Iraqi towns": places of that state
            name = _QUANTITY.sub("", name)
            return Actor(
                id=f"{_ID_PREFIX[kind]}:{slugify(name)}",
                label=name[0].upper() + name[1:] if name else name,
                type=kind,
                country=m.country,
            )
        return None
