"""Evidence registration numbers (ERN) on disclosed PDF pages (issue 23 item 4).

When a batch is disclosed, each item whose file is a PDF gets a copy with a number in the
bottom right corner of every page -- the instance's prefix and a running number,
``STCA-OTP-0001-0042`` -- stored as a new derivative file of the exhibit (the original never
changes), and the range of numbers is recorded on the item. The numbers come from one counter
row raised in the same statement that reads it (``ErnCounter``), so no two copies carry the same
number; the item's first number is unique besides.
"""

from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import DisclosureItem, ErnCounter, EvidenceFile, User
from services.evidence.files import Derivation, attach_file
from services.evidence.store import EvidenceStore

PDF = "application/pdf"
DEFAULT_PREFIX = "STCA-OTP"  # as config.py's ERN_PREFIX
FONT_SIZE = 9.0
MARGIN = 14.0  # points from the page's right and bottom edges


class StampError(ValueError):
    """A PDF that cannot be opened or written."""


def ern(prefix: str, number: int) -> str:
    """``STCA-OTP-0001-0042`` for number 10042: the running number in two groups of four digits."""
    return f"{prefix}-{number // 10_000:04d}-{number % 10_000:04d}"


def reserve(session: Session, pages: int) -> int:
    """Take ``pages`` numbers; the first of them. The counter's row is locked until the commit."""
    raise_by = update(ErnCounter).where(ErnCounter.id == 1).values(last_number=ErnCounter.last_number + pages)
    last = session.execute(raise_by.returning(ErnCounter.last_number)).scalar()
    if last is None:  # the first stamp of this database: make the row (a concurrent first one waits)
        try:
            with session.begin_nested():
                session.execute(insert(ErnCounter).values(id=1, last_number=pages))
            last = pages
        except IntegrityError:
            last = session.execute(raise_by.returning(ErnCounter.last_number)).scalar_one()
    return int(last) - pages + 1


def page_count(data: bytes) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise StampError(str(exc)) from exc
    try:
        return len(document)
    finally:
        document.close()


def stamp_pdf(data: bytes, prefix: str, first: int) -> bytes:
    """``data`` with ``ern(prefix, first + n)`` written on page n (from 0), as a text object in
    the standard Helvetica font, so that the number is text a reader can select and search."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise StampError(str(exc)) from exc
    try:
        font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
        for index in range(len(document)):
            page = document[index]
            width, _height = page.get_size()
            label = ern(prefix, first + index)
            text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, ctypes.c_float(FONT_SIZE))
            encoded = ctypes.create_string_buffer((label + "\x00").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(text, ctypes.cast(encoded, pdfium_c.FPDF_WIDESTRING))
            x = width - MARGIN - FONT_SIZE * 0.6 * len(label)
            pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, x, MARGIN)
            pdfium_c.FPDFPage_InsertObject(page.raw, text)
            if not pdfium_c.FPDFPage_GenerateContent(page.raw):
                raise StampError(f"page {index + 1} could not be written")
            page.close()
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    finally:
        document.close()


def stamp_item(
    session: Session, store: EvidenceStore, item: DisclosureItem, *, prefix: str, actor: User | None
) -> EvidenceFile | None:
    """Make the item's stamped copy, when its file is a PDF, and record its range; None for
    another kind of file. The caller has verified the file's bytes."""
    source = item.evidence_file
    if source.media_type != PDF:
        return None
    data = store.path_for(source.sha256).read_bytes()
    pages = page_count(data)
    if pages == 0:
        return None
    first = reserve(session, pages)
    stamped = stamp_pdf(data, prefix, first)
    incoming = store.receive()
    try:
        incoming.write(stamped)
        note = f"Disclosed copy stamped {ern(prefix, first)} to {ern(prefix, first + pages - 1)}"
        copy = attach_file(
            session,
            store,
            item.evidence,
            incoming,
            original_name=f"{ern(prefix, first)}.pdf",
            actor=actor,
            derivation=Derivation(parent=source, kind="other", note=note),
            purpose=f"Disclosure batch {item.batch_id}",
        )
    except Exception:
        incoming.discard()
        raise
    item.ern_first, item.ern_last, item.stamped_file_id = first, first + pages - 1, copy.id
    session.flush()
    return copy
