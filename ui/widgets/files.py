"""Choosing where a document is saved: the user's documents folder, in Danish, with a confirmation
that says where the file went."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMenu, QPushButton, QWidget

from ui.i18n import tr


def documents_folder() -> Path:
    """The folder used last for a saved document, else the user's documents folder."""
    last = QSettings().value("files/lastFolder")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return Path(docs) if docs else Path.home()


def ask_save_path(parent: QWidget | None, title: str, suggested_name: str, *, filter_text: str = "PDF (*.pdf)",
                  suffix: str = ".pdf") -> Path | None:
    """Ask where to save; None when the user cancels. Remembers the folder for next time."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(documents_folder() / suggested_name), filter_text)
    if not path:
        return None
    chosen = Path(path)
    if chosen.suffix.lower() != suffix:
        chosen = chosen.with_name(chosen.name + suffix)
    QSettings().setValue("files/lastFolder", str(chosen.parent))
    return chosen


def saved_message(path: Path) -> str:
    """The status-bar confirmation after saving a document."""
    return tr("Gemt som {name} i {folder}").format(name=path.name, folder=str(path.parent))


EXPORT_FORMATS = {"csv": ("CSV (*.csv)", ".csv"), "xlsx": ("Excel (*.xlsx)", ".xlsx")}


def export_button(parent: QWidget, on_export) -> QPushButton:
    """"Eksportér" with a menu of the spreadsheet formats; ``on_export("csv" | "xlsx")``."""
    button = QPushButton(tr("Eksportér"), parent)
    menu = QMenu(button)
    menu.addAction(tr("Som CSV…"), lambda: on_export("csv"))
    menu.addAction(tr("Som Excel…"), lambda: on_export("xlsx"))
    button.setMenu(menu)
    return button


def ask_export_path(parent: QWidget | None, title: str, stem: str, fmt: str) -> Path | None:
    """Where to save a CSV or Excel export (``fmt``); None when the user cancels."""
    filter_text, suffix = EXPORT_FORMATS[fmt]
    return ask_save_path(parent, title, stem + suffix, filter_text=filter_text, suffix=suffix)
