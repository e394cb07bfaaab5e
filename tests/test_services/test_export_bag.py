"""Signed BagIt case files: valid for the Library of Congress `bagit` library, reproducible,
streamed, and every kind of tampering named by the verifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import bagit
import pytest

from services.evidence.files import attach_file
from services.evidence.store import EvidenceStore
from services.exports import signing
from services.exports.bag import write_bag
from services.exports.case_files import HashingWriter, custody_heads, dossier_json_bytes
from services.exports.data import ExportError, as_json, gather
from services.exports.verify import verify_bag

SCOPE = dt.date(2014, 2, 20)
PDF = b"%PDF-1.4 test dossier\n%%EOF\n"


@pytest.fixture
def store(evidence_dir: Path) -> EvidenceStore:
    return EvidenceStore(evidence_dir)


@pytest.fixture
def key(tmp_path: Path):
    return signing.load_or_create(tmp_path / "keys" / "export.pem")


def receive(store: EvidenceStore, data: bytes):
    incoming = store.receive()
    incoming.write(data)
    return incoming


@pytest.fixture
def case(session, make, store):
    """An official with a supported tenure: a public exhibit with two files, a confidential one with one."""
    official = make.official(name="Valentina Matviyenko", native_name="Валентина Матвиенко")
    tenure = make.tenure(official=official)
    public = make.evidence(classification="public", title="Federation Council resolution")
    secret = make.evidence(classification="confidential", title="Intercepted call")
    from services.evidence.exhibits import add_support

    for evidence in (public, secret):
        add_support(session, evidence, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
    attach_file(
        session, store, public, receive(store, b"resolution text " * 100), original_name="resolution.txt", actor=None
    )
    attach_file(session, store, public, receive(store, PDF), original_name="scan.pdf", actor=None)
    attach_file(session, store, secret, receive(store, b"intercept"), original_name="call.wav", actor=None)
    session.commit()
    return official


def build(session, official, store, key, visible=("public", "restricted", "confidential")) -> bytes:
    bundle = gather(session, [official.id], visible=visible, scope_start=SCOPE)
    out = io.BytesIO()
    write_bag(
        bundle,
        HashingWriter(out),  # as exports write it: a stream that cannot seek
        pdf=PDF,
        dossier_json=dossier_json_bytes(bundle),
        store=store,
        key=key,
        source="Tribunal Scope test",
        external_id=f"tribunal-scope:case-file:{official.id}:test",
        bagging_date=dt.date(2026, 11, 29),
        heads=custody_heads(session, bundle),
    )
    return out.getvalue()


def unzip(data: bytes, where: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(where)
    (top,) = list(where.iterdir())
    return top


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_bag_validates_with_the_bagit_library(session, case, store, key, tmp_path):
    top = unzip(build(session, case, store, key), tmp_path / "out")
    bag = bagit.Bag(str(top))
    bag.validate()  # raises BagValidationError on any problem
    assert bag.info["Payload-Oxum"].endswith(".5")  # pdf, json, 3 exhibit files
    assert bag.info["Highest-Classification"] == "confidential"
    assert bag.info["Withheld-Items"] == "0"
    assert (top / "data" / "exhibits").is_dir()
    stored = sorted(p.relative_to(top).as_posix() for p in (top / "data" / "exhibits").rglob("*") if p.is_file())
    assert len(stored) == 3 and all(p.startswith("data/exhibits/T-") for p in stored)


def test_the_bag_verifies_and_its_signature_is_checked(session, case, store, key, tmp_path):
    path = write(tmp_path / "case.zip", build(session, case, store, key))
    verdict = verify_bag(str(path), key.public_key())
    assert verdict.intact, verdict.problems
    assert verdict.payload_files == 5
    stranger = signing.load_or_create(tmp_path / "other.pem")
    problems = verify_bag(str(path), stranger.public_key()).problems
    assert any("signature" in p for p in problems)


def test_a_restricted_exporter_gets_no_confidential_exhibit_and_is_told_how_many(session, case, store, key, tmp_path):
    data = build(session, case, store, key, visible=("public",))
    top = unzip(data, tmp_path / "out")
    bagit.Bag(str(top)).validate()
    text = b"".join(p.read_bytes() for p in top.rglob("*") if p.is_file())
    assert b"Intercepted call" not in text and b"intercept" not in text
    assert "Withheld-Items: 1" in (top / "bag-info.txt").read_text()


def test_two_exports_of_the_same_state_have_the_same_manifest(session, case, store, key, tmp_path):
    first = unzip(build(session, case, store, key), tmp_path / "a")
    second = unzip(build(session, case, store, key), tmp_path / "b")
    assert (first / "manifest-sha256.txt").read_bytes() == (second / "manifest-sha256.txt").read_bytes()


def test_the_json_is_the_complete_dossier(app, session, case):
    bundle = gather(session, [case.id], visible=("public",), scope_start=SCOPE)
    with app.app_context():  # as the export runs: in a request or a command
        data = as_json(bundle)
    assert data["dossiers"][0]["official"]["native_name"] == "Валентина Матвиенко"
    assert {"tenures", "involvements", "assessment", "case"} <= set(data["dossiers"][0])
    assert [e["title"] for e in data["evidence"]] == ["Federation Council resolution"]
    assert data["withheld_count"] == 1 and len(data["supports"]) == 1
    assessment = data["dossiers"][0]["assessment"]
    law = {e["code"]: e["law"] for e in assessment["elements"]}  # the law as the API gives it (issue 20, item 7)
    assert law["E2"]["en"]["source"] == "Elements of Crimes, Art. 8 bis, Element 2"
    assert law["E2"]["uk"]["source"] == "Елементи злочинів, ст. 8 bis, елемент 2"
    assert set(law) == {"E1", "E2", "E3", "E4", "E5", "E6"} and set(assessment["leadership_clause"]) == {"en", "uk"}
    assert {f["sha256"] for f in data["evidence"][0]["files"]} == {
        hashlib.sha256(b"resolution text " * 100).hexdigest(),
        hashlib.sha256(PDF).hexdigest(),
    }


def test_a_damaged_exhibit_stops_the_export(session, case, store, key):
    target = next(p.path for p in store.stored())
    target.chmod(0o600)
    target.write_bytes(b"tampered")
    with pytest.raises(ExportError, match="no longer matches"):
        build(session, case, store, key)


def test_an_unknown_official_is_refused(session):
    with pytest.raises(ExportError, match="No official"):
        gather(session, [987654], visible=("public",), scope_start=SCOPE)


# --- tampering ------------------------------------------------------------------------------


def _rezip(data: bytes, change) -> bytes:
    """Rewrite the zip with ``change(name, bytes) -> bytes | None`` (None drops the entry)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info, content)
        top = source.infolist()[0].filename.split("/")[0]
    if getattr(change, "extra", None):
        with zipfile.ZipFile(out, "a") as target:
            target.writestr(f"{top}/{change.extra[0]}", change.extra[1])
    return out.getvalue()


