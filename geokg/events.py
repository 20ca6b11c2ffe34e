"""PLOVER/CAMEO event coding of relations, from the verb and phrase dictionaries in ``geokg/data``.

``verbs.tsv`` (curated) maps a relation lemma, optionally restricted by the object's head lemma
and by words in the relation's detail, to a CAMEO code; ``verbs_cameo.tsv`` has the same columns
and is generated from PETRARCH's ``CAMEO.2.0.txt`` by ``scripts/build_verbs.py``. The curated
file wins: a lemma with any rule in ``verbs.tsv`` (in either spelling, "criticise"/"criticize")
ignores the rules of ``verbs_cameo.tsv``, so curated coding never changes; other lemmas use the
generated rules. The one exception fills gaps, never overrides: a curated lemma none of whose
rules codes a plain use ("suspend" only with aid or talks) takes the generated rules for the
objects it does not name ("suspend" + "links"). A rule whose code is ``---`` means "no event": when it is the best match the
relation gets none ("halt the search"). ``cameo.tsv`` gives each code its name, Goldstein score,
QuadClass and PLOVER category; codes without a PLOVER category (CAMEO 01, statements) give no
event either. An unknown verb gets no event: never a guess.

Rule order for one lemma: a row whose object heads *and* detail words match, then object heads
only, then detail only, then the plain lemma; among detail rules the longest matching phrase
wins ("war crimes" over "crime"). Detail words match whole words, with an optional plural "s".
Object heads are compared as lemmas (a plural "diplomats" matches "diplomat"). British and
American spellings are both accepted ("recognize" = "recognise", "criticize" = "criticise").

>>> code_event("accuse")
Event(plover='ACCUSE', cameo='112', quad_class=3, goldstein=-2.0)
>>> code_event("close", object_head="consulate").plover
'SANCTION'
>>> code_event("frobnicate") is None
True
>>> code_event("extradite").cameo
'063'
>>> code_event("halt", object_head="search") is None
True
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

from geokg.errors import ConfigError
from geokg.model import Event

__all__ = [
    "PLOVER_CATEGORIES",
    "CameoCode",
    "VerbRule",
    "cameo_codes",
    "code_event",
    "curated_lemmas",
    "event_for_code",
    "intent_event",
    "phrase_known",
    "polarity",
    "quad_class_of",
    "verb_rules",
]

#: The CAMEO "code" of a rule that explicitly gives no event (``[---]`` in CAMEO.2.0).
NO_EVENT = "---"

#: The 16 PLOVER event categories (PLOVER codebook, ``PLOVER_structured_codebook_updated.csv``).
PLOVER_CATEGORIES: frozenset[str] = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CameoCode:
    """One row of ``cameo.tsv``."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class VerbRule:
    """One row of ``verbs.tsv`` or of the generated ``verbs_cameo.tsv``.

    ``cameo`` is a code of ``cameo.tsv`` or ``---`` (no event for this lemma, object or detail);
    ``source`` names the CAMEO.2.0 verb block or the curator's reason.
    """

    lemma: str
    object_heads: frozenset[str]
    detail: tuple[str, ...]
    cameo: str
    source: str


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("geokg") / "data" / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


@functools.cache
def cameo_codes() -> dict[str, CameoCode]:
    """Every CAMEO code of ``cameo.tsv`` by code (loaded once)."""
    out: dict[str, CameoCode] = {}
    for r in _rows("cameo.tsv"):
        out[r["code"]] = CameoCode(
            code=r["code"],
            name=r["name"],
            goldstein=float(r["goldstein"]),
            quad_class=int(r["quad_class"]),
            plover=r["plover"] or None,
        )
    return out


