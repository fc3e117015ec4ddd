"""TTA-team entry point.

    python main.py [--db URL]                 open the app
    python main.py demo [--cases N] [--seed S] [--if-empty] [--encrypt] [--db URL]
    python main.py migrate [--db URL]
    python main.py create-admin --username U --name N [--db URL]   (password asked for)
    python main.py encrypt --user ADMIN [--keep-backup] [--recovery-pdf PATH] [--db URL]
    python main.py recover [--user ADMIN] [--db URL]   (asks for the recovery key and a new password)
    python main.py permissions-doc            write docs/permissions.md
    python main.py audit verify --user NAME [--db URL]           check the audit log's chain
    python main.py audit purge --user NAME [--db URL]            remove entries past the retention setting
    python main.py audit export --citizen CASE_NUMBER_OR_CPR --out FILE --user NAME [--db URL]
                                              everything logged about one citizen, as a PDF (GDPR art. 15)
    (audit commands: the password comes from TTA_PASSWORD or is asked for)

Every command that reads or writes case data acts as a person: it takes ``--user NAME`` (the
``_person_parent`` options), logs in through ``AuthService`` with the password from ``TTA_PASSWORD``
or asked for, and calls the services with that user's session (``run_as_person``), so the same
permissions, lockout and audit entries apply as in the app. ``demo`` and ``migrate`` are system
work and take no user.

Heavy modules are imported inside the commands so the login window appears quickly.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services import Actor, Services

PASSWORD_ENV = "TTA_PASSWORD"


def _db_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", default=None,
                   help="database URL (default: TTA_DB_URL or an SQLite file in the user's data folder)")
    return p


def _person_parent() -> argparse.ArgumentParser:
    """The options of a command that reads or writes case data: who it acts as."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--user", metavar="NAME", required=True,
                   help=f"act as this team member (password from {PASSWORD_ENV} or asked for)")
    return p


def cli_password(args: argparse.Namespace) -> str:
    """The password of ``--user``: from ``TTA_PASSWORD``, or asked for without echo."""
    import getpass

    from app.errors import AuthenticationError
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise AuthenticationError(f"Adgangskoden mangler: sæt {PASSWORD_ENV}, eller kør kommandoen i en terminal.")
    return getpass.getpass(f"Adgangskode for {args.user}: ")


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
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    services, actor = opened.services, opened.actor
    try:
        try:
            if actor.must_change_password:
                raise PasswordChangeRequired()
            return command(services, actor)
        finally:
            services.auth.logout(actor)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        services.close()


def build_parser() -> argparse.ArgumentParser:
    db = _db_parent()
    parser = argparse.ArgumentParser(prog="main.py", description="TTA-team", parents=[db])
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", parents=[db], help="fill the database with fictitious demo data")
    demo.add_argument("--cases", type=int, default=300)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the database already has cases")
    demo.add_argument("--encrypt", action="store_true",
                      help="create the SQLite file encrypted (SQLCipher), every demo user with a key wrapping")
    sub.add_parser("migrate", parents=[db], help="bring the database to the current schema")
    admin = sub.add_parser("create-admin", parents=[db], help="create an administrator account")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--password", help="(default: asked for without echo)")
    sub.add_parser("permissions-doc", help="write docs/permissions.md from the permission matrix")
    enc = sub.add_parser("encrypt", parents=[db], help="encrypt a plain SQLite database file (SQLCipher)")
    enc.add_argument("--user", required=True, help="an administrator (password from TTA_PASSWORD or asked for)")
    enc.add_argument("--keep-backup", action="store_true",
                     help="keep the unencrypted copy taken before the conversion (delete it yourself later)")
    enc.add_argument("--recovery-pdf", metavar="PATH", help="also write the recovery key sheet to this PDF")
    rec = sub.add_parser("recover", parents=[db],
                         help="every admin password lost: set a new one with the printed recovery key")
    rec.add_argument("--user", help="the administrator (default: the only active one)")
    user = _person_parent()
    audit = sub.add_parser("audit", help="the audit log: verify, purge, export a citizen's extract")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", parents=[db, user], help="check the audit log's chain; exit code 1 when broken")
    audit_sub.add_parser("purge", parents=[db, user],
                         help="remove entries older than the retention setting, leaving a signed checkpoint")
    export = audit_sub.add_parser("export", parents=[db, user],
                                  help="everything logged about one citizen, as a PDF (GDPR art. 15)")
    export.add_argument("--citizen", required=True, metavar="CASE_NUMBER_OR_CPR")
    export.add_argument("--out", required=True, metavar="FILE")
    return parser


