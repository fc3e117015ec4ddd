"""``print assessments``: the assessment summary (Udredning) of one case as a PDF, acting as a named user."""
from __future__ import annotations

from app.cli.base import Cli, case_id_of, db_url, run_as_person


def register(cli: Cli) -> None:
    printing = cli.group("print", help="print a document as PDF")
    p = printing.add_parser("assessments", parents=[cli.db, cli.person],
                            help="the assessment summary of one case (WHO-5, MDI, every discipline's assessment)")
    p.add_argument("--case", required=True, metavar="CASE_NUMBER")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(run=cmd_print_assessments)


def cmd_print_assessments(args) -> int:
    def command(services, actor) -> int:
        number = args.case.strip()
        services.assessments.print_summary(actor, case_id_of(services, actor, number), args.out)
        print(f"Udredning for forløb {number}: {args.out}")
        return 0
    return run_as_person(db_url(args), args, command)
