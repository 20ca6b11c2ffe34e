"""Tests of geokg.dates: finding time expressions and resolving them against the article date."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geokg.dates import find_time_expressions, resolve_date
from geokg.errors import ConfigError

THU = "2025-05-15"  # a Thursday
SUN = "2025-05-18"  # a Sunday


MAR = "2025-03-10"  # a Monday in March


@pytest.mark.parametrize(
    ("expr", "tense", "expected"),
    [
        # Past (or unknown) tense: never after the article's date.
        ("October 7th", "past", "2024-10-07"),
        ("on October 7", "unknown", "2024-10-07"),
        ("7 October", "past", "2024-10-07"),
        ("March 12", "past", "2024-03-12"),
        ("March 10", "past", MAR),  # the article's own day
        ("March 9", "past", "2025-03-09"),
        ("in October", "unknown", "2024-10"),
        ("in March", "past", "2025-03"),
        ("on Sunday", "past", "2025-03-09"),
        ("this Friday", "past", "2025-03-07"),
        # The clause is in the future tense ("will", "plans to"): on or after the article's date.
        ("October 7th", "future", "2025-10-07"),
        ("March 12", "future", "2025-03-12"),
        ("March 2", "future", "2026-03-02"),
        ("in October", "future", "2025-10"),
        ("in February", "future", "2026-02"),
        ("on Sunday", "future", "2025-03-16"),
        ("this Friday", "future", "2025-03-14"),
        # The expression itself points forward, whatever the tense.
        ("tomorrow", "past", "2025-03-11"),
        ("next week", "past", "2025-03-17"),
        ("next month", "unknown", "2025-04"),
        ("next Friday", "past", "2025-03-14"),
        ("next year", "past", "2026"),
        # A year in the text is kept as written.
        ("October 7, 2025", "past", "2025-10-07"),
    ],
)
def test_partial_dates_are_not_after_the_article_unless_future(
    expr: str, tense: str, expected: str
) -> None:
    assert resolve_date(expr, MAR, tense=tense) == expected  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    anchor=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    form=st.sampled_from(["{m} {d}", "{d} {m}", "on {m} {d}th", "in {m}"]),
    tense=st.sampled_from(["past", "unknown", "future"]),
)
def test_partial_date_property(
    anchor: dt.date, month: int, day: int, form: str, tense: str
) -> None:
    name = dt.date(2000, month, 1).strftime("%B")
    got = resolve_date(form.format(m=name, d=day), anchor.isoformat(), tense=tense)  # type: ignore[arg-type]
    assert got is not None
    if len(got) == 7:  # "in <month>": compare months
        anchor_key, got_key = anchor.isoformat()[:7], got
    else:
        anchor_key, got_key = anchor.isoformat(), got
    assert int(got[5:7]) == month
    if tense == "future":
        assert anchor_key <= got_key < f"{anchor.year + 1}{anchor.isoformat()[4:]}"
    else:
        assert f"{anchor.year - 1}{anchor.isoformat()[4:]}" < got_key <= anchor_key


@pytest.mark.parametrize(
    ("expr", "anchor", "tense", "expected"),
    [
        ("on Sunday", THU, "past", "2025-05-11"),
        ("on Sunday", THU, "unknown", "2025-05-11"),
        ("on Sunday", THU, "future", "2025-05-18"),
        ("on Sunday", SUN, "past", "2025-05-18"),  # the anchor itself counts
        ("on Sunday", SUN, "future", "2025-05-25"),
        ("Sunday", THU, "past", "2025-05-11"),
        ("on Monday morning", THU, "past", "2025-05-12"),
        ("this Thursday", THU, "unknown", "2025-05-15"),
        ("this Sunday", THU, "unknown", "2025-05-11"),  # not after the anchor unless future
        ("this Sunday", THU, "future", "2025-05-18"),
        ("this Monday", THU, "future", "2025-05-12"),
        ("last Thursday", THU, "past", "2025-05-08"),
        ("last Friday", THU, "past", "2025-05-09"),
        ("next Thursday", THU, "future", "2025-05-22"),
        ("next Friday", THU, "unknown", "2025-05-16"),
        ("overnight", THU, "past", THU),
        ("today", THU, "unknown", THU),
        ("tonight", THU, "future", THU),
        ("this morning", THU, "past", THU),
        ("yesterday", THU, "past", "2025-05-14"),
        ("last night", THU, "past", "2025-05-14"),
        ("tomorrow", THU, "future", "2025-05-16"),
        ("earlier this month", THU, "past", "2025-05"),
        ("later this month", THU, "future", "2025-05"),
        ("last month", THU, "past", "2025-04"),
        ("next month", THU, "future", "2025-06"),
        ("earlier this week", THU, "past", "2025-05-12"),
        ("last week", THU, "past", "2025-05-05"),
        ("next week", THU, "future", "2025-05-19"),
        ("earlier this year", THU, "past", "2025"),
        ("last year", THU, "past", "2024"),
        ("May 12", THU, "past", "2025-05-12"),
        ("12 May", THU, "past", "2025-05-12"),
        ("on 3rd of May", THU, "past", "2025-05-03"),
        ("December 30", THU, "past", "2024-12-30"),  # the latest December 30 before the anchor
        ("December 30", THU, "future", "2025-12-30"),
        ("in May", THU, "past", "2025-05"),
        ("in December", THU, "past", "2024-12"),
        ("in December", THU, "future", "2025-12"),
        ("in January", THU, "future", "2026-01"),
        ("in 2014", THU, "past", "2014"),
    ],
)
def test_resolve_relative(expr: str, anchor: str, tense: str, expected: str) -> None:
    assert resolve_date(expr, anchor, tense=tense) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "anchor", "expected"),
    [
        ("yesterday", "2025-01-01", "2024-12-31"),
        ("last month", "2025-01-10", "2024-12"),
        ("next month", "2024-12-31", "2025-01"),
        ("last year", "2025-01-01", "2024"),
        ("last week", "2025-01-02", "2024-12-23"),
        ("on Wednesday", "2025-01-01", "2025-01-01"),
        ("on Tuesday", "2025-01-01", "2024-12-31"),
        ("yesterday", "2024-03-01", "2024-02-29"),
        ("yesterday", "2023-03-01", "2023-02-28"),
        ("tomorrow", "2024-02-28", "2024-02-29"),
        ("Feb 29", "2024-06-01", "2024-02-29"),
        ("last Thursday", "2024-03-07", "2024-02-29"),
    ],
)
def test_resolve_across_year_and_leap_boundaries(expr: str, anchor: str, expected: str) -> None:
    assert resolve_date(expr, anchor, tense="past") == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("12 May 2025", "2025-05-12"),
        ("May 12, 2025", "2025-05-12"),
        ("on 29 February 2024", "2024-02-29"),
        ("May 2025", "2025-05"),
        ("in 2014", "2014"),
        ("2014", "2014"),
    ],
)
def test_absolute_dates_need_no_anchor(expr: str, expected: str) -> None:
    assert resolve_date(expr, None) == expected
    assert resolve_date(expr, "1999-01-01") == expected


@pytest.mark.parametrize("expr", ["on Sunday", "yesterday", "earlier this month", "May 12"])
def test_relative_without_anchor_is_none(expr: str) -> None:
    assert resolve_date(expr, None) is None
    assert resolve_date(expr, "") is None


@pytest.mark.parametrize("expr", ["nonsense", "", "soon", "29 February 2025"])
def test_unresolvable(expr: str) -> None:
    assert resolve_date(expr, THU) is None


def test_anchor_may_be_a_timestamp() -> None:
    assert resolve_date("yesterday", "2024-10-11T15:01:22-04:00") == "2024-10-10"


def test_bad_anchor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not ISO-8601"):
        resolve_date("yesterday", "15/05/2025")


def test_no_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert resolve_date("12 May", THU) == "2025-05-12"
        assert resolve_date("May 12, 2025", None) == "2025-05-12"


@settings(max_examples=100, deadline=None)
@given(
    anchor=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    weekday=st.sampled_from(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ),
    tense=st.sampled_from(["past", "future"]),
)
def test_weekday_property(anchor: dt.date, weekday: str, tense: str) -> None:
    got = resolve_date(f"on {weekday}", anchor.isoformat(), tense=tense)  # type: ignore[arg-type]
    assert got is not None
    day = dt.date.fromisoformat(got)
    assert day.strftime("%A") == weekday
    delta = (day - anchor).days
    assert (0 >= delta > -7) if tense == "past" else (0 < delta <= 7)


def test_find_time_expressions() -> None:
    text = (
        "Earlier this month, on Monday morning, the minister said that on 3 March 2022 and "
        "in 2014 Russia acted; yesterday and last night, on May 12, 2025 and this Thursday; "
        "overnight, in May, last week."
    )
    found = find_time_expressions(text)
    assert [t for _, _, t in found] == [
        "Earlier this month",
        "on Monday morning",
        "on 3 March 2022",
        "in 2014",
        "yesterday",
        "last night",
        "on May 12, 2025",
        "this Thursday",
        "overnight",
        "in May",
        "last week",
    ]
    for start, end, t in found:
        assert text[start:end] == t
        assert resolve_date(t, THU, tense="past") is not None


def test_find_time_expressions_ignores_plain_text() -> None:
    text = "Mayday calls may arrive in March; they may 5 times, in may."
    assert find_time_expressions(text) == [(24, 32, "in March")]
    assert find_time_expressions("The minister accused Russia of lying.") == []


def test_dateparser_is_asked_once_per_date_and_anchor(monkeypatch: pytest.MonkeyPatch) -> None:
    import dateparser

    from geokg import dates

    calls: list[str] = []
    real = dateparser.parse

    def counting(expr: str, *args: object, **kwargs: object) -> object:
        calls.append(expr)
        return real(expr, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates.dateparser, "parse", counting)
    dates._parse_day.cache_clear()
    first = [resolve_date("on 12 May", "2025-06-01") for _ in range(3)]
    assert first == ["2025-05-12"] * 3
    assert calls == ["12 may"]
    # Another anchor is another question (a year-less date takes the anchor's year) ...
    assert resolve_date("on 12 May", "2024-06-01") == "2024-05-12"
    # ... and the future tense, which moves the answer after the lookup, shares the answer.
    assert resolve_date("on 12 May", "2025-06-01", tense="future") == "2026-05-12"
    assert calls == ["12 may", "12 may"]
