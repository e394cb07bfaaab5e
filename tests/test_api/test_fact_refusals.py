"""The API answers the facts services' refusals (services/facts/) as problems: text the
forms refuse it refuses too, and a duplicate saved by a concurrent request is 409."""

from __future__ import annotations

import datetime as dt

import pytest

from models import AggressionAct, Institution, Position
from tests.races import saved_meanwhile
from tests.test_api.conftest import assert_problem


@pytest.fixture
def facts(make):
    state = make.state(code="RU", name="Russian Federation")
    institution = make.institution(state=state, name="Ministry of Defence")
    position = make.position(institution=institution, title="Minister of Defence")
    return {"state": state, "institution": institution, "position": position, "official": make.official(state=state)}


def bodies(facts):
    """(resource, body, the field the text goes into), as tests/test_views/test_fact_refusals.py."""
    institution = {"state": "RU", "name": "Security Council", "kind": "ministry"}
    act = {"title": "Blockade", "categories": ["c"], "states": ["RU"], "start_date": "2022-02-01"}
    tenure = {"official_id": facts["official"].id, "position_id": facts["position"].id, "start_date": "2020-01-01"}
    return [
        ("/institutions", institution, "name"),
        ("/institutions", institution, "native_name"),
        ("/positions", {"institution_id": facts["institution"].id, "title": "Deputy", "tier": "senior"}, "title"),
        ("/acts", act, "title"),
        ("/acts", act, "description"),
        ("/tenures", tenure, "note"),
    ]


@pytest.mark.parametrize("text", ["Naval\x07 blockade", "Naval\x85 blockade"])
@pytest.mark.parametrize("case", range(6))
def test_control_characters_are_refused_naming_the_field(api, facts, text, case):
    resource, body, field = bodies(facts)[case]
    client = api("analyst")
    problem = assert_problem(client.post(resource, json={**body, field: text}), 422)
    assert {"location": "json", "field": field, "message": "Control characters are not allowed."} in problem["errors"]
    assert client.post(resource, json={**body, field: "Naval blockade"}).status_code == 201


@pytest.mark.parametrize(
    ("resource", "model", "twin", "body", "detail"),
    [
        (
            "/institutions",
            Institution,
            lambda f: {"state_id": f["state"].id, "name": "Twin", "kind": "ministry"},
            lambda f: {"state": "RU", "name": "Twin", "kind": "ministry"},
            lambda f: "An institution of RU named Twin is already recorded.",
        ),
        (
            "/positions",
            Position,
            lambda f: {"institution_id": f["institution"].id, "title": "Twin", "tier": "senior"},
            lambda f: {"institution_id": f["institution"].id, "title": "Twin", "tier": "senior"},
            lambda f: f"Institution #{f['institution'].id} already has a position titled Twin.",
        ),
        (
            "/acts",
            AggressionAct,
            lambda f: {"title": "Twin", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"},
            lambda f: {"title": "Twin", "categories": ["a"], "states": ["RU"], "start_date": "2022-02-24"},
            lambda f: "An act titled Twin is already recorded.",
        ),
    ],
    ids=["institution", "position", "act"],
)
def test_a_duplicate_saved_meanwhile_is_409_duplicate(api, facts, resource, model, twin, body, detail):
    client = api("analyst")
    with saved_meanwhile(model, twin(facts)) as raced:
        response = client.post(resource, json=body(facts))
    assert raced
    problem = assert_problem(response, 409, "duplicate")
    assert problem["detail"] == detail(facts)
    assert "errors" not in problem  # only the database saw it: no field to name beyond the sentence
