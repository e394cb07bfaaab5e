"""What a case-file export holds: the dossiers of one or more officials, as the exporting
user may see them, gathered once and shared by every format (PDF, bag, FtM, CSV).

Only evidence the user's clearance covers is included; the rest is counted (``withheld``)
and never described. Every date embedded in an export is fixed to the last change of what it
contains (``last_change``), so exporting the same state twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    AggressionAct,
    Decision,
    Dossier,
    Evidence,
    EvidenceFile,
    Institution,
    Involvement,
    ModeChoice,
    Official,
    PartialDate,
    Position,
    State,
    Support,
    Tenure,
)
from models.enums import CLASSIFICATIONS
from services.assessment.elements import assess_dossier
from services.assessment.law import mode_element_key, texts_in_languages
from services.assessment.types import Assessment
from services.disclosure.dossiers import Disclosed, disclosures_to_defence
from services.dossiers.facts import load_many_facts
from services.dossiers.workflow import CaseView

FORMAT_NAME = "tribunal-scope/case-file"
FORMAT_VERSION = 1
# Bookkeeping columns left out of the exported records
SKIPPED_COLUMNS = frozenset({"deleted_at", "deletion_reason", "search_key", "password_hash"})


class ExportError(ValueError):
    """An export that cannot be made; the message says why."""


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, PartialDate):
        return {"value": value.value.isoformat(), "precision": value.precision, "text": str(value)}
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def record(obj: Any) -> dict[str, Any]:
    """A row's columns as JSON-ready values, keys sorted."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _json_value(getattr(obj, attr.key))
        for attr in sorted(mapper.column_attrs, key=lambda a: a.key)
        if attr.key not in SKIPPED_COLUMNS
    }


ANCHOR_COLUMNS = (
    "anchor_file_id",
    "quote_page",
    "quote_exact",
    "quote_prefix",
    "quote_suffix",
    "time_start",
    "time_end",
)


def support_record(support: Support) -> dict[str, Any]:
    """A support's columns; an anchored one also with its W3C Web Annotation selector (a
    TextQuoteSelector with the page, or a media fragment's time range) and the file's SHA-256,
    so that the quote can be found in the file the bag holds. A support without an anchor is
    recorded as before anchors existed."""
    data = record(support)
    if support.anchor_file_id is None:
        return {key: value for key, value in data.items() if key not in ANCHOR_COLUMNS}
    file = support.anchor_file
    selector: dict[str, Any]
    if support.quote_exact is not None:
        selector = {
            "type": "TextQuoteSelector",
            "exact": support.quote_exact,
            "prefix": support.quote_prefix or "",
            "suffix": support.quote_suffix or "",
            "page": support.quote_page,
        }
    else:
        selector = {
            "type": "FragmentSelector",
            "conformsTo": "http://www.w3.org/TR/media-frags/",
            "value": f"t={support.time_start:g},{support.time_end:g}",
        }
    data["selector"] = {**selector, "source_sha256": file.sha256 if file else None}
    return data


