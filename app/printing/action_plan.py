"""The printed action plan (TTA-handlingsplan): one builder, three audiences.

- ``team``: everything, including what the plan rests on (assessments, ICD-10 codes, reasons for
  absence, instrument scores);
- ``citizen``: the same plan in plain Danish, addressed to the citizen ("du"), without codes;
- ``employer``: the overall goal, the agreed hours week by week, tasks at work, adaptations and the
  interventions at the workplace, and never a diagnosis, an ICD code, a score or an assessment
  finding (the data for it carries none: ``PlanService.plan_document`` leaves them out, and this
  module prints no health section for the employer either way).

The document is duck-typed like ``app.services.plans.PlanDocument``. No database access here.
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.plan_fields import INTERVENTION_STATUS_LABELS, PLAN_GOAL_LABELS
from app.printing.blocks import document_styles, heading, text_block
from app.printing.styles import INK, MUTED, RULE, data_table
from app.printing.templates import TEXT_WIDTH, build_document, format_datetime, para, safe

TITLES = {"team": "Handlingsplan", "citizen": "Din handlingsplan", "employer": "Plan for tilbagevenden til arbejdet"}
STATUS_WORDS = {"draft": "Kladde – ikke godkendt", "approved": "Godkendt",
                "superseded": "Erstattet af en nyere version"}
WORKPLACE_INTERVENTIONS = frozenset({"workplace_visit", "round_table", "gradual_return", "workplace_mentor",
                                     "workplace_consultant", "job_matching"})
CITIZEN_GOALS = {"own_job": "at du vender tilbage til dit arbejde", "other_job": "at du kommer i et andet job",
                 "clarification": "at vi sammen finder ud af, hvad du kan arbejde med, og hvad der skal ske bagefter",
                 "other": "det mål, der er beskrevet nedenfor"}


def hours(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def day(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return day(start) if start == end else f"{day(start)} – {day(end)}"
    if start:
        return f"fra {day(start)}"
    return f"til {day(end)}" if end else "aftales"


def render_action_plan(doc) -> bytes:
    """The PDF of one plan version for ``doc.audience``."""
    title = f"{TITLES[doc.audience]} – {doc.citizen_name} – version {doc.plan.version_no}"
    return build_document(doc, action_plan_story, title=title, subject=doc.case_number)


def action_plan_story(doc) -> list[Flowable]:
    st = document_styles()
    audience = doc.audience
    story: list[Flowable] = [Paragraph(TITLES[audience], st["Title"]), para(doc.citizen_name, st["Subtitle"])]
    story.append(_facts(doc, st))
    story.append(Spacer(1, 3 * mm))
    if audience == "citizen":
        story += _citizen_body(doc, st)
    elif audience == "employer":
        story += _employer_body(doc, st)
    else:
        story += _team_body(doc, st)
    story += _signatures(doc, st)
    return story


def _facts(doc, st) -> Table:
    """The key facts as a two-column box: case, coordinator, workplace, version and approval, date."""
    plan = doc.plan
    approval = (f"Godkendt {format_datetime(plan.approved_at)} af {plan.approved_by}" if plan.approved_at
                else STATUS_WORDS.get(plan.status, plan.status))
    if plan.status == "superseded":
        approval += " (erstattet af en nyere version)"
    rows = []
    if doc.audience == "team":
        rows.append(("Forløb", f"{doc.case_number}, CPR-nr. {doc.cpr_masked}"))
    elif doc.audience == "citizen":
        rows.append(("Sagsnummer", doc.case_number))
    rows.append(("Koordinator" if doc.audience != "citizen" else "Din koordinator", doc.coordinator or "–"))
    if doc.employer or doc.job_title:
        rows.append(("Arbejdsplads", ", ".join(t for t in (doc.employer, doc.job_title) if t)))
    rows += [("Version", f"{plan.version_no} – {approval}"), ("Udskrevet", day(doc.printed_at.date()))]
    label, cell = st["TableHead"], st["TableCell"]
    t = Table([[Paragraph(k, label), para(v, cell)] for k, v in rows], colWidths=[32 * mm, TEXT_WIDTH - 32 * mm],
              hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                           ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE)]))
    return t


def _overall_goal(plan) -> str:
    v = plan.values
    parts = [PLAN_GOAL_LABELS.get(v.get("overall_goal"), "")]
    if v.get("expected_return_date"):
        parts.append(f"måldato {day(v['expected_return_date'])}")
    if v.get("target_hours") is not None:
        parts.append(f"{hours(v['target_hours'])} timer om ugen")
    return ", ".join(p for p in parts if p)


def _goals_table(goals: list, st, *, owner_column: bool) -> list[Flowable]:
    cell, head = st["TableCell"], st["TableHead"]
    if owner_column:
        data = [[Paragraph(h, head) for h in ("Hvis mål", "Mål", "Frist")]]
        data += [[Paragraph("Borgerens" if g["owner"] == "citizen" else "Delmål", cell), para(g["text"], cell),
                  Paragraph(day(g["target_date"]), cell)] for g in goals]
        widths = [26 * mm, TEXT_WIDTH - 50 * mm, 24 * mm]
    else:
        data = [[Paragraph(h, head) for h in ("Mål", "Frist")]]
        data += [[para(g["text"], cell), Paragraph(day(g["target_date"]), cell)] for g in goals]
        widths = [TEXT_WIDTH - 24 * mm, 24 * mm]
    return [data_table(data, widths)]


def _interventions_table(items: list, st, *, status: bool = True) -> list[Flowable]:
    cell, head, muted = st["TableCell"], st["TableHead"], st["TableCellMuted"]
    columns = ["Indsats", "Ansvarlig", "Periode"] + (["Status"] if status else []) + ["Note"]
    data: list[list] = [[Paragraph(h, head) for h in columns]]
    for i in items:
        row = [para(i["label"], cell), para(i["responsible"] or "Koordinatoren", cell),
               Paragraph(period(i["start_date"], i["end_date"]), cell)]
        if status:
            row.append(Paragraph(INTERVENTION_STATUS_LABELS.get(i["status"], i["status"]), cell))
        row.append(para(i["note"], muted))
        data.append(row)
    fixed = [52 * mm, 34 * mm, 36 * mm] + ([18 * mm] if status else [])
    return [data_table(data, fixed + [TEXT_WIDTH - sum(fixed)])]


def _schedule_table(weeks: list, st, *, actual: bool, accommodations: bool = True) -> list[Flowable]:
    cell, head, right = st["TableCell"], st["TableHead"], st["TableCellRight"]
    columns = ["Uge", "Fra", "Dage", "Timer"] + (["Faktisk"] if actual else []) + ["Opgaver"]
    columns += ["Skånehensyn", "Opfølgning"] if accommodations else []
    data: list[list] = [[Paragraph(h, head) for h in columns]]
    for w in weeks:
        row = [Paragraph(str(w["week_no"]), cell), Paragraph(day(w["starts_on"]), cell), para(w["weekdays"], cell),
               Paragraph(hours(w["hours_per_week"]), right)]
        if actual:
            row.append(Paragraph(hours(w["actual_hours"]) or "–", right))
        row.append(para(w["tasks"], cell))
        if accommodations:
            row += [para(w["accommodations"], cell), para(w["follow_up"], cell)]
        data.append(row)
    fixed = [9 * mm, 19 * mm, 22 * mm, 12 * mm] + ([15 * mm] if actual else [])
    rest = TEXT_WIDTH - sum(fixed)
    flexible = [rest * 0.4, rest * 0.3, rest * 0.3] if accommodations else [rest]
    return [data_table(data, fixed + flexible)]


def _team_body(doc, st) -> list[Flowable]:
    plan = doc.plan
    out = heading("Overordnet mål", st) + [para(_overall_goal(plan) or "Ikke angivet", st["BodyText"])]
    out += text_block("Formål", plan.values.get("purpose"), st)
    out += text_block("Borgerens egne ord", plan.values.get("citizen_view"), st)
    out += heading("Mål og delmål", st)
    out += _goals_table(plan.goals, st, owner_column=True) if plan.goals else [
        Paragraph("Ingen mål skrevet.", st["Empty"])]
    grounds = [f"{a.discipline}, {day(a.assessed_on)} ({a.author})" + (f": {a.summary}" if a.summary else "")
               for a in doc.assessments]
    if doc.icd10:
        grounds.append("Diagnosekoder (ICD-10): " + ", ".join(doc.icd10))
    if doc.absence_reasons:
        grounds.append("Årsager til fraværet: " + ", ".join(doc.absence_reasons))
    grounds += [f"Test: {s}" for s in doc.scores]
    if grounds:
        out += heading("Grundlag", st) + [para("• " + g, st["BodyText"]) for g in grounds]
    out += heading("Indsatser", st)
    out += _interventions_table(plan.interventions, st) if plan.interventions else [
        Paragraph("Ingen indsatser valgt.", st["Empty"])]
    if plan.weeks:
        out += heading("Gradvis tilbagevenden", st)
        out += [para(_contract_line(doc), st["Meta"])]
        out += _schedule_table(plan.weeks, st, actual=True)
    out += text_block("Opgaver og tilpasninger på arbejdet", plan.values.get("work_adaptations"), st)
    return out


def _contract_line(doc) -> str:
    if doc.contract_hours is None:
        return "Normal arbejdstid er ikke oplyst."
    return f"Normal arbejdstid: {hours(doc.contract_hours)} timer om ugen."


def _citizen_body(doc, st) -> list[Flowable]:
    plan = doc.plan
    v = plan.values
    goal = CITIZEN_GOALS.get(v.get("overall_goal"), CITIZEN_GOALS["other"])
    intro = (f"Her er den plan, vi har lagt sammen med dig. Målet er {goal}"
             + (f", og vi regner med at nå det omkring {day(v['expected_return_date'])}"
                if v.get("expected_return_date") else "") + ".")
    if v.get("target_hours") is not None:
        intro += f" Når planen er gennemført, arbejder du {hours(v['target_hours'])} timer om ugen."
    out = [para(intro, st["BodyText"])]
    out += text_block("Det vil vi opnå", v.get("purpose"), st)
    own = [g for g in plan.goals if g["owner"] == "citizen"]
    if v.get("citizen_view") or own:
        out += heading("Dine egne mål", st)
        if v.get("citizen_view"):
            out.append(para(v["citizen_view"], st["BodyText"]))
        if own:
            out += _goals_table(own, st, owner_column=False)
    team = [g for g in plan.goals if g["owner"] == "team"]
    if team:
        out += heading("Det arbejder vi hen imod", st) + _goals_table(team, st, owner_column=False)
    out += heading("Det skal der ske", st)
    out += _interventions_table(plan.interventions, st, status=False) if plan.interventions else [
        Paragraph("Vi aftaler indsatserne med dig.", st["Empty"])]
    if plan.weeks:
        out += heading("Sådan vender du gradvist tilbage", st)
        out.append(para("Timerne stiger lidt uge for uge. Fortæl din koordinator, hvis det går for hurtigt.",
                        st["BodyText"]))
        out += _schedule_table(plan.weeks, st, actual=False)
    out += text_block("Det er aftalt med din arbejdsplads", v.get("work_adaptations"), st)
    out += heading("Har du spørgsmål?", st)
    out.append(para(f"Kontakt din koordinator{', ' + doc.coordinator if doc.coordinator else ''}. "
                    "Du kan altid bede om at få planen ændret.", st["BodyText"]))
    return out


def _employer_body(doc, st) -> list[Flowable]:
    plan = doc.plan
    out = [para("Planen er aftalt med medarbejderen. Den beskriver timer, opgaver og tilpasninger på arbejdet og "
                "indeholder ingen helbredsoplysninger.", st["BodyText"])]
    out += heading("Mål", st) + [para(_overall_goal(plan) or "Ikke angivet", st["BodyText"])]
    if plan.weeks:
        out += heading("Aftalte timer uge for uge", st)
        out += [para(_contract_line(doc), st["Meta"])]
        out += _schedule_table(plan.weeks, st, actual=False)
    out += text_block("Opgaver og tilpasninger på arbejdet", plan.values.get("work_adaptations"), st)
    at_work = [i for i in plan.interventions if i["intervention"] in WORKPLACE_INTERVENTIONS]
    if at_work:
        out += heading("Det sker på arbejdspladsen", st) + _interventions_table(at_work, st, status=False)
    return out


def _signatures(doc, st) -> list[Flowable]:
    """Three signature lines: citizen, coordinator, employer."""
    cell = st["TableCell"]
    names = [("Borger", doc.citizen_name), ("Koordinator", doc.coordinator), ("Arbejdsgiver", doc.employer)]
    gap = 8 * mm
    width = (TEXT_WIDTH - 2 * gap) / 3
    data = [["", "", "", "", ""],
            [Paragraph(f"<b>{role}</b><br/>{safe(name)}<br/>Dato og underskrift", cell) if i % 2 == 0 else ""
             for i, (role, name) in enumerate(_interleave(names))]]
    t = Table(data, colWidths=[width, gap, width, gap, width], rowHeights=[16 * mm, None], hAlign="LEFT")
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (0, 0), 0.6, INK), ("LINEBELOW", (2, 0), (2, 0), 0.6, INK),
                           ("LINEBELOW", (4, 0), (4, 0), 0.6, INK), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TEXTCOLOR", (0, 1), (-1, 1), MUTED), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 8 * mm), KeepTogether([Paragraph("Underskrifter", st["Heading1"]), t])]


def _interleave(names):
    out = []
    for n, item in enumerate(names):
        if n:
            out.append(("", ""))
        out.append(item)
    return out
