"""Candidate-defendant dossiers as pages: one official's dossier, and the index of all.

Everything a dossier shows is assembled here in a fixed number of queries, whatever the
number of involvements and exhibits: the official's page data (services/facts/officials.py), the
facts and their assessment (services/dossiers/facts.py, services/assessment/elements.py), the acts of
each decision, the officials involved in the same decisions, and the case record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    AggressionAct,
    Decision,
    Dossier,
    DossierSummary,
    Involvement,
    ModeChoice,
    Official,
    Position,
    State,
    Tenure,
    decision_act,
)
from models.dossier_summary import element_missing
from models.enums import CLASSIFICATIONS, DOSSIER_STATUSES
from services.assessment.basis import aspect_label, tenure_label
from services.assessment.elements import assess_dossier
from services.assessment.types import AnchorRef, Assessment, DossierFacts, ExhibitRef, FactsExhibit, FactsSupport
from services.disclosure.dossiers import undisclosed_exculpatory
from services.dossiers.facts import load_facts
from services.dossiers.graphics import (
    Network,
    Peer,
    Timeline,
    TimelineBar,
    TimelineMark,
    draw_network,
    draw_timeline,
)
from services.dossiers.summaries import clearance_of, troikas
from services.dossiers.workflow import CaseView
from services.facts.institutions import matching_ids
from services.search.engine import QueryError
from services.workspace.tasks import overdue_counts

ELEMENT_CODES = ("E1", "E2", "E3", "E4", "E5", "E6")
INVOLVEMENTS_PER_PAGE = 100
# Exhibits listed per element in the matrix (strongest first); the rest are counted
EXHIBITS_PER_ELEMENT = 12

Link = Callable[[str, int], str]  # ("official" | "decision", id) -> URL


@dataclass(frozen=True)
class Exculpatory:
    """A contradicting exhibit and the fact it contradicts."""

    exhibit: ExhibitRef
    fact: str
    anchor: AnchorRef | None = None  # where in a file of the exhibit (services/evidence/pinpoints.py)


@dataclass(frozen=True)
class SupportView:
    """One visible exhibit on one fact, shaped as the exhibits macro reads a Support."""

    stance: str
    pinpoint: str | None
    evidence: FactsExhibit
    id: int | None = None
    anchor: AnchorRef | None = None

    # A Support's anchor columns, for the macro
    @property
    def anchor_file_id(self) -> int | None:
        return self.anchor.file_id if self.anchor else None

    @property
    def quote_page(self) -> int | None:
        return self.anchor.page if self.anchor else None

    @property
    def quote_exact(self) -> str | None:
        return self.anchor.exact if self.anchor else None

    @property
    def time_start(self) -> float | None:
        return self.anchor.start if self.anchor else None

    @property
    def time_end(self) -> float | None:
        return self.anchor.end if self.anchor else None


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
class DossierPage(CaseView):
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


def exhibits_by_target(facts: DossierFacts, visible: tuple[str, ...]) -> dict[tuple[str, int], FactExhibits]:
    """The evidence on each fact, split by stance, strongest grade first; hidden items counted."""
    grouped: dict[tuple[str, int], FactExhibits] = {}
    for support in sorted(facts.supports, key=lambda s: (s.exhibit.grade, s.exhibit.exhibit_no, s.id)):
        entry = grouped.setdefault(support.target, FactExhibits())
        if support.exhibit.classification not in visible:
            entry.withheld += 1
        elif support.stance == "contradicts":
            entry.contradicting.append(_view(support))
        else:
            entry.supporting.append(_view(support))
    return grouped


def _view(support: FactsSupport) -> SupportView:
    return SupportView(support.stance, support.pinpoint, support.exhibit, support.id, support.anchor)


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
            for assessment in act.assessments:
                labels[("act_assessment", assessment.id)] = aspect_label(assessment.aspect, act.title)
    return labels


def exculpatory_items(facts: DossierFacts, visible: tuple[str, ...]) -> list[Exculpatory]:
    """Every contradicting exhibit the viewer may see on any of the official's facts."""
    labels = fact_labels(facts)
    items = [
        Exculpatory(
            s.ref,
            labels.get(s.target, f"{s.target[0]} #{s.target[1]}"),
            s.anchor,
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
    four_eyes: bool = False,
) -> DossierPage | None:
    """The whole dossier of a live official, or None; in a fixed number of queries whatever
    the number of involvements and exhibits. Involvements are shown ``per_page`` at a time."""
    official = _official(session, official_id)
    facts = load_facts(session, official_id)
    if official is None or facts is None:
        return None
    assessment = assess_dossier(facts, visible=visible, scope_start=scope_start, today=today, four_eyes=four_eyes)
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
        .options(
            joinedload(Dossier.lead_prosecutor),
            selectinload(Dossier.status_changes),
            selectinload(Dossier.mode_choices).options(
                joinedload(ModeChoice.chosen_by), selectinload(ModeChoice.charged)
            ),
        )
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
# The index reads the stored summaries (models/dossier_summary.py, kept in step by
# services/dossiers/summaries.py) for the viewer's clearance: one indexed query per page,
# paged by keyset (the last row's sort key), never by OFFSET, so page 2,000 costs page 1.

INDEX_PER_PAGE = 50
# Matches counted at most; past it the page says "more than".
COUNT_LIMIT = 10_000

_S = DossierSummary
# Each order the index offers: (column, descending?) from first key to tie-breaker
INDEX_ORDERS: dict[str, tuple[tuple[Any, bool], ...]] = {
    "strength": ((_S.strength, True), (_S.name, False), (_S.official_id, False)),
    "name": ((_S.name, False), (_S.official_id, False)),
    "status": ((_S.status, False), (_S.strength, True), (_S.name, False), (_S.official_id, False)),
}


@dataclass(frozen=True)
class IndexRow:
    official: Official
    summary: DossierSummary
    troika: str | None = None  # the troika post held today, if any
    overdue: int = 0  # tasks from its gaps past their due date, among those the viewer may see

    @property
    def status(self) -> str:
        return self.summary.status

    @property
    def strength(self) -> int:
        return self.summary.strength

    @property
    def review(self) -> bool:
        return self.summary.review

    def element_status(self, code: str) -> str:
        return self.summary.element_status(code)


@dataclass(frozen=True)
class IndexFilters:
    state: str | None = None  # state code
    institution_ids: tuple[int, ...] | None = None  # held a position in one of them (none: no match)
    status: str | None = None
    missing: str | None = None  # an element code not met (nor inferred)
    # some contradicting exhibit is not yet disclosed to the official's defence (services/disclosure/dossiers.py)
    undisclosed: bool = False


@dataclass(frozen=True)
class IndexPage:
    rows: list[IndexRow]
    total: int  # matches, counted up to COUNT_LIMIT + 1
    after: int | None  # official id to continue after (a next page), or None
    before: int | None  # official id to go back before (a previous page), or None

    @property
    def total_capped(self) -> bool:
        return self.total > COUNT_LIMIT


def filters_from_args(session: Session, args: dict[str, str]) -> IndexFilters:
    """The index filters a saved search's query arguments name, read as the page reads its
    own (views/dossiers.py); unknown values narrow nothing, and an institution text that
    cannot be looked up (the page answers 400 for it) matches nobody."""
    clean = {k: (args.get(k) or "").strip() for k in ("state", "institution", "status", "missing", "undisclosed")}
    institution_ids: tuple[int, ...] | None = None
    if clean["institution"]:
        try:
            institution_ids = tuple(matching_ids(session, clean["institution"]))
        except QueryError:
            institution_ids = ()
    return IndexFilters(
        state=clean["state"] or None,
        institution_ids=institution_ids,
        status=clean["status"] if clean["status"] in DOSSIER_STATUSES else None,
        missing=clean["missing"] if clean["missing"] in ELEMENT_CODES else None,
        undisclosed=clean["undisclosed"] == "1",
    )


def matching_officials(session: Session, filters: IndexFilters, clearance: str, official_ids: set[int]) -> set[int]:
    """Which of ``official_ids`` the index shows with these filters at ``clearance``."""
    query = _index_query(filters, clearance).where(_S.official_id.in_(official_ids))
    return set(session.scalars(select(query.subquery().c.official_id)))


def _index_query(filters: IndexFilters, clearance: str) -> Select[tuple[DossierSummary, Official]]:
    """Summaries of live officials at ``clearance`` matching the filters, with the official."""
    query = (
        select(_S, Official)
        .join(Official, Official.id == _S.official_id)
        .where(_S.clearance == clearance, Official.deleted_at.is_(None))
        .options(joinedload(Official.state))
    )
    if filters.state:
        state_id = select(State.id).where(State.code == filters.state.upper()).scalar_subquery()
        query = query.where(_S.state_id == state_id)
    if filters.institution_ids is not None:
        held = exists().where(
            Tenure.official_id == Official.id,
            Tenure.position_id == Position.id,
            Position.institution_id.in_(filters.institution_ids),
        )
        query = query.where(held)
    if filters.status:
        query = query.where(_S.status == filters.status)
    if filters.missing:
        query = query.where(element_missing(filters.missing.lower()))
    if filters.undisclosed:
        visible = CLASSIFICATIONS[: CLASSIFICATIONS.index(clearance) + 1]
        query = query.where(undisclosed_exculpatory(Official.id, visible))
    return query


def _beyond(keys: tuple[tuple[Any, bool], ...], values: Sequence[Any], backwards: bool) -> ColumnElement[bool]:
    """Rows after ``values`` in the order ``keys`` (before them when ``backwards``). The
    bound on the first key alone is redundant but lets the database start its index scan there."""

    def past(column: Any, descending: bool, value: Any, strict: bool = True) -> ColumnElement[bool]:
        if descending != backwards:
            return column < value if strict else column <= value
        return column > value if strict else column >= value

    ties: list[ColumnElement[bool]] = []
    choices = []
    for (column, descending), value in zip(keys, values, strict=True):
        choices.append(and_(*ties, past(column, descending, value)))
        ties.append(column == value)
    first_column, first_descending = keys[0]
    return and_(past(first_column, first_descending, values[0], strict=False), or_(*choices))


def dossier_index(
    session: Session,
    filters: IndexFilters,
    *,
    visible: tuple[str, ...],
    today: dt.date,
    sort: str = "strength",
    after: int | None = None,
    before: int | None = None,
    per_page: int = INDEX_PER_PAGE,
) -> IndexPage:
    """One page of the live officials matching the filters, as the viewer's clearance
    assesses them, in ``sort`` order: after the official ``after`` or before ``before``
    (the first page without either). A fixed number of queries, whatever the data size."""
    clearance = clearance_of(visible)
    keys = INDEX_ORDERS.get(sort, INDEX_ORDERS["strength"])
    query = _index_query(filters, clearance)
    total = session.scalar(
        select(func.count()).select_from(query.with_only_columns(_S.official_id).limit(COUNT_LIMIT + 1).subquery())
    )
    cursor, backwards = (before, True) if before is not None else (after, False)
    anchor = None
    if cursor is not None:
        anchor = session.execute(
            select(*(column for column, _desc in keys)).where(_S.official_id == cursor, _S.clearance == clearance)
        ).first()
    if anchor is not None:
        query = query.where(_beyond(keys, tuple(anchor), backwards))
    order = [column.desc() if descending != backwards else column.asc() for column, descending in keys]
    found = list(session.execute(query.order_by(*order).limit(per_page + 1)).tuples())
    more = len(found) > per_page
    found = found[:per_page]
    if backwards:
        found.reverse()
    on_page = [official.id for _summary, official in found]
    held = troikas(session, on_page, today)
    late = overdue_counts(session, on_page, visible, today)
    rows = [IndexRow(official, summary, held.get(official.id), late.get(official.id, 0)) for summary, official in found]
    has_next = (more and not backwards) or (backwards and anchor is not None)
    has_prev = (more and backwards) or (not backwards and anchor is not None)
    return IndexPage(
        rows=rows,
        total=int(total or 0),
        after=rows[-1].official.id if rows and has_next else None,
        before=rows[0].official.id if rows and has_prev else None,
    )
