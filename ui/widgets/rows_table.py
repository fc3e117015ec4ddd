"""An editable table of a record's rows (goals, interventions, weeks, participants, meeting items)
with "add" and "remove" buttons under it; the Handlingsplan and Rundbordssamtaler tabs use it."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from ui import fmt
from ui.i18n import tr
from ui.widgets.forms import parse_date


class RowsTable(QTableWidget):
    """An editable table of rows of a ROWS field: text and date cells as items, choices as combo boxes.

    ``columns`` is a list of (field name, header, kind) with kind "text", "date", "number" or a
    dict of choices (code -> label)."""

    def __init__(self, columns: list[tuple[str, str, Any]], parent: QWidget | None = None):
        super().__init__(0, len(columns), parent)
        self.columns = columns
        self.setHorizontalHeaderLabels([c[1] for c in columns])
        self.verticalHeader().setVisible(False)
        # Every column shares the width: texts (goals, tasks, notes) are never squeezed beside a wide date.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setMinimumHeight(120)
        self.editable = True
        self.read_only_columns: set[str] = set()

    def add_row(self, values: dict[str, Any] | None = None) -> int:
        values = values or {}
        row = self.rowCount()
        self.insertRow(row)
        for col, (name, _header, kind) in enumerate(self.columns):
            value = values.get(name)
            if isinstance(kind, dict):
                box = QComboBox()
                box.addItem("", None)
                for code, text in kind.items():
                    box.addItem(text, code)
                box.setCurrentIndex(max(0, box.findData(value)))
                box.setEnabled(self._can_edit(name))
                self.setCellWidget(row, col, box)
            else:
                text = (fmt.date(value) if kind == "date" else fmt.number(value).rstrip("0").rstrip(",")
                        if kind == "number" and value is not None else "" if value is None else str(value))
                item = QTableWidgetItem(text)
                if not self._can_edit(name):
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.setItem(row, col, item)
        return row

    def _can_edit(self, name: str) -> bool:
        return self.editable and name not in self.read_only_columns or name in self.always_editable

    always_editable: set[str] = set()

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.setRowCount(0)
        for r in rows:
            self.add_row(r)

    def cell_text(self, row: int, name: str) -> str:
        col = next(i for i, c in enumerate(self.columns) if c[0] == name)
        item = self.item(row, col)
        return item.text().strip() if item else ""

    def values(self, label_prefix: str) -> list[dict[str, Any]]:
        """The rows as dicts; a bad date or number is a ValidationError naming the row and column."""
        out = []
        for row in range(self.rowCount()):
            values: dict[str, Any] = {}
            for col, (name, header, kind) in enumerate(self.columns):
                where = f"{label_prefix} – række {row + 1}, {header.lower()}"
                if isinstance(kind, dict):
                    values[name] = self.cellWidget(row, col).currentData()
                    continue
                text = self.cell_text(row, name)
                if kind == "date":
                    try:
                        values[name] = parse_date(text)
                    except ValueError:
                        raise ValidationError(label_prefix.lower(), tr("skal være en dato som dd-mm-åååå"),
                                              label=where) from None
                elif kind == "number":
                    try:
                        values[name] = float(text.replace(",", ".")) if text else None
                    except ValueError:
                        raise ValidationError(label_prefix.lower(), tr("skal være et tal"), label=where) from None
                else:
                    values[name] = text
            out.append(values)
        return out


def rows_with_buttons(table: RowsTable, add_text: str, new_row, edited, *, visible: bool = True) -> QVBoxLayout:
    """``table`` with "add" (a row from ``new_row()``) and "Fjern markeret" under it; ``edited`` is
    called after either. The buttons are kept on the table (``add_button``, ``remove_button``)."""
    box = QVBoxLayout()
    box.addWidget(table)
    buttons = QHBoxLayout()
    add = QPushButton(add_text)
    add.clicked.connect(lambda: (table.add_row(new_row()), edited()))
    remove = QPushButton(tr("Fjern markeret"))
    remove.clicked.connect(lambda: (table.removeRow(table.currentRow()) if table.currentRow() >= 0 else None,
                                    edited()))
    table.add_button, table.remove_button = add, remove
    for b in (add, remove):
        if not visible:   # (showing a button that has no parent yet would open it as a window)
            b.setVisible(False)
        buttons.addWidget(b)
    buttons.addStretch(1)
    box.addLayout(buttons)
    return box
