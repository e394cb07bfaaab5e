"""Acts of aggression under UNGA Res. 3314 (1974), Art. 3 (a)-(g)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, VersionedMixin, enum_check, enum_column
from models.enums import ACT_CATEGORIES, CLASSIFICATIONS, MANIFEST_ASPECTS, STANCES
from models.partial_date import PeriodMixin, period_checks

if TYPE_CHECKING:
    from models.decision import Decision
    from models.evidence import Support
    from models.state import State

# The State(s) responsible for an act.
act_state = Table(
    "act_state",
    Base.metadata,
    Column("act_id", ForeignKey("aggression_act.id"), primary_key=True, index=True),
    Column("state_id", ForeignKey("state.id"), primary_key=True, index=True),
)


class ActCategory(Base):
    """One Art. 3 letter an act falls under; an act may fall under several."""

    __tablename__ = "act_category"
    __table_args__ = (enum_check("category", ACT_CATEGORIES),)

    act_id: Mapped[int] = mapped_column(ForeignKey("aggression_act.id"), primary_key=True, index=True)
    category: Mapped[str] = mapped_column(String(1), primary_key=True)

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("aggression_act", self.act_id)


class AggressionAct(PeriodMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "aggression_act"
    __table_args__ = (*period_checks(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)

    category_rows: Mapped[list[ActCategory]] = relationship(order_by=ActCategory.category, cascade="all, delete-orphan")
    states: Mapped[list[State]] = relationship(secondary=act_state, order_by="State.code")
    decisions: Mapped[list[Decision]] = relationship(secondary="decision_act", back_populates="acts")
    supports: Mapped[list[Support]] = relationship(back_populates="act")
    assessments: Mapped[list[ActAssessment]] = relationship(
        back_populates="act", order_by="ActAssessment.aspect", cascade="all, delete-orphan"
    )

    def assessment(self, aspect: str) -> ActAssessment | None:
        return next((a for a in self.assessments if a.aspect == aspect), None)

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]

    @categories.setter
    def categories(self, letters: list[str]) -> None:
        wanted = sorted(set(letters))
        kept = [row for row in self.category_rows if row.category in wanted]
        have = {row.category for row in kept}
        self.category_rows = kept + [ActCategory(category=c) for c in wanted if c not in have]

    def __repr__(self) -> str:
        return f"<AggressionAct {self.title!r}>"


class ActAssessment(TimestampMixin, VersionedMixin, Base):
    """One of the three things that make an act a manifest violation of the Charter (Art. 8 bis,
    element E5) -- its character, its gravity or its scale -- as the case assesses it, with
    evidence of its own (supports bear on it like on any fact). One per act and aspect."""

    __tablename__ = "act_assessment"
    __table_args__ = (
        UniqueConstraint("act_id", "aspect"),
        enum_check("aspect", MANIFEST_ASPECTS),
        CheckConstraint("length(finding) > 0", name="finding_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("aggression_act.id"), index=True, nullable=False)
    aspect: Mapped[str] = enum_column(MANIFEST_ASPECTS)
    # What the case says of the act on this aspect (e.g. gravity: "missile strikes on cities ...")
    finding: Mapped[str] = mapped_column(Text, nullable=False)

    # active_history: a move to another act knows the act it leaves, even when not loaded yet
    # (services/dossiers/summaries.py recomputes the officials of both)
    act: Mapped[AggressionAct] = relationship(back_populates="assessments", active_history=True)
    supports: Mapped[list[Support]] = relationship(back_populates="act_assessment")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("aggression_act", self.act_id)

    def __repr__(self) -> str:
        return f"<ActAssessment act={self.act_id} {self.aspect}>"


class ActEvidenceDigest(Base):
    """How many live exhibits bear on an act, by stance and classification, and the strongest
    few of them: derived from the supports, kept in step by services/facts/act_evidence.py.

    An act of aggression is shared by every official whose decisions contributed to it and
    can carry hundreds of thousands of exhibits; a dossier reads these few rows per act
    instead of every support (E3 and E5 need only to know that evidence exists, the matrix
    shows the strongest, and the withheld count needs the totals)."""

    __tablename__ = "act_evidence_digest"
    __table_args__ = (enum_check("stance", STANCES), enum_check("classification", CLASSIFICATIONS))

    act_id: Mapped[int] = mapped_column(ForeignKey("aggression_act.id"), primary_key=True, index=True)
    stance: Mapped[str] = enum_column(STANCES, primary_key=True)
    classification: Mapped[str] = enum_column(CLASSIFICATIONS, primary_key=True)
    support_count: Mapped[int] = mapped_column(Integer, nullable=False)
    # ids of the strongest supports (primary sources first, then best reliability, then credibility,
    # then oldest), space-separated
    sample: Mapped[str] = mapped_column(Text, nullable=False, default="")
