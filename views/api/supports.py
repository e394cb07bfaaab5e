"""API: supports, the links from an exhibit to the one fact it bears on, for it or against it.

The rules are the HTML views' (views/evidence.py): analysts add, edit and remove links; the
fact a link bears on never changes (add another link instead); an exhibit links to a fact
once, supporting or contradicting it (a second link is a duplicate). A support is as visible
as its evidence: when the evidence is above the caller's clearance or deleted, the support is
missing (not listed, 404), and naming such evidence in a new support is refused exactly as a
missing id is.
Supports have no soft delete: the HTML views remove them, and so does the API.

Four eyes on grades (services/evidence/confirmations.py, setting FOUR_EYES_GRADES): each support
says whether it needs a second analyst's confirmation, whether it awaits one (and so counts as
partial), who made it and who confirmed it; POST /supports/{id}/confirm confirms it, with the
same service function and refusals as the HTML button.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields, validate
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import (
    SUPPORT_TARGET_COLUMNS,
    ActAssessment,
    AggressionAct,
    Decision,
    Evidence,
    Involvement,
    Support,
    Tenure,
)
from models.enums import STANCES, SUPPORT_TARGETS
from services.common.access import visible_classifications
from services.evidence import confirmations, pinpoints
from services.evidence import exhibits as evidence_service
from services.evidence.store import store_for
from views.api.common import (
    ID,
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    QueryId,
    Schema,
    Text,
    not_found,
    refuse,
    save,
    update_schema,
)
from views.api.problems import ApiProblem
from views.api.resources import Crud, register_crud
from views.util import role_required

blp = ApiBlueprint("supports", __name__, description="Links from an exhibit to the fact it supports or contradicts.")

PINPOINT_LENGTH = 300
NOTE_LENGTH = 5000  # as the HTML form allows


class Verbatim(Text):
    """Text kept exactly as sent (a quoted passage and its context: spaces at either end count)."""

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        return fields.String.deserialize(self, value, attr, data, **kwargs)


class SelectorSchema(Schema):
    """Where in a file of the exhibit the support points: a passage of a page (W3C Web Annotation
    TextQuoteSelector: ``page``, ``exact``, ``prefix``, ``suffix``) or a time range of an audio or
    video file (``start``, ``end``, seconds). The passage's exact text must occur on that page of
    the file's stored text, with the prefix right before and the suffix right after it; a time
    range runs forward from 0 and ends within the recording when its length is known. Refused
    with 400 otherwise."""

    type = fields.String(
        dump_only=True, metadata={"description": "TextQuoteSelector (a passage) or FragmentSelector (a time range)."}
    )
    file_id = Id(required=True, metadata={"description": "A file of the support's exhibit."})
    page = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(1, pinpoints.MAX_ID), metadata={"description": "From 1."}
    )
    exact = Verbatim(pinpoints.MAX_EXACT, allow_none=True, metadata={"description": "The quoted text, as on the page."})
    prefix = Verbatim(pinpoints.MAX_CONTEXT, allow_none=True, metadata={"description": "The text right before it."})
    suffix = Verbatim(pinpoints.MAX_CONTEXT, allow_none=True, metadata={"description": "The text right after it."})
    start = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(0, pinpoints.MAX_SECONDS))
    end = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(0, pinpoints.MAX_SECONDS))


class SupportSchema(Schema):
    id = fields.Integer(dump_only=True)
    evidence_id = Id(required=True, metadata={"description": "The exhibit."})
    target_type = Choice(SUPPORT_TARGETS, required=True, metadata={"description": "The kind of fact it bears on."})
    target_id = Id(
        required=True,
        metadata={
            "description": "The tenure, involvement, decision, act, or act assessment (its character, gravity"
            " or scale)."
        },
    )
    stance = Choice(STANCES, required=True)
    pinpoint = Text(
        PINPOINT_LENGTH, allow_none=True, metadata={"description": "Where in the exhibit: page, paragraph, timestamp."}
    )
    selector = fields.Nested(
        SelectorSchema,
        allow_none=True,
        metadata={
            "description": "Where in a file of the exhibit: a quoted passage or a time range (or null).",
            "nullable": True,
        },
    )
    version = fields.Integer(dump_only=True)
    needs_confirmation = fields.Method(
        "_needs",
        dump_only=True,
        metadata={
            "description": "Four eyes on grades: a primary exhibit graded A-C supporting a tenure or an involvement,"
            " which proves the fact only once a second analyst confirms the link (when the setting is on)."
        },
    )
    awaiting_confirmation = fields.Method(
        "_awaiting",
        dump_only=True,
        metadata={
            "description": "The setting is on and the link needs a confirmation it has not had: it counts as partial."
        },
    )
    linked_by = fields.Integer(
        dump_only=True,
        allow_none=True,
        attribute="linked_by_id",
        metadata={"description": "User id of who made or last changed the link (null: not recorded)."},
    )
    confirmed_by = fields.Integer(
        dump_only=True,
        allow_none=True,
        attribute="confirmed_by_id",
        metadata={
            "description": "User id of the second analyst who confirmed it; null until confirmed, and again"
            " after the link or the exhibit's grade changes."
        },
    )
    confirmed_at = fields.DateTime(dump_only=True, allow_none=True)

    def _needs(self, support: Support) -> bool:
        return confirmations.needs_confirmation(support)

    def _awaiting(self, support: Support) -> bool:
        return confirmations.awaiting(support, confirmations.four_eyes_on())


class SupportEditSchema(Schema):
    """What an update may change: the exhibit and the fact stay as they are."""

    stance = Choice(STANCES, required=True)
    pinpoint = Text(PINPOINT_LENGTH, allow_none=True)
    selector = fields.Nested(SelectorSchema, allow_none=True, metadata={"nullable": True})
    note = Text(NOTE_LENGTH, allow_none=True, load_only=True)


class SupportWriteSchema(SupportSchema):
    note = Text(NOTE_LENGTH, allow_none=True, load_only=True)


SupportUpdateSchema = update_schema(SupportEditSchema, "SupportUpdateSchema")


class SupportListArgs(ListArgs):
    evidence_id = QueryId()
    target_type = Choice(SUPPORT_TARGETS, metadata={"description": "The kind of fact; required with target_id."})
    target_id = QueryId(metadata={"description": "With target_type: links to this one fact."})
    stance = Choice(STANCES)

    @ma.validates_schema
    def _target(self, data: dict[str, Any], **_kw: Any) -> None:
        if "target_id" in data and "target_type" not in data:
            raise ma.ValidationError({"target_id": ["Give target_type with target_id."]})


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _target_column(target_type: str) -> Any:
    return getattr(Support, SUPPORT_TARGET_COLUMNS[target_type])


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = (
        select(Support)
        .join(Evidence, Support.evidence_id == Evidence.id)
        .where(Evidence.classification.in_(_visible()), Evidence.deleted_at.is_(None))
        .options(contains_eager(Support.evidence))  # its grade says whether the link needs a confirmation
    )
    if "evidence_id" in args:
        query = query.where(Support.evidence_id == args["evidence_id"])
    if "stance" in args:
        query = query.where(Support.stance == args["stance"])
    if "target_type" in args:
        column = _target_column(args["target_type"])
        query = query.where(column == args["target_id"] if "target_id" in args else column.is_not(None))
    return query


def _load(support_id: int) -> Support:
    support = evidence_service.get_support(db.session(), support_id, _visible())
    if support is None:
        raise not_found()
    return support


def _target_is_live(target_type: str, target_id: int) -> bool:
    """Whether the fact exists and may be linked: the facts the HTML form offers (those of
    deleted officials and decisions left out)."""
    if target_type == "act":
        return db.session.get(AggressionAct, target_id) is not None
    if target_type == "act_assessment":
        return db.session.get(ActAssessment, target_id) is not None
    if target_type == "decision":
        decision = db.session.get(Decision, target_id)
        return decision is not None and not decision.is_deleted
    if target_type == "tenure":
        tenure = db.session.get(Tenure, target_id)
        return tenure is not None and not tenure.official.is_deleted
    involvement = db.session.get(Involvement, target_id)
    return involvement is not None and not (involvement.official.is_deleted or involvement.decision.is_deleted)


def _duplicate(twin: Support) -> ApiProblem:
    return refuse(
        "stance",
        f"Exhibit {twin.evidence.exhibit_no} is already linked to this {twin.target_type} "
        f"with the stance {twin.stance!r} (support #{twin.id}): an exhibit supports or contradicts a fact, "
        "never both. Change that link's stance instead.",
        status=409,
    )


def _create(data: dict[str, Any]) -> Support:
    evidence = evidence_service.get_visible(db.session(), data["evidence_id"], _visible())
    if evidence is None:
        raise refuse("evidence_id", f"There is no record {data['evidence_id']}.")
    target_type, target_id = data["target_type"], data["target_id"]
    if not _target_is_live(target_type, target_id):
        raise refuse("target_id", f"There is no {target_type} {target_id}.")
    twin = evidence_service.duplicate_support(db.session(), evidence.id, target_type, target_id)
    if twin is not None:
        raise _duplicate(twin)
    return evidence_service.add_support(
        db.session(),
        evidence,
        target_type,
        target_id,
        stance=data["stance"],
        pinpoint=data.get("pinpoint") or None,
        note=data.get("note") or None,
        anchor=_anchor(evidence, data.get("selector")),
    )


def _anchor(evidence: Evidence, selector: dict[str, Any] | None) -> pinpoints.Anchor | None:
    """The selector sent, checked against the exhibit's file (400 with the reason)."""
    if selector is None:
        return None
    keys = ("page", "exact", "prefix", "suffix", "start", "end")
    anchor = pinpoints.Anchor(selector["file_id"], **{key: selector.get(key) for key in keys})
    try:
        return pinpoints.checked(db.session(), store_for(current_app.config), evidence, anchor)
    except pinpoints.AnchorRefused as refusal:
        raise refuse("selector", str(refusal)) from refusal


