"""Word lists the extractors read: syntax-facing vocabulary, not world knowledge.

World knowledge (countries, office holders, event codes) lives in the data files read by
``geokg.gazetteer`` and ``geokg.events``; these lists say which words play which grammatical role
(speech verbs, control verbs, hedges, role nouns).
"""

from __future__ import annotations

__all__ = [
    "ACTOR_NOUNS",
    "AGGRESSION_NOUNS",
    "COMMITMENT_ADJS",
    "COMMITTING_HEADS",
    "EVENT_NOUNS",
    "INTENT_AUX",
    "INTENT_VERBS",
    "LIGHT_VERBS",
    "NEGATING_HEADS",
    "NEUTRAL_SPEECH",
    "OPPOSING_VERBS",
    "PRONOUNS",
    "PROPOSAL_NOUNS",
    "REACTION_VERBS",
    "REGIONAL_ADJECTIVES",
    "REQUEST_VERBS",
    "ROLE_NOUNS",
    "SPEECH_VERBS",
    "WISH_VERBS",
]

SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "insist",
        "claim",
        "announce",
        "state",
        "declare",
        "report",
        "confirm",
        "suggest",
        "write",
        "tweet",
        "post",
        "note",
        "argue",
        "warn",
        "reiterate",
        "stress",
        "explain",
        "allege",
        "believe",
        "deny",
        "indicate",
        "predict",
        "acknowledge",
        "admit",
        "assert",
        "disclose",
        "reveal",
        "emphasise",
        "emphasize",
    }
)

# Speech verbs that report without acting on anyone: never a relation of their own.
NEUTRAL_SPEECH = frozenset(
    {
        "say",
        "tell",
        "add",
        "insist",
        "state",
        "note",
        "report",
        "write",
        "post",
        "tweet",
        "explain",
        "suggest",
        "believe",
        "indicate",
        "predict",
        "reiterate",
        "stress",
        "argue",
        "confirm",
        "acknowledge",
        "admit",
        "assert",
        "disclose",
        "reveal",
        "emphasise",
        "emphasize",
        "declare",
        "claim",
    }
)

# Verbs whose object (or "on"/"for" argument) controls the subject of their infinitive, and whose
# infinitive is a request rather than a fact: "urged him to accept", "called on X to meet".
REQUEST_VERBS = frozenset(
    {
        "urge",
        "call",
        "ask",
        "press",
        "push",
        "request",
        "demand",
        "encourage",
        "invite",
        "appeal",
        "implore",
        "beg",
        "pressure",
        "pressurise",
        "pressurize",
        "order",
        "instruct",
        "persuade",
        "coax",
        "challenge",
    }
)

INTENT_VERBS = frozenset(
    {
        "pledge",
        "promise",
        "plan",
        "intend",
        "vow",
        "aim",
        "prepare",
        "want",
        "seek",
        "hope",
        "threaten",
        "expect",
        "agree",
        "offer",
        "propose",
        "wish",
        "endeavour",
        "endeavor",
        "try",
        "decide",
    }
)

# Adjectives of readiness whose "to" complement is intended: "is ready to send troops".
COMMITMENT_ADJS = frozenset(
    {"ready", "willing", "prepared", "determined", "committed", "eager", "keen", "resolved"}
)
# Heads whose complement is an act the subject commits itself to (an expressed intent, CAMEO
# 03, when the act is cooperation), unlike a bare "will", a threat or an attempt.
COMMITTING_HEADS = (INTENT_VERBS - {"threaten", "expect", "try", "endeavour", "endeavor"}) | {
    "commit",
    *COMMITMENT_ADJS,
}

# Verbs of wishing: "want X to stop", "wish to see X stop" ask X to act, like "urge X to".
WISH_VERBS = frozenset({"want", "wish", "like", "hope"})

# The words that hedge or negate a clause, and their scopes, are data:
# geokg/data/factuality.tsv (tests/test_factuality.py keeps it covering the lists below).
# Negators and hypothetical auxiliaries live there only.
# Heads whose complement is negated: "refused to meet", "Putin's refusal to meet".
NEGATING_HEADS = frozenset({"refuse", "refusal", "fail", "failure", "decline", "reject"})


INTENT_AUX = frozenset({"will", "shall", "'ll", "wo"})

# Nouns that name an event between actors, with the relation they stand for.
EVENT_NOUNS: dict[str, str] = {
    "talk": "talk with",
    "talks": "talk with",
    "meeting": "meet",
    "summit": "meet",
    "negotiation": "negotiate with",
    "visit": "visit",
    "call": "call",
    "conversation": "talk with",
    "discussion": "talk with",
    "attack": "attack",
    "strike": "strike",
    "invasion": "invade",
    "suspension": "suspend",
    "sanction": "sanction",
    "accusation": "accuse",
    "criticism": "criticise",
    "support": "support",
    "deal": "agree",
    "agreement": "agree",
    "ceasefire": "agree",
    "protest": "protest",
    "riot": "riot",
    "demonstration": "protest",
    "rally": "protest",
}

