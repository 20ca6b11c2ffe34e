"""Actor identity in resolution: junk is no actor, governments roll up to their state, office
holders only by the article's date, the issuing side of official texts, one node per actor."""

from __future__ import annotations

import pytest

from geokg.gazetteer import Gazetteer, actor_words, government_of, is_junk_name, issuer_of
from geokg.graph.resolve import DocResolver
from geokg.model import Document, Mention
from tests.graph.test_resolve import m  # one helper for hand-made mentions

DATED = Document(id="d", text="", published="2023-03-30")
UNDATED = Document(id="d", text="")
WH = Document(
    id="wh/statements-releases/2023-03/x", text="", published="2023-03-30", title="Readout"
)
WH_MESSAGE = Document(
    id="wh/briefings-statements/2025-12/x",
    text="",
    published="2025-12-06",
    title="Presidential Message on the Anniversary",
)
WH_JOINT = Document(
    id="wh/statements-releases/2021-10/x",
    text="",
    published="2021-10-30",
    title="Joint Statement by the Leaders of A and B",
)


def one(doc: Document, mention: Mention) -> str | None:
    actor = DocResolver(doc, [mention]).resolve(mention)
    return actor.id if actor is not None else None


# -- junk is never an actor ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Tariffs",
        "God bless",
        "Kingdom of",
        "Mission Statement of this",
        "Mike (Ruddock",
        "’s Office",
    ],
)
def test_junk_names_are_no_actor(name: str) -> None:
    assert is_junk_name(name)
    assert one(DATED, m(name, 0, label="ORG")) is None
    assert one(DATED, m(name, 0, label="PERSON")) is None


@pytest.mark.parametrize("name", ["Bank of England", "Congress", "Care International", "Hamas"])
def test_real_names_are_not_junk(name: str) -> None:
    assert not is_junk_name(name)
    assert one(DATED, m(name, 0, label="ORG")) is not None


def test_junk_nominal_is_no_actor() -> None:
    tariffs = m("Tariffs", 0, kind="nominal", label="", plural=True, country="USA")
    assert one(DATED, tariffs) is None


def test_actor_words_kinds_are_checked() -> None:
    assert "jr" in actor_words("name_suffix")
    assert "mr" in actor_words("honorific")
    with pytest.raises(ValueError, match="unknown actor word kind"):
        actor_words("nonsense")


# -- one node per government --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("the Iranian regime", "IRN"),
        ("Israeli government", "ISR"),
        ("India's government", "IND"),
        ("the Biden Administration", "USA"),
        ("the Biden-Harris Administration", "USA"),
        ("the U.S. government", "USA"),
    ],
)
def test_a_states_government_is_the_state(name: str, code: str) -> None:
    assert one(DATED, m(name, 0, label="ORG")) == code
    nominal = m(name, 0, kind="nominal", label="", country=None)
    assert one(DATED, nominal) == code


def test_a_government_noun_alone_or_of_no_state_is_not_a_state() -> None:
    gaz = Gazetteer.default()
    assert government_of("the regime", gaz) is None
    assert government_of("the Student Government", gaz) is None
    assert one(DATED, m("the regime", 0, kind="nominal", label="")) is None


def test_capitals_and_named_bodies_roll_up_or_keep_their_type() -> None:
    assert one(DATED, m("Tehran", 0, label="GPE")) == "IRN"
    gaz = Gazetteer.default()
    houthis, yukos, irgc = (gaz.lookup(n) for n in ("the Houthis", "Yukos", "IRGC"))
    assert houthis is not None
    assert (houthis.type, houthis.country) == ("group", "YEM")
    assert yukos is not None
    assert (yukos.type, yukos.country) == ("organisation", "RUS")
    assert irgc is not None
    assert irgc.label == "Islamic Revolutionary Guard Corps"
    assert one(DATED, m("The Iranian Islamic Revolutionary Guard Corps", 0, label="ORG")) == (
        irgc.id
    )


# -- named people -------------------------------------------------------------------------------


