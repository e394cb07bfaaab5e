"""Import runs: parse a file, decide what each row becomes, write it in one short transaction.

* Three steps. Parse every row and plan it (services/imports/plan.py) reading a snapshot of
  the database, in a read transaction that blocks no writer; then apply the plan in one
  write transaction, which takes seconds (on SQLite the write lock waits for any other
  writer, and nobody waits long for the import). If another writer changed what the plan
  read in between, the plan is made again inside the write transaction.
* Atomic: without ``lenient`` the first malformed row (or a file that is not in the format
  at all) refuses the file; with ``strict`` so does any person not imported. A refused run
  writes nothing but its record. With ``lenient``, malformed rows are skipped and reported.
* Dry run: the same work, then rolled back; the report says what would have happened.
* Repeatable: a row is found again by its identity in its source (``ImportRecord``), and
  a row that says what it said last time is "unchanged" with nothing to do: the same file
  twice changes nothing, alone or between other files, in any order.
* Never merges two people: a row is attached to an existing official only when nothing
  contradicts it (names, birth date); otherwise it is reviewed. Likely and possible
  matches go to the review queue (once per pair; a stored judgement is applied, never asked
  again); with ``accept_certain`` a certain match is merged and recorded as accepted.
The report lists every row that was not simply new or unchanged, with its line and reason,
counts every outcome, and counts rows skipped by design (entities, vessels) and persons not
imported per reason.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import IO, Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import ImportRun, MatchReview, Official, Support, User
from models.base import SQLITE_WRITE_INTENT, utcnow
from services.audit import trail as audit
from services.dossiers import summaries as dossier_summaries
from services.imports.apply import Applier, Changes, Settings, changes_json, importer_sees, person_to_json
from services.imports.parsers.records import FormatError, ImportedPerson, ParsedRow, Rejected, Skipped
from services.imports.plan import (
    ACCEPT,
    ATTACH,
    CREATE,
    QUEUE,
    UNCHANGED,
    UPDATE,
    WAIT,
    Planner,
    Snapshot,
    Step,
    officials_named,
)
from services.search import engine as search
from services.workspace import watches

# skipped: not a person (by design); not_imported: a person who is not for us, with the reason
OUTCOMES = ("new", "updated", "unchanged", "merged", "queued", "skipped", "not_imported", "rejected")
REPORT_LIMIT = 5000  # rows listed in a stored report (the counts always cover all)
# Reasons a person is not imported, without particulars (Skipped.code), in words
REASON_WORDS = {
    "other_state": "nationals of another State",
    "no_state": "no nationality, and no regime against Russia, Belarus or the DPRK",
}


def reason_words(reason: str) -> str:
    return REASON_WORDS.get(reason, reason)


def parser_for(fmt: str) -> Callable[[BinaryIO], Iterator[ParsedRow]]:
    if fmt == "eu-csv":
        from services.imports.parsers.eu_csv import parse_eu_csv

        return parse_eu_csv
    if fmt == "ofac-csv":
        from services.imports.parsers.ofac_csv import parse_ofac_csv

        return parse_ofac_csv
    if fmt == "ftm":
        from services.imports.parsers.ftm import parse_ftm

        return parse_ftm
    raise FormatError(f"Unknown format {fmt!r}: use ftm, eu-csv or ofac-csv.")


class HashingReader:
    """Reads through to the file while hashing what was read."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readline(self, limit: int = -1) -> bytes:
        data = self.stream.readline(limit)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    @property
    def closed(self) -> bool:
        return False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def finish(self) -> str:
        """Hash the rest of the file too (a parser may stop early) and return the hex digest."""
        while self.read(1024 * 1024):
            pass
        return self.digest.hexdigest()


@dataclass
class RowReport:
    line: int
    outcome: str
    reason: str = ""
    official_id: int | None = None
    name: str = ""


@dataclass
class ImportReport:
    fmt: str
    dry_run: bool
    lenient: bool
    strict: bool = False
    accept_certain: bool = False
    status: str = "applied"
    message: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    # skipped (by design) and not_imported (persons): how many rows for each reason
    reasons: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rows: list[RowReport] = field(default_factory=list)
    run_id: int | None = None

    def add(self, row: RowReport, reason_key: str = "") -> None:
        self.counts[row.outcome] += 1
        if row.outcome in ("skipped", "not_imported"):
            self.reasons[row.outcome][reason_key or row.reason] += 1
        if row.outcome not in ("new", "unchanged"):
            self.rows.append(row)

    def finish(self) -> None:
        """Rows in file order, at most REPORT_LIMIT of them."""
        self.rows.sort(key=lambda row: row.line)
        del self.rows[REPORT_LIMIT:]

    @property
    def ok(self) -> bool:
        return self.status != "refused"


class Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Progress:
    """Rows done so far, for a progress display; ``total`` when the size is known."""

    done: int = 0
    bytes_read: int = 0
    total_bytes: int | None = None
    started: float = field(default_factory=time.monotonic)


