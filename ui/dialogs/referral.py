"""Ny henvisning: register a referral from the jobcentre (Ctrl+N).

The form is laid out from ``CASE_FIELDS`` (the fields a referral asks for, by section) and submitted
to ``services.referrals.create_referral`` on the task runner. While the CPR number is typed the
citizen is looked up: a known person's name is filled in (and taken out again when another number is
typed), and a case that is still open is named at once, since the referral would be refused.
The dialog takes its size from the screen and scrolls inside, so it fits a laptop screen.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QScrollArea, QVBoxLayout, QWidget

from app.case_fields import CASE_FIELDS
from app.errors import ValidationError, ValidationErrors
from app.labels import PHASE_LABELS
from app.services import Actor, Services
from app.services.referrals import ExistingPerson, SimilarPersonWarning
from app.validation import age_on, parse_cpr
from ui import fmt
from ui.errors import ask, form_errors
from ui.i18n import label, tr
from ui.tasks import runner
from ui.widgets.common import hint
from ui.widgets.field_form import FieldForm
from ui.widgets.forms import mark, unmark

PREFERRED_SIZE = QSize(1120, 900)
SCREEN_MARGIN = 48  # room for the window frame and the desktop's panels
CPR_HINT = "Fødselsdato, alder og tidligere forløb vises her, når CPR-nummeret er skrevet."


class ReferralDialog(QDialog):
    created = Signal(int)  # the new case's id

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.created_case_id: int | None = None
        self._touched = False
        self._filled: dict[str, str] = {}  # names filled in from the person found by the CPR number
        self.setWindowTitle(tr("Ny henvisning"))
        fields = CASE_FIELDS.creation_fields()
        self.scroll = QScrollArea(self)
        self.form = FieldForm(CASE_FIELDS, fields, inputs=[f.name for f in fields], today=services.cases.today,
                              parent=self.scroll.viewport())
        self.fields = self.form.inputs
        self.cpr_hint = self.form.add_hint("cpr", lines=3)
        self.cpr_hint.setTextFormat(Qt.RichText)
        self.cpr_hint.setText(tr(CPR_HINT))
        self.form.set_values({"referral_date": services.cases.today()})

        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.form.resize(1, 1)  # sized by the scroll area: no size hint of the whole form is worked out first
        self.scroll.setWidget(self.form)
        outer = QVBoxLayout(self)
        outer.addWidget(hint(tr("Felter med * skal udfyldes. Skriv CPR-nummeret først: en kendt borger "
                                "slås op med det samme.")))
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.form.errors)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("Opret henvisning"), QDialogButtonBox.AcceptRole)
        self.save_button.setObjectName("primary")
        self.save_button.setEnabled(self.form.choices_ready)
        buttons.addButton(tr("Annuller"), QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self.form.edited.connect(self._edited)
        self.form.choices_loaded.connect(self._choices_loaded)
        self.fields["cpr"].value_changed.connect(self._cpr_changed)
        self.form.load_choices(services, actor)
        screen = self.screen()
        if screen is not None:
            self.fit_to(screen.availableGeometry())

    def fit_to(self, available: QRect) -> None:
        """As large as the form wants, but never larger than the screen's free area."""
        self.resize(min(PREFERRED_SIZE.width(), available.width() - SCREEN_MARGIN),
                    min(PREFERRED_SIZE.height(), available.height() - SCREEN_MARGIN))

    def _choices_loaded(self) -> None:
        coordinator = self.fields["coordinator_id"]
        # A coordinator's own referral is theirs unless they choose someone else.
        if not self._touched and coordinator.has_choice(self.actor.user_id):
            self.form.set_value("coordinator_id", self.actor.user_id)
        self.save_button.setEnabled(True)

    def _edited(self) -> None:
        self._touched = True

    # -- the CPR number ------------------------------------------------------------------------
    def _cpr_changed(self) -> None:
        cpr = self.fields["cpr"]
        if "cpr" not in self.form.errors.fields_with_errors():
            unmark(cpr)
        self._forget_filled()
        text = cpr.text()
        try:
            info = parse_cpr(text)
        except ValidationError as e:
            complete = sum(ch.isdigit() for ch in text) >= 10
            self.cpr_hint.setText(html.escape(e.rule[:1].upper() + e.rule[1:]) if complete else tr(CPR_HINT))
            return
        age = age_on(info.birth_date, self.services.cases.today())
        born = tr("Født {date}, {age} år").format(date=fmt.date(info.birth_date), age=age)
        if info.fictitious:
            born += tr(" (fiktivt CPR-nummer)")
        self.cpr_hint.setText(html.escape(born))
        referrals, actor, number = self.services.referrals, self.actor, info.formatted
        runner().query(lambda: referrals.known_person(actor, number),
                       lambda known: self._person_found(info.digits, born, known), parent=self,
                       key=f"referral-cpr:{id(self)}")

    def _person_found(self, digits: str, born: str, known: ExistingPerson | None) -> None:
        cpr = self.fields["cpr"]
        try:
            if parse_cpr(cpr.text()).digits != digits:
                return  # the number has been changed since
        except ValidationError:
            return
        lines = [html.escape(born)]
        if known is None:
            lines.append(html.escape(tr("Ikke kendt i forvejen: borgeren oprettes.")))
            self.cpr_hint.setText("<br>".join(lines))
            return
        for name, value in (("first_name", known.first_name), ("last_name", known.last_name)):
            w = self.fields[name]
            if value and not w.text().strip():
                w.setText(value)
                self._filled[name] = value
        lines.append(html.escape(tr("Kendt borger: {name}").format(name=known.name)))
        if known.open_case is not None:
            number, coordinator = known.open_case
            text = (tr("Åbent forløb: {number}, koordinator {name}").format(number=number, name=coordinator)
                    if coordinator else tr("Åbent forløb: {number}").format(number=number))
            lines.append(f"<b style='color:#a4262c'>{html.escape(text)}</b>")
            mark(cpr, tr("Borgeren har allerede et åbent forløb ({text}). En ny henvisning kan ikke oprettes, "
                         "før det er afsluttet.").format(text=text))
        else:
            earlier = [tr("{number} ({phase}, henvist {date})").format(number=n, phase=label(PHASE_LABELS, p).lower(),
                                                                       date=fmt.date(d))
                       for n, p, d in known.cases]
            if earlier:
                lines.append(html.escape(tr("Tidligere forløb: {cases}").format(cases="; ".join(earlier))))
        self.cpr_hint.setText("<br>".join(lines))

    def _forget_filled(self) -> None:
        """Another number: the names filled in from the earlier person go, unless the user changed them."""
        for name, value in self._filled.items():
            if self.fields[name].text() == value:
                self.fields[name].clear()
        self._filled = {}

    # -- submitting ----------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self._touched and self.created_case_id is None

    def submit(self, confirm_similar: bool = False) -> None:
        self.form.errors.clear_errors()
        try:
            values = self.form.read()
        except ValidationErrors as exc:  # a date that is not a date, with the other rules broken
            self.form.errors.show_error(exc, self.fields)
            return
        referrals, actor = self.services.referrals, self.actor
        runner().write(lambda: referrals.create_referral(actor, values, confirm_similar_person=confirm_similar),
                       self._created, parent=self, disable=self.save_button, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, SimilarPersonWarning):
            if ask(self, tr("Findes personen allerede?"), exc.message + "\n\n" + tr(
                    "Opret alligevel en ny person med det indtastede CPR-nummer?"), yes=tr("Opret ny person")):
                self.submit(confirm_similar=True)
            return
        form_errors(self.form.errors, self.fields, parent=self)(exc)

    def _created(self, case_id: int) -> None:
        self.created_case_id = case_id
        self.created.emit(case_id)
        self.accept()

    def reject(self) -> None:
        if self.has_unsaved_changes() and not ask(
                self, tr("Kassér henvisningen?"), tr("Det indtastede er ikke gemt. Vil du lukke og kassere det?"),
                yes=tr("Kassér"), destructive=True):
            return
        super().reject()
