"""Every bad input answered: the service boundary checks types and normalises text for every entry
point of every service (``app.services.base.service_boundary``); a property test sends random
text, numbers, dates and types and requires success with the value stored as normalised, or an
AppError naming the field and an unchanged database."""
from __future__ import annotations

import datetime as dt
import inspect
import unicodedata
import weakref

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from app.errors import AppError, ValidationError, ValidationErrors
from app.services.base import ServiceBase, _hints, _type_rule
from db.models import Case, Citizen
from tests.factories import make_case, make_user, referral_input, save_settings

FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

CANDIDATES = ["x", "37", "\ud800", "ok\udfffok", True, 1.5, float("nan"), dt.datetime(2026, 1, 5, 9),
              dt.date(2026, 1, 5), [1], {"a": 1}, 7, None, b"bytes"]


def _wrong(kinds, optional):
    """Values of a wrong type for a parameter (a lone surrogate counts as wrong for text)."""
    wrong = [v for v in CANDIDATES if not _fits(v, kinds, optional)]
    surrogate_text = st.builds(lambda a, b: a + "\udc80" + b, st.text(max_size=4), st.text(max_size=4))
    return st.sampled_from(wrong) | surrogate_text if str in kinds else st.sampled_from(wrong)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40) | \
    st.sampled_from(["\ud800x", "Ame\u0301lie", "٠٢٠٢٨٥١٢٣٤", "ﬃ", "e\u0301" * 30, "a\x00b", "<b>&amp;"])


def entry_points(services):
    """(name, bound method) of every public method of every service: a new service or method is in."""
    for attr, service in vars(services).items():
        if isinstance(service, ServiceBase):
            for name, _fn in inspect.getmembers(type(service), inspect.isfunction):
                if not name.startswith("_") and name not in vars(ServiceBase):   # not the shared helpers
                    yield f"{attr}.{name}", getattr(service, name)


def _counts(services) -> dict[str, int]:
    with services.db.read() as s:
        tables = [t for t in ("citizen", "case_record", "journal_note", "setting", "audit_log", "user_account")
                  if s.execute(text("SELECT 1")).scalar()]
        out = {}
        for t in tables:
            try:
                out[t] = s.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
            except Exception:   # noqa: BLE001 - a table name of another schema
                s.rollback()
        return out


def test_every_entry_point_is_behind_the_boundary(services):
    points = list(entry_points(services))
    assert len(points) >= 60
    unguarded = [n for n, m in points if not getattr(m, "__service_boundary__", False)]
    assert unguarded == []


@FAST
@given(data=st.data())
def test_a_wrong_type_anywhere_is_refused_naming_the_field(services, data):
    """Each typed parameter of each entry point gets a value of a wrong type (a str or datetime where
    a date belongs, '37' as hours, a bool as a number, a lone surrogate): a ValidationError naming
    that parameter, before anything is read or written."""
    before = _counts(services)
    for name, method in entry_points(services):
        fn = inspect.unwrap(method)
        rules = {p: r for p, h in _hints(fn).items() if p != "return" and (r := _type_rule(h))}
        if not rules:
            continue
        param = data.draw(st.sampled_from(sorted(rules)), label=name)
        kinds, optional = rules[param]
        value = data.draw(_wrong(kinds, optional), label=param)
        sig = inspect.signature(fn)
        args = {p: _dummy(p, rules) for p, q in list(sig.parameters.items())[1:]
                if q.default is inspect.Parameter.empty and q.kind not in (q.VAR_KEYWORD, q.VAR_POSITIONAL)}
        args[param] = value
        with pytest.raises(ValidationError) as info:
            method(**args)
        assert info.value.field == param, name
    assert _counts(services) == before


def _fits(value, kinds, optional) -> bool:
    from app.services.base import _accepts
    if value is None:
        return optional
    surrogate = isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value)
    return any(_accepts(k, value) for k in kinds) and not surrogate


