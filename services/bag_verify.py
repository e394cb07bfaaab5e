"""Verify a zipped, signed case-file bag without trusting anything inside it.

Checks, each reported by name: the zip's structure (one top folder, no absolute or ``..``
paths, the required tag files), every payload file against ``manifest-sha256.txt`` (changed,
added, removed), the tag files against ``tagmanifest-sha256.txt``, ``Payload-Oxum``, and the
Ed25519 signature of the tag manifest with the public key the verifier trusts. Files are
hashed as they stream out of the zip; nothing is extracted to disk.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services import signing
from services.export_bag import PUBLIC_KEY_NAME, SIGNATURE_NAME, TAG_FILES, manifest_path
from services.store import CHUNK_SIZE

REQUIRED = (*TAG_FILES, "tagmanifest-sha256.txt", SIGNATURE_NAME)
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    payload_files: int = 0
    payload_bytes: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


def _decode_path(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _parse_manifest(data: bytes, name: str, verdict: Verdict) -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        digest, sep, path = line.partition("  ")
        if not sep or len(digest) != 64:
            verdict.problems.append(f"{name} line {number} is not '<sha256>  <path>'")
            continue
        entries[_decode_path(path)] = digest.lower()
    return entries


def _hash_member(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _structure(archive: zipfile.ZipFile, verdict: Verdict) -> tuple[str, dict[str, str]] | None:
    """The bag's top folder and its files (path inside the bag -> name in the zip)."""
    tops: set[str] = set()
    files: dict[str, str] = {}
    for info in archive.infolist():
        name = info.filename
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or not parts:
            verdict.problems.append(f"unsafe path in the zip: {name!r}")
            continue
        tops.add(parts[0])
        if not info.is_dir() and len(parts) > 1:
            files["/".join(parts[1:])] = name
    if len(tops) != 1:
        verdict.problems.append(f"the zip must hold exactly one bag folder, it holds {len(tops)}")
        return None
    missing = [f for f in REQUIRED if f not in files]
    for name in missing:
        verdict.problems.append(f"{name} is missing")
    return (tops.pop(), files) if not missing else None


def verify_bag(path: str, public_key: Ed25519PublicKey) -> Verdict:
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        verdict.problems.append(f"not a readable zip file: {exc}")
        return verdict
    with archive:
        found = _structure(archive, verdict)
        if found is None:
            return verdict
        _top, files = found
        if any(archive.getinfo(files[f]).file_size > MAX_MANIFEST_BYTES for f in REQUIRED):
            verdict.problems.append("a tag file is implausibly large")
            return verdict
        tag = {name: archive.read(files[name]) for name in REQUIRED}
        if not signing.verify(
            public_key, tag["tagmanifest-sha256.txt"], tag[SIGNATURE_NAME].decode("ascii", "replace")
        ):
            verdict.problems.append("the signature of tagmanifest-sha256.txt does not verify with the public key")
        _check_embedded_key(archive, files, public_key, verdict)
        _check_tags(tag, verdict)
        _check_payload(archive, files, tag, verdict)
    return verdict


def _check_embedded_key(
    archive: zipfile.ZipFile, files: dict[str, str], public_key: Ed25519PublicKey, verdict: Verdict
) -> None:
    if PUBLIC_KEY_NAME in files:
        embedded = archive.read(files[PUBLIC_KEY_NAME]).decode("ascii", "replace").strip()
        if embedded != signing.public_text(public_key):
            verdict.problems.append(f"{PUBLIC_KEY_NAME} names a different key from the one used to verify")


def _check_tags(tag: dict[str, bytes], verdict: Verdict) -> None:
    listed = _parse_manifest(tag["tagmanifest-sha256.txt"], "tagmanifest-sha256.txt", verdict)
    for name in TAG_FILES:
        if name not in listed:
            verdict.problems.append(f"{name} is not listed in tagmanifest-sha256.txt")
        elif hashlib.sha256(tag[name]).hexdigest() != listed[name]:
            verdict.problems.append(f"{name} was changed: its hash differs from tagmanifest-sha256.txt")


def _check_payload(archive: zipfile.ZipFile, files: dict[str, str], tag: dict[str, bytes], verdict: Verdict) -> None:
    manifest = _parse_manifest(tag["manifest-sha256.txt"], "manifest-sha256.txt", verdict)
    present = {path for path in files if path.startswith("data/")}
    for path in sorted(set(manifest) - present):
        verdict.problems.append(f"{manifest_path(path)} is listed in the manifest but missing (removed)")
    for path in sorted(present - set(manifest)):
        verdict.problems.append(f"{manifest_path(path)} is not in the manifest (added)")
    for path in sorted(present & set(manifest)):
        digest, size = _hash_member(archive, files[path])
        verdict.payload_files += 1
        verdict.payload_bytes += size
        if digest != manifest[path]:
            verdict.problems.append(f"{manifest_path(path)} was changed: its SHA-256 differs from the manifest")
    oxum = _bag_info_value(tag["bag-info.txt"], "Payload-Oxum")
    if oxum is None:
        verdict.problems.append("bag-info.txt has no Payload-Oxum")
    elif not verdict.problems and oxum != f"{verdict.payload_bytes}.{verdict.payload_files}":
        verdict.problems.append(
            f"Payload-Oxum {oxum} does not match the payload ({verdict.payload_bytes}.{verdict.payload_files})"
        )


def _bag_info_value(data: bytes, name: str) -> str | None:
    for line in data.decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == name:
            return value.strip()
    return None
