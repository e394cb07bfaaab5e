"""Recording a file's text as a derivative of it.

The pages become one JSON document (``FORMAT``: the source's SHA-256, the tool, and per page its
number, text, method and language), stored in the evidence store under its own SHA-256 as a
file of the exhibit whose parent is the original; its rows in ``text_page`` are what a
full-text index reads. Two custody events record it: the derivative's receipt (as every file's)
and, on the original, the analysis that produced it, naming the tool and its version. The
original is only read. Attachments of an e-mail become files of the exhibit too, children of
the message, each to have its own text extracted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import EvidenceFile, TextExtraction, TextPage, User
from services.evidence import custody
from services.evidence.files import Derivation, UploadRefused, attach_file, verify_stored
from services.evidence.store import EvidenceStore
from services.evidence.text import readers
from services.evidence.text.language import detect_language

FORMAT = "tribunal-scope/text-pages"
FORMAT_VERSION = 1


@dataclass
class Outcome:
    """What one extraction made: the record (new or found), and the attachments it added."""

    extraction: TextExtraction
    created: bool
    attachments: list[EvidenceFile] = field(default_factory=list)
    attachments_present: int = 0  # attachments the exhibit already held


def existing(session: Session, source: EvidenceFile, tool: str) -> TextExtraction | None:
    return session.scalars(
        select(TextExtraction).where(TextExtraction.source_file_id == source.id, TextExtraction.tool == tool)
    ).first()


def text_document(source: EvidenceFile, tool: str, pages: list[dict[str, object]]) -> bytes:
    """The derivative's bytes: the same pages give the same bytes, and so the same hash."""
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "source_sha256": source.sha256,
        "tool": tool,
        "pages": pages,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n"


def extract_file(
    session: Session,
    store: EvidenceStore,
    source: EvidenceFile,
    actor: User | None,
    progress: readers.Progress,
    *,
    before_reading: Callable[[], None] = lambda: None,
) -> Outcome:
    """Extract the text of ``source`` once per tool version: an extraction made before is
    returned as it is. ExtractionFailed when the file cannot be read (nothing is written).
    ``before_reading`` is called once the bytes are loaded and before the long work (OCR),
    when nothing has been written: the job runner ends its transaction there, so that reading
    holds no database lock (on SQLite, a writer's lock would keep every request from writing).
    The caller commits."""
    media_type = source.media_type
    tool = readers.tool_for(media_type)
    found = existing(session, source, tool)
    if found is not None:
        return Outcome(found, created=False)
    if not readers.readable(media_type):
        raise readers.ExtractionFailed(_("Files of type %(type)s hold no text this tool can read.", type=media_type))
    verify_stored(store, source)
    with store.open(source.sha256) as stream:
        data = stream.read()
    before_reading()
    extracted = readers.extract(data, media_type, progress)
    pages: list[dict[str, object]] = [
        {"page": number, "text": page.text, "method": page.method, "language": detect_language(page.sample)}
        for number, page in enumerate(extracted.pages, start=1)
    ]
    text_file = _store_document(session, store, source, tool, text_document(source, tool, pages), actor)
    extraction = TextExtraction(source_file=source, text_file=text_file, tool=tool, page_count=len(pages))
    session.add(extraction)
    session.add_all(
        TextPage(
            extraction=extraction,
            page_no=int(str(page["page"])),
            text=str(page["text"]),
            method=str(page["method"]),
            language=page["language"],
        )
        for page in pages
    )
    session.flush()
    languages = sorted({str(page["language"]) for page in pages if page["language"]})
    custody.record_event(
        session,
        source.evidence,
        custody.EventInput(
            event_type="analysed",
            location=custody.SYSTEM_LOCATION,
            purpose=_(
                "Text extracted: %(pages)d page(s), languages %(languages)s, by %(tool)s; the text is file %(sha)s",
                pages=len(pages),
                languages=", ".join(languages) or "-",
                tool=tool,
                sha=text_file.sha256,
            ),
            evidence_file=source,
            verified_sha256=source.sha256,
        ),
        actor,
    )
    outcome = Outcome(extraction, created=True)
    for attachment in extracted.attachments:
        _attach(session, store, source, attachment, actor, outcome)
    return outcome


def _store_document(
    session: Session, store: EvidenceStore, source: EvidenceFile, tool: str, document: bytes, actor: User | None
) -> EvidenceFile:
    incoming = store.receive()
    incoming.write(document)
    incoming.flush()
    name = f"{source.original_name or source.sha256[:12]}.text.json"
    try:
        return attach_file(
            session,
            store,
            source.evidence,
            incoming,
            original_name=name,
            actor=actor,
            derivation=Derivation(parent=source, kind="conversion", note=_("Text extracted by %(tool)s", tool=tool)),
            purpose=_("Text extracted"),
        )
    except UploadRefused as refusal:  # the exhibit holds these very bytes already
        incoming.discard()
        raise readers.ExtractionFailed(str(refusal)) from refusal


def _attach(
    session: Session,
    store: EvidenceStore,
    message: EvidenceFile,
    attachment: readers.Attachment,
    actor: User | None,
    outcome: Outcome,
) -> None:
    incoming = store.receive()
    incoming.write(attachment.data)
    incoming.flush()
    try:
        child = attach_file(
            session,
            store,
            message.evidence,
            incoming,
            original_name=attachment.name,
            actor=actor,
            derivation=Derivation(parent=message, kind="other", note=_("Attachment of the e-mail")),
            purpose=_("Attachment taken from the e-mail"),
        )
    except UploadRefused:  # the exhibit holds these bytes already (or they are empty)
        incoming.discard()
        outcome.attachments_present += 1
        return
    outcome.attachments.append(child)


@dataclass(frozen=True)
class TextSummary:
    """What the exhibit page says of a file's text: the latest extraction and its languages."""

    extraction: TextExtraction
    languages: list[str]


def summaries(session: Session, evidence_id: int) -> dict[int, TextSummary]:
    """The text of each file of the exhibit, by the source file's id (two queries)."""
    extractions = session.scalars(
        select(TextExtraction)
        .join(EvidenceFile, EvidenceFile.id == TextExtraction.source_file_id)
        .where(EvidenceFile.evidence_id == evidence_id)
        .order_by(TextExtraction.id)
    ).all()
    if not extractions:
        return {}
    rows = session.execute(
        select(TextPage.extraction_id, TextPage.language)
        .where(TextPage.extraction_id.in_([x.id for x in extractions]), TextPage.language.is_not(None))
        .distinct()
    )
    languages: dict[int, set[str]] = {}
    for extraction_id, language in rows:
        languages.setdefault(extraction_id, set()).add(language)
    return {x.source_file_id: TextSummary(x, sorted(languages.get(x.id, ()))) for x in extractions}
