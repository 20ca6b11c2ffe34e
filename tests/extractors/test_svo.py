"""svo.v1 on hand-built parses: both label schemes must give the same relations."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from geokg.events import code_event
from geokg.extractors import build_view, normalise_arcs
from geokg.extractors import extract_spacy_doc as _extract_spacy_doc
from geokg.gazetteer import Gazetteer
from geokg.graph.policy import resolve_relations
from geokg.model import Document, Relation
from tests.extractors._docs import ALL, COAGENTS, GRATITUDE, JUDGEMENT, PLURAL, Parse

Row = tuple[str, str, str, bool, str, str | None]

#: This file pins svo.v1 (the rules svo.v2 replaced, kept for comparison); tests/extractors/
#: test_svo2.py runs svo.v2 over the same parses.
extract_spacy_doc = partial(_extract_spacy_doc, extractor="svo.v1")


def rows(parse: Parse, scheme: str) -> list[Row]:
    sdoc = parse.doc(scheme)
    doc = Document(id="t", text=sdoc.text)
    result = extract_spacy_doc(doc, sdoc)
    out = [_row(r) for r in result.relations]
    for r in result.relations:  # offsets index the document text
        assert doc.text[r.subject.start : r.subject.end] == r.subject.text
        assert doc.text[r.object.start : r.object.end] == r.object.text
        assert doc.text[r.span[0] : r.span[1]] == r.sentence
    return sorted(out)


def _row(r: Relation) -> Row:
    return (
        r.subject.name,
        r.relation,
        r.object.name,
        r.negated,
        r.modality,
        r.speaker.name if r.speaker else None,
    )


EXPECTED: dict[str, list[Row]] = {
    "accuse": [("Starmer", "accuse", "Putin", False, "asserted", None)],
    "passive_agent": [("Starmer", "accuse", "Putin", False, "asserted", None)],
    "reported_passive": [
        ("Sikorski", "close", "the Russian consulate", False, "reported", "Sikorski")
    ],
    "control": [
        ("Lammy", "urge", "Putin", False, "asserted", None),
        ("Putin", "talk with", "Zelensky", False, "requested", None),
    ],
    "negated": [("Putin", "meet", "Zelensky", True, "negated", None)],
    "conj_objects": [
        ("Russia", "attack", "Georgia", False, "asserted", None),
        ("Russia", "attack", "Ukraine", False, "asserted", None),
    ],
    "descriptor": [("Radoslaw Sikorski", "criticise", "Russia", False, "asserted", None)],
    # The demonym of an aggression noun names the state the verb acts on.
    "demonym_object": [("Estonia", "resist", "Serbia", False, "intended", None)],
    "demonym_oblique": [("Finland", "fight", "China", False, "intended", None)],
    # A verb that is neither an event nor one of resisting takes no such target.
    "demonym_uncoded_verb": [],
    # "the threat of/from X" after a resisting verb: X; the subject through "work to".
    "threat_of": [("Latvia 's allies", "counter", "Smith", False, "hypothetical", None)],
    # "insisted (that) X would counter": a backshifted "will" of the speaker's, so intended.
    "threat_from_misparsed": [("Latvia 's allies", "counter", "Smith", False, "intended", "Nowak")],
    "conj_of_noun": [
        ("Latvia", "counter", "Smith", False, "intended", None),
        # "send troops" is coded by the generated table (CAMEO.2.0 "- * TROOP"), which fills
        # the objects the curated "send" rules leave out: an event with no actor target.
        ("Latvia", "send", "troops", False, "intended", None),
    ],
    # A reaction to a request is a relation to the requester; the request happened whatever
    # the reaction's modality ("must respond"), or its negation ("did not accept").
    "request_from": [
        ("Iran", "respond", "Qatar", False, "requested", None),  # "must": an obligation
        ("Qatar", "request", "Iran", False, "asserted", None),
    ],
    "invitation_poss": [
        ("Iran", "accept", "Qatar", True, "negated", None),
        ("Qatar", "invite", "Iran", False, "asserted", None),
    ],
    # The members of a bloc are a group actor, like "European allies".
    "bloc_members": [("Estonia", "accuse", "Baltic members", False, "asserted", None)],
    # "wants to see X do Y" asks X to act, as "urged X to do Y".
    # "reaffirmed Estonia's support": Estonia's own act, not a target of the reaffirming (an
    # event with no actor target)
    "reaffirm_owner": [("Latvia", "reaffirm", "Estonia 's support", False, "asserted", None)],
    # ClearNLP's "with Peru to discuss": Peru is whom Chile met, the talk a purpose (intended)
    "met_with_to": [
        ("Chile", "discuss", "trade", False, "intended", None),
        ("Chile", "meet with", "Peru", False, "asserted", None),
    ],
    "surface_and": [],  # no "Chile arm Peru" across the coordination
    # asking a banker asks no one of Peru: an event with no actor target
    "surface_own_object": [("Chile", "ask", "a Peru banker", False, "asserted", None)],
    "hyphen_name": [("Lee", "meet with", "Han Duck-soo", False, "asserted", None)],
    "linking_role": [],  # becoming Deputy Coordinator is a role, no act
    # attending a meeting of OPEC is no consultation with OPEC (the event itself has no target)
    "attend_meeting_of": [("Chile", "attend", "the meetings", False, "asserted", None)],
    "object_control": [
        ("Latvia", "urge", "Lithuania", False, "asserted", None),
        ("Lithuania", "meet", "Poland", False, "requested", None),
    ],
    "want_to_see": [
        ("Finland", "want", "Russia", False, "asserted", None),
        ("Russia", "meet", "Estonia", False, "requested", None),
    ],
    # An intended coercive act on a condition threatens the condition's subject; the act stays.
    # The threat itself is a fact: it was made.
    "cond_sanctions": [
        ("Latvia", "impose", "sanctions", False, "intended", None),
        ("Latvia", "threaten", "Smith", False, "asserted", None),
    ],
    "cond_strike": [("Iran", "threaten", "Iraq", False, "asserted", None)],
    # "piled pressure on X" pressures X, in a sentence or in a headline of nouns.
    "pressure_on": [("Estonia", "pressure", "Russia", False, "asserted", None)],
    # Recognising land as part of a state supports that state's claim, not the land.
    "recognise_part_of": [("Canada", "recognise", "Georgia", False, "asserted", None)],
    "recognise_demonym": [("Canada", "recognise", "Georgia", False, "asserted", None)],
    "recognise_as_partner": [("Canada", "recognise", "Kosovo", False, "asserted", None)],
    # "it" in what a state says is that state; in what a person says, no one.
    "it_said": [("Norway", "halt", "Belarus", False, "reported", "Norway")],
    "it_said_person": [],
    "pressure_headline": [("Baltic allies", "pressure", "Smith", False, "asserted", None)],
    # An act with an actor target of its own threatens that target, not the condition's subject.
    # A demand whose clause names who is to act asks that actor; the act is requested.
    "demand_noun": [
        ("Norway", "demand", "Russia", False, "asserted", None),
        ("Russia", "release", "Smith", False, "requested", None),
    ],
    "demand_clause": [
        ("Norway", "demand", "Russia", False, "asserted", None),
        ("Russia", "release", "Smith", False, "requested", None),
    ],
    "insist_asserts": [("Russia", "release", "Smith", False, "intended", "Norway")],
    "statement_participle": [("NATO", "condemn", "Russia", False, "asserted", None)],
    "act_subject": [("US", "kill", "Smith", False, "asserted", None)],
    "non_act_subject": [],
    # The conditional act is hypothetical; the threat it makes was made.
    "would_if": [
        ("Norway", "sanction", "Russia", False, "hypothetical", "Norway"),
        ("Norway", "threaten", "Russia", False, "reported", "Norway"),
    ],
    "mutual_talks": [("Chile", "negotiate with", "Peru", False, "asserted", None)],
    "invasion_of": [("Chile", "invade", "Peru", False, "asserted", None)],
    "day_subject": [("Chile", "expel", "Smith", False, "asserted", None)],
    # The commitment is kept as an event whose object is the act's theme, not an actor.
    "agree_to_act": [
        ("Chile", "agree", "the vote", False, "asserted", None),
        ("Chile", "postpone", "the vote", False, "intended", None),
    ],
    "cond_targeted": [
        ("Latvia", "impose", "Belarus", False, "intended", None),
        ("Latvia", "threaten", "Belarus", False, "asserted", None),
        ("Latvia", "vow", "Belarus", False, "asserted", None),
    ],
    # The name and the day the parser cut off are the clause's subject and time again.
    "fragment_lead": [("Chile", "expel", "Smith", False, "asserted", None)],
    "fragment_closed": [],
    "demonym_event": [("Chile", "protest", "Peru", False, "asserted", None)],
    "demonym_event_label": [],
    "rally_with": [],
    "local_group": [("Protesters in Lima", "attack", "Chilean soldiers", False, "asserted", None)],
    "troops_in_place": [],
    "quantity_of": [("Peruvians", "attack", "Chilean soldiers", False, "asserted", None)],
    "purpose": [("Chile", "blockade", "Peru", False, "intended", None)],
    "warning_must": [("Chile", "demand", "Peru", False, "asserted", None)],
    "reminder_fact": [],
    "named_body": [("Nato", "condemn", "Russia", False, "asserted", None)],
    "aid_payments": [("Chile", "suspend", "aid payments", False, "asserted", None)],
    # The rebels made the demands: no "Chile demand Peru" read off the noun "demands". Accepting
    # demands is itself an event (CAMEO 080), with no actor target.
    "parsed_verb_first": [("Chile", "accept", "demands", False, "asserted", None)],
    # "with Peru" hung on the verb is still the talks' partner: one event, from the parse
    "light_verb_surface": [("Chile", "talk with", "Peru", False, "asserted", None)],
    # (no "Chile impose Arica" off the surface: the parse gives "impose" its object)
    "curfew_in": [("Chile", "impose", "a curfew", False, "asserted", None)],
    "purpose_place": [
        ("Chile", "meet", "Peru", False, "intended", None),
        ("Chile", "send", "Lima", False, "asserted", None),
    ],
    "place_barrier": [("Chile", "condemn", "Peru", False, "asserted", None)],
    # The group is its appositive's name; the clause of its demands is requested of Peru.
    "insist_on_demands": [
        ("Liberation Front", "demand", "Peru", False, "asserted", None),
        ("Peru", "free", "Smith", False, "requested", None),
    ],
    "agentless_passive": [],  # not "Lima arrest Chile" off the surface
    # The parse gives the owner as the target (no untargeted "support the rights" row).
    "rights_of": [("Chile", "support", "Peruvians", False, "asserted", None)],
    "pledge_aid": [("Chile", "send", "Peru", False, "intended", None)],
    "ready_aid": [("Chile", "send", "Peru", False, "intended", None)],
    "will_aid": [("Chile", "send", "Peru", False, "intended", None)],
    "declare_ceasefire": [("Chile", "declare", "a ceasefire", False, "asserted", None)],
    "pro_stance": [],  # no "Peruvian rebels" acting for Peru
    "split_org": [("al-Qaeda", "attack", "Chile", False, "asserted", None)],
    "local_by_clause": [("Protesters", "block", "roads", False, "asserted", None)],
    "lift_sanctions": [("Chile", "lift", "Peru", False, "asserted", None)],  # no "sanction"
    "called_off": [  # no "call Peru": calling off the talks with Peru is the event
        ("Chile", "call off", "talks", False, "asserted", None),
        ("Chile", "call off", "Peru", False, "asserted", None),
    ],
    "hyphen_ceasefire": [("Chile", "declare", "a cease-fire", False, "asserted", None)],
    "not_want": [("Chile", "attack", "Peru", True, "intended", None)],
    "whether_willing": [("Peru", "meet", "Chile", False, "hypothetical", None)],
    # "it" is Chile's, and the place left is the target (not a "neighbour" object)
    "it_willing": [("Chile", "withdraw", "Peru", False, "intended", "Chile")],
    "hack_officers": [("Chile", "hack", "South Korean officers", False, "asserted", None)],
    "suspension_with": [("Chile", "suspend", "Peru", False, "asserted", None)],
    "day_denounced": [("Chile", "denounce", "Peru", False, "asserted", None)],
    "for_talks": [],  # no "Lima talk Peru" off the surface
    "demand_ease": [("Chile", "demand", "Peru", False, "asserted", None)],
    # not "Chile suspect to Bolivia": the rebels are extradited
    "suspected_extradited": [
        ("Chile", "extradite", "suspected Peruvian rebels", False, "asserted", None)
    ],
    "noun_vetoed": [("Chile", "veto", "Peru", False, "asserted", None)],
    "lone_official": [("A Peruvian official", "accuse", "Chile", False, "asserted", None)],
    "the_official": [],  # no state named: too vague for a node
    "defiance": [("villagers", "block", "Chilean authorities", False, "asserted", None)],
    "lead_swallowed": [("Chile", "accuse", "Peru", False, "asserted", None)],
    "lead_with": [],  # no "Chile agree with the signing"
    "protest_purpose": [("Protesters in Lima", "block", "Chile", False, "asserted", None)],
    # the untargeted protest only: Cusco is where they head, not whom they oppose
    "protest_destination": [("Protesters in Lima", "block", "a road", False, "asserted", None)],
}


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_relations_per_scheme(name: str, scheme: str) -> None:
    assert rows(ALL[name], scheme) == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(ALL))
def test_both_schemes_normalise_to_the_same_tree(name: str) -> None:
    ud = build_view(ALL[name].doc("ud"))
    clear = build_view(ALL[name].doc("clear"))

    # Names may be headed differently (first token in UD, last in ClearNLP); everything the
    # extractors read outside names must agree.
    def arcs(view: object) -> set[tuple[int, str, int]]:
        v = view  # type: ignore[assignment]
        return {
            (t.i, t.dep, t.head)
            for t in v.toks  # type: ignore[attr-defined]
            if t.ent < 0 and t.dep not in ("flat", "compound", "nmod:desc", "aux")
        }

    assert arcs(ud) == arcs(clear)


def test_descriptor_gives_role_and_country() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["descriptor"].doc(scheme)
        result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc)
        subj = result.relations[0].subject
        assert subj.text == "Polish foreign minister Radoslaw Sikorski"
        assert subj.role == "foreign minister"
        assert subj.country == "POL"


def test_accuse_keeps_the_complement_as_detail() -> None:
    sdoc = ALL["accuse"].doc("clear")
    rel = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations[0]
    assert rel.detail == "of lying"


def test_prep_pobj_becomes_obl_with_case() -> None:
    heads, deps = normalise_arcs(
        [1, 1, 1, 2], ["nsubj", "ROOT", "prep", "pobj"], ["PROPN", "VERB", "ADP", "PROPN"]
    )
    assert deps == ["nsubj", "root", "case", "obl"]
    assert heads == [1, 1, 3, 1]


def test_relation_ids_are_stable() -> None:
    sdoc = ALL["conj_objects"].doc("ud")
    doc = Document(id="t", text=sdoc.text)
    a = [r.id for r in extract_spacy_doc(doc, sdoc).relations]
    b = [r.id for r in extract_spacy_doc(doc, ALL["conj_objects"].doc("ud")).relations]
    assert a == b
    assert len(set(a)) == 2


def test_sentence_over_the_limit_is_skipped_and_counted() -> None:
    sdoc = ALL["accuse"].doc("ud")
    result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc, max_sentence_chars=10)
    assert result.relations == ()
    assert result.skipped_sentences == 1


def test_paragraphs_fed_one_at_a_time_give_what_the_whole_list_gives() -> None:
    from geokg.extractors import DocExtraction, extract_doc

    first, second = ALL["accuse"].doc("ud"), ALL["passive_agent"].doc("ud")
    text = first.text + "\n" + second.text
    doc = Document(id="t", text=text)
    chunks = [(0, first), (len(first.text) + 1, second)]
    run = DocExtraction(doc, extractor="svo.v1")
    for offset, sdoc in chunks:
        run.add(offset, sdoc)
    assert run.finish() == extract_doc(doc, list(reversed(chunks)), extractor="svo.v1")
    late = DocExtraction(doc)
    late.add(chunks[1][0], second)
    with pytest.raises(ValueError, match="feed them in order"):
        late.add(0, first)


def test_demonym_target_is_the_state_over_the_modifier_text() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["demonym_object"].doc(scheme)
        doc = Document(id="t", text=sdoc.text)
        (rel,) = extract_spacy_doc(doc, sdoc).relations
        assert (rel.object.text, rel.object.label, rel.object.country) == ("Serbian", "GPE", "SRB")
        assert doc.text[rel.object.start : rel.object.end] == "Serbian"


@pytest.mark.parametrize(
    ("name", "relation", "place"),
    [
        ("curfew_in", "impose", ("Arica", "CHL")),  # the untargeted event: the curfew's place
        ("purpose_place", "meet", ("Lima", "PER")),  # from the head of the purpose clause
        ("purpose_place", "send", None),  # Lima is the object, not also the place
        ("place_barrier", "condemn", None),  # the riots' place, behind "after"
        ("local_group", "attack", None),  # the subject's "in Lima" is who, not where
    ],
)
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_place_is_where_the_event_happens(
    name: str, relation: str, place: tuple[str, str] | None, scheme: str
) -> None:
    sdoc = ALL[name].doc(scheme)
    doc = Document(id="t", text=sdoc.text)
    rels = [r for r in extract_spacy_doc(doc, sdoc).relations if r.relation == relation]
    if name == "curfew_in":
        rels = [r for r in rels if r.object.kind == "theme"]
    (rel,) = rels
    got = (rel.place.name, rel.place.country) if rel.place else None
    assert got == place
    if rel.place is not None:
        assert doc.text[rel.place.start : rel.place.end] == rel.place.text


@pytest.mark.parametrize(
    ("name", "cameo"),
    [
        ("pledge_aid", "0333"),  # a pledge to send aid: an intent expressed (CAMEO 03)
        ("ready_aid", "0333"),  # "is ready to" commits as a pledge does
        ("will_aid", "073"),  # a bare "will" announces the aid itself
        ("purpose", "191"),  # a purpose is intended, but no cooperation is promised
    ],
)
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_committed_cooperation_is_coded_as_intent(name: str, cameo: str, scheme: str) -> None:
    sdoc = ALL[name].doc(scheme)
    result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc)
    (resolved,) = resolve_relations(result, Gazetteer.default(), Counter())
    assert resolved.relation.event is not None
    assert resolved.relation.event.cameo == cameo


@pytest.mark.parametrize(
    ("name", "cameo", "target_country"),
    [
        ("it_willing", "0356", "PER"),  # willing to withdraw: an intent to yield
        ("hack_officers", "170", "KOR"),  # "South Korean" is one demonym
        ("suspension_with", "172", "PER"),  # coded as suspending links (CAMEO.2.0 [172])
        ("day_denounced", "111", "PER"),
        ("demand_ease", "100", "PER"),
        ("suspected_extradited", "063", "PER"),
        ("noun_vetoed", "129", "PER"),
        ("defiance", "144", "CHL"),  # blocking highways is a protest (CAMEO 144)
    ],
)
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_resolved_event_and_target(name: str, cameo: str, target_country: str, scheme: str) -> None:
    sdoc = ALL[name].doc(scheme)
    result = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc)
    (resolved,) = resolve_relations(result, Gazetteer.default(), Counter())
    assert resolved.relation.event is not None
    assert resolved.relation.event.cameo == cameo
    assert resolved.object is not None
    assert resolved.object.country == target_country


def test_a_lone_official_acts_for_the_state_of_the_demonym() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["lone_official"].doc(scheme)
        (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
        assert rel.subject.country == "PER"
        assert not rel.subject.plural


def test_people_counted_twice_over_are_local_to_their_clause_place() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["defiance"].doc(scheme)
        (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
        assert rel.subject.country == "PER"  # a crowd counted twice over, in Lima


def test_a_subject_swallowed_by_the_lead_is_read_from_the_parse() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["lead_swallowed"].doc(scheme)
        assert build_view(sdoc).toks[4].dep == "nsubj"
        (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
        assert rel.confidence > 0.4  # parsed, not read off the surface


def test_local_people_take_the_state_of_their_clause_place() -> None:
    for scheme in ("ud", "clear"):
        sdoc = ALL["local_by_clause"].doc(scheme)
        (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
        assert rel.subject.country == "PER"
        assert rel.place is not None
        assert rel.place.country == "PER"


COAGENT_EXPECTED: dict[str, list[Row]] = {
    "along_with": [
        ("Estonia", "accuse", "Russia", False, "asserted", None),
        ("Latvia", "accuse", "Russia", False, "asserted", None),
    ],
    "together_with": [
        ("Estonia", "accuse", "Russia", False, "asserted", None),
        ("Latvia", "accuse", "Russia", False, "asserted", None),
    ],
    "alongside": [
        ("Estonia", "condemn", "Russia", False, "asserted", None),
        ("Latvia", "condemn", "Russia", False, "asserted", None),
    ],
    # After the verb, "together with" names the partner, not a second agent.
    "worked_together_with": [("Estonia", "work with", "Latvia", False, "asserted", None)],
}


@pytest.mark.parametrize("name", sorted(COAGENTS))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_coagents_act_with_the_subject(name: str, scheme: str) -> None:
    assert rows(COAGENTS[name], scheme) == sorted(COAGENT_EXPECTED[name])


@pytest.mark.parametrize(
    ("name", "act", "cameo"),
    [("cond_sanctions", "impose sanctions", "1312"), ("cond_strike", "strike", "138")],
)
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_conditional_threat_is_coded_by_the_threatened_act(
    name: str, act: str, cameo: str, scheme: str
) -> None:
    sdoc = ALL[name].doc(scheme)
    rels = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
    (threat,) = [r for r in rels if r.relation == "threaten"]
    assert threat.detail == act
    event = code_event(threat.relation, object_head=threat.object.head, detail=threat.detail)
    assert event is not None
    assert (event.cameo, event.plover) == (cameo, "THREATEN")


_SIGNATURE = "\n— Jane Roe (@janeroe) May 1, 2025\n"


def signed_rows(parse: Parse, scheme: str) -> list[Row]:
    """Relations of ``parse`` posted with a signature line under it (an embedded post)."""
    from geokg.extractors import DocExtraction

    sdoc = parse.doc(scheme)
    run = DocExtraction(Document(id="t", text=sdoc.text + _SIGNATURE), extractor="svo.v1")
    run.add(0, sdoc)
    return sorted(_row(r) for r in run.finish().relations)


GRATITUDE_EXPECTED: dict[str, list[Row]] = {
    "thanked_for": [
        ("Estonia", "thank", "Latvia", False, "reported", "Jane Roe"),
        ("Latvia", "support", "Ukraine", False, "reported", "Jane Roe"),
    ],
    "grateful_me": [("Finland", "invite", "Jane Roe", False, "reported", "Jane Roe")],
}


@pytest.mark.parametrize("name", sorted(GRATITUDE))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_the_thanked_actor_did_the_act_and_me_is_the_signer(name: str, scheme: str) -> None:
    assert signed_rows(GRATITUDE[name], scheme) == sorted(GRATITUDE_EXPECTED[name])


@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_first_person_outside_a_quote_or_post_is_no_actor(scheme: str) -> None:
    sdoc = GRATITUDE["grateful_me"].doc(scheme)
    rels = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
    assert [r.object.kind for r in rels] == ["theme"]  # an event with no actor target
    assert rows(GRATITUDE["thanked_for"], scheme) == [
        ("Estonia", "thank", "Latvia", False, "asserted", None),
        ("Latvia", "support", "Ukraine", False, "asserted", None),
    ]


@pytest.mark.parametrize("name", ["pressure_on", "pressure_headline"])
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_pressure_on_is_coded_as_a_demand_apart_from_the_plain_verb(name: str, scheme: str) -> None:
    sdoc = ALL[name].doc(scheme)
    (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
    event = code_event(rel.relation, object_head=rel.object.head, detail=rel.detail)
    assert event is not None
    assert (event.cameo, event.plover) == ("100", "REQUEST")  # CAMEO.2.0 "STEP UP PRESSURE"
    plain = code_event("pressure", object_head=rel.object.head)
    assert plain is not None
    assert plain.cameo == "170"


def test_a_surface_reading_is_trusted_less_than_a_parsed_one() -> None:
    def confidence(name: str) -> float:
        sdoc = ALL[name].doc("ud")
        (rel,) = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
        return rel.confidence

    # The same pressure, parsed as a clause, and read off a headline the tagger took for nouns.
    assert confidence("pressure_headline") < 0.5 <= confidence("pressure_on")


PLURAL_EXPECTED: dict[str, list[Row]] = {
    "they_one_group": [("Nordic leaders", "accuse", "Russia", False, "asserted", None)],
    # Two groups compete: "they" stays a pronoun (which the resolver leaves unresolved).
    "they_two_groups": [
        ("Nordic leaders", "meet", "Baltic ministers", False, "asserted", None),
        ("they", "accuse", "Russia", False, "asserted", None),
    ],
    # People are never "they".
    "they_person": [
        ("Smith", "meet", "Jones", False, "asserted", None),
        ("they", "accuse", "Russia", False, "asserted", None),
    ],
    "they_matrix": [("Nordic leaders", "back", "Ukraine", False, "reported", "Nordic leaders")],
    "we_group": [("Nordic leaders", "back", "Ukraine", False, "reported", "Nordic leaders")],
    # A person's "we" is not the person: no actor.
    "we_person": [],
}


@pytest.mark.parametrize("name", sorted(PLURAL))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_plural_pronouns_stand_for_one_recent_group(name: str, scheme: str) -> None:
    assert rows(PLURAL[name], scheme) == sorted(PLURAL_EXPECTED[name])


def test_they_reaches_back_two_sentences_at_most() -> None:
    from geokg.extractors import DocExtraction

    group = PLURAL["they_one_group"].doc("ud")
    other = ALL["accuse"].doc("ud")
    # The group (sentence 1), two sentences about people, then "they" three sentences on.
    parts = [group[:4].as_doc(), other, other, group[4:].as_doc()]
    text = "\n".join(p.text for p in parts)
    run = DocExtraction(Document(id="t", text=text))
    pos = 0
    for p in parts:
        run.add(pos, p)
        pos += len(p.text) + 1
    rels = run.finish().relations
    assert {r.subject.name for r in rels if r.object.name == "Russia"} == {"they"}


JUDGEMENT_EXPECTED: dict[str, list[Row]] = {
    "wants_war": [("Smith", "criticise", "Iran", False, "reported", "Smith")],
    "not_serious": [("Smith", "criticise", "Iran", False, "reported", "Smith")],
    "unreported": [],
    "not_wanting": [],
}


@pytest.mark.parametrize("name", sorted(JUDGEMENT))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_a_reported_judgement_is_criticism_by_the_speaker(name: str, scheme: str) -> None:
    assert rows(JUDGEMENT[name], scheme) == sorted(JUDGEMENT_EXPECTED[name])


# The construction each parse exercises: its relations name it as their rule (issue 15).
RULE_OF = {
    "accuse": "svo.verb_object",
    "passive_agent": "svo.passive_agent",
    "reported_passive": "svo.passive_announced",
    "pressure_on": "svo.pressure",
    "pressure_headline": "svo.surface_pressure",
    "day_denounced": "svo.surface_verb",
    "mutual_talks": "svo.light_verb_mutual",
    "cond_strike": "svo.conditional_threat",
    "demand_clause": "svo.demand_clause",
    "demand_ease": "svo.demand_noun",
    "demonym_event": "svo.noun_modifier",
    "request_from": "svo.reaction",
    "recognise_part_of": "svo.sovereign",
    "demonym_object": "svo.deep_target",
    "declare_ceasefire": "svo.untargeted_event",
    "agree_to_act": "svo.matrix_untargeted",
}


@pytest.mark.parametrize("name", sorted(RULE_OF))
@pytest.mark.parametrize("scheme", ["ud", "clear"])
def test_each_relation_names_the_construction_that_made_it(name: str, scheme: str) -> None:
    sdoc = ALL[name].doc(scheme)
    relations = extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations
    assert RULE_OF[name] in {r.rule for r in relations}


def test_every_relation_has_a_documented_rule() -> None:
    from pathlib import Path

    from geokg.extractors.svo import RULES

    outputs = (Path(__file__).resolve().parents[2] / "docs" / "OUTPUTS.md").read_text("utf-8")
    assert all(f"`{rule}`" in outputs for rule in RULES)
    for parse in ALL.values():
        for scheme in ("ud", "clear"):
            sdoc = parse.doc(scheme)
            for r in extract_spacy_doc(Document(id="t", text=sdoc.text), sdoc).relations:
                assert r.rule in RULES, r
