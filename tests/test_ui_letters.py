"""The Breve tab driven as a coordinator does: the closing report of a demo case written from its
template, edited, previewed and printed, then found in the letter log with its PDF; a letter to the
employer refused without consent, allowed once consent is recorded, and never carrying a diagnosis."""
from __future__ import annotations

import datetime as dt
import re

import pdfplumber
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.demo import DEMO_PASSWORD, generate_demo
from app.letter_templates import DIAGNOSIS_WORDS
from db.models import Case
from tests.factories import make_user, referral_input
from ui.dialogs import print_preview
from ui.record.letters import LettersTab
from ui.record.record import CaseRecord


def open_tab(qtbot, services, actor, case_id, settle) -> LettersTab:
    record = CaseRecord(services, actor, case_id)
    qtbot.addWidget(record)
    record.resize(1280, 800)
    record.show()
    record.activateWindow()
    qtbot.waitUntil(record.isActiveWindow, timeout=2000)
    settle()
    tab = record.tab(LettersTab)
    settle()
    return tab


def click(qtbot, button, settle) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    settle()


def choose_template(tab, code: str) -> None:
    tab.template.setCurrentIndex(tab.template.findData(code))


def test_closing_report_of_a_demo_case_previewed_printed_and_logged(qtbot, printed_pdf, services, settle):
    with services.db.write() as s:
        generate_demo(s, cases=30, seed=3, today=dt.date(2026, 11, 22))
    coord = services.auth.login("koordinator", DEMO_PASSWORD)
    with services.db.read() as s:
        case_id = s.scalar(select(Case.id).where(Case.coordinator_id == coord.user_id, Case.phase == "closed",
                                                 Case.visitation_decision == "accepted").order_by(Case.id))
    tab = open_tab(qtbot, services, coord, case_id, settle)
    logged_before = tab.log_model.rowCount()
    choose_template(tab, "afslutning")
    click(qtbot, tab.write_button, settle)
    body = tab.body.toPlainText()
    assert "{" not in body and "Status ved afslutning: " in body and "Anbefalet næste indsats: " in body
    assert tab.has_unsaved_changes()
    tab.body.setPlainText(body.replace("Vurdering\n", "Vurdering\nBorgeren har genoptaget arbejdet som aftalt.\n"))

    out = printed_pdf
    tab.body.setFocus()
    tab.window().activateWindow()
    qtbot.waitUntil(tab.window().isActiveWindow, timeout=2000)
    qtbot.keyClick(tab.body, Qt.Key_P, Qt.ControlModifier)   # Ctrl+P: preview and print
    settle()
    assert tab.draft_errors.messages() == []
    preview = tab.preview
    qtbot.addWidget(preview)
    assert preview.document.pageCount() == 1
    click(qtbot, preview.print_button, settle)
    settle()
    assert preview.printed == ["printer"] and out.exists()
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
    assert tab.log_model.rowCount() == logged_before + 1 and not tab.has_unsaved_changes()
    newest = tab.view.letters[0]
    assert newest.title.startswith("Afsluttende rapport for") and newest.has_pdf
    stored = services.letters.stored_pdf(coord, newest.id)
    text = "\n".join(p.extract_text() for p in pdfplumber.open(__import__("io").BytesIO(stored)).pages)
    assert "Borgeren har genoptaget arbejdet som aftalt." in text and "Status ved afslutning" in text


