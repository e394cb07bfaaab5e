"""Turning one imported person into records: the official, their names and identifiers, the
sanctions listing as an exhibit, and the tenures and involvements the import rules find.

``Applier`` keeps what it has already looked up (identifiers, positions, rules, listings) so
a file of thousands of rows costs a few queries per row. It only adds: a re-import with
changed data adds the new names, identifiers, tenures and links, and fills what was empty.
Each person it writes gets its ``ImportRecord`` (the row's identity in its source, the
official, the listing, a fingerprint of the row), and ``Changes`` keeps every record it made
for an official, so a confirmed match can be undone (services/imports/review.py).

Names: the form in the script of the official's State (Cyrillic for Russia and Belarus,
Hangul for the DPRK; Belarusian before Russian for Belarus) is the native name; every other
form is kept as an alias with its script and language.

Tenures from a listing say no more than the listing: a post "held" is held from the date of a
decision of its institution the person took part in (else the listing date) to the listing
date, and a "former" post only on such a decision's date (not at all without one): a listing
alone never makes anyone "in office" today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    Decision,
    Evidence,
    ExternalIdentifier,
    ImportRecord,
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
    User,
)
from models.enums import (
    CLASSIFICATIONS,
    IDENTIFIER_SCHEMES,
    INSTITUTION_KINDS,
    NAME_KINDS,
    POSITION_TIERS,
    SCRIPTS,
    TROIKA_KINDS,
)
from services.common.access import visible_classifications
from services.evidence import numbers as exhibit_numbers
from services.evidence.exhibits import EvidenceInput, apply_evidence
from services.imports.parsers.records import ImportedListing, ImportedName, ImportedPerson, tenures_of

# The States whose officials the tribunal's scope reaches, created if an import needs them
OUR_STATES = (
    ("RU", "Russian Federation", "aggressor"),
    ("BY", "Republic of Belarus", "co_aggressor_territory"),
    ("KP", "Democratic People's Republic of Korea", "participant_forces"),
)
# Ids of our own FtM export ("ts-person-12") name a record of the exporting instance only
OWN_EXPORT_ID = re.compile(r"^ts-[a-z]+-\d+")
TITLE_LIMIT = 300
# The scripts of each State's own names, and their languages in order of preference
NATIVE_SCRIPTS = {"RU": (("Cyrl",), ("ru",)), "BY": (("Cyrl",), ("be", "ru")), "KP": (("Hang", "Kore"), ("ko",))}
# Words before a post that say it is no longer held
_FORMER = re.compile(r"\b(?:former|formerly|ex|previously|retired|then)\b")
_CLAUSE_END = re.compile(r"[.;,]|\b(?:now|currently|since|and|who)\b")


@lru_cache(maxsize=8192)  # the same rule patterns, names and posts, row after row
def fold(text: str) -> str:
    """Text compared case- and typography-insensitively: quotes, dashes and spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # every kind of quotation mark reads the same: sources quote ‘thus’, “thus” or 'thus'
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´\u201c\u201d\u201e\u201f\u2033«»\"]", "'", text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def state_code_for(person: ImportedPerson) -> str | None:
    """The person's State: the parsers work it out from nationality and regime (regimes.py)."""
    return person.state_code


def listing_title(person: ImportedPerson) -> str:
    """The listing exhibit's title (also how an exhibit of an import before ImportRecord is
    found, when no record names it yet)."""
    reference = person.source_id or person.record[1]
    return f"Sanctions listing {person.scheme} {reference}: {person.name}"[:TITLE_LIMIT]


def importer_sees(user: User | None) -> tuple[str, ...]:
    """The classifications of exhibits an import or a review by ``user`` may see and touch:
    the user's clearance; all of them for the operator's command line without a user."""
    return visible_classifications(user) if user is not None else CLASSIFICATIONS


def fingerprint(person: ImportedPerson, rules: str = "") -> str:
    """SHA-256 of what the row says (its line in the file aside) and of the import rules in
    force: the same fingerprint on a re-import means nothing to do."""
    data = person_to_json(person)
    data.pop("line", None)
    text = json.dumps([data, rules], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def native_form(person: ImportedPerson, state_code: str | None) -> ImportedName | None:
    """The form of the person's name in their State's script (preferring its languages)."""
    scripts, languages = NATIVE_SCRIPTS.get(state_code or "", ((), ()))
    forms = [n for n in person.names if n.script in scripts and n.kind != "weak_alias"]
    ranked = sorted(forms, key=lambda n: languages.index(n.lang) if n.lang in languages else len(languages))
    return ranked[0] if ranked else None


@dataclass
class Changes:
    created: bool = False
    added: list[str] = field(default_factory=list)  # what was added to an existing official
    records: list[Any] = field(default_factory=list)  # every row written for the official
    filled: dict[str, Any] = field(default_factory=dict)  # official's columns filled: their value before
    listing: Any = None  # the listing exhibit of the row

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added)

    def made(self, record: Any) -> Any:
        self.records.append(record)
        return record


