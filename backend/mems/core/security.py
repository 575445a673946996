"""Password hashing (argon2), opaque tokens stored hashed, CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
# Verifying against this keeps an unknown e-mail as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("mems-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def new_token(prefix: str = "", nbytes: int = 32) -> str:
    return prefix + secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """Tokens are random and long, so a fast hash is enough (and keeps lookups cheap)."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret_key: str, session_token_hash: str) -> str:
    return hmac.new(
        secret_key.encode(), b"csrf:" + session_token_hash.encode(), "sha256"
    ).hexdigest()


def csrf_matches(secret_key: str, session_token_hash: str, presented: str | None) -> bool:
    if not presented:
        return False
    return hmac.compare_digest(csrf_token(secret_key, session_token_hash), presented)
