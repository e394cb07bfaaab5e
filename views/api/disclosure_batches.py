"""API: disclosure batches and their steps -- approval by a prosecutor who did not prepare the
batch, then disclosure (services/disclosure/workflow.py, as the HTML pages). A batch holding only
exhibits above the caller's clearance answers 404, as a missing one does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields

from extensions import db
from models import DisclosureBatch
from models.enums import BATCH_STATUSES
from services.common.access import visible_classifications
from services.disclosure import visibility
from services.disclosure import workflow as disclosure
from services.evidence.store import store_for
from services.facts.errors import FactRefused
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
    problem_for,
    save,
    update_schema,
)
from views.api.problems import ApiProblem
from views.api.resources import Crud, register_crud
from views.util import role_required

blp = ApiBlueprint(
    "disclosure-batches",
    __name__,
    description="Batches of material disclosed to one recipient: prepared, approved by a second prosecutor, disclosed.",
)


@contextmanager
def answering_disclosure_refusals() -> Iterator[None]:
    """The workflow's refusals as problems: 403 for a step the caller's role or clearance does
    not allow, 409 for one the record's state refuses, 422 (or 409 duplicate) for bad input."""
    try:
        yield
    except disclosure.NotAllowed as exc:
        raise ApiProblem(403, "forbidden", exc.detail) from exc
    except disclosure.Refused as exc:
        raise ApiProblem(409, "refused", exc.detail) from exc
    except FactRefused as exc:
        raise problem_for(exc) from exc


class BatchSchema(Schema):
    id = fields.Integer(dump_only=True)
    recipient_id = Id(required=True)
    batch_date = fields.Date(required=True, metadata={"description": "The date it is (to be) served."})
    basis = Text(500, blank_ok=False, required=True, metadata={"description": "The rule or order it answers."})
    notes = Text(5_000, allow_none=True)
    status = Choice(BATCH_STATUSES, dump_only=True, metadata={"description": "draft, approved or disclosed."})
    prepared_by = fields.Integer(dump_only=True, attribute="prepared_by_id", metadata={"description": "User id."})
    approved_by = fields.Integer(dump_only=True, allow_none=True, attribute="approved_by_id")
    approved_at = fields.DateTime(dump_only=True, allow_none=True)
    disclosed_by = fields.Integer(dump_only=True, allow_none=True, attribute="disclosed_by_id")
    disclosed_at = fields.DateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


BatchUpdateSchema = update_schema(BatchSchema, "BatchUpdateSchema")


class BatchListArgs(ListArgs):
    recipient_id = QueryId()
    status = Choice(BATCH_STATUSES)


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def load_visible_batch(batch_id: int) -> DisclosureBatch:
    batch = visibility.get_visible_batch(db.session(), batch_id, _visible())
    if batch is None:
        raise not_found()
    return batch


def _filtered(args: dict[str, Any]) -> Any:
    query = visibility.visible_batches(_visible(), args.get("recipient_id"))
    if "status" in args:
        query = query.where(DisclosureBatch.status == args["status"])
    return query


def _input(data: dict[str, Any], batch: DisclosureBatch | None) -> disclosure.BatchInput:
    def given(name: str) -> Any:
        return data[name] if name in data else getattr(batch, name, None)

    return disclosure.BatchInput(given("recipient_id"), given("batch_date"), given("basis"), given("notes") or None)


def _create(data: dict[str, Any]) -> DisclosureBatch:
    with answering_disclosure_refusals():
        batch = disclosure.create_batch(db.session(), _input(data, None), current_user)
    save()
    return batch


def _update(batch: DisclosureBatch, data: dict[str, Any]) -> DisclosureBatch:
    with answering_disclosure_refusals():
        disclosure.update_batch(db.session(), batch, _input(data, batch))
    save()
    return batch


register_crud(
    blp,
    Crud(
        path="/disclosure/batches",
        id_name="batch_id",
        model=DisclosureBatch,
        schema=BatchSchema,
        list_args=BatchListArgs,
        filtered=_filtered,
        load=load_visible_batch,
        create_schema=BatchSchema,
        create=_create,
        update_schema=BatchUpdateSchema,
        update=_update,
        summaries={
            "list": "List the batches you may see (those holding an exhibit your clearance covers, or none yet).",
            "create": "Prepare a batch for a recipient (analysts and above); you are its preparer.",
            "read": "One batch.",
            "update": "Change a batch in preparation; 409 when it is not, or when `version` is not the stored one.",
        },
    ),
)


@blp.route(f"/disclosure/batches/<{ID}:batch_id>/approve")
class BatchApproval(MethodView):
    @role_required("prosecutor")
    @blp.response(200, BatchSchema)
    def post(self, batch_id: int) -> DisclosureBatch:
        """Approve a batch in preparation: its proposed items become approved. No body. 403 for its
        preparer or a caller not cleared for every item; 409 when it is not in preparation or
        proposes nothing."""
        batch = load_visible_batch(batch_id)
        with answering_disclosure_refusals():
            disclosure.approve(db.session(), batch, current_user, _visible())
        save()
        return batch


@blp.route(f"/disclosure/batches/<{ID}:batch_id>/disclose")
class BatchDisclosure(MethodView):
    @role_required("prosecutor")
    @blp.response(200, BatchSchema)
    def post(self, batch_id: int) -> DisclosureBatch:
        """Disclose an approved batch: each approved file is re-verified and its exhibit's custody
        chain records it as disclosed. No body. 403 for a caller not cleared for every item; 409
        when the batch is not approved, an originator's consent is missing, or a file fails
        verification."""
        batch = load_visible_batch(batch_id)
        with answering_disclosure_refusals():
            disclosure.disclose(
                db.session(),
                batch,
                current_user,
                _visible(),
                store_for(current_app.config),
                ern_prefix=current_app.config["ERN_PREFIX"],
            )
        save()
        return batch
