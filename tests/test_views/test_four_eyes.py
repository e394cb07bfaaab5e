"""Four eyes on grades in the browser: the evidence page and the dossier say which links await a
second analyst's confirmation, the confirm form refuses the first analyst and viewers, needs its
CSRF token, and the dossier then counts the fact as proved."""

from __future__ import annotations

import re
from typing import Any

import pytest

from services.audit.trail import acting_as
from services.evidence.exhibits import add_support

AWAITING = "awaiting second-analyst confirmation"


def _case(make: Any, session: Any, author: Any, classification: str = "public") -> dict[str, Any]:
    official = make.official()
    position = make.position(tier="leadership")
    tenure = make.tenure(official=official, position=position)
    decision = make.linked_decision(position.institution.state, institution=position.institution)
    involvement = make.involvement(official=official, decision=decision)
    with acting_as(author):
        decree = make.evidence(title="The decree", reliability="A", credibility="1", classification=classification)
        on_tenure = add_support(session, decree, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
        add_support(session, decree, "involvement", involvement.id, stance="supports", pinpoint=None, note=None)
        add_support(session, decree, "act", decision.acts[0].id, stance="supports", pinpoint=None, note=None)
    session.flush()
    return {"official": official, "decree": decree, "on_tenure": on_tenure}


def _e2(html: str) -> str:
    return html[html.index("E2 Leadership") : html.index("E3 ")]


@pytest.fixture
def rule_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "FOUR_EYES_GRADES", True)


def test_rule_off_the_pages_are_as_before(client, login, make, session):
    author = login("analyst")
    case = _case(make, session, author)
    dossier = client.get(f"/dossiers/{case['official'].id}").get_data(as_text=True)
    assert "second-analyst" not in dossier and "/confirm" not in dossier
    assert 'title="E2: met"' in _e2(dossier)
    page = client.get(f"/evidence/{case['decree'].id}").get_data(as_text=True)
    assert "Confirmation" not in page and "/confirm" not in page
    response = client.post(f"/supports/{case['on_tenure'].id}/confirm")
    assert response.status_code == 409 and "turned off" in response.get_data(as_text=True)


def test_rule_on_the_dossier_says_why_a_fact_is_partial_and_offers_the_confirmation(
    client, login, make, session, rule_on
):
    author = login("analyst")
    case = _case(make, session, author)
    dossier = client.get(f"/dossiers/{case['official'].id}").get_data(as_text=True)
    cell = _e2(dossier)
    assert 'title="E2: partial"' in cell and AWAITING in cell
    assert f"Awaiting second-analyst confirmation: {case['decree'].exhibit_no}." in cell
    gaps = dossier[dossier.index('id="gaps"') :]
    assert f'href="/supports/{case["on_tenure"].id}/confirm"' in gaps and "is awaiting second-analyst" in gaps
    page = client.get(f"/evidence/{case['decree'].id}").get_data(as_text=True)
    assert AWAITING in page and f"/supports/{case['on_tenure'].id}/confirm" in page


def test_the_first_analyst_is_refused_and_a_second_one_confirms(client, login, make, session, rule_on):
    author = login("analyst")
    case = _case(make, session, author)
    url = f"/supports/{case['on_tenure'].id}/confirm"
    refused = client.post(url)
    assert refused.status_code == 403
    assert "a second analyst, not you, must confirm it" in refused.get_data(as_text=True)
    assert case["on_tenure"].confirmed_by_id is None
    second = login("prosecutor")
    assert "Confirm: this exhibit proves the fact" in client.get(url).get_data(as_text=True)
    response = client.post(url)
    assert response.status_code == 302
    session.refresh(case["on_tenure"])
    assert case["on_tenure"].confirmed_by_id == second.id and case["on_tenure"].confirmed_at is not None
    dossier = client.get(f"/dossiers/{case['official'].id}").get_data(as_text=True)
    assert 'title="E2: met"' in _e2(dossier) and f'href="{url}"' not in dossier
    page = client.get(f"/evidence/{case['decree'].id}").get_data(as_text=True)
    assert "Confirmed by" in page


def test_viewers_cannot_confirm(client, login, make, session, rule_on, make_user):
    case = _case(make, session, make_user("analyst"))
    login("viewer")
    url = f"/supports/{case['on_tenure'].id}/confirm"
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    assert case["on_tenure"].confirmed_by_id is None
    assert url not in client.get(f"/evidence/{case['decree'].id}").get_data(as_text=True)


def test_a_confirmation_of_a_classified_exhibit_is_hidden_from_those_not_cleared(
    client, login, make, session, rule_on, make_user
):
    case = _case(make, session, make_user("analyst"), classification="confidential")
    login("analyst", "public")
    url = f"/supports/{case['on_tenure'].id}/confirm"
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    dossier = client.get(f"/dossiers/{case['official'].id}").get_data(as_text=True)
    assert "second-analyst" not in dossier and "/confirm" not in dossier
    assert case["on_tenure"].confirmed_by_id is None


def test_the_confirm_form_needs_its_csrf_token(app, client, login, make, session, rule_on, make_user, monkeypatch):
    case = _case(make, session, make_user("analyst"))
    login("analyst")
    url = f"/supports/{case['on_tenure'].id}/confirm"
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert case["on_tenure"].confirmed_by_id is None
    form = client.get(url).get_data(as_text=True).split('class="record"')[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    session.refresh(case["on_tenure"])
    assert case["on_tenure"].confirmed_by_id is not None


def test_editing_the_link_in_the_form_clears_the_confirmation(client, login, make, session, rule_on, make_user):
    case = _case(make, session, make_user("analyst"))
    second = login("analyst")
    support = case["on_tenure"]
    assert client.post(f"/supports/{support.id}/confirm").status_code == 302
    session.refresh(support)
    data = {"stance": "supports", "pinpoint": "Art. 2", "note": "", "version": support.version}
    assert client.post(f"/supports/{support.id}/edit", data=data).status_code == 302
    session.refresh(support)
    assert support.confirmed_by_id is None and support.linked_by_id == second.id
    assert client.post(f"/supports/{support.id}/confirm").status_code == 403  # now the first analyst