ENV_PASSWORD = "TTA_PASSWORD"


def _ask_password(prompt: str, *, env: str | None = None) -> str:
    """A secret from the environment variable ``env`` when set, otherwise typed without echo."""
    import getpass
    import os
    return (os.environ.get(env) if env else None) or getpass.getpass(prompt)


def _print_recovery_key(recovery_key: str) -> None:
    print("\nGendannelsesnøgle (vises kun denne ene gang; skriv den ned eller udskriv den, og lås den inde):")
    print(f"\n    {recovery_key}\n")


def cmd_demo(url: str, args) -> int:
    from app.bootstrap import ENCRYPTED, NEW, prepare_database, start_encrypted_file, storage_state
    from app.demo import DEMO_PASSWORD, DEMO_USERS, run_demo
    from app.errors import AppError
    state = storage_state(url)
    if state == ENCRYPTED:
        print("The database is encrypted and exists already; no demo data added.",
              file=sys.stdout if args.if_empty else sys.stderr)
        return 0 if args.if_empty else 1
    if args.if_empty and state != NEW:
        services = prepare_database(url, check=False)  # a count; run_demo below does the health check
        try:
            has_cases = services.cases.total() > 0
        finally:
            services.close()
        if has_cases:
            print("The database already has cases; no demo data added.")
            return 0
    keyring = recovery_key = None
    try:
        if args.encrypt:
            keyring, recovery_key = start_encrypted_file(url, {u[0]: DEMO_PASSWORD for u in DEMO_USERS})
        from app.progress import PrintedProgress
        counts = run_demo(url, cases=args.cases, seed=args.seed, keyring=keyring,
                          progress=PrintedProgress("Demodata"))
    except (ValueError, AppError) as exc:
        if keyring is not None and state == NEW:   # leave no encrypted file without its users behind
            from db.session import sqlite_file_path
            sqlite_file_path(url).unlink(missing_ok=True)
            keyring.path.unlink(missing_ok=True)
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(f"Demo data written to {url}:")
    for table, n in counts.items():
        print(f"  {table}: {n}")
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    from app.labels import ROLE_LABELS
    for username, full_name, role, _initials in DEMO_USERS:
        print(f"  {username:<14} {full_name:<24} {ROLE_LABELS[role]}")
    if recovery_key:
        print("\nThe database file is encrypted; every demo user opens it with the password above.")
        _print_recovery_key(recovery_key)
    return 0


def cmd_migrate(url: str) -> int:
    from app.bootstrap import ENCRYPTED, storage_state
    from app.reference import seed_reference_data
    from db import migrate
    from db.session import open_database
    if storage_state(url) == ENCRYPTED:
        print("The database is encrypted: it is brought to the current schema when a user logs in.",
              file=sys.stderr)
        return 1
    db = open_database(url)
    before = migrate.current_revision(db.engine)
    migrate.upgrade(db.engine)
    with db.write() as s:
        seed_reference_data(s)
    after = migrate.current_revision(db.engine)
    db.dispose()
    print(f"Database at revision {after}" + (f" (was {before})" if before != after else " (already current)"))
    return 0


def cmd_create_admin(url: str, args) -> int:
    import getpass

    from app.bootstrap import prepare_database
    from app.errors import AppError
    password = args.password or getpass.getpass("Adgangskode: ")
    try:
        services = prepare_database(url)   # an encrypted file refuses: its admins add users in the app
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    try:
        if services.auth.has_users():
            from app.services import SYSTEM
            services.users.create_user(SYSTEM, username=args.username, full_name=args.name, role="admin",
                                       password=password)
        else:
            services.auth.create_first_admin(args.username, args.name, password)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print(f"Administrator '{args.username}' created.")
    return 0


