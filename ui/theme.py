"""One calm light palette with one accent colour, on Qt's Fusion style."""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#1f5f8b"
ACCENT_LIGHT = "#e3eef6"
DANGER = "#a4262c"

STYLESHEET = f"""
QWidget {{ font-size: 10pt; }}
QListWidget#nav {{ background: #f3f5f7; border: none; border-right: 1px solid #d8dde2; padding-top: 8px; }}
QListWidget#nav::item {{ padding: 9px 14px; border-radius: 4px; margin: 1px 6px; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#nav::item:hover:!selected {{ background: {ACCENT_LIGHT}; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: #1b2a38; }}
QLabel#hint {{ color: #5a6672; }}
QLabel#error {{ color: {DANGER}; font-weight: 600; }}
QFrame#card {{ background: white; border: 1px solid #d8dde2; border-radius: 6px; }}
QLabel#cardValue {{ font-size: 20pt; font-weight: 600; color: {ACCENT}; }}
QLabel#cardLabel {{ color: #5a6672; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; padding: 6px 16px; border-radius: 4px; }}
QPushButton#primary:disabled {{ background: #9fb3c4; }}
QTableView {{ gridline-color: #e6e9ec; selection-background-color: {ACCENT}; }}
QHeaderView::section {{ background: #f3f5f7; padding: 9px 6px 4px 6px; border: none;
                        border-bottom: 1px solid #d8dde2; font-weight: 600; }}
"""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.Window, QColor("#fafbfc"))
    pal.setColor(QPalette.Base, QColor("#ffffff"))
    pal.setColor(QPalette.AlternateBase, QColor("#f6f8fa"))
    pal.setColor(QPalette.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.Button, QColor("#f3f5f7"))
    pal.setColor(QPalette.Text, QColor("#1b2a38"))
    pal.setColor(QPalette.WindowText, QColor("#1b2a38"))
    app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
