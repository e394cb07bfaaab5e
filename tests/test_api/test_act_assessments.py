"""API: the character, gravity and scale of acts (element E5), and evidence linked to them."""

from __future__ import annotations

from models import ActAssessment
from tests.test_api.conftest import assert_problem


def test_an_analyst_records_reads_lists_and_changes_an_assessment(api, make, session):
    act = make.act()
    client = api("analyst")
    created = client.post("/act-assessments", json={"act_id": act.id, "aspect": "scale", "finding": "Four regions"})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body == {"id": body["id"], "act_id": act.id, "aspect": "scale", "finding": "Four regions", "version": 1}
    assert client.get(f"/act-assessments/{body['id']}").get_json() == body
    assert [x["id"] for x in client.get(f"/act-assessments?act_id={act.id}").get_json()["items"]] == [body["id"]]
    assert client.get(f"/act-assessments?act_id={act.id}&aspect=gravity").get_json()["items"] == []
    assert client.get(f"/acts/{act.id}").get_json()["assessments"] == [
        {"id": body["id"], "aspect": "scale", "finding": "Four regions"}
    ]
    changed = client.patch(f"/act-assessments/{body['id']}", json={"finding": "Four regions, in full", "version": 1})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    assert_problem(client.patch(f"/act-assessments/{body['id']}", json={"finding": "x", "version": 1}), 409)


def test_bad_assessments_are_refused(api, make, session):
    act = make.act()
    client = api("analyst")
    session.add(ActAssessment(act=act, aspect="gravity", finding="Strikes"))
    session.flush()
    twin = client.post("/act-assessments", json={"act_id": act.id, "aspect": "gravity", "finding": "Again"})
    assert_problem(twin, 409)
    for body, field in (
        ({"act_id": act.id, "aspect": "legality", "finding": "x"}, "aspect"),
        ({"act_id": act.id, "aspect": "scale", "finding": "  "}, "finding"),
        ({"act_id": 999_999, "aspect": "scale", "finding": "x"}, "act_id"),
    ):
        problem = assert_problem(client.post("/act-assessments", json=body), 422)
        assert field in {e["field"] for e in problem["errors"]}
    assert_problem(
        api("viewer").post("/act-assessments", json={"act_id": act.id, "aspect": "scale", "finding": "x"}), 403
    )


def test_a_support_bears_on_an_assessment_and_the_dossier_reads_it(api, make, session):
    state = make.state()
    official = make.official(state=state)
    tenure = make.tenure(official=official, position=make.position(institution=make.institution(state=state)))
    act = make.act(states=[state])
    involvement = make.involvement(official=official, decision=make.decision(acts=[act]))
    strong = make.evidence(reliability="A", credibility="1")
    for target in ({"tenure": tenure}, {"involvement": involvement}, {"act": act}):
        make.support(evidence=strong, **target)
    client = api("analyst")
    for aspect in ("character", "gravity", "scale"):
        made = client.post("/act-assessments", json={"act_id": act.id, "aspect": aspect, "finding": aspect}).get_json()
        link = {
            "evidence_id": strong.id,
            "target_type": "act_assessment",
            "target_id": made["id"],
            "stance": "supports",
        }
        assert client.post("/supports", json=link).status_code == 201
    dossier = client.get(f"/dossiers/{official.id}").get_json()
    assert dossier["elements"]["E5"]["status"] == "met" and dossier["elements"]["E6"]["status"] == "inferred"
    facts = dossier["elements"]["E5"]["facts"]
    assert [f["type"] for f in facts] == ["act_assessment"] * 3
    missing = {"evidence_id": strong.id, "target_type": "act_assessment", "target_id": 999_999, "stance": "supports"}
    assert_problem(client.post("/supports", json=missing), 422)
