"""Tests of geokg.events and the verb/CAMEO tables."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from geokg.errors import ConfigError
from geokg.events import (
    PLOVER_CATEGORIES,
    cameo_codes,
    code_event,
    event_for_code,
    polarity,
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
        ("invade", {}, "ASSAULT", "190"),  # docs/ANNOTATION.md: invade -> ASSAULT
        ("arrest", {}, "COERCE", "173"),
        ("sign", {"object_head": "treaty"}, "AGREE", "057"),  # PLOVER AGREE: sign an agreement
        ("accuse", {"detail": "of war crimes"}, "ACCUSE", "1124"),
        ("accuse", {"detail": "of corruption"}, "ACCUSE", "1121"),
        ("accuse", {"detail": "of prolonging the war"}, "ACCUSE", "112"),
        ("ACCUSE", {}, "ACCUSE", "112"),
        ("accept", {"object_head": "demands"}, "CONCEDE", "080"),  # accede to demands
        ("accept", {"object_head": "formula"}, "AGREE", "030"),
        ("hack", {"object_head": "computers"}, "COERCE", "170"),  # PLOVER COERCE, cyber
        ("renege", {"object_head": "commitment"}, "SANCTION", "160"),  # as "promise" in CAMEO.2.0
        ("block", {"object_head": "streets"}, "PROTEST", "144"),  # as "road" in CAMEO.2.0
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
    table = verb_rules()
    for r in rows:  # every curated row is in the table, under its own lemma
        heads = frozenset(h for h in r["object_heads"].split("|") if h)
        assert any(x.object_heads == heads and x.cameo == r["cameo"] for x in table[r["lemma"]])


def test_every_rule_is_reachable() -> None:
    """Each row codes its own lemma with its own code when its conditions hold."""
    for lemma, rules in verb_rules().items():
        for rule in rules:
            head = sorted(rule.object_heads)[0] if rule.object_heads else None
            detail = rule.detail[0] if rule.detail else None
            event = code_event(lemma, object_head=head, detail=detail)
            if rule.cameo == "---" or cameo_codes()[rule.cameo].plover is None:
                assert event is None, (lemma, head, detail)  # an explicit "no event"
                continue
            assert event is not None, (lemma, head, detail)
            ended = polarity().objects.get(head or "")
            if lemma in polarity().verbs and cameo_codes()[rule.cameo].plover == ended:
                # an ending verb coded as the event it ends: polarity gives the ending
                assert ended is not None
                assert event.cameo == polarity().undo[ended], (lemma, head, detail)
                continue
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


# --- the generated table (verbs_cameo.tsv, from CAMEO.2.0.txt by scripts/build_verbs.py) ---

STOP_LEMMAS = [
    *("be", "have", "do", "will", "would", "say", "tell", "make", "take", "give", "get", "go"),
    *("come", "see", "know", "think", "want", "can", "could", "may", "might", "must", "shall"),
    "should",
]
CAMEO_TXT = SHARED / "cameo_dictionaries" / "CAMEO.2.0.txt"
BUILD_VERBS = Path(__file__).resolve().parents[1] / "scripts" / "build_verbs.py"


def test_generated_verb_table_is_well_formed() -> None:
    text = (DATA / "verbs_cameo.tsv").read_text("utf-8")
    comments = [ln for ln in text.splitlines() if ln.startswith("#")]
    header = " ".join(comments)
    for needed in ("CAMEO.2.0.txt", "MIT", "2015 Open Event Data Alliance", "build_verbs.py"):
        assert needed in header
    body = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert body[0] == "lemma\tobject_heads\tdetail\tcameo\tsource"
    assert body[1:] == sorted(body[1:])
    rows = _rows("verbs_cameo.tsv")
    assert len(rows) >= 10_000
    codes = cameo_codes()
    keys: set[tuple[str, str, str]] = set()
    words: set[tuple[str, str, str]] = set()  # (lemma, column, one head or detail phrase)
    for r in rows:
        assert r["cameo"] in codes or r["cameo"] == "---", r
        assert r["lemma"] == " ".join(r["lemma"].lower().split()), r
        assert re.fullmatch(r"CAMEO\.2\.0 \S+ block", r["source"]), r
        assert not (r["object_heads"] and r["detail"]), r  # only simple patterns are read
        key = (r["lemma"], r["object_heads"], r["detail"])
        assert key not in keys, key
        keys.add(key)
        for column in ("object_heads", "detail"):
            for word in filter(None, r[column].split("|")):
                assert (r["lemma"], column, word) not in words, (r["lemma"], word)
                words.add((r["lemma"], column, word))
        if r["lemma"] in STOP_LEMMAS:
            assert r["object_heads"] or r["detail"], f"stop-list lemma with a plain rule: {r}"


@pytest.mark.parametrize("lemma", STOP_LEMMAS)
def test_light_verbs_get_no_plain_event(lemma: str) -> None:
    assert code_event(lemma) is None


def test_generated_verb_table_is_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not CAMEO_TXT.exists():
        pytest.skip(f"shared CAMEO.2.0.txt not found at {CAMEO_TXT}; cannot regenerate")
    spec = importlib.util.spec_from_file_location("build_verbs", BUILD_VERBS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_verbs", module)  # its dataclasses look it up
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script prepends the repository
    spec.loader.exec_module(module)
    out = tmp_path / "verbs_cameo.tsv"
    assert module.main(["--shared", str(SHARED), "--out", str(out), "--quiet"]) == 0
    assert out.read_bytes() == (DATA / "verbs_cameo.tsv").read_bytes()


def _curated_rules() -> dict[str, set[tuple[frozenset[str], tuple[str, ...], str]]]:
    out: dict[str, set[tuple[frozenset[str], tuple[str, ...], str]]] = {}
    for r in _rows("verbs.tsv"):
        heads = frozenset(h for h in r["object_heads"].split("|") if h)
        detail = tuple(d for d in r["detail"].split("|") if d)
        out.setdefault(r["lemma"], set()).add((heads, detail, r["cameo"]))
    return out


def test_curated_lemmas_take_no_generated_rule() -> None:
    curated = _curated_rules()
    table = verb_rules()
    partial = 0
    for lemma, rules in curated.items():
        got = {(r.object_heads, r.detail, r.cameo) for r in table[lemma]}
        if any(not heads and not detail for heads, detail, _ in rules):
            assert got == rules, lemma  # a lemma with a plain rule: the curated ones only
            continue
        # Only objects: the generated rules may fill in other objects, never a plain use,
        # a detail, or an object the curated rules name.
        partial += 1
        assert rules <= got, lemma
        named = {h for heads, _, _ in rules for h in heads}
        for heads, detail, _ in got - rules:
            assert heads, lemma
            assert not detail, lemma
            assert not {f for h in heads for f in (h, h + "s", h.removesuffix("s"))} & named
    assert partial >= 10
    # Other spellings of a curated lemma are not taken from the generated table either.
    generated = {r["lemma"] for r in _rows("verbs_cameo.tsv")}
    assert {"recognize", "criticize", "apologize"} <= generated
    assert not {"recognize", "criticize", "apologize"} & set(table)


def test_a_curated_lemma_without_a_plain_rule_takes_generated_objects() -> None:
    suspend_aid = code_event("suspend", object_head="aid")
    suspend_links = code_event("suspend", object_head="links")
    assert suspend_aid is not None
    assert suspend_aid.cameo == "162"  # curated
    assert suspend_links is not None
    assert suspend_links.cameo == "172"  # CANCEL: - * LINK [172]
    assert code_event("suspend") is None  # no plain rule either way
    accept_proposal = code_event("accept", object_head="proposal")
    assert accept_proposal is not None
    assert accept_proposal.cameo == "032"  # EMBRACE: - * PROPOSAL [032], not curated


@pytest.mark.parametrize(
    ("relation", "kwargs", "cameo", "generated"),
    [
        # (relation, arguments, curated code, what CAMEO.2.0 alone would give)
        ("accuse", {}, "112", "112"),
        ("accuse", {"detail": "of war crimes"}, "1124", None),
        ("expel", {"object_head": "diplomats"}, "166", None),
        ("meet", {}, "040", "040"),
        ("agree", {}, "030", "050"),  # CAMEO.2.0 AGREE block [050]
        ("annex", {}, "192", "171"),  # CAMEO.2.0 TAKE_PROPERTY block [171]
        ("veto", {"object_head": "aid"}, "129", "162"),  # PROHIBIT: - * AID [162]
        ("recognize", {"detail": "as part of Russia"}, "054", None),
    ],
)
def test_curated_coding_is_unchanged(
    relation: str, kwargs: dict[str, str], cameo: str, generated: str | None
) -> None:
    event = code_event(relation, **kwargs)
    assert event is not None
    assert event.cameo == cameo
    rows = [r for r in _rows("verbs_cameo.tsv") if r["lemma"] == relation]
    head = kwargs.get("object_head", "")
    if generated is not None:  # the generated table does say something else
        assert any(
            r["cameo"] == generated and (head in r["object_heads"].split("|") or not head)
            for r in rows
        ), (relation, generated)


@pytest.mark.parametrize(
    ("relation", "kwargs", "plover", "cameo"),
    [
        # Each checked against CAMEO.2.0.txt (block header, synonym line or pattern line).
        ("extradite", {}, "COOPERATE", "063"),  # ---  EXTRADITE   [063]  ---
        ("extradite", {"object_head": "suspects"}, "COOPERATE", "063"),  # - * &SUSPECT [063]
        ("demolish", {}, "ASSAULT", "1712"),  # DESTROY block: DEMOLISH [1712]
        ("riot", {}, "PROTEST", "145"),  # ---  RIOT   [145]  ---
        ("capture", {}, "COERCE", "171"),  # APPREHEND block [171]: CAPTURE
        ("allow", {}, "CONCEDE", "080"),  # ---  ALLOW   [080]  ---
        ("approve", {}, "CONCEDE", "080"),  # ALLOW block: APPROVE
        ("halt", {"object_head": "aid"}, "SANCTION", "162"),  # CANCEL: - * AID [162] # HALT
        ("halt", {"object_head": "embassy"}, "SANCTION", "161"),  # CANCEL: - * EMBASSY [161]
        ("terminate", {"object_head": "talks"}, "SANCTION", "160"),  # - * TALKS [160]
        ("grant", {}, "COOPERATE", "060"),  # ---  GRANT   [060]  ---
        ("grant", {"object_head": "asylum"}, "AID", "075"),  # GRANT: - * &ASYLUM [075]
        ("suspect", {"detail": "of treason"}, "ACCUSE", "1125"),  # - * (OF TREASON) [1125]
        ("burn down", {}, "ASSAULT", "1712"),  # BURN: - * DOWN [1712]
        ("rush to", {}, "CONSULT", "042"),  # ACCELERATE: - * (TO) [042:043]
        ("take over", {}, "COERCE", "171"),  # TAKE_CONTROL [171]: +TAKE_OVER
    ],
)
def test_generated_coverage(relation: str, kwargs: dict[str, str], plover: str, cameo: str) -> None:
    assert relation not in _curated_rules()
    event = code_event(relation, **kwargs)
    assert event is not None
    assert (event.plover, event.cameo) == (plover, cameo)


def test_explicit_no_event_pattern() -> None:
    # GRANT block [060] with "- * ACCESS [---]" (its first ACCESS pattern): no event.
    assert code_event("grant") is not None
    assert code_event("grant", object_head="access") is None
    # CANCEL block [---]: "- * SEARCH [---] # HALT" and "- * AID [162] # HALT".
    assert code_event("halt", object_head="search") is None
    assert code_event("halt", object_head="aid") is not None
    assert any(r.cameo == "---" for r in verb_rules()["grant"])


def test_unknown_code_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from geokg import events

    def fake_rows(name: str) -> list[dict[str, str]]:
        if name == "verbs_cameo.tsv":
            row = {"lemma": "frobnicate", "object_heads": "", "detail": "", "source": "test"}
            return [{**row, "cameo": "---"}, {**row, "object_heads": "x", "cameo": "999"}]
        return real_rows(name)

    real_rows = events._rows
    monkeypatch.setattr(events, "_rows", fake_rows)
    events.verb_rules.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"verbs_cameo.tsv: 'frobnicate' uses CAMEO '999'"):
            events.verb_rules()
    finally:
        monkeypatch.undo()
        events.verb_rules.cache_clear()


def test_a_phrasal_verb_the_tables_lack_is_coded_as_its_verb() -> None:
    beat = code_event("beat")
    assert beat is not None
    assert code_event("beat up") == beat
    # A phrasal verb with rules of its own keeps them.
    call_off = code_event("call off")
    assert call_off is not None
    assert call_off != code_event("call")
