"""API: officials -- the contract's fields, writes with versions, bad input refused whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Official
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "name",
    "native_name",
    "aliases",
    "birth_date",
    "birth_date_precision",
    "state",
    "identifiers",
    "version",
}


@pytest.fixture
def ru(russia):
    return russia


def _shoigu(ru):
    return {
        "name": "Sergei Shoigu",
        "native_name": "Сергей Кужугетович Шойгу",
        "state": "RU",
        "birth_date": "1955-05-21",
        "birth_date_precision": "day",
        "aliases": [{"name": "Шойгу Сергей", "lang": "ru"}, {"name": "Sergey Shoygu", "script": "Latn"}],
        "identifiers": [{"scheme": "eu_269_2014", "value": "X-1"}],
    }


def test_contract_fields(api, ru, make):
    official = make.official(state=ru, name="Valery Gerasimov")
    body = api("viewer").get(f"/officials/{official.id}").get_json()
    assert set(body) == FIELDS
    assert body["state"] == "RU" and body["version"] == official.version
    for alias in body["aliases"]:
        assert set(alias) == {"name", "script", "lang"}


def test_create_read_update_delete(api, ru, session):
    analyst = api("analyst")
    created = analyst.post("/officials", json=_shoigu(ru))
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert set(body) == FIELDS
    assert body["aliases"] == [
        {"name": "Шойгу Сергей", "script": "Cyrl", "lang": "ru"},
        {"name": "Sergey Shoygu", "script": "Latn", "lang": None},
    ]
    assert body["identifiers"] == [{"scheme": "eu_269_2014", "value": "X-1"}]
    official = session.get(Official, body["id"])
    assert official.native_script == "Cyrl"

    read = analyst.get(f"/officials/{body['id']}").get_json()
    assert read == body

    changed = analyst.patch(
        f"/officials/{body['id']}",
        json={"version": body["version"], "birth_date": "1955-05-01", "birth_date_precision": "month"},
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    after = changed.get_json()
    assert after["birth_date"] == "1955-05-01" and after["birth_date_precision"] == "month"
    assert after["aliases"] == body["aliases"] and after["version"] == body["version"] + 1

    deleted = analyst.delete(f"/officials/{body['id']}?reason=entered twice")
    assert deleted.status_code == 204 and deleted.data == b""
    assert_problem(analyst.get(f"/officials/{body['id']}"), 404, "not-found")
    session.expire_all()
    assert session.get(Official, body["id"]).deletion_reason == "entered twice"


def test_stale_version_is_refused_and_changes_nothing(api, ru, make, session):
    official = make.official(state=ru, name="Original Name")
    analyst = api("analyst")
    stale = official.version
    assert analyst.patch(f"/officials/{official.id}", json={"version": stale, "name": "First Edit"}).status_code == 200
    body = assert_problem(
        analyst.patch(f"/officials/{official.id}", json={"version": stale, "name": "Lost Edit"}), 409, "edit-conflict"
    )
    assert "version" in body["detail"]
    assert analyst.get(f"/officials/{official.id}").get_json()["name"] == "First Edit"


def test_patch_without_version_is_refused(api, ru, make):
    official = make.official(state=ru)
    body = assert_problem(api("analyst").patch(f"/officials/{official.id}", json={"name": "X"}), 422, "validation")
    assert [e["field"] for e in body["errors"]] == ["version"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "A", "state": "RU", "nickname": "x"}, "nickname"),
        ({"name": 42, "state": "RU"}, "name"),
        ({"name": "", "state": "RU"}, "name"),
        ({"name": "   ", "state": "RU"}, "name"),
        ({"name": "A\x00B", "state": "RU"}, "name"),
        ({"name": "x" * 301, "state": "RU"}, "name"),
        ({"name": "A", "state": "Russia"}, "state"),
        ({"name": "A", "state": "ZZ"}, "state"),
        ({"name": "A"}, "state"),
        ({"name": "A", "state": "RU", "birth_date": "1955-02-30"}, "birth_date"),
        ({"name": "A", "state": "RU", "birth_date": "1955-05-21", "birth_date_precision": "year"}, "birth_date"),
        ({"name": "A", "state": "RU", "birth_date_precision": "year"}, "birth_date"),
        ({"name": "A", "state": "RU", "aliases": [{"name": "B", "script": "Klingon"}]}, "aliases.0.script"),
        ({"name": "A", "state": "RU", "aliases": "B"}, "aliases"),
        ({"name": "A", "state": "RU", "aliases": [{"name": "123"}]}, "aliases.0.script"),
        ({"name": "A", "state": "RU", "identifiers": [{"scheme": "ofac_sdn"}]}, "identifiers.0.value"),
        ({"name": "A", "state": "RU", "identifiers": [{"scheme": "passport", "value": "1"}]}, "identifiers.0.scheme"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, ru, session, payload, field):
    before = session.scalar(select(func.count(Official.id)))
    body = assert_problem(api("analyst").post("/officials", json=payload), 422, "validation")
    assert field in [e["field"] for e in body["errors"]], body
    assert session.scalar(select(func.count(Official.id))) == before


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": "name=A&state=RU", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"data": '{"name": "A", "state": "RU"}', "content_type": "text/plain"}, 415),
        ({"json": ["name", "A"]}, 422),
        ({"json": "A"}, 422),
        ({"data": b"\xff\xfe{}", "content_type": "application/json"}, 400),
    ],
)
def test_malformed_bodies(api, ru, session, kwargs, status):
    assert_problem(api("analyst").post("/officials", **kwargs), status)
    assert session.scalar(select(func.count(Official.id))) == 0


@pytest.mark.parametrize(
    "path", ["/officials/0", "/officials/2147483648", "/officials/99999999999999999999", "/officials/x"]
)
def test_ids_out_of_range_are_404(api, path):
    assert_problem(api("viewer").get(path), 404, "not-found")


def test_duplicate_identifier_is_409_naming_the_owner(api, ru, make):
    first = api("analyst").post("/officials", json=_shoigu(ru)).get_json()
    again = {**_shoigu(ru), "name": "Another Person", "birth_date": None, "birth_date_precision": None}
    body = assert_problem(api("analyst").post("/officials", json=again), 409, "duplicate")
    assert first["name"] in body["detail"]


def test_roles(api, ru, make):
    official = make.official(state=ru)
    viewer = api("viewer")
    assert viewer.get(f"/officials/{official.id}").status_code == 200
    assert_problem(viewer.post("/officials", json=_shoigu(ru)), 403, "forbidden")
    assert_problem(viewer.patch(f"/officials/{official.id}", json={"version": 1, "name": "X"}), 403)
    assert_problem(viewer.delete(f"/officials/{official.id}"), 403)


def test_list_filters_and_cursor(api, ru, make):
    by = make.state(code="BY", name="Belarus")
    made = [make.official(state=ru, name=f"Person {n:02d}") for n in range(5)]
    make.official(state=by, name="Alexander Lukashenko")
    viewer = api("viewer")
    seen = []
    cursor = None
    while True:
        query = "/officials?state=RU&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = viewer.get(query).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [o.id for o in made]
    by_name = viewer.get("/officials?name=Alexander Lukashenko").get_json()["items"]
    assert [o["state"] for o in by_name] == ["BY"]


def test_list_finds_an_alias_in_any_script_folded(api, ru):
    api("analyst").post("/officials", json=_shoigu(ru))
    for written in ("Шойгу Сергей", "shoygu sergey", "SHOYGU  SERGEY"):
        items = api("viewer").get(f"/officials?name={written}").get_json()["items"]
        assert [o["name"] for o in items] == ["Sergei Shoigu"], written


def test_list_finds_an_identifier(api, ru, make):
    api("analyst").post("/officials", json=_shoigu(ru))
    items = api("viewer").get("/officials?identifier=eu_269_2014:X-1").get_json()["items"]
    assert [o["name"] for o in items] == ["Sergei Shoigu"]
    assert api("viewer").get("/officials?identifier=eu_269_2014:nope").get_json()["items"] == []


def test_deleted_officials_are_not_listed(api, ru, make, session):
    gone = make.official(state=ru)
    gone.soft_delete("test")
    session.flush()
    assert api("viewer").get("/officials").get_json()["items"] == []


def test_query_count_does_not_grow_with_the_page(api, ru, make, count_queries):
    viewer = api("viewer")
    make.official(state=ru)
    viewer.get("/officials")  # warm up
    with count_queries() as small:
        viewer.get("/officials?limit=200")
    for _n in range(30):
        make.official(state=ru)
    with count_queries() as large:
        assert len(viewer.get("/officials?limit=200").get_json()["items"]) == 31
    assert large.count == small.count
