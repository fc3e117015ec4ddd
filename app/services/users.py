"""Login, lockout, idle re-authentication and user administration."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.errors import AuthenticationError, ValidationError
from app.security import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from app.services.base import Actor, ServiceBase, apply_changes, check_version, get_or_404
from app.validation import clean_email, clean_text
from db import codes
from db.models import User

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
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
        """Verify the password; 5 failures in a row lock the account for 15 minutes."""
        username = (username or "").strip().lower()

        def work(s):
            user = s.scalar(select(User).where(User.username == username))
            now = self.clock()
            if user is None or not user.active:
                self.audit(s, None, "login_failed", "user_account", None, username=username or "?")
                return BAD_LOGIN
            if user.locked_until and user.locked_until > now:
                minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
                self.audit(s, None, "login_failed", "user_account", user.id, username=username,
                           detail="account locked")
                return (f"Kontoen er låst efter for mange forkerte forsøg. Prøv igen om {minutes} minutter, "
                        "eller bed en administrator nulstille adgangskoden.")
            if not verify_password(user.password_hash, password or ""):
                user.failed_logins += 1
                self.audit(s, None, "login_failed", "user_account", user.id, username=username)
                if user.failed_logins >= MAX_FAILED_LOGINS:
                    user.locked_until = now + LOCKOUT
                    user.failed_logins = 0
                    self.audit(s, None, "lockout", "user_account", user.id, username=username)
                    return ("Kontoen er nu låst i 15 minutter efter 5 forkerte forsøg. "
                            "En administrator kan nulstille adgangskoden.")
                left = MAX_FAILED_LOGINS - user.failed_logins
                return f"{BAD_LOGIN} ({left} forsøg tilbage, før kontoen låses.)"
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            actor = Actor(user.id, user.username, user.full_name, user.role)
            self.audit(s, actor, "login", "user_account", user.id)
            return actor

        result = self._write(None, None, work)
        if isinstance(result, str):
            raise AuthenticationError(result)
        return result

    def reauthenticate(self, actor: Actor, password: str) -> None:
        """Unlock after idle time: the same rules (and lockout) as a login, for the same user."""
        self.login(actor.username, password)

    def logout(self, actor: Actor) -> None:
        self._write(None, None, lambda s: self.audit(s, actor, "logout", "user_account", actor.user_id))

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
            return Actor(u.id, u.username, u.full_name, u.role)
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
        username = clean_text(username, field="username", label="Brugernavn", max_len=60, required=True).lower()
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
        return self._write(actor, "user.manage", work)

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
        """Set a new password and lift any lockout."""
        _check_password(new_password)

        def work(s):
            u = get_or_404(s, User, user_id, "Bruger")
            u.password_hash = hash_password(new_password)
            u.failed_logins = 0
            u.locked_until = None
            u.must_change_password = u.id != actor.user_id
            self.audit(s, actor, "update", "user_account", u.id, fields=["password"])
        self._write(actor, "user.manage", work, what="brugeren")

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        _check_password(new_password)

        def work(s):
            u = get_or_404(s, User, actor.user_id, "Bruger")
            if not verify_password(u.password_hash, old_password):
                raise ValidationError("old_password", "er forkert", label="Nuværende adgangskode")
            u.password_hash = hash_password(new_password)
            u.must_change_password = False
            self.audit(s, actor, "update", "user_account", u.id, fields=["password"])
        self._write(actor, None, work)
