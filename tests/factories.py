"""Test data builders: users and cases set up directly in the database (as an earlier session
would have left them), and the inputs a form would hand to a service."""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from app.security import hash_password
from app.services import Actor, Services
from db.base import utcnow
from db.models import Case, CaseTeamMember, Citizen, Task, User

_seq = itertools.count(1)
_hashes: dict[str, str] = {}


def _cached_hash(password: str) -> str:
    """argon2 is deliberately slow; most tests share one password, so hash it once."""
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    return _hashes[password]


def make_user(services: Services, role: str, username: str | None = None, password: str = "hemmelig123", *,
              full_name: str | None = None) -> Actor:
    """Create a user of ``role`` directly (as an administrator would) and log in."""
    username = username or f"{role}{next(_seq)}"
    with services.db.write() as s:
        s.add(User(username=username, full_name=full_name or f"Test {role.title()}", role=role,
                   password_hash=_cached_hash(password)))
    return services.auth.login(username, password)


def referral_input(**over) -> dict:
    """A valid referral form, keyed by the names in app.case_fields.CASE_FIELDS; ``over`` replaces
    single fields."""
    base = dict(cpr="741284-1234", first_name="Åse", last_name="Østergaard", address="Nørregade 4",
                postcode="8000", city="Aarhus C", phone="20 30 40 50", email="aase@post.example",
                referral_date=dt.date(2026, 11, 10), sick_leave_start=dt.date(2026, 10, 5),
                referring_jobcentre="Jobcenter Aarhus", caseworker_name="Bente Lund", employment_status="employed",
                employer_name="Aarhus Kommune", job_title="Pædagog",
                contacts=[{"kind": "manager", "name": "Karen Holm", "phone": "8940 0000"}],
                gp_name="Lægerne i Vestergade", absence_reasons=["stress", "anxiety"], icd10=["F43.2", "df412"],
                wage_earner=True, socio_economic_level="wage_basic")
    base.update(over)
    return base


def fictitious_cpr(birth: dt.date, serial: int) -> str:
    """A replacement-style CPR (day + 60) that cannot belong to a real person."""
    d7 = 0 if birth.year < 2000 else 4
    return f"{birth.day + 60:02d}{birth.month:02d}{birth.year % 100:02d}{d7}{serial % 1000:03d}"


def make_case(services: Services, *, first_name: str = "Mette", last_name: str = "Østergaard",
              birth: dt.date = dt.date(1984, 5, 17), phase: str = "assessment", coordinator_id: int | None = None,
              referral_date: dt.date = dt.date(2026, 10, 1), sick_leave_start: dt.date = dt.date(2026, 9, 1),
              subgroup: int | None = 1, team_member_ids: Iterable[int] = (),
              normal_hours: float | None = None, closed_date: dt.date | None = None) -> int:
    """A case set up directly; ``team_member_ids`` are put on its team (the record's Teammedlemmer)
    as stored, without the service's rule of who may join. A ``closed_date`` closes it."""
    n = next(_seq)
    with services.db.write() as s:
        cit = Citizen(cpr=fictitious_cpr(birth, n), first_name=first_name, last_name=last_name,
                      birth_date=birth, sex="female")
        s.add(cit)
        s.flush()
        case = Case(case_number=f"TTA-T-{n:05d}", citizen_id=cit.id,
                    phase="closed" if closed_date else phase, referral_date=referral_date,
                    sick_leave_start=sick_leave_start, employment_status="employed", employer_name="Region Test",
                    subgroup=subgroup, coordinator_id=coordinator_id, last_activity_at=utcnow(),
                    normal_hours_per_week=normal_hours, closed_date=closed_date,
                    visitation_decision="accepted" if phase not in ("referral", "visitation") else "pending")
        s.add(case)
        s.flush()
        for user_id in team_member_ids:
            s.add(CaseTeamMember(case_id=case.id, user_id=user_id))
        return case.id


def save_settings(services: Services, actor: Actor, changes: dict) -> dict[str, int]:
    """Save settings as the Administration page does: against the versions just read."""
    from app.reference import DEFAULT_SETTINGS
    versions = services.settings.read([k for k in changes if k in DEFAULT_SETTINGS]).versions
    return services.settings.save(actor, changes, expected_versions=versions)


def record_after_follow_up(services: Services, actor: Actor, case_id: int, *, months: int, **values) -> None:
    """Record an after-follow-up as the dialog does: against the version just listed."""
    version = next(a.version for a in services.after_follow_up.list_for_case(actor, case_id) if a.months == months)
    services.after_follow_up.record(actor, case_id, months=months, expected_version=version, **values)


def add_task(services, owner, *, title, due, case_id=None):
    with services.db.write() as s:
        s.add(Task(title=title, due_date=due, owner_id=owner.user_id, created_by_id=owner.user_id, case_id=case_id))


def plan_values(**over) -> dict:
    """A plan form with two goals, two interventions and a six-week schedule up to 30 hours."""
    start = dt.date(2026, 11, 30)
    base = dict(
        overall_goal="own_job", expected_return_date=dt.date(2027, 2, 1), target_hours=30.0,
        purpose="At borgeren vender tilbage til sit job på 30 timer.",
        citizen_view="Jeg vil gerne tilbage, men i mit eget tempo.",
        work_adaptations="Ingen telefonvagt de første uger.",
        goals=[{"owner": "citizen", "text": "Gå en tur hver dag", "target_date": dt.date(2026, 12, 20)},
               {"owner": "team", "text": "Rundbordssamtale med lederen", "target_date": None}],
        interventions=[{"intervention": "psych_conversations", "responsible_id": None, "start_date": start,
                        "end_date": None, "status": "planned", "note": "Hver 14. dag"},
                       {"intervention": "round_table", "responsible_id": None, "start_date": start,
                        "end_date": start, "status": "planned", "note": ""}],
        weeks=[{"starts_on": start + dt.timedelta(weeks=k), "weekdays": "man, ons, fre",
                "hours_per_week": float(h), "tasks": "Kendte opgaver", "accommodations": "Fast pause",
                "follow_up": "Ugentlig samtale", "actual_hours": None}
               for k, h in enumerate((8, 12, 16, 20, 25, 30))])
    base.update(over)
    return base


class FakeClock:
    """A settable UTC clock for lockout and idle tests (the ``clock`` fixture)."""

    def __init__(self, start: dt.datetime | None = None):
        self.now = start or dt.datetime(2026, 11, 22, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)
