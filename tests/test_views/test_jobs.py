"""Jobs in the interface: an upload queues its text extraction; the exhibit page shows each
job's status, progress, result or error; administrators see the jobs page and retry failed
jobs; nothing of a job about an exhibit shows to anyone not cleared for it."""

from __future__ import annotations

import io

from sqlalchemy import select

from models import Job
from services.evidence.files import attach_file
from services.evidence.store import store_for
from services.jobs import queue, records
from tests import text_files as tf


def failed_job(app, session, exhibit) -> Job:
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(b"%PDF-1.4\nnot a document")
    incoming.flush()
    file = attach_file(session, store, exhibit, incoming, original_name="broken.pdf", actor=None)
    job = records.schedule_extraction(session, file, None)
    records.take_pending(session)
    session.commit()
    queue.queue_of(app).run(job.id)
    session.expire_all()
    return session.get(Job, job.id)


def test_an_upload_queues_its_text_extraction(app, client, login, make, session, evidence_dir):
    login("analyst")
    exhibit = make.evidence()
    huey = queue.queue_of(app).huey
    before = huey.pending_count()
    data = {"files": [(io.BytesIO(tf.LINES["uk"].encode()), "statement.txt"), (io.BytesIO(b"\0\1\2" * 9), "x.bin")]}
    response = client.post(f"/evidence/{exhibit.id}/files", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    jobs = session.scalars(select(Job).where(Job.evidence_id == exhibit.id)).all()
    assert [(j.kind, j.status, j.evidence_file.original_name) for j in jobs] == [
        ("extract_text", "queued", "statement.txt")
    ]
    assert huey.pending_count() == before + 1
    queue.queue_of(app).run(jobs[0].id)
    page = client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    assert "1 page of text extracted" in page and "1 page · uk" in page
    assert "statement.txt.text.json" in page


def test_the_exhibit_page_shows_a_failed_job_and_only_admins_may_retry(app, client, login, make, session, evidence_dir):
    exhibit = make.evidence()
    job = failed_job(app, session, exhibit)
    login("analyst")
    page = client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    assert "The PDF cannot be read" in page and f"/jobs/{job.id}/retry" not in page
    assert client.post(f"/jobs/{job.id}/retry").status_code == 403
    assert client.get("/jobs").status_code == 403


def test_an_admin_retries_a_failed_job(app, client, login, make, session, evidence_dir):
    exhibit = make.evidence()
    job = failed_job(app, session, exhibit)
    login("admin")
    page = client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    assert f"/jobs/{job.id}/retry" in page
    listing = client.get("/jobs?status=failed").get_data(as_text=True)
    assert exhibit.exhibit_no in listing and "The PDF cannot be read" in listing
    huey = queue.queue_of(app).huey
    before = huey.pending_count()
    response = client.post(f"/jobs/{job.id}/retry", data={"back": "exhibit"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/evidence/{exhibit.id}#text")
    session.expire_all()
    assert session.get(Job, job.id).status == "queued" and huey.pending_count() == before + 1
    response = client.post(f"/jobs/{job.id}/retry")  # no longer failed: refused with a message
    assert response.status_code == 302
    assert "Only a failed job can be retried" in client.get("/jobs").get_data(as_text=True)


def test_jobs_of_an_exhibit_above_the_clearance_do_not_show(app, client, login, make, session, evidence_dir):
    hidden = make.evidence(classification="confidential")
    job = failed_job(app, session, hidden)
    login("admin", "public")
    empty = client.get("/jobs").get_data(as_text=True)
    assert hidden.exhibit_no not in empty and "The PDF cannot be read" not in empty and "0 records" in empty
    assert client.post(f"/jobs/{job.id}/retry").status_code == 404
    assert client.get("/jobs?status=failed").status_code == 200
    session.expire_all()
    assert session.get(Job, job.id).status == "failed"


def test_an_analyst_asks_for_the_text_of_an_existing_file(app, client, login, make, session, evidence_dir):
    exhibit = make.evidence()
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(tf.LINES["be"].encode())
    incoming.flush()
    file = attach_file(session, store, exhibit, incoming, original_name="old.txt", actor=None)
    session.commit()
    login("viewer")
    assert client.post(f"/evidence/{exhibit.id}/files/{file.id}/extract").status_code == 403
    assert "Extract text" not in client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    client.post("/logout")
    login("analyst")
    assert "Extract text" in client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    response = client.post(f"/evidence/{exhibit.id}/files/{file.id}/extract")
    assert response.status_code == 302
    job = session.scalars(select(Job).where(Job.evidence_file_id == file.id)).one()
    other = make.evidence()
    assert client.post(f"/evidence/{other.id}/files/{file.id}/extract").status_code == 404
    assert queue.queue_of(app).run(job.id) == "succeeded"
    page = client.get(f"/evidence/{exhibit.id}").get_data(as_text=True)
    assert "1 page · be" in page and "Extract text" not in page


def test_the_command_extracts_the_text_of_existing_files(app, runner, make, session, evidence_dir):
    exhibit = make.evidence()
    store = store_for(app.config)
    for name, data in (("a.txt", tf.LINES["en"].encode()), ("b.docx", tf.docx(tf.LINES["ru"]))):
        incoming = store.receive()
        incoming.write(data)
        incoming.flush()
        attach_file(session, store, exhibit, incoming, original_name=name, actor=None)
    session.commit()
    result = runner.invoke(args=["evidence", "extract", "--now"])
    assert result.exit_code == 0, result.output
    assert "Queued 2 text extraction job(s)." in result.output and "2 succeeded, 0 failed" in result.output
    result = runner.invoke(args=["evidence", "extract", "--all"])
    assert result.exit_code == 0 and "Queued 0 text extraction job(s)." in result.output


def test_the_jobs_page_reads_a_fixed_number_of_queries(app, client, login, make, session, evidence_dir, count_queries):
    login("admin", "strictly_confidential")
    failed_job(app, session, make.evidence())
    with count_queries() as one:
        assert client.get("/jobs").status_code == 200
    for _ in range(3):
        failed_job(app, session, make.evidence())
    with count_queries() as four:
        assert client.get("/jobs").status_code == 200
    assert four.count == one.count
