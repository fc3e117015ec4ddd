"""The weekly case conference (casekonference) on Tuesdays: agendas built from the cases' events."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.context import DemoContext
from app.services.conferences import RULE_ORDER, agenda_reasons
from db.models import ConferenceAttendee

CONFERENCE_NOTES = {
    "new_referral": ("Ny henvisning gennemgået.", "Henvisning fra jobcentret drøftet; kriterierne er vurderet."),
    "assessment_done": ("Udredningen er afsluttet og gennemgået af teamet.", "Tværfaglig udredning drøftet."),
    "plan_review": ("Handlingsplanen gennemgået; optrapningen følger planen.", "Planen skal justeres."),
    "round_table": ("Rundbordssamtale forberedt.", "Dagsorden til rundbordssamtalen drøftet."),
    "deadline": ("Frist for status til jobcentret nærmer sig.", "Opfølgningsfrist er overskredet."),
    "stalled": ("Forløbet står stille; borgeren har aflyst to samtaler.", "Ingen fremdrift de seneste uger."),
    "closing": ("Forløbet nærmer sig afslutning.", "Afslutning og anbefaling drøftet."),
    "other": ("Drøftet efter ønske fra psykologen.", "Spørgsmål fra sagsbehandler drøftet."),
}
CONFERENCE_DECISIONS = {
    "new_referral": ("Visiteres. Koordinator indkalder til første samtale.", "Visiteres med psykolog på."),
    "assessment_done": ("Koordinator udarbejder udkast til handlingsplan.", "Psykologsamtaler fortsætter."),
    "plan_review": ("Optrapning fortsætter som planlagt.", "Ny version af planen udarbejdes."),
    "round_table": ("Koordinator leder mødet; jobkonsulent deltager.", "Invitation sendes i dag."),
    "deadline": ("Status sendes til sagsbehandler inden fredag.", "Koordinator ringer til sagsbehandler."),
    "stalled": ("Koordinator kontakter borgeren telefonisk.", "Lægelig vurdering bestilles."),
    "closing": ("Forløbet afsluttes; afsluttende rapport sendes.", "Anbefaling: fortsat opfølgning i jobcentret."),
    "other": ("Taget til efterretning.", "Koordinator følger op."),
}
CONFERENCE_MINUTES = ("Deltagere: hele teamet.", "Psykolog fraværende.", "Deltagere: teamet og lægen.",
                      "Kort møde pga. ferie.")


def add_conferences(ctx: DemoContext, existing_dates: set[dt.date]) -> list[tuple[int, dt.date]]:
    """A conference every Tuesday from the first few referrals until today; they are closed with
    notes and decisions, and some decisions became tasks. Needs at least one case. The next one is
    added by ``add_next_conference`` once the cases are stored. Returns (id, date) of each."""
    r = ctx.rng
    w = ctx.w
    # Start once a handful of cases have arrived, so the first agendas are not nearly empty.
    referrals = sorted(a[1] for a in ctx.active)
    start = referrals[min(4, len(referrals) - 1)]
    start += dt.timedelta(days=(1 - start.weekday()) % 7)
    end = ctx.today - dt.timedelta(days=1)
    made: list[tuple[int, dt.date]] = []
    chair = ctx.u["team_lead"]
    coordinator_of = {a[0]: a[3] for a in ctx.active}
    day = start
    while day <= end:
        if day in existing_dates:
            day += dt.timedelta(weeks=1)
            continue
        past = day < ctx.today
        conf_id = w.add("case_conference", ctx.ts(min(ctx.today, day - dt.timedelta(days=6))), dict(
            held_on=day, chair_id=chair if r.random() < 0.8 else ctx.coordinators[0],
            notes=r.choice(CONFERENCE_MINUTES) if past else "", closed=past,
            updated_at=ctx.ts(day) if past else None))
        made.append((conf_id, day))
        chosen: dict[int, str] = {}
        events = ctx.conf_events.get(day, [])
        r.shuffle(events)
        want = r.randint(5, 15)
        for case_id, reason in events:
            if len(chosen) >= want:
                break
            chosen.setdefault(case_id, reason)
        tries = 0
        while len(chosen) < 5 and tries < 40:
            tries += 1
            case_id, frm, to, _ = ctx.active[r.randrange(len(ctx.active))]
            if frm <= day <= to and case_id not in chosen:
                chosen[case_id] = r.choice(("plan_review", "stalled", "deadline", "other"))
        for order, (case_id, reason) in enumerate(chosen.items(), start=1):
            item_id = w.add("conference_item", ctx.ts(day), dict(
                conference_id=conf_id, case_id=case_id, reason=reason, sort_order=order,
                notes=r.choice(CONFERENCE_NOTES[reason]) if past else "",
                decision=r.choice(CONFERENCE_DECISIONS[reason]) if past else ""))
            if past and r.random() < 0.25:
                owner = coordinator_of[case_id]
                due = day + dt.timedelta(days=r.randint(3, 14))
                done = due < ctx.today and ((ctx.today - due).days > 14 or r.random() < 0.7)
                w.add("task", ctx.ts(day), dict(
                    case_id=case_id, title="Opfølgning fra casekonferencen",
                    description=r.choice(CONFERENCE_DECISIONS[reason]), owner_id=owner, due_date=due,
                    done_at=ctx.ts(min(due, ctx.today)) if done else None, kind="conference",
                    conference_item_id=item_id, created_by_id=chair))
        w.maybe_flush()
        day += dt.timedelta(weeks=1)
    return made


def add_attendees(session: Session, ctx: DemoContext, conferences: list[tuple[int, dt.date]]) -> None:
    """Who came: the team lead and the coordinators nearly always, the others most weeks."""
    r = ctx.rng
    users = sorted(ctx.user_names)
    rows = []
    for conf_id, _day in conferences:
        for uid in users:
            core = uid in ctx.coordinators or uid == ctx.u["team_lead"]
            if uid != ctx.u.get("admin") and r.random() < (0.95 if core else 0.7):
                rows.append({"conference_id": conf_id, "user_id": uid})
    if rows:
        session.execute(insert(ConferenceAttendee.__table__), rows)


def add_next_conference(session: Session, ctx: DemoContext, existing_dates: set[dt.date]) -> list[tuple[int, dt.date]]:
    """The coming Tuesday's conference with the agenda "Ny konference" would build from the stored
    cases (``app.services.conferences.agenda_reasons``), nothing yet noted or decided."""
    day = ctx.today + dt.timedelta(days=(1 - ctx.today.weekday()) % 7)
    if day in existing_dates:
        return []
    last = max((d for d in existing_dates if d < day), default=None) or day - dt.timedelta(days=7)
    found = agenda_reasons(session, day, last)
    conf_id = ctx.w.add("case_conference", ctx.ts(ctx.today), dict(held_on=day, chair_id=ctx.u["team_lead"],
                                                                   notes="", closed=False))
    order = sorted(found, key=lambda cid: (RULE_ORDER[found[cid][0][0]], cid))
    for n, cid in enumerate(order, 1):
        ctx.w.add("conference_item", ctx.ts(ctx.today), dict(
            conference_id=conf_id, case_id=cid, reason=found[cid][0][0], sort_order=n,
            reason_detail="; ".join(d for _r, d in found[cid])[:300]))
    ctx.w.flush()
    return [(conf_id, day)]
