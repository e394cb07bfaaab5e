"""The key of the hash chains: the custody chain of every exhibit and the audit trail.

Each event of a chain carries the hash of the event before it and its own hash over all its
fields. A plain SHA-256 proves nothing against someone who can write the database: they
change a row and recompute every hash after it. So each hash is an HMAC-SHA256 under the
instance's chain key, a file the database never holds (``CHAIN_KEY_PATH``, mode 0600):
whoever can write the database but not read that file cannot produce a hash that verifies.

The key is created on first start in development and testing. In production it must exist
before the app starts (``make chain-key``, or ``python -m services.common.chain_keys PATH``): a server
that quietly made itself a new key would go on chaining events nobody can verify against
the old ones. Lost, every existing chain stops verifying; keep a copy apart from the
database backups (a backup holds the chains, never the key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from services.exports.signing import create_private_file

KEY_BYTES = 32


class ChainKeyError(RuntimeError):
    """The chain key is missing or unusable."""


# The key of the app most recently created in this process: what services use outside any
# app context (a production process runs one app; see current_key)
_process_key: bytes | None = None


def load_key(path: str | Path) -> bytes:
    path = Path(path)
    try:
        key = path.read_bytes()
    except FileNotFoundError as exc:
        raise ChainKeyError(
            f"There is no chain key at {path}. Create it once with `make chain-key` "
            f"(or `.venv/bin/python -m services.common.chain_keys {path}`), then keep a copy apart from the backups: "
            "it proves the custody chains and the audit trail."
        ) from exc
    except OSError as exc:
        raise ChainKeyError(f"The chain key at {path} cannot be read: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise ChainKeyError(f"{path} does not hold a {KEY_BYTES}-byte chain key")
    return key


def create_key(path: str | Path) -> bytes:
    """A new random key written to ``path`` (mode 0600); ChainKeyError when one is there."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    if not create_private_file(path, key):
        raise ChainKeyError(f"{path} exists already: the chain key is never replaced")
    return key


def load_or_create_key(path: str | Path) -> bytes:
    try:
        return create_key(path)
    except ChainKeyError:
        return load_key(path)


def key_for(config: Any) -> bytes:
    """The key an app uses: created when missing only where the configuration allows it."""
    path = config["CHAIN_KEY_PATH"]
    return load_or_create_key(path) if config.get("CHAIN_KEY_CREATE") else load_key(path)


def use_key(key: bytes) -> None:
    """Make ``key`` the process's chain key (called by the app factory)."""
    global _process_key
    _process_key = key


def current_key() -> bytes:
    """The current app's key; outside any app context, the key of the app last created."""
    from flask import current_app, has_app_context

    if has_app_context():
        key = current_app.extensions.get("chain_key")
        if key is not None:
            return bytes(key)
    if _process_key is None:
        raise ChainKeyError("No chain key is loaded: create the app first")
    return _process_key


# --- hashing ---------------------------------------------------------------------------------


def canonical_value(value: Any) -> Any:
    """A value as it is hashed: times in UTC to the microsecond; the rest as JSON has it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def canonical(payload: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8."""
    values = {name: canonical_value(value) for name, value in payload.items()}
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def keyed_hash(key: bytes, payload: dict[str, Any]) -> str:
    """HMAC-SHA256 of the canonical JSON of ``payload``, as hex."""
    return hmac.new(key, canonical(payload), hashlib.sha256).hexdigest()


def same_hash(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a, b)


# --- verification ----------------------------------------------------------------------------


class Chained(Protocol):
    """An event of a chain as verification reads it (an ORM object or a result row)."""

    @property
    def id(self) -> int: ...
    @property
    def prev_hash(self) -> str | None: ...
    @property
    def event_hash(self) -> str | None: ...


E = TypeVar("E", bound=Chained)


@dataclass(frozen=True)
class ChainProblem:
    kind: str  # altered_event, broken_link, truncated_chain (the audit trail's: truncated_trail)
    event_id: int | None
    detail: str


@dataclass
class ChainVerdict:
    events: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    unlisted: int = 0  # problems beyond max_listed


def verify_chain(
    events: Iterable[E],
    head: tuple[int, str | None] | None,
    *,
    key: bytes,
    hashed_fields: tuple[str, ...],
    label: Callable[[int, E], str],
    noun: str = "chain",
    max_listed: int | None = None,
) -> ChainVerdict:
    """What is wrong with one chain: ``events`` in the order they were recorded, ``head`` the
    (event count, newest hash) its head row records (None: no head row). A changed event no
    longer matches its hash, a removed or inserted one breaks the next link, removed newest
    events leave the chain shorter than its head says. ``label(position, event)`` names an
    event in a problem; past ``max_listed`` problems are counted, not listed (a wrong key
    breaks every event). One walk for the custody chains and the audit trail alike."""
    verdict = ChainVerdict()

    def found(kind: str, event_id: int | None, detail: str) -> None:
        if max_listed is None or len(verdict.problems) < max_listed:
            verdict.problems.append(ChainProblem(kind, event_id, detail))
        else:
            verdict.unlisted += 1

    previous: str | None = None
    for position, event in enumerate(events, start=1):
        verdict.events = position
        if event.prev_hash != previous:
            detail = f"{label(position, event)} does not follow the event before it: an event was removed or inserted"
            found("broken_link", event.id, detail)
        payload = {name: getattr(event, name) for name in hashed_fields}
        if not same_hash(keyed_hash(key, payload), event.event_hash):
            found("altered_event", event.id, f"{label(position, event)} was changed after it was recorded")
        previous = event.event_hash
    recorded = head[0] if head else 0
    held = f"the {noun} holds {verdict.events} events but {recorded} were recorded"
    if verdict.events < recorded:
        found(f"truncated_{noun}", None, f"{held}: the newest were removed")
    elif verdict.events > recorded:
        found("broken_link", None, f"{held}: events were added around the application")
    elif head is not None and previous != head[1]:
        found(f"truncated_{noun}", None, f"the newest event is not the one recorded as the {noun}'s head")
    return verdict


def main(argv: list[str]) -> int:
    """``python -m services.common.chain_keys PATH``: create the chain key at PATH (never over one)."""
    if len(argv) != 1:
        print("usage: python -m services.common.chain_keys PATH", file=sys.stderr)
        return 2
    try:
        create_key(argv[0])
    except ChainKeyError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Created the chain key {argv[0]} (mode 0600). Keep a copy apart from the database backups.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
