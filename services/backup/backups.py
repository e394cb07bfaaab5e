"""Backups of a running instance and restores into a fresh one.

A backup is one uncompressed tar (evidence is mostly compressed already) holding::

    database.sqlite3 | database.pgdump   the database snapshot
    evidence/ab/cd/abcdef…               every stored file the snapshot references
    manifest.json                        SHA-256 and size of every member, the alembic
                                         revision, the engine, the time, row counts
    manifest.json.sig                    Ed25519 signature of manifest.json (the export key)

The database is snapshotted first -- SQLite's online backup API, or pg_dump inside a
repeatable-read transaction whose snapshot it shares -- and the files are copied after. Stored
files are never changed or removed, so every file the snapshot references is still there;
files stored later are left out, so the restored store holds no orphans.

A restore proves the whole archive first (services/backup/archive.py: only regular members,
the manifest's signature, every size and hash), refuses a target that holds data (unless
forced) or a backup from another schema revision, checks a SQLite snapshot's integrity, rows
and referenced files beside the target, and only then stages the files beside the store,
swaps the database in and moves the files into place. A refusal leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, fixed arguments)
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, make_url

from services.backup.archive import (
    EVIDENCE_MEMBER,
    MANIFEST,
    PG_MEMBER,
    SIGNATURE,
    SQLITE_MEMBER,
    BackupError,
    Manifest,
    extract,
    hash_stream,
    open_backup,
)
from services.evidence.store import CHUNK_SIZE, EvidenceStore, IncomingFile
from services.exports import signing

__all__ = ["BackupError", "Manifest", "create_backup", "open_backup", "restore_backup", "target_is_empty"]


def engine_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore and an environment carrying the password (kept off
    the command line, where other users could read it)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client).") from exc
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- what a snapshot holds -----------------------------------------------------------------


def _facts(conn: Connection) -> tuple[str, dict[str, int], set[str]]:
    """The revision, rows per table and referenced file hashes, as ``conn`` sees them."""
    tables = sorted(t for t in inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        raise BackupError("The database has no alembic_version table: it was never migrated.")
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    counts = {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in tables}  # noqa: S608
    hashes = set(conn.execute(text("SELECT DISTINCT sha256 FROM evidence_file")).scalars())
    return revision, counts, hashes


def _sqlite_facts(path: Path) -> tuple[str, dict[str, int], set[str]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return _facts(conn)
    finally:
        engine.dispose()


def _snapshot_sqlite(url: str, into: Path) -> tuple[str, dict[str, int], set[str]]:
    path = sqlite_path(url)
    if not path.is_file():
        raise BackupError(f"There is no database at {path}.")
    source = sqlite3.connect(path, timeout=30)
    target = sqlite3.connect(into)
    try:
        # One step: the copy is a single read transaction, a consistent point in time even
        # while other connections write (WAL mode lets them go on meanwhile).
        source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {exc}") from exc
    finally:
        target.close()
        source.close()
    return _sqlite_facts(into)


def _snapshot_postgres(url: str, into: Path) -> tuple[str, dict[str, int], set[str]]:
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn:
            # pg_dump joins this transaction's snapshot, so the facts read here describe
            # exactly the rows it dumps.
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = _facts(conn)
            libpq, env = _libpq(url)
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={into}", libpq], env)
            conn.rollback()
            return facts
    finally:
        engine.dispose()


# --- backup ----------------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, path: Path, manifest: Manifest, expect: str | None = None) -> None:
    sha256, size = _hash_file(path)
    if expect is not None and sha256 != expect:
        raise BackupError(f"Stored file {expect} now hashes to {sha256}; run `flask evidence fixity` first.")
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o440
    with path.open("rb") as handle:
        tar.addfile(info, handle)
    if info.size != size:
        raise BackupError(f"{path} changed while it was being copied.")
    manifest.members[name] = {"sha256": sha256, "size": size}


def create_backup(
    url: str, store: EvidenceStore, target: Path, *, now: dt.datetime, key: Ed25519PrivateKey
) -> Manifest:
    """Write a backup of the database at ``url`` and ``store`` to ``target`` (a new file,
    written whole or not at all), its manifest signed with ``key`` (the export key)."""
    engine = engine_of(url)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        snapshot = Path(work) / (SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER)
        snap = _snapshot_sqlite if engine == "sqlite" else _snapshot_postgres
        revision, counts, hashes = snap(url, snapshot)
        manifest = Manifest(engine, revision, now.isoformat(), counts, signed_by=signing.public_text(key))
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add(tar, snapshot.name, snapshot, manifest)
            for sha256 in sorted(hashes):
                path = store.path_for(sha256)
                if not path.is_file():
                    raise BackupError(f"Stored file {sha256} is missing; run `flask evidence fixity` first.")
                _add(tar, f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}", path, manifest, expect=sha256)
            data = manifest.to_json()
            _add_bytes(tar, MANIFEST, data, now)
            _add_bytes(tar, SIGNATURE, (signing.sign(key, data) + "\n").encode("ascii"), now)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, now: dt.datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o440, int(now.timestamp())
    tar.addfile(info, _BytesReader(data))


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


# --- restore ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    files: int  # stored files restored
    counts: dict[str, int]  # rows per table in the restored database


def target_is_empty(url: str, store: EvidenceStore) -> list[str]:
    """What the target already holds (empty list: nothing)."""
    held = []
    if engine_of(url) == "sqlite" and not sqlite_path(url).exists():
        tables: list[str] = []
    else:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                tables = inspect(conn).get_table_names()
        finally:
            engine.dispose()
    if tables:
        held.append(f"the database holds {len(tables)} table(s)")
    if next(store.stored(), None) is not None:
        held.append(f"the evidence store {store.root} holds files")
    return held


def restore_backup(
    url: str, store: EvidenceStore, source: Path, *, head: str, force: bool, public_key: Ed25519PublicKey
) -> Restored:
    """Verify the backup at ``source`` (its manifest signed by ``public_key``), then rebuild the
    database at ``url`` and ``store`` from it. ``head`` is the schema revision this code expects.
    Nothing is written before every check passes, and nothing is left on a refusal."""
    engine = engine_of(url)
    with open_backup(source, public_key) as (tar, manifest):
        if manifest.engine != engine:
            raise BackupError(f"This is a {manifest.engine} backup; the target database is {engine}.")
        if manifest.revision != head:
            raise BackupError(
                f"The backup is at schema revision {manifest.revision}, this code at {head}. Restore it with the "
                f"release that has revision {manifest.revision} as its head, then upgrade with `flask db upgrade`."
            )
        held = target_is_empty(url, store)
        if held and not force:
            raise BackupError(f"The target is not empty ({'; '.join(held)}); use --force to restore over it.")
        prepared = _sqlite_candidate(tar, url, manifest) if engine == "sqlite" else _postgres_candidate(tar, manifest)
        with prepared as candidate:
            staged = _stage_files(tar, manifest, store)
            try:
                if engine == "sqlite":
                    _swap_sqlite(candidate, sqlite_path(url))
                else:
                    _restore_postgres(candidate, url)
                    _check_snapshot(manifest, _restored_facts(url))
            except BaseException:
                for incoming in staged:
                    incoming.discard()
                raise
    # From here on the database references these files; a crash now leaves them staged in
    # .incoming, where `flask evidence recover` moves them into place.
    for incoming in staged:
        store.promote(incoming)
    return Restored(manifest, len(staged), _restored_facts(url)[1])


def _check_snapshot(manifest: Manifest, facts: tuple[str, dict[str, int], set[str]]) -> None:
    """The database holds what the manifest says: its revision, its rows, and references
    exactly the files the backup holds (no file restored that nothing refers to)."""
    revision, counts, hashes = facts
    if revision != manifest.revision:
        raise BackupError(f"The backup's database is at revision {revision}, its manifest says {manifest.revision}.")
    differ = sorted(t for t, n in manifest.counts.items() if counts.get(t) != n)
    if differ:
        raise BackupError(
            f"The backup's database does not hold the rows its manifest lists (tables {', '.join(differ)})."
        )
    _check_references(manifest, hashes)


def _check_references(manifest: Manifest, hashes: set[str]) -> None:
    held = manifest.evidence_hashes()
    if hashes != held:
        raise BackupError(
            f"The backup's database refers to {len(hashes - held)} stored file(s) the backup does not hold, and the "
            f"backup holds {len(held - hashes)} file(s) the database does not refer to: refused."
        )


def _stage_files(tar: tarfile.TarFile, manifest: Manifest, store: EvidenceStore) -> list[IncomingFile]:
    """Every stored file of the backup, written to the store's incoming folder and staged."""
    staged: list[IncomingFile] = []
    try:
        for name, expected in sorted(manifest.members.items()):
            match = EVIDENCE_MEMBER.match(name)
            if match is None:
                continue
            sha256 = match.group(3)
            if (match.group(1), match.group(2)) != (sha256[:2], sha256[2:4]) or expected["sha256"] != sha256:
                raise BackupError(f"Backup member {name} is not stored under its own hash.")
            incoming = store.receive()
            staged.append(incoming)
            hash_stream(extract(tar, name), incoming)
            if incoming.sha256 != sha256:
                raise BackupError(f"Backup member {name} changed while it was being restored.")
            store.stage(incoming)
    except BaseException:
        for incoming in staged:
            incoming.discard()
        raise
    return staged


