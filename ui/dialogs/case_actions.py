"""Dialogs for the steps of a case: visitation, closing, reopening, after-follow-up, caseload move."""
from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QLabel, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QRadioButton,
                               QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from app.eligibility import MET, NOT_MET, STATUS_LABELS
from app.errors import AppError
from app.services import Actor, Services
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table

STATUS_MARK = {MET: "✔", NOT_MET: "✘", "unknown": "?"}


class _ActionDialog(QDialog):
    """A form with an error panel and OK/Cancel; ``perform()`` raises AppError on bad input."""
    ok_text = "Gem"

    def __init__(self, services: Services, actor: Actor, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor, self.case_id = services, actor, case_id
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.fields: dict[str, QWidget] = {}

    def finish_layout(self) -> None:
        self.errors = ErrorPanel()
        self.outer.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.ok_text, QDialogButtonBox.AcceptRole)
        self.ok_button.setObjectName("primary")
        buttons.addButton("Annuller", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.outer.addWidget(buttons)

    def _ok(self) -> None:
        try:
            result = self.perform()
        except AppError as exc:
            self.errors.show_error(exc, self.fields)
            return
        if result is False:
            return  # the user thought better of it at the confirmation
        self.accept()

    def perform(self) -> None:
        raise NotImplementedError

    def catalog_combo(self, kind: str, name: str, *, empty: str | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        if empty is not None:
            combo.addItem(empty, None)
        for item in self.services.catalog.items(kind):
            combo.addItem(item.label, item.code)
        self.fields[name] = combo
        return combo


class VisitationDialog(_ActionDialog):
    ok_text = "Gem visitation"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.view = services.visitation.visitation_view(actor, case_id)
        self.setWindowTitle(f"Visitation – {self.view.name}")
        self.resize(700, 520)
        self.outer.insertWidget(0, QLabel("<b>Kriterier</b> (kan ændres under Administration)"))
        model = ListTableModel(["", "Kriterium", "Vurdering", "Grundlag"])
        model.set_rows([[STATUS_MARK[c.status], c.label, STATUS_LABELS[c.status], c.explanation]
                        for c in self.view.criteria])
        self.criteria_table = make_table(model, [30, 330, 90])
        self.criteria_table.setFixedHeight(36 + 30 * len(self.view.criteria))
        self.outer.insertWidget(1, self.criteria_table)
        self.accept_radio = QRadioButton("Visiteret")
        self.reject_radio = QRadioButton("Ikke visiteret")
        group = QButtonGroup(self)
        group.addButton(self.accept_radio)
        group.addButton(self.reject_radio)
        self.accept_radio.setChecked(True)
        row = QVBoxLayout()
        row.addWidget(self.accept_radio)
        row.addWidget(self.reject_radio)
        self.form.addRow("Afgørelse", row)
        self.fields["decision_date"] = DateField(services.cases.today(), field="decision_date",
                                                 label="Visitationsdato")
        self.form.addRow("Dato", self.fields["decision_date"])
        self.form.addRow("Årsag til afslag", self.catalog_combo("rejection_reason", "rejection_reason",
                                                                 empty="Vælg årsag"))
        self.outside = QPlainTextEdit()
        self.outside.setFixedHeight(60)
        self.fields["outside_criteria_reason"] = self.outside
        any_not_met = any(c.status != MET for c in self.view.criteria)
        self.outside_label = QLabel("Begrundelse for optagelse\nuden for kriterierne" + (" *" if any_not_met else ""))
        self.form.addRow(self.outside_label, self.outside)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.form.addRow("Bemærkning", self.note)
        self.accept_radio.toggled.connect(self._sync)
        self._sync()
        self.finish_layout()

    def _sync(self) -> None:
        accepted = self.accept_radio.isChecked()
        self.fields["rejection_reason"].setEnabled(not accepted)
        self.outside.setEnabled(accepted)

    def perform(self) -> None:
        self.services.visitation.visitate(
            self.actor, self.case_id, expected_version=self.view.version, accepted=self.accept_radio.isChecked(),
            decision_date=self.fields["decision_date"].date(),
            rejection_reason=self.fields["rejection_reason"].currentData(),
            outside_criteria_reason=self.outside.toPlainText(), note=self.note.toPlainText())


class _OutcomeDialog(_ActionDialog):
    """Shared by closing and after-follow-up: status, 'andet' reason, hours when part-time."""

    def add_outcome_fields(self) -> None:
        self.form.addRow("Status *", self.catalog_combo("outcome", "outcome", empty="Vælg status"))
        self.form.addRow("Årsag ved 'Andet'", self.catalog_combo("other_reason", "other_reason", empty="–"))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 59.5)
        self.hours.setDecimals(1)
        self.hours.setSuffix(" timer")
        self.hours.setSpecialValueText("–")
        self.fields["hours_per_week"] = self.hours
        self.form.addRow("Timer pr. uge (ved deltid)", self.hours)
        self.fields["outcome"].currentIndexChanged.connect(self._sync_outcome)
        self._sync_outcome()

    def _sync_outcome(self) -> None:
        code = self.fields["outcome"].currentData()
        self.fields["other_reason"].setEnabled(code == "other")
        self.hours.setEnabled(code == "part_time_return")

    def outcome_values(self):
        code = self.fields["outcome"].currentData()
        other = self.fields["other_reason"].currentData() if code == "other" else None
        hours = self.hours.value() or None if code == "part_time_return" else None
        return code, other, hours


class CloseCaseDialog(_OutcomeDialog):
    ok_text = "Afslut forløbet"

    def __init__(self, services, actor, case_id, *, version: int, name: str, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.version = version
        self.setWindowTitle(f"Afslut forløb – {name}")
        self.fields["closed_date"] = DateField(services.cases.today(), field="closed_date", label="Afslutningsdato")
        self.form.addRow("Afslutningsdato *", self.fields["closed_date"])
        self.add_outcome_fields()
        self.form.addRow("Anbefalet næste indsats", self.catalog_combo("next_effort", "next_effort", empty="–"))
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.form.addRow("Bemærkning", self.note)
        self.outer.addWidget(QLabel("Efteropfølgning efter 3, 6 og 12 måneder oprettes som opgaver til "
                                    "koordinatoren."))
        self.finish_layout()

    def perform(self) -> None:
        code, other, hours = self.outcome_values()
        closed = self.fields["closed_date"].date()
        complete = bool(code) and not (code == "part_time_return" and not hours) and not (code == "other"
                                                                                      and not other)
        # Confirm only a complete form; an incomplete one goes straight to the rules and their messages.
        if complete and QMessageBox.question(
                self, "Afslut forløbet?",
                f"Afslut forløbet pr. {closed:%d-%m-%Y} med status '{self.fields['outcome'].currentText()}'?\n\n"
                "Opgaver for efteropfølgning oprettes. Forløbet kan genåbnes af koordinatoren med en begrundelse.",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return False
        self.services.closing.close_case(
            self.actor, self.case_id, expected_version=self.version, closed_date=closed, outcome=code,
            other_reason=other, next_effort=self.fields["next_effort"].currentData(), final_hours_per_week=hours,
            note=self.note.toPlainText())


class AfterFollowUpDialog(_OutcomeDialog):
    ok_text = "Registrér"

    def __init__(self, services, actor, case_id, *, months: list[int], parent=None):
        super().__init__(services, actor, case_id, parent)
        self.setWindowTitle("Efteropfølgning")
        self.months = QComboBox()
        for m in months:
            self.months.addItem(f"{m} måneder efter afslutning", m)
        self.fields["months"] = self.months
        self.form.addRow("Tidspunkt", self.months)
        self.fields["recorded_date"] = DateField(services.cases.today(), field="recorded_date", label="Dato")
        self.form.addRow("Dato *", self.fields["recorded_date"])
        self.add_outcome_fields()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        self.form.addRow("Bemærkning", self.note)
        self.finish_layout()

    def perform(self) -> None:
        code, other, hours = self.outcome_values()
        self.services.after_follow_up.record(
            self.actor, self.case_id, months=self.months.currentData(),
            recorded_date=self.fields["recorded_date"].date(), outcome=code, other_reason=other,
            hours_per_week=hours, note=self.note.toPlainText())


class ReopenDialog(_ActionDialog):
    ok_text = "Genåbn forløbet"

    def __init__(self, services, actor, case_id, *, version: int, name: str, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.version = version
        self.setWindowTitle(f"Genåbn forløb – {name}")
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(80)
        self.fields["reason"] = self.reason
        self.form.addRow("Begrundelse *", self.reason)
        self.outer.addWidget(QLabel("Genåbningen logges med din begrundelse. Ikke-registrerede "
                                    "efteropfølgninger fjernes."))
        self.finish_layout()

    def perform(self) -> None:
        self.services.closing.reopen_case(self.actor, self.case_id, expected_version=self.version,
                                          reason=self.reason.toPlainText())


class ReassignDialog(_ActionDialog):
    """Move all or selected open cases of one coordinator to another (staff leave, holidays)."""
    ok_text = "Flyt forløb"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, 0, parent)
        self.setWindowTitle("Flyt forløb mellem koordinatorer")
        self.resize(560, 520)
        coordinators = [(m.id, m.full_name) for m in services.team.coordinators(actor)]
        self.source = QComboBox()
        self.target = QComboBox()
        for uid, name in coordinators:
            self.source.addItem(name, uid)
            self.target.addItem(name, uid)
        if len(coordinators) > 1:
            self.target.setCurrentIndex(1)
        self.fields["to_user"] = self.target
        self.form.addRow("Fra koordinator", self.source)
        self.form.addRow("Til koordinator", self.target)
        self.cases = QListWidget()
        self.outer.addWidget(QLabel("Åbne forløb (afmærk dem, der skal flyttes):"))
        self.outer.addWidget(self.cases, 1)
        self.source.currentIndexChanged.connect(self._load)
        self._load()
        self.finish_layout()

    def _load(self) -> None:
        self.cases.clear()
        ids = self.services.cases.search_ids(self.actor, coordinator_id=self.source.currentData(),
                                             include_closed=False, sort="name", descending=False)
        for row in self.services.cases.list_rows(self.actor, ids):
            item = QListWidgetItem(f"{row.name}  ({row.case_number})")
            item.setData(Qt.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.cases.addItem(item)

    def perform(self) -> None:
        chosen = [self.cases.item(i).data(Qt.UserRole) for i in range(self.cases.count())
                  if self.cases.item(i).checkState() == Qt.Checked]
        self.moved = self.services.caseload.move_cases(
            self.actor, from_user_id=self.source.currentData(), to_user_id=self.target.currentData(),
            case_ids=chosen)
