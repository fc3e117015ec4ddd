"""Overblik: today's picture for the logged-in team member."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.labels import PHASES, PHASE_LABELS
from app.services import Actor, Services
from ui import fmt
from ui.widgets.common import Card, hint, page_title
from ui.widgets.simple_table import ListTableModel, make_table


class DashboardPage(QWidget):
    title = "Overblik"

    def __init__(self, services: Services, actor: Actor, parent=None):
        super().__init__(parent)
        self.services = services
        self.actor = actor
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.addWidget(page_title(f"Overblik – {actor.full_name}"))
        cards = QHBoxLayout()
        self.card_open = Card("åbne forløb i teamet")
        self.card_mine = Card("åbne forløb, hvor du er koordinator")
        self.card_overdue = Card("af dine opgaver er over fristen")
        self.card_meetings = Card("rundbordssamtaler de næste 14 dage")
        self.card_afu = Card("efteropfølgninger er forfaldne")
        for c in (self.card_open, self.card_mine, self.card_overdue, self.card_meetings, self.card_afu):
            cards.addWidget(c)
        lay.addLayout(cards)
        lay.addSpacing(8)
        lay.addWidget(QLabel("<b>Forløb pr. fase</b>"))
        self.phase_grid = QGridLayout()
        self.phase_labels: dict[str, QLabel] = {}
        for i, p in enumerate(PHASES):
            name = QLabel(PHASE_LABELS[p])
            value = QLabel("0")
            value.setObjectName("phaseCount_" + p)
            self.phase_grid.addWidget(name, 0, i)
            self.phase_grid.addWidget(value, 1, i)
            self.phase_labels[p] = value
        lay.addLayout(self.phase_grid)
        lay.addSpacing(8)
        lay.addWidget(QLabel("<b>Dine åbne opgaver</b>"))
        self.tasks = ListTableModel(["Frist", "Opgave", "Borger"])
        self.task_view = make_table(self.tasks, [200, 380])
        lay.addWidget(self.task_view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        d = self.services.overview.dashboard(self.actor)
        self.card_open.set_value(d.open_cases)
        self.card_mine.set_value(d.my_open_cases)
        self.card_overdue.set_value(d.overdue_tasks)
        self.card_meetings.set_value(d.meetings_next_14_days)
        self.card_afu.set_value(d.after_follow_ups_due)
        for p, label in self.phase_labels.items():
            label.setText(str(d.by_phase.get(p, 0)))
        today = self.services.overview.today()
        self.tasks.set_rows([[fmt.date(due) + ("  (over fristen)" if due < today else ""), title, citizen]
                             for _id, title, due, _case, citizen in d.my_tasks])
        self.empty.setText("" if d.my_tasks else "Du har ingen åbne opgaver.")
