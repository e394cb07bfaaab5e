"""Political, diplomatic and military decisions, and officials' roles in them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, SoftDeleteMixin, TimestampMixin, VersionedMixin, enum_check, enum_column
from models.enums import CONDUCT_STAGES, DECISION_KINDS, INVOLVEMENT_ROLES, INVOLVEMENT_STATUSES
from models.partial_date import PRECISIONS, PartialDate, partial_date_checks

if TYPE_CHECKING:
    from models.act import AggressionAct
    from models.evidence import Support
    from models.institution import Institution
    from models.official import Official

# The aggression act(s) a decision contributed to.
decision_act = Table(
    "decision_act",
    Base.metadata,
    Column("decision_id", ForeignKey("decision.id"), primary_key=True, index=True),
    Column("act_id", ForeignKey("aggression_act.id"), primary_key=True, index=True),
)


class Decision(TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    __tablename__ = "decision"
    __table_args__ = (
        enum_check("kind", DECISION_KINDS),
        enum_check("stage", CONDUCT_STAGES, nullable=True),
        *partial_date_checks("date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = enum_column(DECISION_KINDS)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    date_precision: Mapped[str] = enum_column(PRECISIONS)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True, nullable=False)
    # Decree, resolution, treaty or order, with its number where it has one
    instrument: Mapped[str | None] = mapped_column(String(300), nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The conduct the decision represents under Art. 8 bis: planning ... execution
    stage: Mapped[str | None] = enum_column(CONDUCT_STAGES, nullable=True)

    institution: Mapped[Institution] = relationship()
    acts: Mapped[list[AggressionAct]] = relationship(
        secondary=decision_act, back_populates="decisions", order_by="AggressionAct.start_date"
    )
    involvements: Mapped[list[Involvement]] = relationship(back_populates="decision")
    supports: Mapped[list[Support]] = relationship(back_populates="decision")

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.date_precision)  # type: ignore[arg-type]

    @when.setter
    def when(self, value: PartialDate) -> None:
        self.date, self.date_precision = value.value, value.precision

    def __repr__(self) -> str:
        return f"<Decision {self.title!r} {self.when}>"


class Involvement(TimestampMixin, VersionedMixin, Base):
    """One role an official played in one decision; several roles make several rows."""

    __tablename__ = "involvement"
    __table_args__ = (
        UniqueConstraint("official_id", "decision_id", "role"),
        enum_check("role", INVOLVEMENT_ROLES),
        enum_check("status", INVOLVEMENT_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True, nullable=False)
    role: Mapped[str] = enum_column(INVOLVEMENT_ROLES)
    # How far the link is established: alleged until corroborated; disputed when contradicted
    status: Mapped[str] = enum_column(INVOLVEMENT_STATUSES, default="alleged")
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    official: Mapped[Official] = relationship(back_populates="involvements")
    decision: Mapped[Decision] = relationship(back_populates="involvements")
    supports: Mapped[list[Support]] = relationship(back_populates="involvement")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("official", self.official_id)

    def __repr__(self) -> str:
        return f"<Involvement official={self.official_id} decision={self.decision_id} {self.role}>"
