"""Disclosure to the defence and other parties (issue 23): who receives material, the batches
sent to them, and each file of an exhibit proposed, approved, disclosed or withheld in a batch.

The workflow (services/disclosure/) moves a batch from preparation to approval -- by a
prosecutor who did not prepare it -- to disclosure; the constraints below hold what the
database can check on one row: approval by somebody else than the preparer, times and people
present exactly in the states that have them, a reason for every withheld item, and the
originator's consent on every disclosed item that needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column
from models.enums import (
    BATCH_STATUSES,
    DISCLOSURE_CATEGORIES,
    ITEM_STATUSES,
    RECIPIENT_KINDS,
    WITHHOLDING_REASONS,
)

if TYPE_CHECKING:
    from models.evidence import Evidence, EvidenceFile
    from models.official import Official
    from models.user import User

# The officials a defence team defends (services/dossiers: their dossiers list what it received)
recipient_official = Table(
    "disclosure_recipient_official",
    Base.metadata,
    Column("recipient_id", ForeignKey("disclosure_recipient.id"), primary_key=True),
    Column("official_id", ForeignKey("official.id"), primary_key=True, index=True),
)


class DisclosureRecipient(TimestampMixin, VersionedMixin, Base):
    """A defence team (of one or more officials), victims' counsel or another authority."""

    __tablename__ = "disclosure_recipient"
    __table_args__ = (
        enum_check("kind", RECIPIENT_KINDS),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = enum_column(RECIPIENT_KINDS)
    name: Mapped[str] = mapped_column(String(300), unique=True, nullable=False)
    # How to reach them, counsel's names, the order appointing them
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    officials: Mapped[list[Official]] = relationship(secondary=recipient_official, order_by="Official.name")
    batches: Mapped[list[DisclosureBatch]] = relationship(back_populates="recipient", order_by="DisclosureBatch.id")


class DisclosureBatch(TimestampMixin, VersionedMixin, Base):
    """Material sent to one recipient on one date, answering one rule or order."""

    __tablename__ = "disclosure_batch"
    __table_args__ = (
        enum_check("status", BATCH_STATUSES),
        CheckConstraint("length(basis) > 0", name="basis_not_empty"),
        # Four eyes: whoever prepared a batch never approves it
        CheckConstraint("approved_by_id IS NULL OR approved_by_id <> prepared_by_id", name="approver_not_preparer"),
        CheckConstraint("(approved_by_id IS NULL) = (approved_at IS NULL)", name="approved_by_iff_at"),
        CheckConstraint("(status = 'draft') = (approved_at IS NULL)", name="approved_unless_draft"),
        CheckConstraint("(disclosed_by_id IS NULL) = (disclosed_at IS NULL)", name="disclosed_by_iff_at"),
        CheckConstraint("(status = 'disclosed') = (disclosed_at IS NOT NULL)", name="disclosed_iff_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("disclosure_recipient.id"), index=True, nullable=False)
    # The date the batch is (to be) served on the recipient
    batch_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The rule or order it answers ("Rule 77", "Order ICC-01/22-15 of 3 March 2026")
    basis: Mapped[str] = mapped_column(String(500), nullable=False)
    status: Mapped[str] = enum_column(BATCH_STATUSES, default="draft")
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    prepared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    disclosed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    disclosed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    recipient: Mapped[DisclosureRecipient] = relationship(back_populates="batches")
    items: Mapped[list[DisclosureItem]] = relationship(back_populates="batch", order_by="DisclosureItem.id")
    prepared_by: Mapped[User] = relationship(foreign_keys=[prepared_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    disclosed_by: Mapped[User | None] = relationship(foreign_keys=[disclosed_by_id])


class DisclosureItem(TimestampMixin, VersionedMixin, Base):
    """One file of an exhibit -- the original or a derivative (a redaction, a translation) --
    in a batch, with what it is disclosed as and where it stands."""

    __tablename__ = "disclosure_item"
    __table_args__ = (
        enum_check("category", DISCLOSURE_CATEGORIES),
        enum_check("status", ITEM_STATUSES),
        enum_check("withholding_reason", WITHHOLDING_REASONS, nullable=True),
        # A file is in a batch once
        UniqueConstraint("batch_id", "evidence_file_id"),
        # Withheld, and only withheld, with a reason from Rule 81
        CheckConstraint("(status = 'withheld') = (withholding_reason IS NOT NULL)", name="reason_iff_withheld"),
        # The originator's consent is recorded whole (who, when, reference) or not at all ...
        CheckConstraint(
            "(consent_by IS NULL) = (consent_on IS NULL) AND (consent_by IS NULL) = (consent_reference IS NULL) "
            "AND (consent_by IS NULL) = (consent_recorded_by_id IS NULL)",
            name="consent_whole",
        ),
        # ... and an item that needs it is never disclosed without it
        CheckConstraint(
            "status <> 'disclosed' OR NOT consent_required OR consent_by IS NOT NULL",
            name="consent_before_disclosure",
        ),
        CheckConstraint(
            "(ern_first IS NULL) = (ern_last IS NULL) AND (ern_first IS NULL) = (stamped_file_id IS NULL)",
            name="ern_range_whole",
        ),
        CheckConstraint("ern_first IS NULL OR (ern_first > 0 AND ern_last >= ern_first)", name="ern_range_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("disclosure_batch.id"), index=True, nullable=False)
    # The exhibit (for clearance: an item is seen by those cleared for its exhibit) and its file
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=False)
    evidence_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=False)
    category: Mapped[str] = enum_column(DISCLOSURE_CATEGORIES)
    status: Mapped[str] = enum_column(ITEM_STATUSES, default="proposed")
    # Conditions and restrictions on the recipient's use of it (free text)
    conditions: Mapped[str | None] = mapped_column(Text, nullable=True)
    withholding_reason: Mapped[str | None] = enum_column(WITHHOLDING_REASONS, nullable=True)
    withholding_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Whether the exhibit's originator controls its sharing: copied from the exhibit when the
    # item is added and again when the batch is disclosed (services/disclosure/batches.py)
    consent_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    # The originator's consent: who gave it, on what date, under what reference, recorded by whom
    consent_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    consent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    consent_reference: Mapped[str | None] = mapped_column(String(300), nullable=True)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    # The disclosed copy of a PDF, with an evidence registration number on every page
    # (services/disclosure/stamping.py): the range of numbers its pages carry, never reused
    ern_first: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    ern_last: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stamped_file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=True)

    batch: Mapped[DisclosureBatch] = relationship(back_populates="items")
    evidence: Mapped[Evidence] = relationship()
    evidence_file: Mapped[EvidenceFile] = relationship(foreign_keys=[evidence_file_id])
    stamped_file: Mapped[EvidenceFile | None] = relationship(foreign_keys=[stamped_file_id])
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    consent_recorded_by: Mapped[User | None] = relationship(foreign_keys=[consent_recorded_by_id])

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("disclosure_batch", self.batch_id)


class ErnCounter(Base):
    """The last evidence registration number issued (one row): a stamp takes its pages' numbers
    by raising it in the same UPDATE that reads it, which makes concurrent stamps take turns, so
    no two copies carry the same number (a disclosure that rolls back gives its numbers back with
    the copies it had stamped, which are discarded)."""

    __tablename__ = "ern_counter"
    __table_args__ = (
        CheckConstraint("id = 1", name="one_row"),
        CheckConstraint("last_number >= 0", name="last_number_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