# Nouns of hostile acts whose demonym is the actor behind them: "Iranian aggression", "a future
# Chinese attack". A verb acting on such a noun acts on that state.
AGGRESSION_NOUNS = frozenset(
    {
        "aggression",
        "attack",
        "attacks",
        "assault",
        "invasion",
        "incursion",
        "offensive",
        "occupation",
        "annexation",
        "strike",
        "strikes",
        "airstrike",
        "airstrikes",
        "bombardment",
        "bombing",
        "shelling",
        "raid",
        "raids",
        "threat",
        "threats",
        "provocation",
        "provocations",
        "interference",
        "meddling",
        "expansionism",
        "encroachment",
        "blockade",
        "advance",
        "advances",
    }
)

# Verbs of resisting or opposing: their target is the aggressor ("resist Serbian attacks",
# "deter a Chinese attack"), even where the event tables have no row for them.
OPPOSING_VERBS = frozenset(
    {
        "resist",
        "deter",
        "counter",
        "oppose",
        "repel",
        "repulse",
        "confront",
        "withstand",
        "thwart",
    }
)

# Verbs of reacting to a request or offer, and the nouns of requests and offers with the verb
# (as the event tables know it) that codes making one: "rejected an offer from X" is a reaction
# to X, and X's offer is an event of its own.
REACTION_VERBS = frozenset(
    {"respond", "reply", "answer", "accept", "reject", "refuse", "welcome", "consider", "turn down"}
)
PROPOSAL_NOUNS: dict[str, str] = {
    "request": "request",
    "offer": "offer",
    "proposal": "propose",
    "invitation": "invite",
    "call": "call for",
    "demand": "demand",
    "ultimatum": "threaten",
}

# "held talks with", "took part in": the noun carries the event, the verb is light.
LIGHT_VERBS = frozenset(
    {
        "hold",
        "have",
        "conduct",
        "take",
        "join",
        "attend",
        "launch",
        "make",
        "mount",
        "stage",
        "open",
        "begin",
        "start",
        "resume",
        "renew",
    }
)

# Heads of role noun phrases: these refer to a person or body acting for a state.
ROLE_NOUNS = frozenset(
    {
        "president",
        "minister",
        "secretary",
        "pm",
        "premier",
        "chancellor",
        "leader",
        "counterpart",
        "diplomat",
        "envoy",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "monarch",
        "governor",
        "general",
        "commander",
        "aide",
        "official",
        "head",
        "chief",
        "foreign secretary",
        "prime minister",
    }
)

# Nouns for institutions that act for a state or organisation.
ACTOR_NOUNS = frozenset(
    {
        "government",
        "administration",
        "ministry",
        "consulate",
        "embassy",
        "army",
        "military",
        "forces",
        "force",
        "troops",
        "navy",
        "delegation",
        "parliament",
        "cabinet",
        "kremlin",
        "regime",
        "authorities",
        "police",
        "court",
        "allies",
        "ally",
        "alliance",
        "coalition",
        "commission",
        "council",
        "officials",
        "mission",
        "service",
        "services",
        # Groups acting for or against a state: a demonym makes them an actor.
        "soldier",
        "soldiers",
        "rebel",
        "rebels",
        "militant",
        "militants",
        "militia",
        "militiamen",
        "settlers",
        "protesters",
        "demonstrators",
        "peacekeepers",
        "fighters",
        "insurgents",
        "guerrillas",
        "separatists",
        "jihadists",
        "extremists",
        "paramilitaries",
        "gunmen",
        "officer",
        "officers",
        "commandos",
        "warplanes",
        "jets",
        "bulldozers",
        # People of a state: "Palestinian refugees", "Algerian landowners", "Chilean officials".
        "refugee",
        "refugees",
        "detainee",
        "detainees",
        "prisoner",
        "prisoners",
        "hostage",
        "hostages",
        "civilian",
        "civilians",
        "citizen",
        "citizens",
        "national",
        "nationals",
        "worker",
        "workers",
        "student",
        "students",
        "farmer",
        "farmers",
        "landowners",
        "villagers",
        "residents",
        "people",  # with a demonym or a place only: "the Chilean people", "people in Lima"
        "fishermen",
        "pilgrims",
        "journalist",
        "journalists",
        "businessman",
        "businessmen",
        "missionary",
        "missionaries",
        "activists",
        "dissidents",
        "opposition",
        "negotiators",
        "observers",
        "monitors",
        "inspectors",
        "diplomats",
        "party",
        "parties",
        # Member states of a bloc: "European members", "Baltic states", "Gulf nations".
        "member",
        "members",
        "states",
        "nations",
        "countries",
    }
)


# Adjectives of regions and blocs: "European allies", "Western governments", "Arab states" are
# groups even though no single state is named.
REGIONAL_ADJECTIVES = frozenset(
    {"european", "western", "arab", "african", "asian", "nordic", "baltic", "gulf", "allied"}
)

PRONOUNS: dict[str, tuple[str | None, bool]] = {
    # pronoun -> (gender, plural)
    "he": ("m", False),
    "him": ("m", False),
    "his": ("m", False),
    "himself": ("m", False),
    "she": ("f", False),
    "her": ("f", False),
    "hers": ("f", False),
    "herself": ("f", False),
    "they": (None, True),
    "them": (None, True),
    "their": (None, True),
}