def test_a_lone_surname_is_the_documents_own_person_before_the_gazetteers() -> None:
    # the gazetteer knows one "Hassan" (Samia Suluhu Hassan); this text names another
    full = m("Margaret Hassan", 0)
    lone = m("Mrs Hassan", 40, name="Hassan", gender="f")
    r = DocResolver(UNDATED, [full, lone])
    assert r.resolve(lone).id == r.resolve(full).id == "person:margaret-hassan"  # type: ignore[union-attr]
    alone = m("Mrs Hassan", 0, name="Hassan")
    assert one(DATED, alone) == "person:samia-suluhu-hassan"


def test_a_surname_tagged_as_a_place_is_the_person_named_before() -> None:
    full = m("Daleep Singh", 0)
    place = m("Singh", 50, label="GPE")
    r = DocResolver(DATED, [full, place])
    assert r.resolve(place).id == r.resolve(full).id == "person:daleep-singh"  # type: ignore[union-attr]
    assert one(DATED, m("Singh", 0, label="GPE")) == "loc:singh"  # nobody to be


def test_family_name_first_spelling_is_the_same_person() -> None:
    gaz = Gazetteer.default()
    a, b, c = (gaz.lookup_person(n) for n in ("Kishida Fumio", "Fumio Kishida", "Kishida"))
    assert a is not None
    assert a.id == b.id == c.id  # type: ignore[union-attr]


def test_named_person_is_never_replaced_by_the_roles_holder() -> None:
    named = m("President Samia", 0, name="Samia", role="president", country="TZA")
    full = m("Samia Suluhu Hassan", 40, role="president")
    r = DocResolver(DATED, [full, named])
    assert r.resolve(named).id == "person:samia-suluhu-hassan"  # type: ignore[union-attr]
    # the parser read the title of a named person as a role of its own as well
    mwinyi = m("President Hussein Mwinyi", 0, name="Hussein Mwinyi", country="TZA")
    title = m("President", 0, kind="role", label="", role="president")
    r = DocResolver(WH, [mwinyi, title])  # a White House text: "the President" is the US one
    assert r.resolve(title).id == r.resolve(mwinyi).id == "person:hussein-mwinyi"  # type: ignore[union-attr]
    macron = m("President Emmanuel Macron", 0, name="Emmanuel Macron")  # titled "President"
    the_president = m("The President", 60, kind="role", label="", role="president")
    r = DocResolver(WH, [macron, the_president])
    assert r.resolve(the_president).id == "Q6279"  # type: ignore[union-attr]
    unknown = m("President Mwinyi", 0, name="Mwinyi", role="president", country="TZA")
    assert one(DATED, unknown) == "person:mwinyi"  # a name, not the office's holder


# -- office holders only by the article's date --------------------------------------------------


def test_office_holder_lookup_needs_the_articles_date() -> None:
    pm = m("the Taoiseach", 0, kind="role", label="", role="prime minister", country="IRL")
    assert one(DATED, pm) == "person:leo-varadkar"
    assert one(Document(id="d", text="", published="2025-05-15"), pm) != "person:leo-varadkar"
    # Samia Suluhu Hassan is still in office: with no date she is not looked up all the same
    pres = m("the Tanzanian president", 0, kind="role", label="", role="president", country="TZA")
    assert one(DATED, pres) == "person:samia-suluhu-hassan"
    assert one(UNDATED, pres) is None
    assert one(UNDATED, pm) is None


def test_counterpart_lookup_needs_the_articles_date() -> None:
    biden = m("Joe Biden", 0)
    cp = m(
        "his Tanzanian counterpart", 30, kind="role", label="", role="counterpart", country="TZA"
    )
    dated = DocResolver(DATED, [biden, cp])
    assert dated.resolve(cp).id == "person:samia-suluhu-hassan"  # type: ignore[union-attr]
    assert DocResolver(UNDATED, [biden, cp]).resolve(cp) is None


# -- the issuing side of official texts ---------------------------------------------------------


def test_issuers_come_from_the_source() -> None:
    assert issuer_of("wh/x") is not None
    assert issuer_of("x", url="https://www.whitehouse.gov/briefing-room/x").state == "USA"  # type: ignore[union-attr]
    assert issuer_of("bbc/politics/147") is None


