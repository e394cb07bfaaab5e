"""The evidence store: immutable files on disk, addressed by the SHA-256 of their bytes.

Layout under ``EVIDENCE_DIR``::

    ab/cd/abcdef…        a stored file, named by its hash (read-only once in place)
    .incoming/…          uploads being received or waiting for their transaction

An upload is written to ``.incoming`` as it arrives and hashed on the way (``IncomingFile``),
never held whole in memory. Once its record is flushed, the file is *staged* (renamed to
``<sha256>.<random>.ready``) and moved to its address only when the transaction commits; a
rollback, a refusal or an interrupted upload leaves nothing behind. A crash between the
commit and the move leaves a ``.ready`` file that ``recover`` finishes (its hash is in the
name, so it can be checked against the database). Storage names come only from hashes and
random tokens: a name sent by a client is metadata and never touches the file system.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session, SessionTransaction

CHUNK_SIZE = 1024 * 1024
INCOMING = ".incoming"
PREVIEWS = ".imports"  # uploaded import files waiting for their preview to be applied
RENDERS = ".renders"  # the viewer's page images, made again from stored files when missing
INTAKES = ".intake"  # uploaded zip archives waiting for their bulk intake job
CASE_FILES = ".case-files"  # case files exports made as jobs, kept by hash for downloading again
WORK_FOLDERS = (INCOMING, PREVIEWS, RENDERS, INTAKES, CASE_FILES)  # not evidence: fixity leaves them alone
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_READY = re.compile(r"^([0-9a-f]{64})\.[0-9a-z_-]+\.ready$")
_SESSION_KEY = "evidence_store_staged"


class StoreError(ValueError):
    """A hash that is not one, or a file that is not where the store expects it."""


# The file system has no room left (ENOSPC), or the store's owner none of its quota (EDQUOT).
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})


class StoreFull(Exception):  # noqa: N818  (named for what happened, like FileNotFoundError)
    """The file system holding the evidence store has no room for what is being written.
    Not a ValueError: the form parser would take that for a malformed body and carry on."""

    def __init__(self, directory: Path, received: int) -> None:
        super().__init__(f"no room left in {directory} after {received} bytes")
        self.directory = directory
        self.received = received  # the bytes of this file written before the store filled up


@contextmanager
def _room_needed(directory: Path, received: int = 0) -> Iterator[None]:
    """Turn "no space left on device" (or quota exceeded) into ``StoreFull``."""
    try:
        yield
    except OSError as error:
        if error.errno in NO_ROOM:
            raise StoreFull(directory, received) from error
        raise


def sha256_of(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class IncomingFile:
    """A file being received: written to the store's incoming folder and hashed as it
    arrives. Werkzeug's form parser writes each uploaded file part into one of these."""

    def __init__(self, directory: Path) -> None:
        with _room_needed(directory):
            directory.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=directory, prefix="upload-", suffix=".part")
        self.path = Path(name)
        self._file: IO[bytes] = os.fdopen(fd, "w+b")
        self._digest = hashlib.sha256()
        self.size = 0
        self.staged = False  # renamed to its .ready name, waiting for the commit
        self.finished = False  # moved into the store or discarded

    # the file interface the form parser and FileStorage use
    def write(self, data: bytes) -> int:
        with _room_needed(self.path.parent, self.size):
            written = self._file.write(data)
        self._digest.update(data)
        self.size += len(data)
        return written

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        with _room_needed(self.path.parent, self.size):
            self._file.flush()

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return not self.staged

    def seekable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: self._file.read(CHUNK_SIZE), b"")

    @property
    def sha256(self) -> str:
        """The hash of every byte received so far."""
        return self._digest.hexdigest()

    def discard(self) -> None:
        """Remove the received bytes (an upload refused, interrupted or rolled back)."""
        if self.finished:
            return
        with suppress(OSError):  # closing flushes what is buffered, which fails on a full disk
            self.close()
        self.path.unlink(missing_ok=True)
        self.finished = True


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path


class EvidenceStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    @property
    def incoming_dir(self) -> Path:
        return self.root / INCOMING

    @property
    def renders_dir(self) -> Path:
        return self.root / RENDERS

    def receive(self) -> IncomingFile:
        """A new incoming file to write an upload into."""
        return IncomingFile(self.incoming_dir)

    def path_for(self, sha256: str) -> Path:
        """Where the bytes with this hash live. Only hashes computed here or read from the
        database reach this; anything else is refused rather than joined to a path."""
        if not _SHA256.match(sha256):
            raise StoreError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # --- from upload to stored file -----------------------------------------------------

    def stage(self, incoming: IncomingFile) -> None:
        """Make the received bytes durable and name them by their hash, ready to move into
        place when the transaction commits."""
        if incoming.finished or incoming.staged:
            raise StoreError("this upload was already staged or discarded")
        with _room_needed(incoming.path.parent, incoming.size):
            incoming._file.flush()
            os.fsync(incoming._file.fileno())
        incoming.close()
        ready = incoming.path.with_name(f"{incoming.sha256}.{secrets.token_hex(8)}.ready")
        os.replace(incoming.path, ready)
        incoming.path = ready
        incoming.staged = True

    def promote(self, incoming: IncomingFile) -> None:
        """Move staged bytes to their address; when the same bytes are already stored,
        keep the stored copy (it is never replaced) and drop the new one."""
        if incoming.finished:
            return
        self._place(incoming.path, incoming.sha256)
        incoming.finished = True

    def _place(self, source: Path, sha256: str) -> None:
        target = self.path_for(sha256)
        if target.exists():
            source.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
        _fsync_dir(target.parent)

    def open(self, sha256: str) -> IO[bytes]:
        return self.path_for(sha256).open("rb")

    def stored(self) -> Iterator[StoredFile]:
        """Every file in the store outside the incoming folder; a name that is not a hash
        in its right place comes out with an empty ``sha256``."""
        for directory, subdirs, names in os.walk(self.root):
            here = Path(directory)
            if here == self.root:
                subdirs[:] = sorted(d for d in subdirs if d not in WORK_FOLDERS)
            else:
                subdirs.sort()
            for name in sorted(names):
                path = here / name
                expected = self.path_for(name) if _SHA256.match(name) else None
                yield StoredFile(name if expected == path else "", path)

    def leftovers(self, older_than: dt.timedelta) -> list[Path]:
        """Incoming files older than ``older_than``: uploads that neither finished nor were
        cleaned up (a crash)."""
        if not self.incoming_dir.is_dir():
            return []
        cutoff = time.time() - older_than.total_seconds()
        return sorted(p for p in self.incoming_dir.iterdir() if p.is_file() and p.stat().st_mtime < cutoff)

    def recover(self, referenced: set[str], older_than: dt.timedelta) -> tuple[int, int]:
        """Finish what a crash interrupted: staged files whose hash the database references
        move into place; other leftovers are removed. Returns (moved, removed)."""
        moved = removed = 0
        for path in self.leftovers(older_than):
            match = _READY.match(path.name)
            if match and match.group(1) in referenced and sha256_of(path)[0] == match.group(1):
                self._place(path, match.group(1))
                moved += 1
            else:
                path.unlink(missing_ok=True)
                removed += 1
        return moved, removed


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- moving staged files when the transaction ends -----------------------------------------


def promote_on_commit(session: Session, store: EvidenceStore, incoming: IncomingFile) -> None:
    """Move ``incoming`` into the store when ``session`` commits; discard it on rollback."""
    session.info.setdefault(_SESSION_KEY, []).append((store, incoming))


def _staged(session: Session) -> list[tuple[EvidenceStore, IncomingFile]]:
    staged: list[tuple[EvidenceStore, IncomingFile]] = session.info.pop(_SESSION_KEY, [])
    return staged


def after_commit(session: Session) -> None:
    for store, incoming in _staged(session):
        store.promote(incoming)


def after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        for _store, incoming in _staged(session):
            incoming.discard()


def store_for(config: Any) -> EvidenceStore:
    """The store of an app's configuration."""
    return EvidenceStore(config["EVIDENCE_DIR"])
