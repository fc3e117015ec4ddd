"""Open a database for use: health check, migrate to the current schema, seed reference data.

An SQLite file may be encrypted (SQLCipher, ``app.keys``). Then nothing can be read before a user
has typed a password: ``open_encrypted`` unwraps the data key with it, opens the file and checks
the login as ``AuthService`` always does. ``open_with_login`` does the right thing for every kind
of database, so a caller that has a user name and a password need not know which it has.

``storage_state`` tells the kinds apart without a password: ``server`` (PostgreSQL: the server's
own encryption and TLS protect it), ``new`` (no file yet, or an empty one), ``plain`` (an
unencrypted SQLite file) or ``encrypted``. A new database is created encrypted
(``create_encrypted_database``); a plain one is converted by ``encrypt_database``.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError

from app import keys
from app.audit_chain import AuditChainBroken, PurgeResult, VerifyResult, seal_legacy_entries
from app.audit_key import audit_key
from app.errors import AppError, AuthenticationError, StorageUnavailable
from app.keys import KeyFileError, Keyring, UnlockRefused, key_file_path
from app.reference import seed_reference_data
from app.services import Actor, Services
from app.services.audit_log import AuditRetentionInvalid
from app.services.base import Clock, require
from db import filecheck, instance_lock, migrate
from db.base import utcnow
from db.session import StorageError, check_sqlite_health, open_database, sqlite_file_path

SERVER, NEW, PLAIN, ENCRYPTED = "server", "new", "plain", "encrypted"
WRONG_RECOVERY_KEY = "Gendannelsesnøglen er forkert."


class EncryptedDatabase(AppError):
    """An encrypted file was to be opened without a password."""

    def __init__(self):
        super().__init__("Databasen er krypteret og kan kun åbnes, når en bruger logger ind.")


@dataclass
class OpenedDatabase:
    """A database opened by a login: the services and the logged-in user."""
    services: Services
    actor: Actor


@dataclass
class FirstStart(OpenedDatabase):
    """A new encrypted database and its first administrator; ``recovery_key`` is shown once."""
    recovery_key: str


@dataclass(frozen=True)
class EncryptionResult:
    recovery_key: str               # shown and printed once; not stored anywhere
    row_counts: dict[str, int]      # per table, the same before and after
    backup_path: Path | None        # the unencrypted copy, when it was asked to be kept
    users_without_key: list[str]    # active users who need a password reset to open the file
    fresh_backup: Path | None = None      # the verified encrypted backup taken right after
    plain_backups_removed: int = 0        # earlier unencrypted backups removed from the backup folder
    backup_error: str = ""                # Danish: why no fresh backup (the old ones are then kept)


def encryption_available() -> bool:
    """SQLCipher is installed (the Linux wheels bring it; elsewhere it is installed by hand). Without
    it a new database is created unencrypted and no conversion is offered."""
    from db.session import sqlcipher_available
    return sqlcipher_available()


def _require_encryption() -> None:
    if not encryption_available():
        raise AppError("Denne installation kan ikke kryptere databaser: SQLCipher (sqlcipher3) mangler.")


class FileRefused(StorageUnavailable):
    """The database file is not opened, and nothing was written to it: ``state`` says why
    (``db.filecheck``: empty, foreign, newer, damaged, locked), the message what to do."""

    def __init__(self, state: str, message: str, path: Path | None = None):
        super().__init__(message)
        self.state = state
        self.path = path


def refusal(state: str, path: Path | None, detail: str = "", revision: str | None = None) -> FileRefused:
    """The Danish message and way on for a file in ``state``."""
    # The advice first, in words; the file and the technical cause (for the it-ansvarlige) below it.
    where = (f"\n\nFil: {path}" if path else "") + (f"\nTeknisk årsag: {_cause(detail)}" if detail else "")
    tech = ""
    if state == filecheck.EMPTY:
        text = ("Databasefilen er tom og er ikke en TTA-database{tech}. Programmet åbner den ikke og skriver "
                "ikke i den. Vælg den rigtige databasefil, eller flyt den tomme fil væk, så opretter "
                "programmet en ny database.")
    elif state == filecheck.FOREIGN:
        text = ("Filen tilhører et andet program; den er ikke en TTA-database{tech}. Den er ikke ændret. "
                "Vælg den rigtige databasefil.")
    elif state == filecheck.NEWER:
        text = ("Databasen er gemt af en nyere udgave af TTA-team{tech}. Opdatér programmet, før du åbner "
                "den. Filen er ikke ændret.")
    elif state == filecheck.LOCKED:
        who = instance_lock.holder(path) if path else ""
        text = ("Databasen bruges af en anden" + (f" ({who})" if who else "") + "{tech}. Vent, til den "
                 "anden er færdig, eller luk programmet dér, og prøv igen.")
    else:
        text = ("Databasefilen er beskadiget{tech}. Den er ikke ændret. Gendan den seneste kontrollerede "
                "sikkerhedskopi" + _latest_backup_hint(path) + ".")
    return FileRefused(state, text.format(tech=tech) + where, path)


def _cause(detail: str) -> str:
    """The driver's own words from a storage message such as "Databasen er beskadiget eller ikke en
    TTA-database (database disk image is malformed)": the sentence before them repeats the advice."""
    if detail.endswith(")") and "(" in detail and detail.startswith("Databasen"):
        return detail[detail.index("(") + 1:-1]
    return detail


