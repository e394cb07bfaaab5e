"""Evidence and its supports: clearance-aware loading, saving, duplicates.

Evidence whose classification the viewer may not see is treated as missing everywhere:
every loader here takes the viewer's visible classifications and answers None for it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    SUPPORT_TARGET_COLUMNS,
    ActAssessment,
    AggressionAct,
    Decision,
    Evidence,
    Involvement,
    Official,
    PartialDate,
    Position,
    Support,
    Tenure,
)
from services.assessment.basis import aspect_label
from services.common.text_rules import URL_FORBIDDEN, WEB_ADDRESS_PATTERN
from services.evidence import numbers as exhibit_numbers
from services.evidence import pinpoints

_WEB_ADDRESS = re.compile(WEB_ADDRESS_PATTERN)


def web_address_fault(value: str) -> str | None:
    """Why ``value`` is not an address a reader may follow: "characters" (spaces, quotes,
    control characters) or "form" (not http:// or https:// with a host: no javascript:,
    data:, file: or relative links); None when it is one. An address must match the
    pattern the API documents (services/common/text_rules.py), then have a host as urlsplit reads
    it. Total: the ValueError urlsplit raises for a malformed host (an unmatched bracket)
    is a fault of form, not a crash."""
    if any(ch in URL_FORBIDDEN for ch in value):
        return "characters"
    if not value or _WEB_ADDRESS.fullmatch(value) is None:
        return "form"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return "form"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "form"
    return None


# --- reading ------------------------------------------------------------------------------


def visible_query(visible: tuple[str, ...], *, deleted: bool = False) -> Select[Any]:
    """Evidence the viewer may see: live items, or only soft-deleted ones when ``deleted``."""
    alive = Evidence.deleted_at.is_not(None) if deleted else Evidence.deleted_at.is_(None)
    return select(Evidence).where(Evidence.classification.in_(visible), alive)


def withheld_count(session: Session, visible: tuple[str, ...], *, deleted: bool = False) -> int:
    """How many items of the same list the viewer's clearance hides (a number, nothing else)."""
    alive = Evidence.deleted_at.is_not(None) if deleted else Evidence.deleted_at.is_(None)
    query = select(func.count()).select_from(Evidence).where(Evidence.classification.not_in(visible), alive)
    return session.scalar(query) or 0


def get_visible(
    session: Session, evidence_id: int, visible: tuple[str, ...], *, deleted_ok: bool = False
) -> Evidence | None:
    """The evidence, or None when it is missing, above the viewer's clearance or deleted."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.classification not in visible:
        return None
    if evidence.is_deleted and not deleted_ok:
        return None
    return evidence


def get_by_number(session: Session, exhibit_no: str, visible: tuple[str, ...]) -> Evidence | None:
    """The live exhibit with this number, or None when missing, hidden or deleted."""
    evidence = session.scalars(select(Evidence).where(Evidence.exhibit_no == exhibit_no)).first()
    if evidence is None or evidence.classification not in visible or evidence.is_deleted:
        return None
    return evidence


def evidence_page(session: Session, evidence_id: int, visible: tuple[str, ...]) -> Evidence | None:
    """The evidence with its files and every fact it bears on, in a fixed number of queries."""
    return session.scalars(
        select(Evidence)
        .where(Evidence.id == evidence_id, Evidence.classification.in_(visible), Evidence.deleted_at.is_(None))
        .options(
            selectinload(Evidence.files),
            selectinload(Evidence.supports).options(
                joinedload(Support.tenure).joinedload(Tenure.official),
                joinedload(Support.tenure).joinedload(Tenure.position).joinedload(Position.institution),
                joinedload(Support.involvement).joinedload(Involvement.official),
                joinedload(Support.involvement).joinedload(Involvement.decision),
                joinedload(Support.decision).joinedload(Decision.institution),
                joinedload(Support.act),
                joinedload(Support.act_assessment).joinedload(ActAssessment.act),
                joinedload(Support.confirmed_by),
            ),
        )
    ).first()


def get_support(session: Session, support_id: int, visible: tuple[str, ...]) -> Support | None:
    """The support, or None when its evidence is above the viewer's clearance or deleted."""
    support = session.get(Support, support_id)
    if support is None or get_visible(session, support.evidence_id, visible) is None:
        return None
    return support


