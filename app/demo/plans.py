"""Action plans (handlingsplaner): goals, interventions and a week-by-week gradual return."""
from __future__ import annotations

import datetime as dt
import random

from app.demo.context import CaseTrack, DemoContext

PLAN_PURPOSES = (
    "At borgeren vender tilbage til sit arbejde på fuld tid inden for 12 uger.",
    "At borgeren gradvist genoptager arbejdet med tilpassede opgaver.",
    "At afklare borgerens arbejdsevne og anbefale den næste indsats.",
    "At borgeren fastholder tilknytningen til arbejdspladsen gennem en delvis raskmelding.",
    "At borgeren kommer i job eller uddannelse med støtte fra jobkonsulent og mentor.",
)
CITIZEN_VIEWS = (
    "Jeg vil gerne tilbage til mit arbejde, men i et tempo jeg kan holde til.",
    "Jeg er bange for at gå ned igen og vil gerne have hjælp til at sige fra.",
    "Jeg savner mine kolleger og vil gerne i gang med nogle få timer.",
    "Jeg vil ikke tilbage til samme afdeling, men gerne i job igen.",
    "Jeg har brug for at få styr på søvnen, før jeg kan arbejde igen.",
)
CITIZEN_GOALS = (
    "Sove mindst 6 timer hver nat", "Gå en tur hver dag", "Kunne være på arbejde 4 timer om dagen",
    "Sige fra over for ekstra opgaver", "Genoptage kontakten til kolleger", "Lave mad til familien igen",
    "Deltage i et personalemøde", "Kunne køre med offentlig transport i myldretiden",
    "Være tilbage på fuld tid", "Finde et nyt job inden for faget",
)
TEAM_GOALS = (
    "Afklare arbejdsevnen og anbefale næste indsats", "Etablere delvis raskmelding med gradvis optrapning",
    "Gennemføre rundbordssamtale med arbejdspladsen", "Sikre behandling hos egen læge eller psykiater",
    "Aftale tilpassede arbejdsopgaver med nærmeste leder", "Gennemføre jobmatch med jobkonsulent",
    "Reducere symptomer målt med WHO-5 og MDI", "Skriftlig status til jobcentret hver 4. uge",
)
INTERVENTION_NOTES = ("", "", "Hver 14. dag", "Ugentligt de første 4 uger", "Aftalt med borgeren",
                      "Afholdes på arbejdspladsen", "Holdstart i næste måned")
GRADUAL_TASKS = (
    "Kendte driftsopgaver uden deadlines", "Kontoropgaver uden borgerkontakt", "Faglige opgaver i eget tempo",
    "Deltagelse i teammøder", "Enkelte borgerkontakter med kollega", "Fulde opgaver undtagen vagtplan",
    "Sædvanlige opgaver med færre sager",
)
GRADUAL_ACCOMMODATIONS = (
    "Fast pause midt på dagen", "Ingen telefonvagt", "Eget kontor eller stille arbejdsplads",
    "Ingen overarbejde", "Mødetid efter myldretiden", "Hjemmearbejde en dag om ugen",
)
WORK_ADAPTATIONS = (
    "Fast pause midt på dagen og ingen telefonvagt de første uger. Lederen fordeler opgaverne.",
    "Hjemmearbejde en dag om ugen. Ingen nye sager før fuld tid; kollegerne er orienteret efter aftale.",
    "Mødetid efter myldretiden. Ingen overarbejde eller vagter i perioden.",
    "Arbejder i et stille lokale. Kendte opgaver først; borgerkontakt sammen med en kollega.",
)
WEEKDAYS = ("man, ons", "man, ons, fre", "man, tir, tor, fre", "man–fre")
GRADUAL_FOLLOW_UP = ("Ugentlig kort samtale med leder", "Status med koordinator hver 14. dag",
                     "Timer indberettes til jobcentret ugentligt", "Telefonisk opfølgning fredag")

# Who carries out an intervention when that discipline is on the team (else the coordinator).
RESPONSIBLE_ROLE = {"psych_conversations": "psychologist", "doctor_motivation": "doctor",
                    "job_matching": "job_consultant", "workplace_mentor": "job_consultant",
                    "workplace_consultant": "job_consultant", "physical_activity": "physiotherapist"}


def add_plans(ctx: DemoContext, track: CaseTrack) -> None:
    """The first plan and, for a quarter of the approved ones, a second version that replaces it."""
    r = ctx.rng
    c = track.c
    last = c.last_day
    approved = c.plan_approved <= last
    v2_day = c.plan_approved + r.randint(28, 70)
    make_v2 = approved and r.random() < 0.25 and v2_day <= last and v2_day < c.interv_end
    v2_approved_day = v2_day + r.randint(1, 5)
    v2_approved = make_v2 and v2_approved_day <= last
    v1_status = "approved" if approved else "draft"
    if v2_approved:
        v1_status = "superseded"
    expected = track.day(c.plan_approved + r.randint(28, 112))
    add_plan(ctx, track, 1, c.plan_created, v1_status, c.plan_approved if approved else None, expected)
    ctx.conf_event(track.day(c.plan_created), c.id, "plan_review")
    if make_v2:
        expected = track.day(v2_day + r.randint(28, 84))
        add_plan(ctx, track, 2, v2_day, "approved" if v2_approved else "draft",
                 v2_approved_day if v2_approved else None, expected)
        ctx.conf_event(track.day(v2_day), c.id, "plan_review")


