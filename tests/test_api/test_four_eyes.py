"""API: four eyes on grades. Supports say whether they need and await a second analyst's
confirmation; POST /supports/{id}/confirm confirms with the HTML form's rules; dossiers mark the
exhibits that await one and ask for it as a gap."""

from __future__ import annotations

from typing import Any

import pytest

from services.audit.trail import acting_as
from services.evidence.exhibits import add_support
from tests.test_api.conftest import assert_problem


@pytest.fixture
def rule_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "FOUR_EYES_GRADES", True)


def _case(make: Any, session: Any, author: Any, classification: str = "public") -> dict[str, Any]:
    official = make.official()
    position = make.position(tier="leadership")
    tenure = make.tenure(official=official, position=position)
    decision = make.linked_decision(position.institution.state, institution=position.institution)
    with acting_as(author):
        decree = make.evidence(reliability="B", credibility="2", classification=classification)
        support = add_support(session, decree, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
    make.involvement(official=official, decision=decision)
    session.flush()
    return {"official": official, "support": support}


def test_rule_off_a_support_needs_a_confirmation_it_does_not_await(api, make, session):
    client = api("analyst")
    case = _case(make, session, client.user)
    body = client.get(f"/supports/{case['support'].id}").get_json()
    assert body["needs_confirmation"] is True and body["awaiting_confirmation"] is False
    assert body["linked_by"] == client.user.id and body["confirmed_by"] is None
    assert_problem(client.post(f"/supports/{case['support'].id}/confirm"), 409, "refused")
    dossier = client.get(f"/dossiers/{case['official'].id}").get_json()
    assert not any(g["action"] == "confirm" for g in dossier["gaps"])


def test_rule_on_the_first_analyst_and_viewers_are_refused_a_second_confirms(api, make, session, rule_on):
    author = api("analyst")
    case = _case(make, session, author.user)
    url = f"/supports/{case['support'].id}/confirm"
    assert author.get(f"/supports/{case['support'].id}").get_json()["awaiting_confirmation"] is True
    dossier = author.get(f"/dossiers/{case['official'].id}").get_json()
    assert dossier["elements"]["E2"]["status"] == "partial"
    assert any(x["awaiting_confirmation"] for x in dossier["elements"]["E2"]["exhibits"])
    [gap] = [g for g in dossier["gaps"] if g["action"] == "confirm"]
    assert (gap["target_type"], gap["target_id"]) == ("support", case["support"].id)
    problem = assert_problem(author.post(url), 403, "forbidden")
    assert "a second analyst, not you" in problem["detail"]
    assert_problem(api("viewer").post(url), 403, "forbidden")
    second = api("prosecutor")
    body = second.post(url).get_json()
    assert body["confirmed_by"] == second.user.id and body["confirmed_at"] and not body["awaiting_confirmation"]
    assert_problem(api("analyst").post(url), 409, "refused")  # already confirmed
    dossier = second.get(f"/dossiers/{case['official'].id}").get_json()
    assert dossier["elements"]["E2"]["status"] == "met"
    # a regrade through the API clears it
    evidence_id = body["evidence_id"]
    version = second.get(f"/evidence/{evidence_id}").get_json()["version"]
    assert second.patch(f"/evidence/{evidence_id}", json={"reliability": "A", "version": version}).status_code == 200
    after = second.get(f"/supports/{case['support'].id}").get_json()
    assert after["confirmed_by"] is None and after["awaiting_confirmation"] is True


def test_a_classified_exhibits_link_cannot_be_confirmed_or_seen_uncleared(api, make, session, rule_on, make_user):
    case = _case(make, session, make_user("analyst"), classification="confidential")
    client = api("analyst", "public")
    assert_problem(client.post(f"/supports/{case['support'].id}/confirm"), 404, "not-found")
    assert case["support"].confirmed_by_id is None
