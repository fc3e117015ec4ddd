"""The case list model: holds the ordered ids a search returned and fetches rows lazily, a block
at a time, on the task runner: a row not fetched yet shows "…" until its block arrives. Sorting is a
new search sorted in SQL, never a proxy sort over all rows."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.labels import PHASE_LABELS
from app.services.cases import CaseListRow
from ui import fmt
from ui.i18n import label, tr
from ui.tasks import runner

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
LOADING = "…"
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
        self._requested: set[int] = set()  # block starts asked for and not yet arrived
        self._generation = 0

    # -- data in -------------------------------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = {}
        self._requested = set()
        self._generation += 1
        self.endResetModel()

    def set_ids_with_rows(self, ids: list[int], rows: list[CaseListRow]) -> None:
        """New ids with the first rows already fetched (by the same worker call as the search)."""
        self.set_ids(ids)
        for r in rows:
            self._rows[r.id] = r

    def loading(self) -> bool:
        return bool(self._requested)

    def case_id(self, row: int) -> int:
        return self._ids[row]

    def _row(self, index: int) -> CaseListRow | None:
        row = self._rows.get(self._ids[index])
        if row is None:
            self._request_block((index // BLOCK) * BLOCK)
        return row

    def _request_block(self, start: int) -> None:
        if start in self._requested:
            return
        self._requested.add(start)
        block = self._ids[start:start + BLOCK]
        generation = self._generation
        fetch = self._fetch_rows
        runner().query(lambda: fetch(block), lambda rows: self._arrived(generation, start, rows), parent=self)

    def _arrived(self, generation: int, start: int, rows: list[CaseListRow]) -> None:
        if generation != self._generation:
            return  # a newer search replaced the ids meanwhile
        self._requested.discard(start)
        for r in rows:
            self._rows[r.id] = r
        last = min(start + BLOCK, len(self._ids)) - 1
        if last >= start:
            self.dataChanged.emit(self.index(start, 0), self.index(last, len(COLUMNS) - 1))

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][0])
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
            return LOADING if index.column() == 0 else None
        col = index.column()
        if col == 0:
            return r.name
        if col == 1:
            return r.cpr_masked
        if col == 2:
            return label(PHASE_LABELS, r.phase)
        if col == 3:
            return str(r.subgroup) if r.subgroup else ""
        if col == 4:
            return r.coordinator
        if col == 5:
            return tr("uge {n}").format(n=r.sick_weeks)
        if col == 6:
            return fmt.date(r.next_deadline)
        if col == 7:
            return fmt.datetime_local(r.last_activity)
        return None

    def sort(self, column, order=Qt.AscendingOrder):
        if self._on_sort and 0 <= column < len(COLUMNS):
            self._on_sort(COLUMNS[column][1], order == Qt.DescendingOrder)
