"""API: tenures -- list with filters, create, read, update with versions, delete while unreferenced."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Tenure
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "official_id",
    "position_id",
    "start_date",
    "start_date_precision",
    "end_date",
    "end_date_precision",
    "note",
    "version",
}


@pytest.fixture
def shoigu(make):
    return make.official(name="Sergei Shoigu")


@pytest.fixture
def minister(make):
    return make.position(title="Minister of Defence")


@pytest.fixture
def tenure(make, shoigu, minister):
    return make.tenure(official=shoigu, position=minister, start="2012-11-06", end="2024-05-12")


def body(official, position, **overrides):
    data = {"official_id": official.id, "position_id": position.id, "start_date": "2024-05-01"}
    data.update(overrides)
    return data


def count(session):
    return session.scalar(select(func.count()).select_from(Tenure))


# --- read -----------------------------------------------------------------------------------


def test_read_gives_exactly_the_contract_fields(api, tenure, shoigu, minister):
    response = api("viewer").get(f"/tenures/{tenure.id}")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == FIELDS
    assert data == {
        "id": tenure.id,
        "official_id": shoigu.id,
        "position_id": minister.id,
        "start_date": "2012-11-06",
        "start_date_precision": "day",
        "end_date": "2024-05-12",
        "end_date_precision": "day",
        "note": None,
        "version": tenure.version,
    }


def test_a_deleted_officials_tenures_are_gone_like_missing_ones(api, tenure, shoigu, minister, session):
    shoigu.soft_delete("entered twice")
    session.flush()
    client = api("admin")
    assert_problem(client.get(f"/tenures/{tenure.id}"), 404, "not-found")
    assert_problem(client.patch(f"/tenures/{tenure.id}", json={"note": "x", "version": 1}), 404)
    assert_problem(client.delete(f"/tenures/{tenure.id}"), 404)
    assert client.get("/tenures").get_json()["items"] == []
    problem = assert_problem(client.post("/tenures", json=body(shoigu, minister)), 422, "validation")
    assert problem["errors"][0]["field"] == "official_id"
    assert count(session) == 1


@pytest.mark.parametrize("path", ["/tenures/999999", "/tenures/2147483648"])
def test_unknown_tenure_is_404(api, path):
    assert_problem(api("viewer").get(path), 404)


def test_list_filters_by_official_and_position(api, make, tenure, shoigu, minister):
    later = make.tenure(position=minister, start="2024-05")
    other = make.tenure(official=shoigu, start="2024-05-12")
    client = api("viewer")

    def ids(query):
        response = client.get(f"/tenures{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        assert set(page) == {"items", "next_cursor"}
        assert all(set(item) == FIELDS for item in page["items"])
        return [item["id"] for item in page["items"]]

    assert ids("") == [tenure.id, later.id, other.id]
    assert ids(f"?official_id={shoigu.id}") == [tenure.id, other.id]
    assert ids(f"?position_id={minister.id}") == [tenure.id, later.id]
    assert ids(f"?official_id={shoigu.id}&position_id={minister.id}") == [tenure.id]
    assert client.get(f"/tenures/{later.id}").get_json()["start_date_precision"] == "month"


@pytest.mark.parametrize("query", ["?official_id=abc", "?position_id=0", "?official_id=2147483648"])
def test_bad_list_arguments_are_a_422_problem(api, query):
    assert_problem(api("viewer").get(f"/tenures{query}"), 422, "validation")


def test_list_query_count_does_not_grow_with_the_rows(api, make, count_queries, tenure):
    client = api("viewer")
    client.get("/tenures")  # warm-up: the token's first use is recorded
    with count_queries() as one:
        assert len(client.get("/tenures").get_json()["items"]) == 1
    for _ in range(29):
        make.tenure()
    with count_queries() as thirty:
        assert len(client.get("/tenures").get_json()["items"]) == 30
    assert thirty.count == one.count


# --- create ---------------------------------------------------------------------------------


def test_analyst_creates_a_tenure_with_partial_dates_and_it_is_audited(api, shoigu, minister, session):
    payload = body(shoigu, minister, start_date="2012-11-01", start_date_precision="month", note="Appointed by decree")
    response = api("analyst").post("/tenures", json=payload)
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["start_date"] == "2012-11-01" and data["start_date_precision"] == "month"
    assert data["end_date"] is None and data["end_date_precision"] is None
    assert data["note"] == "Appointed by decree" and data["version"] == 1
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "tenure", AuditEvent.entity_id == data["id"])
    )
    assert event is not None and event.action == "create"


def test_same_official_position_and_start_is_a_409_duplicate(api, tenure, shoigu, minister, session):
    problem = assert_problem(
        api("analyst").post("/tenures", json=body(shoigu, minister, start_date="2012-11-06")), 409, "duplicate"
    )
    assert problem["errors"][0]["field"] == "start_date" and f"#{tenure.id}" in problem["detail"]
    assert count(session) == 1


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"end_date": "2024-04-30"}, "end_date"),  # before the start
        (
            {
                "start_date": "2020-05-01",
                "start_date_precision": "month",
                "end_date": "2020-01-01",
                "end_date_precision": "year",
            },
            "end_date",
        ),
        ({"start_date": "2020-05-15", "start_date_precision": "month"}, "start_date"),  # not the first day
        ({"start_date": "2020-02-01", "start_date_precision": "year"}, "start_date"),
        ({"end_date_precision": "year"}, "end_date"),  # a precision without a date
        ({"end_date": "2024-13-01"}, "end_date"),
        ({"start_date": "2024-02-30"}, "start_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": None}, "start_date"),
        ({"start_date_precision": "week"}, "start_date_precision"),
        ({"start_date_precision": None}, "start_date_precision"),
    ],
)
def test_bad_periods_are_422_before_the_database_sees_them(api, shoigu, minister, session, dates, field):
    problem = assert_problem(api("analyst").post("/tenures", json=body(shoigu, minister, **dates)), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert count(session) == 0


def test_a_coarser_end_that_may_overlap_asks_for_more_precision(api, shoigu, minister):
    payload = body(shoigu, minister, start_date="2020-05-01", start_date_precision="month", end_date="2020-01-01")
    payload["end_date_precision"] = "year"
    problem = assert_problem(api("analyst").post("/tenures", json=payload), 422)
    assert "precisely" in problem["detail"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"official_id": 999999}, "official_id"),
        ({"position_id": 999999}, "position_id"),
        ({"position_id": 2**31}, "position_id"),
        ({"official_id": 1e300}, "official_id"),
        ({"official_id": "1"}, "official_id"),
        ({"note": "x" * 2001}, "note"),
        ({"note": "a\x00b"}, "note"),
        ({"id": 3}, "id"),
        ({"version": 1}, "version"),
        ({"supports": []}, "supports"),
    ],
)
def test_bad_fields_are_422_naming_the_field_and_nothing_is_written(api, shoigu, minister, session, overrides, field):
    payload = body(shoigu, minister, **overrides)
    problem = assert_problem(api("analyst").post("/tenures", json=payload), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}, problem
    assert count(session) == 0


def test_missing_fields_malformed_json_and_wrong_content_type(api, shoigu, minister, session):
    client = api("analyst")
    problem = assert_problem(client.post("/tenures", json={}), 422, "validation")
    assert {e["field"] for e in problem["errors"]} == {"official_id", "position_id", "start_date"}
    assert_problem(
        client.post("/tenures", data='{"official_id": 1,}', headers={"Content-Type": "application/json"}), 400
    )
    assert_problem(client.post("/tenures", data={"official_id": str(shoigu.id)}), 415)
    assert count(session) == 0


def test_viewer_may_read_but_not_write(api, tenure, shoigu, minister, session):
    viewer = api("viewer")
    assert viewer.get(f"/tenures/{tenure.id}").status_code == 200
    assert_problem(viewer.post("/tenures", json=body(shoigu, minister)), 403, "forbidden")
    assert_problem(viewer.patch(f"/tenures/{tenure.id}", json={"note": "x", "version": 1}), 403, "forbidden")
    assert_problem(viewer.delete(f"/tenures/{tenure.id}"), 403, "forbidden")
    assert count(session) == 1


# --- update ---------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api, make, tenure, session):
    other = make.position()
    response = api("analyst").patch(
        f"/tenures/{tenure.id}", json={"position_id": other.id, "end_date": None, "note": "Still", "version": 1}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["position_id"] == other.id and data["end_date"] is None and data["end_date_precision"] is None
    assert data["start_date"] == "2012-11-06" and data["note"] == "Still" and data["version"] == 2


def test_patch_a_precision_alone_applies_to_the_stored_date(api, make):
    tenure = make.tenure(start="2020-01-01")
    client = api("analyst")
    response = client.patch(f"/tenures/{tenure.id}", json={"start_date_precision": "year", "version": 1})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["start_date"] == "2020-01-01" and response.get_json()["start_date_precision"] == "year"
    # a date sent alone is a full date
    response = client.patch(f"/tenures/{tenure.id}", json={"start_date": "2020-03-04", "version": 2})
    assert response.get_json()["start_date_precision"] == "day"


def test_patch_is_checked_against_the_stored_period(api, tenure, session):
    client = api("analyst")
    problem = assert_problem(
        client.patch(f"/tenures/{tenure.id}", json={"start_date": "2025-01-01", "version": 1}), 422
    )
    assert problem["errors"][0]["field"] == "end_date"
    problem = assert_problem(
        client.patch(f"/tenures/{tenure.id}", json={"start_date_precision": "month", "version": 1}), 422
    )
    assert problem["errors"][0]["field"] == "start_date_precision"  # it does not fit the stored date
    session.expire_all()
    assert str(tenure.start) == "2012-11-06" and tenure.version == 1


def test_the_official_of_a_tenure_cannot_be_changed(api, make, tenure):
    problem = assert_problem(
        api("analyst").patch(f"/tenures/{tenure.id}", json={"official_id": make.official().id, "version": 1}), 422
    )
    assert problem["errors"][0]["field"] == "official_id"


def test_patch_onto_an_existing_tenure_is_409(api, make, tenure, shoigu, minister, session):
    second = make.tenure(official=shoigu, position=minister, start="2025-01-01")
    response = api("analyst").patch(f"/tenures/{second.id}", json={"start_date": "2012-11-06", "version": 1})
    assert_problem(response, 409, "duplicate")
    session.expire_all()
    assert str(second.start) == "2025-01-01"


def test_stale_version_is_409_and_nothing_changes(api, tenure, session):
    client = api("analyst")
    assert client.patch(f"/tenures/{tenure.id}", json={"note": "First", "version": 1}).status_code == 200
    assert_problem(client.patch(f"/tenures/{tenure.id}", json={"note": "Second", "version": 1}), 409, "edit-conflict")
    session.expire_all()
    assert tenure.note == "First" and tenure.version == 2


# --- delete ---------------------------------------------------------------------------------


def test_analyst_deletes_an_unreferenced_tenure_and_it_is_audited(api, tenure, session):
    tenure_id = tenure.id
    response = api("analyst").delete(f"/tenures/{tenure_id}")
    assert response.status_code == 204 and response.data == b""
    session.expire_all()
    assert session.get(Tenure, tenure_id) is None
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity_type == "tenure", AuditEvent.entity_id == tenure_id, AuditEvent.action == "delete"
        )
    )
    assert event is not None


@pytest.mark.parametrize("classification", ["public", "strictly_confidential"])
def test_a_tenure_with_evidence_linked_is_in_use(api, make, tenure, session, classification):
    make.support(tenure=tenure, evidence=make.evidence(classification=classification))
    problem = assert_problem(api("analyst").delete(f"/tenures/{tenure.id}"), 409, "in-use")
    assert "evidence" in problem["detail"]
    session.expire_all()
    assert session.get(Tenure, tenure.id) is not None
