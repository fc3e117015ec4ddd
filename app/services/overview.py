"""Read-only views across cases: the dashboard, statistics, meeting and conference lists, audit log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from app.services.base import Actor, ServiceBase, get_or_404
from db.models import (AfterFollowUp, AuditEntry, Case, CaseConference, CatalogItem, Citizen, ConferenceItem,
                       RoundTableMeeting, Task, User)


@dataclass(frozen=True)
class Dashboard:
    open_cases: int
    my_open_cases: int
    by_phase: dict[str, int]
    my_tasks: list[tuple[int, str, dt.date, int | None, str]]  # id, title, due, case id, citizen name
    overdue_tasks: int
    meetings_next_14_days: int
    after_follow_ups_due: int


@dataclass(frozen=True)
class MeetingRow:
    id: int
    case_id: int
    citizen: str
    meeting_date: dt.date
    sequence_no: int
    status: str
    location: str


@dataclass(frozen=True)
class ConferenceRow:
    id: int
    held_on: dt.date
    items: int
    decisions: int
    closed: bool


@dataclass(frozen=True)
class OutcomeRow:
    quarter: str
    outcome_code: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    case_id: int | None
    fields: str
    detail: str


class OverviewService(ServiceBase):
    def dashboard(self, actor: Actor) -> Dashboard:
        def work(s):
            today = self.today()
            by_phase = dict(s.execute(select(Case.phase, func.count()).group_by(Case.phase)).all())
            open_cases = sum(n for p, n in by_phase.items() if p != "closed")
            mine = s.scalar(select(func.count()).select_from(Case).where(
                Case.coordinator_id == actor.user_id, Case.phase != "closed")) or 0
            tasks = s.execute(
                select(Task.id, Task.title, Task.due_date, Task.case_id, Citizen.first_name, Citizen.last_name)
                .outerjoin(Case, Case.id == Task.case_id).outerjoin(Citizen, Citizen.id == Case.citizen_id)
                .where(Task.owner_id == actor.user_id, Task.done_at.is_(None))
                .order_by(Task.due_date, Task.id).limit(50)).all()
            overdue = s.scalar(select(func.count()).select_from(Task).where(
                Task.owner_id == actor.user_id, Task.done_at.is_(None), Task.due_date < today)) or 0
            meetings = s.scalar(select(func.count()).select_from(RoundTableMeeting).where(
                RoundTableMeeting.status == "planned", RoundTableMeeting.meeting_date >= today,
                RoundTableMeeting.meeting_date <= today + dt.timedelta(days=14))) or 0
            afu = s.scalar(select(func.count()).select_from(AfterFollowUp).where(
                AfterFollowUp.recorded_date.is_(None), AfterFollowUp.due_date <= today)) or 0
            return Dashboard(open_cases, mine, by_phase,
                             [(t.id, t.title, t.due_date, t.case_id,
                               f"{t.first_name} {t.last_name}" if t.first_name else "") for t in tasks],
                             overdue, meetings, afu)
        return self._read(actor, "case.read", work)

    def meetings(self, actor: Actor, *, upcoming_only: bool = False, limit: int = 500) -> list[MeetingRow]:
        def work(s):
            q = (select(RoundTableMeeting.id, RoundTableMeeting.case_id, Citizen.first_name, Citizen.last_name,
                        RoundTableMeeting.meeting_date, RoundTableMeeting.sequence_no, RoundTableMeeting.status,
                        RoundTableMeeting.location)
                 .join(Case, Case.id == RoundTableMeeting.case_id).join(Citizen, Citizen.id == Case.citizen_id))
            if upcoming_only:
                q = q.where(RoundTableMeeting.meeting_date >= self.today())
                q = q.order_by(RoundTableMeeting.meeting_date)
            else:
                q = q.order_by(RoundTableMeeting.meeting_date.desc())
            return [MeetingRow(r[0], r[1], f"{r[2]} {r[3]}", r[4], r[5], r[6], r[7])
                    for r in s.execute(q.limit(limit))]
        return self._read(actor, "case.read", work)

    def conferences(self, actor: Actor, *, limit: int = 200) -> list[ConferenceRow]:
        def work(s):
            q = (select(CaseConference.id, CaseConference.held_on, CaseConference.closed,
                        func.count(ConferenceItem.id),
                        func.count(sql_case((ConferenceItem.decision != "", 1))))
                 .outerjoin(ConferenceItem, ConferenceItem.conference_id == CaseConference.id)
                 .group_by(CaseConference.id, CaseConference.held_on, CaseConference.closed)
                 .order_by(CaseConference.held_on.desc()).limit(limit))
            return [ConferenceRow(r[0], r[1], r[3], r[4], r[2]) for r in s.execute(q)]
        return self._read(actor, "case.read", work)

    def outcomes_by_quarter(self, actor: Actor) -> list[OutcomeRow]:
        """The KIA report's table 2: outcome status at closing per quarter, count and percent."""
        def work(s):
            rows = s.execute(
                select(Case.closed_date, CatalogItem.code, CatalogItem.label, CatalogItem.sort_order)
                .join(CatalogItem, CatalogItem.id == Case.outcome_id)
                .where(Case.phase == "closed")).all()
            counts: dict[tuple[str, str], int] = {}
            labels: dict[str, tuple[int, str]] = {}
            totals: dict[str, int] = {}
            for closed, code, label, order in rows:
                q = f"{closed.year} K{(closed.month - 1) // 3 + 1}"
                counts[(q, code)] = counts.get((q, code), 0) + 1
                totals[q] = totals.get(q, 0) + 1
                labels[code] = (order, label)
            out = []
            for q in sorted(totals):
                for code, (order, label) in sorted(labels.items(), key=lambda kv: kv[1][0]):
                    n = counts.get((q, code), 0)
                    out.append(OutcomeRow(q, code, label, n, round(100.0 * n / totals[q], 1)))
            return out
        return self._read(actor, "stats.read", work)

    def return_to_work_rate(self, actor: Actor) -> tuple[int, int]:
        """(returned, closed): full-time + part-time + a-kasse over all closed cases with an outcome."""
        def work(s):
            q = (select(func.count(), func.sum(sql_case((CatalogItem.counts_as_return.is_(True), 1), else_=0)))
                 .select_from(Case).join(CatalogItem, CatalogItem.id == Case.outcome_id)
                 .where(Case.phase == "closed"))
            total, returned = s.execute(q).one()
            return int(returned or 0), int(total or 0)
        return self._read(actor, "stats.read", work)

    def visitation_summary(self, actor: Actor) -> dict[str, int]:
        """Accepted, rejected and accepted outside the criteria (shown separately in statistics)."""
        def work(s):
            rows = dict(s.execute(select(Case.visitation_decision, func.count()).group_by(
                Case.visitation_decision)).all())
            outside = s.scalar(select(func.count()).select_from(Case).where(
                Case.visitation_decision == "accepted", Case.outside_criteria.is_(True))) or 0
            return {"accepted": rows.get("accepted", 0), "rejected": rows.get("rejected", 0),
                    "pending": rows.get("pending", 0), "outside_criteria": outside}
        return self._read(actor, "stats.read", work)

    def audit_entries(self, actor: Actor, *, case_id: int | None = None, username: str | None = None,
                      action: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                      limit: int = 5000) -> list[AuditRow]:
        """The audit log, newest first, filtered; for a case it answers a citizen's request for insight."""
        def work(s):
            q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
            if case_id is not None:
                q = q.where(AuditEntry.case_id == case_id)
            if username:
                q = q.where(AuditEntry.username == username)
            if action:
                q = q.where(AuditEntry.action == action)
            if since:
                q = q.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
            if until:
                q = q.where(AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
            return [AuditRow(a.at, a.username, a.action, a.entity, a.entity_id, a.case_id, a.fields, a.detail)
                    for a in s.scalars(q)]
        return self._read(actor, "audit.read", work)

    def case_for_access_log(self, actor: Actor, case_number: str) -> tuple[int, str, str]:
        """(id, number, citizen name) of a case, so an administrator, who may not open case records,
        can answer a citizen's request for insight from the access log alone."""
        number = (case_number or "").strip().upper()

        def work(s):
            row = s.execute(select(Case.id, Case.case_number, Citizen.first_name, Citizen.last_name)
                            .join(Citizen, Citizen.id == Case.citizen_id).where(Case.case_number == number)).first()
            if row is None:
                from app.errors import ValidationError
                raise ValidationError("case_number", f"intet forløb med nummeret '{number}'", label="Forløbsnummer")
            self.audit(s, actor, "read", "audit_log", None, case_id=row[0], detail="adgangslog")
            return row[0], row[1], f"{row[2]} {row[3]}"
        return self._write(actor, "audit.read", work)

    def print_access_log(self, actor: Actor, case_id: int, path, *, username: str | None = None,
                         action: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                         filter_text: str = "") -> None:
        """Write the case's access log as a PDF; the print itself is logged."""
        from app.printing.access_log import render_access_log
        from app.services.admin import read_setting
        rows = self.audit_entries(actor, case_id=case_id, username=username, action=action, since=since,
                                  until=until)

        def heading(s):
            c = get_or_404(s, Case, case_id, "Forløb")
            cit = s.get(Citizen, c.citizen_id)
            return f"Forløb {c.case_number} – {cit.first_name} {cit.last_name}", read_setting(s, "letterhead")
        subject, letterhead = self._read(actor, "audit.read", heading)
        render_access_log(path, letterhead=letterhead, title="Adgangslog", subject=subject, rows=rows,
                          filter_text=filter_text or "Alle registreringer", printed_by=actor.full_name,
                          printed_at=self.clock())
        # Logged once the PDF exists: a failed print is not recorded as a print.
        self._write(actor, "audit.read", lambda s: self.audit(s, actor, "print", "audit_log", None,
                                                               case_id=case_id, detail="adgangslog"))

    def team_members(self, actor: Actor) -> list[tuple[int, str, str]]:
        def work(s):
            return [tuple(r) for r in s.execute(select(User.id, User.full_name, User.role).where(
                User.active.is_(True)).order_by(User.full_name))]
        return self._read(actor, None, work)
