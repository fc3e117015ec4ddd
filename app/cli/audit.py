"""``audit verify|purge|export``: the audit log's chain check, retention purge and a citizen's extract
(GDPR art. 15), acting as a named user."""
from __future__ import annotations

import sys

from app.cli.base import Cli, db_url, run_as_person


def register(cli: Cli) -> None:
    audit = cli.group("audit", help="the audit log: verify, purge, export a citizen's extract")
    for name, help in (("verify", "check the audit log's chain; exit code 1 when broken"),
                       ("purge", "remove entries older than the retention setting, leaving a signed checkpoint")):
        audit.add_parser(name, parents=[cli.db, cli.person], help=help).set_defaults(run=cmd_audit)
    export = audit.add_parser("export", parents=[cli.db, cli.person],
                              help="everything logged about one citizen, as a PDF (GDPR art. 15)")
    export.add_argument("--citizen", required=True, metavar="CASE_NUMBER_OR_CPR")
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(run=cmd_audit)


def cmd_audit(args) -> int:
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
    return run_as_person(db_url(args), args, command)
