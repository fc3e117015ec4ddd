"""Answering a standard instrument (WHO-5, MDI, the return-to-work expectation) with its score beside it.

One box per instrument: the instruction, each item's Danish text with a choice of its answers
("Ikke besvaret" until chosen), and a line under them with the score and band, worked out by
``app.instruments`` as the answers change. An incomplete form says which items are missing and shows
no score. Read-only (a signed assessment) shows the same answers as text-like, disabled choices.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QSizePolicy, QWidget

from app.errors import ValidationError
from app.instruments import Instrument, score
from ui import fmt
from ui.i18n import tr
from ui.widgets.common import hint


class InstrumentForm(QGroupBox):
    changed = Signal()

    def __init__(self, instrument: Instrument, parent: QWidget | None = None):
        super().__init__(tr(instrument.name), parent)
        self.instrument = instrument
        self.setObjectName("instrument_" + instrument.code)
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.addWidget(hint(tr(instrument.intro)), 0, 0, 1, 2)
        self.choices: list[QComboBox] = []
        for row, item in enumerate(instrument.items, start=1):
            text = QLabel(f"{item.key}. {tr(item.text)}")
            text.setWordWrap(True)
            text.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
            box = QComboBox()
            box.setObjectName(f"{instrument.code}_{item.key}")
            box.addItem(tr("Ikke besvaret"), None)
            for value, words in instrument.scale_of(item):
                box.addItem(f"{tr(words)} ({value})" if not words.startswith(str(value)) else tr(words), value)
            box.currentIndexChanged.connect(self._changed)
            grid.addWidget(text, row, 0)
            grid.addWidget(box, row, 1)
            self.choices.append(box)
        self.result = QLabel()
        self.result.setObjectName("instrumentResult")
        self.result.setWordWrap(True)
        grid.addWidget(self.result, len(instrument.items) + 1, 0, 1, 2)
        self._show_score()

    def answers(self) -> list[int | None]:
        return [box.currentData() for box in self.choices]

    def set_answers(self, answers) -> None:
        answers = list(answers or [None] * len(self.choices))
        for box, value in zip(self.choices, answers, strict=False):
            blocked = box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(value)) if value is not None else 0)
            box.blockSignals(blocked)
        self._show_score()

    def set_answer(self, index: int, value: int | None) -> None:
        """Choose one item's answer as the user would."""
        box = self.choices[index]
        box.setCurrentIndex(box.findData(value) if value is not None else 0)

    def set_read_only(self, read_only: bool) -> None:
        for box in self.choices:
            box.setEnabled(not read_only)

    def _changed(self) -> None:
        self._show_score()
        self.changed.emit()

    def _show_score(self) -> None:
        try:
            s = score(self.instrument.code, self.answers())
        except ValidationError as exc:   # not reachable from the choices; shown rather than hidden
            self.result.setText(exc.message)
            return
        if all(a is None for a in self.answers()):
            self.result.setText(tr("Ikke udfyldt."))
        elif not s.complete:
            self.result.setText(tr("Ufuldstændig – mangler svar på spørgsmål {items}. Gemmes som kladde uden score.")
                                .format(items=", ".join(s.missing)))
        else:
            text = tr("Score: {score} af {high} – {band}").format(
                score=fmt.number(s.value, 0), high=fmt.number(self.instrument.high, 0), band=tr(s.band))
            if s.note:
                text += f" ({tr(s.note)})"
            self.result.setText(text)
