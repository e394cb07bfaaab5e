"""Verify a zipped, signed case-file bag without trusting anything inside it.

Checks, each reported by name: the zip's structure (one top folder, no absolute, ``..`` or
non-canonical paths, no name twice -- not even differing only in case or Unicode form, which
the genuine and a forged copy could use to show a verifier one and an unzipping recipient the
other --, only regular files and folders, no member that overlaps another or inflates more than
a compressor can honestly achieve), every payload file against ``manifest-sha256.txt``
(changed, added, removed), every tag file against ``tagmanifest-sha256.txt`` (a tag file it
does not list is refused: only the tag manifest itself, its signature and the public key may
go unlisted), ``Payload-Oxum``, and the Ed25519 signature of the tag manifest with the public
key the verifier trusts. A structural problem stops the check before any member is read;
tag files and the key are read only up to a size limit; payload files are hashed as they
stream out of the zip. Nothing is extracted to disk.
"""

from __future__ import annotations

import hashlib
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.evidence.store import CHUNK_SIZE
from services.exports import signing
from services.exports.bag import (
    HEADS_FIELD,
    HEADS_NAME,
    PUBLIC_KEY_NAME,
    SIGNATURE_NAME,
    TAG_FILES,
    CustodyHeadLine,
    manifest_path,
)

TAG_MANIFEST = "tagmanifest-sha256.txt"
REQUIRED = (*TAG_FILES, TAG_MANIFEST, SIGNATURE_NAME)
# Tag files no manifest can list: the tag manifest itself, its signature, and the key
UNLISTED_TAG_FILES = frozenset({TAG_MANIFEST, SIGNATURE_NAME, PUBLIC_KEY_NAME})
MAX_TAG_BYTES = 64 * 1024 * 1024  # a manifest of several hundred thousand files
MAX_KEY_BYTES = 1024  # the signature and the public key are one line of base64 each
MAX_MEMBERS = 500_000
# Deflate cannot shrink data more than about 1032:1; honest files (text, JSON) stay far below
# this ratio, and members smaller than the floor may compress as they like.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
_LOCAL_HEADER = 30  # bytes of a local file header before its name


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    payload_files: int = 0
    payload_bytes: int = 0
    heads: list[CustodyHeadLine] = field(default_factory=list)  # the signed custody heads, if the bag has them

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
        path = _decode_path(path)
        if path in entries:
            verdict.problems.append(f"{name} lists {manifest_path(path)} twice")
        entries[path] = digest.lower()
    return entries


# --- structure: decided from the central directory, before any member is read --------------


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member is not a plain file or folder, or None."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if info.flag_bits & 0x1:
        return f"{info.filename!r} is encrypted"
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return f"{info.filename!r} is not a regular file (a link or a special file)"
    if not info.is_dir() and info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return (
            f"{info.filename!r} would inflate from {info.compress_size} to {info.file_size} bytes: a compression bomb"
        )
    return None


