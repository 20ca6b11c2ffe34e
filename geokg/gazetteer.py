"""Countries, organisations, office holders, titles, demonyms and metonyms, kept as data.

Everything is read once from the TSV files in ``geokg/data`` (see its README for sources) into
plain dicts, so each lookup is O(1). No spaCy here.

Matching is case-, accent- and punctuation-insensitive and ignores a leading "the" and a
trailing possessive "'s". Short upper-case acronyms that are also English words ("US", "WHO",
"AU") match only when written in capitals, so the pronoun "us" never becomes the United States.

Choices, documented:

* A capital or seat of government ("Moscow", "the Kremlin", "Downing Street", "Kyiv") is a
  metonym for the state's government: :meth:`Gazetteer.lookup` returns the country entry.
  "Brussels" is the European Union (its news sense), not Belgium; "the Pentagon" is the US
  Department of Defense (an organisation entry).
* Offices of an international organisation carry the organisation's id in ``Office.country``
  (``Q458`` for the EU, ``Q7184`` for NATO); :meth:`Gazetteer.office_holder` accepts either an
  ISO code or any name of the state or organisation.
* ``on=None`` in date-aware lookups means "currently": offices with no end date.
* World cities of 100,000+ people (``world_cities.tsv``, from GeoNames, built by
  ``scripts/build_cities.py``) are ``location`` entries with their state as ``country``. They
  load after the curated files, and a curated name always wins: "Moscow" stays the Russian
  government, "Odessa" the curated Odesa. Ambiguous names and common words are left out.
* People and armed or non-state groups of the Phoenix actor dictionaries
  (``phoenix_actors.tsv``, built by ``scripts/build_phoenix.py``: about 17,800 people and 570
  groups with the state of their most recent code) are the lowest tier: they load last, a
  curated or world-city name always wins, and they match by their exact full name or alias
  only — never by surname, nor by first name after "Sir" — so "Lee" or "Kim" alone finds
  nobody new (:meth:`Gazetteer.is_lower_tier`).

>>> gaz = Gazetteer.default()
>>> gaz.lookup("the Kremlin").id
'RUS'
>>> gaz.office_holder("prime minister", "GBR", on="2025-05-15").label
'Keir Starmer'
>>> normalise_role("the US's top diplomat")
('foreign minister', 'USA')
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from geokg.errors import ConfigError
from geokg.model import ACTOR_TYPES, ActorType

__all__ = [
    "PLACE_NOUNS",
    "TITLES",
    "Entry",
    "Gazetteer",
    "Issuer",
    "Office",
    "actor_words",
    "fold",
    "government_of",
    "is_junk_name",
    "issuer_of",
    "normalise_role",
    "strip_titles",
]

#: Honorifics and titles removed from the front of a name by :func:`strip_titles` (folded form).
#: Role phrases from ``roles.tsv`` ("foreign secretary") are removed too.
# Places of a state: with a demonym ("Iraqi towns", "Palestinian homes") they are locations of
# that state, a target of events (shelling, demolition) the way CAMEO codes them.
PLACE_NOUNS: frozenset[str] = frozenset(
    {
        "airport",
        "airports",
        "airspace",
        "base",
        "bases",
        "border",
        "borders",
        "camp",
        "camps",
        "capital",
        "cities",
        "city",
        "home",
        "homes",
        "port",
        "ports",
        "position",
        "positions",
        "province",
        "provinces",
        "region",
        "regions",
        "territories",
        "territory",
        "town",
        "towns",
        "village",
        "villages",
        "waters",
    }
)

TITLES: frozenset[str] = frozenset(
    {
        "sir",
        "dame",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "lord",
        "lady",
        "baroness",
        "baron",
        "president",
        "prime minister",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "emir",
        "ayatollah",
        "secretary",
        "minister",
        "general",
        "gen",
        "admiral",
        "adm",
        "colonel",
        "col",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "ambassador",
        "commissioner",
        "judge",
        "justice",
        "rev",
        "reverend",
        "deputy",
        "acting",
        "former",
        "vice president",
        "premier",
        "foreign minister",
        "foreign secretary",
        "defence secretary",
        "defense secretary",
        "secretary of state",
    }
)

# Acronyms that are also common English words: matched only when written in capitals.
_CASED_ACRONYMS = frozenset({"us", "who", "au", "it", "am", "is", "in", "me", "ok"})

_EXTRA_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "’": "'", "‘": "'"}
)


#: Distinct texts whose key, role or titles are kept (each is read many times: every mention of
#: a name or role); bounded so memory stays flat with the corpus.
_TEXT_CACHE = 1 << 16


@functools.lru_cache(maxsize=_TEXT_CACHE)
def fold(text: str) -> str:
    """Return the matching key of ``text``: lower case, no accents or punctuation.

    A leading "the" and a trailing possessive are dropped.

    >>> fold("the Radosław  Sikorski's")
    'radoslaw sikorski'
    >>> fold("U.S.")
    'us'
    """
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"'s\b|s'(?=\s|$)", "", text)
    text = re.sub(r"[.']", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    """An office held by a person.

    Attributes:
        role: Canonical role, lower case (``"foreign minister"``), see ``roles.tsv``.
        country: ISO 3166 alpha-3 code of the state, or the gazetteer id of the international
            organisation (``"Q458"``, ``"Q7184"``); ``None`` if unknown.
        start: First day in office (ISO date), ``None`` if unknown.
        end: First day out of office (ISO date, exclusive), ``None`` if still in office.
        title: The office's own title ("Foreign Secretary", "Secretary of State").
    """

    role: str
    country: str | None
    start: str | None
    end: str | None
    title: str | None = None

    def active(self, on: str | None) -> bool:
        """Whether the office is held on ``on`` (an ISO date; ``None`` means currently).

        >>> Office(role="president", country="RUS", start="2012-05-07", end=None).active(None)
        True
        """
        if on is None:
            return self.end is None
        n = len(on)
        if self.start is not None and self.start[:n] > on:
            return False
        return self.end is None or on < self.end[:n]


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One actor known to the gazetteer.

    Attributes:
        id: Stable id: ISO alpha-3 for a state, a Wikidata QID where known, else
            ``person:<slug>`` / ``org:<slug>``.
        label: Canonical name.
        type: ``country``, ``organisation`` or ``person``.
        country: ISO alpha-3 of the state it is, belongs to or acts for; ``None`` for
            international organisations and their officials.
        aliases: Other names.
        wikidata: Wikidata QID, when known.
        offices: Offices held (persons).
        handles: Social-media handles, with the ``@``.
        gender: ``"m"`` or ``"f"`` for persons, when known.
    """

    id: str
    label: str
    type: ActorType
    country: str | None
    aliases: tuple[str, ...]
    wikidata: str | None
    offices: tuple[Office, ...] = ()
    handles: tuple[str, ...] = ()
    gender: str | None = None


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of the data file ``name`` (comment lines skipped)."""
    ref = resources.files("geokg") / "data" / name
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - broken installation
        raise ConfigError(
            f"gazetteer data file geokg/data/{name} is missing; reinstall geokg or run "
            "scripts/build_gazetteer.py"
        ) from exc
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        yield {k: (v or "").strip() for k, v in row.items()}


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _is_cased(alias: str) -> bool:
    return alias.replace(".", "").isupper() and fold(alias) in _CASED_ACRONYMS


class Gazetteer:
    """Lookups over the packaged data. Build it with :meth:`default` (cached)."""

    def __init__(
        self,
        entries: tuple[Entry, ...],
        *,
        metonyms: dict[str, str],
        demonyms: dict[str, str],
        roles: dict[tuple[str, str | None], str],
    ) -> None:
        """Index ``entries``; prefer :meth:`default` to build one from the package data."""
        self.entries: dict[str, Entry] = {}
        for e in entries:
            if e.id in self.entries:
                raise ConfigError(f"gazetteer id {e.id!r} appears twice; ids must be unique")
            if e.type not in ACTOR_TYPES:
                raise ConfigError(f"gazetteer entry {e.id!r} has unknown type {e.type!r}")
            self.entries[e.id] = e
        self._names: dict[str, str] = {}
        self._cased: dict[str, str] = {}
        ambiguous: set[str] = set()
        for e in sorted(entries, key=lambda e: e.id):
            for name in (e.label, *e.aliases):
                table = self._cased if _is_cased(name) else self._names
                key = name.replace(".", "") if table is self._cased else fold(name)
                if table.get(key, e.id) != e.id:
                    ambiguous.add(key)
                table.setdefault(key, e.id)
        for key in ambiguous:
            self._names.pop(key, None)
        self._metonyms = {fold(k): v for k, v in metonyms.items()}
        for key, target in self._metonyms.items():
            if target not in self.entries:
                raise ConfigError(f"metonym {key!r} points to unknown gazetteer id {target!r}")
        self._demonyms = demonyms
        self._roles = roles
        self._lower_tier: set[str] = set()
        # Only curated persons hold offices; office_holder scans these, not every entry.
        self._office_persons = tuple(
            sorted((e for e in entries if e.type == "person" and e.offices), key=lambda e: e.id)
        )
        self._handles: dict[str, str] = {}
        self._surnames: dict[str, set[str]] = {}
        for e in entries:
            for h in e.handles:
                self._handles[h.lstrip("@").casefold()] = e.id
            if e.type == "person":
                for name in (e.label, *e.aliases):
                    for key in _surname_keys(name):
                        self._surnames.setdefault(key, set()).add(e.id)

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        """The gazetteer built from the packaged data files (loaded once per process)."""
        return _load()

    # -- lookups ---------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or ``None``."""
        return self.entries.get(entry_id)

    def is_lower_tier(self, entry_id: str) -> bool:
        """Whether the entry comes from the lowest tier (``phoenix_actors.tsv``): it matches by
        its exact name or alias only, never by surname or by first name after "Sir".

        >>> g = Gazetteer.default()
        >>> g.is_lower_tier(g.lookup("Abdelaziz Bouteflika").id), g.is_lower_tier("Q7747")
        (True, False)
        """
        return entry_id in self._lower_tier

    def _exact(self, name: str) -> Entry | None:
        stripped = name.strip()
        if stripped.lower().startswith("the "):
            stripped = stripped[4:]
        stripped = re.sub(r"['’]s$", "", stripped)
        cased = self._cased.get(stripped.replace(".", ""))
        if cased is not None:
            return self.entries[cased]
        key = fold(name)
        if key in _CASED_ACRONYMS:
            return None
        hit = self._names.get(key) or self._metonyms.get(key)
        return self.entries[hit] if hit is not None else None

    def lookup(self, name: str) -> Entry | None:
        """Find a country, organisation or person by name, alias, metonym or handle.

        Tries the exact name, then the name without titles, then without a leading possessive
        state ("Turkey's Recep Tayyip Erdogan"), then a person's unique surname. Cities that are
        not capitals are ``location`` entries with their state as ``country``.

        >>> g = Gazetteer.default()
        >>> [g.lookup(n).id for n in ("UK", "the US", "Moscow", "Nato", "Mr Putin")]
        ['GBR', 'USA', 'RUS', 'Q7184', 'Q7747']
        >>> g.lookup("us") is None
        True
        """
        if name.strip().startswith("@"):
            return self.lookup_handle(name)
        hit = self._exact(name)
        if hit is not None:
            return hit
        bare, removed = strip_titles(name)
        if removed:
            hit = self._exact(bare)
            if hit is not None:
                return hit
        m = _POSSESSIVE.match(bare)
        if m is not None and self.country_of_demonym(m.group(1)) is not None:
            return self.lookup(m.group(2))
        return self.lookup_person(bare)

    def lookup_person(self, name: str, *, on: str | None = None) -> Entry | None:
        """Find a person by full name, alias or surname.

        A surname matches only when one person has it; when several do and ``on`` is given,
        the one holding an office on that date is taken if they are the only one.

        >>> Gazetteer.default().lookup_person("Sikorski").label
        'Radosław Sikorski'
        """
        bare, _ = strip_titles(name)
        key = fold(bare)
        hit = self._names.get(key)
        if hit is not None and self.entries[hit].type == "person":
            return self.entries[hit]
        ids = sorted(self._surnames.get(key, ()))
        if len(ids) == 1:
            return self.entries[ids[0]]
        if len(ids) > 1 and on is not None:
            holders = [i for i in ids if any(o.active(on) for o in self.entries[i].offices)]
            if len(holders) == 1:
                return self.entries[holders[0]]
        return None

    def lookup_handle(self, handle: str) -> Entry | None:
        """Find the actor behind a social-media handle ("@DavidLammy").

        >>> Gazetteer.default().lookup_handle("@davidlammy").label
        'David Lammy'
        """
        hit = self._handles.get(handle.strip().lstrip("@").casefold())
        return self.entries[hit] if hit is not None else None

    def country_of_demonym(self, word: str) -> str | None:
        """ISO alpha-3 code for a demonym or country name ("Polish", "Turkey's", "US").

        >>> Gazetteer.default().country_of_demonym("British")
        'GBR'
        """
        key = fold(word)
        if key in self._demonyms:
            return self._demonyms[key]
        hit = self._exact(word)
        if hit is not None and hit.type == "country":
            return hit.id
        return None

    def is_metonym(self, name: str) -> bool:
        """Whether ``name`` is a capital or seat standing for a government or body.

        >>> Gazetteer.default().is_metonym("the Kremlin"), Gazetteer.default().is_metonym("Russia")
        (True, False)
        """
        return fold(name) in self._metonyms

    def role_for(self, phrase: str, country: str | None = None) -> str | None:
        """Canonical role of a title phrase, taking the state into account ("chancellor")."""
        key = fold(phrase)
        if country is not None and (key, country) in self._roles:
            return self._roles[(key, country)]
        return self._roles.get((key, None))

    def office_holder(self, role: str, country: str, *, on: str | None = None) -> Entry | None:
        """The person holding ``role`` for ``country`` on ``on`` (``None``: currently).

        ``role`` may be any title from ``roles.tsv`` ("Secretary of State"); ``country`` an ISO
        code or a name of a state or organisation ("EU", "NATO"). Returns ``None`` when nobody
        or more than one person is known to hold it.

        >>> Gazetteer.default().office_holder("foreign minister", "USA").label
        'Marco Rubio'
        """
        where = country if country in self.entries else None
        if where is None:
            hit = self._exact(country)
            where = hit.id if hit is not None else None
        if where is None:
            return None
        canonical = self.role_for(role, where) or fold(role)
        holders = [
            e.id
            for e in self._office_persons
            if any(o.role == canonical and o.country == where and o.active(on) for o in e.offices)
        ]
        return self.entries[holders[0]] if len(holders) == 1 else None


