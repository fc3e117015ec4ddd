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
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Qt asks for about seven roles per visible cell at every paint: answer the unused ones first, and
# name the roles through their enum class (the short form Qt.DisplayRole costs ~20 µs per lookup).
_SHOWN_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)})
_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)


def _cell_texts(r: CaseListRow) -> tuple[str, ...]:
    """One row's cells in COLUMNS order, as the list shows them."""
    return (r.name, r.cpr_masked, PHASE_LABELS.get(r.phase, r.phase), str(r.subgroup) if r.subgroup else "",
            r.coordinator, f"uge {r.sick_weeks}", fmt.date(r.next_deadline), fmt.datetime_local(r.last_activity))


class CaseTableModel(QAbstractTableModel):
    def __init__(self, fetch_rows: Callable[[list[int]], list[CaseListRow]],
                 on_sort: Callable[[str, bool], None] | None = None, parent=None):
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._on_sort = on_sort
        self._ids: list[int] = []
        self._rows: dict[int, CaseListRow] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # the cells as shown, formatted once per row

    # -- data in -------------------------------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = {}
        self._texts = {}
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

    def headerData(self, section, orientation, role=_DISPLAY_ROLE):  # noqa: N802
        if role == _DISPLAY_ROLE and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index, role=_DISPLAY_ROLE):
        if role not in _SHOWN_ROLES and role != CASE_ID_ROLE:
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == CASE_ID_ROLE:
            return self._ids[index.row()]
        texts = self._texts.get(self._ids[index.row()])
        if texts is None:
            r = self._row(index.row())
            if r is None:
                return None
            texts = self._texts[r.id] = _cell_texts(r)
        col = index.column()
        return texts[col] if 0 <= col < len(texts) else None

    def sort(self, column, order=Qt.AscendingOrder):
        if self._on_sort and 0 <= column < len(COLUMNS):
            self._on_sort(COLUMNS[column][1], order == Qt.DescendingOrder)
