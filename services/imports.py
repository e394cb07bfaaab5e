"""Import runs: parse a file, match each person, write everything in one transaction.

* Atomic: the whole import runs in a savepoint. Without ``lenient``, the first malformed row
  (or a file that is not in the format at all) rolls everything back: nothing is written but
  the record of the refused run. With ``lenient``, malformed rows are skipped and reported.
* Dry run: the same work, then rolled back; the report says what would have happened.
* Idempotent: a person already imported is found again by their identifier; the same file
  twice adds nothing, a changed file adds what changed.
* Matching: an identifier already on record merges; otherwise the matcher's "likely" and
  "possible" candidates go to the review queue (once per pair; a stored judgement is applied,
  never asked again); with no candidate a new official is created.
The report lists every row that was not simply new or unchanged, with its line and reason,
and counts every outcome.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ImportRun, MatchReview, Official, User
from models.base import utcnow
from services import audit, dossier_summaries, search
from services.import_apply import Applier, Settings, person_to_json, state_code_for
from services.importers.records import FormatError, ImportedPerson, ParsedRow, Rejected, Skipped

OUTCOMES = ("new", "updated", "unchanged", "merged", "queued", "skipped", "rejected")
REPORT_LIMIT = 5000  # rows listed in a stored report (the counts always cover all)
# New officials are written this many at a time: a flush per person was a third of an import
FLUSH_EVERY = 100


def parser_for(fmt: str) -> Callable[[BinaryIO], Iterator[ParsedRow]]:
    if fmt == "eu-csv":
        from services.importers.eu_csv import parse_eu_csv

        return parse_eu_csv
    if fmt == "ofac-csv":
        from services.importers.ofac_csv import parse_ofac_csv

        return parse_ofac_csv
    if fmt == "ftm":
        from services.importers.ftm import parse_ftm

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
    status: str = "applied"
    message: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    rows: list[RowReport] = field(default_factory=list)
    run_id: int | None = None

    def add(self, row: RowReport) -> None:
        self.counts[row.outcome] += 1
        if row.outcome not in ("new", "unchanged") and len(self.rows) < REPORT_LIMIT:
            self.rows.append(row)

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


def run_import(
    session: Session,
    fmt: str,
    stream: IO[bytes],
    *,
    user: User | None,
    file_name: str | None,
    dry_run: bool = False,
    lenient: bool = False,
    settings: Settings | None = None,
    progress: Callable[[Progress], None] | None = None,
    total_bytes: int | None = None,
) -> ImportReport:
    """Import ``stream`` and record the run (flushed, for the caller to commit)."""
    report = ImportReport(fmt, dry_run, lenient)
    reader = HashingReader(stream)
    try:
        parse = parser_for(fmt)
    except FormatError as exc:
        report.status, report.message = "refused", str(exc)
        return report
    label = file_name or "an uploaded file"
    nested = session.begin_nested()
    try:
        with search.deferred(session), dossier_summaries.deferred(session):
            _import_rows(session, parse(reader), report, label, lenient, settings, progress, reader, total_bytes)  # type: ignore[arg-type]
    except FormatError as exc:
        report.status, report.message = "refused", str(exc)
    except Refused as exc:
        report.status, report.message = "refused", exc.message
    if report.status == "refused" or dry_run:
        nested.rollback()
        if report.status != "refused":
            report.status = "dry_run"
    else:
        nested.commit()
    sha256 = reader.finish()
    run = ImportRun(
        format=fmt,
        file_name=(file_name or "")[:500] or None,
        sha256=sha256,
        size=reader.size,
        user_id=user.id if user else None,
        actor_name=(user.email if user else "system")[:254],
        finished_at=utcnow(),
        dry_run=dry_run,
        lenient=lenient,
        status=report.status,
        counts=dict(report.counts),
        report=[vars(row) for row in report.rows]
        + ([{"line": 0, "outcome": "refused", "reason": report.message}] if report.message else []),
    )
    session.add(run)
    session.flush()
    report.run_id = run.id
    audit.record(session, "import", "import_run", run.id, format=fmt, status=report.status, sha256=sha256)
    return report


def _import_rows(
    session: Session,
    rows: Iterator[ParsedRow],
    report: ImportReport,
    label: str,
    lenient: bool,
    settings: Settings | None,
    progress: Callable[[Progress], None] | None,
    reader: HashingReader,
    total_bytes: int | None,
) -> None:
    applier = Applier(session, replace(settings or Settings(), file_label=label))
    matcher = _Matcher(session)
    state = Progress(total_bytes=total_bytes)
    for row in rows:
        if isinstance(row, Rejected):
            if not lenient:
                raise Refused(f"line {row.line}: {row.reason}. Nothing was imported.")
            report.add(RowReport(row.line, "rejected", row.reason))
        elif isinstance(row, Skipped):
            report.add(RowReport(row.line, "skipped", row.reason))
        else:
            report.add(_import_person(applier, matcher, row))
        state.done += 1
        state.bytes_read = reader.size
        if progress is not None and state.done % 50 == 0:
            progress(state)
    matcher.settle()
    if progress is not None:
        progress(state)


def _import_person(applier: Applier, matcher: _Matcher, person: ImportedPerson) -> RowReport:
    existing = applier.existing(person) or matcher.own(person)
    if existing is not None:
        # the Applier tells known links by id: everything created so far needs its id first
        matcher.settle()
        changes = applier.merge(existing, person)
        matcher.settle()
        outcome = "updated" if changes.changed else "unchanged"
        return RowReport(person.line, outcome, "; ".join(changes.added), existing.id, person.name)
    state_code = state_code_for(person)
    if state_code is None or state_code not in applier.states:
        return RowReport(
            person.line, "skipped", "no State of ours (Russia, Belarus, the DPRK) for this person", None, person.name
        )
    if matcher.waiting(person):
        return RowReport(person.line, "queued", "still waiting for review from an earlier import", None, person.name)
    confirmed, queued = matcher.judge(person)
    if confirmed is not None:
        matcher.settle()
        applier.merge(confirmed, person)
        matcher.settle()
        return RowReport(person.line, "merged", "a confirmed match", confirmed.id, person.name)
    if queued:
        for official, score in queued:
            matcher.queue(person, official, score)
        names = ", ".join(f"{o.name} ({s.total:.2f})" for o, s in queued)
        return RowReport(person.line, "queued", f"possible match with {names}: waiting for review", None, person.name)
    official, _changes = applier.create(person, state_code)
    row = RowReport(person.line, "new", "", None, person.name)
    matcher.add(official, row)
    return row


class _Matcher:
    """Candidates from the matching service, and the judgements users already made.

    New officials are flushed ``FLUSH_EVERY`` at a time. Until then they are in the index
    under a provisional id above every real one, in the order they were created: the database
    gives them ids in that same order, so rankings and ties come out as they will with the real
    ids. ``settle`` flushes them and puts the real ids in the index and the rows' reports;
    anything that needs an official's id (a merge, a review) settles first."""

    PROVISIONAL = 1 << 62  # above any id the database hands out

    def __init__(self, session: Session) -> None:
        from services.matching import load_candidates

        self.session = session
        self.index = load_candidates(session)
        self.pending: dict[int, tuple[Official, RowReport]] = {}  # provisional id -> official, its row
        self.settled: dict[int, int] = {}  # provisional id -> real id, for candidates already ranked
        self.provisional = self.PROVISIONAL
        self.judged: dict[tuple[str, str], list[MatchReview]] = {}
        for review in session.scalars(select(MatchReview)):
            self.judged.setdefault((review.scheme, review.source_id), []).append(review)

    def waiting(self, person: ImportedPerson) -> bool:
        """A match for this person is still waiting for a user's judgement."""
        reviews = self.judged.get((person.scheme, person.source_id), [])
        return any(r.status == "pending" for r in reviews) and not any(r.status == "confirmed" for r in reviews)

    def judge(self, person: ImportedPerson) -> tuple[Official | None, list[tuple[Official, Any]]]:
        """(the official a user confirmed as this person, candidates still to review)."""
        reviews = self.judged.get((person.scheme, person.source_id), [])
        for review in reviews:
            if review.status == "confirmed" and not review.official.is_deleted:
                return review.official, []
        asked = {review.official_id for review in reviews}
        queued = []
        best = self.index.best(person, limit=5)
        if any(c.id >= self.PROVISIONAL and s.decision != "different" for c, s in best):
            self.settle()  # a review or a merge names the official by its id
        for candidate, score in best:
            official_id = self.settled.get(candidate.id, candidate.id)
            if score.decision == "same":
                official = self.session.get(Official, official_id)
                if official is not None and not official.is_deleted:
                    return official, []
            if score.decision in ("likely", "possible") and official_id not in asked:
                official = self.session.get(Official, official_id)
                if official is not None and not official.is_deleted:
                    queued.append((official, score))
        return None, queued

    def queue(self, person: ImportedPerson, official: Official, score: Any) -> None:
        review = MatchReview(
            scheme=person.scheme,
            source_id=person.source_id[:200],
            person_name=person.name[:300],
            person=person_to_json(person),
            official_id=official.id,
            score=float(score.total),
            explanation=score.explanation(),
            status="pending",
        )
        self.session.add(review)
        self.judged.setdefault((person.scheme, person.source_id), []).append(review)

    def own(self, person: ImportedPerson) -> Official | None:
        """The official an FtM line from this instance's own export names (``ts-person-N``),
        when that official is still here and really looks like the same person."""
        from services.importers.ftm import own_official_id
        from services.matching import score

        official_id = own_official_id(person)
        if official_id is not None and official_id not in self.index.candidates:
            self.settle()  # it may be one this import created
        candidate = self.index.candidates.get(official_id) if official_id is not None else None
        if candidate is None or score(person, candidate).decision not in ("same", "likely"):
            return None
        return self.session.get(Official, candidate.id)

    def add(self, official: Official, row: RowReport) -> None:
        """Make an official created by this import findable by the rows after it; ``row``
        gets its id when it is flushed."""
        self.provisional += 1
        self.pending[self.provisional] = (official, row)
        self._index(official, self.provisional)
        if len(self.pending) >= FLUSH_EVERY:
            self.settle()

    def settle(self) -> None:
        """Flush, and replace the provisional ids by the real ones."""
        self.session.flush()
        if not self.pending:
            return
        pending, self.pending = self.pending, {}
        real = {provisional: official.id for provisional, (official, _row) in pending.items()}
        self.index.rekey(real)
        self.settled.update(real)
        for official, row in pending.values():
            row.official_id = official.id

    def _index(self, official: Official, official_id: int) -> None:
        from services.matching import CandidateName, CandidateOfficial

        names = [CandidateName(official.name, "Latn")]
        if official.native_name:
            names.append(CandidateName(official.native_name, official.native_script))
        names += [CandidateName(n.name, n.script, n.kind == "weak_alias") for n in official.names]
        self.index.add(
            CandidateOfficial(
                id=official_id,
                name=official.name,
                names=tuple(names),
                birth=official.birth,
                identifiers=frozenset((i.scheme, i.value) for i in official.identifiers),
                state_code=official.state.code,
                gender=official.gender,
            )
        )
