"""Handlingsplan: the case's action plan, version by version.

A draft is edited here (the overall goal, the citizen's own words, goals, interventions from the
catalogue with a responsible team member, the gradual-return weeks) and approved; an approved plan
is read-only except for the actual hours worked, entered as the weeks pass; "Ret planen" makes a new
draft version. Any version prints through the preview (Ctrl+P) for the team, the citizen or the
employer. The form is laid out from ``app.plan_fields``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError, ValidationErrors
from app.labels import PLAN_STATUS_LABELS
from app.plan_fields import GOAL_FIELDS, INTERVENTION_FIELDS, PLAN_FIELDS, WEEK_FIELDS
from app.services.plans import AUDIENCE_LABELS
from ui import fmt
from ui.dialogs.print_preview import PrintPreviewDialog, open_print_preview
from ui.errors import ask, form_errors, show_error
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.record.plan_chart import HoursChart
from ui.widgets.common import hint, section_title
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.rows_table import RowsTable, rows_with_buttons


class PlanTab(RecordTab):
    title = "Handlingsplan"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.can_write = actor.may("plan.write")
        self.can_approve = actor.may("plan.approve")
        self.can_print = actor.may("letter.print")
        self.view = None            # the PlanTab data from the service
        self.preview: PrintPreviewDialog | None = None
        self._loaded_values: tuple | None = None
        self._loading = False       # the form is being filled from the service, not edited
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Version")))
        self.version_box = QComboBox()
        self.version_box.setMinimumWidth(180)
        self.version_box.activated.connect(self._version_chosen)
        bar.addWidget(self.version_box)
        self.state = QLabel("")
        self.state.setObjectName("planState")
        self.state.setWordWrap(True)     # a long approval line wraps rather than widening the window
        self.state.setMinimumWidth(120)
        bar.addWidget(self.state, 1)
        outer.addLayout(bar)
        actions = QHBoxLayout()   # a second row: the record stays within a 1024 px window
        self.start_button = QPushButton(tr("Opret handlingsplan"))
        self.start_button.clicked.connect(self.start_plan)
        self.save_button = QPushButton(tr("Gem kladde"))
        self.save_button.clicked.connect(lambda: self.save_plan())
        self.approve_button = QPushButton(tr("Godkend"))
        self.approve_button.clicked.connect(self.approve)
        self.revise_button = QPushButton(tr("Ret planen (ny version)"))
        self.revise_button.clicked.connect(self.new_version)
        self.audience = QComboBox()
        for code, text in AUDIENCE_LABELS.items():
            self.audience.addItem(tr(text), code)
        self.print_button = QPushButton(tr("Udskriv…"))
        self.print_button.setToolTip(tr("Vis udskriften (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_plan)
        for w in (self.start_button, self.save_button, self.approve_button, self.revise_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(QLabel(tr("Udskrift:")))
        actions.addWidget(self.audience)
        actions.addWidget(self.print_button)
        outer.addLayout(actions)
        QShortcut(QKeySequence.Print, self, activated=self.print_plan, context=Qt.WidgetWithChildrenShortcut)
        self.errors = ErrorPanel()
        outer.addWidget(self.errors)
        self.empty = hint("")
        outer.addWidget(self.empty)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = body
        lay = QVBoxLayout(body)
        goal_box = QGroupBox(tr("Mål"))
        form = QFormLayout(goal_box)
        self.overall_goal = QComboBox()
        for code, text in PLAN_FIELDS["overall_goal"].choices.items():
            self.overall_goal.addItem(tr(text, "labels"), code)
        self.expected_return_date = DateField(None, field="expected_return_date",
                                              label=PLAN_FIELDS["expected_return_date"].label, required=False)
        self.target_hours = QDoubleSpinBox()
        self.target_hours.setRange(0, 60)
        self.target_hours.setDecimals(1)
        self.target_hours.setSpecialValueText(tr("ikke angivet"))
        self.target_hours.setSuffix(tr(" timer"))
        self.purpose = QPlainTextEdit()
        self.citizen_view = QPlainTextEdit()
        self.work_adaptations = QPlainTextEdit()
        for w in (self.purpose, self.citizen_view, self.work_adaptations):
            w.setFixedHeight(64)
        for name in ("purpose", "citizen_view", "work_adaptations"):
            getattr(self, name).setPlaceholderText(tr(PLAN_FIELDS[name].placeholder))
        for name in ("overall_goal", "expected_return_date", "target_hours", "purpose", "citizen_view"):
            form.addRow(tr(PLAN_FIELDS[name].label), getattr(self, name))
        lay.addWidget(goal_box)

        lay.addWidget(section_title(tr("Mål og delmål")))
        self.goals = RowsTable([("owner", GOAL_FIELDS["owner"].label, GOAL_FIELDS["owner"].choices),
                                ("text", GOAL_FIELDS["text"].label, "text"),
                                ("target_date", GOAL_FIELDS["target_date"].label, "date")])
        lay.addLayout(self._rows_with_buttons(self.goals, tr("Tilføj mål"), lambda: {"owner": "citizen"}))

        lay.addWidget(section_title(tr("Indsatser")))
        self.interventions = RowsTable([])   # columns set when the catalogue and team are known
        self.interventions_layout = self._rows_with_buttons(self.interventions, tr("Tilføj indsats"),
                                                            lambda: {"status": "planned"})
        lay.addLayout(self.interventions_layout)

        lay.addWidget(section_title(tr("Gradvis tilbagevenden")))
        self.contract = hint("")
        lay.addWidget(self.contract)
        week_columns = [(f.name, f.label, "date" if f.kind == "date" else "number" if f.kind == "number" else "text")
                        for f in WEEK_FIELDS]
        self.weeks = RowsTable(week_columns)
        self.weeks.always_editable = {"actual_hours"} if self.can_write else set()
        self.weeks.itemChanged.connect(lambda _item: self._update_chart())
        weeks_row = QHBoxLayout()
        weeks_row.addLayout(self._rows_with_buttons(self.weeks, tr("Tilføj uge"), self._next_week), 3)
        chart_box = QVBoxLayout()
        self.chart = HoursChart()
        chart_box.addWidget(self.chart)
        self.actual_button = QPushButton(tr("Gem faktiske timer"))
        self.actual_button.clicked.connect(self.save_actual_hours)
        chart_box.addWidget(self.actual_button)
        weeks_row.addLayout(chart_box, 2)
        lay.addLayout(weeks_row)
        form2 = QFormLayout()
        form2.addRow(tr(PLAN_FIELDS["work_adaptations"].label), self.work_adaptations)
        lay.addLayout(form2)

        lay.addWidget(section_title(tr("Udredninger planen bygger på")))
        self.assessments = QListWidget()
        self.assessments.setMaximumHeight(90)
        lay.addWidget(self.assessments)
        lay.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        for w in (self.purpose, self.citizen_view, self.work_adaptations):
            w.textChanged.connect(self._edited)

    # -- layout helpers ------------------------------------------------------------------------
    def _rows_with_buttons(self, table: RowsTable, add_text: str, new_row) -> QVBoxLayout:
        return rows_with_buttons(table, add_text, new_row, self._edited)

    def _next_week(self) -> dict[str, Any]:
        rows = self.weeks.values(tr("Gradvis tilbagevenden")) if self.weeks.rowCount() else []
        if rows and rows[-1]["starts_on"]:
            return {"starts_on": rows[-1]["starts_on"] + dt.timedelta(weeks=1),
                    "hours_per_week": rows[-1]["hours_per_week"], "weekdays": rows[-1]["weekdays"]}
        today = self.services.plans.today()
        return {"starts_on": today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)}

    def _edited(self) -> None:
        if not self._loading:
            self.dirty_changed.emit(self.has_unsaved_changes())

    # -- loading -------------------------------------------------------------------------------
    def load(self, detail) -> None:
        super().load(detail)
        self.fetch()

    def fetch(self, version_no: int | None = None) -> None:
        plans, actor, case_id = self.services.plans, self.actor, self.case_id
        self.query(lambda: plans.plan_tab(actor, case_id, version_no), self._show, key="plan")

    def _version_chosen(self, index: int) -> None:
        self.fetch(self.version_box.itemData(index))

    def _show(self, view) -> None:
        self._loading = True
        try:
            self._fill(view)
        finally:
            self._loading = False
        self._loaded_values = self._form_snapshot()
        self.dirty_changed.emit(False)

    def _fill(self, view) -> None:
        self.view = view
        for table in (self.goals, self.interventions, self.weeks):
            table.setRowCount(0)
        plan = view.plan
        self.errors.clear_errors()
        self.version_box.clear()
        for v in view.versions:
            self.version_box.addItem(tr("Version {n} – {status}").format(
                n=v.version_no, status=label(PLAN_STATUS_LABELS, v.status)), v.version_no)
        if plan is not None:
            self.version_box.setCurrentIndex(self.version_box.findData(plan.version_no))
        self.contract.setText(tr("Normal arbejdstid: {h} timer om ugen. Timerne skal stige mod målet og må ikke "
                                 "overstige den.").format(h=fmt.number(view.contract_hours).rstrip("0").rstrip(","))
                              if view.contract_hours else tr("Normal arbejdstid er ikke oplyst på forløbet."))
        members = {uid: name for uid, name in view.members}
        self.interventions.setColumnCount(0)
        self.interventions.columns = [
            ("intervention", INTERVENTION_FIELDS["intervention"].label, dict(view.intervention_choices)),
            ("responsible_id", INTERVENTION_FIELDS["responsible_id"].label, members),
            ("start_date", INTERVENTION_FIELDS["start_date"].label, "date"),
            ("end_date", INTERVENTION_FIELDS["end_date"].label, "date"),
            ("status", INTERVENTION_FIELDS["status"].label, INTERVENTION_FIELDS["status"].choices),
            ("note", INTERVENTION_FIELDS["note"].label, "text")]
        self.interventions.setColumnCount(len(self.interventions.columns))
        self.interventions.setHorizontalHeaderLabels([c[1] for c in self.interventions.columns])
        editable = plan is not None and plan.editable and self.can_write
        for table in (self.goals, self.interventions, self.weeks):
            table.editable = editable
            table.add_button.setEnabled(editable)
            table.remove_button.setEnabled(editable)
        self.body.setVisible(plan is not None)
        if plan is None:
            self.state.setText("")
            self.empty.setText(tr("Forløbet har ingen handlingsplan endnu. Opret den med knappen ovenfor; den "
                                  "udfyldes fra skabelonen {t}.").format(t=view.template_name) if view.template_name
                               else tr("Forløbet har ingen handlingsplan endnu. Opret den med knappen ovenfor."))
        else:
            self.empty.setText("")
            if plan.approved_at:
                self.state.setText(tr("{status} {when} af {who}").format(
                    status=label(PLAN_STATUS_LABELS, plan.status), when=fmt.datetime_local(plan.approved_at),
                    who=plan.approved_by))
            else:
                self.state.setText(tr("Kladde – ikke godkendt"))
            v = plan.values
            self.overall_goal.setCurrentIndex(self.overall_goal.findData(v["overall_goal"]))
            self.expected_return_date.set_date(v["expected_return_date"])
            self.target_hours.setValue(v["target_hours"] or 0)
            self.purpose.setPlainText(v["purpose"])
            self.citizen_view.setPlainText(v["citizen_view"])
            self.work_adaptations.setPlainText(v["work_adaptations"])
            self.goals.set_rows(plan.goals)
            self.interventions.set_rows(plan.interventions)
            self.weeks.blockSignals(True)
            self.weeks.set_rows(plan.weeks)
            self.weeks.blockSignals(False)
            self.assessments.clear()
            for a in view.assessments:
                item = QListWidgetItem(f"{a.discipline}, {fmt.date(a.assessed_on)} ({a.author})")
                item.setData(Qt.UserRole, a.id)
                item.setCheckState(Qt.Checked if a.id in plan.assessment_ids else Qt.Unchecked)
                if not editable:
                    item.setFlags(item.flags() & ~Qt.ItemIsUserCheckable)
                self.assessments.addItem(item)
            if not view.assessments:
                self.assessments.addItem(tr("Ingen udredninger registreret endnu."))
            for w in (self.overall_goal, self.expected_return_date, self.target_hours):
                w.setEnabled(editable)
            for w in (self.purpose, self.citizen_view, self.work_adaptations):
                w.setReadOnly(not editable)
        self.start_button.setVisible(plan is None and self.can_write)
        self.save_button.setVisible(bool(plan and plan.editable and self.can_write))
        self.approve_button.setVisible(bool(plan and plan.editable and self.can_approve))
        self.revise_button.setVisible(bool(plan and plan.status == "approved" and self.can_write))
        self.actual_button.setVisible(bool(plan and plan.status != "superseded" and self.can_write and plan.weeks))
        self.print_button.setEnabled(bool(plan and self.can_print))
        self.audience.setEnabled(bool(plan and self.can_print))
        self._update_chart()

    def _update_chart(self) -> None:
        planned, actual = [], []
        for row in range(self.weeks.rowCount()):
            for name, out in (("hours_per_week", planned), ("actual_hours", actual)):
                text = self.weeks.cell_text(row, name).replace(",", ".")
                try:
                    out.append(float(text) if text else (0.0 if out is planned else None))
                except ValueError:
                    out.append(0.0 if out is planned else None)
        self.chart.set_weeks(planned, actual, self.view.contract_hours if self.view else None)

    # -- the form ------------------------------------------------------------------------------
    def form_values(self) -> dict[str, Any]:
        """The plan as the service takes it; ValidationError for a bad date or number."""
        hours = self.target_hours.value()
        return {"overall_goal": self.overall_goal.currentData(),
                "expected_return_date": self.expected_return_date.date(),
                "target_hours": hours or None, "purpose": self.purpose.toPlainText(),
                "citizen_view": self.citizen_view.toPlainText(),
                "work_adaptations": self.work_adaptations.toPlainText(),
                "goals": self.goals.values(tr("Mål")),
                "interventions": self.interventions.values(tr("Indsatser")),
                "weeks": self.weeks.values(tr("Gradvis tilbagevenden"))}

    def _form_snapshot(self):
        try:
            return self.form_values(), self._linked()
        except ValidationError:
            return None

    def _linked(self) -> list[int]:
        return [self.assessments.item(i).data(Qt.UserRole) for i in range(self.assessments.count())
                if self.assessments.item(i).data(Qt.UserRole) is not None
                and self.assessments.item(i).checkState() == Qt.Checked]

    def has_unsaved_changes(self) -> bool:
        plan = self.view.plan if self.view else None
        if plan is None or self._loaded_values is None:
            return False
        return self._form_snapshot() != self._loaded_values

    def _fields(self) -> dict[str, QWidget]:
        return {"overall_goal": self.overall_goal, "expected_return_date": self.expected_return_date,
                "target_hours": self.target_hours, "purpose": self.purpose, "citizen_view": self.citizen_view,
                "work_adaptations": self.work_adaptations, "goals": self.goals, "mål": self.goals,
                "interventions": self.interventions, "indsatser": self.interventions, "weeks": self.weeks,
                "gradvis tilbagevenden": self.weeks, "actual_hours": self.weeks}

    # -- actions -------------------------------------------------------------------------------
    def start_plan(self) -> None:
        plans, actor, case_id = self.services.plans, self.actor, self.case_id
        self.write(lambda: plans.start_plan(actor, case_id), lambda _id: self._done(tr("Handlingsplanen er oprettet.")),
                   disable=self.start_button, on_error=self._failed)

    def save_plan(self, then=None) -> None:
        self.errors.clear_errors()
        try:
            values, linked = self.form_values(), self._linked()
        except ValidationError as exc:
            self.errors.show_error(exc, self._fields())
            return
        plans, actor, plan = self.services.plans, self.actor, self.view.plan

        def save():
            version = plans.save_plan(actor, plan.id, expected_version=plan.version, values=values,
                                      assessment_ids=linked)
            if then is not None:
                then(version)
        self.write(save, lambda _r: self._done(tr("Handlingsplanen er gemt.") if then is None else
                                               tr("Handlingsplanen er godkendt.")),
                   disable=[self.save_button, self.approve_button], on_error=self._failed)

    def approve(self) -> None:
        if not ask(self, tr("Godkend handlingsplan"), tr(
                "Godkend version {n}? Planen kan derefter kun ændres ved at lave en ny version, og hver "
                "ansvarlig får en opgave for sin indsats.").format(n=self.view.plan.version_no), yes=tr("Godkend")):
            return
        plans, actor, plan = self.services.plans, self.actor, self.view.plan
        if self.can_write:   # the form is saved first, so what is approved is what is on screen
            self.save_plan(then=lambda version: plans.approve(actor, plan.id, expected_version=version))
        else:
            self.write(lambda: plans.approve(actor, plan.id, expected_version=plan.version),
                       lambda _r: self._done(tr("Handlingsplanen er godkendt.")), on_error=self._failed)

    def new_version(self) -> None:
        plans, actor, plan = self.services.plans, self.actor, self.view.plan
        self.write(lambda: plans.new_version(actor, plan.id, expected_version=plan.version),
                   lambda _id: self._done(tr("Ny version oprettet som kladde. Den godkendte plan gælder, indtil "
                                             "den nye er godkendt.")),
                   disable=self.revise_button, on_error=self._failed)

    def save_actual_hours(self) -> None:
        self.errors.clear_errors()
        try:
            rows = self.weeks.values(tr("Gradvis tilbagevenden"))
        except ValidationError as exc:
            self.errors.show_error(exc, self._fields())
            return
        hours = {n: r["actual_hours"] for n, r in enumerate(rows, 1)}
        plans, actor, plan = self.services.plans, self.actor, self.view.plan
        self.write(lambda: plans.record_actual_hours(actor, plan.id, expected_version=plan.version, hours=hours),
                   lambda _r: self._done(tr("De faktiske timer er gemt.")), disable=self.actual_button,
                   on_error=self._failed)

    def _done(self, text: str) -> None:
        self.status.emit(text)
        self.dirty_changed.emit(False)
        self.changed.emit()
        self.fetch(None)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, (ValidationError, ValidationErrors)):
            self.errors.show_error(exc, self._fields())
        else:
            form_errors(self.errors, self._fields, parent=self, on_conflict=lambda: self.fetch(None))(exc)

    def print_plan(self) -> None:
        """The preview of the version shown, for the audience chosen (Ctrl+P)."""
        plan = self.view.plan if self.view else None
        if plan is None or not self.can_print:
            return
        if self.has_unsaved_changes():
            show_error(self, ValidationError("plan", tr("gem kladden, før du udskriver den"),
                                             label=tr("Handlingsplan")))
            return
        plans, actor, case_id, number = self.services.plans, self.actor, self.case_id, plan.version_no
        audience = self.audience.currentData()
        case_number = self.detail.case_number if self.detail else ""
        self.preview = open_print_preview(
            self, title=tr("Handlingsplan version {n} – {who}").format(n=number, who=tr(AUDIENCE_LABELS[audience])),
            make_pdf=lambda: plans.plan_pdf(actor, case_id, version_no=number, audience=audience),
            log_print=lambda how: plans.log_print(actor, case_id, version_no=number, audience=audience, how=how),
            file_name=f"handlingsplan-{case_number}-v{number}-{audience}.pdf")
        self.preview.done.connect(self.status)
