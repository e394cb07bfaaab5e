"""The review queue and the import rules in the interface: who may judge and edit, what a
judgement does, the score in words, the rule form's validation and lost-update refusal."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from models import Decision, ExternalIdentifier, ImportRule, MatchReview, Official, Position
from services.imports.runs import run_import
from tests.test_services.test_review import LAVROV_ROW, eu_file


@pytest.fixture
def review(session, demo) -> MatchReview:
    report = run_import(session, "eu-csv", io.BytesIO(eu_file(LAVROV_ROW)), user=None, file_name="eu.csv")
    assert report.counts["queued"] == 1, report.rows
    return session.scalars(select(MatchReview).where(MatchReview.status == "pending")).one()


def has_identifier(session, official_id: int, value: str) -> bool:
    return bool(
        session.scalar(
            select(func.count(ExternalIdentifier.id)).where(
                ExternalIdentifier.official_id == official_id, ExternalIdentifier.value == value
            )
        )
    )


# --- the review queue ---------------------------------------------------------------------


def test_the_queue_explains_the_score_in_words(client, login, review):
    login("analyst")
    page = client.get("/imports/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sergey LAVROV" in html and "eu_269_2014 99001, line 2" in html
    assert f'href="/officials/{review.official_id}"' in html and "Sergei Lavrov" in html
    assert "Born on the same day: 1950-03-21." in html
    assert re.search(r"“Sergey LAVROV” and “[^”]+”: \d+% alike", html)
    assert "Same State." in html and "Same gender." in html
    assert f'action="/imports/review/{review.id}/confirm"' in html
    assert f'action="/imports/review/{review.id}/reject"' in html


def test_the_queue_is_empty_without_reviews(client, login, demo):
    login("analyst")
    assert "No matches are waiting for review." in client.get("/imports/review").get_data(as_text=True)


def test_the_queue_loads_in_a_fixed_number_of_queries(client, login, review, session, count_queries):
    login("analyst")
    with count_queries() as one:
        assert client.get("/imports/review").status_code == 200
    for source_id in ("99002", "99003"):
        session.add(
            MatchReview(
                scheme="eu_269_2014",
                source_id=source_id,
                person_name="X",
                person={**review.person, "line": 3},
                official_id=session.scalar(select(Official.id).where(Official.id != review.official_id).limit(1)),
                score=0.8,
                explanation=review.explanation,
                status="pending",
            )
        )
    session.flush()
    with count_queries() as three:
        assert client.get("/imports/review").status_code == 200
    assert three.count == one.count


def test_confirm_merges_and_redirects(client, login, review, session):
    user = login("analyst")
    response = client.post(f"/imports/review/{review.id}/confirm")
    assert response.status_code == 302 and response.headers["Location"].endswith("/imports/review")
    session.refresh(review)
    assert review.status == "confirmed" and review.decided_by_id == user.id
    assert has_identifier(session, review.official_id, "99001")
    assert "confirmed as Sergei Lavrov" in client.get("/imports/review").get_data(as_text=True)
    # judged once: the second judgement is refused
    again = client.post(f"/imports/review/{review.id}/reject")
    assert again.status_code == 409 and "already judged" in again.get_data(as_text=True)


def test_reject_creates_a_new_official(client, login, review, session):
    login("analyst")
    officials = session.scalar(select(func.count(Official.id)))
    response = client.post(f"/imports/review/{review.id}/reject")
    assert response.status_code == 302
    session.refresh(review)
    assert review.status == "rejected"
    assert session.scalar(select(func.count(Official.id))) == officials + 1
    assert not has_identifier(session, review.official_id, "99001")
    assert "added as a new official" in client.get("/imports/review").get_data(as_text=True)


def test_viewer_may_not_see_or_judge_the_queue(client, login, review, session):
    login("viewer")
    assert client.get("/imports/review").status_code == 403
    assert client.post(f"/imports/review/{review.id}/confirm").status_code == 403
    assert client.post(f"/imports/review/{review.id}/reject").status_code == 403
    session.refresh(review)
    assert review.status == "pending"


def test_an_unknown_review_is_404(client, login, demo):
    login("analyst")
    assert client.post("/imports/review/999999/confirm").status_code == 404


def test_judging_needs_the_csrf_token(app, client, login, review, session, monkeypatch):
    login("analyst")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    html = client.get("/imports/review").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert len(tokens) == 3  # accept the certain matches, confirm, reject
    assert client.post(f"/imports/review/{review.id}/confirm").status_code == 400
    session.refresh(review)
    assert review.status == "pending"
    assert client.post(f"/imports/review/{review.id}/confirm", data={"csrf_token": tokens[0]}).status_code == 302


def test_certain_matches_are_accepted_in_bulk_then_one_is_undone(client, login, review, session):
    user = login("analyst")
    html = client.get("/imports/review").get_data(as_text=True)
    assert "Accept every certain match (1)" in html and '<strong class="certain">certain</strong>' in html
    assert client.post("/imports/review/accept-certain").status_code == 302
    session.refresh(review)
    assert (review.status, review.automatic, review.decided_by_id) == ("confirmed", True, user.id)
    assert has_identifier(session, review.official_id, "99001")

    judged = client.get("/imports/review/judged").get_data(as_text=True)
    assert "accepted as certain" in judged and f'action="/imports/review/{review.id}/undo"' in judged
    undone = client.post(f"/imports/review/{review.id}/undo")
    assert undone.status_code == 302
    session.refresh(review)
    assert review.status == "undone" and review.undone_by_id == user.id
    assert not has_identifier(session, review.official_id, "99001")
    own = int(undone.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert own != review.official_id and has_identifier(session, own, "99001")
    again = client.post(f"/imports/review/{review.id}/undo")
    assert again.status_code == 409 and "nothing to undo" in again.get_data(as_text=True)


def test_viewers_cannot_accept_nor_undo(client, login, review, session):
    login("viewer")
    assert client.post("/imports/review/accept-certain").status_code == 403
    assert client.post(f"/imports/review/{review.id}/undo").status_code == 403
    assert client.get("/imports/review/judged").status_code == 403
    session.refresh(review)
    assert review.status == "pending"


# --- import rules -------------------------------------------------------------------------


def ids(session) -> tuple[int, int]:
    decision = session.scalar(select(Decision.id).where(Decision.deleted_at.is_(None)).order_by(Decision.id))
    position = session.scalar(select(Position.id).order_by(Position.id))
    return decision, position


def test_the_rules_of_the_demo_are_listed_for_viewers(client, login, demo, session):
    login("viewer")
    page = client.get("/imports/rules")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "58243-8" in html
    duma = session.scalars(select(ImportRule).where(ImportRule.pattern == "58243-8")).one()
    assert f'href="/decisions/{duma.decision_id}"' in html
    assert "/imports/rules/new" not in html and "/edit" not in html
    assert client.get("/imports/rules/new").status_code == 403
    assert client.get(f"/imports/rules/{duma.id}/edit").status_code == 403
    assert client.post("/imports/rules/new", data={"kind": "involvement"}).status_code == 403


def test_an_analyst_adds_an_involvement_rule(client, login, demo, session):
    login("analyst")
    form = client.get("/imports/rules/new")
    assert form.status_code == 200 and 'name="csrf_token"' in form.get_data(as_text=True)
    decision, _position = ids(session)
    data = {
        "kind": "involvement",
        "pattern": "  voted for the law  ",
        "decision_id": decision,
        "role": "voted_for",
        "active": "y",
        "note": "test",
    }
    response = client.post("/imports/rules/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    rule = session.scalars(select(ImportRule).where(ImportRule.pattern == "voted for the law")).one()
    assert (rule.kind, rule.decision_id, rule.role, rule.position_id, rule.active) == (
        "involvement",
        decision,
        "voted_for",
        None,
        True,
    )


def test_an_analyst_adds_a_position_rule(client, login, demo, session):
    login("analyst")
    _decision, position = ids(session)
    response = client.post(
        "/imports/rules/new", data={"kind": "position", "pattern": "Head of the thing", "position_id": position}
    )
    assert response.status_code == 302
    rule = session.scalars(select(ImportRule).where(ImportRule.pattern == "Head of the thing")).one()
    assert (rule.position_id, rule.decision_id, rule.role, rule.active) == (position, None, None, False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "involvement", "pattern": "abc", "role": "voted_for", "decision": True}, "At least 4 characters"),
        ({"kind": "involvement", "pattern": "long enough", "role": "voted_for"}, "Choose the decision"),
        ({"kind": "involvement", "pattern": "long enough", "decision": True}, "Choose the role"),
        (
            {"kind": "involvement", "pattern": "long enough", "role": "voted_for", "decision": True, "position": True},
            "An involvement rule names no position",
        ),
        ({"kind": "position", "pattern": "long enough"}, "Choose the position"),
        (
            {"kind": "position", "pattern": "long enough", "position": True, "decision": True},
            "A position rule names no decision",
        ),
        (
            {"kind": "position", "pattern": "long enough", "position": True, "role": "voted_for"},
            "A position rule names no role",
        ),
        ({"kind": "other", "pattern": "long enough"}, "Not a valid choice"),
    ],
)
def test_rule_targets_must_match_the_kind(client, login, demo, session, data, message):
    login("analyst")
    decision, position = ids(session)
    form = {k: v for k, v in data.items() if k not in ("decision", "position")}
    if data.get("decision"):
        form["decision_id"] = decision
    if data.get("position"):
        form["position_id"] = position
    rules = session.scalar(select(func.count(ImportRule.id)))
    response = client.post("/imports/rules/new", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count(ImportRule.id))) == rules


def test_editing_a_rule_deactivates_it_and_refuses_a_stale_version(client, login, demo, session):
    login("analyst")
    rule = session.scalars(select(ImportRule).where(ImportRule.pattern == "58243-8")).one()
    page = client.get(f"/imports/rules/{rule.id}/edit").get_data(as_text=True)
    assert 'value="58243-8"' in page and f'name="version" type="hidden" value="{rule.version}"' in page
    stale = rule.version
    data = {
        "kind": "involvement",
        "pattern": "58243-8",
        "decision_id": rule.decision_id,
        "role": "voted_for",
        "version": stale,
        "note": "off for now",
    }
    assert client.post(f"/imports/rules/{rule.id}/edit", data=data).status_code == 302
    session.refresh(rule)
    assert rule.active is False and rule.note == "off for now" and rule.version == stale + 1
    conflict = client.post(f"/imports/rules/{rule.id}/edit", data={**data, "active": "y"})
    assert conflict.status_code == 409 and "Someone else changed this rule" in conflict.get_data(as_text=True)
    session.refresh(rule)
    assert rule.active is False


def test_an_unknown_rule_is_404(client, login, demo):
    login("analyst")
    assert client.get("/imports/rules/999999/edit").status_code == 404
