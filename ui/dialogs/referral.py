"""Ny henvisning: register a referral from the jobcentre (Ctrl+N)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget)

from app.errors import AppError, ValidationError, ValidationErrors
from app.icd10 import COMMON_CODES
from app.labels import CONTACT_LABELS, EMPLOYMENT_LABELS, SOCIO_LABELS
from app.services import Actor, Services
from app.services.referrals import SimilarPersonWarning
from app.validation import age_on, parse_cpr
from ui.widgets.forms import DateField, ErrorPanel, YesNoCombo


class ReferralDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.created_case_id: int | None = None
        self.setWindowTitle("Ny henvisning")
        self.resize(1180, 820)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        grid = QGridLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        f: dict[str, QWidget] = {}
        self.fields = f

        def line(name, placeholder=""):
            w = QLineEdit()
            w.setObjectName(name)
            w.setPlaceholderText(placeholder)
            f[name] = w
            return w

        # Borger
        box = QGroupBox("Borger")
        form = QFormLayout(box)
        form.addRow("CPR-nummer *", line("cpr", "ddmmåå-xxxx"))
        self.cpr_info = QLabel("")
        self.cpr_info.setObjectName("hint")
        self.cpr_info.setWordWrap(True)
        form.addRow("", self.cpr_info)
        form.addRow("Fornavn(e) *", line("first_name"))
        form.addRow("Efternavn *", line("last_name"))
        form.addRow("Adresse", line("address"))
        pc = QHBoxLayout()
        pc.addWidget(line("postcode", "postnr."), 1)
        pc.addWidget(line("city", "by"), 3)
        form.addRow("Postnr. og by", pc)
        form.addRow("Telefon", line("phone"))
        form.addRow("E-mail", line("email"))
        grid.addWidget(box, 0, 0)

        # Henvisning
        box = QGroupBox("Henvisning")
        form = QFormLayout(box)
        f["referral_date"] = DateField(services.cases.today(), field="referral_date", label="Henvisningsdato")
        f["sick_leave_start"] = DateField(None, field="sick_leave_start", label="Sygemeldt fra")
        f["referral_date"].setObjectName("referral_date")
        f["sick_leave_start"].setObjectName("sick_leave_start")
        form.addRow("Henvisningsdato *", f["referral_date"])
        form.addRow("Sygemeldt fra *", f["sick_leave_start"])
        form.addRow("Henvisende jobcenter *", line("referring_jobcentre"))
        form.addRow("Sagsbehandler *", line("caseworker_name"))
        form.addRow("Sagsbehandlers telefon", line("caseworker_phone"))
        form.addRow("Sagsbehandlers e-mail", line("caseworker_email"))
        f["referral_text"] = QPlainTextEdit()
        f["referral_text"].setPlaceholderText("Jobcentrets beskrivelse: hvorfor henvises borgeren?")
        f["referral_text"].setFixedHeight(70)
        form.addRow("Henvisningstekst", f["referral_text"])
        grid.addWidget(box, 0, 1)

        # Arbejdsplads
        box = QGroupBox("Arbejdsplads")
        form = QFormLayout(box)
        f["employment_status"] = QComboBox()
        for code, label in EMPLOYMENT_LABELS.items():
            f["employment_status"].addItem(label, code)
        form.addRow("Ansættelsesforhold *", f["employment_status"])
        form.addRow("Arbejdsgiver", line("employer_name"))
        form.addRow("Arbejdsgivers adresse", line("employer_address"))
        form.addRow("Stilling", line("job_title"))
        f["normal_hours_per_week"] = QDoubleSpinBox()
        f["normal_hours_per_week"].setRange(0, 60)
        f["normal_hours_per_week"].setDecimals(1)
        f["normal_hours_per_week"].setSpecialValueText("Ikke oplyst")
        form.addRow("Normal ugentlig arbejdstid", f["normal_hours_per_week"])
        self.contact_fields = {}
        for kind in ("manager", "hr", "union_rep"):
            row = QHBoxLayout()
            name, phone = QLineEdit(), QLineEdit()
            name.setPlaceholderText("navn")
            phone.setPlaceholderText("telefon")
            row.addWidget(name, 2)
            row.addWidget(phone, 1)
            self.contact_fields[kind] = (name, phone)
            form.addRow(CONTACT_LABELS[kind], row)
        grid.addWidget(box, 1, 0)

        # Helbred og årsager
        box = QGroupBox("Årsager og helbred")
        form = QFormLayout(box)
        reasons = QWidget()
        reasons.setObjectName("absence_reasons")
        rl = QGridLayout(reasons)
        rl.setContentsMargins(0, 0, 0, 0)
        self.reason_boxes: dict[str, QCheckBox] = {}
        for i, item in enumerate(services.catalog.items("absence_reason")):
            cb = QCheckBox(item.label)
            cb.setObjectName("reason_" + item.code)
            self.reason_boxes[item.code] = cb
            rl.addWidget(cb, i // 2, i % 2)
        f["absence_reasons"] = reasons
        form.addRow("Årsager til fravær *", reasons)
        icd = line("icd10", "fx F43.2, F32.1 (adskil med komma)")
        completer = QCompleter([f"{c} {name}" for c, name in COMMON_CODES], self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        completer.activated.connect(lambda text: self._add_icd(text.split()[0]))
        self.icd_picker = QLineEdit()
        self.icd_picker.setPlaceholderText("Søg diagnose (F30-F48 og udbrændthed vises først)")
        self.icd_picker.setCompleter(completer)
        form.addRow("ICD-10-koder", icd)
        form.addRow("", self.icd_picker)
        form.addRow("Egen læge", line("gp_name"))
        form.addRow("Lægepraksis", line("gp_clinic"))
        form.addRow("Lægens telefon", line("gp_phone"))
        grid.addWidget(box, 1, 1)

        # Karakteristika
        box = QGroupBox("Karakteristika ved start")
        form = QFormLayout(box)
        f["socio_economic_level"] = QComboBox()
        for code, label in SOCIO_LABELS.items():
            f["socio_economic_level"].addItem(label, code)
        f["socio_economic_level"].setCurrentIndex(list(SOCIO_LABELS).index("wage_middle"))
        form.addRow("Socioøkonomisk niveau", f["socio_economic_level"])
        f["wage_earner"] = YesNoCombo(True)
        form.addRow("Lønmodtager", f["wage_earner"])
        f["absent_before_same_cause"] = YesNoCombo()
        form.addRow("Tidligere sygemeldt af samme årsag", f["absent_before_same_cause"])
        f["expects_return_same_workplace"] = YesNoCombo()
        form.addRow("Forventer at vende tilbage til arbejdspladsen", f["expects_return_same_workplace"])
        f["referred_to_psych"] = YesNoCombo()
        form.addRow("Allerede henvist til psykiater/psykolog", f["referred_to_psych"])
        grid.addWidget(box, 2, 0)

        box = QGroupBox("Teamet")
        form = QFormLayout(box)
        f["coordinator_id"] = QComboBox()
        f["coordinator_id"].addItem("Ingen endnu", None)
        for member in services.team.coordinators(actor):
            f["coordinator_id"].addItem(member.full_name, member.id)
            if member.id == actor.user_id:
                f["coordinator_id"].setCurrentIndex(f["coordinator_id"].count() - 1)
        form.addRow("Koordinator", f["coordinator_id"])
        grid.addWidget(box, 2, 1)

        self.errors = ErrorPanel()
        outer.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Opret henvisning", QDialogButtonBox.AcceptRole)
        self.save_button.setObjectName("primary")
        buttons.addButton("Annuller", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        f["cpr"].editingFinished.connect(self._cpr_entered)
        self._pristine = self._snapshot()

    # -- helpers -------------------------------------------------------------------------------
    def _add_icd(self, code: str) -> None:
        field = self.fields["icd10"]
        codes = [c.strip() for c in field.text().split(",") if c.strip()]
        if code not in codes:
            codes.append(code)
        field.setText(", ".join(codes))
        self.icd_picker.clear()

    def _cpr_entered(self) -> None:
        text = self.fields["cpr"].text()
        try:
            info = parse_cpr(text)
        except ValidationError as e:
            self.cpr_info.setText(e.rule if text.strip() else "")
            return
        age = age_on(info.birth_date, self.services.cases.today())
        msg = f"Født {info.birth_date:%d-%m-%Y}, {age} år" + (" (fiktivt CPR-nummer)" if info.fictitious else "")
        try:
            known = self.services.referrals.known_person(self.actor, text)
        except AppError:
            known = None
        if known:
            earlier = "; ".join(f"{num} ({phase}, henvist {d:%d-%m-%Y})" for num, phase, d in known.cases)
            msg += f"\nKendt borger: {known.name}. Tidligere forløb: {earlier or 'ingen'}."
            first, _, last = known.name.rpartition(" ")
            if not self.fields["first_name"].text():
                self.fields["first_name"].setText(first)
            if not self.fields["last_name"].text():
                self.fields["last_name"].setText(last)
        self.cpr_info.setText(msg)

    def _snapshot(self) -> tuple:
        return tuple(w.text() for w in self.findChildren(QLineEdit)) + (
            self.fields["referral_text"].toPlainText(),) + tuple(cb.isChecked() for cb in self.reason_boxes.values())

    def has_unsaved_changes(self) -> bool:
        return self._snapshot() != self._pristine and self.created_case_id is None

    def collect(self) -> dict:
        f = self.fields
        errors = []
        dates = {}
        for name in ("referral_date", "sick_leave_start"):
            try:
                dates[name] = f[name].date()
            except ValidationError as e:
                errors.append(e)
                dates[name] = None
        if errors:
            # Report bad dates together with every other rule the service checks.
            try:
                self.services.referrals.validate(self._input(dates, skip_dates=True))
            except ValidationErrors as more:
                errors += [e for e in more.errors if e.field not in dates]
            raise ValidationErrors(errors)
        return self._input(dates)

    def _input(self, dates, skip_dates=False) -> dict:
        """The form's values keyed by the names of app.case_fields.CASE_FIELDS."""
        f = self.fields
        hours = f["normal_hours_per_week"].value()
        today = self.services.cases.today()
        values = {name: w.text() for name, w in f.items() if isinstance(w, QLineEdit)}
        values.update(
            referral_date=today if skip_dates else dates["referral_date"],
            sick_leave_start=today if skip_dates else dates["sick_leave_start"],
            referral_text=f["referral_text"].toPlainText(), employment_status=f["employment_status"].currentData(),
            normal_hours_per_week=hours or None,
            contacts=[{"kind": kind, "name": n.text(), "phone": p.text()}
                      for kind, (n, p) in self.contact_fields.items() if n.text().strip()],
            absence_reasons=[code for code, cb in self.reason_boxes.items() if cb.isChecked()],
            icd10=[c for c in f["icd10"].text().split(",") if c.strip()],
            socio_economic_level=f["socio_economic_level"].currentData(),
            absent_before_same_cause=f["absent_before_same_cause"].value(),
            expects_return_same_workplace=f["expects_return_same_workplace"].value(),
            referred_to_psych=f["referred_to_psych"].value(), wage_earner=f["wage_earner"].value(),
            coordinator_id=f["coordinator_id"].currentData())
        return values

    # -- actions -------------------------------------------------------------------------------
    def submit(self, confirm_similar: bool = False) -> None:
        try:
            values = self.collect()
            self.created_case_id = self.services.referrals.create_referral(self.actor, values,
                                                                           confirm_similar_person=confirm_similar)
        except SimilarPersonWarning as w:
            self.errors.clear_errors()
            answer = QMessageBox.question(self, "Findes personen allerede?", w.message + "\n\nOpret alligevel en "
                                          "ny person med det indtastede CPR-nummer?",
                                          QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer == QMessageBox.Yes:
                self.submit(confirm_similar=True)
            return
        except AppError as exc:
            fields = dict(self.fields)
            fields["icd10"] = self.fields["icd10"]
            self.errors.show_error(exc, fields)
            return
        self.accept()

    def reject(self) -> None:
        if self.has_unsaved_changes() and QMessageBox.question(
                self, "Kassér henvisningen?", "Det indtastede er ikke gemt. Vil du lukke og kassere det?",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel) != QMessageBox.Discard:
            return
        super().reject()
