from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    QA = "qa"
    CUSTOMER = "customer"
    # A machine account: a PBX bridge or webhook feeding call events, nothing else.
    PBX = "pbx"


class User(IdMixin, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16), index=True)
    # The agent's phone: matched to Asterisk channels such as PJSIP/1001.
    extension: Mapped[str | None] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Set for role=customer: the one customer record this portal user may see.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    locale: Mapped[str] = mapped_column(String(16), default="zh-Hant")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Session cookies issued before this moment are refused: signing out ends the session on the server.
    sessions_revoked_at: Mapped[dt.datetime | None]
    # Two-factor sign-in: the TOTP secret encrypted with a key from SECRET_KEY (a database dump alone
    # yields no codes), when it was confirmed, and the SHA-256 of the unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[dt.datetime | None]
    recovery_codes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
