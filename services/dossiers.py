"""Candidate-defendant dossiers as pages: one official's dossier, and the index of all.

Everything a dossier shows is assembled here in a fixed number of queries, whatever the
number of involvements and exhibits: the official's page data (services/officials.py), the
facts and their assessment (services/dossier_facts.py, services/assessment.py), the acts of
each decision, the officials involved in the same decisions, and the case record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import AggressionAct, Decision, Dossier, Involvement, Official, Position, State, Tenure, decision_act
from services.assessment import assess_dossier
from services.assessment_basis import tenure_label
from services.assessment_types import Assessment, DossierFacts, ExhibitRef, FactsExhibit
from services.dossier_facts import load_facts, load_many_facts
from services.dossier_graphics import (
    Network,
    Peer,
    Timeline,
    TimelineBar,
    TimelineMark,
    draw_network,
    draw_timeline,
)
from services.dossier_workflow import INITIAL_STATUS

ELEMENT_CODES = ("E1", "E2", "E3", "E4", "E5", "E6")
INVOLVEMENTS_PER_PAGE = 100
# Exhibits listed per element in the matrix (strongest first); the rest are counted
EXHIBITS_PER_ELEMENT = 12
DONE = ("met", "inferred")

Link = Callable[[str, int], str]  # ("official" | "decision", id) -> URL


@dataclass(frozen=True)
class Exculpatory:
    """A contradicting exhibit and the fact it contradicts."""

    exhibit: ExhibitRef
    fact: str


@dataclass(frozen=True)
class SupportView:
    """One visible exhibit on one fact, shaped as the exhibits macro reads a Support."""

    stance: str
    pinpoint: str | None
    evidence: FactsExhibit


@dataclass
class FactExhibits:
    supporting: list[SupportView] = field(default_factory=list)
    contradicting: list[SupportView] = field(default_factory=list)
    withheld: int = 0


@dataclass(frozen=True)
class InvolvementLine:
    involvement: Involvement
    decision: Decision
    on_involvement: FactExhibits
    on_decision: FactExhibits


@dataclass
class PageOfLines:
    lines: list[InvolvementLine]
    page: int
    pages: int
    total: int


@dataclass
class DossierPage:
    official: Official
    tenures: list[tuple[Tenure, FactExhibits]]
    involvements: PageOfLines
    facts: DossierFacts
    assessment: Assessment
    dossier: Dossier | None
    acts: dict[int, list[AggressionAct]]  # decision id -> acts it contributed to
    exculpatory: list[Exculpatory]
    timeline: Timeline
    network: Network

    @property
    def status(self) -> str:
        return self.dossier.status if self.dossier else INITIAL_STATUS


def exhibits_by_target(facts: DossierFacts, visible: tuple[str, ...]) -> dict[tuple[str, int], FactExhibits]:
    """The evidence on each fact, split by stance, strongest grade first; hidden items counted."""
    grouped: dict[tuple[str, int], FactExhibits] = {}
    for support in sorted(facts.supports, key=lambda s: (s.exhibit.grade, s.exhibit.exhibit_no, s.id)):
        entry = grouped.setdefault(support.target, FactExhibits())
        if support.exhibit.classification not in visible:
            entry.withheld += 1
        elif support.stance == "contradicts":
            entry.contradicting.append(SupportView(support.stance, support.pinpoint, support.exhibit))
        else:
            entry.supporting.append(SupportView(support.stance, support.pinpoint, support.exhibit))
    return grouped


def co_involved(session: Session, official_id: int) -> list[tuple[int, str, int]]:
    """Other (live) officials involved in the same (live) decisions: (id, name, decisions shared)."""
    mine = select(Involvement.decision_id).where(Involvement.official_id == official_id)
    shared = func.count(func.distinct(Involvement.decision_id))
    rows = session.execute(
        select(Official.id, Official.name, shared)
        .join(Involvement, Involvement.official_id == Official.id)
        .join(Decision, Decision.id == Involvement.decision_id)
        .where(
            Involvement.decision_id.in_(mine),
            Official.id != official_id,
            Official.deleted_at.is_(None),
            Decision.deleted_at.is_(None),
        )
        .group_by(Official.id, Official.name)
        .order_by(shared.desc(), Official.name)
    )
    return [(row[0], row[1], int(row[2])) for row in rows]


def fact_labels(facts: DossierFacts) -> dict[tuple[str, int], str]:
    labels: dict[tuple[str, int], str] = {("tenure", t.id): tenure_label(t) for t in facts.tenures}
    for involvement in facts.involvements:
        decision = involvement.decision
        labels[("involvement", involvement.id)] = f"{involvement.role}: {decision.title} ({decision.when})"
        labels[("decision", decision.id)] = f"{decision.title} ({decision.when})"
        for act in decision.acts:
            labels[("act", act.id)] = act.title
    return labels


def exculpatory_items(facts: DossierFacts, visible: tuple[str, ...]) -> list[Exculpatory]:
    """Every contradicting exhibit the viewer may see on any of the official's facts."""
    labels = fact_labels(facts)
    items = [
        Exculpatory(
            ExhibitRef(
                support_id=s.id,
                exhibit_id=s.exhibit.id,
                exhibit_no=s.exhibit.exhibit_no,
                title=s.exhibit.title,
                grade=s.exhibit.grade,
                stance=s.stance,
                target=s.target,
                pinpoint=s.pinpoint,
            ),
            labels.get(s.target, f"{s.target[0]} #{s.target[1]}"),
        )
        for s in facts.supports
        if s.stance == "contradicts" and s.exhibit.classification in visible
    ]
    return sorted(items, key=lambda item: (item.exhibit.exhibit_no, item.exhibit.support_id))


