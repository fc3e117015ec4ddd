"""TTA-team entry point.

    python main.py [--db URL]                 open the app
    python main.py demo [--cases N] [--seed S] [--if-empty] [--db URL]
    python main.py migrate [--db URL]
    python main.py create-admin --username U --name N [--db URL]   (password asked for)
    python main.py permissions-doc            write docs/permissions.md
    python main.py audit verify --user NAME [--db URL]           check the audit log's chain
    python main.py audit purge --user NAME [--db URL]            remove entries past the retention setting
    python main.py audit export --citizen CASE_NUMBER_OR_CPR --out FILE --user NAME [--db URL]
                                              everything logged about one citizen, as a PDF (GDPR art. 15)
    (audit commands: the password comes from TTA_PASSWORD or is asked for)

Heavy modules are imported inside the commands so the login window appears quickly.
"""
from __future__ import annotations

import argparse
import sys


def _db_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", default=None,
                   help="database URL (default: TTA_DB_URL or an SQLite file in the user's data folder)")
    return p


def build_parser() -> argparse.ArgumentParser:
    db = _db_parent()
    parser = argparse.ArgumentParser(prog="main.py", description="TTA-team", parents=[db])
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", parents=[db], help="fill the database with fictitious demo data")
    demo.add_argument("--cases", type=int, default=300)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the database already has cases")
    sub.add_parser("migrate", parents=[db], help="bring the database to the current schema")
    admin = sub.add_parser("create-admin", parents=[db], help="create an administrator account")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--password", help="(default: asked for without echo)")
    sub.add_parser("permissions-doc", help="write docs/permissions.md from the permission matrix")
    user = argparse.ArgumentParser(add_help=False)
    user.add_argument("--user", required=True, metavar="NAME",
                      help="act as this user; the password comes from TTA_PASSWORD or is asked for")
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


def cmd_demo(url: str, args) -> int:
    from app.bootstrap import prepare_database
    from app.demo import DEMO_PASSWORD, DEMO_USERS, run_demo
    if args.if_empty:
        services = prepare_database(url, check=False)  # a count; run_demo below does the health check
        try:
            has_cases = services.cases.total() > 0
        finally:
            services.close()
        if has_cases:
            print("The database already has cases; no demo data added.")
            return 0
    try:
        counts = run_demo(url, cases=args.cases, seed=args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Demo data written to {url}:")
    for table, n in counts.items():
        print(f"  {table}: {n}")
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    from app.labels import ROLE_LABELS
    for username, full_name, role, _initials in DEMO_USERS:
        print(f"  {username:<14} {full_name:<24} {ROLE_LABELS[role]}")
    return 0


def cmd_migrate(url: str) -> int:
    from app.reference import seed_reference_data
    from db import migrate
    from db.session import open_database
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
    services = prepare_database(url)
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


def _headless_login(services, username: str):
    """Log in as ``username`` with the password from ``TTA_PASSWORD``, or asked for on a terminal.

    A small local version for the audit commands: the shared login helper for every headless
    command (issue 7, headless commands act as a person) replaces it when the branches merge."""
    import getpass
    import os

    from app.errors import AuthenticationError
    password = os.environ.get("TTA_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AuthenticationError("Adgangskoden mangler: sæt TTA_PASSWORD, eller kør kommandoen i en terminal.")
        password = getpass.getpass("Adgangskode: ")
    return services.auth.login(username, password)


def cmd_audit(url: str, args) -> int:
    from app.bootstrap import prepare_database
    from app.errors import AppError
    try:
        services = prepare_database(url)
    except AppError as exc:
        print(f"fejl: {exc.message}", file=sys.stderr)
        return 1
    try:
        actor = _headless_login(services, args.user)
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
    except AppError as exc:   # also a broken chain, a wrong password, a missing right
        print(f"fejl: {exc.message}", file=sys.stderr)
        return 1
    finally:
        services.close()


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
    if args.command == "audit":
        return cmd_audit(url, args)
    from ui.app import run_gui
    return run_gui(url)


if __name__ == "__main__":
    sys.exit(main())
