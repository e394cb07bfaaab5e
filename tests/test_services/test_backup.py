"""Backup and restore drill: a restored instance passes fixity and exports the same case file;
a backup taken while another connection writes is consistent; a damaged or mismatched
backup is refused before anything is written."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from app import MIGRATIONS_DIR, create_app
from commands.backup import backup_command, restore_command
from extensions import db
from models import Official
from seeds.demo import load_demo
from services.audit import trail as audit
from services.backup.backups import BackupError, create_backup, open_backup, restore_backup
from services.evidence.exhibits import add_support
from services.evidence.files import attach_file
from services.evidence.fixity import run_fixity
from services.evidence.store import EvidenceStore, store_for
from services.exports import signing
from services.exports.case_files import export_case_file
from tests.conftest import (
    POSTGRES_URL,
    Factory,
    drop_postgres_database,
    make_settings,
    sibling_postgres_database,
)

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
FILES = {"order.txt": b"Order No. 1, 24 February 2022", "scan.pdf": b"%PDF-1.4 scanned order\n%%EOF\n"}


@pytest.fixture
def new_database(tmp_path: Path):
    """``new_database("name")``: the URL of an empty database (a sibling on PostgreSQL)."""
    created: list[str] = []

    def make(name: str) -> str:
        if POSTGRES_URL:
            url = sibling_postgres_database(POSTGRES_URL, f"backup_{name}")
            created.append(url)
            return url
        return f"sqlite:///{tmp_path / name}.db"

    yield make
    for url in created:
        drop_postgres_database(url)


def instance(url: str, home: Path, key: Path) -> Flask:
    return create_app(make_settings(url, home, EXPORT_KEY_PATH=str(key)))


@pytest.fixture
def source(new_database, tmp_path: Path):
    """A migrated instance with the demo data, an administrator and an exhibit with stored
    files supporting a tenure of an official: (app, official id, admin email)."""
    app = instance(new_database("source"), tmp_path / "source", tmp_path / "export-key.pem")
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS_DIR)
        session = db.session()
        with audit.acting_as(None, "test"):
            load_demo(session)
            make = Factory(session)
            admin = make_admin(session)
            official = make.official(name="Sergei Shoigu", native_name="Сергей Шойгу")
            tenure = make.tenure(official=official)
            exhibit = make.evidence(classification="public", title="Ministry order")
            add_support(session, exhibit, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
            store = store_for(app.config)
            for name, data in FILES.items():
                incoming = store.receive()
                incoming.write(data)
                attach_file(session, store, exhibit, incoming, original_name=name, actor=None)
            session.commit()
        ids = official.id, admin.email
    yield app, *ids
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def make_admin(session):
    from models import User
    from services.auth.accounts import hash_password

    user = User(email="admin@tribunal.test", role="admin", clearance="strictly_confidential")
    user.password_hash = hash_password("correct horse battery staple")
    session.add(user)
    session.flush()
    return user


def bag_manifest(app: Flask, official_id: int, email: str) -> bytes:
    """The manifest-sha256.txt of the official's case-file bag, exported as ``email``."""
    from models import User

    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        out = io.BytesIO()
        with audit.acting_as(user):
            export_case_file(db.session, [official_id], "bag", user, out, config=app.config)
        db.session.commit()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as bag:
        (name,) = [n for n in bag.namelist() if n.endswith("/manifest-sha256.txt")]
        return bag.read(name)


def backup_of(app: Flask, target: Path):
    with app.app_context():
        key = signing.load_or_create(app.config["EXPORT_KEY_PATH"])
        return create_backup(app.config["SQLALCHEMY_DATABASE_URI"], store_for(app.config), target, now=NOW, key=key)


def key_of(app: Flask):
    """The public key that verifies the instance's backups."""
    return signing.public_of(app.config["EXPORT_KEY_PATH"])


