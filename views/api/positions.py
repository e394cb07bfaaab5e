"""API: positions, the posts within an institution, with their tier and troika flag.

Positions are edited, never deleted (tenures refer to them), so there is no DELETE, as in
the HTML views (views/institutions.py).
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import Select, select

from models import Position
from models.enums import POSITION_TIERS, TROIKA_KINDS
from services.facts.positions import PositionInput, save_position
from views.api.common import (
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    QueryId,
    Schema,
    Text,
    answering_refusals,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("positions", __name__, description="Posts within an institution, by tier; troika posts flagged.")


class PositionSchema(Schema):
    id = fields.Integer(dump_only=True)
    institution_id = Id(required=True)
    title = Text(300, blank_ok=False, required=True, metadata={"description": "Unique within the institution."})
    tier = Choice(
        POSITION_TIERS,
        required=True,
        metadata={"description": "leadership: able to direct the State's political or military action (E2)."},
    )
    troika = Choice(
        TROIKA_KINDS,
        allow_none=True,
        metadata={"description": "Head of state or government, or foreign minister: trial in absentia waits."},
    )
    version = fields.Integer(dump_only=True)


PositionUpdateSchema = update_schema(PositionSchema, "PositionUpdateSchema")


class PositionListArgs(ListArgs):
    institution_id = QueryId()
    tier = Choice(POSITION_TIERS)


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(Position)  # the page shows columns only: one query, however many rows
    if "institution_id" in args:
        query = query.where(Position.institution_id == args["institution_id"])
    if "tier" in args:
        query = query.where(Position.tier == args["tier"])
    return query


def _write(position: Position | None, data: dict[str, Any]) -> Position:
    """The body merged onto the record, saved by the service (services/facts/positions.py)."""
    facts = PositionInput(
        institution_id=data.get("institution_id", position.institution_id if position else None),  # type: ignore[arg-type]
        title=data.get("title", position.title if position else ""),
        tier=data.get("tier", position.tier if position else ""),
        troika=data["troika"] if "troika" in data else getattr(position, "troika", None),
    )
    with answering_refusals():
        return save_position(position, facts)


register_crud(
    blp,
    Crud(
        path="/positions",
        id_name="position_id",
        model=Position,
        schema=PositionSchema,
        list_args=PositionListArgs,
        filtered=_filtered,
        create_schema=PositionSchema,
        update_schema=PositionUpdateSchema,
        update=_write,
        summaries={
            "list": "List positions, filtered by institution or tier.",
            "create": "Add a position (analysts and above); its title must be new in its institution.",
            "read": "One position.",
            "update": "Change the fields sent; refused with 409 when `version` is not the stored one.",
        },
    ),
)
