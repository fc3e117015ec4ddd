"""Opgaver as a user drives it: grouped by due date, completed with one click and undone, made by
hand, moved by the team lead; and a task completed from Overblik."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.factories import add_task, make_case, make_user
from tests.ui_helpers import window

pytestmark = [pytest.mark.ui, pytest.mark.sqlite_only]
TODAY = dt.date(2026, 11, 22)   # the fake clock's Sunday


def titles(page) -> list[str]:
    return [page.model.key(r).title for r in range(page.model.rowCount())]


def select(page, title: str) -> None:
    page.view.setCurrentIndex(page.model.index(titles(page).index(title), 0))


def test_complete_undo_and_create_from_the_task_list(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    case_id = make_case(services, first_name="Åse", coordinator_id=coord.user_id)
    add_task(services, coord, title="Send status", due=TODAY - dt.timedelta(days=3), case_id=case_id)
    add_task(services, coord, title="Ring til lægen", due=TODAY, case_id=case_id)
    add_task(services, coord, title="Forbered konference", due=TODAY + dt.timedelta(days=9))
    w = window(qtbot, services, coord, settle)
    page = w.show_section("tasks")
    settle()
    assert [r[:3] for r in page.model.rows] == [["Over fristen", "19-11-2026", "Send status"],
                                                ["I dag", "22-11-2026", "Ring til lægen"],
                                                ["Senere", "01-12-2026", "Forbered konference"]]
    assert page.summary.text() == "1 over fristen · 1 i dag · 0 denne uge · 1 senere"
    select(page, "Send status")
    qtbot.mouseClick(page.done_button, Qt.LeftButton)
    settle()
    assert titles(page) == ["Ring til lægen", "Forbered konference"]
    assert page.undo_button.isVisible() and w.statusBar().currentMessage() == "Opgaven er markeret som udført."
    qtbot.mouseClick(page.undo_button, Qt.LeftButton)
    settle()
    assert titles(page) == ["Send status", "Ring til lægen", "Forbered konference"]
    # Ctrl+D completes the chosen task too.
    page.view.setFocus()
    select(page, "Ring til lægen")
    qtbot.keyClick(page.view, Qt.Key_D, Qt.ControlModifier)
    settle()
    assert "Ring til lægen" not in titles(page)


def test_new_task_dialog_on_a_case(qtbot, services, settle):
    from ui.dialogs.new_task import NewTaskDialog
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    case_id = make_case(services, coordinator_id=coord.user_id)
    number = services.cases.get_case(coord, case_id).case_number
    dlg = NewTaskDialog(services, coord, case_number=number.lower())
    qtbot.addWidget(dlg)
    settle()
    dlg.title_edit.setText("Book arbejdspladsbesøg")
    dlg.due.set_date(TODAY + dt.timedelta(days=2))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    settle()
    assert dlg.result() == QDialog.Accepted
    [task] = services.tasks.case_tasks(coord, case_id)
    assert task.title == "Book arbejdspladsbesøg" and task.owner == "Mette Holm"
    bad = NewTaskDialog(services, coord, case_number="TTA-0000-9999")
    qtbot.addWidget(bad)
    settle()
    bad.title_edit.setText("x")
    qtbot.mouseClick(bad.ok_button, Qt.LeftButton)
    settle()
    assert bad.errors.messages() == ["Forløb: intet forløb har det nummer"]


def test_team_lead_moves_a_task_and_a_task_is_completed_from_the_dashboard(qtbot, services, settle):
    lead = make_user(services, "team_lead", "tove", full_name="Tove Leder")
    coord = make_user(services, "coordinator", "mette", full_name="Mette Holm")
    bo = make_user(services, "coordinator", "bo", full_name="Bo Berg")
    case_id = make_case(services, first_name="Åse", coordinator_id=coord.user_id, team_member_ids=[bo.user_id])
    add_task(services, coord, title="Send status", due=TODAY - dt.timedelta(days=3), case_id=case_id)
    add_task(services, coord, title="Skriv rapport", due=TODAY - dt.timedelta(days=1), case_id=case_id)
    w = window(qtbot, services, lead, settle)
    page = w.show_section("tasks")
    settle()
    page.scope.setCurrentIndex(page.scope.findData("team"))
    settle()
    assert [r[:4] for r in page.model.rows] == [["Mette Holm", "Over fristen", "19-11-2026", "Send status"],
                                                ["Mette Holm", "Over fristen", "21-11-2026", "Skriv rapport"]]
    select(page, "Send status")
    page.move_to.setCurrentIndex(page.move_to.findText("Bo Berg"))
    qtbot.mouseClick(page.move_button, Qt.LeftButton)
    settle()
    assert [r[0] for r in page.model.rows] == ["Bo Berg", "Mette Holm"]

    dash = w.show_section("overview")
    settle()
    row = [dash.tasks.key(r).title for r in range(dash.tasks.rowCount())].index("Skriv rapport")
    dash.task_view.setFocus()
    dash.task_view.setCurrentIndex(dash.tasks.index(row, 0))
    qtbot.keyClick(dash.task_view, Qt.Key_Return)
    settle()
    qtbot.waitUntil(lambda: dash.task_dialog is not None and dash.task_dialog.isVisible(), timeout=3000)
    assert dash.task_dialog.task.title == "Skriv rapport"
    qtbot.mouseClick(dash.task_dialog.done_button, Qt.LeftButton)
    settle()
    assert not dash.task_dialog.isVisible()
    assert [dash.tasks.key(r).title for r in range(dash.tasks.rowCount())] == ["Send status"]
    assert w.statusBar().currentMessage() == "Opgaven er markeret som udført."
