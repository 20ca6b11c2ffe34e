"""geokg._seen.SeenIds answers as a set of the id strings does, in far less memory."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from geokg._seen import SeenIds
from geokg.model import stable_id


def _ids(rng: random.Random, n: int) -> list[str]:
    """Relation ids (some repeated, some past 2**63), and ids of other shapes."""
    pool = [stable_id("r", i) for i in range(n // 3)]
    pool += ["r-ffffffffffffffff", "r-8000000000000000", "r-0000000000000000"]
    others = ["r-FFFFFFFFFFFFFFFF", "r-123", "r-0123456789abcdef0", "e-0123456789abcdef", "", "x"]
    return [rng.choice(others) if rng.random() < 0.05 else rng.choice(pool) for _ in range(n)]


@pytest.mark.parametrize(("seed", "batch"), [(1, 1), (2, 7), (3, 1000), (4, 1 << 16)])
def test_answers_as_a_set_of_strings(seed: int, batch: int) -> None:
    rng = random.Random(seed)
    seen, expected = SeenIds(batch=batch), set[str]()
    for row_id in _ids(rng, 5_000):
        new = row_id not in expected
        expected.add(row_id)
        assert seen.add(row_id) is new, row_id
        assert len(seen) == len(expected)


def test_batch_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SeenIds(batch=0)


def test_holds_a_fraction_of_what_a_set_of_strings_holds() -> None:
    SeenIds()  # numpy imported before the count
    ids = [stable_id("r", i) for i in range(200_000)]

    def held(make: object) -> int:
        tracemalloc.start()
        try:
            kept = make()  # type: ignore[operator]
            size = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        del kept
        return size

    def a_set() -> set[str]:
        out = set()
        for row_id in ids:
            out.add("r-" + row_id[2:])  # a string of its own, as a row read from a file is
        return out

    def compact() -> SeenIds:
        out = SeenIds(batch=1024)  # its small set apart (64k numbers by default, about 4 MB)
        for row_id in ids:
            out.add(row_id)
        return out

    assert held(compact) * 8 < held(a_set)  # about 8 bytes an id against about 100
