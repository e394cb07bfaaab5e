"""Audit trail: who did what to which record, when, with the values before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import AUDIT_ACTIONS


class AuditEvent(Base):
    """Append-only: the database refuses UPDATE and DELETE on this table.

    The events form one chain in the order of their ids (services/audit/trail.py appends them when
    their transaction commits, one transaction at a time): ``prev_hash`` is the ``event_hash``
    of the event before, and ``event_hash`` is keyed with the instance's chain key
    (services/common/chain_keys.py), so a row changed, removed or added around the application is found
    by ``flask evidence fixity`` even when whoever did it recomputed the hashes.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        enum_check("action", AUDIT_ACTIONS),
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        Index("ix_audit_event_parent", "parent_type", "parent_id"),
        CheckConstraint("length(event_hash) = 64", name="event_hash_length"),
        CheckConstraint("prev_hash IS NULL OR length(prev_hash) = 64", name="prev_hash_length"),
        # The trail cannot fork: one successor per event
        Index(
            "uq_audit_event_prev_hash",
            "prev_hash",
            unique=True,
            sqlite_where=text("prev_hash IS NOT NULL"),
            postgresql_where=text("prev_hash IS NOT NULL"),
        ),
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
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None for the first event only
    event_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


class AuditHead(Base):
    """The tip of the audit trail: how many events it holds and the hash of the newest.
    Appending locks this one row until the transaction commits, so writers append in turn;
    removing the newest events shows as a trail shorter than its head says."""

    __tablename__ = "audit_head"
    __table_args__ = (
        CheckConstraint("event_count >= 0", name="event_count_not_negative"),
        CheckConstraint("(event_count = 0 AND head_hash IS NULL) OR length(head_hash) = 64", name="head_hash_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # one row, id 1
    event_count: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    head_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DataGeneration(Base):
    """One row counting the committed transactions that changed case data (services/common/generation.py):
    pages rendered from the data are kept under this number and dropped when it moves."""

    __tablename__ = "data_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class OfficialPageVersion(Base):
    """The data generation at which a change last reached an official's dossier page
    (services/dossiers/page_versions.py): a cached page of the official is kept under it, so
    that a change elsewhere leaves the page in the cache."""

    __tablename__ = "official_page_version"

    official_id: Mapped[int] = mapped_column(ForeignKey("official.id", ondelete="CASCADE"), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, nullable=False)
