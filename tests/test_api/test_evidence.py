"""The evidence resource: the contract's fields, exhibit numbers, clearance (hidden = missing,
nothing classified above one's own clearance), versions, soft delete and refused input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import Evidence, EvidenceFile
from services.evidence import numbers as exhibit_numbers
from tests.test_api.conftest import assert_problem

FIELDS = {
    "id",
    "exhibit_no",
    "title",
    "kind",
    "source",
    "classification",
    "reliability",
    "credibility",
    "originator",
    "originator_consent_required",
    "files",
    "version",
}
NEW = {"title": "Minutes of the Security Council, 21 February 2022", "source": "kremlin.ru, transcript"}


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Evidence)) or 0


def reloaded(session, evidence: Evidence) -> Evidence:
    session.expire_all()
    return session.get(Evidence, evidence.id)


# --- create and read --------------------------------------------------------------------------


def test_create_returns_exactly_the_contract_fields_and_issues_the_next_number(api, make, session):
    make.evidence(exhibit_no="P-0041")
    exhibit_numbers.catch_up(session)
    client = api("analyst")
    response = client.post("/evidence", json=NEW)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS
    assert re.fullmatch(r"P-\d{4,}", body["exhibit_no"]) and int(body["exhibit_no"][2:]) >= 42
    assert (body["kind"], body["classification"], body["reliability"], body["credibility"]) == (
        "document",
        "public",
        "F",
        "6",
    )
    assert body["files"] == [] and body["version"] == 1
    again = client.get(f"/evidence/{body['id']}")
    assert again.status_code == 200 and again.get_json() == body


def test_create_with_every_field_stores_the_load_only_ones(api, session):
    sent = {
        **NEW,
        "kind": "official_statement",
        "classification": "restricted",
        "reliability": "A",
        "credibility": "1",
        "summary": "Each member states his support for recognition.",
        "provenance": "Archived copy",
        "url": "https://web.archive.org/web/2022/http://kremlin.ru/events/president/news/67825",
        "collected_by": "Analyst One",
        "collected_on": "2022-03-01",
        "collection_method": "Wayback Machine capture",
        "language": "ru",
    }
    response = api("analyst", "restricted").post("/evidence", json=sent)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS  # the load-only fields are not returned
    assert body["classification"] == "restricted"
    stored = session.get(Evidence, body["id"])
    assert (stored.summary, stored.collected_on.isoformat(), stored.language, stored.url) == (
        sent["summary"],
        "2022-03-01",
        "ru",
        sent["url"],
    )


def test_a_client_cannot_choose_the_exhibit_number(api, make, session):
    """The server issues numbers: a chosen one is refused alike whether it is free or held by a
    visible, hidden or deleted exhibit (refusing only a taken one told who chose it that a
    hidden exhibit holds it)."""
    make.evidence(exhibit_no="P-0006")
    make.evidence(exhibit_no="P-0007", classification="strictly_confidential")
    make.evidence(exhibit_no="P-0008").soft_delete("withdrawn")
    session.flush()
    before = count(session)
    client = api("analyst")
    answers = []
    for number in ("P-0005", "P-0006", "P-0007", "P-0008"):
        body = assert_problem(client.post("/evidence", json={**NEW, "exhibit_no": number}), 422, "validation")
        assert body["errors"][0]["field"] == "exhibit_no"
        answers.append(body)
    assert all(answer == answers[0] for answer in answers)
    assert count(session) == before


def test_a_classification_above_ones_clearance_is_refused(api, session):
    before = count(session)
    response = api("analyst", "restricted").post("/evidence", json={**NEW, "classification": "confidential"})
    body = assert_problem(response, 422, "validation")
    assert body["errors"][0]["field"] == "classification"
    assert count(session) == before


@pytest.mark.parametrize("state", ["hidden", "missing", "deleted"])
def test_hidden_missing_and_deleted_evidence_is_not_found(api, make, session, state):
    evidence = make.evidence(classification="confidential" if state == "hidden" else "public")
    if state == "deleted":
        evidence.soft_delete("duplicate")
        session.flush()
    evidence_id = evidence.id + 1000 if state == "missing" else evidence.id
    client = api("admin", "restricted")
    version = evidence.version
    assert_problem(client.get(f"/evidence/{evidence_id}"), 404, "not-found")
    assert_problem(client.patch(f"/evidence/{evidence_id}", json={"title": "x", "version": version}), 404)
    assert_problem(client.delete(f"/evidence/{evidence_id}"), 404)
    assert reloaded(session, evidence).title == evidence.title


# --- lists ------------------------------------------------------------------------------------


def test_the_list_leaves_out_what_the_clearance_hides_and_filters(api, make):
    public = make.evidence(kind="image")
    restricted = make.evidence(kind="document", classification="restricted")
    make.evidence(classification="confidential")
    make.evidence().soft_delete("gone")
    client = api("viewer", "restricted")

    def ids(query: str = "") -> list[int]:
        response = client.get(f"/evidence{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        items = response.get_json()["items"]
        assert all(set(item) == FIELDS for item in items)
        return [item["id"] for item in items]

    assert ids() == [public.id, restricted.id]
    assert ids("?kind=image") == [public.id]
    assert ids("?classification=restricted") == [restricted.id]
    assert ids("?classification=confidential") == []  # as if none existed
    assert ids(f"?exhibit_no={restricted.exhibit_no}") == [restricted.id]
    assert_problem(client.get("/evidence?kind=rumour"), 422, "validation")


def test_the_list_pages_by_cursor(api, make):
    made = [make.evidence() for _ in range(5)]
    client = api("viewer")
    first = client.get("/evidence?limit=3").get_json()
    assert [i["id"] for i in first["items"]] == [e.id for e in made[:3]]
    second = client.get(f"/evidence?limit=3&cursor={first['next_cursor']}").get_json()
    assert [i["id"] for i in second["items"]] == [e.id for e in made[3:]]
    assert second["next_cursor"] is None


def test_a_page_costs_the_same_queries_for_1_and_for_30_exhibits(api, make, session, count_queries):
    client = api("viewer")

    def queries_for_a_page() -> int:
        with count_queries() as counter:
            assert client.get("/evidence?limit=100").status_code == 200
        return counter.count

    first = make.evidence()
    session.add(EvidenceFile(evidence=first, sha256="a" * 64, size=1, media_type="text/plain"))
    session.flush()
    client.get("/evidence")  # the token's first use is recorded once: keep it out of the count
    one = queries_for_a_page()
    for n in range(29):
        evidence = make.evidence()
        session.add(EvidenceFile(evidence=evidence, sha256=f"{n:064x}", size=1, media_type="text/plain"))
    session.flush()
    assert len(client.get("/evidence?limit=100").get_json()["items"]) == 30
    assert queries_for_a_page() == one


# --- update and delete ------------------------------------------------------------------------


def test_an_update_changes_the_fields_sent_and_bumps_the_version(api, make, session):
    evidence = make.evidence(title="Old title", reliability="B", summary="Kept")
    response = api("analyst").patch(
        f"/evidence/{evidence.id}", json={"title": "New title", "credibility": "3", "version": 1}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == FIELDS
    assert (body["title"], body["reliability"], body["credibility"], body["version"]) == ("New title", "B", "3", 2)
    stored = reloaded(session, evidence)
    assert (stored.title, stored.summary, stored.exhibit_no) == ("New title", "Kept", evidence.exhibit_no)


def test_a_stale_version_is_refused_and_nothing_changes(api, make, session):
    evidence = make.evidence(title="Original")
    client = api("analyst")
    assert client.patch(f"/evidence/{evidence.id}", json={"title": "First", "version": 1}).status_code == 200
    response = client.patch(f"/evidence/{evidence.id}", json={"title": "Second", "version": 1})
    assert_problem(response, 409, "edit-conflict")
    stored = reloaded(session, evidence)
    assert (stored.title, stored.version) == ("First", 2)


def test_an_update_cannot_raise_the_classification_above_clearance_nor_renumber(api, make, session):
    evidence = make.evidence(classification="restricted")
    client = api("analyst", "restricted")
    body = assert_problem(
        client.patch(f"/evidence/{evidence.id}", json={"classification": "confidential", "version": 1}), 422
    )
    assert body["errors"][0]["field"] == "classification"
    body = assert_problem(client.patch(f"/evidence/{evidence.id}", json={"exhibit_no": "P-9", "version": 1}), 422)
    assert body["errors"][0]["field"] == "exhibit_no"
    stored = reloaded(session, evidence)
    assert (stored.classification, stored.exhibit_no, stored.version) == ("restricted", evidence.exhibit_no, 1)
    lowered = client.patch(f"/evidence/{evidence.id}", json={"classification": "public", "version": 1})
    assert lowered.status_code == 200 and lowered.get_json()["classification"] == "public"


def test_delete_is_soft_and_keeps_the_reason(api, make, session):
    evidence = make.evidence()
    client = api("analyst")
    response = client.delete(f"/evidence/{evidence.id}?reason=Entered twice")
    assert response.status_code == 204 and response.data == b""
    stored = reloaded(session, evidence)
    assert stored.deleted_at is not None and stored.deletion_reason == "Entered twice"
    assert_problem(client.get(f"/evidence/{evidence.id}"), 404)
    assert client.get("/evidence").get_json()["items"] == []


# --- roles ------------------------------------------------------------------------------------


def test_a_viewer_reads_but_cannot_write(api, make, session):
    evidence = make.evidence(title="Unchanged")
    client = api("viewer", "strictly_confidential")
    before = count(session)
    assert client.get(f"/evidence/{evidence.id}").status_code == 200
    assert_problem(client.post("/evidence", json=NEW), 403, "forbidden")
    # the role is checked before the body: even a malformed one gets 403
    assert_problem(client.post("/evidence", data="{", content_type="application/json"), 403)
    assert_problem(client.patch(f"/evidence/{evidence.id}", json={"title": "x", "version": 1}), 403)
    assert_problem(client.delete(f"/evidence/{evidence.id}"), 403)
    stored = reloaded(session, evidence)
    assert (stored.title, stored.deleted_at, count(session)) == ("Unchanged", None, before)


def test_without_a_token_nothing_is_answered(client, make):
    evidence = make.evidence()
    assert_problem(client.get(f"/api/v1/evidence/{evidence.id}"), 401, "unauthenticated")


# --- refused input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "colour": "red"}, "colour"),
        ({**NEW, "id": 5}, "id"),
        ({**NEW, "files": []}, "files"),
        ({**NEW, "title": 12}, "title"),
        ({**NEW, "title": "a\x00b"}, "title"),
        ({**NEW, "title": "   "}, "title"),
        ({**NEW, "title": "x" * 301}, "title"),
        ({**NEW, "kind": "rumour"}, "kind"),
        ({**NEW, "reliability": "G"}, "reliability"),
        ({**NEW, "url": "javascript:alert(1)"}, "url"),
        ({**NEW, "language": "not a tag"}, "language"),
        ({**NEW, "collected_on": "2022-02-30"}, "collected_on"),
        ({"title": "No source"}, "source"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(api, session, body, field):
    before = count(session)
    problem = assert_problem(api("analyst").post("/evidence", json=body), 422, "validation")
    assert field in {e["field"] for e in problem["errors"]}
    assert count(session) == before


def test_huge_numbers_malformed_json_and_other_media_types_are_refused(api, make, session):
    evidence = make.evidence(title="Unchanged")
    client = api("analyst")
    before = count(session)
    huge = client.patch(f"/evidence/{evidence.id}", json={"title": "x", "version": 2**64})
    assert assert_problem(huge, 422)["errors"][0]["field"] == "version"
    assert_problem(client.get(f"/evidence/{2**40}"), 404)
    assert_problem(client.post("/evidence", data='{"title": ', content_type="application/json"), 400)
    assert_problem(client.post("/evidence", data="title=x&source=y"), 415, "unsupported-media-type")
    assert_problem(client.post("/evidence", data="title", content_type="text/plain"), 415)
    assert reloaded(session, evidence).title == "Unchanged" and count(session) == before
