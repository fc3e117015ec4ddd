"""Verified backups of the database, their rotation, and restoring one.

SQLite (RELIABILITY.md): a copy through the backup API (a consistent snapshot while others go on
working), encrypted like the original (an SQLCipher file is copied between two connections keyed
with its own data key, and its key file goes beside the copy), ``integrity_check`` and row counts
on the copy, then an atomic rename into the backup folder. Kept: the newest backup of each of the
last 7 days, 4 weeks and 12 months (``rotate``). The folder is the administrator's choice (setting
``backup_folder``; empty = ``sikkerhedskopier`` beside the database); a folder on the same disk as
the database is allowed with a warning. A small manifest beside the database (``<db>.backups.json``)
names the folder and the last verified backup, so a damaged database can still point to it.

PostgreSQL: ``pg_dump`` in its custom format when the client tools are installed (README).

A backup is taken after each working day's first login (``take_if_due``) and when the app closes.
``restore_file`` puts a backup in the database's place and keeps the current file aside first.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.errors import AppError, StorageUnavailable, ValidationError
from app.services.base import Actor, ServiceBase
from db.encryption import table_counts
from db.private_files import fsync_dir, private_dir, private_file, write_private_file

PREFIX = "tta-team-"
SUFFIX = ".db"
KEYS = ".keys"
STALE_AFTER = dt.timedelta(days=7)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
DEFAULT_FOLDER_NAME = "sikkerhedskopier"


class BackupFailed(StorageUnavailable):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    rows: int


@dataclass(frozen=True)
class BackupStatus:
    folder: Path | None
    last: BackupInfo | None
    kept: list[BackupInfo]
    warnings: list[str]          # Danish: stale, same disk, synced/network folder
    backend: str


# -- files ------------------------------------------------------------------------------------------
def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".backups.json")


def _read_manifest(db_path: Path) -> dict:
    try:
        return json.loads(manifest_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def latest_verified(db_path: Path) -> BackupInfo | None:
    """The last verified backup of ``db_path`` that still exists (from the manifest beside it)."""
    last = _read_manifest(Path(db_path)).get("last")
    if not last or not Path(last["path"]).exists():
        return None
    return BackupInfo(Path(last["path"]), dt.datetime.fromisoformat(last["taken_at"]), int(last.get("rows", 0)))


def backup_folder(db_path: Path, setting: str | None) -> Path:
    return Path(setting) if setting else db_path.parent / DEFAULT_FOLDER_NAME


def same_disk(a: Path, b: Path) -> bool:
    """True when both paths lie on one device (the nearest existing parent of each is asked)."""
    def dev(p: Path) -> int:
        p = p.resolve()
        while not p.exists():
            p = p.parent
        return os.stat(p).st_dev
    return dev(a) == dev(b)


def _connect(path: Path, key: bytes | None):
    if key is None:
        return sqlite3.connect(path, isolation_level=None)
    import sqlcipher3

    from db.session import sqlcipher_key_pragma
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(sqlcipher_key_pragma(key))
    conn.execute("PRAGMA cipher_compatibility = 4")
    return conn


def verify_copy(path: Path, key: bytes | None) -> int:
    """``integrity_check`` and the row count of a copy; raises BackupFailed when it is not sound."""
    try:
        conn = _connect(path, key)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise BackupFailed(f"Sikkerhedskopien bestod ikke kontrollen ({result[0][0]}).")
            return sum(table_counts(conn).values())
        finally:
            conn.close()
    except (sqlite3.DatabaseError, Exception) as exc:
        if isinstance(exc, BackupFailed):
            raise
        raise BackupFailed(f"Sikkerhedskopien kunne ikke kontrolleres ({exc}).") from exc


def copy_sqlite(db_path: Path, key: bytes | None, folder: Path, now: dt.datetime) -> BackupInfo:
    """Copy, verify, rename (see the module). The file's key file goes with an encrypted copy."""
    folder = private_dir(folder)
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    dest, tmp = folder / name, folder / (name + ".tmp")
    private_file(tmp)
    try:
        src, dst = _connect(db_path, key), _connect(tmp, key)
        try:
            src.backup(dst)
            source_rows = sum(table_counts(src).values())
        finally:
            dst.close()
            src.close()
        rows = verify_copy(tmp, key)
        if rows != source_rows:
            raise BackupFailed(f"Sikkerhedskopien har {rows} rækker, databasen {source_rows}.")
        if key is not None:
            from app.keys import key_file_path
            write_private_file(key_file_path(dest), key_file_path(db_path).read_bytes())
        os.replace(tmp, dest)
        fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    info = BackupInfo(dest, now, rows)
    write_private_file(manifest_path(db_path), json.dumps({
        "folder": str(folder), "last": {"path": str(dest), "taken_at": now.isoformat(), "rows": rows}},
        ensure_ascii=False).encode())
    return info


