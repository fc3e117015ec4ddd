"""Reference data every database starts with: catalogues, follow-up rules and default settings.

Idempotent: items that exist (by kind and code) are left as the users edited them.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CatalogItem, FollowUpRule, PlanTemplate, Setting

OUTCOMES = [  # (code, label, counts as return to work); labels as seed 000's Table 2
    ("full_return", "Raskmeldt fuld tid", True),
    ("part_time_return", "Raskmeldt deltid", True),
    ("fit_to_akasse", "Raskmeldt a-kasse", True),
    ("rehabilitation", "Revalidering", False),
    ("work_trial", "Arbejdsprøvning", False),
    ("still_sick", "Fortsat sygemeldt", False),
    ("other", "Andet", False),
]

OTHER_REASONS = [  # (code, label, after visitation)
    ("not_target_group", "Ikke i målgruppen", True),
    ("no_show", "Ikke mødt", True),
    ("declined", "Ønsker ikke tilbud", True),
    ("moved", "Flyttet", False),
    ("fit_before_start", "Raskmeldt før start", False),
    ("other_programme", "Var i andet forløb", False),
]

SUBGROUPS = [
    ("1", "1. Arbejdsrelateret stress"),
    ("2", "2. Stress/krise udløst af privatlivet"),
    ("3", "3. Let til moderat depression"),
    ("4", "4. Moderat til svær depression (første eller tilbagevendende)"),
    ("5", "5. Traume fra arbejdet (mobning, chikane, konflikter med ledelsen)"),
    ("6", "6. Traume fra private, ubearbejdede oplevelser"),
    ("7", "7. PTSD efter hændelser på arbejdet"),
    ("8", "8. Udbrændthed"),
]

ABSENCE_REASONS = [
    ("stress", "Stress"), ("depression", "Depression"), ("anxiety", "Angst"),
    ("burnout", "Udbrændthed"), ("chronic_fatigue", "Kronisk træthed"), ("other", "Andet"),
]

INTERVENTIONS = [
    ("psych_conversations", "Individuelle støttende og afklarende samtaler med psykolog"),
    ("workplace_consultant", "Samtaler med arbejdspladskonsulent"),
    ("stress_course", "Stresshåndteringskursus"),
    ("communication_course", "Kursus i kommunikation og konflikthåndtering"),
    ("doctor_motivation", "Motiverende samtaler med læge om behandling"),
    ("physical_activity", "Fysisk aktivitet og dagsstruktur"),
    ("workplace_visit", "Arbejdspladsbesøg"),
    ("round_table", "Rundbordssamtale"),
    ("gradual_return", "Gradvis tilbagevenden med nedsat tid og tilpassede opgaver"),
    ("work_focused_cbt", "Arbejdsfokuseret kognitiv terapi"),
    ("job_matching", "Jobmatch ved jobkonsulent"),
    ("workplace_mentor", "Mentor på arbejdspladsen"),
]

# The KIA courses (DOMAIN.md, "Eight subgroups") as the first plan templates; the team lead edits them.
PLAN_TEMPLATES = [
    dict(name="Grupper 1-3: fastholdelse i tre måneder", subgroups="1,2,3", workplace="any", overall_goal="own_job",
         weeks=13, purpose="At borgeren fastholder sit job og vender tilbage på fuld tid inden for cirka tre måneder.",
         team_goals="Rundbordssamtale med arbejdspladsen inden for fire uger\nAftale tilpassede opgaver med "
                    "nærmeste leder\nFuld tid ved forløbets slutning",
         interventions="psych_conversations,stress_course,round_table,gradual_return", gradual_weeks=6,
         gradual_start_hours=10),
    dict(name="Grupper 4-8 med arbejdsplads: gradvis start", subgroups="4,5,6,7,8", workplace="with",
         overall_goal="own_job", weeks=26,
         purpose="At borgeren gradvist genoptager arbejdet med langsomt stigende timer og delvis raskmelding.",
         team_goals="Sikre behandling hos egen læge eller psykiater\nEtablere delvis raskmelding med gradvis "
                    "optrapning\nRundbordssamtale før opstart",
         interventions="psych_conversations,doctor_motivation,workplace_visit,round_table,gradual_return",
         gradual_weeks=10, gradual_start_hours=6),
    dict(name="Grupper 4-8 uden arbejdsplads: afklaring", subgroups="4,5,6,7,8", workplace="without",
         overall_goal="clarification", weeks=52,
         purpose="At afklare borgerens arbejdsevne, kvalificere og anbefale den næste indsats.",
         team_goals="Afklare arbejdsevnen\nJobmatch med jobkonsulent\nAnbefale næste indsats til jobcentret",
         interventions="psych_conversations,physical_activity,job_matching,workplace_mentor", gradual_weeks=0,
         gradual_start_hours=8),
]

REJECTION_REASONS = [
    ("age", "Uden for aldersgruppen"),
    ("sick_weeks", "Sygemeldingens varighed uden for kriterierne"),
    ("not_wage_earner", "Ikke lønmodtager"),
    ("not_mental_health", "Fraværet skyldes ikke psykiske helbredsproblemer"),
    ("needs_treatment", "Behov for behandling i psykiatrien først"),
    ("declined", "Borgeren ønsker ikke forløbet"),
    ("other", "Andet"),
]

NEXT_EFFORTS = [
    ("none", "Ingen yderligere indsats"),
    ("workplace_follow_up", "Opfølgning på arbejdspladsen"),
    ("jobcentre_follow_up", "Fortsat opfølgning i jobcentret"),
    ("rehabilitation_team", "Rehabiliteringsteam"),
    ("work_trial", "Arbejdsprøvning"),
    ("flex_job", "Afklaring af fleksjob"),
    ("treatment", "Behandling i sundhedsvæsenet"),
    ("education", "Uddannelse eller opkvalificering"),
]

FOLLOW_UP_RULES = [
    ("guide_2011", "Første opfølgningssamtale senest uge 8, derefter mindst hver 3. måned; hver 4. uge ved "
     "delvis genoptagelse eller aktivt tilbud", dt.date(2009, 1, 1), dt.date(2014, 6, 30),
     {"first_contact_by_week": 8, "interval_weeks": 13, "interval_weeks_active": 4},
     "Vejledning om samarbejde mellem jobcenter og sundhedscenter (2011)"),
    ("sdp_13b", "Mindst 4 opfølgninger de første 6 måneder, den første personlige senest ved udgangen af uge 8; "
     "revurdering omkring uge 22", dt.date(2014, 7, 1), None,
     {"first_contact_by_week": 8, "min_follow_ups_first_6_months": 4, "reassessment_week": 22},
     "Sygedagpengeloven § 13 b"),
]

DEFAULT_SETTINGS = {
    "eligibility": {"min_age": 20, "max_age": 60, "min_sick_weeks": 4, "max_sick_weeks": 12,
                    "require_wage_earner": True, "require_mental_health": True},
    "idle_lock_minutes": 10,
    "letterhead": {"organisation": "TTA-teamet", "department": "Jobcenter", "address": "", "postcode_city": "",
                   "phone": "", "email": "", "cvr": ""},
    "audit_retention_months": 6,
    "backup_folder": "",   # empty: "sikkerhedskopier" beside the database (app.services.backup)
}


def seed_reference_data(session: Session) -> int:
    """Insert what is missing; returns how many rows were added."""
    existing = set(session.execute(select(CatalogItem.kind, CatalogItem.code)).all())
    added = 0

    def add(kind: str, code: str, label: str, order: int, **extra) -> None:
        nonlocal added
        if (kind, code) not in existing:
            session.add(CatalogItem(kind=kind, code=code, label=label, sort_order=order, **extra))
            added += 1

    for i, (code, label, ret) in enumerate(OUTCOMES):
        add("outcome", code, label, i, counts_as_return=ret)
    for i, (code, label, after) in enumerate(OTHER_REASONS):
        add("other_reason", code, label, i, after_visitation=after)
    for kind, items in (("subgroup", SUBGROUPS), ("absence_reason", ABSENCE_REASONS),
                        ("intervention", INTERVENTIONS), ("rejection_reason", REJECTION_REASONS),
                        ("next_effort", NEXT_EFFORTS)):
        for i, (code, label) in enumerate(items):
            add(kind, code, label, i)

    if session.scalar(select(PlanTemplate.id).limit(1)) is None:
        session.add_all(PlanTemplate(**t) for t in PLAN_TEMPLATES)
        added += len(PLAN_TEMPLATES)

    rule_codes = set(session.scalars(select(FollowUpRule.code)))
    for code, label, valid_from, valid_to, params, source in FOLLOW_UP_RULES:
        if code not in rule_codes:
            session.add(FollowUpRule(code=code, label=label, valid_from=valid_from, valid_to=valid_to,
                                     params_json=json.dumps(params), source=source))
            added += 1

    keys = set(session.scalars(select(Setting.key)))
    for key, value in DEFAULT_SETTINGS.items():
        if key not in keys:
            session.add(Setting(key=key, value_json=json.dumps(value, ensure_ascii=False)))
            added += 1
    return added
