"""The case list's filters in SQL: the ones Overblik's figures open (the actor's team, no coordinator,
several phases at once), on both backends."""
from __future__ import annotations

from tests.factories import make_case, make_user


def test_search_finds_the_cases_on_my_team_without_coordinator_and_in_several_phases(services):
    coord = make_user(services, "coordinator", "mette")
    psych = make_user(services, "psychologist", "signe")
    on_team = make_case(services, first_name="Med", coordinator_id=coord.user_id, phase="referral")
    not_on_team = make_case(services, first_name="Uden", coordinator_id=coord.user_id, phase="visitation")
    nobody = make_case(services, first_name="Ingen", coordinator_id=None, phase="plan")
    version = services.cases.get_case(coord, on_team).version
    services.cases.update_case(coord, on_team, expected_version=version,
                               changes={"team_member_ids": [psych.user_id]})

    def search(actor, **filters):
        return set(services.cases.search_ids(actor, **filters))
    assert search(psych, on_my_team=True) == {on_team}
    assert search(coord, on_my_team=True) == set()
    assert search(coord, without_coordinator=True) == {nobody}
    assert search(coord, phase=("referral", "visitation")) == {on_team, not_on_team}
    assert search(coord, phase=("referral", "visitation"), mine=True) == {on_team, not_on_team}
    assert search(coord, phase="plan") == {nobody}
    assert search(psych, on_my_team=True, phase=("plan",)) == set()
