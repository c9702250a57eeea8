from __future__ import annotations

import msgspec

from contact_center.bounded import Text16, Text64, Text255


class CurrentUser(msgspec.Struct, frozen=True):
    """Who is making a request: what guards and services need, nothing secret."""

    id: int
    username: str
    display_name: str
    role: str
    extension: str | None = None
    customer_id: int | None = None


class LoginRequest(msgspec.Struct):
    username: Text64
    password: Text255
    otp: Text16 | None = None  # the authenticator app's code (or a recovery code) when two-factor is on


class OtpCode(msgspec.Struct):
    code: Text16


class RecoveryCodes(msgspec.Struct):
    recovery_codes: list[str]
