"""Letters sent from a case: status to the jobcentre, the plan, invitations and minutes, closing."""
from __future__ import annotations

from app.demo.context import CaseTrack, DemoContext

LETTER_TITLES = {
    "status_start": "Startstatus til jobcentret",
    "status_midway": "Midtvejsstatus til jobcentret",
    "status_closing": "Afsluttende status til jobcentret",
    "action_plan": "TTA-handlingsplan",
    "invitation": "Invitation til rundbordssamtale",
    "round_table_minutes": "Referat af rundbordssamtale",
    "closing_report": "Afsluttende rapport",
    "other": "Brev",
}
LETTER_BODIES = {
    "status_start": "Forløbet er startet. Udredningen er gennemført, og handlingsplanen er godkendt.",
    "status_midway": "Borgeren følger handlingsplanen. Den gradvise tilbagevenden forløber som aftalt.",
    "status_closing": "Forløbet er afsluttet. Se den afsluttende rapport for status og anbefaling.",
    "action_plan": "Vedlagt din handlingsplan. Kontakt din koordinator, hvis du har spørgsmål.",
    "invitation": "Du inviteres til en rundbordssamtale om din tilbagevenden til arbejdet.",
    "round_table_minutes": "Referat med aftaler om opgaver, timer og skånehensyn. Diagnoser nævnes ikke.",
    "closing_report": "Afsluttende rapport med status ved afslutning og anbefalet næste indsats.",
    "other": "",
}

# The recipient and template of the letters the templates write (the others were printed elsewhere).
RECIPIENT_KINDS = {"status_start": "jobcentre", "status_midway": "jobcentre", "status_closing": "jobcentre",
                   "closing_report": "jobcentre", "invitation": "citizen", "action_plan": "citizen"}
TEMPLATE_CODES = {"status_start": "start", "status_midway": "midtvejs", "closing_report": "afslutning",
                  "invitation": "invitation"}


def add_letters(ctx: DemoContext, track: CaseTrack, meetings: list[tuple[int, int, str]], accepted: bool) -> None:
    r = ctx.rng
    c = track.c
    last = c.last_day
    caseworker = f"Sagsbehandler, {c.jobcentre}"
    citizen = f"{c.first} {c.last}"
    items: list[tuple[int, str, str]] = []
    if accepted and c.plan_approved <= last:
        if r.random() < 0.8:
            items.append((c.plan_approved + r.randint(2, 7), "status_start", caseworker))
        if r.random() < 0.6:
            items.append((c.plan_approved, "action_plan", citizen))
        mid = c.plan_approved + (c.interv_end - c.plan_approved) // 2
        if r.random() < 0.6:
            items.append((mid, "status_midway", caseworker))
    for x, _mid, status in meetings:
        if r.random() < 0.7:
            items.append((max(0, x - r.randint(7, 14)), "invitation", citizen))
        if status == "held" and r.random() < 0.8:
            recipient = track.contacts.get("manager", ("Arbejdsgiver", ""))[0]
            items.append((x + r.randint(1, 5), "round_table_minutes", f"{citizen}; {recipient}"))
    if c.phase == "closed" and c.kind in ("full", "early"):
        items.append((c.close, "status_closing", caseworker))
        if r.random() < 0.7:
            items.append((c.close, "closing_report", caseworker))
    for x, kind, recipient in items:
        if x > last:
            continue
        day = track.day(x)
        ctx.w.add("letter", ctx.ts(day), dict(
            case_id=c.id, kind=kind, recipient=recipient[:200], sent_on=day, created_by_id=c.coordinator,
            recipient_kind=RECIPIENT_KINDS.get(kind, ""), template_code=TEMPLATE_CODES.get(kind, ""),
            title=f"{LETTER_TITLES[kind]} – {c.number}", body=LETTER_BODIES[kind]))
        track.touch(x)
