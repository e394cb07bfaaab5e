"""The instance's export key: an Ed25519 key pair that signs every case file it hands out.

The private key is created on first use and kept in a file only its owner may read
(``EXPORT_KEY_PATH``, by default in the instance folder). A recipient verifies a case file
with the public key, given to them out of band (``flask --app app keys public``).
Keys travel as text: ``ed25519:`` followed by the base64 of the 32 raw bytes.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "ed25519:"


class KeyError_(ValueError):
    """A key that cannot be read."""


def load_or_create(path: str | Path) -> Ed25519PrivateKey:
    """The private key at ``path``, created (mode 0600) when there is none yet."""
    path = Path(path)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyError_(f"{path} does not hold an Ed25519 private key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    if not create_private_file(path, pem):
        return load_or_create(path)
    return key


def public_of(path: str | Path) -> Ed25519PublicKey:
    """The public half of the key at ``path``, which must exist (never created here: a new key
    would verify nothing made before)."""
    path = Path(path)
    if not path.exists():
        raise KeyError_(f"There is no export signing key at {path}")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError_(f"{path} does not hold an Ed25519 private key")
    return key.public_key()


def create_private_file(path: Path, data: bytes) -> bool:
    """Write ``data`` to a new file only its owner may read (mode 0600); False when the file
    exists already (O_EXCL: two processes creating a key at once never overwrite each other's)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return True


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    text = text.strip()
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise KeyError_("not an Ed25519 public key (expected ed25519:<base64 of 32 bytes>)") from exc


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    """A detached signature, as base64 text."""
    return base64.b64encode(key.sign(data)).decode("ascii")


def verify(public: Ed25519PublicKey, data: bytes, signature_text: str) -> bool:
    try:
        public.verify(base64.b64decode(signature_text.strip(), validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
