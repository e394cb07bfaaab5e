"""Disclosure as each dossier sees it (issue 23 item 2): the exhibits contradicting an official's
facts, split into those disclosed to the official's defence (with the batch and its date) and
those not yet disclosed to it; and the same question as one SQL condition, for the dossiers
index's filter "undisclosed exculpatory material".

An official's facts are those of the dossier: their tenures, their involvements in live
decisions, those decisions, the acts of aggression the decisions contributed to and the acts'
assessments (character, gravity, scale). An exhibit counts as disclosed to the defence of an
official when any of its files is a disclosed item of a batch sent to a defence team linked to
that official. Only live exhibits the viewer may see are listed or counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select
from sqlalchemy.orm import Session

from models import (
    ActAssessment,
    Decision,
    DisclosureBatch,
    DisclosureItem,
    DisclosureRecipient,
    Evidence,
    EvidenceFile,
    Involvement,
    Support,
    Tenure,
    decision_act,
    recipient_official,
)


@dataclass(frozen=True)
class Disclosed:
    """One disclosure of an exhibit to an official's defence."""

    batch_id: int
    batch_date: dt.date
    disclosed_at: dt.datetime
    recipient: str
    file_name: str | None


@dataclass
class ExculpatoryExhibit:
    evidence_id: int
    exhibit_no: str
    title: str
    grade: str
    disclosures: list[Disclosed] = field(default_factory=list)


@dataclass
class DossierDisclosure:
    """The contradicting exhibits of one dossier, at the viewer's clearance."""

    defence: list[str]  # the names of the defence teams recorded for the official
    undisclosed: list[ExculpatoryExhibit]
    disclosed: list[ExculpatoryExhibit]


def _outer(official_id: Any) -> list[Any]:
    """The table of a correlated ``official_id`` (an enclosing query's column): the nested
    subqueries below correlate to it explicitly, since SQL's automatic correlation reaches
    only the query immediately around a subquery, and would otherwise join every official."""
    table = getattr(official_id, "table", None)
    return [table] if table is not None else []


def _on_officials_facts(official_id: Any) -> ColumnElement[bool]:
    """A support (correlated on Support) bearing on a fact of the official ``official_id`` (a
    value or a correlated column)."""
    outer = _outer(official_id)
    involvements = (
        select(Involvement.id, Involvement.decision_id)
        .join(Decision, Decision.id == Involvement.decision_id)
        .where(Involvement.official_id == official_id, Decision.deleted_at.is_(None))
        .correlate(*outer)
    )
    acts = (
        select(decision_act.c.act_id)
        .where(decision_act.c.decision_id.in_(involvements.with_only_columns(Involvement.decision_id)))
        .correlate(*outer)
    )
    tenures = select(Tenure.id).where(Tenure.official_id == official_id).correlate(*outer)
    return or_(
        Support.tenure_id.in_(tenures),
        Support.involvement_id.in_(involvements.with_only_columns(Involvement.id)),
        Support.decision_id.in_(involvements.with_only_columns(Involvement.decision_id)),
        Support.act_id.in_(acts),
        Support.act_assessment_id.in_(select(ActAssessment.id).where(ActAssessment.act_id.in_(acts)).correlate(*outer)),
    )


def _disclosed_to_defence(official_id: Any, evidence_id: Any) -> ColumnElement[bool]:
    """The exhibit ``evidence_id`` has a file disclosed to a defence team of ``official_id``."""
    query = select(DisclosureItem.id).where(
        DisclosureItem.evidence_id == evidence_id,
        DisclosureItem.status == "disclosed",
        DisclosureBatch.id == DisclosureItem.batch_id,
        recipient_official.c.recipient_id == DisclosureBatch.recipient_id,
        recipient_official.c.official_id == official_id,
    )
    return query.correlate(Support, *_outer(official_id)).exists()


