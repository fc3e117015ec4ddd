"""The case list model: holds the ordered ids a search returned and fetches rows lazily, a block
at a time, on the task runner: a row not fetched yet shows "…" until its block arrives. Sorting is a
new search sorted in SQL, never a proxy sort over all rows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.labels import PHASE_LABELS
from app.services.cases import CaseListRow
from ui import fmt
from ui.i18n import label, tr
from ui.tasks import runner

COLUMNS = [  # (title, sort key); two-word titles on two lines, so the list fits 1024 pixels
    ("Navn", "name"),
    ("CPR", "cpr"),
    ("Fase", "phase"),
    ("Gruppe", "subgroup"),
    ("Koordinator", "coordinator"),
    ("Sygemeldt", "sick_weeks"),
    ("Næste\nfrist", "next_deadline"),
    ("Seneste\naktivitet", "last_activity"),
]
TITLE_TIPS = {"subgroup": "Undergruppe (1–8)", "sick_weeks": "Sygemeldingsuge i dag, eller ved afslutningen",
              "last_activity": "Seneste aktivitet i forløbet (holdes musen over datoen, vises klokkeslættet)"}
NAME_COLUMN = 0
ELIDABLE = {"name", "coordinator"}  # names may be cut short in a narrow window (the tooltip has them whole)
# The widest text each column shows in practice, for sizing the columns without reading every row
# (rows arrive in blocks; measuring them would fetch them all).
WIDEST = {
    "name": "Josefine Jørgensen Kristensen",
    "cpr": "000000-xxxx",
    "phase": max(PHASE_LABELS.values(), key=len),
    "subgroup": "8",
    "coordinator": "Søren Østergaard Bech",
    "sick_weeks": "uge 100",
    "next_deadline": "00-00-0000",
    "last_activity": "00-00-0000",
}


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows when another page asks for it (Overblik's figures)."""
    phase: str | None = None   # a phase code, "open", "awaiting_visitation", or None: every phase
    scope: str | None = None   # "mine": cases I coordinate; "my_team": cases whose team I am on
    unassigned: bool = False   # cases without a coordinator
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

    def row_for(self, case_id: int) -> CaseListRow | None:
        """The fetched row of a case, if the list has it (no database call)."""
        return self._rows.get(case_id)

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
        if orientation != Qt.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.DisplayRole:
            return tr(COLUMNS[section][0])
        if role == Qt.ToolTipRole:
            return tr(TITLE_TIPS.get(COLUMNS[section][1], COLUMNS[section][0].replace("\n", " ")))
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == CASE_ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignCenter)  # the subgroup: one digit
        if role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        r = self._row(index.row())
        if r is None:
            return LOADING if index.column() == 0 and role == Qt.DisplayRole else None
        col = index.column()
        if col == 7:  # the date in the list, the time too in the tooltip
            when = fmt.datetime_local(r.last_activity)  # "22-11-2026 10:15"
            return when.partition(" ")[0] if role == Qt.DisplayRole else when
        if col == 0:
            if r.access != "full":  # not on the case: the list row only; the record asks for a reason
                return (r.name + " " + tr("(begrund adgang)") if role == Qt.DisplayRole else
                        tr("Du er ikke tilknyttet forløbet. Det åbnes, når du har begrundet din adgang."))
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
        return None

    def elidable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column][1] in ELIDABLE

    def sort(self, column, order=Qt.AscendingOrder):
        if self._on_sort and 0 <= column < len(COLUMNS):
            self._on_sort(COLUMNS[column][1], order == Qt.DescendingOrder)
