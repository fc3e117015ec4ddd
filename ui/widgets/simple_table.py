"""A read-only table for short in-memory lists (tens to hundreds of rows), sortable by value.

A row is a list of cells. A cell is either the text to show (sorted as text, in Danish order: æ, ø,
å after z, "Aa" as "Å", numbers in it by value; a Danish date such as "30-11-2026 14:05" by date) or
a ``Cell`` carrying the value to sort by: a date, a time, a number or a tuple of such, so
"02-12-2026" sorts after "30-11-2026" and "9" before "10". Sorting happens in the
model (the rows are few), and each row's key (an id, or the record the row shows) moves with its row,
so ``key(row)`` is right after any sort. An empty cell (``Cell("", None)``) sorts last either way.

Big lists do not belong here: the case list holds ids and sorts in SQL (``ui.models.case_table``).
"""
from __future__ import annotations

import functools
import inspect
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyleOptionHeader, QTableView, QWidget

KEY_ROLE = Qt.UserRole + 1  # the row's key, when it is an id or a code
CONTENT_WIDTH_CAP = 320  # a fitted column never grows wider than this for its contents alone
STRETCH_SHARE = 0.35  # the stretch column keeps at least this share of a narrow table (or its contents)
NO_STRETCH = -1  # ``make_table(stretch=NO_STRETCH)``: every column as wide as it needs, none wider

_TEXT = object()  # "sort by the shown text"
_DANISH_DATE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})(?:\s+(?:kl\.\s*)?(\d{1,2})[:.](\d{2}))?$")


@dataclass(frozen=True)
class Cell:
    """A shown text and the value it sorts by (``None``: an empty value, last in either order)."""
    text: str
    sort: Any = _TEXT
    bold: bool = False
    align_right: bool = False
    icon: QIcon | None = None
    tooltip: str | None = None  # default: the text
    whole: bool = False  # never cut short in a narrow table (a case number); dates and numbers never are


@dataclass
class _Row:
    texts: list[str]
    sorts: list[Any]
    bold: list[bool]
    right: list[bool]
    icons: list[QIcon | None]
    tips: list[str]
    whole: list[bool]
    key: object
    position: int  # where the caller put it: the order before any sort


def _collator() -> QCollator:
    collator = QCollator(QLocale(QLocale.Danish, QLocale.Denmark))
    collator.setNumericMode(True)  # "uge 9" before "uge 10" even in a plain text cell
    collator.setCaseSensitivity(Qt.CaseInsensitive)
    return collator


