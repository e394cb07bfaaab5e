"""Chain of custody: recording events and proving that nobody rewrote them.

Every event of an evidence item carries the hash of the item's previous event
(``prev_hash``) and its own hash over all its fields (``event_hash``), an HMAC under the
instance's chain key (services/common/chain_keys.py), which the database does not hold. Changing a
field of any row breaks that row's hash, and without the key nobody can compute the one
that would verify; removing or inserting a row breaks the next row's link; removing the
newest row leaves the chain shorter than its head (``CustodyHead``) says. The database also
refuses UPDATE and DELETE on the table, so these checks are what catches a change made
around the application (a restored old backup, a hand-edited row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CustodyEvent, CustodyHead, Evidence, EvidenceFile, User
from models.base import utcnow
from services.common import chain_keys as chains

# The fields an event's hash covers, in a fixed order (the id is not one: it is the
# database's bookkeeping; the order of the chain is carried by prev_hash)
HASHED_FIELDS = (
    "evidence_id",
    "event_type",
    "actor_id",
    "actor_name",
    "occurred_at",
    "from_party",
    "to_party",
    "location",
    "purpose",
    "evidence_file_id",
    "verified_sha256",
    "prev_hash",
)
SYSTEM_LOCATION = "Tribunal Scope evidence store"


def event_payload(event: CustodyEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def event_hash(event: CustodyEvent, key: bytes | None = None) -> str:
    """HMAC-SHA256, under the chain key, of the event's fields as canonical JSON (sorted
    keys, UTC times)."""
    return chains.keyed_hash(key or chains.current_key(), event_payload(event))


@dataclass(frozen=True)
class EventInput:
    """What happened, as a user or the system states it."""

    event_type: str
    from_party: str | None = None
    to_party: str | None = None
    location: str | None = None
    purpose: str | None = None
    occurred_at: dt.datetime | None = None  # when it happened; now when not given
    evidence_file: EvidenceFile | None = None
    verified_sha256: str | None = None


def actor_label(actor: User | None) -> str:
    """Who acted, as kept on the event even if the account changes later."""
    if actor is None:
        return "system"
    return (f"{actor.name} <{actor.email}>" if actor.name else actor.email)[:200]


def record_event(session: Session, evidence: Evidence, data: EventInput, actor: User | None) -> CustodyEvent:
    """Append an event to the item's chain. The head row is locked first, so concurrent
    appends to one chain take turns instead of forking it."""
    locked = select(CustodyHead).where(CustodyHead.evidence_id == evidence.id).with_for_update()
    # populate_existing: the head as the database holds it now, not as this session last saw it
    head = session.scalars(locked.execution_options(populate_existing=True)).first()
    occurred_at = (data.occurred_at or utcnow()).astimezone(dt.UTC)
    event = CustodyEvent(
        evidence_id=evidence.id,
        event_type=data.event_type,
        actor_id=actor.id if actor else None,
        actor_name=actor_label(actor),
        occurred_at=occurred_at,
        from_party=data.from_party,
        to_party=data.to_party,
        location=data.location,
        purpose=data.purpose,
        evidence_file_id=data.evidence_file.id if data.evidence_file else None,
        verified_sha256=data.verified_sha256,
        prev_hash=head.head_hash if head else None,
    )
    event.event_hash = event_hash(event)
    session.add(event)
    if head is None:
        session.add(CustodyHead(evidence_id=evidence.id, event_count=1, head_hash=event.event_hash))
    else:
        head.event_count += 1
        head.head_hash = event.event_hash
    session.flush()
    return event


# --- verification ---------------------------------------------------------------------------


ChainProblem = chains.ChainProblem


def verify_chain(
    events: Sequence[CustodyEvent], head: CustodyHead | None, key: bytes | None = None
) -> list[ChainProblem]:
    """What is wrong with one item's chain (its events in the order they were recorded)."""
    return chains.verify_chain(
        events,
        (head.event_count, head.head_hash) if head else None,
        key=key or chains.current_key(),
        hashed_fields=HASHED_FIELDS,
        label=lambda position, event: f"event {position} (#{event.id}, {event.event_type})",
    ).problems


def chain_of(session: Session, evidence_id: int) -> tuple[list[CustodyEvent], CustodyHead | None]:
    events = list(
        session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence_id).order_by(CustodyEvent.id))
    )
    return events, session.get(CustodyHead, evidence_id)


def timeline(session: Session, evidence_id: int) -> tuple[list[CustodyEvent], list[ChainProblem]]:
    """The item's events with the verdict on its chain, for its page."""
    events, head = chain_of(session, evidence_id)
    return events, verify_chain(events, head)


def exported_head_problem(session: Session, exhibit_no: str, events: int, head_hash: str | None) -> str | None:
    """Whether the exhibit's chain still holds, as its ``events``-th event, the head a case
    file recorded when it was exported (None: it does; a chain only ever grows)."""
    evidence_id = session.scalar(select(Evidence.id).where(Evidence.exhibit_no == exhibit_no))
    if evidence_id is None:
        return f"exhibit {exhibit_no} is not on this instance"
    query = select(CustodyEvent.event_hash).where(CustodyEvent.evidence_id == evidence_id)
    hashes = list(session.scalars(query.order_by(CustodyEvent.id).limit(max(events, 1))))
    if events == 0:
        return None
    if len(hashes) < events:
        held = len(hashes)
        return f"the custody chain of {exhibit_no} holds fewer events ({held}) than when the bag was made ({events})"
    if not chains.same_hash(hashes[events - 1], head_hash):
        return f"the custody chain of {exhibit_no} no longer holds the head the bag recorded: it was rewritten since"
    return None


def group_by_item(events: Iterable[CustodyEvent]) -> dict[int, list[CustodyEvent]]:
    chains: dict[int, list[CustodyEvent]] = {}
    for event in events:
        chains.setdefault(event.evidence_id, []).append(event)
    return chains
