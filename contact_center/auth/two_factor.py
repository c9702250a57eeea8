"""Two-factor sign-in for staff: TOTP (RFC 6238, pyotp) and single-use recovery codes.

The secret is stored encrypted (Fernet, with a key derived from SECRET_KEY), so a copy of the database
alone yields no codes; recovery codes only as SHA-256. A secret is set up, then confirmed with a first
code from the authenticator app: only then does sign-in ask for codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import msgspec
import pyotp
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.auth import repository
from contact_center.errors import DomainError, NotFound, ValidationFailed
from contact_center.models import User

ISSUER = "Contact Center"
RECOVERY_CODES = 10


class OtpRequired(DomainError):
    """The password was right; the one-time code is still to come."""

    status_code = 401
    code = "otp_required"


class Setup(msgspec.Struct):
    secret: str
    uri: str  # otpauth://… for the authenticator app (as text or a QR code)


def _box(secret_key: str) -> Fernet:
    key = hashlib.sha256(b"totp:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and user.totp_secret is not None


async def _user(session: AsyncSession, user_id: int) -> User:
    user = await repository.get_user(session, user_id)
    if user is None:
        raise NotFound("no user {user_id}", user_id=user_id)
    return user


async def begin(session: AsyncSession, user_id: int, secret_key: str) -> Setup:
    """A new secret for this user; sign-in asks for codes once it is confirmed."""
    user = await _user(session, user_id)
    secret = pyotp.random_base32()
    user.totp_secret = _box(secret_key).encrypt(secret.encode()).decode()
    user.totp_enabled_at = None
    await session.flush()
    return Setup(secret=secret, uri=pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


async def confirm(session: AsyncSession, user_id: int, code: str, secret_key: str) -> list[str]:
    """Turns two-factor sign-in on with a first code; returns the recovery codes (shown once)."""
    user = await _user(session, user_id)
    if user.totp_secret is None or not _totp_ok(user, code, secret_key):
        raise ValidationFailed("code: not the code the authenticator app shows now")
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [_hash(c) for c in codes]
    user.totp_enabled_at = clock.now()
    await session.flush()
    return codes


async def enrol_now(session: AsyncSession, user_id: int, secret_key: str) -> tuple[Setup, list[str]]:
    """An admin's enrolment (`contact-center users totp NAME`): on at once, the secret and the recovery
    codes handed to the user in person."""
    setup = await begin(session, user_id, secret_key)
    user = await _user(session, user_id)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [_hash(c) for c in codes]
    user.totp_enabled_at = clock.now()
    await session.flush()
    return setup, codes


async def disable(session: AsyncSession, user_id: int) -> None:
    user = await _user(session, user_id)
    user.totp_secret, user.totp_enabled_at, user.recovery_codes = None, None, []
    await session.flush()


def _totp_ok(user: User, code: str, secret_key: str) -> bool:
    try:
        secret = _box(secret_key).decrypt((user.totp_secret or "").encode()).decode()
    except InvalidToken:  # SECRET_KEY changed: the secret cannot be read, set it up again
        return False
    return pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1)


def check(user: User, code: str, secret_key: str) -> bool:
    """A current TOTP code, or an unused recovery code (used up by this check)."""
    if _totp_ok(user, code, secret_key):
        return True
    digest = _hash(code)
    for stored in list(user.recovery_codes or []):
        if hmac.compare_digest(stored, digest):
            user.recovery_codes = [c for c in user.recovery_codes if c != stored]
            return True
    return False
