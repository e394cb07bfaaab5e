"""Reading the text of a file, page by page, by the media type sniffed from its bytes.

- PDF (pypdfium2): each page's own text; a page without any (a scan) is rendered at 300 dpi
  and read by OCR.
- Images (PNG, TIFF with all its pages, JPEG, GIF, BMP, WebP): OCR, one page per frame.
- Plain text and HTML: one page, decoded as UTF-8 or, failing that, as charset-normalizer
  judges; HTML without its scripts and styles.
- E-mail (.eml): one page with the headers that identify it and the text body; the
  attachments are handed back to become files of their own (services/evidence/text/derive.py).
- DOCX and ODT: their XML read with defusedxml, one page per explicit page break.

Every failure -- a corrupt or encrypted PDF, an unreadable image, undecodable text --
raises ExtractionFailed with a message for people, and nothing is kept.
"""

from __future__ import annotations

import email
import email.policy
import html.parser
import io
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

import charset_normalizer
import pypdfium2
from defusedxml import ElementTree
from flask_babel import gettext as _
from PIL import Image, ImageFile, ImageSequence, UnidentifiedImageError
from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

from services.evidence.text import ocr

Progress = Callable[[int, int], None]  # (pages done, pages in all)

TOOL_NAME = "tribunal-text/1"
PDF_TYPES = frozenset({"application/pdf"})
IMAGE_TYPES = frozenset(
    {"image/png", "image/tiff", "image/jpeg", "image/gif", "image/bmp", "image/x-ms-bmp", "image/webp"}
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
EMAIL_TYPES = frozenset({"message/rfc822"})
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
OCR_DPI = 300
MIN_LAYER_CHARACTERS = 3  # a PDF page with fewer letters or digits of its own is read by OCR
MAX_IMAGE_PIXELS = 100_000_000  # per page (a 300 dpi A0 poster is ~140 M: refused, not guessed)
MAX_XML_BYTES = 64 * 1024**2  # the uncompressed document part of a DOCX or ODT
# PDFium is not thread-safe: one document at a time per process (the viewer's renders too)
PDFIUM_LOCK = threading.Lock()
_PILLOW = threading.Lock()


class ExtractionFailed(ValueError):
    """The file's text cannot be read; the message says why, for the people who see the job."""


@dataclass(frozen=True)
class Page:
    text: str
    method: str  # models.enums.TEXT_METHODS
    # The part of the text that tells its language, where not all of it does (an e-mail's body
    # without its headers)
    language_sample: str | None = None

    @property
    def sample(self) -> str:
        return self.text if self.language_sample is None else self.language_sample


@dataclass(frozen=True)
class Attachment:
    name: str | None
    data: bytes


@dataclass
class Extracted:
    pages: list[Page]
    attachments: list[Attachment] = field(default_factory=list)


def readable(media_type: str) -> bool:
    """Whether this module can read files of ``media_type``."""
    return (
        media_type in PDF_TYPES | IMAGE_TYPES | HTML_TYPES | EMAIL_TYPES
        or media_type in (DOCX_TYPE, ODT_TYPE)
        or media_type.startswith("text/")
    )


def tool_for(media_type: str) -> str:
    """The extractor and the versions of what it uses for this type: the same file read by the
    same tool is extracted once (models/text.py TextExtraction)."""
    if media_type in PDF_TYPES:
        return f"{TOOL_NAME} pypdfium2/{PYPDFIUM_INFO} pdfium/{PDFIUM_INFO.build} {_tesseract()}"
    if media_type in IMAGE_TYPES:
        return f"{TOOL_NAME} {_tesseract()}"
    if media_type in (DOCX_TYPE, ODT_TYPE):
        return f"{TOOL_NAME} defusedxml/{_version('defusedxml')}"
    return f"{TOOL_NAME} charset-normalizer/{charset_normalizer.__version__}"


def _tesseract() -> str:
    try:
        return f"tesseract/{ocr.tesseract_version()}"
    except ocr.OcrUnavailable:
        return "tesseract/absent"


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def extract(data: bytes, media_type: str, progress: Progress) -> Extracted:
    """The pages of a file's bytes; ExtractionFailed when they cannot be read."""
    try:
        if media_type in PDF_TYPES:
            return Extracted(_pdf(data, progress))
        if media_type in IMAGE_TYPES:
            return Extracted(_image(data, progress))
        if media_type in EMAIL_TYPES:
            return _email(data)
        if media_type == DOCX_TYPE:
            return Extracted(_docx(data))
        if media_type == ODT_TYPE:
            return Extracted(_odt(data))
        if media_type in HTML_TYPES:
            return Extracted([Page(html_text(decode_text(data)), "text_layer")])
        if media_type.startswith("text/"):
            return Extracted([Page(decode_text(data).strip(), "text_layer")])
    except ocr.OcrUnavailable as exc:
        raise ExtractionFailed(str(exc)) from exc
    raise ExtractionFailed(_("Files of type %(type)s hold no text this tool can read.", type=media_type))


# --- PDF ------------------------------------------------------------------------------------


def _pdf(data: bytes, progress: Progress) -> list[Page]:
    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            raise ExtractionFailed(_("The PDF cannot be read (%(why)s).", why=str(exc))) from exc
        try:
            total = len(document)
            pages = []
            for index in range(total):
                pages.append(_pdf_page(document[index]))
                progress(index + 1, total)
            return pages
        finally:
            document.close()


def _pdf_page(page: pypdfium2.PdfPage) -> Page:
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_bounded().replace("\r\n", "\n").strip()
        textpage.close()
        if sum(ch.isalnum() for ch in text) >= MIN_LAYER_CHARACTERS:
            return Page(text, "text_layer")
        width, height = page.get_size()  # in points
        # 300 dpi, less for a page so large that the image would pass MAX_IMAGE_PIXELS
        scale = min(OCR_DPI / 72, (MAX_IMAGE_PIXELS / max(width * height, 1.0)) ** 0.5)
        image = page.render(scale=scale, grayscale=True).to_pil()
    except pypdfium2.PdfiumError as exc:
        raise ExtractionFailed(_("A page of the PDF cannot be read (%(why)s).", why=str(exc))) from exc
    finally:
        page.close()
    return Page(ocr.read_image(image), "ocr")


# --- images ---------------------------------------------------------------------------------


@contextmanager
def strict_image_loading() -> Iterator[None]:
    """Refuse truncated images while reading scans. WeasyPrint sets Pillow's process-wide
    ``LOAD_TRUNCATED_IMAGES`` when it is imported (the case-file exports load it), so that its
    own pictures draw even when cut short; a scan cut short must fail its job instead of
    being read half grey. Set for the moment of decoding only, under a lock."""
    with _PILLOW:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _image(data: bytes, progress: Progress) -> list[Page]:
    try:
        with strict_image_loading():
            image = Image.open(io.BytesIO(data))
            frames = [frame.copy() for frame in _frames(image)]
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ExtractionFailed(_("The image cannot be read (%(why)s).", why=str(exc))) from exc
    pages = []
    for index, frame in enumerate(frames):
        pages.append(Page(ocr.read_image(frame), "ocr"))
        progress(index + 1, len(frames))
    return pages


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    for frame in ImageSequence.Iterator(image):
        if frame.width * frame.height > MAX_IMAGE_PIXELS:
            raise ExtractionFailed(
                _("A page of the image is too large to read (%(pixels)d pixels).", pixels=frame.width * frame.height)
            )
        frame.load()
        yield frame


# --- text and HTML --------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), else the encoding
    charset-normalizer finds most likely; ExtractionFailed when none fits."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ExtractionFailed(_("The text is in no encoding this tool recognises."))
    return str(best)


class _HtmlText(html.parser.HTMLParser):
    SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "title"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML document, a line per block."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


# --- e-mail ---------------------------------------------------------------------------------

EMAIL_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def _email(data: bytes) -> Extracted:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not any(message.get(name) for name in EMAIL_HEADERS):
        raise ExtractionFailed(_("The message has none of the headers of an e-mail (From, To, Date, Subject)."))
    lines = [f"{name}: {message[name]}" for name in EMAIL_HEADERS if message.get(name)]
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = body.get_content()
        text = html_text(content) if body.get_content_type() == "text/html" else str(content).strip()
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            attachments.append(Attachment(part.get_filename(), payload))
        elif part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            if isinstance(inner, EmailMessage):
                attachments.append(Attachment(part.get_filename() or "message.eml", inner.as_bytes()))
    page = Page("\n".join(lines) + ("\n\n" + text if text else ""), "text_layer", language_sample=text)
    return Extracted([page], attachments)


# --- DOCX and ODT ---------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
PAGE_BREAK = "\f"


def _xml_part(data: bytes, name: str) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > MAX_XML_BYTES:
                raise ExtractionFailed(_("The document's text is larger than this tool reads (%(name)s).", name=name))
            with archive.open(info) as member:
                xml = member.read(MAX_XML_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError) as exc:
        raise ExtractionFailed(_("The document cannot be opened (%(why)s).", why=str(exc))) from exc
    if len(xml) > MAX_XML_BYTES:
        raise ExtractionFailed(_("The document's text is larger than this tool reads (%(name)s).", name=name))
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ExtractionFailed(_("The document's XML cannot be read (%(why)s).", why=str(exc))) from exc
    except Exception as exc:  # defusedxml refuses entities and DTDs: a document that needs them is refused
        raise ExtractionFailed(_("The document's XML is refused (%(why)s).", why=type(exc).__name__)) from exc


def _pages_of(text: str) -> list[Page]:
    pages = [page.strip() for page in text.split(PAGE_BREAK)]
    while len(pages) > 1 and not pages[-1]:
        pages.pop()
    return [Page(page, "text_layer") for page in pages]


def _docx(data: bytes) -> list[Page]:
    root = _xml_part(data, "word/document.xml")
    parts: list[str] = []
    for paragraph in root.iter(f"{W}p"):
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{W}tab":
                parts.append("\t")
            elif node.tag == f"{W}br" and node.get(f"{W}type") == "page":
                parts.append(PAGE_BREAK)
            elif node.tag == f"{W}br":
                parts.append("\n")
        parts.append("\n")
    return _pages_of("".join(parts))


def _odt(data: bytes) -> list[Page]:
    root = _xml_part(data, "content.xml")
    parts: list[str] = []
    for node in root.iter():
        if node.tag == f"{TEXT_NS}soft-page-break":
            parts.append(PAGE_BREAK)
        elif node.tag in (f"{TEXT_NS}p", f"{TEXT_NS}h"):
            parts.append("".join(node.itertext()) + "\n")
    return _pages_of("".join(parts))
