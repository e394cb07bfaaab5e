"""API: case-file exports of a dossier, sent as the file itself, and the log of past exports."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from models import AuditEvent, CustodyEvent, Export
from tests.test_api.conftest import assert_problem

EXPORT_FIELDS = {
    "id",
    "created_at",
    "actor_name",
    "format",
    "sha256",
    "size",
    "highest_classification",
    "exhibit_count",
    "withheld_count",
}


@pytest.fixture
def case(export_case):
    return export_case


def exports(session) -> int:
    return session.scalar(select(func.count(Export.id)))


@pytest.mark.parametrize(("fmt", "mimetype"), [("csv", "text/csv"), ("ftm", "application/x-ndjson")])
def test_an_export_is_the_file_with_its_hash_and_is_recorded(api, session, case, fmt, mimetype):
    official, public, secret = case
    client = api("analyst", "public")
    response = client.post(f"/dossiers/{official.id}/exports", json={"format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.get_data()
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8")
    assert "KCNA report" in text and "Defector testimony" not in text
    record = session.scalars(select(Export).where(Export.user_id == client.user.id)).one()
    assert response.headers["X-Export-Id"] == str(record.id)
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.size == len(data)
    assert (record.format, record.exhibit_count, record.withheld_count) == (fmt, 1, 1)
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    events = session.scalars(select(CustodyEvent).where(CustodyEvent.event_type == "exported")).all()
    assert [e.evidence_id for e in events] == [public.id]


def test_a_bag_holds_the_files_the_caller_may_see(api, session, case):
    official, _public, _secret = case
    response = api("analyst", "confidential").post(f"/dossiers/{official.id}/exports", json={"format": "bag"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.get_data()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith("/data/dossier.pdf") for n in names) and any(n.endswith("kcna.txt") for n in names)
    record = session.scalars(select(Export)).one()
    assert record.withheld_count == 0 and record.highest_classification == "confidential"
    assert response.headers["X-Content-SHA256"] == record.sha256 == hashlib.sha256(data).hexdigest()


def test_past_exports_are_listed_newest_first(api, session, case):
    official, _public, _secret = case
    client = api("analyst")
    for fmt in ("csv", "ftm"):
        assert client.post(f"/dossiers/{official.id}/exports", json={"format": fmt}).status_code == 200
    response = api("viewer").get(f"/dossiers/{official.id}/exports")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items"}
    assert [item["format"] for item in body["items"]] == ["ftm", "csv"]
    assert set(body["items"][0]) == EXPORT_FIELDS
    assert body["items"][0]["actor_name"] and len(body["items"][0]["sha256"]) == 64
    assert api("viewer").get(f"/dossiers/{official.id + 1000}/exports").status_code == 404


def test_viewers_cannot_export(api, session, case):
    official, _public, _secret = case
    assert_problem(api("viewer").post(f"/dossiers/{official.id}/exports", json={"format": "csv"}), 403, "forbidden")
    assert exports(session) == 0


def test_a_missing_or_deleted_official_is_404_and_nothing_is_recorded(api, session, case):
    official, _public, _secret = case
    client = api("analyst")
    assert_problem(client.post("/dossiers/999999/exports", json={"format": "csv"}), 404, "not-found")
    official.soft_delete("duplicate")
    session.flush()
    assert_problem(client.post(f"/dossiers/{official.id}/exports", json={"format": "csv"}), 404, "not-found")
    assert_problem(client.get(f"/dossiers/{official.id}/exports"), 404, "not-found")
    assert exports(session) == 0


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {"format": "docx"}}, 422),
        ({"json": {}}, 422),
        ({"json": {"format": "csv", "officials": [1]}}, 422),
        ({"json": {"format": 7}}, 422),
        ({"json": {"format": "csv\x00"}}, 422),
        ({"data": "{format", "content_type": "application/json"}, 400),
        ({"data": json.dumps({"format": "csv"}), "content_type": "text/plain"}, 415),
        ({"data": {"format": "csv"}}, 415),
    ],
)
def test_bad_requests_are_problems_and_record_nothing(api, session, case, kwargs, status):
    official, _public, _secret = case
    response = api("analyst").post(f"/dossiers/{official.id}/exports", **kwargs)
    assert_problem(response, status)
    assert exports(session) == 0
    assert session.scalar(select(func.count(CustodyEvent.id)).where(CustodyEvent.event_type == "exported")) == 0


def test_the_document_describes_every_format_as_a_file(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/dossiers/{official_id}/exports"]["post"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/pdf", "application/zip", "application/x-ndjson", "text/csv"}
    assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())
    assert "X-Content-SHA256" in operation["responses"]["200"]["headers"]
