"""Watch buttons on the official, dossier and dossiers-index pages and what watchers are told
(issue 25 item 3)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import SavedSearch, Watch
from services.evidence import exhibits as evidence_service
from services.workspace import watches as watch_service


def _watch(client, kind, target_id, *, stop=False):
    return client.post("/watches/delete" if stop else "/watches", data={"kind": kind, "target_id": str(target_id)})


@pytest.mark.parametrize(("kind", "page"), [("official", "/officials/{}"), ("dossier", "/dossiers/{}")])
def test_the_button_watches_and_stops_watching(client, login, session, make, kind, page):
    official = make.official(name="Sergei Shoigu")
    user = login("viewer")
    url = page.format(official.id)
    assert ">Watch</button>" in client.get(url).get_data(as_text=True)
    response = _watch(client, kind, official.id)
    assert response.status_code == 302 and response.headers["Location"] == url
    assert [(w.user_id, w.kind, w.official_id) for w in session.scalars(select(Watch))] == [
        (user.id, kind, official.id)
    ]
    assert ">Stop watching</button>" in client.get(url).get_data(as_text=True)
    assert _watch(client, kind, official.id).status_code == 302  # twice: still one watch
    assert len(session.scalars(select(Watch)).all()) == 1
    assert _watch(client, kind, official.id, stop=True).status_code == 302
    assert session.scalars(select(Watch)).all() == []
    assert _watch(client, kind, official.id, stop=True).status_code == 404


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"kind": "users", "target_id": "1"}, 400),
        ({"kind": "official", "target_id": "x"}, 400),
        ({"kind": "official", "target_id": "99999999999"}, 400),
        ({"kind": "official"}, 400),
        ({"kind": "official", "target_id": "2147483647"}, 404),
    ],
)
def test_bad_input_is_refused_and_nothing_watched(client, login, session, data, status):
    login("viewer")
    assert client.post("/watches", data=data).status_code == status
    assert session.scalars(select(Watch)).all() == []


def test_a_saved_search_is_watched_from_its_page_by_its_owner_alone(client, login, session, make, make_user):
    other = make_user("viewer")
    theirs = SavedSearch(user_id=other.id, page="dossiers", name="theirs", query="state=RU")
    session.add(theirs)
    session.flush()
    login("viewer")
    client.post("/saved-searches", data={"page": "dossiers", "query": "status=closed", "name": "closed cases"})
    mine = session.scalars(select(SavedSearch).where(SavedSearch.name == "closed cases")).one()
    panel = client.get("/dossiers").get_data(as_text=True)
    assert 'aria-label="Watch closed cases"' in panel
    assert _watch(client, "saved_search", mine.id).status_code == 302
    assert 'aria-label="Stop watching closed cases"' in client.get("/dossiers").get_data(as_text=True)
    assert _watch(client, "saved_search", theirs.id).status_code == 404
    client.post("/saved-searches", data={"page": "evidence", "query": "kind=document", "name": "docs"})
    client.post("/saved-searches", data={"page": "search", "query": "q=Shoigu", "name": "Shoigu"})
    docs = session.scalars(select(SavedSearch).where(SavedSearch.name == "docs")).one()
    shoigu = session.scalars(select(SavedSearch).where(SavedSearch.name == "Shoigu")).one()
    assert 'aria-label="Watch docs"' in client.get("/evidence").get_data(as_text=True)
    assert 'aria-label="Watch Shoigu"' in client.get("/search?q=Shoigu").get_data(as_text=True)
    watched = _watch(client, "saved_search", docs.id)  # back to the evidence list with its filters
    assert (watched.status_code, watched.headers["Location"]) == (302, "/evidence?kind=document")
    assert _watch(client, "saved_search", shoigu.id).headers["Location"] == "/search?q=Shoigu"
    assert 'aria-label="Stop watching docs"' in client.get("/evidence").get_data(as_text=True)
    assert sorted(w.saved_search_id for w in session.scalars(select(Watch))) == sorted([mine.id, docs.id, shoigu.id])


def test_every_watch_form_needs_its_csrf_token(app, client, login, session, make, monkeypatch):
    official = make.official()
    login("viewer")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _watch(client, "official", official.id).status_code == 400
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    form = re.search(r'<form class="inline watch".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    sent = client.post("/watches", data={"kind": "official", "target_id": official.id, "csrf_token": token})
    assert sent.status_code == 302
    assert _watch(client, "official", official.id, stop=True).status_code == 400


def test_what_a_watcher_is_told_reads_in_words_and_links_to_the_record(client, login, session, make, make_user):
    state = make.state(code="RU", name="Russian Federation")
    official = make.official(state=state, name="Valery Gerasimov")
    involvement = make.involvement(official=official, decision=make.linked_decision(state))
    reader = login("viewer", "public")
    watch_service.watch(session, reader, "dossier", official.id)
    session.commit()
    from services.audit.trail import acting_as

    with acting_as(make_user("analyst", name="Olena")):
        support = evidence_service.add_support(
            session, make.evidence(), "involvement", involvement.id, stance="supports", pinpoint=None, note=None
        )
        session.commit()
    html = client.get("/notifications").get_data(as_text=True)
    assert f"Olena linked exhibit {support.evidence.exhibit_no} to a fact of a dossier you watch." in html
    assert f'href="/supports/{support.id}/comments"' in html
    assert re.search(r"In the dossier of Valery Gerasimov, element E1 went from “[^”]+” to “met”\.", html)
    assert f'href="/dossiers/{official.id}"' in html
