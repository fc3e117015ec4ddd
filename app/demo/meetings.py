"""Round-table meetings (rundbordssamtaler) at the workplace: participants, obstacles, agreements."""
from __future__ import annotations

import datetime as dt

from app.demo.context import CaseTrack, DemoContext
from app.demo.users import TEAM_NAME
from app.services.meetings import AGREEMENT_TASK
from db import codes

MEETING_LOCATIONS = ("På arbejdspladsen", "TTA-teamets mødelokale", "Jobcentrets mødelokale 2",
                     "Virtuelt møde (video)", "På arbejdspladsen, HR's mødelokale")

MEETING_PURPOSES = (
    "Aftale gradvis tilbagevenden og tilpassede opgaver.",
    "Status på delvis raskmelding og plan for optrapning.",
    "Afklare fremtiden på arbejdspladsen.",
    "Fælles forståelse af skånehensyn og næste skridt.",
)
CITIZEN_ACCOUNTS = (
    "Borgeren fortæller, at hun/han har det bedre, men bliver hurtigt træt.",
    "Borgeren beskriver bekymring for at komme tilbage til et travlt team.",
    "Borgeren er glad for at være i gang og ønsker langsom optrapning.",
    "Borgeren oplever, at søvnen er bedre, og at overskuddet er på vej tilbage.",
)
FUNCTION_DESCRIPTIONS = (
    "Kan koncentrere sig 2-3 timer ad gangen; har brug for pauser og forudsigelighed.",
    "Kan løse kendte opgaver, men ikke opgaver med tidspres eller mange afbrydelser.",
    "Nedsat energi; kan arbejde 3-4 timer dagligt i starten.",
    "Har brug for at undgå konfliktfyldte opgaver i en periode.",
)
WORKPLACE_OPTIONS = (
    "Arbejdspladsen kan tilbyde kontoropgaver og fleksibel mødetid.",
    "Lederen kan fjerne vagtplanlægning og telefonvagt i en periode.",
    "Mulighed for at arbejde i en anden afdeling i optrapningsperioden.",
    "Arbejdspladsen kan tilbyde mentor blandt kollegerne.",
)
MEETING_ITEMS = {
    "obstacle_employee": ("Bekymret for arbejdsmængden ved tilbagevenden", "Svært ved mange afbrydelser",
                          "Usikker på kollegernes reaktion", "Træthed sidst på dagen"),
    "obstacle_employer": ("Travl periode i afdelingen", "Behov for at planlægge vagter",
                          "Usikkerhed om, hvilke opgaver der er realistiske", "Kunderne efterspørger fast kontakt"),
    "solution": ("Start med 3 timer om dagen tre dage om ugen", "Ingen telefonvagt de første 4 uger",
                 "Fast ugentligt møde med nærmeste leder", "Kollega som makker i de første uger"),
    "agreement": ("Leder informerer kollegerne om tilbagevenden", "Borgeren indberetter timer til jobcentret",
                  "Koordinator sender referat til alle deltagere", "Nyt møde om 4 uger"),
}


COLLEAGUES_INFO = ("At hun/han er tilbage på nedsat tid og gradvist øger timerne.",
                   "At hun/han har været syg og nu starter op igen; ikke mere end det.",
                   "Kun at hun/han er tilbage; borgeren fortæller selv resten, hvis hun/han vil.")
AGENDA = ("1. Velkomst og formål\n2. Medarbejderens egen beretning\n3. Hvad kan lade sig gøre nu\n"
          "4. Arbejdspladsens muligheder\n5. Aftaler: hvem, hvad, hvornår\n6. Næste møde")


def add_meetings(ctx: DemoContext, track: CaseTrack) -> list[tuple[int, int, str]]:
    """Two or three meetings a few weeks apart after the plan's approval, the next one perhaps
    still planned. Returns (day, meeting id, status) of each."""
    r = ctx.rng
    c = track.c
    last = c.last_day
    is_open = c.phase != "closed"
    max_meetings = 3 if (c.sg or 0) >= 4 else 2
    x = c.plan_approved + r.randint(3, 21)
    days: list[tuple[int, str]] = []
    while len(days) < max_meetings:
        if x <= last:
            days.append((x, "cancelled" if r.random() < 0.04 else "held"))
        elif is_open and x <= c.t + 21:
            days.append((x, "planned"))
            break
        else:
            break
        x += r.randint(21, 42)
    if is_open and days and days[-1][1] != "planned" and len(days) < max_meetings and r.random() < 0.35:
        days.append((c.t + r.randint(1, 21), "planned"))
    meetings: list[tuple[int, int, str]] = []
    for seq, (x, status) in enumerate(days, start=1):
        nxt = days[seq][0] if seq < len(days) else None
        mid = add_meeting(ctx, track, seq, x, status, nxt)
        meetings.append((x, mid, status))
        ctx.conf_event(track.day(x) - dt.timedelta(days=r.randint(1, 7)), c.id, "round_table")
    return meetings


