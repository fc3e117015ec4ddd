"""Folders and files for the user alone: 0700 folders and 0600 files on POSIX, whatever the umask.

The data folder holds health data (the SQLite file, its journal, the key file, the log), so other
local users must not read it. The mode is given when the file is created (``os.open`` with 0600,
then ``fchmod`` because the umask can only remove bits, never add them back, and a permissive umask
is not ours to trust), and an existing file or folder that is more open is tightened. SQLite
creates the journal, WAL and shared-memory files with the database file's own mode, so creating
the database file 0600 before SQLite opens it covers those too.

On Windows the modes mean little; the per-user folder from platformdirs (under the user's own
profile, ``%LOCALAPPDATA%``) is what keeps other users out, so these functions only create there.

Imports nothing heavy: the log file is made private before the login window appears.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_POSIX = os.name == "posix"


def _tighten(path: Path, mode: int) -> None:
    """Give an existing path we own the private mode; leave someone else's alone."""
    if not _POSIX:
        return
    st = path.stat()
    if st.st_uid != os.getuid():
        return
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)


def private_dir(path: str | os.PathLike) -> Path:
    """Create ``path`` (and missing parents) for the user alone; tighten it if it exists.

    Only the last folder is made private: the parents are the user's own (home, ``~/.local``).
    """
    p = Path(path)
    if not p.is_dir():
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            p.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            pass
        if _POSIX:
            os.chmod(p, PRIVATE_DIR_MODE)   # mkdir's mode is filtered by the umask
        return p
    _tighten(p, PRIVATE_DIR_MODE)
    return p


def private_file(path: str | os.PathLike) -> Path:
    """Create an empty ``path`` readable and writable by the user alone, or tighten an existing one.

    The folder must exist. An empty file is a valid new SQLite database, so this is safe to call
    just before SQLite opens a database for the first time.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(p, PRIVATE_FILE_MODE)
        return p
    try:
        if _POSIX:
            os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return p


def write_private_file(path: str | os.PathLike, data: bytes) -> Path:
    """Replace ``path`` atomically with ``data`` (a private temporary file, fsync, rename).

    A crash leaves the old content or the new one, never half a file.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent)
    try:
        if _POSIX:
            os.fchmod(fd, PRIVATE_FILE_MODE)   # mkstemp gives 0600 already; say so, not assume it
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles for this)."""
    if not _POSIX:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_mode(path: str | os.PathLike) -> int:
    """The permission bits of ``path`` (for checks and tests)."""
    return stat.S_IMODE(os.stat(path).st_mode)
