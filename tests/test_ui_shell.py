"""Drive the real UI: start, log in, see the main window, visit every section, lock and unlock."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QTableView
from sqlalchemy import select

from tests.factories import make_case, make_user
from tests.ui_helpers import record_calls, window
from ui.app import AppFlow
from ui.dialogs.login import LoginDialog
from ui.main_window import MainWindow
from ui.record.overview import OverviewTab

pytestmark = pytest.mark.ui


def _login(qtbot, services, username, password, settle):
    dlg = LoginDialog(services.auth.login)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, username)
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(dlg.login_button, Qt.LeftButton)
    settle()
    return dlg


def test_wrong_password_shows_message_and_right_one_logs_in(qtbot, services, settle):
    make_user(services, "coordinator", "mette")
    dlg = _login(qtbot, services, "mette", "forkert", settle)
    assert dlg.result() == 0 and dlg.result_value is None
    assert "Forkert brugernavn eller adgangskode" in dlg.error.text()
    assert dlg.password.text() == ""
    qtbot.keyClicks(dlg.password, "hemmelig123")
    qtbot.mouseClick(dlg.login_button, Qt.LeftButton)
    settle()
    assert dlg.result_value.username == "mette"


def test_start_opens_the_database_behind_the_login_window_and_logs_in(qtbot, db_url, services, settle):
    make_user(services, "coordinator", "mette")
    flow = AppFlow(db_url)
    ended = []
    flow.finished.connect(ended.append)
    flow.start()
    login = flow.login
    qtbot.addWidget(login)
    assert login.isVisible()
    settle()
    assert login.login_button.isEnabled()  # the database is open and checked
    qtbot.keyClicks(login.username, "mette")
    qtbot.keyClicks(login.password, "hemmelig123")
    qtbot.mouseClick(login.login_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: flow.window is not None, timeout=10000)
    window = flow.window
    qtbot.addWidget(window)
    assert window.isVisible() and window.actor.username == "mette"
    # Log out: back to a fresh login window, and the app is still running.
    window.logout()
    settle()
    assert flow.login is not None and flow.login.isVisible() and ended == []
    qtbot.addWidget(flow.login)
    flow.login.reject()
    assert ended == [0]
    flow.services.close()


def test_qt_calls_keep_their_references(qtbot):
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a method that returns
    nothing: the app died with "deallocating None" after a few thousand calls (pinned below 6.12)."""
    view = QTableView()
    qtbot.addWidget(view)
    before = sys.getrefcount(None)
    for _ in range(200):
        view.setColumnWidth(0, 50)
    assert sys.getrefcount(None) >= before


def test_qt_speaks_danish(qtbot):
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Discard)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in
             (QDialogButtonBox.Ok, QDialogButtonBox.Cancel, QDialogButtonBox.Discard)}
    assert "Cancel" not in texts and "Discard" not in texts
    assert "Annuller" in texts


def test_team_lead_visits_every_section(qtbot, services, settle):
    make_user(services, "team_lead", "tove")
    coord = make_user(services, "coordinator", "mette")
    for i, last in enumerate(["Østergaard", "Hansen", "Ærø"]):
        make_case(services, first_name="Åse", last_name=last, coordinator_id=coord.user_id, subgroup=i + 1)
    dlg = _login(qtbot, services, "tove", "hemmelig123", settle)
    window = MainWindow(services, dlg.result_value, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert window.section_keys() == ["overview", "cases", "tasks", "conferences", "meetings", "deadlines",
                                     "statistics", "admin"]
    titles = []
    for key in window.section_keys():
        page = window.show_section(key)
        settle()
        assert window.stack.currentWidget() is page
        titles.append(page.findChild(QLabel, "pageTitle").text())
    assert titles[0].startswith("Overblik") and titles[1:] == [
        "Forløb", "Opgaver", "Casekonferencer", "Rundbordssamtaler", "Frister", "Statistik", "Administration"]
    cases = window.pages["cases"]
    assert cases.model.rowCount() == 3
    # Ctrl+F goes to the search field; typing filters in SQL, Danish letters folded.
    window.show_section("overview")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.stack.currentWidget() is cases
    qtbot.waitUntil(cases.search.hasFocus, timeout=2000)
    qtbot.keyClicks(cases.search, "øster")
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1, timeout=3000)
    settle()
    assert cases.model.data(cases.model.index(0, 0)) == "Åse Østergaard"
    record = cases.open_case(cases.model.case_id(0))
    settle()
    assert "Åse Østergaard" in record.header.text() and cases.open_records() == [record]
    assert cases.tabs.tabText(1) == "Åse Østergaard"


def test_admin_sees_only_administration(qtbot, services):
    admin = make_user(services, "admin", "admin")
    window = MainWindow(services, admin, idle_minutes=10)
    qtbot.addWidget(window)
    assert window.section_keys() == ["admin"]


def test_ctrl_l_locks_by_hand_and_says_so(qtbot, services, settle):
    coord = make_user(services, "coordinator", "mette")
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    settle()
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    assert window.locked
    texts = " ".join(label.text() for label in window.lock_dialog.findChildren(QLabel))
    assert "Skærmen er låst" in texts and "ikke har været brugt" not in texts


