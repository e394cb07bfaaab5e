"""Dossier pages kept per generation of the data (views/page_cache.py, services/common/generation.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from models import DataGeneration, DossierSummary
from services.common import generation
from services.dossiers import summaries as dossier_summaries
from tests.pages import csrf_tokens, mask_volatile
from views.page_cache import RenderCache


@pytest.fixture
def cache_on(app, monkeypatch):
    """The cache as production has it (the test configuration turns it off)."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_BYTES", 8 * 1024**2)
    app.extensions.pop("page_caches", None)
    yield lambda: app.extensions["page_caches"]["dossier"]
    app.extensions.pop("page_caches", None)


@pytest.fixture
def official(session, make):
    official = make.official(name="Cached Official")
    tenure = make.tenure(official=official, start="2012")
    make.support(evidence=make.evidence(title="Public decree", reliability="B"), tenure=tenure)
    make.support(
        evidence=make.evidence(title="Sealed testimony", classification="confidential", reliability="A"), tenure=tenure
    )
    session.commit()
    return official


def _page(client, official_id: int, query: str = "") -> str:
    response = client.get(f"/dossiers/{official_id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_repeat_visit_is_served_from_the_cache(client, login, official, cache_on, count_queries, ticking_clock):
    login("analyst", "confidential")
    with count_queries() as first:
        html = _page(client, official.id)
    with count_queries() as again:
        repeat = _page(client, official.id)
    assert repeat != html and mask_volatile(repeat) == mask_volatile(html)  # each token is signed with the time
    cache = cache_on()
    assert (cache.misses, cache.hits, len(cache)) == (1, 1, 1)
    assert again.count <= first.count - 8, (again.count, first.count)  # the facts are not read again


def test_a_committed_change_shows_on_the_next_visit(client, login, official, session, make, cache_on):
    login("analyst", "confidential")
    before = generation.current(session)
    assert "Renamed Official" not in _page(client, official.id)
    official.name = "Renamed Official"
    make.support(evidence=make.evidence(title="Late exhibit", reliability="C"), tenure=official.tenures[0])
    session.commit()
    assert generation.current(session) == before + 1
    html = _page(client, official.id)
    assert "Renamed Official" in html and "Late exhibit" in html


def test_changes_not_committed_yet_bypass_the_cache(session, official, app, cache_on):
    from views.page_cache import cached_render

    official.name = "Pending Name"
    session.flush()
    assert generation.pending(session)
    calls = []
    with app.test_request_context():
        for _ in range(2):
            assert cached_render(session, "dossier", ("key",), lambda: calls.append(1) or ("x",)) == ("x",)
    assert len(calls) == 2 and len(cache_on()) == 0


def test_each_clearance_role_and_language_has_its_own_page(client, login, official, cache_on):
    login("analyst", "confidential")
    assert "Sealed testimony" in _page(client, official.id)
    client.post("/logout")
    login("analyst", "public")
    public = _page(client, official.id)
    assert "Public decree" in public and "Sealed testimony" not in public
    assert "Export as" in public
    client.post("/logout")
    login("viewer", "public")
    assert "Export as" not in _page(client, official.id)  # viewers cannot export
    english = _page(client, official.id)
    client.post("/language/uk")
    assert _page(client, official.id) != english
    assert len(cache_on()) == 4


def test_the_csrf_token_on_a_kept_page_is_the_viewers_own(client, login, official, cache_on):
    login("analyst", "public")
    first = csrf_tokens(_page(client, official.id))
    client.post("/logout")
    login("analyst", "public")  # another analyst, another sign-in session
    second = csrf_tokens(_page(client, official.id))
    assert cache_on().hits == 1  # the same kept page...
    assert first and second and set(second).isdisjoint(first)  # ...with each viewer's own token


def test_the_generation_counts_commits_that_change_case_data(session, make):
    start = generation.current(session)
    make.official()
    assert generation.pending(session)
    session.commit()
    assert generation.current(session) == start + 1 and not generation.pending(session)
    session.commit()  # nothing changed: the number stays
    assert generation.current(session) == start + 1
    make.official()
    session.rollback()
    assert not generation.pending(session) and generation.current(session) == start + 1
    assert session.scalars(select(DataGeneration.id)).all() == [1]


def test_the_render_cache_keeps_the_newest_generation_within_its_bytes():
    cache = RenderCache(max_bytes=10)
    cache.put(1, "a", ("12345",))
    cache.put(1, "b", ("12345",))
    assert cache.get(1, "a") == ("12345",)
    cache.put(1, "c", ("123",))  # over 10 bytes: the least recently used ("b") goes
    assert cache.get(1, "b") is None and cache.get(1, "a") and cache.get(1, "c")
    cache.put(1, "huge", ("x" * 11,))  # larger than the whole cache: not kept
    assert cache.get(1, "huge") is None
    assert cache.get(2, "a") is None and len(cache) == 0  # a newer generation drops every entry
    cache.put(1, "old", ("late",))  # rendered from data already replaced: not kept
    assert cache.get(1, "old") is None and cache.get(2, "old") is None


def test_the_index_is_kept_too_but_not_while_summaries_are_stale(
    client, login, official, session, make, cache_on, monkeypatch
):
    login("analyst", "confidential")
    assert "Cached Official" in client.get("/dossiers").get_data(as_text=True)
    assert "Cached Official" in client.get("/dossiers").get_data(as_text=True)
    cache = client.application.extensions["page_caches"]["dossiers"]
    assert (cache.misses, cache.hits) == (1, 1)
    official.name = "Renamed In Index"
    session.commit()
    assert "Renamed In Index" in client.get("/dossiers").get_data(as_text=True)
    for n in range(3):
        make.official(name=f"Another Official {n}")
    session.execute(update(DossierSummary).values(stale=True))
    session.commit()  # a change, and four officials' summaries to heal, one per visit here
    monkeypatch.setattr(dossier_summaries, "HEAL_PER_REQUEST", 1)
    client.get("/dossiers")
    client.get("/dossiers")
    assert len(cache) == 0  # rendered twice, kept neither time
    client.get("/dossiers")
    client.get("/dossiers")  # the last one healed: kept from now on
    client.get("/dossiers")
    assert len(cache) == 1 and cache.hits == 2
