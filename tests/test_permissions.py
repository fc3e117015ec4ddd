"""The permission matrix, cell by cell, and the services that enforce it."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import permissions
from app.errors import PermissionDenied
from db.codes import ROLES
from tests.conftest import make_user
from tests.factories import make_case

C, P, F, D, J, T, A = ROLES  # coordinator, psychologist, physiotherapist, doctor, job_consultant, team_lead, admin

# Written out independently of app/permissions.py: a change to either must be deliberate.
EXPECTED = {
    "case.read": {C, P, F, D, J, T},
    "case.search": {C, P, F, D, J, T},
    "case.reveal_cpr": {C, P, F, D, J, T},
    "case.create": {C, T},
    "case.update": {C, T},
    "case.visitate": {C, T},
    "case.close": {C, T},
    "case.reopen": {C},
    "case.after_follow_up": {C, T},
    "case.reassign": {T},
    "journal.write": {C, P, F, D, J},
    "assessment.write": {C, P, F, D},
    "plan.write": {C},
    "plan.approve": {T},
    "meeting.write": {C, J},
    "conference.write": {C, T},
    "task.write": {C, P, F, D, J, T},
    "letter.print": {C, T},
    "stats.read": {C, T},
    "audit.read": {T, A},
    "user.manage": {A},
    "catalog.manage": {A, T},
    "settings.manage": {A},
}


def test_matrix_has_exactly_the_expected_actions():
    assert set(permissions.MATRIX) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_every_cell(role, action):
    assert permissions.allowed(role, action) == (role in EXPECTED[action])


def test_unknown_action_is_denied():
    assert not any(permissions.allowed(r, "case.delete_everything") for r in ROLES)


# Service entry points for the actions that have services so far: each is called by every role.
def _calls(services, case_id):
    return {
        "case.read": lambda a: services.cases.get_case(a, case_id),
        "case.search": lambda a: services.cases.search_ids(a, "hansen"),
        "case.reveal_cpr": lambda a: services.cases.reveal_cpr(a, case_id),
        "case.update": lambda a: services.cases.update_case(
            a, case_id, expected_version=None, changes={"job_title": f"Titel {a.role}"}),
        "user.manage": lambda a: services.users.create_user(
            a, username=f"u-{a.role}", full_name="Ny Bruger", role="doctor", password="hemmelig123"),
        "catalog.manage": lambda a: services.catalog.add_item(a, "intervention", f"Ny indsats {a.role}"),
        "settings.manage": lambda a: services.settings.set(a, "idle_lock_minutes", 5),
        "stats.read": lambda a: services.overview.outcomes_by_quarter(a),
        "audit.read": lambda a: services.overview.audit_entries(a),
    }


@pytest.mark.parametrize("backend", ["sqlite"])
def test_services_enforce_the_matrix_for_every_role(services):
    actors = {role: make_user(services, role, f"user-{role}") for role in ROLES}
    case_id = make_case(services)
    for action, call in _calls(services, case_id).items():
        for role, actor in actors.items():
            if role in EXPECTED[action]:
                call(actor)
            else:
                with pytest.raises(PermissionDenied):
                    call(actor)


def test_permissions_doc_is_current():
    doc = (Path(__file__).parent.parent / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert permissions.markdown_table() in doc, "run: python main.py permissions-doc"
