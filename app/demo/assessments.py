"""Team assessments (one per discipline, with the five ICF sections) and WHO-5/MDI results."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from app.demo.context import CaseTrack, DemoContext
from app.demo.outline import SUBGROUP_SEVERITY
from db import codes

ASSESSMENT_SUMMARIES = {
    "coordinator": (
        "Screening gennemført. Borgeren er motiveret og har gode ressourcer i netværket.",
        "Fælles screening med læge, psykolog og fysioterapeut. Forløbet drøftes på casekonferencen.",
        "Borgeren har klare ønsker om at vende tilbage, men er usikker på tempoet.",
    ),
    "psychologist": (
        "Psykologisk udredning: symptomer på stress med nedsat koncentration og søvnforstyrrelser.",
        "Depressive symptomer i moderat grad. Anbefaler støttende samtaler og arbejdsfokuseret kognitiv terapi.",
        "Angst med undgåelsesadfærd i forhold til arbejdspladsen. Gradvis eksponering anbefales.",
        "Udtalt træthed og tristhed; god indsigt og motivation for forandring.",
    ),
    "physiotherapist": (
        "Nedsat fysisk kapacitet og spændinger i nakke og skuldre. Anbefaler fysisk aktivitet og dagsstruktur.",
        "Funktionsvurdering: kan klare let fysisk arbejde i 3-4 timer dagligt med pauser.",
        "Arbejdsfysiologisk vurdering: behov for variation og pauser i arbejdsdagen.",
    ),
    "doctor": (
        "Lægelig vurdering: klinisk billede afklaret. Behandlingsplan hos egen læge fortsættes.",
        "Medicinsk behandling er opstartet; anbefaler opfølgning hos egen læge om 4 uger.",
        "Klinisk billede endnu ikke afklaret. Anbefaler vurdering hos psykiater.",
    ),
}
SECTION_RESOURCES = {
    "function": ("God hukommelse for rutineopgaver", "Kan koncentrere sig i kortere perioder",
                 "Sover bedre end ved sygemeldingen", "Har overskud om formiddagen"),
    "activity_participation": ("Går dagligt ture", "Deltager i familielivet", "Passer hjemmet",
                               "Har kontakt til enkelte kolleger"),
    "health": ("Ingen somatisk sygdom", "Tager medicin som ordineret", "Er i gang med behandling hos psykolog",
               "Dyrker motion to gange om ugen"),
    "environment": ("Støttende partner", "Positiv arbejdsgiver", "Godt netværk af venner",
                    "Forstående nærmeste leder"),
    "personal": ("Motiveret for at vende tilbage", "Pligtopfyldende og ansvarsbevidst", "God selvindsigt",
                 "Erfaren i sit fag"),
}
SECTION_BARRIERS = {
    "function": ("Koncentrationsbesvær efter 1-2 timer", "Nedsat hukommelse", "Uro og indre spænding",
                 "Hurtigt udtrættet"),
    "activity_participation": ("Undgår sociale sammenhænge", "Svært ved at planlægge dagen",
                               "Har svært ved at handle ind i travle butikker", "Trækker sig fra familien"),
    "health": ("Søvnforstyrrelser", "Hovedpine og spændinger", "Hjertebanken ved tanken om arbejdet",
               "Bivirkninger af medicin"),
    "environment": ("Højt arbejdspres i afdelingen", "Uafklaret konflikt med leder", "Økonomiske bekymringer",
                    "Lang transporttid"),
    "personal": ("Høje krav til sig selv", "Svært ved at sige fra", "Bekymring for at blive afskediget",
                 "Skyld og skam over sygemeldingen"),
}
SECTION_EFFORTS = {
    "function": ("Struktur på dagen med faste pauser", "Gradvis øgning af krav", "Psykoedukation om stress"),
    "activity_participation": ("Aftaler om sociale aktiviteter", "Ugeskema med aktiviteter",
                               "Gradvis eksponering"),
    "health": ("Søvnhygiejne", "Fysisk aktivitet tre gange om ugen", "Opfølgning hos egen læge"),
    "environment": ("Rundbordssamtale med arbejdspladsen", "Kontakt til nærmeste leder",
                    "Afklaring af arbejdsopgaver"),
    "personal": ("Arbejde med grænsesætning", "Kognitive samtaler om tankemønstre",
                 "Fokus på realistiske forventninger"),
}
RUNNING_ELSEWHERE = ("", "", "", "Samtaler hos privatpraktiserende psykolog", "Behandling i distriktspsykiatrien",
                     "Samtaler via arbejdsgiverens sundhedsforsikring", "Medicinsk behandling hos egen læge")

WHO5_BANDS = ((35, "Høj risiko"), (50, "Nogen risiko"), (100, "Normal"))
MDI_BANDS = ((20, "Ingen eller tvivlsom depression"), (25, "Let depression"), (30, "Moderat depression"),
             (50, "Svær depression"))


def _band(score: float, bands) -> str:
    for upper, label in bands:
        if score <= upper:
            return label
    return bands[-1][1]


def who5_score(answers: Sequence[int]) -> tuple[float, str]:
    """WHO-5: five items 0-5, raw sum times 4 gives 0-100; bands of the Danish occupational therapists."""
    score = float(sum(answers) * 4)
    return score, _band(score, WHO5_BANDS)


def mdi_score(answers: Sequence[int]) -> tuple[float, str]:
    """MDI: twelve answers 0-5 in the order 1-7, 8a, 8b, 9, 10a, 10b; only the higher of 8a/8b and of
    10a/10b counts, so ten item scores sum to 0-50. Bands after Bech (0-20, 21-25, 26-30, 31-50)."""
    a = list(answers)
    score = float(sum(a[0:7]) + max(a[7], a[8]) + a[9] + max(a[10], a[11]))
    return score, _band(score, MDI_BANDS)


def add_assessments(ctx: DemoContext, track: CaseTrack) -> None:
    """Each assessing team member's assessment, the instruments at the start and, for a case that
    ran its full course, again at the end."""
    r = ctx.rng
    w = ctx.w
    c = track.c
    last = c.last_day
    sg = c.sg
    span = max(1, c.ass_done - c.ass_start)
    assessment_by_role: dict[str, int] = {}
    for role in ("coordinator", "psychologist", "physiotherapist", "doctor"):
        if role not in track.member_roles:
            continue
        x = c.ass_start if role == "coordinator" else c.ass_start + r.randint(0, span)
        if x > last:
            continue
        at = ctx.ts(track.day(x))
        signed = None
        if x + 2 <= last and (last >= c.ass_done or r.random() < 0.7):
            signed = at + dt.timedelta(minutes=r.randint(30, 360))
        author = track.member(role)
        aid = w.add("assessment", at, dict(
            case_id=c.id, author_id=author, discipline=role, assessed_on=track.day(x),
            summary=r.choice(ASSESSMENT_SUMMARIES[role]), signed_at=signed))
        assessment_by_role[role] = aid
        track.touch(x)
        sev = SUBGROUP_SEVERITY[sg]
        for heading in codes.ICF_HEADINGS:
            w.add("assessment_section", at, dict(
                assessment_id=aid, heading=heading, resources=r.choice(SECTION_RESOURCES[heading]),
                barriers=r.choice(SECTION_BARRIERS[heading]),
                degree=max(0, min(4, sev + r.choice((-1, 0, 0, 1)))),
                proposed_effort=r.choice(SECTION_EFFORTS[heading]),
                running_elsewhere=r.choice(RUNNING_ELSEWHERE)))
    instr_role = "psychologist" if "psychologist" in assessment_by_role else "coordinator"
    if instr_role in assessment_by_role:
        aid = assessment_by_role[instr_role]
        x = c.ass_start
        add_instruments(ctx, c.id, aid, track.day(x), track.member(instr_role), sg, improved=False)
        coord_aid = assessment_by_role.get("coordinator")
        w.add("instrument_result", ctx.ts(track.day(x)), dict(
            case_id=c.id, assessment_id=coord_aid, instrument="RTW_EXPECTATION", taken_on=track.day(x),
            answers_json=json.dumps([c.rtw]), score=float(c.rtw), band="",
            recorded_by_id=c.coordinator))
    if c.kind == "full" and r.random() < 0.8:
        add_instruments(ctx, c.id, None, track.day(c.close - r.randint(0, 7)), track.member("psychologist"), sg,
                        improved=c.outcome in ("full_return", "part_time_return", "fit_to_akasse"))
    if c.ass_done <= last:
        ctx.conf_event(track.day(c.ass_done), c.id, "assessment_done")


def add_instruments(ctx: DemoContext, case_id: int, assessment_id: int | None, day: dt.date, by: int,
                    sg: int | None, *, improved: bool) -> None:
    """WHO-5 and MDI answers drawn around the subgroup's severity (better after a good course)."""
    r = ctx.rng
    sev = SUBGROUP_SEVERITY[sg]
    who_mu = {1: 2.2, 2: 1.7, 3: 1.2}[sev] + (1.3 if improved else 0.0)
    mdi_mu = {1: 1.7, 2: 2.4, 3: 3.1}[sev] - (1.4 if improved else 0.0)
    who = [max(0, min(5, round(r.gauss(who_mu, 1.0)))) for _ in range(5)]
    mdi = [max(0, min(5, round(r.gauss(mdi_mu, 1.0)))) for _ in range(12)]
    at = ctx.ts(day)
    score, band = who5_score(who)
    ctx.w.add("instrument_result", at, dict(case_id=case_id, assessment_id=assessment_id, instrument="WHO5",
                                            taken_on=day, answers_json=json.dumps(who), score=score, band=band,
                                            recorded_by_id=by))
    score, band = mdi_score(mdi)
    ctx.w.add("instrument_result", at, dict(case_id=case_id, assessment_id=assessment_id, instrument="MDI",
                                            taken_on=day, answers_json=json.dumps(mdi), score=score, band=band,
                                            recorded_by_id=by))
