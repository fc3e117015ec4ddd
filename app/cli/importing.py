"""``import cases FILE``: earlier cases from CSV or Excel (docs/import.md), acting as a named user.

Exit status 0 when every row was imported, 1 when rows were refused (then nothing is imported,
unless ``--valid-only``), 2 for a file that cannot be read."""
from __future__ import annotations

import sys
from pathlib import Path

from app.cli.base import Cli, db_url, fail, run_as_person


def register(cli: Cli) -> None:
    imp = cli.group("import", help="import earlier data")
    cases = imp.add_parser("cases", parents=[cli.db, cli.person],
                           help="earlier cases from a CSV or Excel file (columns: docs/import.md)")
    cases.add_argument("file", metavar="FILE")
    cases.add_argument("--dry-run", action="store_true", help="check every row and import nothing")
    cases.add_argument("--valid-only", action="store_true", help="import the valid rows even when others have errors")
    cases.set_defaults(run=cmd_import_cases)


def cmd_import_cases(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"filen findes ikke: {path}", 2)

    def command(services, actor) -> int:
        from app.progress import PrintedProgress
        if args.dry_run:
            check = services.importing.check_file(actor, path)
            imported = None
        else:
            result = services.importing.import_file(actor, path, valid_only=args.valid_only,
                                                    progress=PrintedProgress("Import"))
            check, imported = result.check, result.imported
        for column in check.unknown_columns:
            print(f"Ukendt kolonne ignoreret: {column}", file=sys.stderr)
        for problem in check.problems:
            print(problem.text, file=sys.stderr)
        print(f"{check.rows} rækker, {check.valid_rows} gyldige, {len(check.refused_rows)} med fejl.")
        if imported is None:
            print("Prøvekørsel: intet er importeret.")
        elif imported:
            print(f"{imported} forløb er importeret.")
        else:
            print("Intet er importeret: ret fejlene, eller brug --valid-only for at importere de gyldige rækker.")
        return 1 if check.problems else 0
    return run_as_person(db_url(args), args, command)
