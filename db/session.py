"""Engine and session set-up for SQLite (embedded, single file) and PostgreSQL (shared server).

SQLite is configured as RELIABILITY.md says:
- pragmas on every new connection, outside any transaction (``foreign_keys=ON``, ``synchronous=FULL``);
- WAL only where the SQLite library has the WAL-reset fix, otherwise the rollback journal;
- pysqlite's own transaction handling is switched off and we emit BEGIN ourselves, ``BEGIN IMMEDIATE``
  for write transactions so a read is never upgraded to a write mid-transaction;
- ``PRAGMA quick_check`` when the database is opened.

The file is created for the user alone (0600, see ``db.private_files``); SQLite gives its journal
and WAL the same mode.

An encrypted file (SQLCipher 4, through ``sqlcipher3``) is opened with ``key=``: a raw 32-byte data
key, handed over as ``PRAGMA key = "x'<64 hex>'"`` so a connection costs no key derivation. As
RELIABILITY.md says, SQLAlchemy works with it through ``create_engine("sqlite://", creator=...,
module=sqlcipher3)`` with the key set in the creator (the ``sqlite+pysqlcipher`` URL form with a
creator sends an empty key). Every pragma and rule above applies to encrypted connections too; the
journal-mode rule looks at the SQLite version inside SQLCipher, not Python's.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db.private_files import private_file

WRITE_OPTION = "tta_write"
DATA_KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10000
CACHE_KIB = 32 * 1024   # SQLite's page cache per connection; the app holds two or three


class StorageError(Exception):
    """The database cannot be used safely (failed health check, unsupported location).

    ``state`` says which (``db.filecheck``: ``damaged``, ``locked`` ...)."""

    def __init__(self, message: str, state: str = "damaged"):
        super().__init__(message)
        self.state = state


def sqlite_file_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for other backends and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    name = u.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def sqlite_file_kind(path: Path) -> str:
    """``missing``, ``empty`` (a new database), ``plain`` (an unencrypted SQLite file) or ``other``.

    An SQLCipher file has no readable header: it is ``other``, as is any file that is not SQLite.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    return "plain" if head == SQLITE_HEADER else "other"


def sqlcipher_key_pragma(key: bytes) -> str:
    """``PRAGMA key`` with a raw key: SQLCipher uses the bytes as they are, without its own KDF."""
    if len(key) != DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def sqlcipher_available() -> bool:
    """True when the ``sqlcipher3`` module (SQLCipher) can be imported on this installation."""
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def sqlite_has_wal_reset_fix(version: tuple[int, ...] | None = None) -> bool:
    """True when the SQLite library is free of the WAL-reset bug (fixed in 3.51.3, 3.50.7, 3.44.6)."""
    v = version or sqlite3.sqlite_version_info
    if v >= (3, 51, 3):
        return True
    if (3, 50, 7) <= v < (3, 51, 0):
        return True
    if (3, 44, 6) <= v < (3, 45, 0):
        return True
    return v < (3, 7, 0)


class DatabaseClosed(Exception):
    """A unit of work was asked of a database that has been closed (``Database.dispose``)."""


