"""The template for every form dialog: fields, an error panel, OK/Annuller, the work on the task runner.

A subclass builds its fields (registered in ``self.fields`` by the service's field names, so errors
land on the right widget), may ``load`` what it needs to show, and implements ``prepare()``: it reads
the widgets on the GUI thread and returns the function the worker runs (or ``None`` to stop, e.g. when
the user declines a confirmation). Field errors go to the panel; anything else takes the one error
path. The OK button stays disabled while loading and while the write runs.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from app.errors import AppError
from app.services import Actor, Services
from ui.errors import form_errors
from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.forms import ErrorPanel


class ActionDialog(QDialog):
    ok_text = "Gem"

    def __init__(self, services: Services, actor: Actor, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor, self.case_id = services, actor, case_id
        self.result_value: Any = None
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.fields: dict[str, QWidget] = {}
        self._loading = 0

    def finish_layout(self) -> None:
        self.errors = ErrorPanel()
        self.outer.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr(self.ok_text), QDialogButtonBox.AcceptRole)
        self.ok_button.setObjectName("primary")
        self.ok_button.setEnabled(self._loading == 0)
        buttons.addButton(tr("Annuller"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        self.outer.addWidget(buttons)

    # -- loading -------------------------------------------------------------------------------
    def load(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Fetch something the form shows; OK waits until everything has arrived."""
        self._loading += 1

        def arrived(value):
            self._loading -= 1
            on_done(value)
            if self._loading == 0 and hasattr(self, "ok_button"):
                self.ok_button.setEnabled(True)

        def failed(exc):
            from ui.errors import show_error
            show_error(self, exc)
            self.reject()
        runner().query(fn, arrived, parent=self, on_error=failed)

    def catalog_combo(self, kind: str, name: str, *, empty: str | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        if empty is not None:
            combo.addItem(empty, None)
        self.fields[name] = combo
        catalog = self.services.catalog

        def fill(items):
            for item in items:
                combo.addItem(item.label, item.code)
        self.load(lambda: catalog.items(kind), fill)
        return combo

    # -- saving --------------------------------------------------------------------------------
    def _ok(self) -> None:
        self.errors.clear_errors()
        try:
            work = self.prepare()
        except AppError as exc:
            self.errors.show_error(exc, self.fields)
            return
        if work is None:
            return
        runner().write(work, self._done, parent=self, disable=self.ok_button,
                       on_error=form_errors(self.errors, self.fields, parent=self))

    def _done(self, result: Any) -> None:
        self.result_value = result
        self.accept()

    def prepare(self) -> Callable[[], Any] | None:
        raise NotImplementedError
