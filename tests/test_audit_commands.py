"""``python main.py audit verify|purge|export``: headless, acting as a logged-in person."""
from __future__ import annotations

import io

import pdfplumber
from sqlalchemy import text

import main
from tests.factories import make_case, make_user


def test_verify_reports_an_intact_and_a_broken_log(services, db_url, monkeypatch, capsys):
    make_user(services, "team_lead", "tove")
    make_case(services)
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main.main(["audit", "verify", "--db", db_url, "--user", "tove"]) == 0
    assert "Adgangsloggen er intakt" in capsys.readouterr().out
    with services.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET username = 'x' WHERE id = (SELECT MIN(id) FROM audit_log)"))
    assert main.main(["audit", "verify", "--db", db_url, "--user", "tove"]) == 1
    assert "Adgangsloggen er brudt: Post 1 er ændret" in capsys.readouterr().err


def test_export_writes_the_citizens_pdf(services, db_url, monkeypatch, tmp_path, capsys):
    coord = make_user(services, "coordinator", "mette")
    make_user(services, "team_lead", "tove")
    case_id = make_case(services, first_name="Åse", last_name="Ærbøl", coordinator_id=coord.user_id)
    number = services.cases.get_case(coord, case_id).case_number
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    out = tmp_path / "indsigt.pdf"
    assert main.main(["audit", "export", "--citizen", number, "--out", str(out), "--db", db_url,
                      "--user", "tove"]) == 0
    assert "Åse Ærbøl" in capsys.readouterr().out
    with pdfplumber.open(out) as pdf:
        assert number in pdf.pages[0].extract_text()


def test_purge_needs_an_administrator_and_the_right_password(services, db_url, monkeypatch, capsys):
    make_user(services, "team_lead", "tove")
    make_user(services, "admin", "anne")
    monkeypatch.setenv("TTA_PASSWORD", "hemmelig123")
    assert main.main(["audit", "purge", "--db", db_url, "--user", "tove"]) == 1
    assert "error: Din rolle har ikke adgang" in capsys.readouterr().err
    assert main.main(["audit", "purge", "--db", db_url, "--user", "anne"]) == 0
    assert "poster fra før" in capsys.readouterr().out
    monkeypatch.setenv("TTA_PASSWORD", "forkert-kode")
    assert main.main(["audit", "purge", "--db", db_url, "--user", "anne"]) == 1
    monkeypatch.delenv("TTA_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))   # no terminal to ask on
    assert main.main(["audit", "verify", "--db", db_url, "--user", "anne"]) == 1
    assert "TTA_PASSWORD" in capsys.readouterr().err
