"""Judging the review queue: a likely match between an imported person and an official is
confirmed (the same person: merged) or rejected (a different person).

A person is one official, so confirming one candidate rejects the person's other pending
candidates; once every candidate of a person is rejected, the person becomes an official of
their own, as the import would have made them had there been no candidate. Judgements stay
in the table, and the import pipeline never asks about a judged pair again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ImportRun, MatchReview, Official, User
from models.base import utcnow
from services import audit
from services.import_apply import (
    Applier,
    Changes,
    Settings,
    changes_json,
    fingerprint,
    person_from_json,
    state_code_for,
)

# The audit trail's actions are a fixed list (AUDIT_ACTIONS); a judgement is part of importing
REVIEW_ACTION = "import"


class AlreadyJudged(Exception):
    """The review was confirmed or rejected before: a judgement is final."""


class OfficialGone(Exception):
    """The official of the review was deleted meanwhile: nothing to merge into."""


@dataclass
class Rejection:
    """What rejecting a candidate led to."""

    official: Official | None = None  # the official the person now is, when one was made or found
    created: bool = False
    still_open: bool = False  # another candidate of the person is still pending (or confirmed)
    no_state: bool = False  # the person names no State of ours: no official was created


def _applier(session: Session, review: MatchReview) -> Applier:
    """An applier naming the file the person came from in the listing's provenance."""
    run = session.get(ImportRun, review.import_run_id) if review.import_run_id else None
    label = f"{run.file_name or 'an uploaded file'} (review of match #{review.id})" if run else ""
    grade = Settings.from_config(current_app.config if has_app_context() else {})
    return Applier(session, replace(grade, file_label=label or f"the review of match #{review.id}"))


def _siblings(session: Session, review: MatchReview) -> list[MatchReview]:
    """The other reviews of the same incoming person."""
    return list(
        session.scalars(
            select(MatchReview).where(
                MatchReview.scheme == review.scheme,
                MatchReview.source_id == review.source_id,
                MatchReview.id != review.id,
            )
        )
    )


def _judge(review: MatchReview, status: str, user: User | None) -> None:
    review.status = status
    review.decided_by_id = user.id if user else None
    review.decided_at = utcnow()


def confirm(session: Session, review: MatchReview, user: User | None) -> Changes:
    """The incoming person is this official: merge their names, identifiers and listing."""
    if review.status != "pending":
        raise AlreadyJudged()
    if review.official.is_deleted:
        raise OfficialGone()
    applier = _applier(session, review)
    person = person_from_json(review.person)
    changes = applier.merge(review.official, person)
    applier.record(person, review.official, changes, fingerprint(person, applier.rules_digest))
    _judge(review, "confirmed", user)
    for other in _siblings(session, review):
        if other.status == "pending":
            _judge(other, "rejected", user)
            audit.record(session, REVIEW_ACTION, "match_review", other.id, decision="rejected", because_of=review.id)
    session.flush()
    review.merged = changes_json(changes)
    audit.record(
        session,
        REVIEW_ACTION,
        "match_review",
        review.id,
        decision="confirmed",
        official_id=review.official_id,
        added=changes.added,
    )
    return changes


def reject(session: Session, review: MatchReview, user: User | None) -> Rejection:
    """The incoming person is not this official; when no candidate is left, they become one."""
    if review.status != "pending":
        raise AlreadyJudged()
    _judge(review, "rejected", user)
    session.flush()
    audit.record(session, REVIEW_ACTION, "match_review", review.id, decision="rejected", official_id=review.official_id)
    if any(other.status in ("pending", "confirmed") for other in _siblings(session, review)):
        return Rejection(still_open=True)
    return _make_official(session, review)


def _make_official(session: Session, review: MatchReview) -> Rejection:
    person = person_from_json(review.person)
    applier = _applier(session, review)
    digest = fingerprint(person, applier.rules_digest)
    existing = applier.existing(person)
    if existing is not None and existing.id != review.official_id:
        # a later import already brought the person in under an identifier
        changes = applier.merge(existing, person)
        applier.record(person, existing, changes, digest)
        session.flush()
        return Rejection(official=existing)
    state_code = state_code_for(person)
    if state_code is None or state_code not in applier.states:
        return Rejection(no_state=True)
    official, changes = applier.create(person, state_code)
    applier.record(person, official, changes, digest)
    session.flush()
    audit.record(session, REVIEW_ACTION, "match_review", review.id, decision="created", official_id=official.id)
    return Rejection(official=official, created=True)