def _dummy(name, rules):
    """A value of the right type for a parameter that is not under test."""
    from app.services.base import SYSTEM
    if name == "actor":
        return SYSTEM
    kinds = rules.get(name, ((int,), False))[0]
    return {bool: False, int: 1, float: 1.0, str: "x", dt.date: dt.date(2026, 1, 5),
            dt.datetime: dt.datetime(2026, 1, 5, 9)}[kinds[0]]


@FAST
@given(value=TEXT, field=st.sampled_from(["job_title", "employer_name", "gp_name", "caseworker_name"]))
def test_update_case_stores_text_normalised_or_refuses_it_naming_the_field(services, value, field):
    coord = _coordinator(services)
    case_id = _case(services, coord)
    version = services.cases.get_case(coord, case_id).version
    before = _counts(services)
    try:
        services.cases.update_case(coord, case_id, expected_version=version, changes={field: value})
    except (ValidationError, ValidationErrors) as exc:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        assert {e.field for e in errors} == {field}
        assert _counts(services) == before
        return
    stored = services.cases.get_case(coord, case_id).values[field]
    assert stored == unicodedata.normalize("NFC", value).strip()


@FAST
@given(digits=st.sampled_from(["0123456789", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "۰۱۲۳۴۵۶۷۸۹"]))
def test_cpr_numbers_and_postcodes_in_any_digits_are_one_citizen(services, digits):
    coord = _coordinator(services)
    def tr(s):
        return "".join(digits[int(c)] if c.isdigit() else c for c in s)
    values = referral_input(cpr=tr("7412841234"), postcode=tr("8000"), phone=tr("20 30 40 50"))
    try:
        case_id = services.referrals.create_referral(coord, values, confirm_similar_person=True)
    except AppError as exc:   # the same citizen with an open case already: refused, not a second citizen
        assert "åbent" in exc.message or "findes" in exc.message or "allerede" in exc.message
    else:
        detail = services.cases.get_case(coord, case_id)
        assert detail.values["postcode"] == "8000" and detail.values["phone"] == "20 30 40 50"
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Citizen).where(Citizen.cpr == "7412841234")) == 1
        assert s.scalar(select(func.count()).select_from(Citizen)) == 1


def test_expected_version_is_required_on_saves(services):
    coord = _coordinator(services)
    case_id = _case(services, coord)
    with pytest.raises(ValidationError) as info:
        services.cases.update_case(coord, case_id, expected_version=None, changes={"job_title": "X"})
    assert info.value.field == "expected_version"


@pytest.mark.parametrize("key,value,field", [
    ("eligibility", "x", "eligibility"),
    ("eligibility", {"min_age": 20, "max_age": 60, "min_sick_weeks": 4, "max_sick_weeks": 12,
                     "require_wage_earner": "ja"}, "eligibility.require_wage_earner"),
    ("idle_lock_minutes", True, "idle_lock_minutes"),
    ("idle_lock_minutes", "10", "idle_lock_minutes"),
    ("audit_retention_months", 6.5, "audit_retention_months"),
    ("letterhead", {"organisation": 5}, "letterhead.organisation"),
    ("backup_folder", ["x"], "backup_folder"),
])
def test_settings_are_validated_per_key(services, key, value, field):
    admin = make_user(services, "admin", "ada")
    before = services.settings.get(key)
    with pytest.raises(ValidationErrors) as info:
        save_settings(services, admin, {key: value})
    assert info.value.errors[0].field == field
    assert services.settings.get(key) == before


def test_a_subgroup_must_be_a_number_not_a_bool(services):
    coord = _coordinator(services)
    case_id = _case(services, coord)
    version = services.cases.get_case(coord, case_id).version
    with pytest.raises((ValidationError, ValidationErrors)):
        services.cases.update_case(coord, case_id, expected_version=version, changes={"subgroup": True})


_ACTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _coordinator(services):
    """One coordinator per database (a login per example would spend the time hashing passwords)."""
    if services not in _ACTORS:
        _ACTORS[services] = make_user(services, "coordinator", "koord")
    return _ACTORS[services]


