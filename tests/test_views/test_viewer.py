"""The viewer (issue 22 item 4): PDF pages and images drawn on the server and kept, the stored
text of each page beside them, audio and video by byte ranges; one audit event per view; the
download's access rules exactly; hostile addresses answered 400/404, corrupt files a message."""

from __future__ import annotations

import io
import struct
import wave

import pytest
from PIL import Image
from sqlalchemy import func, select

from models import AuditEvent, CustodyEvent
from services.evidence import viewer
from services.evidence.files import attach_file
from services.evidence.fixity import Report, check_files
from services.evidence.store import store_for
from services.evidence.text import derive
from tests import text_files as tf

CORRUPT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def wav_bytes(seconds: float = 0.5) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(struct.pack("<h", (i * 37) % 3000) for i in range(int(8000 * seconds))))
    return buffer.getvalue()


@pytest.fixture
def store(app, evidence_dir):
    return store_for(app.config)


@pytest.fixture
def attach(session, store, make):
    """``attach(data, name, **exhibit)``: a file of a new exhibit, committed (so in the store)."""

    def attach_one(data: bytes, name: str, *, text: bool = False, **exhibit):
        evidence = make.evidence(**exhibit)
        incoming = store.receive()
        incoming.write(data)
        incoming.flush()
        file = attach_file(session, store, evidence, incoming, original_name=name, actor=None)
        session.commit()
        if text:
            derive.extract_file(session, store, file, None, lambda done, total: None)
            session.commit()
        return file

    return attach_one


@pytest.fixture
def pdf(attach):
    return attach(tf.text_pdf("Federation Council consent", "Second page of the decree"), "decree.pdf", text=True)


def view_events(session, file) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == "view", AuditEvent.entity_type == "evidence_file", AuditEvent.entity_id == file.id
            )
            .order_by(AuditEvent.id)
        )
    )


def test_a_pdf_is_shown_page_by_page_with_its_text(client, login, session, pdf):
    user = login("viewer")
    page = client.get(f"/files/{pdf.id}/view")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="viewer-page"') == 2
    assert f"/files/{pdf.id}/pages/1?width={viewer.DEFAULT_WIDTH}" in html
    assert f"/files/{pdf.id}/pages/2?width={viewer.DEFAULT_WIDTH}" in html
    assert '<div class="text-layer" data-page="1">Federation Council consent</div>' in html
    assert "Second page of the decree" in html
    assert 'src="/static/viewer.js"' in html and "<script>" not in html
    image = client.get(f"/files/{pdf.id}/pages/2?width=800")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data.startswith(PNG_MAGIC)
    assert Image.open(io.BytesIO(image.data)).width == 800
    assert image.headers["Cache-Control"] == "private, no-store"
    [event] = view_events(session, pdf)  # the page, not its images
    assert (event.actor_id, event.parent_type, event.parent_id) == (user.id, "evidence", pdf.evidence_id)
    assert event.after["exhibit_no"] == pdf.evidence.exhibit_no
    client.get(f"/files/{pdf.id}/view")
    assert len(view_events(session, pdf)) == 2  # each view of the file


def test_viewing_writes_no_custody_event_and_downloads_stay_as_they_are(client, login, session, pdf):
    login("viewer")
    before = session.scalar(select(func.count()).select_from(CustodyEvent))
    client.get(f"/files/{pdf.id}/view")
    client.get(f"/files/{pdf.id}/pages/1")
    assert session.scalar(select(func.count()).select_from(CustodyEvent)) == before
    assert client.get(f"/files/{pdf.id}/download").status_code == 405
    assert client.post(f"/files/{pdf.id}/download").status_code == 200
    assert session.scalar(select(func.count()).select_from(CustodyEvent)) == before + 1


