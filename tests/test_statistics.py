"""Statistics computed by the service: Table 2 as in seed 000 (every status and reason, per calendar
quarter, whole percents, the headline rate), Table 1, what works for whom, fidelity, and who may see it."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, ValidationError
from app.reports.export import outcome_json
from app.services.statistics import OutcomeCell, percent, quarters_between
from db.models import AfterFollowUp, AuditEntry, Case, CatalogItem, InstrumentResult
from tests import kia_seed
from tests.factories import make_case, make_user


def close(services, lead, closed: dt.date, outcome: str, n: int = 1) -> None:
    for i in range(n):
        cid = make_case(services, first_name=f"F{closed:%m%d}{outcome[:4]}{i}", referral_date=dt.date(2026, 1, 5),
                        sick_leave_start=dt.date(2025, 12, 1))
        v = services.cases.get_case(lead, cid).version
        services.closing.close_case(lead, cid, expected_version=v, closed_date=closed, outcome=outcome,
                                    final_hours_per_week=20 if outcome == "part_time_return" else None,
                                    other_reason="moved" if outcome == "other" else None)


def test_seed_000_quarter_columns_are_reproduced(services):
    lead = make_user(services, "team_lead")
    kia_seed.seed_quarters(services)
    t = services.statistics.outcome_table(lead, *kia_seed.PERIOD)
    assert t.quarters == ["2008 K1", "2008 K2", "2008 K3"] and t.closed_per_quarter == [33, 48, 18]
    assert [r.label for r in t.rows] == ["Raskmeldt fuld tid", "Raskmeldt deltid", "Raskmeldt a-kasse", "Revalidering",
                                         "Arbejdsprøvning", "Fortsat sygemeldt", "Andet, herunder"]
    rows = {r.code: r for r in t.rows}
    for code in kia_seed.STATUS_ORDER:
        assert rows[code].quarters[0] == OutcomeCell(kia_seed.Q1[code], kia_seed.Q1_PERCENT[code]), code
        assert rows[code].quarters[1] == OutcomeCell(kia_seed.Q2[code], kia_seed.Q2_PERCENT[code]), code
    assert {r.code: r.total for r in t.other_reasons} == kia_seed.ANDET
    assert [(r.label, r.comment) for r in t.other_reasons] == [
        ("Ikke i målgruppen", "Visiteret"), ("Ikke mødt", "Visiteret"), ("Ønsker ikke tilbud", "Visiteret"),
        ("Flyttet", "Ikke visiteret"), ("Raskmeldt før start", "Ikke visiteret"),
        ("Var i andet forløb", "Ikke visiteret")]
    assert t.closed == 99


def test_seed_000_total_column_and_the_43_percent_headline(services):
    lead = make_user(services, "team_lead")
    kia_seed.seed_totals(services)
    t = services.statistics.outcome_table(lead, *kia_seed.PERIOD)
    assert {r.code: (r.total.count, r.total.percent) for r in t.rows} == {
        c: (kia_seed.TOTAL[c], kia_seed.TOTAL_PERCENT[c]) for c in kia_seed.STATUS_ORDER}
    assert (t.returned, t.closed, t.return_rate) == (43, 99, 43)
    data = json.loads(json.dumps(outcome_json(t)))
    assert data["return_to_work_percent"] == 43 and data["total"]["closed"] == 99
    assert data["andet"] == kia_seed.ANDET
    assert [q["label"] for q in data["quarters"]] == ["2008 K1", "2008 K2", "2008 K3"]
    assert data["quarters"][2]["counts"] == kia_seed.TOTAL and data["quarters"][0]["closed"] == 0


def test_every_status_is_a_row_and_the_period_limits_the_cases(services):
    lead = make_user(services, "team_lead")
    close(services, lead, dt.date(2026, 2, 1), "full_return")
    close(services, lead, dt.date(2026, 5, 1), "still_sick", 2)
    close(services, lead, dt.date(2026, 5, 2), "part_time_return")
    close(services, lead, dt.date(2026, 6, 30), "other")
    close(services, lead, dt.date(2026, 7, 1), "full_return")   # after the period
    make_case(services, first_name="Åben")  # open cases are not in the table
    t = services.statistics.outcome_table(lead, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert t.quarters == ["2026 K1", "2026 K2"] and len(t.rows) == 7
    rows = {r.code: r for r in t.rows}
    assert rows["fuld_tid"].quarters == [OutcomeCell(1, 100), OutcomeCell(0, 0)]
    assert rows["fortsat_sygemeldt"].quarters == [OutcomeCell(0, 0), OutcomeCell(2, 50)]
    assert rows["arbejdsproevning"].total == OutcomeCell(0, 0)
    assert {r.code: r.total for r in t.other_reasons}["flyttet"] == 1
    assert (t.returned, t.closed, t.return_rate) == (2, 5, 40)


def test_rounding_half_up_and_quarters():
    assert percent(1, 3) == 33 and percent(2, 3) == 67 and percent(1, 8) == 13 and percent(0, 0) == 0
    assert percent(15, 33) == 45 and percent(18, 48) == 38   # 45.45 down, 37.5 up
    assert quarters_between(dt.date(2025, 11, 1), dt.date(2026, 4, 2)) == ["2025 K4", "2026 K1", "2026 K2"]


def test_nothing_closed_gives_rows_without_a_rate(services):
    lead = make_user(services, "team_lead")
    t = services.statistics.outcome_table(lead, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert t.quarters == ["2026 K1"] and len(t.rows) == 7 and t.closed == 0 and t.return_rate is None


def test_a_backwards_period_is_refused(services):
    lead = make_user(services, "team_lead")
    with pytest.raises(ValidationError, match="før startdatoen"):
        services.statistics.report(lead, dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_only_coordinator_and_team_lead_see_statistics_and_each_report_is_logged(services):
    for role in ("psychologist", "admin", "doctor"):
        with pytest.raises(PermissionDenied):
            services.statistics.report(make_user(services, role), dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    coordinator = make_user(services, "coordinator")
    services.statistics.report(coordinator, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with services.db.read() as s:
        entry = s.execute(select(AuditEntry.user_id, AuditEntry.detail).where(AuditEntry.entity == "statistics")).one()
    assert entry.user_id == coordinator.user_id and "01-01-2026 – 31-12-2026" in entry.detail


def test_intake_table_counts_the_referred_cases(services):
    lead = make_user(services, "team_lead")
    a = make_case(services, first_name="A", birth=dt.date(1980, 1, 1), referral_date=dt.date(2026, 3, 1),
                  sick_leave_start=dt.date(2026, 2, 1))
    make_case(services, first_name="B", birth=dt.date(1990, 6, 1), referral_date=dt.date(2026, 3, 2),
              sick_leave_start=dt.date(2026, 2, 1))
    make_case(services, first_name="Før", referral_date=dt.date(2025, 3, 2), sick_leave_start=dt.date(2025, 2, 1))
    with services.db.write() as s:
        c = s.get(Case, a)
        c.absent_before_same_cause, c.socio_economic_level = True, "top_manager"
    t = services.statistics.report(lead, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).intake
    assert t.referred == 2 and t.mean_age == 40.5 and (t.min_age, t.max_age) == (35, 46)
    groups = {g.title: {line.label: (line.count, line.percent) for line in g.lines} for g in t.groups}
    assert groups["Køn"]["Kvinder"] == (2, 100) and groups["Køn"]["Mænd"] == (0, 0)
    assert groups["Socioøkonomisk status"]["Topleder"] == (1, 50)
    assert groups["Tidligere fraværende af samme årsag"]["Ja"] == (1, 50)
    assert groups["Fraværsårsag"]["Mere end én årsag"] == (0, 0)


def test_what_works_by_subgroup_with_after_follow_up_and_who5(services):
    lead = make_user(services, "team_lead")
    close(services, lead, dt.date(2026, 3, 1), "full_return", 2)
    close(services, lead, dt.date(2026, 3, 1), "still_sick")
    with services.db.write() as s:
        cases = list(s.scalars(select(Case).order_by(Case.id)))
        cases[2].outside_criteria, cases[2].outside_criteria_reason = True, "erfaring"
        full = s.scalar(select(CatalogItem.id).where(CatalogItem.kind == "outcome", CatalogItem.code == "full_return"))
        sick = s.scalar(select(CatalogItem.id).where(CatalogItem.kind == "outcome", CatalogItem.code == "still_sick"))
        for c, outcome in ((cases[0], full), (cases[1], sick)):
            f = s.scalar(select(AfterFollowUp).where(AfterFollowUp.case_id == c.id, AfterFollowUp.months == 3))
            f.recorded_date, f.outcome_id = dt.date(2026, 6, 1), outcome
        for day, score in ((dt.date(2026, 1, 10), 32.0), (dt.date(2026, 2, 20), 56.0)):
            s.add(InstrumentResult(case_id=cases[0].id, instrument="WHO5", taken_on=day, answers_json="[]",
                                   score=score, recorded_by_id=lead.user_id))
    w = services.statistics.report(lead, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).what_works
    stress = w.rows[0]
    assert stress.label.startswith("1.") and (stress.closed, stress.returned_at_closing, stress.returned_percent) == (
        2, 2, 100)
    assert (stress.follow_ups[3].recorded, stress.follow_ups[3].returned, stress.follow_ups[3].percent) == (2, 1, 50)
    assert (stress.who5_cases, stress.who5_first, stress.who5_last, stress.who5_change) == (1, 32.0, 56.0, 24.0)
    assert w.outside_criteria.closed == 1 and w.outside_criteria.returned_at_closing == 0


def test_fidelity_per_case_and_in_total(services):
    lead = make_user(services, "team_lead")
    coordinator = make_user(services, "coordinator")
    close(services, lead, dt.date(2026, 3, 1), "full_return", 2)
    with services.db.write() as s:
        first = s.scalars(select(Case).order_by(Case.id)).first()
        first.coordinator_id = coordinator.user_id
    f = services.statistics.report(lead, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).fidelity
    assert [c.score for c in f.cases] == [1, 0]
    totals = {line.label: (line.count, line.percent) for line in f.totals}
    assert totals["Koordinator"] == (1, 50) and totals["Handlingsplan"] == (0, 0)
    assert {line.label: line.count for line in f.distribution}["0 af 5"] == 1
    # A coordinator's list per case holds only the cases they are on; the totals count every case.
    other = make_user(services, "coordinator")
    for reader, listed in ((coordinator, [1]), (other, [])):
        g = services.statistics.report(reader, dt.date(2026, 1, 1), dt.date(2026, 12, 31)).fidelity
        assert [c.score for c in g.cases] == listed and g.not_listed == 2 - len(listed)
        assert [(line.label, line.count) for line in g.totals] == [(line.label, line.count) for line in f.totals]
