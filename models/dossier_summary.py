"""The stored outcome of each official's dossier assessment, one row per clearance level.

Derived data: services/dossiers/summaries.py writes every row from the facts (through
services/assessment/elements.py), in the same transaction as the change that moved them, so the
dossiers index can sort, filter and page through 100,000 officials with one indexed query
instead of assessing them all on every request. Never edited by hand, never audited.

The assessment depends on what the viewer may see, so there is a row for each of the four
clearances (a viewer cleared to "confidential" reads the rows of that clearance). Nothing
stored depends on today's date: the one part of an assessment that does (the troika notice
for a sitting office-holder) is worked out when a page is shown.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, TextClause, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, DOSSIER_STATUSES

ELEMENT_STATUSES = ("met", "inferred", "partial", "gap")
ELEMENT_COLUMNS = ("e1", "e2", "e3", "e4", "e5", "e6")


class DossierSummary(Base):
    __tablename__ = "dossier_summary"
    __table_args__ = (
        enum_check("clearance", CLASSIFICATIONS),
        enum_check("status", DOSSIER_STATUSES),
        *(enum_check(column, ELEMENT_STATUSES) for column in ELEMENT_COLUMNS),
        CheckConstraint("strength >= 0 AND strength <= 100", name="strength_range"),
        CheckConstraint("gap_count >= 0 AND withheld_count >= 0", name="counts_not_negative"),
        # One index per order the index page offers, each led by the clearance it reads:
        # strongest first (then name, id), by name, by status (then strongest first).
        Index("ix_dossier_summary_by_name", "clearance", "name", "official_id"),
        # Rows left to recompute after a change that reached too many officials at once
        Index("ix_dossier_summary_stale", "stale", "clearance"),
    )

    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), primary_key=True)
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS, primary_key=True)  # the viewer's
    # Copied from the official and the dossier so that each order is one index scan
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    # A copy of the official's, for the State filter (derived like the rest: no foreign key)
    state_id: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = enum_column(DOSSIER_STATUSES)
    strength: Mapped[int] = mapped_column(Integer, nullable=False)  # the assessment's score, 0-100
    e1: Mapped[str] = enum_column(ELEMENT_STATUSES)
    e2: Mapped[str] = enum_column(ELEMENT_STATUSES)
    e3: Mapped[str] = enum_column(ELEMENT_STATUSES)
    e4: Mapped[str] = enum_column(ELEMENT_STATUSES)
    e5: Mapped[str] = enum_column(ELEMENT_STATUSES)
    e6: Mapped[str] = enum_column(ELEMENT_STATUSES)
    review: Mapped[bool] = mapped_column(Boolean, nullable=False)  # contradicting evidence to weigh
    complete: Mapped[bool] = mapped_column(Boolean, nullable=False)  # every element met or inferred
    gap_count: Mapped[int] = mapped_column(Integer, nullable=False)
    withheld_count: Mapped[int] = mapped_column(Integer, nullable=False)  # supports above this clearance
    # True: a change reached this official but was not yet recomputed (see services/dossiers/summaries.py)
    stale: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    def element_status(self, code: str) -> str:
        return str(getattr(self, code.lower()))


# Declared after the class: a descending key needs the column itself
Index(
    "ix_dossier_summary_by_strength",
    DossierSummary.clearance,
    DossierSummary.strength.desc(),
    DossierSummary.name,
    DossierSummary.official_id,
)
Index(
    "ix_dossier_summary_by_status",
    DossierSummary.clearance,
    DossierSummary.status,
    DossierSummary.strength.desc(),
    DossierSummary.name,
    DossierSummary.official_id,
)
# The State filter, in the strongest-first order
Index(
    "ix_dossier_summary_by_state",
    DossierSummary.clearance,
    DossierSummary.state_id,
    DossierSummary.strength.desc(),
    DossierSummary.name,
    DossierSummary.official_id,
)


def element_missing(column: str) -> TextClause:
    """An element neither met nor inferred, written as the literal the partial indexes below
    carry: a database uses a partial index only for a query that states its condition."""
    if column not in ELEMENT_COLUMNS:
        raise ValueError(f"not an element column: {column!r}")
    return text(f"dossier_summary.{column} NOT IN ('met', 'inferred')")


# The missing-element filter, alone and with the State filter: per element, two partial
# indexes over the rows that miss it, in the strongest-first order (a count or a page reads
# only the matching rows)
for _column in ELEMENT_COLUMNS:
    for _suffix, _lead in (("", ()), ("_by_state", (DossierSummary.state_id,))):
        Index(
            f"ix_dossier_summary_missing_{_column}{_suffix}",
            DossierSummary.clearance,
            *_lead,
            DossierSummary.strength.desc(),
            DossierSummary.name,
            DossierSummary.official_id,
            sqlite_where=element_missing(_column),
            postgresql_where=element_missing(_column),
        )
