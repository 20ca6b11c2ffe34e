"""Build ``geokg/data/phoenix_actors.tsv``: people and armed or non-state groups of the Phoenix
actor dictionaries, a lower tier of the gazetteer.

Sources (read, never copied; only facts — names, codes, dates — are used), in
``../shared/data/cameo_dictionaries`` (PETRARCH2 @ 676801c, MIT License, (c) 2014 Open Event Data
Alliance; content from the Computational Event Data System project, Parus Analytics):

* ``Phoenix.Countries.actors.txt`` (CountryInfo 140130): the **people** — entries such as
  ``ABDELAZIZ_BOUTEFLIKA_  # CountryInfo.txt`` followed by dated codes ``[DZAGOV >990427]``.
  Country blocks, cities and national institutions of the same file are not read.
* ``Phoenix.MilNonState.actors.txt``: armed and non-state **groups** (``UNITA_ [ANGREB]``).
* ``Phoenix.International.actors.txt``: IGOs, NGOs and multinationals; only an organisation
  with a state country and no IGO/NGO code is taken (a newspaper, a nationalised bank).

The files are Latin-1 bytes. Dictionary syntax (TABARI/PETRARCH): words joined by ``_``; ``+``
lines are synonyms of the entry above; root lines without a code take the codes that follow
(several names sharing one code block); codes are ``[CODE]``, ``[CODE >YYMMDD]`` (from),
``[CODE <YYMMDD]`` (until) or ``[CODE YYMMDD-YYMMDD]``, dates also as ``YYYYMMDD``; a two-digit
year up to 30 is 20xx. The first three letters of a code are its state, read by
:func:`geokg.evaluation.events.actor_country` (CAMEO's ``JAP``/``ITL``/``ROM``/``ZAR``/``TMP``
mapped; ``IGO``, ``NGO``, ``IMG``, ``MNC`` … give none) plus :data:`EXTRA_CODES`, and it must be
an ISO 3166-1 state of ``countries.tsv`` (regional codes such as ``MEA`` or ``WEU``, the Soviet
Union, Yugoslavia and Kosovo's ``KSV`` give none).

One row per actor: ``id`` (``person:<slug>`` / ``org:<slug>`` with
:func:`geokg.graph.resolve.slugify`, ``-<alpha3>`` appended when two slugs clash), ``label`` (the
name title-cased, leading titles removed from people: "Abdelaziz Bouteflika"), ``type``
(``person`` or ``organisation``), ``country`` (the state of the **most recent** dated code — the
one whose period ends last — else of the undated codes when they agree), ``aliases`` (the ``+``
synonyms and the names sharing the code block that end with the same surname, title-cased),
``key`` (:func:`geokg.gazetteer.fold` of the label) and ``alias_keys`` (of each alias, in order),
stored so that loading needs no folding.

An actor is left out (each rule counted, the first that applies):

1. ``not-person``: a Countries entry that is not a person (the person entries are those the
   file marks ``# CountryInfo.txt``, and unmarked ones whose codes all carry a role and whose
   name has no institution word, see :func:`looks_like_person`).
2. ``international``: an International entry with an IGO/NGO code (a body or its official).
3. ``no-country``: its codes give no ISO state (an IGO official, a regional group, al-Qaeda's
   ``IMG``).
4. ``single-word``: a person whose name, without titles, is one word (a lone surname is too
   ambiguous); a group name of at most 3 letters outside :data:`SHORT_NAMES_KEPT` (MCC, ISA,
   EPA name other things); a name without letters.
5. ``common-word``: a common word or phrase: :data:`STOP_NAMES`, a date ("17 November"), or a
   group name of at most three words that only describe a group (:data:`GENERIC_WORDS` and
   demonyms: "Islamic Jihad", "National Liberation Army").
6. ``curated``: its name or an alias is already curated (country, alias, capital, seat,
   demonym, organisation, person or a word of a person's name, city, title, role —
   :func:`geokg.gazetteer._curated_keys`) or a ``world_cities.tsv`` name, its id is taken, or a
   person has the surname and state of a curated person (another spelling of the same person:
   "Sergey Lavrov"). Curated facts win.
7. ``ambiguous``: its name is a name of another actor of another state or type ("George
   Bush", "Elizabeth II").

Actors of the same type and state whose names have the same key or slug are one actor, their
aliases merged (``merged``). Aliases are dropped by rules 4, 5 and 7, and a person's alias that
describes rather than names ("The Obama Administration", "President-Elect Obama": ``not-a-name``);
each is counted apart. ``--explain RULE`` lists the actors a rule left out.

Usage::

    .venv/bin/python scripts/build_phoenix.py [--shared ../shared/data] [--out DIR] [--check]

``--out`` writes into another folder (the tests regenerate into a temporary one); ``--check``
regenerates in memory and exits 1 when the committed file differs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geokg._io import write_or_check
from geokg.evaluation.events import actor_country
from geokg.gazetteer import (
    TITLES,
    _curated_keys,
    _load_curated,
    _rows,
    _surname_keys,
    fold,
    strip_titles,
)
from geokg.graph.resolve import slugify

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "geokg" / "data"
DEFAULT_SHARED = ROOT / ".." / "shared" / "data"
OUTPUT = "phoenix_actors.tsv"
COUNTRIES = "Phoenix.Countries.actors.txt"
MILNONSTATE = "Phoenix.MilNonState.actors.txt"
INTERNATIONAL = "Phoenix.International.actors.txt"

#: Country codes of the dictionaries that are neither ISO nor in ``actor_country``'s mapping:
#: ``UNITA_ [ANGREB]`` uses the old ``ANG`` for Angola (CAMEO and ISO: ``AGO``).
EXTRA_CODES: dict[str, str] = {"ANG": "AGO"}

#: CAMEO role codes (letters 4-6 of a code) that a person can carry; a country, territory or
#: city entry has none (``[AFG]``, ``[USAASM]``).
ROLES = frozenset(
    {
        "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI",
        "INS", "JUD", "LAB", "LEG", "MED", "MIL", "MOD", "OPP", "PTY", "RAD", "REB", "REF",
        "SPY", "UAF",
    }
)  # fmt: skip

#: Words that make an unmarked Countries entry an institution or a group, not a person.
INSTITUTION_WORDS = frozenset(
    """
    administration agency alliance army assembly association authority brigade brigades bureau
    cabinet centre center chamber coalition command committee communist community congress
    corps council court courts declaration democratic department directorate duma faction
    federal federation force forces foundation front government group guard guards house
    institute intelligence islands league liberation majesty military ministry movement
    national navy observatory office organization organisation palace parliament party
    police politburo presidency republic revolutionary riot security senate service society
    soviet staff state supreme team think union university white
    """.split()  # noqa: SIM905
)

#: Words of a title or of what goes with an office or a government: an unmarked Countries
#: entry with one is no person ("American Vice President", "US Secretary of State").
NOT_NAME_WORDS = frozenset(
    {w for t in TITLES for w in t.split()}
    | {"administration", "regime", "government", "leader", "chief", "spokesman", "official"}
)

#: Words that make a person's alias a description, not a name ("The Obama Administration",
#: "Syria's Government", "President-Elect Obama", "Moscow Party Chief Boris N. Yeltsin").
ALIAS_NOT_NAME_WORDS = frozenset(
    """
    administration army chief council department government leader minister ministry of
    official party president regime secretary spokesman
    """.split()  # noqa: SIM905
)

#: Words of a group name that describe any group: a name made only of these and demonyms
#: ("Islamic Jihad", "National Resistance", "Peoples Liberation Army", "Revolutionary Army")
#: is a description, not a name, and is left out as a common phrase.
GENERIC_WORDS = frozenset(
    """
    action alliance army battalion battalions brigade brigades cell cells combatant
    command committee communist council democratic democracy defence defense faction fighters
    force forces front group groups guerrilla guerrillas islam islamic jihad liberation
    movement mujahedeen mujahideen mujahidin muslim muslims national nationalist nationalists
    organization organisation party patriotic people peoples popular rebel rebels resistance
    revolution revolutionaries revolutionary socialist socialists solidarity struggle union
    united workers youth of the and for in
    """.split()  # noqa: SIM905
)

#: Folded group names of at most 3 letters that are kept; other acronyms that short name too
#: many other things (MCC, ISA, ANA, EPA, CAR in the news corpora).
SHORT_NAMES_KEPT = frozenset({"eta", "kkk", "mqm", "pkk", "plo", "puk", "uda"})

#: Folded names never written: common English words and phrases and a leader's lone surname,
#: found by reading every one-word group name and alias and the group names of two or three
#: words, and by counting lower-case uses of each name in the news corpora of
#: ../shared/data/news (zero, youth, car, foundation, cornerstone, immediate action, new order,
#: red line, triple a, tigers, falcon, paradise were found there in lower case).
STOP_NAMES: frozenset[str] = frozenset(
    {
        # English words.
        "avengers",
        "boogeymen",
        "camo",
        "car",
        "cornerstone",
        "emetic",
        "falcon",
        "foundation",
        "hisba",
        "inevitables",
        "machete",
        "mavericks",
        "order",
        "paradise",
        "tigers",
        "yahweh",
        "youth",
        "zero",
        # A word of another language naming other things ("united"; a Malaysian party).
        "bersatu",
        "ber satu",
        # A leader's surname given as the group's name (Hezbollah's "NASRALLAH").
        "nasrallah",
        # English phrases.
        "black friday",
        "counter revolutionaries",
        "fires of hell",
        "free land",
        "friendship society",
        "global intifada",
        "holy men",
        "immediate action",
        "international solidarity",
        "new order",
        "popular justice",
        "red line",
        "social resistance",
        "triple a",
        "we will win",
    }
)

_CODE = re.compile(r"\[([^\]]*)\]")
_PAREN = re.compile(r"\(([^()]*)\)")
_NON_STATE_BODIES = ("IGO", "NGO")
_MAX_NAME_WORDS = 8
_REGNAL = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XII", "XIII", "XIV", "XV"})
_DATE_NAME = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)? (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)|(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december) \d+(?:st|nd|rd|th)?)$"
)


@dataclass(slots=True)
class Record:
    """One root entry of a dictionary file with its ``+`` synonyms and the codes it shares."""

    names: list[str]
    codes: list[str]
    comment: str
    source: str
    block: int


@dataclass(slots=True)
class Actor:
    """One actor before the name rules: label, aliases, type, state."""

    label: str
    aliases: list[str]
    type: str
    country: str
    source: str
    keys: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------------------


def parse_actor_file(path: Path) -> list[Record]:
    """Root entries of a TABARI/PETRARCH ``.actors`` file, in file order.

    Root lines without a code share the codes of the next code lines (one block); ``+`` lines
    are synonyms of the root above them.
    """
    records: list[Record] = []
    block_codes: list[str] | None = None
    block = 0
    source = path.name
    for raw in path.read_bytes().decode("latin-1").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, _, comment = raw.partition("#")
        codes = [c.strip() for c in _CODE.findall(body)]
        name = _CODE.sub(" ", body).strip()
        if not name:  # an indented code line
            if block_codes is not None:
                block_codes.extend(codes)
            continue
        if name.startswith("+"):
            if records:
                records[-1].names.append(name[1:].strip())
                records[-1].codes.extend(codes)
            continue
        if block_codes is None or block_codes:
            block_codes = []
            block += 1
        block_codes.extend(codes)
        records.append(Record([name], block_codes, comment.strip(), source, block))
    return records


def parse_date(text: str) -> str | None:
    """ISO date of a dictionary date (``YYMMDD``, year <= 30 is 20xx, or ``YYYYMMDD``)."""
    if len(text) == 6 and text.isdigit():
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        return f"{year}-{text[2:4]}-{text[4:6]}"
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    return None


@dataclass(frozen=True, slots=True)
class Code:
    """One actor code with its period (``None``: open or unknown)."""

    code: str
    start: str | None
    end: str | None
    dated: bool


def parse_code(text: str) -> Code | None:
    """``"DZAGOV >990427"`` → ``Code("DZAGOV", "1999-04-27", None, True)``."""
    parts = text.split(None, 1)
    if not parts:
        return None
    code, spec = parts[0], (parts[1] if len(parts) > 1 else "").replace(" ", "")
    if not spec:
        return Code(code, None, None, False)
    if spec.startswith(">"):
        return Code(code, parse_date(spec[1:]), None, True)
    if spec.startswith("<"):
        return Code(code, None, parse_date(spec[1:]), True)
    if "-" in spec:
        lo, _, hi = spec.partition("-")
        return Code(code, parse_date(lo), parse_date(hi), True)
    return Code(code, parse_date(spec), None, True)  # one date: from then on


def code_country(code: str, states: frozenset[str]) -> str | None:
    """ISO alpha-3 state of a code, or ``None`` (non-state, regional, historical)."""
    prefix = code.strip().upper()[:3]
    country = EXTRA_CODES.get(prefix) or actor_country(code)
    return country if country in states else None


def actor_state(codes: list[str], states: frozenset[str]) -> str | None:
    """State of the most recent dated code, else of the undated codes when they all agree."""
    parsed = [c for c in (parse_code(t) for t in codes) if c is not None]
    dated = [c for c in parsed if c.dated]
    if dated:
        latest = max(dated, key=lambda c: (c.end or "9999-99-99", c.start or ""))
        return code_country(latest.code, states)
    found = {code_country(c.code, states) for c in parsed}
    return found.pop() if len(found) == 1 else None


# -- names ------------------------------------------------------------------------------------


def clean_name(raw: str) -> tuple[str, list[str]]:
    """Words of a dictionary name and the acronyms in its parentheses.

    >>> clean_name("ANIMAL_LIBERATION_FRONT_(ALF)_")
    ('ANIMAL LIBERATION FRONT', ['ALF'])
    """
    acronyms = [a.replace("_", " ").strip() for a in _PAREN.findall(raw)]
    text = _PAREN.sub(" ", raw).split("(")[0].replace("_", " ")  # an unclosed "(ACTING"
    text = re.sub(r",?\s+(JR|SR)\.?\s*$", r" \1.", text)  # "STOESSEL,_JR." is "Stoessel Jr."
    text = re.sub(r"\s+", " ", text).strip(" ,;:-")
    inverted = re.match(r"^(.*\S)\s*,\s*(THE|The|the)$", text)
    if inverted:  # "ORDER,_THE" is "The Order"
        text = f"{inverted.group(2)} {inverted.group(1)}"
    return text, [a for a in acronyms if a]


def _title_part(part: str) -> str:
    if not part:
        return part
    if re.fullmatch(r"\d+(?:st|nd|rd|th)", part.lower()):
        return part.lower()  # "1ST" is "1st"
    if part.upper() in ("JR.", "SR."):
        return part[0].upper() + part[1:].lower()
    if re.fullmatch(r"(?:[A-Za-z]\.)+", part) or not re.search(r"[aeiouyAEIOUY]", part):
        return part.upper()  # initials ("U.S."), acronyms ("SS", "17N")
    if part.upper() in _REGNAL:
        return part.upper()
    low = part.lower()
    if re.fullmatch(r"[a-z]'[a-z]{2,}", low):  # O'Neill, D'Alema
        return low[0].upper() + "'" + low[2].upper() + low[3:]
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2].upper() + low[3:]
    return low[0].upper() + low[1:]


def title_case(text: str) -> str:
    """Title-case an upper-case dictionary name.

    >>> title_case("ABDELAZIZ BOUTEFLIKA"), title_case("AL-QASSAM BRIGADES")
    ('Abdelaziz Bouteflika', 'Al-Qassam Brigades')
    >>> title_case("JOHN MCCAIN"), title_case("NATIONAL PEOPLE'S CONGRESS")
    ('John McCain', "National People's Congress")
    """
    words = []
    for word in text.split():
        words.append(
            "/".join("-".join(_title_part(p) for p in w.split("-")) for w in word.split("/"))
        )
    return " ".join(words)


def looks_like_person(record: Record) -> bool:
    """Whether an entry of the Countries file is a person.

    The file marks its person entries ``# CountryInfo.txt``; the unmarked ones added by hand
    ("BARACK_OBAMA", "BASHAR_AL-ASSAD") count when every code carries a role (a country or
    city has none) and the name is 2 to 5 words, none an institution word or a joining word.
    """
    if "countryinfo" in record.comment.lower():
        return True
    if not record.codes:
        return False
    for text in record.codes:
        code = parse_code(text)
        if code is None or code.code[3:6] not in ROLES:
            return False
    name, _ = clean_name(record.names[0])
    bare, _ = strip_titles(title_case(name))
    words = fold(bare).split()
    if not 2 <= len(words) <= 5:
        return False
    return not any(
        w in INSTITUTION_WORDS or w in NOT_NAME_WORDS or w in {"the", "and", "for"} for w in words
    )


def _same_person(a: str, b: str) -> bool:
    """Whether two names of one code block end with the same surname ("Boris N. Yeltsin")."""
    ka, kb = fold(a).split(), fold(b).split()
    return bool(ka and kb and ka[-1] == kb[-1])


def person_names(record: Record) -> list[str]:
    """Title-cased names of a person, titles removed, duplicates (by key) dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in record.names:
        name, _ = clean_name(raw)
        bare, _ = strip_titles(title_case(name))
        bare = bare.strip(" ,")
        key = fold(bare)
        if key and key not in seen and len(key.split()) <= _MAX_NAME_WORDS:
            seen.add(key)
            out.append(bare)
    return out