def add_meeting(ctx: DemoContext, track: CaseTrack, seq: int, x: int, status: str, nxt: int | None) -> int:
    """Meeting number ``seq`` on day ``x`` (the next one on day ``nxt``); returns its id."""
    r = ctx.rng
    w = ctx.w
    c = track.c
    contacts = track.contacts
    day = track.day(x)
    at = ctx.ts(min(ctx.today, track.day(max(0, x - r.randint(7, 21)))))
    held = status == "held"
    if held:
        track.touch(x)
    mid = w.add("round_table_meeting", at, dict(
        case_id=c.id, sequence_no=seq, meeting_date=day,
        start_time=dt.time(r.randint(9, 14), r.choice((0, 30))), location=r.choice(MEETING_LOCATIONS),
        purpose=r.choice(MEETING_PURPOSES), status=status,
        citizen_account=r.choice(CITIZEN_ACCOUNTS) if held else "",
        function_description=r.choice(FUNCTION_DESCRIPTIONS) if held else "",
        workplace_options=r.choice(WORKPLACE_OPTIONS) if held else "",
        next_meeting_date=track.day(nxt) if (nxt is not None and held) else None,
        facilitator_id=c.coordinator,
        meeting_type="status" if seq == 1 else "future_job" if seq >= 3 else "return_plan",
        agenda=AGENDA, duration_minutes=r.choice((60, 60, 90)),
        colleagues_info=r.choice(COLLEAGUES_INFO) if held else "",
        updated_at=ctx.ts(day) if held else at))
    people = [(f"{c.first} {c.last}", "Borger", "", None)]
    if "manager" in contacts:
        people.append((contacts["manager"][0], "Nærmeste leder", c.employer, None))
    if "hr" in contacts and r.random() < 0.7:
        people.append((contacts["hr"][0], "HR", c.employer, None))
    if "union_rep" in contacts:
        people.append((contacts["union_rep"][0], "Tillidsrepræsentant", c.employer, None))
    people.append((ctx.user_names[c.coordinator], "TTA-koordinator", TEAM_NAME, c.coordinator))
    for role, uid in track.members:
        if role in ("psychologist", "job_consultant") and r.random() < 0.4:
            label = "Psykolog" if role == "psychologist" else "Jobkonsulent"
            people.append((ctx.user_names[uid], label, TEAM_NAME, uid))
    for name, label, org, uid in people:
        attended: bool | None = None  # not known before the meeting is held
        if held:
            attended = True if label == "Borger" else r.random() > 0.05
        w.add("meeting_participant", at, dict(meeting_id=mid, name=name, role_label=label, organisation=org,
                                              user_id=uid, attended=attended, receives_minutes=True))
    if held:
        order = 0
        for kind in codes.MEETING_ITEM_KINDS:
            for text in r.sample(MEETING_ITEMS[kind], r.randint(1, 2)):
                order += 1
                agreement = kind == "agreement"
                who = r.choice(("Borgeren", "Nærmeste leder", "TTA-koordinator")) if agreement else ""
                due = day + dt.timedelta(days=r.randint(7, 28)) if agreement else None
                task_id = None
                if agreement:   # every agreement became a follow-up task for the coordinator
                    done = due < ctx.today and (c.phase == "closed" or r.random() < 0.85)
                    task_id = w.add("task", ctx.ts(day), dict(
                        case_id=c.id, title=f"Aftale fra rundbordssamtale ({who}): {text}", owner_id=c.coordinator,
                        due_date=due, done_at=ctx.ts(due) if done else None, kind=AGREEMENT_TASK,
                        description=f"Aftalt på rundbordssamtale nr. {seq} den {day:%d-%m-%Y}.",
                        created_by_id=c.coordinator))
                w.add("meeting_item", ctx.ts(day), dict(
                    meeting_id=mid, kind=kind, text=text, responsible=who, due_date=due, task_id=task_id,
                    sort_order=order))
    return mid
