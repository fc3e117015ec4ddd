"""Converting a plain SQLite file into an SQLCipher-encrypted one, keeping every row.

As RELIABILITY.md asks of any copy: a snapshot through the SQLite backup API, ``integrity_check``
and row counts on the result, then an atomic rename. The steps:

1. take the write lock on the original (``BEGIN IMMEDIATE`` on a connection of its own), so nobody
   writes while we copy;
2. copy it to a private backup file with the backup API and check that copy;
3. ``ATTACH ... KEY`` a new file to the backup and ``sqlcipher_export`` into it;
4. open the new file with the key: ``integrity_check`` must say ok, the schema and the row count
   of every table must equal the backup's;
5. let the caller write into the new file and set the key file up (``before_rename``);
6. release the lock, make sure nobody else holds the file, and rename the new file over the original.

Until step 6 the original is untouched; a failure before it removes the new file and leaves the
original as it was. The backup is an unencrypted copy of all the data: it is removed after a
successful rename unless the caller asks to keep it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.private_files import fsync_dir, private_file
from db.session import sqlcipher_key_pragma, sqlite_file_kind


class ConversionError(Exception):
    """The conversion stopped; the original file is unchanged."""


@dataclass(frozen=True)
class ConversionReport:
    row_counts: dict[str, int]
    backup_path: Path | None   # the kept unencrypted copy, or None when it was removed


def table_counts(conn) -> dict[str, int]:
    """Rows per table (the schema's own bookkeeping table ``sqlite_sequence`` included)."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def schema(conn) -> list[tuple]:
    return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name").fetchall()


def _check(conn, what: str) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise ConversionError(f"{what} failed integrity_check: {result[:3]}")


def backup_path_for(path: Path, now: dt.datetime) -> Path:
    return path.with_name(f"{path.name}.plain-{now:%Y%m%d-%H%M%S}.bak")


def encrypt_file(path: str | os.PathLike, key: bytes, *, now: dt.datetime, keep_backup: bool = False,
                 before_rename: Callable[[Path], None] | None = None) -> ConversionReport:
    """Replace the plain SQLite file at ``path`` by an encrypted copy under ``key`` (see the module)."""
    import sqlcipher3
    path = Path(path)
    if sqlite_file_kind(path) != "plain":
        raise ConversionError(f"{path} is not a plain SQLite database")
    backup = backup_path_for(path, now)
    new = path.with_name(path.name + ".encrypting")
    for leftover in (new, Path(f"{new}-journal")):
        leftover.unlink(missing_ok=True)   # a conversion that was stopped half-way

    original = sqlite3.connect(path, isolation_level=None)
    renamed = False
    try:
        # A WAL file beside the original would be read into the encrypted file of the same name.
        original.execute("PRAGMA journal_mode=DELETE")
        original.execute("BEGIN IMMEDIATE")
        private_file(backup)
        # The backup API refuses a source connection that holds a write transaction: read through a
        # second connection (the lock above lets readers in and keeps writers out).
        source = sqlite3.connect(path, isolation_level=None)
        copy = sqlite3.connect(backup, isolation_level=None)
        try:
            source.backup(copy)
            _check(copy, "the backup copy")
            counts, expected_schema = table_counts(copy), schema(copy)
        finally:
            copy.close()
            source.close()

        private_file(new)
        plain = sqlcipher3.connect(str(backup), isolation_level=None)
        try:
            plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(new), f"x'{key.hex()}'"))
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute("DETACH DATABASE encrypted")
        finally:
            plain.close()

        enc = sqlcipher3.connect(str(new), isolation_level=None)
        try:
            enc.execute(sqlcipher_key_pragma(key))
            _check(enc, "the encrypted copy")
            if schema(enc) != expected_schema:
                raise ConversionError("the encrypted copy has another schema than the original")
            got = table_counts(enc)
        finally:
            enc.close()
        if got != counts:
            diff = {t: (counts.get(t), got.get(t)) for t in set(counts) | set(got) if counts.get(t) != got.get(t)}
            raise ConversionError(f"row counts differ after the export: {diff}")

        if before_rename is not None:
            before_rename(new)
        before = os.stat(path)
        original.execute("ROLLBACK")
        original.close()
        after = os.stat(path)
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) \
                or any(Path(f"{path}{s}").exists() for s in ("-wal", "-journal")):
            raise ConversionError("the database was changed or is open elsewhere during the conversion")
        os.replace(new, path)
        renamed = True
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            original.close()
        if not renamed:
            new.unlink(missing_ok=True)
            Path(f"{new}-journal").unlink(missing_ok=True)
            backup.unlink(missing_ok=True)   # the original is intact: no second plain copy left about
        raise
    if not keep_backup:
        backup.unlink(missing_ok=True)
    return ConversionReport(counts, backup if keep_backup else None)
