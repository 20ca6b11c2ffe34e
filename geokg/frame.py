"""The relation rows of a build as a pandas DataFrame (the optional extra ``pandas``).

:func:`relations_frame` turns rows of ``triples.jsonl`` (docs/OUTPUTS.md), as
:attr:`geokg.pipeline.BuildResult.relations` holds them, into a table with one row per relation
and the flat columns of :data:`RELATION_COLUMNS`; :func:`read_relations` does the same for a
build's ``OUT/triples.jsonl``. Reading the rows (:func:`read_rows`) needs only the standard
library; pandas is imported when a frame is made.

The columns are a contract like the files': they may be added to, never removed or renamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geokg.errors import InputError, MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RELATION_COLUMNS", "TRIPLES_FILE", "read_relations", "read_rows", "relations_frame"]

#: The rows file of a build folder.
TRIPLES_FILE = "triples.jsonl"

#: The frame's columns, in order: ``(name, pandas dtype, meaning)``. Strings are pandas'
#: ``string`` dtype, so a missing value is ``<NA>`` whatever the pandas version; ``Int64`` is
#: the nullable integer; ``float64`` has ``NaN`` where a value is missing.
RELATION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "string", "stable relation id r-…"),
    ("doc_id", "string", "the document"),
    ("subject_id", "string", "actor id of the subject (RUS, Q7747, person:…)"),
    ("subject_label", "string", "its canonical name"),
    ("subject_type", "string", "person, country, organisation, location, group, other"),
    ("subject_country", "string", "ISO 3166 alpha-3 of the subject's state"),
    ("relation", "string", "predicate lemma (accuse, call on)"),
    ("object_id", "string", "actor id of the object; <NA> for an event with no actor target"),
    ("object_label", "string", "its canonical name"),
    ("object_type", "string", "its type"),
    ("object_country", "string", "ISO 3166 alpha-3 of the object's state"),
    ("event_type", "string", "PLOVER event type; <NA> when the verb is not in the dictionary"),
    ("cameo", "string", "CAMEO code"),
    ("quad_class", "Int64", "1-4: verbal/material cooperation, verbal/material conflict"),
    ("goldstein", "float64", "Goldstein score"),
    ("modality", "string", "asserted, reported, requested, intended, hypothetical, negated"),
    ("negated", "bool", "the predicate is negated"),
    ("speaker_id", "string", "actor id of who said it"),
    ("speaker_label", "string", "its canonical name"),
    ("date", "string", "ISO date of the event (YYYY-MM-DD, YYYY-MM or YYYY)"),
    ("date_source", "string", "text (the sentence dates it) or article (the article's date)"),
    ("confidence", "float64", "calibrated probability that the row is right"),
    ("prior", "float64", "the extractor's own literal"),
    ("extractor", "string", "relation extractor (svo.v2)"),
    ("rule", "string", "the extractor's construction that found it"),
    ("model", "string", "spaCy pipeline lang_name-version"),
    ("sentence", "string", "the source sentence as in the document text"),
    ("sentence_start", "Int64", "start of the sentence in the document text"),
    ("sentence_end", "Int64", "end of the sentence (exclusive)"),
    ("subject_text", "string", "the subject as written"),
    ("subject_kind", "string", "name, role, pronoun, nominal, handle"),
    ("subject_start", "Int64", "start of the subject as written, in the document text"),
    ("subject_end", "Int64", "its end (exclusive)"),
    ("object_text", "string", "the object as written (what an untargeted event acts on)"),
    ("object_kind", "string", "name, role, pronoun, nominal, handle, theme"),
    ("object_start", "Int64", "start of the object as written, in the document text"),
    ("object_end", "Int64", "its end (exclusive)"),
    ("trigger_start", "Int64", "start of the predicate in the document text"),
    ("trigger_end", "Int64", "end of the predicate (exclusive)"),
    ("detail", "string", "complement such as 'of prolonging the war'"),
    ("time_text", "string", "the time expression the date was resolved from"),
    ("place_name", "string", "where it happened (gazetteer name)"),
    ("place_country", "string", "ISO 3166 alpha-3 of that place's state"),
    ("typing_source", "string", "where the event type came from: dictionary, classifier, none"),
)

# Fields a row must have to be read (older builds may lack the fields added since).
_REQUIRED = ("id", "subject", "relation", "doc_id", "sentence", "span")
_PANDAS_HINT = "pip install 'geokg[pandas]'"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise MissingExtraError(
            f"a relations frame needs pandas, which is not installed ({exc}); {_PANDAS_HINT}"
        ) from exc
    return pandas


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else None


def _pair(obj: Any, i: int) -> Any:
    return obj[i] if isinstance(obj, list | tuple) and len(obj) == 2 else None


def _flat(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """One row's values, in the order of :data:`RELATION_COLUMNS`."""
    subject, obj, speaker = row["subject"], row.get("object"), row.get("speaker")
    event, place = row.get("event"), row.get("place")
    subject_mention, object_mention = row.get("subject_mention"), row.get("object_mention")
    span, trigger = row.get("span"), row.get("trigger")
    return (
        row["id"],
        row["doc_id"],
        _get(subject, "id"),
        _get(subject, "label"),
        _get(subject, "type"),
        _get(subject, "country"),
        row["relation"],
        _get(obj, "id"),
        _get(obj, "label"),
        _get(obj, "type"),
        _get(obj, "country"),
        _get(event, "plover"),
        _get(event, "cameo"),
        _get(event, "quad_class"),
        _get(event, "goldstein"),
        row.get("modality"),
        bool(row.get("negated", False)),
        _get(speaker, "id"),
        _get(speaker, "label"),
        row.get("date"),
        row.get("date_source"),
        row.get("confidence"),
        row.get("prior", row.get("confidence")),
        row.get("extractor"),
        row.get("rule"),
        row.get("model"),
        row["sentence"],
        _pair(span, 0),
        _pair(span, 1),
        _get(subject_mention, "text"),
        _get(subject_mention, "kind"),
        _pair(_get(subject_mention, "span"), 0),
        _pair(_get(subject_mention, "span"), 1),
        _get(object_mention, "text"),
        _get(object_mention, "kind"),
        _pair(_get(object_mention, "span"), 0),
        _pair(_get(object_mention, "span"), 1),
        _pair(trigger, 0),
        _pair(trigger, 1),
        row.get("detail"),
        row.get("time_text"),
        _get(place, "name"),
        _get(place, "country"),
        _get(row.get("typing"), "source"),
    )


