"""Files of an exhibit: intake, derivatives and downloads, each leaving a custody event.

Intake hashes the bytes as they arrive (see services/evidence/store.py), sniffs their media type
from the content (libmagic), and links them to the exhibit. The name a client sends is kept
as metadata only, cleaned of path parts and invisible control characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import magic
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Evidence, EvidenceFile, User
from services.evidence import custody
from services.evidence.store import EvidenceStore, IncomingFile, promote_on_commit, sha256_of

NAME_LIMIT = 255
# Characters that change how a name displays without being visible: bidirectional
# overrides and isolates (a "right-to-left override" can make exe.pdf look like fdp.exe)
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF)}


class UploadRefused(ValueError):
    """An upload that cannot be accepted; the message says why, for the person uploading."""


def clean_file_name(name: str | None) -> str | None:
    """The client's file name as safe metadata: the last path part only (``/`` and ``\\``
    both separate), no control or direction-changing characters, at most 255 characters.
    None when nothing printable is left."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _INVISIBLE and unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    return name[:NAME_LIMIT] or None


def sniff_media_type(path: Path) -> str:
    """The media type read from the content itself, never from the name or the client."""
    try:
        media_type = magic.from_file(str(path), mime=True)
    except magic.MagicException:  # pragma: no cover - libmagic could not read the file
        media_type = ""
    return media_type or "application/octet-stream"


@dataclass(frozen=True)
class Derivation:
    """How a derivative was made from its parent file."""

    parent: EvidenceFile
    kind: str  # models.enums.DERIVATION_KINDS
    note: str


def attach_file(
    session: Session,
    store: EvidenceStore,
    evidence: Evidence,
    incoming: IncomingFile,
    *,
    original_name: str | None,
    actor: User | None,
    derivation: Derivation | None = None,
    purpose: str | None = None,
) -> EvidenceFile:
    """Link received bytes to the exhibit and record that the store received them.

    The bytes move into the store when the transaction commits (see services/evidence/store.py);
    a refusal raises UploadRefused and the caller discards the upload."""
    name = clean_file_name(original_name)
    if incoming.size == 0:
        raise UploadRefused(_("%(name)s is empty: there is nothing to store.", name=name or _("The file")))
    sha256 = incoming.sha256
    duplicate = session.scalars(
        select(EvidenceFile).where(EvidenceFile.evidence_id == evidence.id, EvidenceFile.sha256 == sha256)
    ).first()
    if duplicate is not None:
        raise UploadRefused(
            _(
                "%(name)s is already attached to this exhibit (as %(existing)s, SHA-256 %(sha)s).",
                name=name or _("The file"),
                existing=duplicate.original_name or _("file #%(id)d", id=duplicate.id),
                sha=sha256,
            )
        )
    if derivation is not None and derivation.parent.evidence_id != evidence.id:
        raise UploadRefused(_("A derivative must be made from a file of the same exhibit."))
    store.stage(incoming)
    record = EvidenceFile(
        evidence=evidence,
        sha256=sha256,
        size=incoming.size,
        media_type=sniff_media_type(incoming.path),
        original_name=name,
        parent=derivation.parent if derivation else None,
        derivation=derivation.kind if derivation else None,
        derivation_note=derivation.note if derivation else None,
        uploaded_by=actor,
    )
    session.add(record)
    session.flush()
    if derivation is not None:
        why = _(
            "Derivative (%(kind)s) of file %(parent)s: %(note)s",
            kind=derivation.kind,
            parent=derivation.parent.sha256,
            note=derivation.note,
        )
        purpose = f"{purpose}. {why}" if purpose else why
    custody.record_event(
        session,
        evidence,
        custody.EventInput(
            event_type="received",
            location=custody.SYSTEM_LOCATION,
            purpose=purpose or _("Uploaded"),
            evidence_file=record,
            verified_sha256=sha256,
        ),
        actor,
    )
    promote_on_commit(session, store, incoming)
    return record


class IntegrityFailure(RuntimeError):
    """Stored bytes that no longer match their recorded hash, or are missing."""


def verify_stored(store: EvidenceStore, file: EvidenceFile) -> str:
    """Re-hash the stored bytes of ``file``; their hash, or IntegrityFailure."""
    path = store.path_for(file.sha256)
    if not path.is_file():
        raise IntegrityFailure(_("The stored file is missing from the evidence store."))
    sha256, _size = sha256_of(path)
    if sha256 != file.sha256:
        raise IntegrityFailure(_("The stored file no longer matches the hash recorded when it was received."))
    return sha256


def record_download(
    session: Session, store: EvidenceStore, file: EvidenceFile, actor: User | None, *, purpose: str | None = None
) -> Path:
    """Verify the file, record the download in its exhibit's chain, and return where the
    bytes are. A file that fails verification is not handed out."""
    verified = verify_stored(store, file)
    custody.record_event(
        session,
        file.evidence,
        custody.EventInput(
            event_type="downloaded",
            location=custody.SYSTEM_LOCATION,
            purpose=purpose or _("Downloaded through the web interface"),
            evidence_file=file,
            verified_sha256=verified,
        ),
        actor,
    )
    return store.path_for(file.sha256)


def download_name(file: EvidenceFile) -> str:
    """The name a download is offered under: the cleaned original name, or one made from
    the exhibit number and the hash."""
    return file.original_name or f"{file.evidence.exhibit_no}-{file.sha256[:12]}"


def get_visible_file(session: Session, file_id: int, visible: tuple[str, ...]) -> EvidenceFile | None:
    """The file, or None when it is missing or its exhibit is hidden from the viewer or deleted."""
    file = session.get(EvidenceFile, file_id)
    if file is None or file.evidence.classification not in visible or file.evidence.is_deleted:
        return None
    return file
