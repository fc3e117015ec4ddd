"""Need-to-know: how much of one case a team member may see, and the stated reason that opens more.

The rule (issue 7, point 1), for every read and write of a case's data:

- **full**: the case's coordinator and the team members assigned to it (``CaseTeamMember``, the
  record's Teammedlemmer) read it and change it within their role's rights (``app.permissions``);
  the team lead reads every case of the team; anyone else who has stated a reason for this case
  that has not yet expired (``CaseAccessGrant``) reads it and changes it within their role's rights,
  except who is on the case (``CaseService.update_case``: joining its team would make access last).
- **summary**: everyone else in the team with a case-reading role sees what the weekly conference
  needs, the case list row (name, masked CPR, case number, phase, coordinator, next deadline), and
  may find the case by name, case number or CPR number; nothing more.
- **none**: the administrator, whose work is users, catalogues and settings, reads no case data;
  being put on a case's team changes nothing. Roles unknown to ``app.permissions`` read nothing.

One database serves one team: the services never set the ``team_id`` columns, so "the team" is
every user of the database. If several teams ever share one database, ``case_access`` and
``full_access_clause`` are the two places to add "and the case belongs to the actor's team".

A reason opens the case for ``GRANT_DURATION`` (12 hours: a working day from the moment the reason
was given, never days). A new reason is a new grant, so each is logged and reviewed on its own
(``AccessReviewService.list_grants``); nothing extends or edits a grant.

How a service uses it (every call that touches one case's data, including those later issues add:
assessments, plans, meetings, letters, tasks):

1. Check the role's action as always (``ServiceBase._read``/``_write`` with the matrix action).
2. Inside the transaction, before reading or changing anything of the case, call
   ``self.require_case(session, actor, case_id)`` (``ServiceBase``; it calls ``require_case_access``
   at the service's clock). For a row that belongs to a case (a note, a plan, a meeting), load the
   row, then check its ``case_id``. A refusal raises before anything is written, so the transaction
   rolls back and nothing is stored or logged.
3. A list across cases shows only list-row data (``summary``), or filters with
   ``full_access_clause(actor, now)`` when each row carries more than the case list row does
   (e.g. a meeting's place and time).
4. Add the call to the table-driven test (``tests/test_access_matrix.py``): every role, on the case,
   off it, with a reason, with an expired reason.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from app.errors import NeedToKnow, NotFound, PermissionDenied, ValidationError
from app.permissions import CASE_READERS
from db.models import Case, CaseAccessGrant, CaseTeamMember

if TYPE_CHECKING:
    from app.services.base import Actor

AccessLevel = Literal["full", "summary", "none"]
FULL: AccessLevel = "full"
SUMMARY: AccessLevel = "summary"
NONE: AccessLevel = "none"
_RANK = {NONE: 0, SUMMARY: 1, FULL: 2}

# Roles that read every case in full; the administrator is not among them (none at all).
READS_EVERY_CASE = frozenset({"team_lead"})

GRANT_DURATION = dt.timedelta(hours=12)
REASON_MIN_LEN = 5
REASON_MAX_LEN = 200   # the column's length (db.models.access.CaseAccessGrant.reason)
REASON_LABEL = "Begrundelse"


def case_access(session: Session, actor: Actor, case_id: int, *, now: dt.datetime) -> AccessLevel:
    """How much of the case ``actor`` may see at ``now`` (naive UTC). NotFound if there is no such case."""
    if actor.role not in CASE_READERS:
        if session.scalar(select(Case.id).where(Case.id == case_id)) is None:
            raise NotFound("Forløb", case_id)
        return NONE
    row = session.execute(select(Case.id, _assigned(actor), _granted(actor, now)).where(Case.id == case_id)).first()
    if row is None:
        raise NotFound("Forløb", case_id)
    if actor.role in READS_EVERY_CASE or row[1] or row[2]:
        return FULL
    return SUMMARY


def require_case_access(session: Session, actor: Actor, case_id: int, level: AccessLevel = FULL, *,
                        now: dt.datetime, action: str = "case.read") -> None:
    """Raise unless ``actor`` has at least ``level`` on the case: ``NeedToKnow`` when a stated reason
    would open it (the UI offers "Begrund adgang"), ``PermissionDenied`` when nothing would."""
    have = case_access(session, actor, case_id, now=now)
    if _RANK[have] >= _RANK[level]:
        return
    if have == SUMMARY:
        raise NeedToKnow(case_id, action, actor.role)
    raise PermissionDenied(action, actor.role, "Du har ikke adgang til dette forløbs oplysninger.")


def require_case_log_access(session: Session, actor: Actor, case_id: int, *, now: dt.datetime) -> None:
    """The access log of one case. The administrator answers a citizen's request for insight from the
    log alone, so they read the log of every case (the matrix's ``audit.read`` is checked by the
    caller); anyone else reads the log of a case they read in full."""
    if actor.role == "admin":
        if session.scalar(select(Case.id).where(Case.id == case_id)) is None:
            raise NotFound("Forløb", case_id)
        return
    require_case_access(session, actor, case_id, FULL, now=now, action="audit.read")


def reads_without_reason(session: Session, actor: Actor, case_id: int) -> bool:
    """Whether ``actor`` reads the case in full by who they are (team lead, its coordinator, on its
    team), so a stated reason adds nothing. PermissionDenied for a role no reason opens a case to."""
    if actor.role not in CASE_READERS:
        raise PermissionDenied("case.read", actor.role, "Du har ikke adgang til dette forløbs oplysninger.")
    assigned = session.execute(select(Case.id, _assigned(actor)).where(Case.id == case_id)).first()
    if assigned is None:
        raise NotFound("Forløb", case_id)
    return actor.role in READS_EVERY_CASE or bool(assigned[1])


def full_access_clause(actor: Actor, now: dt.datetime) -> ColumnElement[bool]:
    """SQL over ``Case``: true for the cases ``actor`` reads in full at ``now`` (the same rule as
    ``case_access``), for lists whose rows carry more than the case list row."""
    if actor.role not in CASE_READERS:
        return false()
    if actor.role in READS_EVERY_CASE:
        return true()
    return or_(_assigned(actor), _granted(actor, now))


def visible_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL over ``Case``: the cases whose list row ``actor`` may see (summary or full)."""
    return true() if actor.role in CASE_READERS else false()


