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
left out: the document declares no links.

Then test_generated_valid_data_is_accepted checks the other direction: data the document calls
valid is accepted by every operation (some of it: ids and duplicates are a matter of what is on
record). tests/test_api/test_openapi_constraints.py compares each validator with the document."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict

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
from sqlalchemy import select, text

from models import DisclosureBatch, DisclosureItem, DisclosureRecipient, EvidenceFile, Official
from models.enums import MANIFEST_ASPECTS
from seeds import demo_data
from services.auth import tokens

# Operation -> status -> how many of its positive cases (data the document calls valid) got it
ANSWERS: defaultdict[str, Counter[int]] = defaultdict(Counter)

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


def _unassessed() -> tuple[int, str]:
    """The act of the demo data (its id: acts are numbered in load order) and the aspect of
    it that is not assessed yet."""
    assessed = {(a["act"], a["aspect"]) for a in demo_data.ACT_ASSESSMENTS}
    for number, act in enumerate(demo_data.ACTS, start=1):
        for aspect in MANIFEST_ASPECTS:
            if (act["key"], aspect) not in assessed:
                return number, aspect
    raise AssertionError("every act of the demo data is assessed in full")


# The test sends its own token with every case, so the generator must not make the bearer
# header a parameter: its negative cases would drop or mangle it, the token put back would
# make them valid requests, and their acceptance would be reported as a missed refusal.
#
# Some valid values are not a matter of form but of what is on record -- a State's code, an
# act, a rules document that parses -- and no document can state them: half the time the
# fuzzer draws those from the demo data (ids are given in load order, seeds/demo.py).
# A public exhibit of the demo data (exhibits are numbered in load order) and the hash of the
# file disclosure_records() gives it
DISCLOSURE_EXHIBIT = next(n for n, e in enumerate(demo_data.EVIDENCE, start=1) if e["classification"] == "public")
DISCLOSURE_SHA256 = hashlib.sha256(b"disclosure stand-in").hexdigest()

CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            **{phase: {"enabled": True} for phase in PHASES},
            "stateful": {"enabled": False},
        },
        "generation": {"with-security-parameters": False},
        "dictionaries": {
            "states": {"values": [state["code"] for state in demo_data.STATES]},
            "acts": {"values": list(range(1, len(demo_data.ACTS) + 1))},
            "rules-documents": {"values": ["[]", "rules: []"]},
            "unassessed-act": {"values": [_unassessed()[0]]},
            "unassessed-aspect": {"values": [_unassessed()[1]]},
            # the disclosure records disclosure_records() puts on the demo data
            "disclosure-ids": {"values": [1]},
            "disclosure-exhibit": {"values": [DISCLOSURE_EXHIBIT]},
            "disclosure-sha256": {"values": [DISCLOSURE_SHA256]},
        },
        "parameters": {
            "body.state": {"dictionary": "states", "probability": 0.5},
            "body.states[*]": {"dictionary": "states", "probability": 0.5},
            "body.act_id": {"dictionary": "acts", "probability": 0.5},
            "body.document": {"dictionary": "rules-documents", "probability": 0.5},
            "body.recipient_id": {"dictionary": "disclosure-ids", "probability": 0.5},
            "body.batch_id": {"dictionary": "disclosure-ids", "probability": 0.5},
            "body.sha256": {"dictionary": "disclosure-sha256", "probability": 0.5},
            "body.evidence_id": {"dictionary": "disclosure-exhibit", "probability": 0.5},
        },
        # every act of the demo data has its character, gravity and scale assessed but one
        "operations": [
            {
                "include-path": "/api/v1/act-assessments",
                "include-method": "POST",
                "parameters": {
                    "body.act_id": {"dictionary": "unassessed-act", "probability": 1.0},
                    "body.aspect": {"dictionary": "unassessed-aspect", "probability": 1.0},
                },
            },
        ],
    }
)
# Operations no valid case can succeed on with the demo data, and why: their answers to valid
# data must still never be a refusal of the data (400, 422)
NOTHING_TO_FIND = {
    "POST /api/v1/tokens/{token_id}/revoke": "the only token is the test's own, its id unknown to the generator",
    "GET /api/v1/files/{sha256}": "the demo data has no stored files",
    "GET /api/v1/imports/{run_id}": "the demo data has no import runs",
    "DELETE /api/v1/involvements/{involvement_id}": "every involvement of the demo data has evidence (409 in-use)",
    "DELETE /api/v1/tenures/{tenure_id}": "most tenures of the demo data have evidence (409 in-use)",
    "POST /api/v1/supports/{support_id}/confirm": "four eyes on grades is off in the tests' settings, so every "
    "confirmation is refused (409); tests/test_api/test_four_eyes.py confirms links with it on",
    "POST /api/v1/disclosure/batches/{batch_id}/disclose": "the one batch on record (number 1) is not approved: "
    "disclosing it is refused (409); tests/test_api/test_disclosure.py discloses an approved one",
}


