"""Judging the review queue: a likely match between an imported person and an official is
confirmed (the same person: merged) or rejected (a different person).

A person is one official, so confirming one candidate rejects the person's other pending
candidates; once every candidate of a person is rejected, the person becomes an official of
their own, as the import would have made them had there been no candidate. Judgements stay
in the table, and the import pipeline never asks about a judged pair again.

Certain matches (matching.certain: the same name in some script, the same full birth date
and State, no conflicting identifier) can be accepted in bulk (``accept_certain``), each
recorded as a confirmation by the user who accepted it, marked ``automatic``. A confirmation
keeps what it added (``MatchReview.merged``), so ``undo`` can take it apart again: the
official loses the names, identifiers, tenures, involvements and links the merge added and
the columns it filled, and the incoming person becomes an official of their own, with their
names, identifiers and listing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ImportRun, MatchReview, Official, User
from models.base import utcnow
from services.audit import trail as audit
from services.imports.apply import (
    Applier,
    Changes,
    Settings,
    changes_json,
    fingerprint,
    importer_sees,
    person_from_json,
    state_code_for,
)
from services.workspace import watches

# The audit trail's actions are a fixed list (AUDIT_ACTIONS); a judgement is part of importing
REVIEW_ACTION = "import"


class AlreadyJudged(Exception):
    """The review was confirmed or rejected before: a judgement is final."""


class OfficialGone(Exception):
    """The official of the review was deleted meanwhile: nothing to merge into."""


class CannotUndo(Exception):
    """The confirmation cannot be taken apart (the message says why)."""


@dataclass
class Rejection:
    """What rejecting a candidate led to."""

    official: Official | None = None  # the official the person now is, when one was made or found
    created: bool = False
    still_open: bool = False  # another candidate of the person is still pending (or confirmed)
    no_state: bool = False  # the person names no State of ours: no official was created


def _applier(session: Session, review: MatchReview, user: User | None) -> Applier:
    """An applier naming the file the person came from in the listing's provenance, seeing
    the exhibits ``user`` may see (the command line without a user: all)."""
    run = session.get(ImportRun, review.import_run_id) if review.import_run_id else None
    label = f"{run.file_name or 'an uploaded file'} (review of match #{review.id})" if run else ""
    grade = Settings.from_config(current_app.config if has_app_context() else {})
    label = label or f"the review of match #{review.id}"
    return Applier(session, replace(grade, file_label=label, visible=importer_sees(user)))


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
    applier = _applier(session, review, user)
    person = person_from_json(review.person)
    changes = applier.merge(review.official, person)
    applier.record(person, review.official, changes, fingerprint(person, applier.rules_digest))
    _judge(review, "confirmed", user)
    for other in _siblings(session, review):
        if other.status == "pending":
            _judge(other, "rejected", user)
            audit.record(session, REVIEW_ACTION, "match_review", other.id, decision="rejected", because_of=review.id)
    session.flush()
    if review.import_run_id is not None:
        watches.imported(session, review.import_run_id, applier.supports_made)
    review.merged = changes_json(changes)
    audit.record(
        session,
        REVIEW_ACTION,
        "match_review",
        review.id,
        decision="confirmed",
        automatic=review.automatic,
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
    return _make_official(session, review, user)


def _make_official(session: Session, review: MatchReview, user: User | None) -> Rejection:
    person = person_from_json(review.person)
    applier = _applier(session, review, user)
    digest = fingerprint(person, applier.rules_digest)
    existing = applier.existing(person)
    if existing is not None and existing.id != review.official_id:
        # a later import already brought the person in under an identifier
        changes = applier.merge(existing, person)
        applier.record(person, existing, changes, digest)
        session.flush()
        if review.import_run_id is not None:
            watches.imported(session, review.import_run_id, applier.supports_made)
        return Rejection(official=existing)
    state_code = state_code_for(person)
    if state_code is None or state_code not in applier.states:
        return Rejection(no_state=True)
    official, changes = applier.create(person, state_code)
    applier.record(person, official, changes, digest)
    session.flush()
    audit.record(session, REVIEW_ACTION, "match_review", review.id, decision="created", official_id=official.id)
    return Rejection(official=official, created=True)


# --- certain matches in bulk, and undoing a confirmation ---------------------------------------


def is_certain(explanation: dict[str, Any]) -> bool:
    """matching.certain, from a review's stored explanation."""
    names = explanation.get("names") or []
    parts = names[0].get("parts", []) if names else []
    return (
        (explanation.get("birth") or {}).get("verdict") == "match"
        and explanation.get("state") == "same"
        and explanation.get("gender") != "different"
        and not explanation.get("identifiers_conflicting")
        and not explanation.get("conflict")
        and bool(parts)
        and all(part[3] == "identical" for part in parts)
        and float(names[0].get("similarity", 0)) >= 0.999
    )


