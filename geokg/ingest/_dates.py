"""Publication dates: from metadata values and from dated lines in the text.

A strict pattern finds a candidate first (so a stray number is never read as a date), and
python-dateutil turns the candidate into a date. Numeric dates such as ``05/06/2025`` are
ambiguous (day or month first) and are never used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from dateutil import parser as dateutil_parser

__all__ = ["find_date", "normalise_date"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_TIME_TAIL = r"(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?"

_PUBLISHED = re.compile(
    rf"^(?:first\s+)?(?:published|posted|date)(?:\s+on)?:?\s+(?:{_WEEKDAY})?(?P<d>{_DATE})",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    rf"^(?:last\s+)?(?:updated|modified)(?:\s+on)?:?\s+(?:{_WEEKDAY})?(?P<d>{_DATE})",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z.'’ -]{{1,40}}(?:\s*\([^)]{{1,40}}\))?,?\s+(?:{_WEEKDAY})?(?P<d>{_DATE})"
    r"\s*(?:[—–-]|$)"
)
_ALONE = re.compile(rf"^(?:{_WEEKDAY})?(?P<d>{_DATE}){_TIME_TAIL}$", re.IGNORECASE)
_TWEET = re.compile(rf"\(@\w{{1,15}}\)\s+(?P<d>{_DATE})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_ANY_DATE = re.compile(rf"^\s*(?:{_WEEKDAY})?(?P<d>{_DATE}){_TIME_TAIL}\s*$", re.IGNORECASE)

_HEAD_LINES = 20


def _parse(candidate: str) -> str | None:
    """Parse one strictly matched date string with dateutil; ``None`` if it is not a date."""
    try:
        value = dateutil_parser.parse(candidate.replace(",", " "), default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    if not isinstance(value, dt.datetime) or not 1800 <= value.year <= 2200:
        return None
    return value.date().isoformat()


def normalise_date(value: object) -> str | None:
    """Return ``YYYY-MM-DD`` for a metadata date value, or ``None`` if it is not a clear date.

    An ISO timestamp keeps its own calendar date (no time-zone conversion).

    >>> normalise_date("2024-10-11T15:01:22-04:00")
    '2024-10-11'
    >>> normalise_date("1987-03-05T09:02:50.880000")
    '1987-03-05'
    >>> normalise_date("Monday 12 May 2025")
    '2025-05-12'
    >>> normalise_date("05/06/2025") is None
    True
    >>> normalise_date(None) is None
    True
    """
    if not isinstance(value, str):
        return None
    iso = _ISO.match(value)
    if iso is not None:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        except ValueError:
            return None
    match = _ANY_DATE.match(value)
    return None if match is None else _parse(match["d"])


def find_date(lines: Sequence[str]) -> str | None:
    """Find the publication date in the raw lines of an article, or ``None``.

    In order: a ``Published ...`` line, a dateline (``LONDON, May 12, 2025 —``) or a line that
    is only a date near the top, an ``Updated ...`` line; as a last resort the latest date of an
    embedded tweet's signature (``— Name (@handle) May 12, 2025``), since an article is
    published on or after the tweets it quotes.

    >>> find_date(["Leaders meet", "ROME, March 3, 2024 — The talks began."])
    '2024-03-03'
    >>> find_date(["Talks", "— A Person (@aperson) May 12, 2025", "More text."])
    '2025-05-12'
    >>> find_date(["No date at all here."]) is None
    True
    """
    head = [line.strip() for line in lines[:_HEAD_LINES]]
    for pattern in (_PUBLISHED, _DATELINE, _ALONE, _UPDATED):
        for line in head:
            match = pattern.match(line)
            if match is not None:
                parsed = _parse(match["d"])
                if parsed is not None:
                    return parsed
    tweets = [
        parsed
        for line in lines
        if (match := _TWEET.search(line)) is not None and (parsed := _parse(match["d"])) is not None
    ]
    return max(tweets) if tweets else None
