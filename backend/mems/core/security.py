"""Password hashing (argon2), opaque tokens stored hashed, CSRF tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

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


# Argon2 takes ~100 ms of CPU per call and releases the GIL while it works; it runs in this
# bounded pool so a login rush queues here instead of stalling the event loop, and leaves a core
# for everyone else's requests.
_HASH_POOL = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="argon2"
)


async def hash_password_async(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASH_POOL, hash_password, password)


async def verify_password_async(password: str, password_hash: str | None) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _HASH_POOL, verify_password, password, password_hash
    )


def device_token(secret_key: str, email: str) -> str:
    """The long-lived cookie a browser gets once it has logged in to this account: it proves
    the real user is trying, so strangers' failures do not lock that browser out."""
    return hmac.new(secret_key.encode(), b"device:" + email.lower().encode(), "sha256").hexdigest()


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
