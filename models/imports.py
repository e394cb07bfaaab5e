"""Imports of public sanctions data: the rules that link listings to decisions and posts,
each import run with its report, the review queue of likely matches, and the record of which
source row became which official."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import (
    IMPORT_FORMATS,
    IMPORT_RULE_KINDS,
    IMPORT_STATUSES,
    INVOLVEMENT_ROLES,
    REVIEW_REASONS,
    REVIEW_STATUSES,
)

if TYPE_CHECKING:
    from models.decision import Decision
    from models.evidence import Evidence
    from models.institution import Position
    from models.official import Official
    from models.user import User


class ImportRule(TimestampMixin, VersionedMixin, Base):
    """Data, not code: a phrase in a listing's statement of reasons (or position text) that
    means the person took part in a decision in a role, or held a post."""

    __tablename__ = "import_rule"
    __table_args__ = (
        enum_check("kind", IMPORT_RULE_KINDS),
        enum_check("role", INVOLVEMENT_ROLES, nullable=True),
        CheckConstraint("length(pattern) >= 4", name="pattern_long_enough"),
        CheckConstraint(
            "(kind = 'involvement' AND decision_id IS NOT NULL AND role IS NOT NULL AND position_id IS NULL)"
            " OR (kind = 'position' AND position_id IS NOT NULL AND decision_id IS NULL AND role IS NULL)",
            name="target_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = enum_column(IMPORT_RULE_KINDS)
    # Matched case-insensitively as a phrase (typographic quotes and spacing folded)
    pattern: Mapped[str] = mapped_column(Text, nullable=False)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True, nullable=True)
    role: Mapped[str | None] = enum_column(INVOLVEMENT_ROLES, nullable=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    decision: Mapped[Decision | None] = relationship()
    position: Mapped[Position | None] = relationship()


class ImportRun(Base):
    """One import of one file: what it was, who ran it, and the report of every row."""

    __tablename__ = "import_run"
    __table_args__ = (
        enum_check("format", IMPORT_FORMATS),
        enum_check("status", IMPORT_STATUSES),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = enum_column(IMPORT_FORMATS)
    file_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)  # of the file imported
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(254), nullable=False)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    lenient: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Any person not imported refuses the whole file
    strict: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Certain matches were merged without waiting for review (each recorded as a confirmed review)
    accept_certain: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = enum_column(IMPORT_STATUSES)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    # Rows skipped and persons not imported by reason: {"skipped": {"Vessel: not a person": 75},
    # "not_imported": {"other_state": 3}}
    reasons: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, nullable=False, default=dict)
    # [{"line": 12, "outcome": "new", "reason": "...", "official_id": 3}, ...]
    report: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)

    user: Mapped[User | None] = relationship()


class MatchReview(Base):
    """A likely match between an imported person and an existing official, waiting for a
    user's judgement; a judgement is kept and the same pair is never asked again. A confirmed
    match keeps what it added to the official, so it can be undone."""

    __tablename__ = "match_review"
    __table_args__ = (
        enum_check("status", REVIEW_STATUSES),
        enum_check("reason", REVIEW_REASONS),
        UniqueConstraint("scheme", "source_id", "official_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True, nullable=True)
    # The incoming row's identity in its source (ImportedPerson.record): "eu_32017R1509" and
    # "XV.A/EU-PRK/12"; reviews from before issue 19 hold the id scheme and the entry number
    scheme: Mapped[str] = mapped_column(String(40), nullable=False)
    source_id: Mapped[str] = mapped_column(String(200), nullable=False)
    reason: Mapped[str] = enum_column(REVIEW_REASONS, default="match")
    person_name: Mapped[str] = mapped_column(String(300), nullable=False)
    person: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)  # the imported record, to apply on confirm
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = enum_column(REVIEW_STATUSES, default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Confirmed as a certain match (same name, full birth date and State) by a bulk acceptance
    # or an import run with accept_certain, not one by one
    automatic: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # What the confirmation added to the official (ids of names, identifiers, tenures,
    # involvements, supports, the listing, fields filled): what undoing it takes away
    merged: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    official: Mapped[Official] = relationship()
    import_run: Mapped[ImportRun | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])


class ImportRecord(TimestampMixin, Base):
    """Which official a source row became: the row's identity in its source (the EU act,
    annex, programme and entry; the OFAC entry number; the FtM entity id), never shared by two
    designations, with a fingerprint of what the row said. A re-import finds the official by
    it, and an unchanged fingerprint means nothing to do."""

    __tablename__ = "import_record"
    __table_args__ = (
        UniqueConstraint("source", "key"),
        CheckConstraint("length(fingerprint) = 64", name="fingerprint_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), nullable=False)  # "eu_32014R0269", "ofac_sdn", "opensanctions"
    key: Mapped[str] = mapped_column(String(200), nullable=False)  # "I.PERSONS/EU-UKR/669", "35096"
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=True)
    # SHA-256 of the row as parsed (and of the active import rules): unchanged, nothing to do
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True, nullable=True)

    official: Mapped[Official] = relationship()
    listing: Mapped[Evidence | None] = relationship()
    import_run: Mapped[ImportRun | None] = relationship()
