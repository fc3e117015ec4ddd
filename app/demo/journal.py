"""Journal notes: calls, meetings and mails through the case's stages, most of them signed."""
from __future__ import annotations

import datetime as dt

from app.demo.context import CaseOutline, CaseTrack, DemoContext

JOURNAL_TEXTS = {
    "referral": {
        "phone": ("Telefonsamtale med sagsbehandler om henvisningen.", "Ringet til borgeren; aftalt første møde."),
        "email": ("Henvisning modtaget fra jobcentret.", "Mail til borgeren med information om forløbet."),
        "meeting": ("Visitationssamtale med borgeren. Borgeren ønsker forløbet.",),
        "other": ("Lægeattest modtaget fra egen læge.",),
    },
    "assessment": {
        "phone": ("Telefonisk opfølgning; borgeren sover stadig dårligt.", "Talt med egen læge om behandling."),
        "email": ("LÆ 285 rekvireret hos egen læge.", "Indkaldelse til psykologsamtale sendt."),
        "meeting": ("Udredningssamtale. Borgeren fortæller om forløbet op til sygemeldingen.",
                    "Fælles screening med psykolog og fysioterapeut.", "Samtale om søvn, dagsstruktur og energi."),
        "other": ("WHO-5 og MDI udfyldt sammen med borgeren.",),
    },
    "plan": {
        "phone": ("Talt med nærmeste leder om mulige opgaver.", "Aftalt møde om handlingsplanen."),
        "email": ("Udkast til handlingsplan sendt til borgeren.",),
        "meeting": ("Handlingsplanen gennemgået med borgeren; borgerens egne mål noteret.",),
        "other": ("Handlingsplanen forelagt teamleder.",),
    },
    "intervention": {
        "phone": ("Opfølgning på delvis raskmelding; går efter planen.", "Borgeren har haft en hård uge.",
                  "Talt med leder; opgaverne fungerer.", "Aftalt optrapning med en time mere om dagen."),
        "email": ("Timer indberettet til jobcentret.", "Invitation til rundbordssamtale sendt."),
        "meeting": ("Støttende samtale. Borgeren oplever fremgang.", "Samtale om grænsesætning på arbejdet.",
                    "Arbejdspladsbesøg sammen med borgeren.", "Samtale om tilbagefald og handleplan."),
        "other": ("Borgeren har deltaget i stresshåndteringskursus.",),
    },
    "follow_up": {
        "phone": ("Borgeren arbejder nu næsten fuld tid.", "Status til sagsbehandler givet telefonisk."),
        "email": ("Afsluttende status sendt til sagsbehandler.",),
        "meeting": ("Afslutningssamtale med borgeren.", "Evaluering af forløbet med borgeren."),
        "other": ("Afsluttende rapport udarbejdet.",),
    },
}
ANNOTATIONS = ("Tilføjelse: borgeren har efterfølgende bekræftet aftalen.",
               "Tilføjelse: datoen for næste samtale er rettet.",
               "Tilføjelse: oplysningen om medicin er bekræftet af egen læge.")

_KINDS = ("phone", "meeting", "email", "other")
_KIND_WEIGHTS = (40, 35, 20, 5)


def _stage(c: CaseOutline, x: int) -> str:
    if x < c.vis:
        return "referral"
    if x < c.ass_done:
        return "assessment"
    if x < c.plan_approved:
        return "plan"
    if x < c.interv_end:
        return "intervention"
    return "follow_up"


def add_journal(ctx: DemoContext, track: CaseTrack) -> None:
    """Up to 14 notes; recent ones are often still unsigned; a few signed ones get an annotation."""
    r = ctx.rng
    w = ctx.w
    c = track.c
    last = c.last_day
    n = min(14, 1 + last // 10 + r.randint(0, 2))
    days = sorted({0} | {r.randint(0, last) for _ in range(n - 1)}) if last > 0 else [0]
    clinical = [uid for role, uid in track.members if role != "coordinator"]
    signed_notes: list[tuple[int, int]] = []
    for x in days:
        stage = _stage(c, x)
        kind = r.choices(_KINDS, _KIND_WEIGHTS)[0]
        author = c.coordinator if (not clinical or r.random() < 0.7) else r.choice(clinical)
        day = track.day(x)
        at = ctx.ts(day)
        recent = (ctx.today - day).days <= 7
        signed = at + dt.timedelta(minutes=r.randint(5, 240)) if r.random() < (0.4 if recent else 0.95) else None
        nid = w.add("journal_note", at, dict(case_id=c.id, author_id=author, note_date=day, kind=kind,
                                             text=r.choice(JOURNAL_TEXTS[stage][kind]), signed_at=signed))
        track.touch(x)
        if signed is not None:
            signed_notes.append((x, nid))
    if signed_notes and r.random() < 0.05:
        x0, nid = r.choice(signed_notes)
        x = min(last, x0 + r.randint(1, 10))
        day = track.day(x)
        at = ctx.ts(day)
        w.add("journal_note", at, dict(case_id=c.id, author_id=c.coordinator, note_date=day, kind="other",
                                       text=r.choice(ANNOTATIONS), signed_at=at, annotates_id=nid))
