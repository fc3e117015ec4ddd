"""The case list model: holds the ordered ids a search returned and fetches rows lazily, a block
at a time. Sorting is a new search sorted in SQL, never a proxy sort over all rows."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.labels import PHASE_LABELS
from app.services.cases import CaseListRow
from ui import fmt

COLUMNS = [  # (header, sort key)
    ("Navn", "name"),
    ("CPR", "cpr"),
    ("Fase", "phase"),
    ("Undergruppe", "subgroup"),
    ("Koordinator", "coordinator"),
    ("Sygemeldt", "sick_weeks"),
    ("Næste frist", "next_deadline"),
    ("Seneste aktivitet", "last_activity"),
]
BLOCK = 100
CASE_ID_ROLE = Qt.UserRole + 1


class CaseTableModel(QAbstractTableModel):
    def __init__(self, fetch_rows: Callable[[list[int]], list[CaseListRow]],
                 on_sort: Callable[[str, bool], None] | None = None, parent=None):
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._on_sort = on_sort
        self._ids: list[int] = []
        self._rows: dict[int, CaseListRow] = {}

    # -- data in -------------------------------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = {}
        self.endResetModel()

    def case_id(self, row: int) -> int:
        return self._ids[row]

    def _row(self, index: int) -> CaseListRow | None:
        case_id = self._ids[index]
        row = self._rows.get(case_id)
        if row is None:
            start = (index // BLOCK) * BLOCK
            block = self._ids[start:start + BLOCK]
            for r in self._fetch_rows(block):
                self._rows[r.id] = r
            row = self._rows.get(case_id)
        return row

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == CASE_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        r = self._row(index.row())
        if r is None:
            return None
        col = index.column()
        if col == 0:
            return r.name
        if col == 1:
            return r.cpr_masked
        if col == 2:
            return PHASE_LABELS.get(r.phase, r.phase)
        if col == 3:
            return str(r.subgroup) if r.subgroup else ""
        if col == 4:
            return r.coordinator
        if col == 5:
            return f"uge {r.sick_weeks}"
        if col == 6:
            return fmt.date(r.next_deadline)
        if col == 7:
            return fmt.datetime_local(r.last_activity)
        return None

    def sort(self, column, order=Qt.AscendingOrder):
        if self._on_sort and 0 <= column < len(COLUMNS):
            self._on_sort(COLUMNS[column][1], order == Qt.DescendingOrder)
