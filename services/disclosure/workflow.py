"""The disclosure register's writes, one function per step, called by the pages and the API alike.

A batch is prepared (status ``draft``: items proposed, withheld with a Rule 81 reason, the
originators' consents recorded), approved by a prosecutor who did not prepare it (its proposed
items become approved) and then disclosed (its approved items become disclosed, and each file
gets a custody event "disclosed" in its exhibit's chain). A disclosed batch changes no more.
Every step flushes; the audit trail records it (services/audit/trail.py) and the request commits.
Whoever approves or discloses a batch must be cleared for every exhibit in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DisclosureBatch, DisclosureItem, DisclosureRecipient, EvidenceFile, Official, User
from models.base import utcnow
from models.enums import DISCLOSURE_CATEGORIES, RECIPIENT_KINDS, WITHHOLDING_REASONS
from services.common.access import role_at_least
from services.disclosure import stamping
from services.disclosure.visibility import sees_every_item
from services.evidence import custody
from services.evidence.files import IntegrityFailure, verify_stored
from services.evidence.store import EvidenceStore
from services.facts.errors import N_, Duplicate, FactRefused, Invalid


class Refused(FactRefused):
    """A step the batch's state or the user's role does not allow (the API answers 409)."""


class NotAllowed(FactRefused):
    """A step the user's role does not allow (the API answers 403)."""


def _today() -> dt.date:
    return utcnow().date()


# --- recipients ---------------------------------------------------------------------------


@dataclass
class RecipientInput:
    kind: str
    name: str
    notes: str | None
    official_ids: Sequence[int]


def _officials(session: Session, kind: str, ids: Sequence[int]) -> list[Official]:
    ids = sorted(set(ids))
    if kind != "defence":
        if ids:
            raise Invalid("official_ids", N_("Only a defence team defends officials: leave the officials empty."))
        return []
    if not ids:
        raise Invalid("official_ids", N_("Name the official or officials this defence team defends."))
    found = list(session.scalars(select(Official).where(Official.id.in_(ids), Official.deleted_at.is_(None))))
    missing = sorted(set(ids) - {o.id for o in found})
    if missing:
        raise Invalid("official_ids", N_("No official %(id)s is on record."), id=missing[0])
    return found


def save_recipient(
    session: Session, recipient: DisclosureRecipient | None, data: RecipientInput
) -> DisclosureRecipient:
    name = data.name.strip()
    if data.kind not in RECIPIENT_KINDS:
        raise Invalid("kind", N_("Choose what kind of recipient this is."))
    if not name:
        raise Invalid("name", N_("Give the recipient's name."))
    twin = session.scalar(select(DisclosureRecipient).where(func.lower(DisclosureRecipient.name) == name.lower()))
    if twin is not None and twin is not recipient:
        raise Duplicate("name", N_("A recipient of this name is on record already."), twin=twin)
    officials = _officials(session, data.kind, data.official_ids)
    if recipient is None:
        recipient = DisclosureRecipient()
        session.add(recipient)
    recipient.kind, recipient.name, recipient.notes = data.kind, name, data.notes
    recipient.officials = officials
    session.flush()
    return recipient


# --- batches ------------------------------------------------------------------------------


@dataclass
class BatchInput:
    recipient_id: int
    batch_date: dt.date
    basis: str
    notes: str | None


def _check_batch_input(session: Session, data: BatchInput) -> DisclosureRecipient:
    recipient = session.get(DisclosureRecipient, data.recipient_id) if 0 < data.recipient_id < 2**31 else None
    if recipient is None:
        raise Invalid("recipient_id", N_("Choose a recipient on record."))
    if not data.basis.strip():
        raise Invalid("basis", N_("Name the rule or order this batch answers."))
    return recipient


def create_batch(session: Session, data: BatchInput, preparer: User) -> DisclosureBatch:
    if not role_at_least(preparer, "analyst"):
        raise NotAllowed("batch", N_("Only analysts and above prepare disclosure batches."))
    recipient = _check_batch_input(session, data)
    batch = DisclosureBatch(
        recipient=recipient,
        batch_date=data.batch_date,
        basis=data.basis.strip(),
        notes=data.notes,
        status="draft",
        prepared_by_id=preparer.id,
    )
    session.add(batch)
    session.flush()
    return batch