def group_names(record: Record) -> list[str]:
    """Title-cased names of a group (no titles removed: "Lord's Resistance Army"); the
    acronyms of the source's parentheses become aliases in capitals."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in record.names:
        name, acronyms = clean_name(raw)
        candidates = [title_case(name)]
        for a in acronyms:
            candidates.append(a.upper() if " " not in a else title_case(a))
        if " " not in name and len(name) <= 5 and name.isupper():
            candidates[0] = name  # a one-word acronym name stays in capitals ("UNITA")
        for c in candidates:
            key = fold(c)
            if key and key not in seen and len(key.split()) <= _MAX_NAME_WORDS:
                seen.add(key)
                out.append(c)
    return out


# -- building ---------------------------------------------------------------------------------


def collect(shared: Path, states: frozenset[str], skipped: Counter[str]) -> list[Actor]:
    """Actors of the three files with their state (before the name rules)."""
    folder = shared / "cameo_dictionaries"
    actors: list[Actor] = []
    # People of the Countries file: the unmarked names of a code block that end with the same
    # surname as a person of the block are that person's names ("PRESIDENT_YELTSIN").
    people: list[tuple[Record, list[str]]] = []
    for rec in parse_actor_file(folder / COUNTRIES):
        names = person_names(rec)
        if not names:
            continue
        if people and people[-1][0].block == rec.block and _same_person(people[-1][1][0], names[0]):
            people[-1][1].extend(names)
            continue
        if not looks_like_person(rec):
            skipped["not-person"] += 1
            continue
        people.append((rec, names))
    for rec, names in people:
        country = actor_state(rec.codes, states)
        if country is None:
            skipped["no-country"] += 1
            continue
        actors.append(Actor(names[0], names[1:], "person", country, COUNTRIES))
    for rec in parse_actor_file(folder / MILNONSTATE):
        names = group_names(rec)
        if not names:
            continue
        country = actor_state(rec.codes, states)
        if country is None:
            skipped["no-country"] += 1
            continue
        actors.append(Actor(names[0], names[1:], "organisation", country, MILNONSTATE))
    for rec in parse_actor_file(folder / INTERNATIONAL):
        names = group_names(rec)
        if not names:
            continue
        if any(c.strip().upper().startswith(_NON_STATE_BODIES) for c in rec.codes):
            skipped["international"] += 1
            continue
        country = actor_state(rec.codes, states)
        if country is None:
            skipped["no-country"] += 1
            continue
        actors.append(Actor(names[0], names[1:], "organisation", country, INTERNATIONAL))
    return actors


def name_rule(name: str, kind: str, generic: frozenset[str], *, alias: bool = False) -> str | None:
    """The rule that leaves out ``name`` (a label, or an ``alias``) of an actor of type
    ``kind``, or ``None``.

    ``generic`` holds the words that only describe a group (:data:`GENERIC_WORDS` and the
    demonyms of ``countries.tsv`` that are not country names); a group name of at most three
    such words (not counting "of", "the" …) is a description.

    >>> g = GENERIC_WORDS | {"palestinian"}
    >>> [name_rule(n, "organisation", g) for n in ("UNITA", "Islamic Jihad", "17 November")]
    [None, 'common-word', 'common-word']
    >>> names = ("Karzai", "Boris N. Yeltsin", "The Obama Administration")
    >>> [name_rule(n, "person", g, alias=True) for n in names]
    ['single-word', None, 'not-a-name']
    """
    key = fold(name)
    words = key.split()
    if not re.search(r"[a-z]", key):
        return "single-word"  # no letters ("313")
    if kind == "person":
        if len(words) < 2:
            return "single-word"
        if alias and ("," in name or any(w in ALIAS_NOT_NAME_WORDS for w in words)):
            return "not-a-name"
    elif len(words) == 1 and len(key) <= 3 and key not in SHORT_NAMES_KEPT:
        return "single-word"
    if key in STOP_NAMES or _DATE_NAME.match(key):
        return "common-word"
    content = [w for w in words if w not in {"of", "the", "and", "for", "in"}]
    if kind != "person" and len(content) <= 3 and all(w in generic for w in content):
        return "common-word"
    return None


def build(
    shared: Path,
    reserved: frozenset[str],
    states: frozenset[str],
    taken_ids: frozenset[str],
    curated_surnames: frozenset[tuple[str, str]],
    generic: frozenset[str],
    explain: dict[str, list[str]] | None = None,
) -> tuple[str, Counter[str], Counter[str]]:
    """Text of ``phoenix_actors.tsv``, the actors each rule left out and the aliases dropped
    (``explain`` collects the labels each name rule left out)."""
    skipped: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    explained = explain if explain is not None else {}
    actors = collect(shared, states, skipped)
    kept: list[Actor] = []
    for a in actors:
        rule = name_rule(a.label, a.type, generic)
        aliases: list[str] = []
        keys = [fold(a.label)]
        for alias in a.aliases:
            akey = fold(alias)
            why = name_rule(alias, a.type, generic, alias=True)
            if why is not None:
                dropped[why] += 1
            elif akey not in keys:
                keys.append(akey)
                aliases.append(alias)
        if rule is None and (
            any(k in reserved for k in keys)
            or (
                a.type == "person"
                and any(
                    (k, a.country) in curated_surnames
                    for n in (a.label, *aliases)
                    for k in _surname_keys(n)
                )
            )
        ):
            rule = "curated"
        if rule is not None:
            skipped[rule] += 1
            explained.setdefault(rule, []).append(f"{a.label} ({a.country})")
            continue
        kept.append(Actor(a.label, aliases, a.type, a.country, a.source, keys))
    # One actor per (name, type, state), names compared by key or slug ("C.P. Thakur", "C. P.
    # Thakur"; "Affi N'Guessan", "Affi Nguessan"); the aliases are merged.
    merged: list[Actor] = []
    by_name: dict[tuple[str, str, str], Actor] = {}
    for a in kept:
        idents = [(a.keys[0], a.type, a.country), (slugify(a.label), a.type, a.country)]
        into = next((by_name[i] for i in idents if i in by_name), None)
        if into is None:
            merged.append(a)
            by_name.update((i, a) for i in idents)
            continue
        skipped["merged"] += 1
        for alias, akey in zip([a.label, *a.aliases], a.keys, strict=True):
            if akey not in into.keys:
                into.aliases.append(alias)
                into.keys.append(akey)
    # A name of two actors (another state or type) is nobody's.
    owners: dict[str, set[int]] = {}
    for n, a in enumerate(merged):
        for k in a.keys:
            owners.setdefault(k, set()).add(n)
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    final: list[Actor] = []
    for a in merged:
        if len(owners[a.keys[0]]) > 1:
            skipped["ambiguous"] += 1
            explained.setdefault("ambiguous", []).append(f"{a.label} ({a.country})")
            continue
        pairs = [
            (alias, k)
            for alias, k in zip(a.aliases, a.keys[1:], strict=True)
            if len(owners[k]) == 1
        ]
        dropped["ambiguous"] += len(a.aliases) - len(pairs)
        final.append(
            Actor(a.label, [p[0] for p in pairs], a.type, a.country, a.source, [a.keys[0]])
        )
        final[-1].keys.extend(p[1] for p in pairs)
    slugs = Counter((a.type, slugify(a.label)) for a in final)
    ids: set[str] = set()
    for a in final:
        prefix = "person" if a.type == "person" else "org"
        slug = slugify(a.label)
        if slugs[(a.type, slug)] > 1:
            slug = f"{slug}-{a.country.lower()}"
        row_id = f"{prefix}:{slug}"
        if row_id in taken_ids:
            skipped["curated"] += 1
            explained.setdefault("curated", []).append(f"{a.label} ({a.country})")
            continue
        if row_id in ids:
            raise SystemExit(f"two Phoenix actors get the id {row_id}; extend the slug rule")
        ids.add(row_id)
        rows.append(
            (
                row_id,
                a.label,
                a.type,
                a.country,
                "|".join(a.aliases),
                a.keys[0],
                "|".join(a.keys[1:]),
            )
        )
    rows.sort()
    head = [
        "# People (Phoenix.Countries.actors.txt, CountryInfo 140130) and armed or non-state groups",
        "# (Phoenix.MilNonState.actors.txt; organisations of Phoenix.International.actors.txt with",
        "# a state country) of the Phoenix actor dictionaries: PETRARCH2 @ 676801c, MIT License,",
        "# (c) 2014 Open Event Data Alliance (content: Computational Event Data System, Parus",
        "# Analytics). Facts only (names, codes, dates); the dictionaries are not copied. country =",
        "# ISO alpha-3 of the most recent dated code (coverage ends early 2014); label = the name",
        "# title-cased, titles removed from people; aliases = the + synonyms; key / alias_keys =",
        "# geokg.gazetteer.fold of label / aliases. Left out: entries without an ISO state, one-word",
        "# person names, common words, names that are curated or world cities, names of two actors.",
        "# The lowest gazetteer tier: exact names only, no surname matching; curated entries win.",
        "# Generated by: .venv/bin/python scripts/build_phoenix.py; do not edit.",
        "id\tlabel\ttype\tcountry\taliases\tkey\talias_keys",
    ]
    return "\n".join(head + ["\t".join(r) for r in rows]) + "\n", skipped, dropped


def world_city_keys() -> frozenset[str]:
    """Matching keys of ``world_cities.tsv`` (its ``key`` column)."""
    text = (DATA / "world_cities.tsv").read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    return frozenset(r[-1] for r in rows[1:])


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) ``phoenix_actors.tsv``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--explain", metavar="RULE", help="list the actors a rule left out")
    args = parser.parse_args(argv)
    entries, metonyms, demonyms, roles = _load_curated()
    reserved = _curated_keys(entries, metonyms, demonyms, roles) | world_city_keys()
    states = frozenset(e.id for e in entries if e.type == "country")
    taken = frozenset(e.id for e in entries)
    countries = list(_rows("countries.tsv"))
    generic = GENERIC_WORDS | (
        frozenset(fold(d) for r in countries for d in r["demonyms"].split("|") if d.strip())
        - frozenset(fold(n) for r in countries for n in (r["label"], *r["aliases"].split("|")))
    )
    surnames = frozenset(
        (k, e.country)
        for e in entries
        if e.type == "person" and e.country
        for n in (e.label, *e.aliases)
        for k in _surname_keys(n)
    )
    explain: dict[str, list[str]] = {}
    text, skipped, dropped = build(args.shared, reserved, states, taken, surnames, generic, explain)
    if args.explain:
        print("\n".join(explain.get(args.explain, [])))
    rows = sum(1 for line in text.splitlines() if not line.startswith("#")) - 1
    kinds = Counter(line.split("\t")[2] for line in text.splitlines()[1:] if "\t" in line)
    kinds.pop("type", None)
    print(
        f"{rows} rows ({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items()))}); "
        f"actors left out: {', '.join(f'{k}: {v}' for k, v in sorted(skipped.items()))}; "
        f"aliases dropped: {', '.join(f'{k}: {v}' for k, v in sorted(dropped.items()))}",
        file=sys.stderr,
    )
    path = args.out / OUTPUT
    return 0 if write_or_check(path, text, check=args.check, label=str(path)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
