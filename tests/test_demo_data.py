"""The demo data generator: coverage of the domain, constraints, determinism, logins."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3

import pytest
from sqlalchemy import func, select

from app.bootstrap import prepare_database
from app.demo import DEMO_PASSWORD, DEMO_USERS, generate_demo, run_demo
from app.instruments import score
from app.validation import parse_cpr
from db import codes
from db.models import Case
from tests.factories import referral_input

CASES = 200
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    counts = run_demo(url, cases=CASES, seed=7)
    return url, path, counts


@pytest.fixture()
def conn(demo):
    c = sqlite3.connect(demo[1])
    yield c
    c.close()


def _one(conn, sql: str, *args):
    return conn.execute(sql, args).fetchone()[0]


def _generate(path, seed: int) -> list[tuple[str, str, str]]:
    services = prepare_database(f"sqlite:///{path}")
    try:
        with services.db.write() as s:
            generate_demo(s, cases=60, seed=seed, today=TODAY)
    finally:
        services.close()
    with sqlite3.connect(path) as c:
        return c.execute("SELECT cpr, first_name, last_name FROM citizen ORDER BY id").fetchall()


def test_counts_match_the_database(demo, conn):
    counts = demo[2]
    assert counts["tta_case"] == CASES == _one(conn, "SELECT count(*) FROM tta_case")
    for table in ("citizen", "assessment", "action_plan", "round_table_meeting", "task", "journal_note",
                  "case_conference", "conference_item", "after_follow_up", "letter", "instrument_result"):
        assert counts[table] == _one(conn, f"SELECT count(*) FROM {table}") > 0, table


def test_every_phase_and_subgroup_occurs(conn):
    phases = {p for (p,) in conn.execute("SELECT DISTINCT phase FROM tta_case")}
    assert phases == set(codes.PHASES)
    subgroups = {g for (g,) in conn.execute("SELECT DISTINCT subgroup FROM tta_case WHERE subgroup IS NOT NULL")}
    assert subgroups == set(range(1, 9))
    outcomes = {c for (c,) in conn.execute(
        "SELECT DISTINCT ci.code FROM tta_case t JOIN catalog_item ci ON ci.id = t.outcome_id")}
    assert {"full_return", "part_time_return", "still_sick"} <= outcomes


def test_the_work_around_cases_exists(conn):
    assert _one(conn, "SELECT count(DISTINCT discipline) FROM assessment") >= 3
    assert _one(conn, "SELECT count(*) FROM assessment_section") == 5 * _one(conn, "SELECT count(*) FROM assessment")
    assert _one(conn, "SELECT count(*) FROM action_plan WHERE status = 'approved'") >= 5   # several to print
    assert {s for (s,) in conn.execute("SELECT DISTINCT status FROM action_plan")} == set(codes.PLAN_STATUSES)
    assert _one(conn, "SELECT count(*) FROM gradual_return_week") > 0
    assert _one(conn, "SELECT count(*) FROM gradual_return_week WHERE actual_hours IS NOT NULL") > 0
    assert {s for (s,) in conn.execute("SELECT DISTINCT status FROM plan_intervention")} >= {"planned", "in_progress",
                                                                                              "done"}
    assert {s for (s,) in conn.execute("SELECT DISTINCT status FROM round_table_meeting")} >= {"held", "planned"}
    kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM meeting_item")}
    assert kinds == set(codes.MEETING_ITEM_KINDS)
    assert _one(conn, "SELECT count(*) FROM after_follow_up WHERE recorded_date IS NOT NULL") > 0
    assert _one(conn, "SELECT count(*) FROM case_conference WHERE closed = 0") > 0
    # Every conference lists distinct cases (unique constraint) and most agendas have several.
    assert _one(conn, "SELECT max(n) FROM (SELECT count(*) n FROM conference_item GROUP BY conference_id)") >= 5


def test_every_open_case_has_an_open_task(conn):
    assert _one(conn, """SELECT count(*) FROM tta_case t WHERE phase <> 'closed' AND NOT EXISTS
                         (SELECT 1 FROM task k WHERE k.case_id = t.id AND k.done_at IS NULL)""") == 0
    assert _one(conn, "SELECT count(*) FROM task WHERE done_at IS NOT NULL") > 0


def test_closed_cases_are_complete(conn):
    rows = conn.execute("SELECT referral_date, closed_date, outcome_id FROM tta_case WHERE phase = 'closed'")
    for referral, closed, outcome in rows:
        assert closed is not None and outcome is not None and referral <= closed <= dt.date.today().isoformat()
    assert _one(conn, "SELECT count(*) FROM tta_case WHERE phase <> 'closed' AND closed_date IS NOT NULL") == 0
    assert _one(conn, "SELECT count(*) FROM tta_case WHERE sick_leave_start > referral_date") == 0


def test_instrument_scores_match_their_answers(conn):
    for instrument, answers, score_, band in conn.execute(
            "SELECT instrument, answers_json, score, band FROM instrument_result"):
        expected = score(instrument, json.loads(answers))
        assert (score_, band) == (expected.value, expected.band)


def test_assessments_of_every_discipline_draft_and_signed_with_addenda_and_who5_series(conn):
    rows = conn.execute("SELECT discipline, signed_at IS NOT NULL, COUNT(*) FROM assessment GROUP BY 1, 2").fetchall()
    assert {(d, bool(signed)) for d, signed, _n in rows} == {
        (d, s) for d in ("coordinator", "psychologist", "physiotherapist", "doctor", "job_consultant")
        for s in (False, True)}
    assert _one(conn, "SELECT COUNT(*) FROM assessment WHERE details_json <> '{}' AND recommendation <> ''") > 0
    assert _one(conn, "SELECT COUNT(*) FROM assessment_addendum a JOIN assessment s ON s.id = a.assessment_id "
                      "WHERE s.signed_at IS NOT NULL AND a.created_at >= s.signed_at") > 0
    assert _one(conn, "SELECT COUNT(*) FROM assessment_addendum a JOIN assessment s ON s.id = a.assessment_id "
                      "WHERE s.signed_at IS NULL") == 0
    series = conn.execute("SELECT case_id FROM instrument_result WHERE instrument = 'WHO5' AND score IS NOT NULL "
                          "GROUP BY case_id HAVING COUNT(*) >= 3").fetchall()
    assert len(series) >= 10
    assert _one(conn, "SELECT COUNT(*) FROM instrument_result WHERE instrument = 'RTW_EXPECTATION'") > 0


def test_cprs_are_fictitious_and_agree_with_the_citizen(conn):
    rows = conn.execute("SELECT cpr, birth_date, sex FROM citizen").fetchall()
    assert len({r[0] for r in rows}) == len(rows) == CASES
    for cpr, birth, sex in rows:
        info = parse_cpr(cpr)
        assert info.fictitious
        assert info.birth_date.isoformat() == birth
        assert info.sex == sex


def test_email_addresses_are_well_formed_and_fictitious(conn):
    address = re.compile(r"[a-z0-9.]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example")
    for table, column in (("citizen", "email"), ("workplace_contact", "email"), ("tta_case", "caseworker_email"),
                          ("user_account", "email")):
        for (email,) in conn.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''"):
            assert address.fullmatch(email), (table, email)


def test_foreign_keys_hold(conn):
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_demo_user_can_log_in(demo):
    services = prepare_database(demo[0])
    try:
        roles = set()
        for username, full_name, role, _initials in DEMO_USERS:
            actor = services.auth.login(username, DEMO_PASSWORD)
            assert (actor.username, actor.full_name, actor.role) == (username, full_name, role)
            roles.add(role)
        assert roles == set(codes.ROLES)
    finally:
        services.close()


def test_refuses_a_database_with_cases(demo):
    services = prepare_database(demo[0])
    try:
        with pytest.raises(ValueError, match="allerede forløb"):
            with services.db.write() as s:
                generate_demo(s, cases=5, seed=1)
        with services.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == CASES
    finally:
        services.close()


def test_same_seed_same_people_other_seed_other_people(tmp_path):
    first = _generate(tmp_path / "a.db", 42)
    again = _generate(tmp_path / "b.db", 42)
    other = _generate(tmp_path / "c.db", 43)
    assert first == again
    assert first != other
    assert {r[0] for r in first} != {r[0] for r in other}


# Rows per table and the start of a SHA-256 over every row (``SELECT * ... ORDER BY id``), recorded from
# generate_demo(cases=60, seed=42, today=TODAY). A refactoring of app/demo must leave these unchanged;
# a deliberate change to the generated data updates them in the same commit and says why.
RECORDED = {
    "action_plan": (46, "29b1d22fa937cf6c"),
    "after_follow_up": (51, "1cf8bdb9d2153a14"),
    "assessment": (147, "133e471b63ea42d3"),
    "assessment_addendum": (18, "77f88830e9263861"),
    "assessment_section": (735, "9ce9d44543c8d7fa"),
    "case_absence_reason": (91, "60c36ae8dad86076"),
    "case_conference": (71, "9dd4194b82b0d85c"),
    "case_icd10": (84, "b60dca6feb9ed83d"),
    "case_team_member": (111, "a09f2d994b5ed613"),
    "citizen": (60, "95f6475be97a4428"),
    "conference_item": (308, "d363eff513ad05ec"),
    "consent": (58, "b808450cf9acc235"),
    "gradual_return_week": (148, "2c59283fd6e96c46"),
    "instrument_result": (243, "5261eca4bae0e7eb"),
    "journal_note": (499, "38c5d23c9000612e"),
    "letter": (142, "c90d6cc5bc0b0dd4"),
    "meeting_item": (203, "ae11104c23c784dc"),
    "meeting_participant": (155, "d15961c2ca221cfd"),
    "plan_goal": (157, "d92fd0775347ae95"),
    "plan_intervention": (144, "ffae6e03c4eb3233"),
    "round_table_meeting": (39, "d98bb61cbd51eaf6"),
    "task": (863, "266305cbac6ceed9"),
    "tta_case": (60, "4d0f434119fff4c3"),
    "workplace_contact": (81, "052329262c398a17"),
}


def test_same_seed_gives_the_recorded_data(tmp_path):
    path = tmp_path / "recorded.db"
    _generate(path, 42)
    with sqlite3.connect(path) as c:
        # A few values in plain sight, so a failure shows what moved before the digests do.
        assert c.execute("SELECT cpr, first_name, last_name, address FROM citizen ORDER BY id LIMIT 1").fetchone() \
            == ("8608939333", "Frederik", "Holm", "Engvej 77, 2. tv.")
        assert c.execute("SELECT case_number, phase, referral_date, subgroup FROM tta_case ORDER BY id LIMIT 1"
                         ).fetchone() == ("TTA-2024-00001", "closed", "2024-12-09", 7)
        assert c.execute("SELECT email FROM workplace_contact ORDER BY id LIMIT 1").fetchone() \
            == ("soermads@region-hovedstaden.example",)
        found = {}
        for table in RECORDED:
            digest = hashlib.sha256()
            rows = c.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for row in rows:
                digest.update(repr(row).encode())
            found[table] = (len(rows), digest.hexdigest()[:16])
    assert found == RECORDED


def test_demo_database_is_usable_on_both_backends(services):
    """Demo rows carry ids assigned by the generator; afterwards ordinary inserts (login audit,
    a new referral, a journal note) must still work, on PostgreSQL too (its sequences)."""
    with services.db.write() as s:
        generate_demo(s, cases=30, seed=3, today=dt.date(2026, 11, 22))
    actor = services.auth.login("koordinator", DEMO_PASSWORD)
    case_id = services.referrals.create_referral(actor, referral_input(cpr="691299-1234"))
    services.journal.add_note(actor, case_id, note_date=dt.date(2026, 11, 20), kind="phone", text="Første kontakt")
    assert services.cases.get_case(actor, case_id).case_number.startswith("TTA-2026-")


def test_demo_generation_reports_progress_and_a_cancel_leaves_nothing_behind(sqlite_url):
    class Cancel(Exception):
        pass

    class Recorder:
        def __init__(self, stop_after: int | None):
            self.reports, self.stop_after = [], stop_after

        def report(self, done, total=None, text=None):
            self.reports.append((done, total))

        def check(self):
            if self.stop_after is not None and len(self.reports) >= self.stop_after:
                raise Cancel()

    services = prepare_database(sqlite_url)
    try:
        cancelled = Recorder(stop_after=2)
        with pytest.raises(Cancel), services.db.write() as s:
            generate_demo(s, cases=300, seed=3, progress=cancelled)
        with services.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 0
        done = Recorder(stop_after=None)
        with services.db.write() as s:
            generate_demo(s, cases=300, seed=3, progress=done)
        assert done.reports[0] == (0, 300) and done.reports[-1] == (300, 300)
    finally:
        services.close()