def _update(support: Support, data: dict[str, Any]) -> Support:
    support.stance = data.get("stance", support.stance)  # the one link of this exhibit to this fact
    for name in ("pinpoint", "note"):
        if name in data:
            setattr(support, name, data[name] or None)
    if "selector" in data:
        pinpoints.apply(support, _anchor(support.evidence, data["selector"]))
    save()
    return support


def _delete(support: Support) -> None:
    db.session.delete(support)
    save()


register_crud(
    blp,
    Crud(
        path="/supports",
        id_name="support_id",
        model=Support,
        schema=SupportSchema,
        list_args=SupportListArgs,
        filtered=_filtered,
        load=_load,
        create_schema=SupportWriteSchema,
        create=_create,
        update_schema=SupportUpdateSchema,
        update=_update,
        delete=_delete,
        summaries={
            "list": "List the supports of the evidence you may see, filtered by evidence, fact or stance.",
            "create": "Link an exhibit to a fact; an exhibit links to a fact once, supporting or contradicting it:"
            " a second link is a duplicate (409).",
            "read": "One support.",
            "update": "Change the stance, pinpoint, selector or note; refused with 409 when `version` is not the"
            " stored one.",
            "delete": "Remove the link (the exhibit and the fact stay).",
        },
    ),
)


@blp.route(f"/supports/<{ID}:support_id>/confirm")
class SupportConfirmation(MethodView):
    @role_required(confirmations.CONFIRMING_ROLE)
    @blp.response(200, SupportSchema)
    def post(self, support_id: int) -> Support:
        """Confirm, as a second analyst, that the link's exhibit (graded A-C) proves its tenure or
        involvement (four eyes on grades). No body. Refused with 403 to whoever graded the exhibit
        or made the link, with 409 when the setting is off, the link needs no confirmation or
        is already confirmed; 404 when the exhibit is above your clearance."""
        support = _load(support_id)
        try:
            confirmations.confirm_support(db.session(), support, current_user, rule=confirmations.four_eyes_on())
        except confirmations.ConfirmationRefused as refused:
            kind = "forbidden" if refused.status == 403 else "refused"
            raise ApiProblem(refused.status, kind, refused.message) from refused
        save()
        return support
