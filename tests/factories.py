"""Test data set up directly in the database (as an earlier session would have left it)."""
from __future__ import annotations

import datetime as dt
import itertools

from app.services import Services
from db.base import utcnow
from db.models import Case, Citizen

_seq = itertools.count(1)


def fictitious_cpr(birth: dt.date, serial: int) -> str:
    """A replacement-style CPR (day + 60) that cannot belong to a real person."""
    d7 = 0 if birth.year < 2000 else 4
    return f"{birth.day + 60:02d}{birth.month:02d}{birth.year % 100:02d}{d7}{serial % 1000:03d}"


def make_case(services: Services, *, first_name: str = "Mette", last_name: str = "Østergaard",
              birth: dt.date = dt.date(1984, 5, 17), phase: str = "assessment", coordinator_id: int | None = None,
              referral_date: dt.date = dt.date(2026, 10, 1), sick_leave_start: dt.date = dt.date(2026, 9, 1),
              subgroup: int | None = 1) -> int:
    n = next(_seq)
    with services.db.write() as s:
        cit = Citizen(cpr=fictitious_cpr(birth, n), first_name=first_name, last_name=last_name,
                      birth_date=birth, sex="female")
        s.add(cit)
        s.flush()
        case = Case(case_number=f"TTA-T-{n:05d}", citizen_id=cit.id, phase=phase, referral_date=referral_date,
                    sick_leave_start=sick_leave_start, employment_status="employed", employer_name="Region Test",
                    subgroup=subgroup, coordinator_id=coordinator_id, last_activity_at=utcnow(),
                    visitation_decision="accepted" if phase not in ("referral", "visitation") else "pending")
        s.add(case)
        s.flush()
        return case.id
