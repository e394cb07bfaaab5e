"""Who held which post when: the leaders in office on a decision's date, and a post's holders.

Dates are partial (a day, a month or a year), so each is an interval of days. A tenure
*certainly* covers a decision when its latest possible start is on or before the decision's
earliest possible day and its earliest possible end is on or after the decision's latest
possible day; it *possibly* does when the intervals leave room for an overlap. Both loaders
run a fixed number of queries, however many tenures there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager

from models import Decision, Evidence, Institution, Involvement, Official, PartialDate, Position, Support, Tenure
from models.enums import INVOLVEMENT_ROLES

Certainty = Literal["certain", "possible"]


@dataclass(frozen=True)
class Candidate:
    """A leadership tenure that overlaps a decision's date: someone who may have taken part."""

    tenure: Tenure
    certainty: Certainty
    # Roles the official already has in the decision, in the usual order; empty: none recorded
    already_involved: tuple[str, ...]
    # 0: a post in the decision's own institution, 1: in its parent, and so on up
    distance: int

    @property
    def official(self) -> Official:
        return self.tenure.official

    @property
    def position(self) -> Position:
        return self.tenure.position

    @property
    def institution(self) -> Institution:
        return self.tenure.position.institution

    @property
    def is_certain(self) -> bool:
        return self.certainty == "certain"


@dataclass(frozen=True)
class Holder:
    """One tenure of a position, with how much evidence the viewer may see for and against it."""

    tenure: Tenure
    in_office: bool
    supporting: int
    contradicting: int
    withheld: int  # supports resting on evidence above the viewer's clearance

    @property
    def official(self) -> Official:
        return self.tenure.official

    @property
    def start(self) -> PartialDate:
        return self.tenure.start

    @property
    def end(self) -> PartialDate | None:
        return self.tenure.end


# --- institutions -------------------------------------------------------------------------


def institution_chain(session: Session, institution_id: int) -> list[int]:
    """The institution and its ancestors, nearest first, in one query.

    The recursive query uses UNION, which drops rows already produced, so a cycle of
    parents (the forms prevent one, the schema does not) ends the recursion instead of
    looping; the walk below keeps a seen set for the same reason.
    """
    chain = (
        select(Institution.id, Institution.parent_id)
        .where(Institution.id == institution_id)
        .cte("institution_chain", recursive=True)
    )
    parent = aliased(Institution)
    chain = chain.union(select(parent.id, parent.parent_id).join(chain, parent.id == chain.c.parent_id))
    parents: dict[int, int | None] = {row.id: row.parent_id for row in session.execute(select(chain))}
    ordered: list[int] = []
    current: int | None = institution_id
    while current is not None and current in parents and current not in ordered:
        ordered.append(current)
        current = parents[current]
    return ordered


# --- candidates for a decision ------------------------------------------------------------


def certainty(tenure: Tenure, when: PartialDate) -> Certainty | None:
    """How surely the tenure covers the whole of ``when``; None when it certainly does not overlap."""
    start, end = tenure.start, tenure.end
    if when.certainly_before(start) or (end is not None and end.certainly_before(when)):
        return None
    started = start.end <= when.start
    not_ended = end is None or end.start >= when.end
    return "certain" if started and not_ended else "possible"


def candidates_for_decision(session: Session, decision: Decision) -> list[Candidate]:
    """Officials in leadership posts of the decision's institution or its ancestors on its date.

    Those with no involvement recorded in the decision come first, certain before possible,
    nearest institution first; officials already involved follow, flagged with their roles.
    Soft-deleted officials are left out. Three queries, whatever the data.
    """
    chain = institution_chain(session, decision.institution_id)
    distance = {institution_id: rank for rank, institution_id in enumerate(chain)}
    when = decision.when
    tenures = session.scalars(
        select(Tenure)
        .join(Tenure.position)
        .join(Position.institution)
        .join(Tenure.official)
        .where(
            Position.institution_id.in_(chain),
            Position.tier == "leadership",
            Official.deleted_at.is_(None),
            # Coarse bounds in SQL; ``certainty`` decides exactly. A month or year end lies
            # within one calendar year, so its first day is no earlier than 1 January of
            # the year in which it could still overlap the decision.
            Tenure.start_date <= when.end,
            or_(Tenure.end_date.is_(None), Tenure.end_date >= dt.date(when.start.year, 1, 1)),
        )
        .options(
            contains_eager(Tenure.position).contains_eager(Position.institution),
            contains_eager(Tenure.official),
        )
    ).all()
    matched = [(tenure, sure) for tenure in tenures if (sure := certainty(tenure, when)) is not None]
    roles = _roles_in(session, decision)
    candidates = [
        Candidate(tenure, sure, roles.get(tenure.official_id, ()), distance[tenure.position.institution_id])
        for tenure, sure in matched
    ]
    candidates.sort(
        key=lambda c: (
            bool(c.already_involved),
            not c.is_certain,
            c.distance,
            c.official.name,
            c.tenure.start_date,
            c.tenure.id,
        )
    )
    return candidates


def _roles_in(session: Session, decision: Decision) -> dict[int, tuple[str, ...]]:
    """Each official's roles in the decision, in the order the roles are listed everywhere."""
    roles: defaultdict[int, list[str]] = defaultdict(list)
    for official_id, role in session.execute(
        select(Involvement.official_id, Involvement.role).where(Involvement.decision_id == decision.id)
    ):
        roles[official_id].append(role)
    return {official_id: tuple(sorted(found, key=INVOLVEMENT_ROLES.index)) for official_id, found in roles.items()}


# --- holders of a position ----------------------------------------------------------------


def holders_of_position(
    session: Session, position: Position, *, visible: tuple[str, ...], today: dt.date | None = None
) -> list[Holder]:
    """The position's tenures, oldest first, with evidence counts; two queries.

    Tenures of soft-deleted officials are left out, as the officials are everywhere else.
    Only live evidence counts; evidence above the viewer's clearance is counted as withheld.
    """
    today = today or dt.date.today()
    tenures = session.scalars(
        select(Tenure)
        .join(Tenure.official)
        .where(Tenure.position_id == position.id, Official.deleted_at.is_(None))
        .options(contains_eager(Tenure.official))
        .order_by(Tenure.start_date, Tenure.id)
    ).all()
    counts = _support_counts(session, position, visible)
    return [
        Holder(
            tenure,
            in_office=tenure.is_current(today),
            supporting=counts.get((tenure.id, "supports"), 0),
            contradicting=counts.get((tenure.id, "contradicts"), 0),
            withheld=counts.get((tenure.id, "withheld"), 0),
        )
        for tenure in tenures
    ]


def _support_counts(session: Session, position: Position, visible: tuple[str, ...]) -> dict[tuple[int, str], int]:
    """(tenure id, stance or "withheld") -> number of supports, for every tenure of the position."""
    rows = session.execute(
        select(Support.tenure_id, Support.stance, Evidence.classification, func.count())
        .join(Support.evidence)
        .join(Tenure, Support.tenure_id == Tenure.id)
        .where(Tenure.position_id == position.id, Evidence.deleted_at.is_(None))
        .group_by(Support.tenure_id, Support.stance, Evidence.classification)
    )
    counts: defaultdict[tuple[int, str], int] = defaultdict(int)
    for tenure_id, stance, classification, number in rows:
        counts[(tenure_id, stance if classification in visible else "withheld")] += number
    return dict(counts)
