"""After-follow-up (efteropfølgning): the citizen's status 3, 6 and 12 months after closing.

Closing a case schedules them (``schedule_after_follow_ups``), reopening drops those not yet
recorded (``drop_open_after_follow_ups``); the outcome rules are the same as at closing
(``check_outcome``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import add_months
from app.errors import ValidationError
from app.services.admin import catalog_item
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.validation import clean_text
from db.codes import FOLLOW_UP_MONTHS
from db.models import AfterFollowUp, Case, CatalogItem, Task

TASK_KIND_PREFIX = "after_follow_up_"


@dataclass(frozen=True)
class AfterFollowUpRow:
    id: int
    months: int
    due_date: dt.date
    recorded_date: dt.date | None
    outcome: str
    note: str
    version: int                  # for expected_version


def check_outcome(session: Session, outcome_code: str | None, other_reason_code: str | None,
                  hours: float | None) -> tuple[CatalogItem, CatalogItem | None, float | None]:
    """An outcome status with what it needs: a reason for 'other', the hours for part-time return.
    Returns (outcome, other reason or None, hours or None)."""
    outcome = catalog_item(session, "outcome", outcome_code, field="outcome", label="Status")
    other = None
    if outcome.code == "other":
        other = catalog_item(session, "other_reason", other_reason_code, field="other_reason",
                             label="Årsag (ved 'Andet')")
    if outcome.code == "part_time_return":
        if hours is None:
            raise ValidationError("hours_per_week", "skal udfyldes ved raskmelding på deltid", label="Timer pr. uge")
        if not 0 < hours < 60:
            raise ValidationError("hours_per_week", "skal være mellem 0 og 60", label="Timer pr. uge")
    else:
        hours = None  # only meaningful for part-time return
    return outcome, other, hours


def schedule_after_follow_ups(session: Session, case: Case, closed_date: dt.date, *, owner_id: int,
                              created_by_id: int) -> None:
    """One after-follow-up and one task per month in FOLLOW_UP_MONTHS that the case does not have yet."""
    existing = set(session.scalars(select(AfterFollowUp.months).where(AfterFollowUp.case_id == case.id)))
    for months in FOLLOW_UP_MONTHS:
        if months in existing:
            continue
        due = add_months(closed_date, months)
        session.add(AfterFollowUp(case_id=case.id, months=months, due_date=due))
        session.add(Task(case_id=case.id, title=f"Efteropfølgning {months} mdr.", owner_id=owner_id, due_date=due,
                         kind=f"{TASK_KIND_PREFIX}{months}", created_by_id=created_by_id))


def drop_open_after_follow_ups(session: Session, case_id: int) -> None:
    """Remove the after-follow-ups not yet recorded, and their open tasks (the case was reopened)."""
    for a in session.scalars(select(AfterFollowUp).where(AfterFollowUp.case_id == case_id,
                                                         AfterFollowUp.recorded_date.is_(None))):
        session.delete(a)
    for t in session.scalars(select(Task).where(Task.case_id == case_id, Task.done_at.is_(None),
                                                Task.kind.startswith(TASK_KIND_PREFIX))):
        session.delete(t)


class AfterFollowUpService(ServiceBase):
    def list_for_case(self, actor: Actor, case_id: int) -> list[AfterFollowUpRow]:
        """The case's after-follow-ups, 3, 6 and 12 months; the read is logged."""
        def work(s):
            self.require_case(s, actor, case_id)
            rows = s.execute(select(AfterFollowUp, CatalogItem.label).outerjoin(
                CatalogItem, CatalogItem.id == AfterFollowUp.outcome_id).where(
                AfterFollowUp.case_id == case_id).order_by(AfterFollowUp.months)).all()
            self.audit(s, actor, "read", "after_follow_up", None, case_id=case_id)
            return [AfterFollowUpRow(a.id, a.months, a.due_date, a.recorded_date, label or "", a.note, a.version)
                    for a, label in rows]
        return self._write(actor, "case.read", work)

    def record(self, actor: Actor, case_id: int, *, months: int, expected_version: int, recorded_date: dt.date,
               outcome: str, other_reason: str | None = None, hours_per_week: float | None = None,
               note: str = "") -> None:
        """Record the status at ``months``; ``expected_version`` is the row's version as listed
        (``list_for_case``): somebody else recording it since is a ``ConflictError``."""
        note = clean_text(note, field="note", label="Bemærkning", max_len=5000)
        if recorded_date > self.today():
            raise ValidationError("recorded_date", "må ikke ligge i fremtiden", label="Dato")
        if months not in FOLLOW_UP_MONTHS:
            raise ValidationError("months", "skal være 3, 6 eller 12", label="Efteropfølgning")

        def work(s):
            self.require_case(s, actor, case_id, action="case.after_follow_up")
            c = get_or_404(s, Case, case_id, "Forløb")
            a = s.scalar(select(AfterFollowUp).where(AfterFollowUp.case_id == c.id, AfterFollowUp.months == months))
            if a is None:
                raise ValidationError("months", "forløbet har ingen efteropfølgning på dette tidspunkt "
                                      "(er det afsluttet?)", label="Efteropfølgning")
            check_version(a, expected_version, "efteropfølgningen")
            if c.closed_date is None:
                raise ValidationError("months", "forløbet er ikke afsluttet", label="Efteropfølgning")
            if recorded_date < c.closed_date:
                raise ValidationError("recorded_date", "må ikke ligge før afslutningsdatoen", label="Dato")
            out, other, hours = check_outcome(s, outcome, other_reason, hours_per_week)
            a.recorded_date = recorded_date
            a.outcome_id = out.id
            a.other_reason_id = other.id if other else None
            a.hours_per_week = hours
            a.note = note
            a.recorded_by_id = actor.user_id
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.kind == f"{TASK_KIND_PREFIX}{months}",
                                                  Task.done_at.is_(None))):
                t.done_at = self.clock()
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "after_follow_up", a.id, case_id=c.id,
                       fields=["recorded_date", "outcome"], detail=f"{months} mdr.")
        self._write(actor, "case.after_follow_up", work, what="efteropfølgningen")
