"""The team lead's review of need-to-know access: who opened which case with a stated reason, and why.

Grants are made by ``CaseService.grant_access`` ("Begrund adgang"); the rule they open is in
``app.access``. Only the team lead reviews them (``access.review``), and each review is logged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.services.base import Actor, ServiceBase
from db.models import Case, CaseAccessGrant, Citizen, User

REVIEW_LIMIT = 2000


@dataclass(frozen=True)
class GrantRow:
    id: int
    granted_at: dt.datetime    # naive UTC
    expires_at: dt.datetime    # naive UTC
    active: bool               # not yet expired when the list was read
    user_id: int
    user: str                  # full name of who stated the reason
    role: str                  # their role now (app.labels.ROLE_LABELS)
    case_id: int
    case_number: str
    citizen: str
    reason: str


class AccessReviewService(ServiceBase):
    def list_grants(self, actor: Actor, *, since: dt.date | None = None, until: dt.date | None = None,
                    user_id: int | None = None, case_id: int | None = None,
                    limit: int = REVIEW_LIMIT) -> list[GrantRow]:
        """Stated-reason accesses, newest first, granted on ``since`` or later and on ``until`` or
        earlier (dates of the stored UTC time, as the access log filters), optionally for one user or
        one case. Team lead only; the review itself is written to the audit log."""
        def work(s):
            now = self.clock()
            q = (select(CaseAccessGrant, User.full_name, User.role, Case.case_number, Citizen.first_name,
                        Citizen.last_name)
                 .join(User, User.id == CaseAccessGrant.user_id)
                 .join(Case, Case.id == CaseAccessGrant.case_id)
                 .join(Citizen, Citizen.id == Case.citizen_id)
                 .order_by(CaseAccessGrant.granted_at.desc(), CaseAccessGrant.id.desc())
                 .limit(limit))
            if since is not None:
                q = q.where(CaseAccessGrant.granted_at >= dt.datetime.combine(since, dt.time()))
            if until is not None:
                q = q.where(CaseAccessGrant.granted_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
            if user_id is not None:
                q = q.where(CaseAccessGrant.user_id == user_id)
            if case_id is not None:
                q = q.where(CaseAccessGrant.case_id == case_id)
            rows = [GrantRow(g.id, g.granted_at, g.expires_at, g.expires_at > now, g.user_id, name, role, g.case_id,
                             number, f"{first} {last}", g.reason)
                    for g, name, role, number, first, last in s.execute(q)]
            self.audit(s, actor, "read", "case_access_grant", None, case_id=case_id,
                       detail=_filter_text(since, until, user_id))
            return rows
        return self._write(actor, "access.review", work)


def _filter_text(since: dt.date | None, until: dt.date | None, user_id: int | None) -> str:
    """What the review asked for, for the audit entry (dates and a user id; no personal data)."""
    parts = ["gennemgang af begrundede adgange"]
    if since:
        parts.append(f"fra {since:%d-%m-%Y}")
    if until:
        parts.append(f"til {until:%d-%m-%Y}")
    if user_id is not None:
        parts.append(f"bruger {user_id}")
    return " ".join(parts)
