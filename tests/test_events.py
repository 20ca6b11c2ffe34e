"""Tests of geokg.events and the verb/CAMEO tables."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from geokg.errors import ConfigError
from geokg.events import (
    PLOVER_CATEGORIES,
    cameo_codes,
    code_event,
    event_for_code,
    quad_class_of,
    verb_rules,
)
from geokg.model import Event

DATA = Path(__file__).resolve().parents[1] / "geokg" / "data"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / name).read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize(
    ("relation", "kwargs", "plover", "cameo"),
    [
        ("accuse", {}, "ACCUSE", "112"),
        ("urge", {}, "REQUEST", "020"),
        ("call on", {}, "REQUEST", "020"),
        ("demand", {}, "REQUEST", "100"),
        ("close", {"object_head": "consulate"}, "SANCTION", "161"),
        ("close", {"object_head": "embassy"}, "SANCTION", "161"),
        ("expel", {"object_head": "diplomats"}, "SANCTION", "166"),
        ("expel", {"object_head": "ambassador"}, "SANCTION", "166"),
        ("impose", {"object_head": "sanctions"}, "SANCTION", "163"),
        ("meet", {}, "CONSULT", "040"),
        ("hold talks", {}, "CONSULT", "040"),
        ("talk", {}, "CONSULT", "040"),
        ("visit", {}, "CONSULT", "042"),
        ("host", {}, "CONSULT", "043"),
        ("negotiate", {}, "CONSULT", "046"),
        ("bomb", {}, "ASSAULT", "195"),
        ("strike", {}, "ASSAULT", "190"),
        ("attack", {}, "ASSAULT", "190"),
        ("shell", {}, "ASSAULT", "194"),
        ("recognise", {"detail": "as part of Russia"}, "SUPPORT", "054"),
        ("recognize", {"detail": "as part of Russia"}, "SUPPORT", "054"),
        ("criticize", {}, "ACCUSE", "111"),
        ("condemn", {}, "ACCUSE", "111"),
        ("praise", {}, "SUPPORT", "051"),
        ("threaten", {}, "THREATEN", "130"),
        ("invade", {}, "COERCE", "192"),
        ("arrest", {}, "COERCE", "173"),
        ("sign", {"object_head": "treaty"}, "SUPPORT", "057"),
        ("accuse", {"detail": "of war crimes"}, "ACCUSE", "1124"),
        ("accuse", {"detail": "of corruption"}, "ACCUSE", "1121"),
        ("accuse", {"detail": "of prolonging the war"}, "ACCUSE", "112"),
        ("ACCUSE", {}, "ACCUSE", "112"),
    ],
)
def test_code_event(relation: str, kwargs: dict[str, str], plover: str, cameo: str) -> None:
    event = code_event(relation, **kwargs)
    assert event is not None
    assert (event.plover, event.cameo) == (plover, cameo)
    assert event.quad_class == quad_class_of(cameo)
    assert event.goldstein == cameo_codes()[cameo].goldstein


@pytest.mark.parametrize(
    ("relation", "kwargs"),
    [
        ("frobnicate", {}),
        ("say", {}),
        ("close", {}),  # closing what? no rule without the object
        ("close", {"object_head": "door"}),
        ("sign", {}),
        ("", {}),
    ],
)
def test_unknown_gives_no_event(relation: str, kwargs: dict[str, str]) -> None:
    assert code_event(relation, **kwargs) is None


def test_event_matches_contract() -> None:
    event = code_event("accuse")
    assert event == Event(plover="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0)
    assert event.to_dict() == {
        "plover": "ACCUSE",
        "cameo": "112",
        "quad_class": 3,
        "goldstein": -2.0,
    }


def test_every_verb_row_refers_to_a_coded_cameo_code() -> None:
    codes = cameo_codes()
    rows = _rows("verbs.tsv")
    assert len(rows) >= 100
    for r in rows:
        assert r["cameo"] in codes, r
        assert codes[r["cameo"]].plover in PLOVER_CATEGORIES, r
        assert r["lemma"] == r["lemma"].lower().strip()
        assert r["source"], r
    assert sum(len(v) for v in verb_rules().values()) == len(rows)


def test_every_rule_is_reachable() -> None:
    """Each row codes its own lemma with its own code when its conditions hold."""
    for lemma, rules in verb_rules().items():
        for rule in rules:
            head = sorted(rule.object_heads)[0] if rule.object_heads else None
            detail = rule.detail[0] if rule.detail else None
            event = code_event(lemma, object_head=head, detail=detail)
            assert event is not None
            assert event.cameo == rule.cameo, (lemma, head, detail)


def test_cameo_table_is_complete_and_consistent() -> None:
    codes = cameo_codes()
    assert len(codes) >= 300
    for code, row in codes.items():
        assert re.fullmatch(r"\d{2,4}", code)
        assert row.quad_class == quad_class_of(code)
        assert -10.0 <= row.goldstein <= 10.0
        assert row.plover is None or row.plover in PLOVER_CATEGORIES
        if code[:2] != "01":
            assert row.plover is not None, code
    assert codes["01"].plover is None


def test_plover_categories_match_the_codebook() -> None:
    path = SHARED / "actor_dictionaries_ngec" / "PLOVER_structured_codebook_updated.csv"
    if not path.exists():
        pytest.skip(f"shared PLOVER codebook not found at {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        events = {r["event"].strip() for r in csv.DictReader(fh) if r["event"].strip()}
    assert events == PLOVER_CATEGORIES


def test_cameo_table_matches_the_codebook() -> None:
    path = SHARED / "cameo_dictionaries" / "cameo_codebook_no_examples.csv"
    if not path.exists():
        pytest.skip(f"shared CAMEO codebook not found at {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        book = {r["code"]: float(r["goldstein"]) for r in csv.DictReader(fh)}
    assert {c: r.goldstein for c, r in cameo_codes().items()} == book


@pytest.mark.parametrize(
    ("code", "quad"),
    [
        ("01", 1),
        ("020", 1),
        ("057", 1),
        ("060", 2),
        ("0874", 2),
        ("094", 2),
        ("10", 3),
        ("1124", 3),
        ("145", 3),
        ("150", 4),
        ("163", 4),
        ("195", 4),
        ("2042", 4),
    ],
)
def test_quad_class_of(code: str, quad: int) -> None:
    assert quad_class_of(code) == quad


@pytest.mark.parametrize("code", ["", "0", "21", "00", "abc", "12345", "1a"])
def test_quad_class_of_rejects_non_codes(code: str) -> None:
    with pytest.raises(ConfigError, match="not a CAMEO code"):
        quad_class_of(code)


def test_event_for_code() -> None:
    assert event_for_code("010") is None  # statements have no PLOVER type
    assert event_for_code("999") is None
    event = event_for_code("166")
    assert event is not None
    assert (event.plover, event.quad_class, event.goldstein) == ("SANCTION", 4, -7.0)
