"""Declarative base shared by every table.

advanced-alchemy supplies the column types that behave the same on SQLite and PostgreSQL:
`DateTimeUTC` keeps timezone-aware datetimes on SQLite (which has no timezone type) and
`JsonB` is JSONB on PostgreSQL and JSON elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from advanced_alchemy.types import BigIntIdentity, DateTimeUTC, JsonB
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dt.datetime: DateTimeUTC(timezone=True),
        dict[str, Any]: JsonB,
        list[Any]: JsonB,
    }


class IdMixin:
    id: Mapped[int] = mapped_column(BigIntIdentity, primary_key=True)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What migrations and models compare: not the database's own full-text machinery, which migrations
    make per dialect (SQLite's FTS5 table and its shadow tables, PostgreSQL's GIN index on the tsvector)."""
    if type_ == "table" and name is not None and name.startswith("tickets_fts"):
        return False
    return not (type_ == "index" and name == "ix_tickets_search_terms")
