"""The evidence store, file intake and the custody chain, below the web layer."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import CustodyEvent, CustodyHead
from services.evidence import custody
from services.evidence.files import (
    Derivation,
    IntegrityFailure,
    UploadRefused,
    attach_file,
    clean_file_name,
    record_download,
)
from services.evidence.fixity import run_fixity
from services.evidence.store import EvidenceStore, StoreError


@pytest.fixture
def store(evidence_dir: Path) -> EvidenceStore:
    return EvidenceStore(evidence_dir)


def receive(store: EvidenceStore, data: bytes, chunk: int = 7):
    incoming = store.receive()
    for start in range(0, len(data), chunk):
        incoming.write(data[start : start + chunk])
    incoming.seek(0)
    return incoming


def incoming_files(store: EvidenceStore) -> list[str]:
    return sorted(os.listdir(store.incoming_dir)) if store.incoming_dir.exists() else []


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_stored_hash_is_the_sha256_of_the_bytes_received(session, make, store):
    evidence = make.evidence()
    record = attach_file(session, store, evidence, receive(store, PDF), original_name="order.pdf", actor=None)
    session.commit()
    assert record.sha256 == hashlib.sha256(PDF).hexdigest()
    assert record.size == len(PDF)
    assert record.media_type == "application/pdf"
    path = store.path_for(record.sha256)
    assert path.read_bytes() == PDF
    assert path.relative_to(store.root).parts == (record.sha256[:2], record.sha256[2:4], record.sha256)
    assert incoming_files(store) == []


def test_identical_bytes_are_stored_once_and_linked_from_each_exhibit(session, make, store):
    first, second = make.evidence(), make.evidence()
    a = attach_file(session, store, first, receive(store, PDF), original_name="a.pdf", actor=None)
    b = attach_file(session, store, second, receive(store, PDF), original_name="b.pdf", actor=None)
    session.commit()
    assert a.sha256 == b.sha256
    assert [f.path for f in store.stored()] == [store.path_for(a.sha256)]
    assert incoming_files(store) == []


def test_the_same_bytes_twice_on_one_exhibit_are_refused(session, make, store):
    evidence = make.evidence()
    attach_file(session, store, evidence, receive(store, PDF), original_name="a.pdf", actor=None)
    with pytest.raises(UploadRefused, match="already attached"):
        attach_file(session, store, evidence, receive(store, PDF), original_name="again.pdf", actor=None)


def test_an_empty_file_is_refused(session, make, store):
    with pytest.raises(UploadRefused, match="empty"):
        attach_file(session, store, make.evidence(), receive(store, b""), original_name="empty.txt", actor=None)


def test_a_rollback_leaves_no_file_behind(session, make, store):
    attach_file(session, store, make.evidence(), receive(store, PDF), original_name="a.pdf", actor=None)
    session.rollback()
    assert list(store.stored()) == []
    assert incoming_files(store) == []


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../x", "x"),
        ("..\\x", "x"),
        ("/etc/passwd", "passwd"),
        ("C:\\Windows\\system.ini", "system.ini"),
        ("report\x00.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("..", None),
        ("", None),
        ("a" * 400 + ".pdf", "a" * 255),
    ],
)
def test_client_file_names_are_metadata_only(sent, kept):
    assert clean_file_name(sent) == kept


def test_a_hostile_name_never_reaches_the_file_system(session, make, store):
    record = attach_file(
        session, store, make.evidence(), receive(store, PDF), original_name="../../../etc/passwd", actor=None
    )
    session.commit()
    assert record.original_name == "passwd"
    for stored in store.stored():
        assert stored.path.resolve().is_relative_to(store.root)


def test_store_paths_come_only_from_hashes(store):
    for bad in ("../../etc/passwd", "A" * 64, "g" * 64, ""):
        with pytest.raises(StoreError):
            store.path_for(bad)


def test_a_derivative_points_to_its_parent(session, make, store):
    evidence = make.evidence()
    parent = attach_file(session, store, evidence, receive(store, PDF), original_name="ru.pdf", actor=None)
    child = attach_file(
        session,
        store,
        evidence,
        receive(store, "Переклад українською".encode()),
        original_name="uk.txt",
        actor=None,
        derivation=Derivation(parent, "translation", "Sworn translation into Ukrainian"),
    )
    session.commit()
    assert child.parent is parent and parent.derivatives == [child]
    assert child.media_type == "text/plain"
    assert child.derivation == "translation"


def test_file_rows_are_append_only(session, make, store):
    record = attach_file(session, store, make.evidence(), receive(store, PDF), original_name="a.pdf", actor=None)
    session.flush()
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("UPDATE evidence_file SET size = 1 WHERE id = :id"), {"id": record.id})
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("DELETE FROM evidence_file WHERE id = :id"), {"id": record.id})


# --- custody ---------------------------------------------------------------------------------


def test_each_event_carries_the_hash_of_the_one_before(session, make, store, make_user):
    evidence = make.evidence()
    user = make_user("analyst")
    record = attach_file(session, store, evidence, receive(store, PDF), original_name="a.pdf", actor=user)
    session.commit()
    record_download(session, store, record, user)
    custody.record_event(
        session,
        evidence,
        custody.EventInput("transferred", from_party="OPG Ukraine", to_party="ICPA, The Hague", purpose="Joint case"),
        user,
    )
    events, head = custody.chain_of(session, evidence.id)
    assert [e.event_type for e in events] == ["received", "downloaded", "transferred"]
    assert events[0].prev_hash is None
    assert [e.prev_hash for e in events[1:]] == [e.event_hash for e in events[:-1]]
    assert head is not None and head.event_count == 3 and head.head_hash == events[-1].event_hash
    assert all(e.verified_sha256 == record.sha256 for e in events[:2])
    assert events[0].actor_id == user.id
    assert custody.verify_chain(events, head) == []


def test_a_download_of_altered_bytes_is_refused(session, make, store):
    record = attach_file(session, store, make.evidence(), receive(store, PDF), original_name="a.pdf", actor=None)
    session.commit()
    path = store.path_for(record.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(PDF.replace(b"1.4", b"1.5"))
    before = session.scalar(select(CustodyHead.event_count).where(CustodyHead.evidence_id == record.evidence_id))
    with pytest.raises(IntegrityFailure):
        record_download(session, store, record, None)
    after = session.scalar(select(CustodyHead.event_count).where(CustodyHead.evidence_id == record.evidence_id))
    assert before == after


def _tamper(session, sql: str, **params) -> None:
    """Change the log around the application, as someone with database access could."""
    dialect = session.get_bind().dialect.name
    from models.triggers import create_statements, drop_statements

    for statement in drop_statements("custody_event", dialect):
        session.execute(text(statement))
    session.execute(text(sql), params)
    for statement in create_statements("custody_event", dialect):
        session.execute(text(statement))


def _three_events(session, make):
    evidence = make.evidence()
    for kind in ("collected", "received", "sealed"):
        custody.record_event(session, evidence, custody.EventInput(kind, location="Kyiv"), None)
    return evidence


def test_a_changed_custody_row_is_detected(session, make):
    evidence = _three_events(session, make)
    events, _head = custody.chain_of(session, evidence.id)
    _tamper(session, "UPDATE custody_event SET location = 'Lviv' WHERE id = :id", id=events[1].id)
    session.expire_all()
    problems = custody.verify_chain(*custody.chain_of(session, evidence.id))
    assert [p.kind for p in problems] == ["altered_event"]


def test_a_removed_custody_row_is_detected(session, make):
    evidence = _three_events(session, make)
    events, _head = custody.chain_of(session, evidence.id)
    _tamper(session, "DELETE FROM custody_event WHERE id = :id", id=events[1].id)
    session.expire_all()
    problems = custody.verify_chain(*custody.chain_of(session, evidence.id))
    assert "broken_link" in [p.kind for p in problems]


def test_removing_the_newest_event_is_detected(session, make):
    evidence = _three_events(session, make)
    events, _head = custody.chain_of(session, evidence.id)
    _tamper(session, "DELETE FROM custody_event WHERE id = :id", id=events[-1].id)
    session.expire_all()
    problems = custody.verify_chain(*custody.chain_of(session, evidence.id))
    assert [p.kind for p in problems] == ["truncated_chain"]


def test_the_chain_cannot_fork(session, make):
    """Two events claiming the same predecessor are refused by the database itself."""
    evidence = _three_events(session, make)
    events, _head = custody.chain_of(session, evidence.id)
    fork = CustodyEvent(
        evidence_id=evidence.id,
        event_type="copied",
        actor_name="system",
        prev_hash=events[0].prev_hash,
        event_hash="f" * 64,
    )
    with pytest.raises(Exception, match="(?i)unique"), session.begin_nested():
        session.add(fork)
        session.flush()


# --- fixity ----------------------------------------------------------------------------------


def test_fixity_passes_on_an_intact_store(session, make, store):
    evidence = make.evidence()
    attach_file(session, store, evidence, receive(store, PDF), original_name="a.pdf", actor=None)
    session.commit()
    run = run_fixity(session, store, run_by="test")
    assert run.problems == [] and run.files_checked == 1 and run.bytes_checked == len(PDF)
    assert run.chains_checked >= 1


def test_fixity_names_the_exhibit_whose_file_changed(session, make, store):
    evidence = make.evidence()
    record = attach_file(session, store, evidence, receive(store, PDF), original_name="a.pdf", actor=None)
    session.commit()
    path = store.path_for(record.sha256)
    os.chmod(path, 0o600)
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    run = run_fixity(session, store, run_by="test")
    assert [(p["kind"], p["exhibits"]) for p in run.problems] == [("hash_mismatch", [evidence.exhibit_no])]


def test_fixity_reports_missing_orphan_and_stray_files(session, make, store):
    evidence = make.evidence()
    record = attach_file(session, store, evidence, receive(store, PDF), original_name="a.pdf", actor=None)
    session.commit()
    store.path_for(record.sha256).unlink()
    orphan = hashlib.sha256(b"nobody's").hexdigest()
    store.path_for(orphan).parent.mkdir(parents=True)
    store.path_for(orphan).write_bytes(b"nobody's")
    (store.root / "notes.txt").write_text("stray")
    run = run_fixity(session, store, run_by="test")
    kinds = sorted((p["kind"], tuple(p["exhibits"])) for p in run.problems)
    assert kinds == [("missing_file", (evidence.exhibit_no,)), ("orphan_file", ()), ("stray_file", ())]


def test_fixity_reports_a_broken_chain_with_its_exhibit(session, make):
    evidence = _three_events(session, make)
    events, _head = custody.chain_of(session, evidence.id)
    _tamper(session, "UPDATE custody_event SET purpose = 'rewritten' WHERE id = :id", id=events[0].id)
    session.expire_all()
    run = run_fixity(session, EvidenceStore(Path("/nonexistent-store")), run_by="test")
    assert [(p["kind"], p["exhibits"]) for p in run.problems] == [("broken_chain", [evidence.exhibit_no])]
