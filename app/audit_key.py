"""The audit log's signing key, kept outside the database.

The audit log is an HMAC chain (``app.audit_chain``); its evidence is only as good as the key is
out of reach of whoever can edit the database. The key is looked up in this order:

1. ``TTA_AUDIT_KEY``: the key itself (at least 32 characters), e.g. set by the service that starts
   the program on a PostgreSQL installation;
2. ``TTA_AUDIT_KEY_FILE``: the path of a file holding the key (at least 32 characters);
3. for PostgreSQL: the server setting ``tta.audit_key`` (at least 32 characters), set once by the
   server's administrator outside the tables, e.g. ``ALTER DATABASE tta SET tta.audit_key = '…'``
   or a line in ``postgresql.conf``; every PC then uses the same key without a step of its own;
4. for SQLite: ``audit.key`` in the user's data folder, created with 32 random bytes (as hex) and
   mode 0600 on first use.

PostgreSQL has no default: the key is a deliberate installation step (README, "Adgangsloggens
nøgle"), and the program refuses to write to an unsigned log.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from app.errors import StorageUnavailable

ENV_KEY = "TTA_AUDIT_KEY"
ENV_KEY_FILE = "TTA_AUDIT_KEY_FILE"
KEY_FILE_NAME = "audit.key"
MIN_KEY_LENGTH = 32
SERVER_SETTING = "tta.audit_key"   # PostgreSQL: a custom server parameter, never a table

_file_cache: dict[str, bytes] = {}


class AuditKeyMissing(StorageUnavailable):
    """No usable key: the log cannot be signed, so nothing is written."""


@dataclass(frozen=True)
class AuditKey:
    secret: bytes = b""
    source: str = ""    # where it came from, for messages; never the key itself

    def __repr__(self) -> str:  # keep the secret out of tracebacks and logs
        return f"AuditKey(source={self.source!r}, key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        """A short fingerprint stored with the chain, so a wrong key is told apart from tampering."""
        return hashlib.sha256(b"tta-audit-key-id\0" + self.secret).hexdigest()[:16]


def audit_key(backend: str, connection: Connection | None = None) -> AuditKey:
    """The key for a database of ``backend`` ("sqlite" or "postgresql"); AuditKeyMissing if none.
    ``connection`` (PostgreSQL) reads the server setting ``tta.audit_key`` when this PC sets none."""
    value = os.environ.get(ENV_KEY, "").strip()
    if value:
        return AuditKey(_checked(value.encode("utf-8"), ENV_KEY), ENV_KEY)
    path = os.environ.get(ENV_KEY_FILE, "").strip()
    if path:
        return AuditKey(_read_key_file(Path(path), create=False), path)
    if backend == "sqlite":
        from app.config import data_dir
        file = data_dir() / KEY_FILE_NAME
        return AuditKey(_read_key_file(file, create=True), str(file))
    if connection is not None:
        setting = (connection.exec_driver_sql(f"SELECT current_setting('{SERVER_SETTING}', true)").scalar()
                   or "").strip()
        if setting:
            source = f"serverindstillingen {SERVER_SETTING}"
            return AuditKey(_checked(setting.encode("utf-8"), source), source)
    raise AuditKeyMissing(
        "Adgangsloggen kan ikke beskyttes, fordi dens nøgle mangler. Sæt serverindstillingen tta.audit_key "
        "eller TTA_AUDIT_KEY/TTA_AUDIT_KEY_FILE på denne pc (se README, 'Adgangsloggens nøgle'). Intet er gemt.")


def default_key_file() -> Path:
    """Where the SQLite key file is (or will be) kept."""
    from app.config import data_dir
    return data_dir() / KEY_FILE_NAME


def _checked(secret: bytes, source: str) -> bytes:
    if len(secret) < MIN_KEY_LENGTH:
        raise AuditKeyMissing(f"Adgangsloggens nøgle ({source}) er for kort: den skal være mindst "
                              f"{MIN_KEY_LENGTH} tegn. Intet er gemt.")
    return secret


def _read_key_file(path: Path, *, create: bool) -> bytes:
    cache_key = str(path)
    if cache_key in _file_cache:
        return _file_cache[cache_key]
    if create and not path.exists():
        _create_key_file(path)
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise AuditKeyMissing(f"Adgangsloggens nøglefil kan ikke læses ({path}: {exc.strerror}). "
                              "Intet er gemt.") from exc
    _tighten_mode(path)
    _file_cache[cache_key] = _checked(secret, str(path))
    return _file_cache[cache_key]


def _create_key_file(path: Path) -> None:
    """Write a new random key readable by the user alone. The file appears complete or not at all:
    written under a temporary name, then hard-linked into place, which fails if another process
    was first (its key then wins, and both use it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = (secrets.token_hex(32) + "\n").encode("ascii")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _write_exclusive(tmp, content)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:
        # A file system without hard links: create the key file itself exclusively.
        try:
            _write_exclusive(path, content)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _write_exclusive(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _tighten_mode(path: Path) -> None:
    """A key file readable by others is made private again (POSIX; Windows keeps it in the
    per-user profile folder)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass
