"""``export cases``: the case list (as the Forløb page shows it) to CSV or Excel, acting as a named user.

The rows are the list's rows: a case the user is not on gives its list row only (no subgroup or
sick-leave week), as in the app; the export is one audit entry naming every case written."""
from __future__ import annotations

from pathlib import Path

from app.cli.base import Cli, db_url, fail, run_as_person

PHASES = ("referral", "visitation", "assessment", "plan", "intervention", "follow_up", "closed")


def register(cli: Cli) -> None:
    export = cli.group("export", help="export data to a file")
    cases = export.add_parser("cases", parents=[cli.db, cli.person],
                              help="the case list (open cases; --all for closed ones too) as CSV or Excel")
    cases.add_argument("--out", required=True, metavar="FILE")
    cases.add_argument("--format", choices=("csv", "xlsx"), default=None, help="default: from the file's extension")
    cases.add_argument("--search", default="", metavar="TEXT", help="as the list's search field: name, CPR, number")
    cases.add_argument("--phase", choices=PHASES, default=None)
    cases.add_argument("--mine", action="store_true", help="only the cases the user coordinates")
    cases.add_argument("--all", dest="include_closed", action="store_true", help="closed cases too")
    cases.set_defaults(run=cmd_export_cases)


def cmd_export_cases(args) -> int:
    out = Path(args.out)
    fmt = args.format or {".csv": "csv", ".xlsx": "xlsx"}.get(out.suffix.lower())
    if fmt is None:
        return fail("angiv --format csv eller xlsx, eller en fil, der ender på .csv eller .xlsx")
    if not out.parent.is_dir():
        return fail(f"mappen findes ikke: {out.parent}")

    def command(services, actor) -> int:
        ids = services.cases.search_ids(actor, args.search, phase=args.phase, mine=args.mine,
                                        include_closed=args.include_closed or args.phase == "closed")
        shown = ", ".join(f for f in (f'søgning "{args.search}"' if args.search else "",
                                      f"fase {args.phase}" if args.phase else "", "mine" if args.mine else "",
                                      "med afsluttede" if args.include_closed else "") if f)
        n = services.exports.export_case_list(actor, ids, out, fmt, filter_text=shown)
        print(f"{n} forløb eksporteret til {out}")
        return 0
    return run_as_person(db_url(args), args, command)
