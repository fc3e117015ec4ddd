"""Seed 000's Table 2 (the KIA pilot in Copenhagen, 2008) as closed cases, for the statistics tests.

The seed's quarter columns (33 closed in 1st quarter, 48 in 2nd) and its total column (99 closed by
1 November 2008) cannot both hold in one database: the quarters have 2 + 3 = 5 closed as "Raskmeldt
a-kasse" where the total says 4. So there are two builders: ``seed_quarters`` gives the quarter
columns exactly (and 18 more cases closed in 3rd quarter, making 99 and the seed's 20 "Andet"
with its six reasons), ``seed_totals`` gives the total column exactly (26 + 13 + 4 of 99 = 43 %).
"""
from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from app.reports.codes import OTHER_REASONS, STATUSES
from db.base import utcnow
from db.models import Case, CatalogItem, Citizen
from tests.factories import fictitious_cpr

STATUS_ORDER = ("fuld_tid", "deltid", "a_kasse", "revalidering", "arbejdsproevning", "fortsat_sygemeldt", "andet")
Q1 = dict(zip(STATUS_ORDER, (8, 5, 2, 1, 0, 15, 2), strict=True))
Q2 = dict(zip(STATUS_ORDER, (18, 8, 3, 0, 1, 15, 3), strict=True))
Q1_PERCENT = dict(zip(STATUS_ORDER, (24, 15, 6, 3, 0, 45, 6), strict=True))
Q2_PERCENT = dict(zip(STATUS_ORDER, (38, 17, 6, 0, 2, 31, 6), strict=True))
TOTAL = dict(zip(STATUS_ORDER, (26, 13, 4, 1, 1, 34, 20), strict=True))
TOTAL_PERCENT = TOTAL  # 99 cases: each count rounds to itself
ANDET = {"ikke_i_maalgruppen": 6, "ikke_moedt": 1, "oensker_ikke_tilbud": 1, "flyttet": 2,
         "raskmeldt_foer_start": 9, "andet_forloeb": 1}
PERIOD = (dt.date(2008, 1, 1), dt.date(2008, 9, 30))

_serial = itertools.count(500)


def _reasons(n: int, pool: list[str]) -> list[str | None]:
    return [pool.pop(0) for _ in range(n)]


def add_closed(services, closed: list[tuple[dt.date, str, str | None]], *, subgroup: int | None = 1) -> None:
    """Closed cases set up directly: (closing date, report status code, report reason code)."""
    with services.db.write() as s:
        cat = {(k, c): i for i, k, c in s.execute(select(CatalogItem.id, CatalogItem.kind, CatalogItem.code))}
        for closed_date, status, reason in closed:
            n = next(_serial)
            birth = dt.date(1960 + n % 30, 1 + n % 12, 1 + n % 28)
            cit = Citizen(cpr=fictitious_cpr(birth, n), first_name=f"Seed{n}", last_name="Kia", birth_date=birth,
                          sex="female" if n % 3 else "male")
            s.add(cit)
            s.flush()
            referred = closed_date - dt.timedelta(days=84)
            s.add(Case(case_number=f"TTA-K-{n:05d}", citizen_id=cit.id, phase="closed", referral_date=referred,
                       sick_leave_start=referred - dt.timedelta(days=35), employment_status="employed",
                       employer_name="Københavns Kommune", subgroup=subgroup, last_activity_at=utcnow(),
                       visitation_decision="accepted", closed_date=closed_date,
                       outcome_id=cat["outcome", STATUSES[status][0]],
                       other_reason_id=cat["other_reason", OTHER_REASONS[reason][0]] if reason else None))


def seed_quarters(services) -> None:
    """The seed's two quarter columns in 2008 K1 and K2, and 18 more in K3: 99 closed, 20 "Andet"."""
    pool = ["ikke_moedt", "flyttet",                                 # 1st quarter's 2
            "oensker_ikke_tilbud", "flyttet", "andet_forloeb"]       # 2nd quarter's 3
    pool += ["ikke_i_maalgruppen"] * 6 + ["raskmeldt_foer_start"] * 9  # 3rd quarter's 15
    rows: list[tuple[dt.date, str, str | None]] = []
    for day, counts in ((dt.date(2008, 2, 15), Q1), (dt.date(2008, 5, 15), Q2)):
        for status, n in counts.items():
            rows += [(day, status, pool.pop(0) if status == "andet" else None) for _ in range(n)]
    rows += [(dt.date(2008, 8, 15), "fortsat_sygemeldt", None)] * 3
    rows += [(dt.date(2008, 8, 15), "andet", pool.pop(0)) for _ in range(15)]
    assert not pool and len(rows) == 99
    add_closed(services, rows)


def seed_totals(services) -> None:
    """The seed's total column: 99 closed (all in 2008 K3), 26 + 13 + 4 back at work = 43 %."""
    pool = [code for code, n in ANDET.items() for _ in range(n)]
    rows = [(dt.date(2008, 8, 15), status, pool.pop(0) if status == "andet" else None)
            for status, n in TOTAL.items() for _ in range(n)]
    add_closed(services, rows)
