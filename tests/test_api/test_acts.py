"""API: acts of aggression -- list with filters, create, read, update with versions; never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AggressionAct, AuditEvent, PartialDate
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "assessments",
    "title",
    "description",
    "categories",
    "states",
    "start_date",
    "start_date_precision",
    "end_date",
    "end_date_precision",
    "version",
}


def make_act(session, title, categories, states, start="2022-02-24", end=None):
    act = AggressionAct(title=title, description=None)
    act.categories = categories
    act.states = states
    act.start = PartialDate.parse(start)
    act.end = PartialDate.parse(end) if end else None
    session.add(act)
    session.flush()
    return act


@pytest.fixture
def invasion(session, russia):
    return make_act(session, "Full-scale invasion of Ukraine", ["a", "b"], [russia])


def body(**overrides):
    data = {
        "title": "Deployment of DPRK troops to the Kursk region",
        "description": "Several thousand troops, acknowledged in April 2025.",
        "categories": ["g", "a"],
        "states": ["KP", "RU"],
        "start_date": "2024-10-01",
        "start_date_precision": "month",
    }
    data.update(overrides)
    return data


def count(session):
    return session.scalar(select(func.count()).select_from(AggressionAct))


# --- read -----------------------------------------------------------------------------------


def test_read_gives_exactly_the_contract_fields(api, session, russia, belarus):
    act = make_act(session, "Use of Belarusian territory", ["f"], [russia, belarus], "2022-02", "2022-04")
    response = api("viewer").get(f"/acts/{act.id}")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == FIELDS
    assert data == {
        "id": act.id,
        "title": "Use of Belarusian territory",
        "description": None,
        "categories": ["f"],
        "states": ["BY", "RU"],
        "start_date": "2022-02-01",
        "start_date_precision": "month",
        "end_date": "2022-04-01",
        "end_date_precision": "month",
        "assessments": [],
        "version": act.version,
    }


@pytest.mark.parametrize("path", ["/acts/999999", "/acts/0", "/acts/1e3"])
def test_unknown_act_is_404(api, path):
    assert_problem(api("viewer").get(path), 404)


def test_list_filters_by_state_and_category(api, session, invasion, russia, belarus, korea):
    territory = make_act(session, "Use of Belarusian territory", ["f"], [belarus])
    troops = make_act(session, "DPRK troops", ["a", "g"], [korea, russia], "2024-10")
    client = api("viewer")

    def ids(query):
        response = client.get(f"/acts{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert set(page) == {"items", "next_cursor"}
        assert all(set(item) == FIELDS for item in page["items"])
        return [item["id"] for item in page["items"]]

    assert ids("") == [invasion.id, territory.id, troops.id]
    assert ids("?state=ru") == [invasion.id, troops.id]
    assert ids("?category=a") == [invasion.id, troops.id]
    assert ids("?category=f&state=BY") == [territory.id]
    assert ids("?state=KP&category=b") == []


@pytest.mark.parametrize("query", ["?category=h", "?category=A", "?state=R", "?state=R1", "?cursor=YWZ0ZXI6eA"])
def test_bad_list_arguments_are_a_422_problem(api, query):
    assert_problem(api("viewer").get(f"/acts{query}"), 422, "validation")


def test_list_query_count_does_not_grow_with_the_rows(api, session, count_queries, invasion, russia, belarus):
    client = api("viewer")
    client.get("/acts")  # warm-up: the token's first use is recorded
    with count_queries() as one:
        assert len(client.get("/acts").get_json()["items"]) == 1
    for i in range(29):
        make_act(session, f"Act {i}", ["a", "b", "c"], [russia, belarus])
    with count_queries() as thirty:
        assert len(client.get("/acts").get_json()["items"]) == 30
    assert thirty.count == one.count


# --- create ---------------------------------------------------------------------------------


def test_analyst_creates_an_act_and_it_is_audited(api, session, russia, korea):
    response = api("analyst").post("/acts", json=body(categories=["g", "a", "g"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["categories"] == ["a", "g"] and data["states"] == ["KP", "RU"]
    assert data["start_date"] == "2024-10-01" and data["start_date_precision"] == "month"
    assert data["end_date"] is None and data["version"] == 1
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "aggression_act", AuditEvent.entity_id == data["id"])
    )
    assert event is not None and event.action == "create"


def test_duplicate_title_is_409(api, invasion, russia, korea, session):
    problem = assert_problem(
        api("analyst").post("/acts", json=body(title="Full-scale invasion of Ukraine")), 409, "duplicate"
    )
    assert problem["errors"][0]["field"] == "title" and f"#{invasion.id}" in problem["detail"]
    assert count(session) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"states": ["RU", "ZZ"]}, "states.1"),
        ({"states": []}, "states"),
        ({"states": ["ru"]}, "states.0"),
        ({"states": "RU"}, "states"),
        ({"states": ["RU"] * 21}, "states"),
        ({"categories": []}, "categories"),
        ({"categories": ["h"]}, "categories.0"),
        ({"categories": ["a"] * 8}, "categories"),
        ({"categories": [1]}, "categories.0"),
        ({"categories": None}, "categories"),
        ({"title": ""}, "title"),
        ({"title": "t" * 301}, "title"),
        ({"title": "A\x00B"}, "title"),
        ({"description": "d" * 20_001}, "description"),
        ({"description": "\x1b[31m"}, "description"),
        ({"start_date": None}, "start_date"),
        ({"start_date": "2024-10-15"}, "start_date"),  # month precision: give the first day
        ({"end_date": "2024-09-30"}, "end_date"),
        ({"end_date": "2024-01-01", "end_date_precision": "year"}, "end_date"),
        ({"end_date_precision": "day"}, "end_date"),
        ({"start_date": "99999-01-01"}, "start_date"),
        ({"id": 7}, "id"),
        ({"version": 1}, "version"),
        ({"decisions": [1]}, "decisions"),
    ],
)
def test_bad_fields_are_422_naming_the_field_and_nothing_is_written(api, russia, korea, session, overrides, field):
    problem = assert_problem(api("analyst").post("/acts", json=body(**overrides)), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert count(session) == 0


def test_missing_fields_malformed_json_and_wrong_content_type(api, russia, session):
    client = api("analyst")
    problem = assert_problem(client.post("/acts", json={}), 422, "validation")
    assert {e["field"] for e in problem["errors"]} == {"title", "categories", "states", "start_date"}
    assert_problem(client.post("/acts", data="[", headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.post("/acts", data=b"\xff\xfe", headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.post("/acts", data="title=x", headers={"Content-Type": "application/xml"}), 415)
    assert count(session) == 0


def test_viewer_may_not_write_and_nothing_may_delete(api, invasion, session):
    viewer = api("viewer")
    assert viewer.get(f"/acts/{invasion.id}").status_code == 200
    assert_problem(viewer.post("/acts", json=body()), 403, "forbidden")
    assert_problem(viewer.patch(f"/acts/{invasion.id}", json={"title": "x", "version": 1}), 403, "forbidden")
    assert_problem(api("admin").delete(f"/acts/{invasion.id}"), 405)
    session.expire_all()
    assert invasion.title == "Full-scale invasion of Ukraine" and count(session) == 1


# --- update ---------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api, invasion, belarus, session):
    response = api("analyst").patch(
        f"/acts/{invasion.id}", json={"states": ["RU", "BY"], "end_date": "2025-01-01", "version": 1}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["states"] == ["BY", "RU"] and data["categories"] == ["a", "b"]
    assert data["end_date"] == "2025-01-01" and data["end_date_precision"] == "day"
    assert data["title"] == "Full-scale invasion of Ukraine" and data["version"] == 2


def test_changing_only_the_categories_moves_the_version(api, invasion, session):
    client = api("analyst")
    response = client.patch(f"/acts/{invasion.id}", json={"categories": ["a", "b", "d"], "version": 1})
    assert response.status_code == 200 and response.get_json()["version"] == 2
    # the next edit from the old version is refused: the category change is not lost
    assert_problem(client.patch(f"/acts/{invasion.id}", json={"categories": ["a"], "version": 1}), 409, "edit-conflict")
    session.expire_all()
    assert invasion.categories == ["a", "b", "d"] and invasion.version == 2


def test_stale_version_is_409_and_nothing_changes(api, invasion, session):
    client = api("analyst")
    assert client.patch(f"/acts/{invasion.id}", json={"description": "First", "version": 1}).status_code == 200
    assert_problem(
        client.patch(f"/acts/{invasion.id}", json={"description": "Second", "states": [], "version": 1}), 422
    )
    assert_problem(client.patch(f"/acts/{invasion.id}", json={"description": "Second", "version": 1}), 409)
    session.expire_all()
    assert invasion.description == "First" and invasion.version == 2


def test_patch_refuses_an_end_before_the_stored_start(api, invasion, session):
    problem = assert_problem(
        api("analyst").patch(f"/acts/{invasion.id}", json={"end_date": "2022-02-23", "version": 1}), 422
    )
    assert problem["errors"][0]["field"] == "end_date"
    session.expire_all()
    assert invasion.end is None


def test_patch_onto_an_existing_title_is_409(api, session, invasion, belarus):
    territory = make_act(session, "Use of Belarusian territory", ["f"], [belarus])
    response = api("analyst").patch(
        f"/acts/{territory.id}", json={"title": "Full-scale invasion of Ukraine", "version": 1}
    )
    assert_problem(response, 409, "duplicate")
    session.expire_all()
    assert territory.title == "Use of Belarusian territory"