def _latest_backup_hint(path: Path | None) -> str:
    from app.services.backup import latest_verified
    latest = latest_verified(path) if path else None
    if latest is None:
        return " (python main.py restore FIL), eller kontakt jeres it-ansvarlige"
    return f" ({latest.path}) med 'python main.py restore {latest.path}'"


def check_file(url: str, *, deep: bool = False) -> str:
    """``server``, ``new``, ``plain`` or ``encrypted``; any other state of the file raises
    ``FileRefused`` before anything has written to it."""
    path = sqlite_file_path(url)
    if path is None:
        return SERVER
    found = filecheck.classify_file(path, deep=deep)
    if found.state == filecheck.NEW:
        return NEW
    if found.state == filecheck.ENCRYPTED:
        return ENCRYPTED
    if found.state == filecheck.OURS:
        return PLAIN
    raise refusal(found.state, path, found.detail, found.revision)


def lock_instance(url: str):
    """The session's lock on an SQLite file (``db.instance_lock``); None for a server. Another app
    instance holding it is refused with a message naming who has it open."""
    path = sqlite_file_path(url)
    if path is None:
        return None
    try:
        return instance_lock.InstanceLock.acquire(path)
    except instance_lock.InUse as exc:
        who = f" ({exc.holder})" if exc.holder else ""
        raise FileRefused("in_use", f"Databasen er allerede åben i TTA-team hos en anden bruger{who}. Den kan kun "
                          "være åben ét sted ad gangen; luk den dér først. Et team, der arbejder samtidig, "
                          "bruger en PostgreSQL-server.", path) from None


def file_locked(url: str) -> bool:
    """True while another program holds the SQLite file at ``url`` (for the wait at start)."""
    path = sqlite_file_path(url)
    return path is not None and filecheck.classify_file(path).state == filecheck.LOCKED


def storage_state(url: str) -> str:
    """``server``, ``new``, ``plain`` or ``encrypted`` (see the module), read without a password;
    an empty, foreign, newer, damaged or locked file raises ``FileRefused``."""
    return check_file(url)


def check_schema(db, url: str) -> None:
    """After opening (an encrypted file can only be read now): a revision we do not know is a newer
    schema; refused before the migration would touch it."""
    rev = migrate.current_revision(db.engine)
    if rev is not None and rev not in filecheck.known_revisions():
        raise refusal(filecheck.NEWER, sqlite_file_path(url), f"revision {rev}", rev)


def prepare_database(url: str, *, upgrade: bool = True, check: bool = True, keyring: Keyring | None = None,
                     clock: Clock = utcnow) -> Services:
    """Open ``url``; bring its schema to head (never losing rows) and add missing reference data.

    ``check=False`` leaves the health check to the caller (``health_check``), which the GUI runs in
    the background while the user types the password: ``quick_check`` reads the whole file.
    An encrypted file needs the ``keyring`` of a login (``open_encrypted``).
    """
    if keyring is None and storage_state(url) == ENCRYPTED:
        raise EncryptedDatabase
    try:
        db = open_database(url, check=check, key=keyring.data_key if keyring else None)
    except StorageError as exc:
        raise refusal(exc.state, sqlite_file_path(url), str(exc)) from exc
    try:
        check_schema(db, url)
        if upgrade and migrate.needs_upgrade(db.engine):
            migrate.upgrade(db.engine)
        if db.is_sqlite:
            filecheck.mark_engine(db.engine)
        with db.engine.connect() as conn:   # no key, no signed log: say so now rather than at the first write
            audit_key(db.engine.dialect.name, conn)
        with db.write() as s:
            seed_reference_data(s)
            seal_legacy_entries(s)  # entries from before the audit chain, once
    except DatabaseError as exc:
        db.dispose()
        state = "locked" if "locked" in str(exc.orig) or "busy" in str(exc.orig) else filecheck.DAMAGED
        raise refusal(state, sqlite_file_path(url), str(exc.orig)) from exc
    except BaseException:
        db.dispose()
        raise
    return Services(db, clock, keyring=keyring)


