"""The case record: a header with the case's next steps and one tab per aspect of the case.

A new aspect is added in one place: append its class to ``CaseRecord.TAB_TYPES``. A tab class takes
(services, actor, case_id, record), has a ``title``, a ``reload(detail)`` method and may have
``has_unsaved_changes()``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QTabWidget,
                               QVBoxLayout, QWidget)

from app.errors import AppError, ConflictError
from app.labels import (CONTACT_LABELS, EMPLOYMENT_LABELS, PHASE_LABELS, ROLE_LABELS, SEX_LABELS,
                        VISITATION_LABELS)
from app.services import Actor, Services
from app.case_fields import CASE_FIELDS
from app.services.cases import OPEN_PHASES_AFTER_VISITATION, CaseDetail
from ui import fmt
from ui.pages.journal import JournalTab, TimelineTab
from ui.widgets.common import show_error
from ui.widgets.forms import ErrorPanel

# The one-line text fields of the overview, with the labels the service uses in its messages
# (the multi-line referral text gets its own editor below).
EDIT_FIELDS = [(f.name, f.label) for f in CASE_FIELDS if f.edit_action == "case.update"
               and f.kind in ("text", "phone", "email")]


def _readonly_group(title: str, rows: list[tuple[str, str]]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, value in rows:
        v = QLabel(value or "–")
        v.setWordWrap(True)
        v.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow(label, v)
    return box


class OverviewTab(QScrollArea):
    """Everything from intake; the editable part is validated and saved as one transaction."""
    title = "Oversigt"

    def __init__(self, services: Services, actor: Actor, case_id: int, record: "CaseRecord"):
        super().__init__()
        self.services, self.actor, self.case_id, self.record = services, actor, case_id, record
        self.can_edit = actor.may("case.update")
        self.setWidgetResizable(True)
        inner = QWidget()
        self.setWidget(inner)
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
        for name, label in EDIT_FIELDS:
            w = QLineEdit()
            w.setObjectName("edit_" + name)
            self.inputs[name] = w
            form.addRow(label, w)
        self.inputs["employment_status"] = QComboBox()
        for code, label in EMPLOYMENT_LABELS.items():
            self.inputs["employment_status"].addItem(label, code)
        form.addRow("Ansættelsesforhold", self.inputs["employment_status"])
        self.inputs["subgroup"] = QComboBox()
        self.inputs["subgroup"].addItem("Ikke fastlagt", None)
        for i, item in enumerate(services.catalog.items("subgroup"), start=1):
            self.inputs["subgroup"].addItem(item.label, int(item.code) if item.code.isdigit() else i)
        form.addRow("Undergruppe", self.inputs["subgroup"])
        self.inputs["phase"] = QComboBox()
        for p in OPEN_PHASES_AFTER_VISITATION:
            self.inputs["phase"].addItem(PHASE_LABELS[p], p)
        form.addRow("Fase", self.inputs["phase"])
        self.inputs["coordinator_id"] = QComboBox()
        self.inputs["coordinator_id"].addItem("Ingen", None)
        self.team = QListWidget()
        self.team.setMaximumHeight(120)
        for member in services.team.coordinators(actor):
            self.inputs["coordinator_id"].addItem(member.full_name, member.id)
        for member in services.team.members(actor):
            item = QListWidgetItem(f"{member.full_name} ({ROLE_LABELS.get(member.role, member.role)})")
            item.setData(Qt.UserRole, member.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.team.addItem(item)
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
        if self.detail is None or not self.detail.phase_editable:
            out.pop("phase", None)
        return out

    def load_inputs(self, d: CaseDetail) -> None:
        for name, _label in EDIT_FIELDS:
            self.inputs[name].setText(d.values[name])
        self.inputs["referral_text"].setPlainText(d.values["referral_text"])
        for name in ("employment_status", "subgroup", "coordinator_id", "phase"):
            combo = self.inputs[name]
            i = combo.findData(d.values[name])
            combo.setCurrentIndex(max(i, 0))
        self.inputs["phase"].setEnabled(self.can_edit and d.phase_editable)
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
        self.record.update_dirty_marker()

    def save(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        current = self.values()
        changes = {k: v for k, v in current.items() if self._loaded_values.get(k) != v}
        try:
            self.services.cases.update_case(self.actor, self.case_id, expected_version=self.detail.version,
                                            changes=changes)
        except ConflictError as exc:
            answer = QMessageBox.question(
                self, "Forløbet er ændret af en anden", exc.message + "\n\nVil du genindlæse forløbet nu? "
                "Dine ændringer kasseres.", QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
            if answer == QMessageBox.Yes:
                self.record.reload(force=True)
            return False
        except AppError as exc:
            self.errors.show_error(exc, self.inputs)
            return False
        self.record.reload(force=True)
        return True

    # -- read-only groups ----------------------------------------------------------------------
    def reload(self, d: CaseDetail) -> None:
        self.detail = d
        for lay in (self.left, self.right):
            while lay.count():
                item = lay.takeAt(0)
                w = item.widget()
                if w is not None and w is not self.edit_box:
                    w.setParent(None)
                    w.deleteLater()
        self.readonly = [
            _readonly_group("Borger", [
                ("Navn", d.name), ("CPR-nummer", d.cpr_masked), ("Fødselsdato", fmt.date(d.values["birth_date"])),
                ("Køn", SEX_LABELS.get(d.values["sex"], d.values["sex"])), ("Adresse", d.address),
                ("Telefon", d.values["phone"]), ("E-mail", d.values["email"])]),
            _readonly_group("Henvisning og sygemelding", [
                ("Forløbsnummer", d.case_number), ("Henvist", fmt.date(d.values["referral_date"])),
                ("Sygemeldt siden", fmt.date(d.values["sick_leave_start"])), ("Sygemeldingsuge", f"uge {d.sick_weeks}"),
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
            rows = self.services.after_follow_up.list_for_case(self.actor, self.case_id)
            self.readonly.append(_readonly_group("Efteropfølgning", [
                (f"{a.months} mdr. (forfalder {fmt.date(a.due_date)})",
                 f"{a.outcome} – registreret {fmt.date(a.recorded_date)}" if a.recorded_date else "Ikke registreret")
                for a in rows]))
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
        self.load_inputs(d)


class CaseRecord(QWidget):
    TAB_TYPES: list[type] = [OverviewTab, JournalTab, TimelineTab]

    def __init__(self, services: Services, actor: Actor, case_id: int, parent=None):
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.case_id = case_id
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.header = QLabel()
        self.header.setObjectName("pageTitle")
        top.addWidget(self.header)
        top.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("reveal", "Vis fuldt CPR", self.reveal_cpr),
                                ("visitate", "Visitér…", self.visitate),
                                ("close", "Afslut forløb…", self.close_case),
                                ("reopen", "Genåbn…", self.reopen),
                                ("after", "Efteropfølgning…", self.after_follow_up),
                                ("access", "Adgangslog…", self.access_log)):
            b = QPushButton(text)
            b.setObjectName("btn_" + key)
            b.clicked.connect(slot)
            self.buttons[key] = b
            top.addWidget(b)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        self.tab_widgets = [cls(services, actor, case_id, self) for cls in self.TAB_TYPES]
        for w in self.tab_widgets:
            self.tabs.addTab(w, w.title)
        lay.addWidget(self.tabs)
        # Tabs other than the overview load when first shown (and again after a change), so opening
        # a record costs one read, not one per tab.
        self.stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        self.reload(force=True)

    def _tab_shown(self, index: int) -> None:
        w = self.tabs.widget(index)
        if w in self.stale:
            self.stale.discard(w)
            w.reload(self.detail)

    def tab(self, cls: type):
        return next(w for w in self.tab_widgets if isinstance(w, cls))

    def reload(self, force: bool = False) -> None:
        if not force and self.has_unsaved_changes():
            return
        self.detail = self.services.cases.get_case(self.actor, self.case_id)
        d = self.detail
        self.header.setText(f"{d.name}  ·  {d.cpr_masked}  ·  {PHASE_LABELS.get(d.phase, d.phase)}")
        may = self.actor.may
        closed = d.phase == "closed"
        self.buttons["visitate"].setVisible(may("case.visitate") and d.phase in ("referral", "visitation"))
        self.buttons["close"].setVisible(may("case.close") and d.phase in OPEN_PHASES_AFTER_VISITATION)
        self.buttons["reopen"].setVisible(may("case.reopen") and closed)
        self.buttons["after"].setVisible(may("case.after_follow_up") and closed
                                         and d.visitation_decision == "accepted")
        self.buttons["access"].setVisible(may("audit.read"))
        self.buttons["reveal"].setVisible(may("case.reveal_cpr"))
        current = self.tabs.currentWidget()
        for w in self.tab_widgets:
            if w is current or isinstance(w, OverviewTab):
                w.reload(d)
            else:
                self.stale.add(w)
        self.update_dirty_marker()

    def tab_title(self) -> str:
        return self.detail.name

    def update_dirty_marker(self) -> None:
        parent = self.parentWidget()
        tabs = parent.parentWidget() if parent is not None else None
        if isinstance(tabs, QTabWidget) and hasattr(self, "detail"):
            i = tabs.indexOf(self)
            if i >= 0:
                tabs.setTabText(i, self.detail.name + (" *" if self.has_unsaved_changes() else ""))

    def has_unsaved_changes(self) -> bool:
        return any(getattr(w, "has_unsaved_changes", lambda: False)() for w in self.tab_widgets)

    def confirm_close(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(self, "Ikke gemte ændringer",
                                      f"Forløbet for {self.detail.name} har ændringer, der ikke er gemt. "
                                      "Vil du lukke uden at gemme?",
                                      QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Discard

    # -- actions -------------------------------------------------------------------------------
    def _run_dialog(self, factory) -> bool:
        if self.has_unsaved_changes():
            QMessageBox.information(self, "Gem først", "Gem eller fortryd dine ændringer i oversigten først.")
            return False
        try:
            dlg = factory()
        except AppError as exc:
            show_error(self, exc)
            return False
        self.last_dialog = dlg
        if dlg.exec():
            self.reload(force=True)
            return True
        return False

    def visitate(self) -> bool:
        from ui.dialogs.case_actions import VisitationDialog
        return self._run_dialog(lambda: VisitationDialog(self.services, self.actor, self.case_id, self))

    def close_case(self) -> bool:
        from ui.dialogs.case_actions import CloseCaseDialog
        return self._run_dialog(lambda: CloseCaseDialog(self.services, self.actor, self.case_id,
                                                        version=self.detail.version, name=self.detail.name,
                                                        parent=self))

    def reopen(self) -> bool:
        from ui.dialogs.case_actions import ReopenDialog
        return self._run_dialog(lambda: ReopenDialog(self.services, self.actor, self.case_id,
                                                     version=self.detail.version, name=self.detail.name, parent=self))

    def after_follow_up(self) -> bool:
        from ui.dialogs.case_actions import AfterFollowUpDialog
        months = [a.months for a in self.services.after_follow_up.list_for_case(self.actor, self.case_id)
                  if a.recorded_date is None]
        if not months:
            QMessageBox.information(self, "Efteropfølgning", "Alle efteropfølgninger er registreret.")
            return False
        return self._run_dialog(lambda: AfterFollowUpDialog(self.services, self.actor, self.case_id, months=months,
                                                            parent=self))

    def reveal_cpr(self) -> None:
        try:
            full = self.services.cases.reveal_cpr(self.actor, self.case_id)
        except AppError as exc:
            show_error(self, exc)
            return
        d = self.detail
        self.header.setText(f"{d.name}  ·  {full}  ·  {PHASE_LABELS.get(d.phase, d.phase)}")
        self.buttons["reveal"].setEnabled(False)

    def access_log(self) -> None:
        from ui.dialogs.access_log import AccessLogDialog
        dlg = AccessLogDialog(self.services, self.actor, self.case_id, self.detail, self)
        self.last_dialog = dlg
        dlg.exec()
