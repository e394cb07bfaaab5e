"""Imports of public sanctions data: the rules that link listings to decisions and posts,
each import run with its report, and the review queue of likely matches."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import IMPORT_FORMATS, IMPORT_RULE_KINDS, IMPORT_STATUSES, INVOLVEMENT_ROLES, REVIEW_STATUSES

if TYPE_CHECKING:
    from models.decision import Decision
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
    status: Mapped[str] = enum_column(IMPORT_STATUSES)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, nullable=False, default=dict)
    # [{"line": 12, "outcome": "new", "reason": "...", "official_id": 3}, ...]
    report: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)

    user: Mapped[User | None] = relationship()


class MatchReview(Base):
    """A likely match between an imported person and an existing official, waiting for a
    user's judgement; a judgement is kept and the same pair is never asked again."""

    __tablename__ = "match_review"
    __table_args__ = (
        enum_check("status", REVIEW_STATUSES),
        UniqueConstraint("scheme", "source_id", "official_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"), index=True, nullable=True)
    scheme: Mapped[str] = mapped_column(String(40), nullable=False)  # the incoming person's id scheme
    source_id: Mapped[str] = mapped_column(String(200), nullable=False)
    person_name: Mapped[str] = mapped_column(String(300), nullable=False)
    person: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)  # the imported record, to apply on confirm
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = enum_column(REVIEW_STATUSES, default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    official: Mapped[Official] = relationship()
    decided_by: Mapped[User | None] = relationship()
