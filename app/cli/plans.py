"""``print plan`` and ``print plans``: an action plan as PDF, one case's or every plan approved since a
date (the team lead's weekly batch), acting as a named user with the same permissions and logging as
the app."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.cli.base import Cli, case_id_of, db_url, fail, run_as_person

AUDIENCES = ("team", "citizen", "employer")


def register(cli: Cli) -> None:
    group = cli.group("print", help="print a document as PDF")
    one = group.add_parser("plan", parents=[cli.db, cli.person], help="one case's action plan as PDF")
    one.add_argument("--case", required=True, metavar="CASE_NUMBER", help="the case number, e.g. TTA-2026-00107")
    one.add_argument("--version", type=int, default=None, metavar="N", help="the plan version (default: newest)")
    one.add_argument("--audience", choices=AUDIENCES, default="team")
    one.add_argument("--out", required=True, metavar="FILE.pdf")
    one.set_defaults(run=cmd_print_plan)
    batch = group.add_parser("plans", parents=[cli.db, cli.person],
                             help="every plan approved since a date, one PDF per case")
    batch.add_argument("--approved-since", required=True, metavar="YYYY-MM-DD", type=_date)
    batch.add_argument("--out-dir", required=True, metavar="DIR")
    batch.add_argument("--audience", choices=AUDIENCES, default="team")
    batch.set_defaults(run=cmd_print_plans)


def _date(text: str) -> dt.date:
    import argparse
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _write(services, actor, case_id: int, version_no: int | None, audience: str, out: Path) -> int:
    """Write one printout and log it; returns the version printed."""
    from app.printing.templates import write_pdf
    data = services.plans.plan_pdf(actor, case_id, version_no=version_no, audience=audience)
    version = version_no or services.plans.plan_tab(actor, case_id).plan.version_no
    write_pdf(out, data)
    services.plans.log_print(actor, case_id, version_no=version, audience=audience, how=f"fil {out.name}")
    return version


def cmd_print_plan(args) -> int:
    def command(services, actor) -> int:
        case_id = case_id_of(services, actor, args.case)
        versions = [v.version_no for v in services.plans.plan_tab(actor, case_id).versions]
        if not versions:
            return fail(f"forløb {args.case} har ingen handlingsplan", 2)
        if args.version is not None and args.version not in versions:
            return fail(f"forløb {args.case} har ingen handlingsplan version {args.version} "
                        f"(versioner: {', '.join(map(str, sorted(versions)))})", 2)
        out = Path(args.out)
        version = _write(services, actor, case_id, args.version, args.audience, out)
        print(f"Handlingsplan version {version} for {args.case}: {out}")
        return 0
    return run_as_person(db_url(args), args, command)


def cmd_print_plans(args) -> int:
    def command(services, actor) -> int:
        plans = services.plans.approved_since(actor, args.approved_since)
        out_dir = Path(args.out_dir)
        for p in plans:
            _write(services, actor, p.case_id, p.version_no, args.audience,
                   out_dir / f"{p.case_number}-v{p.version_no}.pdf")
        print(f"{len(plans)} handlingsplaner godkendt siden {args.approved_since:%d-%m-%Y} er skrevet til {out_dir}")
        return 0
    return run_as_person(db_url(args), args, command)
