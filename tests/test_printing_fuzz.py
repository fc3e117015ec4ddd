"""Printing never crashes: random Unicode (emoji, right-to-left, combining marks, a 10,000-character
word, markup characters, lone surrogates) in every document builder gives a PDF, never an exception;
a character the font lacks shows the visible marker.

``BUILDERS`` lists every builder of ``app/printing`` as ``name -> render(text) -> PDF bytes``, the
text put into each of its user-text places. A new document joins with one line; a builder that is
not listed fails ``test_every_builder_is_listed``, and so does a new module of ``app.printing`` that is
neither a listed helper nor a document with ``render_*`` functions. The letter's Word copy is fuzzed
too (``NOT_PDF``): it must open, with what XML cannot hold shown as the marker.
"""
from __future__ import annotations

import datetime as dt
import importlib
import io
import pkgutil

import pdfplumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.printing
from app.printing.templates import MISSING_GLYPH
from app.services.audit_log import AuditRow, CitizenExtract

AT = dt.datetime(2026, 11, 23, 9, 30)


def _short(t: str) -> str:
    """Where the app stores at most 200 characters (letterhead, names, titles)."""
    return t[:200]


def _letterhead(t: str) -> dict:
    t = _short(t)
    return {"organisation": t or "TTA", "department": t, "address": t, "postcode_city": t, "phone": t, "email": t,
            "cvr": t}


def _row(t: str) -> AuditRow:
    return AuditRow(AT, 1, _short(t), "read", "tta_case", "TTA-2026-00001", "job_title", t)   # the detail in full


def _access_log(t: str) -> bytes:
    from app.printing.access_log import render_access_log_bytes
    return render_access_log_bytes(letterhead=_letterhead(t), title=_short(t), subject=_short(t),
                                   rows=[_row(t)] * 2, filter_text=_short(t), printed_by=_short(t), printed_at=AT)


def _audit_extract(t: str) -> bytes:
    from app.printing.audit_extract import render_audit_extract_bytes
    extract = CitizenExtract(1, _short(t), "170584-xxxx", [(1, "TTA-2026-00001")], [_row(t)] * 2, 6)
    return render_audit_extract_bytes(extract, letterhead=_letterhead(t), printed_by=_short(t), printed_at=AT)


def _recovery_key(t: str) -> bytes:
    from app.printing.recovery_key import render_recovery_key_bytes
    return render_recovery_key_bytes(recovery_key="ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567", letterhead=_letterhead(t),
                                     database=t, created_by=_short(t), created_at=AT)


def _plan(audience: str):
    def build(t: str) -> bytes:
        from app.printing.action_plan import render_action_plan
        from app.services.plans import AssessmentLink, PlanDetail, PlanDocument
        start = dt.date(2026, 11, 30)
        goals = [{"owner": owner, "text": t, "target_date": start} for owner in ("citizen", "team")]
        interventions = [{"intervention": code, "label": _short(t), "responsible_id": 1, "responsible": _short(t),
                          "start_date": start, "end_date": None, "status": "in_progress", "note": t}
                         for code in ("workplace_visit",)]    # one the employer's version shows too
        weeks = [{"week_no": 1, "starts_on": start, "weekdays": _short(t), "hours_per_week": 8.0, "tasks": t,
                  "accommodations": t, "follow_up": t, "actual_hours": None}]
        values = {"overall_goal": "own_job", "expected_return_date": start, "target_hours": 37.0, "purpose": t,
                  "citizen_view": t, "work_adaptations": t}
        plan = PlanDetail(1, 1, 3, 2, "approved", values, goals, interventions, weeks, [], _short(t), AT, _short(t), AT)
        link = AssessmentLink(1, _short(t), start, _short(t), t)
        return render_action_plan(PlanDocument(
            audience, plan, "TTA-2026-00107", _short(t), "170584-xxxx", _short(t), _short(t), _short(t), 37.0, [link],
            ["F43.2", _short(t)], [_short(t)], [_short(t)], _letterhead(t), _short(t), AT))
    return build