@functools.cache
def verb_rules() -> dict[str, tuple[VerbRule, ...]]:
    """The rules of ``verbs.tsv`` and ``verbs_cameo.tsv`` by lemma, most specific first (loaded once).

    A lemma of ``verbs.tsv`` (in any spelling :func:`code_event` tries) takes no rule from
    ``verbs_cameo.tsv``, except where every curated rule of it names objects or words (no plain
    use is coded): then the generated rules for other objects are added ("suspend" codes "aid"
    and "talks" as curated, "links" as generated), never a plain or a detail rule.

    Raises:
        ConfigError: A row uses a code that is neither in ``cameo.tsv`` nor ``---``.
    """
    curated = _read_rules("verbs.tsv")
    generated = _read_rules("verbs_cameo.tsv")
    by_lemma: dict[str, list[VerbRule]] = {}
    for rule in curated:
        by_lemma.setdefault(rule.lemma, []).append(rule)
    known = set(by_lemma)
    # Curated lemmas with no rule of their own for a plain use code only the objects they list;
    # the generated table may fill in the objects they leave out ("suspend" + "link").
    partial = {
        lemma for lemma, rules in by_lemma.items() if all(r.object_heads or r.detail for r in rules)
    }
    for rule in generated:
        spellings = _spellings(rule.lemma)
        if not known.isdisjoint(spellings):
            curated_rules = [r for k in spellings for r in by_lemma.get(k, ()) if r in curated]
            if (
                partial.isdisjoint(spellings)
                or not rule.object_heads
                or rule.detail
                or any(
                    _singular(h) & r.object_heads for h in rule.object_heads for r in curated_rules
                )
            ):
                continue  # the curated rules of this lemma decide
        by_lemma.setdefault(rule.lemma, []).append(rule)
    return {
        lemma: tuple(sorted(rules, key=lambda x: (-_specificity(x), x.cameo)))
        for lemma, rules in sorted(by_lemma.items())
    }


@functools.cache
def curated_lemmas() -> frozenset[str]:
    """The lemmas of the curated ``verbs.tsv`` (the event verbs the extractors were tuned on).

    The extractors' looser readings (a speaker as the agent of an agentless passive, a target
    one step deeper, a headline verb read from the surface) fire only for these: the
    generated table knows thousands of general verbs ("come", "get", "point") for which
    those readings are wrong far more often than right.

    >>> "accuse" in curated_lemmas(), "come" in curated_lemmas()
    (True, False)
    """
    return frozenset(rule.lemma for rule in _read_rules("verbs.tsv"))


def phrase_known(relation: str, object_head: str) -> bool:
    """Whether a rule codes ``relation`` with this object head ("halt" + "aid", "grant" +
    "asylum"): a verb and object that together name an event, in either table.

    >>> phrase_known("grant", "asylum"), phrase_known("come", "home")
    (True, False)
    """
    heads = _singular(object_head.lower().strip())
    for key in _spellings(relation):
        for rule in verb_rules().get(key, ()):
            if rule.cameo != NO_EVENT and not heads.isdisjoint(rule.object_heads):
                return True
    return False


def _read_rules(name: str) -> list[VerbRule]:
    codes = cameo_codes()
    out: list[VerbRule] = []
    for r in _rows(name):
        if r["cameo"] not in codes and r["cameo"] != NO_EVENT:
            raise ConfigError(
                f"{name}: {r['lemma']!r} uses CAMEO {r['cameo']!r}, which is not in cameo.tsv; "
                "fix the code or regenerate cameo.tsv with scripts/build_gazetteer.py (and "
                "verbs_cameo.tsv with scripts/build_verbs.py)"
            )
        out.append(
            VerbRule(
                lemma=r["lemma"].lower(),
                object_heads=frozenset(h.lower() for h in r["object_heads"].split("|") if h),
                detail=tuple(d.lower() for d in r["detail"].split("|") if d),
                cameo=r["cameo"],
                source=r["source"],
            )
        )
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Polarity:
    """``polarity.tsv``: verbs that end what their object names, and what ending an event is.

    ``verbs`` maps a verb (with its particle) to the prepositions that introduce what it ends
    besides a direct object; ``objects`` a noun to the PLOVER type of the event it names;
    ``undo`` a PLOVER type to the CAMEO code of ending an event of that type.
    """

    verbs: dict[str, frozenset[str]]
    objects: dict[str, str]
    undo: dict[str, str]


@functools.cache
def polarity() -> Polarity:
    """The polarity lexicon (loaded once, checked against ``cameo.tsv``).

    >>> p = polarity()
    >>> p.objects["treaty"], p.undo["AGREE"], sorted(p.verbs["pull out"])
    ('AGREE', '160', ['from', 'of'])
    """
    verbs: dict[str, frozenset[str]] = {}
    objects: dict[str, str] = {}
    undo: dict[str, str] = {}
    codes = cameo_codes()
    for row in _rows("polarity.tsv"):
        kind, word = row["kind"], row["word"]
        if kind == "verb":
            verbs[word] = frozenset(p for p in row["preps"].split("|") if p)
        elif kind == "object" and row["plover"] in PLOVER_CATEGORIES:
            objects[word] = row["plover"]
        elif kind == "undo" and word in PLOVER_CATEGORIES and row["cameo"] in codes:
            undo[word] = row["cameo"]
        else:
            raise ConfigError(f"polarity.tsv: invalid row {row!r}")
    return Polarity(verbs=verbs, objects=objects, undo=undo)


