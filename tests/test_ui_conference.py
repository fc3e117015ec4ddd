"""Conference mode as the team runs it: a new conference with its generated agenda, three items with
notes, decisions and a task, keyboard navigation, closing the window mid-meeting and finding the notes
kept, and the minutes holding the decisions."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.factories import make_case, make_user
from tests.ui_helpers import window
from ui.pages.conference_mode import ConferenceMode

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.moveCursor(QTextCursor.End)
    qtbot.keyClicks(edit, text)


def test_run_a_conference_through_three_items(qtbot, services, settle, tmp_path):
    lead = make_user(services, "team_lead", "tove", full_name="Tove Leder")
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    cases = [make_case(services, first_name=name, coordinator_id=coord.user_id, phase="referral")
             for name in ("Anna", "Bo", "Cille")]
    w = window(qtbot, services, lead, settle)
    page = w.show_section("conferences")
    settle()
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    settle()
    dlg = page.dialog
    assert dlg.held_on.text() == "24-11-2026"   # the Tuesday after the fake clock's Sunday
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    mode = page.mode
    qtbot.waitUntil(lambda: mode.isVisible() and mode.agenda.count() == 3, timeout=5000)
    settle()
    assert mode.item_title.text().startswith("Punkt 1 af 3: ")
    assert "Ny henvisning" in mode.reason.text() and "venter på visitation" in mode.reason.text()
    assert mode.facts["phase"].text() == "Henvisning" and mode.facts["coordinator"].text() == "Mette Holm"

    type_into(qtbot, mode.notes, "Henvist for stress.")
    type_into(qtbot, mode.decision, "Visiteres.")
    qtbot.keyClick(mode.decision, Qt.Key_PageDown, Qt.ControlModifier)
    settle()
    assert mode.item_title.text().startswith("Punkt 2 af 3")
    type_into(qtbot, mode.decision, "Afventer lægeattest.")
    mode.task_title.setText("Indhent lægeattest")
    mode.task_owner.setCurrentIndex(mode.task_owner.findText("Mette Holm"))
    qtbot.mouseClick(mode.task_button, Qt.LeftButton)
    settle()
    assert "Mette Holm: Indhent lægeattest" in mode.tasks_label.text()
    qtbot.keyClick(mode.decision, Qt.Key_PageDown, Qt.ControlModifier)
    settle()
    type_into(qtbot, mode.notes, "Borgeren ønsker deltid.")
    type_into(qtbot, mode.decision, "Drøftes igen næste uge.")
    qtbot.keyClick(mode.notes, Qt.Key_PageUp, Qt.ControlModifier)
    settle()
    assert mode.decision.toPlainText() == "Afventer lægeattest."
    qtbot.keyClick(mode.notes, Qt.Key_PageDown, Qt.ControlModifier)
    settle()
    assert mode.notes.toPlainText() == "Borgeren ønsker deltid."
    mode.resize(1280, 800)
    mode.grab().save(str(tmp_path / "conference_mode.png"))

    # Mid-meeting the window closes (typing not yet autosaved); opened again, nothing is lost.
    type_into(qtbot, mode.notes, " Vil tale med lederen.")
    conf_id = mode.conference_id
    mode.close()
    settle()
    again = ConferenceMode(services, lead, conf_id)
    qtbot.addWidget(again)
    again.show()
    settle()
    again.agenda.setCurrentRow(2)
    settle()
    assert again.notes.toPlainText() == "Borgeren ønsker deltid. Vil tale med lederen."
    assert again.agenda.item(0).text().startswith("1. ") and "✓" in again.agenda.item(0).text()

    # Decisions on each case's timeline; the task in the owner's list; the minutes hold the decisions.
    by_case = {}
    for cid in cases:
        by_case[cid] = [e.detail for e in services.journal.timeline(lead, cid) if e.kind == "conference"]
    assert sorted(d for ds in by_case.values() for d in ds) == ["Afventer lægeattest.", "Drøftes igen næste uge.",
                                                                "Visiteres."]
    assert [t.title for t in services.tasks.my_tasks(coord).all()].count("Indhent lægeattest") == 1
    with pdfplumber.open(io.BytesIO(services.conferences.minutes_pdf(lead, conf_id))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    for decision in ("Visiteres.", "Afventer lægeattest.", "Drøftes igen næste uge.", "Indhent lægeattest"):
        assert decision in text


def test_agenda_is_edited_in_conference_mode(qtbot, services, settle, answer):
    lead = make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    a = make_case(services, first_name="Anna", coordinator_id=coord.user_id, phase="referral")
    other = make_case(services, first_name="Dorte", coordinator_id=coord.user_id, phase="intervention")
    conf_id = services.conferences.new_conference(coord, dt.date(2026, 11, 24))
    mode = ConferenceMode(services, coord, conf_id)
    qtbot.addWidget(mode)
    mode.show()
    settle()
    assert mode.agenda.count() == 1 and a
    mode.add_edit.setText(services.cases.get_case(lead, other).case_number)
    qtbot.mouseClick(mode.add_case_button, Qt.LeftButton)
    settle()
    mode.add_edit.setText("Ferieplan")
    qtbot.mouseClick(mode.add_free_button, Qt.LeftButton)
    settle()
    assert mode.agenda.count() == 3 and mode.item_title.text() == "Punkt 3 af 3: Ferieplan"
    qtbot.mouseClick(mode.up_button, Qt.LeftButton)
    settle()
    assert mode.agenda.item(1).text().startswith("2. Ferieplan")
    answer("yes")
    qtbot.mouseClick(mode.remove_button, Qt.LeftButton)
    settle()
    assert [mode.agenda.item(r).text().split("\n")[0] for r in range(mode.agenda.count())] == [
        "1. " + services.cases.get_case(lead, a).case_number + " Anna Østergaard",
        "2. " + services.cases.get_case(lead, other).case_number + " Dorte Østergaard"]


def test_a_case_one_is_not_on_opens_in_conference_mode_after_a_stated_reason(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    other = make_user(services, "coordinator", "karl", full_name="Karl Koordinator")
    case_id = make_case(services, first_name="Anna", coordinator_id=coord.user_id, phase="referral")
    conf_id = services.conferences.new_conference(lead, dt.date(2026, 11, 24))
    item = services.conferences.conference(lead, conf_id).items[0]
    services.conferences.save_item(lead, item.id, expected_version=item.version, notes="Sover dårligt.",
                                   decision="Visiteres.")
    mode = ConferenceMode(services, other, conf_id)
    qtbot.addWidget(mode)
    mode.show()
    settle()
    assert "Anna" in mode.item_title.text()
    assert mode.no_access.isVisible() and not mode.facts_box.isVisible()
    assert mode.notes.toPlainText() == "" and not mode.notes.isEnabled() and not mode.task_button.isEnabled()
    qtbot.mouseClick(mode.reason_button, Qt.LeftButton)
    dlg = mode.last_dialog
    qtbot.keyClicks(dlg.reason, "Leder konferencen for Mette")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert mode.notes.toPlainText() == "Sover dårligt." and mode.notes.isEnabled()
    assert not mode.no_access.isVisible() and mode.facts_box.isVisible()
    assert services.access_review.list_grants(lead)[0].case_id == case_id
    mode.close()