def _assessment_summary(t: str) -> bytes:
    """Every discipline's form with the text in each free-text field, an ICF row, an instrument note
    and an addendum: in full in the first (every field prints through the same lines), at most 200
    characters in the others, so the 10,000-character word takes seconds, not half a minute."""
    from app.assessment_fields import ASSESSMENT_FORMS, ICF_ROWS
    from app.fields import CHOICE, NUMBER, ROWS
    from app.instruments import MDI, WHO5
    from app.printing.assessment_summary import render_assessment_summary
    from app.services.assessments import AddendumRow, AssessmentDetail, InstrumentEntry, ScorePoint, SummaryData
    day = dt.date(2026, 10, 12)

    def value(f, text):
        if f.kind == ROWS:
            return [{g.name: next(iter(g.choices)) if g.kind == CHOICE else text for g in ICF_ROWS}]
        return 6.5 if f.kind == NUMBER else next(iter(f.choices)) if f.kind == CHOICE else text

    instruments = {WHO5: InstrumentEntry(WHO5, day, (3,) * 5, 60.0, _short(t), t),
                   MDI: InstrumentEntry(MDI, day, (None,) * 12, None, "")}
    texts = [t] + [_short(t)] * (len(ASSESSMENT_FORMS) - 1)
    assessments = [AssessmentDetail(n, 1, 1, d, _short(t), 1, day, AT if n % 2 else None,
                                    {f.name: value(f, text) for f in form if f.name != "assessed_on"}, instruments,
                                    (AddendumRow(1, _short(t), AT, text),))
                   for n, ((d, form), text) in enumerate(zip(ASSESSMENT_FORMS.items(), texts, strict=True))]
    data = SummaryData("TTA-2026-00107", _short(t), assessments, [ScorePoint(day, WHO5, 60.0, _short(t))],
                       _letterhead(t))
    return render_assessment_summary(data, None, printed_by=_short(t), printed_at=AT)


def _statistics(t: str) -> bytes:
    """The labels (the catalogue's, fixed today) carry the text too, and so reach the chart."""
    from app.printing.statistics import render_statistics_bytes
    from app.services import statistics as s
    period = s.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    quarters = s.quarters_between(period.start, period.end)
    label = _short(t)
    outcomes = s.OutcomeTable(period, quarters, [3, 2], 5,
                              [s.OutcomeRow("fuld_tid", label, True, [s.OutcomeCell(2, 67), s.OutcomeCell(1, 50)],
                                            s.OutcomeCell(3, 60)),
                               s.OutcomeRow("andet", label, False, [s.OutcomeCell(1, 33), s.OutcomeCell(1, 50)],
                                            s.OutcomeCell(2, 40))],
                              [s.OtherReasonRow("flyttet", label, label, [1, 1], 2)], 3, 60)
    intake = s.IntakeTable(period, 7, 44.5, 23, 61, [s.CharacteristicGroup(label, [s.CountLine(label, 7, 100)], 7)])
    follow = {m: s.FollowUpCell(2, 1, 50) for m in (3, 6, 12)}
    group = s.SubgroupRow(label, 5, 3, 60, follow, 4, 40.0, 56.0, 16.0, 14.5)
    fidelity = s.Fidelity(period, [s.FidelityCase(label, {code: True for code, _l in s.FIDELITY_COMPONENTS})],
                          [s.CountLine(label, 1, 100)], [s.CountLine(label, 1, 100)])
    report = s.StatisticsReport(period, outcomes, intake, s.WhatWorks(period, [group], group), fidelity,
                                s.VisitationSummary(7, 1, 0, 1))
    return render_statistics_bytes(report, letterhead=_letterhead(t), printed_by=_short(t), printed_at=AT)


def _conference(render_name: str):
    """The agenda and the minutes from one conference: a case item and a free item, each text field
    (chair, attendees, reason detail, the free item's title, notes, decision, tasks) carrying the text."""
    def build(t: str) -> bytes:
        import app.printing.conference_agenda as agenda
        import app.printing.conference_minutes as minutes
        from app.services.conferences import AgendaItem, ConferenceDetail
        render = {"agenda": agenda.render_agenda, "minutes": minutes.render_minutes}[render_name]
        items = [AgendaItem(1, 1, 1, 7, "TTA-2026-00107", _short(t), "new_referral", _short(t), t, "", t, t,
                            [_short(t), t]),
                 AgendaItem(2, 1, 2, None, "", "", "free", _short(t), t, _short(t), t, t, [t])]
        return render(ConferenceDetail(1, 1, dt.date(2026, 11, 26), False, _short(t), t, [(1, _short(t))] * 3, items,
                                       [(1, _short(t))], _letterhead(t), _short(t), AT))
    return build


