"""GET /search: grouped results with links and the name that matched, clearance, soft
delete, refused queries, inert markup, a fixed number of queries."""

from __future__ import annotations

import html

import pytest

from models import OfficialName
from services.common import hooks, records


@pytest.fixture(autouse=True)
def index_kept_in_step():
    hooks.install()


@pytest.fixture
def data(make):
    russia = make.state(code="RU", name="Russian Federation")
    dprk = make.state(code="KP", name="DPRK")
    shoigu = make.official(state=russia, name="Sergei Shoigu", native_name="Сергей Кужугетович Шойгу")
    kim = make.official(state=dprk, name="Kim Jong Un", native_name="김정은")
    kim.names.append(OfficialName(name="Kim Jong-un", script="Latn"))
    kim.names.append(OfficialName(name="Ким Чен Ын", script="Cyrl", lang="ru"))
    council = make.institution(state=russia, name="Security Council", native_name="Совет Безопасности")
    decision = make.decision(institution=council, title="Recognition of the 'DPR'", instrument="Decree No. 71")
    public = make.evidence(exhibit_no="P-0001", title="Shoigu briefing transcript", classification="public")
    secret = make.evidence(exhibit_no="P-0002", title="Shoigu intercepted call", classification="confidential")
    return {
        "shoigu": shoigu,
        "kim": kim,
        "council": council,
        "decision": decision,
        "public": public,
        "secret": secret,
    }


NOT_SEARCHED = "Evidence above your clearance is neither searched nor counted."


def page(client, query, status=200):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/search?q=Shoigu")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_results_are_grouped_by_kind_with_links(client, login, data):
    login("viewer", "public")
    text = page(client, "Shoigu")
    assert f'href="/officials/{data["shoigu"].id}"' in text
    assert f'href="/dossiers/{data["shoigu"].id}"' in text  # an official's result leads to the dossier too
    assert f'href="/evidence/{data["public"].id}"' in text
    assert "<h2>Officials" in text and "<h2>Evidence" in text
    assert "<h2>Institutions" not in text and "<h2>Decisions" not in text

    text = page(client, "Совет безопасности")
    assert f'href="/institutions/{data["council"].id}"' in text
    text = page(client, "No. 71")
    assert f'href="/decisions/{data["decision"].id}"' in text
    assert "Matched instrument:" in text and "Decree No. 71" in text


@pytest.mark.parametrize("query", ["Шойгу", "Shoigu", "shoygu"])
def test_any_script_finds_shoigu(client, login, data, query):
    login("viewer", "public")
    assert f'href="/officials/{data["shoigu"].id}"' in page(client, query)


def test_the_matched_name_is_shown(client, login, data):
    login("viewer", "public")
    text = page(client, "Kim Jong-un")
    assert f'href="/officials/{data["kim"].id}"' in text
    assert "Kim Jong Un" in text and "김정은" in text

    text = page(client, "Ким Чен Ын")
    assert f'href="/officials/{data["kim"].id}"' in text
    assert "Matched other name:" in text and "<q>Ким Чен Ын</q>" in text

    text = page(client, "김정은")
    assert f'href="/officials/{data["kim"].id}"' in text
    assert "Matched native name:" in text


def test_confidential_evidence_is_withheld_from_public_clearance(client, login, data):
    login("viewer", "public")
    text = page(client, "Shoigu")
    assert "Shoigu briefing transcript" in text
    assert "intercepted" not in text and "P-0002" not in text
    assert f'/evidence/{data["secret"].id}"' not in text
    assert NOT_SEARCHED in text and "withheld at your" not in text  # never a count of hidden matches
    assert "2 records match" in text  # the official and the public exhibit, not the withheld one


def test_cleared_users_see_confidential_evidence(client, login, data):
    login("prosecutor", "confidential")
    text = page(client, "Shoigu")
    assert "Shoigu intercepted call" in text and NOT_SEARCHED in text  # not cleared for everything
    assert "3 records match" in text
    client.post("/logout")
    login("viewer", "strictly_confidential")
    assert NOT_SEARCHED not in page(client, "Shoigu")


def test_soft_deleted_records_are_not_found(client, login, data, session):
    login("viewer", "strictly_confidential")
    records.soft_delete(session, data["shoigu"], "duplicate")
    records.soft_delete(session, data["secret"], "duplicate")
    text = page(client, "Shoigu")
    assert f'href="/officials/{data["shoigu"].id}"' not in text
    assert "intercepted" not in text and NOT_SEARCHED not in text
    assert "Shoigu briefing transcript" in text


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_shows_the_search_page(client, login, query):
    login("viewer", "public")
    text = page(client, query)
    assert "<h1>Search</h1>" in text and "records match" not in text and 'role="alert"' not in text


def test_too_short_query_is_refused_with_a_message(client, login):
    login("viewer", "public")
    text = page(client, "ab", status=400)
    assert "Type at least 3 letters or digits." in text
    assert 'value="ab"' in text


def test_over_long_query_is_refused_with_a_message(client, login, data):
    login("viewer", "public")
    text = page(client, "Shoigu " * 40, status=400)
    assert "At most 200 characters." in text
    assert "records match" not in text
    page(client, "S" * 200)  # the limit itself is fine


def test_nothing_found_says_so(client, login, data):
    login("viewer", "public")
    assert "Nothing matches “Zzyzx”." in page(client, "Zzyzx")


XSS = "<script>alert(1)</script>"


def test_markup_in_the_query_is_echoed_inert(client, login, data):
    login("viewer", "public")
    text = page(client, XSS)
    assert XSS not in text
    assert html.escape(XSS, quote=False) in text or "&lt;script&gt;" in text
    text = page(client, '"><img src=x onerror=alert(1)>Shoigu')
    assert "<img" not in text


def test_markup_in_matched_names_is_inert(client, login, make):
    login("viewer", "public")
    person = make.official(name="Evil Name", native_name=f"{XSS}Злодей")
    person.names.append(OfficialName(name=f"{XSS} Zlodey", script="Latn"))
    make.evidence(title=f"{XSS} Zlodey exhibit", summary=f"{XSS} text")
    make.session.flush()
    text = page(client, "Zlodey")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_query_count_does_not_grow_with_results(client, login, make, count_queries):
    login("viewer", "public")
    state = make.state()
    make.official(state=state, name="Gerasimov 0")
    make.institution(state=state, name="Gerasimov staff 0")
    make.decision(title="Gerasimov order 0")
    make.evidence(title="Gerasimov exhibit 0")
    client.get("/search?q=Gerasimov")  # warm-up: the first request records the session's last-seen time
    with count_queries() as few:
        client.get("/search?q=Gerasimov")
    for i in range(1, 40):
        other = make.state()
        person = make.official(state=other, name=f"Gerasimov {i}")
        person.names.append(OfficialName(name=f"Герасимов {i}", script="Cyrl"))
        make.institution(state=other, name=f"Gerasimov staff {i}")
        make.decision(title=f"Gerasimov order {i}", institution=make.institution(state=other))
        make.evidence(title=f"Gerasimov exhibit {i}", classification="confidential" if i % 2 else "public")
    make.session.flush()
    with count_queries() as many:
        text = page(client, "Gerasimov")
    assert NOT_SEARCHED in text
    assert "Showing the best 25" in text
    assert many.count == few.count
    assert few.count <= 15
