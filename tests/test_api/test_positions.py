"""API: positions -- list with filters, create, read, update with versions; never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Position
from tests.test_api.conftest import assert_problem

FIELDS = {"id", "institution_id", "title", "tier", "troika", "version"}


@pytest.fixture
def ministry(make):
    return make.institution(state=make.state(code="RU"), name="Ministry of Foreign Affairs")


@pytest.fixture
def minister(make, ministry):
    return make.position(institution=ministry, title="Minister", tier="leadership", troika="foreign_minister")


def body(institution, **overrides):
    data = {"institution_id": institution.id, "title": "Deputy Minister", "tier": "senior"}
    data.update(overrides)
    return data


def count(session):
    return session.scalar(select(func.count()).select_from(Position))


def test_read_gives_exactly_the_contract_fields(api, minister, ministry):
    response = api("viewer").get(f"/positions/{minister.id}")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == FIELDS
    assert data == {
        "id": minister.id,
        "institution_id": ministry.id,
        "title": "Minister",
        "tier": "leadership",
        "troika": "foreign_minister",
        "version": minister.version,
    }


@pytest.mark.parametrize("path", ["/positions/999999", "/positions/0", "/positions/99999999999"])
def test_unknown_position_is_404(api, path):
    assert_problem(api("viewer").get(path), 404)


def test_list_filters_by_institution_and_tier(api, make, minister, ministry):
    deputy = make.position(institution=ministry, title="Deputy", tier="senior")
    elsewhere = make.position(title="Chief", tier="leadership")
    client = api("viewer")

    def ids(query):
        response = client.get(f"/positions{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert set(page) == {"items", "next_cursor"}
        assert all(set(item) == FIELDS for item in page["items"])
        return [item["id"] for item in page["items"]]

    assert ids("") == [minister.id, deputy.id, elsewhere.id]
    assert ids(f"?institution_id={ministry.id}") == [minister.id, deputy.id]
    assert ids("?tier=leadership") == [minister.id, elsewhere.id]
    assert ids(f"?institution_id={ministry.id}&tier=senior") == [deputy.id]


@pytest.mark.parametrize("query", ["?tier=boss", "?institution_id=x", "?institution_id=-1", "?limit=201"])
def test_bad_list_arguments_are_a_422_problem(api, query):
    assert_problem(api("viewer").get(f"/positions{query}"), 422, "validation")


def test_list_query_count_does_not_grow_with_the_rows(api, make, count_queries, ministry):
    client = api("viewer")
    make.position(institution=ministry)
    client.get("/positions")  # warm-up: the token's first use is recorded
    with count_queries() as one:
        assert len(client.get("/positions").get_json()["items"]) == 1
    for _ in range(29):
        make.position()
    with count_queries() as thirty:
        assert len(client.get("/positions").get_json()["items"]) == 30
    assert thirty.count == one.count


def test_analyst_creates_a_position_and_it_is_audited(api, ministry, session):
    response = api("analyst").post("/positions", json=body(ministry, troika=None))
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["title"] == "Deputy Minister" and data["troika"] is None and data["version"] == 1
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "position", AuditEvent.entity_id == data["id"])
    )
    assert event is not None and event.action == "create"


def test_duplicate_title_in_the_institution_is_409(api, make, minister, ministry, session):
    client = api("analyst")
    before = count(session)
    problem = assert_problem(client.post("/positions", json=body(ministry, title="Minister")), 409, "duplicate")
    assert problem["errors"][0]["field"] == "title" and f"#{minister.id}" in problem["detail"]
    assert count(session) == before
    other = make.institution()
    assert client.post("/positions", json=body(other, title="Minister")).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"institution_id": 999999}, "institution_id"),
        ({"institution_id": 2**31}, "institution_id"),
        ({"institution_id": 10**30}, "institution_id"),
        ({"institution_id": "1"}, "institution_id"),
        ({"institution_id": None}, "institution_id"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "Nul\x00"}, "title"),
        ({"title": "Bell\x07"}, "title"),
        ({"title": 12}, "title"),
        ({"tier": "boss"}, "tier"),
        ({"troika": "king"}, "troika"),
        ({"id": 1}, "id"),
        ({"version": 1}, "version"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_fields_are_422_naming_the_field_and_nothing_is_written(api, ministry, session, overrides, field):
    before = count(session)
    problem = assert_problem(api("analyst").post("/positions", json=body(ministry, **overrides)), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert count(session) == before


def test_malformed_json_is_400_and_wrong_content_type_is_415(api, ministry, session):
    client = api("analyst")
    before = count(session)
    assert_problem(client.post("/positions", data="{", headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.post("/positions", data=b"title=x", headers={"Content-Type": "text/plain"}), 415)
    assert count(session) == before


def test_viewer_may_not_write_and_nothing_may_delete(api, minister, session):
    viewer = api("viewer")
    assert_problem(viewer.post("/positions", json=body(minister.institution)), 403, "forbidden")
    assert_problem(viewer.patch(f"/positions/{minister.id}", json={"tier": "senior", "version": 1}), 403)
    assert_problem(api("admin").delete(f"/positions/{minister.id}"), 405)
    session.expire_all()
    assert minister.tier == "leadership"


def test_patch_changes_only_the_fields_sent(api, make, minister, session):
    other = make.institution()
    response = api("analyst").patch(
        f"/positions/{minister.id}", json={"troika": None, "institution_id": other.id, "version": 1}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["troika"] is None and data["institution_id"] == other.id and data["title"] == "Minister"
    assert data["tier"] == "leadership" and data["version"] == 2


def test_stale_version_is_409_and_nothing_changes(api, minister, session):
    client = api("analyst")
    assert client.patch(f"/positions/{minister.id}", json={"tier": "senior", "version": 1}).status_code == 200
    assert_problem(
        client.patch(f"/positions/{minister.id}", json={"title": "Other", "version": 1}), 409, "edit-conflict"
    )
    session.expire_all()
    assert minister.title == "Minister" and minister.tier == "senior" and minister.version == 2


def test_renaming_or_moving_onto_an_existing_title_is_409(api, make, minister, ministry, session):
    deputy = make.position(institution=ministry, title="Deputy")
    client = api("analyst")
    assert_problem(client.patch(f"/positions/{deputy.id}", json={"title": "Minister", "version": 1}), 409, "duplicate")
    elsewhere = make.position(title="Minister")
    moved = client.patch(f"/positions/{elsewhere.id}", json={"institution_id": ministry.id, "version": 1})
    assert_problem(moved, 409, "duplicate")
    session.expire_all()
    assert deputy.title == "Deputy" and elsewhere.institution_id != ministry.id


def test_patch_to_an_unknown_institution_is_422(api, minister, session):
    problem = assert_problem(
        api("analyst").patch(f"/positions/{minister.id}", json={"institution_id": 999999, "version": 1}), 422
    )
    assert problem["errors"][0]["field"] == "institution_id"
