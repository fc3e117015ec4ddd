"""What every service call shares: the acting user, the permission check, one transaction,
the audit entry, and turning storage failures into messages a user can act on.

Every call that names an acting user has that user's session checked inside its own transaction
(``ServiceBase._verify``): the session exists and is not ended, the account exists, is active, not
locked, has the role, user name and full name the ``Actor`` claims, and has no password change
pending. So an ``Actor`` made up in code, kept after logout, or held by a user who has since been
deactivated, demoted, renamed or locked out gets ``SessionInvalid`` instead of data. The audit
entries of that transaction credit the user found there, never the name an ``Actor`` merely claims.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import logging
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import (
    access,
    audit_chain,  # noqa: F401  (seals audit entries when a transaction commits)
    permissions,
)
from app.errors import (
    ConflictError,
    NotFound,
    PasswordChangeRequired,
    PermissionDenied,
    SessionInvalid,
    StorageUnavailable,
    ValidationError,
)
from app.security import token_digest
from app.validation import mask_cprs_in_text, normalise_text
from db.base import utcnow
from db.models import AuditEntry, Case, User, UserSession
from db.session import Database, DatabaseClosed

log = logging.getLogger(__name__)
T = TypeVar("T")

Clock = Callable[[], dt.datetime]

# The width of the user-name columns; a longer name cannot belong to an account and is cut before it
# is stored anywhere (a failed login with a 100 kB name must not fill the audit log).
MAX_USERNAME_LENGTH = 60
# How stale a session's last_seen_at may get before a call refreshes it (a write per call would be
# a write per read).
TOUCH_INTERVAL = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Actor:
    """The logged-in team member on whose behalf a service acts.

    Only ``AuthService`` issues one with a ``session_token``; the token is what the service layer
    checks, and it is kept out of ``repr`` (so out of logs and tracebacks) and out of comparisons.
    ``must_change_password`` tells the UI to ask for a new password before anything else; the
    service layer enforces it from the stored account, not from this flag.
    """
    user_id: int
    username: str
    full_name: str
    role: str
    session_token: str = field(default="", repr=False, compare=False)
    must_change_password: bool = False

    def may(self, action: str) -> bool:
        return permissions.allowed(self.role, action)

    def same_account(self, other: Actor) -> bool:
        """The same user with the same role and names (what the session check compares with the
        stored account): a session of ``other`` may go on where this Actor is held."""
        return ((self.user_id, self.role, self.username, self.full_name)
                == (other.user_id, other.role, other.username, other.full_name))

    def adopt_session(self, other: Actor) -> None:
        """After the idle lock the same person goes on with the session the unlock issued: every
        holder of this Actor (open screens, queued work) uses the new token from now on. Only for
        the same account (``same_account``); a changed role or name needs a new login and a new window."""
        if not self.same_account(other):
            raise ValueError("another user, role or name needs a new login")
        object.__setattr__(self, "session_token", other.session_token)


# The actor of internal work outside any login (creating an administrator from the command line).
# It is not a user session: a service call accepts it only where the call says so explicitly
# (``allow_system=True``), never for case data, and the audit log records it with no user id.
SYSTEM = Actor(user_id=0, username="system", full_name="System", role="admin")


def require(actor: Actor, action: str) -> None:
    if not actor.may(action):
        raise PermissionDenied(action, actor.role)


def audit_name(name: str) -> str:
    """A user name as the audit log may store it: printable characters only, CPR numbers cut to the
    birth date (after the invisible characters are gone, which could otherwise split a number past
    the masking), at most the column's width (PostgreSQL rejects NUL and over-long values; SQLite
    would store them)."""
    return mask_cprs_in_text("".join(ch for ch in name if ch.isprintable()))[:MAX_USERNAME_LENGTH]


def _is_serialization_failure(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")


@dataclass(frozen=True)
class _Verified:
    """Who the current transaction acts for, as found in the database (``session.info``)."""
    user_id: int | None  # None for SYSTEM
    username: str
    session_id: int | None


_VERIFIED = "tta_verified"


class _Refused(Exception):
    """Raised inside the transaction; turned into ``SessionInvalid`` after it has rolled back, when
    the refusal is recorded (and the session ended) in a transaction of its own."""

    def __init__(self, reason: str, *, session_id: int | None = None, user_id: int | None = None,
                 username: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.session_id = session_id
        self.user_id = user_id
        self.username = username


# -- the boundary ---------------------------------------------------------------------------------
# Every public method of every service is wrapped (``ServiceBase.__init_subclass__``): its arguments
# are checked against their annotations (a date where a date belongs, a number, not a bool, where a
# number belongs ...) and every text in them, also inside dicts and lists, is normalised (NFC) with a
# lone surrogate refused, each failure a ValidationError naming the field. So a new service gets the
# same checks without a line of its own; field rules (lengths, digits, choices) stay in the field
# tables and ``app.validation``.
_SECRET_WORDS = ("password", "token", "recovery")   # compared as typed: never normalised


def _type_rule(hint: Any) -> tuple[tuple[type, ...], bool] | None:
    """The accepted types and whether None is allowed, for the simple annotations we check."""
    args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    optional = type(None) in args
    kinds = tuple(a for a in args if a is not type(None))
    if kinds and all(k in (int, float, bool, str, dt.date, dt.datetime) for k in kinds):
        return kinds, optional
    return None


_RULES = {bool: "skal være ja eller nej", int: "skal være et helt tal", float: "skal være et tal",
          str: "skal være tekst", dt.date: "skal være en gyldig dato", dt.datetime: "skal være et tidspunkt"}


def _accepts(kind: type, value: Any) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # not NaN
    if kind is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)


def boundary_value(name: str, value: Any, *, keys: str = "own") -> Any:
    """Texts in ``value`` NFC-normalised (recursively); a lone surrogate raises naming the field.

    The field named is the one a form shows the error on: a key of a parameter's dict (``values``:
    ``summary``), ``parent.key`` in a dict inside that (``letterhead.department``), the list's name
    for anything in a list of rows (``goals``), and a field of a dataclass (a letter draft's ``body``)."""
    if isinstance(value, str):
        if any(w in name for w in _SECRET_WORDS):
            normalise_text(value, field=name)   # refused if unstorable, never changed
            return value
        return normalise_text(value, field=name)
    if isinstance(value, dict):
        def key_name(k):
            if not isinstance(k, str) or keys == "same":
                return name
            return k if keys == "own" else f"{name}.{k}"
        return {k: boundary_value(key_name(k), v, keys="same" if keys == "same" else "dotted")
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(boundary_value(name, v, keys="same") for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: boundary_value(f.name, getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def _hints(fn: Callable) -> dict[str, Any]:
    hints = {}
    for name, ann in fn.__annotations__.items():
        try:
            hints[name] = eval(ann, fn.__globals__) if isinstance(ann, str) else ann  # noqa: S307
        except Exception:   # noqa: BLE001 - a name only imported for type checking: not checked
            continue
    return hints


MAX_ID = 2**31 - 1   # the largest id an INTEGER key holds on PostgreSQL


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def service_boundary(fn: Callable[..., T]) -> Callable[..., T]:
    """Check and normalise the arguments of a public service method (see above)."""
    signature = inspect.signature(fn)
    rules: dict[str, tuple[tuple[type, ...], bool]] | None = None

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        nonlocal rules
        if rules is None:
            rules = {n: r for n, h in _hints(fn).items() if n != "return" and (r := _type_rule(h)) is not None}
        bound = signature.bind(self, *args, **kwargs)
        for name, value in list(bound.arguments.items())[1:]:
            if isinstance(value, Actor):
                continue
            rule = rules.get(name)
            if rule is not None and not (value is None and rule[1]) and not any(_accepts(k, value) for k in rule[0]):
                raise ValidationError(name, _RULES[rule[0][0]], label=field_label(name))
            if _is_id(name) and _accepts(int, value) and not 0 < value <= MAX_ID:
                raise NotFound(field_label(name), value)   # no row has it (and a database would overflow)
            bound.arguments[name] = boundary_value(name, value)
        return fn(*bound.args, **bound.kwargs)
    wrapper.__service_boundary__ = True
    return wrapper


def field_label(name: str) -> str:
    from app.labels import FIELD_LABELS
    return FIELD_LABELS.get(name, name)


class ServiceBase:
    MAX_RETRIES = 3

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, attr in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(attr) and not getattr(attr, "__service_boundary__",
                                                                                       False):
                setattr(cls, name, service_boundary(attr))

    def __init__(self, db: Database, clock: Clock = utcnow):
        self.db = db
        self.clock = clock

    def today(self) -> dt.date:
        return self.clock().date()

    # -- transactions ------------------------------------------------------------------------
    def _write(self, actor: Actor | None, action: str | None, fn: Callable[[Session], T], *,
               what: str = "posten", allow_system: bool = False, password_change: bool = False) -> T:
        """Run ``fn`` in one write transaction; retried on PostgreSQL serialization failures.

        With an ``actor``, its session is verified first, in the same transaction; ``allow_system``
        lets the ``SYSTEM`` actor through, ``password_change`` a session whose password change is
        pending (only the call that changes the password passes it)."""
        if actor is not None and action is not None:
            require(actor, action)
        for attempt in range(self.MAX_RETRIES):
            try:
                with self.db.write() as session:
                    if actor is not None:
                        found = self._verify(session, actor, allow_system=allow_system,
                                             password_change=password_change)
                        if found is not None and found[1] < self.clock() - TOUCH_INTERVAL:
                            session.execute(update(UserSession).where(UserSession.id == found[0])
                                            .values(last_seen_at=self.clock()))
                    return fn(session)
            except _Refused as refused:
                self._record_refusal(refused)
                raise SessionInvalid(refused.reason) from None
            except StaleDataError as exc:
                raise ConflictError(what) from exc
            except IntegrityError as exc:
                # Never the exception's text: it carries the statement and its parameters (CPR
                # numbers, names, journal text). The constraint's name says what a developer needs.
                log.warning("integrity error: %s (%s)", _constraint_name(exc), type(exc.orig).__name__)
                raise ValidationError("data", "strider mod databasens regler (fx en dublet eller en ugyldig "
                                      "henvisning)", label="Gem") from exc
            except DatabaseClosed as exc:
                raise _closed() from exc
            except OperationalError as exc:
                if _is_serialization_failure(exc) and attempt + 1 < self.MAX_RETRIES:
                    continue
                raise _storage_error(exc) from exc
            except DBAPIError as exc:
                if _is_serialization_failure(exc) and attempt + 1 < self.MAX_RETRIES:
                    continue
                raise
        raise AssertionError("unreachable")

    def _read(self, actor: Actor | None, action: str | None, fn: Callable[[Session], T], *,
              allow_system: bool = False) -> T:
        if actor is not None and action is not None:
            require(actor, action)
        found = None
        try:
            with self.db.read() as session:
                if actor is not None:
                    found = self._verify(session, actor, allow_system=allow_system, password_change=False)
                result = fn(session)
        except _Refused as refused:
            self._record_refusal(refused)
            raise SessionInvalid(refused.reason) from None
        except DatabaseClosed as exc:
            raise _closed() from exc
        except OperationalError as exc:
            raise _storage_error(exc) from exc
        if found is not None and found[1] < self.clock() - TOUCH_INTERVAL:
            self._touch(found[0])
        return result

    # -- sessions ----------------------------------------------------------------------------
    def _verify(self, session: Session, actor: Actor, *, allow_system: bool,
                password_change: bool) -> tuple[int, dt.datetime] | None:
        """Check ``actor`` against the database inside ``session``'s transaction; remember who it
        is for the audit entries. Returns the session's id and last-seen time (None for SYSTEM)."""
        if actor is SYSTEM:
            if not allow_system:
                raise _Refused("system_not_allowed")
            session.info[_VERIFIED] = _Verified(None, SYSTEM.username, None)
            return None
        if not actor.session_token:
            raise _Refused("no_session")
        row = session.execute(
            select(UserSession.id, UserSession.user_id, UserSession.ended_at, UserSession.last_seen_at,
                   User.username, User.full_name, User.role, User.active, User.locked_until,
                   User.must_change_password)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == token_digest(actor.session_token))).first()
        if row is None:
            raise _Refused("unknown_session")
        # The session exists: the refusal names its account and ends it.
        known = {"session_id": row.id, "user_id": row.user_id, "username": row.username}
        if row.user_id != actor.user_id:
            raise _Refused("other_user", **known)
        if row.ended_at is not None:
            raise _Refused("ended", **known)
        if not row.active:
            raise _Refused("inactive", **known)
        if row.role != actor.role:
            raise _Refused("role_changed", **known)
        # The names an Actor carries end up in documents and records (``printed_by``, "tilføjet af
        # ..."): a claim that differs from the account (forged, or renamed since) is refused too.
        if (row.username, row.full_name) != (actor.username, actor.full_name):
            raise _Refused("name_changed", **known)
        if row.locked_until is not None and row.locked_until > self.clock():
            raise _Refused("locked", **known)
        if row.must_change_password and not password_change:
            raise PasswordChangeRequired()
        session.info[_VERIFIED] = _Verified(row.user_id, row.username, row.id)
        return row.id, row.last_seen_at

    def _record_refusal(self, refused: _Refused) -> None:
        """End the refused session (it is never valid again, even if the account is restored) and
        log the refusal, crediting nobody: the entry names the account concerned, if any."""
        now = self.clock()
        try:
            with self.db.write() as s:
                if refused.session_id is not None:
                    s.execute(update(UserSession)
                              .where(UserSession.id == refused.session_id, UserSession.ended_at.is_(None))
                              .values(ended_at=now, end_reason=f"refused: {refused.reason}"[:40]))
                self.audit(s, None, "session_refused", "user_account", refused.user_id,
                           username=refused.username or "?", detail=refused.reason)
        except (OperationalError, DBAPIError):
            # The refusal itself stands; only its record is missing.
            log.warning("a refused session could not be recorded (%s)", refused.reason)

    def _touch(self, session_id: int) -> None:
        try:
            with self.db.write() as s:
                s.execute(update(UserSession).where(UserSession.id == session_id)
                          .values(last_seen_at=self.clock()))
        except OperationalError:
            log.warning("a session's last-seen time could not be updated")

    @staticmethod
    def _verified(session: Session) -> _Verified | None:
        return session.info.get(_VERIFIED)

    @staticmethod
    def _set_verified(session: Session, user_id: int, username: str, session_id: int | None) -> None:
        """For the calls that establish who acts (login, logout) rather than verify it."""
        session.info[_VERIFIED] = _Verified(user_id, username, session_id)

    # -- need-to-know -------------------------------------------------------------------------
    def require_case(self, session: Session, actor: Actor, case_id: int, level: access.AccessLevel = access.FULL,
                     *, action: str = "case.read") -> None:
        """The need-to-know rule for one case (``app.access``) at the service's clock; call it inside the
        transaction before reading or changing anything of the case."""
        access.require_case_access(session, actor, case_id, level, now=self.clock(), action=action)

    def case_for_change(self, session: Session, actor: Actor, case_id: int, expected_version: int, *,
                        action: str) -> Case:
        """The case the actor changes by ``action``: need-to-know checked, read at ``expected_version``."""
        self.require_case(session, actor, case_id, action=action)
        c = get_or_404(session, Case, case_id, "Forløb")
        check_version(c, expected_version, "forløbet")
        return c

    def save_record(self, session: Session, actor: Actor, model: type[T], record_id: int | None,
                    values: dict[str, Any], *, expected_version: int | None, entity: str, not_found: str,
                    what: str) -> int:
        """A new ``model(**values)`` when ``record_id`` is None; otherwise the record (``not_found``
        names it when it is gone), read at ``expected_version`` (``what`` names it in the conflict),
        gets the values that differ. Audited as ``entity`` either way; returns the record's id."""
        if record_id is None:
            obj = model(**values)
            session.add(obj)
            session.flush()
            self.audit(session, actor, "create", entity, obj.id, fields=list(values))
            return obj.id
        obj = get_or_404(session, model, record_id, not_found)
        check_version(obj, expected_version, what)
        changed = apply_changes(obj, values)
        session.flush()
        self.audit(session, actor, "update", entity, obj.id, fields=changed)
        return obj.id

    # -- audit -------------------------------------------------------------------------------
    def audit(self, session: Session, actor: Actor | None, action: str, entity: str, entity_id: int | None = None,
              *, case_id: int | None = None, fields: Iterable[str] = (), detail: str = "",
              username: str | None = None, case_ids: Iterable[int] = ()) -> None:
        """Add an audit entry to the transaction; it is sealed into the chain when the transaction
        commits (``app.audit_chain``). With an ``actor`` it credits the user verified in this
        transaction (see ``_verify``); without one, nobody (``username`` then says what was typed,
        e.g. at a failed login). CPR numbers in the detail (a search text) or in a typed user name are
        cut to the birth date. ``case_ids``: the cases a list showed."""
        if actor is None:
            user_id, name = None, username or ""
        else:
            verified = self._verified(session)
            if verified is None or verified.user_id != (None if actor is SYSTEM else actor.user_id):
                raise RuntimeError("audit entry for an actor not verified in this transaction")
            user_id, name = verified.user_id, verified.username
        at = self.clock()
        if at.tzinfo is not None:
            at = at.astimezone(dt.UTC).replace(tzinfo=None)
        session.add(AuditEntry(
            at=at, user_id=user_id,
            username=audit_name(name),
            action=action, entity=entity, entity_id=entity_id, case_id=case_id,
            fields=",".join(sorted(fields)), detail=mask_cprs_in_text(detail)[:500],
            case_ids=",".join(str(i) for i in dict.fromkeys(case_ids)),
        ))


_SQLITE_CONSTRAINT = re.compile(r"^(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: ([\w.]+(?:, [\w.]+)*))?$")


def _constraint_name(exc: IntegrityError) -> str:
    """Which rule the database enforced (``uq_citizen_cpr``, ``UNIQUE citizen.cpr``), never a value."""
    diag = getattr(exc.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return str(diag.constraint_name)
    m = _SQLITE_CONSTRAINT.match(str(exc.orig))
    if m:
        return " ".join(p for p in m.groups() if p)
    return "?"


def _closed() -> StorageUnavailable:
    return StorageUnavailable("Databasen er lukket, så handlingen blev ikke udført.")


def _storage_error(exc: OperationalError) -> StorageUnavailable:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return StorageUnavailable("Databasen er optaget af en anden bruger. Prøv igen om et øjeblik.")
    if "full" in text:
        return StorageUnavailable("Der er ikke mere plads på disken. Intet blev gemt.")
    if "i/o" in text or "disk" in text:
        return StorageUnavailable("Databasen kunne ikke skrive til disken (en I/O-fejl). Intet blev gemt; "
                                  "prøv igen, og kontakt jeres it-ansvarlige, hvis det sker igen.")
    return StorageUnavailable(f"Databasen kunne ikke nås, og intet blev gemt ({exc.orig}).")


def get_or_404(session: Session, model: type[T], ident: int, what: str) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(what, ident)
    return obj


def check_version(obj: Any, expected: int, what: str) -> None:
    """The caller read ``expected``; somebody else has saved since if it differs. Every save of an
    editable record names the version it was read at."""
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise ValidationError("expected_version", "mangler: genindlæs og prøv igen", label="Version")
    if obj.version != expected:
        raise ConflictError(what)


def apply_changes(obj: Any, changes: dict[str, Any]) -> list[str]:
    """Set attributes; return the names of the fields whose value actually changed."""
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
