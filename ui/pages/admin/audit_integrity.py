"""Administration › Loggens sikkerhed: is the access log untouched (its HMAC chain verified), when
were old entries last removed after the retention period, and everything logged about one citizen
as a PDF (GDPR art. 15)."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.services import Actor, Services
from ui import fmt
from ui.errors import ask, form_errors
from ui.i18n import tr
from ui.pages.admin.tab import TEXT_WIDTH, AdminTab
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.files import ask_save_path, saved_message
from ui.widgets.forms import ErrorPanel


class AuditIntegrityTab(AdminTab):
    title = "Loggens sikkerhed"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        lay = self.tab_layout(tr("Hver post i adgangsloggen er forseglet sammen med den forrige med en nøgle, der "
                                 "ligger uden for databasen. Kontrollen finder en slettet, ændret eller indsat post."))
        row = QHBoxLayout()
        self.verify_button = QPushButton(tr("Kontrollér adgangsloggen"))
        self.verify_button.setObjectName("primary")
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button)
        self.purge_button = QPushButton(tr("Slet poster ældre end opbevaringsperioden…"))
        self.purge_button.clicked.connect(self.purge)
        self.purge_button.setVisible(actor.may("settings.manage"))
        row.addWidget(self.purge_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.result = QLabel("")
        self.result.setObjectName("verifyResult")
        self.result.setWordWrap(True)
        self.result.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(self.result)
        self.last_purge = hint("")
        lay.addWidget(self.last_purge)
        lay.addSpacing(12)
        lay.addWidget(QLabel(tr("<b>Udtræk til borgerens indsigt</b>")))
        form = QFormLayout()
        self.citizen = QLineEdit()
        self.citizen.setObjectName("citizen")
        self.citizen.setPlaceholderText(tr("forløbsnummer eller CPR-nummer"))
        self.export_button = QPushButton(tr("Gem udtræk som PDF…"))
        self.lookup_row(form, tr("Borger"), self.citizen, self.export_button, lambda: self.export())
        lay.addLayout(form)
        self.errors = ErrorPanel()
        self.errors.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(self.errors)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        audit_log = self.services.audit_log
        runner().query(audit_log.last_purge, self._show_last_purge, parent=self, key=f"purge:{id(self)}")

    def _show_last_purge(self, when) -> None:
        self.last_purge.setText(tr("Gamle poster blev sidst slettet {when}.").format(when=fmt.datetime_local(when))
                                if when else tr("Der er endnu ikke slettet gamle poster."))

    def verify(self) -> None:
        audit_log, actor = self.services.audit_log, self.actor
        self.result.setText(tr("Kontrollerer …"))
        runner().write(lambda: audit_log.verify(actor), self._verified, parent=self, disable=self.verify_button)

    def _verified(self, result) -> None:
        if result.ok:
            self.result.setText(tr("✔ Adgangsloggen er intakt: {n} poster kontrolleret.").format(n=result.checked))
            self.status.emit(self.result.text())
        else:
            self.result.setText(tr("✘ Adgangsloggen er brudt: {reason}").format(reason=result.reason))
            self.status.emit(tr("✘ Adgangsloggen er brudt (se Loggens sikkerhed)"))   # the reason is long

    def purge(self) -> None:
        if not ask(self, tr("Slet gamle poster"), tr(
                "Poster, der er ældre end opbevaringsperioden (Brevhoved og indstillinger), slettes. Kæden forbliver "
                "kontrollerbar med et forseglet kontrolpunkt. Vil du slette dem nu?"), yes=tr("Slet gamle poster"),
                destructive=True):
            return
        audit_log, actor = self.services.audit_log, self.actor
        runner().write(lambda: audit_log.purge(actor), self._purged, parent=self, disable=self.purge_button)

    def _purged(self, result) -> None:
        self.status.emit(tr("{n} poster fra før {date} er slettet.").format(n=result.purged,
                                                                            date=fmt.date(result.cutoff)))
        self.refresh()

    def export(self, path=None) -> None:
        self.errors.clear_errors()
        who = self.citizen.text().strip()
        target = path or ask_save_path(self, tr("Gem udtræk af adgangsloggen"), "adgangslog-udtraek.pdf")
        if target is None:
            return
        audit_log, actor = self.services.audit_log, self.actor
        runner().write(lambda: (audit_log.print_citizen_extract(actor, who, target), target), self._exported,
                       parent=self, disable=self.export_button,
                       on_error=form_errors(self.errors, {"citizen": self.citizen}, parent=self))

    def _exported(self, result) -> None:
        extract, path = result
        self.status.emit(saved_message(path))
        self.result.setText(tr("Udtrækket for {name} ({n} registreringer) er gemt i {path}.").format(
            name=extract.name, n=len(extract.rows), path=str(path)))