def _meeting(render_name: str, audience: str = "all"):
    """The round-table meeting's invitation or minutes: every text field of the meeting, the
    participants, the items of each kind and the health lines carry the text."""
    def build(t: str) -> bytes:
        from app.printing.meeting_invitation import render_invitation
        from app.printing.meeting_minutes import render_minutes
        from app.services.meetings import TEXT_FIELDS, MeetingDetail, MeetingDocument
        day = dt.date(2026, 12, 3)
        values = {"meeting_type": "return_plan", "meeting_date": day, "start_time": dt.time(9, 30),
                  "duration_minutes": 60, "status": "held", "facilitator_id": 1,
                  "next_meeting_date": day + dt.timedelta(days=28),
                  **{name: t if max_len > 200 else _short(t) for name, (_label, max_len) in TEXT_FIELDS.items()}}
        people = [{"name": _short(t), "role_label": _short(t), "organisation": _short(t), "user_id": None,
                   "attended": attended, "receives_minutes": True} for attended in (True, False, None)]
        items = [{"id": n, "kind": kind, "text": t, "responsible": _short(t), "due_date": day, "task_id": None,
                  "carried_to_plan_at": None}
                 for n, kind in enumerate(("obstacle_employee", "obstacle_employer", "solution", "agreement"), 1)]
        meeting = MeetingDetail(1, 7, 1, 2, values, people, items)
        render = {"invitation": render_invitation, "minutes": render_minutes}[render_name]
        return render(MeetingDocument(audience, meeting, "TTA-2026-00107", _short(t), "170584-xxxx", _short(t),
                                      _short(t), _short(t), [_short(t), t], _letterhead(t), _short(t), AT))
    return build


def _letter_document(t: str):
    from app.services.letters import LetterDocument
    # The body as the coordinator may edit it: headings, paragraphs, a salutation, the text in each.
    body = f"{_short(t)}\n{t}\n\n{t}\n\nMed venlig hilsen\n{_short(t)}"
    return LetterDocument("TTA-2026-00107", f"{_short(t)}\n{_short(t)}\n8000 {_short(t)}", _short(t), body,
                          dt.date(2026, 11, 23), _short(t), _letterhead(t), AT)


def _letter(t: str) -> bytes:
    from app.printing.letter import render_letter
    return render_letter(_letter_document(t))


def _letter_docx(t: str) -> bytes:
    """The Word copy: not a PDF, checked by opening it (``_opens``)."""
    from app.printing.letter import render_docx
    return render_docx(_letter_document(t))


# "module.function" (with a variant in brackets where one function prints several documents) -> builder
BUILDERS = {
    "access_log.render_access_log_bytes": _access_log,
    "audit_extract.render_audit_extract_bytes": _audit_extract,
    "recovery_key.render_recovery_key_bytes": _recovery_key,
    "action_plan.render_action_plan (team)": _plan("team"),
    "action_plan.render_action_plan (citizen)": _plan("citizen"),
    "action_plan.render_action_plan (employer)": _plan("employer"),
    "assessment_summary.render_assessment_summary": _assessment_summary,
    "statistics.render_statistics_bytes": _statistics,
    "conference_agenda.render_agenda": _conference("agenda"),
    "conference_minutes.render_minutes": _conference("minutes"),
    "meeting_invitation.render_invitation": _meeting("invitation", "employer"),
    "meeting_minutes.render_minutes (all)": _meeting("minutes"),
    "meeting_minutes.render_minutes (employer)": _meeting("minutes", "employer"),
    "letter.render_letter": _letter,
    "letter.render_docx": _letter_docx,
}
# Builders whose document is not a PDF (the letter's Word copy): opened with python-docx instead,
# and Word draws a missing glyph with its own fallback font, so no marker is asked of them.
NOT_PDF = {"letter.render_docx"}
# Modules of helpers, not documents (they define no ``render_*`` function).
HELPERS = {"templates", "fonts", "styles", "blocks"}

