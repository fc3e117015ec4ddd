"""Open a database for use: health check, migrate to the current schema, seed reference data."""
from __future__ import annotations

from app.reference import seed_reference_data
from app.services import Services
from db import migrate
from app.errors import StorageUnavailable
from db.session import StorageError, open_database


def prepare_database(url: str, *, upgrade: bool = True) -> Services:
    """Open ``url``; bring its schema to head (never losing rows) and add missing reference data."""
    try:
        db = open_database(url)
    except StorageError as exc:
        raise StorageUnavailable(str(exc)) from exc
    if upgrade and migrate.needs_upgrade(db.engine):
        migrate.upgrade(db.engine)
    with db.write() as s:
        seed_reference_data(s)
    return Services(db)
