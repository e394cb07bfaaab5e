"""Evidence: exhibits, their immutable files, and the facts each one bears on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import (
    Base,
    SoftDeleteMixin,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enum_check,
    enum_column,
    utcnow,
)
from models.enums import (
    CLASSIFICATIONS,
    CREDIBILITY_GRADES,
    DERIVATION_KINDS,
    EVIDENCE_KINDS,
    RELIABILITY_GRADES,
    STANCES,
    SUPPORT_TARGETS,
)

if TYPE_CHECKING:
    from models.act import ActAssessment, AggressionAct
    from models.custody import CustodyEvent
    from models.decision import Decision, Involvement
    from models.official import Tenure
    from models.user import User

# The foreign-key column of each kind of fact a support may bear on.
SUPPORT_TARGET_COLUMNS = {target: f"{target}_id" for target in SUPPORT_TARGETS}


class Evidence(TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        enum_check("kind", EVIDENCE_KINDS),
        enum_check("classification", CLASSIFICATIONS),
        enum_check("reliability", RELIABILITY_GRADES),
        enum_check("credibility", CREDIBILITY_GRADES),
        CheckConstraint("length(exhibit_no) > 0", name="exhibit_no_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable exhibit number, never reused
    exhibit_no: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = enum_column(EVIDENCE_KINDS)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Who published or produced it, and how it reached us
    source: Mapped[str] = mapped_column(Text, nullable=False)
    provenance: Mapped[str | None] = mapped_column(Text, nullable=True)
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    collected_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    collected_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    collection_method: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # BCP 47
    classification: Mapped[str] = enum_column(CLASSIFICATIONS, default="public")
    # Admiralty scale: reliability of the source (A-F), credibility of the information (1-6)
    reliability: Mapped[str] = enum_column(RELIABILITY_GRADES, default="F")
    credibility: Mapped[str] = enum_column(CREDIBILITY_GRADES, default="6")
    # Who last set the grade (reliability or credibility): the "first analyst" of the four-eyes
    # rule (services/evidence/confirmations.py); none for grades set by the system or before it
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    # A third party that submitted it and controls its sharing (a State, an agency, an NGO), and
    # whether its consent is needed before it is disclosed (services/disclosure/)
    originator: Mapped[str | None] = mapped_column(String(300), nullable=True)
    originator_consent_required: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    files: Mapped[list[EvidenceFile]] = relationship(back_populates="evidence", order_by="EvidenceFile.id")
    supports: Mapped[list[Support]] = relationship(back_populates="evidence", order_by="Support.id")
    custody_events: Mapped[list[CustodyEvent]] = relationship(back_populates="evidence", order_by="CustodyEvent.id")
    graded_by: Mapped[User | None] = relationship(foreign_keys=[graded_by_id])

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"

    def __repr__(self) -> str:
        return f"<Evidence {self.exhibit_no}>"


class ExhibitNumber(Base):
    """The counter exhibit numbers are issued from (services/evidence/numbers.py): one row per
    number issued, whose autoincrementing key does the counting -- a sequence on PostgreSQL
    (concurrent creates never wait for one another nor get the same number), AUTOINCREMENT on
    SQLite (never below a number issued before). One INSERT ... RETURNING on either engine."""

    __tablename__ = "exhibit_number"
    __table_args__ = ({"sqlite_autoincrement": True},)

    number: Mapped[int] = mapped_column(primary_key=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class EvidenceFile(Base):
    """Immutable bytes attached to an exhibit, addressed by their SHA-256.

    The bytes live once in the evidence store under their hash, however many exhibits hold
    them; each row links one exhibit to them. Rows are never updated or deleted (the database
    refuses both). A derivative (translation, transcript, redaction, still) is a new file
    whose ``parent`` is the file it was made from.
    """

    __tablename__ = "evidence_file"
    __table_args__ = (
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint("size >= 0", name="size_not_negative"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("(parent_id IS NULL) = (derivation IS NULL)", name="derivation_iff_parent"),
        enum_check("derivation", DERIVATION_KINDS, nullable=True),
        # The same bytes are attached to an exhibit at most once
        UniqueConstraint("evidence_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)  # lower-case hex
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    media_type: Mapped[str] = mapped_column(String(200), nullable=False)  # sniffed from the bytes
    original_name: Mapped[str | None] = mapped_column(String(500), nullable=True)  # metadata only
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=True)
    # How a derivative was made from its parent: its kind and a free note
    derivation: Mapped[str | None] = enum_column(DERIVATION_KINDS, nullable=True)
    derivation_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    evidence: Mapped[Evidence] = relationship(back_populates="files")
    parent: Mapped[EvidenceFile | None] = relationship(remote_side=[id], back_populates="derivatives")
    derivatives: Mapped[list[EvidenceFile]] = relationship(back_populates="parent", order_by="EvidenceFile.id")
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("evidence", self.evidence_id)


def one_link_per_fact(column: str) -> Index:
    """An exhibit bears on a fact once: it supports it or contradicts it, never both (and never
    twice). A partial unique index per kind of fact, the same on SQLite and PostgreSQL."""
    where = text(f"{column} IS NOT NULL")
    return Index(
        f"uq_support_evidence_{column}", "evidence_id", column, unique=True, sqlite_where=where, postgresql_where=where
    )


class Support(TimestampMixin, VersionedMixin, Base):
    """Evidence bearing on exactly one fact, for it or against it."""

    __tablename__ = "support"
    __table_args__ = (
        CheckConstraint(
            " + ".join(f"(CASE WHEN {col} IS NULL THEN 0 ELSE 1 END)" for col in SUPPORT_TARGET_COLUMNS.values())
            + " = 1",
            name="exactly_one_target",
        ),
        enum_check("stance", STANCES),
        CheckConstraint("(confirmed_by_id IS NULL) = (confirmed_at IS NULL)", name="confirmed_by_iff_at"),
        # A passage (page and quoted text) or a time range, of a file of the exhibit, or neither
        CheckConstraint(
            "(quote_page IS NULL) = (quote_exact IS NULL) AND (time_start IS NULL) = (time_end IS NULL)"
            " AND (quote_page IS NULL OR time_start IS NULL)"
            " AND ((anchor_file_id IS NULL) = (quote_page IS NULL AND time_start IS NULL))",
            name="anchor_is_a_quote_or_a_time_range",
        ),
        CheckConstraint("quote_page IS NULL OR quote_page >= 1", name="quote_page_positive"),
        CheckConstraint("time_start IS NULL OR (time_start >= 0 AND time_end > time_start)", name="time_range_forward"),
        *(one_link_per_fact(column) for column in SUPPORT_TARGET_COLUMNS.values()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=False)
    tenure_id: Mapped[int | None] = mapped_column(ForeignKey("tenure.id"), index=True, nullable=True)
    involvement_id: Mapped[int | None] = mapped_column(ForeignKey("involvement.id"), index=True, nullable=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True, nullable=True)
    act_id: Mapped[int | None] = mapped_column(ForeignKey("aggression_act.id"), index=True, nullable=True)
    # The character, gravity or scale of an act (element E5)
    act_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("act_assessment.id"), index=True, nullable=True)
    stance: Mapped[str] = enum_column(STANCES)
    # Where in the exhibit: page, paragraph, timestamp
    pinpoint: Mapped[str | None] = mapped_column(String(300), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A pinpoint anchored to a file of the exhibit (services/evidence/pinpoints.py): a passage of
    # a page's stored text as a W3C Web Annotation TextQuoteSelector (the exact text, checked to
    # occur on that page, and a little of the text before and after it), or a time range of an
    # audio or video file, in seconds
    anchor_file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=True)
    quote_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quote_exact: Mapped[str | None] = mapped_column(Text, nullable=True)
    quote_prefix: Mapped[str | None] = mapped_column(String(200), nullable=True)
    quote_suffix: Mapped[str | None] = mapped_column(String(200), nullable=True)
    time_start: Mapped[float | None] = mapped_column(Float, nullable=True)
    time_end: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Four eyes on grades (services/evidence/confirmations.py): who made or last changed the link,
    # and the second analyst who confirmed that its exhibit proves the fact (cleared again when
    # the link or the exhibit's grade changes)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    evidence: Mapped[Evidence] = relationship(back_populates="supports")
    tenure: Mapped[Tenure | None] = relationship(back_populates="supports")
    involvement: Mapped[Involvement | None] = relationship(back_populates="supports")
    decision: Mapped[Decision | None] = relationship(back_populates="supports")
    act: Mapped[AggressionAct | None] = relationship(back_populates="supports")
    act_assessment: Mapped[ActAssessment | None] = relationship(back_populates="supports")
    linked_by: Mapped[User | None] = relationship(foreign_keys=[linked_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    anchor_file: Mapped[EvidenceFile | None] = relationship(foreign_keys=[anchor_file_id])

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("evidence", self.evidence_id)

    @property
    def selector(self) -> dict[str, object] | None:
        """The anchor as the API gives it (W3C Web Annotation selector types), or None."""
        if self.anchor_file_id is None:
            return None
        if self.quote_page is not None:
            return {
                "type": "TextQuoteSelector",
                "file_id": self.anchor_file_id,
                "page": self.quote_page,
                "exact": self.quote_exact,
                "prefix": self.quote_prefix,
                "suffix": self.quote_suffix,
            }
        return {
            "type": "FragmentSelector",
            "file_id": self.anchor_file_id,
            "start": self.time_start,
            "end": self.time_end,
        }

    @property
    def target_type(self) -> str:
        for target, column in SUPPORT_TARGET_COLUMNS.items():
            if getattr(self, column) is not None:
                return target
        raise ValueError("support without a target")

    @property
    def target_id(self) -> int:
        return int(getattr(self, SUPPORT_TARGET_COLUMNS[self.target_type]))
