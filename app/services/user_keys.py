"""User administration on an encrypted database file: every password the database stores is also
the password that unwraps the data key (``app.keys``).

``Services`` uses ``KeyedUserService`` instead of ``UserService`` when it is given the ``Keyring``
of the logged-in user, so callers do not change: creating a user, resetting a password and
changing one's own password add or replace that user's wrapping in the key file; deactivating a
user removes it. A new password is staged in the key file *before* the database takes it and made
the only one after, so a failure between the two never leaves a user with a password that opens the
file but not the account, or the other way round (the next login settles what is left).

Every call made for a user verifies that user's session (and the role stored for it, not the one the
``Actor`` claims) before it touches the key file or answers: a made-up, logged-out, deactivated or
demoted administrator changes nothing in the key file and learns nothing. A password change rewraps
the entry of the user the session belongs to, never the user name an ``Actor`` claims.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import select

from app.errors import StorageUnavailable, ValidationError
from app.keys import KeyFileError, Keyring
from app.security import hash_password
from app.services.base import Actor, Clock
from app.services.users import UserRow, UserService, _check_password
from db.base import utcnow
from db.models import User
from db.session import Database

DATABASE_ENTITY = "database"


class KeyedUserService(UserService):
    """``UserService`` that keeps the key file's wrappings in step with the stored passwords."""

    def __init__(self, db: Database, clock: Clock = utcnow, *, keyring: Keyring):
        super().__init__(db, clock)
        self.keyring = keyring

    # -- the user administration, wrapped ------------------------------------------------------------
    def create_user(self, actor: Actor, *, password: str, **fields) -> UserRow:
        row = super().create_user(actor, password=password, **fields)
        self._key_file_step(lambda: self.keyring.set_password(row.username, password),
                            f"Brugeren {row.username} er oprettet, men kan ikke åbne den krypterede database endnu")
        return row

    def reset_password(self, actor: Actor, user_id: int, new_password: str) -> None:
        username = self._username(actor, user_id)   # the session first: nothing is read or staged before
        with _key_file_errors("Adgangskoden blev ikke ændret"):
            with self.keyring.password_change(username, new_password):
                super().reset_password(actor, user_id, new_password)

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> Actor:
        # The wrapping to replace is the one of the user the session belongs to, as stored, never
        # the name the Actor claims.
        username = self._write(actor, None, lambda s: self._verified(s).username, password_change=True)
        with _key_file_errors("Adgangskoden blev ikke ændret"):
            with self.keyring.password_change(username, new_password):
                return super().change_own_password(actor, old_password, new_password)

    def update_user(self, actor: Actor, user_id: int, **fields) -> UserRow:
        row = super().update_user(actor, user_id, **fields)
        if not row.active:
            self._key_file_step(lambda: self.keyring.remove_user(row.username),
                                f"Brugeren {row.username} er deaktiveret, men nøglen er ikke fjernet endnu "
                                "(det sker ved næste login)")
        return row

    # -- what only an encrypted database has ---------------------------------------------------------
    def users_without_key(self, actor: Actor) -> list[str]:
        """Active users who cannot open the encrypted file yet (e.g. after a conversion): the
        administrator resets their passwords, which gives them a wrapping."""
        active = self._read(actor, "user.manage", _active_usernames)
        return sorted(active - set(self.keyring.usernames()))

    def new_recovery_key(self, actor: Actor) -> str:
        """Make a new recovery key (the old printed one stops working); shown and printed once.
        The session (and its stored role) is verified before the key file is touched."""
        self._read(actor, "user.manage", lambda s: None)
        recovery_key = self.keyring.new_recovery_key()
        self._write(actor, "user.manage", lambda s: self.audit(s, actor, "update", DATABASE_ENTITY, None,
                                                                 fields=["recovery_key"]))
        return recovery_key

    def active_usernames(self) -> set[str]:
        return self._read(None, None, _active_usernames)

    def prune_key_file(self) -> list[str]:
        """Remove the wrappings of users who are no longer active (a deactivation that could not
        reach the key file); returns their names."""
        return self.keyring.keep_only(self.active_usernames())

    def record_key_file_events(self, events: Iterable[Mapping[str, str]]) -> None:
        """Copy the failures and locks the key file counted (no database was open then) to the audit log."""
        events = list(events)
        if not events:
            return

        def work(s):
            ids = dict(s.execute(select(User.username, User.id)).all())
            for e in events:
                name = e.get("username", "?")
                detail = " ".join(x for x in (e.get("detail", ""), f"(nøglefil, {e.get('at', '')} UTC)") if x)
                self.audit(s, None, e.get("action", "login_failed"), "user_account", ids.get(name),
                           username=name[:60], detail=detail)
        self._write(None, None, work)

    def recover_admin(self, username: str | None, new_password: str) -> str:
        """Set a new password for an administrator after the recovery key opened the file; lifts any
        lockout. ``username`` may be left out when there is exactly one active administrator.
        Returns the administrator's user name."""
        _check_password(new_password)

        def find(s) -> str:
            admins = list(s.scalars(select(User).where(User.role == "admin", User.active.is_(True))))
            if username:
                match = [u for u in admins if u.username == username.strip().lower()]
                if not match:
                    raise ValidationError("username", f"'{username}' er ikke en aktiv administrator",
                                          label="Administrator")
                return match[0].username
            if len(admins) != 1:
                raise ValidationError("username", "angiv hvilken administrator der skal have ny adgangskode "
                                      f"({', '.join(sorted(u.username for u in admins)) or 'ingen aktive'})",
                                      label="Administrator")
            return admins[0].username
        name = self._read(None, None, find)

        def work(s):
            u = s.scalar(select(User).where(User.username == name))
            u.password_hash = hash_password(new_password)
            u.failed_logins = 0
            u.locked_until = None
            u.must_change_password = False
            self.audit(s, None, "update", "user_account", u.id, username=name, fields=["password"],
                       detail="ny adgangskode med gendannelsesnøglen")
        with _key_file_errors("Adgangskoden blev ikke ændret"):
            with self.keyring.password_change(name, new_password):
                self._write(None, None, work)
        return name

    def record_encryption(self, actor: Actor) -> None:
        """The audit entry that says the file was converted (written into the encrypted file)."""
        self._write(actor, None, lambda s: self.audit(s, actor, "update", DATABASE_ENTITY, None,
                                                        fields=["encryption"], detail="krypteret med SQLCipher"))

    # -- helpers -------------------------------------------------------------------------------------
    def _username(self, actor: Actor, user_id: int) -> str:
        """The user name of ``user_id``, for an administrator whose session is verified first."""
        from app.errors import NotFound
        name = self._read(actor, "user.manage",
                          lambda s: s.scalar(select(User.username).where(User.id == user_id)))
        if name is None:
            raise NotFound("Bruger", user_id)
        return name

    @staticmethod
    def _key_file_step(step: Callable[[], None], done_so_far: str) -> None:
        """A key-file change after the database committed: a failure says what did happen."""
        try:
            step()
        except (OSError, KeyFileError) as exc:
            raise StorageUnavailable(f"{done_so_far}: nøglefilen kunne ikke opdateres ({_reason(exc)}). "
                                     "Nulstil brugerens adgangskode for at prøve igen.") from exc


def _active_usernames(s) -> set[str]:
    return set(s.scalars(select(User.username).where(User.active.is_(True))))


@contextmanager
def _key_file_errors(what: str) -> Iterator[None]:
    """A key-file change before the database change failed: say so; nothing was changed."""
    try:
        yield
    except (OSError, KeyFileError) as exc:
        raise StorageUnavailable(f"{what}: nøglefilen kunne ikke opdateres ({_reason(exc)}).") from exc


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, KeyFileError) else (exc.strerror or type(exc).__name__)
