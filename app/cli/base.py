"""What every headless command shares: the ``--db`` and ``--user`` options, the login as a person,
and one way to report a refusal (``error: ...`` on stderr, exit status 1, no traceback)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services import Actor, Services

PASSWORD_ENV = "TTA_PASSWORD"


class Cli:
    """The parser being built, with the shared option sets and the verb groups."""

    def __init__(self) -> None:
        self.db = argparse.ArgumentParser(add_help=False)
        self.db.add_argument("--db", metavar="URL", default=None,
                             help="database URL (default: TTA_DB_URL or an SQLite file in the user's data folder)")
        self.person = argparse.ArgumentParser(add_help=False)
        self.person.add_argument("--user", metavar="NAME", required=True,
                                 help=f"act as this team member (password from {PASSWORD_ENV} or asked for)")
        self.parser = argparse.ArgumentParser(prog="main.py", description="TTA-team", parents=[self.db])
        self.sub = self.parser.add_subparsers(dest="command")
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def group(self, verb: str, help: str) -> argparse._SubParsersAction:
        """The subparsers of ``verb`` (``print``, ``report``, ``import`` ...), created on first use."""
        if verb not in self._groups:
            parser = self.sub.add_parser(verb, help=help)
            self._groups[verb] = parser.add_subparsers(dest=f"{verb}_command", required=True)
        return self._groups[verb]


def db_url(args: argparse.Namespace) -> str:
    from app.config import resolve_db_url
    return resolve_db_url(args.db)


def fail(message: str, status: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


class Refusal(Exception):
    """A command's own refusal (``error: message``, exit ``status``), raised from inside
    ``run_as_person``'s command."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message, self.status = message, status


def case_id_of(services: Services, actor: Actor, case_number: str) -> int:
    """The id of the case numbered ``case_number`` (as the app shows it); a refusal with exit status 2
    when there is none."""
    from app.errors import NotFound
    try:
        return services.plans.find_case(actor, case_number)
    except NotFound:
        raise Refusal(f"der er intet forløb med nummeret {case_number}", 2) from None


def cli_password(args: argparse.Namespace) -> str:
    """The password of ``--user``: from ``TTA_PASSWORD``, or asked for without echo."""
    from app.errors import AuthenticationError
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise AuthenticationError(f"Adgangskoden mangler: sæt {PASSWORD_ENV}, eller kør kommandoen i en terminal.")
    return getpass.getpass(f"Adgangskode for {args.user}: ")


def ask_secret(prompt: str, *, env: str | None = None) -> str:
    """A secret from the environment variable ``env`` when set, otherwise typed without echo."""
    return (os.environ.get(env) if env else None) or getpass.getpass(prompt)


def login_from_cli(services: Services, args: argparse.Namespace) -> Actor:
    """Log in as ``args.user`` through AuthService (same lockout, same audit entries as the app).

    An account that must choose a new password is refused here: that is done in the app.
    """
    from app.errors import PasswordChangeRequired
    actor = services.auth.login(args.user, cli_password(args))
    if actor.must_change_password:
        services.auth.logout(actor)
        raise PasswordChangeRequired()
    return actor


def run_as_person(url: str, args: argparse.Namespace, command: Callable[[Services, Actor], int]) -> int:
    """Open the database as ``--user`` (an encrypted file opens with that user's password), run
    ``command(services, actor)``, log out.

    A refusal (wrong password, missing permission, invalid input) is printed and exits with 1."""
    from app.bootstrap import open_with_login
    from app.errors import AppError, PasswordChangeRequired
    try:
        opened = open_with_login(url, args.user, cli_password(args))
    except AppError as exc:
        return fail(exc.message)
    services, actor = opened.services, opened.actor
    try:
        try:
            if actor.must_change_password:
                raise PasswordChangeRequired()
            return command(services, actor)
        finally:
            services.auth.logout(actor)
    except AppError as exc:
        return fail(exc.message)
    except Refusal as refusal:
        return fail(refusal.message, refusal.status)
    finally:
        services.close()
