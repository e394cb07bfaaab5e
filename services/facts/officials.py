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
    State,
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


# --- likely duplicates of an official being added by hand ---------------------------------------

DUPLICATE_SHORTLIST = 30  # officials scored in full, those sharing the most name words
DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class LikelyDuplicate:
    official: Official
    total: float
    decision: str  # matching's: same, likely, possible
    explanation: dict[str, object]


def _name_words(data: OfficialInput) -> set[str]:
    """The words of every name the form gives that are long enough to look up alone: three
    letters, or two Hangul syllables (a Korean given name or surname). A name made only of
    shorter words ("Ri Il", "Li Na") is looked up whole (the search ignores spaces)."""
    texts = [data.name, data.native_name or "", *(row.name for row in data.names)]
    words: set[str] = set()
    for text in texts:
        parts = text.replace(",", " ").split()
        long = {part for part in parts if len(part) >= 3 or all("\uac00" <= c <= "\ud7a3" for c in part)}
        words |= long or ({" ".join(parts)} if parts else set())
    return words


def likely_duplicates(data: OfficialInput, limit: int = DUPLICATES_SHOWN) -> list[LikelyDuplicate]:
    """Live officials who may be the person ``data`` describes, best first, scored as an
    import scores a listed person (services/imports/matching.py: names in every script and
    transliteration, birth date, State, gender, identifiers). The officials scored are those
    the search index finds for the most words of the names: one query per word."""
    from services.imports import matching
    from services.imports.parsers.records import ImportedName, ImportedPerson
    from services.search import engine as search

    session = db.session()
    dialect = session.get_bind().dialect.name
    hits: dict[int, int] = {}
    for word in sorted(_name_words(data)):
        try:
            query = search.parse_query(word)
        except search.QueryError:
            continue
        found = {row.record_id for row in session.execute(search.candidates_query(dialect, "official", query, ()))}
        for official_id in found:
            hits[official_id] = hits.get(official_id, 0) + 1
    if not hits:
        return []
    shortlist = sorted(hits, key=lambda official_id: (-hits[official_id], official_id))[:DUPLICATE_SHORTLIST]
    index = matching.load_candidates(session, shortlist)
    state_code = session.scalar(select(State.code).where(State.id == data.state_id))
    person = ImportedPerson(
        line=0,
        scheme="",
        source_id="",
        name=data.name,
        names=tuple(
            ImportedName(name, script, kind, lang)
            for name, script, kind, lang in [
                *([(data.native_name, data.native_script, "primary", None)] if data.native_name else []),
                *((row.name, row.script, row.kind, row.lang) for row in data.names),
            ]
        ),
        birth=data.birth,
        state_code=state_code,
        gender=data.gender,
        identifiers=tuple(data.identifiers),
    )
    scored = [(candidate, matching.score(person, candidate)) for candidate in index.candidates.values()]
    kept = sorted(
        ((c, s) for c, s in scored if s.decision != "different"), key=lambda pair: (-pair[1].total, pair[0].id)
    )[:limit]
    officials = {o.id: o for o in session.scalars(select(Official).where(Official.id.in_([c.id for c, _s in kept])))}
    return [LikelyDuplicate(officials[c.id], s.total, s.decision, s.explanation()) for c, s in kept]
