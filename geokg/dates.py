"""Time expressions in news sentences and their resolution against the article's date.

:func:`find_time_expressions` finds the spans; :func:`resolve_date` turns one into an ISO date.
Calendar arithmetic is done by ``dateutil.relativedelta`` and month-name dates are parsed by
``dateparser``; this module only chooses the rule. The rules (news convention):

=============================  ===========================================================
expression                     resolves to (anchor = the article's date)
=============================  ===========================================================
"today", "tonight",            the anchor
"this morning", "overnight"
"yesterday", "last night"      the anchor − 1 day
"tomorrow"                     the anchor + 1 day
"on Sunday", "Sunday"          past or unknown tense: the latest Sunday on or before the
                               anchor (the anchor itself if it is a Sunday); future tense:
                               the first Sunday after the anchor
"this Thursday"                the Thursday of the anchor's week (weeks run Monday-Sunday);
                               past or unknown tense: a week earlier if that is after the
                               anchor
"last Thursday"                the latest Thursday strictly before the anchor
"next Thursday"                the first Thursday strictly after the anchor
"this/last/next week",         the Monday of that week, as a full date ``YYYY-MM-DD``
"earlier/later this week"
"this/last/next month",        ``YYYY-MM`` of that month (reduced precision)
"earlier/later this month"
"this/last/next year", ...     ``YYYY`` of that year
"12 May 2025", "May 12, 2025"  that date; no anchor needed
"May 12", "12 May"             that day in the anchor's year, moved one year back (past or
                               unknown tense) or on (future tense) when it is after (before)
                               the anchor
"May 2025", "in May"           ``YYYY-MM``; a bare month takes the anchor's year, moved one
                               year back (past or unknown tense) or on (future tense) when
                               that month is after (before) the anchor's month
"in 2014", "2014"              ``YYYY``
=============================  ===========================================================

A relative or partial expression is never resolved to after the anchor unless the clause is in
the future tense (the pipeline passes ``tense="future"`` for intended acts: "will", "plans to")
or the expression itself points forward ("tomorrow", "next week", "later this month").
Parts of the day ("on Monday morning") are ignored. Anything else gives ``None``, as does a
relative expression without an anchor.

>>> resolve_date("on Sunday", "2025-05-15", tense="past")
'2025-05-11'
>>> resolve_date("earlier this month", "2025-05-15")
'2025-05'
>>> find_time_expressions("Putin spoke on Sunday and again overnight.")
[(12, 21, 'on Sunday'), (32, 41, 'overnight')]
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Literal

import dateparser
from dateutil.relativedelta import (
    FR,
    MO,
    SA,
    SU,
    TH,
    TU,
    WE,
    relativedelta,
    weekday,
)

from geokg.errors import ConfigError

__all__ = ["TIME_EXPR", "Tense", "find_time_expressions", "resolve_date"]

Tense = Literal["past", "future", "unknown"]

_WEEKDAYS: dict[str, weekday] = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# In running text a month name is capitalised ("may" is a verb): matched case-sensitively.
_MONTHS_CAP = "(?-i:" + "|".join(m.title() for m in _MONTHS.split("|")) + ")"
_WD = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"

#: The time-expression patterns, most specific first (case-insensitive).
TIME_EXPR: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # 12 May 2025 / May 12, 2025 / May 12 / 12 May (optionally after "on")
        rf"\b(?:on\s+)?(?:{_DAY}\s+(?:of\s+)?(?:{_MONTHS_CAP})\.?(?:,?\s+{_YEAR})?"
        rf"|(?:{_MONTHS_CAP})\.?\s+{_DAY}\b(?:,?\s+{_YEAR})?)\b",
        # May 2025 / in May / in 2014
        rf"\b(?:in\s+|since\s+)?(?:{_MONTHS_CAP})\.?\s+{_YEAR}\b",
        rf"\bin\s+(?:{_MONTHS_CAP})\b(?!\s+\d)",
        rf"\b(?:in|since)\s+{_YEAR}\b",
        # weekdays
        rf"\b(?:(?:on|this|last|next|by|until|since)\s+)?(?:{_WD}){_PART}\b",
        # relative days and periods
        r"\b(?:yesterday|today|tonight|tomorrow|overnight|last\s+night)"
        r"(?:\s+(?:morning|afternoon|evening))?\b",
        r"\bthis\s+(?:morning|afternoon|evening)\b",
        r"\b(?:(?:earlier|later)\s+this|this|last|next)\s+(?:week|month|year)\b",
    )
)


def find_time_expressions(text: str) -> list[tuple[int, int, str]]:
    """Character spans of the time expressions in ``text``, in text order, non-overlapping.

    Where two patterns overlap, the longer (then earlier) match wins.

    >>> find_time_expressions("They met on 12 May 2025 and will talk next week.")
    [(9, 23, 'on 12 May 2025'), (38, 47, 'next week')]
    """
    found: list[tuple[int, int]] = []
    for pattern in TIME_EXPR:
        found.extend((m.start(), m.end()) for m in pattern.finditer(text))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    chosen: list[tuple[int, int]] = []
    for start, end in found:
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return [(s, e, text[s:e]) for s, e in sorted(chosen)]


def _anchor_date(anchor: str | None) -> dt.date | None:
    if anchor is None or not anchor.strip():
        return None
    try:
        return dt.date.fromisoformat(anchor.strip()[:10])
    except ValueError as exc:
        raise ConfigError(
            f"anchor date {anchor!r} is not ISO-8601; pass the article date as 'YYYY-MM-DD' "
            "(a timestamp such as '2025-05-15T09:00:00Z' also works)"
        ) from exc


def _shift(day: dt.date, **kwargs: object) -> dt.date:
    """``day`` moved by a ``relativedelta`` (typed wrapper: dateutil ships no stubs here)."""
    moved: dt.date = day + relativedelta(**kwargs)
    return moved


def _monday(day: dt.date) -> dt.date:
    return _shift(day, weekday=MO(-1))


@functools.lru_cache(maxsize=4096)
def _parse_day(expr: str, anchor: dt.date | None) -> dt.date | None:
    """A month-name date via dateparser; year-less dates take the anchor's year.

    A dateparser call costs about a millisecond, 60 times the rest of :func:`resolve_date`;
    the same date recurs within an article (and the anchor is the article's), so answers are
    kept per (expression, anchor).
    """
    has_year = re.search(rf"\b{_YEAR}\b", expr) is not None
    if not has_year and anchor is None:
        return None
    base = dt.datetime.combine(anchor or dt.date(2000, 1, 1), dt.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month"],
    }
    parsed = dateparser.parse(expr, languages=["en"], settings=settings)
    if parsed is None:
        return None
    day: dt.date = parsed.date()
    if not has_year and anchor is not None and day.year != anchor.year:
        day = day.replace(year=anchor.year)  # pragma: no cover - dateparser keeps the base year
    return day


def _month_number(name: str) -> int:
    return dt.datetime.strptime(name[:3].title(), "%b").month


def resolve_date(expr: str, anchor: str | None, *, tense: Tense = "unknown") -> str | None:
    """Resolve a time expression to an ISO date (or ``YYYY-MM`` / ``YYYY``).

    Args:
        expr: The expression, e.g. ``"on Sunday"``, ``"earlier this month"``, ``"12 May"``.
        anchor: The article's date (``YYYY-MM-DD`` or an ISO timestamp), or ``None``.
        tense: Tense of the clause: picks the Sunday before or after the anchor.

    Returns:
        The date, or ``None`` when the expression is not understood or needs a missing anchor.

    Raises:
        ConfigError: ``anchor`` is not an ISO date.

    >>> resolve_date("yesterday", "2025-01-01")
    '2024-12-31'
    >>> resolve_date("will meet on Sunday", "2025-05-15", tense="future")
    '2025-05-18'
    >>> resolve_date("May 12, 2025", None)
    '2025-05-12'
    """
    base = _anchor_date(anchor)
    text = " ".join(expr.lower().replace(",", " , ").split()).replace(" , ", ", ")

    # Absolute or year-less calendar dates with a month name and a day.
    m = re.search(
        rf"\b(?:{_DAY}\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+{_YEAR})?"
        rf"|(?:{_MONTHS})\.?\s+{_DAY}\b(?:,?\s+{_YEAR})?)",
        text,
    )
    if m:
        day = _parse_day(m.group(0).replace(" of ", " "), base)
        if day is None:
            return None
        if base is not None and not re.search(rf"\b{_YEAR}\b", m.group(0)):
            # A year-less date is the latest one on or before the article, unless the clause
            # is in the future tense (then the first one on or after it).
            if tense != "future" and day > base:
                day = _shift(day, years=-1)
            elif tense == "future" and day < base:
                day = _shift(day, years=+1)
        return day.isoformat()

    m = re.search(rf"\b({_MONTHS})\.?\s+({_YEAR})\b", text)
    if m:
        return f"{int(m.group(2)):04d}-{_month_number(m.group(1)):02d}"

    m = re.search(rf"\b(?:in|since)\s+({_MONTHS})\b", text)
    if m:
        if base is None:
            return None
        month = _month_number(m.group(1))
        year = base.year
        if tense != "future" and month > base.month:
            year -= 1
        elif tense == "future" and month < base.month:
            year += 1
        return f"{year:04d}-{month:02d}"

    m = re.search(rf"^(?:in\s+|since\s+)?({_YEAR})$", text) or re.search(
        rf"\b(?:in|since)\s+({_YEAR})\b", text
    )
    if m:
        return m.group(1)

    if base is None:
        return None

    m = re.search(rf"\b(?:(this|last|next)\s+)?({_WD})\b", text)
    if m:
        which, wd = m.group(1), _WEEKDAYS[m.group(2)]
        if which == "this":
            day = _shift(_monday(base), weekday=wd(+1))
            if tense != "future" and day > base:
                day = _shift(day, weeks=-1)
        elif which == "last":
            day = _shift(base, days=-1, weekday=wd(-1))
        elif which == "next" or tense == "future":
            day = _shift(base, days=+1, weekday=wd(+1))
        else:
            day = _shift(base, weekday=wd(-1))
        return day.isoformat()

    if re.search(r"\b(?:yesterday|last night)\b", text):
        return _shift(base, days=-1).isoformat()
    if re.search(r"\btomorrow\b", text):
        return _shift(base, days=+1).isoformat()
    if re.search(r"\b(?:today|tonight|overnight|this (?:morning|afternoon|evening))\b", text):
        return base.isoformat()

    m = re.search(r"\b(?:(?:earlier|later)\s+)?(this|last|next)\s+(week|month|year)\b", text)
    if m:
        step = {"this": 0, "last": -1, "next": 1}[m.group(1)]
        unit = m.group(2)
        if unit == "week":
            return _monday(_shift(base, weeks=step)).isoformat()
        if unit == "month":
            first = _shift(base.replace(day=1), months=step)
            return f"{first.year:04d}-{first.month:02d}"
        return f"{base.year + step:04d}"
    return None
