"""Password hashing with Argon2id (argon2-cffi), the current OWASP recommendation."""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from contact_center.errors import ValidationFailed

_hasher = PasswordHasher()
MIN_LENGTH = 10
# Argon2 costs ~100 ms of CPU: off the event loop, and no more at once than there are cores, so a burst
# of sign-ins queues instead of starving the screen-pops.
_slots: asyncio.Semaphore | None = None

# Verifying against a dummy hash when the user does not exist keeps the timing the same,
# so response time does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _pool() -> asyncio.Semaphore:
    global _slots
    if _slots is None:
        _slots = asyncio.Semaphore(2)
    return _slots


async def hash_password_off_loop(password: str) -> str:
    async with _pool():
        return await asyncio.to_thread(hash_password, password)


async def verify_password_off_loop(password: str, password_hash: str | None) -> bool:
    async with _pool():
        return await asyncio.to_thread(verify_password, password, password_hash)


@functools.cache
def _common() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most used passwords (from real leaks), maintained with the library.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_policy(password: str, username: str) -> None:
    """A new password: at least 10 characters, not a commonly used one, not the username."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed("password: at least {n} characters", n=MIN_LENGTH)
    if password.strip().lower() == username.strip().lower():
        raise ValidationFailed("password: must not be the username")
    if password.lower() in _common():
        raise ValidationFailed("password: one of the most used passwords; choose another")
