"""Adgangslog: who read or changed this case and when, filterable and printable."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout)

from app.errors import AppError, ValidationError
from app.labels import AUDIT_ACTION_LABELS, field_names
from app.services import Actor, Services
from ui import fmt
from ui.widgets.common import show_error
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table


class AccessLogDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, case_id: int, detail, parent=None):
        super().__init__(parent)
        self.services, self.actor, self.case_id, self.detail = services, actor, case_id, detail
        self.setWindowTitle(f"Adgangslog – {detail.name} ({detail.case_number})")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.user = QComboBox()
        self.user.addItem("Alle brugere", None)
        self.action = QComboBox()
        self.action.addItem("Alle handlinger", None)
        for code, label in AUDIT_ACTION_LABELS.items():
            self.action.addItem(label, code)
        self.since = DateField(None, field="since", label="Fra dato", required=False)
        self.until = DateField(None, field="until", label="Til dato", required=False)
        for label, w in (("Bruger", self.user), ("Handling", self.action), ("Fra", self.since), ("Til", self.until)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        apply = QPushButton("Filtrér")
        apply.clicked.connect(self.refresh)
        bar.addWidget(apply)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.errors = ErrorPanel()
        lay.addWidget(self.errors)
        self.model = ListTableModel(["Tidspunkt", "Bruger", "Handling", "Felter / detaljer"])
        self.view = make_table(self.model, [150, 140, 140])
        lay.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton("Udskriv som PDF…")
        self.print_button.clicked.connect(lambda: self.print_pdf())
        close = QPushButton("Luk")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.refresh()
        users = sorted({(r.user, r.user_id) for r in self.rows if r.user_id is not None})
        for name, user_id in users:
            self.user.addItem(name, user_id)

    def _filters(self) -> dict:
        return {"user_id": self.user.currentData(), "action": self.action.currentData(),
                "since": self.since.date(), "until": self.until.date()}

    def filter_text(self) -> str:
        parts = []
        if self.user.currentData() is not None:
            parts.append(f"bruger {self.user.currentText()}")
        if self.action.currentData():
            parts.append(f"handling '{self.action.currentText()}'")
        if self.since.text():
            parts.append(f"fra {self.since.text()}")
        if self.until.text():
            parts.append(f"til {self.until.text()}")
        return "Filter: " + ", ".join(parts) if parts else "Alle registreringer"

    def refresh(self) -> None:
        try:
            self.rows = self.services.audit_log.entries(self.actor, case_id=self.case_id, **self._filters())
        except (ValidationError, AppError) as exc:
            self.errors.show_error(exc, {"since": self.since, "until": self.until})
            return
        self.errors.clear_errors()
        self.model.set_rows([[fmt.datetime_local(r.at), r.user, AUDIT_ACTION_LABELS.get(r.action, r.action),
                              ", ".join(p for p in (field_names(r.fields), r.detail) if p)] for r in self.rows])

    def print_pdf(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Gem adgangslog som PDF",
                                                  f"adgangslog-{self.detail.case_number}.pdf", "PDF (*.pdf)")
            if not path:
                return None
        try:
            self.services.audit_log.print_access_log(self.actor, self.case_id, path, filter_text=self.filter_text(),
                                                    **self._filters())
        except AppError as exc:
            show_error(self, exc)
            return None
        return Path(path)
