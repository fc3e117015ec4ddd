"""Team assessments (one per discipline, with the five ICF sections, the common structured fields and the
discipline's own), a few addenda, and WHO-5/MDI/expectation results scored by ``app.instruments``,
with WHO-5 follow-ups over the course."""
from __future__ import annotations

import datetime as dt
import json

from app.demo.context import CaseTrack, DemoContext
from app.demo.outline import SUBGROUP_SEVERITY
from app.instruments import MDI, RTW_EXPECTATION, WHO5, score
from db import codes

ASSESSMENT_SUMMARIES = {
    "job_consultant": (
        "Arbejdsevnen vurderet ud fra ressourceprofilen; gode muligheder for at fastholde jobbet.",
        "Ingen arbejdsplads at vende tilbage til; jobmatch og virksomhedspraktik anbefales.",
    ),
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

COMMON_TEXT = {
    "presenting_problems": ("Søvnbesvær og nedsat koncentration", "Tristhed, uro og træthed",
                            "Angst ved tanken om at møde på arbejde", "Udmattelse efter lang tids højt arbejdspres"),
    "resources": ("Motiveret og har god støtte fra familien", "Lang erfaring i faget og gode relationer til kolleger",
                  "God selvindsigt", "Fysisk aktiv og har struktur på dagen"),
    "barriers_personal": ("Høje krav til sig selv", "Svært ved at sige fra", "Skyld over sygemeldingen", ""),
    "barriers_workplace": ("Højt arbejdspres i afdelingen", "Uafklaret konflikt med nærmeste leder",
                           "Organisationsændring med uklare opgaver", ""),
    "barriers_other": ("Økonomiske bekymringer", "Syg forælder", "", ""),
    "functional_level": ("Kan arbejde 2-3 timer dagligt med enkle opgaver", "Kan ikke p.t. varetage kundekontakt",
                         "Kan klare vante opgaver i kortere perioder med pauser"),
    "treatment_status": ("Samtaler hos privatpraktiserende psykolog", "Medicinsk behandling hos egen læge",
                         "Ingen behandling ud over forløbet", "Venter på vurdering i distriktspsykiatrien"),
    "recommendation": ("Gradvis tilbagevenden med nedsat tid og tilpassede opgaver",
                       "Rundbordssamtale med arbejdspladsen",
                       "Støttende samtaler og stresshåndteringskursus", "Afklaring af arbejdsevne og jobmatch"),
}
OWN_TEXT = {
    "psychologist": {"psychological_findings": ("Depressive symptomer i moderat grad",
                                                "Stresssymptomer uden depression", "Angst med undgåelsesadfærd"),
                     "work_stressors": ("Mange samtidige opgaver og afbrydelser", "Konflikt med leder"),
                     "coping": ("God indsigt, motiveret for forandring", "Tendens til at trække sig")},
    "physiotherapist": {"physical_capacity": ("Spændinger i nakke og skuldre", "Nedsat kondition"),
                        "work_physiology": ("Behov for variation og pauser", "Kan klare let fysisk arbejde")},
    "doctor": {"treatment_plan": ("Fortsat behandling hos egen læge", "Henvises til psykiater"),
               "work_capacity": ("Delvis arbejdsevne, forventes at øges", "Arbejdsevnen er p.t. uafklaret"),
               "accommodations": ("Nedsat tid og ingen natarbejde", "Skånehensyn i forhold til kundekontakt")},
    "job_consultant": {"work_ability": ("Arbejdsevnen kan udvikles med støtte",
                                        "God arbejdsidentitet, behov for jobmatch"),
                       "education": ("Faglært", "Kort videregående uddannelse"),
                       "work_experience": ("15 år i samme branche", "Skiftende ufaglærte job"),
                       "work_wishes": ("Ønsker at vende tilbage til samme arbejdsplads", "Ønsker nye opgaver"),
                       "social_network": ("Godt netværk", "Få sociale relationer")},
    "coordinator": {"team_summary": ("Teamet anbefaler gradvis tilbagevenden.", "Behov for yderligere afklaring."),
                    "citizen_view": ("Borgeren ønsker at vende tilbage, men er usikker på tempoet.",
                                     "Borgeren er i tvivl om arbejdspladsen er den rette.")},
}
ADDENDA = ("Borgeren har efterfølgende oplyst, at behandling hos egen læge er opstartet.",
           "Rettelse: arbejdstiden ved sygemeldingen var 37 timer, ikke 32.",
           "Supplerende samtale holdt; vurderingen står ved magt.")
DISCIPLINE_ORDER = ("coordinator", "psychologist", "physiotherapist", "doctor", "job_consultant")


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
    for role in DISCIPLINE_ORDER:
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
        # One draw picks every text (the demo must stay fast for the 10,000-case bench database).
        pick = r.getrandbits(16)
        common = {k: v[(pick >> i) % len(v)] for i, (k, v) in enumerate(COMMON_TEXT.items())}
        own = {k: v[(pick >> i) % len(v)] for i, (k, v) in enumerate(OWN_TEXT[role].items())}
        if role == "physiotherapist":
            own["hours_per_day"] = r.choice((2, 3, 4, 6))
        aid = w.add("assessment", at, dict(
            case_id=c.id, author_id=author, discipline=role, assessed_on=track.day(x),
            summary=r.choice(ASSESSMENT_SUMMARIES[role]), signed_at=signed,
            details_json=json.dumps(own, ensure_ascii=False, sort_keys=True), **common))
        if signed is not None and x + 12 <= last and r.random() < 0.12:
            w.add("assessment_addendum", signed + dt.timedelta(days=r.randint(1, 10)), dict(
                assessment_id=aid, author_id=author, text=r.choice(ADDENDA)))
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
        rtw = [c.rtw, 0 if c.rtw >= 8 else 1 if c.rtw >= 5 else r.choice((2, 3, 5))]
        ctx.w.add("instrument_result", ctx.ts(track.day(x)), _result(c.id, coord_aid, RTW_EXPECTATION, track.day(x),
                                                                      rtw, c.coordinator))
        # WHO-5 follow-ups during the intervention (every 3-5 weeks): the series the statistics read.
        day = c.ass_done + r.randint(14, 35)
        end = min(last, c.close if c.kind in ("full", "early") else last)
        step = 0
        while day < end - 14 and step < 3:
            step += 1
            ctx.w.add("instrument_result", ctx.ts(track.day(day)), _result(
                c.id, None, WHO5, track.day(day), _who5_answers(ctx, sg, lift=0.35 * step), track.member(instr_role)))
            day += r.randint(21, 35)
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
    ctx.w.add("instrument_result", at, _result(case_id, assessment_id, WHO5, day, who, by))
    ctx.w.add("instrument_result", at, _result(case_id, assessment_id, MDI, day, mdi, by))


def _who5_answers(ctx: DemoContext, sg: int | None, *, lift: float) -> list[int]:
    mu = {1: 2.2, 2: 1.7, 3: 1.2}[SUBGROUP_SEVERITY[sg]] + lift
    return [max(0, min(5, round(ctx.rng.gauss(mu, 1.0)))) for _ in range(5)]


def _result(case_id: int, assessment_id: int | None, code: str, day: dt.date, answers: list[int], by: int) -> dict:
    """An instrument_result row scored by ``app.instruments`` (the same scoring the service uses)."""
    s = score(code, answers)
    return dict(case_id=case_id, assessment_id=assessment_id, instrument=code, taken_on=day,
                answers_json=json.dumps(answers), score=s.value, band=s.band, recorded_by_id=by)
