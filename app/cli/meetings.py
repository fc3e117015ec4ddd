"""``print agenda``, ``print minutes`` (the weekly case conference) and ``print referat`` (a round-table
meeting's minutes), acting as a named user with the same permissions and logging as the app."""
from __future__ import annotations

from pathlib import Path

from app.cli.base import Cli, case_id_of, db_url, fail, run_as_person


def register(cli: Cli) -> None:
    group = cli.group("print", help="print a document as PDF")
    agenda = group.add_parser("agenda", parents=[cli.db, cli.person], help="a case conference's agenda as PDF")
    agenda.add_argument("--conference", required=True, metavar="DATE|next|latest",
                        help="the conference's date (24-11-2026 or 2026-11-24), next or latest")
    agenda.add_argument("--out", required=True, metavar="FILE.pdf")
    agenda.set_defaults(run=lambda args: _conference(args, "agenda"))
    minutes = group.add_parser("minutes", parents=[cli.db, cli.person], help="a case conference's minutes as PDF")
    minutes.add_argument("--conference", required=True, metavar="DATE|latest")
    minutes.add_argument("--out", required=True, metavar="FILE.pdf")
    minutes.set_defaults(run=lambda args: _conference(args, "minutes"))
    referat = group.add_parser("referat", parents=[cli.db, cli.person],
                               help="the minutes of a case's round-table meeting as PDF")
    referat.add_argument("--case", required=True, metavar="CASE_NUMBER")
    referat.add_argument("--meeting", type=int, default=None, metavar="N",
                         help="the case's meeting number, counted from 1 (default: the latest held)")
    referat.add_argument("--audience", choices=("all", "employer"), default="all")
    referat.add_argument("--out", required=True, metavar="FILE.pdf")
    referat.set_defaults(run=cmd_print_referat)


def _conference(args, what: str) -> int:
    from app.errors import NotFound, ValidationError
    from app.printing.templates import write_pdf

    def command(services, actor) -> int:
        conferences = services.conferences
        try:
            cid = conferences.find_conference(actor, args.conference)
        except ValidationError as exc:
            return fail(exc.message, 2)
        except NotFound:
            return fail(f"der er ingen casekonference: {args.conference}", 2)
        data = conferences.agenda_pdf(actor, cid) if what == "agenda" else conferences.minutes_pdf(actor, cid)
        out = Path(args.out)
        write_pdf(out, data)
        conferences.log_print(actor, cid, what=what, how=f"fil {out.name}")
        print(f"{'Dagsorden' if what == 'agenda' else 'Referat'} for casekonferencen: {out}")
        return 0
    return run_as_person(db_url(args), args, command)


def cmd_print_referat(args) -> int:
    from app.errors import NotFound
    from app.printing.templates import write_pdf

    def command(services, actor) -> int:
        case_id = case_id_of(services, actor, args.case)
        try:
            mid = services.meetings.find_meeting(actor, case_id, args.meeting)
        except NotFound:
            which = f"nr. {args.meeting}" if args.meeting else "afholdt"
            return fail(f"forløb {args.case} har ingen rundbordssamtale {which}", 2)
        out = Path(args.out)
        write_pdf(out, services.meetings.minutes_pdf(actor, mid, audience=args.audience))
        services.meetings.log_print(actor, mid, what=f"referat ({args.audience})", how=f"fil {out.name}")
        print(f"Referat af rundbordssamtale for {args.case}: {out}")
        return 0
    return run_as_person(db_url(args), args, command)
