"""Password hashing with argon2id (argon2-cffi's defaults exceed OWASP's minimum)."""
from __future__ import annotations

import hashlib
import secrets
import threading
from functools import lru_cache

MIN_PASSWORD_LENGTH = 8


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_dummy_lock = threading.Lock()
_dummy: list[str] = []


def dummy_hash() -> str:
    """The hash a login checks the typed password against when there is no account to check it
    against (unknown, inactive or locked): the refusal then takes as long as a wrong password.

    A hash of a random password nobody knows, made once per process with the same parameters as
    real ones (so checking against it costs what a real check costs)."""
    with _dummy_lock:
        if not _dummy:
            _dummy.append(hash_password(secrets.token_urlsafe(16)))
        return _dummy[0]


def new_session_token() -> str:
    """A random session token (256 bits); only its digest is stored."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a session token. The token is random and long, so a plain
    SHA-256 suffices: a copy of the database yields no working session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