@contextmanager
def _sqlite_write_intent(value: bool) -> Iterator[None]:
    """Whether a transaction beginning inside the block takes SQLite's write lock at once
    (models/base.py): not while planning (a read that blocks nobody), at once when applying
    (waiting for any other writer, instead of failing when it got in between)."""
    token = SQLITE_WRITE_INTENT.set(value)
    try:
        yield
    finally:
        SQLITE_WRITE_INTENT.reset(token)


def run_import(
    session: Session,
    fmt: str,
    stream: IO[bytes],
    *,
    user: User | None,
    file_name: str | None,
    dry_run: bool = False,
    lenient: bool = False,
    strict: bool = False,
    accept_certain: bool = False,
    settings: Settings | None = None,
    progress: Callable[[Progress], None] | None = None,
    total_bytes: int | None = None,
) -> ImportReport:
    """Import ``stream`` and record the run (flushed, for the caller to commit).

    The import keeps its transactions to itself: it commits what ``session`` holds when it
    starts, reads in a transaction of its own, and writes in a last one that it leaves open
    for the caller to commit."""
    started = utcnow()
    report = ImportReport(fmt, dry_run, lenient, strict, accept_certain)
    reader = HashingReader(stream)
    user_id, actor = (user.id, user.email) if user else (None, "system")
    try:
        parse = parser_for(fmt)
    except FormatError as exc:
        report.status, report.message = "refused", str(exc)
        return _record(session, report, reader, started, file_name, user_id, actor)
    settings = replace(
        settings or Settings(), file_label=file_name or "an uploaded file", dry_run=dry_run, visible=importer_sees(user)
    )
    session.commit()
    persons: list[ImportedPerson] = []
    planner: Planner | None = None
    try:
        with _sqlite_write_intent(False):
            planner = Planner(session, accept_certain=accept_certain)
            _parse(parse(reader), persons, report, progress, reader, total_bytes)  # type: ignore[arg-type]
            planner.plan_all(persons)
        if strict and report.counts["not_imported"]:
            raise Refused(_strictly(report))
    except (FormatError, Refused) as exc:
        report.status, report.message = "refused", getattr(exc, "message", str(exc))
    session.rollback()  # the read transaction: nothing was written
    with _sqlite_write_intent(True):
        if report.status == "refused" or planner is None:
            return _record(session, report, reader, started, file_name, user_id, actor)
        if Snapshot.take(session) != planner.snapshot:  # another writer got in between: plan again
            planner = Planner(session, accept_certain=accept_certain)
            planner.plan_all(persons)
        run = _run(report, file_name, user_id, actor, started)
        nested = session.begin_nested()  # (flushes what is pending: the run goes in after it)
        session.add(run)
        with search.deferred(session), dossier_summaries.deferred(session):
            links = _apply(session, planner.steps, settings, report, run, user_id)
        if dry_run:
            nested.rollback()  # the run's record too: a new one is written below
            report.status = "dry_run"
            return _record(session, report, reader, started, file_name, user_id, actor)
        # Once the officials' summaries are written (a watched search of the dossiers index
        # reads them): one notification per watcher for the whole run
        watches.imported(session, run.id, links)
        nested.commit()
        return _record(session, report, reader, started, file_name, user_id, actor, run)


def _strictly(report: ImportReport) -> str:
    reasons = "; ".join(f"{count} {reason}" for reason, count in report.reasons["not_imported"].most_common())
    return (
        f"{report.counts['not_imported']} person(s) would not be imported ({reasons}) and the import is strict. "
        "Nothing was imported."
    )


def _parse(
    rows: Iterator[ParsedRow],
    persons: list[ImportedPerson],
    report: ImportReport,
    progress: Callable[[Progress], None] | None,
    reader: HashingReader,
    total_bytes: int | None,
) -> None:
    state = Progress(total_bytes=total_bytes)
    for row in rows:
        if isinstance(row, Rejected):
            if not report.lenient:
                raise Refused(f"line {row.line}: {row.reason}. Nothing was imported.")
            report.add(RowReport(row.line, "rejected", row.reason))
        elif isinstance(row, Skipped):
            outcome = "not_imported" if row.person else "skipped"
            report.add(RowReport(row.line, outcome, row.reason, None, row.name), row.count_key)
        else:
            persons.append(row)
        state.done += 1
        state.bytes_read = reader.size
        if progress is not None and state.done % 50 == 0:
            progress(state)
    if progress is not None:
        progress(state)


def _run(report: ImportReport, file_name: str | None, user_id: int | None, actor: str, started: Any) -> ImportRun:
    return ImportRun(
        format=report.fmt,
        file_name=(file_name or "")[:500] or None,
        sha256="0" * 64,  # the file's, once it is read to the end
        size=0,
        user_id=user_id,
        actor_name=actor[:254],
        started_at=started,
        dry_run=report.dry_run,
        lenient=report.lenient,
        strict=report.strict,
        accept_certain=report.accept_certain,
        status="applied",
    )


