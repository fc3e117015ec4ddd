"""A small chart of a gradual return: planned hours per week as bars, actual hours as a line, the
contract hours as a dashed line. Numbers are in the table beside it; the chart shows the shape."""
from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ui.i18n import tr

PLANNED = QColor("#9dbcd4")
ACTUAL = QColor("#1f5f8b")
CONTRACT = QColor("#8a8a8a")


class HoursChart(QChartView):
    """``set_weeks(planned, actual, contract)``: lists per week (actual None for a week not yet reported)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRenderHint(QPainter.Antialiasing)
        self.setMinimumHeight(190)
        self.planned: list[float] = []
        self.actual: list[float | None] = []
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignBottom)
        chart.setBackgroundRoundness(0)
        self.setChart(chart)

    def set_weeks(self, planned: list[float], actual: list[float | None], contract: float | None) -> None:
        self.planned, self.actual = list(planned), list(actual)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        if not planned:
            chart.setTitle(tr("Ingen uger med gradvis tilbagevenden"))
            return
        chart.setTitle("")
        bars = QBarSet(tr("Planlagt"))
        bars.setColor(PLANNED)
        bars.append([float(h) for h in planned])
        bar_series = QBarSeries()
        bar_series.append(bars)
        chart.addSeries(bar_series)
        weeks = [tr("Uge {n}").format(n=n) for n in range(1, len(planned) + 1)]
        x = QBarCategoryAxis()
        x.append(weeks)
        top = max([*planned, *(a for a in actual if a is not None), contract or 0]) or 1
        y = QValueAxis()
        y.setRange(0, top * 1.1)
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        y.setTitleText(tr("timer"))
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        bar_series.attachAxis(x)
        bar_series.attachAxis(y)
        done = QLineSeries()
        done.setName(tr("Faktisk"))
        done.setPen(QPen(ACTUAL, 2.5))
        done.setPointsVisible(True)
        for i, a in enumerate(actual):
            if a is not None:
                done.append(QPointF(i, a))
        lines = [done]
        if contract:
            normal = QLineSeries()
            normal.setName(tr("Normal arbejdstid"))
            normal.setPen(QPen(CONTRACT, 1.2, Qt.DashLine))
            normal.append([QPointF(-0.5, contract), QPointF(len(planned) - 0.5, contract)])
            lines.append(normal)
        for series in lines:
            chart.addSeries(series)
            series.attachAxis(x)
            series.attachAxis(y)