def compare(a: Any, b: Any, collator: QCollator | None = None) -> int:
    """-1, 0 or 1: strings in Danish order, tuples element by element (a missing part first),
    everything else by its own order (dates, times, numbers)."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    if isinstance(a, str) and isinstance(b, str):
        return (collator or _collator()).compare(a, b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        for x, y in zip(a, b, strict=False):
            if x is None or y is None:
                c = (x is not None) - (y is not None)
            else:
                c = compare(x, y, collator)
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    try:
        return (a > b) - (a < b)
    except TypeError:  # values of different kinds in one column: keep them apart, each kind in order
        return compare(type(a).__name__, type(b).__name__, collator)


def text_sort_key(text: str) -> Any:
    """What a plain text cell sorts by: a Danish date ("30-11-2026", optionally "kl." and a time) by
    date and time, anything else as text (in Danish order, numbers by value)."""
    m = _DANISH_DATE.match(text)
    if m:
        day, month, year, hour, minute = m.groups()
        return (int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    return text or None


class ListTableModel(QAbstractTableModel):
    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self.headers = headers
        self._rows: list[_Row] = []
        self._sort_column = -1
        self._sort_order = Qt.AscendingOrder
        self._collator = _collator()

    # -- data in -------------------------------------------------------------------------------
    def set_rows(self, rows: list[list[str | Cell]], keys: list[object] | None = None, *,
                 headers: list[str] | None = None) -> None:
        """Replace the rows (in the order the caller wants when nothing is sorted) and, if given, the
        headers; the sort the user chose, if any, is kept."""
        keys = keys if keys is not None else [None] * len(rows)
        self.beginResetModel()
        if headers is not None:
            self.headers = headers
            if self._sort_column >= len(headers):
                self._sort_column = -1
        self._rows = []
        for position, (cells, key) in enumerate(zip(rows, keys, strict=True)):
            texts, sorts, bold, right, icons, tips, whole = [], [], [], [], [], [], []
            for cell in cells:
                c = cell if isinstance(cell, Cell) else Cell(cell, text_sort_key(cell))
                texts.append(c.text)
                sorts.append((c.text or None) if c.sort is _TEXT else c.sort)
                bold.append(c.bold)
                right.append(c.align_right)
                icons.append(c.icon)
                tips.append(c.text if c.tooltip is None else c.tooltip)
                whole.append(c.whole)
            self._rows.append(_Row(texts, sorts, bold, right, icons, tips, whole, key, position))
        self._apply_sort()
        self.endResetModel()

    @property
    def rows(self) -> list[list[str]]:
        """The shown texts, row by row, in the shown order."""
        return [r.texts for r in self._rows]

    @property
    def keys(self) -> list[object]:
        return [r.key for r in self._rows]

    def elidable(self, column: int) -> bool:
        """Whether a narrow column may cut this column's texts short: names and titles may (their
        tooltip has the whole text); dates, times and numbers may not."""
        return all(not r.whole[column] and (r.sorts[column] is None or isinstance(r.sorts[column], str))
                   for r in self._rows)

    def key(self, row: int) -> object:
        """What the row at this (shown) position stands for: the key given with it to ``set_rows``."""
        return self._rows[row].key

    # -- sorting -------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """Sort by a column's values; column -1 restores the caller's order."""
        self._sort_column = column if 0 <= column < len(self.headers) else -1
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        old_rows = list(self._rows)
        persistent = self.persistentIndexList()
        self._apply_sort()
        new_row = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(new_row[id(old_rows[p.row()])], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        col = self._sort_column
        if col < 0:
            self._rows.sort(key=lambda r: r.position)
            return
        filled = [r for r in self._rows if r.sorts[col] is not None]
        empty = [r for r in self._rows if r.sorts[col] is None]
        descending = self._sort_order == Qt.DescendingOrder
        cmp = functools.cmp_to_key(lambda a, b: compare(a.sorts[col], b.sorts[col], self._collator)
                                   or (a.position > b.position) - (a.position < b.position))
        filled.sort(key=cmp, reverse=descending)
        self._rows = filled + sorted(empty, key=lambda r: r.position)

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, c = self._rows[index.row()], index.column()
        if not 0 <= c < len(r.texts):
            return None
        if role == Qt.DisplayRole:
            return r.texts[c]
        if role == Qt.ToolTipRole:
            return r.tips[c] or None
        if role == Qt.DecorationRole and r.icons[c] is not None:
            return r.icons[c]
        if role == Qt.FontRole and r.bold[c]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.TextAlignmentRole and r.right[c]:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == KEY_ROLE:
            return r.key if isinstance(r.key, (int, str)) else None
        return None


class SortHeader(QHeaderView):
    """A horizontal header that draws the sort arrow above the title instead of beside it, so a
    column needs no extra room for the arrow and its title is never cut to make space for one (the
    theme leaves room above the text). The arrow's direction shows the order: not colour alone."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        option.sortIndicator = QStyleOptionHeader.SortIndicator.None_  # drawn by paintSection instead

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:
        painter.save()
        super().paintSection(painter, rect, logical_index)
        painter.restore()
        if not self.isSortIndicatorShown() or logical_index != self.sortIndicatorSection():
            return
        x, top, half, height = rect.center().x() + 0.5, rect.top() + 2.5, 4.5, 5.0
        if self.sortIndicatorOrder() == Qt.AscendingOrder:
            points = [QPointF(x - half, top + height), QPointF(x + half, top + height), QPointF(x, top)]
        else:
            points = [QPointF(x - half, top), QPointF(x + half, top), QPointF(x, top + height)]
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(Qt.NoPen)
        painter.setBrush(self.palette().color(QPalette.Highlight))
        painter.drawPolygon(QPolygonF(points))
        painter.restore()

    def title_width(self, logical_index: int) -> int:
        """The width the section needs for its whole title, in the font and padding the theme gives it."""
        option = QStyleOptionHeader()
        self.initStyleOptionForIndex(option, logical_index)
        return self.style().sizeFromContents(QStyle.CT_HeaderSection, option, QSize(), self).width() + 4


def header_width(view: QTableView, column: int) -> int:
    """The width a header section needs for its whole title."""
    header = view.horizontalHeader()
    return header.title_width(column) if isinstance(header, SortHeader) else header.sectionSizeHint(column)


def content_width(view: QTableView, column: int) -> int:
    """The width the column's texts need (up to ``CONTENT_WIDTH_CAP``), measured over its rows."""
    return min(view.sizeHintForColumn(column), CONTENT_WIDTH_CAP) if view.model().rowCount() else 0


