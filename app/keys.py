"""The data key of an encrypted database file, wrapped per user, in a key file beside the database.

The SQLite file is encrypted by SQLCipher with a random 32-byte *data key*. Nobody types that key:
it is stored in ``<database>.keys`` (JSON, 0600) once per user, each copy encrypted ("wrapped") with
AES-256-GCM under a key derived from that user's password with argon2id, and once more under a
random *recovery key* the administrator prints at first start. Logging in unwraps the user's copy;
a wrong password opens nothing. Whoever is logged in holds the data key in memory (``Keyring``) and
so can wrap it for a new user or a new password; the file alone, without a password or the
recovery key, gives nothing away but names.

Each wrapping's additional data names its user (or the recovery slot), so a wrapping copied to
another name does not open. ``key_check`` (an HMAC under the data key) tells a key file that
belongs to another database from a wrong password.

A wrong password cannot reach the database, so failed unlocks are counted here, per user: five in
a row lock that user's unlocking for 15 minutes (as ``AuthService`` does in the database), and
each failure and lock is kept as an event that the next successful opening copies into the audit
log. These counters only slow guessing through the application: someone who can copy the file
can reset them, and is then held back by argon2id's cost per guess alone.

Writes replace the file atomically. Every read-modify-write (an unlock with its count, taking the
events, a wrapping change) holds a lock on the key file: a thread lock within the process and an
operating-system lock (``flock``) across processes, so twenty processes guessing at once still get
five real password checks between them, then the lock, and no failure event is lost. On Windows,
where the file cannot be replaced while it is open, only the thread lock is taken.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import AppError
from db.private_files import write_private_file
from db.session import DATA_KEY_BYTES

KEY_FILE_SUFFIX = ".keys"
FORMAT = "tta-team-keys"
VERSION = 1
MAX_FAILED_UNLOCKS = 5
UNLOCK_LOCKOUT = dt.timedelta(minutes=15)
MAX_EVENTS = 200
RECOVERY_KEY_BYTES = 20   # 160 bits: 32 base32 characters, printed in groups of four
_SALT_BYTES = 16
_NONCE_BYTES = 12
_CHECK_LABEL = b"tta-team data key check v1"

_file_lock = threading.Lock()   # one read-modify-write of a key file at a time in this process


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One read-modify-write of the key file at ``path`` at a time, in this process and across processes.

    The file is replaced (not rewritten) by every write, so the lock is taken on the open file and
    then checked to be the file still at ``path``; when another process has replaced it meanwhile,
    the new one is locked instead. A writer replaces the file before it lets go of the old one, so
    whoever locks the new file reads every change made under the old lock. A missing file is not
    locked (there is nothing to change; the read says it is missing).
    """
    with _file_lock:
        try:
            import fcntl
        except ImportError:   # Windows: an open file cannot be replaced there; the thread lock only
            yield
            return
        while True:
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                yield
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if same:
                    yield
                    return
            finally:
                os.close(fd)   # releases the flock


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost of deriving a wrapping key; stored with each wrapping so it can change later."""
    time_cost: int
    memory_cost: int   # KiB
    parallelism: int

    @classmethod
    def argon2_default(cls) -> KdfParams:
        """argon2-cffi's defaults, the same as the password hashes (above OWASP's floor)."""
        from argon2.profiles import get_default_parameters
        p = get_default_parameters()
        return cls(p.time_cost, p.memory_cost, p.parallelism)


# New wrappings use these; a wrapping made with other parameters is made again at the next login.
KDF_PARAMS = KdfParams.argon2_default()


class KeyFileError(AppError):
    """The key file is missing, damaged or belongs to another database."""


class UnlockRefused(Exception):
    """Wrong password, unknown user or a locked user: deliberately one exception, no reason given."""


# -- primitives -------------------------------------------------------------------------------------
def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def key_file_path(database: str | os.PathLike) -> Path:
    """``tta-team.db`` -> ``tta-team.db.keys``."""
    p = Path(database)
    return p.with_name(p.name + KEY_FILE_SUFFIX)


def new_recovery_key() -> str:
    """A random recovery key as printed: ``ABCD-EFGH-...`` (8 groups of 4 base32 characters)."""
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_key(text: str) -> str:
    """The recovery key as typed, made canonical: case, spaces and dashes do not matter, and the
    digits people type for look-alike letters (0 for O, 1 for I, 8 for B) are read as the letters."""
    s = "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch != "-")
    return s.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))


def key_check(data_key: bytes) -> str:
    return hmac.new(data_key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw
    return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_cost, parallelism=params.parallelism,
                           hash_len=32, type=Type.ID)


def _aad(slot: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{slot}".encode()


def _user_slot(username: str) -> str:
    return f"user/{username}"


_RECOVERY_SLOT = "recovery"


def wrap(secret: str, data_key: bytes, slot: str, params: KdfParams | None = None) -> dict[str, Any]:
    """Encrypt ``data_key`` under a key derived from ``secret``; the record stored in the key file."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    params = params or KDF_PARAMS
    salt = secrets.token_bytes(_SALT_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    wrapped = AESGCM(_derive(secret, salt, params)).encrypt(nonce, data_key, _aad(slot))
    return {"kdf": "argon2id", "time_cost": params.time_cost, "memory_cost": params.memory_cost,
            "parallelism": params.parallelism, "salt": _b64(salt), "aead": "AES-256-GCM",
            "nonce": _b64(nonce), "wrapped": _b64(wrapped)}


def _params_of(record: Mapping[str, Any]) -> KdfParams:
    return KdfParams(int(record["time_cost"]), int(record["memory_cost"]), int(record["parallelism"]))


def unwrap(secret: str, record: Mapping[str, Any], slot: str) -> bytes | None:
    """The data key, or None when ``secret`` is wrong (the AEAD tag does not match)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    try:
        if record.get("kdf") != "argon2id" or record.get("aead") != "AES-256-GCM":
            raise ValueError("unknown algorithm")
        kek = _derive(secret, _unb64(record["salt"]), _params_of(record))
        return AESGCM(kek).decrypt(_unb64(record["nonce"]), _unb64(record["wrapped"]), _aad(slot))
    except InvalidTag:
        return None
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyFileError("Nøglefilen er beskadiget og kan ikke læses.") from exc


def _spend_derivation(params: KdfParams | None = None) -> None:
    """The cost of one unwrap, for the refusals that need none: the same time for every refusal."""
    _derive("", bytes(_SALT_BYTES), params or KDF_PARAMS)


# -- the file ---------------------------------------------------------------------------------------
def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _from_iso(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KeyFileError(f"Nøglefilen {path.name} mangler; den krypterede database kan ikke åbnes uden den. "
                           "Læg nøglefilen fra sikkerhedskopien ved siden af databasen.") from exc
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"Nøglefilen {path.name} er beskadiget og kan ikke læses.") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION \
            or not isinstance(doc.get("users"), dict):
        raise KeyFileError(f"{path.name} er ikke en nøglefil fra TTA-team (eller fra en nyere udgave).")
    doc.setdefault("events", [])
    return doc


def _write(path: Path, doc: Mapping[str, Any]) -> None:
    write_private_file(path, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _event(doc: dict[str, Any], now: dt.datetime, action: str, username: str, detail: str = "") -> None:
    doc["events"].append({"at": now.isoformat(), "action": action, "username": username, "detail": detail})
    del doc["events"][:-MAX_EVENTS]


def create_key_file(path: str | os.PathLike, data_key: bytes, passwords: Mapping[str, str]) -> str:
    """Write a new key file for ``data_key`` with a wrapping per user name in ``passwords`` and a
    recovery wrapping; return the recovery key (shown to the administrator once, never stored)."""
    recovery_key = new_recovery_key()
    doc: dict[str, Any] = {
        "format": FORMAT, "version": VERSION,
        "cipher": "SQLCipher 4, raw 256-bit key",
        "key_check": key_check(data_key),
        "users": {name: {"wrapping": wrap(pw, data_key, _user_slot(name)), "failed_unlocks": 0,
                         "locked_until": None} for name, pw in passwords.items()},
        "recovery": wrap(normalise_recovery_key(recovery_key), data_key, _RECOVERY_SLOT),
        "events": [],
    }
    with _file_lock:
        _write(Path(path), doc)
    return recovery_key


def wrapped_usernames(path: str | os.PathLike) -> list[str]:
    """The user names that have a wrapping (and so can open the database with their password)."""
    return sorted(_read(Path(path))["users"])


@dataclass(frozen=True)
class Unlocked:
    """The outcome of a successful unlock: the data key and which wrapping opened it."""
    data_key: bytes = field(repr=False)
    slot: str   # "wrapping" or "pending"


def unlock(path: str | os.PathLike, username: str, password: str, *, now: dt.datetime) -> Unlocked:
    """Unwrap the data key with a user's password, counting failures; ``UnlockRefused`` otherwise.

    An unknown user, a wrong password and a locked user cost the same derivation, write the file
    once and raise the same exception; only a user who exists is counted, and only such names are
    written to the file (an unknown one is recorded as "?").
    """
    path = Path(path)
    with _locked(path):
        doc = _read(path)
        entry = doc["users"].get(username)
        if entry is None:
            _spend_derivation()
            _event(doc, now, "login_failed", "?", "ukendt brugernavn")   # the name typed is not kept
            _write(path, doc)
            raise UnlockRefused
        locked_until = _from_iso(entry.get("locked_until"))
        if locked_until and locked_until > now:
            _spend_derivation(_params_of(entry["wrapping"]))
            _event(doc, now, "login_failed", username, "låst i nøglefilen")
            _write(path, doc)
            raise UnlockRefused
        found: Unlocked | None = None
        for slot in ("wrapping", "pending"):
            record = entry.get(slot)
            key = unwrap(password, record, _user_slot(username)) if record else None
            if key is not None:
                found = Unlocked(key, slot)
                break
        if found is None or not hmac.compare_digest(key_check(found.data_key), doc.get("key_check", "")):
            entry["failed_unlocks"] = int(entry.get("failed_unlocks", 0)) + 1
            _event(doc, now, "login_failed", username)
            if entry["failed_unlocks"] >= MAX_FAILED_UNLOCKS:
                entry["failed_unlocks"] = 0
                entry["locked_until"] = _iso(now + UNLOCK_LOCKOUT)
                _event(doc, now, "lockout", username, "nøglefil")
            _write(path, doc)
            raise UnlockRefused
        if entry.get("failed_unlocks") or entry.get("locked_until"):
            entry["failed_unlocks"] = 0
            entry["locked_until"] = None
            _write(path, doc)
        return found


def unlock_with_recovery_key(path: str | os.PathLike, recovery_key: str) -> bytes:
    """The data key from the printed recovery key; ``UnlockRefused`` when it is wrong."""
    doc = _read(Path(path))
    record = doc.get("recovery")
    key = unwrap(normalise_recovery_key(recovery_key), record, _RECOVERY_SLOT) if record else None
    if key is None or not hmac.compare_digest(key_check(key), doc.get("key_check", "")):
        raise UnlockRefused
    return key


def take_events(path: str | os.PathLike) -> list[dict[str, str]]:
    """The failures and locks recorded since the last call, removed from the file."""
    path = Path(path)
    with _locked(path):
        doc = _read(path)
        events = doc["events"]
        if events:
            doc["events"] = []
            _write(path, doc)
    return events


# -- holding the data key -----------------------------------------------------------------------------
@dataclass
class Keyring:
    """The unlocked data key of one encrypted database and its key file, held while a user is logged
    in. Every change reads the file afresh, changes one entry and replaces the file atomically."""
    path: Path
    data_key: bytes = field(repr=False)

    @contextmanager
    def _editing(self) -> Iterator[dict[str, Any]]:
        with _locked(self.path):
            doc = _read(self.path)
            if not hmac.compare_digest(doc.get("key_check", ""), key_check(self.data_key)):
                raise KeyFileError("Nøglefilen hører til en anden database.")
            yield doc
            _write(self.path, doc)

    def usernames(self) -> list[str]:
        return wrapped_usernames(self.path)

    def set_password(self, username: str, password: str) -> None:
        """Add or replace ``username``'s wrapping for ``password``; clears its failures and lock."""
        record = wrap(password, self.data_key, _user_slot(username))   # slow: outside the file lock
        with self._editing() as doc:
            doc["users"][username] = {"wrapping": record, "failed_unlocks": 0, "locked_until": None}

    def stage_password(self, username: str, password: str) -> None:
        """Add a wrapping for a new password *beside* the current one, before the database changes.

        Until ``commit_password`` (or a login that settles it) both passwords unlock, so a failure
        between the key file and the database never leaves the user with a password that opens
        one and not the other.
        """
        record = wrap(password, self.data_key, _user_slot(username))
        with self._editing() as doc:
            entry = doc["users"].get(username)
            if entry is None:
                doc["users"][username] = {"wrapping": record, "failed_unlocks": 0, "locked_until": None}
            else:
                entry["pending"] = record

    def commit_password(self, username: str) -> None:
        """The database took the new password: the staged wrapping becomes the only one."""
        with self._editing() as doc:
            entry = doc["users"].get(username)
            if entry and entry.get("pending"):
                entry["wrapping"] = entry.pop("pending")
                entry["failed_unlocks"] = 0
                entry["locked_until"] = None

    def discard_password(self, username: str) -> None:
        """The database refused the new password: drop the staged wrapping."""
        with self._editing() as doc:
            entry = doc["users"].get(username)
            if entry is not None:
                entry.pop("pending", None)

    @contextmanager
    def password_change(self, username: str, password: str) -> Iterator[None]:
        """Stage the wrapping, run the database change in the body, then commit or discard."""
        self.stage_password(username, password)
        try:
            yield
        except BaseException:
            self.discard_password(username)
            raise
        self.commit_password(username)

    def settle_login(self, username: str, password: str, unlocked: Unlocked) -> None:
        """After the database accepted ``password``: keep only the wrapping that matched it, and wrap
        again when it was made with other argon2 parameters than today's."""
        with _locked(self.path):
            entry = _read(self.path)["users"].get(username)
        record = entry.get(unlocked.slot) if entry else None
        if record is None:
            return
        if _params_of(record) != KDF_PARAMS:
            self.set_password(username, password)
        elif unlocked.slot == "pending":
            self.commit_password(username)
        elif entry.get("pending"):
            self.discard_password(username)

    def remove_user(self, username: str) -> None:
        with self._editing() as doc:
            doc["users"].pop(username, None)

    def keep_only(self, usernames: set[str]) -> list[str]:
        """Remove the wrappings of every user not in ``usernames``; return the names removed."""
        with self._editing() as doc:
            gone = sorted(set(doc["users"]) - usernames)
            for name in gone:
                del doc["users"][name]
        return gone

    def new_recovery_key(self) -> str:
        """Replace the recovery wrapping; the old printed key stops working. Returns the new key."""
        recovery_key = new_recovery_key()
        record = wrap(normalise_recovery_key(recovery_key), self.data_key, _RECOVERY_SLOT)
        with self._editing() as doc:
            doc["recovery"] = record
        return recovery_key
