"""Deciding what an import does with each row, before anything is written.

The planner reads a snapshot of the database (the records of earlier imports, identifiers,
every live official as a matching candidate, the reviews) and decides for each parsed row,
writing nothing; services/imports/runs.py then applies the plan in one short write transaction.

What a person becomes, in order:

1. Its row was imported before (``ImportRecord``: the row's identity in its source): the
   same fingerprint is ``unchanged``; otherwise it updates that official, unless the guard
   finds the row contradicts it (names, birth date: matching.contradiction), which is a
   review of the conflict, never a merge.
2. An identifier of the row is held by an official (an older import, the demo data, another
   list naming the same OFAC uid or Wikidata item): the same guard, then that official.
3. A user judged the row before: a confirmed match is that official.
4. Matching against every live official except those another row of the same source
   became (two entries of one list are two designations): "likely" and "possible"
   candidates go to review, or, with ``accept_certain``, a certain one is merged and
   recorded as accepted; no candidate: a new official.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ExternalIdentifier, ImportRecord, ImportRule, MatchReview, Official, OfficialName
from services.imports.apply import fingerprint, rules_digest
from services.imports.matching import CandidateIndex, MatchScore, certain, contradiction, load_candidates, score
from services.imports.parsers.records import ImportedPerson, own_official_id

# Actions of a step
UNCHANGED, UPDATE, ATTACH, CREATE, QUEUE, WAIT, ACCEPT = (
    "unchanged",
    "update",
    "attach",
    "create",
    "queue",
    "wait",
    "accept",
)


@dataclass
class Step:
    """What to do with one person."""

    person: ImportedPerson
    action: str
    fingerprint: str
    official_id: int | None = None  # update, attach, accept: the official
    candidates: list[tuple[int, MatchScore]] = field(default_factory=list)  # queue: officials to review against
    conflict: str | None = None  # queue: why the row cannot simply be that official
    reason: str = ""  # for the report
    via: str = ""  # attach: how the official was found ("identifier ofac_sdn 35096", "a confirmed match")
    joins: int | None = None  # attach to the official an earlier step of this plan creates


@dataclass(frozen=True)
class Snapshot:
    """What the plan depended on: if another writer changed any of it before the plan is
    applied, it is made again."""

    values: tuple[Any, ...]

    @classmethod
    def take(cls, session: Session) -> Snapshot:
        return cls(
            tuple(
                session.execute(
                    select(
                        select(func.max(Official.id)).scalar_subquery(),
                        select(func.max(Official.updated_at)).scalar_subquery(),
                        select(func.max(OfficialName.id)).scalar_subquery(),
                        select(func.max(ExternalIdentifier.id)).scalar_subquery(),
                        select(func.max(ImportRecord.id)).scalar_subquery(),
                        select(func.max(ImportRecord.updated_at)).scalar_subquery(),
                        select(func.max(MatchReview.id)).scalar_subquery(),
                        select(func.max(MatchReview.decided_at)).scalar_subquery(),
                        select(func.max(MatchReview.undone_at)).scalar_subquery(),
                        select(func.max(ImportRule.updated_at)).scalar_subquery(),
                        select(func.count(ImportRule.id)).scalar_subquery(),
                    )
                ).one()
            )
        )


@dataclass
class _Review:
    official_id: int
    status: str


class Planner:
    def __init__(self, session: Session, *, accept_certain: bool = False) -> None:
        self.accept_certain = accept_certain
        self.snapshot = Snapshot.take(session)
        self.index: CandidateIndex = load_candidates(session)
        self.records: dict[tuple[str, str], tuple[int, str]] = {}
        self.holders: dict[str, set[int]] = defaultdict(set)
        live = set(self.index.candidates)
        for source, key, official_id, digest in session.execute(
            select(ImportRecord.source, ImportRecord.key, ImportRecord.official_id, ImportRecord.fingerprint)
        ).tuples():
            if official_id in live:
                self.records[(source, key)] = (official_id, digest)
                self.holders[source].add(official_id)
        self.reviews: dict[tuple[str, str], list[_Review]] = defaultdict(list)
        for scheme, source_id, official_id, status in session.execute(
            select(MatchReview.scheme, MatchReview.source_id, MatchReview.official_id, MatchReview.status)
        ).tuples():
            self.reviews[(scheme, source_id)].append(_Review(official_id, status))
        rules = session.scalars(select(ImportRule).where(ImportRule.active.is_(True)))
        self.rules = rules_digest(rules)
        # identifiers the rows of this plan bring, to the step that creates their official
        self.planned: dict[tuple[str, str], int] = {}
        self.steps: list[Step] = []

    def plan_all(self, persons: list[ImportedPerson]) -> list[Step]:
        """A step for each person, in file order. Rows of one identity (an EU entry under two
        measures) are one person: the first decides, the others follow it, and all share
        one fingerprint, of every row of the identity."""
        digests: dict[tuple[str, str], list[str]] = defaultdict(list)
        for person in persons:
            digests[person.record].append(fingerprint(person, self.rules))
        combined = {
            record: found[0] if len(found) == 1 else hashlib.sha256("".join(sorted(found)).encode()).hexdigest()
            for record, found in digests.items()
        }
        first: dict[tuple[str, str], int] = {}
        for person in persons:
            digest = combined[person.record]
            if person.record in first:
                self.steps.append(self._follow(person, digest, self.steps[first[person.record]], first[person.record]))
                continue
            first[person.record] = len(self.steps)
            step = self._decide(person, digest)
            if step.action == CREATE:
                for identifier in ((person.scheme, person.source_id), *person.identifiers):
                    if identifier[1]:
                        self.planned.setdefault(identifier, len(self.steps))
            self.steps.append(step)
        return self.steps

    @staticmethod
    def _follow(person: ImportedPerson, digest: str, earlier: Step, index: int) -> Step:
        """A further row of an identity an earlier row of the file decided."""
        line = earlier.person.line
        if earlier.action == UNCHANGED:
            return Step(person, UNCHANGED, digest, official_id=earlier.official_id)
        if earlier.action in (QUEUE, WAIT):
            return Step(person, WAIT, digest, reason=f"the same entry as line {line}, which waits for review")
        if earlier.action == CREATE:
            return Step(person, ATTACH, digest, joins=index, via=f"the same entry as line {line}")
        return Step(
            person,
            ATTACH,
            digest,
            official_id=earlier.official_id,
            joins=earlier.joins,
            via=f"the same entry as line {line}",
        )

    # --- the decision ---------------------------------------------------------------------------

    def _decide(self, person: ImportedPerson, digest: str) -> Step:
        record = self.records.get(person.record)
        if record is not None:
            return self._known(person, digest, *record)
        waiting = self._waiting(person)
        if waiting:
            return Step(person, WAIT, digest, reason="still waiting for review from an earlier import")
        found = self._by_identifier(person, digest)
        if found is not None:
            return found
        confirmed = self._confirmed(person)
        if confirmed is not None:
            return Step(person, ATTACH, digest, official_id=confirmed, via="a confirmed match")
        return self._match(person, digest)

    def _known(self, person: ImportedPerson, digest: str, official_id: int, known_digest: str) -> Step:
        if digest == known_digest:
            return Step(person, UNCHANGED, digest, official_id=official_id)
        if self._waiting(person):
            return Step(person, WAIT, digest, reason="still waiting for review from an earlier import")
        conflict = contradiction(person, self.index.candidates[official_id])
        if conflict is not None and not self._judged_same(person, official_id):
            return self._conflict(
                person, digest, official_id, f"the entry was imported as this official, but {conflict}"
            )
        return Step(person, UPDATE, digest, official_id=official_id)

    def _by_identifier(self, person: ImportedPerson, digest: str) -> Step | None:
        for identifier in ((person.scheme, person.source_id), *person.identifiers):
            if not identifier[1]:
                continue
            for official_id in sorted(self.index.by_identifier.get(identifier, ())):
                conflict = contradiction(person, self.index.candidates[official_id])
                text = f"identifier {identifier[0]} {identifier[1]}"
                if conflict is None or self._judged_same(person, official_id):
                    return Step(person, ATTACH, digest, official_id=official_id, via=text)
                return self._conflict(person, digest, official_id, f"{text} is this official's, but {conflict}")
            earlier = self.planned.get(identifier)
            if earlier is not None:
                return Step(person, ATTACH, digest, joins=earlier, via=f"identifier {identifier[0]} {identifier[1]}")
        own = own_official_id(person)
        if own is not None and own in self.index.candidates:
            result = score(person, self.index.candidates[own])
            if result.decision in ("same", "likely"):
                return Step(person, ATTACH, digest, official_id=own, via="our own export")
        return None

    def _match(self, person: ImportedPerson, digest: str) -> Step:
        asked = {r.official_id for r in self._reviews_of(person)}
        exclude = frozenset(self.holders.get(person.record[0], set()))
        queued: list[tuple[int, MatchScore]] = []
        for candidate, result in self.index.matches(person, limit=5, exclude=exclude):
            if result.decision == "same" and contradiction(person, candidate) is None:
                return Step(person, ATTACH, digest, official_id=candidate.id, via="a shared identifier")
            if result.decision in ("likely", "possible") and candidate.id not in asked:
                queued.append((candidate.id, result))
        if not queued:
            return Step(person, CREATE, digest)
        if self.accept_certain:
            sure = [(official_id, result) for official_id, result in queued if certain(result)]
            if len(sure) == 1:  # two certain candidates: a person to look at, not to accept blindly
                return Step(person, ACCEPT, digest, official_id=sure[0][0], candidates=queued)
        return Step(person, QUEUE, digest, candidates=queued)

    def _conflict(self, person: ImportedPerson, digest: str, official_id: int, why: str) -> Step:
        candidate = self.index.candidates[official_id]
        return Step(person, QUEUE, digest, candidates=[(official_id, score(person, candidate))], conflict=why)

    # --- earlier judgements ---------------------------------------------------------------------

    def _reviews_of(self, person: ImportedPerson) -> list[_Review]:
        """Reviews of the row: under its identity, and (before issue 19) under its identifier."""
        return [*self.reviews.get(person.record, []), *self.reviews.get((person.scheme, person.source_id), [])]

    def _waiting(self, person: ImportedPerson) -> bool:
        reviews = self._reviews_of(person)
        return any(r.status == "pending" for r in reviews) and not any(r.status == "confirmed" for r in reviews)

    def _confirmed(self, person: ImportedPerson) -> int | None:
        for review in self._reviews_of(person):
            if review.status == "confirmed" and review.official_id in self.index.candidates:
                return review.official_id
        return None

    def _judged_same(self, person: ImportedPerson, official_id: int) -> bool:
        return any(r.official_id == official_id and r.status == "confirmed" for r in self._reviews_of(person))


def officials_named(steps: Iterable[Step]) -> set[int]:
    """Every existing official a plan writes to or reviews against."""
    ids = {s.official_id for s in steps if s.official_id is not None}
    ids |= {official_id for s in steps for official_id, _score in s.candidates}
    return ids
