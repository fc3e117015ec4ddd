"""Overblik: today's picture for the logged-in team member, as ``services.dashboard`` chooses it by role.

Each key figure that a list can show opens that list: a click, Enter or Space on the card asks the
main window for the case list with the matching filter. A figure no list can show yet (overdue tasks,
meetings, after-follow-ups, plans awaiting approval) is a plain number, not a card that pretends. The
cases per phase open the case list on that phase; a task opens its case (double-click or Enter); a
list with other people's tasks (the team lead's) says whose each task is. A task opens as itself
(double-click or Enter): marked done there with one click, or its case opened from there.
"""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QStyle, QVBoxLayout, QWidget

from app.labels import PHASE_LABELS, PHASES
from app.services.dashboard import Dashboard, KeyFigure, TaskRow
from ui import fmt
from ui.dialogs.task import TaskDialog
from ui.errors import show_error
from ui.i18n import label, tr
from ui.models.case_table import CaseFilter
from ui.pages.base import Page
from ui.widgets.common import Card, hint, page_title, section_title
from ui.widgets.simple_table import Cell, ListTableModel, make_table

# What a key figure opens (see app/services/dashboard.py): the case list with these filters.
FIGURE_FILTERS = {
    "my_cases": CaseFilter(phase="open", scope="mine"),
    "my_team_cases": CaseFilter(phase="open", scope="my_team"),
    "my_awaiting_visitation": CaseFilter(phase="awaiting_visitation", scope="mine"),
    "open_cases": CaseFilter(phase="open"),
    "unassigned_cases": CaseFilter(phase="open", unassigned=True),
}
TASK_HEADERS = ["Frist", "Opgave", "Borger"]
CARDS_PER_ROW = 5
PHASE_PANEL_WIDTH = 200


class DashboardPage(Page):
    title = "Overblik"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Overblik – {name}").format(name=actor.full_name)))
        self.card_grid = QGridLayout()
        self.card_grid.setSpacing(10)
        self.cards: dict[str, Card] = {}  # by key figure, in the order the service gives them
        lay.addLayout(self.card_grid)
        lay.addSpacing(12)

        below = QHBoxLayout()
        below.setSpacing(18)
        tasks = QVBoxLayout()
        self.tasks_title = section_title("")
        tasks.addWidget(self.tasks_title)
        self.tasks = ListTableModel([tr(h) for h in TASK_HEADERS])
        self._overdue_icon = self.style().standardIcon(QStyle.SP_MessageBoxWarning)
        self.task_view = make_table(self.tasks, stretch=1)
        self.task_view.setObjectName("dashboardTasks")
        self.task_view.activated.connect(lambda index: self._open_task(index.row()))
        tasks.addWidget(self.task_view, 1)
        self.tasks_hint = hint("")
        tasks.addWidget(self.tasks_hint)
        below.addLayout(tasks, 1)

        phases = QVBoxLayout()
        phases.setContentsMargins(0, 0, 0, 0)
        phases.setSpacing(6)
        phases.addWidget(section_title(tr("Forløb pr. fase")))
        self.phase_cards: dict[str, Card] = {}
        for p in PHASES:
            card = Card(label(PHASE_LABELS, p), compact=True)
            card.activated.connect(lambda p=p: self._open_phase(p))
            self.phase_cards[p] = card
            phases.addWidget(card)
        phases.addStretch(1)
        panel = QWidget()
        panel.setLayout(phases)
        panel.setFixedWidth(PHASE_PANEL_WIDTH)
        below.addWidget(panel)
        lay.addLayout(below, 1)
        self._scope: str | None = None
        self.task_dialog: TaskDialog | None = None   # the task opened last
        self.refresh()

    def refresh(self) -> None:
        dashboard, actor = self.services.dashboard, self.actor
        self.query(lambda: dashboard.dashboard(actor), self._show, key="dashboard")

    def _show(self, d: Dashboard) -> None:
        for figure in d.figures:
            card = self._card(figure)
            card.set_value(figure.value)
            # Only a list with something in it is worth opening.
            card.set_target(tr("Vis forløbene") if figure.key in FIGURE_FILTERS and figure.value else "")
        keys = {f.key for f in d.figures}
        # The phase counts are about the same cases as the figures: the actor's, or the whole team's.
        self._scope = "mine" if "my_cases" in keys else "my_team" if "my_team_cases" in keys else None
        for p, card in self.phase_cards.items():
            n = d.by_phase.get(p, 0)
            card.set_value(n)
            card.set_target(tr("Vis forløbene i fasen") if n else "")
        today = self.services.cases.today()  # a clock read, not a query
        self.tasks_title.setText(tr(d.tasks_title))
        # Someone else's tasks in the list (the team lead's view of the team): say whose each one is.
        owners = any(t.owner != self.actor.full_name for t in d.tasks)
        self.tasks.set_rows([self._task_cells(t, today, owners) for t in d.tasks], list(d.tasks),
                            headers=[tr(h) for h in TASK_HEADERS] + ([tr("Ansvarlig")] if owners else []))
        if d.tasks:
            self.tasks_hint.setText(tr("Dobbeltklik eller tryk Enter på en opgave for at åbne den."))
        else:
            self.tasks_hint.setText(tr(d.no_tasks_text))

    def _card(self, figure: KeyFigure) -> Card:
        card = self.cards.get(figure.key)
        if card is None:
            card = Card(tr(figure.label))
            card.setProperty("figure", figure.key)
            if figure.key in FIGURE_FILTERS:
                card.activated.connect(lambda key=figure.key: self.navigate.emit("cases", FIGURE_FILTERS[key]))
            n = len(self.cards)
            self.card_grid.addWidget(card, n // CARDS_PER_ROW, n % CARDS_PER_ROW)
            self.card_grid.setColumnStretch(n % CARDS_PER_ROW, 1)
            self.cards[figure.key] = card
        return card

    def _task_cells(self, t: TaskRow, today, owner: bool) -> list:
        # Overdue: a warning sign and bold, and the words in the tooltip: never colour alone.
        overdue = t.due < today
        due = Cell(fmt.date(t.due), t.due, bold=overdue, icon=self._overdue_icon if overdue else None,
                   tooltip=tr("{date}: over fristen").format(date=fmt.date(t.due)) if overdue else None)
        citizen = Cell(t.citizen, tooltip=f"{t.citizen} ({t.case_number})" if t.case_number else t.citizen)
        return [due, t.title, citizen, t.owner] if owner else [due, t.title, citizen]

    def _open_task(self, row: int) -> None:
        task = self.tasks.key(row)
        if not isinstance(task, TaskRow):
            return
        tasks, actor = self.services.tasks, self.actor
        self.query(lambda: tasks.task(actor, task.id), self._show_task, key="task",
                   on_error=lambda exc: show_error(self, exc))

    def _show_task(self, task) -> None:
        self.task_dialog = dlg = TaskDialog(self.services, self.actor, task, parent=self)
        dlg.finished.connect(lambda _r: self._task_closed(dlg))
        dlg.open()

    def _task_closed(self, dlg: TaskDialog) -> None:
        if dlg.result_value == "done":
            self.status.emit(tr("Opgaven er markeret som udført."))
            self.refresh()
        elif dlg.result_value == "open_case":
            self.navigate.emit("cases", dlg.task.case_id)

    def _open_phase(self, phase: str) -> None:
        self.navigate.emit("cases", CaseFilter(phase=phase, scope=self._scope))
