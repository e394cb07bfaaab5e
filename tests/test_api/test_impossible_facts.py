"""Facts that cannot be (issue 20): no fact is dated after today, whatever the way in -- the
HTML forms, the API, the importers (tests/test_services/test_import_*.py) and, behind them
all, every ORM flush."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Decision, Tenure
from models.partial_date import utc_today
from services.facts.dates import FutureDateError
from tests.test_api.conftest import assert_problem

MESSAGE = "No fact can be dated after today"


def _later(days: int = 1) -> dt.date:
    return utc_today() + dt.timedelta(days=days)


@pytest.mark.parametrize(
    "value", [lambda: str(_later().year + 1), lambda: f"{_later(40):%Y-%m}", lambda: _later().isoformat()]
)
def test_the_decision_form_refuses_a_date_after_today(client, login, make, session, value):
    login("analyst")
    institution = make.institution()
    data = {"title": "Future order", "kind": "military", "date": value(), "institution_id": str(institution.id)}
    response = client.post("/decisions/new", data={**data, "version": ""})
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert session.query(Decision).filter_by(title="Future order").count() == 0
    today = {**data, "date": utc_today().isoformat(), "version": ""}
    assert client.post("/decisions/new", data=today).status_code == 302


def test_the_year_under_way_is_not_after_today(client, login, make, session):
    login("analyst")
    institution = make.institution()
    data = {"title": "This year", "kind": "military", "date": str(utc_today().year), "version": ""}
    assert client.post("/decisions/new", data={**data, "institution_id": str(institution.id)}).status_code == 302


def test_the_tenure_act_official_and_evidence_forms_refuse_it_too(client, login, make, session):
    login("analyst")
    official, position = make.official(), make.position()
    state = make.state()
    later = _later().isoformat()
    posts = {
        f"/officials/{official.id}/tenures/new": {"position_id": str(position.id), "start": "2020", "end": later},
        "/acts/new": {"title": "Future act", "categories": ["a"], "state_ids": [str(state.id)], "start": later},
        "/officials/new": {"name": "Not born yet", "state_id": str(state.id), "birth_date": later},
        "/evidence/new": {
            "title": "Future exhibit",
            "kind": "document",
            "source": "Test",
            "collected_on": later,
            "classification": "public",
            "reliability": "B",
            "credibility": "2",
        },
    }
    for url, data in posts.items():
        response = client.post(url, data={**data, "version": ""})
        assert response.status_code == 400, url
        assert MESSAGE in response.get_data(as_text=True), url


def test_the_api_refuses_a_date_after_today_naming_the_field(api, make, session):
    client = api("analyst")
    later = _later().isoformat()
    institution, official, position = make.institution(), make.official(), make.position()
    bodies = {
        "/decisions": ({"title": "F", "kind": "military", "date": later, "institution_id": institution.id}, "date"),
        "/tenures": (
            {"official_id": official.id, "position_id": position.id, "start_date": "2020-01-01", "end_date": later},
            "end_date",
        ),
        "/acts": (
            {"title": "F", "categories": ["a"], "states": [official.state.code], "start_date": later},
            "start_date",
        ),
        "/officials": ({"name": "F", "state": official.state.code, "birth_date": later}, "birth_date"),
        "/evidence": ({"title": "F", "source": "S", "collected_on": later}, "collected_on"),
    }
    for path, (body, field) in bodies.items():
        problem = assert_problem(client.post(path, json=body), 422, "validation")
        errors = {e["field"]: e for e in problem["errors"]}
        assert field in errors, (path, problem)
        assert MESSAGE in str(errors[field]), (path, problem)


def test_no_flush_writes_a_future_fact(session, make):
    tenure = make.tenure(start="2020-01-01")
    tenure.end_date = _later(400)
    with pytest.raises(FutureDateError, match="Tenure end_date"):
        session.flush()
    session.rollback()
    decision = make.decision()
    decision.date = _later()
    with pytest.raises(FutureDateError, match="after today"):
        session.flush()
    session.rollback()
    assert session.query(Tenure).filter(Tenure.end_date > utc_today()).count() == 0
