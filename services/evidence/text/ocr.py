"""Optical character recognition with Tesseract (Debian tesseract-ocr and its rus, ukr, bel,
kor and eng language packs; scripts/system-packages installs them).

Each image is read in two steps: Tesseract's orientation and script detection names the
script, then the page is read with the languages of that script only (fewer languages read
faster and mistake fewer letters). Hangul pages are read as one block of text: Tesseract's
automatic layout analysis breaks Korean lines into pieces and loses most of them. A page with
too little text for the detection is read first with all five languages, which tells its
script, then again with that script's.
"""

from __future__ import annotations

from functools import lru_cache

import pytesseract
from flask_babel import gettext as _
from PIL import Image

LANGUAGES_BY_SCRIPT = {"Cyrillic": "rus+ukr+bel", "Latin": "eng", "Hangul": "kor+eng", "Korean": "kor+eng"}
ALL_LANGUAGES = "eng+rus+ukr+bel+kor"
AUTOMATIC_LAYOUT = "--psm 3"
ONE_BLOCK = "--psm 6"
TIMEOUT_SECONDS = 300  # one page; a page Tesseract cannot finish in five minutes fails its job


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, or lacks a language pack."""


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """Tesseract's version, or OcrUnavailable naming what to install."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(
            _("Tesseract is not installed (Debian package tesseract-ocr; `make setup` installs it).")
        ) from exc


def _script(image: Image.Image) -> str | None:
    try:
        found = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=TIMEOUT_SECONDS)
    except pytesseract.TesseractError:  # too few characters to tell: not an error of the page
        return None
    script = found.get("script")
    return str(script) if script else None


def read_image(image: Image.Image) -> str:
    """The text of one page image."""
    tesseract_version()
    page = image.convert("L") if image.mode not in ("L", "RGB") else image
    script = _script(page)
    if script is None:  # too little text for the detection: a first reading with every language tells
        script = _script_of_text(_tesseract(page, ALL_LANGUAGES, ONE_BLOCK))
    languages = LANGUAGES_BY_SCRIPT.get(script or "", ALL_LANGUAGES)
    layout = ONE_BLOCK if script in ("Hangul", "Korean") else AUTOMATIC_LAYOUT
    text = _tesseract(page, languages, layout)
    if not text.strip() and layout == AUTOMATIC_LAYOUT:
        text = _tesseract(page, languages, ONE_BLOCK)
    return text.strip()


def _script_of_text(text: str) -> str | None:
    """The script most of the letters of ``text`` are in, named as Tesseract names scripts."""
    counts = {"Hangul": 0, "Cyrillic": 0, "Latin": 0}
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["Hangul"] += 1
        elif 0x0400 <= code <= 0x04FF:
            counts["Cyrillic"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["Latin"] += 1
    script, letters = max(counts.items(), key=lambda item: item[1])
    return script if letters else None


def _tesseract(image: Image.Image, languages: str, layout: str) -> str:
    try:
        return str(pytesseract.image_to_string(image, lang=languages, config=layout, timeout=TIMEOUT_SECONDS))
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrUnavailable(_("Tesseract did not finish reading a page within five minutes.")) from exc
    except pytesseract.TesseractError as exc:
        raise OcrUnavailable(_("Tesseract could not read the page: %(why)s", why=exc.message or exc.status)) from exc