def _taken_at(path: Path) -> dt.datetime | None:
    stem = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return dt.datetime.strptime(stem, "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def backups_in(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [(t, p) for p in folder.glob(f"{PREFIX}*{SUFFIX}") if (t := _taken_at(p)) is not None]
    return sorted(found, reverse=True)


def rotate(folder: Path) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 4 ISO weeks and 12 months; remove the
    rest (with their key files). Returns the removed files."""
    found = backups_in(folder)
    keep: set[Path] = set()
    for bucket, n in ((lambda t: t.date(), KEEP_DAILY), (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
                      (lambda t: (t.year, t.month), KEEP_MONTHLY)):
        seen: list = []
        for t, p in found:   # newest first: the first of each bucket is its newest
            b = bucket(t)
            if b not in seen:
                seen.append(b)
                if len(seen) <= n:
                    keep.add(p)
    removed = [p for _, p in found if p not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
        Path(str(p) + KEYS).unlink(missing_ok=True)
    return removed


def recorded_backups(db_path: Path) -> list[Path]:
    """The folder and the last backup the manifest beside ``db_path`` names (the folder setting may
    have changed since)."""
    manifest = _read_manifest(Path(db_path))
    found = [Path(manifest["folder"])] if manifest.get("folder") else []
    last = (manifest.get("last") or {}).get("path")
    return found + ([Path(last)] if last else [])


def plain_backups(places: list[Path]) -> list[Path]:
    """The unencrypted SQLite backups among ``places``: backup files, or folders whose backups count."""
    candidates: set[Path] = set()
    for place in places:
        if place.is_dir():
            candidates.update(p for _, p in backups_in(place))
        elif place.is_file():
            candidates.add(place)
    return sorted(p for p in candidates if _is_plain_sqlite(p))


def _is_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def remove_backups(db_path: Path, paths: list[Path]) -> int:
    """Remove backup files (with any key file beside them) and drop them from the manifest; returns
    how many files were removed."""
    removed = 0
    for p in paths:
        if p.exists():
            p.unlink()
            removed += 1
        Path(str(p) + KEYS).unlink(missing_ok=True)
    manifest = _read_manifest(Path(db_path))
    last = (manifest.get("last") or {}).get("path")
    if last and Path(last) in set(paths):
        manifest.pop("last")
        write_private_file(manifest_path(Path(db_path)), json.dumps(manifest, ensure_ascii=False).encode())
    return removed


def restore_file(db_path: Path, backup: Path, *, now: dt.datetime) -> Path:
    """Put ``backup`` in the place of ``db_path``; the current file (with its key file and
    journal) is kept aside first. Returns where it was kept. Close every connection first."""
    from db import filecheck
    backup, db_path = Path(backup), Path(db_path)
    found = filecheck.classify_file(backup, deep=True)
    if found.state not in (filecheck.OURS, filecheck.ENCRYPTED):
        why = f"{found.state}: {found.detail}" if found.detail else found.state
        raise AppError(f"{backup} er ikke en brugbar sikkerhedskopi ({why}).")
    aside = db_path.with_name(f"{db_path.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    tmp = db_path.with_name(db_path.name + ".restoring")
    private_file(tmp)
    shutil.copyfile(backup, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    if db_path.exists():
        os.replace(db_path, aside)
    for suffix in ("-wal", "-journal", "-shm", KEYS):
        side = Path(str(db_path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    if Path(str(backup) + KEYS).exists():
        write_private_file(Path(str(db_path) + KEYS), Path(str(backup) + KEYS).read_bytes())
    os.replace(tmp, db_path)
    fsync_dir(db_path.parent)
    return aside


def undo_restore(db_path: Path, aside: Path) -> None:
    """Put back the file ``restore_file`` kept aside as ``aside`` (the restored copy goes), e.g. when
    the person restoring turns out not to be an administrator of the restored database."""
    db_path, aside = Path(db_path), Path(aside)
    for suffix in ("-wal", "-journal", "-shm", KEYS):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    if aside.exists():
        os.replace(aside, db_path)
    else:   # there was no file before the restore
        db_path.unlink(missing_ok=True)
    for suffix in ("-wal", "-journal", "-shm", KEYS):
        kept = Path(str(aside) + suffix)
        if kept.exists():
            os.replace(kept, Path(str(db_path) + suffix))
    fsync_dir(db_path.parent)


def pg_dump(url: str, folder: Path, now: dt.datetime) -> BackupInfo:
    """``pg_dump --format=custom`` into the folder; BackupFailed when the client tools are missing.

    The server is the one the URL names, also through a unix socket folder given as ``?host=...``
    (and any other libpq parameter in the query, such as ``sslmode``); the password goes in the
    environment, never on the command line. The dump is readable by the user alone (0600)."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupFailed("PostgreSQL-klientprogrammet pg_dump er ikke installeret; se README om "
                           "sikkerhedskopi af serveren.")
    folder = private_dir(folder)
    dest = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}.dump"
    env = {**os.environ, "PGPASSWORD": _pg_password(url)}
    private_file(dest)   # 0600 before pg_dump writes into it, whatever the umask
    args = [exe, "--format=custom", f"--file={dest}", f"--dbname={pg_conninfo(url)}"]
    extra = {"umask": 0o077} if os.name == "posix" else {}
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, **extra)
    except OSError as exc:
        dest.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump kunne ikke startes ({exc.strerror or exc}).") from exc
    if done.returncode != 0:
        dest.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump fejlede: {done.stderr.strip()[:300]}")
    private_file(dest)   # tightened again, should pg_dump have made the file anew
    return BackupInfo(dest, now, 0)


