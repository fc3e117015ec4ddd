"""Caseload moves: the team lead hands one coordinator's open cases to another (leave, holidays).

Each moved case needs full access (``app.access``): the team lead has it on every case of the team."""
from __future__ import annotations

from sqlalchemy import select

from app.errors import ValidationError
from app.services.base import Actor, ServiceBase
from app.services.team import check_coordinator
from db.models import Case, Task, User


class CaseloadService(ServiceBase):
    def move_cases(self, actor: Actor, *, from_user_id: int, to_user_id: int,
                   case_ids: list[int] | None = None) -> int:
        """Move all open cases (or the given ones) of one coordinator to another, logged per case.
        Open tasks on those cases owned by the old coordinator move too. Returns how many moved."""
        if from_user_id == to_user_id:
            raise ValidationError("to_user", "skal være en anden end den nuværende koordinator",
                                  label="Ny koordinator")

        def work(s):
            target = check_coordinator(s, to_user_id, field="to_user", label="Ny koordinator")
            source = s.get(User, from_user_id)
            q = select(Case).where(Case.coordinator_id == from_user_id, Case.phase != "closed")
            if case_ids is not None:
                q = q.where(Case.id.in_(case_ids))
            moved = 0
            for c in list(s.scalars(q)):
                self.require_case(s, actor, c.id, action="case.reassign")
                c.coordinator_id = target.id
                c.last_activity_at = self.clock()
                for t in s.scalars(select(Task).where(Task.case_id == c.id, Task.owner_id == from_user_id,
                                                      Task.done_at.is_(None))):
                    t.owner_id = target.id
                self.audit(s, actor, "reassign", "tta_case", c.id, case_id=c.id, fields=["coordinator_id"],
                           detail=f"fra {source.full_name if source else '?'} til {target.full_name}")
                moved += 1
            s.flush()
            return moved
        return self._write(actor, "case.reassign", work, what="forløbene")
