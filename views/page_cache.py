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
placeholder and put back for each request. Entries live in the process only (never on disk),
bounded in bytes, least recently used dropped first.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Session

from services.common import generation

# Stands for the viewer's CSRF token in stored HTML: random per process, so that no text a
# user typed can take its place.
_TOKEN_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


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


def cache_for(name: str) -> RenderCache | None:
    """The app's cache called ``name`` (one per kind of page), or None when caching is off
    (``PAGE_CACHE_BYTES`` = 0)."""
    limit = int(current_app.config.get("PAGE_CACHE_BYTES", 0))
    if limit <= 0:
        return None
    caches: dict[str, RenderCache] = current_app.extensions.setdefault("page_caches", {})
    if name not in caches:
        caches[name] = RenderCache(limit)
    return caches[name]


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
    stored = cache.get(current, key)
    if stored is None:
        fresh = render()
        if keep is not None and not keep():
            return fresh
        cache.put(current, key, tuple(part.replace(token, _TOKEN_PLACEHOLDER) for part in fresh))
        return fresh
    return tuple(part.replace(_TOKEN_PLACEHOLDER, token) for part in stored)
