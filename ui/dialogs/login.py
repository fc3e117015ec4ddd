"""Login, the idle-lock screen and the first-start administrator set-up."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from app.errors import AppError


class LoginDialog(QDialog):
    """Asks for user name and password and calls ``authenticate``; shows its message on failure.

    With ``locked_user`` set it is the idle-lock screen: the user name is fixed, and the option to
    log out instead is offered (``logout_requested``).
    """

    def __init__(self, authenticate: Callable[[str, str], object], *, locked_user: str | None = None,
                 parent: QWidget | None = None, status: str = ""):
        super().__init__(parent)
        self._authenticate = authenticate
        self.result_value: object = None
        self.logout_requested = False
        self.setWindowTitle("TTA-team – " + ("skærmen er låst" if locked_user else "log ind"))
        self.setMinimumWidth(380)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 20)
        title = QLabel("TTA-team")
        title.setObjectName("pageTitle")
        lay.addWidget(title)
        sub = QLabel("Skærmen blev låst, fordi den ikke har været brugt. Indtast din adgangskode for at "
                     "fortsætte – intet arbejde er gået tabt." if locked_user else
                     "Tværfagligt team for tilbagevenden til arbejde")
        sub.setObjectName("hint")
        sub.setWordWrap(True)
        lay.addWidget(sub)
        form = QFormLayout()
        form.setContentsMargins(0, 12, 0, 4)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        if locked_user:
            self.username.setText(locked_user)
            self.username.setReadOnly(True)
        form.addRow("Brugernavn", self.username)
        form.addRow("Adgangskode", self.password)
        lay.addLayout(form)
        self.error = QLabel(status)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.login_button = QPushButton("Lås op" if locked_user else "Log ind")
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        buttons.addButton(self.login_button, QDialogButtonBox.AcceptRole)
        if locked_user:
            other = buttons.addButton("Log ud", QDialogButtonBox.DestructiveRole)
            other.clicked.connect(self._logout)
        else:
            buttons.addButton("Afslut", QDialogButtonBox.RejectRole).clicked.connect(self.reject)
        self.login_button.clicked.connect(self._try_login)
        lay.addWidget(buttons)
        (self.password if locked_user else self.username).setFocus()

    def set_busy(self, message: str | None) -> None:
        """While the database opens: show why, and keep the button off until it is ready."""
        self.login_button.setEnabled(message is None)
        self.error.setObjectName("hint" if message else "error")
        self.error.setStyleSheet("")
        self.error.setText(message or "")

    def _try_login(self) -> None:
        if not self.login_button.isEnabled():
            return
        if not self.username.text().strip():
            self.error.setText("Brugernavn: skal udfyldes")
            self.username.setFocus()
            return
        try:
            self.result_value = self._authenticate(self.username.text(), self.password.text())
        except AppError as exc:
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def _logout(self) -> None:
        self.logout_requested = True
        self.reject()

    def keyPressEvent(self, event):  # noqa: N802 - Qt naming
        # Escape must not dismiss the lock screen and reveal the data behind it.
        if event.key() == Qt.Key_Escape and self.username.isReadOnly():
            return
        super().keyPressEvent(event)


class FirstAdminDialog(QDialog):
    """First start on an empty database: create the administrator account."""

    def __init__(self, create: Callable[[str, str, str], object], parent: QWidget | None = None):
        super().__init__(parent)
        self._create = create
        self.result_value: object = None
        self.setWindowTitle("TTA-team – første opstart")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Databasen har ingen brugere endnu. Opret den første administrator, "
                             "som derefter opretter teamets øvrige brugere."))
        form = QFormLayout()
        self.name = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.Password)
        form.addRow("Navn", self.name)
        form.addRow("Brugernavn", self.username)
        form.addRow("Adgangskode", self.password)
        form.addRow("Gentag adgangskode", self.repeat)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Opret administrator")
        buttons.accepted.connect(self._create_admin)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _create_admin(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText("Gentag adgangskode: skal være den samme som adgangskoden")
            return
        try:
            self.result_value = self._create(self.username.text(), self.name.text(), self.password.text())
        except AppError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
