"""Turning one imported person into records: the official, their names and identifiers, the
sanctions listing as an exhibit, and the tenures and involvements the import rules find.

``Applier`` keeps what it has already looked up (identifiers, positions, rules, listings) so
a file of thousands of rows costs a few queries per row. It only adds: a re-import with
changed data adds the new names, identifiers, tenures and links, and fills what was empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import (
    Decision,
    Evidence,
    ExternalIdentifier,
    ImportRule,
    Institution,
    Involvement,
    Official,
    OfficialName,
    PartialDate,
    Position,
    State,
    Support,
    Tenure,
)
from models.enums import IDENTIFIER_SCHEMES, INSTITUTION_KINDS, NAME_KINDS, POSITION_TIERS, SCRIPTS, TROIKA_KINDS
from services.evidence import EXHIBIT_PREFIX, EvidenceInput, apply_evidence, next_exhibit_no
from services.importers.records import ImportedListing, ImportedName, ImportedPerson

# A program tag says which State's officials a list targets, when the row does not
# The States whose officials the tribunal's scope reaches, created if an import needs them
OUR_STATES = (
    ("RU", "Russian Federation", "aggressor"),
    ("BY", "Republic of Belarus", "co_aggressor_territory"),
    ("KP", "Democratic People's Republic of Korea", "participant_forces"),
)
# Ids of our own FtM export ("ts-person-12") name a record of the exporting instance only
OWN_EXPORT_ID = re.compile(r"^ts-[a-z]+-\d+")
PROGRAM_STATES = (("BELARUS", "BY"), ("DPRK", "KP"), ("NK", "KP"), ("KOREA", "KP"), ("UKR", "RU"), ("RUSSIA", "RU"))
TITLE_LIMIT = 300


def fold(text: str) -> str:
    """Text compared case- and typography-insensitively: quotes, dashes and spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # every kind of quotation mark reads the same: sources quote ‘thus’, “thus” or 'thus'
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´\u201c\u201d\u201e\u201f\u2033«»\"]", "'", text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def state_code_for(person: ImportedPerson) -> str | None:
    if person.state_code:
        return person.state_code
    program = (person.listing.program or "").upper() if person.listing else ""
    for tag, code in PROGRAM_STATES:
        if tag in program:
            return code
    return None


def listing_title(person: ImportedPerson) -> str:
    """The listing exhibit's title, which also finds it again on a re-import."""
    return f"Sanctions listing {person.scheme} {person.source_id}: {person.name}"[:TITLE_LIMIT]


@dataclass
class Changes:
    created: bool = False
    added: list[str] = field(default_factory=list)  # what was added to an existing official

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added)


@dataclass(frozen=True)
class Settings:
    reliability: str = "B"  # default Admiralty grade of a sanctions listing
    credibility: str = "2"
    file_label: str = ""  # the file and its hash, named in each listing's provenance

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        """The listing grade an app is configured with (IMPORT_LISTING_GRADE, e.g. "B2")."""
        grade = str(config.get("IMPORT_LISTING_GRADE", "B2"))
        return cls(reliability=grade[0], credibility=grade[1])


