"""API: the character, gravity and scale of each act of aggression (element E5, the manifest
violation of the Charter), one assessment per act and aspect, with evidence linked through
supports (``target_type`` "act_assessment"). As in the HTML views (views/acts.py), they are
recorded and changed, never deleted: evidence refers to them.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import Select, select

from extensions import db
from models import ActAssessment, AggressionAct
from models.enums import MANIFEST_ASPECTS
from services.facts.acts import save_assessment
from views.api.common import (
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    QueryId,
    Schema,
    Text,
    answering_refusals,
    refuse,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint(
    "act_assessments",
    __name__,
    description="The character, gravity and scale of each act of aggression (element E5), each with its evidence.",
)

FINDING_LENGTH = 20_000  # as the HTML form


class ActAssessmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    act_id = Id(required=True, metadata={"description": "The act of aggression assessed."})
    aspect = Choice(MANIFEST_ASPECTS, required=True, metadata={"description": "One assessment per act and aspect."})
    finding = Text(FINDING_LENGTH, blank_ok=False, required=True, metadata={"description": "What the evidence shows."})
    version = fields.Integer(dump_only=True)


class ActAssessmentEditSchema(Schema):
    """What an update may change: the act and the aspect stay as they are."""

    finding = Text(FINDING_LENGTH, blank_ok=False, required=True)


ActAssessmentUpdateSchema = update_schema(ActAssessmentEditSchema, "ActAssessmentUpdateSchema")


class ActAssessmentListArgs(ListArgs):
    act_id = QueryId()
    aspect = Choice(MANIFEST_ASPECTS)


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(ActAssessment)
    if "act_id" in args:
        query = query.where(ActAssessment.act_id == args["act_id"])
    if "aspect" in args:
        query = query.where(ActAssessment.aspect == args["aspect"])
    return query


def _create(data: dict[str, Any]) -> ActAssessment:
    act = db.session.get(AggressionAct, data["act_id"])
    if act is None:
        raise refuse("act_id", f"There is no act {data['act_id']}.")
    with answering_refusals():
        return save_assessment(act, data["aspect"], data["finding"])


def _update(assessment: ActAssessment | None, data: dict[str, Any]) -> ActAssessment:
    if assessment is None:  # not reached: creation goes through _create
        raise refuse("id", "Nothing to update.")
    with answering_refusals():
        return save_assessment(assessment.act, assessment.aspect, data["finding"], assessment)


register_crud(
    blp,
    Crud(
        path="/act-assessments",
        id_name="assessment_id",
        model=ActAssessment,
        schema=ActAssessmentSchema,
        list_args=ActAssessmentListArgs,
        filtered=_filtered,
        create_schema=ActAssessmentSchema,
        create=_create,
        update_schema=ActAssessmentUpdateSchema,
        update=_update,
        page_name="ActAssessmentPage",
        summaries={
            "list": "List the assessments of acts' character, gravity and scale, filtered by act or aspect.",
            "create": "Record an act's character, gravity or scale; a second one of the same aspect is 409.",
            "read": "One assessment.",
            "update": "Change the finding; refused with 409 when `version` is not the stored one.",
        },
    ),
)
