"""Every API operation, every role: no credentials is 401, a role below the operation's is
403, a role at or above it passes the gate; all as problem details. And every operation says
which role it needs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import (
    AggressionAct,
    Decision,
    Evidence,
    EvidenceFile,
    ImportRun,
    Institution,
    Involvement,
    Official,
    Position,
    Support,
    Tenure,
)
from models.enums import USER_ROLES
from tests.test_api.conftest import assert_problem

PUBLIC = {"api-docs.openapi_json", "api_docs.docs"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def api_operations(app):
    """(rule, method, role needed) for every operation under /api/."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/") or rule.endpoint in PUBLIC:
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method in sorted(set(METHODS) & rule.methods):
            handler = getattr(view_class, method.lower(), None) if view_class else view
            found.append((rule, method, getattr(handler, "required_role", None)))
    return found


def test_every_operation_declares_its_role(app):
    operations = api_operations(app)
    assert len(operations) >= 10
    assert [(r.rule, m) for r, m, role in operations if role not in USER_ROLES] == []


def test_public_documents_need_no_credentials(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


@pytest.fixture
def ids(demo):
    session = demo

    def first(model, *where):
        return session.scalar(select(model.id).where(*where).order_by(model.id))

    return {
        "official_id": first(Official),
        "tenure_id": first(Tenure),
        "decision_id": first(Decision),
        "evidence_id": first(Evidence, Evidence.classification == "public"),
        "institution_id": first(Institution),
        "position_id": first(Position),
        "act_id": first(AggressionAct),
        "involvement_id": first(Involvement),
        "support_id": first(Support),
        "run_id": first(ImportRun),
        "sha256": session.scalar(select(EvidenceFile.sha256).order_by(EvidenceFile.id)) or "0" * 64,
    }


def _url(app, rule, ids):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: ids.get(name) or 1 for name in rule.arguments})


def test_no_credentials_is_401_everywhere(app, client, ids):
    failures = []
    for rule, method, _role in api_operations(app):
        response = client.open(_url(app, rule, ids), method=method, json={})
        if response.status_code != 401 or response.mimetype != "application/problem+json":
            failures.append((method, rule.rule, response.status_code))
    assert failures == []


@pytest.mark.parametrize("role", USER_ROLES)
def test_role_matrix(app, api, ids, role):
    caller = api(role, "strictly_confidential")
    failures = []
    for rule, method, needed in api_operations(app):
        response = caller.request(method, _url(app, rule, ids), json={})
        code = response.status_code
        if USER_ROLES.index(role) < USER_ROLES.index(needed):
            try:
                assert_problem(response, 403, "forbidden")
            except AssertionError:
                failures.append((method, rule.rule, needed, code))
        elif code in (401, 403) or code >= 500:
            failures.append((method, rule.rule, needed, code))
        elif code >= 400 and response.mimetype != "application/problem+json":
            failures.append((method, rule.rule, "not a problem document", code))
    assert failures == []
