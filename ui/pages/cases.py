"""Forløb: the searchable case list, and open case records as tabs beside it.

The list's columns fit the window: the name column takes the room that is left and every other
column is as wide as its title or its widest usual text; in a narrow window the names give up room
first, so at 1024 pixels no column hides behind a horizontal scrollbar. The column order and the
widths a user drags are remembered (``caseList/columns``); a header state saved by an older version
(``caseList/header``, whose widths pushed the last column out of sight) is dropped, not restored.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.labels import PHASE_LABELS, PHASES
from app.services import Actor, Services
from ui.i18n import label, tr
from ui.models.case_table import COLUMNS, NAME_COLUMN, WIDEST, CaseFilter, CaseTableModel, format_rows
from ui.pages.base import Page
from ui.record.record import CaseRecord
from ui.tasks import runner
from ui.widgets.common import hint, page_title
from ui.widgets.files import ask_export_path, export_button, saved_message
from ui.widgets.simple_table import ColumnFitter, SortHeader, header_width

SEARCH_DEBOUNCE_MS = 150
SPARE_RECORD_AFTER_MS = 150  # a spare record is built this long after the list is shown or a case opened
FETCH_ALL_AFTER_MS = 100  # every id of a result is read this long after its first rows, at the latest
FIRST_ROWS = 60  # rows read with a search's first read: a tall window's screen; the rest follow in blocks
# Keystrokes search without an audit entry; the search counts as finished, and is logged once with
# its text, when typing has stopped this long, when a case is opened or when the list is left.
SEARCH_LOG_IDLE_MS = 1500
LAYOUT_KEY = "caseList/columns"
OLD_LAYOUT_KEYS = ("caseList/header",)  # saved by earlier versions; their widths hid the last column
CELL_PADDING = 14  # a cell's margins and a little air, beside the text itself
AWAITING_VISITATION = ("referral", "visitation")
UNASSIGNED = "unassigned"


class CaseListPage(Page):
    title = "Forløb"

    def __init__(self, services: Services, actor: Actor, parent=None, *, read: bool = True):
        """``read=False``: built ahead (``MainWindow`` does while Overblik is shown); nothing is read
        until the page is first refreshed (shown)."""
        super().__init__(services, actor, parent)
        self._sort = ("last_activity", True)
        self._coordinators_asked = False
        self._ready = False
        lay = self.page_layout()
        head = QHBoxLayout()
        head.addWidget(page_title(tr("Forløb")))
        head.addStretch(1)
        if actor.may("case.reassign"):
            move = QPushButton(tr("Flyt forløb…"))
            move.clicked.connect(self.reassign)
            head.addWidget(move)
        if actor.may("case.export"):
            self.export_button = export_button(self, self.export)
            head.addWidget(self.export_button)
        if actor.may("case.create"):
            new = QPushButton(tr("Ny henvisning (Ctrl+N)"))
            new.setObjectName("primary")
            new.clicked.connect(self.new_referral)
            head.addWidget(new)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        lay.addWidget(self.tabs)

        list_page = QWidget()
        ll = QVBoxLayout(list_page)
        ll.setContentsMargins(0, 8, 0, 0)
        ll.addLayout(self._filter_bar())

        fetch = services.cases.list_rows
        self.model = CaseTableModel(lambda ids: fetch(actor, ids), self._sorted, self)
        self.table = self._make_table()
        self.empty = QWidget()
        el = QVBoxLayout(self.empty)
        el.addStretch(1)
        self.empty_text = QLabel()
        self.empty_text.setObjectName("emptyState")
        self.empty_text.setAlignment(Qt.AlignCenter)
        self.empty_text.setWordWrap(True)
        el.addWidget(self.empty_text)
        self.empty_clear = QPushButton(tr("Ryd søgning og filtre"))
        self.empty_clear.clicked.connect(self.clear_filters)
        el.addWidget(self.empty_clear, 0, Qt.AlignHCenter)
        el.addStretch(2)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        ll.addWidget(self.list_stack, 1)
        self.status_label = hint("")
        ll.addWidget(self.status_label)
        self.tabs.addTab(list_page, tr("Alle forløb"))
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)

        self._unlogged_search = ""  # shown to the user, not yet in the audit log
        self._unlogged_rows = False  # rows shown by a search or list view not yet logged
        self._logged_search = ""
        self._search_log_timer = QTimer(self)
        self._search_log_timer.setSingleShot(True)
        self._search_log_timer.setInterval(SEARCH_LOG_IDLE_MS)
        self._search_log_timer.timeout.connect(self.log_finished_search)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        # Every id of a long result is read after the first rows are painted (or after a short wait
        # when the list is not on screen): the second read's Python work would slow that paint.
        self._search_gen = 0
        self._fetch_all: Callable[[], None] | None = None
        self._fetch_all_timer = QTimer(self)
        self._fetch_all_timer.setSingleShot(True)
        self._fetch_all_timer.setInterval(FETCH_ALL_AFTER_MS)
        self._fetch_all_timer.timeout.connect(self._start_fetch_all)
        runner().soon(self._fetch_all_timer)
        self.table.viewport().installEventFilter(self)
        # A spare record, its Oversigt built ahead while nothing else happens, so that opening a case
        # only reads and fills it in (building the form is most of what opening takes).
        self._spare: CaseRecord | None = None
        self._spare_finished = False
        self._spare_timer = QTimer(self)
        self._spare_timer.setSingleShot(True)
        self._spare_timer.setInterval(SPARE_RECORD_AFTER_MS)
        self._spare_timer.timeout.connect(self._build_spare)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.phase, self.coordinator, self.subgroup):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.mine.toggled.connect(lambda _b: self.refresh())
        self._ready = True
        # The first read of the list and of the coordinators follows the next turn of the event loop:
        # a case opened at once (a link from Overblik builds this page and opens the case) is read
        # first. A page built ahead reads when it is first refreshed (shown).
        self._first_read = QTimer(self)
        self._first_read.setSingleShot(True)
        self._first_read.setInterval(0)
        self._first_read.timeout.connect(self.refresh)
        if read:
            runner().soon(self._first_read)
            self._first_read.start()

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(tr("Søg på navn, CPR eller forløbsnr."))
        self.search.setToolTip(tr("Søg på navn, CPR-nummer eller forløbsnummer (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 3)
        self.phase = QComboBox()
        self.phase.setAccessibleName(tr("Fase"))
        self.phase.addItem(tr("Alle faser"), None)
        self.phase.addItem(tr("Alle åbne"), "open")
        self.phase.addItem(tr("Venter på visitation"), "awaiting_visitation")
        for p in PHASES:
            self.phase.addItem(label(PHASE_LABELS, p), p)
        bar.addWidget(self.phase)
        self.coordinator = QComboBox()
        self.coordinator.setAccessibleName(tr("Koordinator"))
        self.coordinator.addItem(tr("Alle koordinatorer"), None)
        self.coordinator.addItem(tr("Uden koordinator"), UNASSIGNED)
        bar.addWidget(self.coordinator)
        self.subgroup = QComboBox()
        self.subgroup.setAccessibleName(tr("Undergruppe"))
        self.subgroup.addItem(tr("Alle undergrupper"), None)
        for i in range(1, 9):
            self.subgroup.addItem(tr("Undergruppe {n}").format(n=i), i)
        bar.addWidget(self.subgroup)
        # "Mine" are the cases a coordinator coordinates; for everyone else the cases whose team they are on.
        self.mine = QCheckBox(tr("Kun mine"))
        self._set_scope("mine" if self.actor.role == "coordinator" else "my_team")
        bar.addWidget(self.mine)
        return bar

    def _set_scope(self, scope: str) -> None:
        self._my_scope = scope
        self.mine.setToolTip(tr("Kun forløb, hvor du er koordinator") if scope == "mine"
                             else tr("Kun forløb, hvor du er med i teamet"))

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("caseTable")
        table.setHorizontalHeader(SortHeader(table))
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.setSelectionMode(QAbstractItemView.SingleSelection)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.ElideRight)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSortIndicator(len(COLUMNS) - 1, Qt.DescendingOrder)
        table.setSortingEnabled(True)
        self.table = table
        self.fitter = ColumnFitter(table, NAME_COLUMN, self._measure_column)
        self._restore_layout()
        self.fitter.user_resized.connect(lambda _c, _w: self._save_layout())
        header.sectionMoved.connect(self._save_layout)
        table.activated.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        return table

    # -- column layout -------------------------------------------------------------------------
    def _measure_column(self, column: int) -> tuple[int, int]:
        """A column's floor and natural width, from its title and its widest usual text (not from the
        rows, which arrive in blocks: measuring them would fetch them all)."""
        title = header_width(self.table, column)
        key = COLUMNS[column][1]
        content = self.table.fontMetrics().horizontalAdvance(WIDEST[key]) + CELL_PADDING
        natural = max(title, content)
        return (title if self.model.elidable(column) else natural), natural

    def _restore_layout(self) -> None:
        """The user's column order and widths; every column shown, whatever was saved."""
        settings = QSettings()
        for key in OLD_LAYOUT_KEYS:
            settings.remove(key)
        saved = _load_layout(settings.value(LAYOUT_KEY))
        header = self.table.horizontalHeader()
        by_key = {key: i for i, (_h, key) in enumerate(COLUMNS)}
        for visual, key in enumerate(k for k in saved.get("order", []) if k in by_key):
            header.moveSection(header.visualIndex(by_key[key]), visual)
        widths = saved.get("widths", {})
        self.fitter.preferred = {by_key[k]: w for k, w in widths.items()
                                 if k in by_key and by_key[k] != NAME_COLUMN and isinstance(w, int) and w > 0}
        for col in range(len(COLUMNS)):
            header.setSectionHidden(col, False)
        self.fitter.measure()

    def _save_layout(self, *_args) -> None:
        header = self.table.horizontalHeader()
        order = [COLUMNS[header.logicalIndex(v)][1] for v in range(header.count())]
        widths = {COLUMNS[col][1]: w for col, w in self.fitter.preferred.items()}
        QSettings().setValue(LAYOUT_KEY, json.dumps({"order": order, "widths": widths}))

    # -- list ----------------------------------------------------------------------------------
    def _fill_coordinators(self, people) -> None:
        for person in people:
            self.coordinator.addItem(person.full_name, person.id)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def open_target(self, argument: object) -> None:
        """From Overblik: a case id opens the record; a ``CaseFilter`` (or the filter names "mine",
        "my_team", "open", "unassigned", "awaiting_visitation" or a phase code) sets the list's
        filters, clearing the search and the filters it does not name."""
        if isinstance(argument, int):
            self.open_case(argument)
            return
        if isinstance(argument, str):
            argument = {"mine": CaseFilter(phase="open", scope="mine"),
                        "my_team": CaseFilter(phase="open", scope="my_team"),
                        "unassigned": CaseFilter(phase="open", unassigned=True)}.get(
                argument, CaseFilter(phase=argument))
        if isinstance(argument, CaseFilter):
            self.apply_filter(argument)
        self.tabs.setCurrentIndex(0)

    def apply_filter(self, wanted: CaseFilter) -> None:
        """Show exactly the cases ``wanted`` describes: one new search, not one per widget changed."""
        self._ready = False
        try:
            self.search.clear()
            self.phase.setCurrentIndex(max(0, self.phase.findData(wanted.phase)))
            self.coordinator.setCurrentIndex(self.coordinator.findData(UNASSIGNED) if wanted.unassigned else 0)
            self.subgroup.setCurrentIndex(0)
            self.mine.setChecked(wanted.scope is not None)
            if wanted.scope is not None:
                self._set_scope(wanted.scope)
        finally:
            self._ready = True
        self._debounce.stop()
        self.refresh()

    def clear_filters(self) -> None:
        self.apply_filter(CaseFilter())

    def filtered(self) -> bool:
        return bool(self.search.text().strip() or self.phase.currentData() or self.coordinator.currentData()
                    or self.subgroup.currentData() or self.mine.isChecked())

    def refresh(self) -> None:
        if not self._ready:
            return
        self._first_read.stop()
        if not self._coordinators_asked:
            self._coordinators_asked = True
            self.query(lambda: self.services.team.coordinators(self.actor), self._fill_coordinators)
        phase = self.phase.currentData()
        coordinator = self.coordinator.currentData()
        mine = self.mine.isChecked()
        args = dict(text=self.search.text(),
                    phase=AWAITING_VISITATION if phase == "awaiting_visitation" else
                    None if phase in (None, "open") else phase,
                    include_closed=phase != "open",
                    coordinator_id=coordinator if isinstance(coordinator, int) else None,
                    without_coordinator=coordinator == UNASSIGNED,
                    subgroup=self.subgroup.currentData(),
                    mine=mine and self._my_scope == "mine", on_my_team=mine and self._my_scope == "my_team",
                    sort=self._sort[0], descending=self._sort[1])
        cases, actor = self.services.cases, self.actor
        text = self.search.text().strip()
        # The first screen of rows in one read, painted at once; every id (for scrolling) follows
        # in a second read once those rows are on screen, unless the first held them all. A newer
        # search or sort overtakes both.
        self._search_gen += 1
        gen = self._search_gen
        self._fetch_all = None

        def fetch_all() -> None:  # a failure was already reported by the first read
            self.query(lambda: cases.search_ids(actor, log=False, **args),
                       lambda ids: gen == self._search_gen and self._all_results(ids),
                       key="search-all", on_error=lambda _exc: None)

        def shown(page, cells) -> None:
            self._show_results(page, text, cells)
            if not page.complete and gen == self._search_gen:
                self._fetch_all = fetch_all
                self._fetch_all_timer.start()
        def first_rows():
            page = cases.list_page(actor, first=FIRST_ROWS, **args)
            return page, format_rows(page.rows)
        self.query(first_rows, lambda got: shown(*got), key="search")

    def eventFilter(self, watched, event):  # noqa: N802 - the list's first paint of new rows
        if self._fetch_all is not None and event.type() == QEvent.Paint and watched is self.table.viewport():
            QTimer.singleShot(0, self, self._start_fetch_all)  # runs after this paint
        return super().eventFilter(watched, event)

    def _start_fetch_all(self) -> None:
        fetch, self._fetch_all = self._fetch_all, None
        self._fetch_all_timer.stop()
        if fetch is not None:
            fetch()

    def log_finished_search(self) -> None:
        """Write the shown search to the audit log, once, with the cases its rows showed: keystrokes
        search without an entry, and the search counts as finished when typing has stopped
        (SEARCH_LOG_IDLE_MS), when a case is opened from it or when the list is left. A new sort or
        filter of a search already logged is logged as a list read (``CaseService.log_search``)."""
        self._search_log_timer.stop()
        text, self._unlogged_search = self._unlogged_search, ""
        if not (text or self._unlogged_rows):
            return
        self._unlogged_rows = False
        if text:
            self._logged_search = text
        cases, actor = self.services.cases, self.actor
        runner().write(lambda: cases.log_search(actor, text), None, parent=self, disable=[])

    def hideEvent(self, event):  # noqa: N802 - leaving the list (other section, lock, log-out) ends the search
        self.log_finished_search()
        super().hideEvent(event)

    def _all_results(self, ids: list[int]) -> None:
        self.model.set_all_ids(ids)
        self._show_count(len(ids))

    def _show_count(self, n: int) -> None:
        if n:
            self.status_label.setText(tr("{n} forløb. Dobbeltklik eller tryk Enter for at åbne et forløb.")
                                      .format(n=n))

    def _show_results(self, page, text: str, cells: dict | None = None) -> None:
        ids, rows = page.ids, page.rows
        # A new sort or filter on the text already logged is the same search.
        self._unlogged_search = text if text != self._logged_search else ""
        if not text:
            self._logged_search = ""
        self._unlogged_rows = self._unlogged_rows or bool(rows)
        if self._unlogged_search or self._unlogged_rows:
            self._search_log_timer.start()
        else:
            self._search_log_timer.stop()
        self.model.set_ids(ids, rows, cells)
        self.list_stack.setCurrentWidget(self.table if ids else self.empty)
        self.empty_clear.setVisible(not ids and self.filtered())
        if ids:
            if page.complete:
                self._show_count(len(ids))
            return
        self.status_label.setText("")
        if self.filtered():
            self.empty_text.setText(tr("Ingen forløb matcher søgningen og filtrene.\n"
                                       "Ret søgningen, eller ryd den og filtrene for at se alle forløb."))
        elif self.actor.may("case.create"):
            self.empty_text.setText(tr("Ingen forløb endnu.\nOpret en henvisning med Ctrl+N eller knappen "
                                       "»Ny henvisning« øverst til højre."))
        else:
            self.empty_text.setText(tr("Ingen forløb endnu.\nForløb oprettes, når en TTA-koordinator registrerer "
                                       "en henvisning fra jobcentret."))

    # -- actions -------------------------------------------------------------------------------
    def export(self, fmt_code: str) -> None:
        """The list as shown (the filtered cases in the shown order, the columns in the shown order)."""
        path = ask_export_path(self, tr("Eksportér forløbslisten"), "Forløb", fmt_code)
        if path is None:
            return
        header = self.table.horizontalHeader()
        columns = [COLUMNS[header.logicalIndex(v)][1] for v in range(header.count())
                   if not header.isSectionHidden(header.logicalIndex(v))]
        ids = [self.model.case_id(r) for r in range(self.model.rowCount())]
        shown = self.search.text().strip()
        exports, actor = self.services.exports, self.actor
        self.write(lambda: exports.export_case_list(actor, ids, path, fmt_code, columns=columns,
                                                    filter_text=f"søgning: {shown}" if shown else ""),
                   lambda n: self.status.emit(saved_message(path) + tr(" ({n} forløb)").format(n=n)),
                   disable=self.export_button)

    def new_referral(self):
        from ui.dialogs.referral import ReferralDialog
        dlg = ReferralDialog(self.services, self.actor, self)
        self.last_dialog = dlg
        dlg.created.connect(self._referral_created)
        dlg.open()
        return dlg

    def _referral_created(self, case_id: int) -> None:
        self.refresh()
        self.status.emit(tr("Henvisningen er oprettet."))
        self.open_case(case_id)

    def reassign(self) -> None:
        from ui.dialogs.caseload import ReassignDialog
        dlg = ReassignDialog(self.services, self.actor, self)
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: self._reassigned(dlg.moved))
        dlg.open()

    def _reassigned(self, moved: int) -> None:
        self.status.emit(tr("{n} forløb er flyttet.").format(n=moved))
        self.refresh()
        for record in self.open_records():
            record.reload()

    # -- records -------------------------------------------------------------------------------
    def open_case(self, case_id: int) -> CaseRecord:
        self.log_finished_search()
        for record in self.open_records():
            if record.case_id == case_id:
                self.tabs.setCurrentWidget(record)
                return record
        row = self.model.row_for(case_id)
        summary = f"{row.name}, {row.case_number}" if row is not None else ""
        title = row.name if row is not None else "…"
        record, self._spare = self._spare, None
        if record is not None and record.built():
            # Its Oversigt was built ahead in a hidden tab: showing that tab moves and styles nothing,
            # so only the case is read and filled in now.
            record.attach(case_id, summary)
            i = self.tabs.indexOf(record)
            self.tabs.setTabText(i, title)
            self.tabs.setTabVisible(i, True)
        else:
            if record is not None:
                self._discard(record)
            record = CaseRecord(self.services, self.actor, case_id, summary=summary)
            i = self.tabs.addTab(record, title)
        self._spare_timer.start()  # the next one, once this one is on screen and the user reads it
        record.title_changed.connect(lambda title, r=record: self._set_tab_title(r, title))
        record.status.connect(self.status)
        record.closed.connect(lambda r=record: self._remove_record(r))
        self.tabs.setCurrentIndex(i)
        return record

    def build_spare_ahead(self) -> None:
        """Build the spare record now, though the page is not shown (it is built ahead)."""
        self._build_spare(ahead=True)

    def _build_spare(self, ahead: bool = False) -> None:
        """A record with no case in a hidden last tab: built where it will be shown."""
        if self._spare is None and (ahead or self.isVisible()):
            self._spare = CaseRecord(self.services, self.actor, None)
            self.tabs.setTabVisible(self.tabs.addTab(self._spare, ""), False)
            self._spare_finished = False
            QTimer.singleShot(0, self, self._finish_spare)

    def _finish_spare(self) -> None:
        """Once its form is built: styled and sized as a record tab, so that taking it costs no
        styling or placing of its widgets (a third of what opening took)."""
        spare = self._spare
        if spare is None:
            return
        if not spare.built():
            QTimer.singleShot(0, self, self._finish_spare)
            return
        spare.resize(self.tabs.currentWidget().size())
        spare.ensurePolished()
        self._spare_finished = True

    def spare_ready(self) -> bool:
        """The next case opened fills in a record built ahead (benchmarks wait for this)."""
        return self._spare is not None and self._spare_finished

    def _discard(self, record: CaseRecord) -> None:
        i = self.tabs.indexOf(record)
        if i > 0:
            self.tabs.removeTab(i)
        record.deleteLater()

    def showEvent(self, event):  # noqa: N802 - a spare record for the first case opened
        super().showEvent(event)
        if self._spare is None:
            self._spare_timer.start()

    def _set_tab_title(self, record: CaseRecord, title: str) -> None:
        i = self.tabs.indexOf(record)
        if i >= 0:
            self.tabs.setTabText(i, title)

    def _close_tab(self, index: int) -> None:
        w = self.tabs.widget(index)
        if index == 0 or not isinstance(w, CaseRecord) or not w.confirm_close():
            return
        self._remove_record(w)

    def _remove_record(self, record: CaseRecord) -> None:
        if self.tabs.indexOf(record) > 0:
            self._discard(record)  # the tab widget never makes the hidden spare current

    def open_records(self) -> list[CaseRecord]:
        """The records open in tabs (not the hidden spare)."""
        return [w for i in range(1, self.tabs.count())
                if isinstance(w := self.tabs.widget(i), CaseRecord) and w is not self._spare]

    def has_unsaved_changes(self) -> bool:
        return any(r.has_unsaved_changes() for r in self.open_records())


def _load_layout(value: object) -> dict:
    """The saved column layout, or an empty one when nothing (or something unreadable) is saved."""
    try:
        layout = json.loads(value) if isinstance(value, str) else {}
    except ValueError:
        return {}
    return layout if isinstance(layout, dict) else {}
