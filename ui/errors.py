"""The one error path: every failure a user meets is shown here, in one style.

- Field errors (``ValidationError``/``ValidationErrors``) go to the form's ``ErrorPanel`` with the
  fields marked, when the caller has a form (``form_errors``).
- Other known errors (``AppError``: conflict, permission, storage unavailable, not found) become one
  Danish message; a conflict can offer to reload.
- Anything unexpected becomes one Danish message with a short reference that also stands in the log
  entry, so support can find the traceback. The log gets the exception type and traceback, never its
  message or a statement's parameters, which may hold health data or CPR numbers.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import AppError, ConflictError, SessionInvalid, ValidationError, ValidationErrors
from app.logs import log_unexpected
from ui.i18n import tr


class SessionEvents(QObject):
    """The application flow listens here: a refused session sends the user back to the login."""
    session_ended = Signal()


events = SessionEvents()


def message(parent: QWidget | None, title: str, text: str, *, icon=QMessageBox.Warning) -> None:
    """The one message-box style."""
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.setTextInteractionFlags(Qt.TextSelectableByMouse)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, *, yes: str, no: str | None = None,
        destructive: bool = False) -> bool:
    """A yes/no question with verbs on the buttons; ``no`` defaults to Annuller; No is the default."""
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.DestructiveRole if destructive else QMessageBox.AcceptRole)
    no_button = box.addButton(no or tr("Annuller"), QMessageBox.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_error(parent: QWidget | None, exc: BaseException, *,
               on_conflict: Callable[[], None] | None = None) -> None:
    """Show any failure the one way; ``on_conflict`` (reload) is offered for a conflict."""
    if isinstance(exc, ConflictError) and on_conflict is not None:
        if ask(parent, tr("Ændret af en anden"), exc.message + "\n\n" + tr(
                "Vil du genindlæse nu? Dine ikke gemte ændringer kasseres."), yes=tr("Genindlæs"),
               no=tr("Behold mine ændringer")):
            on_conflict()
        return
    if isinstance(exc, SessionInvalid):
        message(parent, tr("Log ind igen"), exc.message)
        events.session_ended.emit()
        return
    if isinstance(exc, AppError):
        message(parent, tr("Det lykkedes ikke"), exc.message)
        return
    ref = log_unexpected(exc)
    message(parent, tr("Uventet fejl"), tr(
        "Der opstod en uventet fejl. Handlingen blev ikke gennemført, og intet halvt arbejde er gemt.\n\n"
        "Reference: {ref} (står også i logfilen, så support kan finde fejlen).").format(ref=ref),
        icon=QMessageBox.Critical)


def form_errors(panel, fields: dict[str, QWidget] | Callable[[], dict[str, QWidget]], *,
                parent: QWidget | None = None,
                on_conflict: Callable[[], None] | None = None) -> Callable[[BaseException], None]:
    """An ``on_error`` for a form: field errors to its ``ErrorPanel``, the rest to ``show_error``."""
    def handle(exc: BaseException) -> None:
        if isinstance(exc, (ValidationError, ValidationErrors)):
            panel.show_error(exc, fields() if callable(fields) else fields)
        else:
            show_error(parent or panel.window(), exc, on_conflict=on_conflict)
    return handle


def install_excepthook() -> None:
    """An exception escaping a slot takes the same path instead of a bare traceback."""
    import sys

    def hook(exc_type, exc, tb):
        if exc is None:
            exc = exc_type()
        exc.__traceback__ = tb
        try:
            show_error(None, exc)
        except Exception:  # noqa: BLE001 - last resort: the log has it
            log_unexpected(exc)
    sys.excepthook = hook
