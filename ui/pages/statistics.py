"""Statistik: the KIA report for a chosen period (a quarter, a year or an own range): Table 2 (status at
closing per quarter) with the headline rate and a chart, Table 1, what works for whom with a chart,
and the fidelity to the TTA model; printed as PDF and exported to CSV and Excel.

Everything is counted by ``services.statistics``; the tables shown are the same ``Sheet``s the
files hold (``app.reports.export``), so screen, PDF and spreadsheet agree.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QDate, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.reports.export import Sheet, fidelity_sheets, intake_sheet, outcome_sheet, what_works_sheet
from app.services.statistics import StatisticsReport
from ui import fmt
from ui.dialogs.print_preview import open_print_preview
from ui.i18n import tr
from ui.pages.base import Page
from ui.theme import ACCENT
from ui.widgets.common import hint, page_title
from ui.widgets.files import ask_export_path, export_button, saved_message
from ui.widgets.simple_table import NO_STRETCH, Cell, ListTableModel, make_table

QUARTER, YEAR, RANGE = "quarter", "year", "range"
# Bar colours of the quarters (oldest lightest) and of the whole period.
SERIES_COLOURS = ("#9cc3de", "#5f9ac2", "#3b78a6", "#27587e", ACCENT)


def _cell(v: object) -> Cell | str:
    if v is None:
        return Cell("–", None, align_right=True)
    if isinstance(v, float):
        return Cell(fmt.number(v, 1), v, align_right=True)
    if isinstance(v, int):
        return Cell(str(v), v, align_right=True)
    return Cell(str(v), str(v), whole=True)


# Short names for the chart's axis, where the table's full labels would be cut to "Raskmeldt ...".
CHART_LABELS = {"fuld_tid": "Fuld tid", "deltid": "Deltid", "a_kasse": "A-kasse", "revalidering": "Revalidering",
                "arbejdsproevning": "Arbejdsprøvning", "fortsat_sygemeldt": "Fortsat syg", "andet": "Andet"}


def sheet_view(sheet: Sheet) -> tuple[ListTableModel, QTableView]:
    model = ListTableModel(sheet.header)
    model.set_rows([[_cell(v) for v in row] for row in sheet.rows])
    view = make_table(model, stretch=NO_STRETCH, sortable=False)
    view.setSizeAdjustPolicy(QAbstractScrollArea.AdjustToContents)
    view.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
    view.horizontalHeader().setMaximumSectionSize(230)   # a long label wraps its column, the numbers stay in view
    return model, view


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list[float]]]) -> QChart:
    """Horizontal bars in percent, one set per series; the first category at the top."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    bars = QHorizontalBarSeries()
    for i, (name, values) in enumerate(series):
        s = QBarSet(name)
        s.append(list(reversed(values)))
        s.setColor(QColor(SERIES_COLOURS[-1] if i == len(series) - 1 else SERIES_COLOURS[i % 4]))
        bars.append(s)
    bars.setLabelsVisible(True)
    bars.setLabelsFormat("@value %")
    bars.setLabelsPosition(QHorizontalBarSeries.LabelsOutsideEnd)
    chart.addSeries(bars)
    names = QBarCategoryAxis()
    names.append(list(reversed(categories)))
    chart.addAxis(names, Qt.AlignLeft)
    bars.attachAxis(names)
    scale = QValueAxis()
    scale.setRange(0, 110)
    scale.setLabelFormat("%d %%")
    scale.setTickCount(12)
    scale.setVisible(False)
    chart.addAxis(scale, Qt.AlignBottom)
    bars.attachAxis(scale)
    chart.legend().setAlignment(Qt.AlignBottom)
    chart.legend().setVisible(len(series) > 1)
    return chart


