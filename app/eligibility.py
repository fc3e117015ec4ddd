"""Visitation criteria (KIA): evaluated from the referral, each as met / not met / unknown.

The criteria are settings (Administration), never constants: the target group has changed before.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.dates import weeks_between
from app.validation import age_on, is_mental_health_code

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
STATUS_LABELS = {MET: "Opfyldt", NOT_MET: "Ikke opfyldt", UNKNOWN: "Ukendt"}
MENTAL_HEALTH_REASONS = {"stress", "depression", "anxiety", "burnout"}


@dataclass(frozen=True)
class CriterionResult:
    code: str
    label: str
    status: str
    explanation: str


def evaluate(criteria: dict, *, birth_date: dt.date, referral_date: dt.date, sick_leave_start: dt.date,
             wage_earner: bool | None, icd10_codes: list[str],
             absence_reason_codes: list[str]) -> list[CriterionResult]:
    out = []
    age = age_on(birth_date, referral_date)
    lo, hi = criteria["min_age"], criteria["max_age"]
    out.append(CriterionResult("age", f"Alder {lo}-{hi} år", MET if lo <= age <= hi else NOT_MET,
                               f"{age} år ved henvisning"))
    weeks = weeks_between(sick_leave_start, referral_date)
    lo, hi = criteria["min_sick_weeks"], criteria["max_sick_weeks"]
    out.append(CriterionResult("sick_weeks", f"Sygemeldt {lo}-{hi} uger ved henvisning",
                               MET if lo <= weeks <= hi else NOT_MET, f"uge {weeks} ved henvisning"))
    if criteria.get("require_wage_earner", True):
        status = UNKNOWN if wage_earner is None else (MET if wage_earner else NOT_MET)
        out.append(CriterionResult("wage_earner", "Lønmodtager", status,
                                   {MET: "Ja", NOT_MET: "Nej", UNKNOWN: "Ikke oplyst"}[status]))
    if criteria.get("require_mental_health", True):
        mh_codes = [c for c in icd10_codes if is_mental_health_code(c)]
        mh_reasons = [r for r in absence_reason_codes if r in MENTAL_HEALTH_REASONS]
        if mh_codes or mh_reasons:
            status, why = MET, ", ".join(mh_codes + mh_reasons)
        elif icd10_codes or absence_reason_codes:
            status, why = NOT_MET, "Ingen kode i F30-F48 og ingen psykisk årsag angivet"
        else:
            status, why = UNKNOWN, "Hverken diagnose eller årsag oplyst"
        out.append(CriterionResult("mental_health", "Fravær helt eller delvist pga. psykisk helbred "
                                   "(F30-F39, F40-F48, stress, udbrændthed)", status, why))
    return out


def all_met(results: list[CriterionResult]) -> bool:
    return all(r.status == MET for r in results)
