"""Open a database for use: health check, migrate to the current schema, seed reference data, seal
audit entries from before the audit chain; and the audit log's start-up routine (purge, check)."""
from __future__ import annotations

from dataclasses import dataclass

from app.audit_chain import AuditChainBroken, PurgeResult, VerifyResult, seal_legacy_entries
from app.audit_key import audit_key
from app.reference import seed_reference_data
from app.services import Services
from db import migrate
from app.errors import StorageUnavailable
from db.session import StorageError, check_sqlite_health, open_database


def prepare_database(url: str, *, upgrade: bool = True, check: bool = True) -> Services:
    """Open ``url``; bring its schema to head (never losing rows), add missing reference data and
    seal audit entries from before the audit chain. Without the audit log's key (PostgreSQL needs
    TTA_AUDIT_KEY or TTA_AUDIT_KEY_FILE) it stops here with AuditKeyMissing: nothing could be saved.

    ``check=False`` leaves the health check to the caller (``health_check``), which the GUI runs in
    the background while the user types the password: ``quick_check`` reads the whole file.
    """
    try:
        db = open_database(url, check=check)
    except StorageError as exc:
        raise StorageUnavailable(str(exc)) from exc
    if upgrade and migrate.needs_upgrade(db.engine):
        migrate.upgrade(db.engine)
    try:
        audit_key(db.engine.dialect.name)  # no key, no signed log: say so now rather than at the first write
    except StorageUnavailable:
        db.dispose()
        raise
    with db.write() as s:
        seed_reference_data(s)
        seal_legacy_entries(s)  # entries from before the audit chain, once
    return Services(db)


def health_check(services: Services) -> None:
    """SQLite's ``quick_check`` and pragma check; raises StorageUnavailable on a damaged file."""
    if not services.db.is_sqlite:
        return
    try:
        check_sqlite_health(services.db.engine)
    except StorageError as exc:
        raise StorageUnavailable(str(exc)) from exc


@dataclass(frozen=True)
class AuditLogCheck:
    """What the audit log's start-up routine found, for Administration (and a warning at start)."""
    verify: VerifyResult
    purge: PurgeResult | None    # None: not due this time (or not run because the chain is broken)
    purge_error: str = ""        # Danish; why a due purge removed nothing


def audit_log_startup(services: Services) -> AuditLogCheck:
    """The audit log's start-up routine, for the UI to run in the background after
    ``prepare_database``: the monthly purge when it is due (``audit_retention_months``; the last run
    is kept in a setting), then a full check of the chain. Runs without a user; the purge is logged
    as the program's own ("system")."""
    purge, error = None, ""
    try:
        purge = services.audit_log.purge_if_due()
    except AuditChainBroken as exc:
        error = exc.message
    return AuditLogCheck(services.audit_log.check_chain(), purge, error)