def update_batch(session: Session, batch: DisclosureBatch, data: BatchInput) -> DisclosureBatch:
    _in_draft(batch)
    recipient = _check_batch_input(session, data)
    batch.recipient, batch.batch_date, batch.basis, batch.notes = (
        recipient,
        data.batch_date,
        data.basis.strip(),
        data.notes,
    )
    session.flush()
    return batch


def _in_draft(batch: DisclosureBatch) -> None:
    if batch.status != "draft":
        raise Refused("status", N_("This batch is no longer in preparation: its items are settled."))


# --- items --------------------------------------------------------------------------------


def add_item(
    session: Session,
    batch: DisclosureBatch,
    file: EvidenceFile,
    *,
    category: str,
    conditions: str | None,
    actor: User,
) -> DisclosureItem:
    """Propose one file of an exhibit (the caller has loaded it through the actor's clearance)."""
    _in_draft(batch)
    if category not in DISCLOSURE_CATEGORIES:
        raise Invalid("category", N_("Choose what the item is disclosed as."))
    if file.evidence.is_deleted:
        raise Invalid("evidence_file_id", N_("This exhibit is deleted."))
    twin = session.scalar(
        select(DisclosureItem).where(DisclosureItem.batch_id == batch.id, DisclosureItem.evidence_file_id == file.id)
    )
    if twin is not None:
        raise Duplicate("evidence_file_id", N_("This file is in the batch already."), twin=twin)
    item = DisclosureItem(
        batch=batch,
        evidence_id=file.evidence_id,
        evidence_file_id=file.id,
        category=category,
        conditions=conditions,
        status="proposed",
        consent_required=file.evidence.originator_consent_required,
        added_by_id=actor.id,
    )
    session.add(item)
    session.flush()
    return item


def set_conditions(session: Session, item: DisclosureItem, category: str, conditions: str | None) -> DisclosureItem:
    _in_draft(item.batch)
    if category not in DISCLOSURE_CATEGORIES:
        raise Invalid("category", N_("Choose what the item is disclosed as."))
    item.category, item.conditions = category, conditions
    session.flush()
    return item


def withhold(session: Session, item: DisclosureItem, reason: str, note: str | None, actor: User) -> DisclosureItem:
    """Withhold an item with a Rule 81 reason: while the batch is prepared (analysts and above)
    or approved and not yet disclosed (prosecutors and above)."""
    if reason not in WITHHOLDING_REASONS:
        raise Invalid("reason", N_("Choose the reason under Rule 81 for withholding it."))
    if item.batch.status == "disclosed" or item.status in ("disclosed", "withheld"):
        raise Refused("status", N_("This item is disclosed or withheld already."))
    if item.batch.status == "approved" and not role_at_least(actor, "prosecutor"):
        raise NotAllowed("status", N_("Once a batch is approved, only a prosecutor withholds an item of it."))
    item.status, item.withholding_reason, item.withholding_note = "withheld", reason, note
    session.flush()
    return item


def record_consent(
    session: Session, item: DisclosureItem, *, given_by: str, given_on: dt.date, reference: str, actor: User
) -> DisclosureItem:
    """Record the originator's consent to disclose the item (who gave it, when, under what reference)."""
    if item.status in ("disclosed", "withheld"):
        raise Refused("status", N_("This item is disclosed or withheld already."))
    if not given_by.strip():
        raise Invalid("given_by", N_("Name who gave the consent."))
    if not reference.strip():
        raise Invalid("reference", N_("Give the reference of the consent (a letter, a note verbale)."))
    if given_on > _today():
        raise Invalid("given_on", N_("The consent cannot be dated after today."))
    item.consent_by, item.consent_on, item.consent_reference = given_by.strip(), given_on, reference.strip()
    item.consent_recorded_by_id = actor.id
    session.flush()
    return item


# --- approval and disclosure --------------------------------------------------------------


