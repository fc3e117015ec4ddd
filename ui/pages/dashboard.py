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
        self.card_row = QHBoxLayout()
        self.cards: dict[str, Card] = {}  # by key figure, in the order the service gives them
        lay.addLayout(self.card_row)
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
        self.tasks_title = QLabel()
        lay.addWidget(self.tasks_title)
        self.tasks = ListTableModel(["Frist", "Opgave", "Borger"])
        self.task_view = make_table(self.tasks, [200, 380])
        lay.addWidget(self.task_view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        d = self.services.dashboard.dashboard(self.actor)
        for figure in d.figures:
            if figure.key not in self.cards:
                self.cards[figure.key] = Card(figure.label)
                self.card_row.addWidget(self.cards[figure.key])
            self.cards[figure.key].set_value(figure.value)
        for p, label in self.phase_labels.items():
            label.setText(str(d.by_phase.get(p, 0)))
        today = self.services.dashboard.today()
        self.tasks_title.setText(f"<b>{d.tasks_title}</b>")
        self.tasks.set_rows([[fmt.date(t.due) + ("  (over fristen)" if t.due < today else ""), t.title, t.citizen]
                             for t in d.tasks])
        self.empty.setText("" if d.tasks else d.no_tasks_text)
