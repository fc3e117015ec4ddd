"""One calm light palette with one accent colour, on Qt's Fusion style.

A card that opens something (``Card.set_target``) has the property ``clickable``: it gets a hover
background and a focus border; its link text says in words what it opens, so colour is never the
only sign.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#1f5f8b"
ACCENT_LIGHT = "#e3eef6"
DANGER = "#a4262c"

STYLESHEET = f"""
QWidget {{ font-size: 10pt; }}
QListWidget#nav {{ background: #f3f5f7; border: none; border-right: 1px solid #d8dde2; padding-top: 8px;
                  outline: none; }}
QListWidget#nav::item {{ padding: 9px 14px; border-radius: 4px; margin: 1px 6px; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#nav::item:hover:!selected {{ background: {ACCENT_LIGHT}; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: #1b2a38; }}
QLabel#hint {{ color: #5a6672; }}
QLabel#error {{ color: {DANGER}; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: 11pt; font-weight: 600; color: #1b2a38; }}
QLabel#emptyState {{ color: #5a6672; font-size: 11pt; }}
QLabel#rtwRate {{ font-size: 12pt; }}
QFrame#card {{ background: white; border: 1px solid #d8dde2; border-radius: 6px; }}
QFrame#card[clickable="true"]:hover {{ background: {ACCENT_LIGHT}; border-color: {ACCENT}; }}
QFrame#card[clickable="true"]:focus {{ border: 2px solid {ACCENT}; }}
QLabel#cardValue {{ font-size: 20pt; font-weight: 600; color: {ACCENT}; }}
QLabel#cardValueSmall {{ font-size: 12pt; font-weight: 600; color: {ACCENT}; min-width: 2.2em; }}
QLabel#cardLabel {{ color: #3d4955; }}
QLabel#cardLink {{ color: {ACCENT}; font-weight: 600; }}
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
