"""Small file helpers shared by every writer."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_open", "atomic_write", "current_umask", "write_or_check"]


def current_umask() -> int:
    """The process umask (``os.umask`` can only be read by setting it, so it is set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], *, newline: str | None = None) -> Iterator[IO[str]]:
    """Open a temporary text file beside ``path``; rename it over ``path`` on success.

    A crash or exception leaves ``path`` as it was (absent, or the previous complete file), never
    half written. The file gets the mode an ordinary ``open(path, "w")`` would give it (0666 less
    the umask: 0644 with the usual 022), not ``mkstemp``'s private 0600, so that another user (a
    Neo4j server reading the copied CSVs) can read it.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        Path(tmp).chmod(0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise


def atomic_write(
    path: str | os.PathLike[str], text: str | Iterable[str], *, newline: str | None = None
) -> Path:
    """Write ``text`` (a string or an iterable of chunks) to ``path`` atomically.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(d / "a.txt", ["x", "y"]).read_text()
    'xy'
    """
    with atomic_open(path, newline=newline) as fh:
        if isinstance(text, str):
            fh.write(text)
        else:
            for chunk in text:
                fh.write(chunk)
    return Path(path)


def write_or_check(path: str | os.PathLike[str], text: str, *, check: bool, label: str) -> bool:
    """For scripts that generate a committed data file: write ``text`` to ``path`` atomically,
    or, with ``check``, only compare. Returns ``False`` when ``check`` finds the file absent or
    different (``label`` names it in the message on stderr).
    """
    target = Path(path)
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{label} is out of date", file=sys.stderr)
            return False
        return True
    atomic_write(target, text)
    print(f"wrote {label}")
    return True