def cmd_encrypt(url: str, args) -> int:
    from app.bootstrap import encrypt_database
    from app.errors import AppError
    from app.keys import key_file_path
    from db.session import sqlite_file_path
    db_path = sqlite_file_path(url)
    password = _ask_password(f"Adgangskode for {args.user}: ", env=ENV_PASSWORD)
    try:
        result = encrypt_database(url, args.user, password, keep_backup=args.keep_backup)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"Database encrypted: {sum(result.row_counts.values())} rows in {len(result.row_counts)} tables kept.")
    print(f"Key file: {key_file_path(db_path)} (keep it with every backup of the database).")
    if result.backup_path:
        print(f"Unencrypted copy kept as asked: {result.backup_path}. Delete it once the encrypted "
              "database has been checked; it holds every record in the clear.")
    if result.users_without_key:
        print("These active users cannot open the encrypted file until an administrator resets their "
              "password: " + ", ".join(result.users_without_key))
    if args.recovery_pdf:
        from app.printing.recovery_key import render_recovery_key
        from db.base import utcnow
        path = render_recovery_key(args.recovery_pdf, recovery_key=result.recovery_key, letterhead={},
                                   database=str(db_path), created_by=args.user, created_at=utcnow())
        print(f"Recovery key sheet written to {path}: print it, lock it away, then delete the file.")
    _print_recovery_key(result.recovery_key)
    return 0


def cmd_recover(url: str, args) -> int:
    import getpass

    from app.bootstrap import recover_admin_password
    from app.errors import AppError
    recovery_key = getpass.getpass("Gendannelsesnøgle: ")
    password = getpass.getpass("Ny adgangskode: ")
    if getpass.getpass("Gentag ny adgangskode: ") != password:
        print("error: de to adgangskoder er forskellige", file=sys.stderr)
        return 1
    try:
        username = recover_admin_password(url, recovery_key, password, username=args.user)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"Administrator '{username}' has a new password and can log in.")
    return 0


def cmd_permissions_doc() -> int:
    from pathlib import Path

    from app.permissions import markdown_table
    path = Path(__file__).parent / "docs" / "permissions.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "# Permission matrix\n\n"
        "Generated from `app/permissions.py` by `python main.py permissions-doc`; do not edit by hand.\n"
        "The service layer denies every action not listed for a role; `tests/test_permissions.py`\n"
        "checks every cell of this table against the services.\n\n" + markdown_table() + "\n",
        encoding="utf-8")
    print(f"wrote {path}")
    return 0


def cmd_audit(url: str, args) -> int:
    def command(services, actor) -> int:
        if args.audit_command == "verify":
            result = services.audit_log.verify(actor)
            if result.ok:
                print(f"Adgangsloggen er intakt: {result.checked} poster kontrolleret.")
                return 0
            print(f"Adgangsloggen er brudt: {result.reason}", file=sys.stderr)
            return 1
        if args.audit_command == "purge":
            purged = services.audit_log.purge(actor)
            print(f"{purged.purged} poster fra før {purged.cutoff:%d-%m-%Y} er slettet; "
                  f"kontrollen starter nu efter post nr. {purged.checkpoint_seq}.")
            return 0
        extract = services.audit_log.print_citizen_extract(actor, args.citizen, args.out)
        print(f"Udtræk af adgangsloggen for {extract.name} ({extract.cpr_masked}), {len(extract.rows)} "
              f"registreringer: {args.out}")
        return 0
    return run_as_person(url, args, command)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "permissions-doc":
        return cmd_permissions_doc()
    from app.config import resolve_db_url
    url = resolve_db_url(args.db)
    if args.command == "demo":
        return cmd_demo(url, args)
    if args.command == "migrate":
        return cmd_migrate(url)
    if args.command == "create-admin":
        return cmd_create_admin(url, args)
    if args.command == "encrypt":
        return cmd_encrypt(url, args)
    if args.command == "recover":
        return cmd_recover(url, args)
    if args.command == "audit":
        return cmd_audit(url, args)
    from ui.app import run_gui
    return run_gui(url)


if __name__ == "__main__":
    sys.exit(main())
