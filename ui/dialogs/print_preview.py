"""Udskrift: the one preview every printed document of the app goes through.

``open_print_preview(parent, title=..., make_pdf=..., log_print=..., file_name=...)`` shows the PDF
that ``make_pdf`` (run on the worker) returns, with "Udskriv…" (the system print dialog, Ctrl+P) and
"Gem som PDF…". When the document has left the program, ``log_print(how)`` runs on the worker with
``how`` = "printer" or "pdf <file name>", so the access log records it; a preview alone is not a print.

The printer step is ``ask_printer`` (module level): the system dialog in the app, replaced in tests
by a ``QPrinter`` that writes a PDF file, since a system dialog cannot be shown there.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.errors import show_error
from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.files import ask_save_path, saved_message


def ask_printer(parent: QWidget) -> QPrinter | None:
    """The system print dialog; the printer chosen, or None when the user cancels."""
    printer = QPrinter(QPrinter.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Udskriv"))
    return printer if dialog.exec() == QDialog.Accepted else None


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    """Draw every page of ``document`` on ``printer``, each scaled to fit the printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr("Printeren kunne ikke startes."))
    try:
        dpi = printer.resolution()
        area = printer.pageRect(QPrinter.DevicePixel).toRect()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            size = size.scaled(area.size(), Qt.KeepAspectRatio)
            image = document.render(page, size)
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()


class PrintPreviewDialog(QDialog):
    """The preview of one document; see the module docstring. ``done`` carries the confirmation
    ("Sendt til printeren." / "Gemt som ...") for whoever opened it (a status bar)."""

    done = Signal(str)

    def __init__(self, parent: QWidget | None, *, title: str, make_pdf: Callable[[], bytes],
                 log_print: Callable[[str], None], file_name: str):
        super().__init__(parent)
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.make_pdf, self.log_print, self.file_name = make_pdf, log_print, file_name
        self.data: bytes | None = None
        self.printed: list[str] = []        # how the document left the program, in order
        self.setWindowTitle(tr("Udskrift – {title}").format(title=title))
        self.resize(820, 900)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        lay.addWidget(heading)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        lay.addWidget(self.view, 1)
        bar = QHBoxLayout()
        self.state = hint(tr("Udskriften laves …"))
        self.state.setWordWrap(True)
        bar.addWidget(self.state, 1)
        self.print_button = QPushButton(tr("Udskriv…"))
        self.print_button.setObjectName("primary")
        self.print_button.setToolTip(tr("Vælg printer (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_now)
        self.save_button = QPushButton(tr("Gem som PDF…"))
        self.save_button.clicked.connect(self.save_pdf)
        close = QPushButton(tr("Luk"))
        close.clicked.connect(self.reject)
        for b in (self.print_button, self.save_button, close):
            b.setAutoDefault(False)
            bar.addWidget(b)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        lay.addLayout(bar)
        QShortcut(QKeySequence.Print, self, activated=self.print_now)
        self._buffer: QBuffer | None = None
        runner().query(make_pdf, self._show, parent=self, on_error=self._failed)

    def _show(self, data: bytes) -> None:
        self.data = data
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.ReadOnly)
        self.document.load(self._buffer)
        pages = self.document.pageCount()
        self.state.setText(tr("1 side") if pages == 1 else tr("{n} sider").format(n=pages))
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.state.setText(tr("Udskriften kunne ikke laves."))
        show_error(self, exc)
        self.reject()

    def print_now(self) -> None:
        if self.data is None or not self.print_button.isEnabled():
            return
        printer = ask_printer(self)
        if printer is None:
            return
        try:
            print_document(self.document, printer)
        except OSError as exc:
            show_error(self, exc)
            return
        self._log("printer", tr("Sendt til printeren."))

    def save_pdf(self) -> None:
        if self.data is None:
            return
        path = ask_save_path(self, tr("Gem som PDF"), self.file_name)
        if path is None:
            return
        data = self.data

        def save() -> Path:
            from app.printing.templates import write_pdf
            return write_pdf(path, data)
        runner().write(save, lambda p: self._log(f"pdf {p.name}", saved_message(p)), parent=self,
                       disable=self.save_button, on_error=lambda exc: show_error(self, exc))

    def _log(self, how: str, text: str) -> None:
        self.printed.append(how)
        self.state.setText(text)
        self.done.emit(text)
        log = self.log_print
        runner().write(lambda: log(how), None, parent=self, disable=[],
                       on_error=lambda exc: show_error(self, exc))


def open_print_preview(parent: QWidget | None, *, title: str, make_pdf: Callable[[], bytes],
                       log_print: Callable[[str], None], file_name: str) -> PrintPreviewDialog:
    """Open the preview (non-modal) and return it."""
    dialog = PrintPreviewDialog(parent, title=title, make_pdf=make_pdf, log_print=log_print, file_name=file_name)
    dialog.show()
    return dialog
