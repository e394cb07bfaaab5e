"""Reading an evidence file in the browser (issue 22 item 4): pages drawn as PNG images on the
server, the stored text of each page beside them, audio and video for the browser's player.

PDF pages and the frames of an image are drawn with PDFium (pypdfium2) and Pillow at one of a
few widths (``WIDTHS``), and kept under the store's ``.renders`` folder by the file's SHA-256,
the page and the width: a page is drawn once, whoever views it next reads the kept image. The
kept images are made again from the stored file when missing, so they need no backup; fixity
and backups leave the folder out. The stored bytes are only read.

Who may see a file is decided by the caller exactly as for its download
(services/evidence/files.py ``get_visible_file``); this module only reads and draws.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from flask_babel import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import EvidenceFile, TextExtraction, TextPage
from services.evidence.store import EvidenceStore
from services.evidence.text.readers import IMAGE_TYPES, PDF_TYPES, PDFIUM_LOCK, strict_image_loading

WIDTHS = (480, 800, 1200, 1600)  # the widths a page is drawn at, in pixels
DEFAULT_WIDTH = 1200
MAX_PIXELS = 20_000_000  # a drawn page (a very long or wide page is drawn narrower)
MAX_PAGE_NO = 1_000_000  # above any real document: a larger number is refused before any reading


class ViewRefused(ValueError):
    """A request the viewer cannot answer; ``status`` is the HTTP status, the message says why."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def kind_of(file: EvidenceFile) -> str:
    """How the viewer shows the file: ``pages`` (PDF, image), ``audio``, ``video`` or ``text``
    (only its extracted text, when there is one)."""
    media_type = file.media_type
    if media_type in PDF_TYPES or media_type in IMAGE_TYPES:
        return "pages"
    if media_type.startswith("audio/"):
        return "audio"
    if media_type.startswith("video/"):
        return "video"
    return "text"


def page_count(store: EvidenceStore, file: EvidenceFile) -> int:
    """How many pages the PDF has, or frames the image; ViewRefused (422) when it cannot be
    read, with the reason for people."""
    path = store.path_for(file.sha256)
    if file.media_type in PDF_TYPES:
        with PDFIUM_LOCK:
            document = _open_pdf(path)
            try:
                return len(document)
            finally:
                document.close()
    with _open_image(path) as image:
        return int(getattr(image, "n_frames", 1))


def _open_pdf(path: Path) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as exc:
        raise ViewRefused(_("The PDF cannot be shown: it cannot be read (%(why)s).", why=str(exc)), 422) from exc


class _ImageFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            self.image = Image.open(self.path)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ViewRefused(_("The image cannot be shown: it cannot be read (%(why)s).", why=str(exc)), 422) from exc
        return self.image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()


def _open_image(path: Path) -> _ImageFile:
    return _ImageFile(path)


def parse_page(value: str | None) -> int:
    """A page number from the address: 400 when it is not a whole number from 1."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 7 or int(text) < 1 or int(text) > MAX_PAGE_NO:
        raise ViewRefused(_("A page number is a whole number from 1."), 400)
    return int(text)


def parse_width(value: str | None) -> int:
    """The width to draw at: one of ``WIDTHS`` (the default when none is asked for), else 400."""
    if value is None or value == "":
        return DEFAULT_WIDTH
    if not value.isascii() or not value.isdigit() or int(value[:6]) not in WIDTHS:
        raise ViewRefused(
            _("A page is drawn %(widths)s pixels wide.", widths=", ".join(str(w) for w in WIDTHS)),
            400,
        )
    return int(value)


def rendered_page(store: EvidenceStore, file: EvidenceFile, page: int, width: int) -> Path:
    """The PNG of ``page`` (from 1) drawn ``width`` pixels wide, drawn now unless kept.
    ViewRefused: 404 for a page the file does not have, 422 for a file that cannot be read."""
    if width not in WIDTHS:
        raise ViewRefused(_("A page is drawn %(widths)s pixels wide.", widths=", ".join(map(str, WIDTHS))), 400)
    if kind_of(file) != "pages":
        raise ViewRefused(_("This file has no pages to draw."), 404)
    kept = store.renders_dir / file.sha256[:2] / file.sha256 / f"{page}-{width}.png"
    if kept.is_file():
        return kept
    source = store.path_for(file.sha256)
    if file.media_type in PDF_TYPES:
        image = _draw_pdf_page(source, page, width)
    else:
        image = _draw_image_frame(source, page, width)
    _keep(image, kept)
    return kept


def _missing_page(page: int, total: int) -> ViewRefused:
    return ViewRefused(_("There is no page %(page)d: the file has %(total)d.", page=page, total=total), 404)


def _draw_pdf_page(source: Path, page: int, width: int) -> Image.Image:
    with PDFIUM_LOCK:
        document = _open_pdf(source)
        try:
            if page > len(document):
                raise _missing_page(page, len(document))
            pdf_page = document[page - 1]
            try:
                page_width, page_height = pdf_page.get_size()  # in points
                scale = min(width / max(page_width, 1.0), (MAX_PIXELS / max(page_width * page_height, 1.0)) ** 0.5)
                return pdf_page.render(scale=scale).to_pil()
            except pypdfium2.PdfiumError as exc:
                raise ViewRefused(_("Page %(page)d cannot be drawn (%(why)s).", page=page, why=str(exc)), 422) from exc
            finally:
                pdf_page.close()
        finally:
            document.close()


def _draw_image_frame(source: Path, page: int, width: int) -> Image.Image:
    try:
        with strict_image_loading(), _open_image(source) as image:
            total = int(getattr(image, "n_frames", 1))
            if page > total:
                raise _missing_page(page, total)
            frame = ImageSequence.Iterator(image)[page - 1]
            if frame.width * frame.height > MAX_PIXELS * 4:
                raise ViewRefused(_("Page %(page)d is too large to draw.", page=page), 422)
            drawn = frame.convert("RGBA" if "A" in frame.getbands() else "RGB")
    except (OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ViewRefused):
            raise
        raise ViewRefused(_("The image cannot be shown: it cannot be read (%(why)s).", why=str(exc)), 422) from exc
    if drawn.width > width:
        drawn = drawn.resize((width, max(1, round(drawn.height * width / drawn.width))), Image.Resampling.LANCZOS)
    return drawn


def _keep(image: Image.Image, kept: Path) -> None:
    """Write the PNG beside its place and rename it there: a reader never sees half of it."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    handle, temporary = tempfile.mkstemp(dir=kept.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, kept)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- the text layer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLayer:
    """The stored text of a file's pages, by page number (the latest extraction's)."""

    extraction: TextExtraction | None
    pages: dict[int, str]

    def text_of(self, page: int) -> str | None:
        return self.pages.get(page)


def text_layer(session: Session, file: EvidenceFile) -> TextLayer:
    """The text of every page of ``file`` as extracted last (two queries)."""
    extraction = session.scalars(
        select(TextExtraction).where(TextExtraction.source_file_id == file.id).order_by(TextExtraction.id.desc())
    ).first()
    if extraction is None:
        return TextLayer(None, {})
    rows = session.execute(
        select(TextPage.page_no, TextPage.text)
        .where(TextPage.extraction_id == extraction.id)
        .order_by(TextPage.page_no)
    )
    # line ends as the browser reads them back (a quote chosen in the page is checked against this)
    return TextLayer(extraction, {page_no: text.replace("\r\n", "\n").replace("\r", "\n") for page_no, text in rows})
