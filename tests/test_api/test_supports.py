"""API: supports: fields, clearance, list and filters, create, read, update with version, removal."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from models import AggressionAct, PartialDate, Support
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "evidence_id",
    "target_type",
    "target_id",
    "stance",
    "pinpoint",
    "selector",
    "version",
    "needs_confirmation",
    "awaiting_confirmation",
    "linked_by",
    "confirmed_by",
    "confirmed_at",
}


def support_count(session: Any) -> int:
    return session.scalar(select(func.count()).select_from(Support))


def make_act(session: Any, title: str = "Invasion") -> AggressionAct:
    act = AggressionAct(title=title)
    act.start = PartialDate.parse("2022-02-24")
    session.add(act)
    session.flush()
    return act


@pytest.fixture
def targets(make: Any, session: Any) -> dict[str, Any]:
    """One live fact of each kind."""
    return {
        "tenure": make.tenure(),
        "involvement": make.involvement(),
        "decision": make.decision(),
        "act": make_act(session),
    }


@pytest.fixture
def body(make: Any, targets: dict[str, Any]) -> dict[str, Any]:
    return {
        "evidence_id": make.evidence().id,
        "target_type": "decision",
        "target_id": targets["decision"].id,
        "stance": "supports",
        "pinpoint": "p. 3, para. 2",
    }


# --- reading ------------------------------------------------------------------------------


def test_a_support_has_exactly_the_contract_fields(api, make, targets):
    support = make.support(involvement_id=targets["involvement"].id, stance="contradicts", pinpoint="00:12:30")

    response = api("viewer").get(f"/supports/{support.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == FIELDS
    assert body == {
        "id": support.id,
        "evidence_id": support.evidence_id,
        "target_type": "involvement",
        "target_id": targets["involvement"].id,
        "stance": "contradicts",
        "pinpoint": "00:12:30",
        "selector": None,  # no anchor in a file (tests/test_views/test_pinpoints.py)
        "version": 1,
        "needs_confirmation": False,  # it contradicts: only supporting A-C links need one
        "awaiting_confirmation": False,
        "linked_by": None,
        "confirmed_by": None,
        "confirmed_at": None,
    }


def test_supports_of_hidden_or_deleted_evidence_are_missing(api, make, targets, session):
    secret = make.support(evidence=make.evidence(classification="confidential"), decision_id=targets["decision"].id)
    gone = make.evidence()
    deleted = make.support(evidence=gone, decision_id=targets["decision"].id)
    gone.soft_delete("mistake")
    public = make.support(decision_id=targets["decision"].id)
    session.flush()
    client = api("admin", "restricted")

    assert [s["id"] for s in client.get("/supports").get_json()["items"]] == [public.id]
    for hidden in (secret, deleted):
        missing = assert_problem(client.get("/supports/999999"), 404, "not-found")
        assert assert_problem(client.get(f"/supports/{hidden.id}"), 404, "not-found") == missing
        patch = client.patch(f"/supports/{hidden.id}", json={"stance": "contradicts", "version": 1})
        assert_problem(patch, 404, "not-found")
        assert_problem(client.delete(f"/supports/{hidden.id}"), 404, "not-found")
    assert support_count(session) == 3
    session.expire_all()
    assert secret.stance == "supports"
    # cleared high enough, the confidential one is there
    cleared = api("viewer", "confidential")
    assert [s["id"] for s in cleared.get("/supports").get_json()["items"]] == [secret.id, public.id]
    assert cleared.get(f"/supports/{secret.id}").status_code == 200


# --- listing ------------------------------------------------------------------------------


def test_list_is_paginated_and_filtered(api, make, targets):
    exhibit = make.evidence()
    on_decision = make.support(evidence=exhibit, decision_id=targets["decision"].id)
    against = make.support(evidence=exhibit, act_id=targets["act"].id, stance="contradicts")
    other_decision = make.decision()
    elsewhere = make.support(decision_id=other_decision.id)
    on_tenure = make.support(tenure_id=targets["tenure"].id)
    client = api("viewer")

    def ids(query: str) -> list[int]:
        response = client.get(f"/supports?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [s["id"] for s in response.get_json()["items"]]

    assert ids(f"evidence_id={exhibit.id}") == [on_decision.id, against.id]
    assert ids("target_type=decision") == [on_decision.id, elsewhere.id]
    assert ids(f"target_type=decision&target_id={other_decision.id}") == [elsewhere.id]
    assert ids("target_type=tenure") == [on_tenure.id]
    assert ids("stance=contradicts") == [against.id]
    first = client.get("/supports?limit=3").get_json()
    second = client.get(f"/supports?limit=3&cursor={first['next_cursor']}").get_json()
    assert [s["id"] for s in first["items"] + second["items"]] == [
        on_decision.id,
        against.id,
        elsewhere.id,
        on_tenure.id,
    ]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    "query", ["target_id=1", "target_type=person", "stance=neutral", "evidence_id=abc", "evidence_id=99999999999"]
)
def test_bad_filters_are_refused(api, query):
    assert_problem(api("viewer").get(f"/supports?{query}"), 422, "validation")


def test_listing_costs_the_same_queries_for_1_and_30_supports(api, make, targets, count_queries):
    client = api("viewer")
    exhibit = make.evidence()

    def queries() -> int:
        with count_queries() as counter:
            response = client.get("/supports?limit=100")
        assert response.status_code == 200
        return counter.count

    make.support(evidence=exhibit, decision_id=targets["decision"].id)
    queries()  # the token's first use records itself once
    one = queries()
    for n in range(29):
        target = ("tenure", "involvement", "decision", "act")[n % 4]
        make.support(evidence=make.evidence(), **{f"{target}_id": targets[target].id})
    assert len(client.get("/supports?limit=100").get_json()["items"]) == 30
    assert queries() == one


# --- creating -----------------------------------------------------------------------------


@pytest.mark.parametrize("target_type", ["tenure", "involvement", "decision", "act"])
def test_an_analyst_links_an_exhibit_to_each_kind_of_fact(api, body, targets, session, target_type):
    sent = {**body, "target_type": target_type, "target_id": targets[target_type].id, "note": "Seen by two analysts"}

    response = api("analyst").post("/supports", json=sent)

    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert set(created) == FIELDS
    assert {k: created[k] for k in body} == {k: sent[k] for k in body}
    assert created["version"] == 1
    support = session.get(Support, created["id"])
    assert getattr(support, f"{target_type}_id") == targets[target_type].id
    assert support.note == "Seen by two analysts"


def test_a_hidden_or_deleted_exhibit_is_refused_as_a_missing_one(api, make, body, session):
    secret = make.evidence(classification="strictly_confidential")
    gone = make.evidence()
    gone.soft_delete("mistake")
    session.flush()
    client = api("analyst", "confidential")
    before = support_count(session)

    def refusal(evidence_id: int) -> dict[str, Any]:
        problem = assert_problem(client.post("/supports", json={**body, "evidence_id": evidence_id}), 422, "validation")
        problem["detail"] = problem["detail"].replace(str(evidence_id), "N")
        problem["errors"] = [{**e, "message": e["message"].replace(str(evidence_id), "N")} for e in problem["errors"]]
        return problem

    missing = refusal(999_999)
    assert refusal(secret.id) == missing
    assert refusal(gone.id) == missing
    assert support_count(session) == before


@pytest.mark.parametrize("target_type", ["tenure", "involvement", "decision", "act"])
def test_a_missing_fact_is_refused(api, body, session, target_type):
    before = support_count(session)
    response = api("analyst").post("/supports", json={**body, "target_type": target_type, "target_id": 999_999})
    assert assert_problem(response, 422, "validation")["errors"][0]["field"] == "target_id"
    assert support_count(session) == before


@pytest.mark.parametrize("target_type", ["tenure", "involvement", "decision"])
def test_a_fact_of_a_deleted_official_or_decision_is_refused(api, body, targets, session, target_type):
    target = targets[target_type]
    (target if target_type == "decision" else target.official).soft_delete("mistake")
    session.flush()
    before = support_count(session)
    response = api("analyst").post("/supports", json={**body, "target_type": target_type, "target_id": target.id})
    assert assert_problem(response, 422, "validation")["errors"][0]["field"] == "target_id"
    assert support_count(session) == before


def test_an_exhibit_links_to_a_fact_once_whatever_the_stance(api, body, session):
    client = api("analyst")
    assert client.post("/supports", json=body).status_code == 201
    before = support_count(session)

    assert_problem(client.post("/supports", json={**body, "pinpoint": "p. 9"}), 409, "duplicate")
    # an exhibit supports or contradicts a fact, never both
    problem = assert_problem(client.post("/supports", json={**body, "stance": "contradicts"}), 409, "duplicate")
    assert "never both" in problem["detail"]

    assert support_count(session) == before


@pytest.mark.parametrize(
    "change",
    [
        {"stance": "neutral"},
        {"stance": None},
        {"target_type": "person"},
        {"target_id": "1"},
        {"target_id": 2**63},
        {"evidence_id": 0},
        {"evidence_id": 1.5},
        {"pinpoint": "p.\x003"},
        {"pinpoint": "x" * 301},
        {"note": "x" * 5001},
        {"id": 1},
        {"version": 1},
        {"exhibit_no": "P-0001"},
    ],
)
def test_bad_bodies_are_refused_and_write_nothing(api, body, session, change):
    before = support_count(session)
    assert_problem(api("analyst").post("/supports", json={**body, **change}), 422, "validation")
    assert support_count(session) == before


@pytest.mark.parametrize(
    ("kwargs", "status", "kind"),
    [
        ({"data": '{"stance": "supports"', "content_type": "application/json"}, 400, "malformed-request"),
        ({"data": "stance=supports", "content_type": "application/x-www-form-urlencoded"}, 415, None),
        ({"data": "null", "content_type": "application/json"}, 422, "validation"),
    ],
)
def test_unreadable_bodies_are_refused(api, session, kwargs, status, kind):
    before = support_count(session)
    assert_problem(api("analyst").post("/supports", **kwargs), status, kind)
    assert support_count(session) == before


# --- updating -----------------------------------------------------------------------------


def test_an_update_changes_stance_pinpoint_and_note(api, make, targets, session):
    support = make.support(decision_id=targets["decision"].id, pinpoint="p. 1", note="Old")
    client = api("analyst")

    response = client.patch(f"/supports/{support.id}", json={"stance": "contradicts", "pinpoint": "p. 2", "version": 1})

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS
    assert (body["stance"], body["pinpoint"], body["version"]) == ("contradicts", "p. 2", 2)
    assert (body["target_type"], body["target_id"]) == ("decision", targets["decision"].id)
    session.expire_all()
    assert support.note == "Old"
    assert client.patch(f"/supports/{support.id}", json={"note": "", "pinpoint": None, "version": 2}).status_code == 200
    session.expire_all()
    assert (support.note, support.pinpoint, support.stance) == (None, None, "contradicts")


def test_the_exhibit_and_fact_of_a_support_never_change(api, make, targets, session):
    support = make.support(decision_id=targets["decision"].id)
    client = api("analyst")
    for change in ({"evidence_id": make.evidence().id}, {"target_type": "act"}, {"target_id": targets["act"].id}):
        assert_problem(client.patch(f"/supports/{support.id}", json={**change, "version": 1}), 422, "validation")
    session.expire_all()
    assert support.version == 1


def test_a_stale_version_is_refused_and_nothing_changes(api, make, targets, session):
    support = make.support(decision_id=targets["decision"].id)
    client = api("analyst")
    assert client.patch(f"/supports/{support.id}", json={"pinpoint": "p. 4", "version": 1}).status_code == 200

    response = client.patch(f"/supports/{support.id}", json={"pinpoint": "p. 5", "version": 1})

    assert_problem(response, 409, "edit-conflict")
    session.expire_all()
    assert (support.pinpoint, support.version) == ("p. 4", 2)


def test_an_update_turns_the_one_link_around(api, make, targets, session):
    support = make.support(evidence=make.evidence(), decision_id=targets["decision"].id, stance="supports")

    response = api("analyst").patch(f"/supports/{support.id}", json={"stance": "contradicts", "version": 1})

    assert response.status_code == 200
    session.expire_all()
    assert (support.stance, support.version) == ("contradicts", 2)


def test_an_update_needs_the_version(api, make, targets):
    support = make.support(decision_id=targets["decision"].id)
    problem = assert_problem(api("analyst").patch(f"/supports/{support.id}", json={"stance": "contradicts"}), 422)
    assert problem["errors"][0]["field"] == "version"


# --- removing -----------------------------------------------------------------------------


def test_an_analyst_removes_a_support(api, make, targets, session):
    support = make.support(decision_id=targets["decision"].id)
    exhibit_id = support.evidence_id
    client = api("analyst")

    assert client.delete(f"/supports/{support.id}").status_code == 204

    assert_problem(client.get(f"/supports/{support.id}"), 404, "not-found")
    assert support_count(session) == 0
    assert client.get(f"/supports?evidence_id={exhibit_id}").get_json()["items"] == []


# --- roles --------------------------------------------------------------------------------


def test_viewers_read_but_do_not_write(api, make, targets, body, session):
    support = make.support(decision_id=targets["decision"].id)
    client = api("viewer", "strictly_confidential")
    assert client.get("/supports").status_code == 200
    assert client.get(f"/supports/{support.id}").status_code == 200
    assert_problem(client.post("/supports", json=body), 403, "forbidden")
    assert_problem(client.post("/supports", json={"bad": 1}), 403, "forbidden")
    assert_problem(client.patch(f"/supports/{support.id}", json={"stance": "contradicts", "version": 1}), 403)
    assert_problem(client.delete(f"/supports/{support.id}"), 403, "forbidden")
    assert support_count(session) == 1
    session.expire_all()
    assert support.stance == "supports"
