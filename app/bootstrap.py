"""Open a database for use: health check, migrate to the current schema, seed reference data."""
from __future__ import annotations

from app.reference import seed_reference_data
from app.services import Services
from db import migrate
from app.errors import StorageUnavailable
from db.session import StorageError, check_sqlite_health, open_database


def prepare_database(url: str, *, upgrade: bool = True, check: bool = True) -> Services:
    """Open ``url``; bring its schema to head (never losing rows) and add missing reference data.

    ``check=False`` leaves the health check to the caller (``health_check``), which the GUI runs in
    the background while the user types the password: ``quick_check`` reads the whole file.
    """
    try:
        db = open_database(url, check=check)
    except StorageError as exc:
        raise StorageUnavailable(str(exc)) from exc
    if upgrade and migrate.needs_upgrade(db.engine):
        migrate.upgrade(db.engine)
    with db.write() as s:
        seed_reference_data(s)
    return Services(db)


def health_check(services: Services) -> None:
    """SQLite's ``quick_check`` and pragma check; raises StorageUnavailable on a damaged file."""
    if not services.db.is_sqlite:
        return
    try:
        check_sqlite_health(services.db.engine)
    except StorageError as exc:
        raise StorageUnavailable(str(exc)) from exc
