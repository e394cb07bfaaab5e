"""API: uploading files to an exhibit and downloading stored bytes by their SHA-256.

Uploads use the same machinery as the HTML form (views/evidence_files.py): the request
class (views/uploads.py) writes each file part into the store's incoming folder and hashes
it as it arrives, so nothing is held in memory; services/evidence/files.attach_file links
the bytes to the exhibit and records a "received" custody event; the bytes move into the
store only when the request's transaction commits, and whatever is refused or rolled back
is removed when the request closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import marshmallow as ma
from flask import current_app, g, request, send_file
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from extensions import db
from models import Evidence, EvidenceFile, User
from models.enums import DERIVATION_KINDS
from services.evidence.files import (
    Derivation,
    IntegrityFailure,
    UploadRefused,
    attach_file,
    download_name,
    record_download,
)
from services.evidence.store import EvidenceStore, IncomingFile, store_for
from services.jobs import records as job_records
from views.api.common import ID, Choice, Pattern, Schema, Text, not_found
from views.api.evidence import EvidenceFileSchema, load_visible_evidence, visible
from views.api.multipart import MultipartBlueprint, UploadedFile
from views.api.problems import ApiProblem
from views.uploads import accepts_files
from views.util import role_required

MULTIPART = "multipart/form-data"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHA256_PARAMETER = {
    "in": "path",
    "name": "sha256",
    "required": True,
    "description": "SHA-256 of the bytes, 64 lower-case hex characters.",
    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$", "minLength": 64, "maxLength": 64},
}
BINARY = {"type": "string", "format": "binary"}
DOWNLOAD_DESCRIPTION = "The bytes, as an attachment, under the media type sniffed from them at intake."


blp = MultipartBlueprint("files", __name__, description="The bytes of exhibits: uploads and verified downloads.")


class EvidenceFileUploadSchema(Schema):
    file = UploadedFile(required=True, metadata={"description": "The bytes, hashed (SHA-256) as they arrive."})
    purpose = Text(2_000, metadata={"description": "Why it is received; kept in the chain of custody."})
    derivation = Choice(
        DERIVATION_KINDS,
        metadata={"description": "When the file was made from another of the exhibit's files: how."},
    )
    parent_sha256 = fields.String(
        validate=Pattern(SHA256, error="64 lower-case hex characters."),
        metadata={"description": "With `derivation`: the SHA-256 of the exhibit's file it was made from."},
    )
    note = Text(5_000, metadata={"description": "With `derivation`: who made it, with what tool or method."})

    @ma.validates_schema
    def _derivation(self, data: dict[str, Any], **_kw: Any) -> None:
        """A derivative names its parent and says how it was made; the parts of a
        derivation are refused on their own rather than silently dropped."""
        if "derivation" in data:
            errors = {}
            if "parent_sha256" not in data:
                errors["parent_sha256"] = ["Name the file the derivative was made from."]
            if not data.get("note"):
                errors["note"] = ["Say how the derivative was made."]
            if errors:
                raise ma.ValidationError(errors)
        else:
            for name in ("parent_sha256", "note"):
                if name in data:
                    raise ma.ValidationError({name: ["Only with `derivation`."]})


class UploadedEvidenceFileSchema(EvidenceFileSchema):
    derivation = fields.String(dump_only=True, allow_none=True)
    parent_sha256 = fields.String(dump_only=True, allow_none=True)

    @ma.pre_dump
    def _columns(self, file: EvidenceFile, **_kw: Any) -> dict[str, Any]:
        return {
            "sha256": file.sha256,
            "size": file.size,
            "media_type": file.media_type,
            "original_name": file.original_name,
            "derivation": file.derivation,
            "parent_sha256": file.parent.sha256 if file.parent else None,
        }


# --- helpers ----------------------------------------------------------------------------------


def _actor() -> User:
    user: User = current_user._get_current_object()  # the record, not the proxy, goes on rows
    return user


def _store() -> EvidenceStore:
    return store_for(current_app.config)


def _form_problem(field: str, message: str, *, status: int = 422) -> ApiProblem:
    return ApiProblem(
        status,
        "validation" if status == 422 else "duplicate",
        f"{field}: {message}",
        errors=[{"location": "multipart", "field": field, "message": message}],
    )


def _evidence_first(view: Callable[..., Any]) -> Callable[..., Any]:
    """404 for a hidden or missing exhibit before the body is read, so that nothing of an
    upload to it is received at all."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        load_visible_evidence(kwargs["evidence_id"])
        return view(*args, **kwargs)

    return wrapped


def _incoming(storage: FileStorage) -> IncomingFile:
    stream = storage.stream
    if not isinstance(stream, IncomingFile):  # UploadedFile let only these through
        raise TypeError("the upload was not received through UploadRequest")
    return stream


