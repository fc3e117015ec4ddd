"""Forløb: the searchable case list, and open case records as tabs beside it."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLineEdit,
                               QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget)

from app.labels import PHASE_LABELS, PHASES
from app.services import Actor, Services
from ui.i18n import label, tr
from ui.models.case_table import BLOCK, COLUMNS, CaseTableModel
from ui.pages.base import Page
from ui.record.record import CaseRecord
from ui.widgets.common import hint, page_title

SEARCH_DEBOUNCE_MS = 150


class CaseListPage(Page):
    title = "Forløb"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(services, actor, parent)
        self._sort = ("last_activity", True)
        self._ready = False
        lay = self.page_layout()
        head = QHBoxLayout()
        head.addWidget(page_title(tr("Forløb")))
        head.addStretch(1)
        if actor.may("case.reassign"):
            move = QPushButton(tr("Flyt forløb…"))
            move.clicked.connect(self.reassign)
            head.addWidget(move)
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
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(tr("Søg på navn, CPR-nummer eller forløbsnummer (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 3)
        self.phase = QComboBox()
        self.phase.addItem(tr("Alle faser"), None)
        self.phase.addItem(tr("Alle åbne"), "open")
        for p in PHASES:
            self.phase.addItem(label(PHASE_LABELS, p), p)
        bar.addWidget(self.phase)
        self.coordinator = QComboBox()
        self.coordinator.addItem(tr("Alle koordinatorer"), None)
        bar.addWidget(self.coordinator)
        self.subgroup = QComboBox()
        self.subgroup.addItem(tr("Alle undergrupper"), None)
        for i in range(1, 9):
            self.subgroup.addItem(tr("Undergruppe {n}").format(n=i), i)
        bar.addWidget(self.subgroup)
        self.mine = QCheckBox(tr("Kun mine"))
        bar.addWidget(self.mine)
        ll.addLayout(bar)

        fetch = services.cases.list_rows
        self.model = CaseTableModel(lambda ids: fetch(actor, ids), self._sorted, self)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSortIndicator(len(COLUMNS) - 1, Qt.DescendingOrder)
        self.table.setSortingEnabled(True)
        # The name column takes the room that is left, so no column hides behind a scrollbar.
        for col, width in enumerate((0, 100, 105, 100, 150, 80, 95, 125)):
            if width:
                self.table.setColumnWidth(col, width)
        state = QSettings().value("caseList/header")
        if state is not None:
            header.restoreState(state)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.sectionMoved.connect(self._save_layout)
        header.sectionResized.connect(self._save_layout)
        self.table.doubleClicked.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        self.table.activated.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        ll.addWidget(self.table)
        self.status_label = hint("")
        ll.addWidget(self.status_label)
        self.tabs.addTab(list_page, tr("Alle forløb"))
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.phase, self.coordinator, self.subgroup):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.mine.toggled.connect(lambda _b: self.refresh())
        self._ready = True
        self.query(lambda: services.team.coordinators(actor), self._fill_coordinators)
        self.refresh()

    def _fill_coordinators(self, people) -> None:
        for person in people:
            self.coordinator.addItem(person.full_name, person.id)

    # -- list ----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def open_target(self, argument: object) -> None:
        """From Overblik: a case id opens the record; a filter name sets the list's filters."""
        if isinstance(argument, int):
            self.open_case(argument)
            return
        if argument == "mine":
            self.mine.setChecked(True)
            self.phase.setCurrentIndex(self.phase.findData("open"))
        elif isinstance(argument, str) and self.phase.findData(argument) >= 0:
            self.mine.setChecked(False)
            self.phase.setCurrentIndex(self.phase.findData(argument))
        self.tabs.setCurrentIndex(0)

    def refresh(self) -> None:
        if not self._ready:
            return
        phase = self.phase.currentData()
        args = dict(text=self.search.text(), phase=None if phase in (None, "open") else phase,
                    include_closed=phase != "open", coordinator_id=self.coordinator.currentData(),
                    subgroup=self.subgroup.currentData(), mine=self.mine.isChecked(),
                    sort=self._sort[0], descending=self._sort[1])
        cases, actor = self.services.cases, self.actor

        def search():
            ids = cases.search_ids(actor, **args)
            return ids, cases.list_rows(actor, ids[:BLOCK])
        self.query(search, self._show_results, key="search")

    def _show_results(self, result) -> None:
        ids, rows = result
        self.model.set_ids_with_rows(ids, rows)
        if ids:
            self.status_label.setText(tr("{n} forløb. Dobbeltklik eller tryk Enter for at åbne et forløb.")
                                      .format(n=len(ids)))
        elif self.search.text() or self.phase.currentData() or self.mine.isChecked():
            self.status_label.setText(tr("Ingen forløb matcher søgningen."))
        elif self.actor.may("case.create"):
            self.status_label.setText(tr("Ingen forløb endnu – opret en henvisning med Ctrl+N."))
        else:
            self.status_label.setText(tr("Ingen forløb endnu."))

    def _save_layout(self, *_args) -> None:
        QSettings().setValue("caseList/header", self.table.horizontalHeader().saveState())

    # -- actions -------------------------------------------------------------------------------
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
        for record in self.open_records():
            if record.case_id == case_id:
                self.tabs.setCurrentWidget(record)
                return record
        record = CaseRecord(self.services, self.actor, case_id)
        record.title_changed.connect(lambda title, r=record: self._set_tab_title(r, title))
        record.status.connect(self.status)
        record.closed.connect(lambda r=record: self._remove_record(r))
        i = self.tabs.addTab(record, "…")
        self.tabs.setCurrentIndex(i)
        return record

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
        i = self.tabs.indexOf(record)
        if i > 0:
            self.tabs.removeTab(i)
            record.deleteLater()

    def open_records(self) -> list[CaseRecord]:
        return [w for i in range(1, self.tabs.count()) if isinstance(w := self.tabs.widget(i), CaseRecord)]

    def has_unsaved_changes(self) -> bool:
        return any(r.has_unsaved_changes() for r in self.open_records())
