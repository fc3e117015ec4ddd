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
# Roles as plain numbers: comparing Qt's enum members costs more than the rest of data() together.
_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_CASE_ID_ROLE = int(CASE_ID_ROLE)
_ANSWERED_ROLES = frozenset({_DISPLAY_ROLE, _TOOLTIP_ROLE, _ALIGN_ROLE, _CASE_ID_ROLE})
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def _cells(r: CaseListRow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One row's cells in COLUMNS order as the list shows them, and their tooltips."""
    when = fmt.datetime_local(r.last_activity)  # "22-11-2026 10:15": the date in the list, the time too in the tip
    name, name_tip = r.name, r.name
    if r.access != "full":  # not on the case: the list row only; the record asks for a reason
        name = r.name + " " + tr("(begrund adgang)")
        name_tip = tr("Du er ikke tilknyttet forløbet. Det åbnes, når du har begrundet din adgang.")
    weeks = tr("uge {n}").format(n=r.sick_weeks) if r.sick_weeks is not None else ""   # "" : not on the case
    shown = (name, r.cpr_masked, label(PHASE_LABELS, r.phase), str(r.subgroup) if r.subgroup else "",
             r.coordinator, weeks, fmt.date(r.next_deadline), when.partition(" ")[0])
    return shown, (name_tip, *shown[1:7], when)


def format_rows(rows: list[CaseListRow]) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The rows' cells as the list shows them, by case id: formatted on the worker thread with the
    read, so the window does not format them while it paints."""
    return {r.id: _cells(r) for r in rows}


class CaseTableModel(QAbstractTableModel):
    def __init__(self, fetch_rows: Callable[[list[int]], list[CaseListRow]],
                 on_sort: Callable[[str, bool], None] | None = None, parent=None):
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._on_sort = on_sort
        self._ids: list[int] = []
        self._rows: dict[int, CaseListRow] = {}
        self._cells: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # formatted once per row
        self._requested: set[int] = set()  # block starts asked for and not yet arrived
        self._generation = 0

    # -- data in -------------------------------------------------------------------------------
    def set_ids(self, ids: list[int], rows: list[CaseListRow] = (), cells: dict | None = None) -> None:
        """New ids, with the rows already fetched (by the same worker call as the search) and their
        cells formatted there (``format_rows``), in place before the view asks for them."""
        self.beginResetModel()
        self._ids = ids
        self._rows = {r.id: r for r in rows}
        self._cells = dict(cells or {})
        self._requested = set()
        self._generation += 1
        self.endResetModel()

    def set_all_ids(self, ids: list[int]) -> None:
        """Every id of the search whose first rows are shown (``set_ids``): the rows below
        them are added for scrolling, without repainting what is shown. Should the matches have
        changed between the two reads, the list is replaced, keeping the rows already fetched."""
        known = len(self._ids)
        if ids[:known] != self._ids:
            self.set_ids(ids, list(self._rows.values()), self._cells)
        elif len(ids) > known:
            self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()

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

        def read():
            rows = fetch(block)
            return rows, format_rows(rows)
        runner().query(read, lambda got: self._arrived(generation, start, *got), parent=self)

    def _arrived(self, generation: int, start: int, rows: list[CaseListRow], cells: dict) -> None:
        if generation != self._generation:
            return  # a newer search replaced the ids meanwhile
        self._requested.discard(start)
        for r in rows:
            self._rows[r.id] = r
        self._cells.update(cells)
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

    def data(self, index, role=_DISPLAY_ROLE):
        # Called a thousand times a paint: the roles Qt asks for and the list does not answer go first,
        # and a row's cells are formatted once.
        if role not in _ANSWERED_ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self._ids):
            return None
        if role == _CASE_ID_ROLE:
            return self._ids[row]
        col = index.column()
        if role == _ALIGN_ROLE:
            return _CENTER if col == 3 else None  # the subgroup: one digit
        cells = self._cells.get(self._ids[row])
        if cells is None:
            r = self._row(row)
            if r is None:
                return LOADING if col == 0 and role == _DISPLAY_ROLE else None
            cells = self._cells[r.id] = _cells(r)
        return cells[0 if role == _DISPLAY_ROLE else 1][col] if 0 <= col < len(COLUMNS) else None

    def elidable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column][1] in ELIDABLE

    def sort(self, column, order=Qt.AscendingOrder):
        if self._on_sort and 0 <= column < len(COLUMNS):
            self._on_sort(COLUMNS[column][1], order == Qt.DescendingOrder)
