"""One build at a time in an output folder: ``OUT/.geokg-lock``.

A build creates the lock file atomically (``O_CREAT | O_EXCL``) before it touches anything in
``OUT`` and removes it when it ends, whether it finished or failed. The file holds the holder's
pid, host, start time and (on Linux) the kernel's start time of that pid, so that a second build
can say who holds the folder. A lock whose process is gone (same host, pid not running, or the pid
now belongs to a process started later) is stale: the next build takes it over with a warning.
A lock from another host is never taken over: geokg cannot tell whether that build still runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geokg.errors import OutputError

__all__ = ["LOCK_FILE", "out_lock"]

#: The lock file's name inside OUT.
LOCK_FILE = ".geokg-lock"
_FORMAT = "geokg-lock/1"
_READ_WAIT_S = 2.0  # how long a lock just created (still empty) may take to get its content


def _pid_start(pid: int) -> int | None:
    """The kernel's start time of ``pid`` (clock ticks after boot), where /proc has it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    try:  # the command name (field 2) may hold spaces and parentheses: split after the last ")"
        return int(stat[stat.rindex(")") + 2 :].split()[19])
    except (ValueError, IndexError):
        return None


def _alive(pid: int, pid_start: int | None) -> bool:
    """Whether ``pid`` on this host is still the process that wrote the lock."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    if pid_start is not None:
        now = _pid_start(pid)
        if now is not None and now != pid_start:
            return False  # the pid was given to a newer process
    return True


def _holder_text(rec: dict[str, Any]) -> str:
    return f"pid {rec.get('pid')} on {rec.get('host')}, started {rec.get('started')}"


def _read(path: Path) -> tuple[bytes, dict[str, Any] | None]:
    """The lock's bytes and record; waits briefly for a lock that is being written."""
    deadline = time.monotonic() + _READ_WAIT_S
    while True:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return b"", None
        try:
            rec = json.loads(raw)
        except ValueError:
            rec = None
        if isinstance(rec, dict) and isinstance(rec.get("pid"), int):
            return raw, rec
        if time.monotonic() >= deadline:
            return raw, None
        time.sleep(0.05)


def _take_over(path: Path, raw: bytes) -> bool:
    """Remove the stale lock whose bytes are ``raw``; ``False`` if it changed meanwhile.

    The lock is renamed aside first (atomic), so two builds that both found it stale cannot both
    remove a lock: the second renames the first one's fresh lock, sees it is not the stale one
    and puts it back.
    """
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        path.rename(aside)
    except FileNotFoundError:
        return False
    try:
        if aside.read_bytes() == raw:
            return True
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)  # not ours to remove: put it back unless a new one is there
        return False
    finally:
        aside.unlink(missing_ok=True)


def _acquire(out: Path, say: Callable[[str], None]) -> bytes:
    path = out / LOCK_FILE
    host = socket.gethostname()
    record = {
        "format": _FORMAT,
        "pid": os.getpid(),
        "pid_start": _pid_start(os.getpid()),
        "host": host,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    mine = (json.dumps(record, sort_keys=True) + "\n").encode("utf-8")
    for _ in range(5):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raw, rec = _read(path)
            if not raw and rec is None and not path.exists():
                continue  # removed between the two calls: try again
            if rec is None:
                raise OutputError(
                    f"{out} is locked by {path}, which does not say which build holds it; if "
                    f"no geokg build is writing to {out}, remove {path} and run again"
                ) from None
            pid_start = rec.get("pid_start")
            stale = rec.get("host") == host and not _alive(
                int(rec["pid"]), pid_start if isinstance(pid_start, int) else None
            )
            if not stale:
                raise OutputError(
                    f"{out} is in use by another geokg build ({_holder_text(rec)}); wait for "
                    f"it to finish or build into another folder with -o (if that build is no "
                    f"longer running, remove {path})"
                ) from None
            if _take_over(path, raw):
                say(
                    f"geokg: warning: {path}: took over the lock of a build that is no longer "
                    f"running ({_holder_text(rec)})"
                )
            continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(mine)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:  # a full disk: leave no empty lock behind
            path.unlink(missing_ok=True)
            raise
        return mine
    raise OutputError(
        f"{out}: could not lock the folder ({path} keeps changing): other builds are starting "
        "there; run one at a time"
    )


def _release(out: Path, mine: bytes) -> None:
    path = out / LOCK_FILE
    with contextlib.suppress(OSError):
        if path.read_bytes() == mine:
            path.unlink()


@contextlib.contextmanager
def out_lock(out: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold ``OUT/.geokg-lock`` for the ``with`` block (``out`` must exist).

    Raises:
        OutputError: another build that is still running holds the folder.
    """
    mine = _acquire(out, say)
    try:
        yield
    finally:
        _release(out, mine)
