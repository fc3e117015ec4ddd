"""The Rundbordssamtaler tab as a coordinator drives it: plan a meeting with participants from the case,
write it up with two agreements (two tasks appear), carry one into the action plan, print the employer's
minutes through the preview and save the calendar file."""
from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from PySide6.QtCore import Qt

from db.models import CaseIcd10, WorkplaceContact
from tests.factories import make_case, make_user
from tests.ui_helpers import choose, record_tab, set_cell
from ui.record import meetings as meetings_tab
from ui.record.meetings import MeetingsTab

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]


def test_plan_write_up_agreements_carry_and_print(qtbot, services, settle, tmp_path, monkeypatch):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    case_id = make_case(services, first_name="Åse", coordinator_id=coord.user_id, phase="plan")
    with services.db.write() as s:
        s.add(WorkplaceContact(case_id=case_id, kind="manager", name="Karen Holm"))
        s.add(CaseIcd10(case_id=case_id, code="F43.2"))
    _record, tab = record_tab(qtbot, services, coord, case_id, settle, MeetingsTab)
    assert "Ingen rundbordssamtaler endnu" in tab.empty.text()

    qtbot.mouseClick(tab.new_button, Qt.LeftButton)
    settle()
    dlg = tab.plan_dialog
    people = [dlg.people.item(r).text() for r in range(dlg.people.count())]
    assert people[:2] == ["Åse Østergaard – Borger", "Karen Holm – Nærmeste leder (Region Test)"]
    assert any(p.startswith("Mette Holm – ") for p in people)
    dlg.date.set_date(dt.date(2026, 11, 26))
    dlg.time.setText("13.30")
    dlg.location.setText("Region Test, mødelokale 2")
    dlg.purpose.setPlainText("Plan for gradvis tilbagevenden")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert tab.list_model.rows == [["1", "26-11-2026", "13:30", "Statusmøde", "Planlagt"]]
    assert [r["name"] for r in tab.participants.values("x")][:2] == ["Åse Østergaard", "Karen Holm"]

    # Written up after the meeting: held, two agreements, an obstacle.
    tab.status_box.setCurrentIndex(tab.status_box.findData("held"))
    tab.texts["function_description"].setPlainText("Kan arbejde fire timer ad gangen med pauser.")
    tab.texts["colleagues_info"].setPlainText("At hun er tilbage på nedsat tid.")
    for n, (kind, text, who, due) in enumerate([
            ("obstacle_employee", "Støj i storrumskontoret", "", ""),
            ("agreement", "Arbejder 12 timer om ugen de første to uger", "Karen Holm", "10-12-2026"),
            ("agreement", "Lederen orienterer kollegerne", "Karen Holm", "")]):
        qtbot.mouseClick(tab.items.add_button, Qt.LeftButton)
        choose(tab.items, n, "kind", kind)
        set_cell(tab.items, n, "text", text)
        set_cell(tab.items, n, "responsible", who)
        set_cell(tab.items, n, "due_date", due)
    assert tab.has_unsaved_changes()
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    settle()
    assert not tab.has_unsaved_changes() and tab.list_model.rows[0][4] == "Afholdt"
    tasks = [t.title for t in services.tasks.case_tasks(coord, case_id)]
    assert sorted(tasks) == ["Aftale fra rundbordssamtale (Karen Holm): Arbejder 12 timer om ugen de første to uger",
                             "Aftale fra rundbordssamtale (Karen Holm): Lederen orienterer kollegerne"]
    tab.resize(1280, 800)
    tab.grab().save(str(tmp_path / "round_table.png"))

    tab.items.setCurrentCell(1, 1)
    qtbot.mouseClick(tab.carry_button, Qt.LeftButton)
    settle()
    plan = services.plans.plan_tab(coord, case_id).plan
    assert [i["intervention"] for i in plan.interventions] == ["round_table"]
    assert plan.interventions[0]["note"].startswith("Aftale fra rundbordssamtale 26-11-2026: Arbejder 12 timer")

    # The employer's minutes through the preview: agreements, never the diagnosis code.
    monkeypatch.setattr("ui.dialogs.print_preview.ask_printer", lambda parent: None)
    tab.audience.setCurrentIndex(tab.audience.findData("employer"))
    qtbot.mouseClick(tab.minutes_button, Qt.LeftButton)
    settle()
    qtbot.waitUntil(lambda: tab.preview.data is not None, timeout=5000)
    with pdfplumber.open(io.BytesIO(tab.preview.data)) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Arbejder 12 timer om ugen" in text and "Arbejdsgiverens kopi" in text and "F43.2" not in text
    tab.preview.close()

    target = tmp_path / "møde.ics"
    monkeypatch.setattr(meetings_tab, "ask_save_path", lambda *a, **k: target)
    qtbot.mouseClick(tab.ics_button, Qt.LeftButton)
    settle()
    assert b"BEGIN:VEVENT" in target.read_bytes()
