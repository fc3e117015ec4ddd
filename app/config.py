"""Where the data lives and which database to use."""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "TTA-team"
APP_AUTHOR = "TTA-team"
ENV_DB_URL = "TTA_DB_URL"


def data_dir() -> Path:
    from platformdirs import user_data_dir
    path = Path(user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


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
