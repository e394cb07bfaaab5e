"""API: decisions: fields, list and filters, create, read, update with version, soft delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from models import AggressionAct, AuditEvent, Decision, PartialDate
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "title",
    "kind",
    "date",
    "date_precision",
    "institution_id",
    "instrument",
    "summary",
    "stage",
    "act_ids",
    "version",
}


def make_act(session: Any, title: str = "Invasion of 24 February 2022") -> AggressionAct:
    act = AggressionAct(title=title)
    act.start = PartialDate.parse("2022-02-24")
    session.add(act)
    session.flush()
    return act


def decision_count(session: Any) -> int:
    return session.scalar(select(func.count()).select_from(Decision))


@pytest.fixture
def body(make: Any, session: Any) -> dict[str, Any]:
    act = make_act(session)
    return {
        "title": "Recognition of the 'people's republics'",
        "kind": "political",
        "date": "2022-02-21",
        "institution_id": make.institution().id,
        "instrument": "Decree No. 71",
        "summary": "Recognises the independence of two occupied regions.",
        "stage": "preparation",
        "act_ids": [act.id],
    }


# --- reading ------------------------------------------------------------------------------


def test_a_decision_has_exactly_the_contract_fields(api, make, session):
    act = make_act(session)
    decision = make.decision(when="2022-02", instrument="Order 1", stage="planning")
    decision.acts = [act]
    session.flush()

    response = api("viewer").get(f"/decisions/{decision.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == FIELDS
    assert body == {
        "id": decision.id,
        "title": decision.title,
        "kind": "military",
        "date": "2022-02-01",
        "date_precision": "month",
        "institution_id": decision.institution_id,
        "instrument": "Order 1",
        "summary": None,
        "stage": "planning",
        "act_ids": [act.id],
        "version": decision.version,
    }


def test_a_deleted_or_missing_decision_is_404(api, make):
    decision = make.decision()
    decision.soft_delete("duplicate")
    client = api("admin")
    assert_problem(client.get(f"/decisions/{decision.id}"), 404, "not-found")
    assert_problem(client.patch(f"/decisions/{decision.id}", json={"title": "X", "version": 1}), 404, "not-found")
    assert_problem(client.delete(f"/decisions/{decision.id}"), 404, "not-found")
    assert_problem(client.get("/decisions/999999"), 404, "not-found")
    assert_problem(client.get("/decisions/99999999999"), 404)
    assert decision.id not in [d["id"] for d in client.get("/decisions").get_json()["items"]]


# --- listing ------------------------------------------------------------------------------


def test_list_is_paginated_by_cursor(api, make):
    ids = [make.decision().id for _ in range(5)]
    client = api("viewer")

    first = client.get("/decisions?limit=2").get_json()
    second = client.get(f"/decisions?limit=2&cursor={first['next_cursor']}").get_json()
    third = client.get(f"/decisions?limit=2&cursor={second['next_cursor']}").get_json()

    assert [d["id"] for d in first["items"] + second["items"] + third["items"]] == ids
    assert third["next_cursor"] is None
    assert set(first["items"][0]) == FIELDS
    assert_problem(client.get("/decisions?cursor=bogus"), 422, "validation")


def test_list_filters(api, make, session):
    act = make_act(session)
    ministry = make.institution()
    signed = make.decision(institution=ministry, kind="political", stage="planning", when="2022-02-21")
    signed.acts = [act]
    in_february = make.decision(kind="military", stage="execution", when="2022-02")
    in_2021 = make.decision(kind="diplomatic", when="2021")
    in_march = make.decision(kind="military", when="2022-03-05")
    session.flush()
    client = api("viewer")

    def ids(query: str) -> set[int]:
        response = client.get(f"/decisions?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return {d["id"] for d in response.get_json()["items"]}

    assert ids(f"institution_id={ministry.id}") == {signed.id}
    assert ids("kind=military") == {in_february.id, in_march.id}
    assert ids("stage=execution") == {in_february.id}
    assert ids(f"act_id={act.id}") == {signed.id}
    # a month-precise decision may fall on or after 21 February 2022
    assert ids("date_from=2022-02-21") == {signed.id, in_february.id, in_march.id}
    assert ids("date_from=2022-02-22&date_to=2022-02-28") == {in_february.id}
    assert ids("date_to=2021-12-31") == {in_2021.id}
    assert ids("kind=military&date_to=2022-02-28") == {in_february.id}


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "stage=x",
        "institution_id=abc",
        "institution_id=0",
        "act_id=99999999999",
        "date_from=2022-13-01",
        "limit=0",
        "limit=1000",
    ],
)
def test_bad_filters_are_refused(api, query):
    assert_problem(api("viewer").get(f"/decisions?{query}"), 422, "validation")


def test_listing_costs_the_same_queries_for_1_and_30_decisions(api, make, session, count_queries):
    client = api("viewer")
    acts = [make_act(session, f"Act {n}") for n in range(2)]

    def queries() -> int:
        with count_queries() as counter:
            response = client.get("/decisions?limit=100")
        assert response.status_code == 200
        return counter.count

    first = make.decision()
    first.acts = acts
    session.flush()
    queries()  # the token's first use records itself once
    one = queries()
    for _ in range(29):
        make.decision().acts = acts
    session.flush()
    assert len(client.get("/decisions?limit=100").get_json()["items"]) == 30
    assert queries() == one


# --- creating -----------------------------------------------------------------------------


def test_an_analyst_adds_a_decision(api, body, session):
    response = api("analyst").post("/decisions", json=body)

    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert set(created) == FIELDS
    assert created["version"] == 1
    assert {k: created[k] for k in body} == body
    assert created["date_precision"] == "day"
    decision = session.get(Decision, created["id"])
    assert decision.when == PartialDate(dt.date(2022, 2, 21), "day")
    assert sorted(a.id for a in decision.acts) == body["act_ids"]
    assert session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity_type == "decision", AuditEvent.entity_id == decision.id, AuditEvent.action == "create")
    )


def test_a_minimal_decision_with_a_partial_date(api, make):
    body = {
        "title": "Order to mobilise",
        "kind": "military",
        "date": "2022-01-01",
        "date_precision": "year",
        "institution_id": make.institution().id,
    }
    response = api("analyst").post("/decisions", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert (created["date"], created["date_precision"]) == ("2022-01-01", "year")
    assert (created["instrument"], created["summary"], created["stage"], created["act_ids"]) == (None, None, None, [])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2022-02-15", "date_precision": "month"}, "date"),
        ({"date_precision": "month"}, "date"),  # without the date: missing
        ({"institution_id": 999_999}, "institution_id"),
        ({"act_ids": [999_999]}, "act_ids"),
        ({"title": "   "}, "title"),
        ({"kind": "economic"}, "kind"),
        ({"title": "x" * 301}, "title"),
        ({"summary": "x" * 20_001}, "summary"),
        ({"act_ids": list(range(1, 200))}, "act_ids"),
    ],
)
def test_invalid_decisions_are_refused_naming_the_field(api, body, session, change, field):
    if change == {"date_precision": "month"}:
        body = {k: v for k, v in body.items() if k != "date"}
    before = decision_count(session)
    problem = assert_problem(api("analyst").post("/decisions", json={**body, **change}), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}
    assert decision_count(session) == before


def test_the_same_title_of_the_same_institution_on_the_same_date_is_a_duplicate(api, body, session):
    client = api("analyst")
    assert client.post("/decisions", json=body).status_code == 201
    before = decision_count(session)

    response = client.post("/decisions", json={**body, "title": body["title"].upper()})

    problem = assert_problem(response, 409, "duplicate")
    assert problem["errors"][0]["field"] == "title"
    assert decision_count(session) == before
    # another date is another decision
    assert client.post("/decisions", json={**body, "date": "2022-02-22"}).status_code == 201


@pytest.mark.parametrize(
    ("kwargs", "status", "kind"),
    [
        (
            {"json": {"title": "T", "kind": "military", "date": "2022-02-21", "institution_id": 1, "colour": "red"}},
            422,
            "validation",
        ),
        ({"json": {"title": 12, "kind": "military", "date": "2022-02-21", "institution_id": 1}}, 422, "validation"),
        ({"json": {"title": "T", "kind": "military", "date": "2022-02-21", "institution_id": "1"}}, 422, "validation"),
        (
            {"json": {"title": "T", "kind": "military", "date": "2022-02-21", "institution_id": 2**63}},
            422,
            "validation",
        ),
        ({"json": {"title": "T", "kind": "military", "date": "2022-02-30", "institution_id": 1}}, 422, "validation"),
        (
            {"json": {"title": "T\x00", "kind": "military", "date": "2022-02-21", "institution_id": 1}},
            422,
            "validation",
        ),
        (
            {"json": {"title": "T\ud800", "kind": "military", "date": "2022-02-21", "institution_id": 1}},
            422,
            "validation",
        ),
        ({"json": [1, 2]}, 422, "validation"),
        ({"data": '{"title": ', "content_type": "application/json"}, 400, "malformed-request"),
        ({"data": "title=T", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported-media-type"),
        ({"data": '{"title": "T"}', "content_type": "text/plain"}, 415, "unsupported-media-type"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(api, session, kwargs, status, kind):
    before = decision_count(session)
    assert_problem(api("analyst").post("/decisions", **kwargs), status, kind)
    assert decision_count(session) == before


# --- updating -----------------------------------------------------------------------------


def test_an_update_changes_only_the_fields_sent(api, make, session):
    act = make_act(session)
    decision = make.decision(instrument="Order 1", summary="Kept")
    decision.acts = [act]
    session.flush()
    other = make.institution()

    response = api("analyst").patch(
        f"/decisions/{decision.id}",
        json={"title": "Renamed", "institution_id": other.id, "stage": "execution", "version": decision.version},
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS
    assert (body["title"], body["institution_id"], body["stage"]) == ("Renamed", other.id, "execution")
    assert (body["instrument"], body["summary"], body["act_ids"], body["date"]) == (
        "Order 1",
        "Kept",
        [act.id],
        "2022-02-22",
    )
    assert body["version"] == 2
    session.expire_all()
    assert session.get(Decision, decision.id).title == "Renamed"


def test_an_update_can_clear_fields_change_acts_and_the_precision_alone(api, make, session):
    act, other = make_act(session), make_act(session, "Another act")
    decision = make.decision(when="2022-02-01", instrument="Order 1", stage="planning")
    decision.acts = [act]
    session.flush()
    client = api("analyst")

    response = client.patch(
        f"/decisions/{decision.id}",
        json={
            "instrument": None,
            "stage": None,
            "act_ids": [other.id, other.id],
            "date_precision": "month",
            "version": 1,
        },
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["instrument"], body["stage"], body["act_ids"]) == (None, None, [other.id])
    assert (body["date"], body["date_precision"], body["version"]) == ("2022-02-01", "month", 2)
    # a precision the stored date does not fit is refused, naming it
    problem = assert_problem(
        client.patch(f"/decisions/{decision.id}", json={"date_precision": "year", "version": 2}), 422, "validation"
    )
    assert problem["errors"][0]["field"] == "date_precision"


def test_a_stale_version_is_refused_and_nothing_changes(api, make, session):
    decision = make.decision(title="Original")
    client = api("analyst")
    assert client.patch(f"/decisions/{decision.id}", json={"title": "First", "version": 1}).status_code == 200

    response = client.patch(f"/decisions/{decision.id}", json={"title": "Second", "version": 1})

    assert_problem(response, 409, "edit-conflict")
    session.expire_all()
    assert (decision.title, decision.version) == ("First", 2)


def test_an_update_needs_the_version_and_refuses_unknown_fields(api, make, session):
    decision = make.decision(title="Original")
    client = api("analyst")
    problem = assert_problem(client.patch(f"/decisions/{decision.id}", json={"title": "X"}), 422, "validation")
    assert problem["errors"][0]["field"] == "version"
    assert_problem(client.patch(f"/decisions/{decision.id}", json={"id": 5, "version": 1}), 422, "validation")
    assert_problem(client.patch(f"/decisions/{decision.id}", json={"version": 2**40}), 422, "validation")
    session.expire_all()
    assert (decision.title, decision.version) == ("Original", 1)


def test_an_update_into_a_duplicate_is_refused(api, make, session):
    institution = make.institution()
    make.decision(institution=institution, title="Taken", when="2022-02-22")
    decision = make.decision(institution=institution, title="Free", when="2022-02-22")
    assert_problem(
        api("analyst").patch(f"/decisions/{decision.id}", json={"title": "taken", "version": 1}), 409, "duplicate"
    )
    session.expire_all()
    assert decision.title == "Free"


# --- deleting -----------------------------------------------------------------------------


def test_delete_is_soft_with_a_reason(api, make, session):
    decision = make.decision()
    client = api("analyst")

    response = client.delete(f"/decisions/{decision.id}?reason=Entered+twice")

    assert response.status_code == 204
    session.expire_all()
    assert decision.deleted_at is not None and decision.deletion_reason == "Entered twice"
    assert_problem(client.get(f"/decisions/{decision.id}"), 404, "not-found")


# --- roles --------------------------------------------------------------------------------


def test_viewers_read_but_do_not_write(api, make, body, session):
    decision = make.decision(title="Untouched")
    client = api("viewer", "strictly_confidential")
    assert client.get("/decisions").status_code == 200
    assert client.get(f"/decisions/{decision.id}").status_code == 200
    assert_problem(client.post("/decisions", json=body), 403, "forbidden")
    assert_problem(client.patch(f"/decisions/{decision.id}", json={"title": "X", "version": 1}), 403, "forbidden")
    assert_problem(client.delete(f"/decisions/{decision.id}"), 403, "forbidden")
    # the role is checked before the body: a bad body from a viewer is still 403
    assert_problem(client.post("/decisions", json={"nonsense": 1}), 403, "forbidden")
    session.expire_all()
    assert (decision.title, decision.deleted_at) == ("Untouched", None)


def test_requests_without_a_token_are_401(client, make):
    decision = make.decision()
    assert_problem(client.get(f"/api/v1/decisions/{decision.id}"), 401, "unauthenticated")
    assert_problem(client.get("/api/v1/decisions"), 401, "unauthenticated")
