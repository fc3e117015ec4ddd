"""Need-to-know, table-driven: every role x every service call on one case's data x where the user
stands to the case. Each cell is allowed or refused as the rule says, and a refusal writes nothing.

Where the user stands (``SITUATIONS``):
- ``coordinates``: the user is the case's coordinator
- ``member``: the user is on the case's team (Teammedlemmer)
- ``off``: neither
- ``reason``: neither, but stated a reason a moment ago ("Begrund adgang")
- ``expired``: neither, and the reason was stated longer ago than a grant lasts

The rule, written out here rather than read from app/access.py: the team lead reads every case; the
administrator reads none (not even as coordinator, team member or with a grant row), but reads every
case's access log; everyone else reads a case they coordinate, are on, or stated a live reason for.
Reading in full lets a role do what the permission matrix allows it.

One database per backend serves the whole module (``matrix``): every role's actor, and the cases its
cells ask for. A test per service call prepares that call's cell for every role and situation, runs
the refused cells between two digests of every table (together they change no row) while watching
each for a committed write, then runs the allowed ones.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from app import permissions
from app.assessment_fields import DISCIPLINES
from app.errors import NeedToKnow, PermissionDenied
from app.services import Services
from db.base import Base
from db.codes import ROLES
from db.models import (
    Assessment,
    Case,
    CaseAccessGrant,
    CaseConference,
    ConferenceItem,
    JournalNote,
    MeetingItem,
    RoundTableMeeting,
)
from db.session import open_database
from tests.factories import FakeClock, make_case, make_user, plan_values

SITUATIONS = ("coordinates", "member", "off", "reason", "expired")
CONFERENCE = "conference.write@summary"   # the conference raises any case the team sees
NOW = dt.datetime(2026, 11, 22, 9, 0)
REASON = "Dækker for koordinatoren ved casekonferencen"


def reads_in_full(role: str, situation: str) -> bool:
    if role == "team_lead":
        return True
    if role == "admin":
        return False
    return situation in ("coordinates", "member", "reason")


def expected(role: str, action: str, situation: str) -> bool:
    if action == CONFERENCE:
        return permissions.allowed(role, "conference.write")
    if not permissions.allowed(role, action):
        return False
    if action == "audit.read":   # one case's access log: the administrator answers requests for insight
        return role == "admin" or reads_in_full(role, situation)
    return reads_in_full(role, situation)


class People:
    """The users every role's cells share: a team lead who prepares, two coordinators who own the cases."""

    def __init__(self, services):
        self.lead = make_user(services, "team_lead", "lead")
        self.coord_a = make_user(services, "coordinator", "coord-a")
        self.coord_b = make_user(services, "coordinator", "coord-b")


