"""The OpenAPI document, its page for people, and problem details for every kind of error."""

from __future__ import annotations

import re

import pytest

from tests.test_api.conftest import assert_problem


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_document_is_openapi_3_generated_from_the_code(document, app):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tribunal Scope"
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    api_rules = {
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.endpoint not in ("api-docs.openapi_json", "api_docs.docs")
    }
    assert api_rules == set(document["paths"])


def test_every_operation_documents_its_errors_as_problem_details(document):
    problem = {"$ref": "#/components/responses/DEFAULT_ERROR"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation["responses"].get("default") == problem, (method, path)
            assert operation.get("summary"), (method, path)
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]


def test_docs_page_shows_every_operation(client, document):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in item:
            if method != "parameters":
                assert f"{method.upper()} {path}" in html, (method, path)
    assert 'id="problem-edit-conflict"' in html
    assert "Authorization: Bearer TOKEN" in html


def test_unknown_address_is_a_problem(api):
    assert_problem(api("viewer").get("/api/v1/nothing/here"), 404, "not-found")


def test_wrong_method_is_a_problem_naming_the_allowed_ones(api):
    response = api("viewer").put("/officials")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unexpected_error_is_a_problem_without_a_traceback(api, monkeypatch):
    from views.api import officials

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(officials, "_filtered", broken)
    response = api("viewer").get("/officials")
    body = assert_problem(response, 500, "server-error")
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in body["detail"]


def test_problems_carry_the_security_headers(api):
    response = api("viewer").get("/officials/999999")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_api_speaks_english_whatever_the_users_language(api, make_user):
    uk = api("viewer", locale="uk")
    body = assert_problem(uk.get("/officials/999999"), 404)
    assert body["title"] == "Not Found"


def test_the_document_describes_the_law_given_with_each_element(document):
    schemas = document["components"]["schemas"]
    element = schemas["DossierElement"]
    assert "law" in element["required"]
    assert element["properties"]["law"]["allOf"] == [{"$ref": "#/components/schemas/DossierLaw"}]
    assert "leadership_clause" in schemas["Dossier"]["required"]
    law = schemas["DossierLaw"]
    assert set(law["required"]) == {"en", "uk"} and law["properties"]["uk"]["$ref"].endswith("/LegalText")
    assert set(schemas["LegalText"]["required"]) == {"source", "text", "checks"}
