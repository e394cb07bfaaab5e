"""API: decisions of institutions, with the acts of aggression they contributed to.

The rules are the HTML views' (views/decisions.py): analysts add, edit and delete; the same
title of the same institution on the same date is a duplicate; deleted decisions are 404.
"""

from __future__ import annotations

from typing import Any, cast

import marshmallow as ma
from marshmallow import fields
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import AggressionAct, Decision, Institution, PartialDate
from models.decision import decision_act
from models.enums import CONDUCT_STAGES, DECISION_KINDS
from services.common import records
from services.facts import decisions as decision_service
from views.api.common import (
    ApiBlueprint,
    Choice,
    DeleteArgs,
    Id,
    ListArgs,
    Precision,
    QueryId,
    Schema,
    Text,
    exists_or_refuse,
    merged_date,
    partial_date,
    refuse,
    save,
    update_schema,
)
from views.api.resources import Crud, register_crud
from views.listing import date_range_filter

blp = ApiBlueprint("decisions", __name__, description="Political, diplomatic and military decisions of institutions.")

SUMMARY_LENGTH = 20_000  # as the HTML form allows
MAX_ACTS = 100  # far more acts than any decision contributes to; bounds the list


class DecisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = Text(300, blank_ok=False, required=True)
    kind = Choice(DECISION_KINDS, required=True)
    date = fields.Date(
        required=True,
        metadata={"description": "The first day of what is known: 2022-02-01 with precision month for February 2022."},
    )
    date_precision = Precision(metadata={"description": "day (the default), month or year."})
    institution_id = Id(required=True, metadata={"description": "The institution that took the decision."})
    instrument = Text(300, allow_none=True, metadata={"description": "Decree, resolution, treaty or order, numbered."})
    summary = Text(SUMMARY_LENGTH, allow_none=True)
    stage = Choice(CONDUCT_STAGES, allow_none=True, metadata={"description": "The conduct it represents (Art. 8 bis)."})
    act_ids = fields.List(
        Id(),
        validate=ma.validate.Length(max=MAX_ACTS),
        metadata={"description": "The acts of aggression it contributed to, in id order."},
    )
    version = fields.Integer(dump_only=True)

    @ma.pre_dump
    def _columns(self, decision: Decision, **_kw: Any) -> dict[str, Any]:
        return {
            "id": decision.id,
            "title": decision.title,
            "kind": decision.kind,
            "date": decision.date,
            "date_precision": decision.date_precision,
            "institution_id": decision.institution_id,
            "instrument": decision.instrument,
            "summary": decision.summary,
            "stage": decision.stage,
            "act_ids": sorted(act.id for act in decision.acts),
            "version": decision.version,
        }


class DecisionWriteSchema(DecisionSchema):
    @ma.validates_schema
    def _date(self, data: dict[str, Any], **_kw: Any) -> None:
        # A precision alone (an update) is checked against the stored date in _input.
        if "date" in data:
            partial_date(data, "date")


DecisionUpdateSchema = update_schema(DecisionWriteSchema, "DecisionUpdateSchema")


class DecisionListArgs(ListArgs):
    institution_id = QueryId()
    kind = Choice(DECISION_KINDS)
    stage = Choice(CONDUCT_STAGES)
    act_id = QueryId(metadata={"description": "Decisions that contributed to this act of aggression."})
    date_from = fields.Date(
        metadata={"description": "Decisions that may fall on or after this day (a month or year date counts)."}
    )
    date_to = fields.Date(metadata={"description": "Decisions that may fall on or before this day."})


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(Decision).where(Decision.deleted_at.is_(None))
    for name in ("institution_id", "kind", "stage"):
        if name in args:
            query = query.where(getattr(Decision, name) == args[name])
    if "act_id" in args:
        query = query.where(
            exists().where(decision_act.c.decision_id == Decision.id, decision_act.c.act_id == args["act_id"])
        )
    # The HTML list's date semantics: a partial date counts when it may fall in the range.
    if "date_from" in args:
        query = date_range_filter(Decision.date, "from", Decision.date_precision)(query, args["date_from"].isoformat())
    if "date_to" in args:
        query = date_range_filter(Decision.date, "to")(query, args["date_to"].isoformat())
    return query.options(selectinload(Decision.acts))


def _when(data: dict[str, Any], decision: Decision | None) -> PartialDate:
    """The decision's date after the change (creation requires one: the schema says so)."""
    return cast(PartialDate, merged_date(data, decision, "date", required=True))


def _act_ids(act_ids: list[int]) -> list[int]:
    """The acts named, each once, refusing an id that names no act."""
    wanted = list(dict.fromkeys(act_ids))
    known = set(db.session.scalars(select(AggressionAct.id).where(AggressionAct.id.in_(wanted))))
    missing = [act_id for act_id in wanted if act_id not in known]
    if missing:
        raise refuse("act_ids", f"There is no act of aggression {missing[0]}.")
    return wanted


# What a creation may leave out; an update keeps the record's value instead.
_OPTIONAL = {"instrument": None, "summary": None, "stage": None}


def _input(data: dict[str, Any], decision: Decision | None) -> decision_service.DecisionInput:
    """The service's input from a (possibly partial) body, the record filling what is not sent."""

    def given(key: str) -> Any:
        if key in data:
            return data[key]
        return getattr(decision, key) if decision is not None else _OPTIONAL[key]

    if "institution_id" in data:
        exists_or_refuse(Institution, data["institution_id"], "institution_id")
    if "act_ids" in data:
        act_ids = _act_ids(data["act_ids"])
    else:
        act_ids = [act.id for act in decision.acts] if decision is not None else []
    return decision_service.DecisionInput(
        title=given("title"),
        kind=given("kind"),
        when=_when(data, decision),
        institution_id=given("institution_id"),
        instrument=given("instrument") or None,
        summary=given("summary") or None,
        stage=given("stage"),
        act_ids=act_ids,
    )


def _write(decision: Decision | None, data: dict[str, Any]) -> Decision:
    values = _input(data, decision)
    twin = decision_service.duplicate_decision(values, decision)
    if twin is not None:
        raise refuse(
            "title",
            f"The decision {twin.title!r} of this institution on {twin.when} is already recorded (#{twin.id}).",
            status=409,
        )
    decision = decision or Decision()
    decision_service.apply_decision(decision, values)  # before add: its query must not flush a blank row
    db.session.add(decision)
    save()
    return decision


def _delete(decision: Decision, args: dict[str, Any]) -> None:
    records.soft_delete(db.session(), decision, args["reason"])


register_crud(
    blp,
    Crud(
        path="/decisions",
        id_name="decision_id",
        model=Decision,
        schema=DecisionSchema,
        list_args=DecisionListArgs,
        filtered=_filtered,
        create_schema=DecisionWriteSchema,
        update_schema=DecisionUpdateSchema,
        update=_write,
        delete=_delete,
        delete_args=DeleteArgs,
        summaries={
            "list": "List decisions, filtered by institution, kind, stage, act or date range.",
            "create": "Add a decision (analysts and above); the same title, institution and date is a duplicate (409).",
            "read": "One decision.",
            "update": "Change the fields sent; refused with 409 when `version` is not the stored one.",
            "delete": "Delete a decision (kept, and restorable by an administrator).",
        },
    ),
)
