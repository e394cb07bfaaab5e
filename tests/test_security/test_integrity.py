"""Integrity of the record (issue 17, items 9, 10, 12 and 13): each test replays an attack.

../shared/SECURITY.md checklist items covered are named in each test's docstring.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import re
import stat
import tarfile
import tracemalloc
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select, text, update

from models import AuditEvent, AuditHead, CustodyEvent, CustodyHead, triggers
from services.audit import chain as audit_chain
from services.audit import trail as audit
from services.backup.archive import MANIFEST, SIGNATURE, BackupError
from services.common import chain_keys as chains
from services.evidence import custody
from services.evidence.files import attach_file
from services.evidence.store import store_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def custody_events(session, evidence) -> int:
    query = select(func.count()).select_from(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id)
    return int(session.scalar(query))


@pytest.fixture
def exhibit_file(app, session, make, evidence_dir):
    """A public exhibit with one stored file."""
    evidence = make.evidence(exhibit_no="P-0917")
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(PDF)
    record = attach_file(session, store, evidence, incoming, original_name="order.pdf", actor=None)
    session.commit()
    return evidence, record


# --- item 10: downloads change no state on GET -----------------------------------------------


def test_a_link_on_another_site_cannot_log_a_download(app, client, login, session, monkeypatch, exhibit_file):
    """SECURITY.md, Input and output: "CSRF on every state change (Flask-WTF); state never
    changes on GET". Evidence: "Custody events for every ... download".

    The attack: a page elsewhere embeds ``<img src=".../files/N/download">`` (a GET) or posts
    a form without the token; the signed-in viewer's browser sends the cookie along. Neither
    may write "downloaded by" in the viewer's name. The exhibit page's button (a POST with the
    page's CSRF token) downloads and logs exactly one event."""
    evidence, record = exhibit_file
    login("viewer", "public")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = custody_events(session, evidence)

    assert client.get(f"/files/{record.id}/download").status_code == 405
    assert client.post(f"/files/{record.id}/download").status_code == 400  # no CSRF token
    assert client.post(f"/files/{record.id}/download", data={"csrf_token": "forged"}).status_code == 400
    assert custody_events(session, evidence) == before

    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    action = f'<form method="post" class="inline download" action="/files/{record.id}/download">'
    form = re.search(re.escape(action) + "(.*?)</form>", page, re.S)
    assert form is not None, "the exhibit page offers the download as a form"
    [token] = CSRF_FIELD.findall(form.group(1))
    response = client.post(f"/files/{record.id}/download", data={"csrf_token": token})
    assert response.status_code == 200 and response.data == PDF
    assert custody_events(session, evidence) == before + 1


def test_the_api_download_needs_a_bearer_token_not_the_cookie(app, client, login, session, make_user, exhibit_file):
    """SECURITY.md, Input and output: "state never changes on GET" -- the API's GET download
    logs a custody event, so it must not be reachable with the browser's cookie (which another
    site can make the browser send); a bearer token cannot be sent by another site."""
    from services.auth import tokens

    evidence, record = exhibit_file
    login("viewer", "public")
    before = custody_events(session, evidence)
    response = client.get(f"/api/v1/files/{record.sha256}")
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert PDF not in response.data
    assert custody_events(session, evidence) == before

    user = make_user("viewer", "public")
    secret = tokens.issue_token(session, user).secret
    session.commit()
    client.post("/logout")
    response = client.get(f"/api/v1/files/{record.sha256}", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == record.sha256
    assert custody_events(session, evidence) == before + 1


# --- item 12: `flask verify bag` trusts nothing inside the zip -------------------------------


@pytest.fixture
def bag(app, session, export_case, tmp_path, monkeypatch):
    """A genuine signed bag of ``export_case`` (as bytes) and the key that verifies it."""
    import datetime as dt
    import io

    from services.exports import signing
    from services.exports.bag import write_bag
    from services.exports.case_files import HashingWriter, custody_heads, dossier_json_bytes, external_identifier
    from services.exports.data import gather

    key_path = tmp_path / "export-key.pem"
    monkeypatch.setitem(app.config, "EXPORT_KEY_PATH", str(key_path))
    key = signing.load_or_create(key_path)
    official, _public, _secret = export_case
    bundle = gather(session, [official.id], visible=("public",), scope_start=dt.date(2014, 2, 20))
    out = io.BytesIO()
    write_bag(
        bundle,
        HashingWriter(out),
        pdf=PDF,
        dossier_json=dossier_json_bytes(bundle),
        store=store_for(app.config),
        key=key,
        source="Tribunal Scope test",
        external_id=external_identifier(bundle),
        bagging_date=dt.date(2026, 12, 7),
        heads=custody_heads(session, bundle),
    )
    return out.getvalue(), key


def members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def zipped(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, content in entries:
            archive.writestr(info, content)
    return out.getvalue()


def verify_cli(runner, tmp_path, data: bytes, name: str = "hostile.zip"):
    path = tmp_path / name
    path.write_bytes(data)
    return runner.invoke(args=["verify", "bag", str(path)])


def test_the_genuine_bag_verifies(runner, tmp_path, bag):
    result = verify_cli(runner, tmp_path, bag[0], "genuine.zip")
    assert result.exit_code == 0 and "Intact" in result.output, result.output


def test_an_unlisted_file_in_a_signed_bag_is_refused(runner, tmp_path, bag):
    """SECURITY.md, Input and output: archives -- "unlisted ... members refused". A file added
    beside the tag files (a "README" telling the recipient what to believe) is covered by no
    signature; before, the bag was still "Intact"."""
    entries = members(bag[0])
    top = entries[0][0].filename.split("/")[0]
    for extra in ("README.txt", "extra/notes.txt", "manifest-md5.txt"):
        result = verify_cli(runner, tmp_path, zipped([*entries, (f"{top}/{extra}", b"trust me")]))
        assert result.exit_code == 1, result.output
        assert f"{extra} is not listed in tagmanifest-sha256.txt" in result.output
        assert "Intact" not in result.output


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_forged_duplicate_before_the_genuine_entry_is_refused(runner, tmp_path, bag):
    """SECURITY.md, Input and output: "duplicate ... members refused". zipfile reads the last
    of two entries of one name, many unzip tools the first: a forged exhibit placed before the
    genuine one showed the recipient the forgery while the verifier hashed the genuine bytes."""
    entries = members(bag[0])
    [(target, _genuine)] = [(i, c) for i, c in entries if i.filename.endswith("/kcna.txt")]
    forged = zipfile.ZipInfo(target.filename, date_time=target.date_time)
    position = entries.index(next(e for e in entries if e[0] is target))
    hostile = [*entries[:position], (forged, b"KCNA, forged"), *entries[position:]]
    result = verify_cli(runner, tmp_path, zipped(hostile))
    assert result.exit_code == 1 and "more than once" in result.output and "Intact" not in result.output
    # the same file under a name that differs only in case or Unicode form
    folded = target.filename.replace("kcna.txt", "KCNA.txt")
    result = verify_cli(runner, tmp_path, zipped([*entries, (folded, b"KCNA, forged")]))
    assert result.exit_code == 1 and "name the same file" in result.output


def test_non_canonical_paths_and_links_are_refused(tmp_path, bag):
    """SECURITY.md, Input and output: "sparse and special members refused"; paths contained."""
    from services.exports.verify import verify_bag

    data, key = bag
    entries = members(data)
    top = entries[0][0].filename.split("/")[0]
    link = zipfile.ZipInfo(f"{top}/data/exhibits/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    for hostile, expected in (
        ((f"{top}//data/x.txt", b"x"), "unsafe path"),
        ((f"{top}/./data/x.txt", b"x"), "unsafe path"),
        ((link, b"/etc/passwd"), "not a regular file"),
    ):
        path = tmp_path / "hostile.zip"
        path.write_bytes(zipped([*entries, hostile]))
        problems = verify_bag(str(path), key.public_key()).problems
        assert any(expected in p for p in problems), problems


def with_bomb(path, entries, name: str, size: int = 64 * 1024 * 1024):
    """The zip of ``entries`` plus a member ``name`` of ``size`` zero bytes, deflated to a
    thousandth of that (streamed: the test itself never holds the bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, content in entries:
            archive.writestr(info, content)
        bomb = zipfile.ZipInfo(name)
        bomb.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(bomb, "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def test_an_oversize_or_inflating_signing_key_is_refused_without_reading_it(tmp_path, bag):
    """SECURITY.md, Input and output: "every member read with a size limit". Before, a 1.7 MB
    zip whose signing-key.pub inflated to gigabytes took 3.2 GB of memory to verify: the key and
    every tag file are now read only up to a small limit, and a member inflating beyond what a
    compressor honestly achieves is refused before anything is read."""
    from services.exports.verify import verify_bag

    data, key = bag
    entries = [(i, c) for i, c in members(data) if not i.filename.endswith("signing-key.pub")]
    top = entries[0][0].filename.split("/")[0]
    bomb = with_bomb(tmp_path / "bomb.zip", entries, f"{top}/signing-key.pub")
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        problems = verify_bag(str(bomb), key.public_key()).problems
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("compression bomb" in p for p in problems), problems
    assert peak < 8 * 1024 * 1024

    # a plain (stored) key file larger than any key is refused by its size alone
    large = zipfile.ZipInfo(f"{top}/signing-key.pub")
    path = tmp_path / "large.zip"
    path.write_bytes(zipped([*entries, (large, b"ed25519:" + b"A" * 4096)]))
    problems = verify_bag(str(path), key.public_key()).problems
    assert any("signing-key.pub' is 4104 bytes, more than the 1024 allowed" in p for p in problems), problems


def test_a_compression_bomb_in_the_payload_is_refused_before_reading(tmp_path, bag):
    """SECURITY.md, Input and output: "archives checked for size ... before extraction"."""
    from services.exports.verify import verify_bag

    data, key = bag
    entries = members(data)
    top = entries[0][0].filename.split("/")[0]
    bomb = with_bomb(tmp_path / "bomb.zip", entries, f"{top}/data/exhibits/zeros.bin")
    problems = verify_bag(str(bomb), key.public_key()).problems
    assert problems == [f"'{top}/data/exhibits/zeros.bin' would inflate from " + problems[0].split("from ")[1]]
    assert "compression bomb" in problems[0]


def test_members_sharing_their_bytes_are_refused(tmp_path, bag):
    """The non-recursive zip bomb: central-directory entries pointing into one another's
    bytes. Two names for the same stored bytes are refused as overlapping."""
    from services.exports.verify import verify_bag

    data, key = bag
    path = tmp_path / "overlap.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for info, content in members(data):
            archive.writestr(info, content)
        twin = copy.copy(archive.filelist[-1])
        twin.filename = twin.orig_filename = twin.filename + "-twin"
        archive.filelist.append(twin)
    problems = verify_bag(str(path), key.public_key()).problems
    assert any("overlaps the member stored after it" in p for p in problems), problems


# --- item 9: the chains are keyed with a secret the database does not hold --------------------


def _plain_sha256(payload: dict) -> str:
    """What the chains were before: SHA-256 of the canonical JSON, which anyone can recompute."""
    return hashlib.sha256(chains.canonical(payload)).hexdigest()


def _unprotected(session, *tables: str) -> None:
    """What someone with the database's credentials does first: drop the append-only triggers
    (inside the test's transaction, which rolls the drop back too)."""
    dialect = session.get_bind().dialect.name
    for table in tables:
        for sql in triggers.drop_statements(table, dialect):
            session.execute(text(sql))


def _rewrite(session, model, events, fields, target, change: dict) -> str:
    """Apply ``change`` to ``target``, recompute the plain hash of every event from it on (in
    the order of ``events``) as the chains used to be hashed; the new newest hash."""
    previous = None
    for event in events:
        if event.id < target.id:
            previous = event.event_hash
            continue
        values = {name: getattr(event, name) for name in fields}
        values.update(change if event is target else {})
        values["prev_hash"] = previous
        previous = _plain_sha256(values)
        written = {name: values[name] for name in change}
        session.execute(
            update(model)
            .where(model.id == event.id)
            .values(**written, prev_hash=values["prev_hash"], event_hash=previous)
        )
    return previous


def _rewrite_custody(session, evidence) -> int:
    """Change who received the exhibit first; the id of the event rewritten."""
    query = select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id).order_by(CustodyEvent.id)
    events = list(session.scalars(query))
    head = _rewrite(session, CustodyEvent, events, custody.HASHED_FIELDS, events[0], {"to_party": "Someone else"})
    session.execute(update(CustodyHead).where(CustodyHead.evidence_id == evidence.id).values(head_hash=head))
    return events[0].id


def _rewrite_audit(session, evidence) -> int:
    """Rewrite the exhibit's creation in the trail (another classification); its id."""
    trail = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    [target] = [e for e in trail if (e.entity_type, e.entity_id, e.action) == ("evidence", evidence.id, "create")]
    change = {"after": {**target.after, "classification": "strictly_confidential"}}
    head = _rewrite(session, AuditEvent, trail, audit_chain.HASHED_FIELDS, target, change)
    session.execute(update(AuditHead).where(AuditHead.id == audit_chain.HEAD_ID).values(head_hash=head))
    return target.id


def test_rewritten_custody_and_audit_events_with_recomputed_hashes_are_named(runner, session, exhibit_file):
    """SECURITY.md, Evidence: "Chains are keyed (HMAC with a key kept outside the database, or
    signed heads): someone who can write the database but not read the key cannot rewrite
    history and recompute the hashes. The audit trail is chained the same way"; "hash-chained
    so an edited or removed row is detected; a fixity command".

    The attack: with the database's credentials, drop the append-only triggers, rewrite who
    received an exhibit (custody) and its recorded classification (audit trail), recompute
    every SHA-256 after the change and the heads. Before, `evidence fixity` found nothing."""
    evidence, _record = exhibit_file
    clean = runner.invoke(args=["evidence", "fixity"])
    assert clean.exit_code == 0, clean.output
    assert "problem" in clean.output and "audit trail (" in clean.output

    _unprotected(session, "custody_event", "audit_event")
    custody_id = _rewrite_custody(session, evidence)
    audit_id = _rewrite_audit(session, evidence)

    result = runner.invoke(args=["evidence", "fixity"])
    assert result.exit_code == 1, result.output
    assert re.search(
        rf"PROBLEM broken_chain: {evidence.exhibit_no}: custody chain: event 1 \(#{custody_id}, received\) "
        "was changed after it was recorded",
        result.output,
    ), result.output
    assert re.search(
        rf"PROBLEM broken_audit_trail: no exhibit: audit trail: event #{audit_id} \(create of evidence #{evidence.id} "
        r"by [^)]*\) was changed after it was recorded",
        result.output,
    ), result.output


def test_a_removed_audit_event_is_named(runner, session, exhibit_file):
    """SECURITY.md, Evidence: "an edited or removed row is detected" -- for the audit trail too."""
    evidence, _record = exhibit_file
    _unprotected(session, "audit_event")
    removed, following, *_rest = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id))
    session.execute(delete(AuditEvent).where(AuditEvent.id == removed))
    result = runner.invoke(args=["evidence", "fixity"])
    assert result.exit_code == 1
    assert f"event #{following} (" in result.output and "does not follow the event before it" in result.output
    assert "were recorded: the newest were removed" in result.output  # and the head says one more


def test_concurrent_commits_append_to_the_trail_in_turn(app, tmp_path):
    """SECURITY.md, Reliability: race-free on PostgreSQL, proved with parallel writers. Each
    commit locks the trail's head: concurrent transactions append in turn instead of forking
    the trail (which the unique index on prev_hash would refuse)."""
    import threading

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from app import MIGRATIONS_DIR
    from models.base import SQLITE_WRITE_INTENT
    from tests.conftest import POSTGRES_URL, drop_postgres_database, sibling_postgres_database

    url = sibling_postgres_database(POSTGRES_URL, "chains") if POSTGRES_URL else f"sqlite:///{tmp_path / 'c.db'}"
    engine = create_engine(url)
    try:
        config = Config(f"{MIGRATIONS_DIR}/alembic.ini")
        config.set_main_option("script_location", MIGRATIONS_DIR)
        config.attributes["skip_logging_config"] = True
        config.attributes["connection"] = engine
        command.upgrade(config, "heads")
        sessions = sessionmaker(engine)
        start = threading.Barrier(4)
        failures: list[BaseException] = []

        def writer(n: int) -> None:
            SQLITE_WRITE_INTENT.set(True)  # as a POST request does
            start.wait()
            try:
                for i in range(15):
                    with sessions() as session, audit.acting_as(None, f"writer {n}"):
                        audit.record(session, "login", "users", n, attempt=i)
                        session.commit()
            except BaseException as exc:  # noqa: BLE001  (reported below)
                failures.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with sessions() as session:
            verdict = audit_chain.verify(session)
        assert (verdict.events, verdict.problems) == (60, [])
    finally:
        engine.dispose()
        if POSTGRES_URL:
            drop_postgres_database(url)


def test_a_bag_carries_the_signed_custody_heads_of_its_exhibits(runner, session, bag, export_case, tmp_path):
    """Issue 17.9: "Signed bags carry the signed heads of every exhibit they contain". The
    heads are a tag file the signature covers; `verify bag` on the instance that made the bag
    also finds a chain rewritten after the export (here: the head event's hash replaced)."""
    data, _key = bag
    _official, public, _secret = export_case
    entries = members(data)
    [heads] = [c.decode() for i, c in entries if i.filename.endswith("/custody-heads.txt")]
    head = session.get(CustodyHead, public.id)
    assert f"{public.exhibit_no}\t{head.event_count}\t{head.head_hash}\n" in heads
    assert any(i.filename.endswith("/bag-info.txt") and b"Custody-Heads: custody-heads.txt" in c for i, c in entries)

    # another instance's tool sees the heads are signed: dropping or editing them breaks the bag
    dropped = [(i, c) for i, c in entries if not i.filename.endswith("/custody-heads.txt")]
    result = verify_cli(runner, tmp_path, zipped(dropped))
    assert result.exit_code == 1
    assert "custody-heads.txt is listed in tagmanifest-sha256.txt but missing" in result.output
    edited = [(i, c.replace(head.head_hash.encode(), b"0" * 64)) for i, c in entries]
    result = verify_cli(runner, tmp_path, zipped(edited))
    assert result.exit_code == 1 and "custody-heads.txt was changed" in result.output

    # the instance's own chain, rewritten after the export, no longer holds the signed head
    assert verify_cli(runner, tmp_path, data).exit_code == 0
    _unprotected(session, "custody_event")
    session.execute(update(CustodyEvent).where(CustodyEvent.event_hash == head.head_hash).values(event_hash="e" * 64))
    result = verify_cli(runner, tmp_path, data)
    assert result.exit_code == 1, result.output
    assert f"the custody chain of {public.exhibit_no} no longer holds the head the bag recorded" in result.output


# --- item 13 and 9: `flask restore` proves a backup before it writes anything ------------------

ZEROS = b"\0" * (1024 * 1024)
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def backup_kit(app, tmp_path, monkeypatch):
    """A genuine backup of the (empty, migrated) test database, the instance's export key, a
    target to restore into and a ``rebuild(extra, members=..., key=...)`` that writes a backup
    from the genuine one's members plus ``extra`` (raw tar bytes or (TarInfo, bytes)), with a
    manifest listing ``members`` and signed by ``key``."""
    from services.backup.backups import create_backup
    from services.evidence.store import EvidenceStore
    from services.exports import signing
    from tests.conftest import POSTGRES_URL, drop_postgres_database, sibling_postgres_database

    key_path = tmp_path / "export-key.pem"
    key = signing.load_or_create(key_path)
    monkeypatch.setitem(app.config, "EXPORT_KEY_PATH", str(key_path))
    genuine = tmp_path / "genuine.tar"
    manifest = create_backup(
        app.config["SQLALCHEMY_DATABASE_URI"], EvidenceStore(tmp_path / "source-store"), genuine, now=NOW, key=key
    )
    target = sibling_postgres_database(POSTGRES_URL, "restore") if POSTGRES_URL else f"sqlite:///{tmp_path}/t/r.db"

    def rebuild(extra=(), members=None, sign_with=key, name="hostile.tar"):
        listed = dict(manifest.members if members is None else members)
        out = tmp_path / name
        with (
            tarfile.open(genuine) as source,
            out.open("wb") as handle,
            tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            database = source.getmember(manifest.database_member)
            tar.addfile(database, source.extractfile(database))
            for item in extra:
                if isinstance(item, bytes):  # raw blocks the tar library would not write
                    handle.write(item)
                    tar.offset += len(item)
                else:
                    info, data = item
                    tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
            document = json.dumps({**manifest.__dict__, "members": listed}).encode()
            for member, data in ((MANIFEST, document), (SIGNATURE, signing.sign(sign_with, document).encode())):
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return out

    kit = SimpleNamespace(
        manifest=manifest, key=key, public=key.public_key(), target=target, rebuild=rebuild, store=tmp_path / "store"
    )
    yield kit
    if POSTGRES_URL:
        drop_postgres_database(target)


def _restore(kit, archive):
    from services.backup.backups import restore_backup
    from services.evidence.store import EvidenceStore

    return restore_backup(
        kit.target, EvidenceStore(kit.store), archive, head=kit.manifest.revision, force=False, public_key=kit.public
    )


def _left_behind(kit) -> list[str]:
    """Whatever a refused restore wrote: files in the store, the target database or its folder."""
    from services.backup.backups import target_is_empty
    from services.evidence.store import EvidenceStore

    found = [str(p) for p in kit.store.rglob("*") if p.is_file()]
    if kit.target.startswith("sqlite"):
        folder = Path(kit.target.removeprefix("sqlite:///")).parent
        found += [str(folder)] if folder.exists() else []
    else:
        found += target_is_empty(kit.target, EvidenceStore(kit.store))
    return found


def _gnu_sparse(name: str, real_size: int, data: bytes) -> bytes:
    """A GNU sparse member: ``data`` stored, ``real_size`` bytes when extracted (the rest
    holes of zeros), as GNU tar writes one -- Python's tarfile reads these but cannot write them."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    header = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    header[156:157] = tarfile.GNUTYPE_SPARSE
    header[386:398] = b"%011o\0" % 0  # the one stored region: at offset 0 ...
    header[398:410] = b"%011o\0" % len(data)  # ... of len(data) bytes
    header[482:483] = b"\0"  # no extended sparse headers
    header[483:495] = b"%011o\0" % real_size
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header) + data + b"\0" * (-len(data) % 512)


def _expanded_sha256(data: bytes, real_size: int) -> str:
    digest = hashlib.sha256(data)
    left = real_size - len(data)
    while left:
        chunk = ZEROS[: min(left, len(ZEROS))]
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


def test_a_sparse_member_is_refused_and_nothing_is_written(runner, backup_kit):
    """SECURITY.md, Input and output: "sparse and special members refused"; Reliability:
    "backup manifests are signed and verified on restore". The attack from the review: a sparse
    member of a few hundred bytes, listed with the size and hash of the 300 MiB it expands to,
    became 300 MiB in the store, and the orphan stayed. Here even a manifest signed with the
    instance's own key is refused, by the member's type, before anything is read or written."""
    data, real = b"A" * 512, 300 * 1024 * 1024
    sha = _expanded_sha256(data, real)
    name = f"evidence/{sha[:2]}/{sha[2:4]}/{sha}"
    archive = backup_kit.rebuild(
        [_gnu_sparse(name, real, data)], {**backup_kit.manifest.members, name: {"sha256": sha, "size": real}}
    )
    assert archive.stat().st_size < real // 50  # the whole backup, database included: a few MiB, not 300
    with pytest.raises(BackupError, match="holds a sparse file .*only regular files are restored"):
        _restore(backup_kit, archive)
    assert _left_behind(backup_kit) == []
    result = runner.invoke(args=["restore", str(archive), "--public-key", signing_text(backup_kit)])
    assert result.exit_code == 1 and "sparse file" in result.output

    # the PAX form of a sparse file (GNU.sparse.* records) is refused too
    pax = tarfile.TarInfo(name)
    pax.size, pax.pax_headers = len(data), {"GNU.sparse.size": str(real), "GNU.sparse.map": f"0,{len(data)}"}
    with pytest.raises(BackupError, match="sparse member"):
        _restore(backup_kit, backup_kit.rebuild([(pax, data)], name="pax.tar"))
    assert _left_behind(backup_kit) == []


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        (tarfile.SYMTYPE, "a symbolic link"),
        (tarfile.LNKTYPE, "a hard link"),
        (tarfile.FIFOTYPE, "a FIFO"),
        (tarfile.CHRTYPE, "a character device"),
        (tarfile.DIRTYPE, "a folder"),
    ],
)
def test_special_members_are_refused(backup_kit, kind, what):
    """SECURITY.md, Input and output: "sparse and special members refused"."""
    sha = "ab" * 32
    info = tarfile.TarInfo(f"evidence/ab/ab/{sha}")
    info.type, info.linkname = kind, "/etc/passwd"
    archive = backup_kit.rebuild([(info, b"")], {**backup_kit.manifest.members, info.name: {"sha256": sha, "size": 0}})
    with pytest.raises(BackupError, match=f"holds {what} .*only regular files are restored"):
        _restore(backup_kit, archive)
    assert _left_behind(backup_kit) == []


def test_a_member_of_another_size_than_the_manifest_states_is_refused_before_it_is_read(backup_kit):
    """Issue 17.13: "only regular files of exactly the sizes the signed manifest states"."""
    data = b"Order No. 1, 24 February 2022"
    sha = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo(f"evidence/{sha[:2]}/{sha[2:4]}/{sha}")
    info.size = len(data)
    listed = {**backup_kit.manifest.members, info.name: {"sha256": sha, "size": 10}}
    with pytest.raises(BackupError, match=f"is {len(data)} bytes; the manifest states 10"):
        _restore(backup_kit, backup_kit.rebuild([(info, data)], listed))
    assert _left_behind(backup_kit) == []


def test_a_file_the_database_does_not_refer_to_is_refused_before_anything_is_written(backup_kit):
    """Issue 17.13: "nothing written before every check passes; nothing left on refusal" -- a
    stored file no exhibit refers to (an orphan), though listed, hashed and signed, stops the
    restore before the store or the database is touched."""
    data = b"smuggled bytes"
    sha = hashlib.sha256(data).hexdigest()
    info = tarfile.TarInfo(f"evidence/{sha[:2]}/{sha[2:4]}/{sha}")
    info.size = len(data)
    listed = {**backup_kit.manifest.members, info.name: {"sha256": sha, "size": len(data)}}
    with pytest.raises(BackupError, match="holds 1 file.s. the database does not refer to"):
        _restore(backup_kit, backup_kit.rebuild([(info, data)], listed))
    assert _left_behind(backup_kit) == []


def test_an_unsigned_or_foreign_manifest_is_refused_first(backup_kit, tmp_path):
    """SECURITY.md, Evidence: "backup manifests are signed and verified on restore". A
    manifest edited after the backup (here: another row count), one signed by another key, and
    one without a signature are refused before the manifest is read or anything is written."""
    from services.exports import signing

    genuine = backup_kit.rebuild(name="genuine-again.tar")
    with tarfile.open(genuine) as tar:
        signature = tar.extractfile(SIGNATURE).read()
    edited = backup_kit.rebuild(name="edited.tar")
    _replace_member(edited, MANIFEST, lambda data: data.replace(b'"counts": {', b'"counts": {"forged": 1, ', 1))
    _replace_member(edited, SIGNATURE, lambda _data: signature)
    stranger = signing.load_or_create(tmp_path / "stranger.pem")
    unsigned = backup_kit.rebuild(name="unsigned.tar")
    _replace_member(unsigned, SIGNATURE, lambda _data: None)
    for archive, expected in (
        (edited, "not signed by the key"),
        (backup_kit.rebuild(sign_with=stranger, name="foreign.tar"), "not signed by the key"),
        (unsigned, "has no manifest.json.sig"),
    ):
        with pytest.raises(BackupError, match=expected):
            _restore(backup_kit, archive)
        assert _left_behind(backup_kit) == []
    assert _restore(backup_kit, genuine).files == 0  # the genuine one restores


def _replace_member(archive: Path, name: str, change) -> None:
    """Rewrite ``archive`` with member ``name``'s bytes passed through ``change``."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            data = change(data) if member.name == name else data
            if data is not None:  # None: the member is left out
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))


def test_an_oversized_extension_header_is_refused_before_the_tar_library_reads_it(backup_kit):
    """SECURITY.md, Input and output: "every member read with a size limit" -- a PAX header is
    read whole into memory by the tar library; one of megabytes is refused by the raw scan."""
    info = tarfile.TarInfo("evidence/ab/ab/" + "ab" * 32)
    info.pax_headers = {"comment": "x" * (2 * 1024 * 1024)}
    with pytest.raises(BackupError, match="extended header at byte .* is .* bytes: refused"):
        _restore(backup_kit, backup_kit.rebuild([(info, b"")]))
    assert _left_behind(backup_kit) == []


def signing_text(kit) -> str:
    from services.exports import signing

    return signing.public_text(kit.public)
