from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contact_center.db.base import Base, IdMixin, utcnow


class NlpModel(IdMixin, Base):
    """A trained ticket classifier: its version, where its files are, how well it did, whether it is in use.

    The files live under the shared `CC_VAR_DIR` (app instances and workers mount the same volume);
    the row tells every process which version to load."""

    __tablename__ = "nlp_models"

    version: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(default=False, index=True)
    trained_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
