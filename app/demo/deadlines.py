"""Deadlines computed from the rule sets in force (``app.deadlines``), as the service keeps them: tasks
of kind "deadline" with rule and source. Those due before the case's last day are done on time, a few
of an open case's are left overdue; nothing after closing. Uses no random numbers, so adding it left
the rest of the demo as it was."""
from __future__ import annotations

import datetime as dt

from app.deadlines import CaseDates, compute_deadlines
from app.demo.context import CaseTrack, DemoContext


def add_deadlines(ctx: DemoContext, track: CaseTrack, meetings: list[tuple[int, int, str]], accepted: bool) -> None:
    c = track.c
    if c.kind == "rejected" or not ctx.rule_sets:
        return
    last = c.last_day
    closed = track.day(c.close) if c.phase == "closed" else None
    dates = CaseDates(
        sick_leave_start=c.sick_start,
        visitation_date=track.day(c.vis) if accepted else None,
        subgroup=c.sg, has_workplace=c.employment == "employed",
        plan_approved_on=track.day(c.plan_approved) if accepted and c.plan_approved <= last else None,
        round_tables_held=[track.day(x) for x, _mid, status in meetings if status == "held"],
        closed_date=closed)
    last_day = track.day(last)
    for n, d in enumerate(compute_deadlines(dates, ctx.rule_sets)):
        if d.due < c.referred_on - dt.timedelta(days=60):
            continue   # long before the team knew the case
        overdue = closed is None and (c.id + n) % 7 == 0
        done = d.due <= last_day and not overdue
        created = dt.datetime.combine(c.referred_on, dt.time(9, 0))
        done_at = dt.datetime.combine(d.due, dt.time(11, 0)) if done else None
        ctx.w.add("task", created, dict(
            case_id=c.id, title=d.title, description=f"Beregnet efter reglen: {d.source}", owner_id=c.coordinator,
            due_date=d.due, done_at=done_at, kind="deadline", created_by_id=c.coordinator, rule_id=d.rule_id,
            rule_key=d.key, rule_source=d.source, updated_at=done_at or created))