def health_check(services: Services, *, full: bool = False) -> None:
    """SQLite's ``quick_check`` (``integrity_check`` when ``full``: after an unclean shutdown) and
    pragma check; raises FileRefused on a damaged or locked file."""
    if not services.db.is_sqlite:
        return
    try:
        check_sqlite_health(services.db.engine, full=full)
    except StorageError as exc:
        path = sqlite_file_path(str(services.db.engine.url)) if services.db.engine.url.database else None
        raise refusal(exc.state, path, str(exc)) from exc


def _sqlite_path(url: str) -> Path:
    path = sqlite_file_path(url)
    if path is None:
        raise AppError("Kun en SQLite-databasefil kan krypteres; en PostgreSQL-server beskyttes af serverens "
                       "egen kryptering og TLS.")
    return path


def _login_name(username: str) -> str:
    return (username or "").strip().lower()   # as AuthService.login reads it


# -- opening ----------------------------------------------------------------------------------------
def open_encrypted(url: str, username: str, password: str, *, check: bool = False, upgrade: bool = True,
                   clock: Clock = utcnow) -> OpenedDatabase:
    """Unwrap the data key with the user's password, open the encrypted file, and log in.

    A wrong password, an unknown user and a user whose unlocking is locked all give the message of
    a failed login and open nothing. The failures are counted in the key file (the database cannot
    be reached without the key) and copied to the audit log by the next successful opening; the
    login itself then runs ``AuthService.login`` with its own lockout, as on any database.
    """
    path = _sqlite_path(url)
    if storage_state(url) != ENCRYPTED:
        raise AppError("Databasen er ikke krypteret; den åbnes som før (open_with_login).")
    key_file = key_file_path(path)
    name = _login_name(username)
    try:
        unlocked = keys.unlock(key_file, name, password or "", now=clock())
    except UnlockRefused:
        from app.services.users import BAD_LOGIN
        raise AuthenticationError(BAD_LOGIN) from None
    keyring = Keyring(key_file, unlocked.data_key)
    services = prepare_database(url, check=check, upgrade=upgrade, keyring=keyring, clock=clock)
    try:
        services.users.record_key_file_events(keys.take_events(key_file))
        actor = services.auth.login(name, password)
        keyring.settle_login(name, password, unlocked)
        services.users.prune_key_file()
    except BaseException:
        services.close()
        raise
    return OpenedDatabase(services, actor)


def open_with_login(url: str, username: str, password: str, *, check: bool = False,
                    clock: Clock = utcnow) -> OpenedDatabase:
    """Open any database for a user: encrypted files through ``open_encrypted``, others as before
    (open, then ``AuthService.login``). For headless commands that act as a person."""
    if storage_state(url) == ENCRYPTED:
        return open_encrypted(url, username, password, check=check, clock=clock)
    services = prepare_database(url, check=check, clock=clock)
    try:
        actor = services.auth.login(username, password)
    except BaseException:
        services.close()
        raise
    return OpenedDatabase(services, actor)


# -- creating and converting ------------------------------------------------------------------------
def _user_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_account'").fetchone():
            return 0
        return conn.execute("SELECT count(*) FROM user_account").fetchone()[0]
    finally:
        conn.close()


