"""Where the data lives and which database to use.

The data folder and everything in it are the user's alone (0700 folder, 0600 files on POSIX; the
per-user folder from platformdirs on Windows): see ``db.private_files``.
"""
from __future__ import annotations

import os
from pathlib import Path

from db.private_files import private_dir, private_file

APP_NAME = "TTA-team"
APP_AUTHOR = "TTA-team"
ENV_DB_URL = "TTA_DB_URL"
LOG_FILE_NAME = "tta-team.log"


def data_dir() -> Path:
    """The user's data folder, created (or tightened) for the user alone."""
    from platformdirs import user_data_dir
    return private_dir(user_data_dir(APP_NAME, APP_AUTHOR))


def log_path() -> Path:
    """The log file in the data folder, created for the user alone before a handler opens it.

    A logging ``FileHandler`` appends to the existing file and keeps its mode, so call this and hand
    the path to the handler instead of joining the name yourself.
    """
    return private_file(data_dir() / LOG_FILE_NAME)


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'tta-team.db'}"


def resolve_db_url(cli_value: str | None = None) -> str:
    """``--db`` wins over ``TTA_DB_URL``, which wins over the SQLite file in the user's data folder."""
    if cli_value:
        return cli_value
    env = os.environ.get(ENV_DB_URL)
    if env:
        return env
    return default_db_url()