def _contradicting(official_id: Any, visible: Sequence[str]) -> Select[Any]:
    return (
        select(Support.evidence_id)
        .join(Evidence, Evidence.id == Support.evidence_id)
        .where(
            Support.stance == "contradicts",
            Evidence.classification.in_(list(visible)),
            Evidence.deleted_at.is_(None),
            _on_officials_facts(official_id),
        )
    )


def undisclosed_exculpatory(official_id: Any, visible: Sequence[str]) -> ColumnElement[bool]:
    """An SQL condition on ``official_id`` (a correlated column): some exhibit the viewer may see
    contradicts a fact of the official and is not disclosed to the official's defence."""
    query = _contradicting(official_id, visible).where(not_(_disclosed_to_defence(official_id, Support.evidence_id)))
    return query.correlate(*_outer(official_id)).exists()


def dossier_disclosure(session: Session, official_id: int, visible: Sequence[str]) -> DossierDisclosure:
    """The dossier's contradicting exhibits, disclosed or not, in three queries."""
    defence = list(
        session.scalars(
            select(DisclosureRecipient.name)
            .join(recipient_official, recipient_official.c.recipient_id == DisclosureRecipient.id)
            .where(recipient_official.c.official_id == official_id, DisclosureRecipient.kind == "defence")
            .order_by(DisclosureRecipient.name)
        )
    )
    ids = _contradicting(official_id, visible).distinct().subquery()
    rows = session.execute(
        select(Evidence.id, Evidence.exhibit_no, Evidence.title, Evidence.reliability, Evidence.credibility)
        .where(Evidence.id.in_(select(ids.c.evidence_id)))
        .order_by(Evidence.exhibit_no)
    ).all()
    exhibits = {r.id: ExculpatoryExhibit(r.id, r.exhibit_no, r.title, f"{r.reliability}{r.credibility}") for r in rows}
    for evidence_id, disclosed in disclosures_to_defence(session, [official_id], list(exhibits)).items():
        exhibits[evidence_id[1]].disclosures = disclosed
    ordered = list(exhibits.values())
    return DossierDisclosure(
        defence=defence,
        undisclosed=[e for e in ordered if not e.disclosures],
        disclosed=[e for e in ordered if e.disclosures],
    )


def disclosures_to_defence(
    session: Session, official_ids: Iterable[int], evidence_ids: Iterable[int]
) -> dict[tuple[int, int], list[Disclosed]]:
    """Each (official, exhibit) pair's disclosures to that official's defence, earliest first,
    in one query."""
    officials, exhibits = sorted(set(official_ids)), sorted(set(evidence_ids))
    found: dict[tuple[int, int], list[Disclosed]] = {}
    if not officials or not exhibits:
        return found
    rows = session.execute(
        select(
            recipient_official.c.official_id,
            DisclosureItem.evidence_id,
            DisclosureBatch.id,
            DisclosureBatch.batch_date,
            DisclosureBatch.disclosed_at,
            DisclosureRecipient.name,
            EvidenceFile.original_name,
        )
        .join(DisclosureBatch, DisclosureBatch.id == DisclosureItem.batch_id)
        .join(DisclosureRecipient, DisclosureRecipient.id == DisclosureBatch.recipient_id)
        .join(recipient_official, recipient_official.c.recipient_id == DisclosureRecipient.id)
        .join(EvidenceFile, EvidenceFile.id == DisclosureItem.evidence_file_id)
        .where(
            and_(
                DisclosureItem.status == "disclosed",
                DisclosureItem.evidence_id.in_(exhibits),
                recipient_official.c.official_id.in_(officials),
            )
        )
        .order_by(DisclosureBatch.disclosed_at, DisclosureBatch.id, DisclosureItem.id)
    ).all()
    for official_id, evidence_id, batch_id, batch_date, disclosed_at, name, file_name in rows:
        found.setdefault((official_id, evidence_id), []).append(
            Disclosed(batch_id, batch_date, disclosed_at, name, file_name)
        )
    return found
