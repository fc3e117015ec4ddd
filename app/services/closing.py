"""Closing a case (afslutning), reopening it, after-follow-up at 3/6/12 months, and caseload moves."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import add_months
from app.errors import ValidationError
from app.services.base import Actor, ServiceBase, check_version, get_or_404
from app.validation import clean_text
from db.codes import FOLLOW_UP_MONTHS
from db.models import AfterFollowUp, Case, CaseReopening, CatalogItem, Task, User


@dataclass(frozen=True)
class AfterFollowUpRow:
    id: int
    months: int
    due_date: dt.date
    recorded_date: dt.date | None
    outcome: str
    note: str


def _catalog(s: Session, kind: str, code: str | None, *, field: str, label: str, required: bool = True):
    if not code:
        if required:
            raise ValidationError(field, "skal vælges", label=label)
        return None
    item = s.scalar(select(CatalogItem).where(CatalogItem.kind == kind, CatalogItem.code == code))
    if item is None:
        raise ValidationError(field, f"'{code}' findes ikke i kataloget", label=label)
    return item


class ClosingService(ServiceBase):
    def _check_outcome(self, s, outcome_code, other_reason_code, hours, *, label_prefix=""):
        outcome = _catalog(s, "outcome", outcome_code, field="outcome", label=label_prefix + "Status")
        other = None
        if outcome.code == "other":
            other = _catalog(s, "other_reason", other_reason_code, field="other_reason",
                             label="Årsag (ved 'Andet')")
        if outcome.code == "part_time_return":
            if hours is None:
                raise ValidationError("hours_per_week", "skal udfyldes ved raskmelding på deltid",
                                      label="Timer pr. uge")
            if not 0 < hours < 60:
                raise ValidationError("hours_per_week", "skal være mellem 0 og 60", label="Timer pr. uge")
        elif hours is not None:
            hours = None  # only meaningful for part-time return
        return outcome, other, hours

    def close_case(self, actor: Actor, case_id: int, *, expected_version: int, closed_date: dt.date,
                   outcome: str, other_reason: str | None = None, next_effort: str | None = None,
                   final_hours_per_week: float | None = None, note: str = "") -> None:
        note = clean_text(note, field="closing_note", label="Bemærkning", max_len=5000)
        if closed_date > self.today():
            raise ValidationError("closed_date", "må ikke ligge i fremtiden", label="Afslutningsdato")

        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            check_version(c, expected_version, "forløbet")
            if c.phase == "closed":
                raise ValidationError("phase", "forløbet er allerede afsluttet", label="Afslutning")
            if closed_date < c.referral_date:
                raise ValidationError("closed_date", "må ikke ligge før henvisningsdatoen", label="Afslutningsdato")
            out, other, hours = self._check_outcome(s, outcome, other_reason, final_hours_per_week)
            effort = _catalog(s, "next_effort", next_effort, field="next_effort", label="Anbefalet næste indsats",
                              required=False)
            c.phase = "closed"
            c.closed_date = closed_date
            c.outcome_id = out.id
            c.other_reason_id = other.id if other else None
            c.next_effort_id = effort.id if effort else None
            c.final_hours_per_week = hours
            c.closing_note = note
            c.last_activity_at = self.clock()
            existing = {a.months for a in s.scalars(select(AfterFollowUp).where(AfterFollowUp.case_id == c.id))}
            owner = c.coordinator_id or actor.user_id
            for months in FOLLOW_UP_MONTHS:
                if months in existing:
                    continue
                due = add_months(closed_date, months)
                s.add(AfterFollowUp(case_id=c.id, months=months, due_date=due))
                s.add(Task(case_id=c.id, title=f"Efteropfølgning {months} mdr.", owner_id=owner, due_date=due,
                           kind=f"after_follow_up_{months}", created_by_id=actor.user_id))
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.done_at.is_(None),
                                                  Task.kind.notlike("after_follow_up%"))):
                t.done_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id,
                       fields=["phase", "closed_date", "outcome", "next_effort", "final_hours_per_week"],
                       detail="afsluttet")
        self._write(actor, "case.close", work, what="forløbet")

    def reopen_case(self, actor: Actor, case_id: int, *, expected_version: int, reason: str) -> None:
        reason = clean_text(reason, field="reason", label="Begrundelse for genåbning", max_len=2000, required=True)

        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            check_version(c, expected_version, "forløbet")
            if c.phase != "closed":
                raise ValidationError("phase", "kun afsluttede forløb kan genåbnes", label="Genåbning")
            s.add(CaseReopening(case_id=c.id, reopened_at=self.clock(), reopened_by_id=actor.user_id, reason=reason,
                                previous_closed_date=c.closed_date, previous_outcome_id=c.outcome_id))
            c.phase = "follow_up" if c.visitation_decision == "accepted" else "visitation"
            if c.visitation_decision == "rejected":
                c.visitation_decision = "pending"
                c.rejection_reason_id = None
            c.closed_date = None
            c.outcome_id = c.other_reason_id = c.next_effort_id = None
            c.final_hours_per_week = None
            c.last_activity_at = self.clock()
            for a in s.scalars(select(AfterFollowUp).where(AfterFollowUp.case_id == c.id,
                                                           AfterFollowUp.recorded_date.is_(None))):
                s.delete(a)
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.done_at.is_(None),
                                                  Task.kind.like("after_follow_up%"))):
                s.delete(t)
            s.flush()
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=["phase", "closed_date", "outcome"],
                       detail=f"genåbnet: {reason[:200]}")
        self._write(actor, "case.reopen", work, what="forløbet")

    def after_follow_ups(self, actor: Actor, case_id: int) -> list[AfterFollowUpRow]:
        def work(s):
            rows = s.execute(select(AfterFollowUp, CatalogItem.label).outerjoin(
                CatalogItem, CatalogItem.id == AfterFollowUp.outcome_id).where(
                AfterFollowUp.case_id == case_id).order_by(AfterFollowUp.months)).all()
            return [AfterFollowUpRow(a.id, a.months, a.due_date, a.recorded_date, label or "", a.note)
                    for a, label in rows]
        return self._read(actor, "case.read", work)

    def record_after_follow_up(self, actor: Actor, case_id: int, *, months: int, recorded_date: dt.date,
                               outcome: str, other_reason: str | None = None, hours_per_week: float | None = None,
                               note: str = "") -> None:
        note = clean_text(note, field="note", label="Bemærkning", max_len=5000)
        if recorded_date > self.today():
            raise ValidationError("recorded_date", "må ikke ligge i fremtiden", label="Dato")
        if months not in FOLLOW_UP_MONTHS:
            raise ValidationError("months", "skal være 3, 6 eller 12", label="Efteropfølgning")

        def work(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            a = s.scalar(select(AfterFollowUp).where(AfterFollowUp.case_id == c.id, AfterFollowUp.months == months))
            if a is None:
                raise ValidationError("months", "forløbet har ingen efteropfølgning på dette tidspunkt "
                                      "(er det afsluttet?)", label="Efteropfølgning")
            if recorded_date < c.closed_date:
                raise ValidationError("recorded_date", "må ikke ligge før afslutningsdatoen", label="Dato")
            out, other, hours = self._check_outcome(s, outcome, other_reason, hours_per_week)
            a.recorded_date = recorded_date
            a.outcome_id = out.id
            a.other_reason_id = other.id if other else None
            a.hours_per_week = hours
            a.note = note
            a.recorded_by_id = actor.user_id
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.kind == f"after_follow_up_{months}",
                                                  Task.done_at.is_(None))):
                t.done_at = self.clock()
            c.last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "after_follow_up", a.id, case_id=c.id,
                       fields=["recorded_date", "outcome"], detail=f"{months} mdr.")
        self._write(actor, "case.after_follow_up", work, what="efteropfølgningen")

    def reassign_cases(self, actor: Actor, *, from_user_id: int, to_user_id: int,
                       case_ids: list[int] | None = None) -> int:
        """Move all open cases (or the given ones) of one coordinator to another, logged per case.
        Open tasks on those cases owned by the old coordinator move too. Returns how many moved."""
        if from_user_id == to_user_id:
            raise ValidationError("to_user", "skal være en anden end den nuværende koordinator",
                                  label="Ny koordinator")

        def work(s):
            target = s.get(User, to_user_id)
            if target is None or not target.active or target.role not in ("coordinator", "team_lead"):
                raise ValidationError("to_user", "skal være en aktiv koordinator", label="Ny koordinator")
            q = select(Case).where(Case.coordinator_id == from_user_id, Case.phase != "closed")
            if case_ids is not None:
                q = q.where(Case.id.in_(case_ids))
            moved = 0
            for c in s.scalars(q):
                c.coordinator_id = to_user_id
                c.last_activity_at = self.clock()
                for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.owner_id == from_user_id,
                                                      Task.done_at.is_(None))):
                    t.owner_id = to_user_id
                self.audit(s, actor, "reassign", "tta_case", c.id, case_id=c.id, fields=["coordinator_id"],
                           detail=f"fra bruger {from_user_id} til {to_user_id}")
                moved += 1
            s.flush()
            return moved
        return self._write(actor, "case.reassign", work, what="forløbene")
