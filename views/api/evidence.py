"""API: evidence (exhibits) and the files attached to them.

Evidence above the caller's clearance is treated as missing, exactly as in the HTML views
(views/evidence.py): it is never listed, and reading, changing or deleting it answers 404.
A caller may classify material at most at their own clearance. Exhibit numbers are issued
by the server (services/evidence/numbers.py) and never chosen: refusing a number an exhibit the
caller may not see already holds would tell them it exists.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user
from marshmallow import fields
from sqlalchemy.orm import selectinload

from extensions import db
from models import Evidence
from models.enums import CLASSIFICATIONS, CREDIBILITY_GRADES, EVIDENCE_KINDS, RELIABILITY_GRADES
from services.common import records
from services.common.access import settable_classifications, visible_classifications
from services.common.text_rules import WEB_ADDRESS_PATTERN
from services.evidence import exhibits as evidence_service
from services.evidence.exhibits import web_address_fault
from views.api.common import (
    ApiBlueprint,
    Choice,
    DeleteArgs,
    ListArgs,
    Pattern,
    Schema,
    Text,
    not_after_today,
    not_found,
    refuse,
    save,
    update_schema,
)
from views.api.resources import Crud, register_crud

blp = ApiBlueprint(
    "evidence",
    __name__,
    description="Exhibits: what they are, where they come from, how far they can be trusted, and their files.",
)

# Defaults of a new exhibit, as the HTML form's (forms/evidence.py)
DEFAULTS = {
    "kind": "document",
    "classification": "public",
    "reliability": "F",
    "credibility": "6",
    "originator_consent_required": False,
}
OPTIONAL_TEXTS = ("summary", "provenance", "url", "collected_by", "collection_method", "language", "originator")
# Empty is allowed: an optional text sent empty is stored as none
_LANGUAGE_TAG = Pattern(
    r"^([A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$", error="Give a language code such as en, ru, uk or ko."
)


class WebAddress(Pattern):
    """Only http(s) addresses with a host, as the HTML form accepts: no javascript:, data:,
    file: or relative links, which a reader might later follow. The document states the
    pattern; web_address_fault also asks urlsplit for the host. Empty is allowed."""

    def __init__(self) -> None:
        super().__init__(WEB_ADDRESS_PATTERN)

    def __call__(self, value: str | bytes) -> str:  # type: ignore[override]  # one signature for str and bytes
        if not isinstance(value, str):
            raise ma.ValidationError("Give a web address starting with http:// or https://, with a host.")
        fault = web_address_fault(value) if value else None
        if fault == "characters":
            raise ma.ValidationError("Give a web address without spaces, quotes or control characters.")
        if fault is not None:
            raise ma.ValidationError("Give a web address starting with http:// or https://, with a host.")
        return value


class StrictBoolean(fields.Boolean):
    """true or false, nothing else (marshmallow's Boolean takes 0, 1, "yes" ... as the document does not)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ma.ValidationError("Give true or false.")
        return value


class EvidenceFileSchema(Schema):
    """A file attached to an exhibit: immutable bytes, addressed by their SHA-256
    (download them from /api/v1/files/{sha256})."""

    sha256 = fields.String(dump_only=True, metadata={"description": "SHA-256 of the bytes, lower-case hex."})
    size = fields.Integer(dump_only=True, metadata={"description": "In bytes."})
    media_type = fields.String(dump_only=True, metadata={"description": "Sniffed from the bytes at intake."})
    name = fields.String(
        dump_only=True,
        allow_none=True,
        attribute="original_name",
        metadata={"description": "The name it was uploaded under, cleaned; metadata only."},
    )


class EvidenceSchema(Schema):
    id = fields.Integer(dump_only=True)
    exhibit_no = fields.String(
        dump_only=True,
        metadata={"description": "Stable exhibit number (P-nnnn), issued by the server when the exhibit is added."},
    )
    title = Text(300, blank_ok=False, required=True)
    kind = Choice(EVIDENCE_KINDS, metadata={"description": "document when not given."})
    source = Text(
        5_000, blank_ok=False, required=True, metadata={"description": "Who published or produced it, cited."}
    )
    classification = Choice(
        CLASSIFICATIONS, metadata={"description": "public when not given; at most the caller's clearance."}
    )
    reliability = Choice(RELIABILITY_GRADES, metadata={"description": "Admiralty scale, A-F (F when not given)."})
    credibility = Choice(CREDIBILITY_GRADES, metadata={"description": "Admiralty scale, 1-6 (6 when not given)."})
    originator = Text(
        300,
        allow_none=True,
        metadata={"description": "A third party that submitted it and controls its sharing (a State, an agency)."},
    )
    originator_consent_required = StrictBoolean(
        metadata={"description": "Whether the originator's consent is needed before disclosure (false when not given)."}
    )
    files = fields.List(fields.Nested(EvidenceFileSchema), dump_only=True)
    version = fields.Integer(dump_only=True)


class EvidenceWriteSchema(EvidenceSchema):
    """The exhibit as sent, with its longer description (accepted, not returned)."""

    summary = Text(20_000, allow_none=True, load_only=True)
    provenance = Text(5_000, allow_none=True, load_only=True, metadata={"description": "How it reached us."})
    url = Text(
        2_000,
        allow_none=True,
        load_only=True,
        validate=WebAddress(),
        metadata={"description": "http:// or https:// only, with a host."},
    )
    collected_by = Text(200, allow_none=True, load_only=True)
    collected_on = fields.Date(allow_none=True, load_only=True, validate=not_after_today)
    collection_method = Text(5_000, allow_none=True, load_only=True)
    language = Text(
        8, allow_none=True, load_only=True, validate=_LANGUAGE_TAG, metadata={"description": "BCP 47, e.g. ru."}
    )


EvidenceUpdateSchema = update_schema(EvidenceWriteSchema, "EvidenceUpdateSchema")


class EvidenceListArgs(ListArgs):
    kind = Choice(EVIDENCE_KINDS)
    classification = Choice(
        CLASSIFICATIONS, metadata={"description": "Above your clearance this finds nothing, as if none existed."}
    )
    reliability = Choice(RELIABILITY_GRADES)
    credibility = Choice(CREDIBILITY_GRADES)
    exhibit_no = fields.String(validate=ma.validate.Length(1, 40))


# --- loading --------------------------------------------------------------------------------


def visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def load_visible_evidence(evidence_id: int) -> Evidence:
    """The live exhibit, or 404 when it is missing, deleted or above the caller's clearance
    (the three are not told apart). Other API modules load evidence through this."""
    evidence = evidence_service.get_visible(db.session(), evidence_id, visible())
    if evidence is None:
        raise not_found()
    return evidence


def _filtered(args: dict[str, Any]) -> Any:
    query = evidence_service.visible_query(visible()).options(selectinload(Evidence.files))
    for name in ("kind", "classification", "reliability", "credibility", "exhibit_no"):
        if name in args:
            query = query.where(getattr(Evidence, name) == args[name])
    return query


# --- writing --------------------------------------------------------------------------------


def _input(data: dict[str, Any], evidence: Evidence | None) -> evidence_service.EvidenceInput:
    """The service's input from a (possibly partial) body, the record or the defaults filling
    what is not sent."""

    def given(name: str) -> Any:
        if name in data:
            blank = name in OPTIONAL_TEXTS and not data[name]
            return None if blank else data[name]  # an empty optional text is stored as none
        if evidence is not None:
            return getattr(evidence, name)
        return DEFAULTS.get(name)

    values = {name: given(name) for name in evidence_service.EvidenceInput.__dataclass_fields__}
    return evidence_service.EvidenceInput(**values)


def _check_classification(data: dict[str, Any]) -> None:
    """Nobody classifies material above their own clearance: they could no longer see it,
    and would hide it from colleagues cleared as they are."""
    allowed = settable_classifications(current_user)
    if "classification" in data and data["classification"] not in allowed:
        raise refuse("classification", f"Above your clearance; choose one of {', '.join(allowed)}.")


def _create(data: dict[str, Any]) -> Evidence:
    _check_classification(data)
    return evidence_service.create_evidence(db.session(), _input(data, None))


# --- resources ------------------------------------------------------------------------------


def _update(evidence: Evidence, data: dict[str, Any]) -> Evidence:
    _check_classification(data)
    evidence_service.apply_evidence(evidence, _input(data, evidence))
    save()
    return evidence


def _delete(evidence: Evidence, args: dict[str, Any]) -> None:
    records.soft_delete(db.session(), evidence, args["reason"])


register_crud(
    blp,
    Crud(
        path="/evidence",
        id_name="evidence_id",
        model=Evidence,
        schema=EvidenceSchema,
        list_args=EvidenceListArgs,
        filtered=_filtered,
        load=load_visible_evidence,
        create_schema=EvidenceWriteSchema,
        create=_create,
        update_schema=EvidenceUpdateSchema,
        update=_update,
        delete=_delete,
        delete_args=DeleteArgs,
        summaries={
            "list": "List the exhibits your clearance covers, filtered by kind, classification or grade.",
            "create": "Add an exhibit (analysts and above), classified at most at your clearance.",
            "read": "One exhibit with its files.",
            "update": "Change the fields sent (never the exhibit number); 409 when `version` is not the stored one.",
            "delete": "Delete an exhibit (kept with its files and custody, restorable by an administrator).",
        },
    ),
)