def start_encrypted_file(url: str, passwords: dict[str, str], *, clock: Clock = utcnow) -> tuple[Keyring, str]:
    """Make the SQLite file at ``url`` an encrypted database with a new data key and a key file that
    wraps it for each ``passwords`` entry (user name -> password) and for a new recovery key.

    Only where no user can be locked out: the file is missing or empty (it is created), or a plain
    database without users (it is converted, keeping its rows). Returns the keyring and the
    recovery key. The schema is not created here; ``prepare_database`` with the keyring does that.
    """
    path = _sqlite_path(url)
    _require_encryption()
    state = storage_state(url)
    if state == ENCRYPTED:
        raise AppError("Databasen findes allerede og er krypteret.")
    if state == PLAIN and _user_count(path):
        raise AppError("Databasen har allerede brugere; en administrator krypterer den med "
                       "'python main.py encrypt'.")
    key_file = key_file_path(path)
    data_key = keys.new_data_key()
    if state == PLAIN:
        from db.encryption import encrypt_file
        holder: dict[str, str] = {}

        def write_key_file(_new: Path) -> None:   # before the rename: a file never lacks its keys
            holder["recovery"] = keys.create_key_file(key_file, data_key, passwords)
        encrypt_file(path, data_key, now=clock(), before_rename=write_key_file)
        return Keyring(key_file, data_key), holder["recovery"]
    path.unlink(missing_ok=True)   # an empty file: nothing to keep
    recovery_key = keys.create_key_file(key_file, data_key, passwords)   # first: a file never lacks its keys
    open_database(url, key=data_key).dispose()   # creates the encrypted file (0600)
    return Keyring(key_file, data_key), recovery_key


def create_encrypted_database(url: str, *, username: str, full_name: str, password: str,
                              clock: Clock = utcnow) -> FirstStart:
    """First start: a new encrypted database with its first administrator, logged in.

    The recovery key in the result is what the administrator prints now (``app.printing.recovery_key``);
    it is not stored anywhere.
    """
    from app.services.users import _check_password
    from app.validation import clean_text
    _check_password(password)
    name = clean_text(username, field="username", label="Brugernavn", max_len=60, required=True).lower()
    clean_text(full_name, field="full_name", label="Navn", max_len=120, required=True)
    created = storage_state(url) == NEW
    path = _sqlite_path(url)
    keyring, recovery_key = start_encrypted_file(url, {name: password}, clock=clock)
    try:
        services = prepare_database(url, keyring=keyring, clock=clock)
    except BaseException:
        if created:   # nothing of value in it yet: leave no file that no login can open
            path.unlink(missing_ok=True)
            keyring.path.unlink(missing_ok=True)
        raise
    try:
        actor = services.auth.create_first_admin(name, full_name, password)
    except BaseException:
        services.close()
        raise
    return FirstStart(services, actor, recovery_key)


def needs_encryption(url: str) -> bool:
    """True for a plain SQLite file that this installation can encrypt: the app offers
    ``encrypt_database`` to an administrator."""
    return storage_state(url) == PLAIN and encryption_available()


def encrypt_database(url: str, username: str, password: str, *, keep_backup: bool = False,
                     clock: Clock = utcnow) -> EncryptionResult:
    """Convert the plain SQLite file at ``url`` into an encrypted one; an administrator's login.

    The administrator's password is checked on the plain file (with the usual lockout) and becomes
    their wrapping; nobody else's password is known, so every other active user is listed in
    ``users_without_key`` and opens the file after the administrator resets their password (they
    then choose their own at the next login). Close every other connection to the file first.
    """
    path = _sqlite_path(url)
    _require_encryption()
    from db.encryption import ConversionError, encrypt_file
    state = storage_state(url)
    if state != PLAIN:
        raise AppError("Databasen er allerede krypteret." if state == ENCRYPTED
                       else "Der er ingen database at kryptere endnu.")
    services = prepare_database(url, check=True, clock=clock)   # migrated first: the copy is at head
    try:
        actor = services.auth.login(username, password)
        try:
            require(actor, "user.manage")
            others = sorted(u.username for u in services.users.list_users(actor, include_inactive=False)
                            if u.username != actor.username)
        except BaseException:
            services.auth.logout(actor)
            raise
    finally:
        services.close()

    key_file = key_file_path(path)
    data_key = keys.new_data_key()
    holder: dict[str, str] = {}

    def before_rename(new_file: Path) -> None:
        # The new file gets its audit entry while it is still beside the original, then its key file.
        staged = Services(open_database(f"sqlite:///{new_file}", key=data_key, check=False), clock,
                          keyring=Keyring(key_file, data_key))
        try:
            staged.users.record_encryption(actor)
        finally:
            staged.close()
        holder["recovery"] = keys.create_key_file(key_file, data_key, {actor.username: password})

    try:
        report = encrypt_file(path, data_key, now=clock(), keep_backup=keep_backup, before_rename=before_rename)
    except (ConversionError, sqlite3.Error, OSError, KeyFileError) as exc:
        _log_out_plain(url, actor, clock)
        raise StorageUnavailable(f"Databasen blev ikke krypteret, og den er uændret ({exc}).") from exc
    fresh, removed, error = _after_encryption(url, actor, Keyring(key_file, data_key), clock)
    return EncryptionResult(holder["recovery"], report.row_counts, report.backup_path, others,
                            fresh_backup=fresh, plain_backups_removed=removed, backup_error=error)


