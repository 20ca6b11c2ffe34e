"""A set of relation ids that holds about 8 bytes an id, for joining ``triples.jsonl``.

``triples.jsonl`` keeps the first row of each relation id, so whoever writes it must remember
every id written: a Python ``set`` of the id strings held about 80 bytes each (800 MB at 10M
relations). :class:`SeenIds` keeps a relation id as written by :func:`geokg.model.stable_id`
(``r-`` and 16 hex digits) as the 64-bit number those digits spell, in a sorted numpy array,
with the latest few in a small set (at most ``batch`` numbers, about 4 MB by default) that is
merged into the array when it fills; any other id goes to a set of its own, as before. The answer is the set's, exactly: the mapping from such an
id to its number is one to one, and no other id is ever turned into a number.

>>> seen = SeenIds()
>>> seen.add("r-00000000000000ff"), seen.add("r-00000000000000ff"), seen.add("x1"), len(seen)
(True, False, True, 2)
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["SeenIds"]

_RELATION_ID = re.compile(r"r-[0-9a-f]{16}")


class SeenIds:
    """Ids seen so far; :meth:`add` says whether an id is new (and adds it).

    Args:
        batch: Numbers held in the small set before they are merged into the sorted array.
    """

    __slots__ = ("_batch", "_new", "_other", "_sorted")

    def __init__(self, batch: int = 1 << 16) -> None:
        import numpy as np

        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch}")
        self._batch = batch
        self._sorted: Any = np.empty(0, dtype=np.uint64)
        self._new: set[int] = set()
        self._other: set[str] = set()

    def __len__(self) -> int:
        return int(self._sorted.size) + len(self._new) + len(self._other)

    def add(self, row_id: str) -> bool:
        """Add ``row_id``; True if it was not there before."""
        if not _RELATION_ID.fullmatch(row_id):
            if row_id in self._other:
                return False
            self._other.add(row_id)
            return True
        number = int(row_id[2:], 16)
        if number in self._new:
            return False
        held = self._sorted
        if held.size:
            at = int(held.searchsorted(number))
            if at < held.size and int(held[at]) == number:
                return False
        self._new.add(number)
        if len(self._new) >= self._batch:
            self._merge()
        return True

    def _merge(self) -> None:
        """The small set merged into the sorted array (two sorted runs: a linear merge)."""
        import numpy as np

        new = np.fromiter(self._new, dtype=np.uint64, count=len(self._new))
        new.sort()
        self._sorted = np.sort(np.concatenate([self._sorted, new]), kind="stable")
        self._new.clear()
