"""Reading the audit trail: a record's history, and the whole trail for administrators.

Events about evidence the viewer is not cleared for (the evidence itself, its supports,
files and custody) are left out, like the evidence everywhere else; so are the events of
tasks made at a clearance above the viewer's (their gap's sentence, even their existence).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select

from models import AuditEvent, Evidence, Involvement, Task
from models.enums import CLASSIFICATIONS


def _names_hidden_evidence(type_column: Any, id_column: Any, visible: tuple[str, ...]) -> ColumnElement[bool]:
    """Whether the event's (type, id) pair names an exhibit above ``visible``: EXISTS is true or
    false for every row, where ``NOT (id IN hidden)`` would be NULL for an event without a
    parent (sign-ins, officials, decisions) and drop it."""
    return exists().where(type_column == "evidence", Evidence.id == id_column, Evidence.classification.not_in(visible))


def _names_hidden_task(visible: tuple[str, ...]) -> ColumnElement[bool]:
    """Whether the event is about a task made at a clearance above ``visible``."""
    return exists().where(
        AuditEvent.entity_type == "task", Task.id == AuditEvent.entity_id, Task.clearance.not_in(visible)
    )


def visible_events(visible: tuple[str, ...]) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent)
    if set(CLASSIFICATIONS) <= set(visible):  # cleared for everything: nothing to leave out
        return query
    return query.where(
        ~_names_hidden_evidence(AuditEvent.entity_type, AuditEvent.entity_id, visible),
        ~_names_hidden_evidence(AuditEvent.parent_type, AuditEvent.parent_id, visible),
        ~_names_hidden_task(visible),
    )


def record_history(entity_type: str, entity_id: int, visible: tuple[str, ...]) -> Select[tuple[AuditEvent]]:
    """Events on the record itself and on the records that hang from it (names, tenures ...)."""
    own = and_(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
    children = and_(AuditEvent.parent_type == entity_type, AuditEvent.parent_id == entity_id)
    related = [own, children]
    if entity_type == "decision":  # involvements are filed under their official; show them here too
        roles = select(Involvement.id).where(Involvement.decision_id == entity_id)
        related.append(and_(AuditEvent.entity_type == "involvement", AuditEvent.entity_id.in_(roles)))
    return visible_events(visible).where(or_(*related))


def audit_filters(
    query: Select[tuple[AuditEvent]],
    *,
    actor: str | None = None,
    entity_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Select[tuple[AuditEvent]]:
    if actor:
        query = query.where(AuditEvent.actor_name.ilike(f"%{actor}%"))
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if since:
        query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        query = query.where(AuditEvent.occurred_at < dt.datetime.combine(until, dt.time(), dt.UTC) + dt.timedelta(1))
    return query


def changed_fields(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for display, in a stable order."""
    before, after = event.before or {}, event.after or {}
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k) or not before]