class World:
    """One role's actor, and a fresh case per cell with the actor where the cell puts them."""

    def __init__(self, services, clock, people: People, role: str):
        self.services, self.clock = services, clock
        self.actor = make_user(services, role, f"actor-{role}")
        self.lead, self.coord_a, self.coord_b = people.lead, people.coord_a, people.coord_b
        self._shared: dict[tuple[str, bool], int] = {}

    def shared(self, situation: str, *, closed: bool = False) -> int:
        """One case per situation for the calls that leave it fit for the next (reads, an added note)."""
        key = (situation, closed)
        if key not in self._shared:
            self._shared[key] = self.case(situation, closed=closed)
        return self._shared[key]

    def case(self, situation: str, *, phase: str = "assessment", closed: bool = False) -> int:
        a = self.actor
        coordinator = a.user_id if situation == "coordinates" else self.coord_a.user_id
        team = [a.user_id] if situation == "member" else []
        case_id = make_case(self.services, phase=phase, coordinator_id=coordinator, team_member_ids=team)
        if closed:
            v = self.services.cases.get_case(self.lead, case_id).version
            self.services.closing.close_case(self.lead, case_id, expected_version=v,
                                             closed_date=dt.date(2026, 11, 1), outcome="full_return")
        if situation in ("reason", "expired"):
            self.clock.now = NOW - dt.timedelta(hours=13) if situation == "expired" else NOW - dt.timedelta(minutes=5)
            self._grant(case_id)
        self.clock.now = NOW
        return case_id

    def _grant(self, case_id: int) -> None:
        a = self.actor
        if a.role in permissions.CASE_READERS:
            self.services.cases.grant_access(a, case_id, REASON)
        else:
            # No service grants the administrator anything; a stored grant still opens nothing to them.
            with self.services.db.write() as s:
                s.add(CaseAccessGrant(user_id=a.user_id, case_id=case_id, reason=REASON, granted_at=self.clock(),
                                      expires_at=self.clock() + dt.timedelta(hours=12)))

    def note(self, case_id: int, *, author_id: int, signed: bool) -> int:
        with self.services.db.write() as s:
            n = JournalNote(case_id=case_id, author_id=author_id, note_date=dt.date(2026, 11, 10), kind="phone",
                            text="Samtale om arbejdsopgaver.", signed_at=NOW if signed else None)
            s.add(n)
            s.flush()
            return n.id

    def plan(self, situation: str, *, approved: bool = False) -> tuple[int, int, int]:
        """A case with a filled plan (drafted, perhaps approved, by the team lead): (case, plan, version)."""
        case_id = self.case(situation)
        plans = self.services.plans
        pid = plans.start_plan(self.lead, case_id)
        version = plans.save_plan(self.lead, pid, expected_version=plans.plan_tab(self.lead, case_id).plan.version,
                                  values=plan_values())
        if approved:
            plans.approve(self.lead, pid, expected_version=version)
            version = plans.plan_tab(self.lead, case_id).plan.version
        return case_id, pid, version

    def assessment(self, case_id: int, *, signed: bool) -> int:
        """An assessment of the actor's own discipline (the coordinator's for roles without one)."""
        role = self.actor.role if self.actor.role in DISCIPLINES else "coordinator"
        with self.services.db.write() as s:
            a = Assessment(case_id=case_id, author_id=self.actor.user_id, discipline=role,
                           assessed_on=dt.date(2026, 11, 10), summary="Samlet vurdering.",
                           signed_at=NOW if signed else None)
            s.add(a)
            s.flush()
            return a.id

    def meeting(self, case_id: int, *, agreement: bool = False) -> int:
        """A planned round-table meeting on the case; with ``agreement``, the id of an agreement on it."""
        with self.services.db.write() as s:
            m = RoundTableMeeting(case_id=case_id, meeting_date=dt.date(2026, 11, 25), status="planned")
            s.add(m)
            s.flush()
            if not agreement:
                return m.id
            item = MeetingItem(meeting_id=m.id, kind="agreement", text="Arbejder 12 timer om ugen")
            s.add(item)
            s.flush()
            return item.id

    def conference_item(self, case_id: int) -> tuple[int, int]:
        """The case on a new conference's agenda: (item id, version)."""
        with self.services.db.write() as s:
            c = CaseConference(held_on=dt.date(2026, 11, 24) + dt.timedelta(days=case_id))
            s.add(c)
            s.flush()
            item = ConferenceItem(conference_id=c.id, case_id=case_id, reason="other")
            s.add(item)
            s.flush()
            return item.id, item.version

    def version(self, case_id: int) -> int:
        return _case_column(self.services, case_id, Case.version)


