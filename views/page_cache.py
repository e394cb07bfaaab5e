"""Rendered parts of pages, kept in each worker's memory until the case data changes.

A dossier page assembles hundreds of facts and exhibits; rendering it again for every visit
costs tens of milliseconds even when nothing has changed since. The cache keeps the rendered
HTML under a key naming everything it depends on: the record, the viewer's role and clearance,
the language, the date, the query string -- and the data's *generation* (services/common/generation.py),
a number every committed change of case data moves, from any worker or process: an entry of
an older generation is never served again (they are dropped as soon as a newer one is seen).
A dossier page is kept instead under its official's page version and the shared generation
(services/dossiers/page_versions.py): a change elsewhere leaves it in place.

The CSRF token, which is the only part of the HTML that belongs to one sign-in, is stored as a
placeholder and put back for each request. Entries live in the process (never on disk),
bounded in bytes, least recently used dropped first.

With several servers (``REDIS_URL`` set, ``PAGE_CACHE_SHARED`` not turned off) a page one
server rendered is served by all (``SharedRenderCache``): each keeps its own entries in front of
Redis, where an entry lives under an address that names the instance, the kind of page, the
generation and a digest of the key, for ``PAGE_CACHE_TTL`` seconds. What Redis holds is sealed
(AES-GCM, a key derived from ``SECRET_KEY``, the address as associated data): whoever reads
Redis reads no case data, and an entry moved to another address (another clearance's) is
refused. Redis down or slow costs a render, never a failed page: after an error it is left
alone for ``_PAUSE_SECONDS``. A restore empties it (``forget_shared``), since the restored
database counts its generations again from an earlier number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from flask_wtf.csrf import generate_csrf
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from services.common import generation

log = logging.getLogger(__name__)

_PAUSE_SECONDS = 30.0  # after a Redis error, how long the shared cache is left alone
_REDIS_TIMEOUT_SECONDS = 0.25
_NONCE_BYTES = 12


def _derived(app: Flask, purpose: str) -> bytes:
    """A secret of its own for ``purpose``, from SECRET_KEY (HMAC-SHA256)."""
    return hmac.new(str(app.config["SECRET_KEY"]).encode(), f"page-cache:{purpose}".encode(), hashlib.sha256).digest()


def _placeholder(app: Flask) -> str:
    """Stands for the viewer's CSRF token in stored HTML: derived from SECRET_KEY, the same in
    every process of the instance, so that no text a user typed can take its place."""
    found = app.extensions.get("page_cache_placeholder")
    if found is None:
        found = app.extensions["page_cache_placeholder"] = f"csrf-{_derived(app, 'csrf').hex()[:32]}"
    return str(found)


class RenderCache:
    """Rendered HTML by key, least recently used dropped past ``max_bytes``; thread-safe
    (a gunicorn worker serves several requests at once)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
        self._bytes = 0
        self._generation = -1
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _see(self, generation: int) -> None:
        """Forget every entry once a newer generation shows up: none can be served again."""
        if generation > self._generation:
            self._entries.clear()
            self._bytes = 0
            self._generation = generation

    @staticmethod
    def _size(value: tuple[str, ...]) -> int:
        return sum(len(part) for part in value)

    def get(self, generation: int, key: Hashable) -> tuple[str, ...] | None:
        with self._lock:
            self._see(generation)
            found = self._entries.get(key) if generation == self._generation else None
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, generation: int, key: Hashable, value: tuple[str, ...]) -> None:
        size = self._size(value)
        with self._lock:
            self._see(generation)
            if generation != self._generation or size > self.max_bytes:
                return  # rendered from data already replaced, or too large to keep
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= self._size(old)
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= self._size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def canonical(value: Any) -> str:
    """A key as text, the same in every process (sets in order, no object addresses); a value
    of any other type is refused, so that no key can name two pages."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(canonical(v) for v in value) + ")"
    if isinstance(value, bytes):
        return "b:" + value.hex()
    if isinstance(value, str):
        return json.dumps(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{type(value).__name__}:{value.isoformat()}"
    raise TypeError(f"a page cache key cannot hold a {type(value).__name__}")


class _Redis(Protocol):
    def get(self, name: str) -> bytes | None: ...
    def set(self, name: str, value: bytes, ex: int) -> Any: ...


class SharedRenderCache:
    """The process's ``RenderCache`` in front of Redis, shared by every server of the instance;
    entries sealed with AES-GCM. ``get`` and ``put`` as ``RenderCache``'s."""

    def __init__(self, local: RenderCache, client: _Redis, prefix: str, key: bytes, ttl: int) -> None:
        self.local = local
        self.client = client
        self.prefix = prefix  # tribunal:page:<instance>:<kind of page>
        self._aead = AESGCM(key)
        self.ttl = ttl
        self.hits = 0  # served from Redis (the local entries count in ``local``)
        self.misses = 0
        self.refused = 0  # entries found but not opened: tampered with, or sealed with another key
        self._paused_until = 0.0

    def __len__(self) -> int:
        return len(self.local)

    def address(self, generation: int, key: Hashable) -> str:
        return f"{self.prefix}:{generation}:{hashlib.sha256(canonical(key).encode()).hexdigest()}"

    def _call(self, action: Callable[[], Any]) -> Any:
        """Redis's answer, or None when it fails (then left alone for a while)."""
        if time.monotonic() < self._paused_until:
            return None
        try:
            return action()
        except (RedisError, OSError) as error:  # a failure of the cache costs a render, not a page
            self._paused_until = time.monotonic() + _PAUSE_SECONDS
            log.warning("shared page cache unavailable for %.0f s: %s", _PAUSE_SECONDS, error)
            return None

    def seal(self, address: str, value: tuple[str, ...]) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, json.dumps(value).encode(), address.encode())

    def open(self, address: str, sealed: bytes) -> tuple[str, ...] | None:
        try:
            parts = json.loads(self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], address.encode()))
        except (InvalidTag, ValueError):
            return None
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            return None
        return tuple(parts)

    def get(self, generation: int, key: Hashable) -> tuple[str, ...] | None:
        found = self.local.get(generation, key)
        if found is not None:
            return found
        address = self.address(generation, key)
        sealed = self._call(lambda: self.client.get(address))
        value = self.open(address, sealed) if isinstance(sealed, bytes) else None
        if value is None:
            self.refused += sealed is not None
            self.misses += 1
            return None
        self.hits += 1
        self.local.put(generation, key, value)
        return value

    def put(self, generation: int, key: Hashable, value: tuple[str, ...]) -> None:
        self.local.put(generation, key, value)
        if sum(len(part) for part in value) > self.local.max_bytes:
            return
        address = self.address(generation, key)
        self._call(lambda: self.client.set(address, self.seal(address, value), ex=self.ttl))

    def clear(self) -> None:
        self.local.clear()


