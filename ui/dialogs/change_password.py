"""Ny adgangskode: a user whose password was reset by an administrator sets their own before anything
else (the service layer refuses every other call until then)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

from app.errors import ValidationError
from ui.dialogs.action import ActionDialog
from ui.i18n import tr


class ChangePasswordDialog(ActionDialog):
    ok_text = "Gem ny adgangskode"

    def __init__(self, services, actor, parent=None, *, forced: bool = True):
        super().__init__(services, actor, 0, parent)
        self.setWindowTitle(tr("Vælg en ny adgangskode"))
        self.setMinimumWidth(420)
        if forced:
            intro = QLabel(tr("Din adgangskode er nulstillet af en administrator. Vælg din egen nye adgangskode, "
                              "før du fortsætter."))
            intro.setWordWrap(True)
            self.outer.insertWidget(0, intro)
        for name, text in (("old_password", tr("Nuværende adgangskode")), ("new_password", tr("Ny adgangskode")),
                           ("repeat", tr("Gentag ny adgangskode"))):
            w = QLineEdit()
            w.setObjectName(name)
            w.setEchoMode(QLineEdit.Password)
            self.fields[name] = w
            self.form.addRow(text, w)
        self.finish_layout()

    def prepare(self):
        old, new, repeat = (self.fields[n].text() for n in ("old_password", "new_password", "repeat"))
        if new != repeat:
            raise ValidationError("repeat", tr("skal være den samme som den nye adgangskode"),
                                  label=tr("Gentag ny adgangskode"))
        users, actor = self.services.users, self.actor
        return lambda: users.change_own_password(actor, old, new)