def _copy_member(tar: tarfile.TarFile, name: str, into: Path) -> None:
    with into.open("wb") as out:
        hash_stream(extract(tar, name), out)
        out.flush()
        os.fsync(out.fileno())


@contextmanager
def _sqlite_candidate(tar: tarfile.TarFile, url: str, manifest: Manifest) -> Iterator[Path]:
    """The backup's SQLite database, copied beside the target and checked (integrity, rows,
    referenced files) before anything else is written; removed whatever happens (once swapped
    in, it is gone already)."""
    target = sqlite_path(url)
    made = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restore")
    os.close(fd)
    candidate = Path(name)
    try:
        _copy_member(tar, SQLITE_MEMBER, candidate)
        with closing(sqlite3.connect(candidate)) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"The database in the backup fails SQLite's integrity check: {verdict}")
        _check_snapshot(manifest, _sqlite_facts(candidate))
        yield candidate
    except BaseException:
        _remove_database_files(candidate)
        for folder in made:  # folders made for it, innermost first
            with suppress(OSError):
                folder.rmdir()
        raise
    finally:
        _remove_database_files(candidate)


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _swap_sqlite(candidate: Path, target: Path) -> None:
    # A write-ahead log left by the database being replaced would be replayed into the
    # restored one: remove it with the file it belongs to.
    _remove_database_files(target)
    os.replace(candidate, target)