def test_typing_or_moving_the_mouse_in_any_window_postpones_the_idle_lock(qtbot, services, settle):
    """The watcher sees the input the platform delivers to the main window and to a dialog's window."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication, QDialog
    coord = make_user(services, "coordinator", "mette")
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    settle()
    dialog = QDialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    window.idle.set_interval_ms(400)
    for _ in range(4):   # 4 x 250 ms of activity: longer than the 400 ms, and still not locked
        qtbot.wait(250)
        QApplication.sendEvent(window.windowHandle(), QKeyEvent(QEvent.KeyPress, Qt.Key_Shift, Qt.NoModifier))
        QApplication.sendEvent(dialog.windowHandle(), QMouseEvent(
            QEvent.MouseMove, QPointF(5, 5), QPointF(5, 5), Qt.NoButton, Qt.NoButton, Qt.NoModifier))
        assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)   # no input: locked
    dialog.close()


def test_idle_lock_hides_data_and_keeps_open_work(qtbot, services, settle, answer):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    window = MainWindow(services, coord, idle_minutes=10)
    qtbot.addWidget(window)
    window.show()
    record = window.show_section("cases").open_case(case_id)
    settle()
    overview = record.tab(OverviewTab)
    settle()
    overview.inputs["job_title"].setText("Halvfærdig rettelse")
    window.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not window.centralWidget().isVisible()
    lock = window.lock_dialog
    texts = " ".join(label.text() for label in lock.findChildren(QLabel))
    assert "ikke har været brugt" in texts
    assert lock.username.text() == "mette" and lock.username.isReadOnly()
    qtbot.keyClicks(lock.password, "forkert")
    qtbot.mouseClick(lock.login_button, Qt.LeftButton)
    settle()
    assert window.locked and "Forkert" in lock.error.text()
    qtbot.keyClicks(lock.password, "hemmelig123")
    window.idle.set_interval_ms(60_000)
    qtbot.mouseClick(lock.login_button, Qt.LeftButton)
    settle()
    assert not window.locked and window.centralWidget().isVisible()
    # The open record is still there with the unsaved edit.
    assert window.pages["cases"].open_records() == [record]
    assert overview.inputs["job_title"].text() == "Halvfærdig rettelse" and record.has_unsaved_changes()
    # Closing the window now asks first; declining keeps it open.
    answer("no")
    window.close()
    assert window.isVisible()
    answer("yes")
    window.close()
    assert not window.isVisible()
    assert [title for title, _text in answer.asked] == ["Ikke gemte ændringer", "Ikke gemte ændringer"]
    assert QMessageBox  # the questions were real message boxes, answered by the fixture


def test_a_case_opened_from_overblik_is_read_before_the_list_it_opens_beside(qtbot, services, settle, monkeypatch):
    """A link from Overblik builds the case list and opens the case at once: the case is read first
    (the list's reads wait a turn), and the list is still read and shown behind the record."""
    lead = make_user(services, "team_lead", "tove")
    case_id = make_case(services, first_name="Åse", last_name="Holm")
    make_case(services, first_name="Bo", last_name="Berg")
    calls = record_calls(monkeypatch, services.cases, "get_case", "list_page")
    window = MainWindow(services, lead, idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    window._ahead_timer.stop()  # clicked at once: the list is not built ahead yet (the next test)
    settle()
    window.navigate("cases", case_id)
    settle()
    cases = window.pages["cases"]
    [record] = cases.open_records()
    assert calls[:2] == ["get_case", "list_page"] and "Åse Holm" in record.header.text()
    assert cases.model.rowCount() == 2


def test_the_case_list_is_built_ahead_while_overblik_is_read_and_reads_no_case_until_used(
        qtbot, services, settle, monkeypatch):
    """A second after Overblik is shown, the case list page and a spare record are built in the
    background; nothing of a case is read or logged until the user goes there. A link from Overblik
    then fills in that spare record."""
    from db.models import AuditEntry
    lead = make_user(services, "team_lead", "tove")
    case_id = make_case(services, first_name="Åse", last_name="Holm")
    calls = record_calls(monkeypatch, services.cases, "get_case", "list_page", "search_ids")

    def case_reads() -> int:
        with services.db.read() as s:
            return len(s.scalars(select(AuditEntry.id).where(AuditEntry.entity == "tta_case")).all())
    window = MainWindow(services, lead, idle_minutes=60)
    qtbot.addWidget(window)
    window.show()
    settle()
    before = case_reads()
    qtbot.waitUntil(lambda: "cases" in window.pages and window.pages["cases"].spare_ready(), timeout=5000)
    settle()
    cases = window.pages["cases"]
    assert window.stack.currentWidget() is window.pages["overview"]  # still reading Overblik
    assert calls == [] and case_reads() == before and cases.open_records() == []
    spare = cases._spare
    window.navigate("cases", case_id)
    settle()
    [record] = cases.open_records()
    assert record is spare and "Åse Holm" in record.header.text()
    assert "get_case" in calls and cases.model.rowCount() == 1


def test_status_bar_says_where_the_data_lives(qtbot, services, settle):
    actor = make_user(services, "coordinator", "mette", full_name="Mette Østergaard")
    w = window(qtbot, services, actor, settle)
    status = " ".join(label.text() for label in w.statusBar().findChildren(QLabel))
    if services.backend == "sqlite":
        assert "Database: ukrypteret fil" in status
    else:
        assert "Database: server (postgresql)" in status
    assert "Mette Østergaard · TTA-koordinator" in status
