"""The API fuzzed against its own OpenAPI document (schemathesis): for every operation, data
that fits the document and data that does not, sent with an administrator's token on the demo
data. No answer may be a 5xx, and every answer must agree with the document: a documented
status, the documented media type, a body that validates against the documented schema; data
that breaks the document must be refused with a 4xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from services import tokens

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 25  # per operation; about 50 operations, so some 1,250 requests per engine


@pytest.fixture
def auth_headers(demo, make_user):
    session = demo
    user = make_user("admin", "strictly_confidential")
    return {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}


def _document_app():
    """An app that only serves the document: the cases are collected from it when the
    module is imported, then sent to the suite's app (and its rolled-back database)."""
    from app import create_app
    from config import TestingConfig

    settings_ = TestingConfig()
    settings_.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return create_app(settings_)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _document_app())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every run, so a failure can be replayed
    database=None,
)
def test_api_conforms_to_its_document(case, app, auth_headers, evidence_dir):
    case.call_and_validate(headers=auth_headers, checks=CHECKS, app=app)