def _case(services, coord) -> int:
    with services.db.read() as s:
        found = s.scalar(select(Case.id).where(Case.coordinator_id == coord.user_id))
    return found or make_case(services, coordinator_id=coord.user_id)




# -- free text and numbers of every later service, stored exactly as normalised --------------------
# Each entry point is ``attempt(services, world, value) -> read``: it sends ``value`` where the user's
# text (or number) goes and returns a function that reads the stored value back. The property test
# requires either that read to give the normalised value, or an AppError naming the entry point's
# field with no row of the database changed (counted and versioned, ``_fingerprint``).
NASTY_TEXT = st.sampled_from([
    "\ud800", "ok\udfffok", "a\x00b", "bell\x07", "\x1b[31m", "tab\tand\nnew line", "\u200f\u202eRTL",
    "Ame\u0301lie", "A\u030a\u0301", "e\u0301" * 30, "ﬃ ﬁ", "٠٢٠٢٨٥١٢٣٤", "０１２", "<b>&amp;</b>", "😀👩‍👩‍👧",
    "  spaced  ", "\u2028line\u2029para", "", " ", "x" * 5000,
])
ANY_TEXT = st.text(max_size=60) | NASTY_TEXT | st.lists(NASTY_TEXT, min_size=2, max_size=3).map("".join)
# Numbers where hours belong: in range, out of it, not finite, a bool, text (ASCII and other digits).
ANY_HOURS = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10, 100) | st.sampled_from(
    [True, False, "37", "٣٧", "３７", "37,5", None, 0, 0.5, 37, 37.5, 59.99, 60, 80, 80.01]))
ENTRY_EXAMPLES = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


class _World:
    """The people and records the entry points write to: made once per database."""

    def __init__(self, services):
        import app.services.letters as letters
        self.letters = letters
        self.coord = _coordinator(services)
        self.admin = make_user(services, "admin", "ada")
        self.psych = make_user(services, "psychologist", "peter")
        self.today = services.cases.today()
        self.case_id = make_case(services, coordinator_id=self.coord.user_id, team_member_ids=[self.psych.user_id],
                                 normal_hours=37.0)
        self.note_id = services.journal.add_note(self.coord, self.case_id, note_date=self.today, kind="phone",
                                                 text="Opkald")
        self.signed_note_id = services.journal.add_note(self.coord, self.case_id, note_date=self.today,
                                                        kind="phone", text="Underskrevet", sign=True)
        self.assessment_id = services.assessments.save_draft(self.psych, self.case_id,
                                                             values={"assessed_on": self.today})
        self.signed_assessment_id = services.assessments.save_draft(
            self.psych, self.case_id, values={"assessed_on": self.today, "summary": "Samlet"}, sign=True)
        self.plan_id = services.plans.start_plan(self.coord, self.case_id)
        services.plans.save_plan(self.coord, self.plan_id, expected_version=services.plans.plan_tab(
            self.coord, self.case_id).plan.version, values={"overall_goal": "own_job",
                                                            "weeks": [{"hours_per_week": 10, "weekdays": "man"}]})
        self.meeting_id = services.meetings.plan_meeting(self.coord, self.case_id, values={
            "meeting_type": "status", "meeting_date": self.today + dt.timedelta(days=7), "duration_minutes": 60})
        self.conference_id = services.conferences.new_conference(self.coord, self.today)
        self.item_id = services.conferences.add_item(self.coord, self.conference_id, title="Frit punkt")
        self.closed_case_id = make_case(services, coordinator_id=self.coord.user_id)
        version = services.cases.get_case(self.coord, self.closed_case_id).version
        services.closing.close_case(self.coord, self.closed_case_id, expected_version=version,
                                    closed_date=self.today, outcome="full_return")


_WORLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _world(services) -> _World:
    if services not in _WORLDS:
        _WORLDS[services] = _World(services)
    return _WORLDS[services]


