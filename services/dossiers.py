"""Candidate-defendant dossiers as pages: one official's dossier, and the index of all.

Everything a dossier shows is assembled here in a fixed number of queries, whatever the
number of involvements and exhibits: the official's page data (services/officials.py), the
facts and their assessment (services/dossier_facts.py, services/assessment.py), the acts of
each decision, the officials involved in the same decisions, and the case record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import AggressionAct, Decision, Dossier, Involvement, Official, Position, State, Tenure, decision_act
from services.assessment import assess_dossier
from services.assessment_basis import tenure_label
from services.assessment_types import Assessment, DossierFacts, ExhibitRef
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
from services.officials import OfficialPage, official_page

ELEMENT_CODES = ("E1", "E2", "E3", "E4", "E5", "E6")
DONE = ("met", "inferred")

Link = Callable[[str, int], str]  # ("official" | "decision", id) -> URL


@dataclass(frozen=True)
class Exculpatory:
    """A contradicting exhibit and the fact it contradicts."""

    exhibit: ExhibitRef
    fact: str


@dataclass
class DossierPage:
    page: OfficialPage
    facts: DossierFacts
    assessment: Assessment
    dossier: Dossier | None
    acts: dict[int, list[AggressionAct]]  # decision id -> acts it contributed to
    exculpatory: list[Exculpatory]
    timeline: Timeline
    network: Network

    @property
    def official(self) -> Official:
        return self.page.official

    @property
    def status(self) -> str:
        return self.dossier.status if self.dossier else INITIAL_STATUS


def _acts_by_decision(session: Session, decision_ids: Sequence[int]) -> dict[int, list[AggressionAct]]:
    acts: dict[int, list[AggressionAct]] = {}
    if not decision_ids:
        return acts
    rows = session.execute(
        select(decision_act.c.decision_id, AggressionAct)
        .join(AggressionAct, AggressionAct.id == decision_act.c.act_id)
        .where(decision_act.c.decision_id.in_(decision_ids))
        .order_by(AggressionAct.start_date, AggressionAct.title)
    )
    for decision_id, act in rows:
        acts.setdefault(decision_id, []).append(act)
    return acts


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


def dossier_page(
    session: Session, official_id: int, *, visible: tuple[str, ...], scope_start: dt.date, today: dt.date, link: Link
) -> DossierPage | None:
    """The whole dossier of a live official, or None."""
    page = official_page(official_id, visible=visible, today=today)
    facts = load_facts(session, official_id)
    if page is None or facts is None:
        return None
    assessment = assess_dossier(facts, visible=visible, scope_start=scope_start, today=today)
    decisions = {line.decision.id: line.decision for line in page.involvements}
    dossier = session.scalars(
        select(Dossier)
        .where(Dossier.official_id == official_id)
        .options(joinedload(Dossier.lead_prosecutor), selectinload(Dossier.status_changes))
    ).first()
    bars = [
        TimelineBar(tenure.position.full_title, tenure.position.tier, tenure.start, tenure.end)
        for tenure, _exhibits in sorted(page.tenures, key=lambda pair: (pair[0].start, pair[0].id))
    ]
    marks = [TimelineMark(d.title, d.when, link("decision", d.id)) for d in decisions.values()]
    peers = [Peer(pid, name, shared, link("official", pid)) for pid, name, shared in co_involved(session, official_id)]
    return DossierPage(
        page=page,
        facts=facts,
        assessment=assessment,
        dossier=dossier,
        acts=_acts_by_decision(session, list(decisions)),
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
