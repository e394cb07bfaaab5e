"""Read from the database the facts that the dossier assessment (services/assessment/elements.py) needs.

The loader issues a fixed number of statements (seven, one when no official is live), however
many officials, tenures, involvements and supports there are: each kind of row is read once
for all the officials asked, by column, then grouped in Python. Reading columns rather than
relationships means no 500-row chunks (selectinload batches its IN lists) and no stale
collections from objects already in the session.

Everything is loaded whatever its classification: the assessment filters by what the viewer
may see, and counts the rest as withheld. Soft-deleted officials, decisions and evidence are
left out, as if they did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import Session

from models import (
    ActAssessment,
    ActEvidenceDigest,
    AggressionAct,
    Decision,
    Evidence,
    Institution,
    Involvement,
    Official,
    PartialDate,
    Position,
    State,
    Support,
    Tenure,
    act_state,
    decision_act,
)
from services.assessment.types import (
    ActTotal,
    AnchorRef,
    DossierFacts,
    FactsAct,
    FactsActAssessment,
    FactsDecision,
    FactsExhibit,
    FactsInvolvement,
    FactsState,
    FactsSupport,
    FactsTenure,
    Target,
)


def load_facts(session: Session, official_id: int) -> DossierFacts | None:
    """The facts of one official, or None when there is no such (live) official."""
    return load_many_facts(session, [official_id]).get(official_id)


def load_many_facts(session: Session, official_ids: Iterable[int]) -> dict[int, DossierFacts]:
    """The facts of each live official among ``official_ids``, keyed by id, in the order asked."""
    names = _official_names(session, list(dict.fromkeys(official_ids)))
    if not names:
        return {}
    ids = list(names)
    tenures = _tenures(session, ids)
    involvements = _involvements(session, ids)
    totals = _act_totals(session, ids)
    supports = _supports(session, ids, totals)
    on_target: dict[Target, list[FactsSupport]] = defaultdict(list)
    for support in supports:  # in id order, so each official's supports stay in id order
        on_target[support.target].append(support)
    totals_of: dict[int, list[ActTotal]] = defaultdict(list)
    for total in totals:
        totals_of[total.act_id].append(total)
    facts = {}
    for official_id, (name, state_id) in names.items():
        own = involvements.get(official_id, ())
        targets = {("tenure", t.id) for t in tenures.get(official_id, ())}
        for i in own:
            targets |= {("involvement", i.id), ("decision", i.decision.id)}
            targets |= {("act", a.id) for a in i.decision.acts}
            targets |= {("act_assessment", x.id) for a in i.decision.acts for x in a.assessments}
        mine = sorted((s for target in targets for s in on_target.get(target, ())), key=lambda s: s.id)
        facts[official_id] = DossierFacts(
            official_id=official_id,
            official_name=name,
            official_state_id=state_id,
            tenures=tuple(tenures.get(official_id, ())),
            involvements=tuple(own),
            supports=tuple(mine),
            act_totals=tuple(t for kind, act_id in sorted(targets) if kind == "act" for t in totals_of[act_id]),
        )
    return facts


def _official_names(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """The name and State of each live official among ``ids``, in the order asked."""
    if not ids:
        return {}
    rows = session.execute(
        select(Official.id, Official.name, Official.state_id).where(Official.id.in_(ids), Official.deleted_at.is_(None))
    ).all()
    found = {row.id: (row.name, row.state_id) for row in rows}
    return {i: found[i] for i in ids if i in found}


def _date(value: Any, precision: Any) -> PartialDate | None:
    return PartialDate.from_columns(value, precision)


def _tenures(session: Session, ids: Sequence[int]) -> dict[int, list[FactsTenure]]:
    rows = session.execute(
        select(
            Tenure.id,
            Tenure.official_id,
            Tenure.start_date,
            Tenure.start_date_precision,
            Tenure.end_date,
            Tenure.end_date_precision,
            Position.title,
            Position.tier,
            Position.troika,
            Institution.id.label("institution_id"),
            Institution.name.label("institution"),
            State.id.label("state_id"),
            State.code.label("state_code"),
            State.name.label("state_name"),
        )
        .join(Position, Tenure.position_id == Position.id)
        .join(Institution, Position.institution_id == Institution.id)
        .join(State, Institution.state_id == State.id)
        .where(Tenure.official_id.in_(ids))
        .order_by(Tenure.start_date, Tenure.id)
    ).all()
    tenures: dict[int, list[FactsTenure]] = defaultdict(list)
    for row in rows:
        tenures[row.official_id].append(
            FactsTenure(
                id=row.id,
                position_title=row.title,
                institution_id=row.institution_id,
                institution=row.institution,
                tier=row.tier,
                troika=row.troika,
                start=PartialDate(row.start_date, row.start_date_precision),
                end=_date(row.end_date, row.end_date_precision),
                state=FactsState(row.state_id, row.state_code, row.state_name),
            )
        )
    return tenures


def _live_involvements(ids: Sequence[int]) -> Select[Any]:
    """Ids of the officials' involvements in decisions that are not deleted."""
    return (
        select(Involvement.id)
        .join(Decision, Involvement.decision_id == Decision.id)
        .where(Involvement.official_id.in_(ids), Decision.deleted_at.is_(None))
    )


