"""What of the disclosure register a viewer may see.

An item is seen by those cleared for its exhibit, as the exhibit is. A batch is seen by those
who see at least one of its items (or any batch still empty): a batch holding only exhibits
above a viewer's clearance is, for them, as absent as a missing one. Every list and count of
items counts only the items the viewer sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, not_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import DisclosureBatch, DisclosureItem, DisclosureRecipient, Evidence


def item_visible(visible: Sequence[str]) -> ColumnElement[bool]:
    """An item whose exhibit the viewer may see (correlated on DisclosureItem)."""
    return exists().where(Evidence.id == DisclosureItem.evidence_id, Evidence.classification.in_(visible))


def batch_visible(visible: Sequence[str]) -> ColumnElement[bool]:
    """A batch with an item the viewer sees, or with no item at all (correlated on DisclosureBatch)."""
    seen = (
        select(DisclosureItem.id)
        .join(Evidence, Evidence.id == DisclosureItem.evidence_id)
        .where(DisclosureItem.batch_id == DisclosureBatch.id, Evidence.classification.in_(list(visible)))
    )
    any_item = select(DisclosureItem.id).where(DisclosureItem.batch_id == DisclosureBatch.id)
    return or_(seen.exists(), not_(any_item.exists()))


def visible_batches(visible: Sequence[str], recipient_id: int | None = None) -> Select[Any]:
    query = select(DisclosureBatch).where(batch_visible(visible))
    if recipient_id is not None:
        query = query.where(DisclosureBatch.recipient_id == recipient_id)
    return query


def get_visible_batch(session: Session, batch_id: int, visible: Sequence[str]) -> DisclosureBatch | None:
    query = visible_batches(visible).where(DisclosureBatch.id == batch_id)
    return session.scalars(
        query.options(joinedload(DisclosureBatch.recipient), joinedload(DisclosureBatch.prepared_by))
    ).first()


def visible_items(visible: Sequence[str], batch_id: int | None = None) -> Select[Any]:
    query = (
        select(DisclosureItem)
        .join(Evidence, Evidence.id == DisclosureItem.evidence_id)
        .where(Evidence.classification.in_(list(visible)))
        .options(joinedload(DisclosureItem.evidence), joinedload(DisclosureItem.evidence_file))
    )
    if batch_id is not None:
        query = query.where(DisclosureItem.batch_id == batch_id)
    return query.order_by(DisclosureItem.id)


def get_visible_item(session: Session, item_id: int, visible: Sequence[str]) -> DisclosureItem | None:
    return session.scalars(visible_items(visible).where(DisclosureItem.id == item_id)).first()


def hidden_item_count(session: Session, batch_id: int, visible: Sequence[str]) -> int:
    """How many items of one batch the viewer's clearance hides: for ``sees_every_item`` only
    (approving and disclosing need clearance for all); never shown, since a count of what the
    viewer cannot see would tell them it exists."""
    query = (
        select(func.count())
        .select_from(DisclosureItem)
        .join(Evidence, Evidence.id == DisclosureItem.evidence_id)
        .where(DisclosureItem.batch_id == batch_id, Evidence.classification.not_in(list(visible)))
    )
    return session.scalar(query) or 0


def item_counts(session: Session, batch_ids: Sequence[int], visible: Sequence[str]) -> dict[int, dict[str, int]]:
    """For each batch, its visible items by status, in one query."""
    counts: dict[int, dict[str, int]] = {batch_id: {} for batch_id in batch_ids}
    if not batch_ids:
        return counts
    query = (
        select(DisclosureItem.batch_id, DisclosureItem.status, func.count())
        .join(Evidence, Evidence.id == DisclosureItem.evidence_id)
        .where(DisclosureItem.batch_id.in_(list(batch_ids)), Evidence.classification.in_(list(visible)))
        .group_by(DisclosureItem.batch_id, DisclosureItem.status)
    )
    for batch_id, status, count in session.execute(query):
        counts[batch_id][status] = count
    return counts


def register(session: Session, visible: Sequence[str]) -> tuple[list[DisclosureRecipient], list[DisclosureBatch]]:
    """Every recipient (with the officials a defence team defends) and every batch the viewer
    sees, newest first, in three queries."""
    recipients = list(
        session.scalars(
            select(DisclosureRecipient)
            .options(selectinload(DisclosureRecipient.officials))
            .order_by(DisclosureRecipient.name)
        )
    )
    batches = list(
        session.scalars(
            visible_batches(visible)
            .options(joinedload(DisclosureBatch.recipient))
            .order_by(DisclosureBatch.batch_date.desc(), DisclosureBatch.id.desc())
        )
    )
    return recipients, batches


def sees_every_item(session: Session, batch_id: int, visible: Sequence[str]) -> bool:
    return hidden_item_count(session, batch_id, visible) == 0