def _shared_prefix(app: Flask) -> str:
    """Where this instance's pages live in Redis: named by SECRET_KEY and the database (several
    instances may share one Redis), never by either in clear."""
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    instance = hmac.new(_derived(app, "instance"), database.encode(), hashlib.sha256).hexdigest()[:24]
    return f"tribunal:page:{instance}"


def _redis_client(app: Flask) -> Any:
    import redis

    return redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_timeout=_REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
    )


def _shared(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL")) and bool(app.config.get("PAGE_CACHE_SHARED", True))


def cache_for(name: str) -> RenderCache | SharedRenderCache | None:
    """The app's cache called ``name`` (one per kind of page), or None when caching is off
    (``PAGE_CACHE_BYTES`` = 0); shared through Redis when REDIS_URL is set."""
    app = current_app
    limit = int(app.config.get("PAGE_CACHE_BYTES", 0))
    if limit <= 0:
        return None
    caches: dict[str, RenderCache | SharedRenderCache] = app.extensions.setdefault("page_caches", {})
    if name not in caches:
        local = RenderCache(limit)
        if _shared(app):
            client = app.extensions.get("page_cache_redis")
            if client is None:
                client = app.extensions["page_cache_redis"] = _redis_client(app)
            ttl = int(app.config.get("PAGE_CACHE_TTL", 3600))
            caches[name] = SharedRenderCache(local, client, f"{_shared_prefix(app)}:{name}", _derived(app, "seal"), ttl)
        else:
            caches[name] = local
    return caches[name]


def forget_shared(app: Flask) -> int:
    """Remove every page of this instance from Redis (after a restore); how many. Raises when
    Redis cannot be reached (the caller says so: the entries expire after PAGE_CACHE_TTL)."""
    if not _shared(app):
        return 0
    client = _redis_client(app)
    try:
        removed = 0
        for address in client.scan_iter(match=f"{_shared_prefix(app)}:*", count=1000):
            removed += int(client.delete(address))
        return removed
    finally:
        client.close()


def cached_render(
    session: Session,
    name: str,
    key: Hashable,
    render: Callable[[], tuple[str, ...]],
    keep: Callable[[], bool] | None = None,
    version: Callable[[Session], tuple[int, Hashable]] | None = None,
) -> tuple[str, ...]:
    """``render()``'s parts for ``key`` at the current generation: stored, or rendered and
    stored. The viewer's CSRF token is swapped for a placeholder in what is stored and back
    in what is returned. A session holding uncommitted changes neither reads nor fills it;
    ``keep``, asked after rendering, may decline to store what was rendered. ``version``, for
    a page that knows which changes reach it, gives the generation to keep it under and a
    version of its own, in place of the data's generation (services/dossiers/page_versions.py)."""
    cache = cache_for(name)
    if cache is None or generation.pending(session):
        return render()
    if version is None:
        current = generation.current(session)
    else:
        current, own = version(session)
        key = (key, own)
    token = generate_csrf()
    placeholder = _placeholder(current_app)
    stored = cache.get(current, key)
    if stored is None:
        fresh = render()
        if keep is not None and not keep():
            return fresh
        cache.put(current, key, tuple(part.replace(token, placeholder) for part in fresh))
        return fresh
    return tuple(part.replace(placeholder, token) for part in stored)
