"""Audit trail: who did what to which record, when, with the values before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import AUDIT_ACTIONS


class AuditEvent(Base):
    """Append-only: the database refuses UPDATE and DELETE on this table."""

    __tablename__ = "audit_event"
    __table_args__ = (
        enum_check("action", AUDIT_ACTIONS),
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        Index("ix_audit_event_parent", "parent_type", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    # Kept as written, so the trail still reads correctly if the account is renamed
    actor_name: Mapped[str | None] = mapped_column(String(254), nullable=True)
    action: Mapped[str] = enum_column(AUDIT_ACTIONS)
    entity_type: Mapped[str] = mapped_column(String(50), nullable=False)  # table name
    entity_id: Mapped[int | None] = mapped_column(nullable=True)
    # The record whose history also shows this event (an alias's official, a support's evidence)
    parent_type: Mapped[str | None] = mapped_column(String(50), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class DataGeneration(Base):
    """One row counting the committed transactions that changed case data (services/generation.py):
    pages rendered from the data are kept under this number and dropped when it moves."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