def _column(services, model, ident, name):
    with services.db.read() as s:
        return getattr(s.get(model, ident), name)


def _version(services, model, ident) -> int:
    return _column(services, model, ident, "version")


def _fingerprint(services) -> dict[str, tuple[int, int]]:
    """Every table's row count and the sum of its versions: a change of any row of a versioned
    record, and any row added or removed anywhere (the audit log too), shows. One query."""
    from db.base import Base
    parts = [f'''SELECT '{t.name}', count(*), {'coalesce(sum("version"), 0)' if "version" in t.c else "0"} '''
             f'''FROM "{t.name}"''' for t in Base.metadata.sorted_tables]
    with services.db.read() as s:
        return {name: (count, versions) for name, count, versions in s.execute(text(" UNION ALL ".join(parts)))}


def _journal_add(services, w, value):
    from db.models import JournalNote
    note_id = services.journal.add_note(w.coord, w.case_id, note_date=w.today, kind="meeting", text=value)
    return lambda: (_column(services, JournalNote, note_id, "text"), _nfc(value))


def _journal_edit(services, w, value):
    from db.models import JournalNote
    services.journal.edit_note(w.coord, w.note_id, expected_version=_version(services, JournalNote, w.note_id),
                               note_date=w.today, kind="phone", text=value)
    return lambda: (_column(services, JournalNote, w.note_id, "text"), _nfc(value))


def _journal_annotate(services, w, value):
    from db.models import JournalNote
    note_id = services.journal.annotate(w.coord, w.signed_note_id, value)
    return lambda: (_column(services, JournalNote, note_id, "text"), _nfc(value))


def _assessment_notes(services, w, value):
    from db.models import Assessment
    services.assessments.save_draft(w.psych, w.case_id, assessment_id=w.assessment_id,
                                    expected_version=_version(services, Assessment, w.assessment_id),
                                    values={"assessed_on": w.today, "summary": value, "coping": value})
    detail = services.assessments.get(w.psych, w.assessment_id).values
    return lambda: ((detail["summary"], detail["coping"]), (_nfc(value), _nfc(value)))


def _assessment_addendum(services, w, value):
    from db.models import AssessmentAddendum
    added = services.assessments.add_addendum(w.psych, w.signed_assessment_id, value)
    return lambda: (_column(services, AssessmentAddendum, added, "text"), _nfc(value))


def _plan(services, w, **values):
    from db.models import ActionPlan
    services.plans.save_plan(w.coord, w.plan_id, expected_version=_version(services, ActionPlan, w.plan_id),
                             values={"overall_goal": "own_job", **values})
    return services.plans.plan_tab(w.coord, w.case_id).plan


def _plan_texts(services, w, value):
    week = {"hours_per_week": 10, "weekdays": "man", "tasks": value, "accommodations": value, "follow_up": value}
    goal = "Mål: " + value     # never an empty line of the form (left out, rightly)
    plan = _plan(services, w, purpose=value, citizen_view=value, goals=[{"owner": "citizen", "text": goal}],
                 weeks=[week])
    stored = (plan.values["purpose"], plan.values["citizen_view"], plan.goals[0]["text"], plan.weeks[0]["tasks"],
              plan.weeks[0]["follow_up"])
    return lambda: (stored, (_nfc(value), _nfc(value), _nfc(goal), _nfc(value), _nfc(value)))


def _plan_hours(services, w, hours):
    plan = _plan(services, w, target_hours=hours, weeks=[{"hours_per_week": hours, "weekdays": "man"}])
    return lambda: ((plan.values["target_hours"], plan.weeks[0]["hours_per_week"]), (hours, hours))


def _plan_actual_hours(services, w, hours):
    from db.models import ActionPlan, GradualReturnWeek
    services.plans.record_actual_hours(w.coord, w.plan_id, hours={1: hours},
                                       expected_version=_version(services, ActionPlan, w.plan_id))
    with services.db.read() as s:
        stored = s.scalar(select(GradualReturnWeek.actual_hours).where(GradualReturnWeek.plan_id == w.plan_id))
    return lambda: (stored, hours)