@contextmanager
def _postgres_candidate(tar: tarfile.TarFile, manifest: Manifest) -> Iterator[Path]:
    """The backup's dump in a temporary folder, its stored-file references read from it (as
    text, touching no database) and checked against the files the backup holds."""
    with tempfile.TemporaryDirectory(prefix="tribunal-restore-") as work:
        dump = Path(work) / PG_MEMBER
        _copy_member(tar, PG_MEMBER, dump)
        _check_references(manifest, _dump_references(dump))
        yield dump


def _dump_references(dump: Path) -> set[str]:
    """The sha256 column of evidence_file in a pg_dump archive (pg_restore writes the table's
    COPY data as text to standard output)."""
    command = ["pg_restore", "--data-only", "--table=evidence_file", "--file=-", str(dump)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError("pg_restore is not installed (Debian package postgresql-client).") from exc
    hashes: set[str] = set()
    column: int | None = None
    for line in process.stdout or ():
        if line.startswith("COPY ") and "evidence_file (" in line:
            columns = line[line.index("(") + 1 : line.index(")")].split(", ")
            column = columns.index("sha256")
        elif line == "\\.\n":
            column = None
        elif column is not None:
            hashes.add(line.rstrip("\n").split("\t")[column])
    _out, errors = process.communicate()
    if process.returncode:
        raise BackupError(f"pg_restore could not read the backup's dump: {errors.strip()[-2000:]}")
    return hashes


def _restore_postgres(dump: Path, url: str) -> None:
    libpq, env = _libpq(url)
    # One transaction: a failure part way leaves the database as it was.
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction"]
    _run([*command, "--exit-on-error", f"--dbname={libpq}", str(dump)], env)


def _restored_facts(url: str) -> tuple[str, dict[str, int], set[str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return _facts(conn)
    finally:
        engine.dispose()
