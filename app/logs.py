"""The log file: where unexpected errors leave a reference and the place they happened, never data.

``tta-team.log`` lies in the user's data folder, readable by the user alone (``app.config.log_path``).
A traceback's text could hold a CPR number or a journal text (an exception's message often repeats
the values it was given), so only the exception's type, its causes' types and the file, line and
function of each frame are written. The app (``ui``) and the headless commands (``main.py``) share it.
"""
from __future__ import annotations

import logging
import secrets
import traceback

log = logging.getLogger("tta.ui")


def configure_logging() -> None:
    """Send the program's log to ``tta-team.log`` in the user's data folder."""
    from app.config import log_path
    logging.basicConfig(filename=str(log_path()), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def log_unexpected(exc: BaseException) -> str:
    """Write the traceback (without the exception's text) to the log; return the reference."""
    ref = secrets.token_hex(3).upper()
    # Where it happened, file and line only: source lines and locals could hold data.
    frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__))
    chain = []
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(chain) < 5:
        chain.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    log.error("unexpected error, reference %s: %s%s\n%s", ref, type(exc).__name__,
              f" (caused by {' <- '.join(chain)})" if chain else "", frames)
    return ref
