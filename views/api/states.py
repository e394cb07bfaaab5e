"""API: the States whose officials and acts the tribunal considers (RU, BY, KP, UA...).

Listed for every user; created and edited by admins, so a fresh instance can take officials
over the API without the demo data. States are never deleted (officials and institutions
belong to them), so there is no DELETE.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from sqlalchemy import Select, select

from extensions import db
from models import State
from models.enums import STATE_ROLES
from views.api.common import ApiBlueprint, Choice, ListArgs, Schema, StateCode, Text, refuse, save, update_schema
from views.api.resources import Crud, register_crud

blp = ApiBlueprint("states", __name__, description="States and their part in the aggression; admins add them.")


class StateSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = StateCode(
        required=True, metadata={"description": "ISO 3166 alpha-2 code, upper case (RU, BY, KP, UA); unique."}
    )
    name = Text(200, blank_ok=False, required=True)
    role = Choice(
        STATE_ROLES,
        required=True,
        metadata={
            "description": "aggressor; co_aggressor_territory (UNGA Res. 3314 Art. 3(f)); participant_forces "
            "(Art. 3(a)/(g)); victim; other."
        },
    )
    version = fields.Integer(dump_only=True)


StateUpdateSchema = update_schema(StateSchema, "StateUpdateSchema")


class StateListArgs(ListArgs):
    role = Choice(STATE_ROLES)


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(State)
    if "role" in args:
        query = query.where(State.role == args["role"])
    return query


def _write(state: State | None, data: dict[str, Any]) -> State:
    code = data.get("code", state.code if state else "")
    twin = db.session.scalar(select(State).where(State.code == code))
    if twin is not None and twin is not state:
        raise refuse("code", f"The State {code} is recorded already (#{twin.id}).", status=409)
    with db.session.no_autoflush:
        if state is None:
            state = State()
            db.session.add(state)
        for key in ("code", "name", "role"):
            if key in data:
                setattr(state, key, data[key])
    save(lambda: f"The State {code} is recorded already.")
    return state


register_crud(
    blp,
    Crud(
        path="/states",
        id_name="state_id",
        model=State,
        schema=StateSchema,
        list_args=StateListArgs,
        filtered=_filtered,
        create_schema=StateSchema,
        update_schema=StateUpdateSchema,
        update=_write,
        write_role="admin",
        summaries={
            "list": "List the recorded States, filtered by role.",
            "create": "Record a State (admins); its code must be new.",
            "read": "One State.",
            "update": "Change the fields sent (admins); refused with 409 when `version` is not the stored one.",
        },
    ),
)
