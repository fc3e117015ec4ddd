"""Flyt forløb: move all or chosen open cases of one coordinator to another (leave, holidays)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QListWidgetItem

from ui.dialogs.action import ActionDialog
from ui.i18n import tr
from ui.tasks import runner


class ReassignDialog(ActionDialog):
    ok_text = "Flyt forløb"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, 0, parent)
        self.moved = 0
        self.setWindowTitle(tr("Flyt forløb mellem koordinatorer"))
        self.resize(560, 520)
        self.source = QComboBox()
        self.target = QComboBox()
        self.fields["to_user"] = self.target
        self.form.addRow(tr("Fra koordinator"), self.source)
        self.form.addRow(tr("Til koordinator"), self.target)
        self.cases = QListWidget()
        self.outer.addWidget(QLabel(tr("Åbne forløb (afmærk dem, der skal flyttes):")))
        self.outer.addWidget(self.cases, 1)
        team = services.team
        self.load(lambda: team.coordinators(actor), self._show_coordinators)
        self.finish_layout()

    def _show_coordinators(self, people) -> None:
        for person in people:
            self.source.addItem(person.full_name, person.id)
            self.target.addItem(person.full_name, person.id)
        if len(people) > 1:
            self.target.setCurrentIndex(1)
        self.source.currentIndexChanged.connect(self._load_cases)
        self._load_cases()

    def _load_cases(self) -> None:
        cases, actor, source = self.services.cases, self.actor, self.source.currentData()

        def fetch():
            ids = cases.search_ids(actor, coordinator_id=source, include_closed=False, sort="name", descending=False)
            return cases.list_rows(actor, ids)
        runner().query(fetch, self._show_cases, parent=self, key=f"reassign:{id(self)}")

    def _show_cases(self, rows) -> None:
        self.cases.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.name}  ({row.case_number})")
            item.setData(Qt.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.cases.addItem(item)

    def prepare(self):
        chosen = [self.cases.item(i).data(Qt.UserRole) for i in range(self.cases.count())
                  if self.cases.item(i).checkState() == Qt.Checked]
        caseload, actor = self.services.caseload, self.actor
        source, target = self.source.currentData(), self.target.currentData()
        return lambda: caseload.move_cases(actor, from_user_id=source, to_user_id=target, case_ids=chosen)

    def _done(self, result) -> None:
        self.moved = result
        super()._done(result)
