"""API: tenures, an official's time in a position, with partial start and end dates.

The rules are the HTML tenure form's, one service for both (services/facts/tenures.py): the
official must not be deleted, one tenure per official, position and start, the end not
before the start; a tenure with evidence linked to it cannot be removed. Every rule is
checked before the flush; a unique key saved meanwhile answers 409 duplicate all the same.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import Select, exists, select

from models import Official, Tenure
from services.facts.tenures import TenureInput, delete_tenure, save_tenure
from views.api.common import (
    ApiBlueprint,
    Id,
    ListArgs,
    Precision,
    QueryId,
    Schema,
    Text,
    answering_refusals,
    load,
    merged_period,
    not_found,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("tenures", __name__, description="Who held which position, from when to when.")

NOTE_LENGTH = 2000  # as the HTML form


# --- schemas ------------------------------------------------------------------------------


class TenurePeriodSchema(Schema):
    """What an update may change: an official's tenure stays the official's."""

    position_id = Id(required=True)
    start_date = fields.Date(required=True, metadata={"description": "A month or year date is given as its first day."})
    start_date_precision = Precision(metadata={"description": "day (the default), month or year."})
    end_date = fields.Date(allow_none=True, metadata={"description": "Null while the official is in office."})
    end_date_precision = Precision(allow_none=True)
    note = Text(NOTE_LENGTH, allow_none=True)


class TenureWriteSchema(TenurePeriodSchema):
    official_id = Id(required=True)


class TenureSchema(TenureWriteSchema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


TenureUpdateSchema = update_schema(TenurePeriodSchema, "TenureUpdateSchema")


class TenureListArgs(ListArgs):
    official_id = QueryId()
    position_id = QueryId()


def _filtered(args: dict[str, Any]) -> Select[Any]:
    """Tenures of live officials: a deleted official's tenures go with their page."""
    query = select(Tenure).where(exists().where(Official.id == Tenure.official_id, Official.deleted_at.is_(None)))
    if "official_id" in args:
        query = query.where(Tenure.official_id == args["official_id"])
    if "position_id" in args:
        query = query.where(Tenure.position_id == args["position_id"])
    return query


def _tenure(tenure_id: int) -> Tenure:
    tenure = load(Tenure, tenure_id)
    if tenure.official.is_deleted:
        raise not_found()
    return tenure


def _write(tenure: Tenure | None, data: dict[str, Any]) -> Tenure:
    """The body merged onto the record, saved by the service (services/facts/tenures.py)."""
    start, end = merged_period(data, tenure)
    facts = TenureInput(
        official_id=tenure.official_id if tenure else data["official_id"],
        position_id=data.get("position_id", tenure.position_id if tenure else None),  # type: ignore[arg-type]
        start=start,
        end=end,
        note=data["note"] or None if "note" in data else getattr(tenure, "note", None),
    )
    with answering_refusals():
        return save_tenure(tenure, facts)


def _delete(tenure: Tenure) -> None:
    with answering_refusals():
        delete_tenure(tenure)


register_crud(
    blp,
    Crud(
        path="/tenures",
        id_name="tenure_id",
        model=Tenure,
        schema=TenureSchema,
        list_args=TenureListArgs,
        filtered=_filtered,
        load=_tenure,
        create_schema=TenureWriteSchema,
        update_schema=TenureUpdateSchema,
        update=_write,
        delete=_delete,
        summaries={
            "list": "List tenures, filtered by official or position.",
            "create": "Add a tenure (analysts and above).",
            "read": "One tenure.",
            "update": "Change the fields sent (not the official); 409 when `version` is not the stored one.",
            "delete": "Remove a tenure entered in error; refused (409 in-use) while evidence is linked to it.",
        },
    ),
)
