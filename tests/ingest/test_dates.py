"""Publication dates from metadata and from dated lines."""

from __future__ import annotations

import pytest

from geokg.ingest._dates import find_date, normalise_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-11T15:01:22-04:00", "2024-10-11"),
        ("2024-10-11T23:30:00+00:00", "2024-10-11"),
        ("1987-03-05T09:02:50.880000", "1987-03-05"),
        ("2025-05-12", "2025-05-12"),
        ("12 May 2025", "2025-05-12"),
        ("Tuesday, March 3, 2024 10:15 GMT", "2024-03-03"),
        ("2025-02-30", None),
        ("05/06/2025", None),
        ("last week", None),
        ("", None),
        (20250512, None),
        (None, None),
    ],
)
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Deal signed", "Published 3 March 2024", "Text."], "2024-03-03"),
        (["Deal signed", "Published: Monday 4 March 2024 at 10:05 GMT", "Text."], "2024-03-04"),
        (["Deal signed", "ROME, March 5, 2024 — The deal was signed."], "2024-03-05"),
        (["Deal signed", "VIENNA (Example News), 6 March 2024 - Text."], "2024-03-06"),
        (["Deal signed", "7 March 2024", "Text."], "2024-03-07"),
        (["Deal signed", "Last updated 9 March 2024", "Published 8 March 2024"], "2024-03-08"),
        (["Deal signed", "The deal of 2 May 2021 was signed in Rome."], None),
        (["Deal", "— A (@a) May 1, 2025", "Text", "— B (@b) May 3, 2025"], "2025-05-03"),
        (["Deal signed", "Signed in 2024 after 12 rounds."], None),
    ],
)
def test_find_date(lines: list[str], expected: str | None) -> None:
    assert find_date(lines) == expected


def test_dateline_beats_tweet_signature() -> None:
    lines = ["Deal", "ROME, March 5, 2024 — Text", "— A (@a) May 1, 2025"]
    assert find_date(lines) == "2024-03-05"
