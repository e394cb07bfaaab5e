"""API: the items of disclosure batches -- one file of an exhibit each -- and their steps:
withheld with a Rule 81 reason, the originator's consent recorded (services/disclosure/). An
item is seen by those cleared for its exhibit; any other answers 404."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select

from extensions import db
from models import DisclosureItem, EvidenceFile
from models.enums import DISCLOSURE_CATEGORIES, ITEM_STATUSES, WITHHOLDING_REASONS
from services.common.access import visible_classifications
from services.disclosure import visibility
from services.disclosure import workflow as disclosure
from services.disclosure.stamping import ern
from services.evidence import exhibits as evidence_service
from views.api.common import (
    ID,
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    Pattern,
    QueryId,
    Schema,
    Text,
    not_after_today,
    not_found,
    refuse,
    save,
    update_schema,
)
from views.api.disclosure_batches import answering_disclosure_refusals
from views.api.resources import Crud, register_crud
from views.util import role_required

blp = ApiBlueprint(
    "disclosure-items",
    __name__,
    description="Items of disclosure batches: one file of an exhibit each, its category, conditions, status, "
    "withholding reason and originator's consent.",
)

SHA256 = Pattern(r"[0-9a-f]{64}", error="A SHA-256 in lower-case hex.")


class ItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    batch_id = Id(required=True)
    evidence_id = Id(required=True, metadata={"description": "The exhibit."})
    sha256 = fields.String(
        required=True,
        validate=SHA256,
        attribute="evidence_file.sha256",
        metadata={"description": "Which of the exhibit's files (the original or a derivative), by its SHA-256."},
    )
    category = Choice(
        DISCLOSURE_CATEGORIES,
        required=True,
        metadata={"description": "art_67_2 (potentially exculpatory), rule_77, rule_76 or incriminating."},
    )
    conditions = Text(5_000, allow_none=True, metadata={"description": "Conditions and restrictions."})
    status = Choice(ITEM_STATUSES, dump_only=True)
    withholding_reason = Choice(WITHHOLDING_REASONS, dump_only=True, allow_none=True)
    withholding_note = fields.String(dump_only=True, allow_none=True)
    consent_required = fields.Boolean(dump_only=True, metadata={"description": "The originator's consent is needed."})
    consent_by = fields.String(dump_only=True, allow_none=True)
    consent_on = fields.Date(dump_only=True, allow_none=True)
    consent_reference = fields.String(dump_only=True, allow_none=True)
    ern_first = fields.Method(
        "_ern_first",
        dump_only=True,
        metadata={"description": "The evidence registration number of the disclosed copy's first page (PDFs)."},
    )
    ern_last = fields.Method("_ern_last", dump_only=True, metadata={"description": "The number of its last page."})
    stamped_sha256 = fields.String(
        dump_only=True,
        allow_none=True,
        attribute="stamped_file.sha256",
        metadata={"description": "The SHA-256 of the stamped copy disclosed (a derivative of the file)."},
    )
    version = fields.Integer(dump_only=True)

    def _ern_first(self, item: DisclosureItem) -> str | None:
        return ern(current_app.config["ERN_PREFIX"], item.ern_first) if item.ern_first else None

    def _ern_last(self, item: DisclosureItem) -> str | None:
        return ern(current_app.config["ERN_PREFIX"], item.ern_last) if item.ern_last else None


class ItemEditSchema(Schema):
    category = Choice(DISCLOSURE_CATEGORIES)
    conditions = Text(5_000, allow_none=True)


ItemUpdateSchema = update_schema(ItemEditSchema, "ItemUpdateSchema")


class ItemListArgs(ListArgs):
    batch_id = QueryId()
    evidence_id = QueryId()
    status = Choice(ITEM_STATUSES)


class WithholdSchema(Schema):
    reason = Choice(WITHHOLDING_REASONS, required=True, metadata={"description": "Under Rule 81(1), (2) or (4)."})
    note = Text(5_000, allow_none=True)


class ConsentSchema(Schema):
    given_by = Text(300, blank_ok=False, required=True, metadata={"description": "Who gave the consent."})
    given_on = fields.Date(required=True, validate=not_after_today)
    reference = Text(300, blank_ok=False, required=True, metadata={"description": "A letter, a note verbale."})


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _load(item_id: int) -> DisclosureItem:
    item = visibility.get_visible_item(db.session(), item_id, _visible())
    if item is None:
        raise not_found()
    return item


def _filtered(args: dict[str, Any]) -> Any:
    query = visibility.visible_items(_visible(), args.get("batch_id"))
    if "evidence_id" in args:
        query = query.where(DisclosureItem.evidence_id == args["evidence_id"])
    if "status" in args:
        query = query.where(DisclosureItem.status == args["status"])
    return query.order_by(None)


def _create(data: dict[str, Any]) -> DisclosureItem:
    batch = visibility.get_visible_batch(db.session(), data["batch_id"], _visible())
    if batch is None:
        raise refuse("batch_id", "No such batch, or you are not cleared to see it.")
    evidence = evidence_service.get_visible(db.session(), data["evidence_id"], _visible())
    if evidence is None:
        raise refuse("evidence_id", "No such exhibit, or you are not cleared to see it.")
    file = db.session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.evidence_id == evidence.id, EvidenceFile.sha256 == data["evidence_file"]["sha256"]
        )
    )
    if file is None:
        raise refuse("sha256", "The exhibit has no file with this SHA-256.")
    with answering_disclosure_refusals():
        item = disclosure.add_item(
            db.session(), batch, file, category=data["category"], conditions=data.get("conditions"), actor=current_user
        )
    save()
    return item


def _update(item: DisclosureItem, data: dict[str, Any]) -> DisclosureItem:
    with answering_disclosure_refusals():
        disclosure.set_conditions(
            db.session(),
            item,
            data.get("category", item.category),
            data.get("conditions", item.conditions),
        )
    save()
    return item


register_crud(
    blp,
    Crud(
        path="/disclosure/items",
        id_name="item_id",
        model=DisclosureItem,
        schema=ItemSchema,
        list_args=ItemListArgs,
        filtered=_filtered,
        load=_load,
        create_schema=ItemSchema,
        create=_create,
        update_schema=ItemUpdateSchema,
        update=_update,
        summaries={
            "list": "List the items your clearance covers, filtered by batch, exhibit or status.",
            "create": "Propose a file of an exhibit in a batch in preparation (analysts and above).",
            "read": "One item.",
            "update": "Change the category or conditions of an item of a batch in preparation; 409 otherwise.",
        },
    ),
)


@blp.route(f"/disclosure/items/<{ID}:item_id>/withhold")
class ItemWithholding(MethodView):
    @role_required("analyst")
    @blp.arguments(WithholdSchema)
    @blp.response(200, ItemSchema)
    def post(self, data: dict[str, Any], item_id: int) -> DisclosureItem:
        """Withhold an item with a Rule 81 reason: while its batch is prepared, or approved (then
        prosecutors only: 403 otherwise); 409 once disclosed or withheld."""
        item = _load(item_id)
        with answering_disclosure_refusals():
            disclosure.withhold(db.session(), item, data["reason"], data.get("note"), current_user)
        save()
        return item


@blp.route(f"/disclosure/items/<{ID}:item_id>/consent")
class ItemConsent(MethodView):
    @role_required("analyst")
    @blp.arguments(ConsentSchema)
    @blp.response(200, ItemSchema)
    def post(self, data: dict[str, Any], item_id: int) -> DisclosureItem:
        """Record the originator's consent to disclose the item: who gave it, when, its reference.
        409 once the item is disclosed or withheld."""
        item = _load(item_id)
        with answering_disclosure_refusals():
            disclosure.record_consent(
                db.session(),
                item,
                given_by=data["given_by"],
                given_on=data["given_on"],
                reference=data["reference"],
                actor=current_user,
            )
        save()
        return item
