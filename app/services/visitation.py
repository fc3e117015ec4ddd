"""Visitation: the referral checked against the eligibility criteria and accepted or not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import eligibility
from app.errors import ValidationError
from app.services.admin import read_setting
from app.services.base import Actor, ServiceBase, get_or_404
from app.services.deadlines import sync_case_deadlines
from app.services.tasks import new_task
from app.validation import clean_text
from db.models import Case, CaseAbsenceReason, CaseIcd10, CatalogItem, Task

FIRST_TASKS = (("first_conversation", "Første samtale med borgeren", 7),
               ("assessment", "Planlæg udredningen (fælles screening og de fagligheder, forløbet kræver)", 21))


@dataclass(frozen=True)
class VisitationView:
    case_id: int
    version: int
    name: str
    criteria: list[eligibility.CriterionResult]
    decision: str


class VisitationService(ServiceBase):
    def _evaluate(self, s: Session, case: Case) -> list[eligibility.CriterionResult]:
        icd = list(s.scalars(select(CaseIcd10.code).where(CaseIcd10.case_id == case.id)))
        reasons = list(s.scalars(select(CatalogItem.code).join(
            CaseAbsenceReason, CaseAbsenceReason.reason_id == CatalogItem.id).where(
            CaseAbsenceReason.case_id == case.id)))
        return eligibility.evaluate(read_setting(s, "eligibility"), birth_date=case.citizen.birth_date,
                                    referral_date=case.referral_date, sick_leave_start=case.sick_leave_start,
                                    wage_earner=case.wage_earner, icd10_codes=icd, absence_reason_codes=reasons)

    def _first_tasks(self, s: Session, actor: Actor, c: Case, decided: dt.date) -> None:
        """An accepted case's first steps: the first conversation within a week and the assessment
        within three, both for the coordinator (who books the disciplines the case needs)."""
        owner = c.coordinator_id or actor.user_id
        start = max(decided, self.today())
        for kind, title, days in FIRST_TASKS:
            s.add(new_task(case_id=c.id, title=title, owner_id=owner, due=start + dt.timedelta(days=days),
                           kind=kind, created_by=actor.user_id))

    def visitation_view(self, actor: Actor, case_id: int) -> VisitationView:
        def work(s):
            self.require_case(s, actor, case_id)
            c = get_or_404(s, Case, case_id, "Forløb")
            self.audit(s, actor, "read", "tta_case", c.id, case_id=c.id, detail="visitation")
            return VisitationView(c.id, c.version, f"{c.citizen.first_name} {c.citizen.last_name}",
                                  self._evaluate(s, c), c.visitation_decision)
        return self._write(actor, "case.read", work)

    def visitate(self, actor: Actor, case_id: int, *, expected_version: int, accepted: bool,
                 decision_date: dt.date | None = None, rejection_reason: str | None = None,
                 outside_criteria_reason: str = "", note: str = "") -> None:
        """Record the decision. Accepting someone outside the criteria needs a stated reason;
        a rejection needs a reason from the catalogue and closes the case."""
        decision_date = decision_date or self.today()
        note = clean_text(note, field="visitation_note", label="Bemærkning", max_len=2000)
        outside_reason = clean_text(outside_criteria_reason, field="outside_criteria_reason",
                                    label="Begrundelse for optagelse uden for kriterierne", max_len=2000)
        if decision_date > self.today():
            raise ValidationError("decision_date", "må ikke ligge i fremtiden", label="Visitationsdato")

        def work(s):
            c = self.case_for_change(s, actor, case_id, expected_version, action="case.visitate")
            if c.phase not in ("referral", "visitation"):
                raise ValidationError("visitation", "forløbet er allerede visiteret", label="Visitation")
            if decision_date < c.referral_date:
                raise ValidationError("decision_date", "må ikke ligge før henvisningsdatoen", label="Visitationsdato")
            results = self._evaluate(s, c)
            c.visitation_date = decision_date
            c.visitation_by_id = actor.user_id
            c.visitation_note = note
            fields = ["visitation_decision", "visitation_date", "phase"]
            if accepted:
                outside = not eligibility.all_met(results)
                if outside and not outside_reason:
                    missing = ", ".join(r.label for r in results if r.status != eligibility.MET)
                    raise ValidationError("outside_criteria_reason",
                                          f"skal udfyldes, da kriterierne ikke alle er opfyldt ({missing})",
                                          label="Begrundelse for optagelse uden for kriterierne")
                c.visitation_decision = "accepted"
                c.outside_criteria = outside
                c.outside_criteria_reason = outside_reason if outside else ""
                c.phase = "assessment"
                if outside:
                    fields.append("outside_criteria")
                self._first_tasks(s, actor, c, decision_date)
            else:
                reason = s.scalar(select(CatalogItem).where(CatalogItem.kind == "rejection_reason",
                                                            CatalogItem.code == (rejection_reason or "")))
                if reason is None:
                    raise ValidationError("rejection_reason", "vælg en årsag til afslaget", label="Årsag")
                other = s.scalar(select(CatalogItem).where(CatalogItem.kind == "outcome",
                                                           CatalogItem.code == "other"))
                not_target = s.scalar(select(CatalogItem).where(CatalogItem.kind == "other_reason",
                                                                CatalogItem.code == "not_target_group"))
                c.visitation_decision = "rejected"
                c.rejection_reason_id = reason.id
                c.phase = "closed"
                c.closed_date = decision_date
                c.outcome_id = other.id if other else None
                c.other_reason_id = not_target.id if not_target else None
                fields += ["rejection_reason", "closed_date", "outcome"]
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.kind == "visitation",
                                                  Task.done_at.is_(None))):
                t.done_at = self.clock()
            c.last_activity_at = self.clock()
            sync_case_deadlines(s, c.id, acting_user_id=actor.user_id)
            s.flush()
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id, fields=fields,
                       detail="visiteret" if accepted else "ikke visiteret")
        self._write(actor, "case.visitate", work, what="forløbet")
