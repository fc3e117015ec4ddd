"""Scores over time: one small Qt chart per instrument (WHO-5 0-100, MDI 0-50), its bands shaded.

Each chart draws the instrument's results by date as a line with points, over horizontal bands in
light colours whose names are in the legend (a band is never told by colour alone). Two charts rather
than one with two scales: a WHO-5 band and an MDI band never overlap on the same background.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.instruments import Instrument
from ui.i18n import tr

# From the worst band to the best: light red, amber, green, and a deeper red for a fourth band.
_BAD_TO_GOOD = ("#f4c7c3", "#fde3b5", "#d8ecd0")
_MDI_COLOURS = ("#d8ecd0", "#fde3b5", "#f8d0b0", "#f4c7c3")
LINE = QColor("#1f5f8b")


def _ms(d: dt.date) -> float:
    return float(QDateTime(d, dt.time(12, 0)).toMSecsSinceEpoch())


class ScoreChart(QChartView):
    """One instrument's results by date over its shaded bands."""

    def __init__(self, instrument: Instrument, colours: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.instrument = instrument
        self.colours = list(colours)
        self.setObjectName("chart_" + instrument.code)
        self.setRenderHint(QPainter.Antialiasing)
        self.setMinimumHeight(260)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.points: list[tuple[dt.date, float]] = []
        chart = QChart()   # one chart for the view's life; its series and axes are replaced
        chart.setTitle(tr(instrument.name))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignBottom)  # the bands' names whole, under the plot's full width
        chart.legend().setFont(self.font())
        self.x = QDateTimeAxis()
        self.x.setFormat("dd-MM-yy")
        self.y = QValueAxis()
        self.y.setRange(instrument.low, instrument.high)
        self.y.setLabelFormat("%d")
        self.y.setTickCount(6)
        chart.addAxis(self.x, Qt.AlignBottom)
        chart.addAxis(self.y, Qt.AlignLeft)
        self.setChart(chart)
        self.set_points([])

    def set_points(self, points: Iterable[tuple[dt.date, float]]) -> None:
        self.points = sorted(points)
        chart, x, y = self.chart(), self.x, self.y
        chart.removeAllSeries()
        if self.points:
            first, last = self.points[0][0], self.points[-1][0]
        else:
            first = last = dt.date.today()
        pad = max(3, (last - first).days // 20)
        lo, hi = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
        x.setRange(QDateTime(lo, dt.time(0, 0)), QDateTime(hi, dt.time(0, 0)))
        x.setTickCount(min(4, max(2, len({d for d, _ in self.points}))))   # dates never cut short
        bottom = self.instrument.low
        for band, colour in zip(self.instrument.bands, self.colours, strict=False):
            # The boundary lines are the area's children: a QAreaSeries does not own them.
            area = QAreaSeries()
            lower, upper = QLineSeries(area), QLineSeries(area)
            for d in (lo, hi):
                lower.append(_ms(d), bottom)
                upper.append(_ms(d), band.upper)
            area.setUpperSeries(upper)
            area.setLowerSeries(lower)
            area.setName(tr(band.label))
            area.setBrush(QBrush(QColor(colour)))
            area.setPen(QPen(Qt.NoPen))
            chart.addSeries(area)
            area.attachAxis(x)
            area.attachAxis(y)
            bottom = band.upper
        line = QLineSeries()
        line.setName(tr("Resultat"))
        line.setPen(QPen(LINE, 2))
        line.setPointsVisible(True)
        line.setPointLabelsVisible(True)
        line.setPointLabelsFormat("@yPoint")
        for d, value in self.points:
            line.append(_ms(d), value)
        chart.addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)


class ScoreCharts(QWidget):
    """WHO-5 above MDI, and a line saying what to do when there are no results."""

    def __init__(self, instruments: Sequence[Instrument], parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.charts = {i.code: ScoreChart(i, _MDI_COLOURS if len(i.bands) == 4 else _BAD_TO_GOOD, self)
                       for i in instruments}
        for c in self.charts.values():
            lay.addWidget(c, 1)
        self.empty = QLabel(tr("Ingen udfyldte WHO-5 eller MDI endnu. Resultaterne vises her, når en udredning "
                               "med testene er gemt."), self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)

    def set_points(self, points: Iterable) -> None:
        """``points``: objects with ``taken_on``, ``instrument`` and ``score``."""
        points = list(points)
        for code, chart in self.charts.items():
            chart.set_points((p.taken_on, p.score) for p in points if p.instrument == code)
            chart.setVisible(bool(points))
        self.empty.setVisible(not points)
