"""One app instance per database file, and a record of whether the last one closed cleanly.

``InstanceLock.acquire(db_path)`` takes an operating-system lock on ``<db>.lock`` for as long as
the session lasts and writes into it who holds it (PC, user, process, since when). A second
instance on the same file gets ``InUse`` naming that holder. The lock file stays behind after a
crash (the operating system releases the lock itself when the process dies): the next instance
finds it with content and knows the last session ended uncleanly (``unclean``), so the start-up
health check runs ``integrity_check`` rather than ``quick_check``. A clean ``release`` empties it.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from pathlib import Path

from db.private_files import private_file

LOCK_SUFFIX = ".lock"


class InUse(Exception):
    """Another instance holds the database; ``holder`` says who, in Danish (or "")."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def lock_path(db_path: str | os.PathLike) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + LOCK_SUFFIX)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:   # Windows
        import msvcrt
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def describe(info: dict) -> str:
    """``"Bente på PC-12 siden 08:14"`` from a lock file's content."""
    if not info:
        return ""
    since = str(info.get("since", ""))[11:16]
    return f"{info.get('user', '?')} på {info.get('host', '?')}" + (f" siden kl. {since}" if since else "")


def holder(db_path: str | os.PathLike) -> str:
    """Who holds the database open, as the lock file says ("" when nobody or unknown)."""
    try:
        return describe(json.loads(lock_path(db_path).read_text(encoding="utf-8") or "{}"))
    except (OSError, ValueError):
        return ""


class InstanceLock:
    def __init__(self, path: Path, fd: int, unclean: bool):
        self.path = path
        self._fd: int | None = fd
        self.unclean = unclean

    @classmethod
    def acquire(cls, db_path: str | os.PathLike) -> InstanceLock:
        path = private_file(lock_path(db_path))
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise InUse(holder(db_path))
        previous = os.read(fd, 4096)
        info = {"host": socket.gethostname(), "user": getpass.getuser(), "pid": os.getpid(),
                "since": dt.datetime.now().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode())
        os.fsync(fd)
        return cls(path, fd, unclean=bool(previous.strip()))

    def release(self) -> None:
        """A clean end: the file is emptied, then unlocked."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            os.fsync(fd)
        finally:
            os.close(fd)
