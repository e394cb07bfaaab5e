"""The five operations most resources share -- list, create, read, update, delete --
registered from a declaration, so each resource module says only what is its own: its
schemas, its filters and its rules for writing.

    register_crud(blp, Crud(path="/officials", id_name="official_id", ...))

gives ``GET/POST /officials`` and ``GET/PATCH[/DELETE] /officials/{official_id}``, with the
roles, the version check before an update, and the OpenAPI summaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from views.api.common import ID, ApiBlueprint, check_version, keyset_page, load, page_schema
from views.util import role_required

Record = Any


@dataclass(frozen=True)
class Crud:
    path: str  # "/officials"
    id_name: str  # "official_id"
    model: Any  # its ``id`` orders the pages
    schema: type[ma.Schema]  # what every operation answers
    list_args: type[ma.Schema]
    filtered: Callable[[dict[str, Any]], Any]  # query arguments -> SELECT (with eager loads)
    create_schema: type[ma.Schema]
    update_schema: type[ma.Schema]
    # (record, body) -> record; called for an update once the version matched, and with None
    # for a create when ``create`` is not given
    update: Callable[[Any, dict[str, Any]], Record]
    summaries: dict[str, str]  # list, create, read, update (and delete) -> one line for the document
    load: Callable[[int], Record] | None = None  # id -> record or a 404 problem; default: live by id
    create: Callable[[dict[str, Any]], Record] | None = None  # default: update(None, body)
    delete: Callable[..., None] | None = None  # (record) or (record, args) with delete_args
    delete_args: type[ma.Schema] | None = None
    write_role: str = "analyst"
    page_name: str = field(default="")


def _documented(func: Callable[..., Any], summary: str) -> Callable[..., Any]:
    func.__doc__ = summary  # flask-smorest takes an operation's summary from its docstring
    return func


def register_crud(blp: ApiBlueprint, crud: Crud) -> None:
    page = page_schema(crud.schema, crud.page_name or f"{crud.schema.__name__.removesuffix('Schema')}Page")
    text = crud.summaries
    loader = crud.load or (lambda record_id: load(crud.model, record_id))
    creator = crud.create or (lambda data: crud.update(None, data))

    def list_records(self: MethodView, args: dict[str, Any]) -> dict[str, Any]:
        return keyset_page(crud.filtered(args), crud.model.id, args)

    def create_record(self: MethodView, data: dict[str, Any]) -> Record:
        return creator(data)

    collection = type(
        f"{crud.model.__name__}Collection",
        (MethodView,),
        {
            "get": role_required("viewer")(
                blp.arguments(crud.list_args, location="query")(
                    blp.response(200, page)(_documented(list_records, text["list"]))
                )
            ),
            "post": role_required(crud.write_role)(
                blp.arguments(crud.create_schema)(
                    blp.response(201, crud.schema)(_documented(create_record, text["create"]))
                )
            ),
        },
    )
    blp.route(crud.path)(collection)

    def read_record(self: MethodView, **ids: int) -> Record:
        return loader(ids[crud.id_name])

    def update_record(self: MethodView, data: dict[str, Any], **ids: int) -> Record:
        record = loader(ids[crud.id_name])
        check_version(record, data.pop("version"))
        return crud.update(record, data)

    methods: dict[str, Any] = {
        "get": role_required("viewer")(blp.response(200, crud.schema)(_documented(read_record, text["read"]))),
        "patch": role_required(crud.write_role)(
            blp.arguments(crud.update_schema)(
                blp.response(200, crud.schema)(_documented(update_record, text["update"]))
            )
        ),
    }
    if crud.delete is not None:
        remove = crud.delete
        if crud.delete_args is not None:

            def delete_record(self: MethodView, args: dict[str, Any], **ids: int) -> None:
                remove(loader(ids[crud.id_name]), args)

            operation = blp.arguments(crud.delete_args, location="query")(
                blp.response(204)(_documented(delete_record, text["delete"]))
            )
        else:

            def delete_plain(self: MethodView, **ids: int) -> None:
                remove(loader(ids[crud.id_name]))

            operation = blp.response(204)(_documented(delete_plain, text["delete"]))
        methods["delete"] = role_required(crud.write_role)(operation)
    item = type(f"{crud.model.__name__}Item", (MethodView,), methods)
    blp.route(f"{crud.path}/<{ID}:{crud.id_name}>")(item)
