"""The character, gravity and scale of an act (element E5): recorded on the act's page, each
with its own evidence, and reached from a dossier's gaps."""

from __future__ import annotations

from sqlalchemy import select

from models import ActAssessment, AuditEvent
from services.dossiers import summaries as dossier_summaries


def test_an_analyst_records_and_changes_an_aspect_and_the_act_page_shows_it(client, login, make, session):
    act = make.act(title="Invasion")
    login("analyst")
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "Character, gravity and scale" in page and page.count("not recorded") == 3
    form = client.get(f"/acts/{act.id}/assessments/gravity").get_data(as_text=True)
    assert "How serious it is" in form
    assert client.post(f"/acts/{act.id}/assessments/gravity", data={"finding": "  "}).status_code == 400
    response = client.post(f"/acts/{act.id}/assessments/gravity", data={"finding": "Missile strikes on cities"})
    assert response.status_code == 302
    (gravity,) = session.scalars(select(ActAssessment).where(ActAssessment.act_id == act.id)).all()
    assert (gravity.aspect, gravity.finding, gravity.version) == ("gravity", "Missile strikes on cities", 1)
    make.support(act_assessment=gravity, evidence=make.evidence(exhibit_no="P-0777"))
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "Missile strikes on cities" in page and "P-0777" in page and page.count("not recorded") == 2
    stale = {"finding": "Strikes on cities and infrastructure", "version": "1"}
    assert client.post(f"/acts/{act.id}/assessments/gravity", data=stale).status_code == 302
    assert client.post(f"/acts/{act.id}/assessments/gravity", data=stale).status_code == 409
    events = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "act_assessment", AuditEvent.entity_id == gravity.id)
        .order_by(AuditEvent.id)  # in the trail's order: PostgreSQL returns an unordered select as it likes
    ).all()
    assert events == ["create", "update"]


def test_only_analysts_write_and_only_three_aspects_exist(client, login, make):
    act = make.act()
    login("viewer")
    assert client.get(f"/acts/{act.id}/assessments/scale").status_code == 403
    login("analyst")
    assert client.get(f"/acts/{act.id}/assessments/legality").status_code == 404
    assert client.get("/acts/999999/assessments/scale").status_code == 404


def test_a_dossier_gap_opens_the_form_of_the_missing_aspect_and_evidence_fills_it(client, login, make, session):
    state = make.state()
    official = make.official(state=state)
    act = make.act(states=[state])
    make.involvement(official=official, decision=make.decision(acts=[act]))
    login("analyst")
    html = client.get(f"/dossiers/{official.id}").get_data(as_text=True).replace("&amp;", "&")
    for aspect in ("character", "gravity", "scale"):
        assert f"/acts/{act.id}/assessments/{aspect}" in html
        assert f"Record the {aspect} of aggression act {act.title}" in html
    client.post(f"/acts/{act.id}/assessments/scale", data={"finding": "Four regions"})
    scale = session.scalars(select(ActAssessment).where(ActAssessment.act_id == act.id)).one()
    html = client.get(f"/dossiers/{official.id}").get_data(as_text=True).replace("&amp;", "&").replace("%3A", ":")
    link = f"/dossiers/{official.id}/link-evidence?target=act_assessment:{scale.id}"
    assert link in html and f"Scale of {act.title} has no supporting evidence" in html
    evidence = make.evidence(reliability="A")
    assert client.post(link, data={"exhibit_no": evidence.exhibit_no, "stance": "supports"}).status_code == 302
    assert [s.evidence_id for s in scale.supports] == [evidence.id]
    assert f"Scale of {act.title} has no supporting evidence" not in client.get(f"/dossiers/{official.id}").get_data(
        as_text=True
    )
    assert dossier_summaries.stale_ids(session) == []


def test_evidence_links_to_an_aspect_from_the_exhibit_page(client, login, make, session):
    act = make.act(title="Deployment")
    character = ActAssessment(act=act, aspect="character", finding="Troops sent to fight")
    session.add(character)
    evidence = make.evidence()
    session.flush()
    login("analyst")
    form = client.get(f"/evidence/{evidence.id}/supports/new").get_data(as_text=True)
    assert "Character of Deployment" in form
    data = {"target_type": "act_assessment", "act_assessment_id": str(character.id), "stance": "contradicts"}
    assert client.post(f"/evidence/{evidence.id}/supports/new", data=data).status_code == 302
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "Deployment" in page
