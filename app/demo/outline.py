"""Pass 1: the outline of every case, before any row is written.

How many cases are in each phase, which subgroup, when each step happened counted from the
referral, how a closed case ended, and who the citizen is.
"""
from __future__ import annotations

import datetime as dt

from app.demo.context import CaseOutline, DemoContext
from app.demo.people import EMPLOYERS, JOB_TITLES, JOBCENTRE_WEIGHTS, JOBCENTRES, fictitious_cpr, person_name
from db import codes

PHASE_WEIGHTS = {"referral": 0.05, "visitation": 0.05, "assessment": 0.15, "plan": 0.15, "intervention": 0.20,
                 "follow_up": 0.10, "closed": 0.30}
SUBGROUP_WEIGHTS = (18, 12, 16, 12, 12, 8, 6, 16)
OUTCOMES_EMPLOYED = (("full_return", 31), ("part_time_return", 17), ("fit_to_akasse", 2),
                     ("rehabilitation", 4), ("work_trial", 5), ("still_sick", 29), ("other", 12))
OUTCOMES_NOT_EMPLOYED = (("full_return", 7), ("part_time_return", 3), ("fit_to_akasse", 37),
                         ("rehabilitation", 11), ("work_trial", 17), ("still_sick", 15), ("other", 10))
REJECTION_WEIGHTS = (("age", 10), ("sick_weeks", 20), ("not_wage_earner", 10), ("not_mental_health", 20),
                     ("needs_treatment", 20), ("declined", 15), ("other", 5))
# How heavy each subgroup is (1-3): team size, instrument scores, assessment degrees follow it.
SUBGROUP_SEVERITY = {1: 1, 2: 1, 3: 2, 4: 3, 5: 2, 6: 2, 7: 3, 8: 2, None: 2}


def plan_cases(ctx: DemoContext, n: int, existing_cprs: set[str]) -> list[CaseOutline]:
    """Outlines of ``n`` cases spread over the phases, sorted by referral date and numbered."""
    r = ctx.rng
    counts = {p: int(n * w) for p, w in PHASE_WEIGHTS.items()}
    if n >= len(codes.PHASES):
        for p in codes.PHASES:
            counts[p] = max(1, counts[p])
    counts["closed"] += n - sum(counts.values())
    if counts["closed"] < 0:  # tiny n: trim from the front
        for p in codes.PHASES:
            while counts["closed"] < 0 and counts[p] > 0 and p != "closed":
                counts[p] -= 1
                counts["closed"] += 1
    phases = [p for p in codes.PHASES for _ in range(counts[p])]
    r.shuffle(phases)

    outlines = [_plan_case(ctx, p) for p in phases]
    # Make sure every subgroup occurs (the small demo should show all eight).
    with_sg = [c for c in outlines if c.sg is not None]
    if len(with_sg) >= 8:
        for i, c in enumerate(r.sample(with_sg, 8)):
            c.sg = i + 1
    for c in outlines:
        _fill_person(ctx, c, existing_cprs)
    outlines.sort(key=lambda c: c.referred_on)
    per_year: dict[int, int] = {}
    for c in outlines:
        year = c.referred_on.year
        per_year[year] = per_year.get(year, 0) + 1
        c.number = f"TTA-{year}-{per_year[year]:05d}"
    return outlines