def test_restored_instance_passes_fixity_and_exports_the_same_case_file(source, new_database, tmp_path):
    app, official_id, email = source
    before = bag_manifest(app, official_id, email)
    with app.app_context():
        officials = db.session.scalar(select(func.count()).select_from(Official))
    assert b"data/exhibits/" in before
    archive = tmp_path / "backups" / "tribunal.tar"
    result = app.test_cli_runner().invoke(backup_command, [str(archive)])
    assert result.exit_code == 0, result.output
    assert "and 2 files" in result.output

    restored = instance(new_database("restored"), tmp_path / "restored", tmp_path / "export-key.pem")
    result = restored.test_cli_runner().invoke(restore_command, [str(archive)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "0 problem(s)" in result.output
    with restored.app_context():
        run = run_fixity(db.session, store_for(restored.config), run_by="test")
        assert (run.problem_count, run.files_checked) == (0, 2)
        assert db.session.scalar(select(func.count()).select_from(Official)) == officials == official_id
        events = db.session.execute(select(func.count()).where(_audit_action("restore"))).scalar_one()
        assert events == 1
        db.session.rollback()
    assert bag_manifest(restored, official_id, email) == before
    with restored.app_context():
        db.session.remove()
        db.engine.dispose()


def _audit_action(action: str):
    from models import AuditEvent

    return (AuditEvent.action == action) & (AuditEvent.entity_type == "backup")


def test_backup_is_audited_and_holds_exactly_the_referenced_files(source, tmp_path):
    app, _official_id, _email = source
    archive = tmp_path / "b.tar"
    manifest = backup_of(app, archive)
    stored = {p.name for p in store_for(app.config).root.rglob("*") if p.is_file()}
    assert {name.rsplit("/", 1)[-1] for name in manifest.members if name.startswith("evidence/")} == stored
    with open_backup(archive, key_of(app)) as (_tar, read):
        assert read.revision == manifest.revision and read.counts == manifest.counts
    assert manifest.counts["evidence_file"] == 2
    runner = app.test_cli_runner()
    assert runner.invoke(backup_command, [str(archive)]).exit_code == 1  # never overwritten
    assert runner.invoke(backup_command, [str(tmp_path / "c.tar")]).exit_code == 0
    with app.app_context():
        assert db.session.execute(select(func.count()).where(_audit_action("export"))).scalar_one() == 1


def _damage(archive: Path, member_prefix: str) -> None:
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith(member_prefix))
    with archive.open("r+b") as handle:
        handle.seek(member.offset_data + 3)
        byte = handle.read(1)
        handle.seek(member.offset_data + 3)
        handle.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize("member", ["evidence/", "database."])
def test_a_damaged_backup_is_refused_and_the_target_left_untouched(source, new_database, tmp_path, member):
    app, _official_id, _email = source
    archive = tmp_path / "b.tar"
    manifest = backup_of(app, archive)
    _damage(archive, member)
    target_url = new_database("target")
    store = EvidenceStore(tmp_path / "target-evidence")
    with pytest.raises(BackupError, match="is damaged"):
        restore_backup(target_url, store, archive, head=manifest.revision, force=False, public_key=key_of(app))
    assert not target_url.startswith("sqlite") or not Path(target_url.removeprefix("sqlite:///")).exists()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []
    if POSTGRES_URL:
        from services.backup.backups import target_is_empty

        assert target_is_empty(target_url, store) == []


def test_a_truncated_backup_is_refused(source, new_database, tmp_path):
    app, _official_id, _email = source
    archive = tmp_path / "b.tar"
    manifest = backup_of(app, archive)
    with archive.open("r+b") as handle:
        handle.truncate(archive.stat().st_size // 2)
    with pytest.raises(BackupError, match="cut short|no readable manifest"):
        restore_backup(
            new_database("target"),
            EvidenceStore(tmp_path / "e"),
            archive,
            head=manifest.revision,
            force=False,
            public_key=key_of(app),
        )


def test_restore_refuses_another_revision_and_a_target_holding_data(source, new_database, tmp_path):
    app, _official_id, _email = source
    archive = tmp_path / "b.tar"
    manifest = backup_of(app, archive)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(BackupError, match=f"revision {manifest.revision}, this code at 0000"):
        restore_backup(
            new_database("other"),
            EvidenceStore(tmp_path / "e"),
            archive,
            head="0000",
            force=False,
            public_key=key_of(app),
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    with pytest.raises(BackupError, match="not empty .*use --force"):
        restore_backup(url, store_for(app.config), archive, head=manifest.revision, force=False, public_key=key_of(app))
    result = app.test_cli_runner().invoke(restore_command, [str(archive)])
    assert result.exit_code == 1 and "--force" in result.output
    # forced over itself, the instance comes back whole
    result = app.test_cli_runner().invoke(restore_command, [str(archive), "--force"])
    assert result.exit_code == 0, result.output
    assert "0 problem(s)" in result.output


def test_a_backup_refuses_a_store_missing_a_referenced_file(source, tmp_path):
    app, _official_id, _email = source
    stored = next(p for p in store_for(app.config).root.rglob("*") if p.is_file() and ".incoming" not in p.parts)
    stored.chmod(0o600)
    stored.unlink()
    with pytest.raises(BackupError, match="is missing"):
        backup_of(app, tmp_path / "b.tar")
    assert not (tmp_path / "b.tar").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


def test_backup_while_another_connection_writes_is_a_point_in_time(source, new_database, tmp_path):
    """A writer commits ten audit rows at a time throughout: the snapshot holds a whole number
    of its transactions, and the restored database exactly the rows the manifest counted."""
    app, _official_id, _email = source
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], connect_args=_busy_wait())
    with engine.connect() as conn:
        start = conn.scalar(text("SELECT count(*) FROM audit_event"))
    stop = threading.Event()
    committed: list[int] = []

    def writer() -> None:
        while not stop.is_set():
            # rows written around the application (unchained: fixity would name them), which
            # is all this test needs of them
            batch = len(committed) * 10
            rows = [{"at": NOW, "n": n, "hash": f"{batch + n:064x}"} for n in range(10)]
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO audit_event (occurred_at, action, entity_type, entity_id, event_hash)"
                        " VALUES (:at, 'view', 'w', :n, :hash)"
                    ),
                    rows,
                )
            committed.append(len(committed) + 1)

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 60
        while len(committed) < count and thread.is_alive():
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.001)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        wait_for(5)
        manifest = backup_of(app, tmp_path / "b.tar")
        wait_for(len(committed) + 3)
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    taken = manifest.counts["audit_event"] - start
    assert taken % 10 == 0 and 50 <= taken < 10 * len(committed)  # the writer went on after the snapshot
    target = new_database("concurrent")
    restored = restore_backup(
        target,
        EvidenceStore(tmp_path / "e"),
        tmp_path / "b.tar",
        head=manifest.revision,
        force=False,
        public_key=key_of(app),
    )
    assert restored.counts == manifest.counts
    if target.startswith("sqlite"):
        with sqlite3.connect(target.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _busy_wait() -> dict[str, object]:
    return {} if POSTGRES_URL else {"timeout": 30}
