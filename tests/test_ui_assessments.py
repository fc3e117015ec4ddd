"""Drive the real Udredning tab: a psychologist fills in and signs a psychological assessment with a
WHO-5, a physiotherapist cannot change it, a psychologist off the case sees only that it exists, the
coordinator sees the scores and band on the Oversigt, an addendum appears under the signed assessment."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from db.models import Assessment, InstrumentResult
from tests.factories import make_case, make_user
from tests.ui_helpers import record_tab
from ui.record.assessments import AssessmentsTab
from ui.record.overview import OverviewTab
from ui.record.record import CaseRecord

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]

WHO5_44 = [2, 2, 2, 2, 3]


@pytest.fixture
def world(services, clock):
    clock.now = dt.datetime(2026, 11, 20, 10, 0)
    w = type("W", (), {})()
    w.coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    w.psych = make_user(services, "psychologist", "psyk", full_name="Pia Psykolog")
    w.physio = make_user(services, "physiotherapist", "fys", full_name="Frank Fysioterapeut")
    w.stranger = make_user(services, "psychologist", "psyk2", full_name="Peter Psykolog")
    w.case = make_case(services, phase="assessment", coordinator_id=w.coord.user_id,
                       team_member_ids=[w.psych.user_id, w.physio.user_id])
    return w


def click(qtbot, button, settle):
    assert button.isVisibleTo(button.window()) and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    settle()


def signed_assessment(services, w) -> int:
    sv = services.assessments
    aid = sv.save_draft(w.psych, w.case, values={"assessed_on": dt.date(2026, 11, 18), "summary": "Stress."},
                        instruments={"WHO5": WHO5_44})
    sv.sign(w.psych, aid, expected_version=sv.get(w.psych, aid).version)
    return aid


def choose(qtbot, tab, settle, row: int = 0) -> None:
    tab.table.selectRow(row)
    settle()


def test_a_psychologist_fills_in_and_signs_a_psychological_assessment_with_who5(qtbot, services, world, settle,
                                                                                answer):
    w = world
    record, tab = record_tab(qtbot, services, w.psych, w.case, settle, AssessmentsTab, shown=False)
    assert "Opret den første" in tab.empty.text()
    click(qtbot, tab.new_button, settle)
    form = tab.editor.form
    assert tab.heading.text() == "Ny: Psykologisk udredning"
    qtbot.keyClicks(form.inputs["presenting_problems"], "Søvnbesvær og nedsat koncentration")
    qtbot.keyClicks(form.inputs["psychological_findings"], "Tristhed, ingen selvmordstanker")
    who5 = tab.editor.instruments["WHO5"]
    for i, value in enumerate(WHO5_44[:4]):
        who5.set_answer(i, value)
    assert "mangler svar på spørgsmål 5" in who5.result.text()
    assert record.has_unsaved_changes()
    who5.set_answer(4, WHO5_44[4])
    assert who5.result.text() == "Score: 44 af 100 – Nogen risiko"
    # Signing without the overall assessment: refused, shown on the form, nothing signed.
    answer("yes")
    click(qtbot, tab.sign_button, settle)
    assert "Samlet vurdering" in tab.errors.text()
    qtbot.keyClicks(form.inputs["summary"], "Arbejdsrelateret stress med depressive træk.")
    click(qtbot, tab.sign_button, settle)
    assert answer.asked[-1][0] == "Underskriv udredningen"
    with services.db.read() as s:
        a = s.query(Assessment).one()
        assert a.signed_at is not None and a.presenting_problems == "Søvnbesvær og nedsat koncentration"
        r = s.query(InstrumentResult).one()
        assert (r.instrument, r.score, r.band) == ("WHO5", 44, "Nogen risiko")
    assert not record.has_unsaved_changes()
    assert tab.model.rows[0][1:] == ["Psykolog", "Pia Psykolog", "Underskrevet 20-11-2026", "WHO-5 44"]
    # Signed: read-only, and the author may only add an addendum.
    assert "Kan ikke rettes" in tab.state_label.text()
    assert not tab.save_button.isVisibleTo(tab) and not tab.sign_button.isVisibleTo(tab)
    assert not form.inputs["summary"].isVisibleTo(tab)
    assert form.value_labels["summary"].text() == "Arbejdsrelateret stress med depressive træk."
    assert tab.addendum_button.isVisibleTo(tab)


def test_a_physiotherapist_reads_but_cannot_edit_the_psychologists_assessment(qtbot, services, world, settle):
    w = world
    sv = services.assessments
    sv.save_draft(w.psych, w.case, values={"assessed_on": dt.date(2026, 11, 18), "summary": "Kladde."},
                  instruments={"WHO5": WHO5_44})
    _record, tab = record_tab(qtbot, services, w.physio, w.case, settle, AssessmentsTab, shown=False)
    assert tab.new_button.isVisibleTo(tab)          # their own discipline's assessment
    choose(qtbot, tab, settle)
    assert tab.heading.text() == "Psykologisk udredning"
    form = tab.editor.form
    assert form.value_labels["summary"].text() == "Kladde."
    assert not any(w_.isVisibleTo(tab) for w_ in form.inputs.values())
    assert not tab.editor.instruments["WHO5"].choices[0].isEnabled()
    assert not tab.save_button.isVisibleTo(tab) and not tab.sign_button.isVisibleTo(tab)
    assert not tab.addendum_button.isVisibleTo(tab)


def test_the_coordinator_sees_the_latest_scores_and_band_on_the_overview(qtbot, services, world, settle):
    w = world
    signed_assessment(services, w)
    services.assessments.save_draft(w.psych, w.case, values={"assessed_on": dt.date(2026, 11, 19)},
                                    instruments={"WHO5": [3, 3, 3, 3, 3], "MDI": [1] * 12})
    record = CaseRecord(services, w.coord, w.case)
    qtbot.addWidget(record)
    settle()
    tab = record.tab(OverviewTab)
    settle()
    assert tab.scores_box.values["WHO5"].text() == "60 – Normal (19-11-2026), +16 siden sidst – klinisk relevant"
    assert tab.scores_box.values["MDI"].text() == "10 – Ingen eller tvivlsom depression (19-11-2026)"


def test_an_addendum_appears_under_the_signed_assessment(qtbot, services, world, settle, clock):
    w = world
    signed_assessment(services, w)
    record, tab = record_tab(qtbot, services, w.psych, w.case, settle, AssessmentsTab, shown=False)
    choose(qtbot, tab, settle)
    clock.now = dt.datetime(2026, 11, 21, 9, 30)
    qtbot.keyClicks(tab.addendum_text, "Borgeren oplyser nu også søvnproblemer.")
    assert record.has_unsaved_changes()
    click(qtbot, tab.addendum_button, settle)
    shown = [tab.addenda.itemAt(i).widget().text() for i in range(tab.addenda.count())]
    assert any("Tillæg 21-11-2026" in t and "Pia Psykolog" in t for t in shown)
    assert "Borgeren oplyser nu også søvnproblemer." in shown
    assert not record.has_unsaved_changes()
    assert tab.model.rows[0][3] == "Underskrevet 20-11-2026, 1 tillæg"


def test_the_coordinator_previews_the_summary_and_saves_it_as_pdf(qtbot, services, world, settle, tmp_path,
                                                                   monkeypatch):
    import pdfplumber
    from sqlalchemy import select

    from db.models import AuditEntry
    from ui.dialogs import print_preview
    w = world
    signed_assessment(services, w)
    record, tab = record_tab(qtbot, services, w.coord, w.case, settle, AssessmentsTab, shown=False)
    monkeypatch.setattr(print_preview, "ask_save_path", lambda *a, **k: tmp_path / "udredning.pdf")
    click(qtbot, tab.print_button, settle)
    preview = tab.preview
    qtbot.addWidget(preview)
    assert preview.document.pageCount() >= 1
    with services.db.read() as s:   # a preview is no print
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
    click(qtbot, preview.save_button, settle)
    with pdfplumber.open(tmp_path / "udredning.pdf") as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Pia Psykolog" in text and "WHO-5" in text
    with services.db.read() as s:
        printed = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print")).all()
    assert printed == ["udredningsresumé: pdf udredning.pdf"]