def _plan_case(ctx: DemoContext, phase: str) -> CaseOutline:
    r = ctx.rng
    c = CaseOutline()
    c.phase = phase
    c.kind = "open"
    c.outcome = c.other_reason = c.rejection = c.outside = None
    c.employment = ctx.weighted((("employed", 72), ("dismissed", 12), ("resigned", 8), ("unemployed", 8)))
    c.sg = None
    if phase not in ("referral", "visitation"):
        c.sg = r.choices(range(1, 9), SUBGROUP_WEIGHTS)[0]
    if phase == "closed":
        x = r.random()
        if x < 0.07:
            c.kind = "rejected"
        elif x < 0.10:
            c.kind = "never"
        else:
            ladder = OUTCOMES_EMPLOYED if c.employment == "employed" else OUTCOMES_NOT_EMPLOYED
            c.outcome = ctx.weighted(ladder)
            c.kind = "early" if c.outcome == "other" else "full"
        if c.kind in ("rejected", "never"):
            c.sg = None
            c.outcome = "other"
    long = c.sg is not None and c.sg >= 4
    c.vis = r.randint(4, 14)
    c.ass_start = c.vis + r.randint(2, 10)
    c.ass_done = c.ass_start + r.randint(14, 35)
    c.plan_created = c.ass_done + r.randint(1, 4)
    c.plan_approved = c.plan_created + r.randint(3, 12)
    if not long:
        length = r.randint(35, 70)
    elif c.employment == "employed":
        length = r.randint(70, 180)
    else:
        length = r.randint(120, 250)
    c.interv_end = c.plan_approved + length
    c.close = c.interv_end + r.randint(14, 42)

    if c.kind == "rejected":
        c.rejection = ctx.weighted(REJECTION_WEIGHTS)
        c.other_reason = "declined" if c.rejection == "declined" else "not_target_group"
        c.close = c.vis
    elif c.kind == "never":
        c.other_reason = ctx.in_turn("never_started", ("moved", "fit_before_start", "other_programme"))
        c.close = r.randint(1, c.vis - 1)
    elif c.kind == "early":
        c.other_reason = r.choice(("no_show", "declined", "declined", "not_target_group"))
        c.close = c.ass_start + r.randint(3, 40)

    # Where is "today" in the case's life?
    if phase == "referral":
        c.t = r.randint(0, max(0, c.vis // 3))
    elif phase == "visitation":
        c.t = r.randint(c.vis // 3 + 1, c.vis - 1)
    elif phase == "assessment":
        c.t = r.randint(c.vis, c.ass_done - 1)
    elif phase == "plan":
        c.t = r.randint(c.plan_created, c.plan_approved - 1)
    elif phase == "intervention":
        c.t = r.randint(c.plan_approved, c.interv_end - 1)
    elif phase == "follow_up":
        c.t = r.randint(c.interv_end, c.close - 1)
    else:
        c.t = r.randint(c.close, max(c.close, 540))
    c.last_day = c.close if phase == "closed" else c.t
    c.referred_on = ctx.today - dt.timedelta(days=c.t)

    accepted = phase not in ("referral", "visitation") and c.kind not in ("rejected", "never")
    if accepted and r.random() < 0.05:
        c.outside = r.choice(("age", "sick_weeks", "wage_earner", "diagnosis"))
    return c


def _fill_person(ctx: DemoContext, c: CaseOutline, existing_cprs: set[str]) -> None:
    r = ctx.rng
    c.sex = "female" if r.random() < 0.64 else "male"
    c.first, c.last = person_name(r, c.sex)
    if c.outside == "age" or c.rejection == "age":
        age = r.randint(61, 64)
    elif r.random() < 0.85:
        age = r.randint(25, 58)
    else:
        age = r.randint(20, 60)
    c.birth = c.referred_on - dt.timedelta(days=age * 365 + r.randint(age // 4, age // 4 + 364))
    c.cpr = fictitious_cpr(r, c.birth, c.sex, existing_cprs)

    if c.outside == "wage_earner" or c.rejection == "not_wage_earner":
        c.socio = "other"
        c.wage_earner = False
    else:
        c.socio = ctx.weighted((("top_manager", 5), ("wage_highest", 22), ("wage_middle", 38),
                                ("wage_basic", 32), ("other", 3)))
        c.wage_earner = c.socio != "other" or r.random() < 0.3
    c.job = r.choice(JOB_TITLES[c.socio])
    if c.employment == "employed":
        c.employer, c.employer_address = r.choice(EMPLOYERS)
    else:
        c.employer, c.employer_address = "", ""
    c.hours = r.choice((37.0, 37.0, 37.0, 37.0, 32.0, 30.0, 40.0, 25.0))
    c.jobcentre, _weight, places = r.choices(JOBCENTRES, JOBCENTRE_WEIGHTS)[0]
    c.postcode, c.city = r.choice(places)
    if c.outside == "sick_weeks" or c.rejection == "sick_weeks":
        c.sick_start = c.referred_on - dt.timedelta(days=r.randint(85, 98))
    else:
        c.sick_start = c.referred_on - dt.timedelta(days=r.randint(21, 84))
    good = c.outcome in ("full_return", "part_time_return", "fit_to_akasse")
    mean = 7.0 if good else (4.5 if c.outcome else 5.5)
    c.rtw = max(0, min(10, round(r.gauss(mean, 2.0))))