class ColumnFitter(QObject):
    """Keeps a table's columns fitted to the table.

    ``measure(column)`` gives a column's floor (never narrower: its title, and for a date or a number
    its contents) and its natural width (its contents); a width the user sets by dragging becomes the
    column's natural width (``user_resized`` says so). The ``stretch`` column takes the room left. When
    the table is too narrow for every natural width, the other columns give up room down to their
    floor, so the stretch column keeps a fair share (``STRETCH_SHARE``) and no horizontal scrollbar
    appears while the floors fit. Refitted when rows arrive and whenever the table is resized."""

    user_resized = Signal(int, int)  # column, width

    def __init__(self, view: QTableView, stretch: int | None,
                 measure: Callable[[int], tuple[int, int]] | None = None):
        super().__init__(view)
        self.stretch = stretch
        # No Python reference to the view or to the page that measures: a cycle through Python
        # attributes would let the garbage collector delete a widget at any moment, even mid-paint.
        self._measure_ref = weakref.WeakMethod(measure) if inspect.ismethod(measure) else (lambda: measure)
        self.preferred: dict[int, int] = {}
        self._floor: dict[int, int] = {}
        self._natural: dict[int, int] = {}
        self._fitting = False
        view.viewport().installEventFilter(self)
        view.model().modelReset.connect(self.measure)
        view.horizontalHeader().sectionResized.connect(self._resized)
        self.measure()

    @property
    def view(self) -> QTableView:
        return self.parent()

    def measure_column(self, col: int) -> tuple[int, int]:
        measure = self._measure_ref()
        return measure(col) if measure is not None else self._measure(col)

    def stretch_column(self) -> int:
        last = self.view.model().columnCount() - 1
        return last if self.stretch is None else self.stretch

    def _measure(self, col: int) -> tuple[int, int]:
        floor = header_width(self.view, col)
        natural = max(floor, content_width(self.view, col))
        elidable = getattr(self.view.model(), "elidable", lambda _c: True)(col)
        return (floor if elidable else natural), natural  # a date or a number is never cut short

    def measure(self) -> None:
        """Measure every column (after new rows or headers) and fit."""
        header = self.view.horizontalHeader()
        stretch = self.stretch_column()
        self._floor, self._natural = {}, {}
        for col in range(self.view.model().columnCount()):
            self._floor[col], self._natural[col] = self.measure_column(col)
            mode = QHeaderView.Stretch if col == stretch else QHeaderView.Interactive
            if header.sectionResizeMode(col) != mode:
                header.setSectionResizeMode(col, mode)
        self.fit()

    def natural(self, col: int) -> int:
        return max(self._floor.get(col, 0), self.preferred.get(col, self._natural.get(col, 0)))

    def floor(self, col: int) -> int:
        return self._floor.get(col, 0)

    def fit(self) -> None:
        available = self.view.viewport().width()
        stretch = self.stretch_column()
        others = [c for c in self._natural if c != stretch]
        want = {c: self.natural(c) for c in others}
        share = 0
        if stretch in self._natural:
            share = max(self._floor[stretch], min(self._natural[stretch], int(available * STRETCH_SHARE)))
        over = sum(want.values()) + share - available
        slack = {c: want[c] - self._floor[c] for c in others}
        total_slack = sum(slack.values())
        if over > 0 and total_slack > 0:
            for c in others:
                want[c] -= min(slack[c], -(-over * slack[c] // total_slack))
        self._fitting = True
        try:
            for c in others:
                if self.view.columnWidth(c) != want[c]:
                    self.view.setColumnWidth(c, want[c])
        finally:
            self._fitting = False

    def _resized(self, col: int, _old: int, new: int) -> None:
        if self._fitting or col == self.stretch_column() or col not in self._natural:
            return
        if self.view.horizontalHeader().sectionResizeMode(col) != QHeaderView.Interactive:
            return
        self.preferred[col] = new
        self.user_resized.emit(col, new)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Resize:
            self.fit()
        return False


def make_table(model: ListTableModel, widths: list[int] | None = None, *, stretch: int | None = None,
               sortable: bool = True) -> QTableView:
    """A read-only, row-selecting table over ``model``: titles never cut, columns fitted to their
    contents and to the table (``ColumnFitter``; ``widths`` are preferred widths, ``stretch`` the column
    that takes the room left, by default the last, ``NO_STRETCH`` for none), sortable by clicking a
    title (a third click restores the list's own order)."""
    view = QTableView()
    view.setHorizontalHeader(SortHeader(view))
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)  # the fitter gives the stretching column its mode
    if sortable:
        header.setSortIndicator(-1, Qt.AscendingOrder)  # the caller's order until a title is clicked
        header.setSortIndicatorClearable(True)
        view.setSortingEnabled(True)
    fitter = ColumnFitter(view, stretch)  # owned by the view
    fitter.preferred = {i: w for i, w in enumerate(widths or []) if w}
    fitter.measure()
    return view
