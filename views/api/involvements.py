"""API: involvements, the roles officials played in decisions.

The rules are the HTML views' (views/decisions.py): analysts add, edit and remove; the
official and the decision of an involvement never change (add another instead); the same
role of the same official in the same decision is a duplicate; involvements of deleted
officials or decisions are treated as missing; one that evidence is linked to cannot be
removed. Involvements have no soft delete: the HTML views remove them, and so does the API.
"""

from __future__ import annotations

from typing import Any, cast

from marshmallow import fields
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from extensions import db
from models import Decision, Involvement, Official
from models.enums import INVOLVEMENT_ROLES, INVOLVEMENT_STATUSES
from services.common import records
from services.facts import decisions as decision_service
from views.api.common import (
    MAX_ID,
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    QueryId,
    Schema,
    Text,
    exists_or_refuse,
    found,
    not_found,
    refuse,
    save,
    update_schema,
)
from views.api.problems import ApiProblem
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("involvements", __name__, description="The roles officials played in decisions.")

NOTE_LENGTH = 2000  # as the HTML form allows


class InvolvementSchema(Schema):
    id = fields.Integer(dump_only=True)
    official_id = Id(required=True)
    decision_id = Id(required=True)
    role = Choice(INVOLVEMENT_ROLES, required=True)
    status = Choice(
        INVOLVEMENT_STATUSES,
        metadata={"description": "How far the link is established; alleged (the default) until corroborated."},
    )
    version = fields.Integer(dump_only=True)


class InvolvementEditSchema(Schema):
    """What an update may change: the official and the decision stay as they are."""

    role = Choice(INVOLVEMENT_ROLES, required=True)
    status = Choice(INVOLVEMENT_STATUSES)
    note = Text(NOTE_LENGTH, allow_none=True, load_only=True)


class InvolvementWriteSchema(InvolvementSchema):
    note = Text(NOTE_LENGTH, allow_none=True, load_only=True)


InvolvementUpdateSchema = update_schema(InvolvementEditSchema, "InvolvementUpdateSchema")


class InvolvementListArgs(ListArgs):
    official_id = QueryId()
    decision_id = QueryId()
    role = Choice(INVOLVEMENT_ROLES)


def _live() -> Select[Any]:
    """Involvements whose official and decision are both live."""
    return (
        select(Involvement)
        .join(Official, Involvement.official_id == Official.id)
        .join(Decision, Involvement.decision_id == Decision.id)
        .where(Official.deleted_at.is_(None), Decision.deleted_at.is_(None))
    )


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = _live()
    for name in ("official_id", "decision_id", "role"):
        if name in args:
            query = query.where(getattr(Involvement, name) == args[name])
    return query


def _load(involvement_id: int) -> Involvement:
    if not 1 <= involvement_id <= MAX_ID:
        raise not_found()
    query = _live().where(Involvement.id == involvement_id)
    return found(db.session.scalars(query.options(joinedload(Involvement.official))).first())


def _duplicate(official: Official, role: str) -> ApiProblem:
    return refuse("role", f"{official.name} already has the role {role!r} in this decision.", status=409)


def _in_use() -> ApiProblem:
    return ApiProblem(409, "in-use", "Evidence is linked to this involvement: remove its supports first.")


def _save(involvement: Involvement, official: Official) -> Involvement:
    """Flush through the service, which undoes only its savepoint when a concurrent request
    took the same role meanwhile."""
    try:
        decision_service.save_involvement(involvement)
    except decision_service.InvolvementTaken as exc:
        raise _duplicate(official, involvement.role) from exc
    except records.EditConflict as exc:
        raise ApiProblem(
            409, "edit-conflict", "Someone else saved this involvement meanwhile. Nothing was saved: read it again."
        ) from exc
    return involvement


def _create(data: dict[str, Any]) -> Involvement:
    official = cast(Official, exists_or_refuse(Official, data["official_id"], "official_id"))  # id required
    exists_or_refuse(Decision, data["decision_id"], "decision_id")
    if decision_service.duplicate_involvement(official.id, data["decision_id"], data["role"]) is not None:
        raise _duplicate(official, data["role"])
    involvement = Involvement(
        official_id=official.id,
        decision_id=data["decision_id"],
        role=data["role"],
        status=data.get("status", "alleged"),
        note=data.get("note") or None,
    )
    return _save(involvement, official)


def _update(involvement: Involvement, data: dict[str, Any]) -> Involvement:
    role = data.get("role", involvement.role)
    twin = decision_service.duplicate_involvement(involvement.official_id, involvement.decision_id, role, involvement)
    if twin is not None:
        raise _duplicate(involvement.official, role)
    involvement.role = role
    involvement.status = data.get("status", involvement.status)
    if "note" in data:
        involvement.note = data["note"] or None
    return _save(involvement, involvement.official)


def _delete(involvement: Involvement) -> None:
    if decision_service.has_supports(involvement):
        raise _in_use()
    db.session.delete(involvement)
    try:
        save()
    except ApiProblem as exc:
        if exc.kind != "duplicate":
            raise
        # a support linked meanwhile makes the database refuse: the same refusal as above
        raise _in_use() from exc


register_crud(
    blp,
    Crud(
        path="/involvements",
        id_name="involvement_id",
        model=Involvement,
        schema=InvolvementSchema,
        list_args=InvolvementListArgs,
        filtered=_filtered,
        load=_load,
        create_schema=InvolvementWriteSchema,
        create=_create,
        update_schema=InvolvementUpdateSchema,
        update=_update,
        delete=_delete,
        summaries={
            "list": "List involvements, filtered by official, decision or role.",
            "create": "Add an official's role in a decision; the same role twice is a duplicate (409).",
            "read": "One involvement.",
            "update": "Change the role, status or note; refused with 409 when `version` is not the stored one.",
            "delete": "Remove an involvement; refused (409 in-use) while evidence is linked to it.",
        },
    ),
)