# --- saving -------------------------------------------------------------------------------


@dataclass
class EvidenceInput:
    """What a form says an exhibit's metadata should be, already validated field by field."""

    title: str
    kind: str
    summary: str | None
    source: str
    provenance: str | None
    url: str | None
    collected_by: str | None
    collected_on: dt.date | None
    collection_method: str | None
    language: str | None
    classification: str
    reliability: str
    credibility: str
    # A third party that controls the sharing of what it submitted (services/disclosure/)
    originator: str | None = None
    originator_consent_required: bool = False


def apply_evidence(evidence: Evidence, data: EvidenceInput) -> None:
    for name, value in vars(data).items():
        setattr(evidence, name, value)


def create_evidence(session: Session, data: EvidenceInput) -> Evidence:
    """Add an exhibit under a number the server issues as it is inserted (services/evidence/numbers.py)."""
    evidence = Evidence(exhibit_no=exhibit_numbers.issue(session))
    apply_evidence(evidence, data)
    session.add(evidence)
    session.flush()
    return evidence


# --- supports -----------------------------------------------------------------------------


@dataclass
class TargetOptions:
    """The facts a support may be linked to, per kind, as (id, readable label) pairs."""

    tenure: list[tuple[int, str]]
    involvement: list[tuple[int, str]]
    decision: list[tuple[int, str]]
    act: list[tuple[int, str]]
    act_assessment: list[tuple[int, str]]

    def of(self, target_type: str) -> list[tuple[int, str]]:
        choices: list[tuple[int, str]] = getattr(self, target_type)
        return choices


DateFormatter = Callable[[PartialDate | None], str]


def tenure_label(tenure: Tenure, fmt: DateFormatter) -> str:
    if tenure.end is None:
        return _(
            "%(official)s: %(position)s, from %(start)s (in office)",
            official=tenure.official.name,
            position=tenure.position.full_title,
            start=fmt(tenure.start),
        )
    return _(
        "%(official)s: %(position)s, %(start)s to %(end)s",
        official=tenure.official.name,
        position=tenure.position.full_title,
        start=fmt(tenure.start),
        end=fmt(tenure.end),
    )


def involvement_label(involvement: Involvement, fmt: DateFormatter, role: str) -> str:
    return _(
        "%(official)s: %(role)s in %(decision)s (%(date)s)",
        official=involvement.official.name,
        role=role,
        decision=involvement.decision.title,
        date=fmt(involvement.decision.when),
    )


def decision_label(decision: Decision, fmt: DateFormatter) -> str:
    return f"{decision.title} ({fmt(decision.when)}, {decision.institution.name})"


def act_assessment_label(assessment: ActAssessment) -> str:
    """ "Gravity of <act>": the aspect and the act it assesses, in the dossier's words."""
    return aspect_label(assessment.aspect, assessment.act.title)


def target_options(session: Session, fmt: DateFormatter, role_label: Callable[[str], str]) -> TargetOptions:
    """Every fact a support may be linked to (deleted officials and decisions left out),
    in five queries whatever their number."""
    tenures = session.scalars(
        select(Tenure)
        .join(Official, Tenure.official_id == Official.id)
        .where(Official.deleted_at.is_(None))
        .options(
            joinedload(Tenure.official),
            joinedload(Tenure.position).joinedload(Position.institution),
        )
        .order_by(Official.name, Tenure.start_date, Tenure.id)
    )
    involvements = session.scalars(
        select(Involvement)
        .join(Official, Involvement.official_id == Official.id)
        .join(Decision, Involvement.decision_id == Decision.id)
        .where(Official.deleted_at.is_(None), Decision.deleted_at.is_(None))
        .options(joinedload(Involvement.official), joinedload(Involvement.decision))
        .order_by(Official.name, Decision.date, Involvement.role, Involvement.id)
    )
    decisions = session.scalars(
        select(Decision)
        .where(Decision.deleted_at.is_(None))
        .options(joinedload(Decision.institution))
        .order_by(Decision.date, Decision.title, Decision.id)
    )
    acts = list(
        session.scalars(
            select(AggressionAct)
            .options(selectinload(AggressionAct.assessments))
            .order_by(AggressionAct.start_date, AggressionAct.title)
        )
    )
    return TargetOptions(
        tenure=[(t.id, tenure_label(t, fmt)) for t in tenures],
        involvement=[(i.id, involvement_label(i, fmt, role_label(i.role))) for i in involvements],
        decision=[(d.id, decision_label(d, fmt)) for d in decisions],
        act=[(a.id, a.title) for a in acts],
        act_assessment=[(x.id, act_assessment_label(x)) for a in acts for x in a.assessments],
    )