def _official(session: Session, official_id: int) -> Official | None:
    return session.scalars(
        select(Official)
        .where(Official.id == official_id, Official.deleted_at.is_(None))
        .options(
            joinedload(Official.state),
            selectinload(Official.names),
            selectinload(Official.identifiers),
            selectinload(Official.tenures).joinedload(Tenure.position).joinedload(Position.institution),
        )
    ).first()


def _involvements(session: Session, official_id: int) -> list[Involvement]:
    """The official's involvements in live decisions, in date order, in one query (joined
    eager loading: no batching, whatever their number)."""
    return list(
        session.scalars(
            select(Involvement)
            .join(Decision, Decision.id == Involvement.decision_id)
            .where(Involvement.official_id == official_id, Decision.deleted_at.is_(None))
            .options(joinedload(Involvement.decision).joinedload(Decision.institution))
            .order_by(Decision.date, Decision.id, Involvement.role)
        )
    )


def _acts_of(session: Session, official_id: int) -> dict[int, list[AggressionAct]]:
    """The acts each of the official's decisions contributed to, in one query."""
    rows = session.execute(
        select(decision_act.c.decision_id, AggressionAct)
        .join(AggressionAct, AggressionAct.id == decision_act.c.act_id)
        .join(Involvement, Involvement.decision_id == decision_act.c.decision_id)
        .where(Involvement.official_id == official_id)
        .order_by(AggressionAct.start_date, AggressionAct.title)
    )
    acts: dict[int, list[AggressionAct]] = {}
    for decision_id, act in rows:
        if act not in acts.setdefault(decision_id, []):
            acts[decision_id].append(act)
    return acts