def _overlaps(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], verdict: Verdict) -> None:
    """Members whose stored bytes overlap another's (the trick behind non-recursive zip bombs,
    and a way to show different bytes under one name)."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    ends_at = archive.start_dir  # where the central directory starts
    for info, following in zip(ordered, [*ordered[1:], None], strict=True):
        end = info.header_offset + _LOCAL_HEADER + len(info.orig_filename.encode("utf-8", "replace"))
        end += info.compress_size
        limit = following.header_offset if following is not None else ends_at
        if end > limit:
            verdict.problems.append(f"{info.filename!r} overlaps the member stored after it")


def _same_on_disk(name: str) -> str:
    """What a case-insensitive, normalising file system would make of ``name``."""
    return unicodedata.normalize("NFC", name).casefold()


def _structure(archive: zipfile.ZipFile, verdict: Verdict) -> tuple[str, dict[str, zipfile.ZipInfo]] | None:
    """The bag's top folder and its files (path inside the bag -> member), or None when the
    zip's structure alone refuses it."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        verdict.problems.append(f"the zip holds {len(infos)} members, more than {MAX_MEMBERS}")
        return None
    tops: set[str] = set()
    files: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        canonical = "/".join(parts) + ("/" if info.is_dir() else "")
        if name.startswith("/") or "\\" in name or ".." in parts or not parts or name != canonical:
            verdict.problems.append(f"unsafe path in the zip: {name!r}")
            continue
        other = seen.setdefault(_same_on_disk(name), name)
        if other == name and info is not archive.getinfo(name):
            verdict.problems.append(f"{name!r} is in the zip more than once")
        elif other != name:
            verdict.problems.append(f"{other!r} and {name!r} name the same file on some systems")
        problem = _kind_problem(info)
        if problem:
            verdict.problems.append(problem)
        tops.add(parts[0])
        if not info.is_dir() and len(parts) > 1:
            files["/".join(parts[1:])] = info
    _overlaps(archive, infos, verdict)
    if verdict.problems:
        return None
    if len(tops) != 1:
        verdict.problems.append(f"the zip must hold exactly one bag folder, it holds {len(tops)}")
        return None
    missing = [f for f in REQUIRED if f not in files]
    for name in missing:
        verdict.problems.append(f"{name} is missing")
    return (tops.pop(), files) if not missing else None


# --- reading members --------------------------------------------------------------------------


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, verdict: Verdict) -> bytes | None:
    """A small member's bytes, never more than ``limit`` of them; None (a problem noted) when
    it is larger or damaged."""
    if info.file_size > limit:
        verdict.problems.append(f"{info.filename!r} is {info.file_size} bytes, more than the {limit} allowed")
        return None
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        verdict.problems.append(f"{info.filename!r} cannot be read: {exc}")
        return None
    if len(data) > limit:
        verdict.problems.append(f"{info.filename!r} holds more than the {limit} bytes allowed")
        return None
    return data


def _hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    """SHA-256 and size, streamed; zipfile stops at the declared size and checks the CRC."""
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_bag(path: str, public_key: Ed25519PublicKey) -> Verdict:
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        verdict.problems.append(f"not a readable zip file: {exc}")
        return verdict
    with archive:
        found = _structure(archive, verdict)
        if found is None:
            return verdict
        _top, files = found
        tag: dict[str, bytes] = {}
        for name in REQUIRED:
            limit = MAX_KEY_BYTES if name == SIGNATURE_NAME else MAX_TAG_BYTES
            data = _read_limited(archive, files[name], limit, verdict)
            if data is None:
                return verdict
            tag[name] = data
        if not signing.verify(public_key, tag[TAG_MANIFEST], tag[SIGNATURE_NAME].decode("ascii", "replace")):
            verdict.problems.append("the signature of tagmanifest-sha256.txt does not verify with the public key")
        _check_embedded_key(archive, files, public_key, verdict)
        _check_tags(archive, files, tag, verdict)
        _check_heads(archive, files, tag, verdict)
        _check_payload(archive, files, tag, verdict)
    return verdict


def _check_heads(
    archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], tag: dict[str, bytes], verdict: Verdict
) -> None:
    """The custody heads a bag declares in bag-info.txt: present, well-formed, one per
    exhibit whose files it holds (covered by the signature through the tag manifest)."""
    declared = _bag_info_value(tag["bag-info.txt"], HEADS_FIELD)
    if declared is None:
        return  # a bag made before custody heads were recorded
    if declared != HEADS_NAME or HEADS_NAME not in files:
        verdict.problems.append(f"bag-info.txt names custody heads ({declared}) the bag does not hold")
        return
    data = _read_limited(archive, files[HEADS_NAME], MAX_TAG_BYTES, verdict)
    if data is None:
        return
    heads: dict[str, CustodyHeadLine] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        exhibit, _, rest = line.partition("\t")
        count, _, digest = rest.partition("\t")
        well_formed = exhibit and count.isdigit() and exhibit not in heads
        well_formed = well_formed and (
            (digest == "-" and count == "0") or (len(digest) == 64 and set(digest) <= set("0123456789abcdef"))
        )
        if not well_formed:
            verdict.problems.append(f"{HEADS_NAME} line {number} is not '<exhibit>\\t<events>\\t<hash>'")
            continue
        heads[exhibit] = CustodyHeadLine(exhibit, int(count), None if digest == "-" else digest)
    exhibits = {path.split("/")[2] for path in files if path.startswith("data/exhibits/") and path.count("/") >= 3}
    for exhibit in sorted(exhibits - set(heads)):
        verdict.problems.append(f"{HEADS_NAME} has no custody head for exhibit {exhibit}")
    verdict.heads = list(heads.values())