def add_plan(ctx: DemoContext, track: CaseTrack, version: int, created: int, status: str, approved: int | None,
             expected: dt.date) -> int:
    """One version of the plan, created and (perhaps) approved on the given days; returns its id."""
    r = ctx.rng
    w = ctx.w
    c = track.c
    member_roles = track.member_roles
    employed = c.employment == "employed"
    # The details later issues added come from a side source, so every other demo row stays as recorded.
    side = random.Random(c.id * 1009 + version)
    at = ctx.ts(track.day(created))
    approved_at = ctx.ts(track.day(approved)) if approved is not None else None
    goal = "own_job" if employed else side.choice(("other_job", "clarification"))
    pid = w.add("action_plan", at, dict(
        case_id=c.id, version_no=version, status=status, purpose=r.choice(PLAN_PURPOSES),
        citizen_view=r.choice(CITIZEN_VIEWS), expected_return_date=expected, created_by_id=c.coordinator,
        approved_by_id=ctx.u["team_lead"] if approved is not None else None, approved_at=approved_at,
        updated_at=approved_at or at, overall_goal=goal, target_hours=float(c.hours) if employed and c.hours else None,
        work_adaptations=side.choice(WORK_ADAPTATIONS) if employed else ""))
    track.touch(created)
    if approved is not None:
        track.touch(approved)
    base = approved if approved is not None else created + 7
    goals = r.sample(CITIZEN_GOALS, r.randint(1, 2))
    team_goals = r.sample(TEAM_GOALS, r.randint(1, 3))
    done = c.phase == "closed" and c.outcome in ("full_return", "part_time_return", "fit_to_akasse")
    order = 0
    for owner, texts in (("citizen", goals), ("team", team_goals)):
        for text in texts:
            order += 1
            w.add("plan_goal", at, dict(plan_id=pid, owner=owner, text=text,
                                        target_date=track.day(base + r.randint(14, 84)),
                                        achieved=done and r.random() < 0.8, sort_order=order))
    chosen = ["psych_conversations"] if "psychologist" in member_roles else []
    pool = (["gradual_return", "workplace_visit", "round_table", "stress_course", "physical_activity",
             "work_focused_cbt", "communication_course"] if employed else
            ["job_matching", "workplace_mentor", "stress_course", "physical_activity", "work_focused_cbt"])
    if "doctor" in member_roles:
        pool.append("doctor_motivation")
    if "job_consultant" in member_roles:
        pool.append("workplace_consultant")
    for code in r.sample(pool, min(len(pool), r.randint(1, 4))):
        if code not in chosen:
            chosen.append(code)
    for order, code in enumerate(chosen):
        start = base + r.randint(0, 14)
        end = start + r.randint(14, 84) if r.random() < 0.85 else None
        w.add("plan_intervention", at, dict(
            plan_id=pid, intervention_id=ctx.cat[("intervention", code)],
            responsible_id=track.member(RESPONSIBLE_ROLE.get(code, "coordinator")),
            start_date=track.day(start), end_date=track.day(end) if end is not None else None,
            note=r.choice(INTERVENTION_NOTES), sort_order=order,
            status=_intervention_status(ctx, track, start, end, status)))
    if employed and r.random() < 0.75:
        _add_gradual_return(ctx, track, pid, at, base, side, reported=status != "draft")
    return pid


def _intervention_status(ctx: DemoContext, track: CaseTrack, start: int, end: int | None, plan_status: str) -> str:
    """Planned until it starts, in progress until it ends, done after (a draft's are all planned)."""
    today = ctx.today
    if plan_status == "draft" or track.day(start) > today:
        return "planned"
    return "done" if end is not None and track.day(end) <= today else "in_progress"


def _add_gradual_return(ctx: DemoContext, track: CaseTrack, plan_id: int, at: dt.datetime, base: int,
                        side: random.Random, *, reported: bool) -> None:
    """4-8 weeks from a few hours up to (nearly) the citizen's normal hours, starting on a Monday; the
    weeks already over have the hours actually worked (mostly as planned, now and then fewer)."""
    r = ctx.rng
    first = track.day(base + r.randint(3, 14))
    first += dt.timedelta(days=(7 - first.weekday()) % 7)  # a Monday
    weeks = r.randint(4, 8)
    start_h = r.choice((6, 8, 8, 10, 12))
    target = max(start_h + weeks, round(track.c.hours * r.choice((0.75, 0.85, 1.0))))
    for k in range(weeks):
        hours = float(round(start_h + (target - start_h) * k / (weeks - 1)))
        days = max(2, min(5, -(-int(hours) // 7)))
        starts = first + dt.timedelta(weeks=k)
        actual = None
        if reported and starts + dt.timedelta(days=7) <= ctx.today:
            actual = hours if side.random() < 0.6 else max(0.0, hours - side.choice((1.0, 2.0, 4.0, 6.0)))
        ctx.w.add("gradual_return_week", at, dict(
            plan_id=plan_id, week_no=k + 1, starts_on=starts, days_per_week=days,
            hours_per_day=round(hours / days, 1), hours_per_week=hours, actual_hours=actual,
            weekdays=WEEKDAYS[days - 2] if days <= 5 else "",
            tasks=r.choice(GRADUAL_TASKS), accommodations=r.choice(GRADUAL_ACCOMMODATIONS),
            follow_up=r.choice(GRADUAL_FOLLOW_UP)))