def _log_out_plain(url: str, actor: Actor, clock: Clock) -> None:
    """The conversion failed: end the administrator's session on the (unchanged) plain file."""
    import contextlib
    with contextlib.suppress(AppError, OSError):
        services = prepare_database(url, check=False, clock=clock)
        try:
            services.auth.logout(actor)
        finally:
            services.close()


def _after_encryption(url: str, actor: Actor, keyring: Keyring, clock: Clock) -> tuple[Path | None, int, str]:
    """On the encrypted file: a fresh verified (encrypted) backup, then the unencrypted backups taken
    before are removed from the backup folder (they hold every record in the clear); the
    administrator's session ends. Returns the new backup, how many were removed, and why no backup
    could be taken ("" when it was): the old backups are then kept, being the only ones."""
    from app.services.backup import plain_backups, recorded_backups, remove_backups
    services = prepare_database(url, keyring=keyring, clock=clock)
    try:
        recorded = recorded_backups(services.db.path)   # read before the new backup replaces the manifest
        before = plain_backups(recorded)
        try:
            fresh = services.backup.take(actor, reason="after encryption").path
        except (AppError, OSError) as exc:
            return None, 0, exc.message if isinstance(exc, AppError) else str(exc)
        found = plain_backups([*recorded, fresh.parent])
        remove_backups(services.db.path, found)
        # The backup's rotation may have removed some of them already, and a backup taken in the same
        # second was replaced by the new one: their plaintext is gone all the same.
        gone = {p for p in [*before, *found] if not plain_backups([p])}
        return fresh, len(gone), ""
    finally:
        try:
            services.auth.logout(actor)
        finally:
            services.close()


# -- recovery ---------------------------------------------------------------------------------------
def recover_admin_password(url: str, recovery_key: str, new_password: str, *, username: str | None = None,
                           clock: Clock = utcnow) -> str:
    """Every administrator password is lost: open the file with the printed recovery key and give an
    administrator (``username``, or the only active one) a new password. Returns their user name."""
    path = _sqlite_path(url)
    if storage_state(url) != ENCRYPTED:
        raise AppError("Databasen er ikke krypteret; brug 'python main.py create-admin' for en ny administrator.")
    key_file = key_file_path(path)
    try:
        data_key = keys.unlock_with_recovery_key(key_file, recovery_key)
    except UnlockRefused:
        raise AuthenticationError(WRONG_RECOVERY_KEY) from None
    services = prepare_database(url, keyring=Keyring(key_file, data_key), clock=clock)
    try:
        return services.users.recover_admin(username, new_password)
    finally:
        services.close()


@dataclass(frozen=True)
class AuditLogCheck:
    """What the audit log's start-up routine found, for Administration (and a warning at start)."""
    verify: VerifyResult
    purge: PurgeResult | None    # None: not due this time (or not run because the chain is broken)
    purge_error: str = ""        # Danish; why a due purge removed nothing


def database_location_warning(services: Services) -> str:
    """The warning for a database file in a synced or network folder (``app.location``); "" for a
    local file or a PostgreSQL server. Shown after login and in Administration → Sikkerhedskopi."""
    from app.location import location_warning
    return location_warning(services.db.path) if services.db.is_sqlite and services.db.path else ""


def audit_log_startup(services: Services) -> AuditLogCheck:
    """The audit log's start-up routine, for the UI to run in the background after
    ``prepare_database``: the monthly purge when it is due (``audit_retention_months``; the last run
    is kept in a setting), then a full check of the chain. Runs without a user; the purge is logged
    as the program's own ("system")."""
    purge, error = None, ""
    try:
        purge = services.audit_log.purge_if_due()
    except (AuditChainBroken, AuditRetentionInvalid) as exc:
        error = exc.message
    return AuditLogCheck(services.audit_log.check_chain(), purge, error)