@dataclass(frozen=True)
class Settings:
    reliability: str = "B"  # default Admiralty grade of a sanctions listing
    credibility: str = "2"
    file_label: str = ""  # the file and its hash, named in each listing's provenance
    # A dry run, rolled back at the end: its exhibits get provisional numbers, so that a
    # preview uses up none of the counter's (on PostgreSQL a sequence, which no rollback moves back)
    dry_run: bool = False
    # The classifications of exhibits the importer may see: a listing exhibit classified above
    # them since it was imported is neither changed nor reported, as if it did not exist
    visible: tuple[str, ...] = CLASSIFICATIONS

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        """The listing grade an app is configured with (IMPORT_LISTING_GRADE, e.g. "B2")."""
        grade = str(config.get("IMPORT_LISTING_GRADE", "B2"))
        return cls(reliability=grade[0], credibility=grade[1])


class Applier:
    def __init__(self, session: Session, settings: Settings, *, sources: Iterable[str] | None = None) -> None:
        """``sources``: the sources whose ImportRecords to load (None: every source)."""
        self.session = session
        self.settings = settings
        self.provisional_numbers = 0
        self.supports_made: list[Support] = []  # every link written, for the officials' watchers
        self.states = {s.code: s for s in session.scalars(select(State))}
        for code, name, role in OUR_STATES:
            if code not in self.states:  # an instance that starts from an import
                self.states[code] = State(code=code, name=name, role=role)
                session.add(self.states[code])
        # (scheme, value) -> official id: an identifier is held once
        self.by_identifier: dict[tuple[str, str], int | Official] = {
            (scheme, value): official_id
            for scheme, value, official_id in session.execute(
                select(ExternalIdentifier.scheme, ExternalIdentifier.value, ExternalIdentifier.official_id)
            ).tuples()
        }
        query = select(ImportRecord).options(selectinload(ImportRecord.listing))  # read by every updated row
        if sources is not None:
            query = query.where(ImportRecord.source.in_(list(sources)))
        self.records: dict[tuple[str, str], ImportRecord] = {(r.source, r.key): r for r in session.scalars(query)}
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
        self.rules_digest = rules_digest(rules)
        self.institutions = list(session.scalars(select(Institution).options(joinedload(Institution.state))))
        self.positions: dict[tuple[int, str], Position] = {
            (p.institution_id, fold(p.title)): p for p in session.scalars(select(Position))
        }
        # Listing exhibits of imports before ImportRecord (no record names them), by title,
        # among those the importer may see: an exhibit is found by the row's record otherwise
        claimed = select(ImportRecord.listing_id).where(ImportRecord.listing_id.is_not(None))
        self.unclaimed_listings: dict[str, int] = {
            title: evidence_id
            for evidence_id, title in session.execute(
                select(Evidence.id, Evidence.title).where(
                    Evidence.kind == "sanctions_listing",
                    Evidence.classification.in_(settings.visible),
                    Evidence.id.not_in(claimed),
                )
            ).tuples()
        }
        decision_ids = [r.decision_id for r in self.involvement_rules]
        self.involvements: dict[tuple[int, int, str], Involvement] = {
            (i.official_id, i.decision_id, i.role): i
            for i in session.scalars(select(Involvement).where(Involvement.decision_id.in_(decision_ids)))
        }
        # (exhibit id, target column, target id) of the links listings already make
        self.links: set[tuple[int, str, int]] = set()
        for evidence_id, tenure_id, involvement_id in session.execute(
            select(Support.evidence_id, Support.tenure_id, Support.involvement_id)
            .join(Evidence, Evidence.id == Support.evidence_id)
            .where(Evidence.kind == "sanctions_listing")
        ).tuples():
            if tenure_id is not None:
                self.links.add((evidence_id, "tenure", tenure_id))
            if involvement_id is not None:
                self.links.add((evidence_id, "involvement", involvement_id))
        self.run: Any = None  # the ImportRun the records name, when an import run writes

    # --- finding ---------------------------------------------------------------------------

    def existing(self, person: ImportedPerson) -> Official | None:
        """The official the person's row was imported as, else the one holding one of the
        person's identifiers (live officials only)."""
        record = self.records.get(person.record)
        if record is not None and not record.official.is_deleted:
            return record.official
        for key in ((person.scheme, person.source_id), *person.identifiers):
            holder = self.by_identifier.get(key)
            official = self.session.get(Official, holder) if isinstance(holder, int) else holder
            if official is not None and not official.is_deleted:
                return official
        return None

    # --- writing ---------------------------------------------------------------------------

    def create(self, person: ImportedPerson, state_code: str) -> tuple[Official, Changes]:
        native = native_form(person, state_code)
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
            changes.filled["birth"] = None
            official.birth_date, official.birth_date_precision = person.birth.value, person.birth.precision
            changes.added.append("birth date")
        if official.gender is None and person.gender in ("male", "female"):
            changes.filled["gender"] = None
            official.gender = person.gender
            changes.added.append("gender")
        native = native_form(person, official.state.code) if official.native_name is None else None
        if native is not None:
            changes.filled["native_name"] = None
            official.native_name, official.native_script = native.name[:300], native.script
            changes.added.append(f"native name {native.name}")
        self._complete(official, person, changes)
        return changes

    def record(self, person: ImportedPerson, official: Official, changes: Changes, digest: str) -> ImportRecord:
        """Note (or move) the row's record to ``official``, with the row's fingerprint."""
        source, key = person.record
        record = self.records.get((source, key))
        if record is None:
            record = ImportRecord(source=source[:40], key=key[:200], official=official, fingerprint=digest)
            self.session.add(record)
            self.records[(source, key)] = record
            changes.made(record)
        else:
            record.official, record.fingerprint = official, digest
        record.listing = changes.listing or record.listing
        if self.run is not None:
            record.import_run = self.run
        return record

    def _complete(self, official: Official, person: ImportedPerson, changes: Changes) -> None:
        self._names(official, person, changes)
        self._identifiers(official, person, changes)
        listing = self._listing(person, changes) if person.listing else None
        changes.listing = listing
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
            record = OfficialName(name=name.name[:300], script=name.script, lang=name.lang, kind=kind)
            official.names.append(changes.made(record))
            have.add(key)
            changes.added.append(f"name {name.name}")

    def _identifiers(self, official: Official, person: ImportedPerson, changes: Changes) -> None:
        for scheme, value in ((person.scheme, person.source_id), *person.identifiers):
            key = (scheme, value[:100])
            if scheme not in IDENTIFIER_SCHEMES or not value or key in self.by_identifier or OWN_EXPORT_ID.match(value):
                continue
            official.identifiers.append(changes.made(ExternalIdentifier(scheme=scheme, value=key[1])))
            self.by_identifier[key] = official
            changes.added.append(f"identifier {scheme} {value}")

    def _listing(self, person: ImportedPerson, changes: Changes) -> Evidence:
        listing: ImportedListing = person.listing  # type: ignore[assignment]
        title = listing_title(person)
        record = self.records.get(person.record)
        found = record.listing if record is not None else None
        if found is not None and found.classification not in self.settings.visible:
            found = None  # reclassified above the importer: left alone, and a listing of their own made
        if found is None and title in self.unclaimed_listings:
            found = self.session.get(Evidence, self.unclaimed_listings.pop(title))
        summary = _listing_summary(listing)
        if found is not None:
            if found.summary != summary:
                found.summary = summary  # the listing's text was amended since the last import
                changes.added.append("listing text")
            return found
        changes.added.append("sanctions listing exhibit")
        # Numbered as it is added, like any exhibit: nothing is reserved ahead, so exhibits
        # others create meanwhile cannot clash with the import's
        evidence = Evidence(exhibit_no=self._exhibit_number())
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
        self.session.add(changes.made(evidence))
        return evidence

    def _exhibit_number(self) -> str:
        if not self.settings.dry_run:
            return exhibit_numbers.issue(self.session)
        self.provisional_numbers += 1
        return f"{exhibit_numbers.PREFIX}dry-run-{self.provisional_numbers}"

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
                self.session.add(changes.made(involvement))
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
        for position, former in self._positions_named(list(person.positions), reasons, state_code=state_code):
            if any(t.position_id == position.id and position.id is not None for t in official.tenures):
                continue
            if any(t.position is position for t in official.tenures):
                continue
            period = self._period(position, person, decided_on, former)
            if period is None:
                continue
            tenure = Tenure(official=official, position=position, note=period[2])
            tenure.start, tenure.end = period[0], period[1]
            self.session.add(changes.made(tenure))
            changes.added.append(f"tenure {position.title}")
            if listing is not None:
                self._support(listing, tenure=tenure, pinpoint="Position / statement of reasons", changes=changes)

    def _occupancies(
        self, official: Official, person: ImportedPerson, listing: Evidence | None, changes: Changes
    ) -> None:
        """Posts a FollowTheMoney source states with their dates (Occupancy entities)."""
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
            self.session.add(changes.made(tenure))
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

    def _positions_named(
        self, positions: list[str], reasons: str, *, state_code: str | None
    ) -> list[tuple[Position, bool]]:
        """Posts the person held, each with whether the source says it is a former one:
        those a position rule finds in the position texts or the statement of reasons, else
        a position text naming a known institution in full (which becomes a post of that
        institution)."""
        folded = [fold(t) for t in [*positions, reasons] if t]
        found: dict[int, tuple[Position, bool]] = {}
        for rule in self.position_rules:
            pattern = fold(rule.pattern)
            places = [(text, at) for text in folded for at in _occurrences(text, pattern)]
            if places:
                position: Position = rule.position  # type: ignore[assignment]
                former = all(_former_before(text, at) for text, at in places)
                found[id(position)] = (position, former and found.get(id(position), (position, True))[1])
        if found:
            return list(found.values())
        for text in (fold(t) for t in positions if t):
            for institution in self.institutions:
                if state_code and institution.state.code != state_code:
                    continue
                name = fold(institution.name)
                if len(institution.name) >= 12 and name in text:
                    found[id(institution)] = (self._position(institution, text), _former_before(text, text.index(name)))
        return list(found.values())

    def _position(self, institution: Institution, text: str) -> Position:
        title = text[:1].upper() + text[1:TITLE_LIMIT]
        key = (institution.id, fold(title))
        if key not in self.positions:
            position = Position(institution=institution, title=title, tier="senior")
            self.session.add(position)
            self.positions[key] = position
        return self.positions[key]

    def _period(
        self, position: Position, person: ImportedPerson, decided_on: dict[int, PartialDate], former: bool
    ) -> tuple[PartialDate, PartialDate, str] | None:
        """When the source shows the post held, and no more: from the date of a decision of
        its institution the person took part in (else the listing date) to the listing date;
        a former post only on such a decision's date. None when the source dates nothing."""
        listing_name = person.listing.list_name if person.listing else "the source"
        decided = decided_on.get(position.institution_id) if position.institution_id is not None else None
        listed_on = person.listing.listed_on if person.listing else None
        listed = PartialDate(listed_on, "day") if listed_on else None
        unknown = "when the post began and ended is not known"
        if former:
            if decided is None:
                return None
            return (
                decided,
                decided,
                f"Held on {decided} (took part in a decision of that date; {listing_name} calls it a former "
                f"post); {unknown}.",
            )
        if decided is not None and listed is not None and listed.value >= decided.value:
            return (
                decided,
                listed,
                f"Held on {decided} (took part in a decision of that date) and on {listed} ({listing_name}); "
                f"{unknown}.",
            )
        held = decided or listed
        if held is None:
            return None
        why = "took part in a decision of that date" if decided is not None else listing_name
        return held, held, f"Held on {held} ({why}); {unknown}."

    def _support(self, listing: Evidence, *, changes: Changes, pinpoint: str, **target: Any) -> None:
        ((column, record),) = target.items()
        if record.id is not None and listing.id is not None:
            if (listing.id, column, record.id) in self.links:
                return
            self.links.add((listing.id, column, record.id))
        support = Support(evidence=listing, stance="supports", pinpoint=pinpoint, **{column: record})
        self.supports_made.append(support)
        self.session.add(changes.made(support))


