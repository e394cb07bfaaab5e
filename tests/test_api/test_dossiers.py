"""API: dossiers, assessed as the caller may see them, and the prosecutors' case record."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from models import AggressionAct, Dossier, DossierStatusChange, Evidence, Official
from tests.test_api.conftest import assert_problem

DOSSIER_FIELDS = {
    "official_id",
    "status",
    "strength",
    "strength_explained",
    "elements",
    "leadership_clause",
    "modes",
    "mode_choice",
    "mode_choices",
    "gaps",
    "exculpatory",
    "withheld_count",
    "troika",
    "lead",
    "theory",
    "notes",
    "version",
}
ELEMENT_FIELDS = {"name", "law", "status", "reason", "review", "review_by", "facts", "exhibits", "contradicting"}
EXHIBIT_FIELDS = {
    "support_id",
    "evidence_id",
    "exhibit_no",
    "title",
    "grade",
    "stance",
    "target_type",
    "target_id",
    "pinpoint",
    "awaiting_confirmation",
}


@dataclass
class Case:
    official: Official
    public: Evidence
    secret: Evidence
    against: Evidence


def build_case(session: Any, make: Any, *, name: str = "Sergei Shoigu") -> Case:
    """A leadership tenure, a decision linked to an act, a signed involvement; evidence for
    each fact, one confidential exhibit, and one public exhibit against the decision."""
    official = make.official(name=name)
    tenure = make.tenure(official=official, position=make.position(tier="leadership"), start="2012-11-06")
    act = AggressionAct(title=f"Invasion {official.id}", start_date=dt.date(2022, 2, 24), start_date_precision="day")
    session.add(act)
    decision = make.decision(when="2022-02-21", acts=[act])
    involvement = make.involvement(official=official, decision=decision, role="signed")
    public = make.evidence(title="Decree text", reliability="A", credibility="1")
    secret = make.evidence(title="Intercepted order", classification="confidential")
    against = make.evidence(title="Denial by the ministry")
    make.support(evidence=public, involvement_id=involvement.id, pinpoint="p. 2")
    make.support(evidence=public, tenure_id=tenure.id)
    make.support(evidence=public, act_id=act.id)
    make.support(evidence=secret, involvement_id=involvement.id)
    make.support(evidence=against, decision_id=decision.id, stance="contradicts")
    return Case(official, public, secret, against)


@pytest.fixture
def case(session, make) -> Case:
    return build_case(session, make)


def test_a_dossier_has_exactly_the_contract_fields(api, case):
    response = api("viewer").get(f"/dossiers/{case.official.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == DOSSIER_FIELDS
    assert body["official_id"] == case.official.id and body["status"] == "candidate"
    assert body["version"] is None and body["lead"] is None
    assert 0 <= body["strength"] <= 100
    assert set(body["elements"]) == {"E1", "E2", "E3", "E4", "E5", "E6"}
    for element in body["elements"].values():
        assert set(element) == ELEMENT_FIELDS
        assert element["status"] in {"met", "partial", "gap", "inferred"}
    e1 = body["elements"]["E1"]
    assert e1["status"] == "met"
    assert {f["type"] for f in e1["facts"]} >= {"involvement"}
    assert set(e1["facts"][0]) == {"type", "id", "label", "certainty"}
    assert set(e1["exhibits"][0]) == EXHIBIT_FIELDS
    assert e1["exhibits"][0]["exhibit_no"] == case.public.exhibit_no and e1["exhibits"][0]["pinpoint"] == "p. 2"
    [exculpatory] = body["exculpatory"]
    assert set(exculpatory) == EXHIBIT_FIELDS | {"fact"}
    assert exculpatory["evidence_id"] == case.against.id and exculpatory["stance"] == "contradicts"
    assert exculpatory["target_type"] == "decision"
    for gap in body["gaps"]:
        assert set(gap) == {"target_type", "target_id", "text", "elements", "action"}


def test_each_element_carries_its_law_and_check_in_english_and_ukrainian(api, case):
    """Issue 20, item 7: the API speaks English, the law is given in every interface language."""
    body = api("viewer").get(f"/dossiers/{case.official.id}").get_json()
    for number, code in enumerate(("E1", "E2", "E3", "E4", "E5", "E6"), start=1):
        law = body["elements"][code]["law"]
        assert set(law) == {"en", "uk"} and set(law["en"]) == set(law["uk"]) == {"source", "text", "checks"}
        assert law["en"]["source"] == f"Elements of Crimes, Art. 8 bis, Element {number}"
        assert law["uk"]["source"] == f"Елементи злочинів, ст. 8 bis, елемент {number}"
        assert law["en"]["text"] != law["uk"]["text"] and law["en"]["checks"] != law["uk"]["checks"]
    assert body["elements"]["E5"]["law"]["en"]["text"].startswith("The act of aggression, by its character, gravity")
    clause = body["leadership_clause"]
    assert "Art. 25(3 bis)" in clause["en"]["source"] and "ст. 25(3 bis)" in clause["uk"]["source"]
    assert "effectively to exercise control over or to direct" in clause["en"]["text"]


def test_hidden_evidence_is_counted_never_described(api, case):
    public = api("viewer", "public").get(f"/dossiers/{case.official.id}")
    text = public.get_data(as_text=True)
    assert public.get_json()["withheld_count"] == 1
    assert case.secret.exhibit_no not in text and case.secret.title not in text
    cleared = api("viewer", "confidential").get(f"/dossiers/{case.official.id}").get_json()
    assert cleared["withheld_count"] == 0
    assert case.secret.exhibit_no in json.dumps(cleared)


def test_a_missing_or_deleted_official_has_no_dossier(api, case, session):
    client = api("viewer")
    assert_problem(client.get("/dossiers/999999"), 404, "not-found")
    assert_problem(client.get(f"/dossiers/{2**40}"), 404)
    case.official.soft_delete("duplicate")
    session.flush()
    assert_problem(client.get(f"/dossiers/{case.official.id}"), 404, "not-found")
    assert all(item["official_id"] != case.official.id for item in client.get("/dossiers").get_json()["items"])


def test_the_list_pages_by_cursor_and_filters_by_state_and_status(api, session, make):
    state = make.state(code="KP")
    officials = [make.official(state=state) for _ in range(3)]
    other = make.official()
    session.add(Dossier(official=officials[1], status="under_review"))
    session.flush()
    client = api("viewer")
    first = client.get("/dossiers?state=kp&limit=2").get_json()
    assert [d["official_id"] for d in first["items"]] == [o.id for o in officials[:2]]
    assert set(first["items"][0]) == DOSSIER_FIELDS and first["next_cursor"]
    rest = client.get(f"/dossiers?state=KP&limit=2&cursor={first['next_cursor']}").get_json()
    assert [d["official_id"] for d in rest["items"]] == [officials[2].id] and rest["next_cursor"] is None
    reviewed = client.get("/dossiers?status=under_review").get_json()["items"]
    assert [(d["official_id"], d["status"]) for d in reviewed] == [(officials[1].id, "under_review")]
    candidates = {d["official_id"] for d in client.get("/dossiers?status=candidate&limit=200").get_json()["items"]}
    assert {officials[0].id, officials[2].id, other.id} <= candidates and officials[1].id not in candidates


@pytest.mark.parametrize(
    "query", ["state=RUS", "status=open", "limit=0", "limit=100000000000000000000", "cursor=bm9wZQ", "limit=x"]
)
def test_bad_list_arguments_are_refused(api, query):
    response = api("viewer").get(f"/dossiers?{query}")
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_a_page_of_dossiers_costs_the_same_queries_for_1_or_30(api, session, make, count_queries):
    one_state, many_state = make.state(code="QA"), make.state(code="QB")
    build_case(session, make, name="Solo").official.state = one_state
    for n in range(30):
        build_case(session, make, name=f"Many {n}").official.state = many_state
    session.flush()
    client = api("viewer")
    client.get("/dossiers?state=QA")  # warm up
    with count_queries() as one:
        few = client.get("/dossiers?state=QA&limit=50").get_json()
    with count_queries() as thirty:
        many = client.get("/dossiers?state=QB&limit=50").get_json()
    assert len(few["items"]) == 1 and len(many["items"]) == 30
    assert one.count == thirty.count


# --- PATCH: the case record ---------------------------------------------------------------------


def changes(session, official: Official) -> list[DossierStatusChange]:
    return list(session.scalars(select(DossierStatusChange).join(Dossier).where(Dossier.official_id == official.id)))


def test_the_first_patch_opens_the_dossier_with_version_null(api, case, session, make_user):
    lead = make_user("prosecutor")
    client = api("prosecutor")
    response = client.patch(
        f"/dossiers/{case.official.id}",
        json={"version": None, "status": "under_review", "reason": "Decree signed", "lead": lead.id, "notes": "Read"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == DOSSIER_FIELDS
    assert body["status"] == "under_review" and body["lead"] == lead.id and body["notes"] == "Read"
    assert isinstance(body["version"], int)
    [change] = changes(session, case.official)
    assert (change.from_status, change.to_status, change.reason) == ("candidate", "under_review", "Decree signed")
    assert change.changed_by_id == client.user.id

    again = client.patch(f"/dossiers/{case.official.id}", json={"version": body["version"], "theory": "Planner"})
    assert again.status_code == 200
    assert again.get_json()["theory"] == "Planner" and again.get_json()["notes"] == "Read"
    assert again.get_json()["version"] > body["version"]
    assert client.get(f"/dossiers/{case.official.id}").get_json()["theory"] == "Planner"


def test_a_status_change_needs_a_reason_and_a_reason_a_status_change(api, case, session):
    client = api("prosecutor")
    url = f"/dossiers/{case.official.id}"
    for reason in ({}, {"reason": ""}, {"reason": "  "}):
        response = client.patch(url, json={"version": None, "status": "under_review", **reason})
        assert_problem(response, 422, "validation")
        assert "Give the reason for changing the status to under review." in response.get_data(as_text=True)
    alone = client.patch(url, json={"version": None, "reason": "Roll-call obtained"})
    assert_problem(alone, 422, "validation")
    assert "only with a change of status" in alone.get_data(as_text=True)
    assert changes(session, case.official) == []


def test_stale_versions_are_409_and_change_nothing(api, case, session):
    client = api("prosecutor")
    url = f"/dossiers/{case.official.id}"
    assert_problem(client.patch(url, json={"version": 1, "notes": "x"}), 409, "edit-conflict")
    assert session.scalar(select(func.count(Dossier.id)).where(Dossier.official_id == case.official.id)) == 0
    version = client.patch(url, json={"version": None, "notes": "first"}).get_json()["version"]
    assert_problem(client.patch(url, json={"version": None, "notes": "late"}), 409, "edit-conflict")
    assert_problem(client.patch(url, json={"version": version + 1, "status": "closed"}), 409, "edit-conflict")
    body = client.get(url).get_json()
    assert (body["notes"], body["status"], body["version"]) == ("first", "candidate", version)
    assert changes(session, case.official) == []


def test_a_transition_the_workflow_refuses_is_422_naming_status(api, case, session):
    client = api("prosecutor")
    url = f"/dossiers/{case.official.id}"
    body = assert_problem(
        client.patch(url, json={"version": None, "status": "recommended_for_indictment"}), 422, "validation"
    )
    assert body["errors"][0]["field"] == "status"
    assert client.get(url).get_json()["version"] is None
    version = client.patch(url, json={"version": None, "status": "closed", "reason": "No case"}).get_json()["version"]
    refused = assert_problem(client.patch(url, json={"version": version, "status": "deferred"}), 422)
    assert refused["errors"][0]["field"] == "status"
    reason = assert_problem(client.patch(url, json={"version": version, "reason": "why"}), 422)
    assert reason["errors"][0]["field"] == "reason"
    assert client.get(url).get_json()["status"] == "closed"


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_the_lead_must_be_a_prosecutor(api, case, make_user, role):
    other = make_user(role)
    body = assert_problem(
        api("prosecutor").patch(f"/dossiers/{case.official.id}", json={"version": None, "lead": other.id}), 422
    )
    assert body["errors"][0]["field"] == "lead"


def test_only_prosecutors_may_patch(api, case, session):
    for role in ("viewer", "analyst"):
        assert_problem(
            api(role).patch(f"/dossiers/{case.official.id}", json={"version": None, "notes": "x"}), 403, "forbidden"
        )
    assert session.scalar(select(func.count(Dossier.id))) == 0
    admin = api("admin").patch(f"/dossiers/{case.official.id}", json={"version": None, "notes": "x"})
    assert admin.status_code == 200


def test_patching_a_missing_official_is_404(api, case):
    assert_problem(api("prosecutor").patch("/dossiers/999999", json={"version": None}), 404, "not-found")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"notes": "no version"}, 422),
        ({"version": None, "colour": "red"}, 422),
        ({"version": "1"}, 422),
        ({"version": 2**40}, 422),
        ({"version": None, "lead": 2**40}, 422),
        ({"version": None, "lead": "7"}, 422),
        ({"version": None, "notes": "nul\x00byte"}, 422),
        ({"version": None, "theory": "x" * 20_001}, 422),
        ({"version": None, "status": "convicted"}, 422),
        ([1, 2], 422),
    ],
)
def test_bad_bodies_are_refused_and_write_nothing(api, case, session, body, status):
    response = api("prosecutor").patch(f"/dossiers/{case.official.id}", json=body)
    assert_problem(response, status)
    assert session.scalar(select(func.count(Dossier.id))) == 0


def test_malformed_json_and_wrong_content_type(api, case, session):
    client = api("prosecutor")
    url = f"/dossiers/{case.official.id}"
    assert_problem(client.patch(url, data="{not json", content_type="application/json"), 400)
    assert_problem(client.patch(url, data='{"version": null}', content_type="text/plain"), 415)
    assert session.scalar(select(func.count(Dossier.id))) == 0
