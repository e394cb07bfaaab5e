"""The files of an intake: a folder or a zip archive, listed before anything is read.

Nothing here follows a link or leaves the folder or the archive: a member whose path is
absolute or climbs out (``../``), a symbolic or hard link, a device, a pipe or an encrypted
member is listed with the reason it is refused and never read. An archive is measured from its
own directory before a byte is unpacked: more files than ``max_files`` or more bytes than
``max_total_bytes`` once unpacked (a zip bomb) refuses the whole intake; each member is then
read with a cap at the size it declares, so one that unpacks to more is refused too.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

SIDECAR_NAME = "metadata.csv"
# Files an operating system leaves in folders and archives: not evidence, skipped
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
SYSTEM_FOLDERS = frozenset({"__macosx"})
_DRIVE = re.compile(r"^[A-Za-z]:")


class IntakeRefused(ValueError):
    """The whole intake cannot be read (not a folder or a zip, too many files, too large);
    ``code`` and ``values`` say why (services/evidence/intake/reasons.py has no word for these:
    the message is for the person who started it)."""


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_total_bytes: int
    max_file_bytes: int


@dataclass
class Member:
    """One file of the intake: its path inside it ('/'-separated, NFC), its declared size, and
    how to open it; or the reason it is not read (``refusal``/``skip`` with values)."""

    name: str
    size: int = 0
    opener: Callable[[], Any] | None = None
    refusal: str | None = None
    skip: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Listing:
    members: list[Member]
    sidecar: bytes | None  # the metadata file found inside the intake, read whole (bounded)
    label: str  # the intake's own name (the folder's or the archive's), for provenance


def normal_name(name: str) -> str:
    """A path as the report and the metadata name it: NFC, '/' separators, no leading './'."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def unsafe_path(raw: str) -> bool:
    """An absolute path, a drive letter, a NUL or a '..' part: it would leave the intake."""
    name = raw.replace("\\", "/")
    if not name or "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return True
    return any(part == ".." for part in name.split("/"))


def _system(name: str) -> bool:
    parts = name.lower().split("/")
    return parts[-1] in SYSTEM_FILES or any(part in SYSTEM_FOLDERS for part in parts[:-1])


def _check_totals(count: int, total: int, limits: Limits) -> None:
    if count > limits.max_files:
        raise IntakeRefused(f"The intake holds {count} files, more than the limit of {limits.max_files}.")
    if total > limits.max_total_bytes:
        raise IntakeRefused(
            f"The intake holds {total} bytes once unpacked, more than the limit of {limits.max_total_bytes}."
        )


def _read_sidecar(handle: IO[bytes] | _Capped, limit: int) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise IntakeRefused(f"{SIDECAR_NAME} is larger than {limit} bytes.")
    return bytes(data)


SIDECAR_LIMIT = 16 * 1024 * 1024


def list_intake(path: Path, limits: Limits, *, sidecar_inside: bool = True) -> Listing:
    """The files of the folder or zip at ``path``; IntakeRefused when it is neither, or over a limit."""
    if path.is_dir():
        return _list_folder(path, limits, sidecar_inside)
    if path.is_file() and zipfile.is_zipfile(path):
        return _list_zip(path, limits, sidecar_inside)
    raise IntakeRefused(f"{path} is neither a folder nor a zip archive.")


# --- a folder --------------------------------------------------------------------------------


def _open_regular(path: Path) -> IO[bytes]:
    """Open without following a link put there since the folder was listed."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError("not a regular file")
    return os.fdopen(fd, "rb")


def _list_folder(root: Path, limits: Limits, sidecar_inside: bool) -> Listing:
    members: list[Member] = []
    sidecar = None
    total = 0
    for directory, subdirs, names in os.walk(root, followlinks=False):
        here = Path(directory)
        for sub in list(subdirs):
            if (here / sub).is_symlink():  # os.walk lists it but does not enter it
                members.append(Member(normal_name(str((here / sub).relative_to(root))), refusal="link"))
        subdirs.sort()
        for base in sorted(names):
            full = here / base
            name = normal_name(str(full.relative_to(root)))
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                members.append(Member(name, refusal="link"))
            elif not stat.S_ISREG(info.st_mode):
                members.append(Member(name, refusal="special"))
            elif info.st_nlink > 1:
                members.append(Member(name, refusal="link"))
            elif sidecar_inside and name == SIDECAR_NAME:
                with _open_regular(full) as handle:
                    sidecar = _read_sidecar(handle, SIDECAR_LIMIT)
            elif _system(name):
                members.append(Member(name, skip="system_file", values={"name": base}))
            else:
                total += info.st_size
                members.append(Member(name, size=info.st_size, opener=partial(_open_regular, full)))
    _check_totals(sum(1 for m in members if m.opener), total, limits)
    return Listing(sorted(members, key=lambda m: m.name), sidecar, root.name)


# --- a zip archive ---------------------------------------------------------------------------


def _zip_refusal(info: zipfile.ZipInfo, raw_name: str) -> str | None:
    mode = info.external_attr >> 16
    if unsafe_path(raw_name):
        return "unsafe_path"
    if stat.S_ISLNK(mode):
        return "link"
    if mode and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        return "special"
    if info.flag_bits & 0x1:
        return "encrypted"
    return None


def _list_zip(path: Path, limits: Limits, sidecar_inside: bool) -> Listing:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IntakeRefused(f"{path.name} cannot be read as a zip archive: {error}") from error
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        counts = Counter(normal_name(info.filename) for info in infos)
        members: list[Member] = []
        sidecar = None
        total = 0
        for info in infos:
            name = normal_name(info.filename)
            refusal = _zip_refusal(info, info.filename)
            if refusal is None and counts[name] > 1:
                refusal = "listed_twice"
            if refusal is not None:
                members.append(Member(name or "?", refusal=refusal))
            elif sidecar_inside and name == SIDECAR_NAME:
                with _capped_member(path, info) as handle:
                    sidecar = _read_sidecar(handle, SIDECAR_LIMIT)
            elif _system(name):
                members.append(Member(name, skip="system_file", values={"name": name.rsplit("/", 1)[-1]}))
            else:
                total += info.file_size
                members.append(Member(name, size=info.file_size, opener=partial(_capped_member, path, info)))
    _check_totals(sum(1 for m in members if m.opener), total, limits)
    return Listing(sorted(members, key=lambda m: m.name), sidecar, path.name)


class SizeMismatch(ValueError):
    """A member that unpacks to more bytes than the archive declares for it."""


@contextmanager
def _capped_member(path: Path, info: zipfile.ZipInfo) -> Iterator[_Capped]:
    """The member's bytes, never more than its declared size (zipfile's own checks of the
    size and CRC at its end raise zipfile.BadZipFile for a member that lies)."""
    with zipfile.ZipFile(path) as archive, archive.open(info) as handle:
        yield _Capped(handle, info.file_size)


class _Capped:
    def __init__(self, handle: IO[bytes], cap: int) -> None:
        self.handle = handle
        self.left = cap

    def read(self, size: int = -1) -> bytes:
        want = self.left + 1 if size < 0 else min(size, self.left + 1)
        data = self.handle.read(want)
        if len(data) > self.left:
            raise SizeMismatch("the member unpacks to more than its declared size")
        self.left -= len(data)
        return data

    def __enter__(self) -> _Capped:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
