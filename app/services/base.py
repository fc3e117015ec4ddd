"""What every service call shares: the acting user, the permission check, one transaction,
the audit entry, and turning storage failures into messages a user can act on."""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import audit_chain  # noqa: F401  (seals audit entries when a transaction commits)
from app import permissions
from app.errors import ConflictError, NotFound, PermissionDenied, StorageUnavailable, ValidationError
from app.validation import mask_cprs_in_text
from db.base import utcnow
from db.models import AuditEntry
from db.session import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Actor:
    """The logged-in team member on whose behalf a service acts."""
    user_id: int
    username: str
    full_name: str
    role: str

    def may(self, action: str) -> bool:
        return permissions.allowed(self.role, action)


# A system actor for headless commands (migrate, demo) that act outside any login.
SYSTEM = Actor(user_id=0, username="system", full_name="System", role="admin")


def require(actor: Actor, action: str) -> None:
    if not actor.may(action):
        raise PermissionDenied(action, actor.role)


def _is_serialization_failure(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")


class ServiceBase:
    MAX_RETRIES = 3

    def __init__(self, db: Database, clock: Clock = utcnow):
        self.db = db
        self.clock = clock

    def today(self) -> dt.date:
        return self.clock().date()

    # -- transactions ------------------------------------------------------------------------
    def _write(self, actor: Actor | None, action: str | None, fn: Callable[[Session], T], *,
               what: str = "posten") -> T:
        """Run ``fn`` in one write transaction; retried on PostgreSQL serialization failures."""
        if actor is not None and action is not None:
            require(actor, action)
        for attempt in range(self.MAX_RETRIES):
            try:
                with self.db.write() as session:
                    return fn(session)
            except StaleDataError as exc:
                raise ConflictError(what) from exc
            except IntegrityError as exc:
                # Never the exception's text: it carries the statement and its parameters (CPR
                # numbers, names, journal text). The constraint's name says what a developer needs.
                log.warning("integrity error: %s (%s)", _constraint_name(exc), type(exc.orig).__name__)
                raise ValidationError("data", "strider mod databasens regler (fx en dublet eller en ugyldig "
                                      "henvisning)", label="Gem") from exc
            except OperationalError as exc:
                if _is_serialization_failure(exc) and attempt + 1 < self.MAX_RETRIES:
                    continue
                raise _storage_error(exc) from exc
            except DBAPIError as exc:
                if _is_serialization_failure(exc) and attempt + 1 < self.MAX_RETRIES:
                    continue
                raise
        raise AssertionError("unreachable")

    def _read(self, actor: Actor | None, action: str | None, fn: Callable[[Session], T]) -> T:
        if actor is not None and action is not None:
            require(actor, action)
        try:
            with self.db.read() as session:
                return fn(session)
        except OperationalError as exc:
            raise _storage_error(exc) from exc

    # -- audit -------------------------------------------------------------------------------
    def audit(self, session: Session, actor: Actor | None, action: str, entity: str, entity_id: int | None = None,
              *, case_id: int | None = None, fields: Iterable[str] = (), detail: str = "",
              username: str | None = None, case_ids: Iterable[int] = ()) -> None:
        """Add an audit entry to the session's transaction; it is sealed into the chain when the
        transaction commits (``app.audit_chain``). CPR numbers in the detail (a search text) or in a
        typed user name are cut to the birth date. ``case_ids``: the cases a list showed."""
        at = self.clock()
        if at.tzinfo is not None:
            at = at.astimezone(dt.UTC).replace(tzinfo=None)
        session.add(AuditEntry(
            at=at, user_id=actor.user_id if actor else None,
            # Masking lengthens a CPR number by one character: cut again to the column's 60.
            username=mask_cprs_in_text(username or (actor.username if actor else ""))[:60],
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


def _storage_error(exc: OperationalError) -> StorageUnavailable:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return StorageUnavailable("Databasen er optaget af en anden bruger. Prøv igen om et øjeblik.")
    if "disk" in text or "full" in text:
        return StorageUnavailable("Der er ikke mere plads på disken. Intet blev gemt.")
    return StorageUnavailable(f"Databasen kunne ikke nås, og intet blev gemt ({exc.orig}).")


def get_or_404(session: Session, model: type[T], ident: int, what: str) -> T:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(what, ident)
    return obj


def check_version(obj: Any, expected: int | None, what: str) -> None:
    """The caller read ``expected``; somebody else has saved since if it differs."""
    if expected is not None and obj.version != expected:
        raise ConflictError(what)


def apply_changes(obj: Any, changes: dict[str, Any]) -> list[str]:
    """Set attributes; return the names of the fields whose value actually changed."""
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