def relations_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame with one row per relation row and the columns of :data:`RELATION_COLUMNS`.

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'geokg[pandas]'``).
    """
    pandas = _pandas()
    columns: list[list[Any]] = [[] for _ in RELATION_COLUMNS]
    for row in rows:
        for column, value in zip(columns, _flat(row), strict=True):
            column.append(value)
    frame: pd.DataFrame = pandas.DataFrame(
        {
            name: pandas.Series(values, dtype=dtype)
            for (name, dtype, _), values in zip(RELATION_COLUMNS, columns, strict=True)
        }
    )
    return frame


def _triples_path(path: str | Path) -> Path:
    p = Path(path)
    return p / TRIPLES_FILE if p.is_dir() else p


def _iter_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of ``path``, a ``triples.jsonl`` file, checked line by line."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        where = (
            "no such file; build into that folder first (geokg build INPUT... -o OUT, or "
            "geokg.build(inputs, OUT))"
            if path.name == TRIPLES_FILE and path.parent.is_dir()
            else "no such file or folder"
        )
        raise InputError(str(path), where) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    with fh:
        try:
            for n, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                yield _parse_row(raw, f"{path}:{n}")
        except OSError as exc:
            raise InputError(str(path), f"cannot be read ({exc.strerror or exc})") from None


def _parse_row(raw: bytes, where: str) -> dict[str, Any]:
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except ValueError as exc:
        raise InputError(where, f"not JSON ({exc})") from None
    if not isinstance(row, dict):
        raise InputError(where, f"not a triples.jsonl row (a JSON {type(row).__name__})")
    missing = [key for key in _REQUIRED if key not in row]
    if missing:
        raise InputError(where, f"not a triples.jsonl row (no {', '.join(missing)})")
    if not isinstance(row["subject"], dict):
        raise InputError(where, "not a triples.jsonl row (its subject is no object)")
    return row


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a ``triples.jsonl`` file, or of ``OUT/triples.jsonl`` for a build folder.

    Raises:
        InputError: the file is missing, unreadable, not UTF-8, or a line is not JSON or not a
            row (one line naming the file, the line and the reason).
    """
    return list(_iter_rows(_triples_path(path)))


def read_relations(path: str | Path) -> pd.DataFrame:
    """The relations of a build as a DataFrame (:func:`relations_frame`).

    Args:
        path: A build folder (its ``triples.jsonl`` is read) or a ``triples.jsonl`` file.

    Raises:
        InputError: as :func:`read_rows`.
        MissingExtraError: pandas is not installed (``pip install 'geokg[pandas]'``).
    """
    _pandas()  # before reading: a missing extra is said at once
    return relations_frame(_iter_rows(_triples_path(path)))
