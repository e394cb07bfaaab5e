"""Evidence files through the API: multipart uploads through the streaming machinery (hashed
as they arrive, nothing left behind when refused), derivatives, and downloads by SHA-256 that
are re-verified, logged in each visible exhibit's chain of custody, and hidden like missing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import CustodyEvent, EvidenceFile
from services.evidence import custody
from services.evidence.store import EvidenceStore
from tests.test_api.conftest import assert_problem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "Протокол засідання Ради безпеки, 21.02.2022\n".encode()
FILE_FIELDS = {"sha256", "size", "media_type", "name"}
UPLOAD_FIELDS = FILE_FIELDS | {"derivation", "parent_sha256"}


def upload(client, evidence_id: int, content: bytes = PDF, name: str = "order.pdf", **form: str):
    data: dict = {"file": (io.BytesIO(content), name), **form}
    return client.post(f"/evidence/{evidence_id}/files", data=data, content_type="multipart/form-data")


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.relative_to(root).parts)


def leftovers(root: Path) -> list[str]:
    incoming = root / ".incoming"
    return sorted(os.listdir(incoming)) if incoming.exists() else []


def file_count(session) -> int:
    return session.scalar(select(func.count()).select_from(EvidenceFile)) or 0


def events_of(session, evidence) -> list[CustodyEvent]:
    query = select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id).order_by(CustodyEvent.id)
    return list(session.scalars(query))


def nothing_kept(session, evidence_dir: Path) -> bool:
    return file_count(session) == 0 and stored(evidence_dir) == [] and leftovers(evidence_dir) == []


# --- uploads ----------------------------------------------------------------------------------


def test_upload_then_download_round_trip(api, make, session, evidence_dir):
    evidence = make.evidence()
    analyst = api("analyst")
    response = upload(analyst, evidence.id, purpose="Received from the OPG")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    sha = hashlib.sha256(PDF).hexdigest()
    assert set(body) == UPLOAD_FIELDS
    assert body == {
        "sha256": sha,
        "size": len(PDF),
        "media_type": "application/pdf",
        "name": "order.pdf",
        "derivation": None,
        "parent_sha256": None,
    }
    assert stored(evidence_dir) == [evidence_dir / sha[:2] / sha[2:4] / sha] and leftovers(evidence_dir) == []
    [received] = events_of(session, evidence)
    assert (received.event_type, received.verified_sha256, received.actor_id) == ("received", sha, analyst.user.id)
    assert received.purpose == "Received from the OPG"
    # the exhibit lists the file with exactly the contract's fields
    [listed] = analyst.get(f"/evidence/{evidence.id}").get_json()["files"]
    assert set(listed) == FILE_FIELDS and listed == {k: body[k] for k in FILE_FIELDS}

    viewer = api("viewer")
    download = viewer.get(f"/files/{sha}")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == sha and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=order.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"
    assert "ETag" not in download.headers
    event = events_of(session, evidence)[-1]
    assert (event.event_type, event.actor_id, event.verified_sha256) == ("downloaded", viewer.user.id, sha)
    assert event.purpose == "Downloaded through the API"
    assert custody.verify_chain(*custody.chain_of(session, evidence.id)) == []


def test_hostile_names_stay_metadata(api, make, session, evidence_dir):
    evidence = make.evidence()
    response = upload(api("analyst"), evidence.id, name="../../\u202eetc/passwd\x00.pdf")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["name"] == "passwd.pdf"
    sha = hashlib.sha256(PDF).hexdigest()
    assert stored(evidence_dir) == [evidence_dir / sha[:2] / sha[2:4] / sha]


def test_a_derivative_names_its_parent(api, make, session, evidence_dir):
    evidence = make.evidence()
    client = api("analyst")
    parent = upload(client, evidence.id).get_json()
    response = upload(
        client,
        evidence.id,
        TEXT,
        "uk.txt",
        derivation="translation",
        parent_sha256=parent["sha256"],
        note="Sworn translation by J. Doe",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["derivation"], body["parent_sha256"]) == ("translation", parent["sha256"])
    child = session.scalars(select(EvidenceFile).where(EvidenceFile.sha256 == body["sha256"])).one()
    assert (child.parent.sha256, child.derivation_note) == (parent["sha256"], "Sworn translation by J. Doe")
    assert "Derivative (translation)" in events_of(session, evidence)[-1].purpose


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"derivation": "translation", "note": "x"}, "parent_sha256"),
        ({"derivation": "translation", "parent_sha256": "PARENT"}, "note"),
        ({"derivation": "translation", "parent_sha256": "PARENT", "note": "  "}, "note"),
        ({"derivation": "translation", "parent_sha256": "0" * 64, "note": "x"}, "parent_sha256"),
        ({"derivation": "translation", "parent_sha256": "ABC", "note": "x"}, "parent_sha256"),
        ({"derivation": "guess", "parent_sha256": "PARENT", "note": "x"}, "derivation"),
        ({"note": "without a derivation"}, "note"),
        ({"purpose": "a\x00b"}, "purpose"),
        ({"purpose": "x" * 2001}, "purpose"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_upload_fields_are_refused_and_nothing_is_kept(api, make, session, evidence_dir, form, field):
    evidence = make.evidence()
    client = api("analyst")
    parent = upload(client, evidence.id).get_json()["sha256"]
    form = {k: parent if v == "PARENT" else v for k, v in form.items()}
    before = file_count(session), len(stored(evidence_dir)), len(events_of(session, evidence))
    problem = assert_problem(upload(client, evidence.id, TEXT, "uk.txt", **form), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert (file_count(session), len(stored(evidence_dir)), len(events_of(session, evidence))) == before
    assert leftovers(evidence_dir) == []


def test_empty_duplicate_and_missing_files_are_refused(api, make, session, evidence_dir):
    evidence = make.evidence()
    client = api("analyst")
    problem = assert_problem(upload(client, evidence.id, b"", "blank.txt"), 422, "validation")
    assert problem["errors"][0]["field"] == "file"
    assert nothing_kept(session, evidence_dir)
    assert upload(client, evidence.id).status_code == 201
    problem = assert_problem(upload(client, evidence.id, PDF, "copy.pdf"), 409, "duplicate")
    assert "already attached to this exhibit" in problem["detail"]
    assert file_count(session) == 1 and len(stored(evidence_dir)) == 1 and leftovers(evidence_dir) == []
    no_file = client.post(f"/evidence/{evidence.id}/files", data={"purpose": "x"}, content_type="multipart/form-data")
    assert assert_problem(no_file, 422)["errors"][0]["field"] == "file"
    as_text = client.post(
        f"/evidence/{evidence.id}/files", data={"file": "not a file"}, content_type="multipart/form-data"
    )
    assert assert_problem(as_text, 422)["errors"][0]["field"] == "file"


def test_a_body_that_is_not_multipart_is_refused(api, make, session, evidence_dir):
    evidence = make.evidence()
    client = api("analyst")
    assert_problem(client.post(f"/evidence/{evidence.id}/files", json={"file": "x"}), 415, "unsupported-media-type")
    assert_problem(client.post(f"/evidence/{evidence.id}/files", data=PDF, content_type="application/pdf"), 415)
    assert_problem(client.post(f"/evidence/{evidence.id}/files"), 415)
    assert nothing_kept(session, evidence_dir)


def test_an_upload_over_the_limit_gets_413_and_leaves_nothing(api, make, session, evidence_dir, upload_limit):
    evidence = make.evidence()
    client = api("analyst")
    upload_limit(1000)
    response = upload(client, evidence.id, b"x" * 5000, "big.bin")
    problem = assert_problem(response, 413, "too-large")
    assert "larger than the limit of 1000 B" in problem["detail"]
    assert nothing_kept(session, evidence_dir) and events_of(session, evidence) == []
    # a body beyond even the form allowance is refused before it is read
    assert_problem(upload(client, evidence.id, b"x" * 200_000, "bigger.bin"), 413, "too-large")
    assert nothing_kept(session, evidence_dir)


def test_a_truncated_upload_is_refused_and_leaves_nothing(api, make, session, evidence_dir):
    evidence = make.evidence()
    boundary = "tribunal-boundary-7d1f"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="cut.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF * 200  # the body ends mid-file: no closing boundary
    response = api("analyst").post(
        f"/evidence/{evidence.id}/files", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert "interrupted" in assert_problem(response, 400, "malformed-request")["detail"]
    assert nothing_kept(session, evidence_dir)


def test_a_viewer_cannot_upload(api, make, session, evidence_dir):
    evidence = make.evidence()
    assert_problem(upload(api("viewer", "strictly_confidential"), evidence.id), 403, "forbidden")
    assert nothing_kept(session, evidence_dir)


@pytest.mark.parametrize("state", ["hidden", "missing", "deleted"])
def test_no_uploads_to_hidden_missing_or_deleted_exhibits(api, make, session, evidence_dir, state):
    evidence = make.evidence(classification="confidential" if state == "hidden" else "public")
    if state == "deleted":
        evidence.soft_delete("duplicate")
        session.flush()
    evidence_id = evidence.id + 1000 if state == "missing" else evidence.id
    assert_problem(upload(api("analyst", "restricted"), evidence_id), 404, "not-found")
    assert nothing_kept(session, evidence_dir) and events_of(session, evidence) == []


# --- downloads --------------------------------------------------------------------------------


@pytest.fixture
def uploaded(api, make, session, evidence_dir):
    """A public exhibit holding the PDF, uploaded through the API; returns it and the hash."""
    evidence = make.evidence(exhibit_no="P-0042")
    assert upload(api("analyst"), evidence.id).status_code == 201
    return evidence, hashlib.sha256(PDF).hexdigest()


def test_a_download_is_logged_on_each_visible_exhibit_holding_the_bytes(api, make, session, uploaded):
    evidence, sha = uploaded
    second = make.evidence(classification="restricted")
    secret = make.evidence(classification="confidential")
    gone = make.evidence()
    gone.soft_delete("withdrawn")
    for holder in (second, secret, gone):
        session.add(EvidenceFile(evidence=holder, sha256=sha, size=len(PDF), media_type="application/pdf"))
    session.flush()
    before = {e.id: len(events_of(session, e)) for e in (evidence, second, secret, gone)}
    viewer = api("viewer", "restricted")
    assert viewer.get(f"/files/{sha}").status_code == 200
    after = {e.id: len(events_of(session, e)) for e in (evidence, second, secret, gone)}
    assert after == {
        evidence.id: before[evidence.id] + 1,
        second.id: before[second.id] + 1,
        secret.id: before[secret.id],
        gone.id: before[gone.id],
    }
    assert events_of(session, second)[-1].verified_sha256 == sha


def test_bytes_held_only_by_hidden_or_deleted_exhibits_are_not_found(api, make, session, uploaded):
    evidence, sha = uploaded
    evidence.classification = "confidential"
    session.flush()
    client = api("viewer", "restricted")
    assert_problem(client.get(f"/files/{sha}"), 404, "not-found")
    evidence.classification = "public"
    evidence.deleted_at = dt.datetime.now(dt.UTC)
    session.flush()
    assert_problem(client.get(f"/files/{sha}"), 404, "not-found")
    assert [e.event_type for e in events_of(session, evidence)] == ["received"]


@pytest.mark.parametrize("path", ["0" * 64, "A" * 64, "g" * 64, "abc", "a" * 65, "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_or_malformed_hashes_are_not_found(api, uploaded, path):
    assert_problem(api("viewer").get(f"/files/{path}"), 404)


def test_altered_bytes_are_not_served(api, session, evidence_dir, uploaded):
    evidence, sha = uploaded
    path = EvidenceStore(evidence_dir).path_for(sha)
    os.chmod(path, 0o600)  # the store leaves its files read-only
    data = bytearray(path.read_bytes())
    data[5] ^= 0x01
    path.write_bytes(bytes(data))
    before = len(events_of(session, evidence))
    response = api("viewer").get(f"/files/{sha}")
    problem = assert_problem(response, 409)
    assert "no longer matches the hash" in problem["detail"]
    assert "Content-Disposition" not in response.headers
    assert len(events_of(session, evidence)) == before


def test_head_is_refused_so_no_download_is_logged_without_bytes(api, session, uploaded):
    evidence, sha = uploaded
    before = len(events_of(session, evidence))
    response = api("viewer").request("HEAD", f"/files/{sha}")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"
    assert len(events_of(session, evidence)) == before


def test_the_openapi_document_describes_multipart_and_binary(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    upload_op = spec["paths"]["/api/v1/evidence/{evidence_id}/files"]["post"]
    assert list(upload_op["requestBody"]["content"]) == ["multipart/form-data"]
    schema = spec["components"]["schemas"]["EvidenceFileUpload"]
    assert schema["properties"]["file"] == {
        "description": "The bytes, hashed (SHA-256) as they arrive.",
        "type": "string",
        "format": "binary",
    }
    assert schema["required"] == ["file"]
    download = spec["paths"]["/api/v1/files/{sha256}"]
    content = download["get"]["responses"]["200"]["content"]
    assert content["application/octet-stream"]["schema"] == {"type": "string", "format": "binary"}
    [parameter] = download["parameters"]
    assert parameter["schema"]["pattern"] == "^[0-9a-f]{64}$"
