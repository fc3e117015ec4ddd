"""Administration › Planskabeloner: the team lead's starting points for new action plans, one per
course (DOMAIN.md: groups 1-3 a three-month course to keep the job; groups 4-8 with a workplace a
slower, gradual start; groups 4-8 without one up to a year of clarification). A new plan is filled
from the first active template whose subgroups and workplace rule fit the case. The form is laid
out from ``app.plan_fields.TEMPLATE_FIELDS``."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.errors import ValidationErrors
from app.plan_fields import TEMPLATE_FIELDS
from ui.errors import form_errors
from ui.i18n import tr
from ui.pages.admin.tab import AdminTab
from ui.tasks import runner
from ui.widgets.field_form import FieldForm


class PlanTemplatesTab(AdminTab):
    title = "Planskabeloner"

    def __init__(self, services, actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        lay = self.tab_layout(tr(
            "En ny handlingsplan udfyldes fra skabelonen for forløbets undergruppe: formål, delmål, indsatser og "
            "en gradvis optrapning fra timerne i første uge op til borgerens normale arbejdstid."))
        split = QSplitter()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._selected)
        ll.addWidget(self.list)
        self.new_button = QPushButton(tr("Ny skabelon"))
        self.new_button.clicked.connect(self.new_template)
        ll.addWidget(self.new_button)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.form = FieldForm(TEMPLATE_FIELDS, inputs=TEMPLATE_FIELDS.names, today=services.plans.today,
                              max_columns=1)
        rl.addWidget(self.form)
        rl.addWidget(self.form.errors)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(tr("Gem skabelon"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        rl.addLayout(buttons)
        split.addWidget(right)
        split.setSizes([300, 700])
        lay.addWidget(split, 1)
        self.rows = []
        self.current = None   # the template shown (None: a new one)
        self.refresh()

    def refresh(self) -> None:
        plans, actor = self.services.plans, self.actor
        runner().query(lambda: plans.templates(actor), self._show, parent=self, key=f"{id(self)}:templates")

    def _show(self, rows, select_id: int | None = None) -> None:
        self.rows = rows
        keep = select_id if select_id is not None else (self.current.id if self.current else None)
        self.list.clear()
        for t in rows:
            item = QListWidgetItem(t.values["name"] + ("" if t.values["active"] else tr(" (ikke aktiv)")))
            item.setData(Qt.UserRole, t.id)
            self.list.addItem(item)
        index = next((i for i, t in enumerate(rows) if t.id == keep), 0 if rows else -1)
        self.list.setCurrentRow(index)
        if index < 0:
            self.new_template()

    def _selected(self, row: int) -> None:
        self.current = self.rows[row] if 0 <= row < len(self.rows) else None
        if self.current is not None:
            self.form.errors.clear_errors()
            self.form.set_values(self.current.values)

    def new_template(self) -> None:
        self.current = None
        self.list.clearSelection()
        self.form.errors.clear_errors()
        self.form.set_values({f.name: f.default if f.default is not None else f.blank for f in TEMPLATE_FIELDS})

    def save(self) -> None:
        self.form.errors.clear_errors()
        on_error = form_errors(self.form.errors, self.form.inputs, parent=self, on_conflict=self.refresh)
        try:
            values = self.form.read()
        except ValidationErrors as exc:
            on_error(exc)
            return
        current = self.current
        plans, actor = self.services.plans, self.actor
        runner().write(lambda: plans.save_template(actor, current.id if current else None, values,
                                                   expected_version=current.version if current else None),
                       self._saved, parent=self, disable=self.save_button, on_error=on_error)

    def _saved(self, template_id: int) -> None:
        self.status.emit(tr("Skabelonen er gemt."))
        plans, actor = self.services.plans, self.actor
        runner().query(lambda: plans.templates(actor), lambda rows: self._show(rows, template_id), parent=self,
                       key=f"{id(self)}:templates")
