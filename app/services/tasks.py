"""The task list (Opgaver): each user's open tasks grouped by when they are due, the team's tasks per
person for the team lead, a task made by hand on a case, completed with one action (and undone), and
moved to another person.

Tasks come from referrals, plans, round-table agreements, conferences and deadlines (``Task.kind``);
the list shows every kind the same way, grouped by due date, each opening its case. A task row names
the citizen as the case list row does (summary access); making a task on a case, and completing or
moving one, needs full access to that case, except that the owner of a task may always complete it
(it is in their own list).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app import access
from app.errors import PermissionDenied, ValidationError
from app.services.base import Actor, ServiceBase, check_version, get_or_404, require
from app.services.team import may_join_case
from app.validation import clean_text
from db.models import Case, Citizen, Task, User

GROUPS = ("overdue", "today", "this_week", "later")
GROUP_LABELS = {"overdue": "Over fristen", "today": "I dag", "this_week": "Denne uge", "later": "Senere"}
KIND_LABELS = {"manual": "Manuel", "visitation": "Visitation", "plan_intervention": "Handlingsplan",
               "meeting_agreement": "Rundbordssamtale", "conference": "Casekonference", "deadline": "Frist",
               "after_follow_up": "Efteropfølgning", "first_conversation": "Første samtale",
               "assessment": "Udredning"}
TITLE_MAX = 200


@dataclass(frozen=True)
class TaskItem:
    id: int
    version: int
    title: str
    description: str
    due: dt.date
    kind: str
    case_id: int | None
    case_number: str
    citizen: str
    owner_id: int
    owner: str
    done_at: dt.datetime | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class TaskGroups:
    """Open tasks by when they are due: ``groups`` maps each of ``GROUPS`` to its rows."""
    groups: dict[str, list[TaskItem]]

    def all(self) -> list[TaskItem]:
        return [t for g in GROUPS for t in self.groups[g]]


def group_of(due: dt.date, today: dt.date) -> str:
    """Overdue, today, the rest of this week (to Sunday), or later."""
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    if due <= today + dt.timedelta(days=6 - today.weekday()):
        return "this_week"
    return "later"


def new_task(*, case_id: int | None, title: str, owner_id: int, due: dt.date, kind: str, created_by: int,
             description: str = "", conference_item_id: int | None = None) -> Task:
    """A task row as every service makes one (the title cut to the column)."""
    return Task(case_id=case_id, title=title.strip()[:TITLE_MAX], description=description, owner_id=owner_id,
                due_date=due, kind=kind, created_by_id=created_by, conference_item_id=conference_item_id)


def task_title(title: str, due: dt.date | None) -> str:
    """The cleaned title of a task made by hand; a task says what to do and has a due date."""
    title = clean_text(title, field="title", label="Opgave", max_len=TITLE_MAX)
    if not title:
        raise ValidationError("title", "skriv, hvad der skal gøres", label="Opgave")
    if due is None:
        raise ValidationError("due_date", "vælg en frist", label="Frist")
    return title


def check_owner(s, owner_id: int | None, *, field: str = "owner_id", case_id: int | None = None,
                now: dt.datetime | None = None) -> int:
    """The owner of a task: an active team member (not an administrator). A task on a case goes only
    to someone who reads the case in full at ``now`` (its coordinator or team, the team lead, or with
    a stated reason): the owner sees its title and description in their task list."""
    user = s.get(User, owner_id) if owner_id is not None else None
    if user is None or not may_join_case(user):
        raise ValidationError(field, "vælg en aktiv person fra teamet", label="Ansvarlig")
    if case_id is not None and now is not None:
        who = Actor(user.id, user.username, user.full_name, user.role)
        if access.case_access(s, who, case_id, now=now) != access.FULL:
            raise ValidationError(field, f"{user.full_name} er ikke tilknyttet forløbet; sæt vedkommende på "
                                         "forløbets teammedlemmer først", label="Ansvarlig")
    return owner_id


class TaskService(ServiceBase):
    # -- reading -------------------------------------------------------------------------------
    def my_tasks(self, actor: Actor) -> TaskGroups:
        """The actor's open tasks, grouped overdue / today / this week / later, earliest first."""
        def work(s):
            rows = self._rows(s, (Task.owner_id == actor.user_id, Task.done_at.is_(None)))
            self.audit(s, actor, "read", "task_list", None, case_ids=[r.case_id for r in rows if r.case_id])
            return self._group(rows)
        return self._write(actor, "task.write", work)

    def team_tasks(self, actor: Actor) -> dict[str, TaskGroups]:
        """The team lead's view: every open task, per owner (by name), each grouped by due date."""
        require(actor, "task.assign")

        def work(s):
            rows = self._rows(s, (Task.done_at.is_(None),))
            self.audit(s, actor, "read", "task_list", None, detail="teamets opgaver",
                       case_ids=[r.case_id for r in rows if r.case_id])
            per: dict[str, list[TaskItem]] = {}
            for r in sorted(rows, key=lambda r: r.owner):
                per.setdefault(r.owner, []).append(r)
            return {name: self._group(items) for name, items in per.items()}
        return self._write(actor, "task.assign", work)

    def task(self, actor: Actor, task_id: int) -> TaskItem:
        """One task (open or done) as the list shows it: the owner's own, or one on a case the actor
        reads in full."""
        def work(s):
            t = get_or_404(s, Task, task_id, "Opgave")
            self._may_touch(s, actor, t)
            row = self._rows(s, (Task.id == task_id,))[0]
            self.audit(s, actor, "read", "task", t.id, case_id=t.case_id)
            return row
        return self._write(actor, "task.write", work)

    def case_tasks(self, actor: Actor, case_id: int) -> list[TaskItem]:
        """The open tasks of one case, earliest due first."""
        def work(s):
            self.require_case(s, actor, case_id)
            rows = self._rows(s, (Task.case_id == case_id, Task.done_at.is_(None)))
            self.audit(s, actor, "read", "task", None, case_id=case_id, detail="forløbets opgaver")
            return rows
        return self._write(actor, "task.write", work)

    def _rows(self, s, conditions: Iterable) -> list[TaskItem]:
        q = (select(Task, Case.case_number, Citizen.first_name, Citizen.last_name, User.full_name)
             .outerjoin(Case, Case.id == Task.case_id).outerjoin(Citizen, Citizen.id == Case.citizen_id)
             .join(User, User.id == Task.owner_id).where(*conditions).order_by(Task.due_date, Task.id))
        return [TaskItem(t.id, t.version, t.title, t.description, t.due_date, t.kind, t.case_id, number or "",
                         f"{first} {last}" if first else "", t.owner_id, owner, t.done_at)
                for t, number, first, last, owner in s.execute(q)]

    def _group(self, rows: list[TaskItem]) -> TaskGroups:
        today = self.today()
        groups: dict[str, list[TaskItem]] = {g: [] for g in GROUPS}
        for r in rows:
            groups[group_of(r.due, today)].append(r)
        return TaskGroups(groups)

    def _may_touch(self, s, actor: Actor, t: Task) -> None:
        """The owner always; otherwise full access to the task's case (a task without a case: the team lead)."""
        if t.owner_id == actor.user_id:
            return
        if t.case_id is not None:
            self.require_case(s, actor, t.case_id, action="task.write")
        elif actor.role != "team_lead":
            raise PermissionDenied("task.write", actor.role, "Opgaven er en andens.")

    def find_case(self, actor: Actor, case_number: str) -> int:
        """The id of the case with this number (a task made by hand names its case by number)."""
        def work(s):
            cid = s.scalar(select(Case.id).where(Case.case_number == case_number.strip().upper()))
            if cid is None:
                raise ValidationError("case_number", "intet forløb har det nummer", label="Forløb")
            return cid
        return self._read(actor, "task.write", work)

    # -- writing -------------------------------------------------------------------------------
    def create_task(self, actor: Actor, case_id: int | None, *, title: str, due: dt.date | None,
                    owner_id: int | None = None, description: str = "") -> int:
        """A task made by hand on a case (or, with no case, for the team), owned by the actor unless
        ``owner_id`` names another team member."""
        title = task_title(title, due)
        description = clean_text(description, field="description", label="Beskrivelse", max_len=2000)

        def work(s):
            if case_id is not None:
                self.require_case(s, actor, case_id, action="task.write")
            owner = check_owner(s, owner_id or actor.user_id, case_id=case_id, now=self.clock())
            t = new_task(case_id=case_id, title=title, owner_id=owner, due=due, kind="manual",
                         created_by=actor.user_id, description=description)
            s.add(t)
            if case_id is not None:
                s.get(Case, case_id).last_activity_at = self.clock()
            s.flush()
            # The title is free text about the case; the administrator reads the log: field names only.
            self.audit(s, actor, "create", "task", t.id, case_id=case_id,
                       fields=["title", "due_date", "owner"] + (["description"] if description else []))
            return t.id
        return self._write(actor, "task.write", work)

    def complete(self, actor: Actor, task_id: int, *, expected_version: int | None = None) -> int:
        """Mark a task done; returns its new version (for ``undo_complete``)."""
        return self._set_done(actor, task_id, True, expected_version)

    def undo_complete(self, actor: Actor, task_id: int, *, expected_version: int | None = None) -> int:
        """Open a completed task again (the "Fortryd" right after completing it)."""
        return self._set_done(actor, task_id, False, expected_version)

    def _set_done(self, actor: Actor, task_id: int, done: bool, expected_version: int | None) -> int:
        def work(s):
            t = get_or_404(s, Task, task_id, "Opgave")
            self._may_touch(s, actor, t)
            check_version(t, expected_version, "opgaven")
            if (t.done_at is not None) == done:
                return t.version
            t.done_at = self.clock() if done else None
            if t.case_id is not None:
                s.get(Case, t.case_id).last_activity_at = self.clock()
            s.flush()
            self.audit(s, actor, "update", "task", t.id, case_id=t.case_id, fields=["done_at"],
                       detail="løst" if done else "genåbnet")
            return t.version
        return self._write(actor, "task.write", work, what="opgaven")

    def move(self, actor: Actor, task_id: int, owner_id: int, *, expected_version: int | None = None) -> int:
        """The team lead gives a task to another team member; returns its new version."""
        def work(s):
            t = get_or_404(s, Task, task_id, "Opgave")
            check_version(t, expected_version, "opgaven")
            t.owner_id = check_owner(s, owner_id, case_id=t.case_id, now=self.clock())
            s.flush()
            self.audit(s, actor, "update", "task", t.id, case_id=t.case_id, fields=["owner_id"],
                       detail=f"flyttet til {s.get(User, owner_id).full_name}")
            return t.version
        return self._write(actor, "task.assign", work, what="opgaven")