def assessment_record(
    assessment: Assessment, law: dict[str, dict[str, dict[str, str]]], charged: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The assessment as data, each element with its law and what the system checks (``law``:
    services/assessment/law.py texts_in_languages), as the API gives them; each mode of liability
    says whether a role suggests it and whether it is among the modes ``charged`` (the
    prosecutors' latest choice)."""
    data: dict[str, Any] = _json_value(asdict(assessment)) if is_dataclass(assessment) else {}
    data["complete"] = assessment.complete
    data["review"] = assessment.review
    for element in data.get("elements", []):
        element["law"] = law[element["code"]]
    data["leadership_clause"] = law["leadership"]
    for mode, found in zip(data.get("modes", []), assessment.modes, strict=True):
        mode["suggested"] = found.suggested
        mode["charged"] = found.code in charged
        mode["law"] = law[found.code]
        for element in mode["elements"]:
            element["law"] = law[mode_element_key(found.code, element["code"])]
    return data


def case_record(dossier: Dossier | None) -> dict[str, Any]:
    """The case record, with every choice of the modes of liability to charge (oldest first)."""
    if dossier is None:
        return {"status": "candidate", "mode_choices": []}
    choices = [{**record(c), "modes": list(c.modes)} for c in dossier.mode_choices]
    return {**record(dossier), "mode_choices": choices}


@dataclass
class OfficialCase(CaseView):
    official: Official
    dossier: Dossier | None
    tenures: list[Tenure]
    involvements: list[Involvement]
    assessment: Assessment


@dataclass
class ExportBundle:
    """Everything one export holds, already filtered to the user's clearance."""

    cases: list[OfficialCase]
    decisions: list[Decision]
    acts: list[AggressionAct]
    positions: list[Position]
    institutions: list[Institution]
    states: list[State]
    evidence: list[Evidence]  # visible exhibits bearing on the cases' facts, by exhibit number
    supports: list[Support]  # their links to the cases' facts
    withheld: int  # exhibits bearing on those facts that the user may not see
    last_change: dt.datetime
    scope_start: dt.date
    visible: tuple[str, ...] = field(default=())
    # (official id, evidence id) -> the exhibit's disclosures to that official's defence
    disclosures: dict[tuple[int, int], list[Disclosed]] = field(default_factory=dict)

    @property
    def highest_classification(self) -> str:
        levels = [CLASSIFICATIONS.index(e.classification) for e in self.evidence]
        return CLASSIFICATIONS[max(levels, default=0)]

    @property
    def files(self) -> list[tuple[Evidence, EvidenceFile]]:
        return [(e, f) for e in self.evidence for f in e.files]

    @property
    def as_of(self) -> dt.date:
        return self.last_change.date()


def _live_officials(session: Session, official_ids: Sequence[int]) -> list[Official]:
    officials = list(
        session.scalars(
            select(Official)
            .where(Official.id.in_(official_ids), Official.deleted_at.is_(None))
            .options(
                joinedload(Official.state),
                selectinload(Official.names),
                selectinload(Official.identifiers),
                selectinload(Official.tenures).joinedload(Tenure.position).joinedload(Position.institution),
                selectinload(Official.involvements)
                .joinedload(Involvement.decision)
                .options(selectinload(Decision.acts), joinedload(Decision.institution)),
            )
        )
    )
    found = {o.id for o in officials}
    missing = [i for i in official_ids if i not in found]
    if missing:
        raise ExportError(f"No official with id {', '.join(map(str, missing))} (or it was deleted).")
    return sorted(officials, key=lambda o: official_ids.index(o.id))


def _supports_on(
    session: Session,
    tenure_ids: set[int],
    involvement_ids: set[int],
    decision_ids: set[int],
    act_ids: set[int],
    assessment_ids: set[int],
) -> list[Support]:
    conditions = [
        column.in_(ids)
        for column, ids in (
            (Support.tenure_id, tenure_ids),
            (Support.involvement_id, involvement_ids),
            (Support.decision_id, decision_ids),
            (Support.act_id, act_ids),
            (Support.act_assessment_id, assessment_ids),
        )
        if ids
    ]
    if not conditions:
        return []
    return list(
        session.scalars(
            select(Support)
            .join(Evidence, Support.evidence_id == Evidence.id)
            .where(or_(*conditions), Evidence.deleted_at.is_(None))
            .options(selectinload(Support.evidence).selectinload(Evidence.files))
            .order_by(Support.id)
        )
    )


def _latest(stamps: Iterable[dt.datetime | None]) -> dt.datetime:
    present = [s for s in stamps if s is not None]
    return max(present) if present else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def gather(
    session: Session,
    official_ids: Sequence[int],
    *,
    visible: tuple[str, ...],
    scope_start: dt.date,
    four_eyes: bool = False,
) -> ExportBundle:
    """The bundle for ``official_ids`` (in that order), or ExportError if one is missing."""
    if not official_ids:
        raise ExportError("No official to export.")
    officials = _live_officials(session, list(dict.fromkeys(official_ids)))
    choices = selectinload(Dossier.mode_choices).options(
        joinedload(ModeChoice.chosen_by), selectinload(ModeChoice.charged)
    )
    dossiers = {
        d.official_id: d
        for d in session.scalars(
            select(Dossier).where(Dossier.official_id.in_([o.id for o in officials])).options(choices)
        )
    }
    tenures = [t for o in officials for t in o.tenures]
    involvements = [i for o in officials for i in o.involvements if i.decision.deleted_at is None]
    decisions = {i.decision.id: i.decision for i in involvements}
    acts = (
        {
            a.id: a
            for a in session.scalars(
                select(AggressionAct)
                .join(AggressionAct.decisions)
                .where(Decision.id.in_(list(decisions)))
                .options(
                    selectinload(AggressionAct.category_rows),
                    selectinload(AggressionAct.states),
                    selectinload(AggressionAct.assessments),
                )
            ).unique()
        }
        if decisions
        else {}
    )
    assessments = {x.id for a in acts.values() for x in a.assessments}
    supports = _supports_on(
        session, {t.id for t in tenures}, {i.id for i in involvements}, set(decisions), set(acts), assessments
    )
    shown = [s for s in supports if s.evidence.classification in visible]
    hidden = {s.evidence_id for s in supports if s.evidence.classification not in visible}
    evidence = sorted({s.evidence.id: s.evidence for s in shown}.values(), key=lambda e: e.exhibit_no)
    positions = {t.position.id: t.position for t in tenures}
    institutions = {p.institution.id: p.institution for p in positions.values()}
    institutions.update({d.institution.id: d.institution for d in decisions.values()})
    states = {o.state.id: o.state for o in officials}
    states.update({i.state.id: i.state for i in institutions.values()})
    disclosures = disclosures_to_defence(session, [o.id for o in officials], [e.id for e in evidence])
    last_change = _latest(
        [o.updated_at for o in officials]
        + [d.updated_at for d in dossiers.values()]
        + [c.chosen_at for d in dossiers.values() for c in d.mode_choices]
        + [t.updated_at for t in tenures]
        + [i.updated_at for i in involvements]
        + [d.updated_at for d in decisions.values()]
        + [a.updated_at for a in acts.values()]
        + [x.updated_at for a in acts.values() for x in a.assessments]
        + [e.updated_at for e in evidence]
        + [f.created_at for e in evidence for f in e.files]
        + [s.updated_at for s in shown]
        + [d.disclosed_at for found in disclosures.values() for d in found]
    )
    facts = load_many_facts(session, [o.id for o in officials])
    cases = [
        OfficialCase(
            official=o,
            dossier=dossiers.get(o.id),
            tenures=sorted(o.tenures, key=lambda t: (t.start_date, t.id)),
            involvements=sorted(
                (i for i in involvements if i.official_id == o.id),
                key=lambda i: (i.decision.date, i.decision.id, i.role),
            ),
            assessment=assess_dossier(
                facts[o.id], visible=visible, scope_start=scope_start, today=last_change.date(), four_eyes=four_eyes
            ),
        )
        for o in officials
    ]
    return ExportBundle(
        cases=cases,
        decisions=sorted(decisions.values(), key=lambda d: (d.date, d.id)),
        acts=sorted(acts.values(), key=lambda a: (a.start_date, a.id)),
        positions=sorted(positions.values(), key=lambda p: p.id),
        institutions=sorted(institutions.values(), key=lambda i: i.id),
        states=sorted(states.values(), key=lambda s: s.code),
        evidence=evidence,
        supports=shown,
        withheld=len(hidden),
        last_change=last_change,
        scope_start=scope_start,
        visible=visible,
        disclosures=disclosures,
    )


def as_json(bundle: ExportBundle) -> dict[str, Any]:
    """The complete structured case file (``data/dossier.json`` of a bag)."""
    law = texts_in_languages()
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "as_of": bundle.last_change.isoformat(),
        "temporal_scope_start": bundle.scope_start.isoformat(),
        "highest_classification": bundle.highest_classification,
        "withheld_count": bundle.withheld,
        "dossiers": [
            {
                "official": {
                    **record(case.official),
                    "names": [record(n) for n in case.official.names],
                    "identifiers": [record(i) for i in case.official.identifiers],
                },
                "case": case_record(case.dossier),
                "tenures": [record(t) for t in case.tenures],
                "involvements": [record(i) for i in case.involvements],
                "assessment": assessment_record(case.assessment, law, case.charged_modes),
            }
            for case in bundle.cases
        ],
        "states": [record(s) for s in bundle.states],
        "institutions": [record(i) for i in bundle.institutions],
        "positions": [record(p) for p in bundle.positions],
        "decisions": [{**record(d), "act_ids": sorted(a.id for a in d.acts)} for d in bundle.decisions],
        "acts": [
            {
                **record(a),
                "categories": a.categories,
                "state_codes": sorted(s.code for s in a.states),
                "assessments": [record(x) for x in a.assessments],
            }
            for a in bundle.acts
        ],
        "evidence": [
            {**record(e), "files": [record(f) for f in sorted(e.files, key=lambda f: f.id)]} for e in bundle.evidence
        ],
        "supports": [support_record(s) for s in bundle.supports],
    }