def _calls(w: World):
    """action -> {call name: (prepare(situation) -> args, call(actor, args))} for every service call
    that reads or changes one case's data."""
    sv = w.services
    case, shared = w.case, w.shared

    def with_version(situation, **kw):
        cid = case(situation, **kw)
        return cid, w.version(cid)

    return {
        "case.read": {
            "assessments.list_for_case": (shared, lambda a, cid: sv.assessments.list_for_case(a, cid)),
            "cases.get_case": (shared, lambda a, cid: sv.cases.get_case(a, cid)),
            "journal.notes": (shared, lambda a, cid: sv.journal.notes(a, cid)),
            "journal.timeline": (shared, lambda a, cid: sv.journal.timeline(a, cid)),
            "plans.plan_tab": (shared, lambda a, cid: sv.plans.plan_tab(a, cid)),
            "meetings.meeting_tab": (shared, lambda a, cid: sv.meetings.meeting_tab(a, cid)),
            "conferences.key_facts": (shared, lambda a, cid: sv.conferences.key_facts(a, cid)),
            "visitation.visitation_view": (shared, lambda a, cid: sv.visitation.visitation_view(a, cid)),
            "after_follow_up.list_for_case": (lambda sit: shared(sit, closed=True),
                                              lambda a, cid: sv.after_follow_up.list_for_case(a, cid)),
            "assessments.get": (lambda sit: w.assessment(shared(sit), signed=False),
                                lambda a, aid: sv.assessments.get(a, aid)),
            "assessments.scores_over_time": (shared, lambda a, cid: sv.assessments.scores_over_time(a, cid)),
            "assessments.latest_scores": (shared, lambda a, cid: sv.assessments.latest_scores(a, cid)),
            "assessments.summary_data": (shared, lambda a, cid: sv.assessments.summary_data(a, cid)),
            "letters.letter_tab": (shared, lambda a, cid: sv.letters.letter_tab(a, cid)),
        },
        "assessment.write": {
            "assessments.save_draft": (shared, lambda a, cid: sv.assessments.save_draft(
                a, cid, values={"assessed_on": dt.date(2026, 11, 10), "summary": "Udredning påbegyndt."},
                instruments={"RTW_EXPECTATION": [7, 1]})),
            "assessments.sign": (lambda sit: w.assessment(shared(sit), signed=False),
                                 lambda a, aid: sv.assessments.sign(a, aid, expected_version=1)),
            "assessments.add_addendum": (lambda sit: w.assessment(shared(sit), signed=True),
                                         lambda a, aid: sv.assessments.add_addendum(a, aid, "Supplerende oplysning.")),
        },
        "case.reveal_cpr": {
            "cases.reveal_cpr": (shared, lambda a, cid: sv.cases.reveal_cpr(a, cid)),
        },
        "case.update": {
            "cases.update_case": (with_version, lambda a, cv: sv.cases.update_case(
                a, cv[0], expected_version=cv[1], changes={"job_title": "Pædagogmedhjælper"})),
        },
        "case.visitate": {
            "visitation.visitate": (lambda sit: with_version(sit, phase="referral"),
                                    lambda a, cv: sv.visitation.visitate(a, cv[0], expected_version=cv[1],
                                                                         accepted=False, rejection_reason="declined")),
        },
        "case.close": {
            "closing.close_case": (with_version, lambda a, cv: sv.closing.close_case(
                a, cv[0], expected_version=cv[1], closed_date=dt.date(2026, 11, 1), outcome="still_sick")),
        },
        "case.reopen": {
            "closing.reopen_case": (lambda sit: with_version(sit, closed=True), lambda a, cv: sv.closing.reopen_case(
                a, cv[0], expected_version=cv[1], reason="Ny sygemelding")),
        },
        "case.after_follow_up": {
            "after_follow_up.record": (lambda sit: case(sit, closed=True), lambda a, cid: sv.after_follow_up.record(
                a, cid, months=3, expected_version=1, recorded_date=dt.date(2026, 11, 20), outcome="full_return")),
        },
        "case.reassign": {
            "caseload.move_cases": (case, lambda a, cid: sv.caseload.move_cases(
                a, from_user_id=_coordinator_of(sv, cid), to_user_id=w.coord_b.user_id, case_ids=[cid])),
        },
        "journal.write": {
            "journal.add_note": (shared, lambda a, cid: sv.journal.add_note(
                a, cid, note_date=dt.date(2026, 11, 20), kind="phone", text="Opringning fra borgeren.")),
            "journal.edit_note": (lambda sit: w.note(shared(sit), author_id=w.actor.user_id, signed=False),
                                  lambda a, nid: sv.journal.edit_note(a, nid, expected_version=1,
                                                                      note_date=dt.date(2026, 11, 10), kind="phone",
                                                                      text="Samtale om arbejdsopgaver og timer.")),
            "journal.sign_note": (lambda sit: w.note(shared(sit), author_id=w.actor.user_id, signed=False),
                                  lambda a, nid: sv.journal.sign_note(a, nid, expected_version=1)),
            "journal.annotate": (lambda sit: w.note(shared(sit), author_id=w.coord_a.user_id, signed=True),
                                 lambda a, nid: sv.journal.annotate(a, nid, "Supplerende oplysning.")),
        },
        "plan.write": {
            "meetings.carry_into_plan": (lambda sit: w.meeting(case(sit), agreement=True),
                                         lambda a, iid: sv.meetings.carry_into_plan(a, iid)),
            "plans.start_plan": (case, lambda a, cid: sv.plans.start_plan(a, cid)),
            "plans.save_plan": (w.plan, lambda a, p: sv.plans.save_plan(a, p[1], expected_version=p[2],
                                                                         values=plan_values(target_hours=37.0))),
            "plans.new_version": (lambda sit: w.plan(sit, approved=True),
                                  lambda a, p: sv.plans.new_version(a, p[1], expected_version=p[2])),
            "plans.record_actual_hours": (lambda sit: w.plan(sit, approved=True), lambda a, p: (
                sv.plans.record_actual_hours(a, p[1], expected_version=p[2], hours={1: 6.0}))),
        },
        "task.write": {
            "tasks.case_tasks": (shared, lambda a, cid: sv.tasks.case_tasks(a, cid)),
            "tasks.create_task": (shared, lambda a, cid: sv.tasks.create_task(
                a, cid, title="Ring til lederen", due=dt.date(2026, 11, 30))),
        },
        "meeting.write": {
            "meetings.plan_meeting": (shared, lambda a, cid: sv.meetings.plan_meeting(
                a, cid, values={"meeting_date": dt.date(2026, 11, 26)})),
        },
        CONFERENCE: {   # raising a case at the conference, moving or removing it: the list row is enough
            "conferences.move_item": (lambda sit: w.conference_item(case(sit)),
                                      lambda a, iv: sv.conferences.move_item(a, iv[0], 1)),
            "conferences.remove_item": (lambda sit: w.conference_item(case(sit)),
                                        lambda a, iv: sv.conferences.remove_item(a, iv[0])),
        },
        "conference.write": {   # what is said and decided about a case is case data
            "conferences.save_item": (lambda sit: w.conference_item(case(sit)), lambda a, iv: (
                sv.conferences.save_item(a, iv[0], expected_version=iv[1], notes="Drøftet.", decision=""))),
            "conferences.add_task": (lambda sit: w.conference_item(case(sit)), lambda a, iv: (
                sv.conferences.add_task(a, iv[0], owner_id=a.user_id, due=dt.date(2026, 11, 30),
                                        title="Ring til lægen"))),
        },
        "plan.approve": {
            "plans.approve": (w.plan, lambda a, p: sv.plans.approve(a, p[1], expected_version=p[2])),
        },
        "consent.write": {
            "letters.record_consent": (shared, lambda a, cid: sv.letters.record_consent(
                a, cid, party="employer", given_date=dt.date(2026, 11, 20), given_to="Nærmeste leder",
                scope="Aftaler om opgaver og timer")),
        },
        "letter.print": {
            "letters.draft": (shared, lambda a, cid: sv.letters.draft(a, cid, "start")),
            "plans.plan_pdf": (w.plan, lambda a, p: sv.plans.plan_pdf(a, p[0], audience="employer")),
            "plans.log_print": (w.plan, lambda a, p: sv.plans.log_print(a, p[0], version_no=1, audience="team",
                                                                         how="printer")),
            "meetings.meeting_document": (lambda sit: w.meeting(shared(sit)), lambda a, mid: (
                sv.meetings.meeting_document(a, mid, audience="employer"))),
        },
        "audit.read": {
            "audit_log.log_access_log_print": (shared, lambda a, cid: sv.audit_log.log_access_log_print(a, cid)),
            "audit_log.entries(case)": (shared, lambda a, cid: sv.audit_log.entries(a, case_id=cid)),
            "audit_log.case_for_access_log": (shared, lambda a, cid: sv.audit_log.case_for_access_log(
                a, _case_number(sv, cid))),
        },
    }