NASTY_TEXTS = [
    "😀👩‍👩‍👧 emoji", "שלום עולם مرحبا", "e\u0301\u0302\u0303\u0304 combining", "x" * 1000,
    "<b>&amp; <para> </i> & < > \" '", "Ж Ω ğ ł ő ß", "\u200f\u202e bidi", "tab\tline\nbreak\r",
    "\ud800 lone", "", " ", "\x00\x07 control", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﷺ ﷽", "🏳️‍🌈" * 50,
]
NASTY = st.sampled_from(NASTY_TEXTS)
TEXT = st.text(max_size=300) | NASTY | st.lists(NASTY, min_size=2, max_size=4).map(" ".join)


def _renders() -> dict[str, set[str]]:
    """Module name -> its ``render_*`` functions, for every module of ``app.printing`` but the helpers."""
    renders = {}
    for mod in pkgutil.iter_modules(app.printing.__path__):
        if mod.name in HELPERS:
            continue
        module = importlib.import_module(f"app.printing.{mod.name}")
        renders[mod.name] = {n for n, f in vars(module).items()
                             if n.startswith("render_") and callable(f) and f.__module__ == module.__name__}
    return renders


def _opens(name: str, data: bytes) -> None:
    """The bytes are the document they claim to be: a PDF with pages, or a Word file that opens."""
    if name in NOT_PDF:
        import docx
        assert docx.Document(io.BytesIO(data)).paragraphs, name
        return
    assert data.startswith(b"%PDF"), name
    with pdfplumber.open(io.BytesIO(data)) as doc:
        assert doc.pages, name


def test_every_builder_is_listed():
    """Every module of ``app.printing`` is a helper or a document with ``render_*`` functions; every
    one of those functions has a builder here, and every builder here names one that exists."""
    renders = _renders()
    assert {name for name, functions in renders.items() if not functions} == set(), \
        "a module of app.printing that is neither a helper (HELPERS) nor has a render_* function"
    every = {f"{module}.{function}" for module, functions in renders.items() for function in functions}
    listed = {key.split(" ")[0] for key in BUILDERS}
    # ``render_x(path, ...)`` only writes what ``render_x_bytes`` built: covered by its builder.
    writers = {name for name in every if f"{name}_bytes" in every}
    assert every - writers - listed == set(), "render functions without a builder in BUILDERS"
    assert listed - every == set(), "builders naming a render function that does not exist"
    assert NOT_PDF <= set(BUILDERS)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=TEXT, name=st.sampled_from(sorted(BUILDERS)))
def test_random_unicode_always_gives_a_pdf(text, name):
    _opens(name, BUILDERS[name](text))


def test_a_10000_character_word_is_printed_in_every_builder():
    """Once per render function (the plan's team version has every table the other two have): a word
    that long costs ReportLab seconds in a table cell, and the file must stay quick."""
    first = {}
    for name, build in BUILDERS.items():
        first.setdefault(name.split(" ")[0], (name, build))
    for name, build in first.values():
        _opens(name, build("ø" * 10_000))


def test_every_nasty_text_in_every_builder():
    """Each of the hand-picked nasty texts once in each builder (the random test samples the pairs;
    the long ones are left to it and to the 10,000-character word, for time)."""
    for text in (t for t in NASTY_TEXTS if len(t) <= 300):
        for name, build in BUILDERS.items():
            try:
                _opens(name, build(text))
            except Exception as exc:
                raise AssertionError(f"{name} failed on {text[:40]!r}") from exc


def test_a_glyph_the_font_lacks_is_a_visible_marker():
    for name, build in BUILDERS.items():
        if name in NOT_PDF:   # Word draws the emoji itself; what XML cannot hold is marked
            import docx
            paragraphs = docx.Document(io.BytesIO(build("\x07\ud800 Ærø"))).paragraphs
            assert any(MISSING_GLYPH + " Ærø" in p.text for p in paragraphs), name
            continue
        with pdfplumber.open(io.BytesIO(build("😀 Ærø"))) as doc:
            words = "\n".join(p.extract_text() or "" for p in doc.pages)
        assert MISSING_GLYPH in words and "Ærø" in words, name
