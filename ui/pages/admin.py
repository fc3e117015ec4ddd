"""Administration: users, catalogues, letterhead and settings."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTabWidget, QVBoxLayout,
                               QWidget)

from app.errors import AppError
from app.labels import ROLES, ROLE_LABELS
from app.services import Actor, Services
from ui import fmt
from ui.widgets.common import hint, page_title, show_error
from ui.widgets.simple_table import ListTableModel, make_table

CATALOG_LABELS = {
    "intervention": "Indsatser", "outcome": "Afslutningsstatus", "other_reason": "Årsager ved 'andet'",
    "subgroup": "Undergrupper", "absence_reason": "Årsager til fravær", "rejection_reason": "Afslag ved visitation",
    "next_effort": "Anbefalet næste indsats",
}


class UserDialog(QDialog):
    """Create a user (with password) or edit one (without)."""

    def __init__(self, parent=None, *, user=None):
        super().__init__(parent)
        self.setWindowTitle("Rediger bruger" if user else "Ny bruger")
        form = QFormLayout(self)
        self.username = QLineEdit(user.username if user else "")
        self.username.setReadOnly(user is not None)
        self.full_name = QLineEdit(user.full_name if user else "")
        self.email = QLineEdit(user.email if user else "")
        self.role = QComboBox()
        for r in ROLES:
            self.role.addItem(ROLE_LABELS[r], r)
        if user:
            self.role.setCurrentIndex(ROLES.index(user.role))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.active = QCheckBox("Aktiv")
        self.active.setChecked(user.active if user else True)
        form.addRow("Brugernavn", self.username)
        form.addRow("Navn", self.full_name)
        form.addRow("E-mail", self.email)
        form.addRow("Rolle", self.role)
        if user is None:
            form.addRow("Adgangskode", self.password)
        else:
            form.addRow("", self.active)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Gem")
        buttons.button(QDialogButtonBox.Cancel).setText("Annuller")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.submit = None  # set by the page: callable raising AppError on bad input

    def accept(self):
        try:
            self.submit(self)
        except AppError as exc:
            self.error.setText(exc.message)
            return
        super().accept()


class UsersTab(QWidget):
    def __init__(self, services: Services, actor: Actor):
        super().__init__()
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        for text, slot in (("Ny bruger", self.new_user), ("Rediger", self.edit_user),
                           ("Nulstil adgangskode", self.reset_password)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.model = ListTableModel(["Brugernavn", "Navn", "Rolle", "Status"])
        self.view = make_table(self.model, [140, 220, 200])
        self.view.doubleClicked.connect(lambda _i: self.edit_user())
        lay.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        now = self.services.users.clock()
        self.users = self.services.users.list_users(self.actor)
        rows = []
        for u in self.users:
            status = "Aktiv" if u.active else "Deaktiveret"
            if u.locked_until and u.locked_until > now:
                status = f"Låst til {fmt.datetime_local(u.locked_until)}"
            rows.append([u.username, u.full_name, ROLE_LABELS.get(u.role, u.role), status])
        self.model.set_rows(rows, [u.id for u in self.users])

    def _selected(self):
        idx = self.view.currentIndex()
        if not idx.isValid():
            QMessageBox.information(self, "Vælg en bruger", "Vælg først en bruger i listen.")
            return None
        return self.users[idx.row()]

    def new_user(self) -> None:
        dlg = UserDialog(self)
        dlg.submit = lambda d: self.services.users.create_user(
            self.actor, username=d.username.text(), full_name=d.full_name.text(), role=d.role.currentData(),
            password=d.password.text(), email=d.email.text())
        if dlg.exec():
            self.refresh()

    def edit_user(self) -> None:
        u = self._selected()
        if u is None:
            return
        dlg = UserDialog(self, user=u)
        dlg.submit = lambda d: self.services.users.update_user(
            self.actor, u.id, expected_version=u.version, full_name=d.full_name.text(), role=d.role.currentData(),
            email=d.email.text(), active=d.active.isChecked())
        if dlg.exec():
            self.refresh()

    def reset_password(self) -> None:
        u = self._selected()
        if u is None:
            return
        pw, ok = QInputDialog.getText(self, "Nulstil adgangskode", f"Ny adgangskode til {u.full_name}:",
                                      QLineEdit.Password)
        if not ok:
            return
        try:
            self.services.users.reset_password(self.actor, u.id, pw)
        except AppError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, "Adgangskode nulstillet",
                                f"{u.full_name} kan nu logge ind med den nye adgangskode. En eventuel lås er ophævet.")
        self.refresh()


class CatalogTab(QWidget):
    def __init__(self, services: Services, actor: Actor):
        super().__init__()
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        for k, label in CATALOG_LABELS.items():
            self.kind.addItem(label, k)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.kind)
        for text, slot in (("Tilføj", self.add_item), ("Omdøb", self.rename_item),
                           ("Aktivér/deaktivér", self.toggle_item)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        lay.addWidget(hint("Deaktiverede punkter kan ikke vælges fremover, men bevares på eksisterende forløb."))
        self.model = ListTableModel(["Betegnelse", "Kode", "Status"])
        self.view = make_table(self.model, [420, 160])
        lay.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        self.items = self.services.catalog.items(self.kind.currentData(), include_inactive=True)
        self.model.set_rows([[i.label, i.code, "Aktiv" if i.active else "Deaktiveret"] for i in self.items])

    def _selected(self):
        idx = self.view.currentIndex()
        return self.items[idx.row()] if idx.isValid() else None

    def add_item(self) -> None:
        label, ok = QInputDialog.getText(self, "Tilføj", f"Ny betegnelse i '{self.kind.currentText()}':")
        if ok:
            try:
                self.services.catalog.add_item(self.actor, self.kind.currentData(), label)
            except AppError as exc:
                show_error(self, exc)
            self.refresh()

    def rename_item(self) -> None:
        item = self._selected()
        if item is None:
            return
        label, ok = QInputDialog.getText(self, "Omdøb", "Ny betegnelse:", text=item.label)
        if ok:
            try:
                self.services.catalog.update_item(self.actor, item.id, expected_version=item.version, label=label,
                                                  active=item.active)
            except AppError as exc:
                show_error(self, exc)
            self.refresh()

    def toggle_item(self) -> None:
        item = self._selected()
        if item is None:
            return
        try:
            self.services.catalog.update_item(self.actor, item.id, expected_version=item.version, label=item.label,
                                              active=not item.active)
        except AppError as exc:
            show_error(self, exc)
        self.refresh()


class SettingsTab(QWidget):
    """Organisation letterhead (printed documents), idle lock and eligibility criteria."""
    LETTERHEAD_FIELDS = [("organisation", "Organisation"), ("department", "Afdeling"), ("address", "Adresse"),
                         ("postcode_city", "Postnr. og by"), ("phone", "Telefon"), ("email", "E-mail"),
                         ("cvr", "CVR-nr.")]

    def __init__(self, services: Services, actor: Actor):
        super().__init__()
        self.services, self.actor = services, actor
        outer = QVBoxLayout(self)
        box = QWidget()
        box.setMaximumWidth(720)
        outer.addWidget(box)
        lay = QVBoxLayout(box)
        form = QFormLayout()
        lay.addWidget(QLabel("<b>Brevhoved på udskrifter</b>"))
        self.fields: dict[str, QLineEdit] = {}
        letterhead = services.settings.get("letterhead")
        for key, label in self.LETTERHEAD_FIELDS:
            self.fields[key] = QLineEdit(str(letterhead.get(key, "")))
            form.addRow(label, self.fields[key])
        lay.addLayout(form)
        lay.addWidget(QLabel("<b>Sikkerhed</b>"))
        form2 = QFormLayout()
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" min.")
        self.idle.setValue(int(services.settings.get("idle_lock_minutes")))
        self.idle.setMaximumWidth(120)
        form2.addRow("Lås skærmen efter", self.idle)
        lay.addLayout(form2)
        lay.addWidget(QLabel("<b>Visitationskriterier</b>"))
        form3 = QFormLayout()
        crit = services.settings.get("eligibility")
        self.crit: dict[str, QWidget] = {}
        for key, label, lo, hi in (("min_age", "Mindstealder", 0, 100), ("max_age", "Højestealder", 0, 100),
                                   ("min_sick_weeks", "Mindst antal sygemeldingsuger", 0, 104),
                                   ("max_sick_weeks", "Højst antal sygemeldingsuger", 0, 104)):
            spin = QSpinBox()
            spin.setRange(lo, hi)
            spin.setValue(int(crit[key]))
            spin.setMaximumWidth(120)
            self.crit[key] = spin
            form3.addRow(label, spin)
        for key, label in (("require_wage_earner", "Skal være lønmodtager"),
                           ("require_mental_health", "Fravær skal skyldes psykisk helbred (F30-F48, stress, "
                                                     "udbrændthed)")):
            cb = QCheckBox(label)
            cb.setChecked(bool(crit.get(key, True)))
            self.crit[key] = cb
            form3.addRow("", cb)
        lay.addLayout(form3)
        save = QPushButton("Gem indstillinger")
        save.setObjectName("primary")
        save.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = hint("")
        lay.addWidget(self.status)
        outer.addStretch(1)

    def save(self) -> None:
        try:
            self.services.settings.save(self.actor, {
                "letterhead": {k: w.text() for k, w in self.fields.items()},
                "idle_lock_minutes": self.idle.value(),
                "eligibility": {k: (w.value() if isinstance(w, QSpinBox) else w.isChecked())
                                for k, w in self.crit.items()}})
        except AppError as exc:
            show_error(self, exc)
            return
        self.status.setText("Indstillingerne er gemt. Den nye låsetid gælder fra næste login.")


class AccessLogTab(QWidget):
    """Find a case's access log by its number (for a citizen's request for insight)."""

    def __init__(self, services: Services, actor: Actor):
        super().__init__()
        self.services, self.actor = services, actor
        lay = QVBoxLayout(self)
        lay.addWidget(hint("Adgangsloggen viser, hvem der har læst eller ændret et forløb og hvornår. Brug den til "
                           "at besvare en borgers anmodning om indsigt og til at opdage opslag uden behov."))
        row = QHBoxLayout()
        self.number = QLineEdit()
        self.number.setPlaceholderText("Forløbsnummer, fx TTA-2026-00012")
        self.number.returnPressed.connect(self.show_log)
        row.addWidget(self.number)
        b = QPushButton("Vis adgangslog")
        b.clicked.connect(self.show_log)
        row.addWidget(b)
        lay.addLayout(row)
        self.error = QLabel("")
        self.error.setObjectName("error")
        lay.addWidget(self.error)
        lay.addStretch(1)

    def show_log(self):
        from types import SimpleNamespace
        from ui.dialogs.access_log import AccessLogDialog
        try:
            found = self.services.audit_log.case_for_access_log(self.actor, self.number.text())
        except AppError as exc:
            self.error.setText(exc.message)
            return None
        self.error.setText("")
        dlg = AccessLogDialog(self.services, self.actor, found.case_id,
                              SimpleNamespace(name=found.citizen_name, case_number=found.case_number), self)
        self.last_dialog = dlg
        dlg.open()
        return dlg


class AdminPage(QWidget):
    title = "Administration"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(page_title("Administration"))
        tabs = QTabWidget()
        if actor.may("user.manage"):
            tabs.addTab(UsersTab(services, actor), "Brugere")
        if actor.may("catalog.manage"):
            tabs.addTab(CatalogTab(services, actor), "Kataloger")
        if actor.may("settings.manage"):
            tabs.addTab(SettingsTab(services, actor), "Brevhoved og indstillinger")
        if actor.may("audit.read"):
            tabs.addTab(AccessLogTab(services, actor), "Adgangslog")
        lay.addWidget(tabs)
