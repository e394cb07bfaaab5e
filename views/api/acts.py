"""API: acts of aggression under UNGA Res. 3314 (1974), Art. 3 (a)-(g).

Acts are edited, never deleted (decisions and evidence refer to them), so there is no
DELETE, as in the HTML views (views/acts.py). Their rules are the HTML form's: a unique
title, at least one category and one responsible State, the end not before the start.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import ActCategory, AggressionAct, State
from models.enums import ACT_CATEGORIES, MANIFEST_ASPECTS
from services.facts.acts import ActInput, save_act
from views.api.common import (
    ApiBlueprint,
    Choice,
    ListArgs,
    Precision,
    Schema,
    StateCode,
    StateFilter,
    Text,
    answering_refusals,
    merged_period,
    refuse,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint(
    "acts", __name__, description="Acts of aggression (UNGA Res. 3314, Art. 3) and the States responsible."
)

DESCRIPTION_LENGTH = 20_000  # as the HTML form
MAX_STATES = 20  # far more than any act has; bounds the list


class _AssessmentSchema(Schema):
    id = fields.Integer(required=True)
    aspect = Choice(MANIFEST_ASPECTS, required=True)
    finding = fields.String(required=True)


class ActSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = Text(300, blank_ok=False, required=True, metadata={"description": "Unique among acts."})
    description = Text(
        DESCRIPTION_LENGTH, allow_none=True, metadata={"description": "Character, gravity and scale of the act."}
    )
    categories = fields.List(
        Choice(ACT_CATEGORIES),
        required=True,
        validate=ma.validate.Length(1, len(ACT_CATEGORIES)),
        metadata={"description": "Art. 3 letters, a to g: at least one."},
    )
    states = fields.List(
        StateCode(),
        required=True,
        validate=ma.validate.Length(1, MAX_STATES),
        metadata={"description": "Codes of the responsible States: at least one."},
    )
    start_date = fields.Date(required=True, metadata={"description": "A month or year date is given as its first day."})
    start_date_precision = Precision(metadata={"description": "day (the default), month or year."})
    end_date = fields.Date(allow_none=True, metadata={"description": "Null while the act continues."})
    end_date_precision = Precision(allow_none=True)
    assessments = fields.List(
        fields.Nested(_AssessmentSchema),
        dump_only=True,
        metadata={"description": "Its character, gravity and scale as assessed (element E5): /act-assessments."},
    )
    version = fields.Integer(dump_only=True)

    @ma.pre_dump
    def _columns(self, act: AggressionAct, **_kw: Any) -> dict[str, Any]:
        return {
            "id": act.id,
            "title": act.title,
            "description": act.description,
            "categories": act.categories,
            "states": [state.code for state in act.states],
            "start_date": act.start_date,
            "start_date_precision": act.start_date_precision,
            "end_date": act.end_date,
            "end_date_precision": act.end_date_precision,
            "assessments": [{"id": a.id, "aspect": a.aspect, "finding": a.finding} for a in act.assessments],
            "version": act.version,
        }


ActUpdateSchema = update_schema(ActSchema, "ActUpdateSchema")


class ActListArgs(ListArgs):
    state = StateFilter()
    category = Choice(ACT_CATEGORIES, metadata={"description": "An Art. 3 letter, a to g."})


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(AggressionAct).options(
        selectinload(AggressionAct.category_rows),
        selectinload(AggressionAct.states),
        selectinload(AggressionAct.assessments),
    )
    if "state" in args:
        query = query.where(AggressionAct.states.any(State.code == args["state"].upper()))
    if "category" in args:
        query = query.where(AggressionAct.category_rows.any(ActCategory.category == args["category"]))
    return query


def _states(codes: list[str]) -> list[State]:
    """The States named, in code order; 422 naming the first code not recorded."""
    wanted = sorted(set(codes))
    found = {s.code: s for s in db.session.scalars(select(State).where(State.code.in_(wanted)))}
    for index, code in enumerate(codes):
        if code not in found:
            raise refuse(f"states.{index}", f"No State {code} is recorded.")
    return [found[code] for code in wanted]


def _write(act: AggressionAct | None, data: dict[str, Any]) -> AggressionAct:
    """The body merged onto the record, saved by the service (services/facts/acts.py)."""
    start, end = merged_period(data, act)
    if "states" in data:
        state_ids = [state.id for state in _states(data["states"])]
    else:
        state_ids = [state.id for state in act.states] if act else []
    facts = ActInput(
        title=data.get("title", act.title if act else ""),
        categories=data.get("categories", act.categories if act else []),
        state_ids=state_ids,
        start=start,
        end=end,
        description=data["description"] or None if "description" in data else getattr(act, "description", None),
    )
    with answering_refusals():
        return save_act(act, facts)


register_crud(
    blp,
    Crud(
        path="/acts",
        id_name="act_id",
        model=AggressionAct,
        schema=ActSchema,
        list_args=ActListArgs,
        filtered=_filtered,
        create_schema=ActSchema,
        update_schema=ActUpdateSchema,
        update=_write,
        summaries={
            "list": "List acts, filtered by responsible State or Art. 3 category.",
            "create": "Add an act (analysts and above).",
            "read": "One act.",
            "update": "Change the fields sent; refused with 409 when `version` is not the stored one.",
        },
    ),
)
