"""Login, the idle-lock screen and the first-start administrator set-up."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from ui.errors import form_errors
from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.forms import ErrorPanel


class LoginDialog(QDialog):
    """Asks for user name and password and calls ``authenticate``; shows its message on failure.

    With ``locked_user`` set it is the idle-lock screen: the user name is fixed, and the option to
    log out instead is offered (``logout_requested``).
    """

    def __init__(self, authenticate: Callable[[str, str], object] | None, *, locked_user: str | None = None,
                 parent: QWidget | None = None, status: str = "", reason: str = "idle"):
        super().__init__(parent)
        self._authenticate = authenticate
        self.result_value: object = None
        self.logout_requested = False
        self.setWindowTitle("TTA-team – " + (tr("skærmen er låst") if locked_user else tr("log ind")))
        self.setMinimumWidth(380)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 20)
        title = QLabel("TTA-team")
        title.setObjectName("pageTitle")
        lay.addWidget(title)
        if not locked_user:
            text = tr("Tværfagligt team for tilbagevenden til arbejde")
        elif reason == "manual":
            text = tr("Skærmen er låst. Indtast din adgangskode for at fortsætte – intet arbejde er gået tabt.")
        else:
            text = tr("Skærmen blev låst, fordi den ikke har været brugt. Indtast din adgangskode for at "
                      "fortsætte – intet arbejde er gået tabt.")
        sub = QLabel(text)
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
        form.addRow(tr("Brugernavn"), self.username)
        form.addRow(tr("Adgangskode"), self.password)
        lay.addLayout(form)
        self.error = QLabel(status)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.login_button = QPushButton(tr("Lås op") if locked_user else tr("Log ind"))
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        buttons.addButton(self.login_button, QDialogButtonBox.AcceptRole)
        if locked_user:
            other = buttons.addButton(tr("Log ud"), QDialogButtonBox.DestructiveRole)
            other.clicked.connect(self._logout)
        else:
            buttons.addButton(tr("Afslut"), QDialogButtonBox.RejectRole).clicked.connect(self.reject)
        self.login_button.clicked.connect(self._try_login)
        lay.addWidget(buttons)
        (self.password if locked_user else self.username).setFocus()

    def set_authenticate(self, authenticate: Callable[[str, str], object]) -> None:
        self._authenticate = authenticate

    def set_busy(self, message: str | None) -> None:
        """While the database opens: show why, and keep the button off until it is ready."""
        self.login_button.setEnabled(message is None and self._authenticate is not None)
        self.error.setObjectName("hint" if message else "error")
        self.error.setStyleSheet("")
        self.error.setText(message or "")

    def _try_login(self) -> None:
        if not self.login_button.isEnabled() or self._authenticate is None:
            return
        if not self.username.text().strip():
            self.error.setText(tr("Brugernavn: skal udfyldes"))
            self.username.setFocus()
            return
        authenticate, username, password = self._authenticate, self.username.text(), self.password.text()
        # The password check (argon2) and the database run on the worker; the window keeps painting.
        runner().write(lambda: authenticate(username, password), self._succeeded, parent=self,
                       disable=self.login_button, on_error=self._failed)

    def _succeeded(self, result: object) -> None:
        self.result_value = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, AppError):
            from ui.errors import show_error
            show_error(self, exc)
            return
        self.error.setObjectName("error")
        self.error.setStyleSheet("")
        self.error.setText(exc.message)
        self.password.clear()
        self.password.setFocus()

    def _logout(self) -> None:
        self.logout_requested = True
        self.reject()

    def keyPressEvent(self, event):  # noqa: N802 - Qt naming
        # Escape must not dismiss the lock screen and reveal the data behind it.
        if event.key() == Qt.Key_Escape and self.username.isReadOnly():
            return
        super().keyPressEvent(event)


class FirstAdminDialog(QDialog):
    """First start on an empty database: create the administrator account.

    Errors are listed above the buttons and marked on their fields, as in every other form."""

    def __init__(self, create: Callable[[str, str, str], object], parent: QWidget | None = None):
        super().__init__(parent)
        self._create = create
        self.result_value: object = None
        self.setWindowTitle(tr("TTA-team – første opstart"))
        self.setMinimumWidth(460)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(10)
        intro = QLabel(tr("Databasen har ingen brugere endnu. Opret den første administrator, "
                          "som derefter opretter teamets øvrige brugere."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.name = QLineEdit()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.Password)
        form.addRow(tr("Navn"), self.name)
        form.addRow(tr("Brugernavn"), self.username)
        form.addRow(tr("Adgangskode"), self.password)
        form.addRow(tr("Gentag adgangskode"), self.repeat)
        lay.addLayout(form)
        # Keyed by the service's field names, so its errors land on the right field.
        self.fields: dict[str, QWidget] = {"full_name": self.name, "username": self.username,
                                           "password": self.password, "repeat": self.repeat}
        self.errors = ErrorPanel()
        lay.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(tr("Opret administrator"), QDialogButtonBox.AcceptRole)
        self.create_button.setObjectName("primary")
        buttons.addButton(tr("Annuller"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._create_admin)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _create_admin(self) -> None:
        self.errors.clear_errors()
        if self.password.text() != self.repeat.text():
            self.errors.show_error(ValidationError("repeat", tr("skal være den samme som adgangskoden"),
                                                   label=tr("Gentag adgangskode")), self.fields)
            return
        create, args = self._create, (self.username.text(), self.name.text(), self.password.text())
        runner().write(lambda: create(*args), self._created, parent=self, disable=self.create_button,
                       on_error=form_errors(self.errors, self.fields, parent=self))

    def _created(self, result: object) -> None:
        self.result_value = result
        self.accept()