def _record(
    session: Session,
    report: ImportReport,
    reader: HashingReader,
    started: Any,
    file_name: str | None,
    user_id: int | None,
    actor: str,
    run: ImportRun | None = None,
) -> ImportReport:
    """Write the run's record with its report (flushed), and audit it."""
    report.finish()
    run = run or _run(report, file_name, user_id, actor, started)
    if report.dry_run and report.status == "applied":
        report.status = "dry_run"
    run.sha256 = reader.finish()
    run.size = reader.size
    run.status = report.status
    run.finished_at = max(utcnow(), started)
    run.counts = dict(report.counts)
    run.reasons = {outcome: dict(counts) for outcome, counts in report.reasons.items() if counts}
    run.report = [vars(row) for row in report.rows] + (
        [{"line": 0, "outcome": "refused", "reason": report.message}] if report.message else []
    )
    session.add(run)
    session.flush()
    report.run_id = run.id
    audit.record(session, "import", "import_run", run.id, format=report.fmt, status=report.status, sha256=run.sha256)
    return report


# --- applying the plan ------------------------------------------------------------------------------


def _officials(session: Session, ids: set[int]) -> dict[int, Official]:
    """The officials a plan writes to or reviews against, with what the applier reads of them."""
    found: dict[int, Official] = {}
    ordered = sorted(ids)
    for begin in range(0, len(ordered), 500):
        query = (
            select(Official)
            .where(Official.id.in_(ordered[begin : begin + 500]))
            .options(
                joinedload(Official.state),
                selectinload(Official.names),
                selectinload(Official.identifiers),
                selectinload(Official.tenures),
            )
        )
        found.update((o.id, o) for o in session.scalars(query))
    return found


def _apply(
    session: Session, steps: list[Step], settings: Settings, report: ImportReport, run: ImportRun, user_id: int | None
) -> list[Support]:
    """Write the plan; the links of evidence it made."""
    sources = {step.person.record[0] for step in steps}
    applier = Applier(session, settings, sources=sources)
    applier.run = run
    officials = _officials(session, officials_named(steps))
    created: dict[int, Official] = {}
    named: list[tuple[RowReport, Official]] = []  # rows that learn their official's id at the flush
    accepted: list[tuple[MatchReview, Changes]] = []
    now = utcnow()
    for index, step in enumerate(steps):
        person = step.person
        row = RowReport(person.line, "unchanged", "", step.official_id, person.name)
        if step.action == UNCHANGED:
            pass
        elif step.action in (UPDATE, ATTACH):
            official = created[step.joins] if step.joins is not None else officials[step.official_id]  # type: ignore[index]
            changes = applier.merge(official, person)
            applier.record(person, official, changes, step.fingerprint)
            if step.via == "a confirmed match":
                row.outcome, row.reason = "merged", "a confirmed match"
            elif changes.changed:
                row.outcome, row.reason = "updated", "; ".join(changes.added)
            named.append((row, official))
        elif step.action == CREATE:
            official, changes = applier.create(person, person.state_code)  # type: ignore[arg-type]
            applier.record(person, official, changes, step.fingerprint)
            created[index] = official
            row.outcome = "new"
            named.append((row, official))
        elif step.action == ACCEPT:
            official = officials[step.official_id]  # type: ignore[index]
            changes = applier.merge(official, person)
            applier.record(person, official, changes, step.fingerprint)
            result = next(r for official_id, r in step.candidates if official_id == official.id)
            review = _review(person, official.id, result, None, run)
            review.status, review.automatic = "confirmed", True
            review.decided_by_id, review.decided_at = user_id, now
            session.add(review)
            accepted.append((review, changes))
            row.outcome, row.reason = "merged", f"a certain match ({result.total:.2f}), accepted without review"
            named.append((row, official))
        elif step.action == QUEUE:
            for official_id, result in step.candidates:
                session.add(_review(person, official_id, result, step.conflict, run))
            names = ", ".join(f"{officials[o].name} ({r.total:.2f})" for o, r in step.candidates)
            row.outcome = "queued"
            row.reason = (
                f"conflict: {step.conflict}: waiting for review"
                if step.conflict
                else f"possible match with {names}: waiting for review"
            )
        elif step.action == WAIT:
            row.outcome, row.reason = "queued", step.reason
        report.add(row)
    session.flush()
    for row, official in named:
        row.official_id = official.id
    for review, changes in accepted:
        review.merged = changes_json(changes)
        audit.record(session, "import", "match_review", review.id, decision="confirmed", automatic=True,
                     official_id=review.official_id, added=changes.added)  # fmt: skip
    return applier.supports_made


def _review(person: ImportedPerson, official_id: int, result: Any, conflict: str | None, run: ImportRun) -> MatchReview:
    source, key = person.record
    explanation = result.explanation()
    if conflict:
        explanation["conflict"] = conflict
    return MatchReview(
        import_run=run,
        scheme=source[:40],
        source_id=key[:200],
        person_name=person.name[:300],
        person=person_to_json(person),
        official_id=official_id,
        score=float(result.total),
        explanation=explanation,
        status="pending",
        reason="conflict" if conflict else "match",
    )
