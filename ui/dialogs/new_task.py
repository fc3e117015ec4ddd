"""Ny opgave: a task made by hand, on a case (by its number) or for the team, for oneself or another."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from ui.dialogs.action import ActionDialog
from ui.i18n import tr
from ui.widgets.forms import DateField


class NewTaskDialog(ActionDialog):
    ok_text = "Opret opgave"

    def __init__(self, services, actor, *, case_number: str = "", parent=None):
        super().__init__(services, actor, None, parent)
        self.setWindowTitle(tr("Ny opgave"))
        self.setMinimumWidth(460)
        self.case_number = QLineEdit(case_number)
        self.case_number.setPlaceholderText(tr("fx TTA-2026-0012 – tomt: en opgave for teamet"))
        self.fields["case_number"] = self.case_number
        self.form.addRow(tr("Forløb"), self.case_number)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("taskTitle")
        self.fields["title"] = self.title_edit
        self.form.addRow(tr("Opgave *"), self.title_edit)
        self.due = DateField(services.cases.today(), field="due_date", label=tr("Frist"))
        self.fields["due_date"] = self.due
        self.form.addRow(tr("Frist *"), self.due)
        self.owner = QComboBox()
        self.owner.setObjectName("taskOwner")
        self.fields["owner_id"] = self.owner
        self.form.addRow(tr("Ansvarlig"), self.owner)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.fields["description"] = self.description
        self.form.addRow(tr("Beskrivelse"), self.description)
        team = services.team
        self.load(lambda: team.members(actor), self._fill)
        self.finish_layout()

    def _fill(self, members) -> None:
        for m in members:
            self.owner.addItem(m.full_name, m.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(self.actor.user_id)))

    def prepare(self):
        tasks, actor = self.services.tasks, self.actor
        number, title = self.case_number.text().strip(), self.title_edit.text()
        due, owner, text = self.due.date(), self.owner.currentData(), self.description.toPlainText()

        def work():
            case_id = tasks.find_case(actor, number) if number else None
            return tasks.create_task(actor, case_id, title=title, due=due, owner_id=owner, description=text)
        return work