def _live_decisions(ids: Sequence[int]) -> Select[Any]:
    return (
        select(Involvement.decision_id)
        .join(Decision, Involvement.decision_id == Decision.id)
        .where(Involvement.official_id.in_(ids), Decision.deleted_at.is_(None))
    )


def _linked_act_ids(ids: Sequence[int]) -> Select[Any]:
    return select(decision_act.c.act_id).where(decision_act.c.decision_id.in_(_live_decisions(ids)))


def _assessments(session: Session, ids: Sequence[int]) -> dict[int, list[FactsActAssessment]]:
    """The character, gravity and scale recorded for each act the officials' decisions served."""
    rows = session.execute(
        select(ActAssessment.id, ActAssessment.act_id, ActAssessment.aspect, ActAssessment.finding)
        .where(ActAssessment.act_id.in_(_linked_act_ids(ids)))
        .order_by(ActAssessment.act_id, ActAssessment.aspect)
    ).all()
    found: dict[int, list[FactsActAssessment]] = defaultdict(list)
    for row in rows:
        found[row.act_id].append(FactsActAssessment(row.id, row.aspect, row.finding))
    return found


def _acts_by_decision(session: Session, ids: Sequence[int]) -> dict[int, list[FactsAct]]:
    """The acts each decision served, with the States responsible for each (one row per
    decision, act and State, in one statement) and their assessments (another)."""
    assessments = _assessments(session, ids)
    rows = session.execute(
        select(
            decision_act.c.decision_id,
            AggressionAct.id,
            AggressionAct.title,
            AggressionAct.start_date,
            AggressionAct.start_date_precision,
            AggressionAct.end_date,
            AggressionAct.end_date_precision,
            State.id.label("state_id"),
            State.code.label("state_code"),
            State.name.label("state_name"),
        )
        .join(AggressionAct, decision_act.c.act_id == AggressionAct.id)
        .outerjoin(act_state, act_state.c.act_id == AggressionAct.id)
        .outerjoin(State, State.id == act_state.c.state_id)
        .where(decision_act.c.decision_id.in_(_live_decisions(ids)))
        .order_by(AggressionAct.start_date, AggressionAct.id, State.code)
    ).all()
    states: dict[int, list[FactsState]] = defaultdict(list)
    for row in rows:
        state = FactsState(row.state_id, row.state_code, row.state_name) if row.state_id is not None else None
        if state is not None and state not in states[row.id]:
            states[row.id].append(state)
    made: dict[int, FactsAct] = {}
    acts: dict[int, list[FactsAct]] = defaultdict(list)
    for row in rows:
        act = made.get(row.id)
        if act is None:
            start = PartialDate(row.start_date, row.start_date_precision)
            end = _date(row.end_date, row.end_date_precision)
            act = made[row.id] = FactsAct(
                row.id, row.title, start, end, tuple(states[row.id]), tuple(assessments.get(row.id, ()))
            )
        if act not in acts[row.decision_id]:
            acts[row.decision_id].append(act)
    return acts


