"""The minutes (referat) of a round-table meeting, for every participant.

Two copies from one builder: ``all`` (the citizen, the team, the GP, the caseworker) may carry a
short health background (ICD codes, latest scores); ``employer`` shows functional limits and
agreements, never a diagnosis, an ICD code, a score or an assessment finding. The data for the
employer's copy carries none (``MeetingService.meeting_document`` leaves them out), and this module
prints no health section for the employer either way.

The document is duck-typed like ``app.services.meetings.MeetingDocument``. No database access here.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from app.printing.blocks import bullets, day, document_head, document_styles, heading, moment, participants, text_block
from app.printing.styles import data_table
from app.printing.templates import TEXT_WIDTH, build_document, para

KIND_HEADINGS = (("obstacle_employee", "Forhindringer set fra medarbejderen"),
                 ("obstacle_employer", "Forhindringer set fra arbejdsgiveren"),
                 ("solution", "Løsninger"))
TYPE_LABELS = {"status": "Statusmøde", "return_plan": "Plan for tilbagevenden",
               "future_job": "Afklaring af fremtidigt job"}


def render_minutes(doc) -> bytes:
    return build_document(doc, minutes_story, subject=doc.case_number,
                          title=f"Referat af rundbordssamtale {day(doc.meeting.values['meeting_date'])}")


def minutes_story(doc) -> list[Flowable]:
    st = document_styles()
    m = doc.meeting
    v = m.values
    employer = doc.audience == "employer"
    rows = [("Møde", f"{TYPE_LABELS.get(v['meeting_type'], '')}, {moment(v['meeting_date'], v['start_time'])}"),
            ("Sted", v["location"] or "–"), ("Mødeleder", doc.facilitator or doc.coordinator or "–")]
    if not employer:
        rows.append(("Forløb", f"{doc.case_number}, CPR-nr. {doc.cpr_masked}"))
    rows.append(("Kopi", "Arbejdsgiverens kopi" if employer else "Deltagernes kopi"))
    story = document_head("Referat af rundbordssamtale", f"{doc.citizen_name} – møde nr. {m.sequence_no}", rows, st)
    story += participants("Deltagere", m.participants, st, attended=True)
    story += text_block("Formål", v["purpose"], st)
    story += text_block("Medarbejderens egen beretning", v["citizen_account"], st)
    story += text_block("Helbred som funktion", v["function_description"], st)
    if doc.health and not employer:
        story += heading("Baggrund fra udredningen (ikke til arbejdsgiveren)", st) + bullets(doc.health, st)
    story += text_block("Arbejdspladsens muligheder", v["workplace_options"], st)
    for kind, title in KIND_HEADINGS:
        texts = [i["text"] for i in m.items if i["kind"] == kind]
        if texts:
            story += heading(title, st) + bullets(texts, st)
    agreements = [i for i in m.items if i["kind"] == "agreement"]
    story += heading("Aftaler", st)
    if agreements:
        cell, head = st["TableCell"], st["TableHead"]
        data = [[Paragraph(h, head) for h in ("Hvem", "Hvad", "Hvornår")]]
        data += [[para(i["responsible"] or "–", cell), para(i["text"], cell), Paragraph(day(i["due_date"]), cell)]
                 for i in agreements]
        story.append(data_table(data, [40 * mm, TEXT_WIDTH - 64 * mm, 24 * mm]))
    else:
        story.append(Paragraph("Ingen aftaler skrevet.", st["Empty"]))
    story += text_block("Hvad kollegerne må få at vide", v["colleagues_info"], st)
    story += heading("Næste møde", st)
    story.append(para(day(v["next_meeting_date"]) or "Aftales senere", st["BodyText"]))
    return story
