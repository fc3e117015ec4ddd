"""Choosing where a document is saved: the user's documents folder, in Danish, with a confirmation
that says where the file went."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

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
