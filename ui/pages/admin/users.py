"""Administration › Brugere: the team's user accounts; create, edit, reset a password, (de)activate."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import ValidationError
from app.labels import ROLE_LABELS, ROLES
from app.security import MIN_PASSWORD_LENGTH
from app.services import Actor, Services
from app.services.users import UserRow
from ui import fmt
from ui.dialogs.action import ActionDialog
from ui.errors import ask, show_error
from ui.i18n import label, tr
from ui.tasks import runner
from ui.widgets.common import hint, value_label
from ui.widgets.simple_table import ListTableModel, make_table


def _password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.Password)
    return edit


def _check_repeat(password: QLineEdit, repeat: QLineEdit, *, field: str) -> None:
    """The two typed passwords must be the same; checked here, as the service gets only one."""
    if password.text() != repeat.text():
        raise ValidationError(field, tr("skal være den samme som adgangskoden"), label=tr("Gentag adgangskode"))


class UserDialog(ActionDialog):
    """A new user (with a password typed twice) or an existing user's name, e-mail and role.

    The fields are keyed by the service's argument names, so a rule the service enforces (the e-mail
    address, a user name in use) is marked on the field it concerns."""

    def __init__(self, services: Services, actor: Actor, *, user: UserRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(services, actor, 0, parent)
        self.user = user
        self.ok_text = "Gem" if user else "Opret bruger"
        self.setWindowTitle(tr("Rediger bruger – {name}").format(name=user.full_name) if user else tr("Ny bruger"))
        self.setMinimumWidth(440)
        f = self.fields
        if user is None:
            f["username"] = QLineEdit()
            f["username"].setPlaceholderText(tr("fx lone.berg"))
            self.form.addRow(tr("Brugernavn *"), f["username"])
        else:
            self.form.addRow(tr("Brugernavn"), value_label(user.username))
        f["full_name"] = QLineEdit(user.full_name if user else "")
        self.form.addRow(tr("Navn *"), f["full_name"])
        if user is None:
            f["initials"] = QLineEdit()
            f["initials"].setMaxLength(10)
            f["initials"].setPlaceholderText(tr("dannes af navnet, hvis feltet er tomt"))
            self.form.addRow(tr("Initialer"), f["initials"])
        f["email"] = QLineEdit(user.email if user else "")
        f["email"].setPlaceholderText(tr("fx lone.berg@kommune.dk"))
        self.form.addRow(tr("E-mail"), f["email"])
        role = QComboBox()
        for code in ROLES:
            role.addItem(label(ROLE_LABELS, code), code)
        if user is not None:
            role.setCurrentIndex(role.findData(user.role))
        f["role"] = role
        self.form.addRow(tr("Rolle *"), role)
        if user is None:
            f["password"] = _password_field("password")
            f["password_repeat"] = _password_field("password_repeat")
            self.form.addRow(tr("Adgangskode *"), f["password"])
            self.form.addRow(tr("Gentag adgangskode *"), f["password_repeat"])
            self.outer.addWidget(hint(tr("Adgangskoden skal være mindst {n} tegn.").format(n=MIN_PASSWORD_LENGTH)))
        self.finish_layout()

    def prepare(self) -> Callable[[], UserRow]:
        f, users, actor = self.fields, self.services.users, self.actor
        values = {"full_name": f["full_name"].text(), "email": f["email"].text(), "role": f["role"].currentData()}
        if self.user is None:
            _check_repeat(f["password"], f["password_repeat"], field="password_repeat")
            values.update(username=f["username"].text(), initials=f["initials"].text(),
                          password=f["password"].text())
            return lambda: users.create_user(actor, **values)
        user = self.user
        return lambda: users.update_user(actor, user.id, expected_version=user.version, active=user.active,
                                         **values)


class PasswordDialog(ActionDialog):
    """A new password for another user, typed twice; it also lifts a lockout."""

    ok_text = "Nulstil adgangskode"

    def __init__(self, services: Services, actor: Actor, *, user: UserRow, parent: QWidget | None = None):
        super().__init__(services, actor, 0, parent)
        self.user = user
        self.setWindowTitle(tr("Nulstil adgangskode – {name}").format(name=user.full_name))
        self.setMinimumWidth(400)
        self.fields["password"] = _password_field("password")
        self.fields["password_repeat"] = _password_field("password_repeat")
        self.form.addRow(tr("Ny adgangskode *"), self.fields["password"])
        self.form.addRow(tr("Gentag adgangskode *"), self.fields["password_repeat"])
        self.outer.addWidget(hint(tr("Mindst {n} tegn. En eventuel lås af kontoen ophæves.").format(
            n=MIN_PASSWORD_LENGTH)))
        self.finish_layout()

    def prepare(self) -> Callable[[], None]:
        _check_repeat(self.fields["password"], self.fields["password_repeat"], field="password_repeat")
        users, actor, user_id, password = self.services.users, self.actor, self.user.id, self.fields["password"].text()
        return lambda: users.reset_password(actor, user_id, password)


class UsersTab(QWidget):
    title = "Brugere"
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.users: list[UserRow] = []
        self.dialog: ActionDialog | None = None   # the open form, if any (tests reach it here)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(tr("Ny bruger…"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_user)
        self.edit_button = QPushButton(tr("Rediger…"))
        self.edit_button.clicked.connect(self.edit_user)
        self.password_button = QPushButton(tr("Nulstil adgangskode…"))
        self.password_button.clicked.connect(self.reset_password)
        self.active_button = QPushButton(tr("Deaktivér…"))
        self.active_button.clicked.connect(self.toggle_active)
        for b in (self.new_button, self.edit_button, self.password_button, self.active_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.model = ListTableModel([tr("Navn"), tr("Brugernavn"), tr("Rolle"), tr("Status"), tr("E-mail")])
        self.view = make_table(self.model)
        header = self.view.horizontalHeader()
        for column in range(4):   # short values: as wide as they are; the e-mail address takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.view.doubleClicked.connect(lambda _i: self.edit_user())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        lay.addWidget(self.view, 1)
        lay.addWidget(hint(tr("En deaktiveret bruger kan ikke logge ind, men står fortsat ved det, "
                              "personen har registreret.")))
        self._update_buttons()
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        users, actor = self.services.users, self.actor
        runner().query(lambda: (users.list_users(actor), users.clock()), self._show, parent=self,
                       key=f"{id(self)}:users")

    def _show(self, result: tuple[list[UserRow], dt.datetime]) -> None:
        rows, now = result
        selected = self.selected()
        self.users = rows
        self.model.set_rows([[u.full_name, u.username, label(ROLE_LABELS, u.role), self._status(u, now), u.email]
                             for u in rows], [u.id for u in rows])
        if selected is not None and selected.id in self.model.keys:
            self.view.selectRow(self.model.keys.index(selected.id))
        self._update_buttons()

    @staticmethod
    def _status(user: UserRow, now: dt.datetime) -> str:
        if not user.active:
            return tr("Deaktiveret")
        if user.locked_until and user.locked_until > now:
            return tr("Låst til {time}").format(time=fmt.datetime_local(user.locked_until))
        return tr("Aktiv")

    def selected(self) -> UserRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def select_user(self, user_id: int) -> None:
        if user_id in self.model.keys:
            self.view.selectRow(self.model.keys.index(user_id))

    def _update_buttons(self) -> None:
        user = self.selected()
        for b in (self.edit_button, self.password_button, self.active_button):
            b.setEnabled(user is not None)
        if user is not None:
            self.active_button.setText(tr("Deaktivér…") if user.active else tr("Aktivér"))
            # Nobody removes their own access; the service refuses it too.
            self.active_button.setEnabled(user.id != self.actor.user_id)

    # -- actions -------------------------------------------------------------------------------
    def _open(self, dlg: ActionDialog, on_saved: Callable[[object], None]) -> None:
        self.dialog = dlg
        dlg.accepted.connect(lambda: on_saved(dlg.result_value))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()

    def new_user(self) -> None:
        self._open(UserDialog(self.services, self.actor, parent=self), self._created)

    def _created(self, user: UserRow) -> None:
        self.status.emit(tr("Brugeren {name} er oprettet.").format(name=user.full_name))
        self.refresh()

    def edit_user(self) -> None:
        user = self.selected()
        if user is not None:
            self._open(UserDialog(self.services, self.actor, user=user, parent=self), self._edited)

    def _edited(self, user: UserRow) -> None:
        self.status.emit(tr("Ændringerne til {name} er gemt.").format(name=user.full_name))
        self.refresh()

    def reset_password(self) -> None:
        user = self.selected()
        if user is not None:
            self._open(PasswordDialog(self.services, self.actor, user=user, parent=self),
                       lambda _r: self._password_reset(user))

    def _password_reset(self, user: UserRow) -> None:
        self.status.emit(tr("Adgangskoden til {name} er nulstillet; en eventuel lås er ophævet.").format(
            name=user.full_name))
        self.refresh()

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active and not ask(self, tr("Deaktivér bruger?"), tr(
                "{name} kan ikke længere logge ind. Det, personen har registreret, bevares og står fortsat "
                "med navn.\n\nBrugeren kan aktiveres igen senere.").format(name=user.full_name),
                yes=tr("Deaktivér"), destructive=True):
            return
        users, actor, active = self.services.users, self.actor, not user.active
        runner().write(lambda: users.update_user(actor, user.id, expected_version=user.version,
                                                 full_name=user.full_name, role=user.role, email=user.email,
                                                 active=active),
                       self._toggled, parent=self, disable=self.active_button,
                       on_error=lambda exc: show_error(self, exc, on_conflict=self.refresh))

    def _toggled(self, user: UserRow) -> None:
        text = tr("{name} er aktiveret.") if user.active else tr("{name} er deaktiveret og kan ikke logge ind.")
        self.status.emit(text.format(name=user.full_name))
        self.refresh()

    def has_unsaved_changes(self) -> bool:
        return False
