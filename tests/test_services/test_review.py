"""Judging the review queue: confirm merges, reject makes the person an official of their own,
and a judged pair is never asked again by a later import."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from models import AuditEvent, ExternalIdentifier, MatchReview, Official, OfficialName
from services.imports.review import AlreadyJudged, confirm, reject
from services.imports.runs import run_import

EU_HEADER = "celex,recordId,programKey,annex,startDate,reason,schema,name,alias,nationality,birthDate,position,gender"
LAVROV = "Sergei Lavrov"


def eu_file(*rows: str) -> bytes:
    return "\r\n".join([EU_HEADER, *rows, ""]).encode("utf-8")


def eu_row(record_id: str, name: str, alias: str, birth: str, nationality: str = "Russian") -> str:
    values = {
        "celex": "32014R0269",
        "recordId": record_id,
        "programKey": "EU-UKR",
        "annex": "I.PERSONS",
        "startDate": "23.2.2022",
        "reason": '"Minister of Foreign Affairs, responsible for the ""recognition"" of the DPR."',
        "schema": "Person",
        "name": name,
        "alias": alias,
        "nationality": nationality,
        "birthDate": birth,
        "position": "Minister of Foreign Affairs",
        "gender": "male",
    }
    return ",".join(values[column] for column in EU_HEADER.split(","))


# A Lavrov spelt otherwise, born the same day, under a record id the demo does not know
LAVROV_ROW = eu_row("99001", "Sergey LAVROV", "Сергей ЛАВРОВ", "21.3.1950")


def import_bytes(session, data: bytes):
    report = run_import(session, "eu-csv", io.BytesIO(data), user=None, file_name="test.csv")
    assert report.status == "applied", report.message
    return report


def pending(session) -> list[MatchReview]:
    return list(session.scalars(select(MatchReview).where(MatchReview.status == "pending").order_by(MatchReview.id)))


@pytest.fixture
def queued(session, demo, make_user):
    """The demo data, and the incoming Lavrov waiting for review against the demo's Lavrov."""
    report = import_bytes(session, eu_file(LAVROV_ROW))
    assert report.counts["queued"] == 1, report.rows
    [review] = pending(session)
    assert review.official.name == LAVROV
    return review


def identifiers_of(session, official: Official) -> set[tuple[str, str]]:
    rows = session.execute(
        select(ExternalIdentifier.scheme, ExternalIdentifier.value).where(ExternalIdentifier.official_id == official.id)
    )
    return set(rows.tuples())


def test_confirm_merges_the_person_into_the_official(session, queued, make_user):
    user = make_user("analyst")
    officials = session.scalar(select(func.count(Official.id)))
    changes = confirm(session, queued, user)
    assert queued.status == "confirmed" and queued.decided_by_id == user.id and queued.decided_at is not None
    assert ("eu_269_2014", "99001") in identifiers_of(session, queued.official)
    names = set(session.scalars(select(OfficialName.name).where(OfficialName.official_id == queued.official_id)))
    assert "Сергей ЛАВРОВ" in names  # the new spelling; "Sergey Lavrov" was known
    assert changes.added
    assert session.scalar(select(func.count(Official.id))) == officials  # nobody new
    session.commit()  # the trail takes a transaction's events when it commits
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "match_review", AuditEvent.entity_id == queued.id, AuditEvent.action == "import"
        )
    ).one()
    assert event.after["decision"] == "confirmed" and event.after["official_id"] == queued.official_id
    with pytest.raises(AlreadyJudged):
        confirm(session, queued, user)
    with pytest.raises(AlreadyJudged):
        reject(session, queued, user)


def test_reject_makes_the_person_an_official_of_their_own(session, queued, make_user):
    outcome = reject(session, queued, make_user("analyst"))
    assert queued.status == "rejected"
    assert outcome.created and outcome.official is not None and outcome.official.id != queued.official_id
    assert outcome.official.state.code == "RU"
    assert ("eu_269_2014", "99001") in identifiers_of(session, outcome.official)
    assert ("eu_269_2014", "99001") not in identifiers_of(session, queued.official)


def test_reject_without_a_state_of_ours_creates_nobody(session, queued, make_user):
    queued.person = {**queued.person, "state_code": None, "listing": {**queued.person["listing"], "program": "X"}}
    officials = session.scalar(select(func.count(Official.id)))
    outcome = reject(session, queued, make_user("analyst"))
    assert outcome.no_state and outcome.official is None and not outcome.created
    assert session.scalar(select(func.count(Official.id))) == officials


def test_confirming_one_candidate_rejects_the_others(session, queued, make, make_user):
    twin = make.official(name="Sergei Viktorovich Lavrov", state=queued.official.state)
    other = MatchReview(
        scheme=queued.scheme,
        source_id=queued.source_id,
        person_name=queued.person_name,
        person=queued.person,
        official_id=twin.id,
        score=0.8,
        explanation=queued.explanation,
        status="pending",
    )
    session.add(other)
    session.flush()
    confirm(session, queued, make_user("analyst"))
    assert other.status == "rejected" and other.decided_at is not None
    assert ("eu_269_2014", "99001") not in identifiers_of(session, twin)


def test_rejecting_one_of_two_candidates_waits_for_the_other(session, queued, make, make_user):
    twin = make.official(name="Sergei Viktorovich Lavrov", state=queued.official.state)
    other = MatchReview(
        scheme=queued.scheme,
        source_id=queued.source_id,
        person_name=queued.person_name,
        person=queued.person,
        official_id=twin.id,
        score=0.8,
        explanation=queued.explanation,
        status="pending",
    )
    session.add(other)
    session.flush()
    user = make_user("analyst")
    officials = session.scalar(select(func.count(Official.id)))
    first = reject(session, queued, user)
    assert first.still_open and first.official is None
    assert session.scalar(select(func.count(Official.id))) == officials
    second = reject(session, other, user)
    assert second.created and session.scalar(select(func.count(Official.id))) == officials + 1


def test_a_confirmed_match_is_merged_by_the_next_import_without_asking(session, queued, make_user):
    confirm(session, queued, make_user("analyst"))
    report = import_bytes(session, eu_file(LAVROV_ROW))
    assert report.counts["queued"] == 0 and report.counts["new"] == 0
    assert pending(session) == []
    assert session.scalar(select(func.count(MatchReview.id))) == 1


def test_a_rejected_match_is_not_asked_again(session, queued, make_user):
    outcome = reject(session, queued, make_user("analyst"))
    officials = session.scalar(select(func.count(Official.id)))
    report = import_bytes(session, eu_file(LAVROV_ROW))
    assert report.counts["queued"] == 0 and report.counts["new"] == 0, report.rows
    assert pending(session) == []
    assert session.scalar(select(func.count(MatchReview.id))) == 1
    assert session.scalar(select(func.count(Official.id))) == officials
    assert outcome.official is not None


def test_a_pending_review_is_not_queued_twice(session, queued):
    report = import_bytes(session, eu_file(LAVROV_ROW))
    assert report.counts["queued"] == 1 and "still waiting" in report.rows[0].reason
    assert [r.id for r in pending(session)] == [queued.id]