_POSSESSIVE = re.compile(r"^((?:the\s+)?\S+(?:\s\S+)?)['’]s\s+(\S.*)$", re.IGNORECASE)


def _surname_keys(name: str) -> list[str]:
    words = fold(name).split()
    if len(words) < 2 or words[0] in TITLES:
        return []  # "Sir Keir" is a way to name Starmer, not a surname
    keys = [words[-1]]
    if len(words) >= 3:
        keys.append(" ".join(words[1:]))
    for i, w in enumerate(words[1:], start=1):
        if w in {"von", "van", "de", "der", "da", "bin", "al", "le", "la"}:
            keys.append(" ".join(words[i:]))
            break
    return keys


def _load_curated() -> tuple[
    list[Entry], dict[str, str], dict[str, set[str]], dict[tuple[str, str | None], str]
]:
    """Entries, metonyms, demonyms (folded → codes) and roles of the curated data files."""
    entries: list[Entry] = []
    metonyms: dict[str, str] = {}
    demonym_codes: dict[str, set[str]] = {}
    for r in _rows("countries.tsv"):
        entries.append(
            Entry(
                id=r["id"],
                label=r["label"],
                type="country",
                country=r["id"],
                aliases=_split(r["aliases"]),
                wikidata=r["wikidata"] or None,
            )
        )
        for capital in _split(r["capitals"]):
            metonyms[capital] = r["id"]
        for d in (*_split(r["demonyms"]), r["label"], *_split(r["aliases"])):
            demonym_codes.setdefault(fold(d), set()).add(r["id"])
    for r in _rows("organisations.tsv"):
        entries.append(
            Entry(
                id=r["id"],
                label=r["label"],
                type="group" if r.get("type") == "group" else "organisation",
                country=r["country"] or None,
                aliases=_split(r["aliases"]),
                wikidata=r["wikidata"] or None,
                handles=_split(r["handles"]),
            )
        )
    offices: dict[str, list[Office]] = {}
    for r in _rows("office_holders.tsv"):
        offices.setdefault(r["person"], []).append(
            Office(
                role=r["role"],
                country=r["country"] or None,
                start=r["start"] or None,
                end=r["end"] or None,
                title=r["title"] or None,
            )
        )
    for r in _rows("persons.tsv"):
        entries.append(
            Entry(
                id=r["id"],
                label=r["label"],
                type="person",
                country=r["country"] or None,
                aliases=_split(r["aliases"]),
                wikidata=r["wikidata"] or None,
                offices=tuple(
                    sorted(offices.pop(r["id"], []), key=lambda o: (o.start or "", o.role))
                ),
                handles=_split(r["handles"]),
                gender=r["gender"] or None,
            )
        )
    if offices:
        raise ConfigError(f"office_holders.tsv names unknown persons: {sorted(offices)}")
    for r in _rows("cities.tsv"):
        entries.append(
            Entry(
                id=r["id"],
                label=r["label"],
                type="location",
                country=r["country"] or None,
                aliases=_split(r["aliases"]),
                wikidata=None,
            )
        )
    for r in _rows("metonyms.tsv"):
        for name in _split(r["name"]):
            metonyms[name] = r["target"]
    roles: dict[tuple[str, str | None], str] = {}
    for r in _rows("roles.tsv"):
        roles[(fold(r["phrase"]), r["country"] or None)] = r["role"]
    return entries, metonyms, demonym_codes, roles


