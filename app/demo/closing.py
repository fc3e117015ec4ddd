"""How cases end: closing notes, the recommended next effort, and after-follow-up at 3, 6 and 12 months."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.dates import add_months
from app.demo.context import CaseOutline, DemoContext
from db import codes

CLOSING_NOTES = {
    "full_return": ("Borgeren er raskmeldt på fuld tid og fungerer godt i opgaverne.",),
    "part_time_return": ("Borgeren er raskmeldt på nedsat tid efter aftale med arbejdspladsen.",),
    "fit_to_akasse": ("Borgeren er raskmeldt og tilmeldt a-kassen; jobsøgning i gang.",),
    "rehabilitation": ("Anbefaler revalidering; borgeren kan ikke vende tilbage til sit fag.",),
    "work_trial": ("Anbefaler arbejdsprøvning for at afklare arbejdsevnen.",),
    "still_sick": ("Borgeren er fortsat sygemeldt; anbefaler fortsat behandling og opfølgning i jobcentret.",),
    "other": ("Forløbet er afsluttet uden tilbagevenden.",),
}
NEXT_EFFORT_BY_OUTCOME = {
    "full_return": ("none", "workplace_follow_up", "none"),
    "part_time_return": ("workplace_follow_up", "jobcentre_follow_up"),
    "fit_to_akasse": ("jobcentre_follow_up", "education"),
    "rehabilitation": ("rehabilitation_team", "education"),
    "work_trial": ("work_trial", "flex_job"),
    "still_sick": ("treatment", "jobcentre_follow_up", "rehabilitation_team"),
    "other": ("jobcentre_follow_up", "none"),
}
AFTER_NOTES = ("Telefonisk opfølgning med borgeren.", "Oplysninger fra jobcentret.", "Borgeren har svaret på mail.",
               "Status fra arbejdsgiver med borgerens samtykke.", "")
# The outcome at the next after-follow-up, given the one before (the first: the closing outcome).
AFTER_TRANSITIONS = {
    "full_return": (("full_return", 85), ("part_time_return", 5), ("still_sick", 7), ("other", 3)),
    "part_time_return": (("full_return", 50), ("part_time_return", 38), ("still_sick", 12)),
    "fit_to_akasse": (("full_return", 35), ("fit_to_akasse", 45), ("work_trial", 10), ("rehabilitation", 5),
                      ("still_sick", 5)),
    "rehabilitation": (("rehabilitation", 60), ("full_return", 15), ("work_trial", 15), ("other", 10)),
    "work_trial": (("work_trial", 40), ("part_time_return", 20), ("full_return", 15), ("rehabilitation", 15),
                   ("still_sick", 10)),
    "still_sick": (("still_sick", 45), ("part_time_return", 20), ("full_return", 15), ("work_trial", 10),
                   ("rehabilitation", 10)),
    "other": (("other", 60), ("still_sick", 20), ("full_return", 20)),
}


def add_after_follow_ups(ctx: DemoContext, c: CaseOutline) -> None:
    """Older follow-ups are nearly all recorded; the last weeks' ones are often still waiting, with a task."""
    r = ctx.rng
    closed = c.referred_on + dt.timedelta(days=c.close)
    status = c.outcome
    for months in codes.FOLLOW_UP_MONTHS:
        due = add_months(closed, months)
        values: dict[str, Any] = dict(case_id=c.id, months=months, due_date=due)
        at = ctx.ts(closed)
        if due < ctx.today and r.random() < (0.97 if (ctx.today - due).days > 45 else 0.5):
            rec = min(ctx.today, due + dt.timedelta(days=r.randint(0, 21)))
            status = ctx.weighted(AFTER_TRANSITIONS[status])
            at = ctx.ts(rec)
            values.update(recorded_date=rec, outcome_id=ctx.cat[("outcome", status)],
                          recorded_by_id=c.coordinator, note=r.choice(AFTER_NOTES),
                          hours_per_week=float(r.choice((15, 20, 24, 25, 30)))
                          if status == "part_time_return" else None,
                          other_reason_id=ctx.cat[("other_reason", r.choice(("moved", "other_programme")))]
                          if status == "other" else None)
        elif due <= ctx.today:
            ctx.w.add("task", ctx.ts(due - dt.timedelta(days=14)), dict(
                case_id=c.id, title=f"Registrér efteropfølgning ({months} mdr.)", description="",
                owner_id=c.coordinator, due_date=due, done_at=None, kind="manual",
                created_by_id=c.coordinator))
        ctx.w.add("after_follow_up", at, values)
