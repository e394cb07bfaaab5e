"""Bulk intake from the interface: the zip upload page, its job, and the job's page with the
per-file report, shown only to the uploader or an administrator cleared as far."""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from models import AuditEvent, Evidence, Job
from services.jobs import queue


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


GOOD = {
    "указ.txt": "Указ Президента".encode(),
    "kcna.txt": "조선중앙통신".encode(),
    "../escape.txt": b"evil",
    "metadata.csv": "file,title,classification,grade\nуказ.txt,Указ № 71,restricted,B2\n".encode(),
}


def upload(client, data: bytes, name: str = "batch.zip", **fields):
    form = {"archive": (io.BytesIO(data), name), "classification": "public", "kind": "document", **fields}
    return client.post("/evidence/intake", data=form, content_type="multipart/form-data")


def job_id_of(response) -> int:
    match = re.search(r"/jobs/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def test_the_page_is_for_analysts_with_a_labelled_form(client, login):
    login("viewer")
    assert client.get("/evidence/intake").status_code == 403
    client.post("/logout")
    login("analyst", "restricted")
    page = client.get("/evidence/intake").get_data(as_text=True)
    assert '<label for="archive"' in page and "<h1>Bulk intake</h1>" in page
    assert 'value="confidential"' not in page  # only classifications up to the uploader's clearance


def test_an_uploaded_zip_runs_as_a_job_and_its_page_shows_the_report(app, client, login, session, evidence_dir):
    user = login("analyst", "restricted")
    response = upload(client, zip_bytes(GOOD))
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = job_id_of(response)
    job = session.get(Job, job_id)
    assert (job.kind, job.status, job.clearance, job.requested_by_id) == (
        "bulk_intake",
        "queued",
        "restricted",
        user.id,
    )
    waiting = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting
    assert queue.queue_of(app).run(job_id) == "succeeded"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "2 created, 0 skipped, 1 refused." in page
    assert "its path leaves the archive or is absolute" in page
    exhibits = {e.title: e for e in session.scalars(select(Evidence))}
    assert set(exhibits) == {"Указ № 71", "kcna"}
    decree = exhibits["Указ № 71"]
    assert (decree.classification, decree.reliability, decree.credibility) == ("restricted", "B", "2")
    assert f'href="/evidence/{decree.id}"' in page
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.entity_type == "evidence")
    )
    assert {a.actor_id for a in created} == {user.id}
    assert not list((evidence_dir / ".intake").iterdir())  # the archive goes once ingested
    # the same archive again: nothing new
    again = job_id_of(upload(client, zip_bytes(GOOD)))
    queue.queue_of(app).run(again)
    assert "0 created, 2 skipped, 1 refused." in client.get(f"/jobs/{again}").get_data(as_text=True)


def test_the_job_page_is_for_its_uploader_and_cleared_administrators(app, client, login, session, make_user):
    login("analyst", "confidential")
    job_id = job_id_of(upload(client, zip_bytes({"a.txt": b"a"})))
    queue.queue_of(app).run(job_id)
    client.post("/logout")
    login("analyst", "strictly_confidential")  # another analyst: not theirs
    assert client.get(f"/jobs/{job_id}").status_code == 404
    client.post("/logout")
    login("admin", "restricted")  # an administrator below the uploader's clearance
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert f"#{job_id}<" not in client.get("/jobs").get_data(as_text=True)
    client.post("/logout")
    login("admin", "confidential")
    assert client.get(f"/jobs/{job_id}").status_code == 200
    assert f"#{job_id}<" in client.get("/jobs").get_data(as_text=True)


def test_bad_uploads_are_refused_with_a_message_and_leave_nothing(
    client, login, session, evidence_dir, app, monkeypatch
):
    login("analyst")
    not_zip = upload(client, b"plain text, not an archive", name="x.zip")
    assert not_zip.status_code == 400
    assert "The file is not a zip archive." in not_zip.get_data(as_text=True)
    monkeypatch.setitem(app.config, "INTAKE_MAX_FILES", 2)
    many = upload(client, zip_bytes({f"{i}.txt": b"x" for i in range(3)}))
    assert many.status_code == 400
    assert "more than the limit of 2" in many.get_data(as_text=True)
    above = upload(client, zip_bytes({"a.txt": b"a"}), classification="confidential")
    assert above.status_code == 400
    assert "Not a valid choice" in above.get_data(as_text=True)
    missing = client.post("/evidence/intake", data={"classification": "public", "kind": "document"})
    assert missing.status_code == 400
    assert session.scalars(select(Job)).all() == []
    for folder in (".incoming", ".intake"):
        assert not (evidence_dir / folder).exists() or list((evidence_dir / folder).iterdir()) == []


def test_a_too_large_upload_is_refused_with_413(client, login, upload_limit, session):
    login("analyst")
    upload_limit(200)
    assert upload(client, b"x" * 1000).status_code == 413


def test_an_unusable_sidecar_fails_the_job_with_its_reason(app, client, login, session):
    login("analyst")
    data = zip_bytes({"a.txt": b"a", "metadata.csv": b"file,clasification\na.txt,public\n"})
    job_id = job_id_of(upload(client, data))
    assert queue.queue_of(app).run(job_id) == "failed"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Nothing was ingested" in page and "clasification" in page
    assert session.scalars(select(Evidence)).all() == []


def test_the_form_needs_its_csrf_token(app, client, login, monkeypatch):
    login("analyst")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(client, zip_bytes({"a.txt": b"a"}))
    assert response.status_code == 400
