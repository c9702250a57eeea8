from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class ApiToken(IdMixin, Base):
    """A bearer token; only its SHA-256 is stored, so a database dump reveals no usable token."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(128), default="")
    # "api": the REST API and the sockets; "cti": only the PBX's CTI URL (`/api/v1/cti/{token}`), which
    # carries the token in the path, so a token that leaks from a PBX's config opens nothing else.
    scope: Mapped[str] = mapped_column(String(16), default="api", server_default="api")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
