"""Overblik: today's picture for the logged-in team member, chosen by role.

- A coordinator sees the open cases they coordinate and their own tasks.
- A psychologist, physiotherapist, doctor or job consultant sees the open cases whose team they are
  on and their own tasks.
- A team lead sees team-wide figures and the team's overdue tasks.

Each ``KeyFigure.key`` names what a click on it opens:
``my_cases`` the case list filtered to the actor's own open cases; ``my_team_cases`` the open cases
whose team includes the actor; ``my_awaiting_visitation`` the actor's cases in referral or
visitation; ``open_cases`` all open cases; ``unassigned_cases`` open cases without a coordinator;
``my_overdue_tasks`` / ``overdue_tasks`` the overdue tasks (own / the team's); ``my_meetings`` the
planned round-table meetings of the actor's cases in the next 14 days; ``my_after_follow_ups_due`` /
``after_follow_ups_due`` after-follow-ups due and not recorded; ``plans_awaiting_approval`` draft
action plans of open cases, waiting for the team lead.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, select

from app.services.base import Actor, ServiceBase
from db.models import ActionPlan, AfterFollowUp, Case, CaseTeamMember, Citizen, RoundTableMeeting, Task, User

TASK_LIMIT = 50
MEETING_DAYS = 14


@dataclass(frozen=True)
class KeyFigure:
    key: str     # what to open when clicked (see the module docstring)
    label: str   # Danish, read after the number: "3 åbne forløb, hvor du er koordinator"
    value: int


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    due: dt.date
    case_id: int | None
    case_number: str
    citizen: str
    owner: str


@dataclass(frozen=True)
class Dashboard:
    figures: list[KeyFigure]
    tasks_title: str          # "Dine åbne opgaver" or "Teamets opgaver over fristen"
    tasks: list[TaskRow]
    no_tasks_text: str        # what the task list says when it is empty
    by_phase: dict[str, int]  # the cases the figures are about, per phase


class DashboardService(ServiceBase):
    def dashboard(self, actor: Actor) -> Dashboard:
        def work(s):
            today = self.today()
            if actor.role == "team_lead":
                return self._team_lead(s, today)
            if actor.role == "coordinator":
                mine = Case.coordinator_id == actor.user_id
                figures = [("my_cases", "åbne forløb, hvor du er koordinator"),
                           ("my_awaiting_visitation", "af dine forløb venter på visitation"),
                           ("my_overdue_tasks", "af dine opgaver er over fristen"),
                           ("my_meetings", f"rundbordssamtaler i dine forløb de næste {MEETING_DAYS} dage"),
                           ("my_after_follow_ups_due", "efteropfølgninger i dine forløb er forfaldne")]
            else:
                mine = exists().where(CaseTeamMember.case_id == Case.id, CaseTeamMember.user_id == actor.user_id)
                figures = [("my_team_cases", "åbne forløb, hvor du er med i teamet"),
                           ("my_overdue_tasks", "af dine opgaver er over fristen"),
                           ("my_meetings", f"rundbordssamtaler i dine forløb de næste {MEETING_DAYS} dage")]
            queries = self._own_figures(actor, mine, today)
            tasks = self._tasks(s, (Task.owner_id == actor.user_id,))
            return Dashboard([KeyFigure(k, label, _count(s, queries[k])) for k, label in figures],
                             "Dine åbne opgaver", tasks, "Du har ingen åbne opgaver.", self._by_phase(s, mine))

        def logged(s):
            # The read is logged with the cases whose citizens the task list names.
            board = work(s)
            self.audit(s, actor, "read", "dashboard", None,
                       case_ids=[t.case_id for t in board.tasks if t.case_id is not None])
            return board
        return self._write(actor, "case.read", logged)

    def _own_figures(self, actor: Actor, mine: ColumnElement[bool], today: dt.date) -> dict[str, Select]:
        """The count query of each personal figure; ``mine`` says which cases are the actor's."""
        open_mine = select(func.count()).select_from(Case).where(mine, Case.phase != "closed")
        return {
            "my_cases": open_mine,
            "my_team_cases": open_mine,
            "my_awaiting_visitation": select(func.count()).select_from(Case).where(
                mine, Case.phase.in_(("referral", "visitation"))),
            "my_overdue_tasks": select(func.count()).select_from(Task).where(
                Task.owner_id == actor.user_id, Task.done_at.is_(None), Task.due_date < today),
            "my_meetings": select(func.count()).select_from(RoundTableMeeting).join(
                Case, Case.id == RoundTableMeeting.case_id).where(
                mine, RoundTableMeeting.status == "planned", RoundTableMeeting.meeting_date >= today,
                RoundTableMeeting.meeting_date <= today + dt.timedelta(days=MEETING_DAYS)),
            "my_after_follow_ups_due": select(func.count()).select_from(AfterFollowUp).join(
                Case, Case.id == AfterFollowUp.case_id).where(
                mine, AfterFollowUp.recorded_date.is_(None), AfterFollowUp.due_date <= today),
        }

    def _team_lead(self, s, today: dt.date) -> Dashboard:
        open_case = Case.phase != "closed"
        figures = [
            KeyFigure("open_cases", "åbne forløb i teamet",
                      _count(s, select(func.count()).select_from(Case).where(open_case))),
            KeyFigure("unassigned_cases", "åbne forløb uden koordinator",
                      _count(s, select(func.count()).select_from(Case).where(open_case,
                                                                             Case.coordinator_id.is_(None)))),
            KeyFigure("overdue_tasks", "opgaver i teamet er over fristen",
                      _count(s, select(func.count()).select_from(Task).where(Task.done_at.is_(None),
                                                                             Task.due_date < today))),
            KeyFigure("plans_awaiting_approval", "handlingsplaner venter på godkendelse",
                      _count(s, select(func.count()).select_from(ActionPlan)
                             .join(Case, Case.id == ActionPlan.case_id).where(ActionPlan.status == "draft",
                                                                               open_case))),
            KeyFigure("after_follow_ups_due", "efteropfølgninger er forfaldne",
                      _count(s, select(func.count()).select_from(AfterFollowUp).where(
                          AfterFollowUp.recorded_date.is_(None), AfterFollowUp.due_date <= today))),
        ]
        tasks = self._tasks(s, (Task.due_date < today,))
        return Dashboard(figures, "Teamets opgaver over fristen", tasks, "Ingen opgaver i teamet er over fristen.",
                         self._by_phase(s, None))

    def _tasks(self, s, conditions: tuple) -> list[TaskRow]:
        """Open tasks matching ``conditions``, earliest due first."""
        q = (select(Task.id, Task.title, Task.due_date, Task.case_id, Case.case_number, Citizen.first_name,
                    Citizen.last_name, User.full_name)
             .outerjoin(Case, Case.id == Task.case_id).outerjoin(Citizen, Citizen.id == Case.citizen_id)
             .join(User, User.id == Task.owner_id)
             .where(Task.done_at.is_(None), *conditions)
             .order_by(Task.due_date, Task.id).limit(TASK_LIMIT))
        return [TaskRow(r.id, r.title, r.due_date, r.case_id, r.case_number or "",
                        f"{r.first_name} {r.last_name}" if r.first_name else "", r.full_name)
                for r in s.execute(q)]

    def _by_phase(self, s, mine: ColumnElement[bool] | None) -> dict[str, int]:
        q = select(Case.phase, func.count()).group_by(Case.phase)
        if mine is not None:
            q = q.where(mine)
        return dict(s.execute(q).all())


def _count(s, q) -> int:
    return s.scalar(q) or 0