def certain_reviews(session: Session) -> list[MatchReview]:
    """Pending matches that are certain, one per incoming person (a person with two certain
    candidates is left for a user to look at)."""
    pending = session.scalars(
        select(MatchReview)
        .where(MatchReview.status == "pending", MatchReview.reason == "match")
        .order_by(MatchReview.id)
    )
    by_person: dict[tuple[str, str], list[MatchReview]] = {}
    for review in pending:
        if is_certain(review.explanation):
            by_person.setdefault((review.scheme, review.source_id), []).append(review)
    return [reviews[0] for reviews in by_person.values() if len(reviews) == 1]


def accept_certain(session: Session, user: User | None) -> list[MatchReview]:
    """Confirm every certain pending match, each recorded with ``user`` and marked automatic."""
    accepted = []
    for review in certain_reviews(session):
        if review.status != "pending" or review.official.is_deleted:
            continue  # judged meanwhile through a sibling
        review.automatic = True
        confirm(session, review, user)
        accepted.append(review)
    return accepted


def undo(session: Session, review: MatchReview, user: User | None) -> Official:
    """Take a confirmed match apart again; returns the official the incoming person now is."""
    from models import ExternalIdentifier, Involvement, OfficialName, Support, Tenure

    if review.status != "confirmed":
        raise CannotUndo(f"match #{review.id} is {review.status}, not confirmed: there is nothing to undo")
    merged = review.merged or {}
    made: dict[str, list[int]] = merged.get("made") or {}
    if not merged:
        raise CannotUndo(f"match #{review.id} was confirmed before confirmations kept what they added")
    official = review.official
    models = {"official_name": OfficialName, "external_identifier": ExternalIdentifier, "tenure": Tenure,
              "involvement": Involvement, "support": Support}  # fmt: skip
    ours = {(table, record_id) for table, ids in made.items() for record_id in ids}
    for target, column in (("tenure", Support.tenure_id), ("involvement", Support.involvement_id)):
        ids = made.get(target) or []
        if not ids:
            continue
        for support_id, target_id in session.execute(select(Support.id, column).where(column.in_(ids))).tuples():
            if ("support", support_id) not in ours:
                raise CannotUndo(
                    f"the {target} #{target_id} the merge added has evidence linked since (support #{support_id}): "
                    "unlink it first"
                )
    for table in ("support", "involvement", "tenure", "official_name", "external_identifier"):
        for record_id in made.get(table) or []:
            record = session.get(models[table], record_id)
            if record is not None:
                session.delete(record)
    for column in merged.get("filled") or []:
        if column == "birth":
            official.birth = None
        elif column == "native_name":
            official.native_name, official.native_script = None, None
        elif column == "gender":
            official.gender = None
    session.flush()
    session.expire(official)
    person = person_from_json(review.person)
    applier = _applier(session, review, user)
    state_code = state_code_for(person) or official.state.code
    own, changes = applier.create(person, state_code)
    applier.record(person, own, changes, fingerprint(person, applier.rules_digest))
    review.status = "undone"
    review.undone_by_id = user.id if user else None
    review.undone_at = utcnow()
    session.flush()
    audit.record(session, REVIEW_ACTION, "match_review", review.id, decision="undone", official_id=official.id,
                 person_official_id=own.id)  # fmt: skip
    return own
