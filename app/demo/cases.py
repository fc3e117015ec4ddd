"""Pass 2: each case's rows: the citizen, the case itself, and everything that hangs off it.

This module writes the referral side (diagnoses, absence reasons, workplace contacts, the team,
consents) and hands the rest to the module of each aspect in the order the case lived it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.demo.assessments import add_assessments
from app.demo.closing import CLOSING_NOTES, NEXT_EFFORT_BY_OUTCOME, add_after_follow_ups
from app.demo.context import CaseOutline, CaseTrack, DemoContext
from app.demo.deadlines import add_deadlines
from app.demo.journal import add_journal
from app.demo.letters import add_letters
from app.demo.meetings import add_meetings
from app.demo.outline import SUBGROUP_SEVERITY
from app.demo.people import FLOORS, GP_CLINICS, STREETS, email_part, full_name, person_name, phone, workplace_domain
from app.demo.plans import add_plans
from app.demo.tasks import add_case_tasks
from app.progress import NO_PROGRESS, Progress
from app.validation import name_search_key, name_sort_key

# ICD-10 codes by subgroup (first code) and a second code pool
ICD_BY_SUBGROUP = {
    1: ("F43.0", "F43.2", "F43.8", "F43.9", "Z73.0"),
    2: ("F43.2", "F43.0", "F43.8", "F41.2"),
    3: ("F32.0", "F32.1", "F33.0", "F33.1"),
    4: ("F32.1", "F32.2", "F33.1", "F33.2"),
    5: ("F43.2", "F43.8", "F41.1", "F43.9"),
    6: ("F43.1", "F41.1", "F43.2", "F41.0"),
    7: ("F43.1",),
    8: ("Z73.0", "F43.8", "F48.0", "Z73.0"),
    None: ("F43.2", "F43.9", "F32.1", "F41.1", "F43.8", "F32.0", "Z73.0"),
}
ICD_SECOND = ("F41.0", "F41.1", "F41.2", "F41.9", "F51.0", "F32.0", "F43.2")

ABSENCE_BY_SUBGROUP = {
    1: ("stress", "stress", "burnout", "anxiety"),
    2: ("stress", "stress", "depression", "anxiety"),
    3: ("depression", "depression", "stress", "anxiety"),
    4: ("depression", "depression", "anxiety", "chronic_fatigue"),
    5: ("stress", "anxiety", "depression"),
    6: ("anxiety", "depression", "stress", "other"),
    7: ("anxiety", "anxiety", "stress", "other"),
    8: ("burnout", "burnout", "chronic_fatigue", "stress"),
    None: ("stress", "depression", "anxiety", "burnout", "chronic_fatigue", "other"),
}
ABSENCE_OTHER_TEXT = ("Søvnproblemer", "Sorg efter dødsfald i familien", "Smerter i nakke og skuldre",
                      "Tinnitus", "Konflikt på arbejdspladsen")

REFERRAL_TEXTS = {
    1: ("Sygemeldt med stress efter længere tids højt arbejdspres og en omstrukturering i afdelingen. "
        "Ønsker at vende tilbage til sin stilling.",
        "Borgeren beskriver mange opgaver, uklare forventninger og manglende pauser. Sover dårligt og har "
        "hjertebanken søndag aften."),
    2: ("Sygemeldt med stress efter skilsmisse og sygdom i nærmeste familie. Har svært ved at overskue "
        "hverdagen og arbejdet samtidig.",
        "Borgeren har mistet en forælder og har samtidig store økonomiske bekymringer. Egen læge anbefaler "
        "støttende samtaler."),
    3: ("Sygemeldt med let til moderat depression. Egen læge har opstartet antidepressiv behandling.",
        "Nedtrykt, træt og koncentrationsbesværet gennem flere måneder. Har trukket sig fra venner og familie."),
    4: ("Sygemeldt med tilbagevendende depression, nu moderat til svær. Har tidligere været sygemeldt med "
        "samme problematik.",
        "Markant nedsat energi og initiativ. Er i behandling hos psykiater. Egen læge vurderer langvarigt forløb."),
    5: ("Sygemeldt efter længerevarende konflikt med nærmeste leder. Oplever sig udsat for krænkende adfærd.",
        "Borgeren beskriver mobning fra kolleger gennem et år. Frygter at møde op på arbejdspladsen."),
    6: ("Sygemeldt med angst og uro. Gamle, ubearbejdede oplevelser fra barndommen er blevet aktiveret.",
        "Borgeren har været udsat for vold i et tidligere parforhold og har nu svært ved at fungere i "
        "hverdagen."),
    7: ("Sygemeldt efter voldsom episode med en klient på arbejdspladsen. Genoplevelser, mareridt og "
        "undgåelsesadfærd.",
        "Borgeren blev truet med kniv på arbejdet. Har siden haft svært ved at færdes alene og ved at sove."),
    8: ("Udbrændt efter flere år med mange overarbejdstimer. Træt, glemsom og irritabel.",
        "Borgeren oplever total udmattelse og manglende glæde ved arbejdet. Har haft symptomer i over et år."),
}
REFERRAL_EMPLOYMENT_TAIL = {
    "employed": " Er fortsat ansat, og arbejdspladsen er positiv over for en gradvis tilbagevenden.",
    "dismissed": " Er blevet afskediget under sygemeldingen og ønsker afklaring af fremtidig beskæftigelse.",
    "resigned": " Har selv sagt op under sygemeldingen og ønsker hjælp til at finde et nyt job.",
    "unemployed": " Var ledig ved sygemeldingen; skal afklares i forhold til job eller uddannelse.",
}

VISITATION_NOTES = (
    "Visiteret efter visitationssamtale. Opfylder kriterierne.",
    "Drøftet på casekonferencen. Borgeren er motiveret for forløbet.",
    "Visiteret. Borgeren ønsker at vende tilbage til arbejdspladsen.",
    "Visiteret efter telefonisk samtale med sagsbehandler og borger.",
)
REJECTION_NOTES = (
    "Ikke visiteret. Sagsbehandler er orienteret telefonisk.",
    "Ikke visiteret efter drøftelse på casekonferencen. Anbefaler anden indsats.",
    "Borgeren er orienteret om afgørelsen og begrundelsen.",
)
OUTSIDE_REASONS = {
    "age": "Borgeren er over 60 år, men optages for at høste erfaring med målgruppen.",
    "sick_weeks": "Sygemeldt i mere end 12 uger ved henvisningen; optaget efter drøftelse på casekonferencen.",
    "wage_earner": "Ikke lønmodtager (selvstændig), men optaget som erfaringsforløb.",
    "diagnosis": "Fraværet skyldes primært kroniske smerter med psykisk overbygning; optaget som erfaringsforløb.",
}


def add_cases(ctx: DemoContext, outlines: list[CaseOutline], progress: Progress = NO_PROGRESS) -> None:
    """Every case with its citizen and its children; coordinators take turns."""
    w = ctx.w
    for i, c in enumerate(outlines):
        if i % 100 == 0:
            progress.check()
            progress.report(i, len(outlines), "forløb")
        c.coordinator = ctx.coordinators[i % len(ctx.coordinators)]
        at = ctx.ts(c.referred_on)
        c.citizen_id = w.add("citizen", at, _citizen_row(ctx, c))
        c.id = w.next_id["tta_case"]
        last_activity = _add_case_children(ctx, c)
        at = ctx.ts(c.referred_on)
        w.add("tta_case", at, _case_row(ctx, c, last_activity))
        w.maybe_flush()
    w.flush()
    progress.report(len(outlines), len(outlines), "forløb")


def _citizen_row(ctx: DemoContext, c: CaseOutline) -> dict[str, Any]:
    r = ctx.rng
    email = ""
    if r.random() < 0.6:
        email = f"{email_part(c.first)}.{email_part(c.last.split()[-1])}{r.randint(1, 99)}@post.example"
    return dict(cpr=c.cpr, first_name=c.first, last_name=c.last, name_search=name_search_key(c.first, c.last),
                name_sort=name_sort_key(c.first, c.last),
                birth_date=c.birth, sex=c.sex, address=f"{r.choice(STREETS)} {r.randint(1, 180)}{r.choice(FLOORS)}",
                postcode=c.postcode, city=c.city, phone=phone(r), email=email)


def _case_row(ctx: DemoContext, c: CaseOutline, last_activity: dt.datetime) -> dict[str, Any]:
    r = ctx.rng

    def day(x: int) -> dt.date:
        return c.referred_on + dt.timedelta(days=x)

    caseworker = full_name(r)
    cw_initials = "".join(p[0] for p in caseworker.split())
    jc_domain = email_part(c.jobcentre.replace("Jobcenter ", "jobcenter-"))
    known = c.phase != "referral" and c.kind != "never"
    decided = c.kind == "rejected" or (known and c.phase != "visitation" and c.kind != "never")
    row = dict(
        case_number=c.number, citizen_id=c.citizen_id, team_id=ctx.team_id, coordinator_id=c.coordinator,
        phase=c.phase, referral_date=c.referred_on, referring_jobcentre=c.jobcentre, caseworker_name=caseworker,
        caseworker_phone=phone(r), caseworker_email=f"{email_part(cw_initials)}@{jc_domain}.example",
        referral_text=r.choice(REFERRAL_TEXTS[c.sg or r.randint(1, 8)]) + REFERRAL_EMPLOYMENT_TAIL[c.employment],
        sick_leave_start=c.sick_start, employment_status=c.employment, employer_name=c.employer,
        employer_address=c.employer_address, job_title=c.job, normal_hours_per_week=c.hours,
        gp_name=f"Læge {full_name(r)}", gp_clinic=r.choice(GP_CLINICS), gp_phone=phone(r),
        socio_economic_level=c.socio, wage_earner=c.wage_earner, subgroup=c.sg,
        absent_before_same_cause=(r.random() < 0.3) if known else None,
        expects_return_same_workplace=((r.random() < 0.75) if c.employment == "employed" else False)
        if known else None,
        referred_to_psych=(r.random() < 0.45) if known else None,
        rtw_expectation=c.rtw if known else None,
        visitation_decision="pending", last_activity_at=last_activity, updated_at=last_activity,
    )
    if decided:
        row["visitation_date"] = day(c.vis)
        row["visitation_by_id"] = c.coordinator if r.random() < 0.7 else ctx.u["team_lead"]
        if c.kind == "rejected":
            row["visitation_decision"] = "rejected"
            row["rejection_reason_id"] = ctx.cat[("rejection_reason", c.rejection)]
            row["visitation_note"] = r.choice(REJECTION_NOTES)
        else:
            row["visitation_decision"] = "accepted"
            row["visitation_note"] = r.choice(VISITATION_NOTES)
            if c.outside:
                row["outside_criteria"] = True
                row["outside_criteria_reason"] = OUTSIDE_REASONS[c.outside]
    if c.phase == "closed":
        row["closed_date"] = day(c.close)
        row["outcome_id"] = ctx.cat[("outcome", c.outcome)]
        if c.outcome == "other":
            row["other_reason_id"] = ctx.cat[("other_reason", c.other_reason)]
        row["next_effort_id"] = ctx.cat[("next_effort", r.choice(NEXT_EFFORT_BY_OUTCOME[c.outcome]))]
        row["closing_note"] = r.choice(CLOSING_NOTES[c.outcome])
        if c.outcome == "part_time_return":
            row["final_hours_per_week"] = float(r.choice((15, 18, 20, 22, 24, 25, 28, 30)))
    return row


def _add_case_children(ctx: DemoContext, c: CaseOutline) -> dt.datetime:
    """Write every row that hangs off the case; returns the time of the latest past activity."""
    r = ctx.rng
    last = c.last_day
    is_open = c.phase != "closed"
    track = CaseTrack(c, ctx.u)

    ctx.conf_event(c.referred_on, c.id, "new_referral")
    ctx.active.append((c.id, c.referred_on, track.day(last) if not is_open else ctx.today + dt.timedelta(days=30),
                       c.coordinator))

    _add_diagnoses_and_reasons(ctx, c)
    employed = c.employment == "employed"
    if employed:
        _add_workplace_contacts(ctx, track)
    accepted = c.kind in ("open", "full", "early") and c.phase not in ("referral", "visitation")
    if accepted:
        _add_team(ctx, track)
        if c.vis + 1 <= last:
            _add_gp_consent(ctx, track)
    # Meetings at the workplace need the employer's consent, which often comes earlier anyway.
    want_meetings = (employed and accepted and c.plan_approved <= last and r.random() < 0.65)
    if employed and accepted and (want_meetings or r.random() < 0.4) and c.ass_start <= last:
        _add_employer_consent(ctx, track)

    if accepted and c.ass_start <= last:
        add_assessments(ctx, track)
    if accepted and c.plan_created <= last:
        add_plans(ctx, track)
    meetings = add_meetings(ctx, track) if want_meetings else []

    # Midway deadlines and closings also put the case on the conference's agenda.
    if accepted and c.plan_approved <= last and r.random() < 0.25:
        ctx.conf_event(track.day(min(last, c.plan_approved + r.randint(30, 60))), c.id,
                       r.choice(("deadline", "stalled")))
    if c.phase == "closed" or (c.phase == "follow_up" and c.close - c.t <= 14):
        ctx.conf_event(track.day(c.close) - dt.timedelta(days=r.randint(0, 6)), c.id, "closing")

    add_case_tasks(ctx, track)
    add_journal(ctx, track)
    add_letters(ctx, track, meetings, accepted)
    add_deadlines(ctx, track, meetings, accepted)
    if c.phase == "closed" and c.kind in ("full", "early"):
        add_after_follow_ups(ctx, c)

    return ctx.ts(track.day(max(track.latest, 0)))


def _add_diagnoses_and_reasons(ctx: DemoContext, c: CaseOutline) -> None:
    """ICD-10 codes and absence reasons from the referral, as fits the subgroup."""
    r = ctx.rng
    w = ctx.w
    sg = c.sg
    icd = [r.choice(ICD_BY_SUBGROUP[sg])]
    if c.outside == "diagnosis":
        icd = ["M54.2"]
    elif c.rejection == "not_mental_health":
        icd = [r.choice(("M54.5", "M79.7", "G93.3"))]
    if r.random() < 0.35:
        second = r.choice(ICD_SECOND)
        if second not in icd:
            icd.append(second)
    for code in icd:
        w.add("case_icd10", None, dict(case_id=c.id, code=code))
    reasons = {r.choice(ABSENCE_BY_SUBGROUP[sg]) for _ in range(r.randint(1, 3))}
    for code in sorted(reasons):
        w.add("case_absence_reason", None, dict(
            case_id=c.id, reason_id=ctx.cat[("absence_reason", code)],
            other_text=r.choice(ABSENCE_OTHER_TEXT) if code == "other" else ""))


def _add_workplace_contacts(ctx: DemoContext, track: CaseTrack) -> None:
    """The nearest manager always, HR and the union representative sometimes."""
    r = ctx.rng
    c = track.c
    org = workplace_domain(c.employer)
    for kind, p in (("manager", 1.0), ("hr", 0.5), ("union_rep", 0.3)):
        if r.random() < p:
            first, lname = person_name(r)
            name = f"{first} {lname}"
            track.contacts[kind] = (name, org)
            ctx.w.add("workplace_contact", ctx.ts(track.day(0)), dict(
                case_id=c.id, kind=kind, name=name, phone=phone(r),
                email=f"{email_part(first)[:4]}{email_part(lname.split()[-1])[:4]}@{org}"))


def _add_team(ctx: DemoContext, track: CaseTrack) -> None:
    """Disciplines join the coordinator with odds that follow the subgroup's severity and employment."""
    r = ctx.rng
    c = track.c
    severe = SUBGROUP_SEVERITY[c.sg] >= 2
    employed = c.employment == "employed"
    picks = (("psychologist", 0.9 if severe else 0.7), ("physiotherapist", 0.45),
             ("doctor", 0.5 if severe else 0.25),
             ("job_consultant", 0.15 if employed else 0.85))
    for role, p in picks:
        if r.random() < p:
            track.members.append((role, ctx.u[role]))
            ctx.w.add("case_team_member", None, dict(case_id=c.id, user_id=ctx.u[role]))


def _add_gp_consent(ctx: DemoContext, track: CaseTrack) -> None:
    r = ctx.rng
    last = track.c.last_day
    if r.random() < 0.65:
        g = min(last, track.c.vis + r.randint(1, 10))
        withdrawn = track.day(min(last, g + r.randint(10, 60))) if r.random() < 0.03 else None
        ctx.w.add("consent", ctx.ts(track.day(g)), dict(
            case_id=track.c.id, party="gp", given_date=track.day(g), withdrawn_date=withdrawn, given_to="Egen læge",
            scope="Udveksling af oplysninger med egen læge om behandling og arbejdsevne"))


def _add_employer_consent(ctx: DemoContext, track: CaseTrack) -> None:
    g = min(track.c.last_day, track.c.ass_start + ctx.rng.randint(0, 10))
    ctx.w.add("consent", ctx.ts(track.day(g)), dict(
        case_id=track.c.id, party="employer", given_date=track.day(g),
        given_to=track.contacts.get("manager", ("Nærmeste leder", ""))[0],
        scope="Funktionsbeskrivelse og aftaler til nærmeste leder og HR; ingen diagnose"))
