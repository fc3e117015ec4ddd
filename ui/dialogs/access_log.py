"""Adgangslog: who read, changed or printed one case and when; filterable, printed or saved as a PDF
through the preview (``ui.dialogs.print_preview``).

People are shown by their full names and actions and records as Danish words, never as login names,
codes or internal ids: the log is what a citizen receives when asking for insight. The PDF holds
exactly the rows the dialog shows (the filter last applied), and its heading states that filter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import AppError, ValidationError
from app.labels import AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, field_names
from app.services import Actor, Services
from app.services.audit_log import AuditRow
from ui import fmt
from ui.dialogs.print_preview import PrintPreviewDialog, open_print_preview
from ui.i18n import label, tr
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table


@dataclass(frozen=True)
class Filters:
    """The filters as the service takes them, and the same in words for the printout's heading."""
    values: dict[str, Any] = field(default_factory=dict)
    text: str = ""


class AccessLogDialog(QDialog):
    status = Signal(str)   # a confirmation for whoever opened the dialog (a status bar)

    def __init__(self, services: Services, actor: Actor, case_id: int, detail, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor, self.case_id, self.detail = services, actor, case_id, detail
        self.rows: list[AuditRow] = []
        self.applied = Filters()
        self.preview: PrintPreviewDialog | None = None
        self.setWindowTitle(tr("Adgangslog – {name} ({number})").format(name=detail.name,
                                                                        number=detail.case_number))
        self.resize(960, 600)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 12)
        heading = QLabel(tr("Adgangslog"))
        heading.setObjectName("pageTitle")
        lay.addWidget(heading)
        lay.addWidget(hint(tr("Forløb {number} – {name}. Hvem har læst, ændret eller udskrevet forløbet, og "
                              "hvornår.").format(number=detail.case_number, name=detail.name)))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 8, 0, 0)
        self.user = QComboBox()
        self.user.addItem(tr("Alle brugere"), None)
        self.user.setMinimumWidth(170)
        self.action = QComboBox()
        self.action.addItem(tr("Alle handlinger"), None)
        for code in AUDIT_ACTION_LABELS:
            self.action.addItem(label(AUDIT_ACTION_LABELS, code), code)
        self.since = DateField(None, field="since", label=tr("Fra dato"), required=False)
        self.until = DateField(None, field="until", label=tr("Til dato"), required=False)
        for text, w in ((tr("Bruger"), self.user), (tr("Handling"), self.action), (tr("Fra"), self.since),
                        (tr("Til"), self.until)):
            bar.addWidget(QLabel(text))
            bar.addWidget(w)
            bar.addSpacing(6)
        self.filter_button = QPushButton(tr("Filtrér"))
        self.filter_button.setAutoDefault(False)   # Enter in a date field filters; it never closes the dialog
        self.filter_button.clicked.connect(self.refresh)
        bar.addWidget(self.filter_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.user.activated.connect(lambda _i: self.refresh())
        self.action.activated.connect(lambda _i: self.refresh())
        self.since.returnPressed.connect(self.refresh)
        self.until.returnPressed.connect(self.refresh)

        self.errors = ErrorPanel()
        lay.addWidget(self.errors)
        self.model = ListTableModel([tr("Tidspunkt"), tr("Bruger"), tr("Handling"), tr("Post"),
                                     tr("Felter / detaljer")])
        self.view = make_table(self.model, [135, 210, 130, 110])
        lay.addWidget(self.view, 1)
        self.count = hint(tr("Henter adgangsloggen …"))
        lay.addWidget(self.count)

        buttons = QHBoxLayout()
        self.saved = hint("")
        self.saved.setWordWrap(True)
        buttons.addWidget(self.saved, 1)
        self.print_button = QPushButton(tr("Udskriv…"))
        self.print_button.setObjectName("primary")
        self.print_button.setEnabled(False)   # until the rows have arrived
        self.print_button.clicked.connect(self.print_pdf)
        self.print_button.setAutoDefault(False)
        close = QPushButton(tr("Luk"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self._first_load()

    # -- filters -------------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The filters the widgets hold; a ValidationError naming the date field when a date is wrong."""
        since, until = self.since.date(), self.until.date()
        if since and until and until < since:
            raise ValidationError("until", tr("må ikke ligge før fra-datoen"), label=tr("Til dato"))
        values = {"user_id": self.user.currentData(), "action": self.action.currentData(), "since": since,
                  "until": until}
        words = []
        if values["user_id"] is not None:
            words.append(tr("bruger {name}").format(name=self.user.currentText()))
        if values["action"]:
            words.append(tr("handling '{action}'").format(action=self.action.currentText()))
        if since:
            words.append(tr("fra {date}").format(date=fmt.date(since)))
        if until:
            words.append(tr("til {date}").format(date=fmt.date(until)))
        # Only the filter itself: the printout puts "Filter:" in front of it.
        return Filters(values, ", ".join(words))

    # -- loading -------------------------------------------------------------------------------
    def _first_load(self) -> None:
        audit_log, actor, case_id = self.services.audit_log, self.actor, self.case_id
        runner().query(lambda: audit_log.entries(actor, case_id=case_id), self._first_rows, parent=self,
                       key=f"{id(self)}:entries")

    def _first_rows(self, rows: list[AuditRow]) -> None:
        # The users to filter on: those who appear in this case's log, by full name.
        for name, user_id in sorted({(r.user, r.user_id) for r in rows if r.user_id is not None}):
            self.user.addItem(name, user_id)
        self._show(rows, Filters())

    def refresh(self) -> None:
        self.errors.clear_errors()
        try:
            filters = self.filters()
        except AppError as exc:
            self.errors.show_error(exc, {"since": self.since, "until": self.until})
            return
        audit_log, actor, case_id = self.services.audit_log, self.actor, self.case_id
        runner().query(lambda: audit_log.entries(actor, case_id=case_id, **filters.values),
                       lambda rows: self._show(rows, filters), parent=self, key=f"{id(self)}:entries")

    def _show(self, rows: list[AuditRow], filters: Filters) -> None:
        self.rows, self.applied = rows, filters
        self.model.set_rows([[fmt.datetime_local(r.at), r.user or "–", label(AUDIT_ACTION_LABELS, r.action),
                              label(AUDIT_ENTITY_LABELS, r.entity), self._details(r)] for r in rows])
        if rows:
            self.count.setText(tr("1 registrering") if len(rows) == 1 else
                               tr("{n} registreringer").format(n=len(rows)))
        else:
            self.count.setText(tr("Ingen registreringer med det valgte filter.") if filters.text else
                               tr("Ingen registreringer endnu."))
        self.print_button.setEnabled(True)

    @staticmethod
    def _details(row: AuditRow) -> str:
        return " – ".join(p for p in (field_names(row.fields), row.detail) if p)

    # -- the printout --------------------------------------------------------------------------
    def print_pdf(self) -> None:
        """Preview what the dialog shows, to print or save as PDF (``ui.dialogs.print_preview``)."""
        audit_log, actor, case_id, filters = self.services.audit_log, self.actor, self.case_id, self.applied
        self.preview = open_print_preview(
            self, title=tr("Adgangslog – forløb {number}").format(number=self.detail.case_number),
            make_pdf=lambda: audit_log.access_log_pdf(actor, case_id, filter_text=filters.text, **filters.values),
            log_print=lambda how: audit_log.log_access_log_print(actor, case_id, how),
            file_name=f"adgangslog-{self.detail.case_number}.pdf")
        self.preview.done.connect(self._printed)

    def _printed(self, text: str) -> None:
        self.saved.setText(text)
        self.status.emit(text)
