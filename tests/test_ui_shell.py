"""Drive the real UI: log in, see the main window, visit every section, lock and unlock."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.factories import make_case, make_user
from ui.app import make_application
from ui.dialogs.login import LoginDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def _app(qapp):
    make_application()


def _login(qtbot, services, username, password):
    dlg = LoginDialog(services.auth.login)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, username)
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(dlg.login_button, Qt.LeftButton)
    return dlg


def test_wrong_password_shows_message_and_right_one_logs_in(qtbot, services):
    make_user(services, "coordinator", "mette")
    dlg = _login(qtbot, services, "mette", "forkert")
    assert dlg.result() == 0 and dlg.result_value is None
    assert "Forkert brugernavn eller adgangskode" in dlg.error.text()
    assert dlg.password.text() == ""
    qtbot.keyClicks(dlg.password, "hemmelig123")
    qtbot.mouseClick(dlg.login_button, Qt.LeftButton)
    assert dlg.result_value.username == "mette"


def test_team_lead_visits_every_section(qtbot, services):
    make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    for i, last in enumerate(["Østergaard", "Hansen", "Ærø"]):
        make_case(services, first_name="Åse", last_name=last, coordinator_id=coord.user_id, subgroup=i + 1)
    dlg = _login(qtbot, services, "tove", "hemmelig123")
    window = MainWindow(services, dlg.result_value, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert window.section_keys() == ["overview", "cases", "conferences", "meetings", "statistics", "admin"]
    titles = []
    for key in window.section_keys():
        page = window.show_section(key)
        assert window.stack.currentWidget() is page
        titles.append(page.findChild(QLabel, "pageTitle").text())
    assert titles[0].startswith("Overblik") and titles[1:] == [
        "Forløb", "Casekonferencer", "Rundbordssamtaler", "Statistik", "Administration"]
    dashboard = window.pages["overview"]
    assert dashboard.card_open.value.text() == "3"
    cases = window.pages["cases"]
    assert cases.model.rowCount() == 3
    # Ctrl+F goes to the search field; typing filters in SQL, Danish letters folded.
    window.show_section("overview")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.stack.currentWidget() is cases
    qtbot.waitUntil(cases.search.hasFocus, timeout=2000)
    qtbot.keyClicks(cases.search, "øster")
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1, timeout=2000)
    idx = cases.model.index(0, 0)
    assert cases.model.data(idx) == "Åse Østergaard"
    record = cases.open_case(cases.model.case_id(0))
    assert "Åse Østergaard" in record.header.text() and cases.tabs.count() == 2


def test_admin_sees_only_administration(qtbot, services):
    admin = make_user(services, "admin", "admin")
    window = MainWindow(services, admin, idle_minutes=10)
    qtbot.addWidget(window)
    assert window.section_keys() == ["admin"]


def test_idle_lock_hides_data_and_keeps_open_work(qtbot, services, monkeypatch):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    record = window.show_section("cases").open_case(case_id)
    from ui.pages.case_record import OverviewTab
    overview = record.tab(OverviewTab)
    overview.inputs["job_title"].setText("Halvfærdig rettelse")
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not window.centralWidget().isVisible()
    lock = window.lock_dialog
    assert lock.username.text() == "mette" and lock.username.isReadOnly()
    qtbot.keyClicks(lock.password, "forkert")
    qtbot.mouseClick(lock.login_button, Qt.LeftButton)
    assert window.locked and "Forkert" in lock.error.text()
    qtbot.keyClicks(lock.password, "hemmelig123")
    window.idle.set_interval_ms(60_000)
    qtbot.mouseClick(lock.login_button, Qt.LeftButton)
    assert not window.locked and window.centralWidget().isVisible()
    # The open record is still there with the unsaved edit.
    assert window.pages["cases"].open_records() == [record]
    assert overview.inputs["job_title"].text() == "Halvfærdig rettelse" and record.has_unsaved_changes()
    # Closing the window now asks first; declining keeps it open.
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Cancel))
    window.close()
    assert window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Discard))
    window.close()
    assert not window.isVisible()