class Applier:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.states = {s.code: s for s in session.scalars(select(State))}
        for code, name, role in OUR_STATES:
            if code not in self.states:  # an instance that starts from an import
                self.states[code] = State(code=code, name=name, role=role)
                session.add(self.states[code])
        self.by_identifier: dict[tuple[str, str], Official] = {
            (i.scheme, i.value): i.official
            for i in session.scalars(select(ExternalIdentifier).options(joinedload(ExternalIdentifier.official)))
        }
        rules = list(
            session.scalars(
                select(ImportRule)
                .where(ImportRule.active.is_(True))
                .options(
                    joinedload(ImportRule.decision), joinedload(ImportRule.position).joinedload(Position.institution)
                )
                .order_by(ImportRule.id)
            )
        )
        self.involvement_rules = [
            r for r in rules if r.kind == "involvement" and r.decision and not r.decision.is_deleted
        ]
        self.position_rules = [r for r in rules if r.kind == "position" and r.position]
        self.institutions = list(session.scalars(select(Institution).options(joinedload(Institution.state))))
        self.positions: dict[tuple[int, str], Position] = {
            (p.institution_id, fold(p.title)): p for p in session.scalars(select(Position))
        }
        listings = session.scalars(select(Evidence).where(Evidence.kind == "sanctions_listing"))
        self.listings: dict[str, Evidence] = {e.title: e for e in listings}
        decision_ids = [r.decision_id for r in self.involvement_rules]
        self.involvements: dict[tuple[int, int, str], Involvement] = {
            (i.official_id, i.decision_id, i.role): i
            for i in session.scalars(select(Involvement).where(Involvement.decision_id.in_(decision_ids)))
        }
        # (exhibit id, target column, target id) of the links listings already make
        self.links: set[tuple[int, str, int]] = set()
        for support in session.scalars(
            select(Support)
            .join(Evidence, Evidence.id == Support.evidence_id)
            .where(Evidence.kind == "sanctions_listing")
        ):
            self.links.add((support.evidence_id, support.target_type, support.target_id))
        self.next_exhibit = int(next_exhibit_no(session).removeprefix(EXHIBIT_PREFIX))

    # --- finding ---------------------------------------------------------------------------

    def existing(self, person: ImportedPerson) -> Official | None:
        """The official already holding one of the person's identifiers."""
        for key in ((person.scheme, person.source_id), *person.identifiers):
            official = self.by_identifier.get(key)
            if official is not None and not official.is_deleted:
                return official
        return None

    # --- writing ---------------------------------------------------------------------------

    def create(self, person: ImportedPerson, state_code: str) -> tuple[Official, Changes]:
        native = next((n for n in person.names if n.script in ("Cyrl", "Hang", "Kore", "Hani")), None)
        official = Official(
            name=person.name[:300],
            native_name=native.name[:300] if native else None,
            native_script=native.script if native else None,
            state=self.states[state_code],
            gender=person.gender if person.gender in ("male", "female") else None,
        )
        if person.birth is not None:
            official.birth_date, official.birth_date_precision = person.birth.value, person.birth.precision
        self.session.add(official)
        changes = Changes(created=True)
        self._complete(official, person, changes)
        return official, changes

    def merge(self, official: Official, person: ImportedPerson) -> Changes:
        changes = Changes()
        if official.birth_date is None and person.birth is not None:
            official.birth_date, official.birth_date_precision = person.birth.value, person.birth.precision
            changes.added.append("birth date")
        if official.gender is None and person.gender in ("male", "female"):
            official.gender = person.gender
            changes.added.append("gender")
        self._complete(official, person, changes)
        return changes

    def _complete(self, official: Official, person: ImportedPerson, changes: Changes) -> None:
        self._names(official, person, changes)
        self._identifiers(official, person, changes)
        listing = self._listing(person, changes) if person.listing else None
        decided_on = self._involvements(official, person, listing, changes)
        self._tenures(official, person, listing, decided_on, changes)
        self._occupancies(official, person, listing, changes)

    def _names(self, official: Official, person: ImportedPerson, changes: Changes) -> None:
        have = {fold(official.name), *(fold(n.name) for n in official.names)}
        if official.native_name:
            have.add(fold(official.native_name))
        wanted: Iterable[ImportedName] = (
            [ImportedName(person.name, "Latn", "transliteration")] if fold(person.name) not in have else []
        )
        for name in [*wanted, *person.names]:
            key = fold(name.name)
            if key in have or name.script not in SCRIPTS or not name.name.strip():
                continue
            kind = name.kind if name.kind in NAME_KINDS else "alias"
            official.names.append(OfficialName(name=name.name[:300], script=name.script, lang=name.lang, kind=kind))
            have.add(key)
            changes.added.append(f"name {name.name}")

    def _identifiers(self, official: Official, person: ImportedPerson, changes: Changes) -> None:
        for scheme, value in ((person.scheme, person.source_id), *person.identifiers):
            key = (scheme, value[:100])
            if scheme not in IDENTIFIER_SCHEMES or key in self.by_identifier or OWN_EXPORT_ID.match(value):
                continue
            official.identifiers.append(ExternalIdentifier(scheme=scheme, value=key[1]))
            self.by_identifier[key] = official
            changes.added.append(f"identifier {scheme} {value}")

    def _listing(self, person: ImportedPerson, changes: Changes) -> Evidence:
        listing: ImportedListing = person.listing  # type: ignore[assignment]
        title = listing_title(person)
        found = self.listings.get(title)
        summary = _listing_summary(listing)
        if found is not None:
            if found.summary != summary:
                found.summary = summary  # the listing's text was amended since the last import
                changes.added.append("listing text")
            return found
        changes.added.append("sanctions listing exhibit")
        # Numbered in sequence from the highest number issued (the whole import is one
        # transaction: a concurrent save taking a number makes it fail and roll back whole)
        evidence = Evidence(exhibit_no=f"{EXHIBIT_PREFIX}{self.next_exhibit:04d}")
        self.next_exhibit += 1
        apply_evidence(
            evidence,
            EvidenceInput(
                title=title,
                kind="sanctions_listing",
                summary=summary,
                source=f"{listing.list_name}" + (f" (programme {listing.program})" if listing.program else ""),
                provenance=f"Imported from {self.settings.file_label}, line {person.line}".strip(),
                url=listing.source_url,
                collected_by=None,
                collected_on=listing.listed_on,
                collection_method="Import of the published sanctions list",
                language="en",
                classification="public",
                reliability=self.settings.reliability,
                credibility=self.settings.credibility,
            ),
        )
        self.session.add(evidence)
        self.listings[title] = evidence
        return evidence

    def _involvements(
        self, official: Official, person: ImportedPerson, listing: Evidence | None, changes: Changes
    ) -> dict[int, PartialDate]:
        """Links the rules find in the statement of reasons; returns the institutions whose
        decision the person took part in, with the decision's date (proof of membership)."""
        reasons = fold(person.listing.reasons or "") if person.listing else ""
        decided_on: dict[int, PartialDate] = {}
        for rule in self.involvement_rules:
            if not reasons or fold(rule.pattern) not in reasons:
                continue
            decision: Decision = rule.decision  # type: ignore[assignment]
            decided_on[decision.institution_id] = decision.when
            involvement = self._involvement(official, decision, rule.role or "")
            if involvement is None:
                involvement = Involvement(official=official, decision=decision, role=rule.role, status="alleged")
                self.session.add(involvement)
                if official.id is not None:
                    self.involvements[(official.id, decision.id, rule.role or "")] = involvement
                changes.added.append(f"involvement {rule.role} in {decision.title}")
            if listing is not None:
                self._support(listing, involvement=involvement, pinpoint="Statement of reasons", changes=changes)
        return decided_on

    def _involvement(self, official: Official, decision: Decision, role: str) -> Involvement | None:
        return self.involvements.get((official.id, decision.id, role)) if official.id is not None else None

    def _tenures(
        self,
        official: Official,
        person: ImportedPerson,
        listing: Evidence | None,
        decided_on: dict[int, PartialDate],
        changes: Changes,
    ) -> None:
        reasons = person.listing.reasons if person.listing and person.listing.reasons else ""
        state_code = official.state.code if official.state else None
        for position in self._positions_named(list(person.positions), reasons, state_code=state_code):
            if any(t.position_id == position.id and position.id is not None for t in official.tenures):
                continue
            if any(t.position is position for t in official.tenures):
                continue
            start, note = self._start(position, person, decided_on)
            if start is None:
                continue
            tenure = Tenure(official=official, position=position, note=note)
            tenure.start = start
            self.session.add(tenure)
            changes.added.append(f"tenure {position.title}")
            if listing is not None:
                self._support(listing, tenure=tenure, pinpoint="Position / statement of reasons", changes=changes)

    def _occupancies(
        self, official: Official, person: ImportedPerson, listing: Evidence | None, changes: Changes
    ) -> None:
        """Posts a FollowTheMoney source states with their dates (Occupancy entities)."""
        from services.importers.ftm import tenures_of

        for held in tenures_of(person):
            if held.start is None:
                continue  # a tenure needs at least its start; the post stays in the position texts
            institution = self._institution(held.institution_name or held.position_title, held, official)
            key = (institution.id, fold(held.position_title)) if institution.id else None
            position = self.positions.get(key) if key else None
            if position is None:
                position = Position(
                    institution=institution,
                    title=held.position_title[:TITLE_LIMIT],
                    tier=held.tier if held.tier in POSITION_TIERS else "senior",
                    troika=held.troika if held.troika in TROIKA_KINDS else None,
                )
                self.session.add(position)
                self.session.flush()
                self.positions[(institution.id, fold(position.title))] = position
            if any(t.position_id == position.id and t.start == held.start for t in official.tenures):
                continue
            tenure = Tenure(official=official, position=position, note=held.note)
            tenure.start, tenure.end = held.start, held.end
            self.session.add(tenure)
            changes.added.append(f"tenure {position.title}")
            if listing is not None:
                self._support(listing, tenure=tenure, pinpoint="Occupancy", changes=changes)

    def _institution(self, name: str, held: Any, official: Official) -> Institution:
        state = self.states.get(held.country or "") or official.state
        for institution in self.institutions:
            if fold(institution.name) == fold(name) and institution.state_id == state.id:
                return institution
        institution = Institution(
            name=name[:300],
            state=state,
            kind=held.institution_kind if held.institution_kind in INSTITUTION_KINDS else "other",
        )
        self.session.add(institution)
        self.session.flush()
        self.institutions.append(institution)
        return institution

    def _positions_named(self, positions: list[str], reasons: str, *, state_code: str | None) -> list[Position]:
        """Posts the person held: those a position rule finds in the position texts or the
        statement of reasons, else a position text naming a known institution in full (which
        becomes a post of that institution)."""
        folded = [fold(t) for t in [*positions, reasons] if t]
        found: dict[int, Position] = {}
        for rule in self.position_rules:
            if any(fold(rule.pattern) in text for text in folded):
                position: Position = rule.position  # type: ignore[assignment]
                found[id(position)] = position
        if found:
            return list(found.values())
        for text in (fold(t) for t in positions if t):
            for institution in self.institutions:
                if state_code and institution.state.code != state_code:
                    continue
                if len(institution.name) >= 12 and fold(institution.name) in text:
                    found[id(institution)] = self._position(institution, text)
        return list(found.values())

    def _position(self, institution: Institution, text: str) -> Position:
        title = text[:1].upper() + text[1:TITLE_LIMIT]
        key = (institution.id, fold(title))
        if key not in self.positions:
            position = Position(institution=institution, title=title, tier="senior")
            self.session.add(position)
            self.positions[key] = position
        return self.positions[key]

    def _start(
        self, position: Position, person: ImportedPerson, decided_on: dict[int, PartialDate]
    ) -> tuple[PartialDate | None, str]:
        """When the tenure certainly ran: the date of a decision of the institution the person
        took part in, else the listing date. The true start is not known."""
        listing_name = person.listing.list_name if person.listing else "the source"
        if position.institution_id in decided_on:
            when = decided_on[position.institution_id]
            return when, f"Start not known: held on {when} (took part in a decision of that date; {listing_name})."
        if person.listing and person.listing.listed_on:
            day = person.listing.listed_on
            return PartialDate(day, "day"), f"Start not known: held on {day.isoformat()} according to {listing_name}."
        return None, ""

    def _support(self, listing: Evidence, *, changes: Changes, pinpoint: str, **target: Any) -> None:
        ((column, record),) = target.items()
        if record.id is not None and listing.id is not None:
            if (listing.id, column, record.id) in self.links:
                return
            self.links.add((listing.id, column, record.id))
        self.session.add(Support(evidence=listing, stance="supports", pinpoint=pinpoint, **{column: record}))


