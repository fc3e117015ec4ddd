"""TTA-team entry point.

    python main.py [--db URL]                 open the app
    python main.py SUBCOMMAND ... [--db URL]  headless work; ``python main.py --help`` lists them:
      demo [--cases N] [--seed S] [--if-empty] [--encrypt]     fictitious demo data
      migrate                                                  bring the database to the current schema
      create-admin --username U --name N                       an administrator (password asked for)
      encrypt --user ADMIN [--keep-backup] [--recovery-pdf PATH]
      recover [--user ADMIN]                                   new admin password with the recovery key
      permissions-doc                                          write docs/permissions.md
      audit verify|purge|export ... --user NAME                the audit log
      backup --user ADMIN                                      a verified backup now (pg_dump on PostgreSQL)
      restore FILE --user ADMIN                                put a backup in place (current file kept aside)

The commands live in ``app/cli/`` (one module per feature). Every command that reads or writes
case data acts as a person: ``--user NAME``, the password from ``TTA_PASSWORD`` or asked for, and
that user's session for every call, so the same permissions, lockout and audit entries apply as
in the app. Heavy modules are imported late so the login window appears quickly.
"""
from __future__ import annotations

import sys

from app.cli import build_parser
from app.cli.base import PASSWORD_ENV, login_from_cli, run_as_person

__all__ = ["PASSWORD_ENV", "build_parser", "login_from_cli", "main", "run_as_person"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "run", None) is not None:
        return run_command(args)
    from app.config import resolve_db_url
    from ui.app import run_gui
    return run_gui(resolve_db_url(args.db))


def run_command(args) -> int:
    """A headless command; a refusal (a damaged, foreign, newer, locked or empty file, a storage
    failure) is printed in Danish and exits non-zero, never as a traceback."""
    from app.cli.base import fail
    from app.errors import AppError
    from db.session import StorageError
    try:
        return args.run(args)
    except AppError as exc:
        return fail(exc.message, 2 if getattr(exc, "state", None) else 1)
    except StorageError as exc:
        return fail(str(exc), 2)
    except Exception as exc:  # noqa: BLE001 - the last resort: a message and a reference, never a traceback
        from app.config import log_path
        from app.logs import configure_logging, log_unexpected
        configure_logging()
        ref = log_unexpected(exc)
        return fail(f"Uventet fejl ({type(exc).__name__}); intet er gemt halvt. Reference {ref} i {log_path()}.", 1)


if __name__ == "__main__":
    sys.exit(main())