def test_employer_letter_refused_without_consent_then_sent_without_health_information(qtbot, services, settle,
                                                                                      monkeypatch, tmp_path):
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    case_id = services.referrals.create_referral(coord, referral_input())
    tab = open_tab(qtbot, services, coord, case_id, settle)
    assert "Intet samtykke registreret" in tab.consent_empty.text()
    choose_template(tab, "arbejdsgiver")
    click(qtbot, tab.write_button, settle)
    assert tab.draft is None
    assert tab.draft_errors.messages() == [
        "Samtykke mangler: borgeren har ikke givet samtykke til, at der skrives til arbejdsgiveren. "
        "Registrér samtykket under Samtykke først"]

    tab.party.setCurrentIndex(tab.party.findData("employer"))
    qtbot.keyClicks(tab.given_to, "Karen Holm")
    qtbot.keyClicks(tab.scope, "Opgaver, timer og tilpasninger")
    click(qtbot, tab.consent_button, settle)
    assert tab.consent_model.rows[0][:3] == ["Arbejdsgiver", "Karen Holm", "Opgaver, timer og tilpasninger"]

    click(qtbot, tab.write_button, settle)
    assert tab.draft_errors.isHidden() and tab.draft is not None
    merged = tab.subject.text() + "\n" + tab.body.toPlainText()
    assert not re.search(r"\b[A-Z]\d{2}(\.\d)?\b", merged)          # the case has F43.2 and F41.2
    assert not any(re.search(rf"(?<!\w){re.escape(w)}", merged, re.IGNORECASE) for w in DIAGNOSIS_WORDS)
    assert "Karen Holm" in tab.recipient.toPlainText()

    # An added diagnosis is refused next to the text; the preview does not open.
    clean = tab.body.toPlainText()
    tab.body.setPlainText(clean + "\nHun er sygemeldt med angst (F41.1).")
    click(qtbot, tab.print_button, settle)
    assert tab.preview is None
    assert "må ikke indeholde diagnoser" in " ".join(tab.draft_errors.messages())
    tab.body.setPlainText(clean)

    saved = tmp_path / "arbejdsgiver.pdf"
    monkeypatch.setattr(print_preview, "ask_save_path", lambda *_a, **_k: saved)
    click(qtbot, tab.print_button, settle)
    preview = tab.preview
    qtbot.addWidget(preview)
    click(qtbot, preview.save_button, settle)
    settle()
    with pdfplumber.open(saved) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Aftaler om Åse Østergaards tilbagevenden til arbejdet" in text and "F43" not in text
    assert [x.recipient_label for x in tab.view.letters] == ["Arbejdsgiver"]
    assert tab.log_model.rows[0][2].startswith("Karen Holm")


def test_template_editor_reports_a_misspelt_field_and_frister_lists_and_exports(qtbot, services, settle,
                                                                                monkeypatch, tmp_path):
    from ui.pages.admin import AdminPage
    from ui.pages.admin.letter_templates import LetterTemplatesTab
    from ui.pages.deadlines import DeadlinesPage

    lead = make_user(services, "team_lead", "leder", full_name="Lene Leder")
    coord = make_user(services, "coordinator", "koord", full_name="Karin Koordinator")
    case_id = services.referrals.create_referral(coord, referral_input(sick_leave_start=dt.date(2026, 10, 5)))
    page = AdminPage(services, lead)
    qtbot.addWidget(page)
    page.show()
    tab = page.show_tab(LetterTemplatesTab)
    settle()
    tab.list.setCurrentRow(next(i for i, t in enumerate(tab.rows) if t.code == "midtvejs"))
    tab.body.setPlainText(tab.body.toPlainText() + "\nHilsen {koordinatr}")
    assert tab.has_unsaved_changes()
    click(qtbot, tab.save_button, settle)
    assert tab.errors.messages() == ["Tekst, linje 19: ukendt flettefelt {koordinatr} – mente du {koordinator}?"]
    click(qtbot, tab.preview_button, settle)
    assert "{koordinatr}" in tab.problems.text()

    frister = DeadlinesPage(services, lead)
    qtbot.addWidget(frister)
    frister.show()
    settle()
    assert [r.case_id for r in frister.view.rows][:1] == [case_id]
    first = frister.model.rows[0]
    assert first[0] == "27-11-2026" and first[3].startswith("Første personlige opfølgningssamtale")
    assert first[4] == "Sygedagpengeloven § 13 b"
    frister.rule.setCurrentIndex(frister.rule.findData("sdp_reassessment"))
    frister.rule.activated.emit(frister.rule.currentIndex())
    settle()
    assert [row[0] for row in frister.model.rows] == ["05-03-2027"]
    out = tmp_path / "frister.ics"
    monkeypatch.setattr("ui.pages.deadlines.ask_save_path", lambda *_a, **_k: out)
    click(qtbot, frister.export_button, settle)
    assert "SUMMARY:TTA-2026-00001: Revurdering (omkring uge 22)" in out.read_text()