def _verify(tmp_path, data, key) -> list[str]:
    return verify_bag(str(write(tmp_path / "t.zip", data)), key.public_key()).problems


def test_one_changed_byte_of_an_exhibit_is_named(session, case, store, key, tmp_path):
    def flip(name, content):
        if name.endswith("resolution.txt"):
            return content[:5] + bytes([content[5] ^ 1]) + content[6:]
        return content

    problems = _verify(tmp_path, _rezip(build(session, case, store, key), flip), key)
    assert any("resolution.txt was changed" in p for p in problems), problems


def test_an_added_and_a_removed_file_are_named(session, case, store, key, tmp_path):
    data = build(session, case, store, key)

    def drop(name, content):
        return None if name.endswith("scan.pdf") else content

    assert any(
        "scan.pdf is listed in the manifest but missing" in p for p in _verify(tmp_path, _rezip(data, drop), key)
    )

    def keep(name, content):
        return content

    keep.extra = ("data/exhibits/smuggled.txt", b"not in the manifest")
    assert any("smuggled.txt is not in the manifest (added)" in p for p in _verify(tmp_path, _rezip(data, keep), key))


def test_an_edited_manifest_or_signature_is_named(session, case, store, key, tmp_path):
    data = build(session, case, store, key)

    def edit_manifest(name, content):
        return (
            content.replace(b"data/dossier.json", b"data/dossier.jsox")
            if name.endswith("/manifest-sha256.txt")
            else content
        )

    problems = _verify(tmp_path, _rezip(data, edit_manifest), key)
    assert any("manifest-sha256.txt was changed" in p for p in problems), problems

    def edit_signature(name, content):
        return (
            signing.sign(signing.load_or_create(tmp_path / "x.pem"), b"x").encode()
            if name.endswith(".sig")
            else content
        )

    problems = _verify(tmp_path, _rezip(data, edit_signature), key)
    assert any("signature" in p for p in problems), problems


def test_unsafe_paths_are_refused(tmp_path, key):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bag/../../etc/evil", b"x")
    problems = _verify(tmp_path, out.getvalue(), key)
    assert any("unsafe path" in p for p in problems)
    assert not (tmp_path.parent / "etc" / "evil").exists()


def test_not_a_zip(tmp_path, key):
    assert any("not a readable zip" in p for p in _verify(tmp_path, b"plain text", key))


def test_the_key_is_created_once_and_private(tmp_path):
    path = tmp_path / "k" / "export.pem"
    first = signing.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert signing.public_text(signing.load_or_create(path)) == signing.public_text(first)
    assert signing.parse_public(signing.public_text(first)) is not None
    with pytest.raises(signing.KeyError_):
        signing.parse_public("ed25519:not-base64!")
