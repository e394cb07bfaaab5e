"""API: officials, with their names in every script and their external identifiers."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models import ExternalIdentifier, Official, OfficialName, State
from models.enums import GENDERS, IDENTIFIER_SCHEMES, SCRIPTS
from models.official import name_search_key
from services.common import records
from services.facts import officials as official_service
from services.imports.parsers.text import detect_script
from views.api.common import (
    LONG_TEXT,
    ApiBlueprint,
    Choice,
    DeleteArgs,
    ListArgs,
    Precision,
    Schema,
    StateCode,
    StateFilter,
    Text,
    merged_date,
    partial_date,
    refuse,
    save,
    state_or_refuse,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("officials", __name__, description="Natural persons, their names in every script and identifiers.")


class AliasSchema(Schema):
    name = Text(300, blank_ok=False, required=True)
    script = Choice(SCRIPTS, metadata={"description": "ISO 15924; detected from the name when omitted."})
    lang = Text(8, allow_none=True, metadata={"description": "BCP 47 language tag, e.g. ru, be, ko."})


class IdentifierSchema(Schema):
    scheme = Choice(IDENTIFIER_SCHEMES, required=True)
    value = Text(100, blank_ok=False, required=True)


class OfficialSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Text(300, blank_ok=False, required=True, metadata={"description": "Primary name in Latin script."})
    native_name = Text(300, allow_none=True, metadata={"description": "In the official's own script."})
    aliases = fields.List(fields.Nested(AliasSchema), metadata={"description": "Other written forms of the name."})
    birth_date = fields.Date(
        allow_none=True,
        metadata={"description": "The first day of what is known: 1955-05-01 with precision month for May 1955."},
    )
    birth_date_precision = Precision(
        allow_none=True, metadata={"description": "day (the default), month or year; only with a birth_date."}
    )
    state = StateCode(
        required=True, metadata={"description": "ISO 3166 code of the State the official serves: RU, BY, KP..."}
    )
    identifiers = fields.List(fields.Nested(IdentifierSchema))
    version = fields.Integer(dump_only=True)

    @ma.pre_dump
    def _columns(self, official: Official, **_kw: Any) -> dict[str, Any]:
        return {
            "id": official.id,
            "name": official.name,
            "native_name": official.native_name,
            "aliases": [{"name": n.name, "script": n.script, "lang": n.lang} for n in official.names],
            "birth_date": official.birth_date,
            "birth_date_precision": official.birth_date_precision,
            "state": official.state.code,
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in official.identifiers],
            "version": official.version,
        }


class OfficialWriteSchema(OfficialSchema):
    gender = Choice(GENDERS, allow_none=True, load_only=True)
    notes = Text(LONG_TEXT, allow_none=True, load_only=True)

    @ma.validates_schema
    def _dates(self, data: dict[str, Any], **_kw: Any) -> None:
        partial_date(data, "birth_date")


OfficialUpdateSchema = update_schema(OfficialWriteSchema, "OfficialUpdateSchema")


class OfficialListArgs(ListArgs):
    state = StateFilter()
    name = fields.String(
        validate=ma.validate.Length(1, 300), metadata={"description": "A name in any script, as written or folded."}
    )
    identifier = fields.String(
        validate=ma.validate.Length(3, 130),
        metadata={"description": "scheme:value, e.g. ofac_sdn:12345."},
    )


def _with_names(query: Any) -> Any:
    return query.options(joinedload(Official.state), selectinload(Official.names), selectinload(Official.identifiers))


def _filtered(args: dict[str, Any]) -> Any:
    query = select(Official).where(Official.deleted_at.is_(None))
    if "state" in args:
        query = query.join(State, Official.state_id == State.id).where(State.code == args["state"].upper())
    if "name" in args:
        key = name_search_key(args["name"])
        query = query.where(
            (Official.name == args["name"])
            | exists().where(OfficialName.official_id == Official.id, OfficialName.search_key == key)
        )
    if "identifier" in args:
        scheme, _sep, value = args["identifier"].partition(":")
        query = query.where(
            exists().where(
                ExternalIdentifier.official_id == Official.id,
                ExternalIdentifier.scheme == scheme,
                ExternalIdentifier.value == value,
            )
        )
    return query


def _input(data: dict[str, Any], official: Official | None) -> official_service.OfficialInput:
    """The service's input from a (possibly partial) body, the record filling what is not sent."""

    def given(key: str, current: Any) -> Any:
        return data.get(key, current)

    state_id = state_or_refuse(data["state"], "state").id if "state" in data else official.state_id  # type: ignore[union-attr]
    birth = merged_date(data, official, "birth_date", required=False)
    kinds = {n.name: n.kind for n in official.names} if official else {}
    if "aliases" in data:
        names = [_name_row(alias, kinds, index) for index, alias in enumerate(data["aliases"])]
    else:
        names = [official_service.NameRow(n.name, n.script, n.lang, n.kind) for n in official.names] if official else []
    if "identifiers" in data:
        identifiers = [(i["scheme"], i["value"]) for i in data["identifiers"]]
    else:
        identifiers = [(i.scheme, i.value) for i in official.identifiers] if official else []
    native_name = given("native_name", official.native_name if official else None) or None
    detected = detect_script(native_name) if native_name else None
    return official_service.OfficialInput(
        name=given("name", official.name if official else ""),
        native_name=native_name,
        native_script=detected if detected in SCRIPTS else None,
        state_id=state_id,
        birth=birth,
        gender=given("gender", official.gender if official else None),
        notes=given("notes", official.notes if official else None) or None,
        names=names,
        identifiers=identifiers,
    )


def _name_row(alias: dict[str, Any], kinds: dict[str, str], index: int) -> official_service.NameRow:
    script = alias.get("script") or detect_script(alias["name"])
    if script not in SCRIPTS:
        raise refuse(f"aliases.{index}.script", f"Give the script: it could not be detected from {alias['name']!r}.")
    return official_service.NameRow(alias["name"], script, alias.get("lang") or None, kinds.get(alias["name"], "alias"))


def _write(official: Official | None, data: dict[str, Any]) -> Official:
    values = _input(data, official)
    problems = official_service.duplicate_problems(values, official)
    for field, message in problems.items():
        raise refuse({"names": "aliases"}.get(field, field), message, status=409 if field != "names" else 422)
    if official is None:
        official = Official(name=values.name, state_id=values.state_id)
        db.session.add(official)
    official_service.apply_official(official, values)
    save()
    return official


def _delete(official: Official, args: dict[str, Any]) -> None:
    records.soft_delete(db.session(), official, args["reason"])


register_crud(
    blp,
    Crud(
        path="/officials",
        id_name="official_id",
        model=Official,
        schema=OfficialSchema,
        list_args=OfficialListArgs,
        filtered=lambda args: _with_names(_filtered(args)),
        create_schema=OfficialWriteSchema,
        update_schema=OfficialUpdateSchema,
        update=_write,
        delete=_delete,
        delete_args=DeleteArgs,
        summaries={
            "list": "List officials, filtered by State, name or identifier.",
            "create": "Add an official (analysts and above).",
            "read": "One official.",
            "update": "Change the fields sent; refused with 409 when `version` is not the stored one.",
            "delete": "Delete an official (kept, and restorable by an administrator).",
        },
    ),
)
