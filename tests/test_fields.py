"""The field table: one declaration of a case's fields drives validation, labels, data objects and forms."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import String

from app import labels
from app.case_fields import CASE_FIELDS, CONTACT_FIELDS
from app.dates import add_months, quarter_label, sick_week, weeks_between
from app.errors import ValidationError, ValidationErrors
from app.fields import Field, FieldTable
from app.services import Actor
from db.models import Case, Citizen
from tests.factories import make_case, make_user

TODAY = dt.date(2026, 11, 22)  # the FakeClock's date


def test_lengths_come_from_the_model_columns():
    for f in list(CASE_FIELDS) + list(CONTACT_FIELDS):
        col_type = f.column.property.columns[0].type if f.column is not None else None
        if isinstance(col_type, String) and col_type.length:
            assert f.max_len == col_type.length and f.limit is None, f.name
    assert CASE_FIELDS["caseworker_name"].max_len == Case.__table__.c.caseworker_name.type.length == 120
    assert CASE_FIELDS["first_name"].max_len == Citizen.__table__.c.first_name.type.length
    assert CASE_FIELDS["referral_text"].max_len == 5000  # a Text column: the table's own limit


def test_audit_labels_and_choice_words_come_from_the_table():
    for f in CASE_FIELDS:
        assert labels.FIELD_LABELS[f.name] == f.label
    assert labels.field_names("employer_name,coordinator_id") == "Arbejdsgiver, Koordinator"
    assert labels.EMPLOYMENT_LABELS == dict(CASE_FIELDS["employment_status"].choices)
    assert labels.PHASE_LABELS["assessment"] == "Udredning"
    assert labels.CONTACT_LABELS["union_rep"] == "Tillidsrepræsentant"
    # A read-only form shows a stored value through its field.
    assert CASE_FIELDS["phase"].choice_label("referral") == "Henvisning"
    assert [CASE_FIELDS["wage_earner"].choice_label(v) for v in (True, False, None)] == ["Ja", "Nej", "Ukendt"]


def test_sections_in_form_order_and_fields_by_section():
    assert CASE_FIELDS.sections(on_create=True) == ["Borger", "Henvisning", "Arbejdsplads", "Årsager og helbred",
                                                    "Karakteristika ved start", "Teamet"]
    assert [f.name for f in CASE_FIELDS.fields_in_section("Borger", on_create=True)] == [
        "cpr", "first_name", "last_name", "address", "postcode", "city", "phone", "email"]
    assert "Forløb" in CASE_FIELDS.sections() and "Forløb" not in CASE_FIELDS.sections(on_create=True)
    created = {f.name for f in CASE_FIELDS.creation_fields()}
    assert {"cpr", "absence_reasons", "contacts", "coordinator_id"} <= created
    assert not {"phase", "subgroup", "team_member_ids", "birth_date", "sex"} & created


@pytest.mark.parametrize("role,may_reassign", [("coordinator", False), ("team_lead", True)])
def test_editable_fields_follow_the_permission_matrix(role, may_reassign):
    actor = Actor(1, "x", "X", role)
    names = [f.name for f in CASE_FIELDS.editable_fields(actor)]
    assert ("coordinator_id" in names) == may_reassign
    assert {"caseworker_name", "employer_name", "referral_text", "phase", "subgroup", "team_member_ids"} <= set(names)
    assert not {"cpr", "first_name", "referral_date"} & set(names)  # read-only after creation
    assert CASE_FIELDS.editable_fields(Actor(1, "p", "P", "psychologist")) == []


def test_one_validation_function_over_the_table():
    with pytest.raises(ValidationErrors) as info:
        CASE_FIELDS.validate({"caseworker_name": "x" * 121, "caseworker_email": "lone", "gp_name": "Dr.\x07",
                              "referring_jobcentre": " "},
                             only=["caseworker_name", "caseworker_email", "gp_name", "referring_jobcentre"])
    assert [e.message for e in info.value.errors] == [  # form order
        "Henvisende jobcenter: skal udfyldes", "Sagsbehandler: må højst være 120 tegn",
        "Sagsbehandlers e-mail: er ikke en gyldig e-mailadresse", "Egen læge: må ikke indeholde kontroltegn"]
    assert CASE_FIELDS.validate({"postcode": " 8000 "}, only=["postcode"]) == {"postcode": "8000"}
    with pytest.raises(ValidationErrors, match="Postnummer: skal være fire cifre"):
        CASE_FIELDS.validate({"postcode": "800"}, only=["postcode"])
    # A rule over other fields: the employer is needed only for someone employed.
    assert CASE_FIELDS.validate({"employer_name": ""}, only=["employer_name"],
                                context={"employment_status": "unemployed"}) == {"employer_name": ""}
    with pytest.raises(ValidationErrors, match="Arbejdsgiver: skal udfyldes"):
        CASE_FIELDS.validate({"employer_name": ""}, only=["employer_name"], context={"employment_status": "employed"})
    with pytest.raises(ValidationErrors, match="Henvisningsdato: må ikke ligge i fremtiden"):
        CASE_FIELDS.validate({"referral_date": TODAY + dt.timedelta(days=1)}, only=["referral_date"], today=TODAY)
    with pytest.raises(ValidationErrors, match="Kontaktpersoner – række 1, navn: skal udfyldes"):
        CASE_FIELDS.validate({"contacts": [{"kind": "hr", "name": "", "phone": "1234"}]}, only=["contacts"])
    assert CASE_FIELDS.validate({"contacts": [{"kind": "hr", "name": " ", "phone": ""}]},
                                only=["contacts"]) == {"contacts": []}  # an empty line of the form


def test_a_table_refuses_a_field_not_named_after_its_column_or_a_second_length():
    with pytest.raises(ValueError, match="named after its column"):
        FieldTable("x", [Field("employer", "Arbejdsgiver", "A", column=Case.employer_name)])
    with pytest.raises(ValueError, match="length comes from its column"):
        FieldTable("x", [Field("employer_name", "Arbejdsgiver", "A", column=Case.employer_name, limit=50)])


def test_referral_and_record_give_the_same_message_for_the_same_rule(services):
    from tests.factories import referral_input as referral
    coord = make_user(services, "coordinator")
    with pytest.raises(ValidationErrors) as on_referral:
        services.referrals.create_referral(coord, referral(caseworker_email="bente(at)jobcenter"))
    case_id = make_case(services, coordinator_id=coord.user_id)
    v = services.cases.get_case(coord, case_id).version
    with pytest.raises(ValidationErrors) as on_record:
        services.cases.update_case(coord, case_id, expected_version=v,
                                   changes={"caseworker_email": "bente(at)jobcenter"})
    assert on_referral.value.message == on_record.value.message == (
        "Sagsbehandlers e-mail: er ikke en gyldig e-mailadresse")
    # A required field cannot be emptied in the record either.
    with pytest.raises(ValidationErrors, match="Sagsbehandler: skal udfyldes"):
        services.cases.update_case(coord, case_id, expected_version=v, changes={"caseworker_name": "  "})
    with pytest.raises(ValidationError, match="Fornavn: kan ikke rettes her"):
        services.cases.update_case(coord, case_id, expected_version=v, changes={"first_name": "Anden"})
    assert services.cases.get_case(coord, case_id).version == v


def test_case_detail_values_are_the_tables_column_fields(services):
    from tests.factories import referral_input as referral
    coord = make_user(services, "coordinator")
    case_id = services.referrals.create_referral(coord, referral())
    d = services.cases.get_case(coord, case_id)
    column_fields = {f.name for f in CASE_FIELDS if f.column is not None}
    assert set(d.values) == column_fields
    assert d.values["cpr"] == "741284-xxxx"  # masked: the full number only on demand
    assert d.values["caseworker_name"] == "Bente Lund" and d.values["employment_status"] == "employed"
    assert d.values["wage_earner"] is True and d.values["socio_economic_level"] == "wage_basic"


def test_dates_helpers():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 22), 3) == dt.date(2027, 2, 22)
    assert weeks_between(dt.date(2026, 11, 1), dt.date(2026, 11, 7)) == 1
    assert sick_week(dt.date(2026, 1, 1), dt.date(2026, 11, 22)) == 47
    assert sick_week(dt.date(2026, 1, 1), dt.date(2026, 11, 22), closed=dt.date(2026, 3, 31)) == 13
    assert sick_week(dt.date(2026, 1, 1), dt.date(2025, 12, 31)) is None
    assert quarter_label(dt.date(2026, 10, 1)) == "2026 K4"


def test_a_form_row_is_an_empty_line_only_when_nothing_but_its_preset_choices_is_in_it():
    """A row of a sub-table with nothing typed or picked is left out; a date, a number or an optional
    choice (an ICF degree) makes it a row, checked and kept or refused naming the field, never dropped."""
    from app.assessment_fields import ICF_FIELD
    from app.plan_fields import PLAN_FIELDS
    weeks, goals = PLAN_FIELDS["weeks"], PLAN_FIELDS["goals"]
    blank_week = {"starts_on": None, "weekdays": "", "hours_per_week": None, "tasks": " ", "accommodations": "",
                  "follow_up": "", "actual_hours": None}
    assert weeks.clean([blank_week], {}) == []
    kept = weeks.clean([{**blank_week, "starts_on": dt.date(2026, 11, 30), "hours_per_week": 12}], {})
    assert [(w["starts_on"], w["hours_per_week"]) for w in kept] == [(dt.date(2026, 11, 30), 12)]
    with pytest.raises(ValidationError) as exc:
        weeks.clean([{**blank_week, "starts_on": dt.date(2026, 11, 30)}], {})
    assert (exc.value.label, exc.value.rule) == ("Gradvis tilbagevenden – række 1, timer pr. uge", "skal udfyldes")
    assert goals.clean([{"owner": "citizen", "text": "", "target_date": None}], {}) == []
    icf = ICF_FIELD.clean([{"heading": "function", "resources": "", "barriers": "", "degree": 3,
                            "proposed_effort": "", "running_elsewhere": ""}], {})
    assert [(r["heading"], r["degree"]) for r in icf] == [("function", 3)]
    assert ICF_FIELD.clean([{"heading": "function", "degree": None, "resources": ""}], {}) == []
