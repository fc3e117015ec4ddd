"""Casekonferencer: the weekly cross-disciplinary case conference, its agenda and decisions.

"Ny konference…" builds the next conference's agenda from the data; Enter or a double-click (or
"Kør konference") opens conference mode on the chosen one; the agenda and the minutes print through
the preview.
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from app.services.conferences import ConferenceRow
from ui import fmt
from ui.dialogs.new_conference import NewConferenceDialog
from ui.dialogs.print_preview import open_print_preview
from ui.i18n import tr
from ui.pages.base import Page
from ui.pages.conference_mode import ConferenceMode
from ui.widgets.common import hint, page_title
from ui.widgets.simple_table import Cell, ListTableModel, make_table


class ConferencesPage(Page):
    title = "Casekonferencer"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Casekonferencer")))
        lay.addWidget(hint(tr("Den ugentlige tværfaglige casekonference: forløb på dagsordenen og beslutninger.")))
        bar = QHBoxLayout()
        self.new_button = QPushButton(tr("Ny konference…"))
        self.new_button.clicked.connect(self.new_conference)
        self.run_button = QPushButton(tr("Kør konference"))
        self.run_button.setObjectName("primary")
        self.run_button.clicked.connect(lambda: self.run(self._selected()))
        self.agenda_button = QPushButton(tr("Udskriv dagsorden…"))
        self.agenda_button.clicked.connect(lambda: self.print_document("agenda"))
        self.minutes_button = QPushButton(tr("Udskriv referat…"))
        self.minutes_button.clicked.connect(lambda: self.print_document("minutes"))
        for b in (self.new_button, self.run_button, self.agenda_button, self.minutes_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        if not actor.may("conference.write"):
            self.new_button.hide()
        self.model = ListTableModel([tr("Dato"), tr("Uge"), tr("Forløb på dagsordenen"), tr("Beslutninger"),
                                     tr("Status")])
        self.view = make_table(self.model)
        self.view.setObjectName("conferenceTable")
        self.view.activated.connect(lambda index: self.run(self.model.key(index.row())))
        lay.addWidget(self.view, 1)
        self.empty = hint("")
        lay.addWidget(self.empty)
        self.mode: ConferenceMode | None = None
        self.dialog: NewConferenceDialog | None = None
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
        self._held = {r.id: r.held_on for r in rows}
        if rows and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self.empty.setText(tr("Enter eller dobbeltklik åbner konferencetilstand.") if rows else tr(
            "Ingen casekonferencer endnu. Opret den første med »Ny konference…«."))

    def _selected(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.key(index.row()) if index.isValid() else None

    def new_conference(self) -> None:
        self.dialog = dlg = NewConferenceDialog(self.services, self.actor, parent=self)
        dlg.finished.connect(lambda result: self._created(dlg) if result else None)
        dlg.open()

    def _created(self, dlg: NewConferenceDialog) -> None:
        self.status.emit(tr("Konferencen er oprettet med dagsorden."))
        self.refresh()
        self.run(dlg.result_value)

    def run(self, conference_id: int | None) -> None:
        if conference_id is None:
            self.status.emit(tr("Vælg en konference først."))
            return
        self.mode = ConferenceMode(self.services, self.actor, conference_id, parent=self)
        self.mode.finished.connect(lambda _r: self.refresh())
        self.mode.open()

    def print_document(self, what: str) -> None:
        cid = self._selected()
        if cid is None:
            self.status.emit(tr("Vælg en konference først."))
            return
        conferences, actor, held = self.services.conferences, self.actor, self._held.get(cid)
        make = conferences.agenda_pdf if what == "agenda" else conferences.minutes_pdf
        name = tr("Dagsorden") if what == "agenda" else tr("Referat")
        self.preview = open_print_preview(
            self, title=f"{name} – {tr('casekonference')} {fmt.date(held)}", make_pdf=lambda: make(actor, cid),
            log_print=lambda how: conferences.log_print(actor, cid, what=what, how=how),
            file_name=f"{'dagsorden' if what == 'agenda' else 'referat'}-casekonference-{held}.pdf")
        self.preview.done.connect(self.status)
