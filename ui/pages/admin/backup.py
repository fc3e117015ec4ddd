"""Administration › Sikkerhedskopi: the last verified backup, the kept ones, the folder they go to,
warnings (none for 7 days, the same disk as the database, a synced or network folder), and a
backup now. Backups are also taken after each working day's first login and when the app closes."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.services import Actor, Services
from ui import fmt
from ui.errors import form_errors
from ui.i18n import tr
from ui.pages.admin.tab import TEXT_WIDTH, AdminTab
from ui.tasks import runner
from ui.widgets.common import hint, section_title
from ui.widgets.forms import ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table

FOLDER_KEY = "backup_folder"


class BackupTab(AdminTab):
    title = "Sikkerhedskopi"

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        self._version: int | None = None   # the folder setting's version as loaded; None until loaded
        lay = self.tab_layout(tr(
            "Programmet tager en kontrolleret sikkerhedskopi af databasen efter dagens første login og når det "
            "lukkes. Hver kopi kontrolleres (integrity_check og antal rækker), før den gemmes; der gemmes 7 "
            "daglige, 4 ugentlige og 12 månedlige. En krypteret database kopieres krypteret sammen med sin "
            "nøglefil."))
        self.last = QLabel("")
        self.last.setObjectName("lastBackup")
        self.last.setWordWrap(True)
        self.last.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(self.last)
        self.warnings = QLabel("")
        self.warnings.setObjectName("backupWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setMaximumWidth(TEXT_WIDTH)
        self.warnings.setStyleSheet("color: #9a3412; background: #fff7ed; border: 1px solid #fdba74; "
                                    "border-radius: 4px; padding: 8px;")
        lay.addWidget(self.warnings)
        row = QHBoxLayout()
        self.backup_button = QPushButton(tr("Tag sikkerhedskopi nu"))
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.backup_now)
        row.addWidget(self.backup_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addSpacing(10)
        lay.addWidget(section_title(tr("Mappe til sikkerhedskopier")))
        folder_row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("backupFolder")
        self.folder.setPlaceholderText(tr("tom: mappen »sikkerhedskopier« ved siden af databasen"))
        self.folder.setMinimumWidth(420)
        folder_row.addWidget(self.folder)
        choose = QPushButton(tr("Vælg mappe…"))
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(choose)
        self.save_button = QPushButton(tr("Gem mappe"))
        self.save_button.clicked.connect(self.save_folder)
        folder_row.addWidget(self.save_button)
        folder_row.addStretch(1)
        lay.addLayout(folder_row)
        lay.addWidget(hint(tr("Vælg helst en mappe på en anden disk (fx et USB-drev eller et netværksdrev til "
                              "kopier), så en diskfejl ikke tager både databasen og kopierne.")))
        self.errors = ErrorPanel()
        self.errors.setMaximumWidth(TEXT_WIDTH)
        lay.addWidget(self.errors)
        lay.addWidget(section_title(tr("Gemte sikkerhedskopier")))
        self.model = ListTableModel([tr("Taget"), tr("Fil")])
        self.view = make_table(self.model, [150, 500])
        lay.addWidget(self.view, 1)
        self.refresh()

    def refresh(self) -> None:
        backup, settings, actor = self.services.backup, self.services.settings, self.actor
        runner().query(lambda: (backup.status(actor), settings.read([FOLDER_KEY])), self._show, parent=self,
                       key=f"backup:{id(self)}")

    def _show(self, result) -> None:
        status, stored = result
        setting = stored.values[FOLDER_KEY]
        if status.last is not None:
            self.last.setText(tr("<b>Seneste kontrollerede sikkerhedskopi:</b> {when} ({rows} rækker)<br>{path}")
                              .format(when=fmt.datetime_local(status.last.taken_at),
                                      rows=fmt.number(status.last.rows, 0), path=str(status.last.path)))
        elif status.backend == "sqlite":
            self.last.setText(tr("<b>Seneste kontrollerede sikkerhedskopi:</b> ingen endnu"))
        else:
            self.last.setText(tr("<b>Databasen er en PostgreSQL-server.</b>"))
        self.warnings.setText("\n\n".join("⚠ " + w for w in status.warnings))
        self.warnings.setVisible(bool(status.warnings))
        if not self.folder.isModified():
            self.folder.setText(setting or "")
            self._version = stored.versions[FOLDER_KEY]   # the folder shown is saved against it
        self.model.set_rows([[fmt.datetime_local(b.taken_at), b.path.name] for b in status.kept])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Mappe til sikkerhedskopier"), self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.folder.setModified(True)

    def save_folder(self) -> None:
        self.errors.clear_errors()
        settings, actor, value = self.services.settings, self.actor, self.folder.text().strip()
        versions = {FOLDER_KEY: self._version}

        def saved(new_versions):
            self._version = new_versions[FOLDER_KEY]
            self.folder.setModified(False)
            self.status.emit(tr("Mappen til sikkerhedskopier er gemt."))
            self.refresh()
        runner().write(lambda: settings.save(actor, {FOLDER_KEY: value}, expected_versions=versions), saved,
                       parent=self,
                       disable=self.save_button,
                       on_error=form_errors(self.errors, {"backup_folder": self.folder}, parent=self))

    def backup_now(self) -> None:
        backup, actor = self.services.backup, self.actor

        def done(info):
            self.status.emit(tr("Sikkerhedskopien er taget og kontrolleret: {path}").format(path=str(info.path)))
            self.refresh()
        runner().write(lambda: backup.take(actor), done, parent=self, disable=self.backup_button)

    def has_unsaved_changes(self) -> bool:
        return self.folder.isModified()
