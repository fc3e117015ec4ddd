"""What UI tests do to the screens: open the main window, type into a RowsTable cell, pick a choice in
one (``ui.widgets.rows_table``)."""
from __future__ import annotations

from PySide6.QtWidgets import QTableWidgetItem

from ui.main_window import MainWindow


def window(qtbot, services, actor, settle, size=(1280, 800)) -> MainWindow:
    w = MainWindow(services, actor, idle_minutes=60)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    settle()
    return w


def set_cell(table, row: int, name: str, text: str) -> None:
    col = next(i for i, c in enumerate(table.columns) if c[0] == name)
    table.setItem(row, col, QTableWidgetItem(text))


def choose(table, row: int, name: str, code) -> None:
    col = next(i for i, c in enumerate(table.columns) if c[0] == name)
    box = table.cellWidget(row, col)
    box.setCurrentIndex(box.findData(code))