def _meeting(services, w, value):
    from db.models import RoundTableMeeting
    agreement, solution = (value if _nfc(value) else "Aftale"), (value if _nfc(value) else "Løsning")
    # (a row whose text is blank is an empty line of the form, and is not kept)
    items = [{"kind": "agreement", "text": agreement, "responsible": value},
             {"kind": "solution", "text": solution}]
    services.meetings.save_meeting(w.coord, w.meeting_id, values={"agenda": value, "purpose": value},
                                   expected_version=_version(services, RoundTableMeeting, w.meeting_id),
                                   items=items)
    m = services.meetings.meeting(w.coord, w.meeting_id)
    stored = (m.values["agenda"], m.values["purpose"], m.items[0]["text"], m.items[0]["responsible"],
              m.items[1]["text"])
    return lambda: (stored, (_nfc(value), _nfc(value), _nfc(agreement), _nfc(value), _nfc(solution)))


def _conference_item(services, w, value):
    from db.models import ConferenceItem
    services.conferences.save_item(w.coord, w.item_id, expected_version=_version(services, ConferenceItem, w.item_id),
                                   notes=value, decision=value)
    return lambda: ((_column(services, ConferenceItem, w.item_id, "notes"),
                     _column(services, ConferenceItem, w.item_id, "decision")), (_nfc(value),) * 2)


def _conference_free_item(services, w, value):
    from db.models import ConferenceItem
    item_id = services.conferences.add_item(w.coord, w.conference_id, title=value)
    return lambda: (_column(services, ConferenceItem, item_id, "title"), _nfc(value))


def _conference_task(services, w, value):
    from db.models import Task
    task_id = services.conferences.add_task(w.coord, w.item_id, owner_id=w.coord.user_id, due=w.today, title=value)
    return lambda: (_column(services, Task, task_id, "title"), _nfc(value))


def _task(services, w, value):
    from db.models import Task
    task_id = services.tasks.create_task(w.coord, w.case_id, title=value, due=w.today, description=value)
    return lambda: ((_column(services, Task, task_id, "title"), _column(services, Task, task_id, "description")),
                    (_nfc(value), _nfc(value)))


def _letter(services, w, value):
    from db.models import Letter
    draft = w.letters.LetterDraft(w.case_id, "fri", "citizen", "other", "Mette Østergaard", "Brev", value)
    letter_id = services.letters.send(w.coord, draft, pdf=b"%PDF-1.4 test", how="pdf")
    return lambda: (_column(services, Letter, letter_id, "body"), _nfc(value))


def _consent(services, w, value):
    from db.models import Consent
    consent_id = services.letters.record_consent(w.coord, w.case_id, party="other", given_date=w.today,
                                                 given_to=value, scope=value)
    return lambda: ((_column(services, Consent, consent_id, "given_to"), _column(services, Consent, consent_id,
                                                                                  "scope")), (_nfc(value),) * 2)


def _after_follow_up(services, w, value):
    from db.models import AfterFollowUp
    with services.db.read() as s:
        row = s.scalar(select(AfterFollowUp).where(AfterFollowUp.case_id == w.closed_case_id,
                                                   AfterFollowUp.months == 3))
        afu_id, version = row.id, row.version
    services.after_follow_up.record(w.coord, w.closed_case_id, months=3, expected_version=version,
                                    recorded_date=w.today, outcome="full_return", note=value)
    return lambda: (_column(services, AfterFollowUp, afu_id, "note"), _nfc(value))


def _after_follow_up_hours(services, w, hours):
    from db.models import AfterFollowUp
    with services.db.read() as s:
        row = s.scalar(select(AfterFollowUp).where(AfterFollowUp.case_id == w.closed_case_id,
                                                   AfterFollowUp.months == 6))
        afu_id, version = row.id, row.version
    services.after_follow_up.record(w.coord, w.closed_case_id, months=6, expected_version=version,
                                    recorded_date=w.today, outcome="part_time_return", hours_per_week=hours)
    return lambda: (_column(services, AfterFollowUp, afu_id, "hours_per_week"), hours)


