"""Administration › Kataloger: the lists users choose from (interventions, outcomes, reasons ...).

Items are never deleted: a deactivated item cannot be chosen any more, but the cases that have it
keep it, so history reads the same as when it was written."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.services import Actor, Services
from app.services.admin import CatalogRow
from ui.dialogs.action import ActionDialog
from ui.errors import ask, show_error
from ui.i18n import label, tr
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.simple_table import ListTableModel, make_table

# The catalogues by their code (db.codes.CATALOG_KINDS), as an administrator knows them.
CATALOG_LABELS = {
    "intervention": "Indsatser",
    "outcome": "Afslutningsstatus",
    "other_reason": "Årsager ved status 'andet'",
    "subgroup": "Undergrupper",
    "absence_reason": "Årsager til fravær",
    "rejection_reason": "Årsager til afslag ved visitation",
    "next_effort": "Anbefalet næste indsats",
}


def _same_label(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


class CatalogItemDialog(ActionDialog):
    """One item's label: a new item of a catalogue, or a new name for an existing one."""

    def __init__(self, services: Services, actor: Actor, *, kind: str, existing: list[CatalogRow],
                 item: CatalogRow | None = None, parent: QWidget | None = None):
        super().__init__(services, actor, 0, parent)
        self.kind, self.existing, self.item = kind, existing, item
        catalog = label(CATALOG_LABELS, kind)
        self.ok_text = "Omdøb" if item else "Tilføj"
        self.setWindowTitle(tr("Omdøb – {catalog}").format(catalog=catalog) if item
                            else tr("Tilføj til {catalog}").format(catalog=catalog))
        self.setMinimumWidth(520)
        edit = QLineEdit(item.label if item else "")
        edit.setMaxLength(200)
        # A new item's code is made from its label; a clash is reported as a clash of labels.
        self.fields["label"] = edit
        self.fields["code"] = edit
        self.form.addRow(tr("Betegnelse *"), edit)
        if item is not None:
            self.outer.addWidget(hint(tr("Det nye navn vises også på de forløb, der allerede har punktet.")))
        self.finish_layout()

    def prepare(self) -> Callable[[], CatalogRow]:
        text = self.fields["label"].text()
        clash = next((i for i in self.existing if _same_label(i.label, text)
                      and (self.item is None or i.id != self.item.id)), None)
        if clash is not None:
            rule = tr("findes allerede i kataloget") if clash.active else tr(
                "findes allerede i kataloget som deaktiveret; aktivér det i stedet")
            raise ValidationError("label", rule, label=tr("Betegnelse"))
        catalog, actor, item, kind = self.services.catalog, self.actor, self.item, self.kind
        if item is None:
            return lambda: catalog.add_item(actor, kind, text)
        return lambda: catalog.update_item(actor, item.id, expected_version=item.version, label=text,
                                           active=item.active)


class CatalogsTab(QWidget):
    title = "Kataloger"
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.items: list[CatalogRow] = []
        self.dialog: ActionDialog | None = None
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Katalog")))
        self.kind = QComboBox()
        for code in CATALOG_LABELS:
            self.kind.addItem(label(CATALOG_LABELS, code), code)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.kind)
        bar.addSpacing(12)
        self.add_button = QPushButton(tr("Tilføj…"))
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_item)
        self.rename_button = QPushButton(tr("Omdøb…"))
        self.rename_button.clicked.connect(self.rename_item)
        self.active_button = QPushButton(tr("Deaktivér…"))
        self.active_button.clicked.connect(self.toggle_item)
        for b in (self.add_button, self.rename_button, self.active_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.model = ListTableModel([tr("Betegnelse"), tr("Status")])
        self.view = make_table(self.model)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.view.doubleClicked.connect(lambda _i: self.rename_item())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        lay.addWidget(self.view, 1)
        lay.addWidget(hint(tr("Deaktiverede punkter kan ikke vælges fremover, men bevares på de forløb, der "
                              "allerede har dem. Punkter slettes aldrig.")))
        self._update_buttons()
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        """Load the chosen catalogue; keep the selected item (or select ``select_id``)."""
        catalog, kind = self.services.catalog, self.kind.currentData()
        runner().query(lambda: catalog.items(kind, include_inactive=True),
                       lambda items: self._show(items, select_id), parent=self, key=f"{id(self)}:items")

    def _show(self, items: list[CatalogRow], select_id: int | None) -> None:
        selected = self.selected()
        keep = select_id if select_id is not None else (selected.id if selected else None)
        self.items = items
        self.model.set_rows([[i.label, tr("Aktiv") if i.active else tr("Deaktiveret")] for i in items],
                            [i.id for i in items])
        if keep in self.model.keys:
            self.view.selectRow(self.model.keys.index(keep))
        self._update_buttons()

    def selected(self) -> CatalogRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def select_label(self, text: str) -> None:
        """Select the item with this label (as a click on its row would)."""
        for row, item in enumerate(self.items):
            if item.label == text:
                self.view.selectRow(row)

    def _update_buttons(self) -> None:
        item = self.selected()
        self.rename_button.setEnabled(item is not None)
        self.active_button.setEnabled(item is not None)
        self.active_button.setText(tr("Aktivér") if item is not None and not item.active else tr("Deaktivér…"))

    # -- actions -------------------------------------------------------------------------------
    def _open(self, dlg: CatalogItemDialog, done_text: str) -> None:
        self.dialog = dlg
        dlg.accepted.connect(lambda: self._saved(dlg.result_value, done_text))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()

    def add_item(self) -> None:
        self._open(CatalogItemDialog(self.services, self.actor, kind=self.kind.currentData(), existing=self.items,
                                     parent=self), tr("'{label}' er tilføjet til {catalog}."))

    def rename_item(self) -> None:
        item = self.selected()
        if item is not None:
            self._open(CatalogItemDialog(self.services, self.actor, kind=self.kind.currentData(),
                                         existing=self.items, item=item, parent=self),
                       tr("Punktet hedder nu '{label}'."))

    def _saved(self, item: CatalogRow, text: str) -> None:
        self.status.emit(text.format(label=item.label, catalog=self.kind.currentText()))
        self.refresh(select_id=item.id)

    def toggle_item(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.active and not ask(self, tr("Deaktivér katalogpunkt?"), tr(
                "'{label}' kan ikke længere vælges fremover.\n\nForløb, der allerede har punktet, beholder det, "
                "og det kan aktiveres igen senere.").format(label=item.label), yes=tr("Deaktivér")):
            return
        catalog, actor, active = self.services.catalog, self.actor, not item.active
        runner().write(lambda: catalog.update_item(actor, item.id, expected_version=item.version, label=item.label,
                                                   active=active),
                       self._toggled, parent=self, disable=self.active_button,
                       on_error=lambda exc: show_error(self, exc, on_conflict=self.refresh))

    def _toggled(self, item: CatalogRow) -> None:
        text = tr("'{label}' er aktiveret igen.") if item.active else tr(
            "'{label}' er deaktiveret; eksisterende forløb beholder punktet.")
        self.status.emit(text.format(label=item.label))
        self.refresh(select_id=item.id)

    def has_unsaved_changes(self) -> bool:
        return False
