"""Users and credentials: creating users, issuing tokens, checking passwords and tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.auth import repository, two_factor
from contact_center.auth.passwords import hash_password_off_loop, verify_password_off_loop
from contact_center.auth.schemas import CurrentUser
from contact_center.auth.throttle import LoginThrottle
from contact_center.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from contact_center.models import ApiToken, Role, User

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_EXTENSION = re.compile(r"^[0-9A-Za-z*#+_-]{1,32}$")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "cc_"  # noqa: S105  (a prefix that marks our tokens in logs and scanners, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def to_current_user(user: User) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        extension=user.extension,
        customer_id=user.customer_id,
    )


def _validate_new_user(username: str, role: str, extension: str | None, password: str | None) -> None:
    if not _USERNAME.match(username):
        raise ValidationFailed("username: 1–64 letters, digits, '.', '_', '@' or '-'")
    if role not in {r.value for r in Role}:
        raise ValidationFailed("role must be one of {choices}", choices=", ".join(r.value for r in Role))
    if extension is not None and not _EXTENSION.match(extension):
        raise ValidationFailed("extension: 1–32 digits or dial characters")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "password must have at least {min_password_length} characters", min_password_length=MIN_PASSWORD_LENGTH
        )


async def add_user(
    session: AsyncSession,
    username: str,
    role: str,
    *,
    display_name: str | None = None,
    extension: str | None = None,
    password: str | None = None,
    customer_id: int | None = None,
) -> User:
    """Creates a user; the username and the extension must be free."""
    _validate_new_user(username, role, extension, password)
    if await repository.get_user_by_username(session, username):
        raise Conflict("user {username!r} already exists", username=username)
    if extension and await repository.get_user_by_extension(session, extension):
        raise Conflict("extension {extension} already belongs to another user", extension=extension)
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        extension=extension,
        password_hash=await hash_password_off_loop(password) if password else None,
        customer_id=customer_id,
    )
    repository.add(session, user)
    await session.flush()
    return user


TOKEN_SCOPES = ("api", "cti")


async def create_token(session: AsyncSession, username: str, label: str = "", scope: str = "api") -> str:
    """Issues a token for a user; returns the token, which is stored only as a hash. A "cti" token is
    good only in a PBX's CTI URL, and only for a user who may feed call events."""
    user = await repository.get_user_by_username(session, username)
    if user is None:
        raise NotFound("no user {username!r}", username=username)
    if scope not in TOKEN_SCOPES:
        raise ValidationFailed("scope must be one of {scopes}", scopes=", ".join(TOKEN_SCOPES))
    if scope == "cti" and user.role not in (Role.PBX, Role.ADMIN):
        raise ValidationFailed("a CTI token is for a pbx user; {username} is {role}", username=username, role=user.role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    repository.add(session, ApiToken(user_id=user.id, token_hash=token_hash(token), label=label, scope=scope))
    await session.flush()
    return token


class TokenInfo(msgspec.Struct):
    id: int
    username: str
    label: str
    scope: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


async def list_tokens(session: AsyncSession) -> list[TokenInfo]:
    """Every token issued, revoked ones included, newest first."""
    return [TokenInfo(id=t.id, username=username, label=t.label, scope=t.scope, created_at=t.created_at,
                      revoked_at=t.revoked_at) for t, username in await repository.tokens(session)]  # fmt: skip


async def revoke_token(session: AsyncSession, token_id: int) -> TokenInfo:
    """Revokes a token at once (every process checks the database); revoking twice keeps the first time."""
    token = await repository.get_token(session, token_id)
    if token is None:
        raise NotFound("no token {token_id}", token_id=token_id)
    token.revoked_at = token.revoked_at or clock.now()
    await session.flush()
    user = await repository.get_user(session, token.user_id)
    return TokenInfo(id=token.id, username=user.username if user else "?", label=token.label, scope=token.scope,
                     created_at=token.created_at, revoked_at=token.revoked_at)  # fmt: skip


async def authenticate_password(session: AsyncSession, username: str, password: str) -> CurrentUser:
    """The user these credentials belong to; the same error whatever was wrong."""
    user = await repository.get_user_by_username(session, username) if username else None
    ok = await verify_password_off_loop(password, user.password_hash if user else None)
    if user is None or not ok or not user.is_active:
        raise NotAuthenticated("wrong username or password")
    return to_current_user(user)


@dataclass(frozen=True, slots=True)
class SecondFactor:
    """What sign-in needs beyond the password: the key the TOTP secrets are sealed with, and the roles
    that may not sign in without two-factor sign-in."""

    secret_key: str
    required_roles: frozenset[str] = frozenset()


async def sign_in(
    session: AsyncSession,
    throttle: LoginThrottle,
    username: str,
    password: str,
    address: str,
    otp: str | None = None,
    second: SecondFactor | None = None,
) -> CurrentUser:
    """`authenticate_password` behind the sign-in throttle (failures count per account and per address;
    over the limit the answer is TooManyAttempts whatever the password), then the one-time code of a user
    with two-factor sign-in on. A wrong code counts as a failure; a missing one is OtpRequired."""
    await throttle.check(username, address)
    try:
        user = await authenticate_password(session, username, password)
    except NotAuthenticated:
        await throttle.failed(username, address)
        raise
    row = await repository.get_user(session, user.id)
    if second is not None and row is not None and two_factor.enabled(row):
        if not otp:
            raise two_factor.OtpRequired("enter the one-time code from your authenticator app")
        if not two_factor.check(row, otp, second.secret_key):
            await throttle.failed(username, address)
            raise NotAuthenticated("wrong one-time code")
        await session.flush()  # a recovery code is used up
    elif second is not None and row is not None and row.role in second.required_roles:
        raise PermissionDenied("two-factor sign-in is required for your role: an admin sets it up with "
                               "`contact-center users totp {username}`", username=row.username)  # fmt: skip
    await throttle.succeeded(username)
    return user


async def authenticate_token(session: AsyncSession, token: str, scope: str = "api") -> CurrentUser | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    user = await repository.get_user_by_token_hash(session, token_hash(token), scope)
    return to_current_user(user) if user else None


async def current_user_by_id(session: AsyncSession, user_id: int, issued_at: float = 0.0) -> CurrentUser | None:
    """The active user of a session cookie issued at `issued_at` (epoch seconds), unless sessions issued
    then were ended since (sign-out, deactivation)."""
    user = await repository.get_user(session, user_id)
    if user is None or not user.is_active:
        return None
    if user.sessions_revoked_at is not None and issued_at < user.sessions_revoked_at.timestamp():
        return None
    return to_current_user(user)


async def user_id_of(session: AsyncSession, username: str) -> int:
    user = await repository.get_user_by_username(session, username)
    if user is None:
        raise NotFound("no user {username!r}", username=username)
    return user.id


async def end_sessions(session: AsyncSession, user_id: int) -> None:
    """Every session cookie of this user issued until now is refused from now on (all their browsers)."""
    user = await repository.get_user(session, user_id)
    if user is not None:
        user.sessions_revoked_at = clock.now()
        await session.flush()


async def set_active(session: AsyncSession, user_id: int, active: bool) -> CurrentUser:
    """Deactivates (or reactivates) a user: a deactivated user's password, sessions and tokens open nothing."""
    user = await repository.get_user(session, user_id)
    if user is None:
        raise NotFound("no user {user_id}", user_id=user_id)
    user.is_active = active
    if not active:
        user.sessions_revoked_at = clock.now()
    await session.flush()
    return to_current_user(user)