@dataclass(frozen=True)
class Database:
    """An engine plus the two session factories the service layer uses. Once disposed it opens no
    connection again: a unit of work asked of it after that raises ``DatabaseClosed`` (a write still
    queued when the program closes the file, e.g. for a restore, must not open it anew)."""
    engine: Engine
    read_factory: sessionmaker[Session]
    write_factory: sessionmaker[Session]
    encrypted: bool = False
    path: Path | None = None                                  # the SQLite file, if any
    key: bytes | None = field(default=None, repr=False)       # its SQLCipher data key, if encrypted
    _closed: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (deferred BEGIN on SQLite)."""
        self._check_open()
        with self.read_factory() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        self._check_open()
        with self.write_factory() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        """Close every connection; no unit of work opens one again."""
        self._closed.set()
        self.engine.dispose()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def _check_open(self) -> None:
        if self._closed.is_set():
            raise DatabaseClosed("the database has been closed")


def _install_sqlite_hooks(engine: Engine, library_version: tuple[int, ...]) -> None:
    journal_mode = "WAL" if sqlite_has_wal_reset_fix(library_version) else "DELETE"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite; pragmas then run outside a transaction.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        # busy_timeout first: every later pragma (journal_mode needs a lock) then waits the full time.
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA journal_mode={journal_mode}")
        cur.execute("PRAGMA synchronous=FULL")
        # The case list's indexes and the pages it reads most stay in the connection's own cache
        # (decrypted, for an encrypted file) instead of SQLite's 2 MB default: at 50,000 cases
        # a sort otherwise reads its pages again from the file (and the disk, once the system has
        # dropped them from its cache), up to ten times slower.
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _encrypted_engine(path: Path, key: bytes, **kwargs) -> Engine:
    try:
        import sqlcipher3
    except ImportError as exc:
        raise StorageError("Denne installation kan ikke åbne krypterede databaser: SQLCipher (sqlcipher3) "
                           "mangler.") from exc
    key_pragma = sqlcipher_key_pragma(key)

    def creator():
        conn = sqlcipher3.connect(str(path), check_same_thread=False)
        try:
            # SQLCipher prints decryption failures to stderr itself; they reach us as exceptions anyway.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(key_pragma)   # before anything reads the file
            conn.execute("PRAGMA cipher_compatibility = 4")   # a later SQLCipher still reads v4 files
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()   # a wrong key fails here
        except BaseException:
            conn.close()
            raise
        return conn

    # "sqlite://" alone would mean an in-memory database and a single-connection pool.
    kwargs.setdefault("poolclass", QueuePool)
    engine = create_engine("sqlite://", creator=creator, module=sqlcipher3, **kwargs)
    _install_sqlite_hooks(engine, sqlcipher3.sqlite_version_info)
    return engine


def make_engine(url: str, *, key: bytes | None = None, **kwargs) -> Engine:
    """An engine for ``url``; ``key`` (SQLite files only) opens the file encrypted with SQLCipher."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_file_path(url)
        if path is not None and path.parent.is_dir():
            private_file(path)   # before SQLite creates it with the umask's mode
        if key is not None:
            if path is None:
                raise ValueError("encryption needs an SQLite file, not an in-memory database")
            return _encrypted_engine(path, key, **kwargs)
        engine = create_engine(u, **kwargs)
        _install_sqlite_hooks(engine, sqlite3.sqlite_version_info)
        return engine
    if key is not None:
        raise ValueError("only SQLite files are encrypted by the application")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(u, **kwargs)


def check_sqlite_health(engine: Engine, *, full: bool = False) -> None:
    """Run the cheap checks at open: pragmas took effect and ``quick_check`` is ``ok``; ``full``
    runs ``integrity_check`` and ``foreign_key_check`` instead (after an unclean shutdown)."""
    from sqlalchemy.exc import DatabaseError
    try:
        with engine.connect() as conn:
            fk_on = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            result = conn.exec_driver_sql("PRAGMA integrity_check" if full else "PRAGMA quick_check").scalar()
            if full and result == "ok" and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                result = "foreign_key_check fandt brudte henvisninger"
            conn.rollback()
    except DatabaseError as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise StorageError(f"Databasen bruges af en anden ({exc.orig})", "locked") from exc
        raise StorageError(f"Databasen er beskadiget eller ikke en TTA-database ({exc.orig})") from exc
    if fk_on != 1:
        raise StorageError("SQLite foreign keys could not be switched on")
    if sync != 2:  # 2 == FULL
        raise StorageError("SQLite synchronous=FULL could not be set")
    if result != "ok":
        raise StorageError(f"Databasen er beskadiget ({'integrity_check' if full else 'quick_check'}: {result})")


def open_database(url: str, *, check: bool = True, key: bytes | None = None, **engine_kwargs) -> Database:
    """Open ``url``; ``key`` is the raw data key of an encrypted SQLite file."""
    engine = make_engine(url, key=key, **engine_kwargs)
    if check and engine.dialect.name == "sqlite":
        try:
            check_sqlite_health(engine)
        except BaseException:
            engine.dispose()
            raise
    write_engine = engine.execution_options(**{WRITE_OPTION: True})
    return Database(
        engine=engine,
        read_factory=sessionmaker(bind=engine, expire_on_commit=False),
        write_factory=sessionmaker(bind=write_engine, expire_on_commit=False),
        encrypted=key is not None,
        path=sqlite_file_path(url),
        key=key,
    )


def ping(db: Database) -> None:
    with db.read() as s:
        s.execute(text("SELECT 1"))