def _curated_keys(
    entries: list[Entry],
    metonyms: dict[str, str],
    demonym_codes: dict[str, set[str]],
    roles: dict[tuple[str, str | None], str],
) -> frozenset[str]:
    """Folded names a world city may not take: every curated name, alias, capital or seat,
    demonym, title and role phrase, the acronyms matched only in capitals, and each word (3+
    letters) of a curated person's names, so "Vladimir" alone never becomes a city.
    ``scripts/build_cities.py`` drops such cities; :func:`_load` skips them again."""
    keys: set[str] = set(_CASED_ACRONYMS) | set(TITLES) | {p for p, _ in roles}
    keys.update(fold(m) for m in metonyms)
    keys.update(demonym_codes)
    for e in entries:
        for name in (e.label, *e.aliases):
            key = fold(name)
            keys.add(key)
            if e.type == "person":
                keys.update(_surname_keys(name))
                keys.update(w for w in key.split() if len(w) >= 3)
    keys.discard("")
    return frozenset(keys)


def _add_world_cities(gaz: Gazetteer, reserved: frozenset[str]) -> None:
    """Add ``world_cities.tsv`` to ``gaz`` as ``location`` entries.

    Each row carries its matching key (``fold(label)``, computed by scripts/build_cities.py),
    so thousands of rows load without folding. A row whose id or key is already taken by the
    curated data is skipped: curated entries always win a name clash.
    """
    text = (resources.files("geokg") / "data" / "world_cities.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"]
    if not rows or rows[0] != ["id", "label", "country", "aliases", "key"]:
        raise ConfigError(
            "geokg/data/world_cities.tsv must have the columns id label country aliases key; "
            "regenerate it with scripts/build_cities.py"
        )
    for row_id, label, country, alias_cell, key in rows[1:]:
        if (
            row_id in gaz.entries
            or key in reserved
            or key in gaz._names
            or key in gaz._metonyms
            or key in gaz._demonyms
        ):
            continue
        gaz.entries[row_id] = Entry(
            id=row_id,
            label=label,
            type="location",
            country=country or None,
            aliases=tuple(alias_cell.split("|")) if alias_cell else (),
            wikidata=None,
        )
        gaz._names[key] = row_id


