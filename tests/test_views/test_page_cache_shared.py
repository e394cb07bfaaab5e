"""Dossier pages shared by every server through Redis (views/page_cache.py ``SharedRenderCache``).

"Another server" is the same app with its workers' own caches gone (``app.extensions`` emptied):
what it serves without rendering can only come from Redis. Each test is an instance of its own
in Redis (a SECRET_KEY of its own), removed at the end.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.pages import csrf_tokens, mask_volatile
from views import page_cache
from views.page_cache import RenderCache, SharedRenderCache, canonical, forget_shared

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # a scratch database
ROOT = Path(__file__).resolve().parents[2]
_APP_STATE = ("page_caches", "page_cache_redis", "page_cache_placeholder")


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}, and CI is set: the shared page cache must be tested")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (start redis-server to run this test)")
    yield client
    client.close()


def _another_server(app) -> None:
    """What another server of the instance starts with: nothing kept in its own memory."""
    for name in _APP_STATE:
        app.extensions.pop(name, None)


@pytest.fixture
def shared(app, monkeypatch, redis_client):
    """The cache as production has it with REDIS_URL set; yields the keys of this instance."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 8 * 1024**2)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "PAGE_CACHE_SHARED", True)
    monkeypatch.setitem(app.config, "SECRET_KEY", secrets.token_hex(32))  # an instance of its own
    _another_server(app)
    prefix = page_cache._shared_prefix(app)
    yield lambda: sorted(redis_client.scan_iter(match=f"{prefix}:*"))
    forget_shared(app)
    _another_server(app)
    assert not list(redis_client.scan_iter(match=f"{prefix}:*"))


@pytest.fixture
def official(session, make):
    """An official with a public exhibit and a confidential one."""
    official = make.official(name="Shared Official")
    tenure = make.tenure(official=official, start="2012")
    for title, classification, grade in (("Public decree", "public", "B"), ("Sealed testimony", "confidential", "A")):
        evidence = make.evidence(title=title, classification=classification, reliability=grade)
        make.support(evidence=evidence, tenure=tenure)
    session.commit()
    return official


