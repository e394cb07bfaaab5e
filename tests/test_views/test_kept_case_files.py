"""Case files built in the background, from the dossier page: asking for one, the job's page,
downloading the kept file again; clearance and roles."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from models import Export, Job, KeptCaseFile
from services.jobs import queue


def build(client, app, official_id: int, fmt: str = "pdf") -> Job:
    response = client.post(f"/dossiers/{official_id}/export-job", data={"format": fmt})
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))
    assert queue.queue_of(app).run(job_id) == "succeeded"
    return job_id


def test_build_then_download_again_from_the_dossier_page(app, client, login, session, export_case):
    official, _public, _secret = export_case
    user = login("analyst", "confidential")
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert "Case files built in the background" in page and "None kept." in page
    job_id = build(client, app, official.id, "bag")
    job_page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    kept = session.scalars(select(KeptCaseFile)).one()
    assert f"/case-files/{kept.id}/download" in job_page
    assert f"/case-files/{kept.id}/download" in client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    for attempt in (1, 2):
        response = client.post(f"/case-files/{kept.id}/download")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Content-Type"] == "application/zip"
        assert hashlib.sha256(response.data).hexdigest() == kept.sha256
        exports = session.scalars(select(Export).where(Export.sha256 == kept.sha256)).all()
        assert len(exports) == attempt and exports[-1].user_id == user.id


def test_viewers_may_not_build_or_download(app, client, login, session, export_case, make_user):
    official, _public, _secret = export_case
    login("analyst", "confidential")
    build(client, app, official.id)
    kept = session.scalars(select(KeptCaseFile)).one()
    client.post("/logout")
    login("viewer", "strictly_confidential")
    assert client.post(f"/dossiers/{official.id}/export-job", data={"format": "pdf"}).status_code == 403
    assert client.post(f"/case-files/{kept.id}/download").status_code == 403
    assert "Case files built in the background" not in client.get(f"/dossiers/{official.id}").get_data(as_text=True)


def test_a_lower_clearance_neither_sees_nor_downloads_it(app, client, login, session, export_case):
    official, _public, _secret = export_case
    login("analyst", "confidential")
    job_id = build(client, app, official.id)
    kept = session.scalars(select(KeptCaseFile)).one()
    client.post("/logout")
    login("analyst", "restricted")
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert kept.sha256 not in page and "None kept." in page
    assert client.post(f"/case-files/{kept.id}/download").status_code == 404
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert session.scalars(select(Export)).all() == []


def test_bad_requests_are_refused_without_a_job(client, login, session, export_case):
    official, _public, _secret = export_case
    login("analyst", "confidential")
    response = client.post(f"/dossiers/{official.id}/export-job", data={"format": "csv"})
    assert response.status_code == 302
    assert "Choose a format: PDF or bag." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.post("/dossiers/987654/export-job", data={"format": "pdf"}).status_code == 404
    assert client.post("/case-files/987654/download").status_code == 404
    assert session.scalars(select(Job)).all() == []