class StatisticsPage(Page):
    title = "Statistik"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        self.report: StatisticsReport | None = None
        self.charts: dict[str, QChartView] = {}
        lay = self.page_layout()
        head = QHBoxLayout()
        head.addWidget(page_title(tr("Statistik")))
        head.addStretch(1)
        self.print_button = QPushButton(tr("Udskriv som PDF (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_pdf)
        self.export_button = export_button(self, self.export)
        head.addWidget(self.export_button)
        head.addWidget(self.print_button)
        lay.addLayout(head)
        QShortcut(QKeySequence.Print, self, self.print_pdf, context=Qt.WidgetWithChildrenShortcut)
        lay.addLayout(self._period_bar())
        self.rate = QLabel()
        self.rate.setObjectName("rtwRate")
        self.rate.setWordWrap(True)
        lay.addWidget(self.rate)
        self.visitation = hint("")
        lay.addWidget(self.visitation)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)
        self.models: dict[str, ListTableModel] = {}
        self._ready = True
        self._kind_changed()

    # -- the period ------------------------------------------------------------------------------
    def _period_bar(self) -> QHBoxLayout:
        self._ready = False
        today = self.services.statistics.today()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode:")))
        self.kind = QComboBox()
        for code, text in ((QUARTER, "Kvartal"), (YEAR, "År"), (RANGE, "Egen periode")):
            self.kind.addItem(tr(text), code)
        self.kind.setCurrentIndex(1)
        self.year = QComboBox()
        for y in range(today.year, today.year - 20, -1):
            self.year.addItem(str(y), y)
        self.quarter = QComboBox()
        for q in range(1, 5):
            self.quarter.addItem(tr("{q}. kvartal").format(q=q), q)
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit, d in ((self.start, dt.date(today.year, 1, 1)), (self.end, today)):
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setCalendarPopup(True)
            edit.setDate(QDate(d.year, d.month, d.day))
            edit.dateChanged.connect(self._period_changed)
        self.to_label = QLabel(tr("til"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.currentIndexChanged.connect(self._period_changed)
        self.quarter.currentIndexChanged.connect(self._period_changed)
        for w in (self.kind, self.year, self.quarter, self.start, self.to_label, self.end):
            bar.addWidget(w)
        self.period_label = hint("")
        self.period_label.setWordWrap(False)
        bar.addSpacing(12)
        bar.addWidget(self.period_label)
        bar.addStretch(1)
        return bar

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.year.setVisible(kind != RANGE)
        self.quarter.setVisible(kind == QUARTER)
        for w in (self.start, self.to_label, self.end):
            w.setVisible(kind == RANGE)
        self._period_changed()

    def period(self) -> tuple[dt.date, dt.date]:
        kind, year = self.kind.currentData(), self.year.currentData()
        if kind == QUARTER:
            q = self.quarter.currentData()
            start = dt.date(year, 3 * q - 2, 1)
            end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
            return start, end
        if kind == YEAR:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.start.date().toPython(), self.end.date().toPython()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """An own range (the page's period filter set from code, as a user would set it)."""
        self._ready = False
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))
        self._ready = True
        self.kind.setCurrentIndex(self.kind.findData(RANGE))
        self._period_changed()

    def _period_changed(self, *_args) -> None:
        if self._ready:
            self.refresh()

    # -- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        start, end = self.period()
        if end < start:
            self.period_label.setText(tr("Slutdatoen ligger før startdatoen."))
            return
        self.period_label.setText(f"{fmt.date(start)} – {fmt.date(end)}")
        statistics, actor = self.services.statistics, self.actor
        self.query(lambda: statistics.report(actor, start, end), self._show, key="statistics")

    def _show(self, report: StatisticsReport) -> None:
        self.report = report
        t = report.outcomes
        if t.return_rate is None:
            self.rate.setText(tr("Tilbage i arbejde: – (ingen forløb er afsluttet i perioden)."))
        else:
            self.rate.setText(tr("Tilbage i arbejde: <b>{pct} %</b> ({n} af {total} afsluttede forløb; raskmeldt "
                                 "fuld tid, deltid og a-kasse)").format(pct=t.return_rate, n=t.returned,
                                                                        total=t.closed))
        v = report.visitation
        self.visitation.setText(tr(
            "Visitation i alt: {accepted} visiteret, heraf {outside} uden for kriterierne; {rejected} ikke "
            "visiteret; {pending} afventer.").format(accepted=v.accepted, outside=v.outside_criteria,
                                                    rejected=v.rejected, pending=v.pending))
        current = self.tabs.currentIndex()
        while self.tabs.count():
            w = self.tabs.widget(0)
            self.tabs.removeTab(0)
            w.deleteLater()
        self.models.clear()
        self.charts.clear()
        self._add_tab("outcomes", tr("Tabel 2: Status ved afslutning"), outcome_sheet(t),
                      tr("Antal og procent af de afsluttede forløb i hvert kalenderkvartal (efter afslutningsdato), "
                         "afrundet til hele procent."), self._outcome_chart(report))
        self._add_tab("intake", tr("Tabel 1: Karakteristika"), intake_sheet(report),
                      tr("De {n} forløb, der er henvist i perioden.").format(n=report.intake.referred))
        self._add_tab("what_works", tr("Hvad virker for hvem"), what_works_sheet(report),
                      tr("Afsluttede forløb efter undergruppe; forløb optaget uden for kriterierne står for sig. "
                         "I arbejde: raskmeldt fuld tid, deltid eller a-kasse. WHO-5: forløb med mindst to målinger."),
                      self._what_works_chart(report))
        totals, per_case = fidelity_sheets(report)
        self._add_tab("fidelity", tr("Troskab mod modellen"), totals,
                      tr("TTA-modellens fem komponenter ud fra, hvad de afsluttede forløb indeholder.")
                      + (tr(" Listen pr. forløb viser kun forløb, du er tilknyttet; {n} andre er talt med "
                            "i tallene.").format(n=report.fidelity.not_listed) if report.fidelity.not_listed else ""),
                      extra=per_case)
        self.tabs.setCurrentIndex(max(current, 0))

    def _add_tab(self, key: str, title: str, sheet: Sheet, text: str, chart: QChartView | None = None, *,
                 extra: Sheet | None = None) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 10, 0, 0)
        lay.addWidget(hint(text))
        row = QHBoxLayout()
        self.models[key], view = sheet_view(sheet)
        view.setObjectName(key)
        row.addWidget(view, 1, Qt.AlignTop)
        if extra is not None:
            self.models[f"{key}_cases"], cases = sheet_view(extra)
            cases.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Expanding)
            row.addWidget(cases)
        if chart is not None:
            row.addWidget(chart)
        lay.addLayout(row, 1)
        self.tabs.addTab(page, title)

    def _chart_view(self, key: str, chart: QChart) -> QChartView:
        view = QChartView(chart)
        view.setRenderHint(QPainter.Antialiasing)
        view.setMinimumSize(250, 300)
        view.setMaximumWidth(320)
        self.charts[key] = view
        return view

    def _outcome_chart(self, report: StatisticsReport) -> QChartView | None:
        t = report.outcomes
        if not t.closed:
            return None
        shown = [i for i, n in enumerate(t.closed_per_quarter) if n][-1:]   # the latest quarter beside the whole
        series = [(t.quarters[i], [r.quarters[i].percent for r in t.rows]) for i in shown]
        series.append((tr("Hele perioden"), [r.total.percent for r in t.rows]))
        chart = bar_chart(tr("Status ved afslutning, procent"),
                          [tr(CHART_LABELS.get(r.code, r.label)) for r in t.rows], series)
        return self._chart_view("outcomes", chart)

    def _what_works_chart(self, report: StatisticsReport) -> QChartView | None:
        rows = [r for r in [*report.what_works.rows, report.what_works.outside_criteria] if r.closed]
        if not rows:
            return None
        chart = bar_chart(tr("I arbejde, procent"), [r.label.split(" ", 1)[0].rstrip(".") if r.label[0].isdigit()
                                                     else r.label for r in rows],
                          [(tr("Efter 12 mdr."), [r.follow_ups[12].percent for r in rows]),
                           (tr("Ved afslutning"), [r.returned_percent for r in rows])])
        font = QFont(chart.titleFont())
        font.setBold(True)
        chart.setTitleFont(font)
        return self._chart_view("what_works", chart)

    # -- print and export -------------------------------------------------------------------------
    def _file_name(self, suffix: str) -> str:
        start, end = self.period()
        return f"Statistik {start:%Y-%m-%d} til {end:%Y-%m-%d}{suffix}"

    def print_pdf(self) -> None:
        """The statistics report in the print preview (print or save as PDF from there)."""
        start, end = self.period()
        statistics, actor = self.services.statistics, self.actor
        self.preview = open_print_preview(
            self, title=tr("Statistik"), make_pdf=lambda: statistics.report_pdf(actor, start, end),
            log_print=lambda how: statistics.log_report_print(actor, start, end, how),
            file_name=self._file_name(".pdf"))
        self.preview.done.connect(self.status)

    def export(self, fmt_code: str) -> None:
        path = ask_export_path(self, tr("Eksportér statistik"), self._file_name(""), fmt_code)
        if path is not None:
            self._save(path, fmt_code)

    def _save(self, path, fmt_code: str) -> None:
        start, end = self.period()
        statistics, actor = self.services.statistics, self.actor
        self.write(lambda: statistics.export_report(actor, start, end, path, fmt_code),
                   lambda _r: self.status.emit(saved_message(path)),
                   disable=[self.print_button, self.export_button])
