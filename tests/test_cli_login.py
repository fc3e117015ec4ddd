"""Headless commands act as a person: ``--user``, the password from TTA_PASSWORD or a prompt, a login
through AuthService (same lockout and audit) and that user's session for the command's calls."""
from __future__ import annotations

import argparse
import getpass
import io

import pytest
from sqlalchemy import select

import main
from app.cli import base as cli
from app.errors import AuthenticationError, PasswordChangeRequired, SessionInvalid
from app.services import Services
from db.models import AuditEntry
from db.session import open_database
from tests.factories import make_case, make_user


@pytest.fixture
def no_prompt(monkeypatch):
    """Fail on a password prompt unless a test answers it."""
    asked: list[str] = []

    def prompt(text: str = "") -> str:
        asked.append(text)
        if not hasattr(prompt, "answer"):
            pytest.fail(f"unexpected password prompt: {text}")
        return prompt.answer
    monkeypatch.delenv(cli.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(getpass, "getpass", prompt)
    monkeypatch.setattr("sys.stdin", _Terminal())  # as if typed at a terminal
    prompt.asked = asked
    return prompt


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _person_parser() -> argparse.ArgumentParser:
    """A command built the way main.py builds one that reads case data."""
    return argparse.ArgumentParser(parents=[cli.Cli().person])


def test_user_is_required_by_a_person_command(capsys):
    with pytest.raises(SystemExit):
        _person_parser().parse_args([])
    assert "--user" in capsys.readouterr().err


def test_login_from_cli_with_the_password_from_the_environment(services, monkeypatch, no_prompt):
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    actor = cli.login_from_cli(services, _person_parser().parse_args(["--user", "Mette"]))
    assert (actor.user_id, actor.role) == (coord.user_id, "coordinator")
    services.cases.get_case(actor, case_id)  # a working session with the user's rights
    assert no_prompt.asked == []


def test_login_from_cli_asks_for_the_password_and_counts_failures(services, no_prompt, clock):
    make_user(services, "coordinator", "mette")
    args = _person_parser().parse_args(["--user", "mette"])
    no_prompt.answer = "forkert"
    for _ in range(5):
        with pytest.raises(AuthenticationError, match="Forkert brugernavn eller adgangskode"):
            cli.login_from_cli(services, args)
    assert no_prompt.asked == ["Adgangskode for mette: "] * 5
    no_prompt.answer = "hemmelig123"
    with pytest.raises(AuthenticationError):  # the same lockout as the app
        cli.login_from_cli(services, args)
    clock.advance(minutes=16)
    assert cli.login_from_cli(services, args).username == "mette"  # (make_user logged in once too)
    with services.db.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.username == "mette")).all()
    assert actions.count("login_failed") == 6 and actions.count("lockout") == 1 and actions.count("login") == 2


def test_login_from_cli_refuses_an_account_that_must_change_its_password(services, monkeypatch, no_prompt):
    admin = make_user(services, "admin", "admin")
    eva = make_user(services, "doctor", "eva")
    services.users.reset_password(admin, eva.user_id, "midlertidig-1")
    monkeypatch.setenv(cli.PASSWORD_ENV, "midlertidig-1")
    with pytest.raises(PasswordChangeRequired):
        cli.login_from_cli(services, _person_parser().parse_args(["--user", "eva"]))


def test_run_as_person_runs_the_command_with_the_users_session_and_ends_it(db_url, monkeypatch, no_prompt,
                                                                           capsys):
    services = Services(open_database(db_url))
    coord = make_user(services, "coordinator", "mette")
    case_id = make_case(services, coordinator_id=coord.user_id)
    monkeypatch.setenv(cli.PASSWORD_ENV, "hemmelig123")
    seen = []

    def command(svc, actor):
        seen.append((actor, svc.cases.get_case(actor, case_id).case_number))
        return 0
    args = _person_parser().parse_args(["--user", "mette"])
    assert cli.run_as_person(db_url, args, command) == 0
    actor, number = seen[0]
    assert number.startswith("TTA-")
    with services.db.read() as s:
        rows = s.execute(select(AuditEntry.user_id, AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [tuple(r) for r in rows[-3:]] == [(coord.user_id, "login"), (coord.user_id, "read"),
                                            (coord.user_id, "logout")]
    with pytest.raises(SessionInvalid):  # logged out when the command ended
        services.team.members(actor)

    # A refusal is a message and exit code 1; the command never runs.
    monkeypatch.setenv(cli.PASSWORD_ENV, "forkert")
    assert cli.run_as_person(db_url, args, command) == 1
    assert "error: Forkert brugernavn eller adgangskode." in capsys.readouterr().err
    assert len(seen) == 1
    services.close()


def test_create_admin_stays_system_work_credited_to_no_user(tmp_path):
    url = f"sqlite:///{tmp_path / 'admins.db'}"
    for username in ("chef", "reserve"):
        assert main.main(["create-admin", "--db", url, "--username", username, "--name", "Chef",
                          "--password", "hemmelig123"]) == 0
    db = open_database(url)
    with db.read() as s:
        rows = s.execute(select(AuditEntry.user_id, AuditEntry.username, AuditEntry.action)
                         .order_by(AuditEntry.id)).all()
    db.dispose()
    assert [tuple(r) for r in rows] == [(None, "chef", "create"), (None, "system", "create")]