def _undone(
    relation: str, words: list[str], found: tuple[int, int, str] | None
) -> tuple[Event | None] | None:
    """The event of ending what the object names ("terminated the agreement"), as a 1-tuple,
    or ``None`` when polarity does not apply: the verb ends nothing, the object names no
    event, or a rule that names this object (or detail) codes the pair as something other
    than that event ("end the war": declare a truce)."""
    pol = polarity()
    parts = relation.lower().split()
    # "walk away from", "withdraw from": the verb with its particle, or the verb alone
    prefixes = [" ".join(parts[:n]) for n in range(len(parts), 0, -1)]
    verb = next((s for p in prefixes for s in _spellings(p) if s in pol.verbs), None)
    ended = next(
        (pol.objects[f] for w in reversed(words) for f in sorted(_singular(w)) if f in pol.objects),
        None,
    )
    if verb is None or ended is None or ended not in pol.undo:
        return None
    if found is not None and found[0] >= 1:
        coded = cameo_codes()[found[2]].plover if found[2] in cameo_codes() else None
        if found[2] == NO_EVENT or coded != ended:
            return None  # the dictionaries know this pair
    return (event_for_code(pol.undo[ended]),)


def _specificity(rule: VerbRule) -> int:
    return 2 * bool(rule.object_heads) + bool(rule.detail)


def quad_class_of(cameo: str) -> int:
    """QuadClass of a CAMEO code (the Phoenix/GDELT convention).

    1 verbal cooperation (01-05), 2 material cooperation (06-09), 3 verbal conflict (10-14),
    4 material conflict (15-20). 0 (neutral) is never returned: every CAMEO root has a class.

    >>> [quad_class_of(c) for c in ("043", "072", "112", "163", "195")]
    [1, 2, 3, 4, 4]

    Raises:
        ConfigError: ``cameo`` is not a CAMEO code (2 to 4 digits, root 01-20).
    """
    if not (cameo.isdigit() and 2 <= len(cameo) <= 4 and 1 <= int(cameo[:2]) <= 20):
        raise ConfigError(
            f"{cameo!r} is not a CAMEO code; expected 2-4 digits with a root 01-20, e.g. '112'"
        )
    root = int(cameo[:2])
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


def event_for_code(cameo: str) -> Event | None:
    """The :class:`~geokg.model.Event` of a CAMEO code, or ``None`` if it has no PLOVER type.

    >>> event_for_code("163")
    Event(plover='SANCTION', cameo='163', quad_class=4, goldstein=-8.0)
    """
    row = cameo_codes().get(cameo)
    if row is None or row.plover is None:
        return None
    return Event(
        plover=row.plover, cameo=row.code, quad_class=row.quad_class, goldstein=row.goldstein
    )


# CAMEO 03, "express intent to cooperate", has one code per kind of cooperation promised.
_INTENT_CODES = {
    "04": "036",  # meet, negotiate
    "045": "039",  # mediate
    "05": "032",  # diplomatic cooperation
    "06": "031",  # material cooperation
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "07": "033",  # aid
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",  # yield
    "081": "0351",
    "082": "0352",
    "083": "034",
    "0831": "0341",
    "0832": "0342",
    "0833": "0343",
    "0834": "0344",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
}


def intent_event(event: Event) -> Event:
    """The event of promising a cooperative act rather than doing it (CAMEO 03, PLOVER
    AGREE): "pledged to send aid" expresses an intent to provide aid (033), it gives none yet
    (07). Acts other than cooperation (CAMEO 04-08) keep their own code.

    >>> intent_event(code_event("send", object_head="aid")).cameo  # humanitarian aid
    '0333'
    >>> intent_event(event_for_code("0874")).cameo, intent_event(event_for_code("0832")).cameo
    ('0356', '0342')
    >>> intent_event(code_event("attack")).plover
    'ASSAULT'
    """
    code = event.cameo
    for prefix in (code[:4], code[:3], code[:2]):
        target = _INTENT_CODES.get(prefix)
        if target is not None:
            return event_for_code(target) or event
    return event


