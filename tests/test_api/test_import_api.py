"""API: import runs uploaded as multipart forms, dry run first, and their recorded reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import ImportRun, Official
from tests.test_api.conftest import assert_problem

EU_HEADER = "celex,recordId,programKey,annex,startDate,reason,schema,name,alias,nationality,birthDate,position,gender"
RUN_FIELDS = {
    "id",
    "format",
    "file_name",
    "sha256",
    "size",
    "actor_name",
    "started_at",
    "finished_at",
    "dry_run",
    "lenient",
    "strict",
    "accept_certain",
    "status",
    "counts",
    "reasons",
}
OUTCOMES = {"new", "updated", "unchanged", "merged", "queued", "skipped", "not_imported", "rejected"}


def eu_row(record_id: str, name: str, birth: str = "1.2.1960") -> str:
    values = [
        "32014R0269",
        record_id,
        "EU-UKR",
        "I.PERSONS",
        "23.2.2022",
        '"Voted for resolution No. 58243-8."',
        "Person",
        name,
        "",
        "Russian",
        birth,
        "Member of the State Duma",
        "male",
    ]
    return ",".join(values)


def eu_csv(*rows: str) -> bytes:
    return "\r\n".join([EU_HEADER, *rows, ""]).encode("utf-8")


GOOD = eu_csv(eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"), eu_row("9102", "Semyon Semyonovich OBRAZTSOV"))
MALFORMED = eu_csv(eu_row("9101", "Pyotr Petrovich ZAGLUSHKIN"), eu_row("9102", "Ivan IVANOV").rsplit(",", 3)[0])


def upload(client, data: bytes | None = GOOD, name: str = "eu.csv", **fields):
    form = {"format": "eu-csv", **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post("/imports", data=form, content_type="multipart/form-data")


def count(session, model) -> int:
    return session.scalar(select(func.count(model.id)))


def left_behind(evidence_dir: Path) -> list[Path]:
    return [p for p in evidence_dir.rglob("*") if p.is_file()]


def test_an_upload_is_a_dry_run_by_default_and_recorded(api, session, evidence_dir):
    client = api("analyst")
    before = count(session, Official)
    response = upload(client)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == RUN_FIELDS | {"message", "rows", "rows_omitted"}
    assert body["status"] == "dry_run" and body["dry_run"] is True and body["lenient"] is False
    assert body["counts"] == {**dict.fromkeys(OUTCOMES, 0), "new": 2}
    assert body["file_name"] == "eu.csv" and body["size"] == len(GOOD) and body["message"] is None
    assert body["rows"] == [] and body["rows_omitted"] == 0
    assert response.headers["Location"] == f"/api/v1/imports/{body['id']}"
    assert count(session, Official) == before
    run = session.get(ImportRun, body["id"])
    assert run.user_id == client.user.id and run.status == "dry_run"
    assert client.get(f"/imports/{body['id']}").get_json() == body
    assert left_behind(evidence_dir) == []


def test_dry_run_false_applies_and_the_same_file_again_changes_nothing(api, session, evidence_dir):
    client = api("analyst")
    before = count(session, Official)
    applied = upload(client, dry_run="false").get_json()
    assert applied["status"] == "applied" and applied["counts"]["new"] == 2
    assert count(session, Official) == before + 2
    again = upload(client, dry_run="false").get_json()
    assert again["counts"]["unchanged"] == 2 and again["counts"]["new"] == 0
    assert count(session, Official) == before + 2


def test_a_malformed_row_refuses_the_file_unless_lenient(api, session, evidence_dir):
    client = api("analyst")
    before = count(session, Official)
    refused = upload(client, MALFORMED, dry_run="false")
    assert refused.status_code == 201
    body = refused.get_json()
    assert body["status"] == "refused" and "line 3" in body["message"] and body["rows"] == []
    assert count(session, Official) == before
    lenient = upload(client, MALFORMED, dry_run="false", lenient="true").get_json()
    assert lenient["status"] == "applied" and lenient["counts"]["new"] == 1 and lenient["counts"]["rejected"] == 1
    [row] = lenient["rows"]
    assert set(row) == {"line", "outcome", "reason", "official_id", "name"}
    assert (row["line"], row["outcome"]) == (3, "rejected")
    assert count(session, Official) == before + 1


def test_report_rows_are_capped(api, session, evidence_dir, monkeypatch):
    from views.api import imports

    monkeypatch.setattr(imports, "ROWS_SHOWN", 1)
    bad = eu_csv(*(eu_row(str(9000 + n), "Ivan IVANOV").rsplit(",", 3)[0] for n in range(3)))
    body = upload(api("analyst"), bad, lenient="true").get_json()
    assert body["counts"]["rejected"] == 3 and len(body["rows"]) == 1 and body["rows_omitted"] == 2


def test_a_file_in_another_format_is_a_refused_run(api, session, evidence_dir):
    body = upload(api("analyst"), GOOD, format="ofac-csv").get_json()
    assert body["status"] == "refused" and body["message"]


@pytest.mark.parametrize(
    ("data", "fields", "field"),
    [
        (None, {}, "file"),
        (b"", {}, "file"),
        (GOOD, {"format": "csv"}, "format"),
        (GOOD, {"dry_run": "maybe"}, "dry_run"),
        (GOOD, {"lenient": "0"}, "lenient"),
        (GOOD, {"colour": "red"}, "colour"),
        (GOOD, {"format": "eu-csv\x00"}, "format"),
    ],
)
def test_bad_uploads_are_422_and_write_nothing(api, session, evidence_dir, data, fields, field):
    runs = count(session, ImportRun)
    body = assert_problem(upload(api("analyst"), data, **fields), 422, "validation")
    assert field in {e["field"] for e in body["errors"]}
    assert count(session, ImportRun) == runs
    assert left_behind(evidence_dir) == []


def test_a_file_sent_as_a_plain_field_is_refused(api, session, evidence_dir):
    response = api("analyst").post(
        "/imports", data={"format": "eu-csv", "file": GOOD.decode()}, content_type="multipart/form-data"
    )
    body = assert_problem(response, 422, "validation")
    assert body["errors"][0]["field"] == "file"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"format": "eu-csv", "file": "x"}},
        {"data": {"format": "eu-csv", "file": "x"}},
        {"data": "{bad", "content_type": "application/json"},
    ],
)
def test_anything_but_multipart_is_415(api, session, kwargs):
    assert_problem(api("analyst").post("/imports", **kwargs), 415, "unsupported-media-type")
    assert count(session, ImportRun) == 0


def test_an_upload_over_the_limit_is_413_and_leaves_nothing(api, session, evidence_dir, upload_limit):
    upload_limit(100)
    assert_problem(upload(api("analyst"), GOOD + b"x" * 2000), 413)
    assert count(session, ImportRun) == 0
    assert left_behind(evidence_dir) == []


def test_viewers_cannot_import_nor_read_runs(api, session, evidence_dir):
    run_id = upload(api("analyst")).get_json()["id"]
    viewer = api("viewer")
    assert_problem(upload(viewer), 403, "forbidden")
    assert_problem(viewer.get("/imports"), 403)
    assert_problem(viewer.get(f"/imports/{run_id}"), 403)
    assert count(session, ImportRun) == 1


def test_runs_are_listed_by_cursor_filtered_with_constant_queries(api, session, evidence_dir, count_queries):
    client = api("analyst")
    first = upload(client).get_json()["id"]
    client.get("/imports")  # warm up
    with count_queries() as one:
        page = client.get("/imports").get_json()
    for _ in range(29):
        upload(client, GOOD, format="ofac-csv")
    with count_queries() as thirty:
        many = client.get("/imports").get_json()
    assert one.count == thirty.count
    assert [r["id"] for r in page["items"]] == [first] and set(page["items"][0]) == RUN_FIELDS
    assert len(many["items"]) == 30
    refused = client.get("/imports?status=refused&limit=10").get_json()
    assert len(refused["items"]) == 10 and {r["format"] for r in refused["items"]} == {"ofac-csv"}
    rest = client.get(f"/imports?status=refused&limit=50&cursor={refused['next_cursor']}").get_json()
    assert len(rest["items"]) == 19 and rest["next_cursor"] is None
    assert client.get("/imports?format=eu-csv").get_json()["items"][0]["id"] == first
    assert_problem(client.get("/imports?status=lost"), 422)
    assert_problem(client.get("/imports/999999"), 404, "not-found")


# --- import rules, as records and as a document (issue 19 item 7) -----------------------------


def test_rules_are_listed_created_changed_and_deactivated(api, session, make):
    position = make.position(title="Deputy")
    client = api("analyst")
    created = client.post("/import-rules", json={"kind": "position", "pattern": "Member of the Duma",
                                                 "position_id": position.id})  # fmt: skip
    assert created.status_code == 201, created.get_data(as_text=True)
    rule = created.get_json()
    assert rule["active"] is True and rule["decision_id"] is None and rule["version"] == 1
    listed = client.get("/import-rules?kind=position").get_json()["items"]
    assert [r["id"] for r in listed] == [rule["id"]]
    changed = client.patch(f"/import-rules/{rule['id']}", json={"active": False, "version": 1})
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    assert client.get("/import-rules?active=true").get_json()["items"] == []
    assert_problem(client.patch(f"/import-rules/{rule['id']}", json={"note": "x", "version": 1}), 409)
    assert_problem(
        client.post("/import-rules", json={"kind": "involvement", "pattern": "voted for", "position_id": position.id}),
        422,
        "validation",
    )
    assert_problem(api("viewer").post("/import-rules", json={"kind": "position", "pattern": "abcd"}), 403)


def test_the_rules_document_goes_out_and_back_in(api, session, make):
    position = make.position(title="Deputy")
    client = api("analyst")
    client.post("/import-rules", json={"kind": "position", "pattern": "Member of the Duma", "position_id": position.id})
    document = api("viewer").get("/import-rules/document?format=json").get_json()
    assert document["format"] == "json"
    data = json.loads(document["document"])
    assert data["rules"][0]["position"]["title"] == "Deputy"
    data["rules"][0]["note"] = "Loaded over the API."
    loaded = client.post("/import-rules/document", json={"document": json.dumps(data)})
    assert loaded.status_code == 200, loaded.get_data(as_text=True)
    assert len(loaded.get_json()["updated"]) == 1 and loaded.get_json()["created"] == []
    yaml_text = client.get("/import-rules/document").get_json()
    assert yaml_text["format"] == "yaml" and "Loaded over the API." in yaml_text["document"]
    data["rules"][0]["kind"] = "nonsense"
    refused = assert_problem(client.post("/import-rules/document", json={"document": json.dumps(data)}), 422)
    assert refused["errors"][0]["message"].startswith("rule 1 ('Member of the Duma'): kind must be one of")
    assert_problem(api("viewer").post("/import-rules/document", json={"document": "rules: []"}), 403)


# --- States (issue 19 item 9) ---------------------------------------------------------------------------


def test_states_are_listed_for_everyone_and_created_by_admins(api, session):
    admin = api("admin")
    created = admin.post(
        "/states", json={"code": "BY", "name": "Republic of Belarus", "role": "co_aggressor_territory"}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    state = created.get_json()
    assert state["code"] == "BY" and state["version"] == 1
    items = api("viewer").get("/states").get_json()["items"]
    assert any(s["code"] == "BY" for s in items)
    assert_problem(admin.post("/states", json={"code": "BY", "name": "Belarus", "role": "other"}), 409)
    assert_problem(admin.post("/states", json={"code": "by", "name": "Belarus", "role": "other"}), 422)
    assert_problem(api("analyst").post("/states", json={"code": "UA", "name": "Ukraine", "role": "victim"}), 403)
    # a fresh instance takes an official in the State it recorded
    official = api("analyst").post("/officials", json={"name": "Viktar LUKASHENKA", "state": "BY"})
    assert official.status_code == 201, official.get_data(as_text=True)


def test_the_new_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/states"]) and "patch" in paths["/api/v1/states/{state_id}"]
    assert {"get", "post"} <= set(paths["/api/v1/import-rules"]) and {"get", "post"} <= set(
        paths["/api/v1/import-rules/document"]
    )
