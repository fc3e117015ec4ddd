"""One task opened from the dashboard or the task list: what, when, whose, and on which case; mark it
done here (one click) or open its case."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from app.services.tasks import TaskItem
from ui import fmt
from ui.errors import show_error
from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.common import value_label


class TaskDialog(QDialog):
    """``result_value``: "done" after completing, "open_case" when the user asked for the case."""

    def __init__(self, services, actor, task: TaskItem, parent=None):
        super().__init__(parent)
        self.services, self.actor, self.task = services, actor, task
        self.result_value: str | None = None
        self.setWindowTitle(tr("Opgave"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(tr("Opgave"), value_label(task.title))
        due = fmt.date(task.due) + (tr(" – over fristen") if task.due < services.cases.today() else "")
        form.addRow(tr("Frist"), value_label(due))
        form.addRow(tr("Type"), value_label(tr(task.kind_label)))
        form.addRow(tr("Ansvarlig"), value_label(task.owner))
        form.addRow(tr("Forløb"), value_label(f"{task.case_number} {task.citizen}" if task.case_id
                                              else tr("Ingen – en opgave for teamet")))
        if task.description:
            form.addRow(tr("Beskrivelse"), value_label(task.description))
        if task.done_at:
            form.addRow(tr("Løst"), value_label(fmt.datetime_local(task.done_at)))
        lay.addLayout(form)
        self.state = QLabel("")
        lay.addWidget(self.state)
        buttons = QDialogButtonBox()
        self.done_button = buttons.addButton(tr("Marker som udført"), QDialogButtonBox.AcceptRole)
        self.done_button.setObjectName("primary")
        self.done_button.setVisible(task.done_at is None)
        self.done_button.clicked.connect(self.complete)
        self.case_button = buttons.addButton(tr("Åbn forløbet"), QDialogButtonBox.ActionRole)
        self.case_button.setVisible(task.case_id is not None)
        self.case_button.clicked.connect(self._open_case)
        buttons.addButton(tr("Luk"), QDialogButtonBox.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def complete(self) -> None:
        tasks, actor, task = self.services.tasks, self.actor, self.task
        runner().write(lambda: tasks.complete(actor, task.id, expected_version=task.version), self._completed,
                       parent=self, disable=self.done_button, on_error=lambda exc: show_error(self, exc))

    def _completed(self, _version: int) -> None:
        self.result_value = "done"
        self.accept()

    def _open_case(self) -> None:
        self.result_value = "open_case"
        self.accept()
