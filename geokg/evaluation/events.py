"""Event-coding gold sets (PLOVER, CAMEO, PETRARCH) and their scorer.

Every gold record is normalised to an :class:`EventGold`: an id, the text, a date, and one or
more :class:`EventCoding` (source country, target country, PLOVER type, CAMEO code).

**Actor codes to countries** (:func:`actor_country`). PETRARCH/Phoenix codes are a 3-letter
state code followed by role codes (``RUSGOV`` → ``RUS``, ``TUNJUD`` → ``TUN``). The first three
letters are the country, except for the non-state prefixes ``IGO``, ``NGO``, ``NGM``, ``MNC``,
``IMG``, ``UIS``, ``UAF``, ``INT`` and the unknown ``---``, which give ``None``. The few CAMEO
codes that differ from ISO 3166 alpha-3 are mapped (``JAP`` → ``JPN``, ``ITL`` → ``ITA``, ``ROM``
→ ``ROU``, ``ZAR`` → ``COD``, ``TMP`` → ``TLS``). The functional records use fictional states
(``ARN``, ``GON``…), kept as they are.

**PLOVER names.** The PLOVER gold records use the 2016 category names; the CAMEO→PLOVER table and
geokg use the 2021 ones. :func:`canonical_plover` maps ``DISAPPROVE``/``INVESTIGATE`` →
``ACCUSE``, ``DEMAND`` → ``REQUEST``, ``FIGHT`` → ``ASSAULT``, ``YIELD`` → ``CONCEDE``,
``THREAT`` → ``THREATEN``, and is applied to gold and predictions alike. CAMEO codes become PLOVER
types through ``CAMEO2PLOVER-2021.txt`` (longest listed prefix of the code); CAMEO 01 (statements)
and 02 (appeals) have no PLOVER type.

**Scoring** (:func:`score_events`). ``predict`` gets all gold records and returns, per record id,
the contract rows (``triples.jsonl`` dicts) extracted from its text. One row is chosen per record,
without looking at the gold: among rows whose ``event.plover`` is set (else rows with any
``event``, else all rows), those that state what happened (modality ``asserted`` or ``reported``,
not negated) if there are any, since an event coder codes what happened ("Iran threatened to
shell the towns" is a threat; the shelling is only intended); then the one with the highest
``confidence``, the first on ties. All fields
are scored on that one row: PLOVER type, CAMEO root (first two digits), source country (the
subject's ``country``) and target country (the object's ``country``; for an event with no actor
target, the ``country`` of its ``place``, the state it happened in or was sent to: the PLOVER
gold coders inferred actor codes from locations, as event coders do); ``joint`` needs all
three of PLOVER, source and target to agree with one coding. A field is a hit when it equals that
field of any gold coding of the record. The denominator of a field is the number of records with
that field in some coding, whether or not anything was predicted (no prediction = miss).
``coverage`` is the share of records with a coding that got any row; records whose gold is "no
event" are counted apart (``no_event`` and the ``false_alarms`` among them).

>>> actor_country("RUSGOV"), actor_country("IGOUNO"), actor_country("JAP")
('RUS', None, 'JPN')
>>> canonical_plover("disapprove")
'ACCUSE'
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from geokg.errors import InputError

__all__ = [
    "EVENT_SETS",
    "EventCoding",
    "EventGold",
    "EventScore",
    "Predictor",
    "actor_country",
    "cameo_to_plover",
    "canonical_plover",
    "choose_row",
    "load_event_sets",
    "majority_predictor",
    "read_cameo_examples",
    "read_petrarch",
    "read_plover_gsr",
    "score_events",
]

Predictor = Callable[[Sequence["EventGold"]], Mapping[str, list[dict[str, Any]]]]

#: Gold files under the shared data directory, by set name.
EVENT_SETS: Mapping[str, str] = {
    "plover_gsr": "plover_gsr/plover_gsr_cameo.dev_sample.json",
    "cameo_examples": "cameo_manual_examples/cameo_examples.dev_sample.jsonl",
    "petrarch2_gsr": "petrarch2_gsr/PETR2_GSR_validation.dev_sample.jsonl",
    "petrarch_functional": "petrarch_functional/PETR_Validate_records_2_02.dev_sample.jsonl",
}
CAMEO2PLOVER = "cameo_dictionaries/CAMEO2PLOVER-2021.txt"

_NON_STATE = frozenset({"IGO", "NGO", "NGM", "MNC", "IMG", "UIS", "UAF", "INT", "---"})
_CAMEO_TO_ISO: Mapping[str, str] = {
    "JAP": "JPN",
    "ITL": "ITA",
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
}
_OLD_PLOVER: Mapping[str, str] = {
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "DEMAND": "REQUEST",
    "FIGHT": "ASSAULT",
    "YIELD": "CONCEDE",
    "THREAT": "THREATEN",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class EventCoding:
    """One expected coding of a gold record.

    Attributes:
        source_country: Country of the source actor (ISO3-like), or ``None``.
        target_country: Country of the target actor, or ``None``.
        plover: PLOVER 2021 type, or ``None``.
        cameo: CAMEO code, or ``None``.
        source_code: The raw source actor code.
        target_code: The raw target actor code.
    """

    source_country: str | None = None
    target_country: str | None = None
    plover: str | None = None
    cameo: str | None = None
    source_code: str | None = None
    target_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventGold:
    """One gold record; the flat fields repeat its first coding.

    Attributes:
        id: Record id (unique within a set).
        text: The sentence or short text.
        date: ISO date, or ``None``.
        source_country: First coding's source country.
        target_country: First coding's target country.
        plover: First coding's PLOVER type.
        cameo: First coding's CAMEO code.
        codings: All codings; empty when the record expects no event.
        dataset: Name of the gold set.
    """

    id: str
    text: str
    date: str | None = None
    source_country: str | None = None
    target_country: str | None = None
    plover: str | None = None
    cameo: str | None = None
    codings: tuple[EventCoding, ...] = ()
    dataset: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class EventScore:
    """Accuracy of the chosen row per record (``None`` where no record has the field).

    Attributes:
        records: Records with at least one coding.
        coverage: Share of those records that got any predicted row.
        plover: PLOVER type accuracy.
        cameo_root: CAMEO root (two digits) accuracy.
        source: Source country accuracy.
        target: Target country accuracy.
        joint: PLOVER, source and target all right for one coding.
        counts: ``{field: (hits, denominator)}``.
        no_event: Records whose gold says "no event".
        false_alarms: Of those, records where the chosen row carries an event.
        details: One dict per record: id, chosen row summary, hits.
    """

    records: int
    coverage: float
    plover: float | None
    cameo_root: float | None
    source: float | None
    target: float | None
    joint: float | None
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    no_event: int = 0
    false_alarms: int = 0
    details: tuple[Mapping[str, Any], ...] = field(default=(), compare=False, repr=False)


def actor_country(code: str | None) -> str | None:
    """Return the country of a CAMEO/Phoenix actor code (module docstring), or ``None``.

    >>> actor_country("USAGOV"), actor_country("---"), actor_country("")
    ('USA', None, None)
    """
    if not code:
        return None
    prefix = code.strip().upper()[:3]
    if len(prefix) < 3 or prefix in _NON_STATE or not prefix.isalpha():
        return None
    return _CAMEO_TO_ISO.get(prefix, prefix)


def canonical_plover(name: str | None) -> str | None:
    """Upper-case a PLOVER type and map 2016 names to 2021 names.

    >>> canonical_plover("Demand"), canonical_plover(""), canonical_plover("AGREE")
    ('REQUEST', None, 'AGREE')
    """
    if not name or not name.strip():
        return None
    up = name.strip().upper()
    return _OLD_PLOVER.get(up, up)


def cameo_to_plover(code: str | None, data_dir: str | os.PathLike[str]) -> str | None:
    """Return the PLOVER type of a CAMEO code via ``CAMEO2PLOVER-2021.txt`` in ``data_dir``.

    The longest prefix of ``code`` listed in the table wins; codes of roots 01 and 02 give
    ``None``.

    Raises:
        InputError: The table is missing.
    """
    if not code:
        return None
    table = _cameo_table(str(Path(data_dir) / CAMEO2PLOVER))
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def read_plover_gsr(
    path: str | os.PathLike[str], *, dataset: str = "plover_gsr"
) -> list[EventGold]:
    """Read the PLOVER gold records (JSON array; the DOCUMENT record is skipped).

    A record with several source or target actors gets one coding per (source, target) pair.
    """
    data = _load_json(path)
    if not isinstance(data, list):
        raise InputError(str(path), "expected a JSON array of PLOVER records")
    out: list[EventGold] = []
    for rec in data:
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT":
            continue
        plover = canonical_plover(str(rec.get("event") or ""))
        sources: list[str | None] = [*_actors(rec.get("source"))] or [None]
        targets: list[str | None] = [*_actors(rec.get("target"))] or [None]
        codings = tuple(
            EventCoding(
                source_country=actor_country(s),
                target_country=actor_country(t),
                plover=plover,
                source_code=s,
                target_code=t,
            )
            for s in sources
            for t in targets
        )
        text = str(rec.get("text", "")).strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1].strip()
        out.append(_gold(str(rec["id"]), text, rec.get("date"), codings, dataset))
    return out


def read_cameo_examples(
    path: str | os.PathLike[str],
    data_dir: str | os.PathLike[str],
    *,
    dataset: str = "cameo_examples",
) -> list[EventGold]:
    """Read the CAMEO manual examples (no actors: only the event type is scored)."""
    out: list[EventGold] = []
    for i, rec in enumerate(_load_jsonl(path), start=1):
        code = str(rec.get("cameo_code", "")) or None
        coding = EventCoding(cameo=code, plover=cameo_to_plover(code, data_dir))
        rid = f"cameo-{code}-{i}"
        out.append(_gold(rid, str(rec.get("example", "")), None, (coding,), dataset))
    return out


def read_petrarch(
    path: str | os.PathLike[str],
    data_dir: str | os.PathLike[str],
    *,
    dataset: str = "petrarch",
) -> list[EventGold]:
    """Read PETRARCH validation records (JSONL); ``evaluate == "false"`` records are skipped.

    ``noevents`` and ``error`` codings mean the record expects no event (no coding).
    """
    out: list[EventGold] = []
    for rec in _load_jsonl(path):
        if str(rec.get("evaluate", "true")).lower() == "false":
            continue
        codings: list[EventCoding] = []
        for c in rec.get("codings") or []:
            if not isinstance(c, dict) or "eventcode" not in c:
                continue
            code = str(c["eventcode"])
            src, tgt = c.get("sourcecode"), c.get("targetcode")
            codings.append(
                EventCoding(
                    source_country=actor_country(src),
                    target_country=actor_country(tgt),
                    plover=cameo_to_plover(code, data_dir),
                    cameo=code,
                    source_code=src,
                    target_code=tgt,
                )
            )
        date = str(rec.get("date") or "")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if re.fullmatch(r"\d{8}", date) else None
        out.append(_gold(str(rec["id"]), str(rec.get("text", "")), iso, tuple(codings), dataset))
    return out


def load_event_sets(data_dir: str | os.PathLike[str]) -> dict[str, list[EventGold]]:
    """Read the four event gold sets from the shared data directory (``../shared/data``).

    Raises:
        InputError: A gold file is missing.
    """
    base = Path(data_dir)
    return {
        "plover_gsr": read_plover_gsr(base / EVENT_SETS["plover_gsr"]),
        "cameo_examples": read_cameo_examples(base / EVENT_SETS["cameo_examples"], base),
        "petrarch2_gsr": read_petrarch(
            base / EVENT_SETS["petrarch2_gsr"], base, dataset="petrarch2_gsr"
        ),
        "petrarch_functional": read_petrarch(
            base / EVENT_SETS["petrarch_functional"], base, dataset="petrarch_functional"
        ),
    }


def choose_row(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """Pick the one row scored for a record (rule in the module docstring).

    >>> choose_row([{"event": None, "confidence": 0.9},
    ...             {"event": {"plover": "ACCUSE"}, "confidence": 0.5}])["confidence"]
    0.5
    >>> choose_row([{"event": {"plover": "ASSAULT"}, "confidence": 0.9, "modality": "intended"},
    ...             {"event": {"plover": "THREATEN"}, "confidence": 0.6}])["event"]["plover"]
    'THREATEN'
    """
    if not rows:
        return None
    with_plover = [r for r in rows if _event(r).get("plover")]
    with_event = [r for r in rows if r.get("event")]
    pool = with_plover or with_event or list(rows)
    factual = [
        r
        for r in pool
        if r.get("modality", "asserted") in ("asserted", "reported") and not r.get("negated")
    ]
    pool = factual or pool
    best = pool[0]
    for r in pool[1:]:
        if _conf(r) > _conf(best):
            best = r
    return best


def score_events(golds: Sequence[EventGold], predict: Predictor) -> EventScore:
    """Score a predictor on gold records (rules in the module docstring).

    Args:
        golds: Gold records.
        predict: Gets all records; returns ``{record id: [contract rows]}``.

    >>> g = [EventGold(id="1", text="A accused B.", codings=(EventCoding(
    ...     source_country="USA", target_country="RUS", plover="ACCUSE", cameo="112"),))]
    >>> row = {"subject": {"country": "USA"}, "object": {"country": "CHN"},
    ...        "event": {"plover": "ACCUSE", "cameo": "111"}}
    >>> s = score_events(g, lambda recs: {"1": [row]})
    >>> (s.plover, s.cameo_root, s.source, s.target, s.joint)
    (1.0, 1.0, 1.0, 0.0, 0.0)
    >>> untargeted = {"subject": {"country": "USA"}, "object": None,
    ...               "place": {"name": "Moscow", "country": "RUS"}, "event": {"plover": "ACCUSE"}}
    >>> score_events(g, lambda recs: {"1": [untargeted]}).target  # where it happened
    1.0
    """
    predictions = predict(golds)
    tallies: dict[str, list[int]] = {
        k: [0, 0] for k in ("plover", "cameo_root", "source", "target", "joint")
    }
    covered = records = no_event = false_alarms = 0
    details: list[dict[str, Any]] = []
    for g in golds:
        rows = list(predictions.get(g.id, []))
        row = choose_row(rows)
        if not g.codings:
            no_event += 1
            alarm = row is not None and bool(row.get("event"))
            false_alarms += alarm
            details.append({"id": g.id, "no_event": True, "false_alarm": alarm})
            continue
        records += 1
        covered += bool(rows)
        pred = _summary(row)
        hits: dict[str, bool | None] = {}
        gold_sets: dict[str, set[str | None]] = {
            "plover": {c.plover for c in g.codings},
            "cameo_root": {c.cameo[:2] for c in g.codings if c.cameo},
            "source": {c.source_country for c in g.codings},
            "target": {c.target_country for c in g.codings},
        }
        for key, values in gold_sets.items():
            values.discard(None)
            if not values:
                hits[key] = None
                continue
            hit = pred[key] is not None and pred[key] in values
            tallies[key][0] += hit
            tallies[key][1] += 1
            hits[key] = hit
        complete = [c for c in g.codings if c.plover and c.source_country and c.target_country]
        if complete:
            joint = any(
                (c.plover, c.source_country, c.target_country)
                == (pred["plover"], pred["source"], pred["target"])
                for c in complete
            )
            tallies["joint"][0] += joint
            tallies["joint"][1] += 1
            hits["joint"] = joint
        details.append({"id": g.id, "predicted": pred, "hits": hits, "rows": len(rows)})

    def acc(key: str) -> float | None:
        hit, den = tallies[key]
        return hit / den if den else None

    return EventScore(
        records=records,
        coverage=covered / records if records else 0.0,
        plover=acc("plover"),
        cameo_root=acc("cameo_root"),
        source=acc("source"),
        target=acc("target"),
        joint=acc("joint"),
        counts={k: (v[0], v[1]) for k, v in sorted(tallies.items())},
        no_event=no_event,
        false_alarms=false_alarms,
        details=tuple(details),
    )


def majority_predictor(golds: Sequence[EventGold]) -> Predictor:
    """A floor: always predict the most frequent PLOVER type, CAMEO root and countries of ``golds``.

    The counts come from the first coding of each record of ``golds`` itself, so the floor is
    optimistic (it has seen the labels it is scored on). Ties are broken alphabetically.
    """

    def top(values: Iterable[str | None]) -> str | None:
        counts = Counter(v for v in values if v)
        if not counts:
            return None
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    firsts = [g.codings[0] for g in golds if g.codings]
    row: dict[str, Any] = {
        "subject": {
            "label": "",
            "type": "country",
            "country": top(c.source_country for c in firsts),
        },
        "relation": "",
        "object": {
            "label": "",
            "type": "country",
            "country": top(c.target_country for c in firsts),
        },
        "event": {
            "plover": top(c.plover for c in firsts),
            "cameo": top(c.cameo[:2] for c in firsts if c.cameo),
        },
        "confidence": 1.0,
    }

    def predict(records: Sequence[EventGold]) -> Mapping[str, list[dict[str, Any]]]:
        return {r.id: [row] for r in records}

    return predict


# --------------------------------------------------------------------------- helpers


def _gold(
    rid: str, text: str, date: Any, codings: tuple[EventCoding, ...], dataset: str
) -> EventGold:
    first = codings[0] if codings else EventCoding()
    return EventGold(
        id=rid,
        text=text,
        date=str(date) if date else None,
        source_country=first.source_country,
        target_country=first.target_country,
        plover=first.plover,
        cameo=first.cameo,
        codings=codings,
        dataset=dataset,
    )


def _actors(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(a["code"]) for a in value if isinstance(a, dict) and a.get("code")]


def _event(row: Mapping[str, Any]) -> Mapping[str, Any]:
    event = row.get("event")
    return event if isinstance(event, Mapping) else {}


def _conf(row: Mapping[str, Any]) -> float:
    value = row.get("confidence")
    return float(value) if isinstance(value, int | float) else 0.0


def _summary(row: Mapping[str, Any] | None) -> dict[str, str | None]:
    if row is None:
        return {"plover": None, "cameo_root": None, "source": None, "target": None}
    event = _event(row)
    cameo = event.get("cameo")
    return {
        "plover": canonical_plover(event.get("plover")),
        "cameo_root": str(cameo)[:2] if cameo else None,
        "source": _country(row.get("subject")),
        "target": _country(row.get("object") if row.get("object") else row.get("place")),
    }


def _country(actor: Any) -> str | None:
    if not isinstance(actor, Mapping):
        return None
    code = actor.get("country")
    return str(code).upper() if code else None


def _load_json(path: str | os.PathLike[str]) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read the gold file ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc


def _load_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the gold file ({exc.strerror})") from exc
    out: list[dict[str, Any]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}", f"not valid JSON ({exc.msg})") from exc
        if isinstance(rec, dict):
            out.append(rec)
    return out


@lru_cache(maxsize=4)
def _cameo_table(path: str) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            path, f"cannot read the CAMEO to PLOVER table ({exc.strerror}); check the data dir"
        ) from exc
    table: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m and m.group(1) not in table:
            table[m.group(1)] = m.group(2)
    return table
