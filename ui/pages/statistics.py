"""Statistik: the outcome table per quarter (the KIA report's table 2) and the visitation summary.

Everything is counted by ``services.statistics``; this page only formats: statuses down, quarters
across, count and percent of the quarter's closed cases in each cell, a dash for none.
"""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QSizePolicy

from app.services.statistics import OutcomeCell, OutcomeRow, OutcomeTable, VisitationSummary
from ui import fmt
from ui.i18n import tr
from ui.pages.base import Page
from ui.widgets.common import hint, page_title, section_title
from ui.widgets.simple_table import NO_STRETCH, Cell, ListTableModel, make_table


def _cell(c: OutcomeCell) -> Cell:
    text = tr("{n} ({p} %)").format(n=c.count, p=fmt.number(c.percent, 0)) if c.count else "–"
    return Cell(text, c.count, align_right=True)


class StatisticsPage(Page):
    title = "Statistik"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        lay = self.page_layout()
        lay.addWidget(page_title(tr("Statistik")))
        self.rate = QLabel()
        self.rate.setObjectName("rtwRate")
        self.rate.setWordWrap(True)
        lay.addWidget(self.rate)
        self.rate_basis = hint("")
        lay.addWidget(self.rate_basis)
        lay.addSpacing(4)
        self.visitation = QLabel()
        self.visitation.setObjectName("visitationSummary")
        self.visitation.setWordWrap(True)
        lay.addWidget(self.visitation)
        lay.addSpacing(10)
        lay.addWidget(section_title(tr("Status ved afslutning pr. kvartal")))
        lay.addWidget(hint(tr("Antal forløb og procent af kvartalets afsluttede forløb, efter afslutningsdato.")))
        self.model = ListTableModel([tr("Status")])
        self.view = make_table(self.model, stretch=NO_STRETCH, sortable=False)
        self.view.setObjectName("outcomeTable")
        # As big as the table, no bigger: an empty grid below or beside it says nothing.
        self.view.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
        self.view.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        lay.addWidget(self.view)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        statistics, actor = self.services.statistics, self.actor
        self.query(lambda: (statistics.outcome_table(actor), statistics.visitation_summary(actor)), self._show,
                   key="statistics")

    def _show(self, result: tuple[OutcomeTable, VisitationSummary]) -> None:
        table, visitation = result
        self._show_rate(table)
        self.visitation.setText(tr(
            "Visitation: {accepted} visiteret, heraf <b>{outside} uden for kriterierne</b>; {rejected} ikke "
            "visiteret; {pending} afventer.").format(accepted=visitation.accepted, outside=visitation.outside_criteria,
                                                    rejected=visitation.rejected, pending=visitation.pending))
        rows: list[list] = [self._row(r) for r in table.rows]
        if table.closed:
            rows.append([Cell(tr(table.totals.label), bold=True, whole=True),
                         *[Cell(str(c.count), c.count, bold=True, align_right=True) for c in table.totals.quarters],
                         Cell(str(table.totals.total.count), table.totals.total.count, bold=True, align_right=True)])
        self.model.set_rows(rows, headers=[tr("Status"), *table.quarters, tr("I alt")])

    def _row(self, r: OutcomeRow) -> list:
        return [Cell(r.label, whole=True), *[_cell(c) for c in r.quarters], _cell(r.total)]

    def _show_rate(self, table: OutcomeTable) -> None:
        counted = [r.label for r in table.rows if r.counts_as_return]
        which = ", ".join(counted[:-1]) + tr(" og ") + counted[-1] if len(counted) > 1 else "".join(counted)
        self.rate_basis.setText(tr("Tæller med som tilbage i arbejde: {which}.").format(which=which))
        if table.return_rate is None:
            self.rate.setText(tr("Tilbage i arbejde: – (ingen afsluttede forløb endnu)."))
            return
        self.rate.setText(tr("Tilbage i arbejde: <b>{pct} %</b> ({n} af {total} afsluttede forløb)").format(
            pct=fmt.number(table.return_rate, 0), n=table.returned, total=table.closed))
