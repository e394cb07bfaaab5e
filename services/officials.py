"""Queries behind the officials pages: a fixed number of queries per page, whatever the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models import (
    Decision,
    ExternalIdentifier,
    Involvement,
    Official,
    OfficialName,
    PartialDate,
    Position,
    Support,
    Tenure,
)
from models.enums import POSITION_TIERS


def main_tenure(tenures: Iterable[Tenure], today: dt.date) -> Tenure | None:
    """The current tenure of the highest tier, the most recent first on ties."""
    current = [t for t in tenures if t.is_current(today)]
    if not current:
        return None
    return min(current, key=lambda t: (POSITION_TIERS.index(t.position.tier), -t.start_date.toordinal()))


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


# --- adding and editing -------------------------------------------------------------------


@dataclass
class NameRow:
    name: str
    script: str
    lang: str | None
    kind: str


@dataclass
class OfficialInput:
    """What a form says an official should be, already validated field by field."""

    name: str
    native_name: str | None
    native_script: str | None
    state_id: int
    birth: PartialDate | None
    gender: str | None
    notes: str | None
    names: list[NameRow]
    identifiers: list[tuple[str, str]]


def duplicate_problems(data: OfficialInput, official: Official | None) -> dict[str, str]:
    """Field -> message for what would duplicate another official's record."""
    problems: dict[str, str] = {}
    own_id = official.id if official is not None else None
    for scheme, value in data.identifiers:
        owner = db.session.scalar(
            select(Official)
            .join(ExternalIdentifier)
            .where(ExternalIdentifier.scheme == scheme, ExternalIdentifier.value == value)
        )
        if owner is not None and owner.id != own_id:
            problems["identifiers"] = _(
                "The identifier %(scheme)s %(value)s already belongs to %(name)s.",
                scheme=scheme,
                value=value,
                name=owner.name,
            )
    born = Official.birth_date == data.birth.value if data.birth else Official.birth_date.is_(None)
    same = select(Official).where(
        Official.name == data.name, Official.state_id == data.state_id, Official.deleted_at.is_(None), born
    )
    twin = db.session.scalar(same)
    if twin is not None and twin.id != own_id:
        problems["name"] = _("%(name)s, of the same State and date of birth, is already recorded.", name=twin.name)
    seen: set[str] = set()
    for row in data.names:
        if row.name in seen:
            problems["names"] = _("The name %(name)s is listed twice.", name=row.name)
        seen.add(row.name)
    return problems


def apply_official(official: Official, data: OfficialInput) -> None:
    """Write ``data`` onto ``official``, names and identifiers included."""
    official.name = data.name
    official.native_name = data.native_name
    official.native_script = data.native_script
    official.state_id = data.state_id
    official.birth = data.birth
    official.gender = data.gender
    official.notes = data.notes
    _sync_names(official, data.names)
    _sync_identifiers(official, data.identifiers)


def _sync_names(official: Official, rows: list[NameRow]) -> None:
    existing = {n.name: n for n in official.names}
    keep = []
    for row in rows:
        name = existing.pop(row.name, None) or OfficialName(name=row.name)
        name.script, name.lang, name.kind = row.script, row.lang, row.kind
        keep.append(name)
    official.names = keep


def _sync_identifiers(official: Official, pairs: list[tuple[str, str]]) -> None:
    existing = {(i.scheme, i.value): i for i in official.identifiers}
    official.identifiers = [
        existing.get(pair) or ExternalIdentifier(scheme=pair[0], value=pair[1]) for pair in dict.fromkeys(pairs)
    ]