def _involvements(session: Session, ids: Sequence[int]) -> dict[int, list[FactsInvolvement]]:
    acts = _acts_by_decision(session, ids)
    rows = session.execute(
        select(
            Involvement.id,
            Involvement.official_id,
            Involvement.role,
            Decision.id.label("decision_id"),
            Decision.title,
            Decision.date,
            Decision.date_precision,
            Decision.institution_id,
        )
        .join(Decision, Involvement.decision_id == Decision.id)
        .where(Involvement.id.in_(_live_involvements(ids)))
        .order_by(Decision.date, Decision.id, Involvement.id)
    ).all()
    decisions: dict[int, FactsDecision] = {}
    involvements: dict[int, list[FactsInvolvement]] = defaultdict(list)
    for row in rows:
        decision = decisions.get(row.decision_id)
        if decision is None:
            when = PartialDate(row.date, row.date_precision)
            decision = FactsDecision(
                row.decision_id, row.title, when, tuple(acts.get(row.decision_id, ())), row.institution_id
            )
            decisions[row.decision_id] = decision
        involvements[row.official_id].append(FactsInvolvement(id=row.id, role=row.role, decision=decision))
    return involvements


def _act_totals(session: Session, ids: Sequence[int]) -> list[ActTotal]:
    """The evidence digests of the acts the officials' decisions contributed to."""
    act_ids = _linked_act_ids(ids)
    rows = session.execute(
        select(ActEvidenceDigest)
        .where(ActEvidenceDigest.act_id.in_(act_ids.scalar_subquery()))
        .order_by(ActEvidenceDigest.act_id, ActEvidenceDigest.stance, ActEvidenceDigest.classification)
    ).scalars()
    return [ActTotal(d.act_id, d.stance, d.classification, d.support_count, d.sample) for d in rows]


def _supports(session: Session, ids: Sequence[int], totals: Sequence[ActTotal]) -> list[FactsSupport]:
    """Every support of live evidence on the officials' tenures, involvements and decisions and
    on their acts' assessments, and the strongest few on their acts (from the acts' digests), in
    one statement.

    One SELECT per kind of target joined by UNION ALL: a support has exactly one target, so
    nothing comes twice, and each part can use the index on its own foreign key.
    """
    tenure_ids = select(Tenure.id).where(Tenure.official_id.in_(ids))
    sampled = [int(n) for t in totals for n in t.sample.split()]
    parts = [
        _support_rows(Support.tenure_id.in_(tenure_ids)),
        _support_rows(Support.involvement_id.in_(_live_involvements(ids))),
        _support_rows(Support.decision_id.in_(_live_decisions(ids))),
        _support_rows(Support.id.in_(sampled)),
        _support_rows(
            Support.act_assessment_id.in_(
                select(ActAssessment.id).where(ActAssessment.act_id.in_(_linked_act_ids(ids)))
            )
        ),
    ]
    query = union_all(*parts).subquery()
    rows = session.execute(select(query).order_by(query.c.id)).all()
    return [
        FactsSupport(
            id=row.id,
            exhibit=FactsExhibit(
                id=row.evidence_id,
                exhibit_no=row.exhibit_no,
                title=row.evidence_title,
                classification=row.classification,
                reliability=row.reliability,
                credibility=row.credibility,
                kind=row.evidence_kind,
            ),
            stance=row.stance,
            target=_target(row),
            pinpoint=row.pinpoint,
            confirmed=row.confirmed_by_id is not None,
            anchor=_anchor(row),
        )
        for row in rows
    ]


def _anchor(row: Any) -> AnchorRef | None:
    if row.anchor_file_id is None:
        return None
    return AnchorRef(row.anchor_file_id, row.quote_page, row.quote_exact, row.time_start, row.time_end)


def _support_rows(condition: Any) -> Select[Any]:
    return (
        select(
            Support.id,
            Support.stance,
            Support.pinpoint,
            Support.anchor_file_id,
            Support.quote_page,
            Support.quote_exact,
            Support.time_start,
            Support.time_end,
            Support.tenure_id,
            Support.involvement_id,
            Support.decision_id,
            Support.act_id,
            Support.act_assessment_id,
            Support.confirmed_by_id,
            Evidence.id.label("evidence_id"),
            Evidence.exhibit_no,
            Evidence.title.label("evidence_title"),
            Evidence.classification,
            Evidence.reliability,
            Evidence.credibility,
            Evidence.kind.label("evidence_kind"),
        )
        .join(Evidence, Support.evidence_id == Evidence.id)
        .where(condition, Evidence.deleted_at.is_(None))
    )


def _target(row: Any) -> Target:
    for kind in ("tenure", "involvement", "decision", "act", "act_assessment"):
        value = getattr(row, f"{kind}_id")
        if value is not None:
            return (kind, value)
    raise ValueError(f"support {row.id} has no target")