_PHOENIX_COLUMNS = ["id", "label", "type", "country", "aliases", "key", "alias_keys"]


def _add_phoenix(gaz: Gazetteer, reserved: frozenset[str]) -> None:
    """Add ``phoenix_actors.tsv`` to ``gaz`` as its lowest tier (people and groups).

    Rows carry the matching keys of their label and aliases (computed by
    scripts/build_phoenix.py), so no name is folded here. A row is skipped when its id or any
    of its keys is already taken (curated entries, world cities): curated facts always win.
    The entries take no part in surname matching (:meth:`Gazetteer.is_lower_tier`).
    """
    text = (resources.files("geokg") / "data" / "phoenix_actors.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and line[0] != "#"]
    if not lines or lines[0].split("\t") != _PHOENIX_COLUMNS:
        raise ConfigError(
            "geokg/data/phoenix_actors.tsv must have the columns "
            f"{' '.join(_PHOENIX_COLUMNS)}; regenerate it with scripts/build_phoenix.py"
        )
    names, entries, lower = gaz._names, gaz.entries, gaz._lower_tier
    blocked = set(reserved)
    blocked.update(names, gaz._metonyms, gaz._demonyms)
    countries: dict[str, str] = {}
    for line in lines[1:]:
        row_id, label, kind, country, alias_cell, key, key_cell = line.split("\t")
        if key_cell:
            keys = [key, *key_cell.split("|")]
            if row_id in entries or not blocked.isdisjoint(keys):
                continue
            blocked.update(keys)
        elif row_id in entries or key in blocked:
            continue
        else:
            keys = [key]
            blocked.add(key)
        entries[row_id] = Entry(
            id=row_id,
            label=label,
            type="person" if kind == "person" else "organisation",
            country=countries.setdefault(country, country) or None,
            aliases=tuple(alias_cell.split("|")) if alias_cell else (),
            wikidata=None,
        )
        lower.add(row_id)
        for k in keys:
            names[k] = row_id


def _load() -> Gazetteer:
    entries, metonyms, demonym_codes, roles = _load_curated()
    demonyms = {k: next(iter(v)) for k, v in demonym_codes.items() if len(v) == 1}
    gaz = Gazetteer(tuple(entries), metonyms=metonyms, demonyms=demonyms, roles=roles)
    reserved = _curated_keys(entries, metonyms, demonym_codes, roles)
    _add_world_cities(gaz, reserved)
    _add_phoenix(gaz, reserved)
    return gaz


@functools.cache
def _role_phrases() -> tuple[str, ...]:
    gaz = Gazetteer.default()
    return tuple(sorted({p for p, _ in gaz._roles}, key=lambda p: (-len(p), p)))


_MAX_TITLE_WORDS = 6

_WORD_KINDS = frozenset(
    {"not_actor", "dangling", "government", "honorific", "initial", "name_suffix"}
)


@functools.cache
def actor_words(kind: str) -> frozenset[str]:
    """Words of one kind in ``actor_words.tsv`` (folded, no final full stop).

    >>> "regime" in actor_words("government"), "of" in actor_words("dangling")
    (True, True)
    """
    if kind not in _WORD_KINDS:
        raise ValueError(f"unknown actor word kind {kind!r}")
    return frozenset(
        r["word"].lower().rstrip(".") for r in _rows("actor_words.tsv") if r["kind"] == kind
    )


def _word_key(word: str) -> str:
    return fold(word).rstrip(".")


@functools.lru_cache(maxsize=1 << 12)  # the names of the last few documents
def is_junk_name(name: str) -> bool:
    """Whether ``name`` can never be an actor (``actor_words.tsv``): a stop word as the whole
    phrase ("God bless", "Tariffs", "Extraordinary"), a dangling function word at either end
    ("Kingdom of", "Mission Statement of this"), an unbalanced bracket ("Mike (Ruddock"), or a
    piece cut off another word ("’s Office").

    >>> [is_junk_name(n) for n in ("Tariffs", "God bless", "Kingdom of", "Mike (Ruddock")]
    [True, True, True, True]
    >>> [is_junk_name(n) for n in ("Iran", "Bank of England", "God's Army")]
    [False, False, False]
    """
    text = name.strip()
    if not text or text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        return True
    if text[0] in "'’-":
        return True  # "’s Office", "-Levy": a piece cut off another word
    words = [
        _word_key(w) for w in re.split(r"\s+", re.sub(r"^(the|a|an)\s+", "", text, flags=re.I))
    ]
    words = [w for w in words if w]
    if not words:
        return True
    stop = actor_words("not_actor")
    dangling = actor_words("dangling")
    if words[0] in dangling or words[-1] in dangling:
        return True
    if " ".join(words) in stop:
        return True
    # every word a stop word or an interjection's verb ("God bless", "Thanks")
    return all(w in stop for w in words)


def government_of(name: str, gaz: Gazetteer) -> Entry | None:
    """The state whose government ``name`` is: a state's name, demonym or possessive, or a
    known leader's surname, before a government noun of ``actor_words.tsv`` ("the Iranian
    regime", "Israel's government", "the Biden-Harris Administration", "the U.S. government").

    >>> g = Gazetteer.default()
    >>> [government_of(n, g).id for n in ("the Iranian regime", "India's government")]
    ['IRN', 'IND']
    >>> government_of("the regime", g) is None
    True
    """
    words = re.sub(r"^(the|a|an)\s+", "", name.strip(), flags=re.I).split()
    if len(words) < 2 or _word_key(words[-1]) not in actor_words("government"):
        return None
    owner = " ".join(words[:-1])
    owner = re.sub(r"['’]s?$", "", owner)
    code = gaz.country_of_demonym(owner)
    if code is None:
        # "Biden-Harris": the administration of the first leader named
        person = gaz.lookup_person(owner.split("-")[0])
        code = person.country if person is not None and person.offices else None
    entry = gaz.get(code) if code else None
    return entry if entry is not None and entry.type == "country" else None


@functools.cache
def _title_set() -> frozenset[str]:
    gaz = Gazetteer.default()
    titles = TITLES | {p for p, _ in gaz._roles}
    if max(len(t.split()) for t in titles) > _MAX_TITLE_WORDS:
        raise ConfigError(f"a title in roles.tsv is longer than {_MAX_TITLE_WORDS} words")
    return frozenset(titles)


_ROLE_NOISE = frozenset({"former", "acting", "new", "outgoing", "incoming", "then", "interim"})


@functools.lru_cache(maxsize=_TEXT_CACHE)
def normalise_role(text: str) -> tuple[str, str | None] | None:
    """Canonical role and state of a role phrase, or ``None`` if it is not a role.

    The state comes from a demonym or country name before the title ("Polish foreign
    minister", "the US's top diplomat") or after "of" ("president of Russia"). For offices of
    an international body ("EU commission vice president") the state is ``None``.

    >>> normalise_role("PM")
    ('prime minister', None)
    >>> normalise_role("Polish foreign minister")
    ('foreign minister', 'POL')
    >>> normalise_role("the Russian president")
    ('president', 'RUS')
    >>> normalise_role("the weather") is None
    True
    """
    gaz = Gazetteer.default()
    key = fold(text)
    if not key:
        return None
    for phrase in _role_phrases():
        prefix: str
        if key == phrase:
            prefix = ""
        elif key.endswith(" " + phrase):
            prefix = key[: -len(phrase) - 1]
        elif key.startswith(phrase + " of "):
            prefix = key[len(phrase) + 4 :]
        else:
            continue
        country = _country_in(gaz, prefix)
        role = gaz.role_for(phrase, country)
        if role is None:
            continue
        return role, country
    return None


def _country_in(gaz: Gazetteer, prefix: str) -> str | None:
    words = [w for w in prefix.split() if w not in _ROLE_NOISE and w != "the"]
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i : i + size])
            code = gaz._demonyms.get(chunk)
            if code is None:
                hit = gaz._names.get(chunk)
                code = hit if hit is not None and gaz.entries[hit].type == "country" else None
            if code is not None:
                return code
    # "US" is folded to "us", which only the cased table knows.
    for w in prefix.split():
        if w == "us":
            return "USA"
    return None


