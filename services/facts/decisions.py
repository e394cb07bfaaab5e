"""Decisions and involvements: the queries behind their pages and the rules for saving them.

Every page loads in a fixed number of queries whatever the data; duplicates are found
here, before anything is flushed, so the views can name the existing record.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models import AggressionAct, Decision, Institution, Involvement, Official, PartialDate, Support
from models.base import utcnow
from models.enums import INVOLVEMENT_ROLES
from services.common import records
from services.facts.officials import Exhibits, sort_supports


@dataclass
class InvolvementLine:
    involvement: Involvement
    exhibits: Exhibits


@dataclass
class DecisionPage:
    decision: Decision
    exhibits: Exhibits  # on the decision itself
    involvements: list[InvolvementLine]
    acts: list[AggressionAct]

    @property
    def withheld(self) -> int:
        return self.exhibits.withheld + sum(line.exhibits.withheld for line in self.involvements)


def decision_page(decision_id: int, *, visible: tuple[str, ...]) -> DecisionPage | None:
    """Everything the decision's page shows, or None when there is no such (live) decision.

    Involvements of soft-deleted officials are left out, as the officials themselves are.
    """
    with_evidence = joinedload(Support.evidence)
    decision = db.session.scalars(
        select(Decision)
        .where(Decision.id == decision_id, Decision.deleted_at.is_(None))
        .options(
            joinedload(Decision.institution).joinedload(Institution.state),
            selectinload(Decision.acts),
            selectinload(Decision.supports).options(with_evidence),
            selectinload(Decision.involvements).joinedload(Involvement.official),
            selectinload(Decision.involvements).selectinload(Involvement.supports).options(with_evidence),
        )
    ).first()
    if decision is None:
        return None
    lines = [
        InvolvementLine(i, sort_supports(i.supports, visible))
        for i in decision.involvements
        if i.official.deleted_at is None
    ]
    lines.sort(key=lambda line: (line.involvement.official.name, INVOLVEMENT_ROLES.index(line.involvement.role)))
    return DecisionPage(decision, sort_supports(decision.supports, visible), lines, list(decision.acts))


# --- decisions ----------------------------------------------------------------------------


@dataclass
class DecisionInput:
    """What a form says a decision should be, already validated field by field."""

    title: str
    kind: str
    when: PartialDate
    institution_id: int
    instrument: str | None
    summary: str | None
    stage: str | None
    act_ids: list[int]


def duplicate_decision(data: DecisionInput, decision: Decision | None) -> Decision | None:
    """A live decision with the same title, institution and date, other than ``decision``."""
    query = select(Decision).where(
        func.lower(Decision.title) == data.title.lower(),
        Decision.institution_id == data.institution_id,
        Decision.date == data.when.value,
        Decision.deleted_at.is_(None),
    )
    if decision is not None and decision.id is not None:
        query = query.where(Decision.id != decision.id)
    return db.session.scalars(query.order_by(Decision.id)).first()


def apply_decision(decision: Decision, data: DecisionInput) -> None:
    """Write ``data`` onto ``decision``, its links to acts included, without flushing."""
    acts = list(db.session.scalars(select(AggressionAct).where(AggressionAct.id.in_(data.act_ids))))
    with db.session.no_autoflush:
        decision.title = data.title
        decision.kind = data.kind
        decision.when = data.when
        decision.institution_id = data.institution_id
        decision.instrument = data.instrument
        decision.summary = data.summary
        decision.stage = data.stage
        decision.acts = acts
        # The links to acts live in another table: touching the row makes every save bump
        # (and check) the version, so a concurrent change to them is refused too.
        decision.updated_at = utcnow()


# --- involvements -------------------------------------------------------------------------


def duplicate_involvement(
    official_id: int, decision_id: int, role: str, involvement: Involvement | None = None
) -> Involvement | None:
    """The involvement already giving this official this role in this decision, if any."""
    query = select(Involvement).where(
        Involvement.official_id == official_id,
        Involvement.decision_id == decision_id,
        Involvement.role == role,
    )
    if involvement is not None and involvement.id is not None:
        query = query.where(Involvement.id != involvement.id)
    return db.session.scalars(query.options(joinedload(Involvement.official))).first()


class InvolvementTaken(Exception):
    """The database refused the involvement: the official got that role meanwhile."""


def save_involvement(involvement: Involvement) -> None:
    """Flush a new or changed involvement inside a savepoint.

    The duplicate check runs before, but a concurrent request may save the same role in
    between; the unique constraint then refuses it and only the savepoint is undone.
    Raises InvolvementTaken for that, EditConflict for a concurrent edit.
    """
    try:
        with db.session.begin_nested():
            db.session.add(involvement)
            records.flush_or_conflict(db.session())
    except IntegrityError as exc:
        raise InvolvementTaken() from exc


def has_supports(involvement: Involvement) -> bool:
    """Whether any evidence is linked to the involvement, whoever may see it, deleted or not."""
    count = db.session.scalar(select(func.count()).select_from(Support).where(Support.involvement_id == involvement.id))
    return bool(count)


def live_officials() -> list[Official]:
    return list(db.session.scalars(select(Official).where(Official.deleted_at.is_(None)).order_by(Official.name)))
