"""Queries behind the officials pages: a fixed number of queries per page, whatever the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models import Decision, Involvement, Official, Position, Support, Tenure
from models.enums import POSITION_TIERS


@dataclass
class OfficialRow:
    official: Official
    current: Tenure | None


@dataclass
class Listing:
    rows: list[OfficialRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def main_tenure(tenures: Iterable[Tenure], today: dt.date) -> Tenure | None:
    """The current tenure of the highest tier, the most recent first on ties."""
    current = [t for t in tenures if t.is_current(today)]
    if not current:
        return None
    return min(current, key=lambda t: (POSITION_TIERS.index(t.position.tier), -t.start_date.toordinal()))


def list_officials(*, page: int, per_page: int, today: dt.date) -> Listing:
    live = Official.deleted_at.is_(None)
    total = db.session.scalar(select(func.count()).select_from(Official).where(live)) or 0
    officials = db.session.scalars(
        select(Official)
        .where(live)
        .options(
            joinedload(Official.state),
            selectinload(Official.tenures).joinedload(Tenure.position).joinedload(Position.institution),
        )
        .order_by(Official.name, Official.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    rows = [OfficialRow(o, main_tenure(o.tenures, today)) for o in officials]
    return Listing(rows=rows, page=page, per_page=per_page, total=total)


@dataclass
class Exhibits:
    """The evidence a viewer may see on one fact, split by stance, and how much is withheld."""

    supporting: list[Support] = field(default_factory=list)
    contradicting: list[Support] = field(default_factory=list)
    withheld: int = 0


def sort_supports(supports: Sequence[Support], visible: tuple[str, ...]) -> Exhibits:
    exhibits = Exhibits()
    for support in supports:
        evidence = support.evidence
        if evidence.deleted_at is not None:
            continue
        if evidence.classification not in visible:
            exhibits.withheld += 1
        elif support.stance == "contradicts":
            exhibits.contradicting.append(support)
        else:
            exhibits.supporting.append(support)
    return exhibits


@dataclass
class InvolvementLine:
    involvement: Involvement
    decision: Decision
    on_involvement: Exhibits
    on_decision: Exhibits


@dataclass
class OfficialPage:
    official: Official
    current: Tenure | None
    tenures: list[tuple[Tenure, Exhibits]]
    involvements: list[InvolvementLine]

    @property
    def withheld(self) -> int:
        return sum(e.withheld for _, e in self.tenures) + sum(
            line.on_involvement.withheld + line.on_decision.withheld for line in self.involvements
        )


def official_page(official_id: int, *, visible: tuple[str, ...], today: dt.date) -> OfficialPage | None:
    """Everything the official's page shows, or None when there is no such (live) official."""
    with_evidence = joinedload(Support.evidence)
    official = db.session.scalars(
        select(Official)
        .where(Official.id == official_id, Official.deleted_at.is_(None))
        .options(
            joinedload(Official.state),
            selectinload(Official.names),
            selectinload(Official.identifiers),
            selectinload(Official.tenures).joinedload(Tenure.position).joinedload(Position.institution),
            selectinload(Official.tenures).selectinload(Tenure.supports).options(with_evidence),
            selectinload(Official.involvements).joinedload(Involvement.decision).joinedload(Decision.institution),
            selectinload(Official.involvements).selectinload(Involvement.supports).options(with_evidence),
            selectinload(Official.involvements)
            .joinedload(Involvement.decision)
            .selectinload(Decision.supports)
            .options(with_evidence),
        )
    ).first()
    if official is None:
        return None
    tenures = [(t, sort_supports(t.supports, visible)) for t in official.tenures]
    lines = [
        InvolvementLine(i, i.decision, sort_supports(i.supports, visible), sort_supports(i.decision.supports, visible))
        for i in official.involvements
        if i.decision.deleted_at is None
    ]
    lines.sort(key=lambda line: (line.decision.date, line.decision.id, line.involvement.role))
    return OfficialPage(official, main_tenure(official.tenures, today), tenures, lines)
