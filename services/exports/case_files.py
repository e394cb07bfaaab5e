"""Case-file exports: one entry point for every format, and the record each leaves.

An export holds only what the exporting user may see (services/exports/data.py). Its bytes are
written to ``out`` as they are made and hashed on the way; then the export is recorded
(``Export``), an audit event is written for each dossier, and a custody event "exported", naming
the bundle's hash, for every exhibit included (for a bag, one per file, with the file's hash as
re-verified while it was copied).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import CustodyHead, Evidence, EvidenceFile, Export, Official, User, export_official
from models.base import utcnow
from models.enums import EXPORT_FORMATS
from services.audit import trail as audit
from services.common.access import visible_classifications
from services.evidence import custody
from services.evidence.store import store_for
from services.exports import signing
from services.exports.bag import BagResult, CustodyHeadLine, write_bag
from services.exports.data import ExportBundle, ExportError, as_json, gather

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "bag": "application/zip",
    "ftm": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {"pdf": "pdf", "bag": "zip", "ftm": "ftm.jsonl", "csv": "csv"}


class HashingWriter(io.RawIOBase):
    """Passes bytes on to ``out`` and hashes them; cannot seek, so a zip is written in
    streaming form (the same bytes whether ``out`` is a file, a pipe or a response)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        self.out.write(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.out.flush()


def external_identifier(bundle: ExportBundle) -> str:
    ids = "-".join(str(case.official.id) for case in bundle.cases)
    return f"tribunal-scope:case-file:{ids}:{bundle.last_change.strftime('%Y%m%dT%H%M%SZ')}"


def download_name(record: Export) -> str:
    ids = "-".join(str(o.id) for o in record.officials)
    return f"case-file-{ids}-export-{record.id}.{EXTENSIONS[record.format]}"


def dossier_json_bytes(bundle: ExportBundle) -> bytes:
    return json.dumps(as_json(bundle), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8") + b"\n"


def custody_heads(session: Session, bundle: ExportBundle) -> list[CustodyHeadLine]:
    """Each exhibit's custody chain as it stands: how many events, the hash of the newest."""
    ids = [evidence.id for evidence in bundle.evidence]
    heads = {
        head.evidence_id: head for head in session.scalars(select(CustodyHead).where(CustodyHead.evidence_id.in_(ids)))
    }
    lines = []
    for evidence in bundle.evidence:
        head = heads.get(evidence.id)
        lines.append(
            CustodyHeadLine(evidence.exhibit_no, head.event_count if head else 0, head.head_hash if head else None)
        )
    return lines


def _write(
    fmt: str,
    bundle: ExportBundle,
    writer: HashingWriter,
    config: Mapping[str, Any],
    heads: Sequence[CustodyHeadLine],
) -> BagResult | None:
    # The renderers import WeasyPrint and FollowTheMoney: loaded only when an export runs
    if fmt == "pdf":
        from services.exports.pdf import render_pdf

        writer.write(render_pdf(bundle))
    elif fmt == "bag":
        from services.exports.pdf import render_pdf

        return write_bag(
            bundle,
            cast(BinaryIO, writer),
            pdf=render_pdf(bundle),
            dossier_json=dossier_json_bytes(bundle),
            store=store_for(config),
            key=signing.load_or_create(config["EXPORT_KEY_PATH"]),
            source=config["SOURCE_ORGANIZATION"],
            external_id=external_identifier(bundle),
            bagging_date=utcnow().date(),
            heads=heads,
        )
    elif fmt == "ftm":
        from services.exports.ftm import ftm_lines

        for line in ftm_lines(bundle):
            writer.write(line.encode("utf-8") + b"\n")
    elif fmt == "csv":
        from services.exports.exhibit_list import write_csv

        text = io.TextIOWrapper(cast(BinaryIO, writer), encoding="utf-8", newline="", write_through=True)
        write_csv(bundle, text)
        text.flush()
        text.detach()
    return None


@dataclass
class BuiltCaseFile:
    """A case file as written: its hash and size, what it holds, the clearance it was made at."""

    fmt: str
    sha256: str
    size: int
    highest_classification: str
    withheld: int
    clearance: str
    officials: list[Official]
    # each exhibit it holds with the files whose handing out a custody event names (a bag's
    # files; [None] for a format that holds the exhibit's description only)
    contents: list[tuple[Evidence, list[EvidenceFile | None]]]


Progress = Callable[[int, int], None]


def build_case_file(
    session: Session,
    official_ids: Sequence[int],
    fmt: str,
    user: User,
    out: BinaryIO,
    *,
    config: Mapping[str, Any],
    progress: Progress | None = None,
) -> BuiltCaseFile:
    """Write the case file of ``official_ids`` in ``fmt`` to ``out``, recording nothing.
    ExportError when an official is missing or a file is damaged."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"Unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}.")
    visible = visible_classifications(user)
    bundle = gather(
        session,
        official_ids,
        visible=visible,
        scope_start=config["TEMPORAL_SCOPE_START"],
        four_eyes=bool(config.get("FOUR_EYES_GRADES", False)),
    )
    if progress is not None:
        progress(1, 2)
    writer = HashingWriter(out)
    heads = custody_heads(session, bundle) if fmt == "bag" else []
    bag = _write(fmt, bundle, writer, config, heads)
    writer.flush()
    if progress is not None:
        progress(2, 2)
    contents: list[tuple[Evidence, list[EvidenceFile | None]]] = [
        (evidence, list(evidence.files) if bag is not None and evidence.files else [None])
        for evidence in bundle.evidence
    ]
    return BuiltCaseFile(
        fmt=fmt,
        sha256=writer.digest.hexdigest(),
        size=writer.size,
        highest_classification=bundle.highest_classification,
        withheld=bundle.withheld,
        clearance=visible[-1],
        officials=[case.official for case in bundle.cases],
        contents=contents,
    )


def record_handout(session: Session, built: BuiltCaseFile, user: User, **audited: Any) -> Export:
    """Record that ``user`` was handed the case file: the export, a custody event "exported" for
    each exhibit (each file of a bag) naming the case file's hash, an audit event per dossier
    (flushed, for the caller to commit)."""
    record = Export(
        user=user,
        actor_name=custody.actor_label(user),
        format=built.fmt,
        sha256=built.sha256,
        size=built.size,
        highest_classification=built.highest_classification,
        exhibit_count=len(built.contents),
        withheld_count=built.withheld,
        clearance=built.clearance,
        officials=list(built.officials),
    )
    session.add(record)
    session.flush()
    _record_custody(session, built, record, user)
    for official in built.officials:
        audit.record(
            session,
            "export",
            "official",
            official.id,
            export_id=record.id,
            format=built.fmt,
            sha256=record.sha256,
            **audited,
        )
    return record


def export_case_file(
    session: Session,
    official_ids: Sequence[int],
    fmt: str,
    user: User,
    out: BinaryIO,
    *,
    config: Mapping[str, Any],
) -> Export:
    """Write the case file of ``official_ids`` in ``fmt`` to ``out`` and record it (flushed,
    for the caller to commit). ExportError when an official is missing or a file is damaged."""
    built = build_case_file(session, official_ids, fmt, user, out, config=config)
    return record_handout(session, built, user)


def _record_custody(session: Session, built: BuiltCaseFile, record: Export, user: User) -> None:
    purpose = f"Case-file export #{record.id} ({record.format}), SHA-256 {record.sha256}"
    for evidence, files in built.contents:
        for file in files:
            custody.record_event(
                session,
                evidence,
                custody.EventInput(
                    "exported",
                    to_party=record.actor_name,
                    location=custody.SYSTEM_LOCATION,
                    purpose=purpose,
                    evidence_file=file,
                    verified_sha256=file.sha256 if file is not None else None,
                ),
                user,
            )


def past_exports(session: Session, official_id: int, visible: Sequence[str], limit: int = 50) -> list[Export]:
    """The latest exports that included the official, newest first, as far as a viewer who
    may see ``visible`` may know of them: those made at a clearance theirs covers (their own
    among them, unless their clearance was lowered since). An export made at a higher
    clearance is not even mentioned: its classification, size and exhibit count would say
    what material above the viewer's clearance exists on the official, and how much; so the
    list depends on the viewer's clearance only, like the rest of a dossier page."""
    return list(
        session.scalars(
            select(Export)
            .join(export_official, export_official.c.export_id == Export.id)
            .where(
                export_official.c.official_id == official_id,
                Export.clearance.in_(visible),
            )
            .options(joinedload(Export.user))
            .order_by(Export.created_at.desc(), Export.id.desc())
            .limit(limit)
        )
    )
