"""Administration › Brevhoved og indstillinger: the letterhead on printouts, the idle lock and the
eligibility criteria of visitation, saved together in one call (all or nothing)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import Actor, Services
from ui.errors import form_errors
from ui.i18n import tr
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.forms import ErrorPanel

SETTING_KEYS = ("letterhead", "idle_lock_minutes", "eligibility")

LETTERHEAD_FIELDS = (("organisation", "Organisation *"), ("department", "Afdeling"), ("address", "Adresse"),
                     ("postcode_city", "Postnr. og by"), ("phone", "Telefon"), ("email", "E-mail"),
                     ("cvr", "CVR-nr."))


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setMinimumWidth(90)
    return spin


def _range_row(low: QSpinBox, high: QSpinBox, name: str) -> QWidget:
    """'[20] til [60]': a from-to pair in one row, marked as one field when its rule is broken."""
    row = QWidget()
    row.setObjectName(name)
    row.setAttribute(Qt.WA_StyledBackground, True)   # so the error border is drawn around the pair
    row.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Preferred)   # the border hugs the two fields
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(low)
    lay.addWidget(QLabel(tr("til")))
    lay.addWidget(high)
    return row


def _with_text(widget: QWidget, text: str) -> QWidget:
    """A field followed by the words that complete its sentence: '[10 min.] uden brug af mus ...'."""
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(widget)
    lay.addWidget(QLabel(text))
    lay.addStretch(1)
    return row


def _heading(text: str, *, first: bool = False) -> QLabel:
    title = QLabel(text)
    title.setStyleSheet("font-weight: 600; font-size: 11pt;")
    title.setContentsMargins(0, 0 if first else 16, 0, 2)
    return title


class SettingsTab(QWidget):
    title = "Brevhoved og indstillinger"
    status = Signal(str)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._stored: dict[str, Any] | None = None   # as loaded or last saved; None until loaded
        self._versions: dict[str, int] = {}           # each key's version as loaded or saved, saved against
        self._saved_text = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(scroll, 1)
        self.body = QWidget()
        self.body.setEnabled(False)   # until the values have arrived
        scroll.setWidget(self.body)
        lay = QVBoxLayout(self.body)
        lay.setContentsMargins(12, 14, 12, 8)

        self.fields: dict[str, QWidget] = {}
        # One form for all three sections, so their fields line up.
        box = QWidget()
        box.setMaximumWidth(680)
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        lay.addWidget(box)
        lay.addStretch(1)

        form.addRow(_heading(tr("Brevhoved på udskrifter"), first=True))
        form.addRow(hint(tr("Står øverst på breve, planer og adgangslog, som teamet udskriver.")))
        self.letterhead: dict[str, QLineEdit] = {}
        for key, text in LETTERHEAD_FIELDS:
            edit = QLineEdit()
            edit.setMaxLength(200)
            # A name of our own: the error marking styles the field by its name, and a dot would break that.
            edit.setObjectName(f"letterhead_{key}")
            self.letterhead[key] = self.fields[f"letterhead.{key}"] = edit
            form.addRow(tr(text), edit)

        form.addRow(_heading(tr("Sikkerhed")))
        self.idle = self.fields["idle_lock_minutes"] = _spin(1, 120, tr(" min."))
        form.addRow(tr("Lås skærmen efter"), _with_text(self.idle, tr("uden brug af mus eller tastatur")))
        note = hint(tr("Den nye låsetid gælder fra næste login."))
        note.setWordWrap(False)
        form.addRow("", note)

        form.addRow(_heading(tr("Visitationskriterier")))
        form.addRow(hint(tr("Grundlaget for forslaget ved visitation. Der kan visiteres uden for kriterierne "
                            "med en begrundelse.")))
        self.criteria: dict[str, QWidget] = {
            "min_age": _spin(0, 100, tr(" år")), "max_age": _spin(0, 100, tr(" år")),
            "min_sick_weeks": _spin(0, 104, tr(" uger")), "max_sick_weeks": _spin(0, 104, tr(" uger")),
            "require_wage_earner": QCheckBox(tr("Skal være lønmodtager")),
            "require_mental_health": QCheckBox(tr("Fraværet skal skyldes psykisk helbred (F30–F48, stress, "
                                                  "udbrændthed)")),
        }
        c = self.criteria
        self.fields["eligibility.age"] = _range_row(c["min_age"], c["max_age"], "eligibility_age")
        self.fields["eligibility.weeks"] = _range_row(c["min_sick_weeks"], c["max_sick_weeks"], "eligibility_weeks")
        form.addRow(tr("Alder"), self.fields["eligibility.age"])
        form.addRow(tr("Sygemeldt i"), self.fields["eligibility.weeks"])
        form.addRow("", c["require_wage_earner"])
        form.addRow("", c["require_mental_health"])

        foot = QWidget()
        foot.setObjectName("settingsFoot")
        foot_lay = QVBoxLayout(foot)
        foot_lay.setContentsMargins(12, 6, 12, 4)
        self.errors = ErrorPanel()
        foot_lay.addWidget(self.errors)
        row = QHBoxLayout()
        self.save_button = QPushButton(tr("Gem indstillinger"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(tr("Fortryd ændringer"))
        self.revert_button.clicked.connect(self.revert)
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        self.state = hint("")
        self.state.setObjectName("settingsState")
        row.addWidget(self.state, 1)
        foot_lay.addLayout(row)
        outer.addWidget(foot)

        for edit in self.letterhead.values():
            edit.textEdited.connect(self._edited)
        for w in (self.idle, c["min_age"], c["max_age"], c["min_sick_weeks"], c["max_sick_weeks"]):
            w.valueChanged.connect(self._edited)
        for key in ("require_wage_earner", "require_mental_health"):
            c[key].toggled.connect(self._edited)
        self._update_state()
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the stored settings, unless the user is in the middle of changing them."""
        if self.has_unsaved_changes():
            return
        settings = self.services.settings
        runner().query(lambda: settings.read(SETTING_KEYS), self._show, parent=self, key=f"{id(self)}:settings")

    def _show(self, stored) -> None:
        self._stored, self._versions = stored.values, stored.versions
        self._put(stored.values)
        self.body.setEnabled(True)
        self._update_state()

    def _put(self, values: dict[str, Any]) -> None:
        widgets = [*self.letterhead.values(), self.idle, *self.criteria.values()]
        for w in widgets:
            w.blockSignals(True)
        for key, edit in self.letterhead.items():
            edit.setText(str(values["letterhead"].get(key) or ""))
        self.idle.setValue(int(values["idle_lock_minutes"]))
        for key, w in self.criteria.items():
            value = values["eligibility"].get(key)
            if isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            else:
                w.setChecked(bool(value if value is not None else True))
        for w in widgets:
            w.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """What the form shows, in the shape the settings are stored in (keys it does not show kept)."""
        stored = self._stored or {"letterhead": {}, "eligibility": {}}
        return {
            "letterhead": {**stored["letterhead"], **{k: w.text().strip() for k, w in self.letterhead.items()}},
            "idle_lock_minutes": self.idle.value(),
            "eligibility": {**stored["eligibility"],
                            **{k: (w.value() if isinstance(w, QSpinBox) else w.isChecked())
                               for k, w in self.criteria.items()}},
        }

    def changes(self) -> dict[str, Any]:
        if self._stored is None:
            return {}
        return {k: v for k, v in self.values().items() if v != self._stored.get(k)}

    def has_unsaved_changes(self) -> bool:
        return bool(self.changes())

    # -- editing and saving --------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        self._saved_text = ""
        self._update_state()

    def _update_state(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.state.setText(tr("Der er ændringer, som ikke er gemt."))
        elif self._stored is None:
            self.state.setText(tr("Henter indstillingerne …"))
        else:
            self.state.setText(self._saved_text)

    def revert(self) -> None:
        if self._stored is not None:
            self._put(self._stored)
            self.errors.clear_errors()
            self._update_state()

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            return
        self.errors.clear_errors()
        settings, actor, versions = self.services.settings, self.actor, dict(self._versions)
        runner().write(lambda: settings.save(actor, changes, expected_versions=versions),
                       lambda new: self._saved(changes, new), parent=self,
                       disable=[self.save_button, self.body],
                       on_error=form_errors(self.errors, self.fields, parent=self, on_conflict=self._reload))

    def _reload(self) -> None:
        """Somebody else saved the settings since they were loaded: show theirs (ours are discarded)."""
        self._stored = None
        self.refresh()

    def _saved(self, changes: dict[str, Any], versions: dict[str, int]) -> None:
        self._stored = {**self._stored, **changes}
        self._versions = {**self._versions, **versions}
        notes = [tr("Indstillingerne er gemt.")]
        if "letterhead" in changes:
            notes.append(tr("Det nye brevhoved bruges fra næste udskrift."))
        if "idle_lock_minutes" in changes:
            notes.append(tr("Den nye låsetid gælder fra næste login."))
        if "eligibility" in changes:
            notes.append(tr("De nye kriterier gælder ved de næste visitationer."))
        self._saved_text = " ".join(notes)
        self._update_state()
        self.status.emit(notes[0])
