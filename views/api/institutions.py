"""API: institutions, the public bodies of a State, each optionally part of another.

Institutions are edited, never deleted (tenures and decisions refer to them), so there is no
DELETE, as in the HTML views (views/institutions.py).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from models import Institution, State
from models.enums import INSTITUTION_KINDS
from services.facts.institutions import InstitutionInput, save_institution
from views.api.common import (
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    QueryId,
    Schema,
    StateCode,
    StateFilter,
    Text,
    answering_refusals,
    state_or_refuse,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("institutions", __name__, description="Public bodies of a State: ministries, staffs, chambers.")


class InstitutionSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Text(300, blank_ok=False, required=True, metadata={"description": "In Latin script; unique per State."})
    native_name = Text(300, allow_none=True, metadata={"description": "In the State's own script."})
    kind = Choice(INSTITUTION_KINDS, required=True)
    state = StateCode(required=True)
    parent_id = Id(allow_none=True, metadata={"description": "The institution this one is part of, if any."})
    version = fields.Integer(dump_only=True)

    @ma.pre_dump
    def _columns(self, institution: Institution, **_kw: Any) -> dict[str, Any]:
        return {
            "id": institution.id,
            "name": institution.name,
            "native_name": institution.native_name,
            "kind": institution.kind,
            "state": institution.state.code,
            "parent_id": institution.parent_id,
            "version": institution.version,
        }


InstitutionUpdateSchema = update_schema(InstitutionSchema, "InstitutionUpdateSchema")


class InstitutionListArgs(ListArgs):
    state = StateFilter()
    kind = Choice(INSTITUTION_KINDS)
    parent_id = QueryId(metadata={"description": "Only the institutions directly under this one."})


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(Institution).options(joinedload(Institution.state))
    if "state" in args:
        query = query.where(Institution.state.has(State.code == args["state"].upper()))
    if "kind" in args:
        query = query.where(Institution.kind == args["kind"])
    if "parent_id" in args:
        query = query.where(Institution.parent_id == args["parent_id"])
    return query


def _write(institution: Institution | None, data: dict[str, Any]) -> Institution:
    """The body merged onto the record, saved by the service (services/facts/institutions.py)."""
    state = state_or_refuse(data["state"], "state") if "state" in data else institution.state  # type: ignore[union-attr]
    native_name = data["native_name"] or None if "native_name" in data else getattr(institution, "native_name", None)
    facts = InstitutionInput(
        state_id=state.id,
        name=data.get("name", institution.name if institution else ""),
        native_name=native_name,
        kind=data.get("kind", institution.kind if institution else ""),
        parent_id=data.get("parent_id", institution.parent_id if institution else None),
    )
    with answering_refusals():
        return save_institution(institution, facts)


register_crud(
    blp,
    Crud(
        path="/institutions",
        id_name="institution_id",
        model=Institution,
        schema=InstitutionSchema,
        list_args=InstitutionListArgs,
        filtered=_filtered,
        create_schema=InstitutionSchema,
        update_schema=InstitutionUpdateSchema,
        update=_write,
        summaries={
            "list": "List institutions, filtered by State, kind or parent institution.",
            "create": "Add an institution (analysts and above); its name must be new in its State.",
            "read": "One institution.",
            "update": "Change the fields sent; refused with 409 when `version` is not the stored one.",
        },
    ),
)
