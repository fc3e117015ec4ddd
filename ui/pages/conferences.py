"""Casekonferencer: the weekly cross-disciplinary case conference, its agenda and decisions."""
from __future__ import annotations

from ui import fmt
from ui.i18n import tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import ListTableModel, make_table


class ConferencesPage(Page):
    title = "Casekonferencer"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Casekonferencer")))
        lay.addWidget(hint(tr("Den ugentlige tværfaglige casekonference: forløb på dagsordenen og beslutninger.")))
        self.model = ListTableModel([tr("Dato"), tr("Uge"), tr("Forløb på dagsordenen"), tr("Beslutninger"),
                                     tr("Status")])
        self.view = make_table(self.model, [110, 70, 190, 120])
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        conferences, actor = self.services.conferences, self.actor
        self.query(lambda: conferences.list_conferences(actor), self._show, key="list")

    def _show(self, rows) -> None:
        self.model.set_rows([[fmt.date(r.held_on), fmt.week(r.held_on), str(r.items), str(r.decisions),
                              tr("Afholdt") if r.closed else tr("Kommende")] for r in rows], [r.id for r in rows])
        self.empty.setText("" if rows else tr("Ingen casekonferencer endnu."))
