"""Login, lockout, idle re-authentication and user administration."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.errors import AuthenticationError, SessionInvalid, ValidationError
from app.security import (
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    new_session_token,
    token_digest,
    verify_password,
)
from app.services.base import (
    MAX_USERNAME_LENGTH,
    SYSTEM,
    Actor,
    ServiceBase,
    apply_changes,
    check_version,
    get_or_404,
)
from app.validation import clean_email, clean_text
from db import codes
from db.models import User, UserSession

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
# The one answer to every refused login: unknown user, wrong password, inactive or locked account.
# Whether an account exists or is locked is told only in the audit log and the administrator's
# user list; saying "locked" even after a right password would let a guesser keep guessing through
# the lockout and learn when the guess was right.
BAD_LOGIN = "Forkert brugernavn eller adgangskode."


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    initials: str
    role: str
    email: str
    active: bool
    locked_until: dt.datetime | None
    version: int


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.username, u.full_name, u.initials, u.role, u.email, u.active, u.locked_until, u.version)


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"skal være mindst {MIN_PASSWORD_LENGTH} tegn", label="Adgangskode")


class AuthService(ServiceBase):
    def login(self, username: str, password: str) -> Actor:
        """Check the password and open a session; the returned ``Actor`` carries its token.

        Every refusal raises ``AuthenticationError(BAD_LOGIN)`` after one argon2 verification, so
        neither the message nor the time tells an unknown name from a wrong password or a locked
        account. Five wrong passwords in a row lock the account for 15 minutes; the count is kept
        under a row lock (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite),
        so parallel attempts cannot get more than five real checks. During the lock no real check
        is made. With ``must_change_password`` set the login succeeds, but the session may only
        call ``UserService.change_own_password`` (the ``Actor`` says so).
        """
        name = (username or "").strip().lower()
        password = password or ""
        dummy_hash()  # made on the first login of any kind, so its cost tells nothing either
        # A name longer than the column (or with control characters) cannot be an account.
        lookup = name if 0 < len(name) <= MAX_USERNAME_LENGTH and name.isprintable() else None
        result = self._write(None, None, lambda s: self._attempt(s, lookup, name, password))
        if isinstance(result, Actor):
            return result
        if not result:  # no account was checked: spend the time a check costs
            verify_password(dummy_hash(), password)
        raise AuthenticationError(BAD_LOGIN)

    def _attempt(self, s: Session, lookup: str | None, typed: str, password: str) -> Actor | bool:
        """One login attempt inside the write transaction: the Actor, or whether a real password
        check was made (False: the caller makes a dummy one)."""
        now = self.clock()
        user = (s.scalar(select(User).where(User.username == lookup).with_for_update())
                if lookup is not None else None)
        if user is None:
            self.audit(s, None, "login_failed", "user_account", None, username=typed or "?",
                       detail="unknown user")
            return False
        if not user.active or (user.locked_until is not None and user.locked_until > now):
            self.audit(s, None, "login_failed", "user_account", user.id, username=user.username,
                       detail="inactive account" if not user.active else "account locked")
            return False
        if not verify_password(user.password_hash, password):
            failures = s.execute(update(User).where(User.id == user.id)
                                 .values(failed_logins=User.failed_logins + 1)
                                 .returning(User.failed_logins)).scalar_one()
            self.audit(s, None, "login_failed", "user_account", user.id, username=user.username,
                       detail="wrong password")
            if failures >= MAX_FAILED_LOGINS:
                s.execute(update(User).where(User.id == user.id)
                          .values(failed_logins=0, locked_until=now + LOCKOUT))
                self.audit(s, None, "lockout", "user_account", user.id, username=user.username,
                           detail=f"{MAX_FAILED_LOGINS} wrong passwords; locked until {now + LOCKOUT:%H:%M} UTC")
            return True
        values: dict = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if needs_rehash(user.password_hash):
            values["password_hash"] = hash_password(password)
        s.execute(update(User).where(User.id == user.id).values(**values))
        actor = self._open_session(s, user, now)
        self.audit(s, actor, "login", "user_account", user.id)
        return actor

    def _open_session(self, s: Session, user: User, now: dt.datetime) -> Actor:
        token = new_session_token()
        row = UserSession(token_hash=token_digest(token), user_id=user.id, created_at=now, last_seen_at=now)
        s.add(row)
        s.flush()
        self._set_verified(s, user.id, user.username, row.id)
        return Actor(user.id, user.username, user.full_name, user.role, session_token=token,
                     must_change_password=user.must_change_password)

    def reauthenticate(self, actor: Actor, password: str, *, end_previous: bool = True) -> Actor:
        """Unlock after the idle lock: a login (same rules, same lockout) for the same user, giving a
        NEW ``Actor`` and session with the role as stored now; the UI swaps it in. The previous
        session is ended unless ``end_previous`` is False (while the UI still holds that Actor)."""
        new = self.login(actor.username, password)
        if new.user_id != actor.user_id:  # user names are unique and never renamed; belt and braces
            self.logout(new)
            raise AuthenticationError(BAD_LOGIN)
        if end_previous:
            self._end_sessions(actor, "replaced")
        return new

    def logout(self, actor: Actor) -> None:
        """End the actor's session (again: nothing). A session that was never issued to this
        user is refused and credits nobody."""
        self._end_sessions(actor, "logout")

    def _end_sessions(self, actor: Actor, reason: str) -> None:
        if actor is SYSTEM:
            return

        def work(s):
            row = s.execute(select(UserSession.id, UserSession.user_id, UserSession.ended_at, User.username)
                            .join(User, User.id == UserSession.user_id)
                            .where(UserSession.token_hash == token_digest(actor.session_token or ""))).first()
            if row is None or row.user_id != actor.user_id:
                return False
            if row.ended_at is None:
                s.execute(update(UserSession).where(UserSession.id == row.id)
                          .values(ended_at=self.clock(), end_reason=reason))
                self._set_verified(s, row.user_id, row.username, row.id)
                self.audit(s, actor, reason if reason == "logout" else "session_end", "user_account",
                           row.user_id, detail="" if reason == "logout" else reason)
            return True
        if not self._write(None, None, work):
            raise SessionInvalid("unknown_session")

    def has_users(self) -> bool:
        return self._read(None, None, lambda s: (s.scalar(select(func.count(User.id))) or 0) > 0)

    def create_first_admin(self, username: str, full_name: str, password: str) -> Actor:
        """Only while the database has no users at all (first start)."""
        _check_password(password)
        username = clean_text(username, field="username", label="Brugernavn", max_len=60, required=True).lower()
        full_name = clean_text(full_name, field="full_name", label="Navn", max_len=120, required=True)

        def work(s):
            if s.scalar(select(func.count(User.id))):
                raise ValidationError("username", "der findes allerede brugere", label="Administrator")
            u = User(username=username, full_name=full_name, role="admin", password_hash=hash_password(password))
            s.add(u)
            s.flush()
            self.audit(s, None, "create", "user_account", u.id, username=username)
            return self._open_session(s, u, self.clock())
        return self._write(None, None, work)


class UserService(ServiceBase):
    def list_users(self, actor: Actor, *, include_inactive: bool = True) -> list[UserRow]:
        def work(s):
            q = select(User).order_by(User.full_name)
            if not include_inactive:
                q = q.where(User.active.is_(True))
            return [_row(u) for u in s.scalars(q)]
        # Every team member may see who is on the team (to assign tasks); only admins change it.
        return self._read(actor, None, work)

    def create_user(self, actor: Actor, *, username: str, full_name: str, role: str, password: str,
                    email: str = "", initials: str = "") -> UserRow:
        username = clean_text(username, field="username", label="Brugernavn", max_len=MAX_USERNAME_LENGTH,
                              required=True).lower()
        if not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise ValidationError("username", "må kun indeholde bogstaver, tal, punktum og bindestreg",
                                  label="Brugernavn")
        full_name = clean_text(full_name, field="full_name", label="Navn", max_len=120, required=True)
        email = clean_email(email, field="email", label="E-mail", max_len=200)
        initials = clean_text(initials, field="initials", label="Initialer", max_len=10) or "".join(
            p[0] for p in full_name.split()[:3]).upper()
        if role not in codes.ROLES:
            raise ValidationError("role", "skal være en af teamets roller", label="Rolle")
        _check_password(password)

        def work(s):
            if s.scalar(select(User.id).where(User.username == username)):
                raise ValidationError("username", f"'{username}' er allerede i brug", label="Brugernavn")
            u = User(username=username, full_name=full_name, role=role, email=email, initials=initials,
                     password_hash=hash_password(password))
            s.add(u)
            s.flush()
            self.audit(s, actor, "create", "user_account", u.id, fields=["username", "full_name", "role"])
            return _row(u)
        # SYSTEM: ``python main.py create-admin`` on a database that already has users.
        return self._write(actor, "user.manage", work, allow_system=True)

    def update_user(self, actor: Actor, user_id: int, *, expected_version: int, full_name: str, role: str,
                    email: str, active: bool) -> UserRow:
        full_name = clean_text(full_name, field="full_name", label="Navn", max_len=120, required=True)
        email = clean_email(email, field="email", label="E-mail", max_len=200)
        if role not in codes.ROLES:
            raise ValidationError("role", "skal være en af teamets roller", label="Rolle")

        def work(s):
            u = get_or_404(s, User, user_id, "Bruger")
            check_version(u, expected_version, "brugeren")
            if u.id == actor.user_id and (not active or role != "admin"):
                raise ValidationError("role", "du kan ikke fjerne din egen administratoradgang", label="Rolle")
            changed = apply_changes(u, {"full_name": full_name, "role": role, "email": email, "active": active})
            if changed:
                s.flush()
                self.audit(s, actor, "update", "user_account", u.id, fields=changed)
            return _row(u)
        return self._write(actor, "user.manage", work, what="brugeren")

    def reset_password(self, actor: Actor, user_id: int, new_password: str) -> None:
        """Set a new password and lift any lockout; the user's sessions end (bar the caller's own),
        and someone else's account must choose its own password at the next login."""
        _check_password(new_password)

        def work(s):
            u = get_or_404(s, User, user_id, "Bruger")
            u.password_hash = hash_password(new_password)
            u.failed_logins = 0
            u.locked_until = None
            u.must_change_password = u.id != actor.user_id
            _end_other_sessions(s, u.id, self._verified(s).session_id, self.clock(), "password_reset")
            self.audit(s, actor, "update", "user_account", u.id, fields=["password"])
        self._write(actor, "user.manage", work, what="brugeren")

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> Actor:
        """The one call a session with a pending password change may make. Returns the Actor to use
        from now on (same session, no change pending); the user's other sessions end."""
        _check_password(new_password)
        if new_password == old_password:
            raise ValidationError("new_password", "skal være en anden end den nuværende", label="Ny adgangskode")

        def work(s):
            u = get_or_404(s, User, actor.user_id, "Bruger")
            if not verify_password(u.password_hash, old_password):
                raise ValidationError("old_password", "er forkert", label="Nuværende adgangskode")
            u.password_hash = hash_password(new_password)
            u.must_change_password = False
            _end_other_sessions(s, u.id, self._verified(s).session_id, self.clock(), "password_changed")
            self.audit(s, actor, "update", "user_account", u.id, fields=["password"])
            return replace(actor, must_change_password=False)
        return self._write(actor, None, work, password_change=True)


def _end_other_sessions(s: Session, user_id: int, keep_session_id: int | None, now: dt.datetime,
                        reason: str) -> None:
    s.execute(update(UserSession)
              .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None),
                     UserSession.id != (keep_session_id or 0))
              .values(ended_at=now, end_reason=reason))