def _case_column(services, case_id: int, column):
    with services.db.read() as s:
        return s.scalar(select(column).where(Case.id == case_id))


def _coordinator_of(services, case_id: int) -> int:
    return _case_column(services, case_id, Case.coordinator_id)


def _case_number(services, case_id: int) -> str:
    return _case_column(services, case_id, Case.case_number)


def _digest(services) -> str:
    """Every row of every table: a refused call must leave this unchanged."""
    h = hashlib.sha256()
    with services.db.read() as s:
        conn = s.connection()
        for table in Base.metadata.sorted_tables:
            order = ", ".join(c.name for c in table.primary_key.columns)
            # Plain SQL: the rows as stored, without the ORM's type conversions (this runs for every cell).
            for row in conn.exec_driver_sql(f"SELECT * FROM {table.name} ORDER BY {order}"):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


class WriteWatch:
    """Counts the transactions that commit an INSERT, UPDATE or DELETE on the engine: a refused call
    must commit none (the digests around the refused cells check the rows themselves)."""

    def __init__(self, engine):
        self.writes = 0
        self._dirty: set[int] = set()
        event.listen(engine, "before_cursor_execute", self._execute)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _execute(self, conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self._dirty.add(id(conn))

    def _commit(self, conn) -> None:
        if id(conn) in self._dirty:
            self.writes += 1
        self._dirty.discard(id(conn))

    def _rollback(self, conn) -> None:
        self._dirty.discard(id(conn))


class _AnyWorld:
    """Stands in for a World to list the calls' names (nothing is prepared or called)."""

    def __getattr__(self, name):
        return None


CALLS = [(action, name) for action, calls in _calls(_AnyWorld()).items() for name in calls]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix(request, new_database):
    """One database per backend for every test here: the shared users and a World per role, each
    with its calls (``calls[role][action][name]``)."""
    clock = FakeClock(NOW)
    db = open_database(new_database(request.param))
    if db.engine.dialect.name == "sqlite":
        # Commits that wait for no disk, as the test PostgreSQL server runs with fsync=off: these tests
        # are about who may do what, and a run commits some thousands of transactions.
        event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA synchronous=OFF"))
        db.engine.dispose()
    services = Services(db, clock=clock)
    people = People(services)
    worlds = {role: World(services, clock, people, role) for role in ROLES}
    yield SimpleNamespace(services=services, clock=clock, worlds=worlds, watch=WriteWatch(services.db.engine),
                          calls={role: _calls(w) for role, w in worlds.items()})
    services.close()


def _outcome(call, actor, args) -> str:
    try:
        call(actor, args)
        return "allowed"
    except NeedToKnow:
        return "need-to-know"
    except PermissionDenied:
        return "denied"


def test_every_case_call_is_listed():
    assert len(CALLS) == 49


@pytest.mark.parametrize(("action", "name"), CALLS, ids=[name for _action, name in CALLS])
def test_every_role_every_situation(matrix, action, name):
    m = matrix
    m.clock.now = NOW
    cells = []   # (role, situation, call, args, expected allowed), all prepared before any runs
    for role in ROLES:
        prepare, call = m.calls[role][action][name]
        cells += [(role, sit, call, prepare(sit), expected(role, action, sit)) for sit in SITUATIONS]
    wrong = []
    before = _digest(m.services)
    for role, situation, call, args, _want in (c for c in cells if not c[4]):
        writes = m.watch.writes
        got = _outcome(call, m.worlds[role].actor, args)
        where = f"{role} {situation}"
        if got == "allowed":
            wrong.append(f"{where}: expected refused, was allowed")
        elif m.watch.writes != writes:
            wrong.append(f"{where}: refused but wrote to the database")
        # A role the matrix allows, refused for need-to-know only: the UI can offer a reason.
        elif permissions.allowed(role, {CONFERENCE: "conference.write"}.get(action, action)) \
                and role != "admin" and got != "need-to-know":
            wrong.append(f"{where}: refused with {got}, not need-to-know")
    if _digest(m.services) != before:
        wrong.append("the refused calls together changed the database")
    for role, situation, call, args, _want in (c for c in cells if c[4]):
        got = _outcome(call, m.worlds[role].actor, args)
        if got != "allowed":
            wrong.append(f"{role} {situation}: expected allowed, got {got}")
    assert len(cells) == len(ROLES) * len(SITUATIONS)
    assert wrong == [], "\n".join(wrong)