def fact_label(support: Support, fmt: DateFormatter, role_label: Callable[[str], str]) -> str:
    """The fact a support bears on, in the words of the target lists."""
    if support.tenure is not None:
        return tenure_label(support.tenure, fmt)
    if support.involvement is not None:
        return involvement_label(support.involvement, fmt, role_label(support.involvement.role))
    if support.decision is not None:
        return decision_label(support.decision, fmt)
    if support.act is not None:
        return support.act.title
    if support.act_assessment is not None:
        return act_assessment_label(support.act_assessment)
    raise ValueError("support without a target")


def duplicate_support(
    session: Session, evidence_id: int, target_type: str, target_id: int, *, exclude: int | None = None
) -> Support | None:
    """The existing link of the same exhibit to the same fact, whatever its stance: an exhibit
    supports a fact or contradicts it, never both (the database holds to it, models/evidence.py)."""
    column = getattr(Support, SUPPORT_TARGET_COLUMNS[target_type])
    query = select(Support).where(Support.evidence_id == evidence_id, column == target_id)
    if exclude is not None:
        query = query.where(Support.id != exclude)
    return session.scalars(query.limit(1)).first()


def add_support(
    session: Session,
    evidence: Evidence,
    target_type: str,
    target_id: int,
    *,
    stance: str,
    pinpoint: str | None,
    note: str | None,
    anchor: pinpoints.Anchor | None = None,
) -> Support:
    """Link the exhibit to the fact; ``anchor`` already checked (services/evidence/pinpoints.py)."""
    support = Support(evidence=evidence, stance=stance, pinpoint=pinpoint, note=note)
    setattr(support, SUPPORT_TARGET_COLUMNS[target_type], target_id)
    pinpoints.apply(support, anchor)
    session.add(support)
    session.flush()
    from services.workspace.watches import evidence_linked  # noqa: PLC0415  (watches read dossiers, which read evidence)

    evidence_linked(session, support)
    return support


def human_size(size: int) -> tuple[float | int, str]:
    """A byte count as a number and a unit for display (1536 -> (1.5, "KiB"))."""
    value: float = size
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return (int(value) if unit == "B" else round(value, 1)), unit
        value /= 1024
    return round(value, 1), "TiB"  # pragma: no cover


# --- the evidence picker ---------------------------------------------------------------------

LOOKUP_LIMIT = 12
EXHIBIT_NUMBER_START = re.compile(r"[A-Za-z]{1,3}-?\d*")


def lookup(session: Session, text: str, visible: tuple[str, ...], limit: int = LOOKUP_LIMIT) -> list[Evidence]:
    """Live exhibits the viewer may see for a picker, best first: those whose number starts
    with ``text``, then those the search index finds for it (number, title, summary, in any
    script). Nothing above ``visible`` is read, so nothing of the answer depends on it."""
    from services.search import engine as search

    text = text.strip()
    found: list[int] = []
    if EXHIBIT_NUMBER_START.fullmatch(text):  # letters, a hyphen, digits: nothing LIKE would read as a wildcard
        found += session.scalars(
            visible_query(visible)
            .with_only_columns(Evidence.id)
            .where(Evidence.exhibit_no.like(f"{text.upper()}%"))
            .order_by(Evidence.exhibit_no)
            .limit(limit)
        )
    try:
        query = search.parse_query(text)
    except search.QueryError:
        query = None
    if query is not None:  # asked even when the numbers fill the list: as many queries whatever the data
        dialect = session.get_bind().dialect.name
        for row in session.execute(search.candidates_query(dialect, "evidence", query, visible).limit(limit * 4)):
            if len(found) >= limit:
                break
            if row.record_id not in found:
                found.append(row.record_id)
    if not found:
        return []
    exhibits = {e.id: e for e in session.scalars(visible_query(visible).where(Evidence.id.in_(found)))}
    return [exhibits[i] for i in found if i in exhibits]