def dossier_page(
    session: Session,
    official_id: int,
    *,
    visible: tuple[str, ...],
    scope_start: dt.date,
    today: dt.date,
    link: Link,
    page: int = 1,
    per_page: int = INVOLVEMENTS_PER_PAGE,
) -> DossierPage | None:
    """The whole dossier of a live official, or None; in a fixed number of queries whatever
    the number of involvements and exhibits. Involvements are shown ``per_page`` at a time."""
    official = _official(session, official_id)
    facts = load_facts(session, official_id)
    if official is None or facts is None:
        return None
    assessment = assess_dossier(facts, visible=visible, scope_start=scope_start, today=today)
    on = exhibits_by_target(facts, visible)
    involvements = _involvements(session, official_id)
    pages = max(1, -(-len(involvements) // per_page))
    shown = involvements[(min(page, pages) - 1) * per_page : min(page, pages) * per_page]
    lines = [
        InvolvementLine(
            i,
            i.decision,
            on.get(("involvement", i.id), FactExhibits()),
            on.get(("decision", i.decision_id), FactExhibits()),
        )
        for i in shown
    ]
    decisions = {i.decision.id: i.decision for i in involvements}
    dossier = session.scalars(
        select(Dossier)
        .where(Dossier.official_id == official_id)
        .options(joinedload(Dossier.lead_prosecutor), selectinload(Dossier.status_changes))
    ).first()
    tenures = sorted(official.tenures, key=lambda t: (t.start, t.id))
    bars = [TimelineBar(t.position.full_title, t.position.tier, t.start, t.end) for t in tenures]
    marks = [TimelineMark(d.title, d.when, link("decision", d.id)) for d in decisions.values()]
    peers = [Peer(pid, name, shared, link("official", pid)) for pid, name, shared in co_involved(session, official_id)]
    return DossierPage(
        official=official,
        tenures=[(t, on.get(("tenure", t.id), FactExhibits())) for t in reversed(tenures)],
        involvements=PageOfLines(lines, min(page, pages), pages, len(involvements)),
        facts=facts,
        assessment=assessment,
        dossier=dossier,
        acts=_acts_of(session, official_id),
        exculpatory=exculpatory_items(facts, visible),
        timeline=draw_timeline(bars, marks, scope_start=scope_start, today=today),
        network=draw_network(peers),
    )


# --- the index -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRow:
    official: Official
    status: str
    assessment: Assessment

    @property
    def strength(self) -> int:
        return self.assessment.score

    def element_status(self, code: str) -> str:
        return self.assessment.element(code).status


@dataclass(frozen=True)
class IndexFilters:
    state: str | None = None  # state code
    institution_id: int | None = None  # held a position in it
    status: str | None = None
    missing: str | None = None  # an element code not met (nor inferred)


def _index_query(filters: IndexFilters) -> Select[tuple[Official, str]]:
    """Officials with their dossier's status (None without a dossier: the outer join)."""
    query = (
        select(Official, Dossier.status)
        .join(State, Official.state_id == State.id)
        .outerjoin(Dossier, Dossier.official_id == Official.id)
        .where(Official.deleted_at.is_(None))
        .options(joinedload(Official.state))
    )
    if filters.state:
        query = query.where(State.code == filters.state.upper())
    if filters.institution_id is not None:
        held = exists().where(
            Tenure.official_id == Official.id,
            Tenure.position_id == Position.id,
            Position.institution_id == filters.institution_id,
        )
        query = query.where(held)
    if filters.status == INITIAL_STATUS:
        query = query.where((Dossier.status == INITIAL_STATUS) | Dossier.id.is_(None))
    elif filters.status:
        query = query.where(Dossier.status == filters.status)
    return query


def dossier_index(
    session: Session,
    filters: IndexFilters,
    *,
    visible: tuple[str, ...],
    scope_start: dt.date,
    today: dt.date,
    sort: str = "strength",
) -> list[IndexRow]:
    """Every live official matching the filters, assessed, sorted by strength (strongest
    first) or by name; in a fixed number of queries."""
    found = list(session.execute(_index_query(filters)).tuples())
    all_facts = load_many_facts(session, [official.id for official, _status in found])
    rows = []
    for official, status in found:
        facts = all_facts.get(official.id)
        if facts is None:
            continue
        assessment = assess_dossier(facts, visible=visible, scope_start=scope_start, today=today)
        if filters.missing and assessment.element(filters.missing).status in DONE:
            continue
        rows.append(IndexRow(official, status or INITIAL_STATUS, assessment))
    return sort_rows(rows, sort)


def sort_rows(rows: Iterable[IndexRow], sort: str) -> list[IndexRow]:
    if sort == "name":
        return sorted(rows, key=lambda r: (r.official.name, r.official.id))
    if sort == "status":
        return sorted(rows, key=lambda r: (r.status, -r.strength, r.official.name))
    return sorted(rows, key=lambda r: (-r.strength, r.official.name, r.official.id))
