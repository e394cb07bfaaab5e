"""Dossier pages kept per generation of the data (views/page_cache.py, services/common/generation.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from models import DataGeneration, Dossier, DossierSummary, OfficialName, Support, User
from services.common import generation
from services.dossiers import page_versions
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
    # one row counts every change; the second, changes that reach too many pages to name (a new State)
    assert sorted(session.scalars(select(DataGeneration.id))) == [generation.ROW_ID, page_versions.SHARED_ROW_ID]


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


# --- pages kept per official: a change drops only the pages it reaches ------------------------


@pytest.fixture
def team(session, make):
    """X and Y took the same decision (each shows the other); Z is on record elsewhere."""
    state = make.state(code="RU", name="Russian Federation")
    institution = make.institution(state=state, name="Security Council")
    decision = make.linked_decision(state, institution=institution, title="Recognition of the DPR")
    people = {}
    for name in ("X", "Y", "Z"):
        official = make.official(state=state, name=f"Official {name}")
        position = make.position(institution=institution if name != "Z" else make.institution(state=state))
        tenure = make.tenure(official=official, position=position, start="2012")
        make.support(evidence=make.evidence(title=f"Decree on {name}", reliability="B"), tenure=tenure)
        people[name] = official
    for name in ("X", "Y"):
        involvement = make.involvement(official=people[name], decision=decision)
        make.support(evidence=make.evidence(title=f"Minutes naming {name}", reliability="B"), involvement=involvement)
    session.commit()
    return people


def _user(session) -> User:
    return session.scalars(select(User).order_by(User.id)).first()


# What each change reaches: which of X, Y, Z must show it (the others keep their kept page)
CHANGES = {
    "rename X": (lambda s, t, make: setattr(t["X"], "name", "Official X, renamed"), {"X", "Y"}),
    "alias of X": (
        lambda s, t, make: s.add(OfficialName(official=t["X"], name="Икс", kind="alias", script="Cyrl")),
        {"X"},
    ),
    "exhibit title": (
        lambda s, t, make: setattr(t["X"].tenures[0].supports[0].evidence, "title", "Decree, corrected"),
        {"X"},
    ),
    "exhibit grade": (lambda s, t, make: setattr(t["Y"].tenures[0].supports[0].evidence, "reliability", "E"), {"Y"}),
    "position title": (lambda s, t, make: setattr(t["Z"].tenures[0].position, "title", "Chief of staff"), {"Z"}),
    "institution name": (
        lambda s, t, make: setattr(t["X"].tenures[0].position.institution, "name", "Security Council of Russia"),
        {"X", "Y"},
    ),
    "decision title": (
        lambda s, t, make: setattr(t["X"].involvements[0].decision, "title", "Recognition, as published"),
        {"X", "Y"},
    ),
    "a new peer": (
        lambda s, t, make: make.involvement(
            official=make.official(state=t["X"].state, name="Official W"), decision=t["X"].involvements[0].decision
        ),
        {"X", "Y"},
    ),
    "support unlinked": (lambda s, t, make: s.delete(t["Z"].tenures[0].supports[0]), {"Z"}),
    "dossier opened": (lambda s, t, make: s.add(Dossier(official=t["Z"], status="deferred")), {"Z"}),
    "a user renamed": (lambda s, t, make: setattr(_user(s), "name", "Renamed Prosecutor"), {"X", "Y", "Z"}),
    "an act renamed": (
        lambda s, t, make: setattr(t["X"].involvements[0].decision.acts[0], "title", "Invasion, renamed"),
        {"X", "Y", "Z"},  # acts reach pages too widely to name: every page is dropped
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_drops_the_pages_it_reaches_and_keeps_the_others(
    client, login, team, session, make, cache_on, app, change
):
    login("prosecutor", "public")
    session.commit()  # the signed-in user too: pending changes bypass the cache
    for name in "XYZ":
        _page(client, team[name].id)
    cache = cache_on()
    assert (cache.misses, len(cache)) == (3, 3)
    apply, reached = CHANGES[change]
    apply(session, team, make)
    session.commit()
    hits = cache.hits
    kept = {}
    for name in "XYZ":
        before = cache.hits
        kept[name] = _page(client, team[name].id)
        assert (cache.hits > before) == (name not in reached), (change, name)
    assert cache.hits - hits == 3 - len(reached)
    app.extensions.pop("page_caches")  # every page rendered afresh: the kept ones were right
    for name in "XYZ":
        assert mask_volatile(_page(client, team[name].id)) == mask_volatile(kept[name]), (change, name)


def test_a_change_reaching_many_officials_drops_every_page(session, team, monkeypatch):
    monkeypatch.setattr(page_versions, "WIDE", 1)
    shared = page_versions.current(session, team["X"].id)[0]
    team["X"].involvements[0].decision.title = "Reaches X and Y"
    session.commit()
    assert page_versions.current(session, team["X"].id)[0] == shared + 1


def test_the_page_versions_follow_the_commits(session, team):
    x, z = (page_versions.current(session, team[n].id) for n in "XZ")
    support = session.scalars(select(Support).where(Support.tenure_id == team["Z"].tenures[0].id)).one()
    support.evidence.title = "Only Z's page shows this"
    session.commit()
    assert page_versions.current(session, team["X"].id) == x
    shared, own = page_versions.current(session, team["Z"].id)
    assert shared == z[0] and own == generation.current(session) > z[1]
    session.rollback()  # nothing pending: nothing moves
    assert page_versions.current(session, team["Z"].id) == (shared, own)


def test_a_change_noted_without_its_events_drops_every_page(session, team):
    shared, own = page_versions.current(session, team["Z"].id)
    generation.note_change(session)  # as a writer bypassing the audit trail's events would
    session.commit()
    assert page_versions.current(session, team["Z"].id) == (shared + 1, own)
