"""System commands: demo data, migration, the first administrator, encryption, key recovery and
the permission document. They act on the database, not as a team member."""
from __future__ import annotations

import sys

from app.cli.base import PASSWORD_ENV, Cli, ask_secret, db_url


def register(cli: Cli) -> None:
    db = cli.db
    demo = cli.sub.add_parser("demo", parents=[db], help="fill the database with fictitious demo data")
    demo.add_argument("--cases", type=int, default=300)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the database already has cases")
    demo.add_argument("--encrypt", action="store_true",
                      help="create the SQLite file encrypted (SQLCipher), every demo user with a key wrapping")
    demo.set_defaults(run=cmd_demo)
    cli.sub.add_parser("migrate", parents=[db], help="bring the database to the current schema").set_defaults(
        run=cmd_migrate)
    admin = cli.sub.add_parser("create-admin", parents=[db], help="create an administrator account")
    admin.add_argument("--username", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--password", help="(default: asked for without echo)")
    admin.set_defaults(run=cmd_create_admin)
    cli.sub.add_parser("permissions-doc", help="write docs/permissions.md from the permission matrix").set_defaults(
        run=cmd_permissions_doc)
    enc = cli.sub.add_parser("encrypt", parents=[db], help="encrypt a plain SQLite database file (SQLCipher)")
    enc.add_argument("--user", required=True, help="an administrator (password from TTA_PASSWORD or asked for)")
    enc.add_argument("--keep-backup", action="store_true",
                     help="keep the unencrypted copy taken before the conversion (delete it yourself later)")
    enc.add_argument("--recovery-pdf", metavar="PATH", help="also write the recovery key sheet to this PDF")
    enc.set_defaults(run=cmd_encrypt)
    rec = cli.sub.add_parser("recover", parents=[db],
                             help="every admin password lost: set a new one with the printed recovery key")
    rec.add_argument("--user", help="the administrator (default: the only active one)")
    rec.set_defaults(run=cmd_recover)


def _print_recovery_key(recovery_key: str) -> None:
    print("\nGendannelsesnøgle (vises kun denne ene gang; skriv den ned eller udskriv den, og lås den inde):")
    print(f"\n    {recovery_key}\n")


def cmd_demo(args) -> int:
    url = db_url(args)
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


def cmd_migrate(args) -> int:
    url = db_url(args)
    from app.bootstrap import ENCRYPTED, storage_state
    from app.reference import seed_reference_data
    from db import migrate
    from db.session import open_database
    if storage_state(url) == ENCRYPTED:   # an empty, foreign, newer, damaged or locked file refuses here
        print("The database is encrypted: it is brought to the current schema when a user logs in.",
              file=sys.stderr)
        return 1
    from app.bootstrap import refusal
    from db.filecheck import mark_engine
    from db.session import StorageError, sqlite_file_path
    try:
        db = open_database(url)
    except StorageError as exc:
        raise refusal(exc.state, sqlite_file_path(url), str(exc)) from exc
    try:
        before = migrate.current_revision(db.engine)
        from app.bootstrap import check_schema
        check_schema(db, url)
        migrate.upgrade(db.engine)
        if db.is_sqlite:
            mark_engine(db.engine)
        with db.write() as s:
            seed_reference_data(s)
        after = migrate.current_revision(db.engine)
    finally:
        db.dispose()
    print(f"Database at revision {after}" + (f" (was {before})" if before != after else " (already current)"))
    return 0


def cmd_create_admin(args) -> int:
    import getpass

    url = db_url(args)
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


def cmd_encrypt(args) -> int:
    url = db_url(args)
    from app.bootstrap import encrypt_database
    from app.errors import AppError
    from app.keys import key_file_path
    from db.session import sqlite_file_path
    db_path = sqlite_file_path(url)
    password = ask_secret(f"Adgangskode for {args.user}: ", env=PASSWORD_ENV)
    try:
        result = encrypt_database(url, args.user, password, keep_backup=args.keep_backup)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"Database encrypted: {sum(result.row_counts.values())} rows in {len(result.row_counts)} tables kept.")
    print(f"Key file: {key_file_path(db_path)} (keep it with every backup of the database).")
    if result.fresh_backup:
        print(f"Verified encrypted backup: {result.fresh_backup}.")
        print(f"Unencrypted backups removed from the backup folder: {result.plain_backups_removed}.")
    else:
        print(f"warning: no encrypted backup could be taken ({result.backup_error}); the earlier "
              "unencrypted backups were kept. Take one with 'python main.py backup', then delete them.",
              file=sys.stderr)
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


def cmd_recover(args) -> int:
    import getpass

    url = db_url(args)
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


def cmd_permissions_doc(args) -> int:
    from pathlib import Path

    from app.permissions import markdown_table
    path = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "# Permission matrix\n\n"
        "Generated from `app/permissions.py` by `python main.py permissions-doc`; do not edit by hand.\n"
        "The service layer denies every action not listed for a role; `tests/test_permissions.py`\n"
        "checks every cell of this table against the services.\n\n" + markdown_table() + "\n",
        encoding="utf-8")
    print(f"wrote {path}")
    return 0
