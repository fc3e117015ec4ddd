"""Casekonferencer: the weekly cross-disciplinary case conference, its agenda and decisions."""
from __future__ import annotations

from app.services.conferences import ConferenceRow
from ui import fmt
from ui.i18n import tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import Cell, ListTableModel, make_table


class ConferencesPage(Page):
    title = "Casekonferencer"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Casekonferencer")))
        lay.addWidget(hint(tr("Den ugentlige tværfaglige casekonference: forløb på dagsordenen og beslutninger.")))
        self.model = ListTableModel([tr("Dato"), tr("Uge"), tr("Forløb på dagsordenen"), tr("Beslutninger"),
                                     tr("Status")])
        self.view = make_table(self.model)
        self.view.setObjectName("conferenceTable")
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        conferences, actor = self.services.conferences, self.actor
        self.query(lambda: conferences.list_conferences(actor), self._show, key="list")

    def _show(self, rows: list[ConferenceRow]) -> None:
        self.model.set_rows([[Cell(fmt.date(r.held_on), r.held_on),
                              Cell(fmt.week(r.held_on), r.held_on.isocalendar()[:2]),
                              Cell(str(r.items), r.items, align_right=True),
                              Cell(str(r.decisions), r.decisions, align_right=True),
                              tr("Afholdt") if r.closed else tr("Kommende")] for r in rows],
                            [r.id for r in rows])
        self.empty.setText("" if rows else tr("Ingen casekonferencer endnu."))
