"""The declarative base every table registers on: one metadata, one naming convention, and
every timestamp column stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

from db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps are stored in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same way."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every timestamp column is a `UtcDateTime`, even one declared as a plain `DateTime`.

        (SQLite would otherwise hand back naive datetimes, and comparing them with aware ones
        fails; a table from any module gets the same type.)
        """
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        for column in getattr(table, "columns", ()):
            if isinstance(column.type, DateTime):
                column.type = UtcDateTime()