PDF_STAND_IN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def quick_pdf(monkeypatch):
    from services.exports import pdf as export_pdf

    monkeypatch.setattr(export_pdf, "render_pdf", lambda bundle, **kwargs: PDF_STAND_IN)


@pytest.fixture
def auth_headers(demo, make_user):
    session = demo
    user = make_user("admin", "strictly_confidential")
    disclosure_records(session, make_user("analyst", "public"))
    return {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}


def disclosure_records(session, preparer):
    """Recipient, batch and item number 1 (a batch in preparation, prepared by someone other
    than the caller, proposing a file of a public exhibit), for the disclosure operations."""
    official_id = session.scalar(select(Official.id).order_by(Official.id))
    recipient = DisclosureRecipient(id=1, kind="defence", name="Defence stand-in")
    recipient.officials = [session.get(Official, official_id)]
    session.add(recipient)
    session.flush()
    session.add(
        DisclosureBatch(
            id=1, recipient_id=1, batch_date=dt.date(2026, 1, 5), basis="Rule 77", prepared_by_id=preparer.id
        )
    )
    # the item proposes another file of the exhibit: the stand-in's is left for POST /disclosure/items
    file = EvidenceFile(
        evidence_id=DISCLOSURE_EXHIBIT,
        sha256=hashlib.sha256(b"proposed stand-in").hexdigest(),
        size=17,
        media_type="text/plain",
    )
    session.add_all(
        [file, EvidenceFile(evidence_id=DISCLOSURE_EXHIBIT, sha256=DISCLOSURE_SHA256, size=19, media_type="text/plain")]
    )
    session.flush()
    session.add(
        DisclosureItem(
            id=1,
            batch_id=1,
            evidence_id=DISCLOSURE_EXHIBIT,
            evidence_file_id=file.id,
            category="rule_77",
            added_by_id=preparer.id,
        )
    )
    session.flush()
    if session.bind.dialect.name == "postgresql":  # rows given their ids: the sequences go past them
        for table in ("disclosure_recipient", "disclosure_batch", "disclosure_item"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )


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
    response = case.call(headers=auth_headers, app=app)
    if case.meta is not None and case.meta.generation.mode.is_positive:
        ANSWERS[case.operation.label][response.status_code] += 1
    case.validate_response(
        response, checks=CHECKS, headers=auth_headers, transport_kwargs={"headers": auth_headers, "app": app}
    )


def test_generated_valid_data_is_accepted():
    """Data the document calls valid is accepted (issue 18.9: the fuzzer warned that 13
    operations refused most of it, for lengths, patterns, formats and enumerations the
    document did not state): every operation accepts some of its positive cases, and
    refuses none as invalid where nothing on record can make it succeed."""
    if not ANSWERS:
        pytest.skip("counts the answers of test_api_conforms_to_its_document, which runs before it")
    never_accepted = {
        operation: dict(statuses)
        for operation, statuses in ANSWERS.items()
        if not any(200 <= status < 300 for status in statuses) and operation not in NOTHING_TO_FIND
    }
    assert never_accepted == {}
    for operation in NOTHING_TO_FIND:
        assert not {400, 422} & set(ANSWERS.get(operation, {})), (operation, ANSWERS[operation])