def _listing_summary(listing: ImportedListing) -> str:
    parts = [f"{listing.list_name}."]
    if listing.program:
        parts.append(f"Programme: {listing.program}.")
    if listing.listed_on:
        parts.append(f"Listed on {listing.listed_on.isoformat()}.")
    if listing.reasons:
        parts.append(f"Statement of reasons: {listing.reasons}")
    return " ".join(parts)


# --- the record as JSON, for the review queue ----------------------------------------------


def person_to_json(person: ImportedPerson) -> dict[str, Any]:
    data = dataclasses.asdict(person)
    data["birth"] = (
        {"value": person.birth.value.isoformat(), "precision": person.birth.precision} if person.birth else None
    )
    if person.listing and person.listing.listed_on:
        data["listing"]["listed_on"] = person.listing.listed_on.isoformat()
    return data


def person_from_json(data: dict[str, Any]) -> ImportedPerson:
    listing = data.get("listing")
    birth = data.get("birth")
    listed_on = dt.date.fromisoformat(listing["listed_on"]) if listing and listing.get("listed_on") else None
    return ImportedPerson(
        line=data["line"],
        scheme=data["scheme"],
        source_id=data["source_id"],
        name=data["name"],
        names=tuple(ImportedName(**n) for n in data.get("names", ())),
        birth=PartialDate(dt.date.fromisoformat(birth["value"]), birth["precision"]) if birth else None,
        state_code=data.get("state_code"),
        gender=data.get("gender"),
        positions=tuple(data.get("positions", ())),
        identifiers=tuple((str(i[0]), str(i[1])) for i in data.get("identifiers", ())),
        listing=ImportedListing(**{**listing, "listed_on": listed_on}) if listing else None,
    )
