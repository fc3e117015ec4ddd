"""Closing a case (afslutning) with its outcome status, and reopening a closed case."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.errors import ValidationError
from app.services.admin import catalog_item
from app.services.after_follow_up import check_outcome, drop_open_after_follow_ups, schedule_after_follow_ups
from app.services.base import Actor, ServiceBase
from app.services.deadlines import sync_case_deadlines
from app.validation import clean_text
from db.models import CaseReopening, Task


class ClosingService(ServiceBase):
    def close_case(self, actor: Actor, case_id: int, *, expected_version: int, closed_date: dt.date,
                   outcome: str, other_reason: str | None = None, next_effort: str | None = None,
                   final_hours_per_week: float | None = None, note: str = "") -> None:
        note = clean_text(note, field="closing_note", label="Bemærkning", max_len=5000)
        if closed_date > self.today():
            raise ValidationError("closed_date", "må ikke ligge i fremtiden", label="Afslutningsdato")

        def work(s):
            c = self.case_for_change(s, actor, case_id, expected_version, action="case.close")
            if c.phase == "closed":
                raise ValidationError("phase", "forløbet er allerede afsluttet", label="Afslutning")
            if closed_date < c.referral_date:
                raise ValidationError("closed_date", "må ikke ligge før henvisningsdatoen", label="Afslutningsdato")
            out, other, hours = check_outcome(s, outcome, other_reason, final_hours_per_week)
            effort = catalog_item(s, "next_effort", next_effort, field="next_effort",
                                  label="Anbefalet næste indsats", required=False)
            c.phase = "closed"
            c.closed_date = closed_date
            c.outcome_id = out.id
            c.other_reason_id = other.id if other else None
            c.next_effort_id = effort.id if effort else None
            c.final_hours_per_week = hours
            c.closing_note = note
            c.last_activity_at = self.clock()
            sync_case_deadlines(s, c.id, acting_user_id=actor.user_id)   # none after the closing date
            # Open tasks end with the case; the after-follow-up tasks it schedules are new.
            for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.done_at.is_(None))):
                t.done_at = self.clock()
            schedule_after_follow_ups(s, c, closed_date, owner_id=c.coordinator_id or actor.user_id,
                                      created_by_id=actor.user_id)
            s.flush()
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id,
                       fields=["phase", "closed_date", "outcome", "next_effort", "final_hours_per_week"],
                       detail="afsluttet")
        self._write(actor, "case.close", work, what="forløbet")

    def reopen_case(self, actor: Actor, case_id: int, *, expected_version: int, reason: str) -> None:
        reason = clean_text(reason, field="reason", label="Begrundelse for genåbning", max_len=2000, required=True)

        def work(s):
            c = self.case_for_change(s, actor, case_id, expected_version, action="case.reopen")
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
            drop_open_after_follow_ups(s, c.id)
            sync_case_deadlines(s, c.id, acting_user_id=actor.user_id)
            s.flush()
            # The reason is free text about the case, kept with the reopening, not in the log.
            self.audit(s, actor, "update", "tta_case", c.id, case_id=c.id,
                       fields=["phase", "closed_date", "outcome", "reason"], detail="genåbnet")
        self._write(actor, "case.reopen", work, what="forløbet")
