"""Making the exhibits of an intake, one file at a time, each in its own transaction.

Each file goes through what an upload goes through: its bytes are hashed as they are copied
into the store's incoming folder, the exhibit is created under a number the server issues, the
file is attached (custody event "received"), its text extraction is queued, and an audit event
"import" names the intake. Then the transaction commits (``commit``): a file refused at any
step rolls back its own work and leaves nothing behind -- no exhibit without its file, no file
in the store without its record -- and the files before it stay created.

Idempotent: a file whose bytes (SHA-256) an exhibit the person may see already holds is
skipped as "already held as <exhibit>", so running the same intake again creates nothing. An
exhibit the person is not cleared for is not looked at: the answer never depends on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Evidence, EvidenceFile, User
from services.audit import trail as audit
from services.common.access import settable_classifications, visible_classifications
from services.evidence import exhibits
from services.evidence.files import UploadRefused, attach_file, clean_file_name, sniff_media_type
from services.evidence.intake import sidecar as sidecar_csv
from services.evidence.intake.reasons import explain
from services.evidence.intake.sources import Limits, Listing, Member, SizeMismatch, list_intake
from services.evidence.store import CHUNK_SIZE, EvidenceStore, IncomingFile, StoreFull

log = logging.getLogger(__name__)
ARCHIVE_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Defaults:
    """What a file gets when the sidecar says nothing of it."""

    kind: str = "document"
    source: str | None = None  # None: "Bulk intake of <the intake's name>"
    classification: str = "public"
    reliability: str = "F"
    credibility: str = "6"


@dataclass
class Outcome:
    """What became of one file: created (with its exhibit), skipped or refused (with the reason)."""

    name: str
    status: str  # created | skipped | refused
    exhibit_no: str | None = None
    evidence_id: int | None = None
    reason: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return explain(self.reason, self.values) if self.reason else ""


@dataclass
class Report:
    label: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def refused(self) -> bool:
        return self.count("refused") > 0

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "outcomes": [asdict(outcome) for outcome in self.outcomes]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        return cls(str(data.get("label", "")), [Outcome(**outcome) for outcome in data.get("outcomes", [])])


class _Refused(Exception):  # noqa: N818  (an outcome, not an error)
    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason, self.values = reason, values


def read_listing(path: Path, limits: Limits, *, sidecar_path: Path | None = None) -> Listing:
    """The intake at ``path``, with its sidecar from ``sidecar_path`` when given (read whole)."""
    listing = list_intake(path, limits, sidecar_inside=sidecar_path is None)
    if sidecar_path is not None:
        listing.sidecar = sidecar_path.read_bytes()
    return listing


def ingest(
    session: Session,
    store: EvidenceStore,
    listing: Listing,
    user: User,
    *,
    limits: Limits,
    defaults: Defaults,
    commit: Callable[[], None],
    encoding: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Create the exhibits of ``listing`` as ``user``; IntakeRefused when the sidecar cannot be read."""
    today = dt.datetime.now(dt.UTC).date()
    metadata = sidecar_csv.parse(listing.sidecar, encoding=encoding, today=today) if listing.sidecar is not None else {}
    report = Report(listing.label)
    members = listing.members
    names = {member.name for member in members}
    stopped = False
    for done, member in enumerate(members, start=1):
        if stopped:
            report.outcomes.append(Outcome(member.name, "refused", reason="not_tried"))
        else:
            outcome = _one(session, store, listing, member, metadata.get(member.name), user, limits, defaults, commit)
            report.outcomes.append(outcome)
            stopped = outcome.reason == "store_full"
        if progress is not None:
            progress(done, len(members))
    for name, meta in sorted(metadata.items()):
        if name not in names:
            report.outcomes.append(Outcome(name, "refused", reason="missing_file", values={"row": meta.rows[0]}))
    return report


def _one(
    session: Session,
    store: EvidenceStore,
    listing: Listing,
    member: Member,
    meta: sidecar_csv.RowMetadata | None,
    user: User,
    limits: Limits,
    defaults: Defaults,
    commit: Callable[[], None],
) -> Outcome:
    if member.refusal:
        return Outcome(member.name, "refused", reason=member.refusal, values=member.values)
    if member.skip:
        return Outcome(member.name, "skipped", reason=member.skip, values=member.values)
    incoming: IncomingFile | None = None
    try:
        data = _metadata(member, meta, user, defaults, listing.label)
        incoming = _receive(store, member, limits)
        if incoming.size == 0:
            incoming.discard()
            return Outcome(member.name, "skipped", reason="empty")
        held = _held(session, incoming.sha256, user)
        if held is not None:
            incoming.discard()
            return Outcome(member.name, "skipped", reason="held", values={"exhibit": held.exhibit_no})
        if sniff_media_type(incoming.path) in ARCHIVE_TYPES:
            raise _Refused("nested_archive")
        evidence = _create(session, store, data, incoming, member, user, listing.label)
        commit()
    except _Refused as refusal:
        return _undo(session, incoming, Outcome(member.name, "refused", reason=refusal.reason, values=refusal.values))
    except StoreFull:
        return _undo(session, incoming, Outcome(member.name, "refused", reason="store_full"))
    except Exception as error:  # one file's failure is reported; the intake goes on
        log.exception("intake of %s failed", member.name)
        reason = Outcome(member.name, "refused", reason="unexpected", values={"error": type(error).__name__})
        return _undo(session, incoming, reason)
    return Outcome(member.name, "created", exhibit_no=evidence.exhibit_no, evidence_id=evidence.id)


