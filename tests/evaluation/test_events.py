"""Event gold readers and the one-row-per-record scorer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from geokg.errors import InputError
from geokg.evaluation.events import (
    EventCoding,
    EventGold,
    actor_country,
    cameo_to_plover,
    canonical_plover,
    choose_row,
    load_event_sets,
    majority_predictor,
    read_petrarch,
    read_plover_gsr,
    score_events,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "plover_gsr").is_dir(), reason="../shared/data is not available"
)


def row(
    src: str | None,
    tgt: str | None,
    plover: str | None,
    cameo: str | None = None,
    conf: float = 1.0,
) -> dict[str, Any]:
    return {
        "subject": {"label": "s", "type": "country", "country": src},
        "relation": "x",
        "object": {"label": "o", "type": "country", "country": tgt},
        "event": {"plover": plover, "cameo": cameo} if plover or cameo else None,
        "confidence": conf,
    }


def rec(rid: str, *codings: EventCoding) -> EventGold:
    return EventGold(id=rid, text="t", codings=codings)


def coding(src: str | None, tgt: str | None, plover: str | None, cameo: str | None = None) -> Any:
    return EventCoding(source_country=src, target_country=tgt, plover=plover, cameo=cameo)


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("RUSGOV", "RUS"),
        ("TUNJUD", "TUN"),
        ("usa", "USA"),
        ("IGOUNO", None),
        ("NGO", None),
        ("IMGMOSALQ", None),
        ("---", None),
        (None, None),
        ("JAP", "JPN"),
        ("ITL", "ITA"),
        ("ARNGOV", "ARN"),
    ],
)
def test_actor_country(code: str | None, country: str | None) -> None:
    assert actor_country(code) == country


def test_canonical_plover_maps_2016_names() -> None:
    assert [canonical_plover(x) for x in ("DISAPPROVE", "investigate", "DEMAND", "FIGHT")] == [
        "ACCUSE",
        "ACCUSE",
        "REQUEST",
        "ASSAULT",
    ]
    assert canonical_plover(None) is None
    assert canonical_plover("COERCE") == "COERCE"


@needs_data
@pytest.mark.parametrize(
    ("cameo", "plover"),
    [
        ("112", "ACCUSE"),
        ("0311", "AGREE"),
        ("1712", "ASSAULT"),
        ("163", "COERCE"),
        ("042", "CONSULT"),
        ("190", "ASSAULT"),
        ("010", None),
        ("021", None),
    ],
)
def test_cameo_to_plover_uses_the_2021_table(cameo: str, plover: str | None) -> None:
    assert cameo_to_plover(cameo, DATA) == plover


def test_cameo_to_plover_without_table_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CAMEO to PLOVER"):
        cameo_to_plover("112", tmp_path)


@needs_data
def test_event_sets_load_with_expected_sizes() -> None:
    sets = load_event_sets(DATA)
    sizes = {k: (len(v), sum(not g.codings for g in v)) for k, v in sets.items()}
    # READMEs: 64 PLOVER records, 59 CAMEO examples, 16 PETRARCH-2 records (3 without event),
    # 55 functional records of which one is evaluate="false" (and 5 expect no event).
    assert sizes == {
        "plover_gsr": (64, 0),
        "cameo_examples": (59, 0),
        "petrarch2_gsr": (16, 3),
        "petrarch_functional": (54, 5),
    }
    plover = sets["plover_gsr"]
    assert not any(g.text.startswith("{") for g in plover)
    assert all(c.plover for g in plover for c in g.codings)
    assert all(g.date is None or len(g.date) == 10 for v in sets.values() for g in v)
    assert sum(len(g.codings) for g in sets["petrarch_functional"]) == 63


def test_plover_reader_pairs_every_source_with_every_target(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        '[{"id": "doc", "event": "DOCUMENT"},'
        ' {"id": "r1", "event": "DISAPPROVE", "text": "{x}", "date": "2000-01-01",'
        '  "source": [{"code": "USAGOV"}, {"code": "GBR"}], "target": [{"code": "IGOUNO"}]},'
        ' {"id": "r2", "event": "AGREE", "text": "y", "source": [{"code": "FRA"}], "target": ""}]',
        encoding="utf-8",
    )
    r1, r2 = read_plover_gsr(path)
    assert r1.text == "x"
    assert [(c.source_country, c.target_country, c.plover) for c in r1.codings] == [
        ("USA", None, "ACCUSE"),
        ("GBR", None, "ACCUSE"),
    ]
    assert r2.codings == (EventCoding(source_country="FRA", plover="AGREE", source_code="FRA"),)


def test_petrarch_reader_skips_unevaluated_and_keeps_no_event_records(tmp_path: Path) -> None:
    table = tmp_path / "cameo_dictionaries" / "CAMEO2PLOVER-2021.txt"
    table.parent.mkdir()
    table.write_text("11: ACCUSE\n112: ACCUSE,  ,  # Accuse\n", encoding="utf-8")
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "a", "evaluate": "true", "date": "20080806", "text": "t",'
        ' "codings": [{"eventcode": "112", "sourcecode": "RUSGOV", "targetcode": "UKR"}]}\n'
        '{"id": "b", "evaluate": "false", "text": "t", "codings": []}\n'
        '{"id": "c", "evaluate": "true", "text": "t", "codings": [{"noevents": "True"}]}\n',
        encoding="utf-8",
    )
    a, c = read_petrarch(path, tmp_path)
    assert (a.id, a.date, a.source_country, a.target_country, a.plover, a.cameo) == (
        "a",
        "2008-08-06",
        "RUS",
        "UKR",
        "ACCUSE",
        "112",
    )
    assert (c.id, c.codings) == ("c", ())


def test_choose_row_prefers_coded_rows_then_confidence_then_order() -> None:
    first = row("USA", "RUS", "ACCUSE", conf=0.5)
    second = row("GBR", "RUS", "ACCUSE", conf=0.5)
    uncoded = row("FRA", "RUS", None, conf=0.99)
    assert choose_row([uncoded, first, second]) is first
    better = row("DEU", "RUS", "AGREE", conf=0.8)
    assert choose_row([uncoded, first, better]) is better
    assert choose_row([uncoded]) is uncoded
    assert choose_row([]) is None


def test_all_fields_are_scored_on_one_row() -> None:
    g = [rec("1", coding("USA", "RUS", "ACCUSE", "112"))]
    # The chosen row has the right countries but a wrong type; another row has the right type
    # and lower confidence. The scorer must not mix them.
    rows = [row("USA", "RUS", "AGREE", "030", conf=0.9), row("CHN", "IND", "ACCUSE", "112", 0.1)]
    s = score_events(g, lambda recs: {"1": rows})
    assert (s.plover, s.cameo_root, s.source, s.target, s.joint) == (0.0, 0.0, 1.0, 1.0, 0.0)


def test_any_coding_counts_and_missing_predictions_are_misses() -> None:
    golds = [
        rec("1", coding("BRE", "ERI", "CONSULT", "040"), coding("ERI", "BRE", "CONSULT", "040")),
        rec("2", coding("USA", None, "AGREE", "030")),
        rec("3", coding(None, None, None, "010")),
        rec("4"),
        rec("5"),
    ]
    preds = {
        "1": [row("ERI", "BRE", "CONSULT", "043")],
        "4": [row("USA", "RUS", "ACCUSE")],
        "5": [row("USA", "RUS", None)],
    }
    s = score_events(golds, lambda recs: preds)
    assert s.records == 3
    assert s.coverage == pytest.approx(1 / 3)
    assert s.counts["plover"] == (1, 2)
    assert s.counts["cameo_root"] == (1, 3)
    assert s.counts["source"] == (1, 2)
    assert s.counts["target"] == (1, 1)
    assert s.counts["joint"] == (1, 1)
    assert (s.no_event, s.false_alarms) == (2, 1)


def test_predictions_are_canonicalised_like_the_gold() -> None:
    g = [rec("1", coding("USA", "RUS", "ACCUSE"))]
    s = score_events(g, lambda recs: {"1": [row("usa", "rus", "Disapprove")]})
    assert (s.plover, s.source, s.target) == (1.0, 1.0, 1.0)


def test_majority_predictor_is_the_most_frequent_class() -> None:
    golds = [
        rec("1", coding("USA", "RUS", "ACCUSE", "112")),
        rec("2", coding("USA", "CHN", "ACCUSE", "111")),
        rec("3", coding("GBR", "CHN", "AGREE", "030")),
    ]
    s = score_events(golds, majority_predictor(golds))
    assert s.counts["plover"] == (2, 3)
    assert s.counts["source"] == (2, 3)
    assert s.counts["target"] == (2, 3)
    assert s.counts["cameo_root"] == (2, 3)  # root 11 is the most frequent


@needs_data
def test_gold_derived_predictions_score_perfectly_on_the_plover_set() -> None:
    golds = load_event_sets(DATA)["plover_gsr"]

    def oracle(recs: Any) -> dict[str, list[dict[str, Any]]]:
        return {g.id: [row(g.source_country, g.target_country, g.plover, g.cameo)] for g in recs}

    s = score_events(golds, oracle)
    assert (s.plover, s.source, s.target, s.joint, s.coverage) == (1.0, 1.0, 1.0, 1.0, 1.0)
    floor = score_events(golds, majority_predictor(golds))
    assert floor.plover is not None
    assert floor.plover < 0.3
    top = Counter(g.plover for g in golds).most_common(1)[0][1]
    assert floor.counts["plover"] == (top, len(golds))
