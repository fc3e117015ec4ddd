"""Statistics computed by the service: the outcome table per quarter and the return-to-work rate."""
from __future__ import annotations

import datetime as dt

from app.services.statistics import OutcomeCell, percent
from tests.factories import make_case, make_user


def close(services, lead, closed: dt.date, outcome: str, n: int = 1) -> None:
    for i in range(n):
        cid = make_case(services, first_name=f"F{closed:%m%d}{outcome[:4]}{i}", referral_date=dt.date(2026, 1, 5),
                        sick_leave_start=dt.date(2025, 12, 1))
        v = services.cases.get_case(lead, cid).version
        services.closing.close_case(lead, cid, expected_version=v, closed_date=closed, outcome=outcome,
                                    final_hours_per_week=20 if outcome == "part_time_return" else None,
                                    other_reason="moved" if outcome == "other" else None)


def test_outcome_table_has_every_status_in_catalogue_order_with_whole_percents(services):
    lead = make_user(services, "team_lead")
    close(services, lead, dt.date(2026, 2, 1), "full_return")
    close(services, lead, dt.date(2026, 5, 1), "still_sick", 2)
    close(services, lead, dt.date(2026, 5, 2), "part_time_return")
    close(services, lead, dt.date(2026, 6, 30), "other")
    make_case(services, first_name="Åben")  # open cases are not in the table
    t = services.statistics.outcome_table(lead)
    assert t.quarters == ["2026 K1", "2026 K2"]
    assert [r.code for r in t.rows] == ["full_return", "part_time_return", "fit_to_akasse", "rehabilitation",
                                        "work_trial", "still_sick", "other"]
    rows = {r.code: r for r in t.rows}
    assert rows["full_return"].quarters == [OutcomeCell(1, 100), OutcomeCell(0, 0)]
    assert rows["still_sick"].quarters == [OutcomeCell(0, 0), OutcomeCell(2, 50)]
    assert rows["part_time_return"].quarters[1] == OutcomeCell(1, 25)
    assert rows["work_trial"].quarters == [OutcomeCell(0, 0), OutcomeCell(0, 0)] and rows["work_trial"].total.count == 0
    assert rows["full_return"].total == OutcomeCell(1, 20)
    assert [c.count for c in t.totals.quarters] == [1, 4] and t.totals.total == OutcomeCell(5, 100)
    assert t.totals.label == "Afsluttede i alt"
    assert (t.returned, t.closed, t.return_rate) == (2, 5, 40)


def test_empty_table_and_rounding():
    assert percent(1, 3) == 33 and percent(2, 3) == 67 and percent(1, 8) == 13 and percent(0, 0) == 0


def test_nothing_closed_gives_rows_without_quarters(services):
    lead = make_user(services, "team_lead")
    t = services.statistics.outcome_table(lead)
    assert t.quarters == [] and len(t.rows) == 7 and t.closed == 0 and t.return_rate is None


def test_visitation_summary_is_typed(services):
    lead = make_user(services, "team_lead")
    make_case(services, first_name="Ny", phase="referral")
    make_case(services, first_name="Visiteret")
    s = services.statistics.visitation_summary(lead)
    assert (s.accepted, s.rejected, s.pending, s.outside_criteria) == (1, 0, 1, 0)
