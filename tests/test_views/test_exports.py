"""Case-file exports from the dossier page, the index and the command line."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from models import AuditEvent, CustodyEvent, Export


@pytest.fixture
def case(export_case):
    return export_case


def test_a_bag_export_from_the_dossier_page_is_recorded_with_custody_events(client, login, session, case):
    official, public, secret = case
    user = login("analyst", "public")
    response = client.post(f"/dossiers/{official.id}/export", data={"format": "bag"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.endswith("/data/dossier.pdf") for n in names)
    assert any(n.endswith("kcna.txt") for n in names)
    record = session.scalars(select(Export).where(Export.user_id == user.id)).one()
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.size == len(data)
    assert record.withheld_count == 1 and record.exhibit_count == 1
    events = session.scalars(select(CustodyEvent).where(CustodyEvent.event_type == "exported")).all()
    assert [e.evidence_id for e in events] == [public.id]
    assert record.sha256 in events[0].purpose and events[0].verified_sha256 is not None
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    page = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert record.sha256 in page


def test_a_selection_from_the_index_exports_together(client, login, session, case, make):
    official, _public, _secret = case
    other = make.official(name="Choe Son Hui")
    session.commit()
    login("analyst", "public")
    response = client.post("/dossiers/export", data={"format": "csv", "official_id": [str(official.id), str(other.id)]})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "KCNA report" in response.get_data(as_text=True)
    record = session.scalars(select(Export)).one()
    assert {o.id for o in record.officials} == {official.id, other.id}


def test_viewers_cannot_export(client, login, case):
    official, _public, _secret = case
    login("viewer", "public")
    assert client.post(f"/dossiers/{official.id}/export", data={"format": "csv"}).status_code == 403


def test_an_unknown_format_or_official_is_refused(client, login, case):
    official, _public, _secret = case
    login("analyst", "public")
    assert client.post(f"/dossiers/{official.id}/export", data={"format": "docx"}).status_code == 400
    assert client.post("/dossiers/999999/export", data={"format": "csv"}).status_code == 404
    assert client.post("/dossiers/export", data={"format": "csv"}).status_code == 302


def test_the_command_line_exports_and_verifies_a_bag(runner, session, case, make_user, tmp_path, app, monkeypatch):
    official, _public, _secret = case
    monkeypatch.setitem(app.config, "EXPORT_KEY_PATH", str(tmp_path / "key.pem"))
    user = make_user("analyst", "confidential")
    session.commit()
    out = tmp_path / "case.zip"
    result = runner.invoke(
        args=["export", "dossier", str(official.id), "--format", "bag", "--out", str(out), "--as", user.email]
    )
    assert result.exit_code == 0, result.output
    assert "SHA-256" in result.output
    verified = runner.invoke(args=["verify", "bag", str(out)])
    assert verified.exit_code == 0, verified.output
    public_key = runner.invoke(args=["keys", "public"]).output.strip()
    assert public_key.startswith("ed25519:")
    assert runner.invoke(args=["verify", "bag", str(out), "--public-key", public_key]).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        assert any(
            "Defector" in archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".json")
        )


def test_the_command_line_leaves_no_file_for_an_unknown_official(runner, session, make_user, tmp_path):
    user = make_user("analyst")
    session.commit()
    out = tmp_path / "nothing.pdf"
    result = runner.invoke(
        args=["export", "dossier", "999999", "--format", "pdf", "--out", str(out), "--as", user.email]
    )
    assert result.exit_code == 1
    assert "No official" in result.output
    assert list(tmp_path.iterdir()) == []


def test_verify_names_a_tampered_bag(runner, session, case, make_user, tmp_path, app, monkeypatch):
    official, _public, _secret = case
    monkeypatch.setitem(app.config, "EXPORT_KEY_PATH", str(tmp_path / "key.pem"))
    user = make_user("analyst")
    session.commit()
    out = tmp_path / "case.zip"
    runner.invoke(
        args=["export", "dossier", str(official.id), "--format", "bag", "--out", str(out), "--as", user.email]
    )
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("kcna.txt"):
                content = content.replace(b"2025", b"2024")
            target.writestr(info, content)
    result = runner.invoke(args=["verify", "bag", str(tampered)])
    assert result.exit_code == 1
    assert "kcna.txt was changed" in result.output
