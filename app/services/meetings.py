"""Round-table meetings (rundbordssamtaler): the list across cases, for now.

A meeting's date, time and place say more than the case list row, so the list holds the meetings of
the cases the actor reads in full (``app.access.full_access_clause``)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from app import access
from app.dates import local_now
from app.services.base import Actor, ServiceBase
from db.models import Case, Citizen, RoundTableMeeting


@dataclass(frozen=True)
class MeetingRow:
    id: int
    case_id: int
    case_number: str
    citizen: str
    meeting_date: dt.date
    start_time: dt.time | None
    sequence_no: int
    status: str
    location: str


class MeetingService(ServiceBase):
    def list_meetings(self, actor: Actor, *, upcoming_only: bool = False, limit: int = 500) -> list[MeetingRow]:
        """Meetings across cases, newest first; ``upcoming_only``: those not yet held (planned, and
        later today or after), soonest first. Logged with the cases the list names."""
        def work(s):
            m = RoundTableMeeting
            q = (select(m.id, m.case_id, Case.case_number, Citizen.first_name, Citizen.last_name, m.meeting_date,
                        m.start_time, m.sequence_no, m.status, m.location)
                 .join(Case, Case.id == m.case_id).join(Citizen, Citizen.id == Case.citizen_id)
                 .where(access.full_access_clause(actor, self.clock())))
            if upcoming_only:
                # Meeting dates and times are the team's wall clock; the services' clock is UTC.
                now = local_now(self.clock())
                q = q.where(m.status == "planned", or_(
                    m.meeting_date > now.date(),
                    and_(m.meeting_date == now.date(), or_(m.start_time.is_(None), m.start_time >= now.time()))))
                q = q.order_by(m.meeting_date, m.start_time.nulls_first(), m.id)
            else:
                q = q.order_by(m.meeting_date.desc(), m.start_time.desc().nulls_last(), m.id.desc())
            rows = [MeetingRow(r.id, r.case_id, r.case_number, f"{r.first_name} {r.last_name}", r.meeting_date,
                               r.start_time, r.sequence_no, r.status, r.location)
                    for r in s.execute(q.limit(limit))]
            self.audit(s, actor, "read", "meeting_list", None, case_ids=[r.case_id for r in rows])
            return rows
        return self._write(actor, "case.read", work)
