"""Tasks: the steps of each stage of a case, some done late, and a few team tasks without a case."""
from __future__ import annotations

import datetime as dt

from app.demo.context import CaseTrack, DemoContext

# Task titles by the stage they belong to: (title, role of owner)
TASKS_BY_STAGE = {
    "referral": (("Visitér henvisningen", "coordinator"),
                 ("Indkald til visitationssamtale", "coordinator")),
    "assessment": (("Indhent lægeattest (LÆ 285) fra egen læge", "coordinator"),
                   ("Gennemfør psykologisk udredning", "psychologist"),
                   ("Book fælles screening", "coordinator")),
    "plan": (("Udarbejd udkast til handlingsplan", "coordinator"),
             ("Få handlingsplanen godkendt af teamleder", "coordinator")),
    "intervention": (("Send startstatus til sagsbehandler", "coordinator"),
                     ("Følg op på delvis raskmelding", "coordinator"),
                     ("Forbered rundbordssamtale", "coordinator"),
                     ("Send midtvejsstatus til sagsbehandler", "coordinator")),
    "follow_up": (("Planlæg afslutningssamtale", "coordinator"),
                  ("Skriv afsluttende rapport", "coordinator")),
}
OPEN_CASE_TASKS = ("Opfølgende samtale med borgeren", "Ring til sagsbehandler med status",
                   "Følg op på aftaler fra sidste samtale", "Opdatér journal efter samtale")
TEAM_TASKS = ("Forbered casekonference", "Kvartalsstatistik til teamleder", "Opdatér kataloget over tilbud",
              "Planlæg teamets ferie")


def add_case_tasks(ctx: DemoContext, track: CaseTrack) -> None:
    """One or two tasks per stage reached, due at the stage's end; an open case always keeps an open one."""
    r = ctx.rng
    w = ctx.w
    c = track.c
    last = c.last_day
    is_open = c.phase != "closed"
    # (day created, stage, due offset)
    moments = [(0, "referral", c.vis)]
    if c.kind in ("open", "full", "early"):
        moments += [(c.vis, "assessment", c.ass_done), (c.ass_done, "plan", c.plan_approved),
                    (c.plan_approved, "intervention", c.plan_approved + (c.interv_end - c.plan_approved) // 2),
                    (c.interv_end, "follow_up", c.close)]
    has_open = False
    for created, stage, due in moments:
        if created > last:
            break
        picks = r.sample(TASKS_BY_STAGE[stage], r.randint(1, min(2, len(TASKS_BY_STAGE[stage]))))
        for title, role in picks:
            owner = track.member(role)
            d = max(created + 1, due - r.randint(0, 5))
            done_day = d + r.randint(-3, 3)
            if r.random() < 0.15:
                done_day += r.randint(8, 30)  # late: shows up as overdue while open
            done_day = max(created, done_day)
            if not is_open:
                done_day = min(done_day, last)
            done_at = None
            if done_day <= last:
                done_at = ctx.ts(track.day(done_day))
                track.touch(done_day)
            else:
                has_open = True
            w.add("task", ctx.ts(track.day(created)), dict(
                case_id=c.id, title=title, description="", owner_id=owner, due_date=track.day(d), done_at=done_at,
                kind="manual", created_by_id=c.coordinator, updated_at=done_at or ctx.ts(track.day(created))))
    if is_open and not has_open:
        due = ctx.today + dt.timedelta(days=r.randint(-7, 14))
        w.add("task", ctx.ts(track.day(c.t)), dict(
            case_id=c.id, title=r.choice(OPEN_CASE_TASKS), description="", owner_id=c.coordinator,
            due_date=due, done_at=None, kind="manual", created_by_id=c.coordinator))


def add_team_tasks(ctx: DemoContext) -> None:
    """Open tasks of the team itself, owned by a coordinator or the team lead."""
    r = ctx.rng
    chair = ctx.u["team_lead"]
    for title in TEAM_TASKS:
        due = ctx.today + dt.timedelta(days=r.randint(-5, 20))
        ctx.w.add("task", ctx.ts(ctx.today - dt.timedelta(days=7)), dict(
            case_id=None, title=title, description="", owner_id=r.choice([*ctx.coordinators, chair]),
            due_date=due, done_at=None, kind="manual", created_by_id=chair))
