"""Gendannelsesnøgle: shown once, when an encrypted database is created or converted.

With it an administrator can set a new password when every administrator password is lost
(``python main.py recover``). It is stored nowhere; the dialog offers to save it as a one-page PDF
to print and keep locked away."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.files import ask_save_path, saved_message


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, *, database: str, created_by: str, letterhead: dict | None = None,
                 parent=None):
        super().__init__(parent)
        self.recovery_key, self.database, self.created_by = recovery_key, database, created_by
        self.letterhead = letterhead or {}
        self.saved_to = None
        self.setWindowTitle(tr("Gendannelsesnøgle"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        intro = QLabel(tr("Databasen er krypteret. Her er gendannelsesnøglen, som vises denne ene gang. Med den kan "
                          "en administrator sætte en ny adgangskode, hvis alle administratorers adgangskoder er "
                          "glemt. Udskriv den, og opbevar den aflåst – den gemmes ikke nogen steder."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("recoveryKey")
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.Monospace)
        font.setPointSize(13)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        lay.addWidget(self.key_label)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("Gem som PDF til udskrift…"), QDialogButtonBox.ActionRole)
        self.save_button.clicked.connect(self.save_pdf)
        done = buttons.addButton(tr("Jeg har gemt nøglen"), QDialogButtonBox.AcceptRole)
        done.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)

    def save_pdf(self, path=None) -> None:
        import datetime as dt
        target = path or ask_save_path(self, tr("Gem gendannelsesnøglen som PDF"), "tta-gendannelsesnoegle.pdf")
        if target is None:
            return
        from app.printing.recovery_key import render_recovery_key
        args = dict(recovery_key=self.recovery_key, letterhead=self.letterhead, database=self.database,
                    created_by=self.created_by, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
        runner().write(lambda: render_recovery_key(target, **args), self._saved, parent=self,
                       disable=self.save_button)

    def _saved(self, path) -> None:
        self.saved_to = path
        self.status.setText(saved_message(path))
