"""Files the text-extraction tests make themselves: PDFs with a text layer (WeasyPrint), scans
rendered with Pillow and the Noto fonts (Debian fonts-noto-core, fonts-noto-cjk), an e-mail
with an attachment, a DOCX (python-docx), an ODT, HTML and plain text. All small, so that
OCR stays quick."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from PIL import Image, ImageDraw, ImageFont

NOTO_SANS = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_CJK_KOREAN = 1  # the face of NotoSansCJK-Regular.ttc drawn for Korean

# One line per language, each with the letters that tell it from its neighbours.
LINES = {
    "ru": "Приказ о наступлении подписан министром обороны",
    "uk": "Наказ про наступ підписав міністр оборони їхньої країни",
    "be": "Загад аб наступленні падпісаў міністр абароны",
    "ko": "국방부 장관이 공격 명령에 서명했다",
    "en": "The order to attack was signed by the minister",
}


def scan(text: str, language: str, *, size: int = 30) -> Image.Image:
    """A page image of one line of text, as a scanner would give it (greyscale, white margin)."""
    if language == "ko":
        font = ImageFont.truetype(NOTO_CJK, size, index=NOTO_CJK_KOREAN)
    else:
        font = ImageFont.truetype(NOTO_SANS, size)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 80, bottom - top + 80), 255)
    ImageDraw.Draw(image).text((40 - left, 40 - top), text, font=font, fill=0)
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def tiff(*pages: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=list(pages[1:]), compression="tiff_lzw")
    return buffer.getvalue()


def scanned_pdf(*pages: Image.Image) -> bytes:
    """A PDF of page images and no text layer, as a scanner makes one."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=list(pages[1:]))
    return buffer.getvalue()


def text_pdf(*pages: str) -> bytes:
    """A born-digital PDF with a text layer, one page per string (WeasyPrint, Noto fonts)."""
    from weasyprint import HTML

    body = "".join(f'<p style="page-break-after: always">{page}</p>' for page in pages[:-1]) + f"<p>{pages[-1]}</p>"
    style = '@page { size: A6 } body { font-family: "Noto Sans" }'
    html = f"<html><head><style>{style}</style></head><body>{body}</body></html>"
    return HTML(string=html).write_pdf()  # nothing to fetch: no link, image or style sheet


def eml_with_attachment(body: str, attachment: bytes, name: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Press office <press@mod.example>"
    message["To"] = "archive@tribunal.test"
    message["Subject"] = "Приказ №17"
    message["Date"] = "Mon, 24 Feb 2022 05:30:00 +0300"
    message.set_content(body)
    maintype, subtype = ("image", "png") if name.endswith(".png") else ("text", "plain")
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def docx(*pages: str) -> bytes:
    """A DOCX whose pages are split by explicit page breaks (python-docx)."""
    import docx as python_docx
    from docx.enum.text import WD_BREAK

    document = python_docx.Document()
    for number, page in enumerate(pages):
        paragraph = document.add_paragraph(page)
        if number < len(pages) - 1:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt(*paragraphs: str) -> bytes:
    """An ODT document made as LibreOffice lays one out: the mimetype first, stored, then content.xml."""
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office_ns}" '
        f'xmlns:text="{text_ns}" office:version="1.3"><office:body><office:text>{body}</office:text>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
