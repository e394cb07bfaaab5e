"""The API fuzzed against its own OpenAPI document (schemathesis): for every operation, data
that fits the document and data that does not, sent with an administrator's token on the demo
data. No answer may be a 5xx, and every answer must agree with the document: a documented
status, the documented media type, a body that validates against the documented schema; data
that breaks the document must be refused with a 4xx, and a method the path does not take with
405 and an Allow header.

Three phases run for each operation: the examples the document gives, the coverage phase
(deterministic cases at and past every documented boundary: each enumeration value, each
length and range limit, each missing required field, each wrong type, each undeclared method;
it found the 500 of issue 18.9, a bracketed host in an evidence URL) and fuzzing (random data,
EXAMPLES cases per operation). The stateful phase, which chains operations by their links, is
left out: the document declares no links."""

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
    unsupported_method,
)

from services import tokens

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    unsupported_method,
]
EXAMPLES = 10  # fuzzing cases per operation; the coverage phase adds its own (some 60 each)
PHASES = ("examples", "coverage", "fuzzing")

# The test sends its own token with every case, so the generator must not make the bearer
# header a parameter: its negative cases would drop or mangle it, the token put back would
# make them valid requests, and their acceptance would be reported as a missed refusal.
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            **{phase: {"enabled": True} for phase in PHASES},
            "stateful": {"enabled": False},
        },
        "generation": {"with-security-parameters": False},
    }
)


# The export operations answer with the case file; its rendering is tested on its own
# (tests/test_services/test_export_pdf.py) and took most of this test's time (a PDF, or two
# for a bag, for each accepted case): here a fixed one-page PDF stands in for it.
PDF_STAND_IN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def quick_pdf(monkeypatch):
    from services import export_pdf

    monkeypatch.setattr(export_pdf, "render_pdf", lambda bundle, **kwargs: PDF_STAND_IN)


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


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _document_app(), config=CONFIG)


def test_every_phase_runs():
    """The coverage phase is what found the evidence URL's 500: it must not be left out."""
    for result in schema.get_all_operations():
        phases = schema.config.phases_for(operation=result.ok())
        assert {name for name in PHASES if phases.get_by_name(name=name).enabled} == set(PHASES)
        assert not phases.stateful.enabled


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every run, so a failure can be replayed
    database=None,
)
def test_api_conforms_to_its_document(case, app, auth_headers, evidence_dir, quick_pdf):
    case.call_and_validate(headers=auth_headers, checks=CHECKS, app=app)