@functools.lru_cache(maxsize=_TEXT_CACHE)
def strip_titles(name: str) -> tuple[str, tuple[str, ...]]:
    """Remove leading honorifics and titles from a name.

    Returns the bare name and the removed titles, lower case, in order. A demonym before a
    title is removed with it ("Polish foreign minister"). Nothing is removed when only a title
    would be left.

    >>> strip_titles("Sir Keir Starmer")
    ('Keir Starmer', ('sir',))
    >>> strip_titles("Foreign Secretary David Lammy")
    ('David Lammy', ('foreign secretary',))
    >>> strip_titles("President")
    ('President', ())
    >>> strip_titles("Danish Prime Minister's Office")
    ("Danish Prime Minister's Office", ())
    """
    gaz = Gazetteer.default()
    titles = _title_set()
    words = name.split()
    folded = [fold(w) for w in words]
    removed: list[str] = []
    i = 0

    def title_at(j: int) -> int:
        for n in range(min(_MAX_TITLE_WORDS, len(words) - j - 1), 0, -1):
            if " ".join(folded[j : j + n]) in titles:
                return n
        return 0

    while i < len(words):
        if folded[i] == "":
            i += 1
            continue
        matched = title_at(i)
        if not matched and i + 1 < len(words) and (folded[i] in gaz._demonyms or folded[i] == "us"):
            n = title_at(i + 1)
            matched = n + 1 if n else 0
        if not matched or words[i + matched - 1].endswith(("'s", "’s")):
            break  # "Prime Minister's Office": a possessor, not a title
        removed.append(" ".join(folded[i : i + matched]))
        i += matched
    if i >= len(words):
        return name.strip(), ()
    return " ".join(words[i:]), tuple(removed)


