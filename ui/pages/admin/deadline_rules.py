"""Administration › Fristregler: the deadline rules as data. Each rule set is in force from its date
until the next set's; a rule has a text, its numbers and its legal source. When the law changes, the
administrator adds a rule set from the date it takes effect (a copy of the set in force that day) and
edits its rules: every open case follows at once, deadlines already completed stay as they were."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.errors import ValidationError
from ui import fmt
from ui.errors import form_errors
from ui.i18n import tr
from ui.pages.admin.tab import AdminTab
from ui.tasks import runner
from ui.widgets.forms import DateField, ErrorPanel
from ui.widgets.simple_table import ListTableModel, make_table

PARAM_LABELS = {"week": "Uge", "interval_months": "Hver N. måned", "active_interval_weeks": "Hver N. uge ved delvis "
                "raskmelding eller tilbud", "until_week": "Til og med uge", "count": "Antal", "months": "Inden for "
                "måneder", "first_week": "Første senest uge", "return_within_weeks": "Tilbagevenden inden for uger",
                "interval_weeks": "Hver N. uge", "groups_1_3": "Uger, undergruppe 1-3",
                "with_workplace": "Uger, 4-8 med arbejdsplads", "without_workplace": "Uger, 4-8 uden arbejdsplads",
                "weeks_after": "Uger efter samtalen"}


class DeadlineRulesTab(AdminTab):
    title = "Fristregler"

    def __init__(self, services, actor, parent: QWidget | None = None):
        super().__init__(services, actor, parent)
        lay = self.tab_layout(tr(
            "Frister beregnes af reglerne i det regelsæt, der gælder på fristens dato. Når loven ændres, tilføjes "
            "et nyt regelsæt fra den dato, ændringen gælder; åbne forløb følger det straks, og udførte frister "
            "ændres ikke."))
        top = QHBoxLayout()
        self.sets = QComboBox()
        self.sets.currentIndexChanged.connect(self._set_chosen)
        top.addWidget(self.sets, 1)
        lay.addLayout(top)
        self.model = ListTableModel([tr("Regel"), tr("Type"), tr("Tal"), tr("Kilde"), tr("Aktiv")])
        self.table = make_table(self.model, [300, 220, 200, 300, 60], stretch=3, sortable=False)
        self.table.setObjectName("ruleTable")
        self.table.clicked.connect(lambda index: self._rule_chosen(index.row()))
        lay.addWidget(self.table, 1)

        edit = QGroupBox(tr("Ret reglen"))
        self.edit_form = QFormLayout(edit)
        self.label = QLineEdit()
        self.source = QLineEdit()
        self.active = QCheckBox(tr("Aktiv"))
        self.edit_form.addRow(tr("Regel"), self.label)
        self.edit_form.addRow(tr("Kilde"), self.source)
        self.params_box = QWidget()
        self.params_layout = QFormLayout(self.params_box)
        self.params_layout.setContentsMargins(0, 0, 0, 0)
        self.edit_form.addRow(tr("Tal"), self.params_box)
        self.edit_form.addRow("", self.active)
        self.errors = ErrorPanel()
        self.edit_form.addRow(self.errors)
        self.save_button = QPushButton(tr("Gem regel"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.edit_form.addRow(self.save_button)
        lay.addWidget(edit)

        new = QGroupBox(tr("Nyt regelsæt (ny lov)"))
        nl = QHBoxLayout(new)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(tr("fx Lov nr. 123 af 2026"))
        self.new_from = DateField(None, field="valid_from", label=tr("Gælder fra"))
        self.add_button = QPushButton(tr("Tilføj regelsæt"))
        self.add_button.clicked.connect(self.add_set)
        nl.addWidget(self.new_name, 1)
        nl.addWidget(self.new_from)
        nl.addWidget(self.add_button)
        self.new_errors = ErrorPanel()
        lay.addWidget(new)
        lay.addWidget(self.new_errors)
        self.rule_sets = []
        self.rule = None
        self.spins: dict[str, QSpinBox] = {}
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        deadlines, actor = self.services.deadlines, self.actor
        keep = select_id if select_id is not None else self.sets.currentData()
        runner().query(lambda: deadlines.rule_sets(actor), lambda rows: self._show(rows, keep), parent=self,
                       key=f"{id(self)}:sets")

    def _show(self, rule_sets, keep) -> None:
        self.rule_sets = rule_sets
        self.sets.blockSignals(True)
        self.sets.clear()
        for rs in rule_sets:
            self.sets.addItem(tr("{name} – gælder fra {day}").format(name=rs.name, day=fmt.date(rs.valid_from)), rs.id)
        index = self.sets.findData(keep)
        self.sets.setCurrentIndex(index if index >= 0 else len(rule_sets) - 1)
        self.sets.blockSignals(False)
        self._set_chosen(self.sets.currentIndex())

    def current_set(self):
        return next((rs for rs in self.rule_sets if rs.id == self.sets.currentData()), None)

    def _set_chosen(self, _index: int) -> None:
        rs = self.current_set()
        rules = rs.rules if rs else []
        self.model.set_rows([[r.label, tr(r.kind_label), ", ".join(f"{tr(PARAM_LABELS.get(k, k))}: {v}"
                                                                    for k, v in r.params.items()),
                              r.source, tr("ja") if r.active else tr("nej")] for r in rules], rules)
        self._rule_chosen(0 if rules else -1)

    def _rule_chosen(self, row: int) -> None:
        self.rule = self.model.key(row) if row >= 0 else None
        if row >= 0:
            self.table.selectRow(row)
        r = self.rule
        self.label.setText(r.label if r else "")
        self.source.setText(r.source if r else "")
        self.active.setChecked(bool(r and r.active))
        while self.params_layout.rowCount():
            self.params_layout.removeRow(0)
        self.spins = {}
        for name, value in (r.params.items() if r else []):
            spin = QSpinBox()
            spin.setRange(1, 104)
            spin.setMaximumWidth(90)
            spin.setValue(int(value))
            self.spins[name] = spin
            self.params_layout.addRow(tr(PARAM_LABELS.get(name, name)), spin)
        self.save_button.setEnabled(r is not None)
        self.errors.clear_errors()

    def save(self) -> None:
        r = self.rule
        if r is None:
            return
        self.errors.clear_errors()
        deadlines, actor = self.services.deadlines, self.actor
        label, source, active = self.label.text(), self.source.text(), self.active.isChecked()
        params = {name: spin.value() for name, spin in self.spins.items()}
        fields = {"label": self.label, "source": self.source, "params": self.params_box}
        runner().write(lambda: deadlines.save_rule(actor, r.id, expected_version=r.version, label=label,
                                                   source=source, params=params, active=active),
                       self._saved, parent=self, disable=self.save_button,
                       on_error=form_errors(self.errors, fields, parent=self, on_conflict=self.refresh))

    def _saved(self, moved: int) -> None:
        self.status.emit(tr("Reglen er gemt; {n} frister er genberegnet.").format(n=moved))
        self.refresh()

    def add_set(self) -> None:
        fields = {"name": self.new_name, "valid_from": self.new_from}
        self.new_errors.clear_errors()
        try:
            valid_from = self.new_from.date()
        except ValidationError as exc:
            self.new_errors.show_error(exc, fields)
            return
        deadlines, actor, name = self.services.deadlines, self.actor, self.new_name.text()
        runner().write(lambda: deadlines.add_rule_set(actor, name=name, valid_from=valid_from),
                       self._added, parent=self, disable=self.add_button,
                       on_error=form_errors(self.new_errors, fields, parent=self))

    def _added(self, set_id: int) -> None:
        self.new_name.clear()
        self.new_from.set_date(None)
        self.status.emit(tr("Regelsættet er tilføjet som en kopi af det gældende; ret nu dets regler."))
        self.refresh(set_id)
