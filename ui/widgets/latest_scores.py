"""The latest WHO-5, MDI and return-to-work expectation of a case, each with its band (the Oversigt)."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from app.instruments import INSTRUMENTS, WHO5
from ui import fmt
from ui.i18n import tr
from ui.widgets.common import value_label


def score_text(s) -> str:
    """ "44 – Nogen risiko (12-11-2026), +12 siden sidst – klinisk relevant" """
    text = tr("{score} – {band} ({when})").format(score=fmt.number(s.score, 0), band=tr(s.band),
                                                   when=fmt.date(s.taken_on))
    if s.change is not None and s.instrument == WHO5:
        sign = "+" if s.change > 0 else ""
        text += tr(", {change} siden sidst").format(change=sign + fmt.number(s.change, 0))
        if s.relevant:
            text += tr(" – klinisk relevant")
    if s.note and s.instrument == WHO5:
        text += f"\n{tr(s.note)}"
    return text


class LatestScores(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Seneste testresultater"), parent)
        self.setObjectName("latestScores")
        self.rows = QFormLayout(self)
        self.empty = QLabel(tr("Ingen testresultater endnu (udfyldes under Udredning)."), self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.rows.addRow(self.empty)
        self.values: dict[str, QLabel] = {}

    def show_scores(self, latest: Iterable) -> None:
        while self.rows.rowCount() > 1:
            self.rows.removeRow(1)
        self.values = {}
        latest = list(latest)
        for s in latest:
            label = value_label(score_text(s))
            self.values[s.instrument] = label
            self.rows.addRow(tr(INSTRUMENTS[s.instrument].name.split(" (")[0]), label)
        self.rows.setRowVisible(0, not latest)
