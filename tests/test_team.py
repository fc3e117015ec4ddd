"""Who may be coordinator is one rule, the same in every list a form shows and in every service that
sets a coordinator; moving a case to another coordinator is the team lead's decision."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError, ValidationErrors
from app.services.team import TeamMember
from db.models import AuditEntry, User
from tests.factories import make_case, make_user
from tests.factories import referral_input as referral


@pytest.fixture
def team(services):
    people = {
        "anna": make_user(services, "coordinator", "anna", full_name="Anna Berg"),
        "bo": make_user(services, "coordinator", "bo", full_name="Bo Dahl"),
        "tove": make_user(services, "team_lead", "tove", full_name="Tove Lund"),
        "per": make_user(services, "psychologist", "per", full_name="Per Holm"),
        "admin": make_user(services, "admin", "chef", full_name="Chef Admin"),
        "gone": make_user(services, "coordinator", "gone", full_name="Gitte Gået"),
    }
    with services.db.write() as s:
        s.scalar(select(User).where(User.username == "gone")).active = False
    return people


def test_coordinators_are_active_coordinators_and_members_everyone_but_admins(services, team):
    assert services.team.coordinators(team["per"]) == [
        TeamMember(team["anna"].user_id, "Anna Berg", "coordinator"),
        TeamMember(team["bo"].user_id, "Bo Dahl", "coordinator")]
    assert [m.full_name for m in services.team.members(team["per"])] == [
        "Anna Berg", "Bo Dahl", "Per Holm", "Tove Lund"]


def test_every_service_that_sets_a_coordinator_applies_the_same_rule(services, team):
    anna, bo, tove = team["anna"], team["bo"], team["tove"]
    for not_a_coordinator in (tove, team["per"], team["gone"]):
        with pytest.raises(ValidationError, match="Koordinator: skal være en aktiv TTA-koordinator"):
            services.referrals.create_referral(anna, referral(coordinator_id=not_a_coordinator.user_id))
        case_id = make_case(services, first_name=f"F{not_a_coordinator.user_id}", coordinator_id=anna.user_id)
        v = services.cases.get_case(tove, case_id).version
        with pytest.raises(ValidationError, match="Koordinator: skal være en aktiv TTA-koordinator"):
            services.cases.update_case(tove, case_id, expected_version=v,
                                       changes={"coordinator_id": not_a_coordinator.user_id})
        with pytest.raises(ValidationError, match="Ny koordinator: skal være en aktiv TTA-koordinator"):
            services.caseload.move_cases(tove, from_user_id=anna.user_id, to_user_id=not_a_coordinator.user_id)
    # A team lead's own referral gets no coordinator by default; a coordinator's is theirs.
    lead_case = services.referrals.create_referral(tove, referral())
    assert services.cases.get_case(tove, lead_case).values["coordinator_id"] is None
    chosen = services.referrals.create_referral(anna, referral(cpr="741285-1234", first_name="Berit",
                                                               coordinator_id=bo.user_id))
    assert services.cases.get_case(bo, chosen).values["coordinator_id"] == bo.user_id


def test_a_coordinator_cannot_change_the_coordinator_from_the_record(services, team):
    anna, bo, tove = team["anna"], team["bo"], team["tove"]
    case_id = make_case(services, coordinator_id=anna.user_id)
    v = services.cases.get_case(anna, case_id).version
    with pytest.raises(PermissionDenied) as info:
        services.cases.update_case(anna, case_id, expected_version=v,
                                   changes={"job_title": "Souschef", "coordinator_id": bo.user_id})
    assert info.value.action == "case.reassign"
    d = services.cases.get_case(anna, case_id)
    assert d.version == v and d.values["coordinator_id"] == anna.user_id and d.values["job_title"] == ""
    with pytest.raises(PermissionDenied):
        services.cases.update_case(anna, case_id, expected_version=v, changes={"coordinator_id": None})
    # Sending the unchanged coordinator along with other fields is no change of coordinator.
    v = services.cases.update_case(anna, case_id, expected_version=v,
                                   changes={"job_title": "Souschef", "coordinator_id": anna.user_id})
    # The team lead may move it.
    services.cases.update_case(tove, case_id, expected_version=v, changes={"coordinator_id": bo.user_id})
    d = services.cases.get_case(tove, case_id)
    assert d.values["coordinator_id"] == bo.user_id and d.coordinator == "Bo Dahl"
    with services.db.read() as s:
        fields = s.scalars(select(AuditEntry.fields).where(AuditEntry.case_id == case_id,
                                                           AuditEntry.action == "update")).all()
    assert fields == ["job_title", "coordinator_id"]


def test_case_team_members_must_be_active_non_admin_users(services, team):
    tove = team["tove"]
    case_id = make_case(services, coordinator_id=team["anna"].user_id)
    v = services.cases.get_case(tove, case_id).version
    for outsider in ("admin", "gone"):
        with pytest.raises(ValidationError, match="Teammedlemmer: skal være aktive medlemmer af teamet"):
            services.cases.update_case(tove, case_id, expected_version=v,
                                       changes={"team_member_ids": [team["per"].user_id, team[outsider].user_id]})
    services.cases.update_case(tove, case_id, expected_version=v, changes={"team_member_ids": [team["per"].user_id]})
    assert services.cases.get_case(tove, case_id).team_member_ids == [team["per"].user_id]


def test_update_case_rejects_unknown_fields(services, team):
    case_id = make_case(services)
    with pytest.raises(ValidationError, match="kan ikke rettes her"):
        services.cases.update_case(team["tove"], case_id, expected_version=1, changes={"password": "x"})
    with pytest.raises(ValidationErrors):
        services.cases.update_case(team["tove"], case_id, expected_version=1, changes={"subgroup": "tre"})
