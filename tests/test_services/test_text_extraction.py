"""Text from every file (issue 22, item 2): born-digital PDFs, scans by OCR in the tribunal's
five languages, e-mail with attachments, DOCX, ODT, HTML and plain text; each extraction a
derivative of the original with its own hash and custody events, made once per tool version.
Failures leave a failed job with the reason and nothing else."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models import CustodyEvent, EvidenceFile, Job, TextExtraction, TextPage
from services.evidence.custody import chain_of, verify_chain
from services.evidence.files import attach_file
from services.evidence.store import sha256_of, store_for
from services.evidence.text import derive, readers
from services.evidence.text.language import detect_language
from services.jobs import queue, records
from tests import text_files as tf


@pytest.fixture
def store(app, evidence_dir):
    return store_for(app.config)


@pytest.fixture
def exhibit(make):
    return make.evidence()


@pytest.fixture
def attach(session, store, exhibit):
    """``attach(data, name)``: a file of the exhibit, committed (so in the store), and its job."""

    def attach_one(data: bytes, name: str) -> tuple[EvidenceFile, Job | None]:
        incoming = store.receive()
        incoming.write(data)
        incoming.flush()
        file = attach_file(session, store, exhibit, incoming, original_name=name, actor=None)
        job = records.schedule_extraction(session, file, None)
        records.take_pending(session)  # the test runs it, not a worker
        session.commit()
        return file, job

    return attach_one


@pytest.fixture
def run_job(app, session):
    def run(job: Job) -> Job:
        queue.queue_of(app).run(job.id)
        session.expire_all()
        return session.get(Job, job.id)

    return run


def pages_of(session, file: EvidenceFile) -> list[TextPage]:
    extraction = session.scalars(select(TextExtraction).where(TextExtraction.source_file_id == file.id)).one()
    return list(extraction.pages)


def extracted(session, attach, run_job, data: bytes, name: str) -> tuple[EvidenceFile, Job, list[TextPage]]:
    file, job = attach(data, name)
    assert job is not None, f"no job for {file.media_type}"
    job = run_job(job)
    assert job.status == "succeeded", job.error
    return file, job, pages_of(session, file)


def test_born_digital_pdf_page_by_page(session, store, attach, run_job):
    file, job, pages = extracted(
        session, attach, run_job, tf.text_pdf(tf.LINES["ru"], tf.LINES["uk"], tf.LINES["en"]), "order.pdf"
    )
    assert [(p.page_no, p.method, p.language) for p in pages] == [
        (1, "text_layer", "ru"),
        (2, "text_layer", "uk"),
        (3, "text_layer", "en"),
    ]
    assert [" ".join(p.text.split()) for p in pages] == [tf.LINES["ru"], tf.LINES["uk"], tf.LINES["en"]]
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert "3 pages of text extracted" in job.result


def test_the_derivative_has_its_own_hash_parent_and_custody_events(session, store, attach, run_job, exhibit):
    original = tf.text_pdf(tf.LINES["en"])
    file, job, pages = extracted(session, attach, run_job, original, "statement.pdf")
    extraction = pages[0].extraction
    text_file = extraction.text_file
    assert text_file.parent_id == file.id and text_file.derivation == "conversion"
    assert extraction.tool in text_file.derivation_note
    stored = store.path_for(text_file.sha256)
    assert sha256_of(stored) == (text_file.sha256, text_file.size)
    document = json.loads(stored.read_text(encoding="utf-8"))
    assert document["source_sha256"] == file.sha256 and document["tool"] == extraction.tool
    assert document["pages"] == [{"page": 1, "text": pages[0].text, "method": "text_layer", "language": "en"}]
    assert " ".join(pages[0].text.split()) == tf.LINES["en"]
    # the original is untouched
    assert sha256_of(store.path_for(file.sha256))[0] == file.sha256
    events, head = chain_of(session, exhibit.id)
    analysed = [e for e in events if e.event_type == "analysed"]
    assert len(analysed) == 1 and analysed[0].evidence_file_id == file.id
    assert "Text extracted" in analysed[0].purpose and "pypdfium2/" in analysed[0].purpose
    assert text_file.sha256 in analysed[0].purpose
    received = [e for e in events if e.event_type == "received" and e.evidence_file_id == text_file.id]
    assert len(received) == 1 and received[0].verified_sha256 == text_file.sha256
    assert verify_chain(events, head) == []


def test_extracting_again_makes_no_second_derivative(app, session, attach, run_job):
    file, job, _pages = extracted(session, attach, run_job, tf.text_pdf("Page one of the record"), "a.pdf")
    files_before = session.scalar(select(func.count()).select_from(EvidenceFile))
    events_before = session.scalar(select(func.count()).select_from(CustodyEvent))
    assert records.schedule_extraction(session, file, None) is None  # the current tool read it already
    again = Job(kind="extract_text", status="queued", evidence_id=file.evidence_id, evidence_file=file)
    session.add(again)
    session.commit()
    again = run_job(again)
    assert again.status == "succeeded" and "already" in again.result
    assert session.scalar(select(func.count()).select_from(EvidenceFile)) == files_before
    assert session.scalar(select(func.count()).select_from(CustodyEvent)) == events_before
    # a job that succeeded is not run a second time
    assert queue.queue_of(app).run(again.id) is None


@pytest.mark.parametrize("language", ["ru", "uk", "be", "ko", "en"])
def test_png_scan_is_read_by_ocr_in_each_language(session, attach, run_job, language):
    _file, _job, pages = extracted(session, attach, run_job, tf.png(tf.scan(tf.LINES[language], language)), "scan.png")
    assert len(pages) == 1 and pages[0].method == "ocr"
    assert " ".join(pages[0].text.split()) == tf.LINES[language]
    assert pages[0].language == language


def test_multi_page_tiff_and_scanned_pdf(session, attach, run_job):
    scans = (tf.scan(tf.LINES["uk"], "uk"), tf.scan(tf.LINES["en"], "en"))
    _file, job, pages = extracted(session, attach, run_job, tf.tiff(*scans), "scan.tiff")
    assert [(p.page_no, p.method, p.language) for p in pages] == [(1, "ocr", "uk"), (2, "ocr", "en")]
    assert (job.progress_done, job.progress_total) == (2, 2)
    _file, _job, pages = extracted(session, attach, run_job, tf.scanned_pdf(tf.scan(tf.LINES["be"], "be")), "s.pdf")
    assert [(p.method, p.language) for p in pages] == [("ocr", "be")]
    assert " ".join(pages[0].text.split()) == tf.LINES["be"]


def test_email_with_attachment_as_child_file(session, attach, run_job, exhibit):
    attachment = tf.png(tf.scan(tf.LINES["en"], "en"))
    message = tf.eml_with_attachment("Наказ набирає чинності негайно.", attachment, "order.png")
    file, job, pages = extracted(session, attach, run_job, message, "mail.eml")
    assert file.media_type == "message/rfc822"
    assert pages[0].text.startswith("From: Press office <press@mod.example>\nTo: archive@tribunal.test")
    assert "Subject: Приказ №17" in pages[0].text and pages[0].text.endswith("Наказ набирає чинності негайно.")
    assert pages[0].language == "uk"
    child = session.scalars(
        select(EvidenceFile).where(EvidenceFile.parent_id == file.id, EvidenceFile.derivation == "other")
    ).one()
    assert (child.original_name, child.media_type) == ("order.png", "image/png")
    assert child.evidence_id == exhibit.id and "1 added" in job.result
    child_job = session.scalars(select(Job).where(Job.evidence_file_id == child.id)).one()
    child_job = run_job(child_job)
    assert child_job.status == "succeeded", child_job.error
    assert " ".join(pages_of(session, child)[0].text.split()) == tf.LINES["en"]


def test_docx_odt_html_and_plain_text(session, attach, run_job):
    _f, _j, pages = extracted(session, attach, run_job, tf.docx(tf.LINES["ru"], "Second page"), "memo.docx")
    assert [(p.text, p.language) for p in pages] == [(tf.LINES["ru"], "ru"), ("Second page", None)]
    _f, _j, pages = extracted(session, attach, run_job, tf.odt(tf.LINES["be"], "Другі абзац"), "memo.odt")
    assert [p.text for p in pages] == [f"{tf.LINES['be']}\nДругі абзац"] and pages[0].language == "be"
    page = (
        "<html><head><title>Наказ</title><script>var x = 1;</script></head>"
        "<body><h1>Наказ</h1><p>Текст &amp; підпис</p></body></html>"
    )
    _f, _j, pages = extracted(session, attach, run_job, page.encode(), "page.html")
    assert pages[0].text == "Наказ\nТекст & підпис" and pages[0].language == "uk"
    _f, _j, pages = extracted(session, attach, run_job, tf.LINES["ru"].encode("cp1251"), "order.txt")
    assert pages[0].text == tf.LINES["ru"] and pages[0].language == "ru"


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.4\n1 0 obj garbage", "corrupt.pdf", "The PDF cannot be read"),
        (tf.png(tf.scan("truncated", "en"))[:120], "truncated.png", "The image cannot be read"),
        (b"PK\x03\x04" + b"\0" * 10, "broken.docx", None),
    ],
)
def test_a_file_that_cannot_be_read_fails_its_job_and_leaves_nothing(
    session, store, attach, run_job, data, name, reason
):
    files_before = session.scalar(select(func.count()).select_from(EvidenceFile))
    file, job = attach(data, name)
    if job is None:  # not sniffed as a type with text: nothing is queued at all
        assert reason is None and not readers.readable(file.media_type)
        return
    events_before = session.scalar(select(func.count()).select_from(CustodyEvent))
    job = run_job(job)
    assert job.status == "failed" and job.error.startswith(reason), (job.error, job.result)
    assert job.finished_at is not None and job.result is None
    assert session.scalar(select(func.count()).select_from(EvidenceFile)) == files_before + 1
    assert session.scalar(select(func.count()).select_from(CustodyEvent)) == events_before
    assert session.scalar(select(func.count()).select_from(TextExtraction)) == 0
    assert not list(store.incoming_dir.glob("*"))  # no partial derivative waits anywhere


def test_a_file_without_text_gets_no_job(session, attach):
    _file, job = attach(b"\x00\x01\x02\x03" * 64, "blob.bin")
    assert job is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Приказ подписан", "ru"),
        ("Наказ підписано їм", "uk"),
        ("Загад падпісаў", "be"),
        ("명령에 서명했다", "ko"),
        ("It was signed by the minister", "en"),
        ("Der Befehl wurde unterschrieben", None),
        ("12 34", None),
        ("", None),
    ],
)
def test_language_of_a_page(text, language):
    assert detect_language(text) == language


def test_text_document_is_the_same_bytes_for_the_same_pages(make, session):
    file = EvidenceFile(sha256="a" * 64)
    pages = [{"page": 1, "text": "x", "method": "text_layer", "language": None}]
    assert derive.text_document(file, "t", pages) == derive.text_document(file, "t", list(pages))


def test_a_huge_scanned_page_is_rendered_within_the_pixel_limit(monkeypatch):
    rendered = []

    def read_image(image):
        rendered.append(image.size)
        return "huge"

    monkeypatch.setattr(readers, "MAX_IMAGE_PIXELS", 200_000)
    monkeypatch.setattr(readers.ocr, "read_image", read_image)
    pages = readers.extract(tf.scanned_pdf(tf.scan("wide", "en", size=200)), "application/pdf", lambda *_: None)
    assert [(p.text, p.method) for p in pages.pages] == [("huge", "ocr")]
    ((width, height),) = rendered
    assert width * height <= 200_000 * 1.01
