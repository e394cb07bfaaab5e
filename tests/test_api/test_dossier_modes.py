"""API: each dossier's modes of liability (Rome Statute Art. 25(3)) and the prosecutors' choice
of the modes to charge, recorded with a reason through POST /dossiers/{id}/modes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import ModeChoice
from models.enums import LIABILITY_MODES
from tests.test_api.conftest import assert_problem
from tests.test_api.test_dossiers import ELEMENT_FIELDS, build_case

MODE_FIELDS = {"code", "article", "name", "law", "status", "reason", "suggested", "charged", "roles", "elements"}
CHOICE_FIELDS = {"modes", "reason", "chosen_by", "chosen_at"}


@pytest.fixture
def case(session, make):
    return build_case(session, make)  # the official signed a decision serving an act


def _choices(session) -> int:
    return session.scalar(select(func.count(ModeChoice.id)))


def test_every_mode_is_given_with_its_elements(api, case):
    body = api("viewer").get(f"/dossiers/{case.official.id}").get_json()
    assert [m["code"] for m in body["modes"]] == list(LIABILITY_MODES)
    for mode in body["modes"]:
        assert set(mode) == MODE_FIELDS
        assert mode["status"] in {"met", "partial", "gap"} and mode["charged"] is False
        assert mode["elements"][0]["code"] == "leadership"
        for element in mode["elements"]:
            assert set(element) == ELEMENT_FIELDS | {"code"}
    suggested = {m["code"]: m for m in body["modes"] if m["suggested"]}
    assert set(suggested) == {"co_perpetration"}
    co = suggested["co_perpetration"]
    assert co["roles"] == ["signed"] and co["article"] == "Art. 25(3)(a)"
    assert [e["code"] for e in co["elements"]] == ["leadership", "conduct", "plan", "act", "intent"]
    assert co["law"]["en"]["source"] == "Rome Statute, Art. 25(3)(a)" and co["law"]["uk"]["source"].startswith(
        "Римський"
    )
    assert "essential contribution" in co["elements"][1]["law"]["en"]["text"]
    assert co["elements"][0]["law"] == body["leadership_clause"]
    leadership = co["elements"][0]
    assert (leadership["status"], leadership["reason"]) == (
        body["elements"]["E2"]["status"],
        body["elements"]["E2"]["reason"],
    )
    assert body["mode_choice"] is None and body["mode_choices"] == []


def test_a_prosecutor_chooses_the_modes_with_a_reason(api, case, session):
    client = api("prosecutor")
    url = f"/dossiers/{case.official.id}/modes"
    response = client.post(url, json={"version": None, "modes": ["ordering", "co_perpetration"], "reason": "Signed."})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body["mode_choice"]) == CHOICE_FIELDS
    assert body["mode_choice"]["modes"] == ["co_perpetration", "ordering"]  # in the order of Art. 25(3)
    assert body["mode_choice"]["reason"] == "Signed." and body["mode_choice"]["chosen_by"] == client.user.id
    assert {m["code"] for m in body["modes"] if m["charged"]} == {"co_perpetration", "ordering"}
    withdrawn = client.post(url, json={"version": body["version"], "modes": [], "reason": "Evidence withdrawn."})
    assert withdrawn.status_code == 200
    after = client.get(f"/dossiers/{case.official.id}").get_json()
    assert after["mode_choice"]["modes"] == [] and not any(m["charged"] for m in after["modes"])
    assert [c["reason"] for c in after["mode_choices"]] == ["Signed.", "Evidence withdrawn."]
    assert after["version"] > body["version"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"modes": ["ordering"]}, "reason", "Give the reason for this choice of the modes to charge."),
        ({"modes": ["ordering"], "reason": "  "}, "reason", "Give the reason for this choice of the modes to charge."),
        ({"modes": ["superior"], "reason": "A reason."}, "modes", "Unknown mode of liability: superior."),
        ({"modes": [], "reason": "A reason."}, "modes", "Choose at least one mode of liability to charge."),
        ({"reason": "A reason."}, "modes", "Missing data for required field."),
    ],
)
def test_a_choice_without_a_reason_or_with_an_unknown_mode_is_422(api, case, session, body, field, message):
    problem = assert_problem(
        api("prosecutor").post(f"/dossiers/{case.official.id}/modes", json={"version": None, **body}), 422
    )
    assert problem["errors"][0]["field"].split(".")[0] == field
    assert message in problem["errors"][0]["message"]
    assert _choices(session) == 0


def test_stale_versions_roles_and_repeats(api, case, session):
    url = f"/dossiers/{case.official.id}/modes"
    for role in ("viewer", "analyst"):
        assert_problem(api(role).post(url, json={"version": None, "modes": ["aiding"], "reason": "x"}), 403)
    client = api("prosecutor")
    version = client.post(url, json={"version": None, "modes": ["aiding"], "reason": "x"}).get_json()["version"]
    assert_problem(client.post(url, json={"version": None, "modes": ["ordering"], "reason": "y"}), 409, "edit-conflict")
    assert_problem(client.post(url, json={"version": version - 1, "modes": ["ordering"], "reason": "y"}), 409)
    again = assert_problem(client.post(url, json={"version": version, "modes": ["aiding"], "reason": "z"}), 422)
    assert "already" in again["errors"][0]["message"]
    assert _choices(session) == 1
    assert_problem(client.post("/dossiers/999999/modes", json={"version": None, "modes": [], "reason": "x"}), 404)


def test_the_openapi_document_describes_the_modes_and_the_choice(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/dossiers/{official_id}/modes"]["post"]
    assert "reason" in operation["description"]
    schemas = document["components"]["schemas"]
    request = schemas["DossierModesChoice"]
    assert set(request["required"]) == {"version", "modes", "reason"}
    assert request["properties"]["modes"]["items"]["enum"] == list(LIABILITY_MODES)
    dossier = schemas["Dossier"]
    assert {"modes", "mode_choice", "mode_choices"} <= set(dossier["required"])
    mode = schemas["DossierMode"]
    assert mode["properties"]["status"]["enum"] == ["met", "partial", "gap"]
    assert mode["properties"]["code"]["enum"] == list(LIABILITY_MODES)
    assert "leadership" in schemas["DossierModeElement"]["properties"]["code"]["enum"]
