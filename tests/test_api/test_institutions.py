"""API: institutions -- list with filters, create, read, update with versions; never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Institution
from tests.test_api.conftest import assert_problem

FIELDS = {"id", "name", "native_name", "kind", "state", "parent_id", "version"}


@pytest.fixture
def ministry(make, russia):
    return make.institution(state=russia, name="Ministry of Defence", native_name="Министерство обороны")


def body(**overrides):
    data = {"name": "Security Council", "native_name": "Совет Безопасности", "kind": "security_council", "state": "RU"}
    data.update(overrides)
    return data


def count(session):
    return session.scalar(select(func.count()).select_from(Institution))


# --- read -----------------------------------------------------------------------------------


def test_read_gives_exactly_the_contract_fields(api, make, ministry, russia):
    staff = make.institution(state=russia, name="General Staff", parent=ministry, kind="military_command")
    response = api("viewer").get(f"/institutions/{staff.id}")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == FIELDS
    assert data == {
        "id": staff.id,
        "name": "General Staff",
        "native_name": None,
        "kind": "military_command",
        "state": "RU",
        "parent_id": ministry.id,
        "version": staff.version,
    }


@pytest.mark.parametrize("path", ["/institutions/999999", "/institutions/2147483647", "/institutions/2147483648"])
def test_unknown_institution_is_404(api, path):
    assert_problem(api("viewer").get(path), 404)


def test_list_filters_by_state_kind_and_parent(api, make, ministry, russia, belarus):
    staff = make.institution(state=russia, name="General Staff", parent=ministry, kind="military_command")
    minsk = make.institution(state=belarus, name="Ministry of Defence", kind="ministry")
    client = api("viewer")

    def ids(query):
        response = client.get(f"/institutions{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert set(page) == {"items", "next_cursor"}
        assert all(set(item) == FIELDS for item in page["items"])
        return [item["id"] for item in page["items"]]

    assert ids("") == [ministry.id, staff.id, minsk.id]
    assert ids("?state=by") == [minsk.id]
    assert ids("?state=RU&kind=ministry") == [ministry.id]
    assert ids(f"?parent_id={ministry.id}") == [staff.id]
    assert ids("?state=ZZ") == []


@pytest.mark.parametrize(
    "query", ["?kind=castle", "?state=RUS", "?parent_id=0", "?parent_id=99999999999", "?limit=0", "?cursor=zzz"]
)
def test_bad_list_arguments_are_a_422_problem(api, query):
    assert_problem(api("viewer").get(f"/institutions{query}"), 422, "validation")


def test_list_pages_by_cursor(api, make, russia):
    made = [make.institution(state=russia).id for _ in range(5)]
    client = api("viewer")
    first = client.get("/institutions?limit=3").get_json()
    assert [i["id"] for i in first["items"]] == made[:3]
    second = client.get(f"/institutions?limit=3&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in second["items"]] == made[3:] and second["next_cursor"] is None


def test_list_query_count_does_not_grow_with_the_rows(api, make, count_queries, russia):
    client = api("viewer")
    make.institution(state=russia)
    client.get("/institutions")  # warm-up: the token's first use is recorded
    with count_queries() as one:
        assert len(client.get("/institutions").get_json()["items"]) == 1
    parent = make.institution(state=russia)
    for _ in range(29):
        make.institution(state=make.state(), parent=parent)
    with count_queries() as thirty:
        assert len(client.get("/institutions?limit=200").get_json()["items"]) == 31
    assert thirty.count == one.count


# --- create ---------------------------------------------------------------------------------


def test_analyst_creates_an_institution_and_it_is_audited(api, russia, ministry, session):
    response = api("analyst").post("/institutions", json=body(parent_id=ministry.id))
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["name"] == "Security Council" and data["state"] == "RU" and data["parent_id"] == ministry.id
    assert data["version"] == 1
    session.expire_all()
    institution = session.get(Institution, data["id"])
    assert institution.native_name == "Совет Безопасности" and institution.state_id == russia.id
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "institution", AuditEvent.entity_id == data["id"])
    )
    assert event is not None and event.action == "create"


def test_duplicate_name_in_the_same_state_is_409_and_names_the_field(api, ministry, russia, belarus, session):
    client = api("analyst")
    before = count(session)
    problem = assert_problem(client.post("/institutions", json=body(name="Ministry of Defence")), 409, "duplicate")
    assert problem["errors"][0]["field"] == "name" and f"#{ministry.id}" in problem["detail"]
    assert count(session) == before
    # the same name in another State is another institution
    assert client.post("/institutions", json=body(name="Ministry of Defence", state="BY")).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"state": "ZZ"}, "state"),
        ({"parent_id": 999999}, "parent_id"),
    ],
)
def test_unknown_references_are_422_naming_the_field(api, russia, session, overrides, field):
    before = count(session)
    problem = assert_problem(api("analyst").post("/institutions", json=body(**overrides)), 422, "validation")
    assert problem["errors"][0]["field"] == field
    assert count(session) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (body(id=5), "id"),
        (body(version=3), "version"),
        (body(colour="red"), "colour"),
        (body(name=""), "name"),
        (body(name="   "), "name"),
        (body(name="x" * 301), "name"),
        (body(name="Bad\x00name"), "name"),
        (body(native_name="\ud800"), "native_name"),
        (body(kind="castle"), "kind"),
        (body(state="ru"), "state"),
        (body(state=7), "state"),
        (body(parent_id="1"), "parent_id"),
        (body(parent_id=2**31), "parent_id"),
        (body(parent_id=10**40), "parent_id"),
        ({"name": "No kind", "state": "RU"}, "kind"),
    ],
)
def test_bad_fields_are_422_naming_the_field_and_nothing_is_written(api, russia, session, payload, field):
    before = count(session)
    problem = assert_problem(api("analyst").post("/institutions", json=payload), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert count(session) == before


def test_malformed_json_is_400_and_wrong_content_type_is_415(api, russia, session):
    client = api("analyst")
    before = count(session)
    malformed = client.post("/institutions", data='{"name": ', headers={"Content-Type": "application/json"})
    assert_problem(malformed, 400)
    assert_problem(client.post("/institutions", data="name=x&kind=ministry"), 415, "unsupported-media-type")
    assert_problem(client.post("/institutions", json=["not", "an", "object"]), 422, "validation")
    assert count(session) == before


def test_viewer_may_read_but_not_write(api, ministry, session):
    viewer = api("viewer")
    assert viewer.get("/institutions").status_code == 200
    assert_problem(viewer.post("/institutions", json=body()), 403, "forbidden")
    assert_problem(viewer.patch(f"/institutions/{ministry.id}", json={"name": "X", "version": 1}), 403, "forbidden")
    # the role is checked before the body is read
    assert_problem(viewer.post("/institutions", data="junk", headers={"Content-Type": "text/plain"}), 403)
    session.expire_all()
    assert ministry.name == "Ministry of Defence"


def test_institutions_cannot_be_deleted(api, ministry):
    response = api("admin").delete(f"/institutions/{ministry.id}")
    assert_problem(response, 405)
    assert "DELETE" not in response.headers["Allow"]


# --- update ---------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api, ministry, belarus, session):
    response = api("analyst").patch(
        f"/institutions/{ministry.id}", json={"state": "BY", "native_name": "", "version": ministry.version}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["state"] == "BY" and data["native_name"] is None and data["name"] == "Ministry of Defence"
    assert data["version"] == 2
    session.expire_all()
    assert ministry.state_id == belarus.id and ministry.kind == "ministry"


def test_stale_version_is_409_and_nothing_changes(api, ministry, session):
    client = api("analyst")
    assert client.patch(f"/institutions/{ministry.id}", json={"name": "First", "version": 1}).status_code == 200
    problem = assert_problem(
        client.patch(f"/institutions/{ministry.id}", json={"name": "Second", "version": 1}), 409, "edit-conflict"
    )
    assert "version 2" in problem["detail"]
    session.expire_all()
    assert ministry.name == "First" and ministry.version == 2


def test_patch_needs_the_version(api, ministry):
    problem = assert_problem(api("analyst").patch(f"/institutions/{ministry.id}", json={"name": "X"}), 422)
    assert problem["errors"][0]["field"] == "version"


def test_an_institution_cannot_be_put_inside_itself_or_one_under_it(api, make, ministry, russia, session):
    staff = make.institution(state=russia, name="General Staff", parent=ministry)
    directorate = make.institution(state=russia, name="Main Directorate", parent=staff)
    client = api("analyst")
    for parent in (ministry, staff, directorate):
        problem = assert_problem(
            client.patch(f"/institutions/{ministry.id}", json={"parent_id": parent.id, "version": 1}), 422
        )
        assert problem["errors"][0]["field"] == "parent_id"
    session.expire_all()
    assert ministry.parent_id is None
    # moving a body under a sibling branch is fine, and null removes the parent
    other = make.institution(state=russia, name="Government")
    moved = client.patch(f"/institutions/{staff.id}", json={"parent_id": other.id, "version": staff.version})
    assert moved.status_code == 200 and moved.get_json()["parent_id"] == other.id
    freed = client.patch(f"/institutions/{staff.id}", json={"parent_id": None, "version": moved.get_json()["version"]})
    assert freed.status_code == 200 and freed.get_json()["parent_id"] is None


def test_renaming_onto_an_existing_name_is_409(api, make, ministry, russia, session):
    other = make.institution(state=russia, name="General Staff")
    problem = assert_problem(
        api("analyst").patch(f"/institutions/{other.id}", json={"name": "Ministry of Defence", "version": 1}),
        409,
        "duplicate",
    )
    assert problem["errors"][0]["field"] == "name"
    session.expire_all()
    assert other.name == "General Staff"


def test_moving_to_a_state_with_the_same_name_is_409(api, make, ministry, belarus, session):
    make.institution(state=belarus, name="Ministry of Defence")
    response = api("analyst").patch(f"/institutions/{ministry.id}", json={"state": "BY", "version": 1})
    assert_problem(response, 409, "duplicate")