@dataclass(frozen=True, slots=True)
class Issuer:
    """The issuing side of an official document (``issuers.tsv``).

    Attributes:
        state: ISO alpha-3 of the issuing state ("we", "us" and "our" outside quotations).
        first_person: The role whose holder on the document's date says "I" (``None``: nobody).
        joint: The document is of several parties ("we" is nobody in particular).
    """

    state: str
    first_person: str | None
    joint: bool


def _title_has(title: str, phrases: tuple[str, ...]) -> bool:
    key = f" {fold(title)} "
    return any(f" {fold(p)} " in key for p in phrases)


@functools.cache
def _issuer_rows() -> tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...]:
    return tuple(
        (
            r["source"].lower(),
            r["issuer"],
            r["first_person"],
            _split(r["title_words"]),
            _split(r["joint_words"]),
        )
        for r in _rows("issuers.tsv")
    )


def issuer_of(doc_id: str, url: str | None = None, title: str | None = None) -> Issuer | None:
    """The issuer of a document by its id or URL prefix (``issuers.tsv``), or ``None``.

    >>> issuer_of("wh/briefings-statements/x", title="Presidential Message on Y")
    Issuer(state='USA', first_person='president', joint=False)
    >>> issuer_of("wh/x", title="Joint Statement of A and B").joint
    True
    >>> issuer_of("bbc/politics/1") is None
    True
    """
    keys = [doc_id.lower()]
    if url:
        keys.append(re.sub(r"^[a-z]+://(www\.)?", "", url.lower()))
    for source, state, role, words, joint in _issuer_rows():
        if any(k.startswith(source) for k in keys):
            title = title or ""
            return Issuer(
                state=state,
                first_person=role if role and _title_has(title, words) else None,
                joint=_title_has(title, joint),
            )
    return None
