"""Opgaver: the user's open tasks grouped overdue, today, this week and later, from every source
(referrals, plans, round-table agreements, conferences, deadlines, tasks made by hand).

"Udført" (Ctrl+D) marks the chosen task done at once; "Fortryd" brings it back for a moment after.
Enter or a double-click opens the task's case. The team lead may switch to the team's tasks, per
person, and move a task to another team member.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QStyle

from app.services.tasks import GROUP_LABELS, GROUPS, TaskGroups, TaskItem
from ui import fmt
from ui.dialogs.new_task import NewTaskDialog
from ui.errors import show_error
from ui.i18n import tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import Cell, ListTableModel, make_table

UNDO_SECONDS = 10
HEADERS = ["Hvornår", "Frist", "Opgave", "Type", "Borger", "Forløb"]


class TasksPage(Page):
    title = "Opgaver"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Opgaver")))
        bar = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.addItem(tr("Mine opgaver"), "mine")
        if actor.may("task.assign"):
            self.scope.addItem(tr("Teamets opgaver pr. person"), "team")
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.scope)
        if self.scope.count() == 1:
            self.scope.hide()   # hide only: showing a widget not yet in the page would open it as a window
        self.done_button = QPushButton(tr("Udført"))
        self.done_button.setObjectName("primary")
        self.done_button.setToolTip(tr("Marker den valgte opgave som udført (Ctrl+D)"))
        self.done_button.clicked.connect(self.complete_selected)
        self.undo_button = QPushButton(tr("Fortryd"))
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo)
        self.new_button = QPushButton(tr("Ny opgave…"))
        self.new_button.clicked.connect(self.new_task)
        self.open_button = QPushButton(tr("Åbn forløbet"))
        self.open_button.clicked.connect(lambda: self._open(self._current_row()))
        for w in (self.done_button, self.undo_button, self.new_button, self.open_button):
            bar.addWidget(w)
        self.move_to = QComboBox()
        self.move_to.setObjectName("moveTo")
        self.move_button = QPushButton(tr("Flyt til"))
        self.move_button.clicked.connect(self.move_selected)
        if actor.may("task.assign"):
            bar.addSpacing(16)
            bar.addWidget(self.move_button)
            bar.addWidget(self.move_to)
            team = services.team
            self.query(lambda: team.members(actor), self._fill_members, key="members")
        else:
            self.move_button.hide()
            self.move_to.hide()
        bar.addStretch(1)
        self.summary = QLabel("")
        bar.addWidget(self.summary)
        lay.addLayout(bar)
        self.model = ListTableModel([tr(h) for h in HEADERS])
        self.view = make_table(self.model, stretch=2)
        self.view.setObjectName("taskTable")
        self.view.activated.connect(lambda index: self._open(index.row()))
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        QShortcut(QKeySequence("Ctrl+D"), self, activated=self.complete_selected, context=Qt.WidgetWithChildrenShortcut)
        self._overdue_icon = self.style().standardIcon(QStyle.SP_MessageBoxWarning)
        self._undo: TaskItem | None = None
        self._undo_version = 0
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(lambda: self.undo_button.setVisible(False))
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        tasks, actor = self.services.tasks, self.actor
        if self.scope.currentData() == "team":
            self.query(lambda: tasks.team_tasks(actor), self._show_team, key="list")
        else:
            self.query(lambda: tasks.my_tasks(actor), self._show_mine, key="list")

    def _fill_members(self, members) -> None:
        self.move_to.clear()
        for m in members:
            self.move_to.addItem(m.full_name, m.id)

    def _cells(self, group: str, t: TaskItem) -> list:
        overdue = group == "overdue"
        return [Cell(tr(GROUP_LABELS[group]), GROUPS.index(group), bold=overdue,
                     icon=self._overdue_icon if overdue else None),
                Cell(fmt.date(t.due), t.due, bold=overdue), t.title, tr(t.kind_label), t.citizen,
                Cell(t.case_number, whole=True)]

    def _show_mine(self, groups: TaskGroups) -> None:
        rows, keys = [], []
        for g in GROUPS:
            for t in groups.groups[g]:
                rows.append(self._cells(g, t))
                keys.append(t)
        self.model.set_rows(rows, keys, headers=[tr(h) for h in HEADERS])
        counts = {g: len(groups.groups[g]) for g in GROUPS}
        self.summary.setText(tr("{o} over fristen · {t} i dag · {w} denne uge · {l} senere").format(
            o=counts["overdue"], t=counts["today"], w=counts["this_week"], l=counts["later"]))
        self._empty_text(bool(rows), tr("Du har ingen åbne opgaver. Opret en med »Ny opgave…«."))

    def _show_team(self, per_person: dict[str, TaskGroups]) -> None:
        rows, keys = [], []
        for name, groups in per_person.items():
            for g in GROUPS:
                for t in groups.groups[g]:
                    rows.append([name, *self._cells(g, t)])
                    keys.append(t)
        self.model.set_rows(rows, keys, headers=[tr("Ansvarlig")] + [tr(h) for h in HEADERS])
        self.summary.setText(tr("{n} åbne opgaver hos {p} personer").format(n=len(rows), p=len(per_person)))
        self._empty_text(bool(rows), tr("Ingen åbne opgaver i teamet."))

    def _empty_text(self, any_rows: bool, empty: str) -> None:
        self.empty.setText(tr("Enter eller dobbeltklik åbner forløbet; Ctrl+D markerer opgaven som udført.")
                           if any_rows else empty)
        self.done_button.setEnabled(any_rows)

    # -- actions -------------------------------------------------------------------------------
    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def selected(self) -> TaskItem | None:
        row = self._current_row()
        task = self.model.key(row) if row >= 0 else None
        return task if isinstance(task, TaskItem) else None

    def complete_selected(self) -> None:
        task = self.selected()
        if task is None:
            self.status.emit(tr("Vælg en opgave først."))
            return
        tasks, actor = self.services.tasks, self.actor
        self.write(lambda: tasks.complete(actor, task.id, expected_version=task.version),
                   lambda v: self._completed(task, v), disable=self.done_button,
                   on_error=lambda exc: show_error(self, exc, on_conflict=self.refresh))

    def _completed(self, task: TaskItem, version: int) -> None:
        self._undo, self._undo_version = task, version
        self.undo_button.setText(tr("Fortryd »{title}«").format(title=task.title[:40]))
        self.undo_button.setVisible(True)
        self._undo_timer.start(UNDO_SECONDS * 1000)
        self.status.emit(tr("Opgaven er markeret som udført."))
        self.refresh()

    def undo(self) -> None:
        task, version = self._undo, self._undo_version
        if task is None:
            return
        tasks, actor = self.services.tasks, self.actor
        self._undo = None
        self.undo_button.setVisible(False)
        self.write(lambda: tasks.undo_complete(actor, task.id, expected_version=version),
                   lambda _v: (self.status.emit(tr("Opgaven er åben igen.")), self.refresh()),
                   on_error=lambda exc: show_error(self, exc))

    def move_selected(self) -> None:
        task, owner = self.selected(), self.move_to.currentData()
        if task is None or owner is None:
            self.status.emit(tr("Vælg en opgave og en person."))
            return
        tasks, actor, name = self.services.tasks, self.actor, self.move_to.currentText()
        self.write(lambda: tasks.move(actor, task.id, owner, expected_version=task.version),
                   lambda _v: (self.status.emit(tr("Opgaven er flyttet til {name}.").format(name=name)),
                               self.refresh()),
                   on_error=lambda exc: show_error(self, exc, on_conflict=self.refresh))

    def new_task(self) -> None:
        dlg = NewTaskDialog(self.services, self.actor, parent=self)
        if dlg.exec():
            self.status.emit(tr("Opgaven er oprettet."))
            self.refresh()

    def _open(self, row: int) -> None:
        task = self.model.key(row) if row >= 0 else None
        if not isinstance(task, TaskItem):
            return
        if task.case_id is None:
            self.status.emit(tr("Opgaven hører ikke til et forløb."))
            return
        self.navigate.emit("cases", task.case_id)
