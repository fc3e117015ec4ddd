"""The weekly case conference (casekonference): the list of conferences, for now."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from app.services.base import Actor, ServiceBase
from db.models import CaseConference, ConferenceItem


@dataclass(frozen=True)
class ConferenceRow:
    id: int
    held_on: dt.date
    items: int       # cases on the agenda
    decisions: int   # of which a decision is recorded
    closed: bool


class ConferenceService(ServiceBase):
    def list_conferences(self, actor: Actor, *, limit: int = 200) -> list[ConferenceRow]:
        """Conferences, newest first, with how many cases were on the agenda and decided. Logged (it
        names no case, but it is a read of case work)."""
        def work(s):
            q = (select(CaseConference.id, CaseConference.held_on, CaseConference.closed,
                        func.count(ConferenceItem.id),
                        func.count(sql_case((ConferenceItem.decision != "", 1))))
                 .outerjoin(ConferenceItem, ConferenceItem.conference_id == CaseConference.id)
                 .group_by(CaseConference.id, CaseConference.held_on, CaseConference.closed)
                 .order_by(CaseConference.held_on.desc()).limit(limit))
            rows = [ConferenceRow(r[0], r[1], r[3], r[4], r[2]) for r in s.execute(q)]
            self.audit(s, actor, "read", "conference_list", None)
            return rows
        return self._write(actor, "case.read", work)
