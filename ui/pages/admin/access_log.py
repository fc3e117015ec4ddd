"""Administration › Adgangslog: find a case's access log by its number, to answer a citizen's request
for insight without opening the case record (an administrator may not)."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QWidget

from app.services import Actor, Services
from app.services.audit_log import AccessLogCase
from ui.dialogs.access_log import AccessLogDialog
from ui.errors import form_errors
from ui.i18n import tr
from ui.pages.admin.tab import TEXT_WIDTH, AdminTab
from ui.tasks import runner
from ui.widgets.forms import ErrorPanel


class AccessLogTab(AdminTab):
    title = "Adgangslog"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        self.last_dialog: AccessLogDialog | None = None
        lay = self.tab_layout(tr("Adgangsloggen viser, hvem der har læst, ændret eller udskrevet et forløb, og "
                                 "hvornår. Brug den til at besvare en borgers anmodning om indsigt og til at opdage "
                                 "opslag uden arbejdsmæssigt behov. Opslaget registreres selv i loggen."))
        form = QFormLayout()
        form.setContentsMargins(0, 10, 0, 0)
        self.number = QLineEdit()
        self.number.setObjectName("case_number")
        self.number.setPlaceholderText(tr("fx TTA-2026-00012"))
        self.show_button = QPushButton(tr("Vis adgangslog"))
        self.show_button.setObjectName("primary")
        self.lookup_row(form, tr("Forløbsnummer"), self.number, self.show_button, self.show_log)
        lay.addLayout(form)
        self.errors = ErrorPanel()
        self.errors.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(self.errors)
        lay.addStretch(1)

    def show_log(self) -> None:
        self.errors.clear_errors()
        audit_log, actor, number = self.services.audit_log, self.actor, self.number.text()
        # A write: the look-up itself is recorded in the case's access log.
        runner().write(lambda: audit_log.case_for_access_log(actor, number), self._found, parent=self,
                       disable=self.show_button,
                       on_error=form_errors(self.errors, {"case_number": self.number}, parent=self))

    def _found(self, found: AccessLogCase) -> None:
        dlg = AccessLogDialog(self.services, self.actor, found.case_id,
                              SimpleNamespace(name=found.citizen_name, case_number=found.case_number), self)
        dlg.status.connect(self.status)
        dlg.finished.connect(dlg.deleteLater)
        self.last_dialog = dlg
        dlg.open()

    def refresh(self) -> None:
        """Nothing to reload: the tab shows only what the user asks for."""

    def has_unsaved_changes(self) -> bool:
        return False
