"""API: import rules -- the phrases of a listing's statement of reasons (or position text) that
link an imported person to a decision in a role, or to a post -- and the rules as a YAML or
JSON document (services/imports/rules.py) that another instance can load.

Rules are deactivated, never deleted (``active``), as in the HTML views (views/imports.py).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView
from marshmallow import fields, validate
from sqlalchemy import Select, select

from extensions import db
from models import Decision, ImportRule, Position
from models.enums import IMPORT_RULE_KINDS, INVOLVEMENT_ROLES
from services.imports import rules as import_rules
from services.imports.rules import target_faults
from views.api.common import (
    ApiBlueprint,
    ApiProblem,
    Choice,
    Id,
    ListArgs,
    Schema,
    Text,
    exists_or_refuse,
    load,
    refuse,
    save,
    update_schema,
)
from views.api.resources import Crud, register_crud
from views.util import role_required

blp = ApiBlueprint(
    "import rules",
    __name__,
    description="Phrases of a listing that link imported persons to decisions and posts; as a YAML or JSON document.",
)


class ImportRuleSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = Choice(
        IMPORT_RULE_KINDS,
        required=True,
        metadata={"description": "involvement (with decision_id and role) or position (with position_id alone)."},
    )
    pattern = Text(
        2000,
        min_length=4,
        required=True,
        metadata={"description": "Matched regardless of case, quotation marks and spacing; 4 characters or more."},
    )
    decision_id = Id(allow_none=True, metadata={"description": "involvement: the decision the phrase links to."})
    role = Choice(INVOLVEMENT_ROLES, allow_none=True, metadata={"description": "involvement: the role in it."})
    position_id = Id(allow_none=True, metadata={"description": "position: the post the phrase means."})
    active = fields.Boolean(load_default=True, metadata={"description": "Inactive rules are kept, not applied."})
    note = Text(2000, allow_none=True)
    version = fields.Integer(dump_only=True)


ImportRuleUpdateSchema = update_schema(ImportRuleSchema, "ImportRuleUpdateSchema")


class ImportRuleListArgs(ListArgs):
    kind = Choice(IMPORT_RULE_KINDS)
    active = fields.Boolean(truthy={"true"}, falsy={"false"})


def _filtered(args: dict[str, Any]) -> Select[Any]:
    query = select(ImportRule)
    if "kind" in args:
        query = query.where(ImportRule.kind == args["kind"])
    if "active" in args:
        query = query.where(ImportRule.active.is_(args["active"]))
    return query


def _write(rule: ImportRule | None, data: dict[str, Any]) -> ImportRule:
    """The target must match the kind: a decision and a role, or a position."""
    merged = {
        key: data.get(key, getattr(rule, key) if rule is not None else None)
        for key in ("kind", "pattern", "decision_id", "role", "position_id", "active", "note")
    }
    given = {key: merged[key] is not None for key in ("decision_id", "role", "position_id")}
    for fault in target_faults(merged["kind"], given):
        raise refuse(fault.field, fault.detail)
    if merged["kind"] == "involvement":
        exists_or_refuse(Decision, merged["decision_id"], "decision_id")
    else:
        exists_or_refuse(Position, merged["position_id"], "position_id", live=False)
    with db.session.no_autoflush:
        if rule is None:
            rule = ImportRule()
            db.session.add(rule)
        for key, value in merged.items():
            setattr(rule, key, value if key != "active" else bool(value if value is not None else True))
    save()
    return rule


register_crud(
    blp,
    Crud(
        path="/import-rules",
        id_name="rule_id",
        model=ImportRule,
        schema=ImportRuleSchema,
        list_args=ImportRuleListArgs,
        filtered=_filtered,
        create_schema=ImportRuleSchema,
        update_schema=ImportRuleUpdateSchema,
        update=_write,
        load=lambda rule_id: load(ImportRule, rule_id, live=False),
        summaries={
            "list": "List the import rules, filtered by kind or whether they are active.",
            "create": "Add a rule (analysts and above): a decision and a role, or a position, as the kind says.",
            "read": "One rule.",
            "update": "Change the fields sent (`active: false` deactivates); 409 when `version` is not the stored one.",
        },
    ),
)


# --- the rules as a document --------------------------------------------------------------------


class DocumentArgs(Schema):
    format = Choice(import_rules.FORMATS, load_default="yaml", metadata={"description": "yaml (default) or json."})


class DocumentSchema(Schema):
    format = Choice(import_rules.FORMATS, required=True)
    document = fields.String(
        required=True,
        metadata={"description": "Every rule, naming decisions by title and date, positions by title, institution "
                  "and State, so another instance can load it."},
    )  # fmt: skip


class LoadSchema(Schema):
    document = fields.String(
        required=True,
        validate=validate.Length(max=2 * 1024 * 1024),
        metadata={"description": "A rules document as `GET /import-rules/document` gives it (YAML or JSON)."},
    )
    format = Choice(
        import_rules.FORMATS, allow_none=True, load_default=None, metadata={"description": "Default: as it reads."}
    )
    replace = fields.Boolean(
        load_default=False, metadata={"description": "Deactivate the rules on record the document does not name."}
    )


class LoadResultSchema(Schema):
    created = fields.List(fields.Integer(), required=True, metadata={"description": "Ids of the new rules."})
    updated = fields.List(fields.Integer(), required=True)
    unchanged = fields.List(fields.Integer(), required=True)
    deactivated = fields.List(fields.Integer(), required=True)

    @ma.pre_dump
    def _ids(self, result: import_rules.LoadResult, **_kw: Any) -> dict[str, list[int]]:
        return {
            name: [r.id for r in getattr(result, name)] for name in ("created", "updated", "unchanged", "deactivated")
        }


@blp.route("/import-rules/document")
class RulesDocument(MethodView):
    @role_required("viewer")
    @blp.arguments(DocumentArgs, location="query")
    @blp.response(200, DocumentSchema)
    def get(self, args: dict[str, Any]) -> dict[str, str]:
        """Every rule as a YAML or JSON document."""
        return {"format": args["format"], "document": import_rules.export_rules(db.session(), args["format"])}

    @role_required("analyst")
    @blp.arguments(LoadSchema)
    @blp.response(200, LoadResultSchema)
    def post(self, data: dict[str, Any]) -> import_rules.LoadResult:
        """Create or update the document's rules (analysts and above); nothing is written when any
        rule is wrong: 422 with every error, naming the rule and the field."""
        try:
            parsed = import_rules.parse_document(data["document"], data["format"])
            return import_rules.load_rules(db.session(), parsed, replace=data["replace"])
        except import_rules.RulesError as exc:
            errors = [{"field": "document", "message": error} for error in exc.errors]
            raise ApiProblem(422, "validation", "; ".join(exc.errors), errors=errors) from exc