def _singular(word: str) -> set[str]:
    """The forms a rule's object head may take for ``word``: itself, its singulars, and its
    plural (a lemmatiser gives "arm" for "arms", which the tables list as "arms").

    >>> sorted(_singular("arm")), sorted(_singular("talks"))
    (['arm', 'arms'], ['talk', 'talks'])
    """
    forms = {word}
    if not word.endswith("s"):
        forms.add(word + "s")
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.add(word[:-2])
    if word.endswith("s") and len(word) > 2:
        forms.add(word[:-1])
    return forms


def _spellings(lemma: str) -> list[str]:
    key = " ".join(lemma.lower().split())
    out = [key]
    first, _, rest = key.partition(" ")
    for a, b in (("ize", "ise"), ("ise", "ize"), ("yze", "yse"), ("ise", "ize")):
        if first.endswith(a):
            alt = first[: -len(a)] + b
            out.append(f"{alt} {rest}".strip())
    return out


@functools.lru_cache(maxsize=1 << 12)
def code_event(
    relation: str,
    *,
    object_head: str | None = None,
    object_type: str | None = None,
    detail: str | None = None,
) -> Event | None:
    """Code a relation as a PLOVER event with its CAMEO code, QuadClass and Goldstein score.

    Args:
        relation: The predicate lemma, with a particle where it matters ("call on").
        object_head: Lemma of the object's head ("consulate", "diplomats"), optionally after
            the lemmas of its noun modifiers ("aid payment": the head first, then "aid").
        object_type: The object's actor type; accepted for the caller's convenience and
            reserved for type-restricted rules (none in the dictionary yet).
        detail: Extra complement text ("as part of Russia", "of war crimes").

    Returns:
        The event, or ``None`` when the lemma is not in the dictionaries, no rule applies, or
        the best rule says "no event" (``---``, or a CAMEO 01 statement code).

    >>> code_event("expel", object_head="diplomats").cameo
    '166'
    >>> code_event("recognize", detail="as part of Russia").plover
    'SUPPORT'
    >>> code_event("suspend", object_head="aid payment").cameo
    '162'
    """
    del object_type  # no rule is restricted by type yet; see the docstring
    rules: tuple[VerbRule, ...] = ()
    table = verb_rules()
    for key in _spellings(relation):
        rules = table.get(key, ())
        if rules:
            break
    words = object_head.lower().split() if object_head else []
    best = _pick_rule(rules, words, detail) if rules else None
    # Polarity: a verb that ends what its object names is not that event ("cancelled the
    # meeting" is no meeting, "terminated the agreement" no agreement).
    undone = _undone(relation, words, best)
    if undone is not None:
        return undone[0]
    if not rules and " " in relation.strip():
        # A phrasal verb the tables lack ("beat up", "force out") is coded as its verb.
        return code_event(relation.split(maxsplit=1)[0], object_head=object_head, detail=detail)
    if best is None or best[2] == NO_EVENT:
        return None
    return event_for_code(best[2])


def _pick_rule(
    rules: tuple[VerbRule, ...], words: list[str], detail: str | None
) -> tuple[int, int, str] | None:
    """The best rule for an object's words (modifiers first, the head last) and detail: a
    compound object ("aid payments") is coded by its head, else by a modifier that a rule
    names ("aid"), the nearest first."""
    text = " ".join(detail.lower().split()) if detail else ""
    best = _best_rule(rules, _singular(words[-1]) if words else set(), text)
    for word in reversed(words[:-1]):
        if best is not None and best[0] >= 2:
            break
        cand = _best_rule(rules, _singular(word), text)
        if cand is not None and cand[0] >= 2:
            best = cand
    return best


@functools.cache
def _detail_pattern(detail: str) -> re.Pattern[str]:
    """A rule's detail words as a whole-word pattern (a plural ``s`` allowed), compiled once."""
    return re.compile(rf"\b{re.escape(detail)}s?\b")


def _best_rule(
    rules: tuple[VerbRule, ...], heads: set[str], text: str
) -> tuple[int, int, str] | None:
    """(specificity, matched detail length, code) of the best rule for these object forms."""
    best: tuple[int, int, str] | None = None
    for rule in rules:
        if rule.object_heads and not (heads & rule.object_heads):
            continue
        matched = 0
        if rule.detail:
            found = [d for d in rule.detail if _detail_pattern(d).search(text)]
            if not found:
                continue
            matched = max(len(d) for d in found)
        cand = (_specificity(rule), matched, rule.cameo)
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best
