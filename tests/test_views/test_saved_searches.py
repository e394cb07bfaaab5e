"""Saved searches of the dossiers index, the evidence list and search (issue 25 item 4): saved
from the page's filters, listed for their owner alone, opened (and shared) by the page's link."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import SavedSearch
from services.common import generation
from services.workspace.saved_searches import SavedSearchError, normalise
from tests.conftest import PASSWORD


def _panel(html: str) -> str:
    return re.search(r'<details class="saved-searches".*?</details>', html, re.S).group(0)


def _save(client, page: str, query: str, name: str):
    return client.post("/saved-searches", data={"page": page, "query": query, "name": name})


def test_filters_are_saved_under_a_name_and_opened_by_the_pages_link(client, login, session, make):
    make.state(code="RU", name="Russian Federation")
    user = login("analyst")
    html = client.get("/dossiers?state=RU&missing=E2&after=WzEsMl0&bogus=1").get_data(as_text=True)
    assert 'name="query" type="hidden" value="state=RU&amp;missing=E2"' in _panel(html)  # no cursor, no stray argument
    response = _save(client, "dossiers", "state=RU&missing=E2", "  Russians   without E2 ")
    assert response.status_code == 302 and response.headers["Location"] == "/dossiers?state=RU&missing=E2"
    saved = session.scalars(select(SavedSearch)).one()
    assert (saved.user_id, saved.page, saved.name, saved.query) == (
        user.id,
        "dossiers",
        "Russians without E2",
        "state=RU&missing=E2",
    )
    panel = _panel(client.get("/dossiers").get_data(as_text=True))
    assert '<a href="/dossiers?state=RU&amp;missing=E2">Russians without E2</a>' in panel
    assert "Choose filters to save them under a name." in panel  # nothing to save on the bare index

    again = _save(client, "dossiers", "status=under_review", "Russians without E2")
    assert again.status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SavedSearch)) == 1
    assert session.scalars(select(SavedSearch)).one().query == "status=under_review"  # the name takes the new filters


@pytest.mark.parametrize(
    ("page", "query", "kept"),
    [
        ("evidence", "kind=document&sort=grade&dir=desc&page=3", "kind=document&sort=grade&dir=desc"),
        ("search", "q=Шойгу", "q=%D0%A8%D0%BE%D0%B9%D0%B3%D1%83"),
        ("search", "q=김정은", "q=%EA%B9%80%EC%A0%95%EC%9D%80"),
    ],
)
def test_every_page_keeps_its_own_filters(client, login, session, page, query, kept):
    login("viewer")
    assert _save(client, page, query, "mine").status_code == 302
    assert session.scalars(select(SavedSearch)).one().query == kept
    endpoint = {"evidence": "/evidence", "search": "/search"}[page]
    assert f'href="{endpoint}?{kept.replace("&", "&amp;")}"' in _panel(client.get(endpoint).get_data(as_text=True))


def test_saved_searches_are_their_owners_alone(client, login, session, make):
    owner = login("analyst")
    _save(client, "search", "q=Intercepted call", "my secret words")
    search = session.scalars(select(SavedSearch)).one()
    client.post("/logout")
    login("viewer")
    assert "my secret words" not in client.get("/search").get_data(as_text=True)
    assert client.post(f"/saved-searches/{search.id}/delete").status_code == 404
    assert client.post("/saved-searches/999999999/delete").status_code == 404
    assert session.get(SavedSearch, search.id) is not None
    client.post("/logout")
    client.post("/login", data={"email": owner.email, "password": PASSWORD})  # the owner again
    assert client.post(f"/saved-searches/{search.id}/delete").status_code == 302
    assert session.scalar(select(func.count()).select_from(SavedSearch)) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page": "dossiers", "query": "", "name": "nothing"}, "There are no filters to save: choose some first."),
        ({"page": "dossiers", "query": "after=abc&page=2", "name": "cursor only"}, "There are no filters to save"),
        ({"page": "dossiers", "query": "state=RU", "name": "   "}, "Give the search a name."),
        ({"page": "dossiers", "query": "state=RU", "name": "x" * 121}, "At most 120 characters."),
        ({"page": "dossiers", "query": "state=RU", "name": "bell\x07"}, "Control characters are not allowed."),
        ({"page": "evidence", "query": "kind=" + "a" * 2100, "name": "long"}, "These filters are too long to save."),
        ({"page": "dossiers", "query": "state=%ff%fe", "name": "bytes"}, "These filters are not valid text."),
    ],
)
def test_what_cannot_be_saved_is_refused_with_a_message_and_nothing_saved(client, login, session, data, message):
    login("analyst")
    response = client.post("/saved-searches", data=data, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(SavedSearch)) == 0


def test_an_unknown_page_is_a_bad_request(client, login, session):
    login("analyst")
    assert client.post("/saved-searches", data={"page": "users", "query": "q=x", "name": "x"}).status_code == 400
    assert session.scalar(select(func.count()).select_from(SavedSearch)) == 0


def test_saving_a_search_leaves_every_cached_page_as_it_is(client, login, session):
    login("analyst")
    before = generation.current(session)
    _save(client, "dossiers", "status=closed", "closed cases")
    assert generation.current(session) == before


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("state=RU&state=BY", "state=RU"),  # the first of a repeated argument
        ("missing=&state=%20KP%20", "state=KP"),  # empty ones left out, values trimmed
        ("sort=name&status=closed&state=RU", "state=RU&status=closed&sort=name"),  # a fixed order
        ("state=RU&institution=12&institution=x", "state=RU&institution=12"),
        ("state=<script>", "state=%3Cscript%3E"),  # kept as text, encoded
    ],
)
def test_a_query_is_normalised_to_what_the_page_reads(query, kept):
    assert normalise("dossiers", query) == kept


def test_a_query_that_is_not_utf8_text_is_refused_not_mangled():
    with pytest.raises(SavedSearchError):
        normalise("dossiers", "%ff%fe=1&state=RU")
