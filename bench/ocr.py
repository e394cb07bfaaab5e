"""OCR throughput and PDF text extraction (issue 22, Done when), each against a baseline
measured in the same run.

    .venv/bin/python bench/ocr.py [--pages-per-language 2] [--pdf-pages 500] [--runs 2] [--no-record]

1. OCR. Scanned pages are drawn with Pillow and the Noto fonts, A4 at 150 dpi, greyscale, 28
   lines of running text each, in Russian, Ukrainian, Belarusian, Korean and English (the same
   pages every run: seeded). Each page is read by the application's reader
   (services/evidence/text/ocr.py ``read_image``: Tesseract's script detection, then the
   reading with that script's languages), and, as the baseline, by the ``tesseract`` command
   alone, told the languages and layout the reader ends up using (``tesseract page.png stdout
   -l rus+ukr+bel --psm 3``): the same recognition without finding out what the page is. The
   two alternate page by page, ``--runs`` times; the best total of each counts. Throughput ratio
   = baseline seconds / reader seconds; target >= 0.8. Time is wall time of the whole reading
   (Tesseract runs as a process of its own; its CPU is counted as the children's).
2. A born-digital PDF of ``--pdf-pages`` pages (WeasyPrint, Noto Sans, a paragraph of several
   scripts per page) through the extraction the jobs run (services/evidence/text/readers.py
   ``extract`` page by page, then the language of each page, as services/evidence/text/derive.py
   does), against the baseline of PDFium's text of every page alone (pypdfium2, nothing
   else). Pages per second of each and their ratio; no target (the issue asks for the figure).

Figures are printed and, unless --no-record, written to bench/RESULTS.md. Exit status 0 when
the OCR target is met, 1 when missed, 2 when the benchmark could not run (Tesseract missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from upload import machine, record  # noqa: E402

SECTION = "## OCR and PDF extraction (issue 22)"
RATIO_TARGET = 0.8
SEED = 22
WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
LINES_PER_PAGE = 28
FONT_SIZE = 28
NOTO_SANS = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_CJK_KOREAN = 1  # the face of NotoSansCJK-Regular.ttc drawn for Korean

# Words of each language, drawn into lines; the letters that tell each from its neighbours
WORDS = {
    "ru": "приказ о наступлении подписан министром обороны войска границу перешли утром штаб "
    "генеральный доклад совещание решение федерации совет безопасности операция специальная",
    "uk": "наказ про наступ підписав міністр оборони їхньої країни війська кордон перетнули вранці "
    "штаб генеральний доповідь нарада рішення ради безпеки операція",
    "be": "загад аб наступленні падпісаў міністр абароны войскі мяжу перайшлі раніцай штаб "
    "генеральны даклад нарада рашэнне савета бяспекі аперацыя",
    "ko": "국방부 장관이 공격 명령에 서명했다 군대가 새벽에 국경을 넘었다 참모부 보고 회의 결정 안전 보장 이사회 작전",
    "en": "the order to attack was signed by the minister of defence troops crossed the border at "
    "dawn general staff report meeting decision security council operation",
}
TESSERACT_LANGUAGES = {"ru": "rus+ukr+bel", "uk": "rus+ukr+bel", "be": "rus+ukr+bel", "ko": "kor+eng", "en": "eng"}
TESSERACT_LAYOUT = {"ko": "6"}  # Hangul is read as one block, as the reader does; others automatic (3)


class BenchError(RuntimeError):
    pass


def page_image(language: str, rng: random.Random) -> Image:
    from PIL import Image, ImageDraw, ImageFont

    if language == "ko":
        font = ImageFont.truetype(NOTO_CJK, FONT_SIZE, index=NOTO_CJK_KOREAN)
    else:
        font = ImageFont.truetype(NOTO_SANS, FONT_SIZE)
    words = WORDS[language].split()
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    y = 90
    for _ in range(LINES_PER_PAGE):
        line = " ".join(rng.choice(words) for _ in range(7 if language != "ko" else 9))
        draw.text((90, y), line, font=font, fill=0)
        y += int(FONT_SIZE * 1.9)
    return image


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0


@dataclass
class OcrFigures:
    pages: int
    reader: Timing
    baseline: Timing
    words_found: int
    vocabulary: int
    tesseract: str

    @property
    def ratio(self) -> float:
        return self.baseline.wall / self.reader.wall


@dataclass
class PdfFigures:
    pages: int
    size: int
    reader: Timing
    baseline: Timing

    @property
    def ratio(self) -> float:
        return self.baseline.wall / self.reader.wall


def _timed(action: Callable[[], Any], timing: Timing) -> Any:
    wall, cpu = time.perf_counter(), _children_cpu() + time.process_time()
    result = action()
    timing.wall += time.perf_counter() - wall
    timing.cpu += _children_cpu() + time.process_time() - cpu
    return result


def measure_ocr(pages_per_language: int, runs: int, work: Path) -> OcrFigures:
    from services.evidence.text import ocr

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise BenchError("tesseract is not installed (make setup installs it)")
    rng = random.Random(SEED)  # noqa: S311 -- the same pages every run, no secret
    pages = []
    for language in WORDS:
        for n in range(pages_per_language):
            image = page_image(language, rng)
            path = work / f"{language}-{n}.png"
            image.save(path)
            pages.append((language, image, path))
    ocr.read_image(pages[0][1])  # Tesseract's data in the page cache before anything is timed
    best_reader, best_baseline = Timing(float("inf")), Timing(float("inf"))
    words_found = 0
    for _ in range(runs):
        reader, baseline = Timing(), Timing()
        found = 0
        for language, image, path in pages:
            command = [tesseract, str(path), "stdout", "-l", TESSERACT_LANGUAGES[language]]
            command += ["--psm", TESSERACT_LAYOUT.get(language, "3")]
            _timed(partial(subprocess.run, command, capture_output=True, check=True), baseline)
            text = _timed(partial(ocr.read_image, image), reader)
            found += sum(word in str(text) for word in set(WORDS[language].split()))
        if reader.wall < best_reader.wall:
            best_reader, words_found = reader, found
        if baseline.wall < best_baseline.wall:
            best_baseline = baseline
    vocabulary = sum(len(set(WORDS[language].split())) for language, _i, _p in pages)
    return OcrFigures(len(pages), best_reader, best_baseline, words_found, vocabulary, ocr.tesseract_version())


def long_pdf(pages: int) -> bytes:
    from weasyprint import HTML

    rng = random.Random(SEED)  # noqa: S311
    languages = list(WORDS)
    paragraphs = []
    for _ in range(pages):
        language = rng.choice(languages)
        words = WORDS[language].split()
        paragraphs.append(" ".join(rng.choice(words) for _ in range(220)))
    body = "".join(f'<p style="page-break-after: always">{p}</p>' for p in paragraphs)
    style = '@page { size: A4 } body { font-family: "Noto Sans", "Noto Sans CJK KR"; font-size: 11pt }'
    return HTML(string=f"<html><head><style>{style}</style></head><body>{body}</body></html>").write_pdf()


def measure_pdf(pages: int, runs: int) -> PdfFigures:
    import pypdfium2

    from services.evidence.text import readers
    from services.evidence.text.language import detect_language

    data = long_pdf(pages)

    def pdfium_alone() -> int:
        document = pypdfium2.PdfDocument(data)
        try:
            for page in document:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            return len(document)
        finally:
            document.close()

    def extraction() -> int:
        extracted = readers.extract(data, "application/pdf", lambda done, total: None)
        return len([detect_language(page.sample) for page in extracted.pages])

    best_reader, best_baseline = Timing(float("inf")), Timing(float("inf"))
    counted = 0
    for _ in range(runs):
        baseline, reader = Timing(), Timing()
        _timed(pdfium_alone, baseline)
        counted = int(_timed(extraction, reader))
        if reader.wall < best_reader.wall:
            best_reader = reader
        if baseline.wall < best_baseline.wall:
            best_baseline = baseline
    if counted != pages:
        raise BenchError(f"the extraction gave {counted} pages of {pages}")
    return PdfFigures(pages, len(data), best_reader, best_baseline)


def report(ocr_figures: OcrFigures, pdf: PdfFigures, args: argparse.Namespace) -> str:
    info = machine()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "    .venv/bin/python bench/ocr.py " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in (("pages_per_language", args.pages_per_language),
                                                    ("pdf_pages", args.pdf_pages), ("runs", args.runs))
    )  # fmt: skip
    reader, baseline, n = ocr_figures.reader, ocr_figures.baseline, ocr_figures.pages
    ok = ocr_figures.ratio >= RATIO_TARGET
    p_reader, p_baseline, pdf_pages = pdf.reader, pdf.baseline, pdf.pages
    lines = [
        SECTION,
        "",
        f"Run on {now} with",
        "",
        command,
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        f"- Tesseract {ocr_figures.tesseract}",
        "- load average at the end (1 / 5 / 15 min): " + " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "",
        f"OCR: {n} scanned pages (A4 at 150 dpi, {LINES_PER_PAGE} lines each; Russian, Ukrainian, Belarusian, "
        "Korean, English), the best of the runs; wall time of the whole reading, CPU of this process and of "
        "Tesseract's.",
        "",
        "| reading | wall s | CPU s | pages/s | ratio (baseline / reader) | target | result |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        f"| `tesseract` command alone, told the languages | {baseline.wall:.2f} | {baseline.cpu:.2f} "
        f"| {n / baseline.wall:.2f} | | | |",
        f"| the application's reader (script detection, then the reading) | {reader.wall:.2f} | {reader.cpu:.2f} "
        f"| {n / reader.wall:.2f} | {ocr_figures.ratio:.2f} | >= {RATIO_TARGET} | {'PASS' if ok else 'FAIL'} |",
        "",
        f"Words of the pages' vocabulary the reader found: {ocr_figures.words_found} of "
        f"{ocr_figures.vocabulary} (summed over pages).",
        "",
        f"PDF: one born-digital PDF of {pdf_pages} pages ({pdf.size // 1024} KiB, WeasyPrint), the best of the runs.",
        "",
        "| extraction | wall s | CPU s | pages/s | ratio (baseline / extraction) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| PDFium's text of every page alone (pypdfium2) | {p_baseline.wall:.2f} | {p_baseline.cpu:.2f} "
        f"| {pdf_pages / p_baseline.wall:.0f} | |",
        f"| the extraction a job runs (readers.extract: text and language per page) | {p_reader.wall:.2f} "
        f"| {p_reader.cpu:.2f} | {pdf_pages / p_reader.wall:.0f} | {pdf.ratio:.2f} |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-per-language", type=int, default=2)
    parser.add_argument("--pdf-pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    from app import create_app

    app = create_app()
    with app.app_context(), app.test_request_context(), tempfile.TemporaryDirectory(prefix="tribunal-ocr-") as work:
        try:
            ocr_figures = measure_ocr(args.pages_per_language, args.runs, Path(work))
            pdf = measure_pdf(args.pdf_pages, args.runs)
        except BenchError as error:
            print(f"bench/ocr.py: {error}", file=sys.stderr)
            return 2
    section = report(ocr_figures, pdf, args)
    print(section)
    if not args.no_record:
        record(section, SECTION)
    return 0 if ocr_figures.ratio >= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
