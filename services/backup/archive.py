"""Reading a backup archive without trusting it: what ``flask restore`` proves before it
writes anything. Each refusal is a BackupError saying what is wrong.

1. The tar's headers are scanned raw, before the tar library reads them: only regular files
   and the PAX extended headers that carry their long names and sizes are allowed -- no
   sparse member (1.7 MB of tar once became 300 MiB in the store), no link, device, FIFO or
   folder, no GNU or global extension header --, extension headers of a few KiB at most (the
   tar library reads one whole into memory), a bounded number of members.
2. The manifest's signature: ``manifest.json.sig`` must verify over ``manifest.json``, with
   the instance's export key or the one given, before the manifest is even parsed.
3. Every other member is named in the manifest, once, with exactly the size the manifest
   states (read from its header, before its bytes), then hashed against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.evidence.store import CHUNK_SIZE
from services.exports import signing

FORMAT = "tribunal-scope-backup/2"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
EVIDENCE_MEMBER = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")
BLOCK = 512
MAX_EXTENSION_BYTES = 8 * 1024  # a PAX header of a long name and a size is a few hundred bytes
MAX_MANIFEST_BYTES = 256 * 1024 * 1024  # a store of about a million files
MAX_SIGNATURE_BYTES = 1024
MAX_MEMBERS = 1_000_000
_REGULAR = (b"0", b"\0")
_PAX = b"x"
_KINDS = {
    b"1": "a hard link",
    b"2": "a symbolic link",
    b"3": "a character device",
    b"4": "a block device",
    b"5": "a folder",
    b"6": "a FIFO",
    b"7": "a contiguous file",
    b"S": "a sparse file",
    b"g": "a global extension header",
    b"L": "a GNU long name",
    b"K": "a GNU long link",
}


class BackupError(RuntimeError):
    """The backup or restore cannot go ahead; nothing was written."""


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


@dataclass
class Manifest:
    engine: str  # sqlite or postgresql
    revision: str  # the alembic revision of the snapshot
    created_at: str
    counts: dict[str, int]  # rows per table
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {sha256, size}
    signed_by: str = ""  # the export key's public half (the one that verifies is the one trusted)
    format: str = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode("utf-8")

    @property
    def database_member(self) -> str:
        return SQLITE_MEMBER if self.engine == "sqlite" else PG_MEMBER

    def evidence_hashes(self) -> set[str]:
        return {match.group(3) for name in self.members if (match := EVIDENCE_MEMBER.match(name))}


# --- 1. the raw headers --------------------------------------------------------------------------


def _number(field_bytes: bytes, where: str) -> int:
    """A tar header's numeric field: octal, or base-256 for large values."""
    if field_bytes[0] & 0x80:
        if field_bytes[0] != 0x80:
            raise BackupError(f"The backup's header at {where} holds a negative size.")
        return int.from_bytes(field_bytes[1:], "big")
    text = field_bytes.replace(b"\0", b" ").strip()
    try:
        return int(text, 8) if text else 0
    except ValueError as exc:
        raise BackupError(f"The backup's header at {where} is damaged.") from exc


def _checksum_ok(block: bytes) -> bool:
    stored = _number(block[148:156], "checksum")
    unsigned = sum(block[:148]) + 8 * 32 + sum(block[156:])
    signed = sum(b - 256 if b > 127 else b for b in block[:148] + block[156:]) + 8 * 32
    return stored in (unsigned, signed)


def _pax_size(data: bytes, where: str) -> int | None:
    """The size a PAX header gives its member (None: the header's own); sparse refused."""
    size = None
    for line in data.split(b"\n"):
        _length, _, record = line.partition(b" ")
        key, _, value = record.partition(b"=")
        if key.startswith(b"GNU.sparse"):
            raise BackupError(f"The backup holds a sparse member (at {where}): refused.")
        if key == b"size":
            try:
                size = int(value)
            except ValueError as exc:
                raise BackupError(f"The backup's extended header at {where} is damaged.") from exc
    return size


