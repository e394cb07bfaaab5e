"""Fixity: re-hash every stored file and re-verify every custody chain and the audit trail.

A problem names the exhibits it concerns (all of them: the same bytes may belong to several
exhibits; hidden and deleted exhibits included, since this is an administrator's check).
Each run is recorded (``FixityRun``) so administrators see when the store was last proven
intact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CustodyEvent, CustodyHead, Evidence, EvidenceFile, FixityRun
from models.base import utcnow
from services.audit import chain as audit_chain
from services.common import chain_keys as chains
from services.evidence import custody
from services.evidence.store import EvidenceStore, sha256_of

# An incoming file older than this belongs to no upload still in progress
STALE_UPLOAD = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Problem:
    # missing_file, hash_mismatch, size_mismatch, broken_chain, broken_audit_trail, orphan_file,
    # stray_file, unfinished_upload
    kind: str
    exhibits: tuple[str, ...]
    detail: str

    def line(self) -> str:
        where = ", ".join(self.exhibits) if self.exhibits else "no exhibit"
        return f"{self.kind}: {where}: {self.detail}"


@dataclass
class Report:
    files_checked: int = 0
    bytes_checked: int = 0
    chains_checked: int = 0
    events_checked: int = 0
    audit_events_checked: int = 0
    problems: list[Problem] = field(default_factory=list)


def _files_by_hash(session: Session) -> dict[str, tuple[int, list[str]]]:
    """Each stored hash with its recorded size and the exhibits holding it."""
    rows = session.execute(
        select(EvidenceFile.sha256, EvidenceFile.size, Evidence.exhibit_no)
        .join(Evidence, EvidenceFile.evidence_id == Evidence.id)
        .order_by(EvidenceFile.sha256, Evidence.exhibit_no)
    )
    files: dict[str, tuple[int, list[str]]] = {}
    for sha256, size, exhibit_no in rows:
        files.setdefault(sha256, (size, []))[1].append(exhibit_no)
    return files


def check_files(session: Session, store: EvidenceStore, report: Report, progress: Callable[[str], None]) -> None:
    files = _files_by_hash(session)
    for sha256, (size, exhibits) in files.items():
        names = tuple(exhibits)
        path = store.path_for(sha256)
        if not path.is_file():
            report.problems.append(Problem("missing_file", names, f"file {sha256} is not in the store"))
            continue
        actual, actual_size = sha256_of(path)
        report.files_checked += 1
        report.bytes_checked += actual_size
        if actual != sha256:
            report.problems.append(
                Problem("hash_mismatch", names, f"file {sha256} now hashes to {actual}: its bytes changed")
            )
        elif actual_size != size:
            report.problems.append(
                Problem("size_mismatch", names, f"file {sha256} holds {actual_size} bytes, {size} were recorded")
            )
        progress(sha256)
    for stored in store.stored():
        if not stored.sha256:
            report.problems.append(Problem("stray_file", (), f"{stored.path} is not a file the store wrote"))
        elif stored.sha256 not in files:
            report.problems.append(Problem("orphan_file", (), f"file {stored.sha256} is referenced by no exhibit"))
    for leftover in store.leftovers(STALE_UPLOAD):
        report.problems.append(Problem("unfinished_upload", (), f"{leftover.name} was left by an interrupted upload"))


def check_chains(session: Session, report: Report) -> None:
    key = chains.current_key()
    exhibit_nos = dict(session.execute(select(Evidence.id, Evidence.exhibit_no)).tuples().all())
    heads = {head.evidence_id: head for head in session.scalars(select(CustodyHead))}
    by_item = custody.group_by_item(
        session.scalars(select(CustodyEvent).order_by(CustodyEvent.evidence_id, CustodyEvent.id))
    )
    for evidence_id in sorted(set(by_item) | set(heads)):
        events = by_item.get(evidence_id, [])
        report.chains_checked += 1
        report.events_checked += len(events)
        for problem in custody.verify_chain(events, heads.get(evidence_id), key):
            exhibit = exhibit_nos.get(evidence_id, f"evidence #{evidence_id}")
            report.problems.append(Problem("broken_chain", (exhibit,), f"custody chain: {problem.detail}"))


def check_audit_trail(session: Session, report: Report) -> None:
    verdict = audit_chain.verify(session)
    report.audit_events_checked = verdict.events
    for problem in verdict.problems:
        report.problems.append(Problem("broken_audit_trail", (), f"audit trail: {problem.detail}"))
    if verdict.unlisted:
        detail = f"audit trail: {verdict.unlisted} more problem(s), not listed (is this the instance's chain key?)"
        report.problems.append(Problem("broken_audit_trail", (), detail))


def run_fixity(
    session: Session, store: EvidenceStore, *, run_by: str, progress: Callable[[str], None] = lambda _sha: None
) -> FixityRun:
    """Check everything and record the run (flushed, for the caller to commit)."""
    started = utcnow()
    report = Report()
    check_files(session, store, report, progress)
    check_chains(session, report)
    check_audit_trail(session, report)
    run = FixityRun(
        started_at=started,
        finished_at=utcnow(),
        files_checked=report.files_checked,
        bytes_checked=report.bytes_checked,
        chains_checked=report.chains_checked,
        events_checked=report.events_checked,
        audit_events_checked=report.audit_events_checked,
        problem_count=len(report.problems),
        problems=[{**asdict(p), "exhibits": list(p.exhibits)} for p in report.problems],
        run_by=run_by,
    )
    session.add(run)
    session.flush()
    return run


def last_run(session: Session) -> FixityRun | None:
    query = select(FixityRun).order_by(FixityRun.started_at.desc(), FixityRun.id.desc()).limit(1)
    return session.scalars(query).first()


def problem_lines(run: FixityRun) -> list[str]:
    return [Problem(p["kind"], tuple(p["exhibits"]), p["detail"]).line() for p in run.problems]
