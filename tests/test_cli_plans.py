"""``print plan`` and ``print plans`` as the team lead runs them: the same PDF as the app, clear
refusals with exit status 2 for an unknown case or version, every print logged."""
from __future__ import annotations

import datetime as dt

import pdfplumber
from sqlalchemy import select

import main
from app.cli import base as cli
from db.models import AuditEntry, Case
from db.private_files import file_mode
from tests.factories import make_case, make_user, plan_values


def _approved_case(services, coord, lead, **case):
    case_id = make_case(services, coordinator_id=coord.user_id, normal_hours=37.0, **case)
    pid = services.plans.start_plan(coord, case_id)
    services.plans.save_plan(coord, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version,
                             values=plan_values())
    services.plans.approve(lead, pid, expected_version=services.plans.plan_tab(coord, case_id).plan.version)
    with services.db.read() as s:
        return case_id, s.get(Case, case_id).case_number


def test_print_plan_writes_the_pdf_and_logs_it(services, db_url, monkeypatch, tmp_path, capsys):
    coord = make_user(services, "coordinator", "koord")
    lead = make_user(services, "team_lead", "leder")
    case_id, number = _approved_case(services, coord, lead, first_name="Bodil")
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    out = tmp_path / "plan.pdf"
    code = main.main(["print", "plan", "--db", db_url, "--user", "leder", "--case", number.lower(),
                      "--audience", "employer", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Plan for tilbagevenden til arbejdet" in text and "Bodil" in text
    with services.db.read() as s:
        details = list(s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "print",
                                                                 AuditEntry.case_id == case_id)))
    assert details == ["version 1, arbejdsgiverens version: fil plan.pdf"]


def test_unknown_case_or_version_exits_2_with_a_message(services, db_url, monkeypatch, tmp_path, capsys):
    coord = make_user(services, "coordinator", "koord")
    lead = make_user(services, "team_lead", "leder")
    _case_id, number = _approved_case(services, coord, lead)
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    out = tmp_path / "x.pdf"
    assert main.main(["print", "plan", "--db", db_url, "--user", "leder", "--case", "TTA-2026-99999",
                      "--out", str(out)]) == 2
    assert "intet forløb med nummeret TTA-2026-99999" in capsys.readouterr().err
    assert main.main(["print", "plan", "--db", db_url, "--user", "leder", "--case", number, "--version", "7",
                      "--out", str(out)]) == 2
    assert "ingen handlingsplan version 7 (versioner: 1)" in capsys.readouterr().err
    assert not out.exists()


def test_print_plans_writes_one_pdf_per_plan_approved_since(services, db_url, clock, monkeypatch, tmp_path, capsys):
    coord = make_user(services, "coordinator", "koord")
    lead = make_user(services, "team_lead", "leder")
    clock.now = dt.datetime(2026, 11, 2, 9, 0)
    _approved_case(services, coord, lead)
    clock.now = dt.datetime(2026, 11, 20, 9, 0)
    _id, recent = _approved_case(services, coord, lead)
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    code = main.main(["print", "plans", "--db", db_url, "--user", "leder", "--approved-since", "2026-11-16",
                      "--out-dir", str(tmp_path / "uge47")])
    assert code == 0, capsys.readouterr().err
    assert [p.name for p in (tmp_path / "uge47").iterdir()] == [f"{recent}-v1.pdf"]
    # The folder it made shows case numbers in its file names: it is the user's alone.
    assert file_mode(tmp_path / "uge47") == 0o700