def _check_embedded_key(
    archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], public_key: Ed25519PublicKey, verdict: Verdict
) -> None:
    if PUBLIC_KEY_NAME in files:
        data = _read_limited(archive, files[PUBLIC_KEY_NAME], MAX_KEY_BYTES, verdict)
        if data is not None and data.decode("ascii", "replace").strip() != signing.public_text(public_key):
            verdict.problems.append(f"{PUBLIC_KEY_NAME} names a different key from the one used to verify")


def _check_tags(
    archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], tag: dict[str, bytes], verdict: Verdict
) -> None:
    """Every tag file is listed in the (signed) tag manifest with its hash, and every file the
    tag manifest lists is a tag file that is there."""
    listed = _parse_manifest(tag[TAG_MANIFEST], TAG_MANIFEST, verdict)
    present = {path for path in files if not path.startswith("data/")}
    for name in TAG_FILES:
        if name not in listed:
            verdict.problems.append(f"{name} is not listed in {TAG_MANIFEST}")
    for name in sorted(present - UNLISTED_TAG_FILES):
        if name not in listed:
            verdict.problems.append(f"{manifest_path(name)} is not listed in {TAG_MANIFEST} (added)")
            continue
        data = tag.get(name)
        if data is None:
            data = _read_limited(archive, files[name], MAX_TAG_BYTES, verdict)
            if data is None:
                continue
        if hashlib.sha256(data).hexdigest() != listed[name]:
            verdict.problems.append(f"{manifest_path(name)} was changed: its hash differs from {TAG_MANIFEST}")
    for name in sorted(set(listed) - present):
        verdict.problems.append(f"{manifest_path(name)} is listed in {TAG_MANIFEST} but missing")
    for name in sorted(set(listed) & UNLISTED_TAG_FILES):
        verdict.problems.append(f"{TAG_MANIFEST} lists {name}, which it cannot cover")


def _check_payload(
    archive: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo], tag: dict[str, bytes], verdict: Verdict
) -> None:
    manifest = _parse_manifest(tag["manifest-sha256.txt"], "manifest-sha256.txt", verdict)
    present = {path for path in files if path.startswith("data/")}
    for path in sorted(set(manifest) - present):
        verdict.problems.append(f"{manifest_path(path)} is listed in the manifest but missing (removed)")
    for path in sorted(present - set(manifest)):
        verdict.problems.append(f"{manifest_path(path)} is not in the manifest (added)")
    oxum = _bag_info_value(tag["bag-info.txt"], "Payload-Oxum")
    declared = sum(files[path].file_size for path in present)
    if oxum is not None and oxum.partition(".")[0] != str(declared):
        # the signed size of the payload, checked before reading gigabytes it does not announce
        verdict.problems.append(f"Payload-Oxum {oxum} does not match the payload's {declared} bytes")
        return
    for path in sorted(present & set(manifest)):
        try:
            digest, size = _hash_member(archive, files[path])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            verdict.problems.append(f"{manifest_path(path)} cannot be read: {exc}")
            continue
        verdict.payload_files += 1
        verdict.payload_bytes += size
        if digest != manifest[path]:
            verdict.problems.append(f"{manifest_path(path)} was changed: its SHA-256 differs from the manifest")
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
