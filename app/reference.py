"""Reference data every database starts with: catalogues, follow-up rules and default settings.

Idempotent: items that exist (by kind and code) are left as the users edited them.
"""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.letter_templates import DEFAULT_TEMPLATES
from db.models import CatalogItem, DeadlineRuleSet, FollowUpRule, LetterTemplate, PlanTemplate, Setting

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

_GUIDE = "Samarbejde om sundhedsindsatser for sygedagpengemodtagere (KL, 2011), afsnit 2.1"
_TTA = "TTA-forløbets egen rytme (KIA-modellen)"
_TTA_RULES = [
    ("tta_plan_review", "plan_review", "Opfølgning på handlingsplanen", {"interval_weeks": 4}, _TTA),
    ("tta_course_end", "course_end", "Forløbets planlagte afslutning",
     {"groups_1_3": 13, "with_workplace": 26, "without_workplace": 52}, _TTA + ", undergrupper 1-3 og 4-8"),
    ("tta_round_table", "round_table_follow_up", "Opfølgning efter rundbordssamtale", {"weeks_after": 4}, _TTA),
]
_SDP_RULES = [
    ("sdp_first", "first_follow_up", "Første personlige opfølgningssamtale (senest uge 8)", {"week": 8},
     "Sygedagpengeloven § 13 b"),
    ("sdp_count", "count_in_period", "Opfølgningssamtale",
     {"count": 4, "months": 6, "first_week": 8}, "Sygedagpengeloven § 13 b"),
    ("sdp_reassessment", "reassessment", "Revurdering (omkring uge 22)", {"week": 22},
     "Sygedagpengeloven § 24 (revurdering)"),
]
# Rule sets with valid-from dates (DOMAIN.md "Follow-up rhythm", seed 003); the administrator edits the
# rules and adds a set when the law changes. (code, kind, label, params, source) per rule.
RULE_SETS = [
    ("Vejledning 2011", dt.date(2009, 1, 1), [
        ("guide_first", "first_follow_up", "Første personlige opfølgningssamtale (senest efter 8 ugers sygdom)",
         {"week": 8}, _GUIDE),
        ("guide_repeat", "repeat_follow_up", "Opfølgningssamtale",
         {"interval_months": 3, "active_interval_weeks": 4, "until_week": 52},
         _GUIDE + ": hver 3. måned, mindst hver 4. uge ved delvis genoptagelse eller tilbud"),
        *_TTA_RULES]),
    ("Sygedagpengeloven § 13 b", dt.date(2014, 7, 1), [*_SDP_RULES, *_TTA_RULES]),
    ("Aftale 2024 (i kraft 2025)", dt.date(2025, 1, 1), [
        *_SDP_RULES,
        ("sdp_stop_13w", "stop_after_first", "Ingen yderligere opfølgning ved forventet tilbagevenden inden for "
         "13 uger", {"return_within_weeks": 13}, "Sygedagpengeloven § 13 b som ændret ved aftale 2024 (i kraft 2025)"),
        *_TTA_RULES]),
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

    if session.scalar(select(DeadlineRuleSet.id).limit(1)) is None:
        for name, valid_from, rules in RULE_SETS:
            rule_set = DeadlineRuleSet(name=name, valid_from=valid_from)
            session.add(rule_set)
            session.flush()
            for n, (code, kind, label, params, source) in enumerate(rules):
                session.add(FollowUpRule(rule_set_id=rule_set.id, code=code, kind=kind, label=label,
                                         valid_from=valid_from, params_json=json.dumps(params), source=source,
                                         sort_order=n))
            added += 1 + len(rules)

    template_codes = set(session.scalars(select(LetterTemplate.code)))
    for t in DEFAULT_TEMPLATES:
        if t["code"] not in template_codes:
            session.add(LetterTemplate(**t))
            added += 1

    keys = set(session.scalars(select(Setting.key)))
    for key, value in DEFAULT_SETTINGS.items():
        if key not in keys:
            session.add(Setting(key=key, value_json=json.dumps(value, ensure_ascii=False)))
            added += 1
    return added