def scan_headers(path: Path) -> int:
    """Check every header of the tar at ``path`` before the tar library reads any; the number
    of members."""
    total = path.stat().st_size
    members, offset, next_size = 0, 0, None
    with path.open("rb") as handle:
        while True:
            handle.seek(offset)
            block = handle.read(BLOCK)
            if len(block) < BLOCK:
                raise BackupError("The backup is cut short: its end-of-archive marker is missing.")
            if block == bytes(BLOCK):
                return members
            where = f"byte {offset}"
            if not _checksum_ok(block):
                raise BackupError(f"The backup's header at {where} is damaged.")
            kind, size = block[156:157], _number(block[124:136], where)
            if kind == _PAX:
                if size > MAX_EXTENSION_BYTES:
                    raise BackupError(f"The backup's extended header at {where} is {size} bytes: refused.")
                next_size = _pax_size(handle.read(size), where)
            elif kind in _REGULAR:
                members += 1
                if members > MAX_MEMBERS:
                    raise BackupError(f"The backup holds more than {MAX_MEMBERS} members: refused.")
                size, next_size = (size if next_size is None else next_size), None
            else:
                what = _KINDS.get(kind, f"a member of type {kind!r}")
                raise BackupError(f"The backup holds {what} (at {where}): only regular files are restored.")
            offset += BLOCK + -(-size // BLOCK) * BLOCK
            if offset > total:
                raise BackupError(f"The backup is cut short: the member at {where} runs past its end.")


# --- 2 and 3: the signed manifest and the members ------------------------------------------------


def _members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members: dict[str, tarfile.TarInfo] = {}
    for member in tar:
        if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or member.sparse is not None:
            raise BackupError(f"The backup member {member.name!r} is not a regular file.")
        if member.name in members:
            raise BackupError(f"The backup holds {member.name!r} twice.")
        members[member.name] = member
    return members


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo | None, name: str, limit: int) -> bytes:
    if member is None:
        raise BackupError(f"The backup has no {name}: it is not a signed backup of this release.")
    if member.size > limit:
        raise BackupError(f"The backup's {name} is {member.size} bytes, more than the {limit} allowed.")
    return _extract(tar, member).read(limit)


def _signed_manifest(
    tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], public_key: Ed25519PublicKey
) -> Manifest:
    signature = _read(tar, members.get(SIGNATURE), SIGNATURE, MAX_SIGNATURE_BYTES)
    data = _read(tar, members.get(MANIFEST), MANIFEST, MAX_MANIFEST_BYTES)
    if not signing.verify(public_key, data, signature.decode("ascii", "replace")):
        raise BackupError(
            f"The backup's manifest is not signed by the key {signing.public_text(public_key)}: "
            "it was changed, or made by another instance (give its key with --public-key)."
        )
    try:
        manifest = Manifest(**json.loads(data))
    except (ValueError, TypeError) as exc:
        raise BackupError("The backup has no readable manifest.json.") from exc
    if manifest.format != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.format!r} (this version reads {FORMAT}).")
    for name in manifest.members:
        if name != manifest.database_member and not EVIDENCE_MEMBER.match(name):
            raise BackupError(f"The manifest names an unexpected member {name!r}.")
    if manifest.database_member not in manifest.members:
        raise BackupError("The backup holds no database snapshot.")
    return manifest


def _check_members(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: Manifest) -> None:
    payload = {name: member for name, member in members.items() if name not in (MANIFEST, SIGNATURE)}
    for name, member in payload.items():
        expected = manifest.members.get(name)
        if expected is None:
            raise BackupError(f"The backup holds an unexpected member {name!r}.")
        if member.size != expected["size"]:
            raise BackupError(f"Backup member {name} is {member.size} bytes; the manifest states {expected['size']}.")
    missing = sorted(set(manifest.members) - set(payload))
    if missing:
        raise BackupError(f"The backup lacks {len(missing)} member(s) its manifest lists, e.g. {missing[0]}.")
    for name, member in payload.items():
        sha256, size = hash_stream(_extract(tar, member))
        if sha256 != manifest.members[name]["sha256"] or size != member.size:
            raise BackupError(f"Backup member {name} is damaged: its SHA-256 does not match the manifest.")


@contextmanager
def open_backup(path: Path, public_key: Ed25519PublicKey) -> Iterator[tuple[tarfile.TarFile, Manifest]]:
    """The archive and its manifest, after every check above (BackupError on the first
    problem)."""
    try:
        scan_headers(path)
        tar = tarfile.open(path, "r:")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a readable backup: {exc}") from exc
    with tar:
        try:
            members = _members(tar)
            manifest = _signed_manifest(tar, members, public_key)
            _check_members(tar, members, manifest)
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{path} is damaged or cut short: {exc}") from exc
        yield tar, manifest


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(f"Backup member {member.name} is not a file.")
    return handle


def extract(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    return _extract(tar, tar.getmember(name))


def hash_stream(handle: IO[bytes], copy_to: Writable | None = None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), size
