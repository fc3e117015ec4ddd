"""``backup`` (a verified, rotated copy now; ``pg_dump`` on PostgreSQL) and ``restore FILE`` (a backup
in the database's place, the current file kept aside first; then ``--user`` logs in to the restored
database as an administrator, who is credited with the restore in its audit log, or it is undone)."""
from __future__ import annotations

from app.cli.base import Cli, db_url, fail, run_as_person


def register(cli: Cli) -> None:
    backup = cli.sub.add_parser("backup", parents=[cli.db, cli.person],
                                help="take a verified backup of the database now (an administrator)")
    backup.set_defaults(run=cmd_backup)
    restore = cli.sub.add_parser("restore", parents=[cli.db, cli.person],
                                 help="put a backup in the database's place (the current file is kept aside); "
                                      "--user: an administrator of the restored database, or it is undone")
    restore.add_argument("file", metavar="FILE", help="the backup file (tta-team-YYYYmmdd-HHMMSS.db)")
    restore.set_defaults(run=cmd_restore)


def cmd_backup(args) -> int:
    def command(services, actor) -> int:
        info = services.backup.take(actor)
        rows = f", {info.rows} rows, integrity_check ok" if info.rows else ""
        print(f"Backup written to {info.path}{rows}.")
        return 0
    return run_as_person(db_url(args), args, command)


def cmd_restore(args) -> int:
    from pathlib import Path

    from app.bootstrap import lock_instance
    from app.services.backup import restore_file, undo_restore
    from db.base import utcnow
    from db.session import sqlite_file_path
    url = db_url(args)
    path = sqlite_file_path(url)
    if path is None:
        return fail("Kun en SQLite-database gendannes her; en PostgreSQL-server gendannes med pg_restore "
                    "(se README).")
    lock = lock_instance(url)   # nobody may have the file open while it is replaced
    try:
        aside = restore_file(path, Path(args.file), now=utcnow())
    finally:
        lock.release()

    def record(services, actor) -> int:
        services.backup.record_restore(actor, Path(args.file).name, aside.name)
        return 0
    # Whoever restores must be an administrator of what was restored: logged in there, the restore
    # is written to its audit log; refused, the restore is undone.
    status = run_as_person(url, args, record)
    if status != 0:
        lock = lock_instance(url)
        try:
            undo_restore(path, aside)
        finally:
            lock.release()
        return fail(f"Gendannelsen er fortrudt; {path} er som før.", status)
    print(f"Restored {args.file} to {path}.")
    print(f"The file it replaced is kept as {aside}.")
    return 0