def _undo(session: Session, incoming: IncomingFile | None, outcome: Outcome) -> Outcome:
    session.rollback()
    if incoming is not None:
        incoming.discard()
    return outcome


def _metadata(
    member: Member, meta: sidecar_csv.RowMetadata | None, user: User, defaults: Defaults, label: str
) -> exhibits.EvidenceInput:
    if meta is not None and meta.refusal:
        raise _Refused(meta.refusal, **meta.values)
    base = clean_file_name(member.name)
    if base is None:
        raise _Refused("bad_name")
    classification = (meta.classification if meta else None) or defaults.classification
    if classification not in settable_classifications(user):
        raise _Refused("above_clearance", classification=classification)
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    return exhibits.EvidenceInput(
        title=((meta.title if meta else None) or unicodedata.normalize("NFC", stem))[:300],
        kind=(meta.kind if meta else None) or defaults.kind,
        summary=None,
        source=(meta.source if meta else None) or defaults.source or f"Bulk intake of {label}",
        provenance=f"Bulk intake of {label}: {member.name}"[:5_000],
        url=None,
        collected_by=None,
        collected_on=meta.collected_on if meta else None,
        collection_method=None,
        language=None,
        classification=classification,
        reliability=(meta.reliability if meta else None) or defaults.reliability,
        credibility=(meta.credibility if meta else None) or defaults.credibility,
    )


def _receive(store: EvidenceStore, member: Member, limits: Limits) -> IncomingFile:
    """The member's bytes in the store's incoming folder, hashed on the way, at most the limit."""
    if member.size > limits.max_file_bytes:
        raise _Refused("too_large", limit=limits.max_file_bytes)
    if member.opener is None:  # pragma: no cover - members without an opener are refused or skipped
        raise _Refused("special")
    incoming = store.receive()
    try:
        with member.opener() as handle:
            while chunk := handle.read(CHUNK_SIZE):
                incoming.write(chunk)
                if incoming.size > limits.max_file_bytes:
                    raise _Refused("too_large", limit=limits.max_file_bytes)
        incoming.flush()  # on disk before the media type is read from it
    except SizeMismatch as error:
        incoming.discard()
        raise _Refused("size_mismatch") from error
    except (OSError, EOFError, ValueError, RuntimeError) as error:  # zipfile's BadZipFile is a ValueError
        incoming.discard()
        raise _Refused("damaged", error=str(error)[:200]) from error
    except BaseException:
        incoming.discard()
        raise
    return incoming


def _held(session: Session, sha256: str, user: User) -> Evidence | None:
    """The first live exhibit ``user`` may see that holds these bytes."""
    query = (
        select(Evidence)
        .join(EvidenceFile, EvidenceFile.evidence_id == Evidence.id)
        .where(
            EvidenceFile.sha256 == sha256,
            Evidence.deleted_at.is_(None),
            Evidence.classification.in_(visible_classifications(user)),
        )
        .order_by(Evidence.id)
        .limit(1)
    )
    return session.scalars(query).first()


def _create(
    session: Session,
    store: EvidenceStore,
    data: exhibits.EvidenceInput,
    incoming: IncomingFile,
    member: Member,
    user: User,
    label: str,
) -> Evidence:
    from services.jobs import records as job_records  # noqa: PLC0415  (jobs run the intake too)

    evidence = exhibits.create_evidence(session, data)
    try:
        record = attach_file(
            session, store, evidence, incoming, original_name=member.name, actor=user, purpose=f"Bulk intake of {label}"
        )
    except UploadRefused as refusal:  # pragma: no cover - an empty file was skipped before
        raise _Refused("unexpected", error=str(refusal)) from refusal
    job_records.schedule_extraction(session, record, user)
    audit.record(session, "import", "evidence", evidence.id, intake=label, file=member.name, sha256=record.sha256)
    return evidence
