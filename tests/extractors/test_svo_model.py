"""svo.v1 with the real pipeline on sentences of our own: the parser's known failure modes.

These pin behaviour that depends on the stand-in's parses (``model`` marker); the hand-built
parses in test_svo.py cover the same rules without a model.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from geokg.model import Document
from geokg.pipeline import build_graph

pytestmark = pytest.mark.model


def relations(
    text: str, model_name: str, published: str | None = "2025-05-15"
) -> set[tuple[Any, ...]]:
    rows: list[dict[str, Any]] = []
    doc = Document(id="t", text=text, published=published)
    from geokg.nlp import load_model

    build_graph([doc], nlp=load_model(model_name), on_rows=rows.extend, counts=Counter())
    return {
        (r["subject"]["label"], r["relation"], r["object"]["label"], r["modality"], r["negated"])
        for r in rows
        if r["object"] is not None  # actor relations only, not events without an actor target
    }


def test_headline_verb_read_from_the_surface(model_name: str) -> None:
    got = relations("Tusk accuses Lukashenko of lying about border\n", model_name)
    assert ("Donald Tusk", "accuse", "Alexander Lukashenko", "asserted", False) in got


def test_agentless_passive_announced_by_a_speaker(model_name: str) -> None:
    got = relations(
        "Foreign minister Radoslaw Sikorski said on Friday that the Russian consulate in Gdansk would be closed.\n",
        model_name,
    )
    subjects = {(s, r, o, m) for s, r, o, m, _ in got}
    assert ("Radosław Sikorski", "close", "Russian consulate in Gdansk", "reported") in subjects


def test_refusal_negates_the_meeting(model_name: str) -> None:
    got = relations("Vladimir Putin did not meet Volodymyr Zelensky in Istanbul.\n", model_name)
    assert ("Vladimir Putin", "meet", "Volodymyr Zelensky", "negated", True) in got


def test_control_gives_a_requested_relation(model_name: str) -> None:
    got = relations(
        "Emmanuel Macron urged Vladimir Putin to meet Volodymyr Zelensky.\n", model_name
    )
    assert ("Emmanuel Macron", "urge", "Vladimir Putin", "asserted", False) in got
    assert ("Vladimir Putin", "meet", "Volodymyr Zelensky", "requested", False) in got


def test_rather_than_excludes_the_contrasted_party(model_name: str) -> None:
    got = relations(
        "The French delegation will probably be led by foreign minister Jean-Noel Barrot, "
        "rather than the president.\n",
        model_name,
    )
    assert {s for s, r, _, _, _ in got if r == "lead"} == {"Jean-Noël Barrot"}


def test_saying_someone_must_act_is_an_appeal_to_them(model_name: str) -> None:
    got = relations(
        "Emmanuel Macron said on Monday that Russia must withdraw its troops.\n", model_name
    )
    assert ("Emmanuel Macron", "urge", "Russia", "asserted", False) in got
    assert not any(
        r == "urge"
        for _, r, _, _, _ in relations(
            "Emmanuel Macron said that Russia would withdraw its troops.\n", model_name
        )
    )


def _rows(text: str, model_name: str, *, untargeted: bool = False) -> list[dict[str, Any]]:
    """Contract rows of ``text``: actor relations, or (``untargeted``) the events without one."""
    from geokg.nlp import load_model

    rows: list[dict[str, Any]] = []
    doc = Document(id="t", text=text, published="2025-05-15")
    build_graph([doc], nlp=load_model(model_name), on_rows=rows.extend, counts=Counter())
    return [r for r in rows if (r["object"] is None) == untargeted]


def test_people_and_places_of_a_state_are_actors_with_its_country(model_name: str) -> None:
    rows = _rows(
        "Moldovan soldiers arrested more than 300 Romanian workers on Monday.\n\n"
        "Moldova threatened to shell Romanian villages.\n",
        model_name,
    )
    got = {
        (r["subject"]["label"], r["relation"], r["object"]["label"]): (
            r["object"]["type"],
            r["object"]["country"],
        )
        for r in rows
    }
    assert got[("Moldovan soldiers", "arrest", "Romanian workers")] == ("group", "ROU")
    assert got[("Moldova", "shell", "Romanian villages")] == ("location", "ROU")
    # The threat is the event that happened; the shelling is only intended.
    threat = [r for r in rows if r["relation"] == "threaten"]
    assert [(r["object"]["label"], r["modality"], r["event"]["plover"]) for r in threat] == [
        ("Romanian villages", "asserted", "THREATEN")
    ]
    shell = [r for r in rows if r["relation"] == "shell"]
    assert [r["modality"] for r in shell] == ["intended"]


def test_target_one_step_deeper_and_its_event_from_the_object(model_name: str) -> None:
    rows = _rows(
        "Hungary denounced Slovakia's crackdown on Friday.\n\n"
        "Estonia halted economic aid to Moldova on Tuesday.\n\n"
        "Turkey withdrew its troops from Cyprus.\n",
        model_name,
    )
    got = {
        (r["subject"]["label"], r["relation"], r["object"]["label"]): (r["event"] or {}).get(
            "plover"
        )
        for r in rows
    }
    assert got[("Hungary", "denounce", "Slovakia")] == "ACCUSE"  # the object's owner
    assert got[("Estonia", "halt", "Moldova")] == "SANCTION"  # halt + aid: CAMEO 162
    assert got[("Turkey", "withdraw", "Cyprus")] == "RETREAT"  # withdraw + troops: 0872


def test_general_verbs_take_no_deeper_target(model_name: str) -> None:
    # "come" is in the generated CAMEO table but not an event verb of the curated one.
    rows = _rows("Latvia came to Lithuania with a plan.\n", model_name)
    assert not [r for r in rows if r["relation"] == "come"]


def test_coded_event_without_an_actor_target_is_a_row_not_an_edge(model_name: str) -> None:
    text = "Former Greek finance minister Kostas Dimitriou demanded early elections on Monday.\n"
    events = _rows(text, model_name, untargeted=True)
    assert [
        (r["subject"]["label"], r["relation"], r["object_mention"]["text"]) for r in events
    ] == [("Kostas Dimitriou", "demand", "early elections")]
    assert events[0]["event"]["plover"] == "REQUEST"
    assert events[0]["subject"]["country"] == "GRC"
    # Not in the actor graph: no node for "elections".
    from geokg.nlp import load_model

    g = build_graph([Document(id="t", text=text)], nlp=load_model(model_name))
    assert g.number_of_edges() == 0
    assert not any("election" in str(d.get("label", "")).lower() for _, d in g.nodes(data=True))


def test_uncoded_verbs_give_no_untargeted_event(model_name: str) -> None:
    # "visit" is an event verb but "museum" makes no CAMEO event; "like" is no event verb.
    text = "Poland liked the museum.\n"
    assert _rows(text, model_name, untargeted=True) == []


def test_surface_fallback_reads_a_passive_the_right_way_round(model_name: str) -> None:
    got = relations(
        "A temporary camp for Moldovan refugees was attacked by Romanian militiamen on Monday.\n",
        model_name,
    )
    assert ("Romanian militiamen", "attack", "Moldovan refugees", "asserted", False) in got
    assert not any(s == "Moldovan refugees" for s, *_ in got)


def test_talks_held_with_someone_are_one_event_not_two(model_name: str) -> None:
    text = "Estonia held talks with Latvia on Monday.\n"
    assert _rows(text, model_name, untargeted=True) == []
    assert [(r["relation"], r["object"]["label"]) for r in _rows(text, model_name)] == [
        ("talk with", "Latvia")
    ]


def test_demonym_of_an_aggression_noun_is_the_target(model_name: str) -> None:
    got = relations(
        "Estonia condemned Iranian aggression on Monday.\n\n"
        "Finland must be able to deter any future Chinese attack.\n\n"
        "Latvia will continue to resist Belarusian aggression.\n",
        model_name,
    )
    triples = {(s, r, o) for s, r, o, _, _ in got}
    assert ("Estonia", "condemn", "Iran") in triples
    assert ("Finland", "deter", "China") in triples
    assert ("Latvia", "resist", "Belarus") in triples
    assert not any(o.lower().endswith(("aggression", "attack")) for _, _, o in triples)


def test_the_threat_of_an_actor_is_what_a_resisting_verb_targets(model_name: str) -> None:
    got = relations(
        "Latvia's allies would work to counter the threat of Mr Smith.\n\n"
        "Estonia vowed to resist the aggression of Serbia.\n",
        model_name,
    )
    triples = {(s, r, o) for s, r, o, _, _ in got}
    assert ("Latvia's allies", "counter", "Smith") in triples
    assert ("Estonia", "resist", "Serbia") in triples
    # Pressure on Serbia is not Serbia's doing: resisting it targets no one.
    pressure = relations("Estonia vowed to resist pressure on Serbia.\n", model_name)
    assert not any(r == "resist" for _, r, _, _, _ in pressure)


def test_coagents_share_the_relation_and_its_modality(model_name: str) -> None:
    got = relations(
        "The minister said that Nordic allies together with the UK are calling Smith out.\n\n"
        "Estonia, along with Latvia, accused Russia.\n",
        model_name,
    )
    assert ("United Kingdom", "call out", "Smith", "reported", False) in got
    assert ("Nordic allies", "call out", "Smith", "reported", False) in got
    assert ("Latvia", "accuse", "Russia", "asserted", False) in got
    assert ("Estonia", "accuse", "Russia", "asserted", False) in got


def test_reaction_to_a_request_and_the_request_itself(model_name: str) -> None:
    rows = _rows(
        "Smith said Iran must reply to a request for negotiations from Qatar at once.\n\n"
        "Iran rejected an offer from Saudi Arabia.\n\n"
        "Iran rejected the ultimatum from Israel.\n",
        model_name,
    )
    got = {
        (r["subject"]["label"], r["relation"], r["object"]["label"]): (
            r["modality"],
            (r["event"] or {}).get("cameo"),
        )
        for r in rows
    }
    assert got[("Iran", "reply", "Qatar")][0] == "requested"  # "must": an obligation
    assert got[("Qatar", "request", "Iran")] == ("reported", "020")
    assert got[("Iran", "reject", "Saudi Arabia")] == ("asserted", "125")  # reject a proposal
    assert got[("Saudi Arabia", "offer", "Iran")][0] == "asserted"
    assert got[("Israel", "threaten", "Iran")] == ("asserted", "139")  # give an ultimatum
    # The offer is coded once, on its actor target, not again as an untargeted event.
    assert not _rows("Iran rejected an offer from Saudi Arabia.\n", model_name, untargeted=True)


def test_members_of_a_bloc_are_a_group_actor(model_name: str) -> None:
    rows = _rows("Canada pushed European members to raise their defence budgets.\n", model_name)
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    row = got[("Canada", "push", "European members")]
    assert (row["object"]["type"], row["event"]["plover"]) == ("group", "REQUEST")


def test_wanting_someone_to_act_is_a_request_to_them(model_name: str) -> None:
    rows = _rows(
        "Finland wants to see Russia stop its raids on Estonia.\n\n"
        "Latvia wants Lithuania to meet Poland.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    assert got[("Finland", "want", "Russia")]["event"]["plover"] == "REQUEST"
    assert got[("Latvia", "want", "Lithuania")]["event"]["plover"] == "REQUEST"
    assert got[("Lithuania", "meet", "Poland")]["modality"] == "requested"
    assert not any(s == "Finland" and r == "see" for s, r, _ in got)
    assert _rows("Finland wants peace.\n", model_name, untargeted=True) == []


def test_conditional_threats(model_name: str) -> None:
    rows = _rows(
        "Latvia urged Lukashenko to accept the offer and pledged to impose more sanctions if he "
        "rejects the deal.\n\n"
        "Iran will strike if Iraq sends troops across the border.\n\n"
        "Latvia vowed to impose new sanctions on Belarus if Lukashenko refuses the talks.\n\n"
        "Kenya said it will withdraw its troops from Somalia unless the government holds "
        "elections.\n\n"
        "Kenya said it will sign the accord with Somalia if the government holds elections.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    # The threat was made: a fact, while the act it announces stays intended.
    threat = got[("Latvia", "threaten", "Alexander Lukashenko")]
    assert (threat["modality"], threat["event"]["cameo"]) == ("asserted", "1312")
    assert got[("Iran", "threaten", "Iraq")]["event"]["cameo"] == "138"
    # An act with a target of its own threatens that target; the act stays as it is.
    assert got[("Latvia", "impose", "Belarus")]["modality"] == "intended"
    assert got[("Latvia", "threaten", "Belarus")]["event"]["plover"] == "THREATEN"
    # "unless" makes a threat of any act but verbal cooperation; "if" only of a coercive one.
    assert got[("Kenya", "threaten", "Somalia")]["modality"] == "reported"
    assert got[("Kenya", "withdraw", "Somalia")]["event"]["plover"] == "RETREAT"
    assert sum(r == "threaten" for _, r, _ in got) == 4


def test_demands_statements_and_mutual_talks(model_name: str) -> None:
    text = (
        "Norway repeated its demand that Russia free the crew.\n\n"
        "Chile demanded that Peru release the fishermen.\n\n"
        "Norway insisted that Russia would pay.\n\n"
        "NATO issued a statement condemning Russia.\n\n"
        "Chile and Peru resumed talks on Monday.\n"
    )
    got = {
        (r["subject"]["label"], r["relation"], r["object"]["label"]): r
        for r in _rows(text, model_name)
    }
    assert got[("Norway", "demand", "Russia")]["event"]["plover"] == "REQUEST"
    assert got[("Chile", "demand", "Peru")]["event"]["plover"] == "REQUEST"
    assert sum(r == "demand" for _, r, _ in got) == 2  # "insisted that X would" asserts
    assert ("NATO", "condemn", "Russia") in got
    assert got[("Chile", "talk with", "Peru")]["event"]["plover"] == "CONSULT"
    events = {
        (r["subject"]["label"], r["relation"]): r for r in _rows(text, model_name, untargeted=True)
    }
    assert events[("Peru", "release")]["modality"] == "requested"  # asked for, not done


def test_thanks_for_an_act_make_the_thanked_actor_its_agent(model_name: str) -> None:
    rows = _rows(
        "Ministers met in Oslo on Monday.\n\n"
        "I am grateful to Finland for inviting me to the summit in Oslo today.\n"
        "— Jane Roe (@janeroe) May 12, 2025\n\n"
        "Estonia thanked Latvia for supporting Ukraine.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    invite = got[("Finland", "invite", "Jane Roe")]
    assert (invite["modality"], invite["speaker"]["label"]) == ("reported", "Jane Roe")
    assert ("Latvia", "support", "Ukraine") in got
    assert not any(s == "Estonia" and r == "support" for s, r, _ in got)


def test_pressure_on_an_actor(model_name: str) -> None:
    rows = _rows(
        "Nordic allies pile pressure on Lukashenko to free prisoners\n\n"
        "Estonia piled more pressure on Russia to end the war.\n\n"
        "Poland has increased pressure on Belarus over the border.\n\n"
        "Sweden said pressure on Russia was growing.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    assert ("Nordic allies", "pressure", "Alexander Lukashenko") in got
    assert got[("Estonia", "pressure", "Russia")]["event"]["cameo"] == "100"
    assert ("Poland", "pressure", "Belarus") in got
    # The light verb is no relation of its own, and pressure with no agent has none.
    assert not any(r == "increase" for _, r, _ in got)
    assert not any(s == "Sweden" for s, _, _ in got)


def test_plural_pronouns_resolve_to_the_one_recent_group(model_name: str) -> None:
    def triples(text: str) -> dict[tuple[str, str, str], dict[str, Any]]:
        rows = _rows(text, model_name)
        return {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}

    # "X said they ...": X, though another group was named just before.
    got = triples(
        "Nordic leaders met on Monday.\n\n"
        "Several Baltic leaders at the summit said they wanted to see Russia end its raids.\n"
    )
    assert got[("Baltic leaders", "want", "Russia")]["event"]["plover"] == "REQUEST"
    # "We" in the statement of a group is the group.
    got = triples(
        "The defence ministers of the member states met in Riga. They said: 'We support Ukraine.'\n"
    )
    row = got[("Defence ministers of the member states", "support", "Ukraine")]
    assert (row["subject"]["type"], row["modality"]) == ("group", "reported")
    # Two groups were just named: "they" is left alone.
    got = triples("Nordic leaders met Baltic ministers. They accused Russia of lying.\n")
    assert not any(r == "accuse" for _, r, _ in got)


def test_a_reported_judgement_is_criticism_by_the_speaker(model_name: str) -> None:
    rows = _rows(
        "Jane Roe said that Iran was not taking the talks seriously.\n\n"
        "Smith said Iraq had never shown any serious wish to negotiate.\n\n"
        "Jones said: 'We see that Syria clearly wants war.'\n\n"
        "Lebanon wants war.\n\n"
        "Smith said Jordan does not want war.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    row = got[("Jane Roe", "criticise", "Iran")]
    assert (row["modality"], row["negated"], row["event"]["plover"]) == (
        "reported",
        False,
        "ACCUSE",
    )
    assert ("Smith", "criticise", "Iraq") in got
    assert ("Jones", "criticise", "Syria") in got
    assert {o for _, r, o in got if r == "criticise"} == {"Iran", "Iraq", "Syria"}


def test_recognising_land_as_part_of_a_state_supports_that_state(model_name: str) -> None:
    rows = _rows(
        "Officials said Turkey had recognised Abkhazia as a part of Georgia.\n\n"
        "Canada recognised Kosovo.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    row = got[("Turkey", "recognise", "Georgia")]
    assert (row["event"]["plover"], row["event"]["cameo"], row["modality"]) == (
        "SUPPORT",
        "054",
        "reported",
    )
    assert not any(o == "Abkhazia" for _, _, o in got)
    assert ("Canada", "recognise", "Kosovo") in got  # no "as" phrase: the state recognised


def test_it_in_what_a_state_says_is_that_state(model_name: str) -> None:
    rows = _rows(
        "Norway said on Monday it had halted financial aid to Belarus.\n\n"
        "The UN warned it would sanction Iraq.\n\n"
        "Smith said it was time to punish Iran.\n",
        model_name,
    )
    got = {(r["subject"]["label"], r["relation"], r["object"]["label"]): r for r in rows}
    assert got[("Norway", "halt", "Belarus")]["event"]["plover"] == "SANCTION"
    # "warned it would sanction": a backshifted "will", so intended, with its speaker
    sanction = got[("United Nations", "sanction", "Iraq")]
    assert (sanction["modality"], sanction["speaker"]["label"]) == ("intended", "United Nations")
    assert not any(o == "Iran" for _, _, o in got)  # a person's "it" is not the person
