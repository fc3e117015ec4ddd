"""Know a database file before anything writes to it.

``classify_file(path)`` reads the file (never writes it: SQLite is opened read-only, with no
journal) and says what it is:

- ``new``: no file; the app may create one there;
- ``empty``: a file of 0 bytes, or an SQLite file without a single table; never written to;
- ``foreign``: an SQLite file of another program (another ``application_id``, or tables but none
  of ours); never written to;
- ``newer``: our file at a schema revision this version of the app does not know;
- ``damaged``: not a database (a broken header, a truncated file, a broken page);
- ``locked``: another program holds a lock that keeps readers out;
- ``encrypted``: a SQLCipher file (it has its key file beside it); checked again after login;
- ``ours``: a TTA-team database this app can open (perhaps after a migration).

Our files carry SQLite's ``application_id`` = ``APPLICATION_ID`` (set by ``mark_ours`` when the
schema is brought to head); files from before the mark are recognised by their Alembic revision
and our tables, and get the mark at the next migration.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

APPLICATION_ID = 0x54544131   # "TTA1"
NEW, EMPTY, FOREIGN, NEWER, DAMAGED, LOCKED, ENCRYPTED, OURS = (
    "new", "empty", "foreign", "newer", "damaged", "locked", "encrypted", "ours")
SQLITE_HEADER = b"SQLite format 3\x00"
KEY_FILE_SUFFIX = ".keys"     # as app.keys names the key file of an encrypted database
OUR_TABLES = frozenset({"user_account", "audit_log", "setting"})


@dataclass(frozen=True)
class FileState:
    state: str
    detail: str = ""          # technical detail for the log and the message's last line (no data)
    revision: str | None = None


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config
    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _page_size_ok(path: Path, head: bytes) -> str:
    """Why the header or the length is impossible for an SQLite file ("" when it is fine)."""
    if len(head) < 100:
        return "filen er afkortet (mindre end et SQLite-hoved)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"ugyldig sidestørrelse {page_size}"
    size = os.path.getsize(path)
    pages = int.from_bytes(head[28:32], "big")
    if size % page_size:
        return "filen er afkortet (ikke et helt antal sider)"
    if pages and size < pages * page_size and head[24:28] == head[92:96]:
        return f"filen er afkortet ({size // page_size} af {pages} sider)"
    return ""


def classify_file(path: str | os.PathLike, *, deep: bool = False, timeout: float = 0.2) -> FileState:
    """What the file at ``path`` is (see the module). ``deep`` also runs ``quick_check``, which reads
    the whole file. Nothing is written; a missing file is not created."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return FileState(NEW)
    except IsADirectoryError:
        return FileState(FOREIGN, "stien er en mappe")
    except PermissionError as exc:
        return FileState(LOCKED, f"ingen adgang til filen ({exc.strerror})")
    if not head:
        return FileState(EMPTY, "filen er tom (0 byte)")
    if not head.startswith(SQLITE_HEADER):
        if path.with_name(path.name + KEY_FILE_SUFFIX).exists():
            return FileState(ENCRYPTED)
        size = os.path.getsize(path)
        if head.startswith(SQLITE_HEADER[:6]) or (size >= 4096 and size % 512 == 0):
            # Whole pages with a broken header: a damaged database (or an encrypted one without its key file).
            return FileState(DAMAGED, "filens hoved er beskadiget, eller det er en krypteret database uden "
                                      "sin nøglefil")
        return FileState(FOREIGN, "filen er ikke en SQLite-database")
    problem = _page_size_ok(path, head)
    if problem:
        return FileState(DAMAGED, problem)
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        return FileState(FOREIGN, f"application_id {app_id:#x}")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                               isolation_level=None)
    except sqlite3.Error as exc:
        return _from_error(exc)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return FileState(EMPTY, "databasen har ingen tabeller")
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if app_id != APPLICATION_ID and not OUR_TABLES <= tables:
            return FileState(FOREIGN, "databasen har ikke TTA-teams tabeller")
        if revision is not None and revision not in known_revisions():
            return FileState(NEWER, f"revision {revision}", revision)
        if deep:
            result = conn.execute("PRAGMA quick_check").fetchall()
            if result != [("ok",)]:
                return FileState(DAMAGED, f"quick_check: {result[0][0]}"[:200], revision)
        return FileState(OURS, "", revision)
    except sqlite3.Error as exc:
        return _from_error(exc)
    finally:
        conn.close()


def _from_error(exc: sqlite3.Error) -> FileState:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return FileState(LOCKED, text)
    if "unable to open" in text or "readonly" in text:
        return FileState(LOCKED, text)
    return FileState(DAMAGED, text)


def mark_ours(dbapi_connection) -> None:
    """Put our ``application_id`` into the file's header (an SQLite connection, plain or SQLCipher)."""
    if dbapi_connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        dbapi_connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def mark_engine(engine) -> None:
    """``mark_ours`` through an engine's own connection (outside any transaction)."""
    with engine.connect() as conn:
        mark_ours(conn.connection.driver_connection)
        conn.rollback()
