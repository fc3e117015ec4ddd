"""What UI tests do to the screens: start the app and log in at its login window, open the main
window or a case's record on one of its tabs, type into a RowsTable cell, pick a choice in one
(``ui.widgets.rows_table``)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from ui.app import AppFlow
from ui.main_window import MainWindow
from ui.record.record import CaseRecord


def start_app(qtbot, url: str) -> tuple[AppFlow, list[int]]:
    """The app started on ``url`` as ``main.py`` starts it: (its flow, the exit codes it finished with)."""
    flow = AppFlow(url)
    ended: list[int] = []
    flow.finished.connect(ended.append)
    flow.start()
    qtbot.addWidget(flow.login)
    return flow, ended


def log_in(qtbot, flow: AppFlow, settle, username: str, password: str) -> None:
    """Type the name and password into the login window and press Log ind, as a user would."""
    settle()
    qtbot.keyClicks(flow.login.username, username)
    qtbot.keyClicks(flow.login.password, password)
    qtbot.mouseClick(flow.login.login_button, Qt.LeftButton)


def window(qtbot, services, actor, settle, size=(1280, 800)) -> MainWindow:
    w = MainWindow(services, actor, idle_minutes=60)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    settle()
    return w


def record_tab(qtbot, services, actor, case_id: int, settle, tab_class, *, shown: bool = True):
    """A case's record on the tab ``tab_class``: (record, tab); ``shown`` on screen at 1280x800."""
    record = CaseRecord(services, actor, case_id)
    qtbot.addWidget(record)
    if shown:
        record.resize(1280, 800)
        record.show()
    settle()
    tab = record.tab(tab_class)
    settle()
    return record, tab


def set_cell(table, row: int, name: str, text: str) -> None:
    col = next(i for i, c in enumerate(table.columns) if c[0] == name)
    table.setItem(row, col, QTableWidgetItem(text))


def choose(table, row: int, name: str, code) -> None:
    col = next(i for i, c in enumerate(table.columns) if c[0] == name)
    box = table.cellWidget(row, col)
    box.setCurrentIndex(box.findData(code))


def record_calls(monkeypatch, service, *names: str) -> list[str]:
    """The names of ``service``'s methods ``names`` in the order they are called (on any thread);
    each still does its work."""
    calls: list[str] = []
    for name in names:
        original = getattr(service, name)

        def recorded(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)
        monkeypatch.setattr(service, name, recorded)
    return calls
