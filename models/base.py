"""Declarative base, naming convention, column types and mixins shared by every model."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, MetaData, String, Text, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations can refer to them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith(("sqlite3", "pysqlite"))


SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000"))


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite enforces foreign keys only when asked, on every new connection.

    The driver's own transaction handling is switched off and SQLAlchemy emits BEGIN
    itself (``_sqlite_begin``), so SAVEPOINTs and transactional DDL behave as on PostgreSQL.
    Write-ahead logging lets readers go on while one request writes (several gunicorn
    workers share the file); a writer that finds the database locked waits up to
    SQLITE_BUSY_TIMEOUT_MS rather than failing at once.
    """
    if _is_sqlite(dbapi_connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")  # ignored (stays "memory") for in-memory databases
        cursor.close()


# Set by a request that means to write (app.py): its transaction takes SQLite's write lock at
# BEGIN, waiting (busy_timeout) for another writer to finish. A transaction that reads first
# and only then writes cannot wait -- SQLite refuses it at once ("database is locked") when
# another writer got in between.
SQLITE_WRITE_INTENT: contextvars.ContextVar[bool] = contextvars.ContextVar("sqlite_write_intent", default=False)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if SQLITE_WRITE_INTENT.get() else "BEGIN")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def sql_in(column: str, values: Iterable[str]) -> str:
    """SQL text for ``column IN ('a', 'b')``; values are code constants, never user input."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


def enum_check(column: str, values: Iterable[str], *, nullable: bool = False) -> CheckConstraint:
    """A named CHECK constraint limiting ``column`` to ``values``."""
    text = sql_in(column, values)
    if nullable:
        text = f"{column} IS NULL OR {text}"
    return CheckConstraint(text, name=f"{column}_allowed")


def enum_column(values: Iterable[str], *, nullable: bool = False, **kwargs: Any) -> Any:
    """A string column long enough for the longest allowed value."""
    length = max(len(v) for v in values)
    return mapped_column(String(length), nullable=nullable, **kwargs)


class TimestampMixin:
    """Creation and last-change times, UTC."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False)


class VersionedMixin:
    """Optimistic concurrency: every UPDATE checks and bumps ``version``.

    A save made from a stale copy matches no row and raises StaleDataError, which the
    views turn into a refusal instead of silently losing the other person's change.
    """

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class SoftDeleteMixin:
    """Case records are never removed: they are marked deleted, and the database refuses DELETE."""

    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    deletion_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self, reason: str | None = None) -> None:
        if self.deleted_at is None:
            self.deleted_at = utcnow()
            self.deletion_reason = reason

    def restore(self) -> None:
        self.deleted_at = None
        self.deletion_reason = None