def _derivation(evidence: Evidence, data: dict[str, Any]) -> Derivation | None:
    if "derivation" not in data:
        return None
    parent = db.session.scalars(
        select(EvidenceFile).where(
            EvidenceFile.evidence_id == evidence.id, EvidenceFile.sha256 == data["parent_sha256"]
        )
    ).first()
    if parent is None:
        raise _form_problem("parent_sha256", "No file of this exhibit has this SHA-256.")
    return Derivation(parent, data["derivation"], data["note"])


def _visible_holders(sha256: str) -> list[EvidenceFile]:
    """The rows that attach these bytes to live exhibits the caller may see, oldest first."""
    query = (
        select(EvidenceFile)
        .join(EvidenceFile.evidence)
        .where(
            EvidenceFile.sha256 == sha256,
            Evidence.classification.in_(visible()),
            Evidence.deleted_at.is_(None),
        )
        .options(contains_eager(EvidenceFile.evidence))
        .order_by(EvidenceFile.id)
    )
    return list(db.session.scalars(query))


# --- resources --------------------------------------------------------------------------------


@blp.route(f"/evidence/<{ID}:evidence_id>/files")
class EvidenceFiles(MethodView):
    @role_required("analyst")
    @accepts_files
    @_evidence_first
    @blp.arguments(EvidenceFileUploadSchema, location="multipart")
    @blp.response(201, UploadedEvidenceFileSchema)
    def post(self, data: dict[str, Any], evidence_id: int) -> EvidenceFile:
        """Attach a file to an exhibit (analysts and above), optionally as a derivative of
        one of its files. Refused: an empty file (422), bytes already on the exhibit (409),
        more than the upload limit (413). A "received" custody event is recorded."""
        evidence = load_visible_evidence(evidence_id)
        storage: FileStorage = data["file"]
        incoming = _incoming(storage)
        if incoming.size == 0:
            raise _form_problem("file", "The file is empty: there is nothing to store.")
        try:
            record = attach_file(
                db.session(),
                _store(),
                evidence,
                incoming,
                original_name=storage.filename,
                actor=_actor(),
                derivation=_derivation(evidence, data),
                purpose=data.get("purpose") or None,
            )
        except UploadRefused as refusal:  # the same bytes are already on the exhibit
            raise _form_problem("file", str(refusal), status=409) from refusal
        job_records.schedule_extraction(db.session(), record, _actor())
        return record


@blp.route("/files/<string(length=64):sha256>", parameters=[SHA256_PARAMETER])
class FileBytes(MethodView):
    @role_required("viewer")
    @blp.response(
        200,
        BINARY,
        content_type="application/octet-stream",
        description=DOWNLOAD_DESCRIPTION,
    )
    @blp.alt_response(200, schema=BINARY, content_type="*/*", description=DOWNLOAD_DESCRIPTION)
    def get(self, sha256: str) -> Response:
        """Download stored bytes, re-verified against their hash (409 when they no longer
        match, and nothing is sent). The bytes can be held by several exhibits: a "downloaded"
        custody event is recorded in the chain of each one the caller may see, since each of
        their files was handed out. Hidden or deleted exhibits' files answer 404.

        A GET that writes is safe here only because it needs a bearer token, which a browser
        never attaches by itself: another site cannot make a signed-in user's browser log a
        download. The session cookie is refused (403); in the browser, downloads are the
        exhibit page's POST form, with its CSRF token."""
        if request.method == "HEAD":  # a HEAD sends nothing, so must not log a download
            raise ApiProblem(405, "about:blank", "HEAD is not allowed here.", headers={"Allow": "GET"})
        if g.get("auth_method") != "token":
            raise ApiProblem(
                403,
                "forbidden",
                "Downloads through the API need 'Authorization: Bearer TOKEN'; in the browser, "
                "use the exhibit page's download button.",
            )
        holders = _visible_holders(sha256) if SHA256.match(sha256) else []
        if not holders:
            raise not_found()
        store, actor = _store(), _actor()
        try:
            for file in holders:
                path = record_download(db.session(), store, file, actor, purpose="Downloaded through the API")
        except IntegrityFailure as failure:
            current_app.logger.error("integrity check failed for stored file %s", sha256)
            raise ApiProblem(
                409,
                "refused",
                f"{failure} It was not sent. An administrator should run the fixity check.",
            ) from failure
        response = send_file(
            path,
            mimetype=holders[0].media_type,
            as_attachment=True,
            download_name=download_name(holders[0]),
            conditional=False,
            etag=False,
            max_age=0,
        )
        response.headers["Cache-Control"] = "no-store"  # exhibits stay out of every cache
        return response