def clean_reason(text: str | None) -> str:
    """A stated reason: required, ``REASON_MIN_LEN`` to ``REASON_MAX_LEN`` characters, one line,
    no control characters (it is shown in lists and stored in the access log)."""
    reason = (text or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in reason):
        raise ValidationError("reason", "må ikke indeholde linjeskift eller kontroltegn", label=REASON_LABEL)
    if not reason:
        raise ValidationError("reason", "skal udfyldes: skriv, hvorfor du har brug for at se forløbet",
                              label=REASON_LABEL)
    if len(reason) < REASON_MIN_LEN:
        raise ValidationError("reason", f"skal være mindst {REASON_MIN_LEN} tegn", label=REASON_LABEL)
    if len(reason) > REASON_MAX_LEN:
        raise ValidationError("reason", f"må højst være {REASON_MAX_LEN} tegn", label=REASON_LABEL)
    return reason


def _assigned(actor: Actor) -> ColumnElement[bool]:
    """The actor coordinates the case or is on its team."""
    member = exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == actor.user_id)
    return or_(Case.coordinator_id == actor.user_id, member)


def _granted(actor: Actor, now: dt.datetime) -> ColumnElement[bool]:
    """The actor stated a reason for the case that has not expired at ``now``."""
    return exists().where(and_(CaseAccessGrant.case_id == Case.id, CaseAccessGrant.user_id == actor.user_id,
                               CaseAccessGrant.granted_at <= now, CaseAccessGrant.expires_at > now))
