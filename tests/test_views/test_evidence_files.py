"""An exhibit's files and chain of custody through the web: uploads (all-or-nothing, hashed
as they arrive, contained in the store), derivatives, downloads that are re-verified and
logged, manual custody events, and the administrators' fixity page."""

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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "Протокол засідання Ради безпеки, 21.02.2022\n".encode()


def upload(client, evidence, *files: tuple[str, bytes], purpose: str | None = None):
    data: dict = {"files": [(io.BytesIO(content), name) for name, content in files]}
    if purpose is not None:
        data["purpose"] = purpose
    return client.post(f"/evidence/{evidence.id}/files", data=data, content_type="multipart/form-data")


def stored(root: Path) -> list[Path]:
    """Every file in the store outside its incoming folder."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".incoming" not in p.relative_to(root).parts)


def leftovers(root: Path) -> list[str]:
    incoming = root / ".incoming"
    return sorted(os.listdir(incoming)) if incoming.exists() else []


def file_rows(session, evidence=None) -> list[EvidenceFile]:
    query = select(EvidenceFile).order_by(EvidenceFile.id)
    if evidence is not None:
        query = query.where(EvidenceFile.evidence_id == evidence.id)
    return list(session.scalars(query))


def events_of(session, evidence) -> list[CustodyEvent]:
    return list(
        session.scalars(
            select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id).order_by(CustodyEvent.id)
        ).all()
    )


def event_count(session, evidence) -> int:
    return session.scalar(select(func.count()).select_from(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id))


def flip_a_byte(path: Path) -> None:
    os.chmod(path, 0o600)  # the store leaves its files read-only
    data = bytearray(path.read_bytes())
    data[5] ^= 0x01
    path.write_bytes(bytes(data))


# --- uploads ----------------------------------------------------------------------------------


def test_an_upload_is_stored_under_the_sha256_of_its_bytes(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    user = login("analyst")
    response = upload(client, evidence, ("order.pdf", PDF), purpose="Received from the OPG")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/evidence/{evidence.id}"
    [record] = file_rows(session, evidence)
    sha = hashlib.sha256(PDF).hexdigest()
    assert (record.sha256, record.size, record.media_type) == (sha, len(PDF), "application/pdf")
    assert record.original_name == "order.pdf" and record.uploaded_by_id == user.id
    assert stored(evidence_dir) == [evidence_dir / sha[:2] / sha[2:4] / sha]
    assert (evidence_dir / sha[:2] / sha[2:4] / sha).read_bytes() == PDF
    assert leftovers(evidence_dir) == []
    [event] = events_of(session, evidence)
    assert (event.event_type, event.verified_sha256, event.actor_id) == ("received", sha, user.id)
    assert event.purpose == "Received from the OPG"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 file received." in page and sha in page and "order.pdf" in page


def test_several_files_in_one_request(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    response = upload(client, evidence, ("order.pdf", PDF), ("minutes.txt", TEXT))
    assert response.status_code == 302
    records = file_rows(session, evidence)
    assert [(r.original_name, r.sha256) for r in records] == [
        ("order.pdf", hashlib.sha256(PDF).hexdigest()),
        ("minutes.txt", hashlib.sha256(TEXT).hexdigest()),
    ]
    assert len(stored(evidence_dir)) == 2 and leftovers(evidence_dir) == []
    assert [e.event_type for e in events_of(session, evidence)] == ["received", "received"]
    assert "2 files received." in client.get(f"/evidence/{evidence.id}").get_data(as_text=True)


def test_the_same_bytes_on_two_exhibits_are_stored_once(client, login, make, session, evidence_dir):
    first, second = make.evidence(), make.evidence()
    login("analyst")
    assert upload(client, first, ("a.pdf", PDF)).status_code == 302
    assert upload(client, second, ("b.pdf", PDF)).status_code == 302
    assert {r.sha256 for r in file_rows(session)} == {hashlib.sha256(PDF).hexdigest()}
    assert len(file_rows(session)) == 2
    assert len(stored(evidence_dir)) == 1


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../x", "x"),
        ("..\\x", "x"),
        ("/etc/passwd", "passwd"),
        ("a\x00b.pdf", "ab.pdf"),
        ("\u202etxt.exe", "txt.exe"),
    ],
)
def test_hostile_names_stay_metadata(client, login, make, session, evidence_dir, tmp_path, sent, shown):
    evidence = make.evidence()
    login("analyst")
    before = sorted(tmp_path.rglob("*"))
    assert upload(client, evidence, (sent, PDF)).status_code == 302
    [record] = file_rows(session, evidence)
    assert record.original_name == shown
    # the only new file system entries are the store's own, named by the hash
    sha = record.sha256
    new = sorted(set(tmp_path.rglob("*")) - set(before))
    assert all(p.resolve().is_relative_to(evidence_dir.resolve()) for p in new)
    assert stored(evidence_dir) == [evidence_dir / sha[:2] / sha[2:4] / sha]
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert f'<span class="file-name">{shown}</span>' in page
    assert sent not in page
    download = client.post(f"/files/{record.id}/download")
    assert shown in download.headers["Content-Disposition"]
    assert "/" not in download.headers["Content-Disposition"].split("filename")[1]


def test_an_empty_file_is_refused_and_nothing_of_the_request_is_stored(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    response = upload(client, evidence, ("order.pdf", PDF), ("blank.txt", b""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "blank.txt is empty: there is nothing to store." in page and "Nothing was stored." in page
    assert file_rows(session, evidence) == [] and events_of(session, evidence) == []
    assert stored(evidence_dir) == [] and leftovers(evidence_dir) == []


def test_bytes_already_on_the_exhibit_are_refused(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    assert upload(client, evidence, ("order.pdf", PDF)).status_code == 302
    response = upload(client, evidence, ("copy.pdf", PDF), ("minutes.txt", TEXT))
    assert response.status_code == 400
    assert "copy.pdf is already attached to this exhibit (as order.pdf" in response.get_data(as_text=True)
    assert [r.original_name for r in file_rows(session, evidence)] == ["order.pdf"]
    assert len(stored(evidence_dir)) == 1 and leftovers(evidence_dir) == []


def test_no_file_chosen(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    response = client.post(
        f"/evidence/{evidence.id}/files",
        data={"files": [(io.BytesIO(b""), "")], "purpose": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose at least one file to upload." in response.get_data(as_text=True)
    assert file_rows(session, evidence) == [] and leftovers(evidence_dir) == []


def test_an_upload_over_the_limit_gets_413_and_leaves_nothing(client, login, make, session, evidence_dir, upload_limit):
    evidence = make.evidence()
    login("analyst")
    upload_limit(1000)
    response = upload(client, evidence, ("big.bin", b"x" * 5000))
    assert response.status_code == 413
    assert "larger than the limit of 1000 B" in response.get_data(as_text=True)
    assert file_rows(session, evidence) == [] and stored(evidence_dir) == [] and leftovers(evidence_dir) == []
    # a body beyond even the form allowance is refused before it is read
    response = upload(client, evidence, ("bigger.bin", b"x" * 200_000))
    assert response.status_code == 413
    assert file_rows(session, evidence) == [] and leftovers(evidence_dir) == []


def test_a_truncated_upload_is_refused_and_leaves_nothing(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    boundary = "tribunal-boundary-7d1f"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="cut.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF * 200  # the body ends mid-file: no closing boundary
    response = client.post(
        f"/evidence/{evidence.id}/files", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "The upload was interrupted" in response.get_data(as_text=True)
    assert file_rows(session, evidence) == [] and stored(evidence_dir) == [] and leftovers(evidence_dir) == []


def test_a_viewer_cannot_upload(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("viewer", "strictly_confidential")
    assert upload(client, evidence, ("order.pdf", PDF)).status_code == 403
    assert file_rows(session, evidence) == [] and leftovers(evidence_dir) == []
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "/files/new" not in page and f"/evidence/{evidence.id}/files" not in page and "custody/new" not in page


def test_uploads_need_the_csrf_token(app, client, login, make, session, evidence_dir, monkeypatch):
    evidence = make.evidence()
    login("analyst")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(client, evidence, ("order.pdf", PDF))
    assert response.status_code == 400
    assert file_rows(session, evidence) == [] and leftovers(evidence_dir) == []


def test_an_exhibit_above_clearance_takes_no_uploads(client, login, make, session, evidence_dir):
    secret = make.evidence(classification="confidential")
    login("analyst", "public")
    assert upload(client, secret, ("order.pdf", PDF)).status_code == 404
    assert client.get(f"/evidence/{secret.id}/custody/new").status_code == 404
    assert file_rows(session, secret) == [] and leftovers(evidence_dir) == []


# --- derivatives ------------------------------------------------------------------------------


def test_a_derivative_is_shown_under_its_parent(client, login, make, session, evidence_dir):
    evidence = make.evidence()
    login("analyst")
    upload(client, evidence, ("ru.pdf", PDF), ("other.txt", b"unrelated"))
    parent = file_rows(session, evidence)[0]
    url = f"/evidence/{evidence.id}/files/{parent.id}/derivative"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={"file": (io.BytesIO(TEXT), "uk.txt"), "kind": "translation", "note": "Sworn translation by J. Doe"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    child = file_rows(session, evidence)[-1]
    assert (child.parent_id, child.derivation, child.derivation_note) == (
        parent.id,
        "translation",
        "Sworn translation by J. Doe",
    )
    event = events_of(session, evidence)[-1]
    assert event.event_type == "received" and "Derivative (translation)" in event.purpose
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    # the tree: parent, then its derivative, then the unrelated file
    assert page.index("ru.pdf") < page.index("uk.txt") < page.index("other.txt")
    assert "translation of ru.pdf: Sworn translation by J. Doe" in page
    assert url in page


def test_a_derivative_needs_a_note_and_a_parent_of_the_same_exhibit(client, login, make, session, evidence_dir):
    evidence, other = make.evidence(), make.evidence()
    login("analyst")
    upload(client, evidence, ("ru.pdf", PDF))
    parent = file_rows(session, evidence)[0]
    response = client.post(
        f"/evidence/{evidence.id}/files/{parent.id}/derivative",
        data={"file": (io.BytesIO(TEXT), "uk.txt"), "kind": "translation", "note": "  "},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Say how the derivative was made." in response.get_data(as_text=True)
    assert client.get(f"/evidence/{other.id}/files/{parent.id}/derivative").status_code == 404
    assert len(file_rows(session)) == 1 and leftovers(evidence_dir) == []


# --- downloads --------------------------------------------------------------------------------


@pytest.fixture
def uploaded(client, login, make, session, evidence_dir):
    """An exhibit with one uploaded PDF, and a function to sign in as someone else."""
    evidence = make.evidence(exhibit_no="P-0042")
    login("analyst")
    assert upload(client, evidence, ("order.pdf", PDF)).status_code == 302
    client.post("/logout")
    [record] = file_rows(session, evidence)
    return evidence, record


def test_a_download_serves_the_exact_bytes_and_adds_one_custody_event(client, login, session, uploaded):
    evidence, record = uploaded
    viewer = login("viewer", "public")
    before = event_count(session, evidence)
    response = client.post(f"/files/{record.id}/download")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=order.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert event_count(session, evidence) == before + 1
    event = events_of(session, evidence)[-1]
    assert (event.event_type, event.actor_id, event.evidence_file_id, event.verified_sha256) == (
        "downloaded",
        viewer.id,
        record.id,
        record.sha256,
    )
    assert custody.verify_chain(*custody.chain_of(session, evidence.id)) == []
    # a HEAD request sends nothing, so it must not be logged as a download
    assert client.head(f"/files/{record.id}/download").status_code == 405
    assert event_count(session, evidence) == before + 1


def test_hidden_missing_and_deleted_files_are_not_found(client, login, make, session, uploaded):
    evidence, record = uploaded
    secret = make.evidence(classification="confidential")
    hidden = EvidenceFile(evidence=secret, sha256=record.sha256, size=record.size, media_type="application/pdf")
    session.add(hidden)
    session.flush()
    login("viewer", "public")
    before = event_count(session, secret), event_count(session, evidence)
    assert client.post(f"/files/{hidden.id}/download").status_code == 404
    assert client.post(f"/files/{hidden.id + 1000}/download").status_code == 404
    evidence.deleted_at = dt.datetime.now(dt.UTC)
    session.flush()
    assert client.post(f"/files/{record.id}/download").status_code == 404
    assert (event_count(session, secret), event_count(session, evidence)) == before


def test_altered_bytes_are_not_served(client, login, session, evidence_dir, uploaded):
    evidence, record = uploaded
    flip_a_byte(EvidenceStore(evidence_dir).path_for(record.sha256))
    login("viewer", "public")
    before = event_count(session, evidence)
    response = client.post(f"/files/{record.id}/download")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "no longer matches the hash recorded when it was received" in page
    assert "Content-Disposition" not in response.headers and PDF not in response.data
    assert event_count(session, evidence) == before


# --- manual custody events --------------------------------------------------------------------


def test_a_transfer_is_recorded_and_the_chain_stays_intact(client, login, session, uploaded):
    evidence, record = uploaded
    user = login("analyst")
    url = f"/evidence/{evidence.id}/custody/new"
    form = client.get(url).get_data(as_text=True)
    assert 'value="transferred"' in form and 'value="downloaded"' not in form and 'value="exported"' not in form
    response = client.post(
        url,
        data={
            "event_type": "transferred",
            "occurred_at": "2026-11-20T09:30",
            "from_party": "Office of the Prosecutor General of Ukraine",
            "to_party": "ICPA, Eurojust, The Hague",
            "location": "Eurojust evidence room",
            "purpose": "Joint investigation",
            "evidence_file_id": str(record.id),
        },
    )
    assert response.status_code == 302
    event = events_of(session, evidence)[-1]
    assert (event.event_type, event.from_party, event.to_party, event.actor_id) == (
        "transferred",
        "Office of the Prosecutor General of Ukraine",
        "ICPA, Eurojust, The Hague",
        user.id,
    )
    assert event.occurred_at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    assert (event.evidence_file_id, event.verified_sha256) == (record.id, record.sha256)
    assert custody.verify_chain(*custody.chain_of(session, evidence.id)) == []
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "Chain intact (2 events)" in page
    assert "Office of the Prosecutor General of Ukraine → ICPA, Eurojust, The Hague" in page
    assert event.event_hash[:12] in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"to_party": ""}, "A transfer needs both who handed it over and who received it."),
        ({"purpose": ""}, "Say why this happened."),
        ({"event_type": "downloaded"}, "Not a valid choice"),
        ({"event_type": "exported"}, "Not a valid choice"),
        ({"occurred_at": "2999-01-01T00:00"}, "The time cannot be in the future."),
        ({"evidence_file_id": "999999"}, "Not a valid choice"),
    ],
)
def test_a_custody_event_is_checked(client, login, session, uploaded, changes, message):
    evidence, _record = uploaded
    login("analyst")
    before = event_count(session, evidence)
    data = {"event_type": "transferred", "from_party": "A", "to_party": "B", "purpose": "Why", **changes}
    response = client.post(f"/evidence/{evidence.id}/custody/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert event_count(session, evidence) == before


def test_a_custody_event_on_altered_bytes_is_refused(client, login, session, evidence_dir, uploaded):
    evidence, record = uploaded
    flip_a_byte(EvidenceStore(evidence_dir).path_for(record.sha256))
    login("analyst")
    before = event_count(session, evidence)
    response = client.post(
        f"/evidence/{evidence.id}/custody/new",
        data={"event_type": "copied", "purpose": "Working copy", "evidence_file_id": str(record.id)},
    )
    assert response.status_code == 409
    assert "no longer matches the hash" in response.get_data(as_text=True)
    assert event_count(session, evidence) == before


def test_a_broken_chain_is_named_on_the_page(client, login, session, uploaded):
    from tests.test_services.test_evidence_store import _tamper

    evidence, _record = uploaded
    [event] = events_of(session, evidence)
    _tamper(session, "UPDATE custody_event SET purpose = 'rewritten' WHERE id = :id", id=event.id)
    session.expire_all()
    login("viewer", "public")
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "The chain of custody is broken" in page and "was changed after it was recorded" in page
    assert "Chain intact" not in page


def test_the_page_costs_the_same_queries_for_one_file_or_ten(client, login, make, session, make_user, count_queries):
    evidence = make.evidence()

    def add_file(n: int, parent: EvidenceFile | None = None) -> EvidenceFile:
        file = EvidenceFile(
            evidence=evidence,
            sha256=f"{n:064x}",
            size=n,
            media_type="text/plain",
            original_name=f"file-{n}.txt",
            parent=parent,
            derivation="transcript" if parent else None,
            uploaded_by=make_user("analyst"),
        )
        session.add(file)
        session.flush()
        event = custody.EventInput("received", evidence_file=file, verified_sha256=file.sha256, purpose="Upload")
        custody.record_event(session, evidence, event, file.uploaded_by)
        return file

    first = add_file(1)
    login("analyst")
    url = f"/evidence/{evidence.id}"
    client.get(url)  # warm-up
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(2, 11):
        last = add_file(n, parent=first if n % 3 == 0 else None)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "file-10.txt" in page and "Chain intact (10 events)" in page
    assert last.uploaded_by.email in page
    assert many.count == few.count


# --- fixity -----------------------------------------------------------------------------------


def test_the_fixity_page_shows_the_last_run_and_its_problems(client, login, runner, session, evidence_dir, uploaded):
    evidence, record = uploaded
    login("admin")
    page = client.get("/admin/fixity").get_data(as_text=True)
    assert "No fixity check has run yet" in page and "flask --app app evidence fixity" in page

    result = runner.invoke(args=["evidence", "fixity"])
    assert result.exit_code == 0, result.output
    page = client.get("/admin/fixity").get_data(as_text=True)
    assert "No problems" in page and "cli: evidence fixity" in page

    flip_a_byte(EvidenceStore(evidence_dir).path_for(record.sha256))
    result = runner.invoke(args=["evidence", "fixity"])
    assert result.exit_code == 1
    assert "hash_mismatch: P-0042" in result.output
    page = client.get("/admin/fixity").get_data(as_text=True)
    assert "hash mismatch" in page and "P-0042" in page and record.sha256 in page
    assert "No problems" not in page


@pytest.mark.parametrize("role", ["viewer", "analyst", "prosecutor"])
def test_only_administrators_see_the_fixity_page(client, login, session, role):
    login(role, "strictly_confidential")
    assert client.get("/admin/fixity").status_code == 403
