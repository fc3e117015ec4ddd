"""The invitation letter to a round-table meeting (rundbordssamtale): when, where, why, the agenda and
who is invited, and the ground rules (voluntary, confidential, never about dismissal). It goes to
every participant, the employer too, so it holds nothing about health.

The document is duck-typed like ``app.services.meetings.MeetingDocument``. No database access here.
"""
from __future__ import annotations

from reportlab.platypus import Flowable

from app.printing.blocks import bullets, day, document_head, document_styles, heading, moment, participants, text_block
from app.printing.templates import build_document, para

TYPE_WORDS = {"status": "status på forløbet", "return_plan": "planen for at vende tilbage til arbejdet",
              "future_job": "afklaring af det fremtidige job"}
GROUND_RULES = ("Mødet er frivilligt og fortroligt.",
                "Mødet handler om, hvordan arbejdet kan tilrettelægges, så tilbagevenden lykkes. "
                "Det er aldrig en afskedigelsessamtale.",
                "Helbredsoplysninger drøftes kun som funktion: hvad der kan lade sig gøre nu, ikke diagnoser.",
                "Der skrives et referat med de aftaler, vi når frem til. Alle deltagere får det.")


def render_invitation(doc) -> bytes:
    return build_document(doc, invitation_story, subject=doc.case_number,
                          title=f"Invitation til rundbordssamtale {day(doc.meeting.values['meeting_date'])}")


def invitation_story(doc) -> list[Flowable]:
    st = document_styles()
    m = doc.meeting
    v = m.values
    when = moment(v["meeting_date"], v["start_time"])
    story = document_head("Invitation til rundbordssamtale",
                          f"om {TYPE_WORDS.get(v['meeting_type'], 'forløbet')} for {doc.citizen_name}",
                          [("Tidspunkt", f"{when} ({v['duration_minutes']} minutter)"),
                           ("Sted", v["location"] or "Oplyses senere"),
                           ("Mødeleder", doc.facilitator or doc.coordinator or "TTA-teamet"),
                           ("Sagsnummer", doc.case_number)], st)
    story += text_block("Formål", v["purpose"], st)
    story += text_block("Dagsorden", v["agenda"], st)
    story += participants("Inviterede", m.participants, st)
    story += heading("Godt at vide", st) + bullets(GROUND_RULES, st)
    story.append(para("Kan du ikke komme, så giv besked til mødelederen, så vi kan finde en anden tid.",
                      st["BodyText"]))
    return story