def _fully_cleared(session: Session, batch: DisclosureBatch, visible: Sequence[str]) -> None:
    if not sees_every_item(session, batch.id, visible):
        raise NotAllowed(
            "batch", N_("Some items of this batch are above your clearance: ask a colleague cleared for all of them.")
        )


def approve(session: Session, batch: DisclosureBatch, actor: User, visible: Sequence[str]) -> DisclosureBatch:
    """A prosecutor other than the preparer approves the batch: its proposed items become approved."""
    if not role_at_least(actor, "prosecutor"):
        raise NotAllowed("batch", N_("Only a prosecutor approves a disclosure batch."))
    if actor.id == batch.prepared_by_id:
        raise NotAllowed("batch", N_("Whoever prepared a batch cannot approve it: ask another prosecutor."))
    _in_draft(batch)
    _fully_cleared(session, batch, visible)
    proposed = [item for item in batch.items if item.status == "proposed"]
    if not proposed:
        raise Refused("items", N_("The batch proposes nothing to disclose."))
    for item in proposed:
        item.status = "approved"
    batch.status, batch.approved_by_id, batch.approved_at = "approved", actor.id, utcnow()
    session.flush()
    return batch


def missing_consents(batch: DisclosureBatch) -> list[DisclosureItem]:
    """The approved items whose originator's consent is needed and not recorded."""
    return [
        item
        for item in batch.items
        if item.status == "approved"
        and (item.consent_required or item.evidence.originator_consent_required)
        and item.consent_by is None
    ]


def disclose(
    session: Session,
    batch: DisclosureBatch,
    actor: User,
    visible: Sequence[str],
    store: EvidenceStore,
    *,
    ern_prefix: str = stamping.DEFAULT_PREFIX,
) -> DisclosureBatch:
    """Disclose an approved batch: each approved item's file is re-verified against its hash; a
    PDF gets a copy with an evidence registration number on every page (services/disclosure/
    stamping.py); the copy disclosed -- the stamped one, or the file itself -- is recorded in its
    exhibit's custody chain as disclosed to the recipient."""
    if not role_at_least(actor, "prosecutor"):
        raise NotAllowed("batch", N_("Only a prosecutor discloses a batch."))
    if batch.status != "approved":
        raise Refused("status", N_("Only an approved batch can be disclosed."))
    _fully_cleared(session, batch, visible)
    missing = missing_consents(batch)
    if missing:
        numbers = ", ".join(sorted({item.evidence.exhibit_no for item in missing}))
        raise Refused(
            "consent",
            N_("The originator's consent is not recorded for %(exhibits)s: record it first."),
            exhibits=numbers,
        )
    approved = [item for item in batch.items if item.status == "approved"]
    verified: dict[int, str] = {}
    for item in approved:
        try:
            verified[item.id] = verify_stored(store, item.evidence_file)
        except IntegrityFailure as failure:
            raise Refused(
                "evidence_file_id",
                N_("A file of %(exhibit)s fails verification: %(problem)s"),
                exhibit=item.evidence.exhibit_no,
                problem=str(failure),
            ) from failure
    now = utcnow()
    for item in approved:
        try:
            stamped = stamping.stamp_item(session, store, item, prefix=ern_prefix, actor=actor)
        except stamping.StampError as failure:
            raise Refused(
                "evidence_file_id",
                N_("The PDF of %(exhibit)s cannot be stamped with page numbers: %(problem)s"),
                exhibit=item.evidence.exhibit_no,
                problem=str(failure),
            ) from failure
        given = stamped or item.evidence_file
        item.status = "disclosed"
        item.consent_required = item.consent_required or item.evidence.originator_consent_required
        custody.record_event(
            session,
            item.evidence,
            custody.EventInput(
                event_type="disclosed",
                to_party=batch.recipient.name[:300],
                location=custody.SYSTEM_LOCATION,
                purpose=f"Disclosure batch {batch.id}: {batch.basis}"[:2000],
                occurred_at=now,
                evidence_file=given,
                verified_sha256=verified[item.id] if stamped is None else stamped.sha256,
            ),
            actor,
        )
    batch.status, batch.disclosed_by_id, batch.disclosed_at = "disclosed", actor.id, now
    session.flush()
    return batch
