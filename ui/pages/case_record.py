"""The case record: one widget with a tab per aspect of the case.

A new aspect is added in one place: append its class to ``CaseRecord.TAB_TYPES``. Each tab class
takes (services, actor, case_id) and has a ``title`` and a ``reload(detail)`` method.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.labels import CONTACT_LABELS, EMPLOYMENT_LABELS, PHASE_LABELS, SEX_LABELS, VISITATION_LABELS
from app.services import Actor, Services
from app.services.cases import CaseDetail
from ui import fmt


class OverviewTab(QScrollArea):
    title = "Oversigt"

    def __init__(self, services: Services, actor: Actor, case_id: int):
        super().__init__()
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self.setWidget(self._inner)
        self._layout = QHBoxLayout(self._inner)

    def reload(self, d: CaseDetail) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(_group("Borger", [
            ("Navn", d.name), ("CPR-nummer", d.cpr_masked), ("Fødselsdato", fmt.date(d.birth_date)),
            ("Køn", SEX_LABELS.get(d.sex, d.sex)), ("Adresse", d.address), ("Telefon", d.phone),
            ("E-mail", d.email)]))
        left.addWidget(_group("Henvisning", [
            ("Henvist", fmt.date(d.referral_date)), ("Henvisende jobcenter", d.referring_jobcentre),
            ("Sagsbehandler", d.caseworker_name), ("Sygemeldt siden", fmt.date(d.sick_leave_start)),
            ("Sygemeldingsuge", f"uge {d.sick_weeks}"),
            ("Årsager til fravær", ", ".join(d.absence_reasons)), ("ICD-10", ", ".join(d.icd10))]))
        left.addStretch(1)
        right.addWidget(_group("Forløb", [
            ("Forløbsnummer", d.case_number), ("Fase", PHASE_LABELS.get(d.phase, d.phase)),
            ("Visitation", VISITATION_LABELS.get(d.visitation_decision, d.visitation_decision)),
            ("Undergruppe", str(d.subgroup) if d.subgroup else "Ikke fastlagt"),
            ("Koordinator", d.coordinator or "Ingen"),
            ("Afsluttet", fmt.date(d.closed_date) if d.closed_date else "–"),
            ("Afslutningsstatus", d.outcome or "–")]))
        right.addWidget(_group("Arbejdsplads", [
            ("Ansættelsesforhold", EMPLOYMENT_LABELS.get(d.employment_status, d.employment_status)),
            ("Arbejdsgiver", d.employer_name), ("Stilling", d.job_title),
            *[(CONTACT_LABELS.get(k, k), f"{n}  {p}".strip()) for k, n, p in d.contacts],
            ("Egen læge", d.gp_name)]))
        right.addWidget(_group("Aktivitet", [
            ("Udredninger", str(d.counts.get("assessments", 0))),
            ("Handlingsplaner (versioner)", str(d.counts.get("plans", 0))),
            ("Rundbordssamtaler", str(d.counts.get("meetings", 0))),
            ("Journalnotater", str(d.counts.get("journal", 0))),
            ("Åbne opgaver", str(d.counts.get("open_tasks", 0)))]))
        right.addStretch(1)
        self._layout.addLayout(left, 1)
        self._layout.addLayout(right, 1)


def _group(title: str, rows: list[tuple[str, str]]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, value in rows:
        v = QLabel(value or "–")
        v.setWordWrap(True)
        v.setTextInteractionFlags(v.textInteractionFlags() | v.textInteractionFlags().TextSelectableByMouse)
        form.addRow(label, v)
    return box


class CaseRecord(QWidget):
    TAB_TYPES: list[type] = [OverviewTab]

    def __init__(self, services: Services, actor: Actor, case_id: int, parent=None):
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.case_id = case_id
        lay = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setObjectName("pageTitle")
        lay.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tab_widgets = [cls(services, actor, case_id) for cls in self.TAB_TYPES]
        for w in self.tab_widgets:
            self.tabs.addTab(w, w.title)
        lay.addWidget(self.tabs)
        self.reload()

    def reload(self) -> None:
        self.detail = self.services.cases.get_case(self.actor, self.case_id)
        d = self.detail
        self.header.setText(f"{d.name}  ·  {d.cpr_masked}  ·  {PHASE_LABELS.get(d.phase, d.phase)}")
        for w in self.tab_widgets:
            w.reload(d)

    def tab_title(self) -> str:
        return self.detail.name

    def has_unsaved_changes(self) -> bool:
        return any(getattr(w, "has_unsaved_changes", lambda: False)() for w in self.tab_widgets)

    def confirm_close(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        from PySide6.QtWidgets import QMessageBox
        answer = QMessageBox.question(self, "Ikke gemte ændringer",
                                      f"Forløbet for {self.detail.name} har ændringer, der ikke er gemt. "
                                      "Vil du lukke uden at gemme?",
                                      QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
        return answer == QMessageBox.Discard
