"""API: involvements: fields, list and filters, create, read, update with version, removal."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Involvement
from tests.test_api.conftest import assert_problem

FIELDS = {"id", "official_id", "decision_id", "role", "status", "version"}


def involvement_count(session: Any) -> int:
    return session.scalar(select(func.count()).select_from(Involvement))


@pytest.fixture
def body(make: Any) -> dict[str, Any]:
    return {"official_id": make.official().id, "decision_id": make.decision().id, "role": "signed"}


# --- reading ------------------------------------------------------------------------------


def test_an_involvement_has_exactly_the_contract_fields(api, make):
    involvement = make.involvement(role="ordered", status="corroborated", note="Internal note")

    response = api("viewer").get(f"/involvements/{involvement.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == FIELDS
    assert body == {
        "id": involvement.id,
        "official_id": involvement.official_id,
        "decision_id": involvement.decision_id,
        "role": "ordered",
        "status": "corroborated",
        "version": 1,
    }


@pytest.mark.parametrize("deleted", ["official", "decision"])
def test_involvements_of_deleted_officials_or_decisions_are_missing(api, make, session, deleted):
    involvement = make.involvement()
    live = make.involvement()
    getattr(involvement, deleted).soft_delete("mistake")
    session.flush()
    client = api("admin")

    listed = [i["id"] for i in client.get("/involvements").get_json()["items"]]
    assert listed == [live.id]
    assert_problem(client.get(f"/involvements/{involvement.id}"), 404, "not-found")
    assert_problem(
        client.patch(f"/involvements/{involvement.id}", json={"status": "disputed", "version": 1}), 404, "not-found"
    )
    assert_problem(client.delete(f"/involvements/{involvement.id}"), 404, "not-found")
    assert_problem(client.get("/involvements/999999"), 404, "not-found")
    session.expire_all()
    assert session.get(Involvement, involvement.id).status == "alleged"


# --- listing ------------------------------------------------------------------------------


def test_list_is_paginated_and_filtered(api, make):
    official, decision = make.official(), make.decision()
    signed = make.involvement(official=official, decision=decision, role="signed")
    ordered = make.involvement(official=official, role="ordered")
    voted = make.involvement(decision=decision, role="voted_for")
    client = api("viewer")

    def ids(query: str) -> list[int]:
        response = client.get(f"/involvements?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [i["id"] for i in response.get_json()["items"]]

    assert ids(f"official_id={official.id}") == [signed.id, ordered.id]
    assert ids(f"decision_id={decision.id}") == [signed.id, voted.id]
    assert ids("role=ordered") == [ordered.id]
    assert ids(f"official_id={official.id}&role=signed") == [signed.id]
    first = client.get("/involvements?limit=2").get_json()
    second = client.get(f"/involvements?limit=2&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in first["items"] + second["items"]] == [signed.id, ordered.id, voted.id]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("query", ["role=boss", "official_id=x", "decision_id=0", "official_id=99999999999"])
def test_bad_filters_are_refused(api, query):
    assert_problem(api("viewer").get(f"/involvements?{query}"), 422, "validation")


def test_listing_costs_the_same_queries_for_1_and_30_involvements(api, make, count_queries):
    client = api("viewer")
    official = make.official()

    def queries() -> int:
        with count_queries() as counter:
            response = client.get("/involvements?limit=100")
        assert response.status_code == 200
        return counter.count

    make.involvement(official=official)
    queries()  # the token's first use records itself once
    one = queries()
    for _ in range(29):
        make.involvement(official=official)
    assert len(client.get("/involvements?limit=100").get_json()["items"]) == 30
    assert queries() == one


# --- creating -----------------------------------------------------------------------------


def test_an_analyst_adds_an_involvement(api, body, session):
    response = api("analyst").post("/involvements", json={**body, "note": "From the gazette"})

    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert set(created) == FIELDS
    assert {k: created[k] for k in body} == body
    assert (created["status"], created["version"]) == ("alleged", 1)
    involvement = session.get(Involvement, created["id"])
    assert involvement.note == "From the gazette"
    assert session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_type == "involvement", AuditEvent.entity_id == involvement.id)
    )


def test_the_same_role_twice_is_a_duplicate(api, body, session):
    client = api("analyst")
    assert client.post("/involvements", json=body).status_code == 201
    before = involvement_count(session)

    problem = assert_problem(client.post("/involvements", json={**body, "status": "disputed"}), 409, "duplicate")

    assert problem["errors"][0]["field"] == "role"
    assert involvement_count(session) == before
    # another role of the same official in the same decision is another involvement
    assert client.post("/involvements", json={**body, "role": "ordered"}).status_code == 201


@pytest.mark.parametrize("field", ["official_id", "decision_id"])
def test_a_missing_or_deleted_official_or_decision_is_refused(api, body, make, session, field):
    client = api("analyst")
    before = involvement_count(session)
    missing = assert_problem(client.post("/involvements", json={**body, field: 999_999}), 422, "validation")
    assert missing["errors"][0]["field"] == field
    deleted = make.official() if field == "official_id" else make.decision()
    deleted.soft_delete("mistake")
    session.flush()
    problem = assert_problem(client.post("/involvements", json={**body, field: deleted.id}), 422, "validation")
    assert problem["errors"][0]["field"] == field
    assert involvement_count(session) == before


@pytest.mark.parametrize(
    ("change", "status", "kind"),
    [
        ({"role": "boss"}, 422, "validation"),
        ({"status": "proven"}, 422, "validation"),
        ({"official_id": "1"}, 422, "validation"),
        ({"official_id": 2**63}, 422, "validation"),
        ({"decision_id": -1}, 422, "validation"),
        ({"note": "a\x00b"}, 422, "validation"),
        ({"note": "x" * 2001}, 422, "validation"),
        ({"version": 1}, 422, "validation"),
        ({"id": 7}, 422, "validation"),
        ({"colour": "red"}, 422, "validation"),
        ({"role": None}, 422, "validation"),
    ],
)
def test_bad_bodies_are_refused_and_write_nothing(api, body, session, change, status, kind):
    before = involvement_count(session)
    assert_problem(api("analyst").post("/involvements", json={**body, **change}), status, kind)
    assert involvement_count(session) == before


@pytest.mark.parametrize(
    ("kwargs", "status", "kind"),
    [
        ({"data": "{", "content_type": "application/json"}, 400, "malformed-request"),
        ({"data": '{"role": "signed"}', "content_type": "text/plain"}, 415, "unsupported-media-type"),
        ({"json": "signed"}, 422, "validation"),
    ],
)
def test_unreadable_bodies_are_refused(api, session, kwargs, status, kind):
    before = involvement_count(session)
    assert_problem(api("analyst").post("/involvements", **kwargs), status, kind)
    assert involvement_count(session) == before


# --- updating -----------------------------------------------------------------------------


def test_an_update_changes_role_status_and_note(api, make, session):
    involvement = make.involvement(role="signed", note="Old")
    client = api("analyst")

    response = client.patch(
        f"/involvements/{involvement.id}", json={"status": "corroborated", "role": "authored", "version": 1}
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS
    assert (body["role"], body["status"], body["version"]) == ("authored", "corroborated", 2)
    session.expire_all()
    assert involvement.note == "Old"
    assert client.patch(f"/involvements/{involvement.id}", json={"note": None, "version": 2}).status_code == 200
    session.expire_all()
    assert (involvement.note, involvement.role) == (None, "authored")


def test_the_official_and_decision_of_an_involvement_never_change(api, make, session):
    involvement = make.involvement()
    client = api("analyst")
    for change in ({"official_id": make.official().id}, {"decision_id": make.decision().id}):
        assert_problem(client.patch(f"/involvements/{involvement.id}", json={**change, "version": 1}), 422)
    session.expire_all()
    assert involvement.version == 1


def test_a_stale_version_is_refused_and_nothing_changes(api, make, session):
    involvement = make.involvement(status="alleged")
    client = api("analyst")
    assert client.patch(f"/involvements/{involvement.id}", json={"status": "disputed", "version": 1}).status_code == 200

    response = client.patch(f"/involvements/{involvement.id}", json={"status": "corroborated", "version": 1})

    assert_problem(response, 409, "edit-conflict")
    session.expire_all()
    assert (involvement.status, involvement.version) == ("disputed", 2)


def test_an_update_into_a_duplicate_role_is_refused(api, make, session):
    signed = make.involvement(role="signed")
    ordered = make.involvement(official=signed.official, decision=signed.decision, role="ordered")

    response = api("analyst").patch(f"/involvements/{ordered.id}", json={"role": "signed", "version": 1})

    assert_problem(response, 409, "duplicate")
    session.expire_all()
    assert (ordered.role, ordered.version) == ("ordered", 1)


def test_an_update_needs_the_version(api, make, session):
    involvement = make.involvement()
    problem = assert_problem(api("analyst").patch(f"/involvements/{involvement.id}", json={"status": "disputed"}), 422)
    assert problem["errors"][0]["field"] == "version"


# --- removing -----------------------------------------------------------------------------


def test_an_involvement_is_removed_unless_evidence_is_linked_to_it(api, make, session):
    free = make.involvement()
    linked = make.involvement()
    make.support(involvement_id=linked.id, evidence=make.evidence(classification="strictly_confidential"))
    client = api("analyst")

    assert client.delete(f"/involvements/{free.id}").status_code == 204
    assert_problem(client.get(f"/involvements/{free.id}"), 404)
    # the linked exhibit is above the caller's clearance, and still counts
    assert_problem(client.delete(f"/involvements/{linked.id}"), 409, "in-use")
    remaining = session.scalars(select(Involvement.id).where(Involvement.id.in_([free.id, linked.id])))
    assert list(remaining) == [linked.id]


# --- roles --------------------------------------------------------------------------------


def test_viewers_read_but_do_not_write(api, make, body, session):
    involvement = make.involvement()
    client = api("viewer", "strictly_confidential")
    assert client.get("/involvements").status_code == 200
    assert client.get(f"/involvements/{involvement.id}").status_code == 200
    before = involvement_count(session)
    assert_problem(client.post("/involvements", json=body), 403, "forbidden")
    assert_problem(client.post("/involvements", json={"bad": True}), 403, "forbidden")
    assert_problem(client.patch(f"/involvements/{involvement.id}", json={"role": "ordered", "version": 1}), 403)
    assert_problem(client.delete(f"/involvements/{involvement.id}"), 403, "forbidden")
    session.expire_all()
    assert involvement_count(session) == before and involvement.role == "signed"


def test_a_role_taken_by_a_concurrent_request_is_a_duplicate_not_a_500(api, body, session, monkeypatch):
    """The check before saving misses a role saved meanwhile: the unique constraint decides."""
    from services.facts import decisions as decision_service

    client = api("analyst")
    assert client.post("/involvements", json=body).status_code == 201
    before = involvement_count(session)
    monkeypatch.setattr(decision_service, "duplicate_involvement", lambda *args, **kw: None)

    assert_problem(client.post("/involvements", json=body), 409, "duplicate")
    assert involvement_count(session) == before


def test_evidence_linked_by_a_concurrent_request_still_blocks_removal(api, make, session, monkeypatch):
    """The check before removing misses a support linked meanwhile: the database decides."""
    from services.facts import decisions as decision_service

    involvement = make.involvement()
    make.support(involvement_id=involvement.id)
    monkeypatch.setattr(decision_service, "has_supports", lambda *args: False)

    assert_problem(api("analyst").delete(f"/involvements/{involvement.id}"), 409, "in-use")
    assert involvement_count(session) == 1