def _letterhead(services, w, value):
    save_settings(services, w.admin, {"letterhead": {"organisation": "TTA", "department": value, "address": value}})
    head = services.settings.get("letterhead")
    return lambda: ((head["department"], head["address"]), (_nfc(value),) * 2)


# name -> (attempt, the field an error must name, the values sent)
ENTRY_POINTS = {
    "journal.add_note": (_journal_add, {"text"}, ANY_TEXT),
    "journal.edit_note": (_journal_edit, {"text"}, ANY_TEXT),
    "journal.annotate": (_journal_annotate, {"text"}, ANY_TEXT),
    "assessments.save_draft": (_assessment_notes, {"summary", "coping"}, ANY_TEXT),
    "assessments.add_addendum": (_assessment_addendum, {"text"}, ANY_TEXT),
    "plans.save_plan (texts)": (_plan_texts, {"purpose", "citizen_view", "goals", "weeks"}, ANY_TEXT),
    "plans.save_plan (hours)": (_plan_hours, {"target_hours", "weeks"}, ANY_HOURS),
    "plans.record_actual_hours": (_plan_actual_hours, {"actual_hours"}, ANY_HOURS),
    "meetings.save_meeting": (_meeting, {"agenda", "purpose", "items"}, ANY_TEXT),
    "conferences.save_item": (_conference_item, {"notes", "decision"}, ANY_TEXT),
    "conferences.add_item": (_conference_free_item, {"title"}, ANY_TEXT),
    "conferences.add_task": (_conference_task, {"title"}, ANY_TEXT),
    "tasks.create_task": (_task, {"title", "description"}, ANY_TEXT),
    "letters.send": (_letter, {"body"}, ANY_TEXT),
    "letters.record_consent": (_consent, {"given_to", "scope"}, ANY_TEXT),
    "after_follow_up.record (note)": (_after_follow_up, {"note"}, ANY_TEXT),
    "after_follow_up.record (hours)": (_after_follow_up_hours, {"hours_per_week"}, ANY_HOURS),
    "settings.save (letterhead)": (_letterhead, {"letterhead.department", "letterhead.address"}, ANY_TEXT),
}


def _same(stored, expected) -> bool:
    """Equal, a float stored as the number it was (2.0 for 2), NaN never."""
    if isinstance(expected, tuple):
        return len(stored) == len(expected) and all(_same(a, b) for a, b in zip(stored, expected, strict=True))
    if isinstance(expected, float) and expected != expected:
        return False
    return stored == expected


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@ENTRY_EXAMPLES
@given(data=st.data())
def test_free_text_and_numbers_are_stored_normalised_or_refused_naming_the_field(services, entry, data):
    attempt, fields, values = ENTRY_POINTS[entry]
    w = _world(services)
    value = data.draw(values, label="value")
    before = _fingerprint(services)
    try:
        read = attempt(services, w, value)
    except AppError as exc:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc]
        assert all(isinstance(e, ValidationError) for e in errors), (entry, errors)
        assert {e.field for e in errors} <= fields, (entry, [(e.field, e.rule) for e in errors])
        assert _fingerprint(services) == before, entry
        return
    stored, expected = read()
    assert _same(stored, expected), (entry, value, stored)


def test_an_id_no_row_can_have_is_not_found_on_both_databases(services):
    """An id beyond what an integer key holds (or zero, or negative) is "not found", as any other
    unknown id, instead of a database overflow the user would see as an unexpected error."""
    from app.errors import NotFound
    lead = make_user(services, "team_lead")
    for bad in (2**31, 10**19, 0, -1):
        with pytest.raises(NotFound):
            services.cases.get_case(lead, bad)
        with pytest.raises(NotFound):
            services.tasks.task(lead, bad)
