"""``report quarterly``: the statistics for a period as PDF, CSV, Excel or JSON, acting as a named user."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.cli.base import Cli, db_url, fail, run_as_person


def register(cli: Cli) -> None:
    report = cli.group("report", help="statistics reports")
    quarterly = report.add_parser("quarterly", parents=[cli.db, cli.person],
                                  help="status at closing per quarter (the KIA report) and the evaluation tables")
    quarterly.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    quarterly.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    quarterly.add_argument("--format", choices=("pdf", "csv", "xlsx", "json"), default=None,
                           help="default: from the file's extension, else pdf")
    quarterly.add_argument("--out", required=True, metavar="FILE")
    quarterly.set_defaults(run=cmd_quarterly)


def cmd_quarterly(args) -> int:
    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        return fail("--from og --to skal være datoer som 2008-01-01")
    out = Path(args.out)
    fmt = args.format or (out.suffix.lower().lstrip(".") if out.suffix.lower() in (".csv", ".xlsx", ".json") else "pdf")
    if not out.parent.is_dir():
        return fail(f"mappen findes ikke: {out.parent}")

    def command(services, actor) -> int:
        report = services.statistics.export_report(actor, start, end, out, fmt)
        t = report.outcomes
        rate = f"{t.return_rate} % tilbage i arbejde" if t.return_rate is not None else "ingen afsluttede forløb"
        print(f"Statistik {report.period.label}: {t.closed} afsluttede forløb, {rate}: {out}")
        return 0
    return run_as_person(db_url(args), args, command)