def _occurrences(text: str, pattern: str) -> list[int]:
    places, at = [], text.find(pattern)
    while at >= 0:
        places.append(at)
        at = text.find(pattern, at + 1)
    return places


def _former_before(text: str, at: int) -> bool:
    """Whether the clause before ``at`` says the post is no longer held ("Former Deputy
    Minister", "former member of ...")."""
    clause = _CLAUSE_END.split(text[:at])[-1]
    return bool(_FORMER.search(clause))


def rules_digest(rules: Iterable[ImportRule]) -> str:
    """What the active import rules say, so a change of rules makes every row worth applying again."""
    parts = sorted((r.kind, r.pattern, r.decision_id or 0, r.role or "", r.position_id or 0) for r in rules)
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _listing_summary(listing: ImportedListing) -> str:
    parts = [f"{listing.list_name}."]
    if listing.program:
        parts.append(f"Programme: {listing.program}.")
    if listing.listed_on:
        parts.append(f"Listed on {listing.listed_on.isoformat()}.")
    if listing.reasons:
        parts.append(f"Statement of reasons: {listing.reasons}")
    return " ".join(parts)


def changes_json(changes: Changes) -> dict[str, Any]:
    """What a merge added (flushed: every record has its id), as undoing it needs it."""
    made: dict[str, list[int]] = {}
    for record in changes.records:
        made.setdefault(record.__tablename__, []).append(record.id)
    return {"made": made, "filled": list(changes.filled)}


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
        extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
        record_source=data.get("record_source", ""),
        record_key=data.get("record_key", ""),
    )
