"""Administration → Import: earlier cases from a CSV or Excel file (docs/import.md).

Choose a file, see its first rows and every row's problems (the service's dry run), then import all
rows, or the valid rows only; the import runs as a job with a progress bar and a cancel button.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton

from app.services.importing import ImportCheck, ImportResult
from ui.errors import ask, show_error
from ui.i18n import tr
from ui.pages.admin.tab import AdminTab
from ui.tasks import runner
from ui.widgets.common import section_title
from ui.widgets.files import documents_folder
from ui.widgets.simple_table import NO_STRETCH, ListTableModel, make_table


class ImportTab(AdminTab):
    title = "Import"

    def __init__(self, services, actor, parent=None):
        super().__init__(services, actor, parent)
        self.path: Path | None = None
        self.check: ImportCheck | None = None
        lay = self.tab_layout(tr(
            "Indlæs tidligere forløb fra en CSV-fil (UTF-8, adskilt med semikolon eller komma) eller en Excel-fil. "
            "Kolonnerne er beskrevet i docs/import.md. Filen kontrolleres først; intet importeres, før du vælger det."))
        row = QHBoxLayout()
        self.choose = QPushButton(tr("Vælg fil…"))
        self.choose.clicked.connect(self.choose_file)
        self.file_label = QLabel(tr("Ingen fil valgt."))
        row.addWidget(self.choose)
        row.addWidget(self.file_label, 1)
        lay.addLayout(row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        lay.addWidget(section_title(tr("De første rækker")))
        self.preview = ListTableModel([])
        self.preview_view = make_table(self.preview, stretch=NO_STRETCH, sortable=False)
        self.preview_view.setMaximumHeight(200)
        lay.addWidget(self.preview_view)
        lay.addWidget(section_title(tr("Fejl")))
        self.problems = ListTableModel([tr("Række"), tr("Kolonne"), tr("Fejl")])
        lay.addWidget(make_table(self.problems, sortable=False), 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_valid = QPushButton(tr("Importér de gyldige rækker"))
        self.import_valid.clicked.connect(lambda: self.run_import(valid_only=True))
        self.import_all = QPushButton(tr("Importér"))
        self.import_all.setObjectName("primary")
        self.import_all.clicked.connect(lambda: self.run_import(valid_only=False))
        buttons.addWidget(self.import_valid)
        buttons.addWidget(self.import_all)
        lay.addLayout(buttons)
        self._show_check(None)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Vælg fil med forløb"), str(documents_folder()),
                                              tr("CSV eller Excel (*.csv *.xlsx)"))
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Check ``path`` (the dry run) and show its first rows and problems."""
        self.path = path
        self.file_label.setText(str(path))
        importing, actor = self.services.importing, self.actor
        runner().query(lambda: importing.check_file(actor, path), self._show_check, parent=self,
                       on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._show_check(None)
        show_error(self, exc)

    def _show_check(self, check: ImportCheck | None) -> None:
        self.check = check
        if check is None:
            self.summary.setText(tr("Vælg en fil for at se, hvad den indeholder."))
            self.preview.set_rows([], headers=[])
            self.problems.set_rows([])
            self.import_all.setEnabled(False)
            self.import_valid.setEnabled(False)
            return
        width = len(check.header)
        self.preview.set_rows([(r + [""] * width)[:width] for r in check.preview], headers=check.header)
        self.problems.set_rows([[str(p.row), p.column, p.message] for p in check.problems])
        text = tr("{rows} rækker, {valid} gyldige, {bad} med fejl.").format(
            rows=check.rows, valid=check.valid_rows, bad=len(check.refused_rows))
        if check.unknown_columns:
            text += " " + tr("Ukendte kolonner ignoreres: {c}.").format(c=", ".join(check.unknown_columns))
        if check.file_error:
            text += " " + tr("Filen mangler kolonner og kan ikke importeres.")
        self.summary.setText(text)
        self.import_all.setEnabled(bool(check.rows) and not check.problems)
        self.import_valid.setEnabled(bool(check.valid_rows) and bool(check.problems) and not check.file_error)

    def run_import(self, *, valid_only: bool) -> None:
        if self.path is None or self.check is None:
            return
        if valid_only and not ask(self, tr("Importér de gyldige rækker"), tr(
                "Importér {n} gyldige rækker? De {bad} rækker med fejl springes over.").format(
                n=self.check.valid_rows, bad=len(self.check.refused_rows)), yes=tr("Importér")):
            return
        importing, actor, path = self.services.importing, self.actor, self.path
        runner().job(lambda state: importing.import_file(actor, path, valid_only=valid_only, progress=state),
                     self._imported, title=tr("Importerer forløb…"), parent=self, on_error=self._failed)

    def _imported(self, result: ImportResult) -> None:
        self._show_check(result.check)
        self.import_all.setEnabled(False)
        self.import_valid.setEnabled(False)
        self.status.emit(tr("{n} forløb importeret ({linked} til kendte borgere).").format(
            n=result.imported, linked=result.linked))
