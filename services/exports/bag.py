"""Case files as BagIt bags (RFC 8493), zipped and signed, written as they are built.

Layout inside the zip (one top folder, the bag)::

    <bag>/bagit.txt
    <bag>/bag-info.txt                 Source-Organization, Bagging-Date, External-Identifier,
                                       Payload-Oxum, Highest-Classification, Withheld-Items
    <bag>/manifest-sha256.txt          every payload file
    <bag>/custody-heads.txt            each exhibit's custody chain as it stood: events, newest hash
    <bag>/tagmanifest-sha256.txt       bagit.txt, bag-info.txt, manifest-sha256.txt, custody-heads.txt
    <bag>/tagmanifest-sha256.txt.sig   detached Ed25519 signature of the tag manifest (base64)
    <bag>/signing-key.pub              the public key that made it (check it against the one
                                       you were given out of band)
    <bag>/data/dossier.pdf
    <bag>/data/dossier.json
    <bag>/data/exhibits/<exhibit-no>/<file>

Exhibits are copied from the evidence store in chunks straight into the zip, re-hashed on the
way: bytes that no longer match their recorded hash stop the export. The custody heads (the
number of events of each exhibit's chain and the keyed hash of its newest, as they stood
before the export's own "exported" events) are a tag file, so the signature covers them: the
issuing instance's ``flask verify bag`` compares them with its chains, which shows whether
the chain of any exhibit in the bag was rewritten after it was handed out. Entries carry the time of
the bundle's last change, so the same state gives the same payload and the same manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from models import Evidence, EvidenceFile
from services.evidence.store import CHUNK_SIZE, EvidenceStore
from services.exports import signing
from services.exports.data import ExportBundle, ExportError

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
SIGNATURE_NAME = "tagmanifest-sha256.txt.sig"
PUBLIC_KEY_NAME = "signing-key.pub"
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
HEADS_NAME = "custody-heads.txt"
HEADS_FIELD = "Custody-Heads"  # in bag-info.txt: the bag carries HEADS_NAME (bags made before did not)
HEADS_PREAMBLE = (
    "# Each exhibit's chain of custody when this bag was made: exhibit number, events, hash of the newest\n"
    "# (HMAC-SHA256 under the issuing instance's chain key; its `flask verify bag` compares them)\n"
)


@dataclass(frozen=True)
class CustodyHeadLine:
    exhibit_no: str
    events: int
    head_hash: str | None  # None: no event recorded yet


def heads_file(heads: Iterable[CustodyHeadLine]) -> bytes:
    lines = [f"{h.exhibit_no}\t{h.events}\t{h.head_hash or '-'}\n" for h in sorted(heads, key=lambda h: h.exhibit_no)]
    return (HEADS_PREAMBLE + "".join(lines)).encode("utf-8")


def manifest_path(path: str) -> str:
    """A path as a manifest line writes it (RFC 8493 §2.1.3: CR, LF and % percent-encoded)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment.astimezone(dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


@dataclass
class BagResult:
    payload: dict[str, str] = field(default_factory=dict)  # path under data/ -> sha256
    payload_bytes: int = 0
    exhibits: dict[int, list[str]] = field(default_factory=dict)  # evidence id -> file hashes verified


def exhibit_paths(files: Iterable[tuple[Evidence, EvidenceFile]]) -> list[tuple[Evidence, EvidenceFile, str]]:
    """Where each file goes under data/exhibits: its exhibit's folder and its (cleaned)
    original name, made unique within the folder with the start of its hash."""
    placed: list[tuple[Evidence, EvidenceFile, str]] = []
    taken: set[str] = set()
    for evidence, file in sorted(files, key=lambda pair: (pair[0].exhibit_no, pair[1].id)):
        name = file.original_name or f"file-{file.sha256[:12]}"
        path = f"data/exhibits/{evidence.exhibit_no}/{name}"
        if path in taken:
            path = f"data/exhibits/{evidence.exhibit_no}/{file.sha256[:12]}-{name}"
        taken.add(path)
        placed.append((evidence, file, path))
    return placed


class _BagWriter:
    def __init__(self, out: BinaryIO, top: str, moment: dt.datetime) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.top = top
        self.time = _zip_time(moment)
        self.result = BagResult()

    def _info(self, path: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.top}/{path}", date_time=self.time)
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        return info

    def add_bytes(self, path: str, data: bytes, *, payload: bool) -> str:
        digest = hashlib.sha256(data).hexdigest()
        self.zip.writestr(self._info(path, compress=True), data)
        if payload:
            self.result.payload[path] = digest
            self.result.payload_bytes += len(data)
        return digest

    def add_stored_file(self, path: str, store: EvidenceStore, file: EvidenceFile) -> None:
        """Copy a stored exhibit into the zip in chunks, checking its hash as it goes."""
        digest = hashlib.sha256()
        size = 0
        source = store.path_for(file.sha256)
        if not source.is_file():
            raise ExportError(f"File {file.sha256} of exhibit {file.evidence.exhibit_no} is missing from the store.")
        # Exhibits are mostly compressed media already: stored, not deflated
        with (
            source.open("rb") as reader,
            self.zip.open(self._info(path, compress=False), "w", force_zip64=True) as writer,
        ):
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
                writer.write(chunk)
        if digest.hexdigest() != file.sha256:
            raise ExportError(
                f"File {file.sha256} of exhibit {file.evidence.exhibit_no} no longer matches its recorded hash; "
                "run the fixity check. Nothing was exported."
            )
        self.result.payload[path] = file.sha256
        self.result.payload_bytes += size
        self.result.exhibits.setdefault(file.evidence_id, []).append(file.sha256)


def _lines(entries: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {manifest_path(path)}\n" for path, digest in sorted(entries.items())).encode("utf-8")


def bag_info(bundle: ExportBundle, result: BagResult, *, source: str, external_id: str, bagging_date: dt.date) -> bytes:
    fields = [
        ("Source-Organization", source),
        ("Bagging-Date", bagging_date.isoformat()),
        ("External-Identifier", external_id),
        ("External-Description", "Candidate-defendant case file: Special Tribunal for the Crime of Aggression"),
        ("Payload-Oxum", f"{result.payload_bytes}.{len(result.payload)}"),
        ("Highest-Classification", bundle.highest_classification),
        ("Withheld-Items", str(bundle.withheld)),
        ("As-Of", bundle.last_change.isoformat()),
        ("Bag-Software-Agent", "Tribunal Scope"),
        (HEADS_FIELD, HEADS_NAME),
    ]
    return "".join(f"{name}: {value}\n" for name, value in fields).encode("utf-8")


def write_bag(
    bundle: ExportBundle,
    out: BinaryIO,
    *,
    pdf: bytes,
    dossier_json: bytes,
    store: EvidenceStore,
    key: Ed25519PrivateKey,
    source: str,
    external_id: str,
    bagging_date: dt.date,
    heads: Iterable[CustodyHeadLine],
) -> BagResult:
    """Write the zipped, signed bag to ``out`` (which need not be seekable); ``heads`` are
    the custody heads of the bundle's exhibits."""
    top = external_id.replace(":", "-").replace("/", "-")
    writer = _BagWriter(out, top, bundle.last_change)
    writer.add_bytes("data/dossier.pdf", pdf, payload=True)
    writer.add_bytes("data/dossier.json", dossier_json, payload=True)
    for _evidence, file, path in exhibit_paths(bundle.files):
        writer.add_stored_file(path, store, file)
    result = writer.result
    tags = {
        "bagit.txt": writer.add_bytes("bagit.txt", BAGIT_TXT, payload=False),
        "bag-info.txt": writer.add_bytes(
            "bag-info.txt",
            bag_info(bundle, result, source=source, external_id=external_id, bagging_date=bagging_date),
            payload=False,
        ),
        "manifest-sha256.txt": writer.add_bytes("manifest-sha256.txt", _lines(result.payload), payload=False),
        HEADS_NAME: writer.add_bytes(HEADS_NAME, heads_file(heads), payload=False),
    }
    tagmanifest = _lines(tags)
    writer.add_bytes("tagmanifest-sha256.txt", tagmanifest, payload=False)
    writer.add_bytes(SIGNATURE_NAME, (signing.sign(key, tagmanifest) + "\n").encode("ascii"), payload=False)
    writer.add_bytes(PUBLIC_KEY_NAME, (signing.public_text(key) + "\n").encode("ascii"), payload=False)
    writer.zip.close()
    return result
