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


