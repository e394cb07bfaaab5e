"""API: recipients of disclosure -- a defence team (with the officials it defends), victims'
counsel, another authority (services/disclosure/workflow.py, as the HTML pages)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import DisclosureRecipient
from models.enums import RECIPIENT_KINDS
from services.disclosure import workflow as disclosure
from views.api.common import (
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    Schema,
    Text,
    answering_refusals,
    save,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint(
    "disclosure-recipients",
    __name__,
    description="Who receives disclosed material: defence teams (linked to the officials they defend), "
    "victims' counsel, other authorities.",
)


class RecipientSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = Choice(RECIPIENT_KINDS, required=True, metadata={"description": "defence, victims_counsel or authority."})
    name = Text(300, blank_ok=False, required=True, metadata={"description": "Unique, whatever its case."})
    notes = Text(5_000, allow_none=True)
    official_ids = fields.List(
        Id(),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "For a defence team: the officials it defends (at least one, at most 50)."},
    )
    version = fields.Integer(dump_only=True)

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "official_ids":  # dumped from the recipient's officials
            return [o.id for o in obj.officials]
        return super().get_attribute(obj, attr, default)


RecipientUpdateSchema = update_schema(RecipientSchema, "RecipientUpdateSchema")


class RecipientListArgs(ListArgs):
    kind = Choice(RECIPIENT_KINDS)


def _filtered(args: dict[str, Any]) -> Any:
    query = select(DisclosureRecipient).options(selectinload(DisclosureRecipient.officials))
    if "kind" in args:
        query = query.where(DisclosureRecipient.kind == args["kind"])
    return query


def _save(recipient: DisclosureRecipient | None, data: dict[str, Any]) -> DisclosureRecipient:
    def given(name: str, default: Any) -> Any:
        return data.get(name, default)

    officials = [o.id for o in recipient.officials] if recipient is not None else []
    values = disclosure.RecipientInput(
        kind=given("kind", recipient.kind if recipient else ""),
        name=given("name", recipient.name if recipient else ""),
        notes=given("notes", recipient.notes if recipient else None) or None,
        official_ids=given("official_ids", officials),
    )
    with answering_refusals():
        saved = disclosure.save_recipient(db.session(), recipient, values)
    save()
    return saved


register_crud(
    blp,
    Crud(
        path="/disclosure/recipients",
        id_name="recipient_id",
        model=DisclosureRecipient,
        schema=RecipientSchema,
        page_name="RecipientPage",
        list_args=RecipientListArgs,
        filtered=_filtered,
        create_schema=RecipientSchema,
        update_schema=RecipientUpdateSchema,
        update=_save,
        summaries={
            "list": "List the recipients of disclosure, filtered by kind.",
            "create": "Add a recipient (analysts and above); a defence team names the officials it defends.",
            "read": "One recipient.",
            "update": "Change the fields sent; 409 when `version` is not the stored one.",
        },
    ),
)
