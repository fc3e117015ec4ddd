"""``print letter``: a letter from a template for one case as PDF (and a Word copy), acting as a named
user with the same permissions, consent rule, employer check and letter log as the app."""
from __future__ import annotations

from pathlib import Path

from app.cli.base import Cli, case_id_of, db_url, fail, run_as_person


def register(cli: Cli) -> None:
    group = cli.group("print", help="print a document as PDF")
    one = group.add_parser("letter", parents=[cli.db, cli.person],
                           help="a letter from a template (start, midtvejs, afslutning, laege, arbejdsgiver, "
                                "invitation) as PDF, kept in the case's letter log")
    one.add_argument("--case", required=True, metavar="CASE_NUMBER", help="the case number, e.g. TTA-2026-00107")
    one.add_argument("--template", required=True, metavar="NAME", help="the template's short name, e.g. afslutning")
    one.add_argument("--out", required=True, metavar="FILE.pdf")
    one.add_argument("--docx", default=None, metavar="FILE.docx", help="also a Word copy")
    one.set_defaults(run=cmd_print_letter)


def cmd_print_letter(args) -> int:
    from app.printing.templates import write_pdf
    from db.private_files import write_private_file

    def command(services, actor) -> int:
        case_id = case_id_of(services, actor, args.case)
        known = [code for code, _name, _to in services.letters.letter_tab(actor, case_id).templates]
        if args.template not in known:
            return fail(f"der er ingen brevskabelon ved navn {args.template} "
                        f"(skabeloner: {', '.join(sorted(known))})", 2)
        draft = services.letters.draft(actor, case_id, args.template)
        data = services.letters.letter_pdf(actor, draft)
        out = write_pdf(Path(args.out), data)
        if args.docx:
            docx = Path(args.docx)
            docx.parent.mkdir(parents=True, exist_ok=True)
            write_private_file(docx, services.letters.letter_docx(actor, draft))
        services.letters.send(actor, draft, pdf=data, how=f"fil {out.name}")
        print(f"{draft.subject}: {out}" + (f" og {args.docx}" if args.docx else ""))
        for label in draft.missing:
            print(f"bemærk: {label} er ikke oplyst i forløbet")
        return 0
    return run_as_person(db_url(args), args, command)