def _page(client, official_id: int) -> str:
    response = client.get(f"/dossiers/{official_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _dossier_cache(app) -> SharedRenderCache:
    cache = app.extensions["page_caches"]["dossier"]
    assert isinstance(cache, SharedRenderCache)
    return cache


def test_a_page_one_server_rendered_is_served_by_another(app, client, login, official, shared, count_queries):
    login("analyst", "confidential")
    with count_queries() as first:
        html = _page(client, official.id)
    assert len(shared()) == 1
    _another_server(app)
    with count_queries() as elsewhere:
        again = _page(client, official.id)
    cache = _dossier_cache(app)
    assert (cache.hits, cache.misses, cache.refused) == (1, 0, 0)
    assert elsewhere.count <= first.count - 8, (elsewhere.count, first.count)  # the facts are not read again
    assert mask_volatile(again) == mask_volatile(html)
    assert csrf_tokens(again) and "csrf-" not in again  # the viewer's own token, no placeholder left
    _page(client, official.id)
    assert (cache.hits, cache.local.hits) == (1, 1)  # then from the server's own memory


def test_a_committed_change_reaches_every_server(app, client, login, official, session, shared):
    login("analyst", "confidential")
    assert "Renamed Official" not in _page(client, official.id)
    official.name = "Renamed Official"
    session.commit()
    _another_server(app)
    assert "Renamed Official" in _page(client, official.id)
    assert len(shared()) == 2  # each version of the page under its own address


def test_each_clearance_has_its_own_entry(client, login, official, shared):
    login("analyst", "confidential")
    assert "Sealed testimony" in _page(client, official.id)
    client.post("/logout")
    login("analyst", "public")
    assert "Sealed testimony" not in _page(client, official.id)
    assert len(shared()) == 2


def test_what_redis_holds_is_sealed(client, login, official, shared, redis_client):
    login("analyst", "confidential")
    _page(client, official.id)
    (address,) = shared()
    stored = redis_client.get(address)
    for clear in (b"Shared Official", b"Sealed testimony", b"Public decree", b"<html", b"csrf-"):
        assert clear not in stored
    assert 0 < redis_client.ttl(address) <= 3600


def test_an_entry_tampered_with_or_moved_is_refused(app, client, login, official, shared, redis_client):
    login("analyst", "confidential")
    html = _page(client, official.id)
    (address,) = shared()
    sealed = bytearray(redis_client.get(address))
    sealed[-1] ^= 1
    redis_client.set(address, bytes(sealed))
    _another_server(app)
    assert mask_volatile(_page(client, official.id)) == mask_volatile(html)  # rendered afresh
    assert _dossier_cache(app).refused == 1


def test_sealing_binds_an_entry_to_its_address():
    store: dict[str, bytes] = {}

    class Client:
        def get(self, name):
            return store.get(name)

        def set(self, name, value, ex):
            store[name] = value

    cache = SharedRenderCache(RenderCache(1024), Client(), "tribunal:page:x:dossier", b"k" * 32, 60)
    cache.put(1, ("confidential",), ("secret page",))
    store[cache.address(1, ("public",))] = store[cache.address(1, ("confidential",))]  # copied under another key
    cache.local.clear()
    assert cache.get(1, ("public",)) is None and cache.refused == 1
    assert cache.get(1, ("confidential",)) == ("secret page",) and cache.hits == 1
    other = SharedRenderCache(RenderCache(1024), Client(), "tribunal:page:x:dossier", b"o" * 32, 60)
    assert other.get(1, ("confidential",)) is None and other.refused == 1  # another instance's key


def test_redis_down_costs_a_render_not_a_page(app, client, login, official, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 8 * 1024**2)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setitem(app.config, "PAGE_CACHE_SHARED", True)
    _another_server(app)
    login("analyst", "confidential")
    calls: list[str] = []
    first = _page(client, official.id)
    dossier = _dossier_cache(app)
    real_get = dossier.client.get

    def counted_get(name):
        calls.append(name)
        return real_get(name)

    monkeypatch.setattr(dossier.client, "get", counted_get)
    dossier.local.clear()
    assert mask_volatile(_page(client, official.id)) == mask_volatile(first)
    assert calls == []  # left alone after the first error, not asked again on every page
    _another_server(app)


def test_a_failing_client_is_left_alone_for_a_while():
    class Failing:
        calls = 0

        def get(self, name):
            Failing.calls += 1
            raise RedisConnectionError("down")

        def set(self, name, value, ex):
            Failing.calls += 1
            raise RedisConnectionError("down")

    cache = SharedRenderCache(RenderCache(1024), Failing(), "p", b"k" * 32, 60)
    assert cache.get(1, "a") is None
    cache.put(1, "a", ("page",))
    assert cache.get(1, "b") is None
    assert Failing.calls == 1 and cache.get(1, "a") == ("page",)  # the process's own entry still serves


def test_keys_are_the_same_text_in_every_process():
    key = (7, b"q=1", "analyst", frozenset({"public", "restricted", "confidential"}), "uk", None, True)
    code = (
        "import sys; sys.path.insert(0, '.'); from views.page_cache import canonical; print(canonical("
        "(7, b'q=1', 'analyst', frozenset({'public', 'restricted', 'confidential'}), 'uk', None, True)))"
    )
    seen = {
        subprocess.run(  # noqa: S603  (this Python, fixed arguments)
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {canonical(key)}
    assert canonical(("a", "b")) != canonical(("a,b",)) and canonical(b"ab") != canonical("ab")
    with pytest.raises(TypeError):
        canonical((1, object()))


def test_instances_sharing_one_redis_never_meet(app, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_KEY", "a" * 64)
    first = page_cache._shared_prefix(app)
    monkeypatch.setitem(app.config, "SQLALCHEMY_DATABASE_URI", "postgresql://u:pw@db.example/other")
    second = page_cache._shared_prefix(app)
    monkeypatch.setitem(app.config, "SECRET_KEY", "b" * 64)
    third = page_cache._shared_prefix(app)
    assert len({first, second, third}) == 3
    assert "example" not in second and "pw" not in second


def test_a_restore_empties_the_shared_cache(app, client, login, official, shared):
    from commands.backup import _forget_shared_pages

    login("analyst", "confidential")
    _page(client, official.id)
    assert shared()
    with app.app_context():
        _forget_shared_pages()
    assert not shared()


def test_a_restore_says_when_redis_cannot_be_emptied(app, monkeypatch, capsys):
    from commands.backup import _forget_shared_pages

    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.config, "PAGE_CACHE_SHARED", True)
    with app.app_context():
        _forget_shared_pages()
    assert "could not be emptied" in capsys.readouterr().err
