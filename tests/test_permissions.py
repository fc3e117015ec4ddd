"""The permission matrix, cell by cell, and the services that enforce it."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from app import permissions
from app.errors import PermissionDenied
from db.codes import ROLES
from tests.factories import make_case, make_user, referral_input

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
    "assessment.write": {C, P, F, D, J},
    "plan.write": {C, T},
    "plan.approve": {C, T},
    "plan.templates": {T},
    "meeting.write": {C, J},
    "conference.write": {C, T},
    "task.write": {C, P, F, D, J, T},
    "task.assign": {T},
    "letter.print": {C, T},
    "letter.templates": {T, A},
    "consent.write": {C, T},
    "deadline.rules": {A},
    "stats.read": {C, T},
    "case.import": {T},
    "case.export": {C, T},
    "audit.read": {T, A},
    "access.review": {T},
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


# Service entry points for the actions that have services so far: each is called by every role. Every
# case has every actor on its team, so need-to-know (tests/test_access_matrix.py) never decides here.
def _calls(services, case_id):
    import datetime as dt

    serial = iter(range(100))
    closed_id = {}

    def closed_case(a):
        # A fresh closed case per caller, so each role meets the rule and not an earlier role's result.
        cid = make_case(services, first_name=f"Lukket{next(serial)}", phase="assessment", team_member_ids=_everyone)
        v = services.cases.get_case(_lead, cid).version
        services.closing.close_case(_lead, cid, expected_version=v, closed_date=dt.date(2026, 11, 1),
                                    outcome="full_return")
        closed_id[a.role] = cid
        return cid, services.cases.get_case(_lead, cid).version

    def open_case():
        cid = make_case(services, first_name=f"Åben{next(serial)}", phase="assessment", team_member_ids=_everyone)
        return cid, services.cases.get_case(_lead, cid).version

    def referral_case():
        cid = make_case(services, first_name=f"Ny{next(serial)}", phase="referral", team_member_ids=_everyone)
        return cid, services.cases.get_case(_lead, cid).version

    def reopen(a):
        cid, v = closed_case(a)
        services.closing.reopen_case(a, cid, expected_version=v, reason="Ny sygemelding")

    def after(a):
        cid, _v = closed_case(a)
        services.after_follow_up.record(a, cid, months=3, expected_version=1,   # as closing made it
                                        recorded_date=dt.date(2026, 11, 20), outcome="full_return")

    def close(a):
        cid, v = open_case()
        services.closing.close_case(a, cid, expected_version=v, closed_date=dt.date(2026, 11, 1),
                                    outcome="still_sick")

    def visitate(a):
        cid, v = referral_case()
        services.visitation.visitate(a, cid, expected_version=v, accepted=False, rejection_reason="declined")

    def reassign(a):
        services.caseload.move_cases(a, from_user_id=_coord_ids[0], to_user_id=_coord_ids[1])

    return {
        "case.create": lambda a: services.referrals.create_referral(
            a, referral_input(cpr=f"{61 + next(serial) % 28:02d}0390-12{next(serial):02d}", first_name=f"R{a.role}",
                        last_name=f"Rolle{next(serial)}")),
        "case.visitate": visitate,
        "case.close": close,
        "case.reopen": reopen,
        "case.after_follow_up": after,
        "case.reassign": reassign,
        "journal.write": lambda a: services.journal.add_note(a, case_id, note_date=dt.date(2026, 11, 20),
                                                             kind="phone", text=f"Notat fra {a.role}"),
        "case.read": lambda a: services.cases.get_case(a, case_id),
        "case.search": lambda a: services.cases.search_ids(a, "hansen"),
        "case.reveal_cpr": lambda a: services.cases.reveal_cpr(a, case_id),
        "case.update": lambda a: services.cases.update_case(
            a, case_id, expected_version=services.cases.get_case(_lead, case_id).version,
            changes={"job_title": f"Titel {a.role}"}),
        "user.manage": lambda a: services.users.create_user(
            a, username=f"u-{a.role}", full_name="Ny Bruger", role="doctor", password="hemmelig123"),
        "catalog.manage": lambda a: services.catalog.add_item(a, "intervention", f"Ny indsats {a.role}"),
        "settings.manage": lambda a: services.settings.save(
            a, {"idle_lock_minutes": 5}, expected_versions=services.settings.read(["idle_lock_minutes"]).versions),
        "stats.read": lambda a: services.statistics.outcome_table(a, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        "case.import": lambda a: services.importing.check_file(a, _import_file()),
        "case.export": lambda a: services.exports.export_case_list(a, [case_id], _export_path(), "csv"),
        "audit.read": lambda a: services.audit_log.entries(a),
        "access.review": lambda a: services.access_review.list_grants(a),
    }


def _import_file() -> Path:
    path = Path(tempfile.mkdtemp()) / "forloeb.csv"
    path.write_text("cpr;fornavn;efternavn;koen;henvisningsdato;sygemeldt_fra;ansaettelse;aarsager\n", encoding="utf-8")
    return path


def _export_path() -> Path:
    return Path(tempfile.mkdtemp()) / "forloeb.csv"


_lead = None
_coord_ids: list[int] = []
_everyone: list[int] = []


@pytest.mark.sqlite_only
def test_services_enforce_the_matrix_for_every_role(services):
    global _lead, _coord_ids, _everyone
    actors = {role: make_user(services, role, f"user-{role}") for role in ROLES}
    _lead = actors["team_lead"]
    _coord_ids = [actors["coordinator"].user_id, make_user(services, "coordinator", "user-coordinator-2").user_id]
    _everyone = [a.user_id for a in actors.values()]
    case_id = make_case(services, team_member_ids=_everyone)
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