@pytest.mark.parametrize("word", ["We", "our"])
def test_we_of_an_official_text_is_its_issuing_state(word: str) -> None:
    we = m(word, 10, kind="pronoun", label="", name=word.lower(), plural=True)
    assert one(WH, we) == "USA"
    assert one(WH_JOINT, we) is None  # several parties
    assert one(DATED, we) is None  # no issuer


def test_we_inside_a_quotation_is_not_the_issuer() -> None:
    text = 'He said: "We will never accept this kind of pressure from anyone at all."'
    doc = Document(id=WH.id, text=text, published=WH.published, title=WH.title)
    k = text.index("We")
    we = m("We", k, kind="pronoun", label="", name="we", plural=True)
    r = DocResolver(doc, [we], quotes=[(text.index('"'), len(text))])
    assert r.resolve(we) is None


def test_i_of_a_presidential_message_is_the_president_on_its_date() -> None:
    i = m("I", 0, kind="pronoun", label="", name="i")
    assert one(WH_MESSAGE, i) == "Q22686"  # Donald Trump in December 2025
    undated = Document(id=WH_MESSAGE.id, text="", title=WH_MESSAGE.title)
    assert one(undated, i) is None
    assert one(WH, i) is None  # a readout's "I" is not the President's


def test_the_president_of_an_official_text_is_its_states() -> None:
    macky = m("President Macky Sall", 0, name="Macky Sall", role="president", country="SEN")
    pres = m("The President", 60, kind="role", label="", role="president")
    biden_era = Document(id=WH.id, text="", published="2021-11-18", title="Readout")
    r = DocResolver(biden_era, [macky, pres])
    assert r.resolve(pres).id == "Q6279"  # type: ignore[union-attr]
    plain = DocResolver(Document(id="bbc/x", text="", published="2021-11-18"), [macky, pres])
    assert plain.resolve(pres).id != "Q6279"  # type: ignore[union-attr]
    kishida = m("Prime Minister Kishida", 0, name="Kishida", role="prime minister")
    pm = m("the Prime Minister", 60, kind="role", label="", role="prime minister")
    r = DocResolver(WH, [kishida, pm])  # the US has no prime minister: the one named
    assert r.resolve(pm).id == "person:fumio-kishida"  # type: ignore[union-attr]


# -- one node per organisation in a document ----------------------------------------------------


def test_a_short_name_is_the_one_longer_organisation_with_its_head() -> None:
    full = m("COVID-19 Manufacturing and Supply Chain Taskforce", 0, label="ORG")
    short = m("Taskforce", 60, label="ORG")
    joint = m("Joint Taskforce", 90, label="ORG")
    r = DocResolver(DATED, [full, short, joint])
    assert r.resolve(short).id == r.resolve(joint).id == r.resolve(full).id  # type: ignore[union-attr]


def test_a_short_name_with_two_candidates_stays_itself() -> None:
    a = m("Supply Chain Taskforce", 0, label="ORG")
    b = m("Vaccine Export Taskforce", 30, label="ORG")
    short = m("Taskforce", 60, label="ORG")
    r = DocResolver(DATED, [a, b, short])
    assert r.resolve(short).id == "org:taskforce"  # type: ignore[union-attr]


def test_a_pronoun_prefers_a_near_person_known_to_fit_its_gender() -> None:
    harris = m("Kamala Harris", 0)  # f in the gazetteer
    gantz = m("Benny Gantz", 40)  # gender unknown
    she = m("She", 80, kind="pronoun", label="", name="she", gender="f")
    he = m("He", 90, kind="pronoun", label="", name="he", gender="m")
    r = DocResolver(UNDATED, [harris, gantz, she, he])
    assert r.resolve(she).id == "person:kamala-harris"  # type: ignore[union-attr]
    assert r.resolve(he).id == "person:benny-gantz"  # type: ignore[union-attr]
    far = m("She", 600, kind="pronoun", label="", name="she", gender="f")
    r = DocResolver(UNDATED, [harris, m("Benny Gantz", 500), far])
    assert r.resolve(far).id == "person:benny-gantz"  # type: ignore[union-attr]
    mr = m("Mr Gantz", 60, name="Gantz", gender="m")  # a title tells his gender
    r = DocResolver(UNDATED, [m("Benny Gantz", 0), mr, she])
    assert r.resolve(she) is None
