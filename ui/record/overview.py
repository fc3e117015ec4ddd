"""Oversigt: everything from intake, and the case's master data (Stamdata), saved as one transaction."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from app.labels import CONTACT_LABELS, EMPLOYMENT_LABELS, PHASE_LABELS, ROLE_LABELS, SEX_LABELS, VISITATION_LABELS
from app.case_fields import CASE_FIELDS
from app.fields import TEXT_KINDS
from app.services.cases import OPEN_PHASES_AFTER_VISITATION, CaseDetail
from ui import fmt
from ui.errors import form_errors
from ui.i18n import label, tr
from ui.record.base import RecordTab
from ui.widgets.forms import ErrorPanel

# The one-line text fields of the overview, with the labels the service uses in its messages
# (the multi-line referral text gets its own editor below).
EDIT_FIELDS = [(f.name, f.label) for f in CASE_FIELDS if f.edit_action and f.kind in TEXT_KINDS
               and f.kind != "multiline"]


def _readonly_group(title: str, rows: list[tuple[str, str]]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for caption, value in rows:
        v = QLabel(value or "–")
        v.setWordWrap(True)
        v.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow(caption, v)
    return box


class OverviewTab(RecordTab):
    """Everything from intake; the editable part is validated and saved as one transaction."""
    title = "Oversigt"

    def __init__(self, services, actor, case_id, parent=None):
        super().__init__(services, actor, case_id, parent)
        self.can_edit = actor.may("case.update")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        QVBoxLayout(self).addWidget(scroll)
        inner = QWidget()
        scroll.setWidget(inner)
        outer = QVBoxLayout(inner)
        cols = QHBoxLayout()
        outer.addLayout(cols)
        self.left = QVBoxLayout()
        self.right = QVBoxLayout()
        cols.addLayout(self.left, 1)
        cols.addLayout(self.right, 1)
        # The editable form is built once; read-only groups are rebuilt on reload.
        self.edit_box = QGroupBox("Stamdata (kan rettes)")
        form = QFormLayout(self.edit_box)
        self.inputs: dict[str, QWidget] = {}
        for name, caption in EDIT_FIELDS:
            w = QLineEdit()
            w.setObjectName("edit_" + name)
            self.inputs[name] = w
            form.addRow(caption, w)
        self.inputs["employment_status"] = QComboBox()
        for code, text in EMPLOYMENT_LABELS.items():
            self.inputs["employment_status"].addItem(text, code)
        form.addRow("Ansættelsesforhold", self.inputs["employment_status"])
        self.inputs["subgroup"] = QComboBox()
        self.inputs["subgroup"].addItem("Ikke fastlagt", None)
        form.addRow("Undergruppe", self.inputs["subgroup"])
        self.inputs["phase"] = QComboBox()
        for p in OPEN_PHASES_AFTER_VISITATION:
            self.inputs["phase"].addItem(PHASE_LABELS[p], p)
        form.addRow("Fase", self.inputs["phase"])
        self.inputs["coordinator_id"] = QComboBox()
        self.inputs["coordinator_id"].addItem("Ingen", None)
        self.team = QListWidget()
        self.team.setMaximumHeight(120)
        self._choices_loaded = False
        catalog, team = services.catalog, services.team
        self.query(lambda: (catalog.items("subgroup"), team.coordinators(actor), team.members(actor)),
                   self._fill_choices)
        form.addRow("Koordinator", self.inputs["coordinator_id"])
        form.addRow("Teammedlemmer", self.team)
        self.inputs["team_member_ids"] = self.team
        self.inputs["referral_text"] = QPlainTextEdit()
        self.inputs["referral_text"].setFixedHeight(70)
        form.addRow("Henvisningstekst", self.inputs["referral_text"])
        self.errors = ErrorPanel()
        form.addRow(self.errors)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Gem ændringer (Ctrl+S)")
        self.save_button.setObjectName("primary")
        self.revert_button = QPushButton("Fortryd")
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.load_inputs(self.detail))
        QShortcut(QKeySequence.Save, self, activated=self.save, context=Qt.WidgetWithChildrenShortcut)
        for w in self.inputs.values():
            for sig in ("textChanged", "currentIndexChanged", "itemChanged"):
                if hasattr(w, sig):
                    getattr(w, sig).connect(self._update_buttons)
        for w in self.inputs.values():
            w.setEnabled(self.can_edit)
        self.readonly: list[QWidget] = []
        self.detail: CaseDetail | None = None
        self._loaded_values: dict = {}

    # -- values --------------------------------------------------------------------------------
    def values(self) -> dict:
        out = {}
        for name, w in self.inputs.items():
            if isinstance(w, QLineEdit):
                out[name] = w.text()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif w is self.team:
                out[name] = sorted(self.team.item(i).data(Qt.UserRole) for i in range(self.team.count())
                                   if self.team.item(i).checkState() == Qt.Checked)
        if self.detail is None or self.detail.phase not in OPEN_PHASES_AFTER_VISITATION:
            out.pop("phase", None)
        return out

    def load_inputs(self, d: CaseDetail) -> None:
        for name, _label in EDIT_FIELDS:
            self.inputs[name].setText(getattr(d, name))
        self.inputs["referral_text"].setPlainText(d.referral_text)
        for name, value in (("employment_status", d.employment_status), ("subgroup", d.subgroup),
                            ("coordinator_id", d.coordinator_id), ("phase", d.phase)):
            combo = self.inputs[name]
            i = combo.findData(value)
            combo.setCurrentIndex(max(i, 0))
        self.inputs["phase"].setEnabled(self.can_edit and d.phase in OPEN_PHASES_AFTER_VISITATION)
        for i in range(self.team.count()):
            item = self.team.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in d.team_member_ids else Qt.Unchecked)
        self.errors.clear_errors()
        self._loaded_values = self.values()
        self._update_buttons()

    def has_unsaved_changes(self) -> bool:
        return bool(self._loaded_values) and self.values() != self._loaded_values

    def _update_buttons(self, *_a) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(self.can_edit and dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)

    def save(self) -> None:
        if not self.has_unsaved_changes():
            return
        current = self.values()
        changes = {k: v for k, v in current.items() if self._loaded_values.get(k) != v}
        cases, actor, case_id, version = self.services.cases, self.actor, self.case_id, self.detail.version
        self.write(lambda: cases.update_case(actor, case_id, expected_version=version, changes=changes),
                   self._saved, disable=[self.save_button, self.edit_box],
                   on_error=form_errors(self.errors, self.inputs, parent=self, on_conflict=self._discard))

    def _saved(self, _version) -> None:
        self._loaded_values = self.values()
        self.dirty_changed.emit(False)
        self.status.emit(tr("Ændringerne er gemt."))
        self.changed.emit()

    def _discard(self) -> None:
        self._loaded_values = {}
        self.changed.emit()

    def _fill_choices(self, result) -> None:
        subgroups, coordinators, members = result
        for i, item in enumerate(subgroups, start=1):
            self.inputs["subgroup"].addItem(item.label, int(item.code) if item.code.isdigit() else i)
        for person in coordinators:
            self.inputs["coordinator_id"].addItem(person.full_name, person.id)
        for person in members:
            item = QListWidgetItem(f"{person.full_name} ({label(ROLE_LABELS, person.role)})")
            item.setData(Qt.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.team.addItem(item)
        self._choices_loaded = True
        if self.detail is not None:
            self.load_inputs(self.detail)

    # -- read-only groups ----------------------------------------------------------------------
    def load(self, d: CaseDetail) -> None:
        super().load(d)
        for lay in (self.left, self.right):
            while lay.count():
                item = lay.takeAt(0)
                w = item.widget()
                if w is not None and w is not self.edit_box:
                    w.setParent(None)
                    w.deleteLater()
        self.readonly = [
            _readonly_group("Borger", [
                ("Navn", d.name), ("CPR-nummer", d.cpr_masked), ("Fødselsdato", fmt.date(d.birth_date)),
                ("Køn", SEX_LABELS.get(d.sex, d.sex)), ("Adresse", d.address), ("Telefon", d.phone),
                ("E-mail", d.email)]),
            _readonly_group("Henvisning og sygemelding", [
                ("Forløbsnummer", d.case_number), ("Henvist", fmt.date(d.referral_date)),
                ("Sygemeldt siden", fmt.date(d.sick_leave_start)), ("Sygemeldingsuge", f"uge {d.sick_weeks}"),
                ("Årsager til fravær", ", ".join(d.absence_reasons)), ("ICD-10", ", ".join(d.icd10)),
                *[(CONTACT_LABELS.get(k, k), f"{n}  {p}".strip()) for k, n, p in d.contacts]]),
            _readonly_group("Visitation og afslutning", [
                ("Visitation", VISITATION_LABELS.get(d.visitation_decision, d.visitation_decision)
                 + (" (uden for kriterierne)" if d.outside_criteria else "")),
                *([("Begrundelse", d.outside_criteria_reason)] if d.outside_criteria else []),
                ("Afsluttet", fmt.date(d.closed_date) if d.closed_date else "–"),
                ("Status", d.outcome + (f" – {d.other_reason}" if d.other_reason else "")
                 + (f", {fmt.number(d.final_hours_per_week)} timer/uge" if d.final_hours_per_week else "")
                 if d.outcome else "–"),
                ("Anbefalet næste indsats", d.next_effort or "–")]),
        ]
        if d.closed_date:
            afu, actor, case_id = self.services.after_follow_up, self.actor, self.case_id
            self.query(lambda: afu.list_for_case(actor, case_id), self._show_after_follow_ups, key="afu")
        self.readonly.append(_readonly_group("Aktivitet", [
            ("Udredninger", str(d.counts.get("assessments", 0))),
            ("Handlingsplaner (versioner)", str(d.counts.get("plans", 0))),
            ("Rundbordssamtaler", str(d.counts.get("meetings", 0))),
            ("Journalnotater", str(d.counts.get("journal", 0))),
            ("Åbne opgaver", str(d.counts.get("open_tasks", 0)))]))
        for w in self.readonly:
            self.left.addWidget(w)
        self.left.addStretch(1)
        self.right.addWidget(self.edit_box)
        self.right.addStretch(1)
        if self._choices_loaded:
            self.load_inputs(d)

    def _show_after_follow_ups(self, rows) -> None:
        box = _readonly_group(tr("Efteropfølgning"), [
            (tr("{m} mdr. (forfalder {due})").format(m=a.months, due=fmt.date(a.due_date)),
             tr("{outcome} – registreret {when}").format(outcome=a.outcome, when=fmt.date(a.recorded_date))
             if a.recorded_date else tr("Ikke registreret"))
            for a in rows])
        self.readonly.append(box)
        self.left.insertWidget(max(self.left.count() - 2, 0), box)