def pg_conninfo(url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL, without its password: host (or
    the socket folder of ``?host=``), port, user, database and the query's other libpq parameters."""
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.engine import make_url
    u = make_url(url)
    params: dict[str, str] = {}
    for key, value in u.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    if u.host:
        params["host"] = u.host
    if u.port:
        params["port"] = str(u.port)
    if u.username:
        params["user"] = u.username
    if u.database:
        params["dbname"] = u.database
    params.pop("password", None)
    return make_conninfo("", **params)


def _pg_password(url: str) -> str:
    from sqlalchemy.engine import make_url
    u = make_url(url)
    query_pw = u.query.get("password")
    return u.password or (query_pw if isinstance(query_pw, str) else "") or os.environ.get("PGPASSWORD", "")


# -- the service --------------------------------------------------------------------------------
class BackupService(ServiceBase):
    """Backups for the administrator (status, take now) and for the app (after the day's first
    login, on closing). Only the administrator sees the status (``settings.manage``)."""

    def _folder(self) -> Path | None:
        from app.services.admin import read_setting
        if self.db.path is None:
            return None
        setting = self._read(None, None, lambda s: read_setting(s, "backup_folder"))
        return backup_folder(self.db.path, setting)

    def _now(self) -> dt.datetime:
        now = self.clock()
        return now.replace(tzinfo=None) if now.tzinfo else now

    def take(self, actor: Actor | None = None, *, reason: str = "manual") -> BackupInfo:
        """A verified backup now (SQLite), or ``pg_dump`` (PostgreSQL); rotated afterwards."""
        if actor is not None:
            self._read(actor, "settings.manage", lambda s: None)
        now = self._now()
        if self.db.is_sqlite:
            if self.db.path is None:
                raise AppError("En database i hukommelsen kan ikke sikkerhedskopieres.")
            folder = self._folder()
            try:
                info = copy_sqlite(self.db.path, self.db.key, folder, now)
            except (OSError, sqlite3.Error) as exc:
                raise BackupFailed(f"Sikkerhedskopien kunne ikke tages ({exc}).") from exc
            rotate(folder)
        else:
            from app.config import data_dir
            info = pg_dump(self.db.engine.url.render_as_string(hide_password=False), data_dir() / DEFAULT_FOLDER_NAME,
                           now)

        def log(s):
            self.audit(s, actor, "backup", "database", None, detail=f"{reason}: {info.path.name}",
                       username="system" if actor is None else None)
        self._write(actor, None, log)
        return info

    def record_restore(self, actor: Actor, backup: str, aside: str, *, at_start: bool = False) -> None:
        """The restore's entry in the restored database's audit log: by the administrator who ran
        ``restore``, or (``at_start``) by whoever logged in first after the app restored the latest
        backup over a damaged file, which is offered before anyone has logged in."""
        detail = f"{backup}; den erstattede fil: {aside}"
        if at_start:
            detail = "ved start over en beskadiget fil, før login: " + detail
        self._write(actor, None if at_start else "settings.manage",
                    lambda s: self.audit(s, actor, "restore", "database", None, detail=detail))

    def take_if_due(self) -> BackupInfo | None:
        """After a login: a backup when none was taken today (SQLite only)."""
        if not self.db.is_sqlite or self.db.path is None:
            return None
        last = latest_verified(self.db.path)
        if last is not None and last.taken_at.date() == self._now().date():
            return None
        return self.take(reason="daily")

    def status(self, actor: Actor) -> BackupStatus:
        self._read(actor, "settings.manage", lambda s: None)
        if not self.db.is_sqlite:
            return BackupStatus(None, None, [], ["PostgreSQL sikkerhedskopieres med pg_dump på serveren (se "
                                                 "README)."], self.db.engine.dialect.name)
        folder = self._folder()
        last = latest_verified(self.db.path) if self.db.path else None
        kept = [BackupInfo(p, t, 0) for t, p in backups_in(folder)] if folder else []
        warnings = []
        if last is None:
            warnings.append("Der er endnu ingen kontrolleret sikkerhedskopi.")
        elif self._now() - last.taken_at > STALE_AFTER:
            warnings.append(f"Den seneste kontrollerede sikkerhedskopi er {(self._now() - last.taken_at).days} "
                            "dage gammel.")
        if folder is not None and self.db.path is not None and same_disk(folder, self.db.path):
            warnings.append("Sikkerhedskopierne ligger på samme disk som databasen; vælg en mappe på en anden "
                            "disk, så en diskfejl ikke tager begge.")
        from app.location import location_warning
        place = location_warning(self.db.path) if self.db.path else ""
        if place:
            warnings.append(place)
        return BackupStatus(folder, last, kept, warnings, "sqlite")


def validate_folder(value) -> str:
    """The ``backup_folder`` setting: an absolute path to a folder, or empty for the default."""
    if not isinstance(value, str):
        raise ValidationError("backup_folder", "skal være en mappe", label="Mappe til sikkerhedskopier")
    value = value.strip()
    if value and not Path(value).is_absolute():
        raise ValidationError("backup_folder", "skal være en fuld sti", label="Mappe til sikkerhedskopier")
    return value
