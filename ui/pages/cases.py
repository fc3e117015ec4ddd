"""Forløb: the searchable case list, and open case records as tabs beside it."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QMessageBox,
                               QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget)

from app.labels import PHASES, PHASE_LABELS
from app.services import Actor, Services
from ui.models.case_table import CaseTableModel, COLUMNS
from ui.pages.case_record import CaseRecord
from ui.widgets.common import hint, page_title, show_error

# Keystrokes search without an audit entry; the search counts as finished, and is logged once with
# its text, when typing has stopped this long, when a case is opened or when the list is left.
SEARCH_LOG_IDLE_MS = 1500


class CaseListPage(QWidget):
    title = "Forløb"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self._sort = ("last_activity", True)
        self._ready = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        head = QHBoxLayout()
        head.addWidget(page_title("Forløb"))
        head.addStretch(1)
        if actor.may("case.reassign"):
            move = QPushButton("Flyt forløb…")
            move.clicked.connect(self.reassign)
            head.addWidget(move)
        if actor.may("case.create"):
            new = QPushButton("Ny henvisning (Ctrl+N)")
            new.setObjectName("primary")
            new.clicked.connect(self.new_referral)
            head.addWidget(new)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        lay.addWidget(self.tabs)

        list_page = QWidget()
        ll = QVBoxLayout(list_page)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText("Søg på navn, CPR-nummer eller forløbsnummer (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 3)
        self.phase = QComboBox()
        self.phase.addItem("Alle faser", None)
        self.phase.addItem("Alle åbne", "open")
        for p in PHASES:
            self.phase.addItem(PHASE_LABELS[p], p)
        bar.addWidget(self.phase)
        self.coordinator = QComboBox()
        self.coordinator.addItem("Alle koordinatorer", None)
        for uid, name, role in services.overview.team_members(actor):
            if role in ("coordinator", "team_lead"):
                self.coordinator.addItem(name, uid)
        bar.addWidget(self.coordinator)
        self.subgroup = QComboBox()
        self.subgroup.addItem("Alle undergrupper", None)
        for i in range(1, 9):
            self.subgroup.addItem(f"Undergruppe {i}", i)
        bar.addWidget(self.subgroup)
        self.mine = QCheckBox("Kun mine")
        bar.addWidget(self.mine)
        ll.addLayout(bar)

        self.model = CaseTableModel(lambda ids: self.services.cases.list_rows(self.actor, ids), self._sorted, self)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSortIndicator(len(COLUMNS) - 1, Qt.DescendingOrder)
        self.table.setSortingEnabled(True)
        for col, width in enumerate((200, 100, 110, 110, 170, 90, 100, 140)):
            self.table.setColumnWidth(col, width)
        state = QSettings().value("caseList/header")
        if state is not None:
            header.restoreState(state)
        header.sectionMoved.connect(self._save_layout)
        header.sectionResized.connect(self._save_layout)
        self.table.doubleClicked.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        self.table.activated.connect(lambda idx: self.open_case(self.model.case_id(idx.row())))
        ll.addWidget(self.table)
        self.status = hint("")
        ll.addWidget(self.status)
        self.tabs.addTab(list_page, "Alle forløb")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self._unlogged_search = ""  # shown to the user, not yet in the audit log
        self._logged_search = ""
        self._search_log_timer = QTimer(self)
        self._search_log_timer.setSingleShot(True)
        self._search_log_timer.setInterval(SEARCH_LOG_IDLE_MS)
        self._search_log_timer.timeout.connect(self.log_finished_search)
        for combo in (self.phase, self.coordinator, self.subgroup):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.mine.toggled.connect(lambda _b: self.refresh())
        self._ready = True
        self.refresh()

    # -- list ----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def refresh(self) -> None:
        if not self._ready:
            return
        phase = self.phase.currentData()
        text = self.search.text().strip()
        try:
            ids = self.services.cases.search_ids(
                self.actor, text, phase=None if phase in (None, "open") else phase,
                include_closed=phase != "open", coordinator_id=self.coordinator.currentData(),
                subgroup=self.subgroup.currentData(), mine=self.mine.isChecked(),
                sort=self._sort[0], descending=self._sort[1], log=False)
        except Exception as exc:  # shown, never a traceback
            show_error(self, exc)
            return
        self.model.set_ids(ids)
        # A new sort or filter on the text already logged is the same search.
        self._unlogged_search = text if text != self._logged_search else ""
        if not text:
            self._logged_search = ""
        if self._unlogged_search:
            self._search_log_timer.start()
        else:
            self._search_log_timer.stop()
        if ids:
            self.status.setText(f"{len(ids)} forløb. Dobbeltklik eller tryk Enter for at åbne et forløb.")
        elif self.search.text() or self.phase.currentData() or self.mine.isChecked():
            self.status.setText("Ingen forløb matcher søgningen.")
        elif self.actor.may("case.create"):
            self.status.setText("Ingen forløb endnu – opret en henvisning med Ctrl+N.")
        else:
            self.status.setText("Ingen forløb endnu.")

    def log_finished_search(self) -> None:
        """Write the shown search to the audit log, once (see SEARCH_LOG_IDLE_MS)."""
        self._search_log_timer.stop()
        text = self._unlogged_search
        if not text:
            return
        try:
            self.services.cases.log_search(self.actor, text)
        except Exception as exc:
            show_error(self, exc)
            return
        self._logged_search, self._unlogged_search = text, ""

    def hideEvent(self, event):  # noqa: N802 - leaving the list (other section, lock, log-out) ends the search
        self.log_finished_search()
        super().hideEvent(event)

    def _save_layout(self, *_args) -> None:
        QSettings().setValue("caseList/header", self.table.horizontalHeader().saveState())

    # -- actions -------------------------------------------------------------------------------
    def new_referral(self):
        from ui.dialogs.referral import ReferralDialog
        dlg = ReferralDialog(self.services, self.actor, self)
        self.last_dialog = dlg
        if dlg.exec() and dlg.created_case_id:
            self.refresh()
            return self.open_case(dlg.created_case_id)
        return None

    def reassign(self) -> None:
        from ui.dialogs.case_actions import ReassignDialog
        dlg = ReassignDialog(self.services, self.actor, self)
        self.last_dialog = dlg
        if dlg.exec():
            QMessageBox.information(self, "Forløb flyttet", f"{dlg.moved} forløb er flyttet.")
            self.refresh()
            for record in self.open_records():
                record.reload()

    # -- records -------------------------------------------------------------------------------
    def open_case(self, case_id: int) -> CaseRecord | None:
        self.log_finished_search()
        for i in range(1, self.tabs.count()):
            w = self.tabs.widget(i)
            if isinstance(w, CaseRecord) and w.case_id == case_id:
                self.tabs.setCurrentIndex(i)
                return w
        try:
            record = CaseRecord(self.services, self.actor, case_id)
        except Exception as exc:
            show_error(self, exc)
            return None
        i = self.tabs.addTab(record, record.tab_title())
        self.tabs.setCurrentIndex(i)
        return record

    def _close_tab(self, index: int) -> None:
        w = self.tabs.widget(index)
        if index == 0 or (isinstance(w, CaseRecord) and not w.confirm_close()):
            return
        self.tabs.removeTab(index)
        w.deleteLater()

    def open_records(self) -> list[CaseRecord]:
        return [self.tabs.widget(i) for i in range(1, self.tabs.count())]