def test_a_page_is_drawn_once_and_kept_by_hash_page_and_width(client, login, store, pdf, monkeypatch):
    login("viewer")
    first = client.get(f"/files/{pdf.id}/pages/1?width=480")
    assert first.status_code == 200
    kept = store.renders_dir / pdf.sha256[:2] / pdf.sha256 / "1-480.png"
    assert kept.read_bytes() == first.data

    drawn = []
    draw = viewer._draw_pdf_page
    monkeypatch.setattr(viewer, "_draw_pdf_page", lambda *args: drawn.append(args) or draw(*args))
    assert client.get(f"/files/{pdf.id}/pages/1?width=480").data == first.data
    assert drawn == []
    assert client.get(f"/files/{pdf.id}/pages/1?width=800").status_code == 200  # another size is another image
    assert len(drawn) == 1
    assert (kept.parent / "1-800.png").is_file()


def test_kept_pages_are_no_problem_for_fixity(client, login, session, store, pdf):
    login("viewer")
    assert client.get(f"/files/{pdf.id}/pages/1").status_code == 200
    report = Report()
    check_files(session, store, report, lambda sha: None)
    assert [p for p in report.problems if p.kind in ("stray_file", "orphan_file")] == []


@pytest.mark.parametrize(
    ("page", "width", "status"),
    [
        ("abc", None, 400),
        ("0", None, 400),
        ("-1", None, 400),
        ("1.5", None, 400),
        ("٣", None, 400),  # an Arabic-Indic digit
        ("99999999999999999999", None, 400),
        ("3", None, 404),
        ("1000000", None, 404),
        ("1", "99999999999999", 400),
        ("1", "abc", 400),
        ("1", "801", 400),
        ("1", "-800", 400),
        ("1", "0", 400),
    ],
)
def test_hostile_page_addresses_are_refused_clearly(client, login, pdf, page, width, status):
    login("viewer")
    query = f"?width={width}" if width is not None else ""
    response = client.get(f"/files/{pdf.id}/pages/{page}{query}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert "page" in response.get_data(as_text=True).lower()


def test_unknown_files_are_404(client, login):
    login("viewer")
    for path in ("/files/999999/view", "/files/999999/pages/1", "/files/999999/media", "/files/99999999999999/view"):
        assert client.get(path).status_code == 404


def test_a_corrupt_pdf_says_so(client, login, attach):
    file = attach(CORRUPT_PDF, "broken.pdf")
    login("viewer")
    page = client.get(f"/files/{file.id}/view")
    assert page.status_code == 200
    assert "The PDF cannot be shown: it cannot be read" in page.get_data(as_text=True)
    image = client.get(f"/files/{file.id}/pages/1")
    assert image.status_code == 422
    assert "The PDF cannot be shown" in image.get_data(as_text=True)


def test_images_and_the_frames_of_a_tiff(client, login, attach):
    png = attach(tf.png(Image.new("RGB", (300, 200), "white")), "scan.png")
    tiff = attach(tf.tiff(Image.new("L", (100, 100), 255), Image.new("L", (2000, 1000), 0)), "scans.tiff")
    login("viewer")
    drawn = client.get(f"/files/{png.id}/pages/1?width=480")
    assert drawn.status_code == 200
    assert Image.open(io.BytesIO(drawn.data)).size == (300, 200)  # a small image is not enlarged
    assert client.get(f"/files/{png.id}/pages/2").status_code == 404
    assert client.get(f"/files/{tiff.id}/view").get_data(as_text=True).count('class="viewer-page"') == 2
    second = client.get(f"/files/{tiff.id}/pages/2?width=800")
    assert Image.open(io.BytesIO(second.data)).size == (800, 400)


def test_an_unreadable_image_says_so(client, login, attach):
    file = attach(tf.png(Image.new("RGB", (300, 200), "white"))[:80], "cut.png")
    login("viewer")
    assert file.media_type == "image/png"
    assert client.get(f"/files/{file.id}/view").status_code == 200  # its header still reads
    drawn = client.get(f"/files/{file.id}/pages/1")
    assert drawn.status_code == 422
    assert "The image cannot be shown: it cannot be read" in drawn.get_data(as_text=True)


def test_media_is_played_by_byte_ranges(client, login, attach):
    data = wav_bytes()
    file = attach(data, "intercept.wav")
    assert file.media_type.startswith("audio/")
    login("viewer")
    page = client.get(f"/files/{file.id}/view").get_data(as_text=True)
    assert f'<audio controls preload="metadata" src="/files/{file.id}/media"' in page
    whole = client.get(f"/files/{file.id}/media")
    assert whole.status_code == 200 and whole.data == data
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["Content-Disposition"] == "inline"
    first = client.get(f"/files/{file.id}/media", headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert first.data == data[:100] and first.headers["Content-Length"] == "100"
    tail = client.get(f"/files/{file.id}/media", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == data[-10:]
    assert tail.headers["Content-Range"] == f"bytes {len(data) - 10}-{len(data) - 1}/{len(data)}"
    rest = client.get(f"/files/{file.id}/media", headers={"Range": f"bytes={len(data) - 5}-"})
    assert rest.status_code == 206 and rest.data == data[-5:]
    past = client.get(f"/files/{file.id}/media", headers={"Range": f"bytes={len(data) + 10}-"})
    assert past.status_code == 416
    assert past.headers["Content-Range"] == f"bytes */{len(data)}"
    nonsense = client.get(f"/files/{file.id}/media", headers={"Range": "bytes=abc"})
    assert nonsense.status_code == 416 and nonsense.headers["Content-Range"] == f"bytes */{len(data)}"


def test_only_audio_and_video_are_streamed(client, login, pdf):
    login("viewer")
    assert client.get(f"/files/{pdf.id}/media").status_code == 404


ROUTES = ("view", "pages/1", "media")


@pytest.mark.parametrize("classification", ["restricted", "confidential", "strictly_confidential"])
def test_a_file_above_the_clearance_is_missing_exactly_as_for_its_download(
    client, login, attach, classification, session
):
    pdf = attach(tf.text_pdf("Secret text"), "secret.pdf", text=True, classification=classification)
    audio = attach(wav_bytes(0.1), "secret.wav", classification=classification)
    login("viewer", "public")
    assert client.post(f"/files/{pdf.id}/download").status_code == 404
    for file in (pdf, audio):
        for route in ROUTES:
            response = client.get(f"/files/{file.id}/{route}")
            assert response.status_code == 404, route
            assert "Secret text" not in response.get_data(as_text=True)
    assert view_events(session, pdf) == []


def test_a_cleared_viewer_sees_it(client, login, attach):
    pdf = attach(tf.text_pdf("Restricted text"), "restricted.pdf", text=True, classification="restricted")
    login("viewer", "restricted")
    assert "Restricted text" in client.get(f"/files/{pdf.id}/view").get_data(as_text=True)
    assert client.get(f"/files/{pdf.id}/pages/1").status_code == 200


def test_a_deleted_exhibits_files_are_missing(client, login, session, pdf):
    from models.base import utcnow

    pdf.evidence.deleted_at = utcnow()
    session.commit()
    login("viewer")
    assert client.post(f"/files/{pdf.id}/download").status_code == 404
    for route in ROUTES:
        assert client.get(f"/files/{pdf.id}/{route}").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, pdf):
    for route in ROUTES:
        response = client.get(f"/files/{pdf.id}/{route}")
        assert response.status_code in (302, 401)


def test_a_file_without_text_says_so_and_the_exhibit_page_links_the_viewer(client, login, attach):
    file = attach(b"plain words, not extracted yet\n", "note.txt")
    login("viewer")
    assert "No text has been extracted from this file yet." in client.get(f"/files/{file.id}/view").get_data(
        as_text=True
    )
    assert f'href="/files/{file.id}/view"' in client.get(f"/evidence/{file.evidence_id}").get_data(as_text=True)


def test_a_changed_stored_file_is_not_shown(client, login, store, pdf):
    import os

    path = store.path_for(pdf.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes() + b"x")
    login("viewer")
    response = client.get(f"/files/{pdf.id}/view")
    assert response.status_code == 409
    assert "Integrity check failed" in response.get_data(as_text=True)
