"""Evidence service: exhibit numbers, clearance-aware loading, duplicate links, labels."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import AuditEvent, Evidence
from services.evidence import exhibits as evidence_service
from services.evidence import numbers as exhibit_numbers
from services.evidence.exhibits import EvidenceInput


def data(**overrides):
    values = {
        "title": "Treaty on Comprehensive Strategic Partnership",
        "kind": "document",
        "summary": None,
        "source": "KCNA, 20 Jun 2024",
        "provenance": None,
        "url": None,
        "collected_by": None,
        "collected_on": None,
        "collection_method": None,
        "language": "ko",
        "classification": "public",
        "reliability": "B",
        "credibility": "2",
    }
    values.update(overrides)
    return EvidenceInput(**values)


def counter(number: str) -> int:
    match = re.fullmatch(r"P-(\d{4,})", number)
    assert match, number
    return int(match.group(1))


def test_create_issues_a_new_number_each_time_and_is_audited(session, make):
    first = evidence_service.create_evidence(session, data())
    second = evidence_service.create_evidence(session, data(title="Another"))
    assert counter(second.exhibit_no) > counter(first.exhibit_no) >= 1
    session.commit()  # the trail takes a transaction's events when it commits
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "evidence", AuditEvent.entity_id == first.id)
    )
    assert event.action == "create" and event.after["exhibit_no"] == first.exhibit_no


def test_catch_up_passes_numbers_written_by_other_means_deleted_and_hidden_included(session, make):
    make.evidence(exhibit_no="P-0002")
    make.evidence(exhibit_no="P-0010", classification="strictly_confidential")
    gone = make.evidence(exhibit_no="P-0011")
    gone.soft_delete("x")
    make.evidence(exhibit_no="P-9")  # numbers are compared as numbers, not as text
    make.evidence(exhibit_no="D-0500")
    make.evidence(exhibit_no="P-0012-a")  # not a plain P-number
    session.flush()
    assert exhibit_numbers.catch_up(session) == 11
    assert counter(evidence_service.create_evidence(session, data()).exhibit_no) >= 12


def test_numbers_grow_past_four_digits(session, make):
    make.evidence(exhibit_no="P-9999")
    exhibit_numbers.catch_up(session)
    assert counter(evidence_service.create_evidence(session, data()).exhibit_no) >= 10000
    assert exhibit_numbers.format_number(10000) == "P-10000" and exhibit_numbers.format_number(7) == "P-0007"


def test_a_number_already_on_an_exhibit_is_never_issued(session, make):
    """Numbers written without the counter (the demo data set, a data set from before it) are
    passed over even before ``catch_up``."""
    upcoming = [exhibit_numbers.format_number(n) for n in range(1, 4)]
    for number in upcoming:
        if session.scalar(select(Evidence.id).where(Evidence.exhibit_no == number)) is None:
            make.evidence(exhibit_no=number)
    numbers = [evidence_service.create_evidence(session, data(title=f"E{n}")).exhibit_no for n in range(3)]
    assert not set(numbers) & set(upcoming) and len(set(numbers)) == 3


def test_create_gives_up_on_other_integrity_errors(session):
    with pytest.raises(IntegrityError):
        evidence_service.create_evidence(session, data(kind="rumour"))


def test_visible_query_withheld_count_and_get_visible(session, make):
    public = make.evidence(classification="public")
    secret = make.evidence(classification="confidential")
    gone = make.evidence(classification="confidential")
    gone.soft_delete("x")
    session.flush()
    visible = ("public",)
    assert session.scalars(evidence_service.visible_query(visible)).all() == [public]
    assert session.scalars(evidence_service.visible_query(visible, deleted=True)).all() == []
    assert evidence_service.withheld_count(session, visible) == 1
    assert evidence_service.withheld_count(session, visible, deleted=True) == 1
    assert evidence_service.get_visible(session, public.id, visible) is public
    assert evidence_service.get_visible(session, secret.id, visible) is None
    assert evidence_service.get_visible(session, secret.id, ("public", "restricted", "confidential")) is secret
    cleared = ("public", "restricted", "confidential")
    assert evidence_service.get_visible(session, gone.id, cleared) is None
    assert evidence_service.get_visible(session, gone.id, cleared, deleted_ok=True) is gone
    assert evidence_service.evidence_page(session, secret.id, visible) is None


def test_an_exhibit_links_to_a_fact_once_whatever_the_stance(session, make):
    decision = make.decision()
    evidence = make.evidence()
    support = make.support(evidence=evidence, decision_id=decision.id, stance="supports")
    find = evidence_service.duplicate_support
    assert find(session, evidence.id, "decision", decision.id) is support
    assert find(session, make.evidence().id, "decision", decision.id) is None
    assert find(session, evidence.id, "decision", make.decision().id) is None
    assert find(session, evidence.id, "decision", decision.id, exclude=support.id) is None


def test_target_options_and_fact_labels(app, session, make):
    official = make.official(name="Kim Jong Un")
    tenure = make.tenure(official=official, start="2011-12")
    decision = make.decision(title="Deployment order", when="2024-10")
    involvement = make.involvement(official=official, decision=decision, role="ordered")
    gone = make.decision(title="Deleted decision")
    gone.soft_delete("x")
    session.flush()
    with app.test_request_context():
        options = evidence_service.target_options(session, str, lambda role: role.upper())
        assert options.of("tenure") == [
            (tenure.id, f"Kim Jong Un: {tenure.position.full_title}, from 2011-12 (in office)")
        ]
        assert options.of("involvement") == [(involvement.id, "Kim Jong Un: ORDERED in Deployment order (2024-10)")]
        assert [label for _id, label in options.of("decision")] == [
            f"Deployment order (2024-10, {decision.institution.name})"
        ]
        support = make.support(involvement_id=involvement.id)
        assert evidence_service.fact_label(support, str, str) == "Kim Jong Un: ordered in Deployment order (2024-10)"


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, (0, "B")),
        (1023, (1023, "B")),
        (1536, (1.5, "KiB")),
        (5 * 1024**2, (5.0, "MiB")),
        (3 * 1024**4, (3072.0, "GiB")),
    ],
)
def test_human_size(size, shown):
    assert evidence_service.human_size(size) == shown
